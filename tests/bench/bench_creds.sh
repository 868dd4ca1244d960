#!/bin/sh
# creds bulk-generate over BENCH_CREDS owners (default 100,000), default and
# --reveal-to, beside one INTERACTIVE argon2id hash times that many owners
# (what hashing every generated password at owner-chosen cost would take).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
owners=${BENCH_CREDS:-100000}
w=$BENCH_WORK
. "$here/lib.sh"
cc -O2 -o "$w/pwhash" "$here/pwhash_interactive.c" $(pkg-config --cflags --libs libsodium)
per_hash=$("$w/pwhash" 5)
naive=$(awk -v p="$per_hash" -v n="$owners" 'BEGIN { print p * n }')
/usr/bin/python3 "$here/gen_owners.py" "$owners" > "$w/creds-owners.csv"
for mode in default reveal; do
	db="$w/creds-$mode.db"
	KENNEL_DB="$db" "$KENNEL" init -q
	KENNEL_DB="$db" "$KENNEL" -q owner import "$w/creds-owners.csv"
	extra=""
	[ "$mode" = reveal ] && extra="--reveal-to $w/secrets-$mode.csv"
	start=$(date +%s.%N)
	KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q creds bulk-generate $extra
	t=$(elapsed "$start")
	printf '%-44s %11.2fs %11.0fs %7.5fx %7d KiB\n' \
		"creds bulk-generate $owners ($mode)" "$t" "$naive" \
		"$(ratio "$t" "$naive")" "$(cat "$w/rss")"
done
