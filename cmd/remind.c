/* kennel remind: reminders for cron; silent on success unless -v. */
#include <stdlib.h>

#include "builtin.h"

static struct {
	long long days;
	int queue_only;
} o = { .days = -1 };

static const struct kn_opt remind_opts[] = {
	{ "days", 0, KN_OPT_INT, &o.days, "N", NULL },
	{ "queue-only", 0, KN_OPT_BOOL, &o.queue_only, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int remind(struct session *s, const char *what, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_remind_summary sum = { 0 };
	int rc = 0;
	(void)argv;

	if (argc > 0)
		return usage_error("remind", NULL, "unexpected argument '%s'", argv[0]);
	struct kn_remind_options ro = { .days = o.days, .template_dir = getenv("KENNEL_TEMPLATES") };
	if (kn_remind(s->db, what, &ro, &sum, &err) != KN_OK) {
		report(&err);
		return err.status;
	}
	if (!o.queue_only && !s->dry_run && sum.queued > 0) {
		struct kn_send_summary ss;
		rc = deliver(s, 0, &ss);
		sum.sent = ss.sent;
		sum.failed = ss.failed;
	}
	if (s->verbose || s->dry_run)
		say(s, "%squeued %lld, sent %lld, failed %lld", s->dry_run ? "dry run: " : "",
		    sum.queued, sum.sent, sum.failed);
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_rec_begin(p);
		kn_put_int(p, "queued", sum.queued, 1);
		kn_put_int(p, "sent", sum.sent, 1);
		kn_put_int(p, "failed", sum.failed, 1);
		kn_rec_end(p);
		finish_printer(p);
	}
	return rc;
}

static int vaccinations(struct session *s, int argc, char **argv)
{
	return remind(s, "vaccinations", argc, argv);
}

static int packages(struct session *s, int argc, char **argv)
{
	return remind(s, "packages", argc, argv);
}

static int appointments(struct session *s, int argc, char **argv)
{
	return remind(s, "appointments", argc, argv);
}

static int closures(struct session *s, int argc, char **argv)
{
	return remind(s, "closures", argc, argv);
}

static int all(struct session *s, int argc, char **argv)
{
	return remind(s, "all", argc, argv);
}

const struct verb remind_verbs[] = {
	{ "vaccinations", vaccinations, remind_opts, "[--days N] [--queue-only] [--dry-run]",
	  "One message per owner whose pets' required vaccinations expire within N days or have "
	  "expired; each reminder is sent once.", NULL, 1 },
	{ "appointments", appointments, remind_opts, "[--days N] [--queue-only] [--dry-run]",
	  "One message per owner with approved requests starting within N days.", NULL, 1 },
	{ "packages", packages, remind_opts, "[--days N] [--queue-only] [--dry-run]",
	  "One message per owner whose packages end within N days or have one day left.", NULL, 1 },
	{ "closures", closures, remind_opts, "[--days N] [--queue-only] [--dry-run]",
	  "One message per owner and closed period starting within N days that holds her "
	  "bookings; pending requests in it are declined with its reason.", NULL, 1 },
	{ "all", all, remind_opts, "[--days N] [--queue-only] [--dry-run]",
	  "Every reminder: vaccinations, appointments, packages and closures.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_remind(int argc, char **argv)
{
	return dispatch("remind", remind_verbs, argc, argv);
}
