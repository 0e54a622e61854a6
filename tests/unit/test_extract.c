/* test_extract.c - skill extraction (SPEC §8): tokens, caseless Unicode
 * matching on word bounds, longest match first without overlaps, patterns,
 * byte offsets, refusals, the cached extractor, and a property test against
 * a brute-force reference on random vocabularies and texts. */
#include "extract.h"
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- helpers ---- */

static pw_engine *with_skills(const char *doc)
{
	pw_engine *e = fx_open();
	char *json = fx_dq(doc);
	fx_load_ok(e, json);
	free(json);
	return e;
}

/* The hits as "skill@start-end" separated by spaces ("" when none). */
static char *found(pw_engine *e, const char *text, size_t len)
{
	pw_extraction *x;
	pw_error err;
	pw_status st = pw_extract(e, text, len, &x, &err);
	if (st)
		fail_msg("pw_extract: %s", err.message);
	fx_text t = {0};
	fx_put(&t, "%s", "");
	for (size_t i = 0; i < x->count; i++) {
		const pw_extract_hit *h = &x->hits[i];
		assert_true(h->start < h->end && h->end <= len);
		if (i)
			assert_true(x->hits[i - 1].end <= h->start);
		fx_put(&t, "%s%s@%zu-%zu", i ? " " : "", h->skill, h->start,
		       h->end);
	}
	pw_extraction_free(x);
	return t.text;
}

#define EXPECT_FOUND(e, text, want)                                            \
	do {                                                                   \
		char *got_ = found((e), (text), strlen(text));                 \
		if (strcmp(got_, (want)) != 0) {                               \
			print_error("text:  '%s'\nwant:  '%s'\ngot:   '%s'\n", \
			            (text), (want), got_);                     \
			free(got_);                                            \
			fail();                                                \
		}                                                              \
		free(got_);                                                    \
	} while (0)

/* ---- tokens ---- */

static char *token_list(const extractor *x, const char *text, bool pcre_only)
{
	size_t spans[128], n;
	int gaps[64];
	pw_error err;
	if (ext_tokens(x, text, strlen(text), pcre_only, spans, gaps, 64, &n,
	               &err))
		fail_msg("ext_tokens: %s", err.message);
	assert_true(n <= 64);
	fx_text t = {0};
	fx_put(&t, "%s", "");
	for (size_t i = 0; i < n; i++)
		fx_put(&t, "%s%s%.*s", i ? " " : "",
		       gaps[i] == 2   ? "!"
		       : gaps[i] == 1 ? "|"
		                      : "",
		       (int)(spans[2 * i + 1] - spans[2 * i]),
		       text + spans[2 * i]);
	return t.text;
}

static void tokens(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"Full-stack dev", "Full stack dev"},
	    {"C++, C# and F#.", "C++ |C# and F#"},
	    {"C+++ a+b x++y", "C a b x y"},
	    {"ASP.NET and .NET, Node.js 3.5", "ASP.NET and .NET |Node.js 3.5"},
	    {"...Java e.g. Go", "|Java e.g |Go"},
	    {"data. Analysis", "data |Analysis"},
	    {"machine\x01learning", "machine !learning"},
	    {"Ärztliche Versorgung — ÉCOLE", "Ärztliche Versorgung ÉCOLE"},
	    {"naïve café’s …end", "naïve café s |end"},
	    {"e\xcc\x81t\xc3\xa9 snake_case", "e\xcc\x81t\xc3\xa9 snake_case"},
	    {"", ""},
	    {" \t\n ", ""},
	};
	pw_engine *e = fx_open();
	extractor *x;
	pw_error err;
	assert_int_equal(extractor_build(e, &x, &err), PW_OK);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (int slow = 0; slow < 2; slow++) {
			char *got = token_list(x, cases[i].text, slow);
			if (strcmp(got, cases[i].want) != 0) {
				print_error("%s: '%s'\nwant '%s'\ngot  '%s'\n",
				            slow ? "pcre2" : "scanner",
				            cases[i].text, cases[i].want, got);
				free(got);
				fail();
			}
			free(got);
		}
	}
	extractor_free(x);
	pw_close(e);
}

/* The ASCII scanner and PCRE2 alone split random text alike. */
static void scanner_agrees_with_pcre2(void **state)
{
	(void)state;
	static const char *const bits[] = {
	    "a", "Z", "9",  "_",    ".",  "+", "#",        "-",
	    " ", ",", "\n", "\x01", "é",  "É", "\xcc\x81", "—",
	    "…", "’", "ß",  "Σ",    "中", "/", "(",        "++"};
	pw_engine *e = fx_open();
	extractor *x;
	pw_error err;
	assert_int_equal(extractor_build(e, &x, &err), PW_OK);
	fx_rng r = {42};
	for (int iter = 0; iter < 3000; iter++) {
		fx_text t = {0};
		fx_put(&t, "%s", "");
		unsigned n = fx_rand(&r, 24);
		for (unsigned i = 0; i < n; i++)
			fx_put(&t, "%s", bits[fx_rand(&r, 24)]);
		char *a = token_list(x, t.text, false);
		char *b = token_list(x, t.text, true);
		if (strcmp(a, b) != 0) {
			print_error("text '%s'\nscanner '%s'\npcre2   '%s'\n",
			            t.text, a, b);
			fail();
		}
		free(a);
		free(b);
		fx_text_free(&t);
	}
	extractor_free(x);
	pw_close(e);
}

/* ---- matching ---- */

static void caseless_unicode(void **state)
{
	(void)state;
	pw_engine *e = with_skills(
	    "{'skills': [{'id': 'arzt', 'name': 'Ärztliche Versorgung'},"
	    " {'id': 'ecole', 'name': 'école'},"
	    " {'id': 'sigma', 'name': 'ΟΔΟΣ'},"
	    " {'id': 'ru', 'name': 'Программирование'}]}");
	EXPECT_FOUND(e, "ÄRZTLICHE versorgung", "arzt@0-21");
	EXPECT_FOUND(e, "ärztliche VERSORGUNG!", "arzt@0-21");
	EXPECT_FOUND(e, "ÉCOLE, École, école",
	             "ecole@0-6 ecole@8-14 ecole@16-22");
	/* final sigma reads as sigma */
	EXPECT_FOUND(e, "οδος and ΟΔΟΣ", "sigma@0-8 sigma@13-21");
	EXPECT_FOUND(e, "ПРОГРАММИРОВАНИЕ", "ru@0-32");
	/* an accent is not optional */
	EXPECT_FOUND(e, "ecole", "");
	pw_close(e);
	/* folding may shrink a token: KELVIN SIGN (3 bytes) lowers to 'k',
	 * so the raw token is longer than any in the dictionary */
	e = with_skills("{'skills': [{'id': 'kit', 'name': 'kit'}]}");
	EXPECT_FOUND(e, "\xe2\x84\xaaIT and kit", "kit@0-5 kit@10-13");
	pw_close(e);
}

static void word_bounds(void **state)
{
	(void)state;
	pw_engine *e = with_skills(
	    "{'skills': [{'id': 'java', 'name': 'Java'},"
	    " {'id': 'fs', 'name': 'full-stack development'},"
	    " {'id': 'cpp', 'name': 'C++'}, {'id': 'c', 'name': 'C'},"
	    " {'id': 'net', 'name': '.NET'}, {'id': 'node', 'name': "
	    "'Node.js'}]}");
	EXPECT_FOUND(e, "JavaScript and Javas", "");
	EXPECT_FOUND(e, "Java-based, (java)", "java@0-4 java@13-17");
	EXPECT_FOUND(e, "Full Stack Development", "fs@0-22");
	EXPECT_FOUND(e, "full-stack-development", "fs@0-22");
	EXPECT_FOUND(e, "C, C++ and C#", "c@0-1 cpp@3-6");
	EXPECT_FOUND(e, "in .NET and Node.js; not Node", "net@3-7 node@12-19");
	EXPECT_FOUND(e, "ASP.NET", "");
	pw_close(e);
}

static void longest_first(void **state)
{
	(void)state;
	pw_engine *e = with_skills(
	    "{'skills': [{'id': 'm', 'name': 'machine'},"
	    " {'id': 'l', 'name': 'learning'},"
	    " {'id': 'ml', 'name': 'machine learning'},"
	    " {'id': 'mle', 'name': 'machine learning engineering'}]}");
	EXPECT_FOUND(e, "machine learning", "ml@0-16");
	EXPECT_FOUND(e, "Machine Learning Engineering", "mle@0-28");
	EXPECT_FOUND(e, "machine learning engineer", "ml@0-16");
	EXPECT_FOUND(e, "machine, learning", "m@0-7 l@9-17");
	pw_close(e);
}

static void no_overlaps(void **state)
{
	(void)state;
	/* "b c d" wins over the shorter "a b"; "a" still fits before it */
	pw_engine *e = with_skills("{'skills': [{'id': 'a', 'name': 'alpha'},"
	                           " {'id': 'ab', 'name': 'alpha beta'},"
	                           " {'id': 'bcd', 'name': 'beta gamma delta'},"
	                           " {'id': 'de', 'name': 'delta epsilon'},"
	                           " {'id': 'x', 'name': 'xi omicron'}, {'id': "
	                           "'y', 'name': 'omicron pi'}]}");
	EXPECT_FOUND(e, "alpha beta gamma delta epsilon", "a@0-5 bcd@6-22");
	/* equal lengths: the earlier start */
	EXPECT_FOUND(e, "xi omicron pi", "x@0-10");
	pw_close(e);
}

static void aliases_and_ties(void **state)
{
	(void)state;
	pw_engine *e = with_skills(
	    "{'skills': [{'id': 'weld', 'name': 'Welding', 'aliases': ['MIG',"
	    "   'arc welding']},"
	    " {'id': 'b-ops', 'name': 'Operations', 'aliases': ['ops']},"
	    " {'id': 'a-ops', 'name': 'Ops team', 'aliases': ['ops']},"
	    " {'id': 'z-arc', 'name': 'Arc welding'}]}");
	EXPECT_FOUND(e, "MIG and arc welding", "weld@0-3 z-arc@8-19");
	/* one term, two aliases: the smallest id */
	EXPECT_FOUND(e, "ops", "a-ops@0-3");
	EXPECT_FOUND(e, "operations", "b-ops@0-10");
	pw_close(e);
}

static void patterns(void **state)
{
	(void)state;
	pw_engine *e = with_skills(
	    "{'skills': [{'id': 'ekg', 'name': 'Electrocardiography',"
	    "   'pattern': '(EKG|ECG)s?'},"
	    " {'id': 'office', 'name': 'Office suites',"
	    "   'pattern': '(MS|Microsoft) ?(Office|365)'},"
	    " {'id': 'ms', 'name': 'Microsoft'},"
	    " {'id': 'word', 'name': 'Microsoft Office Word'},"
	    " {'id': 'rust', 'name': 'Rust language', 'pattern': '(*UTF)rust'},"
	    " {'id': 'kt', 'name': 'Kotlin language',"
	    "   'pattern': '(?x) kotlin # the language'},"
	    " {'id': 'k-bound', 'name': 'Bound', 'pattern': 'a\\\\Kbc'}]}");
	EXPECT_FOUND(e, "ekgs, ECG; xEKG EKGx", "ekg@0-4 ekg@6-9");
	/* the pattern's match is longer than the name "Microsoft" */
	EXPECT_FOUND(e, "microsoft office", "office@0-16");
	/* and a longer dictionary term beats the pattern */
	EXPECT_FOUND(e, "Microsoft Office Word", "word@0-21");
	EXPECT_FOUND(e, "MS365 and Microsoft", "office@0-5 ms@10-19");
	/* patterns that only compile alone, checked for bounds afterwards */
	EXPECT_FOUND(e, "Rust, rusty, RUST", "rust@0-4 rust@13-17");
	EXPECT_FOUND(e, "Kotlin kotlinx", "kt@0-6");
	/* \K leaves a start inside a word: not a hit */
	EXPECT_FOUND(e, "abc", "");
	pw_close(e);
}

static void multibyte_offsets(void **state)
{
	(void)state;
	pw_engine *e = with_skills(
	    "{'skills': [{'id': 'java', 'name': 'Java'},"
	    " {'id': 'cafe', 'name': 'café management', 'pattern': 'naïve'}]}");
	const char *text = "Über Java — Café  Management, naïve";
	pw_extraction *x;
	pw_error err;
	assert_int_equal(pw_extract(e, text, strlen(text), &x, &err), PW_OK);
	assert_int_equal(x->count, 3);
	assert_int_equal(x->hits[0].start, 6);
	assert_int_equal(x->hits[0].end, 10);
	assert_int_equal(x->hits[1].start, 15);
	assert_int_equal(x->hits[1].end, 32);
	assert_int_equal(x->hits[2].start, 34);
	assert_int_equal(x->hits[2].end, 40);
	assert_string_equal(x->hits[1].skill, "cafe");
	assert_string_equal(x->hits[1].name, "café management");
	char *json = pw_extraction_json(x, 0);
	assert_string_equal(
	    json,
	    "{\"skills\":[{\"skill\":\"java\",\"name\":\"Java\",\"start\":6,"
	    "\"end\":10,\"text\":\"Java\"},{\"skill\":\"cafe\",\"name\":"
	    "\"café management\",\"start\":15,\"end\":32,\"text\":\"Café  "
	    "Management\"},{\"skill\":\"cafe\",\"name\":\"café management\","
	    "\"start\":34,\"end\":40,\"text\":\"naïve\"}]}");
	pw_free(json);
	pw_extraction_free(x);
	pw_close(e);
}

static void hard_gaps_and_stops(void **state)
{
	(void)state;
	pw_engine *e = with_skills(
	    "{'skills': [{'id': 'da', 'name': 'data analysis'},"
	    " {'id': 'java', 'name': 'Java (computer programming)'},"
	    " {'id': 'ml', 'name': 'machine learning'}]}");
	EXPECT_FOUND(e, "data. Analysis; data, analysis", "");
	EXPECT_FOUND(e, "data\n analysis", "da@0-14");
	EXPECT_FOUND(e, "JAVA (Computer Programming).", "java@0-26");
	EXPECT_FOUND(e, "Java computer programming", "");
	const char nul[] = "machine\0learning machine learning";
	char *got = found(e, nul, sizeof nul - 1);
	assert_string_equal(got, "ml@17-33");
	free(got);
	pw_close(e);
}

static void empty_and_nothing(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	/* a store with no skills finds nothing and still checks the text */
	EXPECT_FOUND(e, "Java and welding", "");
	pw_extraction *x;
	pw_error err;
	assert_int_equal(pw_extract(e, "\xc3", 1, &x, &err), PW_ERR_INVALID);
	pw_close(e);
	e = with_skills("{'skills': [{'id': 'java', 'name': 'Java'}]}");
	EXPECT_FOUND(e, "", "");
	assert_int_equal(pw_extract(e, NULL, 0, &x, &err), PW_OK);
	assert_int_equal(x->count, 0);
	char *json = pw_extraction_json(x, 0);
	assert_string_equal(json, "{\"skills\":[]}");
	pw_free(json);
	pw_extraction_free(x);
	pw_close(e);
}

static void invalid_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t len, at;
	} cases[] = {
	    {"Java \xff", 6, 5},
	    {"ab\xc0\xaf", 4, 2},          /* overlong */
	    {"\xed\xa0\x80 x", 5, 0},      /* a surrogate */
	    {"ok \xf4\x90\x80\x80", 7, 3}, /* past U+10FFFF */
	    {"tail \xe2\x82", 7, 5},       /* truncated */
	    {"x\x80", 2, 1},               /* a lone continuation byte */
	};
	pw_engine *e =
	    with_skills("{'skills': [{'id': 'java', 'name': 'Java'}]}");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pw_extraction *x = NULL;
		pw_error err;
		char want[64];
		assert_int_equal(
		    pw_extract(e, cases[i].text, cases[i].len, &x, &err),
		    PW_ERR_INVALID);
		assert_null(x);
		snprintf(want, sizeof want, "byte offset %zu", cases[i].at);
		if (!strstr(err.message, want) ||
		    !strstr(err.message, "not valid UTF-8"))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.message,
			         want);
	}
	pw_close(e);
}

/* The extractor follows the store: a new skill is found at once. */
static void follows_the_store(void **state)
{
	(void)state;
	pw_engine *e =
	    with_skills("{'skills': [{'id': 'java', 'name': 'Java'}]}");
	EXPECT_FOUND(e, "Java and Rust", "java@0-4");
	char *doc = fx_dq("{'skills': [{'id': 'rust', 'name': 'Rust'}]}");
	fx_load_ok(e, doc);
	free(doc);
	EXPECT_FOUND(e, "Java and Rust", "java@0-4 rust@9-13");
	pw_close(e);
}

/* Sibling handles (a server's threads) share one cached extractor, and a
 * write through one is seen by the other. */
static void siblings_share(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_extract.XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	pw_engine *e, *s;
	pw_error err;
	assert_int_equal(pw_open(path, PW_OPEN_CREATE, &e, &err), PW_OK);
	char *doc = fx_dq("{'skills': [{'id': 'java', 'name': 'Java'}]}");
	fx_load_ok(e, doc);
	free(doc);
	assert_int_equal(pw_open_sibling(e, &s, &err), PW_OK);
	EXPECT_FOUND(e, "Java and Rust", "java@0-4");
	EXPECT_FOUND(s, "Java and Rust", "java@0-4");
	doc = fx_dq("{'skills': [{'id': 'rust', 'name': 'Rust'}]}");
	fx_load_ok(s, doc);
	free(doc);
	EXPECT_FOUND(e, "Java and Rust", "java@0-4 rust@9-13");
	pw_close(s);
	EXPECT_FOUND(e, "Rust", "rust@0-4");
	pw_close(e);
	static const char *const left[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof left / sizeof left[0]; i++) {
		char p[80];
		snprintf(p, sizeof p, "%s%s", path, left[i]);
		unlink(p);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* One ext_hits reused over many texts, as the importer does. */
static void internal_api(void **state)
{
	(void)state;
	pw_engine *e = with_skills(
	    "{'skills': [{'id': 'java', 'name': 'Java', 'aliases': ['J2EE']},"
	    " {'id': 'ekg', 'name': 'EKG reading', 'pattern': 'EKGs?'}]}");
	extractor *x;
	ext_hits h;
	pw_error err;
	assert_int_equal(extractor_build(e, &x, &err), PW_OK);
	assert_int_equal(extractor_skills(x), 2);
	assert_int_equal(extractor_terms(x), 3);
	assert_int_equal(extractor_patterns(x), 1);
	ext_hits_init(&h);
	assert_int_equal(extractor_run(x, "J2EE and EKGs", 13, &h, &err),
	                 PW_OK);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.v[0].id, "java");
	assert_int_equal(h.v[0].kind, EXT_ALIAS);
	assert_string_equal(h.v[1].name, "EKG reading");
	assert_int_equal(h.v[1].kind, EXT_PATTERN);
	assert_int_equal(extractor_run(x, "nothing", 7, &h, &err), PW_OK);
	assert_int_equal(h.n, 0);
	assert_int_equal(extractor_run(x, "bad \xff", 5, &h, &err),
	                 PW_ERR_INVALID);
	assert_int_equal(h.n, 0);
	assert_int_equal(extractor_run(x, "java", 4, &h, &err), PW_OK);
	assert_int_equal(h.n, 1);
	ext_hits_release(&h);
	extractor_free(x);
	pw_close(e);
}

/* A pattern that backtracks without end is stopped by the match limit and
 * named, not left to hang the server. */
static void match_limit(void **state)
{
	(void)state;
	pw_engine *e = with_skills("{'skills': [{'id': 'slow', 'name': 'Slow',"
	                           "   'pattern': '(a|aa)+(b|c)'}]}");
	fx_text t = {0};
	for (int i = 0; i < 4000; i++)
		fx_put(&t, "a");
	pw_extraction *x = NULL;
	pw_error err;
	pw_status st = pw_extract(e, t.text, t.len, &x, &err);
	print_message("match limit: %s\n", st ? err.message : "no hit");
	if (st == PW_OK) {
		/* the JIT may well finish within the limit: then no hit */
		assert_int_equal(x->count, 0);
		pw_extraction_free(x);
	} else {
		assert_int_equal(st, PW_ERR_INVALID);
		assert_non_null(strstr(err.message, "skill 'slow'"));
	}
	fx_text_free(&t);
	pw_close(e);
}

/* ---- property test against a brute-force reference ---- */

/* Tokens of the random vocabulary, in the forms the text may use; the
 * normal form is at index 0 of each row. */
static const char *const words[][3] = {
    {"ab", "Ab", "AB"},    {"ba", "BA", "bA"}, {"c", "C", "c"},
    {"é", "É", "é"},       {"éa", "ÉA", "Éa"}, {"x1", "X1", "x1"},
    {"c++", "C++", "c++"}, {"c#", "C#", "c#"}, {".net", ".NET", ".Net"},
};
#define NWORDS 9
static const char *const soft_gaps[] = {" ", "  ", "-", " / ", "\n", "–"};
static const char *const hard_gaps[] = {", ", ". ", " (", "; "};

typedef struct term {
	int n;
	int w[3];
	bool hard[2]; /* the gap after token i */
} term;

typedef struct rskill {
	char id[8];
	term t[3]; /* name, then aliases */
	int nt;
} rskill;

typedef struct rhit {
	size_t start, end;
	int skill, kind;
} rhit;

static void render_term(fx_rng *r, const term *t, fx_text *out)
{
	for (int i = 0; i < t->n; i++) {
		if (i)
			fx_put(out, "%s",
			       t->hard[i - 1] ? hard_gaps[fx_rand(r, 4)]
			                      : soft_gaps[fx_rand(r, 6)]);
		fx_put(out, "%s", words[t->w[i]][fx_rand(r, 3)]);
	}
}

static bool same_term(const term *a, const term *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (a->w[i] != b->w[i] ||
		    (i + 1 < a->n && a->hard[i] != b->hard[i]))
			return false;
	return true;
}

static int cmp_rhit(const void *pa, const void *pb)
{
	const rhit *a = pa, *b = pb;
	size_t la = a->end - a->start, lb = b->end - b->start;
	if (la != lb)
		return la > lb ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	return a->skill - b->skill;
}

static void property_vs_brute_force(void **state)
{
	(void)state;
	fx_rng r = {7};
	for (int iter = 0; iter < 400; iter++) {
		/* the vocabulary */
		rskill sk[6];
		int nsk = 1 + (int)fx_rand(&r, 6);
		fx_text doc = {0};
		fx_put(&doc, "{\"skills\": [");
		for (int s = 0; s < nsk; s++) {
			snprintf(sk[s].id, sizeof sk[s].id, "s%d", s);
			sk[s].nt = 1 + (int)fx_rand(&r, 3);
			for (int k = 0; k < sk[s].nt; k++) {
				term *t = &sk[s].t[k];
				t->n = 1 + (int)fx_rand(&r, 3);
				for (int i = 0; i < t->n; i++) {
					t->w[i] = (int)fx_rand(&r, NWORDS);
					t->hard[i] =
					    i < 2 && fx_rand(&r, 5) == 0;
				}
				for (int j = 0; j < k; j++)
					if (same_term(t, &sk[s].t[j]))
						t->n = 0; /* a duplicate:
						             dropped */
			}
			fx_put(&doc, "%s{\"id\": \"%s\", \"name\": \"",
			       s ? ", " : "", sk[s].id);
			render_term(&r, &sk[s].t[0], &doc);
			fx_put(&doc, "\", \"aliases\": [");
			bool first = true;
			for (int k = 1; k < sk[s].nt; k++) {
				if (!sk[s].t[k].n)
					continue;
				fx_put(&doc, "%s\"", first ? "" : ", ");
				render_term(&r, &sk[s].t[k], &doc);
				fx_put(&doc, "\"");
				first = false;
			}
			fx_put(&doc, "]}");
		}
		fx_put(&doc, "]}");
		char *esc = doc.text; /* newlines must be escaped in JSON */
		fx_text d2 = {0};
		for (char *p = esc; *p; p++)
			fx_put(&d2, p[0] == '\n' ? "\\n" : "%c", *p);
		pw_engine *e = fx_open();
		fx_load_ok(e, d2.text);
		fx_text_free(&doc);
		fx_text_free(&d2);

		/* the text, with its tokens known by construction */
		int ntok = (int)fx_rand(&r, 14);
		int tw[16];
		bool th[16];
		size_t ts[16], te[16];
		fx_text text = {0};
		fx_put(&text, "%s", fx_rand(&r, 2) ? "" : " ");
		for (int i = 0; i < ntok; i++) {
			if (i) {
				th[i - 1] = fx_rand(&r, 5) == 0;
				fx_put(&text, "%s",
				       th[i - 1] ? hard_gaps[fx_rand(&r, 4)]
				                 : soft_gaps[fx_rand(&r, 6)]);
			}
			tw[i] = (int)fx_rand(&r, NWORDS);
			ts[i] = text.len;
			fx_put(&text, "%s", words[tw[i]][fx_rand(&r, 3)]);
			te[i] = text.len;
		}

		/* every occurrence of every term, then longest first */
		rhit cand[512];
		int nc = 0;
		for (int s = 0; s < nsk; s++)
			for (int k = 0; k < sk[s].nt; k++) {
				const term *t = &sk[s].t[k];
				for (int i = 0; t->n && i + t->n <= ntok; i++) {
					bool ok = true;
					for (int j = 0; j < t->n && ok; j++)
						ok = tw[i + j] == t->w[j] &&
						     (j + 1 == t->n ||
						      th[i + j] == t->hard[j]);
					if (ok && nc < 512)
						cand[nc++] = (rhit){
						    ts[i], te[i + t->n - 1], s,
						    k ? 1 : 0};
				}
			}
		qsort(cand, (size_t)nc, sizeof *cand, cmp_rhit);
		rhit chosen[512];
		int nch = 0;
		for (int i = 0; i < nc; i++) {
			bool free_ = true;
			for (int j = 0; j < nch && free_; j++)
				free_ = cand[i].end <= chosen[j].start ||
				        chosen[j].end <= cand[i].start;
			if (free_)
				chosen[nch++] = cand[i];
		}
		fx_text want = {0};
		fx_put(&want, "%s", "");
		for (size_t pos = 0, n = 0; n < (size_t)nch; pos++)
			for (int j = 0; j < nch; j++)
				if (chosen[j].start == pos)
					fx_put(&want, "%ss%d@%zu-%zu",
					       n++ ? " " : "", chosen[j].skill,
					       chosen[j].start, chosen[j].end);
		char *got = found(e, text.text, text.len);
		if (strcmp(got, want.text) != 0) {
			print_error(
			    "iteration %d\ntext '%s'\nwant '%s'\ngot  '%s'\n",
			    iter, text.text, want.text, got);
			fail();
		}
		free(got);
		fx_text_free(&want);
		fx_text_free(&text);
		pw_close(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(tokens),
	    cmocka_unit_test(scanner_agrees_with_pcre2),
	    cmocka_unit_test(caseless_unicode),
	    cmocka_unit_test(word_bounds),
	    cmocka_unit_test(longest_first),
	    cmocka_unit_test(no_overlaps),
	    cmocka_unit_test(aliases_and_ties),
	    cmocka_unit_test(patterns),
	    cmocka_unit_test(multibyte_offsets),
	    cmocka_unit_test(hard_gaps_and_stops),
	    cmocka_unit_test(empty_and_nothing),
	    cmocka_unit_test(invalid_utf8),
	    cmocka_unit_test(follows_the_store),
	    cmocka_unit_test(siblings_share),
	    cmocka_unit_test(internal_api),
	    cmocka_unit_test(match_limit),
	    cmocka_unit_test(property_vs_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
