/* kennel mail: deliver, list, show and retry the outbox. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static struct {
	long long limit;
	const char *status;
	int failed, queued;
} o;

static const struct kn_opt send_opts[] = {
	{ "limit", 0, KN_OPT_LIMIT, &o.limit, "N", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt list_opts[] = {
	{ "status", 0, KN_OPT_STR, &o.status, "STATUS", "queued|sending|sent|failed" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt cancel_opts[] = {
	{ "queued", 0, KN_OPT_BOOL, &o.queued, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt retry_opts[] = {
	{ "failed", 0, KN_OPT_BOOL, &o.failed, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

int deliver(struct session *s, long long limit, struct kn_send_summary *sum)
{
	struct kn_err err = { 0 };
	struct kn_send_options so = {
		.limit = limit,
		.smtp_user = getenv("KENNEL_SMTP_USER"),
		.smtp_password = getenv("KENNEL_SMTP_PASSWORD"),
		.progress = progress_bar, .ud = s,
	};
	kn_status st = kn_mail_send(s->db, &so, sum, &err);
	progress_done(s);
	if (st != KN_OK && st != KN_PARTIAL)
		report(&err);
	return st;
}

static int send(struct session *s, int argc, char **argv)
{
	struct kn_send_summary sum;
	(void)argv;

	if (argc > 0)
		return usage_error("mail", NULL, "unexpected argument '%s'", argv[0]);
	int st = deliver(s, o.limit, &sum);
	if (s->dry_run)
		say(s, "dry run: %lld message(s) due; none sent", sum.due);
	else if (s->verbose || sum.failed || sum.deferred)
		say(s, "sent %lld, failed %lld, deferred %lld", sum.sent, sum.failed, sum.deferred);
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_send_summary_print(p, &sum);
		finish_printer(p);
	}
	return st;
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argc, (void)argv;

	struct kn_printer *p = printer(s);
	return printed(s, p, kn_mail_list(s->db, o.status, p, &err), &err);
}

static int parse_id(const char *text, long long *id)
{
	return kn_id_parse(text, "message id", id, NULL) == KN_OK;
}

static int show(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;

	if (argc != 1 || !parse_id(argv[0], &id))
		return usage_error("mail", NULL, "mail show needs one message id");
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_mail_show(s->db, id, p, &err), &err);
}

typedef kn_status (*outbox_fn)(struct kn_db *db, long long id, long long *count,
                               struct kn_err *err);

/* MSG... or every one (all): one transaction for the lot */
static int each_message(struct session *s, outbox_fn fn, int all, int argc, char **argv,
                        long long *total)
{
	struct kn_err err = { 0 };
	long long count;

	*total = 0;
	if (kn_tx_begin(s->db, &err) != KN_OK)
		return fail(s, &err);
	for (int i = 0; i < argc || (all && i == 0); i++) {
		long long id = 0;
		if (!all && !parse_id(argv[i], &id)) {
			kn_tx_rollback(s->db);
			return usage_error("mail", NULL, "invalid message id '%s'", argv[i]);
		}
		if (fn(s->db, id, &count, &err) != KN_OK) {
			kn_tx_rollback(s->db);
			return fail(s, &err);
		}
		*total += count;
	}
	if (kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return 0;
}

static int cancel(struct session *s, int argc, char **argv)
{
	long long total;

	if ((argc == 0) == !o.queued)
		return usage_error("mail", NULL, "usage: kennel mail cancel (MSG... | --queued)");
	int rc = each_message(s, kn_mail_cancel, o.queued, argc, argv, &total);
	if (rc == 0)
		say(s, "%s%lld queued message(s) cancelled", s->dry_run ? "dry run: " : "", total);
	return rc;
}

static int retry(struct session *s, int argc, char **argv)
{
	long long total;

	if ((argc == 0) == !o.failed)
		return usage_error("mail", NULL, "usage: kennel mail retry (MSG... | --failed)");
	int rc = each_message(s, kn_mail_retry, o.failed, argc, argv, &total);
	if (rc == 0)
		say(s, "%lld message(s) queued again: run 'kennel mail send'", total);
	return rc;
}

const struct verb mail_verbs[] = {
	{ "send", send, send_opts, "[--limit N]",
	  "Deliver what is queued; exit 75 when the server is unreachable.", NULL, 1 },
	{ "list", list, list_opts, "[--status queued|sending|sent|failed]", "The outbox.", NULL, 1 },
	{ "show", show, NULL, "MSG", "One message, with its text.", NULL, 1 },
	{ "retry", retry, retry_opts, "(MSG... | --failed)", "Queue failed messages again.", NULL, 1 },
	{ "cancel", cancel, cancel_opts, "(MSG... | --queued)",
	  "Drop queued messages before they leave (a blast sent too soon).", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_mail(int argc, char **argv)
{
	return dispatch("mail", mail_verbs, argc, argv);
}
