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
printf '\n$ kennel creds reset %s\n' "$(sed -n 2p "$dir/creds-report.csv" | cut -d, -f1)"
"$kennel" creds reset "$(sed -n 2p "$dir/creds-report.csv" | cut -d, -f1)"
printf '\n$ kennel doctor | cut -d" " -f1-3 | sort | uniq -c | sort -rn\n'
"$kennel" doctor 2>/dev/null | cut -d' ' -f1-3 | sort | uniq -c | sort -rn | head -5
step log --limit 3
printf '\nThe demo database is %s; try: KENNEL_DB=%s %s owner list\n' "$KENNEL_DB" \
	"$KENNEL_DB" "$kennel"
# the owner portal: one demo owner, a fresh link to set a password
owner=$("$kennel" owner list --with-username --csv --limit 1 | sed -n 2p | cut -d, -f1)
link=$("$kennel" creds reset "$owner" 2>/dev/null | cut -d' ' -f2)
user=$("$kennel" owner show "$owner" --json | sed -n 's/^  "username": "\(.*\)",$/\1/p')
cat <<EOF

The owner portal of the demo. Serve it (Ctrl-C stops it):

  KENNEL_DB=$KENNEL_DB $kennel serve

then open this link in a browser: it sets the password of the demo owner
$user (it works once, for 72 hours), and then you log in with it:

  $link
EOF
