/* plan.c - SPEC §5: the provably cheapest set of earnable credentials that
 * qualifies a learner for a target, in a learner-friendly order, and the
 * next credential that unlocks the most openings.
 *
 * The planner reduces the question to covering "gaps": every required
 * requirement not met and every required credential not held. Because a
 * learner's level in a skill is a maximum over single sources, a gap is
 * closed by one credential (or one completed stack); earning it brings its
 * prerequisites (and a stack its components) along, a fixed set since
 * prerequisites have no alternatives. So each gap has a list of options,
 * each a set of credentials, and the plan is the cheapest union of one
 * option per gap. Branch and bound finds it exactly: seeded by a greedy
 * cover, branching on the gap with the fewest options, pruned by a
 * lexicographic lower bound on (objective, other measure, count). The
 * full tie-break chain is applied to every complete plan. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t word;
#define WBITS 64

/* ---- sets of local credentials ---- */

typedef struct option {
	word *bits;
	uint32_t *ids; /* local ids, ascending */
	uint32_t n;
} option;

typedef struct gap {
	/* a requirement (req >= 0) or a credential entry (entry >= 0) */
	int64_t req, entry;
	option *opts;
	uint32_t nopts;
} gap;

typedef struct planner {
	const model *m;
	struct plan_mem *pm;
	scorer *sc;
	int64_t l;
	uint32_t t;
	pw_date as_of;
	pw_objective by;
	uint8_t *held0; /* held at as_of, stacks included */
	uint32_t *held0_list, nheld0;

	/* need_set memo per global credential: 0 unknown, 1 visiting,
	 * 2 possible, 3 impossible */
	uint8_t *state;
	int32_t *local; /* global -> local id, -1 when not in the universe */
	uint32_t nloc, nwords;
	uint32_t *glob;     /* local -> global */
	int64_t *obj, *oth; /* per local credential, in hundredths */
	word **need; /* per local credential: itself and what it brings */

	gap *gaps;
	uint32_t ngaps;
	uint32_t *blocked_req, *blocked_entry;
	uint32_t nblocked_req, nblocked_entry;

	/* search */
	unsigned long steps;
	bool aborted;
	bool have_best;
	word *best;
	int64_t best_obj, best_oth;
	uint32_t best_n;
	int best_score;
	word *stack_bits;    /* per-depth working sets, ngaps + 1 of them */
	uint32_t *open_gaps; /* per-depth lists of open gaps */
	uint32_t *m_stamp, *m_count, *m_last; /* the dual bound's m(x) */
	uint32_t epoch;
	uint32_t
	    *atom_seen;  /* per global credential: last gap it was an atom of */
	uint32_t *extra; /* global ids handed to the scorer */
	bool oom;
} planner;

static bool bit(const word *b, uint32_t i)
{
	return (b[i / WBITS] >> (i % WBITS)) & 1;
}

static void set_bit(word *b, uint32_t i)
{
	b[i / WBITS] |= (word)1 << (i % WBITS);
}

static uint32_t count_bits(const word *b, uint32_t nwords)
{
	uint32_t n = 0;
	for (uint32_t w = 0; w < nwords; w++)
		n += (uint32_t)__builtin_popcountll(b[w]);
	return n;
}

/* ---- working memory kept per handle ----
 *
 * A plan touches few of the model's credentials, so the arrays indexed by
 * credential live with the handle (in engine.c's query_mem) and are put
 * back after each plan from the list of what it set, rather than being
 * allocated and cleared per plan: a plan then costs what its search
 * costs. */
struct plan_mem {
	scorer sc;
	uint32_t ncreds, nskills;           /* what the arrays are sized for */
	uint8_t *held0, *state, *in, *done; /* 0 between plans */
	int32_t *local;                     /* -1 between plans */
	uint32_t *atom_seen;
	uint32_t atom_gen; /* no atom_seen entry is above it */
	/* credentials set in the arrays above: each of the four sets one
	 * at most once per plan, so 4 ncreds entries suffice */
	uint32_t *dirty;
	size_t ndirty;
	uint32_t *held0_list, *univ;
};

void plan_mem_free(struct plan_mem *pm)
{
	if (!pm)
		return;
	scorer_release(&pm->sc);
	free(pm->held0);
	free(pm->state);
	free(pm->in);
	free(pm->done);
	free(pm->local);
	free(pm->atom_seen);
	free(pm->dirty);
	free(pm->held0_list);
	free(pm->univ);
	free(pm);
}

/* The handle's plan memory, sized for m. */
static pw_status plan_mem_get(pw_engine *e, const model *m,
                              struct plan_mem **out, pw_error *err)
{
	query_mem *x = engine_query_mem(e);
	if (!x)
		return pw_oom(err);
	struct plan_mem *pm = x->pm;
	if (pm && (pm->ncreds != m->ncreds || pm->nskills != m->nskills)) {
		plan_mem_free(pm);
		x->pm = pm = NULL;
	}
	if (!pm) {
		size_t nc = (size_t)m->ncreds + 1;
		if (!(pm = calloc(1, sizeof *pm)))
			return pw_oom(err);
		pm->held0 = calloc(nc, 1);
		pm->state = calloc(nc, 1);
		pm->in = calloc(nc, 1);
		pm->done = calloc(nc, 1);
		pm->local = malloc(nc * sizeof *pm->local);
		pm->atom_seen = calloc(nc, sizeof *pm->atom_seen);
		pm->dirty = malloc(4 * nc * sizeof *pm->dirty);
		pm->held0_list = malloc(nc * sizeof *pm->held0_list);
		pm->univ = malloc(nc * sizeof *pm->univ);
		pw_status st = PW_OK;
		if (!pm->held0 || !pm->state || !pm->in || !pm->done ||
		    !pm->local || !pm->atom_seen || !pm->dirty ||
		    !pm->held0_list || !pm->univ ||
		    (st = scorer_init(&pm->sc, m, err))) {
			plan_mem_free(pm);
			return st ? st : pw_oom(err);
		}
		for (size_t c = 0; c < nc; c++)
			pm->local[c] = -1;
		pm->ncreds = m->ncreds;
		pm->nskills = m->nskills;
		x->pm = pm;
	}
	pm->sc.m = m;
	*out = pm;
	return PW_OK;
}

/* Notes that c was set in one of the plan memory's arrays. */
static void touch(struct plan_mem *pm, uint32_t c)
{
	pm->dirty[pm->ndirty++] = c;
}

/* Puts the plan memory back as the next plan expects it. */
static void plan_mem_reset(struct plan_mem *pm)
{
	for (size_t i = 0; i < pm->ndirty; i++) {
		uint32_t c = pm->dirty[i];
		pm->held0[c] = pm->state[c] = pm->in[c] = pm->done[c] = 0;
		pm->local[c] = -1;
	}
	pm->ndirty = 0;
}

/* Hours and costs are summed and compared in millionths: exact for any
 * figure of up to six decimals, so equal totals tie exactly and sums print
 * cleanly (0.1 + 0.2 is 0.3). The loader caps both, so no sum overflows. */
#define UNITS 1000000

static int64_t units(double x)
{
	return (int64_t)llround(x * UNITS);
}

/* ---- what can be earned ---- */

static bool stacked(const model *m, uint32_t c)
{
	return m->comp_off[c + 1] > m->comp_off[c];
}

/* Not held, not a stack, listed, with known hours and cost, taught online
 * or within range (SPEC §5). Prerequisites are checked by need_set. */
static bool earnable_alone(const planner *p, uint32_t c)
{
	const model *m = p->m;
	if (p->held0[c] || stacked(m, c) || !m->cred_listed[c] ||
	    isnan(m->cred_hours[c]) || isnan(m->cred_cost[c]))
		return false;
	if (m->cred_remote_ok[c])
		return true;
	bool has_distance;
	double d;
	return geo_in_range(&m->l_home[p->l], m->l_max_commute[p->l],
	                    &m->cred_loc[c], false, &has_distance, &d);
}

/* First pass: can credential c be held through earning (with everything it
 * brings)? Marks the universe of credentials involved. */
static bool reachable_cred(planner *p, uint32_t c)
{
	const model *m = p->m;
	if (p->held0[c])
		return true;
	if (p->state[c] == 2)
		return true;
	if (p->state[c] == 3 || p->state[c] == 1)
		return false; /* 1: a cycle, which load forbids */
	p->state[c] = 1;
	touch(p->pm, c);
	bool ok = true;
	if (stacked(m, c)) {
		for (uint32_t k = m->comp_off[c]; ok && k < m->comp_off[c + 1];
		     k++)
			ok = reachable_cred(p, m->comp[k]);
	} else {
		ok = earnable_alone(p, c);
		for (uint32_t k = m->prereq_off[c];
		     ok && k < m->prereq_off[c + 1]; k++)
			ok = reachable_cred(p, m->prereq[k]);
	}
	p->state[c] = ok ? 2 : 3;
	return ok;
}

/* Collects the earnable credentials that holding c takes, into out. */
static void collect_need(planner *p, uint32_t c, word *out)
{
	const model *m = p->m;
	if (p->held0[c])
		return;
	if (stacked(m, c)) {
		for (uint32_t k = m->comp_off[c]; k < m->comp_off[c + 1]; k++)
			collect_need(p, m->comp[k], out);
		return;
	}
	int32_t lc = p->local[c];
	if (lc < 0 || bit(out, (uint32_t)lc))
		return;
	set_bit(out, (uint32_t)lc);
	for (uint32_t k = m->prereq_off[c]; k < m->prereq_off[c + 1]; k++)
		collect_need(p, m->prereq[k], out);
}

/* Marks the earnable credentials c brings, for the universe. */
static void mark_universe(planner *p, uint32_t c, uint8_t *in)
{
	const model *m = p->m;
	if (p->held0[c])
		return;
	if (stacked(m, c)) {
		for (uint32_t k = m->comp_off[c]; k < m->comp_off[c + 1]; k++)
			mark_universe(p, m->comp[k], in);
		return;
	}
	if (in[c])
		return;
	in[c] = 1;
	touch(p->pm, c);
	p->glob[p->nloc++] = c; /* sorted once marking is done */
	for (uint32_t k = m->prereq_off[c]; k < m->prereq_off[c + 1]; k++)
		mark_universe(p, m->prereq[k], in);
}

/* ---- gaps and their options ---- */

/* The level credential c grants in skill u (0 when none). */
static int cred_level(const model *m, uint32_t c, uint32_t u)
{
	for (uint32_t k = m->cskill_off[c]; k < m->cskill_off[c + 1]; k++)
		if (m->cskill_skill[k] == u)
			return m->cskill_level[k];
	return 0;
}

/* Factor with which holding u shows s, from s's spread entry for u. */
static double reverse_factor(uint8_t via, double f)
{
	switch ((pw_via)via) {
	case PW_VIA_DIRECT: return 1;
	case PW_VIA_NARROWER: return 0.5; /* s narrower than u: u is broader */
	case PW_VIA_BROADER: return 1;    /* u narrower than s */
	case PW_VIA_RELATED: return f;
	case PW_VIA_NONE: break;
	}
	return 0;
}

/* Calls fn for every credential that, held, closes requirement r. */
static void each_closer(planner *p, uint32_t r,
                        void (*fn)(planner *, uint32_t, void *), void *ctx)
{
	const model *m = p->m;
	for (uint32_t a = m->alt_off[r]; a < ALT_END(m, r); a++) {
		uint32_t s = m->alt_skill[a];
		double need12 = 12.0 / m->alt_level[a];
		for (uint32_t j = m->spread_off[s]; j < m->spread_off[s + 1];
		     j++) {
			uint32_t u = m->spread_to[j];
			double f = reverse_factor(m->spread_via[j],
			                          m->spread_factor[j]);
			for (uint32_t k = m->sk_cred_off[u];
			     k < m->sk_cred_off[u + 1]; k++) {
				uint32_t c = m->sk_cred[k];
				/* the same arithmetic as the scorer's coverage
				 */
				if (f * cred_level(m, c, u) * need12 >= 12)
					fn(p, c, ctx);
			}
		}
	}
}

static void each_entry_cred(planner *p, uint32_t entry,
                            void (*fn)(planner *, uint32_t, void *), void *ctx)
{
	const model *m = p->m;
	for (uint32_t k = m->creq_alt_off[entry]; k < CALT_END(m, entry); k++)
		fn(p, m->creq_cred[k], ctx);
}

static void mark_if_reachable(planner *p, uint32_t c, void *ctx)
{
	if (reachable_cred(p, c))
		mark_universe(p, c, ctx);
}

typedef struct opt_ctx {
	ptrvec *opts;      /* word * bitsets */
	uint32_t gap_mark; /* atom_seen stamp of the gap being built */
} opt_ctx;

static void add_option(planner *p, uint32_t c, void *ctx)
{
	opt_ctx *o = ctx;
	if (p->atom_seen[c] == o->gap_mark || !reachable_cred(p, c))
		return;
	p->atom_seen[c] = o->gap_mark;
	word *bits = calloc(p->nwords ? p->nwords : 1, sizeof(word));
	if (!bits || !ptrvec_push(o->opts, bits)) {
		free(bits);
		p->oom = true;
		return;
	}
	collect_need(p, c, bits);
}

/* Turns the collected bitsets of one gap into options: duplicates and
 * supersets of another option are dropped (a superset never does better).
 * Options are small, so a subset test walks the smaller one's ids against
 * the larger one's bits. */
static bool make_options(planner *p, ptrvec *raw, gap *g)
{
	uint32_t n = (uint32_t)raw->len;
	option *all = calloc(n + 1, sizeof *all);
	g->opts = calloc(n + 1, sizeof *g->opts);
	/* on failure g is not counted in p->ngaps, so planner_release never
	 * sees g->opts: free it here */
	if (!all || !g->opts) {
		free(all);
		free(g->opts);
		g->opts = NULL;
		return false;
	}
	for (uint32_t i = 0; i < n; i++) {
		option *o = &all[i];
		o->bits = raw->items[i];
		o->n = count_bits(o->bits, p->nwords);
		o->ids = malloc((o->n + 1) * sizeof *o->ids);
		if (!o->ids) {
			for (uint32_t j = 0; j <= i; j++)
				free(all[j].ids);
			for (uint32_t j = 0; j < n; j++)
				free(all[j].bits);
			free(all);
			free(g->opts);
			g->opts = NULL;
			raw->len = 0;
			return false;
		}
		uint32_t k = 0;
		for (uint32_t w = 0; w < p->nwords; w++)
			for (word v = o->bits[w]; v; v &= v - 1)
				o->ids[k++] =
				    w * WBITS + (uint32_t)__builtin_ctzll(v);
	}
	/* one-credential options first: a duplicate is the only thing that can
	 * sit inside one */
	p->epoch++;
	for (uint32_t i = 0; i < n; i++)
		if (all[i].n == 1) {
			uint32_t x = all[i].ids[0];
			if (p->m_stamp[x] == p->epoch)
				all[i].n = UINT32_MAX; /* mark: duplicate */
			p->m_stamp[x] = p->epoch;
		}
	for (uint32_t i = 0; i < n; i++) {
		option *a = &all[i];
		bool drop = a->n == UINT32_MAX;
		if (a->n == UINT32_MAX)
			a->n = 1;
		/* a larger option holding a one-credential option is a superset
		 */
		for (uint32_t k = 0; !drop && a->n > 1 && k < a->n; k++)
			drop = p->m_stamp[a->ids[k]] == p->epoch;
		for (uint32_t j = 0; j < n && !drop && a->n > 1; j++) {
			const option *b = &all[j];
			if (j == i || b->n > a->n || b->n < 2 || !b->bits)
				continue;
			bool sub = true;
			for (uint32_t k = 0; sub && k < b->n; k++)
				sub = bit(a->bits, b->ids[k]);
			/* b inside a: drop a if b is smaller, or equal and
			 * earlier */
			if (sub && (b->n < a->n || j < i))
				drop = true;
		}
		if (drop) {
			free(a->bits);
			free(a->ids);
			a->bits = NULL;
			continue;
		}
		g->opts[g->nopts++] = *a;
	}
	free(all);
	raw->len = 0;
	return true;
}

/* Drops each one-credential option {x} that another option beats outright:
 * it closes every gap x closes, costs no more on both measures and less on
 * one. Swapping x for it in any plan gives a strictly better plan, so {x}
 * never takes part in the best one. Only credentials that appear in no
 * larger option are considered (a larger option may need x as a
 * prerequisite), and only when the gaps fit a 64-bit mask. */
static void drop_dominated(planner *p)
{
	if (p->ngaps > 64 || !p->nloc)
		return;
	uint64_t *closes =
	    calloc(p->nloc, sizeof *closes); /* singleton -> gaps */
	uint8_t *in_multi = calloc(p->nloc, 1);
	uint8_t *single = calloc(p->nloc, 1);
	uint8_t *dead = calloc(p->nloc, 1);
	if (!closes || !in_multi || !single || !dead)
		goto out;
	for (uint32_t i = 0; i < p->ngaps; i++)
		for (uint32_t o = 0; o < p->gaps[i].nopts; o++) {
			const option *op = &p->gaps[i].opts[o];
			if (op->n == 1) {
				single[op->ids[0]] = 1;
				closes[op->ids[0]] |= (uint64_t)1 << i;
			} else
				for (uint32_t j = 0; j < op->n; j++)
					in_multi[op->ids[j]] = 1;
		}
	for (uint32_t x = 0; x < p->nloc; x++) {
		if (!single[x] || in_multi[x])
			continue;
		for (uint32_t y = 0; y < p->nloc && !dead[x]; y++) {
			if (y == x || !single[y] || dead[y])
				continue;
			if ((closes[x] & ~closes[y]) || p->obj[y] > p->obj[x] ||
			    p->oth[y] > p->oth[x])
				continue;
			if (p->obj[y] < p->obj[x] || p->oth[y] < p->oth[x])
				dead[x] = 1;
		}
		/* larger options: the gaps they close include their own gap and
		 * those of the singletons inside them */
		for (uint32_t i = 0; i < p->ngaps && !dead[x]; i++)
			for (uint32_t o = 0; o < p->gaps[i].nopts && !dead[x];
			     o++) {
				const option *op = &p->gaps[i].opts[o];
				if (op->n < 2)
					continue;
				uint64_t g = (uint64_t)1 << i;
				int64_t co = 0, ct = 0;
				for (uint32_t j = 0; j < op->n; j++) {
					g |= closes[op->ids[j]];
					co += p->obj[op->ids[j]];
					ct += p->oth[op->ids[j]];
				}
				if ((closes[x] & ~g) || co > p->obj[x] ||
				    ct > p->oth[x])
					continue;
				if (co < p->obj[x] || ct < p->oth[x])
					dead[x] = 1;
			}
	}
	for (uint32_t i = 0; i < p->ngaps; i++) {
		gap *g = &p->gaps[i];
		uint32_t k = 0;
		for (uint32_t o = 0; o < g->nopts; o++) {
			option op = g->opts[o];
			if (op.n == 1 && dead[op.ids[0]]) {
				free(op.bits);
				free(op.ids);
				continue;
			}
			g->opts[k++] = op;
		}
		g->nopts = k;
	}
out:
	free(closes);
	free(in_multi);
	free(single);
	free(dead);
}

/* ---- search ---- */

/* Options hold a handful of credentials, so walking their ids beats a
 * full-width subset test over the universe. */
static bool option_in(const option *o, const word *s)
{
	for (uint32_t k = 0; k < o->n; k++)
		if (!bit(s, o->ids[k]))
			return false;
	return true;
}

static bool covered(const planner *p, const gap *g, const word *s)
{
	(void)p;
	for (uint32_t i = 0; i < g->nopts; i++)
		if (option_in(&g->opts[i], s))
			return true;
	return false;
}

static void marginal(const planner *p, const option *o, const word *s,
                     int64_t *obj, int64_t *oth, uint32_t *n)
{
	*obj = *oth = 0;
	*n = 0;
	for (uint32_t k = 0; k < o->n; k++) {
		uint32_t x = o->ids[k];
		if (!bit(s, x)) {
			*obj += p->obj[x];
			*oth += p->oth[x];
			(*n)++;
		}
	}
}

/* -1 when (a..) is better than (b..) on the lexicographic key, 1 when
 * worse, 0 when equal on the first three measures. */
static int cmp3(int64_t ao, int64_t at, uint32_t an, int64_t bo, int64_t bt,
                uint32_t bn)
{
	if (ao != bo)
		return ao < bo ? -1 : 1;
	if (at != bt)
		return at < bt ? -1 : 1;
	if (an != bn)
		return an < bn ? -1 : 1;
	return 0;
}

static int score_of(planner *p, const word *s)
{
	uint32_t n = 0;
	for (uint32_t x = 0; x < p->nloc; x++)
		if (bit(s, x))
			p->extra[n++] = p->glob[x];
	scorer_set(p->sc, p->l, p->as_of, p->extra, n);
	return scorer_eval(p->sc, p->t, NULL).score10;
}

static void consider(planner *p, const word *s, int64_t obj, int64_t oth)
{
	uint32_t n = count_bits(s, p->nwords);
	if (p->have_best) {
		int c = cmp3(obj, oth, n, p->best_obj, p->best_oth, p->best_n);
		if (c > 0)
			return;
		if (c == 0) {
			int score = score_of(p, s);
			if (score < p->best_score)
				return;
			if (score == p->best_score) {
				/* the lexicographically smallest sorted list of
				 * ids: local ids follow id order, counts are
				 * equal */
				int order = 0;
				for (uint32_t x = 0; x < p->nloc && !order;
				     x++) {
					bool a = bit(s, x), b = bit(p->best, x);
					if (a != b)
						order = a ? -1 : 1;
				}
				if (order >= 0)
					return;
			}
			p->best_score = score;
			goto take;
		}
	}
	p->best_score = score_of(p, s);
take:
	memcpy(p->best, s, p->nwords * sizeof(word));
	p->best_obj = obj;
	p->best_oth = oth;
	p->best_n = n;
	p->have_best = true;
}

typedef struct branch {
	uint32_t opt;
	int64_t obj, oth;
	uint32_t n;
} branch;

static int cmp_branch(const void *x, const void *y)
{
	const branch *a = x, *b = y;
	int c = cmp3(a->obj, a->oth, a->n, b->obj, b->oth, b->n);
	return c ? c : (a->opt < b->opt ? -1 : a->opt > b->opt);
}

/* Lower bounds on what covering the open gaps still costs. Two are valid
 * and the larger is used: the most expensive single gap, and the set-cover
 * dual bound, where each credential's cost is shared among the m(x) open
 * gaps it can help: any cover pays at least, for every gap, the cheapest
 * option's shared cost (a credential serves at most m(x) gaps, so sharing
 * never counts it more than once, shared prerequisites included). */
static void search(planner *p, uint32_t depth, int64_t obj, int64_t oth)
{
	if (p->aborted || p->oom)
		return;
	if (++p->steps > PW_PLAN_MAX_STEPS) {
		p->aborted = true;
		return;
	}
	const word *s = p->stack_bits + (size_t)depth * p->nwords;
	uint32_t n = count_bits(s, p->nwords);
	int64_t pick = -1;
	uint32_t pick_opts = UINT32_MAX;
	uint32_t nopen = 0;
	uint32_t *openv = p->open_gaps + (size_t)depth * p->ngaps;
	for (uint32_t i = 0; i < p->ngaps; i++) {
		const gap *g = &p->gaps[i];
		if (covered(p, g, s))
			continue;
		openv[nopen++] = i;
		if (g->nopts < pick_opts) {
			pick_opts = g->nopts;
			pick = i;
		}
	}
	if (pick >= 0) {
		/* m(x): open gaps with x in one of their options */
		p->epoch++;
		for (uint32_t k = 0; k < nopen; k++) {
			const gap *g = &p->gaps[openv[k]];
			uint32_t mark = openv[k] + 1;
			for (uint32_t o = 0; o < g->nopts; o++)
				for (uint32_t j = 0; j < g->opts[o].n; j++) {
					uint32_t x = g->opts[o].ids[j];
					if (p->m_stamp[x] != p->epoch) {
						p->m_stamp[x] = p->epoch;
						p->m_count[x] = 0;
						p->m_last[x] = 0;
					}
					if (p->m_last[x] != mark) {
						p->m_last[x] = mark;
						p->m_count[x]++;
					}
				}
		}
		double share_obj = 0, share_oth = 0, share_n = 0;
		int64_t max_obj = 0, max_oth = 0;
		for (uint32_t k = 0; k < nopen; k++) {
			const gap *g = &p->gaps[openv[k]];
			double so = INFINITY, st = INFINITY, sn = INFINITY;
			int64_t mo = INT64_MAX, mt = INT64_MAX;
			for (uint32_t o = 0; o < g->nopts; o++) {
				const option *op = &g->opts[o];
				double a = 0, b = 0, c = 0;
				int64_t ao = 0, at = 0;
				for (uint32_t j = 0; j < op->n; j++) {
					uint32_t x = op->ids[j];
					if (bit(s, x))
						continue;
					double share = 1.0 / p->m_count[x];
					a += (double)p->obj[x] * share;
					b += (double)p->oth[x] * share;
					c += share;
					ao += p->obj[x];
					at += p->oth[x];
				}
				if (a < so)
					so = a;
				if (b < st)
					st = b;
				if (c < sn)
					sn = c;
				if (ao < mo)
					mo = ao;
				if (at < mt)
					mt = at;
			}
			share_obj += so;
			share_oth += st;
			share_n += sn;
			if (mo > max_obj)
				max_obj = mo;
			if (mt > max_oth)
				max_oth = mt;
		}
		/* costs are whole hundredths: round the fractional bound up,
		 * minus a hair for the float sums */
		int64_t lb_obj = (int64_t)ceil(share_obj - 1e-6);
		int64_t lb_oth = (int64_t)ceil(share_oth - 1e-6);
		uint32_t lb_n = (uint32_t)ceil(share_n - 1e-6);
		if (max_obj > lb_obj)
			lb_obj = max_obj;
		if (max_oth > lb_oth)
			lb_oth = max_oth;
		if (lb_n < 1)
			lb_n = 1;
		if (p->have_best &&
		    cmp3(obj + lb_obj, oth + lb_oth, n + lb_n, p->best_obj,
		         p->best_oth, p->best_n) > 0)
			return;
	}
	if (pick < 0) {
		consider(p, s, obj, oth);
		return;
	}

	const gap *g = &p->gaps[pick];
	branch *br = malloc(g->nopts * sizeof *br);
	if (!br) {
		p->oom = true;
		return;
	}
	for (uint32_t k = 0; k < g->nopts; k++) {
		br[k].opt = k;
		marginal(p, &g->opts[k], s, &br[k].obj, &br[k].oth, &br[k].n);
	}
	qsort(br, g->nopts, sizeof *br, cmp_branch);
	word *next = p->stack_bits + (size_t)(depth + 1) * p->nwords;
	for (uint32_t k = 0; k < g->nopts && !p->aborted; k++) {
		const option *o = &g->opts[br[k].opt];
		if (p->have_best &&
		    cmp3(obj + br[k].obj, oth + br[k].oth, n + br[k].n,
		         p->best_obj, p->best_oth, p->best_n) > 0)
			continue;
		for (uint32_t w = 0; w < p->nwords; w++)
			next[w] = s[w] | o->bits[w];
		search(p, depth + 1, obj + br[k].obj, oth + br[k].oth);
	}
	free(br);
}

/* Greedy cover: repeatedly the option with the least marginal objective per
 * gap it closes. Gives the search a first bound. */
static void greedy(planner *p)
{
	word *s = calloc(p->nwords ? p->nwords : 1, sizeof(word));
	word *trial = calloc(p->nwords ? p->nwords : 1, sizeof(word));
	if (!s || !trial) {
		free(s);
		free(trial);
		p->oom = true;
		return;
	}
	int64_t obj = 0, oth = 0;
	for (;;) {
		double best_ratio = INFINITY;
		const option *pick = NULL;
		int64_t pick_obj = 0, pick_oth = 0;
		bool open = false;
		for (uint32_t i = 0; i < p->ngaps; i++) {
			const gap *g = &p->gaps[i];
			if (covered(p, g, s))
				continue;
			open = true;
			for (uint32_t k = 0; k < g->nopts; k++) {
				const option *o = &g->opts[k];
				for (uint32_t w = 0; w < p->nwords; w++)
					trial[w] = s[w] | o->bits[w];
				uint32_t closes = 0;
				for (uint32_t j = 0; j < p->ngaps; j++)
					if (!covered(p, &p->gaps[j], s) &&
					    covered(p, &p->gaps[j], trial))
						closes++;
				int64_t mo, mt;
				uint32_t mn;
				marginal(p, o, s, &mo, &mt, &mn);
				double ratio =
				    ((double)mo + 1e-3 * (double)mt) / closes;
				if (ratio < best_ratio) {
					best_ratio = ratio;
					pick = o;
					pick_obj = mo;
					pick_oth = mt;
				}
			}
		}
		if (!open)
			break;
		if (!pick)
			break;
		for (uint32_t w = 0; w < p->nwords; w++)
			s[w] |= pick->bits[w];
		obj += pick_obj;
		oth += pick_oth;
	}
	consider(p, s, obj, oth);
	free(s);
	free(trial);
}

/* ---- the planner's life cycle ---- */

static void planner_release(planner *p)
{
	for (uint32_t i = 0; i < p->ngaps; i++) {
		for (uint32_t k = 0; k < p->gaps[i].nopts; k++) {
			free(p->gaps[i].opts[k].bits);
			free(p->gaps[i].opts[k].ids);
		}
		free(p->gaps[i].opts);
	}
	free(p->gaps);
	free(p->blocked_req);
	free(p->blocked_entry);
	free(p->obj);
	free(p->oth);
	free(p->best);
	free(p->stack_bits);
	free(p->open_gaps);
	free(p->m_stamp);
	free(p->m_count);
	free(p->m_last);
	free(p->extra);
	if (p->pm)
		plan_mem_reset(p->pm);
}

/* Finds the gaps, the universe and the options; blocked gaps are set
 * aside. */
static pw_status planner_prepare(planner *p, pw_error *err)
{
	const model *m = p->m;
	uint32_t t = p->t;
	req_eval *ev = NULL;
	pw_status st;
	struct plan_mem *pm = p->pm;
	uint8_t *in = pm->in;
	ptrvec raw = {0};
	uint32_t nreq = REQ_END(m, t) - m->req_off[t];
	uint32_t nent = CREQ_END(m, t) - m->creq_off[t];

	scorer_set(p->sc, p->l, p->as_of, NULL, 0);
	p->held0 = pm->held0;
	p->held0_list = pm->held0_list;
	p->state = pm->state;
	p->local = pm->local;
	p->glob = pm->univ;
	p->atom_seen = pm->atom_seen;
	ev = malloc(((size_t)nreq + 1) * sizeof *ev);
	p->gaps = calloc((size_t)nreq + nent + 1, sizeof *p->gaps);
	p->blocked_req = malloc(((size_t)nreq + 1) * sizeof(uint32_t));
	p->blocked_entry = malloc(((size_t)nent + 1) * sizeof(uint32_t));
	if (!ev || !p->gaps || !p->blocked_req || !p->blocked_entry)
		goto oom;
	for (uint32_t i = 0; i < p->sc->nheld; i++) {
		uint32_t c = p->sc->held_list[i];
		p->held0[c] = 1;
		touch(pm, c);
		p->held0_list[p->nheld0++] = c;
	}
	scorer_eval(p->sc, t, ev);

	/* pass 1: the universe of credentials any gap may need */
	for (uint32_t i = 0; i < nreq; i++) {
		uint32_t r = m->req_off[t] + i;
		if (m->req_required[r] && ev[i].coverage < 1)
			each_closer(p, r, mark_if_reachable, in);
	}
	for (uint32_t k = 0; k < nent; k++) {
		uint32_t entry = m->creq_off[t] + k;
		if (!scorer_cred_entry_held(p->sc, entry, NULL))
			each_entry_cred(p, entry, mark_if_reachable, in);
	}
	/* local ids follow id order */
	qsort(p->glob, p->nloc, sizeof *p->glob, cmp_u32);
	for (uint32_t x = 0; x < p->nloc; x++)
		p->local[p->glob[x]] = (int32_t)x;
	p->nwords = (p->nloc + WBITS - 1) / WBITS;
	p->obj = malloc(((size_t)p->nloc + 1) * sizeof *p->obj);
	p->oth = malloc(((size_t)p->nloc + 1) * sizeof *p->oth);
	p->extra = malloc(((size_t)p->nloc + 1) * sizeof *p->extra);
	p->best = calloc((size_t)p->nwords + 1, sizeof(word));
	if (!p->obj || !p->oth || !p->extra || !p->best)
		goto oom;
	for (uint32_t x = 0; x < p->nloc; x++) {
		uint32_t c = p->glob[x];
		int64_t h = units(m->cred_hours[c]), d = units(m->cred_cost[c]);
		p->obj[x] = p->by == PW_BY_HOURS ? h : d;
		p->oth[x] = p->by == PW_BY_HOURS ? d : h;
	}

	/* pass 2: options per gap, each with an atom_seen mark of its own
	 * (the marks it may use are taken up front, whatever happens) */
	if (pm->atom_gen > UINT32_MAX - nreq - nent - 2) {
		memset(pm->atom_seen, 0,
		       ((size_t)m->ncreds + 1) * sizeof *pm->atom_seen);
		pm->atom_gen = 0;
	}
	opt_ctx oc = {&raw, pm->atom_gen};
	pm->atom_gen += nreq + nent + 1;
	p->m_stamp = calloc((size_t)p->nloc + 1, sizeof(uint32_t));
	p->m_count = calloc((size_t)p->nloc + 1, sizeof(uint32_t));
	p->m_last = calloc((size_t)p->nloc + 1, sizeof(uint32_t));
	if (!p->m_stamp || !p->m_count || !p->m_last)
		goto oom;
	for (uint32_t i = 0; i < nreq; i++) {
		uint32_t r = m->req_off[t] + i;
		if (!m->req_required[r] || ev[i].coverage >= 1)
			continue;
		oc.gap_mark++;
		each_closer(p, r, add_option, &oc);
		if (p->oom)
			goto oom;
		gap *g = &p->gaps[p->ngaps];
		g->req = r;
		g->entry = -1;
		if (!make_options(p, &raw, g))
			goto oom;
		if (g->nopts)
			p->ngaps++;
		else {
			free(g->opts);
			g->opts = NULL;
			p->blocked_req[p->nblocked_req++] = i;
		}
	}
	for (uint32_t k = 0; k < nent; k++) {
		uint32_t entry = m->creq_off[t] + k;
		if (scorer_cred_entry_held(p->sc, entry, NULL))
			continue;
		oc.gap_mark++;
		each_entry_cred(p, entry, add_option, &oc);
		if (p->oom)
			goto oom;
		gap *g = &p->gaps[p->ngaps];
		g->req = -1;
		g->entry = entry;
		if (!make_options(p, &raw, g))
			goto oom;
		if (g->nopts)
			p->ngaps++;
		else {
			free(g->opts);
			g->opts = NULL;
			p->blocked_entry[p->nblocked_entry++] = entry;
		}
	}
	p->stack_bits = calloc(
	    ((size_t)p->ngaps + 2) * (p->nwords ? p->nwords : 1), sizeof(word));
	p->open_gaps =
	    malloc(((size_t)p->ngaps + 2) * (p->ngaps + 1) * sizeof(uint32_t));
	if (!p->stack_bits || !p->open_gaps)
		goto oom;
	drop_dominated(p);
	st = PW_OK;
	goto out;
oom:
	st = pw_oom(err);
out:
	for (size_t i = 0; i < raw.len; i++)
		free(raw.items[i]);
	ptrvec_release(&raw);
	free(ev);
	return st;
}

/* ---- the plan document ---- */

struct pw_plan_res {
	pw_plan pub;
	arena mem;
};

static int cmp_blocker(const void *x, const void *y)
{
	const pw_plan_blocker *a = x, *b = y;
	const char *ka = a->skill ? a->skill : a->credential;
	const char *kb = b->skill ? b->skill : b->credential;
	int c = strcmp(ka, kb);
	if (c)
		return c;
	/* a skill and a credential may share an id: skills first */
	return (a->skill == NULL) - (b->skill == NULL);
}

/* Orders the chosen credentials: prerequisites first; among those ready,
 * the largest score gain, then fewer hours, then id. */
static bool order_steps(planner *p, const word *chosen, uint32_t *order,
                        uint32_t n, int *score_after, bool *qual_after)
{
	const model *m = p->m;
	uint8_t *done = p->pm->done;
	uint32_t *list = malloc(((size_t)n + 1) * sizeof *list);
	if (!list)
		return false;
	uint32_t k = 0;
	for (uint32_t x = 0; x < p->nloc; x++)
		if (bit(chosen, x))
			list[k++] = p->glob[x];
	/* held now counts as done; a stack is done once its parts are */
	for (uint32_t i = 0; i < p->nheld0; i++) {
		done[p->held0_list[i]] = 1;
		touch(p->pm, p->held0_list[i]);
	}
	for (uint32_t step = 0; step < n; step++) {
		int64_t pick = -1;
		int pick_score = 0;
		bool pick_q = false;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t c = list[i];
			if (done[c])
				continue;
			bool ready = true;
			for (uint32_t j = m->prereq_off[c];
			     ready && j < m->prereq_off[c + 1]; j++) {
				uint32_t q = m->prereq[j];
				if (done[q])
					continue;
				/* a stacked prerequisite counts once its parts
				 * are done */
				ready = stacked(m, q);
				for (uint32_t z = m->comp_off[q];
				     ready && z < m->comp_off[q + 1]; z++)
					ready = done[m->comp[z]];
			}
			if (!ready)
				continue;
			order[step] = c;
			scorer_set(p->sc, p->l, p->as_of, order, step + 1);
			target_eval te = scorer_eval(p->sc, p->t, NULL);
			bool better;
			if (pick < 0)
				better = true;
			else if (te.score10 != pick_score)
				better = te.score10 > pick_score;
			else if (m->cred_hours[c] != m->cred_hours[pick])
				better = m->cred_hours[c] < m->cred_hours[pick];
			else
				better = c < (uint32_t)pick;
			if (better) {
				pick = c;
				pick_score = te.score10;
				pick_q = te.qualified;
			}
		}
		if (pick < 0) { /* cannot happen for a closed set; be safe */
			free(list);
			return false;
		}
		order[step] = (uint32_t)pick;
		if (!done[pick])
			touch(p->pm, (uint32_t)pick);
		done[pick] = 1;
		/* stacks completed by this step are done too */
		scorer_set(p->sc, p->l, p->as_of, order, step + 1);
		for (uint32_t i = 0; i < p->sc->nheld; i++)
			if (!done[p->sc->held_list[i]]) {
				done[p->sc->held_list[i]] = 1;
				touch(p->pm, p->sc->held_list[i]);
			}
		score_after[step] = pick_score;
		qual_after[step] = pick_q;
	}
	free(list);
	return true;
}

pw_status plan_target_locked(pw_engine *e, const char *learner,
                             const char *target, pw_date as_of, pw_objective by,
                             pw_plan **out, pw_error *err)
{
	const model *m;
	int64_t l, t;
	pw_status st;
	planner p = {0};
	struct pw_plan_res *res = NULL;
	uint32_t *order = NULL;
	int *score_after = NULL;
	bool *qual_after = NULL;
	bool oom = false;

	if ((st = engine_model(e, &m, err)) ||
	    (st = engine_find_learner(m, learner, &l, err)) ||
	    (st = engine_find_target(m, target, &t, err)))
		return st;
	p.m = m;
	p.l = l;
	p.t = (uint32_t)t;
	p.as_of = as_of;
	p.by = by;
	if ((st = plan_mem_get(e, m, &p.pm, err)))
		return st;
	p.sc = &p.pm->sc;
	if ((st = planner_prepare(&p, err)))
		goto fail;

	if (p.ngaps) {
		greedy(&p);
		if (!p.oom)
			search(&p, 0, 0, 0);
		if (p.oom) {
			st = pw_oom(err);
			goto fail;
		}
	} else {
		p.have_best = true;
		p.best_obj = p.best_oth = 0;
		p.best_n = 0;
	}

	res = calloc(1, sizeof *res);
	uint32_t n = p.best_n;
	order = malloc(((size_t)n + 1) * sizeof *order);
	score_after = malloc(((size_t)n + 1) * sizeof *score_after);
	qual_after = malloc(((size_t)n + 1) * sizeof *qual_after);
	if (!res || !order || !score_after || !qual_after ||
	    !order_steps(&p, p.best, order, n, score_after, qual_after)) {
		st = pw_oom(err);
		goto fail;
	}

	pw_plan *pl = &res->pub;
	arena *a = &res->mem;
	scorer_set(p.sc, l, as_of, NULL, 0);
	target_eval now = scorer_eval(p.sc, p.t, NULL);
	pl->learner = arena_keep(a, m->l_id[l], &oom);
	pl->target = arena_keep(a, m->t_id[t], &oom);
	pl->title = arena_keep(a, m->t_title[t], &oom);
	pl->is_occupation = m->t_occ[t];
	pl->as_of = as_of;
	pl->objective = by;
	pl->optimal = !p.aborted;
	pl->reachable = p.nblocked_req == 0 && p.nblocked_entry == 0;
	pl->score_now = now.score10 / 10.0;
	pl->qualified_now = now.qualified;
	pl->hours_per_week = m->l_hours_per_week[l];
	pl->search_steps = p.steps;
	pl->nheld = p.sc->nheld;
	pl->held = arena_alloc(a, (p.sc->nheld + 1) * sizeof(char *));
	if (!pl->held)
		oom = true;
	for (uint32_t i = 0; !oom && i < p.sc->nheld; i++)
		pl->held[i] =
		    arena_keep(a, m->cred_id[p.sc->held_list[i]], &oom);

	pl->steps = arena_alloc(a, ((size_t)n + 1) * sizeof *pl->steps);
	if (!pl->steps)
		oom = true;
	int64_t cum_h = 0, cum_c = 0;
	for (uint32_t i = 0; !oom && i < n; i++) {
		uint32_t c = order[i];
		pw_plan_step *s = &pl->steps[pl->nsteps++];
		cum_h += units(m->cred_hours[c]);
		cum_c += units(m->cred_cost[c]);
		s->credential = arena_keep(a, m->cred_id[c], &oom);
		s->name = arena_keep(a, m->cred_name[c], &oom);
		s->hours = m->cred_hours[c];
		s->cost = m->cred_cost[c];
		s->score_after = score_after[i] / 10.0;
		s->qualified_after = qual_after[i];
		s->cumulative_hours = (double)cum_h / UNITS;
		s->cumulative_cost = (double)cum_c / UNITS;
		s->weeks = (long long)ceil(
		    s->cumulative_hours / pl->hours_per_week - 1e-9);
		s->college_credits = m->cred_college_credits[c];
		pl->total_college_credits += s->college_credits;
		s->nprereqs = m->prereq_off[c + 1] - m->prereq_off[c];
		s->prereqs = arena_alloc(a, (s->nprereqs + 1) * sizeof(char *));
		if (!s->prereqs)
			oom = true;
		for (size_t k = 0; !oom && k < s->nprereqs; k++)
			s->prereqs[k] = arena_keep(
			    a, m->cred_id[m->prereq[m->prereq_off[c] + k]],
			    &oom);
	}
	pl->total_hours = (double)cum_h / UNITS;
	pl->total_cost = (double)cum_c / UNITS;

	size_t nb = p.nblocked_req + p.nblocked_entry;
	pl->blocking = arena_alloc(a, (nb + 1) * sizeof *pl->blocking);
	if (!pl->blocking)
		oom = true;
	for (uint32_t i = 0; !oom && i < p.nblocked_req; i++) {
		uint32_t r = m->req_off[t] + p.blocked_req[i];
		uint32_t alt =
		    m->alt_off[r]; /* any_of: its first alternative */
		pw_plan_blocker *b = &pl->blocking[pl->nblocking++];
		b->skill = arena_keep(a, m->skill_id[m->alt_skill[alt]], &oom);
		b->need = m->alt_level[alt];
	}
	for (uint32_t i = 0; !oom && i < p.nblocked_entry; i++) {
		uint32_t entry = p.blocked_entry[i];
		pw_plan_blocker *b = &pl->blocking[pl->nblocking++];
		b->credential = arena_keep(
		    a, m->cred_id[m->creq_cred[m->creq_alt_off[entry]]], &oom);
	}
	if (oom) {
		st = pw_oom(err);
		goto fail;
	}
	qsort(pl->blocking, pl->nblocking, sizeof *pl->blocking, cmp_blocker);
	*out = pl;
	res = NULL;
fail:
	free(order);
	free(score_after);
	free(qual_after);
	planner_release(&p);
	if (res)
		pw_plan_free(&res->pub);
	return st;
}

/* The model is read under the shared lock, released on every path. */
pw_status pw_plan_target(pw_engine *e, const char *learner, const char *target,
                         pw_date as_of, pw_objective by, pw_plan **out,
                         pw_error *err)
{
	pw_status st =
	    plan_target_locked(e, learner, target, as_of, by, out, err);
	engine_done(e);
	return st;
}

void pw_plan_free(pw_plan *pl)
{
	if (!pl)
		return;
	struct pw_plan_res *r = (struct pw_plan_res *)pl;
	arena_release(&r->mem);
	free(r);
}

char *pw_plan_json(const pw_plan *pl, unsigned flags)
{
	jsonw w;
	jw_init(&w, flags);
	jw_obj(&w);
	jw_key(&w, "learner");
	jw_str(&w, pl->learner);
	jw_key(&w, "job");
	jw_str(&w, pl->target);
	jw_key(&w, "as_of");
	jw_date(&w, pl->as_of);
	jw_key(&w, "objective");
	jw_str(&w, pl->objective == PW_BY_HOURS ? "hours" : "cost");
	jw_key(&w, "optimal");
	jw_bool(&w, pl->optimal);
	jw_key(&w, "reachable");
	jw_bool(&w, pl->reachable);
	jw_key(&w, "score_now");
	jw_real(&w, pl->score_now);
	jw_key(&w, "qualified_now");
	jw_bool(&w, pl->qualified_now);
	jw_key(&w, "steps");
	jw_arr(&w);
	for (size_t i = 0; i < pl->nsteps; i++) {
		const pw_plan_step *s = &pl->steps[i];
		jw_obj(&w);
		jw_key(&w, "credential");
		jw_str(&w, s->credential);
		jw_key(&w, "name");
		jw_str(&w, s->name);
		jw_key(&w, "hours");
		jw_real(&w, s->hours);
		jw_key(&w, "cost");
		jw_real(&w, s->cost);
		jw_key(&w, "score_after");
		jw_real(&w, s->score_after);
		jw_key(&w, "qualified_after");
		jw_bool(&w, s->qualified_after);
		jw_key(&w, "cumulative_hours");
		jw_real(&w, s->cumulative_hours);
		jw_key(&w, "cumulative_cost");
		jw_real(&w, s->cumulative_cost);
		jw_key(&w, "weeks");
		jw_int(&w, s->weeks);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "total_hours");
	jw_real(&w, pl->total_hours);
	jw_key(&w, "total_cost");
	jw_real(&w, pl->total_cost);
	jw_key(&w, "blocking");
	jw_arr(&w);
	for (size_t i = 0; i < pl->nblocking; i++) {
		const pw_plan_blocker *b = &pl->blocking[i];
		jw_obj(&w);
		if (b->skill) {
			jw_key(&w, "skill");
			jw_str(&w, b->skill);
			jw_key(&w, "need");
			jw_int(&w, b->need);
		} else {
			jw_key(&w, "credential");
			jw_str(&w, b->credential);
		}
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	return jw_finish(&w);
}

/* DOT identifiers and labels are quoted; ids never hold quotes, names may. */
static void dot_str(buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		if (*s == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

char *pw_plan_dot(const pw_plan *pl)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "digraph plan {\n  rankdir=LR;\n  node [shape=box, "
	             "style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
	buf_puts(
	    &b, "  target [shape=doubleoctagon, fillcolor=\"#f6d365\", label=");
	buf t;
	buf_init(&t);
	buf_printf(&t, "%s\n%s", pl->title, pl->target);
	if (t.data)
		dot_str(&b, t.data);
	buf_release(&t);
	buf_puts(&b, "];\n");
	for (size_t i = 0; i < pl->nheld; i++) {
		buf_puts(&b, "  ");
		dot_str(&b, pl->held[i]);
		buf_puts(&b, " [fillcolor=\"#c8e6c9\", label=");
		buf_init(&t);
		buf_printf(&t, "%s\n(held)", pl->held[i]);
		if (t.data)
			dot_str(&b, t.data);
		buf_release(&t);
		buf_puts(&b, "];\n");
	}
	for (size_t i = 0; i < pl->nsteps; i++) {
		const pw_plan_step *s = &pl->steps[i];
		buf_puts(&b, "  ");
		dot_str(&b, s->credential);
		buf_puts(&b, " [fillcolor=\"#bbdefb\", label=");
		buf_init(&t);
		buf_printf(&t, "%zu. %s\n%g h, $%g, score %.1f", i + 1, s->name,
		           s->hours, s->cost, s->score_after);
		if (t.data)
			dot_str(&b, t.data);
		buf_release(&t);
		buf_puts(&b, "];\n");
	}
	for (size_t i = 0; i < pl->nsteps; i++) {
		const pw_plan_step *s = &pl->steps[i];
		for (size_t k = 0; k < s->nprereqs; k++) {
			buf_puts(&b, "  ");
			dot_str(&b, s->prereqs[k]);
			buf_puts(&b, " -> ");
			dot_str(&b, s->credential);
			buf_puts(&b, " [label=\"prerequisite\"];\n");
		}
		if (i + 1 < pl->nsteps) {
			buf_puts(&b, "  ");
			dot_str(&b, s->credential);
			buf_puts(&b, " -> ");
			dot_str(&b, pl->steps[i + 1].credential);
			buf_puts(&b, " [style=dashed, label=\"then\"];\n");
		}
	}
	if (pl->nsteps) {
		buf_puts(&b, "  ");
		dot_str(&b, pl->steps[pl->nsteps - 1].credential);
		buf_puts(&b, pl->reachable
		                 ? " -> target [label=\"qualified\"];\n"
		                 : " -> target [style=dotted];\n");
	}
	for (size_t i = 0; i < pl->nblocking; i++) {
		const pw_plan_blocker *bl = &pl->blocking[i];
		buf_printf(
		    &b,
		    "  blocked%zu [shape=octagon, fillcolor=\"#ffcdd2\", "
		    "label=",
		    i);
		buf_init(&t);
		if (bl->skill)
			buf_printf(&t,
			           "not earnable here:\nskill %s (level %d)",
			           bl->skill, bl->need);
		else
			buf_printf(&t, "not earnable here:\ncredential %s",
			           bl->credential);
		if (t.data)
			dot_str(&b, t.data);
		buf_release(&t);
		buf_printf(&b, "];\n  blocked%zu -> target [color=red];\n", i);
	}
	buf_puts(&b, "}\n");
	return buf_detach(&b);
}

/* ---- next ---- */

struct pw_next_res {
	pw_next pub;
	arena mem;
};

typedef struct next_row {
	uint32_t cred;
	long long openings;
	long long gain10;
	uint32_t first_job, njobs;
} next_row;

static int cmp_next(const void *x, const void *y, const model *m)
{
	const next_row *a = x, *b = y;
	if (a->openings != b->openings)
		return a->openings > b->openings ? -1 : 1;
	if (a->gain10 != b->gain10)
		return a->gain10 > b->gain10 ? -1 : 1;
	double ha = m->cred_hours[a->cred], hb = m->cred_hours[b->cred];
	if (ha != hb)
		return ha < hb ? -1 : 1;
	return a->cred < b->cred ? -1 : a->cred > b->cred;
}

/* qsort has no context argument: the model of this thread's query */
static _Thread_local const model *sort_model;
static int cmp_next_q(const void *x, const void *y)
{
	return cmp_next(x, y, sort_model);
}

bool plan_earnable_now(const model *m, int64_t l, const uint8_t *held0,
                       uint32_t c)
{
	planner p = {.m = m, .l = l, .held0 = (uint8_t *)held0};
	if (!earnable_alone(&p, c))
		return false;
	for (uint32_t k = m->prereq_off[c]; k < m->prereq_off[c + 1]; k++)
		if (!held0[m->prereq[k]])
			return false;
	return true;
}

bool plan_completes_stack(const model *m, const uint8_t *held0, uint32_t c)
{
	for (uint32_t k = m->parent_off[c]; k < m->parent_off[c + 1]; k++) {
		uint32_t p = m->parent[k];
		if (held0[p])
			continue;
		bool all = true;
		for (uint32_t j = m->comp_off[p]; all && j < m->comp_off[p + 1];
		     j++)
			all = m->comp[j] == c || held0[m->comp[j]];
		if (all)
			return true;
	}
	return false;
}

/* after_ctx (internal.h): the learner's state with credential c earned. */

/* Is the learner qualified for t with c earned (as scorer_eval decides)? */
bool plan_qualified_after(const after_ctx *x, uint32_t t)
{
	const model *m = x->m;
	for (uint32_t r = m->req_off[t]; r < REQ_END(m, t); r++) {
		if (!m->req_required[r])
			continue;
		double best = 0;
		for (uint32_t a = m->alt_off[r]; a < ALT_END(m, r); a++) {
			uint32_t s = m->alt_skill[a];
			double h =
			    x->nhs[s] == x->mark ? x->nh[s] : x->base_have[s];
			double c12 = h * (12 / m->alt_level[a]);
			if (c12 > best)
				best = c12;
		}
		if (best < 12)
			return false;
	}
	for (uint32_t k = m->creq_off[t]; k < CREQ_END(m, t); k++) {
		bool held = false;
		for (uint32_t a = m->creq_alt_off[k];
		     !held && a < CALT_END(m, k); a++)
			held = x->held0[m->creq_cred[a]] ||
			       m->creq_cred[a] == x->c;
		if (!held)
			return false;
	}
	return true;
}

/* How many credentials grant a skill showing s (a measure of how easily
 * a requirement on s is met). */
static uint32_t meeters(const model *m, uint32_t s)
{
	uint32_t n = 0;
	for (uint32_t j = m->spread_off[s]; j < m->spread_off[s + 1]; j++) {
		uint32_t u = m->spread_to[j];
		n += m->sk_cred_off[u + 1] - m->sk_cred_off[u];
	}
	return n;
}

static int cmp_ll_desc(const void *x, const void *y)
{
	long long a = *(const long long *)x, b = *(const long long *)y;
	return a > b ? -1 : a < b;
}

static int cmp_job_ptr(const void *x, const void *y)
{
	return model_cmp_target(sort_model,
	                        (uint32_t)(uintptr_t) * (void *const *)x,
	                        (uint32_t)(uintptr_t) * (void *const *)y);
}

/* SPEC §5 next, for one learner. The in-range open postings are found
 * through the grid and scored once, keeping each requirement's coverage;
 * then, for each credential earnable now, a cheap test first: does it
 * raise what the learner shows in a skill some in-range posting requires
 * (one taxonomy step, stacks it completes included), or complete a
 * credential one requires? Only then is the learner re-scored with it:
 * the postings naming a risen skill (per-query lists over the in-range
 * postings alone) update just the requirements whose coverage rises, and
 * only the postings so changed are summed again, in requirement order, as
 * scorer_eval sums them, so that every score is the one explain gives. */

typedef struct npost {
	uint32_t i;  /* in-range target */
	uint32_t rl; /* its requirement, as a local index */
	uint8_t need, w;
	bool required;
} npost;

/* A requirement's coverage in twelfths, as scorer_eval computes it. */
static double req_c12(const scorer *sc, uint32_t r)
{
	const model *m = sc->m;
	double best = -1;
	for (uint32_t a = m->alt_off[r]; a < ALT_END(m, r); a++) {
		double c12 = sc->have[m->alt_skill[a]] * (12 / m->alt_level[a]);
		if (c12 > 12)
			c12 = 12;
		if (c12 > best)
			best = c12;
	}
	return best < 0 ? 0 : best;
}

/* Score and qualification of target t from its requirements' coverage
 * cov (local, in order), as scorer_eval would give them. */
static target_eval eval_cov(const scorer *sc, uint32_t t, const double *cov)
{
	const model *m = sc->m;
	double num = 0, den = 0;
	bool qualified = true;
	for (uint32_t r = m->req_off[t], k = 0; r < REQ_END(m, t); r++, k++) {
		double w = m->req_importance[r];
		num += w * cov[k];
		den += w * 12;
		if (m->req_required[r] && cov[k] < 12)
			qualified = false;
	}
	for (uint32_t k = m->creq_off[t]; qualified && k < CREQ_END(m, t); k++)
		if (!scorer_cred_entry_held(sc, k, NULL))
			qualified = false;
	target_eval out;
	out.qualified = qualified;
	out.score10 = den > 0 ? (int)num_round(1000 * num / den, 0) : 1000;
	return out;
}

/* Does holding c (with base levels) raise have in a skill that an in-range
 * target requires? */
static bool raises(const model *m, const uint8_t *base_level,
                   const double *base_have, const uint32_t *sk_off, uint32_t c)
{
	for (uint32_t j = m->cskill_off[c]; j < m->cskill_off[c + 1]; j++) {
		uint32_t u = m->cskill_skill[j];
		double lv = m->cskill_level[j];
		if (lv <= base_level[u])
			continue; /* the learner shows at least this already */
		for (uint32_t k = m->spread_off[u]; k < m->spread_off[u + 1];
		     k++) {
			uint32_t s = m->spread_to[k];
			if (sk_off[s + 1] > sk_off[s] &&
			    m->spread_factor[k] * lv > base_have[s])
				return true;
		}
	}
	return false;
}

/* Would earning c change anything in range: a risen skill, or a
 * credential some in-range target requires, itself or a stack it
 * completes (up through stacks of stacks)? */
static bool may_matter(const model *m, const uint8_t *base_level,
                       const uint8_t *held0, const double *base_have,
                       const uint32_t *sk_off, const uint32_t *cr_off,
                       uint32_t c, int depth)
{
	if (cr_off[c + 1] > cr_off[c] ||
	    raises(m, base_level, base_have, sk_off, c))
		return true;
	if (depth > 64)
		return false;
	for (uint32_t k = m->parent_off[c]; k < m->parent_off[c + 1]; k++) {
		uint32_t p = m->parent[k];
		if (held0[p])
			continue;
		bool all = true;
		for (uint32_t j = m->comp_off[p]; all && j < m->comp_off[p + 1];
		     j++)
			all = m->comp[j] == c || held0[m->comp[j]];
		if (all && may_matter(m, base_level, held0, base_have, sk_off,
		                      cr_off, p, depth + 1))
			return true;
	}
	return false;
}

static pw_status next_credentials_locked(pw_engine *e, const char *learner,
                                         pw_date as_of, size_t top,
                                         pw_next **out, pw_error *err)
{
	const model *m;
	int64_t l;
	pw_status st;
	scorer *sc;
	uint32_t *stamp, mark;
	bool oom = false;
	if ((st = engine_model(e, &m, err)) ||
	    (st = engine_find_learner(m, learner, &l, err)) ||
	    (st = engine_scorer(e, m, &sc, err)) ||
	    (st = engine_stamps(e, m->ntargets, &stamp, &mark, err)))
		return st;
	if (!top)
		top = 5;

	size_t nj = (size_t)m->ntargets + 1, ns = (size_t)m->nskills + 1;
	size_t nc = (size_t)m->ncreds + 1;
	planner p = {.m = m, .l = l, .as_of = as_of};
	uint32_t *inr = malloc(nj * sizeof *inr); /* in-range targets */
	uint32_t *rbase = malloc(nj * sizeof *rbase);
	int *base_s = NULL;
	uint8_t *base_q = NULL;
	double *cov0 = NULL, *covn = NULL, *num0 = NULL, *dnum = NULL;
	uint32_t *unmet0 = NULL, *fixed = NULL, *wsum = NULL;
	uint32_t *wit_off = NULL, *relc = NULL, *nhs = NULL, *risen = NULL;
	double *nh = NULL;
	npost *wit = NULL;
	long long *rel_open = NULL;
	uint32_t *rstamp = NULL, *istamp = NULL;
	double *base_have = calloc(ns, sizeof(double));
	uint8_t *base_level = calloc(ns, 1);
	uint8_t *held0 = calloc(nc, 1);
	uint32_t *affected = NULL;
	uint32_t *sk_off = calloc(ns + 1, sizeof *sk_off);
	uint32_t *cr_off = calloc(nc + 1, sizeof *cr_off);
	npost *post = NULL;
	uint32_t *crt = NULL;
	next_row *rows = malloc(nc * sizeof *rows);
	ptrvec jobs = {0}; /* newly qualified job ids, per row a run */
	struct pw_next_res *res = calloc(1, sizeof *res);
	size_t nrows = 0;
	uint32_t nin = 0, nlr = 0;
	if (!inr || !rbase || !base_have || !base_level || !held0 || !sk_off ||
	    !cr_off || !rows || !res)
		goto oom;

	scorer_set(sc, l, as_of, NULL, 0);
	for (uint32_t i = 0; i < sc->nheld; i++)
		held0[sc->held_list[i]] = 1;
	for (uint32_t i = 0; i < sc->ntouched; i++)
		base_have[sc->touched[i]] = sc->have[sc->touched[i]];
	for (uint32_t i = 0; i < sc->nleveled; i++)
		base_level[sc->leveled[i]] = sc->level[sc->leveled[i]];

	/* the open postings in range: by the grid, and those written in
	 * place */
	geo_range *rg = e->x->ranges;
	geo_span *sp = e->x->spans;
	size_t nr = geo_ranges(&m->l_home[l], m->l_max_commute[l], rg);
	uint32_t built = m->njobs + m->nocc;
	size_t nsp = geo_spans(m->tgeo_key, 0, built, rg, nr, sp);
	for (size_t k = 0; k <= nsp; k++) {
		uint32_t a = k < nsp ? sp[k].a : 0;
		uint32_t b = k < nsp ? sp[k].b : m->t_written.n;
		for (uint32_t j = a; j < b; j++) {
			uint32_t t = k < nsp ? m->tgeo[j] : m->t_written.v[j];
			bool hd;
			double d;
			if (stamp[t] == mark || m->t_occ[t] ||
			    m->t_deleted[t] ||
			    !engine_target_open(m, t, as_of) ||
			    !geo_in_range(&m->l_home[l], m->l_max_commute[l],
			                  &m->t_loc[t], m->t_remote[t], &hd,
			                  &d))
				continue;
			stamp[t] = mark;
			rbase[nin] = nlr;
			inr[nin++] = t;
			nlr += m->req_cnt[t];
		}
	}
	rbase[nin] = nlr;
	base_s = malloc(((size_t)nin + 1) * sizeof *base_s);
	base_q = malloc((size_t)nin + 1);
	num0 = malloc(((size_t)nin + 1) * sizeof *num0);
	dnum = malloc(((size_t)nin + 1) * sizeof *dnum);
	unmet0 = malloc(((size_t)nin + 1) * sizeof *unmet0);
	fixed = malloc(((size_t)nin + 1) * sizeof *fixed);
	wsum = malloc(((size_t)nin + 1) * sizeof *wsum);
	cov0 = malloc(((size_t)nlr + 1) * sizeof *cov0);
	covn = malloc(((size_t)nlr + 1) * sizeof *covn);
	rstamp = calloc((size_t)nlr + 1, sizeof *rstamp);
	istamp = calloc((size_t)nin + 1, sizeof *istamp);
	affected = malloc(((size_t)nin + 1) * sizeof *affected);
	if (!base_s || !base_q || !cov0 || !covn || !rstamp || !istamp ||
	    !affected || !num0 || !dnum || !unmet0 || !fixed || !wsum)
		goto oom;
	/* base coverage and scores; counts for the per-query lists */
	for (uint32_t i = 0; i < nin; i++) {
		uint32_t t = inr[i];
		for (uint32_t r = m->req_off[t], k = rbase[i];
		     r < REQ_END(m, t); r++, k++) {
			cov0[k] = req_c12(sc, r);
			for (uint32_t a = m->alt_off[r]; a < ALT_END(m, r); a++)
				sk_off[m->alt_skill[a] + 1]++;
		}
		for (uint32_t k = m->creq_off[t]; k < CREQ_END(m, t); k++)
			for (uint32_t a = m->creq_alt_off[k];
			     a < CALT_END(m, k); a++)
				cr_off[m->creq_cred[a] + 1]++;
		target_eval te = eval_cov(sc, t, cov0 + rbase[i]);
		base_s[i] = te.score10;
		base_q[i] = te.qualified;
		num0[i] = 0;
		unmet0[i] = 0;
		wsum[i] = 0;
		for (uint32_t r = m->req_off[t], k = rbase[i];
		     r < REQ_END(m, t); r++, k++) {
			num0[i] += m->req_importance[r] * cov0[k];
			wsum[i] += m->req_importance[r];
			unmet0[i] += m->req_required[r] && cov0[k] < 12;
		}
	}
	for (size_t s = 0; s < ns; s++)
		sk_off[s + 1] += sk_off[s];
	for (size_t c = 0; c < nc; c++)
		cr_off[c + 1] += cr_off[c];
	post = malloc(((size_t)sk_off[ns] + 1) * sizeof *post);
	crt = malloc(((size_t)cr_off[nc] + 1) * sizeof *crt);
	if (!post || !crt)
		goto oom;
	for (uint32_t i = 0; i < nin; i++) {
		uint32_t t = inr[i];
		for (uint32_t r = m->req_off[t], k = rbase[i];
		     r < REQ_END(m, t); r++, k++)
			for (uint32_t a = m->alt_off[r]; a < ALT_END(m, r); a++)
				post[sk_off[m->alt_skill[a]]++] = (npost){
				    i, k, m->alt_level[a], m->req_importance[r],
				    m->req_required[r] != 0};
		for (uint32_t k = m->creq_off[t]; k < CREQ_END(m, t); k++)
			for (uint32_t a = m->creq_alt_off[k];
			     a < CALT_END(m, k); a++)
				crt[cr_off[m->creq_cred[a]]++] = i;
	}
	/* the fills moved each start to the next one's: shift back */
	memmove(sk_off + 1, sk_off, ns * sizeof *sk_off);
	sk_off[0] = 0;
	memmove(cr_off + 1, cr_off, nc * sizeof *cr_off);
	cr_off[0] = 0;
	p.held0 = held0;

	/* Ranking puts newly qualified openings first; scores only break
	 * ties. So a first pass counts, for every credential that may
	 * matter, the openings it newly qualifies, through one witness per
	 * unqualified posting: a required requirement not yet met, which the
	 * credential must meet (a posting blocked only by a credential entry
	 * is found through that credential). Score gains are then summed only
	 * for the credentials whose openings reach the top. */
	wit_off = calloc(ns + 1, sizeof *wit_off);
	nh = malloc(ns * sizeof *nh);
	nhs = calloc(ns, sizeof *nhs);
	risen = malloc(ns * sizeof *risen);
	if (!nh || !nhs || !risen)
		goto oom;
	relc = malloc(nc * sizeof *relc);
	rel_open = malloc(nc * sizeof *rel_open);
	if (!wit_off || !relc || !rel_open)
		goto oom;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < nin; i++) {
			uint32_t t = inr[i];
			if (base_q[i] || !unmet0[i])
				continue;
			/* the witness: the unmet required requirement the
			 * fewest credentials can meet */
			uint32_t r = 0, k = 0, best = UINT32_MAX;
			for (uint32_t q = m->req_off[t], kq = rbase[i];
			     q < REQ_END(m, t); q++, kq++) {
				if (!m->req_required[q] || cov0[kq] >= 12)
					continue;
				uint32_t n = 0;
				for (uint32_t a = m->alt_off[q];
				     a < ALT_END(m, q); a++)
					n += meeters(m, m->alt_skill[a]);
				if (n < best) {
					best = n;
					r = q;
					k = kq;
				}
			}
			for (uint32_t a = m->alt_off[r]; a < ALT_END(m, r);
			     a++) {
				uint32_t sk = m->alt_skill[a];
				if (pass == 0)
					wit_off[sk + 1]++;
				else
					wit[wit_off[sk]++] = (npost){
					    i, k, m->alt_level[a], 0, 0};
			}
		}
		if (pass == 0) {
			for (size_t x = 0; x < ns; x++)
				wit_off[x + 1] += wit_off[x];
			if (!(wit = malloc(((size_t)wit_off[ns] + 1) *
			                   sizeof *wit)))
				goto oom;
		}
	}
	memmove(wit_off + 1, wit_off, ns * sizeof *wit_off);
	wit_off[0] = 0;
	uint32_t cmark = 0, nrel = 0;
	for (uint32_t c = 0; c < m->ncreds; c++) {
		if (!earnable_alone(&p, c))
			continue;
		bool ready =
		    true; /* prerequisites held now (stacks included) */
		for (uint32_t k = m->prereq_off[c];
		     ready && k < m->prereq_off[c + 1]; k++)
			ready = held0[m->prereq[k]];
		if (!ready || !may_matter(m, base_level, held0, base_have,
		                          sk_off, cr_off, c, 0))
			continue;
		cmark++;
		long long open = 0;
		if (!plan_completes_stack(m, held0, c)) {
			/* what c raises, without re-scoring the learner */
			uint32_t nrisen = 0;
			for (uint32_t j = m->cskill_off[c];
			     j < m->cskill_off[c + 1]; j++) {
				uint32_t u = m->cskill_skill[j];
				double lv = m->cskill_level[j];
				if (lv <= base_level[u])
					continue;
				for (uint32_t k = m->spread_off[u];
				     k < m->spread_off[u + 1]; k++) {
					uint32_t s = m->spread_to[k];
					double v = m->spread_factor[k] * lv;
					if (v <= base_have[s])
						continue;
					if (nhs[s] != cmark) {
						nhs[s] = cmark;
						nh[s] = v;
						risen[nrisen++] = s;
					} else if (v > nh[s])
						nh[s] = v;
				}
			}
			after_ctx ac = {m, base_have, nh, nhs, cmark, held0, c};
			for (uint32_t i = 0; i < nrisen; i++) {
				uint32_t s = risen[i];
				double h = nh[s];
				for (uint32_t k = wit_off[s];
				     k < wit_off[s + 1]; k++) {
					const npost *q = &wit[k];
					if (istamp[q->i] == cmark ||
					    h * (12 / q->need) < 12)
						continue;
					istamp[q->i] = cmark;
					if (plan_qualified_after(&ac,
					                         inr[q->i]))
						open +=
						    m->t_openings[inr[q->i]];
				}
			}
			for (uint32_t k = cr_off[c]; k < cr_off[c + 1]; k++) {
				uint32_t x = crt[k];
				if (istamp[x] == cmark || base_q[x] ||
				    unmet0[x])
					continue;
				istamp[x] = cmark;
				if (plan_qualified_after(&ac, inr[x]))
					open += m->t_openings[inr[x]];
			}
			relc[nrel] = c;
			rel_open[nrel++] = open;
			continue;
		}
		/* c completes a stack: re-score the learner with it */
		scorer_set(sc, l, as_of, &c, 1);
		for (uint32_t i = 0; i < sc->ntouched; i++) {
			uint32_t s = sc->touched[i];
			double h = sc->have[s];
			if (h <= base_have[s])
				continue;
			for (uint32_t k = wit_off[s]; k < wit_off[s + 1]; k++) {
				const npost *q = &wit[k];
				if (istamp[q->i] == cmark ||
				    h * (12 / q->need) < 12)
					continue;
				istamp[q->i] = cmark;
				if (scorer_eval(sc, inr[q->i], NULL).qualified)
					open += m->t_openings[inr[q->i]];
			}
		}
		for (uint32_t i = 0; i < sc->nheld; i++) {
			uint32_t h = sc->held_list[i];
			if (held0[h])
				continue;
			for (uint32_t k = cr_off[h]; k < cr_off[h + 1]; k++) {
				uint32_t x = crt[k];
				if (istamp[x] == cmark || base_q[x] ||
				    unmet0[x])
					continue;
				istamp[x] = cmark;
				if (scorer_eval(sc, inr[x], NULL).qualified)
					open += m->t_openings[inr[x]];
			}
		}
		relc[nrel] = c;
		rel_open[nrel++] = open;
	}
	/* the openings the top-th credential reaches */
	long long thr = 0;
	if (nrel >= top) {
		long long *sorted = malloc(nrel * sizeof *sorted);
		if (!sorted)
			goto oom;
		memcpy(sorted, rel_open, nrel * sizeof *sorted);
		qsort(sorted, nrel, sizeof *sorted, cmp_ll_desc);
		thr = sorted[top - 1];
		free(sorted);
	}

	for (uint32_t ri = 0; ri < nrel; ri++) {
		if (rel_open[ri] < thr)
			continue;
		uint32_t c = relc[ri];
		scorer_set(sc, l, as_of, &c, 1);
		uint32_t na = 0;
		cmark++;
		/* requirements whose coverage rises, and their targets */
		for (uint32_t i = 0; i < sc->ntouched; i++) {
			uint32_t s = sc->touched[i];
			double h = sc->have[s];
			if (h <= base_have[s])
				continue;
			for (uint32_t k = sk_off[s]; k < sk_off[s + 1]; k++) {
				const npost *q = &post[k];
				double c12 = h * (12 / q->need);
				if (c12 > 12)
					c12 = 12;
				double cur = rstamp[q->rl] == cmark
				                 ? covn[q->rl]
				                 : cov0[q->rl];
				if (c12 <= cur)
					continue;
				rstamp[q->rl] = cmark;
				covn[q->rl] = c12;
				if (istamp[q->i] != cmark) {
					istamp[q->i] = cmark;
					affected[na++] = q->i;
					dnum[q->i] = 0;
					fixed[q->i] = 0;
				}
				dnum[q->i] += q->w * (c12 - cur);
				fixed[q->i] +=
				    q->required && cur < 12 && c12 >= 12;
			}
		}
		/* targets requiring a credential now newly held */
		for (uint32_t i = 0; i < sc->nheld; i++) {
			uint32_t h = sc->held_list[i];
			if (held0[h])
				continue;
			for (uint32_t k = cr_off[h]; k < cr_off[h + 1]; k++)
				if (istamp[crt[k]] != cmark) {
					istamp[crt[k]] = cmark;
					affected[na++] = crt[k];
					dnum[crt[k]] = 0;
					fixed[crt[k]] = 0;
				}
		}
		next_row row = {.cred = c, .first_job = (uint32_t)jobs.len};
		for (uint32_t x = 0; x < na; x++) {
			uint32_t i = affected[x], t = inr[i];
			/* the sum with what rose (num_round takes a half
			 * within the noise of the order of additions as a
			 * half, so this rounds as scorer_eval's sum does) */
			int score10 =
			    wsum[i] > 0
			        ? (int)num_round(1000 * (num0[i] + dnum[i]) /
			                             (12.0 * wsum[i]),
			                         0)
			        : 1000;
			bool qualified = unmet0[i] == fixed[i];
			for (uint32_t k = m->creq_off[t];
			     qualified && k < CREQ_END(m, t); k++)
				qualified = scorer_cred_entry_held(sc, k, NULL);
			row.gain10 += m->t_openings[t] * (score10 - base_s[i]);
			if (qualified && !base_q[i]) {
				row.openings += m->t_openings[t];
				if (!ptrvec_push(&jobs, (void *)(uintptr_t)t))
					goto oom;
				row.njobs++;
			}
		}
		if (row.openings == 0 && row.gain10 == 0) {
			jobs.len = row.first_job;
			continue;
		}
		/* newly qualified jobs are listed by id */
		sort_model = m;
		if (row.njobs)
			qsort(jobs.items + row.first_job, row.njobs,
			      sizeof *jobs.items, cmp_job_ptr);
		rows[nrows++] = row;
	}
	sort_model = m;
	if (nrows)
		qsort(rows, nrows, sizeof *rows, cmp_next_q);
	if (nrows > top)
		nrows = top;

	arena *a = &res->mem;
	pw_next *nx = &res->pub;
	nx->learner = arena_keep(a, m->l_id[l], &oom);
	nx->as_of = as_of;
	nx->items = arena_alloc(a, (nrows + 1) * sizeof *nx->items);
	if (!nx->items)
		oom = true;
	for (size_t i = 0; !oom && i < nrows; i++) {
		const next_row *r = &rows[i];
		pw_next_item *it = &nx->items[nx->count++];
		it->credential = arena_keep(a, m->cred_id[r->cred], &oom);
		it->name = arena_keep(a, m->cred_name[r->cred], &oom);
		it->hours = m->cred_hours[r->cred];
		it->cost = m->cred_cost[r->cred];
		it->newly_qualified_openings = r->openings;
		it->score_gain = r->gain10 / 10.0;
		it->njobs = r->njobs;
		it->newly_qualified_jobs =
		    arena_alloc(a, (r->njobs + 1) * sizeof(char *));
		if (!it->newly_qualified_jobs) {
			oom = true;
			break;
		}
		/* jobs were added in id order */
		for (uint32_t k = 0; k < r->njobs; k++)
			it->newly_qualified_jobs[k] = arena_keep(
			    a, m->t_id[(uintptr_t)jobs.items[r->first_job + k]],
			    &oom);
	}
	if (oom)
		goto oom;
	*out = nx;
	res = NULL;
	st = PW_OK;
	goto out;
oom:
	st = pw_oom(err);
out:
	free(inr);
	free(rbase);
	free(base_s);
	free(base_q);
	free(cov0);
	free(covn);
	free(num0);
	free(dnum);
	free(unmet0);
	free(fixed);
	free(wsum);
	free(wit_off);
	free(nh);
	free(nhs);
	free(risen);
	free(wit);
	free(relc);
	free(rel_open);
	free(rstamp);
	free(istamp);
	free(affected);
	free(base_have);
	free(base_level);
	free(held0);
	free(sk_off);
	free(cr_off);
	free(post);
	free(crt);
	free(rows);
	ptrvec_release(&jobs);
	if (res)
		pw_next_free(&res->pub);
	return st;
}

/* The model is read under the shared lock, released on every path. */
pw_status pw_next_credentials(pw_engine *e, const char *learner, pw_date as_of,
                              size_t top, pw_next **out, pw_error *err)
{
	pw_status st =
	    next_credentials_locked(e, learner, as_of, top, out, err);
	engine_done(e);
	return st;
}

void pw_next_free(pw_next *nx)
{
	if (!nx)
		return;
	struct pw_next_res *r = (struct pw_next_res *)nx;
	arena_release(&r->mem);
	free(r);
}

char *pw_next_json(const pw_next *nx, unsigned flags)
{
	jsonw w;
	jw_init(&w, flags);
	jw_obj(&w);
	jw_key(&w, "learner");
	jw_str(&w, nx->learner);
	jw_key(&w, "as_of");
	jw_date(&w, nx->as_of);
	jw_key(&w, "results");
	jw_arr(&w);
	for (size_t i = 0; i < nx->count; i++) {
		const pw_next_item *it = &nx->items[i];
		jw_obj(&w);
		jw_key(&w, "credential");
		jw_str(&w, it->credential);
		jw_key(&w, "name");
		jw_str(&w, it->name);
		jw_key(&w, "hours");
		jw_real(&w, it->hours);
		jw_key(&w, "cost");
		jw_real(&w, it->cost);
		jw_key(&w, "newly_qualified_openings");
		jw_int(&w, it->newly_qualified_openings);
		jw_key(&w, "newly_qualified_jobs");
		jw_arr(&w);
		for (size_t k = 0; k < it->njobs; k++)
			jw_str(&w, it->newly_qualified_jobs[k]);
		jw_arr_end(&w);
		jw_key(&w, "score_gain");
		jw_real(&w, it->score_gain);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	return jw_finish(&w);
}
