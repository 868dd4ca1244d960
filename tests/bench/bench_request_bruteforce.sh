#!/bin/sh
# request auto beside a brute force over every subset, on an instance small
# enough for the brute force to finish (BENCH_BRUTE requests, default 22,
# on 12 days with room for 2): the time of each, and the same count approved.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_BRUTE:-22}
w=$BENCH_WORK
db="$w/brute.db"
. "$here/lib.sh"
requests_db "$db" "$n" 11 2 10 1,2,3,4,5 12
start=$(date +%s.%N)
KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" request auto --dry-run --json > "$w/brute-plan.json"
ours=$(elapsed "$start")
approved=$(jq '.approved | length' "$w/brute-plan.json")
start=$(date +%s.%N)
best=$(/usr/bin/python3 - "$db" <<'PY'
import datetime, itertools, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
reqs = []
for s, e in c.execute("SELECT start, end FROM requests ORDER BY id"):
    a, b = datetime.date.fromisoformat(s), datetime.date.fromisoformat(e)
    reqs.append([a.toordinal() + k for k in range((b - a).days)])
def fits(chosen):
    used = {}
    for r in chosen:
        for d in reqs[r]:
            used[d] = used.get(d, 0) + 1
            if used[d] > 2:
                return False
    return True
for size in range(len(reqs), -1, -1):
    if any(fits(s) for s in itertools.combinations(range(len(reqs)), size)):
        print(size)
        break
PY
)
brute=$(elapsed "$start")
ratio=$(awk -v a="$ours" -v b="$brute" 'BEGIN { printf "%.4fx", a / b }')
printf '%-44s %11.3fs %11.2fs %8s %7d KiB\n' "request auto vs brute force, $n requests" "$ours" "$brute" "$ratio" "$(cat "$w/rss")"
detail "  approved (vs the brute force's optimum)" "$approved" "$best"
[ "$approved" -eq "$best" ] || { echo "request auto is not optimal on the brute-force instance" >&2; exit 1; }
