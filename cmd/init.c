/* kennel init: create or upgrade the database. */
#include <string.h>

#include "builtin.h"

static struct {
	const char *company, *email, *timezone;
} o;

static const struct kn_opt init_opts[] = {
	{ "company", 0, KN_OPT_STR, &o.company, "NAME", NULL },
	{ "email", 0, KN_OPT_STR, &o.email, "ADDR", NULL },
	{ "timezone", 0, KN_OPT_STR, &o.timezone, "TZ", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int init(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_db *db;
	int created;
	(void)argv;

	if (argc > 0)
		return usage_error("init", &init_verbs[0], "unexpected argument '%s'", argv[0]);
	if (s->dry_run)
		return usage_error("init", &init_verbs[0], "--dry-run: init cannot be tried without "
		                   "creating or upgrading the database");
	struct kn_db_options opts = { .path = s->db_path, .create = 1, .command = "init" };
	if (kn_db_open(&opts, &db, &created, &err) != KN_OK) {
		report(&err);
		return err.status;
	}
	struct kn_company c = { .name = (char *)o.company, .email = (char *)o.email,
	                        .timezone = (char *)o.timezone };
	if (kn_company_set(db, &c, &err) != KN_OK) {
		report(&err);
		kn_db_close(db);
		return err.status;
	}
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_rec_begin(p);
		kn_put_str(p, "path", kn_db_path(db), 1);
		kn_put_bool(p, "created", created, 1);
		kn_put_int(p, "schema_version", kn_schema_version_latest(), 1);
		kn_rec_end(p);
		finish_printer(p);
	} else if (!s->quiet) {
		printf("%s\n", kn_db_path(db));
	}
	say(s, "%s database (schema version %d)", created ? "created" : "up to date,",
	    kn_schema_version_latest());
	kn_db_close(db);
	return 0;
}

const struct verb init_verbs[] = {
	{ NULL, init, init_opts, "[--company NAME] [--email ADDR] [--timezone TZ]",
	  "Create the database (mode 0600), or upgrade an existing one.", NULL, 0 },
};

int cmd_init(int argc, char **argv)
{
	return dispatch("init", init_verbs, argc, argv);
}
