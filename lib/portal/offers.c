/*
 * A waitlist offer from the owner's side (PORTAL 3, /offers/TOKEN): the
 * stay, the hold's end and one button that books it.  The link is
 * useless to anyone but its owner's session (404 to any other owner, the
 * login first for nobody's), single use, and an expired or spent one is
 * 410 with the way to the requests.
 */
#include <stdio.h>
#include <string.h>

#include "portal/kn_portal.h"

static kn_status gone(struct kn_page_req *r, unsigned status, const char *message,
                      struct kn_err *err)
{
	kn_h_set(r->page, "message", message);
	kn_h_set(r->page, "link", "/requests");
	kn_h_set(r->page, "link_text", "See your requests");
	return kn_page(r, status, "message.html", status == 409 ? "The spot is gone"
	                                                       : "This offer is over", err);
}

/* Every state but an open offer, answered; 0 when it is open. */
static int answered(struct kn_page_req *r, const struct kn_offer *o, kn_status *s,
                    struct kn_err *err)
{
	switch (o->state) {
	case KN_OFFER_OPEN:
		return 0;
	case KN_OFFER_NOT_YOURS:
		*s = kn_not_found(r, err);
		break;
	case KN_OFFER_SPENT:
		*s = gone(r, 410, "This offer was used already: the booking is in your requests.",
		          err);
		break;
	case KN_OFFER_GONE:
		*s = gone(r, 409, "Sorry, the spot is gone: it was taken before you confirmed. Your "
		          "request stays on the waitlist and we will email you if another opens.",
		          err);
		break;
	case KN_OFFER_UNKNOWN:
	case KN_OFFER_EXPIRED:
		*s = gone(r, 410, "This offer has expired or is no longer valid: the spot was held "
		          "for a few hours and then went to the next owner on the waitlist. Your "
		          "requests show where you stand.", err);
		break;
	}
	return 1;
}

kn_status kn_route_offer(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	struct kn_offer o;
	sqlite3_stmt *st;
	if (db == NULL)
		return err->status;
	kn_status s = kn_offer_find(db, r->arg, r->owner_id, &o, err);
	if (s != KN_OK || answered(r, &o, &s, err))
		return s;
	if ((s = kn_prepare(db, "SELECT service, start, end, start_time, (SELECT"
	                        " group_concat(p.name, ', ') FROM request_pets rp JOIN pets p"
	                        " ON p.id = rp.pet_id WHERE rp.request_id = r.id)"
	                        " FROM requests r WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, o.request);
	int row = 0;
	int style = r->set.date_style;
	if ((s = kn_step_row(db, st, &row, "reading the request", err)) == KN_OK && row) {
		const char *service = kn_col_text(st, 0);
		char at[KN_DATE_TEXT], shown[KN_DATE_TEXT];
		kn_h_set(r->page, "service", service);
		kn_h_date(r->page, "start", kn_col_text(st, 1), style, 0);
		if (strcmp(service, "boarding") == 0)
			kn_h_date(r->page, "end", kn_col_text(st, 2), style, 0);
		else
			kn_h_set(r->page, "end", "");
		kn_h_set(r->page, "start_time", kn_time_display(kn_col_text(st, 3), style, at));
		kn_h_set(r->page, "pets", kn_col_text(st, 4));
		kn_h_setf(r->page, "expires", "%s at %s", kn_date_display(o.expires, style, 0, shown),
		          kn_time_display(o.expires + 11, style, at));
	}
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	kn_h_set(r->page, "token", r->arg);
	kn_h_set(r->page, "csrf", kn_csrf_token(r));
	if ((s = kn_menu_fill(db, r->page, err)) != KN_OK)
		return s;
	return kn_page(r, 200, "offer.html", "A spot opened for you", err);
}

kn_status kn_route_offer_confirm(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	struct kn_offer o;
	if (db == NULL)
		return err->status;
	kn_req_act_as_owner(r);
	kn_status s = kn_tx_begin(db, err);
	if (s != KN_OK)
		return s;
	s = kn_offer_confirm(db, r->arg, r->owner_id, &o, err);
	/* a spot gone ends the offer: that is kept; nothing else changed */
	if (s == KN_OK && (o.state == KN_OFFER_OPEN || o.state == KN_OFFER_GONE))
		s = kn_tx_commit(db, err);
	else
		kn_tx_rollback(db);
	if (s != KN_OK || answered(r, &o, &s, err))
		return s;
	kn_redirect(r, kn_arena_printf(&r->arena, "/requests?notice=booked#r%lld", o.request));
	return KN_OK;
}

void kn_portal_waitlist_freed(struct kn_page_req *r, struct kn_db *db)
{
	struct kn_err err = { 0 };
	struct kn_waitlist_summary sum;
	/* the freeing is committed: a failure here is logged, and cron's
	 * 'kennel waitlist offer' tries again */
	if (kn_waitlist_offer(db, kn_srv_mail_templates(r->srv), &sum, NULL, NULL, &err) != KN_OK)
		kn_srv_log(r->srv, "waitlist offer after a freed spot: %s", err.msg);
	else if (sum.offered > 0)
		kn_srv_mail_wake(r->srv);
}
