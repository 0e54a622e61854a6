/* test_demographics_blind.c - matching, ranking and planning never read a
 * learner's demographics (SPEC §1, issue 9 item 1), and no learner record
 * served to a board or an employer carries them (SPEC §10).
 *
 * A generated dataset (the generator behind `pathway gen`, a few thousand
 * learners, most with self-reported demographics) is loaded three times:
 * as generated, with every learner's demographics permuted among the
 * learners, and with all of them removed. For a sample of learners and jobs
 * every match (in range and anywhere), next, candidates, explain and plan
 * document is rendered in each store and must be byte-identical. Then every
 * API route that serves something about a learner is called as a board, as
 * the employer that owns the job, as the learner and as an admin: the
 * demographic keys appear only in the learner's own record read by the
 * learner or an admin. */
#include "fixture.h"
#include "routes.h"

/* The generator is built into the CLI, not the library: compiled in here
 * whole, as the CLI compiles it. */
#include "../../datasets/gen/gen.c"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_LEARNERS 50
#define SAMPLE_JOBS     20

typedef struct world {
	char dir[64];
	json_t *learners; /* the generated learners document */
	json_t *jobs;     /* the generated jobs document */
	char *files[4];   /* skills, credentials, occupations, jobs text */
	pw_date as_of;
} world;

static world W;

static bool quick(void)
{
	const char *q = getenv("PATHWAY_TEST_QUICK");
	return q && *q && strcmp(q, "0") != 0;
}

static char *slurp(const char *dir, const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *text = fx_read_file(path, NULL);
	if (!text)
		fail_msg("cannot read %s", path);
	return text;
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(W.dir, sizeof W.dir, "/tmp/pw-demoblind-XXXXXX");
	if (!mkdtemp(W.dir))
		return -1;
	gen_config cfg = {0};
	if (!gen_preset("small", &cfg))
		return -1;
	/* a few thousand learners over a catalog of the small preset's shape,
	 * fewer where every run is slow (valgrind) */
	cfg.seed = 9;
	cfg.skills = quick() ? 300 : 1000;
	cfg.credentials = quick() ? 150 : 500;
	cfg.occupations = quick() ? 40 : 150;
	cfg.jobs = quick() ? 150 : 600;
	cfg.learners = quick() ? 500 : 3000;
	cfg.ref = gen_default_ref();
	cfg.out = W.dir;
	gen_summary sum;
	pw_error err;
	if (gen_write(&cfg, &sum, &err)) {
		fprintf(stderr, "gen: %s\n", err.message);
		return -1;
	}
	W.as_of = cfg.ref;
	static const char *const names[] = {"skills.json", "credentials.json",
	                                    "occupations.json", "jobs.json"};
	for (int i = 0; i < 4; i++)
		W.files[i] = slurp(W.dir, names[i]);
	char *text = slurp(W.dir, "learners-000.json");
	json_error_t je;
	W.learners = json_loads(text, 0, &je);
	W.jobs = json_loads(W.files[3], 0, &je);
	free(text);
	return W.learners && W.jobs ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	static const char *const names[] = {
	    "skills.json", "credentials.json",  "occupations.json",
	    "jobs.json",   "learners-000.json", "README.txt"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char path[256];
		snprintf(path, sizeof path, "%s/%s", W.dir, names[i]);
		unlink(path);
	}
	rmdir(W.dir);
	for (int i = 0; i < 4; i++)
		free(W.files[i]);
	json_decref(W.learners);
	json_decref(W.jobs);
	return 0;
}

typedef enum { AS_GENERATED, PERMUTED, REMOVED } variant;

/* The learners document with the demographics changed: permuted shuffles
 * every learner's demographics object (or its absence) among all learners
 * with a fixed seed; *moved counts the learners whose demographics
 * changed. */
static json_t *learners_doc(variant v, size_t *moved)
{
	json_t *doc = json_deep_copy(W.learners);
	json_t *list = json_object_get(doc, "learners");
	size_t n = json_array_size(list);
	assert_true(n > 100);
	*moved = 0;
	if (v == AS_GENERATED)
		return doc;
	json_t **demo = calloc(n, sizeof *demo);
	assert_non_null(demo);
	for (size_t i = 0; i < n; i++) {
		json_t *d =
		    json_object_get(json_array_get(list, i), "demographics");
		demo[i] = d ? json_incref(d) : NULL;
	}
	fx_rng r = {20260923};
	for (size_t i = n - 1; v == PERMUTED && i > 0; i--) {
		size_t k = fx_rand(&r, (unsigned)(i + 1));
		json_t *t = demo[i];
		demo[i] = demo[k];
		demo[k] = t;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *l = json_array_get(list, i);
		json_t *was = json_object_get(l, "demographics");
		json_t *now = v == PERMUTED ? demo[i] : NULL;
		if (!json_equal(was, now) && (was || now))
			++*moved;
		if (now)
			assert_int_equal(
			    json_object_set(l, "demographics", now), 0);
		else
			json_object_del(l, "demographics");
		json_decref(demo[i]);
	}
	free(demo);
	return doc;
}

static pw_engine *store(variant v, size_t *moved)
{
	pw_engine *e = fx_open();
	json_t *doc = learners_doc(v, moved);
	char *learners = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	assert_non_null(learners);
	const char *const names[] = {"skills.json", "credentials.json",
	                             "occupations.json", "jobs.json",
	                             "learners.json"};
	const char *const docs[] = {W.files[0], W.files[1], W.files[2],
	                            W.files[3], learners};
	pw_report *rep = NULL;
	pw_status st = fx_load_many(e, names, docs, 5, &rep);
	if (st) {
		char *text = fx_report_text(rep);
		fail_msg("load: %s", text);
	}
	pw_report_free(rep);
	free(learners);
	return e;
}

static const char *learner_at(size_t i)
{
	json_t *list = json_object_get(W.learners, "learners");
	size_t n = json_array_size(list);
	return json_string_value(json_object_get(
	    json_array_get(list, i * n / SAMPLE_LEARNERS), "id"));
}

static json_t *job_at(size_t i)
{
	json_t *list = json_object_get(W.jobs, "jobs");
	size_t n = json_array_size(list);
	return json_array_get(list, i * n / SAMPLE_JOBS);
}

static const char *job_id(size_t i)
{
	return json_string_value(json_object_get(job_at(i), "id"));
}

/* Every document of the sample, in a fixed order, as one array of texts. */
typedef struct docs {
	char **text;
	size_t n, cap;
} docs;

static void keep(docs *d, char *text)
{
	assert_non_null(text);
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 1024;
		d->text = realloc(d->text, d->cap * sizeof *d->text);
		assert_non_null(d->text);
	}
	d->text[d->n++] = text;
}

static void docs_free(docs *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->text[i]);
	free(d->text);
}

static void check(pw_status st, const pw_error *err, const char *what)
{
	if (st)
		fail_msg("%s: %s", what, err->message);
}

static void render_all(pw_engine *e, docs *d)
{
	pw_error err;
	for (size_t i = 0; i < SAMPLE_LEARNERS; i++) {
		const char *l = learner_at(i);
		for (int anywhere = 0; anywhere < 2; anywhere++) {
			pw_match_opts o = {.as_of = W.as_of,
			                   .top = 20,
			                   .anywhere = anywhere != 0};
			pw_match *m;
			check(pw_match_learner(e, l, &o, &m, &err), &err,
			      "match");
			keep(d, pw_match_json(m, 0));
			pw_match_free(m);
		}
		pw_match_opts by_occ = {.as_of = W.as_of, .occupations = true};
		pw_match *m;
		check(pw_match_learner(e, l, &by_occ, &m, &err), &err, "match");
		keep(d, pw_match_json(m, 0));
		pw_match_free(m);
		pw_next *nx;
		check(pw_next_credentials(e, l, W.as_of, 10, &nx, &err), &err,
		      "next");
		keep(d, pw_next_json(nx, 0));
		pw_next_free(nx);
		for (size_t j = 0; j < SAMPLE_JOBS; j++) {
			pw_plan *p;
			check(pw_plan_target(e, l, job_id(j), W.as_of,
			                     j % 2 ? PW_BY_COST : PW_BY_HOURS,
			                     &p, &err),
			      &err, "plan");
			keep(d, pw_plan_json(p, 0));
			pw_plan_free(p);
			pw_explain *x;
			check(pw_explain_match(e, l, job_id(j), W.as_of, &x,
			                       &err),
			      &err, "explain");
			keep(d, pw_explain_json(x, 0));
			pw_explain_free(x);
		}
	}
	for (size_t j = 0; j < SAMPLE_JOBS; j++) {
		pw_candidates *c;
		check(pw_find_candidates(e, job_id(j), W.as_of, 50, &c, &err),
		      &err, "candidates");
		keep(d, pw_candidates_json(c, 0));
		pw_candidates_free(c);
	}
}

static void same_docs(const docs *a, const docs *b, const char *what)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->text[i], b->text[i]) != 0)
			fail_msg("document %zu differs with demographics %s:\n"
			         "%.2000s\n---\n%.2000s",
			         i, what, a->text[i], b->text[i]);
}

static void documents_ignore_demographics(void **state)
{
	(void)state;
	size_t moved, with = 0;
	json_t *l;
	size_t i;
	/* the dataset must give the test something to move: most learners
	 * with demographics, in several groups */
	json_t *groups = json_object();
	json_array_foreach(json_object_get(W.learners, "learners"), i, l)
	{
		json_t *d = json_object_get(l, "demographics");
		const char *g = json_string_value(json_object_get(d, "gender"));
		with += d != NULL;
		if (g)
			json_object_set_new(groups, g, json_true());
	}
	assert_true(with * 2 >
	            json_array_size(json_object_get(W.learners, "learners")));
	assert_true(json_object_size(groups) >= 3);
	json_decref(groups);

	docs base = {0}, perm = {0}, none = {0};
	pw_engine *a = store(AS_GENERATED, &moved);
	render_all(a, &base);

	pw_engine *b = store(PERMUTED, &moved);
	/* the permutation took: many learners now carry another's */
	assert_true(moved * 4 > with);
	char *ra = NULL, *rb = NULL;
	pw_error err;
	size_t differ = 0;
	for (size_t k = 0; k < SAMPLE_LEARNERS; k++) {
		check(pw_show_json(a, PW_KIND_LEARNER, learner_at(k), 0, &ra,
		                   &err),
		      &err, "show");
		check(pw_show_json(b, PW_KIND_LEARNER, learner_at(k), 0, &rb,
		                   &err),
		      &err, "show");
		differ += strcmp(ra, rb) != 0;
		pw_free(ra);
		pw_free(rb);
	}
	assert_true(differ > SAMPLE_LEARNERS / 4);
	render_all(b, &perm);
	same_docs(&base, &perm, "permuted");
	pw_close(b);

	pw_engine *c = store(REMOVED, &moved);
	assert_int_equal(moved, with);
	render_all(c, &none);
	same_docs(&base, &none, "removed");
	pw_close(c);

	/* the sample is not trivial: plans with steps, qualified matches and
	 * candidates were among what was compared */
	size_t steps = 0, qualified = 0, cands = 0;
	for (size_t k = 0; k < base.n; k++) {
		steps += strstr(base.text[k], "\"steps\": [{") != NULL ||
		         strstr(base.text[k], "\"steps\":[{") != NULL;
		qualified += strstr(base.text[k], "\"qualified\":true") != NULL;
		cands += strncmp(base.text[k], "{\"job\"", 6) == 0 &&
		         strstr(base.text[k], "\"learner\"") != NULL;
	}
	if (!steps || !qualified || !cands)
		fail_msg("a trivial sample: %zu plans with steps, %zu with a "
		         "qualified result, %zu candidate lists with learners",
		         steps, qualified, cands);
	docs_free(&base);
	docs_free(&perm);
	docs_free(&none);
	pw_close(a);
}

/* ---- the API: demographics only to the learner and admins ---- */

static api_response get(pw_engine *e, const char *path, const char *auth)
{
	api_request rq = {.method = "GET", .path = path, .authorization = auth};
	api_response res;
	api_handle(e, &rq, &res);
	return res;
}

static bool has_demographics(const char *body)
{
	return strstr(body, "demographics") || strstr(body, "race_ethnicity") ||
	       strstr(body, "age_band") || strstr(body, "\"gender\"");
}

static void routes_keep_demographics_private(void **state)
{
	(void)state;
	size_t moved;
	pw_engine *e = store(AS_GENERATED, &moved);
	pw_error err;
	enum { BOARD, EMPLOYER, SELF, ADMIN, NWHO };
	static const char *const who_name[] = {"board", "employer", "learner",
	                                       "admin"};
	size_t seen[NWHO] = {0};
	for (size_t i = 0; i < 10; i++) {
		const char *l = learner_at(i * 5);
		json_t *job = job_at(i * 2);
		const char *jid = json_string_value(json_object_get(job, "id"));
		const char *owner =
		    json_string_value(json_object_get(job, "employer"));
		char *tok[NWHO], auth[NWHO][160];
		check(
		    pw_token_create(e, PW_ROLE_BOARD, NULL, &tok[BOARD], &err),
		    &err, "token");
		check(pw_token_create(e, PW_ROLE_EMPLOYER, owner,
		                      &tok[EMPLOYER], &err),
		      &err, "token");
		check(pw_token_create(e, PW_ROLE_LEARNER, l, &tok[SELF], &err),
		      &err, "token");
		check(
		    pw_token_create(e, PW_ROLE_ADMIN, NULL, &tok[ADMIN], &err),
		    &err, "token");
		for (int w = 0; w < NWHO; w++)
			snprintf(auth[w], sizeof auth[w], "Bearer %s", tok[w]);
		char paths[8][300];
		snprintf(paths[0], 300, "/v1/learners/%s", l);
		snprintf(paths[1], 300, "/v1/learners/%s/matches", l);
		snprintf(paths[2], 300, "/v1/learners/%s/next", l);
		snprintf(paths[3], 300, "/v1/learners/%s/explain/%s", l, jid);
		snprintf(paths[4], 300, "/v1/learners/%s/plan/%s", l, jid);
		snprintf(paths[5], 300, "/v1/jobs/%s/candidates", jid);
		snprintf(paths[6], 300, "/v1/learners");
		snprintf(paths[7], 300, "/v1/jobs/%s", jid);
		json_t *demo = json_object_get(
		    json_array_get(json_object_get(W.learners, "learners"),
		                   (i * 5) *
		                       json_array_size(json_object_get(
		                           W.learners, "learners")) /
		                       SAMPLE_LEARNERS),
		    "demographics");
		for (int w = 0; w < NWHO; w++) {
			for (size_t p = 0; p < 8; p++) {
				api_response r = get(e, paths[p], auth[w]);
				bool carries = r.status == 200 && r.body &&
				               has_demographics(r.body);
				/* only the record itself, to the learner or an
				 * admin, and then only when there are any */
				bool may =
				    p == 0 && (w == SELF || w == ADMIN) && demo;
				if (carries != may)
					fail_msg(
					    "GET %s as %s (%d): demographics "
					    "%s",
					    paths[p], who_name[w], r.status,
					    carries ? "served" : "missing");
				seen[w] += r.status == 200;
				api_response_release(&r);
			}
			pw_free(tok[w]);
		}
	}
	/* every caller was served something, boards and employers included */
	for (int w = 0; w < NWHO; w++)
		if (!seen[w])
			fail_msg("no document was served to a %s", who_name[w]);
	pw_close(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(documents_ignore_demographics),
	    cmocka_unit_test(routes_keep_demographics_private),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
