#!/bin/sh
# Inputs whose rows are alike must cost what distinct rows cost (issue 11:
# 40,000 owners sharing one placeholder email took 52 s to bulk-generate, and
# 20,000 identical carry-over rows 6.8 s against 0.26 s). Each alike run
# beside the same run over distinct rows, in the same run; target <= 1.5x.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
w=$BENCH_WORK
. "$here/lib.sh"
n=${BENCH_ALIKE_OWNERS:-40000}
for kind in distinct shared; do
	awk -v n="$n" -v kind="$kind" 'BEGIN { print "Customer ID,First Name,Last Name,E-mail";
		for (i = 1; i <= n; i++)
			printf "C%d,F%d,L%d,%s\n", i, i, i, kind == "shared" ? "noemail@example.com" : "o" i "@example.com" }' \
		> "$w/alike-$kind.csv"
	KENNEL_DB="$w/alike-$kind.db" "$KENNEL" init -q
	KENNEL_DB="$w/alike-$kind.db" "$KENNEL" -q owner import "$w/alike-$kind.csv"
	start=$(date +%s.%N)
	KENNEL_DB="$w/alike-$kind.db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q creds bulk-generate
	eval "creds_$kind=\$(elapsed \"\$start\")"
done
row "creds bulk-generate, $n sharing one email" "$creds_shared" "$creds_distinct"
detail "  (reference: $n distinct emails)" "" ""

rows=${BENCH_ALIKE_CARRY:-20000}
db="$w/alike-carry.db"
KENNEL_DB="$db" "$KENNEL" init -q
KENNEL_DB="$db" "$KENNEL" -q owner import "$w/alike-distinct.csv"
for kind in distinct identical; do
	awk -v n="$rows" -v kind="$kind" 'BEGIN { print "Customer ID,Credits Left";
		for (i = 1; i <= n; i++) printf "C%d,5\n", kind == "identical" ? 1 : i }' > "$w/carry-$kind.csv"
	cp "$db" "$w/carry-$kind.db"
	start=$(date +%s.%N)
	KENNEL_DB="$w/carry-$kind.db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q package carryover "$w/carry-$kind.csv"
	eval "carry_$kind=\$(elapsed \"\$start\")"
done
row "package carryover, $rows identical rows" "$carry_identical" "$carry_distinct"
detail "  (reference: $rows rows of distinct owners)" "" ""
