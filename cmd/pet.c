/* kennel pet: add, list, show, edit, rm, temperament, import. */
#include <stdlib.h>

#include "builtin.h"

static struct {
	struct kn_pet_change c;
	const char *owner, *date, *rejects;
	int update;
	struct kn_strlist maps;
} o;

#define PET_FIELD_OPTS                                                  \
	{ "name", 0, KN_OPT_STR, &o.c.name, "NAME", NULL },                  \
	{ "species", 0, KN_OPT_STR, &o.c.species, "SPECIES", NULL },         \
	{ "breed", 0, KN_OPT_STR, &o.c.breed, "BREED", NULL },               \
	{ "birthday", 0, KN_OPT_DATE, &o.c.birthday, "DATE", NULL },          \
	{ "sex", 0, KN_OPT_STR, &o.c.sex, "SEX", NULL },                     \
	{ "color", 0, KN_OPT_STR, &o.c.color, "COLOR", NULL },               \
	{ "weight", 0, KN_OPT_STR, &o.c.weight, "WEIGHT", NULL },            \
	{ "notes", 0, KN_OPT_STR, &o.c.notes, "TEXT", NULL },                \
	{ "advisory", 0, KN_OPT_STR, &o.c.advisory, "TEXT", NULL },          \
	{ "external-id", 0, KN_OPT_STR, &o.c.external_id, "ID", NULL }

static const struct kn_opt field_opts[] = { PET_FIELD_OPTS, { NULL, 0, 0, NULL, NULL, NULL } };
static const struct kn_opt list_opts[] = {
	{ "owner", 0, KN_OPT_STR, &o.owner, "OWNER", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt temperament_opts[] = {
	{ "date", 0, KN_OPT_DATE, &o.date, "DATE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt import_opts[] = {
	{ "update", 0, KN_OPT_BOOL, &o.update, NULL, NULL },
	{ "rejects", 0, KN_OPT_STR, &o.rejects, "FILE", NULL },
	{ "map", 0, KN_OPT_LIST, &o.maps, "'Their Header=field'", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int show_pet(struct session *s, long long id)
{
	struct kn_err err = { 0 };
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_pet_show(s->db, id, p, &err), &err);
}

static int add(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long owner, id;

	if (argc != 1 || o.c.name == NULL)
		return usage_error("pet", NULL, "usage: kennel pet add OWNER --name NAME [...]");
	if (kn_owner_resolve(s->db, argv[0], &owner, &err) != KN_OK)
		return fail(s, &err);
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_pet_add(s->db, owner, &o.c, &id, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return show_pet(s, id);
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long owner = 0;
	(void)argv;

	if (argc > 0)
		return usage_error("pet", NULL, "unexpected argument '%s'", argv[0]);
	if (o.owner && kn_owner_resolve(s->db, o.owner, &owner, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_pet_list(s->db, owner, p, &err), &err);
}

static int resolve(struct session *s, int argc, char **argv, long long *id)
{
	struct kn_err err = { 0 };
	if (argc < 1)
		return usage_error("pet", NULL, "which pet? (an id, ext:ID or OWNER/NAME)");
	if (kn_pet_resolve(s->db, argv[0], id, &err) != KN_OK)
		return fail(s, &err);
	return 0;
}

static int show(struct session *s, int argc, char **argv)
{
	long long id;
	int rc = argc == 1 ? resolve(s, argc, argv, &id)
	                   : usage_error("pet", NULL, "pet show needs one PET");
	return rc ? rc : show_pet(s, id);
}

static int edit(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc = argc == 1 ? resolve(s, argc, argv, &id)
	                   : usage_error("pet", NULL, "pet edit needs one PET");
	if (rc)
		return rc;
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_pet_edit(s->db, id, &o.c, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return show_pet(s, id);
}

static int rm(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc = argc == 1 ? resolve(s, argc, argv, &id)
	                   : usage_error("pet", NULL, "pet rm needs one PET");
	if (rc)
		return rc;
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_pet_rm(s->db, id, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	say(s, "pet %lld removed", id);
	return 0;
}

static int temperament(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc = argc == 2 ? resolve(s, argc, argv, &id)
	                   : usage_error("pet", NULL, "usage: kennel pet temperament PET pass|fail|pending [--date DATE]");
	if (rc)
		return rc;
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_pet_temperament(s->db, id, argv[1], o.date, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return show_pet(s, id);
}

static int import(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_import_summary sum;

	if (argc != 1)
		return usage_error("pet", NULL, "pet import needs one FILE (or - for stdin)");
	struct kn_import_options io = {
		.path = argv[0], .rejects_path = o.rejects, .maps = o.maps.items, .update = o.update,
		.progress = progress_bar, .notice = notice_line, .ud = s,
	};
	kn_status st = kn_pet_import(s->db, &io, &sum, &err);
	progress_done(s);
	kn_strlist_free(&o.maps);
	return import_summary(s, st, &err, &sum, o.rejects != NULL);
}

const struct verb pet_verbs[] = {
	{ "add", add, field_opts,
	  "OWNER --name NAME [--species SPECIES] [--breed BREED] [--birthday DATE] [--sex SEX] "
	  "[--color COLOR] [--weight WEIGHT] [--notes TEXT] [--advisory TEXT] [--external-id ID]",
	  "Add a pet to an owner.", NULL, 1 },
	{ "list", list, list_opts, "[--owner OWNER]", "List pets.", NULL, 1 },
	{ "show", show, NULL, "PET", "A pet with its vaccinations.", NULL, 1 },
	{ "edit", edit, field_opts,
	  "PET [--name NAME] [--species SPECIES] [--breed BREED] [--birthday DATE] [--sex SEX] "
	  "[--color COLOR] [--weight WEIGHT] [--notes TEXT] [--advisory TEXT] [--external-id ID]",
	  "Change a pet's fields; an empty value clears one.", NULL, 1 },
	{ "rm", rm, NULL, "PET", "Remove a pet.", NULL, 1 },
	{ "temperament", temperament, temperament_opts, "PET pass|fail|pending [--date DATE]",
	  "Record a temperament test.", NULL, 1 },
	{ "import", import, import_opts,
	  "FILE|- [--update] [--rejects FILE] [--map 'Their Header=field' ...] [--dry-run]",
	  "Import pets from CSV; the owner by owner_external_id, owner_email or owner_id.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_pet(int argc, char **argv)
{
	return dispatch("pet", pet_verbs, argc, argv);
}
