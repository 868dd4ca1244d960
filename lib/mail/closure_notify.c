/*
 * kennel remind closures (SPEC series): each owner with a booking or a
 * standing booking's occurrence inside a closed period that starts within
 * N days is told once per block, with the dates, before she drives up to
 * a locked door.  A pending request inside it is declined with the
 * block's reason and told in the same message.  The reminders table keys
 * each (block, owner), so re-runs and overlapping runs tell nothing twice.
 */
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"

#define MAX_ITEMS 64

struct notice {
	long long owner, block, ids[MAX_ITEMS];
	int n, pending[MAX_ITEMS];
	char text[MAX_ITEMS][4][128];
	const char *values[MAX_ITEMS][4];
	struct kn_tvars vars[MAX_ITEMS];
};
static const char *const item_names[] = { "service", "pets", "start", "what" };

/* One (owner, block): its pending requests declined, then the mail. */
static kn_status tell(struct kn_db *db, struct notice *nt, sqlite3_stmt *blk, const char *text,
                      const struct kn_sender *snd, long long *queued, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0, q = 0;
	char key[64], dedupe[80], from[KN_DATE_TEXT], to[KN_DATE_TEXT];
	char *subject = NULL, *body = NULL;
	const char *reason = kn_col_text(blk, 3);
	kn_status s = KN_OK;
	snprintf(key, sizeof key, "%lld:%lld", nt->block, nt->owner);
	for (int i = 0; s == KN_OK && i < nt->n; i++)
		if (nt->pending[i])
			s = kn_request_decide(db, nt->ids[i], "decline", reason, 0, err);
	if (s != KN_OK)
		return s;
	if ((s = kn_cached(db, "SELECT first_name, last_name, email, username FROM owners"
	                       " WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, nt->owner);
	if ((s = kn_step_row(db, st, &row, "reading the owner", err)) == KN_OK && row &&
	    kn_col_text(st, 2)) {
		struct kn_owner o = { .id = nt->owner, .first_name = kn_col_text(st, 0),
		                      .last_name = kn_col_text(st, 1), .email = kn_col_text(st, 2),
		                      .username = kn_col_text(st, 3) };
		struct kn_owner_vars ov;
		kn_owner_vars_fill(&ov, &o, &snd->company, NULL);
		kn_owner_vars_add(&ov, "block.from",
		                  kn_date_display(kn_col_text(blk, 1), snd->date_style, 0, from));
		kn_owner_vars_add(&ov, "block.to",
		                  kn_date_display(kn_col_text(blk, 2), snd->date_style, 0, to));
		kn_owner_vars_add(&ov, "block.reason", reason);
		struct kn_tctx ctx = { .vars = ov.vars, .items = nt->vars, .nitems = (size_t)nt->n,
		                       .item_names = item_names, .nitem_names = 4 };
		s = kn_template_render("closure-notice", text, &ctx, &subject, &body, err);
		snprintf(dedupe, sizeof dedupe, "closure:%s", key);
		struct kn_mail_msg m = { .kind = "closure-notice", .owner_id = nt->owner, .to = o.email,
		                         .subject = subject, .body = body, .dedupe_key = dedupe };
		if (s == KN_OK && (s = kn_mail_queue(db, snd, &m, &q, err)) == KN_OK)
			*queued += q;
	}
	sqlite3_reset(st);
	free(subject);
	free(body);
	if (s != KN_OK)
		return s;
	/* told (or nobody to tell): not again */
	char now[20];
	kn_now_text(now);
	if ((s = kn_cached(db, "INSERT INTO reminders (kind, item, owner_id, created_at)"
	                       " VALUES ('closure', ?, ?, ?) ON CONFLICT DO NOTHING", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, nt->owner);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	return kn_step_done(db, st, "marking the closure told", err);
}

kn_status kn_remind_closures(struct kn_db *db, const struct kn_remind_options *o,
                             struct kn_remind_summary *sum, struct kn_err *err)
{
	char today[11], soon[11], *text = NULL;
	struct kn_sender snd = { 0 };
	sqlite3_stmt *blk = NULL, *req = NULL;
	struct notice *nt = kn_xcalloc(1, sizeof *nt);
	long long days = o->days;
	int row = 0;
	kn_status s = KN_OK;

	if (days < 0 && (s = kn_pref_int(db, "remind.closure_days", &days, err)) != KN_OK)
		goto out;
	kn_date_format(kn_today(), today);
	kn_date_format(kn_today() + (kn_day)days, soon);
	if ((s = kn_sender_load(db, &snd, err)) != KN_OK)
		goto out;
	if ((text = kn_template_load("closure-notice", o->template_dir, NULL, err)) == NULL) {
		s = err->status;
		goto out;
	}
	/* the closed periods starting within the window (or under way) */
	if ((s = kn_prepare(db, "SELECT id, start, end, reason, service FROM blocks"
	                        " WHERE start <= ?2 AND end >= ?1 ORDER BY start, id", &blk, err)) != KN_OK)
		goto out;
	sqlite3_bind_text(blk, 1, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(blk, 2, soon, -1, SQLITE_STATIC);
	/* the open requests with a day inside it (a stay's nights start <= d
	 * < end), of owners not told of this block yet, by owner */
	if ((s = kn_prepare(db, "SELECT r.owner_id, r.id, r.status, r.service, r.start,"
	                        " (SELECT group_concat(p.name, ', ') FROM request_pets rp"
	                        "  JOIN pets p ON p.id = rp.pet_id WHERE rp.request_id = r.id)"
	                        " FROM requests r WHERE r.status IN ('pending', 'approved')"
	                        " AND (?4 IS NULL OR r.service = ?4) AND r.start <= ?3"
	                        " AND (CASE r.service WHEN 'boarding' THEN date(r.end, '-1 day')"
	                        "  ELSE r.end END) >= ?2 AND r.end >= ?5"
	                        " AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.kind = 'closure'"
	                        "  AND m.item = ?1 || ':' || r.owner_id)"
	                        " ORDER BY r.owner_id, r.start, r.id", &req, err)) != KN_OK)
		goto out;
	while ((s = kn_step_row(db, blk, &row, "reading the closed periods", err)) == KN_OK && row) {
		sqlite3_bind_int64(req, 1, sqlite3_column_int64(blk, 0));
		sqlite3_bind_text(req, 2, kn_col_text(blk, 1), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(req, 3, kn_col_text(blk, 2), -1, SQLITE_TRANSIENT);
		kn_bind_text(req, 4, kn_col_text(blk, 4));
		sqlite3_bind_text(req, 5, today, -1, SQLITE_STATIC);
		nt->n = 0;
		nt->block = sqlite3_column_int64(blk, 0);
		int more = 0;
		for (;;) {
			if ((s = kn_step_row(db, req, &more, "reading the bookings", err)) != KN_OK)
				break;
			long long owner = more ? sqlite3_column_int64(req, 0) : 0;
			if (nt->n > 0 && (owner != nt->owner || nt->n == MAX_ITEMS)) {
				if ((s = tell(db, nt, blk, text, &snd, &sum->queued, err)) != KN_OK)
					break;
				nt->n = 0;
			}
			if (!more)
				break;
			int i = nt->n++;
			char day[KN_DATE_TEXT];
			nt->owner = owner;
			nt->ids[i] = sqlite3_column_int64(req, 1);
			nt->pending[i] = strcmp(kn_col_text(req, 2), "pending") == 0;
			snprintf(nt->text[i][0], sizeof nt->text[i][0], "%s", kn_col_text(req, 3));
			snprintf(nt->text[i][1], sizeof nt->text[i][1], "%s",
			         kn_col_text(req, 5) ? kn_col_text(req, 5) : "");
			snprintf(nt->text[i][2], sizeof nt->text[i][2], "%s",
			         kn_date_display(kn_col_text(req, 4), snd.date_style, 0, day));
			snprintf(nt->text[i][3], sizeof nt->text[i][3], "%s",
			         nt->pending[i] ? "your request is declined, as we are closed"
			                        : "your booking is inside the closure: please call us");
			for (int f = 0; f < 4; f++)
				nt->values[i][f] = nt->text[i][f];
			nt->vars[i] = (struct kn_tvars){ item_names, nt->values[i], 4 };
		}
		sqlite3_reset(req);
		if (s != KN_OK)
			break;
	}
out:
	sqlite3_finalize(blk);
	sqlite3_finalize(req);
	free(text);
	free(nt);
	kn_sender_free(&snd);
	return s;
}
