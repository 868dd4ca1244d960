/*
 * What the desk reads: the day's board (expected, in, out), the visit
 * history, one visit.  The board is one query; each of its lines is
 * described once and printed by the record printer, as a table with a
 * state column for a person and CSV, grouped in JSON.
 */
#include <string.h>

#include "desk/kn_desk.h"

static const char *const services[] = { "boarding", "daycare", "grooming", "training",
                                        "service" };

#define BOARD_SQL \
	"WITH lines (state, pet_id, service, request_id, visit_id, in_at, out_at, area_id," \
	"  at, owner_id) AS (" \
	" SELECT 'expected', rp.pet_id, r.service, r.id, NULL, NULL, NULL, NULL," \
	"  r.start_time, r.owner_id FROM requests r JOIN request_pets rp ON rp.request_id = r.id" \
	"  WHERE r.status = 'approved' AND r.start <= ?1 AND (CASE WHEN r.service = 'boarding'" \
	"  THEN r.end > ?1 ELSE r.end >= ?1 END) AND (?2 IS NULL OR r.service = ?2)" \
	"  AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.pet_id = rp.pet_id AND (v.state = 'in'" \
	"   OR (v.request_id = r.id AND (v.day = ?1 OR r.service = 'boarding'))))" \
	" UNION ALL SELECT 'in', v.pet_id, v.service, v.request_id, v.id, v.in_at, NULL," \
	"  v.area_id, substr(v.in_at, 12, 5), v.owner_id FROM visits v WHERE v.state = 'in'" \
	"  AND v.day <= ?1 AND (?2 IS NULL OR v.service = ?2)" \
	" UNION ALL SELECT 'out', v.pet_id, v.service, v.request_id, v.id, v.in_at, v.out_at," \
	"  v.area_id, substr(v.out_at, 12, 5), v.owner_id FROM visits v WHERE v.out_at >= ?1" \
	"  AND v.out_at < ?1 || 'U' AND (?2 IS NULL OR v.service = ?2))" \
	" SELECT l.state, l.service, l.at, l.pet_id, p.name, l.owner_id," \
	"  o.first_name || ' ' || o.last_name, o.phone, l.request_id, l.visit_id, l.in_at," \
	"  l.out_at, a.name, p.advisory," \
	"  (SELECT group_concat(x.value || CASE WHEN x.e IS NULL THEN ' missing'" \
	"    ELSE ' expired ' || x.e END, ', ') FROM (SELECT q.value, (SELECT max(expires_on)" \
	"    FROM vaccinations w WHERE w.pet_id = p.id AND w.type = q.value) AS e" \
	"    FROM json_each(CASE l.service WHEN 'boarding' THEN ?3 WHEN 'daycare' THEN ?4" \
	"     WHEN 'grooming' THEN ?5 WHEN 'training' THEN ?6 ELSE ?7 END) q) x" \
	"   WHERE x.e IS NULL OR x.e < ?1)," \
	"  k.id, k.name, k.number_left, k.end_date, k.note," \
	"  (SELECT coalesce(sum(total_cents - paid_cents), 0) FROM orders d" \
	"   WHERE d.owner_id = l.owner_id AND d.status = 'due')" \
	" FROM lines l JOIN pets p ON p.id = l.pet_id JOIN owners o ON o.id = l.owner_id" \
	" LEFT JOIN areas a ON a.id = l.area_id" \
	" LEFT JOIN packages k ON k.id = (SELECT id FROM packages WHERE owner_id = l.owner_id" \
	"  AND type = CASE l.service WHEN 'daycare' THEN 'daycare-package' WHEN 'boarding'" \
	"  THEN 'boarding-package' ELSE 'other-package' END AND number_left > 0" \
	"  AND end_date >= ?1 ORDER BY end_date, id LIMIT 1)" \
	" ORDER BY CASE l.state WHEN 'expected' THEN 0 WHEN 'in' THEN 1 ELSE 2 END, l.service," \
	"  l.at, p.name COLLATE NOCASE, p.id"

/* What a person at the desk must see at a glance, in one cell. */
static void board_notes(struct kn_printer *p, sqlite3_stmt *st)
{
	struct kn_buf b = { 0 };
	const char *advisory = kn_col_text(st, 13), *vax = kn_col_text(st, 14);
	if (advisory && *advisory)
		kn_buf_addf(&b, "! %s", advisory);
	if (vax)
		kn_buf_addf(&b, "%svaccines: %s", b.len ? "; " : "", vax);
	if (sqlite3_column_type(st, 15) != SQLITE_NULL) {
		const char *note = kn_col_text(st, 19);
		kn_buf_addf(&b, "%s%s (%lld left)%s%s", b.len ? "; " : "", kn_col_text(st, 16),
		            (long long)sqlite3_column_int64(st, 17), note ? ": " : "",
		            note ? note : "");
	}
	if (sqlite3_column_int64(st, 20) > 0) {
		char money[32];
		kn_money_format(sqlite3_column_int64(st, 20), money);
		kn_buf_addf(&b, "%sdue $%s", b.len ? "; " : "", money);
	}
	kn_put_str(p, "notes", b.data, KN_PEOPLE);
	kn_buf_free(&b);
}

/* grouped: under a heading naming the state and service (a person's
 * board), so those columns and the request id stay out of the table,
 * which then fits 80 columns */
static void board_line(struct kn_printer *p, sqlite3_stmt *st, int grouped)
{
	kn_put_str(p, "state", kn_col_text(st, 0), !grouped);
	kn_put_str(p, "service", kn_col_text(st, 1), !grouped);
	kn_put_str(p, "time", kn_col_text(st, 2), KN_PEOPLE);
	kn_put_int(p, "pet_id", sqlite3_column_int64(st, 3), 0);
	kn_put_str(p, "pet", kn_col_text(st, 4), 1);
	kn_put_int(p, "owner_id", sqlite3_column_int64(st, 5), 0);
	kn_put_str(p, "owner", kn_col_text(st, 6), 1);
	kn_put_str(p, "phone", kn_col_text(st, 7), 1);
	kn_put_col_int(p, "request_id", st, 8, !grouped);
	kn_put_col_int(p, "visit_id", st, 9, 1);
	kn_put_str(p, "in_at", kn_col_text(st, 10), 0);
	kn_put_str(p, "out_at", kn_col_text(st, 11), 0);
	kn_put_str(p, "area", kn_col_text(st, 12), 1);
	kn_put_str(p, "advisory", kn_col_text(st, 13), 0);
	kn_put_str(p, "vaccination_problems", kn_col_text(st, 14), 0);
	board_notes(p, st);
	int has_package = sqlite3_column_type(st, 15) != SQLITE_NULL;
	kn_put_col_int(p, "package_id", st, 15, KN_ROWS);
	kn_put_str(p, "package_name", kn_col_text(st, 16), KN_ROWS);
	kn_put_col_int(p, "package_left", st, 17, KN_ROWS);
	kn_put_str(p, "package_note", kn_col_text(st, 19), KN_ROWS);
	if (has_package) {
		kn_obj_begin(p, "package");
		kn_put_int(p, "id", sqlite3_column_int64(st, 15), 0);
		kn_put_str(p, "name", kn_col_text(st, 16), 0);
		kn_put_int(p, "number_left", sqlite3_column_int64(st, 17), 0);
		kn_put_str(p, "end_date", kn_col_text(st, 18), 0);
		kn_put_str(p, "note", kn_col_text(st, 19), 0);
		kn_nest_end(p);
	} else if (kn_printer_is_json(p)) {
		kn_put_str(p, "package", NULL, 0); /* CSV rows keep one set of columns */
	}
	kn_put_money(p, "balance", sqlite3_column_int64(st, 20), 0);
}

kn_status kn_desk_board(struct kn_db *db, const char *date, const char *service,
                        struct kn_printer *p, struct kn_err *err)
{
	struct kn_buf required[5] = { { 0 } };
	char day[11];
	kn_day d = kn_today();
	sqlite3_stmt *st = NULL;
	kn_status s = date ? kn_date_parse(date, &d, err) : KN_OK;
	if (s != KN_OK)
		return s;
	kn_date_format(d, day);
	for (int i = 0; i < 5 && s == KN_OK; i++)
		s = kn_required_vaccines_for(db, services[i], &required[i], err);
	if (s == KN_OK)
		s = kn_prepare(db, BOARD_SQL, &st, err);
	if (s != KN_OK)
		goto done;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	kn_bind_text(st, 2, service);
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(st, 3 + i, required[i].data ? required[i].data : "[]", -1,
		                  SQLITE_STATIC);
	int row = 0;
	if (kn_printer_is_json(p)) {
		/* {"date", "expected": [...], "in": [...], "out": [...]} */
		static const char *const states[] = { "expected", "in", "out" };
		kn_rec_begin(p);
		kn_put_str(p, "date", day, 1);
		s = kn_step_row(db, st, &row, "reading the board", err);
		for (int i = 0; i < 3; i++) {
			kn_arr_begin(p, states[i]);
			while (s == KN_OK && row && strcmp(kn_col_text(st, 0), states[i]) == 0) {
				kn_obj_begin(p, NULL);
				board_line(p, st, 0);
				kn_nest_end(p);
				s = kn_step_row(db, st, &row, "reading the board", err);
			}
			kn_nest_end(p);
		}
		kn_rec_end(p);
	} else if (kn_printer_is_text(p)) {
		/* a table per state and service, under its heading */
		char group[48] = "", now[48];
		int open = 0;
		while ((s = kn_step_row(db, st, &row, "reading the board", err)) == KN_OK && row) {
			const char *state = kn_col_text(st, 0);
			snprintf(now, sizeof now, "%c%s, %s", state[0] - 'a' + 'A', state + 1,
			         kn_col_text(st, 1));
			if (strcmp(now, group) != 0) {
				if (open)
					kn_list_end(p);
				kn_print_heading(p, now);
				kn_list_begin(p);
				open = 1;
				memcpy(group, now, sizeof group);
			}
			kn_rec_begin(p);
			board_line(p, st, 1);
			kn_rec_end(p);
		}
		if (open) {
			kn_list_end(p);
		} else if (s == KN_OK) {
			snprintf(now, sizeof now, "Nobody expected, in or out on %s.", day);
			kn_print_heading(p, now);
		}
	} else {
		kn_list_begin(p);
		while ((s = kn_step_row(db, st, &row, "reading the board", err)) == KN_OK && row) {
			kn_rec_begin(p);
			board_line(p, st, 0);
			kn_rec_end(p);
		}
		kn_list_end(p);
	}
done:
	sqlite3_finalize(st);
	for (int i = 0; i < 5; i++)
		kn_buf_free(&required[i]);
	return s;
}

/* ---- visits -------------------------------------------------------- */

#define VISIT_COLUMNS \
	"v.id, v.pet_id, p.name, v.owner_id, o.first_name || ' ' || o.last_name, v.service," \
	" v.request_id, a.name, v.in_at, v.out_at, v.state, v.units, v.charge_cents, v.order_id," \
	" v.forced, v.note, v.card, p.advisory, (SELECT k.note FROM packages k WHERE" \
	" k.owner_id = v.owner_id AND k.type = CASE v.service WHEN 'daycare' THEN" \
	" 'daycare-package' WHEN 'boarding' THEN 'boarding-package' ELSE 'other-package' END" \
	" AND k.number_left > 0 AND k.end_date >= v.day ORDER BY k.end_date, k.id LIMIT 1)" \
	" FROM visits v JOIN pets p ON p.id = v.pet_id JOIN owners o ON o.id = v.owner_id" \
	" LEFT JOIN areas a ON a.id = v.area_id"

static kn_status visit_record(struct kn_db *db, struct kn_printer *p, sqlite3_stmt *st,
                              struct kn_err *err)
{
	char when[2][17];
	kn_rec_begin(p);
	kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
	kn_put_int(p, "pet_id", sqlite3_column_int64(st, 1), 0);
	kn_put_str(p, "pet", kn_col_text(st, 2), 1);
	kn_put_int(p, "owner_id", sqlite3_column_int64(st, 3), 0);
	kn_put_str(p, "owner", kn_col_text(st, 4), KN_PEOPLE);
	kn_put_str(p, "service", kn_col_text(st, 5), 1);
	kn_put_col_int(p, "request_id", st, 6, 0);
	kn_put_str(p, "area", kn_col_text(st, 7), 1);
	kn_put_str(p, "in_at", kn_col_text(st, 8), 0);
	kn_put_str(p, "out_at", kn_col_text(st, 9), 0);
	for (int i = 0; i < 2; i++) {
		const char *t = kn_col_text(st, 8 + i);
		snprintf(when[i], sizeof when[i], "%.10s %.5s", t ? t : "", t ? t + 11 : "");
		kn_put_str(p, i ? "out" : "in", t ? when[i] : NULL, KN_PEOPLE);
	}
	kn_put_str(p, "state", kn_col_text(st, 10), 1);
	kn_put_col_int(p, "units", st, 11, 0);
	/* the package days this visit used */
	sqlite3_stmt *u;
	int row = 0;
	struct kn_buf used = { 0 };
	kn_status s = kn_cached(db, "SELECT u.package_id, u.days, k.name, k.number_left"
	                            " FROM visit_package_uses u JOIN packages k ON k.id = u.package_id"
	                            " WHERE u.visit_id = ? ORDER BY u.package_id", &u, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(u, 1, sqlite3_column_int64(st, 0));
	kn_arr_begin(p, "package_uses");
	while ((s = kn_step_row(db, u, &row, "reading the package use", err)) == KN_OK && row) {
		long long days = sqlite3_column_int64(u, 1);
		kn_obj_begin(p, NULL);
		kn_put_int(p, "package_id", sqlite3_column_int64(u, 0), 0);
		kn_put_int(p, "days", days, 0);
		kn_nest_end(p);
		kn_buf_addf(&used, "%s%s: %lld %s (%lld left)", used.len ? ", " : "",
		            kn_col_text(u, 2), days, days == 1 ? "day" : "days",
		            (long long)sqlite3_column_int64(u, 3));
	}
	kn_nest_end(p);
	sqlite3_reset(u);
	/* what a person checks at the desk: which package paid for the visit */
	kn_put_str(p, "package_used", used.data, KN_PEOPLE);
	kn_buf_free(&used);
	kn_put_money(p, "charge", sqlite3_column_int64(st, 12), 1);
	kn_put_col_int(p, "order_id", st, 13, 0);
	kn_put_bool(p, "forced", sqlite3_column_int(st, 14), 0);
	kn_put_str(p, "note", kn_col_text(st, 15), 0);
	kn_put_str(p, "card", kn_col_text(st, 16), 0);
	kn_put_str(p, "advisory", kn_col_text(st, 17), 1);
	kn_put_str(p, "package_note", kn_col_text(st, 18), 1);
	kn_rec_end(p);
	return s;
}

kn_status kn_visits_print(struct kn_db *db, const long long *ids, int n, struct kn_printer *p,
                          struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_cached(db, "SELECT " VISIT_COLUMNS " WHERE v.id = ?", &st, err);
	if (s != KN_OK)
		return s;
	kn_list_begin(p);
	for (int i = 0; i < n && s == KN_OK; i++) {
		int row = 0;
		sqlite3_bind_int64(st, 1, ids[i]);
		if ((s = kn_step_row(db, st, &row, "reading the visit", err)) == KN_OK && row)
			s = visit_record(db, p, st, err);
		sqlite3_reset(st);
	}
	kn_list_end(p);
	return s;
}

kn_status kn_desk_list(struct kn_db *db, const struct kn_visit_filter *f, struct kn_printer *p,
                       struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	if (f->state && strcmp(f->state, "in") != 0 && strcmp(f->state, "out") != 0)
		return kn_err_set(err, KN_USAGE, "invalid state '%s' (choose in, out)", f->state);
	kn_status s = kn_prepare(db, "SELECT " VISIT_COLUMNS " WHERE (?1 = 0 OR v.owner_id = ?1)"
	                             " AND (?2 = 0 OR v.pet_id = ?2) AND (?3 IS NULL OR v.day >= ?3)"
	                             " AND (?4 IS NULL OR v.day <= ?4) AND (?5 IS NULL OR"
	                             " v.state = ?5) ORDER BY v.in_at, v.id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, f->owner_id);
	sqlite3_bind_int64(st, 2, f->pet_id);
	kn_bind_text(st, 3, f->from);
	kn_bind_text(st, 4, f->to);
	kn_bind_text(st, 5, f->state);
	kn_list_begin(p);
	while (s == KN_OK && (s = kn_step_row(db, st, &row, "listing visits", err)) == KN_OK && row)
		s = visit_record(db, p, st, err);
	kn_list_end(p);
	sqlite3_finalize(st);
	return s;
}

kn_status kn_desk_card(struct kn_db *db, long long visit, const char *text, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_line_check("report card", text, 1, err);
	if (s != KN_OK || (s = kn_cached(db, "UPDATE visits SET card = ? WHERE id = ?", &st,
	                                  err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, visit);
	if ((s = kn_step_done(db, st, "storing the report card", err)) != KN_OK)
		return s;
	if (sqlite3_changes(db->h) == 0)
		return kn_err_set(err, KN_FAIL, "visit %lld not found", visit);
	return kn_audit(db, "visit", visit, err, "report card written");
}
