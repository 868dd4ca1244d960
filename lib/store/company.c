/* The business: name, contact, portal links, owner message, instructions. */
#include <errno.h>
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
	                  " webcam_url, message, address, hours, pay_url FROM company WHERE id = 1", &st, err);
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
	    (c->address && kn_line_check("--address", c->address, 0, err) != KN_OK) ||
	    (c->hours && kn_line_check("--hours", c->hours, 0, err) != KN_OK) ||
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
	/* where owners pay: their card details go to the business's processor
	 * over TLS, never through kennel; {order} says which invoice */
	if (c->pay_url && *c->pay_url) {
		if (strncasecmp(c->pay_url, "https://", 8) != 0)
			return kn_err_set(err, KN_FAIL, "--pay-url '%s': a payment page must be https://",
			                  c->pay_url);
		if (url_check("pay-url", c->pay_url, err) != KN_OK)
			return err->status;
		if (strstr(c->pay_url, "{order}") == NULL)
			return kn_err_set(err, KN_FAIL, "--pay-url '%s' has no {order} in it (also "
			                  "{amount} and {owner})", c->pay_url);
	}
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

#define LOGO_MAX (512 * 1024)

/* The type from the first bytes: the name of a file says nothing. */
static const char *image_type(const unsigned char *d, size_t n)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	if (n >= 8 && memcmp(d, png, 8) == 0)
		return "image/png";
	if (n >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
		return "image/jpeg";
	return NULL;
}

kn_status kn_company_logo_set(struct kn_db *db, const char *path, struct kn_err *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	const char *type = NULL;
	kn_status s = KN_OK;

	if (*path) {
		FILE *in = fopen(path, "rb");
		if (in == NULL)
			return kn_err_set(err, KN_FAIL, "--logo: cannot open '%s': %s", path,
			                  strerror(errno));
		/* one byte past the limit tells a file too big without reading it all */
		data = kn_xmalloc(LOGO_MAX + 1);
		len = fread(data, 1, LOGO_MAX + 1, in);
		int bad = ferror(in);
		fclose(in);
		if (bad)
			s = kn_err_set(err, KN_FAIL, "--logo: reading '%s' failed", path);
		else if (len > LOGO_MAX)
			s = kn_err_set(err, KN_FAIL, "--logo '%s': larger than 512 KiB", path);
		else if ((type = image_type(data, len)) == NULL)
			s = kn_err_set(err, KN_FAIL, "--logo '%s': not a PNG or JPEG image", path);
	}
	sqlite3_stmt *st;
	if (s == KN_OK &&
	    (s = kn_prepare(db, "UPDATE company SET logo = ?, logo_type = ? WHERE id = 1", &st,
	                    err)) == KN_OK) {
		if (type)
			sqlite3_bind_blob(st, 1, data, (int)len, SQLITE_STATIC);
		kn_bind_text(st, 2, type);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "updating company");
		sqlite3_finalize(st);
	}
	free(data);
	if (s == KN_OK)
		s = kn_audit(db, "company", 1, err, type ? "logo set (%s, %zu bytes)" : "logo removed",
		             type, len);
	return s;
}

kn_status kn_company_logo_get(struct kn_db *db, unsigned char **data, size_t *len,
                              char type[16], struct kn_err *err)
{
	sqlite3_stmt *st;
	*data = NULL;
	*len = 0;
	type[0] = '\0';
	kn_status s = kn_prepare(db, "SELECT logo, logo_type FROM company WHERE id = 1"
	                             " AND logo IS NOT NULL", &st, err);
	if (s != KN_OK)
		return s;
	int row = 0;
	if ((s = kn_step_row(db, st, &row, "reading the logo", err)) == KN_OK && row) {
		*len = (size_t)sqlite3_column_bytes(st, 0);
		*data = kn_xmalloc(*len ? *len : 1);
		memcpy(*data, sqlite3_column_blob(st, 0), *len);
		snprintf(type, 16, "%s", kn_col_text(st, 1) ? kn_col_text(st, 1) : "");
	}
	sqlite3_finalize(st);
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

/* the services' modules, and billing: how to pay when there is no pay URL */
static const char *const modules[] = { "boarding", "daycare", "grooming", "training", "service",
                                       "billing" };

static kn_status check_module(const char *module, struct kn_err *err)
{
	for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++)
		if (strcmp(modules[i], module) == 0)
			return KN_OK;
	return kn_err_set(err, KN_USAGE,
	                  "unknown module '%s' (choose boarding, daycare, grooming, training, service, "
	                  "billing)",
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

static kn_status keep_first(void *ud, const char *module, const char *text)
{
	(void)module;
	char **out = ud;
	if (*out == NULL)
		*out = kn_xstrdup(text);
	return KN_OK;
}

kn_status kn_instructions_get(struct kn_db *db, const char *module, char **text,
                              struct kn_err *err)
{
	*text = NULL;
	return kn_instructions_each(db, module, keep_first, text, err);
}
