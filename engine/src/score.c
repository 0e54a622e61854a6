/* score.c - SPEC §2-3: what a learner holds at a date (expiry, stacks of
 * stacks), the level shown in each skill through one step of the taxonomy,
 * a learner's score and qualification for a target, and distance and range.
 * Everything here works on dense ids; nothing allocates per target. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

pw_status scorer_init(scorer *sc, const model *m, pw_error *err)
{
	memset(sc, 0, sizeof *sc);
	sc->m = m;
	size_t ns = m->nskills + 1, nc = m->ncreds + 1;
	sc->held = calloc(nc, 1);
	sc->held_list = calloc(nc, sizeof(uint32_t));
	sc->level = calloc(ns, 1);
	sc->lvl_cred = calloc(ns, sizeof(uint32_t));
	sc->have = calloc(ns, sizeof(double));
	sc->have_via = calloc(ns, 1);
	sc->have_src = calloc(ns, sizeof(uint32_t));
	sc->touched = calloc(ns, sizeof(uint32_t));
	sc->leveled = calloc(ns, sizeof(uint32_t));
	if (!sc->held || !sc->held_list || !sc->level || !sc->lvl_cred ||
	    !sc->have || !sc->have_via || !sc->have_src || !sc->touched ||
	    !sc->leveled) {
		scorer_release(sc);
		return pw_oom(err);
	}
	return PW_OK;
}

void scorer_release(scorer *sc)
{
	free(sc->held);
	free(sc->held_list);
	free(sc->level);
	free(sc->lvl_cred);
	free(sc->have);
	free(sc->have_via);
	free(sc->have_src);
	free(sc->touched);
	free(sc->leveled);
	memset(sc, 0, sizeof *sc);
}

static void hold(scorer *sc, uint32_t c)
{
	if (!sc->held[c]) {
		sc->held[c] = 1;
		sc->held_list[sc->nheld++] = c;
	}
}

/* Is candidate (value, via, source skill) a better explanation of have than
 * what is recorded? SPEC §9: larger have, then direct, narrower, related,
 * broader, then the smaller skill id. */
static bool better(const scorer *sc, uint32_t s, double v, uint8_t via,
                   uint32_t src)
{
	if (v != sc->have[s])
		return v > sc->have[s];
	if (via != sc->have_via[s])
		return via < sc->have_via[s];
	return src < sc->have_src[s];
}

void scorer_set(scorer *sc, int64_t learner, pw_date as_of,
                const uint32_t *extra, size_t nextra)
{
	const model *m = sc->m;
	for (uint32_t i = 0; i < sc->nheld; i++)
		sc->held[sc->held_list[i]] = 0;
	for (uint32_t i = 0; i < sc->nleveled; i++)
		sc->level[sc->leveled[i]] = 0;
	for (uint32_t i = 0; i < sc->ntouched; i++) {
		uint32_t s = sc->touched[i];
		sc->have[s] = 0;
		sc->have_via[s] = PW_VIA_NONE;
	}
	sc->nheld = sc->nleveled = sc->ntouched = 0;
	sc->as_of = as_of;

	if (learner >= 0)
		for (uint32_t h = m->hold_off[learner];
		     h < HOLD_END(m, learner); h++)
			if (m->hold_from[h] <= as_of &&
			    as_of < m->hold_until[h])
				hold(sc, m->hold_cred[h]);
	for (size_t i = 0; i < nextra; i++)
		hold(sc, extra[i]);
	/* A stack is held once all its components are: walk up from each held
	 * credential to the stacks it is part of; held_list doubles as the work
	 * list, so stacks of stacks settle in the same pass. */
	for (uint32_t i = 0; i < sc->nheld; i++) {
		uint32_t c = sc->held_list[i];
		for (uint32_t k = m->parent_off[c]; k < m->parent_off[c + 1];
		     k++) {
			uint32_t p = m->parent[k];
			if (sc->held[p])
				continue;
			bool all = true;
			for (uint32_t j = m->comp_off[p];
			     all && j < m->comp_off[p + 1]; j++)
				all = sc->held[m->comp[j]];
			if (all)
				hold(sc, p);
		}
	}
	qsort(sc->held_list, sc->nheld, sizeof(uint32_t), cmp_u32);

	/* levels: held_list is ascending, so keeping the first credential at
	 * the top level keeps the smallest id */
	for (uint32_t i = 0; i < sc->nheld; i++) {
		uint32_t c = sc->held_list[i];
		for (uint32_t j = m->cskill_off[c]; j < m->cskill_off[c + 1];
		     j++) {
			uint32_t s = m->cskill_skill[j];
			uint8_t lv = m->cskill_level[j];
			if (!sc->level[s])
				sc->leveled[sc->nleveled++] = s;
			if (lv > sc->level[s]) {
				sc->level[s] = lv;
				sc->lvl_cred[s] = c;
			}
		}
	}

	/* have: what each held skill shows, one step through the taxonomy */
	for (uint32_t i = 0; i < sc->nleveled; i++) {
		uint32_t t = sc->leveled[i];
		double lv = sc->level[t];
		for (uint32_t j = m->spread_off[t]; j < m->spread_off[t + 1];
		     j++) {
			uint32_t s = m->spread_to[j];
			double v = m->spread_factor[j] * lv;
			if (v <= 0)
				continue;
			if (sc->have_via[s] == PW_VIA_NONE) {
				sc->touched[sc->ntouched++] = s;
				sc->have[s] = v;
				sc->have_via[s] = m->spread_via[j];
				sc->have_src[s] = t;
			} else if (better(sc, s, v, m->spread_via[j], t)) {
				sc->have[s] = v;
				sc->have_via[s] = m->spread_via[j];
				sc->have_src[s] = t;
			}
		}
	}
}

bool scorer_cred_entry_held(const scorer *sc, uint32_t entry, uint32_t *which)
{
	const model *m = sc->m;
	for (uint32_t k = m->creq_alt_off[entry]; k < CALT_END(m, entry); k++)
		if (sc->held[m->creq_cred[k]]) {
			if (which)
				*which = m->creq_cred[k];
			return true;
		}
	if (which)
		*which = m->creq_cred[m->creq_alt_off[entry]];
	return false;
}

target_eval scorer_eval(const scorer *sc, uint32_t t, req_eval *evals)
{
	const model *m = sc->m;
	/* Coverage is kept in twelfths: 12/need is a whole number for need
	 * 1-4, so levels and half levels stay exact and a score that is a
	 * decimal half rounds the way SPEC §8 says. */
	double num = 0, den = 0;
	bool qualified = true;
	for (uint32_t r = m->req_off[t]; r < REQ_END(m, t); r++) {
		double best = -1, best_have = 0;
		uint32_t best_alt = m->alt_off[r];
		for (uint32_t a = m->alt_off[r]; a < ALT_END(m, r); a++) {
			double have = sc->have[m->alt_skill[a]];
			double c12 = have * (12 / m->alt_level[a]);
			if (c12 > 12)
				c12 = 12;
			if (c12 > best) {
				best = c12;
				best_alt = a;
				best_have = have;
			}
		}
		if (best < 0)
			best = 0;
		double w = m->req_importance[r];
		num += w * best;
		den += w * 12;
		if (m->req_required[r] && best < 12)
			qualified = false;
		if (evals) {
			req_eval *e = &evals[r - m->req_off[t]];
			e->alt = best_alt;
			e->have = best_have;
			e->coverage = best / 12;
		}
	}
	for (uint32_t k = m->creq_off[t]; qualified && k < CREQ_END(m, t); k++)
		if (!scorer_cred_entry_held(sc, k, NULL))
			qualified = false;
	target_eval out;
	out.qualified = qualified;
	out.score10 = den > 0 ? (int)num_round(1000 * num / den, 0) : 1000;
	return out;
}

/* ---- geography ---- */

double geo_miles(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 3958.8, rad = 3.14159265358979323846 / 180;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a =
	    sin(dlat / 2) * sin(dlat / 2) +
	    cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	if (a > 1)
		a = 1;
	return 2 * r * asin(sqrt(a));
}

bool geo_in_range(const loc *home, double max_miles, const loc *place,
                  bool remote, bool *has_distance, double *distance)
{
	*has_distance = home->has_coords && place->has_coords;
	*distance = *has_distance ? geo_miles(home->lat, home->lon, place->lat,
	                                      place->lon)
	                          : 0;
	if (remote)
		return true;
	if (*has_distance)
		return *distance <= max_miles;
	if (home->county && place->county)
		return strcmp(home->county, place->county) == 0;
	if (home->state && place->state)
		return strcmp(home->state, place->state) == 0;
	return true;
}
