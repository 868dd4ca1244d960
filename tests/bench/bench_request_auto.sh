#!/bin/sh
# request auto over BENCH_REQUESTS pending one-pet boarding requests
# (default 10,000) on a 365-day horizon, beside first come, first served on
# the same data (how many more requests it approves), in the same run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_REQUESTS:-10000}
w=$BENCH_WORK
db="$w/req.db"
. "$here/lib.sh"
requests_db "$db" "$n" 3 20 360 1,1,2,3,4,7,10,14
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
detail "  approved (vs first come, first served)" "$approved" "$fcfs"
