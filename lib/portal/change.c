/*
 * /requests/ID/change (PORTAL.md 3): the dates, time, pets, add-ons,
 * product or note of a pending
 * request (changed in place) or of a future approved booking.  In the
 * module's schedule mode the change is applied when every rule allows it
 * (request modify: the booking keeps its spot otherwise); in request mode
 * it becomes a new pending request that replaces the booking when staff
 * approve it.  The booking windows hold, and cancel_notice_hours: a
 * booking about to start is a phone call.
 */
#include <stdio.h>
#include <string.h>

#include "portal/kn_portal.h"

struct booking {
	char service[16], status[16], start[11], end[11], start_time[6], end_time[6];
	char pets[256], note[512];
	/* as the form's choices: ids as text */
	char pet_text[KN_MAX_PETS][24], addon_text[32][24], product[24];
	struct kn_choice_sel sel;
};

static kn_status booking_load(struct kn_db *db, long long id, long long owner,
                              struct booking *b, int *found, struct kn_err *err)
{
	sqlite3_stmt *st;
	memset(b, 0, sizeof *b);
	*found = 0;
	kn_status s = kn_prepare(db, "SELECT service, status, start, end, coalesce(start_time, ''),"
	                             " coalesce(end_time, ''), coalesce(note, ''),"
	                             " (SELECT group_concat(p.name, ', ') FROM request_pets rp"
	                             "  JOIN pets p ON p.id = rp.pet_id WHERE rp.request_id = r.id),"
	                             " coalesce(product_id, '')"
	                             " FROM requests r WHERE id = ? AND owner_id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, owner);
	if ((s = kn_step_row(db, st, found, "reading the request", err)) == KN_OK && *found) {
		snprintf(b->service, sizeof b->service, "%s", kn_col_text(st, 0));
		snprintf(b->status, sizeof b->status, "%s", kn_col_text(st, 1));
		snprintf(b->start, sizeof b->start, "%s", kn_col_text(st, 2));
		snprintf(b->end, sizeof b->end, "%s", kn_col_text(st, 3));
		snprintf(b->start_time, sizeof b->start_time, "%s", kn_col_text(st, 4));
		snprintf(b->end_time, sizeof b->end_time, "%s", kn_col_text(st, 5));
		snprintf(b->note, sizeof b->note, "%s", kn_col_text(st, 6));
		snprintf(b->pets, sizeof b->pets, "%s", kn_col_text(st, 7) ? kn_col_text(st, 7) : "");
		snprintf(b->product, sizeof b->product, "%s", kn_col_text(st, 8));
		b->sel.product = b->product;
	}
	sqlite3_finalize(st);
	if (s != KN_OK || !*found)
		return s;
	if ((s = kn_prepare(db, "SELECT pet_id FROM request_pets WHERE request_id = ? ORDER BY pet_id",
	                    &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int row = 0;
	while (b->sel.npets < KN_MAX_PETS &&
	       (s = kn_step_row(db, st, &row, "reading the request", err)) == KN_OK && row) {
		size_t i = b->sel.npets++;
		snprintf(b->pet_text[i], sizeof b->pet_text[0], "%s", kn_col_text(st, 0));
		b->sel.pets[i] = b->pet_text[i];
	}
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	if ((s = kn_prepare(db, "SELECT product_id FROM request_addons WHERE request_id = ?"
	                        " ORDER BY product_id", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	while (b->sel.naddons < 32 &&
	       (s = kn_step_row(db, st, &row, "reading the request", err)) == KN_OK && row) {
		size_t i = b->sel.naddons++;
		snprintf(b->addon_text[i], sizeof b->addon_text[0], "%s", kn_col_text(st, 0));
		b->sel.addons[i] = b->addon_text[i];
	}
	sqlite3_finalize(st);
	return s;
}

/* A pending request, or an approved booking that has not started. */
static int changeable(const struct booking *b)
{
	char today[11];
	kn_date_format(kn_today(), today);
	return (strcmp(b->status, "pending") == 0 || strcmp(b->status, "approved") == 0) &&
	       strcmp(b->start, today) >= 0;
}

static kn_status no_change(struct kn_page_req *r, const char *why, struct kn_err *err)
{
	kn_h_set(r->page, "message", why);
	kn_h_set(r->page, "link", "/requests");
	kn_h_set(r->page, "link_text", "Back to your requests");
	return kn_page(r, 422, "message.html", "Cannot change", err);
}

static kn_status change_page(struct kn_page_req *r, struct kn_db *db, const struct booking *b,
                             unsigned status, struct kn_err *err)
{
	char mode[16];
	kn_status s = kn_module_mode(db, b->service, mode, sizeof mode, err);
	if (s != KN_OK)
		return s;
	kn_h_int(r->page, "id", r->id);
	kn_h_set(r->page, "service", b->service);
	kn_h_set(r->page, "pet_names", b->pets);
	kn_h_set(r->page, "status_words", strcmp(b->status, "approved") == 0 ? "Approved"
	                                                                      : "Waiting for approval");
	kn_h_set(r->page, "approved", strcmp(b->status, "approved") == 0 ? "1" : "");
	kn_h_set(r->page, "schedule", strcmp(mode, "schedule") == 0 ? "1" : "");
	kn_h_set(r->page, "boarding", strcmp(b->service, "boarding") == 0 ? "1" : "");
	kn_h_default(r->page, "v_start", b->start);
	kn_h_default(r->page, "v_start_time", b->start_time);
	kn_h_default(r->page, "v_end", b->end);
	kn_h_default(r->page, "v_note", b->note);
	/* the choices as they are, or as the owner posted them */
	struct kn_choice_sel posted;
	if (strcmp(r->method, "POST") == 0)
		kn_choices_posted(r, &posted);
	if ((s = kn_choices_put(r, db, b->service, strcmp(r->method, "POST") == 0 ? &posted : &b->sel,
	                        err)) != KN_OK)
		return s;
	static const char *const errs[] = { "e_form", "e_start", "e_start_time", "e_end", "e_pet" };
	for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++)
		kn_h_default(r->page, errs[i], "");
	kn_h_set(r->page, "csrf", kn_csrf_token(r));
	return kn_page(r, status, "change.html", "Change your booking", err);
}

kn_status kn_route_request_change_form(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	struct booking b;
	int found = 0;
	if (db == NULL)
		return err->status;
	kn_status s = booking_load(db, r->id, r->owner_id, &b, &found, err);
	if (s != KN_OK)
		return s;
	if (!found)
		return kn_not_found(r, err);
	if (!changeable(&b))
		return no_change(r, "This request has started, is over or was decided: it cannot be "
		                 "changed here. Please call us.", err);
	return change_page(r, db, &b, 200, err);
}

kn_status kn_route_request_change(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	struct booking b;
	struct kn_err ferr = { 0 };
	int found = 0, bad = 0;
	char mode[16], start_at[32], end_at[16];
	if (db == NULL)
		return err->status;
	kn_status s = booking_load(db, r->id, r->owner_id, &b, &found, err);
	if (s != KN_OK)
		return s;
	if (!found)
		return kn_not_found(r, err);
	if (!changeable(&b))
		return no_change(r, "This request has started, is over or was decided: it cannot be "
		                 "changed here. Please call us.", err);
	if ((s = kn_request_cancel_window(db, r->id, &ferr)) == KN_TEMPFAIL) {
		*err = ferr;
		return s;
	} else if (s != KN_OK) {
		return no_change(r, ferr.msg, err);
	}
	const char *start = kn_field(r, "start", &bad), *time = kn_field(r, "start_time", &bad);
	const char *end = kn_field(r, "end", &bad), *note = kn_field(r, "note", &bad);
	int boarding = strcmp(b.service, "boarding") == 0;
	kn_day day, end_day;
	if (bad)
		return kn_not_found(r, err);
	kn_h_set(r->page, "v_start", start ? start : "");
	kn_h_set(r->page, "v_start_time", time ? time : "");
	kn_h_set(r->page, "v_end", end ? end : "");
	kn_h_set(r->page, "v_note", note ? note : "");
	if (start == NULL || kn_date_parse(start, &day, &ferr) != KN_OK) {
		kn_field_error(r, "start", "Enter the date, like 2026-12-24.");
		return change_page(r, db, &b, 422, err);
	}
	if (day < kn_today()) {
		kn_field_error(r, "start", "That day has passed.");
		return change_page(r, db, &b, 422, err);
	}
	if (time && *time && !kn_clock_ok(time)) {
		kn_field_error(r, "start_time", "Enter the time like 08:30.");
		return change_page(r, db, &b, 422, err);
	}
	if (boarding && (end == NULL || kn_date_parse(end, &end_day, &ferr) != KN_OK)) {
		kn_field_error(r, "end", "Enter the pick-up day, like 2026-12-24.");
		return change_page(r, db, &b, 422, err);
	}
	if (boarding && end_day <= day) {
		kn_field_error(r, "end", "The pick-up day must be after the drop-off day.");
		return change_page(r, db, &b, 422, err);
	}
	struct kn_choices ch;
	int foreign = 0;
	if ((s = kn_choices_read(r, db, b.service, &ch, &bad, &foreign, err)) != KN_OK)
		return s;
	if (foreign)
		return kn_not_found(r, err);
	if (bad)
		return change_page(r, db, &b, 422, err);
	if (note && strlen(note) > 2000) {
		kn_field_error(r, "form", "A note has at most 2,000 characters.");
		return change_page(r, db, &b, 422, err);
	}
	char ymd[11];
	kn_date_format(day, ymd);
	snprintf(start_at, sizeof start_at, "%s%s%s", ymd, time && *time ? "T" : "",
	         time && *time ? time : "");
	if (boarding)
		kn_date_format(end_day, end_at);
	if ((s = kn_request_window(db, r->owner_id, ymd, time && *time ? time : "", 1, &ferr)) ==
	    KN_TEMPFAIL) {
		*err = ferr;
		return s;
	} else if (s != KN_OK) {
		kn_field_error(r, "start", ferr.msg);
		return change_page(r, db, &b, 422, err);
	}
	if ((s = kn_module_mode(db, b.service, mode, sizeof mode, err)) != KN_OK)
		return s;
	kn_req_act_as_owner(r);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	const char *notice = "changed";
	long long id = r->id;
	if (strcmp(b.status, "approved") == 0 && strcmp(mode, "schedule") != 0) {
		/* request mode: a replacing request; the booking keeps its spot */
		struct kn_request_in in = { .owner_id = r->owner_id, .service = b.service,
		                            .start = start_at, .end = boarding ? end_at : NULL,
		                            .note = note && *note ? note : NULL, .npets = ch.npets,
		                            .addons = ch.naddons ? ch.addons : NULL,
		                            .product = ch.product, .replaces_id = r->id };
		memcpy(in.pets, ch.pets, sizeof in.pets);
		s = kn_request_add(db, &in, &id, &ferr);
		notice = "change-asked";
	} else {
		struct kn_request_change c = { .start = start_at, .end = boarding ? end_at : NULL,
		                               .note = note ? note : NULL, .npets = ch.npets,
		                               .addons = ch.addons, .addons_given = boarding,
		                               .product = ch.product, .owner_words = 1 };
		memcpy(c.pets, ch.pets, sizeof c.pets);
		s = kn_request_modify(db, r->id, &c, &ferr);
	}
	if (s == KN_OK)
		s = kn_tx_commit(db, &ferr);
	if (s == KN_TEMPFAIL) {
		*err = ferr;
		return s;
	}
	if (s != KN_OK) {
		kn_tx_rollback(db);
		kn_field_error(r, "form", ferr.msg);
		return change_page(r, db, &b, 422, err);
	}
	if (strcmp(notice, "changed") == 0)
		kn_portal_waitlist_freed(r, db);
	kn_redirect(r, kn_arena_printf(&r->arena, "/requests?notice=%s#r%lld", notice, id));
	return KN_OK;
}
