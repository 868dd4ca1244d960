/*
 * What a browser sends, taken apart: form bodies, query strings and
 * cookies.  Strict on purpose: a field that is not clean UTF-8 text is an
 * error for the whole request, so no handler ever sees half a value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "portal/kn_web.h"

struct kn_arena_block {
	struct kn_arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

#define ARENA_BLOCK 8192

void *kn_arena_alloc(struct kn_arena *a, size_t n)
{
	size_t need = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct kn_arena_block *b = a->head;
	if (b == NULL || b->cap - b->used < need) {
		size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		b = kn_xmalloc(sizeof *b + cap);
		b->used = 0;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += need;
	return p;
}

char *kn_arena_strdup(struct kn_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = kn_arena_alloc(a, n);
	memcpy(p, s, n);
	return p;
}

char *kn_arena_printf(struct kn_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = kn_arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void kn_arena_free(struct kn_arena *a)
{
	for (struct kn_arena_block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one name or value: '+' is a space, %XX a byte. */
static kn_status decode(struct kn_arena *a, const char *s, size_t len, const char **out,
                        struct kn_err *err)
{
	char *d = kn_arena_alloc(a, len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '+') {
			d[n++] = ' ';
		} else if (s[i] == '%') {
			int h = i + 2 < len ? hexval(s[i + 1]) : -1;
			int l = i + 2 < len ? hexval(s[i + 2]) : -1;
			if (h < 0 || l < 0)
				return kn_err_set(err, KN_USAGE, "malformed form: '%%' not followed by two hex "
				                  "digits");
			d[n++] = (char)(h * 16 + l);
			i += 2;
		} else {
			d[n++] = s[i];
		}
	}
	d[n] = '\0';
	if (memchr(d, '\0', n) != NULL)
		return kn_err_set(err, KN_USAGE, "malformed form: a NUL byte in a field");
	if (!kn_utf8_valid(d, n))
		return kn_err_set(err, KN_USAGE, "malformed form: a field is not valid UTF-8");
	*out = d;
	return KN_OK;
}

int kn_form_name_is(const char *raw, size_t len, const char *name)
{
	char d[32];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (n + 1 >= sizeof d)
			return 0;
		int h, l;
		if (raw[i] == '+')
			d[n++] = ' ';
		else if (raw[i] == '%' && i + 2 < len && (h = hexval(raw[i + 1])) >= 0 &&
		         (l = hexval(raw[i + 2])) >= 0) {
			d[n++] = (char)(h * 16 + l);
			i += 2;
		} else
			d[n++] = raw[i];
	}
	d[n] = '\0';
	return n == strlen(name) && strcasecmp(d, name) == 0;
}

kn_status kn_form_parse(struct kn_arena *a, const char *data, size_t len, struct kn_form *f,
                        struct kn_err *err)
{
	f->n = 0;
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && data[end] != '&')
			end++;
		if (end > i) {
			size_t eq = i;
			while (eq < end && data[eq] != '=')
				eq++;
			if (f->n == KN_FORM_MAX_FIELDS) {
				f->n = 0;
				return kn_err_set(err, KN_USAGE, "malformed form: more than %d fields",
				                  KN_FORM_MAX_FIELDS);
			}
			kn_status s = decode(a, data + i, eq - i, &f->names[f->n], err);
			if (s == KN_OK)
				s = decode(a, eq < end ? data + eq + 1 : "", eq < end ? end - eq - 1 : 0,
				           &f->values[f->n], err);
			if (s != KN_OK) {
				f->n = 0;
				return s;
			}
			f->n++;
		}
		i = end + 1;
	}
	return KN_OK;
}

const char *kn_form_one(const struct kn_form *f, const char *name, int *dup)
{
	const char *v = NULL;
	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->names[i], name) != 0)
			continue;
		if (v != NULL && dup)
			*dup = 1;
		if (v == NULL)
			v = f->values[i];
	}
	return v;
}

size_t kn_form_all(const struct kn_form *f, const char *name, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->names[i], name) == 0) {
			if (n < max)
				out[n] = f->values[i];
			n++;
		}
	return n;
}

int kn_cookie_get(const char *header, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			size_t vlen = len - nlen - 1;
			while (vlen > 0 && (p[nlen + 1 + vlen - 1] == ' '))
				vlen--;
			if (vlen + 1 > outlen)
				return 0;
			memcpy(out, p + nlen + 1, vlen);
			out[vlen] = '\0';
			return 1;
		}
		p = end;
	}
	return 0;
}
