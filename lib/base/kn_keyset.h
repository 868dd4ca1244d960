/*
 * An exact set of 63-bit keys with bounded memory (lib only).
 *
 * Imports into an empty table remember a hash of every key a later row
 * could match on, to learn without an index that a row matches nobody.
 * Kept in memory (open addressing, growing to at most max_bytes) until it
 * is full; then its keys are sorted and written to a temp table in key
 * order, which costs a pass over that table instead of a random B-tree
 * insert per key, and memory stays where it was whatever the input's size.
 * The temp table lives in the caller's transaction on db; one key set at a
 * time per handle, since they would share it.
 */
#ifndef KN_KEYSET_H
#define KN_KEYSET_H

#include "base/kn_internal.h"

struct kn_keyset;

/* max_bytes bounds the memory of the keys held in memory; the first table
 * takes 32 KiB whatever it says */
kn_status kn_keyset_new(struct kn_db *db, size_t max_bytes, struct kn_keyset **out,
                        struct kn_err *err);
/* key in [0, 2^63) */
kn_status kn_keyset_add(struct kn_keyset *ks, long long key, struct kn_err *err);
kn_status kn_keyset_has(struct kn_keyset *ks, long long key, int *found, struct kn_err *err);
/* how many keys were moved to the temp table (for tests and benchmarks) */
long long kn_keyset_spilled(const struct kn_keyset *ks);
/* frees the memory and empties the temp table; NULL is fine */
void kn_keyset_free(struct kn_keyset *ks);

#endif
