#!/usr/bin/python3
"""Random small instances of request auto, against a brute force.

usage: auto_bruteforce.py KENNEL SEED [--multi]

Builds a database with one owner and pets, a boarding capacity that varies
by day, and random pending requests; runs `kennel request auto --dry-run
--json` and checks that it approves a set that fits and is as large as the
largest feasible set found by trying them all. With --multi, requests have
one to three pets and the gap is printed instead (the greedy is a heuristic
there). Prints "ok" or the instance that failed.
"""
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile

kennel, seed, multi = sys.argv[1], int(sys.argv[2]), "--multi" in sys.argv
rnd = random.Random(seed)
tmp = tempfile.mkdtemp()
env = dict(os.environ, KENNEL_DB=os.path.join(tmp, "k.db"), KENNEL_TODAY="2026-11-23")


def k(*args):
    return subprocess.run([kennel, *args], env=env, capture_output=True, text=True, check=True).stdout


k("init", "-q")
k("prefs", "set", "portal.require_current_vaccinations", "false")
k("owner", "add", "--first", "Ann", "--last", "Lee")
days = 8
cap = [rnd.randint(1, 2) for _ in range(days)]
k("capacity", "set", "boarding", str(cap[0]))
for d in range(days):
    k("capacity", "set", "boarding", str(cap[d]), "--from", "2026-12-%02d" % (d + 1), "--to", "2026-12-%02d" % (d + 1))
reqs = []
for i in range(rnd.randint(4, 9)):
    a = rnd.randint(0, days - 2)
    b = rnd.randint(a + 1, min(days, a + 4))
    n = rnd.randint(1, 3) if multi else 1
    # pets of their own: one pet is never booked twice on a night, a rule of
    # its own that this instance is not about
    for p in range(n):
        k("pet", "add", "1", "--name", "R%dP%d" % (i, p))
    pets = ",".join("R%dP%d" % (i, p) for p in range(n))
    k("request", "add", "1", "--service", "boarding", "--pet", pets,
      "--start", "2026-12-%02d" % (a + 1), "--end", "2026-12-%02d" % (b + 1))
    reqs.append((a, b, n))  # nights a <= d < b


def fits(chosen):
    load = [0] * days
    for i in chosen:
        a, b, n = reqs[i]
        for d in range(a, b):
            load[d] += n
    return all(load[d] <= cap[d] for d in range(days))


best = 0
for r in range(len(reqs), 0, -1):
    if any(fits(c) for c in itertools.combinations(range(len(reqs)), r)):
        best = r
        break
plan = json.loads(k("request", "auto", "--dry-run", "--json"))
got = [i - 1 for i in plan["approved"]]
if not fits(got):
    print("infeasible plan", plan, reqs, cap)
elif multi:
    print("gap", best - len(got))
elif len(got) != best:
    print("not optimal: %d of %d" % (len(got), best), reqs, cap)
else:
    print("ok")
