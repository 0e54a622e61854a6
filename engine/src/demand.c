/* demand.c - SPEC §10 demand: for a region, the open postings grouped by
 * occupation, the skills they require against the region's learners who
 * show them, and the credentials that would newly qualify the most of the
 * region's learners for open in-range postings.
 *
 * Programs are the costly part: a learner is "unlocked" by credential c
 * when, earning c alone (prerequisites held), they become qualified for an
 * open in-range posting of the region they are not qualified for now.
 * Scoring every learner against every posting in range is far too slow at
 * state scale, so each learner nominates only the postings c could close:
 *   - a posting where the learner already meets some required
 *     requirement, found through the postings of the skills they show
 *     (sk_target, by the grid), as match finds them;
 *   - a posting where they meet none, which c must then close alone: such
 *     postings (some credential's skills, with every stack above it, meet
 *     every required requirement; or only credentials are required) are
 *     found once per query, and each learner visits those in range.
 * For each nominated posting not yet qualified, the witness (its first
 * unmet required requirement, or its unheld credential entries) names the
 * only credentials that can close it; each is then checked exactly with
 * the test `next` uses (plan_qualified_after's, with what c raises looked
 * up in its steps, or a re-score when c completes a stack).
 * At state scale the same few work over again for every learner, so:
 * postings by skill are cut once to the region's required requirements;
 * a posting the learner meets no requirement of has one witness for all
 * such learners, made once; a credential's taxonomy steps are listed
 * once; and a (credential, posting) pair some learner already reached is
 * checked again only while this learner is not yet counted for it. */
#include "internal.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct pw_demand_res {
	pw_demand pub;
	arena mem;
};

/* ---- small helpers ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* NULL (no soc) sorts after every code. */
static int cmp_soc(const char *a, const char *b)
{
	if (!a || !b)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

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

/* ---- what the model lacks: soc codes and outlooks, from the store ---- */

typedef struct outlook {
	bool has_openings, has_growth;
	long long openings;
	double growth;
} outlook;

typedef struct scan_ctx {
	const model *m;
	arena *a;
	const char **soc;  /* per target */
	outlook *outlooks; /* per target (occupations) */
	bool oom;
} scan_ctx;

static pw_status soc_row(void *ctx, const scan_row *r)
{
	scan_ctx *x = ctx;
	int64_t t = model_target(x->m, row_text(r, 0));
	if (t >= 0 && !x->m->t_occ[t])
		x->soc[t] = arena_keep(x->a, row_text(r, 1), &x->oom);
	return x->oom ? PW_ERR_NOMEM : PW_OK;
}

static pw_status outlook_row(void *ctx, const scan_row *r)
{
	scan_ctx *x = ctx;
	int64_t t = model_target(x->m, row_text(r, 0));
	if (t < 0 || !x->m->t_occ[t])
		return PW_OK;
	outlook *o = &x->outlooks[t];
	if ((o->has_openings = !row_null(r, 1)))
		o->openings = row_int(r, 1);
	if ((o->has_growth = !row_null(r, 2)))
		o->growth = row_real(r, 2);
	return PW_OK;
}

/* ---- the per-query state of programs ---- */

typedef struct dctx {
	const model *m;
	scorer *sc;
	/* candidate credentials of one posting, deduplicated by stamp */
	uint32_t *cand, ncand, *cstamp, cmark;
	/* the candidates meeting (skill, level), made once each: key
	 * skill * 5 + level -> a span of memo_pool (memo_n UINT32_MAX until
	 * made) */
	uint32_t *memo_off, *memo_n;
	u32vec memo_pool;
	/* per requirement (pool index): how many candidates meet it, an
	 * upper bound; UINT32_MAX until counted */
	uint32_t *req_n;
	/* the candidates of a second requirement, for the intersection */
	uint32_t *xstamp, xmark;
	uint32_t *fstamp, fmark; /* the memo being filled */
	bool oom;
} dctx;

static bool u32vec_push(u32vec *v, uint32_t x)
{
	if (v->n == v->cap) {
		uint32_t cap = v->cap ? 2 * v->cap : 1024;
		uint32_t *p = realloc(v->v, (size_t)cap * sizeof *p);
		if (!p)
			return false;
		v->v = p;
		v->cap = cap;
	}
	v->v[v->n++] = x;
	return true;
}

static bool stacked(const model *m, uint32_t c)
{
	return m->comp_off[c + 1] > m->comp_off[c];
}

/* A credential that shows a skill: itself when earnable directly, else the
 * components of the stack (down through stacks of stacks), one of which
 * may complete it. A superset: each is checked exactly later. To the
 * candidates, or (memo) to the memo being filled. */
static void expand(dctx *d, uint32_t c, int depth, bool memo)
{
	const model *m = d->m;
	if (stacked(m, c)) {
		if (depth < 64)
			for (uint32_t k = m->comp_off[c];
			     k < m->comp_off[c + 1]; k++)
				expand(d, m->comp[k], depth + 1, memo);
		return;
	}
	if (memo) {
		if (d->fstamp[c] != d->fmark) {
			d->fstamp[c] = d->fmark;
			if (!u32vec_push(&d->memo_pool, c))
				d->oom = true;
		}
	} else if (d->cstamp[c] != d->cmark) {
		d->cstamp[c] = d->cmark;
		d->cand[d->ncand++] = c;
	}
}

/* The level credential c grants in skill u (0 when none). */
static int grants(const model *m, uint32_t c, uint32_t u)
{
	int lv = 0;
	for (uint32_t j = m->cskill_off[c]; j < m->cskill_off[c + 1]; j++)
		if (m->cskill_skill[j] == u && m->cskill_level[j] > lv)
			lv = m->cskill_level[j];
	return lv;
}

/* The credentials that show skill s at level need or more, through one
 * taxonomy step as scorer_set spreads levels, added to the candidates.
 * The spread's membership is symmetric (narrower/broader and related
 * edges go both ways), so the skills u that show s are those s spreads
 * to; the factor is u's. */
static void meeting_fill(dctx *d, uint32_t s, int need)
{
	const model *m = d->m;
	for (uint32_t j = m->spread_off[s]; j < m->spread_off[s + 1]; j++) {
		uint32_t u = m->spread_to[j];
		double f = 0;
		for (uint32_t k = m->spread_off[u]; k < m->spread_off[u + 1];
		     k++)
			if (m->spread_to[k] == s && m->spread_factor[k] > f)
				f = m->spread_factor[k];
		if (f <= 0)
			continue;
		for (uint32_t k = m->sk_cred_off[u]; k < m->sk_cred_off[u + 1];
		     k++) {
			uint32_t x = m->sk_cred[k];
			double v = f * grants(m, x, u);
			if (v * (12 / need) >= 12)
				expand(d, x, 0, true);
		}
	}
}

/* The memoised list of meeting(s, need): *list and its length. */
static uint32_t meeting(dctx *d, uint32_t s, int need, const uint32_t **list)
{
	size_t key = (size_t)s * 5 + (size_t)need;
	if (d->memo_n[key] == UINT32_MAX) {
		d->fmark++;
		uint32_t from = d->memo_pool.n;
		meeting_fill(d, s, need);
		d->memo_off[key] = from;
		d->memo_n[key] = d->memo_pool.n - from;
	}
	*list = d->memo_pool.v + d->memo_off[key];
	return d->memo_n[key];
}

/* How many candidates requirement r has (with repeats across its
 * alternatives): the witness is the requirement with the fewest. */
static uint32_t req_count(dctx *d, uint32_t r)
{
	const model *m = d->m;
	if (d->req_n[r] == UINT32_MAX) {
		uint32_t n = 0;
		const uint32_t *l;
		for (uint32_t a = m->alt_off[r]; a < ALT_END(m, r); a++)
			n += meeting(d, m->alt_skill[a], m->alt_level[a], &l);
		d->req_n[r] = n;
	}
	return d->req_n[r];
}

/* The candidates that may close t for a learner: those meeting both of
 * the two unmet required requirements with the fewest candidates (ev
 * gives each requirement's coverage; NULL for a learner who meets none),
 * or, when every required requirement is met, those in the credential
 * entries not held. */
static void witness(dctx *d, uint32_t t, const req_eval *ev)
{
	const model *m = d->m;
	d->cmark++;
	d->ncand = 0;
	uint32_t r1 = UINT32_MAX, r2 = UINT32_MAX, n1 = 0, n2 = 0;
	for (uint32_t r = m->req_off[t]; r < REQ_END(m, t); r++) {
		if (!m->req_required[r] ||
		    (ev && ev[r - m->req_off[t]].coverage >= 1))
			continue;
		uint32_t n = req_count(d, r);
		if (r1 == UINT32_MAX || n < n1) {
			r2 = r1;
			n2 = n1;
			r1 = r;
			n1 = n;
		} else if (r2 == UINT32_MAX || n < n2) {
			r2 = r;
			n2 = n;
		}
	}
	const uint32_t *l;
	if (r1 != UINT32_MAX) {
		if (r2 != UINT32_MAX) {
			d->xmark++;
			for (uint32_t a = m->alt_off[r2]; a < ALT_END(m, r2);
			     a++) {
				uint32_t n = meeting(d, m->alt_skill[a],
				                     m->alt_level[a], &l);
				for (uint32_t i = 0; i < n; i++)
					d->xstamp[l[i]] = d->xmark;
			}
		}
		for (uint32_t a = m->alt_off[r1]; a < ALT_END(m, r1); a++) {
			uint32_t n =
			    meeting(d, m->alt_skill[a], m->alt_level[a], &l);
			for (uint32_t i = 0; i < n; i++) {
				uint32_t c = l[i];
				if (d->cstamp[c] == d->cmark ||
				    (r2 != UINT32_MAX &&
				     d->xstamp[c] != d->xmark))
					continue;
				d->cstamp[c] = d->cmark;
				d->cand[d->ncand++] = c;
			}
		}
		return;
	}
	for (uint32_t k = m->creq_off[t]; k < CREQ_END(m, t); k++)
		if (!ev || !scorer_cred_entry_held(d->sc, k, NULL))
			for (uint32_t a = m->creq_alt_off[k];
			     a < CALT_END(m, k); a++)
				expand(d, m->creq_cred[a], 0, false);
}

/* Is the learner the scorer holds qualified for t, as scorer_eval decides
 * (every required requirement covered in full, every credential entry
 * held)? Only that, and each required requirement's coverage as 1 or 0
 * in ev, is what programs need; the score is not worked out. */
static bool base_qualified(const scorer *sc, uint32_t t, req_eval *ev)
{
	const model *m = sc->m;
	bool q = true;
	for (uint32_t r = m->req_off[t]; r < REQ_END(m, t); r++) {
		if (!m->req_required[r])
			continue;
		bool met = false;
		for (uint32_t a = m->alt_off[r]; !met && a < ALT_END(m, r); a++)
			met = sc->have[m->alt_skill[a]] *
			          (12 / m->alt_level[a]) >=
			      12;
		ev[r - m->req_off[t]].coverage = met;
		q = q && met;
	}
	for (uint32_t k = m->creq_off[t]; q && k < CREQ_END(m, t); k++)
		q = scorer_cred_entry_held(sc, k, NULL);
	return q;
}

/* ---- what a credential raises, listed once per query ---- */

/* One step of credential c's skills through the taxonomy: skill u at
 * level lv shows s at v. A credential's steps are sorted by s, then v
 * from the highest, so the first step to s the learner gains from (lv
 * above what they hold in u) is the most c raises s to. */
typedef struct step {
	uint32_t s, u;
	double v;
	uint8_t lv;
} step;

typedef struct steps {
	step *v;
	size_t n, cap;
	uint32_t *off, *cnt; /* per credential; cnt UINT32_MAX until made */
} steps;

static int cmp_step(const void *a, const void *b)
{
	const step *x = a, *y = b;
	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	if (x->v != y->v)
		return x->v > y->v ? -1 : 1;
	return x->u < y->u ? -1 : x->u > y->u;
}

/* c's steps: *out and their number; false when out of memory. */
static bool steps_of(const model *m, steps *st, uint32_t c, const step **out,
                     uint32_t *n)
{
	if (st->cnt[c] == UINT32_MAX) {
		size_t from = st->n;
		for (uint32_t j = m->cskill_off[c]; j < m->cskill_off[c + 1];
		     j++) {
			uint32_t u = m->cskill_skill[j];
			double lv = m->cskill_level[j];
			for (uint32_t k = m->spread_off[u];
			     k < m->spread_off[u + 1]; k++) {
				if (st->n == st->cap) {
					size_t cap =
					    st->cap ? 2 * st->cap : 1024;
					step *p =
					    realloc(st->v, cap * sizeof *p);
					if (!p)
						return false;
					st->v = p;
					st->cap = cap;
				}
				st->v[st->n++] =
				    (step){m->spread_to[k], u,
				           m->spread_factor[k] * lv,
				           m->cskill_level[j]};
			}
		}
		qsort(st->v + from, st->n - from, sizeof *st->v, cmp_step);
		st->off[c] = (uint32_t)from;
		st->cnt[c] = (uint32_t)(st->n - from);
	}
	*out = st->v + st->off[c];
	*n = st->cnt[c];
	return true;
}

/* Is the learner qualified for t with c earned, c completing no stack?
 * The same test as plan_qualified_after, with what c raises looked up in
 * its steps rather than spread out for every skill: a skill shows the
 * most c raises it to (from a skill c grants above the learner's level)
 * when that is more than base_have. */
static bool after_qualified(const model *m, const double *base_have,
                            const uint8_t *base_level, const uint8_t *held0,
                            uint32_t c, const step *cs, uint32_t ncs,
                            uint32_t t)
{
	for (uint32_t r = m->req_off[t]; r < REQ_END(m, t); r++) {
		if (!m->req_required[r])
			continue;
		bool met = false;
		for (uint32_t a = m->alt_off[r]; !met && a < ALT_END(m, r);
		     a++) {
			uint32_t s = m->alt_skill[a];
			double h = base_have[s];
			uint32_t lo = 0, hi = ncs;
			while (lo < hi) {
				uint32_t mid = lo + (hi - lo) / 2;
				if (cs[mid].s < s)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < ncs && cs[lo].s == s; lo++)
				if (cs[lo].lv > base_level[cs[lo].u]) {
					if (cs[lo].v > h)
						h = cs[lo].v;
					break;
				}
			met = h * (12 / m->alt_level[a]) >= 12;
		}
		if (!met)
			return false;
	}
	for (uint32_t k = m->creq_off[t]; k < CREQ_END(m, t); k++) {
		bool held = false;
		for (uint32_t a = m->creq_alt_off[k];
		     !held && a < CALT_END(m, k); a++)
			held = held0[m->creq_cred[a]] || m->creq_cred[a] == c;
		if (!held)
			return false;
	}
	return true;
}

/* ---- the (credential, posting) pairs reached so far ---- */

typedef struct pairset {
	uint64_t *v; /* key + 1; 0 is empty */
	size_t n, cap;
} pairset;

static size_t pair_slot(const pairset *p, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ULL;
	size_t i = (size_t)(h >> 20) & (p->cap - 1);
	while (p->v[i] && p->v[i] != key + 1)
		i = (i + 1) & (p->cap - 1);
	return i;
}

static bool pair_has(const pairset *p, uint32_t c, uint32_t t)
{
	return p->cap && p->v[pair_slot(p, (uint64_t)c << 32 | t)] != 0;
}

/* Adds (c, t), known to be absent; false when out of memory. */
static bool pair_add(pairset *p, uint32_t c, uint32_t t)
{
	if (2 * (p->n + 1) > p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 4096;
		uint64_t *v = calloc(cap, sizeof *v);
		if (!v)
			return false;
		pairset q = {v, p->n, cap};
		for (size_t i = 0; i < p->cap; i++)
			if (p->v[i])
				v[pair_slot(&q, p->v[i] - 1)] = p->v[i];
		free(p->v);
		*p = q;
	}
	uint64_t key = (uint64_t)c << 32 | t;
	p->v[pair_slot(p, key)] = key + 1;
	p->n++;
	return true;
}

/* ---- the view ---- */

typedef struct tkey {
	uint32_t key, t;
} tkey;

static int cmp_tkey(const void *a, const void *b)
{
	const tkey *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

static _Thread_local const char *const *sort_soc;
static int cmp_by_soc(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return cmp_soc(sort_soc[x], sort_soc[y]);
}

static int cmp_occ(const void *a, const void *b)
{
	const pw_demand_occ *x = a, *y = b;
	if (x->openings != y->openings)
		return x->openings > y->openings ? -1 : 1;
	if (x->has_median_wage != y->has_median_wage)
		return x->has_median_wage ? -1 : 1; /* unknown last */
	/* as reported (SPEC §9): to the tenth */
	double wx = num_round(x->median_annual_wage, 1),
	       wy = num_round(y->median_annual_wage, 1);
	if (x->has_median_wage && wx != wy)
		return wx > wy ? -1 : 1;
	return cmp_soc(x->soc, y->soc);
}

static int cmp_skill(const void *a, const void *b)
{
	const pw_demand_skill *x = a, *y = b;
	if (x->gap != y->gap)
		return x->gap > y->gap ? -1 : 1;
	if (x->demand != y->demand)
		return x->demand > y->demand ? -1 : 1;
	return strcmp(x->skill, y->skill);
}

static int cmp_program(const void *a, const void *b)
{
	const pw_demand_program *x = a, *y = b;
	if (x->learners_unlocked != y->learners_unlocked)
		return x->learners_unlocked > y->learners_unlocked ? -1 : 1;
	if (x->openings_reached != y->openings_reached)
		return x->openings_reached > y->openings_reached ? -1 : 1;
	if (x->hours != y->hours)
		return x->hours < y->hours ? -1 : 1;
	return strcmp(x->credential, y->credential);
}

/* One group of postings of the same soc: rt[a..b). */
static bool occ_row(const model *m, const uint32_t *rt, size_t a, size_t b,
                    const char *const *soc, const outlook *outlooks,
                    double *wages, const char **names, arena *mem,
                    pw_demand_occ *o)
{
	bool oom = false;
	memset(o, 0, sizeof *o);
	o->soc = arena_keep(mem, soc[rt[a]], &oom);
	size_t nw = 0, nn = 0;
	for (size_t i = a; i < b; i++) {
		uint32_t t = rt[i];
		o->openings += m->t_openings[t];
		o->postings++;
		if (!isnan(m->t_wage[t]))
			wages[nw++] = m->t_wage[t];
		if (m->t_employer[t])
			names[nn++] = m->t_employer[t];
	}
	qsort(names, nn, sizeof *names, cmp_str);
	for (size_t i = 0; i < nn; i++)
		o->employers += i == 0 || strcmp(names[i - 1], names[i]) != 0;
	if (nw) {
		qsort(wages, nw, sizeof *wages, cmp_double);
		o->has_median_wage = true;
		o->median_annual_wage =
		    nw % 2 ? wages[nw / 2]
		           : (wages[nw / 2 - 1] + wages[nw / 2]) / 2;
	}
	if (o->soc) {
		int64_t ot = model_target(m, o->soc);
		if (ot >= 0 && m->t_occ[ot]) {
			const outlook *x = &outlooks[ot];
			o->has_growth = x->has_growth;
			o->growth_pct = x->growth;
			o->has_outlook_openings = x->has_openings;
			o->outlook_openings = x->openings;
		}
	}
	return !oom;
}

/* ---- the learners' pass, in parallel ----
 *
 * Learners are independent but for what programs add up, so workers share
 * the region's learners out in chunks, each with its scorer, its memos
 * and its own tallies: learners unlocked and supply per worker are summed
 * afterwards, and openings reached are counted over the union of the
 * (credential, posting) pairs the workers reached. */

/* What every worker reads: made before the pass, never written in it. */
typedef struct dshared {
	const model *m;
	pw_date as_of;
	const uint8_t *treg, *sneed, *twrit, *rsk_need;
	const uint32_t *nreqd, *maxclose, *bkey, *rsk_off, *rsk_key, *rsk_t;
	const tkey *blist;
	size_t nb;
	uint32_t maxreq;
	const uint32_t *ls; /* the region's learners */
	size_t nls, chunk;  /* taken chunk learners at a time */
	_Atomic size_t next;
	_Atomic bool failed;
} dshared;

typedef struct dwork {
	dshared *sh;
	scorer own_sc; /* the workers' scorers; the caller's is its handle's */
	bool own_sc_ready;
	scorer *sc;
	dctx d;
	steps stp;
	uint32_t *tstamp, *nom, *tmet, *tmet_stamp, *hits, tmark, umark;
	uint8_t *held0, *base_level, *eok;
	double *base_have;
	uint32_t *bt, *bl, *bh, *estamp, *chead, *clist;
	uint32_t *wc_off, *wc_n; /* the shared witness of a posting */
	u32vec wpool;
	uint64_t *pairs;
	size_t cpairs;
	pairset reached;
	size_t *unlocked, *ssupply; /* this worker's tallies */
	req_eval *ev;
	geo_range rgs[GEO_MAX_RANGES];
	geo_span sp[GEO_MAX_RANGES + 1];
	pthread_t tid;
	pw_status st;
	pw_error err;
} dwork;

static void dwork_release(dwork *w)
{
	if (w->own_sc_ready)
		scorer_release(&w->own_sc);
	free(w->d.cand);
	free(w->d.cstamp);
	free(w->d.memo_off);
	free(w->d.memo_n);
	free(w->d.req_n);
	free(w->d.xstamp);
	free(w->d.fstamp);
	free(w->d.memo_pool.v);
	free(w->stp.v);
	free(w->stp.off);
	free(w->stp.cnt);
	free(w->tstamp);
	free(w->nom);
	free(w->tmet);
	free(w->tmet_stamp);
	free(w->hits);
	free(w->held0);
	free(w->base_level);
	free(w->eok);
	free(w->base_have);
	free(w->bt);
	free(w->bl);
	free(w->bh);
	free(w->estamp);
	free(w->chead);
	free(w->clist);
	free(w->wc_off);
	free(w->wc_n);
	free(w->wpool.v);
	free(w->pairs);
	free(w->reached.v);
	free(w->unlocked);
	free(w->ssupply);
	free(w->ev);
}

/* A worker's memory; sc NULL: a scorer of its own. False when out of
 * memory (what was made is released by dwork_release). */
static bool dwork_init(dwork *w, dshared *sh, scorer *sc)
{
	const model *m = sh->m;
	size_t nt = (size_t)m->ntargets + 1, ns = (size_t)m->nskills + 1;
	size_t nc = (size_t)m->ncreds + 1;
	w->sh = sh;
	if (!sc) {
		pw_error err;
		if (scorer_init(&w->own_sc, m, &err))
			return false;
		w->own_sc_ready = true;
		sc = &w->own_sc;
	}
	w->sc = sc;
	w->d = (dctx){.m = m, .sc = sc};
	w->d.cand = malloc(nc * sizeof *w->d.cand);
	w->d.cstamp = calloc(nc, sizeof *w->d.cstamp);
	w->d.memo_off = malloc(ns * 5 * sizeof *w->d.memo_off);
	w->d.memo_n = malloc(ns * 5 * sizeof *w->d.memo_n);
	w->d.req_n = malloc(((size_t)m->nreq + 1) * sizeof *w->d.req_n);
	w->d.xstamp = calloc(nc, sizeof *w->d.xstamp);
	w->d.fstamp = calloc(nc, sizeof *w->d.fstamp);
	w->stp.off = malloc(nc * sizeof *w->stp.off);
	w->stp.cnt = malloc(nc * sizeof *w->stp.cnt);
	w->tstamp = calloc(nt, sizeof *w->tstamp);
	w->nom = malloc(nt * sizeof *w->nom);
	w->tmet = malloc(nt * sizeof *w->tmet);
	w->tmet_stamp = calloc(nt, sizeof *w->tmet_stamp);
	w->hits = malloc(nt * sizeof *w->hits);
	w->held0 = calloc(nc, 1);
	w->base_level = calloc(ns, 1);
	w->eok = calloc(nc, 1);
	w->base_have = calloc(ns, sizeof *w->base_have);
	w->bt = malloc(ns * sizeof *w->bt);
	w->bl = malloc(ns * sizeof *w->bl);
	w->bh = malloc(nc * sizeof *w->bh);
	w->estamp = calloc(nc, sizeof *w->estamp);
	w->chead = malloc(nc * sizeof *w->chead);
	w->clist = malloc(nc * sizeof *w->clist);
	w->wc_off = malloc(nt * sizeof *w->wc_off);
	w->wc_n = malloc(nt * sizeof *w->wc_n);
	w->unlocked = calloc(nc, sizeof *w->unlocked);
	w->ssupply = calloc(ns, sizeof *w->ssupply);
	w->ev = malloc(((size_t)sh->maxreq + 1) * sizeof *w->ev);
	if (!w->d.cand || !w->d.cstamp || !w->d.memo_off || !w->d.memo_n ||
	    !w->d.req_n || !w->d.xstamp || !w->d.fstamp || !w->stp.off ||
	    !w->stp.cnt || !w->tstamp || !w->nom || !w->tmet ||
	    !w->tmet_stamp || !w->hits || !w->held0 || !w->base_level ||
	    !w->eok || !w->base_have || !w->bt || !w->bl || !w->bh ||
	    !w->estamp || !w->chead || !w->clist || !w->wc_off || !w->wc_n ||
	    !w->unlocked || !w->ssupply || !w->ev)
		return false;
	memset(w->d.memo_n, 0xff, ns * 5 * sizeof *w->d.memo_n);
	memset(w->d.req_n, 0xff, ((size_t)m->nreq + 1) * sizeof *w->d.req_n);
	memset(w->stp.cnt, 0xff, nc * sizeof *w->stp.cnt);
	memset(w->wc_n, 0xff, nt * sizeof *w->wc_n);
	return true;
}

/* One learner of the region: supply, and the credentials that would
 * newly qualify them for a nominated posting. False when out of memory. */
static bool demand_learner(dwork *w, uint32_t l)
{
	const dshared *sh = w->sh;
	const model *m = sh->m;
	scorer *sc = w->sc;
	dctx *d = &w->d;
	scorer_set(sc, l, sh->as_of, NULL, 0);
	/* supply: the learner shows the level most postings ask */
	for (uint32_t i = 0; i < sc->ntouched; i++) {
		uint32_t s = sc->touched[i];
		if (sh->sneed[s] && sc->have[s] >= sh->sneed[s])
			w->ssupply[s]++;
	}
	/* nominate: postings with a required requirement met, and those a
	 * credential closes alone; in range, open, in the region */
	uint32_t tmark = ++w->tmark;
	size_t nnom = 0, nhits = 0;
	size_t nr = geo_ranges(&m->l_home[l], m->l_max_commute[l], w->rgs);
#define NOMINATE(t_)                                                           \
	do {                                                                   \
		uint32_t t__ = (t_);                                           \
		if (sh->treg[t__] && w->tstamp[t__] != tmark) {                \
			w->tstamp[t__] = tmark;                                \
			w->nom[nnom++] = t__;                                  \
		}                                                              \
	} while (0)
	for (uint32_t i = 0; i < sc->ntouched; i++) {
		uint32_t s = sc->touched[i];
		double h = sc->have[s];
		size_t nsp = geo_spans(sh->rsk_key, sh->rsk_off[s],
		                       sh->rsk_off[s + 1], w->rgs, nr, w->sp);
		for (size_t k = 0; k < nsp; k++)
			for (uint32_t j = w->sp[k].a; j < w->sp[k].b; j++)
				if (h * (12 / sh->rsk_need[j]) >= 12) {
					uint32_t t = sh->rsk_t[j];
					if (w->tmet_stamp[t] != tmark) {
						w->tmet_stamp[t] = tmark;
						w->tmet[t] = 0;
						w->hits[nhits++] = t;
					}
					w->tmet[t]++;
				}
	}
	/* met counts an any_of requirement once per alternative met: a
	 * bound from above, as nomination needs */
	for (size_t i = 0; i < nhits; i++) {
		uint32_t t = w->hits[i];
		if (w->tmet[t] >= sh->nreqd[t] ||
		    sh->nreqd[t] - w->tmet[t] <= sh->maxclose[t])
			NOMINATE(t);
	}
	/* written in place: their postings may be stale */
	for (uint32_t i = 0; i < m->t_written.n; i++)
		NOMINATE(m->t_written.v[i]);
	size_t nsp =
	    geo_spans(sh->bkey, 0, (uint32_t)sh->nb, w->rgs, nr, w->sp);
	for (size_t k = 0; k < nsp; k++)
		for (uint32_t j = w->sp[k].a; j < w->sp[k].b; j++)
			NOMINATE(sh->blist[j].t);
#undef NOMINATE

	/* the learner as they are, kept while the scorer tries credentials */
	uint32_t nbt = sc->ntouched, nbl = sc->nleveled, nbh = sc->nheld;
	memcpy(w->bt, sc->touched, nbt * sizeof *w->bt);
	memcpy(w->bl, sc->leveled, nbl * sizeof *w->bl);
	memcpy(w->bh, sc->held_list, nbh * sizeof *w->bh);
	for (uint32_t i = 0; i < nbt; i++)
		w->base_have[w->bt[i]] = sc->have[w->bt[i]];
	for (uint32_t i = 0; i < nbl; i++)
		w->base_level[w->bl[i]] = sc->level[w->bl[i]];
	for (uint32_t i = 0; i < nbh; i++)
		w->held0[w->bh[i]] = 1;

	/* the witness of each unqualified one names the credentials that may
	 * close it: pairs (credential, posting), chained per credential
	 * earnable now */
	uint32_t umark = ++w->umark;
	size_t npairs = 0;
	uint32_t ncl = 0;
	bool ok = true;
	for (size_t i = 0; ok && i < nnom; i++) {
		uint32_t t = w->nom[i];
		bool hd;
		double dist;
		/* remote postings are in range: no distance needed */
		if (!m->t_remote[t] &&
		    !geo_in_range(&m->l_home[l], m->l_max_commute[l],
		                  &m->t_loc[t], false, &hd, &dist))
			continue;
		const uint32_t *cand;
		uint32_t ncand;
		if (sh->nreqd[t] && w->tmet_stamp[t] != tmark &&
		    !sh->twrit[t]) {
			/* the learner meets no required requirement of t
			 * (else its postings by skill would have found it):
			 * not qualified, and the witness is the same for
			 * every such learner, made once */
			if (w->wc_n[t] == UINT32_MAX) {
				witness(d, t, NULL);
				w->wc_off[t] = w->wpool.n;
				for (uint32_t k = 0; ok && k < d->ncand; k++)
					ok = u32vec_push(&w->wpool, d->cand[k]);
				w->wc_n[t] = d->ncand;
			}
			cand = w->wpool.v + w->wc_off[t];
			ncand = w->wc_n[t];
		} else {
			if (base_qualified(sc, t, w->ev))
				continue;
			witness(d, t, w->ev);
			cand = d->cand;
			ncand = d->ncand;
		}
		for (uint32_t k = 0; ok && k < ncand; k++) {
			uint32_t c = cand[k];
			if (w->estamp[c] != umark) {
				w->estamp[c] = umark;
				w->eok[c] =
				    plan_earnable_now(m, l, w->held0, c);
				if (w->eok[c]) {
					w->chead[c] = UINT32_MAX;
					w->clist[ncl++] = c;
				}
			}
			if (!w->eok[c])
				continue;
			if (npairs == w->cpairs) {
				size_t n2 = w->cpairs ? 2 * w->cpairs : 256;
				uint64_t *p = realloc(w->pairs, n2 * sizeof *p);
				if (!p) {
					ok = false;
					break;
				}
				w->pairs = p;
				w->cpairs = n2;
			}
			/* the posting, and the previous pair of c */
			w->pairs[npairs] = (uint64_t)w->chead[c] << 32 | t;
			w->chead[c] = (uint32_t)npairs++;
		}
	}
	ok = ok && !d->oom;
	for (uint32_t ci = 0; ok && ci < ncl; ci++) {
		uint32_t c = w->clist[ci];
		if (w->chead[c] == UINT32_MAX)
			continue;
		bool full = plan_completes_stack(m, w->held0, c);
		const step *cs = NULL;
		uint32_t ncs = 0;
		if (full)
			scorer_set(sc, l, sh->as_of, &c, 1);
		else if (!steps_of(m, &w->stp, c, &cs, &ncs)) {
			ok = false;
			break;
		}
		/* first the pairs this worker has not reached yet: each one
		 * found joins the reached set; then, while this learner is
		 * not yet counted for c, the others, until one holds. Nothing
		 * else about a reached pair of a counted learner can change
		 * the answer. */
		bool counted = false;
		for (int pass = 0; ok && pass < 2 && !counted; pass++)
			for (uint32_t k = w->chead[c]; k != UINT32_MAX;
			     k = (uint32_t)(w->pairs[k] >> 32)) {
				uint32_t t = (uint32_t)w->pairs[k];
				if (pair_has(&w->reached, c, t) != pass)
					continue;
				bool q =
				    full ? scorer_eval(sc, t, NULL).qualified
				         : after_qualified(
				               m, w->base_have, w->base_level,
				               w->held0, c, cs, ncs, t);
				if (!q)
					continue;
				counted = true;
				if (pass == 1)
					break;
				if (!pair_add(&w->reached, c, t)) {
					ok = false;
					break;
				}
			}
		w->unlocked[c] += counted;
	}
	for (uint32_t i = 0; i < nbt; i++)
		w->base_have[w->bt[i]] = 0;
	for (uint32_t i = 0; i < nbl; i++)
		w->base_level[w->bl[i]] = 0;
	for (uint32_t i = 0; i < nbh; i++)
		w->held0[w->bh[i]] = 0;
	return ok;
}

/* Takes chunks of the region's learners until none is left or a worker
 * failed. */
static void demand_share(dwork *w)
{
	dshared *sh = w->sh;
	while (!atomic_load(&sh->failed)) {
		size_t i = atomic_fetch_add(&sh->next, sh->chunk);
		if (i >= sh->nls)
			break;
		size_t end = i + sh->chunk < sh->nls ? i + sh->chunk : sh->nls;
		for (; i < end; i++)
			if (!demand_learner(w, sh->ls[i])) {
				w->st = PW_ERR_NOMEM;
				atomic_store(&sh->failed, true);
				return;
			}
	}
}

static void *demand_thread(void *arg)
{
	demand_share(arg);
	return NULL;
}

static pw_status demand_locked(pw_engine *e, const pw_demand_opts *o,
                               pw_demand **out, pw_error *err)
{
	const model *m;
	scorer *sc;
	pw_status st;
	if ((st = engine_model(e, &m, err)) ||
	    (st = engine_scorer(e, m, &sc, err)))
		return st;
	const pw_region *rg0 = o->region;
	pw_date as_of = o->as_of;
	size_t nt = (size_t)m->ntargets + 1, ns = (size_t)m->nskills + 1;
	size_t nc = (size_t)m->ncreds + 1;
	bool oom = false;

	struct pw_demand_res *res = calloc(1, sizeof *res);
	const char **soc = calloc(nt, sizeof *soc);
	outlook *outlooks = calloc(nt, sizeof *outlooks);
	uint32_t *rt = malloc(nt * sizeof *rt); /* the region's open jobs */
	uint8_t *treg = calloc(nt, 1);
	double *wages = malloc(nt * sizeof *wages);
	const char **names = malloc(nt * sizeof *names);
	long long *sdemand = calloc(ns, sizeof *sdemand);
	uint32_t *slevels = calloc(ns * 5, sizeof *slevels);
	uint8_t *sneed = calloc(ns, 1);
	size_t *ssupply = calloc(ns, sizeof *ssupply);
	tkey *blist = malloc(nt * sizeof *blist);
	uint32_t *bkey = malloc(nt * sizeof *bkey);
	size_t *unlocked = calloc(nc, sizeof *unlocked);
	uint32_t *nreqd = calloc(nt, sizeof *nreqd);
	uint32_t *maxclose = calloc(nt, sizeof *maxclose);
	uint32_t *ccount = malloc(nc * sizeof *ccount);
	uint8_t *twrit = calloc(nt, 1);
	uint32_t *rsk_off = malloc(ns * sizeof *rsk_off), *rsk_key = NULL,
	         *rsk_t = NULL;
	uint8_t *rsk_need = NULL;
	uint32_t *ls = malloc(((size_t)m->nlearners + 1) * sizeof *ls);
	long long *oreach = calloc(nc, sizeof *oreach);
	dshared sh = {.m = m, .as_of = as_of};
	size_t nw = 0; /* workers to release, the caller's first */
	dwork *works = NULL;
	if (!res || !soc || !outlooks || !rt || !treg || !wages || !names ||
	    !sdemand || !slevels || !sneed || !ssupply || !blist || !bkey ||
	    !unlocked || !nreqd || !maxclose || !ccount || !twrit || !rsk_off ||
	    !ls || !oreach)
		goto oom;
	for (uint32_t i = 0; i < m->t_written.n; i++)
		twrit[m->t_written.v[i]] = 1;
	arena *mem = &res->mem;
	pw_demand *dm = &res->pub;
	dm->as_of = as_of;
	if (rg0 && !(dm->region = region_copy(mem, rg0, &oom)))
		goto oom;

	scan_ctx sx = {m, mem, soc, outlooks, false};
	if ((st = store_scan(e->st, SCAN_JOB_SOC, soc_row, &sx, err)) ||
	    (st = store_scan(e->st, SCAN_OCC_OUTLOOK, outlook_row, &sx, err)))
		goto out;
	if (sx.oom)
		goto oom;

	/* the region's open postings (remote ones are in every region) and
	 * its learners */
	size_t nrt = 0;
	sh.maxreq = 1;
	for (uint32_t t = 0; t < m->ntargets; t++) {
		if (m->t_occ[t] || m->t_deleted[t] ||
		    !engine_target_open(m, t, as_of) ||
		    (!m->t_remote[t] && !region_has(rg0, &m->t_loc[t])))
			continue;
		treg[t] = 1;
		rt[nrt++] = t;
		if (m->req_cnt[t] > sh.maxreq)
			sh.maxreq = m->req_cnt[t];
	}
	for (uint32_t l = 0; l < m->nlearners; l++)
		if (region_has(rg0, &m->l_home[l]))
			ls[sh.nls++] = l;

	/* the workers: the caller's first, whose memos serve the first
	 * passes too */
	size_t nthreads = engine_workers(sh.nls, 64);
	if (!(works = calloc(nthreads + 1, sizeof *works)))
		goto oom;
	nw = nthreads + 1;
	if (!dwork_init(&works[0], &sh, sc))
		goto oom;
	dctx *d = &works[0].d;

	/* occupations: postings grouped by soc */
	{
		uint32_t *byso = malloc((nrt + 1) * sizeof *byso);
		if (!byso)
			goto oom;
		memcpy(byso, rt, nrt * sizeof *byso);
		sort_soc = soc;
		qsort(byso, nrt, sizeof *byso, cmp_by_soc);
		size_t ngroups = 0;
		for (size_t i = 0; i < nrt; i++)
			ngroups += i == 0 ||
			           cmp_soc(soc[byso[i - 1]], soc[byso[i]]) != 0;
		dm->occupations =
		    arena_alloc(mem, (ngroups + 1) * sizeof *dm->occupations);
		if (!dm->occupations) {
			free(byso);
			goto oom;
		}
		for (size_t a = 0; a < nrt;) {
			size_t b = a + 1;
			while (b < nrt &&
			       cmp_soc(soc[byso[a]], soc[byso[b]]) == 0)
				b++;
			if (!occ_row(m, byso, a, b, soc, outlooks, wages, names,
			             mem, &dm->occupations[dm->nocc++])) {
				free(byso);
				goto oom;
			}
			a = b;
		}
		free(byso);
		qsort(dm->occupations, dm->nocc, sizeof *dm->occupations,
		      cmp_occ);
	}

	/* skills: what the postings require, plainly (an any_of requirement
	 * counts for none of its skills) */
	for (size_t i = 0; i < nrt; i++) {
		uint32_t t = rt[i];
		for (uint32_t r = m->req_off[t]; r < REQ_END(m, t); r++) {
			if (!m->req_required[r] || m->req_any[r] ||
			    m->alt_cnt[r] != 1)
				continue;
			uint32_t a = m->alt_off[r], s = m->alt_skill[a];
			sdemand[s] += m->t_openings[t];
			slevels[(size_t)s * 5 + m->alt_level[a]]++;
		}
	}
	for (uint32_t s = 0; s < m->nskills; s++)
		for (int lv = 4; lv >= 1; lv--)
			if (slevels[(size_t)s * 5 + lv] >
			    slevels[(size_t)s * 5 + sneed[s]])
				sneed[s] = (uint8_t)lv;

	/* programs, first, per posting: its required requirements, and the
	 * most of them one credential (with the stacks it may complete)
	 * could meet. A learner who meets fewer than the difference is never
	 * unlocked for it. Postings one credential could close alone, for a
	 * learner who meets none, are listed by the grid key of their place. */
	size_t nb = 0;
	for (size_t i = 0; i < nrt; i++) {
		uint32_t t = rt[i];
		uint32_t nq = 0;
		for (uint32_t r = m->req_off[t]; r < REQ_END(m, t); r++)
			nq += m->req_required[r];
		nreqd[t] = nq;
		uint32_t best = 0;
		if (nq) {
			/* how many required requirements each credential
			 * meets: c (with the stacks above it) meets r exactly
			 * when it is in the meeting list of one of r's
			 * alternatives, so counting the lists, once per
			 * requirement, gives what c alone could close */
			const uint32_t *li;
			d->cmark++;
			d->ncand = 0;
			for (uint32_t r = m->req_off[t]; r < REQ_END(m, t);
			     r++) {
				if (!m->req_required[r])
					continue;
				d->xmark++;
				for (uint32_t a = m->alt_off[r];
				     a < ALT_END(m, r); a++) {
					uint32_t n =
					    meeting(d, m->alt_skill[a],
					            m->alt_level[a], &li);
					for (uint32_t k = 0; k < n; k++) {
						uint32_t c = li[k];
						if (d->xstamp[c] == d->xmark)
							continue;
						d->xstamp[c] = d->xmark;
						if (d->cstamp[c] != d->cmark) {
							d->cstamp[c] = d->cmark;
							ccount[c] = 0;
						}
						if (++ccount[c] > best)
							best = ccount[c];
					}
				}
			}
		}
		maxclose[t] = best;
		/* with no required requirement, only credentials can be
		 * missing (else everyone qualifies) */
		if (nq ? best == nq : m->creq_cnt[t] > 0)
			blist[nb++] =
			    (tkey){geo_key(&m->t_loc[t], m->t_remote[t]), t};
	}
	if (d->oom)
		goto oom;
	qsort(blist, nb, sizeof *blist, cmp_tkey);
	for (size_t i = 0; i < nb; i++)
		bkey[i] = blist[i].key;

	/* the postings by skill, cut to the required requirements of the
	 * region's open postings, in the same order (by skill, then key) */
	{
		uint32_t n = 0;
		for (uint32_t j = 0; j < m->sk_target_off[m->nskills]; j++)
			n += (m->sk_target_w[j] & POST_REQUIRED) &&
			     treg[m->sk_target[j]];
		rsk_key = malloc(((size_t)n + 1) * sizeof *rsk_key);
		rsk_t = malloc(((size_t)n + 1) * sizeof *rsk_t);
		rsk_need = malloc((size_t)n + 1);
		if (!rsk_key || !rsk_t || !rsk_need)
			goto oom;
		n = 0;
		for (uint32_t s = 0; s < m->nskills; s++) {
			rsk_off[s] = n;
			for (uint32_t j = m->sk_target_off[s];
			     j < m->sk_target_off[s + 1]; j++) {
				uint32_t t = m->sk_target[j];
				if (!(m->sk_target_w[j] & POST_REQUIRED) ||
				    !treg[t])
					continue;
				rsk_key[n] = m->sk_target_key[j];
				rsk_t[n] = t;
				rsk_need[n++] = m->sk_target_need[j];
			}
		}
		rsk_off[m->nskills] = n;
	}

	/* the learners, shared out */
	sh.treg = treg;
	sh.sneed = sneed;
	sh.twrit = twrit;
	sh.rsk_need = rsk_need;
	sh.nreqd = nreqd;
	sh.maxclose = maxclose;
	sh.bkey = bkey;
	sh.rsk_off = rsk_off;
	sh.rsk_key = rsk_key;
	sh.rsk_t = rsk_t;
	sh.blist = blist;
	sh.nb = nb;
	sh.ls = ls;
	/* chunks of 16, smaller when that would leave a worker idle */
	sh.chunk = sh.nls / (4 * (nthreads + 1));
	sh.chunk = sh.chunk < 1 ? 1 : sh.chunk > 16 ? 16 : sh.chunk;
	size_t ready = 1;
	while (ready <= nthreads && dwork_init(&works[ready], &sh, NULL))
		ready++; /* short of memory, fewer workers do it */
	size_t started = 1;
	for (; started < ready; started++)
		if (pthread_create(&works[started].tid, NULL, demand_thread,
		                   &works[started]))
			break; /* the caller's thread does the rest */
	demand_share(&works[0]);
	for (size_t i = 1; i < started; i++)
		pthread_join(works[i].tid, NULL);
	for (size_t i = 0; i < started; i++)
		if (works[i].st)
			goto oom;

	/* the workers' tallies, and the openings of the union of the pairs
	 * they reached */
	pairset *all = &works[0].reached;
	for (size_t i = 0; i < started; i++) {
		const dwork *w = &works[i];
		for (size_t s = 0; s < ns; s++)
			ssupply[s] += w->ssupply[s];
		for (size_t c = 0; c < nc; c++)
			unlocked[c] += w->unlocked[c];
		for (size_t k = 0; k < w->reached.cap; k++) {
			uint64_t v = w->reached.v[k];
			if (!v)
				continue;
			uint32_t c = (uint32_t)((v - 1) >> 32),
			         t = (uint32_t)(v - 1);
			if (i) {
				if (pair_has(all, c, t))
					continue;
				if (!pair_add(all, c, t))
					goto oom;
			}
			oreach[c] += m->t_openings[t];
		}
	}

	/* skills, in order */
	size_t nsk = 0;
	for (uint32_t s = 0; s < m->nskills; s++)
		nsk += sdemand[s] > 0 || sneed[s] > 0;
	dm->skills = arena_alloc(mem, (nsk + 1) * sizeof *dm->skills);
	if (!dm->skills)
		goto oom;
	for (uint32_t s = 0; s < m->nskills; s++) {
		if (!sneed[s])
			continue;
		pw_demand_skill *k = &dm->skills[dm->nskills++];
		k->skill = arena_keep(mem, m->skill_id[s], &oom);
		k->name = arena_keep(mem, m->skill_name[s], &oom);
		k->demand = sdemand[s];
		k->need = sneed[s];
		k->supply = ssupply[s];
		k->gap = sdemand[s] - (long long)ssupply[s];
	}
	qsort(dm->skills, dm->nskills, sizeof *dm->skills, cmp_skill);

	/* programs: openings of the distinct postings each one unlocks */
	size_t nprog = 0;
	for (uint32_t c = 0; c < m->ncreds; c++)
		nprog += unlocked[c] > 0;
	dm->programs = arena_alloc(mem, (nprog + 1) * sizeof *dm->programs);
	if (!dm->programs)
		goto oom;
	for (uint32_t c = 0; c < m->ncreds; c++) {
		if (!unlocked[c])
			continue;
		pw_demand_program *p = &dm->programs[dm->nprograms++];
		p->credential = arena_keep(mem, m->cred_id[c], &oom);
		p->name = arena_keep(mem, m->cred_name[c], &oom);
		p->learners_unlocked = unlocked[c];
		p->openings_reached = oreach[c];
		p->hours = m->cred_hours[c];
		p->cost = m->cred_cost[c];
	}
	qsort(dm->programs, dm->nprograms, sizeof *dm->programs, cmp_program);
	if (oom)
		goto oom;
	*out = dm;
	res = NULL;
	st = PW_OK;
	goto out;
oom:
	st = pw_oom(err);
out:
	for (size_t i = 0; i < nw; i++)
		dwork_release(&works[i]);
	free(works);
	free(soc);
	free(outlooks);
	free(rt);
	free(treg);
	free(wages);
	free(names);
	free(sdemand);
	free(slevels);
	free(sneed);
	free(ssupply);
	free(blist);
	free(bkey);
	free(unlocked);
	free(nreqd);
	free(maxclose);
	free(ccount);
	free(twrit);
	free(rsk_off);
	free(rsk_key);
	free(rsk_t);
	free(rsk_need);
	free(ls);
	free(oreach);
	if (res)
		pw_demand_free(&res->pub);
	return st;
}

/* The model is read under the shared lock, released on every path. */
pw_status pw_demand_compute(pw_engine *e, const pw_demand_opts *o,
                            pw_demand **out, pw_error *err)
{
	pw_status st = demand_locked(e, o, out, err);
	engine_done(e);
	return st;
}

void pw_demand_free(pw_demand *d)
{
	if (!d)
		return;
	struct pw_demand_res *r = (struct pw_demand_res *)d;
	arena_release(&r->mem);
	free(r);
}

char *pw_demand_json(const pw_demand *d, unsigned flags)
{
	jsonw w;
	jw_init(&w, flags);
	jw_obj(&w);
	jw_key(&w, "region");
	region_json(&w, d->region);
	jw_key(&w, "as_of");
	jw_date(&w, d->as_of);
	jw_key(&w, "occupations");
	jw_arr(&w);
	for (size_t i = 0; i < d->nocc; i++) {
		const pw_demand_occ *o = &d->occupations[i];
		jw_obj(&w);
		jw_key(&w, "soc");
		jw_str(&w, o->soc);
		jw_key(&w, "openings");
		jw_int(&w, o->openings);
		jw_key(&w, "postings");
		jw_int(&w, (long long)o->postings);
		jw_key(&w, "employers");
		jw_int(&w, (long long)o->employers);
		jw_key(&w, "median_annual_wage");
		if (o->has_median_wage)
			jw_real(&w, num_round(o->median_annual_wage, 1));
		else
			jw_null(&w);
		jw_key(&w, "growth_pct");
		if (o->has_growth)
			jw_real(&w, o->growth_pct);
		else
			jw_null(&w);
		jw_key(&w, "outlook_openings");
		if (o->has_outlook_openings)
			jw_int(&w, o->outlook_openings);
		else
			jw_null(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "skills");
	jw_arr(&w);
	for (size_t i = 0; i < d->nskills; i++) {
		const pw_demand_skill *s = &d->skills[i];
		jw_obj(&w);
		jw_key(&w, "skill");
		jw_str(&w, s->skill);
		jw_key(&w, "name");
		jw_str(&w, s->name);
		jw_key(&w, "demand");
		jw_int(&w, s->demand);
		jw_key(&w, "need");
		jw_int(&w, s->need);
		jw_key(&w, "supply");
		jw_int(&w, (long long)s->supply);
		jw_key(&w, "gap");
		jw_int(&w, s->gap);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "programs");
	jw_arr(&w);
	for (size_t i = 0; i < d->nprograms; i++) {
		const pw_demand_program *p = &d->programs[i];
		jw_obj(&w);
		jw_key(&w, "credential");
		jw_str(&w, p->credential);
		jw_key(&w, "name");
		jw_str(&w, p->name);
		jw_key(&w, "learners_unlocked");
		jw_int(&w, (long long)p->learners_unlocked);
		jw_key(&w, "openings_reached");
		jw_int(&w, p->openings_reached);
		jw_key(&w, "hours");
		jw_real(&w, p->hours);
		jw_key(&w, "cost");
		jw_real(&w, p->cost);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	return jw_finish(&w);
}
