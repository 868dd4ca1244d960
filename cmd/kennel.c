/* kennel: the command table and what happens before a group runs. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtin.h"

const struct group groups[] = {
	{ "init", cmd_init, init_verbs, "create or upgrade the database" },
	{ "db", cmd_db, db_verbs, "check, back up and version the database" },
	{ "company", cmd_company, company_verbs, "the business: name, contact, portal, instructions" },
	{ "prefs", cmd_prefs, prefs_verbs, "typed application preferences" },
	{ "owner", cmd_owner, owner_verbs, "add, list, show, edit, import and export owners" },
	{ "pet", cmd_pet, pet_verbs, "pets, temperament tests and pet import" },
	{ "vax", cmd_vax, vax_verbs, "vaccinations, their status and import" },
	{ "papers", cmd_papers, papers_verbs, "vet papers owners sent: list, show, save, done" },
	{ "product", cmd_product, product_verbs, "services, packages and retail items for sale" },
	{ "order", cmd_order, order_verbs, "owner purchases and invoices: carts, checkout, void" },
	{ "payment", cmd_payment, payment_verbs, "money received, mistakes voided, credit refunded" },
	{ "account", cmd_account, account_verbs, "an owner's charges, payments, credit and balance" },
	{ "statement", cmd_statement, statement_verbs, "monthly statements, shown or mailed" },
	{ "package", cmd_package, package_verbs, "prepaid packages, their history, and carry-over" },
	{ "request", cmd_request, request_verbs, "service requests: approve, decline, auto-approve" },
	{ "series", cmd_series, series_verbs, "standing bookings of regulars: list, skip, end, extend" },
	{ "waitlist", cmd_waitlist, waitlist_verbs, "requests kept for a freed spot: list, rm, offer" },
	{ "capacity", cmd_capacity, capacity_verbs, "units per service and day" },
	{ "block", cmd_block, block_verbs, "closed periods" },
	{ "desk", cmd_desk, desk_verbs, "the day at the front desk: board, sign in, sign out" },
	{ "area", cmd_area, area_verbs, "play areas and their capacity" },
	{ "report", cmd_report, report_verbs, "vaccination and advisory reports" },
	{ "doctor", cmd_doctor, doctor_verbs, "data health before a launch or after a migration" },
	{ "creds", cmd_creds, creds_verbs, "owner portal usernames, passwords and reset links" },
	{ "mail", cmd_mail, mail_verbs, "deliver, list and retry the outbox" },
	{ "blast", cmd_blast, blast_verbs, "email every owner of an audience from a template" },
	{ "remind", cmd_remind, remind_verbs, "reminders for cron: vaccinations due" },
	{ "log", cmd_log, log_verbs, "the audit log of every change" },
	{ "serve", cmd_serve, serve_verbs, "the owner portal over HTTP" },
	{ "portal", cmd_portal, portal_verbs, "portal sessions, sign-outs and the owner's view" },
	{ NULL, NULL, NULL, NULL },
};

static void general_usage(FILE *out)
{
	fputs("usage: kennel [--db PATH] [--json|--csv] [-q] [-v] [-n] GROUP [COMMAND] [ARGS]\n\n"
	      "The back office of a pet-care business, as small commands.\n\n", out);
	for (const struct group *g = groups; g->name; g++)
		fprintf(out, "  %-10s %s\n", g->name, g->summary);
	fputs("  help       a group's commands (kennel help owner), a command's options\n"
	      "             (kennel help owner import)\n"
	      "  version    print the version\n\n"
	      "The database is --db, else $KENNEL_DB, else "
	      "$XDG_DATA_HOME/kennel/kennel.db.\n", out);
}

static int print_version(int json)
{
	if (json)
		printf("{\"version\": \"%s\"}\n", KN_VERSION);
	else
		printf("kennel %s\n", KN_VERSION);
	return 0;
}

static const struct group *find_group(const char *name)
{
	for (const struct group *g = groups; g->name; g++)
		if (strcmp(g->name, name) == 0)
			return g;
	return NULL;
}

static int help(int argc, char **argv)
{
	if (argc < 1) {
		general_usage(stdout);
		return 0;
	}
	const struct group *g = find_group(argv[0]);
	if (g == NULL) {
		fprintf(stderr, "kennel: no help for '%s': not a kennel command\n", argv[0]);
		return KN_USAGE;
	}
	if (argc > 1) {
		/* kennel help owner note add: that verb's own --help */
		char flag[] = "--help";
		char *args[16];
		int n = 0;
		for (int i = 1; i < argc && n < 14; i++)
			args[n++] = argv[i];
		args[n++] = flag;
		args[n] = NULL;
		return g->fn(n, args);
	}
	/* the manual when a person is reading, the built-in usage otherwise */
	if (isatty(1) && getenv("KENNEL_NO_MAN") == NULL) {
		char page[64];
		snprintf(page, sizeof page, "kennel-%s", g->name);
		char man[] = "man";
		char *const args[] = { man, page, NULL };
		fflush(stdout);
		if (fork() == 0) {
			execvp("man", args);
			_exit(127);
		}
		int status = 0;
		wait(&status);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			return 0;
	}
	char flag[] = "--help";
	char *args[] = { flag, NULL };
	return g->fn(1, args);
}

/* --complete WORD...: the candidates for the last word, from the tables */
static void complete_from(const struct kn_opt *opts, const char *word)
{
	const char *stem = strncmp(word, "--", 2) == 0 ? word + 2 : "";
	for (const struct kn_opt *o = opts; o && o->name; o++)
		if (strncmp(o->name, stem, strlen(stem)) == 0)
			printf("--%s\n", o->name);
}

static void complete_choices(const struct kn_opt *opts, const char *prev, const char *word)
{
	for (const struct kn_opt *o = opts; o && o->name; o++) {
		if (strncmp(prev, "--", 2) != 0 || strcmp(o->name, prev + 2) != 0 || !o->choices)
			continue;
		for (const char *c = o->choices; *c;) {
			const char *bar = strchr(c, '|');
			int n = bar ? (int)(bar - c) : (int)strlen(c);
			if (strncmp(c, word, strlen(word)) == 0)
				printf("%.*s\n", n, c);
			if (!bar)
				break;
			c = bar + 1;
		}
	}
}

static int complete(int argc, char **argv)
{
	const char *word = argc > 0 ? argv[argc - 1] : "";
	const struct verb *verbs = NULL, *v = NULL;
	int i = 0;

	/* skip leading global options */
	while (i < argc - 1 && argv[i][0] == '-')
		i += strcmp(argv[i], "--db") == 0 ? 2 : 1;
	if (i >= argc - 1) {
		if (word[0] == '-') {
			complete_from(global_opts, word);
			return 0;
		}
		for (const struct group *g = groups; g->name; g++)
			if (strncmp(g->name, word, strlen(word)) == 0)
				printf("%s\n", g->name);
		if (strncmp("help", word, strlen(word)) == 0)
			printf("help\n");
		if (strncmp("version", word, strlen(word)) == 0)
			printf("version\n");
		return 0;
	}
	const struct group *g = find_group(argv[i++]);
	if (g == NULL)
		return 0;
	verbs = g->verbs;
	while (verbs && verbs[0].name) {
		if (i >= argc - 1) {
			for (const struct verb *x = verbs; x->name; x++)
				if (strncmp(x->name, word, strlen(word)) == 0)
					printf("%s\n", x->name);
			return 0;
		}
		const struct verb *found = NULL;
		for (const struct verb *x = verbs; x->name; x++)
			if (strcmp(x->name, argv[i]) == 0)
				found = x;
		if (found == NULL)
			return 0;
		i++;
		v = found;
		verbs = found->sub;
	}
	if (v == NULL && verbs)
		v = &verbs[0];
	if (v == NULL)
		return 0;
	if (argc >= 2)
		complete_choices(v->opts, argv[argc - 2], word);
	if (word[0] == '-') {
		complete_from(v->opts, word);
		complete_from(global_opts, word);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct kn_err err = { 0 };
	int i = 1;

	/* SQLite frees a temporary page cache after many statements of a batch;
	 * at glibc's default 128 KiB threshold every such free shrank the heap
	 * and the next grew it back, which cost package carryover 90% of its
	 * time in the kernel. Memory freed now stays for reuse; peak use is
	 * unchanged. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 16 << 20);

	if (kn_clock_set(getenv("KENNEL_TODAY"), getenv("KENNEL_NOW"), &err) != KN_OK) {
		report(&err);
		return KN_USAGE;
	}
	if (argc > 1 && strcmp(argv[1], "--complete") == 0)
		return complete(argc - 2, argv + 2);
	if (argc > 2 && strcmp(argv[1], "--completion-script") == 0)
		return completion_script(argv[2]);
	if (argc > 1 && strcmp(argv[1], "--check-usage") == 0)
		return check_usage();
	/* global options before the group; the group's own parse takes them
	 * too, so they are left in place and handed on */
	int json = 0;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--version") == 0)
			return print_version(json);
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			general_usage(stdout);
			return 0;
		}
		i += strcmp(argv[i], "--db") == 0 ? 2 : 1;
	}
	/* the options before the group must be global ones: --bogus is an error */
	{
		char **lead = malloc((size_t)(i > 1 ? i - 1 : 1) * sizeof *lead);
		int npos;
		if (lead == NULL)
			return KN_FAIL;
		for (int j = 1; j < i; j++)
			lead[j - 1] = argv[j];
		kn_status st = kn_opts_parse(NULL, global_opts, i - 1, lead, &npos, &err);
		free(lead);
		if (st != KN_OK) {
			fprintf(stderr, "kennel: %s\n", err.msg);
			return KN_USAGE;
		}
	}
	if (i >= argc) {
		general_usage(stdout);
		return 0;
	}
	const char *name = argv[i];
	if (strcmp(name, "help") == 0)
		return help(argc - i - 1, argv + i + 1);
	if (strcmp(name, "version") == 0) {
		for (int j = i + 1; j < argc; j++)
			json |= strcmp(argv[j], "--json") == 0;
		return print_version(json);
	}
	const struct group *g = find_group(name);
	if (g == NULL) {
		const char *names[32];
		size_t n = 0;
		for (const struct group *x = groups; x->name && n < 32; x++)
			names[n++] = x->name;
		const char *near = kn_nearest(name, names, n);
		if (near)
			fprintf(stderr, "kennel: '%s' is not a kennel command (did you mean '%s'?)\n",
			        name, near);
		else
			fprintf(stderr, "kennel: '%s' is not a kennel command (see 'kennel help')\n",
			        name);
		return KN_USAGE;
	}
	/* hand the group its arguments with the leading globals moved after
	 * the group name, where every verb's parser finds them */
	int n = argc - 1;
	char **args = malloc((size_t)(n + 1) * sizeof *args);
	if (args == NULL)
		return KN_FAIL;
	int k = 0;
	for (int j = i + 1; j < argc; j++)
		args[k++] = argv[j];
	for (int j = 1; j < i; j++)
		args[k++] = argv[j];
	args[k] = NULL;
	int rc = g->fn(k, args);
	free(args);
	return rc;
}
