#!/bin/sh
# The front desk: the day's board for 500 / 2,000 / 8,000 expected pets
# (one per owner), and 2,000 sign-outs in one 'desk out' call, each beside
# the equivalent set-based SQL run by sqlite3 on the same data, in the
# same run.  Each time is the best of three.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
w=$BENCH_WORK
. "$here/lib.sh"
day=2026-11-23
export KENNEL_TODAY=$day KENNEL_ACTOR=bench
board_sql="
WITH req (v) AS (SELECT json_array('rabies', 'distemper', 'bordetella'))
SELECT 'expected', r.service, p.name, o.first_name || ' ' || o.last_name, o.phone, r.id,
 p.advisory,
 (SELECT group_concat(q.value || ' expired', ', ') FROM req, json_each(req.v) q
  WHERE coalesce((SELECT max(expires_on) FROM vaccinations x WHERE x.pet_id = p.id
  AND x.type = q.value), '') < '$day'),
 k.name, k.number_left, k.end_date, k.note
FROM requests r JOIN request_pets rp ON rp.request_id = r.id JOIN pets p ON p.id = rp.pet_id
JOIN owners o ON o.id = r.owner_id
LEFT JOIN packages k ON k.id = (SELECT id FROM packages WHERE owner_id = r.owner_id
 AND type = 'daycare-package' AND number_left > 0 AND end_date >= '$day'
 ORDER BY end_date, id LIMIT 1)
WHERE r.status = 'approved' AND r.start <= '$day' AND r.end >= '$day'
AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.pet_id = rp.pet_id AND v.state = 'in')
ORDER BY r.service, p.name;"
for n in 500 2000 8000; do
	db="$w/desk$n.db"
	KENNEL_DB="$db" "$KENNEL" init -q
	/usr/bin/python3 "$here/gen_desk.py" "$db" "$n" "$day"
	ours=$(best env KENNEL_DB="$db" "$KENNEL" desk)
	ref=$(best sqlite3 -csv "$db" "$board_sql")
	KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" desk > "$w/board.txt"
	row "desk (the board), $n expected pets" "$ours" "$ref"
done
# 2,000 sign-outs: half use a package day, half are charged to a cart
n=2000
db="$w/desk$n.db"
KENNEL_DB="$db" KENNEL_NOW=${day}T08:00:00 "$KENNEL" -q desk in $(seq 1 $n)
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
cp "$db" "$w/ref.db"
t0=$(date +%s.%N)
KENNEL_DB="$db" KENNEL_NOW=${day}T17:00:00 /usr/bin/time -f '%M' -o "$w/rss" \
	"$KENNEL" -q desk out $(seq 1 $n)
ours=$(elapsed "$t0")
t0=$(date +%s.%N)
sqlite3 "$w/ref.db" "
BEGIN IMMEDIATE;
CREATE TEMP TABLE o AS SELECT v.id AS vid, v.owner_id, (SELECT k.id FROM packages k
 WHERE k.owner_id = v.owner_id AND k.type = 'daycare-package' AND k.number_left > 0
 AND k.end_date >= '$day' ORDER BY k.end_date, k.id LIMIT 1) AS pkg
 FROM visits v WHERE v.state = 'in';
INSERT INTO visit_package_uses SELECT vid, pkg, 1 FROM o WHERE pkg IS NOT NULL;
INSERT INTO package_history (package_id, at, actor, action, left_before, left_after,
 end_before, end_after, note) SELECT k.id, '${day}T17:00:00', 'bench', 'used', k.number_left,
 k.number_left - 1, k.end_date, k.end_date, 'visit ' || o.vid FROM o JOIN packages k ON k.id = o.pkg;
UPDATE packages SET number_left = number_left - 1 WHERE id IN (SELECT pkg FROM o);
INSERT INTO orders (owner_id, status, total_cents, created_at)
 SELECT owner_id, 'cart', 3000, '${day}T17:00:00' FROM o WHERE pkg IS NULL;
INSERT INTO order_items (order_id, product_id, qty, price_cents, visit_id)
 SELECT r.id, 1, 1, 3000, o.vid FROM o JOIN orders r ON r.owner_id = o.owner_id
 AND r.status = 'cart' WHERE o.pkg IS NULL;
UPDATE visits SET state = 'out', out_at = '${day}T17:00:00', units = 1,
 charge_cents = CASE WHEN (SELECT pkg FROM o WHERE vid = visits.id) IS NULL THEN 3000 ELSE 0 END
 WHERE state = 'in';
INSERT INTO audit (at, actor, command, entity, entity_id, summary, owner_id)
 SELECT '${day}T17:00:00', 'bench', 'desk out', 'visit', vid, 'signed out', owner_id FROM o;
COMMIT;"
ref=$(elapsed "$t0")
row "desk out, $n pets in one call" "$ours" "$ref"
# the two agree: the same package days and charges
detail "  package days used, charges (vs reference)" \
	"$(sqlite3 "$db" "SELECT count(*) || '/' || (SELECT count(*) FROM order_items WHERE visit_id IS NOT NULL) FROM visit_package_uses")" \
	"$(sqlite3 "$w/ref.db" "SELECT count(*) || '/' || (SELECT count(*) FROM order_items WHERE visit_id IS NOT NULL) FROM visit_package_uses")"
