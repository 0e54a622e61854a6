/* test_demand.c - SPEC §10 demand on a hand-made store
 * (tests/data/demand/small.json), every figure worked out below by hand,
 * and, on the bundled dataset, programs against `next` learner by learner.
 *
 * The store, at as-of 2026-01-15. Places: A = (37.5, -82.5) county 21071
 * KY; B = (37.3, -83.2) county 21193 KY, about 41 mi from A; C = (39.3,
 * -82.1) county 39009 OH, over 120 mi from both. Learners keep the
 * default 30-mile range.
 *   j1 A, soc 31-1131.00, E1, 3 openings, $15/h = 31200; needs s-a 2, s-b 2
 *   j2 B, 31-1131.00, E2, 2 openings, 40000/yr; needs s-a 2 (s-c 1 only
 *      preferred: counts nowhere in skills)
 *   j3 A, 31-1131.00, E1, 1 opening, no wage; any_of [s-b 2, s-c 2]
 *   j4 remote, no soc, E3, 2 openings, wage max 52000; needs s-p 2
 *   j5 C, 15-1232.00, E4, 4 openings, 46800; needs s-c 3
 *   j6 A, expired 2026-01-01: closed, counted nowhere
 *   j7 A, no soc, no employer, 2 openings, $20/h = 41600; needs s-b 1
 *   L1 A holds c-a (s-a 2); L2 A holds c-b (s-b 2); L3 B holds nothing;
 *   L4 C holds c-c (s-c 3); L5 county 21071 without coordinates holds
 *   c-a and c-b (in range of jobs by county: j1, j3, j7, and remote j4).
 *   c-k grants s-k 2, which shows its parent s-p at 2 (narrower, factor 1).
 *   c-pre (s-c 2) needs c-a first; c-c2 is c-c again; c-x's s-x is asked
 *   by nobody.
 * In range: L1, L2: j1 j3 j7 j4; L3: j2 j4; L4: j5 j4; L5: j1 j3 j7 j4.
 * Qualified now: L2: j3 (s-b 2), j7; L4: j5; L5: j1, j3, j7.
 * What earning one credential newly qualifies:
 *   L1: c-b -> j1 j3 j7; c-c, c-c2, c-pre -> j3; c-k -> j4
 *   L2: c-a -> j1; c-k -> j4 (c-pre: c-a not held; c-c: j3 held already)
 *   L3: c-a -> j2; c-k -> j4
 *   L4: c-k -> j4
 *   L5: c-k -> j4 (c-pre, c-c: j3 already qualified)
 */
#include "fixture.h"
#include "routes.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *src_dir(void)
{
	const char *src = getenv("PATHWAY_SRC");
	return src && *src ? src : ".";
}

static pw_engine *small_store(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/demand/small.json",
	         src_dir());
	char *text = fx_read_file(path, NULL);
	if (!text)
		fail_msg("cannot read %s (set PATHWAY_SRC)", path);
	pw_engine *e = fx_open();
	fx_load_ok(e, text);
	free(text);
	return e;
}

static pw_demand *demand(pw_engine *e, const char *county, const char *state,
                         const char *near, const char *radius)
{
	pw_region *r = NULL;
	pw_error err;
	if (pw_region_parse(county, state, near, radius, &r, &err))
		fail_msg("region refused: %s", err.message);
	pw_demand_opts o = {.region = r, .as_of = fx_date("2026-01-15")};
	pw_demand *d = NULL;
	if (pw_demand_compute(e, &o, &d, &err))
		fail_msg("demand failed: %s", err.message);
	pw_region_free(r);
	return d;
}

static void occ(const pw_demand *d, size_t i, const char *soc,
                long long openings, size_t postings, size_t employers,
                double wage, bool has_outlook)
{
	assert_true(i < d->nocc);
	const pw_demand_occ *o = &d->occupations[i];
	if (soc)
		assert_string_equal(o->soc, soc);
	else
		assert_null(o->soc);
	assert_int_equal(o->openings, openings);
	assert_int_equal(o->postings, postings);
	assert_int_equal(o->employers, employers);
	if (wage < 0)
		assert_false(o->has_median_wage);
	else {
		assert_true(o->has_median_wage);
		assert_true(o->median_annual_wage == wage);
	}
	assert_int_equal(o->has_growth, has_outlook);
	assert_int_equal(o->has_outlook_openings, has_outlook);
	if (has_outlook) {
		assert_true(o->growth_pct == 2.3);
		assert_int_equal(o->outlook_openings, 204100);
	}
}

static void skill(const pw_demand *d, size_t i, const char *id, long long dem,
                  int need, size_t supply, long long gap)
{
	assert_true(i < d->nskills);
	const pw_demand_skill *s = &d->skills[i];
	assert_string_equal(s->skill, id);
	assert_int_equal(s->demand, dem);
	assert_int_equal(s->need, need);
	assert_int_equal(s->supply, supply);
	assert_int_equal(s->gap, gap);
}

static void program(const pw_demand *d, size_t i, const char *id,
                    size_t learners, long long openings, double hours)
{
	assert_true(i < d->nprograms);
	const pw_demand_program *p = &d->programs[i];
	assert_string_equal(p->credential, id);
	assert_int_equal(p->learners_unlocked, learners);
	assert_int_equal(p->openings_reached, openings);
	assert_true(p->hours == hours);
}

/* The whole store: every open job, every learner. */
static void test_whole_store(void **state)
{
	(void)state;
	pw_engine *e = small_store();
	pw_demand *d = demand(e, NULL, NULL, NULL, NULL);
	/* 31-1131.00: j1 3 + j2 2 + j3 1 = 6, 3 postings, E1 E2; median of
	 * 31200 and 40000 (j3 has none) = 35600. 15-1232.00: j5 alone, 4
	 * (j6 expired), 46800. null: j4 2 + j7 2 = 4, employers E3 only (j7
	 * names none), median of 52000 and 41600 = 46800. 15-1232.00 and
	 * null tie on openings and wage: soc decides, null last. */
	assert_int_equal(d->nocc, 3);
	occ(d, 0, "31-1131.00", 6, 3, 2, 35600, true);
	occ(d, 1, "15-1232.00", 4, 1, 1, 46800, false);
	occ(d, 2, NULL, 4, 2, 1, 46800, false);
	/* s-a: j1 3 + j2 2 = 5, both at 2; supply L1, L5 -> gap 3.
	 * s-b: j1 3 (level 2) + j7 2 (level 1) = 5, one posting each level:
	 * the higher, 2; supply L2, L5 -> gap 3 (j3's any_of counts not).
	 * s-c: j5 4 at 3; supply L4 -> gap 3. s-p: j4 2 at 2, nobody -> 2.
	 * s-a and s-b tie on gap and demand: id; s-c has less demand. */
	assert_int_equal(d->nskills, 4);
	skill(d, 0, "s-a", 5, 2, 2, 3);
	skill(d, 1, "s-b", 5, 2, 2, 3);
	skill(d, 2, "s-c", 4, 3, 1, 3);
	skill(d, 3, "s-p", 2, 2, 0, 2);
	/* c-k: L1..L5 (j4: 2); c-a: L2 (j1), L3 (j2): 2 learners, 3 + 2;
	 * c-b: L1 (j1 j3 j7: 6); c-pre, c-c, c-c2: L1 (j3: 1), c-pre first
	 * on hours, c-c before c-c2 on id. c-x unlocks nobody: left out. */
	assert_int_equal(d->nprograms, 6);
	program(d, 0, "c-k", 5, 2, 5);
	program(d, 1, "c-a", 2, 5, 10);
	program(d, 2, "c-b", 1, 6, 10);
	program(d, 3, "c-pre", 1, 1, 1);
	program(d, 4, "c-c", 1, 1, 20);
	program(d, 5, "c-c2", 1, 1, 20);
	char *json = pw_demand_json(d, 0);
	assert_non_null(json);
	assert_non_null(
	    strstr(json, "{\"region\":{},\"as_of\":\"2026-01-15\""));
	assert_non_null(strstr(json, "\"soc\":null,\"openings\":4"));
	assert_non_null(strstr(json, "\"growth_pct\":null,"
	                             "\"outlook_openings\":null"));
	pw_free(json);
	pw_demand_free(d);
	pw_close(e);
}

/* County 21071: jobs j1 j3 j7 and the remote j4; learners L1 L2 L5. */
static void test_county(void **state)
{
	(void)state;
	pw_engine *e = small_store();
	pw_demand *d = demand(e, "21071", NULL, NULL, NULL);
	/* null: j4 2 + j7 2 = 4, 46800; 31-1131.00: j1 3 + j3 1 = 4, E1
	 * only, 31200: tie on openings, the higher wage first. */
	assert_int_equal(d->nocc, 2);
	occ(d, 0, NULL, 4, 2, 1, 46800, false);
	occ(d, 1, "31-1131.00", 4, 2, 1, 31200, true);
	/* s-b 5 need 2 supply L2 L5 gap 3; s-p 2 gap 2; s-a j1 3, supply
	 * L1 L5, gap 1 (L3 is not of the region). */
	assert_int_equal(d->nskills, 3);
	skill(d, 0, "s-b", 5, 2, 2, 3);
	skill(d, 1, "s-p", 2, 2, 0, 2);
	skill(d, 2, "s-a", 3, 2, 2, 1);
	/* c-k: L1 L2 L5 (j4 2); c-b: L1 (6); c-a: L2 (j1 3); then j3's. */
	assert_int_equal(d->nprograms, 6);
	program(d, 0, "c-k", 3, 2, 5);
	program(d, 1, "c-b", 1, 6, 10);
	program(d, 2, "c-a", 1, 3, 10);
	program(d, 3, "c-pre", 1, 1, 1);
	program(d, 4, "c-c", 1, 1, 20);
	program(d, 5, "c-c2", 1, 1, 20);
	pw_demand_free(d);
	pw_close(e);
}

/* State OH: j5 and the remote j4; learner L4, qualified for j5. */
static void test_state(void **state)
{
	(void)state;
	pw_engine *e = small_store();
	pw_demand *d = demand(e, NULL, "oh", NULL, NULL);
	assert_int_equal(d->nocc, 2);
	occ(d, 0, "15-1232.00", 4, 1, 1, 46800, false);
	occ(d, 1, NULL, 2, 1, 1, 52000, false);
	assert_int_equal(d->nskills, 2);
	skill(d, 0, "s-c", 4, 3, 1, 3);
	skill(d, 1, "s-p", 2, 2, 0, 2);
	assert_int_equal(d->nprograms, 1);
	program(d, 0, "c-k", 1, 2, 5);
	char *json = pw_demand_json(d, 0);
	assert_non_null(strstr(json, "{\"region\":{\"state\":\"OH\"}"));
	pw_free(json);
	pw_demand_free(d);
	pw_close(e);
}

/* Within 10 mi of B: j2 and the remote j4; learner L3 (L5 has no
 * coordinates: in no circle). */
static void test_circle(void **state)
{
	(void)state;
	pw_engine *e = small_store();
	pw_demand *d = demand(e, NULL, NULL, "37.3,-83.2", "10");
	/* both 2 openings: null (52000) before 31-1131.00 (40000) */
	assert_int_equal(d->nocc, 2);
	occ(d, 0, NULL, 2, 1, 1, 52000, false);
	occ(d, 1, "31-1131.00", 2, 1, 1, 40000, true);
	/* s-a and s-p tie on gap 2 and demand 2: id */
	assert_int_equal(d->nskills, 2);
	skill(d, 0, "s-a", 2, 2, 0, 2);
	skill(d, 1, "s-p", 2, 2, 0, 2);
	/* c-k and c-a: 1 learner, 2 openings each; c-k has fewer hours */
	assert_int_equal(d->nprograms, 2);
	program(d, 0, "c-k", 1, 2, 5);
	program(d, 1, "c-a", 1, 2, 10);
	pw_demand_free(d);
	/* a region holding nothing: empty lists, remote j4 still there */
	d = demand(e, "99999", NULL, NULL, NULL);
	assert_int_equal(d->nocc, 1);
	occ(d, 0, NULL, 2, 1, 1, 52000, false);
	assert_int_equal(d->nprograms, 0);
	skill(d, 0, "s-p", 2, 2, 0, 2);
	pw_demand_free(d);
	pw_close(e);
}

/* On the bundled dataset, for the whole store, programs must agree with
 * `next` asked for every learner with no limit: learners_unlocked counts
 * the learners whose next lists the credential with newly qualified jobs,
 * openings_reached sums the openings of the union of those jobs. */
static void test_against_next(void **state)
{
	(void)state;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/datasets/rural-sample", src_dir());
	static const char *const files[] = {"skills.json", "credentials.json",
	                                    "occupations.json", "jobs.json",
	                                    "learners.json"};
	const char *paths[5];
	char buf[5][4200];
	for (size_t i = 0; i < 5; i++) {
		snprintf(buf[i], sizeof buf[i], "%s/%s", dir, files[i]);
		paths[i] = buf[i];
	}
	pw_engine *e = fx_open();
	pw_report *rep = pw_report_new();
	pw_error err;
	if (pw_load_files(e, paths, 5, rep, NULL, &err)) {
		char *t = fx_report_text(rep);
		fail_msg("bundled dataset: %s %s", err.message, t ? t : "");
	}
	pw_report_free(rep);
	pw_date as_of = fx_date("2026-01-15");
	pw_demand *d = demand(e, NULL, NULL, NULL, NULL);
	assert_true(d->nprograms > 3);
	pw_list *ls = NULL;
	assert_int_equal(pw_list_entities(e, PW_KIND_LEARNER, NULL, &ls, &err),
	                 PW_OK);
	for (size_t p = 0; p < d->nprograms; p++) {
		const pw_demand_program *pr = &d->programs[p];
		size_t learners = 0;
		const char *jobs[512];
		size_t njobs = 0;
		long long openings = 0;
		for (size_t i = 0; i < ls->count; i++) {
			pw_next *nx = NULL;
			assert_int_equal(pw_next_credentials(e, ls->items[i].id,
			                                     as_of, 100000, &nx,
			                                     &err),
			                 PW_OK);
			for (size_t k = 0; k < nx->count; k++) {
				const pw_next_item *it = &nx->items[k];
				if (strcmp(it->credential, pr->credential) ||
				    !it->njobs)
					continue;
				learners++;
				for (size_t j = 0; j < it->njobs; j++) {
					bool seen = false;
					for (size_t q = 0; !seen && q < njobs;
					     q++)
						seen =
						    strcmp(
						        jobs[q],
						        it->newly_qualified_jobs
						            [j]) == 0;
					if (!seen && njobs < 512)
						jobs[njobs++] = strdup(
						    it->newly_qualified_jobs
						        [j]);
				}
			}
			pw_next_free(nx);
		}
		for (size_t q = 0; q < njobs; q++) {
			char *job = NULL;
			assert_int_equal(pw_show_json(e, PW_KIND_JOB, jobs[q],
			                              0, &job, &err),
			                 PW_OK);
			/* openings, as the native format shows them (1 when
			 * absent) */
			const char *at = strstr(job, "\"openings\":");
			openings += at ? atoll(at + 11) : 1;
			pw_free(job);
			free((void *)jobs[q]);
		}
		if (learners != pr->learners_unlocked ||
		    openings != pr->openings_reached)
			fail_msg("%s: demand says %zu learners, %lld openings; "
			         "next says %zu, %lld",
			         pr->credential, pr->learners_unlocked,
			         pr->openings_reached, learners, openings);
	}
	/* and no credential that next finds unlocking is missing */
	for (size_t i = 0; i < ls->count; i++) {
		pw_next *nx = NULL;
		assert_int_equal(pw_next_credentials(e, ls->items[i].id, as_of,
		                                     100000, &nx, &err),
		                 PW_OK);
		for (size_t k = 0; k < nx->count; k++) {
			bool found = nx->items[k].njobs == 0;
			for (size_t p = 0; !found && p < d->nprograms; p++)
				found = strcmp(d->programs[p].credential,
				               nx->items[k].credential) == 0;
			if (!found)
				fail_msg("%s unlocks %s but is not a program",
				         nx->items[k].credential,
				         ls->items[i].id);
		}
		pw_next_free(nx);
	}
	pw_list_free(ls);
	pw_demand_free(d);
	pw_close(e);
}

/* GET /v1/demand as each role: anonymous 401, learner and employer 403,
 * board and admin 200 with the document the engine renders; a malformed
 * region or an unknown parameter 400 naming it. */
static api_response get_demand(pw_engine *e, const char *auth, const char *key,
                               const char *value)
{
	api_param params[2] = {{"as_of", "2026-01-15"}, {key, value}};
	api_request req = {.method = "GET",
	                   .path = "/v1/demand",
	                   .params = params,
	                   .nparams = key ? 2 : 1,
	                   .authorization = auth};
	api_response res;
	api_handle(e, &req, &res);
	return res;
}

static void test_api_roles(void **state)
{
	(void)state;
	pw_engine *e = small_store();
	struct {
		pw_role role;
		const char *subject;
		int status;
	} who[] = {{PW_ROLE_LEARNER, "L1", 403},
	           {PW_ROLE_EMPLOYER, "E1", 403},
	           {PW_ROLE_BOARD, NULL, 200},
	           {PW_ROLE_ADMIN, NULL, 200}};
	pw_demand *d = demand(e, "21071", NULL, NULL, NULL);
	char *want = pw_demand_json(d, 0);
	pw_demand_free(d);
	pw_error err;
	char auth[256];
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
		char *tok = NULL;
		if (pw_token_create(e, who[i].role, who[i].subject, &tok, &err))
			fail_msg("token: %s", err.message);
		snprintf(auth, sizeof auth, "Bearer %s", tok);
		pw_free(tok);
		api_response r = get_demand(e, auth, "county", "21071");
		if (r.status != who[i].status)
			fail_msg("role %d: %d: %s", (int)who[i].role, r.status,
			         r.body);
		if (r.status == 200)
			assert_string_equal(r.body, want);
		else
			assert_string_equal(r.content_type,
			                    "application/problem+json");
		api_response_release(&r);
	}
	/* auth is the admin's now */
	api_response r = get_demand(e, auth, "county", "abc");
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "county 'abc'"));
	api_response_release(&r);
	r = get_demand(e, auth, "by", "gender");
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "by"));
	api_response_release(&r);
	r = get_demand(e, NULL, "county", "21071");
	assert_int_equal(r.status, 401);
	api_response_release(&r);
	pw_free(want);
	pw_close(e);
}

/* Occupations tie on the wage as reported, to the tenth: 50000.05 and the
 * median of 50000.00 and 50000.20 both show 50000.1, so soc decides. */
static void test_wage_tie_as_reported(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	fx_load_ok(
	    e, "{\"skills\": [{\"id\": \"s\", \"name\": \"S\"}], \"jobs\": ["
	       "{\"id\": \"a\", \"title\": \"A\", \"soc\": \"11-1011.00\", "
	       "\"remote\": true, \"openings\": 2, \"wage\": {\"min\": "
	       "50000.05, \"unit\": \"year\"}, \"requirements\": "
	       "[{\"skill\": \"s\"}]},"
	       "{\"id\": \"b\", \"title\": \"B\", \"soc\": \"29-1141.00\", "
	       "\"remote\": true, \"wage\": {\"min\": 50000, \"unit\": "
	       "\"year\"}, \"requirements\": [{\"skill\": \"s\"}]},"
	       "{\"id\": \"c\", \"title\": \"C\", \"soc\": \"29-1141.00\", "
	       "\"remote\": true, \"wage\": {\"min\": 50000.2, \"unit\": "
	       "\"year\"}, \"requirements\": [{\"skill\": \"s\"}]}]}");
	pw_demand_opts o = {.as_of = fx_date("2026-01-15")};
	pw_demand *d = NULL;
	pw_error err;
	assert_int_equal(pw_demand_compute(e, &o, &d, &err), PW_OK);
	assert_int_equal(d->nocc, 2);
	assert_string_equal(d->occupations[0].soc, "11-1011.00");
	assert_string_equal(d->occupations[1].soc, "29-1141.00");
	assert_int_equal(d->occupations[0].openings, 2);
	assert_int_equal(d->occupations[1].openings, 2);
	pw_demand_free(d);
	pw_close(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_whole_store),
	    cmocka_unit_test(test_wage_tie_as_reported),
	    cmocka_unit_test(test_county),
	    cmocka_unit_test(test_state),
	    cmocka_unit_test(test_circle),
	    cmocka_unit_test(test_against_next),
	    cmocka_unit_test(test_api_roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
