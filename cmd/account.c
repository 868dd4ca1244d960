/* kennel account: what an owner was charged, paid and owes. */
#include "builtin.h"

static int show(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long owner;
	if (argc != 1)
		return usage_error("account", NULL, "usage: kennel account show OWNER");
	if (kn_owner_resolve(s->db, argv[0], &owner, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_account_show(s->db, owner, p, &err), &err);
}

const struct verb account_verbs[] = {
	{ "show", show, NULL, "OWNER",
	  "Charged, paid, credit, balance; each due order with its age; the last payments.", NULL,
	  1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_account(int argc, char **argv)
{
	return dispatch("account", account_verbs, argc, argv);
}
