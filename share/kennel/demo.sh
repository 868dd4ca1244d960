#!/bin/sh
# make demo: the main job on sample data, in a fresh database under DIR.
# usage: demo.sh KENNEL DIR
set -u
kennel=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2
sample=$(cd "$(dirname "$0")/sample" && pwd)
export KENNEL_DB="$dir/kennel.db"
step() { printf '\n$ kennel %s\n' "$*"; "$kennel" "$@"; }

step init --company "Happy Tails Pet Resort" --email frontdesk@happytails.example \
	--timezone America/Chicago
step company set --phone '(555) 010-2030' --portal-url https://happytails.example/portal \
	--reset-url 'https://happytails.example/portal/reset?token={token}' >/dev/null
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
