/* kennel db check|backup and kennel log. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/kn_internal.h"

kn_status kn_db_check(struct kn_db *db, kn_line_cb problem, void *ud, int *problems,
                      struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s;
	char line[512];

	*problems = 0;
	if ((s = kn_prepare(db, "PRAGMA integrity_check", &st, err)) != KN_OK)
		return s;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *r = kn_col_text(st, 0);
		if (r && strcmp(r, "ok") != 0) {
			snprintf(line, sizeof line, "integrity: %s", r);
			problem(ud, line);
			(*problems)++;
		}
	}
	sqlite3_finalize(st);
	if ((s = kn_prepare(db, "PRAGMA foreign_key_check", &st, err)) != KN_OK)
		return s;
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(line, sizeof line, "foreign key: %s row %lld refers to a missing %s",
		         kn_col_text(st, 0), (long long)sqlite3_column_int64(st, 1),
		         kn_col_text(st, 2));
		problem(ud, line);
		(*problems)++;
	}
	sqlite3_finalize(st);
	return KN_OK;
}

kn_status kn_db_backup(struct kn_db *db, const char *dest, struct kn_err *err)
{
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	kn_status s = KN_OK;
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return kn_err_set(err, KN_FAIL, "cannot create backup '%s': %s", dest,
		                  errno == EEXIST ? "file exists" : strerror(errno));
	close(fd);
	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		s = kn_err_set(err, KN_FAIL, "cannot open backup '%s'", dest);
		goto done;
	}
	b = sqlite3_backup_init(to, "main", db->h, "main");
	if (b == NULL) {
		s = kn_err_set(err, KN_FAIL, "backup to '%s': %s", dest, sqlite3_errmsg(to));
		goto done;
	}
	/* in steps, so writers are only held up for a moment at a time */
	int rc;
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		s = kn_err_set(err, KN_FAIL, "backup to '%s': %s", dest, sqlite3_errstr(rc));
done:
	sqlite3_close(to);
	if (s != KN_OK)
		unlink(dest);
	return s;
}

kn_status kn_log_each(struct kn_db *db, const struct kn_log_filter *f, kn_log_cb cb,
                      void *ud, struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s;

	s = kn_prepare(db,
	               /* --limit N: the N newest, shown oldest first like the rest */
	               "SELECT * FROM (SELECT id, at, actor, command, entity, entity_id, summary,"
	               "  owner_id FROM audit"
	               " WHERE (?1 = 0 OR owner_id = ?1 OR (entity = 'owner' AND entity_id <= ?1"
	               "                   AND entity_id_last >= ?1))"
	               "   AND (?2 IS NULL OR at >= ?2)"
	               " ORDER BY id DESC LIMIT ?3) ORDER BY id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, f->owner_id);
	kn_bind_text(st, 2, f->since);
	sqlite3_bind_int64(st, 3, f->limit > 0 ? f->limit : -1);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kn_log_entry e = {
			.id = sqlite3_column_int64(st, 0),
			.at = kn_col_text(st, 1),
			.actor = kn_col_text(st, 2),
			.command = kn_col_text(st, 3),
			.entity = kn_col_text(st, 4),
			.entity_id = sqlite3_column_int64(st, 5),
			.summary = kn_col_text(st, 6),
			.owner_id = sqlite3_column_int64(st, 7),
		};
		if ((s = cb(ud, &e)) != KN_OK)
			break;
	}
	if (s == KN_OK && rc != SQLITE_DONE)
		s = kn_sql_fail(db, err, "reading the audit log");
	sqlite3_finalize(st);
	return s;
}

void kn_log_print(struct kn_printer *p, const struct kn_log_entry *e)
{
	kn_rec_begin(p);
	kn_put_int(p, "id", e->id, 0);
	kn_put_str(p, "at", e->at, 1);
	kn_put_str(p, "actor", e->actor, 1);
	kn_put_str(p, "command", e->command, 1);
	/* the line names what changed: "pet:7 (owner:3)" */
	char record[96];
	int n = e->entity_id > 0 ? snprintf(record, sizeof record, "%s:%lld", e->entity, e->entity_id)
	                         : snprintf(record, sizeof record, "%s", e->entity);
	if (e->owner_id > 0 && strcmp(e->entity, "owner") != 0 && n > 0 && (size_t)n < sizeof record)
		snprintf(record + n, sizeof record - (size_t)n, " (owner:%lld)", e->owner_id);
	kn_put_str(p, "record", record, 1);
	kn_put_str(p, "entity", e->entity, 0);
	if (e->entity_id > 0)
		kn_put_int(p, "entity_id", e->entity_id, 0);
	else
		kn_put_str(p, "entity_id", NULL, 0); /* a batch entry names no one record */
	if (e->owner_id > 0)
		kn_put_int(p, "owner_id", e->owner_id, 0);
	else
		kn_put_str(p, "owner_id", NULL, 0);
	kn_put_str(p, "summary", e->summary, 1);
	kn_rec_end(p);
}
