#!/usr/bin/python3
"""A small SMTP server that misbehaves on purpose, on 127.0.0.1.

usage: bad_smtp.py PORT DIR MODE [SECONDS]

MODE greet421: every session is refused at the greeting (421).
MODE stall: answers up to DATA, takes the message, then never answers.
MODE slow: answers each message SECONDS after its data ends, and appends
its Message-ID to DIR/ids (one line each, duplicates and all).
Writes DIR/ready once listening; stops when killed.
"""
import os
import re
import socketserver
import sys
import threading
import time

port, folder, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
delay = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
lock = threading.Lock()


class Session(socketserver.StreamRequestHandler):
    def say(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        if mode == "greet421":
            self.say("421 4.3.2 service not available, closing")
            return
        self.say("220 bad_smtp ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode(errors="replace").strip().upper()
            if cmd.startswith("EHLO") or cmd.startswith("HELO"):
                self.say("250 bad_smtp")
            elif cmd.startswith("MAIL") or cmd.startswith("RCPT") or cmd.startswith("RSET"):
                self.say("250 OK")
            elif cmd.startswith("NOOP"):
                self.say("250 OK")
            elif cmd == "DATA":
                self.say("354 go ahead")
                data = b""
                while True:
                    l = self.rfile.readline()
                    if not l:
                        return  # hung up before the end of the data: not a message
                    if l == b".\r\n":
                        break
                    data += l
                if mode == "stall":
                    time.sleep(3600)
                    return
                time.sleep(delay)
                m = re.search(rb"^Message-ID: (.*)\r$", data, re.M)
                with lock:
                    with open(os.path.join(folder, "ids"), "ab") as f:
                        f.write((m.group(1) if m else b"?") + b"\n")
                self.say("250 OK queued")
            elif cmd == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("502 not here")


class Server(socketserver.ThreadingTCPServer):
    def handle_error(self, request, client_address):
        pass  # a client that hangs up is what some tests do

    allow_reuse_address = True
    daemon_threads = True


os.makedirs(folder, exist_ok=True)
with Server(("127.0.0.1", port), Session) as server:
    open(os.path.join(folder, "ready"), "w").close()
    server.serve_forever()
