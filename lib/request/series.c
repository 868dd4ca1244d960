/*
 * Standing bookings (SPEC series): a regular's weekly days, every N
 * weeks, as ordinary requests of one series made recur.horizon_days ahead
 * and extended by 'series extend' (cron).  One request per series and
 * day (a unique index), so an extend run twice makes nothing twice.  With
 * approve, each occurrence is decided by the approval rules as it is
 * made; a refused one stays pending, named with its reasons.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "request/kn_request.h"

static const char *const weekdays[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

/* "mon,wed,fri" as a mask of kn_weekday() bits, written back canonical */
static kn_status days_parse(const char *text, unsigned *mask, char out[32], struct kn_err *err)
{
	*mask = 0;
	if (text == NULL || *text == '\0')
		return kn_err_set(err, KN_USAGE, "a standing booking needs --days (mon,wed,fri)");
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, ",");
		int found = -1;
		for (int d = 0; d < 7; d++)
			if (n == 3 && strncasecmp(p, weekdays[d], 3) == 0)
				found = d;
		if (found < 0)
			return kn_err_set(err, KN_USAGE, "invalid weekday '%.*s' in --days (use mon, tue, "
			                  "wed, thu, fri, sat, sun)", (int)n, p);
		if (*mask & (1u << found))
			return kn_err_set(err, KN_USAGE, "--days names %s twice", weekdays[found]);
		*mask |= 1u << found;
		p += n;
		if (*p == ',')
			p++;
	}
	out[0] = '\0';
	for (int d = 1; d <= 7; d++) /* monday first */
		if (*mask & (1u << (d % 7)))
			snprintf(out + strlen(out), 32 - strlen(out), "%s%s", out[0] ? "," : "",
			         weekdays[d % 7]);
	return KN_OK;
}

/* A series as stored, read for making its occurrences. */
struct series {
	long long id, owner, every, product, pets[KN_MAX_PETS];
	int npets, approve;
	unsigned mask;
	char service[16], days[32], from[11], until[11], made[11], time[6], note[512];
};

static kn_status series_load(struct kn_db *db, long long id, struct series *sr,
                             struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	memset(sr, 0, sizeof *sr);
	kn_status s = kn_cached(db, "SELECT owner_id, service, days, every, from_date,"
	                            " coalesce(until_date, ''), coalesce(start_time, ''),"
	                            " coalesce(product_id, 0), coalesce(note, ''), approve,"
	                            " coalesce(made_through, ''), ended_at IS NOT NULL"
	                            " FROM series WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int ended = 0;
	if ((s = kn_step_row(db, st, &row, "reading the series", err)) == KN_OK && row) {
		sr->id = id;
		sr->owner = sqlite3_column_int64(st, 0);
		snprintf(sr->service, sizeof sr->service, "%s", kn_col_text(st, 1));
		snprintf(sr->days, sizeof sr->days, "%s", kn_col_text(st, 2));
		sr->every = sqlite3_column_int64(st, 3);
		snprintf(sr->from, sizeof sr->from, "%s", kn_col_text(st, 4));
		snprintf(sr->until, sizeof sr->until, "%s", kn_col_text(st, 5));
		snprintf(sr->time, sizeof sr->time, "%s", kn_col_text(st, 6));
		sr->product = sqlite3_column_int64(st, 7);
		snprintf(sr->note, sizeof sr->note, "%s", kn_col_text(st, 8));
		sr->approve = sqlite3_column_int(st, 9);
		snprintf(sr->made, sizeof sr->made, "%s", kn_col_text(st, 10));
		ended = sqlite3_column_int(st, 11);
	} else if (s == KN_OK) {
		s = kn_err_set(err, KN_FAIL, "series %lld not found", id);
	}
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
	char ignored[32];
	if ((s = days_parse(sr->days, &sr->mask, ignored, err)) != KN_OK)
		return s;
	if (ended)
		sr->mask = 0; /* an ended series makes nothing more */
	if ((s = kn_cached(db, "SELECT pet_id FROM series_pets WHERE series_id = ? ORDER BY pet_id",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	while (sr->npets < KN_MAX_PETS &&
	       (s = kn_step_row(db, st, &row, "reading the series", err)) == KN_OK && row)
		sr->pets[sr->npets++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return s;
}

/* Approves one occurrence by the rules, or names why not. */
static kn_status approve_one(struct kn_db *db, long long req, kn_refused_cb refused, void *ud,
                             long long *approved, struct kn_err *err)
{
	struct kn_verdict v;
	kn_status s = kn_request_check(db, req, 0, &v, err);
	if (s != KN_OK)
		return s;
	if (v.refused) {
		if (refused)
			refused(ud, req, v.why);
		return KN_OK;
	}
	if ((s = kn_request_decide(db, req, "approve", NULL, 0, err)) == KN_OK)
		(*approved)++;
	return s;
}

/* One occurrence: a request of the series on day, with its pets; *made 0
 * when the series has that day already (the unique index: made before,
 * or skipped).  The series was checked whole when it was made, so this is
 * two cached statements, not a request add per day. */
static kn_status add_occurrence(struct kn_db *db, const struct series *sr, const char *day,
                                const char *now, long long *req, int *made, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_cached(db, "INSERT INTO requests (owner_id, service, start, end,"
	                            " requested_at, note, status, start_time, product_id, series_id)"
	                            " VALUES (?1, ?2, ?3, ?3, ?4, nullif(?5, ''), 'pending',"
	                            " nullif(?6, ''), nullif(?7, 0), ?8) ON CONFLICT DO NOTHING",
	                        &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, sr->owner);
	sqlite3_bind_text(st, 2, sr->service, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, sr->note, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, sr->time, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, sr->product);
	sqlite3_bind_int64(st, 8, sr->id);
	if ((s = kn_step_done(db, st, "making an occurrence", err)) != KN_OK)
		return s;
	*made = sqlite3_changes(db->h) == 1;
	if (!*made)
		return KN_OK;
	*req = sqlite3_last_insert_rowid(db->h);
	if ((s = kn_cached(db, "INSERT INTO request_pets (request_id, pet_id)"
	                        " SELECT ?1, pet_id FROM series_pets WHERE series_id = ?2", &st,
	                   err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, *req);
	sqlite3_bind_int64(st, 2, sr->id);
	return kn_step_done(db, st, "making an occurrence", err);
}

/* The occurrences of sr on the days after sr->made through `through`. */
static kn_status make_through(struct kn_db *db, struct series *sr, kn_day through,
                              struct kn_series_result *res, kn_refused_cb refused, void *ud,
                              struct kn_err *err)
{
	kn_day first, start, until = through, today = kn_today();
	kn_status s;
	if ((s = kn_date_parse(sr->from, &first, err)) != KN_OK)
		return s;
	start = first;
	if (sr->made[0]) {
		kn_day made;
		if ((s = kn_date_parse(sr->made, &made, err)) != KN_OK)
			return s;
		start = made + 1;
	}
	if (start < today)
		start = today;
	if (sr->until[0]) {
		kn_day u;
		if ((s = kn_date_parse(sr->until, &u, err)) != KN_OK)
			return s;
		if (u < until)
			until = u;
	}
	long long made_here = 0;
	char now[20];
	kn_now_text(now);
	/* weeks counted from the Monday of the first week */
	kn_day week0 = first - (kn_weekday(first) + 6) % 7;
	for (kn_day d = start; d <= until && sr->mask; d++) {
		if (!(sr->mask & (1u << kn_weekday(d))) || ((d - week0) / 7) % sr->every != 0)
			continue;
		char day[11];
		long long req;
		int made = 0;
		kn_date_format(d, day);
		if ((s = add_occurrence(db, sr, day, now, &req, &made, err)) != KN_OK)
			return s;
		if (!made)
			continue; /* made already: an extend run twice, or skipped */
		res->made++;
		made_here++;
		if (sr->approve && (s = approve_one(db, req, refused, ud, &res->approved, err)) != KN_OK)
			return s;
	}
	char through_text[11];
	kn_date_format(until < start ? start - 1 : until, through_text);
	sqlite3_stmt *st;
	if (made_here &&
	    (s = kn_audit(db, "series", sr->id, err, "%lld occurrences made through %s", made_here,
	                  through_text)) != KN_OK)
		return s;
	if ((s = kn_cached(db, "UPDATE series SET made_through = max(coalesce(made_through, ''), ?)"
	                        " WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, through_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, sr->id);
	return kn_step_done(db, st, "extending the series", err);
}

static kn_status horizon(struct kn_db *db, kn_day *through, struct kn_err *err)
{
	long long days = 56;
	kn_status s = kn_pref_int(db, "recur.horizon_days", &days, err);
	*through = kn_today() + (kn_day)(days > 0 ? days : 0);
	return s;
}

kn_status kn_series_create(struct kn_db *db, const struct kn_series_in *in, long long *id,
                           struct kn_series_result *res, kn_refused_cb refused, void *ud,
                           struct kn_err *err)
{
	unsigned mask;
	char days[32], from[11], until[11] = "", now[20];
	kn_day f, u = 0, through;
	long long product = 0;
	kn_status s;

	memset(res, 0, sizeof *res);
	if ((s = kn_service_check(in->service, err)) != KN_OK)
		return s;
	if (strcmp(in->service, "boarding") == 0)
		return kn_err_set(err, KN_USAGE, "a standing booking is for daycare, grooming, training "
		                  "or service: book a stay with 'kennel request add'");
	if ((s = days_parse(in->days, &mask, days, err)) != KN_OK)
		return s;
	if (in->every < 0 || in->every > 8)
		return kn_err_set(err, KN_USAGE, "--every %lld: every 1 to 8 weeks", in->every);
	if (in->npets < 1)
		return kn_err_set(err, KN_USAGE, "a standing booking needs --pet");
	if (in->time && !kn_clock_ok(in->time))
		return kn_err_set(err, KN_USAGE, "invalid --time '%s' (use HH:MM)", in->time);
	if (in->from == NULL)
		return kn_err_set(err, KN_USAGE, "a standing booking needs --from DATE");
	if ((s = kn_date_parse(in->from, &f, err)) != KN_OK)
		return s;
	kn_date_format(f, from);
	if (in->until) {
		if ((s = kn_date_parse(in->until, &u, err)) != KN_OK)
			return s;
		if (u < f)
			return kn_err_set(err, KN_FAIL, "--until %s is before --from %s", in->until,
			                  in->from);
		if (u - f > 731)
			return kn_err_set(err, KN_FAIL, "a standing booking of %ld days is longer than two "
			                  "years: end it by --until within two years of --from", u - f);
		kn_date_format(u, until);
	}
	if (in->product && (s = kn_request_product(db, in->service, in->product, &product, err)) !=
	                       KN_OK)
		return s;
	sqlite3_stmt *st;
	for (int i = 0; i < in->npets; i++) {
		int row = 0;
		if ((s = kn_cached(db, "SELECT 1 FROM pets WHERE id = ? AND owner_id = ?", &st, err)) !=
		    KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, in->pets[i]);
		sqlite3_bind_int64(st, 2, in->owner_id);
		s = kn_step_row(db, st, &row, "reading the pets", err);
		sqlite3_reset(st);
		if (s == KN_OK && !row)
			s = kn_err_set(err, KN_FAIL, "pet %lld is not owner %lld's", in->pets[i],
			               in->owner_id);
		if (s != KN_OK)
			return s;
	}
	kn_now_text(now);
	if ((s = kn_cached(db, "INSERT INTO series (owner_id, service, days, every, from_date,"
	                        " until_date, start_time, product_id, note, approve, created_at)"
	                        " VALUES (?, ?, ?, ?, ?, nullif(?, ''), ?, nullif(?, 0), ?, ?, ?)",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, in->owner_id);
	sqlite3_bind_text(st, 2, in->service, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, days, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, in->every ? in->every : 1);
	sqlite3_bind_text(st, 5, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, until, -1, SQLITE_STATIC);
	kn_bind_text(st, 7, in->time);
	sqlite3_bind_int64(st, 8, product);
	kn_bind_text(st, 9, in->note);
	sqlite3_bind_int(st, 10, in->approve);
	sqlite3_bind_text(st, 11, now, -1, SQLITE_STATIC);
	if ((s = kn_step_done(db, st, "adding the series", err)) != KN_OK)
		return s;
	*id = sqlite3_last_insert_rowid(db->h);
	for (int i = 0; i < in->npets; i++) {
		if ((s = kn_cached(db, "INSERT INTO series_pets (series_id, pet_id) VALUES (?, ?)"
		                        " ON CONFLICT DO NOTHING", &st, err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, in->pets[i]);
		if ((s = kn_step_done(db, st, "adding the series' pets", err)) != KN_OK)
			return s;
	}
	if ((s = kn_audit(db, "series", *id, err, "%s on %s every %lld week(s) from %s%s%s",
	                  in->service, days, in->every ? in->every : 1, from,
	                  until[0] ? " until " : "", until)) != KN_OK)
		return s;
	struct series sr;
	if ((s = series_load(db, *id, &sr, err)) != KN_OK || (s = horizon(db, &through, err)) != KN_OK)
		return s;
	return make_through(db, &sr, through, res, refused, ud, err);
}

kn_status kn_series_extend(struct kn_db *db, struct kn_series_result *res, kn_refused_cb refused,
                           void *ud, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_day through;
	kn_status s = horizon(db, &through, err);
	memset(res, 0, sizeof *res);
	if (s != KN_OK)
		return s;
	char day[11];
	kn_date_format(through, day);
	/* the active series not yet made through the horizon */
	if ((s = kn_prepare(db, "SELECT id FROM series WHERE ended_at IS NULL"
	                        " AND coalesce(made_through, '') < ?1"
	                        " AND (until_date IS NULL OR coalesce(made_through, '') < until_date)"
	                        " ORDER BY id", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	int row = 0;
	while ((s = kn_step_row(db, st, &row, "reading the series", err)) == KN_OK && row) {
		struct series sr;
		if ((s = series_load(db, sqlite3_column_int64(st, 0), &sr, err)) != KN_OK ||
		    (s = make_through(db, &sr, through, res, refused, ud, err)) != KN_OK)
			break;
		res->series++;
	}
	sqlite3_finalize(st);
	return s;
}

kn_status kn_series_approve(struct kn_db *db, long long id, struct kn_series_result *res,
                            kn_refused_cb refused, void *ud, struct kn_err *err)
{
	sqlite3_stmt *st;
	struct series sr;
	memset(res, 0, sizeof *res);
	kn_status s = series_load(db, id, &sr, err);
	if (s != KN_OK)
		return s;
	if ((s = kn_prepare(db, "SELECT id FROM requests WHERE series_id = ? AND status = 'pending'"
	                        " ORDER BY start", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	long long *ids;
	size_t n;
	s = kn_ids_read(db, st, &ids, &n, "reading the series", err);
	sqlite3_finalize(st);
	for (size_t i = 0; s == KN_OK && i < n; i++)
		s = approve_one(db, ids[i], refused, ud, &res->approved, err);
	free(ids);
	return s;
}

/* Cancels the series' open occurrences from day on (through: that day only). */
static kn_status cancel_from(struct kn_db *db, long long id, const char *day, int only,
                             const char *note, long long *n, struct kn_err *err)
{
	sqlite3_stmt *st;
	long long *ids;
	size_t count;
	kn_status s = kn_prepare(db, "SELECT id FROM requests WHERE series_id = ?1"
	                             " AND status IN ('pending', 'approved')"
	                             " AND (start = ?2 OR (NOT ?3 AND start > ?2)) ORDER BY start",
	                         &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, only);
	s = kn_ids_read(db, st, &ids, &count, "reading the series", err);
	sqlite3_finalize(st);
	for (size_t i = 0; s == KN_OK && i < count; i++)
		s = kn_request_decide(db, ids[i], "cancel", note, 0, err);
	free(ids);
	*n = (long long)count;
	return s;
}

kn_status kn_series_skip(struct kn_db *db, long long id, const char *date, const char *note,
                         struct kn_err *err)
{
	struct series sr;
	kn_day d;
	char day[11];
	long long n = 0;
	kn_status s = series_load(db, id, &sr, err);
	if (s != KN_OK || (s = kn_date_parse(date, &d, err)) != KN_OK)
		return s;
	kn_date_format(d, day);
	if ((s = cancel_from(db, id, day, 1, note ? note : "skipped", &n, err)) != KN_OK)
		return s;
	if (n == 0)
		return kn_err_set(err, KN_FAIL, "series %lld has no open occurrence on %s", id, day);
	return kn_audit(db, "series", id, err, "skipped %s%s%s", day, note ? ": " : "",
	                note ? note : "");
}

kn_status kn_series_end(struct kn_db *db, long long id, const char *from, long long *cancelled,
                        struct kn_err *err)
{
	struct series sr;
	kn_day d = kn_today();
	char day[11], last[11], now[20];
	kn_status s = series_load(db, id, &sr, err);
	if (s != KN_OK || (from && (s = kn_date_parse(from, &d, err)) != KN_OK))
		return s;
	kn_date_format(d, day);
	kn_date_format(d - 1, last);
	/* from that day on: the day itself and every later one */
	if ((s = cancel_from(db, id, day, 1, "series ended", cancelled, err)) != KN_OK)
		return s;
	long long later = 0;
	if ((s = cancel_from(db, id, day, 0, "series ended", &later, err)) != KN_OK)
		return s;
	*cancelled += later;
	sqlite3_stmt *st;
	kn_now_text(now);
	if ((s = kn_cached(db, "UPDATE series SET until_date = CASE WHEN until_date IS NULL"
	                        " OR until_date > ?1 THEN ?1 ELSE until_date END,"
	                        " ended_at = CASE WHEN ?1 < ?3 THEN ?2 END WHERE id = ?4", &st, err)) !=
	    KN_OK)
		return s;
	char today[11];
	kn_date_format(kn_today(), today);
	sqlite3_bind_text(st, 1, last, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, today, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, id);
	if ((s = kn_step_done(db, st, "ending the series", err)) != KN_OK)
		return s;
	return kn_audit(db, "series", id, err, "ended from %s: %lld occurrences cancelled", day,
	                *cancelled);
}

#define SERIES_COLUMNS                                                                        \
	"s.id, s.owner_id, o.first_name || ' ' || o.last_name, s.service, s.days, s.every,"        \
	" s.from_date, s.until_date, s.start_time, (SELECT name FROM products WHERE id ="           \
	" s.product_id), s.note, s.approve, s.made_through, s.ended_at IS NOT NULL,"                \
	" (SELECT group_concat(p.name, ', ') FROM series_pets sp JOIN pets p ON p.id = sp.pet_id"   \
	"  WHERE sp.series_id = s.id),"                                                             \
	" (SELECT count(*) FROM requests r WHERE r.series_id = s.id AND r.status = 'approved'"      \
	"  AND r.start >= ?2), (SELECT count(*) FROM requests r WHERE r.series_id = s.id"           \
	"  AND r.status = 'pending')"

static void series_fields(struct kn_printer *p, sqlite3_stmt *st)
{
	kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
	kn_put_int(p, "owner_id", sqlite3_column_int64(st, 1), 0);
	kn_put_str(p, "owner", kn_col_text(st, 2), 1);
	kn_put_str(p, "pets", kn_col_text(st, 14), 1);
	kn_put_str(p, "service", kn_col_text(st, 3), 1);
	kn_put_str(p, "days", kn_col_text(st, 4), 1);
	kn_put_int(p, "every", sqlite3_column_int64(st, 5), 1);
	kn_put_str(p, "from", kn_col_text(st, 6), 1);
	kn_put_str(p, "until", kn_col_text(st, 7), 1);
	kn_put_str(p, "time", kn_col_text(st, 8), 0);
	kn_put_str(p, "product", kn_col_text(st, 9), 0);
	kn_put_str(p, "note", kn_col_text(st, 10), 0);
	kn_put_bool(p, "approve", sqlite3_column_int(st, 11), 0);
	kn_put_str(p, "made_through", kn_col_text(st, 12), 0);
	kn_put_str(p, "status", sqlite3_column_int(st, 13) ? "ended" : "active", 1);
	kn_put_int(p, "upcoming", sqlite3_column_int64(st, 15), 1);
	kn_put_int(p, "pending", sqlite3_column_int64(st, 16), 1);
}

kn_status kn_series_list(struct kn_db *db, long long owner, long long id, struct kn_printer *p,
                         struct kn_err *err)
{
	sqlite3_stmt *st;
	char today[11];
	kn_status s = kn_prepare(db, "SELECT " SERIES_COLUMNS " FROM series s JOIN owners o"
	                             " ON o.id = s.owner_id WHERE (?1 = 0 OR s.owner_id = ?1)"
	                             " AND (?3 = 0 OR s.id = ?3) ORDER BY s.id", &st, err);
	if (s != KN_OK)
		return s;
	kn_date_format(kn_today(), today);
	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	int row = 0, n = 0;
	if (id == 0)
		kn_list_begin(p);
	while ((s = kn_step_row(db, st, &row, "listing series", err)) == KN_OK && row) {
		kn_rec_begin(p);
		series_fields(p, st);
		if (id) {
			sqlite3_stmt *occ;
			kn_arr_begin(p, "occurrences");
			if ((s = kn_prepare(db, "SELECT id, start, coalesce(start_time, ''), status, reason"
			                        " FROM requests WHERE series_id = ? ORDER BY start", &occ,
			                    err)) == KN_OK) {
				sqlite3_bind_int64(occ, 1, id);
				int orow = 0;
				while ((s = kn_step_row(db, occ, &orow, "listing occurrences", err)) == KN_OK &&
				       orow) {
					kn_obj_begin(p, NULL);
					kn_put_int(p, "request_id", sqlite3_column_int64(occ, 0), 1);
					kn_put_str(p, "date", kn_col_text(occ, 1), 1);
					kn_put_str(p, "time", kn_col_text(occ, 2), 1);
					kn_put_str(p, "status", kn_col_text(occ, 3), 1);
					kn_put_str(p, "reason", kn_col_text(occ, 4), 1);
					kn_nest_end(p);
				}
				sqlite3_finalize(occ);
			}
			kn_nest_end(p);
		}
		kn_rec_end(p);
		n++;
		if (s != KN_OK)
			break;
	}
	if (id == 0)
		kn_list_end(p);
	sqlite3_finalize(st);
	if (s == KN_OK && id && n == 0)
		return kn_err_set(err, KN_FAIL, "series %lld not found", id);
	return s;
}
