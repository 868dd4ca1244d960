/* Mail internals shared by the mail modules (lib only). */
#ifndef KN_MAIL_H
#define KN_MAIL_H

#include "base/kn_internal.h"

/* name = value pairs a template can use */
struct kn_tvars {
	const char *const *names;
	const char *const *values;
	size_t n;
};
struct kn_tctx {
	struct kn_tvars vars;
	const struct kn_tvars *items;    /* {{#items}} entries */
	size_t nitems;
	const char *const *item_names;   /* the fields every item has */
	size_t nitem_names;
};

char *kn_template_load(const char *name, const char *dir, const char *file, struct kn_err *err);
/* A blast's template must not use a company field that is empty (nor
 * {{reset_url}} without a reset URL and --with-reset-links): every owner
 * would get a mail with a hole where the link or phone should be. */
kn_status kn_template_check_company(const char *tname, const char *text,
                                     const struct kn_company *c, int with_reset_links,
                                     struct kn_err *err);
kn_status kn_template_render(const char *tname, const char *text, const struct kn_tctx *ctx,
                             char **subject, char **body, struct kn_err *err);

struct kn_mail_msg {
	const char *kind;         /* blast, password-reset, ... */
	long long owner_id;
	const char *to;
	const char *subject;
	const char *body;
	const char *dedupe_key;
	const char *unsubscribe;  /* List-Unsubscribe value, or NULL */
	const char *reply_to;     /* an owner's address on their message to the company */
	long long blast_id;
	int secret;               /* the body carries a reset token */
};
/* Template variables of one owner and the company, and room for a
 * template's own (request.*, block.*). */
struct kn_owner_vars {
	const char *names[24];
	const char *values[24];
	char id[24];
	struct kn_tvars vars;
};
void kn_owner_vars_fill(struct kn_owner_vars *v, const struct kn_owner *o,
                        const struct kn_company *c, const char *reset_url);
void kn_owner_vars_add(struct kn_owner_vars *v, const char *name, const char *value);

/* Who the messages of a run are from, read once per run, not per message:
 * the company (its name for From:, its fields for templates) and mail.from. */
struct kn_sender {
	struct kn_company company;
	char *from;               /* mail.from, else the company email; "" if neither */
	struct kn_buf from_header; /* the From: value, encoded */
	int date_style;           /* display.date: how the mail shows dates */
};
kn_status kn_sender_load(struct kn_db *db, struct kn_sender *snd, struct kn_err *err);
void kn_sender_free(struct kn_sender *snd);
/* Queues unless a message with the same dedupe key exists (*queued = 0). */
kn_status kn_mail_queue(struct kn_db *db, const struct kn_sender *snd,
                        const struct kn_mail_msg *m, int *queued, struct kn_err *err);
kn_status kn_mail_dedupe_exists(struct kn_db *db, const char *key, int *exists,
                                struct kn_err *err);

/* remind closures (closure_notify.c), in kn_remind's transaction */
struct kn_remind_options;
struct kn_remind_summary;
kn_status kn_remind_closures(struct kn_db *db, const struct kn_remind_options *o,
                             struct kn_remind_summary *sum, struct kn_err *err);

#endif
