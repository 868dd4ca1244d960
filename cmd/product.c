/* kennel product: add, list, edit, show-to-owner, addons. */
#include "builtin.h"

static struct {
	struct kn_product_in in;
	int on, off, shown;
} o = { .in = { .show_to_owner = -1 } };

static int show_flag;

static const struct kn_opt add_opts[] = {
	{ "name", 0, KN_OPT_STR, &o.in.name, "NAME", NULL },
	{ "type", 0, KN_OPT_STR, &o.in.type, "TYPE", "boarding|daycare|grooming|training|service|"
	  "daycare-package|boarding-package|other-package|retail|fee" },
	{ "price", 0, KN_OPT_STR, &o.in.price, "MONEY", NULL },
	{ "quantity", 0, KN_OPT_INT, &o.in.quantity, "N", NULL },
	{ "days", 0, KN_OPT_INT, &o.in.days, "N", NULL },
	{ "days-active", 0, KN_OPT_INT, &o.in.days_active, "N", NULL },
	{ "show-to-owner", 0, KN_OPT_BOOL, &show_flag, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt list_opts[] = {
	{ "type", 0, KN_OPT_STR, &o.in.type, "TYPE", "boarding|daycare|grooming|training|service|"
	  "daycare-package|boarding-package|other-package|retail|fee" },
	{ "shown", 0, KN_OPT_BOOL, &o.shown, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt show_opts[] = {
	{ "on", 0, KN_OPT_BOOL, &o.on, NULL, NULL },
	{ "off", 0, KN_OPT_BOOL, &o.off, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int print_product(struct session *s, long long id)
{
	struct kn_err err = { 0 };
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_product_show(s->db, id, p, &err), &err);
}

static int add(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	(void)argv;

	if (argc > 0)
		return usage_error("product", NULL, "unexpected argument '%s'", argv[0]);
	o.in.show_to_owner = show_flag;
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_product_add(s->db, &o.in, &id, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return print_product(s, id);
}

static int list_products(struct session *s, int addons)
{
	struct kn_err err = { 0 };
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_product_list(s->db, addons ? NULL : o.in.type, o.shown, addons, p, &err), &err);
}

static int list(struct session *s, int argc, char **argv)
{
	(void)argc, (void)argv;
	return list_products(s, 0);
}

static int addons(struct session *s, int argc, char **argv)
{
	(void)argc, (void)argv;
	return list_products(s, 1);
}

static int edit(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;

	if (argc != 1)
		return usage_error("product", NULL, "product edit needs one PRODUCT");
	if (show_flag)
		o.in.show_to_owner = 1;
	if (kn_product_resolve(s->db, argv[0], &id, &err) != KN_OK)
		return fail(s, &err);
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_product_edit(s->db, id, &o.in, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return print_product(s, id);
}

static int show_to_owner(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long total = 0, n;

	if (argc < 1 || o.on == o.off)
		return usage_error("product", NULL, "usage: kennel product show-to-owner PATTERN... --on|--off");
	if (kn_tx_begin(s->db, &err) != KN_OK)
		return fail(s, &err);
	for (int i = 0; i < argc; i++) {
		if (kn_product_show_to_owner(s->db, argv[i], o.on, &n, &err) != KN_OK)
			return fail(s, &err);
		total += n;
	}
	if (kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	say(s, "%lld products %s to owners", total, o.on ? "shown" : "hidden");
	return 0;
}

const struct verb product_verbs[] = {
	{ "add", add, add_opts,
	  "--name NAME --type TYPE --price MONEY [--quantity N] [--days N] [--days-active N] "
	  "[--show-to-owner]", "Add a product; packages need --days and --days-active.", NULL, 1 },
	{ "list", list, list_opts, "[--type TYPE] [--shown]", "List active products.", NULL, 1 },
	{ "edit", edit, add_opts,
	  "PRODUCT [--name NAME] [--type TYPE] [--price MONEY] [--quantity N] [--days N] "
	  "[--days-active N] [--show-to-owner]", "Change a product.", NULL, 1 },
	{ "show-to-owner", show_to_owner, show_opts, "PATTERN... --on|--off",
	  "Show or hide every product whose name matches, in one command.", NULL, 1 },
	{ "addons", addons, NULL, "",
	  "What an owner can add to a boarding request: shown, any type but boarding and daycare.",
	  NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_product(int argc, char **argv)
{
	return dispatch("product", product_verbs, argc, argv);
}
