#!/usr/bin/env bats
# Standing bookings (SPEC series): a regular's weekly days as requests of
# one series, made ahead and extended by cron, skipped, ended; and the
# product a grooming request asks for, charged at sign-out.
load test_helper

regulars() {
	init_db
	export KENNEL_TODAY=2026-11-23   # a Monday
	kennel owner add --first Ann --last Lee --email ann@example.com >/dev/null
	kennel owner add --first Bo --last Kim --email bo@example.com >/dev/null
	kennel pet add 1 --name Rex >/dev/null
	kennel pet add 1 --name Mia >/dev/null
	kennel pet add 2 --name Tom >/dev/null
	kennel -q prefs set vaccines.required ""
	kennel -q capacity set daycare 2
}

@test "request recur: the weekly days as requests of one series, decided by the rules with --approve" {
	regulars
	# Bo's dog fills the Wednesday: 2 of 2
	kennel pet add 2 --name Kit >/dev/null
	kennel request add Bo --service daycare --pet Tom,Kit --start 2026-11-25 >/dev/null
	kennel -q request approve 1
	run -0 --separate-stderr kennel request recur Ann --service daycare --pet Rex --days mon,wed,fri \
		--from 2026-11-23 --until 2026-12-04 --time 08:00 --approve --json
	assert_equal "$(echo "$output" | jq -c '[.id, .days, .every, .from, .until, .status, .upcoming, .pending]')" '[1,"mon,wed,fri",1,"2026-11-23","2026-12-04","active",5,1]'
	assert_equal "$(echo "$stderr" | head -1)" "request 3 not approved: over capacity on 2026-11-25 (2 of 2 taken)"
	assert_equal "$(sql "SELECT group_concat(start || ':' || status, ' ') FROM requests WHERE series_id = 1")" \
		"2026-11-23:approved 2026-11-25:pending 2026-11-27:approved 2026-11-30:approved 2026-12-02:approved 2026-12-04:approved"
	assert_equal "$(sql "SELECT DISTINCT start_time FROM requests WHERE series_id = 1")" "08:00"
	# Bo cancels; the pending day is approved with the series
	kennel -q request cancel 1
	run -0 --separate-stderr kennel request approve --series 1
	assert_equal "$stderr" "series 1: 1 approved"
	assert_equal "$(sql "SELECT count(*) FROM requests WHERE series_id = 1 AND status = 'approved'")" "6"
}

@test "every N weeks from the week of --from; made recur.horizon_days ahead; series extend makes nothing twice" {
	regulars
	kennel -q prefs set recur.horizon_days 14
	kennel -q request recur Ann --service daycare --pet Rex,Mia --days tue --every 2 --from 2026-11-23
	# the 24th, then two weeks later; the horizon is Dec 7
	assert_equal "$(sql "SELECT group_concat(start, ' ') FROM requests WHERE series_id = 1")" "2026-11-24"
	assert_equal "$(sql "SELECT count(*) FROM request_pets rp JOIN requests r ON r.id = rp.request_id WHERE r.series_id = 1")" "2"
	KENNEL_TODAY=2026-12-10 run -0 kennel series extend --json
	assert_equal "$(echo "$output" | jq -c '[.series, .made]')" '[1,1]'
	assert_equal "$(sql "SELECT group_concat(start, ' ') FROM requests WHERE series_id = 1")" "2026-11-24 2026-12-22"
	# cron runs again, or twice at once
	KENNEL_TODAY=2026-12-10 kennel -q series extend &
	KENNEL_TODAY=2026-12-10 kennel -q series extend
	wait
	assert_equal "$(sql "SELECT count(*) FROM requests WHERE series_id = 1")" "2"
	KENNEL_TODAY=2026-12-24 run -0 kennel series extend --json
	assert_equal "$(echo "$output" | jq -c '.made')" '1'
	assert_equal "$(sql "SELECT group_concat(start, ' ') FROM requests WHERE series_id = 1")" "2026-11-24 2026-12-22 2027-01-05"
}

@test "series skip cancels one day; series end cancels the rest and makes no more" {
	regulars
	kennel -q request recur Ann --service daycare --pet Rex --days mon --from 2026-11-23 --approve
	run -0 --separate-stderr kennel series skip 1 2026-11-30 --note "away for Thanksgiving"
	assert_equal "$stderr" "series 1: 2026-11-30 skipped"
	assert_equal "$(sql "SELECT status, reason FROM requests WHERE series_id = 1 AND start = '2026-11-30'")" "cancelled|away for Thanksgiving"
	run -1 --separate-stderr kennel series skip 1 2026-12-01
	assert_equal "$stderr" "kennel: series 1 has no open occurrence on 2026-12-01"
	# the skipped day is not made again by extend
	kennel -q series extend
	assert_equal "$(sql "SELECT count(*) FROM requests WHERE series_id = 1 AND start = '2026-11-30'")" "1"
	run -0 --separate-stderr kennel series end 1 --from 2026-12-14
	assert_equal "$stderr" "series 1 ended: 6 occurrences cancelled"
	assert_equal "$(sql "SELECT count(*) FROM requests WHERE series_id = 1 AND status = 'approved'")" "2"
	assert_equal "$(sql "SELECT until_date FROM series")" "2026-12-13"
	KENNEL_TODAY=2027-03-01 kennel -q series extend
	assert_equal "$(sql "SELECT max(start) FROM requests WHERE series_id = 1")" "2027-01-18"
	assert_equal "$(sql "SELECT count(*) FROM requests WHERE series_id = 1 AND start > '2026-12-13' AND status <> 'cancelled'")" "0"
	run -0 kennel series list --owner Ann
	assert_line --index 0 --regexp '^ID +OWNER +PETS +SERVICE +DAYS +EVERY +FROM +UNTIL +STATUS'
	run -0 kennel log --owner 1
	assert_output --partial "skipped 2026-11-30: away for Thanksgiving"
}

@test "bad input: weekdays, dates, two years, boarding, another owner's pet: one clear line, nothing made" {
	regulars
	run -2 --separate-stderr kennel request recur Ann --service daycare --pet Rex --days mon,funday --from 2026-11-23
	assert_equal "$stderr" "kennel: invalid weekday 'funday' in --days (use mon, tue, wed, thu, fri, sat, sun)"
	run -2 --separate-stderr kennel request recur Ann --service daycare --pet Rex --days mon,mon --from 2026-11-23
	assert_equal "$stderr" "kennel: --days names mon twice"
	run -1 --separate-stderr kennel request recur Ann --service daycare --pet Rex --days mon --from 2026-11-23 --until 2026-11-01
	assert_equal "$stderr" "kennel: --until 2026-11-01 is before --from 2026-11-23"
	run -1 --separate-stderr kennel request recur Ann --service daycare --pet Rex --days mon --from 2026-11-23 --until 2029-01-01
	assert_equal "$stderr" "kennel: a standing booking of 770 days is longer than two years: end it by --until within two years of --from"
	run -2 --separate-stderr kennel request recur Ann --service boarding --pet Rex --days mon --from 2026-11-23
	[[ "$stderr" == *"boarding"* ]]
	run -1 --separate-stderr kennel request recur Ann --service daycare --pet 3 --days mon --from 2026-11-23
	assert_equal "$stderr" "kennel: pet 3 is not owner 1's"
	run -2 --separate-stderr kennel request recur Ann --service daycare --pet Rex --days mon --from 2026-11-23 --every 9
	assert_equal "$stderr" "kennel: --every 9: every 1 to 8 weeks"
	assert_equal "$(sql 'SELECT count(*) FROM series')" "0"
	assert_equal "$(sql 'SELECT count(*) FROM requests')" "0"
}

@test "--product: the grooming a request asks for is what the desk charges" {
	regulars
	kennel product add --name "Bath" --type grooming --price 35 >/dev/null
	kennel product add --name "Full groom" --type grooming --price 70 >/dev/null
	kennel product add --name "Daycare" --type daycare --price 30 >/dev/null
	run -1 --separate-stderr kennel request add Ann --service grooming --pet Rex --start 2026-11-23 --product Daycare
	assert_equal "$stderr" "kennel: product 'Daycare' is a daycare product, not grooming"
	run -1 --separate-stderr kennel request add Ann --service daycare --pet Rex --start 2026-11-23 --product Bath
	assert_equal "$stderr" "kennel: --product 'Bath': only a grooming, training or service request names its product"
	run -0 kennel request add Ann --service grooming --pet Rex --start 2026-11-23 --product "Full groom" --json
	assert_equal "$(echo "$output" | jq -c '[.product_id, .product]')" '[2,"Full groom"]'
	kennel -q request approve 1
	kennel -q desk in Rex
	kennel -q desk out Rex
	assert_equal "$(sql "SELECT p.name, i.price_cents FROM order_items i JOIN products p ON p.id = i.product_id")" "Full groom|7000"
	# a standing grooming every four weeks, with its product on each occurrence
	kennel -q request recur Ann --service grooming --pet Mia --days fri --every 4 --from 2026-11-23 --product Bath
	assert_equal "$(sql "SELECT DISTINCT product_id FROM requests WHERE series_id = 1")" "1"
}

@test "remind closures: each owner told once per closed period, pending requests in it declined" {
	regulars
	kennel -q request recur Ann --service daycare --pet Rex --days fri --from 2026-11-23 --approve
	kennel -q request add Bo --service daycare --pet Tom --start 2026-12-03
	kennel -q request add Bo --service boarding --pet Tom --start 2026-12-01 --end 2026-12-03
	kennel -q request approve 10
	kennel -q block add --from 2026-12-03 --to 2026-12-04 --reason "staff training"
	# not yet: the closure starts in 10 days, the window is 7
	run -0 kennel remind closures --days 7 --queue-only --json
	assert_equal "$(echo "$output" | jq -r .queued)" "0"
	run -0 kennel remind closures --queue-only --json
	assert_equal "$(echo "$output" | jq -r .queued)" "2"
	# Ann's Friday occurrence; Bo's pending day declined with the reason, his stay's
	# nights (1st, 2nd) end before the closure
	assert_equal "$(sql "SELECT status, reason FROM requests WHERE id = 9")" "declined|staff training"
	assert_equal "$(sql "SELECT status FROM requests WHERE id = 10")" "approved"
	run -0 sqlite3 "$KENNEL_DB" "SELECT raw FROM outbox WHERE to_addr = 'ann@example.com'"
	assert_output --partial "Subject: Happy Tails is closed Thu, Dec 3, 2026 to Fri, Dec 4, 2026"
	assert_output --partial "- daycare for Rex on Fri, Dec 4, 2026: your booking is inside the closure: please call us"
	run -0 sqlite3 "$KENNEL_DB" "SELECT raw FROM outbox WHERE to_addr = 'bo@example.com'"
	assert_output --partial "- daycare for Tom on Thu, Dec 3, 2026: your request is declined, as we are closed"
	refute_output --partial "boarding"
	# nothing twice, alone or in remind all
	run -0 kennel remind all --queue-only --json
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE kind = 'closure-notice'")" "2"
}
