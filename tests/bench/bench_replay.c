/* bench_replay.c - a fixed, deterministic set of match or candidates queries
 * for `make bench-check`, which runs it under callgrind and compares the
 * instructions of the query loop (and nothing else) with a baseline.
 *
 * Usage: bench_replay DB MODE [N]
 *   MODE match       N learners (default 100), top 10
 *        candidates  N jobs (default 50), top 20
 *        prepare     open and make the model current, nothing counted
 *   bench_replay --requests  exits 0 when built with callgrind's client
 *                            requests, 1 when they compiled to nothing
 *
 * Only the public API is used. The queried ids are every k-th of the
 * learners (jobs) sorted by id, so the same store gives the same queries. */
#include "pathway.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* valgrind is a dependency of `make bench-check` only: without its header
 * the requests compile to nothing and the program still runs plainly. */
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND 1
#endif
#endif
#ifndef HAVE_CALLGRIND
#define HAVE_CALLGRIND 0
#define CALLGRIND_TOGGLE_COLLECT
#endif

/* The as_of of every query: the generator's reference date, so postings
 * and credentials are as current as the dataset means them to be. */
#define AS_OF "2026-11-23"

/* FNV-1a over the answers, printed so two runs can be seen to agree. */
static uint64_t digest_str(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (h ^ 0xff) * 1099511628211ull;
}

static uint64_t digest_num(uint64_t h, double v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%.1f", v);
	return digest_str(h, buf);
}

static int fail(const char *what, const char *id, const pw_error *err)
{
	fprintf(stderr, "bench_replay: %s '%s': %s\n", what, id, err->message);
	return 1;
}

/* Every k-th of the n sorted ids, k = count / n, starting at the first. */
static size_t pick(const pw_list *l, size_t n, const char **ids)
{
	size_t k = l->count / n;
	if (k == 0)
		k = 1;
	size_t m = 0;
	for (size_t i = 0; i < l->count && m < n; i += k)
		ids[m++] = l->items[i].id;
	return m;
}

static int run_match(pw_engine *e, const pw_list *l, size_t n, pw_date as_of)
{
	const char **ids = calloc(n, sizeof *ids);
	if (!ids) {
		fprintf(stderr, "bench_replay: out of memory\n");
		return 1;
	}
	size_t m = pick(l, n, ids), rows = 0;
	pw_match_opts o = {.as_of = as_of, .top = 10};
	pw_error err;
	pw_match *r = NULL;
	uint64_t h = 14695981039346656037ull;
	int rc = 0;

	/* One query before counting, on the last learner (not among the
	 * picked when k > 1), so state an engine builds lazily on its first
	 * query is not charged to the loop. */
	if (pw_match_learner(e, l->items[l->count - 1].id, &o, &r, &err)) {
		rc = fail("match", l->items[l->count - 1].id, &err);
		goto done;
	}
	pw_match_free(r);

	CALLGRIND_TOGGLE_COLLECT;
	for (size_t i = 0; i < m; i++) {
		if (pw_match_learner(e, ids[i], &o, &r, &err)) {
			CALLGRIND_TOGGLE_COLLECT;
			rc = fail("match", ids[i], &err);
			goto done;
		}
		rows += r->count;
		for (size_t j = 0; j < r->count; j++) {
			h = digest_str(h, r->rows[j].target);
			h = digest_num(h, r->rows[j].score);
		}
		pw_match_free(r);
	}
	CALLGRIND_TOGGLE_COLLECT;
	printf("bench_replay: match %zu learners (1 in %zu of %zu by id), top "
	       "10, as_of %s: %zu rows, digest %016llx\n",
	       m, l->count / n ? l->count / n : 1, l->count, AS_OF, rows,
	       (unsigned long long)h);
done:
	free(ids);
	return rc;
}

static int run_candidates(pw_engine *e, const pw_list *l, size_t n,
                          pw_date as_of)
{
	const char **ids = calloc(n, sizeof *ids);
	if (!ids) {
		fprintf(stderr, "bench_replay: out of memory\n");
		return 1;
	}
	size_t m = pick(l, n, ids), rows = 0;
	pw_error err;
	pw_candidates *r = NULL;
	uint64_t h = 14695981039346656037ull;
	int rc = 0;

	if (pw_find_candidates(e, l->items[l->count - 1].id, as_of, 20, &r,
	                       &err)) {
		rc = fail("candidates", l->items[l->count - 1].id, &err);
		goto done;
	}
	pw_candidates_free(r);

	CALLGRIND_TOGGLE_COLLECT;
	for (size_t i = 0; i < m; i++) {
		if (pw_find_candidates(e, ids[i], as_of, 20, &r, &err)) {
			CALLGRIND_TOGGLE_COLLECT;
			rc = fail("candidates", ids[i], &err);
			goto done;
		}
		rows += r->count;
		for (size_t j = 0; j < r->count; j++) {
			h = digest_str(h, r->rows[j].learner);
			h = digest_num(h, r->rows[j].score);
		}
		pw_candidates_free(r);
	}
	CALLGRIND_TOGGLE_COLLECT;
	printf("bench_replay: candidates %zu jobs (1 in %zu of %zu by id), top "
	       "20, as_of %s: %zu rows, digest %016llx\n",
	       m, l->count / n ? l->count / n : 1, l->count, AS_OF, rows,
	       (unsigned long long)h);
done:
	free(ids);
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_replay DB match|candidates|prepare [N]\n"
	                "       bench_replay --requests\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--requests") == 0)
		return HAVE_CALLGRIND ? 0 : 1;
	if (argc < 3 || argc > 4)
		return usage();
	const char *db = argv[1], *mode = argv[2];
	bool match = strcmp(mode, "match") == 0;
	bool cands = strcmp(mode, "candidates") == 0;
	if (!match && !cands && strcmp(mode, "prepare") != 0)
		return usage();
	size_t n = match ? 100 : 50;
	if (argc == 4) {
		char *end;
		unsigned long v = strtoul(argv[3], &end, 10);
		if (!argv[3][0] || *end || v == 0 || v > 1000000) {
			fprintf(stderr,
			        "bench_replay: N is a whole number from 1 to "
			        "1000000, got '%s'\n",
			        argv[3]);
			return 2;
		}
		n = v;
	}

	pw_engine *e = NULL;
	pw_list *l = NULL;
	pw_error err;
	pw_date as_of;
	int rc = 1;
	if (pw_date_parse(AS_OF, &as_of, &err))
		return fail("date", AS_OF, &err);
	if (pw_open(db, 0, &e, &err))
		return fail("open", db, &err);
	/* The model is built (or mapped) here, outside the counted loop. */
	if (pw_prepare(e, &err)) {
		rc = fail("prepare", db, &err);
		goto done;
	}
	if (!match && !cands) {
		rc = 0;
		goto done;
	}
	if (pw_list_entities(e, match ? PW_KIND_LEARNER : PW_KIND_JOB, NULL, &l,
	                     &err)) {
		rc = fail("list", db, &err);
		goto done;
	}
	if (l->count == 0) {
		fprintf(stderr, "bench_replay: '%s' has no %s\n", db,
		        match ? "learners" : "jobs");
		goto done;
	}
	rc = match ? run_match(e, l, n, as_of) : run_candidates(e, l, n, as_of);
done:
	pw_list_free(l);
	pw_close(e);
	return rc;
}
