/*
 * The connection guard: no crowd of idle or trickling connections can
 * leave the portal answering nobody.
 *
 * libmicrohttpd's own timeout counts from the last byte received, so a
 * byte every few seconds holds a connection forever, and once its
 * connection cap is reached it stops accepting: /healthz included, nobody
 * is answered.  The guard keeps every open connection in a list ordered by
 * when its current request began (its opening, or the end of the request
 * before it on a kept-alive connection), and
 *   - a reaper thread, once a second, closes each connection still
 *     waiting for its request after the deadline (headers and body
 *     together: 30 s), however slowly it trickles;
 *   - a new connection beyond the cap closes the connection that has
 *     waited longest, so the newcomer is read and the cap is never the
 *     end of the service.
 * A connection whose request is being answered is never closed.
 *
 * Closing is shutdown(2), never close(2): the socket stays libmicrohttpd's,
 * which sees the end of the stream and frees the connection itself.  The
 * guard's mutex is held across the shutdown and across the closed
 * notification, which libmicrohttpd sends before it closes the socket, so
 * a descriptor is never shut down after it was closed and reused.
 * No libmicrohttpd call is made here; serve.c feeds the guard.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "portal/kn_serve.h"

struct guard_conn {
	int fd;
	int busy;               /* its request is being answered */
	int gone;               /* shut down; libmicrohttpd has yet to free it */
	struct timespec since;  /* its current request began */
	struct guard_conn *prev, *next;
};

static void unlink_conn(struct kn_guard *g, struct guard_conn *gc)
{
	if (gc->prev)
		gc->prev->next = gc->next;
	else
		g->head = gc->next;
	if (gc->next)
		gc->next->prev = gc->prev;
	else
		g->tail = gc->prev;
	gc->prev = gc->next = NULL;
}

static void append_conn(struct kn_guard *g, struct guard_conn *gc)
{
	gc->prev = g->tail;
	gc->next = NULL;
	if (g->tail)
		g->tail->next = gc;
	else
		g->head = gc;
	g->tail = gc;
}

/* Ends a waiting connection: libmicrohttpd reads the end and frees it.
 * From now on it counts against nothing and is never chosen again. */
static void cut(struct kn_guard *g, struct guard_conn *gc)
{
	shutdown(gc->fd, SHUT_RDWR);
	gc->gone = 1;
	g->n--;
}

static int waiting(const struct guard_conn *gc)
{
	return !gc->busy && !gc->gone;
}

static long seconds_since(const struct timespec *t, const struct timespec *now)
{
	return (long)(now->tv_sec - t->tv_sec);
}

static void *reaper(void *arg)
{
	struct kn_guard *g = arg;
	pthread_mutex_lock(&g->mu);
	while (!g->stopping) {
		struct timespec wake;
		clock_gettime(CLOCK_REALTIME, &wake);
		wake.tv_sec += 1;
		pthread_cond_timedwait(&g->cv, &g->mu, &wake);
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		/* oldest first: the first one inside the deadline ends the walk,
		 * but for the busy ones, which keep their place */
		for (struct guard_conn *gc = g->head; gc; gc = gc->next) {
			if (seconds_since(&gc->since, &now) < g->deadline_s)
				break;
			if (waiting(gc)) {
				cut(g, gc);
				g->expired++;
			}
		}
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

kn_status kn_guard_start(struct kn_guard *g, size_t cap, int deadline_s, struct kn_err *err)
{
	*g = (struct kn_guard){ .cap = cap, .deadline_s = deadline_s };
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	if (pthread_create(&g->reaper, NULL, reaper, g) != 0) {
		pthread_cond_destroy(&g->cv);
		pthread_mutex_destroy(&g->mu);
		return kn_err_set(err, KN_FAIL, "cannot start the connection guard");
	}
	g->running = 1;
	return KN_OK;
}

void kn_guard_stop(struct kn_guard *g)
{
	if (!g->running)
		return;
	pthread_mutex_lock(&g->mu);
	g->stopping = 1;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->reaper, NULL);
	/* the daemon is stopped: every connection was closed and forgotten */
	while (g->head) {
		struct guard_conn *gc = g->head;
		unlink_conn(g, gc);
		free(gc);
	}
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
	g->running = 0;
}

struct guard_conn *kn_guard_open(struct kn_guard *g, int fd)
{
	struct guard_conn *gc = kn_xmalloc(sizeof *gc);
	*gc = (struct guard_conn){ .fd = fd };
	clock_gettime(CLOCK_MONOTONIC, &gc->since);
	pthread_mutex_lock(&g->mu);
	/* room for the newcomer: the connection that waited longest goes */
	for (struct guard_conn *old = g->head; old && g->n >= g->cap; old = old->next) {
		if (waiting(old)) {
			cut(g, old);
			g->evicted++;
		}
	}
	append_conn(g, gc);
	g->n++;
	pthread_mutex_unlock(&g->mu);
	return gc;
}

void kn_guard_close(struct kn_guard *g, struct guard_conn *gc)
{
	if (gc == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	unlink_conn(g, gc);
	if (!gc->gone)
		g->n--;
	pthread_mutex_unlock(&g->mu);
	free(gc);
}

void kn_guard_busy(struct kn_guard *g, struct guard_conn *gc, int busy)
{
	if (gc == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	gc->busy = busy;
	if (!busy) {
		/* answered: the next request on this connection has its own
		 * deadline, and its place is at the end of the line */
		clock_gettime(CLOCK_MONOTONIC, &gc->since);
		unlink_conn(g, gc);
		append_conn(g, gc);
	}
	pthread_mutex_unlock(&g->mu);
}

int kn_guard_full(struct kn_guard *g)
{
	pthread_mutex_lock(&g->mu);
	int full = g->n > g->cap;
	pthread_mutex_unlock(&g->mu);
	return full;
}
