/*
 * Play areas: where a signed-in pet is, with a capacity the desk keeps.
 * Renamed, never re-created, so a typo is fixed without moving anyone;
 * removed only when empty.
 */
#include <string.h>

#include "desk/kn_desk.h"
#include "request/kn_request.h"

kn_status kn_area_find(struct kn_db *db, const char *name, long long *id, long long *capacity,
                       struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT id, coalesce(capacity, -1) FROM areas WHERE name = ?",
	                        &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((s = kn_step_row(db, st, &row, "finding the area", err)) == KN_OK && row) {
		*id = sqlite3_column_int64(st, 0);
		*capacity = sqlite3_column_int64(st, 1);
	} else if (s == KN_OK) {
		s = kn_err_set(err, KN_FAIL, "area '%s' not found (kennel area list shows them)", name);
	}
	sqlite3_reset(st);
	return s;
}

/* The pets signed in to area now. */
static kn_status pets_in(struct kn_db *db, long long area, long long *in, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT count(*) FROM visits WHERE state = 'in' AND area_id = ?",
	                        &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, area);
	*in = 0;
	if ((s = kn_step_row(db, st, &row, "counting the area's pets", err)) == KN_OK && row)
		*in = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return s;
}

kn_status kn_area_room(struct kn_db *db, long long area, long long capacity, const char *name,
                       int force, struct kn_err *err)
{
	long long in = 0;
	if (capacity < 0 || force)
		return KN_OK;
	kn_status s = pets_in(db, area, &in, err);
	if (s == KN_OK && in >= capacity)
		s = kn_err_set(err, KN_FAIL, "area '%s' is full (%lld of %lld); --force puts the pet "
		               "in it anyway", name, in, capacity);
	return s;
}

static kn_status name_ok(const char *name, struct kn_err *err)
{
	if (name == NULL || *name == '\0')
		return kn_err_set(err, KN_USAGE, "an area needs a NAME");
	return kn_line_check("area name", name, 0, err);
}

kn_status kn_area_add(struct kn_db *db, const char *name, long long capacity,
                      const char *service, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s;
	if ((s = name_ok(name, err)) != KN_OK)
		return s;
	if (service && (s = kn_service_check(service, err)) != KN_OK)
		return s;
	if ((s = kn_cached(db, "INSERT INTO areas (name, capacity, service) VALUES (?, ?, ?)"
	                        " ON CONFLICT (name) DO NOTHING", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (capacity >= 0)
		sqlite3_bind_int64(st, 2, capacity);
	kn_bind_text(st, 3, service);
	if ((s = kn_step_done(db, st, "adding the area", err)) != KN_OK)
		return s;
	if (sqlite3_changes(db->h) == 0)
		return kn_err_set(err, KN_FAIL, "area '%s' exists already", name);
	return kn_audit(db, "area", sqlite3_last_insert_rowid(db->h), err, "added %s", name);
}

kn_status kn_area_rename(struct kn_db *db, const char *old_name, const char *new_name,
                         struct kn_err *err)
{
	sqlite3_stmt *st;
	long long id, capacity;
	kn_status s;
	if ((s = name_ok(new_name, err)) != KN_OK ||
	    (s = kn_area_find(db, old_name, &id, &capacity, err)) != KN_OK)
		return s;
	if ((s = kn_cached(db, "UPDATE areas SET name = ? WHERE id = ? AND NOT EXISTS (SELECT 1"
	                        " FROM areas WHERE name = ?1 AND id <> ?2)", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, new_name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	if ((s = kn_step_done(db, st, "renaming the area", err)) != KN_OK)
		return s;
	if (sqlite3_changes(db->h) == 0)
		return kn_err_set(err, KN_FAIL, "area '%s' exists already", new_name);
	return kn_audit(db, "area", id, err, "renamed %s to %s", old_name, new_name);
}

kn_status kn_area_rm(struct kn_db *db, const char *name, struct kn_err *err)
{
	sqlite3_stmt *st;
	long long id, capacity, in = 0;
	kn_status s = kn_area_find(db, name, &id, &capacity, err);
	if (s == KN_OK)
		s = pets_in(db, id, &in, err);
	if (s == KN_OK && in > 0)
		s = kn_err_set(err, KN_FAIL, "area '%s' has %lld pet%s signed in: move %s first "
		               "(kennel desk move PET --area AREA)", name, in, in == 1 ? "" : "s",
		               in == 1 ? "it" : "them");
	/* the visits that were in it keep their history, without the area */
	if (s == KN_OK && (s = kn_cached(db, "UPDATE visits SET area_id = NULL WHERE area_id = ?",
	                                  &st, err)) == KN_OK) {
		sqlite3_bind_int64(st, 1, id);
		s = kn_step_done(db, st, "clearing the area from past visits", err);
	}
	if (s == KN_OK && (s = kn_cached(db, "DELETE FROM areas WHERE id = ?", &st, err)) == KN_OK) {
		sqlite3_bind_int64(st, 1, id);
		s = kn_step_done(db, st, "removing the area", err);
	}
	return s == KN_OK ? kn_audit(db, "area", id, err, "removed %s", name) : s;
}

kn_status kn_area_list(struct kn_db *db, struct kn_printer *p, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_prepare(db, "SELECT a.id, a.name, a.capacity, a.service, (SELECT count(*)"
	                             " FROM visits v WHERE v.state = 'in' AND v.area_id = a.id)"
	                             " FROM areas a ORDER BY a.name COLLATE NOCASE", &st, err);
	if (s != KN_OK)
		return s;
	kn_list_begin(p);
	while ((s = kn_step_row(db, st, &row, "listing areas", err)) == KN_OK && row) {
		kn_rec_begin(p);
		kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
		kn_put_str(p, "name", kn_col_text(st, 1), 1);
		kn_put_col_int(p, "capacity", st, 2, 1);
		kn_put_str(p, "service", kn_col_text(st, 3), 1);
		kn_put_int(p, "in", sqlite3_column_int64(st, 4), 1);
		kn_rec_end(p);
	}
	kn_list_end(p);
	sqlite3_finalize(st);
	return s;
}
