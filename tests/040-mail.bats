#!/usr/bin/env bats
# kennel mail and the outbox, against a real SMTP server on 127.0.0.1.
load test_helper

mail_setup() {
	init_db
	kennel company set --portal-url https://happytails.example/portal --phone 555-0100 >/dev/null
	start_sink
	kennel prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
}

header() { # header NAME FILE
	/usr/bin/python3 -c 'import sys, email, email.header, email.policy
m = email.message_from_binary_file(open(sys.argv[2], "rb"), policy=email.policy.default)
print(m[sys.argv[1]])' "$1" "$2"
}

@test "mail goes to the file mailer beside the database by default" {
	init_db
	owners <<< "Ann,Lee,ann@example.com"
	run -0 kennel blast email --template portal-launch --queue-only
	run -0 kennel mail send
	[ -f "$BATS_TEST_TMPDIR/kennel-mail/000001.eml" ]
	assert_equal "$(header To "$BATS_TEST_TMPDIR/kennel-mail/000001.eml")" "ann@example.com"
	assert_equal "$(sql 'SELECT status FROM outbox')" "sent"
}

@test "a message arrives over SMTP as proper RFC 5322 text/plain UTF-8" {
	mail_setup
	owners <<< "Zoë,Müller,zoe@example.com"
	# the business's zone gives the Date: offset, whatever the process's TZ
	kennel -q company set --timezone America/Chicago
	TZ=Asia/Tokyo run -0 --separate-stderr kennel blast email --template portal-launch --subject "Café news: the portal is live"
	f="$SINK_DIR/000001.eml"
	[ -f "$f" ]
	assert_equal "$(header To "$f")" "zoe@example.com"
	assert_equal "$(header From "$f")" "Happy Tails <frontdesk@happytails.example>"
	assert_equal "$(header Subject "$f")" "Café news: the portal is live"
	grep -q '^Subject: =?UTF-8?B?' "$f"
	assert_equal "$(header Content-Type "$f")" "text/plain; charset=\"UTF-8\""
	assert_equal "$(header Date "$f")" "Mon, 23 Nov 2026 09:00:00 -0600"
	assert_equal "$(header Message-ID "$f")" "$(sql 'SELECT message_id FROM outbox')"
	assert_equal "$(header List-Unsubscribe "$f")" "<mailto:frontdesk@happytails.example?subject=unsubscribe%201>"
	grep -q '^Hello Zoë,' "$f"
	grep -q 'Log in here: https://happytails.example/portal' "$f"
	# CRLF line ends throughout
	[ "$(grep -c $'\r$' "$f")" -eq "$(wc -l < "$f")" ]
}

@test "a 5xx answer fails that message for good, exit 3; the others arrive" {
	mail_setup
	owners <<< $'Ann,Lee,ann@example.com\nBo,Kim,bounce5xx@example.com\nCy,Doe,cy@example.com'
	run -3 --separate-stderr kennel blast email --template portal-launch --json
	assert_equal "$(echo "$output" | jq -c '[.recipients, .queued, .sent, .failed]')" "[3,3,2,1]"
	assert_equal "$(ls "$SINK_DIR"/*.eml | wc -l)" "2"
	assert_equal "$(sql "SELECT status, attempts FROM outbox WHERE to_addr = 'bounce5xx@example.com'")" "failed|1"
	[[ "$(sql "SELECT last_error FROM outbox WHERE status = 'failed'")" == "server answered 550"* ]]
	run -0 kennel mail list --status failed --json
	assert_equal "$(echo "$output" | jq -r '.[].to')" "bounce5xx@example.com"
}

@test "a 4xx answer is retried later with backoff, with the same Message-ID" {
	mail_setup
	owners <<< $'Ann,Lee,later4xx@example.com'
	run -0 --separate-stderr kennel blast email --template portal-launch --json
	assert_equal "$(echo "$output" | jq -c '[.sent, .failed]')" "[0,0]"
	assert_equal "$(sql 'SELECT status, attempts, next_attempt_at FROM outbox')" "queued|1|2026-11-23T09:01:00"
	msgid=$(sql 'SELECT message_id FROM outbox')
	# not due yet: nothing is tried
	run -0 --separate-stderr kennel mail send --json
	assert_equal "$(echo "$output" | jq -c .)" '{"sent":0,"failed":0,"deferred":0}'
	# the address now accepts (the same message, re-addressed by the mailbox's fix)
	sql "UPDATE outbox SET to_addr = 'ann@example.com'"
	KENNEL_NOW=2026-11-23T09:01:00 run -0 --separate-stderr kennel mail send --json
	assert_equal "$(echo "$output" | jq .sent)" "1"
	assert_equal "$(header Message-ID "$SINK_DIR/000001.eml")" "$msgid"
	assert_equal "$(sql 'SELECT attempts FROM outbox')" "2"
}

@test "a dropped connection defers the message and ends the run, exit 75" {
	mail_setup
	owners <<< $'Ann,Lee,drop@example.com\nBo,Kim,bo@example.com'
	# 421 and a closed connection: the server is going away, so the run
	# stops (the other message went on a connection of its own)
	run -75 --separate-stderr kennel blast email --template portal-launch --json
	assert_equal "$(sql "SELECT status, attempts FROM outbox WHERE to_addr = 'drop@example.com'")" "queued|1"
	assert_equal "$(sql "SELECT status FROM outbox WHERE to_addr = 'bo@example.com'")" "sent"
}

@test "the server down: exit 75, nothing lost; the server up: everything arrives" {
	mail_setup
	owners <<< $'Ann,Lee,ann@example.com\nBo,Kim,bo@example.com'
	kennel blast email --template portal-launch --queue-only >/dev/null 2>&1
	stop_sink
	run -75 --separate-stderr kennel mail send
	# each connection finds the server down at once: one or both were tried
	[[ "${stderr_lines[1]}" =~ ^"sent 0, failed 0, deferred "[12]$ ]]
	assert_equal "${stderr_lines[0]}" "kennel: mail server unreachable or refusing: smtp://127.0.0.1:$SINK_PORT: Couldn't connect to server (0 sent; the rest stay queued)"
	assert_equal "$(sql "SELECT group_concat(status) FROM outbox")" "queued,queued"
	port=$SINK_PORT
	rm -f "$SINK_DIR/ready"
	/usr/bin/python3 "$TESTS_DIR/smtp_sink.py" "$port" "$SINK_DIR" 3>&- &
	SINK_PID=$!
	for _ in $(seq 1 100); do [ -e "$SINK_DIR/ready" ] && break; sleep 0.05; done
	KENNEL_NOW=2026-11-23T10:00:00 run -0 kennel mail send
	assert_equal "$(ls "$SINK_DIR"/*.eml | wc -l)" "2"
}

@test "mail retry --failed queues failed messages again" {
	mail_setup
	owners <<< $'Bo,Kim,bounce5xx@example.com'
	run -3 kennel blast email --template portal-launch
	sql "UPDATE outbox SET to_addr = 'bo@example.com'"
	run -0 --separate-stderr kennel mail retry --failed
	assert_equal "$stderr" "1 message(s) queued again: run 'kennel mail send'"
	run -0 kennel mail send
	assert_equal "$(sql 'SELECT status FROM outbox')" "sent"
	run -1 --separate-stderr kennel mail retry 1
	assert_equal "$stderr" "kennel: message 1 not found, or already sent"
}

@test "mail show prints the message; list filters by status" {
	init_db
	owners <<< $'Ann,Lee,ann@example.com'
	kennel blast email --template portal-launch --queue-only >/dev/null 2>&1
	run -0 kennel mail show 1 --json
	assert_equal "$(echo "$output" | jq -r '[.kind, .status, .to] | join(" ")')" "blast queued ann@example.com"
	echo "$output" | jq -r .message | grep -q '^Hello Ann,'
	run -0 kennel mail list --status sent --json
	assert_equal "$output" "[]"
	run -2 kennel mail list --status bounced
}

@test "creds reset --notify queues the password-reset mail and prints no link" {
	mail_setup
	kennel company set --reset-url 'https://happytails.example/reset?t={token}' >/dev/null
	owners <<< $'Ann,Lee,ann@example.com'
	kennel -q creds bulk-generate
	run -0 --separate-stderr kennel creds reset 1 --notify
	assert_output ""
	f="$SINK_DIR/000001.eml"
	assert_equal "$(header Subject "$f")" "Set your Happy Tails portal password"
	token=$(grep -o 'reset?t=[A-Za-z0-9_-]*' "$f" | cut -d= -f2)
	[ "${#token}" -eq 43 ]
	# the delivered body is gone from the outbox; the token works once
	run ! grep -c "$token" "$KENNEL_DB"
	run -0 kennel creds redeem "$token" --password-stdin <<< "a new password"
}
