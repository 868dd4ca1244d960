/*
 * Packages on the portal (PORTAL.md 3): what is left, what upcoming
 * bookings will use, the history of each package.  Read only.  The bill
 * is billing.c's.
 *
 * A package carried over from another system was made the vendor's way,
 * a purchase of a one-day $0 product with a made-up end, then modified
 * (order/carryover.c): the owner sees what was carried over, not the two
 * steps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal/kn_portal.h"

kn_status kn_route_packages(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st, *hist;
	char today[11];
	if (db == NULL)
		return err->status;
	kn_date_format(kn_today(), today);
	int style = r->set.date_style;
	/* days already booked: the days (nights, for boarding) times the pets
	 * of the approved requests not over yet, of the package's service */
	kn_status s = kn_prepare(db,
		"SELECT k.id, k.name, k.type, k.number_left, k.end_date, k.days_bought,"
		" (SELECT coalesce(sum((julianday(r.end) - julianday(max(r.start, ?2))"
		"   + (r.service <> 'boarding')) * (SELECT count(*) FROM request_pets rp"
		"   WHERE rp.request_id = r.id)), 0) FROM requests r WHERE r.owner_id = k.owner_id"
		"   AND r.status = 'approved' AND r.end >= ?2 AND r.service ="
		"   CASE k.type WHEN 'daycare-package' THEN 'daycare'"
		"   WHEN 'boarding-package' THEN 'boarding' ELSE '' END),"
		" (SELECT o.carryover_key IS NOT NULL FROM orders o WHERE o.id = k.order_id)"
		" FROM packages k WHERE k.owner_id = ?1 ORDER BY k.end_date < ?2, k.end_date, k.id",
		&st, err);
	if (s != KN_OK)
		return s;
	if ((s = kn_prepare(db, "SELECT substr(at, 1, 10), CASE WHEN ?2 AND note ="
	                        " 'carry-over from the previous system' THEN 'carried over'"
	                        " ELSE action END, left_before, left_after, end_before, end_after,"
	                        " CASE WHEN ?2 AND note = 'carry-over from the previous system'"
	                        " THEN NULL ELSE note END FROM package_history"
	                        " WHERE package_id = ?1 AND NOT (?2 AND action = 'purchased')"
	                        " ORDER BY at, id", &hist, err)) != KN_OK) {
		sqlite3_finalize(st);
		return s;
	}
	sqlite3_bind_int64(st, 1, r->owner_id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	kn_h_list(r->page, "packages");
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct kn_hctx *p = kn_h_item(r->page, "packages");
		long long left = sqlite3_column_int64(st, 3);
		long long booked = (long long)sqlite3_column_double(st, 6);
		const char *end = kn_col_text(st, 4);
		kn_h_set(p, "name", kn_col_text(st, 1));
		kn_h_set(p, "type", kn_col_text(st, 2));
		kn_h_int(p, "left", left);
		kn_h_date(p, "end", end, style, 0);
		kn_h_int(p, "bought", sqlite3_column_int64(st, 5));
		kn_h_int(p, "booked", booked);
		kn_h_set(p, "expired", strcmp(end, today) < 0 ? "1" : "");
		kn_h_set(p, "short", booked > left ? "1" : "");
		int carried = sqlite3_column_int(st, 7);
		kn_h_set(p, "carried", carried ? "1" : "");
		kn_h_list(p, "history");
		sqlite3_bind_int64(hist, 1, sqlite3_column_int64(st, 0));
		sqlite3_bind_int(hist, 2, carried);
		while (sqlite3_step(hist) == SQLITE_ROW) {
			struct kn_hctx *h = kn_h_item(p, "history");
			kn_h_date(h, "date", kn_col_text(hist, 0), style, 1);
			kn_h_set(h, "action", kn_col_text(hist, 1));
			char change[120] = "";
			if (sqlite3_column_type(hist, 3) != SQLITE_NULL)
				snprintf(change, sizeof change, "%lld left",
				         (long long)sqlite3_column_int64(hist, 3));
			if (kn_col_text(hist, 5) && (kn_col_text(hist, 4) == NULL ||
			                             strcmp(kn_col_text(hist, 4), kn_col_text(hist, 5))))
				snprintf(change + strlen(change), sizeof change - strlen(change),
				         "%sends %s", change[0] ? ", " : "", kn_col_text(hist, 5));
			kn_h_set(h, "change", change);
			kn_h_set(h, "note", kn_col_text(hist, 6));
		}
		sqlite3_reset(hist);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(hist);
	char *buy = NULL;
	int dflt = 0;
	if ((s = kn_pref_get(db, "portal.purchase", &buy, &dflt, err)) != KN_OK)
		return s;
	kn_h_set(r->page, "can_buy", buy && strcmp(buy, "invoice") == 0 ? "1" : "");
	free(buy);
	return kn_page(r, 200, "packages.html", "Your packages", err);
}
