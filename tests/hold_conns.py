#!/usr/bin/python3
"""An attacker's crowd of connections to kennel serve, to see what the
server does with them.

hold_conns.py PORT READY_FILE SECONDS GROUP...
GROUP is ADDR:COUNT:KIND, ADDR the source address (any of 127/8),
KIND one of
  idle     connects and sends nothing
  trickle  sends a request's header one byte every 2 seconds, forever
Writes READY_FILE once every connection is open, holds them SECONDS at
most (or until every trickler is closed), then prints one line per group:
ADDR KIND COUNT CLOSED_WITHIN_1S CLOSED FIRST_CLOSE_S LAST_CLOSE_S
(closed: by the server, seen as the end of the stream or a reset).
"""
import resource
import selectors
import socket
import sys
import time

port, ready, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

sel = selectors.DefaultSelector()
groups = []


def see_closes(timeout):
    """Record every connection the server has closed; return how many of
    them were tricklers."""
    tricklers = 0
    for key, _ in sel.select(timeout=timeout):
        c = key.data
        try:
            data = c["sock"].recv(4096)
        except OSError:
            data = b""
        if data:
            continue  # an answer (a 503, say): the end follows
        c["group"]["closed"].append(time.monotonic() - c["opened"])
        if c["group"]["kind"] == "trickle":
            tricklers += 1
        sel.unregister(c["sock"])
        c["sock"].close()
    return tricklers


TRICKLE = b"GET /login HTTP/1.1\r\nHost: portal\r\nX-Pad: " + b"a" * 4000
for spec in sys.argv[4:]:
    addr, count, kind = spec.split(":")
    g = {"addr": addr, "kind": kind, "n": int(count), "closed": []}
    groups.append(g)
    for _ in range(int(count)):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((addr, 0))
        s.connect(("127.0.0.1", port))
        s.setblocking(False)
        c = {"sock": s, "group": g, "opened": time.monotonic(), "sent": 0}
        sel.register(s, selectors.EVENT_READ, c)
        # a close is timed when it comes, not once the whole crowd is open:
        # opening 1,100 sockets can take longer than the second we measure
        see_closes(0)

with open(ready, "w") as f:
    f.write("ready\n")

start = time.monotonic()
next_byte = start
open_tricklers = sum(g["n"] - len(g["closed"]) for g in groups if g["kind"] == "trickle")
has_tricklers = any(g["kind"] == "trickle" for g in groups)
while time.monotonic() - start < seconds and not (has_tricklers and open_tricklers == 0):
    now = time.monotonic()
    if now >= next_byte:
        next_byte = now + 2
        for key in list(sel.get_map().values()):
            c = key.data
            if c["group"]["kind"] == "trickle" and c["sent"] < len(TRICKLE):
                try:
                    c["sock"].send(TRICKLE[c["sent"]:c["sent"] + 1])
                    c["sent"] += 1
                except OSError:
                    pass
    open_tricklers -= see_closes(0.2)

for g in groups:
    closed = sorted(g["closed"])
    print(g["addr"], g["kind"], g["n"], sum(1 for t in closed if t < 1),
          len(closed), "%.1f" % (closed[0] if closed else -1),
          "%.1f" % (closed[-1] if closed else -1))
