/* kennel portal: staff's view of the owner portal. */
#include <stdio.h>
#include <string.h>

#include "builtin.h"

static struct {
	const char *owner;
	int all;
} o;

static const struct kn_opt sessions_opts[] = {
	{ "owner", 0, KN_OPT_STR, &o.owner, "OWNER", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt logout_opts[] = {
	{ "all", 0, KN_OPT_BOOL, &o.all, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int sessions(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long owner = 0;

	if (argc > 0)
		return usage_error("portal", NULL, "unexpected argument '%s'", argv[0]);
	if (o.owner && kn_owner_resolve(s->db, o.owner, &owner, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	kn_status st = kn_portal_sessions(s->db, owner, p, &err);
	return printed(s, p, st, &err);
}

static int logout(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long owner = 0, ended = 0;

	if ((argc == 1) == (o.all != 0))
		return usage_error("portal", NULL, "portal logout needs one OWNER, or --all");
	if (argc == 1 && kn_owner_resolve(s->db, argv[0], &owner, &err) != KN_OK)
		return fail(s, &err);
	if (kn_portal_logout(s->db, owner, &ended, &err) != KN_OK)
		return fail(s, &err);
	if (s->format == KN_FMT_JSON) {
		printf("{\"ended\":%lld}\n", ended);
		return 0;
	}
	say(s, "%lld session(s) ended%s", ended, kn_db_dry_run(s->db) ? " (dry run)" : "");
	return 0;
}

static int preview(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long owner = 0;

	if (argc != 1)
		return usage_error("portal", NULL, "portal preview needs one OWNER");
	if (kn_owner_resolve(s->db, argv[0], &owner, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	kn_status st = kn_portal_preview(s->db, owner, p, &err);
	return printed(s, p, st, &err);
}

const struct verb portal_verbs[] = {
	{ "sessions", sessions, sessions_opts, "[--owner OWNER]",
	  "Who is logged in to the portal: owner, created, last seen, client.", NULL, 1 },
	{ "logout", logout, logout_opts, "OWNER | --all",
	  "End an owner's portal sessions, or everyone's.", NULL, 1 },
	{ "preview", preview, NULL, "OWNER",
	  "What the owner sees on the portal's home page: message, notes, vaccinations, menu.",
	  NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_portal(int argc, char **argv)
{
	return dispatch("portal", portal_verbs, argc, argv);
}
