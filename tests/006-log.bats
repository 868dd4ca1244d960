#!/usr/bin/env bats
# kennel log: the audit log.
load test_helper

@test "log lists changes with when, actor, command, entity and summary" {
	init_db
	KENNEL_NOW=2026-11-20T08:30:00 kennel owner add --first Ann --last Lee >/dev/null
	KENNEL_ACTOR=maria kennel prefs set portal.daycare off
	run -0 kennel log --json
	assert_equal "$(echo "$output" | jq -c '.[4:] | map([.at, .actor, .command, .entity, .summary])')" \
		'[["2026-11-20T08:30:00","tester","owner add","owner","added Ann Lee"],["2026-11-23T09:00:00","maria","prefs set","pref","portal.daycare = off"]]'
}

@test "log --since and --limit and --owner filter" {
	init_db
	KENNEL_NOW=2026-11-01T10:00:00 kennel owner add --first Ann --last Lee >/dev/null
	KENNEL_NOW=2026-11-22T10:00:00 kennel owner add --first Bo --last Kim >/dev/null
	run -0 kennel log --since 11/22/2026 --json
	assert_equal "$(echo "$output" | jq -r '.[] | select(.entity == "owner") | .summary')" "added Bo Kim"
	run -0 kennel log --owner 1 --json
	assert_equal "$(echo "$output" | jq -r '.[].summary')" "added Ann Lee"
	run -0 kennel log --limit 1 --json
	assert_equal "$(echo "$output" | jq length)" "1"
	run -2 --separate-stderr kennel log --since lately
	assert_equal "${stderr_lines[0]}" "kennel: invalid date 'lately' (use YYYY-MM-DD, MM/DD/YYYY, today, tomorrow, yesterday, +N or -N) for --since"
}
