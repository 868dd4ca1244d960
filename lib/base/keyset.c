/*
 * An exact set of 63-bit keys: in memory while it fits, then spilled to a
 * temp table in key order (kn_keyset.h says why).
 *
 * In memory: open addressing with linear probing over a power-of-two table
 * of key + 1 (0 marks an empty slot), doubled at three quarters full until
 * max_bytes; at that size, full means spill.
 */
#include <stdlib.h>
#include <string.h>

#include "base/kn_keyset.h"

#define FIRST_SLOTS 4096u

struct kn_keyset {
	struct kn_db *db;
	unsigned long long *slot;
	size_t nslots, count, max_slots;
	long long spilled;
	sqlite3_stmt *insert, *select;
};

static size_t home(const struct kn_keyset *ks, unsigned long long stored)
{
	/* Fibonacci hashing: the keys are hashes already, this spreads their
	 * low bits too */
	return (size_t)((stored * 0x9E3779B97F4A7C15ULL) >> 32) & (ks->nslots - 1);
}

static int in_memory(const struct kn_keyset *ks, unsigned long long stored)
{
	for (size_t i = home(ks, stored);; i = (i + 1) & (ks->nslots - 1)) {
		if (ks->slot[i] == stored)
			return 1;
		if (ks->slot[i] == 0)
			return 0;
	}
}

static void put(struct kn_keyset *ks, unsigned long long stored)
{
	size_t i = home(ks, stored);
	while (ks->slot[i] != 0 && ks->slot[i] != stored)
		i = (i + 1) & (ks->nslots - 1);
	if (ks->slot[i] == 0) {
		ks->slot[i] = stored;
		ks->count++;
	}
}

static kn_status grow(struct kn_keyset *ks, struct kn_err *err)
{
	unsigned long long *old = ks->slot;
	size_t n = ks->nslots;
	unsigned long long *fresh = calloc(n * 2, sizeof *fresh);

	if (fresh == NULL)
		return kn_err_set(err, KN_FAIL, "out of memory");
	ks->slot = fresh;
	ks->nslots = n * 2;
	ks->count = 0;
	for (size_t i = 0; i < n; i++)
		if (old[i])
			put(ks, old[i]);
	free(old);
	return KN_OK;
}

static int by_value(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
	return (x > y) - (x < y);
}

/* Sorted, the keys go into the table's B-tree in one ordered pass.  (A
 * call up into store/: the spill table lives in the caller's database.) */
static kn_status spill(struct kn_keyset *ks, struct kn_err *err)
{
	kn_status s;
	size_t n = 0;

	if (ks->insert == NULL &&
	    ((s = kn_exec(ks->db, "PRAGMA temp.cache_size = -4096;"
	                          "CREATE TEMP TABLE IF NOT EXISTS kn_keys (k INTEGER PRIMARY KEY);"
	                          "DELETE FROM temp.kn_keys;", err)) != KN_OK ||
	     (s = kn_prepare(ks->db, "INSERT OR IGNORE INTO temp.kn_keys (k) VALUES (?)",
	                     &ks->insert, err)) != KN_OK ||
	     (s = kn_prepare(ks->db, "SELECT 1 FROM temp.kn_keys WHERE k = ?", &ks->select,
	                     err)) != KN_OK))
		return s;
	for (size_t i = 0; i < ks->nslots; i++)
		if (ks->slot[i])
			ks->slot[n++] = ks->slot[i];
	qsort(ks->slot, n, sizeof *ks->slot, by_value);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(ks->insert, 1, (long long)(ks->slot[i] - 1));
		int rc = sqlite3_step(ks->insert);
		sqlite3_reset(ks->insert);
		if (rc != SQLITE_DONE)
			return kn_sql_fail(ks->db, err, "keeping the keys seen");
	}
	memset(ks->slot, 0, ks->nslots * sizeof *ks->slot);
	ks->count = 0;
	ks->spilled += (long long)n;
	return KN_OK;
}

kn_status kn_keyset_new(struct kn_db *db, size_t max_bytes, struct kn_keyset **out,
                        struct kn_err *err)
{
	struct kn_keyset *ks = calloc(1, sizeof *ks);

	*out = NULL;
	if (ks == NULL || (ks->slot = calloc(FIRST_SLOTS, sizeof *ks->slot)) == NULL) {
		free(ks);
		return kn_err_set(err, KN_FAIL, "out of memory");
	}
	ks->db = db;
	ks->nslots = FIRST_SLOTS;
	ks->max_slots = FIRST_SLOTS;
	while (ks->max_slots * 2 * sizeof *ks->slot <= max_bytes)
		ks->max_slots *= 2;
	*out = ks;
	return KN_OK;
}

kn_status kn_keyset_add(struct kn_keyset *ks, long long key, struct kn_err *err)
{
	unsigned long long stored = (unsigned long long)key + 1;
	kn_status s;

	if (key < 0)
		return kn_err_set(err, KN_FAIL, "key %lld out of range", key);
	if (in_memory(ks, stored))
		return KN_OK;
	if ((ks->count + 1) * 4 > ks->nslots * 3 &&
	    (s = ks->nslots < ks->max_slots ? grow(ks, err) : spill(ks, err)) != KN_OK)
		return s;
	put(ks, stored);
	return KN_OK;
}

kn_status kn_keyset_has(struct kn_keyset *ks, long long key, int *found, struct kn_err *err)
{
	*found = key >= 0 && in_memory(ks, (unsigned long long)key + 1);
	if (*found || ks->select == NULL || key < 0)
		return KN_OK;
	sqlite3_bind_int64(ks->select, 1, key);
	int rc = sqlite3_step(ks->select);
	sqlite3_reset(ks->select);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kn_sql_fail(ks->db, err, "looking up the keys seen");
	*found = rc == SQLITE_ROW;
	return KN_OK;
}

long long kn_keyset_spilled(const struct kn_keyset *ks)
{
	return ks->spilled;
}

void kn_keyset_free(struct kn_keyset *ks)
{
	if (ks == NULL)
		return;
	sqlite3_finalize(ks->insert);
	sqlite3_finalize(ks->select);
	if (ks->spilled) {
		struct kn_err ignored = { 0 };
		(void)kn_exec(ks->db, "DELETE FROM temp.kn_keys", &ignored);
	}
	free(ks->slot);
	free(ks);
}
