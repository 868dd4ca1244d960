#!/bin/sh
# vax import of about 1,000,000 vaccinations (BENCH_VAX_OWNERS owners, about
# 1.25 pets each, 3 vaccinations a pet) beside sqlite3's .import of the same
# file then INSERT ... SELECT into the same schema; and report vaccinations
# over those pets beside sqlite3 running the equivalent query, in the same run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
owners=${BENCH_VAX_OWNERS:-270000}
w=$BENCH_WORK
. "$here/lib.sh"

/usr/bin/python3 "$here/gen_owners.py" "$owners" > "$w/vo.csv"
/usr/bin/python3 "$here/gen_pets.py" "$owners" "$w/vp.csv" "$w/vv.csv"
rows=$(($(wc -l < "$w/vv.csv") - 1))
for db in "$w/vk.db" "$w/vr.db"; do
	KENNEL_DB="$db" "$KENNEL" init -q
	KENNEL_DB="$db" "$KENNEL" -q owner import "$w/vo.csv"
	KENNEL_DB="$db" "$KENNEL" -q pet import "$w/vp.csv"
done
pets=$(sqlite3 "$w/vk.db" 'SELECT count(*) FROM pets')

start=$(date +%s.%N)
sqlite3 "$w/vr.db" <<SQL
.mode csv
.import $w/vv.csv staging
INSERT INTO vaccinations (pet_id, type, expires_on)
SELECT p.id, lower(trim(s.Vaccine)), s.Expiration FROM staging s JOIN pets p ON p.external_id = s."Pet ID"
ON CONFLICT DO NOTHING;
DROP TABLE staging;
SQL
ref=$(elapsed "$start")
start=$(date +%s.%N)
KENNEL_DB="$w/vk.db" /usr/bin/time -f '%M' -o "$w/rss" "$KENNEL" -q vax import "$w/vv.csv"
ours=$(elapsed "$start")
n=$(sqlite3 "$w/vk.db" 'SELECT count(*) FROM vaccinations')
[ "$n" -eq "$(sqlite3 "$w/vr.db" 'SELECT count(*) FROM vaccinations')" ] || { echo "vax counts differ" >&2; exit 1; }
row "vax import, $rows rows (vs sqlite3 .import)" "$ours" "$ref"

start=$(date +%s.%N)
sqlite3 -csv "$w/vr.db" "SELECT o.id, o.first_name || ' ' || o.last_name, p.id, p.name, r.value,
  l.e, CASE WHEN l.e IS NULL THEN 'missing' WHEN l.e < date('2026-11-23') THEN 'expired'
  WHEN l.e <= date('2026-11-23', '+30 days') THEN 'expiring' ELSE 'current' END
  FROM pets p JOIN owners o ON o.id = p.owner_id AND o.active
  CROSS JOIN json_each('[\"rabies\",\"distemper\",\"bordetella\"]') r
  LEFT JOIN (SELECT pet_id, type, max(expires_on) AS e FROM vaccinations GROUP BY pet_id, type) l
  ON l.pet_id = p.id AND l.type = r.value ORDER BY o.id, p.id, r.value" > "$w/ref-report.csv"
ref=$(elapsed "$start")
start=$(date +%s.%N)
KENNEL_TODAY=2026-11-23 KENNEL_DB="$w/vk.db" /usr/bin/time -f '%M' -o "$w/rss" \
	"$KENNEL" report vaccinations --csv > "$w/report.csv"
ours=$(elapsed "$start")
[ "$(($(wc -l < "$w/report.csv") - 1))" -eq "$(wc -l < "$w/ref-report.csv")" ] || { echo "report rows differ" >&2; exit 1; }
row "report vaccinations, $pets pets (vs sqlite3)" "$ours" "$ref"

# remind vaccinations over those vaccinations: kennel renders and queues one
# message per owner and records each item; the reference is sqlite3 doing
# the same selection and the same two inserts set-based (one row per owner
# with its list as text, one per item), without the mail around it.
vax=$(sqlite3 "$w/vk.db" 'SELECT count(*) FROM vaccinations')
KENNEL_DB="$w/vk.db" "$KENNEL" company set --name "Happy Tails" --email frontdesk@happytails.example >/dev/null
start=$(date +%s.%N)
sqlite3 "$w/vr.db" <<'SQL'
CREATE TABLE ref_outbox (owner_id INTEGER, body TEXT);
CREATE TABLE ref_reminders (item TEXT PRIMARY KEY, owner_id INTEGER) WITHOUT ROWID;
CREATE TEMP TABLE due AS
SELECT owner, pet || ':' || value || ':' || expires_on || ':' || status AS item, name, value,
  expires_on, status FROM (SELECT o.id AS owner, p.id AS pet, p.name, r.value,
  max(v.expires_on) AS expires_on,
  CASE WHEN max(v.expires_on) < '2026-11-23' THEN 'expired' ELSE 'expiring' END AS status
  FROM owners o JOIN pets p ON p.owner_id = o.id
  CROSS JOIN json_each('["rabies","distemper","bordetella"]') r
  JOIN vaccinations v ON v.pet_id = p.id AND v.type = r.value
  WHERE o.active AND NOT o.email_opt_out AND o.email IS NOT NULL
  GROUP BY p.id, r.value) WHERE expires_on <= '2026-12-23';
INSERT INTO ref_outbox SELECT owner, group_concat(name || ' ' || value || ' ' || expires_on
  || ' ' || status, char(10)) FROM due GROUP BY owner;
INSERT INTO ref_reminders SELECT item, owner FROM due;
SQL
ref=$(elapsed "$start")
start=$(date +%s.%N)
KENNEL_TODAY=2026-11-23 KENNEL_DB="$w/vk.db" /usr/bin/time -f '%M' -o "$w/rss" \
	"$KENNEL" -q remind vaccinations --queue-only
ours=$(elapsed "$start")
queued=$(sqlite3 "$w/vk.db" 'SELECT count(*) FROM outbox')
[ "$queued" -eq "$(sqlite3 "$w/vr.db" 'SELECT count(*) FROM ref_outbox')" ] || { echo "remind counts differ" >&2; exit 1; }
row "remind, $vax vaccinations, $queued mails" "$ours" "$ref"
