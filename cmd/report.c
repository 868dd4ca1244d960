/* kennel report: vaccinations, advisory. */
#include "builtin.h"

static struct {
	int expired;
	long long expiring;
	const char *match;
} o = { .expiring = -1 };

static const struct kn_opt advisory_opts[] = {
	{ "match", 0, KN_OPT_STR, &o.match, "TEXT", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt vax_opts[] = {
	{ "expired", 0, KN_OPT_BOOL, &o.expired, NULL, NULL },
	{ "expiring", 0, KN_OPT_INT, &o.expiring, "DAYS", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int vaccinations(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argc, (void)argv;
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_report_vaccinations(s->db, o.expired, o.expiring, p, &err), &err);
}

static int advisory(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argc, (void)argv;
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_report_advisory(s->db, o.match, p, &err), &err);
}

static struct {
	const char *service, *from, *to;
} occ;

static const struct kn_opt occupancy_opts[] = {
	{ "service", 0, KN_OPT_STR, &occ.service, "SERVICE", "boarding|daycare|grooming|training|service" },
	{ "from", 0, KN_OPT_DATE, &occ.from, "DATE", NULL },
	{ "to", 0, KN_OPT_DATE, &occ.to, "DATE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int occupancy(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argc, (void)argv;
	if (!occ.service || !occ.from || !occ.to)
		return usage_error("report", NULL, "usage: kennel report occupancy --service S --from DATE --to DATE");
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_occupancy(s->db, occ.service, occ.from, occ.to, p, &err), &err);
}

static int packages(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argc, (void)argv;
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_report_packages(s->db, p, &err), &err);
}

static int balances(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argc, (void)argv;
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_report_balances(s->db, p, &err), &err);
}

static int unbalanced(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	int found = 0;
	(void)argc, (void)argv;
	struct kn_printer *p = printer(s);
	int rc = printed(s, p, kn_report_unbalanced(s->db, p, &found, &err), &err);
	if (rc == 0 && found == 0)
		say(s, "every order and payment adds up");
	return rc;
}

const struct verb report_verbs[] = {
	{ "vaccinations", vaccinations, vax_opts, "[--expiring DAYS] [--expired]",
	  "Each required vaccination of each pet: current, expiring, expired or missing.", NULL, 1 },
	{ "advisory", advisory, advisory_opts, "[--match TEXT]",
	  "Pets with an advisory, with the owner's phone and email.", NULL, 1 },
	{ "packages", packages, NULL, "",
	  "Active packages with the value remaining: price paid / days bought x days left.", NULL, 1 },
	{ "occupancy", occupancy, occupancy_opts, "--service SERVICE --from DATE --to DATE",
	  "Per day: capacity, approved, pending, free.", NULL, 1 },
	{ "balances", balances, NULL, "",
	  "Owners whose balance is not 0, aged (current, 31-60, 61-90, over 90 days), with phone "
	  "and email.", NULL, 1 },
	{ "unbalanced", unbalanced, NULL, "",
	  "Each order or payment the ledger does not add up for, with the reason; changes nothing.",
	  NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_report(int argc, char **argv)
{
	return dispatch("report", report_verbs, argc, argv);
}
