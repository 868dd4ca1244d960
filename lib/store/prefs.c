/* Typed application preferences (SPEC.md section 3, prefs). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/kn_internal.h"

/* type: bool, int, list, url, email, money, money-or-percent, time-or-none, or a|b|c
 * choices */
static const struct kn_pref prefs[] = {
	{ "portal.self_register", "bool", "true", "owners may register themselves" },
	{ "portal.session_idle_minutes", "int", "30",
	  "minutes without activity before a portal session ends" },
	{ "portal.single_session", "bool", "true",
	  "one portal login per owner: a new login ends the others" },
	{ "portal.daycare", "off|request|schedule", "request", "how daycare reaches the business" },
	{ "portal.boarding", "off|request|schedule", "request", "how boarding reaches the business" },
	{ "portal.grooming", "off|request", "request", "how grooming reaches the business" },
	{ "portal.training", "off|request", "request", "how training reaches the business" },
	{ "portal.service", "off|request", "request", "how scheduled services reach the business" },
	{ "portal.require_current_vaccinations", "bool", "true",
	  "a request whose pets' required vaccinations expire before it ends cannot be approved" },
	{ "portal.require_temperament_test", "bool", "false",
	  "daycare and boarding need a passed temperament test" },
	{ "portal.boarding_deposit", "money-or-percent", "none",
	  "deposit an approved boarding request asks for" },
	{ "portal.max_days_ahead", "int", "0",
	  "how many days ahead owners may book (0: no limit); staff: --force" },
	{ "portal.min_notice_hours", "int", "0",
	  "hours of notice a booking needs (the same-day cutoff); staff: --force" },
	{ "portal.cancel_notice_hours", "int", "0",
	  "an approved booking starting sooner cannot be cancelled on the portal" },
	{ "portal.max_pending", "int", "20", "pending requests an owner may have at once" },
	{ "portal.waitlist", "bool", "false",
	  "a portal booking refused as full waits on the waitlist for a freed spot" },
	{ "waitlist.hold_hours", "int", "4",
	  "hours a waitlist offer holds the freed spot for its owner" },
	{ "recur.horizon_days", "int", "56",
	  "how far ahead a standing booking's occurrences are made (series extend)" },
	{ "portal.purchase", "off|invoice", "off",
	  "owners may buy shown packages on the portal, billed as a due invoice" },
	{ "portal.max_nights", "int", "30",
	  "the longest stay an owner can request in the portal (staff: --force)" },
	{ "vaccines.required", "list", "rabies,distemper,bordetella", "required vaccinations" },
	{ "vaccines.required.boarding", "list", "", "boarding's, when not vaccines.required" },
	{ "vaccines.required.daycare", "list", "", "daycare's, when not vaccines.required" },
	{ "vaccines.required.grooming", "list", "", "grooming's, when not vaccines.required" },
	{ "vaccines.required.training", "list", "", "training's, when not vaccines.required" },
	{ "vaccines.required.service", "list", "", "other services', when not vaccines.required" },
	{ "remind.vaccination_days", "int", "30", "days ahead a vaccination reminder looks" },
	{ "remind.appointment_days", "int", "1", "days ahead an appointment reminder looks" },
	{ "remind.package_days", "int", "14", "days ahead a package reminder looks" },
	{ "remind.closure_days", "int", "14", "days ahead a closed period is told to owners" },
	{ "creds.lowercase_usernames", "bool", "true", "generated usernames are the lowercased email" },
	{ "display.date", "us|iso|day-month", "us",
	  "how the portal and mail show dates: Fri, Dec 4, 2026; 2026-12-04; Fri 4 Dec 2026" },
	{ "owner.require_email", "bool", "false",
	  "owners without an email are refused (add, edit, import, registration)" },
	{ "desk.use_package", "auto|never", "auto",
	  "a sign-out uses a day of the owner's package of the service's type" },
	{ "desk.late_after", "time-or-none", "none",
	  "a day visit signed out after this time (HH:MM) is charged desk.late_fee" },
	{ "desk.late_fee", "money", "0", "the late pick-up fee" },
	{ "mail.url", "url", "", "where mail goes: smtp://, smtps:// or file:///dir" },
	{ "mail.from", "email", "", "sender address (default: the company email)" },
	{ "mail.starttls", "off|try|required", "try", "STARTTLS on smtp://" },
	{ "mail.rate", "int", "0", "messages per minute (0: no limit)" },
	{ "mail.timeout", "int", "120",
	  "seconds one message may take; a server that stalls past it ends the run" },
	{ "mail.ca_file", "file", "",
	  "PEM file of the CAs to trust for the mail server instead of the system's" },
};

const struct kn_pref *kn_pref_table(size_t *count)
{
	*count = sizeof prefs / sizeof prefs[0];
	return prefs;
}

static const struct kn_pref *find(const char *key, struct kn_err *err)
{
	const char *names[sizeof prefs / sizeof prefs[0]];
	size_t n = sizeof prefs / sizeof prefs[0];

	for (size_t i = 0; i < n; i++) {
		if (strcmp(prefs[i].key, key) == 0)
			return &prefs[i];
		names[i] = prefs[i].key;
	}
	const char *near = kn_nearest(key, names, n);
	if (near)
		kn_err_set(err, KN_USAGE, "unknown preference '%s' (did you mean '%s'?)", key, near);
	else
		kn_err_set(err, KN_USAGE, "unknown preference '%s' (see 'kennel prefs list')", key);
	return NULL;
}

static int one_of(const char *choices, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return 1;
		if (!bar)
			break;
		p = bar + 1;
	}
	return 0;
}

/* Checks value against the type; writes the canonical form to out. */
static kn_status normalise(const struct kn_pref *p, const char *v, char *out, size_t outlen,
                           struct kn_err *err)
{
	const char *t = p->type;

	if (strcmp(t, "bool") == 0) {
		if (one_of("true|yes|on|1", v))
			v = "true";
		else if (one_of("false|no|off|0", v))
			v = "false";
		else
			return kn_err_set(err, KN_FAIL, "invalid value '%s' for %s (allowed: true, false)",
			                  v, p->key);
	} else if (strcmp(t, "int") == 0) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 0 || n > 100000)
			return kn_err_set(err, KN_FAIL,
			                  "invalid value '%s' for %s (allowed: a whole number >= 0)", v,
			                  p->key);
	} else if (strcmp(t, "list") == 0) {
		for (const char *c = v; *c; c++)
			if (!isalnum((unsigned char)*c) && !strchr(",_- ", *c))
				return kn_err_set(err, KN_FAIL,
				                  "invalid value '%s' for %s (allowed: names separated by commas)",
				                  v, p->key);
	} else if (strcmp(t, "url") == 0) {
		if (strncmp(v, "smtp://", 7) != 0 && strncmp(v, "smtps://", 8) != 0 &&
		    strncmp(v, "file:///", 8) != 0)
			return kn_err_set(err, KN_FAIL,
			                  "invalid value '%s' for %s (allowed: smtp://HOST:PORT, "
			                  "smtps://HOST:PORT, file:///DIR)", v, p->key);
	} else if (strcmp(t, "file") == 0) {
		/* absolute: cron runs kennel from another directory */
		if (*v && (v[0] != '/' || access(v, R_OK) != 0))
			return kn_err_set(err, KN_FAIL, "invalid value '%s' for %s (allowed: the absolute "
			                  "path of a readable file, or '' for none)", v, p->key);
	} else if (strcmp(t, "email") == 0) {
		if (kn_email_check(v, out, outlen, NULL) != KN_OK)
			return kn_err_set(err, KN_FAIL, "invalid value '%s' for %s (allowed: an email "
			                  "address)", v, p->key);
		return KN_OK;
	} else if (strcmp(t, "time-or-none") == 0) {
		if (strcmp(v, "none") != 0 && !kn_clock_ok(v))
			return kn_err_set(err, KN_FAIL, "invalid value '%s' for %s (allowed: none, or a "
			                  "time HH:MM such as 18:00)", v, p->key);
	} else if (strcmp(t, "money") == 0) {
		long long cents;
		if (kn_money_parse(v, &cents, NULL) != KN_OK || cents < 0 || cents > KN_MAX_CENTS)
			return kn_err_set(err, KN_FAIL, "invalid value '%s' for %s (allowed: an amount "
			                  "such as 15.00)", v, p->key);
	} else if (strcmp(t, "money-or-percent") == 0) {
		size_t n = strlen(v);
		long long cents;
		if (strcmp(v, "none") != 0) {
			if (n > 1 && v[n - 1] == '%') {
				char *end;
				long pct = strtol(v, &end, 10);
				if (end != v + n - 1 || pct <= 0 || pct > 100)
					goto bad_money;
			} else if (kn_money_parse(v, &cents, NULL) != KN_OK || cents < 0) {
				goto bad_money;
			}
		}
	} else if (!one_of(t, v)) {
		struct kn_buf b = { 0 };
		for (const char *c = t; *c; c++)
			kn_buf_add(&b, *c == '|' ? ", " : c, *c == '|' ? 2 : 1);
		kn_err_set(err, KN_FAIL, "invalid value '%s' for %s (allowed: %s)", v, p->key, b.data);
		kn_buf_free(&b);
		return KN_FAIL;
	}
	snprintf(out, outlen, "%s", v);
	return KN_OK;
bad_money:
	return kn_err_set(err, KN_FAIL,
	                  "invalid value '%s' for %s (allowed: none, an amount, or a percentage)",
	                  v, p->key);
}

static char *default_value(struct kn_db *db, const struct kn_pref *p, struct kn_err *err)
{
	if (strcmp(p->key, "mail.url") == 0) {
		/* the file mailer beside the database: nothing leaves until set */
		struct kn_buf b = { 0 };
		const char *slash = strrchr(db->path, '/');
		char cwd[4096];
		kn_buf_add(&b, "file://", 7);
		if (db->path[0] != '/' && getcwd(cwd, sizeof cwd)) {
			kn_buf_addf(&b, "%s/", cwd);
		}
		if (slash)
			kn_buf_add(&b, db->path, (size_t)(slash - db->path + 1));
		kn_buf_add(&b, "kennel-mail", 11);
		return b.data;
	}
	if (strcmp(p->key, "mail.from") == 0) {
		struct kn_company c;
		if (kn_company_get(db, &c, err) != KN_OK)
			return NULL;
		char *v = kn_xstrdup(c.email ? c.email : "");
		kn_company_free(&c);
		return v;
	}
	return kn_xstrdup(p->def);
}

int kn_pref_date_style(struct kn_db *db)
{
	char *text = NULL;
	struct kn_err err = { 0 };
	/* a date shown in the default style beats a page or mail not shown */
	int style = kn_pref_get(db, "display.date", &text, NULL, &err) == KN_OK
	                ? kn_date_style_parse(text) : KN_DATES_US;
	free(text);
	return style;
}

kn_status kn_pref_bool(struct kn_db *db, const char *key, int *value, struct kn_err *err)
{
	char *text;
	kn_status s = kn_pref_get(db, key, &text, NULL, err);
	if (s == KN_OK)
		*value = strcmp(text, "true") == 0;
	free(text);
	return s;
}

kn_status kn_pref_get(struct kn_db *db, const char *key, char **value, int *is_default,
                      struct kn_err *err)
{
	const struct kn_pref *p = find(key, err);
	sqlite3_stmt *st;
	kn_status s;

	*value = NULL;
	if (p == NULL)
		return KN_USAGE;
	/* cached: every queued message reads mail.from */
	if ((s = kn_cached(db, "SELECT value FROM prefs WHERE key = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = kn_xstrdup(kn_col_text(st, 0));
		if (is_default)
			*is_default = 0;
	} else if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		*value = default_value(db, p, err);
		if (is_default)
			*is_default = 1;
		if (*value == NULL)
			s = KN_FAIL;
	} else {
		s = kn_sql_fail(db, err, "reading preferences");
	}
	sqlite3_reset(st);
	return s;
}

kn_status kn_pref_set(struct kn_db *db, const char *key, const char *value,
                      struct kn_err *err)
{
	const struct kn_pref *p = find(key, err);
	char canon[512];
	sqlite3_stmt *st;
	kn_status s;

	if (p == NULL)
		return KN_USAGE;
	if ((s = normalise(p, value, canon, sizeof canon, err)) != KN_OK)
		return s;
	if ((s = kn_prepare(db, "INSERT INTO prefs (key, value) VALUES (?, ?)"
	                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	                    &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, p->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, canon, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "setting preference");
	sqlite3_finalize(st);
	if (s == KN_OK)
		s = kn_audit(db, "pref", 0, err, "%s = %s", p->key, canon);
	return s;
}

kn_status kn_pref_reset(struct kn_db *db, const char *key, struct kn_err *err)
{
	const struct kn_pref *p = find(key, err);
	sqlite3_stmt *st;
	kn_status s;

	if (p == NULL)
		return KN_USAGE;
	if ((s = kn_prepare(db, "DELETE FROM prefs WHERE key = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, p->key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "resetting preference");
	sqlite3_finalize(st);
	if (s == KN_OK)
		s = kn_audit(db, "pref", 0, err, "%s reset to default", p->key);
	return s;
}

kn_status kn_pref_int(struct kn_db *db, const char *key, long long *value, struct kn_err *err)
{
	char *v;
	kn_status s = kn_pref_get(db, key, &v, NULL, err);
	if (s != KN_OK)
		return s;
	*value = strtoll(v, NULL, 10);
	free(v);
	return KN_OK;
}

/* today and the end of the "expiring" window, as YYYY-MM-DD */
kn_status kn_vax_window(struct kn_db *db, long long days, char today[11], char soon[11],
                        struct kn_err *err)
{
	kn_status s;
	if (days < 0 && (s = kn_pref_int(db, "remind.vaccination_days", &days, err)) != KN_OK)
		return s;
	kn_date_format(kn_today(), today);
	kn_date_format(kn_today() + (kn_day)days, soon);
	return KN_OK;
}

/* vaccines.required as a JSON array, for json_each() in a bound parameter */
kn_status kn_required_vaccines_json(struct kn_db *db, struct kn_buf *out, struct kn_err *err)
{
	return kn_required_vaccines_for(db, NULL, out, err);
}

kn_status kn_required_vaccines_for(struct kn_db *db, const char *service, struct kn_buf *out,
                                   struct kn_err *err)
{
	char *list, key[64];
	int is_default = 1;
	kn_status s;
	/* vaccines.required.grooming when it was set (even to nothing: grooming
	 * then needs none), else vaccines.required */
	if (service) {
		snprintf(key, sizeof key, "vaccines.required.%s", service);
		if ((s = kn_pref_get(db, key, &list, &is_default, err)) != KN_OK)
			return s;
		if (is_default)
			free(list);
	}
	if (is_default && (s = kn_pref_get(db, "vaccines.required", &list, NULL, err)) != KN_OK)
		return s;
	kn_buf_add(out, "[", 1);
	int first = 1;
	char *save = NULL;
	for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		size_t n = strlen(tok);
		while (n > 0 && tok[n - 1] == ' ')
			tok[--n] = '\0';
		if (n == 0)
			continue;
		kn_buf_addf(out, "%s\"", first ? "" : ",");
		for (char *c = tok; *c; c++) {
			char lower = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
			if (lower == '"' || lower == '\\')
				kn_buf_add(out, "\\", 1);
			kn_buf_add(out, &lower, 1);
		}
		kn_buf_add(out, "\"", 1);
		first = 0;
	}
	kn_buf_add(out, "]", 1);
	free(list);
	return KN_OK;
}
