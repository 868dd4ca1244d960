#!/usr/bin/env bats
# The security rules as tests: bound SQL, no secrets on argv or in output,
# private files, no header injection.
load test_helper

@test "no SQL text is built from a value: lib/ never formats SQL" {
	# every statement is a literal (or a literal spliced with a column name
	# of ours by a macro); printf-style SQL would show up as one of these
	run -1 grep -nE 'sqlite3_(mprintf|vmprintf|snprintf)|%q|%Q|%w' "$ROOT"/lib/*/*.c
	run -1 grep -nE 'snprintf\([^;]*"(SELECT|INSERT|UPDATE|DELETE) ' "$ROOT"/lib/*/*.c
	# and cmd/ does not touch SQLite, libcurl, libcsv or libsodium at all
	run -1 grep -nE '\b(sqlite3|curl|csv|crypto|randombytes|sodium)_[a-z_]+ *\(' "$ROOT"/cmd/*.c
	run ! grep -nE '#include <(sqlite3|curl/curl|csv|sodium|jansson)\.h>' "$ROOT"/cmd/*.c
}

@test "a value that looks like SQL is stored as text" {
	init_db
	kennel owner add --first "Robert'); DROP TABLE owners;--" --last Tables >/dev/null
	assert_equal "$(sql 'SELECT first_name FROM owners')" "Robert'); DROP TABLE owners;--"
	run -0 kennel owner list --search "'; DELETE FROM owners; --" --json
	assert_equal "$output" "[]"
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "1"
}

@test "no command takes a password on its command line" {
	run -0 kennel --complete creds set ext:1 --pass
	assert_output "--password-stdin"
	for verb in set check redeem; do
		run -2 kennel creds "$verb" x --password hunter22
	done
}

@test "the database, rejects, reports and revealed passwords are private files" {
	init_db
	printf 'first_name,last_name,email\nAnn,Lee,ann@example.com\n,Kim,x\n' > f.csv
	run -3 kennel -q owner import f.csv --rejects r.csv
	kennel -q creds bulk-generate --report rep.csv --reveal-to secrets.csv
	kennel db backup copy.db 2>/dev/null
	for f in "$KENNEL_DB" r.csv rep.csv secrets.csv copy.db; do
		assert_equal "$(stat -c %a "$f")" "600"
	done
}

@test "header injection through an owner's data is refused, nothing queued" {
	init_db
	kennel owner add --first Ann --last Lee --email ann@example.com >/dev/null
	printf 'Subject: Hello {{owner.first_name}}\n\nHi\n' > t.txt
	sql "UPDATE owners SET first_name = 'Ann' || char(13, 10) || 'Bcc: everyone@example.com'"
	run -1 --separate-stderr kennel blast email --template-file t.txt
	assert_equal "$stderr" "kennel: refusing a mail header with CR or LF in it ('{{owner.first_name}}' in template 't.txt')"
	assert_equal "$(sql 'SELECT count(*) FROM outbox')" "0"
}
