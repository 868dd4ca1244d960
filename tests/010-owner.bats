#!/usr/bin/env bats
# kennel owner: add, list, show, edit, deactivate, rm, notes, resolution.
load test_helper

setup_file() { :; }

add_owners() {
	init_db
	kennel owner add --first Jane --last Doe --email jane@example.com --external-id C1 >/dev/null
	kennel owner add --first John --last Doe --email doe.family@example.com >/dev/null
	kennel owner add --first Mary --last Doe --email DOE.family@example.com --username marydoe >/dev/null
}

@test "owner add prints the new owner, id on the first line" {
	init_db
	run -0 kennel owner add --first Jane --last Doe --email ' jane@example.com ' --phone 555-0100
	assert_line --index 0 "id: 1"
	assert_line "email: jane@example.com"
	assert_equal "$(sql 'SELECT first_name, last_name, email, phone, active FROM owners')" \
		"Jane|Doe|jane@example.com|555-0100|1"
}

@test "owner add --json prints the object with every contract field and no hash" {
	init_db
	run -0 kennel owner add --first Jane --last Doe --json
	keys=$(echo "$output" | jq -c 'keys_unsorted')
	assert_equal "$keys" '["id","external_id","first_name","last_name","email","phone","address","city","state","zip","username","has_password","must_reset","email_opt_out","active","created_at","updated_at","notes","pets","packages","requests"]'
	assert_equal "$(echo "$output" | jq .active)" "true"
}

@test "owner add refuses an invalid email and changes nothing" {
	init_db
	run -1 --separate-stderr kennel owner add --first Bob --last Roe --email bob@example
	assert_equal "$stderr" "kennel: invalid email 'bob@example'"
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "0"
}

@test "owner add without --last is a usage error" {
	init_db
	run -2 --separate-stderr kennel owner add --first Bob
	assert_equal "${stderr_lines[0]}" "kennel: owner add needs --first and --last"
}

@test "owner add refuses a username another owner has in another case" {
	add_owners
	run -1 --separate-stderr kennel owner add --first M --last D --username MaryDoe
	assert_equal "$stderr" "kennel: username 'MaryDoe' is taken by owner 3 ('marydoe')"
}

@test "owner add refuses a duplicate external id" {
	add_owners
	run -1 --separate-stderr kennel owner add --first X --last Y --external-id C1
	assert_equal "$stderr" "kennel: external id 'C1' belongs to owner 1"
}

@test "OWNER resolves by id, ext:ID, username and unique email" {
	add_owners
	assert_equal "$(kennel owner show 1 --json | jq -r .first_name)" "Jane"
	assert_equal "$(kennel owner show ext:C1 --json | jq -r .first_name)" "Jane"
	assert_equal "$(kennel owner show marydoe --json | jq -r .first_name)" "Mary"
	assert_equal "$(kennel owner show JANE@example.com --json | jq -r .first_name)" "Jane"
}

@test "an email shared by several owners is ambiguous and lists them" {
	add_owners
	run -1 --separate-stderr kennel owner show doe.family@example.com
	assert_equal "$stderr" "kennel: owner 'doe.family@example.com' is ambiguous: matches owners 2 (John Doe), 3 (Mary Doe) (use an id)"
}

@test "OWNER resolves by a name that matches one owner; several are listed by name" {
	add_owners
	kennel -q owner add --first Zoë --last Quinn
	run -0 kennel owner show jane --json
	assert_equal "$(echo "$output" | jq .id)" "1"
	run -0 kennel owner show "JOHN doe" --json
	assert_equal "$(echo "$output" | jq .id)" "2"
	run -0 kennel owner show "zoe quinn" --json
	assert_equal "$(echo "$output" | jq .id)" "4"
	run -1 --separate-stderr kennel owner show Doe
	assert_equal "$stderr" "kennel: owner 'Doe' is ambiguous: matches owners 1 (Jane Doe), 2 (John Doe), 3 (Mary Doe) (use an id)"
	run -1 --separate-stderr kennel pet add "Jane Roe" --name Rex
	assert_equal "$stderr" "kennel: owner 'Jane Roe' not found"
}

@test "an unknown owner is not found, exit 1" {
	add_owners
	run -1 --separate-stderr kennel owner show nobody@example.com
	assert_equal "$stderr" "kennel: owner 'nobody@example.com' not found"
	run -1 --separate-stderr kennel owner show 99
	assert_equal "$stderr" "kennel: owner '99' not found"
}

@test "owner list shows active owners; filters by search and username" {
	add_owners
	kennel owner deactivate 2
	run -0 kennel owner list
	assert_equal "${#lines[@]}" "3"
	assert_line --index 0 "ID  FIRST NAME  LAST NAME  EMAIL                   USERNAME"
	assert_line --index 1 "1   Jane        Doe        jane@example.com        -"
	run -0 kennel owner list --inactive --json
	assert_equal "$(echo "$output" | jq length)" "3"
	run -0 kennel owner list --with-username --json
	assert_equal "$(echo "$output" | jq -r '.[].first_name')" "Mary"
	run -0 kennel owner list --without-username --json
	assert_equal "$(echo "$output" | jq -r '.[].first_name')" "Jane"
	run -0 kennel owner list --search 'jane' --json
	assert_equal "$(echo "$output" | jq -r '.[].id')" "1"
	run -0 kennel owner list --inactive --limit 2 --json
	assert_equal "$(echo "$output" | jq length)" "2"
}

@test "owner list --search treats % and _ as plain characters" {
	add_owners
	run -0 kennel owner list --search '%' --json
	assert_equal "$output" "[]"
}

@test "owner list --csv is RFC 4180 with a header row" {
	init_db
	kennel owner add --first 'Anne "Annie"' --last 'Smith, Jr.' --address $'1 Oak St\nApt 2' >/dev/null
	run -0 bash -c '"$KENNEL" owner list --csv | tr -d "\r"'
	assert_line --index 0 "id,external_id,first_name,last_name,email,phone,address,city,state,zip,username,has_password,must_reset,email_opt_out,active,created_at,updated_at"
	# read it back with sqlite3's own CSV reader
	kennel owner list --csv > out.csv
	sqlite3 :memory: ".import --csv out.csv t" "SELECT first_name || '|' || last_name || '|' || address FROM t" > got.txt
	assert_equal "$(cat got.txt)" $'Anne "Annie"|Smith, Jr.|1 Oak St\nApt 2'
}

@test "owner edit changes the given fields, clears with empty, and logs it" {
	add_owners
	run -0 kennel owner edit 1 --phone 555-0199 --email '' --json
	assert_equal "$(echo "$output" | jq -r .phone)" "555-0199"
	assert_equal "$(echo "$output" | jq -r .email)" "null"
	assert_equal "$(sql "SELECT summary FROM audit WHERE entity_id = 1 ORDER BY id DESC LIMIT 1")" "edited email, phone"
}

@test "owner edit refuses an empty first name" {
	add_owners
	run -1 --separate-stderr kennel owner edit 1 --first ''
	assert_equal "$stderr" "kennel: first name is empty"
	assert_equal "$(sql 'SELECT first_name FROM owners WHERE id = 1')" "Jane"
}

@test "owner edit --email-opt-out sets the flag" {
	add_owners
	kennel owner edit 1 --email-opt-out >/dev/null
	assert_equal "$(sql 'SELECT email_opt_out FROM owners WHERE id = 1')" "1"
	kennel owner edit 1 --email-opt-in >/dev/null
	assert_equal "$(sql 'SELECT email_opt_out FROM owners WHERE id = 1')" "0"
}

@test "owner deactivate and rm" {
	add_owners
	run -0 --separate-stderr kennel owner deactivate jane@example.com
	assert_equal "$stderr" "owner 1 deactivated"
	assert_equal "$(sql 'SELECT active FROM owners WHERE id = 1')" "0"
	run -0 --separate-stderr kennel owner rm 2
	assert_equal "$stderr" "owner 2 removed"
	assert_equal "$(sql 'SELECT count(*) FROM owners WHERE id = 2')" "0"
}

@test "owner note add and list, from text or a file, shown to owner or not" {
	add_owners
	run -0 kennel owner note add 1 "Prefers morning drop-off" --show-to-owner
	assert_output "1"
	echo "Allergic to chicken" | kennel owner note add 1 --file - >/dev/null
	run -0 kennel owner note list 1 --json
	assert_equal "$(echo "$output" | jq -c '[.[] | [.text, .show_to_owner, .created_by]]')" \
		'[["Prefers morning drop-off",true,"tester"],["Allergic to chicken\n",false,"tester"]]'
	run -0 kennel owner show 1 --json
	assert_equal "$(echo "$output" | jq '.notes | length')" "2"
}

@test "owner note add refuses an empty note" {
	add_owners
	run -1 --separate-stderr kennel owner note add 1 "   "
	assert_equal "$stderr" "kennel: the note is empty"
}

@test "owner show --json equals the listed record plus notes, compared with jq -S" {
	add_owners
	a=$(kennel owner show 1 --json | jq -S 'del(.notes, .pets, .packages, .requests)')
	b=$(kennel owner list --json | jq -S '.[0]')
	assert_equal "$a" "$b"
}

@test "every change is in the audit log with actor and command" {
	add_owners
	run -0 kennel log --owner 1 --json
	assert_equal "$(echo "$output" | jq -c '[.[] | [.actor, .command, .entity, .entity_id, .summary]]')" \
		'[["tester","owner add","owner",1,"added Jane Doe"]]'
}

@test "owner show has the owner's pets with their vaccination status, and active packages" {
	add_owners
	kennel pet add 1 --name Rex --advisory "Bites" >/dev/null
	kennel pet add 1 --name Mia >/dev/null
	kennel vax add 1/Rex rabies --expires 2026-12-01 >/dev/null
	kennel vax add 1/Rex distemper --expires 2027-12-01 >/dev/null
	kennel product add --name "10 Day Pack" --type daycare-package --price 250 --days 10 --days-active 180 >/dev/null
	kennel order purchase 1 "10 Day Pack" --checkout --payment card >/dev/null
	run -0 kennel owner show 1 --json
	assert_equal "$(echo "$output" | jq -c '.pets | map([.name, .advisory, .vaccinations])')" '[["Rex","Bites","expiring"],["Mia",null,"none"]]'
	assert_equal "$(echo "$output" | jq -c '.packages | map([.name, .number_left])')" '[["10 Day Pack",10]]'
	run -0 kennel owner show 1
	assert_line "  - 1  Rex  -  Bites  expiring"
}

@test "owner add --invite: a login and the launch mail with a password link, in one step" {
	init_db
	run -0 --separate-stderr kennel owner add --first Ann --last Lee --email Ann@Example.com --invite --json
	assert_equal "$(echo "$output" | jq -r .username)" "ann@example.com"
	f=kennel-mail/000001.eml
	run -0 grep -c '^To: Ann@Example.com' "$f"
	run -0 grep -c '^Your username is your email address: ann@example.com' "$f"
	token=$(grep -o 'reset?token=[A-Za-z0-9_-]*' "$f" | cut -d= -f2)
	[ "${#token}" -eq 43 ]
	kennel -q creds redeem --token-stdin --password-stdin <<< "$token
a fine password 1"
	run -0 kennel creds check ann@example.com --password-stdin <<< "a fine password 1"
	assert_equal "$(kennel log --owner 1 --json | jq -r '.[].summary' | grep -c '^invited to the portal as ann@example.com')" "1"
}

@test "owner.require_email refuses owners without an email: add, edit, import" {
	init_db
	kennel -q owner add --first Al --last Ng
	kennel -q prefs set owner.require_email true
	run -1 --separate-stderr kennel owner add --first Bo --last Kim
	assert_equal "$stderr" "kennel: an owner needs an email here (owner.require_email is true): give --email ADDR"
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "1"
	kennel -q owner add --first Bo --last Kim --email bo@example.com
	run -1 --separate-stderr kennel owner edit 2 --email ''
	assert_equal "$stderr" "kennel: an owner needs an email here (owner.require_email is true): give --email ADDR"
	assert_equal "$(sql 'SELECT email FROM owners WHERE id = 2')" "bo@example.com"
	# an owner who had none before is still edited in other ways
	run -0 kennel owner edit 1 --phone 555-0100
	printf 'first_name,last_name,email\nCy,Doe,cy@example.com\nDi,Doe,\n' > o.csv
	run -3 --separate-stderr kennel owner import o.csv --rejects rej.csv
	assert_equal "$(tail -1 rej.csv | tr -d '\r')" 'Di,Doe,,3,email is empty (owner.require_email is true)'
	assert_equal "$(sql "SELECT group_concat(first_name, ',') FROM (SELECT first_name FROM owners ORDER BY id)")" "Al,Bo,Cy"
}

@test "owner add --invite refused: no owner is added and no mail queued" {
	init_db
	kennel -q company set --portal-url ''
	run -1 --separate-stderr kennel owner add --first Ann --last Lee --email ann@example.com --invite
	assert_equal "$stderr" "kennel: no reset URL: set the portal's with 'kennel company set --portal-url URL', or another with --reset-url URL (with {token} in it)"
	kennel -q company set --portal-url https://happytails.example/portal
	run -1 --separate-stderr kennel owner add --first Cy --last Doe --invite
	assert_equal "$stderr" "kennel: owner 1 has no email to invite"
	kennel -q owner add --first Bo --last Kim --email bo@example.com
	run -1 --separate-stderr kennel owner add --first Di --last Kim --email BO@example.com --invite
	assert_equal "$stderr" "kennel: owner 2 shares the email BO@example.com with another owner: give one a username with --username"
	assert_equal "$(sql 'SELECT group_concat(first_name) FROM owners')" "Bo"
	assert_equal "$(sql 'SELECT count(*) FROM outbox')" "0"
}
