#!/usr/bin/env bats
# Booking windows (SPEC series): how far ahead, how soon, how many waiting,
# how late a cancel; refused in the owner's words on the portal, in
# staff's by request add, which --force overrides.
load test_helper
load portal_helper

windows_db() {
	portal_db
	kennel -q prefs set vaccines.required ""
	kennel -q pet add 1 --name Rex
}

@test "request add: each window refuses in staff's words; --force books it anyway" {
	windows_db
	kennel -q prefs set portal.max_days_ahead 30
	kennel -q prefs set portal.min_notice_hours 12
	kennel -q prefs set portal.max_pending 2
	run -1 --separate-stderr kennel request add 1 --service daycare --pet Rex --start 2027-01-10
	assert_equal "$stderr" "kennel: 2027-01-10 is 48 days ahead, past portal.max_days_ahead (30); --force books it"
	# today is 2026-11-23 at 9:00: tomorrow at 8:00 is 23 hours away, today at 18:00 only 9
	run -1 --separate-stderr kennel request add 1 --service daycare --pet Rex --start 2026-11-23T18:00
	assert_equal "$stderr" "kennel: 2026-11-23 18:00 starts within portal.min_notice_hours (12); --force books it"
	kennel -q request add 1 --service daycare --pet Rex --start 2026-11-24T08:00
	kennel -q request add 1 --service daycare --pet Rex --start 2026-11-25
	run -1 --separate-stderr kennel request add 1 --service daycare --pet Rex --start 2026-11-26
	assert_equal "$stderr" "kennel: owner 1 has 2 pending requests, portal.max_pending (2); --force adds it"
	run -0 kennel request add 1 --service daycare --pet Rex --start 2027-01-10 --force --json
	assert_equal "$(echo "$output" | jq -r .start)" "2027-01-10"
	assert_equal "$(sql 'SELECT count(*) FROM requests')" "3"
}

@test "the portal: the windows in the owner's words, and a late cancel is a phone call" {
	windows_db
	kennel -q prefs set portal.max_days_ahead 30
	kennel -q prefs set portal.cancel_notice_hours 48
	start_portal
	assert_equal "$(login ann 'a fine password 1' jar)" 303
	csrf=$(csrf_of "/requests/new?service=daycare" jar)
	run post /requests jar "csrf=$csrf" service=daycare pet=1 start=2027-01-10
	assert_output 422
	grep -q "We take bookings up to 30 days ahead: please choose a day until Wed, Dec 23, 2026." "$BATS_TEST_TMPDIR/b.txt"
	assert_equal "$(sql 'SELECT count(*) FROM requests')" "0"
	# a booking the day after tomorrow at 8:00: 47 hours away, inside the 48
	kennel -q request add 1 --service daycare --pet Rex --start 2026-11-25T08:00
	kennel -q request approve 1
	run post /requests/1/cancel jar "csrf=$csrf"
	assert_output 422
	grep -q "This booking starts within 48 hours: please call us to cancel or change it." "$BATS_TEST_TMPDIR/b.txt"
	assert_equal "$(sql 'SELECT status FROM requests WHERE id = 1')" "approved"
	# a pending one is hers to cancel whenever
	kennel -q request add 1 --service daycare --pet Rex --start 2026-11-24T08:00
	run post /requests/2/cancel jar "csrf=$csrf"
	assert_output 303
	assert_equal "$(sql 'SELECT status FROM requests WHERE id = 2')" "cancelled"
}
