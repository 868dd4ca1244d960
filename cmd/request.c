/* kennel request: add, recur, list, show, approve, decline, cancel, auto. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

#define SERVICES "boarding|daycare|grooming|training|service"

static struct {
	const char *service, *pet, *start, *end, *note, *reason, *status, *owner, *from, *to,
		*rejects, *product, *days, *until, *time, *series;
	long long every;
	int force, decline_rest, notify, void_deposit, approve, waitlist, papers_needed;
	struct kn_strlist addons;
} o;

static const struct kn_opt add_opts[] = {
	{ "service", 0, KN_OPT_STR, &o.service, "SERVICE", SERVICES },
	{ "pet", 0, KN_OPT_STR, &o.pet, "PET[,PET...]", NULL },
	{ "start", 0, KN_OPT_WHEN, &o.start, "DATE[THH:MM]", NULL },
	{ "end", 0, KN_OPT_WHEN, &o.end, "DATE[THH:MM]", NULL },
	{ "addon", 0, KN_OPT_LIST, &o.addons, "PRODUCT", NULL },
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ "product", 0, KN_OPT_STR, &o.product, "PRODUCT", NULL },
	{ "force", 0, KN_OPT_BOOL, &o.force, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt recur_opts[] = {
	{ "service", 0, KN_OPT_STR, &o.service, "S", "daycare|grooming|training|service" },
	{ "pet", 0, KN_OPT_STR, &o.pet, "PET[,PET...]", NULL },
	{ "days", 0, KN_OPT_STR, &o.days, "mon,wed,fri", NULL },
	{ "from", 0, KN_OPT_DATE, &o.from, "DATE", NULL },
	{ "until", 0, KN_OPT_DATE, &o.until, "DATE", NULL },
	{ "every", 0, KN_OPT_INT, &o.every, "N", NULL },
	{ "time", 0, KN_OPT_STR, &o.time, "HH:MM", NULL },
	{ "product", 0, KN_OPT_STR, &o.product, "PRODUCT", NULL },
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ "approve", 0, KN_OPT_BOOL, &o.approve, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt modify_opts[] = {
	{ "start", 0, KN_OPT_WHEN, &o.start, "DATE[THH:MM]", NULL },
	{ "end", 0, KN_OPT_WHEN, &o.end, "DATE[THH:MM]", NULL },
	{ "pet", 0, KN_OPT_STR, &o.pet, "PET[,PET...]", NULL },
	{ "addon", 0, KN_OPT_LIST, &o.addons, "PRODUCT", NULL },
	{ "product", 0, KN_OPT_STR, &o.product, "PRODUCT", NULL },
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ "notify", 0, KN_OPT_BOOL, &o.notify, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt list_opts[] = {
	{ "status", 0, KN_OPT_STR, &o.status, "STATUS", "pending|approved|declined|cancelled|waitlisted" },
	{ "service", 0, KN_OPT_STR, &o.service, "SERVICE", SERVICES },
	{ "owner", 0, KN_OPT_STR, &o.owner, "OWNER", NULL },
	{ "from", 0, KN_OPT_DATE, &o.from, "DATE", NULL },
	{ "to", 0, KN_OPT_DATE, &o.to, "DATE", NULL },
	{ "series", 0, KN_OPT_STR, &o.series, "SERIES", NULL },
	{ "papers-needed", 0, KN_OPT_BOOL, &o.papers_needed, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt approve_opts[] = {
	{ "notify", 0, KN_OPT_BOOL, &o.notify, NULL, NULL },
	{ "series", 0, KN_OPT_STR, &o.series, "SERIES", NULL },
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ "force", 0, KN_OPT_BOOL, &o.force, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt decline_opts[] = {
	{ "notify", 0, KN_OPT_BOOL, &o.notify, NULL, NULL },
	{ "reason", 0, KN_OPT_STR, &o.reason, "TEXT", NULL },
	{ "waitlist", 0, KN_OPT_BOOL, &o.waitlist, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt cancel_opts[] = {
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ "void-deposit", 0, KN_OPT_BOOL, &o.void_deposit, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt import_opts[] = {
	{ "rejects", 0, KN_OPT_STR, &o.rejects, "FILE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt auto_opts[] = {
	{ "notify", 0, KN_OPT_BOOL, &o.notify, NULL, NULL },
	{ "service", 0, KN_OPT_STR, &o.service, "SERVICE", SERVICES },
	{ "from", 0, KN_OPT_DATE, &o.from, "DATE", NULL },
	{ "to", 0, KN_OPT_DATE, &o.to, "DATE", NULL },
	{ "decline-rest", 0, KN_OPT_BOOL, &o.decline_rest, NULL, NULL },
	{ "reason", 0, KN_OPT_STR, &o.reason, "TEXT", NULL },
	{ "waitlist", 0, KN_OPT_BOOL, &o.waitlist, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

extern const struct verb request_verbs[];

static int request_id(const char *text, long long *id)
{
	return kn_id_parse(text, "request id", id, NULL) == KN_OK;
}

static int show_request(struct session *s, long long id)
{
	struct kn_err err = { 0 };
	struct kn_request_filter f = { .id = id };
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_request_list(s->db, &f, p, &err), &err);
}

/* --pet a,b: each a pet of the owner (a bare name is one of hers) */
static int owner_pets(struct session *s, long long owner, const char *list,
                      long long pets[KN_MAX_PETS], int *npets)
{
	struct kn_err err = { 0 };
	char ref[300];
	*npets = 0;
	for (const char *tok = list; *tok;) {
		size_t n = strcspn(tok, ",");
		if (*npets == KN_MAX_PETS)
			return usage_error("request", NULL, "a request has at most %d pets", KN_MAX_PETS);
		char one[256];
		snprintf(one, sizeof one, "%.*s", (int)(n < 255 ? n : 255), tok);
		if (strchr(one, '/') || strncmp(one, "ext:", 4) == 0 ||
		    strspn(one, "0123456789") == strlen(one))
			snprintf(ref, sizeof ref, "%s", one);
		else
			snprintf(ref, sizeof ref, "%lld/%s", owner, one);
		if (kn_pet_resolve(s->db, ref, &pets[(*npets)++], &err) != KN_OK)
			return fail(s, &err);
		tok += n;
		if (*tok == ',')
			tok++;
	}
	return 0;
}

static int add_request(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_request_in in = { .service = o.service, .start = o.start, .end = o.end,
	                            .note = o.note, .addons = o.addons.items, .force = o.force,
	                            .product = o.product };
	long long id;
	int rc;

	if (argc != 1 || !o.service || !o.pet || !o.start)
		return usage_error("request", &request_verbs[0], "request add needs OWNER, --service, "
		                   "--pet and --start");
	if (kn_owner_resolve(s->db, argv[0], &in.owner_id, &err) != KN_OK)
		return fail(s, &err);
	if ((rc = owner_pets(s, in.owner_id, o.pet, in.pets, &in.npets)) != 0)
		return rc;
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_request_add(s->db, &in, &id, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return show_request(s, id);
}

static int add(struct session *s, int argc, char **argv)
{
	int rc = add_request(s, argc, argv);
	kn_strlist_free(&o.addons);
	return rc;
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_request_filter f = { .status = o.status, .service = o.service, .from = o.from,
	                               .to = o.to, .papers_needed = o.papers_needed };
	(void)argc, (void)argv;

	if (o.series && kn_id_parse(o.series, "series id", &f.series_id, &err) != KN_OK)
		return fail(s, &err);
	if (o.owner && kn_owner_resolve(s->db, o.owner, &f.owner_id, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_request_list(s->db, &f, p, &err), &err);
}

static int show(struct session *s, int argc, char **argv)
{
	long long id;
	if (argc != 1 || !request_id(argv[0], &id))
		return usage_error("request", NULL, "request show needs one REQ id");
	return show_request(s, id);
}

/* Each REQ decided on its own; exit 3 when some were refused. */
static int decide(struct session *s, const char *action, const char *text, int argc, char **argv)
{
	struct kn_printer *p = NULL;
	int refused = 0;

	for (int i = 0; i < argc; i++) {
		long long id;
		if (!request_id(argv[i], &id))
			return usage_error("request", NULL, "invalid request id '%s'", argv[i]);
	}
	if (s->format == KN_FMT_JSON) {
		p = printer(s);
		kn_rec_begin(p);
		kn_arr_begin(p, "done");
	}
	long long refused_ids[256];
	char refused_why[256][300];
	for (int i = 0; i < argc; i++) {
		struct kn_err err = { 0 };
		long long id = strtoll(argv[i], NULL, 10);
		kn_status st = kn_tx_begin(s->db, &err);
		int to_waitlist = o.waitlist && strcmp(action, "decline") == 0;
		if (st == KN_OK && to_waitlist)
			st = kn_waitlist_add(s->db, id, text, &err);
		else if (st == KN_OK)
			st = kn_request_decide(s->db, id, action, text, o.force, &err);
		if (st == KN_OK && o.notify)
			st = kn_request_notify(s->db, id, getenv("KENNEL_TEMPLATES"), &err);
		if (st == KN_OK && o.void_deposit)
			st = kn_deposit_void(s->db, id, &err);
		if (st == KN_OK)
			st = kn_tx_commit(s->db, &err);
		if (st != KN_OK) {
			kn_tx_rollback(s->db);
			if (st == KN_TEMPFAIL)
				return fail(s, &err);
			report(&err);
			if (refused < 256) {
				refused_ids[refused] = id;
				snprintf(refused_why[refused], sizeof refused_why[0], "%.299s", err.msg);
			}
			refused++;
		} else if (p) {
			kn_put_int(p, NULL, id, 1);
		} else {
			say(s, "request %lld %s", id, strcmp(action, "approve") == 0 ? "approved"
			                          : to_waitlist ? "waitlisted"
			                          : strcmp(action, "decline") == 0 ? "declined" : "cancelled");
		}
	}
	if (o.notify && refused < argc && !s->dry_run) {
		struct kn_send_summary sum;
		deliver(s, 0, &sum);
	}
	/* a cancel or a decline may free a spot for the waitlist */
	if (refused < argc && strcmp(action, "approve") != 0 && !o.waitlist)
		waitlist_freed(s);
	if (p) {
		kn_nest_end(p);
		kn_arr_begin(p, "refused");
		for (int i = 0; i < refused && i < 256; i++) {
			kn_obj_begin(p, NULL);
			kn_put_int(p, "id", refused_ids[i], 1);
			kn_put_str(p, "reason", refused_why[i], 1);
			kn_nest_end(p);
		}
		kn_nest_end(p);
		kn_rec_end(p);
		finish_printer(p);
	}
	if (refused == 0)
		return 0;
	return argc == 1 ? KN_FAIL : KN_PARTIAL;
}

static int modify_request(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_request_change c = { .start = o.start, .end = o.end, .note = o.note,
	                               .product = o.product, .addons = o.addons.items,
	                               .addons_given = o.addons.count > 0 };
	long long id, owner;
	int rc;
	if (argc != 1 || !request_id(argv[0], &id))
		return usage_error("request", NULL, "usage: kennel request modify REQ [--start "
		                   "DATE[THH:MM]] [--end DATE] [--pet PET,...] [--addon PRODUCT ...] "
		                   "[--product PRODUCT] [--note TEXT] [--notify]");
	if (kn_request_owner(s->db, id, &owner, &err) != KN_OK)
		return fail(s, &err);
	if (o.pet && (rc = owner_pets(s, owner, o.pet, c.pets, &c.npets)) != 0)
		return rc;
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_request_modify(s->db, id, &c, &err) != KN_OK ||
	    (o.notify && kn_change_notify(s->db, id, getenv("KENNEL_TEMPLATES"), &err) != KN_OK) ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	if (o.notify && !s->dry_run) {
		struct kn_send_summary sum;
		deliver(s, 0, &sum);
	}
	waitlist_freed(s); /* shorter, or moved: its old days may have room */
	return show_request(s, id);
}

static int modify(struct session *s, int argc, char **argv)
{
	int rc = modify_request(s, argc, argv);
	kn_strlist_free(&o.addons);
	return rc;
}

/* the occurrences the rules refused, each on a line of its own */
static void say_refused(void *ud, long long request, const char *why)
{
	say(ud, "request %lld not approved: %s", request, why);
}

static int recur(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_series_in in = { .service = o.service, .days = o.days, .from = o.from,
	                           .until = o.until, .every = o.every, .time = o.time,
	                           .product = o.product, .note = o.note, .approve = o.approve };
	struct kn_series_result res;
	long long id;
	int rc;

	if (argc != 1 || !o.service || !o.pet || !o.days || !o.from)
		return usage_error("request", NULL, "usage: kennel request recur OWNER --service S "
		                   "--pet PET[,PET...] --days mon,wed,fri --from DATE [--until DATE] "
		                   "[--every N] [--time HH:MM] [--product PRODUCT] [--note TEXT] "
		                   "[--approve]");
	if (kn_owner_resolve(s->db, argv[0], &in.owner_id, &err) != KN_OK)
		return fail(s, &err);
	if ((rc = owner_pets(s, in.owner_id, o.pet, in.pets, &in.npets)) != 0)
		return rc;
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_series_create(s->db, &in, &id, &res, say_refused, s, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	say(s, "series %lld: %lld occurrences made%s", id, res.made,
	    o.approve ? "" : ", pending (kennel request approve --series)");
	if (o.approve)
		say(s, "series %lld: %lld approved, %lld left pending", id, res.approved,
		    res.made - res.approved);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_series_list(s->db, 0, id, p, &err), &err);
}

static int approve_series(struct session *s)
{
	struct kn_err err = { 0 };
	struct kn_series_result res;
	long long id;
	if (kn_id_parse(o.series, "series id", &id, &err) != KN_OK)
		return fail(s, &err);
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_series_approve(s->db, id, &res, say_refused, s, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	say(s, "series %lld: %lld approved", id, res.approved);
	return 0;
}

static int approve(struct session *s, int argc, char **argv)
{
	if (o.series && argc == 0)
		return approve_series(s);
	if (argc < 1)
		return usage_error("request", NULL, "usage: kennel request approve (REQ... | --series "
		                   "SERIES) [--note TEXT] [--force]");
	return decide(s, "approve", o.note, argc, argv);
}

static int decline(struct session *s, int argc, char **argv)
{
	if (argc < 1)
		return usage_error("request", NULL, "usage: kennel request decline REQ... --reason TEXT "
		                   "[--waitlist] [--notify]");
	if (o.reason == NULL)
		return usage_error("request", NULL, "a reason is required: the owner is told it "
		                   "(--reason TEXT)");
	return decide(s, "decline", o.reason, argc, argv);
}

static int cancel(struct session *s, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("request", NULL, "usage: kennel request cancel REQ [--note TEXT] "
		                   "[--void-deposit]");
	return decide(s, "cancel", o.note, argc, argv);
}

static int auto_approve(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	(void)argv;

	if (argc > 0 || (o.decline_rest && o.reason == NULL) || (o.waitlist && !o.decline_rest))
		return usage_error("request", NULL, "usage: kennel request auto [--service S] [--from DATE] "
		                   "[--to DATE] [--decline-rest --reason TEXT [--waitlist]] [--dry-run]");
	struct kn_auto_options ao = { .service = o.service, .from = o.from, .to = o.to,
	                              .decline_rest = o.decline_rest, .reason = o.reason,
	                              .waitlist = o.waitlist, .notify = o.notify,
	                              .template_dir = getenv("KENNEL_TEMPLATES") };
	struct kn_printer *p = printer(s);
	kn_status st = kn_request_auto(s->db, &ao, p, &err);
	int rc = finish_printer(p);
	if (st != KN_OK)
		return fail(s, &err);
	if (o.notify && !s->dry_run) {
		struct kn_send_summary sum;
		int sent = deliver(s, 0, &sum);
		if (sent != 0)
			return sent;
	}
	return rc;
}

static int import(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_import_summary sum;

	if (argc != 1)
		return usage_error("request", NULL, "request import needs one FILE (or - for stdin)");
	struct kn_import_options io = {
		.path = argv[0], .rejects_path = o.rejects, .progress = progress_bar, .notice = notice_line, .ud = s,
	};
	kn_status st = kn_request_import(s->db, &io, &sum, &err);
	progress_done(s);
	return import_summary(s, st, &err, &sum, o.rejects != NULL);
}

const struct verb request_verbs[] = {
	{ "add", add, add_opts,
	  "OWNER --service SERVICE --pet PET[,PET...] --start DATE[THH:MM] [--end DATE[THH:MM]] "
	  "[--addon PRODUCT ...] [--note TEXT] [--product PRODUCT] [--force]",
	  "Record an owner's request; it waits as pending.", NULL, 1 },
	{ "recur", recur, recur_opts,
	  "OWNER --service S --pet PET[,PET...] --days mon,wed,fri --from DATE [--until DATE] "
	  "[--every N] [--time HH:MM] [--product PRODUCT] [--note TEXT] [--approve]",
	  "A standing booking: its weekly occurrences are requests, made recur.horizon_days ahead.",
	  NULL, 1 },
	{ "list", list, list_opts,
	  "[--status STATUS] [--series SERIES] [--papers-needed] [--service SERVICE] [--owner OWNER] "
	  "[--from DATE] [--to DATE]",
	  "List requests.", NULL, 1 },
	{ "show", show, NULL, "REQ", "One request.", NULL, 1 },
	{ "modify", modify, modify_opts,
	  "REQ [--start DATE[THH:MM]] [--end DATE] [--pet PET,...] [--addon PRODUCT ...] "
	  "[--product PRODUCT] [--note TEXT] [--notify]",
	  "Change a request; an approved one keeps its spot unless the change passes every rule.",
	  NULL, 1 },
	{ "approve", approve, approve_opts,
	  "(REQ... | --series SERIES) [--note TEXT] [--force] [--notify]",
	  "Approve, unless a rule refuses (the reason named); --force records the override.", NULL, 1 },
	{ "decline", decline, decline_opts, "REQ... --reason TEXT [--waitlist] [--notify]",
	  "Decline with a reason; --waitlist keeps it for a freed spot instead.", NULL, 1 },
	{ "cancel", cancel, cancel_opts, "REQ [--note TEXT] [--void-deposit]",
	  "Cancel a request; its deposit stays invoiced unless --void-deposit.", NULL, 1 },
	{ "auto", auto_approve, auto_opts,
	  "[--service SERVICE] [--from DATE] [--to DATE] [--decline-rest --reason TEXT [--waitlist]] "
	  "[--notify] [--dry-run]",
	  "Approve the largest number of pending requests that fit and pass every rule.", NULL, 1 },
	{ "import", import, import_opts, "FILE|- [--rejects FILE] [--dry-run]",
	  "Bookings and pending requests from another system; approved ones as decided.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_request(int argc, char **argv)
{
	return dispatch("request", request_verbs, argc, argv);
}
