/* outcomes.c - the outcomes board view (SPEC §10): per group of a region's
 * learners, how many are qualified for an open in-range job, the median of
 * their best scores and the median hours the others need to qualify, with
 * small groups suppressed.
 *
 * Each learner is asked what the engine answers anyway: match (top 10,
 * best-first over the postings) says whether they are qualified anywhere
 * in range and, when they are not, gives their ten best-scoring jobs in
 * match order, which the planner (by hours) then plans for. Only a
 * qualified learner's best score needs more than match gives, since match
 * ranks qualified jobs before better-scoring unqualified ones: it comes
 * from the same postings bound, scoring exactly only the jobs that could
 * beat the best qualified one.
 *
 * Demographics are read here and nowhere else in the engine: matching and
 * planning never see them.
 *
 * Choices where SPEC §10 is silent:
 *   - The jobs a learner is measured against are their open in-range jobs
 *     wherever they are: the region selects learners (by home), not jobs,
 *     as a learner's range already bounds where they can work.
 *   - A learner with no open in-range job at all has no best score and is
 *     left out of median_best_score (null when no learner of the group has
 *     one); a learner whose in-range jobs all score 0 contributes 0.
 *   - total is shown when no group is suppressed, or when two or more are
 *     and their learners taken together (total minus the shown groups)
 *     still leave each one's count open: k suppressed groups hold 1 to 9
 *     learners each, so a sum of exactly k (every one holds 1) or 9k
 *     (every one holds 9) would give each count away, and total is then
 *     left out too. */
#include "internal.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const char *const by_names[] = {"county", "gender", "race_ethnicity",
                                       "age_band"};

const char *pw_group_by_name(pw_group_by by)
{
	return (unsigned)by < PW_ARRAY_LEN(by_names) ? by_names[by] : "?";
}

pw_status pw_group_by_parse(const char *name, pw_group_by *out, pw_error *err)
{
	for (size_t i = 0; name && i < PW_ARRAY_LEN(by_names); i++)
		if (strcmp(name, by_names[i]) == 0) {
			*out = (pw_group_by)i;
			return PW_OK;
		}
	return pw_fail(err, PW_ERR_INVALID,
	               "unknown group '%s' (expected county, gender, "
	               "race_ethnicity or age_band)",
	               name ? name : "");
}

/* ---- one learner ---- */

typedef struct learner_out {
	uint32_t l;
	const char *group; /* NULL: without the field */
	bool qualified;
	bool has_best, has_hours;
	int best10; /* best in-range score, in tenths */
	double hours;
} learner_out;

/* The best score (tenths) over learner l's open in-range jobs, given one
 * such job already scores floor10: only jobs whose postings bound lets
 * them score higher are scored exactly (see match in engine.c). */
static pw_status best_score10(pw_engine *e, const model *m, int64_t l,
                              pw_date as_of, int floor10, int *out,
                              pw_error *err)
{
	scorer *sc;
	struct tacc *acc;
	uint32_t mark;
	pw_status st;
	if ((st = engine_scorer(e, m, &sc, err)) ||
	    (st = engine_target_acc(e, m->ntargets, &acc, &mark, err)))
		return st;
	query_mem *qm = e->x;
	if (!engine_buffer((void **)&qm->cand, &qm->ncand_cap, m->ntargets,
	                   sizeof *qm->cand))
		return pw_oom(err);
	uint32_t *cand = qm->cand;
	size_t ncand = 0;
	scorer_set(sc, l, as_of, NULL, 0);
	geo_range *rg = qm->ranges;
	geo_span *sp = qm->spans;
	size_t nr = geo_ranges(&m->l_home[l], m->l_max_commute[l], rg);
	for (uint32_t i = 0; i < sc->ntouched; i++) {
		uint32_t s = sc->touched[i];
		double h = sc->have[s];
		size_t ns = geo_spans(m->sk_target_key, m->sk_target_off[s],
		                      m->sk_target_off[s + 1], rg, nr, sp);
		for (size_t k = 0; k < ns; k++)
			for (uint32_t j = sp[k].a; j < sp[k].b; j++) {
				uint32_t t = m->sk_target[j];
				if (acc[t].stamp != mark) {
					acc[t] = (struct tacc){mark, 0, 0};
					cand[ncand++] = t;
				}
				double c12 = h * (12 / m->sk_target_need[j]);
				if (c12 > 12)
					c12 = 12;
				acc[t].acc += (float)((m->sk_target_w[j] &
				                       ~POST_REQUIRED) *
				                      c12);
			}
	}
	/* what the postings cannot bound is scored exactly: the jobs without
	 * a required skill, those written in place (stale postings) and the
	 * skills' in-place additions */
	uint32_t *exact = NULL;
	size_t nexact = 0, cap = (size_t)m->nopen_ended + m->t_written.n;
	for (uint32_t i = 0; i < sc->ntouched && m->sk_target_x; i++)
		cap += m->sk_target_x[sc->touched[i]].n;
	if (cap && !(exact = malloc(cap * sizeof *exact)))
		return pw_oom(err);
	for (uint32_t i = 0; i < m->nopen_ended; i++)
		exact[nexact++] = m->open_ended[i];
	for (uint32_t i = 0; i < m->t_written.n; i++)
		exact[nexact++] = m->t_written.v[i];
	for (uint32_t i = 0; i < sc->ntouched && m->sk_target_x; i++) {
		const u32vec *x = &m->sk_target_x[sc->touched[i]];
		for (uint32_t k = 0; k < x->n; k++)
			exact[nexact++] = x->v[k];
	}

	int best = floor10;
	uint32_t built = m->njobs + m->nocc;
	for (size_t pass = 0; pass < 2; pass++) {
		size_t n = pass ? nexact : ncand;
		for (size_t i = 0; i < n; i++) {
			uint32_t t = pass ? exact[i] : cand[i];
			if (m->t_occ[t] || m->t_deleted[t])
				continue;
			if (!pass && t < built &&
			    (m->t_bound[t] & TB_BOUNDED)) {
				/* an estimate in [b, b + 1) rounds to b + 1
				 * at most */
				double est = 1000 * (double)acc[t].acc /
				             (12.0 * TB_WSUM(m->t_bound[t]));
				if ((int)est + 1 <= best)
					continue;
			}
			bool hd;
			double d;
			if (!engine_target_open(m, t, as_of) ||
			    !geo_in_range(&m->l_home[l], m->l_max_commute[l],
			                  &m->t_loc[t], m->t_remote[t], &hd,
			                  &d))
				continue;
			target_eval te = scorer_eval(sc, t, NULL);
			if (te.score10 > best)
				best = te.score10;
		}
	}
	free(exact);
	*out = best;
	return PW_OK;
}

/* ---- a floor under a plan's hours ----
 *
 * A plan that qualifies a learner for a target earns, for each required
 * requirement not met now, a credential that closes it alone (have is a
 * largest value, never a sum): one the planner's each_closer would name.
 * Earned alone it costs its hours; a stack, held through its components,
 * is counted 0; one that cannot be earned (unlisted, hours unknown) is no
 * option. So the largest, over the unmet requirements and credential
 * entries, of the least such hours is a floor under the plan's total, and
 * no option at all means no plan. Plans whose floor is no better than the
 * best total found are not made: the least total is unchanged. */

/* What earning c alone costs at least, or -1 when it cannot be earned. */
static double floor_cred(const model *m, uint32_t c)
{
	if (m->comp_off[c + 1] > m->comp_off[c])
		return 0;
	if (!m->cred_listed[c] || isnan(m->cred_hours[c]) ||
	    isnan(m->cred_cost[c]))
		return -1;
	return m->cred_hours[c];
}

/* The least hours of a credential closing requirement r (INFINITY when
 * none can), as plan.c's each_closer finds closers; cached per handle in
 * memo (NAN: not known yet). */
static double floor_req(const model *m, uint32_t r, double *memo)
{
	if (!isnan(memo[r]))
		return memo[r];
	double best = INFINITY;
	for (uint32_t a = m->alt_off[r]; a < ALT_END(m, r); a++) {
		uint32_t s = m->alt_skill[a];
		double need12 = 12.0 / m->alt_level[a];
		for (uint32_t j = m->spread_off[s]; j < m->spread_off[s + 1];
		     j++) {
			uint32_t u = m->spread_to[j];
			double f;
			switch ((pw_via)m->spread_via[j]) {
			case PW_VIA_NARROWER: f = 0.5; break;
			case PW_VIA_RELATED: f = m->spread_factor[j]; break;
			case PW_VIA_NONE: f = 0; break;
			default: f = 1; break;
			}
			for (uint32_t k = m->sk_cred_off[u];
			     k < m->sk_cred_off[u + 1]; k++) {
				uint32_t c = m->sk_cred[k];
				int lv = 0;
				for (uint32_t q = m->cskill_off[c];
				     q < m->cskill_off[c + 1]; q++)
					if (m->cskill_skill[q] == u)
						lv = m->cskill_level[q];
				double h = floor_cred(m, c);
				if (f * lv * need12 >= 12 && h >= 0 && h < best)
					best = h;
			}
		}
	}
	return memo[r] = best;
}

static double floor_target(const model *m, const scorer *sc, uint32_t t,
                           req_eval *ev, double *memo)
{
	double lb = 0;
	scorer_eval(sc, t, ev);
	for (uint32_t i = 0, r = m->req_off[t]; r < REQ_END(m, t); i++, r++)
		if (m->req_required[r] && ev[i].coverage < 1)
			lb = fmax(lb, floor_req(m, r, memo));
	for (uint32_t k = m->creq_off[t]; k < CREQ_END(m, t); k++) {
		if (scorer_cred_entry_held(sc, k, NULL))
			continue;
		double best = INFINITY;
		for (uint32_t q = m->creq_alt_off[k]; q < CALT_END(m, k); q++) {
			double h = floor_cred(m, m->creq_cred[q]);
			if (h >= 0 && h < best)
				best = h;
		}
		lb = fmax(lb, best);
	}
	return lb;
}

typedef struct floored {
	double lb;
	size_t row;
} floored;

static int cmp_floored(const void *x, const void *y)
{
	const floored *a = x, *b = y;
	if (a->lb != b->lb)
		return a->lb < b->lb ? -1 : 1;
	return (a->row > b->row) - (a->row < b->row);
}

/* Per handle: the floors of requirements met so far, and a buffer. */
typedef struct measure_mem {
	double *memo; /* [nreq] */
	req_eval *ev;
	size_t nev;
} measure_mem;

static bool measure_mem_init(measure_mem *mm, const model *m)
{
	mm->memo = malloc(((size_t)m->nreq + 1) * sizeof *mm->memo);
	if (!mm->memo)
		return false;
	for (size_t i = 0; i < m->nreq; i++)
		mm->memo[i] = NAN;
	return true;
}

static void measure_mem_release(measure_mem *mm)
{
	free(mm->memo);
	free(mm->ev);
}

/* Match, then (not qualified) plan by hours to the ten jobs match ranks
 * first, least floor first. */
static pw_status measure(pw_engine *e, const model *m, pw_date as_of,
                         measure_mem *mm, learner_out *lo, pw_error *err)
{
	pw_match_opts mo = {.as_of = as_of, .top = 10};
	pw_match *mt = NULL;
	pw_status st = match_learner_locked(e, m->l_id[lo->l], &mo, &mt, err);
	if (st)
		return st;
	if (mt->count == 0)
		goto out; /* no open job in range: nothing to measure */
	lo->has_best = true;
	lo->best10 = (int)lround(mt->rows[0].score * 10);
	if (mt->rows[0].qualified) {
		/* qualified rows come first, so a better-scoring unqualified
		 * job may lie beyond the ten */
		lo->qualified = true;
		st = best_score10(e, m, lo->l, as_of, lo->best10, &lo->best10,
		                  err);
		goto out;
	}
	scorer *sc;
	floored fl[10];
	size_t nf = 0;
	if ((st = engine_scorer(e, m, &sc, err)))
		goto out;
	scorer_set(sc, lo->l, as_of, NULL, 0);
	for (size_t i = 0; i < mt->count && i < 10; i++) {
		int64_t t = model_target(m, mt->rows[i].target);
		if (t < 0)
			continue;
		size_t nreq = REQ_END(m, t) - m->req_off[t];
		if (!engine_buffer((void **)&mm->ev, &mm->nev, nreq,
		                   sizeof *mm->ev)) {
			st = pw_oom(err);
			goto out;
		}
		fl[nf].lb = floor_target(m, sc, (uint32_t)t, mm->ev, mm->memo);
		fl[nf++].row = i;
	}
	qsort(fl, nf, sizeof *fl, cmp_floored);
	for (size_t i = 0; i < nf; i++) {
		if (isinf(fl[i].lb) || (lo->has_hours && fl[i].lb >= lo->hours))
			break; /* nothing left can do better */
		pw_plan *p = NULL;
		if ((st = plan_target_locked(e, m->l_id[lo->l],
		                             mt->rows[fl[i].row].target, as_of,
		                             PW_BY_HOURS, &p, err)))
			goto out;
		if (p->reachable &&
		    (!lo->has_hours || p->total_hours < lo->hours)) {
			lo->has_hours = true;
			lo->hours = p->total_hours;
		}
		pw_plan_free(p);
	}
out:
	pw_match_free(mt);
	return st;
}

/* ---- measuring in parallel ---- */

/* Learners are measured independently, so worker threads share them out.
 * A worker reads the model the caller holds under its shared lock through
 * a handle of its own that counts as reading already: it never takes the
 * lock (a writer queued meanwhile would block it behind the caller, who
 * waits for it) and never touches the store. Its working memory is its
 * own, as a sibling handle's is. */
#define LEARNERS_PER_WORKER 64
#define CHUNK               16

typedef struct work {
	pw_engine *e; /* the caller's handle */
	const model *m;
	pw_date as_of;
	learner_out *ls;
	size_t n;
	_Atomic size_t next;
	_Atomic bool failed;
} work;

typedef struct worker {
	work *w;
	pthread_t tid;
	pw_status st;
	pw_error err;
} worker;

static void *work_run(void *arg)
{
	worker *k = arg;
	work *w = k->w;
	pw_engine h = {.st = w->e->st, .sh = w->e->sh, .reading = true};
	measure_mem mm = {0};
	if (!measure_mem_init(&mm, w->m)) {
		k->st = pw_oom(&k->err);
		w->failed = true;
	}
	while (!w->failed) {
		size_t i = atomic_fetch_add(&w->next, CHUNK);
		if (i >= w->n)
			break;
		size_t end = i + CHUNK < w->n ? i + CHUNK : w->n;
		for (; i < end; i++)
			if ((k->st = measure(&h, w->m, w->as_of, &mm, &w->ls[i],
			                     &k->err))) {
				w->failed = true;
				break;
			}
	}
	measure_mem_release(&mm);
	query_mem_free(h.x);
	return NULL;
}

static pw_status measure_all(pw_engine *e, const model *m, pw_date as_of,
                             learner_out *ls, size_t n, pw_error *err)
{
	/* one thread a processor, the caller's among them */
	size_t nw = engine_workers(n, LEARNERS_PER_WORKER);
	work w = {.e = e, .m = m, .as_of = as_of, .ls = ls, .n = n};
	worker k[ENGINE_WORKERS_MAX] = {0};
	size_t started = 0;
	for (; started < nw; started++) {
		k[started].w = &w;
		if (pthread_create(&k[started].tid, NULL, work_run,
		                   &k[started]))
			break; /* the caller's thread does the rest */
	}
	/* the caller's thread works too, on its own handle */
	worker self = {.w = &w};
	measure_mem mm = {0};
	if (!measure_mem_init(&mm, m)) {
		self.st = pw_oom(&self.err);
		w.failed = true;
	}
	while (!w.failed) {
		size_t i = atomic_fetch_add(&w.next, CHUNK);
		if (i >= n)
			break;
		size_t end = i + CHUNK < n ? i + CHUNK : n;
		for (; i < end && !self.st; i++)
			if ((self.st =
			         measure(e, m, as_of, &mm, &ls[i], &self.err)))
				w.failed = true;
	}
	measure_mem_release(&mm);
	pw_status st = self.st;
	if (st)
		*err = self.err;
	for (size_t i = 0; i < started; i++) {
		pthread_join(k[i].tid, NULL);
		if (!st && k[i].st) {
			st = k[i].st;
			*err = k[i].err;
		}
	}
	return st;
}

/* ---- demographics ---- */

typedef struct demo_ctx {
	const model *m;
	pw_group_by by;
	learner_out **slot; /* learner index -> its entry, NULL outside */
	arena *mem;
	bool oom;
} demo_ctx;

static pw_status demo_row(void *ctx, const scan_row *r)
{
	demo_ctx *c = ctx;
	int64_t l = model_learner(c->m, row_text(r, 0));
	/* a learner written after the model was built is not measured */
	if (l < 0 || !c->slot[l])
		return PW_OK;
	int col = c->by == PW_GROUP_GENDER           ? 1
	          : c->by == PW_GROUP_RACE_ETHNICITY ? 2
	                                             : 3;
	if (!row_null(r, col)) {
		c->slot[l]->group = arena_strdup(c->mem, row_text(r, col));
		if (!c->slot[l]->group)
			return PW_ERR_NOMEM;
	}
	return PW_OK;
}

/* The group of each of the region's learners from their demographics: a
 * few learners are looked up one by one, many by one pass over all. */
static pw_status read_groups(pw_engine *e, const model *m, pw_group_by by,
                             learner_out *ls, size_t n, learner_out **slot,
                             arena *a, pw_error *err)
{
	pw_status st;
	if (n >= m->nlearners / 16) {
		demo_ctx dc = {m, by, slot, a, false};
		st = store_scan(e->st, SCAN_DEMOGRAPHICS, demo_row, &dc, err);
		return st == PW_ERR_NOMEM ? pw_oom(err) : st;
	}
	if ((st = store_read_begin(e->st, err)))
		return st;
	for (size_t i = 0; i < n && !st; i++) {
		arena tmp = {0};
		rec_learner r;
		st = store_get_learner(e->st, &tmp, m->l_id[ls[i].l], &r, err);
		if (st == PW_ERR_NOT_FOUND)
			st = PW_OK; /* gone since the model was built */
		else if (!st && r.has_demographics) {
			const char *v = by == PW_GROUP_GENDER ? r.gender
			                : by == PW_GROUP_RACE_ETHNICITY
			                    ? r.race_ethnicity
			                    : r.age_band;
			if (v && !(ls[i].group = arena_strdup(a, v)))
				st = pw_oom(err);
		}
		arena_release(&tmp);
	}
	store_read_end(e->st);
	return st;
}

/* ---- grouping ---- */

static int cmp_group(const char *a, const char *b)
{
	if (!a || !b)
		return !a - !b; /* NULL last */
	return strcmp(a, b);
}

static int cmp_learner_out(const void *x, const void *y)
{
	const learner_out *a = x, *b = y;
	return cmp_group(a->group, b->group);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* Median of v[0..n), n > 0: the mean of the two middle values when n is
 * even. */
static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct pw_outcomes_res {
	pw_outcomes pub;
	arena mem;
};

static pw_region *region_copy(arena *a, const pw_region *r, bool *oom)
{
	pw_region *c = arena_alloc(a, sizeof *c);
	if (!c) {
		*oom = true;
		return NULL;
	}
	*c = *r;
	c->counties = arena_alloc(a, (r->ncounties + 1) * sizeof(char *));
	c->state = (char *)arena_keep(a, r->state, oom);
	if (!c->counties) {
		*oom = true;
		return NULL;
	}
	for (size_t i = 0; i < r->ncounties; i++)
		c->counties[i] = (char *)arena_keep(a, r->counties[i], oom);
	return c;
}

/* Is total safe to show: no group suppressed, or at least two whose sum
 * leaves each one's count open (see the head of this file)? */
static bool total_safe(size_t nsuppressed, size_t suppressed_learners)
{
	size_t k = nsuppressed;
	if (k == 0)
		return true;
	return k >= 2 && suppressed_learners != k &&
	       suppressed_learners != (PW_OUTCOMES_MIN_GROUP - 1) * k;
}

static pw_status outcomes_locked(pw_engine *e, const pw_outcomes_opts *o,
                                 pw_outcomes **out, pw_error *err)
{
	const model *m;
	pw_status st;
	learner_out *ls = NULL, **slot = NULL;
	double *vals = NULL;
	bool oom = false;
	struct pw_outcomes_res *res = calloc(1, sizeof *res);
	if (!res)
		return pw_oom(err);
	arena *a = &res->mem;
	if ((unsigned)o->by >= PW_ARRAY_LEN(by_names)) {
		st = pw_fail(err, PW_ERR_INVALID, "unknown group %d",
		             (int)o->by);
		goto fail;
	}
	if ((st = engine_model(e, &m, err)))
		goto fail;

	size_t n = 0;
	ls = malloc(((size_t)m->nlearners + 1) * sizeof *ls);
	if (!ls)
		goto oom;
	for (uint32_t l = 0; l < m->nlearners; l++)
		if (region_has(o->region, &m->l_home[l]))
			ls[n++] = (learner_out){.l = l};
	pw_outcomes *x = &res->pub;
	x->as_of = o->as_of;
	x->by = o->by;
	x->region = o->region ? region_copy(a, o->region, &oom) : NULL;
	if (oom)
		goto oom;
	if (o->by != PW_GROUP_COUNTY && n > 0 && n < PW_OUTCOMES_MIN_GROUP) {
		/* Every group would be suppressed, but its name would still
		 * tell: a board can draw a region around one learner's home
		 * (a circle of radius 0) and read their race or age band
		 * from the one row. So a region this small lists no group
		 * at all, and demographics are not even read. Counties
		 * are no one's secret: grouping by county keeps SPEC §10's
		 * named rows. */
		x->groups_withheld = true;
		x->has_total = true;
		x->total = n;
		*out = x;
		res = NULL;
		st = PW_OK;
		goto fail;
	}
	if (o->by == PW_GROUP_COUNTY) {
		for (size_t i = 0; i < n; i++)
			ls[i].group = m->l_home[ls[i].l].county;
	} else {
		slot = calloc((size_t)m->nlearners + 1, sizeof *slot);
		if (!slot)
			goto oom;
		for (size_t i = 0; i < n; i++)
			slot[ls[i].l] = &ls[i];
		if ((st = read_groups(e, m, o->by, ls, n, slot, a, err)))
			goto fail;
	}
	if ((st = measure_all(e, m, o->as_of, ls, n, err)))
		goto fail;

	qsort(ls, n, sizeof *ls, cmp_learner_out);
	size_t ngroups = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || cmp_group(ls[i - 1].group, ls[i].group))
			ngroups++;
	x->groups = arena_alloc(a, (ngroups + 1) * sizeof *x->groups);
	vals = malloc((n + 1) * sizeof *vals);
	if (!x->groups || !vals || oom)
		goto oom;
	size_t nsup = 0, sup_learners = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !cmp_group(ls[i].group, ls[j].group);
		     j++)
			;
		pw_outcome_group *g = &x->groups[x->count++];
		g->group = arena_keep(a, ls[i].group, &oom);
		size_t size = j - i;
		if (size < PW_OUTCOMES_MIN_GROUP) {
			/* no figure of it leaves the engine */
			g->suppressed = true;
			nsup++;
			sup_learners += size;
			continue;
		}
		g->learners = size;
		size_t nv = 0;
		for (size_t k = i; k < j; k++) {
			g->qualified += ls[k].qualified;
			if (ls[k].has_best)
				vals[nv++] = ls[k].best10;
		}
		g->qualified_share = (double)g->qualified / (double)size;
		if ((g->has_median_best_score = nv > 0))
			g->median_best_score = median(vals, nv) / 10;
		nv = 0;
		for (size_t k = i; k < j; k++)
			if (!ls[k].qualified && ls[k].has_hours)
				vals[nv++] = ls[k].hours;
		if ((g->has_median_hours = nv > 0))
			g->median_hours_to_qualify = median(vals, nv);
	}
	if (oom)
		goto oom;
	if ((x->has_total = total_safe(nsup, sup_learners)))
		x->total = n;
	*out = x;
	res = NULL;
	st = PW_OK;
	goto fail;
oom:
	st = pw_oom(err);
fail:
	free(vals);
	free(slot);
	free(ls);
	if (res)
		pw_outcomes_free(&res->pub);
	return st;
}

/* The model is read under the shared lock, released on every path. */
pw_status pw_outcomes_compute(pw_engine *e, const pw_outcomes_opts *o,
                              pw_outcomes **out, pw_error *err)
{
	pw_status st = outcomes_locked(e, o, out, err);
	engine_done(e);
	return st;
}

void pw_outcomes_free(pw_outcomes *x)
{
	if (!x)
		return;
	struct pw_outcomes_res *r = (struct pw_outcomes_res *)x;
	arena_release(&r->mem);
	free(r);
}

char *pw_outcomes_json(const pw_outcomes *x, unsigned flags)
{
	jsonw w;
	jw_init(&w, flags);
	jw_obj(&w);
	jw_key(&w, "region");
	region_json(&w, x->region);
	jw_key(&w, "as_of");
	jw_date(&w, x->as_of);
	jw_key(&w, "by");
	jw_str(&w, pw_group_by_name(x->by));
	jw_key(&w, "groups");
	jw_arr(&w);
	for (size_t i = 0; i < x->count; i++) {
		const pw_outcome_group *g = &x->groups[i];
		jw_obj(&w);
		jw_key(&w, "group");
		jw_str(&w, g->group);
		if (g->suppressed) {
			jw_key(&w, "suppressed");
			jw_bool(&w, true);
			jw_obj_end(&w);
			continue;
		}
		jw_key(&w, "learners");
		jw_int(&w, (long long)g->learners);
		jw_key(&w, "qualified");
		jw_int(&w, (long long)g->qualified);
		jw_key(&w, "qualified_share");
		jw_real(&w, g->qualified_share);
		jw_key(&w, "median_best_score");
		if (g->has_median_best_score)
			jw_real(&w, g->median_best_score);
		else
			jw_null(&w);
		jw_key(&w, "median_hours_to_qualify");
		if (g->has_median_hours)
			jw_real(&w, g->median_hours_to_qualify);
		else
			jw_null(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	if (x->has_total) {
		jw_key(&w, "total");
		jw_int(&w, (long long)x->total);
	}
	jw_obj_end(&w);
	return jw_finish(&w);
}
