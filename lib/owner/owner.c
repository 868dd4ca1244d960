/* Owners: add, edit, find, list, show, notes. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "owner/kn_owner.h"

#define OWNER_COLUMNS                                                        \
	"id, external_id, first_name, last_name, email, phone, address, city," \
	" state, zip, username, password_hash IS NOT NULL, must_reset,"        \
	" email_opt_out, active, created_at, updated_at"

void kn_owner_from_row(sqlite3_stmt *st, struct kn_owner *o)
{
	int i = 0;
	o->id = sqlite3_column_int64(st, i++);
#define KN_FIELD_GET(f) o->f = kn_col_text(st, i++);
	KN_OWNER_TEXT_FIELDS(KN_FIELD_GET)
#undef KN_FIELD_GET
	o->has_password = sqlite3_column_int(st, i++);
	o->must_reset = sqlite3_column_int(st, i++);
	o->email_opt_out = sqlite3_column_int(st, i++);
	o->active = sqlite3_column_int(st, i++);
	o->created_at = kn_col_text(st, i++);
	o->updated_at = kn_col_text(st, i++);
}

static void owner_fields(struct kn_printer *p, const struct kn_owner *o)
{
	kn_put_int(p, "id", o->id, 1);
	kn_put_str(p, "external_id", o->external_id, 0);
	kn_put_str(p, "first_name", o->first_name, 1);
	kn_put_str(p, "last_name", o->last_name, 1);
	kn_put_str(p, "email", o->email, 1);
	kn_put_str(p, "phone", o->phone, 0);
	kn_put_str(p, "address", o->address, 0);
	kn_put_str(p, "city", o->city, 0);
	kn_put_str(p, "state", o->state, 0);
	kn_put_str(p, "zip", o->zip, 0);
	kn_put_str(p, "username", o->username, 1);
	kn_put_bool(p, "has_password", o->has_password, 0);
	kn_put_bool(p, "must_reset", o->must_reset, 0);
	kn_put_bool(p, "email_opt_out", o->email_opt_out, 0);
	kn_put_bool(p, "active", o->active, 0);
	kn_put_str(p, "created_at", o->created_at, 0);
	kn_put_str(p, "updated_at", o->updated_at, 0);
}

void kn_owner_print(struct kn_printer *p, const struct kn_owner *o)
{
	kn_rec_begin(p);
	owner_fields(p, o);
	kn_rec_end(p);
}

void kn_owner_change_init(struct kn_owner_change *c)
{
	memset(c, 0, sizeof *c);
	c->email_opt_out = -1;
	c->active = -1;
}

static int all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Collects what a query finds; more than one is an ambiguity, told with
 * the first few candidates by id and name. */
static kn_status ids_of(struct kn_db *db, sqlite3_stmt *st, long long *id, int *n,
                        struct kn_buf *candidates, struct kn_err *err)
{
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == 0)
			*id = sqlite3_column_int64(st, 0);
		if (*n < 4)
			kn_buf_addf(candidates, "%s%lld (%s)", *n ? ", " : "",
			            (long long)sqlite3_column_int64(st, 0), kn_col_text(st, 1));
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "finding owner");
	return KN_OK;
}

kn_status kn_owner_resolve(struct kn_db *db, const char *ref, long long *id,
                           struct kn_err *err)
{
#define OWNER_NAME "id, first_name || ' ' || last_name FROM owners"
	static const char *const queries[] = {
		"SELECT " OWNER_NAME " WHERE id = ?1",
		"SELECT " OWNER_NAME " WHERE external_id = ?1",
		"SELECT " OWNER_NAME " WHERE username = ?1",
		"SELECT " OWNER_NAME " WHERE email = ?1 COLLATE NOCASE ORDER BY id",
		/* a name as staff say it ("Tess", "Tess Tester"), ignoring case
		 * and accents; the active owners first, for the candidates */
		"SELECT " OWNER_NAME " WHERE fold(first_name || ' ' || last_name) = fold(?1)"
		"   OR fold(first_name) = fold(?1) OR fold(last_name) = fold(?1)"
		" ORDER BY active DESC, id",
	};
#undef OWNER_NAME
	const char *key = ref;
	size_t first = 2, last = 4;
	kn_status s = KN_OK;

	if (all_digits(ref)) {
		first = last = 0;
	} else if (strncmp(ref, "ext:", 4) == 0) {
		first = last = 1;
		key = ref + 4;
	} else if (strchr(ref, '@')) {
		last = 3; /* no name has an @: an unknown email scans no names */
	}
	for (size_t q = first; q <= last; q++) {
		sqlite3_stmt *st;
		struct kn_buf candidates = { 0 };
		int n;
		if ((s = kn_cached(db, queries[q], &st, err)) != KN_OK)
			return s;
		if (q == 0)
			sqlite3_bind_int64(st, 1, strtoll(key, NULL, 10));
		else
			sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		s = ids_of(db, st, id, &n, &candidates, err); /* which resets it */
		if (s == KN_OK && n > 1) {
			if (n > 4)
				kn_buf_addf(&candidates, ", ... (%d in all)", n);
			s = kn_err_set(err, KN_FAIL, "owner '%s' is ambiguous: matches owners %s (use an id)",
			               ref, candidates.data);
		}
		kn_buf_free(&candidates);
		if (s != KN_OK || n == 1)
			return s;
	}
	return kn_err_set(err, KN_FAIL, "owner '%s' not found", ref);
}

/* Refuses a username another owner holds in any letter case. */
kn_status kn_username_free(struct kn_db *db, const char *username, long long self,
                           struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT id, username FROM owners"
	                             " WHERE username = ?1 COLLATE NOCASE AND id <> ?2 LIMIT 1",
	                         &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, self);
	if (sqlite3_step(st) == SQLITE_ROW)
		s = kn_err_set(err, KN_FAIL, "username '%s' is taken by owner %lld ('%s')", username,
		               (long long)sqlite3_column_int64(st, 0), kn_col_text(st, 1));
	sqlite3_finalize(st);
	return s;
}

kn_status kn_owner_validate(struct kn_db *db, struct kn_owner_change *c, long long self,
                            char email[256], struct kn_err *err)
{
#define KN_FIELD_CHECK(f) \
	if (kn_line_check(#f, c->f, strcmp(#f, "address") == 0, err) != KN_OK) \
		return KN_FAIL;
	KN_OWNER_TEXT_FIELDS(KN_FIELD_CHECK)
#undef KN_FIELD_CHECK
	if (c->first_name && c->first_name[0] == '\0')
		return kn_err_set(err, KN_FAIL, "first name is empty");
	if (c->last_name && c->last_name[0] == '\0')
		return kn_err_set(err, KN_FAIL, "last name is empty");
	/* the vendor's "Require Owner Email": a new owner without one, or an
	 * edit that clears it (self: the owner edited, 0 for a new one) */
	if ((self == 0 && (c->email == NULL || c->email[0] == '\0')) ||
	    (self != 0 && c->email && c->email[0] == '\0')) {
		int required;
		if (kn_pref_bool(db, "owner.require_email", &required, err) != KN_OK)
			return err->status;
		if (required)
			return kn_err_set(err, KN_FAIL, "an owner needs an email here "
			                  "(owner.require_email is true): give --email ADDR");
	}
	if (c->email && c->email[0] != '\0') {
		if (kn_email_check(c->email, email, 256, err) != KN_OK)
			return KN_FAIL;
		c->email = email;
	}
	if (c->username && c->username[0] != '\0') {
		for (const char *p = c->username; *p; p++)
			if ((unsigned char)*p <= ' ')
				return kn_err_set(err, KN_FAIL, "username '%s' has a space or control "
				                  "character", c->username);
		if (kn_username_free(db, c->username, self, err) != KN_OK)
			return KN_FAIL;
	}
	if (c->external_id && c->external_id[0] != '\0') {
		sqlite3_stmt *st;
		kn_status s = kn_prepare(db, "SELECT id FROM owners WHERE external_id = ? AND id <> ?",
		                         &st, err);
		if (s != KN_OK)
			return s;
		sqlite3_bind_text(st, 1, c->external_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, self);
		if (sqlite3_step(st) == SQLITE_ROW)
			s = kn_err_set(err, KN_FAIL, "external id '%s' belongs to owner %lld",
			               c->external_id, (long long)sqlite3_column_int64(st, 0));
		sqlite3_finalize(st);
		if (s != KN_OK)
			return s;
	}
	return KN_OK;
}

kn_status kn_owner_add(struct kn_db *db, const struct kn_owner_change *in, long long *id,
                       struct kn_err *err)
{
	struct kn_owner_change c = *in;
	char email[256], now[20];
	sqlite3_stmt *st;
	kn_status s;

	if (c.first_name == NULL || c.last_name == NULL)
		return kn_err_set(err, KN_USAGE, "an owner needs --first and --last");
	if ((s = kn_owner_validate(db, &c, 0, email, err)) != KN_OK)
		return s;
	s = kn_prepare(db, "INSERT INTO owners (external_id, first_name, last_name, email, phone,"
	                   " address, city, state, zip, username, email_opt_out, active,"
	                   " created_at, updated_at)"
	                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?13)", &st, err);
	if (s != KN_OK)
		return s;
	int i = 1;
#define KN_FIELD_BIND(f) kn_bind_text(st, i++, c.f);
	KN_OWNER_TEXT_FIELDS(KN_FIELD_BIND)
#undef KN_FIELD_BIND
	sqlite3_bind_int(st, i++, c.email_opt_out > 0);
	sqlite3_bind_int(st, i++, c.active != 0);
	kn_now_text(now);
	sqlite3_bind_text(st, i++, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "adding owner");
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	*id = sqlite3_last_insert_rowid(db->h);
	return kn_audit(db, "owner", *id, err, "added %s %s", c.first_name, c.last_name);
}

kn_status kn_owner_edit(struct kn_db *db, long long id, const struct kn_owner_change *in,
                        struct kn_err *err)
{
	struct kn_owner_change c = *in;
	char email[256], now[20];
	struct kn_buf changed = { 0 };
	kn_status s;

	if ((s = kn_owner_validate(db, &c, id, email, err)) != KN_OK)
		return s;
	kn_now_text(now);
	/* one bound statement per field: the column name comes from our list,
	 * never from the user */
#define KN_FIELD_EDIT(f)                                                          \
	if (s == KN_OK && c.f) {                                                  \
		sqlite3_stmt *st;                                                 \
		s = kn_prepare(db, "UPDATE owners SET " #f " = ?, updated_at = ? WHERE id = ?", \
		               &st, err);                                         \
		if (s == KN_OK) {                                                 \
			kn_bind_text(st, 1, c.f);                                 \
			sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);         \
			sqlite3_bind_int64(st, 3, id);                            \
			if (sqlite3_step(st) != SQLITE_DONE)                      \
				s = kn_sql_fail(db, err, "editing owner");        \
			sqlite3_finalize(st);                                     \
			kn_buf_addf(&changed, "%s" #f, changed.len ? ", " : "");  \
		}                                                                 \
	}
	KN_OWNER_TEXT_FIELDS(KN_FIELD_EDIT)
#undef KN_FIELD_EDIT
	if (s == KN_OK && (c.email_opt_out >= 0 || c.active >= 0)) {
		sqlite3_stmt *st;
		s = kn_prepare(db, "UPDATE owners SET email_opt_out = coalesce(?, email_opt_out),"
		                   " active = coalesce(?, active), updated_at = ? WHERE id = ?",
		               &st, err);
		if (s == KN_OK) {
			if (c.email_opt_out >= 0)
				sqlite3_bind_int(st, 1, c.email_opt_out);
			if (c.active >= 0)
				sqlite3_bind_int(st, 2, c.active);
			sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 4, id);
			if (sqlite3_step(st) != SQLITE_DONE)
				s = kn_sql_fail(db, err, "editing owner");
			sqlite3_finalize(st);
			kn_buf_addf(&changed, "%s%s", changed.len ? ", " : "",
			            c.active >= 0 ? "active" : "email_opt_out");
		}
	}
	if (s == KN_OK && changed.len)
		s = kn_audit(db, "owner", id, err, "edited %s", changed.data);
	kn_buf_free(&changed);
	return s;
}

kn_status kn_owner_deactivate(struct kn_db *db, long long id, struct kn_err *err)
{
	struct kn_owner_change c;
	kn_owner_change_init(&c);
	c.active = 0;
	kn_status s = kn_owner_edit(db, id, &c, err);
	if (s == KN_OK)
		s = kn_login_end(db, id, "your account was closed", NULL, err);
	return s;
}

kn_status kn_owner_rm(struct kn_db *db, long long id, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s;

	/* owners with history (orders, packages, requests) are deactivated,
	 * never removed: those tables come with their own migrations and are
	 * checked here through the foreign keys that point at owners */
	if ((s = kn_prepare(db, "DELETE FROM owners WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return kn_err_set(err, KN_FAIL,
		                  "owner %lld has orders, packages or requests: deactivate instead", id);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "removing owner");
	return kn_audit(db, "owner", id, err, "removed");
}

static void like_pattern(const char *text, struct kn_buf *b)
{
	kn_buf_add(b, "%", 1);
	for (const char *c = text; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			kn_buf_add(b, "\\", 1);
		kn_buf_add(b, c, 1);
	}
	kn_buf_add(b, "%", 1);
}

kn_status kn_owner_list(struct kn_db *db, const struct kn_owner_filter *f, kn_owner_cb cb,
                        void *ud, struct kn_err *err)
{
	sqlite3_stmt *st;
	struct kn_buf pattern = { 0 };
	kn_status s;
	int rc;

	s = kn_prepare(db, "SELECT " OWNER_COLUMNS " FROM owners"
	                   " WHERE (?1 OR active)"
	                   "   AND (?2 = 0 OR (?2 > 0) = (username IS NOT NULL))"
	                   "   AND (?3 IS NULL OR first_name LIKE ?3 ESCAPE '\\'"
	                   "        OR last_name LIKE ?3 ESCAPE '\\' OR email LIKE ?3 ESCAPE '\\'"
	                   "        OR username LIKE ?3 ESCAPE '\\' OR phone LIKE ?3 ESCAPE '\\'"
	                   "        OR external_id LIKE ?3 ESCAPE '\\'"
	                   "        OR first_name || ' ' || last_name LIKE ?3 ESCAPE '\\')"
	                   " ORDER BY id LIMIT ?4", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int(st, 1, f->include_inactive);
	sqlite3_bind_int(st, 2, f->with_username);
	if (f->search) {
		like_pattern(f->search, &pattern);
		sqlite3_bind_text(st, 3, pattern.data, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(st, 4, f->limit > 0 ? f->limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kn_owner o;
		kn_owner_from_row(st, &o);
		if ((s = cb(ud, &o)) != KN_OK)
			break;
	}
	if (s == KN_OK && rc != SQLITE_DONE)
		s = kn_sql_fail(db, err, "listing owners");
	sqlite3_finalize(st);
	kn_buf_free(&pattern);
	return s;
}

kn_status kn_owner_get(struct kn_db *db, long long id, kn_owner_cb cb, void *ud,
                       struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT " OWNER_COLUMNS " FROM owners WHERE id = ?", &st, err);

	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int row = 0;
	if ((s = kn_step_row(db, st, &row, "reading the owner", err)) == KN_OK && row) {
		struct kn_owner o;
		kn_owner_from_row(st, &o);
		s = cb(ud, &o);
	} else if (s == KN_OK) {
		s = kn_err_set(err, KN_FAIL, "owner %lld not found", id);
	}
	sqlite3_finalize(st);
	return s;
}

static kn_status notes_into(struct kn_db *db, long long owner_id, struct kn_printer *p,
                            int as_records, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT id, body, show_to_owner, created_at, created_by"
	                             " FROM owner_notes WHERE owner_id = ? ORDER BY id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (as_records)
			kn_rec_begin(p);
		else
			kn_obj_begin(p, NULL);
		kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
		kn_put_str(p, "created_at", kn_col_text(st, 3), 1);
		kn_put_str(p, "created_by", kn_col_text(st, 4), 0);
		kn_put_bool(p, "show_to_owner", sqlite3_column_int(st, 2), 0);
		kn_put_str(p, "text", kn_col_text(st, 1), 1);
		if (as_records)
			kn_rec_end(p);
		else
			kn_nest_end(p);
	}
	sqlite3_finalize(st);
	return KN_OK;
}

/* The owner's pets, each with its vaccinations' worst status, and the
 * packages still in use, as arrays of the owner's record. */
static kn_status pets_and_packages(struct kn_db *db, long long id, struct kn_printer *p,
                                   struct kn_err *err)
{
	char today[11], soon[11];
	sqlite3_stmt *st;
	kn_status s = kn_vax_window(db, -1, today, soon, err);

	if (s == KN_OK)
		s = kn_prepare(db, "SELECT p.id, p.name, p.species, p.breed, p.temperament, p.advisory,"
		                   " (SELECT CASE WHEN min(latest) IS NULL THEN NULL WHEN min(latest) < ?2 THEN 'expired'"
		                   "  WHEN min(latest) <= ?3 THEN 'expiring' ELSE 'current' END"
		                   "  FROM (SELECT max(v.expires_on) AS latest FROM vaccinations v"
		                   "        WHERE v.pet_id = p.id GROUP BY v.type))"
		                   " FROM pets p WHERE p.owner_id = ?1 ORDER BY p.id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, soon, -1, SQLITE_STATIC);
	kn_arr_begin(p, "pets");
	while (sqlite3_step(st) == SQLITE_ROW) {
		kn_obj_begin(p, NULL);
		kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
		kn_put_str(p, "name", kn_col_text(st, 1), 1);
		kn_put_str(p, "species", kn_col_text(st, 2), 0);
		kn_put_str(p, "breed", kn_col_text(st, 3), 1);
		kn_put_str(p, "temperament", kn_col_text(st, 4), 0);
		kn_put_str(p, "advisory", kn_col_text(st, 5), 1);
		kn_put_str(p, "vaccinations", kn_col_text(st, 6) ? kn_col_text(st, 6) : "none", 1);
		kn_nest_end(p);
	}
	kn_nest_end(p);
	sqlite3_finalize(st);
	if ((s = kn_prepare(db, "SELECT id, name, number_left, end_date FROM packages"
	                        " WHERE owner_id = ? AND number_left > 0 AND end_date >= ? ORDER BY id",
	                    &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	kn_arr_begin(p, "packages");
	while (sqlite3_step(st) == SQLITE_ROW) {
		kn_obj_begin(p, NULL);
		kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
		kn_put_str(p, "name", kn_col_text(st, 1), 1);
		kn_put_int(p, "number_left", sqlite3_column_int64(st, 2), 1);
		kn_put_str(p, "end_date", kn_col_text(st, 3), 1);
		kn_nest_end(p);
	}
	kn_nest_end(p);
	sqlite3_finalize(st);
	return KN_OK;
}

static kn_status show_owner(void *ud, const struct kn_owner *o)
{
	kn_rec_begin(ud);
	owner_fields(ud, o);
	return KN_OK;
}

kn_status kn_owner_show(struct kn_db *db, long long id, struct kn_printer *p,
                        struct kn_err *err)
{
	kn_status s = kn_owner_get(db, id, show_owner, p, err);
	if (s != KN_OK)
		return s;
	kn_arr_begin(p, "notes");
	s = notes_into(db, id, p, 0, err);
	kn_nest_end(p);
	if (s == KN_OK)
		s = pets_and_packages(db, id, p, err);
	if (s == KN_OK)
		/* across into request/: the owner's card shows her open requests */
		s = kn_requests_open_into(db, id, p, err);
	kn_rec_end(p);
	return s;
}

kn_status kn_owner_note_add(struct kn_db *db, long long owner_id, const char *text,
                            int show_to_owner, long long *note_id, struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	kn_status s;

	if (text == NULL || text[strspn(text, " \t\r\n")] == '\0')
		return kn_err_set(err, KN_FAIL, "the note is empty");
	s = kn_prepare(db, "INSERT INTO owner_notes (owner_id, body, show_to_owner, created_at,"
	                   " created_by) VALUES (?, ?, ?, ?, ?)", &st, err);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	sqlite3_bind_int64(st, 1, owner_id);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, show_to_owner != 0);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	kn_bind_text(st, 5, db->actor);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "adding note");
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	*note_id = sqlite3_last_insert_rowid(db->h);
	return kn_audit(db, "owner", owner_id, err, "note %lld added%s", *note_id,
	                show_to_owner ? " (shown to owner)" : "");
}

kn_status kn_owner_notes_print(struct kn_db *db, long long owner_id, struct kn_printer *p,
                               struct kn_err *err)
{
	kn_list_begin(p);
	kn_status s = notes_into(db, owner_id, p, 1, err);
	kn_list_end(p);
	return s;
}
