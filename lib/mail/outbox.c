/* kennel mail list|show|retry: what the outbox holds. */
#include <string.h>

#include "mail/kn_mail.h"

#define MESSAGE_COLUMNS                                                        \
	"id, kind, owner_id, to_addr, subject, status, attempts, last_error,"  \
	" dedupe_key, created_at, sent_at, raw, secret"

static void put_message(struct kn_printer *p, sqlite3_stmt *st, int with_text)
{
	kn_rec_begin(p);
	kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
	kn_put_str(p, "kind", kn_col_text(st, 1), 1);
	kn_put_col_int(p, "owner_id", st, 2, 0);
	kn_put_str(p, "to", kn_col_text(st, 3), 1);
	kn_put_str(p, "subject", kn_col_text(st, 4), 1);
	kn_put_str(p, "status", kn_col_text(st, 5), 1);
	kn_put_int(p, "attempts", sqlite3_column_int(st, 6), 0);
	kn_put_str(p, "last_error", kn_col_text(st, 7), 0);
	kn_put_str(p, "dedupe_key", kn_col_text(st, 8), 0);
	kn_put_str(p, "created_at", kn_col_text(st, 9), 0);
	kn_put_str(p, "sent_at", kn_col_text(st, 10), 0);
	if (with_text)
		/* a reset link is a password: never shown, even while queued */
		kn_put_str(p, "message", sqlite3_column_int(st, 12) ? "[withheld: it holds a single-use link]"
		                                                    : kn_col_text(st, 11), 0);
	kn_rec_end(p);
}

kn_status kn_mail_list(struct kn_db *db, const char *status, struct kn_printer *p,
                       struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT " MESSAGE_COLUMNS " FROM outbox"
	                             " WHERE ?1 IS NULL OR status = ?1 ORDER BY id", &st, err);
	if (s != KN_OK)
		return s;
	kn_bind_text(st, 1, status);
	kn_list_begin(p);
	while (sqlite3_step(st) == SQLITE_ROW)
		put_message(p, st, 0);
	kn_list_end(p);
	sqlite3_finalize(st);
	return KN_OK;
}

kn_status kn_mail_show(struct kn_db *db, long long id, struct kn_printer *p,
                       struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT " MESSAGE_COLUMNS " FROM outbox WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int row = 0;
	if ((s = kn_step_row(db, st, &row, "reading the message", err)) == KN_OK && row)
		put_message(p, st, 1);
	else if (s == KN_OK)
		s = kn_err_set(err, KN_FAIL, "message %lld not found", id);
	sqlite3_finalize(st);
	return s;
}

/* A change to one message (id) or to all it applies to (id 0): counted,
 * refused when a named message is not one it applies to, audited. */
static kn_status outbox_change(struct kn_db *db, const char *sql, long long id, long long *count,
                               const char *not_applicable, const char *done,
                               struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, sql, &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "changing the outbox");
	*count = sqlite3_changes(db->h);
	sqlite3_finalize(st);
	if (s == KN_OK && id > 0 && *count == 0)
		s = kn_err_set(err, KN_FAIL, "message %lld %s", id, not_applicable);
	if (s == KN_OK && *count > 0)
		s = kn_audit(db, "mail", id, err, "%lld %s", *count, done);
	return s;
}

kn_status kn_mail_retry(struct kn_db *db, long long id, long long *count, struct kn_err *err)
{
	return outbox_change(db, "UPDATE outbox SET status = 'queued', next_attempt_at = NULL,"
	                         " claimed_at = NULL WHERE status IN ('failed', 'queued')"
	                         " AND (?1 = 0 OR id = ?1) AND (?1 <> 0 OR status = 'failed')",
	                     id, count, "not found, or already sent", "message(s) queued again",
	                     err);
}

kn_status kn_mail_cancel(struct kn_db *db, long long id, long long *count, struct kn_err *err)
{
	/* gone, not marked: a blast run again after the fix (a portal URL set)
	 * queues these owners anew, since nothing of theirs is in the outbox */
	return outbox_change(db, "DELETE FROM outbox WHERE status = 'queued' AND (?1 = 0 OR id = ?1)",
	                     id, count, "is not queued (sent, failed, being sent, or not found)",
	                     "queued message(s) cancelled", err);
}
