/*
 * kennel serve: libmicrohttpd, a pool of SQLite handles, and the limits.
 *
 * Threading: an event loop per core reads every connection and answers
 * page views, which never wait; anything that may block (a login's
 * argon2id hash, a write) goes to the --threads workers through a short
 * queue (then 503), so a hash can never stall another owner's page view.
 * Everything a handler needs arrives in a struct kn_page_req; no MHD type
 * leaves this file.
 */
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "owner/kn_creds.h"
#include "portal/kn_serve.h"

/* One HTTP request from its first line to its last byte sent. */
struct conn {
	struct kn_srv *srv;
	struct MHD_Connection *c;
	char *uri;                 /* as sent, for the log */
	struct timespec t0;
	struct kn_buf upload;
	int too_large, started;
	/* an upload route: its multipart body read by libmicrohttpd's post
	 * processor, the fields into upload (urlencoded again, for the
	 * form parser), the file into file */
	struct MHD_PostProcessor *pp;
	struct kn_buf file;
	char *file_name;
	size_t held;               /* bytes counted in the server's upload_bytes */
	int too_busy, bad_upload;
	int queued, done;          /* handed to a worker; its answer is ready */
	struct kn_page_req r;      /* the request as the handlers see it, and the answer */
	struct kn_err err;
	struct guard_conn *guard;  /* its connection, as the guard knows it */
	struct conn *next;         /* in the workers' queue */
	unsigned status;
	size_t bytes;
	char method[16];
	char client[64];
};

/* What a request held, given back once it is answered. */
static void finish(struct conn *cn)
{
	kn_req_db_release(&cn->r);
	kn_buf_free(&cn->r.body);
	kn_arena_free(&cn->r.arena);
	cn->r.srv = NULL;
}

/* ---- the workers: what may block leaves the event loop ---------------- */

/* Hands a request to the workers and suspends its connection; KN_TEMPFAIL
 * when --threads x 8 wait already (the answer is then 503 at once).  The
 * queue is a list through the requests themselves. */
static kn_status work_queue(struct kn_srv *s, struct conn *job)
{
	kn_status st = KN_OK;
	pthread_mutex_lock(&s->mu);
	if (s->work_waiting >= s->o.threads * WORK_QUEUE_PER_THREAD) {
		st = KN_TEMPFAIL;
	} else {
		job->next = NULL;
		if (s->work_tail)
			s->work_tail->next = job;
		else
			s->work_head = job;
		s->work_tail = job;
		s->work_waiting++;
		/* suspended before a worker can pick it up and resume it */
		job->queued = 1;
		MHD_suspend_connection(job->c);
		pthread_cond_signal(&s->work_cv);
	}
	pthread_mutex_unlock(&s->mu);
	return st;
}

static void *worker(void *arg)
{
	struct kn_srv *s = arg;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (s->work_head == NULL && !s->stopping)
			pthread_cond_wait(&s->work_cv, &s->mu);
		if (s->work_head == NULL)
			break;
		struct conn *job = s->work_head;
		s->work_head = job->next;
		if (s->work_head == NULL)
			s->work_tail = NULL;
		s->work_waiting--;
		pthread_mutex_unlock(&s->mu);
		kn_portal_dispatch(&job->r, &job->err);
		kn_req_db_release(&job->r);
		job->done = 1;
		MHD_resume_connection(job->c);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* The queue is empty by now (kn_serve_stop waits for the requests in
 * flight): the workers finish and are joined. */
static void workers_join(struct kn_srv *s)
{
	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_cond_broadcast(&s->work_cv);
	pthread_mutex_unlock(&s->mu);
	for (int i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
	s->nworkers = 0;
	free(s->workers);
	s->workers = NULL;
}

static kn_status workers_start(struct kn_srv *s, struct kn_err *err)
{
	s->workers = kn_xmalloc((size_t)s->o.threads * sizeof *s->workers);
	for (int i = 0; i < s->o.threads; i++) {
		if (pthread_create(&s->workers[i], NULL, worker, s) != 0) {
			workers_join(s);
			return kn_err_set(err, KN_FAIL, "cannot start the worker threads");
		}
		s->nworkers++;
	}
	return KN_OK;
}

/* ---- requests ---------------------------------------------------------- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct kn_srv *s = cls;
	struct conn *cn = kn_xcalloc(1, sizeof *cn);
	cn->srv = s;
	cn->uri = kn_xstrdup(uri);
	const union MHD_ConnectionInfo *sc =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (sc)
		cn->guard = sc->socket_context;
	clock_gettime(CLOCK_MONOTONIC, &cn->t0);
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	kn_srv_client_name(ci ? ci->client_addr : NULL, cn->client, sizeof cn->client);
	pthread_mutex_lock(&s->mu);
	s->inflight++;
	pthread_mutex_unlock(&s->mu);
	return cn;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
	struct kn_srv *s = cls;
	struct conn *cn = *con_cls;
	(void)c;
	if (cn == NULL)
		return;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (long)((t1.tv_sec - cn->t0.tv_sec) * 1000 + (t1.tv_nsec - cn->t0.tv_nsec) / 1000000);
	kn_guard_busy(&s->guard, cn->guard, 0);
	if (cn->started || cn->status)
		kn_srv_access_log(s, cn->client, cn->method, cn->uri, cn->status, cn->bytes, ms,
		                  why != MHD_REQUEST_TERMINATED_COMPLETED_OK);
	if (cn->r.srv)
		finish(cn);
	if (cn->pp)
		MHD_destroy_post_processor(cn->pp);
	pthread_mutex_lock(&s->mu);
	s->upload_bytes -= cn->held;
	pthread_mutex_unlock(&s->mu);
	kn_buf_free(&cn->file);
	free(cn->file_name);
	kn_buf_free(&cn->upload);
	free(cn->uri);
	free(cn);
	*con_cls = NULL;
	pthread_mutex_lock(&s->mu);
	s->inflight--;
	pthread_cond_broadcast(&s->idle_cv);
	pthread_mutex_unlock(&s->mu);
}

/* Every connection, from its opening to its closing, for the guard. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	struct kn_srv *s = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = ci ? kn_guard_open(&s->guard, ci->connect_fd) : NULL;
	} else {
		kn_guard_close(&s->guard, *socket_context);
		*socket_context = NULL;
	}
}

static void add_common_headers(int https, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Security-Policy",
	                        "default-src 'none'; style-src 'self'; img-src 'self'; "
	                        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (https)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		                        "max-age=31536000; includeSubDomains");
}

static enum MHD_Result answer(struct MHD_Connection *c, struct conn *cn, struct kn_page_req *r)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		r->body.len, r->body.data ? r->body.data : (void *)"", MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	add_common_headers(r->set.https, resp);
	MHD_add_response_header(resp, "Content-Type",
	                        r->content_type ? r->content_type : "text/html; charset=utf-8");
	if (r->location)
		MHD_add_response_header(resp, "Location", r->location);
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	for (int i = 0; i < r->ncookies; i++)
		MHD_add_response_header(resp, "Set-Cookie", r->cookies[i]);
	if (r->retry_after > 0) {
		char v[16];
		snprintf(v, sizeof v, "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", v);
	}
	if (r->no_store)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	cn->status = r->status;
	cn->bytes = r->body.len;
	/* being answered: the guard leaves it alone until it is done */
	kn_guard_busy(&cn->srv->guard, cn->guard, 1);
	enum MHD_Result ret = MHD_queue_response(c, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* A short plain answer before any handler ran: 413, 431, 503. */
static enum MHD_Result refuse(struct MHD_Connection *c, struct conn *cn, unsigned status,
                              const char *text)
{
	struct kn_page_req r = { .srv = cn->srv, .status = status,
	                         .content_type = "text/plain; charset=utf-8" };
	kn_srv_settings_now(cn->srv, &r.set);
	kn_buf_add(&r.body, text, strlen(text));
	if (status == 503)
		r.retry_after = 5;
	enum MHD_Result ret = answer(c, cn, &r);
	kn_buf_free(&r.body);
	return ret;
}

/* Room for n more bytes of uploads, or 0: the server holds UPLOAD_MEMORY
 * at most for all of them together. */
static int upload_room(struct conn *cn, size_t n)
{
	struct kn_srv *s = cn->srv;
	int ok;
	pthread_mutex_lock(&s->mu);
	ok = s->upload_bytes + n <= UPLOAD_MEMORY;
	if (ok) {
		s->upload_bytes += n;
		cn->held += n;
	}
	pthread_mutex_unlock(&s->mu);
	return ok;
}

/* libmicrohttpd's post processor: each field's bytes as they arrive */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
	struct conn *cn = cls;
	(void)kind, (void)content_type, (void)transfer_encoding;
	if (cn->too_large || cn->too_busy)
		return MHD_YES;
	if (key && strcmp(key, "papers") == 0 && filename) {
		if (cn->file_name == NULL)
			cn->file_name = kn_xstrdup(filename);
		else if (off == 0)
			cn->bad_upload = 1; /* one file a form */
		if (cn->file.len + size > KN_PAPERS_MAX)
			cn->too_large = 1;
		else if (!upload_room(cn, size))
			cn->too_busy = 1;
		else
			kn_buf_add(&cn->file, data, size);
		return MHD_YES;
	}
	/* a plain field, urlencoded again for the form parser */
	if (key == NULL || cn->upload.len + size * 3 + strlen(key) + 2 > BODY_LIMIT) {
		cn->too_large = 1;
		return MHD_YES;
	}
	if (off == 0) {
		if (cn->upload.len)
			kn_buf_add(&cn->upload, "&", 1);
		for (const unsigned char *k = (const unsigned char *)key; *k; k++)
			kn_buf_addf(&cn->upload, "%%%02X", *k);
		kn_buf_add(&cn->upload, "=", 1);
	}
	for (size_t i = 0; i < size; i++)
		kn_buf_addf(&cn->upload, "%%%02X", (unsigned char)data[i]);
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
	struct kn_srv *s = cls;
	struct conn *cn = *con_cls;
	(void)version;
	if (cn == NULL)
		return MHD_NO;
	if (!cn->started) {
		cn->started = 1;
		cn->c = c;
		snprintf(cn->method, sizeof cn->method, "%s", method);
		/* with no iterator, libmicrohttpd counts them */
		/* every connection is busy answering: say so, but for the
		 * health check, which must answer under any load */
		if (kn_guard_full(&s->guard) && strcmp(url, "/healthz") != 0)
			return refuse(c, cn, 503, "the portal is busy; try again in a few seconds\n");
		if (MHD_get_connection_values(c, MHD_HEADER_KIND, NULL, NULL) > HEADER_LINES_LIMIT)
			return refuse(c, cn, 431, "too many header lines\n");
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (kn_portal_upload_route(method, url)) {
			if (cl && strtoull(cl, NULL, 10) > UPLOAD_LIMIT)
				return refuse(c, cn, 413, "The file is larger than 10 MB: send a smaller "
				              "scan.\n");
			/* NULL unless the body is multipart/form-data (or urlencoded) */
			cn->pp = MHD_create_post_processor(c, 16 * 1024, on_part, cn);
			if (cn->pp == NULL)
				return refuse(c, cn, 415, "send the file as multipart/form-data\n");
		} else if (cl && strtoull(cl, NULL, 10) > BODY_LIMIT) {
			return refuse(c, cn, 413, "request body too large (at most 64 KiB)\n");
		}
		if (s->o.trust_proxy) {
			const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
			                                              "X-Forwarded-For");
			kn_srv_forwarded_client(xff, cn->client, sizeof cn->client);
		}
		return MHD_YES;
	}
	if (*upload_size > 0 && cn->pp) {
		if (MHD_post_process(cn->pp, upload, *upload_size) != MHD_YES)
			cn->bad_upload = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (cn->upload.len + *upload_size > BODY_LIMIT)
			cn->too_large = 1;
		else
			kn_buf_add(&cn->upload, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (cn->done) {
		/* a worker answered while the connection was suspended */
		enum MHD_Result ret = answer(c, cn, &cn->r);
		finish(cn);
		return ret;
	}
	if (cn->queued)
		return MHD_YES;
	if (cn->too_large)
		return refuse(c, cn, 413, cn->pp ? "The file is larger than 10 MB: send a smaller "
		                                   "scan.\n"
		                                 : "request body too large (at most 64 KiB)\n");
	if (cn->too_busy)
		return refuse(c, cn, 503, "the portal is busy; try again in a few seconds\n");
	if (cn->bad_upload)
		return refuse(c, cn, 400, "the form's body is malformed\n");

	struct kn_page_req *r = &cn->r;
	*r = (struct kn_page_req){ .srv = s, .method = method, .path = url, .uri = cn->uri,
	                           .status = 200 };
	snprintf(r->client, sizeof r->client, "%s", cn->client);
	r->cookie_header = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	r->sec_fetch_site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
	const char *q = strchr(cn->uri, '?');
	kn_status st = KN_OK;
	if (q)
		st = kn_form_parse(&r->arena, q + 1, strlen(q + 1), &r->query, &cn->err);
	const char *ctype = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if (cn->pp) {
		r->file = (const unsigned char *)cn->file.data;
		r->file_len = cn->file.len;
		r->file_name = cn->file_name;
	}
	if (st == KN_OK && cn->upload.len > 0) {
		if (!cn->pp && ctype &&
		    strncasecmp(ctype, "application/x-www-form-urlencoded", 33) != 0) {
			r->status = 415;
			kn_buf_addf(&r->body, "send forms as application/x-www-form-urlencoded\n");
			r->content_type = "text/plain; charset=utf-8";
			goto send;
		}
		st = kn_form_parse(&r->arena, cn->upload.data, cn->upload.len, &r->form, &cn->err);
	}
	if (st != KN_OK) {
		r->status = 400;
		r->content_type = "text/plain; charset=utf-8";
		kn_buf_addf(&r->body, "%s\n", cn->err.msg);
		goto send;
	}
	/* A page view is answered here, on the event-loop thread that read it:
	 * it never waits for a lock or a hash.  Anything else (a login's
	 * argon2id hash, a write that may wait for an import's lock) goes to a
	 * worker while the connection is suspended, so this thread goes on
	 * serving pages. */
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		if (work_queue(s, cn) != KN_OK) {
			finish(cn);
			return refuse(c, cn, 503, "the portal is busy; try again in a few seconds\n");
		}
		return MHD_YES;
	}
	kn_portal_dispatch(r, &cn->err);
send:;
	enum MHD_Result ret = answer(c, cn, r);
	finish(cn);
	return ret;
}

kn_status kn_serve_start(const struct kn_serve_options *o, struct kn_server **out,
                         struct kn_err *err)
{
	struct kn_srv *s = kn_xcalloc(1, sizeof *s);
	kn_status st;
	char url[128];

	*out = NULL;
	s->o = *o;
	s->fd = -1;
	if (s->o.threads <= 0)
		s->o.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (s->o.threads <= 0)
		s->o.threads = 1;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->pool_cv, NULL);
	pthread_cond_init(&s->idle_cv, NULL);
	pthread_cond_init(&s->mail_cv, NULL);
	pthread_cond_init(&s->work_cv, NULL);
	if ((st = kn_crypto_init(err)) != KN_OK || (st = kn_srv_load_templates(s, err)) != KN_OK)
		goto fail;
	randombytes_buf(s->throttle_key, sizeof s->throttle_key);
	/* every handle is opened now, before any thread runs: opening one sets
	 * the process's time zone, which must not change under a reader */
	/* a handle for each event loop and each worker: none ever waits for one */
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (cores < 1)
		cores = 1;
	s->npool = (size_t)cores + (size_t)s->o.threads;
	s->pool = kn_xmalloc(s->npool * sizeof *s->pool);
	for (size_t i = 0; i < s->npool; i++) {
		struct kn_db_options dbo = { .path = o->db_path, .actor = "portal", .command = "portal" };
		if ((st = kn_db_open(&dbo, &s->pool[i], NULL, err)) != KN_OK) {
			s->npool = i;
			goto fail;
		}
		/* an owner waits 5 s for a lock at most, then gets 503 and
		 * Retry-After: never a page that hangs for a batch import */
		kn_db_busy(s->pool[i], 5000);
		/* 64 handles at SQLite's default 2 MiB of page cache each would be
		 * 128 MiB; a page view reads a few dozen pages, and the OS caches
		 * the file for all of them */
		if ((st = kn_exec(s->pool[i], "PRAGMA cache_size = -256", err)) != KN_OK)
			goto fail;
	}
	s->nfree = s->npool;
	s->cache = kn_cache_new(o->db_path);
	struct kn_db_options mo = { .path = o->db_path, .actor = "portal", .command = "mail send" };
	if ((st = kn_db_open(&mo, &s->mail_db, NULL, err)) != KN_OK ||
	    (st = kn_srv_read_settings(s, s->pool[0], err)) != KN_OK)
		goto fail;
	/* what an unknown or must-reset username is checked against, at the
	 * full cost, so the answer takes as long as a wrong password */
	{
		unsigned char junk[24];
		char pw[49];
		randombytes_buf(junk, sizeof junk);
		sodium_bin2hex(pw, sizeof pw, junk, sizeof junk);
		if ((st = kn_password_hash(pw, 0, s->dummy_hash, err)) != KN_OK)
			goto fail;
	}
	kn_srv_raise_file_limit(s->npool);
	if ((st = kn_guard_start(&s->guard, CONNECTION_LIMIT, CONNECTION_TIMEOUT, err)) != KN_OK)
		goto fail;
	if ((st = kn_srv_listen(o->listen ? o->listen : "127.0.0.1:8080", &s->fd, url, err)) != KN_OK)
		goto fail;
	/* an event loop per core for every connection (epoll), and the workers
	 * above for what may block */
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                        MHD_ALLOW_SUSPEND_RESUME,
	                        0, NULL, NULL, on_request, s,
	                        MHD_OPTION_LISTEN_SOCKET, s->fd,
	                        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
	                        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	                        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
	                        MHD_OPTION_CONNECTION_LIMIT,
	                        (unsigned int)(CONNECTION_LIMIT + CONNECTION_SPARE),
	                        /* behind a proxy every client is the proxy */
	                        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	                        (unsigned int)(o->trust_proxy ? 0 : CONNECTIONS_PER_CLIENT),
	                        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONNECTION_TIMEOUT,
	                        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
	                        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cores,
	                        MHD_OPTION_END);
	if (s->d == NULL) {
		st = kn_err_set(err, KN_FAIL, "cannot start the HTTP server on %s", url);
		goto fail;
	}
	if ((st = workers_start(s, err)) != KN_OK) {
		MHD_stop_daemon(s->d);
		goto fail;
	}
	if (pthread_create(&s->mailer, NULL, kn_srv_mailer, s) == 0)
		s->mailer_running = 1;
	kn_srv_mail_wake(s); /* anything the portal left queued before a restart */
	if (o->ready)
		o->ready(o->ud, url);
	*out = (struct kn_server *)s;
	return KN_OK;
fail:
	kn_srv_free(s);
	return st;
}

void kn_serve_stop(struct kn_server *server)
{
	struct kn_srv *s = (struct kn_srv *)server;
	if (s == NULL)
		return;
	/* no new connections, and the port is free at once for the next
	 * server; the requests in flight finish (30 s at most) */
	int fd = MHD_quiesce_daemon(s->d);
	if (fd >= 0)
		close(fd);
	if (fd == s->fd)
		s->fd = -1;
	/* the mailer ends after the message on the wire: what is still queued
	 * waits for the next server or the cron 'kennel mail send' */
	pthread_mutex_lock(&s->mu);
	s->mail_stop = 1;
	pthread_cond_signal(&s->mail_cv);
	pthread_mutex_unlock(&s->mu);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += CONNECTION_TIMEOUT;
	pthread_mutex_lock(&s->mu);
	while (s->inflight > 0)
		if (pthread_cond_timedwait(&s->idle_cv, &s->mu, &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&s->mu);
	workers_join(s);
	MHD_stop_daemon(s->d);
	if (s->mailer_running)
		pthread_join(s->mailer, NULL);
	kn_srv_free(s);
}
