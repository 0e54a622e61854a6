/* test_date.c - calendar dates: strict parsing, formatting, and month
 * arithmetic with the day clamped to the month's end (SPEC §2). */
#include "fixture.h"

#include <string.h>

static void parses_only_real_dates(void **state)
{
	(void)state;
	pw_date d;
	assert_int_equal(pw_date_parse("1970-01-01", &d, NULL), PW_OK);
	assert_int_equal(d, 0);
	assert_int_equal(pw_date_parse("2024-02-29", &d, NULL), PW_OK);
	const char *bad[] = {"2023-02-29", "2025-13-01", "2025-00-10",
	                     "2025-04-31", "2025-1-01",  "2025-01-1",
	                     "20250101",   "",           "abcd-ef-gh",
	                     "2025-01-01x", "1900-02-29", "0000-01-01"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pw_error err;
		assert_int_equal(pw_date_parse(bad[i], &d, &err), PW_ERR_INVALID);
		assert_non_null(strstr(err.message, "is not a date"));
	}
	assert_int_equal(pw_date_parse("2000-02-29", &d, NULL), PW_OK);
}

static void formats_what_it_parses(void **state)
{
	(void)state;
	const char *days[] = {"1970-01-01", "1999-12-31", "2000-02-29",
	                      "2024-02-29", "2026-11-23", "2100-03-01"};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		char out[11];
		pw_date_format(fx_date(days[i]), out);
		assert_string_equal(out, days[i]);
	}
	assert_int_equal(fx_date("2000-03-01") - fx_date("2000-02-28"), 2);
	assert_int_equal(fx_date("1900-03-01") - fx_date("1900-02-28"), 1);
}

static void adds_months_clamping_the_day(void **state)
{
	(void)state;
	struct {
		const char *from;
		int months;
		const char *to;
	} cases[] = {
	    {"2025-01-31", 1, "2025-02-28"},  /* Jan 31 + 1 month */
	    {"2024-01-31", 1, "2024-02-29"},  /* leap year */
	    {"2024-02-29", 12, "2025-02-28"}, /* leap day a year on */
	    {"2024-02-29", 48, "2028-02-29"},
	    {"2025-03-31", 1, "2025-04-30"},
	    {"2025-08-31", 6, "2026-02-28"},
	    {"2025-12-15", 1, "2026-01-15"},  /* across the year */
	    {"2025-11-30", 3, "2026-02-28"},
	    {"1900-01-31", 1, "1900-02-28"},  /* not a leap century */
	    {"2000-01-31", 1, "2000-02-29"},  /* a leap century */
	    {"2024-01-31", 24, "2026-01-31"},
	    {"2025-05-10", 0, "2025-05-10"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[11];
		pw_date_format(pw_date_add_months(fx_date(cases[i].from),
		                                  cases[i].months),
		               out);
		assert_string_equal(out, cases[i].to);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_only_real_dates),
	    cmocka_unit_test(formats_what_it_parses),
	    cmocka_unit_test(adds_months_clamping_the_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
