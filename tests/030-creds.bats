#!/usr/bin/env bats
# kennel creds: bulk generation, set, check, reset, redeem, revoke.
load test_helper

messy_owners() {
	init_db
	cat > o.csv <<'CSV'
external_id,first_name,last_name,email,username
C1,Ann,Lee,Ann.Lee@Example.com,
C2,Bo,Kim,,
C3,Cy,Doe,family@example.com,
C4,Di,Doe,FAMILY@example.com,
C5,Ed,Fox,ed@example.com,
C6,Flo,Gray,taken@example.com,
C7,Gus,Hill,gus@example.com,Taken@Example.com
C8,Hal,Ivy,hal@example.com,hal
CSV
	kennel -q owner import o.csv
	# an address that slipped in before validation, as old data does
	sql "UPDATE owners SET email = 'ed@example' WHERE external_id = 'C5'"
}

@test "bulk-generate gives unique valid emails as usernames and skips the rest with reasons" {
	messy_owners
	run -0 --separate-stderr kennel creds bulk-generate --report report.csv
	assert_equal "$stderr" "generated 1, skipped 5 (no-email 1, invalid-email 1, duplicate-email 2, username-taken 1)"
	assert_equal "$(sql "SELECT username, password_hash IS NULL, must_reset FROM owners WHERE external_id = 'C1'")" \
		"ann.lee@example.com|1|1"
	assert_equal "$(tr -d '\r' < report.csv)" "owner_id,first_name,last_name,email,username,status,reason
1,Ann,Lee,Ann.Lee@Example.com,ann.lee@example.com,generated,
2,Bo,Kim,,,skipped,no-email
3,Cy,Doe,family@example.com,,skipped,duplicate-email
4,Di,Doe,FAMILY@example.com,,skipped,duplicate-email
5,Ed,Fox,ed@example,,skipped,invalid-email
6,Flo,Gray,taken@example.com,,skipped,username-taken"
}

@test "bulk-generate --json prints the summary object" {
	messy_owners
	run -0 --separate-stderr kennel creds bulk-generate --json
	assert_equal "$(echo "$output" | jq -c .)" \
		'{"considered":6,"generated":1,"skipped":5,"skipped_by_reason":{"no-email":1,"invalid-email":1,"duplicate-email":2,"username-taken":1}}'
}

@test "a second run generates nothing" {
	messy_owners
	kennel -q creds bulk-generate
	before=$(sql 'SELECT group_concat(username) FROM owners')
	run -0 --separate-stderr kennel creds bulk-generate --json
	assert_equal "$(echo "$output" | jq .generated)" "0"
	assert_equal "$(sql 'SELECT group_concat(username) FROM owners')" "$before"
}

@test "bulk-generate --dry-run changes nothing" {
	messy_owners
	run -0 --separate-stderr kennel creds bulk-generate --dry-run
	assert_equal "$stderr" "dry run: generated 1, skipped 5 (no-email 1, invalid-email 1, duplicate-email 2, username-taken 1)"
	assert_equal "$(sql 'SELECT count(*) FROM owners WHERE username IS NOT NULL')" "2"
}

@test "creds.lowercase_usernames false keeps the email's case" {
	messy_owners
	kennel prefs set creds.lowercase_usernames false
	kennel -q creds bulk-generate
	assert_equal "$(sql "SELECT username FROM owners WHERE external_id = 'C1'")" "Ann.Lee@Example.com"
}

@test "inactive owners are not considered" {
	messy_owners
	kennel owner deactivate ext:C1
	run -0 --separate-stderr kennel creds bulk-generate --json
	assert_equal "$(echo "$output" | jq -c '[.considered, .generated]')" "[5,0]"
}

@test "--reveal-to writes each password once to a new 0600 file, and creds check accepts them" {
	messy_owners
	kennel owner edit ext:C2 --email bo@example.com >/dev/null
	run -0 --separate-stderr kennel creds bulk-generate --reveal-to secrets.csv
	assert_equal "$(stat -c %a secrets.csv)" "600"
	assert_equal "$(head -1 secrets.csv | tr -d '\r')" "username,password"
	assert_equal "$(wc -l < secrets.csv)" "3"
	tail -n +2 secrets.csv | tr -d '\r' | while IFS=, read -r user pass; do
		[ "${#pass}" -ge 22 ]
		printf '%s\n' "$pass" | kennel creds check "$user" --password-stdin
		printf '%s\n' "x$pass" | { ! kennel creds check "$user" --password-stdin 2>/dev/null; }
	done
	# the hashes are argon2id and the file's passwords are nowhere in the database
	assert_equal "$(sql "SELECT count(*) FROM owners WHERE password_hash LIKE '\$argon2id\$%'")" "2"
	pass=$(sed -n 2p secrets.csv | cut -d, -f2 | tr -d '\r')
	run ! grep -c "$pass" "$KENNEL_DB"
}

@test "--reveal-to refuses an existing file and a symlink" {
	messy_owners
	echo keep > secrets.csv
	run -1 --separate-stderr kennel creds bulk-generate --reveal-to secrets.csv
	assert_equal "$stderr" "kennel: cannot create 'secrets.csv': file exists (refusing to overwrite)"
	assert_equal "$(cat secrets.csv)" "keep"
	ln -s /tmp/elsewhere-$$ link.csv
	run -1 --separate-stderr kennel creds bulk-generate --reveal-to link.csv
	[ ! -e /tmp/elsewhere-$$ ]
	assert_equal "$(sql 'SELECT count(*) FROM owners WHERE username IS NOT NULL')" "2"
}

@test "creds set takes the password from stdin only, and enforces the rules" {
	messy_owners
	run -2 --separate-stderr kennel creds set ext:C8 --password hunter22
	assert_equal "${stderr_lines[0]}" "kennel: unknown option '--password'"
	run -1 --separate-stderr kennel creds set ext:C8 --password-stdin <<< "short"
	assert_equal "$stderr" "kennel: password is too short (at least 8 characters)"
	run -1 --separate-stderr kennel creds set ext:C8 --username hal@example.com --password-stdin <<< "HAL@EXAMPLE.COM"
	assert_equal "$stderr" "kennel: password must not be the username"
	assert_equal "$(sql "SELECT username FROM owners WHERE external_id = 'C8'")" "hal"
	run -1 --separate-stderr kennel creds set ext:C8 --password-stdin <<< "        "
	assert_equal "$stderr" "kennel: password is only spaces or tabs; choose one with letters, digits or signs"
	run -1 --separate-stderr kennel creds set ext:C8 --password-stdin < <(printf '\t\t\t\t\t\t\t\t\n')
	assert_equal "$stderr" "kennel: password is only spaces or tabs; choose one with letters, digits or signs"
	for pw in zzzzzzzzzz ééééééééé 🐶🐶🐶🐶🐶🐶🐶🐶; do
		run -1 --separate-stderr kennel creds set ext:C8 --password-stdin <<< "$pw"
		assert_equal "$stderr" "kennel: password is one character repeated; choose another"
	done
	run -0 kennel creds set ext:C8 --password-stdin <<< "zzzzzzzzzy"
	run -0 kennel creds set ext:C8 --password-stdin <<< "correct horse battery"
	run -0 kennel creds check hal --password-stdin <<< "correct horse battery"
	assert_equal "$(sql "SELECT must_reset, password_hash LIKE '\$argon2id\$v=19\$m=65536,t=2,%' FROM owners WHERE external_id = 'C8'")" "0|1"
}

@test "creds set refuses a username another owner has in another case" {
	messy_owners
	run -1 --separate-stderr kennel creds set ext:C1 --username TAKEN@example.com
	assert_equal "$stderr" "kennel: username 'TAKEN@example.com' is taken by owner 7 ('Taken@Example.com')"
}

@test "creds check is case sensitive and names the case variant" {
	messy_owners
	kennel creds set ext:C8 --password-stdin <<< "correct horse battery"
	run -1 --separate-stderr kennel creds check Hal --password-stdin <<< "correct horse battery"
	assert_equal "$stderr" "kennel: no username 'Hal'; usernames are case sensitive and 'hal' exists"
	run -1 --separate-stderr kennel creds check nobody --password-stdin <<< "x"
	assert_equal "$stderr" "kennel: no username 'nobody'"
	run -1 --separate-stderr kennel creds check hal --password-stdin <<< "wrong password"
	assert_equal "$stderr" "kennel: wrong password for 'hal'"
}

@test "a generated account has no usable password until reset" {
	messy_owners
	kennel -q creds bulk-generate
	run -1 --separate-stderr kennel creds check ann.lee@example.com --password-stdin <<< ""
	assert_equal "$stderr" "kennel: 'ann.lee@example.com' has no password yet: it is set through a reset link"
}

@test "creds reset prints a link; redeem sets the password once" {
	messy_owners
	kennel company set --reset-url 'https://happytails.example/reset?t={token}' >/dev/null
	kennel -q creds bulk-generate
	run -0 --separate-stderr kennel creds reset ann.lee@example.com
	assert_equal "$stderr" "1 reset link(s) made, 0 refused"
	assert_output --regexp '^1 https://happytails\.example/reset\?t=[A-Za-z0-9_-]{43}$'
	token=${output##*t=}
	# only a hash is stored
	assert_equal "$(sql 'SELECT count(*) FROM reset_tokens')" "1"
	run ! grep -c "$token" "$KENNEL_DB"
	run -0 kennel creds redeem "$token" --password-stdin <<< "new password 1"
	run -0 kennel creds check ann.lee@example.com --password-stdin <<< "new password 1"
	assert_equal "$(sql "SELECT must_reset FROM owners WHERE id = 1")" "0"
	run -1 --separate-stderr kennel creds redeem "$token" --password-stdin <<< "other password"
	assert_equal "$stderr" "kennel: this reset token was already used"
	run -1 --separate-stderr kennel creds redeem "AAAA$token" --password-stdin <<< "other password"
	assert_equal "$stderr" "kennel: invalid reset token"
}

@test "a reset token expires after its lifetime" {
	messy_owners
	kennel company set --reset-url 'https://x.example/r/{token}' >/dev/null
	kennel -q creds bulk-generate
	link=$(KENNEL_NOW=2026-11-23T10:00:00 kennel creds reset 1 --ttl 2 | cut -d' ' -f2)
	token=${link##*/}
	KENNEL_NOW=2026-11-23T12:00:01 run -1 --separate-stderr kennel creds redeem "$token" --password-stdin <<< "new password 1"
	assert_equal "$stderr" "kennel: this reset token expired at 2026-11-23T12:00:00"
	KENNEL_NOW=2026-11-23T11:59:00 run -0 kennel creds redeem "$token" --password-stdin <<< "new password 1"
}

@test "a reset token never starts with '-', and '--' passes one that does" {
	init_db
	kennel company set --reset-url 'https://x.example/r/{token}' >/dev/null
	for i in $(seq 1 400); do echo "F$i,L$i,o$i@example.com"; done | owners
	kennel -q creds bulk-generate
	# 400 tokens: a generator that allowed a leading '-' (1 in 64) would show one
	run -0 --separate-stderr kennel creds reset --all-generated
	assert_equal "$(echo "$output" | wc -l)" "400"
	run -1 grep -c '/r/-' <<< "$output"
	run -1 --separate-stderr kennel creds redeem --password-stdin -- -Abc <<< "new password 1"
	assert_equal "$stderr" "kennel: invalid reset token"
}

@test "creds reset --all-generated issues a link for every generated account" {
	messy_owners
	kennel company set --reset-url 'https://x.example/r/{token}' >/dev/null
	kennel owner edit ext:C2 --email bo@example.com >/dev/null
	kennel -q creds bulk-generate
	run -0 --separate-stderr kennel creds reset --all-generated --json
	assert_equal "$(echo "$output" | jq -c '[.links[].owner_id]')" "[1,2]"
	assert_equal "$(echo "$output" | jq -c '.refused')" "[]"
}

@test "creds reset without a reset URL says how to set one" {
	messy_owners
	sql 'UPDATE company SET portal_url = NULL, reset_url = NULL'
	kennel -q creds bulk-generate
	run -1 --separate-stderr kennel creds reset 1
	assert_equal "${stderr_lines[0]}" "kennel: no reset URL: set the portal's with 'kennel company set --portal-url URL', or another with --reset-url URL (with {token} in it)"
}

@test "creds revoke removes username, password and open tokens" {
	messy_owners
	kennel company set --reset-url 'https://x.example/r/{token}' >/dev/null
	kennel -q creds bulk-generate
	kennel creds reset 1 >/dev/null
	run -0 --separate-stderr kennel creds revoke 1
	assert_equal "$stderr" "credentials of owner 1 revoked"
	assert_equal "$(sql 'SELECT username IS NULL, password_hash IS NULL FROM owners WHERE id = 1')" "1|1"
	assert_equal "$(sql 'SELECT count(*) FROM reset_tokens')" "0"
}

@test "no output of any command contains a password hash or a token" {
	messy_owners
	kennel company set --reset-url 'https://x.example/r/{token}' >/dev/null
	kennel -q creds bulk-generate --reveal-to s.csv
	kennel creds set ext:C8 --password-stdin <<< "correct horse battery"
	kennel creds reset 1 > link.txt
	hashes=$(sql "SELECT password_hash FROM owners WHERE password_hash IS NOT NULL UNION SELECT token_hash FROM reset_tokens")
	pass=$(sed -n 2p s.csv | cut -d, -f2 | tr -d '\r')
	{
		for fmt in "" --json --csv; do
			kennel owner list --inactive $fmt
			kennel owner export $fmt
			kennel owner show 1 $fmt
			kennel log $fmt
			kennel prefs list $fmt
			kennel company show $fmt
		done
	} > all-output.txt 2>&1
	while read -r h; do
		run ! grep -cF "$h" all-output.txt
	done <<< "$hashes"
	run ! grep -cF "$pass" all-output.txt
	run ! grep -c 'argon2' all-output.txt
}

@test "the database is upgraded from schema 1 by kennel init, keeping the owners" {
	init_db
	kennel owner add --first Ann --last Lee >/dev/null
	# what schema 1 was: the later migrations' tables did not exist
	sql "$DROP_SERIES"
	sql "$DROP_MONEY"
	sql 'DROP TABLE visit_package_uses; DROP INDEX order_items_visit; ALTER TABLE order_items DROP COLUMN visit_id; DROP TABLE visits; DROP TABLE areas; DROP TABLE portal_mail_asks; DROP TABLE portal_sessions; DROP TABLE portal_failures; DROP TABLE portal_registrations; DROP TABLE portal_keys; DROP TABLE portal_calendar_keys; DROP TABLE request_addons; DROP TABLE request_pets; DROP TABLE requests; DROP TABLE capacity; DROP TABLE blocks; DROP TABLE package_history; DROP TABLE packages; DROP TABLE order_items; DROP TABLE orders; DROP TABLE reminders; DROP TABLE vaccinations; DROP TABLE pets; DROP TABLE products; DROP TABLE outbox; DROP TABLE blasts; DROP TABLE reset_tokens; DROP INDEX audit_owner; ALTER TABLE audit DROP COLUMN owner_id; ALTER TABLE company DROP COLUMN address; ALTER TABLE company DROP COLUMN hours; ALTER TABLE company DROP COLUMN logo; ALTER TABLE company DROP COLUMN logo_type; PRAGMA user_version = 1'
	run -1 --separate-stderr kennel creds check x --password-stdin <<< "x"
	assert_equal "$stderr" "kennel: database '$KENNEL_DB' has schema version 1: run 'kennel init' to upgrade it to $(latest_schema)"
	run -0 --separate-stderr kennel init
	assert_equal "$(sql 'PRAGMA user_version')" "$(latest_schema)"
	assert_equal "$(sql "SELECT count(*) FROM sqlite_master WHERE name IN ('outbox', 'reset_tokens')")" "2"
	assert_equal "$(sql 'SELECT first_name FROM owners')" "Ann"
}
