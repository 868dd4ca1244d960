/* The report card an owner gets after a visit: queued in the transaction
 * that wrote it, once per visit (its dedupe key), and sent even to owners
 * who opted out of blasts (a card is about her pet, not a newsletter). */
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"

kn_status kn_card_notify(struct kn_db *db, long long visit, const char *template_dir,
                         int *queued, struct kn_err *err)
{
	sqlite3_stmt *st = NULL;
	struct kn_sender snd;
	struct kn_owner_vars ov;
	struct kn_owner o = { 0 };
	char *text = NULL, *subject = NULL, *body = NULL, dedupe[48], day[KN_DATE_TEXT];
	int row = 0;
	kn_status s;

	*queued = 0;
	if ((s = kn_sender_load(db, &snd, err)) != KN_OK)
		return s;
	s = kn_prepare(db, "SELECT o.id, o.first_name, o.last_name, o.email, o.username, p.name,"
	                   " v.service, v.day, v.card FROM visits v JOIN pets p ON p.id = v.pet_id"
	                   " JOIN owners o ON o.id = v.owner_id WHERE v.id = ?", &st, err);
	if (s != KN_OK)
		goto done;
	sqlite3_bind_int64(st, 1, visit);
	if ((s = kn_step_row(db, st, &row, "reading the visit", err)) != KN_OK)
		goto done;
	if (!row) {
		s = kn_err_set(err, KN_FAIL, "visit %lld not found", visit);
		goto done;
	}
	if (kn_col_text(st, 8) == NULL) {
		s = kn_err_set(err, KN_FAIL, "visit %lld has no report card to send (kennel desk card "
		               "%lld TEXT writes one)", visit, visit);
		goto done;
	}
	if (kn_col_text(st, 3) == NULL)
		goto done; /* no address: the card stays on the visit, seen in the portal */
	o.id = sqlite3_column_int64(st, 0);
	o.first_name = kn_col_text(st, 1);
	o.last_name = kn_col_text(st, 2);
	o.email = kn_col_text(st, 3);
	o.username = kn_col_text(st, 4);
	kn_owner_vars_fill(&ov, &o, &snd.company, NULL);
	kn_owner_vars_add(&ov, "pet.name", kn_col_text(st, 5));
	kn_owner_vars_add(&ov, "visit.service", kn_col_text(st, 6));
	kn_owner_vars_add(&ov, "visit.date", kn_date_display(kn_col_text(st, 7), snd.date_style, 0,
	                                                     day));
	kn_owner_vars_add(&ov, "visit.card", kn_col_text(st, 8));
	struct kn_tctx ctx = { .vars = ov.vars };
	if ((text = kn_template_load("report-card", template_dir, NULL, err)) == NULL) {
		s = err->status;
		goto done;
	}
	if ((s = kn_template_render("report-card", text, &ctx, &subject, &body, err)) != KN_OK)
		goto done;
	snprintf(dedupe, sizeof dedupe, "report-card:%lld", visit);
	struct kn_mail_msg m = { .kind = "report-card", .owner_id = o.id, .to = o.email,
	                         .subject = subject, .body = body, .dedupe_key = dedupe };
	if ((s = kn_mail_queue(db, &snd, &m, queued, err)) != KN_OK || !*queued)
		goto done;
	/* st stays open: o.email points into its row */
	sqlite3_stmt *mark;
	if ((s = kn_cached(db, "UPDATE visits SET card_sent_at = ? WHERE id = ?", &mark, err)) ==
	    KN_OK) {
		char now[20];
		kn_now_text(now);
		sqlite3_bind_text(mark, 1, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(mark, 2, visit);
		s = kn_step_done(db, mark, "marking the card sent", err);
	}
	if (s == KN_OK)
		s = kn_audit(db, "visit", visit, err, "report card queued to %s", o.email);
done:
	sqlite3_finalize(st);
	free(text);
	free(subject);
	free(body);
	kn_sender_free(&snd);
	return s;
}
