/*
 * A month's statement (kennel statement): the balance the month opened
 * with, every invoice checked out and every payment, credit and refund
 * dated in it with the running balance, and the closing balance.  The
 * same reading feeds the printer, the statement mail (mail/statement.c)
 * and the portal's statement page.
 *
 * A void order is no charge in any month (it was a mistake), and a voided
 * payment no payment: a statement made again after a void shows the
 * corrected figures.
 */
#include <stdio.h>
#include <string.h>

#include "money/kn_money.h"

kn_status kn_statement_month(const char *month, char first[11], char next[11],
                             struct kn_err *err)
{
	int y, m;
	char extra;
	if (month == NULL) {
		/* last month: the statement cron sends on the 1st */
		char today[11];
		kn_date_format(kn_today(), today);
		if (sscanf(today, "%4d-%2d", &y, &m) != 2)
			return kn_err_set(err, KN_FAIL, "today's date '%s' cannot be read", today);
		if (--m == 0) {
			m = 12;
			y--;
		}
	} else if (strlen(month) != 7 || month[4] != '-' ||
	           sscanf(month, "%4d-%2d%c", &y, &m, &extra) != 2 || m < 1 || m > 12 ||
	           y < 1900 || y > 9998) {
		return kn_err_set(err, KN_USAGE, "invalid month '%s' (use YYYY-MM, like 2026-11)",
		                  month);
	}
	char text[32];
	snprintf(text, sizeof text, "%04d-%02d-01", y, m);
	memcpy(first, text, 11);
	snprintf(text, sizeof text, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	memcpy(next, text, 11);
	return KN_OK;
}

void kn_statement_add(struct kn_statement *out, sqlite3_stmt *st, int base,
                      struct kn_statement_line *l, char what[160])
{
	const char *kind = kn_col_text(st, base + 4), *method = kn_col_text(st, base + 5);
	const char *ref = kn_col_text(st, base + 6), *note = kn_col_text(st, base + 7);
	long long id = sqlite3_column_int64(st, base + 2), cents = sqlite3_column_int64(st, base + 3);
	memset(l, 0, sizeof *l);
	l->date = kn_col_text(st, base);
	if (strcmp(kind, "invoice") == 0) {
		snprintf(what, 160, "Invoice %lld", id);
		l->charge = cents;
	} else if (strcmp(kind, "refund") == 0) {
		snprintf(what, 160, "Refund, %s%s%s", method ? method : "", ref ? " " : "",
		         ref ? ref : "");
		l->charge = cents; /* money paid out raises what she owes */
	} else if (strcmp(kind, "credit") == 0) {
		snprintf(what, 160, "Credit%s%.120s", note ? ": " : "", note ? note : "");
		l->payment = cents;
	} else {
		snprintf(what, 160, "Payment, %s%s%s", method ? method : "", ref ? " " : "",
		         ref ? ref : "");
		l->payment = cents;
	}
	l->what = what;
	out->charges += l->charge;
	out->payments += l->payment;
	out->closing += l->charge - l->payment;
	l->balance = out->closing;
	out->lines++;
}

const char *kn_statement_month_name(const char *first, char out[32])
{
	static const char *const months[] = { "January", "February", "March", "April", "May",
	                                      "June", "July", "August", "September", "October",
	                                      "November", "December" };
	int m = (first[5] - '0') * 10 + (first[6] - '0');
	snprintf(out, 32, "%s %.4s", months[(m + 11) % 12], first);
	return out;
}

kn_status kn_statement_read(struct kn_db *db, long long owner, const char *first,
                            const char *next, const long long *opening,
                            struct kn_statement *out, kn_statement_line_cb line, void *ud,
                            struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = KN_OK;
	memset(out, 0, sizeof *out);
	if (opening) {
		out->opening = *opening;
		goto lines;
	}
	s = kn_cached(db,
		"SELECT (SELECT coalesce(sum(total_cents), 0) FROM orders WHERE owner_id = ?1"
		"  AND status IN ('due', 'paid') AND checked_out_at < ?2)"
		" - (SELECT coalesce(sum(CASE kind WHEN 'refund' THEN -amount_cents"
		"  ELSE amount_cents END), 0) FROM payments WHERE owner_id = ?1"
		"  AND voided_at IS NULL AND date < ?2)", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_text(st, 2, first, -1, SQLITE_STATIC);
	if ((s = kn_step_row(db, st, &row, "reading the opening balance", err)) == KN_OK && row)
		out->opening = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
lines:
	out->closing = out->opening;
	if ((s = kn_cached(db, "SELECT d, k, id, cents, kind, method, ref, note FROM ("
	                       KN_STATEMENT_LINES_SQL ") WHERE owner_id = ?1 ORDER BY d, k, id",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_text(st, 2, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, next, -1, SQLITE_STATIC);
	while ((s = kn_step_row(db, st, &row, "reading the month", err)) == KN_OK && row) {
		struct kn_statement_line l;
		char what[160];
		kn_statement_add(out, st, 0, &l, what);
		if (line && (s = line(ud, &l)) != KN_OK)
			break;
	}
	sqlite3_reset(st);
	return s;
}

struct print_ud {
	struct kn_printer *p;
};

static kn_status print_line(void *ud, const struct kn_statement_line *l)
{
	struct kn_printer *p = ((struct print_ud *)ud)->p;
	kn_obj_begin(p, NULL);
	kn_put_str(p, "date", l->date, 1);
	kn_put_str(p, "what", l->what, 1);
	kn_put_money(p, "charge", l->charge, 1);
	kn_put_money(p, "payment", l->payment, 1);
	kn_put_money(p, "balance", l->balance, 1);
	kn_nest_end(p);
	return KN_OK;
}

kn_status kn_statement_print(struct kn_db *db, long long owner, const char *month,
                             struct kn_printer *p, struct kn_err *err)
{
	char first[11], next[11];
	char month_text[8];
	struct kn_statement sum;
	struct print_ud ud = { p };
	kn_status s = kn_statement_month(month, first, next, err);
	/* read once for the totals, which come first, then for the lines */
	if (s != KN_OK || (s = kn_statement_read(db, owner, first, next, NULL, &sum, NULL, NULL, err)) !=
	                      KN_OK)
		return s;
	snprintf(month_text, sizeof month_text, "%.7s", first);
	kn_rec_begin(p);
	kn_put_int(p, "owner_id", owner, 1);
	kn_put_str(p, "month", month_text, 1);
	kn_put_money(p, "opening", sum.opening, 1);
	kn_put_money(p, "charges", sum.charges, 1);
	kn_put_money(p, "payments", sum.payments, 1);
	kn_put_money(p, "closing", sum.closing, 1);
	kn_arr_begin(p, "lines");
	s = kn_statement_read(db, owner, first, next, NULL, &sum, print_line, &ud, err);
	kn_nest_end(p);
	kn_rec_end(p);
	return s;
}
