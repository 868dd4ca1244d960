#!/bin/sh
# owner list --json over BENCH_LIST owners (default 100,000) beside sqlite3
# printing the same columns of the same rows as JSON (-json), in the same
# run; the output is streamed, so peak RSS must not grow with the owners.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_LIST:-100000}
w=$BENCH_WORK
db="$w/list.db"
. "$here/lib.sh"
/usr/bin/python3 "$here/gen_owners.py" "$n" > "$w/list-owners.csv"
KENNEL_DB="$db" "$KENNEL" init -q
KENNEL_DB="$db" "$KENNEL" -q owner import "$w/list-owners.csv"

start=$(date +%s.%N)
sqlite3 -json "$db" "SELECT id, external_id, first_name, last_name, email, phone, address,
  city, state, zip, username, password_hash IS NOT NULL AS has_password, must_reset,
  email_opt_out, active, created_at, updated_at FROM owners WHERE active ORDER BY id" > "$w/list-ref.json"
ref=$(elapsed "$start")
start=$(date +%s.%N)
KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" owner list --json > "$w/list.json"
ours=$(elapsed "$start")
[ "$(grep -c '^{' "$w/list.json")" -eq "$n" ] || { echo "owner list printed $(grep -c '^{' "$w/list.json") of $n" >&2; exit 1; }
jq -e 'length > 0' "$w/list.json" >/dev/null
row "owner list --json, $n owners (vs sqlite3)" "$ours" "$ref"
