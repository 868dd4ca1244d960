/*
 * The ledger, shared inside the library (SPEC payment).  Every cent that
 * settles an order is a row: a payment (money received), a credit (given
 * back by the business, as by 'desk undo') or a refund (credit paid out),
 * applied to orders by payment_applications.  orders.paid_cents is the sum
 * of an order's live applications and its status follows from it; only
 * these functions write either.  Transactions: always the caller's.
 */
#ifndef KN_MONEY_H
#define KN_MONEY_H

#include "base/kn_internal.h"

/* A row of payments.  kind: payment, credit or refund; method NULL for a
 * credit; date YYYY-MM-DD (NULL: today); order and visit 0: none. */
struct kn_ledger_row {
	long long owner_id, amount_cents, order_id, visit_id;
	const char *kind, *method, *ref, *date, *note;
};
kn_status kn_ledger_record(struct kn_db *db, const struct kn_ledger_row *row, long long *id,
                           struct kn_err *err);
/* The owner's credit: payments and credits not applied, less refunds. */
kn_status kn_ledger_credit(struct kn_db *db, long long owner, long long *credit,
                           struct kn_err *err);
/* What the owner's due invoices still ask: their totals less what paid
 * them. */
kn_status kn_ledger_due(struct kn_db *db, long long owner, long long *due, struct kn_err *err);
/* Applies up to max cents of payment pay to order (its due at most);
 * *applied says how much. */
kn_status kn_ledger_apply(struct kn_db *db, long long pay, long long order, long long max,
                          long long *applied, struct kn_err *err);
/* The owner's credit applied to her due orders: first (0: none) before
 * the others, then the oldest checked out first. */
kn_status kn_ledger_settle(struct kn_db *db, long long owner, long long first,
                           struct kn_err *err);
/* paid_cents, status and payment_type of order from its live
 * applications; applications above its total (a line left it) are
 * released, the newest first, so the excess is credit again. */
kn_status kn_ledger_refresh(struct kn_db *db, long long order, struct kn_err *err);
/* Releases every live application of order (it is being voided). */
kn_status kn_ledger_release(struct kn_db *db, long long order, struct kn_err *err);
/* An amount of money received or paid out: more than 0, within the
 * parser's range; what names it in the error ("payment amount"). */
kn_status kn_amount_parse(const char *text, const char *what, long long *cents,
                          struct kn_err *err);

/* pattern (company pay_url) with {order}, {amount} (what is due, 12.50)
 * and {owner} filled in; "" when there is no pattern. */
void kn_pay_url(const char *pattern, long long order, long long due_cents, long long owner,
                char *out, size_t outlen);

/* A month's statement: first and next are YYYY-MM-01 of the month and
 * of the one after; month NULL: last month. */
kn_status kn_statement_month(const char *month, char first[11], char next[11],
                             struct kn_err *err);
/* "November 2026" for YYYY-MM-01 */
const char *kn_statement_month_name(const char *first, char out[32]);
struct kn_statement {
	long long opening, charges, payments, closing, lines;
};
struct kn_statement_line {
	const char *date, *what;
	long long charge, payment, balance;
};
typedef kn_status (*kn_statement_line_cb)(void *ud, const struct kn_statement_line *l);
/* The lines of a month (?2 to ?3), every owner's: owner_id, then the
 * columns kn_statement_add reads. */
#define KN_STATEMENT_LINES_SQL                                                              \
	"SELECT owner_id, substr(checked_out_at, 1, 10) AS d, 0 AS k, id, total_cents AS cents," \
	"  'invoice' AS kind, NULL AS method, NULL AS ref, note FROM orders"                     \
	"  WHERE status IN ('due', 'paid') AND checked_out_at >= ?2 AND checked_out_at < ?3"     \
	" UNION ALL SELECT owner_id, date, 1, id, amount_cents, kind, method, ref, note"          \
	"  FROM payments WHERE voided_at IS NULL AND date >= ?2 AND date < ?3"
/* One line of such a row (its date column at base) added to out; l and
 * what hold it until the next. */
void kn_statement_add(struct kn_statement *out, sqlite3_stmt *st, int base,
                      struct kn_statement_line *l, char what[160]);
/* The month's totals, and each line to line (NULL: totals only);
 * opening, when the caller read it already (a batch, set-based). */
kn_status kn_statement_read(struct kn_db *db, long long owner, const char *first,
                            const char *next, const long long *opening,
                            struct kn_statement *out, kn_statement_line_cb line, void *ud,
                            struct kn_err *err);

/* What paid order ?1: each payment, credit or refund applied to it, with
 * its part: (payment id, kind, method, date, amount_cents), in the order
 * applied.  The order's show and the portal's invoice read it. */
#define KN_ORDER_PAYMENTS_SQL                                                              \
	"SELECT p.id, p.kind, p.method, p.date, sum(a.amount_cents)"                         \
	" FROM payment_applications a JOIN payments p ON p.id = a.payment_id"                \
	" WHERE a.order_id = ?1 AND a.released_at IS NULL GROUP BY p.id ORDER BY min(a.id)"

/* Each order (and payment) the ledger does not add up for, with the
 * reason: (id, reason) rows, shared by 'report unbalanced' and doctor. */
#define KN_UNBALANCED_ORDERS_SQL                                                             \
	"WITH a AS (SELECT order_id, sum(amount_cents) AS paid FROM payment_applications"       \
	"  WHERE released_at IS NULL GROUP BY order_id),"                                       \
	" i AS (SELECT order_id, sum(qty * price_cents) AS items FROM order_items"               \
	"  GROUP BY order_id)"                                                                  \
	" SELECT o.id, CASE"                                                                    \
	"  WHEN coalesce(i.items, 0) <> o.total_cents THEN 'items sum to '"                     \
	"   || printf('$%.2f', coalesce(i.items, 0) / 100.0) || ', total is '"                 \
	"   || printf('$%.2f', o.total_cents / 100.0)"                                          \
	"  WHEN o.status = 'void' AND coalesce(a.paid, 0) > 0 THEN 'void, holding payments of '" \
	"   || printf('$%.2f', a.paid / 100.0)"                                                 \
	"  WHEN coalesce(a.paid, 0) > o.total_cents THEN 'payments of '"                        \
	"   || printf('$%.2f', a.paid / 100.0) || ' applied beyond its total of '"              \
	"   || printf('$%.2f', o.total_cents / 100.0)"                                          \
	"  WHEN o.status = 'paid' AND coalesce(a.paid, 0) < o.total_cents THEN 'paid, with '"   \
	"   || printf('$%.2f', coalesce(a.paid, 0) / 100.0) || ' of '"                          \
	"   || printf('$%.2f', o.total_cents / 100.0) || ' paid'"                               \
	"  WHEN o.status = 'due' AND coalesce(a.paid, 0) >= o.total_cents THEN 'due, with '"    \
	"   || printf('$%.2f', coalesce(a.paid, 0) / 100.0) || ' of '"                          \
	"   || printf('$%.2f', o.total_cents / 100.0) || ' paid'"                               \
	"  WHEN coalesce(a.paid, 0) <> o.paid_cents THEN 'shows '"                              \
	"   || printf('$%.2f', o.paid_cents / 100.0) || ' paid, its payments say '"             \
	"   || printf('$%.2f', coalesce(a.paid, 0) / 100.0)"                                    \
	"  END AS reason"                                                                       \
	" FROM orders o LEFT JOIN a ON a.order_id = o.id LEFT JOIN i ON i.order_id = o.id"      \
	" WHERE reason IS NOT NULL ORDER BY o.id"
#define KN_UNBALANCED_PAYMENTS_SQL                                                           \
	"SELECT p.id, CASE WHEN p.voided_at IS NOT NULL THEN 'void, still applied: '"           \
	"  WHEN p.kind = 'refund' THEN 'a refund, applied to orders: '"                         \
	"  ELSE 'applied beyond its amount of ' || printf('$%.2f', p.amount_cents / 100.0)"     \
	"  || ': ' END || printf('$%.2f', sum(a.amount_cents) / 100.0)"                         \
	" FROM payments p JOIN payment_applications a ON a.payment_id = p.id"                   \
	"  AND a.released_at IS NULL GROUP BY p.id"                                             \
	" HAVING p.voided_at IS NOT NULL OR p.kind = 'refund'"                                  \
	"  OR sum(a.amount_cents) > p.amount_cents ORDER BY p.id"

#endif
