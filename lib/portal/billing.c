/*
 * The owner's bill on the portal (PORTAL.md 3): /billing (what is due and
 * the credit, each due invoice with its age and a way to pay, paid
 * invoices, payments) and /billing/orders/ID (one invoice, printable).
 * Read only: the ledger is money/'s.  Another owner's invoice is 404.
 *
 * Paying is the business's own payment page (company --pay-url), filled
 * in for each invoice; kennel never sees a card.  Without one, the
 * billing instructions say how to pay.
 */
#include <stdio.h>
#include <string.h>

#include "money/kn_money.h"
#include "portal/kn_portal.h"

static kn_status put_billing(void *ud, const char *module, const char *text)
{
	struct kn_page_req *r = ud;
	(void)module;
	kn_h_safe(r->page, "billing_html", kn_markdown_html(&r->arena, text));
	return KN_OK;
}

/* The pay URL pattern, or the billing instructions when there is none. */
static kn_status how_to_pay(struct kn_page_req *r, struct kn_db *db, char *pattern, size_t len,
                            struct kn_err *err)
{
	struct kn_company co;
	kn_status s = kn_company_get(db, &co, err);
	if (s != KN_OK)
		return s;
	snprintf(pattern, len, "%s", co.pay_url ? co.pay_url : "");
	kn_company_free(&co);
	kn_h_default(r->page, "billing_html", "");
	if (pattern[0] == '\0')
		s = kn_instructions_each(db, "billing", put_billing, r, err);
	return s;
}

static void put_money(struct kn_hctx *c, const char *key, long long cents)
{
	char money[32];
	kn_money_format(cents < 0 ? -cents : cents, money);
	kn_h_setf(c, key, "%s$%s", cents < 0 ? "-" : "", money);
}

struct statement_page {
	struct kn_page_req *r;
	int style;
};

static kn_status statement_line(void *ud, const struct kn_statement_line *l)
{
	struct statement_page *sp = ud;
	struct kn_hctx *c = kn_h_item(sp->r->page, "lines");
	kn_h_date(c, "date", l->date, sp->style, 0);
	kn_h_set(c, "what", l->what);
	if (l->charge)
		put_money(c, "charge", l->charge);
	if (l->payment)
		put_money(c, "payment", l->payment);
	put_money(c, "balance", l->balance);
	return KN_OK;
}

/* GET /billing/statement?month=YYYY-MM (default last month) */
kn_status kn_route_billing_statement(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	struct kn_err why = { 0 };
	struct kn_statement sum;
	char first[11], next[11], shown[32];
	if (db == NULL)
		return err->status;
	const char *month = kn_form_one(&r->query, "month", NULL);
	if (kn_statement_month(month && *month ? month : NULL, first, next, &why) != KN_OK)
		return kn_not_found(r, err);
	struct statement_page sp = { r, r->set.date_style };
	kn_h_list(r->page, "lines");
	kn_h_default(r->page, "charge", "");
	kn_h_default(r->page, "payment", "");
	kn_status s = kn_statement_read(db, r->owner_id, first, next, NULL, &sum, statement_line, &sp,
	                                err);
	if (s != KN_OK)
		return s;
	put_money(r->page, "opening", sum.opening);
	put_money(r->page, "charges", sum.charges);
	put_money(r->page, "payments", sum.payments);
	put_money(r->page, "closing", sum.closing);
	char title[64];
	snprintf(title, sizeof title, "Statement for %s", kn_statement_month_name(first, shown));
	return kn_page(r, 200, "statement.html", kn_arena_strdup(&r->arena, title), err);
}

kn_status kn_route_billing(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st;
	char today[11], pattern[1024], url[1024];
	long long due_total = 0, credit = 0;
	int rc;
	if (db == NULL)
		return err->status;
	int style = r->set.date_style;
	kn_status s = how_to_pay(r, db, pattern, sizeof pattern, err);
	if (s != KN_OK || (s = kn_ledger_credit(db, r->owner_id, &credit, err)) != KN_OK)
		return s;
	kn_date_format(kn_today(), today);
	if ((s = kn_prepare(db, "SELECT id, substr(checked_out_at, 1, 10), status, total_cents,"
	                        " paid_cents, CAST(julianday(?2) - julianday(substr(checked_out_at,"
	                        " 1, 10)) AS INTEGER) FROM orders WHERE owner_id = ?1"
	                        " AND status IN ('due', 'paid') ORDER BY status = 'paid',"
	                        " checked_out_at DESC, id DESC LIMIT 500", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	kn_h_list(r->page, "due");
	kn_h_list(r->page, "paid");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int due = strcmp(kn_col_text(st, 2), "due") == 0;
		struct kn_hctx *o = kn_h_item(r->page, due ? "due" : "paid");
		long long id = sqlite3_column_int64(st, 0), total = sqlite3_column_int64(st, 3);
		long long left = total - sqlite3_column_int64(st, 4), age = sqlite3_column_int64(st, 5);
		kn_h_int(o, "id", id);
		kn_h_date(o, "date", kn_col_text(st, 1), style, 0);
		put_money(o, "total", total);
		if (!due)
			continue;
		due_total += left;
		put_money(o, "due", left);
		kn_h_setf(o, "age", age <= 0 ? "today" : age == 1 ? "1 day ago" : "%lld days ago",
		          age);
		kn_pay_url(pattern, id, left, r->owner_id, url, sizeof url);
		kn_h_set(o, "pay_url", url);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "reading the bill");
	if ((s = kn_prepare(db, "SELECT date, kind, method, amount_cents, ref FROM payments"
	                        " WHERE owner_id = ? AND voided_at IS NULL"
	                        " ORDER BY date DESC, id DESC LIMIT 200", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	kn_h_list(r->page, "payments");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kn_hctx *p = kn_h_item(r->page, "payments");
		const char *kind = kn_col_text(st, 1), *method = kn_col_text(st, 2);
		kn_h_date(p, "date", kn_col_text(st, 0), style, 0);
		kn_h_setf(p, "what", "%s%s%s",
		          strcmp(kind, "refund") == 0   ? "Refund"
		          : strcmp(kind, "credit") == 0 ? "Credit from us"
		                                        : "Payment",
		          method ? ", " : "", method ? method : "");
		put_money(p, "amount", sqlite3_column_int64(st, 3));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "reading the payments");
	/* a statement for each month with something in it, the newest first */
	if ((s = kn_prepare(db, "SELECT m FROM (SELECT substr(checked_out_at, 1, 7) AS m FROM orders"
	                        " WHERE owner_id = ?1 AND status IN ('due', 'paid')"
	                        " UNION SELECT substr(date, 1, 7) FROM payments WHERE owner_id = ?1"
	                        " AND voided_at IS NULL) ORDER BY m DESC LIMIT 24", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	kn_h_list(r->page, "months");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kn_hctx *m = kn_h_item(r->page, "months");
		char day[11], shown[32];
		snprintf(day, sizeof day, "%.7s-01", kn_col_text(st, 0));
		kn_h_set(m, "month", kn_col_text(st, 0));
		kn_h_set(m, "name", kn_statement_month_name(day, shown));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "reading the statements");
	put_money(r->page, "balance", due_total);
	kn_h_set(r->page, "owes", due_total > 0 ? "1" : "");
	put_money(r->page, "credit", credit);
	kn_h_set(r->page, "has_credit", credit > 0 ? "1" : "");
	return kn_page(r, 200, "billing.html", "Billing", err);
}

kn_status kn_route_billing_order(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st;
	char pattern[1024], url[1024];
	int row = 0, rc;
	if (db == NULL)
		return err->status;
	int style = r->set.date_style;
	kn_status s = kn_prepare(db, "SELECT status, substr(checked_out_at, 1, 10), total_cents,"
	                             " paid_cents, note FROM orders WHERE id = ? AND owner_id = ?"
	                             " AND status IN ('due', 'paid')", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_int64(st, 2, r->owner_id);
	if ((s = kn_step_row(db, st, &row, "reading the invoice", err)) != KN_OK || !row) {
		sqlite3_finalize(st);
		return s != KN_OK ? s : kn_not_found(r, err);
	}
	long long total = sqlite3_column_int64(st, 2), paid = sqlite3_column_int64(st, 3);
	kn_h_int(r->page, "id", r->id);
	kn_h_set(r->page, "status", strcmp(kn_col_text(st, 0), "due") == 0 ? "Due" : "Paid");
	kn_h_date(r->page, "date", kn_col_text(st, 1), style, 0);
	put_money(r->page, "total", total);
	put_money(r->page, "paid", paid);
	put_money(r->page, "due", total - paid);
	kn_h_set(r->page, "owes", total > paid ? "1" : "");
	sqlite3_finalize(st);
	if ((s = how_to_pay(r, db, pattern, sizeof pattern, err)) != KN_OK)
		return s;
	kn_pay_url(total > paid ? pattern : NULL, r->id, total - paid, r->owner_id, url, sizeof url);
	kn_h_set(r->page, "pay_url", url);
	if ((s = kn_prepare(db, "SELECT p.name, i.qty, i.price_cents FROM order_items i JOIN"
	                        " products p ON p.id = i.product_id WHERE i.order_id = ?"
	                        " ORDER BY i.id", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->id);
	kn_h_list(r->page, "items");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kn_hctx *i = kn_h_item(r->page, "items");
		long long qty = sqlite3_column_int64(st, 1), price = sqlite3_column_int64(st, 2);
		kn_h_set(i, "product", kn_col_text(st, 0));
		kn_h_int(i, "qty", qty);
		put_money(i, "price", price);
		put_money(i, "amount", price * qty);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "reading the invoice");
	if ((s = kn_prepare(db, KN_ORDER_PAYMENTS_SQL, &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->id);
	kn_h_list(r->page, "payments");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kn_hctx *p = kn_h_item(r->page, "payments");
		const char *method = kn_col_text(st, 2);
		kn_h_date(p, "date", kn_col_text(st, 3), style, 0);
		kn_h_setf(p, "what", "%s%s%s",
		          strcmp(kn_col_text(st, 1), "credit") == 0 ? "Credit from us" : "Payment",
		          method ? ", " : "", method ? method : "");
		put_money(p, "amount", sqlite3_column_int64(st, 4));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "reading the invoice's payments");
	char title[48];
	snprintf(title, sizeof title, "Invoice %lld", r->id);
	return kn_page(r, 200, "invoice.html", kn_arena_strdup(&r->arena, title), err);
}

/* The page it was is the bill now: 301, so bookmarks follow. */
kn_status kn_route_purchases(struct kn_page_req *r, struct kn_err *err)
{
	(void)err;
	kn_redirect(r, "/billing");
	r->status = 301;
	return KN_OK;
}
