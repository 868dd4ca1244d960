/*
 * kennel blast email: one message per recipient owner, rendered from a
 * template and queued in one transaction.  A blast is known by its template
 * text, subject and audience; each message's dedupe key is that blast and
 * the owner, so running the same blast again sends nobody a second copy,
 * and a reset link is minted only for an owner who has no message yet.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"
#include "owner/kn_owner.h"

static void blast_key(const char *text, const char *subject, const char *to, char hex[33])
{
	crypto_generichash_state h;
	unsigned char out[16];

	crypto_generichash_init(&h, NULL, 0, sizeof out);
	crypto_generichash_update(&h, (const unsigned char *)text, strlen(text) + 1);
	crypto_generichash_update(&h, (const unsigned char *)(subject ? subject : ""),
	                          strlen(subject ? subject : "") + 1);
	crypto_generichash_update(&h, (const unsigned char *)to, strlen(to) + 1);
	crypto_generichash_final(&h, out, sizeof out);
	sodium_bin2hex(hex, 33, out, sizeof out);
}

static kn_status find_or_create_blast(struct kn_db *db, const struct kn_blast_options *o,
                                      const char *key, long long *id, struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	kn_status s;

	kn_now_text(now);
	if ((s = kn_prepare(db, "INSERT INTO blasts (template, subject, audience, key, created_at)"
	                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, o->template_file ? o->template_file : o->template_name, -1,
	                  SQLITE_STATIC);
	kn_bind_text(st, 2, o->subject);
	sqlite3_bind_text(st, 3, o->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "recording blast");
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	if ((s = kn_prepare(db, "SELECT id FROM blasts WHERE key = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_step(st);
	*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return KN_OK;
}

struct blast_run {
	struct kn_db *db;
	const struct kn_blast_options *o;
	struct kn_blast_summary *sum;
	struct kn_sender sender;
	const char *text, *key;
	struct kn_err *err;
};

static kn_status one_owner(struct blast_run *r, const struct kn_owner *ow, struct kn_err *err)
{
	char dedupe[96], unsubscribe[400], email[256];
	char *subject = NULL, *body = NULL, *link = NULL;
	struct kn_owner_vars vars;
	int exists, queued;
	kn_status s;

	if (!ow->active || ow->email == NULL || kn_email_check(ow->email, email, sizeof email, NULL)
	    != KN_OK || ow->email_opt_out || (r->o->with_reset_links && ow->username == NULL)) {
		r->sum->skipped++;
		return KN_OK;
	}
	r->sum->recipients++;
	snprintf(dedupe, sizeof dedupe, "blast:%s:%lld", r->key, ow->id);
	if ((s = kn_mail_dedupe_exists(r->db, dedupe, &exists, err)) != KN_OK)
		return s;
	if (exists)
		return KN_OK; /* this owner has this blast already */
	if (r->o->with_reset_links &&
	    (s = kn_creds_reset(r->db, ow->id, r->o->ttl_hours, &link, err)) != KN_OK)
		return s;
	kn_owner_vars_fill(&vars, ow, &r->sender.company, link);
	struct kn_tctx ctx = { .vars = vars.vars };
	s = kn_template_render(r->o->template_file ? r->o->template_file : r->o->template_name,
	                       r->text, &ctx, &subject, &body, err);
	if (s == KN_OK) {
		snprintf(unsubscribe, sizeof unsubscribe, "<mailto:%s?subject=unsubscribe%%20%lld>",
		         r->sender.from, ow->id);
		struct kn_mail_msg m = {
			.kind = "blast", .owner_id = ow->id, .to = email,
			.subject = r->o->subject ? r->o->subject : subject, .body = body,
			.dedupe_key = dedupe, .unsubscribe = unsubscribe, .blast_id = r->sum->blast_id,
			.secret = link != NULL,
		};
		s = kn_mail_queue(r->db, &r->sender, &m, &queued, err);
		r->sum->queued += queued;
	}
	if (link)
		sodium_memzero(link, strlen(link));
	free(link);
	free(subject);
	free(body);
	return s;
}

static kn_status visit(void *ud, const struct kn_owner *ow)
{
	struct blast_run *r = ud;
	return one_owner(r, ow, r->err);
}

/* --to FILE: one owner a line (id, username, email or ext:ID), or the
 * first column of a CSV with a header */
static kn_status from_file(struct blast_run *r, struct kn_err *err)
{
	FILE *in = fopen(r->o->to, "r");
	char line[1024];
	long lineno = 0;
	kn_status s = KN_OK;

	if (in == NULL)
		return kn_err_set(err, KN_FAIL, "cannot open recipients '%s'", r->o->to);
	while (s == KN_OK && fgets(line, sizeof line, in)) {
		long long id;
		lineno++;
		line[strcspn(line, ",\r\n")] = '\0';
		if (line[0] == '\0' || (lineno == 1 && (strcmp(line, "owner_id") == 0 ||
		                                        strcmp(line, "email") == 0 || strcmp(line, "id") == 0)))
			continue;
		struct kn_err rerr = { 0 };
		if (kn_owner_resolve(r->db, line, &id, &rerr) != KN_OK) {
			s = kn_err_set(err, KN_FAIL, "%s: line %ld: %s", r->o->to, lineno, rerr.msg);
			break;
		}
		s = kn_owner_get(r->db, id, visit, r, err);
	}
	fclose(in);
	return s;
}

kn_status kn_blast_email(struct kn_db *db, const struct kn_blast_options *o,
                         struct kn_blast_summary *sum, struct kn_err *err)
{
	struct blast_run r = { .db = db, .o = o, .sum = sum, .err = err };
	char key[33];
	kn_status s;

	memset(sum, 0, sizeof *sum);
	if (sodium_init() < 0)
		return kn_err_set(err, KN_FAIL, "cannot initialise libsodium");
	char *text = kn_template_load(o->template_name, o->template_dir, o->template_file, err);
	if (text == NULL)
		return err->status;
	r.text = text;
	blast_key(text, o->subject, o->to, key);
	r.key = key;
	if ((s = kn_sender_load(db, &r.sender, err)) != KN_OK)
		goto out;
	if ((s = kn_template_check_company(o->template_file ? o->template_file : o->template_name,
	                                   text, &r.sender.company, o->with_reset_links,
	                                   err)) != KN_OK)
		goto out;
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		goto out;
	if ((s = find_or_create_blast(db, o, key, &sum->blast_id, err)) != KN_OK)
		goto done;
	if (strcmp(o->to, "all") == 0 || strcmp(o->to, "with-username") == 0 ||
	    strcmp(o->to, "without-username") == 0) {
		struct kn_owner_filter f = {
			.with_username = strcmp(o->to, "all") == 0 ? 0
			                 : strcmp(o->to, "with-username") == 0 ? 1 : -1,
		};
		s = kn_owner_list(db, &f, visit, &r, err);
	} else {
		s = from_file(&r, err);
	}
	if (s == KN_OK)
		s = kn_audit(db, "blast", sum->blast_id, err, "blast of '%s': %lld recipients, "
		             "%lld queued, %lld skipped", o->template_file ? o->template_file
		             : o->template_name, sum->recipients, sum->queued, sum->skipped);
done:
	if (s == KN_OK)
		s = kn_tx_commit(db, err);
	else
		kn_tx_rollback(db);
out:
	free(text);
	kn_sender_free(&r.sender);
	return s;
}

void kn_blast_summary_print(struct kn_printer *p, const struct kn_blast_summary *s)
{
	kn_rec_begin(p);
	kn_put_int(p, "blast_id", s->blast_id, 1);
	kn_put_int(p, "recipients", s->recipients, 1);
	kn_put_int(p, "queued", s->queued, 1);
	kn_put_int(p, "skipped", s->skipped, 1);
	kn_put_int(p, "sent", s->sent, 1);
	kn_put_int(p, "failed", s->failed, 1);
	kn_rec_end(p);
}
