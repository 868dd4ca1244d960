/* What every command shares: global options, dispatch, reporting. */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"

static struct session the_session;

const struct kn_opt global_opts[] = {
	{ "db", 0, KN_OPT_STR, &the_session.db_path, "PATH", NULL },
	{ "json", 0, KN_OPT_BOOL, &the_session.json, NULL, NULL },
	{ "csv", 0, KN_OPT_BOOL, &the_session.csv, NULL, NULL },
	{ "quiet", 'q', KN_OPT_BOOL, &the_session.quiet, NULL, NULL },
	{ "verbose", 'v', KN_OPT_BOOL, &the_session.verbose, NULL, NULL },
	{ "dry-run", 'n', KN_OPT_BOOL, &the_session.dry_run, NULL, NULL },
	{ "help", 'h', KN_OPT_BOOL, &the_session.help, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

void report(const struct kn_err *err)
{
	fprintf(stderr, "kennel: %s\n", err->msg[0] ? err->msg : "failed");
}

void say(struct session *s, const char *fmt, ...)
{
	va_list ap;

	if (s->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct kn_printer *printer(struct session *s)
{
	/* -q: nothing but errors, so the record a change prints is not shown;
	 * --json and --csv were asked for by name and are printed still */
	if (s->quiet && s->format == KN_FMT_TEXT) {
		static FILE *null;
		if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
			null = stdout;
		return kn_printer_new(s->format, null);
	}
	return kn_printer_new(s->format, stdout);
}

int finish_printer(struct kn_printer *p)
{
	if (kn_printer_free(p) != KN_OK) {
		if (errno == EPIPE)
			return 0; /* the reader stopped reading: not our failure */
		fprintf(stderr, "kennel: writing output: %s\n", strerror(errno));
		return KN_FAIL;
	}
	return 0;
}

char *slurp(const char *path, struct kn_err *err)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0;

	if (in == NULL) {
		kn_err_set(err, KN_FAIL, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *d = realloc(data, cap);
			if (d == NULL)
				abort();
			data = d;
		}
		size_t n = fread(data + len, 1, cap - len - 1, in);
		len += n;
		if (n == 0)
			break;
	}
	data[len] = '\0';
	if (ferror(in)) {
		kn_err_set(err, KN_FAIL, "reading '%s': %s", path, strerror(errno));
		free(data);
		data = NULL;
	}
	if (in != stdin)
		fclose(in);
	return data;
}

static struct timespec batch_start;
static int bar_drawn;

void progress_bar(void *ud, long long rows, long long bytes, long long total)
{
	struct session *s = ud;
	struct timespec now;

	if (s->quiet || !isatty(2))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (batch_start.tv_sec == 0) {
		batch_start = now;
		return;
	}
	if (now.tv_sec - batch_start.tv_sec < 1)
		return; /* quick work needs no bar */
	if (total > 0) {
		int pct = (int)(bytes * 100 / total);
		int filled = pct * 30 / 100;
		fprintf(stderr, "\r[%.*s%*s] %3d%% %lld rows", filled,
		        "==============================", 30 - filled, "", pct, rows);
	} else {
		fprintf(stderr, "\r%lld rows", rows);
	}
	bar_drawn = 1;
}

void progress_done(struct session *s)
{
	(void)s;
	if (bar_drawn)
		fputs("\r\033[K", stderr);
	bar_drawn = 0;
}

void notice_line(void *ud, const char *line)
{
	struct session *s = ud;
	progress_done(s);
	if (!s->quiet || strstr(line, "rejected") || strstr(line, ": line "))
		fprintf(stderr, "kennel: %s\n", line);
}

int usage_error(const char *group, const struct verb *v, const char *fmt, ...)
{
	va_list ap;

	fputs("kennel: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (v)
		verb_usage(stderr, group, v);
	return KN_USAGE;
}

static const char *default_db_path(char *buf, size_t len)
{
	const char *env = getenv("KENNEL_DB");
	if (env && *env)
		return env;
	env = getenv("XDG_DATA_HOME");
	if (env && *env) {
		snprintf(buf, len, "%s/kennel/kennel.db", env);
		return buf;
	}
	env = getenv("HOME");
	snprintf(buf, len, "%s/.local/share/kennel/kennel.db", env ? env : ".");
	return buf;
}

static int run(const char *group, const struct verb *v, int argc, char **argv)
{
	struct session *s = &the_session;
	struct kn_err err = { 0 };
	char path[4096], command[128];
	int npos, rc;

	if (kn_opts_parse(v->opts, global_opts, argc, argv, &npos, &err) != KN_OK)
		return usage_error(group, v, "%s", err.msg);
	if (s->help) {
		verb_help(stdout, group, v);
		return 0;
	}
	if (s->json && s->csv)
		return usage_error(group, v, "choose one of --json and --csv");
	s->format = s->json ? KN_FMT_JSON : s->csv ? KN_FMT_CSV : KN_FMT_TEXT;
	snprintf(command, sizeof command, "%s%s%s", group, v->name ? " " : "",
	         v->name ? v->name : "");
	s->command = command;
	if (s->db_path == NULL)
		s->db_path = default_db_path(path, sizeof path);
	if (v->needs_db) {
		const char *actor = getenv("KENNEL_ACTOR");
		/* cron sets neither USER nor always LOGNAME: the process's user
		 * names the actor then, never "-" */
		if (actor == NULL || *actor == '\0')
			actor = getenv("USER");
		if (actor == NULL || *actor == '\0')
			actor = getenv("LOGNAME");
		if (actor == NULL || *actor == '\0') {
			struct passwd *pw = getpwuid(geteuid());
			actor = pw ? pw->pw_name : NULL;
		}
		struct kn_db_options o = { .path = s->db_path, .actor = actor, .command = command,
		                           .dry_run = s->dry_run };
		if (kn_db_open(&o, &s->db, NULL, &err) != KN_OK) {
			report(&err);
			return err.status;
		}
	}
	kn_opts_dates_resolve();
	rc = v->fn(s, npos, argv);
	kn_db_close(s->db);
	s->db = NULL;
	if (fflush(stdout) != 0 && errno != EPIPE && rc == 0) {
		fprintf(stderr, "kennel: writing output: %s\n", strerror(errno));
		rc = KN_FAIL;
	}
	return rc;
}

int dispatch(const char *group, const struct verb *verbs, int argc, char **argv)
{
	if (verbs[0].name == NULL)
		return run(group, &verbs[0], argc, argv);
	if (argc == 0) {
		fprintf(stderr, "kennel: %s needs a command\n", group);
		group_usage(stderr, group, verbs);
		return KN_USAGE;
	}
	if (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "help") == 0) {
		group_usage(stdout, group, verbs);
		return 0;
	}
	const char *names[64];
	size_t n = 0;
	for (const struct verb *v = verbs; v->name; v++) {
		if (strcmp(v->name, argv[0]) == 0) {
			if (v->sub) {
				char sub[128];
				snprintf(sub, sizeof sub, "%s %s", group, v->name);
				return dispatch(sub, v->sub, argc - 1, argv + 1);
			}
			return run(group, v, argc - 1, argv + 1);
		}
		if (n < 64)
			names[n++] = v->name;
	}
	const char *near = kn_nearest(argv[0], names, n);
	if (near)
		fprintf(stderr, "kennel: unknown %s command '%s' (did you mean '%s'?)\n", group,
		        argv[0], near);
	else
		fprintf(stderr, "kennel: unknown %s command '%s'\n", group, argv[0]);
	group_usage(stderr, group, verbs);
	return KN_USAGE;
}

int import_summary(struct session *s, kn_status st, struct kn_err *err,
                   const struct kn_import_summary *sum, int have_rejects)
{
	if (st != KN_OK && st != KN_PARTIAL) {
		report(err);
		return st;
	}
	say(s, "%s%lld rows: %lld created, %lld updated, %lld unchanged, %lld rejected%s",
	    s->dry_run ? "dry run: " : "", sum->rows, sum->created, sum->updated, sum->unchanged,
	    sum->rejected, have_rejects && sum->rejected && !s->dry_run ? " (see the rejects file)" : "");
	if (s->format == KN_FMT_JSON) {
		struct kn_printer *p = printer(s);
		kn_import_summary_print(p, sum);
		finish_printer(p);
	}
	return st;
}

int fail(struct session *s, struct kn_err *err)
{
	if (s->db)
		kn_tx_rollback(s->db);
	report(err);
	return err->status;
}

int printed(struct session *s, struct kn_printer *p, kn_status st, struct kn_err *err)
{
	int rc = finish_printer(p);
	return st != KN_OK ? fail(s, err) : rc;
}
