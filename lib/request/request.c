/*
 * Service requests: an owner's wish for a service on dates, approved or
 * declined against the rules: capacity per service and day, closed periods,
 * required vaccinations current through the last day, a passed temperament
 * test for daycare and boarding when the preference asks for one.
 *
 * Boarding occupies the nights start <= d < end; the other services occupy
 * their days start..end.  Each pet takes one unit of capacity on each day.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order/kn_order.h"
#include "request/kn_request.h"

static const char *const services[5] = { "boarding", "daycare", "grooming", "training",
	                                         "service" };

/* the index of a service in services[]; -1 for none */
static int service_index(const char *s)
{
	for (int i = 0; i < 5; i++)
		if (strcmp(s, services[i]) == 0)
			return i;
	return -1;
}

int kn_service_ok(const char *s)
{
	return service_index(s) >= 0;
}

kn_status kn_service_check(const char *service, struct kn_err *err)
{
	if (kn_service_ok(service))
		return KN_OK;
	return kn_err_set(err, KN_USAGE, "invalid service '%s' (choose boarding, daycare, "
	                  "grooming, training, service)", service);
}

/* the occupied days, first and last inclusive */
void kn_request_days(const char *service, kn_day start, kn_day end, kn_day *first, kn_day *last)
{
	*first = start;
	*last = strcmp(service, "boarding") == 0 ? end - 1 : end;
}

kn_status kn_request_when(const char *text, const char *what, kn_day *day, char time[6],
                          struct kn_err *err)
{
	char date[11];
	time[0] = '\0';
	if (!text || strlen(text) <= 10 || text[10] != 'T')
		return kn_date_parse(text, day, err);
	const char *t = text + 11;
	if (!kn_clock_ok(t))
		return kn_err_set(err, KN_FAIL, "invalid %s '%s' (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)",
		                  what, text);
	memcpy(date, text, 10);
	date[10] = '\0';
	memcpy(time, t, 6);
	return kn_date_parse(date, day, err);
}

/* Add-ons are the items shown to owners that are neither boarding nor
 * daycare (kennel product addons), and only a boarding stay has them. */
kn_status kn_request_addons(struct kn_db *db, long long id, const char *service,
                            const char *const *addons, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = KN_OK;
	if (addons && *addons && strcmp(service, "boarding") != 0)
		return kn_err_set(err, KN_FAIL, "add-on '%s': only a boarding request has add-ons",
		                  addons[0]);
	for (const char *const *a = addons; a && *a && s == KN_OK; a++) {
		long long product;
		int ok = 0;
		if ((s = kn_product_resolve(db, *a, &product, err)) != KN_OK)
			return s;
		if ((s = kn_prepare(db, "SELECT active AND show_to_owner AND type NOT IN ('boarding',"
		                        " 'daycare') FROM products WHERE id = ?", &st, err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, product);
		ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (!ok)
			return kn_err_set(err, KN_FAIL, "product '%s' is not an add-on (see kennel product "
			                  "addons)", *a);
		if ((s = kn_prepare(db, "INSERT INTO request_addons (request_id, product_id)"
		                        " VALUES (?, ?) ON CONFLICT DO NOTHING", &st, err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, product);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "adding an add-on");
		sqlite3_finalize(st);
	}
	return s;
}

kn_status kn_request_add(struct kn_db *db, const struct kn_request_in *in, long long *id,
                         struct kn_err *err)
{
	char start[11], end[11], now[20], start_time[6], end_time[6] = "";
	kn_day s_day, e_day;
	sqlite3_stmt *st;
	kn_status s;

	if ((s = kn_service_check(in->service, err)) != KN_OK)
		return s;
	if (in->npets < 1)
		return kn_err_set(err, KN_USAGE, "a request needs --pet");
	if ((s = kn_request_when(in->start, "start", &s_day, start_time, err)) != KN_OK)
		return s;
	e_day = s_day;
	if (in->end && (s = kn_request_when(in->end, "end", &e_day, end_time, err)) != KN_OK)
		return s;
	if (strcmp(in->service, "boarding") == 0 && e_day <= s_day)
		return kn_err_set(err, KN_FAIL, "a boarding request needs --end after --start (the "
		                  "nights start <= d < end)");
	if (e_day < s_day)
		return kn_err_set(err, KN_FAIL, "the end '%s' is before the start '%s'", in->end,
		                  in->start);
	if (strcmp(in->service, "boarding") == 0 && !in->force) {
		long long max;
		if ((s = kn_pref_int(db, "portal.max_nights", &max, err)) != KN_OK)
			return s;
		if (max > 0 && e_day - s_day > max)
			return kn_err_set(err, KN_FAIL, "a stay of %lld nights is longer than "
			                  "portal.max_nights (%lld); --force books it",
			                  (long long)(e_day - s_day), max);
	}
	for (int i = 0; i < in->npets; i++)
		for (int j = 0; j < i; j++)
			if (in->pets[i] == in->pets[j])
				return kn_err_set(err, KN_FAIL, "pet %lld is named twice", in->pets[i]);
	long long product = 0;
	if (in->product && (s = kn_request_product(db, in->service, in->product, &product, err)) !=
	                       KN_OK)
		return s;
	/* the booking windows: staff pass --force; imports and occurrences
	 * are not owners booking */
	if (!in->force && in->requested_at == NULL && in->series_id == 0) {
		char day[11];
		kn_date_format(s_day, day);
		if ((s = kn_request_window(db, in->owner_id, day, start_time, 0, err)) != KN_OK)
			return s;
	}
	for (int i = 0; i < in->npets; i++) {
		if ((s = kn_prepare(db, "SELECT owner_id FROM pets WHERE id = ?", &st, err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, in->pets[i]);
		int mine = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == in->owner_id;
		sqlite3_finalize(st);
		if (!mine)
			return kn_err_set(err, KN_FAIL, "pet %lld is not owner %lld's", in->pets[i],
			                  in->owner_id);
	}
	kn_date_format(s_day, start);
	kn_date_format(e_day, end);
	kn_now_text(now);
	if ((s = kn_prepare(db, "INSERT INTO requests (owner_id, service, start, end, requested_at,"
	                        " note, status, start_time, end_time, product_id, series_id,"
	                        " replaces_id) VALUES (?, ?, ?, ?, ?, ?, coalesce(?, 'pending'),"
	                        " nullif(?, ''), nullif(?, ''), nullif(?, 0), nullif(?, 0),"
	                        " nullif(?, 0))",
	                    &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 10, product);
	sqlite3_bind_int64(st, 11, in->series_id);
	sqlite3_bind_int64(st, 12, in->replaces_id);
	sqlite3_bind_int64(st, 1, in->owner_id);
	sqlite3_bind_text(st, 2, in->service, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, start, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, end, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, in->requested_at ? in->requested_at : now, -1, SQLITE_STATIC);
	kn_bind_text(st, 6, in->note);
	kn_bind_text(st, 7, in->status);
	sqlite3_bind_text(st, 8, start_time, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, end_time, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "adding request");
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	*id = sqlite3_last_insert_rowid(db->h);
	for (int i = 0; i < in->npets && s == KN_OK; i++) {
		if ((s = kn_prepare(db, "INSERT INTO request_pets (request_id, pet_id) VALUES (?, ?)"
		                        " ON CONFLICT DO NOTHING", &st, err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_int64(st, 2, in->pets[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "adding request");
		sqlite3_finalize(st);
	}
	if (s == KN_OK)
		s = kn_request_addons(db, *id, in->service, in->addons, err);
	if (s == KN_OK)
		s = kn_audit(db, "request", *id, err, "%s requested by owner %lld", in->service,
		             in->owner_id);
	/* booked at once (the portal's schedule mode, staff's --approve) */
	if (s == KN_OK && in->status && strcmp(in->status, "approved") == 0)
		s = kn_deposit_invoice(db, *id, err);
	return s;
}

kn_status kn_request_load(struct kn_db *db, long long id, struct kn_req *r, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT service, start, end, status, requested_at FROM requests"
	                             " WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	memset(r, 0, sizeof *r);
	sqlite3_bind_int64(st, 1, id);
	int row = 0;
	if ((s = kn_step_row(db, st, &row, "reading the request", err)) != KN_OK || !row) {
		sqlite3_finalize(st);
		return s != KN_OK ? s : kn_err_set(err, KN_FAIL, "request %lld not found", id);
	}
	r->id = id;
	snprintf(r->service, sizeof r->service, "%s", kn_col_text(st, 0));
	kn_day start = 0, end = 0;
	kn_date_parse(kn_col_text(st, 1), &start, NULL);
	kn_date_parse(kn_col_text(st, 2), &end, NULL);
	kn_request_days(r->service, start, end, &r->first, &r->last);
	snprintf(r->status, sizeof r->status, "%s", kn_col_text(st, 3));
	snprintf(r->requested_at, sizeof r->requested_at, "%s", kn_col_text(st, 4));
	sqlite3_finalize(st);
	if ((s = kn_prepare(db, "SELECT pet_id FROM request_pets WHERE request_id = ? ORDER BY pet_id",
	                    &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW && r->npets < KN_MAX_PETS)
		r->pets[r->npets++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return KN_OK;
}

/* Units per day: the override for that date, else the every-day figure;
 * *limited 0 when neither is set (unlimited). */
kn_status kn_capacity_on(struct kn_db *db, const char *service, kn_day day, int *limited,
                         long long *units, struct kn_err *err)
{
	char d[11];
	sqlite3_stmt *st;
	kn_status s;

	kn_date_format(day, d);
	if ((s = kn_cached(db, "SELECT units FROM capacity WHERE service = ? AND day IN (?, '')"
	                       " ORDER BY day DESC LIMIT 1", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	*limited = rc == SQLITE_ROW;
	*units = *limited ? sqlite3_column_int64(st, 0) : 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		s = kn_sql_fail(db, err, "reading capacity");
	sqlite3_reset(st);
	return s;
}

/* A request of the service with day d among its days (a stay's nights
 * start <= d < end). */
#define KN_ON_DAY(r) \
	" " r ".service = ?1 AND " r ".start <= ?2 AND (CASE WHEN " r ".service = 'boarding'" \
	" THEN " r ".end > ?2 ELSE " r ".end >= ?2 END)"

/* Units requests of a service and status take on a day.  Approved units
 * include those a waitlist offer holds while it is open: the spot is kept
 * for the owner it was offered to (SPEC waitlist). */
kn_status kn_units_taken(struct kn_db *db, const char *service, kn_day day, const char *status,
                         long long *n, struct kn_err *err)
{
	char d[11], now[20];
	sqlite3_stmt *st;
	kn_status s;

	kn_date_format(day, d);
	kn_now_text(now);
	/* two counts: the held one walks the few open offers, never the
	 * waitlist */
	if ((s = kn_cached(db, "SELECT (SELECT count(*) FROM requests r JOIN request_pets p"
	                       "  ON p.request_id = r.id WHERE r.status = ?3 AND" KN_ON_DAY("r") ")"
	                       " + CASE WHEN ?3 = 'approved' THEN (SELECT count(*)"
	                       "  FROM waitlist_offers o CROSS JOIN requests w ON w.id = o.request_id"
	                       "  JOIN request_pets p ON p.request_id = w.id"
	                       "  WHERE o.used_at IS NULL AND o.ended_at IS NULL AND o.expires_at > ?4"
	                       "  AND w.status = 'waitlisted' AND" KN_ON_DAY("w") ") ELSE 0 END",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, service, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		s = kn_sql_fail(db, err, "counting units taken");
	sqlite3_reset(st);
	return s;
}

/* The rules but capacity: a closed period, vaccinations, temperament.
 * 1 and why filled when one refuses. */
static int pref_true(struct kn_db *db, const char *key, struct kn_err *err, kn_status *s)
{
	char *v = NULL;
	int yes = 0;
	if (*s == KN_OK && (*s = kn_pref_get(db, key, &v, NULL, err)) == KN_OK)
		yes = strcmp(v, "true") == 0;
	free(v);
	return yes;
}

kn_status kn_rules_load(struct kn_db *db, struct kn_rules *rules, struct kn_err *err)
{
	kn_status s = KN_OK;

	memset(rules, 0, sizeof *rules);
	rules->require_vaccinations = pref_true(db, "portal.require_current_vaccinations", err, &s);
	rules->require_temperament = pref_true(db, "portal.require_temperament_test", err, &s);
	for (int i = 0; i < 5 && s == KN_OK; i++) {
		s = kn_required_vaccines_for(db, services[i], &rules->required[i], err);
		kn_buf_add(&rules->required[i], "", 1); /* a C string for the bind */
	}
	return s;
}

void kn_rules_free(struct kn_rules *rules)
{
	for (int i = 0; i < 5; i++)
		kn_buf_free(&rules->required[i]);
}

/* A step of the rules: a statement that cannot run refuses, never approves. */
static kn_status rule_row(struct kn_db *db, sqlite3_stmt *st, int *row, struct kn_err *err)
{
	return kn_step_row(db, st, row, "checking the request rules", err);
}

/* One rule refuses: its reason joins the others in why (every failing
 * rule is told, so the first to trip hides none behind it). */
static void refuse(struct kn_rules *rules, unsigned bit, struct kn_verdict *v, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));
static void refuse(struct kn_rules *rules, unsigned bit, struct kn_verdict *v, const char *fmt,
                   ...)
{
	char *why = v->why;
	size_t whylen = sizeof v->why, used = strlen(why);
	va_list ap;
	/* staff read one line of reasons; the owner, sentences */
	const char *sep = rules->owner_words ? " " : "; ";
	if (used > 0 && used + strlen(sep) < whylen) {
		memcpy(why + used, sep, strlen(sep) + 1);
		used += strlen(sep);
	}
	if (used < whylen) {
		va_start(ap, fmt);
		vsnprintf(why + used, whylen - used, fmt, ap);
		va_end(ap);
	}
	v->refused = 1;
	v->failed |= bit;
}

static kn_status rule_closed(struct kn_db *db, struct kn_rules *rules, const struct kn_req *r,
                             const char *first, const char *last, struct kn_verdict *v, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT id, reason, max(start, ?2), start, end FROM blocks WHERE"
	                            " (service IS NULL OR"
	                            " service = ?1) AND start <= ?3 AND end >= ?2 ORDER BY start LIMIT 1",
	                        &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, r->service, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, last, -1, SQLITE_STATIC);
	if ((s = rule_row(db, st, &row, err)) == KN_OK && row) {
		char from[KN_DATE_TEXT], to[KN_DATE_TEXT];
		if (rules->owner_words && strcmp(kn_col_text(st, 3), kn_col_text(st, 4)) == 0)
			refuse(rules, KN_RULE_CLOSED, v,
			       "We are closed on %s (%s): please choose other days.",
			       kn_date_display(kn_col_text(st, 3), rules->date_style, 0, from),
			       kn_col_text(st, 1));
		else if (rules->owner_words)
			refuse(rules, KN_RULE_CLOSED, v,
			       "We are closed from %s to %s (%s): please choose other days.",
			       kn_date_display(kn_col_text(st, 3), rules->date_style, 0, from),
			       kn_date_display(kn_col_text(st, 4), rules->date_style, 0, to),
			       kn_col_text(st, 1));
		else
			refuse(rules, KN_RULE_CLOSED, v,
			       "blocked by block %lld (%s) on %s", (long long)sqlite3_column_int64(st, 0),
			       kn_col_text(st, 1), kn_col_text(st, 2));
	}
	sqlite3_reset(st);
	return s;
}

/* one pet, one place: an approved request of the same service on one of
 * these days (nights, for boarding) already has this pet */
static kn_status rule_booked(struct kn_db *db, struct kn_rules *rules, const struct kn_req *r,
                             const char *first, const char *last, struct kn_verdict *v, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT p.name, max(r.start, ?3), r.id FROM request_pets rp"
	                            " JOIN requests r ON r.id = rp.request_id JOIN pets p ON p.id = rp.pet_id"
	                            " WHERE rp.pet_id = ?1 AND r.service = ?2 AND r.status = 'approved'"
	                            " AND r.id <> ?5 AND r.start <= ?4"
	                            " AND (CASE WHEN r.service = 'boarding' THEN r.end > ?3 ELSE r.end >= ?3 END)"
	                            " ORDER BY r.start LIMIT 1", &st, err);
	for (int i = 0; i < r->npets && s == KN_OK; i++) {
		sqlite3_bind_int64(st, 1, r->pets[i]);
		sqlite3_bind_text(st, 2, r->service, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, first, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, last, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, r->id);
		if ((s = rule_row(db, st, &row, err)) == KN_OK && row) {
			char day[KN_DATE_TEXT];
			if (rules->owner_words)
				refuse(rules, KN_RULE_BOOKED, v,
				       "%s is already booked for %s on %s.", kn_col_text(st, 0), r->service,
				       kn_date_display(kn_col_text(st, 1), rules->date_style, 0, day));
			else
				refuse(rules, KN_RULE_BOOKED, v,
				       "%s is already booked for %s on %s (request %lld)", kn_col_text(st, 0),
				       r->service, kn_col_text(st, 1), (long long)sqlite3_column_int64(st, 2));
		}
		sqlite3_reset(st);
	}
	return s;
}

static kn_status rule_vaccinations(struct kn_db *db, struct kn_rules *rules,
                                   const struct kn_req *r, const char *last, struct kn_verdict *v, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT p.name, r.value, (SELECT max(expires_on) FROM vaccinations v"
	                            " WHERE v.pet_id = p.id AND v.type = r.value) AS e"
	                            " FROM pets p CROSS JOIN json_each(?2) r WHERE p.id = ?1"
	                            " AND (e IS NULL OR e < ?3) ORDER BY r.key LIMIT 1", &st, err);
	for (int i = 0; i < r->npets && s == KN_OK; i++) {
		sqlite3_bind_int64(st, 1, r->pets[i]);
		int svc = service_index(r->service);
		sqlite3_bind_text(st, 2, rules->required[svc < 0 ? 0 : svc].data, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, last, -1, SQLITE_STATIC);
		if ((s = rule_row(db, st, &row, err)) == KN_OK && row) {
			const char *pet = kn_col_text(st, 0), *vaccine = kn_col_text(st, 1);
			const char *expires = kn_col_text(st, 2);
			if (expires && rules->owner_words) {
				/* the owner knows a stay by its pick-up day, the day after
				 * the last night */
				char ends[11], until[KN_DATE_TEXT], stay[KN_DATE_TEXT];
				kn_date_format(strcmp(r->service, "boarding") == 0 ? r->last + 1 : r->last,
				               ends);
				refuse(rules, KN_RULE_VACCINATION, v,
				       "%s's %s vaccination expires on %s, before your visit ends on %s: "
				       "please send us the new certificate.", pet, vaccine,
				       kn_date_display(expires, rules->date_style, 0, until),
				       kn_date_display(ends, rules->date_style, 0, stay));
			} else if (expires) {
				refuse(rules, KN_RULE_VACCINATION, v,
				       "%s's %s expires on %s, before %s", pet, vaccine, expires, last);
			} else if (rules->owner_words) {
				refuse(rules, KN_RULE_VACCINATION, v,
				       "We have no %s vaccination on record for %s: please send us your "
				       "vet's papers.", vaccine, pet);
			} else {
				refuse(rules, KN_RULE_VACCINATION, v,
				       "%s has no %s on record", pet, vaccine);
			}
		}
		sqlite3_reset(st);
	}
	return s;
}

static kn_status rule_temperament(struct kn_db *db, struct kn_rules *rules,
                                  const struct kn_req *r, struct kn_verdict *v,
                                  struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT name FROM pets WHERE id = ? AND temperament <> 'pass'",
	                        &st, err);
	for (int i = 0; i < r->npets && s == KN_OK; i++) {
		sqlite3_bind_int64(st, 1, r->pets[i]);
		if ((s = rule_row(db, st, &row, err)) == KN_OK && row)
			refuse(rules, KN_RULE_TEMPERAMENT, v,
			       rules->owner_words ? "%s needs to pass a temperament test first: "
			                                            "please call us to book one."
			                          : "%s's temperament test not passed",
			       kn_col_text(st, 0));
		sqlite3_reset(st);
	}
	return s;
}

kn_status kn_request_rules(struct kn_db *db, struct kn_rules *rules, const struct kn_req *r,
                           struct kn_verdict *v, struct kn_err *err)
{
	char first[11], last[11];
	kn_status s;

	memset(v, 0, sizeof *v);
	kn_date_format(r->first, first);
	kn_date_format(r->last, last);
	s = rule_closed(db, rules, r, first, last, v, err);
	if (s == KN_OK)
		s = rule_booked(db, rules, r, first, last, v, err);
	if (s == KN_OK && rules->require_vaccinations)
		s = rule_vaccinations(db, rules, r, last, v, err);
	if (s == KN_OK && rules->require_temperament &&
	    (strcmp(r->service, "daycare") == 0 || strcmp(r->service, "boarding") == 0))
		s = rule_temperament(db, rules, r, v, err);
	return s;
}

/* The first day over capacity, added to the reasons already found. */
static kn_status over_capacity(struct kn_db *db, struct kn_rules *rules, const struct kn_req *r,
                               struct kn_verdict *v, struct kn_err *err)
{
	kn_status s = KN_OK;
	int full = 0;

	for (kn_day d = r->first; d <= r->last && s == KN_OK && !full; d++) {
		int limited;
		long long cap, taken = 0;
		if ((s = kn_capacity_on(db, r->service, d, &limited, &cap, err)) != KN_OK || !limited)
			continue;
		if ((s = kn_units_taken(db, r->service, d, "approved", &taken, err)) != KN_OK)
			break;
		if (taken + r->npets > cap) {
			char day[11], shown[KN_DATE_TEXT];
			kn_date_format(d, day);
			if (rules->owner_words)
				refuse(rules, KN_RULE_CAPACITY, v,
				       "We are full on %s: please choose another day.",
				       kn_date_display(day, rules->date_style, 0, shown));
			else
				refuse(rules, KN_RULE_CAPACITY, v,
				       "over capacity on %s (%lld of %lld taken)", day, taken, cap);
			full = 1;
		}
	}
	return s;
}

kn_status kn_request_papers_needed(struct kn_db *db, long long id, const char *why,
                                   struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "UPDATE requests SET papers_needed = 1, reason = ? WHERE id = ?",
	                         &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, why, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "flagging the request");
	sqlite3_finalize(st);
	return s == KN_OK ? kn_audit(db, "request", id, err, "waits for vaccination papers: %s", why)
	                  : s;
}

kn_status kn_request_set_status(struct kn_db *db, long long id, const char *status,
                                const char *reason, int forced, struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	/* decided, it waits for papers no more */
	kn_status s = kn_prepare(db, "UPDATE requests SET status = ?, decided_at = ?, decided_by = ?,"
	                             " reason = coalesce(?, reason), forced = ?, papers_needed = 0"
	                             " WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	kn_bind_text(st, 3, db->actor);
	kn_bind_text(st, 4, reason);
	sqlite3_bind_int(st, 5, forced);
	sqlite3_bind_int64(st, 6, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "deciding request");
	sqlite3_finalize(st);
	if (s == KN_OK)
		s = kn_audit(db, "request", id, err, "%s%s%s%s", status, forced ? " (forced)" : "",
		             reason ? ": " : "", reason ? reason : "");
	if (s == KN_OK && strcmp(status, "approved") == 0)
		s = kn_deposit_invoice(db, id, err);
	return s;
}

/* Every approval rule, capacity last, on a loaded request: the one place
 * staff's approvals and the portal's checks are decided. */
static kn_status evaluate(struct kn_db *db, const struct kn_req *r, int owner_words,
                          struct kn_verdict *v, struct kn_err *err)
{
	struct kn_rules rules;
	kn_status s = kn_rules_load(db, &rules, err);

	memset(v, 0, sizeof *v);
	if (s == KN_OK) {
		rules.owner_words = owner_words;
		rules.date_style = owner_words ? kn_pref_date_style(db) : KN_DATES_ISO;
		s = kn_request_rules(db, &rules, r, v, err);
		if (s == KN_OK)
			s = over_capacity(db, &rules, r, v, err);
	}
	kn_rules_free(&rules);
	return s;
}

kn_status kn_request_check(struct kn_db *db, long long id, int owner_words, struct kn_verdict *v,
                           struct kn_err *err)
{
	struct kn_req r;
	kn_status s = kn_request_load(db, id, &r, err);

	memset(v, 0, sizeof *v);
	return s == KN_OK ? evaluate(db, &r, owner_words, v, err) : s;
}

/* The approved booking a pending request asks to replace; 0 if none. */
static kn_status replaced_booking(struct kn_db *db, long long id, long long *replaces,
                                  struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	*replaces = 0;
	kn_status s = kn_cached(db, "SELECT o.id FROM requests n JOIN requests o ON o.id ="
	                            " n.replaces_id WHERE n.id = ? AND o.status = 'approved'", &st,
	                        err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	if ((s = kn_step_row(db, st, &row, "reading the request", err)) == KN_OK && row)
		*replaces = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return s;
}

static kn_status set_pending(struct kn_db *db, long long id, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_cached(db, "UPDATE requests SET status = 'pending' WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	return kn_step_done(db, st, "setting the booking aside", err);
}

kn_status kn_request_decide(struct kn_db *db, long long id, const char *action,
                            const char *text, int force, struct kn_err *err)
{
	struct kn_req r;
	struct kn_verdict v;
	kn_status s = kn_request_load(db, id, &r, err);

	if (s != KN_OK)
		return s;
	if (strcmp(action, "approve") == 0) {
		if (strcmp(r.status, "pending") != 0)
			return kn_err_set(err, KN_FAIL, "request %lld is %s, not pending", id, r.status);
		long long replaces = 0;
		if ((s = replaced_booking(db, id, &replaces, err)) != KN_OK)
			return s;
		/* a change asked of a booking: decided without the booking it
		 * replaces, which is cancelled in the same step when it passes */
		if (replaces && (s = kn_exec(db, "SAVEPOINT request_replace", err)) != KN_OK)
			return s;
		if (replaces)
			s = set_pending(db, replaces, err);
		if (s == KN_OK)
			s = evaluate(db, &r, 0, &v, err);
		if (s == KN_OK && v.refused && !force)
			s = kn_err_set(err, KN_FAIL, "request %lld: %s", id, v.why);
		if (s == KN_OK)
			s = kn_request_set_status(db, id, "approved", v.refused ? v.why : text, v.refused,
			                          err);
		if (s == KN_OK && replaces) {
			char note[64];
			snprintf(note, sizeof note, "replaced by request %lld", id);
			s = kn_request_set_status(db, replaces, "cancelled", note, 0, err);
		}
		if (replaces && s != KN_OK) {
			sqlite3_exec(db->h, "ROLLBACK TO request_replace; RELEASE request_replace", NULL,
			             NULL, NULL);
			return s;
		}
		return replaces ? kn_exec(db, "RELEASE request_replace", err) : s;
	}
	if (strcmp(action, "decline") == 0) {
		if (strcmp(r.status, "pending") != 0 && strcmp(r.status, "approved") != 0 &&
		    strcmp(r.status, "waitlisted") != 0)
			return kn_err_set(err, KN_FAIL, "request %lld is %s", id, r.status);
		return kn_request_set_status(db, id, "declined", text, 0, err);
	}
	if (strcmp(r.status, "cancelled") == 0 || strcmp(r.status, "declined") == 0)
		return kn_err_set(err, KN_FAIL, "request %lld is %s already", id, r.status);
	return kn_request_set_status(db, id, "cancelled", text, 0, err);
}

kn_status kn_request_same_earlier(struct kn_db *db, long long id, long long *earlier,
                                  int *approved, struct kn_err *err)
{
	sqlite3_stmt *st;
	*earlier = 0;
	*approved = 0;
	/* the pets and add-ons of the two requests only, each list in order:
	 * the owner's own few requests are compared, never the whole table */
#define KN_LIST(table, col, req) \
	"(SELECT group_concat(" col ") FROM (SELECT " col " FROM " table \
	" WHERE request_id = " req " ORDER BY " col "))"
	kn_status s = kn_prepare(db,
		"SELECT o.id, o.status = 'approved' FROM requests n JOIN requests o"
		" ON o.owner_id = n.owner_id AND o.service = n.service AND o.start = n.start"
		" AND o.end = n.end AND o.start_time IS n.start_time AND o.end_time IS n.end_time"
		" AND o.note IS n.note"
		" AND o.id < n.id AND o.status IN ('pending', 'approved')"
		" WHERE n.id = ?1"
		" AND " KN_LIST("request_pets", "pet_id", "o.id") " IS "
		KN_LIST("request_pets", "pet_id", "n.id")
		" AND " KN_LIST("request_addons", "product_id", "o.id") " IS "
		KN_LIST("request_addons", "product_id", "n.id")
		" ORDER BY o.id DESC LIMIT 1", &st, err);
#undef KN_LIST
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*earlier = sqlite3_column_int64(st, 0);
		*approved = sqlite3_column_int(st, 1);
	} else if (rc != SQLITE_DONE) {
		s = kn_sql_fail(db, err, "looking for the same request");
	}
	sqlite3_finalize(st);
	return s;
}
