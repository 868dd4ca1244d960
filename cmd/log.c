/* kennel log: the audit log. */
#include "builtin.h"

static struct {
	const char *owner, *since;
	long long limit;
} o;

static const struct kn_opt log_opts[] = {
	{ "owner", 0, KN_OPT_STR, &o.owner, "OWNER", NULL },
	{ "since", 0, KN_OPT_DATE, &o.since, "DATE", NULL },
	{ "limit", 0, KN_OPT_LIMIT, &o.limit, "N", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static kn_status print_entry(void *ud, const struct kn_log_entry *e)
{
	kn_log_print(ud, e);
	return KN_OK;
}

static int show_log(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_log_filter f = { .limit = o.limit };
	char since[11];
	kn_day day;

	if (argc > 0)
		return usage_error("log", &log_verbs[0], "unexpected argument '%s'", argv[0]);
	if (o.owner && kn_owner_resolve(s->db, o.owner, &f.owner_id, &err) != KN_OK) {
		report(&err);
		return err.status;
	}
	if (o.since) {
		if (kn_date_parse(o.since, &day, &err) != KN_OK) {
			report(&err);
			return KN_USAGE;
		}
		kn_date_format(day, since);
		f.since = since;
	}
	struct kn_printer *p = printer(s);
	kn_list_begin(p);
	kn_status st = kn_log_each(s->db, &f, print_entry, p, &err);
	kn_list_end(p);
	int rc = finish_printer(p);
	if (st != KN_OK) {
		report(&err);
		return err.status;
	}
	return rc;
}

const struct verb log_verbs[] = {
	{ NULL, show_log, log_opts, "[--owner OWNER] [--since DATE] [--limit N]",
	  "Show the audit log: when, who, which command, what changed.", NULL, 1 },
};

int cmd_log(int argc, char **argv)
{
	return dispatch("log", log_verbs, argc, argv);
}
