#!/usr/bin/env bats
# Every promise of the contract kept (issue 11): dry runs, dates, the time
# zone, bookings, numbers, the audit log, and the lines kennel prints.
load test_helper

# A business with something of everything, for the dry-run sweep.
everything() {
	init_db
	kennel -q company set --reset-url 'https://happytails.example/reset?t={token}'
	owners <<CSV
Ann,Lee,ann@example.com
Bo,Kim,bo@example.com
CSV
	kennel pet add 1 --name Rex >/dev/null
	kennel pet add 2 --name Max >/dev/null
	for t in rabies distemper bordetella; do
		kennel vax add 1/Rex "$t" --expires 2027-06-01 >/dev/null
		kennel vax add 2/Max "$t" --expires 2027-06-01 >/dev/null
	done
	kennel product add --name "10 Day Pack" --type daycare-package --price 250 --days 10 --days-active 180 >/dev/null
	kennel product add --name "Nail Trim" --type grooming --price 15 --show-to-owner >/dev/null
	kennel order purchase 1 "10 Day Pack" --checkout --payment card >/dev/null
	kennel capacity set boarding 5
	kennel request add 1 --service boarding --pet Rex --start 2026-12-20 --end 2026-12-27 >/dev/null
	kennel request add 2 --service boarding --pet Max --start 2026-12-20 --end 2026-12-22 >/dev/null
	kennel request add 2 --service daycare --pet Max --start 2026-12-01 >/dev/null
	kennel request approve 1 >/dev/null
	kennel -q creds bulk-generate
	kennel -q blast email --template portal-launch --queue-only
	printf 'first_name,last_name,email\nCy,Doe,cy@example.com\n' > new-owners.csv
	printf 'owner_email,days_left\nann@example.com,4\n' > carry.csv
}

# Everything a dry run must leave as it was: the database, and the files
# beside it (the mail folder included).
snapshot() {
	sql .dump
	find . -path ./home -prune -o -type f -newer "$KENNEL_DB" -print | sort
	ls -la kennel-mail 2>/dev/null | wc -l
}

@test "every command that changes anything changes nothing under -n, or refuses it" {
	everything
	before=$(snapshot)
	while IFS= read -r cmd; do
		[ -n "$cmd" ] || continue
		eval "run kennel -n $cmd"
		if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then
			echo "kennel -n $cmd: exit $status: $output" >&2
			false
		fi
		assert_equal "$(snapshot)" "$before"
	done <<'CMDS'
company set --name Other --timezone America/Chicago
company instructions set boarding --file /etc/hostname
prefs set remind.vaccination_days 10
prefs reset remind.vaccination_days
owner add --first Di --last Ng --email di@example.com
owner edit 1 --phone 555-9999
owner deactivate 2
owner note add 1 "likes treats"
owner import new-owners.csv --rejects rejects.csv
pet add 1 --name Mia
pet edit 1/Rex --breed Beagle
pet temperament 1/Rex pass
vax add 1/Rex leptospirosis --expires 2027-01-01
product add --name Bath --type grooming --price 20
product edit "Nail Trim" --price 18
product show-to-owner Nail --off
order purchase 2 "Nail Trim" --checkout --payment cash
order void 1 --note mistake
package modify 1 --left 3 --note "owner called"
package use 1
package carryover carry.csv --rejects carry-rejects.csv
capacity set daycare 3
request add 1 --service daycare --pet Rex --start 2026-12-02
request approve 2 3 --notify
request decline 2 --reason full --notify
request cancel 1
request auto --notify
block add --from 2026-12-24 --to 2026-12-26 --reason Christmas --notify
creds bulk-generate --report report.csv
creds reset 1 2
creds reset 1 --notify
creds revoke 2
blast email --template portal-launch --with-reset-links
remind all
mail send
mail cancel --queued
mail retry --failed
CMDS
	[ ! -e rejects.csv ] && [ ! -e carry-rejects.csv ] && [ ! -e report.csv ]
}

@test "init and db backup cannot be tried: -n is refused with exit 2" {
	everything
	run -2 --separate-stderr kennel -n init
	run -2 --separate-stderr kennel -n db backup copy.db
	[ ! -e copy.db ]
}

@test "a dry run of creds reset prints no link that would not work" {
	everything
	run -0 --separate-stderr kennel -n creds reset 1
	assert_output ""
	assert_equal "$stderr" "dry run: 1 reset link(s) made, 0 refused"
	assert_equal "$(sql 'SELECT count(*) FROM reset_tokens')" "0"
}

@test "date options take every date form; garbage is exit 2" {
	everything
	run -0 kennel request list --from 12/19/2026 --to 12/31/2026 --json
	assert_equal "$(echo "$output" | jq -c 'map(.id)')" "[1,2]"
	run -0 kennel request list --from 2026/12/21 --json
	assert_equal "$(echo "$output" | jq -c 'map(.id)')" "[1,2]"
	run -2 --separate-stderr kennel request list --to 31/12/2026
	assert_equal "${stderr_lines[0]}" "kennel: impossible date '31/12/2026' for --to"
	run -2 --separate-stderr kennel request list --to soon
	assert_equal "${stderr_lines[0]}" "kennel: invalid date 'soon' (use YYYY-MM-DD, MM/DD/YYYY, today, tomorrow, yesterday, +N or -N) for --to"
	run -2 --separate-stderr kennel request list --to +100000
	assert_equal "${stderr_lines[0]}" "kennel: invalid date '+100000' (use YYYY-MM-DD, MM/DD/YYYY, today, tomorrow, yesterday, +N or -N) for --to"
	run -2 --separate-stderr kennel capacity set boarding 2 --from 02/30/2027 --to 03/01/2027
	assert_equal "${stderr_lines[0]}" "kennel: impossible date '02/30/2027' for --from"
	run -0 --separate-stderr kennel request auto --service boarding --to 12/21/2026 --dry-run --json
	assert_equal "$(echo "$output" | jq -c .approved)" "[2]"
}

@test "date options take today, tomorrow, yesterday, +N and -N in the business's zone" {
	everything
	KENNEL_TODAY=2027-03-01 run -0 kennel request add 1 --service boarding --pet Rex --start tomorrow --end +4 --json
	assert_equal "$(echo "$output" | jq -r '.start + " " + .end')" "2027-03-02 2027-03-05"
	stay=$(echo "$output" | jq .id)
	KENNEL_TODAY=2027-03-01 run -0 kennel request add 2 --service daycare --pet Max --start +2T08:30 --json
	assert_equal "$(echo "$output" | jq -r '.start + " " + .start_time')" "2027-03-03 08:30"
	day=$(echo "$output" | jq .id)
	KENNEL_TODAY=2027-03-03 run -0 kennel request list --from today --to today --json
	assert_equal "$(echo "$output" | jq -c 'map(.id)')" "[$stay,$day]"
	KENNEL_TODAY=2027-03-05 run -0 kennel request list --from yesterday --to -1 --json
	assert_equal "$(echo "$output" | jq -c 'map(.id)')" "[$stay]"
	# "today" is the business's: in Kiritimati (UTC+14) it is already tomorrow
	kennel -q company set --timezone Pacific/Kiritimati
	unset KENNEL_TODAY
	TZ=Pacific/Pago_Pago run -0 kennel report occupancy --service daycare --from today --to today --csv
	assert_equal "${lines[1]%%,*}" "$(TZ=Pacific/Kiritimati date +%Y-%m-%d)"
}

@test "the business's time zone decides today and stored times, not the process's TZ" {
	init_db
	run -1 --separate-stderr kennel company set --timezone Mars/Olympus
	assert_equal "$stderr" "kennel: unknown time zone 'Mars/Olympus' (an IANA name from the system's zone database, such as America/Chicago)"
	run -1 kennel company set --timezone ../../etc/passwd
	kennel -q company set --timezone Pacific/Kiritimati   # UTC+14
	unset KENNEL_TODAY
	TZ=Pacific/Pago_Pago kennel owner add --first Ann --last Lee >/dev/null   # UTC-11
	at=$(sql 'SELECT created_at FROM owners')
	# what the clock says in Kiritimati, whatever TZ the process has
	assert_equal "${at:0:13}" "$(TZ=Pacific/Kiritimati date +%Y-%m-%dT%H)"
}

@test "a pet is never in two approved requests of one service on the same night" {
	everything
	kennel request add 1 --service boarding --pet Rex --start 2026-12-25 --end 2026-12-29 >/dev/null
	run -1 --separate-stderr kennel request approve 4
	assert_equal "$stderr" "kennel: request 4: Rex is already booked for boarding on 2026-12-25 (request 1)"
	# the pickup day is no night: a stay from the day the first ends is fine
	kennel request add 1 --service boarding --pet Rex --start 2026-12-27 --end 2026-12-29 >/dev/null
	run -0 kennel request approve 5
	# two pending requests of one pet: auto picks one of them, never both
	kennel request add 2 --service daycare --pet Max --start 2026-12-01 >/dev/null
	run -0 --separate-stderr kennel request auto --service daycare --json
	assert_equal "$(echo "$output" | jq -c '.approved | length')" "1"
	assert_equal "$(sql "SELECT count(*) FROM requests WHERE service = 'daycare' AND status = 'approved'")" "1"
	run -0 kennel request approve 4 --force
	assert_equal "$(sql 'SELECT forced FROM requests WHERE id = 4')" "1"
}

@test "request auto with nothing pending prints an empty plan" {
	init_db
	run -0 --separate-stderr kennel request auto --json
	assert_equal "$(echo "$output" | jq -c .)" '{"approved":[],"not_approved":[]}'
}

@test "request import takes requested_at as a time, else the row is rejected" {
	everything
	printf 'owner_email,pets,service,start,end,requested_at\nann@example.com,Rex,daycare,2026-12-03,,yesterday afternoon\nann@example.com,Rex,daycare,2026-12-04,,12/01/2026 08:30\n' > r.csv
	run -3 --separate-stderr kennel request import r.csv
	assert_equal "${stderr_lines[0]}" "kennel: r.csv: line 2: invalid time 'yesterday afternoon' (use YYYY-MM-DDTHH:MM[:SS] or MM/DD/YYYY HH:MM)"
	assert_equal "$(sql "SELECT requested_at FROM requests WHERE start = '2026-12-04'")" "2026-12-01T08:30:00"
}

@test "creds reset of several owners: a refusal costs the others nothing, one JSON document" {
	everything
	run -3 --separate-stderr kennel creds reset 1 nobody@example.com 2 --json
	assert_equal "$(echo "$output" | jq -c '[.links[].owner_id]')" "[1,2]"
	assert_equal "$(echo "$output" | jq -c '[.refused[].owner]')" '["nobody@example.com"]'
	assert_equal "$(sql 'SELECT count(*) FROM reset_tokens')" "2"
	# the printed links work
	token=$(echo "$output" | jq -r '.links[0].reset_url' | sed 's/.*t=//')
	run -0 kennel creds redeem "$token" --password-stdin <<< "a fine password 1"
}

@test "numbers out of range are errors, never wrapped or clamped" {
	everything
	run -2 --separate-stderr kennel capacity set daycare 99999999999999999999
	assert_equal "${stderr_lines[0]}" "kennel: capacity '99999999999999999999' is out of range (at most 100000) (a whole number from 0 to 100000)"
	run -2 kennel remind vaccinations --days 999999999999
	run -2 kennel request show 99999999999999999999
	run -2 kennel order purchase 1 "Nail Trim" --qty 1000000000 --cart
	run -2 kennel owner list --limit -1
	run -1 --separate-stderr kennel order purchase 1 "Nail Trim" --checkout --payment cash --amount -5
	assert_equal "$stderr" "kennel: invalid amount '-5': an amount is never negative"
	run -1 --separate-stderr kennel product add --name Gold --type retail --price 10000000.01
	assert_equal "$stderr" "kennel: amount '10000000.01' is over \$10,000,000"
	assert_equal "$(sql "SELECT count(*) FROM capacity WHERE service = 'daycare'")" "0"
}

@test "a blast with an empty company field is refused before anything is queued; mail cancel" {
	everything
	kennel -q mail cancel --queued
	kennel -q company set --portal-url ''
	run -1 --separate-stderr kennel blast email --template portal-launch --queue-only
	assert_equal "$stderr" "kennel: template 'portal-launch' uses {{company.portal_url}}, which is empty: set it with 'kennel company set --portal-url ...'"
	assert_equal "$(sql 'SELECT count(*) FROM outbox')" "0"
	kennel -q company set --portal-url https://happytails.example/portal
	kennel -q blast email --template portal-launch --queue-only
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" "2"
	run -0 --separate-stderr kennel mail cancel 1
	assert_equal "$stderr" "1 queued message(s) cancelled"
	run -1 kennel mail cancel 1
	assert_equal "$(kennel log --limit 1 --json | jq -r '.[0].summary')" "1 queued message(s) cancelled"
}

@test "carry-over: a corrected re-run corrects the package, never adds a second" {
	everything
	printf 'owner_email,days_left,note\nann@example.com,12,old system\n' > c.csv
	kennel -q package carryover c.csv
	printf 'owner_email,days_left,note\nann@example.com,11,old system\n' > c.csv
	run -0 --separate-stderr kennel package carryover c.csv --json
	assert_equal "$(echo "$output" | jq -c '[.created, .updated, .unchanged]')" "[0,1,0]"
	assert_equal "$(sql "SELECT group_concat(number_left) FROM packages WHERE name = 'Carry Over Package'")" "11"
	assert_equal "$(kennel package history 2 --json | jq -r '.[-1].note')" "carry-over corrected"
	# a priced product would charge every owner
	run -1 --separate-stderr kennel package carryover c.csv --product "10 Day Pack"
	assert_equal "$stderr" "kennel: product '10 Day Pack' costs 250.00: a carry-over is a \$0 package (every owner would be charged)"
}

@test "package modify --package-note changes the package's note; --note is the history's" {
	everything
	kennel package modify 1 --left 8 --note "owner called" >/dev/null
	assert_equal "$(sql 'SELECT note FROM packages WHERE id = 1')" ""
	kennel package modify 1 --package-note "use for Rex only" --note "front desk" >/dev/null
	assert_equal "$(sql 'SELECT note FROM packages WHERE id = 1')" "use for Rex only"
	assert_equal "$(kennel package history 1 --json | jq -r 'map(.note) | join("|")')" "|owner called|front desk"
}

@test "the audit log: --limit N shows the newest, each line names the record and owner" {
	everything
	run -0 kennel log --limit 2 --json
	assert_equal "$(echo "$output" | jq length)" "2"
	assert_equal "$(echo "$output" | jq -r '.[-1].id')" "$(sql 'SELECT max(id) FROM audit')"
	run -0 kennel log --owner 1 --json
	# the owner's pets, requests and orders are in their log
	assert_equal "$(echo "$output" | jq -r '[.[].entity] | unique | join(",")')" "order,owner,pet,request"
	run -0 kennel log --owner 1
	assert_output --partial "request:1 (owner:1)"
	# cron sets no USER: the process's user is the actor, never "-"
	env -u USER -u LOGNAME -u KENNEL_ACTOR "$KENNEL" owner edit 1 --phone 1 >/dev/null
	assert_equal "$(sql 'SELECT actor FROM audit ORDER BY id DESC LIMIT 1')" "$(id -un)"
}

@test "a CSV field with text after its closing quote is one bad row: the rest imports" {
	init_db
	{
		echo "first_name,last_name,email,address"
		for i in $(seq 1 1002); do
			if [ "$i" = 500 ]; then echo "F$i,L$i,u$i@example.com,\"Apt 4\"B"
			else echo "F$i,L$i,u$i@example.com,\"$i Main St\""; fi
		done
	} > f.csv
	run -3 --separate-stderr kennel owner import f.csv --json
	assert_equal "$(echo "$output" | jq -c .)" '{"rows":1002,"created":1001,"updated":0,"unchanged":0,"rejected":1}'
	assert_equal "${stderr_lines[0]}" "kennel: f.csv: line 501: text after a closing quote"
}

@test "--rejects naming the input is refused before anything is read; nothing half done" {
	init_db
	printf 'first_name,last_name,email\nAnn,Lee,bad@\nBo,Kim,bo@example.com\n' > f.csv
	cp f.csv keep.csv
	run -2 --separate-stderr kennel owner import f.csv --rejects ./f.csv
	assert_equal "$stderr" "kennel: './f.csv' is the input file: name another file"
	cmp f.csv keep.csv
	# a rejects file that cannot be written: nothing is committed
	mkdir ro && chmod 500 ro
	if [ "$(id -u)" != 0 ]; then
		run -1 kennel owner import f.csv --rejects ro/r.csv
		assert_equal "$(sql 'SELECT count(*) FROM owners')" "0"
	fi
	# an existing rejects file becomes private; a symlink is replaced, not followed
	echo old > r.csv && chmod 644 r.csv
	ln -s "$BATS_TEST_TMPDIR/elsewhere" link.csv
	run -3 kennel owner import f.csv --rejects r.csv
	assert_equal "$(stat -c %a r.csv)" "600"
	run -3 kennel owner import f.csv --rejects link.csv
	[ ! -e "$BATS_TEST_TMPDIR/elsewhere" ] && [ -f link.csv ] && [ ! -L link.csv ]
}

@test "CSV output guards formulas, and import takes the guard off again" {
	init_db
	kennel owner add --first '=HYPERLINK("http://x.example","click")' --last '+1+cmd' --address '@SUM(A1)' >/dev/null
	kennel owner add --first "'=quoted" --last -Lee >/dev/null
	kennel owner export > out.csv
	grep -q "^1,,\"'=HYPERLINK" out.csv
	grep -q ",'+1+cmd," out.csv
	run -0 kennel owner list --csv
	assert_output --partial "'@SUM(A1)"
	init_db_2() { KENNEL_DB="$BATS_TEST_TMPDIR/two.db" "$KENNEL" "$@"; }
	init_db_2 init -q
	init_db_2 owner import out.csv --update >/dev/null
	assert_equal "$(sqlite3 two.db 'SELECT first_name, last_name, address FROM owners ORDER BY id')" \
		"$(sql 'SELECT first_name, last_name, address FROM owners ORDER BY id')"
}

@test "control characters and invalid UTF-8 are refused from the command line; output escapes them" {
	init_db
	run -1 --separate-stderr kennel owner add --first $'Ann\e[31m' --last Lee
	assert_equal "$stderr" "kennel: first_name has a control character (byte 27): a name or other one-line field cannot hold one"
	run -1 --separate-stderr kennel owner add --first $'Ann\xff' --last Lee
	assert_equal "$stderr" "kennel: first_name has invalid UTF-8"
	# what an older version stored is printed escaped, and never dropped from JSON
	sql $'INSERT INTO owners (first_name, last_name, created_at, updated_at) VALUES (\'Bad\x1b[2J\', CAST(X\'4cff\' AS TEXT), \'x\', \'x\')'
	run -0 kennel owner list
	assert_output --partial 'Bad\x1B[2J'
	run -0 kennel owner list --json
	assert_equal "$(echo "$output" | jq -r '.[0].last_name')" "L�"
}

@test "kennel --bogus is a usage error; -q silences the record a change prints; JSON everywhere" {
	init_db
	run -2 --separate-stderr kennel --bogus
	assert_equal "$stderr" "kennel: unknown option '--bogus'"
	run -0 --separate-stderr kennel -q owner add --first Ann --last Lee
	assert_output ""
	run -0 --separate-stderr kennel -q company set --name X
	assert_output ""
	run -0 kennel version --json
	assert_equal "$(echo "$output" | jq -r .version)" "$("$KENNEL" version | cut -d' ' -f2)"
	run -0 kennel db check --json
	assert_equal "$(echo "$output" | jq -c .)" '{"ok":true,"problems":0}'
	run -0 kennel capacity set daycare 4 --json
	assert_equal "$(echo "$output" | jq -c '[.service, .units]')" '["daycare",4]'
	run -0 --separate-stderr kennel init --json
	assert_equal "$(echo "$output" | jq -r .created)" "false"
}

@test "the vaccination report is a call list: the owner's phone and email" {
	everything
	kennel -q owner edit 1 --phone 555-0101
	run -0 kennel report vaccinations --json
	assert_equal "$(echo "$output" | jq -c '[.[0].phone, .[0].email]')" '["555-0101","ann@example.com"]'
}

@test "the request rules fail closed: a rule that cannot be read refuses, never approves" {
	everything
	# the capacity table gone: reading it fails, which must not mean "unlimited"
	sql 'DROP TABLE capacity'
	run -1 --separate-stderr kennel request approve 2
	[[ "$stderr" == "kennel: "*"capacity"* ]]
	assert_equal "$(sql 'SELECT status FROM requests WHERE id = 2')" "pending"
	run -1 --separate-stderr kennel request auto --json
	assert_equal "$(sql "SELECT count(*) FROM requests WHERE status = 'approved'")" "1"
}
