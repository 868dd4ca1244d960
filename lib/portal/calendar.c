/*
 * The owner's calendar (PORTAL.md 3): a month of approved and pending
 * bookings, and the same as an iCalendar feed behind a per-owner key.
 * The key is random and only its hash is stored, so no copy of the
 * database can make the link: the page shows it once, when it is made,
 * and the feed finds its owner by the hash.  It ends with the login
 * (kn_login_end).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "owner/kn_creds.h"
#include "portal/kn_portal.h"

static const char *const month_names[] = { "January", "February", "March", "April", "May",
	                                        "June", "July", "August", "September", "October",
	                                        "November", "December" };

/* The month page; fresh_feed is the link just made, shown this once. */
static kn_status calendar_page(struct kn_page_req *r, const char *fresh_feed,
                               struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st;
	char first[11], last[11], month[8];
	kn_day day;
	if (db == NULL)
		return err->status;
	const char *asked = kn_form_one(&r->query, "month", NULL);
	kn_date_format(kn_today(), first);
	snprintf(month, sizeof month, "%.7s", first);
	if (asked) {
		char probe[16];
		struct kn_err e = { 0 };
		snprintf(probe, sizeof probe, "%.7s-01", asked);
		if (strlen(asked) != 7 || kn_date_parse(probe, &day, &e) != KN_OK) {
			kn_h_set(r->page, "message", "Ask for a month like 2026-12.");
			return kn_page(r, 400, "message.html", "Calendar", err);
		}
		snprintf(month, sizeof month, "%s", asked);
	}
	snprintf(first, sizeof first, "%s-01", month);
	kn_date_parse(first, &day, err);
	kn_day start = day, stop;
	/* month is YYYY-MM, checked above */
	int y = (int)strtol(month, NULL, 10), m = (int)strtol(month + 5, NULL, 10);
	char next[24];
	snprintf(next, sizeof next, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	kn_date_parse(next, &stop, err);
	kn_date_format(stop - 1, last);
	kn_h_setf(r->page, "month_name", "%s %d", month_names[m - 1], y);
	kn_h_setf(r->page, "prev", "%04d-%02d", m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1);
	kn_h_setf(r->page, "next", "%.7s", next);

	/* what is on each day of the month: the owner's bookings and the
	 * closed periods */
	kn_status s = kn_prepare(db, "SELECT r.service, r.status, r.start, r.end,"
	                             " (SELECT group_concat(p.name, ', ') FROM request_pets rp"
	                             "  JOIN pets p ON p.id = rp.pet_id WHERE rp.request_id = r.id)"
	                             " FROM requests r WHERE r.owner_id = ?1 AND r.status IN"
	                             " ('approved', 'pending') AND r.start <= ?2 AND r.end >= ?3"
	                             " UNION ALL SELECT coalesce(service, ''), 'closed', start, end,"
	                             " reason FROM blocks WHERE start <= ?2 AND end >= ?3"
	                             " ORDER BY 3, 1", &st, err);
	if (s != KN_OK)
		return s;
	struct span {
		char service[16], status[16], what[200];
		kn_day from, to;
	} *b = NULL;
	size_t nb = 0;
	sqlite3_bind_int64(st, 1, r->owner_id);
	sqlite3_bind_text(st, 2, last, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, first, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		b = kn_xrealloc(b, (nb + 1) * sizeof *b);
		snprintf(b[nb].service, sizeof b[nb].service, "%s", kn_col_text(st, 0));
		snprintf(b[nb].status, sizeof b[nb].status, "%s", kn_col_text(st, 1));
		snprintf(b[nb].what, sizeof b[nb].what, "%s", kn_col_text(st, 4) ? kn_col_text(st, 4) : "");
		struct kn_err e = { 0 };
		kn_date_parse(kn_col_text(st, 2), &b[nb].from, &e);
		kn_date_parse(kn_col_text(st, 3), &b[nb].to, &e);
		nb++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(b);
		return kn_sql_fail(db, err, "reading the calendar");
	}
	/* a grid of weeks, Sunday first, and the same days as a list for a
	 * phone */
	int style = r->set.date_style;
	kn_h_list(r->page, "weeks");
	kn_h_list(r->page, "days");
	kn_day grid = start - kn_weekday(start);
	struct kn_hctx *week = NULL;
	for (kn_day d = grid; d < stop || (d - grid) % 7 != 0; d++) {
		if ((d - grid) % 7 == 0) {
			week = kn_h_item(r->page, "weeks");
			kn_h_list(week, "cells");
		}
		struct kn_hctx *cell = kn_h_item(week, "cells");
		if (d < start || d >= stop) {
			kn_h_set(cell, "day", "");
			continue;
		}
		char ymd[11];
		kn_date_format(d, ymd);
		kn_h_int(cell, "day", d - start + 1);
		kn_h_date(cell, "date", ymd, style, 0);
		kn_h_list(cell, "items");
		struct kn_hctx *listed = NULL;
		for (size_t i = 0; i < nb; i++) {
			if (d < b[i].from || d > b[i].to)
				continue;
			if (listed == NULL) {
				listed = kn_h_item(r->page, "days");
				kn_h_date(listed, "date", ymd, style, 0);
				kn_h_list(listed, "items");
			}
			int closed = strcmp(b[i].status, "closed") == 0;
			/* the status in words, with a mark besides the colour */
			const char *words = closed ? "Closed"
			                  : strcmp(b[i].status, "approved") == 0 ? "Approved"
			                                                          : "Waiting for approval";
			struct kn_hctx *both[2] = { kn_h_item(cell, "items"), kn_h_item(listed, "items") };
			for (int k = 0; k < 2; k++) {
				kn_h_set(both[k], "status", b[i].status);
				kn_h_set(both[k], "words", words);
				kn_h_set(both[k], "service", b[i].service);
				kn_h_set(both[k], "what", b[i].what);
				kn_h_set(both[k], "closed", closed ? "1" : "");
			}
		}
	}
	free(b);

	/* the feed's link only when just made; else when it was */
	kn_h_set(r->page, "feed", fresh_feed ? fresh_feed : "");
	kn_h_set(r->page, "feed_made", "");
	if ((s = kn_prepare(db, "SELECT coalesce(created_at, '') FROM portal_calendar_keys"
	                        " WHERE owner_id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *made = kn_col_text(st, 0);
		kn_h_setf(r->page, "feed_made", "%.10s", made[0] ? made : "an earlier day");
	}
	sqlite3_finalize(st);
	kn_h_set(r->page, "csrf", kn_csrf_token(r));
	return kn_page(r, 200, "calendar.html", "Calendar", err);
}

kn_status kn_route_calendar(struct kn_page_req *r, struct kn_err *err)
{
	return calendar_page(r, NULL, err);
}

kn_status kn_route_calendar_key(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	unsigned char raw[32];
	char key[65], hash[65], now[20];
	sqlite3_stmt *st;
	if (db == NULL)
		return err->status;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(key, sizeof key, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	kn_token_digest(key, hash);
	kn_now_text(now);
	kn_req_act_as_owner(r);
	kn_status s = kn_tx_begin(db, err);
	if (s != KN_OK)
		return s;
	/* a new key replaces the old one: the old link stops working at once */
	if ((s = kn_prepare(db, "INSERT INTO portal_calendar_keys (owner_id, key_hash, created_at)"
	                        " VALUES (?1, ?2, ?3) ON CONFLICT (owner_id) DO UPDATE SET"
	                        " key_hash = ?2, created_at = ?3", &st, err)) == KN_OK) {
		sqlite3_bind_int64(st, 1, r->owner_id);
		sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "storing the calendar key");
		sqlite3_finalize(st);
	}
	if (s == KN_OK)
		s = kn_audit(db, "owner", r->owner_id, err, "new calendar feed link");
	if (s == KN_OK)
		s = kn_tx_commit(db, err);
	else
		kn_tx_rollback(db);
	if (s != KN_OK) {
		sodium_memzero(key, sizeof key);
		return s;
	}
	/* shown now or never: the page is no-store, and only the hash is kept */
	struct kn_company co;
	char path[100], feed[700];
	snprintf(path, sizeof path, "/calendar.ics?key=%s", key);
	sodium_memzero(key, sizeof key);
	if ((s = kn_company_get(db, &co, err)) != KN_OK) {
		sodium_memzero(path, sizeof path);
		return s;
	}
	kn_url_join(co.portal_url, path, feed, sizeof feed);
	kn_company_free(&co);
	sodium_memzero(path, sizeof path);
	s = calendar_page(r, feed, err);
	sodium_memzero(feed, sizeof feed);
	return s;
}

/* RFC 5545 text: backslash, semicolon, comma and line breaks escaped. */
static void ics_text(struct kn_buf *b, const char *v)
{
	for (; v && *v; v++) {
		if (*v == '\\' || *v == ';' || *v == ',')
			kn_buf_add(b, "\\", 1);
		if (*v == '\n') {
			kn_buf_add(b, "\\n", 2);
			continue;
		}
		if (*v == '\r')
			continue;
		kn_buf_add(b, v, 1);
	}
}

kn_status kn_route_calendar_ics(struct kn_page_req *r, struct kn_err *err)
{
	const char *key = kn_form_one(&r->query, "key", NULL);
	struct kn_db *db = kn_req_db(r, err);
	char hash[65];
	sqlite3_stmt *st;
	if (db == NULL)
		return err->status;
	if (key == NULL || strlen(key) != 64) {
		kn_h_set(r->page, "message", "There is no such calendar.");
		return kn_page(r, 404, "message.html", "Not found", err);
	}
	kn_token_digest(key, hash);
	long long owner = 0;
	kn_status s = kn_prepare(db, "SELECT k.owner_id FROM portal_calendar_keys k JOIN owners o"
	                             " ON o.id = k.owner_id WHERE k.key_hash = ? AND o.active", &st,
	                         err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		owner = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (owner == 0) {
		kn_h_set(r->page, "message", "There is no such calendar.");
		return kn_page(r, 404, "message.html", "Not found", err);
	}
	char stamp[17];
	time_t t = time(NULL);
	struct tm utc;
	gmtime_r(&t, &utc);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &utc);
	struct kn_buf *b = &r->body;
	kn_buf_addf(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kennel//owner portal//EN\r\n"
	            "CALSCALE:GREGORIAN\r\nX-WR-CALNAME:");
	ics_text(b, r->set.company_name);
	kn_buf_add(b, "\r\n", 2);
	if ((s = kn_prepare(db, "SELECT r.id, r.service, r.status, r.start, r.end, r.start_time,"
	                        " (SELECT group_concat(p.name, ', ') FROM request_pets rp"
	                        "  JOIN pets p ON p.id = rp.pet_id WHERE rp.request_id = r.id)"
	                        " FROM requests r WHERE r.owner_id = ? AND r.status IN"
	                        " ('approved', 'pending') ORDER BY r.start, r.id", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kn_day end;
		char endplus[11];
		struct kn_err e = { 0 };
		const char *service = kn_col_text(st, 1), *start = kn_col_text(st, 3);
		kn_date_parse(kn_col_text(st, 4), &end, &e);
		/* an all-day event ends the day after: boarding's last day is the
		 * pick-up day, so it is included too */
		kn_date_format(end + 1, endplus);
		kn_buf_addf(b, "BEGIN:VEVENT\r\nUID:request-%lld@kennel\r\nDTSTAMP:%sZ\r\n"
		            "DTSTART;VALUE=DATE:%.4s%.2s%.2s\r\nDTEND;VALUE=DATE:%.4s%.2s%.2s\r\n"
		            "STATUS:%s\r\nSUMMARY:", (long long)sqlite3_column_int64(st, 0), stamp,
		            start, start + 5, start + 8, endplus, endplus + 5, endplus + 8,
		            strcmp(kn_col_text(st, 2), "approved") == 0 ? "CONFIRMED" : "TENTATIVE");
		ics_text(b, service);
		if (kn_col_text(st, 6)) {
			kn_buf_add(b, ": ", 2);
			ics_text(b, kn_col_text(st, 6));
		}
		if (strcmp(kn_col_text(st, 2), "pending") == 0)
			kn_buf_add(b, " (pending)", 10);
		if (kn_col_text(st, 5)) {
			kn_buf_add(b, "\r\nDESCRIPTION:drop-off ", 23);
			ics_text(b, kn_col_text(st, 5));
		}
		kn_buf_add(b, "\r\nEND:VEVENT\r\n", 14);
	}
	sqlite3_finalize(st);
	kn_buf_add(b, "END:VCALENDAR\r\n", 15);
	r->content_type = "text/calendar; charset=utf-8";
	r->no_store = 1;
	r->status = 200;
	return KN_OK;
}
