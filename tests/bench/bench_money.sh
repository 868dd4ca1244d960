#!/bin/sh
# Money: 'statement send' for BENCH_STATEMENTS owners (default 20,000)
# with a month of activity, beside 'blast email --queue-only' to the same
# owners in the same run (both queue one mail per owner); and 'report
# balances' over 100,000 orders beside the equivalent set-based SQL run
# by sqlite3 on the same database.  Each time is the best of three.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
w=$BENCH_WORK
. "$here/lib.sh"
n=${BENCH_STATEMENTS:-20000}
export KENNEL_TODAY=2026-12-01 KENNEL_ACTOR=bench
db="$w/money.db"
KENNEL_DB="$db" "$KENNEL" init -q --company "Happy Tails" --email frontdesk@happytails.example
KENNEL_DB="$db" "$KENNEL" -q company set --phone 555-0100 --portal-url https://happytails.example/portal
/usr/bin/python3 "$here/gen_money.py" "$db" "$n" 5 2026-11
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null
cp "$db" "$w/money-clean.db"
# one mail per owner each; a fresh copy of the books for every run
fresh() { cp "$w/money-clean.db" "$db"; rm -f "$db-wal" "$db-shm"; }
statements() { fresh; KENNEL_DB="$db" "$KENNEL" -q statement send --month 2026-11 --queue-only; }
blast() { fresh; KENNEL_DB="$db" "$KENNEL" -q blast email --template portal-launch --queue-only; }
# the copy is part of both: time it alone and take it off
copy=$(best fresh)
ours=$(best statements)
ref=$(best blast)
ours=$(awk -v a="$ours" -v c="$copy" 'BEGIN { print a - c }')
ref=$(awk -v a="$ref" -v c="$copy" 'BEGIN { print a - c }')
fresh
KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q statement send --month 2026-11 --queue-only
got=$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE kind = 'statement'")
[ "$got" -eq "$n" ] || { echo "statement send queued $got of $n" >&2; exit 1; }
row "statement send, $n owners (vs blast --queue-only)" "$ours" "$ref"
# the aged balances of 100,000 orders
fresh
balances_sql="
WITH d AS (SELECT owner_id,
  sum(CASE WHEN age <= 30 THEN due ELSE 0 END) AS current,
  sum(CASE WHEN age BETWEEN 31 AND 60 THEN due ELSE 0 END) AS d60,
  sum(CASE WHEN age BETWEEN 61 AND 90 THEN due ELSE 0 END) AS d90,
  sum(CASE WHEN age > 90 THEN due ELSE 0 END) AS older, sum(due) AS due
  FROM (SELECT owner_id, total_cents - paid_cents AS due,
   julianday('2026-12-01') - julianday(substr(checked_out_at, 1, 10)) AS age
   FROM orders WHERE status = 'due') GROUP BY owner_id),
 c AS (SELECT owner_id, sum(CASE kind WHEN 'refund' THEN -amount_cents ELSE amount_cents END)
   AS money FROM payments WHERE voided_at IS NULL GROUP BY owner_id),
 a AS (SELECT p.owner_id, sum(a.amount_cents) AS used FROM payment_applications a
   JOIN payments p ON p.id = a.payment_id WHERE a.released_at IS NULL GROUP BY p.owner_id)
SELECT o.id, o.first_name || ' ' || o.last_name, coalesce(d.due, 0) - (coalesce(c.money, 0)
 - coalesce(a.used, 0)), d.current, d.d60, d.d90, d.older, o.phone, o.email
FROM owners o LEFT JOIN d ON d.owner_id = o.id LEFT JOIN c ON c.owner_id = o.id
LEFT JOIN a ON a.owner_id = o.id
WHERE coalesce(d.due, 0) <> coalesce(c.money, 0) - coalesce(a.used, 0) ORDER BY o.id;"
orders=$(sqlite3 "$db" "SELECT count(*) FROM orders")
ours=$(best env KENNEL_DB="$db" "$KENNEL" report balances --csv)
ref=$(best sqlite3 -csv "$db" "$balances_sql")
KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" report balances --csv > "$w/bal.csv"
a=$(($(wc -l < "$w/bal.csv") - 1))
b=$(sqlite3 -csv "$db" "$balances_sql" | wc -l)
[ "$a" -eq "$b" ] || { echo "report balances: $a owners, the SQL $b" >&2; exit 1; }
row "report balances, $orders orders" "$ours" "$ref"
detail "  owners with a balance" "$a" "$b"
