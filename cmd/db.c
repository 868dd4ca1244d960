/* kennel db: check, backup, version. */
#include "builtin.h"

static void problem(void *ud, const char *line)
{
	(void)ud;
	fprintf(stderr, "kennel: %s\n", line);
}

static int check(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	int problems;
	(void)argv;

	if (argc > 0)
		return usage_error("db", NULL, "unexpected argument '%s'", argv[0]);
	if (kn_db_check(s->db, problem, NULL, &problems, &err) != KN_OK) {
		report(&err);
		return err.status;
	}
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_rec_begin(p);
		kn_put_bool(p, "ok", problems == 0, 1);
		kn_put_int(p, "problems", problems, 1);
		kn_rec_end(p);
		finish_printer(p);
	} else if (!s->quiet && problems == 0) {
		printf("ok\n");
	}
	return problems ? KN_FAIL : 0;
}

static int backup(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };

	if (argc != 1)
		return usage_error("db", NULL, "db backup needs one FILE");
	if (s->dry_run)
		return usage_error("db", NULL, "--dry-run: a backup cannot be tried without writing it");
	if (kn_db_backup(s->db, argv[0], &err) != KN_OK) {
		report(&err);
		return err.status;
	}
	say(s, "backed up %s to %s", kn_db_path(s->db), argv[0]);
	return 0;
}

static int version(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	const char *sqlite_version;
	int schema;
	(void)argc, (void)argv;

	if (kn_db_versions(s->db, &schema, &sqlite_version, &err) != KN_OK) {
		report(&err);
		return err.status;
	}
	struct kn_printer *p = printer(s);
	kn_rec_begin(p);
	kn_put_str(p, "path", kn_db_path(s->db), 1);
	kn_put_int(p, "schema_version", schema, 1);
	kn_put_int(p, "kennel_schema_version", kn_schema_version_latest(), 1);
	kn_put_str(p, "sqlite_version", sqlite_version, 1);
	kn_put_str(p, "kennel_version", KN_VERSION, 1);
	kn_rec_end(p);
	return finish_printer(p);
}

const struct verb db_verbs[] = {
	{ "check", check, NULL, "", "Check integrity and foreign keys; exit 1 on a problem.", NULL, 1 },
	{ "backup", backup, NULL, "FILE", "Copy the database to a new FILE, safely while others write.", NULL, 1 },
	{ "version", version, NULL, "", "Schema, kennel and SQLite versions.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_db(int argc, char **argv)
{
	return dispatch("db", db_verbs, argc, argv);
}
