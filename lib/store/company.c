/* The business: name, contact, portal links, owner message, instructions. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/kn_internal.h"

kn_status kn_company_get(struct kn_db *db, struct kn_company *c, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s;
	int i = 0;

	memset(c, 0, sizeof *c);
	/* cached: every queued message reads it */
	s = kn_cached(db, "SELECT name, email, phone, timezone, portal_url, reset_url,"
	                  " webcam_url, message FROM company WHERE id = 1", &st, err);
	if (s != KN_OK)
		return s;
	if (sqlite3_step(st) == SQLITE_ROW) {
#define KN_FIELD_GET(f) c->f = kn_col_text(st, i) ? kn_xstrdup(kn_col_text(st, i)) : NULL; i++;
		KN_COMPANY_FIELDS(KN_FIELD_GET)
#undef KN_FIELD_GET
	} else {
		s = kn_sql_fail(db, err, "reading company");
	}
	sqlite3_reset(st);
	return s;
}

void kn_company_free(struct kn_company *c)
{
#define KN_FIELD_FREE(f) free(c->f);
	KN_COMPANY_FIELDS(KN_FIELD_FREE)
#undef KN_FIELD_FREE
}

/* A web address a browser or a mail reader may be sent to: http or https,
 * a host, and nothing a link could be broken or turned by (no spaces, no
 * control characters, no javascript:). */
static kn_status url_check(const char *option, const char *url, struct kn_err *err)
{
	size_t skip = strncasecmp(url, "https://", 8) == 0 ? 8
	            : strncasecmp(url, "http://", 7) == 0  ? 7 : 0;
	if (skip == 0)
		return kn_err_set(err, KN_FAIL, "--%s '%s': expected an http:// or https:// address",
		                  option, url);
	if (url[skip] == '\0' || url[skip] == '/')
		return kn_err_set(err, KN_FAIL, "--%s '%s': no host after the scheme", option, url);
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return kn_err_set(err, KN_FAIL, "--%s '%s': a space or a control character in "
			                  "the address (write a space as %%20)", option, url);
	return KN_OK;
}

kn_status kn_company_set(struct kn_db *db, const struct kn_company *c, struct kn_err *err)
{
	char email[256];
	kn_status s = KN_OK;

	/* one line each: a CR or LF in the name would end every mail's header */
	if ((c->name && kn_line_check("--name", c->name, 0, err) != KN_OK) ||
	    (c->phone && kn_line_check("--phone", c->phone, 0, err) != KN_OK) ||
	    (c->message && kn_line_check("--message", c->message, 1, err) != KN_OK))
		return err->status;
	if (c->name && *c->name == '\0')
		return kn_err_set(err, KN_FAIL, "--name: the business needs a name");
	static const struct { const char *option; size_t offset; } urls[] = {
		{ "portal-url", offsetof(struct kn_company, portal_url) },
		{ "reset-url", offsetof(struct kn_company, reset_url) },
		{ "webcam-url", offsetof(struct kn_company, webcam_url) },
	};
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		const char *u = *(char *const *)(const void *)((const char *)c + urls[i].offset);
		if (u && *u && url_check(urls[i].option, u, err) != KN_OK)
			return err->status;
	}

	if (c->email && *c->email && kn_email_check(c->email, email, sizeof email, err) != KN_OK)
		return KN_FAIL;
	if (c->timezone && *c->timezone && kn_timezone_check(c->timezone, err) != KN_OK)
		return KN_FAIL;
	if (c->reset_url && *c->reset_url && strstr(c->reset_url, "{token}") == NULL)
		return kn_err_set(err, KN_FAIL, "reset URL '%s' has no {token} in it", c->reset_url);
	/* one statement per field keeps every value a bound parameter */
#define KN_FIELD_SET(f)                                                          \
	if (s == KN_OK && c->f) {                                                \
		sqlite3_stmt *st;                                                \
		s = kn_prepare(db, "UPDATE company SET " #f " = ? WHERE id = 1", &st, err); \
		if (s == KN_OK) {                                                \
			kn_bind_text(st, 1, strcmp(#f, "email") == 0 && *c->f ? email : c->f); \
			if (sqlite3_step(st) != SQLITE_DONE)                     \
				s = kn_sql_fail(db, err, "updating company");    \
			sqlite3_finalize(st);                                    \
		}                                                                \
		if (s == KN_OK)                                                  \
			s = kn_audit(db, "company", 1, err, "%s set", #f);       \
	}
	KN_COMPANY_FIELDS(KN_FIELD_SET)
#undef KN_FIELD_SET
	if (s == KN_OK && c->timezone)
		kn_clock_zone(c->timezone);
	return s;
}

void kn_company_print(struct kn_printer *p, const struct kn_company *c)
{
	kn_rec_begin(p);
#define KN_FIELD_PUT(f) kn_put_str(p, #f, c->f, 1);
	KN_COMPANY_FIELDS(KN_FIELD_PUT)
#undef KN_FIELD_PUT
	kn_rec_end(p);
}

static const char *const modules[] = { "boarding", "daycare", "grooming", "training", "service" };

static kn_status check_module(const char *module, struct kn_err *err)
{
	for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++)
		if (strcmp(modules[i], module) == 0)
			return KN_OK;
	return kn_err_set(err, KN_USAGE,
	                  "unknown module '%s' (choose boarding, daycare, grooming, training, service)",
	                  module);
}

kn_status kn_instructions_set(struct kn_db *db, const char *module, const char *text,
                              struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s;

	if ((s = check_module(module, err)) != KN_OK)
		return s;
	if ((s = kn_prepare(db, "INSERT INTO instructions (module, body) VALUES (?, ?)"
	                        " ON CONFLICT (module) DO UPDATE SET body = excluded.body",
	                    &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, module, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "setting instructions");
	sqlite3_finalize(st);
	if (s == KN_OK)
		s = kn_audit(db, "instructions", 0, err, "%s instructions set", module);
	return s;
}

kn_status kn_instructions_each(struct kn_db *db, const char *module, kn_instr_cb cb,
                               void *ud, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s;

	if (module && (s = check_module(module, err)) != KN_OK)
		return s;
	if ((s = kn_prepare(db, "SELECT module, body FROM instructions"
	                        " WHERE ?1 IS NULL OR module = ?1 ORDER BY module", &st, err)) != KN_OK)
		return s;
	kn_bind_text(st, 1, module);
	while (s == KN_OK && sqlite3_step(st) == SQLITE_ROW)
		s = cb(ud, kn_col_text(st, 0), kn_col_text(st, 1));
	sqlite3_finalize(st);
	return s;
}
