#!/usr/bin/env bats
# kennel owner import and export: the CSV contract of SPEC.md section 4.
load test_helper

@test "the sample import creates every valid row and rejects the rest, exit 3" {
	init_db
	run -3 --separate-stderr kennel owner import "$SAMPLE/owners.csv" --rejects rejects.csv
	assert_equal "${stderr_lines[-1]}" "300 rows: 294 created, 0 updated, 0 unchanged, 6 rejected (see the rejects file)"
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "294"
	# the rejects file is the original header plus line and reason
	assert_equal "$(head -1 rejects.csv | tr -d '\r')" \
		"Customer ID,First Name,Last Name,E-mail,Cell Phone,Address,City,State,Zip Code,Referral,line,reason"
	assert_equal "$(sqlite3 :memory: '.import --csv rejects.csv r' 'SELECT count(*) FROM r')" "6"
	assert_equal "$(stat -c %a rejects.csv)" "600"
}

@test "the line numbers of rejects are the lines in the file, past multi-line fields" {
	init_db
	printf 'id_x,first,last,email,comment\nC1,Ann,Lee,"a@example.com",\nC2,Bo,Lee,b@example.com,"two\nlines"\nC3,Cy,Lee,bad@,\nC4,"Di\nD",Lee,,\n' > f.csv
	run -3 --separate-stderr kennel owner import f.csv --map 'id_x=external_id'
	assert_equal "${stderr_lines[1]}" "kennel: f.csv: line 5: invalid email 'bad@'"
	# a name is one line: a line break in it is refused, as from the command line
	assert_equal "${stderr_lines[2]}" "kennel: f.csv: line 6: first_name has a control character (byte 10): a name or other one-line field cannot hold one"
	assert_equal "$(sql "SELECT group_concat(external_id) FROM owners")" "C1,C2"
}

@test "re-running an import creates nothing twice" {
	init_db
	run -3 kennel -q owner import "$SAMPLE/owners.csv"
	before=$(sql 'SELECT count(*) FROM owners')
	run -3 --separate-stderr kennel owner import "$SAMPLE/owners.csv" --json
	assert_equal "$(echo "$output" | jq -c .)" '{"rows":300,"created":0,"updated":0,"unchanged":294,"rejected":6}'
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "$before"
}

@test "rows without external id match by email and first and last name, else by name" {
	init_db
	printf 'first_name,last_name,email,phone\nAnn,Lee,ann@example.com,1\nBo,Lee,,2\n' > f.csv
	kennel -q owner import f.csv
	printf 'first_name,last_name,email,phone\nANN,LEE,ANN@example.com,3\nbo,lee,,4\n' > g.csv
	run -0 --separate-stderr kennel owner import g.csv --json
	assert_equal "$(echo "$output" | jq -c .)" '{"rows":2,"created":0,"updated":0,"unchanged":2,"rejected":0}'
	run -0 --separate-stderr kennel owner import g.csv --update --json
	assert_equal "$(echo "$output" | jq -c .)" '{"rows":2,"created":0,"updated":2,"unchanged":0,"rejected":0}'
	assert_equal "$(sql 'SELECT phone FROM owners ORDER BY id' | tr '\n' ' ')" "3 4 "
}

@test "a family sharing one email and last name is two owners, and stays two on a re-run" {
	init_db
	printf 'first_name,last_name,email\nJohn,Smith,smiths@example.com\nJane,Smith,smiths@example.com\n' > f.csv
	run -0 --separate-stderr kennel owner import f.csv --rejects r.csv --json
	assert_equal "$(echo "$output" | jq -c '[.created, .rejected]')" "[2,0]"
	run -0 --separate-stderr kennel owner import f.csv --json
	assert_equal "$(echo "$output" | jq -c '[.created, .unchanged]')" "[0,2]"
	assert_equal "$(sql 'SELECT first_name FROM owners ORDER BY id' | tr '\n' ' ')" "John Jane "
}

@test "--update changes matched owners; without it they are left as they are" {
	init_db
	printf 'external_id,first_name,last_name,phone\nC1,Ann,Lee,555-0001\n' > f.csv
	kennel -q owner import f.csv
	printf 'external_id,first_name,last_name,phone\nC1,Ann,Lee,555-0002\n' > g.csv
	run -0 --separate-stderr kennel owner import g.csv --json
	assert_equal "$(echo "$output" | jq .unchanged)" "1"
	assert_equal "$(sql 'SELECT phone FROM owners')" "555-0001"
	run -0 --separate-stderr kennel owner import g.csv --update --json
	assert_equal "$(echo "$output" | jq .updated)" "1"
	assert_equal "$(sql 'SELECT phone FROM owners')" "555-0002"
	assert_equal "$(sql "SELECT summary FROM audit WHERE entity_id = 1 ORDER BY id DESC LIMIT 1")" "updated from g.csv (line 2)"
}

@test "an owner added by hand is matched by email and takes the file's external id" {
	init_db
	kennel owner add --first Ann --last Lee --email ann@example.com >/dev/null
	printf 'Customer ID,First Name,Last Name,Email\nC9,Ann,Lee,ann@example.com\n' > f.csv
	run -0 --separate-stderr kennel owner import f.csv --update --json
	assert_equal "$(echo "$output" | jq -c '[.created, .updated]')" "[0,1]"
	assert_equal "$(sql 'SELECT external_id FROM owners')" "C9"
}

@test "--dry-run does all the checks and changes nothing" {
	init_db
	before=$(sql .dump)
	run -3 --separate-stderr kennel owner import "$SAMPLE/owners.csv" --dry-run --rejects r.csv
	assert_equal "${stderr_lines[-1]}" "dry run: 300 rows: 294 created, 0 updated, 0 unchanged, 6 rejected"
	assert_equal "$(sql .dump)" "$before"
	[ ! -e r.csv ]
}

@test "headers match ignoring case, spaces, _ - . and take the usual aliases" {
	init_db
	printf 'CLIENT_ID,first-name,LastName,Email Address,Mobile,Postal Code\nX1,Ann,Lee,ann@example.com,555,97201\n' > f.csv
	run -0 kennel owner import f.csv
	assert_equal "$(sql 'SELECT external_id, first_name, last_name, email, phone, zip FROM owners')" \
		"X1|Ann|Lee|ann@example.com|555|97201"
}

@test "--map adds an alias; an unknown column is reported once and ignored" {
	init_db
	printf 'Given,Family,Pet Count\nAnn,Lee,2\nBo,Kim,1\n' > f.csv
	run -0 --separate-stderr kennel owner import f.csv --map 'Given=first_name' --map 'Family=last_name'
	assert_equal "${stderr_lines[0]}" "kennel: f.csv: unknown column 'Pet Count' ignored"
	assert_equal "${#stderr_lines[@]}" "2"
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "2"
}

@test "--map to an unknown field is a usage error" {
	init_db
	printf 'Given,last_name\nAnn,Lee\n' > f.csv
	run -2 --separate-stderr kennel owner import f.csv --map 'Given=firstname'
	assert_equal "$stderr" "kennel: invalid --map 'Given=firstname': unknown field 'firstname'"
}

@test "a missing required column is an error before any row is read" {
	init_db
	printf 'first_name,email\nAnn,ann@example.com\n' > f.csv
	run -1 --separate-stderr kennel owner import f.csv
	assert_equal "$stderr" "kennel: f.csv: missing required column 'last_name'"
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "0"
}

@test "an empty file is an error" {
	init_db
	: > f.csv
	run -1 --separate-stderr kennel owner import f.csv
	assert_equal "$stderr" "kennel: f.csv: empty file: no header row"
}

@test "a missing file is an error naming it" {
	init_db
	run -1 --separate-stderr kennel owner import nope.csv
	assert_equal "$stderr" "kennel: cannot open 'nope.csv': No such file or directory"
}

@test "quoted commas, quotes and newlines; CRLF; a UTF-8 BOM" {
	init_db
	printf '\xef\xbb\xbfexternal_id,first_name,last_name,address\r\nC1,"Anne ""Annie""","Smith, Jr.","1 Oak St\r\nApt 2"\r\nC2,Zoë,Müller,x\r\n' > f.csv
	run -0 kennel owner import f.csv
	assert_equal "$(sql "SELECT first_name || '|' || last_name FROM owners ORDER BY id")" $'Anne "Annie"|Smith, Jr.\nZoë|Müller'
	assert_equal "$(sql "SELECT address FROM owners WHERE external_id = 'C1'")" $'1 Oak St\r\nApt 2'
}

@test "invalid UTF-8 is a row error, the other rows go in" {
	init_db
	printf 'external_id,first_name,last_name\nC1,Zo\xeb,Lee\nC2,Bo,Kim\n' > f.csv
	run -3 --separate-stderr kennel owner import f.csv --rejects r.csv
	assert_equal "${stderr_lines[0]}" "kennel: f.csv: line 2: invalid UTF-8 in column 'first_name'"
	assert_equal "$(sql 'SELECT external_id FROM owners')" "C2"
}

@test "a row with the wrong number of fields is rejected" {
	init_db
	printf 'external_id,first_name,last_name\nC1,Ann,Lee,extra\nC2,Bo\nC3,Cy,Lee\n' > f.csv
	run -3 --separate-stderr kennel owner import f.csv
	assert_equal "${stderr_lines[0]}" "kennel: f.csv: line 2: 4 fields, the header has 3"
	assert_equal "${stderr_lines[1]}" "kennel: f.csv: line 3: 2 fields, the header has 3"
	assert_equal "$(sql 'SELECT external_id FROM owners')" "C3"
}

@test "an unterminated quote rejects its own line alone: the rows after it import" {
	init_db
	printf 'external_id,first_name,last_name\nC1,Ann,Lee\nC2,"Bo,Kim\nC3,Cy,Lee\n' > f.csv
	run -3 --separate-stderr kennel owner import f.csv
	assert_equal "${stderr_lines[0]}" "kennel: f.csv: line 3: unterminated quoted field"
	assert_equal "$(sql 'SELECT group_concat(external_id) FROM owners')" "C1,C3"
}

@test "a duplicate external id in one file rejects the later row" {
	init_db
	printf 'external_id,first_name,last_name\nC1,Ann,Lee\nC1,Annie,Lee\n' > f.csv
	run -3 --separate-stderr kennel owner import f.csv
	assert_equal "${stderr_lines[0]}" "kennel: f.csv: line 3: external_id 'C1' appears earlier in this file"
	assert_equal "$(sql 'SELECT first_name FROM owners')" "Ann"
}

@test "the rejects file can be fixed and imported again" {
	init_db
	printf 'external_id,first_name,last_name,email\nC1,Ann,Lee,ann@example\nC2,Bo,Kim,bo@example.com\n' > f.csv
	run -3 kennel owner import f.csv --rejects r.csv
	sed -i 's/ann@example,/ann@example.com,/' r.csv
	run -0 --separate-stderr kennel owner import r.csv
	assert_equal "$stderr" $'kennel: r.csv: unknown column \'line\' ignored\nkennel: r.csv: unknown column \'reason\' ignored\n1 rows: 1 created, 0 updated, 0 unchanged, 0 rejected'
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "2"
}

@test "import reads stdin with -" {
	init_db
	printf 'first_name,last_name\nAnn,Lee\n' | kennel -q owner import -
	assert_equal "$(sql 'SELECT first_name FROM owners')" "Ann"
}

@test "a username in the file that another owner has in another case is rejected" {
	init_db
	kennel owner add --first Ann --last Lee --username ann@example.com >/dev/null
	printf 'external_id,first_name,last_name,username\nC2,Annie,Lee,Ann@Example.com\n' > f.csv
	run -3 --separate-stderr kennel owner import f.csv
	assert_equal "${stderr_lines[0]}" "kennel: f.csv: line 2: username 'Ann@Example.com' is taken by owner 1 ('ann@example.com')"
}

@test "export then import --update on another database reproduces the owners" {
	init_db
	run -3 kennel -q owner import "$SAMPLE/owners.csv"
	kennel owner edit 5 --email-opt-out >/dev/null
	kennel owner deactivate 6
	kennel owner export > all.csv
	KENNEL_DB=other.db kennel init -q
	KENNEL_DB=other.db run -0 --separate-stderr kennel owner import all.csv --update --json
	assert_equal "$(echo "$output" | jq .created)" "294"
	cols="external_id, first_name, last_name, email, phone, address, city, state, zip, username, email_opt_out, active"
	assert_equal "$(sqlite3 other.db "SELECT $cols FROM owners ORDER BY id")" "$(sql "SELECT $cols FROM owners ORDER BY id")"
}

@test "owner export --json is the array of every owner" {
	init_db
	kennel owner add --first Ann --last Lee >/dev/null
	kennel owner deactivate 1
	run -0 kennel owner export --json
	assert_equal "$(echo "$output" | jq -c '[.[] | [.first_name, .active]]')" '[["Ann",false]]'
}

@test "a failed import leaves the database as it was (one transaction)" {
	init_db
	printf 'external_id,first_name,last_name\nC1,Ann,Lee\n' > f.csv
	# a trigger that fails on the second owner stands in for a crash
	sql "CREATE TRIGGER boom BEFORE INSERT ON owners WHEN NEW.external_id = 'C3' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;"
	printf 'external_id,first_name,last_name\nC2,Bo,Kim\nC3,Cy,Lee\n' > g.csv
	run -1 --separate-stderr kennel owner import g.csv
	assert_equal "$stderr" "kennel: adding owner: disk on fire"
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "0"
}

@test "100,000 rows import in one run with constant memory" {
	init_db
	/usr/bin/python3 "$ROOT/tests/bench/gen_owners.py" 100000 > big.csv
	run -0 --separate-stderr /usr/bin/time -f '%M' "$KENNEL" owner import big.csv
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "100000"
	rss_kb=$(echo "$stderr" | tail -1)
	# sanitizers add their own shadow memory: the bound is for the real build
	[ -n "${KENNEL_SANITIZED:-}" ] || [ "$rss_kb" -lt 65536 ]
}

@test "an import logs once for the batch, and the owner's log finds it" {
	init_db
	printf 'external_id,first_name,last_name\nC1,Ann,Lee\nC2,Bo,Kim\nC3,Cy,Lee\n' > f.csv
	kennel -q owner import f.csv
	assert_equal "$(sql "SELECT count(*) FROM audit WHERE entity = 'owner'")" "1"
	run -0 kennel log --owner ext:C2 --json
	assert_equal "$(echo "$output" | jq -r '.[].summary')" \
		"import of f.csv: 3 rows, 3 created, 0 updated, 0 unchanged, 0 rejected (owners 1-3)"
}

@test "into an empty table: duplicates in the file are still found while the indexes wait" {
	init_db
	printf 'first_name,last_name,email,username\nAnn,Lee,ann@example.com,\nANN,lee,Ann@Example.com,\nBo,Kim,,\nbo,KIM,,\nCy,Doe,cy@example.com,CyD\nDi,Ng,di@example.com,cyd\n' > f.csv
	run -3 --separate-stderr kennel owner import f.csv
	assert_equal "${stderr_lines[0]}" "kennel: f.csv: line 3: the same owner appears earlier in this file"
	assert_equal "${stderr_lines[1]}" "kennel: f.csv: line 5: the same owner appears earlier in this file"
	[[ "${stderr_lines[2]}" == "kennel: f.csv: line 7: "* ]]
	assert_equal "$(sql 'SELECT count(*) FROM owners')" "3"
	# the indexes the load put off are there again, as migration 1 made them
	assert_equal "$(sql "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'owners' AND sql IS NOT NULL ORDER BY name)")" \
		"owners_email,owners_name,owners_username_nocase"
	run -0 kennel db check
}

@test "owners are matched by email and names ignoring case and accents" {
	init_db
	printf 'first_name,last_name,email\nJosé,Pérez,jp@example.com\nZoë,Müller,zm@example.com\n' > f.csv
	kennel -q owner import f.csv
	printf 'first_name,last_name,email\nJOSE,Perez,JP@example.com\nzoe,MULLER,zm@example.com\nJosefa,Perez,jp@example.com\n' > g.csv
	run -0 --separate-stderr kennel owner import g.csv --json
	assert_equal "$(echo "$output" | jq -c '[.created, .unchanged]')" "[1,2]"
	# and in one file loaded into an empty table
	sql 'DELETE FROM owners'
	cat f.csv > h.csv && tail -n +2 g.csv >> h.csv
	run -3 --separate-stderr kennel owner import h.csv --json
	assert_equal "$(echo "$output" | jq -c '[.created, .rejected]')" "[3,2]"
}
