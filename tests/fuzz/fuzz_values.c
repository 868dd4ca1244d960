/* libFuzzer: the date, money and email parsers and the UTF-8 check. */
#include <stdlib.h>
#include <string.h>

#include "kennel.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1), out[256], date[11], money[32];
	kn_day day;
	long long cents;

	memcpy(s, data, size);
	s[size] = '\0';
	if (kn_date_parse(s, &day, NULL) == KN_OK) {
		kn_date_format(day, date);
		kn_day again;
		if (kn_date_parse(date, &again, NULL) != KN_OK || again != day)
			abort(); /* a parsed date prints and parses back to itself */
	}
	if (kn_money_parse(s, &cents, NULL) == KN_OK)
		kn_money_format(cents, money);
	if (kn_email_check(s, out, sizeof out, NULL) == KN_OK && strlen(out) > 254)
		abort();
	(void)kn_utf8_valid(s, size);
	free(s);
	return 0;
}
