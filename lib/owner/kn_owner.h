/* Owner helpers shared by the owner modules (lib only). */
#ifndef KN_OWNER_H
#define KN_OWNER_H

#include "base/kn_internal.h"

/* The owners table's secondary indexes, as migration 1 made them; an import
 * into an empty table drops them and builds them again after the load. */
#define KN_OWNER_INDEXES_SQL \
	"CREATE INDEX owners_email ON owners (email COLLATE NOCASE, last_name COLLATE NOCASE);" \
	"CREATE INDEX owners_name ON owners (last_name COLLATE NOCASE, first_name COLLATE NOCASE);" \
	"CREATE INDEX owners_username_nocase ON owners (username COLLATE NOCASE);"
#define KN_OWNER_INDEXES_DROP_SQL \
	"DROP INDEX owners_email; DROP INDEX owners_name; DROP INDEX owners_username_nocase;"

void kn_owner_from_row(sqlite3_stmt *st, struct kn_owner *o);
kn_status kn_username_free(struct kn_db *db, const char *username, long long self,
                           struct kn_err *err);
/* Checks names, email (normalised into email), username and external id. */
kn_status kn_owner_validate(struct kn_db *db, struct kn_owner_change *c, long long self,
                            char email[256], struct kn_err *err);

struct kn_import;
/* The owner a row names by owner_external_id, owner_email or owner_id:
 * KN_FAIL when it names none (err says why: the row's reject reason);
 * KN_TEMPFAIL when the database is busy (the import stops). */
kn_status kn_import_owner(struct kn_import *in, const char *ext, const char *email,
                          const char *id, long long *owner, struct kn_err *err);
/* Every portal session of the owner (0: everyone's) ends, with why:
 * a password change, revoked credentials, a closed account (owner/creds.c). */
kn_status kn_sessions_end_owner(struct kn_db *db, long long owner_id, const char *why,
                                long long *ended, struct kn_err *err);
/* The owner's login (0: everyone's) ends: every session as above, and the
 * calendar feed, whose link is as good as a password to the bookings.
 * Takes the caller's transaction. */
kn_status kn_login_end(struct kn_db *db, long long owner_id, const char *why, long long *ended,
                       struct kn_err *err);

#endif
