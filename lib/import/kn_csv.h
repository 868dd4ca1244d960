/* The CSV reader and rejects writer shared by every import (lib only). */
#ifndef KN_CSV_H
#define KN_CSV_H

#include "base/kn_internal.h"

struct kn_csv_field {
	const char *name;     /* canonical: first_name */
	const char *aliases;  /* normalised, space separated: "firstname fname" */
	int required;
};

struct kn_csv;
kn_status kn_csv_open(struct kn_csv **r, const char *path, struct kn_err *err);
/* A reader over a stream the caller keeps (and closes). */
kn_status kn_csv_open_stream(struct kn_csv **r, FILE *in, const char *name);
void kn_csv_close(struct kn_csv *r);
/* Reads the header and maps its columns to fields; unknown columns are
 * reported through notice, a missing required one is an error. */
kn_status kn_csv_header(struct kn_csv *r, const struct kn_csv_field *fields, size_t nfields,
                        const char *const *maps, kn_line_cb notice, void *ud,
                        struct kn_err *err);
/* The next record: *row 1 and a row (check kn_csv_row_error), or 0 at the
 * end; a read error that stops the file is KN_FAIL. */
kn_status kn_csv_next(struct kn_csv *r, int *row, struct kn_err *err);
const char *kn_csv_get(const struct kn_csv *r, size_t field);
int kn_csv_has(const struct kn_csv *r, size_t field);
/* The physical lines of the last record: first (where it starts) and last;
 * a rejected malformed record is its first line alone. */
long kn_csv_line(const struct kn_csv *r);
long kn_csv_last_line(const struct kn_csv *r);
const char *kn_csv_row_error(const struct kn_csv *r);
const char *kn_csv_name(const struct kn_csv *r);
void kn_csv_progress(const struct kn_csv *r, long long *bytes, long long *total);
void kn_csv_normalise(const char *in, char *out, size_t outlen);

/* One RFC 4180 cell, quoted when it must be; NULL writes an empty cell. */
void kn_csv_write_cell(FILE *out, const char *v, int first);

/* The rejects file: opened before the input is read (a target that is the
 * input is refused), flushed before the commit, put in place after it. */
struct kn_rejects;
kn_status kn_rejects_open(struct kn_db *db, const char *path, const char *input,
                          struct kn_rejects **w, struct kn_err *err);
void kn_rejects_header(struct kn_rejects *w, const struct kn_csv *r);
void kn_rejects_add(struct kn_rejects *w, const struct kn_csv *r, const char *reason);
kn_status kn_rejects_flush(struct kn_rejects *w, struct kn_err *err);
kn_status kn_rejects_finish(struct kn_rejects *w, int committed, struct kn_err *err);

#endif
