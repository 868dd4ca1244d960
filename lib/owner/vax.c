/*
 * Vaccinations: records of (pet, type, expiry), with a status computed
 * from "today" and remind.vaccination_days: current, expiring or expired.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/kn_import.h"
#include "owner/kn_owner.h"

#define STATUS_SQL                                                        \
	"CASE WHEN v.expires_on < ?1 THEN 'expired'"                      \
	" WHEN v.expires_on <= ?2 THEN 'expiring' ELSE 'current' END"

/* lowercase and trimmed: "Rabies " and "rabies" are one type */
static void normal_type(const char *in, char *out, size_t len)
{
	while (*in == ' ')
		in++;
	size_t n = 0;
	for (; *in && n + 1 < len; in++)
		out[n++] = (char)(*in >= 'A' && *in <= 'Z' ? *in - 'A' + 'a' : *in);
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static kn_status insert(struct kn_db *db, long long pet, const char *type, const char *expires,
                        int *created, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "INSERT INTO vaccinations (pet_id, type, expires_on)"
	                             " VALUES (?, ?, ?) ON CONFLICT DO NOTHING", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, pet);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, expires, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "adding vaccination");
	*created = sqlite3_changes(db->h) == 1;
	sqlite3_finalize(st);
	return s;
}

kn_status kn_vax_add(struct kn_db *db, long long pet, const char *type, const char *expires,
                     struct kn_err *err)
{
	char t[64], day_text[11];
	kn_day day;
	int created;
	kn_status s;

	normal_type(type, t, sizeof t);
	if (t[0] == '\0')
		return kn_err_set(err, KN_FAIL, "vaccination type is empty");
	if (kn_date_parse(expires, &day, err) != KN_OK)
		return KN_FAIL;
	kn_date_format(day, day_text);
	/* a type the pet has already is renewed (SPEC vax add): the new
	 * certificate replaces the old, whose date the audit log keeps */
	char was[11] = "";
	sqlite3_stmt *st;
	if ((s = kn_prepare(db, "SELECT max(expires_on), count(*), sum(expires_on = ?3)"
	                        " FROM vaccinations WHERE pet_id = ?1 AND type = ?2", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, pet);
	sqlite3_bind_text(st, 2, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, day_text, -1, SQLITE_STATIC);
	int row = 0;
	long long rows = 0, same = 0;
	if ((s = kn_step_row(db, st, &row, "reading the pet's vaccinations", err)) == KN_OK && row) {
		snprintf(was, sizeof was, "%s", kn_col_text(st, 0) ? kn_col_text(st, 0) : "");
		rows = sqlite3_column_int64(st, 1);
		same = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	if (rows == 1 && same == 1)
		return kn_err_set(err, KN_FAIL, "pet %lld already has %s expiring %s", pet, t, day_text);
	if (rows > 0) {
		if ((s = kn_prepare(db, "DELETE FROM vaccinations WHERE pet_id = ?1 AND type = ?2", &st,
		                    err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, pet);
		sqlite3_bind_text(st, 2, t, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "renewing the vaccination");
		sqlite3_finalize(st);
		if (s != KN_OK)
			return s;
	}
	if ((s = insert(db, pet, t, day_text, &created, err)) != KN_OK)
		return s;
	if (rows > 0)
		return kn_audit(db, "pet", pet, err, "vaccination %s renewed: expires %s (was %s)", t,
		                day_text, was);
	return kn_audit(db, "pet", pet, err, "vaccination %s expires %s", t, day_text);
}

static void vax_record(struct kn_printer *p, sqlite3_stmt *st, int nested)
{
	if (nested)
		kn_obj_begin(p, NULL);
	else
		kn_rec_begin(p);
	kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
	kn_put_int(p, "pet_id", sqlite3_column_int64(st, 1), 1);
	kn_put_str(p, "pet", kn_col_text(st, 5), KN_PEOPLE);
	kn_put_str(p, "type", kn_col_text(st, 2), 1);
	kn_put_str(p, "expires_on", kn_col_text(st, 3), 1);
	kn_put_str(p, "status", kn_col_text(st, 4), 1);
	if (nested)
		kn_nest_end(p);
	else
		kn_rec_end(p);
}

kn_status kn_vax_into(struct kn_db *db, long long pet, struct kn_printer *p, struct kn_err *err)
{
	char today[11], soon[11];
	sqlite3_stmt *st;
	kn_status s = kn_vax_window(db, -1, today, soon, err);

	if (s == KN_OK)
		s = kn_prepare(db, "SELECT v.id, v.pet_id, v.type, v.expires_on, " STATUS_SQL ","
		                   " (SELECT name FROM pets WHERE pets.id = v.pet_id)"
		                   " FROM vaccinations v WHERE v.pet_id = ?3 ORDER BY v.type, v.expires_on",
		               &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, soon, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, pet);
	while (sqlite3_step(st) == SQLITE_ROW)
		vax_record(p, st, 1);
	sqlite3_finalize(st);
	return KN_OK;
}

kn_status kn_vax_list(struct kn_db *db, const struct kn_vax_filter *f, struct kn_printer *p,
                      struct kn_err *err)
{
	char today[11], soon[11], window[11];
	sqlite3_stmt *st;
	kn_status s = kn_vax_window(db, -1, today, soon, err);

	if (s != KN_OK)
		return s;
	kn_date_format(kn_today() + (kn_day)(f->expiring_days > 0 ? f->expiring_days : 0), window);
	s = kn_prepare(db, "SELECT v.id, v.pet_id, v.type, v.expires_on, " STATUS_SQL ","
		                   " (SELECT name FROM pets WHERE pets.id = v.pet_id)"
	                   " FROM vaccinations v JOIN pets p ON p.id = v.pet_id"
	                   " WHERE (?3 = 0 OR p.owner_id = ?3) AND (?4 = 0 OR v.pet_id = ?4)"
	                   "   AND ((?5 = 0 AND ?6 < 0)"
	                   "        OR (?5 AND v.expires_on < ?1)"
	                   "        OR (?6 >= 0 AND v.expires_on >= ?1 AND v.expires_on <= ?7))"
	                   " ORDER BY v.expires_on, v.id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, soon, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, f->owner_id);
	sqlite3_bind_int64(st, 4, f->pet_id);
	sqlite3_bind_int(st, 5, f->expired);
	sqlite3_bind_int64(st, 6, f->expiring_days);
	sqlite3_bind_text(st, 7, window, -1, SQLITE_STATIC);
	kn_list_begin(p);
	while (sqlite3_step(st) == SQLITE_ROW)
		vax_record(p, st, 0);
	kn_list_end(p);
	sqlite3_finalize(st);
	return KN_OK;
}

/* ---- import ------------------------------------------------------- */

enum { V_PET_EXT, V_OWNER_EXT, V_OWNER_EMAIL, V_PET_NAME, V_TYPE, V_EXPIRES, V_COUNT };

static const struct kn_csv_field vax_fields[V_COUNT] = {
	[V_PET_EXT] = { "pet_external_id", "petid animalid", 0 },
	[V_OWNER_EXT] = { "owner_external_id", "customerid clientid ownerid customernumber", 0 },
	[V_OWNER_EMAIL] = { "owner_email", "email emailaddress owneremail", 0 },
	[V_PET_NAME] = { "pet_name", "petname name petsname animalname pet", 0 },
	[V_TYPE] = { "type", "vaccine vaccination vaccinetype vaccinename", 1 },
	[V_EXPIRES] = { "expires", "expiration expires expireson expirationdate duedate expdate "
	                "expiry validuntil", 1 },
};

struct vax_state {
	sqlite3_stmt *by_ext, *by_owner_name, *insert;
	/* An export lists a pet's vaccinations together: the pet the last row
	 * found by external id is remembered (the import never changes pets). */
	char last_ext[128];
	long long last_pet;
};

static kn_status vax_setup(struct kn_import *in, struct kn_err *err)
{
	struct vax_state *vs = in->state;
	kn_status s;

	if (!kn_csv_has(in->csv, V_PET_EXT) && !(kn_csv_has(in->csv, V_PET_NAME) &&
	    (kn_csv_has(in->csv, V_OWNER_EXT) || kn_csv_has(in->csv, V_OWNER_EMAIL))))
		return kn_err_set(err, KN_FAIL, "%s: missing the pet: give pet_external_id, or "
		                  "owner_external_id or owner_email with pet_name", kn_csv_name(in->csv));
	if ((s = kn_prepare(in->db, "SELECT id FROM pets WHERE external_id = ?", &vs->by_ext,
	                    err)) != KN_OK ||
	    (s = kn_prepare(in->db, "SELECT id FROM pets WHERE owner_id = ? AND name = ? COLLATE NOCASE",
	                    &vs->by_owner_name, err)) != KN_OK ||
	    (s = kn_prepare(in->db, "INSERT INTO vaccinations (pet_id, type, expires_on)"
	                            " VALUES (?, ?, ?) ON CONFLICT DO NOTHING", &vs->insert, err)) != KN_OK)
		return s;
	return KN_OK;
}

static void vax_cleanup(struct kn_import *in)
{
	struct vax_state *vs = in->state;
	sqlite3_finalize(vs->by_ext);
	sqlite3_finalize(vs->by_owner_name);
	sqlite3_finalize(vs->insert);
}

static kn_status add(struct kn_import *in, struct vax_state *vs, long long pet,
                     const char *type, const char *expires, struct kn_err *err)
{
	sqlite3_bind_int64(vs->insert, 1, pet);
	sqlite3_bind_text(vs->insert, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(vs->insert, 3, expires, -1, SQLITE_STATIC);
	int rc = sqlite3_step(vs->insert);
	sqlite3_reset(vs->insert);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(in->db, err, "adding vaccination");
	if (sqlite3_changes(in->db->h) == 1)
		in->sum->created++;
	else
		in->sum->unchanged++;
	return KN_OK;
}

static kn_status vax_row(struct kn_import *in, struct kn_err *err)
{
	struct vax_state *vs = in->state;
	const char *v[V_COUNT];
	char why[512], type[64], expires[11];
	long long pet = 0;
	int found = 0;
	kn_day day;

	kn_import_values(in, v, V_COUNT);
	if (v[V_TYPE] == NULL)
		return kn_import_reject(in, "type is empty");
	if (v[V_EXPIRES] == NULL)
		return kn_import_reject(in, "expires is empty");
	struct kn_err derr; /* cleared, not zeroed per row */
	kn_err_clear(&derr);
	if (kn_date_parse(v[V_EXPIRES], &day, &derr) != KN_OK)
		return kn_import_reject(in, derr.msg);
	kn_date_format(day, expires);
	normal_type(v[V_TYPE], type, sizeof type);
	sqlite3_stmt *st;
	long long owner = 0;
	if (v[V_PET_EXT] && vs->last_pet && strcmp(v[V_PET_EXT], vs->last_ext) == 0)
		return add(in, vs, vs->last_pet, type, expires, err);
	if (v[V_PET_EXT]) {
		st = vs->by_ext;
		sqlite3_bind_text(st, 1, v[V_PET_EXT], -1, SQLITE_STATIC);
	} else {
		struct kn_err oerr; /* cleared, not zeroed: this runs once a row */
		kn_err_clear(&oerr);
		kn_status s = kn_import_owner(in, v[V_OWNER_EXT], v[V_OWNER_EMAIL], NULL, &owner, &oerr);
		if (s == KN_TEMPFAIL) {
			*err = oerr;
			return s;
		}
		if (s != KN_OK)
			return kn_import_reject(in, oerr.msg);
		if (v[V_PET_NAME] == NULL)
			return kn_import_reject(in, "pet_name is empty");
		st = vs->by_owner_name;
		sqlite3_bind_int64(st, 1, owner);
		sqlite3_bind_text(st, 2, v[V_PET_NAME], -1, SQLITE_STATIC);
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (found++ == 0)
			pet = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(in->db, err, "finding the pet");
	if (found == 0) {
		if (v[V_PET_EXT])
			snprintf(why, sizeof why, "no pet with external id '%s'", v[V_PET_EXT]);
		else
			snprintf(why, sizeof why, "owner %lld has no pet named '%s'", owner,
			         v[V_PET_NAME]);
		return kn_import_reject(in, why);
	}
	if (found > 1) {
		snprintf(why, sizeof why, "%d pets named '%s': give pet_external_id", found,
		         v[V_PET_NAME]);
		return kn_import_reject(in, why);
	}
	if (v[V_PET_EXT] && strlen(v[V_PET_EXT]) < sizeof vs->last_ext) {
		snprintf(vs->last_ext, sizeof vs->last_ext, "%s", v[V_PET_EXT]);
		vs->last_pet = pet;
	}
	return add(in, vs, pet, type, expires, err);
}

static kn_status vax_finish(struct kn_import *in, struct kn_err *err)
{
	return kn_audit(in->db, "vaccination", 0, err, "import of %s: %lld rows, %lld created, "
	                "%lld unchanged, %lld rejected", kn_csv_name(in->csv), in->sum->rows,
	                in->sum->created, in->sum->unchanged, in->sum->rejected);
}

kn_status kn_vax_import(struct kn_db *db, const struct kn_import_options *o,
                        struct kn_import_summary *sum, struct kn_err *err)
{
	static const struct kn_import_kind kind = {
		/* into the empty table the expiry index waits: inserting at random
		 * dates was 45% of the load */
		.fields = vax_fields, .nfields = V_COUNT,
		.setup = vax_setup, .row = vax_row, .finish = vax_finish, .cleanup = vax_cleanup,
		.empty_sql = "SELECT NOT EXISTS (SELECT 1 FROM vaccinations)",
		.indexes_sql = KN_VAX_INDEXES_SQL,
		.drop_indexes_sql = KN_VAX_INDEXES_DROP_SQL,
	};
	struct vax_state state = { 0 };
	return kn_import_run(db, o, &kind, &state, sum, err);
}
