/* Opening, creating and upgrading the database; transactions; audit. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pthread.h>

#include "base/kn_internal.h"

extern const char *const kn_migrations[];
extern const int kn_migration_count;

int kn_schema_version_latest(void)
{
	return kn_migration_count;
}

kn_status kn_sql_fail(struct kn_db *db, struct kn_err *err, const char *what)
{
	int code = sqlite3_extended_errcode(db->h) & 0xff;

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return kn_err_set(err, KN_TEMPFAIL, "%s: database is locked (try again later)",
		                  what);
	return kn_err_set(err, KN_FAIL, "%s: %s", what, sqlite3_errmsg(db->h));
}

kn_status kn_step_row(struct kn_db *db, sqlite3_stmt *st, int *row, const char *what,
                      struct kn_err *err)
{
	int rc = sqlite3_step(st);

	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return KN_OK;
	return kn_sql_fail(db, err, what);
}

kn_status kn_ids_read(struct kn_db *db, sqlite3_stmt *st, long long **ids, size_t *n,
                      const char *what, struct kn_err *err)
{
	size_t cap = 0;
	int row = 0;
	kn_status s;
	*ids = NULL;
	*n = 0;
	while ((s = kn_step_row(db, st, &row, what, err)) == KN_OK && row) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = kn_xrealloc(*ids, cap * sizeof **ids);
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return s;
}

kn_status kn_step_done(struct kn_db *db, sqlite3_stmt *st, const char *what, struct kn_err *err)
{
	int rc = sqlite3_step(st);
	kn_status s = rc == SQLITE_DONE ? KN_OK : kn_sql_fail(db, err, what);
	sqlite3_reset(st);
	return s;
}

kn_status kn_prepare(struct kn_db *db, const char *sql, sqlite3_stmt **st,
                     struct kn_err *err)
{
	if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK)
		return kn_sql_fail(db, err, "database");
	return KN_OK;
}

kn_status kn_cached(struct kn_db *db, const char *sql, sqlite3_stmt **st, struct kn_err *err)
{
	for (int i = 0; i < db->ncache; i++)
		if (db->cache[i].sql == sql) {
			*st = db->cache[i].st;
			sqlite3_reset(*st);
			sqlite3_clear_bindings(*st);
			return KN_OK;
		}
	kn_status s = kn_prepare(db, sql, st, err);
	if (s == KN_OK && db->ncache < (int)(sizeof db->cache / sizeof db->cache[0])) {
		db->cache[db->ncache].sql = sql;
		db->cache[db->ncache++].st = *st;
	} else if (s == KN_OK) {
		return kn_err_set(err, KN_FAIL, "statement cache full");
	}
	return s;
}

kn_status kn_exec(struct kn_db *db, const char *sql, struct kn_err *err)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return kn_sql_fail(db, err, "database");
	return KN_OK;
}

int kn_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL || *v == '\0')
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

const char *kn_col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

void kn_put_col_int(struct kn_printer *p, const char *key, sqlite3_stmt *st, int col, int brief)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		kn_put_str(p, key, NULL, brief);
	else
		kn_put_int(p, key, sqlite3_column_int64(st, col), brief);
}

static kn_status create_file(const char *path, struct kn_err *err)
{
	/* created by us, 0600, before SQLite opens it: owners' data is private */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return kn_err_set(err, KN_FAIL, "cannot create database '%s': %s", path,
		                  strerror(errno));
	close(fd);
	return KN_OK;
}

static kn_status mkdir_parent(const char *path, struct kn_err *err)
{
	char *dir = kn_xstrdup(path);
	char *slash = strrchr(dir, '/');
	kn_status st = KN_OK;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; ; p++) {
			if (*p == '/' || *p == '\0') {
				char c = *p;
				*p = '\0';
				if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
					st = kn_err_set(err, KN_FAIL, "cannot create directory '%s': %s",
					                dir, strerror(errno));
					break;
				}
				*p = c;
				if (c == '\0')
					break;
			}
		}
	}
	free(dir);
	return st;
}

/* A migration may rebuild a table (a CHECK cannot be altered), so the
 * foreign keys are off while it runs, as SQLite's ALTER TABLE page
 * prescribes: with them on, dropping the old table would empty it and
 * renaming would repoint its children.  They are checked before the
 * commit instead; the pragma is a no-op inside a transaction, hence
 * outside it here. */
static kn_status foreign_keys_hold(struct kn_db *db, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "PRAGMA foreign_key_check", &st, err);
	if (s != KN_OK)
		return s;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		s = kn_err_set(err, KN_FAIL, "schema upgrade would break a reference of table %s "
		               "(row %lld): nothing changed", sqlite3_column_text(st, 0),
		               (long long)sqlite3_column_int64(st, 1));
	else if (rc != SQLITE_DONE)
		s = kn_sql_fail(db, err, "checking references");
	sqlite3_finalize(st);
	return s;
}

static kn_status migrate(struct kn_db *db, int from, struct kn_err *err)
{
	kn_status st = kn_exec(db, "PRAGMA foreign_keys = OFF", err);
	if (st != KN_OK)
		return st;
	if ((st = kn_exec(db, "BEGIN IMMEDIATE", err)) != KN_OK)
		goto fk_on;
	for (int v = from; v < kn_migration_count; v++) {
		char pragma[64];
		st = kn_exec(db, kn_migrations[v], err);
		if (st != KN_OK)
			break;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
		st = kn_exec(db, pragma, err);
		if (st != KN_OK)
			break;
	}
	if (st == KN_OK)
		st = foreign_keys_hold(db, err);
	if (st == KN_OK)
		st = kn_exec(db, "COMMIT", err);
	if (st != KN_OK)
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
fk_on:
	if (st == KN_OK)
		return kn_exec(db, "PRAGMA foreign_keys = ON", err);
	sqlite3_exec(db->h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return st;
}

static kn_status read_version(struct kn_db *db, int *version, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "PRAGMA user_version", &st, err);
	if (s != KN_OK)
		return s;
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	else
		s = kn_sql_fail(db, err, "reading schema version");
	sqlite3_finalize(st);
	return s;
}

/* fold(text): kn_fold for SQL, so queries compare names as owners are
 * matched, ignoring case and accents. */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *in = (const char *)sqlite3_value_text(argv[0]);
	if (in == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	size_t n = strlen(in) + 1;
	char *out = sqlite3_malloc64(n);
	if (out == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	kn_fold(in, out, n);
	sqlite3_result_text(ctx, out, -1, sqlite3_free);
}

/* The business's time zone decides "today" for every rule (SPEC.md 1). */
static kn_status apply_zone(struct kn_db *db, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(db, "SELECT timezone FROM company WHERE id = 1", &st, err);
	if (s != KN_OK)
		return s;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		kn_clock_zone(kn_col_text(st, 0));
	else if (rc == SQLITE_DONE)
		kn_clock_zone(NULL);
	else
		s = kn_sql_fail(db, err, "reading the time zone");
	sqlite3_finalize(st);
	return s;
}

/* SQLite's memory statistics take one global mutex on every allocation:
 * kennel reads none of them, and with the portal's threads (or a million
 * rows of an import) that lock is pure cost.  Possible only before SQLite
 * starts, so the first open of the process does it. */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

kn_status kn_db_open(const struct kn_db_options *o, struct kn_db **out, int *created,
                     struct kn_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	struct stat sb;
	struct kn_db *db;
	kn_status st = KN_OK;
	int version = 0, fresh = 0;

	*out = NULL;
	if (created)
		*created = 0;
	if (stat(o->path, &sb) != 0) {
		if (!o->create)
			return kn_err_set(err, KN_FAIL,
			                  "database '%s' does not exist: run 'kennel init' first",
			                  o->path);
		if ((st = mkdir_parent(o->path, err)) != KN_OK ||
		    (st = create_file(o->path, err)) != KN_OK)
			return st;
		fresh = 1;
	}
	db = kn_xcalloc(1, sizeof *db);
	db->path = kn_xstrdup(o->path);
	db->actor = kn_xstrdup(o->actor ? o->actor : "");
	db->command = kn_xstrdup(o->command ? o->command : "");
	/* NOMUTEX: a handle is used by one thread only, so SQLite's own lock
	 * around every call is pure cost (3% of a large import) */
	if (sqlite3_open_v2(o->path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL)
	    != SQLITE_OK) {
		st = kn_err_set(err, KN_FAIL, "cannot open database '%s': %s", o->path,
		                db->h ? sqlite3_errmsg(db->h) : "out of memory");
		goto done;
	}
	kn_db_busy(db, 10000);
	sqlite3_create_function(db->h, "fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	                        sql_fold, NULL, NULL);
	sqlite3_extended_result_codes(db->h, 1);
	if ((st = kn_exec(db, "PRAGMA foreign_keys = ON", err)) != KN_OK)
		goto done;
	if ((st = read_version(db, &version, err)) != KN_OK) {
		kn_err_clear(err);
		st = kn_err_set(err, KN_FAIL, "'%s' is not a kennel database", o->path);
		goto done;
	}
	if (version > kn_migration_count) {
		st = kn_err_set(err, KN_FAIL,
		                "database '%s' has schema version %d, newer than this kennel (%d): "
		                "upgrade kennel", o->path, version, kn_migration_count);
		goto done;
	}
	if (o->create && o->dry_run) {
		st = kn_err_set(err, KN_USAGE, "--dry-run: creating or upgrading a database cannot "
		                "be tried without doing it");
		goto done;
	}
	if (o->create) {
		if (fresh && (st = kn_exec(db, "PRAGMA journal_mode = WAL", err)) != KN_OK)
			goto done;
		if (version < kn_migration_count && (st = migrate(db, version, err)) != KN_OK)
			goto done;
		if (created)
			*created = fresh;
	} else if (version == 0) {
		st = kn_err_set(err, KN_FAIL, "'%s' is not a kennel database (run 'kennel init')",
		                o->path);
		goto done;
	} else if (version < kn_migration_count) {
		st = kn_err_set(err, KN_FAIL,
		                "database '%s' has schema version %d: run 'kennel init' to upgrade it "
		                "to %d", o->path, version, kn_migration_count);
		goto done;
	}
	/* WAL with NORMAL sync stays atomic across a crash; each commit skips
	 * an fsync of its own, which only a power cut could tell. */
	if ((st = kn_exec(db, "PRAGMA synchronous = NORMAL", err)) != KN_OK)
		goto done;
	/* zero what a change leaves behind: a scrubbed reset link or a revoked
	 * hash must not survive in a page's free space, where a copy of the
	 * file would still show it */
	if ((st = kn_exec(db, "PRAGMA secure_delete = ON", err)) != KN_OK)
		goto done;
	if ((st = apply_zone(db, err)) != KN_OK)
		goto done;
	/* --dry-run is kept here, once for every command: the whole run is one
	 * transaction that kn_db_close rolls back, and each kn_tx_* becomes a
	 * savepoint inside it, so no verb can forget it and no write escapes */
	if (o->dry_run) {
		if ((st = kn_exec(db, "BEGIN IMMEDIATE", err)) != KN_OK)
			goto done;
		db->dry_run = 1;
	}
done:
	if (st != KN_OK) {
		kn_db_close(db);
		if (fresh)
			unlink(o->path);
		return st;
	}
	*out = db;
	return KN_OK;
}

void kn_db_close(struct kn_db *db)
{
	if (db == NULL)
		return;
	if (db->dry_run)
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(db->audit_stmt);
	for (int i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	sqlite3_close(db->h);
	free(db->path);
	free(db->actor);
	free(db->command);
	free(db);
}

void kn_read_end(struct kn_db *db)
{
	if (!db->in_tx && !sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
}

void kn_db_busy(struct kn_db *db, int ms)
{
	db->busy_ms = ms;
	sqlite3_busy_timeout(db->h, ms);
}

void kn_db_act(struct kn_db *db, const char *actor, const char *command)
{
	free(db->actor);
	free(db->command);
	db->actor = kn_xstrdup(actor);
	db->command = kn_xstrdup(command);
}

void kn_db_act_owner(struct kn_db *db, long long owner_id)
{
	char actor[32];
	snprintf(actor, sizeof actor, "owner:%lld", owner_id);
	kn_db_act(db, actor, "portal");
}

void kn_url_join(const char *base, const char *path, char *out, size_t outlen)
{
	size_t n = base ? strlen(base) : 0;
	if (n > 0 && base[n - 1] == '/')
		n--;
	snprintf(out, outlen, "%.*s%s", (int)n, base ? base : "", path);
}

const char *kn_db_path(const struct kn_db *db)
{
	return db->path;
}

int kn_db_dry_run(const struct kn_db *db)
{
	return db != NULL && db->dry_run;
}

kn_status kn_db_versions(struct kn_db *db, int *schema, const char **sqlite_version,
                         struct kn_err *err)
{
	*sqlite_version = sqlite3_libversion();
	return read_version(db, schema, err);
}

kn_status kn_tx_begin(struct kn_db *db, struct kn_err *err)
{
	/* IMMEDIATE: wait for the write lock now, not halfway through a batch */
	kn_status st = kn_exec(db, db->dry_run ? "SAVEPOINT kn_tx" : "BEGIN IMMEDIATE", err);
	if (st == KN_OK)
		db->in_tx = 1;
	return st;
}

kn_status kn_tx_commit(struct kn_db *db, struct kn_err *err)
{
	kn_status st = kn_exec(db, db->dry_run ? "RELEASE kn_tx" : "COMMIT", err);
	if (st == KN_OK)
		db->in_tx = 0;
	else
		kn_tx_rollback(db);
	return st;
}

void kn_tx_rollback(struct kn_db *db)
{
	if (db->in_tx)
		sqlite3_exec(db->h, db->dry_run ? "ROLLBACK TO kn_tx; RELEASE kn_tx" : "ROLLBACK",
		             NULL, NULL, NULL);
	db->in_tx = 0;
}

static kn_status audit_row(struct kn_db *db, const char *entity, long long id, long long last,
                           const char *summary, struct kn_err *err)
{
	char now[20];
	sqlite3_stmt *st;

	if (db->audit_stmt == NULL) {
		kn_status s = kn_prepare(db,
		                         "INSERT INTO audit (at, actor, command, entity, entity_id, summary,"
		                         " entity_id_last, owner_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
		                         /* the owner a change concerns, found once here for
		                          * every caller */
		                         " CASE ?4 WHEN 'owner' THEN CASE WHEN ?7 IS NULL THEN ?5 END"
		                         "  WHEN 'pet' THEN (SELECT owner_id FROM pets WHERE id = ?5)"
		                         "  WHEN 'request' THEN (SELECT owner_id FROM requests WHERE id = ?5)"
		                         "  WHEN 'order' THEN (SELECT owner_id FROM orders WHERE id = ?5)"
		                         "  WHEN 'package' THEN (SELECT owner_id FROM packages WHERE id = ?5)"
		                         "  WHEN 'visit' THEN (SELECT owner_id FROM visits WHERE id = ?5)"
		                         "  WHEN 'payment' THEN (SELECT owner_id FROM payments WHERE id = ?5)"
		                         "  WHEN 'series' THEN (SELECT owner_id FROM series WHERE id = ?5)"
		                         " END)", &db->audit_stmt, err);
		if (s != KN_OK)
			return s;
	}
	st = db->audit_stmt;
	kn_now_text(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	kn_bind_text(st, 2, db->actor);
	kn_bind_text(st, 3, db->command);
	sqlite3_bind_text(st, 4, entity, -1, SQLITE_STATIC);
	if (id > 0)
		sqlite3_bind_int64(st, 5, id);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_text(st, 6, summary, -1, SQLITE_TRANSIENT);
	if (last > id)
		sqlite3_bind_int64(st, 7, last);
	else
		sqlite3_bind_null(st, 7);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return kn_sql_fail(db, err, "writing the audit log");
	return KN_OK;
}

kn_status kn_audit(struct kn_db *db, const char *entity, long long id, struct kn_err *err,
                   const char *fmt, ...)
{
	char summary[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(summary, sizeof summary, fmt, ap);
	va_end(ap);
	return audit_row(db, entity, id, 0, summary, err);
}

kn_status kn_audit_range(struct kn_db *db, const char *entity, long long first, long long last,
                         struct kn_err *err, const char *summary)
{
	return audit_row(db, entity, first, last, summary, err);
}
