/* Pets: add, edit, find, list, show, temperament, import. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/kn_import.h"
#include "owner/kn_owner.h"

#define PET_COLUMNS                                                                  \
	"id, owner_id, external_id, name, species, breed, birthday, sex, color, weight," \
	" notes, advisory, temperament, temperament_date,"                                \
	" (SELECT first_name || ' ' || last_name FROM owners o WHERE o.id = pets.owner_id)"

static void pet_fields(struct kn_printer *p, sqlite3_stmt *st)
{
	kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
	kn_put_int(p, "owner_id", sqlite3_column_int64(st, 1), 1);
	kn_put_str(p, "owner", kn_col_text(st, 14), KN_PEOPLE);
	kn_put_str(p, "external_id", kn_col_text(st, 2), 0);
	kn_put_str(p, "name", kn_col_text(st, 3), 1);
	kn_put_str(p, "species", kn_col_text(st, 4), 1);
	kn_put_str(p, "breed", kn_col_text(st, 5), 1);
	kn_put_str(p, "birthday", kn_col_text(st, 6), 0);
	kn_put_str(p, "sex", kn_col_text(st, 7), 0);
	kn_put_str(p, "color", kn_col_text(st, 8), 0);
	kn_put_str(p, "weight", kn_col_text(st, 9), 0);
	kn_put_str(p, "notes", kn_col_text(st, 10), 0);
	kn_put_str(p, "advisory", kn_col_text(st, 11), 0);
	kn_put_str(p, "temperament", kn_col_text(st, 12), 1);
	kn_put_str(p, "temperament_date", kn_col_text(st, 13), 0);
}

kn_status kn_pet_resolve(struct kn_db *db, const char *ref, long long *id, struct kn_err *err)
{
	sqlite3_stmt *st;
	const char *slash = strrchr(ref, '/');
	kn_status s;
	int n = 0, by_name = 0;

	if (strncmp(ref, "ext:", 4) == 0) {
		s = kn_prepare(db, "SELECT id FROM pets WHERE external_id = ?", &st, err);
		if (s != KN_OK)
			return s;
		sqlite3_bind_text(st, 1, ref + 4, -1, SQLITE_STATIC);
	} else if (slash) {
		long long owner;
		char *owner_ref = kn_xstrdup(ref);
		owner_ref[slash - ref] = '\0';
		s = kn_owner_resolve(db, owner_ref, &owner, err);
		free(owner_ref);
		if (s != KN_OK)
			return s;
		s = kn_prepare(db, "SELECT id FROM pets WHERE owner_id = ? AND name = ? COLLATE NOCASE",
		               &st, err);
		if (s != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, owner);
		sqlite3_bind_text(st, 2, slash + 1, -1, SQLITE_STATIC);
	} else if (ref[strspn(ref, "0123456789")] == '\0' && *ref) {
		s = kn_prepare(db, "SELECT id FROM pets WHERE id = ?", &st, err);
		if (s != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, strtoll(ref, NULL, 10));
	} else {
		/* a name alone, as the desk says it: found when one pet has it */
		by_name = 1;
		s = kn_prepare(db, "SELECT p.id, o.last_name FROM pets p JOIN owners o ON o.id ="
		               " p.owner_id WHERE p.name = ? COLLATE NOCASE ORDER BY p.id", &st, err);
		if (s != KN_OK)
			return s;
		sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	}
	int row = 0;
	struct kn_buf which = { 0 };
	while ((s = kn_step_row(db, st, &row, "finding the pet", err)) == KN_OK && row) {
		if (n++ == 0)
			*id = sqlite3_column_int64(st, 0);
		if (n <= 5 && by_name)
			kn_buf_addf(&which, "%s%lld (%s %s)", n > 1 ? ", " : "",
			            (long long)sqlite3_column_int64(st, 0), ref, kn_col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (s == KN_OK && n == 0 && by_name)
		s = kn_err_set(err, KN_FAIL, "pet '%s' not found (use an id, a name, ext:ID or "
		               "OWNER/NAME)", ref);
	else if (s == KN_OK && n == 0)
		s = kn_err_set(err, KN_FAIL, "pet '%s' not found", ref);
	else if (s == KN_OK && n > 1 && which.len)
		s = kn_err_set(err, KN_FAIL, "pet '%s' is ambiguous: matches pets %s%s (use an id or "
		               "OWNER/NAME)", ref, which.data, n > 5 ? ", ..." : "");
	else if (s == KN_OK && n > 1)
		s = kn_err_set(err, KN_FAIL, "pet '%s' is ambiguous: %d pets have that name (use an "
		               "id)", ref, n);
	kn_buf_free(&which);
	return s;
}

/* A weight as people write it: a number above 0 and at most 1,000, with
 * an optional unit (30, 4.5, 4kg, 12 lb).  Not -5, 1e308 or nan. */
static kn_status weight_check(const char *w, struct kn_err *err)
{
	const char *p = w;
	size_t digits = strspn(p, "0123456789");
	int nonzero = 0;
	for (size_t i = 0; i < digits; i++)
		nonzero |= p[i] != '0';
	p += digits;
	if (*p == '.') {
		size_t frac = strspn(p + 1, "0123456789");
		for (size_t i = 1; i <= frac; i++)
			nonzero |= p[i] != '0';
		digits += frac;
		p += 1 + frac;
	}
	while (*p == ' ')
		p++;
	static const char *const units[] = { "", "lb", "lbs", "kg", "g", "oz", "pounds" };
	int unit = 0;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		unit |= strcasecmp(p, units[i]) == 0;
	if (digits == 0 || !unit || !nonzero || strtod(w, NULL) > 1000)
		return kn_err_set(err, KN_FAIL, "weight '%s': expected a number above 0 and at most "
		                  "1000, with a unit if you like (30, 4.5kg, 12 lb)", w);
	return KN_OK;
}

/* A birthday that has happened: not in the future. */
static kn_status birthday_check(kn_day day, const char *given, struct kn_err *err)
{
	if (day > kn_today())
		return kn_err_set(err, KN_FAIL, "birthday '%s' is in the future", given);
	return KN_OK;
}

static kn_status normalise(struct kn_pet_change *c, char birthday[11], struct kn_err *err)
{
	kn_day day;

	/* the one-line fields; notes and an advisory may run over lines */
	if (kn_line_check("name", c->name, 0, err) || kn_line_check("species", c->species, 0, err) ||
	    kn_line_check("breed", c->breed, 0, err) || kn_line_check("sex", c->sex, 0, err) ||
	    kn_line_check("color", c->color, 0, err) || kn_line_check("weight", c->weight, 0, err) ||
	    kn_line_check("external_id", c->external_id, 0, err) ||
	    kn_line_check("notes", c->notes, 1, err) || kn_line_check("advisory", c->advisory, 1, err))
		return KN_FAIL;
	if (c->name && c->name[0] == '\0')
		return kn_err_set(err, KN_FAIL, "pet name is empty");
	if (c->weight && c->weight[0] && weight_check(c->weight, err) != KN_OK)
		return KN_FAIL;
	if (c->birthday && c->birthday[0]) {
		if (kn_date_parse(c->birthday, &day, err) != KN_OK ||
		    birthday_check(day, c->birthday, err) != KN_OK)
			return KN_FAIL;
		kn_date_format(day, birthday);
		c->birthday = birthday;
	}
	return KN_OK;
}

kn_status kn_pet_add(struct kn_db *db, long long owner_id, const struct kn_pet_change *in,
                     long long *id, struct kn_err *err)
{
	struct kn_pet_change c = *in;
	char birthday[11], now[20];
	sqlite3_stmt *st;
	kn_status s;

	if (c.name == NULL)
		return kn_err_set(err, KN_USAGE, "a pet needs --name");
	if ((s = normalise(&c, birthday, err)) != KN_OK)
		return s;
	s = kn_prepare(db, "INSERT INTO pets (owner_id, external_id, name, species, breed, birthday,"
	                   " sex, color, weight, notes, advisory, created_at)"
	                   " VALUES (?, ?, ?, coalesce(?, 'dog'), ?, ?, ?, ?, ?, ?, ?, ?)", &st, err);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	sqlite3_bind_int64(st, 1, owner_id);
	int i = 2;
#define KN_FIELD_BIND(f) kn_bind_text(st, i++, c.f);
	KN_PET_TEXT_FIELDS(KN_FIELD_BIND)
#undef KN_FIELD_BIND
	sqlite3_bind_text(st, i, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return kn_err_set(err, KN_FAIL, "pet external id '%s' is taken", c.external_id);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "adding pet");
	*id = sqlite3_last_insert_rowid(db->h);
	return kn_audit(db, "pet", *id, err, "added %s (owner %lld)", c.name, owner_id);
}

kn_status kn_pet_edit(struct kn_db *db, long long id, const struct kn_pet_change *in,
                      struct kn_err *err)
{
	struct kn_pet_change c = *in;
	char birthday[11];
	struct kn_buf changed = { 0 };
	kn_status s;

	if ((s = normalise(&c, birthday, err)) != KN_OK)
		return s;
	/* the column name is ours, the value bound */
#define KN_FIELD_EDIT(f)                                                               \
	if (s == KN_OK && c.f) {                                                       \
		sqlite3_stmt *st;                                                      \
		s = kn_prepare(db, "UPDATE pets SET " #f " = ? WHERE id = ?", &st, err);   \
		if (s == KN_OK) {                                                      \
			kn_bind_text(st, 1, c.f);                                      \
			sqlite3_bind_int64(st, 2, id);                                 \
			if (sqlite3_step(st) != SQLITE_DONE)                           \
				s = kn_sql_fail(db, err, "editing pet");               \
			sqlite3_finalize(st);                                          \
			kn_buf_addf(&changed, "%s" #f, changed.len ? ", " : "");       \
		}                                                                      \
	}
	KN_PET_TEXT_FIELDS(KN_FIELD_EDIT)
#undef KN_FIELD_EDIT
	if (s == KN_OK && changed.len)
		s = kn_audit(db, "pet", id, err, "edited %s", changed.data);
	kn_buf_free(&changed);
	return s;
}

kn_status kn_pet_rm(struct kn_db *db, long long id, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "DELETE FROM pets WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return kn_err_set(err, KN_FAIL, "pet %lld has requests: it cannot be removed", id);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "removing pet");
	return kn_audit(db, "pet", id, err, "removed");
}

kn_status kn_pet_temperament(struct kn_db *db, long long id, const char *result,
                             const char *date, struct kn_err *err)
{
	char day_text[11];
	kn_day day = kn_today();
	sqlite3_stmt *st;
	kn_status s;

	if (strcmp(result, "pass") != 0 && strcmp(result, "fail") != 0 &&
	    strcmp(result, "pending") != 0)
		return kn_err_set(err, KN_USAGE, "invalid temperament '%s' (choose pass, fail, pending)",
		                  result);
	if (date && kn_date_parse(date, &day, err) != KN_OK)
		return KN_FAIL;
	kn_date_format(day, day_text);
	if ((s = kn_prepare(db, "UPDATE pets SET temperament = ?, temperament_date = ? WHERE id = ?",
	                    &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, result, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "setting temperament");
	sqlite3_finalize(st);
	if (s == KN_OK)
		s = kn_audit(db, "pet", id, err, "temperament %s on %s", result, day_text);
	return s;
}

kn_status kn_pet_list(struct kn_db *db, long long owner_id, struct kn_printer *p,
                      struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT " PET_COLUMNS " FROM pets WHERE ?1 = 0 OR owner_id = ?1"
	                             " ORDER BY id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner_id);
	kn_list_begin(p);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kn_rec_begin(p);
		pet_fields(p, st);
		kn_rec_end(p);
	}
	kn_list_end(p);
	sqlite3_finalize(st);
	return KN_OK;
}

kn_status kn_pet_show(struct kn_db *db, long long id, struct kn_printer *p, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT " PET_COLUMNS " FROM pets WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int row = 0;
	if ((s = kn_step_row(db, st, &row, "reading the pet", err)) != KN_OK || !row) {
		sqlite3_finalize(st);
		return s != KN_OK ? s : kn_err_set(err, KN_FAIL, "pet %lld not found", id);
	}
	kn_rec_begin(p);
	pet_fields(p, st);
	sqlite3_finalize(st);
	kn_arr_begin(p, "vaccinations");
	s = kn_vax_into(db, id, p, err);
	kn_nest_end(p);
	kn_rec_end(p);
	return s;
}

/* ---- import ------------------------------------------------------- */

enum {
	P_OWNER_EXT, P_OWNER_EMAIL, P_OWNER_ID, P_EXTERNAL_ID, P_NAME, P_SPECIES, P_BREED,
	P_BIRTHDAY, P_SEX, P_COLOR, P_WEIGHT, P_NOTES, P_ADVISORY, P_COUNT
};

static const struct kn_csv_field pet_fields_in[P_COUNT] = {
	[P_OWNER_EXT] = { "owner_external_id", "customerid clientid ownerexternalid "
	                  "customernumber clientnumber accountnumber", 0 },
	[P_OWNER_EMAIL] = { "owner_email", "email emailaddress owneremail clientemail", 0 },
	[P_OWNER_ID] = { "owner_id", NULL, 0 },
	[P_EXTERNAL_ID] = { "external_id", "petid animalid petexternalid petnumber", 0 },
	[P_NAME] = { "name", "petname petsname animalname", 1 },
	[P_SPECIES] = { "species", "animaltype pettype kind", 0 },
	[P_BREED] = { "breed", NULL, 0 },
	[P_BIRTHDAY] = { "birthday", "dob dateofbirth birthdate born", 0 },
	[P_SEX] = { "sex", "gender", 0 },
	[P_COLOR] = { "color", "colour markings", 0 },
	[P_WEIGHT] = { "weight", "weightlbs weightkg", 0 },
	[P_NOTES] = { "notes", "comments", 0 },
	[P_ADVISORY] = { "advisory", "alert warning behaviornotes caution", 0 },
};

struct pet_state {
	long long max_id_before;
};

static kn_status pet_setup(struct kn_import *in, struct kn_err *err)
{
	struct pet_state *ps = in->state;
	sqlite3_stmt *st;
	if (!kn_csv_has(in->csv, P_OWNER_EXT) && !kn_csv_has(in->csv, P_OWNER_EMAIL) &&
	    !kn_csv_has(in->csv, P_OWNER_ID))
		return kn_err_set(err, KN_FAIL, "%s: missing an owner column (owner_external_id, "
		                  "owner_email or owner_id)", kn_csv_name(in->csv));
	kn_status s = kn_prepare(in->db, "SELECT coalesce(max(id), 0) FROM pets", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_step(st);
	ps->max_id_before = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return KN_OK;
}

static kn_status pet_row(struct kn_import *in, struct kn_err *err)
{
	struct pet_state *ps = in->state;
	const char *v[P_COUNT];
	char why[512], birthday[11];
	long long owner, pet = 0;
	sqlite3_stmt *st;
	kn_status s;

	kn_import_values(in, v, P_COUNT);
	if (v[P_NAME] == NULL)
		return kn_import_reject(in, "name is empty");
	struct kn_err oerr; /* cleared, not zeroed: this runs once a row */
	kn_err_clear(&oerr);
	s = kn_import_owner(in, v[P_OWNER_EXT], v[P_OWNER_EMAIL], v[P_OWNER_ID], &owner, &oerr);
	if (s == KN_TEMPFAIL) {
		*err = oerr;
		return s;
	}
	if (s != KN_OK)
		return kn_import_reject(in, oerr.msg);
	if (v[P_BIRTHDAY]) {
		kn_day day;
		struct kn_err derr = { 0 };
		if (kn_date_parse(v[P_BIRTHDAY], &day, &derr) != KN_OK ||
		    birthday_check(day, v[P_BIRTHDAY], &derr) != KN_OK) {
			kn_import_reject(in, derr.msg);
			return KN_OK;
		}
		kn_date_format(day, birthday);
		v[P_BIRTHDAY] = birthday;
	}
	if (v[P_WEIGHT]) {
		struct kn_err werr = { 0 };
		if (weight_check(v[P_WEIGHT], &werr) != KN_OK) {
			kn_import_reject(in, werr.msg);
			return KN_OK;
		}
	}
	/* matched by external id, else by owner and name */
	if (v[P_EXTERNAL_ID])
		s = kn_prepare(in->db, "SELECT id, owner_id FROM pets WHERE external_id = ?1", &st, err);
	else
		s = kn_prepare(in->db, "SELECT id, owner_id FROM pets WHERE owner_id = ?2"
		                       " AND name = ?3 COLLATE NOCASE", &st, err);
	if (s != KN_OK)
		return s;
	kn_bind_text(st, 1, v[P_EXTERNAL_ID]);
	sqlite3_bind_int64(st, 2, owner);
	sqlite3_bind_text(st, 3, v[P_NAME], -1, SQLITE_STATIC);
	int matches = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		if (matches++ == 0)
			pet = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (matches > 1) {
		snprintf(why, sizeof why, "owner %lld has %d pets named '%s': give an external_id",
		         owner, matches, v[P_NAME]);
		return kn_import_reject(in, why);
	}
	if (pet > ps->max_id_before) {
		snprintf(why, sizeof why, "pet '%s' of owner %lld appears earlier in this file",
		         v[P_NAME], owner);
		return kn_import_reject(in, why);
	}
	struct kn_pet_change c = {
		.external_id = v[P_EXTERNAL_ID], .name = v[P_NAME], .species = v[P_SPECIES],
		.breed = v[P_BREED], .birthday = v[P_BIRTHDAY], .sex = v[P_SEX], .color = v[P_COLOR],
		.weight = v[P_WEIGHT], .notes = v[P_NOTES], .advisory = v[P_ADVISORY],
	};
	if (pet) {
		if (!in->o->update) {
			in->sum->unchanged++;
			return KN_OK;
		}
		if ((s = kn_pet_edit(in->db, pet, &c, err)) != KN_OK)
			return s;
		in->sum->updated++;
		return KN_OK;
	}
	if ((s = kn_pet_add(in->db, owner, &c, &pet, err)) != KN_OK)
		return s;
	in->sum->created++;
	return KN_OK;
}

kn_status kn_pet_import(struct kn_db *db, const struct kn_import_options *o,
                        struct kn_import_summary *sum, struct kn_err *err)
{
	static const struct kn_import_kind kind = {
		.fields = pet_fields_in, .nfields = P_COUNT, .setup = pet_setup, .row = pet_row,
	};
	struct pet_state state = { 0 };
	return kn_import_run(db, o, &kind, &state, sum, err);
}
