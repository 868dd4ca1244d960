/*
 * The ledger: payments, credits and refunds, and how they settle orders
 * (kn_money.h).  One mechanism for every caller: checkout, payment add and
 * void, order void and desk undo all record rows and call settle/refresh,
 * so an order's status never disagrees with its payments.
 */
#include <string.h>

#include "money/kn_money.h"

kn_status kn_amount_parse(const char *text, const char *what, long long *cents,
                          struct kn_err *err)
{
	struct kn_err why = { 0 };
	if (text == NULL)
		return kn_err_set(err, KN_USAGE, "a %s is required", what);
	/* malformed, negative, over the range: the parser's own words */
	if (kn_money_parse(text, cents, &why) != KN_OK)
		return kn_err_set(err, KN_USAGE, "%s", why.msg);
	if (*cents == 0)
		return kn_err_set(err, KN_USAGE, "invalid %s '%s': it must be more than $0.00", what,
		                  text);
	return KN_OK;
}

kn_status kn_ledger_record(struct kn_db *db, const struct kn_ledger_row *row, long long *id,
                           struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20], today[11];
	kn_status s = kn_cached(db, "INSERT INTO payments (owner_id, kind, amount_cents, method, ref,"
	                            " date, note, order_id, visit_id, created_at, actor)"
	                            " VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, 0), nullif(?, 0), ?, ?)",
	                        &st, err);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	kn_date_format(kn_today(), today);
	sqlite3_bind_int64(st, 1, row->owner_id);
	sqlite3_bind_text(st, 2, row->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, row->amount_cents);
	kn_bind_text(st, 4, row->method);
	kn_bind_text(st, 5, row->ref);
	sqlite3_bind_text(st, 6, row->date ? row->date : today, -1, SQLITE_STATIC);
	kn_bind_text(st, 7, row->note);
	sqlite3_bind_int64(st, 8, row->order_id);
	sqlite3_bind_int64(st, 9, row->visit_id);
	sqlite3_bind_text(st, 10, now, -1, SQLITE_STATIC);
	kn_bind_text(st, 11, db->actor);
	if ((s = kn_step_done(db, st, "recording the payment", err)) != KN_OK)
		return s;
	*id = sqlite3_last_insert_rowid(db->h);
	return KN_OK;
}

/* One number from a query of the owner. */
static kn_status owner_sum(struct kn_db *db, const char *sql, long long owner, long long *out,
                           struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, sql, &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	if ((s = kn_step_row(db, st, &row, "reading the account", err)) == KN_OK)
		*out = row ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return s;
}

kn_status kn_ledger_credit(struct kn_db *db, long long owner, long long *credit,
                           struct kn_err *err)
{
	return owner_sum(db, "SELECT coalesce(sum(CASE kind WHEN 'refund' THEN -amount_cents"
	                     " ELSE amount_cents - (SELECT coalesce(sum(a.amount_cents), 0)"
	                     "  FROM payment_applications a WHERE a.payment_id = payments.id"
	                     "  AND a.released_at IS NULL) END), 0)"
	                     " FROM payments WHERE owner_id = ? AND voided_at IS NULL",
	                 owner, credit, err);
}

kn_status kn_ledger_due(struct kn_db *db, long long owner, long long *due, struct kn_err *err)
{
	return owner_sum(db, "SELECT coalesce(sum(total_cents - paid_cents), 0) FROM orders"
	                     " WHERE owner_id = ? AND status = 'due'", owner, due, err);
}

kn_status kn_ledger_apply(struct kn_db *db, long long pay, long long order, long long max,
                          long long *applied, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	long long due = 0;
	char now[20];
	kn_status s = kn_cached(db, "SELECT total_cents - paid_cents FROM orders WHERE id = ?"
	                            " AND status = 'due'", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	if ((s = kn_step_row(db, st, &row, "reading the order", err)) == KN_OK && row)
		due = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	*applied = due < max ? due : max;
	if (s != KN_OK || *applied <= 0) {
		*applied = 0;
		return s;
	}
	if ((s = kn_cached(db, "INSERT INTO payment_applications (payment_id, order_id,"
	                        " amount_cents, at) VALUES (?, ?, ?, ?)", &st, err)) != KN_OK)
		return s;
	kn_now_text(now);
	sqlite3_bind_int64(st, 1, pay);
	sqlite3_bind_int64(st, 2, order);
	sqlite3_bind_int64(st, 3, *applied);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	if ((s = kn_step_done(db, st, "applying the payment", err)) != KN_OK)
		return s;
	return kn_ledger_refresh(db, order, err);
}

/* The payment with money not yet applied, the oldest first: 0 if none. */
static kn_status unapplied(struct kn_db *db, long long owner, long long *pay, long long *left,
                           struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT id, amount_cents - (SELECT coalesce(sum(a.amount_cents), 0)"
	                            "  FROM payment_applications a WHERE a.payment_id = payments.id"
	                            "  AND a.released_at IS NULL) AS left FROM payments"
	                            " WHERE owner_id = ? AND voided_at IS NULL AND kind <> 'refund'"
	                            " AND left > 0 ORDER BY id LIMIT 1", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	*pay = *left = 0;
	if ((s = kn_step_row(db, st, &row, "reading the payments", err)) == KN_OK && row) {
		*pay = sqlite3_column_int64(st, 0);
		*left = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return s;
}

/* The due order to settle next: first when it is due, else the oldest. */
static kn_status next_due(struct kn_db *db, long long owner, long long first, long long *order,
                          struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT id FROM orders WHERE owner_id = ? AND status = 'due'"
	                            " AND total_cents > paid_cents"
	                            " ORDER BY id <> ?, checked_out_at, id LIMIT 1", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_int64(st, 2, first);
	*order = 0;
	if ((s = kn_step_row(db, st, &row, "reading the due orders", err)) == KN_OK && row)
		*order = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return s;
}

kn_status kn_ledger_settle(struct kn_db *db, long long owner, long long first,
                           struct kn_err *err)
{
	long long credit, pay, left, order, applied;
	kn_status s = kn_ledger_credit(db, owner, &credit, err);
	/* refunds are not tied to a payment: what may be applied is the
	 * credit, taken from the oldest payments with money left */
	while (s == KN_OK && credit > 0) {
		if ((s = next_due(db, owner, first, &order, err)) != KN_OK || order == 0)
			break;
		if ((s = unapplied(db, owner, &pay, &left, err)) != KN_OK || pay == 0)
			break;
		s = kn_ledger_apply(db, pay, order, left < credit ? left : credit, &applied, err);
		if (s == KN_OK && applied == 0)
			break;
		credit -= applied;
	}
	return s;
}

/* Releases the newest live applications of order until excess cents are
 * free; one released in part is replaced by the part that stays. */
static kn_status release_excess(struct kn_db *db, long long order, long long excess,
                                struct kn_err *err)
{
	char now[20];
	kn_now_text(now);
	while (excess > 0) {
		sqlite3_stmt *st;
		int row = 0;
		long long id = 0, pay = 0, amount = 0;
		kn_status s = kn_cached(db, "SELECT id, payment_id, amount_cents FROM payment_applications"
		                            " WHERE order_id = ? AND released_at IS NULL"
		                            " ORDER BY id DESC LIMIT 1", &st, err);
		if (s != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, order);
		if ((s = kn_step_row(db, st, &row, "reading the payments", err)) == KN_OK && row) {
			id = sqlite3_column_int64(st, 0);
			pay = sqlite3_column_int64(st, 1);
			amount = sqlite3_column_int64(st, 2);
		}
		sqlite3_reset(st);
		if (s != KN_OK || id == 0)
			return s;
		if ((s = kn_cached(db, "UPDATE payment_applications SET released_at = ? WHERE id = ?",
		                   &st, err)) != KN_OK)
			return s;
		sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		if ((s = kn_step_done(db, st, "releasing a payment", err)) != KN_OK)
			return s;
		if (amount > excess) {
			if ((s = kn_cached(db, "INSERT INTO payment_applications (payment_id, order_id,"
			                        " amount_cents, at) VALUES (?, ?, ?, ?)", &st, err)) != KN_OK)
				return s;
			sqlite3_bind_int64(st, 1, pay);
			sqlite3_bind_int64(st, 2, order);
			sqlite3_bind_int64(st, 3, amount - excess);
			sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
			if ((s = kn_step_done(db, st, "applying the payment", err)) != KN_OK)
				return s;
		}
		excess -= amount;
	}
	return KN_OK;
}

kn_status kn_ledger_refresh(struct kn_db *db, long long order, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	long long total = 0, paid = 0;
	kn_status s = kn_cached(db, "SELECT total_cents, (SELECT coalesce(sum(amount_cents), 0)"
	                            " FROM payment_applications WHERE order_id = orders.id"
	                            " AND released_at IS NULL) FROM orders WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	if ((s = kn_step_row(db, st, &row, "reading the order", err)) == KN_OK && row) {
		total = sqlite3_column_int64(st, 0);
		paid = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
	if (paid > total && (s = release_excess(db, order, paid - total, err)) != KN_OK)
		return s;
	char now[20];
	kn_now_text(now);
	if ((s = kn_cached(db, "UPDATE orders SET paid_cents = ?2,"
	                        " status = CASE WHEN status IN ('due', 'paid') THEN"
	                        "  CASE WHEN ?2 >= total_cents THEN 'paid' ELSE 'due' END"
	                        "  ELSE status END,"
	                        " paid_at = CASE WHEN status = 'void' THEN paid_at"
	                        "  WHEN status IN ('due', 'paid') AND ?2 >= total_cents"
	                        "  THEN coalesce(paid_at, ?3) END,"
	                        " payment_type = CASE WHEN status = 'void' THEN payment_type"
	                        "  ELSE coalesce((SELECT p.method FROM payment_applications a"
	                        "  JOIN payments p ON p.id = a.payment_id WHERE a.order_id = orders.id"
	                        "  AND a.released_at IS NULL AND p.method IS NOT NULL"
	                        "  ORDER BY a.id DESC LIMIT 1),"
	                        "  CASE WHEN total_cents = 0 AND status <> 'cart' THEN 'no-payment' END) END"
	                        " WHERE id = ?1", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	sqlite3_bind_int64(st, 2, paid > total ? total : paid);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	return kn_step_done(db, st, "settling the order", err);
}

kn_status kn_ledger_release(struct kn_db *db, long long order, struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	kn_status s = kn_cached(db, "UPDATE payment_applications SET released_at = ?"
	                            " WHERE order_id = ? AND released_at IS NULL", &st, err);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, order);
	if ((s = kn_step_done(db, st, "releasing the order's payments", err)) != KN_OK)
		return s;
	return kn_ledger_refresh(db, order, err);
}
