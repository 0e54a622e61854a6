/* test_plan_property.c - the planner against brute force: on 600 random
 * small catalogs (up to 14 credentials) every subset of the earnable
 * credentials is tried, and the planner's plan must be the best valid one
 * on the whole key of SPEC §5 (objective, other measure, count, score,
 * ids), with the same reachability and blocking, and steps in an order
 * that respects prerequisites. */
#include "fixture.h"
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INSTANCES 600
#define MAXC 14

/* A catalog of nc credentials over 8 skills, one learner L, one job J. */
static char *generate(fx_rng *r, unsigned nc)
{
	fx_text d = {0};
	fx_put(&d, "{\"skills\": [");
	for (unsigned s = 0; s < 8; s++) {
		fx_put(&d, "%s{\"id\": \"s%u\", \"name\": \"S%u\"",
		       s ? "," : "", s, s);
		if (s >= 2 && fx_rand(r, 3) == 0)
			fx_put(&d, ", \"broader\": [\"s%u\"]", fx_rand(r, s));
		if (s >= 1 && fx_rand(r, 5) == 0)
			fx_put(&d,
			       ", \"related\": [{\"skill\": \"s%u\", "
			       "\"weight\": 0.%u}]",
			       fx_rand(r, s), 5 + fx_rand(r, 5));
		fx_put(&d, "}");
	}
	fx_put(&d, "], \"credentials\": [");
	for (unsigned c = 0; c < nc; c++) {
		fx_put(&d,
		       "%s{\"id\": \"c%02u\", \"name\": \"C%u\", \"skills\": [",
		       c ? "," : "", c, c);
		unsigned a = fx_rand(r, 8), b = fx_rand(r, 8);
		fx_put(&d, "{\"skill\": \"s%u\", \"level\": %u}", a,
		       1 + fx_rand(r, 4));
		if (b != a && fx_rand(r, 2))
			fx_put(&d, ", {\"skill\": \"s%u\", \"level\": %u}", b,
			       1 + fx_rand(r, 4));
		fx_put(&d, "]");
		if (fx_rand(r, 10)) /* small ranges make ties likely */
			fx_put(&d, ", \"hours\": %u, \"cost\": %u",
			       5 * (1 + fx_rand(r, 6)), 50 * fx_rand(r, 5));
		if (fx_rand(r, 12) == 0)
			fx_put(&d, ", \"listed\": false");
		if (fx_rand(r, 8) == 0)
			fx_put(&d,
			       ", \"modality\": \"in-person\", \"location\": "
			       "{\"lat\": "
			       "%s, \"lon\": -83.0}",
			       fx_rand(r, 2) ? "37.1" : "39.0");
		else if (fx_rand(r, 6) == 0)
			fx_put(&d, ", \"modality\": \"online\", \"location\": "
			           "{\"lat\": 45.0, "
			           "\"lon\": -100.0}");
		if (fx_rand(r, 7) == 0)
			fx_put(&d, ", \"expires_months\": 12");
		if (c >= 2 && fx_rand(r, 4) == 0)
			fx_put(&d, ", \"prerequisites\": [\"c%02u\"]",
			       fx_rand(r, c));
		else if (c >= 3 && fx_rand(r, 7) == 0) {
			unsigned x = fx_rand(r, c), y = fx_rand(r, c);
			if (x != y)
				fx_put(
				    &d,
				    ", \"components\": [\"c%02u\", \"c%02u\"]",
				    x, y);
		}
		fx_put(&d, "}");
	}
	fx_put(&d,
	       "], \"learners\": [{\"id\": \"L\", \"hours_per_week\": 3, "
	       "\"home\": {\"lat\": 37.0, \"lon\": -83.0}, \"credentials\": [");
	unsigned nh = fx_rand(r, 3);
	for (unsigned i = 0; i < nh; i++)
		fx_put(&d, "%s{\"credential\": \"c%02u\", \"earned\": \"%s\"}",
		       i ? "," : "", fx_rand(r, nc),
		       fx_rand(r, 3) ? "2025-03-01" : "2023-03-01");
	fx_put(&d, "]}], \"jobs\": [{\"id\": \"J\", \"title\": \"Job\", "
	           "\"requirements\": [");
	unsigned nr = 1 + fx_rand(r, 4);
	int used[8] = {0};
	unsigned w = 0;
	for (unsigned i = 0; i < nr; i++) {
		unsigned s = fx_rand(r, 8), s2 = fx_rand(r, 8);
		if (used[s])
			continue;
		used[s] = 1;
		const char *req = fx_rand(r, 5) ? "true" : "false";
		if (s2 != s && !used[s2] && fx_rand(r, 4) == 0) {
			used[s2] = 1;
			fx_put(&d,
			       "%s{\"any_of\": [{\"skill\": \"s%u\", "
			       "\"level\": %u}, {\"skill\": "
			       "\"s%u\", \"level\": %u}], \"importance\": %u, "
			       "\"required\": %s}",
			       w ? "," : "", s, 1 + fx_rand(r, 3), s2,
			       1 + fx_rand(r, 3), 1 + fx_rand(r, 5), req);
		} else
			fx_put(&d,
			       "%s{\"skill\": \"s%u\", \"level\": %u, "
			       "\"importance\": %u, "
			       "\"required\": %s}",
			       w ? "," : "", s, 1 + fx_rand(r, 3),
			       1 + fx_rand(r, 5), req);
		w++;
	}
	fx_put(&d, "]");
	if (fx_rand(r, 3) == 0) {
		unsigned x = fx_rand(r, nc), y = fx_rand(r, nc);
		if (fx_rand(r, 2) && x != y)
			fx_put(&d,
			       ", \"credentials_required\": [{\"any_of\": "
			       "[\"c%02u\", "
			       "\"c%02u\"]}]",
			       x, y);
		else
			fx_put(&d, ", \"credentials_required\": [\"c%02u\"]",
			       x);
	}
	fx_put(&d, "}]}");
	return d.text;
}

/* ---- the reference, straight from SPEC §5 ---------------------------------------- */

typedef struct key {
	int64_t obj, oth;
	unsigned n;
	int score10;
	unsigned mask;
	bool valid;
} key;

static bool better(const key *a, const key *b)
{
	if (!b->valid)
		return true;
	if (a->obj != b->obj)
		return a->obj < b->obj;
	if (a->oth != b->oth)
		return a->oth < b->oth;
	if (a->n != b->n)
		return a->n < b->n;
	if (a->score10 != b->score10)
		return a->score10 > b->score10;
	/* the smaller sorted list of ids: the first credential in id order
	 * where the sets differ belongs to the smaller list */
	for (unsigned c = 0; c < MAXC; c++) {
		bool x = (a->mask >> c) & 1, y = (b->mask >> c) & 1;
		if (x != y)
			return x;
	}
	return false;
}

/* Can the credentials of mask be earned in some order (each one's
 * prerequisites held, or earned before, or a stack whose parts are)? */
static bool orderable(scorer *sc, int64_t l, pw_date as_of, unsigned mask,
                      const unsigned *cred_of, unsigned ne)
{
	const model *m = sc->m;
	uint32_t done[MAXC];
	unsigned ndone = 0, todo = mask;
	for (;;) {
		bool progress = false;
		scorer_set(sc, l, as_of, done, ndone);
		for (unsigned i = 0; i < ne; i++) {
			if (!((todo >> i) & 1))
				continue;
			uint32_t c = cred_of[i];
			bool ready = true;
			for (uint32_t k = m->prereq_off[c]; ready && k < m->prereq_off[c + 1];
			     k++)
				ready = sc->held[m->prereq[k]];
			if (ready) {
				done[ndone++] = c;
				todo &= ~(1u << i);
				progress = true;
			}
		}
		if (!todo)
			return true;
		if (!progress)
			return false;
	}
}

typedef struct stats {
	unsigned checked, multi_step, unreachable, already, by_cost;
} stats;

static void check_instance(unsigned seed, pw_objective by, stats *st)
{
	fx_rng r = {seed * 2654435761ull + 7};
	unsigned nc = seed % 7 == 0 ? MAXC : 4 + fx_rand(&r, MAXC - 3);
	char *text = generate(&r, nc);
	pw_engine *e = fx_open();
	pw_report *rep;
	if (fx_load(e, text, &rep) != PW_OK) {
		/* the generator may draw a mixed prerequisite/component loop or a
		 * job whose requirement repeats: not an instance */
		pw_report_free(rep);
		pw_close(e);
		free(text);
		return;
	}
	st->checked++;
	st->by_cost += by == PW_BY_COST;
	pw_report_free(rep);
	free(text);
	pw_date as_of = fx_date("2025-06-01");
	const model *m;
	pw_error err;
	assert_int_equal(engine_model(e, &m, &err), PW_OK);
	int64_t l = model_find(m->l_id, m->nlearners, "L");
	uint32_t t = 0;
	scorer sc;
	assert_int_equal(scorer_init(&sc, m, &err), PW_OK);
	scorer_set(&sc, l, as_of, NULL, 0);

	/* earnable alone: not held, not stacked, listed, known hours and cost,
	 * online or in range */
	unsigned cred_of[MAXC], ne = 0;
	for (uint32_t c = 0; c < m->ncreds; c++) {
		bool hd;
		double dist;
		if (sc.held[c] || m->comp_off[c + 1] > m->comp_off[c] ||
		    !m->cred_listed[c] || isnan(m->cred_hours[c]) ||
		    isnan(m->cred_cost[c]))
			continue;
		if (!m->cred_remote_ok[c] &&
		    !geo_in_range(&m->l_home[l], m->l_max_commute[l], &m->cred_loc[c],
		                  false, &hd, &dist))
			continue;
		cred_of[ne++] = c;
	}
	/* the most that can be earned: the largest orderable subset */
	unsigned full = 0;
	for (unsigned grow = 1; grow;) {
		grow = 0;
		for (unsigned i = 0; i < ne; i++)
			if (!((full >> i) & 1) &&
			    orderable(&sc, l, as_of, full | (1u << i), cred_of, ne)) {
				full |= 1u << i;
				grow = 1;
			}
	}
	/* gaps blocked even then */
	uint32_t most[MAXC];
	unsigned nmost = 0;
	for (unsigned i = 0; i < ne; i++)
		if ((full >> i) & 1)
			most[nmost++] = cred_of[i];
	scorer_set(&sc, l, as_of, most, nmost);
	uint32_t nreq = m->req_off[t + 1] - m->req_off[t];
	req_eval ev[16];
	scorer_eval(&sc, t, ev);
	bool blocked_req[16] = {0};
	unsigned nblocked = 0;
	for (uint32_t i = 0; i < nreq; i++)
		if (m->req_required[m->req_off[t] + i] && ev[i].coverage < 1) {
			blocked_req[i] = true;
			nblocked++;
		}
	uint32_t nent = m->creq_off[t + 1] - m->creq_off[t];
	bool blocked_ent[4] = {0};
	for (uint32_t k = 0; k < nent; k++)
		if (!scorer_cred_entry_held(&sc, m->creq_off[t] + k, NULL)) {
			blocked_ent[k] = true;
			nblocked++;
		}

	key best = {0};
	for (unsigned mask = 0; mask < (1u << ne); mask++) {
		if ((mask & full) != mask ||
		    !orderable(&sc, l, as_of, mask, cred_of, ne))
			continue;
		uint32_t set[MAXC];
		unsigned n = 0;
		key k = {.mask = 0, .valid = true};
		for (unsigned i = 0; i < ne; i++)
			if ((mask >> i) & 1) {
				uint32_t c = cred_of[i];
				set[n++] = c;
				k.mask |= 1u << c;
				int64_t h = llround(m->cred_hours[c] * 1000000);
				int64_t d = llround(m->cred_cost[c] * 1000000);
				k.obj += by == PW_BY_HOURS ? h : d;
				k.oth += by == PW_BY_HOURS ? d : h;
			}
		k.n = n;
		scorer_set(&sc, l, as_of, set, n);
		target_eval te = scorer_eval(&sc, t, ev);
		bool goal = true;
		for (uint32_t i = 0; goal && i < nreq; i++)
			if (m->req_required[m->req_off[t] + i] && !blocked_req[i])
				goal = ev[i].coverage >= 1;
		for (uint32_t q = 0; goal && q < nent; q++)
			if (!blocked_ent[q])
				goal = scorer_cred_entry_held(&sc, m->creq_off[t] + q, NULL);
		if (!goal)
			continue;
		(void)te;
		k.score10 = te.score10;
		if (better(&k, &best))
			best = k;
	}
	assert_true(best.valid); /* the empty plan meets "every other gap" at worst */

	pw_plan *p;
	assert_int_equal(pw_plan_target(e, "L", "J", as_of, by, &p, &err), PW_OK);
	unsigned got = 0;
	int64_t obj = 0;
	for (size_t i = 0; i < p->nsteps; i++) {
		int64_t c = model_find(m->cred_id, m->ncreds, p->steps[i].credential);
		assert_true(c >= 0);
		got |= 1u << c;
		obj += llround((by == PW_BY_HOURS ? p->steps[i].hours : p->steps[i].cost) *
		               1000000);
		/* prerequisites come first */
		scorer_set(&sc, l, as_of, NULL, 0);
		uint32_t before[MAXC];
		for (size_t j = 0; j < i; j++)
			before[j] = (uint32_t)model_find(m->cred_id, m->ncreds,
			                                 p->steps[j].credential);
		scorer_set(&sc, l, as_of, before, i);
		for (uint32_t k = m->prereq_off[c]; k < m->prereq_off[c + 1]; k++)
			if (!sc.held[m->prereq[k]])
				fail_msg("seed %u: step %s before its prerequisite %s", seed,
				         p->steps[i].credential, m->cred_id[m->prereq[k]]);
	}
	if (got != best.mask || !p->optimal) {
		char want[256] = "", have[256] = "";
		for (uint32_t c = 0; c < m->ncreds; c++) {
			if ((best.mask >> c) & 1)
				strcat(want, m->cred_id[c]), strcat(want, " ");
			if ((got >> c) & 1)
				strcat(have, m->cred_id[c]), strcat(have, " ");
		}
		fail_msg("seed %u by %s: plan {%s} (optimal %d), brute force {%s}",
		         seed, by == PW_BY_HOURS ? "hours" : "cost", have, p->optimal,
		         want);
	}
	assert_true(obj == best.obj);
	assert_int_equal(p->reachable, nblocked == 0);
	assert_int_equal(p->nblocking, nblocked);
	st->multi_step += p->nsteps >= 2;
	st->unreachable += !p->reachable;
	st->already += p->qualified_now;
	if (p->nsteps)
		assert_true(llround(p->steps[p->nsteps - 1].score_after * 10) ==
		            best.score10);
	pw_plan_free(p);
	scorer_release(&sc);
	pw_close(e);
}

static void planner_equals_brute_force(void **state)
{
	(void)state;
	stats st = {0};
	for (unsigned seed = 0; seed < INSTANCES; seed++)
		check_instance(seed, seed % 2 ? PW_BY_COST : PW_BY_HOURS, &st);
	print_message("checked %u instances (%u by cost): %u plans of 2+ steps, "
	              "%u unreachable, %u already qualified\n",
	              st.checked, st.by_cost, st.multi_step, st.unreachable,
	              st.already);
	/* the issue asks for at least 500 instances, and they must be varied */
	assert_true(st.checked >= 500);
	assert_true(st.multi_step >= 100);
	assert_true(st.unreachable >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(planner_equals_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
