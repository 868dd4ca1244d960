/* kennel waitlist: the requests kept for a freed spot, and the offers. */
#include <stdlib.h>

#include "builtin.h"

static struct {
	const char *service, *note;
	int queue_only;
} o;

static const struct kn_opt list_opts[] = {
	{ "service", 0, KN_OPT_STR, &o.service, "SERVICE", "boarding|daycare|grooming|training|service" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt rm_opts[] = {
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt offer_opts[] = {
	{ "queue-only", 0, KN_OPT_BOOL, &o.queue_only, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static void say_offered(void *ud, long long request, const char *email, const char *expires)
{
	say(ud, "request %lld: offered the freed spot (mail to %s), held until %s", request, email,
	    expires);
}

/* The offer pass after a command that freed a spot (its own transaction,
 * the freeing one committed): queued for the cron 'kennel mail send'.  A
 * failure here is told, and the freeing stands. */
int waitlist_freed(struct session *s)
{
	struct kn_err err = { 0 };
	struct kn_waitlist_summary sum;
	if (kn_waitlist_offer(s->db, getenv("KENNEL_TEMPLATES"), &sum, say_offered, s, &err) !=
	    KN_OK) {
		report(&err);
		return err.status;
	}
	return 0;
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	if (argc > 0)
		return usage_error("waitlist", NULL, "unexpected argument '%s'", argv[0]);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_waitlist_list(s->db, o.service, p, &err), &err);
}

static int rm(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	if (argc != 1)
		return usage_error("waitlist", NULL, "usage: kennel waitlist rm REQ [--note TEXT]");
	if (kn_id_parse(argv[0], "request id", &id, &err) != KN_OK)
		return fail(s, &err);
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_waitlist_rm(s->db, id, o.note, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	say(s, "request %lld taken off the waitlist", id);
	return 0;
}

static int offer(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_waitlist_summary sum;
	int rc = 0;
	if (argc > 0)
		return usage_error("waitlist", NULL, "unexpected argument '%s'", argv[0]);
	if (kn_waitlist_offer(s->db, getenv("KENNEL_TEMPLATES"), &sum, say_offered, s, &err) !=
	    KN_OK)
		return fail(s, &err);
	if (!o.queue_only && !s->dry_run && sum.offered > 0) {
		struct kn_send_summary ss;
		rc = deliver(s, 0, &ss);
	}
	if (sum.unreachable > 0)
		say(s, "%lld waitlisted request(s) fit but cannot be offered: the owner has no email, "
		    "or no portal URL is set (kennel company set --portal-url URL)", sum.unreachable);
	if (s->verbose || s->dry_run)
		say(s, "%soffered %lld, expired %lld, lapsed %lld", s->dry_run ? "dry run: " : "",
		    sum.offered, sum.expired, sum.lapsed);
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_rec_begin(p);
		kn_put_int(p, "offered", sum.offered, 1);
		kn_put_int(p, "expired", sum.expired, 1);
		kn_put_int(p, "lapsed", sum.lapsed, 1);
		kn_put_int(p, "unreachable", sum.unreachable, 1);
		kn_rec_end(p);
		finish_printer(p);
	}
	return rc;
}

const struct verb waitlist_verbs[] = {
	{ "list", list, list_opts, "[--service SERVICE]",
	  "Waitlisted requests, first asked first, each with its open offer's expiry.", NULL, 1 },
	{ "rm", rm, rm_opts, "REQ [--note TEXT]",
	  "Take a request off the waitlist (declined); its open offer ends.", NULL, 1 },
	{ "offer", offer, offer_opts, "[--queue-only] [--dry-run]",
	  "For cron and after a spot frees: offer each freed spot to the earliest waitlisted "
	  "request that fits, held waitlist.hold_hours; nothing twice.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_waitlist(int argc, char **argv)
{
	return dispatch("waitlist", waitlist_verbs, argc, argv);
}
