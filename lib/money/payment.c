/*
 * kennel payment add|list|show|void|refund: money received and paid out
 * (SPEC payment).  kennel records what the business took, by card or in
 * cash; it never sees a card number.  Each payment is applied through the
 * ledger (ledger.c), to the order named, else to the oldest due orders;
 * what is left is the owner's credit.
 */
#include <stdlib.h>
#include <string.h>

#include "money/kn_money.h"

static const char *const methods[] = { "cash", "check", "card", "other" };

static kn_status method_check(const char *method, struct kn_err *err)
{
	for (size_t i = 0; method && i < sizeof methods / sizeof methods[0]; i++)
		if (strcmp(method, methods[i]) == 0)
			return KN_OK;
	return kn_err_set(err, KN_USAGE, "invalid method '%s' (choose cash, check, card, other)",
	                  method ? method : "");
}

static kn_status date_check(const char *date, char out[11], struct kn_err *err)
{
	kn_day day = kn_today();
	if (date && kn_date_parse(date, &day, err) != KN_OK)
		return KN_FAIL;
	kn_date_format(day, out);
	return KN_OK;
}

/* The named order must be the owner's and due. */
static kn_status order_payable(struct kn_db *db, long long owner, long long order,
                               struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT owner_id, status FROM orders WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	if ((s = kn_step_row(db, st, &row, "reading the order", err)) == KN_OK) {
		const char *status = row ? kn_col_text(st, 1) : "";
		if (!row || sqlite3_column_int64(st, 0) != owner)
			s = kn_err_set(err, KN_FAIL, "order %lld not found for owner %lld", order, owner);
		else if (strcmp(status, "cart") == 0)
			s = kn_err_set(err, KN_FAIL, "order %lld is a cart: check it out first (kennel "
			               "order checkout %lld --payment TYPE)", order, order);
		else if (strcmp(status, "due") != 0)
			s = kn_err_set(err, KN_FAIL, "order %lld is %s: nothing is due on it", order,
			               status);
	}
	sqlite3_reset(st);
	return s;
}

kn_status kn_payment_add(struct kn_db *db, const struct kn_payment_in *in, long long *id,
                         long long *applied, struct kn_err *err)
{
	long long cents, credit_before, credit_after;
	char date[11];
	kn_status s;

	if ((s = kn_amount_parse(in->amount, "payment amount", &cents, err)) != KN_OK ||
	    (s = method_check(in->method, err)) != KN_OK ||
	    (s = date_check(in->date, date, err)) != KN_OK)
		return s;
	if (in->order_id && (s = order_payable(db, in->owner_id, in->order_id, err)) != KN_OK)
		return s;
	struct kn_ledger_row row = { .owner_id = in->owner_id, .amount_cents = cents,
	                             .order_id = in->order_id, .kind = "payment",
	                             .method = in->method, .ref = in->ref, .date = date,
	                             .note = in->note };
	if ((s = kn_ledger_credit(db, in->owner_id, &credit_before, err)) != KN_OK ||
	    (s = kn_ledger_record(db, &row, id, err)) != KN_OK)
		return s;
	if (in->order_id &&
	    (s = kn_ledger_apply(db, *id, in->order_id, cents, applied, err)) != KN_OK)
		return s;
	if ((s = kn_ledger_settle(db, in->owner_id, 0, err)) != KN_OK ||
	    (s = kn_ledger_credit(db, in->owner_id, &credit_after, err)) != KN_OK)
		return s;
	*applied = cents - (credit_after - credit_before);
	return kn_audit(db, "payment", *id, err, "received %s %.2f from owner %lld", in->method,
	                (double)cents / 100.0, in->owner_id);
}

kn_status kn_payment_refund(struct kn_db *db, const struct kn_payment_in *in, long long *id,
                            struct kn_err *err)
{
	long long cents, credit;
	char date[11], have[32], asked[32];
	kn_status s;

	if (in->note == NULL || in->note[strspn(in->note, " ")] == '\0')
		return kn_err_set(err, KN_USAGE, "a note is required: --note TEXT says why the money "
		                  "is paid back");
	if ((s = kn_amount_parse(in->amount, "refund amount", &cents, err)) != KN_OK ||
	    (s = method_check(in->method, err)) != KN_OK ||
	    (s = date_check(in->date, date, err)) != KN_OK ||
	    (s = kn_ledger_credit(db, in->owner_id, &credit, err)) != KN_OK)
		return s;
	if (cents > credit) {
		kn_money_format(credit, have);
		kn_money_format(cents, asked);
		return kn_err_set(err, KN_FAIL, "owner %lld has $%s of credit: a refund of $%s is more "
		                  "than that", in->owner_id, have, asked);
	}
	struct kn_ledger_row row = { .owner_id = in->owner_id, .amount_cents = cents,
	                             .kind = "refund", .method = in->method, .ref = in->ref,
	                             .date = date, .note = in->note };
	if ((s = kn_ledger_record(db, &row, id, err)) != KN_OK)
		return s;
	return kn_audit(db, "payment", *id, err, "refunded %s %.2f to owner %lld: %s", in->method,
	                (double)cents / 100.0, in->owner_id, in->note);
}

kn_status kn_payment_void(struct kn_db *db, long long id, const char *note, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	long long owner = 0, credit;
	char now[20];
	kn_status s;

	if (note == NULL || note[strspn(note, " ")] == '\0')
		return kn_err_set(err, KN_USAGE, "a note is required: --note TEXT says why the payment "
		                  "is void");
	if ((s = kn_cached(db, "SELECT owner_id, voided_at IS NOT NULL FROM payments WHERE id = ?",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	if ((s = kn_step_row(db, st, &row, "reading the payment", err)) == KN_OK && !row)
		s = kn_err_set(err, KN_FAIL, "payment %lld not found", id);
	else if (s == KN_OK && sqlite3_column_int(st, 1))
		s = kn_err_set(err, KN_FAIL, "payment %lld is void already", id);
	else if (s == KN_OK)
		owner = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	if ((s = kn_cached(db, "UPDATE payments SET voided_at = ?, void_note = ? WHERE id = ?", &st,
	                   err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	if ((s = kn_step_done(db, st, "voiding the payment", err)) != KN_OK)
		return s;
	/* the orders it paid are due again (then paid by other credit, if any) */
	if ((s = kn_cached(db, "SELECT DISTINCT order_id FROM payment_applications"
	                        " WHERE payment_id = ? AND released_at IS NULL", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	long long *orders;
	size_t n;
	s = kn_ids_read(db, st, &orders, &n, "reading the payment", err);
	if (s == KN_OK && (s = kn_cached(db, "UPDATE payment_applications SET released_at = ?"
	                                      " WHERE payment_id = ? AND released_at IS NULL", &st,
	                                 err)) == KN_OK) {
		sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		s = kn_step_done(db, st, "releasing the payment", err);
	}
	for (size_t i = 0; s == KN_OK && i < n; i++)
		s = kn_ledger_refresh(db, orders[i], err);
	free(orders);
	if (s != KN_OK || (s = kn_ledger_credit(db, owner, &credit, err)) != KN_OK)
		return s;
	if (credit < 0)
		return kn_err_set(err, KN_FAIL, "payment %lld's money was refunded to the owner "
		                  "already: void the refund first", id);
	if ((s = kn_ledger_settle(db, owner, 0, err)) != KN_OK)
		return s;
	return kn_audit(db, "payment", id, err, "voided: %s", note);
}

#define PAYMENT_COLUMNS                                                                     \
	"p.id, p.owner_id, o.first_name || ' ' || o.last_name, p.kind, p.amount_cents, p.method," \
	" p.ref, p.date, p.note, p.voided_at IS NOT NULL, p.void_note,"                          \
	" p.amount_cents - (SELECT coalesce(sum(a.amount_cents), 0) FROM payment_applications a"  \
	"  WHERE a.payment_id = p.id AND a.released_at IS NULL)"

static void payment_fields(struct kn_db *db, struct kn_printer *p, sqlite3_stmt *st, int full)
{
	int voided = sqlite3_column_int(st, 9);
	int refund = strcmp(kn_col_text(st, 3), "refund") == 0;
	kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
	kn_put_int(p, "owner_id", sqlite3_column_int64(st, 1), 1);
	kn_put_str(p, "owner", kn_col_text(st, 2), KN_PEOPLE);
	kn_put_str(p, "kind", kn_col_text(st, 3), 1);
	kn_put_str(p, "date", kn_col_text(st, 7), 1);
	kn_put_money(p, "amount", sqlite3_column_int64(st, 4), 1);
	kn_put_str(p, "method", kn_col_text(st, 5), 1);
	kn_put_str(p, "ref", kn_col_text(st, 6), 1);
	kn_put_str(p, "note", kn_col_text(st, 8), full);
	kn_put_bool(p, "voided", voided, 1);
	kn_put_str(p, "void_note", kn_col_text(st, 10), 0);
	/* what of it is the owner's credit now (a refund: none) */
	kn_put_money(p, "credit", voided || refund ? 0 : sqlite3_column_int64(st, 11), full);
	kn_arr_begin(p, "applied");
	sqlite3_stmt *a;
	if (kn_cached(db, "SELECT order_id, sum(amount_cents) FROM payment_applications"
	                  " WHERE payment_id = ? AND released_at IS NULL GROUP BY order_id"
	                  " ORDER BY min(id)", &a, NULL) == KN_OK) {
		sqlite3_bind_int64(a, 1, sqlite3_column_int64(st, 0));
		while (sqlite3_step(a) == SQLITE_ROW) {
			kn_obj_begin(p, NULL);
			kn_put_int(p, "order_id", sqlite3_column_int64(a, 0), 1);
			kn_put_money(p, "amount", sqlite3_column_int64(a, 1), 1);
			kn_nest_end(p);
		}
		sqlite3_reset(a);
	}
	kn_nest_end(p);
}

kn_status kn_payment_show(struct kn_db *db, long long id, struct kn_printer *p,
                          struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_prepare(db, "SELECT " PAYMENT_COLUMNS " FROM payments p"
	                             " JOIN owners o ON o.id = p.owner_id WHERE p.id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	if ((s = kn_step_row(db, st, &row, "reading the payment", err)) == KN_OK && row) {
		kn_rec_begin(p);
		payment_fields(db, p, st, 1);
		kn_rec_end(p);
	} else if (s == KN_OK) {
		s = kn_err_set(err, KN_FAIL, "payment %lld not found", id);
	}
	sqlite3_finalize(st);
	return s;
}

kn_status kn_payment_list(struct kn_db *db, const struct kn_payment_filter *f,
                          struct kn_printer *p, struct kn_err *err)
{
	sqlite3_stmt *st;
	char from[11] = "", to[11] = "";
	kn_status s;
	kn_day day;

	if (f->method && (s = method_check(f->method, err)) != KN_OK)
		return s;
	if (f->from && kn_date_parse(f->from, &day, err) == KN_OK)
		kn_date_format(day, from);
	else if (f->from)
		return KN_FAIL;
	if (f->to && kn_date_parse(f->to, &day, err) == KN_OK)
		kn_date_format(day, to);
	else if (f->to)
		return KN_FAIL;
	if ((s = kn_prepare(db, "SELECT " PAYMENT_COLUMNS " FROM payments p"
	                        " JOIN owners o ON o.id = p.owner_id"
	                        " WHERE (?1 = 0 OR p.owner_id = ?1) AND (?2 IS NULL OR p.date >= ?2)"
	                        " AND (?3 IS NULL OR p.date <= ?3) AND (?4 IS NULL OR p.method = ?4)"
	                        " ORDER BY p.date, p.id", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, f->owner_id);
	kn_bind_text(st, 2, from);
	kn_bind_text(st, 3, to);
	kn_bind_text(st, 4, f->method);
	int row = 0;
	kn_list_begin(p);
	while ((s = kn_step_row(db, st, &row, "listing payments", err)) == KN_OK && row) {
		kn_rec_begin(p);
		payment_fields(db, p, st, 0);
		kn_rec_end(p);
	}
	kn_list_end(p);
	sqlite3_finalize(st);
	return s;
}
