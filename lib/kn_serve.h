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

#include "kn_portal.h"

#define BODY_LIMIT (64 * 1024)
#define HEADER_LINES_LIMIT 100
#define CONNECTION_LIMIT 1024
#define CONNECTION_TIMEOUT 30
#define HASH_QUEUE_PER_THREAD 4
#define POOL_HANDLES 64
/* requests worked on at once; a few hundred more wait, then 503 */
#define WORK_SLOTS POOL_HANDLES
#define WORK_QUEUE 256

struct shipped_page {
	const char *name, *text;
};
extern const struct shipped_page kn_shipped_portal[];

struct MHD_Daemon;

struct kn_srv {
	struct kn_serve_options o;
	struct MHD_Daemon *d;
	int fd;
	int https;
	unsigned char key[32];
	char dummy_hash[crypto_pwhash_STRBYTES];
	long idle_minutes;
	int single_session;
	char company_name[256];
	/* the page templates: shipped, or the override folder's */
	size_t ntemplates;
	const char **tnames;
	char **ttexts;

	pthread_mutex_t mu;
	pthread_cond_t pool_cv, hash_cv, idle_cv, mail_cv;
	struct kn_db **pool;
	size_t npool, nfree;
	int hashing, hash_waiting;
	int working, work_waiting;
	pthread_cond_t work_cv;
	int inflight;
	int mail_wake, stopping;
	pthread_t mailer;
	int mailer_running;
	struct kn_db *mail_db;
	struct kn_cache *cache;
};

/* A work slot for a request about to be read and answered: memory grows
 * with the requests worked on, so their number is bounded, not just the
 * connections'.  KN_TEMPFAIL when too many wait already. */
kn_status kn_work_take(struct kn_srv *s);
void kn_work_give(struct kn_srv *s);
kn_status kn_srv_listen(const char *listen_spec, int *fd_out, char url[128],
                        struct kn_err *err);
kn_status kn_srv_load_templates(struct kn_srv *s, struct kn_err *err);
kn_status kn_srv_read_settings(struct kn_srv *s, struct kn_db *db, struct kn_err *err);
/* the mailer thread: delivers what the portal queued, when woken */
void *kn_srv_mailer(void *arg);

#endif
