/*
 * What a request must fit besides the approval rules: the booking windows
 * (how far ahead, how soon, how many waiting, how late a cancel) and the
 * product a grooming, training or service request names.
 */
#include <stdio.h>
#include <string.h>

#include "request/kn_request.h"

/* minutes since the epoch of YYYY-MM-DD and HH:MM ("" : the start of the day) */
static long long minutes_of(kn_day day, const char *hhmm)
{
	long long m = (long long)day * 1440;
	if (hhmm && strlen(hhmm) >= 5)
		m += ((hhmm[0] - '0') * 10 + (hhmm[1] - '0')) * 60 + (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
	return m;
}

static long long minutes_now(void)
{
	char now[20];
	kn_day today;
	kn_now_text(now);
	now[10] = '\0';
	if (kn_date_parse(now, &today, NULL) != KN_OK)
		today = kn_today();
	return minutes_of(today, now + 11);
}

kn_status kn_request_window(struct kn_db *db, long long owner, const char *start_date,
                            const char *start_time, int owner_words, struct kn_err *err)
{
	long long ahead = 0, notice = 0, pending_max = 20, pending = 0;
	kn_day day;
	kn_status s;
	if ((s = kn_date_parse(start_date, &day, err)) != KN_OK ||
	    (s = kn_pref_int(db, "portal.max_days_ahead", &ahead, err)) != KN_OK ||
	    (s = kn_pref_int(db, "portal.min_notice_hours", &notice, err)) != KN_OK ||
	    (s = kn_pref_int(db, "portal.max_pending", &pending_max, err)) != KN_OK)
		return s;
	if (ahead > 0 && day - kn_today() > ahead) {
		char last[11], shown[KN_DATE_TEXT];
		kn_date_format(kn_today() + (kn_day)ahead, last);
		if (owner_words)
			return kn_err_set(err, KN_FAIL, "We take bookings up to %lld days ahead: please "
			                  "choose a day until %s.", ahead,
			                  kn_date_display(last, kn_pref_date_style(db), 0, shown));
		return kn_err_set(err, KN_FAIL, "%s is %ld days ahead, past portal.max_days_ahead (%lld); "
		                  "--force books it", start_date, (long)(day - kn_today()), ahead);
	}
	if (notice > 0 && minutes_of(day, start_time) < minutes_now() + notice * 60) {
		if (owner_words)
			return kn_err_set(err, KN_FAIL, "We need %lld hours' notice for a booking: please "
			                  "choose a later day or time, or call us.", notice);
		return kn_err_set(err, KN_FAIL, "%s%s%s starts within portal.min_notice_hours (%lld); "
		                  "--force books it", start_date, start_time && *start_time ? " " : "",
		                  start_time ? start_time : "", notice);
	}
	sqlite3_stmt *st;
	int row = 0;
	if ((s = kn_cached(db, "SELECT count(*) FROM requests WHERE owner_id = ? AND status = 'pending'"
	                       " AND series_id IS NULL", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	if ((s = kn_step_row(db, st, &row, "counting requests", err)) == KN_OK && row)
		pending = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (s != KN_OK)
		return s;
	if (pending_max > 0 && pending >= pending_max) {
		if (owner_words)
			return kn_err_set(err, KN_FAIL, "You have %lld requests waiting for our answer, the "
			                  "most we take at once: please wait for us to decide them, or call "
			                  "us.", pending);
		return kn_err_set(err, KN_FAIL, "owner %lld has %lld pending requests, portal.max_pending "
		                  "(%lld); --force adds it", owner, pending, pending_max);
	}
	return KN_OK;
}

kn_status kn_request_cancel_window(struct kn_db *db, long long id, struct kn_err *err)
{
	long long hours = 0;
	sqlite3_stmt *st;
	int row = 0;
	kn_status s = kn_pref_int(db, "portal.cancel_notice_hours", &hours, err);
	if (s != KN_OK || hours <= 0)
		return s;
	if ((s = kn_cached(db, "SELECT start, coalesce(start_time, ''), status FROM requests"
	                       " WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	kn_day day = 0;
	char time[6] = "";
	int approved = 0;
	if ((s = kn_step_row(db, st, &row, "reading the request", err)) == KN_OK && row) {
		s = kn_date_parse(kn_col_text(st, 0), &day, err);
		snprintf(time, sizeof time, "%s", kn_col_text(st, 1));
		approved = strcmp(kn_col_text(st, 2), "approved") == 0;
	}
	sqlite3_reset(st);
	if (s != KN_OK || !row || !approved)
		return s;
	if (minutes_of(day, time) < minutes_now() + hours * 60)
		return kn_err_set(err, KN_FAIL, "This booking starts within %lld hours: please call us "
		                  "to cancel or change it.", hours);
	return KN_OK;
}

kn_status kn_request_product(struct kn_db *db, const char *service, const char *ref,
                             long long *product, struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0;
	if (strcmp(service, "grooming") != 0 && strcmp(service, "training") != 0 &&
	    strcmp(service, "service") != 0)
		return kn_err_set(err, KN_FAIL, "--product '%s': only a grooming, training or service "
		                  "request names its product", ref);
	kn_status s = kn_product_resolve(db, ref, product, err);
	if (s != KN_OK)
		return s;
	if ((s = kn_cached(db, "SELECT type, active FROM products WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, *product);
	if ((s = kn_step_row(db, st, &row, "reading the product", err)) == KN_OK && row) {
		if (!sqlite3_column_int(st, 1))
			s = kn_err_set(err, KN_FAIL, "product '%s' is not active", ref);
		else if (strcmp(kn_col_text(st, 0), service) != 0)
			s = kn_err_set(err, KN_FAIL, "product '%s' is a %s product, not %s", ref,
			               kn_col_text(st, 0), service);
	}
	sqlite3_reset(st);
	return s;
}

