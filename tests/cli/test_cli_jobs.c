/* test_cli_jobs.c - `pathway import jobs` and `pathway export jobs --format
 * jobposting` end to end: the summary and the notes on standard error,
 * --json, refused files named with their JSON path (exit 2) and the
 * database left as it was, a missing file (exit 1), usage errors, and the
 * export read back into a second database. */
#include "fixture.h"
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *data(const char *rel, char *buf, size_t size)
{
	const char *src = getenv("PATHWAY_SRC");
	snprintf(buf, size, "%s/tests/data/jobposting/%s",
	         src && *src ? src : ".", rel);
	return buf;
}

/* A database t.db (or another name) holding the test catalog. */
static void catalog(sandbox *t, const char *db)
{
	char path[4096];
	RUN(t, "--db", db, "load", data("catalog.json", path, sizeof path));
	EXPECT_EXIT(t, 0);
}

static void imports_and_notes(void **state)
{
	sandbox *t = *state;
	char single[4096], sloppy[4096], line[8192];
	catalog(t, "t.db");
	RUN(t, "--db", "t.db", "import", "jobs",
	    data("single.json", single, sizeof single),
	    data("sloppy.json", sloppy, sizeof sloppy));
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "imported jobs into 't.db': jobs 5 new, 0 "
	                         "updated"));
	EXPECT(t, sb_has(t->out, "10 items not mapped (listed above)"));
	/* one line per note: pathway: note: FILE: PATH: reason */
	EXPECT(t, sb_all_lines_prefixed(t->err));
	EXPECT(t, sb_count_lines(t->err) == 10);
	snprintf(line, sizeof line,
	         "pathway: note: %s: educationRequirements: credential 'high "
	         "school' matches no stored credential\n",
	         single);
	EXPECT(t, sb_has(t->err, line));
	snprintf(line, sizeof line,
	         "pathway: note: %s: [1].skills[0]: 'basket weaving' matches "
	         "no skill\n",
	         sloppy);
	EXPECT(t, sb_has(t->err, line));
	snprintf(line, sizeof line,
	         "pathway: note: %s: [2].baseSalary.value.unitText: unknown "
	         "salary unit 'FORTNIGHT'; wage left out\n",
	         sloppy);
	EXPECT(t, sb_has(t->err, line));

	RUN(t, "--db", "t.db", "show", "job", "valley-co-op:VC-1001", "--json");
	EXPECT_EXIT(t, 0);
	json_t *job = PARSE_OUT(t);
	EXPECT(t, strcmp(json_string_value(json_object_get(job, "soc")),
	                 "53-7051.00") == 0);
	json_decref(job);

	/* again, as JSON: nothing new, everything updated, notes listed */
	RUN(t, "--db", "t.db", "--json", "import", "jobs", single);
	EXPECT_EXIT(t, 0);
	json_t *doc = PARSE_OUT(t);
	EXPECT(t, json_integer_value(json_object_get(
	              json_object_get(doc, "created"), "jobs")) == 0);
	EXPECT(t, json_integer_value(json_object_get(
	              json_object_get(doc, "updated"), "jobs")) == 1);
	json_t *nm = json_object_get(doc, "not_mapped");
	EXPECT(t, json_array_size(nm) == 2);
	EXPECT_KEYS(json_array_get(nm, 0), "not_mapped[0]", "file", "path",
	            "reason");
	EXPECT(t, strcmp(json_string_value(
	                     json_object_get(json_array_get(nm, 1), "path")),
	                 "experienceRequirements.monthsOfExperience") == 0);
	json_decref(doc);
}

static void refusals(void **state)
{
	sandbox *t = *state;
	char good[4096], bad[4096], html[4096], line[8192];
	catalog(t, "t.db");
	RUN(t, "--db", "t.db", "import", "jobs",
	    data("array.json", good, sizeof good));
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "t.db", "list", "jobs");
	char *before = t->out;
	t->out = NULL;

	RUN(t, "--db", "t.db", "import", "jobs",
	    data("single.json", good, sizeof good),
	    data("broken/wrong-types.json", bad, sizeof bad),
	    data("broken/bad-block.html", html, sizeof html));
	EXPECT_ERROR(t, 2);
	snprintf(line, sizeof line,
	         "pathway: %s: [3].datePosted: '05/01/2026' is not an ISO 8601 "
	         "date\n",
	         bad);
	EXPECT(t, sb_has(t->err, line));
	snprintf(line, sizeof line,
	         "pathway: %s: script[1]: invalid JSON: ", html);
	EXPECT(t, sb_has(t->err, line));
	EXPECT(t, sb_has(t->err, "pathway: 9 errors in the input; nothing was "
	                         "imported\n"));
	EXPECT(t, sb_count_lines(t->err) == 10);
	RUN(t, "--db", "t.db", "list", "jobs");
	EXPECT(t, strcmp(before, t->out) == 0);
	free(before);

	RUN(t, "--db", "t.db", "import", "jobs", "no-such-file.json");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "cannot open 'no-such-file.json'"));
	RUN(t, "--db", "t.db", "import", "jobs");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "import jobs needs at least one file"));
	RUN(t, "--db", "t.db", "export", "jobs", "--format", "ctdl");
	EXPECT_ERROR(t, 2);
	RUN(t, "--db", "none.db", "export", "jobs", "--format", "jobposting");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "no database at 'none.db'"));
}

/* Exported postings read back into another database as the same jobs. */
static void export_round_trip(void **state)
{
	sandbox *t = *state;
	const char *const files[] = {"single.json", "array.json", "graph.json",
	                             "page.html", "sloppy.json"};
	char paths[5][4096], out[4096];
	catalog(t, "a.db");
	catalog(t, "b.db");
	for (size_t i = 0; i < 5; i++)
		data(files[i], paths[i], sizeof paths[i]);
	RUN(t, "--db", "a.db", "import", "jobs", paths[0], paths[1], paths[2],
	    paths[3], paths[4]);
	EXPECT_EXIT(t, 0);

	sb_run(
	    t, NULL, sb_path(t, "jobs.jsonld", out, sizeof out),
	    ARGS("--db", "a.db", "export", "jobs", "--format", "jobposting"));
	EXPECT_EXIT(t, 0);
	char *text = fx_read_file(out, NULL);
	EXPECT(t, text != NULL);
	json_t *doc = json_loads(text, 0, NULL);
	free(text);
	EXPECT(t, doc != NULL);
	EXPECT(t, strcmp(json_string_value(json_object_get(doc, "@context")),
	                 "https://schema.org/") == 0);
	EXPECT(t, json_array_size(json_object_get(doc, "@graph")) == 11);
	json_decref(doc);

	RUN(t, "--db", "b.db", "import", "jobs", "jobs.jsonld");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "jobs 11 new, 0 updated"));
	EXPECT(t, t->err[0] == '\0'); /* nothing left unmapped */
	RUN(t, "--db", "a.db", "list", "jobs", "--json");
	json_t *list = PARSE_OUT(t);
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(list, "jobs"), i, item)
	{
		const char *id = json_string_value(json_object_get(item, "id"));
		RUN(t, "--db", "a.db", "show", "job", id, "--json");
		char *want = t->out;
		t->out = NULL;
		RUN(t, "--db", "b.db", "show", "job", id, "--json");
		EXPECT_EXIT(t, 0);
		EXPECT(t, strcmp(want, t->out) == 0);
		free(want);
	}
	json_decref(list);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)
	const struct CMUnitTest tests[] = {
	    T(imports_and_notes),
	    T(refusals),
	    T(export_round_trip),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
