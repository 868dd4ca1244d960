#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/kn_internal.h"

kn_status kn_err_set(struct kn_err *err, kn_status status, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return status;
	/* keep the first error: later failures are usually its consequences */
	if (err->status != KN_OK)
		return err->status;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return status;
}

void kn_err_clear(struct kn_err *err)
{
	err->status = KN_OK;
	err->msg[0] = '\0';
}

void *kn_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		abort(); /* nothing sensible is left to do without memory */
	return p;
}

void *kn_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		abort();
	return p;
}

void *kn_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		abort();
	return q;
}

char *kn_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = kn_xmalloc(n);

	memcpy(p, s, n);
	return p;
}

void kn_buf_add(struct kn_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = kn_xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void kn_buf_addf(struct kn_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		kn_buf_add(b, small, (size_t)n);
		return;
	}
	char *big = kn_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	kn_buf_add(b, big, (size_t)n);
	free(big);
}

void kn_buf_free(struct kn_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
