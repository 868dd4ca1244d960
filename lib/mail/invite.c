/*
 * The mails that carry a single-use password link: a reset asked for (by
 * staff or from the portal's "Forgot password"), and the invitation of
 * 'owner add --invite', which gives the owner a login and the portal-launch
 * mail in one step.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"
#include "owner/kn_owner.h"

/* Queues the mail of template tname to the owner, with a new single-use
 * password link in it as {{reset_url}}. In the caller's transaction. */
static kn_status mail_with_link(struct kn_db *db, long long owner_id, long hours,
                                const char *tname, const char *template_dir,
                                struct kn_err *err)
{
	struct kn_sender snd;
	char *link = NULL, *text = NULL, *subject = NULL, *body = NULL, dedupe[64], now[20];
	struct kn_owner_vars vars;
	struct kn_owner o = { 0 };
	sqlite3_stmt *st;
	int queued;
	kn_status s;

	if ((s = kn_sender_load(db, &snd, err)) != KN_OK)
		return s;
	if ((s = kn_prepare(db, "SELECT id, first_name, last_name, email, username FROM owners"
	                        " WHERE id = ?", &st, err)) != KN_OK)
		goto done;
	sqlite3_bind_int64(st, 1, owner_id);
	int row = 0;
	if ((s = kn_step_row(db, st, &row, "reading the owner", err)) != KN_OK || !row ||
	    kn_col_text(st, 3) == NULL) {
		sqlite3_finalize(st);
		if (s == KN_OK)
			s = kn_err_set(err, KN_FAIL, "owner %lld has no email to send a %s link to",
			               owner_id, strcmp(tname, "password-reset") == 0 ? "reset" : "password");
		goto done;
	}
	o.id = owner_id;
	o.first_name = kn_col_text(st, 1);
	o.last_name = kn_col_text(st, 2);
	o.email = kn_col_text(st, 3);
	o.username = kn_col_text(st, 4);
	if ((s = kn_creds_reset(db, owner_id, hours, &link, err)) != KN_OK ||
	    (text = kn_template_load(tname, template_dir, NULL, err)) == NULL) {
		if (s == KN_OK)
			s = err->status;
		sqlite3_finalize(st);
		goto done;
	}
	kn_owner_vars_fill(&vars, &o, &snd.company, link);
	struct kn_tctx ctx = { .vars = vars.vars };
	s = kn_template_check_company(tname, text, &snd.company, 1, err);
	if (s == KN_OK)
		s = kn_template_render(tname, text, &ctx, &subject, &body, err);
	kn_now_text(now);
	/* each reset is its own message: the time and owner make the key */
	unsigned char nonce[6];
	char nonce_hex[13];
	randombytes_buf(nonce, sizeof nonce);
	sodium_bin2hex(nonce_hex, sizeof nonce_hex, nonce, sizeof nonce);
	snprintf(dedupe, sizeof dedupe, "%s:%lld:%s:%s",
	         strcmp(tname, "password-reset") == 0 ? "reset" : tname, owner_id, now, nonce_hex);
	if (s == KN_OK) {
		struct kn_mail_msg m = { .kind = tname, .owner_id = owner_id, .to = o.email,
		                         .subject = subject, .body = body, .dedupe_key = dedupe,
		                         .secret = 1 };
		s = kn_mail_queue(db, &snd, &m, &queued, err);
	}
	sqlite3_finalize(st);
done:
	if (link)
		sodium_memzero(link, strlen(link));
	free(link);
	free(text);
	free(subject);
	free(body);
	kn_sender_free(&snd);
	return s;
}

kn_status kn_creds_reset_notify(struct kn_db *db, long long owner_id, long hours,
                                const char *template_dir, struct kn_err *err)
{
	return mail_with_link(db, owner_id, hours, "password-reset", template_dir, err);
}

kn_status kn_owner_invite(struct kn_db *db, long long owner_id, const char *template_dir,
                          struct kn_err *err)
{
	sqlite3_stmt *st;
	char username[256], *lower_pref = NULL;
	kn_status s;

	if ((s = kn_prepare(db, "SELECT o.email, o.username,"
	                        " EXISTS (SELECT 1 FROM owners d WHERE d.email = o.email"
	                        "         COLLATE NOCASE AND d.id <> o.id)"
	                        " FROM owners o WHERE o.id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner_id);
	int row = 0, shared = 0, has_login = 0;
	username[0] = '\0';
	if ((s = kn_step_row(db, st, &row, "reading the owner", err)) == KN_OK && !row)
		s = kn_err_set(err, KN_FAIL, "owner %lld not found", owner_id);
	if (s == KN_OK && kn_col_text(st, 0) == NULL)
		s = kn_err_set(err, KN_FAIL, "owner %lld has no email to invite", owner_id);
	if (s == KN_OK && kn_email_check(kn_col_text(st, 0), username, sizeof username, err) != KN_OK)
		s = KN_FAIL;
	if (s == KN_OK) {
		shared = sqlite3_column_int(st, 2);
		has_login = kn_col_text(st, 1) != NULL;
		if (has_login)
			snprintf(username, sizeof username, "%s", kn_col_text(st, 1));
	}
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	if (!has_login) {
		/* the rules of creds bulk-generate: the email is the username,
		 * unless another owner shares it (then staff choose one) */
		if (shared)
			return kn_err_set(err, KN_FAIL, "owner %lld shares the email %s with another owner: "
			                  "give one a username with --username", owner_id, username);
		if ((s = kn_pref_get(db, "creds.lowercase_usernames", &lower_pref, NULL, err)) != KN_OK)
			return s;
		if (strcmp(lower_pref, "true") == 0)
			for (char *p = username; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
		free(lower_pref);
		if ((s = kn_creds_set(db, owner_id, username, NULL, err)) != KN_OK)
			return s;
	}
	if ((s = mail_with_link(db, owner_id, 72, "portal-launch", template_dir, err)) != KN_OK)
		return s;
	return kn_audit(db, "owner", owner_id, err, "invited to the portal as %s: portal-launch "
	                "mail queued", username);
}
