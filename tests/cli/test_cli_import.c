/* test_cli_import.c - `pathway import onet DIR` and `pathway import bls DIR`
 * end to end: the summary, alternate titles found by `list --q`, related
 * occupations through `show` and back through `load`, a re-import that
 * changes nothing, BLS notes on standard error, broken files refused with
 * file and place and the database left as it was (exit 2), missing
 * folders (exit 1), usage errors, and progress shown on a terminal only. */
#include "fixture.h"
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const onet_files[] = {"Content Model Reference.txt",
                                         "Occupation Data.txt",
                                         "Skills.txt",
                                         "Knowledge.txt",
                                         "Technology Skills.txt",
                                         "Job Zones.txt",
                                         "Alternate Titles.txt",
                                         "Related Occupations.txt",
                                         NULL};

static const char *data(const char *rel, char *buf, size_t size)
{
	const char *src = getenv("PATHWAY_SRC");
	snprintf(buf, size, "%s/tests/data/%s", src && *src ? src : ".", rel);
	return buf;
}

/* Copies tests/data/FROM into the work directory as TO. */
static void copy_in(sandbox *t, const char *from, const char *to)
{
	char src[4096];
	char *text = fx_read_file(data(from, src, sizeof src), NULL);
	if (!text)
		fail_msg("cannot read '%s'", src);
	sb_write(t, to, text);
	free(text);
}

/* work/NAME holding the good O*NET files, file replaced by broken (a file
 * of tests/data/onet/broken) when given. */
static void onet_folder(sandbox *t, const char *name, const char *file,
                        const char *broken)
{
	char path[4096], from[512], to[512];
	assert_int_equal(mkdir(sb_path(t, name, path, sizeof path), 0700), 0);
	for (size_t i = 0; onet_files[i]; i++) {
		if (file && strcmp(file, onet_files[i]) == 0)
			snprintf(from, sizeof from, "onet/broken/%s", broken);
		else
			snprintf(from, sizeof from, "onet/good/%s",
			         onet_files[i]);
		snprintf(to, sizeof to, "%s/%s", name, onet_files[i]);
		copy_in(t, from, to);
	}
}

static char *take_out(sandbox *t)
{
	char *s = t->out;
	t->out = NULL;
	return s ? s : strdup("");
}

static void onet_imports(void **state)
{
	sandbox *t = *state;
	char dir[4096], line[4400];
	data("onet/good", dir, sizeof dir);
	RUN(t, "--db", "t.db", "import", "onet", dir);
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "imported onet into 't.db': skills 22 new, 0 "
	                         "updated; occupations 3 new, 0 updated\n"));
	/* not a terminal: no progress */
	EXPECT(t, t->err[0] == '\0');

	RUN(t, "--db", "t.db", "list", "occupations", "--q", "otr driver");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "53-3032.00"));
	EXPECT(t, !sb_has(t->out, "31-1131.00"));

	/* show prints related occupations, and load takes the record back */
	RUN(t, "--db", "t.db", "show", "occupation", "31-1131.00", "--json");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "\"related\": [\n    \"31-1122.00\",\n    "
	                         "\"29-2061.00\"\n  ]"));
	char *shown = take_out(t);
	size_t n = strlen(shown) + 32;
	char *doc = malloc(n);
	assert_non_null(doc);
	snprintf(doc, n, "{\"occupations\": [%s]}\n", shown);
	sb_write(t, "back.json", doc);
	free(doc);
	RUN(t, "--db", "t.db", "load", "back.json");
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "t.db", "show", "occupation", "31-1131.00", "--json");
	EXPECT(t, strcmp(t->out, shown) == 0);
	free(shown);

	/* a second import finds nothing to change */
	RUN(t, "--db", "t.db", "import", "onet", dir);
	EXPECT_EXIT(t, 0);
	snprintf(line, sizeof line, "imported onet into 't.db': nothing\n");
	EXPECT(t, sb_has(t->out, line));

	RUN(t, "--db", "t.db", "--json", "import", "onet", dir);
	EXPECT_EXIT(t, 0);
	json_t *sum = PARSE_OUT(t);
	EXPECT(t, json_integer_value(json_object_get(
	              json_object_get(sum, "updated"), "occupations")) == 0);
	EXPECT(t, json_array_size(json_object_get(sum, "not_mapped")) == 0);
	json_decref(sum);
}

static void onet_refusals(void **state)
{
	sandbox *t = *state;
	char good[4096], path[4096], want[8400];
	RUN(t, "--db", "t.db", "import", "onet",
	    data("onet/good", good, sizeof good));
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "t.db", "show", "occupation", "31-1131.00", "--json");
	char *before = take_out(t);

	/* a bad number: file and place, then the summary line; nothing
	 * written (the rename of the title would show) */
	onet_folder(t, "bad", "Skills.txt", "Skills.bad-number.txt");
	RUN(t, "--db", "t.db", "import", "onet", "bad");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "pathway: bad/Skills.txt: line 6, column "
	                         "'Data Value': '4,12' is not a number\n"));
	EXPECT(t, sb_has(t->err, "pathway: 1 problem in the O*NET files in "
	                         "'bad'; nothing was imported\n"));
	EXPECT(t, sb_count_lines(t->err) == 2);
	RUN(t, "--db", "t.db", "show", "occupation", "31-1131.00", "--json");
	EXPECT(t, strcmp(t->out, before) == 0);
	free(before);

	/* an unknown occupation and a truncated line in one call */
	onet_folder(t, "bad2", "Skills.txt", "Skills.unknown-occupation.txt");
	copy_in(t, "onet/broken/Knowledge.truncated.txt", "bad2/Knowledge.txt");
	RUN(t, "--db", "t.db", "import", "onet", "bad2");
	EXPECT_ERROR(t, 2);
	EXPECT(t,
	       sb_has(t->err, "pathway: bad2/Skills.txt: line 4, column "
	                      "'O*NET-SOC Code': unknown occupation "
	                      "'31-1132.00' (not in Occupation Data.txt)\n"));
	EXPECT(t, sb_has(t->err, "pathway: bad2/Knowledge.txt: line 5: "
	                         "expected 13 fields, found 6\n"));

	/* a file missing from the folder */
	onet_folder(t, "partial", NULL, NULL);
	sb_path(t, "partial/Job Zones.txt", path, sizeof path);
	assert_int_equal(remove(path), 0);
	RUN(t, "--db", "t.db", "import", "onet", "partial");
	EXPECT_ERROR(t, 2);
	snprintf(want, sizeof want,
	         "pathway: partial: Job Zones.txt: missing: import onet reads "
	         "this file\n");
	EXPECT(t, sb_has(t->err, want));

	RUN(t, "--db", "t.db", "import", "onet", "no-such-dir");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "pathway: cannot open 'no-such-dir': No such "
	                         "file or directory\n"));
	RUN(t, "--db", "t.db", "import", "onet");
	EXPECT_ERROR(t, 2);
	RUN(t, "--db", "t.db", "import", "onet", good, good);
	EXPECT_ERROR(t, 2);
}

static void bls_imports(void **state)
{
	sandbox *t = *state;
	char onet[4096], bls[4096];
	RUN(t, "--db", "t.db", "import", "onet",
	    data("onet/good", onet, sizeof onet));
	EXPECT_EXIT(t, 0);
	data("bls/good", bls, sizeof bls);
	RUN(t, "--db", "t.db", "import", "bls", bls);
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "occupations 0 new, 2 updated"));
	/* rows naming no stored occupation are listed as notes */
	EXPECT(t, sb_all_lines_prefixed(t->err));
	EXPECT(t, sb_has(t->err, "/Table_1_2.tsv: line 5: no stored occupation "
	                         "for SOC '31-1120'"));
	EXPECT(t, sb_has(t->out, "items not mapped (listed above)"));
	RUN(t, "--db", "t.db", "show", "occupation", "31-1131.00", "--json");
	EXPECT(t, sb_has(t->out, "\"openings\": 204100"));
	EXPECT(t, sb_has(t->out, "\"growth_pct\": 2.3"));
	EXPECT(t, sb_has(t->out, "\"education\": \"Postsecondary nondegree "
	                         "award\""));
	RUN(t, "--db", "t.db", "import", "bls", bls);
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "imported bls into 't.db': nothing\n"));
}

static void bls_refusals(void **state)
{
	sandbox *t = *state;
	char onet[4096];
	RUN(t, "--db", "t.db", "import", "onet",
	    data("onet/good", onet, sizeof onet));
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "t.db", "show", "occupation", "53-3032.00", "--json");
	char *before = take_out(t);
	char path[4096];
	assert_int_equal(mkdir(sb_path(t, "bls", path, sizeof path), 0700), 0);
	copy_in(t, "bls/broken/Table_1_2.bad-number.tsv", "bls/Table_1_2.tsv");
	copy_in(t, "bls/good/oews_national_M2024.tsv",
	        "bls/oews_national_M2024.tsv");
	RUN(t, "--db", "t.db", "import", "bls", "bls");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "pathway: bls/Table_1_2.tsv: line 6, column "
	                         "'Occupational openings, 2024\xE2\x80\x93"
	                         "34 annual average': '2O4.1' is not a "
	                         "number of openings (thousands)\n"));
	RUN(t, "--db", "t.db", "show", "occupation", "53-3032.00", "--json");
	EXPECT(t, strcmp(t->out, before) == 0);
	free(before);

	assert_int_equal(mkdir(sb_path(t, "empty", path, sizeof path), 0700),
	                 0);
	RUN(t, "--db", "t.db", "import", "bls", "empty");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "no BLS file in 'empty'"));
	RUN(t, "--db", "t.db", "import", "bls", "no-such-dir");
	EXPECT_ERROR(t, 1);
}

/* On a terminal (util-linux script gives the command one) the import shows
 * what it reads. */
static void progress_on_a_terminal(void **state)
{
	sandbox *t = *state;
	char onet[4096], cmd[8400], bin[4096];
	const char *b = getenv("PATHWAY_BIN");
	snprintf(bin, sizeof bin, "%s", b && *b ? b : "build/pathway");
	if (bin[0] != '/') {
		char cwd[2048];
		if (!getcwd(cwd, sizeof cwd))
			fail_msg("getcwd failed");
		snprintf(bin, sizeof bin, "%s/%s", cwd,
		         b && *b ? b : "build/pathway");
	}
	snprintf(cmd, sizeof cmd, "'%s' --db t.db import onet '%s'", bin,
	         data("onet/good", onet, sizeof onet));
	sb_run_prog(t, "script", "script", true, NULL, NULL, NULL,
	            ARGS("-qec", cmd, "/dev/null"));
	if (t->code == 127) {
		print_message("SKIPPED: util-linux script is not installed\n");
		skip();
	}
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "\r\033[Kimport: Skills.txt"));
	EXPECT(t, sb_has(t->out, "\r\033[Kimport: writing"));
	EXPECT(t, sb_has(t->out, "imported onet into 't.db'"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(onet_imports), T(onet_refusals),          T(bls_imports),
	    T(bls_refusals), T(progress_on_a_terminal),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
