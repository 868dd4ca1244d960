/* libFuzzer: the portal's HTML renderer.  The template is the input; the
 * values are hostile.  Whatever the template, a value never reaches the
 * page unescaped: its marker tag must not appear unless the template's own
 * text has it. */
#include <stdlib.h>
#include <string.h>

#include "portal/kn_web.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define MARK "<kn-mark x=\"'\">"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct kn_arena a = { 0 };
	struct kn_err err = { 0 };
	struct kn_buf out = { 0 };
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	struct kn_hctx *c = kn_h_new(&a);
	kn_h_set(c, "name", MARK "javascript:alert(1)");
	kn_h_set(c, "url", "javascript:" MARK);
	kn_h_set(c, "empty", "");
	kn_h_safe(c, "html", "<p>safe</p>");
	for (int i = 0; i < 3; i++) {
		struct kn_hctx *item = kn_h_item(c, "items");
		kn_h_set(item, "v", MARK);
	}
	kn_h_list(c, "none");
	if (kn_html_render("fuzz", text, c, &out, &err) == KN_OK && out.data) {
		kn_buf_add(&out, "", 0);
		if (strstr(out.data, MARK) && !strstr(text, "kn-mark"))
			abort();
	}
	kn_buf_free(&out);
	kn_arena_free(&a);
	free(text);
	return 0;
}
