#!/usr/bin/env bats
# The owner's journeys in a real browser (PORTAL.md 7): Chromium headless
# through Selenium, against kennel serve, with the mail read from files.

load test_helper
load portal_helper

journey() {
	URL=$URL MAIL_DIR=$MAIL_DIR KENNEL=$KENNEL KENNEL_DB=$KENNEL_DB \
		/usr/bin/python3 "$TESTS_DIR/browser/journeys.py" "$1" ||
		{ echo "--- the server's log:"; tail -20 "$SERVE_LOG"; false; }
}

@test "browser: bulk-generated account, reset link from the mail, boarding with an add-on, approved, logout" {
	portal_db
	kennel -q owner add --first Cy --last Park --email cy@example.com
	kennel -q pet add 2 --name Biscuit
	kennel -q prefs set portal.require_current_vaccinations false
	kennel -q product add --name "Nail trim" --type grooming --price 15 --show-to-owner
	printf 'Leave a toy for your dog.\n' | kennel -q company instructions set boarding --file -
	start_portal
	journey bulk-to-booking
	assert_equal "$(sql "SELECT status FROM requests")" "approved"
	assert_equal "$(sql "SELECT count(*) FROM request_addons")" 1
}

@test "browser: vet papers sent from the pet page arrive as they were" {
	portal_db
	kennel -q pet add 1 --name Rex
	export PAPERS_FILE="$BATS_TEST_TMPDIR/rex-rabies.pdf"
	printf '%%PDF-1.4\n%% rabies certificate\n%%%%EOF\n' > "$PAPERS_FILE"
	start_portal
	journey papers
	kennel papers save 1 "$BATS_TEST_TMPDIR/saved.pdf"
	cmp "$PAPERS_FILE" "$BATS_TEST_TMPDIR/saved.pdf"
}

@test "browser: a wrong-case username gets the hint, the right case gets in" {
	portal_db
	start_portal
	journey wrong-case
}

@test "browser: register, follow the link from the mail, land on home" {
	portal_db
	start_portal
	journey register
	assert_equal "$(sql "SELECT username FROM owners WHERE email = 'dee@example.com'")" "dee@example.com"
}

@test "browser: a blocked login says so and shows the way out" {
	portal_db
	start_portal
	journey blocked
}

@test "browser: an owner sees her balance, her due invoice and the business's pay link; paid, nothing is due" {
	portal_db
	kennel -q product add --name Bath --type grooming --price 40
	kennel -q order purchase 1 Bath --checkout --payment cash --amount 15
	kennel -q company set --pay-url 'https://pay.example/happy?invoice={order}&amount={amount}'
	start_portal
	journey billing
	assert_equal "$(sql "SELECT status FROM orders")" "paid"
}

@test "browser: axe-core finds no accessibility violation on any page, logged out or in, phone or desktop" {
	portal_db
	kennel -q company set --phone 555-0100 --address "12 Elm St" --hours "Mon-Fri 7am-7pm"
	kennel -q pet add 1 --name Rex
	kennel -q prefs set portal.require_current_vaccinations false
	kennel -q request add 1 --service boarding --pet Rex --start 2026-12-20 --end 2026-12-23
	kennel -q request add 1 --service daycare --pet Rex --start 2026-12-02 --force
	kennel -q request approve 2
	kennel -q owner note add 1 --show-to-owner "Bring **two** leashes."
	kennel -q product add --name "10 Day Pack" --type daycare-package --price 250 --days 10 --days-active 180
	kennel -q order purchase 1 "10 Day Pack" --checkout --payment card
	kennel -q product add --name "5 Day Pack" --type daycare-package --price 130 --days 5 --days-active 90 --show-to-owner
	kennel -q prefs set portal.purchase invoice
	# a waitlist offer, its link's token one we know (only its hash is kept)
	kennel -q request add 1 --service daycare --pet Rex --start 2026-12-03
	kennel -q request decline 3 --reason "full" --waitlist
	kennel -q waitlist offer --queue-only
	OFFER_TOKEN=Axe0ffer_token_known_to_the_test_only_0000
	sql "UPDATE waitlist_offers SET token_hash = '$(/usr/bin/python3 -c 'import hashlib, sys; print(hashlib.blake2b(sys.argv[1].encode(), digest_size=32).hexdigest())' "$OFFER_TOKEN")'"
	export OFFER_PATH="/offers/$OFFER_TOKEN"
	start_portal
	journey accessible
}
