#!/usr/bin/env bats
# kennel area: the play areas of the desk, their capacity, names and removal.
load test_helper
load desk_helper

@test "areas: add, list, rename, full and unknown areas refused, rm refused while in use, move" {
	day
	run -0 kennel area add "Big yrad" --capacity 1
	kennel -q area add "Small yard" --capacity 5 --service daycare
	run -0 kennel area rename "Big yrad" "Big yard"
	run -1 --separate-stderr kennel desk in Rex --area Nowhere
	assert_equal "$stderr" "kennel: area 'Nowhere' not found (kennel area list shows them)"
	run -1 --separate-stderr kennel desk in Rex Mia --area "Big yard"
	assert_equal "$stderr" "kennel: area 'Big yard' is full (1 of 1); --force puts the pet in it anyway"
	assert_equal "$(sql 'SELECT count(*) FROM visits')" "0"
	kennel -q desk in Rex --area "Big yard"
	run -1 --separate-stderr kennel area rm "Big yard"
	assert_equal "$stderr" "kennel: area 'Big yard' has 1 pet signed in: move it first (kennel desk move PET --area AREA)"
	run -0 kennel desk move Rex --area "Small yard" --json
	assert_equal "$(echo "$output" | jq -r '.[0].area')" "Small yard"
	run -0 kennel area list --json
	assert_equal "$(echo "$output" | jq -c 'map([.name, .capacity, .in])')" '[["Big yard",1,0],["Small yard",5,1]]'
	run -0 kennel area rm "Big yard"
	run -0 kennel log
	assert_output --partial "Rex moved to Small yard"
}

@test "area add refuses a name taken (any case), an empty name, an unknown service" {
	init_db
	kennel -q area add "Big yard" --capacity 3
	run -1 --separate-stderr kennel area add "big YARD"
	assert_equal "$stderr" "kennel: area 'big YARD' exists already"
	run -2 --separate-stderr kennel area add ""
	assert_equal "$stderr" "kennel: an area needs a NAME"
	run -2 --separate-stderr kennel area add Pool --service spa
	assert_equal "${stderr_lines[0]}" "kennel: invalid value 'spa' for --service (choose boarding|daycare|grooming|training|service)"
	assert_equal "$(sql 'SELECT count(*) FROM areas')" "1"
}

@test "area rename onto a name taken, or of an unknown area, is refused; a removed area leaves past visits" {
	day
	kennel -q area add "Big yard"
	kennel -q area add "Small yard"
	run -1 --separate-stderr kennel area rename "Big yard" "small yard"
	assert_equal "$stderr" "kennel: area 'small yard' exists already"
	run -1 --separate-stderr kennel area rename Pool Lake
	assert_equal "$stderr" "kennel: area 'Pool' not found (kennel area list shows them)"
	kennel -q desk in Rex --area "Big yard"
	kennel -q desk out Rex
	run -0 kennel area rm "Big yard"
	assert_equal "$(sql 'SELECT state, area_id IS NULL FROM visits')" "out|1"
	run -0 kennel log
	assert_output --partial "removed Big yard"
}

@test "an area without a capacity takes any number of pets" {
	day
	kennel -q area add Field
	run -0 kennel desk in Rex Mia Tom --area Field --json
	assert_equal "$(echo "$output" | jq -c 'map(.area)')" '["Field","Field","Field"]'
	run -0 kennel area list --json
	assert_equal "$(echo "$output" | jq -c '.[0] | [.capacity, .in]')" '[null,3]'
}
