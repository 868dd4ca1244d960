/*
 * The mail the portal queues: reset links, registration links, the
 * company's notices and an owner's message.  Through the outbox like every
 * other mail, so what the background mailer cannot deliver now waits for
 * the cron 'kennel mail send', and nothing is ever sent twice.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"
#include "portal/kn_portal.h"

kn_status kn_portal_mail_queue(struct kn_db *db, const struct kn_portal_mail *m,
                               const char *template_dir, struct kn_err *err)
{
	struct kn_sender snd;
	struct kn_owner_vars vars;
	struct kn_owner o = { 0 };
	sqlite3_stmt *st = NULL;
	char *text = NULL, *subject = NULL, *body = NULL;
	kn_status s = kn_sender_load(db, &snd, err);

	if (s != KN_OK)
		return s;
	if (m->owner_id > 0) {
		if ((s = kn_prepare(db, "SELECT first_name, last_name, email, username FROM owners"
		                        " WHERE id = ?", &st, err)) != KN_OK)
			goto done;
		sqlite3_bind_int64(st, 1, m->owner_id);
		if (sqlite3_step(st) != SQLITE_ROW) {
			s = kn_err_set(err, KN_FAIL, "no owner %lld", m->owner_id);
			goto done;
		}
		o.id = m->owner_id;
		o.first_name = kn_col_text(st, 0);
		o.last_name = kn_col_text(st, 1);
		o.email = kn_col_text(st, 2);
		o.username = kn_col_text(st, 3);
	}
	const char *to = m->to ? m->to : o.email;
	if (to == NULL || *to == '\0') {
		s = kn_err_set(err, KN_FAIL, "no address to send the %s mail to", m->kind);
		goto done;
	}
	kn_owner_vars_fill(&vars, &o, &snd.company, m->link);
	for (size_t i = 0; i < m->n; i++)
		kn_owner_vars_add(&vars, m->names[i], m->values[i]);
	if ((text = kn_template_load(m->template_name, template_dir, NULL, err)) == NULL) {
		s = err->status;
		goto done;
	}
	struct kn_tctx ctx = { .vars = vars.vars };
	if ((s = kn_template_render(m->template_name, text, &ctx, &subject, &body, err)) != KN_OK)
		goto done;
	char now[20], dedupe[128], rnd[17];
	unsigned char raw[8];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(rnd, sizeof rnd, raw, sizeof raw);
	kn_now_text(now);
	snprintf(dedupe, sizeof dedupe, "portal:%s:%lld:%s:%s", m->kind, m->owner_id, now, rnd);
	struct kn_mail_msg msg = { .kind = m->kind, .owner_id = m->owner_id, .to = to,
	                           .subject = subject, .body = body, .dedupe_key = dedupe,
	                           .reply_to = m->reply_to, .secret = m->secret };
	int queued;
	s = kn_mail_queue(db, &snd, &msg, &queued, err);
done:
	sqlite3_finalize(st);
	if (body)
		sodium_memzero(body, strlen(body));
	free(text);
	free(subject);
	free(body);
	kn_sender_free(&snd);
	return s;
}

kn_status kn_outbox_count_since(struct kn_db *db, const char *kind, long long owner_id,
                                long seconds, int *n, struct kn_err *err)
{
	char now[20], since[20];
	sqlite3_stmt *st;
	kn_now_text(now);
	kn_time_add_seconds(now, -seconds, since);
	*n = 0;
	kn_status s = kn_cached(db, "SELECT count(*) FROM outbox WHERE kind = ? AND owner_id = ?"
	                            " AND created_at > ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, owner_id);
	sqlite3_bind_text(st, 3, since, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int(st, 0);
	else
		s = kn_sql_fail(db, err, "counting mail");
	sqlite3_reset(st);
	return s;
}
