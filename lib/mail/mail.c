/*
 * Delivering the outbox: into a folder (file://) or over SMTP with libcurl.
 *
 * Messages are claimed in batches (status 'sending') in one short
 * transaction, each claim naming the run that made it (its pid and the
 * time the process started).  Each result is written the moment the server
 * answers, message by message, so what a server accepted is recorded as
 * sent before anything else could take it up again.  A claim is taken back
 * only when the run that made it is no longer alive, never by age: a slow
 * relay or a changed clock cannot make a second run resend it, and a kill
 * -9 duplicates at most the messages on the wire.  A 4xx answer to a
 * message is retried later with backoff; a 5xx answer fails it for good; a
 * server that refuses the session (421, a dropped connection, a stall) ends
 * the run with everything else still queued.
 */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mail/kn_mail.h"

#define BATCH 100
/* Connections at once: an SMTP exchange is mostly waiting for the server's
 * answers, and four conversations keep a server busy where one leaves it
 * idle between round trips (measured in tests/bench/bench_blast.sh). */
#define PARALLEL 4
/* how long a run waits for the database to take a result it must record */
#define RECORD_PATIENCE_MS (10 * 60 * 1000)

struct outgoing {
	long long id;
	int attempts;
	char *to, *raw;
	size_t raw_len, sent_pos;
	int done;         /* tried, and its result written (or attempted) */
	enum { SENT, DEFERRED, FAILED } result;
	char error[256];
};

struct recorder;
struct outgoing;
static kn_status record_one(struct recorder *r, struct outgoing *m);

struct transport {
	int is_file;
	char *dir;        /* file:// */
	/* smtp:// and smtps://: a thread per connection.  libcurl's multi
	 * interface waits for the answer to the end of a message's data in a
	 * blocking poll (SMTP's DONE state), so its transfers ran one after
	 * another: 8 messages at 0.5 s took 4 s over four connections. */
	int smtp;
	pthread_mutex_t lock; /* the database handle and everything below */
	CURL *curl[PARALLEL]; /* each reused, keeping its connection open */
	char *url, *from, *ca_file;
	long starttls;
	int unreachable;  /* stop the run: the server cannot be reached or refuses */
	int refused;      /* stop the run: the server refuses our settings */
	int stopped;      /* stop the run: a result could not be written */
	int (*should_stop)(void *);  /* the caller's: end after this message */
	void *stop_ud;
	struct recorder *rec;
	char stop_why[256];  /* why the run stopped */
};

static kn_status transport_open(struct kn_db *db, struct transport *t, const char *user,
                                const char *password, struct kn_err *err)
{
	char *url = NULL, *tls = NULL;
	kn_status s;

	memset(t, 0, sizeof *t);
	char *timeout = NULL;
	if ((s = kn_pref_get(db, "mail.timeout", &timeout, NULL, err)) != KN_OK)
		return s;
	long seconds = strtol(timeout, NULL, 10);
	free(timeout);
	if ((s = kn_pref_get(db, "mail.url", &url, NULL, err)) != KN_OK ||
	    (s = kn_pref_get(db, "mail.from", &t->from, NULL, err)) != KN_OK ||
	    (s = kn_pref_get(db, "mail.starttls", &tls, NULL, err)) != KN_OK ||
	    (s = kn_pref_get(db, "mail.ca_file", &t->ca_file, NULL, err)) != KN_OK)
		goto done;
	if (strncmp(url, "file://", 7) == 0) {
		t->is_file = 1;
		t->dir = kn_xstrdup(url + 7);
		if (mkdir(t->dir, 0700) != 0 && errno != EEXIST)
			s = kn_err_set(err, KN_FAIL, "cannot create mail folder '%s': %s", t->dir,
			               strerror(errno));
		goto done;
	}
	if (t->from[0] == '\0') {
		s = kn_err_set(err, KN_FAIL, "no sender address: set 'kennel prefs set mail.from'");
		goto done;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	t->url = url;
	url = NULL;
	t->starttls = strcmp(tls, "off") == 0 ? CURLUSESSL_NONE
	              : strcmp(tls, "required") == 0 ? CURLUSESSL_ALL : CURLUSESSL_TRY;
	/* a password never crosses a connection without TLS: with credentials,
	 * try means required, and off is refused */
	if (user && *user && strncmp(t->url, "smtps://", 8) != 0) {
		if (t->starttls == CURLUSESSL_NONE) {
			s = kn_err_set(err, KN_FAIL, "refusing to send KENNEL_SMTP_PASSWORD without TLS: "
			               "set mail.starttls to required, or use smtps:// in mail.url; the "
			               "messages stay queued");
			goto done;
		}
		t->starttls = CURLUSESSL_ALL;
	}
	t->smtp = 1;
	pthread_mutex_init(&t->lock, NULL);
	char envelope[300];
	snprintf(envelope, sizeof envelope, "<%s>", t->from);
	for (int i = 0; i < PARALLEL; i++) {
		CURL *c = t->curl[i] = curl_easy_init();
		if (c == NULL) {
			s = kn_err_set(err, KN_FAIL, "cannot start libcurl");
			goto done;
		}
		curl_easy_setopt(c, CURLOPT_URL, t->url);
		/* NOSIGNAL and NODELAY: a bulk sender's round trips are its speed */
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, seconds > 0 ? seconds : 120L);
		/* the answer to each command too, QUIT at the end included: a
		 * stalled server would otherwise hold the run two minutes more */
		curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, seconds > 0 ? seconds : 120L);
		curl_easy_setopt(c, CURLOPT_USE_SSL, t->starttls);
		if (t->ca_file[0])
			curl_easy_setopt(c, CURLOPT_CAINFO, t->ca_file);
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_MAIL_FROM, envelope);
		if (user && *user) {
			curl_easy_setopt(c, CURLOPT_USERNAME, user);
			curl_easy_setopt(c, CURLOPT_PASSWORD, password ? password : "");
		}
	}
done:
	free(url);
	free(tls);
	return s;
}

static void transport_close(struct transport *t)
{
	for (int i = 0; i < PARALLEL; i++) {
		if (t->curl[i] == NULL)
			continue;
		/* a server that stalled or refused gets no polite QUIT: each would
		 * wait the whole timeout for an answer, one connection after
		 * another */
		curl_socket_t sock;
		if (t->unreachable &&
		    curl_easy_getinfo(t->curl[i], CURLINFO_ACTIVESOCKET, &sock) == CURLE_OK &&
		    sock != CURL_SOCKET_BAD)
			shutdown(sock, SHUT_RDWR);
		curl_easy_cleanup(t->curl[i]);
	}
	if (t->smtp) {
		pthread_mutex_destroy(&t->lock);
		curl_global_cleanup();
	}
	free(t->dir);
	free(t->url);
	free(t->from);
	free(t->ca_file);
}

static size_t read_body(char *buf, size_t size, size_t nmemb, void *ud)
{
	struct outgoing *m = ud;
	size_t room = size * nmemb, left = m->raw_len - m->sent_pos;
	size_t n = left < room ? left : room;
	memcpy(buf, m->raw + m->sent_pos, n);
	m->sent_pos += n;
	return n;
}

static void deliver_file(struct transport *t, struct outgoing *m)
{
	char path[4200], tmp[4300];
	snprintf(path, sizeof path, "%s/%06lld.eml", t->dir, m->id);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	/* write then rename: a reader of the folder never sees half a message */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, m->raw, m->raw_len) != (ssize_t)m->raw_len || close(fd) != 0 ||
	    rename(tmp, path) != 0) {
		m->result = DEFERRED;
		snprintf(m->error, sizeof m->error, "writing message %lld: %s", m->id, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
	} else {
		m->result = SENT;
	}
	m->done = 1;
	if (record_one(t->rec, m) != KN_OK)
		t->stopped = 1;
}

/* One message over connection h (kept open for the next). */
static CURLcode smtp_send(struct transport *t, int h, struct outgoing *m)
{
	CURL *c = t->curl[h];
	char to[300];

	snprintf(to, sizeof to, "<%s>", m->to);
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	m->sent_pos = 0;
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
	curl_easy_setopt(c, CURLOPT_READDATA, m);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)m->raw_len);
	CURLcode rc = curl_easy_perform(c);
	curl_slist_free_all(rcpt);
	return rc;
}

/* A session the server refuses for our settings (TLS, certificate, login):
 * no message is at fault, so none is marked tried, and the run stops.
 * Returns what to fix, or NULL when the failure is not of that kind. */
static const char *settings_refused(CURLcode rc, long code)
{
	if (code == 530) /* authentication required */
		return "it wants AUTH: set KENNEL_SMTP_USER and KENNEL_SMTP_PASSWORD";
	if (rc == CURLE_LOGIN_DENIED || code == 535)
		return "check KENNEL_SMTP_USER and KENNEL_SMTP_PASSWORD";
	if (rc == CURLE_USE_SSL_FAILED)
		return "it offers no STARTTLS and mail.starttls is required";
	if (rc == CURLE_PEER_FAILED_VERIFICATION)
		return "its certificate is not trusted: see mail.ca_file";
	if (rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_SSL_CACERT_BADFILE ||
	    rc == CURLE_SSL_CERTPROBLEM)
		return "see mail.url, mail.starttls and mail.ca_file";
	return NULL;
}

static void smtp_result(struct transport *t, CURL *c, struct outgoing *m, CURLcode rc)
{
	long code = 0;

	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK) {
		m->result = SENT;
		return;
	}
	const char *hint = settings_refused(rc, code);
	if (hint) {
		m->result = DEFERRED;
		m->error[0] = '\0';
		if (!t->refused)
			snprintf(t->stop_why, sizeof t->stop_why, "%s: %s (%s)", t->url,
			         curl_easy_strerror(rc), hint);
		t->refused = 1;
		return;
	}
	if (code >= 500) {
		m->result = FAILED;
		snprintf(m->error, sizeof m->error, "server answered %ld: %s", code,
		         curl_easy_strerror(rc));
		return;
	}
	m->result = DEFERRED;
	if (code >= 400)
		snprintf(m->error, sizeof m->error, "server answered %ld (try again later)", code);
	else
		snprintf(m->error, sizeof m->error, "%s", curl_easy_strerror(rc));
	/* the server, not this message: no connection, a 421 (closing the
	 * session), a connection dropped or a stall past the timeout.  Trying
	 * the others would only cost a timeout each: the run stops, exit 75 */
	if (code == 421 || (code < 400 && (rc == CURLE_COULDNT_CONNECT ||
	                                 rc == CURLE_COULDNT_RESOLVE_HOST ||
	                                 rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_RECV_ERROR ||
	                                 rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING ||
	                                 rc == CURLE_WEIRD_SERVER_REPLY))) {
		if (!t->unreachable)
			snprintf(t->stop_why, sizeof t->stop_why, "%.100s: %.140s", t->url, m->error);
		t->unreachable = 1;
	}
}

/* Delivers a batch over up to PARALLEL connections, a thread each; each
 * takes the next message when it is done with one.  Messages not started
 * because the run stopped stay DEFERRED with no error: not tried. */
struct sender {
	struct transport *t;
	struct outgoing *b;
	int n, next, h;
	long rate;
	int *next_shared;
};

static void *send_loop(void *arg)
{
	struct sender *sd = arg;
	struct transport *t = sd->t;

	for (;;) {
		pthread_mutex_lock(&t->lock);
		struct outgoing *m = NULL;
		if (*sd->next_shared < sd->n && !t->unreachable && !t->refused && !t->stopped &&
		    !(t->should_stop && t->should_stop(t->stop_ud)))
			m = &sd->b[(*sd->next_shared)++];
		pthread_mutex_unlock(&t->lock);
		if (m == NULL)
			break;
		CURLcode rc = smtp_send(t, sd->h, m);
		pthread_mutex_lock(&t->lock);
		smtp_result(t, t->curl[sd->h], m, rc);
		m->done = 1;
		/* written now, before this connection takes another: what the
		 * server accepted is on record before anything could send it again */
		if (record_one(t->rec, m) != KN_OK)
			t->stopped = 1;
		pthread_mutex_unlock(&t->lock);
		if (sd->rate > 0)
			usleep((useconds_t)(60000000L / sd->rate));
	}
	return NULL;
}

static void deliver_smtp_batch(struct transport *t, struct outgoing *b, int n, long rate)
{
	struct sender sd[PARALLEL];
	pthread_t th[PARALLEL];
	int next = 0, threads = rate > 0 ? 1 : PARALLEL; /* a rate: one message at a time */

	for (int i = 0; i < n; i++)
		b[i].result = DEFERRED;
	for (int h = 0; h < threads; h++) {
		sd[h] = (struct sender){ .t = t, .b = b, .n = n, .h = h, .rate = rate,
		                         .next_shared = &next };
		if (pthread_create(&th[h], NULL, send_loop, &sd[h]) != 0) {
			threads = h; /* fewer connections, still every message */
			break;
		}
	}
	if (threads == 0)
		send_loop(&sd[0]);
	for (int h = 0; h < threads; h++)
		pthread_join(th[h], NULL);
}

static void free_batch(struct outgoing *b, int n)
{
	for (int i = 0; i < n; i++) {
		free(b[i].to);
		free(b[i].raw);
	}
}

/* Takes up to BATCH due messages for this run. */
static kn_status claim(struct kn_db *db, const char *now, const char *run_id, long long limit,
                       struct outgoing *b, int *n, struct kn_err *err)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	kn_status s;

	*n = 0;
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	s = kn_prepare(db, "SELECT id, attempts, to_addr, raw FROM outbox WHERE status = 'queued'"
	                   " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?",
	               &sel, err);
	if (s == KN_OK)
		s = kn_prepare(db, "UPDATE outbox SET status = 'sending', claimed_at = ?,"
		                   " claimed_by = ?3 WHERE id = ?2", &upd, err);
	if (s == KN_OK) {
		sqlite3_bind_text(sel, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_int64(sel, 2, limit < BATCH ? limit : BATCH);
		while (sqlite3_step(sel) == SQLITE_ROW) {
			struct outgoing *m = &b[(*n)++];
			memset(m, 0, sizeof *m);
			m->id = sqlite3_column_int64(sel, 0);
			m->attempts = sqlite3_column_int(sel, 1);
			m->to = kn_xstrdup(kn_col_text(sel, 2));
			m->raw_len = (size_t)sqlite3_column_bytes(sel, 3);
			m->raw = kn_xmalloc(m->raw_len + 1);
			memcpy(m->raw, sqlite3_column_blob(sel, 3), m->raw_len);
			sqlite3_bind_text(upd, 1, now, -1, SQLITE_STATIC);
			sqlite3_bind_int64(upd, 2, m->id);
			sqlite3_bind_text(upd, 3, run_id, -1, SQLITE_STATIC);
			if (sqlite3_step(upd) != SQLITE_DONE)
				s = kn_sql_fail(db, err, "claiming mail");
			sqlite3_reset(upd);
		}
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	if (s == KN_OK)
		return kn_tx_commit(db, err);
	kn_tx_rollback(db);
	return s;
}

struct recorder {
	struct kn_db *db;
	const char *now, *run_id;
	struct kn_send_summary *sum;
	struct kn_err *err;
};

/* One message's result, written at once.  A locked database is waited for
 * (the busy timeout, then again, for about a minute); if the write still
 * fails the run stops sending, and the claim stays this run's. */
static kn_status record_one(struct recorder *r, struct outgoing *m)
{
	char next[20];
	sqlite3_stmt *st;
	kn_status s;
	int tried = m->result != DEFERRED || m->error[0] != '\0';

	if (m->result == SENT)
		r->sum->sent++;
	else if (m->result == FAILED)
		r->sum->failed++;
	else if (tried)
		r->sum->deferred++;
	/* backoff: 1, 2, 4 ... minutes, at most about eight hours */
	long long minutes = 1LL << (m->attempts < 9 ? m->attempts : 9);
	kn_time_add_seconds(r->now, minutes * 60, next);
	if ((s = kn_cached(r->db, "UPDATE outbox SET status = ?1, attempts = attempts + ?2,"
	                          " sent_at = ?3, next_attempt_at = ?4, last_error = ?5,"
	                          " claimed_at = NULL, claimed_by = NULL,"
	                          /* a reset link stays only until it is sent or fails
	                           * for good */
	                          " raw = CASE WHEN secret AND ?1 <> 'queued'"
	                          "   THEN substr(raw, 1, instr(raw, char(13, 10, 13, 10)) + 3)"
	                          "     || '[body removed: it held a single-use link]' ELSE raw END,"
	                          " secret = CASE WHEN ?1 <> 'queued' THEN 0 ELSE secret END"
	                          " WHERE id = ?6 AND claimed_by = ?7", &st, r->err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, m->result == SENT ? "sent" : m->result == FAILED ? "failed"
	                                                                          : "queued",
	                  -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, tried);
	if (m->result == SENT)
		sqlite3_bind_text(st, 3, r->now, -1, SQLITE_STATIC);
	if (m->result == DEFERRED && tried)
		sqlite3_bind_text(st, 4, next, -1, SQLITE_TRANSIENT);
	kn_bind_text(st, 5, m->error);
	sqlite3_bind_int64(st, 6, m->id);
	sqlite3_bind_text(st, 7, r->run_id, -1, SQLITE_STATIC);
	/* what the server accepted must be on record before this run ends, or
	 * the next run sends it again: a locked database or a full disk is
	 * waited out (no new message goes meanwhile), for up to ten minutes */
	int rc = SQLITE_BUSY, waited = 0;
	for (int pause = 250;; pause = pause < 8000 ? pause * 2 : 8000) {
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		int code = rc & 0xff;
		if ((code != SQLITE_BUSY && code != SQLITE_LOCKED && code != SQLITE_FULL &&
		     code != SQLITE_IOERR) || waited >= RECORD_PATIENCE_MS)
			break;
		sqlite3_sleep(pause);
		waited += pause;
	}
	if (rc != SQLITE_DONE)
		return kn_err_set(r->err, KN_TEMPFAIL, "recording the delivery of message %lld: %s "
		                  "(it stays claimed by this run; the next run takes it up)", m->id,
		                  sqlite3_errmsg(r->db->h));
	return KN_OK;
}

/* "pid:start" of a process (empty when there is none): a claim names the
 * run that made it, and a pid reused by another process has another start
 * time (field 22 of /proc/PID/stat, counted after the command's ')'). */
static void run_id_of(long pid, char out[64])
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	out[0] = '\0';
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	char *p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	snprintf(out, 64, "%ld:%llu", pid, p ? strtoull(p + 1, NULL, 10) : 0ULL);
}

static void this_run(char out[64])
{
	run_id_of((long)getpid(), out);
}

static int run_alive(const char *run_id)
{
	char now[64];
	long pid = strtol(run_id, NULL, 10);

	if (pid <= 0)
		return 0;
	run_id_of(pid, now);
	return strcmp(now, run_id) == 0;
}

/* Claims of runs that are gone go back to the queue; a live run's claim is
 * never taken, however old. */
static kn_status take_back_dead_claims(struct kn_db *db, const char *now, struct kn_err *err)
{
	sqlite3_stmt *sel, *upd;
	char stale[20];
	kn_status s = kn_prepare(db, "SELECT id, claimed_by, claimed_at FROM outbox"
	                             " WHERE status = 'sending'", &sel, err);
	if (s != KN_OK)
		return s;
	if ((s = kn_prepare(db, "UPDATE outbox SET status = 'queued', claimed_at = NULL,"
	                        " claimed_by = NULL WHERE id = ? AND status = 'sending'", &upd,
	                    err)) != KN_OK) {
		sqlite3_finalize(sel);
		return s;
	}
	/* a claim from before claims named their run: ten minutes, as then */
	kn_time_add_seconds(now, -600, stale);
	while (s == KN_OK && sqlite3_step(sel) == SQLITE_ROW) {
		const char *by = kn_col_text(sel, 1), *at = kn_col_text(sel, 2);
		int dead = by ? !run_alive(by) : (at == NULL || strcmp(at, stale) <= 0);
		if (!dead)
			continue;
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
		if (sqlite3_step(upd) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "taking back the claims of a run that is gone");
		sqlite3_reset(upd);
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return s;
}

/* The claimed messages this run never started go back to the queue now. */
static kn_status release_untried(struct recorder *r, struct outgoing *b, int n)
{
	sqlite3_stmt *st;
	kn_status s = kn_cached(r->db, "UPDATE outbox SET status = 'queued', claimed_at = NULL,"
	                               " claimed_by = NULL WHERE id = ? AND claimed_by = ?", &st,
	                        r->err);
	for (int i = 0; s == KN_OK && i < n; i++) {
		if (b[i].done)
			continue;
		sqlite3_bind_int64(st, 1, b[i].id);
		sqlite3_bind_text(st, 2, r->run_id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(r->db, r->err, "putting untried mail back in the queue");
		sqlite3_reset(st);
	}
	return s;
}

/* --dry-run: how many messages a real run would try now */
static kn_status count_due(struct kn_db *db, long long limit, long long *due,
                           struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	kn_status s = kn_prepare(db, "SELECT count(*) FROM outbox WHERE status = 'queued'"
	                             " AND (next_attempt_at IS NULL OR next_attempt_at <= ?)", &st, err);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*due = sqlite3_column_int64(st, 0);
	else
		s = kn_sql_fail(db, err, "counting queued mail");
	sqlite3_finalize(st);
	if (limit > 0 && *due > limit)
		*due = limit;
	return s;
}

kn_status kn_mail_send(struct kn_db *db, const struct kn_send_options *o,
                       struct kn_send_summary *sum, struct kn_err *err)
{
	struct transport t;
	struct outgoing *batch = kn_xcalloc(BATCH, sizeof *batch);
	char now[20];
	long long limit = o->limit > 0 ? o->limit : -1;
	char *rate_text = NULL;
	kn_status s;

	memset(sum, 0, sizeof *sum);
	if (kn_db_dry_run(db)) {
		free(batch);
		return count_due(db, o->limit, &sum->due, err);
	}
	if ((s = transport_open(db, &t, o->smtp_user, o->smtp_password, err)) != KN_OK) {
		free(batch);
		transport_close(&t);
		return s;
	}
	if ((s = kn_pref_get(db, "mail.rate", &rate_text, NULL, err)) != KN_OK)
		goto done;
	long rate = strtol(rate_text, NULL, 10);
	kn_now_text(now);
	char run_id[64];
	this_run(run_id);
	struct recorder rec = { .db = db, .now = now, .run_id = run_id, .sum = sum, .err = err };
	t.rec = &rec;
	t.should_stop = o->should_stop;
	t.stop_ud = o->stop_ud;
	if ((s = take_back_dead_claims(db, now, err)) != KN_OK)
		goto done;
	while (limit != 0 && !t.unreachable && !t.refused && !t.stopped &&
	       !(t.should_stop && t.should_stop(t.stop_ud))) {
		int n;
		if ((s = claim(db, now, run_id, limit < 0 ? BATCH : limit, batch, &n, err)) != KN_OK)
			goto done;
		if (n == 0)
			break;
		for (int i = 0; i < n; i++)
			batch[i].done = 0;
		if (t.is_file)
			for (int i = 0; i < n && !t.stopped &&
			                !(t.should_stop && t.should_stop(t.stop_ud)); i++)
				deliver_file(&t, &batch[i]);
		else
			deliver_smtp_batch(&t, batch, n, rate);
		if (!t.stopped)
			s = release_untried(&rec, batch, n);
		free_batch(batch, n);
		if (s != KN_OK)
			goto done;
		if (limit > 0)
			limit -= n;
		if (o->progress)
			o->progress(o->ud, sum->sent + sum->failed + sum->deferred, 0, 0);
	}
	if (t.stopped)
		s = err->status != KN_OK ? err->status
		                         : kn_err_set(err, KN_TEMPFAIL, "recording deliveries failed");
	else if (t.refused)
		s = kn_err_set(err, KN_FAIL, "the mail server refused the session: %s; the messages "
		               "stay queued", t.stop_why);
	else if (t.unreachable)
		s = kn_err_set(err, KN_TEMPFAIL, "mail server unreachable or refusing: %s (%lld sent; "
		               "the rest stay queued)", t.stop_why, sum->sent);
	else if (sum->failed > 0)
		s = KN_PARTIAL;
	/* a scrubbed reset link is zeroed in the database file (secure_delete),
	 * but the WAL keeps the page as it was until a checkpoint: take it now,
	 * best effort (a reader holding an old snapshot may keep some) */
	if (sum->sent + sum->failed > 0)
		sqlite3_exec(db->h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
done:
	free(rate_text);
	free(batch);
	transport_close(&t);
	return s;
}

void kn_send_summary_print(struct kn_printer *p, const struct kn_send_summary *s)
{
	kn_rec_begin(p);
	kn_put_int(p, "sent", s->sent, 1);
	kn_put_int(p, "failed", s->failed, 1);
	kn_put_int(p, "deferred", s->deferred, 1);
	kn_rec_end(p);
}
