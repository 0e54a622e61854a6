/* test_match.c - SPEC §3-4 and §9 ranking: range by haversine distance with
 * county and state fallbacks, remote and closed postings, the ordering
 * qualified > score > annual wage (unknown last) > id, --top, --anywhere,
 * --qualified, --occupations; and candidates: discoverable learners only,
 * consent for name and contact, held credentials with stacks, by id. */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOME "{'lat': 37.0, 'lon': -83.0, 'county': '21193', 'state': 'KY'}"
#define V2 "[{'skill': 'vitals', 'level': 2}]"
#define V3 "[{'skill': 'vitals', 'level': 3}]"

static const char *const data =
    "{'skills': [{'id': 'care', 'name': 'Care'},"
    " {'id': 'vitals', 'name': 'Vitals', 'broader': ['care']},"
    " {'id': 'sa', 'name': 'A'}],"
    "'credentials': ["
    " {'id': 'c-vitals', 'name': 'Vitals', 'skills': [{'skill': 'vitals', 'level': 2}]},"
    " {'id': 'c-care2', 'name': 'Care', 'skills': [{'skill': 'care', 'level': 2}]},"
    " {'id': 'c-other', 'name': 'Other', 'skills': [{'skill': 'sa', 'level': 1}]},"
    " {'id': 'comp-a', 'name': 'A', 'skills': []},"
    " {'id': 'comp-b', 'name': 'B'},"
    " {'id': 'stack-ab', 'name': 'AB', 'components': ['comp-a', 'comp-b']}],"
    "'occupations': ["
    " {'id': '31-1131.00', 'title': 'Nursing Assistants', 'requirements': " V2 ","
    "  'wage': {'min': 38000, 'unit': 'year'}},"
    " {'id': '29-2061.00', 'title': 'LPNs', 'requirements': [{'skill': 'vitals', 'level': 4}]}]}";

static const char *const jobs =
    "{'jobs': ["
    " {'id': 'j-near', 'title': 'Near', 'employer': 'E', 'location': {'lat': 37.1, 'lon': -83.0},"
    "  'wage': {'min': 20, 'max': 25, 'unit': 'hour'}, 'requirements': " V2 "},"
    " {'id': 'j-rich', 'title': 'Rich', 'location': {'lat': 37.05, 'lon': -83.0},"
    "  'wage': {'min': 50000, 'unit': 'year'}, 'requirements': " V2 "},"
    " {'id': 'j-nowage', 'title': 'No wage', 'location': {'lat': 37.0, 'lon': -83.0},"
    "  'requirements': " V2 "},"
    " {'id': 'j-tie-b', 'title': 'Tie B', 'location': {'lat': 37.0, 'lon': -83.0},"
    "  'wage': {'max': 41600, 'unit': 'year'}, 'requirements': " V2 "},"
    " {'id': 'j-tie-a', 'title': 'Tie A', 'location': {'lat': 37.0, 'lon': -83.0},"
    "  'wage': {'min': 20, 'unit': 'hour'}, 'requirements': " V2 "},"
    " {'id': 'j-cred', 'title': 'Cred', 'location': {'lat': 37.0, 'lon': -83.0},"
    "  'requirements': " V2 ", 'credentials_required': ['c-other']},"
    " {'id': 'j-partial', 'title': 'Partial', 'location': {'lat': 37.0, 'lon': -83.0},"
    "  'requirements': " V3 "},"
    " {'id': 'j-far', 'title': 'Far', 'location': {'lat': 40.0, 'lon': -83.0},"
    "  'requirements': " V3 "},"
    " {'id': 'j-remote', 'title': 'Remote', 'remote': true,"
    "  'location': {'lat': 45.0, 'lon': -100.0}, 'requirements': " V3 "},"
    " {'id': 'j-closed', 'title': 'Closed', 'location': {'lat': 37.0, 'lon': -83.0},"
    "  'expires': '2025-05-31', 'requirements': " V2 "},"
    " {'id': 'j-county-same', 'title': 'C1', 'location': {'county': '21193', 'state': 'TN'},"
    "  'requirements': " V3 "},"
    " {'id': 'j-county-other', 'title': 'C2', 'location': {'county': '21195', 'state': 'KY'},"
    "  'requirements': " V3 "},"
    " {'id': 'j-state-same', 'title': 'S1', 'location': {'state': 'KY'}, 'requirements': " V3 "},"
    " {'id': 'j-state-other', 'title': 'S2', 'location': {'state': 'TN'}, 'requirements': " V3 "},"
    " {'id': 'j-noloc', 'title': 'Nowhere', 'requirements': " V3 "}]}";

static const char *const learners =
    "{'learners': ["
    " {'id': 'M', 'home': " HOME ", 'discoverable': true, 'name': 'Morgan',"
    "  'contact': 'm@example.org', 'credentials': [{'credential': 'c-vitals', 'earned': '2025-01-01'}]},"
    " {'id': 'N', 'home': " HOME ", 'max_commute_miles': 6.9,"
    "  'credentials': [{'credential': 'c-vitals', 'earned': '2025-01-01'}]},"
    " {'id': 'P', 'home': " HOME ", 'discoverable': true, 'share_contact': true,"
    "  'name': 'Pat', 'contact': 'pat@example.org',"
    "  'credentials': [{'credential': 'c-care2', 'earned': '2025-01-01'}]},"
    " {'id': 'Q', 'home': " HOME ", 'name': 'Quinn',"
    "  'credentials': [{'credential': 'c-vitals', 'earned': '2025-01-01'}]},"
    " {'id': 'R', 'home': {'lat': 45.0, 'lon': -100.0}, 'discoverable': true,"
    "  'credentials': [{'credential': 'c-vitals', 'earned': '2025-01-01'}]},"
    " {'id': 'S', 'home': " HOME ", 'discoverable': true,"
    "  'credentials': [{'credential': 'comp-b', 'earned': '2025-01-01'},"
    "   {'credential': 'comp-a', 'earned': '2025-01-01'}]},"
    " {'id': 'T', 'home': " HOME ", 'discoverable': true,"
    "  'credentials': [{'credential': 'c-vitals', 'earned': '2025-01-01'}]}]}";

static int setup(void **state)
{
	pw_engine *e = fx_open();
	const char *parts[] = {data, jobs, learners};
	for (size_t i = 0; i < 3; i++) {
		char *json = fx_dq(parts[i]);
		fx_load_ok(e, json);
		free(json);
	}
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	pw_close(*state);
	return 0;
}

static pw_match *match(pw_engine *e, const char *learner, pw_match_opts o)
{
	pw_match *m;
	pw_error err;
	if (!o.as_of)
		o.as_of = fx_date("2025-06-01");
	if (pw_match_learner(e, learner, &o, &m, &err))
		fail_msg("match failed: %s", err.message);
	return m;
}

static void assert_order(const pw_match *m, const char *const *ids, size_t n)
{
	if (m->count != n) {
		for (size_t i = 0; i < m->count; i++)
			print_message("  %s %.1f\n", m->rows[i].target, m->rows[i].score);
		fail_msg("%zu results, expected %zu", m->count, n);
	}
	for (size_t i = 0; i < n; i++)
		assert_string_equal(m->rows[i].target, ids[i]);
}

static void ranks_by_qualified_score_wage_id(void **state)
{
	pw_match *m = match(*state, "M", (pw_match_opts){.top = 50});
	const char *expect[] = {"j-rich",   "j-near",       "j-tie-a",
	                        "j-tie-b",  "j-nowage",     "j-cred",
	                        "j-county-same", "j-noloc", "j-partial",
	                        "j-remote", "j-state-same"};
	assert_order(m, expect, sizeof expect / sizeof expect[0]);
	assert_true(m->rows[0].annual_wage == 50000);
	assert_true(m->rows[1].annual_wage == 41600); /* min 20 * 2080 */
	assert_false(m->rows[4].has_wage);
	assert_false(m->rows[5].qualified);
	assert_true(m->rows[5].score == 100.0);
	assert_int_equal(m->rows[5].nmissing_credentials, 1);
	assert_string_equal(m->rows[5].missing_credentials[0], "c-other");
	assert_true(m->rows[8].score == 66.7);
	assert_int_equal(m->rows[8].npartial, 1);
	assert_string_equal(m->rows[8].partial[0].skill, "vitals");
	assert_true(m->rows[8].partial[0].have == 2);
	assert_int_equal(m->rows[8].partial[0].need, 3);
	pw_match_free(m);

	m = match(*state, "M", (pw_match_opts){0});
	assert_int_equal(m->count, 10); /* default top */
	pw_match_free(m);
	m = match(*state, "M", (pw_match_opts){.top = 3});
	assert_order(m, (const char *[]){"j-rich", "j-near", "j-tie-a"}, 3);
	pw_match_free(m);
}

static void distances_and_range(void **state)
{
	pw_match *m = match(*state, "M", (pw_match_opts){.top = 50});
	for (size_t i = 0; i < m->count; i++) {
		const pw_match_row *r = &m->rows[i];
		if (strcmp(r->target, "j-near") == 0) {
			assert_true(r->has_distance);
			assert_true(r->distance_miles == 6.9); /* 0.1 deg of latitude */
		}
		if (strcmp(r->target, "j-remote") == 0) {
			/* a remote job with a location still reports its distance */
			assert_true(r->has_distance);
			assert_true(r->distance_miles > 800);
		}
		if (strcmp(r->target, "j-noloc") == 0 ||
		    strcmp(r->target, "j-county-same") == 0)
			assert_false(r->has_distance);
	}
	pw_match_free(m);

	/* range compares the unrounded 6.909 miles with 6.9: out */
	m = match(*state, "N", (pw_match_opts){.top = 50, .qualified = true});
	assert_order(m, (const char *[]){"j-rich", "j-tie-a", "j-tie-b", "j-nowage"},
	             4);
	pw_match_free(m);
}

static void anywhere_keeps_closed_jobs_out(void **state)
{
	pw_match *m = match(*state, "M", (pw_match_opts){.top = 50, .anywhere = true});
	assert_int_equal(m->count, 14);
	bool far = false;
	for (size_t i = 0; i < m->count; i++) {
		assert_string_not_equal(m->rows[i].target, "j-closed");
		if (strcmp(m->rows[i].target, "j-far") == 0) {
			far = true;
			assert_true(m->rows[i].distance_miles == 207.3);
		}
	}
	assert_true(far);
	pw_match_free(m);
	/* before it closed, j-closed is matched */
	m = match(*state, "M",
	          (pw_match_opts){.top = 50, .as_of = fx_date("2025-05-31")});
	bool found = false;
	for (size_t i = 0; i < m->count; i++)
		found |= strcmp(m->rows[i].target, "j-closed") == 0;
	assert_true(found);
	pw_match_free(m);
}

static void qualified_only(void **state)
{
	pw_match *m = match(*state, "M", (pw_match_opts){.top = 50, .qualified = true});
	assert_order(m,
	             (const char *[]){"j-rich", "j-near", "j-tie-a", "j-tie-b",
	                              "j-nowage"},
	             5);
	pw_match_free(m);
}

static void occupations_rank_like_remote_jobs(void **state)
{
	pw_match *m = match(*state, "M", (pw_match_opts){.occupations = true});
	assert_order(m, (const char *[]){"31-1131.00", "29-2061.00"}, 2);
	assert_true(m->occupations);
	assert_true(m->rows[0].qualified);
	assert_false(m->rows[0].has_distance);
	assert_null(m->rows[0].employer);
	assert_true(m->rows[1].score == 50.0);
	char *json = pw_match_json(m, 0);
	assert_non_null(strstr(json, "\"occupation\":\"31-1131.00\""));
	assert_null(strstr(json, "\"job\""));
	pw_free(json);
	pw_match_free(m);

	/* explain and candidates accept an occupation code too */
	pw_explain *x;
	pw_error err;
	assert_int_equal(pw_explain_match(*state, "M", "29-2061.00",
	                                  fx_date("2025-06-01"), &x, &err),
	                 PW_OK);
	assert_true(x->is_occupation);
	assert_true(x->in_range);
	pw_explain_free(x);

	/* an occupation that states no requirement is not ranked (it would
	 * qualify everyone at 100), though it can still be explained */
	fx_load_ok(*state, "{\"occupations\": [{\"id\": \"29-1212.00\","
	                   " \"title\": \"Cardiologists\"}]}");
	m = match(*state, "M", (pw_match_opts){.occupations = true, .top = 50});
	assert_order(m, (const char *[]){"31-1131.00", "29-2061.00"}, 2);
	pw_match_free(m);
	assert_int_equal(pw_explain_match(*state, "M", "29-1212.00",
	                                  fx_date("2025-06-01"), &x, &err),
	                 PW_OK);
	assert_true(x->score == 100.0);
	pw_explain_free(x);
}

static void unknown_names_are_not_found(void **state)
{
	pw_match *m;
	pw_explain *x;
	pw_candidates *c;
	pw_error err;
	pw_match_opts o = {.as_of = fx_date("2025-06-01")};
	assert_int_equal(pw_match_learner(*state, "nobody", &o, &m, &err),
	                 PW_ERR_NOT_FOUND);
	assert_string_equal(err.message, "no learner 'nobody'");
	assert_int_equal(pw_explain_match(*state, "M", "j-none", o.as_of, &x, &err),
	                 PW_ERR_NOT_FOUND);
	assert_string_equal(err.message, "no job or occupation 'j-none'");
	assert_int_equal(pw_find_candidates(*state, "j-none", o.as_of, 0, &c, &err),
	                 PW_ERR_NOT_FOUND);
}

static pw_candidates *candidates(pw_engine *e, const char *job, const char *as_of)
{
	pw_candidates *c;
	pw_error err;
	if (pw_find_candidates(e, job, fx_date(as_of), 0, &c, &err))
		fail_msg("candidates failed: %s", err.message);
	return c;
}

static void candidates_respect_consent(void **state)
{
	pw_candidates *c = candidates(*state, "j-near", "2025-06-01");
	/* Q is not discoverable, R is out of range */
	assert_int_equal(c->count, 4);
	assert_string_equal(c->rows[0].learner, "M");
	assert_string_equal(c->rows[1].learner, "T");
	assert_string_equal(c->rows[2].learner, "P");
	assert_string_equal(c->rows[3].learner, "S");
	assert_true(c->rows[0].qualified);
	assert_true(c->rows[2].score == 50.0);
	assert_null(c->rows[0].name);
	assert_null(c->rows[0].contact);
	assert_string_equal(c->rows[2].name, "Pat");
	assert_string_equal(c->rows[2].contact, "pat@example.org");
	/* held credentials by id, the stack included */
	assert_int_equal(c->rows[3].ncredentials, 3);
	assert_string_equal(c->rows[3].credentials[0], "comp-a");
	assert_string_equal(c->rows[3].credentials[1], "comp-b");
	assert_string_equal(c->rows[3].credentials[2], "stack-ab");
	char *json = pw_candidates_json(c, 0);
	assert_null(strstr(json, "Morgan"));
	assert_null(strstr(json, "m@example.org"));
	assert_non_null(strstr(json, "\"name\":\"Pat\",\"contact\":\"pat@example.org\""));
	assert_null(strstr(json, "Quinn"));
	pw_free(json);
	pw_candidates_free(c);

	/* a closed posting has no candidates */
	c = candidates(*state, "j-closed", "2025-06-01");
	assert_int_equal(c->count, 0);
	assert_false(c->open);
	pw_candidates_free(c);
}

static void match_json_document(void **state)
{
	pw_match *m = match(*state, "M", (pw_match_opts){.top = 1});
	char *json = pw_match_json(m, 0);
	assert_string_equal(
	    json, "{\"learner\":\"M\",\"as_of\":\"2025-06-01\",\"results\":["
	          "{\"job\":\"j-rich\",\"title\":\"Rich\",\"employer\":null,"
	          "\"score\":100.0,\"qualified\":true,\"distance_miles\":3.5,"
	          "\"annual_wage\":50000.0,\"met\":[\"vitals\"],\"partial\":[],"
	          "\"missing\":[],\"missing_credentials\":[]}]}");
	pw_free(json);
	pw_match_free(m);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(ranks_by_qualified_score_wage_id),
	    T(distances_and_range),
	    T(anywhere_keeps_closed_jobs_out),
	    T(qualified_only),
	    T(occupations_rank_like_remote_jobs),
	    T(unknown_names_are_not_found),
	    T(candidates_respect_consent),
	    T(match_json_document),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
