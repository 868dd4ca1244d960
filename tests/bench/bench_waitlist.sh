#!/bin/sh
# The waitlist: a cancel on a full day with BENCH_WAITLIST waitlisted
# requests for it (default 1,000), whose offer pass must find the first
# that fits and hold the spot for it, beside the same cancel on a copy
# with nobody waiting, in the same run.  Goal: the pass under 0.1 s of
# work (the difference of the two).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
w=$BENCH_WORK
. "$here/lib.sh"
n=${BENCH_WAITLIST:-1000}
day=2026-11-23
export KENNEL_TODAY=$day KENNEL_NOW=${day}T09:00:00 KENNEL_ACTOR=bench
db="$w/waitlist.db"
KENNEL_DB="$db" "$KENNEL" init -q
KENNEL_DB="$db" "$KENNEL" -q company set --name Bench --email desk@example.com \
	--portal-url https://portal.example.com
KENNEL_DB="$db" "$KENNEL" -q prefs set vaccines.required ""
KENNEL_DB="$db" "$KENNEL" -q capacity set daycare 100
# n + 100 owners with a dog each; the first 100 fill Dec 2 (approved), the
# rest wait for it, one a minute; 30 days of other bookings around it
sqlite3 "$db" "
PRAGMA foreign_keys = ON;
BEGIN;
WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < $n + 100)
INSERT INTO owners (id, first_name, last_name, email, created_at, updated_at)
 SELECT n, 'Owner' || n, 'Last', 'o' || n || '@example.com', '$KENNEL_NOW', '$KENNEL_NOW' FROM i;
INSERT INTO pets (id, owner_id, name, created_at) SELECT id, id, 'Dog' || id, created_at FROM owners;
INSERT INTO requests (id, owner_id, service, start, end, status, requested_at)
 SELECT id, id, 'daycare', '2026-12-02', '2026-12-02',
  CASE WHEN id <= 100 THEN 'approved' ELSE 'waitlisted' END,
  datetime('2026-11-01', '+' || id || ' minutes') FROM owners;
WITH RECURSIVE d(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM d WHERE k < 30)
INSERT INTO requests (owner_id, service, start, end, status, requested_at)
 SELECT o.id, 'daycare', date('2026-11-24', '+' || d.k || ' days'),
  date('2026-11-24', '+' || d.k || ' days'), 'approved', '2026-11-01T08:00:00'
 FROM owners o JOIN d WHERE o.id <= 90 AND d.k <> 8;
INSERT INTO request_pets (request_id, pet_id) SELECT id, owner_id FROM requests;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);" > /dev/null
cp "$db" "$w/waitlist-ref.db"
sqlite3 "$w/waitlist-ref.db" "UPDATE requests SET status = 'declined' WHERE status = 'waitlisted'"
t0=$(date +%s.%N)
KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q request cancel 1
ours=$(elapsed "$t0")
t0=$(date +%s.%N)
KENNEL_DB="$w/waitlist-ref.db" "$KENNEL" -q request cancel 1
ref=$(elapsed "$t0")
offered=$(sqlite3 "$db" "SELECT count(*) FROM waitlist_offers WHERE request_id = 101")
[ "$offered" -eq 1 ] || { echo "the spot was not offered to the first asked" >&2; exit 1; }
row "waitlist offer after a cancel, $n waiting" "$ours" "$ref"
detail "  the pass's own work (goal < 0.1 s)" "$(awk -v a="$ours" -v b="$ref" 'BEGIN { printf "%.3fs", a - b }')" ""
