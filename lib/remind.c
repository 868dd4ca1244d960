/*
 * kennel remind: reminders made for cron.  Each thing reminded of (here, a
 * vaccination in a state: expiring or expired) is recorded in the
 * reminders table in the transaction that queues its message, so running
 * every day, or twice at once, sends each reminder once.
 */
#include <stdlib.h>
#include <string.h>

#include "kn_mail.h"

#define MAX_ITEMS 64

struct vax_item {
	char pet[128], type[64], expires_on[11], status[10], key[128];
};

struct owner_batch {
	long long owner_id;
	int n;
	struct vax_item items[MAX_ITEMS];
};

static kn_status queue_owner(struct kn_db *db, struct owner_batch *b, const char *text,
                             const struct kn_company *c, const char *today, int *queued,
                             struct kn_err *err)
{
	static const char *const item_names[] = { "pet", "type", "expires_on", "status" };
	struct kn_tvars items[MAX_ITEMS];
	const char *values[MAX_ITEMS][4];
	char *subject = NULL, *body = NULL, dedupe[256];
	struct kn_owner o = { 0 };
	struct kn_owner_vars vars;
	sqlite3_stmt *st;
	kn_status s;

	*queued = 0;
	if ((s = kn_prepare(db, "SELECT first_name, last_name, email, username FROM owners"
	                        " WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, b->owner_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return KN_OK;
	}
	o.id = b->owner_id;
	o.first_name = kn_col_text(st, 0);
	o.last_name = kn_col_text(st, 1);
	o.email = kn_col_text(st, 2);
	o.username = kn_col_text(st, 3);
	for (int i = 0; i < b->n; i++) {
		values[i][0] = b->items[i].pet;
		values[i][1] = b->items[i].type;
		values[i][2] = b->items[i].expires_on;
		values[i][3] = b->items[i].status;
		items[i] = (struct kn_tvars){ item_names, values[i], 4 };
	}
	kn_owner_vars_fill(&vars, &o, c, NULL);
	struct kn_tctx ctx = { .vars = vars.vars, .items = items, .nitems = (size_t)b->n,
	                       .item_names = item_names, .nitem_names = 4 };
	s = kn_template_render("vaccination-reminder", text, &ctx, &subject, &body, err);
	snprintf(dedupe, sizeof dedupe, "remind:vaccination:%lld:%s:%s", b->owner_id, today,
	         b->items[0].key);
	if (s == KN_OK) {
		struct kn_mail_msg m = { .kind = "vaccination-reminder", .owner_id = b->owner_id,
		                         .to = o.email, .subject = subject, .body = body,
		                         .dedupe_key = dedupe };
		s = kn_mail_queue(db, &m, queued, err);
	}
	sqlite3_finalize(st);
	long long outbox_id = *queued ? sqlite3_last_insert_rowid(db->h) : 0;
	for (int i = 0; s == KN_OK && i < b->n; i++) {
		sqlite3_stmt *ins;
		if ((s = kn_prepare(db, "INSERT INTO reminders (kind, item, owner_id, outbox_id,"
		                        " created_at) VALUES ('vaccination', ?, ?, ?, ?)"
		                        " ON CONFLICT DO NOTHING", &ins, err)) != KN_OK)
			break;
		sqlite3_bind_text(ins, 1, b->items[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 2, b->owner_id);
		if (outbox_id)
			sqlite3_bind_int64(ins, 3, outbox_id);
		sqlite3_bind_text(ins, 4, today, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "recording reminder");
		sqlite3_finalize(ins);
	}
	free(subject);
	free(body);
	return s;
}

kn_status kn_remind_vaccinations(struct kn_db *db, const struct kn_remind_options *o,
                                 struct kn_remind_summary *sum, struct kn_err *err)
{
	char today[11], soon[11], *text = NULL;
	struct kn_buf req = { 0 };
	struct kn_company c = { 0 };
	struct owner_batch *b = calloc(1, sizeof *b);
	sqlite3_stmt *st = NULL;
	kn_status s;

	if (b == NULL)
		abort();
	if ((s = kn_vax_window(db, o->days, today, soon, err)) != KN_OK ||
	    (s = kn_required_vaccines_json(db, &req, err)) != KN_OK ||
	    (s = kn_company_get(db, &c, err)) != KN_OK)
		goto out;
	if ((text = kn_template_load("vaccination-reminder", o->template_dir, NULL, err)) == NULL) {
		s = err->status;
		goto out;
	}
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		goto out;
	/* the latest record of each required type that expires by the end of
	 * the window, for owners who take email, not yet reminded in its state */
	s = kn_prepare(db, "SELECT * FROM (SELECT o.id AS owner, p.name, r.value,"
	                   " max(v.expires_on) AS expires_on, p.id AS pet"
	                   " FROM owners o JOIN pets p ON p.owner_id = o.id"
	                   " CROSS JOIN json_each(?1) r"
	                   " JOIN vaccinations v ON v.pet_id = p.id AND v.type = r.value"
	                   " WHERE o.active AND NOT o.email_opt_out AND o.email IS NOT NULL"
	                   " GROUP BY p.id, r.value)"
	                   " WHERE expires_on <= ?2 AND NOT EXISTS (SELECT 1 FROM reminders"
	                   "   WHERE kind = 'vaccination' AND item = pet || ':' || value || ':'"
	                   "   || expires_on || ':' || CASE WHEN expires_on < ?3 THEN 'expired'"
	                   "   ELSE 'expiring' END)"
	                   " ORDER BY owner, pet, value", &st, err);
	if (s != KN_OK)
		goto done;
	sqlite3_bind_text(st, 1, req.data, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, soon, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, today, -1, SQLITE_STATIC);
	for (;;) {
		int rc = sqlite3_step(st);
		long long owner = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		if (b->n > 0 && (owner != b->owner_id || b->n == MAX_ITEMS)) {
			int queued;
			if ((s = queue_owner(db, b, text, &c, today, &queued, err)) != KN_OK)
				goto done;
			sum->queued += queued;
			b->n = 0;
		}
		if (rc != SQLITE_ROW)
			break;
		struct vax_item *it = &b->items[b->n++];
		b->owner_id = owner;
		const char *exp = kn_col_text(st, 3);
		snprintf(it->pet, sizeof it->pet, "%s", kn_col_text(st, 1));
		snprintf(it->type, sizeof it->type, "%s", kn_col_text(st, 2));
		snprintf(it->expires_on, sizeof it->expires_on, "%s", exp);
		snprintf(it->status, sizeof it->status, "%s", strcmp(exp, today) < 0 ? "expired"
		                                                                    : "expiring");
		char key[sizeof it->key];
		snprintf(key, sizeof key, "%lld:%s:%s:%s", (long long)sqlite3_column_int64(st, 4),
		         kn_col_text(st, 2), exp, strcmp(exp, today) < 0 ? "expired" : "expiring");
		memcpy(it->key, key, sizeof key);
	}
done:
	sqlite3_finalize(st);
	if (s == KN_OK && !o->dry_run)
		s = kn_tx_commit(db, err);
	else
		kn_tx_rollback(db);
out:
	free(text);
	free(b);
	kn_buf_free(&req);
	kn_company_free(&c);
	return s;
}
