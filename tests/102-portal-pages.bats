#!/usr/bin/env bats
# The owner's pages over real HTTP (PORTAL.md 3): each page, each rule,
# every value escaped, and nobody else's records.

load test_helper
load portal_helper

# ann (owner 1) with Rex, a rabies vaccination, a boarding add-on; bo
# (owner 2) with Fido.  KENNEL_TODAY is 2026-11-23.
pages_db() {
	portal_db
	kennel -q prefs set vaccines.required rabies
	kennel -q pet add 1 --name Rex
	kennel -q vax add 1 rabies --expires 2027-06-01
	kennel -q owner add --first Bo --last Ray --email bo@example.com
	kennel -q creds set 2 --username bo --password-stdin <<< "another fine one 2"
	kennel -q pet add 2 --name Fido
	kennel -q product add --name "Nail trim" --type grooming --price 15 --show-to-owner
	kennel -q product add --name "Night walk" --type boarding --price 9 --show-to-owner
}

@test "every page of an owner answers 200, behind a session, no-store" {
	pages_db
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	for path in / /account /pets /pets/1 /pets/new /requests "/requests/new?service=boarding" \
		"/requests/new?service=daycare" /calendar "/calendar?month=2026-12" /packages /billing /billing/statement /visits /contact; do
		run -0 curl -s -o /dev/null -D - -b "$(JAR)" "$URL$path"
		assert_line --partial "HTTP/1.1 200"
		assert_line --regexp '^Cache-Control: no-store'
		run -0 curl -s -o /dev/null -w '%{http_code}' "$URL$path"
		assert_output 303
	done
}

@test "another owner's pet or request is 404, never 403, and nothing changes" {
	pages_db
	kennel -q request add 2 --service daycare --pet 2 --start 2026-12-01
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	for path in /pets/2 /pets/999 /pets/9999999999999999999; do
		run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL$path"
		assert_output 404
	done
	csrf=$(csrf_of /pets)
	run post /pets/2 jar "csrf=$csrf" name=Stolen
	assert_output 404
	run post /requests/1/cancel jar "csrf=$csrf"
	assert_output 404
	run post /requests jar "csrf=$csrf" service=daycare pet=2 start=2026-12-02
	assert_output 404
	assert_equal "$(sql 'SELECT name FROM pets WHERE id = 2')" "Fido"
	assert_equal "$(sql 'SELECT status FROM requests WHERE id = 1')" "pending"
	assert_equal "$(sql 'SELECT count(*) FROM requests')" 1
}

@test "every value is escaped: a script name, raw HTML and javascript: in notes, quotes in a pet's name" {
	pages_db
	kennel -q owner edit 1 --first '<script>alert(1)</script>'
	kennel -q pet add 1 --name 'Max "the" <b>dog</b>'
	kennel -q owner note add 1 --show-to-owner 'Bring **food** <img src=x onerror=alert(2)> [click](javascript:alert(3))'
	printf 'Hello <script>alert(4)</script> and [home](https://happytails.example)\n' | kennel -q company set --message-file -
	# refused now, but a database from before may hold one: the page still
	# never links it
	run -1 kennel -q company set --webcam-url 'javascript:alert(5)'
	sql "UPDATE company SET webcam_url = 'javascript:alert(5)'"
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	run -0 get /
	assert_output --partial 'Welcome, &lt;script&gt;alert(1)&lt;/script&gt;.'
	assert_output --partial '<strong>food</strong>'
	assert_output --partial '<a href="">click</a>'
	assert_output --partial '<a href="https://happytails.example">home</a>'
	assert_output --partial 'Max &quot;the&quot; &lt;b&gt;dog&lt;/b&gt;'
	refute_output --partial '<script>'
	refute_output --partial 'onerror'
	refute_output --partial 'javascript:'
	refute_output --partial 'Watch the webcam'
	run -0 get /pets
	assert_output --partial 'Max &quot;the&quot; &lt;b&gt;dog&lt;/b&gt;'
	run -0 get "/requests/new?service=boarding"
	assert_output --partial '> Max &quot;the&quot; &lt;b&gt;dog&lt;/b&gt;</label>'
}

@test "home: the message, notes newest first, vaccination box, block conflicts, pending requests, menu, webcam" {
	pages_db
	kennel -q pet add 1 --name Bella
	kennel -q vax add Bella rabies --expires 2026-10-01 2>/dev/null || kennel -q vax add 3 rabies --expires 2026-10-01
	kennel -q owner note add 1 --show-to-owner "older note"
	sql "UPDATE owner_notes SET created_at = '2026-01-01T00:00:00'"
	kennel -q owner note add 1 --show-to-owner "newer note"
	kennel -q owner note add 1 "staff only, never shown"
	kennel -q company set --webcam-url https://cam.happytails.example/live
	kennel -q request add 1 --service boarding --pet 1 --start 2026-12-20 --end 2026-12-27
	kennel -q request approve 1
	kennel -q block add --service boarding --from 2026-12-24 --to 2026-12-26 --reason Christmas
	kennel -q request add 1 --service daycare --pet 1 --start 2026-12-02
	kennel -q prefs set portal.training off
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	run -0 get /
	assert_output --partial 'Bella</a>: rabies expired on Thu, Oct 1, 2026'
	refute_output --partial 'Rex</a>: rabies'
	assert_output --partial 'Your boarding from Sun, Dec 20, 2026 to Sun, Dec 27, 2026 falls in a closed period (Thu, Dec 24, 2026 to Sat, Dec 26, 2026: Christmas)'
	assert_output --partial 'daycare Wed, Dec 2, 2026'
	assert_output --partial '<a href="/requests/new?service=boarding">Request boarding</a>'
	refute_output --partial 'service=training'
	assert_output --partial '<a href="https://cam.happytails.example/live" rel="noopener noreferrer">Watch the webcam</a>'
	refute_output --partial 'staff only'
	# what is coming first, a clear way to book, who is logged in
	assert_output --partial '<a class="book" href="/requests">Book a visit</a>'
	assert_output --regexp '<h2>Coming up</h2>.*'
	assert_output --regexp '<li><a href="/requests#r[0-9]+">boarding for [A-Za-z, ]+: Sun, Dec 20, 2026 to Sun, Dec 27, 2026</a></li>'
	assert_output --partial '<p class="who">Logged in as <strong>ann</strong></p>'
	coming=$(echo "$output" | grep -n 'Coming up' | cut -d: -f1)
	vax=$(echo "$output" | grep -n '<h2>Vaccinations' | cut -d: -f1)
	[ "$coming" -lt "$vax" ]
	newer=$(echo "$output" | grep -n 'newer note' | cut -d: -f1)
	older=$(echo "$output" | grep -n 'older note' | cut -d: -f1)
	[ "$newer" -lt "$older" ]
	run -0 kennel portal preview ann --json
	assert_equal "$(echo "$output" | jq -r '.vaccinations[0].pet + " " + .vaccinations[0].vaccine + " " + .vaccinations[0].since')" "Bella rabies Thu, Oct 1, 2026"
	assert_equal "$(echo "$output" | jq -r '[.menu[].path] | join(" ")')" "/requests/new?service=boarding /requests/new?service=daycare /requests/new?service=grooming /requests/new?service=service"
	assert_equal "$(echo "$output" | jq -r '.notes[0].text')" "newer note"
	assert_equal "$(echo "$output" | jq -r '.conflicts[0].reason')" "Christmas"
	run -0 kennel portal preview 1
	assert_output --partial "newer note"
}

@test "request boarding with an add-on: pending for staff, audited as the owner; staff approve; the owner sees it" {
	pages_db
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	run -0 get "/requests/new?service=boarding"
	assert_output --partial 'Nail trim ($15.00)'
	refute_output --partial 'Night walk'
	addon=$(sql "SELECT id FROM products WHERE name = 'Nail trim'")
	csrf=$(csrf_of /requests)
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2026-12-20 start_time=08:30 \
		end=2026-12-23 end_time=99:00 "addon=$addon"
	assert_output 422
	assert_equal "$(sql 'SELECT count(*) FROM requests')" 0
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2026-12-20 start_time=08:30 \
		end=2026-12-23 end_time=17:30 "addon=$addon" "note=He likes <toys>"
	assert_output 303
	assert_equal "$(sql 'SELECT start_time, end_time FROM requests')" "08:30|17:30"
	assert_equal "$(header Location)" "/requests?notice=requested#r1"
	assert_equal "$(sql 'SELECT owner_id, service, start, end, start_time, status, note FROM requests')" \
		"1|boarding|2026-12-20|2026-12-23|08:30|pending|He likes <toys>"
	assert_equal "$(sql 'SELECT product_id FROM request_addons')" "$addon"
	run -0 kennel log --owner 1 --limit 1
	assert_output --partial "owner:1"
	assert_output --partial "boarding requested by owner 1"
	run -0 get "/requests?notice=requested"
	assert_output --partial 'Your request was sent.'
	assert_output --partial '<strong class="status">Waiting for approval</strong>'
	assert_output --partial 'He likes &lt;toys&gt;'
	kennel -q request approve 1
	run -0 get /requests
	assert_output --partial '<strong class="status">Approved</strong>'
	kennel -q block add --from 2026-12-25 --to 2026-12-25 --reason Christmas
	run -0 get "/calendar?month=2026-12"
	# a month grid, Sunday first: December 2026 starts on a Tuesday
	assert_output --partial '<thead><tr><th scope="col">Sun</th><th scope="col">Mon</th>'
	assert_output --partial '<tr><td></td><td></td><td><span class="day" title="Tue, Dec 1, 2026">1</span></td>'
	assert_output --partial '<td><span class="day" title="Mon, Dec 21, 2026">21</span><span class="booking approved">Rex: boarding · <em>Approved</em></span></td>'
	assert_output --partial '<td><span class="day" title="Fri, Dec 25, 2026">25</span><span class="closed">Closed (Christmas)</span></td>'
	# the phone's list: only the days that have something
	assert_output --partial '<li><strong>Sun, Dec 20, 2026</strong><br>Rex: boarding · <em>Approved</em></li>'
	assert_equal "$(echo "$output" | grep -c '^<li><strong>')" 5
	kennel -q request add 1 --service daycare --pet Rex --start 2027-01-04
	run -0 get "/calendar?month=2027-01"
	assert_output --partial '<span class="booking pending">Rex: daycare · <em>Waiting for approval</em></span>'
	run -0 get "/calendar?month=2027-03"
	assert_output --partial 'Nothing booked this month.'
	run -0 get /requests
	assert_output --partial '<strong>boarding</strong> Sun, Dec 20, 2026 at 8:30 AM to Wed, Dec 23, 2026 at 5:30 PM · Rex'
	# display.date is on the very next page, in every style
	kennel -q prefs set display.date day-month
	run -0 get "/calendar?month=2026-12"
	assert_output --partial '<li><strong>Mon 21 Dec 2026</strong><br>Rex: boarding'
	kennel -q prefs set display.date iso
	run -0 get /requests
	assert_output --partial '<strong>boarding</strong> 2026-12-20 at 08:30 to 2026-12-23 at 17:30 · Rex'
}

@test "a module set to schedule books at once, or says which rule refused; off is 404" {
	pages_db
	kennel -q prefs set portal.daycare schedule
	kennel -q capacity set daycare 1
	kennel -q vax add 2 rabies --expires 2027-06-01
	kennel -q request add 2 --service daycare --pet 2 --start 2026-12-05
	kennel -q request approve 1
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	csrf=$(csrf_of /requests)
	run post /requests jar "csrf=$csrf" service=daycare pet=1 start=2026-12-04
	assert_output 303
	assert_equal "$(header Location)" "/requests?notice=booked#r2"
	assert_equal "$(sql 'SELECT status FROM requests WHERE id = 2')" "approved"
	run post /requests jar "csrf=$csrf" service=daycare pet=1 start=2026-12-05
	assert_output 303
	assert_equal "$(header Location)" "/requests?notice=not-booked#r3"
	assert_equal "$(sql 'SELECT status, reason FROM requests WHERE id = 3')" "pending|We are full on Sat, Dec 5, 2026: please choose another day."
	run -0 get /requests
	assert_output --partial '<span class="reason">We are full on Sat, Dec 5, 2026: please choose another day.</span>'
	kennel -q block add --from 2026-12-10 --to 2026-12-12 --reason "Staff training"
	run post /requests jar "csrf=$csrf" service=daycare pet=1 start=2026-12-11
	assert_equal "$(sql 'SELECT reason FROM requests WHERE id = 4')" "We are closed from Thu, Dec 10, 2026 to Sat, Dec 12, 2026 (Staff training): please choose other days."
	kennel -q prefs set portal.grooming off
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL/requests/new?service=grooming"
	assert_output 404
	run post /requests jar "csrf=$csrf" service=grooming pet=1 start=2026-12-11
	assert_output 404
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL/requests/new?service=spa"
	assert_output 404
}

@test "one POST books no capacity for years: a day service takes no end, a stay at most portal.max_nights" {
	pages_db
	kennel -q prefs set portal.daycare schedule
	kennel -q prefs set portal.boarding schedule
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	csrf=$(csrf_of /requests)
	# the attack: daycare from 2027 to 2030, boarding for ten years
	run post /requests jar "csrf=$csrf" service=daycare pet=1 start=2027-01-04 end=2030-01-04
	assert_output 422
	run -0 grep -c 'This service is for one day; send a request for each day.' "$BATS_TEST_TMPDIR/b.txt"
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2027-01-04 end=2037-01-04
	assert_output 422
	run -0 grep -c 'A stay can be at most 30 nights here; call us to book a longer one.' "$BATS_TEST_TMPDIR/b.txt"
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2027-01-04 end=2027-01-04
	assert_output 422
	run -0 grep -c 'The pick-up day must be after the drop-off day.' "$BATS_TEST_TMPDIR/b.txt"
	assert_equal "$(sql 'SELECT count(*) FROM requests')" 0
	# 30 nights is a stay; the preference moves the line
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2027-01-04 end=2027-02-03
	assert_output 303
	kennel -q prefs set portal.max_nights 7
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2027-03-01 end=2027-03-09
	assert_output 422
	run -0 grep -c 'A stay can be at most 7 nights here' "$BATS_TEST_TMPDIR/b.txt"
	assert_equal "$(sql 'SELECT count(*) FROM requests')" 1
	# staff may book past it, and only with --force
	run -1 --separate-stderr kennel request add 1 --service boarding --pet Rex --start 2027-03-01 --end 2027-03-09
	assert_equal "$stderr" "kennel: a stay of 8 nights is longer than portal.max_nights (7); --force books it"
	run -0 kennel -q request add 1 --service boarding --pet Rex --start 2027-03-01 --end 2027-03-09 --force
	assert_equal "$(sql 'SELECT count(*) FROM requests')" 2
}

@test "a double click on Send request makes one request; a pet sent twice is refused" {
	pages_db
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	csrf=$(csrf_of /requests)
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2027-01-04 end=2027-01-08 note="Rex eats at 6"
	assert_output 303
	first=$(header Location)
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2027-01-04 end=2027-01-08 note="Rex eats at 6"
	assert_output 303
	assert_equal "$(header Location)" "$first"
	assert_equal "$(sql 'SELECT count(*) FROM requests')" 1
	# anything different is another request
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2027-01-04 end=2027-01-09 note="Rex eats at 6"
	assert_output 303
	assert_equal "$(sql 'SELECT count(*) FROM requests')" 2
	run post /requests jar "csrf=$csrf" service=boarding pet=1 pet=1 start=2027-02-04 end=2027-02-08
	assert_output 422
	run -0 grep -c 'Choose each pet once.' "$BATS_TEST_TMPDIR/b.txt"
	assert_equal "$(sql 'SELECT count(*) FROM requests')" 2
	# a cancelled one is not answered with: the owner asks again
	kennel -q request cancel 1
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2027-01-04 end=2027-01-08 note="Rex eats at 6"
	assert_output 303
	assert_equal "$(sql 'SELECT count(*) FROM requests')" 3
	run -1 --separate-stderr kennel request add 1 --service daycare --pet Rex,Rex --start 2027-03-01
	assert_equal "$stderr" "kennel: pet 1 is named twice"
}

@test "a closed day or a booking hides no vaccination problem: every reason is told" {
	pages_db
	kennel -q prefs set portal.boarding schedule
	sql "UPDATE vaccinations SET expires_on = '2026-12-21'"
	kennel -q block add --from 2026-12-24 --to 2026-12-25 --reason "Staff training"
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	csrf=$(csrf_of /requests)
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2026-12-20 end=2026-12-27
	assert_output 422
	run grep -c "<p class=\"error\">We are closed from Thu, Dec 24, 2026 to Fri, Dec 25, 2026 (Staff training): please choose other days. Rex&#39;s rabies vaccination expires on Mon, Dec 21, 2026, before your visit ends on Sun, Dec 27, 2026: please send us the new certificate.</p>" "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	assert_equal "$(sql 'SELECT count(*) FROM requests')" 0
}

@test "request mode: a pet without current papers waits for them, and the owner is told what to send" {
	pages_db
	sql "UPDATE vaccinations SET expires_on = '2026-12-21'"
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	csrf=$(csrf_of /requests)
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2026-12-20 end=2026-12-27
	assert_output 303
	assert_equal "$(header Location)" "/requests?notice=papers#r1"
	assert_equal "$(sql 'SELECT status, papers_needed FROM requests')" "pending|1"
	run -0 get "/requests?notice=papers"
	assert_output --partial "Before we can approve it we need your pet&#39;s vaccination papers"
	assert_output --partial "please send us the new certificate."
	# staff see the flag; approving waits for the papers, then goes
	run -0 kennel request list --json
	assert_equal "$(echo "$output" | jq -c '.[0] | [.papers_needed, .status]')" '[true,"pending"]'
	run -1 kennel request approve 1
	kennel -q vax add 1/Rex rabies --expires 2027-12-01
	run -0 kennel request approve 1
	assert_equal "$(sql 'SELECT status, papers_needed FROM requests')" "approved|0"
	# a brand-new pet with nothing on file: the same, not a dead end
	kennel -q pet add 1 --name Milo
	run post /requests jar "csrf=$csrf" service=daycare pet=3 start=2026-12-02
	assert_output 303
	assert_equal "$(sql "SELECT papers_needed, reason FROM requests WHERE id = 2")" "1|We have no rabies vaccination on record for Milo: please send us your vet's papers."
}

@test "schedule mode: a pet whose vaccination expires before the end is refused, naming pet, vaccine and date" {
	pages_db
	kennel -q prefs set portal.boarding schedule
	sql "UPDATE vaccinations SET expires_on = '2026-12-21'"
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	csrf=$(csrf_of /requests)
	run post /requests jar "csrf=$csrf" service=boarding pet=1 start=2026-12-20 end=2026-12-27
	assert_output 422
	run grep -c "<p class=\"error\">Rex&#39;s rabies vaccination expires on Mon, Dec 21, 2026, before your visit ends on Sun, Dec 27, 2026: please send us the new certificate.</p>" "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	assert_equal "$(sql 'SELECT count(*) FROM requests')" 0
	# the form comes back with what was chosen
	run grep -c 'name="pet" value="1" checked' "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	run post /requests jar "csrf=$csrf" service=boarding start=2020-01-01
	assert_output 422
	run grep -c -e 'Choose at least one pet.' -e 'That day has passed.' -e 'Enter the day you pick up.' "$BATS_TEST_TMPDIR/b.txt"
	assert_output 3
}

@test "cancel a pending or upcoming request; a past one cannot be" {
	pages_db
	kennel -q request add 1 --service daycare --pet 1 --start 2026-12-02
	kennel -q request add 1 --service daycare --pet 1 --start 2026-11-01
	kennel -q request approve 2 --force
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	# cancel is a second step: the list links to a page that says what goes
	run -0 get /requests
	assert_output --partial '<a class="secondary" href="/requests/1/cancel">Cancel this request…</a>'
	refute_output --partial 'action="/requests/1/cancel"'
	run -0 get /requests/1/cancel
	assert_output --partial 'You are about to cancel your <strong>daycare</strong> Wed, Dec 2, 2026 · Rex (Waiting for approval).'
	assert_output --partial '<button type="submit">Yes, cancel it</button>'
	assert_output --partial '<a href="/requests#r1">No, keep it</a>'
	assert_equal "$(sql 'SELECT status FROM requests WHERE id = 1')" "pending"
	run -0 get /requests/2/cancel
	refute_output --partial 'Yes, cancel it'
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL/requests/99/cancel"
	assert_output 404
	csrf=$(csrf_of /requests/1/cancel)
	run post /requests/1/cancel jar "csrf=$csrf"
	assert_output 303
	assert_equal "$(sql 'SELECT status, reason FROM requests WHERE id = 1')" "cancelled|cancelled by the owner on the portal"
	run post /requests/2/cancel jar "csrf=$csrf"
	assert_output 422
	assert_equal "$(sql 'SELECT status FROM requests WHERE id = 2')" "approved"
	run -0 curl -s -o /dev/null -w '%{http_code}' -X PUT -b "$(JAR)" "$URL/requests/1/cancel"
	assert_output 405
}

@test "the calendar feed: a link shown once, stored hashed, replaceable, ended with the login" {
	pages_db
	kennel -q request add 1 --service boarding --pet 1 --start 2026-12-20T08:30 --end 2026-12-23
	kennel -q request approve 1
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	run -0 get /calendar
	assert_output --partial 'Make a calendar link'
	csrf=$(csrf_of /calendar)
	run -0 curl -s -b "$(JAR)" -c "$(JAR)" -d "csrf=$csrf" "$URL/calendar/key"
	assert_output --partial 'it is shown only this once'
	feed=$(echo "$output" | grep -o "$URL/calendar.ics?key=[0-9a-f]*" | head -1)
	[ -n "$feed" ]
	key=${feed#*key=}
	# the database holds only the key's hash, and nothing the link is made from
	assert_equal "$(sql 'SELECT count(*) FROM portal_calendar_keys')" 1
	run -0 sqlite3 "$KENNEL_DB" .dump
	refute_output --partial "$key"
	assert_equal "$(sql "SELECT count(*) FROM pragma_table_info('portal_calendar_keys') WHERE name = 'nonce'")" 0
	# the page shows it never again, only that it exists
	run -0 get /calendar
	refute_output --partial "$key"
	assert_output --partial 'You made a calendar link on 2026-11-23.'
	assert_output --partial 'Make a new link'
	run -0 curl -s -D "$BATS_TEST_TMPDIR/h.txt" "$feed"
	assert_equal "$(header Content-Type)" "text/calendar; charset=utf-8"
	assert_line --partial "BEGIN:VCALENDAR"
	assert_line --partial "DTSTART;VALUE=DATE:20261220"
	assert_line --partial "DTEND;VALUE=DATE:20261224"
	assert_line --partial "SUMMARY:boarding: Rex"
	assert_line --partial "STATUS:CONFIRMED"
	run -0 curl -s -b "$(JAR)" -c "$(JAR)" -d "csrf=$csrf" "$URL/calendar/key"
	feed2=$(echo "$output" | grep -o "$URL/calendar.ics?key=[0-9a-f]*" | head -1)
	run -0 curl -s -o /dev/null -w '%{http_code}' "$feed"
	assert_output 404
	run -0 curl -s -o /dev/null -w '%{http_code}' "$feed2"
	assert_output 200
	run -0 curl -s -o /dev/null -w '%{http_code}' "$URL/calendar.ics?key=$(printf 'a%.0s' $(seq 64))"
	assert_output 404
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL/calendar?month=2026-13"
	assert_output 400
	# staff ending the owner's portal login ends the feed too
	kennel -q portal logout ann
	run -0 curl -s -o /dev/null -w '%{http_code}' "$feed2"
	assert_output 404
	assert_equal "$(sql 'SELECT count(*) FROM portal_calendar_keys')" 0
}

@test "the calendar feed ends with a new password and with revoked access" {
	pages_db
	start_portal
	for end in password revoke; do
		kennel -q creds set 1 --username ann --password-stdin <<< "a fine password 1"
		assert_equal "$(login ann 'a fine password 1')" 303
		csrf=$(csrf_of /calendar)
		run -0 curl -s -b "$(JAR)" -c "$(JAR)" -d "csrf=$csrf" "$URL/calendar/key"
		feed=$(echo "$output" | grep -o "$URL/calendar.ics?key=[0-9a-f]*" | head -1)
		run -0 curl -s -o /dev/null -w '%{http_code}' "$feed"
		assert_output 200
		if [ "$end" = password ]; then
			kennel -q creds set 1 --password-stdin <<< "another fine one 9"
		else
			kennel -q creds revoke 1
		fi
		run -0 curl -s -o /dev/null -w '%{http_code}' "$feed"
		assert_output 404
	done
}

@test "packages: days left, days already booked, end date and history; the invoice with items" {
	pages_db
	kennel -q product add --name "10 Days of Daycare" --type daycare-package --price 200 --days 10 --days-active 365
	kennel -q order purchase 1 "10 Days of Daycare" --checkout --payment card
	kennel -q request add 1 --service daycare --pet 1 --start 2026-12-01 --end 2026-12-03
	kennel -q request approve 1
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	run -0 get /packages
	assert_output --partial '<h2>10 Days of Daycare</h2>'
	assert_output --partial '<strong>10</strong> of 10 left'
	assert_output --partial 'Already booked on upcoming approved requests: 3'
	assert_output --partial '<td>purchased</td><td>10 left'
	run -0 get /billing/orders/1
	assert_output --partial '<tr><td>10 Days of Daycare</td><td>1</td><td>$200.00</td><td>$200.00</td></tr>'
	assert_output --partial 'Total $200.00 · paid $200.00</p>'
	assert_output --partial '<p>Mon, Nov 23, 2026 · Payment, card · $200.00</p>'
}

@test "billing: balance due and credit, due invoices with their age and the pay link, paid ones, payments" {
	pages_db
	KENNEL_TODAY=2026-11-01 kennel -q order purchase 1 "Nail trim" --checkout --payment cash --amount 5
	kennel -q order purchase 1 "Nail trim" --checkout --payment card
	kennel -q order purchase 2 "Nail trim" --checkout --on-account
	kennel -q company instructions set billing --file - <<< "Pay at the **front desk**."
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	run -0 get /billing
	assert_output --partial '<strong>Balance due: $10.00</strong>'
	assert_output --partial '<a href="/billing/orders/1"><strong>Invoice 1</strong></a> · Sun, Nov 1, 2026 (22 days ago) · total $15.00 · <strong>$10.00 due</strong>'
	# no pay URL: the billing instructions, as Markdown made safe
	assert_output --partial '<h3>How to pay</h3><p>Pay at the <strong>front desk</strong>.</p>'
	assert_output --partial '<p><a href="/billing/orders/2">Invoice 2</a> · Mon, Nov 23, 2026 · $15.00</p>'
	assert_output --partial '<p>Sun, Nov 1, 2026 · Payment, cash · $5.00</p>'
	run -0 get /
	assert_output --partial 'Balance due: <strong>$10.00</strong>'
	# the business's payment page, filled in per invoice
	kennel -q company set --pay-url 'https://pay.example/happy?invoice={order}&amount={amount}&c={owner}'
	run -0 get /billing
	assert_output --partial '<a class="button" href="https://pay.example/happy?invoice=1&amp;amount=10.00&amp;c=1" rel="noopener">Pay $10.00</a>'
	refute_output --partial 'How to pay'
	run -0 get /billing/orders/1
	assert_output --partial '<strong>Due</strong>'
	assert_output --partial 'Pay $10.00</a>'
	# another owner's invoice does not exist for her; /purchases is the bill now
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL/billing/orders/3"
	assert_output 404
	run -0 curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -b "$(JAR)" "$URL/purchases"
	assert_output "301 $URL/billing"
	# paid in full by a later payment: nothing due, the rest is credit
	kennel -q payment add 1 25 --method cash
	run -0 get /billing
	assert_output --partial 'Nothing is due. Thank you!'
	assert_output --partial 'Credit on your account: <strong>$15.00</strong>'
	run -0 get /
	assert_output --partial 'Credit on your account: $15.00'
	# a statement per month with something in it
	run -0 get /billing
	assert_output --partial '<p><a href="/billing/statement?month=2026-11">November 2026</a></p>'
	run -0 get "/billing/statement?month=2026-11"
	assert_output --partial '<h1>Statement for November 2026</h1>'
	assert_output --partial '<p>Balance on the 1st: <strong>$0.00</strong></p>'
	assert_output --partial '<p>Sun, Nov 1, 2026 · Invoice 1 · charge $15.00 · balance $15.00</p>'
	assert_output --partial '<p>Sun, Nov 1, 2026 · Payment, cash · paid $5.00 · balance $10.00</p>'
	assert_output --partial '<p>Balance at the end of the month: <strong>-$15.00</strong></p>'
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL/billing/statement?month=2026-13"
	assert_output 404
}

@test "the pay URL must be https and say which invoice" {
	portal_db
	run -1 --separate-stderr kennel company set --pay-url 'http://pay.example/{order}'
	assert_equal "$stderr" "kennel: --pay-url 'http://pay.example/{order}': a payment page must be https://"
	run -1 --separate-stderr kennel company set --pay-url 'https://pay.example/x'
	assert_equal "$stderr" "kennel: --pay-url 'https://pay.example/x' has no {order} in it (also {amount} and {owner})"
	run -0 kennel company show --json
	assert_equal "$(echo "$output" | jq -r .pay_url)" "null"
}

@test "packages: a carried-over package shows what was carried over, not the \$0 product's steps" {
	pages_db
	printf 'owner_id,days_left,end_date\n1,5,2027-03-01\n' > "$BATS_TEST_TMPDIR/c.csv"
	kennel -q package carryover "$BATS_TEST_TMPDIR/c.csv"
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	run -0 get /packages
	assert_output --partial '<strong>5</strong> left · ends Mon, Mar 1, 2027</p>'
	assert_output --partial 'Carried over from our previous system.'
	refute_output --partial 'of 1 left'
	# the history starts with the carry-over, and no made-up end date
	assert_output --partial '<td>carried over</td><td>5 left, ends 2027-03-01</td>'
	refute_output --partial '<td>purchased</td>'
	refute_output --partial "$(sql "SELECT end_after FROM package_history WHERE action = 'purchased'")"
}

@test "account: edits are saved and audited as the owner; a new email needs the current password" {
	pages_db
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	csrf=$(csrf_of /account)
	run post /account jar "csrf=$csrf" first_name=Annie last_name=Lee email=ann@example.com phone=555-0111 \
		"address=1 Main St" city=Springfield state=IL zip=62701 email_opt_out=1
	assert_output 303
	assert_equal "$(header Location)" "/account?notice=saved"
	assert_equal "$(sql 'SELECT first_name, phone, city, email_opt_out FROM owners WHERE id = 1')" "Annie|555-0111|Springfield|1"
	run -0 kennel log --owner 1 --limit 1
	assert_output --partial "owner:1"
	run post /account jar "csrf=$csrf" first_name=Annie last_name=Lee email=new@example.com
	assert_output 422
	run grep -c 'To change your email, enter your current password.' "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	run grep -c 'value="new@example.com"' "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	assert_equal "$(sql 'SELECT email FROM owners WHERE id = 1')" "ann@example.com"
	# another owner's login address is not taken
	run post /account jar "csrf=$csrf" first_name=Annie last_name=Lee email=BO@example.com "current=a fine password 1"
	assert_output 422
	run -0 grep -c 'Another account uses this email address. Enter another one, or call us.' "$BATS_TEST_TMPDIR/b.txt"
	assert_equal "$(sql 'SELECT email FROM owners WHERE id = 1')" "ann@example.com"
	run post /account jar "csrf=$csrf" first_name=Annie last_name=Lee email=new@example.com "current=a fine password 1"
	assert_output 303
	assert_equal "$(sql 'SELECT email, username FROM owners WHERE id = 1')" "new@example.com|ann"
	# the old address is told, and where the mail goes now
	wait_mail 1
	run -0 mail_body ann@example.com
	assert_output --partial "was just changed to new@example.com"
	assert_equal "$(sql "SELECT to_addr FROM outbox WHERE kind = 'email-changed'")" "ann@example.com"
}

@test "change password: the current one is checked, every session ends, a mail says so" {
	pages_db
	start_portal
	assert_equal "$(login ann 'a fine password 1' other)" 303
	assert_equal "$(login ann 'a fine password 1')" 303
	kennel -q prefs set portal.single_session false
	csrf=$(csrf_of /account)
	run post /account/password jar "csrf=$csrf" current=wrong "password=my new password 7" "confirm=my new password 7"
	assert_output 422
	run grep -c 'That is not your current password.' "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	run post /account/password jar "csrf=$csrf" "current=a fine password 1" "password=my new password 7" "confirm=my new password 7"
	assert_output 303
	assert_equal "$(header Location)" "/login?notice=password-changed"
	assert_equal "$(sql 'SELECT count(*) FROM portal_sessions WHERE ended_at IS NULL')" 0
	wait_mail 1
	run -0 mail_body ann@example.com
	assert_output --partial "was just changed"
	assert_equal "$(login ann 'my new password 7')" 303
}

@test "pets: add and edit, audited as the owner; vaccinations are read-only" {
	pages_db
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	csrf=$(csrf_of /pets/new)
	run post /pets/new jar "csrf=$csrf" name=Luna species=cat breed=Siamese birthday=2020-05-01
	assert_output 303
	id=$(sql "SELECT id FROM pets WHERE name = 'Luna'")
	assert_equal "$(header Location)" "/pets/$id?notice=saved"
	assert_equal "$(sql "SELECT owner_id, species, birthday FROM pets WHERE id = $id")" "1|cat|2020-05-01"
	run post "/pets/$id" jar "csrf=$csrf" name=Luna species=cat birthday=not-a-date
	assert_output 422
	run grep -c '<p class="error">Enter the birthday like 2020-05-31.</p>' "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	run post "/pets/$id" jar "csrf=$csrf" name=Luna species=cat birthday=2030-01-01
	assert_output 422
	run grep -c '<p class="error">That day has not come yet.</p>' "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	run post "/pets/$id" jar "csrf=$csrf" name=Luna species=cat weight=4kg
	assert_output 303
	assert_equal "$(sql "SELECT weight FROM pets WHERE id = $id")" "4kg"
	run -0 kennel log --owner 1 --limit 2
	assert_output --partial "owner:1"
	run -0 get /pets/1
	assert_output --partial '<td>rabies</td><td>06/01/2027</td><td class="current">current</td>'
	refute_output --partial 'name="rabies"'
	# species and sex are choices; a value of another kind (an import's) is kept
	run -0 get "/pets/$id"
	assert_output --partial '<option value="cat" selected>Cat</option>'
	assert_output --partial '<option value="" selected>Not given</option>'
	assert_output --partial '<label for="color">Color</label>'
	kennel -q pet edit "$id" --species ferret --sex MN
	run -0 get "/pets/$id"
	assert_output --partial '<option value="ferret" selected>ferret</option>'
	assert_output --partial '<option value="MN" selected>MN</option>'
	run -0 get /pets/new
	assert_output --partial '<option value="dog" selected>Dog</option>'
}

@test "contact: one mail to the company, Reply-To the owner, at most 10 a day" {
	pages_db
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	csrf=$(csrf_of /contact)
	run post /contact jar "csrf=$csrf" "subject=Pick-up time" "message=Can I come at 6?"
	assert_output 303
	wait_mail 1
	run -0 mail_to frontdesk@happytails.example
	assert_line --partial "Reply-To: ann@example.com"
	assert_line --partial "Subject: Portal message from Ann Lee: Pick-up time"
	for i in $(seq 2 10); do post /contact jar "csrf=$csrf" "subject=s$i" "message=m$i" >/dev/null; done
	run post /contact jar "csrf=$csrf" subject=eleven message=eleven
	assert_output 429
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE kind = 'contact'")" 10
	run post /contact jar "csrf=$csrf" "subject=$(printf 'a\rb')" message=x
	assert_output 422
}

@test "pages keep answering 200 while kennel owner import writes 100,000 rows" {
	pages_db
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	/usr/bin/python3 -c '
import sys
print("first_name,last_name,email")
for i in range(100000):
    print(f"F{i},L{i},o{i}@example.com")' > big.csv
	kennel -q owner import big.csv &
	importer=$!
	codes=""
	while kill -0 "$importer" 2>/dev/null; do
		codes+="$(curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL/") "
	done
	wait "$importer"
	echo "$codes" | tr ' ' '\n' | sort | uniq -c
	[ -n "$codes" ]
	run grep -c -v '^200$' <(echo "$codes" | tr ' ' '\n' | grep .)
	assert_output 0
	assert_equal "$(sql 'SELECT count(*) FROM owners')" 100002
}

@test "a page view shows what another process committed a moment before (no stale page)" {
	pages_db
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	run -0 get /
	refute_output --partial "Fresh note"
	# (not $i: bats' run uses that name)
	for note in 1 2 3; do
		kennel -q owner note add 1 --show-to-owner "Fresh note $note" >/dev/null
		run -0 get /
		assert_output --partial "Fresh note $note"
	done
	sql "UPDATE owners SET first_name = 'Annabel' WHERE id = 1"
	run -0 get /
	assert_output --partial "Welcome, Annabel."
	# and the server never took another process's locks away
	[ -e "$KENNEL_DB-wal" ]
	run -0 kennel db check
}

@test "home for an owner with no pet: adding one is the first step; footer and logo on every page" {
	portal_db
	kennel -q company set --phone 555-0100 --address "12 Elm St, Portland OR 97201" \
		--hours "Mon-Fri 7am-7pm, Sat 8am-noon"
	# the logo's type is read from its bytes; a file that only says .png is refused
	printf 'GIF89a not a png' > fake.png
	run -1 --separate-stderr kennel company set --logo fake.png
	assert_equal "$stderr" "kennel: --logo 'fake.png': not a PNG or JPEG image"
	head -c 600000 /dev/zero | { printf '\x89PNG\r\n\x1a\n'; cat; } > big.png
	run -1 --separate-stderr kennel company set --logo big.png --hours "never"
	assert_equal "$stderr" "kennel: --logo 'big.png': larger than 512 KiB"
	assert_equal "$(sql 'SELECT hours FROM company')" "Mon-Fri 7am-7pm, Sat 8am-noon"
	printf '\x89PNG\r\n\x1a\nfake image data' > logo.png
	kennel -q company set --logo logo.png
	start_portal
	run -0 curl -s "$URL/login"
	assert_output --partial '<img src="/logo" alt="" class="logo"> Happy Tails</a>'
	assert_output --partial '<p>Happy Tails · 555-0100 · 12 Elm St, Portland OR 97201</p>'
	assert_output --partial '<p>Hours: Mon-Fri 7am-7pm, Sat 8am-noon</p>'
	run -0 curl -s -D - -o logo.out "$URL/logo"
	assert_line --partial "Content-Type: image/png"
	assert_line --partial "X-Content-Type-Options: nosniff"
	cmp logo.out logo.png
	assert_equal "$(login ann 'a fine password 1')" 303
	run -0 get /
	assert_output --partial '<h2>First, add your pet</h2>'
	assert_output --partial '<a class="book" href="/pets/new">Add your pet</a>'
	refute_output --partial 'Every required vaccination is up to date'
	refute_output --partial 'Book a visit'
	assert_output --partial '<p>Nothing booked yet.</p>'
	# a stay's form asks for the pick-up time; no add-ons offered, no box for them
	run -0 get "/requests/new?service=boarding"
	assert_output --partial '<label for="end_time">Pick-up time</label>'
	refute_output --partial 'Add-ons'
	# removed: no logo, and /logo is 404
	kennel -q company set --logo ''
	run -0 curl -s -o /dev/null -w '%{http_code}' "$URL/logo"
	assert_output 404
	run -0 curl -s "$URL/login"
	refute_output --partial '/logo'
}

@test "the home page says who is signed in now; /visits lists visits with what settled them and the report card" {
	pages_db
	kennel -q prefs set display.date us
	kennel -q product add --name Daycare --type daycare --price 30
	kennel -q pet add 1 --name Mia
	kennel -q prefs set vaccines.required.daycare ""
	KENNEL_NOW=2026-11-22T08:00 kennel -q desk in Rex --service daycare
	KENNEL_NOW=2026-11-22T17:00 kennel -q desk out Rex --card "Rex <b>played</b> all day."
	KENNEL_NOW=2026-11-23T08:02 kennel -q desk in Mia --service daycare
	KENNEL_NOW=2026-11-23T08:05 kennel -q desk in Fido --service daycare
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	run -0 get /
	assert_output --partial "Mia is at daycare since 8:02 AM."
	refute_output --partial "Fido"
	run -0 get /visits
	assert_output --partial "<h2>Mia: daycare</h2>"
	assert_output --partial "here now"
	assert_output --partial "Charged \$30.00"
	assert_output --partial "out at 5:00 PM"
	assert_output --partial "Rex &lt;b&gt;played&lt;/b&gt; all day."
	refute_output --partial "Fido"
	# the first visit is listed last: newest first
	[[ "$output" == *"Mia: daycare"*"Rex: daycare"* ]]
}

@test "packages/buy: off by default (404); on, a shown package is bought on invoice, the company told" {
	pages_db
	kennel -q product add --name "10 Days of Daycare" --type daycare-package --price 200 --days 10 --days-active 365 --show-to-owner
	kennel -q product add --name "Staff pack" --type daycare-package --price 100 --days 5 --days-active 30
	start_portal
	assert_equal "$(login ann 'a fine password 1' jar)" 303
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR jar)" "$URL/packages/buy"
	assert_output 404
	run -0 get /packages jar
	refute_output --partial 'Buy a package'
	kennel -q prefs set portal.purchase invoice
	run -0 get /packages jar
	assert_output --partial '<a class="button" href="/packages/buy">Buy a package</a>'
	run -0 get /packages/buy jar
	assert_output --partial '<label for="product-3">10 Days of Daycare: $200.00, 10 days, for use within 365 days</label>'
	refute_output --partial 'Staff pack'
	csrf=$(csrf_of /packages/buy jar)
	# a product not shown to owners is refused like any bad field
	run post /packages/buy jar "csrf=$csrf" product=4
	assert_output 422
	grep -q 'That package is not offered any more. Choose another.' "$BATS_TEST_TMPDIR/b.txt"
	run post /packages/buy jar "csrf=$csrf" product=3
	assert_output 303
	assert_equal "$(header Location)" "/billing/orders/1?notice=bought"
	assert_equal "$(sql "SELECT status, total_cents, note FROM orders")" "due|20000|bought on the owner portal"
	assert_equal "$(sql "SELECT name, number_left FROM packages")" "10 Days of Daycare|10"
	run -0 get "/billing/orders/1?notice=bought" jar
	assert_output --partial 'Bought: the package is yours now, and this invoice is on your bill.'
	assert_output --partial '<strong>$200.00 due</strong>'
	wait_mail 1
	run -0 mail_to frontdesk@happytails.example
	assert_output --partial "Subject: Package bought on the portal by Ann"
	assert_output --partial "invoice 1 is due"
	# a forged form without the csrf field changes nothing
	run post /packages/buy jar product=3
	assert_output 403
	assert_equal "$(sql "SELECT count(*) FROM orders")" "1"
}

@test "request form: the grooming asked for (a radio per shown product), and a weekly repeat as a pending series" {
	pages_db
	kennel -q prefs set vaccines.required ""
	kennel -q product add --name "Full groom" --type grooming --price 70 --show-to-owner
	kennel -q product add --name "Secret groom" --type grooming --price 99
	start_portal
	assert_equal "$(login ann 'a fine password 1' jar)" 303
	run -0 get "/requests/new?service=grooming" jar
	assert_output --partial '<label><input type="radio" name="product" value="3"> Full groom ($70.00)</label>'
	assert_output --partial '<label><input type="radio" name="product" value="1"> Nail trim ($15.00)</label>'
	refute_output --partial 'Secret groom'
	refute_output --partial 'Repeat every week'
	csrf=$(csrf_of "/requests/new?service=grooming" jar)
	# a product not offered is no product at all
	run post /requests jar "csrf=$csrf" service=grooming pet=1 start=2026-12-05 product=4
	assert_output 404
	run post /requests jar "csrf=$csrf" service=grooming pet=1 start=2026-12-05 product=3
	assert_output 303
	assert_equal "$(sql "SELECT service, product_id FROM requests")" "grooming|3"
	# daycare: the weekly repeat
	run -0 get "/requests/new?service=daycare" jar
	assert_output --partial '<label><input type="checkbox" name="repeat" value="mon"> Mon</label>'
	run post /requests jar "csrf=$csrf" service=daycare pet=1 start=2026-11-30 repeat=mon repeat=thu
	assert_output 422
	grep -q "Enter the last day of the repeat." "$BATS_TEST_TMPDIR/b.txt"
	run post /requests jar "csrf=$csrf" service=daycare pet=1 start=2026-11-30 repeat=mon repeat=funday until=2026-12-31
	assert_output 404
	run post /requests jar "csrf=$csrf" service=daycare pet=1 start=2026-11-30 start_time=08:00 repeat=mon repeat=thu until=2026-12-14
	assert_output 303
	assert_equal "$(header Location)" "/requests?notice=repeat"
	assert_equal "$(sql "SELECT days, from_date, until_date, start_time, approve FROM series")" "mon,thu|2026-11-30|2026-12-14|08:00|0"
	assert_equal "$(sql "SELECT group_concat(start || ':' || status, ' ') FROM requests WHERE series_id = 1")" \
		"2026-11-30:pending 2026-12-03:pending 2026-12-07:pending 2026-12-10:pending 2026-12-14:pending"
	run -0 get "/requests?notice=repeat" jar
	assert_output --partial 'Your repeating booking was sent'
}

@test "change a booking: schedule mode applies it when the rules allow, request mode asks staff, who replace it" {
	pages_db
	kennel -q prefs set vaccines.required ""
	kennel -q capacity set boarding 1
	kennel -q request add 1 --service boarding --pet Rex --start 2026-12-10T08:00 --end 2026-12-13
	kennel -q request approve 1
	# Bo holds the 14th: Ann's stay cannot grow into it
	kennel -q request add 2 --service boarding --pet Fido --start 2026-12-14 --end 2026-12-15
	kennel -q request approve 2
	kennel -q prefs set portal.boarding schedule
	start_portal
	assert_equal "$(login ann 'a fine password 1' jar)" 303
	run -0 get /requests jar
	assert_output --partial '<a class="secondary" href="/requests/1/change">Change this request…</a>'
	run -0 get /requests/2/change jar
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR jar)" "$URL/requests/2/change"
	assert_output 404
	csrf=$(csrf_of /requests/1/change jar)
	run post /requests/1/change jar "csrf=$csrf" pet=1 start=2026-12-11 start_time=09:00 end=2026-12-15
	assert_output 422
	grep -q "We could not change it, and your booking stays as it was: We are full on Mon, Dec 14, 2026" "$BATS_TEST_TMPDIR/b.txt"
	assert_equal "$(sql "SELECT status, start, end FROM requests WHERE id = 1")" "approved|2026-12-10|2026-12-13"
	# the form shows the pets and add-ons as they are
	run -0 get /requests/1/change jar
	assert_output --partial '<input type="checkbox" name="pet" value="1" checked> Rex'
	assert_output --partial '<input type="checkbox" name="addon" value="1"> Nail trim ($15.00)'
	# no pet: said by the field, nothing changed; another owner's pet: 404
	run post /requests/1/change jar "csrf=$csrf" start=2026-12-11 end=2026-12-14
	assert_output 422
	grep -q "Choose at least one pet." "$BATS_TEST_TMPDIR/b.txt"
	run post /requests/1/change jar "csrf=$csrf" pet=2 start=2026-12-11 end=2026-12-14
	assert_output 404
	run post /requests/1/change jar "csrf=$csrf" pet=1 addon=1 start=2026-12-11 start_time=09:00 end=2026-12-14
	assert_output 303
	assert_equal "$(sql "SELECT status, start, start_time, end FROM requests WHERE id = 1")" "approved|2026-12-11|09:00|2026-12-14"
	assert_equal "$(sql "SELECT group_concat(product_id) FROM request_addons WHERE request_id = 1")" "1"
	# request mode: a replacing request; the booking keeps its spot until staff approve
	kennel -q prefs set portal.boarding request
	run post /requests/1/change jar "csrf=$csrf" pet=1 start=2026-12-12 end=2026-12-14
	assert_output 303
	assert_equal "$(header Location)" "/requests?notice=change-asked#r3"
	assert_equal "$(sql "SELECT status, replaces_id, start FROM requests WHERE id = 3")" "pending|1|2026-12-12"
	assert_equal "$(sql "SELECT status FROM requests WHERE id = 1")" "approved"
	run -0 get /requests jar
	assert_output --partial 'Change asked: to Sat, Dec 12, 2026, waiting for our approval.'
	# staff approve it: counted without the booking it replaces, which is cancelled with it
	run -0 --separate-stderr kennel request approve 3
	assert_equal "$(sql "SELECT id, status FROM requests WHERE id IN (1, 3) ORDER BY id" | tr '\n' ' ')" "1|cancelled 3|approved "
	assert_equal "$(sql "SELECT reason FROM requests WHERE id = 1")" "replaced by request 3"
}
