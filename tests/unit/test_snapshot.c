/* test_snapshot.c - the model mapped from its snapshot file answers exactly
 * as the model built from the store; a snapshot that is stale (the store
 * was written since) or damaged is never served but rebuilt; and a mapped
 * model takes in-place writes. On a store file in a temporary directory,
 * since an in-memory store has nowhere to put a snapshot. */
#include "fixture.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], db[128], snap[160];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/pw-snap-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/p.db", dir);
	snprintf(snap, sizeof snap, "%s%s", db, SNAPSHOT_SUFFIX);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	const char *suffix[] = {"", "-wal", "-shm", SNAPSHOT_SUFFIX};
	for (size_t i = 0; i < 4; i++) {
		char p[200];
		snprintf(p, sizeof p, "%s%s", db, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}

static pw_engine *open_db(void)
{
	pw_engine *e;
	pw_error err;
	if (pw_open(db, PW_OPEN_CREATE, &e, &err))
		fail_msg("open: %s", err.message);
	return e;
}

/* The bundled dataset, loaded into the store file. */
static void load_bundled(void)
{
	const char *src = getenv("PATHWAY_SRC");
	const char *names[] = {"skills", "credentials", "occupations", "jobs",
	                       "learners"};
	char paths[5][4096];
	const char *p[5];
	for (int i = 0; i < 5; i++) {
		snprintf(paths[i], sizeof paths[i],
		         "%s/datasets/rural-sample/%s.json",
		         src && *src ? src : ".", names[i]);
		p[i] = paths[i];
	}
	pw_engine *e = open_db();
	pw_report *rep = pw_report_new();
	pw_error err;
	if (pw_load_files(e, p, 5, rep, NULL, &err))
		fail_msg("load: %s", err.message);
	pw_report_free(rep);
	pw_close(e);
}

static bool mapped(pw_engine *e)
{
	assert_int_equal(pw_prepare(e, NULL), PW_OK);
	return e->sh->m && e->sh->m->map != NULL;
}

static char *match_doc(pw_engine *e, const char *learner, bool occ)
{
	pw_match_opts o = {.as_of = fx_date("2026-11-23"), .occupations = occ};
	pw_match *m;
	pw_error err;
	if (pw_match_learner(e, learner, &o, &m, &err))
		fail_msg("match %s: %s", learner, err.message);
	char *j = pw_match_json(m, 0);
	pw_match_free(m);
	return j;
}

static char *candidates_doc(pw_engine *e, const char *target)
{
	pw_candidates *c;
	pw_error err;
	if (pw_find_candidates(e, target, fx_date("2026-11-23"), 0, &c, &err))
		fail_msg("candidates %s: %s", target, err.message);
	char *j = pw_candidates_json(c, 0);
	pw_candidates_free(c);
	return j;
}

static char *next_doc(pw_engine *e, const char *learner)
{
	pw_next *n;
	pw_error err;
	if (pw_next_credentials(e, learner, fx_date("2026-11-23"), 0, &n, &err))
		fail_msg("next %s: %s", learner, err.message);
	char *j = pw_next_json(n, 0);
	pw_next_free(n);
	return j;
}

static char *plan_doc(pw_engine *e, const char *learner, const char *target)
{
	pw_plan *p;
	pw_error err;
	if (pw_plan_target(e, learner, target, fx_date("2026-11-23"),
	                   PW_BY_HOURS, &p, &err))
		fail_msg("plan %s %s: %s", learner, target, err.message);
	char *j = pw_plan_json(p, 0);
	pw_plan_free(p);
	return j;
}

static void same(char *a, char *b, const char *what, const char *id)
{
	if (strcmp(a, b) != 0)
		fail_msg("%s %s differs:\n%s\n%s", what, id, a, b);
	pw_free(a);
	pw_free(b);
}

/* Every answer of a and b agree, over every learner and job. */
static void answers_agree(pw_engine *a, pw_engine *b)
{
	pw_list *ls, *js;
	assert_int_equal(pw_list_entities(a, PW_KIND_LEARNER, NULL, &ls, NULL),
	                 PW_OK);
	assert_int_equal(pw_list_entities(a, PW_KIND_JOB, NULL, &js, NULL),
	                 PW_OK);
	assert_true(ls->count > 0 && js->count > 0);
	for (size_t i = 0; i < ls->count; i++) {
		const char *l = ls->items[i].id;
		same(match_doc(a, l, false), match_doc(b, l, false), "match",
		     l);
		same(match_doc(a, l, true), match_doc(b, l, true),
		     "match --occupations", l);
		same(next_doc(a, l), next_doc(b, l), "next", l);
		const char *t = js->items[(i * 7) % js->count].id;
		same(plan_doc(a, l, t), plan_doc(b, l, t), "plan", l);
	}
	for (size_t i = 0; i < js->count; i++)
		same(candidates_doc(a, js->items[i].id),
		     candidates_doc(b, js->items[i].id), "candidates",
		     js->items[i].id);
	pw_list_free(ls);
	pw_list_free(js);
}

static void mapped_model_answers_as_built(void **state)
{
	(void)state;
	load_bundled();
	unlink(snap);
	pw_engine *built = open_db();
	assert_false(mapped(built)); /* no snapshot yet: built, then written */
	struct stat sb;
	assert_int_equal(stat(snap, &sb), 0);
	/* personal data: neither file readable by others, whatever umask */
	assert_int_equal(sb.st_mode & 077, 0);
	assert_int_equal(stat(db, &sb), 0);
	assert_int_equal(sb.st_mode & 077, 0);
	pw_engine *map = open_db();
	assert_true(mapped(map));
	answers_agree(built, map);
	pw_close(built);
	pw_close(map);
}

static void stale_snapshot_is_rebuilt(void **state)
{
	(void)state;
	load_bundled();
	pw_engine *a = open_db();
	assert_int_equal(pw_prepare(a, NULL), PW_OK); /* snapshot current */
	pw_close(a);
	/* another process writes: a job only one learner's range holds */
	pw_engine *w = open_db();
	fx_load_ok(w, "{\"jobs\": [{\"id\": \"zz-new-01\", \"title\": \"New "
	              "Post\", \"remote\": true, \"requirements\": []}]}");
	pw_close(w);
	/* what a writer killed while writing left behind (no such process) */
	char dead[200];
	snprintf(dead, sizeof dead, "%s.999999999.tmp", snap);
	FILE *f = fopen(dead, "w");
	assert_non_null(f);
	fclose(f);
	pw_engine *b = open_db();
	assert_false(mapped(b)); /* stale: rebuilt from the store */
	struct stat sb;
	assert_int_not_equal(stat(dead, &sb), 0); /* and swept away */
	pw_candidates *c;
	assert_int_equal(pw_find_candidates(b, "zz-new-01",
	                                    fx_date("2026-11-23"), 0, &c, NULL),
	                 PW_OK);
	assert_true(c->count > 0);
	pw_candidates_free(c);
	pw_engine *again = open_db();
	assert_true(mapped(again)); /* and written anew */
	answers_agree(b, again);
	pw_close(b);
	pw_close(again);
}

/* Overwrites len bytes at off (from the end when off < 0). */
static void damage(long off, const void *bytes, size_t len)
{
	FILE *f = fopen(snap, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, off, off < 0 ? SEEK_END : SEEK_SET), 0);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	fclose(f);
}

static void damaged_snapshot_is_never_served(void **state)
{
	(void)state;
	load_bundled();
	pw_engine *ref = open_db();
	assert_int_equal(pw_prepare(ref, NULL), PW_OK);
	struct stat sb;
	assert_int_equal(stat(snap, &sb), 0);
	/* indexes pointing far out of bounds, all through the file */
	static const uint8_t junk[64] = {
	    0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff,
	    0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff,
	    0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f};
	for (int k = 1; k < 12; k++) {
		long at = (long)(sb.st_size * k / 12) & ~7L;
		damage(at, junk, sizeof junk);
		pw_engine *e = open_db();
		assert_false(mapped(e)); /* refused, rebuilt, rewritten */
		answers_agree(ref, e);
		pw_close(e);
		pw_engine *e2 = open_db();
		assert_true(mapped(e2));
		pw_close(e2);
	}
	/* truncated */
	assert_int_equal(truncate(snap, sb.st_size / 2), 0);
	pw_engine *e = open_db();
	assert_false(mapped(e));
	pw_close(e);
	/* another store's snapshot (its identity differs) */
	damage(32, "not-this-store-at-all", 21);
	e = open_db();
	assert_false(mapped(e));
	pw_close(e);
	pw_close(ref);
}

static void mapped_model_takes_writes(void **state)
{
	(void)state;
	load_bundled();
	pw_engine *a = open_db();
	assert_int_equal(pw_prepare(a, NULL), PW_OK);
	pw_close(a);
	pw_engine *e = open_db();
	assert_true(mapped(e));
	/* a new learner and a new job, written in place into the mapped
	 * model: both found at once, and answers as after a rebuild */
	const char *learner =
	    "{\"id\": \"l-zz-new\", \"home\": {\"lat\": 37.2, \"lon\": "
	    "-83.2, \"county\": \"21193\", \"state\": \"KY\"}, "
	    "\"discoverable\": true, \"credentials\": [{\"credential\": "
	    "\"cna-ky\", \"earned\": \"2025-01-10\"}]}";
	const char *job =
	    "{\"id\": \"zz-job-01\", \"title\": \"Aide\", \"location\": "
	    "{\"lat\": 37.25, \"lon\": -83.19, \"county\": \"21193\", "
	    "\"state\": \"KY\"}, \"requirements\": [{\"skill\": "
	    "\"patient-care\", \"level\": 1}]}";
	pw_report *rep = pw_report_new();
	pw_put_result res;
	pw_error err;
	if (pw_put_entity(e, PW_KIND_LEARNER, learner, strlen(learner), NULL,
	                  rep, &res, &err) ||
	    pw_put_entity(e, PW_KIND_JOB, job, strlen(job), NULL, rep, &res,
	                  &err))
		fail_msg("put: %s\n%s", err.message, fx_report_text(rep));
	pw_report_free(rep);
	assert_true(e->sh->m && e->sh->m->map && !e->sh->m->mapped_cols);
	char *m = match_doc(e, "l-zz-new", false);
	assert_non_null(strstr(m, "zz-job-01"));
	pw_free(m);
	char *c = candidates_doc(e, "zz-job-01");
	assert_non_null(strstr(c, "l-zz-new"));
	pw_free(c);
	unlink(snap);
	pw_engine *fresh = open_db();
	assert_false(mapped(fresh));
	answers_agree(e, fresh);
	pw_close(fresh);
	pw_close(e);
}

/* The store file's print recorded in the snapshot equals the file as it
 * is now. */
static bool print_current(void)
{
	fileprint rec;
	struct stat sb;
	assert_true(snapshot_sound_get(snap, &rec));
	assert_int_equal(stat(db, &sb), 0);
	return rec.ino == (uint64_t)sb.st_ino &&
	       rec.size == (uint64_t)sb.st_size &&
	       rec.mtime_s == sb.st_mtim.tv_sec &&
	       rec.mtime_ns == sb.st_mtim.tv_nsec &&
	       rec.ctime_s == sb.st_ctim.tv_sec &&
	       rec.ctime_ns == sb.st_ctim.tv_nsec;
}

/* Each command leaves the record of the store file current, through its
 * own writes and the checkpoint at close, so that the next one need not
 * check the file; a change made outside is seen, checked and recorded. */
static void store_print_kept_current(void **state)
{
	(void)state;
	load_bundled();
	pw_engine *e = open_db();
	assert_int_equal(pw_prepare(e, NULL), PW_OK);
	pw_close(e);
	assert_true(print_current());

	/* a write and the close's checkpoint */
	e = open_db();
	assert_true(mapped(e));
	pw_error err;
	char *tok = NULL;
	assert_int_equal(pw_token_create(e, PW_ROLE_BOARD, NULL, &tok, &err),
	                 PW_OK);
	pw_free(tok);
	pw_close(e);
	assert_true(print_current());

	/* touched from outside: no longer current until a command checks */
	struct timespec ts[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
	assert_int_equal(utimensat(AT_FDCWD, db, ts, 0), 0);
	assert_false(print_current());
	e = open_db();
	assert_true(print_current());
	pw_close(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(mapped_model_answers_as_built,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(stale_snapshot_is_rebuilt, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(damaged_snapshot_is_never_served,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(mapped_model_takes_writes, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(store_print_kept_current, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
