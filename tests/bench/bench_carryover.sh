#!/bin/sh
# package carryover of BENCH_CARRY rows (default 100,000) beside sqlite3
# doing the same inserts from the same file in the same run: .import into a
# staging table, then the product, the orders, their items, the packages and
# their history with INSERT ... SELECT.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_CARRY:-100000}
w=$BENCH_WORK
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }

/usr/bin/python3 "$here/gen_owners.py" "$n" > "$w/co.csv"
awk -F, -v n="$n" 'BEGIN { print "Customer ID,Credits Left,Expiration,Note"; srand(5) }
	NR > 1 && NR <= n + 1 { printf "%s,%d,%02d/%02d/2027,carried over\n", $1, int(rand() * 20), 1 + int(rand() * 12), 1 + int(rand() * 28) }' \
	"$w/co.csv" > "$w/carry.csv"
for db in "$w/ck.db" "$w/cr.db"; do
	KENNEL_DB="$db" "$KENNEL" init -q
	KENNEL_DB="$db" "$KENNEL" -q owner import "$w/co.csv"
done

start=$(date +%s.%N)
sqlite3 "$w/cr.db" <<SQL
.mode csv
.import $w/carry.csv staging
BEGIN;
INSERT INTO products (name, type, price_cents, quantity, days, days_active)
VALUES ('Carry Over Package', 'daycare-package', 0, 1, 1, 999);
INSERT INTO orders (owner_id, status, payment_type, note, created_at, carryover_key)
SELECT o.id, 'paid', 'no-payment', 'carry-over', datetime('now'), s.rowid
FROM staging s JOIN owners o ON o.external_id = s."Customer ID";
INSERT INTO order_items (order_id, product_id, qty, price_cents) SELECT id, 1, 1, 0 FROM orders;
INSERT INTO packages (owner_id, product_id, order_id, name, type, days_bought, price_cents,
                      number_left, end_date, note, created_at)
SELECT r.owner_id, 1, r.id, 'Carry Over Package', 'daycare-package', 1, 0, s."Credits Left",
       substr(s.Expiration, 7, 4) || '-' || substr(s.Expiration, 1, 2) || '-' || substr(s.Expiration, 4, 2),
       s.Note, datetime('now')
FROM orders r JOIN staging s ON s.rowid = r.carryover_key;
INSERT INTO package_history (package_id, at, action, left_after, end_after, note)
SELECT id, datetime('now'), 'modified', number_left, end_date, note FROM packages;
COMMIT;
SQL
ref=$(elapsed "$start")
start=$(date +%s.%N)
KENNEL_DB="$w/ck.db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q package carryover "$w/carry.csv"
ours=$(elapsed "$start")
[ "$(sqlite3 "$w/ck.db" 'SELECT count(*) FROM packages')" -eq "$n" ] || { echo "carryover made too few packages" >&2; exit 1; }
printf '%-44s %11.2fs %11.2fs %7.2fx %7d KiB\n' "package carryover, $n rows (vs sqlite3)" \
	"$ours" "$ref" "$(awk -v a="$ours" -v b="$ref" 'BEGIN { print a / b }')" "$(cat "$w/rss")"
