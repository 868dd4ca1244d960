#!/usr/bin/env bats
# kennel remind: made for cron.
load test_helper

clinic() {
	init_db
	owners <<CSV
Ann,Lee,ann@example.com
Bo,Kim,bo@example.com
Cy,Doe,cy@example.com
CSV
	kennel pet add 1 --name Rex >/dev/null
	kennel pet add 1 --name Mia >/dev/null
	kennel pet add 2 --name Max >/dev/null
	kennel pet add 3 --name Ozzy >/dev/null
	kennel vax add 1/Rex rabies --expires 2026-12-10 >/dev/null      # expiring
	kennel vax add 1/Mia distemper --expires 2026-11-01 >/dev/null   # expired
	kennel vax add 2/Max rabies --expires 2027-06-01 >/dev/null      # current
	kennel vax add 3/Ozzy rabies --expires 2026-12-01 >/dev/null     # expiring, but opted out
	# the other required vaccinations on record and current
	kennel -q prefs set vaccines.required rabies,distemper
	kennel vax add 1/Rex distemper --expires 2027-06-01 >/dev/null
	kennel vax add 1/Mia rabies --expires 2027-06-01 >/dev/null
	kennel vax add 2/Max distemper --expires 2027-06-01 >/dev/null
	kennel owner edit 3 --email-opt-out >/dev/null
}

@test "a required vaccination with no record at all is reminded of too" {
	clinic
	kennel -q prefs set vaccines.required rabies,distemper,bordetella
	run -0 --separate-stderr kennel remind vaccinations --json
	assert_equal "$(echo "$output" | jq .queued)" "2"
	f=$(grep -l '^To: bo@example.com' kennel-mail/*.eml)
	grep -q -- '- Max: bordetella, no record on file' "$f"
	run -1 grep -q 'Max: rabies' "$f"
}

@test "one message per owner listing what is due; silent on success" {
	clinic
	run -0 --separate-stderr kennel remind vaccinations
	assert_output ""
	assert_equal "$stderr" ""
	assert_equal "$(ls kennel-mail | wc -l)" "1"
	f=kennel-mail/000001.eml
	grep -q '^To: ann@example.com' "$f"
	grep -q -- '- Rex: rabies, expires Thu, Dec 10, 2026' "$f"
	grep -q -- '- Mia: distemper, expired Sun, Nov 1, 2026' "$f"
}

@test "running again the same day, or every day, sends each reminder once" {
	clinic
	kennel remind vaccinations
	run -0 --separate-stderr kennel remind vaccinations --json
	assert_equal "$(echo "$output" | jq -c .)" '{"queued":0,"sent":0,"failed":0}'
	KENNEL_TODAY=2026-11-24 run -0 --separate-stderr kennel remind vaccinations --json
	assert_equal "$(echo "$output" | jq .queued)" "0"
	# once a reminded vaccination has expired, that is news: one more message
	KENNEL_TODAY=2026-12-11 run -0 --separate-stderr kennel remind vaccinations --json
	assert_equal "$(echo "$output" | jq .queued)" "1"
	grep -q 'Rex: rabies, expired Thu, Dec 10, 2026' kennel-mail/000002.eml
	run -1 grep -q 'Mia' kennel-mail/000002.eml
}

@test "overlapping runs do not send twice" {
	clinic
	kennel remind vaccinations --queue-only & kennel remind vaccinations --queue-only & wait
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE kind = 'vaccination-reminder'")" "1"
}

@test "--days widens the window; --dry-run queues nothing" {
	clinic
	run -0 --separate-stderr kennel remind vaccinations --days 365 --dry-run --json
	assert_equal "$(echo "$output" | jq .queued)" "2"
	assert_equal "$(sql 'SELECT count(*) FROM outbox')" "0"
	assert_equal "$(sql 'SELECT count(*) FROM reminders')" "0"
}

@test "remind all alone sends the vaccination reminders" {
	clinic
	run -0 kennel remind all --json
	assert_equal "$(echo "$output" | jq .sent)" "1"
}

packages_due() {
	init_db
	owners <<CSV
Ann,Lee,ann@example.com
Bo,Kim,bo@example.com
CSV
	kennel product add --name "10 Day Pack" --type daycare-package --price 250 --days 10 --days-active 180 >/dev/null
	kennel order purchase 1 "10 Day Pack" --checkout --payment card >/dev/null
	kennel order purchase 2 "10 Day Pack" --checkout --payment card >/dev/null
	kennel package modify 1 --end 2026-12-01 --note "ends soon" >/dev/null   # ends within 14 days
	kennel package modify 2 --left 1 --note "one day left" >/dev/null       # last day
}

@test "remind packages: ending within remind.package_days, or down to the last day, once each" {
	packages_due
	run -0 --separate-stderr kennel remind packages --json
	assert_equal "$(echo "$output" | jq -c '[.queued, .sent]')" "[2,2]"
	grep -q -- '- 10 Day Pack: 10 left, ends Tue, Dec 1, 2026' kennel-mail/000001.eml
	grep -q -- '- 10 Day Pack: 1 left, ends Sat, May 22, 2027' kennel-mail/000002.eml
	run -0 --separate-stderr kennel remind packages --json
	assert_equal "$(echo "$output" | jq .queued)" "0"
	# the last-day package later also nears its end: that is news
	KENNEL_TODAY=2027-05-10 run -0 --separate-stderr kennel remind packages --json
	assert_equal "$(echo "$output" | jq .queued)" "1"
}

@test "remind all sends vaccination and package reminders together" {
	packages_due
	kennel pet add 1 --name Rex >/dev/null
	kennel vax add 1 rabies --expires 2026-12-01 >/dev/null
	run -0 --separate-stderr kennel remind all --json
	assert_equal "$(echo "$output" | jq .queued)" "3"
	assert_equal "$(sql "SELECT group_concat(kind) FROM (SELECT DISTINCT kind FROM outbox ORDER BY kind)")" "package-reminder,vaccination-reminder"
}

@test "remind appointments: approved requests starting within remind.appointment_days, once each" {
	clinic
	kennel prefs set portal.require_current_vaccinations false
	kennel request add 1 --service daycare --pet Rex,Mia --start 2026-11-24 >/dev/null
	kennel request add 2 --service grooming --pet Max --start 2026-11-30T14:15 >/dev/null
	kennel request approve 1 2 >/dev/null 2>&1
	run -0 --separate-stderr kennel remind appointments --json
	assert_equal "$(echo "$output" | jq .queued)" "1"
	grep -q -- '- daycare for Rex, Mia, Tue, Nov 24, 2026' kennel-mail/000001.eml
	run -0 --separate-stderr kennel remind appointments --json
	assert_equal "$(echo "$output" | jq .queued)" "0"
	KENNEL_TODAY=2026-11-29 run -0 --separate-stderr kennel remind appointments --json
	assert_equal "$(echo "$output" | jq .queued)" "1"
	grep -q -- '- grooming for Max, Mon, Nov 30, 2026 at 2:15 PM' kennel-mail/000002.eml
}

@test "display.date decides how every mail shows a date: us, iso, day-month" {
	clinic
	kennel prefs set portal.require_current_vaccinations false
	kennel request add 2 --service boarding --pet Max --start 2026-12-04T08:05 --end 2026-12-06 >/dev/null
	kennel request approve 1 --notify >/dev/null
	run -0 kennel mail show 1
	assert_output --partial "from Fri, Dec 4, 2026 at 8:05 AM
to Sun, Dec 6, 2026 is approved."
	kennel -q prefs set display.date day-month
	kennel request add 2 --service daycare --pet Max --start 2026-12-07 >/dev/null
	kennel request approve 2 --notify >/dev/null
	run -0 kennel mail show 2
	assert_output --partial "from Mon 7 Dec 2026
to Mon 7 Dec 2026 is approved."
	kennel -q prefs set display.date iso
	run -0 --separate-stderr kennel remind vaccinations --json
	grep -q -- '- Rex: rabies, expires 2026-12-10' kennel-mail/*.eml
	run -1 --separate-stderr kennel prefs set display.date european
}
