#!/usr/bin/env bats
# kennel pet: add, list, show, edit, rm, temperament, import.
load test_helper

two_owners() {
	init_db
	kennel owner add --first Ann --last Lee --email ann@example.com --external-id C1 >/dev/null
	kennel owner add --first Bo --last Kim --email bo@example.com --external-id C2 >/dev/null
}

@test "pet add takes US and ISO birthdays and prints the pet" {
	two_owners
	run -0 kennel pet add ann@example.com --name Rex --breed Beagle --birthday 02/02/2015 --advisory "Bites" --json
	assert_equal "$(echo "$output" | jq -c '[.id, .owner_id, .name, .species, .birthday, .advisory, .temperament]')" \
		'[1,1,"Rex","dog","2015-02-02","Bites","pending"]'
	run -2 --separate-stderr kennel pet add 1 --name Max --birthday 02/30/2015
	assert_equal "${stderr_lines[0]}" "kennel: impossible date '02/30/2015' for --birthday"
}

@test "PET resolves by id, ext:ID and OWNER/NAME" {
	two_owners
	kennel pet add 1 --name Rex --external-id P1 >/dev/null
	assert_equal "$(kennel pet show 1 --json | jq -r .name)" "Rex"
	assert_equal "$(kennel pet show ext:P1 --json | jq -r .name)" "Rex"
	assert_equal "$(kennel pet show ann@example.com/rex --json | jq -r .name)" "Rex"
	run -1 --separate-stderr kennel pet show ann@example.com/Fido
	assert_equal "$stderr" "kennel: pet 'ann@example.com/Fido' not found"
}

@test "two pets of one name are ambiguous by OWNER/NAME" {
	two_owners
	kennel pet add 1 --name Rex >/dev/null
	kennel pet add 1 --name rex >/dev/null
	run -1 --separate-stderr kennel pet show 1/Rex
	assert_equal "$stderr" "kennel: pet '1/Rex' is ambiguous: 2 pets have that name (use an id)"
}

@test "pet list, edit, rm" {
	two_owners
	kennel pet add 1 --name Rex >/dev/null
	kennel pet add 2 --name Max >/dev/null
	run -0 kennel pet list --owner 2 --json
	assert_equal "$(echo "$output" | jq -r '.[].name')" "Max"
	run -0 kennel pet edit 1/Rex --weight 30 --notes '' --json
	assert_equal "$(echo "$output" | jq -r .weight)" "30"
	run -0 --separate-stderr kennel pet rm 2/Max
	assert_equal "$(sql 'SELECT count(*) FROM pets')" "1"
}

@test "pet temperament records the result and date" {
	two_owners
	kennel pet add 1 --name Rex >/dev/null
	run -0 kennel pet temperament 1 pass --date 11/20/2026 --json
	assert_equal "$(echo "$output" | jq -c '[.temperament, .temperament_date]')" '["pass","2026-11-20"]'
	run -2 --separate-stderr kennel pet temperament 1 great
	assert_equal "$stderr" "kennel: invalid temperament 'great' (choose pass, fail, pending)"
}

@test "pet import: the sample file, with unknown owners, impossible dates and a repeated name rejected" {
	init_db
	run -3 kennel -q owner import "$SAMPLE/owners.csv"
	run -3 --separate-stderr kennel pet import "$SAMPLE/pets.csv" --rejects r.csv --json
	assert_equal "$(echo "$output" | jq -c '[.rows, .created, .rejected]')" "[370,358,12]"
	assert_equal "${stderr_lines[0]}" "kennel: $SAMPLE/pets.csv: line 8: owner 'ext:C999999' not found"
	assert_equal "${stderr_lines[1]}" "kennel: $SAMPLE/pets.csv: line 12: impossible date '02/30/2019'"
	assert_equal "${stderr_lines[2]}" "kennel: $SAMPLE/pets.csv: line 26: pet 'Dup' of owner 20 appears earlier in this file"
	assert_equal "$(sql "SELECT birthday FROM pets WHERE external_id = 'P000001'")" "2017-06-29"
	# again: nothing twice
	run -3 --separate-stderr kennel pet import "$SAMPLE/pets.csv" --json
	assert_equal "$(echo "$output" | jq -c '[.created, .unchanged, .rejected]')" "[0,359,11]"
}

@test "pet import locates owners by email and matches pets by owner and name" {
	two_owners
	printf 'owner_email,name,breed\nann@example.com,Rex,Beagle\nbo@example.com,Max,Boxer\n' > p.csv
	kennel -q pet import p.csv
	printf 'owner_email,name,breed\nANN@example.com,rex,Poodle\n' > q.csv
	run -0 --separate-stderr kennel pet import q.csv --update --json
	assert_equal "$(echo "$output" | jq -c '[.created, .updated]')" "[0,1]"
	assert_equal "$(sql "SELECT name || ' ' || breed FROM pets WHERE id = 1")" "rex Poodle"
}

@test "pet import without an owner column is an error before any row" {
	two_owners
	printf 'name\nRex\n' > p.csv
	run -1 --separate-stderr kennel pet import p.csv
	assert_equal "$stderr" "kennel: p.csv: missing an owner column (owner_external_id, owner_email or owner_id)"
}

@test "pet fields refuse what is not a pet's: weight -5, 1e308 or nan, a birthday to come, a name of direction marks" {
	init_db
	kennel -q owner add --first Ann --last Lee --email ann@example.com
	for w in -5 1e308 nan 0 '12 stone'; do
		run -1 --separate-stderr kennel pet add 1 --name Rex --weight "$w"
		assert_equal "$stderr" "kennel: weight '$w': expected a number above 0 and at most 1000, with a unit if you like (30, 4.5kg, 12 lb)"
	done
	run -1 --separate-stderr kennel pet add 1 --name Rex --birthday 2099-01-01
	assert_equal "$stderr" "kennel: birthday '2099-01-01' is in the future"
	run -1 --separate-stderr kennel pet add 1 --name $'\u202e'
	assert_equal "$stderr" "kennel: name has no visible character (only spaces, direction marks or zero-width characters)"
	assert_equal "$(sql 'SELECT count(*) FROM pets')" 0
	run -0 kennel -q pet add 1 --name Rex --weight '4.5 kg' --birthday 2020-02-03
	run -0 kennel -q pet add 1 --name $'\u05e8\u05e7\u05e1\u200f'
	assert_equal "$(sql 'SELECT count(*) FROM pets')" 2
	# an import names the line and goes on
	printf 'owner_id,name,weight,birthday\n1,Max,-5,\n1,Bea,,2099-01-01\n1,Cy,30,2021-01-01\n' > pets.csv
	run -3 --separate-stderr kennel pet import pets.csv
	assert_equal "$(sql "SELECT group_concat(name) FROM pets WHERE name IN ('Max', 'Bea', 'Cy')")" "Cy"
	assert_equal "${stderr_lines[0]}" "kennel: pets.csv: line 2: weight '-5': expected a number above 0 and at most 1000, with a unit if you like (30, 4.5kg, 12 lb)"
	assert_equal "${stderr_lines[1]}" "kennel: pets.csv: line 3: birthday '2099-01-01' is in the future"
	assert_equal "${stderr_lines[2]}" "3 rows: 1 created, 0 updated, 0 unchanged, 2 rejected"
}
