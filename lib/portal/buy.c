/*
 * /packages/buy (PORTAL.md 3, portal.purchase): the package products
 * shown to owners, with prices; buying one makes the package at once and
 * a due invoice (order purchase --checkout --on-account), and mails the
 * company.  Off by default, and then the path does not exist (404).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal/kn_portal.h"

#define BUYS_PER_DAY 5

static kn_status purchase_on(struct kn_db *db, int *on, struct kn_err *err)
{
	char *v = NULL;
	int dflt = 0;
	kn_status s = kn_pref_get(db, "portal.purchase", &v, &dflt, err);
	*on = s == KN_OK && v && strcmp(v, "invoice") == 0;
	free(v);
	return s;
}

#define SHOWN_PACKAGES                                                                     \
	"SELECT id, name, price_cents, days, days_active FROM products WHERE active"          \
	" AND show_to_owner AND type LIKE '%-package'"

static kn_status buy_page(struct kn_page_req *r, unsigned status, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st;
	int rc, n = 0;
	if (db == NULL)
		return err->status;
	kn_status s = kn_prepare(db, SHOWN_PACKAGES " ORDER BY name, id", &st, err);
	if (s != KN_OK)
		return s;
	kn_h_list(r->page, "products");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kn_hctx *p = kn_h_item(r->page, "products");
		char money[32];
		kn_h_int(p, "id", sqlite3_column_int64(st, 0));
		kn_h_set(p, "name", kn_col_text(st, 1));
		kn_money_format(sqlite3_column_int64(st, 2), money);
		kn_h_setf(p, "price", "$%s", money);
		kn_h_int(p, "days", sqlite3_column_int64(st, 3));
		kn_h_int(p, "days_active", sqlite3_column_int64(st, 4));
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "reading the packages");
	kn_h_set(r->page, "has_products", n ? "1" : "");
	kn_h_default(r->page, "csrf", kn_csrf_token(r));
	kn_h_default(r->page, "e_form", "");
	return kn_page(r, status, "buy.html", "Buy a package", err);
}

kn_status kn_route_packages_buy_form(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	int on = 0;
	if (db == NULL)
		return err->status;
	kn_status s = purchase_on(db, &on, err);
	if (s != KN_OK)
		return s;
	return on ? buy_page(r, 200, err) : kn_not_found(r, err);
}

kn_status kn_route_packages_buy(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st;
	int on = 0, bad = 0, row = 0, bought = 0;
	long long product = 0, price = 0, order = 0;
	char name[128] = "";
	if (db == NULL)
		return err->status;
	kn_status s = purchase_on(db, &on, err);
	if (s != KN_OK)
		return s;
	if (!on)
		return kn_not_found(r, err);
	const char *field = kn_field(r, "product", &bad);
	struct kn_err ferr = { 0 };
	if (field == NULL || bad || kn_id_parse(field, "product", &product, &ferr) != KN_OK) {
		kn_h_set(r->page, "e_form", "Choose one of the packages.");
		return buy_page(r, 422, err);
	}
	/* only a package shown to owners can be bought here: an id typed in is
	 * checked like any other field */
	if ((s = kn_prepare(db, SHOWN_PACKAGES " AND id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, product);
	if ((s = kn_step_row(db, st, &row, "reading the package", err)) == KN_OK && row) {
		snprintf(name, sizeof name, "%s", kn_col_text(st, 1));
		price = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	if (!row) {
		kn_h_set(r->page, "e_form", "That package is not offered any more. Choose another.");
		return buy_page(r, 422, err);
	}
	if ((s = kn_outbox_count_since(db, "package-bought", r->owner_id, 86400, &bought, err)) !=
	    KN_OK)
		return s;
	if (bought >= BUYS_PER_DAY) {
		kn_h_set(r->page, "e_form", "You bought 5 packages today, the most the portal takes in "
		         "a day. Please call us to buy more.");
		r->retry_after = 3600;
		return buy_page(r, 429, err);
	}
	struct kn_company co;
	if ((s = kn_company_get(db, &co, err)) != KN_OK)
		return s;
	char to[256];
	snprintf(to, sizeof to, "%s", co.email ? co.email : "");
	kn_company_free(&co);
	kn_req_act_as_owner(r);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	struct kn_purchase p = { .owner_id = r->owner_id, .product_id = product, .qty = 1,
	                         .note = "bought on the owner portal", .checkout = 1 };
	s = kn_order_purchase(db, &p, &order, err);
	char order_text[24], money[32];
	snprintf(order_text, sizeof order_text, "%lld", order);
	kn_money_format(price, money);
	const char *names[] = { "package.name", "package.price", "package.order" };
	const char *values[] = { name, money, order_text };
	struct kn_portal_mail m = { .kind = "package-bought", .template_name = "package-bought",
	                            .to = to, .owner_id = r->owner_id, .names = names,
	                            .values = values, .n = 3 };
	if (s == KN_OK && to[0])
		s = kn_portal_mail_queue(db, &m, kn_srv_mail_templates(r->srv), err);
	char location[64];
	snprintf(location, sizeof location, "/billing/orders/%lld?notice=bought", order);
	return kn_commit_mailed(r, db, s, location, err);
}
