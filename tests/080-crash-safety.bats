#!/usr/bin/env bats
# kill -9 at random moments: the database is as before the command or as
# after it, never between, and the rerun completes.
load test_helper

# kill_during CMD...: start it, kill -9 after a random few milliseconds
kill_during() {
	"$KENNEL" "$@" >/dev/null 2>&1 &
	local pid=$!
	sleep "0.0$((RANDOM % 9 + 1))"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

@test "owner import killed at random moments is all or nothing, and the rerun completes" {
	init_db
	/usr/bin/python3 "$ROOT/tests/bench/gen_owners.py" 20000 > big.csv
	for i in 1 2 3 4 5 6; do
		kill_during owner import big.csv
		run -0 kennel db check
		n=$(sql 'SELECT count(*) FROM owners')
		[ "$n" -eq 0 ] || [ "$n" -eq 20000 ]
	done
	run -0 --separate-stderr kennel owner import big.csv
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "20000"
}

@test "package carryover and creds bulk-generate killed at random moments are all or nothing" {
	init_db
	/usr/bin/python3 "$ROOT/tests/bench/gen_owners.py" 5000 > o.csv
	kennel -q owner import o.csv
	awk -F, 'NR == 1 { print "Customer ID,Credits Left"; next } { print $1 "," NR % 20 }' o.csv > c.csv
	for i in 1 2 3 4; do
		kill_during package carryover c.csv
		run -0 kennel db check
		n=$(sql 'SELECT count(*) FROM packages')
		[ "$n" -eq 0 ] || [ "$n" -eq 5000 ]
		assert_equal "$(sql 'SELECT count(*) FROM orders')" "$n"
		kill_during creds bulk-generate
		n=$(sql 'SELECT count(*) FROM owners WHERE username IS NOT NULL')
		[ "$n" -eq 0 ] || [ "$n" -eq 5000 ]
	done
	kennel -q package carryover c.csv
	kennel -q creds bulk-generate
	assert_equal "$(sql 'SELECT count(*) FROM packages')" "5000"
	assert_equal "$(sql 'SELECT count(*) FROM owners WHERE username IS NOT NULL')" "5000"
}

@test "a second writer waits for the first and both succeed" {
	init_db
	/usr/bin/python3 "$ROOT/tests/bench/gen_owners.py" 20000 > big.csv
	"$KENNEL" -q owner import big.csv & a=$!
	"$KENNEL" -q owner add --first Late --last Comer & b=$!
	wait $a
	wait $b
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "20001"
}

@test "a writer kept waiting past the busy timeout exits 75 and changes nothing" {
	init_db
	# hold the write lock for longer than the 10 s busy timeout
	sqlite3 "$KENNEL_DB" "BEGIN IMMEDIATE; SELECT 1;" ".shell sleep 12" "COMMIT;" >/dev/null &
	wait_until db_locked
	run -75 --separate-stderr kennel owner add --first Ann --last Lee
	assert_equal "$stderr" "kennel: database: database is locked (try again later)"
	wait
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "0"
}

@test "blast email killed at random moments: queued all or nothing, the rerun reaches everyone" {
	init_db
	start_sink
	kennel prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	for i in $(seq 1 2000); do echo "Owner$i,Last$i,owner$i@example.com"; done | owners
	kills=0
	for i in 1 2 3 4 5 6; do
		kill_during blast email --template portal-launch
		kills=$((kills + 1))
		run -0 kennel db check
		n=$(sql 'SELECT count(*) FROM outbox')
		[ "$n" -eq 0 ] || [ "$n" -eq 2000 ]
		assert_equal "$(sql 'SELECT count(*) FROM blasts')" "$([ "$n" -eq 0 ] && echo 0 || echo 1)"
	done
	# ten minutes on, the claims of the killed runs are taken back
	KENNEL_NOW=2026-11-23T09:15:00 run -0 --separate-stderr kennel blast email --template portal-launch
	assert_equal "$(sql "SELECT count(*) || ':' || count(DISTINCT to_addr) FROM outbox WHERE status = 'sent'")" "2000:2000"
	assert_equal "$(grep -h '^To: ' "$SINK_DIR"/*.eml | sort -u | wc -l)" "2000"
	# a second copy only for a message on the wire at a kill: one a connection
	total=$(ls "$SINK_DIR" | grep -c '\.eml$')
	[ $((total - 2000)) -le $((kills * 4)) ]
	KENNEL_NOW=2026-11-23T09:20:00 run -0 kennel blast email --template portal-launch
	assert_equal "$(ls "$SINK_DIR" | grep -c '\.eml$')" "$total"
}

@test "remind all, an import and request approve at once: each waits its turn, none is lost" {
	init_db
	run -3 kennel -q owner import "$SAMPLE/owners.csv"
	run -3 kennel -q pet import "$SAMPLE/pets.csv"
	run -3 kennel -q vax import "$SAMPLE/vaccinations.csv"
	kennel prefs set portal.require_current_vaccinations false
	for pet in $(sql 'SELECT id FROM pets ORDER BY id LIMIT 20'); do
		kennel -q request add "$(sql "SELECT owner_id FROM pets WHERE id = $pet")" \
			--service daycare --pet "$pet" --start 2026-12-0$((pet % 9 + 1)) >/dev/null
	done
	run -0 --separate-stderr kennel remind all --dry-run --json
	due=$(echo "$output" | jq .queued)
	[ "$due" -gt 10 ]
	# new customers: ids of their own, not the sample's C000001...
	/usr/bin/python3 "$ROOT/tests/bench/gen_owners.py" 20000 | sed 's/^C0/N0/' > big.csv
	before=$(sql 'SELECT count(*) FROM owners')
	# WAL, so a reader never waits for a writer: verified on the file, not assumed
	assert_equal "$(sql 'PRAGMA journal_mode')" "wal"
	# a writer holds the lock for 2 s: all three must wait for it (busy_timeout)
	sqlite3 "$KENNEL_DB" "BEGIN IMMEDIATE; INSERT INTO audit (at, entity, summary) VALUES ('x', 'x', 'x');" ".shell sleep 2" "ROLLBACK;" >/dev/null &
	holder=$!
	wait_until db_locked
	"$KENNEL" -q remind all --queue-only & r=$!
	"$KENNEL" -q owner import big.csv & i=$!
	"$KENNEL" -q request approve $(seq 1 20) & a=$!
	rc_r=0 rc_i=0 rc_a=0
	wait $r || rc_r=$?
	wait $i || rc_i=$?
	wait $a || rc_a=$?
	wait $holder
	assert_equal "$rc_r:$rc_i:$rc_a" "0:0:0"
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "$((before + 20000))"
	assert_equal "$(sql "SELECT count(*) FROM requests WHERE status = 'approved'")" "20"
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE kind LIKE '%-reminder'")" "$due"
	# the reminders of this day went out once: another run queues none
	run -0 --separate-stderr kennel remind all --queue-only --json
	assert_equal "$(echo "$output" | jq .queued)" "0"
	run -0 kennel db check
}
