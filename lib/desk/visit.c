/*
 * What signing in and out share: the pet at the desk, its visit in now,
 * the time of a desk action, the package type a service uses.
 */
#include <stdlib.h>
#include <string.h>

#include "desk/kn_desk.h"

const char *kn_desk_package_type(const char *service)
{
	return strcmp(service, "daycare") == 0    ? "daycare-package"
	       : strcmp(service, "boarding") == 0 ? "boarding-package"
	                                           : "other-package";
}

kn_status kn_desk_time(const char *at, char out[20], struct kn_err *err)
{
	char today[11];
	if (at == NULL) {
		kn_now_text(out);
		return KN_OK;
	}
	if (kn_clock_ok(at)) {
		kn_date_format(kn_today(), today);
		snprintf(out, 20, "%.10sT%.5s:00", today, at);
		return KN_OK;
	}
	return kn_time_parse(at, out, err);
}

kn_status kn_desk_pet(struct kn_db *db, const char *ref, struct kn_desk_pet *pt, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_pet_resolve(db, ref, &pt->id, err);
	if (s != KN_OK || (s = kn_cached(db, "SELECT owner_id, name FROM pets WHERE id = ?", &st,
	                                  err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, pt->id);
	if ((s = kn_step_row(db, st, &row, "reading the pet", err)) == KN_OK && row) {
		pt->owner = sqlite3_column_int64(st, 0);
		snprintf(pt->name, sizeof pt->name, "%s", kn_col_text(st, 1));
	} else if (s == KN_OK) {
		s = kn_err_set(err, KN_FAIL, "pet '%s' not found", ref);
	}
	sqlite3_reset(st);
	return s;
}

/* The pet's visit that is in now: v->id 0 when there is none. */
kn_status kn_desk_visit_in(struct kn_db *db, const struct kn_desk_pet *pt,
                           struct kn_desk_visit *v, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT id, coalesce(request_id, 0), service, day, in_at"
	                            " FROM visits WHERE pet_id = ? AND state = 'in'", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, pt->id);
	*v = (struct kn_desk_visit){ 0 };
	if ((s = kn_step_row(db, st, &row, "finding the pet's visit", err)) == KN_OK && row) {
		v->id = sqlite3_column_int64(st, 0);
		v->request = sqlite3_column_int64(st, 1);
		snprintf(v->service, sizeof v->service, "%s", kn_col_text(st, 2));
		snprintf(v->day, sizeof v->day, "%s", kn_col_text(st, 3));
		snprintf(v->in_at, sizeof v->in_at, "%s", kn_col_text(st, 4));
	}
	sqlite3_reset(st);
	return s;
}
