#!/usr/bin/env bats
# Getting in over real HTTP (PORTAL.md 2 and 4): login, throttle, sessions,
# CSRF, forgot and reset, registration, and the staff commands.

load test_helper
load portal_helper

@test "login: the form's hints and fields, then 303 to next with a session cookie" {
	portal_db
	start_portal
	run -0 get "/login?next=/pets"
	assert_output --partial 'autocapitalize="none" autocorrect="off" spellcheck="false"'
	assert_output --partial "Usernames and passwords are case sensitive"
	assert_output --partial 'Set your password with <a href="/forgot">Forgot password</a>'
	assert_output --partial '<input type="hidden" name="next" value="/pets">'
	token=$(csrf_of "/login?next=/pets")
	run post /login jar "csrf=$token" username=ann "password=a fine password 1" next=/pets
	assert_output 303
	assert_equal "$(header Location)" "/pets"
	run header Set-Cookie
	assert_output --regexp '^kennel_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax$'
	cookie=$(echo "$output" | cut -d';' -f1 | cut -d= -f2)
	# stored only as a hash
	assert_equal "$(sql "SELECT count(*) FROM portal_sessions WHERE token_hash = '$cookie'")" 0
	assert_equal "$(sql 'SELECT count(*) FROM portal_sessions WHERE ended_at IS NULL')" 1
	run -0 get /
	assert_output --partial "Welcome, Ann."
	run -0 kennel log --owner 1 --limit 1
	assert_output --partial "owner:1"
	assert_output --partial "logged in to the portal from 127.0.0.1"
}

@test "login: next is followed only to a path on this site" {
	portal_db
	start_portal
	for next in //evil.example/x https://evil.example/ '/\evil.example' 'javascript:alert(1)'; do
		jar=j$RANDOM
		token=$(csrf_of /login "$jar")
		run post /login "$jar" "csrf=$token" username=ann "password=a fine password 1" "next=$next"
		assert_output 303
		assert_equal "$(header Location)" "/"
	done
}

@test "a failed login: 401 and the same words for wrong password, unknown name, wrong case and must-reset" {
	portal_db
	kennel -q owner add --first Bo --last Ray --email bo@example.com
	kennel -q creds bulk-generate
	start_portal
	for pair in "ann:wrong password" "nobody:a fine password 1" "Ann:a fine password 1" "bo@example.com:anything at all"; do
		token=$(csrf_of /login)
		run post /login jar "csrf=$token" "username=${pair%%:*}" "password=${pair#*:}"
		assert_output 401
		run grep -c 'class="error" role="alert">That username and password do not match an account.<' "$BATS_TEST_TMPDIR/b.txt"
		assert_output 1
		run grep -c "Usernames and passwords are case sensitive" "$BATS_TEST_TMPDIR/b.txt"
		assert_output 1
		if grep -q 'name="password" value=' "$BATS_TEST_TMPDIR/b.txt"; then false; fi
	done
	assert_equal "$(sql 'SELECT count(*) FROM portal_sessions')" 0
	run -0 kennel log
	assert_output --partial "failed portal login with an unknown username from 127.0.0.1"
	# what was typed for an unknown name is often a password: kept nowhere
	if kennel log | grep -q -e 'fine password' -e nobody; then false; fi
	assert_equal "$(sql "SELECT count(*) FROM portal_failures WHERE username IN ('ann', 'nobody') OR username LIKE '%@%'")" 0
	assert_equal "$(sql 'SELECT count(*) FROM portal_failures')" 4
}

@test "throttle: 12 parallel guesses get 5 verifications, the rest 429" {
	portal_db
	start_portal --threads 4
	pids=()
	for i in $(seq 1 12); do
		token=$(csrf_of /login "p$i")
		curl -s -o /dev/null -w '%{http_code}\n' -c "$(JAR "p$i")" -b "$(JAR "p$i")" \
			--data-urlencode "csrf=$token" --data-urlencode username=ann \
			--data-urlencode "password=guess number $i" "$URL/login" > "$BATS_TEST_TMPDIR/code$i" &
		pids+=($!)
	done
	wait "${pids[@]}"
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/code* | grep -c 401)" 5
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/code* | grep -c 429)" 7
	assert_equal "$(sql "SELECT count(*) FROM audit WHERE summary LIKE 'failed portal login%'")" 5
}

@test "a wrong current password on the account pages is a failed login: audited and throttled" {
	portal_db
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	for i in 1 2 3 4 5; do
		csrf=$(csrf_of /account)
		run post /account/password jar "csrf=$csrf" "current=guess $i" "password=my new password 7" "confirm=my new password 7"
		assert_output 422
	done
	csrf=$(csrf_of /account)
	run post /account/password jar "csrf=$csrf" "current=a fine password 1" "password=my new password 7" "confirm=my new password 7"
	assert_output 429
	assert_equal "$(header Retry-After)" 900
	run -0 grep -c "Too many wrong passwords. Wait 15 minutes, then try again." "$BATS_TEST_TMPDIR/b.txt"
	run post /account jar "csrf=$csrf" first_name=Ann last_name=Lee email=new@example.com "current=a fine password 1"
	assert_output 429
	run -0 kennel creds check ann --password-stdin <<< "a fine password 1"
	assert_equal "$(sql "SELECT count(*) FROM audit WHERE summary LIKE 'wrong current password on the portal from 127.0.0.1'")" 5
	# the login is locked too: the same five failures
	assert_equal "$(login ann 'a fine password 1' other)" 429
}

@test "timing: unknown name, must-reset and wrong password each cost one full hash" {
	portal_db
	kennel -q owner add --first Bo --last Ray --email bo@example.com
	kennel -q creds bulk-generate
	start_portal
	ms() {
		local token t0 t1 code jar=t$RANDOM
		token=$(csrf_of /login "$jar")
		t0=$(date +%s%N)
		code=$(post /login "$jar" "csrf=$token" "username=$1" "password=$2")
		t1=$(date +%s%N)
		[ "$code" = 401 ] || { echo "login answered $code" >&2; return 1; }
		echo $(( (t1 - t0) / 1000000 ))
	}
	median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
	a=$(ms ann 'wrong one 1') && b=$(ms ann 'wrong one 2') && c=$(ms ann 'wrong one 3')
	wrong=$(median "$a" "$b" "$c")
	a=$(ms nobody x1) && b=$(ms nobody x2) && c=$(ms nobody x3)
	unknown=$(median "$a" "$b" "$c")
	a=$(ms bo@example.com y1) && b=$(ms bo@example.com y2) && c=$(ms bo@example.com y3)
	reset=$(median "$a" "$b" "$c")
	echo "wrong $wrong ms, unknown $unknown ms, must-reset $reset ms"
	# a full argon2id verification is tens of milliseconds; a skipped one is none
	[ "$wrong" -ge 20 ]
	[ $((unknown * 3)) -ge "$wrong" ] && [ $((wrong * 3)) -ge "$unknown" ]
	[ $((reset * 3)) -ge "$wrong" ] && [ $((wrong * 3)) -ge "$reset" ]
}

@test "throttle: 5 failures lock the username for 15 minutes with 429, even for the right password" {
	portal_db
	start_portal
	for i in 1 2 3 4 5; do
		assert_equal "$(login ann "wrong password $i")" 401
	done
	run login ann 'a fine password 1'
	assert_output 429
	assert_equal "$(header Retry-After)" 900
	run grep -c "Too many failed logins" "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	# any capitalisation counts as the same username
	assert_equal "$(login ANN 'a fine password 1')" 429
	assert_equal "$(sql 'SELECT count(*) FROM portal_sessions')" 0
	assert_equal "$(sql 'SELECT count(*) FROM portal_failures')" 5
	# fifteen minutes later it opens again
	sql "UPDATE portal_failures SET at = '2000-01-01T00:00:00'"
	assert_equal "$(login ann 'a fine password 1')" 303
}

@test "throttle: 20 failures from one client lock that client" {
	portal_db
	start_portal
	for i in $(seq 1 20); do
		sql "INSERT INTO portal_failures VALUES (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'), 'user$i', '127.0.0.1')"
	done
	assert_equal "$(login ann 'a fine password 1')" 429
}

@test "CSRF: a POST without the token, with a wrong one, or cross-site is 403 and changes nothing" {
	portal_db
	start_portal
	get /login >/dev/null
	run post /login jar username=ann "password=a fine password 1"
	assert_output 403
	run post /login jar "csrf=$(printf '0%.0s' $(seq 64))" username=ann "password=a fine password 1"
	assert_output 403
	token=$(csrf_of /login)
	run curl -s -o /dev/null -w '%{http_code}' -c "$(JAR)" -b "$(JAR)" -H 'Sec-Fetch-Site: cross-site' \
		--data-urlencode "csrf=$token" --data-urlencode username=ann \
		--data-urlencode "password=a fine password 1" "$URL/login"
	assert_output 403
	# a token from another browser's cookie does not fit this one
	other=$(csrf_of /login other)
	run post /login jar "csrf=$other" username=ann "password=a fine password 1"
	assert_output 403
	assert_equal "$(sql 'SELECT count(*) FROM portal_sessions')" 0
	assert_equal "$(login ann 'a fine password 1')" 303
	# logged in, the logout form is bound to the session
	run post /logout jar "csrf=$token"
	assert_output 403
	assert_equal "$(sql 'SELECT count(*) FROM portal_sessions WHERE ended_at IS NULL')" 1
}

@test "a duplicated field is an error next to it, 422" {
	portal_db
	start_portal
	token=$(csrf_of /login)
	run post /login jar "csrf=$token" username=ann username=bob "password=a fine password 1"
	assert_output 422
	run grep -c '<p class="error">This field was sent twice; send it once.</p>' "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	run post /login jar "csrf=$token" username= "password=x"
	assert_output 422
	run grep -c '<p class="error">Enter your username.</p>' "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
}

@test "logout ends the session; the old cookie no longer opens a page" {
	portal_db
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	cp "$(JAR)" "$BATS_TEST_TMPDIR/stolen.txt"
	token=$(get / | grep -o 'name="csrf" value="[^"]*"' | cut -d'"' -f4)
	run post /logout jar "csrf=$token"
	assert_output 303
	assert_equal "$(header Location)" "/login?notice=signed-out"
	run -0 get "/login?notice=signed-out"
	assert_output --partial '<p class="notice" role="status">You are signed out.</p>'
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$BATS_TEST_TMPDIR/stolen.txt" "$URL/"
	assert_output 303
	assert_equal "$(sql "SELECT ended_why FROM portal_sessions")" "signed out"
	run -0 kennel log --owner 1 --limit 1
	assert_output --partial "logged out of the portal"
}

@test "single session: a new login signs the other device out, and it is told why" {
	portal_db
	start_portal
	assert_equal "$(login ann 'a fine password 1' phone)" 303
	assert_equal "$(login ann 'a fine password 1' laptop)" 303
	run -0 curl -s -o /dev/null -D - -c "$(JAR phone)" -b "$(JAR phone)" "$URL/"
	assert_line --regexp "^Location: /login\?next=/"
	run -0 get "/login?next=/" phone
	assert_output --regexp 'You were signed out because of a new sign-in at [0-9]{2}:[0-9]{2}\.'
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR laptop)" "$URL/"
	assert_output 200
	# with the preference off, both stay
	stop_portal
	kennel -q prefs set portal.single_session false
	start_portal
	assert_equal "$(login ann 'a fine password 1' phone)" 303
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR laptop)" "$URL/"
	assert_output 200
}

@test "an idle session ends after portal.session_idle_minutes, and says so" {
	portal_db
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	sql "UPDATE portal_sessions SET last_seen = '2000-01-01T00:00:00'"
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL/"
	assert_output 303
	run -0 get /login
	assert_output --partial "You were signed out because of 30 minutes without activity."
	assert_equal "$(login ann 'a fine password 1')" 303
	sql "UPDATE portal_sessions SET created_at = '2000-01-01T00:00:00' WHERE ended_at IS NULL"
	run -0 get /login
	assert_output --partial "a sign-in lasts 8 hours at most"
}

@test "the idle clock starts at the last page, to the second: never early" {
	portal_db
	kennel -q prefs set portal.session_idle_minutes 1
	start_portal
	assert_equal "$(login ann 'a fine password 1')" 303
	# the clock stands at 09:00:00; the last page was 55 s ago: it is seen now
	sql "UPDATE portal_sessions SET last_seen = '2026-11-23T08:59:05'"
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL/"
	assert_output 200
	assert_equal "$(sql 'SELECT last_seen FROM portal_sessions')" "2026-11-23T09:00:00"
	# 65 s on the clock, but a page may have come up to 6 s after it: live
	sql "UPDATE portal_sessions SET last_seen = '2026-11-23T08:58:55'"
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL/"
	assert_output 200
	# 67 s: past the minute however late the last page was
	sql "UPDATE portal_sessions SET last_seen = '2026-11-23T08:58:53'"
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR)" "$URL/"
	assert_output 303
}

@test "staff: portal sessions lists who is logged in; logout, creds set, revoke and deactivate end sessions" {
	portal_db
	kennel -q owner add --first Bo --last Ray --email bo@example.com
	kennel -q creds set 2 --username bo --password-stdin <<< "another fine one 2"
	start_portal
	assert_equal "$(login ann 'a fine password 1' a)" 303
	assert_equal "$(login bo 'another fine one 2' b)" 303
	run -0 kennel portal sessions --json
	assert_equal "$(echo "$output" | jq -r '[.[].username] | sort | join(",")')" "ann,bo"
	assert_equal "$(echo "$output" | jq -r '.[0].client')" "127.0.0.1"
	run -0 kennel portal sessions --owner bo --json
	assert_equal "$(echo "$output" | jq length)" 1
	run -0 kennel -n portal logout ann
	assert_output "1 session(s) ended (dry run)"
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR a)" "$URL/"
	assert_output 200
	run -0 kennel portal logout ann
	assert_output "1 session(s) ended"
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR a)" "$URL/"
	assert_output 303
	for change in "creds set 1 --password-stdin" "creds revoke 1" "owner deactivate 1"; do
		sql 'UPDATE owners SET active = 1 WHERE id = 1'
		run -0 kennel -q creds set 1 --username ann --password-stdin <<< "a fine password 1"
		assert_equal "$(login ann 'a fine password 1' a)" 303
		# shellcheck disable=SC2086
		kennel -q $change <<< "a new fine password 3"
		run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR a)" "$URL/"
		assert_output 303
	done
	run -2 --separate-stderr kennel portal logout
	run -0 kennel portal logout --all
	assert_output "1 session(s) ended"
	assert_equal "$(sql 'SELECT count(*) FROM portal_sessions WHERE ended_at IS NULL')" 0
}

@test "forgot: the same answer whether or not an account matches; a match gets a link, 3 an hour" {
	portal_db
	start_portal
	for login in ann ANN@example.com nobody nobody@example.com; do
		token=$(csrf_of /forgot)
		run post /forgot jar "csrf=$token" "login=$login"
		assert_output 200
		run grep -c 'class="notice" role="status">If an account matches, we sent a link' "$BATS_TEST_TMPDIR/b.txt"
		assert_output 1
	done
	wait_mail 2
	assert_equal "$(ls "$MAIL_DIR" | wc -l)" 2
	run -0 mail_link ann@example.com
	assert_output --regexp "^$URL/reset\?token=[A-Za-z0-9_-]{43}\$"
	for i in 1 2 3; do
		token=$(csrf_of /forgot)
		post /forgot jar "csrf=$token" login=ann >/dev/null
	done
	wait_until sql_is 3 "SELECT count(*) FROM outbox WHERE kind = 'password-reset'"
}

@test "forgot: a reset mail that cannot be made changes nothing in the answer; the log tells staff" {
	portal_db
	mkdir "$BATS_TEST_TMPDIR/tpl"
	printf 'Subject: Reset\n\nHello {{owner.no_such_field}}\n' > "$BATS_TEST_TMPDIR/tpl/password-reset.txt"
	KENNEL_TEMPLATES="$BATS_TEST_TMPDIR/tpl" start_portal
	for login in ann nobody; do
		token=$(csrf_of /forgot)
		run post /forgot jar "csrf=$token" "login=$login"
		assert_output 200
		run -0 grep -c 'If an account matches, we sent a link' "$BATS_TEST_TMPDIR/b.txt"
	done
	run -0 grep -c '^forgot: no reset mail for owner 1: ' "$SERVE_LOG"
	assert_equal "$(sql 'SELECT count(*) FROM reset_tokens')" 0
	assert_equal "$(sql 'SELECT count(*) FROM outbox')" 0
	assert_equal "$(sql 'SELECT count(*) FROM portal_mail_asks')" 2
}

@test "reset: the emailed link sets a password once, ends every session, and mails that it changed" {
	portal_db
	start_portal
	assert_equal "$(login ann 'a fine password 1' old)" 303
	token=$(csrf_of /forgot)
	post /forgot jar "csrf=$token" login=ann >/dev/null
	wait_mail 1
	link=$(mail_link ann@example.com)
	path=${link#"$URL"}
	run -0 get "$path"
	assert_output --partial '<input type="hidden" name="token" value="'
	reset_token=${path#/reset?token=}
	csrf=$(csrf_of "$path")
	run post /reset jar "csrf=$csrf" "token=$reset_token" password=password1 confirm=password1
	assert_output 422
	run grep -c 'class="error">password is one of the most common passwords; choose another<' "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	run post /reset jar "csrf=$csrf" "token=$reset_token" "password=        " "confirm=        "
	assert_output 422
	run -0 grep -c 'class="error">password is only spaces or tabs; choose one with letters, digits or signs<' "$BATS_TEST_TMPDIR/b.txt"
	run post /reset jar "csrf=$csrf" "token=$reset_token" "password=a brand new one" "confirm=a brand new two"
	assert_output 422
	run grep -c 'class="error">The two passwords differ.<' "$BATS_TEST_TMPDIR/b.txt"
	assert_output 1
	run post /reset jar "csrf=$csrf" "token=$reset_token" "password=a brand new one" "confirm=a brand new one"
	assert_output 303
	assert_equal "$(header Location)" "/login?notice=password-set"
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR old)" "$URL/"
	assert_output 303
	assert_equal "$(login ann 'a brand new one')" 303
	wait_mail 2
	run -0 mail_body ann@example.com
	assert_output --partial "was just changed, and every device that was logged in has been signed out"
	# single use: the same link again is one clear page, 400, with a way on
	run -0 curl -s -w '\n%{http_code}' "$URL$path"
	assert_line 400
	assert_output --partial "This link cannot be used: it was used already."
	assert_output --partial '<a href="/forgot">Send me a new link</a>'
	run -0 curl -s -o /dev/null -w '%{http_code}' "$URL/reset?token=nonsense"
	assert_output 400
}

@test "reset: one link sent twice at once sets the password once; the other gets the 400 page" {
	portal_db
	start_portal --threads 4
	token=$(csrf_of /forgot)
	post /forgot jar "csrf=$token" login=ann >/dev/null
	wait_mail 1
	link=$(mail_link ann@example.com)
	reset_token=${link#*token=}
	# every form first: a form fetched after one POST won would be the
	# spent link's page, with no token to post
	csrf=()
	for i in 1 2 3 4; do
		csrf[i]=$(csrf_of "/reset?token=$reset_token" "r$i")
	done
	pids=()
	for i in 1 2 3 4; do
		curl -s -o "$BATS_TEST_TMPDIR/body$i" -w '%{http_code}\n' -c "$(JAR "r$i")" -b "$(JAR "r$i")" \
			--data-urlencode "csrf=${csrf[i]}" --data-urlencode "token=$reset_token" \
			--data-urlencode "password=new password $i x" --data-urlencode "confirm=new password $i x" \
			"$URL/reset" > "$BATS_TEST_TMPDIR/code$i" &
		pids+=($!)
	done
	wait "${pids[@]}"
	assert_equal "$(cat "$BATS_TEST_TMPDIR"/code* | sort | tr '\n' ' ')" "303 400 400 400 "
	assert_equal "$(grep -l 'This link cannot be used: it was used already.' "$BATS_TEST_TMPDIR"/body* | wc -l)" 3
	assert_equal "$(sql "SELECT count(*) FROM audit WHERE summary LIKE 'password set with reset token%'")" 1
}

@test "register: one answer for a new and a taken email; the link creates the owner and logs in" {
	portal_db
	start_portal
	run -0 get /register
	assert_output --partial 'name="first_name"'
	token=$(csrf_of /register)
	run post /register jar "csrf=$token" first_name=Cy last_name=Park email=Cy.Park@Example.com \
		phone=555-0199 "password=cy's fine password" "confirm=cy's fine password"
	assert_output 303
	assert_equal "$(header Location)" "/register/sent"
	run post /register jar "csrf=$token" first_name=Someone last_name=Else email=ann@example.com \
		"password=whatever it is 9" "confirm=whatever it is 9"
	assert_output 303
	assert_equal "$(header Location)" "/register/sent"
	# no owner exists until the link is followed
	assert_equal "$(sql 'SELECT count(*) FROM owners')" 1
	wait_mail 2
	run -0 mail_body ann@example.com
	assert_output --partial "tried to create a new Happy Tails owner portal"
	link=$(mail_link Cy.Park@Example.com)
	path=${link#"$URL"}
	run -0 get "$path" new
	assert_output --partial "Create my account"
	csrf=$(csrf_of "$path" new)
	run post /register/confirm new "csrf=$csrf" "token=${path#*token=}"
	assert_output 303
	assert_equal "$(header Location)" "/"
	run -0 get / new
	assert_output --partial "Welcome, Cy."
	assert_equal "$(sql 'SELECT username, phone, must_reset FROM owners WHERE id = 2')" "cy.park@example.com|555-0199|0"
	run -0 kennel creds check cy.park@example.com --password-stdin <<< "cy's fine password"
	wait_mail 3
	run -0 mail_body frontdesk@happytails.example
	assert_output --partial "Cy Park (Cy.Park@Example.com) registered on the"
	run -0 kennel log --owner 2
	assert_output --partial "registered on the portal"
	# the link is spent
	run post /register/confirm new2 "csrf=$(csrf_of /login new2)" "token=${path#*token=}"
	assert_output 400
	assert_equal "$(sql 'SELECT count(*) FROM owners')" 2
}

@test "register and forgot: 3 mails an hour to an address, 10 forms an hour from a client, no stranger's words in a mail" {
	portal_db
	start_portal
	token=$(csrf_of /register)
	reg() {
		post /register jar "csrf=$token" "first_name=$1" last_name=Spam "email=$2" \
			"password=a long spam password" "confirm=a long spam password"
	}
	run reg 'Win a prize at evil.example' victim@example.com
	assert_output 303
	wait_mail 1
	run -0 mail_body victim@example.com
	assert_line "Hello,"
	refute_output --partial "evil.example"
	refute_output --partial "Spam"
	for i in 2 3 4; do
		run reg "Again $i" VICTIM@example.com
		assert_output 303
	done
	# the fourth ask for that address this hour sends nothing, and says the same
	assert_equal "$(header Location)" "/register/sent"
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE lower(to_addr) = 'victim@example.com'")" 3
	assert_equal "$(sql 'SELECT count(*) FROM portal_registrations')" 3
	# /forgot counts for the same client: six more forms, then 429
	for login in a b c d e f; do
		run post /forgot jar "csrf=$token" "login=$login"
		assert_output 200
	done
	run post /forgot jar "csrf=$token" login=ann
	assert_output 429
	assert_equal "$(header Retry-After)" 3600
	run -0 grep -c "Too many requests from your connection in the last hour" "$BATS_TEST_TMPDIR/b.txt"
	run reg Other other@example.com
	assert_output 429
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE kind IN ('password-reset', 'register-confirm') AND lower(to_addr) <> 'victim@example.com'")" 0
	# an hour later the client may ask again
	sql "UPDATE portal_mail_asks SET at = '2000-01-01 00:00:00'"
	run post /forgot jar "csrf=$token" login=ann
	assert_output 200
	wait_until sql_is 1 "SELECT count(*) FROM outbox WHERE kind = 'password-reset'"
}

@test "register: bad fields are 422 with the values kept (never the password); off means 404" {
	portal_db
	start_portal
	token=$(csrf_of /register)
	run post /register jar "csrf=$token" first_name='<b>Dee</b>' last_name= email=not-an-email \
		"password=short" "confirm=short"
	assert_output 422
	run cat "$BATS_TEST_TMPDIR/b.txt"
	assert_output --partial 'value="&lt;b&gt;Dee&lt;/b&gt;"'
	assert_output --partial '<p class="error">Enter your last name.</p>'
	assert_output --partial '<p class="error">Enter your email address, like name@example.com.</p>'
	refute_output --partial 'value="short"'
	assert_equal "$(sql 'SELECT count(*) FROM portal_registrations')" 0
	stop_portal
	kennel -q prefs set portal.self_register false
	start_portal
	for path in /register /register/sent "/register/confirm?token=x"; do
		run -0 curl -s -o /dev/null -w '%{http_code}' "$URL$path"
		assert_output 404
	done
	run -0 get /login
	refute_output --partial 'href="/register"'
}

@test "a login flood is bounded: quick 429/503 answers, and logged-in page views keep being answered" {
	portal_db
	start_portal --threads 1
	assert_equal "$(login ann 'a fine password 1' me)" 303
	token=$(csrf_of /login flood)
	seq 1 60 | xargs -P 60 -I{} curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 \
		-b "$(JAR flood)" --data-urlencode "csrf=$token" --data-urlencode "username=user{}" \
		--data-urlencode "password=guess {}" "$URL/login" > codes.txt &
	flood=$!
	# the flood is under way: its first answers are in
	wait_until test -s codes.txt
	for i in 1 2 3 4 5; do
		run -0 curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 -b "$(JAR me)" "$URL/"
		assert_output --regexp '^200 '
	done
	wait "$flood"
	assert_equal "$(wc -l < codes.txt)" 60
	run grep -c -v -e '^401$' -e '^503$' -e '^429$' codes.txt
	assert_output 0
	run grep -c '^503$' codes.txt
	[ "$output" -gt 0 ]
}

@test "mail the portal cannot deliver stays queued for the cron mail send, and goes once" {
	portal_db
	kennel -q prefs set mail.url "smtp://127.0.0.1:$(free_port)"
	start_portal
	token=$(csrf_of /forgot)
	run post /forgot jar "csrf=$token" login=ann
	assert_output 200
	wait_until sql_is 1 "SELECT count(*) FROM outbox WHERE last_error IS NOT NULL"
	assert_equal "$(sql "SELECT status, last_error FROM outbox WHERE kind = 'password-reset'")" \
		"queued|Couldn't connect to server"
	kennel -q prefs set mail.url "file://$MAIL_DIR"
	# the next cron run, after the retry's minute
	KENNEL_NOW=2026-11-23T09:05:00 run kennel mail send
	wait_mail 1
	assert_equal "$(ls "$MAIL_DIR" | wc -l)" 1
	assert_equal "$(sql "SELECT status FROM outbox WHERE kind = 'password-reset'")" "sent"
}

@test "KENNEL_PORTAL_TEMPLATES brands the portal; values stay escaped in the business's templates" {
	portal_db
	mkdir brand
	sed 's|<main>|<main><p class="brand-banner">Happy Tails, since 1999</p>|' \
		"$ROOT/share/kennel/portal/layout.html" > brand/layout.html
	printf 'body{background:#fdf}\n' > brand/style.css
	kennel -q owner edit 1 --first '<i>Ann</i>'
	KENNEL_PORTAL_TEMPLATES="$BATS_TEST_TMPDIR/brand" start_portal
	run -0 get /login
	assert_output --partial '<p class="brand-banner">Happy Tails, since 1999</p>'
	run -0 curl -s "$URL/style.css"
	assert_output "body{background:#fdf}"
	assert_equal "$(login ann 'a fine password 1')" 303
	run -0 get /
	assert_output --partial 'Welcome, &lt;i&gt;Ann&lt;/i&gt;.'
	assert_output --partial 'brand-banner'
}
