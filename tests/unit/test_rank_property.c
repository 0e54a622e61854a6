/* test_rank_property.c - match and candidates use inverted indexes to skip
 * what cannot score; this checks them against a brute-force ranking built
 * from explain (every learner against every target) on random catalogs:
 * taxonomies, related edges, stacks, any_of, preferred-only and empty
 * requirement lists, credential requirements, closed, remote and
 * location-less postings. */
#include "fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSKILLS 30
#define NCREDS 24
#define NJOBS 50
#define NLEARNERS 40
#define SEEDS 25

static double wages[NJOBS]; /* annual, NAN when unknown */

static void location(fx_text *d, fx_rng *r)
{
	switch (fx_rand(r, 5)) {
	case 0: fx_put(d, "{\"county\": \"2100%u\"}", fx_rand(r, 3)); break;
	case 1:
		fx_put(d, "{\"state\": \"%s\"}", fx_rand(r, 2) ? "KY" : "TN");
		break;
	case 2: fx_put(d, "{}"); break;
	default:
		fx_put(d,
		       "{\"lat\": %.3f, \"lon\": %.3f, \"county\": \"2100%u\", "
		       "\"state\": \"KY\"}",
		       37.0 + fx_rand(r, 100) / 100.0,
		       -83.0 - fx_rand(r, 100) / 100.0, fx_rand(r, 3));
	}
}

static char *generate(unsigned seed)
{
	fx_rng r = {seed * 7919ull + 13};
	fx_text d = {0};
	fx_put(&d, "{\"skills\": [");
	for (int s = 0; s < NSKILLS; s++) {
		fx_put(&d, "%s{\"id\": \"s%02d\", \"name\": \"Skill %d\"",
		       s ? "," : "", s, s);
		if (s > 3 &&
		    fx_rand(&r, 3)) /* parents among earlier skills: acyclic */
			fx_put(&d, ", \"broader\": [\"s%02u\"]",
			       fx_rand(&r, (unsigned)s));
		if (s > 0 && fx_rand(&r, 4) == 0)
			fx_put(&d,
			       ", \"related\": [{\"skill\": \"s%02u\", "
			       "\"weight\": 0.%u}]",
			       fx_rand(&r, (unsigned)s), 1 + fx_rand(&r, 9));
		fx_put(&d, "}");
	}
	fx_put(&d, "], \"credentials\": [");
	for (int c = 0; c < NCREDS; c++) {
		fx_put(&d,
		       "%s{\"id\": \"c%02d\", \"name\": \"Cred %d\", "
		       "\"skills\": [",
		       c ? "," : "", c, c);
		unsigned k = 1 + fx_rand(&r, 3);
		int used[NSKILLS] = {0};
		for (unsigned i = 0; i < k; i++) {
			unsigned s = fx_rand(&r, NSKILLS);
			if (used[s]++)
				continue;
			fx_put(&d, "%s{\"skill\": \"s%02u\", \"level\": %u}",
			       i ? "," : "", s, 1 + fx_rand(&r, 4));
		}
		fx_put(&d, "]");
		if (c >= 20) /* stacks of earlier credentials, c23 on c20 */
			fx_put(&d, ", \"components\": [\"c%02d\", \"c%02u\"]",
			       c == 23 ? 20 : c - 10, fx_rand(&r, 8));
		if (fx_rand(&r, 4) == 0)
			fx_put(&d, ", \"expires_months\": %u",
			       6 + fx_rand(&r, 30));
		fx_put(&d, "}");
	}
	fx_put(&d, "], \"jobs\": [");
	for (int j = 0; j < NJOBS; j++) {
		fx_put(&d,
		       "%s{\"id\": \"j%02d\", \"title\": \"Job %d\", "
		       "\"location\": ",
		       j ? "," : "", j, j);
		location(&d, &r);
		if (fx_rand(&r, 6) == 0)
			fx_put(&d, ", \"remote\": true");
		if (fx_rand(&r, 8) == 0)
			fx_put(&d, ", \"expires\": \"2025-0%u-15\"",
			       1 + fx_rand(&r, 9));
		wages[j] = NAN;
		if (fx_rand(&r, 4)) {
			unsigned w = 10 + fx_rand(&r, 5); /* ties on purpose */
			wages[j] = w * 2080.0;
			fx_put(&d,
			       ", \"wage\": {\"min\": %u, \"unit\": \"hour\"}",
			       w);
		}
		fx_put(&d, ", \"requirements\": [");
		unsigned k = fx_rand(&r, 9) == 0 ? 0 : 1 + fx_rand(&r, 4);
		bool all_preferred = fx_rand(&r, 7) == 0;
		int used[NSKILLS] = {0};
		unsigned written = 0;
		for (unsigned i = 0; i < k; i++) {
			unsigned s = fx_rand(&r, NSKILLS),
			         s2 = fx_rand(&r, NSKILLS);
			if (used[s] || used[s2])
				continue;
			used[s] = 1;
			const char *req = all_preferred || fx_rand(&r, 4) == 0
			                      ? "false"
			                      : "true";
			if (s2 != s && fx_rand(&r, 4) == 0) {
				used[s2] = 1;
				fx_put(&d,
				       "%s{\"any_of\": [{\"skill\": \"s%02u\", "
				       "\"level\": %u}, "
				       "{\"skill\": \"s%02u\", \"level\": "
				       "%u}], \"importance\": %u, "
				       "\"required\": %s}",
				       written ? "," : "", s,
				       1 + fx_rand(&r, 4), s2,
				       1 + fx_rand(&r, 4), 1 + fx_rand(&r, 5),
				       req);
			} else
				fx_put(&d,
				       "%s{\"skill\": \"s%02u\", \"level\": "
				       "%u, \"importance\": %u, "
				       "\"required\": %s}",
				       written ? "," : "", s,
				       1 + fx_rand(&r, 4), 1 + fx_rand(&r, 5),
				       req);
			written++;
		}
		fx_put(&d, "]");
		if (fx_rand(&r, 5) == 0)
			fx_put(&d, ", \"credentials_required\": [\"c%02u\"]",
			       fx_rand(&r, NCREDS));
		fx_put(&d, "}");
	}
	fx_put(&d, "], \"learners\": [");
	for (int l = 0; l < NLEARNERS; l++) {
		fx_put(&d,
		       "%s{\"id\": \"l%02d\", \"discoverable\": %s, \"home\": ",
		       l ? "," : "", l, fx_rand(&r, 4) ? "true" : "false");
		location(&d, &r);
		fx_put(&d, ", \"max_commute_miles\": %u, \"credentials\": [",
		       10 + fx_rand(&r, 60));
		unsigned k = fx_rand(&r, 5);
		for (unsigned i = 0; i < k; i++)
			fx_put(&d,
			       "%s{\"credential\": \"c%02u\", \"earned\": "
			       "\"202%u-0%u-01\"}",
			       i ? "," : "", fx_rand(&r, NCREDS),
			       3 + fx_rand(&r, 3), 1 + fx_rand(&r, 9));
		fx_put(&d, "]}");
	}
	fx_put(&d, "]}");
	return d.text;
}

typedef struct ref {
	int idx;
	int score10;
	bool qualified;
	double wage;
} ref;

static int cmp_ref_match(const void *x, const void *y)
{
	const ref *a = x, *b = y;
	if (a->qualified != b->qualified)
		return a->qualified ? -1 : 1;
	if (a->score10 != b->score10)
		return a->score10 > b->score10 ? -1 : 1;
	bool ka = !isnan(a->wage), kb = !isnan(b->wage);
	if (ka != kb)
		return ka ? -1 : 1;
	if (ka && a->wage != b->wage)
		return a->wage > b->wage ? -1 : 1;
	return a->idx - b->idx;
}

static int cmp_ref_cand(const void *x, const void *y)
{
	const ref *a = x, *b = y;
	if (a->qualified != b->qualified)
		return a->qualified ? -1 : 1;
	if (a->score10 != b->score10)
		return a->score10 > b->score10 ? -1 : 1;
	return a->idx - b->idx;
}

static pw_explain *explain(pw_engine *e, int l, int j, pw_date as_of)
{
	char lid[16], jid[16];
	pw_explain *x;
	pw_error err;
	snprintf(lid, sizeof lid, "l%02d", l);
	snprintf(jid, sizeof jid, "j%02d", j);
	if (pw_explain_match(e, lid, jid, as_of, &x, &err))
		fail_msg("explain: %s", err.message);
	return x;
}

static void indexed_ranking_equals_brute_force(void **state)
{
	(void)state;
	pw_date as_of = fx_date("2025-06-01");
	for (unsigned seed = 0; seed < SEEDS; seed++) {
		char *text = generate(seed);
		pw_engine *e = fx_open();
		fx_load_ok(e, text);
		free(text);
		bool discoverable[NLEARNERS];
		for (int l = 0; l < NLEARNERS; l++) {
			char id[16];
			char *json;
			snprintf(id, sizeof id, "l%02d", l);
			assert_int_equal(
			    pw_show_json(e, PW_KIND_LEARNER, id, 0, &json, NULL), PW_OK);
			discoverable[l] = strstr(json, "\"discoverable\":true") != NULL;
			pw_free(json);
		}
		/* explain every pair once */
		static ref grid[NLEARNERS][NJOBS];
		static bool in_range[NLEARNERS][NJOBS], open[NLEARNERS][NJOBS];
		for (int l = 0; l < NLEARNERS; l++)
			for (int j = 0; j < NJOBS; j++) {
				pw_explain *x = explain(e, l, j, as_of);
				grid[l][j] = (ref){j, (int)lround(x->score * 10), x->qualified,
				                   wages[j]};
				in_range[l][j] = x->in_range;
				open[l][j] = x->open;
				pw_explain_free(x);
			}
		for (int l = 0; l < NLEARNERS; l++) {
			for (int mode = 0; mode < 3; mode++) {
				ref want[NJOBS];
				int n = 0;
				for (int j = 0; j < NJOBS; j++) {
					if (!open[l][j] || (mode != 1 && !in_range[l][j]))
						continue;
					if (mode == 2 && !grid[l][j].qualified)
						continue;
					want[n++] = grid[l][j];
				}
				qsort(want, (size_t)n, sizeof *want, cmp_ref_match);
				pw_match_opts o = {.as_of = as_of,
				                   .top = 7,
				                   .anywhere = mode == 1,
				                   .qualified = mode == 2};
				char id[16];
				pw_match *m;
				snprintf(id, sizeof id, "l%02d", l);
				assert_int_equal(pw_match_learner(e, id, &o, &m, NULL), PW_OK);
				int expect = n < 7 ? n : 7;
				if ((int)m->count != expect)
					fail_msg("seed %u %s mode %d: %zu results, want %d", seed,
					         id, mode, m->count, expect);
				for (int i = 0; i < expect; i++) {
					char jid[16];
					snprintf(jid, sizeof jid, "j%02d", want[i].idx);
					if (strcmp(m->rows[i].target, jid) != 0)
						fail_msg("seed %u %s mode %d rank %d: %s, want %s",
						         seed, id, mode, i, m->rows[i].target, jid);
				}
				pw_match_free(m);
			}
		}
		for (int j = 0; j < NJOBS; j++) {
			ref want[NLEARNERS];
			int n = 0;
			for (int l = 0; l < NLEARNERS; l++) {
				if (!discoverable[l] || !in_range[l][j] || !open[l][j])
					continue;
				want[n] = grid[l][j];
				want[n++].idx = l;
			}
			qsort(want, (size_t)n, sizeof *want, cmp_ref_cand);
			char jid[16];
			pw_candidates *c;
			snprintf(jid, sizeof jid, "j%02d", j);
			assert_int_equal(pw_find_candidates(e, jid, as_of, 9, &c, NULL),
			                 PW_OK);
			int expect = n < 9 ? n : 9;
			if ((int)c->count != expect)
				fail_msg("seed %u %s: %zu candidates, want %d", seed, jid,
				         c->count, expect);
			for (int i = 0; i < expect; i++) {
				char lid[16];
				snprintf(lid, sizeof lid, "l%02d", want[i].idx);
				if (strcmp(c->rows[i].learner, lid) != 0)
					fail_msg("seed %u %s rank %d: %s, want %s", seed, jid, i,
					         c->rows[i].learner, lid);
			}
			pw_candidates_free(c);
		}
		pw_close(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(indexed_ranking_equals_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
