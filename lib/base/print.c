/*
 * The record printer (notmuch's sprinter): a command describes its records
 * once, and the backend chosen by --json, --csv or neither prints them.
 * Listings stream: each record is written when it ends, so printing a
 * million owners takes no more memory than printing one.
 *
 * JSON is written straight into the record's buffer as each value comes
 * (no tree of objects to build, dump and free: that was half the time of
 * a long listing), in jansson's own layout: a listing's records compact,
 * a lone record indented by two.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/kn_internal.h"

#define MAX_DEPTH 16
/* A human listing is aligned on its first rows, then streamed: a long value
 * later on shifts its own row, never the memory a listing takes. */
#define TABLE_SAMPLE 64
#define TABLE_MAX_COLS 32
/* Cells and rows are held apart by US and RS, which printable() never lets
 * through (they are control characters). */
#define CELL_SEP '\x1f'
#define ROW_SEP '\x1e'

struct kn_printer {
	enum kn_format format;
	FILE *out;
	int in_list;
	long long records;
	int depth;                 /* 0 outside a record, 1 in a record */
	/* json */
	struct kn_buf json;        /* one record, written with one fwrite */
	int pretty;                /* a lone record: indented */
	int filled[MAX_DEPTH];     /* the object or array at that depth has a value */
	/* csv */
	struct kn_buf header, row;
	int header_done;
	/* text: a listing is a table, its widths taken from the first rows */
	struct kn_buf sample;      /* up to TABLE_SAMPLE rows, each ending RS */
	long long sampled;
	int widths_known;
	size_t ncols, width[TABLE_MAX_COLS];
	int is_array[MAX_DEPTH];
	int in_item;               /* an object inside an array: one line */
	struct kn_buf line;
	struct kn_buf clean;       /* a value made safe to print */
	int headings;              /* printed so far: a blank line between */
};

struct kn_printer *kn_printer_new(enum kn_format format, FILE *out)
{
	struct kn_printer *p = kn_xcalloc(1, sizeof *p);

	p->format = format;
	p->out = out;
	return p;
}

int kn_printer_is_json(const struct kn_printer *p)
{
	return p->format == KN_FMT_JSON;
}

int kn_printer_is_text(const struct kn_printer *p)
{
	return p->format == KN_FMT_TEXT;
}

static const char *printable(struct kn_printer *p, const char *v, int escape_controls);

/* A line of its own above a table, for a person: the board's groups.
 * CSV and JSON carry the same in the rows' fields. */
void kn_print_heading(struct kn_printer *p, const char *text)
{
	if (p->format != KN_FMT_TEXT)
		return;
	fprintf(p->out, "%s%s\n", p->headings++ ? "\n" : "", printable(p, text, 1));
}

kn_status kn_printer_free(struct kn_printer *p)
{
	kn_status st = KN_OK;

	if (p == NULL)
		return KN_OK;
	if (fflush(p->out) != 0 || ferror(p->out))
		st = KN_FAIL;
	kn_buf_free(&p->header);
	kn_buf_free(&p->row);
	kn_buf_free(&p->line);
	kn_buf_free(&p->sample);
	kn_buf_free(&p->json);
	kn_buf_free(&p->clean);
	free(p);
	return st;
}

/* The columns a terminal gives a UTF-8 text: a code point each. */
static size_t text_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* Measures (measure) or writes padded (!measure) one row of cells. */
static void table_row(struct kn_printer *p, const char *row, size_t len, int measure)
{
	size_t col = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && row[i] != CELL_SEP)
			continue;
		size_t w = text_width(row + start, i - start);
		if (measure) {
			if (col < TABLE_MAX_COLS && w > p->width[col])
				p->width[col] = w;
		} else {
			if (col > 0)
				fputs("  ", p->out);
			fwrite(row + start, 1, i - start, p->out);
			if (i < len && col < TABLE_MAX_COLS)
				for (size_t pad = w; pad < p->width[col]; pad++)
					fputc(' ', p->out);
		}
		col++;
		start = i + 1;
	}
	if (!measure)
		fputc('\n', p->out);
}

/* The header and the sampled rows, now that their widths are known. */
static void table_flush(struct kn_printer *p)
{
	if (p->widths_known || p->sampled == 0)
		return;
	memset(p->width, 0, sizeof p->width);
	const char *head = p->header.data ? p->header.data : "";
	const char *rows = p->sample.data;
	/* two passes over the same rows: measure, then write */
	for (int measure = 1; measure >= 0; measure--) {
		table_row(p, head, p->header.len, measure);
		for (size_t at = 0; at < p->sample.len;) {
			size_t end = at;
			while (rows[end] != ROW_SEP)
				end++;
			table_row(p, rows + at, end - at, measure);
			at = end + 1;
		}
	}
	p->sample.len = 0;
	p->widths_known = 1;
}

void kn_list_begin(struct kn_printer *p)
{
	p->in_list = 1;
	p->records = 0;
	p->sampled = 0;
	p->widths_known = 0;
	p->ncols = 0;
	p->sample.len = 0;
	p->header.len = 0;
	p->header_done = 0;
	if (p->format == KN_FMT_JSON)
		fputs("[", p->out);
}

void kn_list_end(struct kn_printer *p)
{
	if (p->format == KN_FMT_TEXT)
		table_flush(p);
	if (p->format == KN_FMT_JSON)
		fputs(p->records ? "\n]\n" : "]\n", p->out);
	p->in_list = 0;
}

/* guard: text that a spreadsheet could take for a formula gets a leading '
 * (SPEC 4b; the CSV reader takes it off again); numbers we print need none */
static void csv_cell(struct kn_buf *b, const char *v, int guard)
{
	if (b->len > 0)
		kn_buf_add(b, ",", 1);
	if (v == NULL)
		return;
	guard = guard && kn_csv_needs_guard(v);
	if (strpbrk(v, ",\"\r\n") == NULL && v[0] != ' ' && v[0] != '\0') {
		if (guard)
			kn_buf_add(b, "'", 1);
		kn_buf_add(b, v, strlen(v));
		return;
	}
	kn_buf_add(b, "\"", 1);
	if (guard)
		kn_buf_add(b, "'", 1);
	for (const char *c = v; *c; c++) {
		kn_buf_add(b, c, 1);
		if (*c == '"')
			kn_buf_add(b, "\"", 1); /* RFC 4180: a quote is doubled */
	}
	kn_buf_add(b, "\"", 1);
}

/* ---- JSON, written as it comes ---- */

static void json_string_add(struct kn_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *run = s;
	kn_buf_add(b, "\"", 1);
	for (const char *c = s; *c; c++) {
		unsigned char u = (unsigned char)*c;
		if (u >= 0x20 && u != '"' && u != '\\')
			continue;
		kn_buf_add(b, run, (size_t)(c - run));
		run = c + 1;
		switch (u) {
		case '"': kn_buf_add(b, "\\\"", 2); break;
		case '\\': kn_buf_add(b, "\\\\", 2); break;
		case '\b': kn_buf_add(b, "\\b", 2); break;
		case '\f': kn_buf_add(b, "\\f", 2); break;
		case '\n': kn_buf_add(b, "\\n", 2); break;
		case '\r': kn_buf_add(b, "\\r", 2); break;
		case '\t': kn_buf_add(b, "\\t", 2); break;
		default: {
			char u6[6] = { '\\', 'u', '0', '0', hex[u >> 4], hex[u & 15] };
			kn_buf_add(b, u6, 6);
		}
		}
	}
	kn_buf_add(b, run, strlen(run));
	kn_buf_add(b, "\"", 1);
}

static void json_newline(struct kn_printer *p, int depth)
{
	kn_buf_add(&p->json, "\n", 1);
	for (int i = 0; i < depth; i++)
		kn_buf_add(&p->json, "  ", 2);
}

/* Before a value at the current depth: the comma, the layout, the key. */
static void json_member(struct kn_printer *p, const char *key)
{
	int d = p->depth - 1;
	if (p->filled[d])
		kn_buf_add(&p->json, ",", 1);
	p->filled[d] = 1;
	if (p->pretty)
		json_newline(p, p->depth);
	if (!p->is_array[d]) {
		json_string_add(&p->json, key);
		kn_buf_add(&p->json, p->pretty ? ": " : ":", p->pretty ? 2 : 1);
	}
}

static void json_open(struct kn_printer *p, const char *key, const char *brace)
{
	json_member(p, key);
	kn_buf_add(&p->json, brace, 1);
	p->filled[p->depth] = 0;
}

static void json_close(struct kn_printer *p, int depth, const char *brace)
{
	if (p->pretty && p->filled[depth])
		json_newline(p, depth);
	kn_buf_add(&p->json, brace, 1);
}

void kn_rec_begin(struct kn_printer *p)
{
	p->depth = 1;
	switch (p->format) {
	case KN_FMT_JSON:
		p->pretty = !p->in_list;
		p->json.len = 0;
		kn_buf_add(&p->json, "{", 1);
		p->filled[0] = 0;
		p->is_array[0] = 0;
		break;
	case KN_FMT_CSV:
		p->row.len = 0;
		if (p->row.data)
			p->row.data[0] = '\0';
		break;
	case KN_FMT_TEXT:
		p->line.len = 0;
		if (p->line.data)
			p->line.data[0] = '\0';
		p->is_array[0] = 0;
		break;
	}
}

void kn_rec_end(struct kn_printer *p)
{
	switch (p->format) {
	case KN_FMT_JSON:
		if (p->in_list)
			fputs(p->records ? ",\n" : "\n", p->out);
		json_close(p, 0, "}");
		if (!p->in_list)
			kn_buf_add(&p->json, "\n", 1);
		fwrite(p->json.data, 1, p->json.len, p->out);
		break;
	case KN_FMT_CSV:
		if (!p->header_done) {
			fwrite(p->header.data ? p->header.data : "", 1, p->header.len, p->out);
			fputs("\r\n", p->out);
			p->header_done = 1;
		}
		fwrite(p->row.data ? p->row.data : "", 1, p->row.len, p->out);
		fputs("\r\n", p->out);
		break;
	case KN_FMT_TEXT:
		if (!p->in_list)
			break;
		if (p->widths_known) {
			table_row(p, p->line.data ? p->line.data : "", p->line.len, 0);
			break;
		}
		kn_buf_add(&p->sample, p->line.data ? p->line.data : "", p->line.len);
		kn_buf_add(&p->sample, (char[]){ ROW_SEP }, 1);
		if (++p->sampled == 1)
			p->header_done = 1;
		if (p->sampled == TABLE_SAMPLE)
			table_flush(p);
		break;
	}
	p->records++;
	p->depth = 0;
}

static void text_indent(struct kn_printer *p)
{
	for (int i = 1; i < p->depth; i++)
		fputs("  ", p->out);
}

void kn_obj_begin(struct kn_printer *p, const char *key)
{
	if (p->depth >= MAX_DEPTH - 1)
		return;
	if (p->format == KN_FMT_JSON) {
		json_open(p, key, "{");
	} else if (p->format == KN_FMT_TEXT && !p->in_list) {
		if (p->is_array[p->depth - 1]) {
			p->in_item = 1;
			p->line.len = 0;
		} else {
			text_indent(p);
			fprintf(p->out, "%s:\n", key);
		}
	}
	p->is_array[p->depth] = 0;
	p->depth++;
}

void kn_arr_begin(struct kn_printer *p, const char *key)
{
	if (p->depth >= MAX_DEPTH - 1)
		return;
	if (p->format == KN_FMT_JSON) {
		json_open(p, key, "[");
	} else if (p->format == KN_FMT_TEXT && !p->in_list) {
		text_indent(p);
		fprintf(p->out, "%s:\n", key);
	}
	p->is_array[p->depth] = 1;
	p->depth++;
}

void kn_nest_end(struct kn_printer *p)
{
	p->depth--;
	if (p->format == KN_FMT_JSON)
		json_close(p, p->depth, p->is_array[p->depth] ? "]" : "}");
	if (p->format == KN_FMT_TEXT && p->in_item && !p->is_array[p->depth]) {
		text_indent(p);
		fprintf(p->out, "- %s\n", p->line.data ? p->line.data : "");
		p->in_item = 0;
		p->line.len = 0;
	}
}

/*
 * What a stored value may hold that output must not pass on: invalid UTF-8
 * (JSON would drop the field) becomes U+FFFD, and in text for a person,
 * control characters (a terminal runs ESC sequences) are shown as \xNN.
 */
static const char *printable(struct kn_printer *p, const char *v, int escape_controls)
{
	const unsigned char *s = (const unsigned char *)v;
	size_t i = 0;

	if (v == NULL)
		return NULL;
	while (s[i] >= 0x20 && s[i] < 0x7f)
		i++;
	if (s[i] == '\0')
		return v; /* plain ASCII: the common case, untouched */
	p->clean.len = 0;
	kn_buf_add(&p->clean, v, i);
	while (s[i] != '\0') {
		unsigned char c = s[i];
		size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (c >= 0x80 && (strnlen(v + i, n) < n || !kn_utf8_valid(v + i, n))) {
			kn_buf_add(&p->clean, "\xEF\xBF\xBD", 3);
			i++;
		} else if (escape_controls && c == '\r' && s[i + 1] == '\n') {
			i++; /* a CRLF line end (a mail's text) shows as the LF alone */
		} else if (escape_controls && (c < 0x20 || c == 0x7f) && c != '\n' && c != '\t') {
			char esc[8];
			snprintf(esc, sizeof esc, "\\x%02X", c);
			kn_buf_add(&p->clean, esc, 4);
			i++;
		} else {
			kn_buf_add(&p->clean, v + i, n);
			i += n;
		}
	}
	kn_buf_add(&p->clean, "", 1);
	return p->clean.data;
}

/* A column's name as a table shows it: "owner_name" is OWNER NAME. */
static void header_cell(struct kn_printer *p, const char *key)
{
	if (p->header.len)
		kn_buf_add(&p->header, (char[]){ CELL_SEP }, 1);
	for (const char *k = key; *k; k++) {
		char c = *k == '_' ? ' ' : *k >= 'a' && *k <= 'z' ? (char)(*k - 'a' + 'A') : *k;
		kn_buf_add(&p->header, &c, 1);
	}
}

/* json: the value as JSON (a string is escaped: json_string set) */
static void put_scalar(struct kn_printer *p, const char *key, const char *json, int json_string,
                       const char *text, int brief, int is_text)
{
	if ((brief == KN_PEOPLE && p->format != KN_FMT_TEXT) ||
	    ((brief & KN_ROWS) && p->format == KN_FMT_JSON))
		return;
	brief &= 1 | KN_PEOPLE; /* the rest says where, not whether a column */
	switch (p->format) {
	case KN_FMT_JSON:
		json_member(p, key);
		if (json_string)
			json_string_add(&p->json, json);
		else
			kn_buf_add(&p->json, json, strlen(json));
		return;
	case KN_FMT_CSV:
		if (p->depth == 1) {
			if (!p->header_done)
				csv_cell(&p->header, key, 0);
			csv_cell(&p->row, is_text ? printable(p, text, 0) : text, is_text);
		}
		break;
	case KN_FMT_TEXT:
		if (is_text)
			text = printable(p, text, 1);
		if (p->in_list && !p->in_item) {
			if (brief && p->depth == 1) {
				if (p->line.len)
					kn_buf_add(&p->line, (char[]){ CELL_SEP }, 1);
				const char *v = text && *text ? text : "-";
				kn_buf_add(&p->line, v, strlen(v));
				if (!p->header_done)
					header_cell(p, key);
			}
		} else if (p->in_item) {
			if (brief) {
				if (p->line.len)
					kn_buf_add(&p->line, "  ", 2);
				const char *v = text && *text ? text : "-";
				kn_buf_add(&p->line, v, strlen(v));
			}
		} else if (p->is_array[p->depth - 1]) {
			text_indent(p);
			fprintf(p->out, "- %s\n", text ? text : "");
		} else {
			text_indent(p);
			fprintf(p->out, "%s: %s\n", key, text ? text : "");
		}
		break;
	}
}

void kn_put_str(struct kn_printer *p, const char *key, const char *value, int brief)
{
	const char *json = "null";
	if (p->format == KN_FMT_JSON && value)
		json = printable(p, value, 0);
	put_scalar(p, key, json, value != NULL, value, brief, 1);
}

void kn_put_int(struct kn_printer *p, const char *key, long long value, int brief)
{
	char text[32];
	snprintf(text, sizeof text, "%lld", value);
	put_scalar(p, key, text, 0, text, brief, 0);
}

void kn_put_bool(struct kn_printer *p, const char *key, int value, int brief)
{
	const char *text = p->format == KN_FMT_TEXT ? (value ? "yes" : "no")
	                                            : (value ? "true" : "false");
	put_scalar(p, key, value ? "true" : "false", 0, text, brief, 0);
}

void kn_put_money(struct kn_printer *p, const char *key, long long cents, int brief)
{
	char text[32], jkey[64];
	if (p->format == KN_FMT_JSON) {
		snprintf(jkey, sizeof jkey, "%s_cents", key);
		snprintf(text, sizeof text, "%lld", cents);
		put_scalar(p, jkey, text, 0, NULL, brief, 0);
		return;
	}
	kn_money_format(cents, text);
	put_scalar(p, key, NULL, 0, text, brief, 0);
}
