/*
 * The waitlist (SPEC series, changes, waitlist): a request refused for
 * capacity kept as 'waitlisted', and the offers that hold a freed spot
 * for it.  An open offer's units count as taken (kn_units_taken), so the
 * spot waits for the owner it was offered to; its token is stored hashed
 * (BLAKE2b: 256 random bits need no slow hash), single use, with an
 * expiry.  The mail that carries the link is mail/waitlist_offer.c's.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "owner/kn_creds.h"
#include "request/kn_request.h"

#define TOKEN_BYTES 32

int kn_offer_token_ok(const char *token)
{
	size_t n = strlen(token);
	return n >= KN_LINK_TOKEN_MIN && n <= KN_LINK_TOKEN_MAX && kn_link_token_span(token) == n;
}

kn_status kn_waitlist_add(struct kn_db *db, long long id, const char *reason, struct kn_err *err)
{
	struct kn_req r;
	kn_status s = kn_request_load(db, id, &r, err);
	if (s != KN_OK)
		return s;
	if (strcmp(r.status, "pending") != 0)
		return kn_err_set(err, KN_FAIL, "request %lld is %s: only a pending request goes on the "
		                  "waitlist", id, r.status);
	return kn_request_set_status(db, id, "waitlisted", reason, 0, err);
}

/* Each open offer of the request ended, for why. */
static kn_status offers_end(struct kn_db *db, long long request, const char *why,
                            struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	kn_status s = kn_cached(db, "UPDATE waitlist_offers SET ended_at = ?2, end_reason = ?3"
	                            " WHERE request_id = ?1 AND used_at IS NULL AND ended_at IS NULL",
	                        &st, err);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	sqlite3_bind_int64(st, 1, request);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, why, -1, SQLITE_STATIC);
	return kn_step_done(db, st, "ending the offer", err);
}

kn_status kn_waitlist_rm(struct kn_db *db, long long id, const char *note, struct kn_err *err)
{
	struct kn_req r;
	kn_status s = kn_request_load(db, id, &r, err);
	if (s != KN_OK)
		return s;
	if (strcmp(r.status, "waitlisted") != 0)
		return kn_err_set(err, KN_FAIL, "request %lld is %s, not on the waitlist", id, r.status);
	if ((s = offers_end(db, id, "taken off the waitlist", err)) != KN_OK)
		return s;
	return kn_request_set_status(db, id, "declined", note ? note : "taken off the waitlist", 0,
	                             err);
}

kn_status kn_waitlist_waiting(struct kn_db *db, int *waiting, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	*waiting = 0;
	kn_status s = kn_cached(db, "SELECT EXISTS (SELECT 1 FROM requests WHERE status = 'waitlisted')"
	                            " OR EXISTS (SELECT 1 FROM waitlist_offers"
	                            "  WHERE used_at IS NULL AND ended_at IS NULL)", &st, err);
	if (s != KN_OK)
		return s;
	if ((s = kn_step_row(db, st, &row, "reading the waitlist", err)) == KN_OK && row)
		*waiting = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return s;
}

kn_status kn_waitlist_tidy(struct kn_db *db, struct kn_waitlist_summary *sum, struct kn_err *err)
{
	char now[20], today[11];
	sqlite3_stmt *st;
	kn_status s;
	kn_now_text(now);
	kn_date_format(kn_today(), today);
	/* an expired hold frees its spot for the next in line */
	if ((s = kn_cached(db, "UPDATE waitlist_offers SET ended_at = ?1, end_reason = 'expired'"
	                       " WHERE used_at IS NULL AND ended_at IS NULL AND expires_at <= ?1",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	if ((s = kn_step_done(db, st, "expiring offers", err)) != KN_OK)
		return s;
	sum->expired += sqlite3_changes(db->h);
	/* an offer whose request was decided otherwise (cancelled, approved
	 * by staff) holds nothing */
	if ((s = kn_cached(db, "UPDATE waitlist_offers SET ended_at = ?1, end_reason = 'withdrawn'"
	                       " WHERE used_at IS NULL AND ended_at IS NULL AND (SELECT status"
	                       "  FROM requests WHERE id = request_id) <> 'waitlisted'",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	if ((s = kn_step_done(db, st, "withdrawing offers", err)) != KN_OK)
		return s;
	/* the day came and no spot did: off the waitlist */
	long long *ids = NULL;
	size_t n = 0;
	if ((s = kn_cached(db, "SELECT id FROM requests WHERE status = 'waitlisted' AND start < ?",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_TRANSIENT);
	if ((s = kn_ids_read(db, st, &ids, &n, "reading the waitlist", err)) != KN_OK)
		return s;
	for (size_t i = 0; i < n && s == KN_OK; i++) {
		if ((s = offers_end(db, ids[i], "lapsed", err)) == KN_OK)
			s = kn_request_set_status(db, ids[i], "declined",
			                          "no spot opened before the day", 0, err);
		sum->lapsed++;
	}
	free(ids);
	return s;
}

/* Room left on a day, remembered for the run: a thousand waitlisted
 * requests for one full day ask the database once. */
struct room_memo {
	struct { char service[16]; kn_day day; int limited; long long room; } e[256];
	int n;
};

static kn_status room_on(struct kn_db *db, struct room_memo *m, const char *service, kn_day day,
                         int *limited, long long *room, struct kn_err *err)
{
	for (int i = 0; i < m->n; i++)
		if (m->e[i].day == day && strcmp(m->e[i].service, service) == 0) {
			*limited = m->e[i].limited;
			*room = m->e[i].room;
			return KN_OK;
		}
	long long cap = 0, taken = 0;
	kn_status s = kn_capacity_on(db, service, day, limited, &cap, err);
	if (s == KN_OK && *limited)
		s = kn_units_taken(db, service, day, "approved", &taken, err);
	if (s != KN_OK)
		return s;
	*room = cap - taken;
	if (m->n < (int)(sizeof m->e / sizeof m->e[0])) {
		snprintf(m->e[m->n].service, sizeof m->e[0].service, "%s", service);
		m->e[m->n].day = day;
		m->e[m->n].limited = *limited;
		m->e[m->n].room = *room;
		m->n++;
	}
	return KN_OK;
}

struct waiting {
	long long id, npets;
	char service[16];
	kn_day first, last;
};

kn_status kn_waitlist_next(struct kn_db *db, kn_waitlist_fit_cb fit, void *ud, struct kn_err *err)
{
	sqlite3_stmt *st;
	struct waiting *w = NULL;
	size_t n = 0, cap = 0;
	int row = 0;
	/* first asked, first offered; those holding an offer already wait,
	 * and one whose offer ran out goes behind those never offered */
	kn_status s = kn_prepare(db, "SELECT r.id, r.service, r.start, r.end, (SELECT count(*)"
	                             "  FROM request_pets p WHERE p.request_id = r.id)"
	                             " FROM requests r WHERE r.status = 'waitlisted'"
	                             " AND NOT EXISTS (SELECT 1 FROM waitlist_offers o"
	                             "  WHERE o.request_id = r.id AND o.used_at IS NULL"
	                             "  AND o.ended_at IS NULL)"
	                             " ORDER BY (SELECT max(o.created_at) FROM waitlist_offers o"
	                             "  WHERE o.request_id = r.id) IS NOT NULL, (SELECT"
	                             "  max(o.created_at) FROM waitlist_offers o"
	                             "  WHERE o.request_id = r.id), r.requested_at, r.id", &st, err);
	if (s != KN_OK)
		return s;
	while ((s = kn_step_row(db, st, &row, "reading the waitlist", err)) == KN_OK && row) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			w = kn_xrealloc(w, cap * sizeof *w);
		}
		kn_day start, end;
		if (kn_date_parse(kn_col_text(st, 2), &start, NULL) != KN_OK ||
		    kn_date_parse(kn_col_text(st, 3), &end, NULL) != KN_OK)
			continue;
		w[n].id = sqlite3_column_int64(st, 0);
		snprintf(w[n].service, sizeof w[n].service, "%s", kn_col_text(st, 1));
		kn_request_days(w[n].service, start, end, &w[n].first, &w[n].last);
		w[n].npets = sqlite3_column_int64(st, 4);
		n++;
	}
	sqlite3_finalize(st);
	struct room_memo *memo = kn_xcalloc(1, sizeof *memo);
	for (size_t i = 0; i < n && s == KN_OK; i++) {
		/* a full day rules it out before any rule is read */
		int fits = 1;
		for (kn_day d = w[i].first; d <= w[i].last && fits && s == KN_OK; d++) {
			int limited;
			long long room;
			if ((s = room_on(db, memo, w[i].service, d, &limited, &room, err)) == KN_OK)
				fits = !limited || room >= w[i].npets;
		}
		if (s != KN_OK || !fits)
			continue;
		struct kn_verdict v;
		if ((s = kn_request_check(db, w[i].id, 0, &v, err)) != KN_OK || v.refused)
			continue;
		int held = 0;
		if ((s = fit(ud, w[i].id, &held, err)) == KN_OK && held)
			memo->n = 0; /* the spot is held: the days have less room */
	}
	free(memo);
	free(w);
	return s;
}

kn_status kn_waitlist_hold(struct kn_db *db, long long request, long hours, char *token,
                           size_t token_size, long long *offer, char expires[20],
                           struct kn_err *err)
{
	unsigned char raw[TOKEN_BYTES];
	char hex[65], now[20];
	sqlite3_stmt *st;
	kn_status s = kn_crypto_init(err);
	if (s != KN_OK)
		return s;
	if (token_size < sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return kn_err_set(err, KN_FAIL, "no room for the offer's token");
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, token_size, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	kn_token_digest(token, hex);
	kn_now_text(now);
	kn_time_add_hours(now, hours, expires);
	if ((s = kn_cached(db, "INSERT INTO waitlist_offers (request_id, token_hash, created_at,"
	                       " expires_at) VALUES (?, ?, ?, ?)", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, request);
	sqlite3_bind_text(st, 2, hex, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, expires, -1, SQLITE_TRANSIENT);
	if ((s = kn_step_done(db, st, "holding the spot", err)) != KN_OK)
		return s;
	*offer = sqlite3_last_insert_rowid(db->h);
	return kn_audit(db, "request", request, err, "offered a spot from the waitlist, held until %s",
	                expires);
}

kn_status kn_offer_find(struct kn_db *db, const char *token, long long owner,
                        struct kn_offer *o, struct kn_err *err)
{
	char hex[65], now[20];
	sqlite3_stmt *st;
	int row = 0;
	memset(o, 0, sizeof *o);
	o->state = KN_OFFER_UNKNOWN;
	if (!kn_offer_token_ok(token))
		return KN_OK;
	kn_token_digest(token, hex);
	kn_now_text(now);
	kn_status s = kn_cached(db, "SELECT w.id, w.request_id, r.owner_id, w.used_at IS NOT NULL,"
	                            " w.ended_at IS NOT NULL OR w.expires_at <= ?2, w.expires_at,"
	                            " r.status FROM waitlist_offers w JOIN requests r"
	                            " ON r.id = w.request_id WHERE w.token_hash = ?1", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	if ((s = kn_step_row(db, st, &row, "reading the offer", err)) == KN_OK && row) {
		o->id = sqlite3_column_int64(st, 0);
		o->request = sqlite3_column_int64(st, 1);
		snprintf(o->expires, sizeof o->expires, "%s", kn_col_text(st, 5));
		o->state = sqlite3_column_int64(st, 2) != owner ? KN_OFFER_NOT_YOURS
		           : sqlite3_column_int(st, 3)           ? KN_OFFER_SPENT
		           : sqlite3_column_int(st, 4) || strcmp(kn_col_text(st, 6), "waitlisted") != 0
		               ? KN_OFFER_EXPIRED
		               : KN_OFFER_OPEN;
	}
	sqlite3_reset(st);
	return s;
}

kn_status kn_offer_confirm(struct kn_db *db, const char *token, long long owner,
                           struct kn_offer *o, struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	kn_status s = kn_offer_find(db, token, owner, o, err);
	if (s != KN_OK || o->state != KN_OFFER_OPEN)
		return s;
	if ((s = kn_exec(db, "SAVEPOINT offer_confirm", err)) != KN_OK)
		return s;
	/* spent first: the hold then no longer counts, and the request is
	 * decided by every rule without it, as staff's approval would be */
	kn_now_text(now);
	if ((s = kn_cached(db, "UPDATE waitlist_offers SET used_at = ? WHERE id = ?", &st, err)) ==
	    KN_OK) {
		sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, o->id);
		s = kn_step_done(db, st, "spending the offer", err);
	}
	if (s == KN_OK && (s = kn_cached(db, "UPDATE requests SET status = 'pending' WHERE id = ?",
	                                 &st, err)) == KN_OK) {
		sqlite3_bind_int64(st, 1, o->request);
		s = kn_step_done(db, st, "taking the request off the waitlist", err);
	}
	struct kn_err refused = { 0 };
	if (s == KN_OK) {
		kn_status d = kn_request_decide(db, o->request, "approve", "booked from a waitlist offer",
		                                0, &refused);
		if (d == KN_FAIL) {
			/* the spot went (capacity lowered, a forced booking): the
			 * request stays on the waitlist, the offer ends */
			sqlite3_exec(db->h, "ROLLBACK TO offer_confirm", NULL, NULL, NULL);
			o->state = KN_OFFER_GONE;
			snprintf(o->why, sizeof o->why, "%.999s", refused.msg);
			s = offers_end(db, o->request, "the spot went", err);
		} else {
			s = d;
			*err = refused;
		}
	}
	if (s != KN_OK) {
		sqlite3_exec(db->h, "ROLLBACK TO offer_confirm; RELEASE offer_confirm", NULL, NULL,
		             NULL);
		return s;
	}
	return kn_exec(db, "RELEASE offer_confirm", err);
}

kn_status kn_waitlist_list(struct kn_db *db, const char *service, struct kn_printer *p,
                           struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	int row = 0;
	kn_status s = kn_prepare(db, "SELECT r.id, trim(o.first_name || ' ' || o.last_name),"
	                             " (SELECT group_concat(p.name, ', ') FROM request_pets rp"
	                             "  JOIN pets p ON p.id = rp.pet_id WHERE rp.request_id = r.id),"
	                             " r.service, r.start, r.end, r.requested_at, r.reason,"
	                             " (SELECT w.expires_at FROM waitlist_offers w"
	                             "  WHERE w.request_id = r.id AND w.used_at IS NULL"
	                             "  AND w.ended_at IS NULL AND w.expires_at > ?2), r.owner_id"
	                             " FROM requests r JOIN owners o ON o.id = r.owner_id"
	                             " WHERE r.status = 'waitlisted' AND (?1 IS NULL OR r.service = ?1)"
	                             " ORDER BY r.requested_at, r.id", &st, err);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	kn_bind_text(st, 1, service);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	kn_list_begin(p);
	while ((s = kn_step_row(db, st, &row, "listing the waitlist", err)) == KN_OK && row) {
		kn_rec_begin(p);
		kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
		kn_put_str(p, "owner", kn_col_text(st, 1), 1);
		kn_put_int(p, "owner_id", sqlite3_column_int64(st, 9), 0);
		kn_put_str(p, "pets", kn_col_text(st, 2), 1);
		kn_put_str(p, "service", kn_col_text(st, 3), 1);
		kn_put_str(p, "start", kn_col_text(st, 4), 1);
		kn_put_str(p, "end", kn_col_text(st, 5), 1);
		kn_put_str(p, "requested_at", kn_col_text(st, 6), 0);
		kn_put_str(p, "offered_until", kn_col_text(st, 8), 1);
		kn_put_str(p, "reason", kn_col_text(st, 7), 0);
		kn_rec_end(p);
	}
	kn_list_end(p);
	sqlite3_finalize(st);
	return s;
}
