#!/usr/bin/env bats
# kennel statement: a month of an account, shown and mailed for cron.
load test_helper
load money_helper

@test "a month's statement: opening balance, each invoice and payment with the running balance, closing" {
	shop
	KENNEL_TODAY=2026-10-05 kennel order purchase Ann Bath --checkout --on-account >/dev/null
	KENNEL_TODAY=2026-11-05 kennel order purchase Ann Bath --checkout --on-account >/dev/null
	kennel -q payment add Ann 20 --method check --ref 77 --date 2026-11-20
	KENNEL_TODAY=2026-12-02 run -0 kennel statement Ann --json
	assert_equal "$(echo "$output" | jq -c '[.month, .opening_cents, .charges_cents, .payments_cents, .closing_cents]')" '["2026-11",4000,4000,2000,6000]'
	assert_equal "$(echo "$output" | jq -c '.lines | map([.date, .what, .charge_cents, .payment_cents, .balance_cents])')" \
		'[["2026-11-05","Invoice 2",4000,0,8000],["2026-11-20","Payment, check 77",0,2000,6000]]'
	run -0 kennel statement show 1 --month 2026-10 --json
	assert_equal "$(echo "$output" | jq -c '[.opening_cents, .closing_cents, (.lines | length)]')" '[0,4000,1]'
	run -2 --separate-stderr kennel statement Ann --month 2026-13
	assert_equal "$stderr" "kennel: invalid month '2026-13' (use YYYY-MM, like 2026-11)"
}

@test "statement send: once per owner and month, to owners with activity or a balance, over real SMTP" {
	shop
	kennel owner add --first Cy --last Park --email cy@example.com >/dev/null
	kennel owner add --first Di --last Ng >/dev/null
	KENNEL_TODAY=2026-11-05 kennel order purchase Ann Bath --checkout --on-account >/dev/null
	KENNEL_TODAY=2026-10-05 kennel order purchase Bo Stick --checkout --payment cash >/dev/null
	KENNEL_TODAY=2026-11-06 kennel order purchase Di Bath --checkout --on-account >/dev/null
	kennel -q company set --pay-url 'https://pay.example/happy?invoice={order}&amount={amount}'
	start_sink
	kennel -q prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	# Ann: an invoice in November; Bo: paid in October, nothing since, balance 0; Cy: nothing;
	# Di: no email
	KENNEL_TODAY=2026-12-01 run -0 --separate-stderr kennel statement send --json
	assert_equal "$(echo "$output" | jq -c '[.queued, .already, .no_email, .sent, .failed]')" '[1,0,1,1,0]'
	assert_equal "$(sql "SELECT owner_id, month FROM statements_sent")" "1|2026-11"
	wait_until test -n "$(ls "$SINK_DIR"/*.eml 2>/dev/null)"
	stop_sink
	run -0 cat "$SINK_DIR"/*.eml
	assert_output --partial "Subject: Your Happy Tails statement for November 2026"
	assert_output --partial "Balance at the end of the month: \$40.00"
	assert_output --partial "Pay online: https://pay.example/happy?invoice=1&amount=40.00"
	# cron runs again, or twice at once: nothing twice
	KENNEL_TODAY=2026-12-01 kennel -q statement send --queue-only &
	KENNEL_TODAY=2026-12-01 kennel -q statement send --queue-only
	wait
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE kind = 'statement'")" "1"
	KENNEL_TODAY=2026-12-01 run -0 --separate-stderr kennel statement send --month 2026-11 --queue-only
	assert_equal "$stderr" "statements: 0 queued, 1 sent already, 1 owners without email; mailed 0, failed 0"
}
