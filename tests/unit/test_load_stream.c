/* test_load_stream.c - the loader's large-input paths: documents read one
 * array element at a time must load and report exactly as the whole-tree
 * reading does (which every other anomaly falls back to), files are read
 * one at a time, and a large write (its own page cache, no foreign-key
 * enforcement, multi-row inserts) stores what small writes store. */
#include "fixture.h"
#include "internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- generated documents ---- */

/* Whitespace as JSON allows it, varied by the generator when odd. */
static const char *ws(fx_rng *r, bool odd)
{
	static const char *const pick[] = {"",   " ",      "\n",
	                                   "\t", "\r\n  ", "\n\t \r"};
	return odd ? pick[fx_rand(r, PW_ARRAY_LEN(pick))] : "";
}

static void put_skill(fx_text *t, fx_rng *r, bool odd, size_t i)
{
	const char *w = ws(r, odd);
	fx_put(t, "{%s\"id\"%s:%s\"s%zu\",\"name\":%s\"Skill %zu", w,
	       ws(r, odd), ws(r, odd), i, ws(r, odd), i);
	/* escapes inside strings: accents, a surrogate pair, quotes */
	if (i % 3 == 0)
		fx_put(t, " caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\/ \\\\");
	fx_put(t, "\"");
	if (i > 0)
		fx_put(t, ",%s\"broader\": [%s\"s%zu\"%s]", ws(r, odd),
		       ws(r, odd), i / 2, ws(r, odd));
	if (i % 4 == 1)
		fx_put(t, ",\"related\":[{\"skill\":\"s%zu\",\"weight\":5e-1}]",
		       i - 1);
	if (i % 5 == 2)
		fx_put(t,
		       ",\"aliases\":[\"a%zu\",%s\"b%zu\"],\"codes\":{\"x\":"
		       "\"c%zu\"}",
		       i, ws(r, odd), i, i);
	fx_put(t, "%s}", w);
}

static void put_credential(fx_text *t, fx_rng *r, bool odd, size_t i,
                           size_t nskills)
{
	fx_put(t,
	       "{\"id\":\"c%zu\",%s\"name\":\"Cred %zu\",\"hours\":%zu.5,"
	       "\"skills\":[{\"skill\":\"s%zu\",\"level\":%zu.0},"
	       "{\"skill\":\"s%zu\"}]",
	       i, ws(r, odd), i, i % 40, i % nskills, 1 + i % 4,
	       (i + 7) % nskills);
	if (i > 1)
		fx_put(t, ",\"prerequisites\":[\"c%zu\"]", i / 2);
	if (i % 6 == 5)
		fx_put(t, ",\"components\":[\"c%zu\",\"c%zu\"]", i - 1, i - 2);
	fx_put(t, "%s}", ws(r, odd));
}

/* A job with n requirements (every third an any_of of two) and an any_of
 * of three credentials. */
static void put_job(fx_text *t, fx_rng *r, bool odd, size_t i, size_t n,
                    size_t nskills, size_t ncreds)
{
	fx_put(t,
	       "{\"id\":\"j%zu\",\"title\":\"Job %zu\",\"employer\":\"E%zu\","
	       "\"location\":{\"lat\":%zu.25,\"lon\":-8%zu.5,\"county\":"
	       "\"21%03zu\",\"state\":\"KY\"},\"wage\":{\"min\":%zu,\"unit\":"
	       "\"hour\"},\"requirements\":[",
	       i, i, i % 13, 30 + i % 9, i % 7, i % 1000, 12 + i % 20);
	for (size_t k = 0; k < n; k++) {
		size_t s = (i * 7 + k * 3) % nskills;
		fx_put(t, "%s%s", k ? "," : "", ws(r, odd));
		if (k % 3 == 2)
			fx_put(t,
			       "{\"any_of\":[{\"skill\":\"s%zu\",\"level\":2},"
			       "{\"skill\":\"s%zu\"}],\"importance\":%zu}",
			       s, (s + 1) % nskills, 1 + k % 5);
		else
			fx_put(t,
			       "{\"skill\":\"s%zu\",\"level\":%zu,\"required\":"
			       "%s}",
			       s, 1 + k % 4, k % 2 ? "false" : "true");
	}
	fx_put(t,
	       "],\"credentials_required\":[\"c%zu\",{\"any_of\":[\"c%zu\","
	       "\"c%zu\",\"c%zu\"]}]}",
	       i % ncreds, (i + 1) % ncreds, (i + 2) % ncreds,
	       (i + 3) % ncreds);
}

/* A learner holding n credentials; variant changes what a reload says. */
static void put_learner(fx_text *t, fx_rng *r, bool odd, size_t i, size_t n,
                        size_t ncreds, unsigned variant)
{
	fx_put(t,
	       "{\"id\":\"l%zu\",%s\"name\":\"Learner %zu v%u\","
	       "\"home\":{\"lat\":37.%zu,\"lon\":-84.%zu},\"discoverable\":%s,"
	       "\"credentials\":[",
	       i, ws(r, odd), i, variant, i % 10, i % 7,
	       i % 2 ? "true" : "false");
	for (size_t k = 0; k < n; k++)
		fx_put(
		    t,
		    "%s%s{\"credential\":\"c%zu\",\"earned\":\"2024-0%zu-1%zu\""
		    "%s}",
		    k ? "," : "", ws(r, odd),
		    (i * 3 + k * 11 + variant) % ncreds, 1 + k % 9, k % 10,
		    k % 4 == 3 ? ",\"source\":{\"format\":\"ob3\",\"id\":\"x\","
		                 "\"verified\":true}"
		               : "");
	fx_put(t, "]");
	if (i % 3 == 0)
		fx_put(t, ",\"demographics\":{\"gender\":\"female\"}");
	fx_put(t, "}");
}

enum { K_SKILLS = 1, K_CREDS = 2, K_JOBS = 4, K_LEARNERS = 8 };

typedef struct sizes {
	size_t skills, creds, jobs, learners;
	size_t reqs, holdings; /* per job, per learner; 0 varies them */
	unsigned variant;
} sizes;

/* A document of the kinds asked for; learners [from, to). escape_keys
 * writes the top-level keys with a \u escape, which the streamed reading
 * leaves to the whole tree. */
static char *make_doc(const sizes *z, unsigned kinds, size_t from, size_t to,
                      bool odd, bool escape_keys)
{
	fx_text t = {0};
	fx_rng r = {42};
	bool first = true;
	fx_put(&t, "%s{", ws(&r, odd));
#define KEY(name)                                                              \
	fx_put(&t, "%s%s\"%s%s\":%s[", first ? "" : ",", ws(&r, odd),          \
	       escape_keys ? "\\u00" : "", name, ws(&r, odd)),                 \
	    first = false
	if (kinds & K_SKILLS) {
		KEY(escape_keys ? "73kills" : "skills");
		for (size_t i = 0; i < z->skills; i++) {
			fx_put(&t, "%s%s", i ? "," : "", ws(&r, odd));
			put_skill(&t, &r, odd, i);
		}
		fx_put(&t, "%s]", ws(&r, odd));
	}
	if (kinds & K_CREDS) {
		KEY(escape_keys ? "63redentials" : "credentials");
		for (size_t i = 0; i < z->creds; i++) {
			fx_put(&t, "%s", i ? ",\n" : "");
			put_credential(&t, &r, odd, i, z->skills);
		}
		fx_put(&t, "]");
	}
	if (kinds & K_JOBS) {
		KEY(escape_keys ? "6aobs" : "jobs");
		for (size_t i = 0; i < z->jobs; i++) {
			fx_put(&t, "%s", i ? ",\n" : "");
			put_job(&t, &r, odd, i, z->reqs ? z->reqs : 1 + i % 22,
			        z->skills, z->creds);
		}
		fx_put(&t, "]");
	}
	if (kinds & K_LEARNERS) {
		KEY(escape_keys ? "6cearners" : "learners");
		for (size_t i = from; i < to; i++) {
			fx_put(&t, "%s", i > from ? ",\n" : "");
			put_learner(&t, &r, odd, i,
			            z->holdings ? z->holdings : i % 21,
			            z->creds, z->variant);
		}
		fx_put(&t, "]");
	}
#undef KEY
	fx_put(&t, "%s}%s", ws(&r, odd), ws(&r, odd));
	return t.text;
}

/* ---- helpers ---- */

static pw_status load_buf(pw_engine *e, const char *name, const char *doc,
                          pw_report **rep)
{
	const char *names[] = {name};
	return fx_load_many(e, names, &doc, 1, rep);
}

static void must_load(pw_engine *e, const char *doc)
{
	pw_report *rep = NULL;
	pw_status st = load_buf(e, "test.json", doc, &rep);
	if (st != PW_OK) {
		char *text = fx_report_text(rep);
		fail_msg("load failed (%s):\n%.2000s", pw_status_name(st),
		         text);
	}
	pw_report_free(rep);
}

/* The one report entry jansson's whole-document reading gives doc. */
static void expect_syntax_report(const char *doc, const char *path,
                                 const char *what)
{
	json_error_t jerr;
	char reason[400];
	json_t *root =
	    json_loadb(doc, strlen(doc), JSON_REJECT_DUPLICATES, &jerr);
	assert_null(root);
	assert_non_null(strstr(jerr.text, what));
	snprintf(reason, sizeof reason, "invalid JSON: %s (line %d, column %d)",
	         jerr.text, jerr.line, jerr.column);

	pw_engine *e = fx_open();
	must_load(e, "{\"skills\": [{\"id\": \"keep\", \"name\": \"Keep\"}]}");
	char *before = fx_dump(e);
	pw_report *rep = NULL;
	pw_status st = load_buf(e, "test.json", doc, &rep);
	char *after = fx_dump(e);
	char *text = fx_report_text(rep);
	bool has = fx_report_has(rep, "test.json", path, reason);
	size_t n = pw_report_count(rep);
	bool same = strcmp(before, after) == 0;
	free(before);
	free(after);
	pw_report_free(rep);
	pw_close(e);
	if (st != PW_ERR_INVALID || !has || n != 1 || !same) {
		print_message("want %s: %s\ngot:\n%s", path, reason, text);
		free(text);
		fail_msg("status %s, %zu entries, store %s", pw_status_name(st),
		         n, same ? "unchanged" : "changed");
	}
	free(text);
}

/* Loads each document into an engine of its own holding base (when not
 * NULL) and checks that status, report and store agree. */
static void expect_same_outcome(const char *base, const char *a, const char *b)
{
	pw_engine *ea = fx_open(), *eb = fx_open();
	if (base) {
		must_load(ea, base);
		must_load(eb, base);
	}
	pw_report *ra = NULL, *rb = NULL;
	pw_status sa = load_buf(ea, "test.json", a, &ra);
	pw_status sb = load_buf(eb, "test.json", b, &rb);
	char *ta = fx_report_text(ra), *tb = fx_report_text(rb);
	char *da = fx_dump(ea), *db = fx_dump(eb);
	pw_report_free(ra);
	pw_report_free(rb);
	pw_close(ea);
	pw_close(eb);
	assert_int_equal(sa, sb);
	assert_string_equal(ta, tb);
	assert_string_equal(da, db);
	free(ta);
	free(tb);
	free(da);
	free(db);
}

/* ---- the streamed reading agrees with the whole tree ---- */

static void streamed_matches_whole_tree(void **state)
{
	(void)state;
	sizes z = {.skills = 80, .creds = 30, .jobs = 40, .learners = 50};
	char *odd = make_doc(&z, 15, 0, z.learners, true, false);
	char *whole = make_doc(&z, 15, 0, z.learners, true, true);
	char *plain = make_doc(&z, 15, 0, z.learners, false, false);

	pw_engine *e1 = fx_open(), *e2 = fx_open(), *e3 = fx_open();
	must_load(e1, odd);
	must_load(e2, whole);
	must_load(e3, plain);
	char *d1 = fx_dump(e1), *d2 = fx_dump(e2), *d3 = fx_dump(e3);
	pw_close(e1);
	pw_close(e2);
	pw_close(e3);
	/* the escapes were decoded, and every kind is there */
	assert_non_null(
	    strstr(d1, "caf\xc3\xa9 \xf0\x9f\x98\x80 \\\"q\\\" / \\\\"));
	assert_non_null(strstr(d1, "\"Learner 49 v0\""));
	assert_non_null(strstr(d1, "\"Job 39\""));
	assert_string_equal(d1, d2);
	assert_string_equal(d1, d3);
	free(d1);
	free(d2);
	free(d3);
	free(odd);
	free(whole);
	free(plain);
}

static void streamed_errors_match_whole_tree(void **state)
{
	(void)state;
	/* validation problems in several kinds, the reports compared entry
	 * by entry with the whole tree's */
	const char *bad =
	    "{\"skills\": [{\"id\": \"a\", \"name\": \"A\", \"colour\": 1},"
	    " {\"id\": \"b\", \"name\": \"B\", \"broader\": [\"zz\"]}],"
	    " \"jobs\": [{\"id\": \"j1\", \"title\": \"T\", \"requirements\":"
	    " [{\"skill\": \"a\", \"level\": 9}, {\"skill\": \"nope\"}]}],"
	    " \"learners\": [{\"id\": \"l1\"}, {\"id\": \"l1\", "
	    "\"credentials\":"
	    " [{\"credential\": \"c\", \"earned\": \"2024-02-30\"}]}]}";
	const char *bad_whole =
	    "{\"\\u0073kills\": [{\"id\": \"a\", \"name\": \"A\", \"colour\": "
	    "1},"
	    " {\"id\": \"b\", \"name\": \"B\", \"broader\": [\"zz\"]}],"
	    " \"jobs\": [{\"id\": \"j1\", \"title\": \"T\", \"requirements\":"
	    " [{\"skill\": \"a\", \"level\": 9}, {\"skill\": \"nope\"}]}],"
	    " \"learners\": [{\"id\": \"l1\"}, {\"id\": \"l1\", "
	    "\"credentials\":"
	    " [{\"credential\": \"c\", \"earned\": \"2024-02-30\"}]}]}";
	expect_same_outcome(NULL, bad, bad_whole);

	pw_engine *e = fx_open();
	pw_report *rep = NULL;
	assert_int_equal(load_buf(e, "test.json", bad, &rep), PW_ERR_INVALID);
	assert_true(fx_report_has(rep, "test.json", "skills[0].colour",
	                          "unknown key 'colour'"));
	assert_true(fx_report_has(rep, "test.json", "learners[1].id",
	                          "first at test.json: learners[0]"));
	assert_true(fx_report_has(rep, "test.json", "skills[1].broader[0]",
	                          "unknown skill 'zz'"));
	pw_report_free(rep);
	pw_close(e);
}

static void keys_out_of_order(void **state)
{
	(void)state;
	/* the whole tree reports kind by kind, skills before jobs, whatever
	 * the order of the keys */
	const char *bad = "{\"jobs\": [{\"id\": \"j1\", \"title\": 5}],"
	                  " \"skills\": [{\"id\": \"a\", \"name\": 7}]}";
	const char *bad_whole =
	    "{\"jobs\": [{\"id\": \"j1\", \"title\": 5}],"
	    " \"\\u0073kills\": [{\"id\": \"a\", \"name\": 7}]}";
	expect_same_outcome(NULL, bad, bad_whole);
	pw_engine *e = fx_open();
	pw_report *rep = NULL;
	assert_int_equal(load_buf(e, "test.json", bad, &rep), PW_ERR_INVALID);
	assert_int_equal(pw_report_count(rep), 2);
	const char *path;
	pw_report_get(rep, 0, NULL, &path, NULL);
	assert_string_equal(path, "skills[0].name");
	pw_report_get(rep, 1, NULL, &path, NULL);
	assert_string_equal(path, "jobs[0].title");
	pw_report_free(rep);
	pw_close(e);

	/* and without problems the order does not matter */
	expect_same_outcome(
	    NULL,
	    "{\"learners\": [{\"id\": \"l1\"}], \"skills\": [{\"id\": \"a\","
	    " \"name\": \"A\"}]}",
	    "{\"skills\": [{\"id\": \"a\", \"name\": \"A\"}], \"learners\":"
	    " [{\"id\": \"l1\"}]}");
}

/* A large array whose element near the end is broken: the report is the
 * whole tree's alone (not the validation problems the streamed reading
 * met before it), with its path, line and column, and nothing is stored. */
static void syntax_error_late_in_big_array(void **state)
{
	(void)state;
	sizes z = {.skills = 20, .creds = 10, .learners = 3000, .holdings = 3};
	char *doc = make_doc(&z, K_SKILLS | K_CREDS | K_LEARNERS, 0, z.learners,
	                     false, false);
	/* an unknown key early on, a broken literal late */
	char *early = strstr(doc, "{\"id\":\"l5\",");
	assert_non_null(early);
	memcpy(early + 1, "\"ix\"", 4);
	char *late = strstr(doc, "{\"id\":\"l2950\"");
	assert_non_null(late);
	late = strstr(late, "\"discoverable\":");
	assert_non_null(late);
	late += strlen("\"discoverable\":");
	memcpy(late, late[0] == 't' ? "tru " : "fals ", late[0] == 't' ? 4 : 5);
	expect_syntax_report(doc, "learners[2950].discoverable",
	                     "invalid token");
	free(doc);
}

static void duplicate_top_level_key(void **state)
{
	(void)state;
	/* the first array loads in the streamed reading, with a problem, and
	 * all of it must be taken back */
	expect_syntax_report(
	    "{\"skills\": [{\"id\": \"a\", \"name\": \"A\", \"colour\": 1},"
	    " {\"id\": \"b\", \"name\": \"B\"}],\n \"credentials\": [],\n"
	    " \"skills\": [{\"id\": \"c\", \"name\": \"C\"}]}",
	    "skills", "duplicate object key");
}

static void trailing_garbage(void **state)
{
	(void)state;
	expect_syntax_report("{\"skills\": [{\"id\": \"a\", \"name\": \"A\","
	                     " \"x\": 1}]}\n x",
	                     "$", "end of file expected");
	expect_syntax_report("{\"skills\": []}{\"skills\": []}", "$",
	                     "end of file expected");
	expect_syntax_report("{\"skills\": [{\"id\": \"a\", \"name\": \"A\"}] ",
	                     "skills", "'}' expected near end of file");
	/* trailing whitespace is no garbage */
	pw_engine *e = fx_open();
	must_load(e,
	          "\n {\"skills\": [{\"id\": \"a\", \"name\": \"A\"}]} \r\n\t");
	pw_close(e);
}

static void odd_shapes_fall_back(void **state)
{
	(void)state;
	/* each is left to the whole tree, and reported as it reports: a
	 * problem met in a streamed element before it appears once, in its
	 * place */
	static const struct {
		const char *doc, *path, *reason;
		size_t entries;
	} cases[] = {
	    {"{\"skills\": [{\"id\": \"a\", \"name\": 1}, 7]}", "skills[1]",
	     "expected an object, got a number", 2},
	    {"{\"skills\": [{\"id\": \"a\", \"name\": 1}], \"extra\": []}",
	     "extra", "unknown key 'extra'", 2},
	    {"{\"learners\": [{\"id\": \"l\"}], \"skills\": null}", "skills",
	     "expected an array, got null", 1},
	    {"{\"skills\": [{\"id\": \"a\", \"name\": \"A\"}, []]}",
	     "skills[1]", "expected an object, got an array", 1},
	    {"{\"skills\": [{\"id\": \"a\", \"name\": 1},]}", "skills",
	     "invalid JSON: unexpected token near ']' (line 1, column 36)", 1},
	    {"{\"skills\": [{\"id\": \"a\", \"name\": 1}}", "skills",
	     "invalid JSON: ']' expected near '}' (line 1, column 35)", 1},
	    {"{\"skills\" [{\"id\": \"a\", \"name\": 1}]}", "skills[0]",
	     "invalid JSON: ':' expected near '[' (line 1, column 11)", 1},
	    {"{\"skills\": [{\"id\": \"a\", \"name\": \"A\"}], }", "$",
	     "invalid JSON: string or '}' expected near '}' (line 1, column "
	     "40)",
	     1},
	    {"\xef\xbb\xbf{\"skills\": []}", "$",
	     "invalid JSON: '[' or '{' expected", 1},
	    {"", "$", "invalid JSON: '[' or '{' expected near end of file", 1},
	};
	for (size_t i = 0; i < PW_ARRAY_LEN(cases); i++) {
		pw_engine *e = fx_open();
		pw_report *rep = NULL;
		pw_status st = load_buf(e, "test.json", cases[i].doc, &rep);
		bool has = fx_report_has(rep, "test.json", cases[i].path,
		                         cases[i].reason);
		size_t n = pw_report_count(rep);
		char *text = fx_report_text(rep);
		pw_report_free(rep);
		pw_close(e);
		if (st != PW_ERR_INVALID || !has || n != cases[i].entries) {
			print_message("case %zu: %s\n%s", i, cases[i].doc,
			              text);
			free(text);
			fail();
		}
		free(text);
	}
}

/* Nesting inside an element: 65 levels in all is reported as too deep,
 * 64 is not (the root object and the array are two of them). */
static void deep_element(void **state)
{
	(void)state;
	for (int levels = 64; levels <= 65; levels++) {
		fx_text t = {0};
		char path[400];
		size_t p = 0;
		/* root, skills, element, codes: 4 levels; then the arrays */
		fx_put(&t, "{\"skills\": [{\"id\": \"a\", \"name\": \"A\", "
		           "\"codes\": {\"x\": ");
		for (int i = 0; i < levels - 4; i++)
			fx_put(&t, "[");
		for (int i = 0; i < levels - 4; i++)
			fx_put(&t, "]");
		fx_put(&t, "}}]}");
		pw_engine *e = fx_open();
		pw_report *rep = NULL;
		pw_status st = load_buf(e, "test.json", t.text, &rep);
		p += (size_t)snprintf(path, sizeof path, "skills[0].codes.x");
		for (int i = 0; i < 60; i++)
			p += (size_t)snprintf(path + p, sizeof path - p, "[0]");
		bool deep =
		    fx_report_has(rep, "test.json", path, "deeper than 64");
		bool shape =
		    fx_report_has(rep, "test.json", "skills[0].codes.x",
		                  "expected a non-empty string");
		size_t n = pw_report_count(rep);
		pw_report_free(rep);
		pw_close(e);
		fx_text_free(&t);
		assert_int_equal(st, PW_ERR_INVALID);
		assert_int_equal(n, 1);
		if (levels == 65)
			assert_true(deep);
		else
			assert_true(shape);
	}
}

/* ---- files, one at a time ---- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static void files_load_as_buffers(void **state)
{
	(void)state;
	char dir[] = "/tmp/pw-test-stream-XXXXXX";
	char paths[4][160];
	assert_non_null(mkdtemp(dir));
	sizes z = {.skills = 80, .creds = 20, .jobs = 30, .learners = 400};
	/* a large file, then smaller ones reading into the same buffer, then
	 * a larger one again */
	char *docs[4] = {
	    make_doc(&z, K_LEARNERS, 0, 300, true, false),
	    make_doc(&z, K_SKILLS, 0, 0, false, false),
	    make_doc(&z, K_CREDS | K_JOBS, 0, 0, true, false),
	    make_doc(&z, K_LEARNERS, 300, 400, false, false),
	};
	const char *names[4];
	for (int i = 0; i < 4; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/doc%d.json", dir, i);
		write_file(paths[i], docs[i]);
		names[i] = paths[i];
	}
	pw_engine *ef = fx_open(), *eb = fx_open();
	pw_report *rf = pw_report_new(), *rb = NULL;
	pw_error err;
	pw_status sf = pw_load_files(ef, names, 4, rf, NULL, &err);
	pw_status sb =
	    fx_load_many(eb, names, (const char *const *)docs, 4, &rb);
	char *df = fx_dump(ef), *db = fx_dump(eb);
	size_t nf = pw_report_count(rf);
	pw_report_free(rf);
	pw_report_free(rb);
	pw_close(ef);
	pw_close(eb);
	for (int i = 0; i < 4; i++) {
		remove(paths[i]);
		free(docs[i]);
	}
	rmdir(dir);
	assert_int_equal(sf, PW_OK);
	assert_int_equal(sb, PW_OK);
	assert_int_equal(nf, 0);
	assert_non_null(strstr(df, "\"Learner 399 v0\""));
	assert_string_equal(df, db);
	free(df);
	free(db);
}

/* A file that cannot be read after one that was parsed (with problems):
 * an I/O error naming it, no report entries, the store as it was. */
static void unreadable_second_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/pw-test-stream-XXXXXX";
	char first[160], missing[160], subdir[160];
	assert_non_null(mkdtemp(dir));
	snprintf(first, sizeof first, "%s/first.json", dir);
	snprintf(missing, sizeof missing, "%s/missing.json", dir);
	snprintf(subdir, sizeof subdir, "%s/sub", dir);
	assert_int_equal(mkdir(subdir, 0700), 0);
	sizes z = {.skills = 80, .creds = 20, .jobs = 30, .learners = 2500};
	char *doc = make_doc(&z, 15, 0, z.learners, false, false);
	/* a problem the first file reports when parsed */
	char *p = strstr(doc, "{\"id\":\"l7\",");
	assert_non_null(p);
	memcpy(p + 1, "\"ix\"", 4);
	write_file(first, doc);
	free(doc);

	pw_engine *e = fx_open();
	must_load(e, "{\"skills\": [{\"id\": \"keep\", \"name\": \"Keep\"}]}");
	char *before = fx_dump(e);
	const char *const second[] = {missing, subdir};
	for (int i = 0; i < 2; i++) {
		const char *paths[] = {first, second[i]};
		pw_report *rep = pw_report_new();
		pw_load_summary sum = {{7}};
		pw_error err = {0};
		pw_status st = pw_load_files(e, paths, 2, rep, &sum, &err);
		char *after = fx_dump(e);
		assert_int_equal(st, PW_ERR_IO);
		assert_non_null(strstr(err.message, second[i]));
		assert_int_equal(pw_report_count(rep), 0);
		assert_string_equal(before, after);
		/* the summary is left alone, as before anything was read */
		assert_int_equal(sum.count[0], 7);
		free(after);
		pw_report_free(rep);
	}
	/* of two that cannot be read, the first is named */
	const char *three[] = {first, subdir, missing, first};
	pw_report *rep = pw_report_new();
	pw_error err = {0};
	assert_int_equal(pw_load_files(e, three, 4, rep, NULL, &err),
	                 PW_ERR_IO);
	assert_non_null(strstr(err.message, subdir));
	assert_null(strstr(err.message, missing));
	pw_report_free(rep);
	free(before);
	pw_close(e);
	remove(first);
	rmdir(subdir);
	rmdir(dir);
}

/* Large documents are parsed side by side; the report still lists them in
 * order, and a duplicate across them points at the first. */
static void big_buffers_report_in_order(void **state)
{
	(void)state;
	sizes z = {.skills = 80, .creds = 40, .learners = 24000, .holdings = 8};
	char *docs[3] = {
	    make_doc(&z, K_SKILLS | K_CREDS, 0, 0, false, false),
	    make_doc(&z, K_LEARNERS, 0, 12000, false, false),
	    make_doc(&z, K_LEARNERS, 11990, 24000, true, false),
	};
	const char *names[] = {"catalog.json", "a.json", "b.json"};
	size_t lens[3], total = 0;
	for (int i = 0; i < 3; i++)
		total += lens[i] = strlen(docs[i]);
	assert_true(total > (8u << 20));
	/* a problem in each, the later document's first */
	char *p = strstr(docs[2], "{\"id\":\"l20000\",");
	assert_non_null(p);
	memcpy(p + 1, "\"ix\"", 4);
	p = strstr(docs[1], "{\"id\":\"l11000\",");
	assert_non_null(p);
	memcpy(p + 1, "\"ix\"", 4);

	pw_engine *e = fx_open();
	pw_report *rep = pw_report_new();
	pw_error err;
	pw_status st = pw_load_buffers(e, names, (const char *const *)docs,
	                               lens, 3, rep, NULL, &err);
	size_t n = pw_report_count(rep);
	const char *f[14], *path[14];
	for (size_t i = 0; i < n && i < 14; i++)
		pw_report_get(rep, i, &f[i], &path[i], NULL);
	assert_int_equal(st, PW_ERR_INVALID);
	/* an unknown key and a missing id in each, then the ten learners of
	 * both */
	assert_int_equal(n, 14);
	assert_string_equal(f[0], "a.json");
	assert_string_equal(path[0], "learners[11000].ix");
	assert_string_equal(f[1], "a.json");
	assert_string_equal(path[1], "learners[11000]");
	assert_string_equal(f[2], "b.json");
	assert_string_equal(path[2], "learners[8010].ix");
	assert_string_equal(f[3], "b.json");
	assert_string_equal(path[3], "learners[8010]");
	assert_string_equal(f[4], "b.json");
	assert_string_equal(path[4], "learners[0].id");
	assert_true(fx_report_has(rep, "b.json", "learners[9].id",
	                          "first at a.json: learners[11999]"));
	pw_report_free(rep);
	pw_close(e);
	for (int i = 0; i < 3; i++)
		free(docs[i]);
}

/* ---- a large write stores what small writes store ---- */

/* Loads the data set in one call (a bulk write) into one engine and in
 * calls of a few hundred entities into another, then reloads a variant
 * of the learners and jobs the same two ways. */
static void bulk_write_matches_small_writes(void **state)
{
	(void)state;
	sizes z = {.skills = 80, .creds = 40, .jobs = 300, .learners = 2400};
	pw_engine *big = fx_open(), *small = fx_open();
	char *all = make_doc(&z, 15, 0, z.learners, false, false);
	must_load(big, all);
	free(all);

	char *cat =
	    make_doc(&z, K_SKILLS | K_CREDS | K_JOBS, 0, 0, false, false);
	must_load(small, cat);
	free(cat);
	for (size_t from = 0; from < z.learners; from += 400) {
		char *part =
		    make_doc(&z, K_LEARNERS, from, from + 400, false, false);
		must_load(small, part);
		free(part);
	}
	char *db = fx_dump(big), *ds = fx_dump(small);
	assert_non_null(strstr(db, "\"l2399\""));
	assert_string_equal(db, ds);
	free(db);
	free(ds);

	/* a reload over stored rows: fewer holdings and requirements, so a
	 * stale row left behind would show */
	sizes v = z;
	v.variant = 1;
	v.holdings = 17;
	v.reqs = 18;
	char *again =
	    make_doc(&v, K_JOBS | K_LEARNERS, 0, v.learners, true, false);
	must_load(big, again);
	free(again);
	v.holdings = 2;
	v.reqs = 3;
	again = make_doc(&v, K_JOBS | K_LEARNERS, 0, v.learners, false, false);
	must_load(big, again);
	free(again);
	char *jobs = make_doc(&v, K_JOBS, 0, 0, false, false);
	must_load(small, jobs);
	free(jobs);
	for (size_t from = 0; from < v.learners; from += 400) {
		char *part =
		    make_doc(&v, K_LEARNERS, from, from + 400, false, false);
		must_load(small, part);
		free(part);
	}
	db = fx_dump(big);
	ds = fx_dump(small);
	assert_non_null(strstr(db, "Learner 7 v1"));
	assert_string_equal(db, ds);
	free(db);
	free(ds);
	pw_close(big);
	pw_close(small);
}

/* Foreign keys are off only for the bulk write itself: after it, a
 * holding of an unknown credential fails the commit again. */
static void bulk_write_restores_foreign_keys(void **state)
{
	(void)state;
	char dir[] = "/tmp/pw-test-stream-XXXXXX";
	char path[160];
	store *s = NULL;
	pw_error err;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fk.db", dir);
	assert_int_equal(store_open(path, STORE_CREATE, &s, &err), PW_OK);
	rec_holding h = {.credential = "no-such-credential",
	                 .earned = fx_date("2024-01-01"),
	                 .expires = PW_DATE_NONE};
	rec_learner l = {.id = "l1", .nholdings = 1, .holdings = &h};

	assert_int_equal(store_begin_bulk(s, 8, &err), PW_OK);
	assert_int_equal(store_put_learner(s, &l, &err), PW_OK);
	store_rollback(s);

	assert_int_equal(store_begin(s, &err), PW_OK);
	assert_int_equal(store_put_learner(s, &l, &err), PW_OK);
	pw_status st = store_commit(s, &err);
	store_rollback(s);
	assert_int_equal(st, PW_ERR_DB);
	assert_non_null(strstr(err.message, "FOREIGN KEY"));

	/* and after a committed bulk write too */
	assert_int_equal(store_begin_bulk(s, 8, &err), PW_OK);
	assert_int_equal(store_commit(s, &err), PW_OK);
	assert_int_equal(store_begin(s, &err), PW_OK);
	assert_int_equal(store_put_learner(s, &l, &err), PW_OK);
	st = store_commit(s, &err);
	store_rollback(s);
	assert_int_equal(st, PW_ERR_DB);
	store_close(s);
	remove(path);
	char wal[200];
	snprintf(wal, sizeof wal, "%s-wal", path);
	remove(wal);
	snprintf(wal, sizeof wal, "%s-shm", path);
	remove(wal);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(streamed_matches_whole_tree),
	    cmocka_unit_test(streamed_errors_match_whole_tree),
	    cmocka_unit_test(keys_out_of_order),
	    cmocka_unit_test(syntax_error_late_in_big_array),
	    cmocka_unit_test(duplicate_top_level_key),
	    cmocka_unit_test(trailing_garbage),
	    cmocka_unit_test(odd_shapes_fall_back),
	    cmocka_unit_test(deep_element),
	    cmocka_unit_test(files_load_as_buffers),
	    cmocka_unit_test(unreadable_second_file),
	    cmocka_unit_test(big_buffers_report_in_order),
	    cmocka_unit_test(bulk_write_matches_small_writes),
	    cmocka_unit_test(bulk_write_restores_foreign_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
