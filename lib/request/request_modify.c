/*
 * kennel request modify (SPEC series): a pending request is changed in
 * place; an approved booking keeps its spot until the change passes every
 * approval rule, counted without the booking itself.  The change is made
 * inside a savepoint with the booking set pending (so capacity and "the
 * pet is booked already" do not count it), the rules are asked, and a
 * refusal rolls back to the booking as it was, naming the rule.
 */
#include <stdio.h>
#include <string.h>

#include "request/kn_request.h"

struct before {
	char status[16], service[16], start[11], end[11], start_time[6], end_time[6];
	long long product;
	char pets[256], note[512];
};

static kn_status read_before(struct kn_db *db, long long id, struct before *b,
                             struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	memset(b, 0, sizeof *b);
	kn_status s = kn_cached(db, "SELECT status, service, start, end, coalesce(start_time, ''),"
	                            " coalesce(end_time, ''), coalesce(product_id, 0),"
	                            " (SELECT group_concat(pet_id) FROM request_pets"
	                            "  WHERE request_id = r.id), coalesce(note, '')"
	                            " FROM requests r WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	if ((s = kn_step_row(db, st, &row, "reading the request", err)) == KN_OK && row) {
		snprintf(b->status, sizeof b->status, "%s", kn_col_text(st, 0));
		snprintf(b->service, sizeof b->service, "%s", kn_col_text(st, 1));
		snprintf(b->start, sizeof b->start, "%s", kn_col_text(st, 2));
		snprintf(b->end, sizeof b->end, "%s", kn_col_text(st, 3));
		snprintf(b->start_time, sizeof b->start_time, "%s", kn_col_text(st, 4));
		snprintf(b->end_time, sizeof b->end_time, "%s", kn_col_text(st, 5));
		b->product = sqlite3_column_int64(st, 6);
		snprintf(b->pets, sizeof b->pets, "%s", kn_col_text(st, 7) ? kn_col_text(st, 7) : "");
		snprintf(b->note, sizeof b->note, "%s", kn_col_text(st, 8));
	} else if (s == KN_OK) {
		s = kn_err_set(err, KN_FAIL, "request %lld not found", id);
	}
	sqlite3_reset(st);
	return s;
}

/* The new row, the pets and add-ons replaced when given. */
static kn_status write_change(struct kn_db *db, long long id, const struct before *b,
                              const struct kn_request_change *c, const char *start,
                              const char *start_time, const char *end, const char *end_time,
                              long long product, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "UPDATE requests SET start = ?, end = ?, start_time = nullif(?, ''),"
	                             " end_time = nullif(?, ''), product_id = nullif(?, 0),"
	                             " note = CASE WHEN ?6 THEN nullif(?7, '') ELSE note END,"
	                             " status = 'pending' WHERE id = ?8", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, start, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, end, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, start_time, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, end_time, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, product);
	sqlite3_bind_int(st, 6, c->note != NULL);
	kn_bind_text(st, 7, c->note);
	sqlite3_bind_int64(st, 8, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "changing the request");
	sqlite3_finalize(st);
	if (s == KN_OK && c->npets > 0) {
		if ((s = kn_prepare(db, "DELETE FROM request_pets WHERE request_id = ?", &st, err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "changing the pets");
		sqlite3_finalize(st);
		for (int i = 0; s == KN_OK && i < c->npets; i++) {
			if ((s = kn_prepare(db, "INSERT INTO request_pets (request_id, pet_id)"
			                        " SELECT ?1, id FROM pets WHERE id = ?2 AND owner_id ="
			                        " (SELECT owner_id FROM requests WHERE id = ?1)", &st, err)) != KN_OK)
				return s;
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, c->pets[i]);
			if (sqlite3_step(st) != SQLITE_DONE)
				s = kn_sql_fail(db, err, "changing the pets");
			else if (sqlite3_changes(db->h) == 0)
				s = kn_err_set(err, KN_FAIL, "pet %lld is not the request's owner's", c->pets[i]);
			sqlite3_finalize(st);
		}
	}
	if (s == KN_OK && c->addons_given) {
		if ((s = kn_prepare(db, "DELETE FROM request_addons WHERE request_id = ?", &st, err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "changing the add-ons");
		sqlite3_finalize(st);
		if (s == KN_OK)
			s = kn_request_addons(db, id, b->service, c->addons, err);
	}
	return s;
}

kn_status kn_request_modify(struct kn_db *db, long long id, const struct kn_request_change *c,
                            struct kn_err *err)
{
	struct before b;
	kn_day s_day, e_day, today = kn_today();
	char start[11], end[11], start_time[6], end_time[6];
	long long product;
	kn_status s = read_before(db, id, &b, err);
	if (s != KN_OK)
		return s;
	if (strcmp(b.status, "pending") != 0 && strcmp(b.status, "approved") != 0)
		return kn_err_set(err, KN_FAIL, "request %lld is %s: only a pending or approved request "
		                  "can be modified", id, b.status);
	if ((s = kn_date_parse(b.end, &e_day, err)) != KN_OK)
		return s;
	if (e_day < today)
		return kn_err_set(err, KN_FAIL, "request %lld is over (it ended %s): it cannot be "
		                  "modified", id, b.end);
	if (!c->start && !c->end && !c->note && !c->product && c->npets == 0 && !c->addons_given)
		return kn_err_set(err, KN_USAGE, "nothing to change: give --start, --end, --pet, "
		                  "--addon, --product or --note");
	/* the new dates: what is given, the rest as it was */
	snprintf(start_time, sizeof start_time, "%s", b.start_time);
	snprintf(end_time, sizeof end_time, "%s", b.end_time);
	if ((s = kn_date_parse(b.start, &s_day, err)) != KN_OK)
		return s;
	if (c->start && (s = kn_request_when(c->start, "start", &s_day, start_time, err)) != KN_OK)
		return s;
	int boarding = strcmp(b.service, "boarding") == 0;
	if (c->end && (s = kn_request_when(c->end, "end", &e_day, end_time, err)) != KN_OK)
		return s;
	if (!boarding && !c->end)
		e_day = s_day; /* a day service moves whole */
	if (c->start && s_day < today)
		return kn_err_set(err, KN_FAIL, "the new start %s has passed", c->start);
	if (boarding && e_day <= s_day)
		return kn_err_set(err, KN_FAIL, "a boarding request needs its end after its start (the "
		                  "nights start <= d < end)");
	if (e_day < s_day)
		return kn_err_set(err, KN_FAIL, "the end is before the start");
	kn_date_format(s_day, start);
	kn_date_format(e_day, end);
	product = b.product;
	if (c->product && (s = kn_request_product(db, b.service, c->product, &product, err)) != KN_OK)
		return s;
	int approved = strcmp(b.status, "approved") == 0;
	if ((s = kn_exec(db, "SAVEPOINT request_modify", err)) != KN_OK)
		return s;
	s = write_change(db, id, &b, c, start, start_time, end, end_time, product, err);
	struct kn_verdict v = { 0 };
	if (s == KN_OK && approved)
		s = kn_request_check(db, id, c->owner_words, &v, err);
	if (s == KN_OK && approved && v.refused && c->owner_words)
		s = kn_err_set(err, KN_FAIL, "We could not change it, and your booking stays as it "
		               "was: %s", v.why);
	else if (s == KN_OK && approved && v.refused)
		s = kn_err_set(err, KN_FAIL, "request %lld: the change is refused, the booking stays as "
		               "it was: %s", id, v.why);
	if (s == KN_OK && approved) {
		sqlite3_stmt *st;
		if ((s = kn_prepare(db, "UPDATE requests SET status = 'approved' WHERE id = ?", &st,
		                    err)) == KN_OK) {
			sqlite3_bind_int64(st, 1, id);
			if (sqlite3_step(st) != SQLITE_DONE)
				s = kn_sql_fail(db, err, "keeping the booking");
			sqlite3_finalize(st);
		}
	}
	if (s != KN_OK) {
		sqlite3_exec(db->h, "ROLLBACK TO request_modify; RELEASE request_modify", NULL, NULL,
		             NULL);
		return s;
	}
	if ((s = kn_exec(db, "RELEASE request_modify", err)) != KN_OK)
		return s;
	struct before a;
	if ((s = read_before(db, id, &a, err)) != KN_OK)
		return s;
	return kn_audit(db, "request", id, err, "modified: %s%s%s to %s%s%s, %s%s%s to %s%s%s,"
	                " pets %s to %s, product %lld to %lld%s%s", b.start, b.start_time[0] ? " " : "",
	                b.start_time, a.start, a.start_time[0] ? " " : "", a.start_time, b.end,
	                b.end_time[0] ? " " : "", b.end_time, a.end, a.end_time[0] ? " " : "",
	                a.end_time, b.pets, a.pets, b.product, a.product, c->note ? ", note: " : "",
	                c->note ? c->note : "");
}

kn_status kn_request_owner(struct kn_db *db, long long id, long long *owner, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_cached(db, "SELECT owner_id FROM requests WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	if ((s = kn_step_row(db, st, &row, "reading the request", err)) == KN_OK && row)
		*owner = sqlite3_column_int64(st, 0);
	else if (s == KN_OK)
		s = kn_err_set(err, KN_FAIL, "request %lld not found", id);
	sqlite3_reset(st);
	return s;
}
