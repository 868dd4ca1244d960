#!/usr/bin/env bats
# kennel payment: money received, applied oldest due first, voided, refunded.
load test_helper
load money_helper

@test "payments go to the named order, else to the oldest due orders first" {
	shop
	kennel order purchase Ann Bath --checkout --on-account >/dev/null
	kennel order purchase Ann Stick --checkout --on-account >/dev/null
	kennel order purchase Ann Bath --checkout --on-account >/dev/null
	assert_equal "$(sql "SELECT group_concat(status) FROM orders")" "due,due,due"
	# --order: the stick first, the rest to the oldest
	run -0 --separate-stderr kennel payment add 1 50 --method check --ref 1001 --order 2 --json
	assert_equal "$(echo "$output" | jq -c '.applied')" '[{"order_id":2,"amount_cents":500},{"order_id":1,"amount_cents":4000},{"order_id":3,"amount_cents":500}]'
	assert_equal "$(sql "SELECT group_concat(status || ':' || paid_cents) FROM orders")" "paid:4000,paid:500,due:500"
	run -0 kennel account show 1 --json
	assert_equal "$(echo "$output" | jq -c '[.balance_cents, (.due | map([.order_id, .due_cents, .age_days]))]')" '[3500,[[3,3500,0]]]'
	run -0 kennel account show Ann
	assert_line --index 0 "owner_id: 1"
	assert_output --partial "balance: 35.00"
	# nothing due for Bo: it is credit, and said so
	run -0 --separate-stderr kennel payment add Bo 20 --method cash --json
	assert_equal "$stderr" 'payment 2: nothing is due: $20.00 kept as account credit'
	assert_equal "$(echo "$output" | jq -c '[.credit_cents, .applied]')" '[2000,[]]'
	run -1 --separate-stderr kennel payment add Ann 5 --method cash --order 2
	assert_equal "$stderr" "kennel: order 2 is paid: nothing is due on it"
	run -1 --separate-stderr kennel payment add Bo 5 --method cash --order 3
	assert_equal "$stderr" "kennel: order 3 not found for owner 2"
	kennel order purchase Ann Bath --cart >/dev/null
	run -1 --separate-stderr kennel payment add Ann 5 --method cash --order 4
	assert_equal "$stderr" "kennel: order 4 is a cart: check it out first (kennel order checkout 4 --payment TYPE)"
	balanced
}

@test "a payment voided by mistake makes its orders due again; other credit then pays them" {
	shop
	kennel order purchase Ann Bath --checkout --payment card >/dev/null
	kennel payment add Ann 10 --method cash >/dev/null
	assert_equal "$(sql "SELECT status FROM orders")" "paid"
	run -2 --separate-stderr kennel payment void 1
	assert_equal "$stderr" "kennel: a note is required: --note TEXT says why the payment is void"
	run -0 kennel payment void 1 --note "card declined" --json
	assert_equal "$(echo "$output" | jq -c '[.voided, .void_note, .applied]')" '[true,"card declined",[]]'
	# the $10 credit pays part of it again
	assert_equal "$(sql "SELECT status, paid_cents FROM orders")" "due|1000"
	run -1 --separate-stderr kennel payment void 1 --note again
	assert_equal "$stderr" "kennel: payment 1 is void already"
	run -1 --separate-stderr kennel payment void 9 --note x
	assert_equal "$stderr" "kennel: payment 9 not found"
	run -0 kennel payment list --owner Ann --json
	assert_equal "$(echo "$output" | jq -c 'map([.id, .kind, .voided])')" '[[1,"payment",true],[2,"payment",false]]'
	run -0 kennel log --owner 1
	assert_output --partial "voided: card declined"
	balanced
}

@test "a refund pays out credit, never more than the credit" {
	shop
	kennel payment add Bo 30 --method cash >/dev/null
	run -1 --separate-stderr kennel payment refund Bo 31 --method cash --note "moving away"
	assert_equal "$stderr" 'kennel: owner 2 has $30.00 of credit: a refund of $31.00 is more than that'
	run -2 --separate-stderr kennel payment refund Bo 10 --method cash
	assert_equal "$stderr" "kennel: a note is required: --note TEXT says why the money is paid back"
	run -0 kennel payment refund Bo 30 --method check --ref 2002 --note "moving away" --json
	assert_equal "$(echo "$output" | jq -c '[.kind, .amount_cents, .credit_cents]')" '["refund",3000,0]'
	run -0 kennel account show Bo --json
	assert_equal "$(echo "$output" | jq -c '[.paid_cents, .credit_cents, .balance_cents]')" '[0,0,0]'
	# the money went out: the payment it came from cannot be voided now
	run -1 --separate-stderr kennel payment void 1 --note oops
	assert_equal "$stderr" "kennel: payment 1's money was refunded to the owner already: void the refund first"
	assert_equal "$(sql 'SELECT count(*) FROM payments WHERE voided_at IS NOT NULL')" "0"
	kennel -q payment void 2 --note "check not sent"
	kennel -q payment void 1 --note "never paid"
	run -0 kennel account show Bo --json
	assert_equal "$(echo "$output" | jq -c '[.paid_cents, .credit_cents]')" '[0,0]'
	balanced
}

@test "bad amounts, methods and dates: one clear line each, nothing recorded" {
	shop
	run -2 --separate-stderr kennel payment add Ann 0 --method cash
	assert_equal "$stderr" "kennel: invalid payment amount '0': it must be more than \$0.00"
	run -2 --separate-stderr kennel payment add Ann --method cash -- -5
	assert_equal "$stderr" "kennel: invalid amount '-5': an amount is never negative"
	run -2 --separate-stderr kennel payment add Ann 12x --method cash
	assert_equal "$stderr" "kennel: invalid amount '12x' (use 12.50)"
	run -2 --separate-stderr kennel payment add Ann 10000000.01 --method cash
	assert_equal "$stderr" "kennel: amount '10000000.01' is over \$10,000,000"
	run -2 kennel payment add Ann 5 --method bitcoin
	assert_line --index 0 "kennel: invalid value 'bitcoin' for --method (choose cash|check|card|other)"
	run -1 --separate-stderr kennel payment add Ann 5 --method cash --date 2026-13-01
	[[ "$stderr" == *"2026-13-01"* ]]
	run -2 --separate-stderr kennel payment add Ann 5
	[[ "$stderr" == *"usage: kennel payment add OWNER AMOUNT --method"* ]]
	run -1 --separate-stderr kennel payment add Nobody 5 --method cash
	[[ "$stderr" == *"Nobody"* ]]
	run -2 --separate-stderr kennel order checkout 1
	[[ "$stderr" == *"(--payment TYPE [--amount MONEY] | --on-account)"* ]]
	assert_equal "$(sql 'SELECT count(*) FROM payments')" "0"
}

@test "concurrent payments for one owner lose nothing" {
	shop
	for i in 1 2 3 4; do kennel order purchase Ann Bath --checkout --on-account >/dev/null; done
	for i in 1 2 3 4 5 6 7 8; do kennel -q payment add Ann 25 --method cash & done
	wait
	assert_equal "$(sql 'SELECT count(*), sum(amount_cents) FROM payments')" "8|20000"
	assert_equal "$(sql "SELECT group_concat(status) FROM orders")" "paid,paid,paid,paid"
	run -0 kennel account show Ann --json
	assert_equal "$(echo "$output" | jq -c '[.balance_cents, .credit_cents]')" '[-4000,4000]'
	balanced
}
