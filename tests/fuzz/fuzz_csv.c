/* libFuzzer: the CSV reader with header mapping, BOM, quotes, line ends. */
#include <stdio.h>

#include "../../lib/kn_csv.h"

static const struct kn_csv_field fields[] = {
	{ "external_id", "customerid clientid", 0 },
	{ "first_name", "firstname first", 1 },
	{ "last_name", "lastname last", 1 },
	{ "email", "emailaddress", 0 },
};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const maps[] = { "Given=first_name", NULL };
	struct kn_err err = { 0 };
	struct kn_csv *r;
	FILE *in = fmemopen((void *)data, size, "rb");

	if (in == NULL)
		return 0;
	kn_csv_open_stream(&r, in, "fuzz.csv");
	if (kn_csv_header(r, fields, 4, maps, NULL, NULL, &err) == KN_OK) {
		while (kn_csv_next(r, &err) == 1) {
			for (size_t f = 0; f < 4; f++)
				(void)kn_csv_get(r, f);
			(void)kn_csv_row_error(r);
			(void)kn_csv_line(r);
		}
	}
	kn_csv_close(r);
	fclose(in);
	return 0;
}
