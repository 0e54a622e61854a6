/* test_demand_property.c - demand's programs against `next`, on random
 * small catalogs: for every program, the learners it unlocks and the
 * openings it reaches must be what pw_next_credentials says learner by
 * learner (the earnable-now credentials and the region's jobs each one
 * newly qualifies for), and no credential `next` credits may be missing.
 * The catalogs mix taxonomy steps, any_of requirements, optional ones,
 * credentials required by jobs, prerequisites, stacks, remote and expired
 * jobs, so every shortcut demand takes is crossed. */
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

enum { NSK = 8, NCR = 14, NJOB = 14, NLRN = 16, NPLACE = 3 };

static const char *const place_county[NPLACE] = {"21071", "21071", "21193"};
static const double place_lat[NPLACE] = {37.50, 37.62, 37.30};
static const double place_lon[NPLACE] = {-82.50, -82.61, -83.20};

typedef struct gen {
	unsigned long long s;
	char *buf;
	size_t n, cap;
} gen;

static unsigned rnd(gen *g, unsigned n)
{
	g->s = g->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(g->s >> 33) % n;
}

static void put(gen *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char tmp[512];
	int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	assert_true(k >= 0 && (size_t)k < sizeof tmp);
	if (g->n + (size_t)k + 1 > g->cap) {
		g->cap = 2 * (g->n + (size_t)k + 1);
		g->buf = realloc(g->buf, g->cap);
		assert_non_null(g->buf);
	}
	memcpy(g->buf + g->n, tmp, (size_t)k + 1);
	g->n += (size_t)k;
}

typedef struct world {
	int job_place[NJOB]; /* -1: remote */
	int learner_place[NLRN];
	int openings[NJOB];
} world;

/* A random catalog, in the native format. Credentials 0-9 are plain (some
 * with prerequisites on earlier ones), 10-13 stacks of earlier plain ones. */
static char *catalog(gen *g, world *w)
{
	g->n = 0;
	put(g, "{\"skills\": [");
	for (int s = 0; s < NSK; s++) {
		put(g, "%s{\"id\": \"s%d\", \"name\": \"Skill %d\"",
		    s ? "," : "", s, s);
		if (s >= 2 && rnd(g, 3) == 0)
			put(g, ", \"broader\": [\"s%u\"]", rnd(g, (unsigned)s));
		else if (s >= 2 && rnd(g, 4) == 0)
			put(g,
			    ", \"related\": [{\"skill\": \"s%u\", "
			    "\"weight\": 0.%u}]",
			    rnd(g, (unsigned)s), 5 + rnd(g, 5));
		put(g, "}");
	}
	put(g, "], \"credentials\": [");
	for (int c = 0; c < NCR; c++) {
		put(g,
		    "%s{\"id\": \"c%02d\", \"name\": \"Cred %d\", \"skills\": "
		    "[",
		    c ? "," : "", c, c);
		unsigned ns = 1 + rnd(g, 2), first = rnd(g, NSK);
		for (unsigned k = 0; k < ns; k++)
			put(g, "%s{\"skill\": \"s%u\", \"level\": %u}",
			    k ? "," : "", (first + 3 * k) % NSK, 1 + rnd(g, 4));
		put(g,
		    "], \"hours\": %u, \"cost\": %u, \"modality\": \"online\"",
		    1 + rnd(g, 50), rnd(g, 500));
		if (c < 10 && c >= 2 && rnd(g, 4) == 0)
			put(g, ", \"prerequisites\": [\"c%02u\"]",
			    rnd(g, (unsigned)c));
		if (c >= 10) {
			unsigned a = rnd(g, 10), b = (a + 1 + rnd(g, 9)) % 10;
			put(g, ", \"components\": [\"c%02u\", \"c%02u\"]", a,
			    b);
		}
		put(g, "}");
	}
	put(g, "], \"jobs\": [");
	for (int j = 0; j < NJOB; j++) {
		int p = rnd(g, 5) == 0 ? -1 : (int)rnd(g, NPLACE);
		w->job_place[j] = p;
		w->openings[j] = 1 + (int)rnd(g, 3);
		put(g, "%s{\"id\": \"j%02d\", \"title\": \"Job %d\"",
		    j ? "," : "", j, j);
		if (p < 0)
			put(g, ", \"remote\": true");
		else
			put(g,
			    ", \"location\": {\"lat\": %.2f, \"lon\": %.2f, "
			    "\"county\": \"%s\", \"state\": \"KY\"}",
			    place_lat[p], place_lon[p], place_county[p]);
		put(g, ", \"openings\": %d", w->openings[j]);
		if (rnd(g, 8) == 0)
			put(g, ", \"expires\": \"2026-01-01\"");
		put(g, ", \"requirements\": [");
		unsigned nr = rnd(g, 4), first = rnd(g, NSK);
		for (unsigned k = 0; k < nr; k++) {
			unsigned s = (first + 2 * k) % NSK;
			put(g, "%s", k ? "," : "");
			if (rnd(g, 4) == 0)
				put(g,
				    "{\"any_of\": [{\"skill\": \"s%u\", "
				    "\"level\": %u}, {\"skill\": \"s%u\", "
				    "\"level\": %u}]}",
				    s, 1 + rnd(g, 4), (s + 1) % NSK,
				    1 + rnd(g, 4));
			else
				put(g,
				    "{\"skill\": \"s%u\", \"level\": %u, "
				    "\"required\": %s}",
				    s, 1 + rnd(g, 4),
				    rnd(g, 5) ? "true" : "false");
		}
		put(g, "]");
		if (nr == 0 || rnd(g, 4) == 0) {
			unsigned c = rnd(g, NCR);
			if (rnd(g, 2))
				put(g,
				    ", \"credentials_required\": [\"c%02u\"]",
				    c);
			else
				put(g,
				    ", \"credentials_required\": [{\"any_of\": "
				    "[\"c%02u\", \"c%02u\"]}]",
				    c, (c + 5) % NCR);
		}
		put(g, "}");
	}
	put(g, "], \"learners\": [");
	for (int l = 0; l < NLRN; l++) {
		int p = (int)rnd(g, NPLACE);
		w->learner_place[l] = p;
		put(g,
		    "%s{\"id\": \"L%02d\", \"home\": {\"lat\": %.2f, \"lon\": "
		    "%.2f, \"county\": \"%s\", \"state\": \"KY\"}, "
		    "\"max_commute_miles\": %u, \"credentials\": [",
		    l ? "," : "", l, place_lat[p], place_lon[p],
		    place_county[p], 5 + rnd(g, 60));
		unsigned nh = rnd(g, 4), first = rnd(g, NCR);
		for (unsigned k = 0; k < nh; k++)
			put(g,
			    "%s{\"credential\": \"c%02u\", \"earned\": "
			    "\"2025-01-01\"}",
			    k ? "," : "", (first + 4 * k) % NCR);
		put(g, "]}");
	}
	put(g, "]}");
	return g->buf;
}

static bool job_in(const world *w, int j, const char *county)
{
	return !county || w->job_place[j] < 0 ||
	       strcmp(place_county[w->job_place[j]], county) == 0;
}

/* demand for the region (county or whole store) against next. */
static void check(pw_engine *e, const world *w, const char *county,
                  unsigned seed)
{
	pw_date as_of = fx_date("2026-01-15");
	pw_error err;
	pw_region *r = NULL;
	assert_int_equal(pw_region_parse(county, NULL, NULL, NULL, &r, &err),
	                 PW_OK);
	pw_demand_opts o = {.region = r, .as_of = as_of};
	pw_demand *d = NULL;
	assert_int_equal(pw_demand_compute(e, &o, &d, &err), PW_OK);
	pw_region_free(r);

	size_t learners[NCR] = {0};
	bool reached[NCR][NJOB];
	memset(reached, 0, sizeof reached);
	for (int l = 0; l < NLRN; l++) {
		if (county &&
		    strcmp(place_county[w->learner_place[l]], county) != 0)
			continue;
		char id[16];
		snprintf(id, sizeof id, "L%02d", l);
		pw_next *nx = NULL;
		assert_int_equal(
		    pw_next_credentials(e, id, as_of, 100000, &nx, &err),
		    PW_OK);
		for (size_t k = 0; k < nx->count; k++) {
			const pw_next_item *it = &nx->items[k];
			int c = atoi(it->credential + 1);
			bool any = false;
			for (size_t j = 0; j < it->njobs; j++) {
				int t = atoi(it->newly_qualified_jobs[j] + 1);
				if (!job_in(w, t, county))
					continue;
				any = true;
				reached[c][t] = true;
			}
			learners[c] += any;
		}
		pw_next_free(nx);
	}
	size_t nexpected = 0;
	for (int c = 0; c < NCR; c++) {
		long long openings = 0;
		for (int t = 0; t < NJOB; t++)
			openings += reached[c][t] ? w->openings[t] : 0;
		const pw_demand_program *p = NULL;
		for (size_t i = 0; i < d->nprograms; i++)
			if (atoi(d->programs[i].credential + 1) == c)
				p = &d->programs[i];
		nexpected += learners[c] > 0;
		size_t got = p ? p->learners_unlocked : 0;
		long long gotn = p ? p->openings_reached : 0;
		if (got != learners[c] || gotn != openings)
			fail_msg("seed %u region %s: c%02d demand says %zu "
			         "learners, %lld openings; next says %zu, %lld",
			         seed, county ? county : "(all)", c, got, gotn,
			         learners[c], openings);
	}
	assert_int_equal(d->nprograms, nexpected);
	pw_demand_free(d);
}

static void test_random_catalogs(void **state)
{
	(void)state;
	gen g = {0};
	size_t programs_seen = 0;
	for (unsigned seed = 1; seed <= 60; seed++) {
		g.s = seed * 0x9e3779b97f4a7c15ULL;
		world w;
		const char *json = catalog(&g, &w);
		pw_engine *e = fx_open();
		fx_load_ok(e, json);
		/* every other catalog with learners shared out among three
		 * threads, whose tallies and reached postings are merged */
		if (seed % 2)
			setenv("PATHWAY_WORKERS", "3", 1);
		else
			unsetenv("PATHWAY_WORKERS");
		check(e, &w, NULL, seed);
		check(e, &w, "21071", seed);
		/* the test is only worth something if programs appear */
		pw_error err;
		pw_demand_opts o = {.region = NULL,
		                    .as_of = fx_date("2026-01-15")};
		pw_demand *d = NULL;
		assert_int_equal(pw_demand_compute(e, &o, &d, &err), PW_OK);
		programs_seen += d->nprograms;
		pw_demand_free(d);
		pw_close(e);
	}
	assert_true(programs_seen > 60);
	free(g.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_catalogs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
