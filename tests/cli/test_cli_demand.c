/* test_cli_demand.c - `pathway demand` end to end on the hand-made store
 * of tests/data/demand/small.json (its figures are worked out in
 * tests/unit/test_demand.c): the three tables, the JSON document, `help
 * demand`, and refused regions (exit 2, the parameter named). */
#include "sandbox.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void load_small(sandbox *t)
{
	const char *src = getenv("PATHWAY_SRC");
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/demand/small.json",
	         src && *src ? src : ".");
	RUN(t, "--db", "a.db", "load", path);
	EXPECT_EXIT(t, 0);
}

static void test_tables(void **state)
{
	sandbox *t = *state;
	load_small(t);
	RUN(t, "--db", "a.db", "--as-of", "2026-01-15", "demand", "--county",
	    "21071");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "Demand as of 2026-01-15, county 21071"));
	EXPECT(t, sb_has(t->out, "Occupations"));
	EXPECT(t, sb_has(t->out, "Skills"));
	EXPECT(t, sb_has(t->out, "Programs"));
	/* the null group (46800) before 31-1131.00 (31200) at 4 openings */
	const char *none = strstr(t->out, "(none)");
	const char *aide = strstr(t->out, "31-1131.00");
	EXPECT(t, none && aide && none < aide);
	EXPECT(t, sb_has(t->out, "$46,800"));
	/* c-k unlocks 3 learners for 2 openings, first */
	const char *ck = strstr(t->out, "c-k ");
	const char *cb = strstr(t->out, "c-b ");
	EXPECT(t, ck && cb && ck < cb);
	EXPECT(t, sb_has(t->out, "Cred K"));
	EXPECT(t, !sb_has(t->out, "c-x"));
	/* the whole store names itself */
	RUN(t, "--db", "a.db", "--as-of", "2026-01-15", "demand");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "the whole store"));
}

static void test_json(void **state)
{
	sandbox *t = *state;
	load_small(t);
	RUN(t, "--db", "a.db", "demand", "--near", "37.3,-83.2", "--radius",
	    "10", "--as-of", "2026-01-15", "--json");
	EXPECT_EXIT(t, 0);
	json_t *j = PARSE_OUT(t);
	sb_expect_keys_at(
	    j, ARGS("region", "as_of", "occupations", "skills", "programs"),
	    "demand", __FILE__, __LINE__);
	EXPECT(t, json_real_value(json_object_get(json_object_get(j, "region"),
	                                          "radius")) == 10);
	json_t *occ = json_object_get(j, "occupations");
	EXPECT(t, json_array_size(occ) == 2);
	json_t *o0 = json_array_get(occ, 0);
	sb_expect_keys_at(o0,
	                  ARGS("soc", "openings", "postings", "employers",
	                       "median_annual_wage", "growth_pct",
	                       "outlook_openings"),
	                  "occupation", __FILE__, __LINE__);
	EXPECT(t, json_is_null(json_object_get(o0, "soc")));
	json_t *o1 = json_array_get(occ, 1);
	EXPECT(t, json_integer_value(json_object_get(o1, "outlook_openings")) ==
	              204100);
	json_t *sk = json_array_get(json_object_get(j, "skills"), 0);
	sb_expect_keys_at(
	    sk, ARGS("skill", "name", "demand", "need", "supply", "gap"),
	    "skill", __FILE__, __LINE__);
	EXPECT(t, strcmp(json_string_value(json_object_get(sk, "skill")),
	                 "s-a") == 0);
	json_t *pr = json_object_get(j, "programs");
	EXPECT(t, json_array_size(pr) == 2);
	json_t *p0 = json_array_get(pr, 0);
	sb_expect_keys_at(p0,
	                  ARGS("credential", "name", "learners_unlocked",
	                       "openings_reached", "hours", "cost"),
	                  "program", __FILE__, __LINE__);
	EXPECT(t, strcmp(json_string_value(json_object_get(p0, "credential")),
	                 "c-k") == 0);
	json_decref(j);
}

static void test_help(void **state)
{
	sandbox *t = *state;
	RUN(t, "help", "demand");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "--county"));
	EXPECT(t, sb_has(t->out, "programs"));
}

static void test_bad_regions(void **state)
{
	sandbox *t = *state;
	load_small(t);
	static const struct {
		const char *args[6];
		const char *named;
	} cases[] = {
	    {{"--county", "2107"}, "county '2107'"},
	    {{"--county", "21071,abcde"}, "county 'abcde'"},
	    {{"--state", "Kentucky"}, "state 'Kentucky'"},
	    {{"--near", "37.5"}, "near needs a radius"},
	    {{"--near", "91,0", "--radius", "5"}, "near '91,0'"},
	    {{"--near", "37,-82", "--radius", "-1"}, "radius '-1'"},
	    {{"--radius", "5"}, "radius needs near"},
	    {{"--state", "KY", "--county", "21071"}, "only one of"},
	    {{"--by", "county"}, "--by"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[16] = {"--db", "a.db", "demand"};
		size_t n = 3;
		for (size_t k = 0; k < 6 && cases[i].args[k]; k++)
			args[n++] = cases[i].args[k];
		args[n] = NULL;
		sb_run(t, NULL, NULL, args);
		EXPECT_ERROR(t, 2);
		EXPECT(t, sb_count_lines(t->err) == 1);
		EXPECT(t, sb_has(t->err, cases[i].named));
	}
	RUN(t, "--db", "missing.db", "demand");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "no database at 'missing.db'"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_tables),
	    T(test_json),
	    T(test_help),
	    T(test_bad_regions),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
