/*
 * What the portal keeps in SQLite: the form-signing key, sessions (their
 * tokens as hashes only), failed logins for the throttle, and the
 * password rules shared with 'kennel creds set'.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "owner/kn_creds.h"
#include "portal/kn_portal.h"
#include "owner/kn_owner.h"

kn_status kn_portal_key(struct kn_db *db, unsigned char key[32], struct kn_err *err)
{
	sqlite3_stmt *st;
	unsigned char fresh[32];
	randombytes_buf(fresh, sizeof fresh);
	kn_status s = kn_prepare(db, "INSERT INTO portal_keys (name, value) VALUES ('csrf', ?)"
	                             " ON CONFLICT (name) DO NOTHING", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_blob(st, 1, fresh, sizeof fresh, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "storing the portal key");
	sqlite3_finalize(st);
	sodium_memzero(fresh, sizeof fresh);
	if (s != KN_OK)
		return s;
	if ((s = kn_prepare(db, "SELECT value FROM portal_keys WHERE name = 'csrf'", &st, err)) != KN_OK)
		return s;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32)
		memcpy(key, sqlite3_column_blob(st, 0), 32);
	else
		s = kn_err_set(err, KN_FAIL, "the portal key is missing or damaged");
	sqlite3_finalize(st);
	return s;
}

void kn_token_new(char out[KN_TOKEN_CHARS])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, KN_TOKEN_CHARS, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}


static kn_status run1(struct kn_db *db, const char *sql, const char *what, struct kn_err *err,
                      const char *t1, const char *t2, long long i3)
{
	sqlite3_stmt *st;
	kn_status s = kn_cached(db, sql, &st, err);
	if (s != KN_OK)
		return s;
	if (t1)
		sqlite3_bind_text(st, 1, t1, -1, SQLITE_TRANSIENT);
	if (t2)
		sqlite3_bind_text(st, 2, t2, -1, SQLITE_TRANSIENT);
	if (i3)
		sqlite3_bind_int64(st, 3, i3);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, what);
	sqlite3_reset(st);
	return s;
}

kn_status kn_session_create(struct kn_db *db, long long owner_id, const char *client,
                            int single, char token[KN_TOKEN_CHARS], struct kn_err *err)
{
	char hex[65], now[20], old[20], why[96];
	kn_status s;

	kn_now_text(now);
	if (single) {
		/* PetExec's one login per username: the other device is told why */
		snprintf(why, sizeof why, "a new sign-in at %.5s", now + 11);
		if ((s = kn_sessions_end_owner(db, owner_id, why, NULL, err)) != KN_OK)
			return s;
	}
	/* what is long over is of no use to anyone: the table stays small */
	kn_time_add_seconds(now, -2 * 86400, old);
	if ((s = run1(db, "DELETE FROM portal_sessions WHERE last_seen < ?", "pruning sessions",
	              err, old, NULL, 0)) != KN_OK)
		return s;
	kn_token_new(token);
	kn_token_digest(token, hex);
	sqlite3_stmt *st;
	if ((s = kn_cached(db, "INSERT INTO portal_sessions (token_hash, owner_id, created_at,"
	                       " last_seen, client) VALUES (?, ?, ?, ?, ?)", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, owner_id);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, client, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "creating a session");
	sqlite3_reset(st);
	if (s == KN_OK)
		s = kn_audit(db, "owner", owner_id, err, "logged in to the portal from %s", client);
	return s;
}

enum kn_session_state kn_session_live(const char *created, const char *seen,
                                      long idle_minutes, int *stale)
{
	char now[20];
	kn_now_text(now);
	long long t = kn_time_seconds(now), born = kn_time_seconds(created);
	long long last = kn_time_seconds(seen);
	/* last_seen is rewritten only when it is `every` seconds old, so the
	 * owner's last page may be up to that much later than it says: the
	 * idle clock grants it, and an owner is never signed out early.  A
	 * tenth of the window, at most a minute: a short setting stays short. */
	long long window = idle_minutes > 0 ? (long long)idle_minutes * 60 : 0;
	long long every = window / 10;
	if (every > 60)
		every = 60;
	if (every < 1)
		every = 1;
	*stale = last <= t - every;
	if (last < t - window - every)
		return KN_SESSION_IDLE;
	if (born < t - (long long)KN_SESSION_ABSOLUTE_HOURS * 3600)
		return KN_SESSION_TOO_OLD;
	return KN_SESSION_LIVE;
}

kn_status kn_session_lookup(struct kn_db *db, const char *hash, long idle_minutes,
                            long long *owner_id, char *why, size_t whylen, char created[20],
                            char seen_out[20], struct kn_err *err)
{
	char now[20];
	sqlite3_stmt *st;
	kn_status s;
	long long id = 0, owner = 0;
	int touch = 0;

	*owner_id = 0;
	why[0] = '\0';
	kn_now_text(now);
	if ((s = kn_cached(db, "SELECT s.id, s.owner_id, s.ended_why, s.last_seen, s.created_at,"
	                       " o.active FROM portal_sessions s JOIN owners o ON o.id = s.owner_id"
	                       " WHERE s.token_hash = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *ended = kn_col_text(st, 2);
		const char *seen = kn_col_text(st, 3), *born = kn_col_text(st, 4);
		enum kn_session_state state = kn_session_live(born, seen, idle_minutes, &touch);
		if (ended)
			snprintf(why, whylen, "%s", ended);
		else if (!sqlite3_column_int(st, 5))
			snprintf(why, whylen, "your account was closed");
		else if (state == KN_SESSION_IDLE)
			snprintf(why, whylen, "%ld minutes without activity", idle_minutes);
		else if (state == KN_SESSION_TOO_OLD)
			snprintf(why, whylen, "a sign-in lasts %d hours at most",
			         KN_SESSION_ABSOLUTE_HOURS);
		else {
			id = sqlite3_column_int64(st, 0);
			owner = sqlite3_column_int64(st, 1);
			snprintf(created, 20, "%s", born);
			snprintf(seen_out, 20, "%s", touch ? now : seen);
		}
	} else if (rc != SQLITE_DONE) {
		s = kn_sql_fail(db, err, "reading the session");
	}
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
	/* a page view writes at most once a minute, and never waits for it:
	 * a busy database only delays the idle clock */
	if (owner > 0 && touch) {
		if (kn_cached(db, "UPDATE portal_sessions SET last_seen = ? WHERE id = ?", &st,
		              err) == KN_OK) {
			sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, id);
			sqlite3_busy_timeout(db->h, 0);
			sqlite3_step(st);
			sqlite3_busy_timeout(db->h, db->busy_ms);
			sqlite3_reset(st);
		}
		kn_err_clear(err);
	}
	*owner_id = owner;
	return KN_OK;
}

kn_status kn_session_end(struct kn_db *db, const char *token, struct kn_err *err)
{
	char hex[65], now[20];
	kn_token_digest(token, hex);
	kn_now_text(now);
	return run1(db, "UPDATE portal_sessions SET ended_at = ?1, ended_why = 'signed out'"
	                " WHERE token_hash = ?2 AND ended_at IS NULL",
	            "ending the session", err, now, hex, 0);
}

/* The two rate limits of the portal's forms, one mechanism: a table of
 * recent events by a key and by a client, pruned after a day and counted
 * over a window.  The SQL names its table; the values are bound. */
struct rate_table {
	const char *prune, *count, *what;
};

static const struct rate_table login_failures = {
	"DELETE FROM portal_failures WHERE at < ?",
	"SELECT (SELECT count(*) FROM portal_failures WHERE username = ?1 AND at > ?3),"
	" (SELECT count(*) FROM portal_failures WHERE client = ?2 AND at > ?3)",
	"reading failed logins",
};

/* the target in any letter case: lower() in SQLite folds ASCII only, as
 * the addresses' own comparisons do */
static const struct rate_table mail_asks = {
	"DELETE FROM portal_mail_asks WHERE at < ?",
	"SELECT (SELECT count(*) FROM portal_mail_asks WHERE target = lower(?1) AND at > ?3),"
	" (SELECT count(*) FROM portal_mail_asks WHERE client = ?2 AND at > ?3)",
	"counting mail asks",
};

/* n[0] events for key, n[1] from client, in the last `seconds`; rows
 * older than a day are dropped first.  now: the caller's time, for the
 * row it may then add. */
static kn_status recent_counts(struct kn_db *db, const struct rate_table *t, const char *key,
                               const char *client, long seconds, const char *now, int n[2],
                               struct kn_err *err)
{
	char since[20], old[20];
	sqlite3_stmt *st;
	kn_time_add_seconds(now, -seconds, since);
	kn_time_add_seconds(now, -86400, old);
	n[0] = n[1] = 0;
	kn_status s = run1(db, t->prune, "pruning old events", err, old, NULL, 0);
	if (s != KN_OK || (s = kn_cached(db, t->count, &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, client, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, since, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		n[0] = sqlite3_column_int(st, 0);
		n[1] = sqlite3_column_int(st, 1);
	} else {
		s = kn_sql_fail(db, err, t->what);
	}
	sqlite3_reset(st);
	return s;
}

kn_status kn_login_attempt_begin(struct kn_db *db, const char *name, const char *client,
                                 int *throttled, long long *attempt, struct kn_err *err)
{
	char now[20];
	sqlite3_stmt *st;
	int n[2];
	kn_now_text(now);
	*throttled = 0;
	*attempt = 0;
	kn_status s = recent_counts(db, &login_failures, name, client, KN_THROTTLE_MINUTES * 60L,
	                            now, n, err);
	if (s != KN_OK)
		return s;
	*throttled = n[0] >= KN_THROTTLE_PER_USER || n[1] >= KN_THROTTLE_PER_CLIENT;
	if (*throttled)
		return KN_OK;
	if ((s = kn_cached(db, "INSERT INTO portal_failures (at, username, client) VALUES (?, ?, ?)",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, client, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "recording a login attempt");
	else
		*attempt = sqlite3_last_insert_rowid(db->h);
	sqlite3_reset(st);
	return s;
}

kn_status kn_login_attempt_ok(struct kn_db *db, long long attempt, struct kn_err *err)
{
	return run1(db, "DELETE FROM portal_failures WHERE rowid = ?3", "clearing a login attempt",
	            err, NULL, NULL, attempt);
}

kn_status kn_mail_ask(struct kn_db *db, const char *kind, const char *target,
                      const char *client, int *target_ok, int *client_ok, struct kn_err *err)
{
	char now[20];
	sqlite3_stmt *st;
	int n[2];
	kn_now_text(now);
	*target_ok = *client_ok = 0;
	kn_status s = recent_counts(db, &mail_asks, target, client, 3600, now, n, err);
	if (s != KN_OK)
		return s;
	*target_ok = n[0] < KN_ASKS_PER_TARGET;
	*client_ok = n[1] < KN_ASKS_PER_CLIENT;
	if (!*client_ok)
		return KN_OK;
	if ((s = kn_cached(db, "INSERT INTO portal_mail_asks (at, kind, target, client)"
	                       " VALUES (?, ?, lower(?), ?)", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, target, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, client, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "recording a mail ask");
	sqlite3_reset(st);
	return s;
}

kn_status kn_login_lookup(struct kn_db *db, const char *username, long long *owner_id,
                          char hash[128], int *usable, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_cached(db, "SELECT id, password_hash, must_reset FROM owners"
	                            " WHERE username = ? AND active", &st, err);
	*owner_id = 0;
	*usable = 0;
	hash[0] = '\0';
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*owner_id = sqlite3_column_int64(st, 0);
		const char *h = kn_col_text(st, 1);
		if (h && strlen(h) < 128 && !sqlite3_column_int(st, 2)) {
			snprintf(hash, 128, "%s", h);
			*usable = 1;
		}
	} else if (rc != SQLITE_DONE) {
		s = kn_sql_fail(db, err, "looking up the username");
	}
	sqlite3_reset(st);
	return s;
}

/* ---- staff: who is logged in -------------------------------------------- */

kn_status kn_portal_sessions(struct kn_db *db, long long owner_id, struct kn_printer *p,
                             struct kn_err *err)
{
	char now[20], idle_since[20], born_after[20], *v;
	int def;
	kn_status s = kn_pref_get(db, "portal.session_idle_minutes", &v, &def, err);
	if (s != KN_OK)
		return s;
	long idle = strtol(v, NULL, 10);
	free(v);
	kn_now_text(now);
	kn_time_add_seconds(now, -idle * 60, idle_since);
	kn_time_add_seconds(now, -(long long)KN_SESSION_ABSOLUTE_HOURS * 3600, born_after);
	sqlite3_stmt *st;
	if ((s = kn_prepare(db, "SELECT s.id, s.owner_id, o.username, s.created_at, s.last_seen,"
	                        " s.client FROM portal_sessions s JOIN owners o ON o.id = s.owner_id"
	                        " WHERE s.ended_at IS NULL AND o.active AND s.last_seen >= ?1"
	                        " AND s.created_at >= ?2 AND (?3 = 0 OR s.owner_id = ?3)"
	                        " ORDER BY s.last_seen DESC, s.id DESC", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, idle_since, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, born_after, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, owner_id);
	kn_list_begin(p);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kn_rec_begin(p);
		kn_put_int(p, "session", sqlite3_column_int64(st, 0), 0);
		kn_put_int(p, "owner_id", sqlite3_column_int64(st, 1), 1);
		kn_put_str(p, "username", kn_col_text(st, 2), 1);
		kn_put_str(p, "created", kn_col_text(st, 3), 1);
		kn_put_str(p, "last_seen", kn_col_text(st, 4), 1);
		kn_put_str(p, "client", kn_col_text(st, 5), 1);
		kn_rec_end(p);
	}
	kn_list_end(p);
	if (rc != SQLITE_DONE)
		s = kn_sql_fail(db, err, "listing sessions");
	sqlite3_finalize(st);
	return s;
}

kn_status kn_portal_logout(struct kn_db *db, long long owner_id, long long *ended,
                           struct kn_err *err)
{
	kn_status s = kn_tx_begin(db, err);
	if (s != KN_OK)
		return s;
	s = kn_login_end(db, owner_id, "staff ended the session", ended, err);
	if (s == KN_OK && owner_id > 0)
		s = kn_audit(db, "owner", owner_id, err, "portal sessions ended (%lld)", *ended);
	else if (s == KN_OK)
		s = kn_audit(db, "portal", 0, err, "every portal session ended (%lld)", *ended);
	if (s == KN_OK)
		return kn_tx_commit(db, err);
	kn_tx_rollback(db);
	return s;
}
