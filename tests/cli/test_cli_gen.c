/* test_cli_gen.c - `pathway gen` end to end, at reduced sizes through the
 * count overrides: the files load; the structure is what the generator
 * promises (Zipf popularity, a taxonomy 3-4 deep, acyclic prerequisites and
 * stacks, the ranges of counts, hours, costs and dates); one seed gives
 * identical bytes and another seed other bytes; stale learner files go;
 * --as-of moves the dates; bad arguments exit 2 and unwritable output 1;
 * the Census gazetteer (when present) spreads places over its counties. */
#include "fixture.h"
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF "2026-11-23"

static const char *const kinds[] = {"skills.json", "credentials.json",
                                    "occupations.json", "jobs.json", NULL};

static json_t *load_json(const sandbox *t, const char *dir, const char *name)
{
	char rel[512], path[SB_PATH_CAP];
	json_error_t e;
	snprintf(rel, sizeof rel, "%s/%s", dir, name);
	json_t *j = json_load_file(sb_path(t, rel, path, sizeof path), 0, &e);
	if (!j)
		print_error("%s: line %d: %s\n", path, e.line, e.text);
	assert_non_null(j);
	return j;
}

/* The array `key` of DIR/NAME, parsed; *doc is to be decref'd. */
static json_t *array_of(const sandbox *t, const char *dir, const char *name,
                        const char *key, json_t **doc)
{
	*doc = load_json(t, dir, name);
	json_t *a = json_object_get(*doc, key);
	assert_true(json_is_array(a));
	return a;
}

static const char *str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	assert_non_null(s);
	return s;
}

static bool soc_shaped(const char *s)
{
	static const char shape[] = "NN-NNNN.NN";
	if (strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'N' ? !(s[i] >= '0' && s[i] <= '9')
		                    : s[i] != shape[i])
			return false;
	return true;
}

static void check_location(const json_t *loc)
{
	assert_true(json_is_object(loc));
	double lat = json_number_value(json_object_get(loc, "lat"));
	double lon = json_number_value(json_object_get(loc, "lon"));
	assert_true(lat >= -90 && lat <= 90 && lat != 0);
	assert_true(lon >= -180 && lon <= 180 && lon != 0);
	const char *county = str_of(loc, "county");
	assert_int_equal(strlen(county), 5);
	assert_int_equal(strlen(str_of(loc, "state")), 2);
}

static void gen_ok(sandbox *t, const char *const *args)
{
	sb_run(t, NULL, NULL, args);
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_count_lines(t->out) == 1);
	EXPECT(t, strncmp(t->out, "generated ", 10) == 0);
	EXPECT(t, t->err[0] == '\0');
}

/* Byte-for-byte equality of DIR1/NAME and DIR2/NAME. */
static bool same_file(const sandbox *t, const char *d1, const char *d2,
                      const char *name)
{
	char r1[512], r2[512], p1[SB_PATH_CAP], p2[SB_PATH_CAP];
	size_t n1, n2;
	snprintf(r1, sizeof r1, "%s/%s", d1, name);
	snprintf(r2, sizeof r2, "%s/%s", d2, name);
	char *a = fx_read_file(sb_path(t, r1, p1, sizeof p1), &n1);
	char *b = fx_read_file(sb_path(t, r2, p2, sizeof p2), &n2);
	assert_non_null(a);
	assert_non_null(b);
	bool same = n1 == n2 && memcmp(a, b, n1) == 0;
	free(a);
	free(b);
	return same;
}

/* ---- the files load ---- */

static void writes_loadable_dataset(void **state)
{
	sandbox *t = *state;
	gen_ok(t,
	       ARGS("gen", "--skills", "300", "--credentials", "150",
	            "--occupations", "40", "--jobs", "150", "--learners", "500",
	            "--learners-per-file", "200", "--seed", "7", "--out", "d"));
	EXPECT(t, sb_has(t->out, "generated 300 skills, 150 credentials, 40 "
	                         "occupations, 150 jobs, 500 learners"));
	EXPECT(t, sb_has(t->out, "into 'd': 7 JSON files"));
	for (int k = 0; kinds[k]; k++) {
		char rel[64];
		snprintf(rel, sizeof rel, "d/%s", kinds[k]);
		EXPECT(t, sb_exists(t, rel));
	}
	EXPECT(t, sb_exists(t, "d/learners-000.json"));
	EXPECT(t, sb_exists(t, "d/learners-002.json"));
	EXPECT(t, !sb_exists(t, "d/learners-003.json"));
	EXPECT(t, sb_exists(t, "d/README.txt"));

	RUN(t, "--db", "t.db", "load", "d/skills.json", "d/credentials.json",
	    "d/occupations.json", "d/jobs.json", "d/learners-000.json",
	    "d/learners-001.json", "d/learners-002.json");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "loaded 300 skills, 150 credentials, 40 "
	                         "occupations, 150 jobs, 500 learners"));
	/* and the engine answers on it */
	RUN(t, "--db", "t.db", "--json", "match", "l-0000001", "--anywhere");
	EXPECT_EXIT(t, 0);
	json_t *m = PARSE_OUT(t);
	EXPECT(t, json_array_size(json_object_get(m, "results")) > 0);
	json_decref(m);
	RUN(t, "--db", "t.db", "--json", "candidates", "j-000001");
	EXPECT_EXIT(t, 0);

	char path[SB_PATH_CAP];
	char *readme =
	    fx_read_file(sb_path(t, "d/README.txt", path, sizeof path), NULL);
	assert_non_null(readme);
	assert_true(sb_has(readme, "seed         7\n"));
	assert_true(sb_has(readme, "reference    " REF));
	assert_true(sb_has(readme, "overrides    --skills 300"));
	assert_true(sb_has(readme, "learners            500"));
	free(readme);
}

/* ---- structure ---- */

/* Longest chain of `broader` from skill i, in skills; -1 on a cycle. */
static int depth_of(json_t *skills, json_t *index, int *memo, size_t i)
{
	if (memo[i] == -2)
		return -1; /* on the path: a cycle */
	if (memo[i] >= 0)
		return memo[i];
	memo[i] = -2;
	int best = 0;
	json_t *b = json_object_get(json_array_get(skills, i), "broader");
	for (size_t k = 0; k < json_array_size(b); k++) {
		json_t *at = json_object_get(
		    index, json_string_value(json_array_get(b, k)));
		assert_non_null(at);
		size_t p = (size_t)json_integer_value(at);
		int d = depth_of(skills, index, memo, p);
		if (d < 0)
			return -1;
		best = d > best ? d : best;
	}
	memo[i] = best + 1;
	return memo[i];
}

static int cmp_desc(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

static void count_skill(json_t *index, size_t *uses, const json_t *o)
{
	json_t *at = json_object_get(index, str_of(o, "skill"));
	assert_non_null(at);
	uses[json_integer_value(at)]++;
}

static void structure(void **state)
{
	sandbox *t = *state;
	gen_ok(t, ARGS("gen", "--skills", "1000", "--credentials", "500",
	               "--occupations", "100", "--jobs", "800", "--learners",
	               "1500", "--seed", "11", "--out", "s"));
	json_t *sd, *cd, *od, *jd, *ld;
	json_t *skills = array_of(t, "s", "skills.json", "skills", &sd);
	json_t *creds =
	    array_of(t, "s", "credentials.json", "credentials", &cd);
	json_t *occs = array_of(t, "s", "occupations.json", "occupations", &od);
	json_t *jobs = array_of(t, "s", "jobs.json", "jobs", &jd);
	json_t *learners =
	    array_of(t, "s", "learners-000.json", "learners", &ld);
	assert_int_equal(json_array_size(skills), 1000);
	assert_int_equal(json_array_size(creds), 500);
	assert_int_equal(json_array_size(occs), 100);
	assert_int_equal(json_array_size(jobs), 800);
	assert_int_equal(json_array_size(learners), 1500);

	/* taxonomy: acyclic, three to four deep, some related edges */
	json_t *sidx = json_object();
	size_t n = json_array_size(skills), nrelated = 0, nmulti = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(skills, i);
		assert_int_equal(json_object_size(sidx), i);
		json_object_set_new(sidx, str_of(s, "id"),
		                    json_integer((json_int_t)i));
		json_t *rel = json_object_get(s, "related");
		for (size_t k = 0; k < json_array_size(rel); k++) {
			double w = json_number_value(
			    json_object_get(json_array_get(rel, k), "weight"));
			assert_true(w > 0 && w <= 1);
			nrelated++;
		}
		nmulti += json_array_size(json_object_get(s, "broader")) > 1;
	}
	assert_int_equal(json_object_size(sidx), n); /* ids unique */
	int *memo = malloc(n * sizeof *memo);
	assert_non_null(memo);
	for (size_t i = 0; i < n; i++)
		memo[i] = -1;
	int maxd = 0;
	size_t at_depth[6] = {0};
	for (size_t i = 0; i < n; i++) {
		int d = depth_of(skills, sidx, memo, i);
		assert_true(d >= 1);
		maxd = d > maxd ? d : maxd;
		at_depth[d < 5 ? d : 5]++;
	}
	free(memo);
	assert_true(maxd >= 3 && maxd <= 4);
	assert_true(at_depth[3] > 0 && at_depth[4] > 0);
	assert_true(nrelated > 10);
	assert_true(nmulti > 10);

	/* credentials: 2-8 skills at levels 1-4; prerequisites and components
	 * point to earlier credentials only, hence no cycle */
	json_t *cidx = json_object();
	size_t *uses = calloc(n, sizeof *uses);
	assert_non_null(uses);
	size_t nstack = 0, nprereq = 0, nexp = 0, nfree = 0;
	for (size_t i = 0; i < json_array_size(creds); i++) {
		json_t *c = json_array_get(creds, i);
		json_t *sk = json_object_get(c, "skills");
		assert_true(json_array_size(sk) >= 2 &&
		            json_array_size(sk) <= 8);
		for (size_t k = 0; k < json_array_size(sk); k++) {
			json_t *e = json_array_get(sk, k);
			json_int_t lv =
			    json_integer_value(json_object_get(e, "level"));
			assert_true(lv >= 1 && lv <= 4);
			count_skill(sidx, uses, e);
		}
		static const char *const links[] = {"prerequisites",
		                                    "components"};
		for (int l = 0; l < 2; l++) {
			json_t *a = json_object_get(c, links[l]);
			for (size_t k = 0; k < json_array_size(a); k++) {
				json_t *at = json_object_get(
				    cidx,
				    json_string_value(json_array_get(a, k)));
				assert_non_null(at); /* an earlier one */
			}
		}
		bool stacked = json_object_get(c, "components") != NULL;
		nstack += stacked;
		nprereq += json_object_get(c, "prerequisites") != NULL;
		nexp += json_object_get(c, "expires_months") != NULL;
		json_t *h = json_object_get(c, "hours"),
		       *cost = json_object_get(c, "cost");
		if (h && !stacked) {
			assert_true(json_integer_value(h) >= 8 &&
			            json_integer_value(h) <= 400);
			assert_true(json_integer_value(cost) >= 0 &&
			            json_integer_value(cost) <= 3000);
			nfree += json_integer_value(cost) == 0;
		}
		const char *mod = str_of(c, "modality");
		if (strcmp(mod, "online") == 0)
			assert_null(json_object_get(c, "location"));
		else
			check_location(json_object_get(c, "location"));
		json_object_set_new(cidx, str_of(c, "id"),
		                    json_integer((json_int_t)i));
	}
	assert_true(nstack >= 3 && nstack <= 50);
	assert_true(nprereq >= 30);
	assert_true(nexp >= 20);
	assert_true(nfree >= 20);

	/* occupations: O*NET-SOC shaped ids */
	for (size_t i = 0; i < json_array_size(occs); i++) {
		json_t *o = json_array_get(occs, i);
		assert_true(soc_shaped(str_of(o, "id")));
		assert_true(
		    json_array_size(json_object_get(o, "requirements")) >= 8);
	}

	/* jobs: 8-25 requirements, ids not SOC shaped, some of everything */
	size_t nremote = 0, nany = 0, npref = 0, nreq = 0, ncredreq = 0;
	for (size_t i = 0; i < json_array_size(jobs); i++) {
		json_t *j = json_array_get(jobs, i);
		assert_false(soc_shaped(str_of(j, "id")));
		json_t *rq = json_object_get(j, "requirements");
		assert_true(json_array_size(rq) >= 8 &&
		            json_array_size(rq) <= 25);
		for (size_t k = 0; k < json_array_size(rq); k++) {
			json_t *r = json_array_get(rq, k);
			json_int_t imp = json_integer_value(
			    json_object_get(r, "importance"));
			assert_true(imp >= 1 && imp <= 5);
			json_t *any = json_object_get(r, "any_of");
			if (any) {
				nany++;
				for (size_t a = 0; a < json_array_size(any);
				     a++)
					count_skill(sidx, uses,
					            json_array_get(any, a));
			} else
				count_skill(sidx, uses, r);
			npref += json_object_get(r, "required") != NULL;
			nreq++;
		}
		bool remote = json_is_true(json_object_get(j, "remote"));
		nremote += remote;
		if (!remote)
			check_location(json_object_get(j, "location"));
		ncredreq += json_object_get(j, "credentials_required") != NULL;
		assert_true(strcmp(str_of(j, "posted"), REF) <= 0);
	}
	assert_true(nremote > 5);
	assert_true(nany > 100);
	assert_true(npref > nreq / 5 && npref < nreq * 7 / 10);
	assert_true(ncredreq > 80);

	/* Zipf: the most used skill far above the median used one */
	qsort(uses, n, sizeof *uses, cmp_desc);
	size_t used = 0;
	while (used < n && uses[used])
		used++;
	assert_true(used > n / 2);
	print_message("skill uses: top %zu, median %zu of %zu used\n", uses[0],
	              uses[used / 2], used);
	assert_true(uses[0] >= 10 * uses[used / 2]);
	assert_true(uses[0] > uses[9] && uses[9] > uses[99]);
	free(uses);

	/* learners: 2-15 distinct credentials earned in the past */
	size_t ndisc = 0, nshare = 0, ndemo = 0, nexpires = 0;
	for (size_t i = 0; i < json_array_size(learners); i++) {
		json_t *l = json_array_get(learners, i);
		json_t *h = json_object_get(l, "credentials");
		assert_true(json_array_size(h) >= 2 &&
		            json_array_size(h) <= 15);
		json_t *seen = json_object();
		for (size_t k = 0; k < json_array_size(h); k++) {
			json_t *e = json_array_get(h, k);
			const char *id = str_of(e, "credential");
			assert_non_null(json_object_get(cidx, id));
			assert_null(json_object_get(seen, id));
			json_object_set_new(seen, id, json_true());
			const char *earned = str_of(e, "earned");
			assert_true(strcmp(earned, REF) <= 0);
			json_t *x = json_object_get(e, "expires");
			if (x) {
				assert_true(
				    strcmp(json_string_value(x), earned) > 0);
				nexpires++;
			}
		}
		json_decref(seen);
		bool disc = json_is_true(json_object_get(l, "discoverable"));
		bool share = json_is_true(json_object_get(l, "share_contact"));
		assert_true(disc || !share);
		ndisc += disc;
		nshare += share;
		ndemo += json_object_get(l, "demographics") != NULL;
		if (json_object_get(l, "home"))
			check_location(json_object_get(l, "home"));
	}
	assert_true(ndisc > 1500 * 35 / 100 && ndisc < 1500 * 65 / 100);
	assert_true(nshare > 0 && nshare < ndisc / 4);
	assert_true(ndemo > 1500 * 7 / 10);
	assert_true(nexpires > 0);

	json_decref(sidx);
	json_decref(cidx);
	json_decref(sd);
	json_decref(cd);
	json_decref(od);
	json_decref(jd);
	json_decref(ld);
}

/* ---- determinism ---- */

#define SMALL                                                                  \
	"--skills", "200", "--credentials", "80", "--occupations", "20",       \
	    "--learners", "300"

static void deterministic(void **state)
{
	sandbox *t = *state;
	gen_ok(t, ARGS("gen", SMALL, "--jobs", "100", "--seed", "3", "--out",
	               "a"));
	gen_ok(t, ARGS("gen", SMALL, "--jobs", "100", "--seed", "3", "--out",
	               "b"));
	gen_ok(t, ARGS("gen", SMALL, "--jobs", "100", "--seed", "4", "--out",
	               "c"));
	/* each part has its own random stream: more jobs change jobs only */
	gen_ok(t, ARGS("gen", SMALL, "--jobs", "150", "--seed", "3", "--out",
	               "e"));
	for (int k = 0; kinds[k]; k++) {
		assert_true(same_file(t, "a", "b", kinds[k]));
		assert_false(same_file(t, "a", "c", kinds[k]));
	}
	assert_true(same_file(t, "a", "b", "learners-000.json"));
	assert_true(same_file(t, "a", "b", "README.txt"));
	assert_false(same_file(t, "a", "c", "learners-000.json"));
	assert_true(same_file(t, "a", "e", "skills.json"));
	assert_true(same_file(t, "a", "e", "credentials.json"));
	assert_true(same_file(t, "a", "e", "occupations.json"));
	assert_true(same_file(t, "a", "e", "learners-000.json"));
	assert_false(same_file(t, "a", "e", "jobs.json"));
}

static void stale_learner_files_go(void **state)
{
	sandbox *t = *state;
	gen_ok(t, ARGS("gen", SMALL, "--jobs", "10", "--learners-per-file",
	               "100", "--out", "d"));
	EXPECT(t, sb_exists(t, "d/learners-002.json"));
	sb_write(t, "d/learners-x.json", "{}"); /* not ours: stays */
	gen_ok(t, ARGS("gen", SMALL, "--jobs", "10", "--learners", "150",
	               "--learners-per-file", "100", "--out", "d"));
	EXPECT(t, sb_exists(t, "d/learners-001.json"));
	EXPECT(t, !sb_exists(t, "d/learners-002.json"));
	EXPECT(t, sb_exists(t, "d/learners-x.json"));
	gen_ok(t, ARGS("gen", SMALL, "--jobs", "10", "--learners", "0", "--out",
	               "d"));
	EXPECT(t, sb_exists(t, "d/learners-000.json"));
	EXPECT(t, !sb_exists(t, "d/learners-001.json"));
	json_t *doc;
	json_t *l = array_of(t, "d", "learners-000.json", "learners", &doc);
	assert_int_equal(json_array_size(l), 0);
	json_decref(doc);
}

static void as_of_moves_dates(void **state)
{
	sandbox *t = *state;
	gen_ok(t, ARGS("--as-of", "2031-05-01", "gen", SMALL, "--jobs", "50",
	               "--out", "d"));
	json_t *jd, *ld;
	json_t *jobs = array_of(t, "d", "jobs.json", "jobs", &jd);
	json_t *learners =
	    array_of(t, "d", "learners-000.json", "learners", &ld);
	size_t late = 0;
	for (size_t i = 0; i < json_array_size(jobs); i++) {
		const char *p = str_of(json_array_get(jobs, i), "posted");
		assert_true(strcmp(p, "2031-05-01") <= 0);
		late += strcmp(p, "2031-01-01") >= 0;
	}
	assert_true(late > 25);
	json_t *h = json_object_get(json_array_get(learners, 0), "credentials");
	assert_true(
	    strcmp(str_of(json_array_get(h, 0), "earned"), "2031-05-01") <= 0);
	json_decref(jd);
	json_decref(ld);
}

/* ---- refusals ---- */

static void refusals(void **state)
{
	sandbox *t = *state;
	static const char *const bad[][4] = {
	    {"--scale", "big", NULL, NULL},
	    {"--seed", "-1", NULL, NULL},
	    {"--seed", "18446744073709551616", NULL, NULL},
	    {"--seed", "0x10", NULL, NULL},
	    {"--jobs", "many", NULL, NULL},
	    {"--jobs", "", NULL, NULL},
	    {"--skills", "5", NULL, NULL},
	    {"--credentials", "19", NULL, NULL},
	    {"--occupations", "0", NULL, NULL},
	    {"--occupations", "2001", NULL, NULL},
	    {"--learners-per-file", "0", NULL, NULL},
	    {"--counties", "", NULL, NULL},
	    {"--frobnicate", NULL, NULL, NULL},
	    {"surplus", NULL, NULL, NULL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *args[8] = {"gen", "--out", "never"};
		int k = 3;
		for (int a = 0; a < 4 && bad[i][a]; a++)
			args[k++] = bad[i][a];
		args[k] = NULL;
		sb_run(t, NULL, NULL, args);
		EXPECT_ERROR(t, 2);
		EXPECT(t, strncmp(t->err, "pathway: gen: ", 14) == 0);
		EXPECT(t, !sb_exists(t, "never"));
	}
	RUN(t, "gen", "--out", "");
	EXPECT_ERROR(t, 2);

	/* output that cannot be written: exit 1 */
	sb_write(t, "blocker", "a file, not a directory\n");
	RUN(t, "gen", "--jobs", "1", "--out", "blocker/sub");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "blocker/sub"));
	RUN(t, "gen", "--jobs", "1", "--out", "blocker");
	EXPECT_ERROR(t, 1);

	/* counties files: missing (1), malformed (2, naming the line) */
	RUN(t, "gen", "--counties", "absent.txt", "--out", "x");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "absent.txt"));
	sb_write(t, "c1.txt",
	         "KY|21193|00516943|Perry County|1|2|3|4|37.24|-83.19\n"
	         "KY|2119|00516944|Pike County|1|2|3|4|37.46|-82.39\n");
	RUN(t, "gen", "--counties", "c1.txt", "--out", "x");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "c1.txt: line 2: field 2 (GEOID)"));
	sb_write(t, "c2.txt", "KY|21193|x|Perry County|1|2|3|4|97.2|-83.1\n");
	RUN(t, "gen", "--counties", "c2.txt", "--out", "x");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "c2.txt: line 1: field 9"));
	sb_write(t, "c3.txt", "KY|21193|x|Perry County|1|2|3|37.2|-83.1\n");
	RUN(t, "gen", "--counties", "c3.txt", "--out", "x");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "c3.txt: line 1: expected 10 fields"));
	sb_write(t, "c4.txt", "\n\n");
	RUN(t, "gen", "--counties", "c4.txt", "--out", "x");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "c4.txt: holds no counties"));
}

/* A small counties file of our own: every place comes from it. */
static void own_counties_file(void **state)
{
	sandbox *t = *state;
	sb_write(t, "c.txt",
	         "KY|21193|00516943|Perry County|882|6|340.6|2.3|37.24|-83.19\n"
	         "NM|35013|00929109|Do\xc3\xb1"
	         "a Ana County|1|2|3|4|32.35|"
	         "-106.83 \r\n"
	         "\n"
	         "AK|02090|01419969|Fairbanks North Star Borough|1|2|3|4|"
	         "64.69|-146.6\n");
	gen_ok(t, ARGS("gen", SMALL, "--jobs", "60", "--counties", "c.txt",
	               "--out", "d"));
	json_t *jd;
	json_t *jobs = array_of(t, "d", "jobs.json", "jobs", &jd);
	bool seen[3] = {false};
	for (size_t i = 0; i < json_array_size(jobs); i++) {
		json_t *j = json_array_get(jobs, i);
		json_t *loc = json_object_get(j, "location");
		if (!loc)
			continue;
		const char *c = str_of(loc, "county");
		int k = strcmp(c, "21193") == 0   ? 0
		        : strcmp(c, "35013") == 0 ? 1
		        : strcmp(c, "02090") == 0 ? 2
		                                  : -1;
		assert_true(k >= 0);
		seen[k] = true;
		assert_null(json_object_get(loc, "city"));
		if (k == 1)
			assert_true(sb_has(str_of(j, "employer"), "Do\xc3\xb1"
			                                          "a Ana "));
	}
	assert_true(seen[0] && seen[1] && seen[2]);
	json_decref(jd);
	RUN(t, "--db", "t.db", "load", "d/skills.json", "d/credentials.json",
	    "d/occupations.json", "d/jobs.json", "d/learners-000.json");
	EXPECT_EXIT(t, 0);
}

static void gazetteer_counties(void **state)
{
	sandbox *t = *state;
	const char *src = getenv("PATHWAY_SRC");
	char gaz[4096];
	snprintf(gaz, sizeof gaz,
	         "%s/../shared/data/us_county_geo/"
	         "gazetteer_2017_counties_national_pipe_noheader.txt",
	         src && *src ? src : "..");
	FILE *f = fopen(gaz, "r");
	if (!f) {
		print_message("SKIPPED: %s is absent\n", gaz);
		skip();
	}
	/* the county codes of the file */
	json_t *codes = json_object();
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		char *bar = strchr(line, '|');
		if (bar && strlen(bar) > 6) {
			char code[6];
			memcpy(code, bar + 1, 5);
			code[5] = '\0';
			json_object_set_new(codes, code, json_true());
		}
	}
	fclose(f);
	assert_true(json_object_size(codes) > 3000);

	gen_ok(t, ARGS("gen", SMALL, "--jobs", "400", "--counties", gaz,
	               "--out", "d"));
	json_t *jd, *ld;
	json_t *jobs = array_of(t, "d", "jobs.json", "jobs", &jd);
	json_t *learners =
	    array_of(t, "d", "learners-000.json", "learners", &ld);
	json_t *used = json_object();
	for (int pass = 0; pass < 2; pass++) {
		json_t *a = pass ? learners : jobs;
		for (size_t i = 0; i < json_array_size(a); i++) {
			json_t *loc = json_object_get(
			    json_array_get(a, i), pass ? "home" : "location");
			if (!loc)
				continue;
			const char *c = str_of(loc, "county");
			assert_non_null(json_object_get(codes, c));
			json_object_set_new(used, c, json_true());
		}
	}
	/* far more than the built-in table's 69 */
	print_message("counties used: %zu\n", json_object_size(used));
	assert_true(json_object_size(used) > 150);
	RUN(t, "--db", "t.db", "load", "d/skills.json", "d/credentials.json",
	    "d/occupations.json", "d/jobs.json", "d/learners-000.json");
	EXPECT_EXIT(t, 0);
	json_decref(used);
	json_decref(codes);
	json_decref(jd);
	json_decref(ld);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)
	const struct CMUnitTest tests[] = {
	    T(writes_loadable_dataset), T(structure),          T(deterministic),
	    T(stale_learner_files_go),  T(as_of_moves_dates),  T(refusals),
	    T(own_counties_file),       T(gazetteer_counties),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
