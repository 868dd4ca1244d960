#!/usr/bin/env bats
# kennel blast email.
load test_helper

blast_setup() {
	init_db
	kennel company set --portal-url https://happytails.example/portal \
		--reset-url 'https://happytails.example/reset?t={token}' >/dev/null
	owners <<CSV
Ann,Lee,ann@example.com
Bo,Kim,bo@example.com
Cy,Doe,
Di,Fox,di@example.com
CSV
	kennel owner edit di@example.com --email-opt-out >/dev/null
	kennel creds set ann@example.com --username ann@example.com >/dev/null 2>&1
}

@test "a blast goes to every active owner with an email who has not opted out" {
	blast_setup
	run -0 --separate-stderr kennel blast email --template portal-launch --json
	assert_equal "$(echo "$output" | jq -c .)" '{"blast_id":1,"recipients":2,"queued":2,"skipped":2,"sent":2,"failed":0}'
	assert_equal "$stderr" "blast 1: 2 recipients, 2 queued, 2 skipped (no or invalid email, opted out), 2 sent, 0 failed"
	assert_equal "$(ls kennel-mail/*.eml | wc -l)" "2"
}

@test "running the same blast again sends nobody a second copy" {
	blast_setup
	kennel -q blast email --template portal-launch
	run -0 --separate-stderr kennel blast email --template portal-launch --json
	assert_equal "$(echo "$output" | jq -c '[.blast_id, .recipients, .queued, .sent]')" "[1,2,0,0]"
	assert_equal "$(sql 'SELECT count(*) FROM outbox')" "2"
	# a new subject is a new blast
	run -0 --separate-stderr kennel blast email --template portal-launch --subject "Reminder: the portal" --json
	assert_equal "$(echo "$output" | jq -c '[.blast_id, .queued]')" "[2,2]"
}

@test "--to with-username, without-username and FILE pick the audience" {
	blast_setup
	run -0 --separate-stderr kennel blast email --template portal-launch --to with-username --queue-only --json
	assert_equal "$(echo "$output" | jq .recipients)" "1"
	assert_equal "$(sql 'SELECT to_addr FROM outbox')" "ann@example.com"
	printf 'bo@example.com\n' > list.txt
	run -0 --separate-stderr kennel blast email --template portal-launch --to list.txt --queue-only --json
	assert_equal "$(echo "$output" | jq .recipients)" "1"
	printf 'nobody@example.com\n' > bad.txt
	run -1 --separate-stderr kennel blast email --template portal-launch --to bad.txt --queue-only
	assert_equal "$stderr" "kennel: bad.txt: line 1: owner 'nobody@example.com' not found"
}

@test "--with-reset-links puts a single-use link in each message, minted once" {
	blast_setup
	run -0 --separate-stderr kennel blast email --template portal-launch --to with-username --with-reset-links
	token=$(grep -o 'reset?t=[A-Za-z0-9_-]*' kennel-mail/000001.eml | cut -d= -f2)
	[ "${#token}" -eq 43 ]
	assert_equal "$(sql 'SELECT count(*) FROM reset_tokens')" "1"
	kennel -q blast email --template portal-launch --to with-username --with-reset-links
	assert_equal "$(sql 'SELECT count(*) FROM reset_tokens')" "1"
	run -0 kennel creds redeem "$token" --password-stdin <<< "a good password"
}

@test "a business that set only its name and email (and the portal link) can send the launch mail" {
	kennel init -q --company "Happy Tails" --email frontdesk@happytails.example
	kennel -q company set --portal-url https://happytails.example/portal
	owners <<CSV
Ann,Lee,ann@example.com
CSV
	run -0 --separate-stderr kennel blast email --template portal-launch
	f=kennel-mail/000001.eml
	run -0 grep -c '^Questions? Reply to this email\.' "$f"
	run -1 grep -c 'call us' "$f"
	# with a phone the same line gives it
	kennel -q company set --phone 555-0100
	kennel -q blast email --template portal-launch --subject "The portal, again"
	run -0 grep -c '^Questions? Reply to this email or call us at 555-0100\.' kennel-mail/000002.eml
	# the link is the point of the launch mail: without it, refused by name
	kennel -q company set --portal-url ''
	run -1 --separate-stderr kennel blast email --template portal-launch --subject third
	assert_equal "$stderr" "kennel: template 'portal-launch' uses {{company.portal_url}}, which is empty: set it with 'kennel company set --portal-url ...'"
}

@test "every shipped mail leaves out what the business has not set, and no line is left half" {
	kennel init -q --company "Happy Tails" --email frontdesk@happytails.example
	owners <<CSV
Ann,Lee,ann@example.com
CSV
	kennel -q pet add ann@example.com --name Rex
	kennel -q capacity set daycare 10
	kennel -q request add ann@example.com --service daycare --pet Rex --start 2027-01-04
	kennel -q request decline 1 --reason "full that day" --notify
	kennel -q mail send
	f=$(ls kennel-mail/*.eml | tail -1)
	run -0 grep -cx $'Please reply to this email and\r' "$f"
	run -1 grep -c 'call us at' "$f"
	assert_equal "$(tail -c 14 "$f" | tr -d '\r')" "$(printf '\nHappy Tails\n')"
}

@test "--dry-run renders and counts, queues nothing" {
	blast_setup
	run -0 --separate-stderr kennel blast email --template portal-launch --dry-run --json
	assert_equal "$(echo "$output" | jq -c '[.recipients, .queued]')" "[2,2]"
	assert_equal "$(sql 'SELECT count(*) FROM outbox')" "0"
	[ ! -d kennel-mail ]
}

@test "an unknown placeholder is an error before anything is queued" {
	blast_setup
	printf 'Subject: Hi\n\nHello {{owner.frist_name}}\n' > t.txt
	run -1 --separate-stderr kennel blast email --template-file t.txt
	assert_equal "$stderr" "kennel: template 't.txt': unknown field '{{owner.frist_name}}' on line 3"
	assert_equal "$(sql 'SELECT count(*) FROM outbox')" "0"
}

@test "a subject with CR or LF is refused: no header injection" {
	blast_setup
	run -1 --separate-stderr kennel blast email --template portal-launch --subject $'Hi\r\nBcc: everyone@example.com'
	assert_equal "$stderr" "kennel: refusing a mail header with CR or LF in it (to 'ann@example.com')"
	assert_equal "$(sql 'SELECT count(*) FROM outbox')" "0"
}

@test "KENNEL_TEMPLATES overrides a shipped template" {
	blast_setup
	mkdir tpl
	printf 'Subject: We moved\n\nDear {{owner.first_name}}, {{company.name}} moved.\n' > tpl/portal-launch.txt
	KENNEL_TEMPLATES=$PWD/tpl run -0 kennel blast email --template portal-launch --to with-username
	grep -q '^Dear Ann, Happy Tails moved.' kennel-mail/000001.eml
	run -1 --separate-stderr kennel blast email --template no-such
	assert_equal "$stderr" "kennel: no template 'no-such'"
}

@test "kill -9 in the middle of a 2,000-message blast, then mail send: everyone gets it, few twice" {
	init_db
	start_sink
	kennel prefs set mail.url "smtp://127.0.0.1:$SINK_PORT"
	for i in $(seq 1 2000); do echo "Owner$i,Last$i,owner$i@example.com"; done | owners
	kennel -q blast email --template portal-launch --queue-only
	"$KENNEL" -q mail send &
	pid=$!
	# kill once some messages have arrived
	for _ in $(seq 1 200); do
		[ "$(ls "$SINK_DIR" | grep -c eml)" -ge 300 ] && break
		sleep 0.02
	done
	kill -9 "$pid"
	wait "$pid" || true
	got_before=$(ls "$SINK_DIR" | grep -c eml)
	[ "$got_before" -lt 2000 ]
	# claims of the killed run are taken back after ten minutes
	KENNEL_NOW=2026-11-23T09:15:00 run -0 kennel mail send
	assert_equal "$(sql "SELECT count(*) FROM outbox WHERE status <> 'sent'")" "0"
	recipients=$(grep -h '^To: ' "$SINK_DIR"/*.eml | sort -u | wc -l)
	assert_equal "$recipients" "2000"
	total=$(ls "$SINK_DIR" | grep -c eml)
	# duplicates: at most the batch in flight at the kill (100)
	[ $((total - 2000)) -le 100 ]
	run -0 kennel db check
}
