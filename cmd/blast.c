/* kennel blast email: one message to every owner of an audience. */
#include <stdlib.h>

#include "builtin.h"

static struct {
	const char *template_name, *template_file, *subject, *to;
	int queue_only, with_reset_links;
	long long ttl;
} o = { .to = "all", .ttl = 72 };

static const struct kn_opt email_opts[] = {
	{ "template", 0, KN_OPT_STR, &o.template_name, "NAME", NULL },
	{ "template-file", 0, KN_OPT_STR, &o.template_file, "FILE", NULL },
	{ "subject", 0, KN_OPT_STR, &o.subject, "TEXT", NULL },
	{ "to", 0, KN_OPT_STR, &o.to, "all|with-username|without-username|FILE", NULL },
	{ "queue-only", 0, KN_OPT_BOOL, &o.queue_only, NULL, NULL },
	{ "with-reset-links", 0, KN_OPT_BOOL, &o.with_reset_links, NULL, NULL },
	{ "ttl", 0, KN_OPT_INT, &o.ttl, "HOURS", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int email(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_blast_summary sum;
	(void)argv;

	if (argc > 0 || (o.template_name == NULL) == (o.template_file == NULL))
		return usage_error("blast", NULL, "usage: kennel blast email (--template NAME | "
		                   "--template-file FILE) [--subject TEXT] [--to all|with-username|"
		                   "without-username|FILE] [--with-reset-links] [--queue-only] [--dry-run]");
	if (o.ttl < 1 || o.ttl > 24 * 90)
		return usage_error("blast", NULL, "--ttl must be 1 to 2160 hours");
	struct kn_blast_options bo = {
		.template_name = o.template_name, .template_file = o.template_file,
		.template_dir = getenv("KENNEL_TEMPLATES"), .subject = o.subject, .to = o.to,
		.with_reset_links = o.with_reset_links, .ttl_hours = (long)o.ttl,
	};
	kn_status st = kn_blast_email(s->db, &bo, &sum, &err);
	if (st != KN_OK) {
		report(&err);
		return st;
	}
	int rc = 0;
	if (!o.queue_only && !s->dry_run) {
		struct kn_send_summary ss;
		rc = deliver(s, 0, &ss);
		sum.sent = ss.sent;
		sum.failed = ss.failed;
	}
	say(s, "%sblast %lld: %lld recipients, %lld queued, %lld skipped (no or invalid email, opted "
	    "out), %lld sent, %lld failed", s->dry_run ? "dry run: " : "", sum.blast_id,
	    sum.recipients, sum.queued, sum.skipped, sum.sent, sum.failed);
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_blast_summary_print(p, &sum);
		finish_printer(p);
	}
	return rc;
}

const struct verb blast_verbs[] = {
	{ "email", email, email_opts,
	  "(--template NAME | --template-file FILE) [--subject TEXT] "
	  "[--to all|with-username|without-username|FILE] [--with-reset-links] [--ttl HOURS] "
	  "[--queue-only] [--dry-run]",
	  "Queue and send one message per owner; a re-run sends nobody a second copy.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_blast(int argc, char **argv)
{
	return dispatch("blast", blast_verbs, argc, argv);
}
