# Sourced by the bench_*.sh scripts: timing, and the rows of the one table
# tests/bench/run prints. Peak RSS is read from $BENCH_WORK/rss, where each
# script has /usr/bin/time write it.
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }
# best CMD...: the fastest of three runs of CMD, in seconds
best() {
	b=
	for _ in 1 2 3; do
		t0=$(date +%s.%N)
		"$@" > /dev/null
		t=$(elapsed "$t0")
		b=$(awk -v a="$t" -v b="${b:-$t}" 'BEGIN { print (a < b) ? a : b }')
	done
	echo "$b"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }
# row NAME SECONDS REFERENCE_SECONDS
row() {
	printf '%-44s %11.2fs %11.2fs %7.2fx %7d KiB\n' "$1" "$2" "$3" "$(ratio "$2" "$3")" \
		"$(cat "$BENCH_WORK/rss")"
}
# detail NAME KENNEL REFERENCE: a line of counts under a row
detail() { printf '%-44s %12s %12s\n' "$1" "$2" "$3"; }
# requests_db DB N SEED CAPACITY LAST_START STAYS [END_CAP]: a database of N
# pending one-pet boarding requests (see gen_requests.py), rules relaxed
requests_db() {
	KENNEL_DB="$1" "$KENNEL" init -q
	KENNEL_DB="$1" "$KENNEL" prefs set portal.require_current_vaccinations false
	KENNEL_DB="$1" "$KENNEL" -q capacity set boarding "$4"
	/usr/bin/python3 "$(dirname "$0")/gen_requests.py" "$1" "$2" "$3" "$5" "$6" ${7:+"$7"}
}
# free_port: a TCP port on 127.0.0.1 nobody listens on
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# wait_ready DIR: until a test server writes DIR/ready (10 s at most)
wait_ready() {
	i=0
	while [ ! -e "$1/ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
}
