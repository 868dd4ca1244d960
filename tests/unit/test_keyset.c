/* Unit tests of the import's key set, as TAP, on a real database file:
 * every key added is found and no other, in memory and after spills to
 * the temp table, and the transaction's rollback leaves nothing behind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/kn_keyset.h"

static int n, failed;

static void ok(int cond, const char *what)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - unit: keyset: %s\n", cond ? "" : "not ", n, what);
}

/* spread like the import's hashes, but reproducible: a 63-bit mix of i */
static long long key_of(long long i)
{
	unsigned long long x = (unsigned long long)(i + 1) * 0x9E3779B97F4A7C15ULL;
	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 32;
	return (long long)(x >> 1);
}

/* adds keys base..base+count-1 (each twice, the second time after all the
 * others); 1 when every one is found, and neither the count keys after them
 * nor those of the sets before (0..base-1) are */
static int exact(struct kn_db *db, size_t max_bytes, long long base, long long count,
                 long long *spilled)
{
	struct kn_keyset *ks;
	struct kn_err err = { 0 };
	int found, good = 1;

	if (kn_keyset_new(db, max_bytes, &ks, &err) != KN_OK)
		return 0;
	for (int round = 0; round < 2; round++)
		for (long long i = base; i < base + count; i++)
			if (kn_keyset_add(ks, key_of(i), &err) != KN_OK)
				good = 0;
	for (long long i = 0; i < base + 2 * count && good; i++)
		if (kn_keyset_has(ks, key_of(i), &found, &err) != KN_OK ||
		    found != (i >= base && i < base + count))
			good = 0;
	/* the extremes of the range, never added */
	if (kn_keyset_has(ks, 0, &found, &err) != KN_OK || found ||
	    kn_keyset_has(ks, 0x7FFFFFFFFFFFFFFFLL, &found, &err) != KN_OK || found)
		good = 0;
	*spilled = kn_keyset_spilled(ks);
	kn_keyset_free(ks);
	return good;
}

int main(void)
{
	char dir[] = "/tmp/kennel-keyset-XXXXXX", path[64];
	struct kn_db *db;
	struct kn_err err = { 0 };
	long long spilled;
	int created;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof path, "%s/k.db", dir);
	struct kn_db_options o = { .path = path, .create = 1, .actor = "test", .command = "unit" };
	if (kn_db_open(&o, &db, &created, &err) != KN_OK) {
		printf("not ok 1 - unit: keyset: opening %s: %s\n", path, err.msg);
		return 1;
	}
	kn_tx_begin(db, &err);
	ok(exact(db, 1u << 20, 0, 1000, &spilled) && spilled == 0,
	   "1,000 keys in memory: each found, no other");
	ok(exact(db, 4u << 20, 0, 200000, &spilled) && spilled == 0,
	   "200,000 keys grow the table in memory up to 4 MiB, none spilled");
	ok(exact(db, 64u << 10, 0, 100000, &spilled) && spilled >= 100000 - 6144,
	   "100,000 keys in 64 KiB: spilled in sorted runs, each found, no other");
	ok(exact(db, 64u << 10, 100000, 100000, &spilled) && spilled > 0,
	   "a second set after the first was freed holds none of the first's keys");
	kn_tx_rollback(db);

	struct kn_keyset *ks;
	int found = 1;
	ok(kn_keyset_new(db, 1024, &ks, &err) == KN_OK &&
	   kn_keyset_add(ks, -1, &err) == KN_FAIL && strstr(err.msg, "-1") &&
	   kn_keyset_has(ks, -1, &found, &err) == KN_OK && !found,
	   "a negative key is refused, never found");
	kn_keyset_free(ks);
	kn_db_close(db);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	if (system(path) != 0)
		failed++;
	printf("1..%d\n", n);
	return failed != 0;
}
