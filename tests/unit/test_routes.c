/* test_routes.c - the API's routes and handlers through plain structs (no
 * socket): routing, 404 and 405 with Allow, problem+json, query parameters,
 * the role rules of SPEC §7 for every read route (anonymous, the learner,
 * another learner, the owning employer, another employer, a board, an
 * admin), demographics only for the learner and admins, and documents
 * byte-identical to the CLI's renderers. */
#include "fixture.h"
#include "routes.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct world {
	pw_engine *e;
	char *tok[7]; /* indexed by the who enum below */
	char auth[7][128];
} world;

enum { ANON, SELF, OTHER, OWNER, STRANGER, BOARD, ADMIN };

static const char *const data =
    "{'skills': [{'id': 's1', 'name': 'Skill one'}],"
    " 'credentials': [{'id': 'c1', 'name': 'Cred', 'hours': 10, 'cost': 5,"
    "   'skills': [{'skill': 's1', 'level': 2}]}],"
    " 'occupations': [{'id': '11-1111.00', 'title': 'Occ',"
    "   'requirements': [{'skill': 's1', 'level': 2}]}],"
    " 'jobs': [{'id': 'j1', 'title': 'Job one', 'employer': 'Acme',"
    "   'location': {'county': '21193'}, 'requirements': [{'skill': 's1', "
    "'level': 2}]},"
    "  {'id': 'j2', 'title': 'Job two', 'employer': 'Other Co', 'remote': true,"
    "   'requirements': [{'skill': 's1', 'level': 1}]},"
    "  {'id': 'j3', 'title': 'Job three', 'employer': 'Acme',"
    "   'location': {'county': '21193'}}],"
    " 'learners': [{'id': 'l1', 'discoverable': true,"
    "   'demographics': {'gender': 'female'},"
    "   'credentials': [{'credential': 'c1', 'earned': '2025-01-01'}]},"
    "  {'id': 'l2'}]}";

static int setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	w->e = fx_open();
	char *json = fx_dq(data);
	fx_load_ok(w->e, json);
	free(json);
	pw_error err;
	struct {
		pw_role role;
		const char *subject;
	} who[7] = {{PW_ROLE_NONE, NULL},
	            {PW_ROLE_LEARNER, "l1"},
	            {PW_ROLE_LEARNER, "l2"},
	            {PW_ROLE_EMPLOYER, "Acme"},
	            {PW_ROLE_EMPLOYER, "Nobody Inc"},
	            {PW_ROLE_BOARD, NULL},
	            {PW_ROLE_ADMIN, NULL}};
	for (int i = 1; i < 7; i++) {
		if (pw_token_create(w->e, who[i].role, who[i].subject,
		                    &w->tok[i], &err))
			fail_msg("token: %s", err.message);
		snprintf(w->auth[i], sizeof w->auth[i], "Bearer %s", w->tok[i]);
	}
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	for (int i = 0; i < 7; i++)
		pw_free(w->tok[i]);
	pw_close(w->e);
	free(w);
	return 0;
}

/* GET path?query as `who`; query is "k=v&k=v" (no escapes needed here). */
static api_response call(world *w, const char *method, const char *path,
                         const char *query, int who)
{
	api_param params[8];
	char buf[256] = "";
	size_t n = 0;
	if (query) {
		snprintf(buf, sizeof buf, "%s", query);
		for (char *kv = strtok(buf, "&"); kv && n < 8;
		     kv = strtok(NULL, "&")) {
			char *eq = strchr(kv, '=');
			if (eq)
				*eq = '\0';
			params[n].key = kv;
			params[n].value = eq ? eq + 1 : "";
			n++;
		}
	}
	api_request req = {.method = method,
	                   .path = path,
	                   .params = params,
	                   .nparams = n,
	                   .authorization = who == ANON ? NULL : w->auth[who]};
	api_response res;
	api_handle(w->e, &req, &res);
	return res;
}

static void expect_status(world *w, const char *path, const char *query,
                          int who, int status)
{
	api_response r = call(w, "GET", path, query, who);
	if (r.status != status)
		fail_msg("GET %s?%s as %d: %d, want %d: %s", path,
		         query ? query : "", who, r.status, status, r.body);
	if (status >= 400) {
		assert_string_equal(r.content_type, "application/problem+json");
		json_error_t je;
		json_t *j = json_loads(r.body, 0, &je);
		assert_non_null(j);
		assert_int_equal(json_object_size(j), 4);
		assert_int_equal(
		    json_integer_value(json_object_get(j, "status")), status);
		assert_true(json_is_string(json_object_get(j, "type")));
		assert_true(json_is_string(json_object_get(j, "title")));
		assert_true(json_is_string(json_object_get(j, "detail")));
		json_decref(j);
	} else
		assert_string_equal(r.content_type, "application/json");
	api_response_release(&r);
}

static void routing(void **state)
{
	world *w = *state;
	api_response r = call(w, "GET", "/v1/health", NULL, ANON);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"status\":\"ok\""));
	api_response_release(&r);
	expect_status(w, "/v1/nothing", NULL, ANON, 404);
	expect_status(w, "/v1/skills/", NULL, ANON, 404);
	expect_status(w, "/v2/skills", NULL, ANON, 404);
	r = call(w, "DELETE", "/v1/skills", NULL, ANON);
	assert_int_equal(r.status, 405);
	assert_string_equal(r.allow, "GET");
	api_response_release(&r);
	/* a bad or revoked token is 401 even on a public route */
	r = call(w, "GET", "/v1/skills", NULL, ANON);
	api_response_release(&r);
	api_request req = {.method = "GET",
	                   .path = "/v1/skills",
	                   .authorization = "Bearer pwt_nope"};
	api_handle(w->e, &req, &r);
	assert_int_equal(r.status, 401);
	api_response_release(&r);
	req.authorization = "Basic abc";
	api_handle(w->e, &req, &r);
	assert_int_equal(r.status, 401);
	api_response_release(&r);
}

static void catalog_is_public(void **state)
{
	world *w = *state;
	for (int who = ANON; who <= ADMIN; who++) {
		expect_status(w, "/v1/skills", NULL, who, 200);
		expect_status(w, "/v1/skills/s1", NULL, who, 200);
		expect_status(w, "/v1/credentials/c1", NULL, who, 200);
		expect_status(w, "/v1/occupations/11-1111.00", NULL, who, 200);
		expect_status(w, "/v1/jobs/j1", NULL, who, 200);
	}
	expect_status(w, "/v1/skills/nope", NULL, ANON, 404);
	expect_status(w, "/v1/skills", "colour=red", ANON, 400);
	expect_status(w, "/v1/jobs", "top=0", ANON, 400);
	expect_status(w, "/v1/jobs", "remote=maybe", ANON, 400);
	expect_status(w, "/v1/jobs", "county=21071&county=21193", ANON, 400);
	expect_status(w, "/v1/jobs", "top=5&top=5", ANON, 400);
}

static void jobs_filters_and_paging(void **state)
{
	world *w = *state;
	api_response r =
	    call(w, "GET", "/v1/jobs", "county=21193&top=1&offset=1", ANON);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"jobs\":[{\"id\":\"j3\",\"title\":\"Job "
	                            "three\"}],\"total\":2}");
	api_response_release(&r);
	r = call(w, "GET", "/v1/jobs", "remote=true", ANON);
	assert_string_equal(r.body, "{\"jobs\":[{\"id\":\"j2\",\"title\":\"Job "
	                            "two\"}],\"total\":1}");
	api_response_release(&r);
	r = call(w, "GET", "/v1/jobs", "q=TWO", ANON);
	assert_non_null(strstr(r.body, "\"total\":1"));
	api_response_release(&r);
}

static void learner_routes_by_role(void **state)
{
	world *w = *state;
	const char *paths[] = {"/v1/learners/l1",
	                       "/v1/learners/l1/matches",
	                       "/v1/learners/l1/explain/j1",
	                       "/v1/learners/l1/plan/j1",
	                       "/v1/learners/l1/plan/11-1111.00",
	                       "/v1/learners/l1/next"};
	/* anonymous 401, the learner 200, another learner 404 (existence does
	 * not leak), employers 403, boards and admins 200 */
	const int want[7] = {401, 200, 404, 403, 403, 200, 200};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		for (int who = ANON; who <= ADMIN; who++)
			expect_status(w, paths[i], NULL, who, want[who]);
	/* another learner sees the same 404 for a learner that does not exist
	 */
	expect_status(w, "/v1/learners/zz", NULL, OTHER, 404);
	expect_status(w, "/v1/learners/zz", NULL, ADMIN, 404);
}

static void demographics_only_for_self_and_admin(void **state)
{
	world *w = *state;
	const struct {
		int who;
		bool shown;
	} cases[] = {{SELF, true}, {ADMIN, true}, {BOARD, false}};
	for (size_t i = 0; i < 3; i++) {
		api_response r =
		    call(w, "GET", "/v1/learners/l1", NULL, cases[i].who);
		assert_int_equal(r.status, 200);
		assert_int_equal(strstr(r.body, "demographics") != NULL,
		                 cases[i].shown);
		api_response_release(&r);
	}
}

static void candidates_by_role(void **state)
{
	world *w = *state;
	/* the owning employer, boards and admins; another employer 404 */
	const int want[7] = {401, 403, 403, 200, 404, 200, 200};
	for (int who = ANON; who <= ADMIN; who++)
		expect_status(w, "/v1/jobs/j1/candidates", NULL, who,
		              want[who]);
	/* Acme does not own j2 */
	expect_status(w, "/v1/jobs/j2/candidates", NULL, OWNER, 404);
	expect_status(w, "/v1/jobs/nope/candidates", NULL, OWNER, 404);
	expect_status(w, "/v1/jobs/nope/candidates", NULL, BOARD, 404);
}

static void documents_match_the_cli_renderers(void **state)
{
	world *w = *state;
	api_response r = call(w, "GET", "/v1/learners/l1/matches",
	                      "as_of=2025-06-01&top=5", SELF);
	assert_int_equal(r.status, 200);
	pw_match *m;
	pw_match_opts o = {.as_of = fx_date("2025-06-01"), .top = 5};
	assert_int_equal(pw_match_learner(w->e, "l1", &o, &m, NULL), PW_OK);
	char *doc = pw_match_json(m, 0);
	assert_string_equal(r.body, doc);
	pw_free(doc);
	pw_match_free(m);
	api_response_release(&r);

	r = call(w, "GET", "/v1/learners/l1/plan/j1",
	         "as_of=2025-06-01&by=cost", BOARD);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"objective\":\"cost\""));
	api_response_release(&r);
	expect_status(w, "/v1/learners/l1/plan/j1", "by=speed", SELF, 400);
	expect_status(w, "/v1/learners/l1/matches", "as_of=2025-13-01", SELF,
	              400);
	expect_status(w, "/v1/learners/l1/matches", "top=0", SELF, 400);
	expect_status(w, "/v1/learners/l1/matches", "anywhere=perhaps", SELF,
	              400);
	expect_status(w, "/v1/learners/l1/explain/nope", NULL, SELF, 404);
	expect_status(w, "/v1/learners/l1/next", "top=2&as_of=2025-06-01", SELF,
	              200);
}

static void revoked_token_is_refused(void **state)
{
	world *w = *state;
	expect_status(w, "/v1/learners/l1", NULL, SELF, 200);
	assert_int_equal(pw_token_revoke(w->e, w->tok[SELF], NULL), PW_OK);
	expect_status(w, "/v1/learners/l1", NULL, SELF, 401);
}

/* A write: method path with a body, as `who`. */
static api_response send_body(world *w, const char *method, const char *path,
                              const char *body, int who)
{
	api_request req = {.method = method,
	                   .path = path,
	                   .authorization = who == ANON ? NULL : w->auth[who],
	                   .content_type = "application/json",
	                   .body = body,
	                   .body_len = body ? strlen(body) : 0};
	api_response res;
	api_handle(w->e, &req, &res);
	return res;
}

static void expect_write(world *w, const char *method, const char *path,
                         const char *body_q, int who, int status,
                         const char *detail)
{
	char *body = body_q ? fx_dq(body_q) : NULL;
	char *before = fx_dump(w->e);
	api_response r = send_body(w, method, path, body, who);
	if (r.status != status)
		fail_msg("%s %s as %d: %d, want %d: %s", method, path, who,
		         r.status, status, r.body ? r.body : "");
	if (detail && (!r.body || !strstr(r.body, detail)))
		fail_msg("%s %s: detail lacks '%s': %s", method, path, detail,
		         r.body);
	if (status >= 400) {
		/* a refused write changes nothing */
		char *after = fx_dump(w->e);
		assert_string_equal(before, after);
		free(after);
		assert_string_equal(r.content_type, "application/problem+json");
	}
	free(before);
	free(body);
	api_response_release(&r);
}

static char *get_body(world *w, const char *path, int who)
{
	api_response r = call(w, "GET", path, NULL, who);
	char *body = r.status == 200 ? strdup(r.body) : NULL;
	api_response_release(&r);
	return body;
}

static void job_writes(void **state)
{
	world *w = *state;
	const char *job9 =
	    "{'id': 'j9', 'title': 'Nine', 'employer': 'Acme',"
	    " 'owner': 'Mallory', 'requirements': [{'skill': 's1'}]}";
	/* who may create */
	expect_write(w, "POST", "/v1/jobs", job9, ANON, 401, NULL);
	expect_write(w, "POST", "/v1/jobs", job9, SELF, 403, NULL);
	expect_write(w, "POST", "/v1/jobs", job9, BOARD, 403, NULL);
	expect_write(w, "POST", "/v1/jobs", job9, OWNER, 201,
	             "\"owner\":\"Acme\"");
	/* the owner is the token's, never the body's */
	char *doc = get_body(w, "/v1/jobs/j9", ANON);
	assert_non_null(strstr(doc, "\"owner\":\"Acme\""));
	assert_null(strstr(doc, "Mallory"));
	free(doc);
	expect_write(w, "POST", "/v1/jobs", job9, OWNER, 409, NULL);
	/* bad bodies: every one leaves the store as it was */
	expect_write(w, "POST", "/v1/jobs",
	             "{'id': 'j8', 'title': 'T', 'requirements':"
	             " [{'skill': 's1', 'level': 7}]}",
	             OWNER, 400, "requirements[0].level");
	expect_write(w, "POST", "/v1/jobs", "{'id': 'j8', 'title': 'T',", OWNER,
	             400, "invalid JSON");
	expect_write(w, "POST", "/v1/jobs",
	             "{'id': 'j8', 'id': 'j7', 'title': 'T'}", OWNER, 400,
	             "duplicate");
	expect_write(w, "POST", "/v1/jobs", "[1]", OWNER, 400, "object");
	expect_write(w, "POST", "/v1/jobs", NULL, OWNER, 400, NULL);
	expect_write(w, "POST", "/v1/jobs",
	             "{'id': '31-1131.00', 'title': 'T'}", OWNER, 400,
	             "O*NET-SOC");
	char deep[200];
	memset(deep, '[', 70);
	memset(deep + 70, ']', 70);
	deep[140] = '\0';
	expect_write(w, "POST", "/v1/jobs", deep, OWNER, 400, "deeper than 64");
	size_t big = (1u << 20) + 1;
	char *huge = malloc(big + 1);
	memset(huge, ' ', big);
	huge[big] = '\0';
	api_response r = send_body(w, "POST", "/v1/jobs", huge, OWNER);
	assert_int_equal(r.status, 413);
	api_response_release(&r);
	free(huge);

	/* replacing: the owner may, another employer gets 404, an admin may and
	 * the job keeps its owner */
	expect_write(w, "PUT", "/v1/jobs/j1",
	             "{'title': 'Job one, renamed', 'employer': 'Acme'}", OWNER,
	             200, "renamed");
	expect_write(w, "PUT", "/v1/jobs/j2", "{'title': 'Mine now'}", OWNER,
	             404, NULL);
	expect_write(w, "PUT", "/v1/jobs/j2",
	             "{'title': 'Two', 'owner': 'Acme'}", ADMIN, 200,
	             "\"owner\":\"Other Co\"");
	expect_write(w, "PUT", "/v1/jobs/j1", "{'id': 'j3', 'title': 'T'}",
	             OWNER, 400, "id");
	expect_write(w, "PUT", "/v1/jobs/j-new", "{'title': 'New'}", OWNER, 201,
	             "\"owner\":\"Acme\"");
	expect_write(w, "PUT", "/v1/jobs/j1", "{'title': 'T'}", SELF, 403,
	             NULL);

	/* deleting */
	expect_write(w, "DELETE", "/v1/jobs/j1", NULL, STRANGER, 404, NULL);
	expect_write(w, "DELETE", "/v1/jobs/j1", NULL, BOARD, 403, NULL);
	r = send_body(w, "DELETE", "/v1/jobs/j1", NULL, OWNER);
	assert_int_equal(r.status, 204);
	api_response_release(&r);
	expect_status(w, "/v1/jobs/j1", NULL, ANON, 404);
	expect_write(w, "DELETE", "/v1/jobs/j1", NULL, ADMIN, 404, NULL);
}

static void writes_are_seen_by_the_next_request(void **state)
{
	world *w = *state;
	/* l1 holds s1 at level 2: a new job needing it is matched at once */
	api_response r0 =
	    call(w, "GET", "/v1/learners/l1/matches", "as_of=2025-06-01", SELF);
	assert_int_equal(r0.status, 200);
	assert_null(strstr(r0.body, "j-fresh"));
	api_response_release(&r0);
	expect_write(w, "PUT", "/v1/jobs/j-fresh",
	             "{'title': 'Fresh', 'employer': 'Acme', 'location':"
	             " {'county': '21193'}, 'requirements': [{'skill': 's1', "
	             "'level': 2}]}",
	             OWNER, 201, NULL);
	api_response r =
	    call(w, "GET", "/v1/learners/l1/matches", "as_of=2025-06-01", SELF);
	assert_non_null(strstr(r.body, "j-fresh"));
	api_response_release(&r);
	r = send_body(w, "DELETE", "/v1/jobs/j-fresh", NULL, ADMIN);
	assert_int_equal(r.status, 204);
	api_response_release(&r);
	r = call(w, "GET", "/v1/learners/l1/matches", "as_of=2025-06-01", SELF);
	assert_null(strstr(r.body, "j-fresh"));
	api_response_release(&r);
}

static void learner_writes(void **state)
{
	world *w = *state;
	const char *rec =
	    "{'max_commute_miles': 45, 'discoverable': true,"
	    " 'credentials': [{'credential': 'c1', 'earned': '2025-01-01'}]}";
	expect_write(w, "PUT", "/v1/learners/l1", rec, ANON, 401, NULL);
	expect_write(w, "PUT", "/v1/learners/l1", rec, OTHER, 404, NULL);
	expect_write(w, "PUT", "/v1/learners/l1", rec, OWNER, 403, NULL);
	expect_write(w, "PUT", "/v1/learners/l1", rec, BOARD, 403, NULL);
	expect_write(w, "PUT", "/v1/learners/l1", rec, SELF, 200,
	             "\"max_commute_miles\":45.0");
	expect_write(w, "PUT", "/v1/learners/l9", rec, ADMIN, 201, NULL);
	expect_write(
	    w, "PUT", "/v1/learners/l1",
	    "{'credentials': [{'credential': 'nope', 'earned': '2025-01-01'}]}",
	    SELF, 400, "credentials[0].credential: unknown credential");

	/* recording an earned credential: once, then nothing changes */
	const char *entry = "{'credential': 'c1', 'earned': '2025-03-01'}";
	expect_write(w, "POST", "/v1/learners/l1/credentials", entry, SELF, 201,
	             "2025-03-01");
	expect_write(w, "POST", "/v1/learners/l1/credentials", entry, SELF, 200,
	             NULL);
	expect_write(w, "POST", "/v1/learners/l1/credentials",
	             "{'credential': 'c1', 'earned': '2025-02-30'}", SELF, 400,
	             "earned: '2025-02-30' is not a date");
	expect_write(w, "POST", "/v1/learners/l1/credentials",
	             "{'credential': 'c1'}", SELF, 400, "earned");
	expect_write(w, "POST", "/v1/learners/l1/credentials", entry, OTHER,
	             404, NULL);
	expect_write(w, "POST", "/v1/learners/zz/credentials", entry, ADMIN,
	             404, NULL);
	api_response r =
	    send_body(w, "GET", "/v1/learners/l1/credentials", NULL, SELF);
	assert_int_equal(r.status, 405);
	assert_string_equal(r.allow, "POST");
	api_response_release(&r);
}

/* POST with a content type, the body as given (no ' to " here). */
static api_response send_typed(world *w, const char *path, const char *body,
                               const char *type, int who)
{
	api_request req = {.method = "POST",
	                   .path = path,
	                   .authorization = who == ANON ? NULL : w->auth[who],
	                   .content_type = type,
	                   .body = body,
	                   .body_len = strlen(body)};
	api_response res;
	api_handle(w->e, &req, &res);
	return res;
}

static void expect_typed(world *w, const char *path, const char *body,
                         const char *type, int who, int status,
                         const char *detail)
{
	char *before = fx_dump(w->e);
	api_response r = send_typed(w, path, body, type, who);
	if (r.status != status)
		fail_msg("POST %s (%s) as %d: %d, want %d: %s", path, type, who,
		         r.status, status, r.body ? r.body : "");
	if (detail && (!r.body || !strstr(r.body, detail)))
		fail_msg("POST %s: body lacks '%s': %s", path, detail, r.body);
	char *after = fx_dump(w->e);
	if (status == 200 || status >= 400)
		assert_string_equal(before, after); /* nothing changed */
	if (status >= 400)
		assert_string_equal(r.content_type, "application/problem+json");
	free(before);
	free(after);
	api_response_release(&r);
}

/* SPEC §7: the same route takes a badge document, an Open Badges or CLR
 * JSON object or a compact JWS, with the native entry's role rules and
 * statuses. */
static void badge_writes(void **state)
{
	world *w = *state;
	const char *path = "/v1/learners/l1/credentials";
	char *ob3 = fx_dq(
	    "{'@context': ['https://www.w3.org/ns/credentials/v2'], 'id': "
	    "'urn:uuid:b1', 'type': ['VerifiableCredential', "
	    "'OpenBadgeCredential'], 'validFrom': '2025-04-01T00:00:00Z', "
	    "'credentialSubject': {'achievement': {'id': "
	    "'https://badges.example/a/one', 'type': ['Achievement'], 'name': "
	    "'Badge one', 'alignment': [{'targetName': 'skill ONE', "
	    "'targetUrl': 'https://skills.example/1'}]}}}");
	/* the roles of the native entry */
	expect_typed(w, path, ob3, "application/json", ANON, 401, NULL);
	expect_typed(w, path, ob3, "application/json", OTHER, 404, NULL);
	expect_typed(w, path, ob3, "application/json", OWNER, 403, NULL);
	expect_typed(w, path, ob3, "application/json", BOARD, 403, NULL);
	expect_typed(w, "/v1/learners/zz/credentials", ob3, "application/json",
	             ADMIN, 404, "zz");
	/* added once (an unlisted credential made), then nothing changes */
	expect_typed(w, path, ob3, "application/json", SELF, 201,
	             "{\"credential\":\"badge.badge-one-");
	expect_typed(w, path, ob3, "application/json", SELF, 200,
	             "\"format\":\"ob3\",\"id\":\"urn:uuid:b1\","
	             "\"verified\":false");
	expect_typed(w, path, ob3, "application/ld+json", SELF, 200, NULL);
	/* the credential made is served, unlisted */
	api_response r = call(w, "GET", "/v1/learners/l1", NULL, SELF);
	json_t *rec = json_loads(r.body, 0, NULL);
	api_response_release(&r);
	assert_non_null(rec);
	json_t *list = json_object_get(rec, "credentials");
	const char *made = json_string_value(json_object_get(
	    json_array_get(list, json_array_size(list) - 1), "credential"));
	char cpath[256];
	snprintf(cpath, sizeof cpath, "/v1/credentials/%s", made);
	r = call(w, "GET", cpath, NULL, ANON);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"listed\":false"));
	api_response_release(&r);
	/* by id, but not in the public catalog's list */
	r = call(w, "GET", "/v1/credentials", NULL, ANON);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, made));
	assert_non_null(strstr(r.body, "\"c1\""));
	api_response_release(&r);
	json_decref(rec);

	/* a compact JWS as text/plain; shaped as one, under any type */
	const char *jws =
	    "eyJhbGciOiJub25lIn0."
	    /* {"type":"OpenBadgeCredential","id":"urn:uuid:b2","validFrom":
	     * "2025-05-01","credentialSubject":{"achievement":{"id":
	     * "urn:pathway:credential:c1","name":"Cred"}}} */
	    "eyJ0eXBlIjoiT3BlbkJhZGdlQ3JlZGVudGlhbCIsImlkIjoidXJuOnV1aWQ6YjIi"
	    "LCJ2YWxpZEZyb20iOiIyMDI1LTA1LTAxIiwiY3JlZGVudGlhbFN1YmplY3QiOnsi"
	    "YWNoaWV2ZW1lbnQiOnsiaWQiOiJ1cm46cGF0aHdheTpjcmVkZW50aWFsOmMxIiwi"
	    "bmFtZSI6IkNyZWQifX19."
	    "c2ln\n";
	expect_typed(w, path, jws, "text/plain", SELF, 201,
	             "{\"credential\":\"c1\",\"earned\":\"2025-05-01\","
	             "\"source\":{\"format\":\"ob3-jws\"");
	expect_typed(w, path, jws, "application/json", SELF, 200, NULL);
	expect_typed(w, "/v1/learners/l2/credentials", jws, NULL, ADMIN, 201,
	             "\"id\":\"l2\"");

	/* refused documents: 400 with the JSON paths, nothing written */
	expect_typed(w, path, "eyJhbGciOiJub25lIn0.e30*.c2ln", "text/plain",
	             SELF, 400, "payload: not base64url: '*' at offset 3");
	expect_typed(w, path, "{\"type\": \"OpenBadgeCredential\"}",
	             "application/json", SELF, 400,
	             "no date earned: missing 'awardedDate'");
	expect_typed(
	    w, path,
	    "[{\"type\": \"Assertion\", \"issuedOn\": \"2025-01-01\"}]",
	    "application/json", SELF, 400, "[0]: missing 'badge'");
	/* a native entry with "type" deeper down is still a native entry */
	expect_typed(w, path,
	             "{\"credential\": \"c1\", \"earned\": \"2025-06-01\", "
	             "\"source\": {\"format\": \"x\", \"type\": 1}}",
	             "application/json", SELF, 400,
	             "source.type: unknown key 'type'");
	free(ob3);
}

/* The OpenAPI document describes exactly the route table: every route has
 * an operation and every operation a route. */
static void openapi_matches_the_route_table(void **state)
{
	world *w = *state;
	const char *src = getenv("PATHWAY_SRC");
	char path[512];
	snprintf(path, sizeof path, "%s/api/openapi.json",
	         src && *src ? src : ".");
	size_t len = 0;
	char *text = fx_read_file(path, &len);
	if (!text)
		fail_msg("cannot read %s (set PATHWAY_SRC)", path);
	json_error_t je;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		fail_msg("%s: %s (line %d)", path, je.text, je.line);
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")),
	                    "3.0.3");
	json_t *paths = json_object_get(doc, "paths");
	assert_true(json_is_object(paths));
	size_t documented = 0, routed = 0;
	const char *p;
	json_t *ops;
	json_object_foreach(paths, p, ops)
	{
		const char *method;
		json_t *op;
		json_object_foreach(ops, method, op)
		{
			if (strcmp(method, "parameters") == 0)
				continue;
			documented++;
			bool found = false;
			const char *rm, *rp;
			for (size_t i = 0; api_route_at(i, &rm, &rp); i++)
				if (strcasecmp(rm, method) == 0 &&
				    strncmp(rp, "/v1", 3) == 0 &&
				    strcmp(rp + 3, p) == 0)
					found = true;
			if (!found)
				fail_msg("the document has %s %s; the route "
				         "table does not",
				         method, p);
		}
	}
	const char *rm, *rp;
	for (size_t i = 0; api_route_at(i, &rm, &rp); i++) {
		routed++;
		char lower[8];
		size_t k = 0;
		for (; rm[k] && k + 1 < sizeof lower; k++)
			lower[k] = (char)(rm[k] - 'A' + 'a');
		lower[k] = '\0';
		json_t *o =
		    json_object_get(json_object_get(paths, rp + 3), lower);
		if (!o)
			fail_msg(
			    "the route table has %s %s; the document does not",
			    rm, rp);
		assert_true(json_is_string(json_object_get(o, "operationId")));
		assert_true(json_is_object(json_object_get(o, "responses")));
	}
	assert_int_equal(documented, routed);
	json_decref(doc);

	/* and it is what GET /v1/openapi.json serves, to anyone */
	api_response r = call(w, "GET", "/v1/openapi.json", NULL, ANON);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, len);
	assert_memory_equal(r.body, text, len);
	api_response_release(&r);
	free(text);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(routing),
	    T(catalog_is_public),
	    T(jobs_filters_and_paging),
	    T(learner_routes_by_role),
	    T(demographics_only_for_self_and_admin),
	    T(candidates_by_role),
	    T(documents_match_the_cli_renderers),
	    T(revoked_token_is_refused),
	    T(job_writes),
	    T(writes_are_seen_by_the_next_request),
	    T(learner_writes),
	    T(badge_writes),
	    T(openapi_matches_the_route_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
