/* Requests, capacity and blocks as listings; the occupancy report. */
#include <stdlib.h>
#include <string.h>

#include "request/kn_request.h"

#define REQUEST_COLUMNS                                                            \
	"r.id, r.owner_id, r.service, r.start, r.end, r.status, r.requested_at,"       \
	" r.decided_at, r.decided_by, r.reason, r.forced, r.note,"                     \
	" (SELECT json_group_array(pet_id) FROM request_pets WHERE request_id = r.id),"   \
	" r.start_time,"                                                                 \
	" (SELECT json_group_array(product_id) FROM request_addons WHERE request_id = r.id),"  \
	" (SELECT first_name || ' ' || last_name FROM owners WHERE id = r.owner_id),"    \
	" (SELECT group_concat(name, ', ') FROM (SELECT p.name FROM request_pets rp"      \
	"   JOIN pets p ON p.id = rp.pet_id WHERE rp.request_id = r.id ORDER BY p.name)),"   \
	" r.end_time, r.papers_needed, r.product_id, r.series_id,"                        \
	" (SELECT name FROM products WHERE id = r.product_id)"

/* the ids in a json_group_array of integers */
static void put_ids(struct kn_printer *p, const char *name, const char *json)
{
	kn_arr_begin(p, name);
	for (const char *c = json ? json : ""; *c; c++)
		if (*c >= '0' && *c <= '9') {
			char *next;
			kn_put_int(p, NULL, strtoll(c, &next, 10), 0);
			c = next - 1;
		}
	kn_nest_end(p);
}

static void request_fields(struct kn_printer *p, sqlite3_stmt *st)
{
	kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
	kn_put_int(p, "owner_id", sqlite3_column_int64(st, 1), 1);
	kn_put_str(p, "owner", kn_col_text(st, 15), KN_PEOPLE);
	put_ids(p, "pets", kn_col_text(st, 12));
	kn_put_str(p, "pet_names", kn_col_text(st, 16), KN_PEOPLE);
	kn_put_str(p, "service", kn_col_text(st, 2), 1);
	kn_put_str(p, "start", kn_col_text(st, 3), 1);
	kn_put_str(p, "start_time", kn_col_text(st, 13), 1);
	kn_put_str(p, "end", kn_col_text(st, 4), 1);
	kn_put_str(p, "end_time", kn_col_text(st, 17), 0);
	kn_put_str(p, "status", kn_col_text(st, 5), 1);
	kn_put_str(p, "requested_at", kn_col_text(st, 6), 0);
	kn_put_str(p, "decided_at", kn_col_text(st, 7), 0);
	kn_put_str(p, "decided_by", kn_col_text(st, 8), 0);
	kn_put_str(p, "reason", kn_col_text(st, 9), 1);
	kn_put_bool(p, "forced", sqlite3_column_int(st, 10), 0);
	kn_put_bool(p, "papers_needed", sqlite3_column_int(st, 18), 0);
	put_ids(p, "addons", kn_col_text(st, 14));
	kn_put_str(p, "note", kn_col_text(st, 11), 0);
	/* after note: the CSV columns scripts read keep their places */
	kn_put_col_int(p, "product_id", st, 19, 0);
	kn_put_str(p, "product", kn_col_text(st, 21), 0);
	kn_put_col_int(p, "series_id", st, 20, 0);
}

static void request_record(struct kn_printer *p, sqlite3_stmt *st)
{
	kn_rec_begin(p);
	request_fields(p, st);
	kn_rec_end(p);
}

kn_status kn_requests_open_into(struct kn_db *db, long long owner_id, struct kn_printer *p,
                                struct kn_err *err)
{
	char today[11];
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT " REQUEST_COLUMNS " FROM requests r"
	                             " WHERE r.owner_id = ?1 AND (r.status = 'pending'"
	                             "   OR (r.status = 'approved' AND r.end >= ?2))"
	                             " ORDER BY r.start, r.id", &st, err);
	if (s != KN_OK)
		return s;
	kn_date_format(kn_today(), today);
	sqlite3_bind_int64(st, 1, owner_id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	kn_arr_begin(p, "requests");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kn_obj_begin(p, NULL);
		request_fields(p, st);
		kn_nest_end(p);
	}
	kn_nest_end(p);
	if (rc != SQLITE_DONE)
		s = kn_sql_fail(db, err, "reading requests");
	sqlite3_finalize(st);
	return s;
}

kn_status kn_request_list(struct kn_db *db, const struct kn_request_filter *f,
                          struct kn_printer *p, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT " REQUEST_COLUMNS " FROM requests r"
	                             " WHERE (?1 IS NULL OR r.status = ?1) AND (?2 IS NULL OR r.service = ?2)"
	                             " AND (?3 = 0 OR r.owner_id = ?3) AND (?4 IS NULL OR r.end >= ?4)"
	                             " AND (?5 IS NULL OR r.start <= ?5) AND (?6 = 0 OR r.id = ?6)"
	                             " AND (?7 = 0 OR r.series_id = ?7) AND (?8 = 0 OR r.papers_needed)"
	                             " ORDER BY r.start, r.id", &st, err);
	if (s != KN_OK)
		return s;
	kn_bind_text(st, 1, f->status);
	kn_bind_text(st, 2, f->service);
	sqlite3_bind_int64(st, 3, f->owner_id);
	kn_bind_text(st, 4, f->from);
	kn_bind_text(st, 5, f->to);
	sqlite3_bind_int64(st, 6, f->id);
	sqlite3_bind_int64(st, 7, f->series_id);
	sqlite3_bind_int(st, 8, f->papers_needed);
	int n = 0, row = 0;
	if (f->id == 0)
		kn_list_begin(p);
	while ((s = kn_step_row(db, st, &row, "listing requests", err)) == KN_OK && row) {
		request_record(p, st);
		n++;
	}
	if (f->id == 0)
		kn_list_end(p);
	sqlite3_finalize(st);
	if (s == KN_OK && f->id && n == 0)
		return kn_err_set(err, KN_FAIL, "request %lld not found", f->id);
	return s;
}

kn_status kn_capacity_set(struct kn_db *db, const char *service, long long units,
                          const char *from, const char *to, struct kn_err *err)
{
	kn_day a = 0, b = -1;
	sqlite3_stmt *st;
	kn_status s;

	if ((s = kn_service_check(service, err)) != KN_OK)
		return s;
	if ((from == NULL) != (to == NULL))
		return kn_err_set(err, KN_USAGE, "give both --from and --to, or neither");
	if (from && (kn_date_parse(from, &a, err) != KN_OK || kn_date_parse(to, &b, err) != KN_OK))
		return KN_FAIL;
	if (from && b < a)
		return kn_err_set(err, KN_FAIL, "--to '%s' is before --from '%s'", to, from);
	if (from && b - a > 3660)
		return kn_err_set(err, KN_FAIL, "a capacity period of more than ten years");
	if ((s = kn_prepare(db, "INSERT INTO capacity (service, day, units) VALUES (?, ?, ?)"
	                        " ON CONFLICT DO UPDATE SET units = excluded.units", &st, err)) != KN_OK)
		return s;
	for (kn_day d = a; s == KN_OK && (from ? d <= b : d == a); d++) {
		char day[11] = "";
		if (from)
			kn_date_format(d, day);
		sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, units);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "setting capacity");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return s == KN_OK ? kn_audit(db, "capacity", 0, err, "%s: %lld units%s%s%s%s", service, units,
	                             from ? " from " : " every day", from ? from : "",
	                             from ? " to " : "", from ? to : "") : s;
}

/* Per day: capacity, approved, pending, free; the occupancy report too. */
kn_status kn_occupancy(struct kn_db *db, const char *service, const char *from, const char *to,
                       struct kn_printer *p, struct kn_err *err)
{
	kn_day a, b;

	if (!kn_service_ok(service))
		return kn_err_set(err, KN_USAGE, "invalid service '%s'", service);
	if (kn_date_parse(from, &a, err) != KN_OK || kn_date_parse(to, &b, err) != KN_OK)
		return KN_FAIL;
	if (b < a || b - a > 3660)
		return kn_err_set(err, KN_FAIL, "invalid period '%s' to '%s'", from, to);
	kn_list_begin(p);
	for (kn_day d = a; d <= b; d++) {
		char day[11];
		int limited;
		long long c = 0, approved = 0, pending = 0;
		kn_status s;
		if ((s = kn_capacity_on(db, service, d, &limited, &c, err)) != KN_OK ||
		    (s = kn_units_taken(db, service, d, "approved", &approved, err)) != KN_OK ||
		    (s = kn_units_taken(db, service, d, "pending", &pending, err)) != KN_OK) {
			kn_list_end(p);
			return s;
		}
		kn_date_format(d, day);
		kn_rec_begin(p);
		kn_put_str(p, "day", day, 1);
		if (!limited)
			kn_put_str(p, "capacity", NULL, 1);
		else
			kn_put_int(p, "capacity", c, 1);
		kn_put_int(p, "approved", approved, 1);
		kn_put_int(p, "pending", pending, 1);
		if (!limited)
			kn_put_str(p, "free", NULL, 1);
		else
			kn_put_int(p, "free", c - approved, 1);
		kn_rec_end(p);
	}
	kn_list_end(p);
	return KN_OK;
}

kn_status kn_block_add(struct kn_db *db, const char *service, const char *from, const char *to,
                       const char *reason, long long *id, struct kn_printer *conflicts,
                       struct kn_err *err)
{
	char a_text[11], b_text[11], now[20];
	kn_day a, b;
	sqlite3_stmt *st;
	kn_status s;

	if (service && !kn_service_ok(service))
		return kn_err_set(err, KN_USAGE, "invalid service '%s'", service);
	if (reason == NULL || *reason == '\0')
		return kn_err_set(err, KN_USAGE, "a block needs --reason");
	if (kn_date_parse(from, &a, err) != KN_OK || kn_date_parse(to, &b, err) != KN_OK)
		return KN_FAIL;
	if (b < a)
		return kn_err_set(err, KN_FAIL, "--to '%s' is before --from '%s'", to, from);
	kn_date_format(a, a_text);
	kn_date_format(b, b_text);
	kn_now_text(now);
	if ((s = kn_prepare(db, "INSERT INTO blocks (service, start, end, reason, created_at)"
	                        " VALUES (?, ?, ?, ?, ?)", &st, err)) != KN_OK)
		return s;
	kn_bind_text(st, 1, service);
	sqlite3_bind_text(st, 2, a_text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, b_text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "adding block");
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	*id = sqlite3_last_insert_rowid(db->h);
	/* the approved requests it conflicts with, for the staff to call */
	struct kn_request_filter f = { .status = "approved", .service = service, .from = a_text,
	                               .to = b_text };
	if ((s = kn_request_list(db, &f, conflicts, err)) != KN_OK)
		return s;
	return kn_audit(db, "block", *id, err, "closed %s to %s: %s", a_text, b_text, reason);
}

kn_status kn_block_list(struct kn_db *db, struct kn_printer *p, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT id, service, start, end, reason FROM blocks ORDER BY start",
	                         &st, err);
	if (s != KN_OK)
		return s;
	kn_list_begin(p);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kn_rec_begin(p);
		kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
		kn_put_str(p, "service", kn_col_text(st, 1), 1);
		kn_put_str(p, "from", kn_col_text(st, 2), 1);
		kn_put_str(p, "to", kn_col_text(st, 3), 1);
		kn_put_str(p, "reason", kn_col_text(st, 4), 1);
		kn_rec_end(p);
	}
	kn_list_end(p);
	sqlite3_finalize(st);
	return KN_OK;
}

kn_status kn_block_rm(struct kn_db *db, long long id, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "DELETE FROM blocks WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "removing block");
	sqlite3_finalize(st);
	if (s == KN_OK && sqlite3_changes(db->h) == 0)
		return kn_err_set(err, KN_FAIL, "block %lld not found", id);
	return s == KN_OK ? kn_audit(db, "block", id, err, "removed") : s;
}
