#!/usr/bin/env bats
# kennel vax: add, list with status, import.
load test_helper

with_pet() {
	init_db
	kennel owner add --first Ann --last Lee --email ann@example.com --external-id C1 >/dev/null
	kennel pet add 1 --name Rex --external-id P1 >/dev/null
}

@test "vax add records a vaccination; status follows KENNEL_TODAY and remind.vaccination_days" {
	with_pet
	kennel vax add 1/Rex Rabies --expires 2026-12-10 >/dev/null
	kennel vax add ext:P1 distemper --expires 11/01/2026 >/dev/null
	kennel vax add 1 bordetella --expires 2027-11-01 >/dev/null
	run -0 kennel vax list --json
	assert_equal "$(echo "$output" | jq -c 'map([.type, .expires_on, .status])')" \
		'[["distemper","2026-11-01","expired"],["rabies","2026-12-10","expiring"],["bordetella","2027-11-01","current"]]'
	kennel prefs set remind.vaccination_days 10
	assert_equal "$(kennel vax list --pet 1 --json | jq -r '.[] | select(.type == "rabies") | .status')" "current"
	KENNEL_TODAY=2026-12-11 run -0 kennel vax list --json
	assert_equal "$(echo "$output" | jq -r '.[] | select(.type == "rabies") | .status')" "expired"
}

@test "vax list --expired and --expiring DAYS filter" {
	with_pet
	kennel vax add 1 rabies --expires 2026-12-10 >/dev/null
	kennel vax add 1 distemper --expires 2026-11-01 >/dev/null
	assert_equal "$(kennel vax list --expired --json | jq -r '.[].type')" "distemper"
	assert_equal "$(kennel vax list --expiring 30 --json | jq -r '.[].type')" "rabies"
	assert_equal "$(kennel vax list --expiring 5 --json)" "[]"
}

@test "the same vaccination twice is refused" {
	with_pet
	kennel vax add 1 rabies --expires 2026-12-10 >/dev/null
	run -1 --separate-stderr kennel vax add 1 Rabies --expires 12/10/2026
	assert_equal "$stderr" "kennel: pet 1 already has rabies expiring 2026-12-10"
}

@test "vax add of a type the pet has renews it; the old date stays in the audit log" {
	with_pet
	kennel vax add 1 rabies --expires 2026-12-10 >/dev/null
	run -0 --separate-stderr kennel vax add 1 Rabies --expires 2027-12-10 --json
	assert_equal "$(echo "$output" | jq -c '[.[] | [.type, .expires_on]]')" '[["rabies","2027-12-10"]]'
	assert_equal "$(sql "SELECT group_concat(expires_on) FROM vaccinations WHERE pet_id = 1")" "2027-12-10"
	assert_equal "$(kennel log --limit 1 --json | jq -r '.[0].summary')" "vaccination rabies renewed: expires 2027-12-10 (was 2026-12-10)"
	# the reminder no longer counts the old certificate
	assert_equal "$(kennel vax list --expiring 30 --json)" "[]"
}

@test "vax import: the sample file; unknown pets are rejected; a re-run adds nothing" {
	init_db
	run -3 kennel -q owner import "$SAMPLE/owners.csv"
	run -3 kennel -q pet import "$SAMPLE/pets.csv"
	run -3 --separate-stderr kennel vax import "$SAMPLE/vaccinations.csv" --json
	assert_equal "$(echo "$output" | jq -c '[.rows, .created, .rejected]')" "[1048,1015,33]"
	assert_equal "${stderr_lines[0]}" "kennel: $SAMPLE/vaccinations.csv: line 18: no pet with external id 'P000007'"
	run -3 --separate-stderr kennel vax import "$SAMPLE/vaccinations.csv" --json
	assert_equal "$(echo "$output" | jq -c '[.created, .unchanged]')" "[0,1015]"
}

@test "vax import by owner and pet name, with legacy headers" {
	with_pet
	printf 'Customer ID,Pet Name,Vaccination,Exp Date\nC1,rex,Rabies,02/02/2027\nC1,Fido,Rabies,02/02/2027\n' > v.csv
	run -3 --separate-stderr kennel vax import v.csv
	assert_equal "${stderr_lines[0]}" "kennel: v.csv: line 3: owner 1 has no pet named 'Fido'"
	assert_equal "$(sql 'SELECT type, expires_on FROM vaccinations')" "rabies|2027-02-02"
}

@test "vax import without a way to find the pet is an error before any row" {
	with_pet
	printf 'type,expires\nrabies,2027-01-01\n' > v.csv
	run -1 --separate-stderr kennel vax import v.csv
	assert_equal "$stderr" "kennel: v.csv: missing the pet: give pet_external_id, or owner_external_id or owner_email with pet_name"
}

@test "vax import into an empty table: the expiry index is built after the load, and a dry run keeps it" {
	with_pet
	kennel pet add 1 --name Bo --external-id P2 >/dev/null
	printf 'pet_external_id,type,expires\nP1,Rabies,2027-03-01\nP1,distemper,2026-12-01\nP2,rabies,2027-01-15\nP1,bordetella,2027-02-01\nP9,rabies,2027-01-01\nP2,Rabies,01/15/2027\n' > v.csv
	index="CREATE INDEX vaccinations_expiry ON vaccinations (expires_on)"
	run -3 --separate-stderr kennel -n vax import v.csv --json
	assert_equal "$(sql 'SELECT count(*) FROM vaccinations')" "0"
	assert_equal "$(sql "SELECT sql FROM sqlite_master WHERE name = 'vaccinations_expiry'")" "$index"
	run -3 --separate-stderr kennel vax import v.csv --json
	assert_equal "$(echo "$output" | jq -c '[.rows, .created, .unchanged, .rejected]')" "[6,4,1,1]"
	assert_equal "${stderr_lines[0]}" "kennel: v.csv: line 6: no pet with external id 'P9'"
	# the pet found for a run of rows is the right one when the rows come apart
	assert_equal "$(sql 'SELECT group_concat(pet_id || type || expires_on, " ") FROM (SELECT * FROM vaccinations ORDER BY pet_id, type)')" \
		"1bordetella2027-02-01 1distemper2026-12-01 1rabies2027-03-01 2rabies2027-01-15"
	assert_equal "$(sql "SELECT sql FROM sqlite_master WHERE name = 'vaccinations_expiry'")" "$index"
	assert_equal "$(kennel vax list --expiring 30 --json | jq -r '.[].type')" "distemper"
	run -0 kennel db check
	# into a table that has rows, the index stays where it is
	printf 'pet_external_id,type,expires\nP2,distemper,2027-06-01\n' > w.csv
	run -0 kennel vax import w.csv
	assert_equal "$(sql "SELECT count(*) FROM vaccinations INDEXED BY vaccinations_expiry WHERE expires_on > '2027-05-01'")" "1"
}
