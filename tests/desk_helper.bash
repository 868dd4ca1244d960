# Shared by the desk's bats files: a day at a small daycare.
# Ann (Rex, Mia) with a 10-day daycare package, Bo (Tom) boarding from
# the 22nd to the 25th, Cy (Kit) with no booking; all vaccinated.
day() {
	init_db
	kennel owner add --first Ann --last Lee --email ann@example.com --phone 555-0101 >/dev/null
	kennel owner add --first Bo --last Kim --email bo@example.com >/dev/null
	kennel owner add --first Cy --last Park --email cy@example.com >/dev/null
	kennel pet add 1 --name Rex --species dog --advisory "bites when fed" >/dev/null
	kennel pet add 1 --name Mia --species dog >/dev/null
	kennel pet add 2 --name Tom --species cat >/dev/null
	kennel pet add 3 --name Kit --species dog >/dev/null
	for p in 1 2 3 4; do
		for v in rabies distemper bordetella; do
			kennel vax add "$p" "$v" --expires 2027-10-01 >/dev/null
		done
	done
	kennel product add --name Daycare --type daycare --price 30 >/dev/null
	kennel product add --name "Boarding night" --type boarding --price 55 >/dev/null
	kennel product add --name "10 Day Pack" --type daycare-package --price 250 --days 10 --days-active 180 >/dev/null
	kennel product add --name Bath --type retail --price 15 --show-to-owner >/dev/null
	kennel order purchase 1 "10 Day Pack" --checkout --payment card >/dev/null
	kennel request add 1 --service daycare --pet Rex,Mia --start 2026-11-23 >/dev/null
	kennel request add 2 --service boarding --pet Tom --start 2026-11-22 --end 2026-11-25 >/dev/null
	kennel -q request approve 1 2
}
