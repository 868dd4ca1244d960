/* kennel capacity: units per service and day. */
#include <stdlib.h>

#include "builtin.h"

static struct {
	const char *from, *to, *service;
} o;

static const struct kn_opt set_opts[] = {
	{ "from", 0, KN_OPT_DATE, &o.from, "DATE", NULL },
	{ "to", 0, KN_OPT_DATE, &o.to, "DATE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt show_opts[] = {
	{ "service", 0, KN_OPT_STR, &o.service, "SERVICE", "boarding|daycare|grooming|training|service" },
	{ "from", 0, KN_OPT_DATE, &o.from, "DATE", NULL },
	{ "to", 0, KN_OPT_DATE, &o.to, "DATE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int set(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long units;

	if (argc != 2)
		return usage_error("capacity", NULL, "usage: kennel capacity set SERVICE N [--from DATE --to DATE]");
	if (kn_count_parse(argv[1], "capacity", KN_MAX_COUNT, &units, &err) != KN_OK)
		return usage_error("capacity", NULL, "%s (a whole number from 0 to %lld)", err.msg,
		                   KN_MAX_COUNT);
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_capacity_set(s->db, argv[0], units, o.from, o.to, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	waitlist_freed(s); /* capacity raised: room for the waitlist */
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_rec_begin(p);
		kn_put_str(p, "service", argv[0], 1);
		kn_put_int(p, "units", units, 1);
		kn_put_str(p, "from", o.from, 1);
		kn_put_str(p, "to", o.to, 1);
		kn_rec_end(p);
		return finish_printer(p);
	}
	say(s, "%s capacity set to %lld%s%s%s%s", argv[0], units, o.from ? " from " : "",
	    o.from ? o.from : "", o.to ? " to " : "", o.to ? o.to : "");
	return 0;
}

static int show(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	char from[11], to[11];
	(void)argc, (void)argv;

	if (o.service == NULL)
		return usage_error("capacity", NULL, "usage: kennel capacity show --service S [--from DATE --to DATE]");
	/* the coming two weeks unless told */
	kn_date_format(kn_today(), from);
	kn_date_format(kn_today() + 13, to);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_occupancy(s->db, o.service, o.from ? o.from : from, o.to ? o.to : to, p, &err), &err);
}

const struct verb capacity_verbs[] = {
	{ "set", set, set_opts, "SERVICE N [--from DATE --to DATE]",
	  "Units per day (kennel count for boarding); with dates, an override.", NULL, 1 },
	{ "show", show, show_opts, "--service SERVICE [--from DATE] [--to DATE]",
	  "Per day: capacity, approved, pending, free.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_capacity(int argc, char **argv)
{
	return dispatch("capacity", capacity_verbs, argc, argv);
}
