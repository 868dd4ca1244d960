/*
 * The owner's home page, gathered once into a page context: the portal
 * renders it, 'kennel portal preview' prints the same context, so the
 * setup guide's "test drive" shows exactly what the owner will see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "money/kn_money.h"
#include "portal/kn_portal.h"

/* The request modules and their words, in the order of the menu. */
const struct kn_module kn_modules[] = {
	{ "boarding", "Request boarding", "Boarding" },
	{ "daycare", "Request daycare", "Daycare" },
	{ "grooming", "Request grooming", "Grooming" },
	{ "training", "Request training", "Training" },
	{ "service", "Request a scheduled service", "Scheduled service" },
	{ NULL, NULL, NULL },
};

kn_status kn_module_mode(struct kn_db *db, const char *service, char *mode, size_t len,
                         struct kn_err *err)
{
	char key[40], *v;
	int def;
	snprintf(key, sizeof key, "portal.%s", service);
	kn_status s = kn_pref_get(db, key, &v, &def, err);
	if (s != KN_OK)
		return s;
	snprintf(mode, len, "%s", v);
	free(v);
	return KN_OK;
}

kn_status kn_menu_fill(struct kn_db *db, struct kn_hctx *c, struct kn_err *err)
{
	kn_h_list(c, "menu");
	for (const struct kn_module *m = kn_modules; m->service; m++) {
		char mode[16];
		kn_status s = kn_module_mode(db, m->service, mode, sizeof mode, err);
		if (s != KN_OK)
			return s;
		if (strcmp(mode, "off") == 0)
			continue;
		struct kn_hctx *item = kn_h_item(c, "menu");
		kn_h_set(item, "label", m->menu);
		kn_h_setf(item, "path", "/requests/new?service=%s", m->service);
		kn_h_set(item, "mode", mode);
	}
	return KN_OK;
}

static kn_status each_row(struct kn_db *db, sqlite3_stmt *st, const char *what,
                          struct kn_err *err, int *rc)
{
	*rc = sqlite3_step(st);
	if (*rc != SQLITE_ROW && *rc != SQLITE_DONE)
		return kn_sql_fail(db, err, what);
	return KN_OK;
}

/* Each row of st an item of the list, its columns named by cols, in order
 * ("@start": a date, "~start_time" a time, shown in the style of
 * display.date); the statement is reset after. */
static kn_status rows_into(struct kn_db *db, sqlite3_stmt *st, struct kn_hctx *c,
                           const char *list, const char *const *cols, int style,
                           struct kn_err *err)
{
	kn_status s;
	int rc;
	kn_h_list(c, list);
	while ((s = each_row(db, st, list, err, &rc)) == KN_OK && rc == SQLITE_ROW) {
		struct kn_hctx *item = kn_h_item(c, list);
		for (int i = 0; cols[i]; i++)
			if (cols[i][0] == '@') {
				kn_h_date(item, cols[i] + 1, kn_col_text(st, i), style, 0);
			} else if (cols[i][0] == '~') {
				char at[KN_DATE_TEXT];
				kn_h_set(item, cols[i] + 1,
				         kn_time_display(kn_col_text(st, i), style, at));
			} else {
				kn_h_set(item, cols[i], kn_col_text(st, i));
			}
	}
	sqlite3_reset(st);
	return s;
}

kn_status kn_home_fill(struct kn_db *db, struct kn_arena *a, long long owner_id, int style,
                       struct kn_hctx *c, struct kn_err *err)
{
	struct kn_company co;
	sqlite3_stmt *st;
	int rc;
	char today[11];
	kn_status s = kn_company_get(db, &co, err);
	if (s != KN_OK)
		return s;
	kn_date_format(kn_today(), today);
	kn_h_set(c, "message", co.message ? co.message : "");
	kn_h_safe(c, "message_html", kn_markdown_html(a, co.message ? co.message : ""));
	const char *cam = co.webcam_url;
	int cam_ok = cam && (strncasecmp(cam, "https://", 8) == 0 ||
	                     strncasecmp(cam, "http://", 7) == 0);
	kn_h_set(c, "webcam_url", cam_ok ? cam : "");
	kn_h_set(c, "company_phone", co.phone ? co.phone : "");
	kn_h_set(c, "company_email", co.email ? co.email : "");
	kn_company_free(&co);

	if ((s = kn_cached(db, "SELECT first_name, last_name FROM owners WHERE id = ?", &st,
	                   err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner_id);
	if ((s = each_row(db, st, "reading the owner", err, &rc)) == KN_OK && rc == SQLITE_ROW) {
		kn_h_set(c, "first_name", kn_col_text(st, 0));
		kn_h_set(c, "last_name", kn_col_text(st, 1));
	}
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;

	/* notes the staff marked for the owner, newest first */
	kn_h_list(c, "notes");
	if ((s = kn_cached(db, "SELECT body, substr(created_at, 1, 10) FROM owner_notes"
	                       " WHERE owner_id = ? AND show_to_owner"
	                       " ORDER BY created_at DESC, id DESC", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner_id);
	while ((s = each_row(db, st, "reading notes", err, &rc)) == KN_OK && rc == SQLITE_ROW) {
		struct kn_hctx *n = kn_h_item(c, "notes");
		kn_h_set(n, "text", kn_col_text(st, 0));
		kn_h_safe(n, "html", kn_markdown_html(a, kn_col_text(st, 0)));
		kn_h_date(n, "date", kn_col_text(st, 1), style, 0);
	}
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;

	/* each pet's required vaccination that is expired or missing */
	struct kn_buf req = { 0 };
	kn_h_list(c, "vaccinations");
	if ((s = kn_required_vaccines_json(db, &req, err)) != KN_OK)
		return s;
	kn_buf_add(&req, "", 0);
	if ((s = kn_cached(db, "SELECT p.id, p.name, r.value, (SELECT max(v.expires_on) FROM"
	                       " vaccinations v WHERE v.pet_id = p.id AND lower(v.type) = r.value)"
	                       " AS until FROM pets p, json_each(?1) r WHERE p.owner_id = ?2"
	                       " AND (until IS NULL OR until < ?3) ORDER BY p.name, p.id, r.key",
	                   &st, err)) != KN_OK) {
		kn_buf_free(&req);
		return s;
	}
	sqlite3_bind_text(st, 1, req.data, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, owner_id);
	sqlite3_bind_text(st, 3, today, -1, SQLITE_STATIC);
	while ((s = each_row(db, st, "reading vaccinations", err, &rc)) == KN_OK &&
	       rc == SQLITE_ROW) {
		struct kn_hctx *v = kn_h_item(c, "vaccinations");
		kn_h_int(v, "pet_id", sqlite3_column_int64(st, 0));
		kn_h_set(v, "pet", kn_col_text(st, 1));
		kn_h_set(v, "vaccine", kn_col_text(st, 2));
		const char *until = kn_col_text(st, 3);
		kn_h_set(v, "status", until ? "expired" : "missing");
		kn_h_date(v, "since", until ? until : "", style, 0);
	}
	sqlite3_reset(st);
	kn_buf_free(&req);
	if (s != KN_OK)
		return s;

	/* upcoming bookings a closed period now overlaps */
	if ((s = kn_cached(db, "SELECT r.id, r.service, r.start, r.end, b.start, b.end, b.reason"
	                       " FROM requests r JOIN blocks b ON (b.service IS NULL OR"
	                       " b.service = r.service) AND b.start <= r.end AND b.end >= r.start"
	                       " WHERE r.owner_id = ? AND r.status = 'approved' AND r.end >= ?"
	                       " ORDER BY r.start, r.id, b.start", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner_id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	static const char *const conflict_cols[] = { "request", "service", "@start", "@end",
	                                             "@closed_from", "@closed_to", "reason", NULL };
	if ((s = rows_into(db, st, c, "conflicts", conflict_cols, style, err)) != KN_OK)
		return s;

	/* what the owner has coming, first on the page: the approved visits
	 * not over yet, soonest first */
	if ((s = kn_cached(db, "SELECT r.id, r.service, r.start, CASE r.service WHEN 'boarding'"
	                       " THEN r.end END, r.start_time, (SELECT group_concat(p.name, ', ')"
	                       " FROM request_pets rp JOIN pets p ON p.id = rp.pet_id"
	                       " WHERE rp.request_id = r.id) FROM requests r WHERE r.owner_id = ?"
	                       " AND r.status = 'approved' AND r.end >= ? ORDER BY r.start, r.id"
	                       " LIMIT 5", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner_id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	static const char *const upcoming_cols[] = { "id", "service", "@start", "@end", "~start_time",
	                                             "pets", NULL };
	if ((s = rows_into(db, st, c, "upcoming", upcoming_cols, style, err)) != KN_OK)
		return s;

	/* the pets at the business now ("Rex is at daycare since 8:02 AM");
	 * the day only for a guest signed in before today */
	if ((s = kn_cached(db, "SELECT p.name, v.service, CASE WHEN v.day < ?2 THEN v.day END,"
	                       " substr(v.in_at, 12, 5) FROM visits v JOIN pets p ON p.id = v.pet_id"
	                       " WHERE v.owner_id = ?1 AND v.state = 'in' ORDER BY v.in_at, v.id",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner_id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	static const char *const here_cols[] = { "pet", "service", "@day", "~time", NULL };
	if ((s = rows_into(db, st, c, "here", here_cols, style, err)) != KN_OK)
		return s;

	/* the balance, when it is not 0: what is due, or the credit */
	long long due = 0, credit = 0;
	if ((s = kn_ledger_due(db, owner_id, &due, err)) != KN_OK ||
	    (s = kn_ledger_credit(db, owner_id, &credit, err)) != KN_OK)
		return s;
	char money[32];
	kn_money_format(due, money);
	kn_h_setf(c, "balance_due", "%s%s", due > 0 ? "$" : "", due > 0 ? money : "");
	kn_money_format(credit, money);
	kn_h_setf(c, "balance_credit", "%s%s", credit > 0 ? "$" : "", credit > 0 ? money : "");

	/* an owner with no pet yet: adding one is the first step */
	if ((s = kn_cached(db, "SELECT EXISTS (SELECT 1 FROM pets WHERE owner_id = ?)", &st,
	                   err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner_id);
	if ((s = each_row(db, st, "reading pets", err, &rc)) == KN_OK && rc == SQLITE_ROW)
		kn_h_set(c, "no_pets", sqlite3_column_int(st, 0) ? "" : "1");
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;

	if ((s = kn_cached(db, "SELECT id, service, start, CASE service WHEN 'boarding' THEN end END"
	                       " FROM requests WHERE owner_id = ?"
	                       " AND status = 'pending' ORDER BY start, id", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner_id);
	static const char *const pending_cols[] = { "id", "service", "@start", "@end", NULL };
	if ((s = rows_into(db, st, c, "pending", pending_cols, style, err)) != KN_OK)
		return s;

	/* the modules the preferences leave on */
	return kn_menu_fill(db, c, err);
}

kn_status kn_route_home(struct kn_page_req *r, struct kn_err *err)
{
	char key[80], whole[160], today[11];
	const char *notice = kn_form_one(&r->query, "notice", NULL);
	struct kn_cache *cache = kn_srv_cache(r->srv);
	kn_date_format(kn_today(), today);
	/* the whole answer, for this session (its logout form is bound to it)
	 * and notice; "today" is in both keys: what is expired changes at
	 * midnight */
	snprintf(whole, sizeof whole, "page:%s:%s:%.16s", r->token_hash, today,
	         notice ? notice : "");
	const char *page = kn_cache_page_get(cache, whole, r->gen, &r->arena);
	if (page) {
		kn_buf_add(&r->body, page, strlen(page));
		r->status = 200;
		return KN_OK;
	}
	/* the owner's part of the page, for any of their sessions */
	snprintf(key, sizeof key, "home:%lld:%s", r->owner_id, today);
	const char *body = kn_cache_page_get(cache, key, r->gen, &r->arena);
	if (body == NULL) {
		struct kn_db *db = kn_req_db(r, err);
		if (db == NULL)
			return err->status;
		kn_status s = kn_home_fill(db, &r->arena, r->owner_id, r->set.date_style, r->page, err);
		if (s == KN_OK)
			s = kn_render_part(r, "home.html", &body, err);
		if (s != KN_OK)
			return s;
		kn_cache_page_put(cache, key, r->gen, body);
	}
	kn_status s = kn_page_body(r, 200, body, "Home", err);
	if (s == KN_OK) {
		kn_buf_add(&r->body, "", 0);
		r->body.len--;
		kn_cache_page_put(cache, whole, r->gen, r->body.data);
	}
	return s;
}

kn_status kn_portal_preview(struct kn_db *db, long long owner_id, struct kn_printer *p,
                            struct kn_err *err)
{
	struct kn_arena a = { 0 };
	struct kn_hctx *c = kn_h_new(&a);
	kn_status s = kn_home_fill(db, &a, owner_id, kn_pref_date_style(db), c, err);
	if (s == KN_OK) {
		static const char *const paths[] = { "/", "/account", "/pets", "/requests",
		                                     "/calendar", "/packages", "/billing",
		                                     "/visits", "/contact" };
		for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
			kn_h_set(kn_h_item(c, "paths"), "path", paths[i]);
		kn_h_print(c, p);
	}
	kn_arena_free(&a);
	return s;
}
