#!/usr/bin/python3
"""A real SMTP server on 127.0.0.1 for the mail tests and benchmark.

usage: smtp_sink.py PORT DIR [--count-only]

Every accepted message is written to DIR as NNNNNN.eml (or, with
--count-only, only counted in DIR/count). What happens depends on the
recipient's local part, so one server plays every part:
  *5xx*   answered 550 at RCPT (a permanent failure)
  *4xx*   answered 451 at RCPT (try again later)
  *drop*  the connection is dropped at DATA
Runs until killed; writes DIR/ready once it accepts connections.
"""
import os
import sys
import time

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, folder, count_only):
        self.folder = folder
        self.count_only = count_only
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if "5xx" in local:
            return "550 5.1.1 no such mailbox"
        if "4xx" in local:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any("drop" in r.split("@")[0] for r in envelope.rcpt_tos):
            server.transport.close()
            return "421 closing"
        self.n += 1
        if self.count_only:
            with open(os.path.join(self.folder, "count"), "w") as f:
                f.write(str(self.n))
        else:
            path = os.path.join(self.folder, "%06d.eml" % self.n)
            with open(path + ".tmp", "wb") as f:
                f.write(envelope.original_content)
            os.rename(path + ".tmp", path)
        return "250 OK queued"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Handler(folder, "--count-only" in sys.argv),
                            hostname="127.0.0.1", port=port)
    controller.start()
    open(os.path.join(folder, "ready"), "w").close()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
