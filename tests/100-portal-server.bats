#!/usr/bin/env bats
# kennel serve over real HTTP with curl: the server, its limits and headers
# (PORTAL.md 1 and 4).

load test_helper
load portal_helper

@test "serve says where it listens, answers /healthz, and exits 0 on SIGTERM" {
	portal_db
	start_portal
	run -0 grep -c "^listening on $URL\$" "$SERVE_LOG"
	run -0 curl -s -D - "$URL/healthz"
	assert_line --partial "HTTP/1.1 200"
	assert_line "ok"
	stop_portal
	assert_equal "$(grep -c 'GET /healthz 200' "$SERVE_LOG")" 1
}

@test "serve on a port in use fails at once with exit 1 and says so" {
	portal_db
	start_portal
	run -1 --separate-stderr kennel serve --listen "127.0.0.1:$PORT"
	assert_equal "$stderr" "kennel: cannot listen on 127.0.0.1:$PORT: Address already in use"
	run -2 --separate-stderr kennel serve --listen nonsense
	assert_equal "$stderr" "kennel: --listen 'nonsense': expected ADDR:PORT"
	run -2 --separate-stderr kennel -n serve --listen 127.0.0.1:0
	# a port past 65535 is not wrapped around to another one
	run -2 --separate-stderr kennel serve --listen 127.0.0.1:99999
	assert_equal "$stderr" "kennel: --listen '127.0.0.1:99999': the port must be 0 to 65535"
	run -2 --separate-stderr kennel serve --threads 0
	assert_equal "${stderr_lines[0]}" "kennel: --threads 0: must be 1 to 256"
}

@test "every answer carries the security headers; pages behind a session are no-store" {
	portal_db
	start_portal
	for path in /login /healthz /nope /style.css; do
		curl -s -o /dev/null -D "$BATS_TEST_TMPDIR/h.txt" "$URL$path"
		assert_equal "$(header Content-Security-Policy)" "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
		assert_equal "$(header X-Content-Type-Options)" "nosniff"
		assert_equal "$(header Referrer-Policy)" "no-referrer"
		assert_equal "$(header Strict-Transport-Security)" ""
	done
	assert_equal "$(login ann 'a fine password 1')" 303
	curl -s -o /dev/null -D "$BATS_TEST_TMPDIR/h.txt" -b "$(JAR)" "$URL/"
	assert_equal "$(header Cache-Control)" "no-store"
}

@test "https portal URL: __Host- cookies, Secure, and HSTS" {
	portal_db
	kennel -q company set --portal-url https://portal.happytails.example
	start_portal
	curl -s -o /dev/null -D "$BATS_TEST_TMPDIR/h.txt" "$URL/login"
	run header Set-Cookie
	assert_output --regexp '^__Host-kennel_csrf=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax; Secure$'
	assert_equal "$(header Strict-Transport-Security)" "max-age=31536000; includeSubDomains"
	# curl keeps Secure cookies for https only: send them by hand
	token=$(curl -s -c "$(JAR)" "$URL/login" | grep -o 'name="csrf" value="[^"]*"' | cut -d'"' -f4)
	pre=$(grep -o '__Host-kennel_csrf[[:space:]].*' "$(JAR)" | awk '{print $2}')
	run curl -s -o /dev/null -D - -H "Cookie: __Host-kennel_csrf=$pre" \
		--data-urlencode "csrf=$token" --data-urlencode username=ann \
		--data-urlencode "password=a fine password 1" "$URL/login"
	assert_line --partial "HTTP/1.1 303"
	assert_line --regexp '^Set-Cookie: __Host-kennel_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax; Secure'
}

@test "unknown paths 404, wrong methods 405 with Allow, and no page without a session" {
	portal_db
	start_portal
	run -0 curl -s -o /dev/null -w '%{http_code}' "$URL/no/such/page"
	assert_output 404
	run -0 curl -s -o /dev/null -D - -X DELETE "$URL/login"
	assert_line --partial "HTTP/1.1 405"
	assert_line --regexp "^Allow: GET, POST"
	run -0 curl -s -o /dev/null -D - "$URL/"
	assert_line --partial "HTTP/1.1 303"
	assert_line --regexp "^Location: /login\?next=/"
	run -0 curl -s -o /dev/null -D - "$URL/pets/12?x=1"
	assert_line --regexp "^Location: /login\?next=/pets/12%3Fx%3D1"
}

@test "limits: a 1 MB body is 413, 101 header lines 431, a malformed form 400; none crash" {
	portal_db
	start_portal
	head -c 1048576 /dev/zero | tr '\0' 'a' > big.txt
	# the answer comes before the upload ends: curl may then report the
	# broken upload (exit 55), but the status is what the server said
	run curl -s -o /dev/null -w '%{http_code}' --data-binary @big.txt "$URL/login"
	assert_output 413
	headers=()
	for i in $(seq 1 101); do headers+=(-H "X-Filler-$i: x"); done
	run -0 curl -s -o /dev/null -w '%{http_code}' "${headers[@]}" "$URL/login"
	assert_output 431
	run -0 curl -s -w '\n%{http_code}' --data-binary 'username=%zz&password=x' "$URL/login"
	assert_line "malformed form: '%' not followed by two hex digits"
	assert_line 400
	run -0 curl -s -w '\n%{http_code}' --data-binary 'username=%ff%fe&password=x' "$URL/login"
	assert_line "malformed form: a field is not valid UTF-8"
	run -0 curl -s -w '\n%{http_code}' --data-binary 'username=a%00b&password=x' "$URL/login"
	assert_line "malformed form: a NUL byte in a field"
	run -0 curl -s -o /dev/null -w '%{http_code}' "$URL/login?next=%E0%80"
	assert_output 400
	run -0 curl -s -o /dev/null -w '%{http_code}' "$URL/healthz"
	assert_output 200
}

@test "the access log: one line per request, token= and key= redacted, never a password" {
	portal_db
	start_portal
	curl -s -o /dev/null "$URL/reset?token=SECRETTOKEN123&x=1"
	curl -s -o /dev/null "$URL/calendar.ics?key=SECRETKEY456"
	# the router decodes the name: so does the log
	curl -s -o /dev/null "$URL/reset?tok%65n=SECRETTOKEN789&%6B%45Y=SECRETKEY000"
	login ann 'a fine password 1' >/dev/null
	run -0 grep -c 'GET /reset?token=REDACTED&x=1 400 ' "$SERVE_LOG"
	run -0 grep -c 'GET /calendar.ics?key=REDACTED ' "$SERVE_LOG"
	run -0 grep -c 'GET /reset?tok%65n=REDACTED&%6B%45Y=REDACTED 400 ' "$SERVE_LOG"
	run -0 grep -E '^[0-9T:-]{19} 127\.0\.0\.1 POST /login 303 0 [0-9]+ms$' "$SERVE_LOG"
	if grep -e SECRETTOKEN -e SECRETKEY -e 'fine password' "$SERVE_LOG"; then false; fi
}

@test "X-Forwarded-For is believed only with --trust-proxy" {
	portal_db
	start_portal
	curl -s -o /dev/null -H 'X-Forwarded-For: 203.0.113.9' "$URL/healthz"
	run -0 grep -c ' 127.0.0.1 GET /healthz' "$SERVE_LOG"
	stop_portal
	start_portal --trust-proxy
	curl -s -o /dev/null -H 'X-Forwarded-For: 10.9.9.9, 203.0.113.9' "$URL/healthz"
	run -0 grep -c ' 203.0.113.9 GET /healthz' "$SERVE_LOG"
}

@test "a database locked by a long write: pages still answer, a write gets 503 and changes nothing" {
	portal_db
	start_portal
	assert_equal "$(login ann 'a fine password 1' other)" 303
	token=$(csrf_of /login)
	before=$(sql 'SELECT count(*) FROM audit')
	# hold the write lock for longer than the portal's busy timeout
	sqlite3 "$KENNEL_DB" 'BEGIN IMMEDIATE; UPDATE company SET name = name; SELECT 1;' \
		"$(printf '.shell sleep 7')" 'COMMIT;' >/dev/null &
	locker=$!
	wait_until db_locked
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR other)" "$URL/"
	assert_output 200
	run post /login jar "csrf=$token" username=ann "password=wrong password"
	assert_output 503
	assert_equal "$(header Retry-After)" 5
	wait "$locker"
	assert_equal "$(sql 'SELECT count(*) FROM audit')" "$before"
	assert_equal "$(sql 'SELECT count(*) FROM portal_failures')" 0
}

@test "SIGTERM while requests are in flight: they finish, exit 0" {
	portal_db
	start_portal --threads 1
	token=$(csrf_of /login)
	for i in 1 2 3; do
		curl -s -o "$BATS_TEST_TMPDIR/r$i" -w '%{http_code}' -c "$(JAR)" -b "$(JAR)" \
			--data-urlencode "csrf=$token" --data-urlencode username=ann \
			--data-urlencode "password=a fine password 1" "$URL/login" > "code$i" &
	done
	# all three are connected (then the listener closes)
	wait_until connected 3
	stop_portal
	wait
	for i in 1 2 3; do assert_equal "$(cat code$i)" 303; done
	assert_equal "$(sql "SELECT count(*) FROM audit WHERE summary LIKE 'logged in%'")" 3
}

@test "SIGTERM while the relay is slow: the port is free at once, the mailer ends after the message on the wire" {
	portal_db
	for i in $(seq 1 20); do echo "F$i,L$i,o$i@example.com"; done | owners
	kennel -q blast email --template portal-launch --queue-only
	start_bad slow 2
	start_portal
	# the mailer has messages on the wire
	wait_until test -s "$BAD_DIR/ids"
	kill -TERM "$SERVE_PID"
	# the listener is closed first: the next server can bind at once
	wait_until bash -c "! curl -s -o /dev/null --max-time 1 '$URL/healthz'"
	run -7 curl -s -o /dev/null --max-time 1 "$URL/healthz"
	stop_portal
	# every message the relay took is on record as sent, once; the rest wait
	# for the next server or the cron mail send
	sent=$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")
	assert_equal "$sent" "$(wc -l < "$BAD_DIR/ids")"
	total=$(sql "SELECT count(*) FROM outbox")
	assert_equal "$total" 21
	[ "$sent" -lt 21 ]
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" $((total - sent))
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE status = 'sending'")" 0
}

@test "a setting changed by staff is on the very next page: the name, the session rules, registration" {
	portal_db
	start_portal
	run -0 curl -s "$URL/login"
	assert_output --partial "<title>Log in · Happy Tails</title>"
	kennel -q company set --name "Waggin' Tails"
	run -0 curl -s "$URL/login"
	assert_output --partial "<title>Log in · Waggin&#39; Tails</title>"
	assert_equal "$(login ann 'a fine password 1' a)" 303
	run -0 curl -s -b "$(JAR a)" "$URL/"
	assert_output --partial "Waggin&#39; Tails"
	kennel -q company set --name "Happy Paws"
	run -0 curl -s -b "$(JAR a)" "$URL/"
	assert_output --partial "Happy Paws"
	refute_output --partial "Waggin"
	kennel -q prefs set portal.single_session false
	assert_equal "$(login ann 'a fine password 1' b)" 303
	run -0 curl -s -o /dev/null -w '%{http_code}' -b "$(JAR a)" "$URL/"
	assert_output 200
	run -0 curl -s -o /dev/null -w '%{http_code}' "$URL/register"
	assert_output 200
	kennel -q prefs set portal.self_register false
	run -0 curl -s -o /dev/null -w '%{http_code}' "$URL/register"
	assert_output 404
}

@test "a crowd of 1,100 idle and trickling connections: /healthz and pages still answer" {
	portal_db
	start_portal
	ready="$BATS_TEST_TMPDIR/ready"
	groups=(127.0.0.2:40:idle)
	for i in $(seq 10 49); do groups+=("127.0.0.$i:27:idle"); done
	groups+=(127.0.0.3:2:trickle)
	/usr/bin/python3 "$BATS_TEST_DIRNAME/hold_conns.py" "$PORT" "$ready" 45 "${groups[@]}" \
		> "$BATS_TEST_TMPDIR/held.txt" &
	held=$!
	wait_until test -e "$ready"
	# the cap holds: the server keeps at most 1,024 of the 1,122
	wait_until bash -c "[ \$(ss -Htn state established '( sport = :$PORT )' | wc -l) -le 1024 ]"
	run -0 curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$URL/healthz"
	assert_output 200
	run -0 curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$URL/login"
	assert_output 200
	wait "$held"
	# one client's 33rd to 40th connection were refused at once
	run -0 awk '$1 == "127.0.0.2" { print ($4 >= 8) }' "$BATS_TEST_TMPDIR/held.txt"
	assert_output 1
	# a byte every 2 seconds buys no more than the 30 s for a whole request
	run -0 awk '$2 == "trickle" { print $5, ($6 >= 29 && $7 < 34) }' "$BATS_TEST_TMPDIR/held.txt"
	assert_output "2 1"
	run -0 curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$URL/healthz"
	assert_output 200
	stop_portal
}
