/* test_cli_ctdl.c - `pathway import ctdl` and `pathway plan ... --format
 * ctdl` end to end: the summary and the notes on standard error, --json,
 * refused files named with their JSON path (exit 2) and the database left
 * as it was, a missing file (exit 1), usage errors, the real CTDL
 * documents, and a plan written as a CTDL Pathway that reads back as a
 * note. */
#include "fixture.h"
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *src(void)
{
	const char *s = getenv("PATHWAY_SRC");
	return s && *s ? s : ".";
}

static const char *data(const char *rel, char *buf, size_t size)
{
	snprintf(buf, size, "%s/tests/data/ctdl/%s", src(), rel);
	return buf;
}

static void load(sandbox *t, const char *db, const char *rel)
{
	char path[4096];
	RUN(t, "--db", db, "load", data(rel, path, sizeof path));
	EXPECT_EXIT(t, 0);
}

static void imports_and_notes(void **state)
{
	sandbox *t = *state;
	char single[4096], graph[4096], line[8192];
	load(t, "t.db", "catalog.json");
	RUN(t, "--db", "t.db", "import", "ctdl",
	    data("single.json", single, sizeof single),
	    data("graph.json", graph, sizeof graph));
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "imported ctdl into 't.db': skills 2 new, 0 "
	                         "updated; credentials 3 new, 0 updated\n"));
	EXPECT(t, sb_has(t->out, "2 items not mapped (listed above)"));
	EXPECT(t, sb_all_lines_prefixed(t->err));
	EXPECT(t, sb_count_lines(t->err) == 2);
	snprintf(line, sizeof line,
	         "pathway: note: %s: @graph[5]: a ceterms:Pathway is not a "
	         "CTDL credential; not imported\n",
	         graph);
	EXPECT(t, sb_has(t->err, line));
	snprintf(line, sizeof line,
	         "pathway: note: %s: "
	         "@graph[0].ceterms:requires[0].ceterms:targetCredential[3]: "
	         "prerequisite ",
	         graph);
	EXPECT(t, sb_has(t->err, line));

	RUN(t, "--db", "t.db", "show", "credential",
	    "ctdl.ce-00000000-0000-4000-8000-000000000002", "--json");
	EXPECT_EXIT(t, 0);
	json_t *c = PARSE_OUT(t);
	EXPECT(t, strcmp(json_string_value(json_object_get(c, "name")),
	                 "Forklift Safety") == 0);
	EXPECT(t, json_number_value(json_object_get(c, "hours")) == 16);
	json_decref(c);
	RUN(t, "--db", "t.db", "list", "credentials", "--q", "warehouse");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "Warehouse Lead Certification"));

	/* again, as JSON: nothing new, everything updated, notes listed */
	RUN(t, "--db", "t.db", "--json", "import", "ctdl", single, graph);
	EXPECT_EXIT(t, 0);
	json_t *doc = PARSE_OUT(t);
	json_t *created = json_object_get(doc, "created");
	json_t *updated = json_object_get(doc, "updated");
	EXPECT(t, json_integer_value(json_object_get(created, "credentials")) ==
	              0);
	EXPECT(t, json_integer_value(json_object_get(created, "skills")) == 0);
	EXPECT(t, json_integer_value(json_object_get(updated, "credentials")) ==
	              3);
	json_t *nm = json_object_get(doc, "not_mapped");
	EXPECT(t, json_array_size(nm) == 2);
	EXPECT_KEYS(json_array_get(nm, 0), "not_mapped[0]", "file", "path",
	            "reason");
	json_decref(doc);
}

static void refusals(void **state)
{
	sandbox *t = *state;
	char good[4096], bad[4096], self[4096], line[8192];
	load(t, "t.db", "catalog.json");
	RUN(t, "--db", "t.db", "list", "credentials");
	char *before = t->out;
	t->out = NULL;

	RUN(t, "--db", "t.db", "import", "ctdl",
	    data("single.json", good, sizeof good),
	    data("bad/wrong-types.json", bad, sizeof bad),
	    data("bad/self-prereq.json", self, sizeof self));
	EXPECT_ERROR(t, 2);
	snprintf(line, sizeof line,
	         "pathway: %s: @graph[3].ceterms:requires[0]: expected a "
	         "ConditionProfile, found a number\n",
	         bad);
	EXPECT(t, sb_has(t->err, line));
	snprintf(line, sizeof line,
	         "pathway: %s: "
	         "ceterms:requires[0].ceterms:targetCredential[0]: the "
	         "credential lists itself as a prerequisite\n",
	         self);
	EXPECT(t, sb_has(t->err, line));
	EXPECT(t, sb_has(t->err, "pathway: 7 errors in the input; nothing was "
	                         "imported\n"));
	EXPECT(t, sb_count_lines(t->err) == 8);
	RUN(t, "--db", "t.db", "list", "credentials");
	EXPECT(t, strcmp(before, t->out) == 0);
	free(before);

	RUN(t, "--db", "t.db", "import", "ctdl",
	    data("bad/not-json.json", bad, sizeof bad));
	EXPECT_ERROR(t, 2);
	snprintf(line, sizeof line, "pathway: %s: $: invalid JSON: ", bad);
	EXPECT(t, sb_has(t->err, line));
	RUN(t, "--db", "t.db", "import", "ctdl", "no-such-file.json");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "cannot open 'no-such-file.json'"));
	RUN(t, "--db", "t.db", "import", "ctdl");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "import ctdl needs at least one file"));
}

/* Every real CTDL document of ../shared/data/examples/ctdl but the
 * competency framework, in one call. */
static void real_documents(void **state)
{
	sandbox *t = *state;
	static const char *const names[] = {
	    "ingest_Course-1a.json", "ingest_Credential-1.json",
	    "ingest_LearningProgram-1.json",
	    "schemadev_CompTIA-IT_Networking_Specialist_pathway.jsonld",
	    "schemadev_VC_CompetenceAndDegree.json"};
	char paths[5][4096], framework[4096];
	for (size_t i = 0; i < 5; i++) {
		snprintf(paths[i], sizeof paths[i],
		         "%s/../shared/data/examples/ctdl/%s", src(), names[i]);
		if (access(paths[i], R_OK) != 0) {
			print_message("SKIPPED: %s is absent\n", paths[i]);
			skip();
		}
	}
	RUN(t, "--db", "t.db", "import", "ctdl", paths[0], paths[1], paths[2],
	    paths[3], paths[4]);
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "credentials 12 new, 0 updated"));
	RUN(t, "--db", "t.db", "show", "credential",
	    "ctdl.ce-7160aae4-5185-4564-95ab-428419974643");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "Personal Growth Mastery"));
	snprintf(framework, sizeof framework,
	         "%s/../shared/data/examples/ctdl/"
	         "schemadev_ONET_Basic_Skills_Competency_Framework.json",
	         src());
	RUN(t, "--db", "t.db", "import", "ctdl", framework);
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "no CTDL credential (found "
	                         "ceasn:CompetencyFramework"));
}

static void plan_as_ctdl(void **state)
{
	sandbox *t = *state;
	char out[4096];
	load(t, "t.db", "plan-catalog.json");
	sb_run(t, NULL, sb_path(t, "plan.jsonld", out, sizeof out),
	       ARGS("--db", "t.db", "--as-of", "2025-06-01", "plan", "l.ann",
	            "j.lead", "--format", "ctdl"));
	EXPECT_EXIT(t, 0);
	char *text = fx_read_file(out, NULL);
	EXPECT(t, text != NULL);
	json_t *doc = json_loads(text, 0, NULL);
	free(text);
	EXPECT(t, doc != NULL);
	EXPECT(t, strcmp(json_string_value(json_object_get(doc, "@context")),
	                 "https://credreg.net/ctdl/schema/context/json") == 0);
	json_t *graph = json_object_get(doc, "@graph");
	EXPECT(t, json_array_size(graph) == 6);
	json_t *pw = json_array_get(graph, 0);
	EXPECT(t, strcmp(json_string_value(json_object_get(pw, "@type")),
	                 "ceterms:Pathway") == 0);
	EXPECT(t, json_array_size(json_object_get(pw, "ceterms:hasPart")) == 5);
	json_decref(doc);

	/* --by cost as well; the order of options does not matter */
	RUN(t, "--db", "t.db", "plan", "l.ann", "53-7051.00", "--format",
	    "ctdl", "--by", "cost");
	EXPECT_EXIT(t, 0);
	doc = PARSE_OUT(t);
	EXPECT(t, sb_has(t->out, "ceterms:JobComponent"));
	EXPECT(t, sb_has(t->out, "https://www.onetonline.org/link/summary/"
	                         "53-7051.00"));
	json_decref(doc);

	/* read back: a Pathway is not a credential */
	RUN(t, "--db", "t.db", "list", "credentials");
	char *before = t->out;
	t->out = NULL;
	RUN(t, "--db", "t.db", "import", "ctdl", "plan.jsonld");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "imported ctdl into 't.db': nothing\n"));
	EXPECT(t, sb_has(t->err, "pathway: note: plan.jsonld: $: a CTDL "
	                         "Pathway holds no credential description"));
	RUN(t, "--db", "t.db", "list", "credentials");
	EXPECT(t, strcmp(before, t->out) == 0);
	free(before);

	RUN(t, "--db", "t.db", "plan", "l.nobody", "j.lead", "--format",
	    "ctdl");
	EXPECT_ERROR(t, 3);
	RUN(t, "--db", "t.db", "plan", "l.ann", "j.nothing", "--format",
	    "ctdl");
	EXPECT_ERROR(t, 3);
	RUN(t, "--db", "none.db", "plan", "l.ann", "j.lead", "--format",
	    "ctdl");
	EXPECT_ERROR(t, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)
	const struct CMUnitTest tests[] = {
	    T(imports_and_notes),
	    T(refusals),
	    T(real_documents),
	    T(plan_as_ctdl),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
