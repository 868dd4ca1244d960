/* kennel block: closed periods. */
#include <stdlib.h>

#include "builtin.h"

static struct {
	const char *from, *to, *service, *reason;
	int notify;
} o;

static const struct kn_opt add_opts[] = {
	{ "from", 0, KN_OPT_DATE, &o.from, "DATE", NULL },
	{ "to", 0, KN_OPT_DATE, &o.to, "DATE", NULL },
	{ "service", 0, KN_OPT_STR, &o.service, "SERVICE", "boarding|daycare|grooming|training|service" },
	{ "reason", 0, KN_OPT_STR, &o.reason, "TEXT", NULL },
	{ "notify", 0, KN_OPT_BOOL, &o.notify, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int add(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id, queued = 0;
	(void)argv;

	if (argc > 0 || !o.from || !o.to || !o.reason)
		return usage_error("block", NULL, "usage: kennel block add --from DATE --to DATE "
		                   "[--service S] --reason TEXT [--notify]");
	struct kn_printer *p = printer(s);
	kn_status st = kn_tx_begin(s->db, &err);
	if (st == KN_OK)
		st = kn_block_add(s->db, o.service, o.from, o.to, o.reason, &id, p, &err);
	if (st == KN_OK && o.notify)
		st = kn_block_notify(s->db, id, getenv("KENNEL_TEMPLATES"), &queued, &err);
	if (st == KN_OK)
		st = kn_tx_commit(s->db, &err);
	int rc = finish_printer(p);
	if (st != KN_OK)
		return fail(s, &err);
	say(s, "block %lld added; the approved requests it conflicts with are listed", id);
	if (o.notify && queued > 0 && !s->dry_run) {
		struct kn_send_summary sum;
		say(s, "%lld owner%s notified", queued, queued == 1 ? "" : "s");
		int sent = deliver(s, 0, &sum);
		if (sent != 0)
			return sent;
	}
	return rc;
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argc, (void)argv;
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_block_list(s->db, p, &err), &err);
}

static int rm(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;

	if (argc != 1)
		return usage_error("block", NULL, "usage: kennel block rm BLOCK");
	if (kn_id_parse(argv[0], "block id", &id, &err) != KN_OK)
		return usage_error("block", NULL, "%s", err.msg);
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_block_rm(s->db, id, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	waitlist_freed(s); /* the days reopened: room for the waitlist */
	return 0;
}

const struct verb block_verbs[] = {
	{ "add", add, add_opts, "--from DATE --to DATE [--service SERVICE] --reason TEXT [--notify]",
	  "Close a period; prints the approved requests it conflicts with, --notify mails "
	  "their owners.", NULL, 1 },
	{ "list", list, NULL, "", "The closed periods.", NULL, 1 },
	{ "rm", rm, NULL, "BLOCK", "Reopen a period.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_block(int argc, char **argv)
{
	return dispatch("block", block_verbs, argc, argv);
}
