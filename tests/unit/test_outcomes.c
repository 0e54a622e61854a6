/* test_outcomes.c - the outcomes board view (SPEC §10) on a small
 * hand-made dataset whose every figure is worked out by hand below. */
#include "fixture.h"
#include "routes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AS_OF "2026-01-01"

/* ---- the dataset ----
 *
 * Skills a, b, p, x. Credentials: ca1 (a level 1, 5 h), ca2 (a level 2,
 * 10 h, prerequisite ca1), cb2 (b level 2, 12 h); nothing grants p or x.
 * Jobs (no coordinates anywhere, so range is decided by county):
 *   jA in 21071: a 2 required (importance 1), p 1 preferred (importance 3)
 *   jB in 21071: b 2 required (importance 1), a 2 preferred (importance 3)
 *   jX in 21193: x 1 required - nobody can ever qualify
 *   jOld in 21071: no requirements, but expired before AS_OF: were it
 *       counted, everyone in 21071 would be qualified.
 * Learners in 21071 see jA and jB; in 21193 only jX; in 39009 nothing.
 *
 * Kinds of learner in 21071 (score = 100 × Σ w·c / Σ w):
 *   N holds nothing: jA 0, jB 0 -> best 0, not qualified; plans: jA needs
 *     ca1 + ca2 = 15 h, jB needs cb2 = 12 h -> 12 h.
 *   P holds ca1 (a 1): jA (1 × .5) / 4 = 12.5, jB (3 × .5) / 4 = 37.5 ->
 *     best 37.5; plans: jA ca2 = 10 h, jB cb2 = 12 h -> 10 h.
 *   Q holds ca1, ca2 (a 2): jA 1/4 = 25.0 qualified, jB 3/4 = 75.0 not
 *     qualified -> qualified, best 75 (beyond the qualified-first order).
 *   B holds cb2: jA 0, jB 1/4 = 25.0 qualified -> qualified, best 25.
 * In 21193 anyone: jX 0 -> best 0, not qualified, no reachable plan.
 * In 39009 anyone: no open job in range -> no best score, no plan.
 *
 * The 30 learners:
 *   f1..f10 (female, black, 25-34): f1 f2 N, f3 f4 P, f5 Q, f6 B in 21071;
 *     f7 f8 N in 21193; f9 f10 N in 39009.
 *   m1..m9 (male), all N in 21071: m1 white 18-24, m2 asian 35-44,
 *     m3..m9 white with no age_band.
 *   n1..n11 (no demographics): n1..n3 N, n4 n5 P, n6 n7 Q, n8 B in 21071;
 *     n9 P in 21193; n10 n11 N in 39009. */

static const char catalog[] =
    "{'skills': [{'id': 'a', 'name': 'A'}, {'id': 'b', 'name': 'B'},"
    " {'id': 'p', 'name': 'P'}, {'id': 'x', 'name': 'X'}],"
    "'credentials': ["
    " {'id': 'ca1', 'name': 'A1', 'hours': 5, 'cost': 1,"
    "  'skills': [{'skill': 'a', 'level': 1}]},"
    " {'id': 'ca2', 'name': 'A2', 'hours': 10, 'cost': 1,"
    "  'prerequisites': ['ca1'], 'skills': [{'skill': 'a', 'level': 2}]},"
    " {'id': 'cb2', 'name': 'B2', 'hours': 12, 'cost': 1,"
    "  'skills': [{'skill': 'b', 'level': 2}]}],"
    "'jobs': ["
    " {'id': 'jA', 'title': 'A job', 'location': {'county': '21071',"
    "  'state': 'KY'}, 'requirements': ["
    "  {'skill': 'a', 'level': 2, 'importance': 1, 'required': true},"
    "  {'skill': 'p', 'level': 1, 'importance': 3, 'required': false}]},"
    " {'id': 'jB', 'title': 'B job', 'location': {'county': '21071',"
    "  'state': 'KY'}, 'requirements': ["
    "  {'skill': 'b', 'level': 2, 'importance': 1, 'required': true},"
    "  {'skill': 'a', 'level': 2, 'importance': 3, 'required': false}]},"
    " {'id': 'jX', 'title': 'X job', 'location': {'county': '21193',"
    "  'state': 'KY'}, 'requirements': [{'skill': 'x', 'level': 1}]},"
    " {'id': 'jOld', 'title': 'Old job', 'expires': '2025-06-01',"
    "  'location': {'county': '21071', 'state': 'KY'}}]}";

static void learner(fx_text *t, const char *id, const char *county, char kind,
                    const char *demo)
{
	static const char *const holds[] = {
	    ['N'] = "",
	    ['P'] = "{'credential': 'ca1', 'earned': '2024-01-01'}",
	    ['Q'] = "{'credential': 'ca1', 'earned': '2024-01-01'},"
	            " {'credential': 'ca2', 'earned': '2024-06-01'}",
	    ['B'] = "{'credential': 'cb2', 'earned': '2024-01-01'}"};
	const char *state = strcmp(county, "39009") == 0 ? "OH" : "KY";
	fx_put(t,
	       "%s{'id': '%s', 'home': {'county': '%s', 'state': '%s'},"
	       " 'credentials': [%s]%s%s%s}",
	       t->len > 20 ? ", " : "", id, county, state, holds[(int)kind],
	       demo ? ", 'demographics': {" : "", demo ? demo : "",
	       demo ? "}" : "");
}

static int setup(void **state)
{
	pw_engine *e = fx_open();
	char *json = fx_dq(catalog);
	fx_load_ok(e, json);
	free(json);
	fx_text t = {0};
	fx_put(&t, "{'learners': [");
	const char *fdemo = "'gender': 'female', 'race_ethnicity': 'black',"
	                    " 'age_band': '25-34'";
	const char *fk = "NNPPQBNNNN";
	for (int i = 0; i < 10; i++) {
		char id[16];
		snprintf(id, sizeof id, "f%d", i + 1);
		learner(&t, id,
		        i < 6   ? "21071"
		        : i < 8 ? "21193"
		                : "39009",
		        fk[i], fdemo);
	}
	learner(&t, "m1", "21071", 'N',
	        "'gender': 'male', 'race_ethnicity': 'white',"
	        " 'age_band': '18-24'");
	learner(&t, "m2", "21071", 'N',
	        "'gender': 'male', 'race_ethnicity': 'asian',"
	        " 'age_band': '35-44'");
	for (int i = 3; i <= 9; i++) {
		char id[16];
		snprintf(id, sizeof id, "m%d", i);
		learner(&t, id, "21071", 'N',
		        "'gender': 'male', 'race_ethnicity': 'white'");
	}
	const char *nk = "NNNPPQQBPNN";
	for (int i = 0; i < 11; i++) {
		char id[16];
		snprintf(id, sizeof id, "n%d", i + 1);
		learner(&t, id,
		        i < 8   ? "21071"
		        : i < 9 ? "21193"
		                : "39009",
		        nk[i], NULL);
	}
	fx_put(&t, "]}");
	json = fx_dq(t.text);
	fx_load_ok(e, json);
	free(json);
	fx_text_free(&t);
	*state = e;
	return 0;
}

static pw_outcomes *live;

static int teardown(void **state)
{
	pw_outcomes_free(live);
	live = NULL;
	pw_close(*state);
	return 0;
}

static pw_outcomes *run(pw_engine *e, pw_group_by by, const char *county,
                        const char *st)
{
	pw_region *r = NULL;
	pw_error err;
	if ((county || st) && pw_region_parse(county, st, NULL, NULL, &r, &err))
		fail_msg("region: %s", err.message);
	pw_outcomes_opts o = {.region = r, .as_of = fx_date(AS_OF), .by = by};
	pw_outcomes_free(live);
	live = NULL;
	pw_status s = pw_outcomes_compute(e, &o, &live, &err);
	pw_region_free(r);
	if (s)
		fail_msg("outcomes: %s", err.message);
	return live;
}

#define NONE (-1.0)

/* A shown group's figures (best and hours NONE for null). */
static void shown(const pw_outcomes *x, size_t i, const char *name,
                  size_t learners, size_t qualified, double best, double hours)
{
	assert_true(i < x->count);
	const pw_outcome_group *g = &x->groups[i];
	if (name)
		assert_string_equal(g->group, name);
	else
		assert_null(g->group);
	assert_false(g->suppressed);
	assert_int_equal(g->learners, learners);
	assert_int_equal(g->qualified, qualified);
	assert_true(fabs(g->qualified_share -
	                 (double)qualified / (double)learners) < 1e-12);
	assert_int_equal(g->has_median_best_score, best != NONE);
	if (best != NONE)
		assert_true(fabs(g->median_best_score - best) < 1e-9);
	assert_int_equal(g->has_median_hours, hours != NONE);
	if (hours != NONE)
		assert_true(fabs(g->median_hours_to_qualify - hours) < 1e-9);
}

/* A suppressed group: its name and nothing else. */
static void hidden(const pw_outcomes *x, size_t i, const char *name)
{
	assert_true(i < x->count);
	const pw_outcome_group *g = &x->groups[i];
	if (name)
		assert_string_equal(g->group, name);
	else
		assert_null(g->group);
	assert_true(g->suppressed);
	assert_int_equal(g->learners, 0);
	assert_int_equal(g->qualified, 0);
	assert_false(g->has_median_best_score);
	assert_false(g->has_median_hours);
}

/* female (exactly 10): qualified f5 f6 = 2; best over f1..f8 (f9 f10 see
 * no job) 0 0 37.5 37.5 75 25 0 0 -> 0 0 0 0 | 25 37.5 37.5 75: even,
 * (0 + 25) / 2 = 12.5; hours over f1..f4: 12 12 10 10 -> (10 + 12) / 2 =
 * 11. male (exactly 9): suppressed. null (n1..n11): qualified n6 n7 n8 =
 * 3; best over n1..n9: 0 0 0 37.5 37.5 75 75 25 0 -> odd, the fifth of
 * 0 0 0 0 25 37.5 37.5 75 75 = 25; hours over n1..n5 (n9 has no
 * reachable plan): 12 12 12 10 10 -> 12. One group suppressed: no total
 * (it would give male's 9 away). */
static void by_gender(void **state)
{
	pw_outcomes *x = run(*state, PW_GROUP_GENDER, NULL, NULL);
	assert_int_equal(x->count, 3);
	shown(x, 0, "female", 10, 2, 12.5, 11);
	hidden(x, 1, "male");
	shown(x, 2, NULL, 11, 3, 25, 12);
	assert_false(x->has_total);
	char *j = pw_outcomes_json(x, 0);
	assert_non_null(j);
	assert_string_equal(
	    j, "{\"region\":{},\"as_of\":\"2026-01-01\",\"by\":\"gender\","
	       "\"groups\":[{\"group\":\"female\",\"learners\":10,"
	       "\"qualified\":2,\"qualified_share\":0.2,"
	       "\"median_best_score\":12.5,\"median_hours_to_qualify\":11.0},"
	       "{\"group\":\"male\",\"suppressed\":true},"
	       "{\"group\":null,\"learners\":11,\"qualified\":3,"
	       "\"qualified_share\":0.2727272727272727,"
	       "\"median_best_score\":25.0,"
	       "\"median_hours_to_qualify\":12.0}]}");
	/* no learner is named */
	assert_null(strstr(j, "\"f1\""));
	assert_null(strstr(j, "demographics"));
	pw_free(j);
}

/* 21071: 23 learners (f1..f6, m1..m9, n1..n8); qualified f5 f6 n6 n7 n8
 * = 5; best: 14 zeros (f1 f2, m1..m9, n1..n3), 25 ×2, 37.5 ×4, 75 ×3 ->
 * odd, the 12th = 0; hours: 10 ×4 (f3 f4 n4 n5), 12 ×14 -> the 9th and
 * 10th of 18 are 12 and 12 -> 12. 21193 (3) and 39009 (4) suppressed:
 * two, summing 7, which leaves each one's count open -> total 30. */
static void by_county(void **state)
{
	pw_outcomes *x = run(*state, PW_GROUP_COUNTY, NULL, NULL);
	assert_int_equal(x->count, 3);
	shown(x, 0, "21071", 23, 5, 0, 12);
	hidden(x, 1, "21193");
	hidden(x, 2, "39009");
	assert_true(x->has_total);
	assert_int_equal(x->total, 30);
}

/* asian (m2) and white (m1, m3..m9: 8) suppressed, summing 9 over two
 * groups: either could hold 1 to 8 -> total shown. black = the female
 * learners; null = n1..n11. */
static void by_race(void **state)
{
	pw_outcomes *x = run(*state, PW_GROUP_RACE_ETHNICITY, NULL, NULL);
	assert_int_equal(x->count, 4);
	hidden(x, 0, "asian");
	shown(x, 1, "black", 10, 2, 12.5, 11);
	hidden(x, 2, "white");
	shown(x, 3, NULL, 11, 3, 25, 12);
	assert_true(x->has_total);
	assert_int_equal(x->total, 30);
}

/* 18-24 (m1) and 35-44 (m2) suppressed: two groups, but total minus the
 * shown ones is 2, so each holds exactly 1 -> total left out. null = n1..
 * n11 and m3..m9 (demographics without age_band): 18 learners, qualified
 * 3; best: the nine of n1..n9 plus seven zeros -> 11 zeros, 25, 37.5
 * ×2, 75 ×2: the 8th and 9th of 16 are 0 -> 0; hours: 10 10 12 12 12 and
 * seven 12s -> the 6th and 7th of 12 are 12 -> 12. */
static void by_age_band(void **state)
{
	pw_outcomes *x = run(*state, PW_GROUP_AGE_BAND, NULL, NULL);
	assert_int_equal(x->count, 4);
	hidden(x, 0, "18-24");
	shown(x, 1, "25-34", 10, 2, 12.5, 11);
	hidden(x, 2, "35-44");
	shown(x, 3, NULL, 18, 3, 0, 12);
	assert_false(x->has_total);
	char *j = pw_outcomes_json(x, 0);
	assert_null(strstr(j, "\"total\""));
	pw_free(j);
}

/* Kentucky leaves 39009 out: 21071 as above, 21193 alone suppressed ->
 * no total. */
static void region_state(void **state)
{
	pw_outcomes *x = run(*state, PW_GROUP_COUNTY, NULL, "KY");
	assert_int_equal(x->count, 2);
	shown(x, 0, "21071", 23, 5, 0, 12);
	hidden(x, 1, "21193");
	assert_false(x->has_total);
	char *j = pw_outcomes_json(x, 0);
	assert_non_null(strstr(j, "\"region\":{\"state\":\"KY\"}"));
	pw_free(j);
}

/* 39009 alone: 4 learners. By gender, fewer than 10 in the region: no
 * group at all, not even a suppressed one's name (it would tell the few
 * learners' answers), and the total 4 (no one's secret). By county, the
 * one group is named and suppressed, and the total left out (it is the
 * group's). By gender in 21071: female f1..f6 (6, suppressed), male (9,
 * suppressed), null n1..n8 (8, suppressed): three groups summing 23 ->
 * total 23. */
static void regions_counties(void **state)
{
	pw_outcomes *x = run(*state, PW_GROUP_GENDER, "39009", NULL);
	assert_int_equal(x->count, 0);
	assert_true(x->groups_withheld);
	assert_true(x->has_total);
	assert_int_equal(x->total, 4);
	char *j = pw_outcomes_json(x, 0);
	assert_non_null(strstr(j, "\"groups\":[],\"total\":4}"));
	pw_free(j);
	x = run(*state, PW_GROUP_RACE_ETHNICITY, "39009", NULL);
	assert_int_equal(x->count, 0);
	assert_true(x->groups_withheld);
	x = run(*state, PW_GROUP_COUNTY, "39009", NULL);
	assert_int_equal(x->count, 1);
	assert_false(x->groups_withheld);
	hidden(x, 0, "39009");
	assert_false(x->has_total);
	x = run(*state, PW_GROUP_GENDER, "21071", NULL);
	assert_int_equal(x->count, 3);
	hidden(x, 0, "female");
	hidden(x, 1, "male");
	hidden(x, 2, NULL);
	assert_true(x->has_total);
	assert_int_equal(x->total, 23);
}

/* A region with nobody: no groups, total 0. */
static void empty_region(void **state)
{
	pw_outcomes *x = run(*state, PW_GROUP_COUNTY, "01001", NULL);
	assert_int_equal(x->count, 0);
	assert_true(x->has_total);
	assert_int_equal(x->total, 0);
}

/* Demographics never move a match or a plan: the figures per county are
 * the same after every learner's demographics are removed. */
static void demographics_do_not_score(void **state)
{
	pw_engine *e = *state;
	pw_outcomes *x = run(e, PW_GROUP_COUNTY, NULL, NULL);
	char *before = pw_outcomes_json(x, 0);
	fx_text t = {0};
	fx_put(&t, "{'learners': [");
	for (int i = 1; i <= 9; i++)
		learner(&t, (char[]){'m', (char)('0' + i), 0}, "21071", 'N',
		        NULL);
	fx_put(&t, "]}");
	char *json = fx_dq(t.text);
	fx_load_ok(e, json);
	free(json);
	fx_text_free(&t);
	x = run(e, PW_GROUP_COUNTY, NULL, NULL);
	char *after = pw_outcomes_json(x, 0);
	assert_string_equal(before, after);
	pw_free(before);
	pw_free(after);
	/* and the male group is gone into null: 11 + 9 = 20 */
	x = run(e, PW_GROUP_GENDER, NULL, NULL);
	assert_int_equal(x->count, 2);
	assert_int_equal(x->groups[1].learners, 20);
}

/* Ten more Q learners (gender other): each is qualified for jA at 25.0
 * but scores 75.0 at jB, where they are not qualified; their best score
 * is 75, which match's qualified-first order alone would miss. */
static void best_beyond_qualified(void **state)
{
	pw_engine *e = *state;
	fx_text t = {0};
	fx_put(&t, "{'learners': [");
	for (int i = 0; i < 10; i++) {
		char id[16];
		snprintf(id, sizeof id, "o%d", i);
		learner(&t, id, "21071", 'Q', "'gender': 'other'");
	}
	fx_put(&t, "]}");
	char *json = fx_dq(t.text);
	fx_load_ok(e, json);
	free(json);
	fx_text_free(&t);
	pw_outcomes *x = run(e, PW_GROUP_GENDER, NULL, NULL);
	assert_int_equal(x->count, 4);
	shown(x, 2, "other", 10, 10, 75, NONE);
}

/* 200 more learners in 21071 (gender bulk), kinds N P Q B in turn, 50
 * each: enough that workers share them out. bulk: 100 qualified (Q, B);
 * best 0 ×50, 25 ×50, 37.5 ×50, 75 ×50 -> the 100th and 101st are 25
 * and 37.5 -> 31.25; hours 12 ×50 (N), 10 ×50 (P) -> (10 + 12) / 2 = 11.
 * The first groups are as in by_gender. Then 39009 alone by county (4 of
 * 230 learners): one suppressed group, no total. */
static void bulk(void **state)
{
	pw_engine *e = *state;
	fx_text t = {0};
	fx_put(&t, "{'learners': [");
	for (int i = 0; i < 200; i++) {
		char id[16];
		snprintf(id, sizeof id, "z%03d", i);
		learner(&t, id, "21071", "NPQB"[i % 4], "'gender': 'bulk'");
	}
	fx_put(&t, "]}");
	char *json = fx_dq(t.text);
	fx_load_ok(e, json);
	free(json);
	fx_text_free(&t);
	pw_outcomes *x = run(e, PW_GROUP_GENDER, NULL, NULL);
	assert_int_equal(x->count, 4);
	shown(x, 0, "bulk", 200, 100, 31.25, 11);
	shown(x, 1, "female", 10, 2, 12.5, 11);
	hidden(x, 2, "male");
	shown(x, 3, NULL, 11, 3, 25, 12);
	assert_false(x->has_total);
	x = run(e, PW_GROUP_COUNTY, "39009", NULL);
	assert_int_equal(x->count, 1);
	hidden(x, 0, "39009");
	assert_false(x->has_total);
}

static void bad_group(void **state)
{
	(void)state;
	pw_group_by by;
	pw_error err;
	assert_int_equal(pw_group_by_parse("income", &by, &err),
	                 PW_ERR_INVALID);
	assert_non_null(strstr(err.message, "'income'"));
	assert_int_equal(pw_group_by_parse("age_band", &by, &err), PW_OK);
	assert_int_equal(by, PW_GROUP_AGE_BAND);
	assert_string_equal(pw_group_by_name(by), "age_band");
}

/* ---- GET /v1/outcomes ---- */

static api_response get(pw_engine *e, const char *auth, const char *by,
                        const char *extra)
{
	api_param params[3] = {{"as_of", AS_OF}, {"by", by}};
	size_t n = by ? 2 : 1;
	if (extra)
		params[n++] = (api_param){extra, "x"};
	api_request req = {.method = "GET",
	                   .path = "/v1/outcomes",
	                   .params = params,
	                   .nparams = n,
	                   .authorization = auth};
	api_response res;
	api_handle(e, &req, &res);
	return res;
}

/* Boards and admins read it (the document the engine renders, with no
 * learner named and no demographics of anyone); learners and employers
 * get 403, anonymous callers 401. */
static void api_roles(void **state)
{
	pw_engine *e = *state;
	struct {
		pw_role role;
		const char *subject;
		int status;
	} who[] = {{PW_ROLE_LEARNER, "f1", 403},
	           {PW_ROLE_EMPLOYER, "acme", 403},
	           {PW_ROLE_BOARD, NULL, 200},
	           {PW_ROLE_ADMIN, NULL, 200}};
	char *want = pw_outcomes_json(run(e, PW_GROUP_GENDER, NULL, NULL), 0);
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
		char *tok, auth[160];
		pw_error err;
		if (pw_token_create(e, who[i].role, who[i].subject, &tok, &err))
			fail_msg("token: %s", err.message);
		snprintf(auth, sizeof auth, "Bearer %s", tok);
		pw_free(tok);
		api_response r = get(e, auth, "gender", NULL);
		assert_int_equal(r.status, who[i].status);
		if (r.status == 200) {
			assert_string_equal(r.body, want);
			assert_null(strstr(r.body, "\"f1\""));
			assert_null(strstr(r.body, "\"n1\""));
			assert_null(strstr(r.body, "demographics"));
			assert_null(strstr(r.body, "race_ethnicity"));
			api_response_release(&r);
			/* refusals name what is wrong */
			r = get(e, auth, "income", NULL);
			assert_int_equal(r.status, 400);
			assert_non_null(strstr(r.body, "'income'"));
			api_response_release(&r);
			r = get(e, auth, NULL, NULL);
			assert_int_equal(r.status, 400);
			api_response_release(&r);
			r = get(e, auth, "county", "zip");
			assert_int_equal(r.status, 400);
			assert_non_null(strstr(r.body, "'zip'"));
			api_response_release(&r);
			r = get(e, auth, "county", "radius");
			assert_int_equal(r.status, 400);
		} else
			assert_non_null(strstr(r.body, "boards and admins"));
		api_response_release(&r);
	}
	api_response r = get(e, NULL, "gender", NULL);
	assert_int_equal(r.status, 401);
	api_response_release(&r);
	pw_free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(by_gender, setup, teardown),
	    cmocka_unit_test_setup_teardown(by_county, setup, teardown),
	    cmocka_unit_test_setup_teardown(by_race, setup, teardown),
	    cmocka_unit_test_setup_teardown(by_age_band, setup, teardown),
	    cmocka_unit_test_setup_teardown(region_state, setup, teardown),
	    cmocka_unit_test_setup_teardown(regions_counties, setup, teardown),
	    cmocka_unit_test_setup_teardown(empty_region, setup, teardown),
	    cmocka_unit_test_setup_teardown(demographics_do_not_score, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(best_beyond_qualified, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(bulk, setup, teardown),
	    cmocka_unit_test(bad_group),
	    cmocka_unit_test_setup_teardown(api_roles, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
