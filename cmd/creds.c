/* kennel creds: owner portal credentials. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static struct {
	const char *report, *reveal_to, *username;
	int password_stdin, token_stdin, all_generated, notify;
	long long ttl;
} o = { .ttl = 72 };

static const struct kn_opt bulk_opts[] = {
	{ "report", 0, KN_OPT_STR, &o.report, "FILE", NULL },
	{ "reveal-to", 0, KN_OPT_STR, &o.reveal_to, "FILE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt set_opts[] = {
	{ "username", 0, KN_OPT_STR, &o.username, "USERNAME", NULL },
	{ "password-stdin", 0, KN_OPT_BOOL, &o.password_stdin, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt stdin_opts[] = {
	{ "password-stdin", 0, KN_OPT_BOOL, &o.password_stdin, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt redeem_opts[] = {
	{ "password-stdin", 0, KN_OPT_BOOL, &o.password_stdin, NULL, NULL },
	{ "token-stdin", 0, KN_OPT_BOOL, &o.token_stdin, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt reset_opts[] = {
	{ "all-generated", 0, KN_OPT_BOOL, &o.all_generated, NULL, NULL },
	{ "ttl", 0, KN_OPT_INT, &o.ttl, "HOURS", NULL },
	{ "notify", 0, KN_OPT_BOOL, &o.notify, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

/* A password from stdin, never from argv: one line, its end trimmed. */
static int read_password(char *buf, size_t len)
{
	if (fgets(buf, (int)len, stdin) == NULL)
		return 0;
	size_t n = strlen(buf);
	if (n == len - 1 && buf[n - 1] != '\n')
		return 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 1;
}

static int bulk_generate(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_bulk_summary sum;
	(void)argv;

	if (argc > 0)
		return usage_error("creds", NULL, "unexpected argument '%s'", argv[0]);
	struct kn_bulk_options bo = {
		.report_path = o.report, .reveal_path = o.reveal_to, .progress = progress_bar, .ud = s,
	};
	kn_status st = kn_creds_bulk_generate(s->db, &bo, &sum, &err);
	progress_done(s);
	if (st != KN_OK)
		return fail(s, &err);
	say(s, "%sgenerated %lld, skipped %lld (no-email %lld, invalid-email %lld, "
	    "duplicate-email %lld, username-taken %lld)", s->dry_run ? "dry run: " : "",
	    sum.generated, sum.skipped, sum.by_reason[KN_SKIP_NO_EMAIL],
	    sum.by_reason[KN_SKIP_INVALID_EMAIL], sum.by_reason[KN_SKIP_DUPLICATE_EMAIL],
	    sum.by_reason[KN_SKIP_USERNAME_TAKEN]);
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_bulk_summary_print(p, &sum);
		return finish_printer(p);
	}
	return 0;
}

static int set(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	char password[1100];
	long long id;

	if (argc != 1 || (o.username == NULL && !o.password_stdin))
		return usage_error("creds", NULL,
		                   "usage: kennel creds set OWNER [--username U] [--password-stdin]");
	if (kn_owner_resolve(s->db, argv[0], &id, &err) != KN_OK)
		return fail(s, &err);
	if (o.password_stdin && !read_password(password, sizeof password))
		return usage_error("creds", NULL, "no password on stdin (or longer than 1024)");
	kn_status st = kn_tx_begin(s->db, &err);
	if (st == KN_OK)
		st = kn_creds_set(s->db, id, o.username, o.password_stdin ? password : NULL, &err);
	kn_secret_wipe(password, sizeof password);
	if (st == KN_OK)
		st = kn_tx_commit(s->db, &err);
	if (st != KN_OK)
		return fail(s, &err);
	say(s, "credentials of owner %lld set", id);
	return 0;
}

static int check(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	char password[1100];

	if (argc != 1 || !o.password_stdin)
		return usage_error("creds", NULL, "usage: kennel creds check USERNAME --password-stdin");
	if (!read_password(password, sizeof password))
		return usage_error("creds", NULL, "no password on stdin (or longer than 1024)");
	kn_status st = kn_creds_check(s->db, argv[0], password, &err);
	kn_secret_wipe(password, sizeof password);
	if (st != KN_OK)
		return fail(s, &err);
	say(s, "valid");
	return 0;
}

struct id_list {
	long long *ids;
	size_t n, cap;
};

static kn_status add_id(void *ud, long long id)
{
	struct id_list *l = ud;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		long long *ids = realloc(l->ids, l->cap * sizeof *ids);
		if (ids == NULL)
			abort();
		l->ids = ids;
	}
	l->ids[l->n++] = id;
	return KN_OK;
}

/* One owner's reset in a transaction of its own: a refusal leaves the
 * others' links standing.  *link is NULL with --notify. */
static kn_status reset_owner(struct session *s, long long id, char **link, struct kn_err *err)
{
	kn_status st = kn_tx_begin(s->db, err);
	*link = NULL;
	if (st == KN_OK)
		st = o.notify ? kn_creds_reset_notify(s->db, id, (long)o.ttl,
		                                      getenv("KENNEL_TEMPLATES"), err)
		              : kn_creds_reset(s->db, id, (long)o.ttl, link, err);
	if (st == KN_OK)
		st = kn_tx_commit(s->db, err);
	if (st != KN_OK) {
		kn_tx_rollback(s->db);
		free(*link);
		*link = NULL;
	}
	return st;
}

static int reset(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct id_list owners = { 0 };
	struct { char *ref, *why; } *refused = NULL;
	char **links = NULL;
	size_t nrefused = 0, made = 0;
	int rc = 0;

	if ((argc == 0) == !o.all_generated)
		return usage_error("creds", NULL,
		                   "usage: kennel creds reset (OWNER... | --all-generated) [--ttl HOURS] [--notify]");
	if (o.ttl < 1 || o.ttl > 24 * 90)
		return usage_error("creds", NULL, "--ttl must be 1 to 2160 hours");
	if (o.all_generated && kn_creds_generated_each(s->db, add_id, &owners, &err) != KN_OK)
		return fail(s, &err);
	/* a named owner is refused once, when not found or when its reset is;
	 * a generated one only when its reset is */
	refused = calloc((size_t)argc + owners.n + 1, sizeof *refused);
	if (refused == NULL)
		abort();
	for (int i = 0; i < argc; i++) {
		long long id;
		struct kn_err one = { 0 };
		if (kn_owner_resolve(s->db, argv[i], &id, &one) == KN_OK) {
			add_id(&owners, id);
			continue;
		}
		report(&one);
		refused[nrefused].ref = argv[i];
		refused[nrefused++].why = strdup(one.msg);
	}
	links = calloc(owners.n + 1, sizeof *links);
	if (links == NULL)
		abort();
	for (size_t i = 0; i < owners.n; i++) {
		struct kn_err one = { 0 };
		kn_status st = reset_owner(s, owners.ids[i], &links[i], &one);
		if (st == KN_TEMPFAIL) {
			rc = fail(s, &one);
			goto out;
		}
		if (st != KN_OK) {
			report(&one);
			owners.ids[i] = -owners.ids[i]; /* marks it refused below */
			refused[nrefused].ref = NULL;
			refused[nrefused++].why = strdup(one.msg);
			continue;
		}
		made++;
	}
	/* only now, every token committed, are the links shown: a refusal
	 * rolled back its own token and printed no link */
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_rec_begin(p);
		kn_arr_begin(p, o.notify ? "queued" : "links");
		for (size_t i = 0; i < owners.n; i++) {
			if (owners.ids[i] < 0)
				continue;
			if (o.notify) {
				kn_put_int(p, NULL, owners.ids[i], 1);
				continue;
			}
			kn_obj_begin(p, NULL);
			kn_put_int(p, "owner_id", owners.ids[i], 1);
			kn_put_str(p, "reset_url", s->dry_run ? NULL : links[i], 1);
			kn_nest_end(p);
		}
		kn_nest_end(p);
		kn_arr_begin(p, "refused");
		for (size_t i = 0; i < nrefused; i++) {
			kn_obj_begin(p, NULL);
			kn_put_str(p, "owner", refused[i].ref, 1);
			kn_put_str(p, "reason", refused[i].why, 1);
			kn_nest_end(p);
		}
		kn_nest_end(p);
		kn_rec_end(p);
		finish_printer(p);
	} else if (!o.notify && !s->dry_run) {
		for (size_t i = 0; i < owners.n; i++)
			if (owners.ids[i] > 0)
				printf("%lld %s\n", owners.ids[i], links[i]);
	}
	say(s, "%s%zu %s, %zu refused", s->dry_run ? "dry run: " : "", made,
	    o.notify ? "reset mail(s) queued" : "reset link(s) made", nrefused);
	if (o.notify && made > 0 && !s->dry_run) {
		struct kn_send_summary sum;
		rc = deliver(s, 0, &sum);
	}
	if (rc == 0 && nrefused > 0)
		rc = made > 0 ? KN_PARTIAL : KN_FAIL;
out:
	for (size_t i = 0; i < owners.n; i++)
		if (links[i]) {
			kn_secret_wipe(links[i], strlen(links[i]));
			free(links[i]);
		}
	for (size_t i = 0; i < nrefused; i++)
		free(refused[i].why);
	free(links);
	free(refused);
	free(owners.ids);
	return rc;
}

static int redeem(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	char password[1100], token[256];
	long long id;

	/* --token-stdin: the token is the first line of stdin, the password the
	 * second, so neither shows in ps */
	if (argc != (o.token_stdin ? 0 : 1) || !o.password_stdin)
		return usage_error("creds", NULL, "usage: kennel creds redeem (TOKEN | --token-stdin) "
		                   "--password-stdin");
	if (o.token_stdin && !read_password(token, sizeof token))
		return usage_error("creds", NULL, "no reset token on the first line of stdin");
	if (!read_password(password, sizeof password))
		return usage_error("creds", NULL, "no password on stdin (or longer than 1024)");
	kn_status st = kn_tx_begin(s->db, &err);
	if (st == KN_OK)
		st = kn_creds_redeem(s->db, o.token_stdin ? token : argv[0], password, &id, &err);
	kn_secret_wipe(password, sizeof password);
	kn_secret_wipe(token, sizeof token);
	if (st == KN_OK)
		st = kn_tx_commit(s->db, &err);
	if (st != KN_OK)
		return fail(s, &err);
	say(s, "password of owner %lld set", id);
	return 0;
}

static int revoke(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;

	if (argc != 1)
		return usage_error("creds", NULL, "usage: kennel creds revoke OWNER");
	if (kn_owner_resolve(s->db, argv[0], &id, &err) != KN_OK)
		return fail(s, &err);
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_creds_revoke(s->db, id, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	say(s, "credentials of owner %lld revoked", id);
	return 0;
}

const struct verb creds_verbs[] = {
	{ "bulk-generate", bulk_generate, bulk_opts, "[--report FILE] [--reveal-to FILE] [--dry-run]",
	  "Give every active owner with a unique valid email that email as username.", NULL, 1 },
	{ "set", set, set_opts, "OWNER [--username U] [--password-stdin]",
	  "Set an owner's username and/or password (read from stdin).", NULL, 1 },
	{ "check", check, stdin_opts, "USERNAME --password-stdin",
	  "Exit 0 if the pair is valid, 1 if not.", NULL, 1 },
	{ "reset", reset, reset_opts, "(OWNER... | --all-generated) [--ttl HOURS] [--notify]",
	  "Issue single-use reset links (default lifetime 72 hours).", NULL, 1 },
	{ "redeem", redeem, redeem_opts, "(TOKEN | --token-stdin) --password-stdin",
	  "Set a password with a reset token, as the portal does.", NULL, 1 },
	{ "revoke", revoke, NULL, "OWNER", "Remove an owner's username and password.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_creds(int argc, char **argv)
{
	return dispatch("creds", creds_verbs, argc, argv);
}
