# Shared by every bats file: a private HOME and database per test, a fixed
# "today", and kennel on PATH as the binary under test.
bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

TESTS_DIR=$(cd "$(dirname "$BATS_TEST_FILENAME")" && pwd)
ROOT=$(cd "$TESTS_DIR/.." && pwd)
SAMPLE="$ROOT/share/kennel/sample"

setup() {
	export HOME="$BATS_TEST_TMPDIR/home"
	mkdir -p "$HOME"
	unset XDG_DATA_HOME KENNEL_NOW
	export KENNEL_DB="$BATS_TEST_TMPDIR/kennel.db"
	export KENNEL_TODAY=2026-11-23
	export KENNEL_ACTOR=tester
	export NO_COLOR=1
	cd "$BATS_TEST_TMPDIR"
}

kennel() {
	"$KENNEL" "$@"
}

# A database with the company set, for tests that need one.
# The phone and portal URL too: a blast of portal-launch refuses to send
# mail with either left empty.
init_db() {
	kennel init -q --company "Happy Tails" --email frontdesk@happytails.example
	kennel -q company set --phone 555-0100 --portal-url https://happytails.example/portal
}

sql() {
	sqlite3 "$KENNEL_DB" "$@"
}

# wait_until CMD...: runs CMD until it succeeds, 15 s at most; for "the
# other process is ready" as a condition, never as a guess of how long.
wait_until() {
	for _ in $(seq 1 300); do
		"$@" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "still not true after 15 s: $*" >&2
	return 1
}

# db_locked: another connection holds the database's write lock
db_locked() {
	! sqlite3 -cmd '.timeout 1' "$KENNEL_DB" 'BEGIN IMMEDIATE; ROLLBACK;' >/dev/null 2>&1
}

# sql_is VALUE SQL: the query's answer is VALUE
sql_is() {
	[ "$(sql "$2")" = "$1" ]
}

# connected N: at least N clients are connected to the portal on $PORT
connected() {
	[ "$(ss -Htn state established "( sport = :$PORT )" | wc -l)" -ge "$1" ]
}

# Writes stdin to a file, turning a literal \r into CR where asked.
csv() {
	cat > "$1"
}

# A real SMTP server on 127.0.0.1 (tests/smtp_sink.py over aiosmtpd);
# received messages land in $SINK_DIR.
start_sink() {
	SINK_DIR="$BATS_TEST_TMPDIR/sink"
	SINK_PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	rm -f "$SINK_DIR/ready"
	/usr/bin/python3 "$TESTS_DIR/smtp_sink.py" "$SINK_PORT" "$SINK_DIR" "$@" 3>&- &
	SINK_PID=$!
	for _ in $(seq 1 100); do
		[ -e "$SINK_DIR/ready" ] && return 0
		sleep 0.05
	done
	echo "the SMTP sink did not start" >&2
	return 1
}

stop_sink() {
	if [ -n "${SINK_PID:-}" ]; then
		kill "$SINK_PID" 2>/dev/null || true
		wait "$SINK_PID" 2>/dev/null || true
	fi
	SINK_PID=
	return 0
}

teardown() {
	stop_sink
}

# owners from "first,last,email" lines on stdin
owners() {
	{ echo "first_name,last_name,email"; cat; } > owners-in.csv
	kennel -q owner import owners-in.csv
}

# SQL that takes away what schema 17 (money) added, for the upgrade tests
# that rebuild an older database: the orders table keeps its columns, and
# migration 17 rebuilds it from them.
DROP_MONEY="DROP TABLE payment_applications; DROP TABLE payments; DROP TABLE upgrade_notes; DROP TABLE statements_sent; DROP INDEX orders_due; DROP INDEX orders_checked_out; ALTER TABLE company DROP COLUMN pay_url; ALTER TABLE order_items DROP COLUMN deposit_of;"

# and what schema 19 (series) added
# Schema 21's waitlist, gone: what a database before it lacks (the
# requests table's CHECK without 'waitlisted' does not matter to it).
# Schema 22's vet papers, gone.
DROP_PAPERS="DROP TABLE pet_papers;"
DROP_WAITLIST="$DROP_PAPERS DROP TABLE waitlist_offers; DROP INDEX requests_waitlisted;"
DROP_SERIES="$DROP_WAITLIST DROP INDEX requests_replaces; ALTER TABLE requests DROP COLUMN replaces_id; DROP INDEX requests_series_day; ALTER TABLE requests DROP COLUMN series_id; ALTER TABLE requests DROP COLUMN product_id; DROP TABLE series_pets; DROP TABLE series;"

# The schema version this kennel creates.
latest_schema() {
	"$KENNEL" init -q --db "$BATS_TEST_TMPDIR/latest-schema.db" &&
		sqlite3 "$BATS_TEST_TMPDIR/latest-schema.db" 'PRAGMA user_version'
}

# start_bad MODE [SECONDS]: tests/bad_smtp.py, a server of ours that
# misbehaves on purpose, as the database's mail server; BAD_PID, BAD_DIR
start_bad() {
	BAD_DIR="$BATS_TEST_TMPDIR/bad"
	BAD_PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	/usr/bin/python3 "$TESTS_DIR/bad_smtp.py" "$BAD_PORT" "$BAD_DIR" "$@" 3>&- &
	BAD_PID=$!
	wait_until test -e "$BAD_DIR/ready"
	kennel -q prefs set mail.url "smtp://127.0.0.1:$BAD_PORT"
	kennel -q prefs set mail.starttls off
}
