#!/bin/sh
# The portal (PORTAL.md 7, issues 13 and 14), each figure beside its
# reference in the same run:
#   - the logged-in home page of an owner with 3 pets, 5 notes and a
#     message, in 20,000 owners, under wrk -t2 -c64, beside the ceiling: a
#     libmicrohttpd server of the same threading answering a fixed 2 KiB
#     page (goal: at least half its rate, p99 under 50 ms, no non-2xx);
#   - the same page while kennel owner import writes 100,000 rows, imports
#     back to back (goal: at least 80% of the idle rate, no errors);
#   - logins a second with --threads 2 beside crypto_pwhash_str_verify on
#     the same kind of hash in 2 threads (goal: at least 80%);
#   - peak RSS in a flood of 1,000 concurrent logins (goal: under
#     2 x 64 MiB + 64 MiB), and RSS after 10,000 and after 1,000,000 page
#     views (goal: flat).
# Rates are "higher is better": the ratio printed is kennel / reference.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
w=$BENCH_WORK
. "$here/lib.sh"
secs=${BENCH_WRK_SECONDS:-10}
views=${BENCH_VIEWS:-1000000}
db="$w/portal.db"
k() { KENNEL_DB="$db" "$KENNEL" "$@"; }

cc -O2 -o "$w/ceiling" "$here/ceiling.c" $(pkg-config --cflags --libs libmicrohttpd)
cc -O2 -pthread -o "$w/pwverify" "$here/pwverify.c" $(pkg-config --cflags --libs libsodium)

k init -q --company "Happy Tails" --email frontdesk@happytails.example
port=$(free_port)
k -q company set --phone 555-0100 --portal-url "http://127.0.0.1:$port"
/usr/bin/python3 "$here/gen_owners.py" 20000 > "$w/portal-owners.csv"
k -q owner import "$w/portal-owners.csv"
owner=$(sqlite3 "$db" "SELECT id FROM owners WHERE email IS NOT NULL ORDER BY id LIMIT 1")
k -q creds set "$owner" --username bench --password-stdin <<EOF
a fine password 1
EOF
for pet in Rex Bella Max; do k -q pet add "$owner" --name "$pet"; done
for i in 1 2 3 4 5; do k -q owner note add "$owner" --show-to-owner "Note $i: **bring** the lead" >/dev/null; done
printf 'Welcome to **Happy Tails**: the pool opens in June.\n' | k -q company set --message-file -

# rss PID: VmRSS and VmHWM in KiB
rss() { awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } END { print r, h }' "/proc/$1/status"; }
# wrk_run SECONDS URL ARGS...: requests/s, p99 in ms, non-2xx count, total
# requests
wrk_run() {
	d=$1 u=$2
	shift 2
	wrk -t2 -c64 -d"${d}s" --latency "$@" "$u" > "$w/wrk.out" 2>&1
	awk '
		/Requests\/sec/ { rps = $2 }
		/^ +99%/ { v = $2; if (v ~ /us$/) p = v / 1000; else if (v ~ /ms$/) p = v + 0; else p = v * 1000 }
		/Non-2xx/ { bad = $NF }
		/requests in/ { n = $1 }
		END { printf "%s %.2f %d %d\n", rps, p, bad + 0, n }' "$w/wrk.out"
}

# wrk is one client with 64 (then 1,000) connections: the portal as it runs
# behind a reverse proxy, with no per-client connection limit
KENNEL_DB="$db" "$KENNEL" serve --listen "127.0.0.1:$port" --threads 2 --trust-proxy \
	2> "$w/serve.log" &
serve=$!
i=0
while ! grep -q '^listening' "$w/serve.log" && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
base="http://127.0.0.1:$port"
jar="$w/jar"
# login: the bench owner logs in through the form; sets csrf and session
login() {
	csrf=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | cut -d'"' -f4)
	curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode username=bench \
		--data-urlencode "password=a fine password 1" "$base/login"
	session=$(awk '$6 == "kennel_session" { print $7 }' "$jar")
}
login
pre=$(awk '$6 == "kennel_csrf" { print $7 }' "$jar")
[ -n "$session" ] || { echo "bench: could not log in" >&2; kill "$serve"; exit 1; }
curl -s -b "kennel_session=$session" "$base/" | grep -q 'Note 5' || { echo "bench: no home page" >&2; exit 1; }

# a first second of page views: the RSS to compare the end with
wrk -t2 -c64 -d1s -H "Cookie: kennel_session=$session" "$base/" > "$w/wrk-warm.out" 2>&1
warm_views=$(awk '/requests in/ { print $1 }' "$w/wrk-warm.out")
set -- $(rss "$serve")
rss_warm=$1

# the ceiling, then the page, in the same run
cport=$(free_port)
"$w/ceiling" "$cport" > "$w/ceiling.out" &
ceiling=$!
i=0
while ! grep -q ready "$w/ceiling.out" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
set -- $(wrk_run "$secs" "http://127.0.0.1:$cport/")
c_rps=$1 c_p99=$2
kill "$ceiling"
wal_before=$(stat -c '%s %Y' "$db-wal" 2>/dev/null || echo none)
set -- $(wrk_run "$secs" "$base/" -H "Cookie: kennel_session=$session")
h_rps=$1 h_p99=$2 h_bad=$3 h_n=$4
wal_after=$(stat -c '%s %Y' "$db-wal" 2>/dev/null || echo none)
printf '%-44s %10.0f/s %10.0f/s %7.2fx\n' "portal home page, 20k owners (vs ceiling)" "$h_rps" "$c_rps" "$(ratio "$h_rps" "$c_rps")"
detail "  p99 latency, non-2xx, writes" "${h_p99} ms, $h_bad" "${c_p99} ms"
[ "$wal_before" = "$wal_after" ] && detail "  database written during page views" "no" "" ||
	detail "  database written during page views" "YES" ""

# the same page while imports of 100,000 rows write: one takes well under a
# second here, so they run one after another (each its own new owners) for
# about $secs seconds, and only the one-second windows that end while an
# import still writes are counted (a window that outlives the last import
# would count idle time)
/usr/bin/python3 "$here/gen_owners.py" 100000 > "$w/portal-import.csv"
for i in $(seq 1 "$secs"); do
	sed "2,\$ s/^C/I$i-/; s/@/+imp$i@/" "$w/portal-import.csv" > "$w/portal-import-$i.csv"
done
(for i in $(seq 1 "$secs"); do k -q owner import "$w/portal-import-$i.csv"; done) &
importer=$!
n_imp=0 t_imp=0 i_bad=0 i_p99=0
while kill -0 "$importer" 2>/dev/null; do
	set -- $(wrk_run 1 "$base/" -H "Cookie: kennel_session=$session")
	kill -0 "$importer" 2>/dev/null || break
	n_imp=$((n_imp + $4)) t_imp=$((t_imp + 1)) i_bad=$((i_bad + $3))
	i_p99=$(awk -v a="$i_p99" -v b="$2" 'BEGIN { print (b > a ? b : a) }')
done
wait "$importer"
imported=$(sqlite3 "$db" "SELECT count(*) FROM owners WHERE external_id LIKE 'I%'")
[ "$imported" -eq $((secs * 100000)) ] || { echo "the imports wrote $imported owners" >&2; exit 1; }
[ "$t_imp" -gt 0 ] || { echo "no window ended while an import wrote" >&2; exit 1; }
i_rps=$(awk -v n="$n_imp" -v t="$t_imp" 'BEGIN { print n / t }')
printf '%-44s %10.0f/s %10.0f/s %7.2fx\n' "home page during 100k-row imports (vs idle)" "$i_rps" "$h_rps" "$(ratio "$i_rps" "$h_rps")"
detail "  worst p99 of ${t_imp} 1 s windows, non-2xx" "${i_p99} ms, $i_bad" ""

# post_script FILE USERNAME PASSWORD: a wrk script posting the login form
post_script() {
	cat > "$1" <<EOF
wrk.method = "POST"
wrk.body = "csrf=$csrf&username=$2&password=$3"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "kennel_csrf=$pre"
EOF
}

# logins a second with --threads 2, beside the raw verification rate
post_script "$w/login.lua" bench "a+fine+password+1"
raw=$("$w/pwverify" 2 "$secs")
wrk -t2 -c4 -d"${secs}s" -s "$w/login.lua" "$base/login" > "$w/wrk-login.out" 2>&1
l_rps=$(awk '/Requests\/sec/ { print $2 }' "$w/wrk-login.out")
l_bad=$(awk '/Non-2xx/ { print $NF }' "$w/wrk-login.out")
printf '%-44s %10.1f/s %10.1f/s %7.2fx\n' "logins, --threads 2 (vs raw argon2id verify)" "$l_rps" "$raw" "$(ratio "$l_rps" "$raw")"
detail "  non-2xx/3xx answers (303 is success)" "${l_bad:-0}" ""

# RSS after 10,000 and after 1,000,000 page views
k -q portal logout --all
login
done_views=0
while [ "$done_views" -lt "$views" ]; do
	wrk -t2 -c64 -d10s -H "Cookie: kennel_session=$session" "$base/" > "$w/wrk-views.out" 2>&1
	done_views=$((done_views + $(awk '/requests in/ { print $1 }' "$w/wrk-views.out")))
done
set -- $(rss "$serve")
detail "RSS after ${warm_views} / ${done_views} more views" "${rss_warm} KiB" "$1 KiB"
# a flood of 1,000 concurrent logins: bounded memory, quick answers
post_script "$w/flood.lua" nobody guess
ulimit -n 4096 2>/dev/null || true
# the peak of the flood alone: 5 resets VmHWM to the RSS of now
echo 5 > "/proc/$serve/clear_refs"
wrk -t2 -c1000 -d5s --timeout 10s -s "$w/flood.lua" "$base/login" > "$w/wrk-flood.out" 2>&1 || true
set -- $(rss "$serve")
flood_hwm=$2
limit=$((2 * 65536 + 65536))
detail "peak RSS, 1,000 concurrent logins" "${flood_hwm} KiB" "< ${limit} KiB"
detail "  answered in the flood (requests, errors)" "$(awk '/requests in/ { print $1 }' "$w/wrk-flood.out")" \
	"$(awk '/Socket errors/ { print $0 }' "$w/wrk-flood.out" | tr -s ' ' | cut -c1-40)"

kill -TERM "$serve"
wait "$serve"
