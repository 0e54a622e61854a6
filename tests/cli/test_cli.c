/* test_cli.c - end-to-end tests of the `pathway` command (SPEC §6, §8): runs
 * the built binary ($PATHWAY_BIN, else build/pathway) with fork + execve in
 * a private temporary directory and checks its exit status, standard output
 * and standard error: help and version, database selection and creation,
 * usage errors (2), missing entities (3), missing databases (1), rejected
 * loads that leave the store unchanged, the JSON documents' exact keys and
 * number forms, privacy of candidates, --as-of, the show/load round trip,
 * list --q, and write errors on a full standard output. */
#include "sandbox.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text helpers -------------------------------------------------------- */

/* Does text hold a whole line starting with prefix (that has more after
 * it)? */
static bool has_line_prefix(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > n && strncmp(p, prefix, n) == 0)
			return true;
		p = nl ? nl + 1 : p + len;
	}
	return false;
}

/* ---- JSON helpers ------------------------------------------------------------ */

static bool array_has_string(const json_t *a, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

/* The result of a JSON array of objects whose key equals value. */
static json_t *find_by(json_t *arr, const char *key, const char *value)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		json_t *k = json_object_get(v, key);
		if (json_is_string(k) && strcmp(json_string_value(k), value) == 0)
			return v;
	}
	return NULL;
}

/* ---- datasets ------------------------------------------------------------------ */

/* Ann holds welding and an OSHA card earned 2025-01-15 that lapses after 12
 * months (so on 2026-01-15); Bob welds only; Cat is not discoverable. Ann
 * shares her contact, Bob does not. j.fab's three equal requirements make a
 * score of 33.3 once the OSHA card lapses. */
static const char DATA[] =
    "{\n"
    " \"skills\": [\n"
    "  {\"id\": \"sk.weld\", \"name\": \"Welding\",\n"
    "   \"aliases\": [\"MIG Soldering\", \"Soldadura\"]},\n"
    "  {\"id\": \"sk.safety\", \"name\": \"Workplace Safety\"},\n"
    "  {\"id\": \"sk.blue\", \"name\": \"Blueprint Reading\"}\n"
    " ],\n"
    " \"credentials\": [\n"
    "  {\"id\": \"cr.weld\", \"name\": \"Welding Basics\",\n"
    "   \"skills\": [{\"skill\": \"sk.weld\", \"level\": 2}], \"hours\": 40,"
    " \"cost\": 500},\n"
    "  {\"id\": \"cr.osha\", \"name\": \"OSHA 10\",\n"
    "   \"skills\": [{\"skill\": \"sk.safety\", \"level\": 2}], \"hours\": 10,"
    " \"cost\": 90,\n"
    "   \"expires_months\": 12},\n"
    "  {\"id\": \"cr.blue\", \"name\": \"Blueprint Basics\",\n"
    "   \"skills\": [{\"skill\": \"sk.blue\", \"level\": 2}], \"hours\": 20,"
    " \"cost\": 200}\n"
    " ],\n"
    " \"jobs\": [\n"
    "  {\"id\": \"j.welder\", \"title\": \"Welder\", \"employer\": \"Acme Fab\",\n"
    "   \"location\": {\"lat\": 37.0, \"lon\": -84.0, \"county\": \"21071\","
    " \"state\": \"KY\"},\n"
    "   \"wage\": {\"min\": 20, \"max\": 25, \"unit\": \"hour\"},\n"
    "   \"requirements\": [{\"skill\": \"sk.weld\", \"level\": 2},\n"
    "                    {\"skill\": \"sk.safety\", \"level\": 1}],\n"
    "   \"credentials_required\": [\"cr.osha\"]},\n"
    "  {\"id\": \"j.fab\", \"title\": \"Fabricator\",\n"
    "   \"location\": {\"lat\": 37.01, \"lon\": -84.01},\n"
    "   \"requirements\": [{\"skill\": \"sk.weld\", \"level\": 2},\n"
    "                    {\"skill\": \"sk.blue\", \"level\": 2},\n"
    "                    {\"skill\": \"sk.safety\", \"level\": 4}]}\n"
    " ],\n"
    " \"learners\": [\n"
    "  {\"id\": \"l.ann\", \"name\": \"Ann Able\", \"contact\":"
    " \"ann@example.org\",\n"
    "   \"discoverable\": true, \"share_contact\": true,\n"
    "   \"home\": {\"lat\": 37.02, \"lon\": -84.02},\n"
    "   \"credentials\": [{\"credential\": \"cr.weld\", \"earned\":"
    " \"2024-01-01\"},\n"
    "                   {\"credential\": \"cr.osha\", \"earned\":"
    " \"2025-01-15\"}]},\n"
    "  {\"id\": \"l.bob\", \"name\": \"Bob Secret\", \"contact\":"
    " \"bob@secret.example\",\n"
    "   \"discoverable\": true,\n"
    "   \"home\": {\"lat\": 37.03, \"lon\": -84.03},\n"
    "   \"credentials\": [{\"credential\": \"cr.weld\", \"earned\":"
    " \"2024-01-01\"}]},\n"
    "  {\"id\": \"l.cat\", \"name\": \"Cat Hidden\", \"contact\":"
    " \"cat@hidden.example\",\n"
    "   \"share_contact\": true,\n"
    "   \"home\": {\"lat\": 37.0, \"lon\": -84.0},\n"
    "   \"credentials\": [{\"credential\": \"cr.weld\", \"earned\":"
    " \"2024-01-01\"}]}\n"
    " ]\n"
    "}\n";

/* Every optional field of every kind, for the round trip. */
static const char RICH[] =
    "{\n"
    " \"skills\": [\n"
    "  {\"id\": \"sk.metal\", \"name\": \"Metalworking\", \"aliases\": [\"Metal"
    " Work\"],\n"
    "   \"codes\": {\"onet\": \"2.C.3.x\"}},\n"
    "  {\"id\": \"sk.tig\", \"name\": \"TIG Welding\", \"pattern\":"
    " \"\\\\bTIG\\\\b\",\n"
    "   \"broader\": [\"sk.metal\"], \"related\": [{\"skill\": \"sk.weld\","
    " \"weight\": 0.5}],\n"
    "   \"codes\": {\"esco\": \"http://data.europa.eu/esco/skill/abc\"}}\n"
    " ],\n"
    " \"credentials\": [\n"
    "  {\"id\": \"cr.tig\", \"name\": \"TIG Cert\", \"provider\": \"Hazard CTC\",\n"
    "   \"url\": \"https://example.org/tig\", \"description\": \"TIG "
    "welding\",\n"
    "   \"type\": \"certificate\", \"skills\": [{\"skill\": \"sk.tig\","
    " \"level\": 3}],\n"
    "   \"hours\": 60.5, \"cost\": 1250.25, \"aliases\": [\"urn:ctid:1234\"],\n"
    "   \"occupations\": [\"51-4121.06\"], \"prerequisites\": [\"cr.weld\"],\n"
    "   \"modality\": \"in-person\",\n"
    "   \"location\": {\"lat\": 37.25, \"lon\": -83.19, \"city\": \"Hazard\","
    " \"state\": \"KY\",\n"
    "                \"county\": \"21193\"},\n"
    "   \"college_credits\": 3},\n"
    "  {\"id\": \"cr.stack\", \"name\": \"Welding Stack\", \"listed\": false,\n"
    "   \"components\": [\"cr.weld\", \"cr.tig\"], \"expires_months\": 36,"
    " \"modality\": \"hybrid\"}\n"
    " ],\n"
    " \"occupations\": [\n"
    "  {\"id\": \"51-4121.06\", \"title\": \"Welders, Cutters, and Welder"
    " Fitters\",\n"
    "   \"description\": \"Weld metal.\", \"aliases\": [\"Welder Fitter\"],"
    " \"job_zone\": 2,\n"
    "   \"education\": \"High school\",\n"
    "   \"requirements\": [{\"any_of\": [{\"skill\": \"sk.tig\", \"level\": 2},\n"
    "                                  {\"skill\": \"sk.weld\", \"level\": 3}],\n"
    "                     \"importance\": 5},\n"
    "                    {\"skill\": \"sk.safety\", \"level\": 1, "
    "\"importance\": 2,\n"
    "                     \"required\": false}],\n"
    "   \"wage\": {\"min\": 47540, \"unit\": \"year\"}, \"openings\": 45000,"
    " \"growth_pct\": 2.5}\n"
    " ],\n"
    " \"jobs\": [\n"
    "  {\"id\": \"j.remote\", \"title\": \"Remote Weld Inspector\", "
    "\"employer\": \"Inspecto\",\n"
    "   \"owner\": \"inspecto-hr\", \"description\": \"Inspect.\", \"url\":"
    " \"https://example.org/j\",\n"
    "   \"soc\": \"51-4121.06\", \"remote\": true, \"wage\": {\"max\": 60000,"
    " \"unit\": \"year\"},\n"
    "   \"openings\": 3,\n"
    "   \"requirements\": [{\"skill\": \"sk.tig\", \"level\": 2, "
    "\"importance\": 5},\n"
    "                    {\"any_of\": [{\"skill\": \"sk.blue\", \"level\": 1},\n"
    "                                {\"skill\": \"sk.metal\", \"level\": 1}],\n"
    "                     \"required\": false}],\n"
    "   \"credentials_required\": [{\"any_of\": [\"cr.tig\", \"cr.stack\"]},"
    " \"cr.osha\"],\n"
    "   \"posted\": \"2025-01-01\", \"expires\": \"2027-12-31\"}\n"
    " ],\n"
    " \"learners\": [\n"
    "  {\"id\": \"l.dee\", \"name\": \"Dee Rich\", \"contact\": "
    "\"dee@example.org\",\n"
    "   \"home\": {\"county\": \"21071\", \"state\": \"KY\", \"city\": "
    "\"Prestonsburg\"},\n"
    "   \"max_commute_miles\": 45.5, \"hours_per_week\": 7.5, "
    "\"discoverable\": true,\n"
    "   \"share_contact\": false,\n"
    "   \"credentials\": [{\"credential\": \"cr.tig\", \"earned\": "
    "\"2024-03-01\",\n"
    "                    \"expires\": \"2027-03-01\",\n"
    "                    \"source\": {\"format\": \"openbadges\", \"id\": "
    "\"urn:uuid:1\",\n"
    "                               \"verified\": true}}],\n"
    "   \"demographics\": {\"gender\": \"female\", \"race_ethnicity\": "
    "\"white\",\n"
    "                    \"age_band\": \"25-34\"}}\n"
    " ]\n"
    "}\n";

/* Three different errors: an unknown key, a level out of range, and a
 * dangling reference. */
static const char BAD3[] =
    "{\"skills\": [{\"id\": \"sk.new\", \"name\": \"New\", \"frob\": 1}],\n"
    " \"jobs\": [{\"id\": \"j.bad\", \"title\": \"Bad\",\n"
    "            \"requirements\": [{\"skill\": \"sk.weld\", \"level\": 7}]}],\n"
    " \"learners\": [{\"id\": \"l.zed\", \"credentials\":\n"
    "                [{\"credential\": \"cr.nosuch\", \"earned\": "
    "\"2024-01-01\"}]}]}\n";

/* Writes DATA as data.json and loads it into db. */
static void load_data(sandbox *t, const char *db)
{
	sb_write(t, "data.json", DATA);
	RUN(t, "--db", db, "load", "data.json");
	EXPECT_EXIT(t, 0);
}

/* ---- help and version ------------------------------------------------------------ */

static void test_version(void **state)
{
	sandbox *t = *state;
	RUN(t, "--version");
	EXPECT_EXIT(t, 0);
	EXPECT(t, strcmp(t->out, "pathway " PW_VERSION "\n") == 0);
	unsigned a, b, c;
	char end = 0;
	EXPECT(t, sscanf(t->out, "pathway %u.%u.%u%c", &a, &b, &c, &end) == 4 &&
	              end == '\n');
	EXPECT(t, t->err[0] == '\0');
}

static void test_help_lists_commands(void **state)
{
	sandbox *t = *state;
	static const char *const names[] = {"init",  "load",    "list",
	                                    "show",  "match",   "explain",
	                                    "candidates", "help", NULL};
	RUN(t, "help");
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->err[0] == '\0');
	EXPECT(t, sb_has(t->out, "usage: pathway"));
	for (size_t i = 0; names[i]; i++) {
		char line[64];
		snprintf(line, sizeof line, "\n  %s ", names[i]);
		if (!sb_has(t->out, line)) {
			print_error("'help' does not list '%s'\n", names[i]);
			sb_report_run(t);
			fail();
		}
	}
	/* --help is the same text */
	char *first = t->out;
	t->out = NULL;
	RUN(t, "--help");
	EXPECT_EXIT(t, 0);
	bool same = strcmp(first, t->out) == 0;
	free(first);
	EXPECT(t, same);
}

static void test_help_command(void **state)
{
	sandbox *t = *state;
	RUN(t, "help", "match");
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->err[0] == '\0');
	EXPECT(t, strncmp(t->out, "usage: pathway match LEARNER", 28) == 0);
	EXPECT(t, sb_has(t->out, "--top N"));
	EXPECT(t, sb_has(t->out, "--anywhere"));

	RUN(t, "help", "candidates");
	EXPECT_EXIT(t, 0);
	EXPECT(t, strncmp(t->out, "usage: pathway candidates JOB", 29) == 0);

	RUN(t, "help", "nosuch");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "nosuch"));

	RUN(t, "help", "match", "extra");
	EXPECT_ERROR(t, 2);
}

static void test_no_arguments(void **state)
{
	sandbox *t = *state;
	sb_run(t, NULL, NULL, (const char *const[]){NULL});
	EXPECT_EXIT(t, 2);
	EXPECT(t, t->out[0] == '\0');
	EXPECT(t, strncmp(t->err, "usage: pathway", 14) == 0);
	EXPECT(t, sb_has(t->err, "match"));
	EXPECT(t, !sb_exists(t, "pathway.db"));
}

static void test_unknown_command(void **state)
{
	sandbox *t = *state;
	RUN(t, "frobnicate");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_count_lines(t->err) == 1);
	EXPECT(t, sb_has(t->err, "'frobnicate'"));
	EXPECT(t, !sb_exists(t, "pathway.db"));
}

/* ---- the database ------------------------------------------------------------------ */

static void expect_no_database(sandbox *t, const char *path)
{
	char want[SB_PATH_CAP + 64];
	snprintf(want, sizeof want, "pathway: no database at '%s'\n", path);
	EXPECT_EXIT(t, 1);
	EXPECT(t, t->out[0] == '\0');
	if (strcmp(t->err, want) != 0) {
		print_error("stderr should be exactly: %s", want);
		sb_report_run(t);
		fail();
	}
}

static void test_missing_database(void **state)
{
	sandbox *t = *state;
	static const char *const cmds[][4] = {
	    {"match", "x", NULL},          {"list", "skills", NULL},
	    {"show", "skill", "x"},        {"explain", "l.ann", "j.welder"},
	    {"candidates", "j.welder", NULL}, {"list", "skills", "--json"},
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		const char *args[8] = {"--db", "nope.db"};
		size_t n = 2;
		for (size_t k = 0; k < 3 && cmds[i][k]; k++)
			args[n++] = cmds[i][k];
		args[n] = NULL;
		sb_run(t, NULL, NULL, args);
		expect_no_database(t, "nope.db");
		EXPECT(t, !sb_exists(t, "nope.db"));
	}
	/* the default ./pathway.db, $PATHWAY_DB, a missing directory */
	RUN(t, "match", "x");
	expect_no_database(t, "pathway.db");
	EXPECT(t, !sb_exists(t, "pathway.db"));
	RUN_ENV(t, ENV("PATHWAY_DB=env.db"), "list", "skills");
	expect_no_database(t, "env.db");
	EXPECT(t, !sb_exists(t, "env.db"));
	RUN(t, "--db", "sub/dir/x.db", "show", "skill", "x");
	expect_no_database(t, "sub/dir/x.db");
	EXPECT(t, !sb_exists(t, "sub"));
}

static void test_init_creates(void **state)
{
	sandbox *t = *state;
	RUN(t, "--db", "x.db", "init");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_exists(t, "x.db"));
	EXPECT(t, t->err[0] == '\0');
	/* an empty store answers */
	RUN(t, "--db", "x.db", "--json", "list", "skills");
	EXPECT_EXIT(t, 0);
	json_t *j = PARSE_OUT(t);
	EXPECT_KEYS(j, "list", "skills", "total");
	EXPECT(t, json_array_size(json_object_get(j, "skills")) == 0);
	EXPECT(t, json_integer_value(json_object_get(j, "total")) == 0);
	json_decref(j);
	/* init again only migrates */
	RUN(t, "--db", "x.db", "init");
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "x.db", "init", "extra");
	EXPECT_ERROR(t, 2);
}

static void test_load_creates(void **state)
{
	sandbox *t = *state;
	load_data(t, "fresh.db");
	EXPECT(t, sb_exists(t, "fresh.db"));
	EXPECT(t, sb_has(t->out, "fresh.db"));
	RUN(t, "--db", "fresh.db", "--json", "list", "learners");
	EXPECT_EXIT(t, 0);
	json_t *j = PARSE_OUT(t);
	EXPECT(t, json_integer_value(json_object_get(j, "total")) == 3);
	json_decref(j);
	/* --json of load is a document too */
	RUN(t, "--db", "fresh2.db", "--json", "load", "data.json");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	json_t *loaded = json_object_get(j, "loaded");
	EXPECT(t, json_integer_value(json_object_get(loaded, "skills")) == 3);
	EXPECT(t, json_integer_value(json_object_get(loaded, "learners")) == 3);
	json_decref(j);
	/* load needs a file */
	RUN(t, "--db", "fresh.db", "load");
	EXPECT_ERROR(t, 2);
}

/* The number of skills `list skills --json` reports, run with env. */
static long long skill_total(sandbox *t, const char *const *env,
                             const char *const *args)
{
	sb_run(t, env, NULL, args);
	EXPECT_EXIT(t, 0);
	json_t *j = PARSE_OUT(t);
	long long n = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	return n;
}

static void test_database_selection(void **state)
{
	sandbox *t = *state;
	/* --db FILE and --db=FILE */
	RUN(t, "--db", "a.db", "init");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_exists(t, "a.db"));
	RUN(t, "--db=b.db", "init");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_exists(t, "b.db"));
	EXPECT(t, !sb_exists(t, "pathway.db"));
	/* $PATHWAY_DB */
	RUN_ENV(t, ENV("PATHWAY_DB=env.db"), "init");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_exists(t, "env.db"));
	EXPECT(t, !sb_exists(t, "pathway.db"));
	/* --db beats $PATHWAY_DB, before or after the command */
	RUN_ENV(t, ENV("PATHWAY_DB=env2.db"), "--db", "cli.db", "init");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_exists(t, "cli.db"));
	EXPECT(t, !sb_exists(t, "env2.db"));
	RUN_ENV(t, ENV("PATHWAY_DB=env2.db"), "init", "--db=cli2.db");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_exists(t, "cli2.db"));
	EXPECT(t, !sb_exists(t, "env2.db"));
	/* the default: ./pathway.db in the working directory */
	RUN(t, "init");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_exists(t, "pathway.db"));
	EXPECT(t, sb_has(t->out, "pathway.db"));

	/* reads go to the same choice: only env.db holds the data */
	sb_write(t, "data.json", DATA);
	RUN_ENV(t, ENV("PATHWAY_DB=env.db"), "load", "data.json");
	EXPECT_EXIT(t, 0);
	EXPECT(t, skill_total(t, ENV("PATHWAY_DB=env.db"),
	                      ARGS("--json", "list", "skills")) == 3);
	EXPECT(t, skill_total(t, ENV("PATHWAY_DB=env.db"),
	                      ARGS("list", "skills", "--json", "--db",
	                           "a.db")) == 0);
	EXPECT(t, skill_total(t, NULL, ARGS("list", "skills", "--json")) == 0);
	EXPECT(t, skill_total(t, NULL, ARGS("--db=env.db", "list", "skills",
	                                    "--json")) == 3);
	/* an empty $PATHWAY_DB means the default */
	EXPECT(t, skill_total(t, ENV("PATHWAY_DB="),
	                      ARGS("--json", "list", "skills")) == 0);
	/* --db needs a value */
	RUN(t, "list", "skills", "--db");
	EXPECT_ERROR(t, 2);
	RUN(t, "--db=", "list", "skills");
	EXPECT_ERROR(t, 2);
}

static void test_global_options_after_command(void **state)
{
	sandbox *t = *state;
	load_data(t, "a.db");
	RUN(t, "match", "l.ann", "--db", "a.db", "--json", "--as-of", "2026-01-01");
	EXPECT_EXIT(t, 0);
	json_t *j = PARSE_OUT(t);
	EXPECT(t, strcmp(json_string_value(json_object_get(j, "as_of")),
	                 "2026-01-01") == 0);
	EXPECT(t, strcmp(json_string_value(json_object_get(j, "learner")),
	                 "l.ann") == 0);
	json_decref(j);
	/* mixed with the command's own options, and the = forms */
	RUN(t, "match", "--as-of=2025-06-01", "l.ann", "--top", "1",
	    "--db=a.db", "--json");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	EXPECT(t, strcmp(json_string_value(json_object_get(j, "as_of")),
	                 "2025-06-01") == 0);
	EXPECT(t, json_array_size(json_object_get(j, "results")) == 1);
	json_decref(j);
	RUN(t, "--json", "candidates", "j.welder", "--as-of", "2025-06-01",
	    "--db", "a.db");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	EXPECT(t, strcmp(json_string_value(json_object_get(j, "job")),
	                 "j.welder") == 0);
	json_decref(j);
}

/* ---- load errors ---------------------------------------------------------------- */

/* Everything stored, as the CLI shows it: every list and every entity. */
static char *cli_dump(sandbox *t, const char *db)
{
	static const char *const kinds[] = {"skills", "credentials", "occupations",
	                                    "jobs", "learners", NULL};
	fx_text b = {0};
	for (size_t k = 0; kinds[k]; k++) {
		RUN(t, "--db", db, "--json", "list", kinds[k]);
		EXPECT_EXIT(t, 0);
		fx_put(&b, "%s", t->out);
		json_t *j = PARSE_OUT(t);
		json_t *items = json_object_get(j, kinds[k]);
		size_t i;
		json_t *item;
		json_array_foreach(items, i, item)
		{
			const char *id = json_string_value(json_object_get(item, "id"));
			EXPECT(t, id != NULL);
			RUN(t, "--db", db, "--json", "show", kinds[k], id);
			EXPECT_EXIT(t, 0);
			fx_put(&b, "%s", t->out);
		}
		json_decref(j);
	}
	return b.text;
}

/* `sqlite3 db .dump`, or NULL when there is no sqlite3 program. */
static char *sql_dump(sandbox *t, const char *db)
{
	sb_run_prog(t, "sqlite3", "sqlite3", true, NULL, NULL, NULL,
	            ARGS(db, ".dump"));
	if (t->code == 127)
		return NULL;
	EXPECT_EXIT(t, 0);
	char *s = t->out;
	t->out = NULL;
	return s;
}

typedef struct snapshot {
	char *cli, *sql;
} snapshot;

static snapshot take_snapshot(sandbox *t, const char *db)
{
	snapshot s = {cli_dump(t, db), sql_dump(t, db)};
	return s;
}

static void snapshot_free(snapshot *s)
{
	free(s->cli);
	free(s->sql);
}

static void expect_same_snapshot(const snapshot *a, const snapshot *b)
{
	if (strcmp(a->cli, b->cli) != 0) {
		print_error("the store changed as seen by list/show:\n--- before "
		            "---\n");
		sb_print_long(a->cli);
		print_error("--- after ---\n");
		sb_print_long(b->cli);
		fail();
	}
	if (a->sql && b->sql && strcmp(a->sql, b->sql) != 0) {
		print_error("sqlite3 .dump changed:\n--- before ---\n");
		sb_print_long(a->sql);
		print_error("--- after ---\n");
		sb_print_long(b->sql);
		fail();
	}
}

static void test_load_errors(void **state)
{
	sandbox *t = *state;
	load_data(t, "a.db");
	snapshot before = take_snapshot(t, "a.db");
	EXPECT(t, before.sql != NULL);

	sb_write(t, "bad.json", BAD3);
	RUN(t, "--db", "a.db", "load", "bad.json");
	EXPECT_ERROR(t, 2);
	EXPECT(t, has_line_prefix(
	              t->err, "pathway: bad.json: jobs[0].requirements[0].level: "));
	EXPECT(t, has_line_prefix(t->err, "pathway: bad.json: skills[0].frob: "));
	EXPECT(t, has_line_prefix(
	              t->err,
	              "pathway: bad.json: learners[0].credentials[0].credential: "));
	EXPECT(t, sb_count_lines(t->err) >= 3);

	snapshot after = take_snapshot(t, "a.db");
	expect_same_snapshot(&before, &after);
	snapshot_free(&after);

	/* one good and one bad file in one call: nothing of either is written,
	 * and the errors name their own file */
	sb_write(t, "good.json",
	         "{\"skills\": [{\"id\": \"sk.extra\", \"name\": \"Extra\"}],\n"
	         " \"jobs\": [{\"id\": \"j.welder\", \"title\": \"Replaced\"}]}\n");
	sb_write(t, "bad2.json",
	         "{\"credentials\": [{\"id\": \"cr.x\", \"name\": \"X\", "
	         "\"hours\": -1}]}\n");
	RUN(t, "--db", "a.db", "load", "good.json", "bad2.json", "bad.json");
	EXPECT_ERROR(t, 2);
	EXPECT(t, has_line_prefix(t->err,
	                          "pathway: bad2.json: credentials[0].hours: "));
	EXPECT(t, has_line_prefix(
	              t->err, "pathway: bad.json: jobs[0].requirements[0].level: "));
	EXPECT(t, !sb_has(t->err, "pathway: good.json: "));
	after = take_snapshot(t, "a.db");
	expect_same_snapshot(&before, &after);
	snapshot_free(&after);

	/* not JSON at all */
	sb_write(t, "trunc.json", "{\"skills\": [\n");
	RUN(t, "--db", "a.db", "load", "trunc.json");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "pathway: trunc.json: "));
	/* a file that does not exist: an I/O failure */
	RUN(t, "--db", "a.db", "load", "data.json", "nosuch.json");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "nosuch.json"));

	after = take_snapshot(t, "a.db");
	expect_same_snapshot(&before, &after);
	snapshot_free(&after);
	snapshot_free(&before);
}

static void test_load_error_exact_line(void **state)
{
	sandbox *t = *state;
	load_data(t, "a.db");
	sb_write(t, "lvl.json",
	         "{\"jobs\": [{\"id\": \"j.x\", \"title\": \"X\",\n"
	         "  \"requirements\": [{\"skill\": \"sk.weld\", \"level\": 7}]}]}\n");
	RUN(t, "--db", "a.db", "load", "lvl.json");
	EXPECT_ERROR(t, 2);
	/* the per-error line comes first, then the summary */
	const char *prefix = "pathway: lvl.json: jobs[0].requirements[0].level: ";
	EXPECT(t, strncmp(t->err, prefix, strlen(prefix)) == 0);
	const char *reason = t->err + strlen(prefix);
	EXPECT(t, *reason != '\n' && *reason != '\0');
	EXPECT(t, sb_has(t->err, "7"));
	RUN(t, "--db", "a.db", "--json", "show", "job", "j.x");
	EXPECT_ERROR(t, 3);
}

/* ---- usage errors and missing entities -------------------------------------------- */

static void test_usage_errors(void **state)
{
	sandbox *t = *state;
	static const char *const cases[][6] = {
	    {"match", "l.ann", "--top", "0"},
	    {"match", "l.ann", "--top", "abc"},
	    {"match", "l.ann", "--top", "-3"},
	    {"match", "l.ann", "--top"},
	    {"candidates", "j.welder", "--top", "0"},
	    {"match", "l.ann", "--as-of", "2025-13-01"},
	    {"--as-of=2025-02-30", "match", "l.ann"},
	    {"match", "l.ann", "--as-of", "2025-6-1"},
	    {"match", "l.ann", "--as-of"},
	    {"match", "l.ann", "--frobnicate"},
	    {"list", "nosuchkind"},
	    {"list"},
	    {"list", "skills", "--q"},
	    {"match"},
	    {"show", "skill"},
	    {"show", "nosuchkind", "x"},
	    {"match", "l.ann", "extra"},
	    {"explain", "l.ann"},
	    {"explain", "l.ann", "j.welder", "extra"},
	    {"candidates"},
	    {"show", "skill", "sk.weld", "extra"},
	    {"list", "skills", "extra"},
	};
	load_data(t, "a.db");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[10] = {"--db", "a.db"};
		size_t n = 2;
		for (size_t k = 0; k < 6 && cases[i][k]; k++)
			args[n++] = cases[i][k];
		args[n] = NULL;
		sb_run(t, NULL, NULL, args);
		EXPECT_ERROR(t, 2);
		EXPECT(t, sb_count_lines(t->err) == 1);
	}
	RUN(t, "--db", "a.db", "match", "l.ann", "--frobnicate");
	EXPECT(t, sb_has(t->err, "--frobnicate"));
	RUN(t, "--db", "a.db", "match", "l.ann", "extra");
	EXPECT(t, sb_has(t->err, "extra"));
	RUN(t, "--db", "a.db", "list", "nosuchkind");
	EXPECT(t, sb_has(t->err, "nosuchkind"));
	RUN(t, "--db", "a.db", "match", "l.ann", "--top", "abc");
	EXPECT(t, sb_has(t->err, "abc"));
}

static void test_not_found(void **state)
{
	sandbox *t = *state;
	static const char *const cases[][5] = {
	    {"match", "l.nosuch", NULL, NULL},
	    {"--json", "match", "l.nosuch", NULL},
	    {"explain", "l.ann", "j.nosuch", NULL},
	    {"explain", "l.nosuch", "j.welder", NULL},
	    {"--json", "explain", "l.ann", "j.nosuch"},
	    {"candidates", "j.nosuch", NULL, NULL},
	    {"candidates", "j.nosuch", "--json", NULL},
	    {"show", "skill", "sk.nosuch", NULL},
	    {"show", "learner", "l.nosuch", NULL},
	    {"show", "jobs", "j.nosuch", "--json"},
	    {"show", "credential", "cr.nosuch", NULL},
	    {"show", "occupation", "99-9999.99", NULL},
	};
	load_data(t, "a.db");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[10] = {"--db", "a.db"};
		size_t n = 2;
		const char *id = NULL;
		for (size_t k = 0; k < 4 && cases[i][k]; k++) {
			args[n++] = cases[i][k];
			if (strstr(cases[i][k], "nosuch") || strstr(cases[i][k], "99-"))
				id = cases[i][k];
		}
		args[n] = NULL;
		sb_run(t, NULL, NULL, args);
		EXPECT_ERROR(t, 3);
		EXPECT(t, sb_count_lines(t->err) == 1);
		EXPECT(t, id != NULL && sb_has(t->err, id));
	}
}

/* ---- JSON documents ------------------------------------------------------------------ */

static void test_match_json(void **state)
{
	sandbox *t = *state;
	load_data(t, "a.db");
	RUN(t, "--db", "a.db", "--json", "--as-of", "2026-06-01", "match", "l.ann");
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->err[0] == '\0');
	EXPECT(t, sb_max_fraction_digits(t->out) <= 1);
	EXPECT(t, sb_has(t->out, "33.3"));
	json_t *j = PARSE_OUT(t);
	EXPECT_KEYS(j, "match", "learner", "as_of", "results");
	json_t *results = json_object_get(j, "results");
	EXPECT(t, json_array_size(results) == 2);
	size_t i;
	json_t *r;
	json_array_foreach(results, i, r)
	{
		EXPECT_KEYS(r, "match result", "job", "title", "employer", "score",
		            "qualified", "distance_miles", "annual_wage", "met",
		            "partial", "missing", "missing_credentials");
		EXPECT(t, sb_one_decimal(json_object_get(r, "score")));
		EXPECT(t, json_is_boolean(json_object_get(r, "qualified")));
		EXPECT(t, sb_is_string_array(json_object_get(r, "met")));
		EXPECT(t, sb_is_string_array(json_object_get(r, "missing")));
		EXPECT(t, sb_is_string_array(
		              json_object_get(r, "missing_credentials")));
		EXPECT(t, json_is_array(json_object_get(r, "partial")));
		size_t k;
		json_t *p;
		json_array_foreach(json_object_get(r, "partial"), k, p)
		{
			EXPECT_KEYS(p, "partial", "skill", "have", "need");
		}
	}
	json_t *fab = find_by(results, "job", "j.fab");
	EXPECT(t, fab != NULL);
	EXPECT(t, json_is_null(json_object_get(fab, "employer")));
	EXPECT(t, json_is_null(json_object_get(fab, "annual_wage")));
	EXPECT(t, json_number_value(json_object_get(fab, "score")) == 33.3);
	json_t *welder = find_by(results, "job", "j.welder");
	EXPECT(t, welder != NULL);
	EXPECT(t, json_number_value(json_object_get(welder, "annual_wage")) ==
	              41600);
	EXPECT(t, sb_one_decimal(json_object_get(welder, "distance_miles")));
	EXPECT(t, strcmp(json_string_value(json_object_get(welder, "employer")),
	                 "Acme Fab") == 0);
	json_decref(j);

	/* a partial requirement */
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "match", "l.ann");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_max_fraction_digits(t->out) <= 1);
	j = PARSE_OUT(t);
	fab = find_by(json_object_get(j, "results"), "job", "j.fab");
	json_t *partial = json_object_get(fab, "partial");
	EXPECT(t, json_array_size(partial) == 1);
	json_t *p0 = json_array_get(partial, 0);
	EXPECT_KEYS(p0, "partial", "skill", "have", "need");
	EXPECT(t, strcmp(json_string_value(json_object_get(p0, "skill")),
	                 "sk.safety") == 0);
	EXPECT(t, json_number_value(json_object_get(p0, "have")) == 2);
	EXPECT(t, json_integer_value(json_object_get(p0, "need")) == 4);
	json_decref(j);

	/* the text form shows the same score */
	RUN(t, "--db", "a.db", "--as-of", "2026-06-01", "match", "l.ann");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "33.3"));
	EXPECT(t, sb_has(t->out, "j.fab"));
	EXPECT(t, !sb_has(t->out, "33.29"));
}

static void test_explain_json(void **state)
{
	sandbox *t = *state;
	load_data(t, "a.db");
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "explain",
	    "l.ann", "j.welder");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_max_fraction_digits(t->out) <= 3);
	json_t *j = PARSE_OUT(t);
	EXPECT_KEYS(j, "explain", "learner", "job", "as_of", "score", "qualified",
	            "in_range", "distance_miles", "requirements",
	            "credentials_required");
	EXPECT(t, sb_one_decimal(json_object_get(j, "score")));
	EXPECT(t, json_is_true(json_object_get(j, "qualified")));
	EXPECT(t, json_is_true(json_object_get(j, "in_range")));
	size_t i;
	json_t *r;
	EXPECT(t, json_array_size(json_object_get(j, "requirements")) == 2);
	json_array_foreach(json_object_get(j, "requirements"), i, r)
	{
		EXPECT_KEYS(r, "explain requirement", "skill", "name", "required",
		            "importance", "need", "have", "via", "via_skill",
		            "via_credential", "coverage");
	}
	json_t *creds = json_object_get(j, "credentials_required");
	EXPECT(t, json_array_size(creds) == 1);
	EXPECT_KEYS(json_array_get(creds, 0), "explain credential", "credential",
	            "held");
	EXPECT(t, json_is_true(json_object_get(json_array_get(creds, 0), "held")));
	json_decref(j);

	/* a requirement met by nothing: via none, nulls; coverage 0.5 */
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "explain",
	    "l.ann", "j.fab");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_max_fraction_digits(t->out) <= 3);
	j = PARSE_OUT(t);
	json_t *reqs = json_object_get(j, "requirements");
	json_t *blue = find_by(reqs, "skill", "sk.blue");
	EXPECT(t, blue != NULL);
	EXPECT(t, strcmp(json_string_value(json_object_get(blue, "via")),
	                 "none") == 0);
	EXPECT(t, json_is_null(json_object_get(blue, "via_skill")));
	EXPECT(t, json_is_null(json_object_get(blue, "via_credential")));
	json_t *safety = find_by(reqs, "skill", "sk.safety");
	EXPECT(t, json_number_value(json_object_get(safety, "coverage")) == 0.5);
	EXPECT(t, strcmp(json_string_value(json_object_get(safety,
	                                                   "via_credential")),
	                 "cr.osha") == 0);
	json_decref(j);
}

static void expect_no_private(sandbox *t, const char *text)
{
	EXPECT(t, !sb_has(text, "Bob Secret"));
	EXPECT(t, !sb_has(text, "bob@secret.example"));
	EXPECT(t, !sb_has(text, "l.cat"));
	EXPECT(t, !sb_has(text, "Cat Hidden"));
	EXPECT(t, !sb_has(text, "cat@hidden.example"));
}

static void test_candidates_privacy(void **state)
{
	sandbox *t = *state;
	load_data(t, "a.db");
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "candidates",
	    "j.welder");
	EXPECT_EXIT(t, 0);
	expect_no_private(t, t->out);
	EXPECT(t, sb_max_fraction_digits(t->out) <= 1);
	json_t *j = PARSE_OUT(t);
	EXPECT_KEYS(j, "candidates", "job", "as_of", "results");
	json_t *results = json_object_get(j, "results");
	EXPECT(t, json_array_size(results) == 2); /* l.cat is not discoverable */
	EXPECT(t, find_by(results, "learner", "l.cat") == NULL);
	json_t *ann = find_by(results, "learner", "l.ann");
	json_t *bob = find_by(results, "learner", "l.bob");
	EXPECT(t, ann != NULL && bob != NULL);
	EXPECT_KEYS(ann, "candidate who shares", "learner", "score", "qualified",
	            "distance_miles", "met", "missing", "credentials", "name",
	            "contact");
	EXPECT_KEYS(bob, "candidate who does not share", "learner", "score",
	            "qualified", "distance_miles", "met", "missing",
	            "credentials");
	EXPECT(t, strcmp(json_string_value(json_object_get(ann, "name")),
	                 "Ann Able") == 0);
	EXPECT(t, strcmp(json_string_value(json_object_get(ann, "contact")),
	                 "ann@example.org") == 0);
	EXPECT(t, sb_one_decimal(json_object_get(bob, "score")));
	EXPECT(t, array_has_string(json_object_get(ann, "credentials"), "cr.osha"));
	EXPECT(t, json_is_true(json_object_get(ann, "qualified")));
	EXPECT(t, json_is_false(json_object_get(bob, "qualified")));
	/* qualified first */
	EXPECT(t, json_array_get(results, 0) == ann);
	json_decref(j);

	RUN(t, "--db", "a.db", "--as-of", "2025-06-01", "candidates", "j.welder");
	EXPECT_EXIT(t, 0);
	expect_no_private(t, t->out);
	EXPECT(t, sb_has(t->out, "l.bob"));
	EXPECT(t, sb_has(t->out, "Ann Able"));
	EXPECT(t, sb_has(t->out, "ann@example.org"));

	RUN(t, "--db", "a.db", "--json", "candidates", "j.welder", "--top", "1",
	    "--as-of", "2025-06-01");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	EXPECT(t, json_array_size(json_object_get(j, "results")) == 1);
	json_decref(j);
}

static void test_list_json(void **state)
{
	sandbox *t = *state;
	static const char *const kinds[][3] = {
	    {"skills", "skills", "name"},       {"skill", "skills", "name"},
	    {"credentials", "credentials", "name"}, {"jobs", "jobs", "title"},
	    {"learner", "learners", "name"},    {"occupations", "occupations", "title"},
	};
	load_data(t, "a.db");
	sb_write(t, "rich.json", RICH);
	RUN(t, "--db", "a.db", "load", "rich.json");
	EXPECT_EXIT(t, 0);
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		RUN(t, "--db", "a.db", "list", kinds[k][0], "--json");
		EXPECT_EXIT(t, 0);
		json_t *j = PARSE_OUT(t);
		EXPECT_KEYS(j, "list", kinds[k][1], "total");
		json_t *items = json_object_get(j, kinds[k][1]);
		EXPECT(t, json_is_array(items) && json_array_size(items) > 0);
		EXPECT(t, json_is_integer(json_object_get(j, "total")));
		EXPECT(t, (size_t)json_integer_value(json_object_get(j, "total")) ==
		              json_array_size(items));
		size_t i;
		json_t *it;
		const char *prev = "";
		json_array_foreach(items, i, it)
		{
			const char *id = json_string_value(json_object_get(it, "id"));
			EXPECT(t, id != NULL);
			EXPECT(t, json_object_get(it, kinds[k][2]) != NULL);
			EXPECT(t, strcmp(prev, id) < 0); /* sorted by id */
			prev = id;
		}
		json_decref(j);
	}
}

static void test_list_query(void **state)
{
	sandbox *t = *state;
	load_data(t, "a.db");
	static const char *const queries[] = {"SOLDAD", "mig sold", "wElDiNg",
	                                      "sk.WELD", NULL};
	for (size_t i = 0; queries[i]; i++) {
		RUN(t, "--db", "a.db", "--json", "list", "skills", "--q", queries[i]);
		EXPECT_EXIT(t, 0);
		json_t *j = PARSE_OUT(t);
		json_t *items = json_object_get(j, "skills");
		EXPECT(t, json_array_size(items) == 1);
		EXPECT(t, strcmp(json_string_value(json_object_get(
		                     json_array_get(items, 0), "id")),
		                 "sk.weld") == 0);
		EXPECT(t, json_integer_value(json_object_get(j, "total")) == 1);
		json_decref(j);
	}
	/* a substring of several names */
	RUN(t, "--db", "a.db", "--json", "list", "skills", "--q=IN");
	EXPECT_EXIT(t, 0);
	json_t *j = PARSE_OUT(t);
	EXPECT(t, json_integer_value(json_object_get(j, "total")) == 2);
	json_decref(j);
	/* nothing */
	RUN(t, "--db", "a.db", "--json", "list", "skills", "--q", "zzz");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	EXPECT(t, json_array_size(json_object_get(j, "skills")) == 0);
	EXPECT(t, json_integer_value(json_object_get(j, "total")) == 0);
	json_decref(j);
	/* the text form */
	RUN(t, "--db", "a.db", "list", "skills", "--q", "soldadura");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "sk.weld"));
	EXPECT(t, !sb_has(t->out, "sk.blue"));
	/* credentials and learners by name */
	RUN(t, "--db", "a.db", "--json", "list", "learners", "--q", "ann ABLE");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	EXPECT(t, json_integer_value(json_object_get(j, "total")) == 1);
	json_decref(j);
}

static void test_as_of_flips_qualified(void **state)
{
	sandbox *t = *state;
	static const struct {
		const char *date;
		bool qualified;
	} dates[] = {
	    {"2024-06-01", false}, /* OSHA not yet earned */
	    {"2025-06-01", true},  /* held */
	    {"2026-01-14", true},  /* last day */
	    {"2026-01-15", false}, /* expired on the date */
	    {"2026-06-01", false},
	};
	load_data(t, "a.db");
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		RUN(t, "--db", "a.db", "--json", "--as-of", dates[i].date, "match",
		    "l.ann");
		EXPECT_EXIT(t, 0);
		json_t *j = PARSE_OUT(t);
		EXPECT(t, strcmp(json_string_value(json_object_get(j, "as_of")),
		                 dates[i].date) == 0);
		json_t *w = find_by(json_object_get(j, "results"), "job", "j.welder");
		EXPECT(t, w != NULL);
		if (json_is_true(json_object_get(w, "qualified")) !=
		    dates[i].qualified) {
			print_error("as of %s j.welder should be %squalified\n",
			            dates[i].date, dates[i].qualified ? "" : "not ");
			sb_report_run(t);
			json_decref(j);
			fail();
		}
		json_t *mc = json_object_get(w, "missing_credentials");
		EXPECT(t, json_array_size(mc) == (dates[i].qualified ? 0u : 1u));
		json_decref(j);

		RUN(t, "--db", "a.db", "--json", "--as-of", dates[i].date, "explain",
		    "l.ann", "j.welder");
		EXPECT_EXIT(t, 0);
		j = PARSE_OUT(t);
		json_t *c0 = json_array_get(json_object_get(j, "credentials_required"), 0);
		EXPECT(t, json_is_true(json_object_get(c0, "held")) ==
		              dates[i].qualified);
		json_decref(j);
	}
	/* the text form says so too */
	RUN(t, "--db", "a.db", "--as-of", "2025-06-01", "match", "l.ann");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "qualified"));
	EXPECT(t, !sb_has(t->out, "cr.osha"));
	RUN(t, "--db", "a.db", "--as-of", "2026-06-01", "match", "l.ann");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "cr.osha"));
}

/* ---- show and the round trip ------------------------------------------------------------ */

static void test_show_round_trip(void **state)
{
	sandbox *t = *state;
	static const char *const kinds[] = {"skills", "credentials", "occupations",
	                                    "jobs", "learners", NULL};
	load_data(t, "a.db");
	sb_write(t, "rich.json", RICH);
	RUN(t, "--db", "a.db", "load", "rich.json");
	EXPECT_EXIT(t, 0);

	/* show's text form is the same document as --json */
	RUN(t, "--db", "a.db", "show", "job", "j.remote");
	EXPECT_EXIT(t, 0);
	char *text_form = t->out;
	t->out = NULL;
	RUN(t, "--db", "a.db", "show", "job", "j.remote", "--json");
	EXPECT_EXIT(t, 0);
	bool same = strcmp(text_form, t->out) == 0;
	free(text_form);
	EXPECT(t, same);

	/* every entity of a.db, as shown, makes one dataset for b.db */
	fx_text doc = {0};
	fx_put(&doc, "{");
	for (size_t k = 0; kinds[k]; k++) {
		RUN(t, "--db", "a.db", "--json", "list", kinds[k]);
		EXPECT_EXIT(t, 0);
		json_t *j = PARSE_OUT(t);
		json_t *items = json_object_get(j, kinds[k]);
		EXPECT(t, json_array_size(items) > 0);
		fx_put(&doc, k ? ",\n\"" : "\"");
		fx_put(&doc, "%s", kinds[k]);
		fx_put(&doc, "\": [");
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			RUN(t, "--db", "a.db", "--json", "show", kinds[k],
			    json_string_value(json_object_get(it, "id")));
			EXPECT_EXIT(t, 0);
			json_t *e = PARSE_OUT(t);
			EXPECT(t, json_is_object(e));
			json_decref(e);
			fx_put(&doc, i ? ",\n" : "\n");
			fx_put(&doc, "%s", t->out);
		}
		fx_put(&doc, "]");
		json_decref(j);
	}
	fx_put(&doc, "}\n");
	sb_write(t, "roundtrip.json", doc.text);
	fx_text_free(&doc);

	RUN(t, "--db", "b.db", "load", "roundtrip.json");
	EXPECT_EXIT(t, 0);
	char *a = cli_dump(t, "a.db");
	char *b = cli_dump(t, "b.db");
	if (strcmp(a, b) != 0) {
		print_error("show -> load -> show changed something:\n--- a.db "
		            "---\n");
		sb_print_long(a);
		print_error("--- b.db ---\n");
		sb_print_long(b);
		free(a);
		free(b);
		fail();
	}
	free(a);
	free(b);

	/* and loading a shown entity back onto itself changes nothing */
	RUN(t, "--db", "a.db", "--json", "show", "learner", "l.dee");
	EXPECT_EXIT(t, 0);
	fx_text one = {0};
	fx_put(&one, "{\"learners\": [");
	fx_put(&one, "%s", t->out);
	fx_put(&one, "]}\n");
	sb_write(t, "one.json", one.text);
	fx_text_free(&one);
	char *before = t->out;
	t->out = NULL;
	RUN(t, "--db", "a.db", "load", "one.json");
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "a.db", "--json", "show", "learner", "l.dee");
	EXPECT_EXIT(t, 0);
	same = strcmp(before, t->out) == 0;
	free(before);
	EXPECT(t, same);
}

/* ---- output errors ---------------------------------------------------------------- */

static void expect_write_error(sandbox *t)
{
	EXPECT(t, t->code != 0);
	EXPECT(t, sb_all_lines_prefixed(t->err));
}

static void test_full_stdout_version(void **state)
{
	sandbox *t = *state;
	sb_run(t, NULL, "/dev/full", ARGS("--version"));
	expect_write_error(t);
}

static void test_full_stdout_help_option(void **state)
{
	sandbox *t = *state;
	sb_run(t, NULL, "/dev/full", ARGS("--help"));
	expect_write_error(t);
}

static void test_full_stdout_commands(void **state)
{
	sandbox *t = *state;
	load_data(t, "a.db");
	sb_run(t, NULL, "/dev/full", ARGS("help"));
	expect_write_error(t);
	sb_run(t, NULL, "/dev/full", ARGS("help", "match"));
	expect_write_error(t);
	sb_run(t, NULL, "/dev/full", ARGS("--db", "a.db", "list", "skills"));
	expect_write_error(t);
	sb_run(t, NULL, "/dev/full",
	       ARGS("--db", "a.db", "--json", "match", "l.ann"));
	expect_write_error(t);
	sb_run(t, NULL, "/dev/full",
	       ARGS("--db", "a.db", "show", "skill", "sk.weld"));
	expect_write_error(t);
}

/* ---- main -------------------------------------------------------------------------- */

#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_version),
	    T(test_help_lists_commands),
	    T(test_help_command),
	    T(test_no_arguments),
	    T(test_unknown_command),
	    T(test_missing_database),
	    T(test_init_creates),
	    T(test_load_creates),
	    T(test_database_selection),
	    T(test_global_options_after_command),
	    T(test_load_errors),
	    T(test_load_error_exact_line),
	    T(test_usage_errors),
	    T(test_not_found),
	    T(test_match_json),
	    T(test_explain_json),
	    T(test_candidates_privacy),
	    T(test_list_json),
	    T(test_list_query),
	    T(test_as_of_flips_qualified),
	    T(test_show_round_trip),
	    T(test_full_stdout_version),
	    T(test_full_stdout_help_option),
	    T(test_full_stdout_commands),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
