#!/usr/bin/env bats
# kennel init and kennel db: creation, upgrade, check, backup, version.
load test_helper

@test "init creates the database with mode 0600 and prints its path" {
	run -0 --separate-stderr kennel init --company "Happy Tails"
	assert_output "$KENNEL_DB"
	assert_equal "$stderr" "created database (schema version $(latest_schema))"
	assert_equal "$(stat -c %a "$KENNEL_DB")" "600"
	assert_equal "$(sql 'PRAGMA journal_mode')" "wal"
	assert_equal "$(sql 'SELECT name FROM company')" "Happy Tails"
}

@test "init creates missing parent directories" {
	run -0 kennel init --db "$BATS_TEST_TMPDIR/a/b/k.db"
	[ -f "$BATS_TEST_TMPDIR/a/b/k.db" ]
}

@test "init on an existing database keeps its data" {
	init_db
	kennel owner add --first Ann --last Lee >/dev/null
	run -0 --separate-stderr kennel init
	assert_equal "$stderr" "up to date, database (schema version $(latest_schema))"
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "1"
}

@test "a database with no schema version asks for kennel init" {
	init_db
	sql 'PRAGMA user_version = 0'
	run -1 --separate-stderr kennel owner list
	assert_equal "$stderr" "kennel: '$KENNEL_DB' is not a kennel database (run 'kennel init')"
}

@test "a database newer than the binary is refused and left untouched" {
	init_db
	sql 'PRAGMA user_version = 99'
	before=$(sha256sum "$KENNEL_DB")
	run -1 --separate-stderr kennel init
	assert_equal "$stderr" "kennel: database '$KENNEL_DB' has schema version 99, newer than this kennel ($(latest_schema)): upgrade kennel"
	run -1 kennel owner list
	assert_equal "$(sha256sum "$KENNEL_DB")" "$before"
}

@test "a file that is not a database is refused" {
	echo "hello" > "$KENNEL_DB"
	run -1 --separate-stderr kennel owner list
	assert_equal "$stderr" "kennel: '$KENNEL_DB' is not a kennel database"
}

@test "db check says ok on a healthy database" {
	init_db
	run -0 kennel db check
	assert_output "ok"
}

@test "db check reports a broken foreign key and exits 1" {
	init_db
	sql "PRAGMA foreign_keys=OFF; INSERT INTO owner_notes (owner_id, body, created_at) VALUES (42, 'x', 'now');"
	run -1 --separate-stderr kennel db check
	assert_equal "$stderr" "kennel: foreign key: owner_notes row 1 refers to a missing owners"
}

@test "db backup copies the data to a new 0600 file and refuses to overwrite" {
	init_db
	kennel owner add --first Ann --last Lee >/dev/null
	run -0 kennel db backup copy.db
	assert_equal "$(sqlite3 copy.db 'SELECT first_name FROM owners')" "Ann"
	assert_equal "$(stat -c %a copy.db)" "600"
	run -1 --separate-stderr kennel db backup copy.db
	assert_equal "$stderr" "kennel: cannot create backup 'copy.db': file exists"
}

@test "db version reports schema and library versions as JSON" {
	init_db
	run -0 kennel db version --json
	assert_equal "$(echo "$output" | jq -r .schema_version)" "$(latest_schema)"
	assert_equal "$(echo "$output" | jq -r .kennel_schema_version)" "$(latest_schema)"
	assert_equal "$(echo "$output" | jq -r .sqlite_version)" "$(sqlite3 --version | cut -d' ' -f1)"
}

@test "the busy timeout lets a second writer wait for the first" {
	init_db
	# hold the write lock for one second from another connection
	( sqlite3 "$KENNEL_DB" "BEGIN IMMEDIATE; SELECT 1;" ".shell sleep 1" "COMMIT;" >/dev/null ) &
	wait_until db_locked
	run -0 kennel owner add --first Ann --last Lee
	wait
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "1"
}
