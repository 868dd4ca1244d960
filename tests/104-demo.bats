#!/usr/bin/env bats
# make demo (share/kennel/demo.sh): the setup guide's test drive, whole.

load test_helper
load portal_helper

@test "make demo: one link, and behind it a demo owner with something on every page" {
	run -0 --separate-stderr sh "$ROOT/share/kennel/demo.sh" "$KENNEL" "$BATS_TEST_TMPDIR"
	# one link to follow, at the end, and no stray output from quiet steps
	assert_equal "$(grep -c 'token=' <<< "$output")" 1
	link=${lines[-1]}
	[[ "$link" =~ ^\ \ http://127\.0\.0\.1:8080/reset\?token=[A-Za-z0-9_-]+$ ]]
	refute_output --regexp '^[0-9]+$'
	export KENNEL_DB="$BATS_TEST_TMPDIR/kennel.db"
	# the business: message, instructions, capacity, a closed period, a price list
	assert_equal "$(sql 'SELECT message IS NOT NULL AND address IS NOT NULL AND hours IS NOT NULL FROM company')" 1
	assert_equal "$(sql 'SELECT count(*) FROM instructions')" 4
	assert_equal "$(sql "SELECT group_concat(service) FROM (SELECT service FROM capacity ORDER BY service)")" "boarding,daycare"
	assert_equal "$(sql 'SELECT count(*) FROM blocks')" 1
	assert_equal "$(sql "SELECT count(*) FROM products WHERE name <> 'Carry Over Package'")" 6
	# the demo owner: two pets (one vaccination expiring), a package with days
	# left, an approved and a pending request, a note she is shown
	owner=$(sql "SELECT id FROM owners WHERE username = 'dana'")
	assert_equal "$(sql "SELECT count(*) FROM pets WHERE owner_id = $owner")" 2
	run -0 kennel report vaccinations --expiring 30 --json
	assert_equal "$(echo "$output" | jq -r "map(select(.owner_id == $owner)) | map(.pet + \" \" + .type) | join(\",\")")" "Pepper bordetella"
	assert_equal "$(sql "SELECT number_left FROM packages WHERE owner_id = $owner")" 9
	assert_equal "$(sql "SELECT group_concat(status) FROM (SELECT status FROM requests WHERE owner_id = $owner ORDER BY status)")" "approved,pending"
	assert_equal "$(sql "SELECT count(*) FROM owner_notes WHERE owner_id = $owner AND show_to_owner")" 1
	# the link sets her password; her home shows what she has
	start_portal
	token=${link#*token=}
	csrf=$(csrf_of "/reset?token=$token")
	run post /reset jar "csrf=$csrf" "token=$token" "password=a demo password 1" "confirm=a demo password 1"
	assert_output 303
	assert_equal "$(login dana 'a demo password 1')" 303
	run -0 get /
	assert_output --partial 'Welcome, Dana.'
	assert_output --regexp 'boarding for Biscuit, Pepper: .* at 8:00 AM to .*'
	assert_output --partial 'Biscuit loved the splash pool today!'
	assert_output --partial 'Hours: Mon-Fri 7am-7pm, Sat-Sun 8am-5pm'
	run -0 get /packages
	assert_output --partial '10 Day Daycare Pack'
	run -0 get /requests
	assert_output --partial 'Waiting for approval'
	run -0 get /billing
	assert_output --partial '<strong>Balance due: $15.00</strong>'
	assert_output --partial 'Pay at the front desk by card or cash'
}
