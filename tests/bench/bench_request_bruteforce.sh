#!/bin/sh
# request auto beside a brute force over every subset, on an instance small
# enough for the brute force to finish (BENCH_BRUTE requests, default 22,
# on 12 days with room for 2): the time of each, and the same count approved.
set -eu
n=${BENCH_BRUTE:-22}
w=$BENCH_WORK
db="$w/brute.db"
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }
KENNEL_DB="$db" "$KENNEL" init -q
KENNEL_DB="$db" "$KENNEL" prefs set portal.require_current_vaccinations false
KENNEL_DB="$db" "$KENNEL" capacity set boarding 2
/usr/bin/python3 - "$db" "$n" <<'PY'
import datetime, random, sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(11)
c = sqlite3.connect(db)
c.execute("INSERT INTO owners (first_name, last_name, created_at, updated_at) VALUES ('A', 'B', 'x', 'x')")
d0 = datetime.date(2027, 1, 1)
for i in range(n):
    c.execute("INSERT INTO pets (owner_id, name, created_at) VALUES (1, ?, 'x')", ("P%d" % i,))
    a = rnd.randint(0, 10)
    b = min(12, a + rnd.choice([1, 2, 3, 4, 5]))
    c.execute("INSERT INTO requests (owner_id, service, start, end, requested_at) VALUES (1, 'boarding', ?, ?, ?)",
              ((d0 + datetime.timedelta(a)).isoformat(), (d0 + datetime.timedelta(b)).isoformat(),
               "2026-11-01T00:%02d:00" % i))
    c.execute("INSERT INTO request_pets VALUES (?, ?)", (i + 1, i + 1))
c.commit()
PY
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
printf '%-44s %12s %12s\n' "  approved (vs the brute force's optimum)" "$approved" "$best"
[ "$approved" -eq "$best" ] || { echo "request auto is not optimal on the brute-force instance" >&2; exit 1; }
