/* kennel series: the standing bookings of regulars (kennel request recur makes them). */
#include "builtin.h"

static struct {
	const char *owner, *note, *from;
} o;

static const struct kn_opt list_opts[] = {
	{ "owner", 0, KN_OPT_STR, &o.owner, "OWNER", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt skip_opts[] = {
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt end_opts[] = {
	{ "from", 0, KN_OPT_DATE, &o.from, "DATE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int series_id(struct session *s, const char *text, long long *id)
{
	struct kn_err err = { 0 };
	if (kn_id_parse(text, "series id", id, &err) != KN_OK)
		return fail(s, &err);
	return 0;
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long owner = 0;
	(void)argc, (void)argv;
	if (o.owner && kn_owner_resolve(s->db, o.owner, &owner, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_series_list(s->db, owner, 0, p, &err), &err);
}

static int show(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc;
	if (argc != 1)
		return usage_error("series", NULL, "usage: kennel series show SERIES");
	if ((rc = series_id(s, argv[0], &id)) != 0)
		return rc;
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_series_list(s->db, 0, id, p, &err), &err);
}

static int skip(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int rc;
	if (argc != 2)
		return usage_error("series", NULL, "usage: kennel series skip SERIES DATE [--note TEXT]");
	if ((rc = series_id(s, argv[0], &id)) != 0)
		return rc;
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_series_skip(s->db, id, argv[1], o.note, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	say(s, "series %lld: %s skipped", id, argv[1]);
	waitlist_freed(s);
	return 0;
}

static int end(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id, cancelled = 0;
	int rc;
	if (argc != 1)
		return usage_error("series", NULL, "usage: kennel series end SERIES [--from DATE]");
	if ((rc = series_id(s, argv[0], &id)) != 0)
		return rc;
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_series_end(s->db, id, o.from, &cancelled, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	say(s, "series %lld ended: %lld occurrences cancelled", id, cancelled);
	waitlist_freed(s);
	return 0;
}

static void say_refused(void *ud, long long request, const char *why)
{
	say(ud, "request %lld not approved: %s", request, why);
}

static int extend(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_series_result res;
	(void)argv;
	if (argc > 0)
		return usage_error("series", NULL, "unexpected argument '%s'", argv[0]);
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_series_extend(s->db, &res, say_refused, s, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	if (s->verbose || s->dry_run)
		say(s, "%sseries extended: %lld series, %lld occurrences made, %lld approved",
		    s->dry_run ? "dry run: " : "", res.series, res.made, res.approved);
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_rec_begin(p);
		kn_put_int(p, "series", res.series, 1);
		kn_put_int(p, "made", res.made, 1);
		kn_put_int(p, "approved", res.approved, 1);
		kn_rec_end(p);
		return finish_printer(p);
	}
	return 0;
}

const struct verb series_verbs[] = {
	{ "list", list, list_opts, "[--owner OWNER]",
	  "Standing bookings: days, every, from, until, upcoming and pending occurrences.", NULL, 1 },
	{ "show", show, NULL, "SERIES", "One standing booking with each occurrence.", NULL, 1 },
	{ "skip", skip, skip_opts, "SERIES DATE [--note TEXT]",
	  "Cancel one occurrence (a holiday); the others stand.", NULL, 1 },
	{ "end", end, end_opts, "SERIES [--from DATE]",
	  "End a standing booking: its occurrences from DATE (default today) are cancelled.", NULL,
	  1 },
	{ "extend", extend, NULL, "",
	  "For cron: make every standing booking's occurrences through recur.horizon_days; "
	  "nothing twice.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_series(int argc, char **argv)
{
	return dispatch("series", series_verbs, argc, argv);
}
