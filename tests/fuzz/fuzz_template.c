/* libFuzzer: the template renderer, with fields and an items section. */
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const names[] = { "owner.first_name", "company.name", "reset_url" };
	static const char *const values[] = { "Zoë", "Happy Tails", "https://x.example/r/t" };
	static const char *const item_names[] = { "pet", "type" };
	static const char *const item_values[] = { "Rex", "rabies" };
	struct kn_tvars item = { item_names, item_values, 2 };
	struct kn_tctx ctx = { { names, values, 3 }, &item, 1, item_names, 2 };
	struct kn_err err = { 0 };
	char *text = malloc(size + 1), *subject, *body;

	memcpy(text, data, size);
	text[size] = '\0';
	if (kn_template_render("fuzz", text, &ctx, &subject, &body, &err) == KN_OK) {
		free(subject);
		free(body);
	}
	free(text);
	return 0;
}
