/*
 * Getting in: login, logout, forgot, reset (PORTAL.md 2).  The rules that
 * matter here are the ones nobody sees: the same words and the same time
 * for every failed login, a throttle before any hash, and answers that
 * never tell whether an account exists.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner/kn_creds.h"
#include "portal/kn_portal.h"

#define RESET_HOURS 72
#define RESETS_PER_HOUR 3

static kn_status login_page(struct kn_page_req *r, unsigned status, struct kn_err *err)
{
	const char *next = kn_form_one(&r->query, "next", NULL);
	if (r->form.n)
		next = kn_form_one(&r->form, "next", NULL);
	static const char *const fields[] = { "username", "password", NULL };
	kn_form_defaults(r, fields);
	kn_h_set(r->page, "next", kn_safe_next(next));
	kn_h_default(r->page, "notice", kn_notice(r));
	kn_h_set(r->page, "self_register", r->set.self_register ? "1" : "");
	return kn_page(r, status, "login.html", "Log in", err);
}

kn_status kn_route_login_form(struct kn_page_req *r, struct kn_err *err)
{
	if (r->owner_id > 0) {
		kn_redirect(r, kn_safe_next(kn_form_one(&r->query, "next", NULL)));
		return KN_OK;
	}
	if (r->ended_why[0]) {
		/* the device that was signed out is told why, once */
		kn_h_setf(r->page, "notice", "You were signed out because of %s.", r->ended_why);
		kn_set_cookie(r, kn_cookie_name(r, "session"), "", 0);
	}
	return login_page(r, 200, err);
}

kn_status kn_route_login(struct kn_page_req *r, struct kn_err *err)
{
	int bad = 0, dup = 0;
	const char *user = kn_field(r, "username", &bad);
	const char *pass = kn_form_one(&r->form, "password", &dup);
	kn_status s;

	if (dup) {
		kn_field_error(r, "password", "This field was sent twice; send it once.");
		bad = 1;
	}
	if (!bad && (user == NULL || *user == '\0')) {
		kn_field_error(r, "username", "Enter your username.");
		bad = 1;
	}
	if (!bad && (pass == NULL || *pass == '\0')) {
		kn_field_error(r, "password", "Enter your password.");
		bad = 1;
	}
	if (!bad && (strlen(user) > 254 || strlen(pass) > 1024)) {
		kn_field_error(r, "form", "That username or password is too long.");
		bad = 1;
	}
	kn_h_set(r->page, "v_username", user ? user : "");
	if (bad)
		return login_page(r, 422, err);

	char key[KN_THROTTLE_KEY_CHARS];
	kn_srv_throttle_key(r->srv, user, key);
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	int throttled = 0;
	long long attempt = 0;
	/* the attempt counts as failed until the password matches: committed
	 * before the verification, so parallel guesses wait for each other's
	 * count instead of all passing a check made before any of them */
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	if ((s = kn_login_attempt_begin(db, key, r->client, &throttled, &attempt, err)) != KN_OK ||
	    (s = kn_tx_commit(db, err)) != KN_OK) {
		kn_tx_rollback(db);
		return s;
	}
	if (throttled) {
		r->retry_after = KN_THROTTLE_MINUTES * 60;
		kn_field_error(r, "form", "Too many failed logins. Wait 15 minutes, or set a new "
		               "password with \"Forgot password\".");
		return login_page(r, 429, err);
	}
	long long owner = 0;
	char hash[128];
	int usable = 0;
	if ((s = kn_login_lookup(db, user, &owner, hash, &usable, err)) != KN_OK)
		return s;
	/* one full-cost verification whatever the account: unknown, must
	 * reset and wrong password take the same time (on a worker: --threads
	 * bounds how many run at once) */
	int ok = crypto_pwhash_str_verify(usable ? hash : kn_srv_dummy_hash(r->srv), pass,
	                                  strlen(pass)) == 0 && usable;
	sodium_memzero(hash, sizeof hash);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	if (!ok) {
		/* never what was typed for an unknown name: on a phone it is
		 * often the password, typed into the wrong field */
		s = owner > 0 ? kn_audit(db, "owner", owner, err, "failed portal login from %s",
		                         r->client)
		              : kn_audit(db, "portal", 0, err, "failed portal login with an unknown "
		                         "username from %s", r->client);
		if (s == KN_OK)
			s = kn_tx_commit(db, err);
		if (s != KN_OK)
			return s;
		kn_field_error(r, "form", "That username and password do not match an account.");
		return login_page(r, 401, err);
	}
	char token[KN_TOKEN_CHARS];
	kn_db_act_owner(db, owner);
	s = kn_login_attempt_ok(db, attempt, err);
	if (s == KN_OK)
		s = kn_session_create(db, owner, r->client, r->set.single_session, token, err);
	if (s == KN_OK)
		s = kn_tx_commit(db, err);
	if (s != KN_OK)
		return s;
	kn_set_cookie(r, kn_cookie_name(r, "session"), token, -1);
	sodium_memzero(token, sizeof token);
	kn_redirect(r, kn_safe_next(kn_form_one(&r->form, "next", NULL)));
	return KN_OK;
}

kn_status kn_route_logout(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	kn_req_act_as_owner(r);
	kn_status s = kn_tx_begin(db, err);
	if (s == KN_OK)
		s = kn_session_end(db, r->token, err);
	if (s == KN_OK)
		s = kn_audit(db, "owner", r->owner_id, err, "logged out of the portal");
	if (s == KN_OK)
		s = kn_tx_commit(db, err);
	if (s != KN_OK)
		return s;
	kn_set_cookie(r, kn_cookie_name(r, "session"), "", 0);
	kn_redirect(r, "/login?notice=signed-out");
	return KN_OK;
}

/* ---- forgot and reset ------------------------------------------------- */

static kn_status forgot_page(struct kn_page_req *r, unsigned status, struct kn_err *err)
{
	static const char *const fields[] = { "login", NULL };
	kn_form_defaults(r, fields);
	return kn_page(r, status, "forgot.html", "Forgot password", err);
}

kn_status kn_route_forgot_form(struct kn_page_req *r, struct kn_err *err)
{
	return forgot_page(r, 200, err);
}

/* Queues a reset link for owner unless three went out this hour already. */
static kn_status send_reset(struct kn_page_req *r, struct kn_db *db, long long owner,
                            struct kn_err *err)
{
	int recent = 0;
	kn_status s = kn_outbox_count_since(db, "password-reset", owner, 3600, &recent, err);
	if (s != KN_OK || recent >= RESETS_PER_HOUR)
		return s;
	kn_db_act_owner(db, owner);
	return kn_creds_reset_notify(db, owner, RESET_HOURS, kn_srv_mail_templates(r->srv), err);
}

kn_status kn_route_forgot(struct kn_page_req *r, struct kn_err *err)
{
	int bad = 0;
	const char *login = kn_field(r, "login", &bad);
	if (!bad && (login == NULL || *login == '\0' || strlen(login) > 254)) {
		kn_field_error(r, "login", "Enter your username or your email address.");
		bad = 1;
	}
	kn_h_set(r->page, "v_login", login ? login : "");
	if (bad)
		return forgot_page(r, 422, err);
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	kn_status s = kn_tx_begin(db, err);
	if (s != KN_OK)
		return s;
	int target_ok, client_ok;
	if ((s = kn_mail_ask(db, "forgot", login, r->client, &target_ok, &client_ok, err)) != KN_OK)
		goto done;
	if (!client_ok) {
		kn_tx_rollback(db);
		return kn_asked_too_often(r, forgot_page, err);
	}
	/* the username, else every active owner with a username and this email
	 * (a family can share one address): each gets a link of their own */
	sqlite3_stmt *st;
	long long ids[8];
	size_t n = 0;
	if ((s = kn_prepare(db, "SELECT id FROM owners WHERE active AND username IS NOT NULL"
	                        " AND email IS NOT NULL AND (username = ?1 OR (lower(email) ="
	                        " lower(?1) AND NOT EXISTS (SELECT 1 FROM owners WHERE username = ?1)))"
	                        " ORDER BY id LIMIT 8", &st, err)) != KN_OK)
		goto done;
	sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_DONE)
		s = kn_sql_fail(db, err, "looking up the account");
	sqlite3_finalize(st);
	/* the same answer when the login was asked for too often: no mail */
	if (!target_ok)
		n = 0;
	/* whatever happens to a mail, the answer is the one everybody gets: a
	 * mail that cannot be made is undone alone and told to the server's
	 * log, for staff, never to the stranger at the form */
	for (size_t i = 0; i < n && s == KN_OK; i++) {
		struct kn_err merr = { 0 };
		if ((s = kn_exec(db, "SAVEPOINT kn_forgot_mail", err)) != KN_OK)
			break;
		kn_status ms = send_reset(r, db, ids[i], &merr);
		if (ms == KN_OK) {
			s = kn_exec(db, "RELEASE kn_forgot_mail", err);
		} else if (ms == KN_TEMPFAIL) {
			*err = merr;
			s = ms;
		} else {
			kn_srv_log(r->srv, "forgot: no reset mail for owner %lld: %s", ids[i], merr.msg);
			s = kn_exec(db, "ROLLBACK TO kn_forgot_mail; RELEASE kn_forgot_mail", err);
		}
	}
	if (s == KN_OK)
		s = kn_tx_commit(db, err);
done:
	if (s != KN_OK) {
		kn_tx_rollback(db);
		return s;
	}
	if (n > 0)
		kn_srv_mail_wake(r->srv);
	/* the same words whether or not anything matched */
	kn_h_set(r->page, "notice", "If an account matches, we sent a link to set a new password "
	         "to its email address. It works once, for 72 hours.");
	kn_h_set(r->page, "v_login", "");
	return forgot_page(r, 200, err);
}

static kn_status reset_bad_token(struct kn_page_req *r, const char *why, struct kn_err *err)
{
	kn_h_setf(r->page, "message", "This link cannot be used: %s. Ask for a new one.", why);
	kn_h_set(r->page, "link", "/forgot");
	kn_h_set(r->page, "link_text", "Send me a new link");
	return kn_page(r, 400, "message.html", "Link not valid", err);
}

static kn_status reset_page(struct kn_page_req *r, unsigned status, const char *token,
                            struct kn_err *err)
{
	static const char *const fields[] = { "password", "confirm", NULL };
	kn_form_defaults(r, fields);
	kn_h_set(r->page, "token", token);
	return kn_page(r, status, "reset.html", "Set your password", err);
}

static const char *token_why(const char *msg)
{
	if (strstr(msg, "already used"))
		return "it was used already";
	if (strstr(msg, "expired"))
		return "it has expired";
	return "it is not a link we sent";
}

/* The owner a reset token from a form or a link is good for; *answered
 * when the token is not good and the 400 page is the answer. */
static kn_status token_owner(struct kn_page_req *r, const char *token, long long *owner,
                             int *answered, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	struct kn_err terr = { 0 };
	long long token_id = 0;
	*answered = 1;
	if (db == NULL)
		return err->status;
	if (token == NULL || strlen(token) > 128)
		return reset_bad_token(r, "it is not a link we sent", err);
	kn_status s = kn_creds_token_check(db, token, owner, &token_id, &terr);
	if (s == KN_TEMPFAIL) {
		*err = terr;
		return s;
	}
	if (s != KN_OK)
		return reset_bad_token(r, token_why(terr.msg), err);
	*answered = 0;
	return KN_OK;
}

kn_status kn_route_reset_form(struct kn_page_req *r, struct kn_err *err)
{
	const char *token = kn_form_one(&r->query, "token", NULL);
	long long owner = 0;
	int answered;
	kn_status s = token_owner(r, token, &owner, &answered, err);
	if (s != KN_OK || answered)
		return s;
	return reset_page(r, 200, token, err);
}

kn_status kn_route_reset(struct kn_page_req *r, struct kn_err *err)
{
	int bad = 0, dup = 0;
	const char *token = kn_field(r, "token", &bad);
	const char *pass = kn_form_one(&r->form, "password", &dup);
	const char *confirm = kn_form_one(&r->form, "confirm", &dup);
	long long owner = 0;
	int answered;
	kn_status s = token_owner(r, bad ? NULL : token, &owner, &answered, err);
	if (s != KN_OK || answered)
		return s;
	struct kn_db *db = r->db;
	if (dup || pass == NULL || confirm == NULL) {
		kn_field_error(r, "password", "Enter the new password twice.");
		return reset_page(r, 422, token, err);
	}
	if (strcmp(pass, confirm) != 0) {
		kn_field_error(r, "confirm", "The two passwords differ.");
		return reset_page(r, 422, token, err);
	}
	sqlite3_stmt *st;
	char *username = NULL;
	if ((s = kn_prepare(db, "SELECT username FROM owners WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner);
	if (sqlite3_step(st) == SQLITE_ROW && kn_col_text(st, 0))
		username = kn_arena_strdup(&r->arena, kn_col_text(st, 0));
	sqlite3_finalize(st);
	struct kn_err perr = { 0 };
	if (kn_password_policy(pass, username, &perr) != KN_OK) {
		kn_field_error(r, "password", perr.msg);
		return reset_page(r, 422, token, err);
	}
	kn_db_act_owner(db, owner);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	struct kn_err rerr = { 0 };
	s = kn_creds_redeem(db, token, pass, &owner, &rerr); /* ends every session */
	if (s == KN_FAIL) {
		/* spent or expired since the check above: another tab, a double
		 * click, the same link sent twice at once */
		kn_tx_rollback(db);
		return reset_bad_token(r, token_why(rerr.msg), err);
	}
	if (s != KN_OK)
		*err = rerr;
	if (s == KN_OK) {
		struct kn_portal_mail m = { .kind = "password-changed",
		                            .template_name = "password-changed", .owner_id = owner };
		s = kn_portal_mail_queue(db, &m, kn_srv_mail_templates(r->srv), err);
	}
	return kn_commit_mailed(r, db, s, "/login?notice=password-set", err);
}

kn_status kn_route_healthz(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	int schema;
	const char *version;
	if (db == NULL || kn_db_versions(db, &schema, &version, err) != KN_OK) {
		r->status = 503;
		r->retry_after = 5;
		kn_buf_addf(&r->body, "database not readable\n");
	} else {
		kn_buf_addf(&r->body, "ok\n");
	}
	r->content_type = "text/plain; charset=utf-8";
	kn_err_clear(err);
	return KN_OK;
}

/* The business's logo: its bytes as stored, with the type checked when it
 * was set; nosniff (every answer) keeps a browser to that type. */
kn_status kn_route_logo(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	unsigned char *data;
	size_t len;
	char type[16];
	if (db == NULL)
		return err->status;
	kn_status s = kn_company_logo_get(db, &data, &len, type, err);
	if (s != KN_OK)
		return s;
	if (data == NULL)
		return kn_not_found(r, err);
	kn_buf_add(&r->body, (const char *)data, len);
	free(data);
	r->content_type = strcmp(type, "image/png") == 0 ? "image/png" : "image/jpeg";
	return KN_OK;
}

kn_status kn_route_style(struct kn_page_req *r, struct kn_err *err)
{
	const char *css = kn_srv_template(r->srv, "style.css");
	(void)err;
	kn_buf_add(&r->body, css ? css : "", css ? strlen(css) : 0);
	r->content_type = "text/css; charset=utf-8";
	return KN_OK;
}
