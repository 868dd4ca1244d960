/*
 * kennel request auto: approve the largest number of pending requests that
 * fit the capacity left on every day and pass every rule.
 *
 * Per service, requests are taken by earliest last day (then earliest
 * requested_at, then id) and approved when every day they occupy still has
 * room.  For one-pet requests this is optimal: capacity per day over
 * intervals of days forms an interval (consecutive-ones) matrix, for which
 * earliest-end greedy reaches the maximum (an exchange argument: a request
 * that ends first leaves every later day at least as much room as any
 * other choice); tests/040-request check it against a brute force over
 * random instances.  A multi-pet request needs as many units as pets; the
 * same greedy is then a heuristic, measured against the brute force too.
 */
#include <stdlib.h>
#include <string.h>

#include "request/kn_request.h"

static int by_end(const void *a, const void *b)
{
	const struct kn_req *x = a, *y = b;
	if (x->last != y->last)
		return x->last < y->last ? -1 : 1;
	int c = strcmp(x->requested_at, y->requested_at);
	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int by_id(const void *a, const void *b)
{
	const struct kn_req *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * The pets this run approved, by pet: one pet, one place, so two pending
 * requests of one pet on the same days are never both approved.  Buckets by
 * pet id keep the check to that pet's own bookings.
 */
#define BOOKED_BUCKETS 4096
struct booking {
	long long pet;
	size_t req;                 /* index into reqs */
	struct booking *next;
};
struct booked {
	struct booking *bucket[BOOKED_BUCKETS];
};

static const struct kn_req *booked_overlap(const struct booked *b, const struct kn_req *reqs,
                                           const struct kn_req *r)
{
	for (int i = 0; i < r->npets; i++)
		for (const struct booking *k = b->bucket[(unsigned long long)r->pets[i] % BOOKED_BUCKETS];
		     k; k = k->next) {
			const struct kn_req *o = &reqs[k->req];
			if (k->pet == r->pets[i] && strcmp(o->service, r->service) == 0 &&
			    o->first <= r->last && r->first <= o->last)
				return o;
		}
	return NULL;
}

static void booked_add(struct booked *b, const struct kn_req *reqs, const struct kn_req *r)
{
	for (int i = 0; i < r->npets; i++) {
		struct booking *k = kn_xmalloc(sizeof *k);
		size_t h = (size_t)((unsigned long long)r->pets[i] % BOOKED_BUCKETS);
		k->pet = r->pets[i];
		k->req = (size_t)(r - reqs);
		k->next = b->bucket[h];
		b->bucket[h] = k;
	}
}

static void booked_free(struct booked *b)
{
	for (size_t h = 0; h < BOOKED_BUCKETS; h++)
		while (b->bucket[h]) {
			struct booking *k = b->bucket[h];
			b->bucket[h] = k->next;
			free(k);
		}
}

kn_status kn_request_auto(struct kn_db *db, const struct kn_auto_options *o, struct kn_printer *p,
                          struct kn_err *err)
{
	struct kn_req *reqs = NULL;
	struct booked booked = { 0 };
	size_t n = 0, cap = 0;
	sqlite3_stmt *st;
	kn_status s;

	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	s = kn_prepare(db, "SELECT id FROM requests WHERE status = 'pending'"
	                   " AND (?1 IS NULL OR service = ?1) AND (?2 IS NULL OR end >= ?2)"
	                   " AND (?3 IS NULL OR start <= ?3) ORDER BY id", &st, err);
	if (s != KN_OK)
		goto done;
	kn_bind_text(st, 1, o->service);
	kn_bind_text(st, 2, o->from);
	kn_bind_text(st, 3, o->to);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			reqs = kn_xrealloc(reqs, cap * sizeof *reqs);
		}
		long long id = sqlite3_column_int64(st, 0);
		if ((s = kn_request_load(db, id, &reqs[n], err)) != KN_OK)
			break;
		n++;
	}
	sqlite3_finalize(st);
	if (s != KN_OK)
		goto done;
	{
		/* the preferences once, not once a request */
		struct kn_rules rules;
		s = kn_rules_load(db, &rules, err);
		for (size_t i = 0; s == KN_OK && i < n; i++) {
			s = kn_request_rules(db, &rules, &reqs[i], &reqs[i].verdict, err);
			reqs[i].chosen = reqs[i].verdict.refused ? -1 : 0;
		}
		kn_rules_free(&rules);
		if (s != KN_OK)
			goto done;
	}
	if (n > 0) /* qsort wants an array, even of nothing */
		qsort(reqs, n, sizeof *reqs, by_end);
	/* each service against its own capacity */
	for (size_t i = 0; i < n; i++) {
		if (reqs[i].chosen != 0)
			continue;
		const char *service = reqs[i].service;
		kn_day lo = reqs[i].first, hi = reqs[i].last;
		for (size_t j = i; j < n; j++)
			if (strcmp(reqs[j].service, service) == 0) {
				if (reqs[j].first < lo)
					lo = reqs[j].first;
				if (reqs[j].last > hi)
					hi = reqs[j].last;
			}
		size_t days = (size_t)(hi - lo + 1);
		long long *room = kn_xcalloc(days, sizeof *room);
		for (kn_day d = lo; d <= hi && s == KN_OK; d++) {
			int limited;
			long long c = 0, taken = 0;
			if ((s = kn_capacity_on(db, service, d, &limited, &c, err)) == KN_OK && limited)
				s = kn_units_taken(db, service, d, "approved", &taken, err);
			room[d - lo] = limited ? c - taken : KN_MAX_COUNT * KN_MAX_PETS;
		}
		if (s != KN_OK) {
			free(room);
			goto done;
		}
		for (size_t j = i; j < n; j++) {
			struct kn_req *r = &reqs[j];
			if (strcmp(r->service, service) != 0 || r->chosen != 0)
				continue;
			kn_day full = 0;
			int fits = 1;
			for (kn_day d = r->first; d <= r->last && fits; d++)
				if (room[d - lo] < r->npets) {
					fits = 0;
					full = d;
				}
			const struct kn_req *other = fits ? booked_overlap(&booked, reqs, r) : NULL;
			if (other) {
				snprintf(r->verdict.why, sizeof r->verdict.why, "a pet of it is already booked for %s in "
				         "request %lld, approved in this run", r->service, other->id);
				r->chosen = -1;
			} else if (fits) {
				booked_add(&booked, reqs, r);
				for (kn_day d = r->first; d <= r->last; d++)
					room[d - lo] -= r->npets;
				r->chosen = 1;
			} else {
				char day[11];
				kn_date_format(full, day);
				snprintf(r->verdict.why, sizeof r->verdict.why, "over capacity on %s", day);
				r->verdict.failed |= KN_RULE_CAPACITY;
				r->chosen = -1;
			}
		}
		free(room);
	}
	booked_free(&booked);
	/* the plan, in id order, then applied */
	if (n > 0)
		qsort(reqs, n, sizeof *reqs, by_id);
	kn_rec_begin(p);
	kn_arr_begin(p, "approved");
	for (size_t i = 0; i < n && s == KN_OK; i++)
		if (reqs[i].chosen == 1) {
			kn_put_int(p, NULL, reqs[i].id, 1);
			s = kn_request_set_status(db, reqs[i].id, "approved", NULL, 0, err);
			/* down into mail/: the decision's mail, in its transaction */
			if (s == KN_OK && o->notify)
				s = kn_request_notify(db, reqs[i].id, o->template_dir, err);
		}
	kn_nest_end(p);
	kn_arr_begin(p, "not_approved");
	for (size_t i = 0; i < n && s == KN_OK; i++)
		if (reqs[i].chosen != 1) {
			kn_obj_begin(p, NULL);
			kn_put_int(p, "id", reqs[i].id, 1);
			kn_put_str(p, "reason", reqs[i].verdict.why, 1);
			kn_nest_end(p);
			/* full, and nothing else refused: it waits for a freed spot */
			int wait = o->waitlist && reqs[i].verdict.failed == KN_RULE_CAPACITY;
			if (o->decline_rest)
				s = kn_request_set_status(db, reqs[i].id, wait ? "waitlisted" : "declined",
				                          o->reason, 0, err);
			if (s == KN_OK && o->decline_rest && o->notify)
				s = kn_request_notify(db, reqs[i].id, o->template_dir, err);
		}
	kn_nest_end(p);
	kn_rec_end(p);
done:
	booked_free(&booked);
	free(reqs);
	if (s == KN_OK)
		return kn_tx_commit(db, err);
	kn_tx_rollback(db);
	return s;
}
