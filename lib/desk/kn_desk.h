/* The front desk, shared inside lib/desk. */
#ifndef KN_DESK_H
#define KN_DESK_H

#include "base/kn_internal.h"

/* The area named name: its id and capacity (-1: none). */
kn_status kn_area_find(struct kn_db *db, const char *name, long long *id, long long *capacity,
                       struct kn_err *err);
/* Refused when area is full (its pets signed in), unless force. */
kn_status kn_area_room(struct kn_db *db, long long area, long long capacity, const char *name,
                       int force, struct kn_err *err);
/* at NULL: now; HH:MM: today at that time; else a time of SPEC 1. */
kn_status kn_desk_time(const char *at, char out[20], struct kn_err *err);
/* The package type whose days a service's visit uses. */
const char *kn_desk_package_type(const char *service);

/* The pet at the desk: its id, owner and name. */
struct kn_desk_pet {
	long long id, owner;
	char name[128];
};
kn_status kn_desk_pet(struct kn_db *db, const char *ref, struct kn_desk_pet *pt,
                      struct kn_err *err);
/* The pet's visit that is in now; id 0 when there is none. */
struct kn_desk_visit {
	long long id, request;
	char service[16], day[11], in_at[20];
};
kn_status kn_desk_visit_in(struct kn_db *db, const struct kn_desk_pet *pt,
                           struct kn_desk_visit *v, struct kn_err *err);

#endif
