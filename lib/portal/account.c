/*
 * The owner's own record on the portal (PORTAL.md 3): personal info, the
 * password, pets, and a message to the business.  Every change goes
 * through the same library call the commands use (kn_owner_edit,
 * kn_pet_add, kn_creds_set), audited as owner:ID.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "portal/kn_portal.h"

#define CONTACTS_PER_DAY 10

static const char *const account_fields[] = { "first_name", "last_name", "email", "phone",
	                                            "address", "city", "state", "zip" };
#define NACCOUNT (sizeof account_fields / sizeof account_fields[0])

static kn_status load_account(struct kn_page_req *r, struct kn_db *db, int keep_posted,
                              struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT first_name, last_name, email, phone, address, city,"
	                             " state, zip, email_opt_out, username FROM owners WHERE id = ?",
	                         &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		for (size_t i = 0; i < NACCOUNT; i++) {
			char k[32];
			snprintf(k, sizeof k, "v_%s", account_fields[i]);
			if (keep_posted)
				kn_h_default(r->page, k, kn_col_text(st, (int)i));
			else
				kn_h_set(r->page, k, kn_col_text(st, (int)i));
			snprintf(k, sizeof k, "e_%s", account_fields[i]);
			kn_h_default(r->page, k, "");
		}
		kn_h_default(r->page, "v_opt_out", sqlite3_column_int(st, 8) ? "1" : "");
		kn_h_set(r->page, "username", kn_col_text(st, 9));
	} else {
		s = kn_sql_fail(db, err, "reading the account");
	}
	sqlite3_finalize(st);
	kn_h_default(r->page, "e_current", "");
	kn_h_default(r->page, "e_form", "");
	kn_h_default(r->page, "e_password", "");
	kn_h_default(r->page, "e_confirm", "");
	kn_h_set(r->page, "csrf", kn_csrf_token(r));
	return s;
}

kn_status kn_route_account(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	kn_status s = load_account(r, db, 0, err);
	return s == KN_OK ? kn_page(r, 200, "account.html", "Your account", err) : s;
}

/* One full-cost check of the owner's current password (on a worker, as
 * every POST: --threads bounds the hashes at once).  A wrong one is a
 * failed login of the owner: counted by the login throttle (reserved
 * before the hash, as a login's) and audited, so a borrowed session
 * cannot guess it at the speed of the hash.  *throttled: too many failed
 * lately, nothing was checked. */
static kn_status current_password_ok(struct kn_page_req *r, const char *given, int *ok,
                                     int *throttled, struct kn_err *err)
{
	sqlite3_stmt *st;
	char hash[128] = "", key[KN_THROTTLE_KEY_CHARS];
	long long attempt = 0;
	struct kn_db *db = kn_req_db(r, err);
	*ok = *throttled = 0;
	if (db == NULL)
		return err->status;
	kn_status s = kn_prepare(db, "SELECT password_hash, username FROM owners WHERE id = ?", &st,
	                         err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	const char *username = NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (kn_col_text(st, 0) && strlen(kn_col_text(st, 0)) < 128)
			snprintf(hash, sizeof hash, "%s", kn_col_text(st, 0));
		username = kn_col_text(st, 1);
	}
	/* counted as a login of that username would be */
	kn_srv_throttle_key(r->srv, username ? username : "", key);
	sqlite3_finalize(st);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		goto out;
	if ((s = kn_login_attempt_begin(db, key, r->client, throttled, &attempt, err)) != KN_OK ||
	    (s = kn_tx_commit(db, err)) != KN_OK || *throttled) {
		kn_tx_rollback(db);
		goto out;
	}
	*ok = given && hash[0] && crypto_pwhash_str_verify(hash, given, strlen(given)) == 0;
	kn_req_act_as_owner(r);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		goto out;
	s = *ok ? kn_login_attempt_ok(db, attempt, err)
	        : kn_audit(db, "owner", r->owner_id, err, "wrong current password on the portal "
	                   "from %s", r->client);
	if (s == KN_OK)
		s = kn_tx_commit(db, err);
	if (s != KN_OK)
		kn_tx_rollback(db);
out:
	sodium_memzero(hash, sizeof hash);
	return s;
}

static const char too_many_wrong[] = "Too many wrong passwords. Wait 15 minutes, then try "
                                     "again.";

kn_status kn_route_account_save(struct kn_page_req *r, struct kn_err *err)
{
	int bad = 0;
	const char *v[NACCOUNT];
	struct kn_owner_change c;
	kn_owner_change_init(&c);
	for (size_t i = 0; i < NACCOUNT; i++) {
		v[i] = kn_field(r, account_fields[i], &bad);
		char k[32];
		snprintf(k, sizeof k, "v_%s", account_fields[i]);
		if (v[i])
			kn_h_set(r->page, k, v[i]);
		if (v[i] && strlen(v[i]) > 200) {
			kn_field_error(r, account_fields[i], "At most 200 characters.");
			bad = 1;
		}
	}
	const char *opt_out = kn_field(r, "email_opt_out", &bad);
	kn_h_set(r->page, "v_opt_out", opt_out ? "1" : "");
	if (v[0] == NULL || *v[0] == '\0')
		kn_field_error(r, "first_name", "Enter your first name."), bad = 1;
	if (v[1] == NULL || *v[1] == '\0')
		kn_field_error(r, "last_name", "Enter your last name."), bad = 1;
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	kn_status s;
	if (bad) {
		s = load_account(r, db, 1, err);
		return s == KN_OK ? kn_page(r, 422, "account.html", "Your account", err) : s;
	}
	/* a new email needs the current password: a borrowed, logged-in phone
	 * must not be enough to take the account over */
	sqlite3_stmt *st;
	char *old_email = NULL;
	if ((s = kn_prepare(db, "SELECT email FROM owners WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	if (sqlite3_step(st) == SQLITE_ROW && kn_col_text(st, 0))
		old_email = kn_arena_strdup(&r->arena, kn_col_text(st, 0));
	sqlite3_finalize(st);
	const char *email = v[2] ? v[2] : "";
	int email_changed = strcasecmp(email, old_email ? old_email : "") != 0;
	if (email_changed && *email) {
		/* another owner logs in with it, or gets her reset links there */
		if ((s = kn_prepare(db, "SELECT 1 FROM owners WHERE id <> ?1 AND active AND username"
		                        " IS NOT NULL AND (lower(email) = lower(?2) OR username = ?2)",
		                    &st, err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, r->owner_id);
		sqlite3_bind_text(st, 2, email, -1, SQLITE_STATIC);
		int taken = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (taken) {
			kn_field_error(r, "email", "Another account uses this email address. Enter "
			               "another one, or call us.");
			s = load_account(r, db, 1, err);
			return s == KN_OK ? kn_page(r, 422, "account.html", "Your account", err) : s;
		}
	}
	if (email_changed) {
		int dup = 0, ok = 0, throttled = 0;
		const char *current = kn_form_one(&r->form, "current", &dup);
		if ((s = current_password_ok(r, dup ? NULL : current, &ok, &throttled, err)) != KN_OK)
			return s;
		if (!ok) {
			if (throttled)
				r->retry_after = KN_THROTTLE_MINUTES * 60;
			kn_field_error(r, "current", throttled ? too_many_wrong :
			               "To change your email, enter your current password.");
			s = load_account(r, db, 1, err);
			return s == KN_OK ? kn_page(r, throttled ? 429 : 422, "account.html",
			                            "Your account", err) : s;
		}
		c.email = email;
	}
	c.first_name = v[0];
	c.last_name = v[1];
	c.phone = v[3] ? v[3] : "";
	c.address = v[4] ? v[4] : "";
	c.city = v[5] ? v[5] : "";
	c.state = v[6] ? v[6] : "";
	c.zip = v[7] ? v[7] : "";
	c.email_opt_out = opt_out != NULL;
	kn_req_act_as_owner(r);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	struct kn_err ferr = { 0 };
	s = kn_owner_edit(db, r->owner_id, &c, &ferr);
	if (s == KN_TEMPFAIL) {
		*err = ferr;
		return s;
	}
	if (s != KN_OK) {
		kn_tx_rollback(db);
		kn_field_error(r, "form", ferr.msg);
		s = load_account(r, db, 1, err);
		return s == KN_OK ? kn_page(r, 422, "account.html", "Your account", err) : s;
	}
	if (email_changed && old_email && *old_email) {
		/* the old address hears of it: the one a thief would not keep */
		const char *names[] = { "new_email" };
		const char *values[] = { *email ? email : "(none)" };
		struct kn_portal_mail m = { .kind = "email-changed", .template_name = "email-changed",
		                            .owner_id = r->owner_id, .to = old_email,
		                            .names = names, .values = values, .n = 1 };
		s = kn_portal_mail_queue(db, &m, kn_srv_mail_templates(r->srv), err);
	}
	return kn_commit_mailed(r, db, s, "/account?notice=saved", err);
}

kn_status kn_route_account_password(struct kn_page_req *r, struct kn_err *err)
{
	int dup = 0, ok = 0, throttled = 0;
	const char *current = kn_form_one(&r->form, "current", &dup);
	const char *pass = kn_form_one(&r->form, "password", &dup);
	const char *confirm = kn_form_one(&r->form, "confirm", &dup);
	kn_status s;

	if (dup || current == NULL || pass == NULL || confirm == NULL) {
		kn_field_error(r, "password", "Fill in all three password fields, once each.");
	} else if (strcmp(pass, confirm) != 0) {
		kn_field_error(r, "confirm", "The two new passwords differ.");
	} else {
		if ((s = current_password_ok(r, current, &ok, &throttled, err)) != KN_OK)
			return s;
		if (throttled) {
			r->retry_after = KN_THROTTLE_MINUTES * 60;
			kn_field_error(r, "current", too_many_wrong);
		} else if (!ok) {
			kn_field_error(r, "current", "That is not your current password.");
		}
	}
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	if (ok) {
		kn_req_act_as_owner(r);
		struct kn_err perr = { 0 };
		if ((s = kn_tx_begin(db, err)) != KN_OK)
			return s;
		kn_status ps = kn_creds_set(db, r->owner_id, NULL, pass, &perr); /* ends every session */
		if (ps == KN_TEMPFAIL) {
			*err = perr;
			return ps;
		}
		if (ps == KN_OK) {
			struct kn_portal_mail m = { .kind = "password-changed",
			                            .template_name = "password-changed",
			                            .owner_id = r->owner_id };
			s = kn_portal_mail_queue(db, &m, kn_srv_mail_templates(r->srv), err);
			if ((s = kn_commit_mailed(r, db, s, "/login?notice=password-changed", err)) != KN_OK)
				return s;
			kn_set_cookie(r, kn_cookie_name(r, "session"), "", 0);
			return KN_OK;
		}
		kn_tx_rollback(db);
		kn_field_error(r, "password", perr.msg);
	}
	s = load_account(r, db, 0, err);
	return s == KN_OK ? kn_page(r, throttled ? 429 : 422, "account.html", "Your account", err) : s;
}

/* ---- writing to the business ------------------------------------------- */

static kn_status contact_page(struct kn_page_req *r, unsigned status, struct kn_err *err)
{
	static const char *const fields[] = { "subject", "message", NULL };
	kn_form_defaults(r, fields);
	return kn_page(r, status, "contact.html", "Contact us", err);
}

kn_status kn_route_contact_form(struct kn_page_req *r, struct kn_err *err)
{
	return contact_page(r, 200, err);
}

kn_status kn_route_contact(struct kn_page_req *r, struct kn_err *err)
{
	int bad = 0;
	const char *subject = kn_field(r, "subject", &bad);
	const char *message = kn_field(r, "message", &bad);
	struct kn_err ferr = { 0 };
	kn_h_set(r->page, "v_subject", subject ? subject : "");
	kn_h_set(r->page, "v_message", message ? message : "");
	if (subject == NULL || *subject == '\0' || strlen(subject) > 200 ||
	    kn_line_check("subject", subject, 0, &ferr) != KN_OK)
		kn_field_error(r, "subject", "Enter a subject: one line, 200 characters at most."), bad = 1;
	if (message == NULL || *message == '\0' || strlen(message) > 5000 ||
	    kn_line_check("message", message, 1, &ferr) != KN_OK)
		kn_field_error(r, "message", "Enter your message: 5,000 characters at most."), bad = 1;
	if (bad)
		return contact_page(r, 422, err);
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	sqlite3_stmt *st;
	int sent = 0;
	kn_status s = kn_outbox_count_since(db, "contact", r->owner_id, 86400, &sent, err);
	if (s != KN_OK)
		return s;
	if (sent >= CONTACTS_PER_DAY) {
		kn_field_error(r, "form", "You sent 10 messages today, the most the portal takes in a "
		               "day. Please call us instead.");
		r->retry_after = 3600;
		return contact_page(r, 429, err);
	}
	struct kn_company co;
	if ((s = kn_company_get(db, &co, err)) != KN_OK)
		return s;
	char to[256] = "", reply[256] = "";
	snprintf(to, sizeof to, "%s", co.email ? co.email : "");
	kn_company_free(&co);
	if (to[0] == '\0') {
		kn_field_error(r, "form", "The business has no email address set up yet. Please call "
		               "us instead.");
		return contact_page(r, 422, err);
	}
	if ((s = kn_prepare(db, "SELECT email FROM owners WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	if (sqlite3_step(st) == SQLITE_ROW && kn_col_text(st, 0) &&
	    kn_email_check(kn_col_text(st, 0), reply, sizeof reply, &ferr) != KN_OK)
		reply[0] = '\0';
	sqlite3_finalize(st);
	const char *names[] = { "contact.subject", "contact.message" };
	const char *values[] = { subject, message };
	struct kn_portal_mail m = { .kind = "contact", .template_name = "contact", .to = to,
	                            .reply_to = reply[0] ? reply : NULL, .owner_id = r->owner_id,
	                            .names = names, .values = values, .n = 2 };
	kn_req_act_as_owner(r);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	s = kn_portal_mail_queue(db, &m, kn_srv_mail_templates(r->srv), err);
	if (s == KN_OK)
		s = kn_audit(db, "owner", r->owner_id, err, "wrote to the business: %.80s", subject);
	return kn_commit_mailed(r, db, s, "/contact?notice=sent", err);
}
