/*
 * libFuzzer: the CSV reader with header mapping, BOM, quotes, line ends.
 * Beyond not crashing, it checks the promise of SPEC.md section 4: every
 * line of the input is accounted for.  The lines are counted here on their
 * own (CR, LF or CRLF ends one); each record the reader hands out (the
 * header, then every row, rejected or not) must start after the last one
 * ended, and any line between two records, or after the last, is blank.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/kn_csv.h"

static const struct kn_csv_field fields[] = {
	{ "external_id", "customerid clientid", 0 },
	{ "first_name", "firstname first", 1 },
	{ "last_name", "lastname last", 1 },
	{ "email", "emailaddress", 0 },
};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* 1-based line numbers of the blank lines, and how many lines in all */
static long count_lines(const unsigned char *d, size_t n, unsigned char *blank, long max)
{
	long line = 0;
	size_t i = 0;

	if (n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n) {
		int is_blank = 1;
		line++;
		while (i < n && d[i] != '\n' && d[i] != '\r') {
			if (d[i] != ' ' && d[i] != '\t')
				is_blank = 0;
			i++;
		}
		if (i < n && d[i] == '\r' && i + 1 < n && d[i + 1] == '\n')
			i++;
		if (i < n)
			i++;
		if (line < max)
			blank[line] = (unsigned char)is_blank;
	}
	return line;
}

static void expect_blank(const unsigned char *blank, long from, long to)
{
	for (long l = from; l <= to; l++)
		if (!blank[l]) {
			fprintf(stderr, "line %ld is neither blank nor part of a record\n", l);
			abort();
		}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const maps[] = { "Given=first_name", NULL };
	struct kn_err err = { 0 };
	struct kn_csv *r;
	FILE *in = fmemopen((void *)data, size, "rb");

	if (in == NULL)
		return 0;
	unsigned char *blank = calloc(size + 2, 1);
	long lines = count_lines(data, size, blank, (long)size + 2);
	kn_csv_open_stream(&r, in, "fuzz.csv");
	if (kn_csv_header(r, fields, 4, maps, NULL, NULL, &err) == KN_OK) {
		long last = kn_csv_last_line(r);
		expect_blank(blank, 1, kn_csv_line(r) - 1);
		int row;
		while (kn_csv_next(r, &row, &err) == KN_OK && row) {
			for (size_t f = 0; f < 4; f++)
				(void)kn_csv_get(r, f);
			(void)kn_csv_row_error(r);
			if (kn_csv_line(r) <= last || kn_csv_last_line(r) < kn_csv_line(r)) {
				fprintf(stderr, "record at lines %ld-%ld after line %ld\n",
				        kn_csv_line(r), kn_csv_last_line(r), last);
				abort();
			}
			expect_blank(blank, last + 1, kn_csv_line(r) - 1);
			last = kn_csv_last_line(r);
		}
		expect_blank(blank, last + 1, lines);
	}
	kn_csv_close(r);
	fclose(in);
	free(blank);
	return 0;
}
