#!/bin/sh
# blast email of BENCH_MAIL messages (default 10,000) to a local SMTP sink
# (aiosmtpd, counting only), beside Python's smtplib sending the same
# messages over one connection to the same sink, in the same run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_MAIL:-10000}
w=$BENCH_WORK
port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
sink() { # sink DIR PORT: start, wait until ready
	/usr/bin/python3 "$here/../smtp_sink.py" "$2" "$1" --count-only &
	echo $! > "$1.pid"
	i=0
	while [ ! -e "$1/ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
}
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }

db="$w/blast.db"
KENNEL_DB="$db" "$KENNEL" init -q --company "Happy Tails" --email frontdesk@happytails.example
/usr/bin/python3 "$here/gen_owners.py" "$n" > "$w/blast-owners.csv"
KENNEL_DB="$db" "$KENNEL" -q owner import "$w/blast-owners.csv"
KENNEL_DB="$db" "$KENNEL" -q blast email --template portal-launch --queue-only

p1=$(port); sink "$w/sink1" "$p1"
KENNEL_DB="$db" "$KENNEL" prefs set mail.url "smtp://127.0.0.1:$p1"
start=$(date +%s.%N)
KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q mail send
ours=$(elapsed "$start")
kill "$(cat "$w/sink1.pid")"
got=$(cat "$w/sink1/count")

p2=$(port); sink "$w/sink2" "$p2"
start=$(date +%s.%N)
/usr/bin/python3 "$here/smtplib_send.py" "$db" "$p2"
ref=$(elapsed "$start")
kill "$(cat "$w/sink2.pid")"
[ "$got" -eq "$n" ] || { echo "the sink got $got of $n messages" >&2; exit 1; }
printf '%-44s %11.2fs %11.2fs %7.2fx %7d KiB\n' "blast $n messages over SMTP (vs smtplib)" \
	"$ours" "$ref" "$(awk -v a="$ours" -v b="$ref" 'BEGIN { print a / b }')" "$(cat "$w/rss")"
printf '%-44s %11.0f/s %10.0f/s\n' "  messages per second" \
	"$(awk -v a="$ours" -v n="$n" 'BEGIN { print n / a }')" "$(awk -v a="$ref" -v n="$n" 'BEGIN { print n / a }')"
