#!/usr/bin/env bats
# The command line as a whole: help, version, usage errors, exit codes.
load test_helper

@test "kennel alone prints the command list and exits 0" {
	run -0 kennel
	assert_line --partial "owner"
	assert_line --partial "usage: kennel"
}

@test "kennel version and --version print the version" {
	run -0 kennel version
	assert_output --regexp '^kennel [0-9]+\.[0-9]+\.[0-9]+$'
	run -0 kennel --version
	assert_output --regexp '^kennel [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "an unknown command is a usage error naming the nearest command" {
	run -2 --separate-stderr kennel ownr list
	assert_equal "$stderr" "kennel: 'ownr' is not a kennel command (did you mean 'owner'?)"
	assert_output ""
}

@test "an unknown verb is a usage error with the group's usage on stderr" {
	init_db
	run -2 --separate-stderr kennel owner lst
	assert_equal "${stderr_lines[0]}" "kennel: unknown owner command 'lst' (did you mean 'list'?)"
	assert_equal "${stderr_lines[1]}" "usage: kennel owner COMMAND [ARGS]"
	[[ "$stderr" == *"  list           List active owners"* ]]
}

@test "an unknown option is a usage error, exit 2" {
	init_db
	run -2 --separate-stderr kennel owner list --colour
	assert_equal "${stderr_lines[0]}" "kennel: unknown option '--colour'"
}

@test "an option missing its value is a usage error" {
	init_db
	run -2 --separate-stderr kennel owner list --limit
	assert_equal "${stderr_lines[0]}" "kennel: option '--limit' needs a value (N)"
	run -2 --separate-stderr kennel owner list --limit ten
	assert_equal "${stderr_lines[0]}" "kennel: invalid number 'ten' for --limit"
}

@test "--help on every verb prints usage on stdout and exits 0" {
	for group in init db company prefs owner pet vax product order package request capacity block report doctor creds mail blast remind log serve portal; do
		run -0 kennel "$group" --help
		assert_output --partial "usage: kennel $group"
	done
	for verb in add list show edit deactivate rm import export; do
		run -0 --separate-stderr kennel owner "$verb" --help
		assert_output --partial "usage: kennel owner $verb"
		assert_equal "$stderr" ""
	done
}

@test "kennel help GROUP lists each verb with what it does; help GROUP VERB its options" {
	KENNEL_NO_MAN=1 run -0 kennel help request
	assert_line "usage: kennel request COMMAND [ARGS]"
	assert_line "  decline        Decline with a reason; --waitlist keeps it for a freed spot instead."
	assert_line "'kennel help request COMMAND' shows a command's options."
	KENNEL_NO_MAN=1 run -0 kennel help owner
	assert_line --regexp '^  note add +Add a note to an owner.s record\.$'
	run -0 kennel help request decline
	assert_output "$(printf '%s\n' "usage: kennel request decline REQ... --reason TEXT [--waitlist] [--notify]" "" \
		"Decline with a reason; --waitlist keeps it for a freed spot instead." "" \
		"  --notify                 mail each owner the decision" \
		"  --reason TEXT            the reason the owner is told (required)" \
		"  --waitlist               keep it waitlisted for a freed spot instead of declining it" "" \
		"Every command also takes --db PATH, --json, --csv, -q, -v, -n and -h (see 'kennel help').")"
	# the same as the verb's own --help
	assert_equal "$output" "$(kennel request decline --help)"
	run -0 kennel help owner note add
	assert_line "  --show-to-owner          show the note to the owner on the portal"
	init_db
	run -2 --separate-stderr kennel request decline 1
	assert_equal "$stderr" "kennel: a reason is required: the owner is told it (--reason TEXT)"
}

@test "every option of every verb says what it means" {
	for g in $(KENNEL_NO_MAN=1 kennel help | awk '/^  [a-z]/ && $1 != "help" && $1 != "version" {print $1}'); do
		KENNEL_NO_MAN=1 run -0 kennel help "$g"
		verbs=$(printf '%s\n' "$output" | awk '/^  [a-z]/ {sub(/^  /, ""); sub(/  .*/, ""); print}' | tr ' ' +)
		[ -n "$verbs" ] || verbs=-
		for v in $verbs; do
			[ "$v" = - ] && set -- || set -- ${v//+/ }
			run -0 kennel help "$g" "$@"
			refute_output --partial "(no description)"
			assert_output --partial "usage: kennel $g"
		done
	done
}

@test "kennel help of what is not a group says so" {
	run -2 --separate-stderr kennel help nosuch
	assert_equal "$stderr" "kennel: no help for 'nosuch': not a kennel command"
}

@test "global options work before the group and among the verb's options" {
	init_db
	kennel owner add --first Ann --last Lee >/dev/null
	mv "$KENNEL_DB" other.db
	unset KENNEL_DB
	run -0 kennel --db other.db --json owner list
	assert_equal "$(echo "$output" | jq -r '.[0].first_name')" "Ann"
	run -0 kennel owner list --db other.db --csv
	assert_line --index 1 --partial ",Ann,Lee,"
}

@test "--json and --csv together are a usage error" {
	init_db
	run -2 --separate-stderr kennel owner list --json --csv
	assert_equal "${stderr_lines[0]}" "kennel: choose one of --json and --csv"
}

@test "a command on a missing database names the path and says to run init" {
	run -1 --separate-stderr kennel owner list
	assert_equal "$stderr" "kennel: database '$KENNEL_DB' does not exist: run 'kennel init' first"
	[ ! -e "$KENNEL_DB" ]
}

@test "the database defaults to XDG_DATA_HOME, then ~/.local/share" {
	unset KENNEL_DB
	run -0 --separate-stderr kennel init
	assert_output "$HOME/.local/share/kennel/kennel.db"
	export XDG_DATA_HOME="$BATS_TEST_TMPDIR/xdg"
	run -0 --separate-stderr kennel init
	assert_output "$XDG_DATA_HOME/kennel/kennel.db"
}

@test "an invalid KENNEL_TODAY is refused" {
	init_db
	KENNEL_TODAY=2026-02-30 run -2 --separate-stderr kennel owner list
	assert_equal "$stderr" "kennel: invalid KENNEL_TODAY '2026-02-30' (use YYYY-MM-DD)"
}

@test "a listing piped into head ends quietly" {
	init_db
	for i in $(seq 1 300); do echo "C$i,First$i,Last$i"; done | \
		{ echo "external_id,first_name,last_name"; cat; } > many.csv
	kennel -q owner import many.csv
	run bash -c '"$KENNEL" owner list 2>err.txt | head -2; echo "${PIPESTATUS[0]}" > rc.txt'
	assert_line --index 0 --regexp '^ID +FIRST NAME +LAST NAME'
	assert_line --index 1 --partial "First1"
	assert_equal "$(cat err.txt)" ""
}

@test "completion answers from the command tables" {
	run -0 kennel --complete ow
	assert_output "owner"
	run -0 kennel --complete owner im
	assert_output "import"
	run -0 kennel --complete owner import --re
	assert_output "--rejects"
	run -0 kennel --complete owner note a
	assert_output "add"
	run -0 kennel --complete --db x.db owner li
	assert_output "list"
}

@test "the completion files are generated from the tables and have not drifted" {
	run -0 kennel --completion-script bash
	assert_equal "$output" "$(cat "$ROOT/completions/kennel.bash")"
	run -0 kennel --completion-script zsh
	assert_equal "$output" "$(cat "$ROOT/completions/_kennel")"
}

@test "every usage line names every option of its verb's table" {
	run -0 kennel --check-usage
	assert_output ""
}

@test "the man pages pass mandoc -Tlint and exist for every group" {
	for group in init db company prefs owner pet vax product order package request capacity block report doctor creds mail blast remind log serve portal; do
		[ -f "$ROOT/man/kennel-$group.1" ]
	done
	run -0 mandoc -Tlint -W warning "$ROOT"/man/*.1 "$ROOT"/man/*.5
	assert_output ""
}
