# Shared by the money bats files: a small shop with two owners, and the
# ledger's own check.
shop() {
	init_db
	kennel owner add --first Ann --last Lee --email ann@example.com --phone 555-0101 >/dev/null
	kennel owner add --first Bo --last Kim --email bo@example.com >/dev/null
	kennel product add --name Bath --type grooming --price 40 >/dev/null
	kennel product add --name Stick --type retail --price 5 >/dev/null
	kennel product add --name "10 Day Pack" --type daycare-package --price 250 --days 10 --days-active 180 >/dev/null
}

# the ledger adds up: report unbalanced finds nothing
balanced() {
	run -0 --separate-stderr kennel report unbalanced
	assert_output ""
	assert_equal "$stderr" "every order and payment adds up"
}
