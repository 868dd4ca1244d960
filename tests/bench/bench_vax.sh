#!/bin/sh
# vax import of about 1,000,000 vaccinations (BENCH_VAX_OWNERS owners, about
# 1.25 pets each, 3 vaccinations a pet) beside sqlite3's .import of the same
# file then INSERT ... SELECT into the same schema; and report vaccinations
# over those pets beside sqlite3 running the equivalent query, in the same run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
owners=${BENCH_VAX_OWNERS:-270000}
w=$BENCH_WORK
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }

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
printf '%-44s %11.2fs %11.2fs %7.2fx %7d KiB\n' "vax import, $rows rows (vs sqlite3 .import)" \
	"$ours" "$ref" "$(ratio "$ours" "$ref")" "$(cat "$w/rss")"

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
printf '%-44s %11.2fs %11.2fs %7.2fx %7d KiB\n' "report vaccinations, $pets pets (vs sqlite3)" \
	"$ours" "$ref" "$(ratio "$ours" "$ref")" "$(cat "$w/rss")"
