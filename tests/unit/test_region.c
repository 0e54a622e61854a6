/* test_region.c - the regions of the board views (SPEC §10): parsing the
 * CLI's and the API's forms, refusals naming what is wrong, membership. */
#include "internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static pw_region *ok(const char *county, const char *state, const char *near,
                     const char *radius)
{
	pw_region *r = NULL;
	pw_error err;
	if (pw_region_parse(county, state, near, radius, &r, &err))
		fail_msg("refused: %s", err.message);
	return r;
}

static void refused(const char *county, const char *state, const char *near,
                    const char *radius, const char *says)
{
	pw_region *r = NULL;
	pw_error err;
	assert_int_equal(pw_region_parse(county, state, near, radius, &r, &err),
	                 PW_ERR_INVALID);
	assert_null(r);
	if (!strstr(err.message, says))
		fail_msg("'%s' does not say '%s'", err.message, says);
}

static char *json_of(const pw_region *r)
{
	jsonw w;
	jw_init(&w, 0);
	region_json(&w, r);
	return jw_finish(&w);
}

static void counties(void **state)
{
	(void)state;
	pw_region *r = ok("21193,21071,21193", NULL, NULL, NULL);
	assert_int_equal(r->ncounties, 2);
	assert_string_equal(r->counties[0], "21071");
	char *j = json_of(r);
	assert_string_equal(j, "{\"county\":[\"21071\",\"21193\"]}");
	free(j);
	loc in = {.county = "21193"}, out = {.county = "21195"}, none = {0};
	assert_true(region_has(r, &in));
	assert_false(region_has(r, &out));
	assert_false(region_has(r, &none));
	pw_region_free(r);
	refused("2107", NULL, NULL, NULL, "county '2107'");
	refused("21071,", NULL, NULL, NULL, "county ''");
	refused("21071,2107x", NULL, NULL, NULL, "county '2107x'");
}

static void states(void **state)
{
	(void)state;
	pw_region *r = ok(NULL, "ky", NULL, NULL);
	assert_string_equal(r->state, "KY");
	loc in = {.state = "KY"}, out = {.state = "WV"};
	assert_true(region_has(r, &in));
	assert_false(region_has(r, &out));
	char *j = json_of(r);
	assert_string_equal(j, "{\"state\":\"KY\"}");
	free(j);
	pw_region_free(r);
	refused(NULL, "Kentucky", NULL, NULL, "state 'Kentucky'");
	refused(NULL, "K1", NULL, NULL, "two-letter");
}

static void circles(void **state)
{
	(void)state;
	pw_region *r = ok(NULL, NULL, "37.5,-83.0", "10");
	/* one degree of latitude is about 69 miles */
	loc near = {.has_coords = true, .lat = 37.6, .lon = -83.0};
	loc far = {.has_coords = true, .lat = 37.7, .lon = -83.0};
	loc nowhere = {.county = "21071"};
	assert_true(region_has(r, &near));
	assert_false(region_has(r, &far));
	assert_false(region_has(r, &nowhere));
	pw_region_free(r);
	refused(NULL, NULL, "37.5", "10", "near '37.5'");
	refused(NULL, NULL, "97.5,-83", "10", "latitude");
	refused(NULL, NULL, "37.5,-83", "-1", "radius '-1'");
	refused(NULL, NULL, "37.5,-83", "ten", "radius 'ten'");
	refused(NULL, NULL, "37.5,-83", NULL, "needs a radius");
	refused(NULL, NULL, NULL, "10", "needs near");
}

static void one_form_or_none(void **state)
{
	(void)state;
	refused("21071", "KY", NULL, NULL, "only one");
	refused(NULL, "KY", "37.5,-83", "10", "only one");
	pw_region *r = ok(NULL, NULL, NULL, NULL);
	loc any = {0};
	assert_true(region_has(r, &any));
	assert_true(region_has(NULL, &any));
	char *j = json_of(r);
	assert_string_equal(j, "{}");
	free(j);
	pw_region_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(counties),
	    cmocka_unit_test(states),
	    cmocka_unit_test(circles),
	    cmocka_unit_test(one_form_or_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
