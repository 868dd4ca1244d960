/*
 * The owner's visits on the portal (PORTAL.md 3): newest first, each
 * with what settled it (the package days it used, or the amount charged)
 * and its report card.  Read only; the desk writes them (lib/desk).
 */
#include <stdio.h>
#include <string.h>

#include "portal/kn_portal.h"

kn_status kn_route_visits(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st;
	int rc;
	if (db == NULL)
		return err->status;
	int style = r->set.date_style;
	kn_status s = kn_prepare(db,
		"SELECT p.name, v.service, v.day, substr(v.in_at, 12, 5), substr(v.out_at, 1, 10),"
		" substr(v.out_at, 12, 5), v.state, v.charge_cents, v.card,"
		" (SELECT group_concat(k.name || ': ' || u.days || CASE u.days WHEN 1 THEN ' day'"
		"   ELSE ' days' END, ', ') FROM visit_package_uses u JOIN packages k"
		"   ON k.id = u.package_id WHERE u.visit_id = v.id)"
		" FROM visits v JOIN pets p ON p.id = v.pet_id WHERE v.owner_id = ?"
		" ORDER BY v.in_at DESC, v.id DESC LIMIT 500", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	kn_h_list(r->page, "visits");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kn_hctx *v = kn_h_item(r->page, "visits");
		char at[KN_DATE_TEXT], money[32];
		int out = sqlite3_column_type(st, 4) != SQLITE_NULL;
		kn_h_set(v, "pet", kn_col_text(st, 0));
		kn_h_set(v, "service", kn_col_text(st, 1));
		kn_h_date(v, "in_day", kn_col_text(st, 2), style, 0);
		kn_h_set(v, "in_time", kn_time_display(kn_col_text(st, 3), style, at));
		/* the day signed out, only when it is not the day signed in */
		const char *out_day = kn_col_text(st, 4);
		kn_h_date(v, "out_day", out && strcmp(out_day, kn_col_text(st, 2)) != 0 ? out_day : "",
		          style, 0);
		kn_h_set(v, "out_time", out ? kn_time_display(kn_col_text(st, 5), style, at) : "");
		kn_h_set(v, "here", out ? "" : "1");
		long long charged = sqlite3_column_int64(st, 7);
		kn_money_format(charged, money);
		kn_h_setf(v, "charged", "%s%s", charged ? "$" : "", charged ? money : "");
		kn_h_set(v, "packages", kn_col_text(st, 9));
		kn_h_set(v, "card", kn_col_text(st, 8));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "reading visits");
	return kn_page(r, 200, "visits.html", "Your visits", err);
}
