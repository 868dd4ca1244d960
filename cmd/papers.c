/* kennel papers: the vet papers owners sent from the portal. */
#include "builtin.h"

static struct {
	const char *note;
	int pending;
} o;

static const struct kn_opt list_opts[] = {
	{ "pending", 0, KN_OPT_BOOL, &o.pending, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt done_opts[] = {
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int paper_id(struct session *s, const char *text, long long *id)
{
	struct kn_err err = { 0 };
	if (kn_id_parse(text, "papers id", id, &err) != KN_OK)
		return fail(s, &err);
	return 0;
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	if (argc > 0)
		return usage_error("papers", NULL, "unexpected argument '%s'", argv[0]);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_papers_list(s->db, o.pending, 0, p, &err), &err);
}

static int show(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc;
	if (argc != 1)
		return usage_error("papers", NULL, "usage: kennel papers show PAPER");
	if ((rc = paper_id(s, argv[0], &id)) != 0)
		return rc;
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_papers_list(s->db, 0, id, p, &err), &err);
}

static int save(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc;
	if (argc != 2)
		return usage_error("papers", NULL, "usage: kennel papers save PAPER FILE");
	if ((rc = paper_id(s, argv[0], &id)) != 0)
		return rc;
	if (kn_papers_save(s->db, id, argv[1], &err) != KN_OK)
		return fail(s, &err);
	say(s, "papers %lld saved to %s", id, argv[1]);
	return 0;
}

static int done(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc;
	if (argc != 1)
		return usage_error("papers", NULL, "usage: kennel papers done PAPER [--note TEXT]");
	if ((rc = paper_id(s, argv[0], &id)) != 0)
		return rc;
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_papers_done(s->db, id, o.note, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	say(s, "papers %lld done", id);
	return 0;
}

const struct verb papers_verbs[] = {
	{ "list", list, list_opts, "[--pending]",
	  "Vet papers owners sent from the portal, oldest first; --pending: not done yet.", NULL,
	  1 },
	{ "show", show, NULL, "PAPER", "One sent file: pet, owner, name, type, size.", NULL, 1 },
	{ "save", save, NULL, "PAPER FILE", "Write the file as sent to a new FILE (0600).", NULL, 1 },
	{ "done", done, done_opts, "PAPER [--note TEXT]",
	  "Read and entered (kennel vax add): no longer waiting for review.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_papers(int argc, char **argv)
{
	return dispatch("papers", papers_verbs, argc, argv);
}
