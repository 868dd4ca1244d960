#!/usr/bin/python3
"""A real SMTP server on 127.0.0.1 for the mail tests and benchmark.

usage: smtp_sink.py PORT DIR [--count-only] [--starttls CERT KEY]
                    [--smtps CERT KEY] [--auth USER:PASSWORD]

Every accepted message is written to DIR as NNNNNN.eml (or, with
--count-only, only counted in DIR/count) with a line "NNNNNN tls=VERSION
auth=LOGIN" (none when not) in DIR/sessions. --starttls offers STARTTLS
with that certificate; --smtps speaks TLS from the first byte; --auth
requires AUTH PLAIN/LOGIN with that login (over TLS when TLS is offered).
What happens depends on the recipient's local part, so one server plays
every part:
  *5xx*   answered 550 at RCPT (a permanent failure)
  *4xx*   answered 451 at RCPT (try again later)
  *drop*  the connection is dropped at DATA
Runs until killed; writes DIR/ready once it accepts connections.
"""
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


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
            tls = server.transport.get_extra_info("ssl_object")
            login = session.auth_data.login.decode() if session.authenticated else "none"
            with open(os.path.join(self.folder, "sessions"), "a") as f:
                f.write("%06d tls=%s auth=%s\n" % (self.n, tls.version() if tls else "none", login))
            path = os.path.join(self.folder, "%06d.eml" % self.n)
            with open(path + ".tmp", "wb") as f:
                f.write(envelope.original_content)
            os.rename(path + ".tmp", path)
        return "250 OK queued"


def option(name, count):
    if name not in sys.argv:
        return None
    i = sys.argv.index(name)
    return sys.argv[i + 1:i + 1 + count]


def tls_context(cert_key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*cert_key)
    return ctx


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    kwargs = {}
    if option("--starttls", 2):
        kwargs["tls_context"] = tls_context(option("--starttls", 2))
    if option("--smtps", 2):
        kwargs["ssl_context"] = tls_context(option("--smtps", 2))
    if option("--auth", 1):
        user, password = option("--auth", 1)[0].split(":", 1)

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        kwargs.update(authenticator=authenticate, auth_required=True,
                      auth_require_tls="tls_context" in kwargs)
    controller = Controller(Handler(folder, "--count-only" in sys.argv),
                            hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    open(os.path.join(folder, "ready"), "w").close()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
