#!/usr/bin/env bats
# valgrind over a command of each group: no error, no leak.
load test_helper

@test "valgrind finds no error and no leak in a full run of each command group" {
	[ -z "${KENNEL_SANITIZED:-}" ] || skip "valgrind cannot run a sanitized build"
	command -v valgrind >/dev/null || skip "valgrind is not installed"
	vg() {
		valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
			--errors-for-leak-kinds=definite,indirect --error-exitcode=99 "$KENNEL" -q "$@"
	}
	vg init --company "Happy Tails" --email f@ht.example
	vg company set --reset-url 'https://x.example/r/{token}' --portal-url https://x.example/p --phone 555-0100 >/dev/null
	vg owner import "$SAMPLE/owners.csv" --rejects r.csv 2>/dev/null || [ $? -eq 3 ]
	vg pet import "$SAMPLE/pets.csv" 2>/dev/null || [ $? -eq 3 ]
	vg vax import "$SAMPLE/vaccinations.csv" 2>/dev/null || [ $? -eq 3 ]
	vg package carryover "$SAMPLE/packages.csv" 2>/dev/null || [ $? -eq 3 ]
	vg owner show 1 --json >/dev/null
	vg owner export >/dev/null
	vg report vaccinations --csv >/dev/null
	vg doctor --json >/dev/null
	vg creds bulk-generate
	vg blast email --template portal-launch --to with-username --with-reset-links
	vg remind all
	vg mail list --json >/dev/null
	vg db check >/dev/null
	vg log --limit 5 >/dev/null
	assert_equal "$(ls kennel-mail | wc -l)" "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")"
}
