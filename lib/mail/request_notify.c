/* The mail an owner gets when a request is approved or declined: queued in
 * the transaction of the decision, sent even to owners who opted out of
 * blasts and reminders (a decision is no newsletter). */
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"

/* changed: the booking itself was changed (request modify): told as a
 * change, keyed by the time of the change, not the first decision's */
static kn_status notify(struct kn_db *db, long long id, const char *template_dir, int changed,
                        struct kn_err *err)
{
	static const char *const request_fields[] = { "request.service", "request.pets",
	                                              "request.start", "request.end",
	                                              "request.note", "request.reason" };
	sqlite3_stmt *st;
	struct kn_sender snd;
	struct kn_owner_vars ov;
	struct kn_owner o = { 0 };
	char *text = NULL, *subject = NULL, *body = NULL, dedupe[128];
	kn_status s;
	int queued;

	if ((s = kn_sender_load(db, &snd, err)) != KN_OK)
		return s;
	s = kn_prepare(db, "SELECT o.id, o.first_name, o.last_name, o.email, o.username, r.service,"
	                   " (SELECT group_concat(p.name, ', ') FROM request_pets rp JOIN pets p"
	                   "  ON p.id = rp.pet_id WHERE rp.request_id = r.id),"
	                   " r.start || coalesce(' at ' || r.start_time, ''), r.end || coalesce(' at ' || r.end_time, ''),"
	                   " r.note, r.reason, r.status, r.decided_at, r.replaces_id IS NOT NULL,"
	                   " (SELECT max(a.id) FROM audit a WHERE a.entity = 'request'"
	                   "  AND a.entity_id = r.id)"
	                   " FROM requests r JOIN owners o ON o.id = r.owner_id WHERE r.id = ?", &st, err);
	if (s != KN_OK)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	int row = 0;
	if ((s = kn_step_row(db, st, &row, "reading the request", err)) != KN_OK || !row) {
		if (s == KN_OK)
			s = kn_err_set(err, KN_FAIL, "request %lld not found", id);
		goto done;
	}
	const char *status = kn_col_text(st, 11);
	/* a change an owner asked of her booking is told as one: approved,
	 * or refused with her booking as it was */
	int change = changed || sqlite3_column_int(st, 13);
	const char *tname = strcmp(status, "approved") == 0
	                        ? (change ? "change-approved" : "request-approved")
	                    : strcmp(status, "declined") == 0
	                        ? (change ? "change-refused" : "request-declined")
	                        : NULL;
	if (tname == NULL || kn_col_text(st, 3) == NULL)
		goto done; /* nothing to tell, or no address to tell it to */
	o.id = sqlite3_column_int64(st, 0);
	o.first_name = kn_col_text(st, 1);
	o.last_name = kn_col_text(st, 2);
	o.email = kn_col_text(st, 3);
	o.username = kn_col_text(st, 4);
	kn_owner_vars_fill(&ov, &o, &snd.company, NULL);
	char days[2][KN_DATE_TEXT];
	for (int i = 0; i < 6; i++)
		kn_owner_vars_add(&ov, request_fields[i],
		                  i == 2 || i == 3
		                      ? kn_date_display(kn_col_text(st, 5 + i), snd.date_style, 0, days[i - 2])
		                      : kn_col_text(st, 5 + i));
	struct kn_tctx ctx = { .vars = ov.vars };
	if ((text = kn_template_load(tname, template_dir, NULL, err)) == NULL) {
		s = err->status;
		goto done;
	}
	if ((s = kn_template_render(tname, text, &ctx, &subject, &body, err)) != KN_OK)
		goto done;
	/* a change by the audit entry that recorded it: each change once */
	snprintf(dedupe, sizeof dedupe, "request:%lld:%s:%s", id, changed ? "changed" : status,
	         changed ? kn_col_text(st, 14) : kn_col_text(st, 12));
	struct kn_mail_msg m = { .kind = tname, .owner_id = o.id, .to = o.email, .subject = subject,
	                         .body = body, .dedupe_key = dedupe };
	s = kn_mail_queue(db, &snd, &m, &queued, err);
done:
	sqlite3_finalize(st);
out:
	free(text);
	free(subject);
	free(body);
	kn_sender_free(&snd);
	return s;
}

kn_status kn_request_notify(struct kn_db *db, long long id, const char *template_dir,
                            struct kn_err *err)
{
	return notify(db, id, template_dir, 0, err);
}

kn_status kn_change_notify(struct kn_db *db, long long id, const char *template_dir,
                           struct kn_err *err)
{
	return notify(db, id, template_dir, 1, err);
}
