/*
 * Signing pets out, and undoing it.  A sign-out settles the visit in the
 * caller's transaction: package days first (the package ending first),
 * the rest charged to the owner's cart with the booking's add-ons and a
 * late pick-up fee, so a visit has its package use and its charge, or
 * neither.  The state column is the guard: only a visit 'in' is signed
 * out, so a repeated sign-out charges nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "desk/kn_desk.h"
#include "money/kn_money.h"
#include "order/kn_order.h"

/* ---- signing out --------------------------------------------------- */

/* The pet's visit in, or an error saying why there is none. */
static kn_status visit_of_pet(struct kn_db *db, const struct kn_desk_pet *pt,
                              struct kn_desk_visit *v, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_desk_visit_in(db, pt, v, err);
	if (s != KN_OK || v->id)
		return s;
	/* not in: said with the last sign-out, the usual reason */
	char today[11];
	kn_date_format(kn_today(), today);
	if ((s = kn_cached(db, "SELECT id, service, CASE WHEN substr(out_at, 1, 10) = ?2 THEN"
	                        " substr(out_at, 12, 5) ELSE substr(out_at, 1, 10) || ' '"
	                        " || substr(out_at, 12, 5) END FROM visits"
	                        " WHERE pet_id = ?1 ORDER BY id DESC LIMIT 1", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, pt->id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	if ((s = kn_step_row(db, st, &row, "finding the visit", err)) == KN_OK && row)
		s = kn_err_set(err, KN_FAIL, "%s is not signed in: signed out of %s at %s (visit %lld)",
		               pt->name, kn_col_text(st, 1), kn_col_text(st, 2),
		               (long long)sqlite3_column_int64(st, 0));
	else if (s == KN_OK)
		s = kn_err_set(err, KN_FAIL, "%s is not signed in (kennel desk in %s)", pt->name,
		               pt->name);
	sqlite3_reset(st);
	return s;
}

/* Package days for units, the package ending first; *covered the days. */
static kn_status use_packages(struct kn_db *db, long long owner, const struct kn_desk_visit *v,
                              const char *out_day, long long units, long long *covered,
                              struct kn_err *err)
{
	sqlite3_stmt *st;
	long long ids[16], left[16];
	int n = 0, row = 0;
	char note[96];
	kn_status s = kn_cached(db, "SELECT id, number_left FROM packages WHERE owner_id = ?"
	                            " AND type = ? AND number_left > 0 AND end_date >= ?"
	                            " ORDER BY end_date, id LIMIT 16", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_text(st, 2, kn_desk_package_type(v->service), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, out_day, -1, SQLITE_STATIC);
	while ((s = kn_step_row(db, st, &row, "finding a package", err)) == KN_OK && row) {
		ids[n] = sqlite3_column_int64(st, 0);
		left[n++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	*covered = 0;
	snprintf(note, sizeof note, "visit %lld (%s, %s)", v->id, v->service, v->day);
	for (int i = 0; i < n && s == KN_OK && *covered < units; i++) {
		long long take = units - *covered < left[i] ? units - *covered : left[i];
		if ((s = kn_package_days(db, ids[i], take, NULL, "used", note, err)) != KN_OK ||
		    (s = kn_cached(db, "INSERT INTO visit_package_uses (visit_id, package_id, days)"
		                        " VALUES (?, ?, ?)", &st, err)) != KN_OK)
			break;
		sqlite3_bind_int64(st, 1, v->id);
		sqlite3_bind_int64(st, 2, ids[i]);
		sqlite3_bind_int64(st, 3, take);
		if ((s = kn_step_done(db, st, "recording the package use", err)) == KN_OK)
			*covered += take;
	}
	return s;
}

/* The product a visit is charged at: --product, else the only active
 * product of the service's type; else refused with the candidates. */
static kn_status visit_product(struct kn_db *db, const char *ref, const struct kn_desk_pet *pt,
                               const struct kn_desk_visit *v, long long *product, long long *price,
                               struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0, n = 0;
	struct kn_buf which = { 0 };
	long long wanted = 0;
	kn_status s;
	if (ref && (s = kn_product_resolve(db, ref, &wanted, err)) != KN_OK)
		return s;
	/* the product the request asked for (request --product), unless the
	 * desk says otherwise */
	if (!ref && v->request) {
		if ((s = kn_cached(db, "SELECT coalesce(product_id, 0) FROM requests WHERE id = ?", &st,
		                   err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, v->request);
		if ((s = kn_step_row(db, st, &row, "reading the request", err)) == KN_OK && row)
			wanted = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (s != KN_OK)
			return s;
	}
	if ((s = kn_cached(db, "SELECT id, name, price_cents FROM products WHERE active"
	                        " AND (CASE WHEN ?2 > 0 THEN id = ?2 ELSE type = ?1 END) ORDER BY id",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, v->service, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, wanted);
	while ((s = kn_step_row(db, st, &row, "choosing the product", err)) == KN_OK && row) {
		char money[32];
		if (n++ == 0) {
			*product = sqlite3_column_int64(st, 0);
			*price = sqlite3_column_int64(st, 2);
		}
		kn_money_format(sqlite3_column_int64(st, 2), money);
		kn_buf_addf(&which, "%s%lld %s $%s", n > 1 ? ", " : "",
		            (long long)sqlite3_column_int64(st, 0), kn_col_text(st, 1), money);
	}
	sqlite3_reset(st);
	if (s == KN_OK && wanted && n == 0)
		s = kn_err_set(err, KN_FAIL, "product '%s' is not active", ref ? ref : "of the request");
	else if (s == KN_OK && n == 0)
		s = kn_err_set(err, KN_FAIL, "%s's %s visit has no product to charge: add one (kennel "
		               "product add --type %s) or give --product", pt->name, v->service,
		               v->service);
	else if (s == KN_OK && n > 1)
		s = kn_err_set(err, KN_FAIL, "%s's %s visit could be charged at %d products: --product "
		               "chooses one of %s", pt->name, v->service, n, which.data);
	kn_buf_free(&which);
	return s;
}

/* desk.late_after and desk.late_fee, read once per sign-out call */
struct late {
	char after[6];
	long long fee, product;
};

static kn_status late_read(struct kn_db *db, struct late *l, struct kn_err *err)
{
	char *v = NULL;
	int dflt;
	kn_status s = kn_pref_get(db, "desk.late_after", &v, &dflt, err);
	l->after[0] = '\0';
	l->fee = 0;
	l->product = 0;
	if (s == KN_OK && kn_clock_ok(v))
		snprintf(l->after, sizeof l->after, "%s", v);
	free(v);
	v = NULL;
	if (s == KN_OK && (s = kn_pref_get(db, "desk.late_fee", &v, &dflt, err)) == KN_OK)
		s = kn_money_parse(v, &l->fee, err);
	free(v);
	return s;
}

/* The fee's product, made on first use ("Late pick-up fee", type fee). */
static kn_status late_product(struct kn_db *db, struct late *l, struct kn_err *err)
{
	if (l->product)
		return KN_OK;
	return kn_product_made(db, "Late pick-up fee", "fee", l->fee, &l->product, err);
}

struct owner_cart {
	long long owner, cart;
};
struct out_run {
	const struct kn_desk_out *o;
	char out_at[20], out_day[11];
	int use_packages;
	struct late late;
	struct owner_cart *carts;
	int ncarts;
};

static kn_status cart_of(struct kn_db *db, struct out_run *run, long long owner, long long *cart,
                         struct kn_err *err)
{
	for (int i = 0; i < run->ncarts; i++)
		if (run->carts[i].owner == owner && run->carts[i].cart) {
			*cart = run->carts[i].cart;
			return KN_OK;
		}
	kn_status s = kn_cart_open(db, owner, cart, err);
	for (int i = 0; s == KN_OK && i < run->ncarts; i++)
		if (run->carts[i].owner == owner)
			run->carts[i].cart = *cart;
	return s;
}

/* The booking's add-ons, charged once: with its first pet signed out. */
static kn_status charge_addons(struct kn_db *db, struct out_run *run, long long owner,
                               const struct kn_desk_visit *v, long long *cart, long long *charged,
                               struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	long long ids[32], prices[32];
	int n = 0;
	if (v->request == 0)
		return KN_OK;
	kn_status s = kn_cached(db, "SELECT p.id, p.price_cents FROM request_addons a JOIN products p"
	                            " ON p.id = a.product_id WHERE a.request_id = ?1 AND NOT EXISTS"
	                            " (SELECT 1 FROM visits v WHERE v.request_id = ?1 AND v.state ="
	                            " 'out') ORDER BY p.id LIMIT 32", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, v->request);
	while ((s = kn_step_row(db, st, &row, "reading the add-ons", err)) == KN_OK && row) {
		ids[n] = sqlite3_column_int64(st, 0);
		prices[n++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (s == KN_OK && n > 0 && *cart == 0)
		s = cart_of(db, run, owner, cart, err);
	for (int i = 0; i < n && s == KN_OK; i++)
		if ((s = kn_cart_add(db, *cart, ids[i], 1, prices[i], v->id, err)) == KN_OK)
			*charged += prices[i];
	return s;
}

static kn_status sign_out_one(struct kn_db *db, struct out_run *run, const char *ref,
                              long long *visit, struct kn_err *err)
{
	struct kn_desk_pet pt;
	struct kn_desk_visit v;
	long long units = 1, covered = 0, charged = 0, cart = 0;
	kn_status s = kn_desk_pet(db, ref, &pt, err);
	if (s != KN_OK || (s = visit_of_pet(db, &pt, &v, err)) != KN_OK)
		return s;
	if (strcmp(run->out_at, v.in_at) < 0)
		return kn_err_set(err, KN_FAIL, "%s was signed in at %s, after the sign-out time %s",
		                  pt.name, v.in_at, run->out_at);
	int found = 0;
	for (int i = 0; i < run->ncarts; i++)
		found |= run->carts[i].owner == pt.owner;
	if (!found) {
		run->carts = kn_xrealloc(run->carts, (size_t)(run->ncarts + 1) * sizeof *run->carts);
		run->carts[run->ncarts++] = (struct owner_cart){ pt.owner, 0 };
	}
	if (strcmp(v.service, "boarding") == 0) {
		kn_day a, b;
		if ((s = kn_date_parse(v.day, &a, err)) != KN_OK ||
		    (s = kn_date_parse(run->out_day, &b, err)) != KN_OK)
			return s;
		units = b - a > 1 ? b - a : 1;
	}
	if (run->use_packages &&
	    (s = use_packages(db, pt.owner, &v, run->out_day, units, &covered, err)) != KN_OK)
		return s;
	if (covered < units) {
		long long product = 0, price = 0;
		if ((s = visit_product(db, run->o->product, &pt, &v, &product, &price, err)) != KN_OK ||
		    (s = cart_of(db, run, pt.owner, &cart, err)) != KN_OK ||
		    (s = kn_cart_add(db, cart, product, units - covered, price, v.id, err)) != KN_OK)
			return s;
		charged += price * (units - covered);
		if (strcmp(v.service, "boarding") == 0 &&
		    (s = kn_deposit_deduct(db, v.request, cart, v.id, &charged, err)) != KN_OK)
			return s;
	}
	if ((s = charge_addons(db, run, pt.owner, &v, &cart, &charged, err)) != KN_OK)
		return s;
	if (strcmp(v.service, "boarding") != 0 && run->late.after[0] && run->late.fee > 0 &&
	    strncmp(run->out_at + 11, run->late.after, 5) > 0) {
		if ((s = late_product(db, &run->late, err)) != KN_OK ||
		    (!cart && (s = cart_of(db, run, pt.owner, &cart, err)) != KN_OK) ||
		    (s = kn_cart_add(db, cart, run->late.product, 1, run->late.fee, v.id, err)) != KN_OK)
			return s;
		charged += run->late.fee;
	}
	sqlite3_stmt *st;
	if ((s = kn_cached(db, "UPDATE visits SET state = 'out', out_at = ?, units = ?,"
	                        " charge_cents = ?, order_id = ? WHERE id = ? AND state = 'in'", &st,
	                   err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, run->out_at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, units);
	sqlite3_bind_int64(st, 3, charged);
	if (cart && charged)
		sqlite3_bind_int64(st, 4, cart);
	sqlite3_bind_int64(st, 5, v.id);
	if ((s = kn_step_done(db, st, "signing out", err)) != KN_OK)
		return s;
	*visit = v.id;
	char money[32];
	kn_money_format(charged, money);
	if ((s = kn_audit(db, "visit", v.id, err, "%s signed out of %s: %lld %s, %lld from a "
	                  "package, $%s charged", pt.name, v.service, units,
	                  strcmp(v.service, "boarding") == 0 ? "nights" : "day", covered,
	                  money)) != KN_OK)
		return s;
	if (run->o->card)
		s = kn_desk_card(db, v.id, run->o->card, err);
	return s;
}

/* Each touched cart: checked out with --pay, or by itself when it is $0;
 * and the owner's other $0 carts (a carry-over placed in a cart while her
 * pet was in) are processed with the sign-out. */
static kn_status settle_carts(struct kn_db *db, const struct out_run *run, struct kn_err *err)
{
	kn_status s = KN_OK;
	for (int i = 0; i < run->ncarts && s == KN_OK; i++) {
		long long cart = run->carts[i].cart, total = 0;
		if (cart && (s = kn_cart_total(db, cart, &total, err)) == KN_OK) {
			if (run->o->pay)
				s = kn_order_checkout(db, cart, run->o->pay, run->o->amount, err);
			else if (total == 0)
				s = kn_order_checkout(db, cart, "no-payment", NULL, err);
		}
		for (long long other = 1; s == KN_OK && other;) {
			sqlite3_stmt *st;
			int row = 0;
			other = 0;
			if ((s = kn_cached(db, "SELECT id FROM orders WHERE owner_id = ? AND status ="
			                        " 'cart' AND total_cents = 0 AND EXISTS (SELECT 1 FROM"
			                        " order_items i WHERE i.order_id = orders.id)"
			                        " ORDER BY id LIMIT 1", &st, err)) != KN_OK)
				break;
			sqlite3_bind_int64(st, 1, run->carts[i].owner);
			if ((s = kn_step_row(db, st, &row, "finding the cart", err)) == KN_OK && row)
				other = sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
			if (other)
				s = kn_order_checkout(db, other, "no-payment", NULL, err);
		}
	}
	return s;
}

kn_status kn_desk_out(struct kn_db *db, const struct kn_desk_out *o, long long **visits,
                      int *nvisits, struct kn_err *err)
{
	struct out_run run = { .o = o };
	char *use = NULL;
	int dflt;
	kn_status s;

	*visits = NULL;
	*nvisits = 0;
	if (o->npets == 0)
		return kn_err_set(err, KN_USAGE, "desk out needs a PET");
	if (o->amount && !o->pay)
		return kn_err_set(err, KN_USAGE, "--amount needs --pay TYPE");
	if ((s = kn_desk_time(o->at, run.out_at, err)) != KN_OK)
		return s;
	snprintf(run.out_day, sizeof run.out_day, "%.10s", run.out_at);
	if ((s = kn_pref_get(db, "desk.use_package", &use, &dflt, err)) != KN_OK)
		return s;
	run.use_packages = !o->no_package && strcmp(use, "never") != 0;
	free(use);
	if ((s = late_read(db, &run.late, err)) != KN_OK)
		return s;
	*visits = kn_xcalloc((size_t)o->npets, sizeof **visits);
	for (int i = 0; i < o->npets && s == KN_OK; i++)
		if ((s = sign_out_one(db, &run, o->pets[i], &(*visits)[i], err)) == KN_OK)
			(*nvisits)++;
	if (s == KN_OK && o->amount && run.ncarts > 1)
		s = kn_err_set(err, KN_USAGE, "--amount is one owner's payment: sign out the pets of "
		               "one owner at a time");
	if (s == KN_OK)
		s = settle_carts(db, &run, err);
	free(run.carts);
	return s;
}

/* A charge on an invoice already checked out stays on it (the invoice
 * was issued); the same amount is credited to the owner's account, and
 * so pays what she owes, that invoice first. */
static kn_status credit_back(struct kn_db *db, long long order, long long visit,
                             const char *why, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	long long owner = 0, charged = 0, credit;
	kn_status s = kn_cached(db, "SELECT o.owner_id, coalesce(sum(i.qty * i.price_cents), 0)"
	                            " FROM orders o LEFT JOIN order_items i ON i.order_id = o.id"
	                            " AND i.visit_id = ?2 WHERE o.id = ?1 GROUP BY o.id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	sqlite3_bind_int64(st, 2, visit);
	if ((s = kn_step_row(db, st, &row, "reading the visit's charges", err)) == KN_OK && row) {
		owner = sqlite3_column_int64(st, 0);
		charged = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (s != KN_OK || charged == 0)
		return s;
	struct kn_ledger_row credit_row = { .owner_id = owner, .amount_cents = charged,
	                                    .order_id = order, .visit_id = visit, .kind = "credit",
	                                    .note = why };
	if ((s = kn_ledger_record(db, &credit_row, &credit, err)) != KN_OK)
		return s;
	return kn_ledger_settle(db, owner, order, err);
}

/* ---- undo, move ---------------------------------------------------- */

kn_status kn_desk_undo(struct kn_db *db, long long visit, const char *note, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	long long pet = 0, order = 0;
	char state[8] = "", order_status[8] = "", pet_name[128] = "";
	kn_status s = kn_cached(db, "SELECT v.pet_id, v.state, coalesce(v.order_id, 0),"
	                            " coalesce(o.status, ''), p.name FROM visits v JOIN pets p ON"
	                            " p.id = v.pet_id LEFT JOIN orders o ON o.id = v.order_id"
	                            " WHERE v.id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, visit);
	if ((s = kn_step_row(db, st, &row, "reading the visit", err)) == KN_OK && row) {
		pet = sqlite3_column_int64(st, 0);
		snprintf(state, sizeof state, "%s", kn_col_text(st, 1));
		order = sqlite3_column_int64(st, 2);
		snprintf(order_status, sizeof order_status, "%s", kn_col_text(st, 3));
		snprintf(pet_name, sizeof pet_name, "%s", kn_col_text(st, 4));
	} else if (s == KN_OK) {
		s = kn_err_set(err, KN_FAIL, "visit %lld not found", visit);
	}
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
	if (strcmp(state, "in") == 0)
		return kn_err_set(err, KN_FAIL, "visit %lld is signed in: there is no sign-out to undo",
		                  visit);
	/* the package days come back, each in its package's history */
	char why[300];
	snprintf(why, sizeof why, "visit %lld%s%s", visit, note ? ": " : "", note ? note : "");
	long long pkgs[16], days[16];
	int n = 0;
	if ((s = kn_cached(db, "SELECT package_id, days FROM visit_package_uses WHERE visit_id = ?"
	                        " LIMIT 16", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, visit);
	while ((s = kn_step_row(db, st, &row, "reading the package use", err)) == KN_OK && row) {
		pkgs[n] = sqlite3_column_int64(st, 0);
		days[n++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	for (int i = 0; i < n && s == KN_OK; i++)
		s = kn_package_days(db, pkgs[i], -days[i], NULL, "sign-out undone", why, err);
	if (s == KN_OK && (s = kn_cached(db, "DELETE FROM visit_package_uses WHERE visit_id = ?",
	                                  &st, err)) == KN_OK) {
		sqlite3_bind_int64(st, 1, visit);
		s = kn_step_done(db, st, "taking back the package use", err);
	}
	if (s == KN_OK && order && strcmp(order_status, "cart") == 0)
		s = kn_cart_drop_visit(db, order, visit, err);
	else if (s == KN_OK && order && strcmp(order_status, "void") != 0)
		s = credit_back(db, order, visit, why, err);
	if (s == KN_OK && (s = kn_cached(db, "UPDATE visits SET state = 'in', out_at = NULL,"
	                                      " units = NULL, charge_cents = 0, order_id = NULL"
	                                      " WHERE id = ? AND state = 'out'", &st, err)) == KN_OK) {
		sqlite3_bind_int64(st, 1, visit);
		s = kn_step_done(db, st, "signing back in", err);
		if (s == KN_FAIL && (sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_CONSTRAINT) {
			kn_err_clear(err);
			s = kn_err_set(err, KN_FAIL, "%s is signed in on another visit now (pet %lld): "
			               "sign that one out first", pet_name, pet);
		}
	}
	if (s != KN_OK)
		return s;
	return kn_audit(db, "visit", visit, err, "sign-out of %s undone%s%s", pet_name,
	                note ? ": " : "", note ? note : "");
}

