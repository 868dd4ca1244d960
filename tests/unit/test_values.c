/* Unit tests of the value parsers, as TAP: dates, money, email, UTF-8. */
#include <stdio.h>
#include <string.h>

#include "kennel.h"

static int n, failed;

static void ok(int cond, const char *what)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - unit: %s\n", cond ? "" : "not ", n, what);
}

static int date_is(const char *in, const char *want)
{
	kn_day d;
	char out[11];
	if (kn_date_parse(in, &d, NULL) != KN_OK)
		return want == NULL;
	kn_date_format(d, out);
	return want && strcmp(out, want) == 0;
}

static int money_is(const char *in, long long want, int valid)
{
	long long c = -1;
	kn_status st = kn_money_parse(in, &c, NULL);
	return valid ? st == KN_OK && c == want : st != KN_OK;
}

static int email_ok(const char *in)
{
	char out[256];
	return kn_email_check(in, out, sizeof out, NULL) == KN_OK;
}

int main(void)
{
	ok(date_is("2024-02-29", "2024-02-29"), "leap day ISO");
	ok(date_is("2024/03/01", "2024-03-01"), "slashes YYYY/MM/DD");
	ok(date_is("02/02/2015", "2015-02-02"), "US MM/DD/YYYY");
	ok(date_is("2/3/2015", "2015-02-03"), "US M/D/YYYY");
	ok(date_is("02/30/2024", NULL), "impossible Feb 30 refused");
	ok(date_is("2023-02-29", NULL), "Feb 29 outside a leap year refused");
	ok(date_is("1900-02-29", NULL), "1900 is no leap year");
	ok(date_is("2000-02-29", "2000-02-29"), "2000 is a leap year");
	ok(date_is("13/01/2020", NULL), "month 13 refused");
	ok(date_is("2024-1-5", NULL), "ISO needs two-digit month");
	ok(date_is("yesterday", NULL), "words refused");
	{
		char out[KN_DATE_TEXT];
		long days = 0;
		ok(strcmp(kn_date_display("2026-12-04", KN_DATES_US, 0, out), "Fri, Dec 4, 2026") == 0,
		   "display: us, in words");
		ok(strcmp(kn_date_display("2026-12-04T09:30:00", KN_DATES_US, 1, out), "12/04/2026") == 0,
		   "display: us, a time in a table");
		ok(strcmp(kn_date_display("2026-12-04", KN_DATES_DAY_MONTH, 0, out), "Fri 4 Dec 2026") == 0,
		   "display: day-month, in words");
		ok(strcmp(kn_date_display("2026-12-04", KN_DATES_DAY_MONTH, 1, out), "04/12/2026") == 0,
		   "display: day-month, in a table");
		ok(strcmp(kn_date_display("2026-12-04T09:30:00", KN_DATES_ISO, 0, out), "2026-12-04") == 0,
		   "display: iso");
		ok(strcmp(kn_date_display("1969-12-31", KN_DATES_US, 0, out), "Wed, Dec 31, 1969") == 0,
		   "display: the weekday before day 0");
		ok(strcmp(kn_date_display("soon", KN_DATES_US, 0, out), "soon") == 0,
		   "display: not a date is left as it is");
		ok(strcmp(kn_date_display("2026-12-04 at 13:05", KN_DATES_US, 0, out),
		          "Fri, Dec 4, 2026 at 1:05 PM") == 0, "display: us, a day and a time");
		ok(strcmp(kn_date_display("2026-12-04 at 00:30", KN_DATES_ISO, 0, out),
		          "2026-12-04 at 00:30") == 0, "display: iso, a day and a time");
		ok(strcmp(kn_time_display("12:00", KN_DATES_US, out), "12:00 PM") == 0 &&
		   strcmp(kn_time_display("00:15", KN_DATES_US, out), "12:15 AM") == 0,
		   "display: noon and past midnight in 12-hour time");
		ok(kn_date_relative("+3", &days) && days == 3, "relative: +3");
		ok(kn_date_relative("yesterday", &days) && days == -1, "relative: yesterday");
		ok(!kn_date_relative("+", &days) && !kn_date_relative("+3d", &days) &&
		   !kn_date_relative("+100000", &days), "relative: +, +3d and +100000 refused");
	}
	ok(date_is("", NULL), "empty refused");
	{
		kn_day a, b;
		kn_date_parse("1970-01-01", &a, NULL);
		kn_date_parse("2026-11-23", &b, NULL);
		ok(a == 0 && b == 20780, "day numbers count from 1970-01-01");
	}
	ok(money_is("12", 1200, 1), "money 12");
	ok(money_is("12.5", 1250, 1), "money 12.5");
	ok(money_is("12.50", 1250, 1), "money 12.50");
	ok(money_is("$12.50", 1250, 1), "money $12.50");
	ok(money_is("1,234.50", 123450, 1), "money 1,234.50");
	ok(money_is("0", 0, 1), "money 0");
	ok(money_is("12.505", 0, 0), "three decimals refused");
	ok(money_is("1,23.00", 0, 0), "bad grouping refused");
	ok(money_is("abc", 0, 0), "words refused as money");
	ok(money_is("", 0, 0), "empty refused as money");
	{
		char out[32];
		kn_money_format(123450, out);
		ok(strcmp(out, "1234.50") == 0, "money prints 1234.50");
		kn_money_format(-5, out);
		ok(strcmp(out, "-0.05") == 0, "negative cents print -0.05");
	}
	ok(email_ok("jane@example.com"), "plain address");
	ok(email_ok("  Jane.Doe+dogs@mail.example.co.uk "), "trimmed, plus, subdomains");
	ok(!email_ok("jane@example"), "one label refused");
	ok(!email_ok("jane@@example.com"), "two @ refused");
	ok(!email_ok("jane.@example.com"), "dot at end of local part refused");
	ok(!email_ok("ja..ne@example.com"), "two dots refused");
	ok(!email_ok("jane@-example.com"), "leading hyphen in label refused");
	ok(!email_ok("jane@example.c0m"), "digit in TLD refused");
	ok(!email_ok("jane doe@example.com"), "space refused");
	ok(!email_ok("josé@example.com"), "non-ASCII refused");
	ok(!email_ok("jane@example.com,com"), "comma refused");
	{
		char local[80];
		char addr[160];
		memset(local, 'a', 65);
		local[65] = '\0';
		snprintf(addr, sizeof addr, "%s@example.com", local);
		ok(!email_ok(addr), "local part over 64 refused");
	}
	ok(kn_utf8_valid("Zo\xc3\xab", 4), "UTF-8 two-byte");
	ok(!kn_utf8_valid("Zo\xeb", 3), "Latin-1 byte refused");
	ok(!kn_utf8_valid("\xc0\xaf", 2), "overlong refused");
	ok(!kn_utf8_valid("\xed\xa0\x80", 3), "surrogate refused");
	{
		char out[64];
		kn_fold("Jos\xc3\xa9 P\xc3\xa9rez", out, sizeof out);
		ok(strcmp(out, "jose perez") == 0, "fold: accents and case off");
		kn_fold("\xc5\x81\xc3\xb3" "d\xc5\xba \xc3\x86\xc3\x98 \xc5\xbd", out, sizeof out);
		ok(strcmp(out, "lodz ao z") == 0, "fold: Latin Extended-A and Latin-1 letters");
		kn_fold("\xc3\x97 \xe2\x82\xac", out, sizeof out);
		ok(strcmp(out, "\xc3\x97 \xe2\x82\xac") == 0, "fold: what is no letter stays");
		kn_fold("ABCDEFGHIJ", out, 4);
		ok(strcmp(out, "abc") == 0, "fold: cut to the room there is");
	}
	/* the plan last: a crash halfway leaves none, and tests/run fails it */
	printf("1..%d\n", n);
	return failed != 0;
}
