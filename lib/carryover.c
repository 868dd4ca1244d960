/*
 * kennel package carryover: prepaid packages from another system, done
 * the way the vendor tells staff to do it by hand, for every row at once:
 * (1) one $0 "Carry Over Package" product of the package type, quantity 1,
 * 999 days active; (2) an owner purchase of it, checked out with payment
 * no-payment and a note saying it is a carry-over; (3) the new package
 * modified to the days left and end date, with the row's note.
 *
 * A carried-over order keeps a key made of what the row says (owner, type,
 * days left, end date, note) and how many identical rows came before it in
 * the file, so running the same file again adds nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "kn_import.h"

enum { C_OWNER_EXT, C_OWNER_EMAIL, C_USERNAME, C_OWNER_ID, C_DAYS_LEFT, C_END_DATE, C_NOTE, C_COUNT };

static const struct kn_csv_field fields[C_COUNT] = {
	[C_OWNER_EXT] = { "owner_external_id", "customerid clientid customernumber ownerexternalid", 0 },
	[C_OWNER_EMAIL] = { "owner_email", "email emailaddress owneremail", 0 },
	[C_USERNAME] = { "username", "login", 0 },
	[C_OWNER_ID] = { "owner_id", NULL, 0 },
	[C_DAYS_LEFT] = { "days_left", "daysleft creditsleft visitsleft remaining dayremaining "
	                  "daysremaining creditsremaining", 1 },
	[C_END_DATE] = { "end_date", "enddate expiration expires expirationdate expireson", 0 },
	[C_NOTE] = { "note", "notes comment comments", 0 },
};

struct carry_state {
	const struct kn_carryover_options *o;
	char type[32];
	long long product_id, max_order_before, first_order, last_order;
};

static const char *const carry_count_sql =
	"SELECT count(*) FROM orders WHERE carryover_key > ?1 AND carryover_key < ?2 AND id > ?3";
static const char *const carry_exists_sql = "SELECT 1 FROM orders WHERE carryover_key = ?";
static const char *const carry_package_sql = "SELECT id FROM packages WHERE order_id = ?";

static kn_status setup(struct kn_import *in, struct kn_err *err)
{
	struct carry_state *cs = in->state;
	const char *name = cs->o->product_name ? cs->o->product_name : "Carry Over Package";
	sqlite3_stmt *st;
	kn_status s;

	if (!kn_csv_has(in->csv, C_OWNER_EXT) && !kn_csv_has(in->csv, C_OWNER_EMAIL) &&
	    !kn_csv_has(in->csv, C_USERNAME) && !kn_csv_has(in->csv, C_OWNER_ID))
		return kn_err_set(err, KN_FAIL, "%s: missing an owner column (owner_external_id, "
		                  "owner_email, username or owner_id)", kn_csv_name(in->csv));
	/* step 1: the product, made once */
	if ((s = kn_prepare(in->db, "SELECT id FROM products WHERE name = ? AND type = ? AND active",
	                    &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cs->type, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		cs->product_id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (cs->product_id == 0) {
		struct kn_product_in p = { .name = name, .type = cs->type, .price = "0", .quantity = 1,
		                           .days = 1, .days_active = 999 };
		if ((s = kn_product_add(in->db, &p, &cs->product_id, err)) != KN_OK)
			return s;
	}
	if ((s = kn_prepare(in->db, "SELECT coalesce(max(id), 0) FROM orders", &st, err)) != KN_OK)
		return s;
	sqlite3_step(st);
	cs->max_order_before = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return KN_OK;
}

static unsigned long long fnv1a(const char *s)
{
	unsigned long long h = 1469598103934665603ULL;
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static kn_status row(struct kn_import *in, struct kn_err *err)
{
	struct carry_state *cs = in->state;
	const char *v[C_COUNT];
	char why[512], end[11], prefix[160], lo[170], hi[170], key[200], note[300];
	long long owner, left, order, pkg = 0;
	sqlite3_stmt *st;
	kn_status s;

	kn_import_values(in, v, C_COUNT);
	s = kn_import_owner(in, v[C_OWNER_EXT], v[C_OWNER_EMAIL],
	                    v[C_OWNER_ID] ? v[C_OWNER_ID] : v[C_USERNAME], &owner, why, sizeof why, err);
	if (s == KN_TEMPFAIL)
		return s;
	if (s != KN_OK)
		return kn_import_reject(in, why), KN_OK;
	char *stop = NULL;
	left = v[C_DAYS_LEFT] ? strtoll(v[C_DAYS_LEFT], &stop, 10) : -1;
	if (v[C_DAYS_LEFT] == NULL || *stop != '\0' || left < 0 || left > 100000) {
		snprintf(why, sizeof why, "invalid days_left '%s' (a whole number, 0 or more)",
		         v[C_DAYS_LEFT] ? v[C_DAYS_LEFT] : "");
		return kn_import_reject(in, why), KN_OK;
	}
	if (v[C_END_DATE]) {
		kn_day day;
		struct kn_err derr = { 0 };
		if (kn_date_parse(v[C_END_DATE], &day, &derr) != KN_OK)
			return kn_import_reject(in, derr.msg), KN_OK;
		kn_date_format(day, end);
	}
	/* what identifies this row, and which identical row of the file it is */
	snprintf(prefix, sizeof prefix, "carryover:%s:%lld:%lld:%s:%016llx", cs->type, owner, left,
	         v[C_END_DATE] ? end : "-", fnv1a(v[C_NOTE]));
	snprintf(lo, sizeof lo, "%s:", prefix);
	snprintf(hi, sizeof hi, "%s;", prefix);
	if ((s = kn_cached(in->db, carry_count_sql, &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, cs->max_order_before);
	sqlite3_step(st);
	long long nth = sqlite3_column_int64(st, 0) + 1;
	sqlite3_reset(st);
	snprintf(key, sizeof key, "%s:%lld", prefix, nth);
	if ((s = kn_cached(in->db, carry_exists_sql, &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int exists = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (exists) {
		in->sum->unchanged++;
		return KN_OK;
	}
	/* step 2: the $0 purchase, checked out as no-payment */
	snprintf(note, sizeof note, "carry-over from the previous system (%s, line %ld)",
	         kn_csv_name(in->csv), kn_csv_line(in->csv));
	struct kn_purchase p = { .owner_id = owner, .product_id = cs->product_id, .qty = 1,
	                         .note = note, .payment = "no-payment", .carryover_key = key,
	                         .quiet_audit = 1 };
	if ((s = kn_order_purchase(in->db, &p, &order, err)) != KN_OK)
		return s;
	/* step 3: the package as it stood in the other system */
	if ((s = kn_cached(in->db, carry_package_sql, &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, order);
	if (sqlite3_step(st) == SQLITE_ROW)
		pkg = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if ((s = kn_package_modify(in->db, pkg, left, v[C_END_DATE] ? end : NULL,
	                           v[C_NOTE] ? v[C_NOTE] : "carried over from the previous system",
	                           err)) != KN_OK)
		return s;
	if (cs->first_order == 0)
		cs->first_order = order;
	cs->last_order = order;
	in->sum->created++;
	return KN_OK;
}

static kn_status finish(struct kn_import *in, struct kn_err *err)
{
	struct carry_state *cs = in->state;
	char summary[512];
	snprintf(summary, sizeof summary, "carryover of %s: %lld rows, %lld created, %lld unchanged, "
	         "%lld rejected", kn_csv_name(in->csv), in->sum->rows, in->sum->created,
	         in->sum->unchanged, in->sum->rejected);
	return kn_audit_range(in->db, "order", cs->first_order, cs->last_order, err, summary);
}

kn_status kn_package_carryover(struct kn_db *db, const struct kn_carryover_options *o,
                               struct kn_import_summary *sum, struct kn_err *err)
{
	static const struct kn_import_kind kind = { fields, C_COUNT, setup, row, finish, NULL };
	struct carry_state cs = { .o = o };
	const char *t = o->type ? o->type : "daycare";

	if (strcmp(t, "daycare") != 0 && strcmp(t, "boarding") != 0 && strcmp(t, "other") != 0)
		return kn_err_set(err, KN_USAGE, "invalid --type '%s' (choose daycare, boarding, other)", t);
	snprintf(cs.type, sizeof cs.type, "%s-package", t);
	return kn_import_run(db, &o->import, &kind, &cs, sum, err);
}
