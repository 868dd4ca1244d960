/* Credential helpers shared inside the library. */
#ifndef KN_CREDS_H
#define KN_CREDS_H

#include "base/kn_internal.h"

kn_status kn_crypto_init(struct kn_err *err);
/* The hash a link's token is stored as (reset tokens, portal sessions,
 * waitlist offers): BLAKE2b-256, in hex.  Each token carries 256 random
 * bits, so a fast hash makes a stolen database useless for using them. */
void kn_token_digest(const char *token, char hex[65]);
/* generated: a 128-bit random secret, hashed at MIN limits (see creds.c) */
kn_status kn_password_hash(const char *password, int generated, char out[128],
                           struct kn_err *err);

/* The owner a reset token is good for; KN_FAIL naming why when it is not
 * (unknown, used, expired). */
kn_status kn_creds_token_check(struct kn_db *db, const char *token, long long *owner_id,
                               long long *token_id, struct kn_err *err);

/* The password rules of creds set and of the portal's forms: 8 to 1,024
 * characters, not the username, not a common password (the list in
 * share/kennel/common-passwords.txt, compiled in). */
kn_status kn_password_policy(const char *password, const char *username, struct kn_err *err);
int kn_password_common(const char *password);

#endif
