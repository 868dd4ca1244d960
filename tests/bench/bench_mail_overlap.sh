#!/bin/sh
# mail send against a server that answers each message 50 ms after its data
# (tests/bad_smtp.py slow), beside smtplib sending the same messages over one
# connection to the same server, in the same run: kennel's four connections
# must really overlap. Target: at least 3x the rate of one connection, that
# is a time ratio of 0.33x or less.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_OVERLAP:-200}
w=$BENCH_WORK
. "$here/lib.sh"
server() { # DIR PORT: a slow server, started and ready
	/usr/bin/python3 "$here/../bad_smtp.py" "$2" "$1" slow 0.05 &
	echo $! > "$1.pid"
	wait_ready "$1"
}
db="$w/overlap.db"
KENNEL_DB="$db" "$KENNEL" init -q --company "Happy Tails" --email frontdesk@happytails.example
KENNEL_DB="$db" "$KENNEL" -q company set --phone 555-0100 --portal-url https://happytails.example/portal
/usr/bin/python3 "$here/gen_owners.py" "$n" > "$w/overlap-owners.csv"
KENNEL_DB="$db" "$KENNEL" -q owner import "$w/overlap-owners.csv"
KENNEL_DB="$db" "$KENNEL" -q blast email --template portal-launch --queue-only

p1=$(free_port); server "$w/slow1" "$p1"
KENNEL_DB="$db" "$KENNEL" -q prefs set mail.url "smtp://127.0.0.1:$p1"
KENNEL_DB="$db" "$KENNEL" -q prefs set mail.starttls off
start=$(date +%s.%N)
KENNEL_DB="$db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q mail send
ours=$(elapsed "$start")
kill "$(cat "$w/slow1.pid")"
got=$(wc -l < "$w/slow1/ids")
[ "$got" -eq "$n" ] || { echo "the server got $got of $n messages" >&2; exit 1; }

p2=$(free_port); server "$w/slow2" "$p2"
start=$(date +%s.%N)
/usr/bin/python3 "$here/smtplib_send.py" "$db" "$p2"
ref=$(elapsed "$start")
kill "$(cat "$w/slow2.pid")"
row "mail send, $n at 50 ms each (vs 1 connection)" "$ours" "$ref"
