#!/bin/sh
# request auto over BENCH_REQUESTS pending one-pet boarding requests
# (default 10,000) on a 365-day horizon, beside first come, first served on
# the same data (how many more requests it approves), in the same run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_REQUESTS:-10000}
w=$BENCH_WORK
db="$w/req.db"
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }
KENNEL_DB="$db" "$KENNEL" init -q
KENNEL_DB="$db" "$KENNEL" prefs set portal.require_current_vaccinations false
KENNEL_DB="$db" "$KENNEL" capacity set boarding 20
/usr/bin/python3 - "$db" "$n" <<'PY'
import random, sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(3)
c = sqlite3.connect(db)
c.execute("INSERT INTO owners (first_name, last_name, created_at, updated_at) VALUES ('A', 'B', 'x', 'x')")
for i in range(n):
    c.execute("INSERT INTO pets (owner_id, name, created_at) VALUES (1, ?, 'x')", ("P%d" % i,))
import datetime
d0 = datetime.date(2027, 1, 1)
for i in range(n):
    a = rnd.randint(0, 360)
    b = a + rnd.choice([1, 1, 2, 3, 4, 7, 10, 14])
    c.execute("INSERT INTO requests (owner_id, service, start, end, requested_at) VALUES (1, 'boarding', ?, ?, ?)",
              ((d0 + datetime.timedelta(a)).isoformat(), (d0 + datetime.timedelta(b)).isoformat(),
               "2026-11-%02dT%02d:%02d:00" % (1 + i % 28, i % 24, i % 60)))
    c.execute("INSERT INTO request_pets VALUES (?, ?)", (i + 1, i + 1))
c.commit()
PY
start=$(date +%s.%N)
KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" request auto --dry-run --json > "$w/plan.json"
ours=$(elapsed "$start")
approved=$(jq '.approved | length' "$w/plan.json")
# first come, first served on the same data: in requested_at order, approve what fits
fcfs=$(/usr/bin/python3 - "$db" <<'PY'
import sqlite3, sys, datetime
c = sqlite3.connect(sys.argv[1])
room = {}
n = 0
for s, e in c.execute("SELECT start, end FROM requests ORDER BY requested_at, id"):
    a, b = datetime.date.fromisoformat(s), datetime.date.fromisoformat(e)
    days = [(a + datetime.timedelta(k)) for k in range((b - a).days)]
    if all(room.get(d, 20) >= 1 for d in days):
        for d in days:
            room[d] = room.get(d, 20) - 1
        n += 1
print(n)
PY
)
printf '%-44s %11.2fs %11s %8s %7d KiB\n' "request auto, $n requests, 365 days" "$ours" "-" "-" "$(cat "$w/rss")"
printf '%-44s %12s %12s\n' "  approved (vs first come, first served)" "$approved" "$fcfs"
