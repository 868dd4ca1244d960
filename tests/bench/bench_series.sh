#!/bin/sh
# Standing bookings: 'series extend' for BENCH_SERIES weekly series
# (default 5,000; three days a week, eight weeks ahead: 120,000
# occurrences) beside the equivalent set-based INSERT run by sqlite3 on a
# copy of the same database, in the same run, with the foreign keys
# checked as kennel always has them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
w=$BENCH_WORK
. "$here/lib.sh"
n=${BENCH_SERIES:-5000}
day=2026-11-23
export KENNEL_TODAY=$day KENNEL_NOW=${day}T06:00:00 KENNEL_ACTOR=bench
db="$w/series.db"
KENNEL_DB="$db" "$KENNEL" init -q
KENNEL_DB="$db" "$KENNEL" -q prefs set recur.horizon_days 55
/usr/bin/python3 "$here/gen_series.py" "$db" "$n" "$day"
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
cp "$db" "$w/series-ref.db"
t0=$(date +%s.%N)
KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss.k" "$KENNEL" -q series extend
ours=$(elapsed "$t0")
t0=$(date +%s.%N)
sqlite3 "$w/series-ref.db" "
PRAGMA foreign_keys = ON;
BEGIN IMMEDIATE;
WITH RECURSIVE d(n, day) AS (SELECT 0, '$day' UNION ALL
  SELECT n + 1, date('$day', '+' || (n + 1) || ' days') FROM d WHERE n < 55),
 w(day, name) AS (SELECT day, CASE strftime('%w', day) WHEN '0' THEN 'sun' WHEN '1' THEN 'mon'
  WHEN '2' THEN 'tue' WHEN '3' THEN 'wed' WHEN '4' THEN 'thu' WHEN '5' THEN 'fri' ELSE 'sat' END
  FROM d)
INSERT INTO requests (owner_id, service, start, end, requested_at, status, start_time, series_id)
 SELECT s.owner_id, s.service, w.day, w.day, '${day}T06:00:00', 'pending', s.start_time, s.id
 FROM series s JOIN w ON instr(s.days, w.name) > 0 ORDER BY s.id, w.day;
INSERT INTO request_pets (request_id, pet_id)
 SELECT r.id, sp.pet_id FROM requests r JOIN series_pets sp ON sp.series_id = r.series_id;
UPDATE series SET made_through = date('$day', '+55 days');
INSERT INTO audit (at, actor, command, entity, entity_id, summary, owner_id)
 SELECT '${day}T06:00:00', 'bench', 'series extend', 'series', id, 'occurrences made', owner_id
 FROM series;
COMMIT;"
ref=$(elapsed "$t0")
mv "$w/rss.k" "$w/rss"
a=$(sqlite3 "$db" "SELECT count(*) FROM requests")
b=$(sqlite3 "$w/series-ref.db" "SELECT count(*) FROM requests")
[ "$a" -eq "$b" ] || { echo "series extend made $a requests, the SQL $b" >&2; exit 1; }
row "series extend, $n weekly series" "$ours" "$ref"
detail "  occurrences made" "$a" "$b"
# request auto over the pending occurrences of 834 weekly series (about
# 20,000), beside today's request auto over the same requests made one-off
# (series_id cleared), in the same run
db2="$w/series-auto.db"
KENNEL_DB="$db2" "$KENNEL" init -q
KENNEL_DB="$db2" "$KENNEL" -q prefs set recur.horizon_days 55
KENNEL_DB="$db2" "$KENNEL" -q prefs set vaccines.required ""
KENNEL_DB="$db2" "$KENNEL" -q capacity set daycare 300
/usr/bin/python3 "$here/gen_series.py" "$db2" 834 "$day"
KENNEL_DB="$db2" "$KENNEL" -q series extend
sqlite3 "$db2" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
cp "$db2" "$w/oneoff.db"
sqlite3 "$w/oneoff.db" "UPDATE requests SET series_id = NULL"
occ=$(sqlite3 "$db2" "SELECT count(*) FROM requests WHERE status = 'pending'")
t0=$(date +%s.%N)
KENNEL_DB="$db2" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q request auto --service daycare
ours=$(elapsed "$t0")
t0=$(date +%s.%N)
KENNEL_DB="$w/oneoff.db" "$KENNEL" -q request auto --service daycare
ref=$(elapsed "$t0")
a=$(sqlite3 "$db2" "SELECT count(*) FROM requests WHERE status = 'approved'")
b=$(sqlite3 "$w/oneoff.db" "SELECT count(*) FROM requests WHERE status = 'approved'")
[ "$a" -eq "$b" ] || { echo "request auto approved $a occurrences, $b one-off" >&2; exit 1; }
row "request auto, $occ pending occurrences (vs one-off)" "$ours" "$ref"
detail "  approved" "$a" "$b"
