/*
 * Streaming CSV input for every import (SPEC.md section 4).
 *
 * RFC 4180, read one physical line at a time (CR, LF or CRLF ends a line),
 * so the reader always knows which lines a record spans, and a record is
 * handed out as soon as it ends: memory holds one record, whatever the size
 * of the file.
 *
 * Why not libcsv any more: its one "strict" switch either stops the file at
 * the first quote inside an unquoted field (5'10" tall) or lets a quoted
 * field with text after its closing quote ("Apt 4"B) swallow every following
 * row into one address until the next quote.  Here a quote inside an
 * unquoted field is kept as text, and a malformed record is a row error for
 * the line it starts on alone: when a quote opened on that line does not
 * close where a row can end, the lines after it are read again as rows of
 * their own.  Every line of the file is a row, part of a quoted row, blank,
 * or the one line of a rejected row.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import/kn_csv.h"
#include "base/kn_outfile.h"

#define READ_SIZE (64 * 1024)
/* A record longer than this, or spanning more lines, is a quote that never
 * closed; the bound also keeps the re-reading of such lines linear. */
#define MAX_RECORD (1024 * 1024)
#define MAX_RECORD_LINES 100

enum parse_state { FIELD_START, UNQUOTED, QUOTED, QUOTE_SEEN, AFTER_QUOTE };

struct kn_csv {
	FILE *in;
	const char *name;
	char *buf;
	size_t buf_len, buf_pos;
	int eof, at_start, borrowed;
	long line;             /* physical lines read from the input */
	long long bytes, total;
	/* lines given back after a malformed record, read again first */
	struct kn_buf replay;
	size_t replay_pos;
	long replay_line;
	/* the record being read: its physical lines, as read */
	struct kn_buf raw;
	size_t first_len;
	long record_line, last_line;
	int nlines;
	enum parse_state state;
	size_t field_start;    /* in text: where the open field began */
	/* the record: cells stored back to back in text, NUL-separated */
	struct kn_buf text;
	size_t *offsets;
	size_t ncells, cap_cells;
	/* header and mapping */
	char **header;
	size_t nheader;
	int *column_field;     /* per column: field index or -1 */
	int *field_column;     /* per field: column index or -1 */
	size_t nfields;
	char row_error[256];
	long done_line;
};

kn_status kn_csv_open(struct kn_csv **out, const char *path, struct kn_err *err)
{
	struct kn_csv *r = kn_xcalloc(1, sizeof *r);

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
	r->buf = kn_xmalloc(READ_SIZE);
	r->at_start = 1;
	*out = r;
	return KN_OK;
}

kn_status kn_csv_open_stream(struct kn_csv **out, FILE *in, const char *name)
{
	struct kn_csv *r = kn_xcalloc(1, sizeof *r);

	r->in = in;
	r->name = name;
	r->borrowed = 1;
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
	free(r->buf);
	kn_buf_free(&r->replay);
	kn_buf_free(&r->raw);
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
	if (r->at_start && r->buf_len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		r->buf_pos = 3; /* a UTF-8 byte order mark is no part of the header */
		r->bytes += 3;
	}
	if (r->at_start && (r->buf_len >= 3 || r->eof))
		r->at_start = 0;
	return n > 0;
}

/* The length of the line at s (its terminator included), or 0 when no
 * terminator is in the n bytes; a CR as the last byte counts only at_end. */
static size_t line_length(const char *s, size_t n, int at_end)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			return i + 1;
		if (s[i] == '\r') {
			if (i + 1 < n)
				return s[i + 1] == '\n' ? i + 2 : i + 1;
			return at_end ? i + 1 : 0;
		}
	}
	return 0;
}

static void keep(struct kn_csv *r, const char *s, size_t n, size_t line_start, int *too_long)
{
	size_t room = r->raw.len - line_start < MAX_RECORD ? MAX_RECORD - (r->raw.len - line_start)
	                                                   : 0;
	if (n > room) {
		n = room;
		*too_long = 1;
	}
	kn_buf_add(&r->raw, s, n);
}

/* Appends the next physical line to r->raw; 0 at the end of the input. A
 * line over MAX_RECORD is kept cut short, *too_long set, the rest skipped. */
static int next_line(struct kn_csv *r, long *lineno, int *too_long)
{
	size_t start = r->raw.len;

	*too_long = 0;
	if (r->replay_pos < r->replay.len) {
		const char *s = r->replay.data + r->replay_pos;
		size_t avail = r->replay.len - r->replay_pos;
		size_t n = line_length(s, avail, 1);
		if (n == 0)
			n = avail;
		kn_buf_add(&r->raw, s, n);
		r->replay_pos += n;
		if (r->replay_pos == r->replay.len)
			r->replay.len = r->replay_pos = 0;
		*lineno = r->replay_line++;
		return 1;
	}
	int got = 0;
	for (;;) {
		/* a read may bring nothing new but the byte order mark it skips */
		while (r->buf_pos == r->buf_len && !r->eof)
			refill(r);
		if (r->buf_pos == r->buf_len)
			break;
		const char *s = r->buf + r->buf_pos;
		size_t avail = r->buf_len - r->buf_pos;
		size_t n = line_length(s, avail, r->eof);
		got = 1;
		if (n > 0) {
			keep(r, s, n, start, too_long);
			r->buf_pos += n;
			r->bytes += (long long)n;
			break;
		}
		/* no whole line here: keep what there is (but a last CR, whose LF
		 * may come with the next read) and read on */
		size_t take = s[avail - 1] == '\r' ? avail - 1 : avail;
		keep(r, s, take, start, too_long);
		r->buf_pos += take;
		r->bytes += (long long)take;
		refill(r);
	}
	if (!got)
		return 0;
	*lineno = ++r->line;
	return 1;
}

static void begin_field(struct kn_csv *r)
{
	if (r->ncells + 1 >= r->cap_cells) {
		size_t cap = r->cap_cells ? r->cap_cells * 2 : 32;
		r->offsets = kn_xrealloc(r->offsets, cap * sizeof *r->offsets);
		r->cap_cells = cap;
	}
	r->offsets[r->ncells++] = r->text.len;
	r->field_start = r->text.len;
}

static void end_field(struct kn_csv *r, int quoted)
{
	char *f = r->text.data ? r->text.data + r->field_start : NULL;
	size_t len = r->text.len - r->field_start;

	if (!quoted) /* spaces around an unquoted value are no part of it */
		while (len > 0 && (f[len - 1] == ' ' || f[len - 1] == '\t'))
			r->text.len = r->field_start + --len;
	/* the leading ' that our CSV output puts before a formula (SPEC 4b) */
	if (len >= 2 && f[0] == '\'' && kn_csv_needs_guard(f + 1)) {
		memmove(f, f + 1, len - 1);
		r->text.len--;
	}
	kn_buf_add(&r->text, "", 1); /* the NUL that separates the cells */
}

/*
 * Parses one line of the record (s, n: without its terminator; term: the
 * terminator, empty at the end of the input).  Returns 1 when the record
 * ended, 0 when a quoted field goes on to the next line, -1 with why set
 * when the line is malformed.
 */
static int parse_line(struct kn_csv *r, const char *s, size_t n, const char *term,
                      size_t tlen, const char **why)
{
	size_t i = 0;

	while (i < n) {
		char c = s[i];
		switch (r->state) {
		case FIELD_START:
			if (c == ' ' || c == '\t') {
				i++;
				continue;
			}
			begin_field(r);
			if (c == '"') {
				r->state = QUOTED;
				i++;
			} else if (c == ',') {
				end_field(r, 0);
				i++;
			} else {
				r->state = UNQUOTED;
			}
			break;
		case UNQUOTED: {
			const char *comma = memchr(s + i, ',', n - i);
			size_t span = comma ? (size_t)(comma - (s + i)) : n - i;
			kn_buf_add(&r->text, s + i, span);
			i += span;
			if (comma) {
				end_field(r, 0);
				r->state = FIELD_START;
				i++;
			}
			break;
		}
		case QUOTED: {
			const char *q = memchr(s + i, '"', n - i);
			size_t span = q ? (size_t)(q - (s + i)) : n - i;
			kn_buf_add(&r->text, s + i, span);
			i += span;
			if (q) {
				r->state = QUOTE_SEEN;
				i++;
			}
			break;
		}
		case QUOTE_SEEN:
			if (c == '"') {
				kn_buf_add(&r->text, "\"", 1);
				r->state = QUOTED;
			} else if (c == ',') {
				end_field(r, 1);
				r->state = FIELD_START;
			} else if (c == ' ' || c == '\t') {
				r->state = AFTER_QUOTE;
			} else {
				*why = "text after a closing quote";
				return -1;
			}
			i++;
			break;
		case AFTER_QUOTE:
			if (c == ',') {
				end_field(r, 1);
				r->state = FIELD_START;
			} else if (c != ' ' && c != '\t') {
				*why = "text after a closing quote";
				return -1;
			}
			i++;
			break;
		}
	}
	if (r->state == QUOTED) {
		if (tlen == 0) {
			*why = "unterminated quoted field";
			return -1;
		}
		kn_buf_add(&r->text, term, tlen); /* a line break inside quotes is data */
		return 0;
	}
	if (r->state == FIELD_START)
		begin_field(r);
	end_field(r, r->state == QUOTE_SEEN || r->state == AFTER_QUOTE);
	return 1;
}

static void start_record(struct kn_csv *r)
{
	r->raw.len = 0;
	r->text.len = 0;
	r->ncells = 0;
	r->nlines = 0;
	r->state = FIELD_START;
}

/* The record that starts on record_line is malformed: that line alone is the
 * rejected row, and the lines after it are read again as rows. */
static int malformed(struct kn_csv *r, const char *why)
{
	struct kn_buf rest = { 0 };

	if (r->raw.len > r->first_len)
		kn_buf_add(&rest, r->raw.data + r->first_len, r->raw.len - r->first_len);
	if (r->replay.len > r->replay_pos)
		kn_buf_add(&rest, r->replay.data + r->replay_pos, r->replay.len - r->replay_pos);
	kn_buf_free(&r->replay);
	r->replay = rest;
	r->replay_pos = 0;
	r->replay_line = r->record_line + 1;
	snprintf(r->row_error, sizeof r->row_error, "%s", why);
	r->done_line = r->last_line = r->record_line;
	/* the rejected row, as it was: the line in its first cell */
	size_t len = r->first_len;
	while (len > 0 && (r->raw.data[len - 1] == '\n' || r->raw.data[len - 1] == '\r'))
		len--;
	r->text.len = 0;
	r->ncells = 0;
	begin_field(r);
	kn_buf_add(&r->text, r->raw.data, len);
	kn_buf_add(&r->text, "", 1);
	return 1;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Reads one record. 1: a record (row_error set if it is malformed), 0: the
 * end of the input. */
static int read_record(struct kn_csv *r)
{
	start_record(r);
	for (;;) {
		size_t from = r->raw.len;
		long lineno;
		int too_long;
		if (!next_line(r, &lineno, &too_long)) {
			if (r->nlines == 0)
				return 0;
			return malformed(r, "unterminated quoted field");
		}
		const char *s = r->raw.data + from;
		size_t n = r->raw.len - from;
		if (r->nlines == 0) {
			if (blank(s, n) && !too_long) {
				r->raw.len = 0;
				continue;
			}
			r->record_line = lineno;
			r->first_len = r->raw.len;
		}
		r->last_line = lineno;
		r->nlines++;
		const char *why = NULL;
		int done = 0;
		if (too_long)
			why = "a line longer than 1 MiB";
		else if (memchr(s, '\0', n) != NULL)
			why = "a NUL byte";
		if (why == NULL) {
			/* next_line ends a line with one CR, LF or CRLF, or none at the end */
			size_t tlen = n > 0 && s[n - 1] == '\n' ? (n > 1 && s[n - 2] == '\r' ? 2 : 1)
			              : n > 0 && s[n - 1] == '\r' ? 1 : 0;
			done = parse_line(r, s, n - tlen, s + n - tlen, tlen, &why);
		}
		/* on its first line the line alone is bad; later, it is the quote
		 * that the first line opened and never closed */
		if (why != NULL)
			return malformed(r, r->nlines == 1 ? why : "unterminated quoted field");
		if (done) {
			if (r->nlines > 1 && r->nheader > 0 && r->ncells != r->nheader)
				return malformed(r, "unterminated quoted field");
			r->done_line = r->record_line;
			return 1;
		}
		if (r->nlines >= MAX_RECORD_LINES || r->raw.len > MAX_RECORD)
			return malformed(r, "unterminated quoted field");
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
	int got = read_record(r);
	if (got == 0)
		return kn_err_set(err, KN_FAIL, "%s: empty file: no header row", r->name);
	if (r->row_error[0] != '\0')
		return kn_err_set(err, KN_FAIL, "%s: line %ld: the header row: %s", r->name,
		                  r->done_line, r->row_error);
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

kn_status kn_csv_next(struct kn_csv *r, int *row, struct kn_err *err)
{
	r->row_error[0] = '\0';
	*row = read_record(r);
	if (*row == 0 && ferror(r->in))
		return kn_err_set(err, KN_FAIL, "reading '%s': %s", r->name, strerror(errno));
	if (*row == 0 || r->row_error[0] != '\0')
		return KN_OK;
	if (r->ncells != r->nheader) {
		snprintf(r->row_error, sizeof r->row_error, "%zu fields, the header has %zu",
		         r->ncells, r->nheader);
		return KN_OK;
	}
	for (size_t c = 0; c < r->ncells; c++) {
		const char *v = r->text.data + r->offsets[c];
		size_t len = (c + 1 < r->ncells ? r->offsets[c + 1] - 1 : r->text.len - 1) -
		             r->offsets[c];
		if (!kn_utf8_valid(v, len)) {
			snprintf(r->row_error, sizeof r->row_error, "invalid UTF-8 in column '%s'",
			         r->header[c]);
			return KN_OK;
		}
	}
	return KN_OK;
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

long kn_csv_last_line(const struct kn_csv *r)
{
	return r->last_line;
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

void kn_csv_write_cell(FILE *out, const char *v, int first)
{
	if (!first)
		fputc(',', out);
	if (v == NULL)
		return;
	/* a spreadsheet runs a cell that starts like a formula: a leading '
	 * keeps it text, and the reader takes that ' off again (SPEC 4b) */
	int guard = kn_csv_needs_guard(v);
	if (strpbrk(v, ",\"\r\n") == NULL && v[0] != ' ') {
		if (guard)
			fputc('\'', out);
		fputs(v, out);
		return;
	}
	fputc('"', out);
	if (guard)
		fputc('\'', out);
	for (const char *c = v; *c; c++) {
		if (*c == '"')
			fputc('"', out);
		fputc(*c, out);
	}
	fputc('"', out);
}

struct kn_rejects {
	struct kn_outfile *file;
	FILE *out;
};

kn_status kn_rejects_open(struct kn_db *db, const char *path, const char *input,
                          struct kn_rejects **out, struct kn_err *err)
{
	struct kn_outfile *f;
	kn_status s = kn_outfile_open(db, path, input, 0, &f, err);

	*out = NULL;
	if (s != KN_OK || f == NULL)
		return s;
	struct kn_rejects *w = kn_xcalloc(1, sizeof *w);
	w->file = f;
	w->out = kn_outfile_stream(f);
	*out = w;
	return KN_OK;
}

void kn_rejects_header(struct kn_rejects *w, const struct kn_csv *r)
{
	if (w == NULL)
		return;
	for (size_t c = 0; c < r->nheader; c++)
		kn_csv_write_cell(w->out, r->header[c], c == 0);
	kn_csv_write_cell(w->out, "line", r->nheader == 0);
	kn_csv_write_cell(w->out, "reason", 0);
	fputs("\r\n", w->out);
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

kn_status kn_rejects_flush(struct kn_rejects *w, struct kn_err *err)
{
	return w ? kn_outfile_flush(w->file, err) : KN_OK;
}

kn_status kn_rejects_finish(struct kn_rejects *w, int committed, struct kn_err *err)
{
	kn_status s = KN_OK;

	if (w == NULL)
		return KN_OK;
	if (committed)
		s = kn_outfile_publish(w->file, err);
	else
		kn_outfile_discard(w->file);
	free(w);
	return s;
}
