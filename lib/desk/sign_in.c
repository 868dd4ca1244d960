/*
 * Signing pets in.  A sign-in links the pet to its approved booking of
 * the day, or books a walk-in by the rules of 'request approve'.  One
 * visit 'in' per pet (a unique index), so two desks make one visit.
 * Moving a pet between play areas lives here too: both fill an area.
 */
#include <stdlib.h>
#include <string.h>

#include "desk/kn_desk.h"
#include "request/kn_request.h"

/* The approved booking of the pet covering day (of service, or the one
 * wanted): *req 0 when there is none, an error when several could be. */
static kn_status booking(struct kn_db *db, const struct kn_desk_pet *pt, const char *day,
                         const char *service, long long wanted, long long *req,
                         char req_service[16], struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0, n = 0;
	struct kn_buf ids = { 0 };
	kn_status s = kn_cached(db, "SELECT r.id, r.service FROM requests r JOIN request_pets rp"
	                            " ON rp.request_id = r.id AND rp.pet_id = ?1"
	                            " WHERE r.status = 'approved' AND r.start <= ?2 AND (CASE WHEN"
	                            " r.service = 'boarding' THEN r.end > ?2 ELSE r.end >= ?2 END)"
	                            " AND (?3 IS NULL OR r.service = ?3) AND (?4 = 0 OR r.id = ?4)"
	                            " ORDER BY r.start, r.id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, pt->id);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	kn_bind_text(st, 3, service);
	sqlite3_bind_int64(st, 4, wanted);
	*req = 0;
	while ((s = kn_step_row(db, st, &row, "finding the booking", err)) == KN_OK && row) {
		if (n++ == 0) {
			*req = sqlite3_column_int64(st, 0);
			snprintf(req_service, 16, "%s", kn_col_text(st, 1));
		}
		kn_buf_addf(&ids, "%s%lld (%s)", n > 1 ? ", " : "",
		            (long long)sqlite3_column_int64(st, 0), kn_col_text(st, 1));
	}
	sqlite3_reset(st);
	if (s == KN_OK && n > 1)
		s = kn_err_set(err, KN_FAIL, "%s has %d bookings today: requests %s; --request REQ "
		               "chooses", pt->name, n, ids.data);
	else if (s == KN_OK && n == 0 && wanted)
		s = kn_err_set(err, KN_FAIL, "request %lld is not an approved booking of %s for today",
		               wanted, pt->name);
	kn_buf_free(&ids);
	return s;
}

/* A booking's visit already signed out today (or a stay's at all): the
 * desk undoes that sign-out rather than starting a second visit. */
static kn_status out_already(struct kn_db *db, const struct kn_desk_pet *pt, long long req,
                             const char *day, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT v.id, substr(v.out_at, 12, 5) FROM visits v"
	                            " WHERE v.request_id = ?1 AND v.pet_id = ?2 AND v.state = 'out'"
	                            " AND (v.day = ?3 OR v.service = 'boarding') LIMIT 1", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, req);
	sqlite3_bind_int64(st, 2, pt->id);
	sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
	if ((s = kn_step_row(db, st, &row, "finding the visit", err)) == KN_OK && row)
		s = kn_err_set(err, KN_FAIL, "%s was signed out of request %lld at %s (visit %lld); "
		               "kennel desk undo %lld signs %s back in", pt->name, req,
		               kn_col_text(st, 1), (long long)sqlite3_column_int64(st, 0),
		               (long long)sqlite3_column_int64(st, 0), pt->name);
	sqlite3_reset(st);
	return s;
}

static kn_status walk_in(struct kn_db *db, const struct kn_desk_in *in, const struct kn_desk_pet *pt,
                         const char *day, long long *req, struct kn_err *err)
{
	char next[11], note[sizeof err->msg];
	kn_day today;
	kn_status s = kn_date_parse(day, &today, err);
	if (s != KN_OK)
		return s;
	kn_date_format(today + 1, next);
	struct kn_request_in r = {
		.owner_id = pt->owner, .service = in->service, .start = day,
		.end = strcmp(in->service, "boarding") == 0 ? next : NULL,
		.note = "walk-in at the desk", .pets = { pt->id }, .npets = 1, .force = in->force,
	};
	if ((s = kn_request_add(db, &r, req, err)) != KN_OK)
		return s;
	s = kn_request_decide(db, *req, "approve", "walk-in at the desk", in->force, err);
	if (s == KN_FAIL) {
		/* the rule's reason, without the request the refusal rolls back */
		const char *why = strstr(err->msg, ": ");
		snprintf(note, sizeof note, "%s", why ? why + 2 : err->msg);
		kn_err_clear(err);
		kn_err_set(err, KN_FAIL, "%s cannot be signed in to %s as a walk-in: %s; --force "
		           "signs in anyway, recorded as forced", pt->name, in->service, note);
	}
	return s;
}

static kn_status sign_in_one(struct kn_db *db, const struct kn_desk_in *in, const char *ref,
                             const char *in_at, long long area, long long *visit,
                             struct kn_err *err)
{
	struct kn_desk_pet pt;
	struct kn_desk_visit now_in;
	char day[11], service[16] = "";
	long long req = 0;
	int forced = 0;
	kn_status s = kn_desk_pet(db, ref, &pt, err);
	if (s != KN_OK || (s = kn_desk_visit_in(db, &pt, &now_in, err)) != KN_OK)
		return s;
	if (now_in.id)
		return kn_err_set(err, KN_FAIL, "%s is already signed in to %s since %.5s (visit %lld)",
		                  pt.name, now_in.service, now_in.in_at + 11, now_in.id);
	snprintf(day, sizeof day, "%.10s", in_at);
	if ((s = booking(db, &pt, day, in->service, in->request_id, &req, service, err)) != KN_OK)
		return s;
	if (req == 0 && in->service == NULL)
		return kn_err_set(err, KN_FAIL, "%s has no approved booking today: --service S signs "
		                  "%s in as a walk-in", pt.name, pt.name);
	if (req && (s = out_already(db, &pt, req, day, err)) != KN_OK)
		return s;
	if (req == 0) {
		if ((s = walk_in(db, in, &pt, day, &req, err)) != KN_OK)
			return s;
		snprintf(service, sizeof service, "%s", in->service);
		forced = in->force;
	}
	sqlite3_stmt *st;
	if ((s = kn_cached(db, "INSERT INTO visits (pet_id, owner_id, service, request_id, area_id,"
	                        " day, in_at, forced, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &st,
	                   err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, pt.id);
	sqlite3_bind_int64(st, 2, pt.owner);
	sqlite3_bind_text(st, 3, service, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, req);
	if (area)
		sqlite3_bind_int64(st, 5, area);
	sqlite3_bind_text(st, 6, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, in_at, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, forced);
	kn_bind_text(st, 9, in->note);
	if ((s = kn_step_done(db, st, "signing in", err)) != KN_OK)
		return s;
	*visit = sqlite3_last_insert_rowid(db->h);
	return kn_audit(db, "visit", *visit, err, "%s signed in to %s (request %lld)%s", pt.name,
	                service, req, forced ? ", forced" : "");
}

/* The pets a request books, for --request REQ without pets. */
static kn_status request_pets(struct kn_db *db, long long req, char ***refs, int *n,
                              struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_prepare(db, "SELECT pet_id FROM request_pets WHERE request_id = ?"
	                             " ORDER BY pet_id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, req);
	*n = 0;
	*refs = kn_xcalloc(KN_MAX_PETS, sizeof **refs);
	while ((s = kn_step_row(db, st, &row, "reading the request", err)) == KN_OK && row &&
	       *n < KN_MAX_PETS) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(st, 0));
		(*refs)[(*n)++] = kn_xstrdup(id);
	}
	sqlite3_finalize(st);
	if (s == KN_OK && *n == 0)
		s = kn_err_set(err, KN_FAIL, "request %lld not found", req);
	return s;
}

kn_status kn_desk_in(struct kn_db *db, const struct kn_desk_in *in, long long **visits,
                     int *nvisits, struct kn_err *err)
{
	char in_at[20];
	long long area = 0, capacity = -1;
	char **own = NULL;
	int nown = 0;
	const char *const *pets = in->pets;
	int npets = in->npets;
	kn_status s = KN_OK;

	*visits = NULL;
	*nvisits = 0;
	if (in->service && (s = kn_service_check(in->service, err)) != KN_OK)
		return s;
	if (npets == 0 && in->request_id == 0)
		return kn_err_set(err, KN_USAGE, "desk in needs a PET (or --request REQ)");
	if ((s = kn_desk_time(in->at, in_at, err)) != KN_OK)
		return s;
	if (in->area && (s = kn_area_find(db, in->area, &area, &capacity, err)) != KN_OK)
		return s;
	if (npets == 0) {
		if ((s = request_pets(db, in->request_id, &own, &nown, err)) != KN_OK)
			goto done;
		pets = (const char *const *)own;
		npets = nown;
	}
	*visits = kn_xcalloc((size_t)npets, sizeof **visits);
	for (int i = 0; i < npets && s == KN_OK; i++) {
		if (area && (s = kn_area_room(db, area, capacity, in->area, in->force, err)) != KN_OK)
			break;
		s = sign_in_one(db, in, pets[i], in_at, area, &(*visits)[i], err);
		if (s == KN_OK)
			(*nvisits)++;
	}
done:
	for (int i = 0; i < nown; i++)
		free(own[i]);
	free(own);
	return s;
}

kn_status kn_desk_move(struct kn_db *db, const char *ref, const char *area_name, int force,
                       long long *visit, struct kn_err *err)
{
	struct kn_desk_pet pt;
	struct kn_desk_visit v;
	long long area, capacity;
	sqlite3_stmt *st;
	kn_status s = kn_desk_pet(db, ref, &pt, err);
	if (s != KN_OK || (s = kn_desk_visit_in(db, &pt, &v, err)) != KN_OK)
		return s;
	*visit = v.id;
	if (*visit == 0)
		return kn_err_set(err, KN_FAIL, "%s is not signed in (kennel desk in %s)", pt.name,
		                  pt.name);
	if ((s = kn_area_find(db, area_name, &area, &capacity, err)) != KN_OK ||
	    (s = kn_area_room(db, area, capacity, area_name, force, err)) != KN_OK)
		return s;
	if ((s = kn_cached(db, "UPDATE visits SET area_id = ? WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, area);
	sqlite3_bind_int64(st, 2, *visit);
	if ((s = kn_step_done(db, st, "moving the pet", err)) != KN_OK)
		return s;
	return kn_audit(db, "visit", *visit, err, "%s moved to %s", pt.name, area_name);
}
