/* test_cli_plan.c - `pathway plan` and `next` end to end: exit codes, JSON
 * keys, text, dot. JSON here is written with ' for " (fx_dq swaps them). */
#include "sandbox.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- plan and next ------------------------------------------------------------- */

/* l.ann (4 hours a week, holds nothing). j.one requires sk.a 2 (importance
 * 3) and sk.b 1 (importance 1); cr.b needs cr.pre first. The plan, by
 * hours or cost alike (there is one way):
 *   1. cr.a    6 h  $120  week 2  score 0.0 -> 75.0
 *   2. cr.pre  2 h   $50  week 2  75.0 -> 75.0 (ceil(8/4) = 2)
 *   3. cr.b    3 h    $0  week 3  75.0 -> 100.0, qualified (ceil(11/4))
 *   total 11 h, $170.
 * j.block requires sk.c 3 (only the unlisted cr.hidden grants it) and the
 * unlisted cr.lic: unreachable, blocking cr.lic and sk.c (need 3).
 * next: cr.a newly qualifies j.two (2 openings) and raises j.one to 75.0:
 * gain 2 x 100 + 1 x 75 = 275.0; cr.pre changes nothing and cr.b is not
 * ready: one result. */
static const char DATA[] =
    "{'skills': [{'id': 'sk.a', 'name': 'Alpha'}, {'id': 'sk.b', 'name': 'Beta'},"
    " {'id': 'sk.c', 'name': 'Gamma'}],"
    "'credentials': ["
    " {'id': 'cr.a', 'name': 'Cred A', 'hours': 6, 'cost': 120,"
    "  'skills': [{'skill': 'sk.a', 'level': 2}]},"
    " {'id': 'cr.pre', 'name': 'Cred Pre', 'hours': 2, 'cost': 50},"
    " {'id': 'cr.b', 'name': 'Cred B', 'hours': 3, 'cost': 0,"
    "  'prerequisites': ['cr.pre'], 'skills': [{'skill': 'sk.b', 'level': 1}]},"
    " {'id': 'cr.hidden', 'name': 'Hidden', 'listed': false, 'hours': 1,"
    "  'cost': 1, 'skills': [{'skill': 'sk.c', 'level': 4}]},"
    " {'id': 'cr.lic', 'name': 'License', 'listed': false, 'hours': 1, 'cost': 1}],"
    "'occupations': [{'id': '15-1252.00', 'title': 'Software Developers',"
    " 'requirements': [{'skill': 'sk.a', 'level': 2}]}],"
    "'learners': [{'id': 'l.ann', 'hours_per_week': 4}],"
    "'jobs': ["
    " {'id': 'j.one', 'title': 'Job One', 'remote': true, 'requirements': ["
    "  {'skill': 'sk.a', 'level': 2, 'importance': 3},"
    "  {'skill': 'sk.b', 'level': 1, 'importance': 1}]},"
    " {'id': 'j.two', 'title': 'Job Two', 'remote': true, 'openings': 2,"
    "  'requirements': [{'skill': 'sk.a', 'level': 2}]},"
    " {'id': 'j.block', 'title': 'Blocked', 'remote': true,"
    "  'requirements': [{'skill': 'sk.c', 'level': 3}],"
    "  'credentials_required': ['cr.lic']}]}";

/* Writes DATA as data.json and loads it into a.db. */
static void load_data(sandbox *t)
{
	char *json = fx_dq(DATA);
	sb_write(t, "data.json", json);
	free(json);
	RUN(t, "--db", "a.db", "load", "data.json");
	EXPECT_EXIT(t, 0);
}

static const char *str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static double num_of(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void expect_plan_keys_at(const sandbox *t, json_t *j, const char *file,
                                int line)
{
	sb_expect_keys_at(j,
	                  ARGS("learner", "job", "as_of", "objective",
	                       "optimal", "reachable", "score_now",
	                       "qualified_now", "steps", "total_hours",
	                       "total_cost", "blocking"),
	                  "plan", file, line);
	json_t *steps = json_object_get(j, "steps");
	sb_expect_at(t, json_is_array(steps), "steps is an array", file, line);
	size_t i;
	json_t *s;
	json_array_foreach(steps, i, s)
	{
		sb_expect_keys_at(s,
		                  ARGS("credential", "name", "hours", "cost",
		                       "score_after", "qualified_after",
		                       "cumulative_hours", "cumulative_cost",
		                       "weeks"),
		                  "plan step", file, line);
		sb_expect_at(t,
		             sb_one_decimal(json_object_get(s, "score_after")),
		             "score_after has one decimal", file, line);
		sb_expect_at(t, json_is_integer(json_object_get(s, "weeks")),
		             "weeks is an integer", file, line);
		sb_expect_at(
		    t, json_is_boolean(json_object_get(s, "qualified_after")),
		    "qualified_after is a boolean", file, line);
	}
	json_t *blocking = json_object_get(j, "blocking");
	sb_expect_at(t, json_is_array(blocking), "blocking is an array", file,
	             line);
	json_array_foreach(blocking, i, s)
	{
		if (json_object_get(s, "skill"))
			sb_expect_keys_at(s, ARGS("skill", "need"),
			                  "blocking skill", file, line);
		else
			sb_expect_keys_at(s, ARGS("credential"),
			                  "blocking credential", file, line);
	}
	sb_expect_at(t, sb_one_decimal(json_object_get(j, "score_now")),
	             "score_now has one decimal", file, line);
	sb_expect_at(t,
	             json_is_boolean(json_object_get(j, "optimal")) &&
	                 json_is_boolean(json_object_get(j, "reachable")) &&
	                 json_is_boolean(json_object_get(j, "qualified_now")),
	             "flags are booleans", file, line);
}
#define EXPECT_PLAN_KEYS(t, j) expect_plan_keys_at((t), (j), __FILE__, __LINE__)

static void expect_step_at(const sandbox *t, json_t *steps, size_t i,
                           const char *id, double score_after, bool qualified,
                           double cum_h, double cum_c, long long weeks,
                           const char *file, int line)
{
	json_t *s = json_array_get(steps, i);
	bool ok = s && strcmp(str_of(s, "credential"), id) == 0 &&
	          num_of(s, "score_after") == score_after &&
	          json_is_true(json_object_get(s, "qualified_after")) == qualified &&
	          num_of(s, "cumulative_hours") == cum_h &&
	          num_of(s, "cumulative_cost") == cum_c &&
	          json_integer_value(json_object_get(s, "weeks")) == weeks;
	if (!ok) {
		print_error("step %zu: expected %s score_after %.1f qualified %d "
		            "cumulative %g h $%g weeks %lld\n",
		            i + 1, id, score_after, qualified, cum_h, cum_c, weeks);
		sb_report_run(t);
		_fail(file, line);
	}
}
#define EXPECT_STEP(t, steps, i, id, sc, q, h, c, w)                           \
	expect_step_at((t), (steps), (i), (id), (sc), (q), (h), (c), (w),       \
	               __FILE__, __LINE__)

static void test_plan_json(void **state)
{
	sandbox *t = *state;
	load_data(t);
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "plan", "l.ann",
	    "j.one");
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->err[0] == '\0');
	EXPECT(t, sb_max_fraction_digits(t->out) <= 1);
	json_t *j = PARSE_OUT(t);
	EXPECT_PLAN_KEYS(t, j);
	EXPECT(t, strcmp(str_of(j, "learner"), "l.ann") == 0);
	EXPECT(t, strcmp(str_of(j, "job"), "j.one") == 0);
	EXPECT(t, strcmp(str_of(j, "as_of"), "2025-06-01") == 0);
	EXPECT(t, strcmp(str_of(j, "objective"), "hours") == 0);
	EXPECT(t, json_is_true(json_object_get(j, "optimal")));
	EXPECT(t, json_is_true(json_object_get(j, "reachable")));
	EXPECT(t, json_is_false(json_object_get(j, "qualified_now")));
	EXPECT(t, num_of(j, "score_now") == 0);
	json_t *steps = json_object_get(j, "steps");
	EXPECT(t, json_array_size(steps) == 3);
	EXPECT_STEP(t, steps, 0, "cr.a", 75.0, false, 6, 120, 2);
	EXPECT_STEP(t, steps, 1, "cr.pre", 75.0, false, 8, 170, 2);
	EXPECT_STEP(t, steps, 2, "cr.b", 100.0, true, 11, 170, 3);
	EXPECT(t, strcmp(str_of(json_array_get(steps, 0), "name"), "Cred A") == 0);
	EXPECT(t, num_of(json_array_get(steps, 0), "hours") == 6);
	EXPECT(t, num_of(json_array_get(steps, 0), "cost") == 120);
	EXPECT(t, num_of(j, "total_hours") == 11);
	EXPECT(t, num_of(j, "total_cost") == 170);
	EXPECT(t, json_array_size(json_object_get(j, "blocking")) == 0);
	json_decref(j);

	/* by cost: the same single way, named as such */
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "plan", "l.ann",
	    "j.one", "--by", "cost");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	EXPECT_PLAN_KEYS(t, j);
	EXPECT(t, strcmp(str_of(j, "objective"), "cost") == 0);
	EXPECT(t, json_array_size(json_object_get(j, "steps")) == 3);
	EXPECT(t, num_of(j, "total_cost") == 170);
	json_decref(j);

	/* an occupation is a target too */
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "plan", "l.ann",
	    "15-1252.00");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	EXPECT_PLAN_KEYS(t, j);
	EXPECT(t, strcmp(str_of(j, "job"), "15-1252.00") == 0);
	steps = json_object_get(j, "steps");
	EXPECT(t, json_array_size(steps) == 1);
	EXPECT_STEP(t, steps, 0, "cr.a", 100.0, true, 6, 120, 2);
	json_decref(j);
}

static void test_plan_blocking_json(void **state)
{
	sandbox *t = *state;
	load_data(t);
	RUN(t, "--db", "a.db", "--as-of", "2025-06-01", "plan", "l.ann", "j.block",
	    "--json");
	EXPECT_EXIT(t, 0);
	json_t *j = PARSE_OUT(t);
	EXPECT_PLAN_KEYS(t, j);
	EXPECT(t, json_is_false(json_object_get(j, "reachable")));
	EXPECT(t, json_array_size(json_object_get(j, "steps")) == 0);
	json_t *b = json_object_get(j, "blocking");
	EXPECT(t, json_array_size(b) == 2);
	json_t *b0 = json_array_get(b, 0), *b1 = json_array_get(b, 1);
	EXPECT(t, strcmp(str_of(b0, "credential"), "cr.lic") == 0);
	EXPECT(t, strcmp(str_of(b1, "skill"), "sk.c") == 0);
	EXPECT(t, json_integer_value(json_object_get(b1, "need")) == 3);
	json_decref(j);
}

/* The text line of step n: starts with its number, then the name. */
static const char *step_line(const char *text, int n, char *buf, size_t size)
{
	char prefix[32];
	snprintf(prefix, sizeof prefix, "%d  ", n);
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *q = p;
		while (q < p + len && *q == ' ')
			q++;
		if ((size_t)(p + len - q) > strlen(prefix) &&
		    strncmp(q, prefix, strlen(prefix)) == 0) {
			snprintf(buf, size, "%.*s", (int)len, p);
			return buf;
		}
		p = nl ? nl + 1 : p + len;
	}
	return NULL;
}

/* Is word a whitespace-separated token of line? */
static bool has_token(const char *line, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = line; (p = strstr(p, word)) != NULL; p++) {
		bool start = p == line || p[-1] == ' ';
		bool end = p[n] == '\0' || p[n] == ' ';
		if (start && end)
			return true;
	}
	return false;
}

static void test_plan_text(void **state)
{
	sandbox *t = *state;
	load_data(t);
	RUN(t, "--db", "a.db", "--as-of", "2025-06-01", "plan", "l.ann", "j.one");
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->err[0] == '\0');
	EXPECT(t, t->out[0] != '{');
	static const struct {
		const char *name, *hours, *cost, *weeks, *score;
	} rows[] = {
	    {"Cred A", "6", "$120", "2", "0.0 -> 75.0"},
	    {"Cred Pre", "2", "$50", "2", "75.0 -> 75.0"},
	    {"Cred B", "3", "$0", "3", "75.0 -> 100.0"},
	};
	for (int i = 0; i < 3; i++) {
		char line[512];
		const char *l = step_line(t->out, i + 1, line, sizeof line);
		EXPECT(t, l != NULL);
		if (!l)
			continue;
		EXPECT(t, sb_has(l, rows[i].name));
		char hours[16];
		snprintf(hours, sizeof hours, "%s h", rows[i].hours);
		EXPECT(t, sb_has(l, hours));
		EXPECT(t, has_token(l, rows[i].cost));
		EXPECT(t, has_token(l, rows[i].weeks));
		EXPECT(t, sb_has(l, rows[i].score));
	}
	char line[512];
	EXPECT(t, step_line(t->out, 4, line, sizeof line) == NULL);
	/* the score column is named */
	EXPECT(t, sb_has(t->out, "score") || sb_has(t->out, "SCORE"));
	EXPECT(t, sb_has(t->out, "qualified"));
	EXPECT(t, sb_has(t->out, "$170"));
	EXPECT(t, sb_has(t->out, "11 hours"));

	/* a blocked target says what blocks it */
	RUN(t, "--db", "a.db", "--as-of", "2025-06-01", "plan", "l.ann", "j.block");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "sk.c"));
	EXPECT(t, sb_has(t->out, "cr.lic"));
	EXPECT(t, step_line(t->out, 1, line, sizeof line) == NULL);
}

/* Renders file (in the work directory) with dot -Tsvg, reading it on
 * standard input, and checks the SVG. */
static void render_dot(sandbox *t, const char *file)
{
	char in[SB_PATH_CAP];
	sb_path(t, file, in, sizeof in);
	sb_run_prog(t, "/usr/bin/dot", "dot", false, NULL, in, NULL,
	            ARGS("-Tsvg"));
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->out[0] != '\0');
	EXPECT(t, sb_has(t->out, "<svg"));
	EXPECT(t, sb_has(t->out, "</svg>"));
}

static void test_plan_dot(void **state)
{
	sandbox *t = *state;
	load_data(t);
	char dotfile[SB_PATH_CAP];
	sb_path(t, "plan.dot", dotfile, sizeof dotfile);
	sb_run(t, NULL, dotfile,
	       ARGS("--db", "a.db", "--as-of", "2025-06-01", "plan", "l.ann",
	            "j.one", "--format", "dot"));
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->err[0] == '\0');
	char *dot = fx_read_file(dotfile, NULL);
	assert_non_null(dot);
	bool ok = strncmp(dot, "digraph", 7) == 0 && strstr(dot, "cr.a") &&
	          strstr(dot, "cr.pre") && strstr(dot, "cr.b");
	if (!ok) {
		print_error("plan --format dot wrote:\n");
		sb_print_long(dot);
	}
	free(dot);
	assert_true(ok);

	/* the blocked plan is a digraph too */
	char blockfile[SB_PATH_CAP];
	sb_path(t, "block.dot", blockfile, sizeof blockfile);
	sb_run(t, NULL, blockfile,
	       ARGS("--db", "a.db", "--as-of", "2025-06-01", "plan", "l.ann",
	            "j.block", "--format", "dot"));
	EXPECT_EXIT(t, 0);
	dot = fx_read_file(blockfile, NULL);
	assert_non_null(dot);
	ok = strncmp(dot, "digraph", 7) == 0;
	free(dot);
	assert_true(ok);

	if (access("/usr/bin/dot", X_OK) != 0) {
		print_message("skipping the SVG rendering: Graphviz is not installed "
		              "(no /usr/bin/dot)\n");
		skip();
	}
	render_dot(t, "plan.dot");
	render_dot(t, "block.dot");
}

static void test_next_json(void **state)
{
	sandbox *t = *state;
	load_data(t);
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "next", "l.ann");
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->err[0] == '\0');
	EXPECT(t, sb_max_fraction_digits(t->out) <= 1);
	json_t *j = PARSE_OUT(t);
	EXPECT_KEYS(j, "next", "learner", "as_of", "results");
	EXPECT(t, strcmp(str_of(j, "learner"), "l.ann") == 0);
	EXPECT(t, strcmp(str_of(j, "as_of"), "2025-06-01") == 0);
	json_t *results = json_object_get(j, "results");
	EXPECT(t, json_array_size(results) == 1);
	json_t *r = json_array_get(results, 0);
	EXPECT_KEYS(r, "next result", "credential", "name", "hours", "cost",
	            "newly_qualified_openings", "newly_qualified_jobs",
	            "score_gain");
	EXPECT(t, strcmp(str_of(r, "credential"), "cr.a") == 0);
	EXPECT(t, strcmp(str_of(r, "name"), "Cred A") == 0);
	EXPECT(t, num_of(r, "hours") == 6 && num_of(r, "cost") == 120);
	EXPECT(t, json_integer_value(json_object_get(r, "newly_qualified_openings")) ==
	              2);
	json_t *jobs = json_object_get(r, "newly_qualified_jobs");
	EXPECT(t, sb_is_string_array(jobs) && json_array_size(jobs) == 1);
	EXPECT(t, strcmp(json_string_value(json_array_get(jobs, 0)), "j.two") == 0);
	EXPECT(t, sb_one_decimal(json_object_get(r, "score_gain")));
	EXPECT(t, num_of(r, "score_gain") == 275);
	json_decref(j);

	/* --top 1 keeps it */
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "next", "l.ann",
	    "--top", "1");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	EXPECT(t, json_array_size(json_object_get(j, "results")) == 1);
	json_decref(j);

	/* the text form names it and the job it unlocks */
	RUN(t, "--db", "a.db", "--as-of", "2025-06-01", "next", "l.ann");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "cr.a"));
	EXPECT(t, sb_has(t->out, "j.two"));
	EXPECT(t, sb_has(t->out, "275.0"));
	EXPECT(t, !sb_has(t->out, "cr.pre"));
	EXPECT(t, !sb_has(t->out, "cr.b"));
}

static void test_errors(void **state)
{
	sandbox *t = *state;
	load_data(t);
	static const struct {
		int status;
		const char *args[8];
		const char *named; /* what stderr must name, or NULL */
	} cases[] = {
	    {3, {"plan", "l.nosuch", "j.one"}, "l.nosuch"},
	    {3, {"plan", "l.ann", "j.nosuch"}, "j.nosuch"},
	    {3, {"--json", "plan", "l.ann", "j.nosuch"}, "j.nosuch"},
	    {3, {"plan", "l.ann", "99-9999.99"}, "99-9999.99"},
	    {3, {"next", "l.nosuch"}, "l.nosuch"},
	    {3, {"--json", "next", "l.nosuch"}, "l.nosuch"},
	    {2, {"plan", "l.ann", "j.one", "--by", "nonsense"}, "nonsense"},
	    {2, {"plan", "l.ann", "j.one", "--by"}, NULL},
	    {2, {"plan", "l.ann", "j.one", "--format", "pdf"}, "pdf"},
	    {2, {"plan", "l.ann", "j.one", "--format", "svg"}, "svg"},
	    {2, {"plan", "l.ann"}, NULL},
	    {2, {"plan", "l.ann", "j.one", "extra"}, NULL},
	    {2, {"plan", "l.ann", "j.one", "--top", "3"}, NULL},
	    {2, {"next", "l.ann", "--top", "0"}, NULL},
	    {2, {"next", "l.ann", "--top", "-1"}, NULL},
	    {2, {"next", "l.ann", "--top", "abc"}, "abc"},
	    {2, {"next"}, NULL},
	    {2, {"next", "l.ann", "--by", "cost"}, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[16] = {"--db", "a.db", "--as-of", "2025-06-01"};
		size_t n = 4;
		for (size_t k = 0; k < 8 && cases[i].args[k]; k++)
			args[n++] = cases[i].args[k];
		args[n] = NULL;
		sb_run(t, NULL, NULL, args);
		EXPECT_ERROR(t, cases[i].status);
		EXPECT(t, sb_count_lines(t->err) == 1);
		if (cases[i].named)
			EXPECT(t, sb_has(t->err, cases[i].named));
	}
	/* no database: 1 */
	RUN(t, "--db", "missing.db", "plan", "l.ann", "j.one");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "no database at 'missing.db'"));
	RUN(t, "--db", "missing.db", "next", "l.ann");
	EXPECT_ERROR(t, 1);
}

/* ---- main -------------------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_plan_json),
	    T(test_plan_blocking_json),
	    T(test_plan_text),
	    T(test_plan_dot),
	    T(test_next_json),
	    T(test_errors),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
