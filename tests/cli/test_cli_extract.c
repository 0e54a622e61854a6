/* test_cli_extract.c - `pathway extract [FILE]` end to end: a file, standard
 * input, the table and the exact --json document of SPEC §8, and the
 * refusals: a missing file (exit 1), text that is not UTF-8 (exit 2), too
 * many arguments, no database. */
#include "fixture.h"
#include "sandbox.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char skills[] =
    "{\"skills\": ["
    "{\"id\": \"java\", \"name\": \"Java\"},"
    "{\"id\": \"ml\", \"name\": \"Machine learning\", \"aliases\": [\"ML\"]},"
    "{\"id\": \"weld\", \"name\": \"TIG welding\", \"pattern\": \"MIG|TIG\"},"
    "{\"id\": \"ecole\", \"name\": \"École\"}]}";

static const char text[] = "Über JavaScript? No: Java, machine-learning, "
                           "ÉCOLE and TIG\nwelding.\n";

static void setup_db(sandbox *t)
{
	sb_write(t, "s.json", skills);
	RUN(t, "--db", "t.db", "load", "s.json");
	EXPECT_EXIT(t, 0);
	sb_write(t, "post.txt", text);
}

/* The pathway binary, for runs that read standard input. */
static const char *bin(char *buf, size_t size)
{
	const char *b = getenv("PATHWAY_BIN");
	char cwd[2048];
	if (!b || !*b)
		b = "build/pathway";
	if (b[0] == '/' || !getcwd(cwd, sizeof cwd))
		snprintf(buf, size, "%s", b);
	else
		snprintf(buf, size, "%s/%s", cwd, b);
	return buf;
}

static void table_from_file(void **state)
{
	sandbox *t = *state;
	setup_db(t);
	RUN(t, "--db", "t.db", "extract", "post.txt");
	EXPECT_EXIT(t, 0);
	EXPECT(t, strncmp(t->out, "SKILL", 5) == 0);
	EXPECT(t, sb_has(t->out, "NAME"));
	EXPECT(t, sb_has(t->out, "java "));
	EXPECT(t, sb_has(t->out, "22-26"));
	EXPECT(t, sb_has(t->out, "machine-learning"));
	EXPECT(t, sb_has(t->out, "ÉCOLE"));
	/* the match spans a line break: shown on one line */
	EXPECT(t, sb_has(t->out, "TIG welding\n"));
	EXPECT(t, !sb_has(t->out, "JavaScript"));
	EXPECT(t, sb_has(t->out, "\n4 skills found\n"));
	EXPECT(t, t->err[0] == '\0');
}

static void json_document(void **state)
{
	sandbox *t = *state;
	setup_db(t);
	RUN(t, "--db", "t.db", "--json", "extract", "post.txt");
	EXPECT_EXIT(t, 0);
	json_t *doc = PARSE_OUT(t);
	EXPECT_KEYS(doc, "document", "skills");
	json_t *hits = json_object_get(doc, "skills");
	EXPECT(t, json_array_size(hits) == 4);
	static const struct {
		const char *skill, *name, *text;
		long long start, end;
	} want[] = {
	    {"java", "Java", "Java", 22, 26},
	    {"ml", "Machine learning", "machine-learning", 28, 44},
	    {"ecole", "École", "ÉCOLE", 46, 52},
	    {"weld", "TIG welding", "TIG\nwelding", 57, 68},
	};
	for (size_t i = 0; i < 4; i++) {
		json_t *h = json_array_get(hits, i);
		EXPECT_KEYS(h, "hit", "skill", "name", "start", "end", "text");
		EXPECT(t, strcmp(json_string_value(json_object_get(h, "skill")),
		                 want[i].skill) == 0);
		EXPECT(t, strcmp(json_string_value(json_object_get(h, "name")),
		                 want[i].name) == 0);
		EXPECT(t, strcmp(json_string_value(json_object_get(h, "text")),
		                 want[i].text) == 0);
		long long a = json_integer_value(json_object_get(h, "start"));
		long long b = json_integer_value(json_object_get(h, "end"));
		EXPECT(t, a == want[i].start && b == want[i].end);
		/* the offsets are bytes of the text */
		EXPECT(t, memcmp(text + a, want[i].text, (size_t)(b - a)) == 0);
	}
	json_decref(doc);
}

static void standard_input(void **state)
{
	sandbox *t = *state;
	char in[SB_PATH_CAP], prog[SB_PATH_CAP];
	setup_db(t);
	sb_path(t, "post.txt", in, sizeof in);
	bin(prog, sizeof prog);
	sb_run_prog(t, prog, "pathway", false, NULL, in, NULL,
	            ARGS("--db", "t.db", "--json", "extract"));
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "\"start\": 22"));
	char *from_stdin = t->out;
	t->out = NULL;
	sb_run_prog(t, prog, "pathway", false, NULL, in, NULL,
	            ARGS("--db", "t.db", "extract", "-", "--json"));
	EXPECT_EXIT(t, 0);
	EXPECT(t, strcmp(t->out, from_stdin) == 0);
	RUN(t, "--db", "t.db", "--json", "extract", "post.txt");
	EXPECT(t, strcmp(t->out, from_stdin) == 0);
	free(from_stdin);
	/* nothing on standard input: no skills */
	sb_run_prog(t, prog, "pathway", false, NULL, NULL, NULL,
	            ARGS("--db", "t.db", "--json", "extract"));
	EXPECT_EXIT(t, 0);
	EXPECT(t, strcmp(t->out, "{\n  \"skills\": []\n}\n") == 0);
	sb_run_prog(t, prog, "pathway", false, NULL, NULL, NULL,
	            ARGS("--db", "t.db", "extract"));
	EXPECT_EXIT(t, 0);
	EXPECT(t, strcmp(t->out, "0 skills found\n") == 0);
}

static void refusals(void **state)
{
	sandbox *t = *state;
	setup_db(t);
	RUN(t, "--db", "t.db", "extract", "nope.txt");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "pathway: cannot open 'nope.txt': No such "
	                         "file or directory"));
	sb_write(t, "bad.txt", "Java is fine\nbut \xff is not\n");
	RUN(t, "--db", "t.db", "extract", "bad.txt");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "bad.txt"));
	EXPECT(t, sb_has(t->err, "byte offset 17"));
	RUN(t, "--db", "t.db", "--json", "extract", "bad.txt");
	EXPECT_ERROR(t, 2);
	RUN(t, "--db", "t.db", "extract", "a.txt", "b.txt");
	EXPECT_ERROR(t, 2);
	RUN(t, "--db", "t.db", "extract", "--top", "3", "post.txt");
	EXPECT_ERROR(t, 2);
	RUN(t, "--db", "t.db", "extract", ".");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "cannot read '.'"));
	RUN(t, "--db", "missing.db", "extract", "post.txt");
	EXPECT_ERROR(t, 1);
	EXPECT(t, !sb_exists(t, "missing.db"));
}

static void help_text(void **state)
{
	sandbox *t = *state;
	RUN(t, "help", "extract");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "extract [FILE]"));
	EXPECT(t, sb_has(t->out, "byte offsets"));
	EXPECT(t, sb_has(t->out, "--json"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)
	const struct CMUnitTest tests[] = {
	    T(table_from_file), T(json_document), T(standard_input),
	    T(refusals),        T(help_text),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
