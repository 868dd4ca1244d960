/*
 * Shared inside libkennel only: the database handle and the helpers every
 * module uses to talk to SQLite.  Never included from cmd/.
 */
#ifndef KN_INTERNAL_H
#define KN_INTERNAL_H

#include <sqlite3.h>
#include "kennel.h"

struct kn_db {
	sqlite3 *h;
	char *path;
	char *actor;
	char *command;
	int in_tx;
	int dry_run;   /* the whole run is rolled back at close */
	int busy_ms;   /* how long a write waits for the lock before KN_TEMPFAIL */
	sqlite3_stmt *audit_stmt;
	/* statements run once per row of a batch, kept prepared */
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[48];
	int ncache;
};

/* The lock wait of this handle (the portal waits less than a batch). */
void kn_db_busy(struct kn_db *db, int ms);
/* Ends a read transaction (BEGIN without kn_tx_begin), if one is open. */
void kn_read_end(struct kn_db *db);
/* Who acts from now on, for the audit log (the portal: owner:ID). */
void kn_db_act(struct kn_db *db, const char *actor, const char *command);
/* The owner acting on the portal: actor owner:ID, command "portal". */
void kn_db_act_owner(struct kn_db *db, long long owner_id);
/* base (the portal URL, a trailing / or not) followed by path ("/reset?...") */
void kn_url_join(const char *base, const char *path, char *out, size_t outlen);

/* Maps an SQLite failure to a status: busy and locked are temporary. */
kn_status kn_sql_fail(struct kn_db *db, struct kn_err *err, const char *what);
/* Steps st once: *row 1 for a row, 0 when there are no more; any other
 * outcome is an error (busy: KN_TEMPFAIL), never "no row": a busy
 * database must not read as "not found". */
kn_status kn_step_row(struct kn_db *db, sqlite3_stmt *st, int *row, const char *what,
                      struct kn_err *err);
/* The first column of every row of st, as ids (malloc'd, *n of them; the
 * caller frees *ids): what a change then walks one by one, read whole
 * first so the walk may write to the same tables.  st is reset. */
kn_status kn_ids_read(struct kn_db *db, sqlite3_stmt *st, long long **ids, size_t *n,
                      const char *what, struct kn_err *err);
/* A JSON printer: a record grouped where a table would be flat. */
int kn_printer_is_json(const struct kn_printer *p);
int kn_printer_is_text(const struct kn_printer *p);
/* A line above a table, in text only; a blank line before all but the first. */
void kn_print_heading(struct kn_printer *p, const char *text);
/* Steps a statement that returns no row (INSERT, UPDATE, DELETE) and
 * resets it, as a cached statement wants. */
kn_status kn_step_done(struct kn_db *db, sqlite3_stmt *st, const char *what, struct kn_err *err);
kn_status kn_prepare(struct kn_db *db, const char *sql, sqlite3_stmt **st,
                     struct kn_err *err);
kn_status kn_exec(struct kn_db *db, const char *sql, struct kn_err *err);
/* A prepared statement kept for the life of the handle, found by the
 * address of its SQL (a string literal): reset and unbound when handed out.
 * Callers reset it when done and never finalize it. */
kn_status kn_cached(struct kn_db *db, const char *sql, sqlite3_stmt **st, struct kn_err *err);
/* NULL and "" both bind as SQL NULL: an empty cell is no value. */
int kn_bind_text(sqlite3_stmt *st, int i, const char *v);
const char *kn_col_text(sqlite3_stmt *st, int i);
/* An integer column that may be NULL, printed as a number or as null. */
void kn_put_col_int(struct kn_printer *p, const char *key, sqlite3_stmt *st, int col, int brief);

/* One entry for the records first..last a batch created. */
kn_status kn_audit_range(struct kn_db *db, const char *entity, long long first, long long last,
                         struct kn_err *err, const char *summary);
kn_status kn_audit(struct kn_db *db, const char *entity, long long id, struct kn_err *err,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* SPEC 4b: a CSV cell that a spreadsheet would run as a formula is written
 * with a leading ', which the reader takes off again. */
int kn_csv_needs_guard(const char *v);

/* vaccines.required as a JSON array, bound into json_each() */
struct kn_buf;
/* vaccines.required as a JSON array of lowercase names (store/prefs.c) */
kn_status kn_required_vaccines_json(struct kn_db *db, struct kn_buf *out, struct kn_err *err);
/* The vaccines a service requires: vaccines.required.SERVICE when set,
 * else vaccines.required (service NULL: that one). */
kn_status kn_required_vaccines_for(struct kn_db *db, const char *service, struct kn_buf *out,
                                   struct kn_err *err);

/* A growing string for summaries and messages. */
struct kn_buf {
	char *data;
	size_t len, cap;
};
void kn_buf_add(struct kn_buf *b, const char *s, size_t n);
void kn_buf_addf(struct kn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kn_buf_free(struct kn_buf *b);

void *kn_xmalloc(size_t n);
/* A token in a link (base64url): the length of the run of its characters
 * at s; a link's token is KN_LINK_TOKEN_MIN to KN_LINK_TOKEN_MAX long. */
size_t kn_link_token_span(const char *s);
#define KN_LINK_TOKEN_MIN 20
#define KN_LINK_TOKEN_MAX 64
void *kn_xcalloc(size_t count, size_t size);
void *kn_xrealloc(void *p, size_t n);
char *kn_xstrdup(const char *s);

#endif
