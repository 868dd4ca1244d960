#!/usr/bin/env bats
# kennel company and kennel prefs.
load test_helper

@test "company show prints what init and set stored" {
	init_db
	kennel company set --phone '(503) 555-0100' --portal-url https://happytails.example/portal >/dev/null
	run -0 kennel company show --json
	assert_equal "$(echo "$output" | jq -c '[.name, .email, .phone, .portal_url]')" \
		'["Happy Tails","frontdesk@happytails.example","(503) 555-0100","https://happytails.example/portal"]'
}

@test "company set refuses an invalid email and a reset URL without {token}" {
	init_db
	run -1 --separate-stderr kennel company set --email 'front desk@x.com'
	assert_equal "$stderr" "kennel: invalid email 'front desk@x.com'"
	run -1 --separate-stderr kennel company set --reset-url https://x.example/reset
	assert_equal "$stderr" "kennel: reset URL 'https://x.example/reset' has no {token} in it"
	kennel company set --reset-url 'https://x.example/reset?t={token}' >/dev/null
	assert_equal "$(sql 'SELECT reset_url FROM company')" 'https://x.example/reset?t={token}'
}

@test "company set --message-file reads the owner message from stdin" {
	init_db
	printf 'Closed on Thanksgiving.\n' | kennel company set --message-file - >/dev/null
	assert_equal "$(sql 'SELECT message FROM company')" "Closed on Thanksgiving."
}

@test "company instructions set and show per module" {
	init_db
	echo "Bring food in labelled bags." | kennel company instructions set boarding --file -
	echo "Drop-off 7-9am." > d.txt
	kennel company instructions set daycare --file d.txt
	run -0 kennel company instructions show --json
	assert_equal "$(echo "$output" | jq -c '[.[].module]')" '["boarding","daycare"]'
	run -0 kennel company instructions show daycare --json
	assert_equal "$(echo "$output" | jq -r '.[0].text')" "Drop-off 7-9am."
	run -2 --separate-stderr kennel company instructions set kennels --file d.txt
	assert_equal "$stderr" "kennel: unknown module 'kennels' (choose boarding, daycare, grooming, training, service, billing)"
}

@test "prefs list shows every key of the contract with its default" {
	init_db
	run -0 kennel prefs list --json
	for key in portal.self_register portal.daycare portal.boarding portal.grooming portal.training \
		portal.service portal.require_current_vaccinations portal.require_temperament_test \
		portal.boarding_deposit vaccines.required remind.vaccination_days remind.appointment_days \
		remind.package_days creds.lowercase_usernames mail.url mail.from mail.starttls mail.rate \
		mail.ca_file; do
		echo "$output" | jq -e --arg k "$key" 'map(select(.key == $k)) | length == 1' >/dev/null
	done
	assert_equal "$(echo "$output" | jq -r '.[] | select(.key == "vaccines.required") | .value')" "rabies,distemper,bordetella"
	assert_equal "$(echo "$output" | jq -r '.[] | select(.key == "mail.from") | .value')" "frontdesk@happytails.example"
	assert_equal "$(echo "$output" | jq -r '.[] | select(.key == "mail.url") | .value')" "file://$BATS_TEST_TMPDIR/kennel-mail"
}

@test "prefs set, get and reset" {
	init_db
	kennel prefs set portal.daycare schedule
	run -0 kennel prefs get portal.daycare
	assert_output "schedule"
	kennel prefs set creds.lowercase_usernames no
	assert_equal "$(kennel prefs get creds.lowercase_usernames)" "false"
	kennel prefs set portal.boarding_deposit 25%
	kennel prefs set portal.boarding_deposit '$50.00'
	kennel prefs reset portal.daycare
	assert_equal "$(kennel prefs get portal.daycare)" "request"
	assert_equal "$(sql "SELECT count(*) FROM prefs WHERE key = 'portal.daycare'")" "0"
}

@test "an unknown key is a usage error suggesting the nearest key" {
	init_db
	run -2 --separate-stderr kennel prefs get portal.daycar
	assert_equal "$stderr" "kennel: unknown preference 'portal.daycar' (did you mean 'portal.daycare'?)"
	run -2 --separate-stderr kennel prefs set remind.vaccine_days 10
	assert_equal "$stderr" "kennel: unknown preference 'remind.vaccine_days' (did you mean 'remind.vaccination_days'?)"
}

@test "a value of the wrong type is an error naming the allowed values" {
	init_db
	run -1 --separate-stderr kennel prefs set portal.daycare sometimes
	assert_equal "$stderr" "kennel: invalid value 'sometimes' for portal.daycare (allowed: off, request, schedule)"
	run -1 --separate-stderr kennel prefs set remind.package_days soon
	assert_equal "$stderr" "kennel: invalid value 'soon' for remind.package_days (allowed: a whole number >= 0)"
	run -1 --separate-stderr kennel prefs set portal.self_register maybe
	assert_equal "$stderr" "kennel: invalid value 'maybe' for portal.self_register (allowed: true, false)"
	run -1 --separate-stderr kennel prefs set mail.url http://mail.example
	assert_equal "$stderr" "kennel: invalid value 'http://mail.example' for mail.url (allowed: smtp://HOST:PORT, smtps://HOST:PORT, file:///DIR)"
	assert_equal "$(sql 'SELECT count(*) FROM prefs')" "0"
}

@test "company set refuses a name over two lines, a link that is not a web address, a blank name" {
	init_db
	before=$(sql "SELECT count(*) FROM audit WHERE entity = 'company'")
	run -1 --separate-stderr kennel company set --name $'Happy\r\nTails'
	assert_equal "$stderr" "kennel: --name has a control character (byte 13): a name or other one-line field cannot hold one"
	run -1 --separate-stderr kennel company set --name ''
	assert_equal "$stderr" "kennel: --name: the business needs a name"
	run -1 --separate-stderr kennel company set --webcam-url 'javascript:alert(1)'
	assert_equal "$stderr" "kennel: --webcam-url 'javascript:alert(1)': expected an http:// or https:// address"
	run -1 --separate-stderr kennel company set --portal-url 'https://portal.example/a b'
	assert_equal "$stderr" "kennel: --portal-url 'https://portal.example/a b': a space or a control character in the address (write a space as %20)"
	run -1 --separate-stderr kennel company set --reset-url 'https:///reset?t={token}'
	assert_equal "$stderr" "kennel: --reset-url 'https:///reset?t={token}': no host after the scheme"
	assert_equal "$(sql "SELECT count(*) FROM audit WHERE entity = 'company'")" "$before"
	run -0 kennel company set --name 'Happy Tails' --webcam-url 'https://cam.example/live?room=2' --json
	assert_equal "$(echo "$output" | jq -r .webcam_url)" "https://cam.example/live?room=2"
}
