/* Requests shared inside the library. */
#ifndef KN_REQUEST_H
#define KN_REQUEST_H

#include "base/kn_internal.h"

struct kn_req {
	long long id;
	char service[16], status[16], requested_at[20];
	kn_day first, last;          /* occupied days, inclusive */
	long long pets[KN_MAX_PETS];
	int npets;
	int chosen;
	struct kn_verdict verdict;   /* request auto: the rules' findings */
};

int kn_service_ok(const char *s);
/* KN_USAGE naming the value and the choices unless service is one. */
kn_status kn_service_check(const char *service, struct kn_err *err);
void kn_request_days(const char *service, kn_day start, kn_day end, kn_day *first, kn_day *last);
kn_status kn_request_load(struct kn_db *db, long long id, struct kn_req *r, struct kn_err *err);
/* The preferences the approval rules read, read once per run. */
struct kn_rules {
	int require_vaccinations, require_temperament;
	int owner_words;            /* reasons told to the owner, not to staff: */
	int date_style;             /* sentences, the dates in display.date */
	struct kn_buf required[5];  /* each service's required vaccines, a JSON array */
};
kn_status kn_rules_load(struct kn_db *db, struct kn_rules *rules, struct kn_err *err);
void kn_rules_free(struct kn_rules *rules);
/* Every rule but capacity: a closed period, the pet already booked, the
 * vaccinations, the temperament test, into v (each rule that refused
 * told); a rule that cannot be checked is an error, never an approval. */
kn_status kn_request_rules(struct kn_db *db, struct kn_rules *rules, const struct kn_req *r,
                           struct kn_verdict *v, struct kn_err *err);
/* *limited 0: no capacity set for that day, so no limit (units unset). */
kn_status kn_capacity_on(struct kn_db *db, const char *service, kn_day day, int *limited,
                         long long *units, struct kn_err *err);
kn_status kn_units_taken(struct kn_db *db, const char *service, kn_day day, const char *status,
                         long long *n, struct kn_err *err);
kn_status kn_request_set_status(struct kn_db *db, long long id, const char *status,
                                const char *reason, int forced, struct kn_err *err);

/* Add-ons (product names or ids) of a boarding request, each shown to
 * owners and neither boarding nor daycare. */
kn_status kn_request_addons(struct kn_db *db, long long id, const char *service,
                            const char *const *addons, struct kn_err *err);
/* DATE or DATETHH:MM: *day, and time "HH:MM" when given ("" if not);
 * what names the option in the error. */
kn_status kn_request_when(const char *text, const char *what, kn_day *day, char time[6],
                          struct kn_err *err);
/* The product of a grooming, training or service request: ref an id or
 * a name, active and of the request's service. */
kn_status kn_request_product(struct kn_db *db, const char *service, const char *ref,
                             long long *product, struct kn_err *err);

/* The waitlist's parts (request/waitlist.c) for mail/waitlist_offer.c. */
int kn_offer_token_ok(const char *token);
/* *waiting 0 when nobody is waitlisted and no offer is open: nothing for
 * an offer pass to do (a business that does not use the waitlist pays one
 * read per cancel, not a write transaction). */
kn_status kn_waitlist_waiting(struct kn_db *db, int *waiting, struct kn_err *err);
/* Expired and withdrawn offers ended; requests whose day passed declined. */
kn_status kn_waitlist_tidy(struct kn_db *db, struct kn_waitlist_summary *sum, struct kn_err *err);
/* Asked of each waitlisted request that passes every rule now: *held 1
 * when it was offered the spot. */
typedef kn_status (*kn_waitlist_fit_cb)(void *ud, long long request, int *held,
                                        struct kn_err *err);
kn_status kn_waitlist_next(struct kn_db *db, kn_waitlist_fit_cb fit, void *ud, struct kn_err *err);
/* A new open offer for request, its token (base64url) into token. */
kn_status kn_waitlist_hold(struct kn_db *db, long long request, long hours, char *token,
                           size_t token_size, long long *offer, char expires[20],
                           struct kn_err *err);

#endif
