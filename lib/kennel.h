/*
 * libkennel: the one public header of the kennel library.
 *
 * Everything that touches SQLite, CSV, JSON, mail or cryptography lives
 * behind these functions.  They return a kn_status and, on failure, fill a
 * struct kn_err with a one-line message; the library never prints a
 * diagnostic and never exits.  The statuses are the process exit codes of
 * SPEC.md section 1, so cmd/ can return them unchanged.
 */
#ifndef KENNEL_H
#define KENNEL_H

#include <stdio.h>
#include <stddef.h>

#define KN_VERSION "0.1.0"

typedef enum kn_status {
	KN_OK = 0,
	KN_FAIL = 1,      /* not found, refused by a rule, invalid value */
	KN_USAGE = 2,     /* unknown command or option, malformed argument */
	KN_PARTIAL = 3,   /* batch done, some rows rejected */
	KN_TEMPFAIL = 75  /* EX_TEMPFAIL: try again later */
} kn_status;

struct kn_err {
	kn_status status;
	char msg[1024];
};

kn_status kn_err_set(struct kn_err *err, kn_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kn_err_clear(struct kn_err *err);

/* ---- values: dates, money, email, text ---------------------------- */

/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
typedef long kn_day;

kn_status kn_date_parse(const char *text, kn_day *out, struct kn_err *err);
/* "today", "tomorrow", "yesterday", "+N" or "-N" (N <= 36500): 1 and the
 * days from today in *days; anything else 0. */
int kn_date_relative(const char *text, long *days);
/* Dates as people read them (SPEC prefs display.date): KN_DATES_US
 * "Fri, Dec 4, 2026" (12/04/2026 in a table), KN_DATES_ISO 2026-12-04,
 * KN_DATES_DAY_MONTH "Fri 4 Dec 2026" (04/12/2026).  iso is a date or a
 * time; what is neither is returned as it is. */
enum { KN_DATES_US, KN_DATES_ISO, KN_DATES_DAY_MONTH };
#define KN_DATE_TEXT 32
int kn_date_style_parse(const char *name);
const char *kn_date_display(const char *iso, int style, int table, char out[KN_DATE_TEXT]);
/* HH:MM from 00:00 to 23:59, nothing after it: 1, else 0. */
int kn_clock_ok(const char *hhmm);
/* 0 Sunday to 6 Saturday. */
int kn_weekday(kn_day day);
/* HH:MM as people read it: "8:30 AM" in the us style, 08:30 otherwise. */
const char *kn_time_display(const char *hhmm, int style, char out[KN_DATE_TEXT]);
void kn_date_format(kn_day day, char out[11]);
/* "now" and "today" honour the values given to kn_clock_set. */
kn_status kn_clock_set(const char *today, const char *now, struct kn_err *err);
kn_day kn_today(void);
/* A time of SPEC.md 1 as YYYY-MM-DDTHH:MM:SS; anything else is an error. */
kn_status kn_time_parse(const char *text, char out[20], struct kn_err *err);
/* An IANA zone name that the system's zone database has. */
kn_status kn_timezone_check(const char *tz, struct kn_err *err);
/* "today", "now" and mail dates follow tz (NULL or "": the machine's zone);
 * kn_db_open sets the company's. */
void kn_clock_zone(const char *tz);
/* RFC 5322 date of a local YYYY-MM-DDTHH:MM:SS, with the zone's offset. */
void kn_rfc5322_date(const char *now, char out[40]);
void kn_now_text(char out[20]); /* YYYY-MM-DDTHH:MM:SS */
/* out = when + hours, both YYYY-MM-DDTHH:MM:SS */
void kn_time_add_hours(const char *when, long hours, char out[20]);
void kn_time_add_seconds(const char *when, long long seconds, char out[20]);
/* A YYYY-MM-DDTHH:MM:SS as seconds on one scale, for comparing times. */
long long kn_time_seconds(const char *when);

/* The ranges of SPEC.md section 1: past them a value is an error, never
 * wrapped or clamped. */
#define KN_MAX_ID (1LL << 53)
#define KN_MAX_COUNT 100000LL
#define KN_MAX_QTY 10000LL
#define KN_MAX_CENTS 1000000000LL /* $10,000,000 a line */
/* An id: digits only, 1..KN_MAX_ID; what names the value in the error. */
kn_status kn_id_parse(const char *text, const char *what, long long *id, struct kn_err *err);
/* A count: digits only, 0..max. */
kn_status kn_count_parse(const char *text, const char *what, long long max, long long *n,
                         struct kn_err *err);

kn_status kn_money_parse(const char *text, long long *cents, struct kn_err *err);
void kn_money_format(long long cents, char out[32]);

/* Validates per SPEC.md; on success writes the trimmed address to out. */
kn_status kn_email_check(const char *text, char *out, size_t outlen, struct kn_err *err);
int kn_utf8_valid(const char *s, size_t len);
/* A name as owners are matched (SPEC 4: ignoring case and accents): ASCII
 * lowercased, the accented Latin letters of U+00C0..U+017F to their base
 * (José, JOSE and jose are one).  Returns the length written to out. */
size_t kn_fold(const char *in, char *out, size_t outlen);
/* A one-line field (a name, a phone): valid UTF-8, no control character
 * (CR, LF, ESC, NUL, ...); multiline (an address, notes) lets line breaks
 * and tabs in.  The error names the field. */
kn_status kn_line_check(const char *field, const char *v, int multiline, struct kn_err *err);

/* ---- the database ------------------------------------------------- */

struct kn_db;

struct kn_db_options {
	const char *path;
	int create;            /* kennel init: create or upgrade */
	const char *actor;     /* who acts, for the audit log */
	const char *command;   /* "owner import", for the audit log */
	/* --dry-run: every check and every write is done, then all of it is
	 * rolled back when the handle closes; no mail leaves and no file but
	 * stdout and stderr is written.  Refused (KN_USAGE) with create. */
	int dry_run;
};

/* Transaction: its own, for a migration (each one whole). */
kn_status kn_db_open(const struct kn_db_options *opts, struct kn_db **out,
                     int *created, struct kn_err *err);
void kn_db_close(struct kn_db *db);
const char *kn_db_path(const struct kn_db *db);
int kn_db_dry_run(const struct kn_db *db);
int kn_schema_version_latest(void);
kn_status kn_db_versions(struct kn_db *db, int *schema, const char **sqlite_version,
                         struct kn_err *err);

/* Transactions: a batch is applied whole or not at all. */
kn_status kn_tx_begin(struct kn_db *db, struct kn_err *err);
kn_status kn_tx_commit(struct kn_db *db, struct kn_err *err);
void kn_tx_rollback(struct kn_db *db);

typedef void (*kn_line_cb)(void *ud, const char *line);
kn_status kn_db_check(struct kn_db *db, kn_line_cb problem, void *ud, int *problems,
                      struct kn_err *err);
kn_status kn_db_backup(struct kn_db *db, const char *dest, struct kn_err *err);

/* ---- transactions ------------------------------------------------ */

/* Every function below that changes the database says whose transaction
 * it runs in.  "The caller's": cmd/ or a portal route begins one with
 * kn_tx_begin, so that several calls are one step, applied whole or not at
 * all.  "Its own": a batch that begins and commits itself, never called
 * inside another transaction.  A function that only reads says nothing. */

/* ---- output: one record printer, three backends -------------------- */

enum kn_format { KN_FMT_TEXT, KN_FMT_CSV, KN_FMT_JSON };
struct kn_printer;

struct kn_printer *kn_printer_new(enum kn_format format, FILE *out);
/* Returns KN_FAIL when writing failed (errno tells why, EPIPE included). */
kn_status kn_printer_free(struct kn_printer *p);
/* A listing is an array of records; a lone record is one object. */
void kn_list_begin(struct kn_printer *p);
void kn_list_end(struct kn_printer *p);
void kn_rec_begin(struct kn_printer *p);
void kn_rec_end(struct kn_printer *p);
/* Nested values inside a record: JSON objects and arrays, indented in text,
 * left out of CSV rows. */
void kn_obj_begin(struct kn_printer *p, const char *key);
void kn_arr_begin(struct kn_printer *p, const char *key);
void kn_nest_end(struct kn_printer *p);
/* brief: 1 shown in the one-line-per-record human listing; KN_PEOPLE
 * there too but in text only, for a name beside an id (SPEC 1: scripts
 * have the id, a person reads the name) */
#define KN_PEOPLE 2
/* or'ed in: in text and CSV rows only, where JSON has the same value
 * nested (a flat package_id beside JSON's "package" object) */
#define KN_ROWS 4
void kn_put_str(struct kn_printer *p, const char *key, const char *value, int brief);
void kn_put_int(struct kn_printer *p, const char *key, long long value, int brief);
void kn_put_bool(struct kn_printer *p, const char *key, int value, int brief);
/* JSON gets key_cents as an integer; text and CSV get key as 12.50 */
void kn_put_money(struct kn_printer *p, const char *key, long long cents, int brief);

/* ---- audit log ---------------------------------------------------- */

struct kn_log_entry {
	long long id;
	const char *at, *actor, *command, *entity, *summary;
	long long entity_id;
	long long owner_id;  /* the owner it concerns; 0: none */
};
struct kn_log_filter {
	long long owner_id; /* 0: all */
	const char *since;  /* YYYY-MM-DD or NULL */
	long long limit;    /* 0: all */
};
typedef kn_status (*kn_log_cb)(void *ud, const struct kn_log_entry *e);
kn_status kn_log_each(struct kn_db *db, const struct kn_log_filter *f, kn_log_cb cb,
                      void *ud, struct kn_err *err);
void kn_log_print(struct kn_printer *p, const struct kn_log_entry *e);

/* ---- preferences and company -------------------------------------- */

struct kn_pref {
	const char *key, *type, *def, *help;
};
const struct kn_pref *kn_pref_table(size_t *count);
/* value is malloc'd; unknown key is KN_USAGE with the nearest key named. */
/* An int preference (validated when set, so it parses). */
kn_status kn_pref_int(struct kn_db *db, const char *key, long long *value, struct kn_err *err);
/* display.date as a KN_DATES_* style (US when it cannot be read). */
int kn_pref_date_style(struct kn_db *db);
/* A bool preference: *value 1 for "true". */
kn_status kn_pref_bool(struct kn_db *db, const char *key, int *value, struct kn_err *err);
kn_status kn_pref_get(struct kn_db *db, const char *key, char **value, int *is_default,
                      struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_pref_set(struct kn_db *db, const char *key, const char *value,
                      struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_pref_reset(struct kn_db *db, const char *key, struct kn_err *err);

#define KN_COMPANY_FIELDS(X) \
	X(name) X(email) X(phone) X(timezone) X(portal_url) X(reset_url) \
	X(webcam_url) X(message) X(address) X(hours) X(pay_url)
struct kn_company {
#define KN_FIELD_DECL(f) char *f;
	KN_COMPANY_FIELDS(KN_FIELD_DECL)
#undef KN_FIELD_DECL
};
kn_status kn_company_get(struct kn_db *db, struct kn_company *c, struct kn_err *err);
void kn_company_free(struct kn_company *c);
/* Sets the fields that are non-NULL in c.
 * Transaction: the caller's. */
kn_status kn_company_set(struct kn_db *db, const struct kn_company *c, struct kn_err *err);
void kn_company_print(struct kn_printer *p, const struct kn_company *c);
/* The logo the portal shows: a PNG or JPEG file up to 512 KiB, its type
 * read from its first bytes, never from its name; path "" removes it.
 * Transaction: the caller's. */
kn_status kn_company_logo_set(struct kn_db *db, const char *path, struct kn_err *err);
/* *data (malloc'd, NULL when there is none) and its media type. */
kn_status kn_company_logo_get(struct kn_db *db, unsigned char **data, size_t *len,
                              char type[16], struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_instructions_set(struct kn_db *db, const char *module, const char *text,
                              struct kn_err *err);
typedef kn_status (*kn_instr_cb)(void *ud, const char *module, const char *text);
/* One module's instructions, malloc'd; *text NULL when there are none. */
kn_status kn_instructions_get(struct kn_db *db, const char *module, char **text,
                              struct kn_err *err);
kn_status kn_instructions_each(struct kn_db *db, const char *module, kn_instr_cb cb,
                               void *ud, struct kn_err *err);

/* ---- owners ------------------------------------------------------- */

#define KN_OWNER_TEXT_FIELDS(X) \
	X(external_id) X(first_name) X(last_name) X(email) X(phone) \
	X(address) X(city) X(state) X(zip) X(username)

struct kn_owner {
	long long id;
#define KN_FIELD_DECL(f) const char *f;
	KN_OWNER_TEXT_FIELDS(KN_FIELD_DECL)
#undef KN_FIELD_DECL
	int has_password, must_reset, email_opt_out, active;
	const char *created_at, *updated_at;
};

/* An edit: NULL leaves a field alone, "" clears it. Flags: -1 leaves alone. */
struct kn_owner_change {
#define KN_FIELD_DECL(f) const char *f;
	KN_OWNER_TEXT_FIELDS(KN_FIELD_DECL)
#undef KN_FIELD_DECL
	int email_opt_out, active;
};
void kn_owner_change_init(struct kn_owner_change *c);

/* id, "ext:ID", username, or email matching exactly one owner */
kn_status kn_owner_resolve(struct kn_db *db, const char *ref, long long *id,
                           struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_owner_add(struct kn_db *db, const struct kn_owner_change *c, long long *id,
                       struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_owner_edit(struct kn_db *db, long long id, const struct kn_owner_change *c,
                        struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_owner_deactivate(struct kn_db *db, long long id, struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_owner_rm(struct kn_db *db, long long id, struct kn_err *err);

struct kn_owner_filter {
	const char *search;
	int with_username;    /* 1 with, -1 without, 0 either */
	int include_inactive;
	long long limit;
};
typedef kn_status (*kn_owner_cb)(void *ud, const struct kn_owner *o);
kn_status kn_owner_list(struct kn_db *db, const struct kn_owner_filter *f, kn_owner_cb cb,
                        void *ud, struct kn_err *err);
kn_status kn_owner_get(struct kn_db *db, long long id, kn_owner_cb cb, void *ud,
                       struct kn_err *err);
void kn_owner_print(struct kn_printer *p, const struct kn_owner *o);
/* The owner's record with notes (and, as they land, pets, packages,
 * requests), as one object. */
kn_status kn_owner_show(struct kn_db *db, long long id, struct kn_printer *p,
                        struct kn_err *err);

/* Transaction: the caller's. */
kn_status kn_owner_note_add(struct kn_db *db, long long owner_id, const char *text,
                            int show_to_owner, long long *note_id, struct kn_err *err);
kn_status kn_owner_notes_print(struct kn_db *db, long long owner_id, struct kn_printer *p,
                               struct kn_err *err);

/* ---- CSV import --------------------------------------------------- */

struct kn_import_options {
	const char *path;          /* "-" for stdin */
	const char *rejects_path;  /* NULL: none */
	const char *const *maps;   /* "Their Header=field", NULL-terminated */
	int update;
	/* called now and then with rows done and bytes read of total (0 if
	 * unknown), so the caller can draw a progress bar */
	void (*progress)(void *ud, long long rows, long long bytes, long long total);
	/* one line per notice: unknown columns, the first rejects */
	void (*notice)(void *ud, const char *line);
	void *ud;
};

struct kn_import_summary {
	long long rows, created, updated, unchanged, rejected;
};

/* Transaction: its own: the whole file or nothing (the import driver). */
kn_status kn_owner_import(struct kn_db *db, const struct kn_import_options *o,
                          struct kn_import_summary *s, struct kn_err *err);
kn_status kn_owner_export(struct kn_db *db, enum kn_format format, FILE *out,
                          struct kn_err *err);
void kn_import_summary_print(struct kn_printer *p, const struct kn_import_summary *s);

/* ---- pets, vaccinations, products -------------------------------- */

#define KN_PET_TEXT_FIELDS(X) \
	X(external_id) X(name) X(species) X(breed) X(birthday) X(sex) X(color) \
	X(weight) X(notes) X(advisory)
/* NULL leaves a field alone, "" clears it */
struct kn_pet_change {
#define KN_FIELD_DECL(f) const char *f;
	KN_PET_TEXT_FIELDS(KN_FIELD_DECL)
#undef KN_FIELD_DECL
};
/* id, "ext:ID" or "OWNER/NAME" */
kn_status kn_pet_resolve(struct kn_db *db, const char *ref, long long *id, struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_pet_add(struct kn_db *db, long long owner_id, const struct kn_pet_change *c,
                     long long *id, struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_pet_edit(struct kn_db *db, long long id, const struct kn_pet_change *c,
                      struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_pet_rm(struct kn_db *db, long long id, struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_pet_temperament(struct kn_db *db, long long id, const char *result,
                             const char *date, struct kn_err *err);
kn_status kn_pet_list(struct kn_db *db, long long owner_id, struct kn_printer *p,
                      struct kn_err *err);
kn_status kn_pet_show(struct kn_db *db, long long id, struct kn_printer *p, struct kn_err *err);
/* Transaction: its own: the whole file or nothing (the import driver). */
kn_status kn_pet_import(struct kn_db *db, const struct kn_import_options *o,
                        struct kn_import_summary *s, struct kn_err *err);

struct kn_vax_filter {
	long long owner_id, pet_id;   /* 0: any */
	int expired;
	long long expiring_days;      /* -1: not asked */
};
/* Transaction: the caller's. */
kn_status kn_vax_add(struct kn_db *db, long long pet_id, const char *type, const char *expires,
                     struct kn_err *err);
kn_status kn_vax_list(struct kn_db *db, const struct kn_vax_filter *f, struct kn_printer *p,
                      struct kn_err *err);
/* a pet's vaccinations, as array entries of an open record */
kn_status kn_vax_into(struct kn_db *db, long long pet_id, struct kn_printer *p,
                      struct kn_err *err);
/* Transaction: its own: the whole file or nothing (the import driver). */
kn_status kn_vax_import(struct kn_db *db, const struct kn_import_options *o,
                        struct kn_import_summary *s, struct kn_err *err);
kn_status kn_vax_window(struct kn_db *db, long long days, char today[11], char soon[11],
                        struct kn_err *err);

struct kn_product_in {
	const char *name, *type, *price;
	long long quantity, days, days_active;  /* 0: not given */
	int show_to_owner;                      /* -1: leave alone */
};
kn_status kn_product_check_type(const char *type, struct kn_err *err);
kn_status kn_product_resolve(struct kn_db *db, const char *ref, long long *id,
                             struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_product_add(struct kn_db *db, const struct kn_product_in *in, long long *id,
                         struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_product_edit(struct kn_db *db, long long id, const struct kn_product_in *in,
                          struct kn_err *err);
/* addons: shown to owners, any type but boarding and daycare */
kn_status kn_product_list(struct kn_db *db, const char *type, int shown, int addons,
                          struct kn_printer *p, struct kn_err *err);
kn_status kn_product_show(struct kn_db *db, long long id, struct kn_printer *p,
                          struct kn_err *err);
kn_status kn_product_show_to_owner(struct kn_db *db, const char *pattern, int on,
                                   long long *count, struct kn_err *err);

/* ---- orders and packages ----------------------------------------- */

struct kn_purchase {
	long long owner_id, product_id, qty;
	const char *note;
	int checkout;               /* 0: leave it in the cart */
	const char *payment;        /* at checkout; NULL: on account */
	const char *amount;         /* NULL: what is due after the credit */
	const char *carryover_key;  /* what identifies a migrated row */
	int quiet_audit;            /* a batch logs once */
};
/* Transaction: the caller's. */
kn_status kn_order_purchase(struct kn_db *db, const struct kn_purchase *p, long long *order,
                            struct kn_err *err);
/* A cart becomes an invoice: due, the owner's credit applied first, then
 * a payment of amount (NULL: what is left) by payment; payment NULL (on
 * account) or no-payment records none.  Paid when covered.  Packages are
 * made at once.  Transaction: the caller's. */
kn_status kn_order_checkout(struct kn_db *db, long long order, const char *payment,
                            const char *amount, struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_order_void(struct kn_db *db, long long order, const char *note, struct kn_err *err);
kn_status kn_order_list(struct kn_db *db, long long owner_id, const char *status,
                        struct kn_printer *p, struct kn_err *err);
kn_status kn_order_show(struct kn_db *db, long long id, struct kn_printer *p, struct kn_err *err);
/* left -1, end NULL and package_note NULL leave those alone ("" clears the
 * package's own note); note, why it was modified, is required and kept in
 * the package's history
 * Transaction: the caller's. */
kn_status kn_package_modify(struct kn_db *db, long long pkg, long long left, const char *end,
                            const char *package_note, const char *note, struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_package_use(struct kn_db *db, long long pkg, const char *date, struct kn_err *err);
/* id 0: a listing; else that one package */
kn_status kn_package_list(struct kn_db *db, long long owner_id, int active, long long expiring,
                          long long id, struct kn_printer *p, struct kn_err *err);
kn_status kn_package_history(struct kn_db *db, long long pkg, struct kn_printer *p,
                             struct kn_err *err);
kn_status kn_report_packages(struct kn_db *db, struct kn_printer *p, struct kn_err *err);

struct kn_carryover_options {
	struct kn_import_options import;
	const char *type;           /* daycare, boarding or other */
	const char *product_name;   /* default "Carry Over Package" */
};
/* Transaction: its own: the whole file or nothing (the import driver). */
kn_status kn_package_carryover(struct kn_db *db, const struct kn_carryover_options *o,
                               struct kn_import_summary *s, struct kn_err *err);

/* ---- requests, capacity, blocks ---------------------------------- */

#define KN_MAX_PETS 8 /* pets in one request */
struct kn_request_in {
	long long owner_id;
	const char *service, *start, *end, *note;
	long long pets[KN_MAX_PETS];
	int npets;
	const char *const *addons; /* product names or ids, NULL-terminated; may be NULL */
	const char *status;        /* NULL: pending */
	const char *requested_at;  /* NULL: now */
	int force;                 /* a stay past portal.max_nights (staff, imports) */
	const char *product;       /* grooming, training, service: the one wanted */
	long long series_id;       /* an occurrence of a standing booking; 0: none */
	long long replaces_id;     /* the booking this asks to change; 0: none */
};
/* A pet named twice is refused.
 * Transaction: the caller's. */
kn_status kn_request_add(struct kn_db *db, const struct kn_request_in *in, long long *id,
                         struct kn_err *err);
/* The open (pending or approved) request made before request id that is
 * the same in every field (owner, service, days, drop-off time, pets,
 * add-ons, note): *earlier 0 when there is none, *approved whether it is.
 * What a double click sends twice. */
kn_status kn_request_same_earlier(struct kn_db *db, long long id, long long *earlier,
                                  int *approved, struct kn_err *err);
/* The approval rules, as bits of a verdict's failed. */
enum {
	KN_RULE_CLOSED = 1, KN_RULE_BOOKED = 2, KN_RULE_VACCINATION = 4,
	KN_RULE_TEMPERAMENT = 8, KN_RULE_CAPACITY = 16
};
/* Room for the reasons of every rule that refuses one request. */
#define KN_WHY_MAX 1000
/* What the rules found of one request: refused when any rule refused,
 * failed the KN_RULE_* bits of each that did, why every reason (a
 * decision's text, not an error: "; " between for staff, sentences for
 * the owner). */
struct kn_verdict {
	int refused;
	unsigned failed;
	char why[KN_WHY_MAX];
};
/* A pending request that waits for the pet's vaccination papers (an owner
 * asked in 'request' mode without them): flagged for staff, with why.
 * Transaction: the caller's. */
kn_status kn_request_papers_needed(struct kn_db *db, long long id, const char *why,
                                   struct kn_err *err);
/* Every approval rule, capacity included, on a request without deciding
 * it, each failing rule told, in the owner's words when owner_words.
 * Reads only. */
kn_status kn_request_check(struct kn_db *db, long long id, int owner_words, struct kn_verdict *v,
                           struct kn_err *err);
/* action: approve, decline or cancel; text: the note or the reason.
 * approve refuses with the rule's reason unless force (then recorded).
 * Transaction: the caller's. */
kn_status kn_request_decide(struct kn_db *db, long long id, const char *action,
                            const char *text, int force, struct kn_err *err);
/* The deposit invoiced for a cancelled request, voided: what was paid on
 * it is the owner's credit.  Transaction: the caller's. */
kn_status kn_deposit_void(struct kn_db *db, long long request, struct kn_err *err);
/* The booking windows (portal.max_days_ahead, portal.min_notice_hours,
 * portal.max_pending): refused in the owner's words or staff's.  Reads
 * only. */
kn_status kn_request_window(struct kn_db *db, long long owner, const char *start_date,
                            const char *start_time, int owner_words, struct kn_err *err);
/* portal.cancel_notice_hours: an approved booking starting sooner is not
 * the owner's to cancel on the portal (the owner's words). */
kn_status kn_request_cancel_window(struct kn_db *db, long long id, struct kn_err *err);

/* What request modify changes: NULL (npets 0, addons_given 0) leaves it. */
struct kn_request_change {
	const char *start, *end, *note, *product;
	long long pets[KN_MAX_PETS];
	int npets;
	const char *const *addons;
	int addons_given;
	int owner_words;           /* a refusal told to the owner (the portal) */
};
/* A pending request changed in place; an approved one only when the
 * change passes every approval rule counted without itself, else left as
 * it was (the rule named).  Audited with old and new.  Transaction: the
 * caller's. */
kn_status kn_request_modify(struct kn_db *db, long long id, const struct kn_request_change *c,
                            struct kn_err *err);
kn_status kn_request_owner(struct kn_db *db, long long id, long long *owner, struct kn_err *err);

/* ---- vet papers owners send (PORTAL 3, SPEC vax) ---- */
#define KN_PAPERS_MAX (10 * 1024 * 1024)
/* "pdf", "jpeg" or "png" as the content says; NULL for anything else. */
const char *kn_papers_sniff(const unsigned char *data, size_t len);
/* The papers kept for a pet, refused in the owner's words when empty,
 * too large or of another type.  Transaction: the caller's. */
kn_status kn_papers_add(struct kn_db *db, long long pet, const char *filename,
                        const unsigned char *data, size_t len, long long *id, struct kn_err *err);
/* id 0: a listing (pending: only those not done); else that one. */
kn_status kn_papers_list(struct kn_db *db, int pending, long long id, struct kn_printer *p,
                         struct kn_err *err);
/* The file as sent, into a new file at path (0600; never over one).
 * Reads only. */
kn_status kn_papers_save(struct kn_db *db, long long id, const char *path, struct kn_err *err);
/* Read and entered: no longer waiting.  Transaction: the caller's. */
kn_status kn_papers_done(struct kn_db *db, long long id, const char *note, struct kn_err *err);

/* ---- the waitlist (SPEC series, changes, waitlist) ---- */
/* A pending request refused for capacity kept for a freed spot.
 * Transaction: the caller's (so are rm and confirm). */
kn_status kn_waitlist_add(struct kn_db *db, long long id, const char *reason, struct kn_err *err);
/* Off the waitlist: declined with note (NULL: "taken off the waitlist"),
 * any open offer ended. */
kn_status kn_waitlist_rm(struct kn_db *db, long long id, const char *note, struct kn_err *err);
struct kn_waitlist_summary {
	long long offered, expired, lapsed, unreachable;
};
/* An offer made: the request, its owner's address, the hold's end. */
typedef void (*kn_offered_cb)(void *ud, long long request, const char *email,
                              const char *expires);
/* Expired offers ended, requests whose day passed declined, then each
 * waitlisted request that now fits on every day (first asked, first
 * offered) held for waitlist.hold_hours and mailed its single-use link.
 * Run twice, nothing twice: a request with an open offer waits.
 * Transaction: its own. */
kn_status kn_waitlist_offer(struct kn_db *db, const char *template_dir,
                            struct kn_waitlist_summary *sum, kn_offered_cb offered, void *ud,
                            struct kn_err *err);
/* The waitlist in its order, each with its open offer's expiry. */
kn_status kn_waitlist_list(struct kn_db *db, const char *service, struct kn_printer *p,
                           struct kn_err *err);
enum kn_offer_state {
	KN_OFFER_OPEN, KN_OFFER_UNKNOWN, KN_OFFER_NOT_YOURS, KN_OFFER_SPENT, KN_OFFER_EXPIRED,
	KN_OFFER_GONE
};
struct kn_offer {
	long long id, request;
	enum kn_offer_state state;
	char expires[20];
	char why[KN_WHY_MAX];     /* KN_OFFER_GONE: the rule that refused */
};
/* The offer a link's token names, as the owner signed in sees it.
 * Reads only. */
kn_status kn_offer_find(struct kn_db *db, const char *token, long long owner,
                        struct kn_offer *o, struct kn_err *err);
/* An open offer spent and its request approved by the rules (booked);
 * o->state tells what else it was.  Transaction: the caller's. */
kn_status kn_offer_confirm(struct kn_db *db, const char *token, long long owner,
                           struct kn_offer *o, struct kn_err *err);

/* ---- standing bookings (SPEC series) ---- */
struct kn_series_in {
	long long owner_id, every; /* every 0: 1 week */
	const char *service, *days, *from, *until, *time, *product, *note;
	long long pets[KN_MAX_PETS];
	int npets, approve;        /* approve: each occurrence decided by the rules */
};
struct kn_series_result {
	long long made, approved, series;
};
/* An occurrence the rules refused: it stays pending. */
typedef void (*kn_refused_cb)(void *ud, long long request, const char *why);
/* The series and its occurrences through recur.horizon_days.
 * Transaction: the caller's (so are all below). */
kn_status kn_series_create(struct kn_db *db, const struct kn_series_in *in, long long *id,
                           struct kn_series_result *res, kn_refused_cb refused, void *ud,
                           struct kn_err *err);
/* Every active series' occurrences made through the horizon; made twice,
 * nothing twice (cron). */
kn_status kn_series_extend(struct kn_db *db, struct kn_series_result *res, kn_refused_cb refused,
                           void *ud, struct kn_err *err);
/* Each pending occurrence approved by the rules; the refused named. */
kn_status kn_series_approve(struct kn_db *db, long long id, struct kn_series_result *res,
                            kn_refused_cb refused, void *ud, struct kn_err *err);
kn_status kn_series_skip(struct kn_db *db, long long id, const char *date, const char *note,
                         struct kn_err *err);
/* from NULL: today; the occurrences from that day on are cancelled. */
kn_status kn_series_end(struct kn_db *db, long long id, const char *from, long long *cancelled,
                        struct kn_err *err);
/* id 0: a listing (owner 0: all); else that series with its occurrences. */
kn_status kn_series_list(struct kn_db *db, long long owner, long long id, struct kn_printer *p,
                         struct kn_err *err);
struct kn_request_filter {
	const char *status, *service, *from, *to;
	long long owner_id, id, series_id;
	int papers_needed;         /* only those waiting for vaccination papers */
};
/* An owner's open requests (pending, and approved ones not over yet), as the
 * array "requests" of an open record. */
kn_status kn_requests_open_into(struct kn_db *db, long long owner_id, struct kn_printer *p,
                                struct kn_err *err);
kn_status kn_request_list(struct kn_db *db, const struct kn_request_filter *f,
                          struct kn_printer *p, struct kn_err *err);
struct kn_auto_options {
	const char *service, *from, *to, *reason;
	int decline_rest, notify;
	int waitlist;              /* decline_rest: those refused only as full are waitlisted */
	const char *template_dir;
};
/* Prints {"approved":[...],"not_approved":[{"id","reason"}...]}.
 * Transaction: its own: the whole plan or nothing. */
kn_status kn_request_auto(struct kn_db *db, const struct kn_auto_options *o,
                          struct kn_printer *p, struct kn_err *err);
/* Queues the request-approved or request-declined mail for its decision.
 * Transaction: the caller's. */
kn_status kn_request_notify(struct kn_db *db, long long id, const char *template_dir,
                            struct kn_err *err);
/* After request modify: change-approved for a booking (approved) changed,
 * request-approved's words would say it was just decided.  A pending
 * request changed tells nothing.  Transaction: the caller's. */
kn_status kn_change_notify(struct kn_db *db, long long id, const char *template_dir,
                           struct kn_err *err);
/* Transaction: its own: the whole file or nothing (the import driver). */
kn_status kn_request_import(struct kn_db *db, const struct kn_import_options *o,
                            struct kn_import_summary *s, struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_capacity_set(struct kn_db *db, const char *service, long long units,
                          const char *from, const char *to, struct kn_err *err);
kn_status kn_occupancy(struct kn_db *db, const char *service, const char *from, const char *to,
                       struct kn_printer *p, struct kn_err *err);
/* conflicts: the approved requests the new block overlaps, printed
 * Transaction: the caller's. */
kn_status kn_block_add(struct kn_db *db, const char *service, const char *from, const char *to,
                       const char *reason, long long *id, struct kn_printer *conflicts,
                       struct kn_err *err);
/* Queues block-conflict mail: one per owner with approved bookings in the
 * block; *queued counts the new ones (a second call queues none).
 * Transaction: the caller's. */
kn_status kn_block_notify(struct kn_db *db, long long block_id, const char *template_dir,
                          long long *queued, struct kn_err *err);
kn_status kn_block_list(struct kn_db *db, struct kn_printer *p, struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_block_rm(struct kn_db *db, long long id, struct kn_err *err);

/* ---- money: payments, accounts, statements (SPEC payment) --------- */

/* Money received (add) or paid out of the owner's credit (refund):
 * amount text, more than 0; method cash, check, card or other; date NULL:
 * today; order 0: applied to the owner's due orders, oldest first. */
struct kn_payment_in {
	long long owner_id, order_id;
	const char *amount, *method, *ref, *date, *note;
};
/* Records and applies it; *applied is what it paid of orders, the rest
 * is credit.  Transaction: the caller's (so are refund and void). */
kn_status kn_payment_add(struct kn_db *db, const struct kn_payment_in *in, long long *id,
                         long long *applied, struct kn_err *err);
/* Refused above the owner's credit; note required. */
kn_status kn_payment_refund(struct kn_db *db, const struct kn_payment_in *in, long long *id,
                            struct kn_err *err);
/* A mistake undone: the orders it paid are due again; note required. */
kn_status kn_payment_void(struct kn_db *db, long long id, const char *note, struct kn_err *err);
kn_status kn_payment_show(struct kn_db *db, long long id, struct kn_printer *p,
                          struct kn_err *err);
struct kn_payment_filter {
	long long owner_id; /* 0: all */
	const char *from, *to, *method;
};
kn_status kn_payment_list(struct kn_db *db, const struct kn_payment_filter *f,
                          struct kn_printer *p, struct kn_err *err);
/* charged, paid, credit, balance, the due orders with their age, the
 * last payments. */
kn_status kn_account_show(struct kn_db *db, long long owner, struct kn_printer *p,
                          struct kn_err *err);
/* Owners whose balance is not 0, aged, with phone and email. */
kn_status kn_report_balances(struct kn_db *db, struct kn_printer *p, struct kn_err *err);
/* The month's statement (YYYY-MM; NULL: last month): opening balance,
 * each invoice and payment with the running balance, closing balance. */
kn_status kn_statement_print(struct kn_db *db, long long owner, const char *month,
                             struct kn_printer *p, struct kn_err *err);
struct kn_statement_summary {
	long long queued, already, no_email;
};
/* Queues template statement to each owner with activity in the month or
 * a balance, once per owner and month.  Transaction: its own. */
kn_status kn_statement_send(struct kn_db *db, const char *month, const char *template_dir,
                            struct kn_statement_summary *sum, struct kn_err *err);
/* Each order and payment the ledger does not add up for; *found counts. */
kn_status kn_report_unbalanced(struct kn_db *db, struct kn_printer *p, int *found,
                               struct kn_err *err);

/* ---- the front desk: visits and play areas ------------------------ */

/* A visit is one pet signed in to one service (SPEC desk).  Pets are
 * named as kn_pet_resolve takes them. */
struct kn_desk_in {
	const char *const *pets;
	int npets;
	const char *service;   /* a walk-in's; or which booking when several */
	long long request_id;  /* 0: the approved booking covering today */
	const char *area, *at, *note;
	int force;             /* a walk-in past the rules, a full area */
};
/* *visits (malloc'd, *nvisits of them): the visits made, to print once
 * committed.  Transaction: the caller's. */
kn_status kn_desk_in(struct kn_db *db, const struct kn_desk_in *in, long long **visits,
                     int *nvisits, struct kn_err *err);
struct kn_desk_out {
	const char *const *pets;
	int npets;
	const char *at, *product, *card;
	const char *pay, *amount; /* check the carts out at once */
	int no_package;
};
/* Signs out and settles: package days, else the cart.
 * Transaction: the caller's. */
kn_status kn_desk_out(struct kn_db *db, const struct kn_desk_out *o, long long **visits,
                      int *nvisits, struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_desk_undo(struct kn_db *db, long long visit, const char *note, struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_desk_move(struct kn_db *db, const char *pet, const char *area, int force,
                       long long *visit, struct kn_err *err);
/* Stores the visit's report card (text).  Transaction: the caller's. */
kn_status kn_desk_card(struct kn_db *db, long long visit, const char *text, struct kn_err *err);
/* Queues the visit's report card to its owner (template report-card),
 * once per visit: *queued 0 when it was mailed already or the owner has
 * no address.  Transaction: the caller's. */
/* Queues the invoice of a checked-out order to its owner (template
 * invoice): its lines, paid and due, and the pay link or the billing
 * instructions.  Transaction: the caller's. */
kn_status kn_invoice_notify(struct kn_db *db, long long order, const char *template_dir,
                            int *queued, struct kn_err *err);
kn_status kn_card_notify(struct kn_db *db, long long visit, const char *template_dir,
                         int *queued, struct kn_err *err);
/* The visits of ids, one record each. */
kn_status kn_visits_print(struct kn_db *db, const long long *ids, int n, struct kn_printer *p,
                          struct kn_err *err);
/* date NULL: today; service NULL: all. */
kn_status kn_desk_board(struct kn_db *db, const char *date, const char *service,
                        struct kn_printer *p, struct kn_err *err);
struct kn_visit_filter {
	long long owner_id, pet_id;
	const char *from, *to, *state;
};
kn_status kn_desk_list(struct kn_db *db, const struct kn_visit_filter *f, struct kn_printer *p,
                       struct kn_err *err);
/* capacity -1: none.  Transaction: the caller's (so are rename and rm). */
kn_status kn_area_add(struct kn_db *db, const char *name, long long capacity,
                      const char *service, struct kn_err *err);
kn_status kn_area_rename(struct kn_db *db, const char *old_name, const char *new_name,
                         struct kn_err *err);
kn_status kn_area_rm(struct kn_db *db, const char *name, struct kn_err *err);
kn_status kn_area_list(struct kn_db *db, struct kn_printer *p, struct kn_err *err);

/* ---- reports and doctor ------------------------------------------- */

kn_status kn_report_vaccinations(struct kn_db *db, int expired, long long expiring_days,
                                 struct kn_printer *p, struct kn_err *err);
/* Pets with an advisory; match (or NULL) keeps those whose advisory holds
 * it, ignoring case and accents. */
kn_status kn_report_advisory(struct kn_db *db, const char *match, struct kn_printer *p,
                             struct kn_err *err);
/* *errors: findings of severity error (exit 1) */
kn_status kn_doctor(struct kn_db *db, struct kn_printer *p, int *errors, struct kn_err *err);

/* ---- owner portal credentials ----------------------------------- */

enum kn_skip_reason {
	KN_SKIP_NO_EMAIL, KN_SKIP_INVALID_EMAIL, KN_SKIP_DUPLICATE_EMAIL, KN_SKIP_USERNAME_TAKEN,
	KN_SKIP_COUNT
};
const char *kn_skip_reason_name(int reason);

struct kn_bulk_options {
	const char *report_path;  /* CSV: one row per owner considered */
	const char *reveal_path;  /* new 0600 file of username,password */
	void (*progress)(void *ud, long long rows, long long bytes, long long total);
	void *ud;
};
struct kn_bulk_summary {
	long long considered, generated, skipped;
	long long by_reason[KN_SKIP_COUNT];
};
/* Transaction: its own: every login or none. */
kn_status kn_creds_bulk_generate(struct kn_db *db, const struct kn_bulk_options *o,
                                 struct kn_bulk_summary *s, struct kn_err *err);
void kn_bulk_summary_print(struct kn_printer *p, const struct kn_bulk_summary *s);
/* username and/or password; NULL leaves one alone
 * Transaction: the caller's. */
kn_status kn_creds_set(struct kn_db *db, long long owner_id, const char *username,
                       const char *password, struct kn_err *err);
/* KN_OK when the pair is valid; the message names a case variant */
kn_status kn_creds_check(struct kn_db *db, const char *username, const char *password,
                         struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_creds_revoke(struct kn_db *db, long long owner_id, struct kn_err *err);
/* A new single-use token; *link (malloc'd) is the company reset URL with it.
 * Transaction: the caller's. */
kn_status kn_creds_reset(struct kn_db *db, long long owner_id, long hours, char **link,
                         struct kn_err *err);
/* Transaction: the caller's. */
kn_status kn_creds_redeem(struct kn_db *db, const char *token, const char *password,
                          long long *owner_id, struct kn_err *err);
typedef kn_status (*kn_id_cb)(void *ud, long long id);
/* owners whose generated credentials still wait for a password */
kn_status kn_creds_generated_each(struct kn_db *db, kn_id_cb cb, void *ud, struct kn_err *err);
/* Wipes a secret the caller held (a password read from stdin). */
void kn_secret_wipe(void *p, size_t n);

/* ---- mail: outbox, delivery, blasts ------------------------------- */

struct kn_send_options {
	long long limit;                           /* 0: everything due */
	const char *smtp_user, *smtp_password;     /* from the environment, never argv */
	void (*progress)(void *ud, long long rows, long long bytes, long long total);
	void *ud;
	/* asked before each message: true ends the run after the message on
	 * the wire, the rest left queued (a server shutting down) */
	int (*should_stop)(void *stop_ud);
	void *stop_ud;
};
struct kn_send_summary {
	long long sent, failed, deferred;
	long long due;  /* --dry-run: what would have been tried; nothing leaves */
};
/* KN_TEMPFAIL when nothing could be delivered because the server was
 * unreachable; KN_PARTIAL when some failed for good.
 * Transaction: its own, one per message: a claim, then the outcome. */
kn_status kn_mail_send(struct kn_db *db, const struct kn_send_options *o,
                       struct kn_send_summary *s, struct kn_err *err);
void kn_send_summary_print(struct kn_printer *p, const struct kn_send_summary *s);
kn_status kn_mail_list(struct kn_db *db, const char *status, struct kn_printer *p,
                       struct kn_err *err);
kn_status kn_mail_show(struct kn_db *db, long long id, struct kn_printer *p,
                       struct kn_err *err);
/* id 0: every queued message; a sent or sending one cannot be taken back
 * Transaction: the caller's. */
kn_status kn_mail_cancel(struct kn_db *db, long long id, long long *count, struct kn_err *err);
/* id 0: every failed message
 * Transaction: the caller's. */
kn_status kn_mail_retry(struct kn_db *db, long long id, long long *count, struct kn_err *err);

struct kn_blast_options {
	const char *template_name, *template_file, *template_dir;
	const char *subject;         /* overrides the template's */
	const char *to;              /* all, with-username, without-username, or a FILE */
	int with_reset_links;
	long ttl_hours;
};
struct kn_blast_summary {
	long long blast_id, recipients, queued, skipped, sent, failed;
};
/* Transaction: its own: every message queued or none. */
kn_status kn_blast_email(struct kn_db *db, const struct kn_blast_options *o,
                         struct kn_blast_summary *s, struct kn_err *err);
void kn_blast_summary_print(struct kn_printer *p, const struct kn_blast_summary *s);
/* Queues the password-reset mail with a new link in it.
 * Transaction: the caller's. */
kn_status kn_creds_reset_notify(struct kn_db *db, long long owner_id, long hours,
                                const char *template_dir, struct kn_err *err);
/* 'owner add --invite': the owner's username becomes the email (unless it
 * has one; refused when another owner shares the email), and the
 * portal-launch mail is queued with a single-use password link (72 h).
 * 'mail send' (or the caller) sends it.
 * Transaction: the caller's. */
kn_status kn_owner_invite(struct kn_db *db, long long owner_id, const char *template_dir,
                          struct kn_err *err);

struct kn_remind_options {
	long long days;              /* -1: the preference */
	const char *template_dir;
};
struct kn_remind_summary {
	long long queued, sent, failed;
};
/* what: vaccinations, packages or all
 * Transaction: its own: each kind of reminder queued whole, with its marks. */
kn_status kn_remind(struct kn_db *db, const char *what, const struct kn_remind_options *o,
                    struct kn_remind_summary *s, struct kn_err *err);

/* ---- the owner portal (PORTAL.md) ---------------------------------- */

struct kn_serve_options {
	const char *db_path;
	const char *listen;            /* ADDR:PORT; NULL: 127.0.0.1:8080; port 0: any */
	int threads;                   /* argon2id verifications at once; 0: the cores */
	int trust_proxy;               /* believe X-Forwarded-For */
	const char *smtp_user, *smtp_password;
	const char *mail_templates;    /* $KENNEL_TEMPLATES */
	const char *portal_templates;  /* $KENNEL_PORTAL_TEMPLATES */
	void (*log)(void *ud, const char *line);      /* one access-log line */
	void (*ready)(void *ud, const char *url);     /* listening */
	void *ud;
};
struct kn_server;
/* Starts serving in background threads; kn_serve_stop finishes the
 * requests in flight and frees everything. */
kn_status kn_serve_start(const struct kn_serve_options *o, struct kn_server **out,
                         struct kn_err *err);
void kn_serve_stop(struct kn_server *s);

/* owner 0: everyone's */
kn_status kn_portal_sessions(struct kn_db *db, long long owner_id, struct kn_printer *p,
                             struct kn_err *err);
/* Transaction: its own. */
kn_status kn_portal_logout(struct kn_db *db, long long owner_id, long long *ended,
                           struct kn_err *err);
/* What the owner sees on the portal's home page, as one record. */
kn_status kn_portal_preview(struct kn_db *db, long long owner_id, struct kn_printer *p,
                            struct kn_err *err);

/* ---- the option parser shared by every verb ------------------------ */

/* Numbers are digits only, in their range (SPEC.md 1): KN_OPT_INT a count
 * or days (0..KN_MAX_COUNT), KN_OPT_LIMIT 0..KN_MAX_ID, KN_OPT_QTY
 * 0..KN_MAX_QTY.  KN_OPT_DATE: any date form SPEC.md accepts, relative ones
 * included, stored as YYYY-MM-DD (after kn_opts_dates_resolve).  KN_OPT_WHEN:
 * a date and an optional THH:MM: a relative date is resolved, any other
 * value is passed on as given for the library to judge.  A bad value is a
 * usage error naming it. */
enum kn_opt_type {
	KN_OPT_BOOL, KN_OPT_STR, KN_OPT_INT, KN_OPT_LIST, KN_OPT_DATE, KN_OPT_LIMIT, KN_OPT_QTY,
	KN_OPT_WHEN
};

struct kn_strlist {
	const char **items; /* NULL-terminated */
	size_t count, cap;
};
void kn_strlist_free(struct kn_strlist *l);

struct kn_opt {
	const char *name;      /* long name, without "--" */
	char short_name;       /* 0: none */
	enum kn_opt_type type;
	void *value;           /* int *, const char **, long long *, struct kn_strlist * */
	const char *arg;       /* placeholder in usage: NAME, DATE, ... */
	const char *choices;   /* "a|b|c": the value must be one of these */
};

/*
 * Parses options anywhere among argv (as git does), from the verb's table
 * and then the global table; "--" ends them.  Positional arguments are
 * moved to the front of argv, their count returned in *npos.
 */
kn_status kn_opts_parse(const struct kn_opt *verb, const struct kn_opt *global, int argc,
                        char **argv, int *npos, struct kn_err *err);
/* Turns the relative date options ("today", "+3") into dates: called
 * once the business's zone is known, so "today" is the business's. */
void kn_opts_dates_resolve(void);
/* The known names nearest to word, for "did you mean" (Levenshtein). */
const char *kn_nearest(const char *word, const char *const *candidates, size_t n);

#endif
