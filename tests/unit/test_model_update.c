/* test_model_update.c - writes update the in-memory model in place: after
 * random job and learner writes, deletions and added holdings through one
 * engine (whose model is never rebuilt), every match, candidates, next and
 * plan document equals, byte for byte, what a fresh engine built from the
 * same store answers. */
#include "fixture.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NSKILLS 24
#define NCREDS  16
#define SEEDS   12
#define WRITES  40

static void location(fx_text *d, fx_rng *r)
{
	switch (fx_rand(r, 4)) {
	case 0: fx_put(d, "{\"county\": \"2100%u\"}", fx_rand(r, 3)); break;
	case 1: fx_put(d, "{}"); break;
	default:
		fx_put(d,
		       "{\"lat\": %.3f, \"lon\": %.3f, \"county\": \"2100%u\"}",
		       37.0 + fx_rand(r, 60) / 100.0,
		       -83.0 - fx_rand(r, 60) / 100.0, fx_rand(r, 3));
	}
}

static void job_body(fx_text *d, fx_rng *r, unsigned j)
{
	fx_put(d,
	       "{\"id\": \"j%02u\", \"title\": \"Job %u\", \"location\": ", j,
	       j);
	location(d, r);
	if (fx_rand(r, 5) == 0)
		fx_put(d, ", \"remote\": true");
	if (fx_rand(r, 8) == 0)
		fx_put(d, ", \"expires\": \"2025-03-01\"");
	if (fx_rand(r, 3))
		fx_put(d, ", \"wage\": {\"min\": %u, \"unit\": \"hour\"}",
		       10 + fx_rand(r, 4));
	fx_put(d, ", \"openings\": %u, \"requirements\": [", 1 + fx_rand(r, 4));
	unsigned k = fx_rand(r, 8) == 0 ? 0 : 1 + fx_rand(r, 4), w = 0;
	int used[NSKILLS] = {0};
	for (unsigned i = 0; i < k; i++) {
		unsigned s = fx_rand(r, NSKILLS), s2 = fx_rand(r, NSKILLS);
		if (used[s] || used[s2])
			continue;
		used[s] = 1;
		const char *req = fx_rand(r, 5) ? "true" : "false";
		if (s2 != s && fx_rand(r, 4) == 0) {
			used[s2] = 1;
			fx_put(d,
			       "%s{\"any_of\": [{\"skill\": \"s%02u\", "
			       "\"level\": %u}, "
			       "{\"skill\": \"s%02u\", \"level\": %u}], "
			       "\"required\": %s}",
			       w ? "," : "", s, 1 + fx_rand(r, 3), s2,
			       1 + fx_rand(r, 3), req);
		} else
			fx_put(d,
			       "%s{\"skill\": \"s%02u\", \"level\": %u, "
			       "\"importance\": %u, "
			       "\"required\": %s}",
			       w ? "," : "", s, 1 + fx_rand(r, 3),
			       1 + fx_rand(r, 5), req);
		w++;
	}
	fx_put(d, "]");
	if (fx_rand(r, 4) == 0)
		fx_put(d, ", \"credentials_required\": [\"c%02u\"]",
		       fx_rand(r, NCREDS));
	fx_put(d, "}");
}

static void learner_body(fx_text *d, fx_rng *r, unsigned l)
{
	fx_put(d, "{\"id\": \"l%02u\", \"discoverable\": %s, \"home\": ", l,
	       fx_rand(r, 4) ? "true" : "false");
	location(d, r);
	fx_put(d, ", \"max_commute_miles\": %u, \"credentials\": [",
	       10 + fx_rand(r, 50));
	unsigned k = fx_rand(r, 4);
	for (unsigned i = 0; i < k; i++)
		fx_put(d,
		       "%s{\"credential\": \"c%02u\", \"earned\": "
		       "\"202%u-0%u-01\"}",
		       i ? "," : "", fx_rand(r, NCREDS), 3 + fx_rand(r, 3),
		       1 + fx_rand(r, 9));
	fx_put(d, "]}");
}

static char *catalog(fx_rng *r, unsigned njobs, unsigned nlearners)
{
	fx_text d = {0};
	fx_put(&d, "{\"skills\": [");
	for (unsigned s = 0; s < NSKILLS; s++) {
		fx_put(&d, "%s{\"id\": \"s%02u\", \"name\": \"S%u\"",
		       s ? "," : "", s, s);
		if (s > 3 && fx_rand(r, 3))
			fx_put(&d, ", \"broader\": [\"s%02u\"]", fx_rand(r, s));
		fx_put(&d, "}");
	}
	fx_put(&d, "], \"credentials\": [");
	for (unsigned c = 0; c < NCREDS; c++) {
		fx_put(
		    &d,
		    "%s{\"id\": \"c%02u\", \"name\": \"C%u\", \"hours\": %u, "
		    "\"cost\": %u, \"skills\": [{\"skill\": \"s%02u\", "
		    "\"level\": "
		    "%u}]",
		    c ? "," : "", c, c, 5 + fx_rand(r, 40), fx_rand(r, 300),
		    fx_rand(r, NSKILLS), 1 + fx_rand(r, 4));
		if (c >= 12)
			fx_put(&d, ", \"components\": [\"c%02u\", \"c%02u\"]",
			       c - 12, c - 8);
		else if (c >= 4 && fx_rand(r, 3) == 0)
			fx_put(&d, ", \"prerequisites\": [\"c%02u\"]",
			       fx_rand(r, c));
		if (fx_rand(r, 5) == 0)
			fx_put(&d, ", \"expires_months\": 12");
		fx_put(&d, "}");
	}
	fx_put(&d, "], \"occupations\": [{\"id\": \"11-1111.00\", \"title\": "
	           "\"Occ\", \"requirements\": [{\"skill\": \"s01\"}]}], "
	           "\"jobs\": [");
	for (unsigned j = 0; j < njobs; j++) {
		fx_put(&d, j ? "," : "");
		job_body(&d, r, j);
	}
	fx_put(&d, "], \"learners\": [");
	for (unsigned l = 0; l < nlearners; l++) {
		fx_put(&d, l ? "," : "");
		learner_body(&d, r, l);
	}
	fx_put(&d, "]}");
	return d.text;
}

/* Every document of one engine for the ids in play, concatenated. */
static char *documents(pw_engine *e, unsigned njobs, unsigned nlearners,
                       const bool *gone)
{
	fx_text d = {0};
	pw_date as_of = fx_date("2025-06-01");
	char id[16], jid[16];
	for (unsigned l = 0; l < nlearners; l++) {
		snprintf(id, sizeof id, "l%02u", l);
		for (int mode = 0; mode < 3; mode++) {
			pw_match_opts o = {.as_of = as_of,
			                   .top = 30,
			                   .anywhere = mode == 1,
			                   .occupations = mode == 2};
			pw_match *m;
			assert_int_equal(pw_match_learner(e, id, &o, &m, NULL),
			                 PW_OK);
			char *j = pw_match_json(m, 0);
			fx_put(&d, "%s\n", j);
			pw_free(j);
			pw_match_free(m);
		}
		pw_next *n;
		assert_int_equal(
		    pw_next_credentials(e, id, as_of, 10, &n, NULL), PW_OK);
		char *j = pw_next_json(n, 0);
		fx_put(&d, "%s\n", j);
		pw_free(j);
		pw_next_free(n);
	}
	for (unsigned t = 0; t < njobs; t++) {
		snprintf(jid, sizeof jid, "j%02u", t);
		pw_candidates *c;
		pw_status st = pw_find_candidates(e, jid, as_of, 30, &c, NULL);
		if (gone[t]) {
			assert_int_equal(st, PW_ERR_NOT_FOUND);
			continue;
		}
		if (st)
			fail_msg("candidates %s: %s", jid, pw_status_name(st));
		char *j = pw_candidates_json(c, 0);
		fx_put(&d, "%s\n", j);
		pw_free(j);
		pw_candidates_free(c);
		snprintf(id, sizeof id, "l%02u", t % nlearners);
		pw_plan *p;
		assert_int_equal(
		    pw_plan_target(e, id, jid, as_of, PW_BY_HOURS, &p, NULL),
		    PW_OK);
		j = pw_plan_json(p, 0);
		fx_put(&d, "%s\n", j);
		pw_free(j);
		pw_plan_free(p);
	}
	return d.text;
}

static void writes_match_a_rebuild(void **state)
{
	(void)state;
	unsigned in_place = 0;
	for (unsigned seed = 0; seed < SEEDS; seed++) {
		fx_rng r = {seed * 977 + 3};
		char dir[] = "/tmp/pathway-update-XXXXXX", path[64];
		assert_non_null(mkdtemp(dir));
		snprintf(path, sizeof path, "%s/u.db", dir);
		pw_engine *a, *b;
		pw_error err;
		assert_int_equal(pw_open(path, PW_OPEN_CREATE, &a, &err),
		                 PW_OK);
		unsigned njobs = 20, nlearners = 15;
		char *text = catalog(&r, njobs, nlearners);
		fx_load_ok(a, text);
		free(text);
		bool gone[64];
		for (unsigned j = 0; j < 64; j++)
			gone[j] = j >= njobs; /* ids not created yet */
		char *first = documents(a, njobs, nlearners, gone); /* builds */
		free(first);
		const model *m0 = a->sh->m;
		assert_non_null(m0);
		for (unsigned w = 0; w < WRITES; w++) {
			fx_text body = {0};
			pw_report *rep = pw_report_new();
			pw_put_result res;
			bool added;
			switch (fx_rand(&r, 5)) {
			case 0: { /* replace or add a job */
				unsigned j = fx_rand(&r, njobs + 1); /* or the next id */
				job_body(&body, &r, j);
				assert_int_equal(pw_put_entity(a, PW_KIND_JOB,
				                               body.text,
				                               body.len, NULL,
				                               rep, &res, &err),
				                 PW_OK);
				if (j >= njobs)
					njobs = j + 1;
				gone[j] = false;
				break;
			}
			case 1: { /* delete a job */
				unsigned j = fx_rand(&r, njobs);
				char jid[16];
				snprintf(jid, sizeof jid, "j%02u", j);
				pw_status st = pw_delete_job(a, jid, &err);
				assert_int_equal(st, gone[j] ? PW_ERR_NOT_FOUND
				                             : PW_OK);
				gone[j] = true;
				break;
			}
			case 2: { /* replace or add a learner */
				unsigned l = fx_rand(&r, nlearners + 1);
				learner_body(&body, &r, l);
				assert_int_equal(
				    pw_put_entity(a, PW_KIND_LEARNER, body.text,
				                  body.len, NULL, rep, &res,
				                  &err),
				    PW_OK);
				if (l >= nlearners)
					nlearners = l + 1;
				break;
			}
			default: { /* record an earned credential */
				char id[16];
				snprintf(id, sizeof id, "l%02u",
				         fx_rand(&r, nlearners));
				fx_put(
				    &body,
				    "{\"credential\": \"c%02u\", \"earned\": "
				    "\"2025-0%u-02\"}",
				    fx_rand(&r, NCREDS), 1 + fx_rand(&r, 5));
				assert_int_equal(
				    pw_add_holding(a, id, body.text, body.len,
				                   rep, &added, &err),
				    PW_OK);
			}
			}
			pw_report_free(rep);
			fx_text_free(&body);
			/* updated in place, never rebuilt */
			long long v;
			assert_int_equal(store_version(a->st, &v, NULL), PW_OK);
			assert_ptr_equal(a->sh->m, m0);
			assert_true(a->sh->version == v);
			in_place++;
			if (w % 10 != 9)
				continue;
			assert_int_equal(pw_open(path, 0, &b, &err), PW_OK);
			char *mine = documents(a, njobs, nlearners, gone);
			char *fresh = documents(b, njobs, nlearners, gone);
			if (strcmp(mine, fresh) != 0) {
				size_t k = 0;
				while (mine[k] && mine[k] == fresh[k])
					k++;
				fail_msg("seed %u write %u: in place differs "
				         "from a rebuild "
				         "at byte %zu:\n%.300s\n---\n%.300s",
				         seed, w, k,
				         mine + (k > 100 ? k - 100 : 0),
				         fresh + (k > 100 ? k - 100 : 0));
			}
			free(mine);
			free(fresh);
			pw_close(b);
		}
		pw_close(a);
		char side[80];
		unlink(path);
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-snap", path);
		unlink(side);
		rmdir(dir);
	}
	print_message("%u writes applied in place\n", in_place);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(writes_match_a_rebuild),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
