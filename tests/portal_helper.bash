# The portal under test: kennel serve on a free port of 127.0.0.1, curl
# with a cookie jar, and the mail it queues delivered into $MAIL_DIR.

free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A database with one owner, ann (password "a fine password 1"), and the
# portal's mail going to files.
portal_db() {
	init_db
	PORT=$(free_port)
	URL="http://127.0.0.1:$PORT"
	kennel -q company set --portal-url "$URL"
	MAIL_DIR="$BATS_TEST_TMPDIR/mail"
	kennel -q prefs set mail.url "file://$MAIL_DIR"
	kennel -q owner add --first Ann --last Lee --email ann@example.com
	kennel -q creds set 1 --username ann --password-stdin <<< "a fine password 1"
}

# start_portal [serve options...]: sets PORT, URL, SERVE_PID, SERVE_LOG
start_portal() {
	[ -n "${PORT:-}" ] || PORT=$(free_port)
	URL="http://127.0.0.1:$PORT"
	SERVE_LOG="$BATS_TEST_TMPDIR/serve.log"
	: > "$SERVE_LOG"
	"$KENNEL" serve --listen "127.0.0.1:$PORT" "$@" 2>>"$SERVE_LOG" 3>&- &
	SERVE_PID=$!
	for _ in $(seq 1 200); do
		grep -q '^listening on ' "$SERVE_LOG" && return 0
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$SERVE_LOG" >&2
	echo "kennel serve did not start" >&2
	return 1
}

# stop_portal: SIGTERM, and the exit status must be 0
stop_portal() {
	[ -n "${SERVE_PID:-}" ] || return 0
	kill -TERM "$SERVE_PID" 2>/dev/null || true
	local rc=0
	wait "$SERVE_PID" || rc=$?
	SERVE_PID=
	return "$rc"
}

teardown() {
	if [ -n "${SERVE_PID:-}" ]; then
		kill -KILL "$SERVE_PID" 2>/dev/null || true
		wait "$SERVE_PID" 2>/dev/null || true
	fi
	[ -z "${BAD_PID:-}" ] || kill "$BAD_PID" 2>/dev/null || true
	stop_sink
}

JAR() { echo "$BATS_TEST_TMPDIR/${1:-jar}.txt"; }

# get PATH [jar]: the page's body on stdout
get() {
	curl -s -c "$(JAR "${2:-}")" -b "$(JAR "${2:-}")" "$URL$1"
}

# csrf_of PATH [jar]: the csrf field of the form on that page
csrf_of() {
	get "$1" "${2:-}" | grep -o 'name="csrf" value="[^"]*"' | head -1 | cut -d'"' -f4
}

# post PATH JAR field=value...: writes headers to $BATS_TEST_TMPDIR/h.txt,
# the body to b.txt, prints the status
post() {
	local path=$1 jar=$2
	shift 2
	local args=()
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	curl -s -o "$BATS_TEST_TMPDIR/b.txt" -D "$BATS_TEST_TMPDIR/h.txt" -w '%{http_code}' \
		-c "$(JAR "$jar")" -b "$(JAR "$jar")" "${args[@]}" "$URL$path"
}

# login USER PASSWORD [jar]: prints the status of POST /login
login() {
	local jar=${3:-}
	local token
	token=$(csrf_of /login "$jar")
	post /login "$jar" "csrf=$token" "username=$1" "password=$2"
}

header() {
	grep -i "^$1:" "$BATS_TEST_TMPDIR/h.txt" | head -1 | cut -d' ' -f2- | tr -d '\r'
}

# the last mail delivered to an address, whole
mail_to() {
	local f
	f=$(grep -l "^To: $1" "$MAIL_DIR"/*.eml 2>/dev/null | sort | tail -1)
	[ -n "$f" ] && cat "$f"
}

# waits for the background mailer to deliver N messages in all
wait_mail() {
	for _ in $(seq 1 100); do
		[ "$(ls "$MAIL_DIR"/*.eml 2>/dev/null | wc -l)" -ge "$1" ] && return 0
		sleep 0.05
	done
	echo "expected $1 mail(s) in $MAIL_DIR" >&2
	ls -la "$MAIL_DIR" >&2 || true
	return 1
}

# the decoded body of the last mail to an address
mail_body() {
	local f
	f=$(grep -l "^To: $1" "$MAIL_DIR"/*.eml 2>/dev/null | sort | tail -1)
	[ -n "$f" ] || return 1
	/usr/bin/python3 -c 'import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
print(m.get_payload(decode=True).decode("utf-8"))' "$f"
}

# the first link to this portal in the last mail to an address
mail_link() {
	mail_body "$1" | grep -o "http://127.0.0.1:$PORT/[^ ]*" | head -1
}
