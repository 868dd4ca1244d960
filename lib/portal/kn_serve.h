/*
 * The server's state, shared by the two halves of kennel serve: serve.c
 * (libmicrohttpd: connections, requests, start and stop) and
 * serve_state.c (the database pool, the hash slots, the mailer, the
 * settings read at start).  lib only.
 */
#ifndef KN_SERVE_H
#define KN_SERVE_H

#include <pthread.h>
#include <sodium.h>

#include "portal/kn_portal.h"

#define BODY_LIMIT (64 * 1024)
/* a route that takes a file (multipart/form-data): the file, and the
 * memory all uploads in flight may hold at once (then 503) */
#define UPLOAD_LIMIT ((size_t)KN_PAPERS_MAX + BODY_LIMIT)
#define UPLOAD_MEMORY ((size_t)64 * 1024 * 1024)
#define HEADER_LINES_LIMIT 100
/* connections open at once: the guard's cap; libmicrohttpd's own is higher,
 * so that it never stops accepting (it splits its cap between its threads) */
#define CONNECTION_LIMIT 1024
#define CONNECTION_SPARE 512
/* a client's connections at once, unless behind --trust-proxy */
#define CONNECTIONS_PER_CLIENT 32
/* seconds for a whole request, headers and body, and to sit idle */
#define CONNECTION_TIMEOUT 30
/* requests waiting for a worker, per --threads; then 503 at once */
#define WORK_QUEUE_PER_THREAD 8

struct shipped_page {
	const char *name, *text;
};
extern const struct shipped_page kn_shipped_portal[];

struct MHD_Daemon;

/* The connection guard (guard.c): a deadline for each request, and room
 * for a newcomer beyond the cap.  Fed by serve.c; all under mu. */
struct guard_conn;
struct kn_guard {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct guard_conn *head, *tail; /* by when their request began */
	size_t n, cap;                  /* open and not yet cut */
	int deadline_s;
	unsigned long expired, evicted;
	int stopping, running;
	pthread_t reaper;
};
kn_status kn_guard_start(struct kn_guard *g, size_t cap, int deadline_s, struct kn_err *err);
/* after the daemon stopped */
void kn_guard_stop(struct kn_guard *g);
/* a new connection on socket fd; may cut the one that waited longest */
struct guard_conn *kn_guard_open(struct kn_guard *g, int fd);
/* libmicrohttpd is about to close it */
void kn_guard_close(struct kn_guard *g, struct guard_conn *gc);
/* busy: its request is being answered; then not: its next one may begin */
void kn_guard_busy(struct kn_guard *g, struct guard_conn *gc, int busy);
/* more open than the cap, none of them waiting: the answer is 503 */
int kn_guard_full(struct kn_guard *g);

struct kn_srv {
	struct kn_serve_options o;
	struct MHD_Daemon *d;
	int fd;
	unsigned char key[32];
	/* the throttle's names are hashed with it: new each run, so a copy
	 * of the database cannot be searched for what was typed */
	unsigned char throttle_key[crypto_generichash_KEYBYTES];
	char dummy_hash[crypto_pwhash_STRBYTES];
	struct kn_settings set;       /* under mu */
	unsigned long long set_gen;   /* the generation they were read at */
	/* the page templates: shipped, or the override folder's */
	size_t ntemplates;
	const char **tnames;
	char **ttexts;

	pthread_mutex_t mu;
	pthread_cond_t pool_cv, idle_cv, mail_cv;
	struct kn_db **pool;
	size_t npool, nfree;
	/* the workers: what may block (hashes, writes) runs there */
	struct conn *work_head, *work_tail;
	int work_waiting;
	pthread_cond_t work_cv;
	pthread_t *workers;
	int nworkers;
	int inflight;
	size_t upload_bytes;          /* held by uploads in flight, under mu */
	int mail_wake, stopping;
	int mail_stop;                /* the mailer ends after the message on the wire */
	pthread_t mailer;
	int mailer_running;
	struct kn_db *mail_db;
	struct kn_cache *cache;
	struct kn_guard guard;
};

/* Gives the request's handle back to the pool, its transaction ended. */
void kn_req_db_release(struct kn_page_req *r);
kn_status kn_srv_listen(const char *listen_spec, int *fd_out, char url[128],
                        struct kn_err *err);
kn_status kn_srv_load_templates(struct kn_srv *s, struct kn_err *err);
kn_status kn_srv_read_settings(struct kn_srv *s, struct kn_db *db, struct kn_err *err);
kn_status kn_settings_read(struct kn_db *db, struct kn_settings *set, struct kn_err *err);
/* the settings as the server has them now (an answer made before any
 * handler ran: 413, 431, 503) */
void kn_srv_settings_now(struct kn_srv *s, struct kn_settings *set);
/* One access-log line: the query's token= and key= values redacted. */
void kn_srv_access_log(struct kn_srv *s, const char *client, const char *method,
                       const char *uri, unsigned status, size_t bytes, long ms, int aborted);
struct sockaddr;
/* The client as the log and the rate limits name it: its address, or with
 * --trust-proxy the last address of X-Forwarded-For (the one the proxy
 * appended), when that is an address. */
void kn_srv_client_name(const struct sockaddr *sa, char *out, size_t n);
void kn_srv_forwarded_client(const char *xff, char *out, size_t n);
/* enough descriptors for the connection cap and the handles */
void kn_srv_raise_file_limit(size_t handles);
/* Frees the server's state: after the daemon stopped, or before it
 * started. */
void kn_srv_free(struct kn_srv *s);
/* the mailer thread: delivers what the portal queued, when woken */
void *kn_srv_mailer(void *arg);

#endif
