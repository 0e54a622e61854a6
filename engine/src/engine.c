/* engine.c - the public entry points: opening a store, listing and showing
 * entities, and the match, explain and candidates queries of SPEC §4. The
 * JSON documents of SPEC §8 are rendered here, once, for every front end. */
/* glibc's writer-preferring rwlock kind is a GNU extension */
#define _GNU_SOURCE
#include "extract.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- handle ---- */

static shared *shared_new(void)
{
	shared *sh = calloc(1, sizeof *sh);
	if (!sh)
		return NULL;
	pthread_rwlockattr_t attr;
	pthread_rwlockattr_init(&attr);
#ifdef __GLIBC__
	/* writers must not starve under a steady stream of readers */
	pthread_rwlockattr_setkind_np(
	    &attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
	if (pthread_rwlock_init(&sh->lock, &attr) ||
	    pthread_mutex_init(&sh->refs_lock, NULL)) {
		pthread_rwlockattr_destroy(&attr);
		free(sh);
		return NULL;
	}
	pthread_rwlockattr_destroy(&attr);
	sh->refs = 1;
	sh->version = -1;
	return sh;
}

static void shared_release(shared *sh)
{
	pthread_mutex_lock(&sh->refs_lock);
	int left = --sh->refs;
	pthread_mutex_unlock(&sh->refs_lock);
	if (left)
		return;
	model_free(sh->m);
	extractor_free(sh->x);
	pthread_rwlock_destroy(&sh->lock);
	pthread_mutex_destroy(&sh->refs_lock);
	free(sh);
}

pw_status pw_open(const char *path, unsigned flags, pw_engine **out,
                  pw_error *err)
{
	pw_engine *e = calloc(1, sizeof *e);
	if (!e || !(e->sh = shared_new())) {
		free(e);
		return pw_oom(err);
	}
	pw_status st = store_open(
	    path, STORE_CHECK | ((flags & PW_OPEN_CREATE) ? STORE_CREATE : 0),
	    &e->st, err);
	if (st) {
		shared_release(e->sh);
		free(e);
		return st;
	}
	*out = e;
	return PW_OK;
}

pw_status pw_open_sibling(pw_engine *e, pw_engine **out, pw_error *err)
{
	pw_engine *s = calloc(1, sizeof *s);
	if (!s)
		return pw_oom(err);
	pw_status st = store_open(store_path(e->st), 0, &s->st, err);
	if (st) {
		free(s);
		return st;
	}
	pthread_mutex_lock(&e->sh->refs_lock);
	e->sh->refs++;
	pthread_mutex_unlock(&e->sh->refs_lock);
	s->sh = e->sh;
	*out = s;
	return PW_OK;
}

query_mem *engine_query_mem(pw_engine *e)
{
	if (!e->x)
		e->x = calloc(1, sizeof *e->x);
	return e->x;
}

pw_status engine_scorer(pw_engine *e, const model *m, scorer **out,
                        pw_error *err)
{
	query_mem *x = engine_query_mem(e);
	if (!x)
		return pw_oom(err);
	/* the arrays depend only on the counts of skills and credentials
	 * (kept here: the model sc last served may be gone) */
	if (x->sc_ready &&
	    (x->sc_nskills != m->nskills || x->sc_ncreds != m->ncreds)) {
		scorer_release(&x->sc);
		x->sc_ready = false;
	}
	if (!x->sc_ready) {
		pw_status st = scorer_init(&x->sc, m, err);
		if (st)
			return st;
		x->sc_ready = true;
		x->sc_nskills = m->nskills;
		x->sc_ncreds = m->ncreds;
	}
	x->sc.m = m;
	*out = &x->sc;
	return PW_OK;
}

pw_status engine_stamps(pw_engine *e, size_t n, uint32_t **stamp,
                        uint32_t *mark, pw_error *err)
{
	query_mem *x = engine_query_mem(e);
	if (!x)
		return pw_oom(err);
	if (x->nstamp < n + 1) {
		size_t want = n + n / 4 + 16;
		uint32_t *p = calloc(want, sizeof *p);
		if (!p)
			return pw_oom(err);
		free(x->stamp);
		x->stamp = p;
		x->nstamp = want;
		x->gen = 0;
	}
	if (++x->gen == 0) { /* wrapped: start afresh */
		memset(x->stamp, 0, x->nstamp * sizeof *x->stamp);
		x->gen = 1;
	}
	*stamp = x->stamp;
	*mark = x->gen;
	return PW_OK;
}

pw_status engine_target_acc(pw_engine *e, size_t n, struct tacc **acc,
                            uint32_t *mark, pw_error *err)
{
	query_mem *x = engine_query_mem(e);
	if (!x)
		return pw_oom(err);
	if (x->ntacc < n + 1) {
		size_t want = n + n / 4 + 16;
		struct tacc *p = calloc(want, sizeof *p);
		if (!p)
			return pw_oom(err);
		free(x->tacc);
		x->tacc = p;
		x->ntacc = want;
		x->tgen = 0;
	}
	if (++x->tgen == 0) {
		memset(x->tacc, 0, x->ntacc * sizeof *x->tacc);
		x->tgen = 1;
	}
	*acc = x->tacc;
	*mark = x->tgen;
	return PW_OK;
}

bool engine_buffer(void **p, size_t *cap, size_t n, size_t size)
{
	if (n + 1 <= *cap)
		return true;
	size_t want = n + n / 2 + 64;
	void *q = malloc(want * size);
	if (!q)
		return false;
	free(*p);
	*p = q;
	*cap = want;
	return true;
}

size_t engine_workers(size_t n, size_t per)
{
	const char *env = getenv("PATHWAY_WORKERS");
	long cpus;
	if (env && *env) {
		cpus = strtol(env, NULL, 10);
		per = 1;
	} else
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nw = cpus > 1 ? (size_t)cpus - 1 : 0;
	if (nw > ENGINE_WORKERS_MAX - 1)
		nw = ENGINE_WORKERS_MAX - 1;
	if (nw > n / per)
		nw = n / per;
	return nw;
}

void query_mem_free(query_mem *x)
{
	if (!x)
		return;
	if (x->sc_ready)
		scorer_release(&x->sc);
	free(x->stamp);
	free(x->tacc);
	free(x->cand);
	free(x->nom);
	plan_mem_free(x->pm);
	free(x);
}

void pw_close(pw_engine *e)
{
	if (!e)
		return;
	query_mem_free(e->x);
	engine_done(e);
	shared_release(e->sh);
	store_close(e->st);
	free(e);
}

/* The model for the store at write counter v: mapped from the snapshot
 * file when it is current, else built from the store and the snapshot
 * rewritten. The snapshot is a cache: failing to read or write it only
 * costs time, so its errors are not the caller's. */
static pw_status model_load(store *st, long long v, model **out,
                            long long *built_at, pw_error *err)
{
	char id[40];
	/* an in-memory or URI store has no place for a file beside it */
	const char *snap = store_snapshot_path(st);
	bool have_id = snap && store_id(st, id);
	if (have_id && snapshot_map(snap, id, v, out, NULL) == PW_OK) {
		*built_at = v;
		return PW_OK;
	}
	pw_status s = model_build(st, out, built_at, err);
	fileprint fp;
	if (!s && have_id)
		snapshot_write(*out, snap, id, *built_at,
		               store_file_print(st, &fp) ? &fp : NULL, NULL);
	return s;
}

pw_status engine_model(pw_engine *e, const model **out, pw_error *err)
{
	shared *sh = e->sh;
	long long v;
	pw_status st;
	if (e->reading) {
		*out = sh->m;
		return PW_OK;
	}
	for (;;) {
		pthread_rwlock_rdlock(&sh->lock);
		if ((st = store_version(e->st, &v, err))) {
			pthread_rwlock_unlock(&sh->lock);
			return st;
		}
		if (sh->m && v == sh->version) {
			e->reading = true;
			*out = sh->m;
			return PW_OK;
		}
		/* stale (another process wrote, or never built): rebuild under
		 * the exclusive lock, then read again */
		pthread_rwlock_unlock(&sh->lock);
		pthread_rwlock_wrlock(&sh->lock);
		st = store_version(e->st, &v, err);
		if (!st && (!sh->m || v != sh->version)) {
			model *m;
			if (!(st = model_load(e->st, v, &m, &v, err))) {
				model_free(sh->m);
				sh->m = m;
				sh->version = v;
			}
		}
		pthread_rwlock_unlock(&sh->lock);
		if (st)
			return st;
	}
}

pw_status pw_prepare(pw_engine *e, pw_error *err)
{
	const model *m;
	pw_status st = engine_model(e, &m, err);
	engine_done(e);
	return st;
}

void engine_done(pw_engine *e)
{
	if (e && e->reading) {
		e->reading = false;
		pthread_rwlock_unlock(&e->sh->lock);
	}
}

void engine_write_begin(pw_engine *e)
{
	engine_done(e);
	pthread_rwlock_wrlock(&e->sh->lock);
}

void engine_write_end(pw_engine *e)
{
	pthread_rwlock_unlock(&e->sh->lock);
}

/* ---- kinds ---- */

static const char *const kind_plural[PW_KIND_COUNT] = {
    "skills", "credentials", "occupations", "jobs", "learners"};

const char *pw_kind_name(pw_kind kind)
{
	return kind < PW_KIND_COUNT ? kind_plural[kind] : "unknown";
}

pw_status pw_kind_parse(const char *name, pw_kind *out, pw_error *err)
{
	for (int k = 0; k < PW_KIND_COUNT; k++) {
		size_t n = strlen(kind_plural[k]);
		if (strcasecmp(name, kind_plural[k]) == 0 ||
		    (strlen(name) == n - 1 &&
		     strncasecmp(name, kind_plural[k], n - 1) == 0)) {
			*out = (pw_kind)k;
			return PW_OK;
		}
	}
	return pw_fail(err, PW_ERR_INVALID,
	               "unknown kind '%s' (skills, credentials, occupations, "
	               "jobs, learners)",
	               name);
}

const char *pw_via_name(pw_via via)
{
	switch (via) {
	case PW_VIA_NONE: return "none";
	case PW_VIA_DIRECT: return "direct";
	case PW_VIA_NARROWER: return "narrower";
	case PW_VIA_RELATED: return "related";
	case PW_VIA_BROADER: return "broader";
	}
	return "none";
}

/* ---- results own an arena ---- */

#define RESULT(T)                                                              \
	struct T##_res {                                                       \
		T pub;                                                         \
		arena mem;                                                     \
	}

RESULT(pw_list);
RESULT(pw_match);
RESULT(pw_explain);
RESULT(pw_candidates);

static void *aalloc(arena *a, size_t n, size_t size, bool *oom)
{
	void *p = arena_alloc(a, (n ? n : 1) * size);
	if (!p)
		*oom = true;
	return p;
}

/* ---- list and show ---- */

typedef struct list_ctx {
	struct pw_list_res *res;
	text_needle *needle;
	const pw_list_opts *o;
	bool jobs;
	ptrvec items;
	size_t matched;
	bool oom;
} list_ctx;

static bool alias_match(const text_needle *n, const char *aliases)
{
	if (!aliases)
		return false;
	/* aliases arrive joined by U+001F: each is matched on its own, so the
	 * text never matches across two */
	const char *p = aliases;
	char piece[1024];
	while (*p) {
		const char *end = strchr(p, '\x1f');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len < sizeof piece) {
			memcpy(piece, p, len);
			piece[len] = '\0';
			if (text_needle_in(n, piece))
				return true;
		}
		p += len;
		if (*p)
			p++;
	}
	return false;
}

static pw_status row_list(void *ctx, const scan_row *r)
{
	list_ctx *c = ctx;
	const char *id = row_text(r, 0);
	const char *name = row_null(r, 1) ? NULL : row_text(r, 1);
	if (c->needle && !text_needle_in(c->needle, id) &&
	    !text_needle_in(c->needle, name) &&
	    !alias_match(c->needle, row_null(r, 2) ? NULL : row_text(r, 2)))
		return PW_OK;
	if (c->jobs && c->o->county &&
	    (row_null(r, 3) || strcmp(row_text(r, 3), c->o->county) != 0))
		return PW_OK;
	if (c->jobs && c->o->remote >= 0 &&
	    (row_int(r, 4) != 0) != c->o->remote)
		return PW_OK;
	size_t k = c->matched++;
	if (k < c->o->offset || (c->o->top && k >= c->o->offset + c->o->top))
		return PW_OK;
	pw_list_item *it = arena_alloc(&c->res->mem, sizeof *it);
	if (!it || !ptrvec_push(&c->items, it))
		goto oom;
	it->id = arena_keep(&c->res->mem, id, &c->oom);
	it->name = arena_keep(&c->res->mem, name, &c->oom);
	return c->oom ? PW_ERR_NOMEM : PW_OK;
oom:
	c->oom = true;
	return PW_ERR_NOMEM;
}

pw_status pw_list_query(pw_engine *e, pw_kind kind, const pw_list_opts *o,
                        pw_list **out, pw_error *err)
{
	static const enum scan_id scans[PW_KIND_COUNT] = {
	    SCAN_NAMES_SKILL, SCAN_NAMES_CRED, SCAN_NAMES_OCC, SCAN_NAMES_JOB,
	    SCAN_NAMES_LEARNER};
	pw_status st;
	list_ctx c = {.o = o, .jobs = kind == PW_KIND_JOB};
	if (kind >= PW_KIND_COUNT)
		return pw_fail(err, PW_ERR_INVALID, "unknown kind");
	if (!(c.res = calloc(1, sizeof *c.res)))
		return pw_oom(err);
	c.res->pub.kind = kind;
	if (o->q && (st = text_needle_new(o->q, &c.needle, err)))
		goto fail;
	enum scan_id scan = scans[kind];
	if (kind == PW_KIND_CREDENTIAL && o->catalog)
		scan = SCAN_NAMES_CRED_LISTED;
	if ((st = store_scan(e->st, scan, row_list, &c, err)))
		goto fail;
	c.res->pub.count = c.items.len;
	c.res->pub.total = c.matched;
	c.res->pub.items =
	    arena_alloc(&c.res->mem, (c.items.len + 1) * sizeof(pw_list_item));
	if (!c.res->pub.items || c.oom) {
		st = pw_oom(err);
		goto fail;
	}
	for (size_t i = 0; i < c.items.len; i++)
		c.res->pub.items[i] = *(pw_list_item *)c.items.items[i];
	ptrvec_release(&c.items);
	text_needle_free(c.needle);
	*out = &c.res->pub;
	return PW_OK;
fail:
	if (c.oom)
		st = pw_oom(err);
	ptrvec_release(&c.items);
	text_needle_free(c.needle);
	pw_list_free(&c.res->pub);
	return st;
}

pw_status pw_list_entities(pw_engine *e, pw_kind kind, const char *q,
                           pw_list **out, pw_error *err)
{
	pw_list_opts o = {.q = q, .remote = -1};
	return pw_list_query(e, kind, &o, out, err);
}

pw_status pw_job_owner(pw_engine *e, const char *job, char **owner,
                       pw_error *err)
{
	arena a = {0};
	rec_target r;
	pw_status st = store_get_target(e->st, &a, PW_KIND_JOB, job, &r, err);
	if (!st) {
		*owner = NULL;
		if (r.owner && !(*owner = strdup(r.owner)))
			st = pw_oom(err);
	}
	arena_release(&a);
	return st;
}

void pw_list_free(pw_list *l)
{
	if (!l)
		return;
	struct pw_list_res *r = (struct pw_list_res *)l;
	arena_release(&r->mem);
	free(r);
}

char *pw_list_json(const pw_list *l, unsigned flags)
{
	jsonw w;
	bool titled = l->kind == PW_KIND_JOB || l->kind == PW_KIND_OCCUPATION;
	jw_init(&w, flags);
	jw_obj(&w);
	jw_key(&w, pw_kind_name(l->kind));
	jw_arr(&w);
	for (size_t i = 0; i < l->count; i++) {
		jw_obj(&w);
		jw_key(&w, "id");
		jw_str(&w, l->items[i].id);
		jw_key(&w, titled ? "title" : "name");
		jw_str(&w, l->items[i].name);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "total");
	jw_int(&w, (long long)l->total);
	jw_obj_end(&w);
	return jw_finish(&w);
}

pw_status pw_show_json(pw_engine *e, pw_kind kind, const char *id,
                       unsigned flags, char **out, pw_error *err)
{
	arena a = {0};
	jsonw w;
	pw_status st;
	union {
		rec_skill s;
		rec_credential c;
		rec_target t;
		rec_learner l;
	} r;
	jw_init(&w, flags);
	switch (kind) {
	case PW_KIND_SKILL:
		if (!(st = store_get_skill(e->st, &a, id, &r.s, err)))
			rec_write_skill(&w, &r.s);
		break;
	case PW_KIND_CREDENTIAL:
		if (!(st = store_get_credential(e->st, &a, id, &r.c, err)))
			rec_write_credential(&w, &r.c);
		break;
	case PW_KIND_OCCUPATION:
		if (!(st = store_get_target(e->st, &a, kind, id, &r.t, err)))
			rec_write_occupation(&w, &r.t);
		break;
	case PW_KIND_JOB:
		if (!(st = store_get_target(e->st, &a, kind, id, &r.t, err)))
			rec_write_job(&w, &r.t);
		break;
	case PW_KIND_LEARNER:
		if (!(st = store_get_learner(e->st, &a, id, &r.l, err))) {
			if (flags & PW_JSON_NO_DEMOGRAPHICS)
				r.l.has_demographics = false;
			rec_write_learner(&w, &r.l);
		}
		break;
	case PW_KIND_COUNT:
	default: st = pw_fail(err, PW_ERR_INVALID, "unknown kind"); break;
	}
	arena_release(&a);
	if (st) {
		buf_release(&w.out);
		return st;
	}
	char *text = jw_finish(&w);
	if (!text)
		return pw_oom(err);
	*out = text;
	return PW_OK;
}

/* ---- look-ups ---- */

pw_status engine_find_learner(const model *m, const char *id, int64_t *out,
                              pw_error *err)
{
	*out = model_learner(m, id);
	if (*out < 0)
		return pw_fail(err, PW_ERR_NOT_FOUND, "no learner '%s'", id);
	return PW_OK;
}

pw_status engine_find_target(const model *m, const char *id, int64_t *out,
                             pw_error *err)
{
	*out = model_target(m, id);
	if (*out < 0)
		return pw_fail(err, PW_ERR_NOT_FOUND,
		               "no job or occupation '%s'", id);
	return PW_OK;
}

bool engine_target_open(const model *m, uint32_t t, pw_date as_of)
{
	return m->t_expires[t] == PW_DATE_NONE || m->t_expires[t] >= as_of;
}

/* ---- match ---- */

typedef struct ranked {
	uint32_t idx;
	int score10;
	bool qualified;
	bool has_distance;
	double distance;
	double wage; /* NAN when unknown */
} ranked;

/* SPEC §4: qualified first, score, annual wage (unknown last), id. */
/* qsort takes no context: the model being ranked, per thread. */
static _Thread_local const model *ranking;

static int cmp_match(const void *x, const void *y)
{
	const ranked *a = x, *b = y;
	if (a->qualified != b->qualified)
		return a->qualified ? -1 : 1;
	if (a->score10 != b->score10)
		return a->score10 > b->score10 ? -1 : 1;
	bool ka = !isnan(a->wage), kb = !isnan(b->wage);
	if (ka != kb)
		return ka ? -1 : 1;
	if (ka && a->wage != b->wage)
		return a->wage > b->wage ? -1 : 1;
	return model_cmp_target(ranking, a->idx, b->idx);
}

static int cmp_candidate(const void *x, const void *y)
{
	const ranked *a = x, *b = y;
	if (a->qualified != b->qualified)
		return a->qualified ? -1 : 1;
	if (a->score10 != b->score10)
		return a->score10 > b->score10 ? -1 : 1;
	return model_cmp_learner(ranking, a->idx, b->idx);
}

/* Fills the met / partial / missing lists of one scored target. */
static void fill_lists(arena *a, const model *m, const scorer *sc, uint32_t t,
                       req_eval *ev, pw_match_row *row, bool *oom)
{
	uint32_t nreq = REQ_END(m, t) - m->req_off[t];
	scorer_eval(sc, t, ev);
	row->met = aalloc(a, nreq, sizeof(char *), oom);
	row->missing = aalloc(a, nreq, sizeof(char *), oom);
	row->partial = aalloc(a, nreq, sizeof(pw_partial), oom);
	uint32_t ncr = CREQ_END(m, t) - m->creq_off[t];
	row->missing_credentials = aalloc(a, ncr, sizeof(char *), oom);
	if (*oom)
		return;
	for (uint32_t i = 0; i < nreq; i++) {
		const char *skill = m->skill_id[m->alt_skill[ev[i].alt]];
		if (ev[i].coverage >= 1)
			row->met[row->nmet++] = skill;
		else if (ev[i].coverage > 0) {
			pw_partial *p = &row->partial[row->npartial++];
			p->skill = skill;
			p->have = num_round(ev[i].have, 3);
			p->need = m->alt_level[ev[i].alt];
		} else
			row->missing[row->nmissing++] = skill;
	}
	for (uint32_t k = m->creq_off[t]; k < CREQ_END(m, t); k++) {
		uint32_t which;
		if (!scorer_cred_entry_held(sc, k, &which))
			row->missing_credentials[row->nmissing_credentials++] =
			    m->cred_id[which];
	}
}

/* Strings of a result point into the model until this copies them. */
static void own_strings(arena *a, const char **v, size_t n, bool *oom)
{
	for (size_t i = 0; i < n; i++)
		v[i] = arena_keep(a, v[i], oom);
}

/* The targets (or learners) that can score above zero come from the
 * inverted indexes; all others score 0 and are not qualified, so they only
 * matter when fewer than `top` results score. Splitting on that keeps the
 * ranking exact: "zero" entries tie only among themselves. */
static bool positive(const ranked *r)
{
	return r->qualified || r->score10 > 0;
}

/* An occupation that states no requirement (O*NET leaves 137 unrated)
 * would score 100 and qualify everyone: with nothing to match against, it
 * is not ranked. A posting without requirements is a real offer and is. */
static bool unrated(const model *m, uint32_t t)
{
	return m->t_occ[t] && !m->req_cnt[t] && !m->creq_cnt[t];
}

/* Keeps the best `top` of a stream in a heap whose root is the worst kept
 * (cmp orders best first), so that ranking costs n log top, not n log n. */
typedef struct topk {
	ranked *v;
	size_t n, top;
	int (*cmp)(const void *, const void *);
} topk;

static void topk_sift(topk *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		if (l < h->n && h->cmp(&h->v[l], &h->v[w]) > 0)
			w = l;
		if (r < h->n && h->cmp(&h->v[r], &h->v[w]) > 0)
			w = r;
		if (w == i)
			return;
		ranked t = h->v[i];
		h->v[i] = h->v[w];
		h->v[w] = t;
		i = w;
	}
}

static void topk_add(topk *h, const ranked *r)
{
	if (h->n < h->top) {
		size_t i = h->n++;
		h->v[i] = *r;
		while (i && h->cmp(&h->v[(i - 1) / 2], &h->v[i]) < 0) {
			size_t p = (i - 1) / 2;
			ranked t = h->v[i];
			h->v[i] = h->v[p];
			h->v[p] = t;
			i = p;
		}
	} else if (h->top && h->cmp(r, &h->v[0]) < 0) {
		h->v[0] = *r;
		topk_sift(h, 0);
	}
}

/* The kept ones, best first. */
static void topk_sort(topk *h)
{
	if (h->n)
		qsort(h->v, h->n, sizeof *h->v, h->cmp);
}

/* Ranking a learner's targets (SPEC §4) without scoring them all.
 *
 * Every target that can score above zero requires a skill the learner
 * shows; the postings of those skills (only over the grid cells the
 * learner's range touches, plus what every range check must see) give
 * each target a bound on its score numerator, Σ importance × coverage
 * (exact when no requirement is any_of, whose alternatives add up here),
 * and a count of required requirements met, so that a posting costs an
 * addition. Targets are then taken best-first by that estimate in buckets
 * of a tenth of a point — the qualified first — and each one taken is
 * checked for range and scored exactly by scorer_eval, until the kept top
 * cannot be beaten by anything left: below bucket b, nothing scores above
 * b (in tenths, rounded).
 * Targets the postings cannot bound (no requirements, written in place)
 * are scored exactly straight away. */

typedef struct nominee {
	uint32_t t;
	uint16_t b; /* the estimate's bucket: 0..1000 */
	uint8_t q;  /* may be qualified */
} nominee;

#define NOMINATE(t)                                                            \
	do {                                                                   \
		uint32_t t_ = (t);                                             \
		if (acc[t_].stamp != mark) {                                   \
			acc[t_] = (struct tacc){mark, 0, 0};                   \
			cand[ncand++] = t_;                                    \
		}                                                              \
	} while (0)

/* Scores target t exactly and offers it to the ranking if in range: to
 * best when it is qualified or scores, else to zero, where it ties with
 * every target that shows nothing and ranks by wage. */
static void offer(const model *m, const scorer *sc, int64_t l,
                  const pw_match_opts *o, uint32_t t, topk *best, topk *zero)
{
	ranked r = {.idx = t, .wage = m->t_wage[t]};
	if (!engine_target_open(m, t, o->as_of) || unrated(m, t))
		return;
	bool in = geo_in_range(&m->l_home[l], m->l_max_commute[l], &m->t_loc[t],
	                       m->t_remote[t], &r.has_distance, &r.distance);
	if (!in && !o->anywhere)
		return;
	target_eval te = scorer_eval(sc, t, NULL);
	if (o->qualified && !te.qualified)
		return;
	r.score10 = te.score10;
	r.qualified = te.qualified;
	topk_add(positive(&r) ? best : zero, &r);
}

/* Can nothing left (may-be-qualified q, score at most b) enter the full
 * top? */
static bool settled(const topk *best, bool q, int b)
{
	if (best->n < best->top)
		return false;
	const ranked *w = &best->v[0];
	return w->qualified > q || (w->qualified == q && w->score10 > b);
}

pw_status match_learner_locked(pw_engine *e, const char *learner,
                               const pw_match_opts *o, pw_match **out,
                               pw_error *err)
{
	const model *m;
	int64_t l;
	scorer *sc;
	uint32_t mark;
	struct tacc *acc;
	pw_status st;
	if ((st = engine_model(e, &m, err)) ||
	    (st = engine_find_learner(m, learner, &l, err)) ||
	    (st = engine_scorer(e, m, &sc, err)) ||
	    (st = engine_target_acc(e, m->ntargets, &acc, &mark, err)))
		return st;
	scorer_set(sc, l, o->as_of, NULL, 0);

	uint8_t want_occ = o->occupations;
	geo_range *rg = e->x->ranges;
	geo_span *sp = e->x->spans;
	size_t nr = o->anywhere
	                ? 0
	                : geo_ranges(&m->l_home[l], m->l_max_commute[l], rg);
	size_t top = o->top ? o->top : 10, ncand = 0, nnom = 0;
	uint32_t built = m->njobs + m->nocc;
	bool oom = false;
	ranking = m;
	query_mem *qm = e->x;
	if (!engine_buffer((void **)&qm->cand, &qm->ncand_cap, m->ntargets,
	                   sizeof *qm->cand))
		return pw_oom(err);
	uint32_t *cand = qm->cand;
	nominee *nom = NULL;
	uint32_t bstart[2 * 1001 + 1] = {0};
	topk best = {malloc((top + 1) * sizeof(ranked)), 0, top, cmp_match};
	topk zero = {malloc((top + 1) * sizeof(ranked)), 0, top, cmp_match};
	struct pw_match_res *res = calloc(1, sizeof *res);
	req_eval *ev = NULL;
	if (!best.v || !zero.v || !res)
		goto oom;
	for (uint32_t i = 0; i < sc->ntouched; i++) {
		uint32_t s = sc->touched[i];
		double h = sc->have[s];
		size_t ns = geo_spans(m->sk_target_key, m->sk_target_off[s],
		                      m->sk_target_off[s + 1], rg, nr, sp);
		for (size_t k = 0; k < ns; k++)
			for (uint32_t j = sp[k].a; j < sp[k].b; j++) {
				uint32_t t = m->sk_target[j];
				NOMINATE(t);
				/* as scorer_eval computes a coverage */
				double c12 = h * (12 / m->sk_target_need[j]);
				if (c12 > 12)
					c12 = 12;
				uint8_t w = m->sk_target_w[j];
				acc[t].acc +=
				    (float)((w & ~POST_REQUIRED) * c12);
				acc[t].met += (w & POST_REQUIRED) && c12 >= 12;
			}
		for (uint32_t k = 0; m->sk_target_x && k < m->sk_target_x[s].n;
		     k++)
			NOMINATE(m->sk_target_x[s].v[k]);
	}
	for (uint32_t i = 0; i < m->nopen_ended; i++)
		NOMINATE(m->open_ended[i]);
	/* written in place: their postings, if any, are stale */
	for (uint32_t i = 0; i < m->t_written.n; i++) {
		NOMINATE(m->t_written.v[i]);
		acc[m->t_written.v[i]].acc = -1;
	}

	if (!engine_buffer(&qm->nom, &qm->nom_cap, ncand, sizeof *nom))
		goto oom;
	nom = qm->nom;
	for (size_t i = 0; i < ncand; i++) {
		uint32_t t = cand[i];
		uint32_t tb = t < built ? m->t_bound[t] : 0;
		if (m->t_occ[t] != want_occ || m->t_deleted[t])
			continue;
		if (!(tb & TB_BOUNDED) || acc[t].acc < 0) {
			offer(m, sc, l, o, t, &best, &zero);
			continue;
		}
		/* a float sum is close enough: a bucket's bound, b + 1,
		 * allows for an error far above a float's */
		double est = 1000 * (double)acc[t].acc / (12.0 * TB_WSUM(tb));
		nominee n = {t, (uint16_t)(est >= 1000 ? 1000 : (int)est),
		             acc[t].met >= TB_NREQUIRED(tb)};
		if (o->qualified && !n.q)
			continue;
		nom[nnom++] = n;
		bstart[(size_t)n.q * 1001 + n.b + 1]++;
	}
	/* counting sort into buckets, best bucket last */
	for (size_t k = 1; k <= 2 * 1001; k++)
		bstart[k] += bstart[k - 1];
	uint32_t *order = cand; /* reused: candidates are in nom now */
	for (size_t i = 0; i < nnom; i++)
		order[bstart[(size_t)nom[i].q * 1001 + nom[i].b]++] =
		    (uint32_t)i;
	/* bstart[k] is now the end of bucket k */
	for (size_t k = 2 * 1001; k-- > 0;) {
		bool q = k >= 1001;
		int b = (int)(k % 1001);
		/* an estimate in [b, b + 1) rounds to b + 1 at most */
		if (settled(&best, q, b + 1))
			break;
		uint32_t lo = k ? bstart[k - 1] : 0;
		for (uint32_t i = lo; i < bstart[k]; i++)
			offer(m, sc, l, o, nom[order[i]].t, &best, &zero);
	}
	if (best.n < top && !o->qualified) {
		/* Too few score: the rest of the range scores 0 too (no skill
		 * shown, some requirement required) and ranks with those by
		 * wage, then id, which is the order of twage; those written in
		 * place were offered. */
		size_t want = top - best.n;
		for (uint32_t j = 0; j < built && want; j++) {
			uint32_t t = m->twage[j];
			ranked r = {.idx = t, .wage = m->t_wage[t]};
			if (acc[t].stamp == mark || m->t_occ[t] != want_occ ||
			    m->t_deleted[t] || unrated(m, t) ||
			    !engine_target_open(m, t, o->as_of) ||
			    (!geo_in_range(&m->l_home[l], m->l_max_commute[l],
			                   &m->t_loc[t], m->t_remote[t],
			                   &r.has_distance, &r.distance) &&
			     !o->anywhere))
				continue;
			topk_add(&zero, &r);
			want--;
		}
	}
	topk_sort(&best);
	topk_sort(&zero);
	ranked *all = best.v;
	size_t n = best.n;
	for (size_t i = 0; i < zero.n && n < top; i++)
		all[n++] = zero.v[i];

	pw_match *mt = &res->pub;
	arena *a = &res->mem;
	mt->learner = arena_keep(a, m->l_id[l], &oom);
	mt->as_of = o->as_of;
	mt->occupations = o->occupations;
	mt->rows = aalloc(a, n, sizeof *mt->rows, &oom);
	uint32_t maxreq = 1;
	for (size_t i = 0; i < n; i++) {
		uint32_t t = all[i].idx, k = REQ_END(m, t) - m->req_off[t];
		if (k > maxreq)
			maxreq = k;
	}
	if (!(ev = malloc(maxreq * sizeof *ev)))
		goto oom;
	for (size_t i = 0; i < n && !oom; i++) {
		pw_match_row *row = &mt->rows[mt->count++];
		uint32_t t = all[i].idx;
		row->target = arena_keep(a, m->t_id[t], &oom);
		row->title = arena_keep(a, m->t_title[t], &oom);
		row->employer = arena_keep(a, m->t_employer[t], &oom);
		row->score = all[i].score10 / 10.0;
		row->qualified = all[i].qualified;
		row->remote = m->t_remote[t];
		row->has_distance = all[i].has_distance;
		row->distance_miles = num_round(all[i].distance, 1);
		row->has_wage = !isnan(all[i].wage);
		row->annual_wage = row->has_wage ? all[i].wage : 0;
		fill_lists(a, m, sc, t, ev, row, &oom);
		if (oom)
			break;
		own_strings(a, row->met, row->nmet, &oom);
		own_strings(a, row->missing, row->nmissing, &oom);
		own_strings(a, row->missing_credentials,
		            row->nmissing_credentials, &oom);
		for (size_t j = 0; j < row->npartial; j++)
			row->partial[j].skill =
			    arena_keep(a, row->partial[j].skill, &oom);
	}
	if (oom)
		goto oom;
	*out = mt;
	res = NULL;
	st = PW_OK;
	goto out;
oom:
	st = pw_oom(err);
out:
	free(ev);
	free(best.v);
	free(zero.v);
	if (res)
		pw_match_free(&res->pub);
	return st;
}

/* The model is read under the shared lock, released on every path. */
pw_status pw_match_learner(pw_engine *e, const char *learner,
                           const pw_match_opts *o, pw_match **out,
                           pw_error *err)
{
	pw_status st = match_learner_locked(e, learner, o, out, err);
	engine_done(e);
	return st;
}

void pw_match_free(pw_match *mt)
{
	if (!mt)
		return;
	struct pw_match_res *r = (struct pw_match_res *)mt;
	arena_release(&r->mem);
	free(r);
}

static void str_array(jsonw *w, const char *key, const char *const *v, size_t n)
{
	jw_key(w, key);
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, v[i]);
	jw_arr_end(w);
}

static void nullable_real(jsonw *w, const char *key, bool has, double v)
{
	jw_key(w, key);
	if (has)
		jw_real(w, v);
	else
		jw_null(w);
}

char *pw_match_json(const pw_match *mt, unsigned flags)
{
	jsonw w;
	jw_init(&w, flags);
	jw_obj(&w);
	jw_key(&w, "learner");
	jw_str(&w, mt->learner);
	jw_key(&w, "as_of");
	jw_date(&w, mt->as_of);
	jw_key(&w, "results");
	jw_arr(&w);
	for (size_t i = 0; i < mt->count; i++) {
		const pw_match_row *r = &mt->rows[i];
		jw_obj(&w);
		jw_key(&w, mt->occupations ? "occupation" : "job");
		jw_str(&w, r->target);
		jw_key(&w, "title");
		jw_str(&w, r->title);
		jw_key(&w, "employer");
		jw_str(&w, r->employer);
		jw_key(&w, "score");
		jw_real(&w, r->score);
		jw_key(&w, "qualified");
		jw_bool(&w, r->qualified);
		nullable_real(&w, "distance_miles", r->has_distance,
		              r->distance_miles);
		nullable_real(&w, "annual_wage", r->has_wage, r->annual_wage);
		str_array(&w, "met", r->met, r->nmet);
		jw_key(&w, "partial");
		jw_arr(&w);
		for (size_t j = 0; j < r->npartial; j++) {
			jw_obj(&w);
			jw_key(&w, "skill");
			jw_str(&w, r->partial[j].skill);
			jw_key(&w, "have");
			jw_real(&w, r->partial[j].have);
			jw_key(&w, "need");
			jw_int(&w, r->partial[j].need);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		str_array(&w, "missing", r->missing, r->nmissing);
		str_array(&w, "missing_credentials", r->missing_credentials,
		          r->nmissing_credentials);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	return jw_finish(&w);
}

/* ---- explain ---- */

static pw_status explain_match_locked(pw_engine *e, const char *learner,
                                      const char *target, pw_date as_of,
                                      pw_explain **out, pw_error *err)
{
	const model *m;
	int64_t l, t;
	scorer sc;
	pw_status st;
	bool oom = false;
	if ((st = engine_model(e, &m, err)) ||
	    (st = engine_find_learner(m, learner, &l, err)) ||
	    (st = engine_find_target(m, target, &t, err)))
		return st;
	if ((st = scorer_init(&sc, m, err)))
		return st;
	scorer_set(&sc, l, as_of, NULL, 0);

	uint32_t nreq = REQ_END(m, t) - m->req_off[t];
	uint32_t ncr = CREQ_END(m, t) - m->creq_off[t];
	struct pw_explain_res *res = calloc(1, sizeof *res);
	req_eval *ev = malloc((nreq + 1) * sizeof *ev);
	if (!res || !ev)
		goto oom;
	arena *a = &res->mem;
	pw_explain *x = &res->pub;
	target_eval te = scorer_eval(&sc, (uint32_t)t, ev);
	x->learner = arena_keep(a, m->l_id[l], &oom);
	x->target = arena_keep(a, m->t_id[t], &oom);
	x->title = arena_keep(a, m->t_title[t], &oom);
	x->is_occupation = m->t_occ[t];
	x->as_of = as_of;
	x->score = te.score10 / 10.0;
	x->qualified = te.qualified;
	x->open = engine_target_open(m, (uint32_t)t, as_of);
	double d;
	x->in_range =
	    geo_in_range(&m->l_home[l], m->l_max_commute[l], &m->t_loc[t],
	                 m->t_remote[t], &x->has_distance, &d);
	x->distance_miles = num_round(d, 1);
	x->nreqs = nreq;
	x->reqs = aalloc(a, nreq, sizeof *x->reqs, &oom);
	x->ncreds = ncr;
	x->creds = aalloc(a, ncr, sizeof *x->creds, &oom);
	if (oom)
		goto oom;
	for (uint32_t i = 0; i < nreq; i++) {
		uint32_t r = m->req_off[t] + i, alt = ev[i].alt;
		uint32_t s = m->alt_skill[alt];
		pw_explain_req *q = &x->reqs[i];
		q->skill = arena_keep(a, m->skill_id[s], &oom);
		q->name = arena_keep(a, m->skill_name[s], &oom);
		q->required = m->req_required[r];
		q->any_of = m->req_any[r];
		q->importance = m->req_importance[r];
		q->need = m->alt_level[alt];
		q->have = num_round(ev[i].have, 3);
		q->coverage = num_round(ev[i].coverage, 3);
		q->via = ev[i].have > 0 ? (pw_via)sc.have_via[s] : PW_VIA_NONE;
		if (q->via != PW_VIA_NONE) {
			uint32_t src = sc.have_src[s];
			q->via_skill = arena_keep(a, m->skill_id[src], &oom);
			q->via_credential =
			    arena_keep(a, m->cred_id[sc.lvl_cred[src]], &oom);
		}
	}
	for (uint32_t k = 0; k < ncr; k++) {
		uint32_t which;
		x->creds[k].held =
		    scorer_cred_entry_held(&sc, m->creq_off[t] + k, &which);
		x->creds[k].credential = arena_keep(a, m->cred_id[which], &oom);
		x->creds[k].name = arena_keep(a, m->cred_name[which], &oom);
	}
	if (oom)
		goto oom;
	*out = x;
	res = NULL;
	st = PW_OK;
	goto out;
oom:
	st = pw_oom(err);
out:
	free(ev);
	scorer_release(&sc);
	if (res)
		pw_explain_free(&res->pub);
	return st;
}

/* The model is read under the shared lock, released on every path. */
pw_status pw_explain_match(pw_engine *e, const char *learner,
                           const char *target, pw_date as_of, pw_explain **out,
                           pw_error *err)
{
	pw_status st =
	    explain_match_locked(e, learner, target, as_of, out, err);
	engine_done(e);
	return st;
}

void pw_explain_free(pw_explain *x)
{
	if (!x)
		return;
	struct pw_explain_res *r = (struct pw_explain_res *)x;
	arena_release(&r->mem);
	free(r);
}

char *pw_explain_json(const pw_explain *x, unsigned flags)
{
	jsonw w;
	jw_init(&w, flags);
	jw_obj(&w);
	jw_key(&w, "learner");
	jw_str(&w, x->learner);
	jw_key(&w, "job");
	jw_str(&w, x->target);
	jw_key(&w, "as_of");
	jw_date(&w, x->as_of);
	jw_key(&w, "score");
	jw_real(&w, x->score);
	jw_key(&w, "qualified");
	jw_bool(&w, x->qualified);
	jw_key(&w, "in_range");
	jw_bool(&w, x->in_range);
	nullable_real(&w, "distance_miles", x->has_distance, x->distance_miles);
	jw_key(&w, "requirements");
	jw_arr(&w);
	for (size_t i = 0; i < x->nreqs; i++) {
		const pw_explain_req *q = &x->reqs[i];
		jw_obj(&w);
		jw_key(&w, "skill");
		jw_str(&w, q->skill);
		jw_key(&w, "name");
		jw_str(&w, q->name);
		jw_key(&w, "required");
		jw_bool(&w, q->required);
		jw_key(&w, "importance");
		jw_int(&w, q->importance);
		jw_key(&w, "need");
		jw_int(&w, q->need);
		jw_key(&w, "have");
		jw_real(&w, q->have);
		jw_key(&w, "via");
		jw_str(&w, pw_via_name(q->via));
		jw_key(&w, "via_skill");
		jw_str(&w, q->via_skill);
		jw_key(&w, "via_credential");
		jw_str(&w, q->via_credential);
		jw_key(&w, "coverage");
		jw_real(&w, q->coverage);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "credentials_required");
	jw_arr(&w);
	for (size_t i = 0; i < x->ncreds; i++) {
		jw_obj(&w);
		jw_key(&w, "credential");
		jw_str(&w, x->creds[i].credential);
		jw_key(&w, "held");
		jw_bool(&w, x->creds[i].held);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	return jw_finish(&w);
}

/* ---- candidates ---- */

/* Ranking the learners for a target (SPEC §4), the other way round from
 * match. A learner scores above zero only through a held credential
 * that grants a skill showing a required one; so the query first lists,
 * for this target, what each such credential can add to each requirement
 * (its coverage in twelfths), credits a stack's additions to every part it
 * is earned through, and then reads the holder lists of those credentials
 * over the grid cells within the longest commute of any learner. Each
 * nominated learner's holdings give a bound on their score and on whether
 * they may qualify; learners are then scored exactly best-first, as in
 * match. Learners who hold nothing relevant all score alike (ranked by
 * id), so only the first few of them in range are ever looked at. */

typedef struct contrib {
	uint32_t cred;
	uint16_t req; /* index among the target's requirements */
	double c12;   /* coverage in twelfths it gives at most */
} contrib;

typedef struct cand_ctx {
	const model *m;
	uint32_t t, nreq;
	contrib *v;
	size_t n, cap;
	bool oom;
} cand_ctx;

static void add_contrib(cand_ctx *x, uint32_t c, uint32_t r, double c12)
{
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		contrib *p = realloc(x->v, cap * sizeof *p);
		if (!p) {
			x->oom = true;
			return;
		}
		x->v = p;
		x->cap = cap;
	}
	x->v[x->n++] = (contrib){c, (uint16_t)r, c12};
}

/* The factor by which holding skill u shows skill s (0 when it does not). */
static double shows(const model *m, uint32_t u, uint32_t s)
{
	double f = 0;
	for (uint32_t j = m->spread_off[u]; j < m->spread_off[u + 1]; j++)
		if (m->spread_to[j] == s && m->spread_factor[j] > f)
			f = m->spread_factor[j];
	return f;
}

static int cmp_contrib(const void *x, const void *y)
{
	const contrib *a = x, *b = y;
	if (a->cred != b->cred)
		return a->cred < b->cred ? -1 : 1;
	return a->req < b->req ? -1 : a->req > b->req;
}

/* Credits the additions of stack c (contributions from index lo on) to
 * every part it is earned through, down through stacks of stacks. */
static void credit_parts(cand_ctx *x, uint32_t c, size_t lo, size_t hi,
                         int depth)
{
	const model *m = x->m;
	if (depth > 64) /* the loader refuses cycles; this is a guard */
		return;
	for (uint32_t k = m->comp_off[c]; k < m->comp_off[c + 1]; k++) {
		uint32_t d = m->comp[k];
		for (size_t i = lo; i < hi; i++)
			add_contrib(x, d, x->v[i].req, x->v[i].c12);
		credit_parts(x, d, lo, hi, depth + 1);
	}
}

typedef struct lnominee {
	uint32_t l;
	uint16_t b;
	uint8_t q;
} lnominee;

static void offer_learner(const model *m, scorer *sc, uint32_t t, pw_date as_of,
                          uint32_t l, topk *best, topk *zero)
{
	ranked r = {.idx = l};
	if (!m->l_discoverable[l] ||
	    !geo_in_range(&m->l_home[l], m->l_max_commute[l], &m->t_loc[t],
	                  m->t_remote[t], &r.has_distance, &r.distance))
		return;
	scorer_set(sc, l, as_of, NULL, 0);
	target_eval te = scorer_eval(sc, t, NULL);
	r.score10 = te.score10;
	r.qualified = te.qualified;
	topk_add(positive(&r) ? best : zero, &r);
}

static pw_status find_candidates_locked(pw_engine *e, const char *target,
                                        pw_date as_of, size_t top,
                                        pw_candidates **out, pw_error *err)
{
	const model *m;
	int64_t t;
	scorer *sc;
	uint32_t *stamp, mark;
	pw_status st;
	bool oom = false;
	if ((st = engine_model(e, &m, err)) ||
	    (st = engine_find_target(m, target, &t, err)) ||
	    (st = engine_scorer(e, m, &sc, err)) ||
	    (st = engine_stamps(e, m->nlearners, &stamp, &mark, err)))
		return st;
	if (!top)
		top = 20;
	ranking = m;
	uint32_t nreq = REQ_END(m, t) - m->req_off[t];
	cand_ctx x = {.m = m, .t = (uint32_t)t, .nreq = nreq};
	uint32_t *first = calloc((size_t)m->ncreds + 1, sizeof *first);
	uint32_t *cand = NULL;
	lnominee *nom = NULL;
	double *cov = calloc((size_t)nreq + 1, sizeof *cov);
	uint32_t *bstart = calloc(2 * 1001 + 1, sizeof *bstart);
	req_eval *ev = malloc((nreq + 1) * sizeof *ev);
	topk best = {malloc((top + 1) * sizeof(ranked)), 0, top, cmp_candidate};
	topk zero = {malloc((top + 1) * sizeof(ranked)), 0, top, cmp_candidate};
	struct pw_candidates_res *res = calloc(1, sizeof *res);
	size_t ncand = 0, nnom = 0;
	if (!first || !cov || !bstart || !ev || !best.v || !zero.v || !res)
		goto oom;
	bool open = engine_target_open(m, (uint32_t)t, as_of);

	/* what each credential can add to each requirement */
	double wsum = 0;
	uint32_t nrequired = 0;
	for (uint32_t i = 0; open && i < nreq; i++) {
		uint32_t r = m->req_off[t] + i;
		wsum += m->req_importance[r];
		nrequired += m->req_required[r] != 0;
		for (uint32_t a = m->alt_off[r]; a < ALT_END(m, r); a++) {
			uint32_t s = m->alt_skill[a];
			/* spread edges come in both directions: s's own list
			 * names every skill u that shows s */
			for (uint32_t j = m->spread_off[s];
			     j < m->spread_off[s + 1]; j++) {
				uint32_t u = m->spread_to[j];
				double f = shows(m, u, s);
				for (uint32_t k = m->sk_cred_off[u];
				     f > 0 && k < m->sk_cred_off[u + 1]; k++) {
					uint32_t c = m->sk_cred[k];
					for (uint32_t q = m->cskill_off[c];
					     q < m->cskill_off[c + 1]; q++)
						if (m->cskill_skill[q] == u) {
							double c12 =
							    f *
							    m->cskill_level[q] *
							    (12 /
							     m->alt_level[a]);
							add_contrib(&x, c, i,
							            c12 > 12
							                ? 12
							                : c12);
						}
				}
			}
		}
	}
	/* holders of a credential the target requires are nominated too */
	for (uint32_t k = m->creq_off[t]; open && k < CREQ_END(m, t); k++)
		for (uint32_t a = m->creq_alt_off[k]; a < CALT_END(m, k); a++)
			add_contrib(&x, m->creq_cred[a], UINT16_MAX, 0);
	/* a stack's additions reach whoever holds one of its parts */
	size_t direct = x.n;
	for (size_t i = 0; i < direct && !x.oom;) {
		size_t j = i;
		while (j < direct && x.v[j].cred == x.v[i].cred)
			j++;
		credit_parts(&x, x.v[i].cred, i, j, 0);
		i = j;
	}
	if (x.oom)
		goto oom;
	if (x.n)
		qsort(x.v, x.n, sizeof *x.v, cmp_contrib);
	/* first[c] = 1 + index of c's first contribution */
	for (size_t i = x.n; i-- > 0;)
		first[x.v[i].cred] = (uint32_t)i + 1;

	/* nominate the holders, over the cells within reach */
	geo_range *rg = e->x->ranges;
	geo_span *sp = e->x->spans;
	size_t nr =
	    m->t_remote[t] ? 0 : geo_ranges(&m->t_loc[t], m->l_reach, rg);
	if (!(cand = malloc(((size_t)m->nlearners + 1) * sizeof *cand)))
		goto oom;
	for (size_t i = 0; i < x.n; i++) {
		uint32_t c = x.v[i].cred;
		if (i && x.v[i - 1].cred == c)
			continue;
		size_t ns = geo_spans(m->holder_key, m->holder_off[c],
		                      m->holder_off[c + 1], rg, nr, sp);
		for (size_t k = 0; k < ns; k++)
			for (uint32_t j = sp[k].a; j < sp[k].b; j++) {
				uint32_t l = m->holder[j];
				bool hd;
				double d;
				if (j + 8 < sp[k].b) {
					uint32_t ahead = m->holder[j + 8];
					PREFETCH(&stamp[ahead]);
					PREFETCH(&m->l_home[ahead]);
					PREFETCH(&m->l_max_commute[ahead]);
					PREFETCH(&m->l_discoverable[ahead]);
				}
				if (stamp[l] == mark)
					continue;
				/* out of range or not discoverable: never a
				 * candidate, so no need to look again */
				stamp[l] = mark;
				if (m->l_discoverable[l] &&
				    geo_in_range(
				        &m->l_home[l], m->l_max_commute[l],
				        &m->t_loc[t], m->t_remote[t], &hd, &d))
					cand[ncand++] = l;
			}
		for (uint32_t k = 0; m->holder_x && k < m->holder_x[c].n; k++) {
			uint32_t l = m->holder_x[c].v[k];
			if (stamp[l] != mark && m->l_discoverable[l]) {
				stamp[l] = mark;
				cand[ncand++] = l;
			}
		}
	}
	/* learners written in place and not nominated: their postings may
	 * be stale */
	for (uint32_t i = 0; open && i < m->l_written.n; i++) {
		uint32_t l = m->l_written.v[i];
		if (stamp[l] != mark) {
			stamp[l] = mark;
			offer_learner(m, sc, (uint32_t)t, as_of, l, &best,
			              &zero);
		}
	}

	/* bounds from each nominee's holdings */
	if (!(nom = malloc((ncand + 1) * sizeof *nom)))
		goto oom;
	for (size_t i = 0; i < ncand; i++) {
		uint32_t l = cand[i];
		/* the nominees are scattered over the learners: fetch ahead,
		 * first where a holding list starts, then the list */
		if (i + 16 < ncand) {
			PREFETCH(&m->hold_off[cand[i + 16]]);
			PREFETCH(&m->hold_cnt[cand[i + 16]]);
		}
		if (i + 8 < ncand) {
			uint32_t h8 = m->hold_off[cand[i + 8]];
			PREFETCH(&m->hold_cred[h8]);
			PREFETCH(&m->hold_from[h8]);
			PREFETCH(&m->hold_until[h8]);
		}
		memset(cov, 0, nreq * sizeof *cov);
		for (uint32_t h = m->hold_off[l]; h < HOLD_END(m, l); h++) {
			uint32_t c = m->hold_cred[h];
			if (!first[c] || m->hold_from[h] > as_of ||
			    as_of >= m->hold_until[h])
				continue;
			for (size_t k = first[c] - 1;
			     k < x.n && x.v[k].cred == c; k++)
				if (x.v[k].req < nreq &&
				    x.v[k].c12 > cov[x.v[k].req])
					cov[x.v[k].req] = x.v[k].c12;
		}
		double num = 0;
		uint32_t met = 0;
		for (uint32_t k = 0; k < nreq; k++) {
			uint32_t r = m->req_off[t] + k;
			num += m->req_importance[r] * cov[k];
			met += m->req_required[r] && cov[k] >= 12;
		}
		double est = wsum > 0 ? 1000 * num / (12 * wsum) : 1000;
		lnominee n = {l, (uint16_t)(est >= 1000 ? 1000 : (int)est),
		              met >= nrequired};
		nom[nnom++] = n;
		bstart[(size_t)n.q * 1001 + n.b + 1]++;
	}
	for (size_t k = 1; k <= 2 * 1001; k++)
		bstart[k] += bstart[k - 1];
	uint32_t *order = cand;
	for (size_t i = 0; i < nnom; i++)
		order[bstart[(size_t)nom[i].q * 1001 + nom[i].b]++] =
		    (uint32_t)i;
	for (size_t k = 2 * 1001; k-- > 0;) {
		if (settled(&best, k >= 1001, (int)(k % 1001) + 1))
			break;
		for (uint32_t i = k ? bstart[k - 1] : 0; i < bstart[k]; i++)
			offer_learner(m, sc, (uint32_t)t, as_of,
			              nom[order[i]].l, &best, &zero);
	}

	/* The learners holding nothing nominated all score alike: 100 when
	 * the target has no requirement, else 0, and qualified when nothing
	 * is required. Only the first of them by id in range can rank. */
	ranked alike = {.score10 = nreq ? 0 : 1000,
	                .qualified = nrequired == 0 && !m->creq_cnt[t]};
	topk *into = positive(&alike) ? &best : &zero;
	size_t want = top;
	if (open &&
	    !(positive(&alike) &&
	      settled(&best, alike.qualified, alike.score10)) &&
	    (positive(&alike) || best.n < top)) {
		/* the built learners (those written in place were offered):
		 * over the grid cells within reach, or else in id order, where
		 * the first `top` in range are the ones */
		uint32_t built = m->nlearners_built;
		size_t ns =
		    nr ? geo_spans(m->lgeo_key, 0, built, rg, nr, sp) : 1;
		if (!nr)
			sp[0] = (geo_span){0, built};
		for (size_t k = 0; k < ns && want; k++)
			for (uint32_t j = sp[k].a; j < sp[k].b && want; j++) {
				uint32_t l = nr ? m->lgeo[j] : j;
				ranked r = alike;
				r.idx = l;
				if (stamp[l] == mark || !m->l_discoverable[l] ||
				    !geo_in_range(&m->l_home[l],
				                  m->l_max_commute[l],
				                  &m->t_loc[t], m->t_remote[t],
				                  &r.has_distance, &r.distance))
					continue;
				topk_add(into, &r);
				want -= !nr;
			}
	}
	topk_sort(&best);
	topk_sort(&zero);
	ranked *all = best.v;
	size_t n = best.n;
	for (size_t i = 0; i < zero.n && n < top; i++)
		all[n++] = zero.v[i];

	arena *a = &res->mem;
	pw_candidates *c = &res->pub;
	c->target = arena_keep(a, m->t_id[t], &oom);
	c->title = arena_keep(a, m->t_title[t], &oom);
	c->as_of = as_of;
	c->open = open;
	c->rows = aalloc(a, n, sizeof *c->rows, &oom);
	for (size_t i = 0; i < n && !oom; i++) {
		uint32_t l = all[i].idx;
		pw_candidate *row = &c->rows[c->count++];
		scorer_set(sc, l, as_of, NULL, 0);
		pw_match_row tmp = {0};
		fill_lists(a, m, sc, (uint32_t)t, ev, &tmp, &oom);
		if (oom)
			break;
		row->learner = arena_keep(a, m->l_id[l], &oom);
		row->score = all[i].score10 / 10.0;
		row->qualified = all[i].qualified;
		row->has_distance = all[i].has_distance;
		row->distance_miles = num_round(all[i].distance, 1);
		row->met = tmp.met;
		row->nmet = tmp.nmet;
		own_strings(a, row->met, row->nmet, &oom);
		row->missing = tmp.missing;
		row->nmissing = tmp.nmissing;
		own_strings(a, row->missing, row->nmissing, &oom);
		row->ncredentials = sc->nheld;
		row->credentials = aalloc(a, sc->nheld, sizeof(char *), &oom);
		for (uint32_t k = 0; !oom && k < sc->nheld; k++)
			row->credentials[k] =
			    arena_keep(a, m->cred_id[sc->held_list[k]], &oom);
		/* consent: personal data only when the learner shares it */
		row->share_contact = m->l_share_contact[l];
		if (row->share_contact) {
			row->name = arena_keep(a, m->l_name[l], &oom);
			row->contact = arena_keep(a, m->l_contact[l], &oom);
		}
	}
	if (oom)
		goto oom;
	*out = c;
	res = NULL;
	st = PW_OK;
	goto out;
oom:
	st = pw_oom(err);
out:
	free(x.v);
	free(first);
	free(cand);
	free(nom);
	free(cov);
	free(bstart);
	free(ev);
	free(best.v);
	free(zero.v);
	if (res)
		pw_candidates_free(&res->pub);
	return st;
}

/* The model is read under the shared lock, released on every path. */
pw_status pw_find_candidates(pw_engine *e, const char *target, pw_date as_of,
                             size_t top, pw_candidates **out, pw_error *err)
{
	pw_status st = find_candidates_locked(e, target, as_of, top, out, err);
	engine_done(e);
	return st;
}

void pw_candidates_free(pw_candidates *c)
{
	if (!c)
		return;
	struct pw_candidates_res *r = (struct pw_candidates_res *)c;
	arena_release(&r->mem);
	free(r);
}

char *pw_candidates_json(const pw_candidates *c, unsigned flags)
{
	jsonw w;
	jw_init(&w, flags);
	jw_obj(&w);
	jw_key(&w, "job");
	jw_str(&w, c->target);
	jw_key(&w, "as_of");
	jw_date(&w, c->as_of);
	jw_key(&w, "results");
	jw_arr(&w);
	for (size_t i = 0; i < c->count; i++) {
		const pw_candidate *r = &c->rows[i];
		jw_obj(&w);
		jw_key(&w, "learner");
		jw_str(&w, r->learner);
		jw_key(&w, "score");
		jw_real(&w, r->score);
		jw_key(&w, "qualified");
		jw_bool(&w, r->qualified);
		nullable_real(&w, "distance_miles", r->has_distance,
		              r->distance_miles);
		str_array(&w, "met", r->met, r->nmet);
		str_array(&w, "missing", r->missing, r->nmissing);
		str_array(&w, "credentials", r->credentials, r->ncredentials);
		if (r->share_contact) {
			jw_key(&w, "name");
			jw_str(&w, r->name);
			jw_key(&w, "contact");
			jw_str(&w, r->contact);
		}
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	return jw_finish(&w);
}
