#!/usr/bin/python3
"""Pending one-pet boarding requests for the request auto benchmarks.

usage: gen_requests.py DB N SEED LAST_START STAYS [END_CAP]

One owner, N pets, N requests: request i starts a random day 0..LAST_START
after 2027-01-01 and stays a random choice of STAYS nights (a comma list),
ending no later than day END_CAP when given; requested_at rises with i.
"""
import datetime
import random
import sqlite3
import sys

db, n, seed, last_start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
stays = [int(x) for x in sys.argv[5].split(",")]
end_cap = int(sys.argv[6]) if len(sys.argv) > 6 else None
rnd = random.Random(seed)
c = sqlite3.connect(db)
c.execute("INSERT INTO owners (first_name, last_name, created_at, updated_at) VALUES ('A', 'B', 'x', 'x')")
d0 = datetime.date(2027, 1, 1)
for i in range(n):
    c.execute("INSERT INTO pets (owner_id, name, created_at) VALUES (1, ?, 'x')", ("P%d" % i,))
    a = rnd.randint(0, last_start)
    b = a + rnd.choice(stays)
    if end_cap is not None:
        b = min(end_cap, b)
    c.execute("INSERT INTO requests (owner_id, service, start, end, requested_at)"
              " VALUES (1, 'boarding', ?, ?, ?)",
              ((d0 + datetime.timedelta(a)).isoformat(), (d0 + datetime.timedelta(b)).isoformat(),
               "2026-11-%02dT%02d:%02d:00" % (1 + i % 28, i % 24, i % 60)))
    c.execute("INSERT INTO request_pets VALUES (?, ?)", (i + 1, i + 1))
c.commit()
