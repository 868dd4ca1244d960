/*
 * Registration (PORTAL.md 2): the form answers the same whether or not the
 * email has an account; the account exists only once the emailed link is
 * confirmed, so an abandoned registration leaves no owner behind.
 *
 * The link opens a page with one button, and the POST of that button
 * creates the owner: a GET never changes anything (PORTAL.md 4), and mail
 * scanners that open every link in a message cannot spend it.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner/kn_creds.h"
#include "portal/kn_portal.h"

#define REGISTRATION_HOURS 24

static const char *const reg_fields[] = { "first_name", "last_name", "email", "phone" };

/* Whether registration is off (portal.self_register): the answer is then
 * 404, made here, and the caller returns *s. */
static int closed(struct kn_page_req *r, kn_status *s, struct kn_err *err)
{
	*s = KN_OK;
	if (r->set.self_register)
		return 0;
	*s = kn_not_found(r, err);
	return 1;
}

static kn_status register_page(struct kn_page_req *r, unsigned status, struct kn_err *err)
{
	static const char *const fields[] = { "first_name", "last_name", "email", "phone",
	                                      "password", "confirm", NULL };
	kn_form_defaults(r, fields);
	return kn_page(r, status, "register.html", "Create an account", err);
}

kn_status kn_route_register_form(struct kn_page_req *r, struct kn_err *err)
{
	kn_status s;
	if (closed(r, &s, err))
		return s;
	return register_page(r, 200, err);
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

/* The username a registration gets: the email, lowercased unless the
 * business keeps usernames as typed (creds.lowercase_usernames). */
static kn_status username_for(struct kn_db *db, const char *email, char *out, size_t len,
                              struct kn_err *err)
{
	char *v;
	int def;
	kn_status s = kn_pref_get(db, "creds.lowercase_usernames", &v, &def, err);
	if (s != KN_OK)
		return s;
	snprintf(out, len, "%s", email);
	if (strcmp(v, "true") == 0)
		lower_ascii(out);
	free(v);
	return KN_OK;
}

kn_status kn_route_register(struct kn_page_req *r, struct kn_err *err)
{
	int bad = 0, dup = 0;
	kn_status s;
	if (closed(r, &s, err))
		return s;
	const char *v[4];
	for (size_t i = 0; i < 4; i++) {
		v[i] = kn_field(r, reg_fields[i], &bad);
		char k[32];
		snprintf(k, sizeof k, "v_%s", reg_fields[i]);
		kn_h_set(r->page, k, v[i] ? v[i] : "");
	}
	const char *pass = kn_form_one(&r->form, "password", &dup);
	const char *confirm = kn_form_one(&r->form, "confirm", &dup);
	char email[256] = "", username[256] = "";
	struct kn_err fe = { 0 };
	if (v[0] == NULL || *v[0] == '\0')
		kn_field_error(r, "first_name", "Enter your first name."), bad = 1;
	else if (strlen(v[0]) > 100 || kn_line_check("first name", v[0], 0, &fe) != KN_OK)
		kn_field_error(r, "first_name", "Enter your first name as plain text (100 characters "
		               "at most)."), bad = 1;
	if (v[1] == NULL || *v[1] == '\0')
		kn_field_error(r, "last_name", "Enter your last name."), bad = 1;
	else if (strlen(v[1]) > 100 || kn_line_check("last name", v[1], 0, &fe) != KN_OK)
		kn_field_error(r, "last_name", "Enter your last name as plain text (100 characters at "
		               "most)."), bad = 1;
	if (v[2] == NULL || kn_email_check(v[2], email, sizeof email, &fe) != KN_OK)
		kn_field_error(r, "email", "Enter your email address, like name@example.com."), bad = 1;
	if (v[3] && (strlen(v[3]) > 40 || kn_line_check("phone", v[3], 0, &fe) != KN_OK))
		kn_field_error(r, "phone", "Enter a phone number (40 characters at most)."), bad = 1;
	if (dup || pass == NULL || confirm == NULL || *pass == '\0') {
		kn_field_error(r, "password", "Enter a password twice.");
		bad = 1;
	} else if (strcmp(pass, confirm) != 0) {
		kn_field_error(r, "confirm", "The two passwords differ.");
		bad = 1;
	}
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	if (!bad && email[0]) {
		if ((s = username_for(db, email, username, sizeof username, err)) != KN_OK)
			return s;
		if (kn_password_policy(pass, username, &fe) != KN_OK)
			kn_field_error(r, "password", fe.msg), bad = 1;
	}
	if (bad)
		return register_page(r, 422, err);

	/* Is the address taken?  Either way the password is hashed, so the
	 * answer takes as long for a taken address as for a free one. */
	sqlite3_stmt *st;
	long long existing = 0;
	if ((s = kn_prepare(db, "SELECT id FROM owners WHERE active AND username IS NOT NULL AND"
	                        " (username = ?1 OR lower(email) = lower(?2)) ORDER BY username = ?1"
	                        " DESC, id LIMIT 1", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, email, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		existing = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	char hash[128];
	if ((s = kn_password_hash(pass, 0, hash, err)) != KN_OK)
		return s;
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	int target_ok, client_ok;
	if ((s = kn_mail_ask(db, "register", email, r->client, &target_ok, &client_ok, err)) !=
	    KN_OK) {
		kn_tx_rollback(db);
		return s;
	}
	if (!client_ok) {
		kn_tx_rollback(db);
		sodium_memzero(hash, sizeof hash);
		return kn_asked_too_often(r, register_page, err);
	}
	if (!target_ok) {
		/* the same answer, and no more mail to that address this hour */
	} else if (existing) {
		/* someone tried to register with this address: tell its owner, and
		 * how to get in if it was them */
		struct kn_portal_mail m = { .kind = "register-attempt",
		                            .template_name = "register-attempt", .owner_id = existing,
		                            .to = email };
		s = kn_portal_mail_queue(db, &m, kn_srv_mail_templates(r->srv), err);
	} else {
		char token[KN_TOKEN_CHARS], hex[65], now[20], expires[20], link[700];
		struct kn_company co;
		kn_token_new(token);
		kn_token_digest(token, hex);
		kn_now_text(now);
		kn_time_add_hours(now, REGISTRATION_HOURS, expires);
		if ((s = kn_prepare(db, "INSERT INTO portal_registrations (token_hash, first_name,"
		                        " last_name, email, phone, password_hash, created_at, expires_at)"
		                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st, err)) == KN_OK) {
			sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, v[0], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, v[1], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, email, -1, SQLITE_STATIC);
			kn_bind_text(st, 5, v[3]);
			sqlite3_bind_text(st, 6, hash, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 7, now, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 8, expires, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				s = kn_sql_fail(db, err, "storing the registration");
			sqlite3_finalize(st);
		}
		if (s == KN_OK && (s = kn_company_get(db, &co, err)) == KN_OK) {
			char path[100];
			snprintf(path, sizeof path, "/register/confirm?token=%s", token);
			kn_url_join(co.portal_url, path, link, sizeof link);
			kn_company_free(&co);
			/* no word a stranger typed goes to an address that has not
			 * confirmed: the names wait in the row until it does */
			const char *names[] = { "link" };
			const char *values[] = { link };
			struct kn_portal_mail m = { .kind = "register-confirm",
			                            .template_name = "register-confirm", .to = email,
			                            .names = names, .values = values, .n = 1,
			                            .secret = 1 };
			s = kn_portal_mail_queue(db, &m, kn_srv_mail_templates(r->srv), err);
		}
		sodium_memzero(token, sizeof token);
		sodium_memzero(link, sizeof link);
	}
	sodium_memzero(hash, sizeof hash);
	return kn_commit_mailed(r, db, s, "/register/sent", err);
}

kn_status kn_route_register_sent(struct kn_page_req *r, struct kn_err *err)
{
	kn_status s;
	if (closed(r, &s, err))
		return s;
	kn_h_set(r->page, "message", "Check your email: we sent a link to finish your "
	         "registration. It works once, for 24 hours. If the address already has an "
	         "account, the mail tells you how to get in.");
	return kn_page(r, 200, "message.html", "Check your email", err);
}

/* The registration a token names, if it can still be used. */
static kn_status find_registration(struct kn_page_req *r, const char *token, long long *id,
                                   const char **why, struct kn_err *err)
{
	char hex[65], now[20];
	sqlite3_stmt *st;
	*id = 0;
	*why = "it is not a link we sent";
	if (token == NULL || strlen(token) != KN_TOKEN_CHARS - 1)
		return KN_OK;
	kn_token_digest(token, hex);
	kn_now_text(now);
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	kn_status s = kn_prepare(db, "SELECT id, used_at, expires_at FROM portal_registrations"
	                                " WHERE token_hash = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			*why = "it was used already";
		else if (strcmp(kn_col_text(st, 2), now) <= 0)
			*why = "it has expired";
		else
			*id = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return s;
}

static kn_status confirm_bad(struct kn_page_req *r, const char *why, struct kn_err *err)
{
	kn_h_setf(r->page, "message", "This link cannot be used: %s. Register again to get a "
	          "new one.", why);
	kn_h_set(r->page, "link", "/register");
	kn_h_set(r->page, "link_text", "Register");
	return kn_page(r, 400, "message.html", "Link not valid", err);
}

kn_status kn_route_register_confirm_form(struct kn_page_req *r, struct kn_err *err)
{
	long long id;
	const char *why;
	kn_status s;
	if (closed(r, &s, err))
		return s;
	const char *token = kn_form_one(&r->query, "token", NULL);
	if ((s = find_registration(r, token, &id, &why, err)) != KN_OK)
		return s;
	if (id == 0)
		return confirm_bad(r, why, err);
	kn_h_set(r->page, "csrf", kn_csrf_token(r));
	kn_h_set(r->page, "token", token);
	return kn_page(r, 200, "confirm.html", "Finish your registration", err);
}

kn_status kn_route_register_confirm(struct kn_page_req *r, struct kn_err *err)
{
	int bad = 0;
	long long id;
	const char *why;
	kn_status s;
	if (closed(r, &s, err))
		return s;
	const char *token = kn_field(r, "token", &bad);
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	if ((s = find_registration(r, bad ? NULL : token, &id, &why, err)) != KN_OK || id == 0) {
		kn_tx_rollback(db);
		return s != KN_OK ? s : confirm_bad(r, why, err);
	}
	sqlite3_stmt *st;
	if ((s = kn_prepare(db, "SELECT first_name, last_name, email, phone, password_hash FROM"
	                        " portal_registrations WHERE id = ?", &st, err)) != KN_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		s = kn_sql_fail(db, err, "reading the registration");
		goto fail;
	}
	struct kn_owner_change c;
	kn_owner_change_init(&c);
	c.first_name = kn_arena_strdup(&r->arena, kn_col_text(st, 0));
	c.last_name = kn_arena_strdup(&r->arena, kn_col_text(st, 1));
	c.email = kn_arena_strdup(&r->arena, kn_col_text(st, 2));
	c.phone = kn_col_text(st, 3) ? kn_arena_strdup(&r->arena, kn_col_text(st, 3)) : NULL;
	const char *hash = kn_arena_strdup(&r->arena, kn_col_text(st, 4));
	sqlite3_finalize(st);
	char username[256];
	if ((s = username_for(db, c.email, username, sizeof username, err)) != KN_OK)
		goto fail;
	/* the address may have got an account since the form was sent */
	if ((s = kn_prepare(db, "SELECT 1 FROM owners WHERE username = ? COLLATE NOCASE", &st,
	                    err)) != KN_OK)
		goto fail;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	int taken = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (taken) {
		kn_tx_rollback(db);
		return confirm_bad(r, "this email address has an account already (use \"Forgot "
		                   "password\" to get in)", err);
	}
	long long owner = 0;
	c.username = username;
	if ((s = kn_owner_add(db, &c, &owner, err)) != KN_OK)
		goto fail;
	char now[20];
	kn_db_act_owner(db, owner);
	kn_now_text(now);
	if ((s = kn_prepare(db, "UPDATE owners SET password_hash = ?, must_reset = 0 WHERE id = ?",
	                    &st, err)) != KN_OK)
		goto fail;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, owner);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "setting the password");
	sqlite3_finalize(st);
	/* spent: the row keeps no password hash once it is used */
	if (s == KN_OK && (s = kn_prepare(db, "UPDATE portal_registrations SET used_at = ?,"
	                                      " password_hash = '' WHERE id = ?", &st, err)) == KN_OK) {
		sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "using the registration");
		sqlite3_finalize(st);
	}
	if (s == KN_OK)
		s = kn_audit(db, "owner", owner, err, "registered on the portal");
	struct kn_company co;
	if (s == KN_OK && (s = kn_company_get(db, &co, err)) == KN_OK) {
		if (co.email && *co.email) {
			struct kn_portal_mail m = { .kind = "owner-registered",
			                            .template_name = "owner-registered",
			                            .owner_id = owner, .to = co.email };
			s = kn_portal_mail_queue(db, &m, kn_srv_mail_templates(r->srv), err);
		}
		kn_company_free(&co);
	}
	char session[KN_TOKEN_CHARS];
	if (s == KN_OK)
		s = kn_session_create(db, owner, r->client, r->set.single_session, session, err);
	if ((s = kn_commit_mailed(r, db, s, "/", err)) != KN_OK)
		goto fail;
	kn_set_cookie(r, kn_cookie_name(r, "session"), session, -1);
	sodium_memzero(session, sizeof session);
	return KN_OK;
fail:
	kn_tx_rollback(db);
	return s;
}
