#!/usr/bin/env bats
# kennel request modify (SPEC series): a pending request changes in place;
# an approved booking keeps its spot unless the change passes every rule,
# counted without the booking itself.
load test_helper

booked() {
	init_db
	kennel owner add --first Ann --last Lee --email ann@example.com >/dev/null
	kennel owner add --first Bo --last Kim --email bo@example.com >/dev/null
	kennel pet add 1 --name Rex >/dev/null
	kennel pet add 1 --name Mia >/dev/null
	kennel pet add 2 --name Tom >/dev/null
	kennel -q prefs set vaccines.required ""
	kennel -q capacity set boarding 2
	kennel -q request add Ann --service boarding --pet Rex --start 2026-12-10T08:00 --end 2026-12-13
	kennel -q request approve 1
}

@test "an approved stay moves when the rules allow it, counted without itself" {
	booked
	# Bo fills one unit of the 12th and 13th: with Rex there the 12th is full (2 of 2)
	kennel -q request add Bo --service boarding --pet Tom --start 2026-12-12 --end 2026-12-14
	kennel -q request approve 2
	# a day longer: the 13th has Tom only; Rex's own nights do not count against him
	run -0 kennel request modify 1 --end 2026-12-14 --json
	assert_equal "$(echo "$output" | jq -c '[.status, .start, .end, .start_time]')" '["approved","2026-12-10","2026-12-14","08:00"]'
	run -0 kennel log --limit 1
	assert_output --partial "modified: 2026-12-10 08:00 to 2026-12-10 08:00, 2026-12-13 to 2026-12-14"
}

@test "a refused change leaves the booking as it was and names the rule" {
	booked
	kennel -q request add Bo --service boarding --pet Tom --start 2026-12-12 --end 2026-12-14
	kennel -q request approve 2
	# Mia too: the 12th would need 3 units of 2
	run -1 --separate-stderr kennel request modify 1 --pet Rex,Mia
	assert_equal "$stderr" "kennel: request 1: the change is refused, the booking stays as it was: over capacity on 2026-12-12 (1 of 2 taken)"
	assert_equal "$(sql "SELECT status, start, end FROM requests WHERE id = 1")" "approved|2026-12-10|2026-12-13"
	assert_equal "$(sql "SELECT group_concat(pet_id) FROM request_pets WHERE request_id = 1")" "1"
	# a closed period in the new dates
	kennel -q block add --from 2026-12-20 --to 2026-12-21 --reason "staff holiday"
	run -1 --separate-stderr kennel request modify 1 --start 2026-12-19 --end 2026-12-22
	[[ "$stderr" == "kennel: request 1: the change is refused, the booking stays as it was: "*"staff holiday"* ]]
	assert_equal "$(sql "SELECT start, end FROM requests WHERE id = 1")" "2026-12-10|2026-12-13"
}

@test "a pending request changes in place; bad changes refused with nothing changed" {
	booked
	kennel -q request add Ann --service daycare --pet Mia --start 2026-12-02
	run -0 kennel request modify 2 --start 2026-12-03T09:30 --note "half day" --json
	assert_equal "$(echo "$output" | jq -c '[.status, .start, .end, .start_time, .note]')" '["pending","2026-12-03","2026-12-03","09:30","half day"]'
	run -1 --separate-stderr kennel request modify 1 --end 2026-12-09
	assert_equal "$stderr" "kennel: a boarding request needs its end after its start (the nights start <= d < end)"
	run -1 --separate-stderr kennel request modify 1 --start 2026-11-01 --end 2026-11-05
	assert_equal "$stderr" "kennel: the new start 2026-11-01 has passed"
	run -2 --separate-stderr kennel request modify 1
	assert_equal "$stderr" "kennel: nothing to change: give --start, --end, --pet, --addon, --product or --note"
	kennel -q request cancel 2
	run -1 --separate-stderr kennel request modify 2 --note x
	assert_equal "$stderr" "kennel: request 2 is cancelled: only a pending or approved request can be modified"
	KENNEL_TODAY=2026-12-20 run -1 --separate-stderr kennel request modify 1 --note x
	assert_equal "$stderr" "kennel: request 1 is over (it ended 2026-12-13): it cannot be modified"
	run -1 --separate-stderr kennel request modify 1 --pet Tom
	assert_equal "$stderr" "kennel: pet '1/Tom' not found"
	assert_equal "$(sql "SELECT status, start, end FROM requests WHERE id = 1")" "approved|2026-12-10|2026-12-13"
}

@test "a change is told as a change: change-approved after modify, change-refused for an asked change declined" {
	booked
	kennel -q prefs set mail.url "file://$BATS_TEST_TMPDIR/mail"
	run -0 kennel request modify 1 --end 2026-12-14 --notify --json
	assert_equal "$(sql "SELECT kind, subject FROM outbox ORDER BY id DESC LIMIT 1")" "change-approved|Your boarding booking is changed"
	run -0 sh -c "cat '$BATS_TEST_TMPDIR'/mail/*.eml"
	assert_output --partial "is now from Thu, Dec 10, 2026 at 8:00 AM to Mon, Dec 14, 2026"
	# a change Ann asked on the portal (a replacing request), refused by staff
	kennel -q request add Ann --service boarding --pet Rex --start 2026-12-11 --end 2026-12-15
	sql "UPDATE requests SET replaces_id = 1 WHERE id = 2"
	run -0 kennel request decline 2 --reason "no room on the 14th" --notify
	assert_equal "$(sql "SELECT kind, subject FROM outbox ORDER BY id DESC LIMIT 1")" "change-refused|About the change to your boarding booking"
	assert_equal "$(sql "SELECT status, end FROM requests WHERE id = 1")" "approved|2026-12-14"
	# a second modify is a second message, not lost to the first one's key
	run -0 kennel request modify 1 --note "late pick-up" --notify
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE kind = 'change-approved'")" "2"
}
