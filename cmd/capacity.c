/* kennel capacity: units per service and day. */
#include <stdlib.h>

#include "kennel.h"

static struct {
	const char *from, *to, *service;
} o;

static const struct kn_opt set_opts[] = {
	{ "from", 0, KN_OPT_STR, &o.from, "DATE", NULL },
	{ "to", 0, KN_OPT_STR, &o.to, "DATE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt show_opts[] = {
	{ "service", 0, KN_OPT_STR, &o.service, "SERVICE", "boarding|daycare|grooming|training|service" },
	{ "from", 0, KN_OPT_STR, &o.from, "DATE", NULL },
	{ "to", 0, KN_OPT_STR, &o.to, "DATE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int set(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	char *end;

	if (argc != 2)
		return usage_error("capacity", NULL, "usage: kennel capacity set SERVICE N [--from DATE --to DATE]");
	long long units = strtoll(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || units < 0)
		return usage_error("capacity", NULL, "invalid capacity '%s' (a whole number, 0 or more)", argv[1]);
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_capacity_set(s->db, argv[0], units, o.from, o.to, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
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
