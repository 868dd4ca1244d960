/*
 * kennel owner import and export.
 *
 * One transaction for the whole file; a row that fails validation is
 * reported and written to the rejects file, never applied.  Rows are
 * matched to owners already there, so a second run creates nothing twice:
 * by external id, else by email plus first and last name (a family sharing
 * one email is several owners), else (no email either) by first and last
 * name.
 */
#include <stdlib.h>
#include <string.h>

#include "import/kn_import.h"
#include "base/kn_keyset.h"
#include "owner/kn_owner.h"

enum field {
	F_EXTERNAL_ID, F_FIRST, F_LAST, F_EMAIL, F_PHONE, F_ADDRESS, F_CITY, F_STATE, F_ZIP,
	F_USERNAME, F_OPT_OUT, F_ACTIVE,
	F_IGNORED_ID, F_IGNORED_HAS_PASSWORD, F_IGNORED_MUST_RESET, F_IGNORED_CREATED,
	F_IGNORED_UPDATED,
	F_COUNT
};
#define TEXT_FIELDS (F_USERNAME + 1)

static const struct kn_csv_field fields[F_COUNT] = {
	[F_EXTERNAL_ID] = { "external_id", "customerid clientid customerno customernumber "
	                    "clientnumber accountid accountnumber legacyid ownerexternalid", 0 },
	[F_FIRST] = { "first_name", "first firstname fname givenname ownerfirstname "
	              "clientfirstname customerfirstname", 1 },
	[F_LAST] = { "last_name", "last lastname lname surname familyname ownerlastname "
	             "clientlastname customerlastname", 1 },
	[F_EMAIL] = { "email", "emailaddress mail primaryemail owneremail clientemail "
	              "customeremail", 0 },
	[F_PHONE] = { "phone", "phonenumber mobile mobilephone cell cellphone cellnumber "
	              "homephone primaryphone telephone tel", 0 },
	[F_ADDRESS] = { "address", "street streetaddress address1 addressline1", 0 },
	[F_CITY] = { "city", "town", 0 },
	[F_STATE] = { "state", "province region st", 0 },
	[F_ZIP] = { "zip", "zipcode postalcode postcode postal", 0 },
	[F_USERNAME] = { "username", "login userid", 0 },
	[F_OPT_OUT] = { "email_opt_out", "optout unsubscribed emailoptout", 0 },
	[F_ACTIVE] = { "active", "isactive", 0 },
	/* what kennel's own export carries but an import does not set */
	[F_IGNORED_ID] = { "id", NULL, 0 },
	[F_IGNORED_HAS_PASSWORD] = { "has_password", NULL, 0 },
	[F_IGNORED_MUST_RESET] = { "must_reset", NULL, 0 },
	[F_IGNORED_CREATED] = { "created_at", NULL, 0 },
	[F_IGNORED_UPDATED] = { "updated_at", NULL, 0 },
};

struct owner_state {
	long long max_id_before;
	long long first_created, last_created;
	/* whether any owner lacks an external id: only then can a row with one
	 * match an owner by email instead (one index probe saved per row) */
	int noext_owners;
	int require_email;  /* owner.require_email, read once */
	/* While the indexes wait (an import into the empty table, see
	 * import.c), a 63-bit hash of each key a later row could match on is
	 * kept in a key set: a row whose keys were never seen matches nobody;
	 * one whose key was (a duplicate, or a hash collision) runs the real
	 * query, unindexed.  NULL when the indexes are there. */
	struct kn_keyset *seen;
	sqlite3_stmt *by_ext, *by_email, *by_email_noext, *by_name, *insert, *update;
};

#define SELECT_OWNER                                                          \
	"SELECT id, external_id, first_name, last_name, email, phone, address, city," \
	" state, zip, username, password_hash IS NOT NULL, must_reset,"        \
	" email_opt_out, active, created_at, updated_at FROM owners "

/* ?1..?12 values, ?21..?30 whether the file has that column, ?40 id */
static kn_status setup(struct kn_import *in, struct kn_err *err)
{
	struct owner_state *im = in->state;
	struct kn_db *db = in->db;
	sqlite3_stmt *st;
	kn_status s;

	if ((s = kn_prepare(db, SELECT_OWNER "WHERE external_id = ?", &im->by_ext, err)) ||
	    /* the email through its index; the names ignoring case and accents */
	    (s = kn_prepare(db, SELECT_OWNER "WHERE email = ?1 COLLATE NOCASE"
	                        " AND fold(last_name) = fold(?2) AND fold(first_name) = fold(?3)",
	                    &im->by_email, err)) ||
	    (s = kn_prepare(db, SELECT_OWNER "WHERE email = ?1 COLLATE NOCASE"
	                        " AND fold(last_name) = fold(?2) AND fold(first_name) = fold(?3)"
	                        " AND external_id IS NULL", &im->by_email_noext, err)) ||
	    (s = kn_prepare(db, SELECT_OWNER "WHERE last_name = ?2 COLLATE NOCASE"
	                        " AND first_name = ?1 COLLATE NOCASE AND email IS NULL"
	                        " AND external_id IS NULL", &im->by_name, err)) ||
	    (s = kn_prepare(db, "INSERT INTO owners (external_id, first_name, last_name, email,"
	                        " phone, address, city, state, zip, username, email_opt_out, active,"
	                        " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	                        " ?9, ?10, coalesce(?11, 0), coalesce(?12, 1), ?13, ?13)",
	                    &im->insert, err)) ||
	    (s = kn_prepare(db, "UPDATE owners SET external_id = CASE WHEN ?21 THEN ?1 ELSE"
	                        " external_id END, first_name = ?2, last_name = ?3,"
	                        " email = CASE WHEN ?24 THEN ?4 ELSE email END,"
	                        " phone = CASE WHEN ?25 THEN ?5 ELSE phone END,"
	                        " address = CASE WHEN ?26 THEN ?6 ELSE address END,"
	                        " city = CASE WHEN ?27 THEN ?7 ELSE city END,"
	                        " state = CASE WHEN ?28 THEN ?8 ELSE state END,"
	                        " zip = CASE WHEN ?29 THEN ?9 ELSE zip END,"
	                        " username = CASE WHEN ?30 THEN ?10 ELSE username END,"
	                        " email_opt_out = coalesce(?11, email_opt_out),"
	                        " active = coalesce(?12, active), updated_at = ?13 WHERE id = ?40",
	                    &im->update, err)))
		return s;
	if ((s = kn_prepare(db, "SELECT coalesce(max(id), 0), EXISTS (SELECT 1 FROM owners"
	                        " WHERE external_id IS NULL) FROM owners", &st, err)) != KN_OK)
		return s;
	sqlite3_step(st);
	im->max_id_before = sqlite3_column_int64(st, 0);
	im->noext_owners = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	if ((s = kn_pref_bool(db, "owner.require_email", &im->require_email, err)) != KN_OK)
		return s;
	/* 1.5 million keys in 16 MiB before the set spills, sorted, to a
	 * temp table */
	if (in->loading && (s = kn_keyset_new(db, 16u << 20, &im->seen, err)) != KN_OK)
		return s;
	return KN_OK;
}

/* The hash of a key as the NOCASE indexes compare it: ASCII letters folded,
 * fields apart.  kind tells the keys apart: E email+names, X the same for an
 * owner without external id, N names of an owner without either, U username. */
static long long seen_key(char kind, const char *a, const char *b, const char *c)
{
	unsigned long long h = 1469598103934665603ULL;
	const char *parts[4] = { &kind, a, b, c };
	char folded[1024];
	for (int i = 0; i < 4; i++) {
		size_t n = i == 0 ? 1 : parts[i] ? strlen(parts[i]) : 0;
		const char *p = parts[i];
		/* names as the match compares them: without case or accents */
		if (i >= 2 && (kind == 'E' || kind == 'X') && p) {
			n = kn_fold(p, folded, sizeof folded);
			p = folded;
		}
		for (size_t j = 0; j < n; j++) {
			unsigned char ch = (unsigned char)p[j];
			if (ch >= 'A' && ch <= 'Z')
				ch = (unsigned char)(ch - 'A' + 'a');
			h = (h ^ ch) * 1099511628211ULL;
		}
		h = (h ^ 0xffu) * 1099511628211ULL; /* a separator no text byte is */
	}
	return (long long)(h >> 1);
}

/* 1 when the key may be in the table (the real query must tell), 0 not;
 * always 1 once the indexes are there. */
static int maybe_seen(struct owner_state *im, long long key)
{
	struct kn_err ignored; /* cleared, not zeroed: once or twice a row */
	int found;

	if (im->seen == NULL)
		return 1;
	kn_err_clear(&ignored);
	/* an error: ask the real query, which reports it */
	return kn_keyset_has(im->seen, key, &found, &ignored) != KN_OK || found;
}

static void cleanup(struct kn_import *in)
{
	struct owner_state *im = in->state;

	kn_keyset_free(im->seen);
	im->seen = NULL;
	sqlite3_finalize(im->by_ext);
	sqlite3_finalize(im->by_email);
	sqlite3_finalize(im->by_email_noext);
	sqlite3_finalize(im->by_name);
	sqlite3_finalize(im->insert);
	sqlite3_finalize(im->update);
}

static int parse_flag(const char *v, int *out)
{
	static const char *const yes[] = { "true", "yes", "y", "1", "t", NULL };
	static const char *const no[] = { "false", "no", "n", "0", "f", NULL };

	*out = -1;
	if (v == NULL || *v == '\0')
		return 1;
	for (int i = 0; yes[i]; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return *out = 1, 1;
	for (int i = 0; no[i]; i++)
		if (strcasecmp(v, no[i]) == 0)
			return *out = 0, 1;
	return 0;
}

static int same(const char *a, const char *b)
{
	if (a == NULL || *a == '\0')
		return b == NULL || *b == '\0';
	return b != NULL && strcmp(a, b) == 0;
}

enum match { MATCH_NONE, MATCH_ONE, MATCH_SEVERAL };

/* Finds the owner a row stands for: MATCH_ONE (the row under *hit's
 * cursor), MATCH_NONE, or MATCH_SEVERAL (why says which: the row's reject
 * reason); a statement that fails is the error. */
static kn_status match(struct kn_import *in, struct owner_state *im, const char *v[],
                       sqlite3_stmt **hit, enum match *m, char *why, size_t whylen,
                       struct kn_err *err)
{
	sqlite3_stmt *tries[2] = { NULL, NULL };
	int n = 0;

	*m = MATCH_NONE;
	if (v[F_EXTERNAL_ID]) {
		sqlite3_bind_text(im->by_ext, 1, v[F_EXTERNAL_ID], -1, SQLITE_STATIC);
		tries[n++] = im->by_ext;
		if (v[F_EMAIL] && im->noext_owners)
			tries[n++] = im->by_email_noext;
	} else if (v[F_EMAIL]) {
		tries[n++] = im->by_email;
	} else {
		tries[n++] = im->by_name;
	}
	for (int t = 0; t < n; t++) {
		sqlite3_stmt *st = tries[t];
		if (st != im->by_ext && !maybe_seen(im, st == im->by_name
		                                    ? seen_key('N', v[F_FIRST], v[F_LAST], NULL)
		                                    : seen_key(st == im->by_email ? 'E' : 'X',
		                                               v[F_EMAIL], v[F_FIRST], v[F_LAST])))
			continue; /* loading: no owner has that key yet */
		if (st != im->by_ext) {
			if (st != im->by_name) {
				sqlite3_bind_text(st, 1, v[F_EMAIL], -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 3, v[F_FIRST], -1, SQLITE_STATIC);
			} else {
				sqlite3_bind_text(st, 1, v[F_FIRST], -1, SQLITE_STATIC);
			}
			sqlite3_bind_text(st, 2, v[F_LAST], -1, SQLITE_STATIC);
		}
		int rc = sqlite3_step(st);
		if (rc == SQLITE_DONE) {
			sqlite3_reset(st);
			continue;
		}
		if (rc != SQLITE_ROW) {
			kn_status s = kn_sql_fail(in->db, err, "matching owners");
			sqlite3_reset(st);
			return s;
		}
		long long first = sqlite3_column_int64(st, 0);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(why, whylen, "matches several owners (%lld and %lld): give an external_id",
			         first, (long long)sqlite3_column_int64(st, 0));
			sqlite3_reset(st);
			*m = MATCH_SEVERAL;
			return KN_OK;
		}
		/* step again to put the matched row back under the cursor */
		sqlite3_reset(st);
		sqlite3_step(st);
		*hit = st;
		*m = MATCH_ONE;
		return KN_OK;
	}
	return KN_OK;
}

static kn_status bind_values(sqlite3_stmt *st, const char *v[], int opt_out, int active,
                             const char *now)
{
	for (int f = 0; f < TEXT_FIELDS; f++)
		kn_bind_text(st, f + 1, v[f]);
	if (opt_out >= 0)
		sqlite3_bind_int(st, 11, opt_out);
	else
		sqlite3_bind_null(st, 11);
	if (active >= 0)
		sqlite3_bind_int(st, 12, active);
	else
		sqlite3_bind_null(st, 12);
	sqlite3_bind_text(st, 13, now, -1, SQLITE_STATIC);
	return KN_OK;
}

static kn_status created(struct kn_import *in, const char *v[], struct kn_err *err);

#define reject(im, why) kn_import_reject(in, why)

static kn_status one_row(struct kn_import *in, struct kn_err *err)
{
	struct owner_state *im = in->state;
	const char *now = in->now;
	const char *v[F_COUNT];
	char email[256], why[512];
	int opt_out, active;
	sqlite3_stmt *hit = NULL;

	/* cleared, not zeroed: 1 KiB a field, ten a row, was about 0.2 s of a
	 * million rows' 6.5 (the message is read only after a failing check
	 * has written it; a success leaves the error clear) */
	struct kn_err lerr;

	kn_err_clear(&lerr);
	kn_import_values(in, v, F_COUNT);
	for (int f = 0; f < TEXT_FIELDS; f++)
		if (kn_line_check(fields[f].name, v[f], f == F_ADDRESS, &lerr) != KN_OK)
			return reject(im, lerr.msg);
	if (v[F_FIRST] == NULL)
		return reject(im, "first_name is empty");
	if (v[F_LAST] == NULL)
		return reject(im, "last_name is empty");
	if (v[F_EMAIL] == NULL && im->require_email)
		return reject(im, "email is empty (owner.require_email is true)");
	if (v[F_EMAIL]) {
		if (kn_email_check(v[F_EMAIL], email, sizeof email, NULL) != KN_OK) {
			snprintf(why, sizeof why, "invalid email '%s'", v[F_EMAIL]);
			return reject(im, why);
		}
		v[F_EMAIL] = email;
	}
	if (!parse_flag(v[F_OPT_OUT], &opt_out)) {
		snprintf(why, sizeof why, "invalid email_opt_out '%s' (use true or false)",
		         v[F_OPT_OUT]);
		return reject(im, why);
	}
	if (!parse_flag(v[F_ACTIVE], &active)) {
		snprintf(why, sizeof why, "invalid active '%s' (use true or false)", v[F_ACTIVE]);
		return reject(im, why);
	}
	enum match m;
	kn_status ms = match(in, im, v, &hit, &m, why, sizeof why, err);
	if (ms != KN_OK)
		return ms;
	if (m == MATCH_SEVERAL)
		return reject(im, why);
	long long self = m == MATCH_ONE ? sqlite3_column_int64(hit, 0) : 0;
	if (m == MATCH_ONE && self > im->max_id_before) {
		sqlite3_reset(hit);
		if (v[F_EXTERNAL_ID])
			snprintf(why, sizeof why, "external_id '%s' appears earlier in this file",
			         v[F_EXTERNAL_ID]);
		else
			snprintf(why, sizeof why, "the same owner appears earlier in this file");
		return reject(im, why);
	}
	if (v[F_USERNAME] && maybe_seen(im, seen_key('U', v[F_USERNAME], NULL, NULL))) {
		struct kn_err uerr = { 0 };
		if (kn_username_free(in->db, v[F_USERNAME], self, &uerr) != KN_OK) {
			if (hit)
				sqlite3_reset(hit);
			if (uerr.status == KN_TEMPFAIL)
				return kn_err_set(err, uerr.status, "%s", uerr.msg);
			return reject(im, uerr.msg);
		}
	}
	if (m == MATCH_ONE) {
		int changed = 0;
		for (int f = 0; f < TEXT_FIELDS && !changed; f++)
			if (kn_csv_has(in->csv, (size_t)f) && !same(v[f], kn_col_text(hit, f + 1)))
				changed = 1;
		if ((opt_out >= 0 && opt_out != sqlite3_column_int(hit, 13)) ||
		    (active >= 0 && active != sqlite3_column_int(hit, 14)))
			changed = 1;
		sqlite3_reset(hit);
		if (!changed || !in->o->update) {
			in->sum->unchanged++;
			return KN_OK;
		}
		bind_values(im->update, v, opt_out, active, now);
		for (int f = 0; f < TEXT_FIELDS; f++)
			sqlite3_bind_int(im->update, 21 + f, kn_csv_has(in->csv, (size_t)f));
		sqlite3_bind_int64(im->update, 40, self);
		int rc = sqlite3_step(im->update);
		sqlite3_reset(im->update);
		if (rc != SQLITE_DONE)
			return kn_sql_fail(in->db, err, "updating owner");
		in->sum->updated++;
		return kn_audit(in->db, "owner", self, err, "updated from %s (line %ld)",
		                kn_csv_name(in->csv), kn_csv_line(in->csv));
	}
	bind_values(im->insert, v, opt_out, active, now);
	int rc = sqlite3_step(im->insert);
	sqlite3_reset(im->insert);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(in->db, err, "adding owner");
	return created(in, v, err);
}

static kn_status created(struct kn_import *in, const char *v[], struct kn_err *err)
{
	struct owner_state *im = in->state;
	in->sum->created++;
	/* the ids of one transaction's inserts are consecutive (we hold the
	 * write lock, and a new rowid is max + 1), so the batch logs them as a
	 * range: one audit entry instead of a million */
	long long id = sqlite3_last_insert_rowid(in->db->h);
	if (im->first_created == 0)
		im->first_created = id;
	im->last_created = id;
	if (v[F_EXTERNAL_ID] == NULL)
		im->noext_owners = 1;
	if (im->seen == NULL)
		return KN_OK;
	kn_status s = KN_OK;
	if (v[F_EMAIL]) {
		s = kn_keyset_add(im->seen, seen_key('E', v[F_EMAIL], v[F_FIRST], v[F_LAST]), err);
		if (s == KN_OK && v[F_EXTERNAL_ID] == NULL)
			s = kn_keyset_add(im->seen, seen_key('X', v[F_EMAIL], v[F_FIRST], v[F_LAST]),
			                  err);
	} else if (v[F_EXTERNAL_ID] == NULL) {
		s = kn_keyset_add(im->seen, seen_key('N', v[F_FIRST], v[F_LAST], NULL), err);
	}
	if (s == KN_OK && v[F_USERNAME])
		s = kn_keyset_add(im->seen, seen_key('U', v[F_USERNAME], NULL, NULL), err);
	return s;
}

static kn_status finish(struct kn_import *in, struct kn_err *err)
{
	struct owner_state *im = in->state;
	struct kn_import_summary *sum = in->sum;
	char summary[512];

	/* the load is done: the key set's memory goes back before the indexes
	 * are built */
	kn_keyset_free(im->seen);
	im->seen = NULL;
	snprintf(summary, sizeof summary, "import of %s: %lld rows, %lld created, %lld updated,"
	         " %lld unchanged, %lld rejected", kn_csv_name(in->csv), sum->rows, sum->created,
	         sum->updated, sum->unchanged, sum->rejected);
	if (im->first_created)
		snprintf(summary + strlen(summary), sizeof summary - strlen(summary),
		         " (owners %lld-%lld)", im->first_created, im->last_created);
	return kn_audit_range(in->db, "owner", im->first_created, im->last_created, err, summary);
}

kn_status kn_owner_import(struct kn_db *db, const struct kn_import_options *o,
                          struct kn_import_summary *sum, struct kn_err *err)
{
	static const struct kn_import_kind kind = {
		.fields = fields, .nfields = F_COUNT,
		.setup = setup, .row = one_row, .finish = finish, .cleanup = cleanup,
		.empty_sql = "SELECT NOT EXISTS (SELECT 1 FROM owners)",
		.indexes_sql = KN_OWNER_INDEXES_SQL,
		.drop_indexes_sql = KN_OWNER_INDEXES_DROP_SQL,
	};
	struct owner_state state = { 0 };
	return kn_import_run(db, o, &kind, &state, sum, err);
}

void kn_import_summary_print(struct kn_printer *p, const struct kn_import_summary *s)
{
	kn_rec_begin(p);
	kn_put_int(p, "rows", s->rows, 1);
	kn_put_int(p, "created", s->created, 1);
	kn_put_int(p, "updated", s->updated, 1);
	kn_put_int(p, "unchanged", s->unchanged, 1);
	kn_put_int(p, "rejected", s->rejected, 1);
	kn_rec_end(p);
}

static kn_status export_one(void *ud, const struct kn_owner *o)
{
	kn_owner_print(ud, o);
	return KN_OK;
}

kn_status kn_owner_export(struct kn_db *db, enum kn_format format, FILE *out,
                          struct kn_err *err)
{
	struct kn_owner_filter f = { .include_inactive = 1 };
	struct kn_printer *p = kn_printer_new(format == KN_FMT_JSON ? KN_FMT_JSON : KN_FMT_CSV,
	                                      out);
	kn_list_begin(p);
	kn_status s = kn_owner_list(db, &f, export_one, p, err);
	kn_list_end(p);
	if (kn_printer_free(p) != KN_OK && s == KN_OK)
		s = kn_err_set(err, KN_FAIL, "writing the export failed");
	return s;
}

/* The owner a row names, by whichever owner column it fills. */
kn_status kn_import_owner(struct kn_import *in, const char *ext, const char *email,
                          const char *id, long long *owner, struct kn_err *err)
{
	char ref[300];

	if (ext)
		snprintf(ref, sizeof ref, "ext:%s", ext);
	else if (email)
		snprintf(ref, sizeof ref, "%s", email);
	else if (id)
		snprintf(ref, sizeof ref, "%s", id);
	else
		return kn_err_set(err, KN_FAIL, "no owner given");
	return kn_owner_resolve(in->db, ref, owner, err);
}
