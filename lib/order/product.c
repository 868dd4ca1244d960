/* Products: services, packages and retail items the business sells. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "order/kn_order.h"

static const char *const types[] = {
	"boarding", "daycare", "grooming", "training", "service", "daycare-package",
	"boarding-package", "other-package", "retail", "fee",
};

static int is_package(const char *type)
{
	return strstr(type, "-package") != NULL;
}

kn_status kn_product_check_type(const char *type, struct kn_err *err)
{
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(types[i], type) == 0)
			return KN_OK;
	return kn_err_set(err, KN_USAGE, "invalid product type '%s' (choose boarding, daycare, "
	                  "grooming, training, service, daycare-package, boarding-package, "
	                  "other-package, retail, fee)", type);
}

static void put_product(struct kn_printer *p, sqlite3_stmt *st)
{
	kn_rec_begin(p);
	kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
	kn_put_str(p, "name", kn_col_text(st, 1), 1);
	kn_put_str(p, "type", kn_col_text(st, 2), 1);
	kn_put_money(p, "price", sqlite3_column_int64(st, 3), 1);
	kn_put_col_int(p, "quantity", st, 4, 0);
	kn_put_col_int(p, "days", st, 5, 0);
	kn_put_col_int(p, "days_active", st, 6, 0);
	kn_put_bool(p, "show_to_owner", sqlite3_column_int(st, 7), 1);
	kn_put_bool(p, "active", sqlite3_column_int(st, 8), 0);
	kn_rec_end(p);
}

#define PRODUCT_COLUMNS "id, name, type, price_cents, quantity, days, days_active, show_to_owner, active"

kn_status kn_product_resolve(struct kn_db *db, const char *ref, long long *id, struct kn_err *err)
{
	sqlite3_stmt *st;
	int digits = *ref != '\0';
	for (const char *c = ref; *c; c++)
		digits &= isdigit((unsigned char)*c) != 0;
	kn_status s = kn_prepare(db, digits ? "SELECT id FROM products WHERE id = ?"
	                                    : "SELECT id FROM products WHERE name = ? COLLATE NOCASE",
	                         &st, err);
	if (s != KN_OK)
		return s;
	if (digits)
		sqlite3_bind_int64(st, 1, strtoll(ref, NULL, 10));
	else
		sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	int n = 0, row = 0;
	while ((s = kn_step_row(db, st, &row, "finding the product", err)) == KN_OK && row)
		if (n++ == 0)
			*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	if (n == 0)
		return kn_err_set(err, KN_FAIL, "product '%s' not found", ref);
	if (n > 1)
		return kn_err_set(err, KN_FAIL, "product '%s' is ambiguous: %d products have that name",
		                  ref, n);
	return KN_OK;
}

kn_status kn_product_add(struct kn_db *db, const struct kn_product_in *in, long long *id,
                         struct kn_err *err)
{
	long long cents;
	sqlite3_stmt *st;
	kn_status s;

	if (in->name == NULL || in->name[0] == '\0')
		return kn_err_set(err, KN_USAGE, "a product needs --name");
	if (kn_line_check("name", in->name, 0, err) != KN_OK)
		return KN_FAIL;
	if (in->type == NULL)
		return kn_err_set(err, KN_USAGE, "a product needs --type");
	if ((s = kn_product_check_type(in->type, err)) != KN_OK)
		return s;
	if (in->price == NULL)
		return kn_err_set(err, KN_USAGE, "a product needs --price");
	if (kn_money_parse(in->price, &cents, err) != KN_OK)
		return KN_FAIL;
	if (cents < 0)
		return kn_err_set(err, KN_FAIL, "price '%s' is negative", in->price);
	if (is_package(in->type) && (in->days <= 0 || in->days_active <= 0))
		return kn_err_set(err, KN_FAIL, "a package needs --days and --days-active above 0");
	s = kn_prepare(db, "INSERT INTO products (name, type, price_cents, quantity, days,"
	                   " days_active, show_to_owner) VALUES (?, ?, ?, ?, ?, ?, ?)", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, in->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, in->type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, cents);
	if (in->quantity > 0)
		sqlite3_bind_int64(st, 4, in->quantity);
	if (in->days > 0)
		sqlite3_bind_int64(st, 5, in->days);
	if (in->days_active > 0)
		sqlite3_bind_int64(st, 6, in->days_active);
	sqlite3_bind_int(st, 7, in->show_to_owner > 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "adding product");
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	*id = sqlite3_last_insert_rowid(db->h);
	return kn_audit(db, "product", *id, err, "added %s (%s)", in->name, in->type);
}

kn_status kn_product_edit(struct kn_db *db, long long id, const struct kn_product_in *in,
                          struct kn_err *err)
{
	long long cents = -1;
	sqlite3_stmt *st;
	kn_status s;

	if (in->type && (s = kn_product_check_type(in->type, err)) != KN_OK)
		return s;
	if (in->price && kn_money_parse(in->price, &cents, err) != KN_OK)
		return KN_FAIL;
	if (in->name && in->name[0] == '\0')
		return kn_err_set(err, KN_FAIL, "product name is empty");
	if (kn_line_check("name", in->name, 0, err) != KN_OK)
		return KN_FAIL;
	s = kn_prepare(db, "UPDATE products SET name = coalesce(?1, name), type = coalesce(?2, type),"
	                   " price_cents = CASE WHEN ?3 >= 0 THEN ?3 ELSE price_cents END,"
	                   " quantity = CASE WHEN ?4 > 0 THEN ?4 ELSE quantity END,"
	                   " days = CASE WHEN ?5 > 0 THEN ?5 ELSE days END,"
	                   " days_active = CASE WHEN ?6 > 0 THEN ?6 ELSE days_active END,"
	                   " show_to_owner = CASE WHEN ?7 >= 0 THEN ?7 ELSE show_to_owner END"
	                   " WHERE id = ?8", &st, err);
	if (s != KN_OK)
		return s;
	kn_bind_text(st, 1, in->name);
	kn_bind_text(st, 2, in->type);
	sqlite3_bind_int64(st, 3, cents);
	sqlite3_bind_int64(st, 4, in->quantity);
	sqlite3_bind_int64(st, 5, in->days);
	sqlite3_bind_int64(st, 6, in->days_active);
	sqlite3_bind_int(st, 7, in->show_to_owner);
	sqlite3_bind_int64(st, 8, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "editing product");
	sqlite3_finalize(st);
	return s == KN_OK ? kn_audit(db, "product", id, err, "edited") : s;
}

kn_status kn_product_list(struct kn_db *db, const char *type, int shown, int addons,
                          struct kn_printer *p, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s;

	if (type && (s = kn_product_check_type(type, err)) != KN_OK)
		return s;
	/* add-ons to a boarding stay: shown to owners, of any type but
	 * boarding and daycare (a shown grooming item is one) */
	s = kn_prepare(db, "SELECT " PRODUCT_COLUMNS " FROM products WHERE active"
	                   " AND (?1 IS NULL OR type = ?1) AND (?2 = 0 OR show_to_owner)"
	                   " AND (?3 = 0 OR (show_to_owner AND type NOT IN ('boarding', 'daycare')))"
	                   " ORDER BY id", &st, err);
	if (s != KN_OK)
		return s;
	kn_bind_text(st, 1, type);
	sqlite3_bind_int(st, 2, shown);
	sqlite3_bind_int(st, 3, addons);
	kn_list_begin(p);
	while (sqlite3_step(st) == SQLITE_ROW)
		put_product(p, st);
	kn_list_end(p);
	sqlite3_finalize(st);
	return KN_OK;
}

kn_status kn_product_show(struct kn_db *db, long long id, struct kn_printer *p,
                          struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT " PRODUCT_COLUMNS " FROM products WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int row = 0;
	if ((s = kn_step_row(db, st, &row, "reading the product", err)) == KN_OK && row)
		put_product(p, st);
	else if (s == KN_OK)
		s = kn_err_set(err, KN_FAIL, "product %lld not found", id);
	sqlite3_finalize(st);
	return s;
}

/* PATTERN: a glob (* and ?) over the name, ignoring case; without
 * wildcards, any name containing it */
kn_status kn_product_show_to_owner(struct kn_db *db, const char *pattern, int on,
                                   long long *count, struct kn_err *err)
{
	struct kn_buf glob = { 0 };
	sqlite3_stmt *st;
	int wild = strpbrk(pattern, "*?") != NULL;

	if (!wild)
		kn_buf_add(&glob, "*", 1);
	for (const char *c = pattern; *c; c++) {
		char lower = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
		if (lower == '[')
			kn_buf_add(&glob, "[[]", 3);
		else
			kn_buf_add(&glob, &lower, 1);
	}
	if (!wild)
		kn_buf_add(&glob, "*", 1);
	kn_status s = kn_prepare(db, "UPDATE products SET show_to_owner = ? WHERE active"
	                             " AND lower(name) GLOB ?", &st, err);
	if (s == KN_OK) {
		sqlite3_bind_int(st, 1, on != 0);
		sqlite3_bind_text(st, 2, glob.data, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "marking products");
		*count = sqlite3_changes(db->h);
		sqlite3_finalize(st);
	}
	kn_buf_free(&glob);
	if (s == KN_OK)
		s = kn_audit(db, "product", 0, err, "%lld products matching '%s' %s to owners", *count,
		             pattern, on ? "shown" : "hidden");
	return s;
}

kn_status kn_product_made(struct kn_db *db, const char *name, const char *type,
                          long long price_cents, long long *id, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT id FROM products WHERE type = ? AND name = ? AND active"
	                            " ORDER BY id LIMIT 1", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if ((s = kn_step_row(db, st, &row, "finding the product", err)) == KN_OK && row)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (s != KN_OK || row)
		return s;
	char price[32];
	kn_money_format(price_cents, price);
	struct kn_product_in in = { .name = name, .type = type, .price = price, .show_to_owner = 0 };
	return kn_product_add(db, &in, id, err);
}
