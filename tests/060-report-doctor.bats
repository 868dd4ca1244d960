#!/usr/bin/env bats
# kennel report vaccinations|advisory and kennel doctor.
load test_helper

clinic() {
	init_db
	kennel owner add --first Ann --last Lee --email ann@example.com >/dev/null
	kennel pet add 1 --name Rex --advisory "Bites when touched on the tail" >/dev/null
	kennel vax add 1 rabies --expires 2026-12-01 >/dev/null
	# an import keeps the history: an older rabies row beside the current one
	printf 'owner_email,pet_name,type,expires_on\nann@example.com,Rex,rabies,2025-12-01\n' |
		kennel -q vax import -
	kennel vax add 1 distemper --expires 2026-01-01 >/dev/null
}

@test "report vaccinations: the latest of each required type per pet, in the preference's order" {
	clinic
	run -0 kennel report vaccinations --json
	assert_equal "$(echo "$output" | jq -c 'map([.pet, .type, .expires_on, .status])')" \
		'[["Rex","rabies","2026-12-01","expiring"],["Rex","distemper","2026-01-01","expired"],["Rex","bordetella",null,"missing"]]'
	assert_equal "$(kennel report vaccinations --expired --json | jq -c 'map(.type)')" '["distemper","bordetella"]'
	assert_equal "$(kennel report vaccinations --expiring 14 --json | jq -c 'map(.type)')" '["rabies"]'
	kennel prefs set vaccines.required rabies
	assert_equal "$(kennel report vaccinations --json | jq length)" "1"
}

@test "report advisory lists pets with an advisory" {
	clinic
	run -0 kennel report advisory --json
	assert_equal "$(echo "$output" | jq -c 'map([.pet, .owner, .advisory])')" '[["Rex","Ann Lee","Bites when touched on the tail"]]'
}

@test "report advisory --match keeps the pets whose advisory holds the text, any case; with a call list" {
	clinic
	kennel -q owner edit 1 --phone 555-0101
	kennel pet add 1 --name Kit --advisory "AGGRESSIVE with other males" >/dev/null
	kennel pet add 1 --name Pip --advisory "Diabetic: insulin at noon" >/dev/null
	run -0 kennel report advisory --match aggressive --json
	assert_equal "$(echo "$output" | jq -c 'map([.pet, .phone, .email])')" '[["Kit","555-0101","ann@example.com"]]'
	run -0 kennel report advisory --match "at noon"
	assert_line --index 0 --regexp '^PET ID +PET +OWNER +PHONE +ADVISORY$'
	assert_line --index 1 --regexp '^3 +Pip +Ann Lee +555-0101 +Diabetic: insulin at noon$'
	assert_equal "${#lines[@]}" "2"
	run -0 kennel report advisory --match "muzzle" --json
	assert_output "[]"
}

@test "doctor reports each finding with its records; errors make exit 1" {
	clinic
	kennel owner add --first Bo --last Lee --email ANN@example.com >/dev/null
	kennel owner add --first Cy --last Doe --username cy >/dev/null
	kennel owner add --first Di --last Doe --email di@example.com >/dev/null
	sql "UPDATE owners SET username = 'CY' WHERE id = 4; UPDATE owners SET email = 'di@example' WHERE id = 4"
	run -1 --separate-stderr kennel doctor --json
	assert_equal "$(echo "$output" | jq -c '[.[] | select(.severity == "error") | [.check, .id]]')" \
		'[["invalid-email",4],["case-variant-usernames",3],["case-variant-usernames",4]]'
	assert_equal "$(echo "$output" | jq -c '[.[] | select(.check == "shared-email") | .id]')" '[1,2]'
	assert_equal "$(echo "$output" | jq -c '[.[] | select(.check == "missing-vaccination") | .detail]')" '["Rex: no bordetella"]'
	assert_equal "$stderr" "3 finding(s) are errors"
}

@test "doctor on healthy data exits 0" {
	init_db
	kennel owner add --first Ann --last Lee --email ann@example.com --username ann@example.com >/dev/null
	run -0 kennel doctor --json
	assert_equal "$output" "[]"
}
