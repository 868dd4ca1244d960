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
#define HEADER_LINES_LIMIT 100
#define CONNECTION_LIMIT 1024
#define CONNECTION_TIMEOUT 30
/* requests waiting for a worker, per --threads; then 503 at once */
#define WORK_QUEUE_PER_THREAD 8

struct shipped_page {
	const char *name, *text;
};
extern const struct shipped_page kn_shipped_portal[];

struct MHD_Daemon;

struct kn_srv {
	struct kn_serve_options o;
	struct MHD_Daemon *d;
	int fd;
	unsigned char key[32];
	char dummy_hash[crypto_pwhash_STRBYTES];
	struct kn_settings set;       /* under mu */
	unsigned long long set_gen;   /* the generation they were read at */
	long set_checked;             /* the second they were last checked */
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
	int mail_wake, stopping;
	pthread_t mailer;
	int mailer_running;
	struct kn_db *mail_db;
	struct kn_cache *cache;
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
/* the mailer thread: delivers what the portal queued, when woken */
void *kn_srv_mailer(void *arg);

#endif
