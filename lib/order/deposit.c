/*
 * Deposits (SPEC payment): with portal.boarding_deposit set (money, or a
 * percent of the stay's price: nights x pets x the boarding product's
 * price), approving a boarding request checks out a due order "Deposit
 * for request N"; the stay's sign-out charges the price less the deposit
 * invoiced for that request, in a line that names the deposit's order.
 */
#include <stdlib.h>
#include <string.h>

#include "order/kn_order.h"

/* The product of deposit lines, made on first use (type fee, not shown). */
static kn_status deposit_product(struct kn_db *db, long long *id, struct kn_err *err)
{
	return kn_product_made(db, "Boarding deposit", "fee", 0, id, err);
}

/* The deposit a stay asks for: 0 when none is set. */
static kn_status deposit_amount(struct kn_db *db, long long request, long long *cents,
                                struct kn_err *err)
{
	char *v = NULL;
	int dflt = 0;
	*cents = 0;
	kn_status s = kn_pref_get(db, "portal.boarding_deposit", &v, &dflt, err);
	if (s != KN_OK || v == NULL || strcmp(v, "none") == 0) {
		free(v);
		return s;
	}
	size_t n = strlen(v);
	if (n > 1 && v[n - 1] == '%') {
		long pct = strtol(v, NULL, 10);
		sqlite3_stmt *st;
		int row = 0;
		if ((s = kn_cached(db, "SELECT (julianday(r.end) - julianday(r.start))"
		                       " * (SELECT count(*) FROM request_pets p WHERE p.request_id = r.id)"
		                       " * (SELECT price_cents FROM products WHERE type = 'boarding'"
		                       "  AND active ORDER BY id LIMIT 1)"
		                       " FROM requests r WHERE r.id = ?", &st, err)) == KN_OK) {
			sqlite3_bind_int64(st, 1, request);
			if ((s = kn_step_row(db, st, &row, "pricing the stay", err)) == KN_OK && row)
				*cents = ((long long)sqlite3_column_double(st, 0) * pct + 50) / 100;
			sqlite3_reset(st);
		}
	} else {
		s = kn_money_parse(v, cents, err);
	}
	free(v);
	return s;
}

kn_status kn_deposit_invoice(struct kn_db *db, long long request, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	long long owner = 0, cents, product, order;
	char now[20], note[48];
	kn_status s = kn_cached(db, "SELECT r.owner_id, EXISTS (SELECT 1 FROM orders o WHERE"
	                            " o.deposit_request_id = r.id AND o.status <> 'void')"
	                            " FROM requests r WHERE r.id = ? AND r.service = 'boarding'",
	                        &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, request);
	int have = 0;
	if ((s = kn_step_row(db, st, &row, "reading the request", err)) == KN_OK && row) {
		owner = sqlite3_column_int64(st, 0);
		have = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (s != KN_OK || !row || have)
		return s;
	/* a change that replaces a booking takes over the booking's deposit:
	 * one deposit per stay, however often its dates move */
	if ((s = kn_cached(db, "UPDATE orders SET deposit_request_id = ?1 WHERE status <> 'void'"
	                        " AND deposit_request_id = (SELECT replaces_id FROM requests"
	                        "  WHERE id = ?1)", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, request);
	if ((s = kn_step_done(db, st, "moving the deposit", err)) != KN_OK)
		return s;
	if (sqlite3_changes(db->h) > 0)
		return kn_audit(db, "request", request, err, "takes over the deposit of the booking it "
		                "replaces");
	if ((s = deposit_amount(db, request, &cents, err)) != KN_OK || cents <= 0)
		return s;
	if ((s = deposit_product(db, &product, err)) != KN_OK)
		return s;
	kn_now_text(now);
	snprintf(note, sizeof note, "Deposit for request %lld", request);
	if ((s = kn_cached(db, "INSERT INTO orders (owner_id, status, total_cents, note, created_at,"
	                        " deposit_request_id) VALUES (?, 'cart', ?, ?, ?, ?)", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_int64(st, 2, cents);
	sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, request);
	if ((s = kn_step_done(db, st, "invoicing the deposit", err)) != KN_OK)
		return s;
	order = sqlite3_last_insert_rowid(db->h);
	if ((s = kn_cached(db, "INSERT INTO order_items (order_id, product_id, qty, price_cents)"
	                        " VALUES (?, ?, 1, ?)", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	sqlite3_bind_int64(st, 2, product);
	sqlite3_bind_int64(st, 3, cents);
	if ((s = kn_step_done(db, st, "invoicing the deposit", err)) != KN_OK ||
	    (s = kn_audit(db, "order", order, err, "deposit for request %lld", request)) != KN_OK)
		return s;
	return kn_order_checkout(db, order, NULL, NULL, err);
}

kn_status kn_deposit_deduct(struct kn_db *db, long long request, long long cart,
                            long long visit, long long *charged, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	long long deposit = 0, cents = 0, product;
	if (request == 0 || *charged <= 0)
		return KN_OK;
	/* once per stay: the first of its pets signed out carries the line */
	kn_status s = kn_cached(db, "SELECT o.id, o.total_cents FROM orders o"
	                            " WHERE o.deposit_request_id = ? AND o.status IN ('due', 'paid')"
	                            " AND NOT EXISTS (SELECT 1 FROM order_items i"
	                            "  WHERE i.deposit_of = o.id) ORDER BY o.id LIMIT 1", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, request);
	if ((s = kn_step_row(db, st, &row, "reading the deposit", err)) == KN_OK && row) {
		deposit = sqlite3_column_int64(st, 0);
		cents = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (s != KN_OK || deposit == 0)
		return s;
	if (cents > *charged)
		cents = *charged; /* the stay cost less than its deposit: the rest stays paid */
	if ((s = deposit_product(db, &product, err)) != KN_OK ||
	    (s = kn_cart_add(db, cart, product, 1, -cents, visit, err)) != KN_OK)
		return s;
	if ((s = kn_cached(db, "UPDATE order_items SET deposit_of = ? WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, deposit);
	sqlite3_bind_int64(st, 2, sqlite3_last_insert_rowid(db->h));
	if ((s = kn_step_done(db, st, "naming the deposit", err)) != KN_OK)
		return s;
	*charged -= cents;
	return KN_OK;
}

kn_status kn_deposit_void(struct kn_db *db, long long request, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	long long order = 0;
	char note[64];
	kn_status s = kn_cached(db, "SELECT id FROM orders WHERE deposit_request_id = ?"
	                            " AND status IN ('due', 'paid') ORDER BY id LIMIT 1", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, request);
	if ((s = kn_step_row(db, st, &row, "reading the deposit", err)) == KN_OK && row)
		order = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
	if (order == 0)
		return kn_err_set(err, KN_FAIL, "request %lld has no deposit to void", request);
	snprintf(note, sizeof note, "request %lld cancelled", request);
	/* what was paid on it becomes the owner's credit */
	return kn_order_void(db, order, note, err);
}
