#!/bin/sh
# make demo: the main job on sample data, in a fresh database under DIR.
# usage: demo.sh KENNEL DIR
set -u
kennel=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$(cd "$2" && pwd)
sample=$(cd "$(dirname "$0")/sample" && pwd)
export KENNEL_DB="$dir/kennel.db"
step() { printf '\n$ kennel %s\n' "$*"; "$kennel" "$@"; }

step init --company "Happy Tails Pet Resort" --email frontdesk@happytails.example \
	--timezone America/Chicago
# the portal this machine serves (kennel serve's default address); a real
# business sets its public https:// URL behind the reverse proxy
step company set --phone '(555) 010-2030' --portal-url http://127.0.0.1:8080 >/dev/null
printf 'Welcome to the **Happy Tails** owner portal! Book boarding and daycare here, and see your packages.\n' |
	"$kennel" -q company set --message-file -
# the business of the setup guide's test drive: what owners read before
# they book, what the place holds, when it is closed, and its price list
"$kennel" -q company set --address '400 Riverside Dr, Springfield IL 62701' \
	--hours 'Mon-Fri 7am-7pm, Sat-Sun 8am-5pm'
printf 'Drop-off from 7am, pick-up by 7pm. Bring food for each day in labelled bags.\n' |
	"$kennel" -q company instructions set boarding --file -
printf 'Daycare dogs need a passed temperament test; arrive by 9am.\n' |
	"$kennel" -q company instructions set daycare --file -
printf 'Tell us about any skin condition before the bath.\n' |
	"$kennel" -q company instructions set grooming --file -
"$kennel" -q capacity set boarding 20
"$kennel" -q capacity set daycare 30
"$kennel" -q block add --from 2026-12-25 --to 2026-12-26 --reason 'Christmas: closed' >/dev/null
"$kennel" -q product add --name 'Daycare day' --type daycare --price 32
"$kennel" -q product add --name 'Boarding night' --type boarding --price 55
"$kennel" -q product add --name 'Bath and brush' --type grooming --price 35 --show-to-owner
"$kennel" -q product add --name 'Nail trim' --type grooming --price 15 --show-to-owner
"$kennel" -q product add --name '10 Day Daycare Pack' --type daycare-package --price 290 \
	--days 10 --days-active 180 --show-to-owner
"$kennel" -q product add --name '5 Night Boarding Pack' --type boarding-package --price 250 \
	--days 5 --days-active 365 --show-to-owner
step owner import "$sample/owners.csv" --rejects "$dir/owners-rejects.csv"
rc=$?
case $rc in 0|3) ;; *) exit 1 ;; esac # 3: some sample rows are meant to be rejected
printf '\n(the rejected rows, with line and reason, are in %s)\n' "$dir/owners-rejects.csv"
rc=0
step pet import "$sample/pets.csv" --rejects "$dir/pets-rejects.csv"
step vax import "$sample/vaccinations.csv" --rejects "$dir/vaccinations-rejects.csv"
step package carryover "$sample/packages.csv" --rejects "$dir/packages-rejects.csv"
printf '\n$ kennel report packages | head -3\n'
"$kennel" report packages | head -3
printf '\n$ kennel report vaccinations --expired | head -5\n'
"$kennel" report vaccinations --expired | head -5
step creds bulk-generate --report "$dir/creds-report.csv"
printf '\n(one row per owner considered, with the reason for each skip, in %s)\n' "$dir/creds-report.csv"
step owner list --limit 5
step owner list --without-username --limit 3
step blast email --template portal-launch --to with-username --with-reset-links
printf '\n(the launch announcement, one message per owner with a one-click\n password link, is in the file mailer: %s)\n' "$dir/kennel-mail"
printf '\n$ head -20 %s\n' "$dir/kennel-mail/000001.eml"
head -20 "$dir/kennel-mail/000001.eml"
printf '\n$ kennel doctor | cut -d" " -f1-3 | sort | uniq -c | sort -rn\n'
"$kennel" doctor 2>/dev/null | cut -d' ' -f1-3 | sort | uniq -c | sort -rn | head -5
step log --limit 3
printf '\nThe demo database is %s; try: KENNEL_DB=%s %s owner list\n' "$KENNEL_DB" \
	"$KENNEL_DB" "$kennel"
# the owner portal: the demo owner the setup guide's test drive logs in
# as, with something on every page
"$kennel" -q owner add --first Dana --last Demo --email dana@demo.example --username dana \
	--phone '(555) 010-9999'
"$kennel" -q pet add dana --name Biscuit --species dog --breed Beagle --sex 'male, neutered'
"$kennel" -q pet add dana --name Pepper --species dog --breed Poodle --sex 'female, spayed'
for t in rabies distemper bordetella; do
	"$kennel" -q vax add dana/Biscuit "$t" --expires +365
	"$kennel" -q vax add dana/Pepper "$t" --expires +365
done
"$kennel" -q vax add dana/Pepper bordetella --expires +20   # renewed to expire soon: a reminder due
"$kennel" -q pet temperament dana/Biscuit pass
"$kennel" -q pet temperament dana/Pepper pass
"$kennel" -q order purchase dana '10 Day Daycare Pack' --checkout --payment card
"$kennel" -q package use "$("$kennel" package list --owner dana --csv | sed -n 2p | cut -d, -f1)"
# a groom paid in part: a bill with $15 due, and how to pay it
"$kennel" -q order purchase dana 'Bath and brush' --checkout --payment cash --amount 20
printf 'Pay at the front desk by card or cash, or call us with a card.\n' |
	"$kennel" -q company instructions set billing --file -
"$kennel" -q request add dana --service boarding --pet Biscuit,Pepper --start +5T08:00 \
	--end +8T17:00 --note 'Pepper takes her pill at dinner.'
"$kennel" -q request approve "$("$kennel" request list --owner dana --csv | sed -n 2p | cut -d, -f1)"
"$kennel" -q request add dana --service daycare --pet Biscuit --start +3T08:30
"$kennel" -q owner note add dana --show-to-owner 'Biscuit loved the splash pool today!'
link=$("$kennel" creds reset dana 2>/dev/null | cut -d' ' -f2)
cat <<EOF

The owner portal of the demo. Serve it (Ctrl-C stops it):

  KENNEL_DB=$KENNEL_DB $kennel serve

then open this link in a browser: it sets the password of the demo owner
Dana Demo (username dana; it works once, for 72 hours), and then you log
in with it and see her two dogs, her package, a booked stay, a bill with
$15 due and a request waiting for approval:

  $link
EOF
