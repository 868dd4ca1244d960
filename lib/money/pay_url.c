/* The business's own payment page for one invoice (company set --pay-url). */
#include <string.h>

#include "money/kn_money.h"

void kn_pay_url(const char *pattern, long long order, long long due_cents, long long owner,
                char *out, size_t outlen)
{
	struct kn_buf b = { 0 };
	char value[32];
	if (pattern == NULL || *pattern == '\0' || outlen == 0) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	/* the values are digits and a point: nothing to escape in a URL */
	for (const char *p = pattern; *p;) {
		if (strncmp(p, "{order}", 7) == 0) {
			snprintf(value, sizeof value, "%lld", order);
			p += 7;
		} else if (strncmp(p, "{amount}", 8) == 0) {
			kn_money_format(due_cents, value);
			p += 8;
		} else if (strncmp(p, "{owner}", 7) == 0) {
			snprintf(value, sizeof value, "%lld", owner);
			p += 7;
		} else {
			kn_buf_add(&b, p++, 1);
			continue;
		}
		kn_buf_add(&b, value, strlen(value));
	}
	kn_buf_add(&b, "", 0);
	snprintf(out, outlen, "%s", b.data);
	kn_buf_free(&b);
}
