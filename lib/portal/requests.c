/*
 * Requests from the owner's side (PORTAL.md 3): the module's form, the
 * request made with kn_request_add, and for a module set to "schedule"
 * the same approval staff would give (kn_request_check, kn_request_decide):
 * one copy of every rule, told to the owner in their words.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal/kn_portal.h"

static const struct kn_module *module_of(const char *service)
{
	for (const struct kn_module *m = kn_modules; service && m->service; m++)
		if (strcmp(m->service, service) == 0)
			return m;
	return NULL;
}

/* What the owner may cancel: a request still pending, or an approved stay
 * that has not ended; the rest is staff's to change. */
static int owner_may_cancel(const char *status, const char *end, const char *today)
{
	return strcmp(status, "pending") == 0 || strcmp(status, "waitlisted") == 0 ||
	       (strcmp(status, "approved") == 0 && strcmp(end, today) >= 0);
}

/* A status as the owner reads it; the class beside it is for the style,
 * and the words say it without the colour. */
static const char *status_words(const char *status)
{
	static const struct { const char *status, *words; } words[] = {
		{ "pending", "Waiting for approval" }, { "approved", "Approved" },
		{ "declined", "Declined" }, { "cancelled", "Canceled" },
		{ "waitlisted", "On the waitlist" },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(status, words[i].status) == 0)
			return words[i].words;
	return status;
}

static void put_request(struct kn_hctx *item, sqlite3_stmt *st, const char *today, int style)
{
	const char *status = kn_col_text(st, 4), *end = kn_col_text(st, 3);
	kn_h_int(item, "id", sqlite3_column_int64(st, 0));
	kn_h_set(item, "service", kn_col_text(st, 1));
	kn_h_date(item, "start", kn_col_text(st, 2), style, 0);
	/* a day service is one day: its end is its start */
	if (strcmp(kn_col_text(st, 1), "boarding") == 0)
		kn_h_date(item, "end", end, style, 0);
	else
		kn_h_set(item, "end", "");
	kn_h_set(item, "status", status);
	kn_h_set(item, "status_words", status_words(status));
	kn_h_set(item, "reason", kn_col_text(st, 5));
	char at[KN_DATE_TEXT];
	kn_h_set(item, "start_time", kn_time_display(kn_col_text(st, 6), style, at));
	char until[KN_DATE_TEXT];
	kn_h_set(item, "end_time", kn_time_display(kn_col_text(st, 10), style, until));
	kn_h_set(item, "note", kn_col_text(st, 7));
	kn_h_set(item, "pets", kn_col_text(st, 8));
	kn_h_set(item, "addons", kn_col_text(st, 9));
	kn_h_set(item, "cancellable", owner_may_cancel(status, end, today) ? "1" : "");
	/* changeable: pending, or approved and not started; a change asked
	 * already waits beside the booking */
	int open = (strcmp(status, "pending") == 0 || strcmp(status, "approved") == 0) &&
	           strcmp(kn_col_text(st, 2), today) >= 0;
	kn_h_set(item, "changeable", open && kn_col_text(st, 11) == NULL ? "1" : "");
	kn_h_date(item, "change_start", kn_col_text(st, 11) ? kn_col_text(st, 11) : "", style, 0);
}

#define REQUEST_COLUMNS \
	"r.id, r.service, r.start, r.end, r.status, r.reason, r.start_time, r.note," \
	" (SELECT group_concat(p.name, ', ') FROM request_pets rp JOIN pets p ON p.id = rp.pet_id" \
	"  WHERE rp.request_id = r.id)," \
	" (SELECT group_concat(pr.name, ', ') FROM request_addons ra JOIN products pr" \
	"  ON pr.id = ra.product_id WHERE ra.request_id = r.id), r.end_time," \
	" (SELECT n.start FROM requests n WHERE n.replaces_id = r.id AND n.status = 'pending'" \
	"  ORDER BY n.id DESC LIMIT 1)"

kn_status kn_route_requests(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st;
	char today[11];
	if (db == NULL)
		return err->status;
	kn_date_format(kn_today(), today);
	kn_status s = kn_prepare(db, "SELECT " REQUEST_COLUMNS " FROM requests r WHERE r.owner_id = ?"
	                             " ORDER BY r.start DESC, r.id DESC", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	kn_h_list(r->page, "requests");
	int style = r->set.date_style;
	while (sqlite3_step(st) == SQLITE_ROW)
		put_request(kn_h_item(r->page, "requests"), st, today, style);
	sqlite3_finalize(st);
	kn_h_set(r->page, "csrf", kn_csrf_token(r));
	if ((s = kn_menu_fill(db, r->page, err)) != KN_OK)
		return s;
	return kn_page(r, 200, "requests.html", "Your requests", err);
}

struct instr {
	struct kn_page_req *r;
};

static kn_status put_instructions(void *ud, const char *module, const char *text)
{
	struct instr *in = ud;
	(void)module;
	kn_h_set(in->r->page, "instructions", text);
	kn_h_safe(in->r->page, "instructions_html", kn_markdown_html(&in->r->arena, text));
	return KN_OK;
}

/* The request form of a module, with what the owner posted kept. */
static kn_status request_form(struct kn_page_req *r, const struct kn_module *m, unsigned status,
                              struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	kn_h_set(r->page, "service", m->service);
	kn_h_set(r->page, "boarding", strcmp(m->service, "boarding") == 0 ? "1" : "");
	kn_h_default(r->page, "instructions", "");
	kn_h_default(r->page, "instructions_html", "");
	struct instr in = { r };
	kn_status s = kn_instructions_each(db, m->service, put_instructions, &in, err);
	if (s != KN_OK)
		return s;
	struct kn_choice_sel sel;
	kn_choices_posted(r, &sel);
	if ((s = kn_choices_put(r, db, m->service, &sel, err)) != KN_OK)
		return s;
	int repeats = strcmp(m->service, "daycare") == 0 || strcmp(m->service, "training") == 0 ||
	              strcmp(m->service, "service") == 0;
	kn_h_set(r->page, "repeats", repeats ? "1" : "");
	kn_h_list(r->page, "weekdays");
	static const char *const wd[][2] = { { "mon", "Mon" }, { "tue", "Tue" }, { "wed", "Wed" },
	                                     { "thu", "Thu" }, { "fri", "Fri" }, { "sat", "Sat" },
	                                     { "sun", "Sun" } };
	const char *repeat[8];
	size_t nrepeat = kn_form_all(&r->form, "repeat", repeat, 8);
	for (size_t i = 0; repeats && i < 7; i++) {
		struct kn_hctx *w = kn_h_item(r->page, "weekdays");
		int on = 0;
		for (size_t j = 0; j < nrepeat && j < 8; j++)
			on |= strcmp(repeat[j], wd[i][0]) == 0;
		kn_h_set(w, "day", wd[i][0]);
		kn_h_set(w, "label", wd[i][1]);
		kn_h_set(w, "checked", on ? "1" : "");
	}
	static const char *const fields[] = { "start", "start_time", "end", "end_time", "note",
	                                      "until", "product" };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char k[32];
		const char *v = kn_form_one(&r->form, fields[i], NULL);
		snprintf(k, sizeof k, "v_%s", fields[i]);
		kn_h_default(r->page, k, v ? v : "");
		snprintf(k, sizeof k, "e_%s", fields[i]);
		kn_h_default(r->page, k, "");
	}
	kn_h_default(r->page, "e_pet", "");
	kn_h_default(r->page, "e_form", "");
	kn_h_set(r->page, "csrf", kn_csrf_token(r));
	return kn_page(r, status, "request-new.html", m->title, err);
}

kn_status kn_route_request_new(struct kn_page_req *r, struct kn_err *err)
{
	const struct kn_module *m = module_of(kn_form_one(&r->query, "service", NULL));
	struct kn_db *db = kn_req_db(r, err);
	char mode[16];
	if (db == NULL)
		return err->status;
	if (m == NULL)
		return kn_not_found(r, err);
	kn_status s = kn_module_mode(db, m->service, mode, sizeof mode, err);
	if (s != KN_OK)
		return s;
	if (strcmp(mode, "off") == 0)
		return kn_not_found(r, err); /* a module that is off does not exist */
	return request_form(r, m, 200, err);
}

#define SERIES_PER_OWNER 5

/* The weekly repeat of the form: a pending series (SPEC request recur),
 * its occurrences waiting for staff like any request. */
static kn_status create_series(struct kn_page_req *r, const struct kn_module *m,
                               const struct kn_request_in *req, const char *start,
                               const char *time, const char *days, const char *until,
                               struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st;
	struct kn_err ferr = { 0 };
	int active = 0;
	if (db == NULL)
		return err->status;
	kn_status s = kn_prepare(db, "SELECT count(*) FROM series WHERE owner_id = ? AND"
	                             " ended_at IS NULL AND (until_date IS NULL OR until_date >= ?)",
	                         &st, err);
	if (s != KN_OK)
		return s;
	char today[11];
	kn_date_format(kn_today(), today);
	sqlite3_bind_int64(st, 1, r->owner_id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		active = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (active >= SERIES_PER_OWNER) {
		kn_field_error(r, "form", "You have 5 repeating bookings already, the most the portal "
		               "takes: please call us to add another.");
		return request_form(r, m, 422, err);
	}
	struct kn_series_in in = { .owner_id = r->owner_id, .service = m->service, .days = days,
	                           .from = start, .until = until, .time = time && *time ? time : NULL,
	                           .product = req->product, .note = req->note, .npets = req->npets };
	memcpy(in.pets, req->pets, sizeof in.pets);
	struct kn_series_result res;
	long long id;
	kn_req_act_as_owner(r);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	s = kn_series_create(db, &in, &id, &res, NULL, NULL, &ferr);
	if (s == KN_OK)
		s = kn_tx_commit(db, &ferr);
	if (s == KN_TEMPFAIL) {
		*err = ferr;
		return s;
	}
	if (s != KN_OK) {
		kn_tx_rollback(db);
		kn_field_error(r, "form", "We could not make that repeat. Please check the days and "
		               "dates, or call us.");
		return request_form(r, m, 422, err);
	}
	kn_redirect(r, "/requests?notice=repeat");
	return KN_OK;
}

kn_status kn_route_request_create(struct kn_page_req *r, struct kn_err *err)
{
	int bad = 0;
	const struct kn_module *m = module_of(kn_field(r, "service", &bad));
	struct kn_db *db = kn_req_db(r, err);
	char mode[16];
	if (db == NULL)
		return err->status;
	if (m == NULL || bad)
		return kn_not_found(r, err);
	kn_status s = kn_module_mode(db, m->service, mode, sizeof mode, err);
	if (s != KN_OK)
		return s;
	if (strcmp(mode, "off") == 0)
		return kn_not_found(r, err);

	struct kn_request_in in = { .owner_id = r->owner_id, .service = m->service };
	struct kn_choices ch;
	int foreign = 0;
	if ((s = kn_choices_read(r, db, m->service, &ch, &bad, &foreign, err)) != KN_OK)
		return s;
	if (foreign)
		return kn_not_found(r, err); /* never another owner's pet, never a hint of it */
	memcpy(in.pets, ch.pets, sizeof in.pets);
	in.npets = ch.npets;
	in.product = ch.product;
	const char *start = kn_field(r, "start", &bad), *time = kn_field(r, "start_time", &bad);
	const char *end = kn_field(r, "end", &bad), *note = kn_field(r, "note", &bad);
	char start_at[40];
	kn_day day;
	struct kn_err ferr = { 0 };
	int day_ok = 0;
	if (start == NULL || kn_date_parse(start, &day, &ferr) != KN_OK) {
		kn_field_error(r, "start", "Enter the date, like 2026-12-24.");
		bad = 1;
	} else if (day < kn_today()) {
		kn_field_error(r, "start", "That day has passed.");
		bad = 1;
	} else {
		day_ok = 1;
	}
	if (time && *time && !kn_clock_ok(time)) {
		kn_field_error(r, "start_time", "Enter the time like 08:30.");
		bad = 1;
	}
	const char *end_time = kn_field(r, "end_time", &bad);
	if (end_time && *end_time && !kn_clock_ok(end_time)) {
		kn_field_error(r, "end_time", "Enter the time like 17:00.");
		bad = 1;
	}
	/* A day service is one day: an end sent anyway (no form offers one)
	 * would book every day up to it.  A stay is at most portal.max_nights:
	 * one POST must never hold the kennel for years. */
	int boarding = strcmp(m->service, "boarding") == 0;
	kn_day end_day;
	if (!boarding && end && *end) {
		kn_field_error(r, "form", "This service is for one day; send a request for each day.");
		bad = 1;
	} else if (boarding && (end == NULL || *end == '\0')) {
		kn_field_error(r, "end", "Enter the day you pick up.");
		bad = 1;
	} else if (boarding && kn_date_parse(end, &end_day, &ferr) != KN_OK) {
		kn_field_error(r, "end", "Enter the pick-up day, like 2026-12-24.");
		bad = 1;
	} else if (boarding && day_ok && end_day <= day) {
		kn_field_error(r, "end", "The pick-up day must be after the drop-off day.");
		bad = 1;
	} else if (boarding && day_ok) {
		long long max;
		if ((s = kn_pref_int(db, "portal.max_nights", &max, err)) != KN_OK)
			return s;
		if (max > 0 && end_day - day > max) {
			char msg[120];
			snprintf(msg, sizeof msg, "A stay can be at most %lld nights here; "
			         "call us to book a longer one.", max);
			kn_field_error(r, "end", msg);
			bad = 1;
		}
	}
	if (note && strlen(note) > 2000)
		kn_field_error(r, "note", "At most 2,000 characters."), bad = 1;
	/* a weekly repeat: the days checked, until a day */
	const char *repeat[8];
	size_t nrepeat = kn_form_all(&r->form, "repeat", repeat, 8);
	const char *until = kn_field(r, "until", &bad);
	char days[40] = "";
	if (nrepeat > 7 || (nrepeat && strcmp(m->service, "boarding") == 0) ||
	    (nrepeat && strcmp(m->service, "grooming") == 0))
		return kn_not_found(r, err);
	for (size_t i = 0; i < nrepeat; i++) {
		if (strlen(repeat[i]) != 3 || strchr(repeat[i], ',') || strstr(days, repeat[i]))
			return kn_not_found(r, err);
		snprintf(days + strlen(days), sizeof days - strlen(days), "%s%s", i ? "," : "",
		         repeat[i]);
	}
	kn_day until_day;
	if (nrepeat && (until == NULL || *until == '\0')) {
		kn_field_error(r, "until", "Enter the last day of the repeat.");
		bad = 1;
	} else if (nrepeat && kn_date_parse(until, &until_day, &ferr) != KN_OK) {
		kn_field_error(r, "until", "Enter the last day, like 2027-03-31.");
		bad = 1;
	} else if (nrepeat && day_ok && until_day < day) {
		kn_field_error(r, "until", "The last day must be on or after the first day.");
		bad = 1;
	} else if (nrepeat && day_ok && until_day - day > 365) {
		kn_field_error(r, "until", "A repeat can run a year at most here; call us for longer.");
		bad = 1;
	}
	if (bad)
		return request_form(r, m, 422, err);
	if (nrepeat)
		return create_series(r, m, &in, start, time, days, until, err);
	char ymd[11];
	kn_date_format(day, ymd);
	snprintf(start_at, sizeof start_at, "%s%s%s", ymd, time && *time ? "T" : "",
	         time && *time ? time : "");
	in.start = start_at;
	char end_at[40];
	if (end && *end && end_time && *end_time) {
		snprintf(end_at, sizeof end_at, "%.10sT%s", end, end_time);
		in.end = end_at;
	} else {
		in.end = end && *end ? end : NULL;
	}
	in.note = note && *note ? note : NULL;
	in.addons = ch.naddons ? ch.addons : NULL;
	/* how far ahead, how soon, how many waiting: in the owner's words */
	if ((s = kn_request_window(db, r->owner_id, ymd, time && *time ? time : "", 1, &ferr)) ==
	    KN_TEMPFAIL) {
		*err = ferr;
		return s;
	} else if (s != KN_OK) {
		kn_field_error(r, "start", ferr.msg);
		return request_form(r, m, 422, err);
	}

	kn_req_act_as_owner(r);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	long long id = 0;
	s = kn_request_add(db, &in, &id, &ferr);
	/* a double click on "Send request": the second answers with the first */
	long long earlier = 0;
	int approved = 0;
	if (s == KN_OK &&
	    (s = kn_request_same_earlier(db, id, &earlier, &approved, &ferr)) == KN_OK && earlier) {
		kn_tx_rollback(db);
		kn_redirect(r, kn_arena_printf(&r->arena, "/requests?notice=%s#r%lld",
		                               approved ? "booked" : "requested", earlier));
		return KN_OK;
	}
	struct kn_verdict v = { 0 };
	if (s == KN_OK)
		s = kn_request_check(db, id, 1, &v, &ferr);
	const char *notice = "requested";
	int waitlist = 0;
	if (s == KN_OK && (v.failed & KN_RULE_VACCINATION) && strcmp(mode, "schedule") == 0) {
		/* schedule mode never books an unvaccinated pet: refused here
		 * and now, naming the pet, the vaccine and the date */
		kn_tx_rollback(db);
		kn_field_error(r, "pet", v.why);
		return request_form(r, m, 422, err);
	}
	if (s == KN_OK && (v.failed & KN_RULE_VACCINATION)) {
		/* request mode: it waits for staff and for the papers, and the
		 * owner is told what to send (a new owner's first visit is no
		 * dead end) */
		s = kn_request_papers_needed(db, id, v.why, &ferr);
		notice = "papers";
	}
	if (s == KN_OK && strcmp(mode, "schedule") == 0) {
		if (!v.refused) {
			s = kn_request_decide(db, id, "approve", "booked on the portal", 0, &ferr);
			notice = "booked";
		} else if (v.failed == KN_RULE_CAPACITY &&
		           (s = kn_pref_bool(db, "portal.waitlist", &waitlist, &ferr)) == KN_OK &&
		           waitlist) {
			/* full, and nothing else: it waits for a freed spot */
			s = kn_waitlist_add(db, id, v.why, &ferr);
			notice = "waitlisted";
		} else if (s == KN_OK) {
			/* it waits for staff, with the reason the owner was shown */
			sqlite3_stmt *st;
			if ((s = kn_prepare(db, "UPDATE requests SET reason = ? WHERE id = ?", &st,
			                    &ferr)) == KN_OK) {
				sqlite3_bind_text(st, 1, v.why, -1, SQLITE_STATIC);
				sqlite3_bind_int64(st, 2, id);
				if (sqlite3_step(st) != SQLITE_DONE)
					s = kn_sql_fail(db, &ferr, "keeping the reason");
				sqlite3_finalize(st);
			}
			notice = "not-booked";
		}
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
		return request_form(r, m, 422, err);
	}
	kn_redirect(r, kn_arena_printf(&r->arena, "/requests?notice=%s#r%lld", notice, id));
	return KN_OK;
}

/* Canceling loses the spot: a page that says what will be canceled,
 * with the one button that does it and a way back. */
kn_status kn_route_request_cancel_form(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st;
	char today[11];
	if (db == NULL)
		return err->status;
	kn_date_format(kn_today(), today);
	kn_status s = kn_prepare(db, "SELECT " REQUEST_COLUMNS " FROM requests r WHERE r.id = ?"
	                             " AND r.owner_id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->owner_id);
	int found = sqlite3_step(st) == SQLITE_ROW;
	if (found)
		put_request(r->page, st, today, r->set.date_style);
	sqlite3_finalize(st);
	if (!found)
		return kn_not_found(r, err);
	kn_h_set(r->page, "csrf", kn_csrf_token(r));
	return kn_page(r, 200, "cancel.html", "Cancel this request?", err);
}

kn_status kn_route_request_cancel(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st;
	char today[11];
	if (db == NULL)
		return err->status;
	kn_date_format(kn_today(), today);
	kn_status s = kn_prepare(db, "SELECT status, end FROM requests WHERE id = ? AND owner_id = ?",
	                         &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->owner_id);
	int found = 0, open = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		open = owner_may_cancel(kn_col_text(st, 0), kn_col_text(st, 1), today);
	}
	sqlite3_finalize(st);
	if (!found)
		return kn_not_found(r, err);
	if (!open) {
		kn_h_set(r->page, "message", "This request is over or decided already: it cannot be "
		         "canceled here. Please contact us.");
		kn_h_set(r->page, "link", "/requests");
		kn_h_set(r->page, "link_text", "Back to your requests");
		return kn_page(r, 422, "message.html", "Cannot cancel", err);
	}
	struct kn_err late = { 0 };
	if ((s = kn_request_cancel_window(db, r->id, &late)) == KN_TEMPFAIL) {
		*err = late;
		return s;
	} else if (s != KN_OK) {
		kn_h_set(r->page, "message", late.msg);
		kn_h_set(r->page, "link", "/requests");
		kn_h_set(r->page, "link_text", "Back to your requests");
		return kn_page(r, 422, "message.html", "Cannot cancel", err);
	}
	kn_req_act_as_owner(r);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	s = kn_request_decide(db, r->id, "cancel", "cancelled by the owner on the portal", 0, err);
	if (s == KN_OK)
		s = kn_tx_commit(db, err);
	if (s != KN_OK)
		return s;
	kn_portal_waitlist_freed(r, db);
	kn_redirect(r, "/requests?notice=cancelled");
	return KN_OK;
}
