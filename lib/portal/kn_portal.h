/*
 * The owner portal inside libkennel: one request as the handlers see it,
 * the route table, and the stores behind sessions, throttling and
 * registrations.  serve.c owns libmicrohttpd and hands each request here
 * already read; handlers never see an MHD type.
 *
 * Transactions: each handler that writes owns its transaction
 * (kn_tx_begin..commit on the request's handle); a page view writes
 * nothing (a session's last-seen time, at most once a minute, aside).
 */
#ifndef KN_PORTAL_H
#define KN_PORTAL_H

#include "portal/kn_web.h"

#define KN_SESSION_ABSOLUTE_HOURS 8
#define KN_THROTTLE_MINUTES 15
#define KN_THROTTLE_PER_USER 5
#define KN_THROTTLE_PER_CLIENT 20
/* mails a portal form may send to one address, and forms that mail any
 * address one client may send, in an hour */
#define KN_ASKS_PER_TARGET 3
#define KN_ASKS_PER_CLIENT 10
#define KN_TOKEN_CHARS 44 /* 32 bytes, base64url, and a NUL */

struct kn_srv;

/* What the portal reads from the company and the preferences: re-read when
 * the database changes (at most once a second), so 'kennel company set' or
 * 'prefs set portal.session_idle_minutes' needs no restart. */
struct kn_settings {
	int https;                    /* the portal URL is https:// */
	long idle_minutes;
	int single_session;
	int self_register;            /* portal.self_register */
	char company_name[256];
	/* the footer and the header of every page */
	char company_phone[64], company_address[256], company_hours[256];
	int has_logo;
	int date_style;               /* display.date, a KN_DATES_* style */
};

struct kn_page_req {
	struct kn_srv *srv;
	struct kn_arena arena;
	const char *method, *path;   /* the path decoded, as routed */
	const char *uri;             /* as sent, query included */
	char client[64];
	struct kn_form query, form;
	long long id;                 /* the number in /pets/ID */
	const char *arg;              /* the token in /offers/TOKEN (ends at '/' or the end) */
	const unsigned char *file;    /* an upload route's file, as sent (file_len bytes) */
	size_t file_len;
	const char *file_name;
	const char *cookie_header, *sec_fetch_site;
	struct kn_db *db;             /* taken from the pool when first needed */
	struct kn_settings set;       /* as of this request */
	int reading;                  /* a GET: the handle comes with a read transaction */
	unsigned long long gen;       /* the database's generation before any read (0: none) */

	/* the session, when the request has a live one */
	long long owner_id;
	int session_route;            /* forms are bound to the session, not the pre-session cookie */
	char token[KN_TOKEN_CHARS];   /* the session cookie, or the pre-session one */
	char token_hash[65];          /* the session's, once it is found */
	char ended_why[96];           /* why the session in the cookie ended */

	/* the answer */
	unsigned status;
	struct kn_buf body;
	const char *content_type;
	const char *location;
	const char *allow;            /* 405: the methods the path takes */
	const char *cookies[4];
	int ncookies;
	int retry_after;
	int no_store;
	struct kn_hctx *page;         /* what the page's template can use */
};

typedef kn_status (*kn_route_fn)(struct kn_page_req *r, struct kn_err *err);
struct kn_route {
	const char *method;
	const char *path;   /* '#' stands for an id, '*' for a link's token */
	kn_route_fn fn;
	int session;        /* without one: 303 to /login?next= */
	int csrf;           /* the form must carry the csrf field */
	int upload;         /* POST takes multipart/form-data with one file "papers" */
};
extern const struct kn_route kn_routes[];

/* Every handler, declared once here and listed in routes.c. */
#define KN_ROUTE_HANDLERS(X) \
	X(healthz) X(style) X(logo) X(home) \
	X(login_form) X(login) X(logout) X(forgot_form) X(forgot) X(reset_form) X(reset) \
	X(register_form) X(register) X(register_sent) X(register_confirm_form) \
	X(register_confirm) \
	X(account) X(account_save) X(account_password) \
	X(pets) X(pet) X(pet_new_form) X(pet_new) X(pet_save) X(pet_papers_form) X(pet_papers) \
	X(requests) X(request_new) X(request_create) X(request_cancel_form) X(request_cancel) \
	X(request_change_form) X(request_change) X(offer) X(offer_confirm) \
	X(calendar) X(calendar_key) X(calendar_ics) X(packages) X(purchases) X(visits) \
	X(billing) X(billing_order) X(billing_statement) X(packages_buy_form) X(packages_buy) \
	X(contact_form) X(contact)
#define KN_ROUTE_DECLARE(name) kn_status kn_route_##name(struct kn_page_req *r, struct kn_err *err);
KN_ROUTE_HANDLERS(KN_ROUTE_DECLARE)
#undef KN_ROUTE_DECLARE
/* serve.c hands each request, read whole, to this */
/* Whether method and path name a route that takes a file. */
int kn_portal_upload_route(const char *method, const char *path);
void kn_portal_dispatch(struct kn_page_req *r, struct kn_err *err);

/* ---- what serve.c gives the handlers ------------------------------- */

struct kn_db *kn_req_db(struct kn_page_req *r, struct kn_err *err);
const char *kn_srv_dummy_hash(const struct kn_srv *s);
/* What the throttle counts a username by: the name in any case, hashed
 * with a key of this server's run, so the failures table never holds what
 * was typed (often a password, in the wrong field). */
#define KN_THROTTLE_KEY_CHARS 33
void kn_srv_throttle_key(const struct kn_srv *s, const char *username,
                         char out[KN_THROTTLE_KEY_CHARS]);
const char *kn_srv_template(const struct kn_srv *s, const char *name);
const char *kn_srv_mail_templates(const struct kn_srv *s);
const unsigned char *kn_srv_key(const struct kn_srv *s);
/* r->set from the server's, read again first if the database changed */
kn_status kn_srv_settings(struct kn_page_req *r, struct kn_err *err);
void kn_srv_log(struct kn_srv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct kn_cache *kn_srv_cache(const struct kn_srv *s);
/* Wakes the mailer: what was just queued leaves now, in the background. */
void kn_srv_mail_wake(struct kn_srv *s);

/* ---- answering (frame.c) ------------------------------------ */

/* The page tmpl inside the layout, with r->page's values, at status. */
kn_status kn_page(struct kn_page_req *r, unsigned status, const char *tmpl, const char *title,
                  struct kn_err *err);
void kn_redirect(struct kn_page_req *r, const char *location);
/* 404 for what does not exist, and for what is not the owner's (never 403:
 * no probing of other owners' ids) */
kn_status kn_not_found(struct kn_page_req *r, struct kn_err *err);
/* The tail of a form that queued mail: s (the handler's status so far),
 * then the commit, the mailer woken and 303 to location; the first
 * failure is returned, its transaction ended by the pool. */
kn_status kn_commit_mailed(struct kn_page_req *r, struct kn_db *db, kn_status s,
                           const char *location, struct kn_err *err);
/* The confirmation a redirect asked for (?notice=code), in our words. */
const char *kn_notice(struct kn_page_req *r);
void kn_set_cookie(struct kn_page_req *r, const char *name, const char *value, long max_age);
const char *kn_cookie_name(const struct kn_page_req *r, const char *base);
/* The csrf field of a form: bound to the session, or to the pre-session
 * cookie (made here when missing) for the forms before a login. */
const char *kn_csrf_token(struct kn_page_req *r);
int kn_csrf_ok(struct kn_page_req *r);
/* A field given once, trimmed; *bad set and the form's error shown when it
 * came twice. */
const char *kn_field(struct kn_page_req *r, const char *name, int *bad);
/* A form's csrf field, and an empty value (v_NAME) and error (e_NAME) for
 * each field the handler did not set; e_form for the form's own error. */
void kn_form_defaults(struct kn_page_req *r, const char *const *fields);
/* A field's error, shown next to it (class "error"). */
void kn_field_error(struct kn_page_req *r, const char *field, const char *msg);
/* 429 on the form's own page: the client asked for too many mails
 * (kn_mail_ask) this hour */
kn_status kn_asked_too_often(struct kn_page_req *r,
                             kn_status (*page)(struct kn_page_req *, unsigned, struct kn_err *),
                             struct kn_err *err);
/* next= of a form: a path on this site, else "/" */
const char *kn_safe_next(const char *next);
/* Audit as the owner: actor owner:ID, command "portal". */
void kn_req_act_as_owner(struct kn_page_req *r);

/* ---- sessions, throttle, keys (store.c) --------------------- */

kn_status kn_portal_key(struct kn_db *db, unsigned char key[32], struct kn_err *err);
void kn_token_new(char out[KN_TOKEN_CHARS]);
kn_status kn_session_create(struct kn_db *db, long long owner_id, const char *client,
                            int single, char token[KN_TOKEN_CHARS], struct kn_err *err);
/* The session a token hash (kn_token_digest) names: *owner_id 0 when none is live;
 * why then says why a session that existed ended ("" if none did). */
kn_status kn_session_lookup(struct kn_db *db, const char *hash, long idle_minutes,
                            long long *owner_id, char *why, size_t whylen, char created[20],
                            char seen[20], struct kn_err *err);
/* Whether a session read at created/seen is still live now (the idle and
 * the absolute limit), and whether its last-seen time is due a rewrite
 * (a tenth of the idle window, at most a minute, which the idle limit
 * grants: never early, at most that much late). */
enum kn_session_state { KN_SESSION_LIVE, KN_SESSION_IDLE, KN_SESSION_TOO_OLD };
enum kn_session_state kn_session_live(const char *created, const char *seen,
                                      long idle_minutes, int *stale);
kn_status kn_session_end(struct kn_db *db, const char *token, struct kn_err *err);
/* A password is about to be verified for name (a login's throttle key)
 * from client.  *throttled when KN_THROTTLE_PER_USER attempts for that
 * name, or KN_THROTTLE_PER_CLIENT from that client, failed within
 * KN_THROTTLE_MINUTES; otherwise the attempt is recorded as failed before
 * the verification, so parallel guesses cannot outrun the count, and
 * *attempt names it for kn_login_attempt_ok once the password matched.
 * In the caller's transaction, which must be committed before the
 * verification. */
kn_status kn_login_attempt_begin(struct kn_db *db, const char *name, const char *client,
                                 int *throttled, long long *attempt, struct kn_err *err);
kn_status kn_login_attempt_ok(struct kn_db *db, long long attempt, struct kn_err *err);
/* A form asks for a mail to target (an email address or a login, as
 * typed, lowercased) on behalf of client: *target_ok when fewer than
 * KN_ASKS_PER_TARGET asks named that target in the last hour, *client_ok
 * when fewer than KN_ASKS_PER_CLIENT came from that client.  The ask is
 * recorded unless the client is over its cap.  In the caller's
 * transaction. */
kn_status kn_mail_ask(struct kn_db *db, const char *kind, const char *target,
                      const char *client, int *target_ok, int *client_ok, struct kn_err *err);
/* The hash to verify for username: *usable 0 for an unknown, inactive or
 * must-reset account (the caller then verifies the dummy hash). */
kn_status kn_login_lookup(struct kn_db *db, const char *username, long long *owner_id,
                          char hash[128], int *usable, struct kn_err *err);

/* ---- the owner's pages ------------------------------------------------ */

struct kn_module {
	const char *service, *menu, *title;
};
extern const struct kn_module kn_modules[];
/* portal.SERVICE: off, request or schedule */
kn_status kn_module_mode(struct kn_db *db, const char *service, char *mode, size_t len,
                         struct kn_err *err);
/* The menu of the modules portal.* leaves on, as the list "menu". */
kn_status kn_menu_fill(struct kn_db *db, struct kn_hctx *c, struct kn_err *err);
/* ---- what a request form offers to choose (choices.c) ---- */
struct kn_choice_sel {          /* what is checked: ids as text */
	const char *pets[KN_MAX_PETS * 4];
	size_t npets;
	const char *addons[32];
	size_t naddons;
	const char *product;
};
/* The pets, add-ons (boarding) and products (grooming, training,
 * service) of a form, as lists "pets", "addons", "products" with
 * has_addons and has_products, each checked as sel says. */
kn_status kn_choices_put(struct kn_page_req *r, struct kn_db *db, const char *service,
                         const struct kn_choice_sel *sel, struct kn_err *err);
/* sel as the form posted it (a form shown again keeps it) */
void kn_choices_posted(struct kn_page_req *r, struct kn_choice_sel *sel);
struct kn_choices {             /* what the form chose, checked */
	long long pets[KN_MAX_PETS];
	int npets;
	const char *addons[33];     /* NULL-terminated */
	size_t naddons;
	const char *product;        /* NULL: none chosen */
};
/* The choices posted: each error shown by its field (*bad set); *foreign
 * when an id was never offered (another owner's pet, a hidden product):
 * the caller answers 404. */
kn_status kn_choices_read(struct kn_page_req *r, struct kn_db *db, const char *service,
                          struct kn_choices *c, int *bad, int *foreign, struct kn_err *err);
/* After a cancel or a change committed: the freed spot offered to the
 * waitlist (offers.c); a failure is logged, never the owner's page. */
void kn_portal_waitlist_freed(struct kn_page_req *r, struct kn_db *db);
kn_status kn_home_fill(struct kn_db *db, struct kn_arena *a, long long owner_id, int date_style,
                       struct kn_hctx *c, struct kn_err *err);

/* ---- answers kept between page views (cache.c) ----------------- */

struct kn_cache;
struct kn_cache *kn_cache_new(const char *db_path);
void kn_cache_free(struct kn_cache *c);
/* Changes with every commit to the database, by any process; 0: unknown. */
unsigned long long kn_cache_generation(struct kn_cache *c);
int kn_cache_session_get(struct kn_cache *c, const char *hash, unsigned long long gen,
                         long long *owner, char created[20], char seen[20]);
void kn_cache_session_put(struct kn_cache *c, const char *hash, unsigned long long gen,
                          long long owner, const char *created, const char *seen);
const char *kn_cache_page_get(struct kn_cache *c, const char *key, unsigned long long gen,
                              struct kn_arena *a);
void kn_cache_page_put(struct kn_cache *c, const char *key, unsigned long long gen,
                       const char *html);
/* The layout around a body already rendered (kn_page renders tmpl first). */
kn_status kn_page_body(struct kn_page_req *r, unsigned status, const char *body,
                       const char *title, struct kn_err *err);
/* tmpl with r->page's values, into a string of the request's arena */
kn_status kn_render_part(struct kn_page_req *r, const char *tmpl, const char **html,
                         struct kn_err *err);

/* Queues a portal mail from the template, to the owner (owner_id > 0) or
 * to the address to; extra names/values add to the owner's fields. */
struct kn_portal_mail {
	const char *kind, *template_name, *to, *reply_to;
	long long owner_id;
	const char *link;           /* {{reset_url}} / {{link}} */
	const char *const *names, *const *values;
	size_t n;
	int secret;
};
kn_status kn_portal_mail_queue(struct kn_db *db, const struct kn_portal_mail *m,
                               const char *template_dir, struct kn_err *err);
/* How many mails of a kind went to the owner in the last seconds: the
 * portal's rate limits (3 reset links an hour, 10 messages a day). */
kn_status kn_outbox_count_since(struct kn_db *db, const char *kind, long long owner_id,
                                long seconds, int *n, struct kn_err *err);

#endif
