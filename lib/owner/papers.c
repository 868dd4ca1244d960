/*
 * Vet papers (PORTAL 3, SPEC vax): what an owner uploads from the pet
 * page, kept in the database for staff to read and enter as
 * vaccinations.  The type is read from the content, never from the name
 * or the browser's word: a PDF, a JPEG or a PNG, at most 10 MiB.  The
 * portal never serves them back; staff save them to a file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/kn_outfile.h"
#include "owner/kn_owner.h"

const char *kn_papers_sniff(const unsigned char *data, size_t len)
{
	if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
		return "pdf";
	if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "png";
	if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
		return "jpeg";
	return NULL;
}

/* The name as kept: the last path part, printable ASCII but quotes and
 * backslashes (a name is shown, never trusted), at most 100 bytes. */
static void clean_name(const char *name, char out[101])
{
	const char *base = name ? name : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)base; *p && n < 100; p++)
		out[n++] = *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' ? (char)*p : '_';
	out[n] = '\0';
	if (n == 0)
		snprintf(out, 101, "papers");
}

kn_status kn_papers_add(struct kn_db *db, long long pet, const char *filename,
                        const unsigned char *data, size_t len, long long *id, struct kn_err *err)
{
	sqlite3_stmt *st;
	char name[101], now[20];
	if (len == 0)
		return kn_err_set(err, KN_FAIL, "The file is empty: choose the papers' file.");
	if (len > KN_PAPERS_MAX)
		return kn_err_set(err, KN_FAIL, "The file is larger than 10 MB: send a smaller scan.");
	const char *type = kn_papers_sniff(data, len);
	if (type == NULL)
		return kn_err_set(err, KN_FAIL, "Send a PDF, a JPEG or a PNG file: this one is none "
		                  "of them.");
	clean_name(filename, name);
	kn_now_text(now);
	kn_status s = kn_prepare(db, "INSERT INTO pet_papers (pet_id, filename, type, size, data,"
	                             " uploaded_at) VALUES (?, ?, ?, ?, ?, ?)", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, pet);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)len);
	sqlite3_bind_blob64(st, 5, data, len, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "keeping the papers");
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	*id = sqlite3_last_insert_rowid(db->h);
	return kn_audit(db, "pet", pet, err, "vet papers %lld sent: %s (%s, %zu bytes)", *id, name,
	                type, len);
}

#define PAPER_COLUMNS \
	"p.id, p.pet_id, t.name, trim(o.first_name || ' ' || o.last_name), p.filename, p.type," \
	" p.size, p.uploaded_at, p.done_at, p.done_by, p.note, o.id"

static void paper_fields(struct kn_printer *p, sqlite3_stmt *st)
{
	kn_put_int(p, "id", sqlite3_column_int64(st, 0), 1);
	kn_put_int(p, "pet_id", sqlite3_column_int64(st, 1), 0);
	kn_put_str(p, "pet", kn_col_text(st, 2), 1);
	kn_put_int(p, "owner_id", sqlite3_column_int64(st, 11), 0);
	kn_put_str(p, "owner", kn_col_text(st, 3), 1);
	kn_put_str(p, "filename", kn_col_text(st, 4), 1);
	kn_put_str(p, "type", kn_col_text(st, 5), 1);
	kn_put_int(p, "size", sqlite3_column_int64(st, 6), 1);
	kn_put_str(p, "uploaded_at", kn_col_text(st, 7), 1);
	kn_put_str(p, "done_at", kn_col_text(st, 8), 1);
	kn_put_str(p, "done_by", kn_col_text(st, 9), 0);
	kn_put_str(p, "note", kn_col_text(st, 10), 0);
}

kn_status kn_papers_list(struct kn_db *db, int pending, long long id, struct kn_printer *p,
                         struct kn_err *err)
{
	sqlite3_stmt *st;
	int row = 0, n = 0;
	kn_status s = kn_prepare(db, "SELECT " PAPER_COLUMNS " FROM pet_papers p"
	                             " JOIN pets t ON t.id = p.pet_id JOIN owners o ON o.id = t.owner_id"
	                             " WHERE (?1 = 0 OR p.done_at IS NULL) AND (?2 = 0 OR p.id = ?2)"
	                             " ORDER BY p.uploaded_at, p.id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int(st, 1, pending);
	sqlite3_bind_int64(st, 2, id);
	if (id == 0)
		kn_list_begin(p);
	while ((s = kn_step_row(db, st, &row, "listing papers", err)) == KN_OK && row) {
		kn_rec_begin(p);
		paper_fields(p, st);
		kn_rec_end(p);
		n++;
	}
	if (id == 0)
		kn_list_end(p);
	sqlite3_finalize(st);
	if (s == KN_OK && id && n == 0)
		return kn_err_set(err, KN_FAIL, "papers %lld not found", id);
	return s;
}

kn_status kn_papers_save(struct kn_db *db, long long id, const char *path, struct kn_err *err)
{
	sqlite3_stmt *st;
	struct kn_outfile *f = NULL;
	int row = 0;
	kn_status s = kn_prepare(db, "SELECT data FROM pet_papers WHERE id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	if ((s = kn_step_row(db, st, &row, "reading the papers", err)) == KN_OK && !row)
		s = kn_err_set(err, KN_FAIL, "papers %lld not found", id);
	if (s == KN_OK)
		s = kn_outfile_open(db, path, NULL, 1, &f, err);
	if (s == KN_OK && f) {
		const void *data = sqlite3_column_blob(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		if (fwrite(data, 1, len, kn_outfile_stream(f)) != len)
			s = kn_err_set(err, KN_FAIL, "writing %s failed", path);
		if (s == KN_OK)
			s = kn_outfile_flush(f, err);
		if (s == KN_OK)
			s = kn_outfile_publish(f, err);
		else
			kn_outfile_discard(f);
	}
	sqlite3_finalize(st);
	return s;
}

kn_status kn_papers_done(struct kn_db *db, long long id, const char *note, struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	long long pet = 0;
	int row = 0;
	kn_status s = kn_prepare(db, "SELECT pet_id, done_at IS NOT NULL FROM pet_papers WHERE id = ?",
	                         &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	if ((s = kn_step_row(db, st, &row, "reading the papers", err)) == KN_OK && !row)
		s = kn_err_set(err, KN_FAIL, "papers %lld not found", id);
	else if (s == KN_OK && sqlite3_column_int(st, 1))
		s = kn_err_set(err, KN_FAIL, "papers %lld are done already", id);
	if (s == KN_OK)
		pet = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	if ((s = kn_prepare(db, "UPDATE pet_papers SET done_at = ?, done_by = ?, note = ?"
	                        " WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	kn_bind_text(st, 2, db->actor);
	kn_bind_text(st, 3, note);
	sqlite3_bind_int64(st, 4, id);
	if ((s = kn_step_done(db, st, "marking the papers done", err)) == KN_OK)
		s = kn_audit(db, "pet", pet, err, "vet papers %lld done%s%s", id, note ? ": " : "",
		             note ? note : "");
	sqlite3_finalize(st);
	return s;
}
