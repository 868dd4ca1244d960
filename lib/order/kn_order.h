/* Orders and packages shared inside the library. */
#ifndef KN_ORDER_H
#define KN_ORDER_H

#include "base/kn_internal.h"

kn_status kn_package_history_add(struct kn_db *db, long long pkg, const char *action,
                                 long long left_before, long long left_after,
                                 const char *end_before, const char *end_after, const char *note,
                                 struct kn_err *err);

#endif
