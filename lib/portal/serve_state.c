/*
 * The server's shared state: a pool of SQLite handles (page views), the
 * argon2id hash slots (--threads), the background mailer, and what is
 * read once at start: the address, the templates, the settings.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "portal/kn_serve.h"

/* ---- the pool -------------------------------------------------------- */

struct kn_db *kn_req_db(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_srv *s = r->srv;
	if (r->db)
		return r->db;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&s->mu);
	while (s->nfree == 0)
		if (pthread_cond_timedwait(&s->pool_cv, &s->mu, &until) == ETIMEDOUT)
			break;
	if (s->nfree > 0)
		r->db = s->pool[--s->nfree];
	pthread_mutex_unlock(&s->mu);
	if (r->db == NULL) {
		kn_err_set(err, KN_TEMPFAIL, "every database handle is busy");
		return NULL;
	}
	/* a page view is one read transaction: one snapshot for every query
	 * of the page, and one file lock instead of one per query */
	if (r->reading && kn_exec(r->db, "BEGIN", err) != KN_OK) {
		kn_req_db_release(r);
		return NULL;
	}
	return r->db;
}

void kn_req_db_release(struct kn_page_req *r)
{
	struct kn_srv *s = r->srv;
	if (r->db == NULL)
		return;
	kn_tx_rollback(r->db); /* a handler that failed mid-way leaves nothing */
	kn_read_end(r->db);
	kn_db_act(r->db, "portal", "portal");
	pthread_mutex_lock(&s->mu);
	s->pool[s->nfree++] = r->db;
	pthread_cond_signal(&s->pool_cv);
	pthread_mutex_unlock(&s->mu);
	r->db = NULL;
}

const char *kn_srv_dummy_hash(const struct kn_srv *s) { return s->dummy_hash; }
const unsigned char *kn_srv_key(const struct kn_srv *s) { return s->key; }

void kn_srv_throttle_key(const struct kn_srv *s, const char *username,
                         char out[KN_THROTTLE_KEY_CHARS])
{
	crypto_generichash_state h;
	unsigned char d[16];
	crypto_generichash_init(&h, s->throttle_key, sizeof s->throttle_key, sizeof d);
	for (const char *p = username; *p; p++) {
		unsigned char c = (unsigned char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		crypto_generichash_update(&h, &c, 1);
	}
	crypto_generichash_final(&h, d, sizeof d);
	sodium_bin2hex(out, KN_THROTTLE_KEY_CHARS, d, sizeof d);
}
const char *kn_srv_mail_templates(const struct kn_srv *s) { return s->o.mail_templates; }
struct kn_cache *kn_srv_cache(const struct kn_srv *s) { return s->cache; }

const char *kn_srv_template(const struct kn_srv *s, const char *name)
{
	for (size_t i = 0; i < s->ntemplates; i++)
		if (strcmp(s->tnames[i], name) == 0)
			return s->ttexts[i];
	return NULL;
}

/* ---- the access log (PORTAL 1) ---------------------------------------- */

/* A waitlist offer's link carries its token in the path: /offers/TOKEN,
 * and the login's next= on the way to it. */
static int offer_path(const char *p, size_t len)
{
	return len >= 8 && strncmp(p, "/offers/", 8) == 0;
}

/* The URI as logged: every token= and key= value redacted, and an
 * offer's token. */
static void redacted_uri(const char *uri, struct kn_buf *out)
{
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : strlen(uri);
	if (offer_path(uri, plen))
		kn_buf_add(out, "/offers/REDACTED", 16);
	else
		kn_buf_add(out, uri, plen);
	if (q == NULL)
		return;
	const char *p = q;
	while (*p) {
		kn_buf_add(out, p, 1); /* ? or & */
		p++;
		size_t len = strcspn(p, "&");
		const char *eq = memchr(p, '=', len);
		/* by the name as decoded: ?tok%65n= is token= to the router */
		if (eq && (kn_form_name_is(p, (size_t)(eq - p), "token") ||
		           kn_form_name_is(p, (size_t)(eq - p), "key") ||
		           (kn_form_name_is(p, (size_t)(eq - p), "next") &&
		            (offer_path(eq + 1, len - (size_t)(eq - p) - 1) ||
		             (len - (size_t)(eq - p) - 1 >= 12 &&
		              strncasecmp(eq + 1, "%2Foffers%2F", 12) == 0))))) {
			kn_buf_add(out, p, (size_t)(eq - p) + 1);
			kn_buf_add(out, "REDACTED", 8);
		} else {
			kn_buf_add(out, p, len);
		}
		p += len;
	}
}

void kn_srv_access_log(struct kn_srv *s, const char *client, const char *method,
                       const char *uri, unsigned status, size_t bytes, long ms, int aborted)
{
	char now[20];
	struct kn_buf u = { 0 };
	redacted_uri(uri, &u);
	kn_now_text(now);
	/* the path is the client's: control characters would forge lines */
	for (size_t i = 0; i < u.len; i++)
		if ((unsigned char)u.data[i] < 0x20 || u.data[i] == 0x7f || u.data[i] == ' ')
			u.data[i] = '?';
	kn_srv_log(s, "%s %s %s %s %u %zu %ldms%s", now, client, method[0] ? method : "-",
	           u.data ? u.data : "-", status, bytes, ms, aborted ? " (aborted)" : "");
	kn_buf_free(&u);
}

/* ---- the mailer: what the portal queues leaves at once ---------------- */

void kn_srv_mail_wake(struct kn_srv *s)
{
	pthread_mutex_lock(&s->mu);
	s->mail_wake = 1;
	pthread_cond_signal(&s->mail_cv);
	pthread_mutex_unlock(&s->mu);
}

void kn_srv_log(struct kn_srv *s, const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (s->o.log)
		s->o.log(s->o.ud, line);
}

/* the mailer's question before each message: is the server stopping? */
static int mail_should_stop(void *ud)
{
	struct kn_srv *s = ud;
	pthread_mutex_lock(&s->mu);
	int stop = s->mail_stop;
	pthread_mutex_unlock(&s->mu);
	return stop;
}

void *kn_srv_mailer(void *arg)
{
	struct kn_srv *s = arg;
	pthread_mutex_lock(&s->mu);
	while (!s->mail_stop) {
		if (!s->mail_wake) {
			pthread_cond_wait(&s->mail_cv, &s->mu);
			continue;
		}
		s->mail_wake = 0;
		pthread_mutex_unlock(&s->mu);
		struct kn_send_options so = { .smtp_user = s->o.smtp_user,
		                              .smtp_password = s->o.smtp_password,
		                              .should_stop = mail_should_stop, .stop_ud = s };
		struct kn_send_summary sum = { 0 };
		struct kn_err err = { 0 };
		/* what cannot go now stays queued for the cron 'kennel mail send' */
		if (kn_mail_send(s->mail_db, &so, &sum, &err) != KN_OK)
			kn_srv_log(s, "mail: %s", err.msg);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

kn_status kn_srv_listen(const char *listen_spec, int *fd_out, char url[128],
                           struct kn_err *err)
{
	char host[256], port[16];
	const char *colon = strrchr(listen_spec, ':');
	if (colon == NULL || colon == listen_spec || colon[1] == '\0' || strlen(colon + 1) >= sizeof port)
		return kn_err_set(err, KN_USAGE, "--listen '%s': expected ADDR:PORT", listen_spec);
	size_t hl = (size_t)(colon - listen_spec);
	if (listen_spec[0] == '[' && hl >= 2 && listen_spec[hl - 1] == ']')
		snprintf(host, sizeof host, "%.*s", (int)(hl - 2), listen_spec + 1);
	else
		snprintf(host, sizeof host, "%.*s", (int)hl, listen_spec);
	snprintf(port, sizeof port, "%s", colon + 1);
	for (const char *p = port; *p; p++)
		if (*p < '0' || *p > '9')
			return kn_err_set(err, KN_USAGE, "--listen '%s': the port is not a number",
			                  listen_spec);
	/* getaddrinfo would take 99999 modulo 65536: another port */
	if (strtol(port, NULL, 10) > 65535)
		return kn_err_set(err, KN_USAGE, "--listen '%s': the port must be 0 to 65535",
		                  listen_spec);
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                          .ai_flags = AI_PASSIVE | AI_NUMERICSERV }, *ai;
	int rc = getaddrinfo(host, port, &hints, &ai);
	if (rc != 0)
		return kn_err_set(err, KN_USAGE, "--listen '%s': %s", listen_spec, gai_strerror(rc));
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 511) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return kn_err_set(err, KN_FAIL, "cannot listen on %s: %s", listen_spec, strerror(e));
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char ip[64] = "";
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	unsigned short p = 0;
	if (ss.ss_family == AF_INET) {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, ip, sizeof ip);
		p = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		snprintf(url, 128, "http://%s:%u", ip, p);
	} else {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, ip, sizeof ip);
		p = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		snprintf(url, 128, "http://[%s]:%u", ip, p);
	}
	freeaddrinfo(ai);
	*fd_out = fd;
	return KN_OK;
}

kn_status kn_srv_load_templates(struct kn_srv *s, struct kn_err *err)
{
	size_t n = 0;
	while (kn_shipped_portal[n].name)
		n++;
	s->ntemplates = n;
	s->tnames = kn_xmalloc(n * sizeof *s->tnames);
	s->ttexts = kn_xmalloc(n * sizeof *s->ttexts);
	for (size_t i = 0; i < n; i++) {
		s->tnames[i] = kn_shipped_portal[i].name;
		s->ttexts[i] = NULL;
		if (s->o.portal_templates && *s->o.portal_templates) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", s->o.portal_templates, s->tnames[i]);
			FILE *in = fopen(path, "rb");
			if (in) {
				struct kn_buf b = { 0 };
				char chunk[4096];
				size_t got;
				while ((got = fread(chunk, 1, sizeof chunk, in)) > 0)
					kn_buf_add(&b, chunk, got);
				fclose(in);
				kn_buf_add(&b, "", 0);
				s->ttexts[i] = b.data;
			} else if (errno != ENOENT) {
				return kn_err_set(err, KN_FAIL, "cannot read portal template '%s': %s", path,
				                  strerror(errno));
			}
		}
		if (s->ttexts[i] == NULL)
			s->ttexts[i] = kn_xstrdup(kn_shipped_portal[i].text);
	}
	return KN_OK;
}

kn_status kn_settings_read(struct kn_db *db, struct kn_settings *set, struct kn_err *err)
{
	struct kn_company co;
	char *v;
	int def;
	kn_status st = kn_company_get(db, &co, err);
	if (st != KN_OK)
		return st;
	set->https = co.portal_url && strncasecmp(co.portal_url, "https://", 8) == 0;
	snprintf(set->company_name, sizeof set->company_name, "%s", co.name ? co.name : "");
	snprintf(set->company_phone, sizeof set->company_phone, "%s", co.phone ? co.phone : "");
	snprintf(set->company_address, sizeof set->company_address, "%s",
	         co.address ? co.address : "");
	snprintf(set->company_hours, sizeof set->company_hours, "%s", co.hours ? co.hours : "");
	kn_company_free(&co);
	sqlite3_stmt *lst;
	if ((st = kn_prepare(db, "SELECT logo IS NOT NULL FROM company WHERE id = 1", &lst, err)) !=
	    KN_OK)
		return st;
	int row = 0;
	st = kn_step_row(db, lst, &row, "reading the company", err);
	set->has_logo = st == KN_OK && row && sqlite3_column_int(lst, 0);
	sqlite3_finalize(lst);
	if (st != KN_OK)
		return st;
	if ((st = kn_pref_get(db, "portal.session_idle_minutes", &v, &def, err)) != KN_OK)
		return st;
	set->idle_minutes = strtol(v, NULL, 10);
	free(v);
	if ((st = kn_pref_get(db, "portal.single_session", &v, &def, err)) != KN_OK)
		return st;
	set->single_session = strcmp(v, "true") == 0;
	free(v);
	if ((st = kn_pref_get(db, "portal.self_register", &v, &def, err)) != KN_OK)
		return st;
	set->self_register = strcmp(v, "true") == 0;
	free(v);
	set->date_style = kn_pref_date_style(db);
	return KN_OK;
}

void kn_srv_settings_now(struct kn_srv *s, struct kn_settings *set)
{
	pthread_mutex_lock(&s->mu);
	*set = s->set;
	pthread_mutex_unlock(&s->mu);
}

kn_status kn_srv_settings(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_srv *s = r->srv;
	int stale;
	/* read again at every new generation of the file, never "at most once
	 * a second": a page rendered with older settings would be cached under
	 * the new generation, and a renamed company or a module turned off
	 * would stay stale until some later commit (PORTAL 5) */
	pthread_mutex_lock(&s->mu);
	stale = r->gen != 0 && r->gen != s->set_gen;
	r->set = s->set;
	pthread_mutex_unlock(&s->mu);
	if (!stale)
		return KN_OK;
	struct kn_db *db = kn_req_db(r, err);
	struct kn_settings fresh;
	if (db == NULL)
		return err->status;
	kn_status st = kn_settings_read(db, &fresh, err);
	if (st != KN_OK)
		return st;
	pthread_mutex_lock(&s->mu);
	s->set = fresh;
	s->set_gen = r->gen;
	pthread_mutex_unlock(&s->mu);
	r->set = fresh;
	return KN_OK;
}

kn_status kn_srv_read_settings(struct kn_srv *s, struct kn_db *db, struct kn_err *err)
{
	kn_status st = kn_settings_read(db, &s->set, err);
	if (st != KN_OK)
		return st;
	if ((st = kn_tx_begin(db, err)) != KN_OK)
		return st;
	if ((st = kn_portal_key(db, s->key, err)) != KN_OK) {
		kn_tx_rollback(db);
		return st;
	}
	return kn_tx_commit(db, err);
}

/* ---- the client ---------------------------------------------------------- */

void kn_srv_client_name(const struct sockaddr *sa, char *out, size_t n)
{
	snprintf(out, n, "-");
	if (sa == NULL)
		return;
	socklen_t len = (socklen_t)n;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, len);
}

void kn_srv_forwarded_client(const char *xff, char *out, size_t n)
{
	if (xff == NULL || *xff == '\0')
		return;
	/* the address the proxy itself appended: the last one */
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	unsigned char a[16];
	char ip[64];
	snprintf(ip, sizeof ip, "%.*s", (int)strcspn(last, " "), last);
	if (inet_pton(AF_INET, ip, a) == 1 || inet_pton(AF_INET6, ip, a) == 1)
		snprintf(out, n, "%s", ip);
}

/* Enough descriptors for the connection cap, the database handles and
 * the listener: a service manager's soft limit of 1,024 is raised as far
 * as the hard limit allows, so the cap is what holds, not accept(2). */
void kn_srv_raise_file_limit(size_t handles)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)(CONNECTION_LIMIT + CONNECTION_SPARE) + (rlim_t)handles * 4 + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* ---- the end ------------------------------------------------------------ */

/* after the daemon stopped, or before it started */
void kn_srv_free(struct kn_srv *s)
{
	kn_guard_stop(&s->guard);
	for (size_t i = 0; i < s->npool; i++)
		kn_db_close(s->pool[i]);
	free(s->pool);
	kn_db_close(s->mail_db);
	kn_cache_free(s->cache);
	for (size_t i = 0; i < s->ntemplates; i++)
		free(s->ttexts[i]);
	free(s->tnames);
	free(s->ttexts);
	if (s->fd >= 0)
		close(s->fd);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->pool_cv);
	pthread_cond_destroy(&s->idle_cv);
	pthread_cond_destroy(&s->mail_cv);
	pthread_cond_destroy(&s->work_cv);
	sodium_memzero(s->key, sizeof s->key);
	sodium_memzero(s->throttle_key, sizeof s->throttle_key);
	free(s);
}
