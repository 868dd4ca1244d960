/* kennel area: the play areas of the desk. */
#include "builtin.h"

static struct {
	long long capacity;
	const char *service;
} o = { .capacity = -1 };

static const struct kn_opt add_opts[] = {
	{ "capacity", 0, KN_OPT_INT, &o.capacity, "N", NULL },
	{ "service", 0, KN_OPT_STR, &o.service, "S", "boarding|daycare|grooming|training|service" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int changed(struct session *s, kn_status st, struct kn_err *err)
{
	if (st != KN_OK || kn_tx_commit(s->db, err) != KN_OK)
		return fail(s, err);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_area_list(s->db, p, err), err);
}

static int add(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	if (argc != 1)
		return usage_error("area", NULL, "usage: kennel area add NAME [--capacity N] "
		                   "[--service S]");
	kn_status st = kn_tx_begin(s->db, &err);
	if (st == KN_OK)
		st = kn_area_add(s->db, argv[0], o.capacity, o.service, &err);
	return changed(s, st, &err);
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argc, (void)argv;
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_area_list(s->db, p, &err), &err);
}

static int rename_area(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	if (argc != 2)
		return usage_error("area", NULL, "usage: kennel area rename OLD NEW");
	kn_status st = kn_tx_begin(s->db, &err);
	if (st == KN_OK)
		st = kn_area_rename(s->db, argv[0], argv[1], &err);
	return changed(s, st, &err);
}

static int rm(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	if (argc != 1)
		return usage_error("area", NULL, "usage: kennel area rm NAME");
	kn_status st = kn_tx_begin(s->db, &err);
	if (st == KN_OK)
		st = kn_area_rm(s->db, argv[0], &err);
	return changed(s, st, &err);
}

const struct verb area_verbs[] = {
	{ "add", add, add_opts, "NAME [--capacity N] [--service S]",
	  "A play area, with the most pets it holds.", NULL, 1 },
	{ "list", list, NULL, "", "The play areas and the pets in each now.", NULL, 1 },
	{ "rename", rename_area, NULL, "OLD NEW", "Rename an area (a typo fixed).", NULL, 1 },
	{ "rm", rm, NULL, "NAME", "Remove an area; refused while a pet is in it.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_area(int argc, char **argv)
{
	return dispatch("area", area_verbs, argc, argv);
}
