#!/bin/sh
# package carryover of BENCH_CARRY rows (default 100,000) beside sqlite3
# making the same rows from the same file in the same run: .import into a
# staging table, then the product, the orders, their items, the packages and
# both rows of their history with INSERT ... SELECT.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_CARRY:-100000}
w=$BENCH_WORK
. "$here/lib.sh"

/usr/bin/python3 "$here/gen_owners.py" "$n" > "$w/co.csv"
awk -F, -v n="$n" 'BEGIN { print "Customer ID,Credits Left,Expiration,Note"; srand(5) }
	NR > 1 && NR <= n + 1 { printf "%s,%d,%02d/%02d/2027,carried over\n", $1, int(rand() * 20), 1 + int(rand() * 12), 1 + int(rand() * 28) }' \
	"$w/co.csv" > "$w/carry.csv"
for db in "$w/ck.db" "$w/cr.db"; do
	KENNEL_DB="$db" "$KENNEL" init -q
	KENNEL_DB="$db" "$KENNEL" -q owner import "$w/co.csv"
done

start=$(date +%s.%N)
# the same rows kennel makes (a test proves those are the rows of the manual
# steps): the orders with their carry-over note and key, the items, the
# packages as modified, and both history rows of each; with the foreign keys
# of the schema enforced, as kennel must
sqlite3 "$w/cr.db" <<SQL
PRAGMA foreign_keys = ON;
.mode csv
.import $w/carry.csv staging
BEGIN;
INSERT INTO products (name, type, price_cents, quantity, days, days_active)
VALUES ('Carry Over Package', 'daycare-package', 0, 1, 1, 999);
INSERT INTO orders (owner_id, status, total_cents, note, created_at, carryover_key,
                    payment_type, paid_cents, paid_at)
SELECT o.id, 'paid', 0, 'carry-over from the previous system (carry.csv, line ' || (s.rowid + 1) || ')',
       '2026-11-23T09:00:00', 'carryover:daycare-package:' || o.id || ':' || s."Credits Left" || ':'
       || substr(s.Expiration, 7, 4) || '-' || substr(s.Expiration, 1, 2) || '-' || substr(s.Expiration, 4, 2)
       || ':' || substr(hex(s.Note) || '0000000000000000', 1, 16) || ':1',
       'no-payment', 0, '2026-11-23T09:00:00'
FROM staging s JOIN owners o ON o.external_id = s."Customer ID" ORDER BY s.rowid;
INSERT INTO order_items (order_id, product_id, qty, price_cents) SELECT id, 1, 1, 0 FROM orders;
INSERT INTO packages (owner_id, product_id, order_id, name, type, days_bought, price_cents,
                      number_left, end_date, note, created_at)
SELECT r.owner_id, 1, r.id, 'Carry Over Package', 'daycare-package', 1, 0, s."Credits Left",
       substr(s.Expiration, 7, 4) || '-' || substr(s.Expiration, 1, 2) || '-' || substr(s.Expiration, 4, 2),
       s.Note, '2026-11-23T09:00:00'
FROM orders r JOIN staging s ON s.rowid = r.id;
INSERT INTO package_history (package_id, at, actor, action, left_after, end_after)
SELECT id, '2026-11-23T09:00:00', 'bench', 'purchased', 1, '2029-08-19' FROM packages;
INSERT INTO package_history (package_id, at, actor, action, left_before, left_after, end_before,
                             end_after, note)
SELECT id, '2026-11-23T09:00:00', 'bench', 'modified', 1, number_left, '2029-08-19', end_date, note
FROM packages;
COMMIT;
SQL
ref=$(elapsed "$start")
start=$(date +%s.%N)
KENNEL_DB="$w/ck.db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q package carryover "$w/carry.csv"
ours=$(elapsed "$start")
for t in orders order_items packages package_history; do
	[ "$(sqlite3 "$w/ck.db" "SELECT count(*) FROM $t")" -eq "$(sqlite3 "$w/cr.db" "SELECT count(*) FROM $t")" ] ||
		{ echo "carryover and the reference differ in $t" >&2; exit 1; }
done
[ "$(sqlite3 "$w/ck.db" 'SELECT count(*) FROM packages')" -eq "$n" ] || { echo "carryover made too few packages" >&2; exit 1; }
row "package carryover, $n rows (vs sqlite3)" "$ours" "$ref"
