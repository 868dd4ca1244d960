/* kennel vax: add, list, import vaccinations. */
#include "builtin.h"

static struct {
	const char *expires, *owner, *pet, *rejects;
	int expired;
	long long expiring;
	struct kn_strlist maps;
} o = { .expiring = -1 };

static const struct kn_opt add_opts[] = {
	{ "expires", 0, KN_OPT_DATE, &o.expires, "DATE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt list_opts[] = {
	{ "owner", 0, KN_OPT_STR, &o.owner, "OWNER", NULL },
	{ "pet", 0, KN_OPT_STR, &o.pet, "PET", NULL },
	{ "expired", 0, KN_OPT_BOOL, &o.expired, NULL, NULL },
	{ "expiring", 0, KN_OPT_INT, &o.expiring, "DAYS", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt import_opts[] = {
	{ "rejects", 0, KN_OPT_STR, &o.rejects, "FILE", NULL },
	{ "map", 0, KN_OPT_LIST, &o.maps, "'Their Header=field'", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int add(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long pet;

	if (argc != 2 || o.expires == NULL)
		return usage_error("vax", NULL, "usage: kennel vax add PET TYPE --expires DATE");
	if (kn_pet_resolve(s->db, argv[0], &pet, &err) != KN_OK)
		return fail(s, &err);
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_vax_add(s->db, pet, argv[1], o.expires, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	struct kn_vax_filter f = { .pet_id = pet, .expiring_days = -1 };
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_vax_list(s->db, &f, p, &err), &err);
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_vax_filter f = { .expired = o.expired, .expiring_days = o.expiring };
	(void)argv;

	if (argc > 0)
		return usage_error("vax", NULL, "unexpected argument '%s'", argv[0]);
	if (o.owner && kn_owner_resolve(s->db, o.owner, &f.owner_id, &err) != KN_OK)
		return fail(s, &err);
	if (o.pet && kn_pet_resolve(s->db, o.pet, &f.pet_id, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_vax_list(s->db, &f, p, &err), &err);
}

static int import(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_import_summary sum;

	if (argc != 1)
		return usage_error("vax", NULL, "vax import needs one FILE (or - for stdin)");
	struct kn_import_options io = {
		.path = argv[0], .rejects_path = o.rejects, .maps = o.maps.items,
		.progress = progress_bar, .notice = notice_line, .ud = s,
	};
	kn_status st = kn_vax_import(s->db, &io, &sum, &err);
	progress_done(s);
	kn_strlist_free(&o.maps);
	return import_summary(s, st, &err, &sum, o.rejects != NULL);
}

const struct verb vax_verbs[] = {
	{ "add", add, add_opts, "PET TYPE --expires DATE", "Record a vaccination; a type the pet has already is renewed.", NULL, 1 },
	{ "list", list, list_opts, "[--owner OWNER] [--pet PET] [--expired] [--expiring DAYS]",
	  "Vaccinations with their status: current, expiring or expired.", NULL, 1 },
	{ "import", import, import_opts, "FILE|- [--rejects FILE] [--map 'Their Header=field' ...] [--dry-run]",
	  "Import vaccinations; the pet by pet_external_id, or owner and pet_name.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_vax(int argc, char **argv)
{
	return dispatch("vax", vax_verbs, argc, argv);
}
