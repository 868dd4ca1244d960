#!/bin/sh
# blast email of BENCH_MAIL messages (default 10,000) to a local SMTP sink
# (aiosmtpd, counting only), beside Python's smtplib sending the same
# messages over one connection to the same sink, in the same run; and
# msmtp started once per message for BENCH_MSMTP of them (default 1,000),
# as a cron script that pipes each mail to a sendmail-like client would.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_MAIL:-10000}
w=$BENCH_WORK
. "$here/lib.sh"
sink() { # sink DIR PORT: start, wait until ready
	/usr/bin/python3 "$here/../smtp_sink.py" "$2" "$1" --count-only &
	echo $! > "$1.pid"
	wait_ready "$1"
}

db="$w/blast.db"
KENNEL_DB="$db" "$KENNEL" init -q --company "Happy Tails" --email frontdesk@happytails.example
KENNEL_DB="$db" "$KENNEL" -q company set --phone 555-0100 --portal-url https://happytails.example/portal
/usr/bin/python3 "$here/gen_owners.py" "$n" > "$w/blast-owners.csv"
KENNEL_DB="$db" "$KENNEL" -q owner import "$w/blast-owners.csv"
KENNEL_DB="$db" "$KENNEL" -q blast email --template portal-launch --queue-only

p1=$(free_port); sink "$w/sink1" "$p1"
KENNEL_DB="$db" "$KENNEL" prefs set mail.url "smtp://127.0.0.1:$p1"
start=$(date +%s.%N)
KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q mail send
ours=$(elapsed "$start")
kill "$(cat "$w/sink1.pid")"
got=$(cat "$w/sink1/count")

p2=$(free_port); sink "$w/sink2" "$p2"
start=$(date +%s.%N)
/usr/bin/python3 "$here/smtplib_send.py" "$db" "$p2"
ref=$(elapsed "$start")
kill "$(cat "$w/sink2.pid")"
[ "$got" -eq "$n" ] || { echo "the sink got $got of $n messages" >&2; exit 1; }
row "blast $n messages over SMTP (vs smtplib)" "$ours" "$ref"
printf '%-44s %11.0f/s %10.0f/s\n' "  messages per second" \
	"$(awk -v a="$ours" -v n="$n" 'BEGIN { print n / a }')" "$(awk -v a="$ref" -v n="$n" 'BEGIN { print n / a }')"

m=${BENCH_MSMTP:-1000}
/usr/bin/python3 - "$db" "$w/msmtp" "$m" <<'PY'
import os, sqlite3, sys
db, folder, m = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(folder)
rows = sqlite3.connect(db).execute("SELECT to_addr, raw FROM outbox ORDER BY id LIMIT ?", (m,))
with open(os.path.join(folder, "list"), "w") as index:
    for i, (to, raw) in enumerate(rows):
        with open(os.path.join(folder, "%06d.eml" % i), "wb") as f:
            f.write(raw.encode("utf-8"))
        index.write("%06d.eml %s\n" % (i, to))
PY
p3=$(free_port); sink "$w/sink3" "$p3"
start=$(date +%s.%N)
while read -r file to; do
	msmtp --host=127.0.0.1 --port="$p3" --auth=off --tls=off \
		--from=frontdesk@happytails.example "$to" < "$w/msmtp/$file"
done < "$w/msmtp/list"
naive=$(elapsed "$start")
kill "$(cat "$w/sink3.pid")"
[ "$(cat "$w/sink3/count")" -eq "$(wc -l < "$w/msmtp/list")" ] || { echo "msmtp did not deliver all" >&2; exit 1; }
printf '%-44s %11.0f/s %10.0f/s\n' "  vs msmtp once per message ($m messages)" \
	"$(awk -v a="$ours" -v n="$n" 'BEGIN { print n / a }')" "$(awk -v a="$naive" -v m="$m" 'BEGIN { print m / a }')"
