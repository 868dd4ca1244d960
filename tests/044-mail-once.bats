#!/usr/bin/env bats
# Mail exactly once (issue 12): no duplicate from overlapping runs, no
# credential in the clear, a refusing or stalling server ends the run at
# once, reset links scrubbed when their message is done.
load test_helper

teardown() {
	[ -z "${BAD_PID:-}" ] || kill "$BAD_PID" 2>/dev/null || true
	[ -z "${SINK_PID:-}" ] || kill "$SINK_PID" 2>/dev/null || true
}

queue() { # N owners, one portal-launch message each, queued
	init_db
	for i in $(seq 1 "$1"); do echo "F$i,L$i,o$i@example.com"; done | owners
	kennel -q blast email --template portal-launch --queue-only
}

@test "two overlapping mail send runs on a slow server: every message exactly once" {
	queue 24
	start_bad slow 0.5
	kennel -q mail send &
	first=$!
	# the first run has claimed its messages
	wait_until test -s "$BAD_DIR/ids"
	# the second run's clock is 11 minutes on: an age-based reclaim would
	# take the first run's claims back and send them again
	# each run exits 0, or 75 when the slow server outlasts it: never a crash
	KENNEL_NOW=2026-11-23T09:11:00 run kennel -q mail send
	assert [ "$status" -eq 0 -o "$status" -eq 75 ]
	wait "$first" || true
	KENNEL_NOW=2026-11-23T09:30:00 run kennel -q mail send
	assert [ "$status" -eq 0 -o "$status" -eq 75 ]
	assert_equal "$(wc -l < "$BAD_DIR/ids")" "24"
	assert_equal "$(sort -u "$BAD_DIR/ids" | wc -l)" "24"
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" "24"
}

@test "a claim of a run that is gone is taken back; a live run's is not, however old" {
	queue 2
	start_bad slow 0
	sleep 300 & live=$!
	sql "UPDATE outbox SET status = 'sending', claimed_at = '2020-01-01T00:00:00', claimed_by = '$live:' || (SELECT 1) WHERE id = 1"
	# that claim names a pid alive but another start time: not the run that made it
	sql "UPDATE outbox SET status = 'sending', claimed_by = '999999999:1' WHERE id = 2"
	kennel -q mail send
	assert_equal "$(sql 'SELECT group_concat(status) FROM outbox ORDER BY id')" "sent,sent"
	kill "$live"
}

@test "a server that refuses every session (421 at the greeting): exit 75 at once, all queued" {
	queue 50
	start_bad greet421
	run -75 --separate-stderr kennel mail send
	[[ "${stderr_lines[0]}" == "kennel: mail server unreachable or refusing: smtp://127.0.0.1:$BAD_PORT: server answered 421"* ]]
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" "50"
	# at most the messages on the wire were tried
	[ "$(sql 'SELECT sum(attempts) FROM outbox')" -le 4 ]
}

@test "a server that stalls mid-DATA: exit 75 after one timeout, not one per message" {
	queue 8
	start_bad stall
	kennel -q prefs set mail.timeout 2
	start=$(date +%s)
	run -75 --separate-stderr kennel mail send
	# all four connections stall at once: one timeout (2 s), then no QUIT waits
	[ $(( $(date +%s) - start )) -lt 5 ]
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" "8"
}

@test "with credentials set, no AUTH crosses a connection without TLS" {
	queue 2
	start_sink --auth carol:s3cret
	kennel -q prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	kennel -q prefs set mail.starttls try
	KENNEL_SMTP_USER=carol KENNEL_SMTP_PASSWORD=s3cret run -1 --separate-stderr kennel mail send
	[[ "${stderr_lines[0]}" == *"it offers no STARTTLS and mail.starttls is required"* ]]
	[ ! -e "$SINK_DIR/sessions" ]
	kennel -q prefs set mail.starttls off
	KENNEL_SMTP_USER=carol KENNEL_SMTP_PASSWORD=s3cret run -1 --separate-stderr kennel mail send
	assert_equal "${stderr_lines[0]}" "kennel: refusing to send KENNEL_SMTP_PASSWORD without TLS: set mail.starttls to required, or use smtps:// in mail.url; the messages stay queued"
	assert_equal "$(sql "SELECT group_concat(status) FROM outbox")" "queued,queued"
	assert_equal "$(sql 'SELECT sum(attempts) FROM outbox')" "0"
}

@test "a reset link is scrubbed when its message fails for good, not only when sent" {
	init_db
	kennel -q company set --reset-url 'https://happytails.example/reset?t={token}'
	owners <<< $'Ann,Lee,bounce5xx@example.com'
	kennel -q creds bulk-generate
	start_sink
	kennel -q prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	run -3 kennel creds reset 1 --notify
	assert_equal "$(sql 'SELECT status, secret FROM outbox')" "failed|0"
	run -1 grep -c 'reset?t=' <<< "$(sql 'SELECT raw FROM outbox')"
}

@test "creds redeem --token-stdin keeps the token off the command line" {
	init_db
	kennel -q company set --reset-url 'https://x.example/r/{token}'
	owners <<< $'Ann,Lee,ann@example.com'
	kennel -q creds bulk-generate
	link=$(kennel creds reset 1 2>/dev/null | cut -d' ' -f2)
	token=${link##*/}
	run -0 kennel creds redeem --token-stdin --password-stdin <<< "$token"$'\n'"a fine password 1"
	run -0 kennel creds check ann@example.com --password-stdin <<< "a fine password 1"
}

@test "kill -9 at 20 random moments of a 2,000-message send: none lost, a duplicate only from the wire" {
	queue 2000
	start_bad slow 0.002
	for i in $(seq 1 20); do
		"$KENNEL" -q mail send >/dev/null 2>&1 &
		pid=$!
		sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	# the killed runs' claims are taken back at once: their runs are gone
	kennel -q mail send
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" "2000"
	assert_equal "$(sort -u "$BAD_DIR/ids" | wc -l)" "2000"
	dups=$(( $(wc -l < "$BAD_DIR/ids") - 2000 ))
	[ "$dups" -le $((20 * 4)) ]
}

@test "the database locked past its busy timeout while messages are accepted: each arrives once" {
	queue 40
	start_bad slow 0.05
	"$KENNEL" -q mail send & sender=$!
	wait_until test -s "$BAD_DIR/ids"
	# a writer holds the lock 13 s, longer than the 10 s busy timeout
	sqlite3 -cmd ".timeout 5000" "$KENNEL_DB" "BEGIN IMMEDIATE; INSERT INTO audit (at, entity, summary) VALUES ('x', 'x', 'x');" ".shell sleep 13" "ROLLBACK;" >/dev/null
	wait "$sender"
	kennel -q mail send
	assert_equal "$(wc -l < "$BAD_DIR/ids")" "40"
	assert_equal "$(sort -u "$BAD_DIR/ids" | wc -l)" "40"
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" "40"
}

@test "the disk full while messages are accepted: nothing lost, nothing sent twice" {
	[ "$(id -u)" = 0 ] || skip "mounting a small tmpfs needs root"
	mkdir small
	mount -t tmpfs -o size=8m tmpfs small || skip "no tmpfs here"
	export KENNEL_DB="$BATS_TEST_TMPDIR/small/kennel.db"
	queue 200
	start_bad slow 0.01
	"$KENNEL" -q mail send & sender=$!
	wait_until test -s "$BAD_DIR/ids"
	# fill what is left, then give it back a few seconds later
	dd if=/dev/zero of=small/filler bs=64k 2>/dev/null || true
	sleep 3
	rm -f small/filler
	wait "$sender" || true
	run kennel -q mail send
	assert [ "$status" -eq 0 -o "$status" -eq 75 ]
	kennel -q mail send
	sent=$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")
	umount -l small || true
	assert_equal "$sent" "200"
	assert_equal "$(wc -l < "$BAD_DIR/ids")" "200"
	assert_equal "$(sort -u "$BAD_DIR/ids" | wc -l)" "200"
}

@test "a 2,000-character subject and company name: folded and encoded, delivered" {
	init_db
	long=$(printf 'word%.0s ' $(seq 1 400) | sed 's/ $//')
	kennel -q company set --name "$(printf 'Happy%.0s' $(seq 1 400))"
	owners <<< $'Ann,Lee,ann@example.com'
	start_sink
	kennel -q prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	run -0 --separate-stderr kennel blast email --template portal-launch --subject "$long"
	f="$SINK_DIR/000001.eml"
	# no line of the message is over 998 characters
	[ "$(awk '{ if (length($0) > 998) n++ } END { print n + 0 }' "$f")" = 0 ]
	# decoded as RFC 2047 says: the space between two encoded words is no text
	got=$(/usr/bin/python3 -c 'import sys, email
from email.header import decode_header, make_header
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
for h in ("Subject", "From"): print(str(make_header(decode_header(m[h]))).replace("\r", "").replace("\n", ""))' "$f")
	assert_equal "$(echo "$got" | sed -n 1p)" "$long"
	assert_equal "$(echo "$got" | sed -n 2p)" "$(printf 'Happy%.0s' $(seq 1 400)) <frontdesk@happytails.example>"
}

@test "a sent reset link is gone from the database file and its WAL" {
	init_db
	kennel -q company set --reset-url 'https://happytails.example/reset?t={token}'
	owners <<< $'Ann,Lee,ann@example.com'
	kennel -q creds bulk-generate
	start_sink
	kennel -q prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	kennel -q creds reset 1 --notify
	token=$(grep -o 'reset?t=[A-Za-z0-9_-]*' "$SINK_DIR/000001.eml" | cut -d= -f2)
	[ -n "$token" ]
	run -1 grep -c "$token" "$KENNEL_DB"
	[ ! -s "$KENNEL_DB-wal" ] || run -1 grep -c "$token" "$KENNEL_DB-wal"
}
