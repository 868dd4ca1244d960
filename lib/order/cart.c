/*
 * The owner's cart as the front desk fills it: one open cart per owner,
 * made when a charge needs it; every line a sign-out adds names its visit,
 * so an undone sign-out takes exactly its own lines back out.
 */
#include <string.h>

#include "order/kn_order.h"

kn_status kn_cart_open(struct kn_db *db, long long owner, long long *order, struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	int row = 0;
	kn_status s = kn_cached(db, "SELECT id FROM orders WHERE owner_id = ? AND status = 'cart'"
	                            " ORDER BY id LIMIT 1", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	if ((s = kn_step_row(db, st, &row, "finding the owner's cart", err)) == KN_OK && row)
		*order = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (s != KN_OK || row)
		return s;
	if ((s = kn_cached(db, "INSERT INTO orders (owner_id, status, total_cents, created_at)"
	                        " VALUES (?, 'cart', 0, ?)", &st, err)) != KN_OK)
		return s;
	kn_now_text(now);
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	if ((s = kn_step_done(db, st, "opening a cart", err)) != KN_OK)
		return s;
	*order = sqlite3_last_insert_rowid(db->h);
	return kn_audit(db, "order", *order, err, "cart opened for owner %lld", owner);
}

static kn_status total_again(struct kn_db *db, long long order, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_cached(db, "UPDATE orders SET total_cents = (SELECT coalesce(sum(qty *"
	                            " price_cents), 0) FROM order_items WHERE order_id = ?1)"
	                            " WHERE id = ?1", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	return kn_step_done(db, st, "totalling the cart", err);
}

kn_status kn_cart_add(struct kn_db *db, long long order, long long product, long long qty,
                      long long price_cents, long long visit, struct kn_err *err)
{
	sqlite3_stmt *st;
	long long line;
	if (__builtin_mul_overflow(price_cents, qty, &line) || line > KN_MAX_CENTS * 100)
		return kn_err_set(err, KN_FAIL, "a charge of %lld x %lld cents is too large", qty,
		                  price_cents);
	kn_status s = kn_cached(db, "INSERT INTO order_items (order_id, product_id, qty,"
	                            " price_cents, visit_id) VALUES (?, ?, ?, ?, ?)", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	sqlite3_bind_int64(st, 2, product);
	sqlite3_bind_int64(st, 3, qty);
	sqlite3_bind_int64(st, 4, price_cents);
	if (visit > 0)
		sqlite3_bind_int64(st, 5, visit);
	if ((s = kn_step_done(db, st, "adding to the cart", err)) != KN_OK)
		return s;
	return total_again(db, order, err);
}

kn_status kn_cart_total(struct kn_db *db, long long order, long long *total, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT total_cents FROM orders WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	if ((s = kn_step_row(db, st, &row, "reading the cart", err)) == KN_OK && row)
		*total = sqlite3_column_int64(st, 0);
	else if (s == KN_OK)
		s = kn_err_set(err, KN_FAIL, "order %lld not found", order);
	sqlite3_reset(st);
	return s;
}

kn_status kn_cart_drop_visit(struct kn_db *db, long long order, long long visit,
                             struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_cached(db, "DELETE FROM order_items WHERE order_id = ? AND visit_id = ?",
	                        &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	sqlite3_bind_int64(st, 2, visit);
	if ((s = kn_step_done(db, st, "taking the visit's charges out of the cart", err)) != KN_OK)
		return s;
	return total_again(db, order, err);
}
