/*
 * What a request form offers to choose, and reads back: the owner's pets
 * (checkboxes), a stay's add-ons (the shown products neither boarding nor
 * daycare, the setup guide's rule) and the product of a grooming,
 * training or service request (one radio each).  One copy for the request
 * form (requests.c) and the change form (change.c), so a change can offer
 * nothing a request could not.
 */
#include <stdio.h>
#include <string.h>

#include "portal/kn_portal.h"

static int chosen(const char *const *sel, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (sel[i] && strcmp(sel[i], id) == 0)
			return 1;
	return 0;
}

static int typed(const char *service)
{
	return strcmp(service, "grooming") == 0 || strcmp(service, "training") == 0 ||
	       strcmp(service, "service") == 0;
}

kn_status kn_choices_put(struct kn_page_req *r, struct kn_db *db, const char *service,
                         const struct kn_choice_sel *sel, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT id, name FROM pets WHERE owner_id = ? ORDER BY name"
	                             " COLLATE NOCASE, id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	kn_h_list(r->page, "pets");
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct kn_hctx *p = kn_h_item(r->page, "pets");
		kn_h_set(p, "id", kn_col_text(st, 0));
		kn_h_set(p, "name", kn_col_text(st, 1));
		kn_h_set(p, "checked", chosen(sel->pets, sel->npets, kn_col_text(st, 0)) ? "1" : "");
	}
	sqlite3_finalize(st);
	kn_h_list(r->page, "addons");
	kn_h_set(r->page, "has_addons", "");
	kn_h_list(r->page, "products");
	kn_h_set(r->page, "has_products", "");
	int boarding = strcmp(service, "boarding") == 0;
	if (!boarding && !typed(service))
		return KN_OK;
	if ((s = kn_prepare(db, boarding
	                            ? "SELECT id, name, price_cents FROM products WHERE active AND"
	                              " show_to_owner AND type NOT IN ('boarding', 'daycare')"
	                              " AND ?1 IS NOT NULL ORDER BY name COLLATE NOCASE, id"
	                            : "SELECT id, name, price_cents FROM products WHERE active AND"
	                              " show_to_owner AND type = ?1 ORDER BY name COLLATE NOCASE, id",
	                    &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
	const char *list = boarding ? "addons" : "products";
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct kn_hctx *a = kn_h_item(r->page, list);
		const char *id = kn_col_text(st, 0);
		char price[32];
		kn_money_format(sqlite3_column_int64(st, 2), price);
		kn_h_set(r->page, boarding ? "has_addons" : "has_products", "1");
		kn_h_set(a, "id", id);
		kn_h_set(a, "name", kn_col_text(st, 1));
		kn_h_setf(a, "price", "$%s", price);
		kn_h_set(a, "checked", boarding ? (chosen(sel->addons, sel->naddons, id) ? "1" : "")
		                       : sel->product && strcmp(sel->product, id) == 0 ? "1" : "");
	}
	sqlite3_finalize(st);
	return KN_OK;
}

void kn_choices_posted(struct kn_page_req *r, struct kn_choice_sel *sel)
{
	sel->npets = kn_form_all(&r->form, "pet", sel->pets, sizeof sel->pets / sizeof sel->pets[0]);
	sel->naddons = kn_form_all(&r->form, "addon", sel->addons,
	                           sizeof sel->addons / sizeof sel->addons[0]);
	sel->product = kn_form_one(&r->form, "product", NULL);
	if (sel->npets > sizeof sel->pets / sizeof sel->pets[0])
		sel->npets = sizeof sel->pets / sizeof sel->pets[0];
	if (sel->naddons > sizeof sel->addons / sizeof sel->addons[0])
		sel->naddons = sizeof sel->addons / sizeof sel->addons[0];
}

/* 1 when the statement finds a row for id (and text, when given) */
static kn_status offered(struct kn_db *db, const char *sql, long long id, const char *text,
                         long long owner, int *found, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, sql, &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	if (text)
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 2, owner);
	s = kn_step_row(db, st, found, "reading the form's choices", err);
	sqlite3_finalize(st);
	return s;
}

kn_status kn_choices_read(struct kn_page_req *r, struct kn_db *db, const char *service,
                          struct kn_choices *c, int *bad, int *foreign, struct kn_err *err)
{
	const char *pets[KN_MAX_PETS + 1];
	size_t npets = kn_form_all(&r->form, "pet", pets, KN_MAX_PETS + 1);
	kn_status s = KN_OK;
	memset(c, 0, sizeof *c);
	*foreign = 0;
	for (size_t i = 0; i < npets && i < KN_MAX_PETS; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(pets[i], pets[j]) == 0 && !*bad)
				kn_field_error(r, "pet", "Choose each pet once."), *bad = 1;
	if (npets == 0)
		kn_field_error(r, "pet", "Choose at least one pet."), *bad = 1;
	else if (npets > KN_MAX_PETS)
		kn_field_error(r, "pet", "Choose at most 8 pets in one request."), *bad = 1;
	/* an id the form never offered is no hint of anyone's: 404 */
	for (size_t i = 0; i < npets && i < KN_MAX_PETS && !*bad; i++) {
		struct kn_err e = { 0 };
		long long id;
		int mine = 0;
		if (kn_id_parse(pets[i], "pet", &id, &e) != KN_OK)
			return *foreign = 1, KN_OK;
		if ((s = offered(db, "SELECT 1 FROM pets WHERE id = ?1 AND owner_id = ?2", id, NULL,
		                 r->owner_id, &mine, err)) != KN_OK)
			return s;
		if (!mine)
			return *foreign = 1, KN_OK;
		c->pets[c->npets++] = id;
	}
	size_t naddons = kn_form_all(&r->form, "addon", c->addons, 32);
	if (naddons > 32 || (naddons > 0 && strcmp(service, "boarding") != 0))
		kn_field_error(r, "form", "Add-ons go with boarding."), *bad = 1;
	for (size_t i = 0; i < naddons && i < 32 && !*bad; i++) {
		struct kn_err e = { 0 };
		long long id;
		int found = 0;
		if (kn_id_parse(c->addons[i], "add-on", &id, &e) != KN_OK)
			return *foreign = 1, KN_OK;
		if ((s = offered(db, "SELECT 1 FROM products WHERE id = ?1 AND active AND"
		                     " show_to_owner AND type NOT IN ('boarding', 'daycare')"
		                     " AND ?2 IS NOT NULL", id, service, 0, &found, err)) != KN_OK)
			return s;
		if (!found)
			return *foreign = 1, KN_OK;
	}
	c->naddons = naddons < 32 ? naddons : 32;
	c->addons[c->naddons] = NULL;
	const char *product = kn_field(r, "product", bad);
	if (product && *product) {
		struct kn_err e = { 0 };
		long long id;
		int found = 0;
		if (kn_id_parse(product, "product", &id, &e) != KN_OK)
			return *foreign = 1, KN_OK;
		if ((s = offered(db, "SELECT 1 FROM products WHERE id = ?1 AND active AND"
		                     " show_to_owner AND type = ?2", id, service, 0, &found, err)) !=
		    KN_OK)
			return s;
		if (!found)
			return *foreign = 1, KN_OK;
		c->product = product;
	}
	return KN_OK;
}
