/* Values as users type them: dates, money, email addresses, text. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/kn_internal.h"

static kn_day fixed_today = -1;
static char fixed_now[20];

/* Howard Hinnant's days_from_civil: exact for every Gregorian date. */
static kn_day days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(kn_day z, long *y, long *m, long *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(long y, long m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads 1..maxdigits digits; returns how many were read. */
static int read_number(const char *s, int maxdigits, long *out)
{
	int n = 0;
	long v = 0;

	while (n < maxdigits && isdigit((unsigned char)s[n])) {
		v = v * 10 + (s[n] - '0');
		n++;
	}
	*out = v;
	return n;
}

/* The fields of a YYYY-MM-DDTHH:MM:SS (0 where a field is not digits). */
static void read_time(const char *t, long *y, long *m, long *d, long *hh, long *mm, long *ss)
{
	*y = *m = *d = *hh = *mm = *ss = 0;
	read_number(t, 4, y);
	read_number(t + 5, 2, m);
	read_number(t + 8, 2, d);
	read_number(t + 11, 2, hh);
	read_number(t + 14, 2, mm);
	read_number(t + 17, 2, ss);
}

kn_status kn_count_parse(const char *text, const char *what, long long max, long long *n,
                         struct kn_err *err)
{
	long long v = 0;
	const char *s = text;

	if (*s == '\0')
		return kn_err_set(err, KN_FAIL, "invalid number '' for %s", what);
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return kn_err_set(err, KN_FAIL, "invalid number '%s' for %s", text, what);
		if (v > (max - (*s - '0')) / 10)
			return kn_err_set(err, KN_FAIL, "%s '%s' is out of range (at most %lld)", what,
			                  text, max);
		v = v * 10 + (*s - '0');
	}
	*n = v;
	return KN_OK;
}

kn_status kn_id_parse(const char *text, const char *what, long long *id, struct kn_err *err)
{
	long long v;
	if (kn_count_parse(text, what, KN_MAX_ID, &v, err) != KN_OK)
		return err ? err->status : KN_FAIL;
	if (v == 0)
		return kn_err_set(err, KN_FAIL, "invalid %s '%s'", what, text);
	*id = v;
	return KN_OK;
}

kn_status kn_date_parse(const char *text, kn_day *out, struct kn_err *err)
{
	long a, b, c, y, m, d;
	const char *s = text;
	int n;

	while (*s == ' ')
		s++;
	n = read_number(s, 4, &a);
	if (n == 4 && (s[4] == '-' || s[4] == '/')) {
		char sep = s[4];
		int n2 = read_number(s + 5, 2, &b);
		if (n2 != 2 || s[5 + n2] != sep)
			goto bad;
		int n3 = read_number(s + 8, 2, &c);
		if (n3 != 2)
			goto bad;
		s += 10;
		y = a, m = b, d = c;
	} else if ((n == 1 || n == 2) && s[n] == '/') {
		s += n + 1;
		int n2 = read_number(s, 2, &b);
		if (n2 == 0 || s[n2] != '/')
			goto bad;
		s += n2 + 1;
		if (read_number(s, 4, &c) != 4)
			goto bad;
		s += 4;
		m = a, d = b, y = c;
	} else {
		goto bad;
	}
	while (*s == ' ')
		s++;
	if (*s != '\0')
		goto bad;
	if (y < 1800 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return kn_err_set(err, KN_FAIL, "impossible date '%s'", text);
	*out = days_from_civil(y, m, d);
	return KN_OK;
bad:
	return kn_err_set(err, KN_FAIL,
	                  "invalid date '%s' (use YYYY-MM-DD, MM/DD/YYYY, today, "
	                  "tomorrow, yesterday, +N or -N)", text);
}

int kn_date_relative(const char *text, long *days)
{
	static const struct { const char *word; long days; } words[] = {
		{ "today", 0 }, { "tomorrow", 1 }, { "yesterday", -1 },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(text, words[i].word) == 0) {
			*days = words[i].days;
			return 1;
		}
	if (text[0] != '+' && text[0] != '-')
		return 0;
	long n = 0;
	int len = read_number(text + 1, 5, &n);
	/* +N/-N: up to 36,500 days (a century), digits only */
	if (len == 0 || text[1 + len] != '\0' || n > 36500)
		return 0;
	*days = text[0] == '-' ? -n : n;
	return 1;
}

void kn_date_format(kn_day day, char out[11])
{
	long y, m, d;

	char text[48];

	civil_from_days(day, &y, &m, &d);
	snprintf(text, sizeof text, "%04ld-%02ld-%02ld", y % 10000, m % 100, d % 100);
	memcpy(out, text, 10);
	out[10] = '\0';
}

int kn_date_style_parse(const char *name)
{
	if (name && strcmp(name, "iso") == 0)
		return KN_DATES_ISO;
	if (name && strcmp(name, "day-month") == 0)
		return KN_DATES_DAY_MONTH;
	return KN_DATES_US;
}

int kn_clock_ok(const char *hhmm)
{
	long h, m;
	return hhmm && read_number(hhmm, 2, &h) == 2 && hhmm[2] == ':' &&
	       read_number(hhmm + 3, 2, &m) == 2 && hhmm[5] == '\0' && h <= 23 && m <= 59;
}

int kn_weekday(kn_day day)
{
	/* 1970-01-01, day 0, was a Thursday */
	return (int)(((day % 7) + 7 + 4) % 7);
}

const char *kn_time_display(const char *hhmm, int style, char out[KN_DATE_TEXT])
{
	long h = 0, m = 0;
	/* a time as stored, HH:MM; anything else is shown as it is */
	if (hhmm == NULL || strlen(hhmm) < 5)
		return hhmm;
	char clock[6];
	memcpy(clock, hhmm, 5);
	clock[5] = '\0';
	if (!kn_clock_ok(clock))
		return hhmm;
	read_number(hhmm, 2, &h);
	read_number(hhmm + 3, 2, &m);
	/* the ranges said again for the compiler's truncation check */
	int hour = (int)(h % 24), minute = (int)(m % 60);
	if (style != KN_DATES_US) {
		snprintf(out, KN_DATE_TEXT, "%02d:%02d", hour, minute);
		return out;
	}
	snprintf(out, KN_DATE_TEXT, "%d:%02d %s", hour % 12 == 0 ? 12 : hour % 12, minute,
	         hour < 12 ? "AM" : "PM");
	return out;
}

const char *kn_date_display(const char *iso, int style, int table, char out[KN_DATE_TEXT])
{
	static const char *const wday[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char date[11];
	kn_day day;
	long y, m, d;

	/* a time (2026-12-04T09:30:00) shows its day */
	if (iso == NULL || strlen(iso) < 10)
		return iso;
	memcpy(date, iso, 10);
	date[10] = '\0';
	if (kn_date_parse(date, &day, NULL) != KN_OK)
		return iso;
	civil_from_days(day, &y, &m, &d);
	const char *w = wday[kn_weekday(day)];
	if (style == KN_DATES_ISO)
		memcpy(out, date, 11);
	else if (style == KN_DATES_DAY_MONTH && table)
		snprintf(out, KN_DATE_TEXT, "%02ld/%02ld/%04ld", d % 100, m % 100, y % 10000);
	else if (style == KN_DATES_DAY_MONTH)
		snprintf(out, KN_DATE_TEXT, "%s %ld %s %04ld", w, d % 100, mon[m - 1], y % 10000);
	else if (table)
		snprintf(out, KN_DATE_TEXT, "%02ld/%02ld/%04ld", m % 100, d % 100, y % 10000);
	else
		snprintf(out, KN_DATE_TEXT, "%s, %s %ld, %04ld", w, mon[m - 1], d % 100, y % 10000);
	/* "2026-12-04 at 08:30" (a drop-off in a mail) keeps its time */
	if (strncmp(iso + 10, " at ", 4) == 0) {
		char t[KN_DATE_TEXT];
		size_t used = strlen(out);
		snprintf(out + used, KN_DATE_TEXT - used, " at %s",
		         kn_time_display(iso + 14, style, t));
	}
	return out;
}

kn_status kn_clock_set(const char *today, const char *now, struct kn_err *err)
{
	kn_day day;

	if (now != NULL && *now != '\0') {
		long hh, mm, ss = 0;
		if (strlen(now) < 16 || now[10] != 'T')
			return kn_err_set(err, KN_USAGE,
			                  "invalid KENNEL_NOW '%s' (use YYYY-MM-DDTHH:MM:SS)", now);
		char date[11];
		memcpy(date, now, 10);
		date[10] = '\0';
		if (kn_date_parse(date, &day, NULL) != KN_OK ||
		    read_number(now + 11, 2, &hh) != 2 || now[13] != ':' ||
		    read_number(now + 14, 2, &mm) != 2 || hh > 23 || mm > 59 ||
		    (now[16] == ':' && (read_number(now + 17, 2, &ss) != 2 || ss > 59)) ||
		    (now[16] != ':' && now[16] != '\0'))
			return kn_err_set(err, KN_USAGE,
			                  "invalid KENNEL_NOW '%s' (use YYYY-MM-DDTHH:MM:SS)", now);
		char text[64];
		snprintf(text, sizeof text, "%sT%02ld:%02ld:%02ld", date, hh % 100, mm % 100, ss % 100);
		memcpy(fixed_now, text, 19);
		fixed_now[19] = '\0';
		fixed_today = day;
	}
	if (today != NULL && *today != '\0') {
		if (kn_date_parse(today, &day, NULL) != KN_OK)
			return kn_err_set(err, KN_USAGE,
			                  "invalid KENNEL_TODAY '%s' (use YYYY-MM-DD)", today);
		fixed_today = day;
		if (fixed_now[0] == '\0') {
			char date[11];
			kn_date_format(day, date);
			memcpy(fixed_now, date, 10);
			memcpy(fixed_now + 10, "T09:00:00", 10);
		}
	}
	return KN_OK;
}

kn_status kn_timezone_check(const char *tz, struct kn_err *err)
{
	char path[512], magic[4];
	int ok = tz[0] != '\0' && tz[0] != '/' && strstr(tz, "..") == NULL;

	for (const char *c = tz; ok && *c; c++)
		ok = isalnum((unsigned char)*c) || strchr("/_+-", *c) != NULL;
	if (ok) {
		/* a zone is a compiled TZif file in the system's zone database */
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
		FILE *f = fopen(path, "rb");
		ok = f != NULL && fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
		if (f)
			fclose(f);
	}
	if (!ok)
		return kn_err_set(err, KN_FAIL, "unknown time zone '%s' (an IANA name from the "
		                  "system's zone database, such as America/Chicago)", tz);
	return KN_OK;
}

/* bumped when the zone changes, so a cached "now" is never in the old one */
static volatile int zone_generation;

void kn_clock_zone(const char *tz)
{
	zone_generation++;
	/* the business's zone, not the process's: a server in UTC must not move
	 * "today" for a kennel in Chicago; none set means the machine's own */
	if (tz != NULL && *tz != '\0')
		setenv("TZ", tz, 1);
	else
		unsetenv("TZ");
	tzset();
}

void kn_rfc5322_date(const char *now, char out[40])
{
	struct tm tm = { 0 };
	long y, m, d, hh, mm, ss;

	read_time(now, &y, &m, &d, &hh, &mm, &ss);
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)hh;
	tm.tm_min = (int)mm;
	tm.tm_sec = (int)ss;
	tm.tm_isdst = -1;
	/* mktime in the business's zone gives the weekday and the offset */
	if (mktime(&tm) == (time_t)-1 ||
	    strftime(out, 40, "%a, %d %b %Y %H:%M:%S %z", &tm) == 0)
		snprintf(out, 40, "%.10s %.8s -0000", now, now + 11);
}

kn_status kn_time_parse(const char *text, char out[20], struct kn_err *err)
{
	char date[11];
	const char *t = NULL;
	long hh, mm, ss = 0;
	kn_day day;
	size_t n = strlen(text);

	/* YYYY-MM-DDTHH:MM[:SS] (or a space for the T), or MM/DD/YYYY HH:MM */
	if (n >= 16 && (text[10] == 'T' || text[10] == ' ') && text[4] == '-') {
		memcpy(date, text, 10);
		date[10] = '\0';
		t = text + 11;
	} else {
		const char *sp = strchr(text, ' ');
		if (sp && (size_t)(sp - text) <= 10 && strchr(text, '/') && strchr(text, '/') < sp) {
			snprintf(date, sizeof date, "%.*s", (int)(sp - text), text);
			t = sp + 1;
		}
	}
	if (t == NULL || kn_date_parse(date, &day, NULL) != KN_OK ||
	    read_number(t, 2, &hh) != 2 || t[2] != ':' || read_number(t + 3, 2, &mm) != 2 ||
	    hh > 23 || mm > 59 ||
	    (t[5] == ':' && (read_number(t + 6, 2, &ss) != 2 || ss > 59 || t[8] != '\0')) ||
	    (t[5] != ':' && t[5] != '\0'))
		return kn_err_set(err, KN_FAIL, "invalid time '%s' (use YYYY-MM-DDTHH:MM[:SS] or "
		                  "MM/DD/YYYY HH:MM)", text);
	char text_out[64];
	kn_date_format(day, date);
	snprintf(text_out, sizeof text_out, "%sT%02ld:%02ld:%02ld", date, hh % 100, mm % 100,
	         ss % 100);
	memcpy(out, text_out, 20);
	return KN_OK;
}

/* The local time of this second as text, made once per second and thread
 * (localtime_r takes a process-wide lock, and the server asks often). */
static const char *clock_text(void)
{
	static _Thread_local time_t cached_at = -1;
	static _Thread_local int cached_zone;
	static _Thread_local char cached[20];
	time_t t = time(NULL);
	if (t != cached_at || cached_zone != zone_generation) {
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
		cached_at = t;
		cached_zone = zone_generation;
	}
	return cached;
}

kn_day kn_today(void)
{
	if (fixed_today >= 0)
		return fixed_today;
	long y, m, d, hh, mm, ss;
	read_time(clock_text(), &y, &m, &d, &hh, &mm, &ss);
	return days_from_civil(y, m, d);
}

void kn_now_text(char out[20])
{
	if (fixed_now[0] != '\0') {
		memcpy(out, fixed_now, 20);
		return;
	}
	memcpy(out, clock_text(), 20);
}

long long kn_time_seconds(const char *when)
{
	long y, m, d, hh, mm, ss;
	read_time(when, &y, &m, &d, &hh, &mm, &ss);
	return (long long)days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

void kn_time_add_seconds(const char *when, long long seconds, char out[20])
{
	char date[11], text[64];
	long hh = 0, mm = 0, ss = 0, y, m, d;
	kn_day day = 0;

	memcpy(date, when, 10);
	date[10] = '\0';
	kn_date_parse(date, &day, NULL);
	read_number(when + 11, 2, &hh);
	read_number(when + 14, 2, &mm);
	read_number(when + 17, 2, &ss);
	long long secs = (long long)day * 86400 + hh * 3600 + mm * 60 + ss + seconds;
	day = (kn_day)(secs / 86400);
	secs %= 86400;
	civil_from_days(day, &y, &m, &d);
	snprintf(text, sizeof text, "%04ld-%02ld-%02ldT%02lld:%02lld:%02lld", y % 10000, m % 100,
	         d % 100, secs / 3600, secs / 60 % 60, secs % 60);
	memcpy(out, text, 19);
	out[19] = '\0';
}

void kn_time_add_hours(const char *when, long hours, char out[20])
{
	kn_time_add_seconds(when, (long long)hours * 3600, out);
}

kn_status kn_money_parse(const char *text, long long *cents, struct kn_err *err)
{
	const char *s = text;
	long long whole = 0, frac = 0;
	int digits = 0, frac_digits = 0, neg = 0, group = -1;

	while (*s == ' ')
		s++;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (*s == '$')
		s++;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s)) {
			if (whole > 9999999999LL)
				goto bad;
			whole = whole * 10 + (*s - '0');
			digits++;
			if (group >= 0)
				group++;
		} else if (*s == ',' && digits > 0 && (group == -1 ? digits <= 3 : group == 3)) {
			group = 0;
		} else {
			break;
		}
	}
	if (digits == 0 || (group >= 0 && group != 3))
		goto bad;
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s) && frac_digits < 2) {
			frac = frac * 10 + (*s - '0');
			frac_digits++;
			s++;
		}
		if (frac_digits == 0)
			goto bad;
		if (frac_digits == 1)
			frac *= 10;
	}
	while (*s == ' ')
		s++;
	if (*s != '\0')
		goto bad;
	/* a price, a payment: never negative, at most $10,000,000 a line */
	if (neg)
		return kn_err_set(err, KN_FAIL, "invalid amount '%s': an amount is never negative",
		                  text);
	if (whole * 100 + frac > KN_MAX_CENTS)
		return kn_err_set(err, KN_FAIL, "amount '%s' is over $10,000,000", text);
	*cents = whole * 100 + frac;
	return KN_OK;
bad:
	return kn_err_set(err, KN_FAIL, "invalid amount '%s' (use 12.50)", text);
}

void kn_money_format(long long cents, char out[32])
{
	unsigned long long a = cents < 0 ? 0ULL - (unsigned long long)cents : (unsigned long long)cents;
	snprintf(out, 32, "%s%llu.%02llu", cents < 0 ? "-" : "", a / 100, a % 100);
}

static int is_atext(int c)
{
	return isalnum(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

kn_status kn_email_check(const char *text, char *out, size_t outlen, struct kn_err *err)
{
	const char *start = text, *end;
	const char *at, *p;
	size_t len;

	while (*start == ' ' || *start == '\t')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	len = (size_t)(end - start);
	if (len == 0)
		return kn_err_set(err, KN_FAIL, "empty email address");
	if (len > 254)
		goto bad;
	at = memchr(start, '@', len);
	if (at == NULL || at == start || at - start > 64)
		goto bad;
	/* local part: dot-atom */
	for (p = start; p < at; p++) {
		if (*p == '.') {
			if (p == start || p[1] == '.' || p + 1 == at)
				goto bad;
		} else if (!is_atext((unsigned char)*p)) {
			goto bad;
		}
	}
	/* domain: two labels or more, TLD of letters */
	const char *label = at + 1;
	int labels = 0;
	for (;;) {
		const char *dot = label;
		while (dot < end && *dot != '.')
			dot++;
		size_t n = (size_t)(dot - label);
		if (n == 0 || n > 63 || label[0] == '-' || label[n - 1] == '-')
			goto bad;
		for (p = label; p < dot; p++)
			if (!isalnum((unsigned char)*p) && *p != '-')
				goto bad;
		labels++;
		if (dot == end) {
			for (p = label; p < dot; p++)
				if (!isalpha((unsigned char)*p))
					goto bad;
			break;
		}
		label = dot + 1;
	}
	if (labels < 2)
		goto bad;
	if (out != NULL) {
		if (len + 1 > outlen)
			goto bad;
		memcpy(out, start, len);
		out[len] = '\0';
	}
	return KN_OK;
bad:
	return kn_err_set(err, KN_FAIL, "invalid email '%s'", text);
}

/* The base letters of U+00C0..U+017F, two bytes of UTF-8 each (C3 80 ..
 * C5 BF); '\0' where the character is no accented letter (x, /). */
static const char fold_c3[64] = "aaaaaaaceeeeiiiidnooooo\0ouuuuyts"
                                "aaaaaaaceeeeiiiidnooooo\0ouuuuyty";
static const char fold_c4_c5[128] =
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjjjkkklllllll"
	"lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

size_t kn_fold(const char *in, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t j = 0;

	for (size_t i = 0; s[i] && j + 1 < outlen; i++) {
		char c = (char)s[i];
		if (s[i] >= 'A' && s[i] <= 'Z') {
			c = (char)(s[i] - 'A' + 'a');
		} else if (s[i] == 0xc3 && s[i + 1] >= 0x80 && s[i + 1] <= 0xbf &&
		           fold_c3[s[i + 1] - 0x80]) {
			c = fold_c3[s[++i] - 0x80];
		} else if ((s[i] == 0xc4 || s[i] == 0xc5) && s[i + 1] >= 0x80 && s[i + 1] <= 0xbf) {
			c = fold_c4_c5[(s[i] - 0xc4) * 64 + (s[i + 1] - 0x80)];
			i++;
		}
		out[j++] = c;
	}
	out[j] = '\0';
	return j;
}

static int formula_char(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

int kn_csv_needs_guard(const char *v)
{
	/* a ' before a formula, and before a ' that would read as one: so
	 * taking one ' off on import gives back exactly what was written */
	return formula_char(v[0]) || (v[0] == '\'' && (formula_char(v[1]) || v[1] == '\''));
}

/* Whether valid UTF-8 text is only invisible format characters, the bidi
 * controls (U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and zero-width
 * ones (U+200B..U+200D, U+2060, U+FEFF), with blanks: a name that shows
 * nothing.  (Blanks alone are the caller's to trim or refuse.) */
static int only_invisible(const unsigned char *s)
{
	int format = 0;
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			s++;
		} else if (s[0] == 0xc2 && s[1] == 0xa0) {
			s += 2;
		} else if ((s[0] == 0xe2 && s[1] == 0x80 &&
		            ((s[2] >= 0x8b && s[2] <= 0x8f) || (s[2] >= 0xaa && s[2] <= 0xae))) ||
		           (s[0] == 0xe2 && s[1] == 0x81 &&
		            (s[2] == 0xa0 || (s[2] >= 0xa6 && s[2] <= 0xa9))) ||
		           (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)) {
			s += 3;
			format = 1;
		} else {
			return 0;
		}
	}
	return format;
}

kn_status kn_line_check(const char *field, const char *v, int multiline, struct kn_err *err)
{
	const unsigned char *s = (const unsigned char *)v;

	if (v == NULL)
		return KN_OK;
	if (!kn_utf8_valid(v, strlen(v)))
		return kn_err_set(err, KN_FAIL, "%s has invalid UTF-8", field);
	for (size_t i = 0; s[i]; i++)
		/* C0 controls, DEL, and C1 controls (U+0080..U+009F as C2 80..9F) */
		if ((s[i] < 0x20 && !(multiline && (s[i] == '\n' || s[i] == '\t' ||
		                                     (s[i] == '\r' && s[i + 1] == '\n')))) ||
		    s[i] == 0x7f || (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f))
			return kn_err_set(err, KN_FAIL, "%s has a control character (byte %u): a name or "
			                  "other one-line field cannot hold one", field,
			                  s[i] == 0xc2 ? s[i + 1] : s[i]);
	if (only_invisible(s))
		return kn_err_set(err, KN_FAIL, "%s has no visible character (only spaces, "
		                  "direction marks or zero-width characters)", field);
	return KN_OK;
}

int kn_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *e = s + len;

	while (s < e) {
		unsigned char c = *s;
		size_t n;
		unsigned int cp;
		if (c < 0x80) {
			s++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1, cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2, cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3, cp = c & 0x07;
		} else {
			return 0;
		}
		if ((size_t)(e - s) <= n)
			return 0;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i] & 0x3fu);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += n + 1;
	}
	return 1;
}

size_t kn_link_token_span(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
