#!/bin/sh
# owner import of BENCH_ROWS owners, beside sqlite3's own .import of the same
# file into a table with the same columns and indexes (.import into a staging
# table, then INSERT ... SELECT), in the same run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rows=${BENCH_ROWS:-1000000}
w=$BENCH_WORK
. "$here/lib.sh"
/usr/bin/python3 "$here/gen_owners.py" "$rows" > "$w/owners.csv"

# the reference: sqlite3's CLI on a database with kennel's own schema
KENNEL_DB="$w/ref.db" "$KENNEL" init -q
start=$(date +%s.%N)
sqlite3 "$w/ref.db" <<SQL
.mode csv
.import $w/owners.csv staging
INSERT INTO owners (external_id, first_name, last_name, email, phone, address, city, state, zip,
                    created_at, updated_at)
SELECT "Customer ID", "First Name", "Last Name", "E-mail", "Cell Phone", "Address", "City",
       "State", "Zip Code", datetime('now'), datetime('now') FROM staging;
DROP TABLE staging;
SQL
ref=$(elapsed "$start")

KENNEL_DB="$w/k.db" "$KENNEL" init -q
start=$(date +%s.%N)
KENNEL_DB="$w/k.db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q owner import "$w/owners.csv"
ours=$(elapsed "$start")
n=$(sqlite3 "$w/k.db" 'SELECT count(*) FROM owners')
[ "$n" -eq "$rows" ] || { echo "kennel imported $n of $rows rows" >&2; exit 1; }
row "owner import, $rows rows (vs sqlite3 .import)" "$ours" "$ref"
