#!/usr/bin/env bats
# kennel product: add, list, edit, show-to-owner, addons.
load test_helper

@test "product add and list, prices as money" {
	init_db
	run -0 kennel product add --name "Full Day Daycare" --type daycare --price '$32.50' --json
	assert_equal "$(echo "$output" | jq -c '[.name, .type, .price_cents, .show_to_owner]')" '["Full Day Daycare","daycare",3250,false]'
	kennel product add --name "10 Day Pack" --type daycare-package --price 1,250.00 --days 10 --days-active 180 >/dev/null
	run -0 kennel product list --type daycare-package --csv
	assert_line --index 1 --partial "10 Day Pack,daycare-package,1250.00,,10,180"
}

@test "product add refuses a bad type, a bad price, a package without days" {
	init_db
	run -2 --separate-stderr kennel product add --name X --type kennel --price 1
	assert_equal "${stderr_lines[0]}" "kennel: invalid value 'kennel' for --type (choose boarding|daycare|grooming|training|service|daycare-package|boarding-package|other-package|retail|fee)"
	run -1 --separate-stderr kennel product add --name X --type retail --price 1.999
	assert_equal "$stderr" "kennel: invalid amount '1.999' (use 12.50)"
	run -1 --separate-stderr kennel product add --name X --type boarding-package --price 10
	assert_equal "$stderr" "kennel: a package needs --days and --days-active above 0"
}

@test "show-to-owner marks every product whose name matches, in bulk" {
	init_db
	kennel product add --name "Bath - Small Dog" --type grooming --price 30 >/dev/null
	kennel product add --name "Bath - Large Dog" --type grooming --price 45 >/dev/null
	kennel product add --name "Nail Trim" --type grooming --price 15 >/dev/null
	run -0 --separate-stderr kennel product show-to-owner 'bath' --on
	assert_equal "$stderr" "2 products shown to owners"
	assert_equal "$(kennel product list --shown --json | jq -c 'map(.name)')" '["Bath - Small Dog","Bath - Large Dog"]'
	kennel product show-to-owner '*large*' --off 2>/dev/null
	assert_equal "$(kennel product list --shown --json | jq -c 'map(.name)')" '["Bath - Small Dog"]'
}

@test "addons are shown products of any type but boarding and daycare" {
	init_db
	kennel product add --name "Suite" --type boarding --price 60 --show-to-owner >/dev/null
	kennel product add --name "Daycare" --type daycare --price 30 --show-to-owner >/dev/null
	kennel product add --name "Bath" --type grooming --price 30 --show-to-owner >/dev/null
	kennel product add --name "Bully Stick" --type retail --price 5 --show-to-owner >/dev/null
	kennel product add --name "Hidden Toy" --type retail --price 5 >/dev/null
	run -0 kennel product addons --json
	assert_equal "$(echo "$output" | jq -c 'map(.name)')" '["Bath","Bully Stick"]'
}

@test "product edit changes price and name by name" {
	init_db
	kennel product add --name "Bath" --type grooming --price 30 >/dev/null
	run -0 kennel product edit bath --price 35 --name "Bath Deluxe" --json
	assert_equal "$(echo "$output" | jq -c '[.name, .price_cents]')" '["Bath Deluxe",3500]'
}
