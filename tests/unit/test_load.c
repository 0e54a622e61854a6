/* test_load.c - the loader: every kind of bad input is reported with file, JSON path and reason, and a rejected call changes nothing. */
#include "fixture.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A small valid catalog every case starts from, so that "the store is
 * unchanged" means something: skills with broader and related edges,
 * credentials with prerequisites and components, an occupation, a job and a
 * learner. */
static const char base_doc[] =
    "{'skills': ["
    "  {'id': 'metal', 'name': 'Metalwork'},"
    "  {'id': 'weld', 'name': 'Welding', 'aliases': ['MIG', 'Stick'],"
    "   'broader': ['metal'], 'related': [{'skill': 'safety', 'weight': 0.5}]},"
    "  {'id': 'safety', 'name': 'Shop safety'}],"
    " 'credentials': ["
    "  {'id': 'osha10', 'name': 'OSHA 10', 'skills': [{'skill': 'safety'}],"
    "   'hours': 10, 'cost': 50},"
    "  {'id': 'aws', 'name': 'AWS D1.1',"
    "   'skills': [{'skill': 'weld', 'level': 3}], 'prerequisites': ['osha10']},"
    "  {'id': 'stack', 'name': 'Welding stack', 'components': ['osha10', 'aws']}],"
    " 'occupations': [{'id': '51-4121.00', 'title': 'Welders',"
    "   'requirements': [{'skill': 'weld', 'level': 2}]}],"
    " 'jobs': [{'id': 'j1', 'title': 'Welder', 'employer': 'Acme',"
    "   'requirements': [{'skill': 'weld', 'level': 2}, {'skill': 'safety'}],"
    "   'credentials_required': ['osha10']}],"
    " 'learners': [{'id': 'l1',"
    "   'credentials': [{'credential': 'osha10', 'earned': '2024-01-01'}]}]}";

/* A valid file loaded in the same call as every bad one: it would rename a
 * stored skill and add one, so a partial write would show in the dump. */
static const char companion_doc[] =
    "{'skills': [{'id': 'safety', 'name': 'Renamed safety'},"
    "            {'id': 'extra-skill', 'name': 'Extra'}]}";

static char failure[16384];

static void note(size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note(size_t *len, const char *fmt, ...)
{
	va_list ap;
	if (*len >= sizeof failure - 1)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(failure + *len, sizeof failure - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len += (size_t)n < sizeof failure - *len ? (size_t)n
		                                            : sizeof failure - *len - 1;
}

/* Loads docs (quoted with ') and fails the test, after freeing everything,
 * unless the load succeeds. */
static void load_ok_many(pw_engine *e, const char *const *names,
                         const char *const *docs, size_t n)
{
	char *qd[16];
	pw_report *rep = NULL;
	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++)
		qd[i] = fx_dq(docs[i]);
	pw_status st = fx_load_many(e, names, (const char *const *)qd, n, &rep);
	for (size_t i = 0; i < n; i++)
		free(qd[i]);
	if (st != PW_OK) {
		size_t len = 0;
		char *text = fx_report_text(rep);
		note(&len, "load failed (%s):\n%s", pw_status_name(st), text);
		free(text);
		pw_report_free(rep);
		fail_msg("%s", failure);
	}
	pw_report_free(rep);
}

static void load_ok(pw_engine *e, const char *doc)
{
	const char *names[] = {"test.json"};
	load_ok_many(e, names, &doc, 1);
}

static pw_engine *base_engine(void)
{
	pw_engine *e = fx_open();
	load_ok(e, base_doc);
	return e;
}

typedef struct want {
	const char *file, *path, *reason;
} want;

/* Loads the companion file and then docs into an engine holding the base
 * data set, and checks that the call fails with PW_ERR_INVALID, that the
 * report holds every wanted entry (and nothing else when exact), and that
 * the store is unchanged. */
static void expect_rejected(const char *const *names, const char *const *docs,
                            size_t n, const want *w, size_t nw, bool exact)
{
	const char *all_names[16], *all_docs[16];
	char *qd[16];
	pw_engine *e = base_engine();
	pw_report *rep = NULL;
	size_t len = 0;

	assert_true(n + 1 <= 16);
	all_names[0] = "companion.json";
	all_docs[0] = companion_doc;
	for (size_t i = 0; i < n; i++) {
		all_names[i + 1] = names[i];
		all_docs[i + 1] = docs[i];
	}
	for (size_t i = 0; i <= n; i++)
		qd[i] = fx_dq(all_docs[i]);

	char *before = fx_dump(e);
	pw_status st =
	    fx_load_many(e, all_names, (const char *const *)qd, n + 1, &rep);
	char *after = fx_dump(e);
	char *text = fx_report_text(rep);

	failure[0] = '\0';
	if (st != PW_ERR_INVALID)
		note(&len, "status %s, want PW_ERR_INVALID\n", pw_status_name(st));
	for (size_t i = 0; i < nw; i++)
		if (!fx_report_has(rep, w[i].file, w[i].path, w[i].reason))
			note(&len, "no report entry %s: %s: ...%s...\n",
			     w[i].file ? w[i].file : "*", w[i].path ? w[i].path : "*",
			     w[i].reason ? w[i].reason : "");
	if (exact && pw_report_count(rep) != nw)
		note(&len, "%zu report entries, want %zu\n", pw_report_count(rep),
		     nw);
	if (strcmp(before, after) != 0)
		note(&len, "a rejected load changed the store\n");
	if (len)
		note(&len, "the report:\n%s", text);

	free(text);
	free(before);
	free(after);
	for (size_t i = 0; i <= n; i++)
		free(qd[i]);
	pw_report_free(rep);
	pw_close(e);
	if (len)
		fail_msg("%s", failure);
}

static void reject(const char *doc, const char *path, const char *reason)
{
	const char *names[] = {"test.json"};
	want w = {"test.json", path, reason};
	expect_rejected(names, &doc, 1, &w, 1, false);
}

/* ---- one bad input per case ------------------------------------------------- */

typedef struct bad_case {
	const char *doc, *path, *reason;
} bad_case;

static void run_bad(void **state)
{
	const bad_case *c = *state;
	reject(c->doc, c->path, c->reason);
}

#define BAD(c)                                                                \
	{                                                                         \
		#c, run_bad, NULL, NULL, &c                                           \
	}

/* syntax */
static bad_case malformed_json = {
    "{'skills': [\n"
    "  {'id': 'x', 'name': 'X'},\n"
    "  {'id': 'y', 'name': tru}\n"
    "]}",
    "skills[1].name", "invalid JSON"};
static bad_case malformed_json_line_column = {
    "{'skills': [\n"
    "  {'id': 'x', 'name': 'X'},\n"
    "  {'id': 'y', 'name': tru}\n"
    "]}",
    "skills[1].name", "line 3, column"};
static bad_case duplicate_key = {
    "{'skills': [{'id': 'x', 'name': 'X', 'name': 'Y'}]}", "skills[0].name",
    "duplicate"};
static bad_case top_level_array = {"[{'skills': []}]", "$",
                                   "expected a JSON object"};

/* keys */
static bad_case unknown_top_level_key = {"{'skils': []}", "skils",
                                         "unknown key 'skils'"};
static bad_case unknown_nested_key = {
    "{'skills': [{'id': 'x', 'name': 'X', 'colour': 'red'}]}",
    "skills[0].colour", "unknown key 'colour'"};
static bad_case unknown_deep_key = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'location': {'zip': '41653'}}]}",
    "jobs[0].location.zip", "unknown key 'zip'"};
static bad_case unknown_requirement_key = {
    "{'jobs': [{'id': 'j2', 'title': 'T',"
    "  'requirements': [{'skill': 'weld'}, {'skill': 'metal', 'lvl': 2}]}]}",
    "jobs[0].requirements[1].lvl", "unknown key 'lvl'"};

/* types */
static bad_case string_for_number = {
    "{'credentials': [{'id': 'c9', 'name': 'C', 'hours': '10'}]}",
    "credentials[0].hours", "expected a number"};
static bad_case number_for_string = {"{'skills': [{'id': 'x', 'name': 5}]}",
                                     "skills[0].name", "expected a string"};
static bad_case object_for_array = {
    "{'skills': [{'id': 'x', 'name': 'X', 'aliases': {'a': 'b'}}]}",
    "skills[0].aliases", "expected an array"};
static bad_case object_for_kind_array = {"{'skills': {'id': 'x'}}", "skills",
                                         "expected an array"};
static bad_case string_for_bool = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'remote': 'yes'}]}",
    "jobs[0].remote", "expected true or false"};

/* ranges */
static bad_case level_zero = {
    "{'jobs': [{'id': 'j2', 'title': 'T',"
    "  'requirements': [{'skill': 'weld'}, {'skill': 'metal', 'level': 0}]}]}",
    "jobs[0].requirements[1].level", "out of range"};
static bad_case level_five = {
    "{'jobs': [{'id': 'j2', 'title': 'T',"
    "  'requirements': [{'skill': 'weld'}, {'skill': 'metal', 'level': 5}]}]}",
    "jobs[0].requirements[1].level", "out of range"};
static bad_case credential_level_five = {
    "{'credentials': [{'id': 'c9', 'name': 'C',"
    "  'skills': [{'skill': 'weld', 'level': 5}]}]}",
    "credentials[0].skills[0].level", "out of range"};
static bad_case level_not_integer = {
    "{'credentials': [{'id': 'c9', 'name': 'C',"
    "  'skills': [{'skill': 'weld', 'level': 2.5}]}]}",
    "credentials[0].skills[0].level", "expected an integer"};
static bad_case importance_zero = {
    "{'jobs': [{'id': 'j2', 'title': 'T',"
    "  'requirements': [{'skill': 'weld', 'importance': 0}]}]}",
    "jobs[0].requirements[0].importance", "out of range"};
static bad_case importance_six = {
    "{'occupations': [{'id': '51-9999.00', 'title': 'T',"
    "  'requirements': [{'skill': 'weld', 'importance': 6}]}]}",
    "occupations[0].requirements[0].importance", "out of range"};
static bad_case related_weight_above_one = {
    "{'skills': [{'id': 'x', 'name': 'X',"
    "  'related': [{'skill': 'weld', 'weight': 1.5}]}]}",
    "skills[0].related[0].weight", "out of range"};
static bad_case openings_zero = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'openings': 0}]}",
    "jobs[0].openings", "out of range"};
static bad_case latitude_91 = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'location': {'lat': 91, 'lon': 0}}]}",
    "jobs[0].location.lat", "out of range"};

/* dangling references */
static bad_case dangling_broader = {
    "{'skills': [{'id': 'x', 'name': 'X', 'broader': ['metal', 'nope']}]}",
    "skills[0].broader[1]", "unknown skill 'nope'"};
static bad_case dangling_related = {
    "{'skills': [{'id': 'x', 'name': 'X',"
    "  'related': [{'skill': 'nope', 'weight': 0.5}]}]}",
    "skills[0].related[0].skill", "unknown skill 'nope'"};
static bad_case dangling_credential_skill = {
    "{'credentials': [{'id': 'c9', 'name': 'C',"
    "  'skills': [{'skill': 'weld'}, {'skill': 'nope'}]}]}",
    "credentials[0].skills[1].skill", "unknown skill 'nope'"};
static bad_case dangling_requirement_skill = {
    "{'jobs': [{'id': 'j2', 'title': 'T',"
    "  'requirements': [{'skill': 'weld'}, {'skill': 'nope'}]}]}",
    "jobs[0].requirements[1].skill", "unknown skill 'nope'"};
static bad_case dangling_occupation_skill = {
    "{'occupations': [{'id': '51-9999.00', 'title': 'T',"
    "  'requirements': [{'skill': 'nope'}]}]}",
    "occupations[0].requirements[0].skill", "unknown skill 'nope'"};
static bad_case dangling_any_of_skill = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'requirements': ["
    "  {'any_of': [{'skill': 'weld', 'level': 2}, {'skill': 'nope'}]}]}]}",
    "jobs[0].requirements[0].any_of[1].skill", "unknown skill 'nope'"};
static bad_case dangling_prerequisite = {
    "{'credentials': [{'id': 'c9', 'name': 'C', 'prerequisites': ['nope']}]}",
    "credentials[0].prerequisites[0]", "unknown credential 'nope'"};
static bad_case dangling_component = {
    "{'credentials': [{'id': 'c9', 'name': 'C',"
    "  'components': ['osha10', 'nope']}]}",
    "credentials[0].components[1]", "unknown credential 'nope'"};
static bad_case dangling_credential_required = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'credentials_required': ['nope']}]}",
    "jobs[0].credentials_required[0]", "unknown credential 'nope'"};
static bad_case dangling_credential_any_of = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'credentials_required':"
    "  ['osha10', {'any_of': ['aws', 'nope']}]}]}",
    "jobs[0].credentials_required[1].any_of[1]", "unknown credential 'nope'"};
static bad_case dangling_learner_credential = {
    "{'learners': [{'id': 'l2', 'credentials': ["
    "  {'credential': 'osha10', 'earned': '2024-01-01'},"
    "  {'credential': 'nope', 'earned': '2024-01-01'}]}]}",
    "learners[0].credentials[1].credential", "unknown credential 'nope'"};

/* cycles */
static bad_case broader_cycle = {
    "{'skills': [{'id': 'a', 'name': 'A', 'broader': ['b']},"
    "            {'id': 'b', 'name': 'B', 'broader': ['a']}]}",
    "skills[0].broader", "cycle in broader"};
static bad_case broader_self_loop = {
    "{'skills': [{'id': 'x', 'name': 'X', 'broader': ['x']}]}",
    "skills[0].broader", "cycle in broader"};
static bad_case broader_cycle_through_store = {
    /* stored: weld -> metal; this adds metal -> weld */
    "{'skills': [{'id': 'metal', 'name': 'Metalwork', 'broader': ['weld']}]}",
    "skills[0].broader", "cycle in broader"};
static bad_case prerequisite_cycle = {
    "{'credentials': [{'id': 'c1', 'name': 'C1', 'prerequisites': ['c2']},"
    "                 {'id': 'c2', 'name': 'C2', 'prerequisites': ['c1']}]}",
    "credentials[0].prerequisites", "cycle in prerequisites"};
static bad_case prerequisite_cycle_through_store = {
    /* stored: aws requires osha10 */
    "{'credentials': [{'id': 'osha10', 'name': 'OSHA 10',"
    "  'prerequisites': ['aws']}]}",
    "credentials[0].prerequisites", "cycle in prerequisites"};
static bad_case component_cycle = {
    "{'credentials': [{'id': 'c1', 'name': 'C1', 'components': ['c2']},"
    "                 {'id': 'c2', 'name': 'C2', 'components': ['c1']}]}",
    "credentials[0].components", "cycle in components"};
static bad_case component_cycle_through_store = {
    /* stored: stack is made of osha10 and aws */
    "{'credentials': [{'id': 'aws', 'name': 'AWS D1.1',"
    "  'components': ['stack']}]}",
    "credentials[0].components", "cycle in components"};

/* duplicates */
static bad_case duplicate_id_in_file = {
    "{'skills': [{'id': 'x', 'name': 'X'}, {'id': 'y', 'name': 'Y'},"
    "            {'id': 'x', 'name': 'X again'}]}",
    "skills[2].id", "first at test.json: skills[0]"};

/* ids */
static bad_case job_id_like_soc = {
    "{'jobs': [{'id': '31-1131.00', 'title': 'Nursing assistant'}]}",
    "jobs[0].id", "O*NET-SOC"};
static bad_case occupation_id_not_soc = {
    "{'occupations': [{'id': 'nursing-assistant', 'title': 'Nursing'}]}",
    "occupations[0].id", "O*NET-SOC"};
static bad_case id_with_space = {"{'skills': [{'id': 'a b', 'name': 'X'}]}",
                                 "skills[0].id", "not a valid id"};
static bad_case id_empty = {"{'skills': [{'id': '', 'name': 'X'}]}",
                            "skills[0].id", "empty"};
static bad_case reference_not_an_id = {
    "{'skills': [{'id': 'x', 'name': 'X', 'broader': ['a b']}]}",
    "skills[0].broader[0]", "not a valid id"};

/* dates */
static bad_case date_february_30 = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'posted': '2025-02-30'}]}",
    "jobs[0].posted", "not a date"};
static bad_case date_unpadded = {
    "{'learners': [{'id': 'l2',"
    "  'credentials': [{'credential': 'osha10', 'earned': '2025-1-1'}]}]}",
    "learners[0].credentials[0].earned", "not a date"};
static bad_case holding_expires_before_earned = {
    "{'learners': [{'id': 'l2', 'credentials': [{'credential': 'osha10',"
    "  'earned': '2024-06-01', 'expires': '2024-05-31'}]}]}",
    "learners[0].credentials[0].expires", "before"};

/* required keys */
static bad_case missing_id = {"{'skills': [{'name': 'X'}]}", "skills[0]",
                              "missing required key 'id'"};
static bad_case missing_name = {"{'credentials': [{'id': 'c9'}]}",
                                "credentials[0]",
                                "missing required key 'name'"};
static bad_case missing_title = {"{'jobs': [{'id': 'j2', 'employer': 'E'}]}",
                                 "jobs[0]", "missing required key 'title'"};
static bad_case wage_without_unit = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'wage': {'min': 15}}]}",
    "jobs[0].wage", "missing required key 'unit'"};
static bad_case holding_without_earned = {
    "{'learners': [{'id': 'l2', 'credentials': [{'credential': 'osha10'}]}]}",
    "learners[0].credentials[0]", "missing required key 'earned'"};

/* requirements */
static bad_case any_of_with_skill = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'requirements': [{'skill': 'weld',"
    "  'any_of': [{'skill': 'metal', 'level': 2}]}]}]}",
    "jobs[0].requirements[0]", "any_of"};
static bad_case any_of_empty = {
    "{'jobs': [{'id': 'j2', 'title': 'T',"
    "  'requirements': [{'any_of': []}]}]}",
    "jobs[0].requirements[0].any_of", "at least one"};
static bad_case credential_any_of_empty = {
    "{'jobs': [{'id': 'j2', 'title': 'T',"
    "  'credentials_required': [{'any_of': []}]}]}",
    "jobs[0].credentials_required[0].any_of", "at least one"};
static bad_case skill_required_twice = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'requirements': ["
    "  {'skill': 'weld', 'level': 1}, {'skill': 'metal'},"
    "  {'skill': 'weld', 'level': 3}]}]}",
    "jobs[0].requirements[2]", "more than once"};
static bad_case skill_in_plain_and_any_of = {
    "{'jobs': [{'id': 'j2', 'title': 'T', 'requirements': ["
    "  {'skill': 'weld'},"
    "  {'any_of': [{'skill': 'metal'}, {'skill': 'weld'}]}]}]}",
    "jobs[0].requirements[1]", "more than once"};

/* other values */
static bad_case bad_pattern = {
    "{'skills': [{'id': 'x', 'name': 'X', 'pattern': 'weld(ing'}]}",
    "skills[0].pattern", "PCRE2"};
static bad_case bad_enum = {
    "{'credentials': [{'id': 'c9', 'name': 'C', 'type': 'diploma'}]}",
    "credentials[0].type", "'diploma' is not one of"};

static void broader_cycle_new_and_stored(void **state)
{
	/* a new skill closes a loop over a stored edge: metal -> x (new) ->
	 * weld -> metal (stored). Both entities of the call are on it; the
	 * report may name either, but once. */
	static const char doc[] =
	    "{'skills': [{'id': 'x', 'name': 'X', 'broader': ['weld']},"
	    "            {'id': 'metal', 'name': 'Metalwork', 'broader': ['x']}]}";
	const char *names[] = {"test.json"};
	const char *docs[] = {doc};
	const want w = {"test.json", NULL, "cycle in broader"};
	(void)state;
	expect_rejected(names, docs, 1, &w, 1, true);

	pw_engine *e = base_engine();
	pw_report *rep = NULL;
	char *qd = fx_dq(doc);
	pw_status st = fx_load(e, qd, &rep);
	bool at_x = fx_report_has(rep, "test.json", "skills[0].broader", "cycle");
	bool at_metal =
	    fx_report_has(rep, "test.json", "skills[1].broader", "cycle");
	free(qd);
	pw_report_free(rep);
	pw_close(e);
	assert_int_equal(st, PW_ERR_INVALID);
	assert_true(at_x || at_metal);
}

static void id_of_129_chars(void **state)
{
	char doc[512], id[130];
	(void)state;
	memset(id, 'a', 129);
	id[129] = '\0';
	snprintf(doc, sizeof doc, "{'skills': [{'id': '%s', 'name': 'X'}]}", id);
	reject(doc, "skills[0].id", "not a valid id");

	/* 128 is still fine */
	pw_engine *e = fx_open();
	id[128] = '\0';
	snprintf(doc, sizeof doc, "{'skills': [{'id': '%s', 'name': 'X'}]}", id);
	load_ok(e, doc);
	pw_close(e);
}

static void nested_deeper_than_64(void **state)
{
	/* the root object is level 1, so the 64th '[' is at level 65; its path
	 * is `skills` and 63 times `[0]` */
	char doc[512], path[256];
	size_t n = 0, p = 0;
	(void)state;
	n += (size_t)snprintf(doc + n, sizeof doc - n, "{'skills': ");
	for (int i = 0; i < 70; i++)
		doc[n++] = '[';
	for (int i = 0; i < 70; i++)
		doc[n++] = ']';
	doc[n++] = '}';
	doc[n] = '\0';
	p += (size_t)snprintf(path + p, sizeof path - p, "skills");
	for (int i = 0; i < 63; i++)
		p += (size_t)snprintf(path + p, sizeof path - p, "[0]");
	reject(doc, path, "deeper than 64");

	/* 64 levels exactly is no depth error (the shape is still wrong) */
	n = 0;
	n += (size_t)snprintf(doc + n, sizeof doc - n, "{'skills': ");
	for (int i = 0; i < 63; i++)
		doc[n++] = '[';
	for (int i = 0; i < 63; i++)
		doc[n++] = ']';
	doc[n++] = '}';
	doc[n] = '\0';
	pw_engine *e = base_engine();
	pw_report *rep = NULL;
	char *qd = fx_dq(doc);
	pw_status st = fx_load(e, qd, &rep);
	free(qd);
	bool deep = fx_report_has(rep, NULL, NULL, "deeper");
	bool shape = fx_report_has(rep, "test.json", "skills[0]",
	                           "expected an object");
	pw_report_free(rep);
	pw_close(e);
	assert_int_equal(st, PW_ERR_INVALID);
	assert_false(deep);
	assert_true(shape);
}

/* ---- several problems, several files ------------------------------------------ */

static void duplicate_id_across_files(void **state)
{
	(void)state;
	const char *names[] = {"a.json", "b.json"};
	const char *docs[] = {
	    "{'skills': [{'id': 'x', 'name': 'X'}]}",
	    "{'skills': [{'id': 'y', 'name': 'Y'}, {'id': 'x', 'name': 'X2'}]}"};
	const want w[] = {{"b.json", "skills[1].id", "duplicate skill id 'x'"},
	                  {"b.json", "skills[1].id", "first at a.json: skills[0]"}};
	expect_rejected(names, docs, 2, w, 2, false);
}

static void reports_every_error(void **state)
{
	(void)state;
	const char *names[] = {"test.json"};
	const char *docs[] = {
	    "{'skills': [{'id': 'x1', 'name': 'X', 'colour': 'red'}],"
	    " 'credentials': [{'id': 'c1', 'name': 'C', 'hours': 'ten'}],"
	    " 'jobs': [{'id': 'j9', 'title': 'T',"
	    "   'requirements': [{'skill': 'weld', 'level': 0}]}],"
	    " 'learners': [{'id': 'l9', 'credentials':"
	    "   [{'credential': 'nope', 'earned': '2024-13-01'}]}]}"};
	const want w[] = {
	    {"test.json", "skills[0].colour", "unknown key"},
	    {"test.json", "credentials[0].hours", "expected a number"},
	    {"test.json", "jobs[0].requirements[0].level", "out of range"},
	    {"test.json", "learners[0].credentials[0].earned", "not a date"},
	    {"test.json", "learners[0].credentials[0].credential",
	     "unknown credential 'nope'"}};
	expect_rejected(names, docs, 1, w, 5, true);
}

static void errors_in_several_files(void **state)
{
	(void)state;
	const char *names[] = {"one.json", "two.json", "three.json"};
	const char *docs[] = {"{'skills': [{'id': 'x', 'name': 7}]}",
	                      "{'skills': [{'id': 'y', 'name': 'Y'}]}",
	                      "{'jobs': [{'id': '31-1131.00', 'title': 'T'}],"
	                      " 'learners': [{'id': 'l 2'}]}"};
	const want w[] = {{"one.json", "skills[0].name", "expected a string"},
	                  {"three.json", "jobs[0].id", "O*NET-SOC"},
	                  {"three.json", "learners[0].id", "not a valid id"}};
	expect_rejected(names, docs, 3, w, 3, true);
}

/* However many errors there are, every line of the report names the file
 * the error is in: a clean file in the same call is never blamed. */
static void many_errors_blame_their_own_file(void **state)
{
	enum { N = 1005 };
	size_t cap = 64 * N, n = 0;
	char *doc = malloc(cap);
	(void)state;
	assert_non_null(doc);
	n += (size_t)snprintf(doc + n, cap - n, "{'skills': [");
	for (int i = 0; i < N; i++)
		n += (size_t)snprintf(doc + n, cap - n,
		                      "%s{'id': 's%d', 'name': 'S', 'colour': 1}",
		                      i ? ", " : "", i);
	snprintf(doc + n, cap - n, "]}");
	char *qd = fx_dq(doc);
	free(doc);

	const char *names[] = {"bad.json", "clean.json"};
	const char *docs[] = {qd, "{}"};
	pw_engine *e = fx_open();
	pw_report *rep = NULL;
	pw_status st = fx_load_many(e, names, docs, 2, &rep);
	size_t count = pw_report_count(rep), listed = 0;
	bool blames_clean = fx_report_has(rep, "clean.json", NULL, NULL);
	bool says_rest = fx_report_has(rep, NULL, NULL, "more");
	for (size_t i = 0; i < count; i++) {
		const char *why;
		pw_report_get(rep, i, NULL, NULL, &why);
		if (strstr(why, "unknown key 'colour'"))
			listed++;
	}
	char *text = blames_clean ? fx_report_text(rep) : NULL;
	const char *tail = text && strlen(text) > 300 ? text + strlen(text) - 300
	                                              : text;
	if (text)
		snprintf(failure, sizeof failure, "the report blames clean.json:\n"
		         "...%s", tail);
	free(text);
	pw_report_free(rep);
	pw_close(e);
	free(qd);
	assert_int_equal(st, PW_ERR_INVALID);
	assert_true(listed == N || says_rest);
	if (blames_clean)
		fail_msg("%s", failure);
}

static void second_file_bad_writes_nothing(void **state)
{
	(void)state;
	const char *names[] = {"good.json", "bad.json"};
	const char *docs[] = {
	    "{'skills': [{'id': 'new-skill', 'name': 'New'},"
	    "            {'id': 'weld', 'name': 'Welding renamed'}],"
	    " 'learners': [{'id': 'l1'}]}",
	    "{'jobs': [{'id': 'j2', 'title': 'T', 'openings': 0}]}"};
	const want w[] = {{"bad.json", "jobs[0].openings", "out of range"}};
	expect_rejected(names, docs, 2, w, 1, true);
}

static void malformed_second_file_writes_nothing(void **state)
{
	(void)state;
	const char *names[] = {"good.json", "broken.json"};
	const char *docs[] = {"{'skills': [{'id': 'new-skill', 'name': 'New'}]}",
	                      "{'skills': [{'id': 'z', 'name': 'Z'}"};
	const want w[] = {{"broken.json", NULL, "invalid JSON"}};
	expect_rejected(names, docs, 2, w, 1, true);
}

/* ---- what a valid call does ----------------------------------------------------- */

static bool shows(pw_engine *e, pw_kind kind, const char *id)
{
	char *doc = NULL;
	pw_error err;
	pw_status st = pw_show_json(e, kind, id, 0, &doc, &err);
	pw_free(doc);
	return st == PW_OK;
}

static void references_across_files_and_store(void **state)
{
	(void)state;
	pw_engine *e = base_engine();
	/* the first file refers to what only the second defines, and both to
	 * what is already stored */
	const char *names[] = {"b.json", "a.json"};
	const char *docs[] = {
	    "{'credentials': [{'id': 'c-new', 'name': 'New credential',"
	    "   'skills': [{'skill': 'new-skill'}, {'skill': 'weld'}],"
	    "   'prerequisites': ['osha10'], 'components': ['c-part', 'aws']}],"
	    " 'jobs': [{'id': 'j2', 'title': 'T', 'requirements': ["
	    "   {'skill': 'new-skill'}, {'any_of': [{'skill': 'metal'},"
	    "   {'skill': 'new-child'}]}],"
	    "   'credentials_required': [{'any_of': ['c-new', 'stack']}]}],"
	    " 'learners': [{'id': 'l2', 'credentials': ["
	    "   {'credential': 'c-part', 'earned': '2024-02-29'}]}]}",
	    "{'skills': [{'id': 'new-skill', 'name': 'New', 'broader': ['metal'],"
	    "   'related': [{'skill': 'weld', 'weight': 0.3}]},"
	    "  {'id': 'new-child', 'name': 'Child', 'broader': ['new-skill']}],"
	    " 'credentials': [{'id': 'c-part', 'name': 'Part',"
	    "   'prerequisites': ['aws']}]}"};
	load_ok_many(e, names, docs, 2);
	assert_true(shows(e, PW_KIND_SKILL, "new-skill"));
	assert_true(shows(e, PW_KIND_SKILL, "new-child"));
	assert_true(shows(e, PW_KIND_CREDENTIAL, "c-new"));
	assert_true(shows(e, PW_KIND_CREDENTIAL, "c-part"));
	assert_true(shows(e, PW_KIND_JOB, "j2"));
	assert_true(shows(e, PW_KIND_LEARNER, "l2"));
	assert_true(shows(e, PW_KIND_SKILL, "weld"));
	pw_close(e);
}

static void replacing_an_edge_is_no_cycle(void **state)
{
	(void)state;
	pw_engine *e = base_engine();
	/* stored weld -> metal is replaced in this call by metal -> weld */
	load_ok(e, "{'skills': [{'id': 'weld', 'name': 'Welding'},"
	           "  {'id': 'metal', 'name': 'Metalwork', 'broader': ['weld']}],"
	           " 'credentials': [{'id': 'aws', 'name': 'AWS D1.1'},"
	           "  {'id': 'osha10', 'name': 'OSHA 10', 'prerequisites': ['aws']}]}");
	pw_close(e);
}

static json_t *show(pw_engine *e, pw_kind kind, const char *id)
{
	char *doc = NULL;
	pw_error err;
	json_error_t jerr;
	if (pw_show_json(e, kind, id, 0, &doc, &err) != PW_OK)
		fail_msg("show %s failed: %s", id, err.message);
	json_t *v = json_loads(doc, 0, &jerr);
	pw_free(doc);
	assert_non_null(v);
	return v;
}

static size_t array_len(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return v ? json_array_size(v) : 0;
}

static void reload_replaces_whole(void **state)
{
	(void)state;
	pw_engine *e = base_engine();
	load_ok(e, "{'skills': [{'id': 'weld', 'name': 'Welding',"
	           "  'aliases': ['Stick']}],"
	           " 'credentials': [{'id': 'stack', 'name': 'Welding stack',"
	           "  'components': ['aws']},"
	           "  {'id': 'osha10', 'name': 'OSHA 10 renamed'}],"
	           " 'jobs': [{'id': 'j1', 'title': 'Welder',"
	           "  'requirements': [{'skill': 'safety'}]}],"
	           " 'learners': [{'id': 'l1'}]}");

	json_t *skill = show(e, PW_KIND_SKILL, "weld");
	json_t *aliases = json_object_get(skill, "aliases");
	assert_int_equal(json_array_size(aliases), 1);
	assert_string_equal(json_string_value(json_array_get(aliases, 0)),
	                    "Stick");
	assert_int_equal(array_len(skill, "broader"), 0);
	assert_int_equal(array_len(skill, "related"), 0);
	json_decref(skill);

	json_t *cred = show(e, PW_KIND_CREDENTIAL, "stack");
	assert_int_equal(array_len(cred, "components"), 1);
	json_decref(cred);

	json_t *job = show(e, PW_KIND_JOB, "j1");
	json_t *reqs = json_object_get(job, "requirements");
	assert_int_equal(json_array_size(reqs), 1);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(reqs, 0), "skill")),
	    "safety");
	assert_int_equal(array_len(job, "credentials_required"), 0);
	/* the employer was dropped, and with it the owner it defaulted to */
	assert_null(json_object_get(job, "employer"));
	assert_null(json_object_get(job, "owner"));
	json_decref(job);

	json_t *learner = show(e, PW_KIND_LEARNER, "l1");
	assert_int_equal(array_len(learner, "credentials"), 0);
	json_decref(learner);

	/* replacing an entity leaves alone what other entities say about it */
	json_t *aws = show(e, PW_KIND_CREDENTIAL, "aws");
	json_t *pre = json_object_get(aws, "prerequisites");
	assert_int_equal(json_array_size(pre), 1);
	assert_string_equal(json_string_value(json_array_get(pre, 0)), "osha10");
	json_t *sk = json_array_get(json_object_get(aws, "skills"), 0);
	assert_string_equal(json_string_value(json_object_get(sk, "skill")),
	                    "weld");
	json_decref(aws);
	json_t *occ = show(e, PW_KIND_OCCUPATION, "51-4121.00");
	assert_int_equal(array_len(occ, "requirements"), 1);
	json_decref(occ);
	json_t *osha = show(e, PW_KIND_CREDENTIAL, "osha10");
	assert_string_equal(json_string_value(json_object_get(osha, "name")),
	                    "OSHA 10 renamed");
	assert_int_equal(array_len(osha, "skills"), 0);
	assert_null(json_object_get(osha, "hours"));
	json_decref(osha);

	/* the stored graph edges went with the replaced entities: metal may now
	 * sit under weld */
	load_ok(e, "{'skills': [{'id': 'metal', 'name': 'Metalwork',"
	           "  'broader': ['weld']}]}");
	pw_close(e);
}

static void summary_counts_per_kind(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	char *doc = fx_dq(base_doc);
	const char *name = "base.json";
	const char *data = doc;
	size_t len = strlen(doc);
	pw_load_summary sum;
	pw_error err;
	pw_report *rep = pw_report_new();
	pw_status st = pw_load_buffers(e, &name, &data, &len, 1, rep, &sum, &err);
	size_t count = pw_report_count(rep);
	pw_report_free(rep);
	free(doc);
	pw_close(e);
	assert_int_equal(st, PW_OK);
	assert_int_equal(count, 0);
	assert_int_equal(sum.count[PW_KIND_SKILL], 3);
	assert_int_equal(sum.count[PW_KIND_CREDENTIAL], 3);
	assert_int_equal(sum.count[PW_KIND_OCCUPATION], 1);
	assert_int_equal(sum.count[PW_KIND_JOB], 1);
	assert_int_equal(sum.count[PW_KIND_LEARNER], 1);
}

/* ---- files --------------------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static void missing_file_is_io_error(void **state)
{
	(void)state;
	char dir[] = "/tmp/pw-test-load-XXXXXX";
	char good[128], missing[128];
	assert_non_null(mkdtemp(dir));
	snprintf(good, sizeof good, "%s/good.json", dir);
	snprintf(missing, sizeof missing, "%s/missing.json", dir);
	char *doc = fx_dq("{'skills': [{'id': 'new-skill', 'name': 'New'}]}");
	write_file(good, doc);
	free(doc);

	pw_engine *e = base_engine();
	char *before = fx_dump(e);
	pw_report *rep = pw_report_new();
	pw_error err = {0};
	const char *paths[] = {good, missing};
	pw_status st = pw_load_files(e, paths, 2, rep, NULL, &err);
	char *after = fx_dump(e);
	bool same = strcmp(before, after) == 0;
	bool named = strstr(err.message, missing) != NULL;
	pw_report_free(rep);
	free(before);
	free(after);
	pw_close(e);
	remove(good);
	rmdir(dir);
	assert_int_equal(st, PW_ERR_IO);
	assert_true(named);
	assert_true(same);
}

static void file_names_in_report(void **state)
{
	(void)state;
	char dir[] = "/tmp/pw-test-load-XXXXXX";
	char good[128], bad[128];
	assert_non_null(mkdtemp(dir));
	snprintf(good, sizeof good, "%s/good.json", dir);
	snprintf(bad, sizeof bad, "%s/bad.json", dir);
	char *d1 = fx_dq("{'skills': [{'id': 'new-skill', 'name': 'New'}]}");
	char *d2 =
	    fx_dq("{'jobs': [{'id': 'j2', 'title': 'T', 'soc': '31-1131'}]}");
	write_file(good, d1);
	write_file(bad, d2);
	free(d1);
	free(d2);

	pw_engine *e = base_engine();
	char *before = fx_dump(e);
	pw_report *rep = pw_report_new();
	pw_error err = {0};
	const char *paths[] = {good, bad};
	pw_status st = pw_load_files(e, paths, 2, rep, NULL, &err);
	char *after = fx_dump(e);
	bool same = strcmp(before, after) == 0;
	bool has = fx_report_has(rep, bad, "jobs[0].soc", "O*NET-SOC");
	size_t count = pw_report_count(rep);
	pw_report_free(rep);
	free(before);
	free(after);

	/* and the same files, once fixed, load */
	d2 = fx_dq("{'jobs': [{'id': 'j2', 'title': 'T', 'soc': '31-1131.00',"
	           "  'requirements': [{'skill': 'new-skill'}]}]}");
	write_file(bad, d2);
	free(d2);
	rep = pw_report_new();
	pw_status st2 = pw_load_files(e, paths, 2, rep, NULL, &err);
	pw_report_free(rep);
	bool loaded = shows(e, PW_KIND_JOB, "j2");
	pw_close(e);
	remove(good);
	remove(bad);
	rmdir(dir);
	assert_int_equal(st, PW_ERR_INVALID);
	assert_true(has);
	assert_int_equal(count, 1);
	assert_true(same);
	assert_int_equal(st2, PW_OK);
	assert_true(loaded);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    BAD(malformed_json),
	    BAD(malformed_json_line_column),
	    BAD(duplicate_key),
	    BAD(top_level_array),
	    BAD(unknown_top_level_key),
	    BAD(unknown_nested_key),
	    BAD(unknown_deep_key),
	    BAD(unknown_requirement_key),
	    BAD(string_for_number),
	    BAD(number_for_string),
	    BAD(object_for_array),
	    BAD(object_for_kind_array),
	    BAD(string_for_bool),
	    BAD(level_zero),
	    BAD(level_five),
	    BAD(credential_level_five),
	    BAD(level_not_integer),
	    BAD(importance_zero),
	    BAD(importance_six),
	    BAD(related_weight_above_one),
	    BAD(openings_zero),
	    BAD(latitude_91),
	    BAD(dangling_broader),
	    BAD(dangling_related),
	    BAD(dangling_credential_skill),
	    BAD(dangling_requirement_skill),
	    BAD(dangling_occupation_skill),
	    BAD(dangling_any_of_skill),
	    BAD(dangling_prerequisite),
	    BAD(dangling_component),
	    BAD(dangling_credential_required),
	    BAD(dangling_credential_any_of),
	    BAD(dangling_learner_credential),
	    BAD(broader_cycle),
	    BAD(broader_self_loop),
	    BAD(broader_cycle_through_store),
	    cmocka_unit_test(broader_cycle_new_and_stored),
	    BAD(prerequisite_cycle),
	    BAD(prerequisite_cycle_through_store),
	    BAD(component_cycle),
	    BAD(component_cycle_through_store),
	    BAD(duplicate_id_in_file),
	    BAD(job_id_like_soc),
	    BAD(occupation_id_not_soc),
	    BAD(id_with_space),
	    BAD(id_empty),
	    BAD(reference_not_an_id),
	    BAD(date_february_30),
	    BAD(date_unpadded),
	    BAD(holding_expires_before_earned),
	    BAD(missing_id),
	    BAD(missing_name),
	    BAD(missing_title),
	    BAD(wage_without_unit),
	    BAD(holding_without_earned),
	    BAD(any_of_with_skill),
	    BAD(any_of_empty),
	    BAD(credential_any_of_empty),
	    BAD(skill_required_twice),
	    BAD(skill_in_plain_and_any_of),
	    BAD(bad_pattern),
	    BAD(bad_enum),
	    cmocka_unit_test(id_of_129_chars),
	    cmocka_unit_test(nested_deeper_than_64),
	    cmocka_unit_test(duplicate_id_across_files),
	    cmocka_unit_test(reports_every_error),
	    cmocka_unit_test(errors_in_several_files),
	    cmocka_unit_test(many_errors_blame_their_own_file),
	    cmocka_unit_test(second_file_bad_writes_nothing),
	    cmocka_unit_test(malformed_second_file_writes_nothing),
	    cmocka_unit_test(references_across_files_and_store),
	    cmocka_unit_test(replacing_an_edge_is_no_cycle),
	    cmocka_unit_test(reload_replaces_whole),
	    cmocka_unit_test(summary_counts_per_kind),
	    cmocka_unit_test(missing_file_is_io_error),
	    cmocka_unit_test(file_names_in_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
