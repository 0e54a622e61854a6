/* test_cli_outcomes.c - `pathway outcomes` end to end: the table, the
 * --json document, regions, and refusals (exit 2 naming the value). JSON
 * here is written with ' for " (fx_dq swaps them). */
#include "sandbox.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jA (remote) requires a 2; ca2 grants it in 10 hours. Ten women in 21071:
 * w0..w4 hold ca2 (qualified, 100.0), w5..w9 hold nothing (0.0; a plan of
 * ca2, 10 h). Three men: suppressed, and being the one suppressed group
 * they leave no total. female: 10 learners, 5 qualified (0.5), best 0 ×5,
 * 100 ×5 -> the 5th and 6th are 0 and 100 -> 50.0; hours 10 ×5 -> 10. */
static void load_data(sandbox *t)
{
	fx_text d = {0};
	fx_put(&d, "{'skills': [{'id': 'a', 'name': 'A'}],"
	           "'credentials': [{'id': 'ca2', 'name': 'A2', 'hours': 10,"
	           " 'cost': 5, 'skills': [{'skill': 'a', 'level': 2}]}],"
	           "'jobs': [{'id': 'jA', 'title': 'A job', 'remote': true,"
	           " 'requirements': [{'skill': 'a', 'level': 2}]}],"
	           "'learners': [");
	for (int i = 0; i < 13; i++)
		fx_put(&d,
		       "%s{'id': '%c%d', 'home': {'county': '21071', 'state': "
		       "'KY'}, 'credentials': [%s], 'demographics': "
		       "{'gender': '%s'}}",
		       i ? ", " : "", i < 10 ? 'w' : 'm', i,
		       i < 5 ? "{'credential': 'ca2', 'earned': '2024-01-01'}"
		             : "",
		       i < 10 ? "female" : "male");
	fx_put(&d, "]}");
	char *json = fx_dq(d.text);
	sb_write(t, "data.json", json);
	free(json);
	fx_text_free(&d);
	RUN(t, "--db", "a.db", "load", "data.json");
	EXPECT_EXIT(t, 0);
}

static void test_json(void **state)
{
	sandbox *t = *state;
	load_data(t);
	RUN(t, "--db", "a.db", "--as-of", "2026-01-01", "outcomes", "--by",
	    "gender", "--county", "21071", "--json");
	EXPECT_EXIT(t, 0);
	json_t *doc = PARSE_OUT(t);
	EXPECT_KEYS(doc, "document", "region", "as_of", "by", "groups");
	json_t *want = json_pack("{s:[s]}", "county", "21071");
	bool same = json_equal(json_object_get(doc, "region"), want);
	json_decref(want);
	EXPECT(t, same);
	EXPECT(t, strcmp(json_string_value(json_object_get(doc, "by")),
	                 "gender") == 0);
	json_t *g = json_object_get(doc, "groups");
	EXPECT(t, json_array_size(g) == 2);
	json_t *f = json_array_get(g, 0), *m = json_array_get(g, 1);
	EXPECT_KEYS(f, "female", "group", "learners", "qualified",
	            "qualified_share", "median_best_score",
	            "median_hours_to_qualify");
	EXPECT(t, json_integer_value(json_object_get(f, "learners")) == 10);
	EXPECT(t, json_integer_value(json_object_get(f, "qualified")) == 5);
	EXPECT(t,
	       json_real_value(json_object_get(f, "qualified_share")) == 0.5);
	EXPECT(t, json_real_value(json_object_get(f, "median_best_score")) ==
	              50.0);
	EXPECT(t, json_real_value(
	              json_object_get(f, "median_hours_to_qualify")) == 10.0);
	EXPECT_KEYS(m, "male", "group", "suppressed");
	EXPECT(t, json_is_true(json_object_get(m, "suppressed")));
	/* nobody is named */
	EXPECT(t, !sb_has(t->out, "\"w0\"") && !sb_has(t->out, "\"m10\""));
	json_decref(doc);

	/* elsewhere: nobody, no groups, total 0 */
	RUN(t, "--db", "a.db", "outcomes", "--by", "county", "--state", "oh",
	    "--json");
	EXPECT_EXIT(t, 0);
	doc = PARSE_OUT(t);
	EXPECT_KEYS(doc, "document", "region", "as_of", "by", "groups",
	            "total");
	EXPECT(t, json_array_size(json_object_get(doc, "groups")) == 0);
	json_decref(doc);
}

static void test_table(void **state)
{
	sandbox *t = *state;
	load_data(t);
	RUN(t, "--db", "a.db", "--as-of", "2026-01-01", "outcomes", "--by",
	    "gender");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "Outcomes by gender as of 2026-01-01, the "
	                         "whole store"));
	EXPECT(t, sb_has(t->out, "female"));
	EXPECT(t, sb_has(t->out, "50.0%"));
	EXPECT(t, sb_has(t->out, "50.00"));
	EXPECT(t, sb_has(t->out, "male                 suppressed"));
	EXPECT(t, !sb_has(t->out, "learners in the region"));

	/* a circle drawn around one learner's home names no group: the
	 * suppressed row would give away their answer */
	sb_write(t, "one.json",
	         "{\"learners\": [{\"id\": \"x1\", \"home\": {\"lat\": 37.26, "
	         "\"lon\": -83.21, \"county\": \"21193\", \"state\": \"KY\"}, "
	         "\"demographics\": {\"gender\": \"nonbinary\"}}]}");
	RUN(t, "--db", "a.db", "load", "one.json");
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "a.db", "outcomes", "--near", "37.26,-83.21", "--radius",
	    "0", "--by", "gender");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "1 learners in the region: fewer than 10, so "
	                         "no group is shown"));
	EXPECT(t, !sb_has(t->out, "nonbinary"));
	RUN(t, "--db", "a.db", "--json", "outcomes", "--near", "37.26,-83.21",
	    "--radius", "0", "--by", "gender");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "\"groups\": []"));
	EXPECT(t, !sb_has(t->out, "nonbinary"));
	RUN(t, "--db", "a.db", "outcomes", "--county", "21193", "--by",
	    "county");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "21193"));
	EXPECT(t, sb_has(t->out, "suppressed"));
	RUN(t, "help", "outcomes");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "race_ethnicity"));
	EXPECT(t, sb_has(t->out, "--radius"));
}

static void test_errors(void **state)
{
	sandbox *t = *state;
	load_data(t);
	RUN(t, "--db", "a.db", "outcomes", "--by", "income");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "'income'"));
	RUN(t, "--db", "a.db", "outcomes");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "--by"));
	RUN(t, "--db", "a.db", "outcomes", "--by", "county", "--county",
	    "2107");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "'2107'"));
	RUN(t, "--db", "a.db", "outcomes", "--by", "county", "--near",
	    "37,-83");
	EXPECT_ERROR(t, 2);
	RUN(t, "--db", "a.db", "outcomes", "KY", "--by", "county");
	EXPECT_ERROR(t, 2);
	RUN(t, "--db", "missing.db", "outcomes", "--by", "county");
	EXPECT_ERROR(t, 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_json),
	    T(test_table),
	    T(test_errors),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
