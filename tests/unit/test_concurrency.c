/* test_concurrency.c - sibling handles share one model across threads:
 * readers query while a writer replaces jobs and learners; every query
 * succeeds, a write is seen by the next query of any sibling, and the
 * final model equals a fresh rebuild. */
#include "fixture.h"
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READERS 4
#define WRITES  60

static const char *const catalog =
    "{'skills': [{'id': 's1', 'name': 'S1'}, {'id': 's2', 'name': 'S2'}],"
    " 'credentials': [{'id': 'c1', 'name': 'C1', 'hours': 10, 'cost': 10,"
    "   'skills': [{'skill': 's1', 'level': 2}]},"
    "  {'id': 'c2', 'name': 'C2', 'hours': 5, 'cost': 50,"
    "   'skills': [{'skill': 's2', 'level': 3}]}],"
    " 'jobs': [{'id': 'j0', 'title': 'J0', 'requirements': [{'skill': 's1'}]}],"
    " 'learners': [{'id': 'l0', 'discoverable': true, 'credentials':"
    "   [{'credential': 'c1', 'earned': '2025-01-01'}]}]}";

typedef struct shared_test {
	pw_engine *root;
	atomic_int written; /* jobs j1..written exist */
	atomic_bool done;
	atomic_int failures;
} shared_test;

static void *reader(void *arg)
{
	shared_test *t = arg;
	pw_engine *e;
	pw_error err;
	if (pw_open_sibling(t->root, &e, &err)) {
		atomic_fetch_add(&t->failures, 1);
		return NULL;
	}
	pw_date as_of = fx_date("2025-06-01");
	while (!atomic_load(&t->done)) {
		int seen = atomic_load(&t->written);
		pw_match_opts o = {
		    .as_of = as_of, .top = 100, .anywhere = true};
		pw_match *m;
		if (pw_match_learner(e, "l0", &o, &m, &err)) {
			atomic_fetch_add(&t->failures, 1);
			break;
		}
		/* every job written before this query began is there */
		if (m->count < (size_t)seen + 1)
			atomic_fetch_add(&t->failures, 1);
		pw_match_free(m);
		if (seen > 0) {
			char id[16];
			pw_candidates *c;
			snprintf(id, sizeof id, "j%d", seen);
			if (pw_find_candidates(e, id, as_of, 5, &c, &err)) {
				atomic_fetch_add(&t->failures, 1);
				break;
			}
			pw_candidates_free(c);
		}
	}
	pw_close(e);
	return NULL;
}

static void readers_and_a_writer(void **state)
{
	(void)state;
	char dir[] = "/tmp/pathway-conc-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/c.db", dir);
	shared_test t = {0};
	pw_error err;
	assert_int_equal(pw_open(path, PW_OPEN_CREATE, &t.root, &err), PW_OK);
	char *json = fx_dq(catalog);
	fx_load_ok(t.root, json);
	free(json);
	pw_engine *writer;
	assert_int_equal(pw_open_sibling(t.root, &writer, &err), PW_OK);

	pthread_t th[READERS];
	for (int i = 0; i < READERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, reader, &t), 0);
	for (int w = 1; w <= WRITES; w++) {
		char body[256];
		pw_report *rep = pw_report_new();
		pw_put_result res;
		snprintf(
		    body, sizeof body,
		    "{\"id\": \"j%d\", \"title\": \"J%d\", \"requirements\": "
		    "[{\"skill\": \"s%d\", \"level\": %d}]}",
		    w, w, 1 + w % 2, 1 + w % 3);
		assert_int_equal(pw_put_entity(writer, PW_KIND_JOB, body,
		                               strlen(body), NULL, rep, &res,
		                               &err),
		                 PW_OK);
		pw_report_free(rep);
		atomic_store(&t.written, w);
		if (w % 7 == 0) { /* and a learner now and then */
			rep = pw_report_new();
			snprintf(body, sizeof body,
			         "{\"id\": \"l%d\", \"discoverable\": true, "
			         "\"credentials\": "
			         "[{\"credential\": \"c2\", \"earned\": "
			         "\"2025-01-01\"}]}",
			         w);
			assert_int_equal(pw_put_entity(writer, PW_KIND_LEARNER,
			                               body, strlen(body), NULL,
			                               rep, &res, &err),
			                 PW_OK);
			pw_report_free(rep);
		}
	}
	atomic_store(&t.done, true);
	for (int i = 0; i < READERS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(atomic_load(&t.failures), 0);

	/* the shared model equals a rebuild from the store */
	pw_engine *fresh;
	assert_int_equal(pw_open(path, 0, &fresh, &err), PW_OK);
	pw_date as_of = fx_date("2025-06-01");
	const char *ids[] = {"j7", "j30", "j60"};
	for (size_t i = 0; i < 3; i++) {
		pw_candidates *a, *b;
		assert_int_equal(
		    pw_find_candidates(t.root, ids[i], as_of, 50, &a, &err),
		    PW_OK);
		assert_int_equal(
		    pw_find_candidates(fresh, ids[i], as_of, 50, &b, &err),
		    PW_OK);
		char *ja = pw_candidates_json(a, 0),
		     *jb = pw_candidates_json(b, 0);
		assert_string_equal(ja, jb);
		pw_free(ja);
		pw_free(jb);
		pw_candidates_free(a);
		pw_candidates_free(b);
	}
	pw_close(fresh);
	pw_close(writer);
	pw_close(t.root);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(readers_and_a_writer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
