#!/usr/bin/env bats
# The waitlist (SPEC series, changes, waitlist): a request refused as full
# waits; a freed spot is offered to the first asked that fits, held for it
# by a single-use link that books it in the owner's session.
load test_helper
load portal_helper

# daycare with room for one: Ann has the spot on Dec 2; Bo and then Cy
# asked for it too.  Mail goes to files.  KENNEL_TODAY is 2026-11-23.
full_day() {
	portal_db
	kennel -q owner add --first Bo --last Kim --email bo@example.com
	kennel -q creds set 2 --username bo --password-stdin <<< "another fine one 2"
	kennel -q owner add --first Cy --last Ray --email cy@example.com
	kennel -q pet add 1 --name Rex
	kennel -q pet add 2 --name Tom
	kennel -q pet add 3 --name Zed
	kennel -q prefs set vaccines.required ""
	kennel -q capacity set daycare 1
	kennel -q request add Ann --service daycare --pet Rex --start 2026-12-02
	kennel -q request approve 1
	kennel -q request add Bo --service daycare --pet Tom --start 2026-12-02
	kennel -q request add Cy --service daycare --pet Zed --start 2026-12-02
}

@test "a freed spot is offered to the first asked, held for her, and nothing twice" {
	full_day
	run -0 --separate-stderr kennel request decline 2 3 --reason "full that day" --waitlist
	assert_equal "$stderr" "$(printf 'request 2 waitlisted\nrequest 3 waitlisted')"
	assert_equal "$(sql "SELECT group_concat(status) FROM requests WHERE id IN (2, 3)")" "waitlisted,waitlisted"
	run -0 kennel waitlist list --csv
	assert_line --index 1 --partial "2,Bo Kim,"
	assert_line --index 2 --partial "3,Cy Ray,"
	# Ann cancels: the spot goes to Bo, who asked first, and is held for him
	run -0 --separate-stderr kennel request cancel 1
	assert_equal "$output" ""
	[[ "$stderr" == *"request 2: offered the freed spot (mail to bo@example.com), held until 2026-11-23T13:00:00"* ]]
	assert_equal "$(sql "SELECT request_id, expires_at, used_at IS NULL FROM waitlist_offers")" "2|2026-11-23T13:00:00|1"
	# only the hash of the link's token is kept
	assert_equal "$(sql "SELECT length(token_hash) FROM waitlist_offers")" "64"
	# the held spot is taken: nobody else gets it, staff's approval included
	kennel -q request add Ann --service daycare --pet Rex --start 2026-12-02
	run -1 --separate-stderr kennel request approve 4
	assert_equal "$stderr" "kennel: request 4: over capacity on 2026-12-02 (1 of 1 taken)"
	# run again (cron): no second offer, no second mail
	run -0 kennel waitlist offer --queue-only
	assert_equal "$(sql "SELECT count(*) FROM waitlist_offers")" "1"
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE kind = 'waitlist-offer'")" "1"
	kennel -q mail send
	run -0 mail_body bo@example.com
	assert_output --partial "A spot opened for your daycare request for Tom on"
	assert_output --partial "Wed, Dec 2, 2026. We are holding it for you until"
	assert_output --regexp "$URL/offers/[A-Za-z0-9_-]{43}"
	# sent, the outbox forgets the link
	run -0 kennel mail show 1
	assert_output --partial "[body removed: it held a single-use link]"
	refute_output --partial "/offers/"
}

@test "an expired offer moves to the next; a passed day lapses; bad input changes nothing" {
	full_day
	kennel -q request decline 2 3 --reason "full" --waitlist
	kennel -q request cancel 1
	# four hours later Bo has not confirmed: the spot goes to Cy
	KENNEL_NOW=2026-11-23T13:00:01 run -0 --separate-stderr kennel waitlist offer --queue-only
	[[ "$stderr" == *"request 3: offered the freed spot (mail to cy@example.com)"* ]]
	assert_equal "$(sql "SELECT request_id, end_reason FROM waitlist_offers ORDER BY id" | tr '\n' ' ')" "2|expired 3| "
	# the day passes: both off the waitlist
	KENNEL_TODAY=2026-12-03 run -0 kennel -v waitlist offer --queue-only
	assert_output --partial "offered 0, expired 1, lapsed 2"
	assert_equal "$(sql "SELECT group_concat(status || ':' || reason) FROM requests WHERE id IN (2, 3)")" "declined:no spot opened before the day,declined:no spot opened before the day"
	# what cannot go on the waitlist, or off it
	kennel -q request add Bo --service daycare --pet Tom --start 2026-12-09
	kennel -q request approve 4
	run -1 --separate-stderr kennel request decline 4 --reason full --waitlist
	assert_equal "$stderr" "kennel: request 4 is approved: only a pending request goes on the waitlist"
	run -1 --separate-stderr kennel waitlist rm 4
	assert_equal "$stderr" "kennel: request 4 is approved, not on the waitlist"
	run -2 --separate-stderr kennel request auto --waitlist
	[[ "$stderr" == *"usage: kennel request auto"*"[--decline-rest --reason TEXT [--waitlist]]"* ]]
	assert_equal "$(sql "SELECT status FROM requests WHERE id = 4")" "approved"
}

@test "request auto --decline-rest --waitlist waits the full, declines the refused" {
	full_day
	kennel -q prefs set vaccines.required rabies
	kennel -q vax add 1 rabies --expires 2027-06-01
	kennel -q vax add 2 rabies --expires 2027-06-01
	kennel -q request cancel 1
	kennel -q request add Ann --service daycare --pet Rex --start 2026-12-02
	# 4 (Ann) and 2 (Bo) pass the rules, one fits; 3 (Cy) has no rabies
	run -0 kennel request auto --decline-rest --reason "full" --waitlist --json
	assert_equal "$(sql "SELECT group_concat(id || ':' || status) FROM requests WHERE id > 1 ORDER BY id")" "2:approved,3:declined,4:waitlisted"
	run -0 kennel waitlist rm 4 --note "Ann booked elsewhere"
	assert_equal "$(sql "SELECT status, reason FROM requests WHERE id = 4")" "declined|Ann booked elsewhere"
}

@test "on the portal: full in schedule mode waits; the offer link books it for its owner only" {
	full_day
	kennel -q prefs set portal.daycare schedule
	kennel -q prefs set portal.waitlist true
	kennel -q request cancel 2
	kennel -q request cancel 3
	start_portal
	assert_equal "$(login bo 'another fine one 2' bo)" 303
	csrf=$(csrf_of /requests bo)
	run post /requests bo "csrf=$csrf" service=daycare pet=2 start=2026-12-02
	assert_output 303
	assert_equal "$(header Location)" "/requests?notice=waitlisted#r4"
	assert_equal "$(sql "SELECT status FROM requests WHERE id = 4")" "waitlisted"
	run -0 get "/requests?notice=waitlisted" bo
	assert_output --partial "your request is on the waitlist"
	assert_output --partial "On the waitlist"
	# Ann cancels on the portal: Bo's offer leaves at once
	assert_equal "$(login ann 'a fine password 1' ann)" 303
	csrf=$(csrf_of /requests/1/cancel ann)
	assert_equal "$(post /requests/1/cancel ann "csrf=$csrf")" 303
	wait_mail 1
	link=$(mail_link bo@example.com)
	path=${link#"$URL"}
	[[ "$path" == /offers/* ]]
	# nobody's session: the login first; another owner's: no such page
	run -0 curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$link"
	assert_output --partial "303 $URL/login?next=/offers/"
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR ann)" "$link"
	assert_output 404
	run -0 get "$path" bo
	assert_output --partial "A spot opened for your <strong>daycare</strong> request for Tom on Wed, Dec 2, 2026"
	assert_output --partial "Book it"
	# no csrf: refused, nothing changed
	assert_equal "$(post "$path" bo "csrf=wrong")" 403
	assert_equal "$(sql "SELECT status FROM requests WHERE id = 4")" "waitlisted"
	csrf=$(csrf_of "$path" bo)
	assert_equal "$(post "$path" bo "csrf=$csrf")" 303
	assert_equal "$(header Location)" "/requests?notice=booked#r4"
	assert_equal "$(sql "SELECT status FROM requests WHERE id = 4")" "approved"
	assert_equal "$(sql "SELECT used_at IS NOT NULL FROM waitlist_offers")" "1"
	# single use, and an unknown token is no better
	assert_equal "$(post "$path" bo "csrf=$csrf")" 410
	run -0 cat "$BATS_TEST_TMPDIR/b.txt"
	assert_output --partial "This offer was used already"
	assert_output --partial 'href="/requests"'
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR bo)" "$URL/offers/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	assert_output 410
	# the token is in no log line
	stop_portal
	run -0 grep -c "/offers/REDACTED" "$SERVE_LOG"
	refute_output 0
	token=${path#/offers/}
	run -1 grep -F "$token" "$SERVE_LOG"
}

@test "two owners confirming at once for the last spot: one booked, the other told it is gone" {
	full_day
	kennel -q creds set 3 --username cy --password-stdin <<< "a third fine one 3"
	kennel -q request decline 2 3 --reason "full" --waitlist
	kennel -q request cancel 1
	kennel -q mail send
	bo_link=$(mail_link bo@example.com)
	# Bo's hold runs out while Cy's offer is made: both links in hand
	sql "UPDATE waitlist_offers SET expires_at = '2026-11-23T08:00:00'"
	kennel -q waitlist offer
	cy_link=$(mail_link cy@example.com)
	[ -n "$cy_link" ]
	[ "$cy_link" != "$bo_link" ]
	start_portal
	assert_equal "$(login bo 'another fine one 2' bo)" 303
	assert_equal "$(login cy 'a third fine one 3' cy)" 303
	bo_csrf=$(csrf_of /requests bo)
	cy_csrf=$(csrf_of /requests cy)
	post "${bo_link#"$URL"}" bo "csrf=$bo_csrf" > "$BATS_TEST_TMPDIR/bo.code" &
	bo_pid=$!
	cy_code=$(post "${cy_link#"$URL"}" cy "csrf=$cy_csrf")
	wait "$bo_pid"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/bo.code") $cy_code" "410 303"
	assert_equal "$(sql "SELECT group_concat(id || ':' || status) FROM requests WHERE id IN (2, 3)")" "2:waitlisted,3:approved"
	assert_equal "$(sql "SELECT count(*) FROM requests WHERE service = 'daycare' AND start = '2026-12-02' AND status = 'approved'")" "1"
}
