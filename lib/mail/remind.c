/*
 * kennel remind: reminders made for cron.  Each thing reminded of (a
 * vaccination expiring or expired, a package ending or down to its last
 * day) is recorded in the reminders table, keyed by the thing and its
 * state, in the transaction that queues its message: running every day, or
 * twice at once, sends each reminder once.
 *
 * A kind of reminder is a query returning, in owner order, one row per
 * thing due: owner id, key, then the fields its template lists per item.
 */
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"

#define MAX_ITEMS 64
#define MAX_FIELDS 5

struct remind_kind {
	const char *name;       /* reminders.kind and the dedupe key */
	const char *template_name;
	const char *days_pref;
	const char *const fields[MAX_FIELDS];
	size_t nfields;
	/* ?1 required vaccines (JSON), ?2 end of the window, ?3 today */
	const char *sql;
};

static const struct remind_kind kinds[] = {
	{ "vaccination", "vaccination-reminder", "remind.vaccination_days",
	  { "pet", "type", "expires_on", "status", "when" }, 5,
	  /* the latest record of each required type, due by the end of the
	   * window, or none at all (a required vaccination missing) */
	  "SELECT owner, pet || ':' || value || ':' || coalesce(expires_on, '-') || ':' || status,"
	  " name, value, expires_on, status, CASE status WHEN 'missing' THEN 'no record on file'"
	  " WHEN 'expired' THEN 'expired ' || expires_on ELSE 'expires ' || expires_on END"
	  " FROM (SELECT o.id AS owner, p.id AS pet, p.name, r.value,"
	  " max(v.expires_on) AS expires_on,"
	  " CASE WHEN max(v.expires_on) IS NULL THEN 'missing'"
	  " WHEN max(v.expires_on) < ?3 THEN 'expired' ELSE 'expiring' END AS status"
	  " FROM owners o JOIN pets p ON p.owner_id = o.id CROSS JOIN json_each(?1) r"
	  " LEFT JOIN vaccinations v ON v.pet_id = p.id AND v.type = r.value"
	  " WHERE o.active AND NOT o.email_opt_out AND o.email IS NOT NULL"
	  " GROUP BY p.id, r.value) WHERE expires_on IS NULL OR expires_on <= ?2"
	  " ORDER BY owner, pet, value" },
	{ "appointment", "appointment-reminder", "remind.appointment_days",
	  { "service", "pets", "start" }, 3,
	  /* approved requests starting from today to the end of the window */
	  "SELECT r.owner_id, r.id || ':' || r.start, r.service,"
	  " (SELECT group_concat(p.name, ', ') FROM request_pets rp JOIN pets p ON p.id = rp.pet_id"
	  "  WHERE rp.request_id = r.id), r.start || coalesce(' at ' || r.start_time, ''), NULL"
	  " FROM requests r JOIN owners o ON o.id = r.owner_id"
	  " WHERE r.status = 'approved' AND o.active AND NOT o.email_opt_out"
	  " AND o.email IS NOT NULL AND r.start >= ?3 AND r.start <= ?2 AND ?1 IS NOT NULL"
	  " ORDER BY r.owner_id, r.start, r.id" },
	{ "package", "package-reminder", "remind.package_days",
	  { "name", "number_left", "end_date", "status" }, 3,
	  /* packages ending within the window, or down to their last day */
	  "SELECT k.owner_id, k.id || ':' || CASE WHEN k.end_date <= ?2 THEN 'ends:' || k.end_date"
	  " ELSE 'last-day' END, k.name, k.number_left, k.end_date, NULL"
	  " FROM packages k JOIN owners o ON o.id = k.owner_id"
	  " WHERE o.active AND NOT o.email_opt_out AND o.email IS NOT NULL AND k.number_left > 0"
	  " AND k.end_date >= ?3 AND (k.end_date <= ?2 OR k.number_left = 1) AND ?1 IS NOT NULL"
	  " ORDER BY k.owner_id, k.id" },
};

struct item {
	char key[160];
	char text[MAX_FIELDS][128];
	const char *values[MAX_FIELDS];
};

struct batch {
	long long owner_id;
	int n;
	struct item items[MAX_ITEMS];
};

static kn_status queue_owner(struct kn_db *db, const struct remind_kind *k, struct batch *b,
                             const char *text, const struct kn_sender *snd, const char *today,
                             int *queued, struct kn_err *err)
{
	struct kn_tvars items[MAX_ITEMS];
	char *subject = NULL, *body = NULL, dedupe[256];
	struct kn_owner o = { 0 };
	struct kn_owner_vars vars;
	sqlite3_stmt *st;
	kn_status s;

	*queued = 0;
	if ((s = kn_cached(db, "SELECT first_name, last_name, email, username FROM owners"
	                       " WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, b->owner_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return KN_OK;
	}
	o.id = b->owner_id;
	o.first_name = kn_col_text(st, 0);
	o.last_name = kn_col_text(st, 1);
	o.email = kn_col_text(st, 2);
	o.username = kn_col_text(st, 3);
	for (int i = 0; i < b->n; i++)
		items[i] = (struct kn_tvars){ k->fields, b->items[i].values, k->nfields };
	kn_owner_vars_fill(&vars, &o, &snd->company, NULL);
	struct kn_tctx ctx = { .vars = vars.vars, .items = items, .nitems = (size_t)b->n,
	                       .item_names = k->fields, .nitem_names = k->nfields };
	s = kn_template_render(k->template_name, text, &ctx, &subject, &body, err);
	snprintf(dedupe, sizeof dedupe, "remind:%s:%lld:%s:%s", k->name, b->owner_id, today,
	         b->items[0].key);
	if (s == KN_OK) {
		struct kn_mail_msg m = { .kind = k->template_name, .owner_id = b->owner_id,
		                         .to = o.email, .subject = subject, .body = body,
		                         .dedupe_key = dedupe };
		s = kn_mail_queue(db, snd, &m, queued, err);
	}
	sqlite3_reset(st);
	long long outbox_id = *queued ? sqlite3_last_insert_rowid(db->h) : 0;
	for (int i = 0; s == KN_OK && i < b->n; i++) {
		sqlite3_stmt *ins;
		if ((s = kn_cached(db, "INSERT INTO reminders (kind, item, owner_id, outbox_id,"
		                       " created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
		                   &ins, err)) != KN_OK)
			break;
		sqlite3_bind_text(ins, 1, k->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, b->items[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 3, b->owner_id);
		if (outbox_id)
			sqlite3_bind_int64(ins, 4, outbox_id);
		sqlite3_bind_text(ins, 5, today, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "recording reminder");
		sqlite3_reset(ins);
	}
	free(subject);
	free(body);
	return s;
}

static kn_status remind_kind(struct kn_db *db, const struct remind_kind *k,
                             const struct kn_remind_options *o, struct kn_remind_summary *sum,
                             struct kn_err *err)
{
	char today[11], soon[11], *text = NULL, *days_text = NULL;
	struct kn_buf req = { 0 };
	struct kn_sender snd = { 0 };
	struct batch *b = kn_xcalloc(1, sizeof *b);
	sqlite3_stmt *st = NULL, *seen = NULL;
	long long days = o->days;
	kn_status s;

	if (days < 0) {
		if ((s = kn_pref_get(db, k->days_pref, &days_text, NULL, err)) != KN_OK)
			goto out;
		days = strtol(days_text, NULL, 10);
	}
	kn_date_format(kn_today(), today);
	kn_date_format(kn_today() + (kn_day)days, soon);
	if ((s = kn_required_vaccines_json(db, &req, err)) != KN_OK ||
	    (s = kn_sender_load(db, &snd, err)) != KN_OK)
		goto out;
	if ((text = kn_template_load(k->template_name, o->template_dir, NULL, err)) == NULL) {
		s = err->status;
		goto out;
	}
	if ((s = kn_prepare(db, k->sql, &st, err)) != KN_OK ||
	    (s = kn_prepare(db, "SELECT 1 FROM reminders WHERE kind = ? AND item = ?", &seen,
	                    err)) != KN_OK)
		goto out;
	sqlite3_bind_text(st, 1, req.data, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, soon, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, today, -1, SQLITE_STATIC);
	for (;;) {
		int rc = sqlite3_step(st);
		long long owner = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		if (b->n > 0 && (owner != b->owner_id || b->n == MAX_ITEMS)) {
			int queued;
			if ((s = queue_owner(db, k, b, text, &snd, today, &queued, err)) != KN_OK)
				goto out;
			sum->queued += queued;
			b->n = 0;
		}
		if (rc != SQLITE_ROW) {
			if (rc != SQLITE_DONE)
				s = kn_sql_fail(db, err, "finding reminders");
			break;
		}
		/* reminded before in this state: not again */
		sqlite3_bind_text(seen, 1, k->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(seen, 2, kn_col_text(st, 1), -1, SQLITE_TRANSIENT);
		int already = sqlite3_step(seen) == SQLITE_ROW;
		sqlite3_reset(seen);
		if (already)
			continue;
		struct item *it = &b->items[b->n++];
		b->owner_id = owner;
		snprintf(it->key, sizeof it->key, "%s", kn_col_text(st, 1));
		for (size_t f = 0; f < k->nfields; f++) {
			const char *v = kn_col_text(st, (int)f + 2), *name = k->fields[f];
			char day[KN_DATE_TEXT];
			/* the dates as the owner reads them (display.date); "when"
			 * is "expires DATE" or "expired DATE" */
			if (strcmp(name, "when") == 0 && v && strlen(v) > 8 && v[7] == ' ')
				snprintf(it->text[f], sizeof it->text[f], "%.7s %s", v,
				         kn_date_display(v + 8, snd.date_style, 0, day));
			else if (strcmp(name, "expires_on") == 0 || strcmp(name, "start") == 0 ||
			         strcmp(name, "end_date") == 0)
				snprintf(it->text[f], sizeof it->text[f], "%s",
				         v ? kn_date_display(v, snd.date_style, 0, day) : "");
			else
				snprintf(it->text[f], sizeof it->text[f], "%s", v ? v : "");
			it->values[f] = it->text[f];
		}
	}
out:
	sqlite3_finalize(st);
	sqlite3_finalize(seen);
	free(text);
	free(days_text);
	free(b);
	kn_buf_free(&req);
	kn_sender_free(&snd);
	return s;
}

kn_status kn_remind(struct kn_db *db, const char *what, const struct kn_remind_options *o,
                    struct kn_remind_summary *sum, struct kn_err *err)
{
	kn_status s;
	int any = 0;

	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	for (size_t i = 0; s == KN_OK && i < sizeof kinds / sizeof kinds[0]; i++) {
		/* "vaccinations" names the kind "vaccination" */
		if (strcmp(what, "all") != 0 && strncmp(what, kinds[i].name, strlen(kinds[i].name)) != 0)
			continue;
		any = 1;
		s = remind_kind(db, &kinds[i], o, sum, err);
	}
	/* closed periods told ahead: in 'all' too */
	if (s == KN_OK && (strcmp(what, "all") == 0 || strcmp(what, "closures") == 0)) {
		any = 1;
		s = kn_remind_closures(db, o, sum, err);
	}
	if (s == KN_OK && !any)
		s = kn_err_set(err, KN_USAGE, "unknown reminder '%s'", what);
	if (s == KN_OK)
		return kn_tx_commit(db, err);
	kn_tx_rollback(db);
	return s;
}
