/*
 * What a page view can answer without SQLite: sessions and rendered page
 * bodies, each kept with the generation of the database it was read at.
 *
 * The generation is a fingerprint of what readers of the database go by:
 * in WAL mode the wal-index header at the start of the -shm file, which
 * every commit rewrites (its change counter, last frame and salts) and
 * from which every read transaction takes its snapshot; in rollback mode
 * the change counter in the database header.  It is read before the
 * page's read transaction begins, so the snapshot is never older than
 * the generation its page is filed under, and an entry is used only while
 * the generation is the same: a cache hit is exactly what the database
 * would have answered.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "portal/kn_portal.h"

#define SLOTS 4096 /* a power of two */
#define PROBES 8

struct slot {
	char key[128];
	unsigned long long gen;
	long long owner;
	char created[20], seen[20];
	char *html;
};

struct kn_cache {
	/* kept open for the life of the server: closing a descriptor of a
	 * file drops every POSIX lock this process holds on it, SQLite's too */
	int db_fd, shm_fd;
	pthread_mutex_t mu;
	struct slot sessions[SLOTS], pages[SLOTS];
};

struct kn_cache *kn_cache_new(const char *db_path)
{
	struct kn_cache *c = kn_xcalloc(1, sizeof *c);
	size_t n = strlen(db_path) + sizeof "-shm";
	char *shm = kn_xmalloc(n);
	snprintf(shm, n, "%s-shm", db_path);
	c->db_fd = open(db_path, O_RDONLY | O_CLOEXEC);
	c->shm_fd = open(shm, O_RDONLY | O_CLOEXEC);
	free(shm);
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

void kn_cache_free(struct kn_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < SLOTS; i++)
		free(c->pages[i].html);
	pthread_mutex_destroy(&c->mu);
	/* the server's database handles are closed by now */
	if (c->db_fd >= 0)
		close(c->db_fd);
	if (c->shm_fd >= 0)
		close(c->shm_fd);
	free(c);
}

static unsigned long long fnv(unsigned long long h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

/* 0 when the files cannot be read: then nothing is cached or used */
unsigned long long kn_cache_generation(struct kn_cache *c)
{
	unsigned long long h = 14695981039346656037ULL;
	unsigned char head[100], shm[48];
	struct stat st;
	/* in WAL mode the wal-index header says it all; the database header
	 * only in rollback mode, where its change counter moves with commits */
	if (c->shm_fd >= 0) {
		if (pread(c->shm_fd, shm, sizeof shm, 0) != (ssize_t)sizeof shm)
			return 0;
		h = fnv(h, shm, sizeof shm); /* the first copy of the wal-index header */
	} else {
		if (c->db_fd < 0 || pread(c->db_fd, head, sizeof head, 0) != (ssize_t)sizeof head ||
		    fstat(c->db_fd, &st) != 0)
			return 0;
		h = fnv(h, head + 24, 8); /* change counter, page count */
		h = fnv(h, &st.st_size, sizeof st.st_size);
	}
	return h ? h : 1;
}

static struct slot *find(struct slot *table, const char *key, int for_write)
{
	unsigned long long h = fnv(14695981039346656037ULL, key, strlen(key));
	struct slot *empty = NULL;
	for (size_t i = 0; i < PROBES; i++) {
		struct slot *s = &table[(h + i) & (SLOTS - 1)];
		if (strcmp(s->key, key) == 0)
			return s;
		if (empty == NULL && s->key[0] == '\0')
			empty = s;
	}
	if (!for_write)
		return NULL;
	/* full: the first slot of the run makes room */
	return empty ? empty : &table[h & (SLOTS - 1)];
}

int kn_cache_session_get(struct kn_cache *c, const char *hash, unsigned long long gen,
                         long long *owner, char created[20], char seen[20])
{
	int hit = 0;
	if (gen == 0)
		return 0;
	pthread_mutex_lock(&c->mu);
	struct slot *s = find(c->sessions, hash, 0);
	if (s && s->gen == gen) {
		*owner = s->owner;
		memcpy(created, s->created, 20);
		memcpy(seen, s->seen, 20);
		hit = 1;
	}
	pthread_mutex_unlock(&c->mu);
	return hit;
}

void kn_cache_session_put(struct kn_cache *c, const char *hash, unsigned long long gen,
                          long long owner, const char *created, const char *seen)
{
	if (gen == 0 || strlen(hash) >= sizeof c->sessions[0].key)
		return;
	pthread_mutex_lock(&c->mu);
	struct slot *s = find(c->sessions, hash, 1);
	snprintf(s->key, sizeof s->key, "%s", hash);
	s->gen = gen;
	s->owner = owner;
	snprintf(s->created, sizeof s->created, "%s", created);
	snprintf(s->seen, sizeof s->seen, "%s", seen);
	pthread_mutex_unlock(&c->mu);
}

const char *kn_cache_page_get(struct kn_cache *c, const char *key, unsigned long long gen,
                              struct kn_arena *a)
{
	const char *copy = NULL;
	if (gen == 0)
		return NULL;
	pthread_mutex_lock(&c->mu);
	struct slot *s = find(c->pages, key, 0);
	if (s && s->gen == gen && s->html)
		copy = kn_arena_strdup(a, s->html);
	pthread_mutex_unlock(&c->mu);
	return copy;
}

void kn_cache_page_put(struct kn_cache *c, const char *key, unsigned long long gen,
                       const char *html)
{
	if (gen == 0 || strlen(key) >= sizeof c->pages[0].key)
		return;
	char *copy = kn_xstrdup(html);
	pthread_mutex_lock(&c->mu);
	struct slot *s = find(c->pages, key, 1);
	char *old = s->html;
	snprintf(s->key, sizeof s->key, "%s", key);
	s->gen = gen;
	s->html = copy;
	pthread_mutex_unlock(&c->mu);
	free(old);
}
