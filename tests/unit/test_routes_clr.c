/* test_routes_clr.c - GET /v1/learners/{id}/clr: the learner's own
 * credentials as a CLR 2.0 bundle, for the learner and admins only
 * (anonymous 401, employers and boards 403, another learner 404), 409 for
 * a learner with nothing to carry, 404 for no such learner, 400 for an
 * unknown parameter or a bad as_of; and the bundle, posted to another
 * store's POST /v1/learners/{id}/credentials, gives the same entries and
 * the same matches. */
#include "fixture.h"
#include "routes.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const catalog =
    "{'skills': [{'id': 's1', 'name': 'Skill one'},"
    "  {'id': 's2', 'name': 'Skill two'}],"
    " 'credentials': [{'id': 'c1', 'name': 'Cred one', 'hours': 10,"
    "   'cost': 5, 'url': 'https://college.example.edu',"
    "   'skills': [{'skill': 's1', 'level': 2}]},"
    "  {'id': 'c2', 'name': 'Cred two', 'hours': 4, 'cost': 9,"
    "   'url': 'https://college.example.edu', 'expires_months': 12,"
    "   'skills': [{'skill': 's2', 'level': 3}]}],"
    " 'jobs': [{'id': 'j1', 'title': 'Job one', 'employer': 'Acme',"
    "   'remote': true, 'requirements': [{'skill': 's1', 'level': 2},"
    "   {'skill': 's2', 'level': 3}]}]}";

static const char *const learners =
    "{'learners': [{'id': 'l1', 'demographics': {'gender': 'female'},"
    "   'credentials': [{'credential': 'c1', 'earned': '2025-01-01',"
    "   'expires': '2027-01-01'}, {'credential': 'c2', 'earned':"
    "   '2025-06-01'}]},"
    "  {'id': 'l2'}]}";

typedef struct world {
	pw_engine *e;
	char auth[6][128];
} world;

enum { ANON, SELF, OTHER, EMPLOYER, BOARD, ADMIN };

static int setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	w->e = fx_open();
	char *a = fx_dq(catalog), *b = fx_dq(learners);
	fx_load_ok(w->e, a);
	fx_load_ok(w->e, b);
	free(a);
	free(b);
	struct {
		pw_role role;
		const char *subject;
	} who[6] = {{PW_ROLE_NONE, NULL},    {PW_ROLE_LEARNER, "l1"},
	            {PW_ROLE_LEARNER, "l2"}, {PW_ROLE_EMPLOYER, "Acme"},
	            {PW_ROLE_BOARD, NULL},   {PW_ROLE_ADMIN, NULL}};
	for (int i = 1; i < 6; i++) {
		char *tok;
		pw_error err;
		if (pw_token_create(w->e, who[i].role, who[i].subject, &tok,
		                    &err))
			fail_msg("token: %s", err.message);
		snprintf(w->auth[i], sizeof w->auth[i], "Bearer %s", tok);
		pw_free(tok);
	}
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	pw_close(w->e);
	free(w);
	return 0;
}

static api_response call(pw_engine *e, const char *method, const char *path,
                         const char *key, const char *value, const char *auth,
                         const char *body)
{
	api_param p = {key, value};
	api_request rq = {.method = method,
	                  .path = path,
	                  .params = key ? &p : NULL,
	                  .nparams = key ? 1 : 0,
	                  .authorization = auth,
	                  .content_type = body ? "application/json" : NULL,
	                  .body = body,
	                  .body_len = body ? strlen(body) : 0};
	api_response res;
	api_handle(e, &rq, &res);
	return res;
}

static void expect(world *w, const char *path, const char *key,
                   const char *value, int who, int status)
{
	api_response r = call(w->e, "GET", path, key, value,
	                      who == ANON ? NULL : w->auth[who], NULL);
	if (r.status != status)
		fail_msg("GET %s as %d: %d, want %d: %s", path, who, r.status,
		         status, r.body);
	if (status >= 400)
		assert_string_equal(r.content_type, "application/problem+json");
	api_response_release(&r);
}

static void who_may(void **state)
{
	world *w = *state;
	expect(w, "/v1/learners/l1/clr", NULL, NULL, ANON, 401);
	expect(w, "/v1/learners/l1/clr", NULL, NULL, SELF, 200);
	expect(w, "/v1/learners/l1/clr", NULL, NULL, OTHER, 404);
	expect(w, "/v1/learners/l1/clr", NULL, NULL, EMPLOYER, 403);
	expect(w, "/v1/learners/l1/clr", NULL, NULL, BOARD, 403);
	expect(w, "/v1/learners/l1/clr", NULL, NULL, ADMIN, 200);
	expect(w, "/v1/learners/l2/clr", NULL, NULL, OTHER, 409);
	expect(w, "/v1/learners/l2/clr", NULL, NULL, ADMIN, 409);
	expect(w, "/v1/learners/nobody/clr", NULL, NULL, ADMIN, 404);
	expect(w, "/v1/learners/l1/clr", "top", "3", SELF, 400);
	expect(w, "/v1/learners/l1/clr", "as_of", "2025-13-01", SELF, 400);
	expect(w, "/v1/learners/l1/clr", "as_of", "2026-02-01", SELF, 200);
}

static json_t *parse(const api_response *r)
{
	json_error_t je;
	json_t *j = json_loads(r->body, 0, &je);
	if (!j)
		fail_msg("not JSON: %s", r->body);
	return j;
}

static void posted_back(void **state)
{
	world *w = *state;
	api_response r = call(w->e, "GET", "/v1/learners/l1/clr", "as_of",
	                      "2026-02-01", w->auth[SELF], NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/json");
	json_t *clr = parse(&r);
	assert_string_equal(
	    json_string_value(json_object_get(clr, "validFrom")),
	    "2026-02-01T00:00:00Z");
	json_t *vcs = json_object_get(json_object_get(clr, "credentialSubject"),
	                              "verifiableCredential");
	assert_int_equal(json_array_size(vcs), 2);
	/* c2: 12 months after it was earned */
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(vcs, 1), "validUntil")),
	                    "2026-06-01T00:00:00Z");
	/* the learner's own data carries no demographics */
	assert_null(strstr(r.body, "demographics"));
	assert_null(strstr(r.body, "gender"));
	json_decref(clr);

	/* another store: the catalog and l1 bare; l1 posts the bundle */
	pw_engine *b = fx_open();
	char *a = fx_dq(catalog);
	fx_load_ok(b, a);
	free(a);
	fx_load_ok(b, "{\"learners\": [{\"id\": \"l1\"}]}");
	char *tok, auth[128];
	pw_error err;
	if (pw_token_create(b, PW_ROLE_LEARNER, "l1", &tok, &err))
		fail_msg("token: %s", err.message);
	snprintf(auth, sizeof auth, "Bearer %s", tok);
	pw_free(tok);
	api_response p = call(b, "POST", "/v1/learners/l1/credentials", NULL,
	                      NULL, auth, r.body);
	if (p.status != 201)
		fail_msg("POST: %d %s", p.status, p.body);
	json_t *rec = parse(&p);
	json_t *list = json_object_get(rec, "credentials");
	assert_int_equal(json_array_size(list), 2);
	static const char *const want[2][3] = {
	    {"c1", "2025-01-01", "2027-01-01"},
	    {"c2", "2025-06-01", "2026-06-01"}};
	for (size_t i = 0; i < 2; i++) {
		json_t *e = json_array_get(list, i);
		for (int k = 0; k < 3; k++) {
			static const char *const keys[] = {"credential",
			                                   "earned", "expires"};
			assert_string_equal(
			    json_string_value(json_object_get(e, keys[k])),
			    want[i][k]);
		}
	}
	json_decref(rec);
	api_response_release(&p);

	/* the same matches on both sides, before and after c2 lapses */
	static const char *const dates[] = {"2025-07-01", "2026-07-01"};
	for (size_t i = 0; i < 2; i++) {
		api_response m1 = call(w->e, "GET", "/v1/learners/l1/matches",
		                       "as_of", dates[i], w->auth[SELF], NULL);
		api_response m2 = call(b, "GET", "/v1/learners/l1/matches",
		                       "as_of", dates[i], auth, NULL);
		assert_int_equal(m1.status, 200);
		assert_int_equal(m2.status, 200);
		assert_string_equal(m1.body, m2.body);
		/* qualified while both are held, not after */
		assert_int_equal(
		    strstr(m1.body, "\"qualified\": true") != NULL ||
		        strstr(m1.body, "\"qualified\":true") != NULL,
		    i == 0);
		api_response_release(&m1);
		api_response_release(&m2);
	}
	api_response_release(&r);
	pw_close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(who_may, setup, teardown),
	    cmocka_unit_test_setup_teardown(posted_back, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
