/*
 * The portal's HTML renderer.  Values are escaped by the renderer itself,
 * by where they land in the page: a handler cannot forget to escape, and a
 * template cannot put a value where no escaping is safe (an unquoted
 * attribute, a script, a comment) without failing at once.
 */
#include <cmark.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "portal/kn_web.h"

enum hkind { H_TEXT, H_SAFE, H_LIST };

struct hent {
	const char *name;
	enum hkind kind;
	const char *value;
	struct kn_hctx **items;
	size_t nitems, cap;
};

struct kn_hctx {
	struct kn_arena *arena;
	const struct kn_hctx *parent;
	struct hent *e;
	size_t n, cap;
};

struct kn_hctx *kn_h_new(struct kn_arena *a)
{
	struct kn_hctx *c = kn_arena_alloc(a, sizeof *c);
	memset(c, 0, sizeof *c);
	c->arena = a;
	return c;
}

static struct hent *entry(struct kn_hctx *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->e[i].name, name) == 0)
			return &c->e[i];
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct hent *e = kn_arena_alloc(c->arena, cap * sizeof *e);
		if (c->n)
			memcpy(e, c->e, c->n * sizeof *e);
		c->e = e;
		c->cap = cap;
	}
	struct hent *e = &c->e[c->n++];
	memset(e, 0, sizeof *e);
	e->name = kn_arena_strdup(c->arena, name);
	return e;
}

void kn_h_set(struct kn_hctx *c, const char *name, const char *value)
{
	struct hent *e = entry(c, name);
	e->kind = H_TEXT;
	e->value = kn_arena_strdup(c->arena, value ? value : "");
}

void kn_h_date(struct kn_hctx *c, const char *name, const char *iso, int style, int table)
{
	char text[KN_DATE_TEXT];
	kn_h_set(c, name, kn_date_display(iso, style, table, text));
}

void kn_h_setf(struct kn_hctx *c, const char *name, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	kn_h_set(c, name, buf);
}

void kn_h_int(struct kn_hctx *c, const char *name, long long v)
{
	kn_h_setf(c, name, "%lld", v);
}

const char *kn_h_text(const struct kn_hctx *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->e[i].name, name) == 0)
			return c->e[i].kind == H_TEXT ? c->e[i].value : NULL;
	return NULL;
}

void kn_h_default(struct kn_hctx *c, const char *name, const char *value)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->e[i].name, name) == 0)
			return;
	kn_h_set(c, name, value);
}

void kn_h_safe(struct kn_hctx *c, const char *name, const char *html)
{
	struct hent *e = entry(c, name);
	e->kind = H_SAFE;
	e->value = kn_arena_strdup(c->arena, html ? html : "");
}

void kn_h_list(struct kn_hctx *c, const char *name)
{
	struct hent *e = entry(c, name);
	if (e->kind != H_LIST) {
		e->kind = H_LIST;
		e->value = NULL;
	}
}

struct kn_hctx *kn_h_item(struct kn_hctx *c, const char *name)
{
	struct hent *e = entry(c, name);
	e->kind = H_LIST;
	if (e->nitems == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 8;
		struct kn_hctx **items = kn_arena_alloc(c->arena, cap * sizeof *items);
		if (e->nitems)
			memcpy(items, e->items, e->nitems * sizeof *items);
		e->items = items;
		e->cap = cap;
	}
	struct kn_hctx *item = kn_h_new(c->arena);
	item->parent = c;
	e->items[e->nitems++] = item;
	return item;
}

static const struct hent *lookup(const struct kn_hctx *c, const char *name, size_t len)
{
	for (; c; c = c->parent)
		for (size_t i = 0; i < c->n; i++)
			if (strlen(c->e[i].name) == len && strncmp(c->e[i].name, name, len) == 0)
				return &c->e[i];
	return NULL;
}

/* Where the next byte of the page lands, followed over the template's own
 * text (values cannot change it: they are escaped). */
enum where { IN_TEXT, IN_TAG, IN_ATTR, IN_RAW, IN_COMMENT };
struct pos {
	enum where where;
	char quote;          /* the quote that ends the attribute value */
	int url;             /* the attribute takes a URL */
	int url_fixed;       /* the template's own text began the URL ("/pets/") */
	char attr[16];       /* the last attribute name seen in the tag */
	size_t attr_len;
	char tag[16];
	size_t tag_len;
	int tag_named;       /* the tag name is complete */
};

static int is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '_' || ch == ':';
}

static void follow(struct pos *p, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		switch (p->where) {
		case IN_TEXT: {
			/* most of a page is text: jump to the next tag */
			const char *lt = memchr(s + i, '<', len - i);
			if (lt == NULL)
				return;
			i = (size_t)(lt - s);
			ch = '<';
		}
			if (ch == '<') {
				if (len - i >= 4 && strncmp(s + i, "<!--", 4) == 0) {
					p->where = IN_COMMENT;
					i += 3;
					break;
				}
				p->where = IN_TAG;
				p->tag_len = p->attr_len = 0;
				p->tag_named = 0;
			}
			break;
		case IN_COMMENT:
			if (ch == '>' && i >= 2 && s[i - 1] == '-' && s[i - 2] == '-')
				p->where = IN_TEXT;
			break;
		case IN_RAW:
			if (ch == '<' && i + 1 < len && s[i + 1] == '/')
				p->where = IN_TAG, p->tag_len = 0, p->tag_named = 1;
			break;
		case IN_TAG:
			if (ch == '>') {
				int raw = p->tag_len > 0 &&
				          ((p->tag_len == 6 && strncasecmp(p->tag, "script", 6) == 0) ||
				           (p->tag_len == 5 && strncasecmp(p->tag, "style", 5) == 0));
				p->where = raw ? IN_RAW : IN_TEXT;
			} else if (!p->tag_named) {
				if (is_name_char(ch) || (ch == '/' && p->tag_len == 0)) {
					if (ch != '/' && p->tag_len < sizeof p->tag)
						p->tag[p->tag_len++] = ch;
				} else {
					p->tag_named = 1;
				}
			} else if (ch == '"' || ch == '\'') {
				p->where = IN_ATTR;
				p->quote = ch;
				p->url_fixed = 0;
				p->url = (p->attr_len == 4 && strncasecmp(p->attr, "href", 4) == 0) ||
				         (p->attr_len == 3 && strncasecmp(p->attr, "src", 3) == 0) ||
				         (p->attr_len == 6 && strncasecmp(p->attr, "action", 6) == 0) ||
				         (p->attr_len == 10 && strncasecmp(p->attr, "formaction", 10) == 0);
			} else if (is_name_char(ch)) {
				if (i > 0 && !is_name_char(s[i - 1]))
					p->attr_len = 0;
				if (p->attr_len < sizeof p->attr)
					p->attr[p->attr_len++] = ch;
			}
			break;
		case IN_ATTR:
			if (ch == p->quote)
				p->where = IN_TAG;
			else if (ch == '/' || ch == '?' || ch == '#')
				p->url_fixed = 1; /* a path or scheme the template chose */
			break;
		}
	}
}

static void escape(struct kn_buf *out, const char *v)
{
	for (const char *c = v; *c; c++) {
		switch (*c) {
		case '&': kn_buf_add(out, "&amp;", 5); break;
		case '<': kn_buf_add(out, "&lt;", 4); break;
		case '>': kn_buf_add(out, "&gt;", 4); break;
		case '"': kn_buf_add(out, "&quot;", 6); break;
		case '\'': kn_buf_add(out, "&#39;", 5); break;
		default: kn_buf_add(out, c, 1);
		}
	}
}

/* A URL a link may carry: a path on this site, or http(s), mailto, tel. */
static int url_ok(const char *v)
{
	if (v[0] == '/')
		return v[1] != '/' && v[1] != '\\';
	if (v[0] == '?' || v[0] == '#')
		return 1;
	static const char *const schemes[] = { "https://", "http://", "mailto:", "tel:" };
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strncasecmp(v, schemes[i], strlen(schemes[i])) == 0)
			return 1;
	return 0;
}

static int line_of(const char *text, const char *at)
{
	int line = 1;
	for (const char *c = text; c < at; c++)
		line += *c == '\n';
	return line;
}

/* The {{/name}} that closes the section opened just before body, minding
 * sections of the same name nested inside. */
static const char *section_end(const char *body, const char *end, const char *name, size_t len)
{
	int depth = 1;
	for (const char *p = body; p < end; p++) {
		if (p[0] != '{' || p + 1 >= end || p[1] != '{')
			continue;
		const char *n = p + 2;
		if ((*n == '#' || *n == '^' || *n == '/') && (size_t)(end - n) > len + 2 &&
		    strncmp(n + 1, name, len) == 0 && strncmp(n + 1 + len, "}}", 2) == 0) {
			depth += *n == '/' ? -1 : 1;
			if (depth == 0)
				return p;
		}
	}
	return NULL;
}

static kn_status render(const char *tname, const char *whole, const char *src, size_t len,
                        const struct kn_hctx *c, struct pos *pos, struct kn_buf *out,
                        struct kn_err *err)
{
	const char *p = src, *end = src + len;

	while (p < end) {
		const char *open = strstr(p, "{{");
		if (open == NULL || open >= end) {
			follow(pos, p, (size_t)(end - p));
			kn_buf_add(out, p, (size_t)(end - p));
			break;
		}
		follow(pos, p, (size_t)(open - p));
		kn_buf_add(out, p, (size_t)(open - p));
		int triple = open[2] == '{';
		const char *name = open + (triple ? 3 : 2);
		const char *close = strstr(name, triple ? "}}}" : "}}");
		if (close == NULL || close >= end)
			return kn_err_set(err, KN_FAIL, "portal template '%s': unclosed '{{' on line %d",
			                  tname, line_of(whole, open));
		size_t nlen = (size_t)(close - name);
		if (!triple && (*name == '#' || *name == '^')) {
			const char *body = close + 2;
			const char *stop = section_end(body, end, name + 1, nlen - 1);
			if (stop == NULL)
				return kn_err_set(err, KN_FAIL, "portal template '%s': section '%.*s' on line "
				                  "%d is not closed", tname, (int)nlen - 1, name + 1,
				                  line_of(whole, open));
			const struct hent *e = lookup(c, name + 1, nlen - 1);
			if (e == NULL)
				return kn_err_set(err, KN_FAIL, "portal template '%s': unknown section '%.*s' on "
				                  "line %d", tname, (int)nlen - 1, name + 1,
				                  line_of(whole, open));
			int full = e->kind == H_LIST ? e->nitems > 0 : e->value[0] != '\0';
			kn_status s = KN_OK;
			if (*name == '^') {
				if (!full)
					s = render(tname, whole, body, (size_t)(stop - body), c, pos, out, err);
			} else if (e->kind == H_LIST) {
				for (size_t i = 0; i < e->nitems && s == KN_OK; i++)
					s = render(tname, whole, body, (size_t)(stop - body), e->items[i], pos, out,
					           err);
			} else if (full) {
				s = render(tname, whole, body, (size_t)(stop - body), c, pos, out, err);
			}
			if (s != KN_OK)
				return s;
			p = stop + nlen + 4; /* {{/name}} */
			continue;
		}
		const struct hent *e = lookup(c, name, nlen);
		if (e == NULL || e->kind == H_LIST)
			return kn_err_set(err, KN_FAIL, "portal template '%s': unknown field '%.*s' on "
			                  "line %d", tname, (int)nlen, name, line_of(whole, open));
		if (triple) {
			if (e->kind != H_SAFE)
				return kn_err_set(err, KN_FAIL, "portal template '%s': '{{{%.*s}}}' on line %d "
				                  "is not HTML the code made safe; use {{%.*s}}", tname,
				                  (int)nlen, name, line_of(whole, open), (int)nlen, name);
			if (pos->where != IN_TEXT)
				return kn_err_set(err, KN_FAIL, "portal template '%s': HTML '%.*s' on line %d "
				                  "inside a tag", tname, (int)nlen, name, line_of(whole, open));
			kn_buf_add(out, e->value, strlen(e->value));
			p = close + 3;
			continue;
		}
		switch (pos->where) {
		case IN_TEXT:
			escape(out, e->value);
			break;
		case IN_ATTR:
			escape(out, pos->url && !pos->url_fixed && !url_ok(e->value) ? "#" : e->value);
			break;
		default:
			return kn_err_set(err, KN_FAIL, "portal template '%s': '{{%.*s}}' on line %d stands "
			                  "where no escaping is safe (unquoted attribute, script or "
			                  "comment)", tname, (int)nlen, name, line_of(whole, open));
		}
		p = close + 2;
	}
	return KN_OK;
}

static void print_ctx(const struct kn_hctx *c, struct kn_printer *p)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct hent *e = &c->e[i];
		if (e->kind == H_TEXT) {
			kn_put_str(p, e->name, e->value, 1);
		} else if (e->kind == H_LIST) {
			kn_arr_begin(p, e->name);
			for (size_t j = 0; j < e->nitems; j++) {
				kn_obj_begin(p, NULL);
				print_ctx(e->items[j], p);
				kn_nest_end(p);
			}
			kn_nest_end(p);
		}
	}
}

void kn_h_print(const struct kn_hctx *c, struct kn_printer *p)
{
	kn_rec_begin(p);
	print_ctx(c, p);
	kn_rec_end(p);
}

kn_status kn_html_render(const char *tname, const char *text, const struct kn_hctx *c,
                         struct kn_buf *out, struct kn_err *err)
{
	struct pos pos = { .where = IN_TEXT };
	return render(tname, text, text, strlen(text), c, &pos, out, err);
}

char *kn_markdown_html(struct kn_arena *a, const char *markdown)
{
	/* CMARK_OPT_DEFAULT is the safe mode in libcmark 0.29 and later: raw
	 * HTML becomes a comment and unsafe link schemes an empty href;
	 * CMARK_OPT_UNSAFE, never given here, is what would let them through */
	char *html = cmark_markdown_to_html(markdown, strlen(markdown), CMARK_OPT_DEFAULT);
	if (html == NULL)
		return kn_arena_strdup(a, "");
	char *copy = kn_arena_strdup(a, html);
	free(html);
	return copy;
}
