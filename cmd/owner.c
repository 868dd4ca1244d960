/* kennel owner: add, list, show, edit, deactivate, rm, note, import, export. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static struct {
	struct kn_owner_change c;
	const char *first, *last, *search, *rejects, *file;
	int without_username, with_username, inactive, update, show_to_owner, opt_out, opt_in;
	int invite;
	long long limit;
	struct kn_strlist maps;
} o;

#define OWNER_FIELD_OPTS                                                        \
	{ "first", 0, KN_OPT_STR, &o.first, "NAME", NULL },                         \
	{ "last", 0, KN_OPT_STR, &o.last, "NAME", NULL },                           \
	{ "email", 0, KN_OPT_STR, &o.c.email, "ADDR", NULL },                       \
	{ "phone", 0, KN_OPT_STR, &o.c.phone, "PHONE", NULL },                      \
	{ "address", 0, KN_OPT_STR, &o.c.address, "TEXT", NULL },                   \
	{ "city", 0, KN_OPT_STR, &o.c.city, "CITY", NULL },                         \
	{ "state", 0, KN_OPT_STR, &o.c.state, "STATE", NULL },                      \
	{ "zip", 0, KN_OPT_STR, &o.c.zip, "ZIP", NULL },                            \
	{ "external-id", 0, KN_OPT_STR, &o.c.external_id, "ID", NULL },             \
	{ "username", 0, KN_OPT_STR, &o.c.username, "USERNAME", NULL }

static const struct kn_opt add_opts[] = {
	OWNER_FIELD_OPTS,
	{ "invite", 0, KN_OPT_BOOL, &o.invite, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt edit_opts[] = {
	OWNER_FIELD_OPTS,
	{ "email-opt-out", 0, KN_OPT_BOOL, &o.opt_out, NULL, NULL },
	{ "email-opt-in", 0, KN_OPT_BOOL, &o.opt_in, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt list_opts[] = {
	{ "search", 0, KN_OPT_STR, &o.search, "TEXT", NULL },
	{ "without-username", 0, KN_OPT_BOOL, &o.without_username, NULL, NULL },
	{ "with-username", 0, KN_OPT_BOOL, &o.with_username, NULL, NULL },
	{ "inactive", 0, KN_OPT_BOOL, &o.inactive, NULL, NULL },
	{ "limit", 0, KN_OPT_LIMIT, &o.limit, "N", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt import_opts[] = {
	{ "update", 0, KN_OPT_BOOL, &o.update, NULL, NULL },
	{ "rejects", 0, KN_OPT_STR, &o.rejects, "FILE", NULL },
	{ "map", 0, KN_OPT_LIST, &o.maps, "'Their Header=field'", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt note_add_opts[] = {
	{ "show-to-owner", 0, KN_OPT_BOOL, &o.show_to_owner, NULL, NULL },
	{ "file", 0, KN_OPT_STR, &o.file, "FILE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int print_one(struct session *s, long long id)
{
	struct kn_err err = { 0 };
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_owner_show(s->db, id, p, &err), &err);
}

static int resolve(struct session *s, int argc, char **argv, const char *verb, long long *id)
{
	struct kn_err err = { 0 };

	if (argc != 1)
		return usage_error("owner", NULL, "owner %s needs one OWNER (id, username, email or "
		                   "ext:ID)", verb);
	if (kn_owner_resolve(s->db, argv[0], id, &err) != KN_OK)
		return fail(s, &err);
	return 0;
}

static int add(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	(void)argv;

	if (argc > 0)
		return usage_error("owner", &owner_verbs[0], "unexpected argument '%s'", argv[0]);
	if (o.first == NULL || o.last == NULL)
		return usage_error("owner", &owner_verbs[0], "owner add needs --first and --last");
	struct kn_owner_change c = o.c;
	c.first_name = o.first;
	c.last_name = o.last;
	c.active = 1;
	/* the owner and the invitation are one step: no owner half invited */
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_owner_add(s->db, &c, &id, &err) != KN_OK ||
	    (o.invite && kn_owner_invite(s->db, id, getenv("KENNEL_TEMPLATES"), &err) != KN_OK) ||
	    kn_tx_commit(s->db, &err) != KN_OK) {
		kn_tx_rollback(s->db);
		return fail(s, &err);
	}
	if (o.invite && !s->dry_run) {
		struct kn_send_summary sum;
		deliver(s, 0, &sum);
	}
	return print_one(s, id);
}

static kn_status print_listed(void *ud, const struct kn_owner *owner)
{
	kn_owner_print(ud, owner);
	return KN_OK;
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argv;

	if (argc > 0)
		return usage_error("owner", NULL, "unexpected argument '%s'", argv[0]);
	if (o.with_username && o.without_username)
		return usage_error("owner", NULL, "choose one of --with-username and --without-username");
	struct kn_owner_filter f = {
		.search = o.search,
		.with_username = o.with_username ? 1 : o.without_username ? -1 : 0,
		.include_inactive = o.inactive,
		.limit = o.limit,
	};
	struct kn_printer *p = printer(s);
	kn_list_begin(p);
	kn_status st = kn_owner_list(s->db, &f, print_listed, p, &err);
	kn_list_end(p);
	int rc = finish_printer(p);
	return st != KN_OK ? fail(s, &err) : rc;
}

static int show(struct session *s, int argc, char **argv)
{
	long long id;
	int rc = resolve(s, argc, argv, "show", &id);
	return rc ? rc : print_one(s, id);
}

static int edit(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc = resolve(s, argc, argv, "edit", &id);

	if (rc)
		return rc;
	if (o.opt_out && o.opt_in)
		return usage_error("owner", NULL, "choose one of --email-opt-out and --email-opt-in");
	struct kn_owner_change c = o.c;
	c.first_name = o.first;
	c.last_name = o.last;
	c.email_opt_out = o.opt_out ? 1 : o.opt_in ? 0 : -1;
	c.active = -1;
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_owner_edit(s->db, id, &c, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK) {
		kn_tx_rollback(s->db);
		return fail(s, &err);
	}
	return print_one(s, id);
}

static int deactivate(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc = resolve(s, argc, argv, "deactivate", &id);

	if (rc)
		return rc;
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_owner_deactivate(s->db, id, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK) {
		kn_tx_rollback(s->db);
		return fail(s, &err);
	}
	say(s, "owner %lld deactivated", id);
	return 0;
}

static int rm(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc = resolve(s, argc, argv, "rm", &id);

	if (rc)
		return rc;
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_owner_rm(s->db, id, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK) {
		kn_tx_rollback(s->db);
		return fail(s, &err);
	}
	say(s, "owner %lld removed", id);
	return 0;
}

static int note_add(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id, note_id;
	char *text = NULL;

	if (argc < 1 || (argc == 1) == (o.file == NULL) || argc > 2)
		return usage_error("owner note", NULL,
		                   "usage: kennel owner note add OWNER [--show-to-owner] (TEXT | --file FILE|-)");
	if (kn_owner_resolve(s->db, argv[0], &id, &err) != KN_OK)
		return fail(s, &err);
	if (o.file && (text = slurp(o.file, &err)) == NULL)
		return fail(s, &err);
	kn_status st = kn_tx_begin(s->db, &err);
	if (st == KN_OK)
		st = kn_owner_note_add(s->db, id, text ? text : argv[1], o.show_to_owner, &note_id,
		                       &err);
	if (st == KN_OK)
		st = kn_tx_commit(s->db, &err);
	free(text);
	if (st != KN_OK) {
		kn_tx_rollback(s->db);
		return fail(s, &err);
	}
	if (s->format == KN_FMT_TEXT && !s->quiet)
		printf("%lld\n", note_id);
	else if (s->format != KN_FMT_TEXT)
		return print_one(s, id);
	return 0;
}

static int note_list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc = resolve(s, argc, argv, "note list", &id);

	if (rc)
		return rc;
	struct kn_printer *p = printer(s);
	kn_status st = kn_owner_notes_print(s->db, id, p, &err);
	rc = finish_printer(p);
	return st != KN_OK ? fail(s, &err) : rc;
}

static int import(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_import_summary sum;

	if (argc != 1)
		return usage_error("owner", NULL, "owner import needs one FILE (or - for stdin)");
	struct kn_import_options io = {
		.path = argv[0], .rejects_path = o.rejects, .maps = o.maps.items,
		.update = o.update, .progress = progress_bar, .notice = notice_line, .ud = s,
	};
	kn_status st = kn_owner_import(s->db, &io, &sum, &err);
	progress_done(s);
	kn_strlist_free(&o.maps);
	return import_summary(s, st, &err, &sum, o.rejects != NULL);
}

static int export(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argv;

	if (argc > 0)
		return usage_error("owner", NULL, "unexpected argument '%s'", argv[0]);
	if (kn_owner_export(s->db, s->format, stdout, &err) != KN_OK)
		return fail(s, &err);
	return 0;
}

static const struct verb note_verbs[] = {
	{ "add", note_add, note_add_opts, "OWNER [--show-to-owner] (TEXT | --file FILE|-)",
	  "Add a note to an owner's record.", NULL, 1 },
	{ "list", note_list, NULL, "OWNER", "List an owner's notes.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

const struct verb owner_verbs[] = {
	{ "add", add, add_opts,
	  "--first NAME --last NAME [--email ADDR] [--phone PHONE] [--address TEXT] [--city CITY] "
	  "[--state STATE] [--zip ZIP] [--external-id ID] [--username USERNAME] [--invite]",
	  "Add an owner; prints the new owner.", NULL, 1 },
	{ "list", list, list_opts,
	  "[--search TEXT] [--without-username | --with-username] [--inactive] [--limit N]",
	  "List active owners (--inactive: all).", NULL, 1 },
	{ "show", show, NULL, "OWNER", "The owner's record with notes.", NULL, 1 },
	{ "edit", edit, edit_opts,
	  "OWNER [--first NAME] [--last NAME] [--email ADDR] [--phone PHONE] [--address TEXT] "
	  "[--city CITY] [--state STATE] [--zip ZIP] [--external-id ID] [--username USERNAME] "
	  "[--email-opt-out | --email-opt-in]",
	  "Change an owner's fields; an empty value clears one.", NULL, 1 },
	{ "deactivate", deactivate, NULL, "OWNER", "Mark an owner inactive.", NULL, 1 },
	{ "rm", rm, NULL, "OWNER", "Remove an owner who has no history.", NULL, 1 },
	{ "note", NULL, NULL, NULL, "Notes on an owner's record.", note_verbs, 1 },
	{ "import", import, import_opts,
	  "FILE|- [--update] [--rejects FILE] [--map 'Their Header=field' ...] [--dry-run]",
	  "Import owners from CSV in one transaction; rejected rows go to --rejects.", NULL, 1 },
	{ "export", export, NULL, "[--json]",
	  "All owners as CSV (or JSON), ready for owner import --update.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_owner(int argc, char **argv)
{
	return dispatch("owner", owner_verbs, argc, argv);
}
