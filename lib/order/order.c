/*
 * Orders and packages.  An order is a cart until it is checked out; then
 * it is an invoice, due until its payments cover it (money/ledger.c).  A
 * package product bought becomes the owner's package at checkout:
 * days x qty uses, ending days_active after the purchase.  Every change to
 * a package is kept in its history, with the note that explains it.
 */
#include <stdlib.h>
#include <string.h>

#include "money/kn_money.h"
#include "order/kn_order.h"

static const char *const payments = "cash|check|card|no-payment|other";

static int payment_ok(const char *p)
{
	size_t n = strlen(p);
	for (const char *c = payments; *c;) {
		const char *bar = strchr(c, '|');
		size_t len = bar ? (size_t)(bar - c) : strlen(c);
		if (len == n && strncmp(c, p, n) == 0)
			return 1;
		if (!bar)
			break;
		c = bar + 1;
	}
	return 0;
}

kn_status kn_package_history_add(struct kn_db *db, long long pkg, const char *action,
                                 long long left_before, long long left_after,
                                 const char *end_before, const char *end_after, const char *note,
                                 struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	kn_status s = kn_cached(db, "INSERT INTO package_history (package_id, at, actor, action,"
	                             " left_before, left_after, end_before, end_after, note)"
	                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	sqlite3_bind_int64(st, 1, pkg);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	kn_bind_text(st, 3, db->actor);
	sqlite3_bind_text(st, 4, action, -1, SQLITE_STATIC);
	if (left_before >= 0)
		sqlite3_bind_int64(st, 5, left_before);
	sqlite3_bind_int64(st, 6, left_after);
	kn_bind_text(st, 7, end_before);
	kn_bind_text(st, 8, end_after);
	kn_bind_text(st, 9, note);
	return kn_step_done(db, st, "recording package history", err);
}

/* The packages a paid order's package products become. */
static kn_status make_packages(struct kn_db *db, long long order, struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20], end[11];
	kn_status s = kn_cached(db, "SELECT o.owner_id, p.id, p.name, p.type, p.days * i.qty,"
	                             " p.days_active, i.price_cents * i.qty FROM order_items i"
	                             " JOIN orders o ON o.id = i.order_id"
	                             " JOIN products p ON p.id = i.product_id"
	                             " WHERE i.order_id = ?1 AND p.type LIKE '%-package'"
	                             /* a carry-over placed in a cart has its package already */
	                             " AND NOT EXISTS (SELECT 1 FROM packages k WHERE k.order_id = ?1"
	                             "  AND k.product_id = i.product_id)", &st, err);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	sqlite3_bind_int64(st, 1, order);
	while (s == KN_OK && sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_stmt *ins;
		long long days = sqlite3_column_int64(st, 4);
		kn_date_format(kn_today() + (kn_day)sqlite3_column_int64(st, 5), end);
		if ((s = kn_cached(db, "INSERT INTO packages (owner_id, product_id, order_id, name, type,"
		                        " days_bought, price_cents, number_left, end_date, created_at)"
		                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &ins, err)) != KN_OK)
			break;
		sqlite3_bind_int64(ins, 1, sqlite3_column_int64(st, 0));
		sqlite3_bind_int64(ins, 2, sqlite3_column_int64(st, 1));
		sqlite3_bind_int64(ins, 3, order);
		sqlite3_bind_text(ins, 4, kn_col_text(st, 2), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 5, kn_col_text(st, 3), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 6, days);
		sqlite3_bind_int64(ins, 7, sqlite3_column_int64(st, 6));
		sqlite3_bind_int64(ins, 8, days);
		sqlite3_bind_text(ins, 9, end, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 10, now, -1, SQLITE_STATIC);
		if ((s = kn_step_done(db, ins, "creating package", err)) != KN_OK)
			break;
		s = kn_package_history_add(db, sqlite3_last_insert_rowid(db->h), "purchased", -1, days,
		                           NULL, end, NULL, err);
	}
	sqlite3_reset(st);
	return s;
}

/* The money handed over at checkout, recorded as a payment applied to
 * the order after the owner's credit; what it pays beyond the order is
 * applied to her other due orders, then kept as credit.  no-payment (and
 * on account, payment NULL) records nothing: a priced order is left due. */
static kn_status take_payment(struct kn_db *db, long long owner, long long order,
                              const char *payment, const char *amount, struct kn_err *err)
{
	long long cents = -1, due = 0, pay, applied;
	sqlite3_stmt *st;
	int row = 0;
	kn_status s;

	if (payment && !payment_ok(payment))
		return kn_err_set(err, KN_USAGE, "invalid payment '%s' (choose cash, check, card, "
		                  "no-payment, other)", payment);
	if (amount) {
		if (payment == NULL || strcmp(payment, "no-payment") == 0)
			return kn_err_set(err, KN_USAGE, "--amount is money received: it needs --payment "
			                  "cash, check, card or other");
		if (kn_money_parse(amount, &cents, err) != KN_OK)
			return KN_FAIL;
		if (cents < 0)
			return kn_err_set(err, KN_USAGE, "invalid amount '%s': it must be $0.00 or more",
			                  amount);
	}
	if ((s = kn_ledger_settle(db, owner, order, err)) != KN_OK)
		return s;
	if (payment == NULL || strcmp(payment, "no-payment") == 0)
		return KN_OK;
	if ((s = kn_cached(db, "SELECT total_cents - paid_cents FROM orders WHERE id = ?", &st,
	                   err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	if ((s = kn_step_row(db, st, &row, "reading the order", err)) == KN_OK && row)
		due = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
	if (cents < 0)
		cents = due; /* no --amount: what is left to pay */
	if (cents == 0)
		return KN_OK;
	char note[64];
	snprintf(note, sizeof note, "at the checkout of order %lld", order);
	struct kn_ledger_row row_in = { .owner_id = owner, .amount_cents = cents, .order_id = order,
	                                .kind = "payment", .method = payment, .note = note };
	if ((s = kn_ledger_record(db, &row_in, &pay, err)) != KN_OK ||
	    (s = kn_ledger_apply(db, pay, order, cents, &applied, err)) != KN_OK)
		return s;
	return kn_ledger_settle(db, owner, 0, err);
}

kn_status kn_order_checkout(struct kn_db *db, long long order, const char *payment,
                            const char *amount, struct kn_err *err)
{
	sqlite3_stmt *st;
	long long owner = 0;
	char now[20];
	int row = 0;
	kn_status s;

	if ((s = kn_cached(db, "SELECT status, owner_id FROM orders WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	s = kn_step_row(db, st, &row, "reading the order", err);
	if (s == KN_OK && !row)
		s = kn_err_set(err, KN_FAIL, "order %lld not found", order);
	else if (s == KN_OK && strcmp(kn_col_text(st, 0), "cart") != 0)
		s = kn_err_set(err, KN_FAIL, "order %lld is %s, not a cart", order, kn_col_text(st, 0));
	else if (s == KN_OK)
		owner = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	if ((s = kn_cached(db, "UPDATE orders SET status = 'due', checked_out_at = ? WHERE id = ?",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, order);
	if ((s = kn_step_done(db, st, "checking out", err)) != KN_OK ||
	    (s = kn_ledger_refresh(db, order, err)) != KN_OK ||
	    (s = take_payment(db, owner, order, payment, amount, err)) != KN_OK ||
	    (s = make_packages(db, order, err)) != KN_OK)
		return s;
	return kn_audit(db, "order", order, err, "checked out, %s", payment ? payment : "on account");
}

kn_status kn_order_purchase(struct kn_db *db, const struct kn_purchase *p, long long *order,
                            struct kn_err *err)
{
	sqlite3_stmt *st;
	long long price = 0;
	char now[20];
	kn_status s;

	if (p->qty < 1)
		return kn_err_set(err, KN_USAGE, "--qty must be at least 1");
	if ((s = kn_cached(db, "SELECT price_cents FROM products WHERE id = ? AND active", &st,
	                    err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, p->product_id);
	int row = 0;
	if ((s = kn_step_row(db, st, &row, "reading the product", err)) == KN_OK && row)
		price = sqlite3_column_int64(st, 0);
	else if (s == KN_OK)
		s = kn_err_set(err, KN_FAIL, "product %lld not found or inactive", p->product_id);
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
	long long total;
	if (__builtin_mul_overflow(price, p->qty, &total))
		return kn_err_set(err, KN_FAIL, "the total of %lld x %lld cents is too large", p->qty,
		                  price);
	kn_now_text(now);
	if ((s = kn_cached(db, "INSERT INTO orders (owner_id, status, total_cents, note, created_at,"
	                        " carryover_key) VALUES (?1, 'cart', ?2, ?3, ?4, ?5)", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, p->owner_id);
	sqlite3_bind_int64(st, 2, total);
	kn_bind_text(st, 3, p->note);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	kn_bind_text(st, 5, p->carryover_key);
	if ((s = kn_step_done(db, st, "creating order", err)) != KN_OK)
		return s;
	*order = sqlite3_last_insert_rowid(db->h);
	if ((s = kn_cached(db, "INSERT INTO order_items (order_id, product_id, qty, price_cents)"
	                        " VALUES (?, ?, ?, ?)", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, *order);
	sqlite3_bind_int64(st, 2, p->product_id);
	sqlite3_bind_int64(st, 3, p->qty);
	sqlite3_bind_int64(st, 4, price);
	if ((s = kn_step_done(db, st, "adding order item", err)) != KN_OK)
		return s;
	if (!p->quiet_audit &&
	    (s = kn_audit(db, "order", *order, err, "purchase by owner %lld", p->owner_id)) != KN_OK)
		return s;
	if (p->checkout)
		return kn_order_checkout(db, *order, p->payment, p->amount, err);
	return KN_OK;
}

kn_status kn_order_void(struct kn_db *db, long long order, const char *note, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s;

	if (note == NULL || *note == '\0')
		return kn_err_set(err, KN_USAGE, "voiding an order needs --note");
	if ((s = kn_cached(db, "UPDATE orders SET status = 'void', note = coalesce(note || '; ', '')"
	                        " || ? WHERE id = ? AND status <> 'void'", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, order);
	if ((s = kn_step_done(db, st, "voiding order", err)) != KN_OK)
		return s;
	if (sqlite3_changes(db->h) == 0)
		return kn_err_set(err, KN_FAIL, "order %lld not found, or already void", order);
	/* what was paid on it is credit again, applied to what else is due */
	long long owner = 0;
	int row = 0;
	if ((s = kn_cached(db, "SELECT owner_id FROM orders WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	if ((s = kn_step_row(db, st, &row, "reading the order", err)) == KN_OK && row)
		owner = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (s != KN_OK || (s = kn_ledger_release(db, order, err)) != KN_OK ||
	    (s = kn_ledger_settle(db, owner, 0, err)) != KN_OK)
		return s;
	/* its packages are emptied, with the reason in their history */
	if ((s = kn_cached(db, "SELECT id, number_left, end_date FROM packages WHERE order_id = ?",
	                    &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	while (s == KN_OK && sqlite3_step(st) == SQLITE_ROW) {
		long long pkg = sqlite3_column_int64(st, 0);
		sqlite3_stmt *up;
		s = kn_package_history_add(db, pkg, "voided", sqlite3_column_int64(st, 1), 0,
		                           kn_col_text(st, 2), kn_col_text(st, 2), note, err);
		if (s == KN_OK && (s = kn_cached(db, "UPDATE packages SET number_left = 0 WHERE id = ?",
		                                  &up, err)) == KN_OK) {
			sqlite3_bind_int64(up, 1, pkg);
			s = kn_step_done(db, up, "voiding package", err);
		}
	}
	sqlite3_reset(st);
	return s == KN_OK ? kn_audit(db, "order", order, err, "voided: %s", note) : s;
}

kn_status kn_package_modify(struct kn_db *db, long long pkg, long long left, const char *end,
                            const char *package_note, const char *note, struct kn_err *err)
{
	sqlite3_stmt *st;
	char end_text[11], before_end[11];
	long long before_left;
	kn_status s;

	if (note == NULL || note[strspn(note, " ")] == '\0')
		return kn_err_set(err, KN_USAGE, "a note is required: --note TEXT says why the package "
		                  "is modified (kept in its history)");
	if (left < -1)
		return kn_err_set(err, KN_FAIL, "days left must be 0 or more");
	if (end) {
		kn_day day;
		if (kn_date_parse(end, &day, err) != KN_OK)
			return KN_FAIL;
		kn_date_format(day, end_text);
		end = end_text;
	}
	if ((s = kn_cached(db, "SELECT number_left, end_date FROM packages WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, pkg);
	int row = 0;
	if ((s = kn_step_row(db, st, &row, "reading the package", err)) != KN_OK || !row) {
		sqlite3_reset(st);
		return s != KN_OK ? s : kn_err_set(err, KN_FAIL, "package %lld not found", pkg);
	}
	before_left = sqlite3_column_int64(st, 0);
	snprintf(before_end, sizeof before_end, "%s", kn_col_text(st, 1));
	sqlite3_reset(st);
	/* the history keeps why (note); the package's own note, the one shown at
	 * checkout, changes only when asked (PetExec keeps the two apart) */
	if ((s = kn_cached(db, "UPDATE packages SET number_left = ?1, end_date = ?2,"
	                        " note = CASE WHEN ?5 THEN ?3 ELSE note END WHERE id = ?4", &st,
	                   err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, left >= 0 ? left : before_left);
	sqlite3_bind_text(st, 2, end ? end : before_end, -1, SQLITE_STATIC);
	kn_bind_text(st, 3, package_note);
	sqlite3_bind_int(st, 5, package_note != NULL);
	sqlite3_bind_int64(st, 4, pkg);
	if ((s = kn_step_done(db, st, "modifying package", err)) != KN_OK)
		return s;
	return kn_package_history_add(db, pkg, "modified", before_left, left >= 0 ? left : before_left,
	                              before_end, end ? end : before_end, note, err);
}

kn_status kn_package_days(struct kn_db *db, long long pkg, long long days, const char *valid_on,
                          const char *action, const char *note, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	long long left = 0;
	char end[11] = "";
	kn_status s = kn_cached(db, "SELECT number_left, end_date FROM packages WHERE id = ?", &st,
	                        err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, pkg);
	if ((s = kn_step_row(db, st, &row, "reading the package", err)) == KN_OK && row) {
		left = sqlite3_column_int64(st, 0);
		snprintf(end, sizeof end, "%s", kn_col_text(st, 1));
	} else if (s == KN_OK) {
		s = kn_err_set(err, KN_FAIL, "package %lld not found", pkg);
	}
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
	if (days > 0 && left == 0)
		return kn_err_set(err, KN_FAIL, "package %lld has no days left", pkg);
	if (left - days < 0)
		return kn_err_set(err, KN_FAIL, "package %lld has %lld days left, not %lld", pkg, left,
		                  days);
	if (valid_on && strcmp(end, valid_on) < 0)
		return kn_err_set(err, KN_FAIL, "package %lld ended on %s", pkg, end);
	if ((s = kn_cached(db, "UPDATE packages SET number_left = ? WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, left - days);
	sqlite3_bind_int64(st, 2, pkg);
	if ((s = kn_step_done(db, st, "changing the package's days", err)) != KN_OK)
		return s;
	return kn_package_history_add(db, pkg, action, left, left - days, end, end, note, err);
}

kn_status kn_package_use(struct kn_db *db, long long pkg, const char *date, struct kn_err *err)
{
	char day_text[11], note[32];
	kn_day day = kn_today();

	if (date && kn_date_parse(date, &day, err) != KN_OK)
		return KN_FAIL;
	kn_date_format(day, day_text);
	snprintf(note, sizeof note, "used on %s", day_text);
	return kn_package_days(db, pkg, 1, day_text, "used", note, err);
}
