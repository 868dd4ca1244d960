/* kennel serve: the owner portal, in the foreground. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "builtin.h"

/* threads -1: not given (the parser takes no negative number), so the
 * server runs one per core; 0 given is refused */
static struct {
	const char *listen;
	long long threads;
	int trust_proxy;
} o = { .threads = -1 };

static const struct kn_opt serve_opts[] = {
	{ "listen", 0, KN_OPT_STR, &o.listen, "ADDR:PORT", NULL },
	{ "threads", 0, KN_OPT_INT, &o.threads, "N", NULL },
	{ "trust-proxy", 0, KN_OPT_BOOL, &o.trust_proxy, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static void access_line(void *ud, const char *line)
{
	(void)ud;
	fprintf(stderr, "%s\n", line);
}

static void ready(void *ud, const char *url)
{
	(void)ud;
	fprintf(stderr, "listening on %s\n", url);
}

static int serve(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_server *server;
	sigset_t stop;
	int sig;

	if (argc > 0)
		return usage_error("serve", NULL, "unexpected argument '%s'", argv[0]);
	if (s->dry_run)
		return usage_error("serve", NULL, "--dry-run: a server cannot be tried without "
		                   "serving");
	if (o.threads == 0 || o.threads > 256)
		return usage_error("serve", NULL, "--threads %lld: must be 1 to 256", o.threads);
	/* every thread the server starts inherits this mask, so SIGTERM and
	 * SIGINT come to sigwait below and nowhere else */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct kn_serve_options so = {
		.db_path = s->db_path, .listen = o.listen, .threads = o.threads < 0 ? 0 : (int)o.threads,
		.trust_proxy = o.trust_proxy,
		.smtp_user = getenv("KENNEL_SMTP_USER"), .smtp_password = getenv("KENNEL_SMTP_PASSWORD"),
		.mail_templates = getenv("KENNEL_TEMPLATES"),
		.portal_templates = getenv("KENNEL_PORTAL_TEMPLATES"),
		.log = access_line, .ready = ready,
	};
	if (kn_serve_start(&so, &server, &err) != KN_OK) {
		report(&err);
		return err.status;
	}
	sigwait(&stop, &sig);
	fprintf(stderr, "%s: finishing the requests in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	kn_serve_stop(server);
	return 0;
}

const struct verb serve_verbs[] = {
	{ NULL, serve, serve_opts, "[--listen ADDR:PORT] [--threads N] [--trust-proxy]",
	  "Serve the owner portal over HTTP (default 127.0.0.1:8080) until SIGTERM.", NULL, 0 },
};

int cmd_serve(int argc, char **argv)
{
	return dispatch("serve", serve_verbs, argc, argv);
}
