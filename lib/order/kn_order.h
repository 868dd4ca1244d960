/* Orders and packages shared inside the library. */
#ifndef KN_ORDER_H
#define KN_ORDER_H

#include "base/kn_internal.h"

kn_status kn_package_history_add(struct kn_db *db, long long pkg, const char *action,
                                 long long left_before, long long left_after,
                                 const char *end_before, const char *end_after, const char *note,
                                 struct kn_err *err);

/* The owner's open cart, made when there is none.
 * Transaction: the caller's (so are all below). */
kn_status kn_cart_open(struct kn_db *db, long long owner, long long *order, struct kn_err *err);
/* A line of qty x price_cents; visit 0: not a visit's. */
kn_status kn_cart_add(struct kn_db *db, long long order, long long product, long long qty,
                      long long price_cents, long long visit, struct kn_err *err);
kn_status kn_cart_total(struct kn_db *db, long long order, long long *total, struct kn_err *err);
/* The lines a visit put in the cart, taken out again. */
kn_status kn_cart_drop_visit(struct kn_db *db, long long order, long long visit,
                             struct kn_err *err);
/* days taken from a package (negative: given back), with action and note
 * in its history; never below 0, and refused past its end when valid_on
 * (YYYY-MM-DD) is given.  'package use' and the desk both go through it. */
kn_status kn_package_days(struct kn_db *db, long long pkg, long long days, const char *valid_on,
                          const char *action, const char *note, struct kn_err *err);

/* The product staff never add by hand (the late fee, the deposit line),
 * found by name and type, made on first use, not shown to owners. */
kn_status kn_product_made(struct kn_db *db, const char *name, const char *type,
                          long long price_cents, long long *id, struct kn_err *err);
/* A boarding request just approved: its deposit invoiced (a due order
 * "Deposit for request N") when portal.boarding_deposit asks for one and
 * it has none yet. */
kn_status kn_deposit_invoice(struct kn_db *db, long long request, struct kn_err *err);
/* A sign-out of the request's stay: the deposit invoiced for it comes off
 * (at most *charged) in a line of cart naming the deposit's order, once
 * per stay; *charged is lowered by it. */
kn_status kn_deposit_deduct(struct kn_db *db, long long request, long long cart,
                            long long visit, long long *charged, struct kn_err *err);

#endif
