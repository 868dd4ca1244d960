#!/usr/bin/env bats
# kennel request, capacity and block: the rules, and optimal auto-approval.
load test_helper

kennels() {
	init_db
	kennel owner add --first Ann --last Lee --email ann@example.com >/dev/null
	kennel pet add 1 --name Rex >/dev/null
	kennel pet add 1 --name Mia >/dev/null
	for pet in 1/Rex 1/Mia; do
		for t in rabies distemper bordetella; do kennel vax add "$pet" "$t" --expires 2027-06-01 >/dev/null; done
	done
	kennel capacity set boarding 1
}

@test "request add records a pending request; boarding needs an end after the start" {
	kennels
	run -0 kennel request add ann@example.com --service boarding --pet Rex,Mia --start 2026-12-01 --end 12/05/2026 --json
	assert_equal "$(echo "$output" | jq -c '[.id, .owner_id, .pets, .service, .start, .end, .status]')" \
		'[1,1,[1,2],"boarding","2026-12-01","2026-12-05","pending"]'
	run -1 --separate-stderr kennel request add 1 --service boarding --pet Rex --start 2026-12-01
	assert_equal "$stderr" "kennel: a boarding request needs --end after --start (the nights start <= d < end)"
}

@test "request list for people: a header row, the owner's and pets' names, the drop-off time" {
	kennels
	kennel owner add --first Bo --last Kim >/dev/null
	kennel pet add 2 --name Ziggy >/dev/null
	kennel request add 1 --service boarding --pet Rex,Mia --start 2026-12-01T08:30 --end 2026-12-05T17:15 >/dev/null
	kennel request add 2 --service daycare --pet Ziggy --start 2026-12-02 --force >/dev/null
	run -0 kennel request list
	assert_equal "${#lines[@]}" "3"
	assert_line --index 0 --regexp '^ID +OWNER ID +OWNER +PET NAMES +SERVICE +START +START TIME +END +STATUS +REASON$'
	assert_line --index 1 --regexp '^1 +1 +Ann Lee +Mia, Rex +boarding +2026-12-01 +08:30 +2026-12-05 +pending +-$'
	assert_line --index 2 --regexp '^2 +2 +Bo Kim +Ziggy +daycare +2026-12-02 +- +2026-12-02 +pending +-$'
	# the columns line up: each starts where its header does
	col=$(awk 'NR == 1 { print index($0, "SERVICE") }' <<< "$output")
	assert_equal "$(awk -v c="$col" 'NR > 1 { print substr($0, c, 7) }' <<< "$output" | tr '\n' ' ')" "boardin daycare "
	# scripts keep the ids and no more
	run -0 kennel request list --csv
	assert_equal "$(tr -d '\r' <<< "${lines[0]}")" "id,owner_id,service,start,start_time,end,end_time,status,requested_at,decided_at,decided_by,reason,forced,papers_needed,note,product_id,product,series_id"
	run -0 kennel request list --json
	assert_equal "$(echo "$output" | jq -c '.[0] | [has("owner"), has("pet_names"), .pets]')" '[false,false,[1,2]]'
	# the pick-up time beside the drop-off time
	assert_equal "$(echo "$output" | jq -r '.[0] | .start_time + " " + .end_time')" "08:30 17:15"
	run -1 --separate-stderr kennel request add 1 --service boarding --pet Rex --start 2026-12-10 --end 2026-12-12T25:00
	assert_equal "$stderr" "kennel: invalid end '2026-12-12T25:00' (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
}

@test "approve refuses over capacity, naming the day; --force records the override" {
	kennels
	kennel request add 1 --service boarding --pet Rex --start 2026-12-01 --end 2026-12-03 >/dev/null
	kennel request add 1 --service boarding --pet Mia --start 2026-12-02 --end 2026-12-04 >/dev/null
	kennel request approve 1
	run -1 --separate-stderr kennel request approve 2
	assert_equal "$stderr" "kennel: request 2: over capacity on 2026-12-02 (1 of 1 taken)"
	run -0 kennel request approve 2 --force
	assert_equal "$(sql 'SELECT status, forced, reason FROM requests WHERE id = 2')" "approved|1|over capacity on 2026-12-02 (1 of 1 taken)"
}

@test "boarding occupies nights start <= d < end: back-to-back stays fit one kennel" {
	kennels
	kennel request add 1 --service boarding --pet Rex --start 2026-12-01 --end 2026-12-03 >/dev/null
	kennel request add 1 --service boarding --pet Mia --start 2026-12-03 --end 2026-12-05 >/dev/null
	run -0 kennel request approve 1 2
}

@test "a per-date capacity overrides the every-day figure" {
	kennels
	kennel capacity set boarding 2 --from 2026-12-24 --to 2026-12-26
	kennel request add 1 --service boarding --pet Rex,Mia --start 2026-12-24 --end 2026-12-26 >/dev/null
	run -0 kennel request approve 1
	run -0 kennel capacity show --service boarding --from 2026-12-23 --to 2026-12-24 --json
	assert_equal "$(echo "$output" | jq -c 'map([.day, .capacity, .approved, .free])')" '[["2026-12-23",1,0,1],["2026-12-24",2,2,0]]'
}

@test "a block refuses approvals on its days and lists the approved requests it hits" {
	kennels
	kennel request add 1 --service boarding --pet Rex --start 2026-12-20 --end 2026-12-22 >/dev/null
	kennel request approve 1
	kennel request add 1 --service boarding --pet Mia --start 2026-12-24 --end 2026-12-26 >/dev/null
	run -0 --separate-stderr kennel block add --from 2026-12-21 --to 2026-12-25 --reason "Owner's vacation" --json
	assert_equal "$(echo "$output" | jq -c 'map(.id)')" "[1]"
	run -1 --separate-stderr kennel request approve 2
	assert_equal "$stderr" "kennel: request 2: blocked by block 1 (Owner's vacation) on 2026-12-24"
	kennel block rm 1
	run -0 kennel request approve 2
}

@test "every rule that refuses is told: a closed day hides no expired vaccination, nor a full day" {
	kennels
	kennel -q capacity set boarding 1
	kennel request add 1 --service boarding --pet Mia --start 2026-12-24 --end 2026-12-26 >/dev/null
	kennel -q request approve 1
	kennel vax add 1/Rex rabies --expires 2026-12-02 >/dev/null
	sql "DELETE FROM vaccinations WHERE pet_id = 1 AND type = 'rabies' AND expires_on = '2027-06-01'"
	kennel -q prefs set portal.require_temperament_test true
	kennel -q block add --from 2026-12-21 --to 2026-12-22 --reason "Owner's vacation"
	kennel request add 1 --service boarding --pet Rex --start 2026-12-20 --end 2026-12-25 >/dev/null
	run -1 --separate-stderr kennel request approve 2
	assert_equal "$stderr" "kennel: request 2: blocked by block 1 (Owner's vacation) on 2026-12-21; Rex's rabies expires on 2026-12-02, before 2026-12-24; Rex's temperament test not passed; over capacity on 2026-12-24 (1 of 1 taken)"
	assert_equal "$(sql 'SELECT status FROM requests WHERE id = 2')" pending
	# forced, the reasons are all on record
	run -0 kennel request approve 2 --force
	assert_equal "$(sql 'SELECT forced, reason FROM requests WHERE id = 2')" "1|blocked by block 1 (Owner's vacation) on 2026-12-21; Rex's rabies expires on 2026-12-02, before 2026-12-24; Rex's temperament test not passed; over capacity on 2026-12-24 (1 of 1 taken)"
}

@test "expired vaccinations through the last day and a missing temperament test refuse" {
	kennels
	kennel vax add 1/Rex rabies --expires 2026-12-02 >/dev/null
	sql "DELETE FROM vaccinations WHERE pet_id = 1 AND type = 'rabies' AND expires_on = '2027-06-01'"
	kennel request add 1 --service boarding --pet Rex --start 2026-12-01 --end 2026-12-05 >/dev/null
	run -1 --separate-stderr kennel request approve 1
	assert_equal "$stderr" "kennel: request 1: Rex's rabies expires on 2026-12-02, before 2026-12-04"
	kennel prefs set portal.require_current_vaccinations false
	kennel prefs set portal.require_temperament_test true
	run -1 --separate-stderr kennel request approve 1
	assert_equal "$stderr" "kennel: request 1: Rex's temperament test not passed"
	kennel pet temperament 1 pass >/dev/null
	run -0 kennel request approve 1
}

@test "several REQs are decided each on its own: exit 3 when some were refused" {
	kennels
	kennel request add 1 --service boarding --pet Rex --start 2026-12-01 --end 2026-12-03 >/dev/null
	kennel request add 1 --service boarding --pet Mia --start 2026-12-01 --end 2026-12-03 >/dev/null
	run -3 --separate-stderr kennel request approve 1 2 --json
	assert_equal "$(echo "$output" | jq -c '[.done, (.refused | map(.id))]')" "[[1],[2]]"
	run -0 --separate-stderr kennel request decline 2 --reason "full that week"
	assert_equal "$(sql 'SELECT status, reason FROM requests WHERE id = 2')" "declined|full that week"
	run -0 kennel request cancel 1
	assert_equal "$(sql 'SELECT status FROM requests WHERE id = 1')" "cancelled"
}

@test "request auto approves more than first come, first served, and explains the rest" {
	kennels
	kennel request add 1 --service boarding --pet Rex --start 2026-12-01 --end 2026-12-06 >/dev/null
	kennel request add 1 --service boarding --pet Mia --start 2026-12-02 --end 2026-12-03 >/dev/null
	kennel request add 1 --service boarding --pet Mia --start 2026-12-04 --end 2026-12-05 >/dev/null
	run -0 kennel request auto --dry-run --json
	assert_equal "$(echo "$output" | jq -c .)" '{"approved":[2,3],"not_approved":[{"id":1,"reason":"over capacity on 2026-12-02"}]}'
	assert_equal "$(sql "SELECT count(*) FROM requests WHERE status = 'pending'")" "3"
	run -0 kennel request auto --decline-rest --reason "no kennel free" --json
	assert_equal "$(sql 'SELECT group_concat(status) FROM (SELECT status FROM requests ORDER BY id)')" "declined,approved,approved"
}

@test "request auto is optimal for one-pet requests: brute force over random instances" {
	for seed in $(seq 1 12); do
		run -0 /usr/bin/python3 "$TESTS_DIR/auto_bruteforce.py" "$KENNEL" "$seed"
		assert_output "ok"
	done
}

@test "request auto with multi-pet requests stays feasible; the gap to the optimum is small" {
	total=0
	for seed in $(seq 1 8); do
		run -0 /usr/bin/python3 "$TESTS_DIR/auto_bruteforce.py" "$KENNEL" "$seed" --multi
		[[ "$output" == gap* ]]
		total=$((total + ${output#gap }))
	done
	echo "multi-pet gap over 8 instances: $total" >&3
	[ "$total" -le 4 ]
}

@test "report occupancy shows capacity, approved, pending and free per day" {
	kennels
	kennel request add 1 --service boarding --pet Rex --start 2026-12-01 --end 2026-12-02 >/dev/null
	kennel request add 1 --service boarding --pet Mia --start 2026-12-01 --end 2026-12-02 >/dev/null
	kennel request approve 1
	run -0 kennel report occupancy --service boarding --from 2026-12-01 --to 2026-12-01 --csv
	assert_equal "$(echo "$output" | tr -d '\r')" $'day,capacity,approved,pending,free\n2026-12-01,1,1,1,0'
}

@test "request import: bookings come in as decided; doctor reports those that break the rules" {
	kennels
	kennel block add --from 2026-12-24 --to 2026-12-25 --reason "Christmas" >/dev/null 2>&1
	cat > r.csv <<CSV
owner_email,pets,service,start,end,status,note
ann@example.com,Rex,boarding,2026-12-01,2026-12-05,approved,from the old calendar
ann@example.com,Mia,boarding,2026-12-03,2026-12-04,approved,
ann@example.com,Rex;Mia,boarding,12/24/2026,12/26/2026,pending,
ann@example.com,Fido,daycare,2026-12-01,,pending,
ann@example.com,Rex,daycare,2026-12-01,,maybe,
CSV
	run -3 --separate-stderr kennel request import r.csv --json
	assert_equal "$(echo "$output" | jq -c '[.rows, .created, .rejected]')" "[5,3,2]"
	assert_equal "${stderr_lines[0]}" "kennel: r.csv: line 5: pet '1/Fido' not found"
	assert_equal "${stderr_lines[1]}" "kennel: r.csv: line 6: invalid status 'maybe' (pending or approved)"
	run -3 --separate-stderr kennel request import r.csv --json
	assert_equal "$(echo "$output" | jq -c '[.created, .unchanged]')" "[0,3]"
	run -1 --separate-stderr kennel doctor --json
	assert_equal "$(echo "$output" | jq -c '[.[] | select(.check == "approved-request-over-capacity") | .id]')" "[1,2]"
	kennel vax add 1/Rex rabies --expires 2026-12-03 >/dev/null
	sql "DELETE FROM vaccinations WHERE pet_id = 1 AND type = 'rabies' AND expires_on = '2027-06-01'"
	run -1 --separate-stderr kennel doctor --json
	assert_equal "$(echo "$output" | jq -c '[.[] | select(.check == "approved-request-vaccination") | .detail]')" '["Rex: rabies not current through 2026-12-05"]'
	sql "UPDATE requests SET status = 'approved' WHERE id = 3"
	run -1 --separate-stderr kennel doctor --json
	assert_equal "$(echo "$output" | jq -c '[.[] | select(.check == "approved-request-blocked") | .id]')" "[3]"
}

@test "--notify mails the owner the decision, even an owner who opted out of email" {
	kennels
	kennel owner edit 1 --email-opt-out >/dev/null
	kennel request add 1 --service boarding --pet Rex --start 2026-12-01 --end 2026-12-03 >/dev/null
	kennel request add 1 --service boarding --pet Mia --start 2026-12-01 --end 2026-12-03 >/dev/null
	kennel request add 1 --service boarding --pet Mia --start 2026-12-10 --end 2026-12-12 >/dev/null
	run -0 --separate-stderr kennel request approve 1 --notify
	grep -q '^Subject: Your boarding request is approved' kennel-mail/000001.eml
	grep -q 'Your boarding request for Rex from Tue, Dec 1, 2026' kennel-mail/000001.eml
	run -0 --separate-stderr kennel request decline 2 --reason "no kennel free that week" --notify
	grep -q '^Reason: no kennel free that week' kennel-mail/000002.eml
	run -0 kennel request auto --notify --json
	assert_equal "$(ls kennel-mail | wc -l)" "3"
	assert_equal "$(sql "SELECT group_concat(kind) FROM (SELECT kind FROM outbox ORDER BY id)")" "request-approved,request-declined,request-approved"
}

@test "request add keeps the drop-off time and the add-ons of a boarding stay" {
	kennels
	kennel product add --name "Nail Trim" --type grooming --price 15 --show-to-owner >/dev/null
	kennel product add --name "Bath" --type grooming --price 25 >/dev/null
	kennel product add --name "Boarding Night" --type boarding --price 45 --show-to-owner >/dev/null
	run -0 kennel request add 1 --service boarding --pet Rex --start 2026-12-01T09:30 --end 2026-12-04 --addon "Nail Trim" --addon 1 --json
	assert_equal "$(echo "$output" | jq -c '[.start, .start_time, .end, .addons]')" '["2026-12-01","09:30","2026-12-04",[1]]'
	assert_equal "$(sql 'SELECT start, start_time FROM requests')" "2026-12-01|09:30"
	run -1 --separate-stderr kennel request add 1 --service boarding --pet Rex --start 2026-12-01 --end 2026-12-04 --addon Bath
	assert_equal "$stderr" "kennel: product 'Bath' is not an add-on (see kennel product addons)"
	run -1 --separate-stderr kennel request add 1 --service boarding --pet Rex --start 2026-12-01 --end 2026-12-04 --addon "Boarding Night"
	assert_equal "$stderr" "kennel: product 'Boarding Night' is not an add-on (see kennel product addons)"
	run -1 --separate-stderr kennel request add 1 --service daycare --pet Rex --start 2026-12-01 --addon "Nail Trim"
	assert_equal "$stderr" "kennel: add-on 'Nail Trim': only a boarding request has add-ons"
	run -1 --separate-stderr kennel request add 1 --service daycare --pet Rex --start 2026-12-01T24:00
	assert_equal "$stderr" "kennel: invalid start '2026-12-01T24:00' (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
	run -2 --separate-stderr kennel request add 1 --service daycare --pet Rex,Mia,Rex,Mia,Rex,Mia,Rex,Mia,Rex --start 2026-12-01
	assert_equal "${stderr%%$'\n'*}" "kennel: a request has at most 8 pets"
	# nothing of the refused requests was kept
	assert_equal "$(sql 'SELECT count(*) FROM requests')" "1"
	assert_equal "$(sql 'SELECT count(*) FROM request_addons')" "1"
}

@test "block add --notify mails each owner once over SMTP, listing every booking it touches" {
	kennels
	start_sink
	kennel prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	kennel company set --phone 555-0100 >/dev/null
	kennel capacity set boarding 5
	kennel owner add --first Bo --last Kim --email bo@example.com >/dev/null
	kennel owner add --first Cy --last Doe >/dev/null
	kennel pet add 2 --name Tux >/dev/null
	kennel pet add 3 --name Max >/dev/null
	kennel prefs set portal.require_current_vaccinations false
	kennel request add 1 --service boarding --pet Rex --start 2026-12-20 --end 2026-12-22 >/dev/null
	kennel request add 1 --service boarding --pet Rex,Mia --start 2026-12-24 --end 2026-12-27 >/dev/null
	kennel request add 2 --service boarding --pet Tux --start 2026-12-23 --end 2026-12-24 >/dev/null
	kennel request add 2 --service daycare --pet Tux --start 2026-12-23 >/dev/null
	kennel request add 3 --service boarding --pet Max --start 2026-12-23 --end 2026-12-24 >/dev/null
	kennel request add 2 --service boarding --pet Tux --start 2026-12-30 --end 2026-12-31 >/dev/null
	kennel request approve 1 2 3 4 5 6
	run -0 --separate-stderr kennel block add --service boarding --from 2026-12-21 --to 2026-12-25 --reason "staff holiday" --notify --json
	assert_equal "$(echo "$output" | jq -c 'map(.id)')" "[1,3,5,2]"
	# Ann has two bookings in one message; Bo's daycare is not boarding; Cy has no address
	assert_equal "$(ls "$SINK_DIR"/*.eml | wc -l)" "2"
	assert_equal "$(sql "SELECT group_concat(to_addr || ':' || status) FROM outbox")" "ann@example.com:sent,bo@example.com:sent"
	f=$(grep -l '^To: ann@example.com' "$SINK_DIR"/*.eml)
	run -0 sed -n '/^Hello/,$p' "$f"
	assert_output "$(printf '%s\r\n' "Hello Ann," "" \
		"Happy Tails will be closed from Mon, Dec 21, 2026 to Fri, Dec 25, 2026" \
		"(staff holiday). This overlaps your booking:" "" \
		"- boarding for Rex, Sun, Dec 20, 2026 to Tue, Dec 22, 2026" \
		"- boarding for Rex, Mia, Thu, Dec 24, 2026 to Sun, Dec 27, 2026" "" \
		"Please reply to this email or call us at 555-0100 so we" \
		"can help you plan around it." "" "Happy Tails")"
	grep -q '^Subject: Happy Tails is closed during your booking' "$f"
}

@test "block add --notify without a sender adds no block: nothing half done" {
	kennels
	sql "UPDATE company SET email = NULL"
	kennel request add 1 --service boarding --pet Rex --start 2026-12-20 --end 2026-12-22 >/dev/null
	kennel request approve 1
	run -1 --separate-stderr kennel block add --from 2026-12-21 --to 2026-12-25 --reason "vacation" --notify
	assert_equal "$stderr" "kennel: no sender address: set 'kennel company set --email' or 'kennel prefs set mail.from'"
	assert_equal "$(sql 'SELECT count(*) FROM blocks')" "0"
	assert_equal "$(sql 'SELECT count(*) FROM outbox')" "0"
}

@test "a schema 7 database gets start_time and add-ons from kennel init, keeping its requests" {
	kennels
	kennel request add 1 --service boarding --pet Rex --start 2026-12-01 --end 2026-12-03 >/dev/null
	sql "$DROP_SERIES"
	sql "$DROP_MONEY"
	sql 'DROP TABLE visit_package_uses; DROP INDEX order_items_visit; ALTER TABLE order_items DROP COLUMN visit_id; DROP TABLE visits; DROP TABLE areas; DROP TABLE portal_mail_asks; DROP TABLE portal_sessions; DROP TABLE portal_failures; DROP TABLE portal_registrations; DROP TABLE portal_keys; DROP TABLE portal_calendar_keys; ALTER TABLE outbox DROP COLUMN reply_to; DROP TABLE request_addons; ALTER TABLE requests DROP COLUMN start_time; DROP INDEX audit_owner; ALTER TABLE audit DROP COLUMN owner_id; ALTER TABLE outbox DROP COLUMN claimed_by; ALTER TABLE company DROP COLUMN address; ALTER TABLE company DROP COLUMN hours; ALTER TABLE company DROP COLUMN logo; ALTER TABLE company DROP COLUMN logo_type; ALTER TABLE requests DROP COLUMN end_time; ALTER TABLE requests DROP COLUMN papers_needed; PRAGMA user_version = 7'
	run -1 --separate-stderr kennel request list
	run -0 --separate-stderr kennel init
	assert_equal "$(sql 'PRAGMA user_version')" "$(latest_schema)"
	run -0 kennel request list --json
	assert_equal "$(echo "$output" | jq -c 'map([.id, .start, .start_time, .addons])')" '[[1,"2026-12-01",null,[]]]'
}

@test "vaccines.required.SERVICE: grooming may need other vaccines than boarding" {
	kennels
	kennel pet add 1 --name Zed >/dev/null
	kennel -q prefs set vaccines.required.grooming ""
	kennel request add 1 --service grooming --pet Zed --start 2026-12-01 >/dev/null
	run -0 kennel request approve 1
	kennel request add 1 --service daycare --pet Zed --start 2026-12-01 >/dev/null
	run -1 --separate-stderr kennel request approve 2
	assert_equal "$stderr" "kennel: request 2: Zed has no rabies on record"
	kennel -q prefs set vaccines.required.grooming bordetella
	kennel request add 1 --service grooming --pet Zed --start 2026-12-02 >/dev/null
	run -1 --separate-stderr kennel request approve 3
	assert_equal "$stderr" "kennel: request 3: Zed has no bordetella on record"
	# reset: grooming follows vaccines.required again
	kennel -q prefs reset vaccines.required.grooming
	kennel -q prefs set vaccines.required distemper
	run -1 --separate-stderr kennel request approve 3
	assert_equal "$stderr" "kennel: request 3: Zed has no distemper on record"
}
