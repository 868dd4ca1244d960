/*
 * Streaming CSV input for every import (SPEC.md section 4), over libcsv.
 *
 * The file is fed to libcsv one physical line at a time, so the reader
 * knows on which line each record starts even when quoted fields span
 * lines, and a record is handed out as soon as it ends: memory holds one
 * record, whatever the size of the file.
 */
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kn_csv.h"

#define READ_SIZE (64 * 1024)
/* A record this long is an unterminated quote swallowing the file. */
#define MAX_RECORD (1024 * 1024)

struct kn_csv {
	FILE *in;
	const char *name;
	struct csv_parser parser;
	char *buf;
	size_t buf_len, buf_pos;
	int eof, at_start, finished, borrowed;
	long line;             /* physical line being fed */
	long record_line;      /* where the record being parsed started */
	int record_open;
	long long bytes, total;
	/* the record: cells stored back to back in text */
	struct kn_buf text;
	size_t *offsets;
	size_t ncells, cap_cells;
	int record_done;
	/* header and mapping */
	char **header;
	size_t nheader;
	int *column_field;     /* per column: field index or -1 */
	int *field_column;     /* per field: column index or -1 */
	size_t nfields;
	char row_error[256];
	long done_line;
};

static void on_field(void *data, size_t len, void *ud)
{
	struct kn_csv *r = ud;

	if (r->ncells + 1 >= r->cap_cells) {
		size_t cap = r->cap_cells ? r->cap_cells * 2 : 32;
		r->offsets = kn_xrealloc(r->offsets, cap * sizeof *r->offsets);
		r->cap_cells = cap;
	}
	r->offsets[r->ncells++] = r->text.len;
	kn_buf_add(&r->text, data ? data : "", data ? len : 0);
	kn_buf_add(&r->text, "", 1); /* keep the terminating NUL as a separator */
}

static void on_record(int c, void *ud)
{
	struct kn_csv *r = ud;
	(void)c;
	r->record_done = 1;
	r->done_line = r->record_line;
	r->record_open = 0;
}

kn_status kn_csv_open(struct kn_csv **out, const char *path, struct kn_err *err)
{
	struct kn_csv *r = calloc(1, sizeof *r);

	if (r == NULL)
		abort();
	if (strcmp(path, "-") == 0) {
		r->in = stdin;
		r->name = "<stdin>";
	} else {
		r->in = fopen(path, "rb");
		r->name = path;
		if (r->in == NULL) {
			kn_err_set(err, KN_FAIL, "cannot open '%s': %s", path, strerror(errno));
			free(r);
			return KN_FAIL;
		}
		struct stat sb;
		if (fstat(fileno(r->in), &sb) == 0 && S_ISREG(sb.st_mode))
			r->total = (long long)sb.st_size;
	}
	if (csv_init(&r->parser, CSV_APPEND_NULL | CSV_STRICT_FINI) != 0)
		abort();
	r->buf = kn_xmalloc(READ_SIZE);
	r->at_start = 1;
	*out = r;
	return KN_OK;
}

kn_status kn_csv_open_stream(struct kn_csv **out, FILE *in, const char *name)
{
	struct kn_csv *r = calloc(1, sizeof *r);

	if (r == NULL)
		abort();
	r->in = in;
	r->name = name;
	r->borrowed = 1;
	if (csv_init(&r->parser, CSV_APPEND_NULL | CSV_STRICT_FINI) != 0)
		abort();
	r->buf = kn_xmalloc(READ_SIZE);
	r->at_start = 1;
	*out = r;
	return KN_OK;
}

void kn_csv_close(struct kn_csv *r)
{
	if (r == NULL)
		return;
	if (r->in && r->in != stdin && !r->borrowed)
		fclose(r->in);
	csv_free(&r->parser);
	free(r->buf);
	kn_buf_free(&r->text);
	free(r->offsets);
	for (size_t i = 0; i < r->nheader; i++)
		free(r->header[i]);
	free(r->header);
	free(r->column_field);
	free(r->field_column);
	free(r);
}

static int refill(struct kn_csv *r)
{
	if (r->buf_pos > 0) {
		memmove(r->buf, r->buf + r->buf_pos, r->buf_len - r->buf_pos);
		r->buf_len -= r->buf_pos;
		r->buf_pos = 0;
	}
	size_t n = fread(r->buf + r->buf_len, 1, READ_SIZE - r->buf_len, r->in);
	r->buf_len += n;
	if (n == 0)
		r->eof = 1;
	if (r->at_start && r->buf_len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
		r->buf_pos = 3; /* a UTF-8 byte order mark is no part of the header */
	if (r->at_start && (r->buf_len >= 3 || r->eof))
		r->at_start = 0;
	return n > 0;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Feeds lines until a record ends. 1: a record, 0: end of input, <0 error */
static int read_record(struct kn_csv *r, struct kn_err *err)
{
	r->ncells = 0;
	r->text.len = 0;
	r->record_done = 0;
	for (;;) {
		if (r->buf_pos == r->buf_len || r->at_start) {
			if (r->eof || !refill(r)) {
				if (r->buf_pos < r->buf_len)
					goto feed_rest;
				if (r->finished)
					return 0;
				r->finished = 1;
				/* strict only now: libcsv reports an open quote at the
				 * end only in strict mode, which mid-file would stop at
				 * the first stray quote instead of keeping it literal */
				csv_set_opts(&r->parser, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI);
				if (csv_fini(&r->parser, on_field, on_record, r) != 0) {
					if (!r->record_done) {
						snprintf(r->row_error, sizeof r->row_error,
						         "unterminated quoted field");
						r->done_line = r->record_line;
						r->record_open = 0;
						r->record_done = 1;
					}
				}
				return r->record_done;
			}
			continue;
		}
feed_rest:;
		char *start = r->buf + r->buf_pos;
		size_t avail = r->buf_len - r->buf_pos;
		char *nl = memchr(start, '\n', avail);
		size_t n;
		if (nl == NULL && !r->eof && avail < READ_SIZE) {
			refill(r); /* get the whole line into the buffer if it fits */
			continue;
		}
		n = nl ? (size_t)(nl - start) + 1 : avail;
		if (!r->record_open && !blank(start, n)) {
			r->record_open = 1;
			r->record_line = r->line + 1;
		}
		if (csv_parse(&r->parser, start, n, on_field, on_record, r) != n)
			return kn_err_set(err, KN_FAIL, "%s: line %ld: %s", r->name, r->line + 1,
			                  csv_strerror(csv_error(&r->parser))), -1;
		r->buf_pos += n;
		r->bytes += (long long)n;
		if (nl)
			r->line++;
		if (csv_get_buffer_size(&r->parser) > MAX_RECORD || r->text.len > MAX_RECORD)
			return kn_err_set(err, KN_FAIL,
			                  "%s: line %ld: a field longer than 1 MiB (unterminated quote?)",
			                  r->name, r->record_line), -1;
		if (r->record_done)
			return 1;
	}
}

/* "E-mail Address" -> "emailaddress": what header matching compares */
void kn_csv_normalise(const char *in, char *out, size_t outlen)
{
	size_t j = 0;
	for (const char *c = in; *c && j + 1 < outlen; c++) {
		if (*c == ' ' || *c == '_' || *c == '-' || *c == '.' || *c == '\t')
			continue;
		out[j++] = (char)tolower((unsigned char)*c);
	}
	out[j] = '\0';
}

static int alias_match(const struct kn_csv_field *f, const char *norm)
{
	char name[64];
	kn_csv_normalise(f->name, name, sizeof name);
	if (strcmp(name, norm) == 0)
		return 1;
	for (const char *a = f->aliases; a && *a;) {
		const char *sp = strchr(a, ' ');
		size_t n = sp ? (size_t)(sp - a) : strlen(a);
		if (strlen(norm) == n && strncmp(a, norm, n) == 0)
			return 1;
		if (!sp)
			break;
		a = sp + 1;
	}
	return 0;
}

kn_status kn_csv_header(struct kn_csv *r, const struct kn_csv_field *fields, size_t nfields,
                        const char *const *maps, kn_line_cb notice, void *ud,
                        struct kn_err *err)
{
	int got = read_record(r, err);
	if (got < 0)
		return KN_FAIL;
	if (got == 0)
		return kn_err_set(err, KN_FAIL, "%s: empty file: no header row", r->name);
	r->nheader = r->ncells;
	r->header = kn_xmalloc(r->nheader * sizeof *r->header);
	r->column_field = kn_xmalloc(r->nheader * sizeof *r->column_field);
	r->field_column = kn_xmalloc(nfields * sizeof *r->field_column);
	r->nfields = nfields;
	for (size_t f = 0; f < nfields; f++)
		r->field_column[f] = -1;
	for (size_t c = 0; c < r->nheader; c++) {
		r->header[c] = kn_xstrdup(r->text.data + r->offsets[c]);
		r->column_field[c] = -1;
	}
	/* --map first: the user's word beats our aliases */
	for (size_t c = 0; c < r->nheader; c++) {
		char norm[256], mnorm[256];
		kn_csv_normalise(r->header[c], norm, sizeof norm);
		for (const char *const *m = maps; m && *m; m++) {
			const char *eq = strrchr(*m, '=');
			if (eq == NULL)
				return kn_err_set(err, KN_USAGE,
				                  "invalid --map '%s' (use 'Their Header=field')", *m);
			char theirs[256];
			snprintf(theirs, sizeof theirs, "%.*s", (int)(eq - *m), *m);
			kn_csv_normalise(theirs, mnorm, sizeof mnorm);
			if (strcmp(mnorm, norm) != 0)
				continue;
			size_t f;
			for (f = 0; f < nfields; f++)
				if (strcmp(fields[f].name, eq + 1) == 0)
					break;
			if (f == nfields)
				return kn_err_set(err, KN_USAGE, "invalid --map '%s': unknown field '%s'",
				                  *m, eq + 1);
			r->column_field[c] = (int)f;
		}
		if (r->column_field[c] >= 0)
			continue;
		for (size_t f = 0; f < nfields; f++)
			if (alias_match(&fields[f], norm)) {
				r->column_field[c] = (int)f;
				break;
			}
	}
	for (size_t c = 0; c < r->nheader; c++) {
		int f = r->column_field[c];
		char line[512];
		if (f < 0) {
			snprintf(line, sizeof line, "%s: unknown column '%s' ignored", r->name,
			         r->header[c]);
			if (notice)
				notice(ud, line);
			continue;
		}
		if (r->field_column[f] >= 0)
			return kn_err_set(err, KN_FAIL, "%s: columns '%s' and '%s' both give %s",
			                  r->name, r->header[r->field_column[f]], r->header[c],
			                  fields[f].name);
		r->field_column[f] = (int)c;
	}
	for (size_t f = 0; f < nfields; f++)
		if (fields[f].required && r->field_column[f] < 0)
			return kn_err_set(err, KN_FAIL, "%s: missing required column '%s'", r->name,
			                  fields[f].name);
	return KN_OK;
}

int kn_csv_next(struct kn_csv *r, struct kn_err *err)
{
	r->row_error[0] = '\0';
	int got = read_record(r, err);
	if (got <= 0)
		return got;
	if (r->row_error[0] != '\0')
		return 1;
	if (r->ncells != r->nheader) {
		snprintf(r->row_error, sizeof r->row_error, "%zu fields, the header has %zu",
		         r->ncells, r->nheader);
		return 1;
	}
	for (size_t c = 0; c < r->ncells; c++) {
		const char *v = r->text.data + r->offsets[c];
		size_t len = (c + 1 < r->ncells ? r->offsets[c + 1] - 1 : r->text.len - 1) -
		             r->offsets[c];
		if (!kn_utf8_valid(v, len)) {
			snprintf(r->row_error, sizeof r->row_error, "invalid UTF-8 in column '%s'",
			         r->header[c]);
			return 1;
		}
	}
	return 1;
}

const char *kn_csv_get(const struct kn_csv *r, size_t field)
{
	if (field >= r->nfields || r->field_column[field] < 0)
		return NULL;
	size_t c = (size_t)r->field_column[field];
	if (c >= r->ncells)
		return NULL;
	return r->text.data + r->offsets[c];
}

int kn_csv_has(const struct kn_csv *r, size_t field)
{
	return field < r->nfields && r->field_column[field] >= 0;
}

long kn_csv_line(const struct kn_csv *r)
{
	return r->done_line;
}

const char *kn_csv_row_error(const struct kn_csv *r)
{
	return r->row_error[0] ? r->row_error : NULL;
}

const char *kn_csv_name(const struct kn_csv *r)
{
	return r->name;
}

void kn_csv_progress(const struct kn_csv *r, long long *bytes, long long *total)
{
	*bytes = r->bytes;
	*total = r->total;
}

/* ---- rejects: the original row plus line and reason ---------------- */

struct kn_rejects {
	FILE *out;
	char *path;
};

void kn_csv_write_cell(FILE *out, const char *v, int first)
{
	if (!first)
		fputc(',', out);
	if (v == NULL)
		return;
	if (strpbrk(v, ",\"\r\n") == NULL && v[0] != ' ') {
		fputs(v, out);
		return;
	}
	fputc('"', out);
	for (const char *c = v; *c; c++) {
		if (*c == '"')
			fputc('"', out);
		fputc(*c, out);
	}
	fputc('"', out);
}

kn_status kn_rejects_open(struct kn_rejects **out, const char *path, const struct kn_csv *r,
                          struct kn_err *err)
{
	*out = NULL;
	if (path == NULL)
		return KN_OK;
	/* rejected rows hold owners' personal data: private like the database */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return kn_err_set(err, KN_FAIL, "cannot create rejects file '%s': %s", path,
		                  strerror(errno));
	struct kn_rejects *w = calloc(1, sizeof *w);
	if (w == NULL)
		abort();
	w->out = fdopen(fd, "w");
	w->path = kn_xstrdup(path);
	for (size_t c = 0; c < r->nheader; c++)
		kn_csv_write_cell(w->out, r->header[c], c == 0);
	kn_csv_write_cell(w->out, "line", r->nheader == 0);
	kn_csv_write_cell(w->out, "reason", 0);
	fputs("\r\n", w->out);
	*out = w;
	return KN_OK;
}

void kn_rejects_add(struct kn_rejects *w, const struct kn_csv *r, const char *reason)
{
	char line[32];

	if (w == NULL)
		return;
	/* keep the row's shape so the fixed file imports again */
	for (size_t c = 0; c < r->nheader; c++)
		kn_csv_write_cell(w->out, c < r->ncells ? r->text.data + r->offsets[c] : "", c == 0);
	snprintf(line, sizeof line, "%ld", r->done_line);
	kn_csv_write_cell(w->out, line, r->nheader == 0);
	kn_csv_write_cell(w->out, reason, 0);
	fputs("\r\n", w->out);
}

kn_status kn_rejects_close(struct kn_rejects *w, struct kn_err *err)
{
	kn_status st = KN_OK;

	if (w == NULL)
		return KN_OK;
	if (fclose(w->out) != 0)
		st = kn_err_set(err, KN_FAIL, "writing rejects file '%s': %s", w->path,
		                strerror(errno));
	free(w->path);
	free(w);
	return st;
}
