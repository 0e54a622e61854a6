/* test_cli_esco.c - `pathway import esco` end to end: the summary, notes on
 * standard error, --json, usage errors, and a broken release refused with
 * every problem named and the database left as it was. */
#include "fixture.h"
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *data(const char *rel, char *buf, size_t size)
{
	const char *src = getenv("PATHWAY_SRC");
	snprintf(buf, size, "%s/tests/data/esco/%s", src && *src ? src : ".",
	         rel);
	return buf;
}

static void imports_and_reports(void **state)
{
	sandbox *t = *state;
	char dir[4096], labels[4096];
	RUN(t, "--db", "t.db", "import", "esco", data("full", dir, sizeof dir));
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "skills 6 new, 0 updated"));
	EXPECT(t, sb_has(t->out, "1 item not mapped"));
	EXPECT(t, sb_has(t->err, "pathway: note: ") &&
	              sb_has(t->err,
	                     "/skillSkillRelations_en.csv: $: 1 optional"));
	EXPECT(t, sb_all_lines_prefixed(t->err));
	RUN(t, "--db", "t.db", "list", "skills", "--q", "forklift operation");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "esco.skill.aaa-1"));

	RUN(t, "--db", "t.db", "--json", "import", "esco",
	    data("nolabels", dir, sizeof dir), "--labels",
	    data("labels.txt", labels, sizeof labels));
	EXPECT_EXIT(t, 0);
	json_t *doc = PARSE_OUT(t);
	EXPECT(t, json_integer_value(json_object_get(
	              json_object_get(doc, "created"), "skills")) == 0);
	EXPECT(t, json_integer_value(json_object_get(
	              json_object_get(doc, "updated"), "skills")) == 1);
	EXPECT(t, json_is_array(json_object_get(doc, "not_mapped")));
	json_decref(doc);
}

static void refusals(void **state)
{
	sandbox *t = *state;
	char dir[4096];
	sb_write(t, "s.json",
	         "{\"skills\": [{\"id\": \"a\", \"name\": \"A\"}]}");
	RUN(t, "--db", "t.db", "load", "s.json");
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "t.db", "import", "esco",
	    data("baduri", dir, sizeof dir));
	EXPECT_EXIT(t, 2);
	EXPECT(t, sb_has(t->err, "broaderRelationsSkillPillar_en.csv: "
	                         "line 2, column 'conceptUri': 'urn:not-esco' "
	                         "is not an ESCO URI"));
	EXPECT(t, sb_all_lines_prefixed(t->err));
	RUN(t, "--db", "t.db", "list", "skills");
	EXPECT(t, sb_has(t->out, "1 entity"));

	RUN(t, "--db", "t.db", "import", "esco");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "t.db", "import", "esco", "a", "b");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "t.db", "import", "nosuch", "x");
	EXPECT_EXIT(t, 2);
	EXPECT(t, sb_has(t->err, "unknown format 'nosuch'"));
	RUN(t, "--db", "t.db", "import", "onet", "x", "--labels", "y");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "t.db", "import", "esco", "no-such-dir");
	EXPECT_EXIT(t, 1);
	EXPECT(t, sb_has(t->err, "cannot open directory 'no-such-dir'"));
	RUN(t, "--db", "t.db", "export", "skills", "--format", "jobposting");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "t.db", "export", "jobs");
	EXPECT_EXIT(t, 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)
	const struct CMUnitTest tests[] = {T(imports_and_reports), T(refusals)};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
