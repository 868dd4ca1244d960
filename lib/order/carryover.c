/*
 * kennel package carryover: prepaid packages from another system, done
 * the way the vendor tells staff to do it by hand, for every row at once:
 * (1) one $0 "Carry Over Package" product of the package type, quantity 1,
 * 999 days active; (2) an owner purchase of it, checked out with payment
 * no-payment and a note saying it is a carry-over; (3) the new package
 * modified to the days left and end date, with the row's note.
 *
 * A carried-over order keeps a key: the old system's package_id when the
 * file has that column, else the owner, the package type and the row's
 * position among that owner's rows.  Running the file again adds nothing,
 * and a re-run whose numbers changed corrects the package it made (a
 * modification noted "carry-over corrected") instead of adding another.
 *
 * Rows are checked one by one as they stream in (rejects name the line)
 * and staged in a temporary table; the three steps are then done for all
 * of them with a few INSERT ... SELECT, as a DBA would: the same rows as
 * kennel order purchase and kennel package modify make (a test compares
 * them), in a third of the time of doing it row by row.
 */
#include <stdlib.h>
#include <string.h>

#include "import/kn_import.h"
#include "owner/kn_owner.h"

enum {
	C_OWNER_EXT, C_OWNER_EMAIL, C_USERNAME, C_OWNER_ID, C_DAYS_LEFT, C_END_DATE, C_NOTE,
	C_PACKAGE_ID, C_COUNT
};

static const struct kn_csv_field fields[C_COUNT] = {
	[C_OWNER_EXT] = { "owner_external_id", "customerid clientid customernumber ownerexternalid", 0 },
	[C_OWNER_EMAIL] = { "owner_email", "email emailaddress owneremail", 0 },
	[C_USERNAME] = { "username", "login", 0 },
	[C_OWNER_ID] = { "owner_id", NULL, 0 },
	[C_DAYS_LEFT] = { "days_left", "daysleft creditsleft visitsleft remaining dayremaining "
	                  "daysremaining creditsremaining", 1 },
	[C_END_DATE] = { "end_date", "enddate expiration expires expirationdate expireson", 0 },
	[C_NOTE] = { "note", "notes comment comments", 0 },
	[C_PACKAGE_ID] = { "package_id", "packageid oldpackageid", 0 },
};

struct carry_state {
	const struct kn_carryover_options *o;
	char type[32], name[128], purchase_end[11];
	long long product_id, price, days, days_active, max_order_before;
};

static const char *const stage_sql =
	"INSERT INTO temp.carry_rows (line, owner_id, prefix, days_left, end_date, note, order_note)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";

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
	/* what a purchase of it makes: price, days and end date as order.c does */
	if ((s = kn_prepare(in->db, "SELECT name, price_cents, days, days_active,"
	                            " (SELECT coalesce(max(id), 0) FROM orders) FROM products"
	                            " WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, cs->product_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 1) != 0) {
			char price[32];
			kn_money_format(sqlite3_column_int64(st, 1), price);
			s = kn_err_set(err, KN_FAIL, "product '%s' costs %s: a carry-over is a $0 "
			               "package (every owner would be charged)", kn_col_text(st, 0), price);
			sqlite3_finalize(st);
			return s;
		}
		snprintf(cs->name, sizeof cs->name, "%s", kn_col_text(st, 0));
		cs->price = sqlite3_column_int64(st, 1);
		cs->days = sqlite3_column_int64(st, 2);
		cs->days_active = sqlite3_column_int64(st, 3);
		cs->max_order_before = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	kn_date_format(kn_today() + (kn_day)cs->days_active, cs->purchase_end);
	return kn_exec(in->db, "DROP TABLE IF EXISTS temp.carry_rows;"
	                       "CREATE TEMP TABLE carry_rows (line INTEGER PRIMARY KEY,"
	                       " owner_id INTEGER, prefix TEXT, days_left INTEGER, end_date TEXT,"
	                       " note TEXT, order_note TEXT, key TEXT, order_id INTEGER)", err);
}

static kn_status row(struct kn_import *in, struct kn_err *err)
{
	struct carry_state *cs = in->state;
	const char *v[C_COUNT];
	char why[512], end[11], prefix[160], note[300];
	long long owner, left;
	sqlite3_stmt *st;
	kn_status s;

	kn_import_values(in, v, C_COUNT);
	struct kn_err oerr; /* cleared, not zeroed: this runs once a row */
	kn_err_clear(&oerr);
	s = kn_import_owner(in, v[C_OWNER_EXT], v[C_OWNER_EMAIL],
	                    v[C_OWNER_ID] ? v[C_OWNER_ID] : v[C_USERNAME], &owner, &oerr);
	if (s == KN_TEMPFAIL) {
		*err = oerr;
		return s;
	}
	if (s != KN_OK)
		return kn_import_reject(in, oerr.msg);
	char *stop = NULL;
	left = v[C_DAYS_LEFT] ? strtoll(v[C_DAYS_LEFT], &stop, 10) : -1;
	if (v[C_DAYS_LEFT] == NULL || *stop != '\0' || left < 0 || left > 100000) {
		snprintf(why, sizeof why, "invalid days_left '%s' (a whole number, 0 or more)",
		         v[C_DAYS_LEFT] ? v[C_DAYS_LEFT] : "");
		return kn_import_reject(in, why);
	}
	if (v[C_END_DATE]) {
		kn_day day;
		struct kn_err derr = { 0 };
		if (kn_date_parse(v[C_END_DATE], &day, &derr) != KN_OK)
			return kn_import_reject(in, derr.msg);
		kn_date_format(day, end);
	}
	/* what identifies this row: the old system's package, else the owner
	 * (its position among the owner's rows is counted when rows are keyed) */
	if (v[C_PACKAGE_ID])
		snprintf(prefix, sizeof prefix, "carryover:%s:package:%s", cs->type, v[C_PACKAGE_ID]);
	else
		snprintf(prefix, sizeof prefix, "carryover:%s:owner:%lld", cs->type, owner);
	snprintf(note, sizeof note, "carry-over from the previous system (%s, line %ld)",
	         kn_csv_name(in->csv), kn_csv_line(in->csv));
	if ((s = kn_cached(in->db, stage_sql, &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, kn_csv_line(in->csv));
	sqlite3_bind_int64(st, 2, owner);
	sqlite3_bind_text(st, 3, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, left);
	if (v[C_END_DATE])
		sqlite3_bind_text(st, 5, end, -1, SQLITE_STATIC);
	kn_bind_text(st, 6, v[C_NOTE]); /* the package's own note */
	sqlite3_bind_text(st, 7, note, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? KN_OK : kn_sql_fail(in->db, err, "staging a carry-over row");
}

/* The three steps for every staged row.  :last_order is the last order
 * before this run; :days and :purchase_end are what a purchase of the
 * product gives before it is modified. */
static const char *const steps_sql[] = {
	/* the owner's n-th row (or the package's) gets key PREFIX:n; a window
	 * numbers them in one pass (a count per row was quadratic when 20,000
	 * rows were alike) */
	"UPDATE temp.carry_rows SET key = k.key FROM (SELECT line, prefix || ':' ||"
	" row_number() OVER (PARTITION BY prefix ORDER BY line) AS key FROM temp.carry_rows) k"
	" WHERE k.line = carry_rows.line",
	/* carried over before: a row whose numbers changed corrects its package */
	"INSERT INTO package_history (package_id, at, actor, action, left_before, left_after,"
	" end_before, end_after, note)"
	" SELECT p.id, :now, :actor, 'modified', p.number_left, c.days_left, p.end_date,"
	" coalesce(c.end_date, p.end_date), 'carry-over corrected'"
	" FROM temp.carry_rows c JOIN orders o ON o.carryover_key = c.key"
	" JOIN packages p ON p.order_id = o.id"
	" WHERE p.number_left IS NOT c.days_left OR p.end_date IS NOT coalesce(c.end_date, p.end_date)"
	" OR p.note IS NOT c.note ORDER BY p.id",
	"UPDATE packages SET number_left = c.days_left,"
	" end_date = coalesce(c.end_date, packages.end_date), note = c.note"
	" FROM temp.carry_rows c JOIN orders o ON o.carryover_key = c.key"
	" WHERE packages.order_id = o.id AND (packages.number_left IS NOT c.days_left"
	" OR packages.end_date IS NOT coalesce(c.end_date, packages.end_date)"
	" OR packages.note IS NOT c.note)",
	"DELETE FROM temp.carry_rows WHERE key IN (SELECT carryover_key FROM orders"
	" WHERE carryover_key IS NOT NULL)",
	/* the orders' ids, in file order after the last one: the steps below
	 * then need no lookup by key */
	"UPDATE temp.carry_rows SET order_id = n.id FROM (SELECT line, :last_order + row_number()"
	" OVER (ORDER BY line) AS id FROM temp.carry_rows) n WHERE n.line = carry_rows.line",
	/* step 2: the $0 purchase, paid at once with no-payment; for an owner
	 * with a pet signed in, placed in a cart instead (the vendor's
	 * "Purchase and Place in Cart"), processed when the pet signs out */
	"INSERT INTO orders (id, owner_id, status, total_cents, note, created_at, carryover_key,"
	" payment_type, paid_cents, paid_at)"
	" SELECT order_id, owner_id, CASE WHEN i.owner_id IS NULL THEN 'paid' ELSE 'cart' END,"
	" :price, order_note, :now, key, CASE WHEN i.owner_id IS NULL THEN 'no-payment' END, 0,"
	" CASE WHEN i.owner_id IS NULL THEN :now END FROM temp.carry_rows c LEFT JOIN"
	" (SELECT DISTINCT owner_id FROM visits WHERE state = 'in') i USING (owner_id)"
	" ORDER BY order_id",
	"INSERT INTO order_items (order_id, product_id, qty, price_cents)"
	" SELECT order_id, :product, 1, :price FROM temp.carry_rows ORDER BY order_id",
	/* the package, and step 3: modified to what the other system said */
	"INSERT INTO packages (owner_id, product_id, order_id, name, type, days_bought, price_cents,"
	" number_left, end_date, note, created_at)"
	" SELECT owner_id, :product, order_id, :name, :type, :days, :price, days_left,"
	" coalesce(end_date, :purchase_end), note, :now FROM temp.carry_rows ORDER BY order_id",
	"INSERT INTO package_history (package_id, at, actor, action, left_after, end_after)"
	" SELECT id, :now, :actor, 'purchased', :days, :purchase_end FROM packages"
	" WHERE order_id > :last_order ORDER BY id",
	"INSERT INTO package_history (package_id, at, actor, action, left_before, left_after,"
	" end_before, end_after, note)"
	" SELECT id, :now, :actor, 'modified', :days, number_left, :purchase_end, end_date,"
	" 'carry-over from the previous system' FROM packages WHERE order_id > :last_order"
	" ORDER BY id",
};
enum { STEP_CORRECTED = 2, STEP_KNOWN = 3, STEP_ORDERS = 5 };

/* each step names the values it uses */
static void bind_text(sqlite3_stmt *st, const char *name, const char *value)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i)
		kn_bind_text(st, i, value);
}

static void bind_int(sqlite3_stmt *st, const char *name, long long value)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i)
		sqlite3_bind_int64(st, i, value);
}

static kn_status finish(struct kn_import *in, struct kn_err *err)
{
	struct carry_state *cs = in->state;
	char summary[512];
	long long last;
	sqlite3_stmt *st;
	kn_status s = KN_OK;

	if ((s = kn_exec(in->db, "CREATE INDEX temp.carry_rows_key ON carry_rows (key)", err))
	    != KN_OK)
		return s;
	for (size_t i = 0; s == KN_OK && i < sizeof steps_sql / sizeof steps_sql[0]; i++) {
		if ((s = kn_prepare(in->db, steps_sql[i], &st, err)) != KN_OK)
			break;
		bind_text(st, ":now", in->now);
		bind_int(st, ":product", cs->product_id);
		bind_int(st, ":price", cs->price);
		bind_int(st, ":last_order", cs->max_order_before);
		bind_int(st, ":days", cs->days);
		bind_text(st, ":purchase_end", cs->purchase_end);
		bind_text(st, ":name", cs->name);
		bind_text(st, ":type", cs->type);
		bind_text(st, ":actor", in->db->actor);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(in->db, err, "carrying packages over");
		else if (i == STEP_CORRECTED)
			in->sum->updated = sqlite3_changes(in->db->h);
		else if (i == STEP_KNOWN)
			in->sum->unchanged = sqlite3_changes(in->db->h) - in->sum->updated;
		else if (i == STEP_ORDERS)
			in->sum->created = sqlite3_changes(in->db->h);
		sqlite3_finalize(st);
	}
	if (s != KN_OK)
		return s;
	last = in->sum->created ? cs->max_order_before + in->sum->created : 0;
	snprintf(summary, sizeof summary, "carryover of %s: %lld rows, %lld created, %lld unchanged, "
	         "%lld rejected", kn_csv_name(in->csv), in->sum->rows, in->sum->created,
	         in->sum->unchanged, in->sum->rejected);
	return kn_audit_range(in->db, "order", in->sum->created ? cs->max_order_before + 1 : 0,
	                      last, err, summary);
}

kn_status kn_package_carryover(struct kn_db *db, const struct kn_carryover_options *o,
                               struct kn_import_summary *sum, struct kn_err *err)
{
	static const struct kn_import_kind kind = {
		.fields = fields, .nfields = C_COUNT, .setup = setup, .row = row, .finish = finish,
	};
	struct carry_state cs = { .o = o };
	const char *t = o->type ? o->type : "daycare";

	if (strcmp(t, "daycare") != 0 && strcmp(t, "boarding") != 0 && strcmp(t, "other") != 0)
		return kn_err_set(err, KN_USAGE, "invalid --type '%s' (choose daycare, boarding, other)", t);
	snprintf(cs.type, sizeof cs.type, "%s-package", t);
	return kn_import_run(db, &o->import, &kind, &cs, sum, err);
}
