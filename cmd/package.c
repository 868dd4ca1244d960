/* kennel package: list, show, history, modify, use, carryover. */
#include <stdlib.h>

#include "builtin.h"

static struct {
	const char *owner, *end, *note, *package_note, *date, *type, *product, *rejects;
	int active;
	long long expiring, left;
	struct kn_strlist maps;
} o = { .expiring = -1, .left = -1 };

static const struct kn_opt list_opts[] = {
	{ "owner", 0, KN_OPT_STR, &o.owner, "OWNER", NULL },
	{ "active", 0, KN_OPT_BOOL, &o.active, NULL, NULL },
	{ "expiring", 0, KN_OPT_INT, &o.expiring, "DAYS", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt modify_opts[] = {
	{ "left", 0, KN_OPT_INT, &o.left, "N", NULL },
	{ "end", 0, KN_OPT_DATE, &o.end, "DATE", NULL },
	{ "package-note", 0, KN_OPT_STR, &o.package_note, "TEXT", NULL },
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt use_opts[] = {
	{ "date", 0, KN_OPT_DATE, &o.date, "DATE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt carryover_opts[] = {
	{ "type", 0, KN_OPT_STR, &o.type, "TYPE", "daycare|boarding|other" },
	{ "product", 0, KN_OPT_STR, &o.product, "NAME", NULL },
	{ "rejects", 0, KN_OPT_STR, &o.rejects, "FILE", NULL },
	{ "map", 0, KN_OPT_LIST, &o.maps, "'Their Header=field'", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int pkg_id(int argc, char **argv, long long *id)
{
	return argc == 1 && kn_id_parse(argv[0], "package id", id, NULL) == KN_OK;
}

static int print_packages(struct session *s, long long owner, long long id)
{
	struct kn_err err = { 0 };
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_package_list(s->db, owner, o.active, o.expiring, id, p, &err), &err);
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long owner = 0;
	(void)argc, (void)argv;

	if (o.owner && kn_owner_resolve(s->db, o.owner, &owner, &err) != KN_OK)
		return fail(s, &err);
	return print_packages(s, owner, 0);
}

static int show(struct session *s, int argc, char **argv)
{
	long long id;
	if (!pkg_id(argc, argv, &id))
		return usage_error("package", NULL, "package show needs one PKG id");
	return print_packages(s, 0, id);
}

static int history(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	if (!pkg_id(argc, argv, &id))
		return usage_error("package", NULL, "package history needs one PKG id");
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_package_history(s->db, id, p, &err), &err);
}

static int modify(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;

	if (!pkg_id(argc, argv, &id) || (o.left < 0 && o.end == NULL && o.package_note == NULL))
		return usage_error("package", NULL, "usage: kennel package modify PKG [--left N] "
		                   "[--end DATE] [--package-note TEXT] --note TEXT");
	if (o.note == NULL)
		return usage_error("package", NULL, "a note is required: --note TEXT says why the "
		                   "package is modified (kept in its history)");
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_package_modify(s->db, id, o.left, o.end, o.package_note, o.note, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return print_packages(s, 0, id);
}

static int use(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;

	if (!pkg_id(argc, argv, &id))
		return usage_error("package", NULL, "usage: kennel package use PKG [--date DATE]");
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_package_use(s->db, id, o.date, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return print_packages(s, 0, id);
}

static int carryover(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_import_summary sum;

	if (argc != 1)
		return usage_error("package", NULL, "package carryover needs one FILE (or - for stdin)");
	struct kn_carryover_options co = {
		.import = { .path = argv[0], .rejects_path = o.rejects, .maps = o.maps.items,
		            .progress = progress_bar, .notice = notice_line,
		            .ud = s },
		.type = o.type, .product_name = o.product,
	};
	kn_status st = kn_package_carryover(s->db, &co, &sum, &err);
	progress_done(s);
	kn_strlist_free(&o.maps);
	return import_summary(s, st, &err, &sum, o.rejects != NULL);
}

const struct verb package_verbs[] = {
	{ "list", list, list_opts, "[--owner OWNER] [--active] [--expiring DAYS]",
	  "Owners' packages with days left, end date and status.", NULL, 1 },
	{ "show", show, NULL, "PKG", "One package.", NULL, 1 },
	{ "history", history, NULL, "PKG", "Every change to a package, with its note.", NULL, 1 },
	{ "modify", modify, modify_opts, "PKG [--left N] [--end DATE] [--package-note TEXT] --note TEXT",
	  "Change days left or the end date; the note is required.", NULL, 1 },
	{ "use", use, use_opts, "PKG [--date DATE]",
	  "One day used; refused at 0 left or past the end date.", NULL, 1 },
	{ "carryover", carryover, carryover_opts,
	  "FILE|- [--type daycare|boarding|other] [--product NAME] [--rejects FILE] "
	  "[--map 'Their Header=field' ...] [--dry-run]",
	  "Migrate prepaid packages from another system, as the manual procedure does.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_package(int argc, char **argv)
{
	return dispatch("package", package_verbs, argc, argv);
}
