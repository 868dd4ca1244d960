/*
 * An owner's account (kennel account show), the aged balances of all of
 * them (report balances) and the orders the ledger does not add up for
 * (report unbalanced).  Read only.
 *
 * balance = charged (the totals of due and paid orders) - paid (payments)
 *           - credits + refunds
 *         = what is due - the credit not yet applied
 */
#include <string.h>

#include "money/kn_money.h"

/* charged, paid (payments less refunds), credits, credit left, balance */
#define ACCOUNT_SQL                                                                       \
	"SELECT (SELECT coalesce(sum(total_cents), 0) FROM orders WHERE owner_id = ?1"        \
	"   AND status IN ('due', 'paid')),"                                                  \
	" coalesce(sum(CASE kind WHEN 'payment' THEN amount_cents"                            \
	"  WHEN 'refund' THEN -amount_cents ELSE 0 END), 0),"                                 \
	" coalesce(sum(CASE kind WHEN 'credit' THEN amount_cents ELSE 0 END), 0)"             \
	" FROM payments WHERE owner_id = ?1 AND voided_at IS NULL"

kn_status kn_account_show(struct kn_db *db, long long owner, struct kn_printer *p,
                          struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	long long charged = 0, paid = 0, credits = 0, credit = 0;
	char today[11];
	kn_status s = kn_prepare(db, ACCOUNT_SQL, &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	if ((s = kn_step_row(db, st, &row, "reading the account", err)) == KN_OK && row) {
		charged = sqlite3_column_int64(st, 0);
		paid = sqlite3_column_int64(st, 1);
		credits = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (s != KN_OK || (s = kn_ledger_credit(db, owner, &credit, err)) != KN_OK)
		return s;
	kn_rec_begin(p);
	kn_put_int(p, "owner_id", owner, 1);
	kn_put_money(p, "charged", charged, 1);
	kn_put_money(p, "paid", paid, 1);
	kn_put_money(p, "credits", credits, 0);
	kn_put_money(p, "credit", credit, 1);
	kn_put_money(p, "balance", charged - paid - credits, 1);
	kn_date_format(kn_today(), today);
	kn_arr_begin(p, "due");
	if ((s = kn_prepare(db, "SELECT id, substr(checked_out_at, 1, 10), total_cents, paid_cents,"
	                        " CAST(julianday(?2) - julianday(substr(checked_out_at, 1, 10))"
	                        "  AS INTEGER), note FROM orders WHERE owner_id = ?1 AND status = 'due'"
	                        " ORDER BY checked_out_at, id", &st, err)) == KN_OK) {
		sqlite3_bind_int64(st, 1, owner);
		sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
		while ((s = kn_step_row(db, st, &row, "reading the due orders", err)) == KN_OK && row) {
			kn_obj_begin(p, NULL);
			kn_put_int(p, "order_id", sqlite3_column_int64(st, 0), 1);
			kn_put_str(p, "date", kn_col_text(st, 1), 1);
			kn_put_money(p, "total", sqlite3_column_int64(st, 2), 1);
			kn_put_money(p, "paid", sqlite3_column_int64(st, 3), 1);
			kn_put_money(p, "due", sqlite3_column_int64(st, 2) - sqlite3_column_int64(st, 3), 1);
			kn_put_int(p, "age_days", sqlite3_column_int64(st, 4), 1);
			kn_put_str(p, "note", kn_col_text(st, 5), 0);
			kn_nest_end(p);
		}
		sqlite3_finalize(st);
	}
	kn_nest_end(p);
	kn_arr_begin(p, "payments");
	if (s == KN_OK &&
	    (s = kn_prepare(db, "SELECT id, date, kind, method, amount_cents, ref,"
	                        " voided_at IS NOT NULL FROM payments WHERE owner_id = ?"
	                        " ORDER BY date DESC, id DESC LIMIT 10", &st, err)) == KN_OK) {
		sqlite3_bind_int64(st, 1, owner);
		while ((s = kn_step_row(db, st, &row, "reading the payments", err)) == KN_OK && row) {
			kn_obj_begin(p, NULL);
			kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
			kn_put_str(p, "date", kn_col_text(st, 1), 1);
			kn_put_str(p, "kind", kn_col_text(st, 2), 1);
			kn_put_str(p, "method", kn_col_text(st, 3), 1);
			kn_put_money(p, "amount", sqlite3_column_int64(st, 4), 1);
			kn_put_str(p, "ref", kn_col_text(st, 5), 1);
			kn_put_bool(p, "voided", sqlite3_column_int(st, 6), 1);
			kn_nest_end(p);
		}
		sqlite3_finalize(st);
	}
	kn_nest_end(p);
	kn_rec_end(p);
	return s;
}

kn_status kn_report_balances(struct kn_db *db, struct kn_printer *p, struct kn_err *err)
{
	sqlite3_stmt *st;
	char today[11];
	/* one pass over the due orders and one over the payments, grouped by
	 * owner; the due amount aged by the day its order was checked out */
	kn_status s = kn_prepare(db,
		"WITH d AS (SELECT owner_id,"
		"  sum(CASE WHEN age <= 30 THEN due ELSE 0 END) AS current,"
		"  sum(CASE WHEN age BETWEEN 31 AND 60 THEN due ELSE 0 END) AS d60,"
		"  sum(CASE WHEN age BETWEEN 61 AND 90 THEN due ELSE 0 END) AS d90,"
		"  sum(CASE WHEN age > 90 THEN due ELSE 0 END) AS older, sum(due) AS due"
		"  FROM (SELECT owner_id, total_cents - paid_cents AS due,"
		"   julianday(?1) - julianday(substr(checked_out_at, 1, 10)) AS age"
		"   FROM orders WHERE status = 'due') GROUP BY owner_id),"
		" c AS (SELECT owner_id, sum(CASE kind WHEN 'refund' THEN -amount_cents"
		"   ELSE amount_cents END) AS money FROM payments WHERE voided_at IS NULL"
		"   GROUP BY owner_id),"
		" a AS (SELECT p.owner_id, sum(a.amount_cents) AS used FROM payment_applications a"
		"   JOIN payments p ON p.id = a.payment_id WHERE a.released_at IS NULL"
		"   GROUP BY p.owner_id),"
		" b AS (SELECT owner_id FROM d UNION SELECT owner_id FROM c)"
		" SELECT o.id, o.first_name || ' ' || o.last_name, o.phone, o.email,"
		"  coalesce(d.due, 0), coalesce(c.money, 0) - coalesce(a.used, 0),"
		"  coalesce(d.current, 0), coalesce(d.d60, 0), coalesce(d.d90, 0), coalesce(d.older, 0)"
		" FROM b JOIN owners o ON o.id = b.owner_id LEFT JOIN d ON d.owner_id = b.owner_id"
		" LEFT JOIN c ON c.owner_id = b.owner_id LEFT JOIN a ON a.owner_id = b.owner_id"
		" WHERE coalesce(d.due, 0) <> coalesce(c.money, 0) - coalesce(a.used, 0)"
		" ORDER BY o.id", &st, err);
	if (s != KN_OK)
		return s;
	kn_date_format(kn_today(), today);
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	int row = 0;
	kn_list_begin(p);
	while ((s = kn_step_row(db, st, &row, "reading the balances", err)) == KN_OK && row) {
		long long due = sqlite3_column_int64(st, 4), credit = sqlite3_column_int64(st, 5);
		kn_rec_begin(p);
		kn_put_int(p, "owner_id", sqlite3_column_int64(st, 0), 1);
		kn_put_str(p, "owner", kn_col_text(st, 1), 1);
		kn_put_money(p, "balance", due - credit, 1);
		kn_put_money(p, "current", sqlite3_column_int64(st, 6), 1);
		kn_put_money(p, "days_31_60", sqlite3_column_int64(st, 7), 1);
		kn_put_money(p, "days_61_90", sqlite3_column_int64(st, 8), 1);
		kn_put_money(p, "over_90", sqlite3_column_int64(st, 9), 1);
		kn_put_money(p, "credit", credit, 1);
		/* a call list: who to ring or write */
		kn_put_str(p, "phone", kn_col_text(st, 2), 1);
		kn_put_str(p, "email", kn_col_text(st, 3), 1);
		kn_rec_end(p);
	}
	kn_list_end(p);
	sqlite3_finalize(st);
	return s;
}

static kn_status unbalanced_rows(struct kn_db *db, const char *sql, const char *entity,
                                 struct kn_printer *p, int *found, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_prepare(db, sql, &st, err);
	if (s != KN_OK)
		return s;
	while ((s = kn_step_row(db, st, &row, "checking the ledger", err)) == KN_OK && row) {
		kn_rec_begin(p);
		kn_put_str(p, "entity", entity, 1);
		kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
		kn_put_str(p, "reason", kn_col_text(st, 1), 1);
		kn_rec_end(p);
		(*found)++;
	}
	sqlite3_finalize(st);
	return s;
}

kn_status kn_report_unbalanced(struct kn_db *db, struct kn_printer *p, int *found,
                               struct kn_err *err)
{
	*found = 0;
	kn_list_begin(p);
	kn_status s = unbalanced_rows(db, KN_UNBALANCED_ORDERS_SQL, "order", p, found, err);
	if (s == KN_OK)
		s = unbalanced_rows(db, KN_UNBALANCED_PAYMENTS_SQL, "payment", p, found, err);
	kn_list_end(p);
	return s;
}
