/* kennel desk: the day's board, sign in, sign out, undo, move, card, list. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static struct {
	const char *date, *service, *area, *at, *note, *product, *card, *card_file, *pay, *amount;
	const char *owner, *pet, *from, *to, *state, *file;
	long long request;
	int force, no_package, send;
} o;

static const struct kn_opt board_opts[] = {
	{ "date", 0, KN_OPT_DATE, &o.date, "DATE", NULL },
	{ "service", 0, KN_OPT_STR, &o.service, "S", "boarding|daycare|grooming|training|service" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt in_opts[] = {
	{ "service", 0, KN_OPT_STR, &o.service, "S", "boarding|daycare|grooming|training|service" },
	{ "request", 0, KN_OPT_LIMIT, &o.request, "REQ", NULL },
	{ "area", 0, KN_OPT_STR, &o.area, "AREA", NULL },
	{ "at", 0, KN_OPT_STR, &o.at, "TIME", NULL },
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ "force", 0, KN_OPT_BOOL, &o.force, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt out_opts[] = {
	{ "at", 0, KN_OPT_STR, &o.at, "TIME", NULL },
	{ "product", 0, KN_OPT_STR, &o.product, "PRODUCT", NULL },
	{ "no-package", 0, KN_OPT_BOOL, &o.no_package, NULL, NULL },
	{ "card", 0, KN_OPT_STR, &o.card, "TEXT", NULL },
	{ "card-file", 0, KN_OPT_STR, &o.card_file, "FILE", NULL },
	{ "pay", 0, KN_OPT_STR, &o.pay, "TYPE", "cash|check|card|no-payment|other" },
	{ "amount", 0, KN_OPT_STR, &o.amount, "MONEY", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt undo_opts[] = {
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt move_opts[] = {
	{ "area", 0, KN_OPT_STR, &o.area, "AREA", NULL },
	{ "force", 0, KN_OPT_BOOL, &o.force, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt card_opts[] = {
	{ "file", 0, KN_OPT_STR, &o.file, "FILE", NULL },
	{ "send", 0, KN_OPT_BOOL, &o.send, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt list_opts[] = {
	{ "owner", 0, KN_OPT_STR, &o.owner, "OWNER", NULL },
	{ "pet", 0, KN_OPT_STR, &o.pet, "PET", NULL },
	{ "from", 0, KN_OPT_DATE, &o.from, "DATE", NULL },
	{ "to", 0, KN_OPT_DATE, &o.to, "DATE", NULL },
	{ "state", 0, KN_OPT_STR, &o.state, "STATE", "in|out" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int board(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argv;
	if (argc > 0)
		return usage_error("desk", NULL, "usage: kennel desk [board] [--date DATE] [--service S]");
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_desk_board(s->db, o.date, o.service, p, &err), &err);
}

/* Commits what a verb did, then prints its visits: nothing is shown that
 * did not happen. */
static int visits_done(struct session *s, const long long *ids, int n, struct kn_err *err)
{
	if (kn_tx_commit(s->db, err) != KN_OK)
		return fail(s, err);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_visits_print(s->db, ids, n, p, err), err);
}

static int visit_done(struct session *s, long long id, struct kn_err *err)
{
	return visits_done(s, &id, 1, err);
}

/* Queues the report cards of the visits; one already mailed is said. */
static kn_status cards_send(struct session *s, const long long *ids, int n, struct kn_err *err)
{
	for (int i = 0; i < n; i++) {
		int queued = 0;
		kn_status st = kn_card_notify(s->db, ids[i], getenv("KENNEL_TEMPLATES"), &queued, err);
		if (st != KN_OK)
			return st;
		if (!queued)
			say(s, "kennel: the report card of visit %lld was not mailed: it was mailed "
			    "already, or the owner has no email", ids[i]);
	}
	return KN_OK;
}

static int sign_in(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long *ids = NULL;
	int n = 0;
	struct kn_desk_in in = { .pets = (const char *const *)argv, .npets = argc,
	                         .service = o.service, .request_id = o.request, .area = o.area,
	                         .at = o.at, .note = o.note, .force = o.force };
	if (argc == 0 && o.request == 0)
		return usage_error("desk", NULL, "usage: kennel desk in PET... [--service S] "
		                   "[--request REQ] [--area AREA] [--at TIME] [--note TEXT] [--force]");
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_desk_in(s->db, &in, &ids, &n, &err) != KN_OK) {
		free(ids);
		return fail(s, &err);
	}
	int rc = visits_done(s, ids, n, &err);
	free(ids);
	return rc;
}

static int sign_out(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long *ids = NULL;
	int n = 0;
	char *card = NULL;
	if (argc == 0)
		return usage_error("desk", NULL, "usage: kennel desk out PET... [--at TIME] [--product "
		                   "PRODUCT] [--no-package] [--card TEXT | --card-file FILE] "
		                   "[--pay TYPE [--amount MONEY]]");
	if (o.card && o.card_file)
		return usage_error("desk", NULL, "--card and --card-file: give one report card");
	if (o.card_file && (card = slurp(o.card_file, &err)) == NULL)
		return fail(s, &err);
	struct kn_desk_out out = { .pets = (const char *const *)argv, .npets = argc, .at = o.at,
	                           .product = o.product, .card = card ? card : o.card,
	                           .pay = o.pay, .amount = o.amount, .no_package = o.no_package };
	kn_status st = kn_tx_begin(s->db, &err);
	if (st == KN_OK)
		st = kn_desk_out(s->db, &out, &ids, &n, &err);
	if (st == KN_OK && out.card)
		st = cards_send(s, ids, n, &err);
	free(card);
	if (st != KN_OK) {
		free(ids);
		return fail(s, &err);
	}
	int rc = visits_done(s, ids, n, &err);
	free(ids);
	return rc;
}

static int visit_arg(int argc, char **argv, long long *id)
{
	return argc >= 1 && kn_id_parse(argv[0], "visit id", id, NULL) == KN_OK;
}

static int undo(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	if (argc != 1 || !visit_arg(argc, argv, &id))
		return usage_error("desk", NULL, "usage: kennel desk undo VISIT [--note TEXT]");
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_desk_undo(s->db, id, o.note, &err) != KN_OK)
		return fail(s, &err);
	return visit_done(s, id, &err);
}

static int move(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long visit = 0;
	if (argc != 1 || o.area == NULL)
		return usage_error("desk", NULL, "usage: kennel desk move PET --area AREA [--force]");
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_desk_move(s->db, argv[0], o.area, o.force, &visit, &err) != KN_OK)
		return fail(s, &err);
	return visit_done(s, visit, &err);
}

static int card(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	char *text = NULL;
	if (!visit_arg(argc, argv, &id) || (argc == 2) == (o.file != NULL) || argc > 2)
		return usage_error("desk", NULL, "usage: kennel desk card VISIT (TEXT | --file FILE|-) "
		                   "[--send]");
	if (o.file && (text = slurp(o.file, &err)) == NULL)
		return fail(s, &err);
	kn_status st = kn_tx_begin(s->db, &err);
	if (st == KN_OK)
		st = kn_desk_card(s->db, id, text ? text : argv[1], &err);
	if (st == KN_OK && o.send)
		st = cards_send(s, &id, 1, &err);
	free(text);
	if (st != KN_OK)
		return fail(s, &err);
	return visit_done(s, id, &err);
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_visit_filter f = { .from = o.from, .to = o.to, .state = o.state };
	(void)argc, (void)argv;
	if (o.owner && kn_owner_resolve(s->db, o.owner, &f.owner_id, &err) != KN_OK)
		return fail(s, &err);
	if (o.pet && kn_pet_resolve(s->db, o.pet, &f.pet_id, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_desk_list(s->db, &f, p, &err), &err);
}

const struct verb desk_verbs[] = {
	{ "board", board, board_opts, "[--date DATE] [--service S]",
	  "The day's board: expected, in and out, per service (the default).", NULL, 1 },
	{ "in", sign_in, in_opts,
	  "PET... [--service S] [--request REQ] [--area AREA] [--at TIME] [--note TEXT] [--force]",
	  "Sign pets in to their booking of the day, or as walk-ins.", NULL, 1 },
	{ "out", sign_out, out_opts,
	  "PET... [--at TIME] [--product PRODUCT] [--no-package] [--card TEXT | --card-file FILE] "
	  "[--pay TYPE [--amount MONEY]]",
	  "Sign pets out: package days used, the rest charged to the owner's cart.", NULL, 1 },
	{ "undo", undo, undo_opts, "VISIT [--note TEXT]",
	  "Sign a pet back in after a sign-out made by mistake.", NULL, 1 },
	{ "move", move, move_opts, "PET --area AREA [--force]",
	  "Move a signed-in pet to another play area.", NULL, 1 },
	{ "card", card, card_opts, "VISIT (TEXT | --file FILE|-) [--send]",
	  "Write the visit's report card; --send mails it to the owner, once.", NULL, 1 },
	{ "list", list, list_opts,
	  "[--owner OWNER] [--pet PET] [--from DATE] [--to DATE] [--state in|out]",
	  "Visit history.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_desk(int argc, char **argv)
{
	/* 'kennel desk' alone, or with options only, is the board */
	if (argc == 0 || (argv[0][0] == '-' && strcmp(argv[0], "-h") != 0 &&
	                  strcmp(argv[0], "--help") != 0)) {
		const char **with = calloc((size_t)argc + 1, sizeof *with);
		if (with == NULL)
			abort();
		with[0] = "board";
		for (int i = 0; i < argc; i++)
			with[i + 1] = argv[i];
		int rc = dispatch("desk", desk_verbs, argc + 1, (char **)with);
		free(with);
		return rc;
	}
	return dispatch("desk", desk_verbs, argc, argv);
}
