/* test_enumeration.c - id enumeration through the API's route handler (no
 * socket, as test_routes.c does): an employer's token and a learner's token
 * walk 1,000 learner ids and 1,000 job ids over every route that reads or
 * writes a learner or a job's candidates. Every learner's personal fields
 * (name, contact, home city, demographics) carry a marker unique to that
 * learner and field, so a leak anywhere in any body is a substring hit.
 * Asserts the statuses of SPEC §7 (a learner route: 403 for an employer,
 * 404 for another learner whether the id exists or not; another owner's
 * job: 404 for an employer, exactly as for a job that does not exist), no
 * foreign marker in any body, and the store unchanged by refused writes. */
#include "fixture.h"
#include "routes.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDS       1000 /* ids enumerated per kind */
#define LEARNERS  120  /* l-0000 .. l-0119 exist */
#define JOBS      90   /* j-0000 .. j-0089 exist */
#define SELF      6    /* the learner token's learner */
#define EMPLOYER  "Acme"
#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Who owns job i: Acme, a rival, or a rival posting under Acme's name (the
 * `employer` field is a display name; `owner` decides). */
enum { OWN_ACME, OWN_RIVAL, OWN_RIVAL_AS_ACME };

static int job_owner_kind(int i)
{
	return i % 3;
}

static bool discoverable(int i)
{
	return i % 2 == 0;
}

static bool shares_contact(int i)
{
	return i % 4 == 0;
}

typedef struct world {
	pw_engine *e;
	char auth_employer[128], auth_learner[128];
	char *dump; /* the store before anything was tried */
} world;

/* ---- the dataset ---- */

static char *dataset(void)
{
	fx_text t = {0};
	fx_put(&t, "{\"skills\": [{\"id\": \"s1\", \"name\": \"Skill one\"},"
	           " {\"id\": \"s2\", \"name\": \"Skill two\"}],"
	           " \"credentials\": [{\"id\": \"c1\", \"name\": \"Cred one\","
	           "  \"hours\": 10, \"cost\": 5,"
	           "  \"skills\": [{\"skill\": \"s1\", \"level\": 2}]},"
	           " {\"id\": \"c2\", \"name\": \"Cred two\", \"hours\": 20,"
	           "  \"skills\": [{\"skill\": \"s2\", \"level\": 2}]}],"
	           " \"jobs\": [");
	for (int i = 0; i < JOBS; i++) {
		int k = job_owner_kind(i);
		fx_put(&t,
		       "%s{\"id\": \"j-%04d\", \"title\": \"Job %d\","
		       " \"employer\": \"%s\"%s,"
		       " \"location\": {\"lat\": 38.2, \"lon\": -85.7,"
		       " \"county\": \"21111\"},"
		       " \"requirements\": [{\"skill\": \"s1\", \"level\": %d}"
		       "%s]}",
		       i ? ", " : "", i, i, k == OWN_RIVAL ? "Rival" : EMPLOYER,
		       k == OWN_ACME ? "" : ", \"owner\": \"Rival\"", 1 + i % 2,
		       i % 5 == 0 ? ", {\"skill\": \"s2\", \"level\": 1}" : "");
	}
	fx_put(&t, "], \"learners\": [");
	for (int i = 0; i < LEARNERS; i++) {
		fx_put(&t,
		       "%s{\"id\": \"l-%04d\", \"name\": \"MKNAME-%04d-\","
		       " \"contact\": \"MKCONTACT-%04d-@example.invalid\","
		       " \"home\": {\"lat\": %.4f, \"lon\": %.4f,"
		       " \"county\": \"21111\", \"city\": \"MKCITY-%04d-\"},"
		       " \"discoverable\": %s, \"share_contact\": %s,"
		       " \"demographics\": {\"gender\": \"MKGENDER-%04d-\","
		       " \"race_ethnicity\": \"MKRACE-%04d-\","
		       " \"age_band\": \"MKAGE-%04d-\"},"
		       " \"credentials\": [%s]}",
		       i ? ", " : "", i, i, i, 38.2 + i * 0.0007,
		       -85.7 - i * 0.0005, i,
		       discoverable(i) ? "true" : "false",
		       shares_contact(i) ? "true" : "false", i, i, i,
		       i % 3 ? "{\"credential\": \"c1\", \"earned\": "
		               "\"2025-01-01\"}"
		             : "");
	}
	fx_put(&t, "]}");
	return t.text;
}

static int setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	w->e = fx_open();
	char *json = dataset();
	fx_load_ok(w->e, json);
	free(json);
	char *tok, self[16];
	pw_error err;
	snprintf(self, sizeof self, "l-%04d", SELF);
	if (pw_token_create(w->e, PW_ROLE_EMPLOYER, EMPLOYER, &tok, &err))
		fail_msg("token: %s", err.message);
	snprintf(w->auth_employer, sizeof w->auth_employer, "Bearer %s", tok);
	pw_free(tok);
	if (pw_token_create(w->e, PW_ROLE_LEARNER, self, &tok, &err))
		fail_msg("token: %s", err.message);
	snprintf(w->auth_learner, sizeof w->auth_learner, "Bearer %s", tok);
	pw_free(tok);
	w->dump = fx_dump(w->e);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	free(w->dump);
	pw_close(w->e);
	free(w);
	return 0;
}

/* ---- markers ---- */

static const char *const fields[] = {"MKNAME-",   "MKCONTACT-", "MKCITY-",
                                     "MKGENDER-", "MKRACE-",    "MKAGE-"};
enum { F_NAME, F_CONTACT, F_CITY, F_GENDER, F_RACE, F_AGE, NFIELDS };

/* May this body show field f of learner i? */
typedef bool (*allowed_fn)(int f, int i);

static bool none_allowed(int f, int i)
{
	(void)f;
	(void)i;
	return false;
}

/* The learner's own record: everything of their own. */
static bool own_allowed(int f, int i)
{
	(void)f;
	return i == SELF;
}

/* An owner's candidates: name and contact of learners who share them. */
static bool candidate_allowed(int f, int i)
{
	return (f == F_NAME || f == F_CONTACT) && discoverable(i) &&
	       shares_contact(i);
}

/* Fails on any marker the body may not show; returns how many it saw. */
static int scan_markers(const char *what, const char *body, size_t len,
                        allowed_fn ok)
{
	int seen = 0;
	if (!body)
		return 0;
	/* every marker starts "MK": walk them all, whatever follows */
	(void)len;
	for (const char *p = body; (p = strstr(p, "MK")) != NULL; p += 2) {
		int f = -1;
		for (int k = 0; k < NFIELDS && f < 0; k++)
			if (strncmp(p, fields[k], strlen(fields[k])) == 0)
				f = k;
		if (f < 0)
			continue;
		int i = atoi(p + strlen(fields[f]));
		seen++;
		if (!ok(f, i))
			fail_msg("%s leaks %.24s (learner %d): %s", what, p, i,
			         body);
	}
	return seen;
}

/* ---- requests ---- */

static api_response call(world *w, const char *method, const char *path,
                         const char *auth, const char *body)
{
	api_request req = {.method = method,
	                   .path = path,
	                   .authorization = auth,
	                   .content_type = body ? "application/json" : NULL,
	                   .body = body,
	                   .body_len = body ? strlen(body) : 0};
	api_response res;
	api_handle(w->e, &req, &res);
	return res;
}

/* One request: its status must be `want`, its body show nothing it may
 * not. Returns the number of markers seen. */
static int expect(world *w, const char *method, const char *path,
                  const char *auth, const char *body, int want, allowed_fn ok)
{
	char what[300];
	api_response r = call(w, method, path, auth, body);
	snprintf(what, sizeof what, "%s %s as %s", method, path,
	         auth == w->auth_employer  ? "employer"
	         : auth == w->auth_learner ? "learner"
	                                   : "anonymous");
	if (r.status != want)
		fail_msg("%s: %d, want %d: %s", what, r.status, want,
		         r.body ? r.body : "");
	int seen = scan_markers(what, r.body, r.body_len, ok);
	api_response_release(&r);
	return seen;
}

/* The learner routes of SPEC §7, for one id. */
static const char *const learner_reads[] = {"/v1/learners/%s",
                                            "/v1/learners/%s/matches",
                                            "/v1/learners/%s/next",
                                            "/v1/learners/%s/plan/j-0001",
                                            "/v1/learners/%s/explain/j-0001",
                                            "/v1/learners/%s/plan/c2"};

/* ---- tests ---- */

/* An employer reads no learner's record, existing or not: 403 for all
 * 1,000 ids (the same answer, so existence does not leak), and writes none.
 */
static void employer_reads_no_learner(void **state)
{
	world *w = *state;
	char path[128];
	for (int i = 0; i < IDS; i++) {
		char id[16];
		snprintf(id, sizeof id, "l-%04d", i);
		for (size_t k = 0; k < NELEMS(learner_reads); k++) {
			snprintf(path, sizeof path, learner_reads[k], id);
			expect(w, "GET", path, w->auth_employer, NULL, 403,
			       none_allowed);
		}
		snprintf(path, sizeof path, "/v1/learners/%s", id);
		expect(w, "PUT", path, w->auth_employer,
		       "{\"name\": \"Mallory\", \"discoverable\": true}", 403,
		       none_allowed);
		snprintf(path, sizeof path, "/v1/learners/%s/credentials", id);
		expect(w, "POST", path, w->auth_employer,
		       "{\"credential\": \"c1\", \"earned\": \"2025-02-02\"}",
		       403, none_allowed);
	}
	char *after = fx_dump(w->e);
	assert_string_equal(after, w->dump);
	free(after);
}

/* A learner reads only their own record: every other id, existing or not,
 * is 404 with no marker of anyone; their own shows their own markers. */
static void learner_reads_only_self(void **state)
{
	world *w = *state;
	char path[128];
	int own_seen = 0;
	for (int i = 0; i < IDS; i++) {
		char id[16];
		snprintf(id, sizeof id, "l-%04d", i);
		for (size_t k = 0; k < NELEMS(learner_reads); k++) {
			snprintf(path, sizeof path, learner_reads[k], id);
			if (i != SELF) {
				expect(w, "GET", path, w->auth_learner, NULL,
				       404, none_allowed);
				continue;
			}
			/* their own: any answer but a refusal, only their
			 * own markers */
			api_response r =
			    call(w, "GET", path, w->auth_learner, NULL);
			if (r.status == 401 || r.status == 403 ||
			    (k < 3 && r.status != 200))
				fail_msg("GET %s as self: %d: %s", path,
				         r.status, r.body ? r.body : "");
			own_seen +=
			    scan_markers(path, r.body, r.body_len, own_allowed);
			api_response_release(&r);
		}
		if (i == SELF)
			continue;
		snprintf(path, sizeof path, "/v1/learners/%s", id);
		expect(w, "PUT", path, w->auth_learner,
		       "{\"name\": \"Mallory\", \"discoverable\": true}", 404,
		       none_allowed);
		snprintf(path, sizeof path, "/v1/learners/%s/credentials", id);
		expect(w, "POST", path, w->auth_learner,
		       "{\"credential\": \"c1\", \"earned\": \"2025-02-02\"}",
		       404, none_allowed);
	}
	/* the marker scan sees markers: name, contact, city and three
	 * demographics in the learner's own record */
	assert_true(own_seen >= NFIELDS);
	char *after = fx_dump(w->e);
	assert_string_equal(after, w->dump);
	free(after);
}

/* Candidates: a learner lists none (403 for every id); an employer lists
 * those of its own jobs only, and another owner's job - even one posted
 * under its own employer name - answers exactly as a job that does not
 * exist (404). The employer's own lists hold discoverable learners only,
 * with a name and contact only for those who share them, and never a home
 * or demographics. */
static void candidates_only_for_own_jobs(void **state)
{
	world *w = *state;
	char path[128];
	int own_lists = 0, rows = 0, shared_seen = 0;
	for (int i = 0; i < IDS; i++) {
		snprintf(path, sizeof path, "/v1/jobs/j-%04d/candidates", i);
		expect(w, "GET", path, w->auth_learner, NULL, 403,
		       none_allowed);
		bool mine = i < JOBS && job_owner_kind(i) == OWN_ACME;
		if (!mine) {
			expect(w, "GET", path, w->auth_employer, NULL, 404,
			       none_allowed);
			continue;
		}
		api_response r = call(w, "GET", path, w->auth_employer, NULL);
		assert_int_equal(r.status, 200);
		shared_seen +=
		    scan_markers(path, r.body, r.body_len, candidate_allowed);
		json_error_t je;
		json_t *doc = json_loads(r.body, 0, &je);
		assert_non_null(doc);
		json_t *res = json_object_get(doc, "results"), *row;
		size_t n;
		assert_true(json_is_array(res));
		json_array_foreach(res, n, row)
		{
			const char *l =
			    json_string_value(json_object_get(row, "learner"));
			assert_non_null(l);
			int li = atoi(l + 2);
			if (!discoverable(li))
				fail_msg("%s lists %s, not discoverable", path,
				         l);
			assert_int_equal(json_object_get(row, "name") != NULL,
			                 shares_contact(li));
			assert_null(json_object_get(row, "home"));
			assert_null(json_object_get(row, "demographics"));
			rows++;
		}
		json_decref(doc);
		api_response_release(&r);
		own_lists++;
	}
	/* the employer's own jobs did answer, with learners in them, and the
	 * scan saw shared names (so it would see unshared ones) */
	assert_int_equal(own_lists, (JOBS + 2) / 3);
	assert_true(rows > 0);
	assert_true(shared_seen > 0);
	/* occupation codes and skills are no job of anyone's */
	expect(w, "GET", "/v1/jobs/s1/candidates", w->auth_employer, NULL, 404,
	       none_allowed);
}

/* Job writes: an employer deletes or replaces no other owner's job (404,
 * as for a job that is not there), a learner none (403); the store is
 * unchanged. */
static void job_writes_only_by_owner(void **state)
{
	world *w = *state;
	char path[128];
	for (int i = 0; i < IDS; i++) {
		snprintf(path, sizeof path, "/v1/jobs/j-%04d", i);
		bool exists = i < JOBS;
		bool mine = exists && job_owner_kind(i) == OWN_ACME;
		expect(w, "DELETE", path, w->auth_learner, NULL, 403,
		       none_allowed);
		expect(w, "PUT", path, w->auth_learner,
		       "{\"title\": \"Taken\"}", 403, none_allowed);
		if (mine)
			continue;
		expect(w, "DELETE", path, w->auth_employer, NULL, 404,
		       none_allowed);
		if (exists)
			expect(w, "PUT", path, w->auth_employer,
			       "{\"title\": \"Taken\"}", 404, none_allowed);
	}
	char *after = fx_dump(w->e);
	assert_string_equal(after, w->dump);
	free(after);
}

/* The public catalog shows no learner's personal data to anyone. */
static void catalog_shows_no_learner(void **state)
{
	world *w = *state;
	char path[128];
	for (int i = 0; i < IDS; i++) {
		snprintf(path, sizeof path, "/v1/jobs/j-%04d", i);
		expect(w, "GET", path, w->auth_employer, NULL,
		       i < JOBS ? 200 : 404, none_allowed);
		expect(w, "GET", path, w->auth_learner, NULL,
		       i < JOBS ? 200 : 404, none_allowed);
	}
	static const char *const lists[] = {
	    "/v1/jobs", "/v1/skills", "/v1/credentials", "/v1/occupations"};
	for (size_t k = 0; k < NELEMS(lists); k++) {
		expect(w, "GET", lists[k], w->auth_employer, NULL, 200,
		       none_allowed);
		expect(w, "GET", lists[k], NULL, NULL, 200, none_allowed);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(employer_reads_no_learner),
	    cmocka_unit_test(learner_reads_only_self),
	    cmocka_unit_test(candidates_only_for_own_jobs),
	    cmocka_unit_test(job_writes_only_by_owner),
	    cmocka_unit_test(catalog_shows_no_learner),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
