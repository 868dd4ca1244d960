/*
 * Password reset tokens: 32 random bytes, base64url, single use, with a
 * lifetime.  Only a BLAKE2b hash of a token is stored; a token carries 256
 * bits, so a fast hash is enough to make a stolen database useless for
 * resetting anyone's password.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "owner/kn_creds.h"

#define TOKEN_BYTES 32

void kn_token_digest(const char *token, char hex[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

static char *fill_link(const char *url, const char *token)
{
	struct kn_buf b = { 0 };
	const char *at = strstr(url, "{token}");
	kn_buf_add(&b, url, (size_t)(at - url));
	kn_buf_add(&b, token, strlen(token));
	kn_buf_add(&b, at + 7, strlen(at + 7));
	return b.data;
}

kn_status kn_creds_reset(struct kn_db *db, long long owner_id, long hours, char **link,
                         struct kn_err *err)
{
	unsigned char raw[TOKEN_BYTES];
	char token[sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	char hex[65], now[20], expires[20];
	struct kn_company c;
	sqlite3_stmt *st;
	kn_status s;

	*link = NULL;
	if ((s = kn_crypto_init(err)) != KN_OK)
		return s;
	if ((s = kn_company_get(db, &c, err)) != KN_OK)
		return s;
	/* the portal's own reset page, unless the business points elsewhere */
	char portal_reset[600] = "";
	if ((c.reset_url == NULL || c.reset_url[0] == '\0') && c.portal_url && c.portal_url[0])
		kn_url_join(c.portal_url, "/reset?token={token}", portal_reset, sizeof portal_reset);
	const char *reset_url = portal_reset[0] ? portal_reset : c.reset_url;
	if (reset_url == NULL || reset_url[0] == '\0') {
		kn_company_free(&c);
		return kn_err_set(err, KN_FAIL, "no reset URL: set the portal's with 'kennel company "
		                  "set --portal-url URL', or another with --reset-url URL (with {token} "
		                  "in it)");
	}
	/* cached, as the insert below: blast --with-reset-links mints one per owner */
	if ((s = kn_cached(db, "SELECT username IS NOT NULL AND active FROM owners WHERE id = ?",
	                   &st, err)) != KN_OK)
		goto done;
	sqlite3_bind_int64(st, 1, owner_id);
	if (sqlite3_step(st) != SQLITE_ROW || !sqlite3_column_int(st, 0))
		s = kn_err_set(err, KN_FAIL, "owner %lld has no username, or is inactive: nothing to "
		               "reset", owner_id);
	sqlite3_reset(st);
	if (s != KN_OK)
		goto done;
	randombytes_buf(raw, sizeof raw);
	/* A token that starts with '-' reads as an option on the command line
	 * ('kennel creds redeem -x...'): draw the first character again from
	 * the 62 that cannot. Costs well under a bit of the 256. */
	while ((raw[0] >> 2) >= 62)
		raw[0] = (unsigned char)randombytes_uniform(256);
	sodium_bin2base64(token, sizeof token, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	kn_token_digest(token, hex);
	kn_now_text(now);
	kn_time_add_hours(now, hours, expires);
	if ((s = kn_cached(db, "INSERT INTO reset_tokens (owner_id, token_hash, created_at,"
	                       " expires_at) VALUES (?, ?, ?, ?)", &st, err)) != KN_OK)
		goto done;
	sqlite3_bind_int64(st, 1, owner_id);
	sqlite3_bind_text(st, 2, hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, expires, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "storing reset token");
	sqlite3_reset(st);
	if (s == KN_OK)
		s = kn_audit(db, "owner", owner_id, err, "reset token issued, expires %s", expires);
	if (s == KN_OK)
		*link = fill_link(reset_url, token);
done:
	sodium_memzero(raw, sizeof raw);
	sodium_memzero(token, sizeof token);
	kn_company_free(&c);
	return s;
}

kn_status kn_creds_token_check(struct kn_db *db, const char *token, long long *owner_id,
                               long long *token_id, struct kn_err *err)
{
	char hex[65], now[20];
	sqlite3_stmt *st;
	kn_status s;

	if ((s = kn_crypto_init(err)) != KN_OK)
		return s;
	kn_token_digest(token, hex);
	kn_now_text(now);
	if ((s = kn_prepare(db, "SELECT t.id, t.owner_id, t.expires_at, t.used_at FROM reset_tokens t"
	                        " JOIN owners o ON o.id = t.owner_id WHERE t.token_hash = ?"
	                        " AND o.active", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		s = kn_sql_fail(db, err, "reading the reset token");
	else if (rc != SQLITE_ROW)
		s = kn_err_set(err, KN_FAIL, "invalid reset token");
	else if (sqlite3_column_type(st, 3) != SQLITE_NULL)
		s = kn_err_set(err, KN_FAIL, "this reset token was already used");
	else if (strcmp(kn_col_text(st, 2), now) <= 0)
		s = kn_err_set(err, KN_FAIL, "this reset token expired at %s", kn_col_text(st, 2));
	else {
		*token_id = sqlite3_column_int64(st, 0);
		*owner_id = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return s;
}

kn_status kn_creds_redeem(struct kn_db *db, const char *token, const char *password,
                          long long *owner_id, struct kn_err *err)
{
	char now[20];
	sqlite3_stmt *st;
	kn_status s;
	long long token_id = 0;

	if ((s = kn_creds_token_check(db, token, owner_id, &token_id, err)) != KN_OK)
		return s;
	kn_now_text(now);
	if ((s = kn_creds_set(db, *owner_id, NULL, password, err)) != KN_OK)
		return s;
	/* single use: this token, and every other open one of the owner */
	if ((s = kn_prepare(db, "UPDATE reset_tokens SET used_at = ? WHERE owner_id = ?"
	                        " AND used_at IS NULL", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, *owner_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "using reset token");
	sqlite3_finalize(st);
	if (s == KN_OK)
		s = kn_audit(db, "owner", *owner_id, err, "password set with reset token %lld", token_id);
	return s;
}

kn_status kn_creds_generated_each(struct kn_db *db, kn_id_cb cb, void *ud, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT id FROM owners WHERE active AND must_reset"
	                             " AND username IS NOT NULL AND password_hash IS NULL ORDER BY id",
	                         &st, err);
	if (s != KN_OK)
		return s;
	/* collect first: the callback writes to the table being read */
	long long *ids = NULL;
	size_t n = 0, cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = kn_xrealloc(ids, cap * sizeof *ids);
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < n && s == KN_OK; i++)
		s = cb(ud, ids[i]);
	free(ids);
	return s;
}
