/*
 * The web's building blocks, free of any HTTP library so they can be
 * fuzzed and unit-tested alone: form and query-string parsing, cookies, a
 * per-request memory arena, and the HTML renderer that escapes every value
 * by where it lands (text, attribute, URL).  lib only.
 */
#ifndef KN_WEB_H
#define KN_WEB_H

#include "base/kn_internal.h"

/* ---- a request's memory: freed all at once when it is answered ------ */

struct kn_arena {
	struct kn_arena_block *head;
};
void *kn_arena_alloc(struct kn_arena *a, size_t n);
char *kn_arena_strdup(struct kn_arena *a, const char *s);
char *kn_arena_printf(struct kn_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kn_arena_free(struct kn_arena *a);

/* ---- application/x-www-form-urlencoded, and query strings --------- */

#define KN_FORM_MAX_FIELDS 256
struct kn_form {
	size_t n;
	const char *names[KN_FORM_MAX_FIELDS];
	const char *values[KN_FORM_MAX_FIELDS];
};
/* Decodes into arena memory.  Malformed percent-encoding, invalid UTF-8,
 * a NUL byte or too many fields is KN_USAGE with a message that says
 * which; nothing is half-parsed. */
/* Whether a raw, still percent-encoded field name decodes to name (any
 * case): what the access log redacts by, as the router decodes it. */
int kn_form_name_is(const char *raw, size_t len, const char *name);
kn_status kn_form_parse(struct kn_arena *a, const char *data, size_t len, struct kn_form *f,
                        struct kn_err *err);
/* The value of a field given at most once: NULL when absent; *dup set when
 * the field came twice (the caller answers with an error, never picks). */
const char *kn_form_one(const struct kn_form *f, const char *name, int *dup);
/* Every value of a repeated field (checkboxes), in order; returns how many. */
size_t kn_form_all(const struct kn_form *f, const char *name, const char **out, size_t max);

/* A cookie's value from a Cookie: header, copied to out; 0 when absent or
 * longer than outlen - 1. */
int kn_cookie_get(const char *header, const char *name, char *out, size_t outlen);

/* ---- the HTML renderer --------------------------------------------- */

/*
 * Templates are HTML with {{name}} (a value, escaped for where it stands),
 * {{{name}}} (HTML the code marked safe: rendered CommonMark, a rendered
 * part), {{#name}}...{{/name}} (a list's items, or once when a value is
 * not empty) and {{^name}}...{{/name}} (when a list or value is empty).
 * Where a value lands decides its escaping: in text, the five HTML
 * specials; in a quoted attribute, the same; in href/src/action, only a
 * path on this site or an http(s), mailto or tel URL, else "#"; in an
 * unquoted attribute, a comment or a script it is refused: a template
 * error, never a hole.
 */
struct kn_hctx;
struct kn_hctx *kn_h_new(struct kn_arena *a);
void kn_h_set(struct kn_hctx *c, const char *name, const char *value);
/* The text value set under name, or NULL. */
const char *kn_h_text(const struct kn_hctx *c, const char *name);
/* A date (or a time's day) as people read it: style is display.date's;
 * table the short form a table column takes. */
void kn_h_date(struct kn_hctx *c, const char *name, const char *iso, int style, int table);
void kn_h_setf(struct kn_hctx *c, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kn_h_int(struct kn_hctx *c, const char *name, long long v);
/* Sets name only when nothing set it yet (a form's empty error slots). */
void kn_h_default(struct kn_hctx *c, const char *name, const char *value);
/* Already-safe HTML (the renderer's own output, libcmark's safe mode). */
void kn_h_safe(struct kn_hctx *c, const char *name, const char *html);
/* Appends an item to the list name (made if new) and returns it; an item
 * sees its parents' values too. */
struct kn_hctx *kn_h_item(struct kn_hctx *c, const char *name);
/* An empty list, so {{^name}} can tell "none" */
void kn_h_list(struct kn_hctx *c, const char *name);

/* The values and lists (not the HTML) as one record: what a page shows,
 * for the command line. */
void kn_h_print(const struct kn_hctx *c, struct kn_printer *p);

kn_status kn_html_render(const char *tname, const char *text, const struct kn_hctx *c,
                         struct kn_buf *out, struct kn_err *err);
/* CommonMark to HTML in libcmark's safe mode: raw HTML and javascript:,
 * vbscript:, file: and data: links are dropped. */
char *kn_markdown_html(struct kn_arena *a, const char *markdown);

#endif
