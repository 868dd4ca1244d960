#!/usr/bin/env bats
# Money: invoices that are due until paid, payments applied oldest first,
# credit, voids, refunds, balances and the ledger's own check.
load test_helper
load money_helper

@test "an underpaid checkout is due with its balance; a later payment pays it; the rest is credit" {
	shop
	kennel order purchase Ann Bath --cart >/dev/null
	run -0 kennel order checkout 1 --payment cash --amount 30 --json
	assert_equal "$(echo "$output" | jq -c '[.status, .payment_type, .total_cents, .paid_cents, .due_cents]')" '["due","cash",4000,3000,1000]'
	assert_equal "$(echo "$output" | jq -c '.payments | map([.payment_id, .method, .amount_cents])')" '[[1,"cash",3000]]'
	run -0 --separate-stderr kennel payment add Ann 25 --method card --ref 4411 --json
	assert_equal "$stderr" 'payment 2: $10.00 applied to orders, $15.00 kept as account credit'
	assert_equal "$(echo "$output" | jq -c '[.id, .amount_cents, .method, .ref, .credit_cents, .applied]')" \
		'[2,2500,"card","4411",1500,[{"order_id":1,"amount_cents":1000}]]'
	assert_equal "$(sql 'SELECT status, paid_cents FROM orders WHERE id = 1')" "paid|4000"
	# the credit is applied first at the next checkout: a $5 stick needs no cash
	run -0 kennel order purchase Ann Stick --checkout --payment cash --json
	assert_equal "$(echo "$output" | jq -c '[.status, .paid_cents, .payments[0].payment_id]')" '["paid",500,2]'
	assert_equal "$(sql "SELECT count(*) FROM payments")" "2"
	run -0 kennel account show Ann --json
	assert_equal "$(echo "$output" | jq -c '[.owner_id, .charged_cents, .paid_cents, .credit_cents, .balance_cents, (.due | length), (.payments | map(.id))]')" \
		'[1,4500,5500,1000,-1000,0,[2,1]]'
	balanced
}

@test "voiding a paid order gives its money back as credit, which pays the next due order" {
	shop
	kennel order purchase Ann "10 Day Pack" --checkout --payment card >/dev/null
	kennel order purchase Ann Bath --checkout --on-account >/dev/null
	run -0 kennel order void 1 --note "wrong pack" --json
	assert_equal "$(echo "$output" | jq -c '[.status, .paid_cents, .payments]')" '["void",0,[]]'
	assert_equal "$(sql "SELECT status, paid_cents FROM orders WHERE id = 2")" "paid|4000"
	run -0 kennel account show Ann --json
	assert_equal "$(echo "$output" | jq -c '[.charged_cents, .paid_cents, .credit_cents, .balance_cents]')" '[4000,25000,21000,-21000]'
	balanced
}

@test "report balances: aged by checkout day, a call list; credit shown apart" {
	shop
	KENNEL_TODAY=2026-08-01 kennel order purchase Ann Bath --checkout --on-account >/dev/null
	KENNEL_TODAY=2026-10-20 kennel order purchase Ann Stick --checkout --on-account >/dev/null
	KENNEL_TODAY=2026-11-25 kennel order purchase Ann Bath --checkout --payment cash --amount 30 >/dev/null
	kennel payment add Bo 12.50 --method cash >/dev/null
	KENNEL_TODAY=2026-12-01 run -0 kennel report balances --json
	assert_equal "$(echo "$output" | jq -c 'map([.owner, .balance_cents, .current_cents, .days_31_60_cents, .days_61_90_cents, .over_90_cents, .credit_cents, .phone, .email])')" \
		'[["Ann Lee",5500,1000,500,0,4000,0,"555-0101","ann@example.com"],["Bo Kim",-1250,0,0,0,0,1250,null,"bo@example.com"]]'
	KENNEL_TODAY=2026-12-01 run -0 kennel report balances
	assert_line --index 0 --regexp '^OWNER ID +OWNER +BALANCE +CURRENT'
	assert_line --index 1 --regexp '^1 +Ann Lee +55.00 +10.00 +5.00 +0.00 +40.00 +0.00 +555-0101 +ann@example.com$'
}

@test "report unbalanced and the doctor find each kind of ledger that does not add up" {
	shop
	for i in 1 2 3 4 5 6; do kennel order purchase Ann Bath --checkout --payment cash >/dev/null; done
	sql "UPDATE orders SET total_cents = 3500 WHERE id = 1"             # items disagree
	sql "UPDATE orders SET status = 'void' WHERE id = 2"                # void, holding a payment
	sql "UPDATE payment_applications SET amount_cents = 5000 WHERE order_id = 3; UPDATE payments SET amount_cents = 5000 WHERE id = 3" # beyond the total
	sql "UPDATE payment_applications SET amount_cents = 1000 WHERE order_id = 4; UPDATE orders SET paid_cents = 1000 WHERE id = 4" # paid, below
	sql "UPDATE orders SET status = 'due' WHERE id = 5"                 # due, but covered
	sql "UPDATE orders SET paid_cents = 3900 WHERE id = 6"              # the sum disagrees
	run -0 kennel report unbalanced --json
	assert_equal "$(echo "$output" | jq -c 'map([.entity, .id, .reason])')" \
		'[["order",1,"items sum to $40.00, total is $35.00"],["order",2,"void, holding payments of $40.00"],["order",3,"payments of $50.00 applied beyond its total of $40.00"],["order",4,"paid, with $10.00 of $40.00 paid"],["order",5,"due, with $40.00 of $40.00 paid"],["order",6,"shows $39.00 paid, its payments say $40.00"]]'
	assert_equal "$(sql 'SELECT sum(total_cents), sum(paid_cents) FROM orders')" "23500|20900"
	run -0 --separate-stderr kennel doctor --json
	assert_equal "$(echo "$output" | jq -c '[.[] | select(.check == "unbalanced-order") | .id]')" '[1,2,3,4,5,6]'
}

@test "a database of schema 16 moves its orders to the new statuses exactly, and the doctor says what changed" {
	shop
	kennel order purchase Ann Bath --cart >/dev/null
	# back to schema 16, with the old statuses and a checkout's paid_cents
	sql "$DROP_SERIES"
	sql "$DROP_MONEY"
	sql "CREATE TABLE o16 AS SELECT id, owner_id, status, payment_type, total_cents, paid_cents, note, created_at, paid_at, carryover_key FROM orders; DROP TABLE orders;
		CREATE TABLE orders (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES owners (id), status TEXT NOT NULL CHECK (status IN ('cart', 'paid', 'void')), payment_type TEXT, total_cents INTEGER NOT NULL DEFAULT 0, paid_cents INTEGER NOT NULL DEFAULT 0, note TEXT, created_at TEXT NOT NULL, paid_at TEXT, carryover_key TEXT UNIQUE);
		INSERT INTO orders SELECT * FROM o16; DROP TABLE o16;
		INSERT INTO orders (owner_id, status, payment_type, total_cents, paid_cents, created_at, paid_at) VALUES
		 (1, 'paid', 'card', 4000, 4000, '2026-10-01T10:00:00', '2026-10-01T10:00:00'),
		 (1, 'paid', 'cash', 4000, 3000, '2026-10-02T10:00:00', '2026-10-02T10:00:00'),
		 (2, 'paid', 'cash', 500, 2000, '2026-10-03T10:00:00', '2026-10-03T10:00:00'),
		 (2, 'void', 'card', 4000, 4000, '2026-10-04T10:00:00', '2026-10-04T10:00:00'),
		 (2, 'paid', 'no-payment', 0, 0, '2026-10-05T10:00:00', '2026-10-05T10:00:00');
		INSERT INTO order_items (order_id, product_id, qty, price_cents) VALUES (2, 1, 1, 4000), (3, 1, 1, 4000), (4, 2, 1, 500), (5, 1, 1, 4000);
		PRAGMA user_version = 16"
	run -0 --separate-stderr kennel init
	assert_equal "$(sql 'PRAGMA user_version')" "$(latest_schema)"
	run -0 sqlite3 "$KENNEL_DB" 'PRAGMA foreign_key_check'
	assert_output ""
	assert_equal "$(sql "SELECT group_concat(id || ':' || status || ':' || paid_cents || ':' || coalesce(substr(checked_out_at, 1, 10), '-'), ' ') FROM orders")" \
		"1:cart:0:- 2:paid:4000:2026-10-01 3:due:3000:2026-10-02 4:paid:500:2026-10-03 5:void:0:2026-10-04 6:paid:0:2026-10-05"
	assert_equal "$(sql "SELECT group_concat(owner_id || ':' || amount_cents || ':' || method || ':' || date, ' ') FROM payments")" \
		"1:4000:card:2026-10-01 1:3000:cash:2026-10-02 2:2000:cash:2026-10-03"
	run -0 kennel account show Bo --json
	assert_equal "$(echo "$output" | jq -c '[.charged_cents, .paid_cents, .credit_cents, .balance_cents]')" '[500,2000,1500,-1500]'
	run -0 --separate-stderr kennel doctor --json
	assert_equal "$(echo "$output" | jq -c '[.[] | select(.check == "upgrade-changed") | [.severity, .id, .detail]]')" \
		'[["info",3,"schema 17: was paid with $30.00 of $40.00: now due $10.00"],["info",4,"schema 17: $15.00 paid above its total of $5.00: now account credit"],["info",5,"schema 17: void, with $40.00 paid at checkout: no payment recorded for it (record a payment or refund if money is owed)"]]'
	balanced
}

@test "the invoice is mailed at checkout (--send) and later (order send), with the pay link or the billing instructions" {
	shop
	kennel order purchase Ann Bath --cart >/dev/null
	kennel -q company instructions set billing --file - <<< "Pay at the front desk, or by check to Happy Tails."
	run -0 --separate-stderr kennel order checkout 1 --payment cash --amount 10 --send
	assert_equal "$stderr" "invoice 1 queued to the owner ('kennel mail send' sends it)"
	assert_equal "$(sql "SELECT kind, to_addr, subject FROM outbox")" 'invoice|ann@example.com|Invoice 1 from Happy Tails: $30.00 due'
	kennel -q company set --pay-url 'https://pay.example/happy?invoice={order}&amount={amount}&c={owner}'
	KENNEL_NOW=2026-11-23T10:00:01 run -0 --separate-stderr kennel order send 1
	start_sink
	kennel -q prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	kennel -q mail send
	wait_until test "$(ls "$SINK_DIR"/*.eml 2>/dev/null | wc -l)" -eq 2
	stop_sink
	run -0 cat "$SINK_DIR"/*.eml
	assert_output --partial "  Bath x 1: \$40.00"
	assert_output --partial "Due: \$30.00"
	assert_output --partial "Pay at the front desk, or by check to Happy Tails."
	assert_output --partial "Pay online: https://pay.example/happy?invoice=1&amount=30.00&c=1"
	# a cart or a void order is no invoice to send
	kennel order purchase Bo Bath --cart >/dev/null
	run -1 --separate-stderr kennel order send 2
	assert_equal "$stderr" "kennel: order 2 is cart: only a checked-out order is an invoice to send"
	run -0 kennel log --owner 1
	assert_output --partial "invoice queued to ann@example.com"
}

@test "deposits: approving a stay invoices its deposit; its sign-out charges the price less the deposit" {
	shop
	kennel product add --name "Boarding night" --type boarding --price 50 >/dev/null
	kennel pet add 1 --name Rex >/dev/null
	kennel pet add 1 --name Mia >/dev/null
	kennel -q prefs set vaccines.required ""
	kennel -q prefs set portal.boarding_deposit 20%
	kennel request add Ann --service boarding --pet Rex,Mia --start 2026-11-23 --end 2026-11-26 >/dev/null
	kennel -q request approve 1
	# 3 nights x 2 pets x $50 = $300: a 20% deposit of $60, due
	assert_equal "$(sql "SELECT id, status, total_cents, note, deposit_request_id FROM orders")" "1|due|6000|Deposit for request 1|1"
	kennel -q payment add Ann 60 --method card
	assert_equal "$(sql "SELECT status FROM orders WHERE id = 1")" "paid"
	kennel -q desk in Rex Mia
	KENNEL_TODAY=2026-11-26 kennel -q desk out Rex Mia
	# the cart: 3 nights for each pet, and the deposit off once, naming its order
	assert_equal "$(sql "SELECT p.name, i.qty, i.price_cents, coalesce(i.deposit_of, '-') FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = 2 ORDER BY i.id" | tr '\n' ' ')" \
		"Boarding night|3|5000|- Boarding deposit|1|-6000|1 Boarding night|3|5000|- "
	assert_equal "$(sql "SELECT status, total_cents FROM orders WHERE id = 2")" "cart|24000"
	balanced
	# a money deposit, and a cancellation that voids it: paid, it is credit
	kennel -q prefs set portal.boarding_deposit 25
	kennel request add Ann --service boarding --pet Rex --start 2026-12-10 --end 2026-12-12 >/dev/null
	kennel -q request approve 2
	assert_equal "$(sql "SELECT total_cents, status FROM orders WHERE deposit_request_id = 2")" "2500|due"
	kennel -q payment add Ann 25 --method cash
	kennel -q request cancel 2 --void-deposit
	assert_equal "$(sql "SELECT status FROM orders WHERE deposit_request_id = 2")" "void"
	run -0 kennel account show Ann --json
	assert_equal "$(echo "$output" | jq -r .credit_cents)" "2500"
	# without --void-deposit the deposit stays as it is
	kennel request add Ann --service boarding --pet Mia --start 2026-12-20 --end 2026-12-21 >/dev/null
	kennel -q request approve 3
	kennel -q request cancel 3
	assert_equal "$(sql "SELECT status, paid_cents FROM orders WHERE deposit_request_id = 3")" "paid|2500"
	balanced
}

@test "a stay's change approved by staff keeps its one deposit" {
	shop
	kennel product add --name "Boarding night" --type boarding --price 50 >/dev/null
	kennel pet add 1 --name Rex >/dev/null
	kennel -q prefs set vaccines.required ""
	kennel -q prefs set portal.boarding_deposit 25
	kennel -q request add Ann --service boarding --pet Rex --start 2026-12-10 --end 2026-12-12
	kennel -q request approve 1
	kennel -q payment add Ann 25 --method card
	# the change the portal makes in request mode: a request replacing the booking
	sql "INSERT INTO requests (owner_id, service, start, end, requested_at, status, replaces_id) VALUES (1, 'boarding', '2026-12-11', '2026-12-13', '2026-11-23T09:00:00', 'pending', 1); INSERT INTO request_pets VALUES (2, 1)"
	kennel -q request approve 2
	assert_equal "$(sql "SELECT count(*), group_concat(deposit_request_id), group_concat(status) FROM orders")" "1|2|paid"
	assert_equal "$(sql "SELECT status FROM requests WHERE id = 1")" "cancelled"
	balanced
}
