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
init_db() {
	kennel init -q --company "Happy Tails" --email frontdesk@happytails.example
}

sql() {
	sqlite3 "$KENNEL_DB" "$@"
}

# Writes stdin to a file, turning a literal \r into CR where asked.
csv() {
	cat > "$1"
}
