#!/usr/bin/env bats
# kennel desk: a day at the front desk, morning to evening (areas: 111-area.bats).
load test_helper
load desk_helper

@test "the board: expected pets with phone, advisory flagged, the package a sign-out would use" {
	day
	printf 'owner_email,days_left,end_date,note\nann@example.com,7,03/01/2027,Use for Rex and Mia only\n' > c.csv
	kennel -q package carryover c.csv
	run -0 kennel desk
	assert_line --index 0 "Expected, boarding"
	assert_line --index 1 --regexp '^TIME +PET +OWNER +PHONE +VISIT ID +AREA +NOTES$'
	assert_line --index 2 --regexp '^- +Tom +Bo Kim +- +- +- +-$'
	assert_line --index 3 "Expected, daycare"
	assert_line --index 6 --regexp '^- +Rex +Ann Lee +555-0101 +- +- +! bites when fed; Carry Over Package \(7 left\): Use for Rex and Mia only$'
	# a person's board fits an 80-column terminal: what runs past is the
	# NOTES cell, which starts before column 50
	kennel desk > board.txt
	[ "$(grep -c '^$' board.txt)" -eq 1 ]
	run -0 awk '/NOTES$/ { print index($0, "NOTES") < 50 }' board.txt
	assert_output "1
1"
	KENNEL_TODAY=2026-12-30 run -0 kennel desk
	assert_output "Nobody expected, in or out on 2026-12-30."
	run -0 kennel desk --json
	assert_equal "$(echo "$output" | jq -c '[.date, (.expected | length), .in, .out]')" '["2026-11-23",3,[],[]]'
	assert_equal "$(echo "$output" | jq -c '.expected[2] | [.pet, .owner, .phone, .service, .request_id, .visit_id, .advisory, .package.name, .package.number_left, .package.note, .balance_cents]')" \
		'["Rex","Ann Lee","555-0101","daycare",1,null,"bites when fed","Carry Over Package",7,"Use for Rex and Mia only",0]'
	run -0 kennel desk --csv --service boarding
	assert_line --index 0 --partial 'state,service,'
	assert_line --index 1 --partial 'expected,boarding,'
	assert_equal "${#lines[@]}" 2
}

@test "the board names vaccination problems: expired and missing required ones" {
	day
	kennel -q vax add Kit rabies --expires 2026-11-01
	sql "DELETE FROM vaccinations WHERE pet_id = 4 AND type = 'distemper'"
	kennel -q desk in Kit --service daycare --force
	run -0 kennel desk --json
	assert_equal "$(echo "$output" | jq -r '.in[0].vaccination_problems')" "rabies expired 2026-11-01, distemper missing"
	run -0 kennel desk
	assert_line --partial 'vaccines: rabies expired 2026-11-01, distemper missing'
}

@test "desk in signs a pet in to its booking; a second sign-in is refused, naming the visit" {
	day
	KENNEL_NOW=2026-11-23T08:02 run -0 kennel desk in Rex --json
	assert_equal "$(echo "$output" | jq -c '.[0] | [.id, .pet, .service, .request_id, .state, .in_at, .advisory]')" \
		'[1,"Rex","daycare",1,"in","2026-11-23T08:02:00","bites when fed"]'
	run -1 --separate-stderr kennel desk in Rex
	assert_equal "$stderr" "kennel: Rex is already signed in to daycare since 08:02 (visit 1)"
	assert_equal "$(sql 'SELECT count(*) FROM visits')" "1"
	run -0 kennel log --owner 1
	assert_output --partial "Rex signed in to daycare (request 1)"
	run -0 kennel desk --json
	assert_equal "$(echo "$output" | jq -c '[(.expected | map(.pet)), (.in | map(.pet))]')" '[["Tom","Mia"],["Rex"]]'
}

@test "desk in --request REQ alone signs in all of the request's pets" {
	day
	run -0 kennel desk in --request 1 --json
	assert_equal "$(echo "$output" | jq -c 'map(.pet)')" '["Rex","Mia"]'
}

@test "a walk-in needs --service, and is booked by the approval rules or refused with their reason" {
	day
	run -1 --separate-stderr kennel desk in Kit
	assert_equal "$stderr" "kennel: Kit has no approved booking today: --service S signs Kit in as a walk-in"
	kennel -q capacity set daycare 2
	run -1 --separate-stderr kennel desk in Kit --service daycare
	assert_equal "$stderr" "kennel: Kit cannot be signed in to daycare as a walk-in: over capacity on 2026-11-23 (2 of 2 taken); --force signs in anyway, recorded as forced"
	assert_equal "$(sql 'SELECT count(*) FROM visits')" "0"
	assert_equal "$(sql 'SELECT count(*) FROM requests')" "2"
	run -0 kennel desk in Kit --service daycare --force --json
	assert_equal "$(echo "$output" | jq -c '.[0] | [.request_id, .forced]')" '[3,true]'
	assert_equal "$(sql "SELECT status, forced, note FROM requests WHERE id = 3")" "approved|1|walk-in at the desk"
}

@test "desk out uses a package day, the one ending first, named in its history" {
	day
	kennel -q order purchase 1 "10 Day Pack" --checkout --payment card
	kennel -q package modify 2 --end 2026-12-31 --note "ends first"
	kennel -q desk in Rex
	KENNEL_NOW=2026-11-23T17:00 run -0 kennel desk out Rex --json
	assert_equal "$(echo "$output" | jq -c '.[0] | [.state, .units, .package_uses, .charge_cents, .order_id]')" \
		'["out",1,[{"package_id":2,"days":1}],0,null]'
	assert_equal "$(sql 'SELECT id, number_left FROM packages ORDER BY id' | tr '\n' ' ')" "1|10 2|9 "
	run -0 kennel package history 2 --json
	assert_equal "$(echo "$output" | jq -r '.[-1] | "\(.action) \(.note)"')" "used visit 1 (daycare, 2026-11-23)"
	assert_equal "$(sql 'SELECT count(*) FROM orders')" "2"
	run -0 kennel desk --json
	assert_equal "$(echo "$output" | jq -c '.out | map([.pet, .out_at])')" '[["Rex","2026-11-23T17:00:00"]]'
}

@test "desk out charges the cart when no package covers the visit; a repeated sign-out charges once" {
	day
	kennel -q package modify 1 --left 0 --note "used up"
	kennel -q desk in Rex Mia
	run -0 kennel desk out Rex --json
	assert_equal "$(echo "$output" | jq -c '.[0] | [.charge_cents, .order_id, .package_uses]')" '[3000,2,[]]'
	run -1 --separate-stderr kennel desk out Rex
	assert_equal "$stderr" "kennel: Rex is not signed in: signed out of daycare at 09:00 (visit 1)"
	run -0 kennel desk out Mia
	run -0 kennel order show 2 --json
	assert_equal "$(echo "$output" | jq -c '[.status, .total_cents, (.items | map([.name, .qty, .price_cents]))]')" \
		'["cart",6000,[["Daycare",1,3000],["Daycare",1,3000]]]'
	assert_equal "$(sql 'SELECT group_concat(visit_id) FROM order_items WHERE order_id = 2')" "1,2"
}

@test "desk out --pay checks the cart out at once" {
	day
	KENNEL_TODAY=2026-11-24 kennel -q desk in Tom
	KENNEL_TODAY=2026-11-25 run -0 kennel desk out Tom --pay card --json
	assert_equal "$(echo "$output" | jq -c '.[0] | [.units, .charge_cents]')" '[1,5500]'
	assert_equal "$(sql 'SELECT status, payment_type, total_cents, paid_cents FROM orders WHERE id = 2')" "paid|card|5500|5500"
}

@test "a boarding stay is charged per night stayed" {
	day
	KENNEL_NOW=2026-11-22T16:00 kennel -q desk in Tom
	KENNEL_TODAY=2026-11-24 run -0 kennel desk --json
	assert_equal "$(echo "$output" | jq -c '[(.in | map(.pet)), .expected]')" '[["Tom"],[]]'
	KENNEL_TODAY=2026-11-25 KENNEL_NOW=2026-11-25T10:00 run -0 kennel desk out Tom --json
	assert_equal "$(echo "$output" | jq -c '.[0] | [.units, .charge_cents]')" '[3,16500]'
	assert_equal "$(sql 'SELECT qty, price_cents FROM order_items WHERE order_id = 2')" "3|5500"
}

@test "a stay's add-ons are charged once, with its first pet signed out" {
	day
	kennel pet add 2 --name Ivy --species cat >/dev/null
	for v in rabies distemper bordetella; do kennel -q vax add Ivy "$v" --expires 2027-10-01; done
	kennel request add 2 --service boarding --pet Tom,Ivy --start 2026-11-26 --end 2026-11-28 --addon Bath >/dev/null
	kennel -q request approve 3
	KENNEL_TODAY=2026-11-26 kennel -q desk in --request 3
	KENNEL_TODAY=2026-11-28 run -0 kennel desk out Tom --json
	assert_equal "$(echo "$output" | jq '.[0].charge_cents')" "12500"
	KENNEL_TODAY=2026-11-28 run -0 kennel desk out Ivy --json
	assert_equal "$(echo "$output" | jq '.[0].charge_cents')" "11000"
	run -0 kennel order show 2 --json
	assert_equal "$(echo "$output" | jq -c '.items | map([.name, .qty, .price_cents])')" '[["Boarding night",2,5500],["Bath",1,1500],["Boarding night",2,5500]]'
}

@test "a day visit picked up late is charged the fee, a product of type fee made on first use" {
	day
	kennel -q prefs set desk.late_after 17:30
	kennel -q prefs set desk.late_fee 12.50
	kennel -q desk in Kit --service daycare
	KENNEL_NOW=2026-11-23T18:05 run -0 kennel desk out Kit --json
	assert_equal "$(echo "$output" | jq '.[0].charge_cents')" "4250"
	run -0 kennel order show 2 --json
	assert_equal "$(echo "$output" | jq -c '.items | map([.name, .price_cents])')" '[["Daycare",3000],["Late pick-up fee",1250]]'
	assert_equal "$(sql "SELECT type, price_cents, show_to_owner FROM products WHERE name = 'Late pick-up fee'")" "fee|1250|0"
	kennel -q desk undo 1
	KENNEL_NOW=2026-11-23T17:10 run -0 kennel desk out Kit --json
	assert_equal "$(echo "$output" | jq '.[0].charge_cents')" "3000"
	assert_equal "$(sql "SELECT count(*) FROM products WHERE type = 'fee'")" "1"
}

@test "a visit with no product to choose is refused with the candidates, nothing changed" {
	day
	kennel product add --name "Half day" --type daycare --price 18 >/dev/null
	kennel -q desk in Rex
	run -1 --separate-stderr kennel desk out Rex --no-package
	assert_equal "$stderr" "kennel: Rex's daycare visit could be charged at 2 products: --product chooses one of 1 Daycare \$30.00, 5 Half day \$18.00"
	assert_equal "$(sql "SELECT state FROM visits")" "in"
	assert_equal "$(sql "SELECT count(*) FROM orders")" "1"
	run -0 kennel desk out Rex --no-package --product "Half day" --json
	assert_equal "$(echo "$output" | jq '.[0].charge_cents')" "1800"
	kennel -q desk in Kit --service grooming
	run -1 --separate-stderr kennel desk out Kit
	assert_equal "$stderr" "kennel: Kit's grooming visit has no product to charge: add one (kennel product add --type grooming) or give --product"
}

@test "a \$0 cart at sign-out is checked out with no-payment by itself" {
	day
	kennel product add --name "Welcome treat" --type retail --price 0 >/dev/null
	kennel -q order purchase 1 "Welcome treat" --cart
	kennel -q desk in Rex
	run -0 kennel desk out Rex
	assert_equal "$(sql 'SELECT status, payment_type FROM orders WHERE id = 2')" "paid|no-payment"
}

@test "desk undo gives the package days back and takes the charges out of the open cart" {
	day
	kennel -q desk in Rex Mia
	kennel -q desk out Rex
	kennel -q desk out Mia --no-package
	run -2 kennel desk undo 1 2
	run -0 kennel desk undo 1 --note "still in the yard"
	run -0 kennel desk undo 2
	assert_equal "$(sql 'SELECT group_concat(state) FROM visits')" "in,in"
	assert_equal "$(sql 'SELECT number_left FROM packages')" "10"
	assert_equal "$(sql 'SELECT total_cents, (SELECT count(*) FROM order_items WHERE order_id = 2) FROM orders WHERE id = 2')" "0|0"
	run -0 kennel package history 1 --json
	assert_equal "$(echo "$output" | jq -r '.[-1] | "\(.action) \(.left_after) \(.note)"')" "sign-out undone 10 visit 1: still in the yard"
	run -1 --separate-stderr kennel desk undo 1
	assert_equal "$stderr" "kennel: visit 1 is signed in: there is no sign-out to undo"
	run -0 kennel log --owner 1
	assert_output --partial "sign-out of Rex undone: still in the yard"
}

@test "desk undo of a paid charge credits the account, and the credit pays the next visit" {
	day
	kennel -q desk in Rex
	kennel -q desk out Rex --no-package --pay cash
	assert_equal "$(sql 'SELECT status, total_cents, paid_cents FROM orders WHERE id = 2')" "paid|3000|3000"
	run -0 kennel desk undo 1 --note "wrong pet"
	assert_equal "$(sql 'SELECT state, order_id IS NULL FROM visits')" "in|1"
	# the invoice was issued: it keeps its line; the owner gets the amount back as credit
	assert_equal "$(sql 'SELECT status, total_cents, paid_cents FROM orders WHERE id = 2')" "paid|3000|3000"
	assert_equal "$(sql "SELECT kind, amount_cents, method IS NULL, visit_id, note FROM payments WHERE kind = 'credit'")" "credit|3000|1|1|visit 1: wrong pet"
	run -0 kennel account show 1 --json
	assert_equal "$(echo "$output" | jq -c '[.charged_cents, .paid_cents, .credits_cents, .credit_cents, .balance_cents]')" '[28000,28000,3000,3000,-3000]'
	# signed out again (no --pay): the cart is checked out by hand, the credit first
	kennel -q desk out Rex --no-package
	run -0 kennel order checkout 3 --on-account --json
	assert_equal "$(echo "$output" | jq -c '[.status, .paid_cents, .payments[0].kind]')" '["paid",3000,"credit"]'
	run -0 --separate-stderr kennel report unbalanced
	assert_output ""
	assert_equal "$stderr" "every order and payment adds up"
}

@test "bad input at the desk: one clear line, exit 1 or 2, nothing changed" {
	day
	run -1 --separate-stderr kennel desk out Rex
	assert_equal "$stderr" "kennel: Rex is not signed in (kennel desk in Rex)"
	run -1 --separate-stderr kennel desk in Zed
	assert_equal "$stderr" "kennel: pet 'Zed' not found (use an id, a name, ext:ID or OWNER/NAME)"
	run -2 --separate-stderr kennel desk in Kit --service spa
	assert_equal "${stderr_lines[0]}" "kennel: invalid value 'spa' for --service (choose boarding|daycare|grooming|training|service)"
	run -2 --separate-stderr kennel desk out Rex --amount 5
	assert_equal "${stderr_lines[0]}" "kennel: --amount needs --pay TYPE"
	run -2 --separate-stderr kennel desk frobnicate
	assert_equal "$(sql 'SELECT count(*) FROM visits')" "0"
}

@test "-n shows the sign-in and sign-out and changes nothing" {
	day
	run -0 kennel -n desk in Rex --json
	assert_equal "$(echo "$output" | jq -r '.[0].pet')" "Rex"
	assert_equal "$(sql 'SELECT count(*) FROM visits')" "0"
	kennel -q desk in Rex
	run -0 kennel -n desk out Rex --no-package --pay cash
	assert_equal "$(sql "SELECT state FROM visits")" "in"
	assert_equal "$(sql 'SELECT count(*) FROM orders')" "1"
}

@test "a report card is queued to the owner once per visit" {
	day
	kennel -q desk in Rex
	run -0 kennel desk out Rex --card "Rex played fetch all day."
	assert_equal "$(sql "SELECT kind, to_addr, subject FROM outbox")" "report-card|ann@example.com|Rex's report card from Happy Tails"
	sql "SELECT raw FROM outbox" | grep -q "Rex played fetch all day."
	run -0 --separate-stderr kennel desk card 1 "Rex played fetch, then napped." --send
	assert_equal "$stderr" "kennel: the report card of visit 1 was not mailed: it was mailed already, or the owner has no email"
	assert_equal "$(sql "SELECT count(*) FROM outbox")" "1"
	assert_equal "$(sql "SELECT card FROM visits")" "Rex played fetch, then napped."
	start_sink
	kennel -q prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	kennel -q mail send
	wait_until test -n "$(ls "$SINK_DIR"/*.eml 2>/dev/null)"
	grep -q "Here is how Rex's daycare went on" "$SINK_DIR"/*.eml
}

@test "two desks signing the same pet in at once make one visit; two sign-outs charge once" {
	day
	kennel -q package modify 1 --left 0 --note "used up"
	for i in 1 2 3 4; do kennel desk in Rex >/dev/null 2>&1 & done
	wait
	assert_equal "$(sql 'SELECT count(*) FROM visits')" "1"
	for i in 1 2 3 4; do kennel desk out Rex >/dev/null 2>&1 & done
	wait
	assert_equal "$(sql 'SELECT count(*) FROM order_items WHERE visit_id = 1')" "1"
	assert_equal "$(sql 'SELECT total_cents FROM orders WHERE id = 2')" "3000"
}

@test "desk list: visit history by owner, pet, dates and state" {
	day
	kennel -q desk in Rex Mia
	kennel -q desk out Rex
	KENNEL_TODAY=2026-11-24 kennel -q desk in Tom
	run -0 kennel desk list --owner 1 --json
	assert_equal "$(echo "$output" | jq -c 'map([.pet, .state])')" '[["Rex","out"],["Mia","in"]]'
	run -0 kennel desk list --state in --from 2026-11-24 --json
	assert_equal "$(echo "$output" | jq -c 'map(.pet)')" '["Tom"]'
	run -0 kennel desk list --pet Rex
	assert_line --index 0 --regexp '^ID +PET +OWNER +SERVICE'
	assert_line --index 1 --partial '10 Day Pack: 1 day (9 left)'
}

@test "a database of schema 15 upgrades to the desk with its products and references intact" {
	day
	kennel request add 2 --service boarding --pet Tom --start 2026-12-01 --end 2026-12-03 --addon Bath >/dev/null
	# back to schema 15: no desk tables, products without the type fee
	sql "$DROP_SERIES"
	sql "$DROP_MONEY"
	sql "DROP TABLE visit_package_uses; DROP INDEX order_items_visit; ALTER TABLE order_items DROP COLUMN visit_id; DROP TABLE visits; DROP TABLE areas; CREATE TABLE p15 AS SELECT * FROM products; DROP TABLE products; CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (name <> ''), type TEXT NOT NULL CHECK (type IN ('boarding', 'daycare', 'grooming', 'training', 'service', 'daycare-package', 'boarding-package', 'other-package', 'retail')), price_cents INTEGER NOT NULL CHECK (price_cents >= 0), quantity INTEGER, days INTEGER, days_active INTEGER, show_to_owner INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1); INSERT INTO products SELECT * FROM p15; DROP TABLE p15; PRAGMA user_version = 15"
	run -1 --separate-stderr kennel desk
	run -0 --separate-stderr kennel init
	assert_equal "$(sql 'PRAGMA user_version')" "$(latest_schema)"
	run -0 sqlite3 "$KENNEL_DB" 'PRAGMA foreign_key_check'
	assert_output ""
	run -0 sqlite3 "$KENNEL_DB" "SELECT name FROM sqlite_schema WHERE instr(sql, 'products_with_fee') OR instr(sql, 'p15')"
	assert_output ""
	assert_equal "$(sql "SELECT group_concat(\"table\") FROM pragma_foreign_key_list('packages')")" "orders,products,owners"
	assert_equal "$(sql 'SELECT count(*) FROM products')" "4"
	assert_equal "$(sql 'SELECT count(*) FROM request_addons')" "1"
	kennel -q prefs set desk.late_after 08:00
	kennel -q prefs set desk.late_fee 5
	kennel -q desk in Rex
	run -0 kennel desk out Rex --no-package --json
	assert_equal "$(echo "$output" | jq '.[0].charge_cents')" "3500"
}

@test "a carry-over for an owner with a pet in is placed in her cart, usable at once, processed at sign-out" {
	day
	kennel -q desk in Rex
	printf 'owner_email,days_left,end_date\nann@example.com,3,01/31/2027\nbo@example.com,2,01/31/2027\n' > c.csv
	run -0 kennel package carryover c.csv
	assert_equal "$(sql "SELECT owner_id, status, coalesce(payment_type, '-') FROM orders WHERE carryover_key IS NOT NULL ORDER BY id" | tr '\n' ' ')" "1|cart|- 2|paid|no-payment "
	assert_equal "$(sql "SELECT count(*) FROM packages WHERE name = 'Carry Over Package'")" "2"
	run -0 kennel desk out Rex --json
	assert_equal "$(echo "$output" | jq -c '.[0] | [.package_uses, .charge_cents]')" '[[{"package_id":2,"days":1}],0]'
	assert_equal "$(sql "SELECT status, payment_type FROM orders WHERE id = 2")" "paid|no-payment"
	assert_equal "$(sql "SELECT number_left FROM packages WHERE id = 2")" "2"
	assert_equal "$(sql "SELECT count(*) FROM packages")" "3"
}

@test "a sign-out of many pets killed at random moments leaves each visit settled or not at all" {
	init_db
	/usr/bin/python3 "$ROOT/tests/bench/gen_owners.py" 300 > o.csv
	kennel -q owner import o.csv
	kennel product add --name Daycare --type daycare --price 30 >/dev/null
	kennel product add --name "5 Day Pack" --type daycare-package --price 100 --days 5 --days-active 90 >/dev/null
	for o in $(seq 1 2 300); do kennel -q order purchase "$o" "5 Day Pack" --checkout --payment cash; done
	awk -F, 'NR > 1 { print NR - 1 ",Dog" NR - 1 }' o.csv | { echo "owner_id,name"; cat; } > p.csv
	kennel -q pet import p.csv
	kennel -q prefs set portal.require_current_vaccinations false
	kennel -q prefs set vaccines.required ""
	kennel -q desk in $(seq 1 300) --service daycare
	for i in 1 2 3 4; do
		"$KENNEL" desk out $(seq 1 300) >/dev/null 2>&1 &
		pid=$!
		sleep "0.0$((RANDOM % 9 + 1))"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		run -0 kennel db check
		out=$(sql "SELECT count(*) FROM visits WHERE state = 'out'")
		[ "$out" -eq 0 ] || [ "$out" -eq 300 ]
		# a visit out has its package day or its charge; one in has neither
		assert_equal "$(sql "SELECT count(*) FROM visits v WHERE (v.state = 'out') <> (EXISTS (SELECT 1 FROM visit_package_uses u WHERE u.visit_id = v.id) OR EXISTS (SELECT 1 FROM order_items i WHERE i.visit_id = v.id))")" "0"
		[ "$out" -eq 0 ] || break
	done
	[ "$out" -eq 300 ] || run -0 kennel desk out $(seq 1 300)
	assert_equal "$(sql "SELECT count(*) FROM visit_package_uses")" "150"
	assert_equal "$(sql "SELECT count(*) FROM order_items WHERE visit_id IS NOT NULL")" "150"
	assert_equal "$(sql "SELECT sum(number_left) FROM packages")" "600"
}
