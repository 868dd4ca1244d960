/*
 * kennel waitlist offer (SPEC waitlist): a freed spot offered to the
 * earliest waitlisted request that fits on every day, held for it while
 * the offer is open, and its owner mailed a single-use link to
 * /offers/TOKEN.  The mail is secret (the outbox forgets the body once
 * sent) and keyed by the offer, so nothing is sent twice.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"
#include "request/kn_request.h"

struct offer_run {
	struct kn_db *db;
	struct kn_sender snd;
	char *text;
	long long hours;
	struct kn_waitlist_summary *sum;
	kn_offered_cb offered;
	void *ud;
};

static const char *const request_fields[] = { "request.service", "request.pets",
                                              "request.start", "request.end" };

/* One request that fits: held and mailed, unless nobody can be told. */
static kn_status offer_one(void *ud, long long id, int *held, struct kn_err *err)
{
	struct offer_run *run = ud;
	struct kn_db *db = run->db;
	sqlite3_stmt *st;
	int row = 0;
	*held = 0;
	const char *portal = run->snd.company.portal_url;
	kn_status s = kn_cached(db, "SELECT o.id, o.first_name, o.last_name, o.email, o.username,"
	                            " r.service, (SELECT group_concat(p.name, ', ')"
	                            "  FROM request_pets rp JOIN pets p ON p.id = rp.pet_id"
	                            "  WHERE rp.request_id = r.id), r.start, r.end"
	                            " FROM requests r JOIN owners o ON o.id = r.owner_id"
	                            " WHERE r.id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	if ((s = kn_step_row(db, st, &row, "reading the request", err)) != KN_OK || !row)
		goto done;
	if (kn_col_text(st, 3) == NULL || portal == NULL || portal[0] == '\0') {
		run->sum->unreachable++; /* no address, or no portal to confirm on */
		goto done;
	}
	char token[64], expires[20], path[100], url[700], until[KN_DATE_TEXT + 16];
	long long offer = 0;
	if ((s = kn_waitlist_hold(db, id, (long)run->hours, token, sizeof token, &offer, expires,
	                          err)) != KN_OK)
		goto done;
	snprintf(path, sizeof path, "/offers/%s", token);
	kn_url_join(portal, path, url, sizeof url);
	sodium_memzero(token, sizeof token);
	struct kn_owner o = { .id = sqlite3_column_int64(st, 0), .first_name = kn_col_text(st, 1),
	                      .last_name = kn_col_text(st, 2), .email = kn_col_text(st, 3),
	                      .username = kn_col_text(st, 4) };
	struct kn_owner_vars ov;
	kn_owner_vars_fill(&ov, &o, &run->snd.company, NULL);
	char days[2][KN_DATE_TEXT];
	const char *service = kn_col_text(st, 5);
	kn_owner_vars_add(&ov, request_fields[0], service);
	kn_owner_vars_add(&ov, request_fields[1], kn_col_text(st, 6));
	kn_owner_vars_add(&ov, request_fields[2],
	                  kn_date_display(kn_col_text(st, 7), run->snd.date_style, 0, days[0]));
	/* a day service is its one day */
	kn_owner_vars_add(&ov, request_fields[3],
	                  strcmp(service, "boarding") == 0
	                      ? kn_date_display(kn_col_text(st, 8), run->snd.date_style, 0, days[1])
	                      : "");
	char when[KN_DATE_TEXT], at[KN_DATE_TEXT];
	snprintf(until, sizeof until, "%s at %s",
	         kn_date_display(expires, run->snd.date_style, 0, when),
	         kn_time_display(expires + 11, run->snd.date_style, at));
	kn_owner_vars_add(&ov, "offer.url", url);
	kn_owner_vars_add(&ov, "offer.expires", until);
	struct kn_tctx ctx = { .vars = ov.vars };
	char *subject = NULL, *body = NULL, dedupe[64];
	int queued = 0;
	if ((s = kn_template_render("waitlist-offer", run->text, &ctx, &subject, &body, err)) ==
	    KN_OK) {
		snprintf(dedupe, sizeof dedupe, "waitlist-offer:%lld", offer);
		struct kn_mail_msg m = { .kind = "waitlist-offer", .owner_id = o.id, .to = o.email,
		                         .subject = subject, .body = body, .dedupe_key = dedupe,
		                         .secret = 1 };
		s = kn_mail_queue(db, &run->snd, &m, &queued, err);
	}
	if (body)
		sodium_memzero(body, strlen(body));
	free(subject);
	free(body);
	sodium_memzero(url, sizeof url);
	if (s == KN_OK) {
		*held = 1;
		run->sum->offered++;
		if (run->offered)
			run->offered(run->ud, id, o.email, expires);
	}
done:
	sqlite3_reset(st);
	return s;
}

kn_status kn_waitlist_offer(struct kn_db *db, const char *template_dir,
                            struct kn_waitlist_summary *sum, kn_offered_cb offered, void *ud,
                            struct kn_err *err)
{
	struct offer_run run = { .db = db, .sum = sum, .offered = offered, .ud = ud };
	int waiting = 0;
	memset(sum, 0, sizeof *sum);
	kn_status s = kn_waitlist_waiting(db, &waiting, err);
	if (s != KN_OK || !waiting)
		return s;
	if ((s = kn_pref_int(db, "waitlist.hold_hours", &run.hours, err)) != KN_OK)
		return s;
	if (run.hours < 1 || run.hours > 24 * 14)
		return kn_err_set(err, KN_FAIL, "waitlist.hold_hours is %lld: use 1 to 336", run.hours);
	if ((run.text = kn_template_load("waitlist-offer", template_dir, NULL, err)) == NULL)
		return err->status;
	if ((s = kn_sender_load(db, &run.snd, err)) != KN_OK) {
		free(run.text);
		return s;
	}
	if ((s = kn_tx_begin(db, err)) == KN_OK) {
		s = kn_waitlist_tidy(db, sum, err);
		if (s == KN_OK)
			s = kn_waitlist_next(db, offer_one, &run, err);
		if (s == KN_OK)
			s = kn_tx_commit(db, err);
		else
			kn_tx_rollback(db);
	}
	kn_sender_free(&run.snd);
	free(run.text);
	return s;
}
