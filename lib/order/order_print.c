/* Showing orders and packages, and the package report. */
#include <string.h>

#include "money/kn_money.h"
#include "order/kn_order.h"

#define ORDER_COLUMNS                                                                \
	"id, owner_id, status, payment_type, total_cents, paid_cents, note, created_at," \
	" (SELECT first_name || ' ' || last_name FROM owners o WHERE o.id = orders.owner_id)," \
	" checked_out_at"

static void order_fields(struct kn_db *db, struct kn_printer *p, sqlite3_stmt *st)
{
	sqlite3_stmt *items;
	kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
	kn_put_int(p, "owner_id", sqlite3_column_int64(st, 1), 1);
	kn_put_str(p, "owner", kn_col_text(st, 8), KN_PEOPLE);
	kn_put_str(p, "status", kn_col_text(st, 2), 1);
	kn_put_str(p, "payment_type", kn_col_text(st, 3), 1);
	kn_put_money(p, "total", sqlite3_column_int64(st, 4), 1);
	kn_put_money(p, "paid", sqlite3_column_int64(st, 5), 1);
	/* what is left to pay: 0 unless the invoice is due */
	kn_put_money(p, "due", strcmp(kn_col_text(st, 2), "due") == 0
	                           ? sqlite3_column_int64(st, 4) - sqlite3_column_int64(st, 5) : 0, 1);
	kn_put_str(p, "note", kn_col_text(st, 6), 0);
	kn_put_str(p, "created_at", kn_col_text(st, 7), 0);
	kn_put_str(p, "checked_out_at", kn_col_text(st, 9), 0);
	kn_arr_begin(p, "items");
	if (kn_prepare(db, "SELECT i.product_id, p.name, i.qty, i.price_cents FROM order_items i"
	                   " JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.id",
	               &items, NULL) == KN_OK) {
		sqlite3_bind_int64(items, 1, sqlite3_column_int64(st, 0));
		while (sqlite3_step(items) == SQLITE_ROW) {
			kn_obj_begin(p, NULL);
			kn_put_int(p, "product_id", sqlite3_column_int64(items, 0), 0);
			kn_put_str(p, "name", kn_col_text(items, 1), 1);
			kn_put_int(p, "qty", sqlite3_column_int64(items, 2), 1);
			kn_put_money(p, "price", sqlite3_column_int64(items, 3), 1);
			kn_nest_end(p);
		}
		sqlite3_finalize(items);
	}
	kn_nest_end(p);
	/* what paid it: each payment, credit or refund applied, with its part */
	kn_arr_begin(p, "payments");
	if (kn_prepare(db, KN_ORDER_PAYMENTS_SQL, &items, NULL) == KN_OK) {
		sqlite3_bind_int64(items, 1, sqlite3_column_int64(st, 0));
		while (sqlite3_step(items) == SQLITE_ROW) {
			kn_obj_begin(p, NULL);
			kn_put_int(p, "payment_id", sqlite3_column_int64(items, 0), 1);
			kn_put_str(p, "kind", kn_col_text(items, 1), 1);
			kn_put_str(p, "method", kn_col_text(items, 2), 1);
			kn_put_str(p, "date", kn_col_text(items, 3), 1);
			kn_put_money(p, "amount", sqlite3_column_int64(items, 4), 1);
			kn_nest_end(p);
		}
		sqlite3_finalize(items);
	}
	kn_nest_end(p);
}

kn_status kn_order_list(struct kn_db *db, long long owner, const char *status,
                        struct kn_printer *p, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT " ORDER_COLUMNS " FROM orders WHERE (?1 = 0 OR owner_id = ?1)"
	                             " AND (?2 IS NULL OR status = ?2) ORDER BY id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	kn_bind_text(st, 2, status);
	kn_list_begin(p);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kn_rec_begin(p);
		order_fields(db, p, st);
		kn_rec_end(p);
	}
	kn_list_end(p);
	sqlite3_finalize(st);
	return KN_OK;
}

kn_status kn_order_show(struct kn_db *db, long long id, struct kn_printer *p, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT " ORDER_COLUMNS " FROM orders WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int row = 0;
	if ((s = kn_step_row(db, st, &row, "reading the order", err)) == KN_OK && row) {
		kn_rec_begin(p);
		order_fields(db, p, st);
		kn_rec_end(p);
	} else if (s == KN_OK) {
		s = kn_err_set(err, KN_FAIL, "order %lld not found", id);
	}
	sqlite3_finalize(st);
	return s;
}

#define PACKAGE_COLUMNS                                                              \
	"id, owner_id, product_id, order_id, name, type, number_left, end_date, note,"   \
	" CASE WHEN number_left = 0 THEN 'used' WHEN end_date < ?9 THEN 'expired'"       \
	" ELSE 'active' END,"                                                           \
	" (SELECT first_name || ' ' || last_name FROM owners o WHERE o.id = packages.owner_id)"

static void package_record(struct kn_printer *p, sqlite3_stmt *st)
{
	kn_rec_begin(p);
	kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
	kn_put_int(p, "owner_id", sqlite3_column_int64(st, 1), 1);
	kn_put_str(p, "owner", kn_col_text(st, 10), KN_PEOPLE);
	kn_put_int(p, "product_id", sqlite3_column_int64(st, 2), 0);
	kn_put_col_int(p, "order_id", st, 3, 0);
	kn_put_str(p, "name", kn_col_text(st, 4), 1);
	kn_put_str(p, "type", kn_col_text(st, 5), 0);
	kn_put_int(p, "number_left", sqlite3_column_int64(st, 6), 1);
	kn_put_str(p, "end_date", kn_col_text(st, 7), 1);
	kn_put_str(p, "note", kn_col_text(st, 8), 0);
	kn_put_str(p, "status", kn_col_text(st, 9), 1);
	kn_rec_end(p);
}

kn_status kn_package_list(struct kn_db *db, long long owner, int active, long long expiring,
                          long long id, struct kn_printer *p, struct kn_err *err)
{
	char today[11], window[11];
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT " PACKAGE_COLUMNS " FROM packages"
	                             " WHERE (?1 = 0 OR owner_id = ?1) AND (?4 = 0 OR id = ?4)"
	                             " AND (?2 = 0 OR (number_left > 0 AND end_date >= ?9))"
	                             " AND (?3 < 0 OR (number_left > 0 AND end_date >= ?9"
	                             "      AND end_date <= ?10)) ORDER BY id", &st, err);
	if (s != KN_OK)
		return s;
	kn_date_format(kn_today(), today);
	kn_date_format(kn_today() + (kn_day)(expiring > 0 ? expiring : 0), window);
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_int(st, 2, active);
	sqlite3_bind_int64(st, 3, expiring);
	sqlite3_bind_int64(st, 4, id);
	sqlite3_bind_text(st, 9, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, window, -1, SQLITE_STATIC);
	int n = 0, row = 0;
	if (id == 0)
		kn_list_begin(p);
	while ((s = kn_step_row(db, st, &row, "listing packages", err)) == KN_OK && row) {
		package_record(p, st);
		n++;
	}
	if (id == 0)
		kn_list_end(p);
	sqlite3_finalize(st);
	if (s == KN_OK && id && n == 0)
		return kn_err_set(err, KN_FAIL, "package %lld not found", id);
	return s;
}

kn_status kn_package_history(struct kn_db *db, long long pkg, struct kn_printer *p,
                             struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT id, at, actor, action, left_before, left_after,"
	                             " end_before, end_after, note FROM package_history"
	                             " WHERE package_id = ? ORDER BY id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, pkg);
	kn_list_begin(p);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kn_rec_begin(p);
		kn_put_int(p, "id", sqlite3_column_int64(st, 0), 0);
		kn_put_str(p, "at", kn_col_text(st, 1), 1);
		kn_put_str(p, "actor", kn_col_text(st, 2), 0);
		kn_put_str(p, "action", kn_col_text(st, 3), 1);
		kn_put_col_int(p, "left_before", st, 4, 1);
		kn_put_int(p, "left_after", sqlite3_column_int64(st, 5), 1);
		kn_put_str(p, "end_before", kn_col_text(st, 6), 0);
		kn_put_str(p, "end_after", kn_col_text(st, 7), 1);
		kn_put_str(p, "note", kn_col_text(st, 8), 1);
		kn_rec_end(p);
	}
	kn_list_end(p);
	sqlite3_finalize(st);
	return KN_OK;
}

kn_status kn_report_packages(struct kn_db *db, struct kn_printer *p, struct kn_err *err)
{
	char today[11];
	sqlite3_stmt *st;
	/* value remaining: what was paid for each day, times the days left */
	kn_status s = kn_prepare(db, "SELECT k.id, k.owner_id, o.first_name || ' ' || o.last_name,"
	                             " k.name, k.days_bought, k.number_left, k.end_date, k.price_cents,"
	                             " CASE WHEN k.days_bought > 0 THEN k.price_cents * k.number_left"
	                             "  / k.days_bought ELSE 0 END"
	                             " FROM packages k JOIN owners o ON o.id = k.owner_id"
	                             " WHERE k.number_left > 0 AND k.end_date >= ? ORDER BY k.id", &st, err);
	if (s != KN_OK)
		return s;
	kn_date_format(kn_today(), today);
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	kn_list_begin(p);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kn_rec_begin(p);
		kn_put_int(p, "package_id", sqlite3_column_int64(st, 0), 1);
		kn_put_int(p, "owner_id", sqlite3_column_int64(st, 1), 0);
		kn_put_str(p, "owner", kn_col_text(st, 2), 1);
		kn_put_str(p, "name", kn_col_text(st, 3), 1);
		kn_put_int(p, "days_bought", sqlite3_column_int64(st, 4), 0);
		kn_put_int(p, "number_left", sqlite3_column_int64(st, 5), 1);
		kn_put_str(p, "end_date", kn_col_text(st, 6), 1);
		kn_put_money(p, "price_paid", sqlite3_column_int64(st, 7), 0);
		kn_put_money(p, "value_remaining", sqlite3_column_int64(st, 8), 1);
		kn_rec_end(p);
	}
	kn_list_end(p);
	sqlite3_finalize(st);
	return KN_OK;
}
