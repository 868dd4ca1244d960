/* kennel statement: a month's account for an owner, and the mailing for cron. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static struct {
	const char *month;
	int queue_only;
} o;

static const struct kn_opt show_opts[] = {
	{ "month", 0, KN_OPT_STR, &o.month, "YYYY-MM", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt send_opts[] = {
	{ "month", 0, KN_OPT_STR, &o.month, "YYYY-MM", NULL },
	{ "queue-only", 0, KN_OPT_BOOL, &o.queue_only, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int show(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long owner;
	if (argc != 1)
		return usage_error("statement", NULL, "usage: kennel statement OWNER [--month YYYY-MM]");
	if (kn_owner_resolve(s->db, argv[0], &owner, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_statement_print(s->db, owner, o.month, p, &err), &err);
}

static int send(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_statement_summary sum;
	int rc = 0;
	if (argc > 0)
		return usage_error("statement", NULL, "unexpected argument '%s'", argv[0]);
	if (kn_statement_send(s->db, o.month, getenv("KENNEL_TEMPLATES"), &sum, &err) != KN_OK)
		return fail(s, &err);
	struct kn_send_summary ss = { 0 };
	if (!o.queue_only && !s->dry_run && sum.queued > 0)
		rc = deliver(s, 0, &ss);
	say(s, "%sstatements: %lld queued, %lld sent already, %lld owners without email; "
	    "mailed %lld, failed %lld", s->dry_run ? "dry run: " : "", sum.queued, sum.already,
	    sum.no_email, ss.sent, ss.failed);
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_rec_begin(p);
		kn_put_int(p, "queued", sum.queued, 1);
		kn_put_int(p, "already", sum.already, 1);
		kn_put_int(p, "no_email", sum.no_email, 1);
		kn_put_int(p, "sent", ss.sent, 1);
		kn_put_int(p, "failed", ss.failed, 1);
		kn_rec_end(p);
		finish_printer(p);
	}
	return rc;
}

const struct verb statement_verbs[] = {
	{ "show", show, show_opts, "OWNER [--month YYYY-MM]",
	  "The month's statement (default last month): opening balance, each invoice and payment, "
	  "closing balance; 'kennel statement OWNER' for short.", NULL, 1 },
	{ "send", send, send_opts, "[--month YYYY-MM] [--queue-only]",
	  "For cron on the 1st: mail each owner with activity or a balance her statement, once per "
	  "month.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_statement(int argc, char **argv)
{
	/* 'kennel statement OWNER' is 'kennel statement show OWNER' */
	if (argc > 0 && argc < 63 && argv[0][0] != '-' && strcmp(argv[0], "show") != 0 &&
	    strcmp(argv[0], "send") != 0) {
		char *with[64];
		with[0] = (char *)"show";
		memcpy(with + 1, argv, (size_t)argc * sizeof *argv);
		with[argc + 1] = NULL;
		return dispatch("statement", statement_verbs, argc + 1, with);
	}
	return dispatch("statement", statement_verbs, argc, argv);
}
