/* libFuzzer: what a browser sends, taken apart: a form body or query
 * string, and a Cookie header.  Whatever comes in, every field that comes
 * out is valid UTF-8 with no NUL, or the whole input is refused. */
#include <stdlib.h>
#include <string.h>

#include "portal/kn_web.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct kn_arena a = { 0 };
	struct kn_form f;
	struct kn_err err = { 0 };
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	if (kn_form_parse(&a, text, size, &f, &err) == KN_OK) {
		for (size_t i = 0; i < f.n; i++)
			if (!kn_utf8_valid(f.names[i], strlen(f.names[i])) ||
			    !kn_utf8_valid(f.values[i], strlen(f.values[i])))
				abort();
		int dup = 0;
		const char *v = kn_form_one(&f, "csrf", &dup);
		const char *all[4];
		size_t n = kn_form_all(&f, "pet", all, 4);
		(void)v, (void)n;
	} else if (f.n != 0) {
		abort(); /* refused means nothing half-parsed */
	}
	char out[64];
	if (kn_cookie_get(text, "kennel_session", out, sizeof out) && strlen(out) >= sizeof out)
		abort();
	kn_arena_free(&a);
	free(text);
	return 0;
}
