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
	sleep 0.5
	run -75 --separate-stderr kennel owner add --first Ann --last Lee
	assert_equal "$stderr" "kennel: database: database is locked (try again later)"
	wait
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "0"
}
