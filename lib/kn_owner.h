/* Owner helpers shared by the owner modules (lib only). */
#ifndef KN_OWNER_H
#define KN_OWNER_H

#include "kn_internal.h"

void kn_owner_from_row(sqlite3_stmt *st, struct kn_owner *o);
kn_status kn_username_free(struct kn_db *db, const char *username, long long self,
                           struct kn_err *err);
/* Checks names, email (normalised into email), username and external id. */
kn_status kn_owner_validate(struct kn_db *db, struct kn_owner_change *c, long long self,
                            char email[256], struct kn_err *err);

#endif
