#!/usr/bin/env bats
# kennel mail over TLS (STARTTLS, SMTPS) and with AUTH, against a real
# aiosmtpd server on 127.0.0.1 with a certificate made for the test.
load test_helper

# A self-signed certificate for 127.0.0.1: the server's, and the CA kennel
# is told to trust with mail.ca_file.
make_cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
		-keyout "$BATS_TEST_TMPDIR/key.pem" -out "$BATS_TEST_TMPDIR/cert.pem" 2>/dev/null
	CERT="$BATS_TEST_TMPDIR/cert.pem"
	KEY="$BATS_TEST_TMPDIR/key.pem"
}

queue_two() {
	init_db
	owners <<< $'Ann,Lee,ann@example.com\nBo,Kim,bo@example.com'
	kennel -q blast email --template portal-launch --queue-only
}

@test "STARTTLS required: the mail goes encrypted to a server whose CA is mail.ca_file" {
	make_cert
	start_sink --starttls "$CERT" "$KEY"
	queue_two
	kennel prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	kennel prefs set mail.starttls required
	kennel prefs set mail.ca_file "$CERT"
	run -0 kennel mail send
	assert_equal "$(cut -d' ' -f2 "$SINK_DIR/sessions" | sort -u)" "tls=TLSv1.3"
	assert_equal "$(ls "$SINK_DIR"/*.eml | wc -l)" "2"
	assert_equal "$(sql "SELECT group_concat(status) FROM outbox")" "sent,sent"
}

@test "a certificate kennel cannot verify stops the run: exit 1, nothing tried, then it goes" {
	make_cert
	start_sink --starttls "$CERT" "$KEY"
	queue_two
	kennel prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	kennel prefs set mail.starttls required
	run -1 --separate-stderr kennel mail send
	assert_regex "$stderr" "^kennel: the mail server refused the session: smtp://127.0.0.1:$SINK_PORT: .* \(its certificate is not trusted: see mail.ca_file\); the messages stay queued$"
	[ ! -e "$SINK_DIR/sessions" ]
	# the messages were not at fault: queued, not tried, no backoff
	assert_equal "$(sql "SELECT group_concat(status || ':' || attempts || ':' || ifnull(next_attempt_at, '-')) FROM outbox")" "queued:0:-,queued:0:-"
	kennel prefs set mail.ca_file "$CERT"
	run -0 kennel mail send
	assert_equal "$(ls "$SINK_DIR"/*.eml | wc -l)" "2"
}

@test "mail.starttls: required refuses a server without STARTTLS, try sends in the clear" {
	start_sink
	queue_two
	kennel prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	kennel prefs set mail.starttls required
	run -1 --separate-stderr kennel mail send
	assert_equal "$stderr" "kennel: the mail server refused the session: smtp://127.0.0.1:$SINK_PORT: Requested SSL level failed (it offers no STARTTLS and mail.starttls is required); the messages stay queued"
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued' AND attempts = 0")" "2"
	kennel prefs set mail.starttls try
	run -0 kennel mail send
	assert_equal "$(cut -d' ' -f2 "$SINK_DIR/sessions" | sort -u)" "tls=none"
	assert_equal "$(ls "$SINK_DIR"/*.eml | wc -l)" "2"
}

@test "smtps:// speaks TLS from the first byte" {
	make_cert
	start_sink --smtps "$CERT" "$KEY"
	queue_two
	kennel prefs set mail.url "smtps://127.0.0.1:$SINK_PORT"
	kennel prefs set mail.ca_file "$CERT"
	run -0 kennel mail send
	assert_equal "$(cut -d' ' -f2 "$SINK_DIR/sessions" | sort -u)" "tls=TLSv1.3"
	grep -q '^To: ann@example.com' "$SINK_DIR"/*.eml
}

@test "AUTH over STARTTLS from KENNEL_SMTP_USER and KENNEL_SMTP_PASSWORD; a wrong password loses nothing" {
	make_cert
	start_sink --starttls "$CERT" "$KEY" --auth 'desk:s3cret pass'
	queue_two
	kennel prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	kennel prefs set mail.ca_file "$CERT"
	run -1 --separate-stderr kennel mail send
	assert_regex "$stderr" "^kennel: the mail server refused the session: .* \(it wants AUTH: set KENNEL_SMTP_USER and KENNEL_SMTP_PASSWORD\); the messages stay queued$"
	KENNEL_SMTP_USER=desk KENNEL_SMTP_PASSWORD=wrong run -1 --separate-stderr kennel mail send
	assert_equal "$stderr" "kennel: the mail server refused the session: smtp://127.0.0.1:$SINK_PORT: Login denied (check KENNEL_SMTP_USER and KENNEL_SMTP_PASSWORD); the messages stay queued"
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued' AND attempts = 0")" "2"
	KENNEL_SMTP_USER=desk KENNEL_SMTP_PASSWORD='s3cret pass' run -0 kennel mail send
	assert_equal "$(cut -d' ' -f2- "$SINK_DIR/sessions" | sort -u)" "tls=TLSv1.3 auth=desk"
	assert_equal "$(sql "SELECT group_concat(status) FROM outbox")" "sent,sent"
	# the password is in no row and no log line
	run -1 grep -c 's3cret' "$KENNEL_DB"
}

@test "mail.ca_file must be an absolute path to a readable file" {
	init_db
	run -1 --separate-stderr kennel prefs set mail.ca_file certs/ca.pem
	assert_equal "$stderr" "kennel: invalid value 'certs/ca.pem' for mail.ca_file (allowed: the absolute path of a readable file, or '' for none)"
	run -1 --separate-stderr kennel prefs set mail.ca_file /nonexistent/ca.pem
	run -0 kennel prefs set mail.ca_file ''
}
