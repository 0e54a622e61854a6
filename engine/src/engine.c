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
	pw_status st =
	    store_open(path, (flags & PW_OPEN_CREATE) != 0, &e->st, err);
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
	pw_status st = store_open(store_path(e->st), false, &s->st, err);
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

void pw_close(pw_engine *e)
{
	if (!e)
		return;
	engine_done(e);
	shared_release(e->sh);
	store_close(e->st);
	free(e);
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
			if (!(st = model_build(e->st, &m, err))) {
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

static pw_status match_learner_locked(pw_engine *e, const char *learner,
                                      const pw_match_opts *o, pw_match **out,
                                      pw_error *err)
{
	const model *m;
	int64_t l;
	scorer sc;
	pw_status st;
	if ((st = engine_model(e, &m, err)) ||
	    (st = engine_find_learner(m, learner, &l, err)))
		return st;
	if ((st = scorer_init(&sc, m, err)))
		return st;
	scorer_set(&sc, l, o->as_of, NULL, 0);

	/* postings or occupations, live ones */
	uint8_t want_occ = o->occupations;
	size_t nt = (size_t)m->ntargets + 1;
	size_t top = o->top ? o->top : 10, n = 0, nzero = 0, ncand = 0;
	bool oom = false;
	ranking = m;
	ranked *all = malloc(nt * sizeof *all);
	ranked *zero = malloc(nt * sizeof *zero);
	uint32_t *cand = malloc(nt * sizeof *cand);
	uint8_t *mark = calloc(nt, 1);
	struct pw_match_res *res = calloc(1, sizeof *res);
	req_eval *ev = NULL;
	if (!all || !zero || !cand || !mark || !res)
		goto oom;
	for (uint32_t i = 0; i < sc.ntouched; i++) {
		uint32_t s = sc.touched[i];
		for (uint32_t k = m->sk_target_off[s];
		     k < m->sk_target_off[s + 1]; k++) {
			uint32_t t = m->sk_target[k];
			if (m->t_occ[t] == want_occ && !m->t_deleted[t] &&
			    !mark[t]) {
				mark[t] = 1;
				cand[ncand++] = t;
			}
		}
		for (uint32_t k = 0; m->sk_target_x && k < m->sk_target_x[s].n;
		     k++) {
			uint32_t t = m->sk_target_x[s].v[k];
			if (m->t_occ[t] == want_occ && !m->t_deleted[t] &&
			    !mark[t]) {
				mark[t] = 1;
				cand[ncand++] = t;
			}
		}
	}
	for (uint32_t i = 0; i < m->nopen_ended; i++) {
		uint32_t t = m->open_ended[i];
		if (m->t_occ[t] == want_occ && !m->t_deleted[t] && !mark[t]) {
			mark[t] = 1;
			cand[ncand++] = t;
		}
	}
	for (size_t i = 0; i < ncand; i++) {
		uint32_t t = cand[i];
		ranked r = {.idx = t, .wage = m->t_wage[t]};
		if (!engine_target_open(m, t, o->as_of) || unrated(m, t))
			continue;
		bool in = geo_in_range(&m->l_home[l], m->l_max_commute[l],
		                       &m->t_loc[t], m->t_remote[t],
		                       &r.has_distance, &r.distance);
		if (!in && !o->anywhere)
			continue;
		target_eval te = scorer_eval(&sc, t, NULL);
		if (o->qualified && !te.qualified)
			continue;
		r.score10 = te.score10;
		r.qualified = te.qualified;
		if (positive(&r))
			all[n++] = r;
		else
			zero[nzero++] = r;
	}
	qsort(all, n, sizeof *all, cmp_match);
	if (n < top && !o->qualified) {
		for (uint32_t t = 0; t < m->ntargets; t++) {
			ranked r = {.idx = t, .wage = m->t_wage[t]};
			if (mark[t] || m->t_occ[t] != want_occ ||
			    m->t_deleted[t] || unrated(m, t) ||
			    !engine_target_open(m, t, o->as_of))
				continue;
			if (!geo_in_range(&m->l_home[l], m->l_max_commute[l],
			                  &m->t_loc[t], m->t_remote[t],
			                  &r.has_distance, &r.distance) &&
			    !o->anywhere)
				continue;
			zero[nzero++] = r;
		}
		qsort(zero, nzero, sizeof *zero, cmp_match);
		for (size_t i = 0; i < nzero && n < top; i++)
			all[n++] = zero[i];
	}
	if (n > top)
		n = top;

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
		fill_lists(a, m, &sc, t, ev, row, &oom);
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
	free(all);
	free(zero);
	free(cand);
	free(mark);
	scorer_release(&sc);
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

/* Marks the learners who list credential c, or (for a stack) the parts it
 * is earned through. */
static void mark_holders(const model *m, uint32_t c, uint8_t *seen_cred,
                         uint8_t *mark, uint32_t *list, size_t *n)
{
	if (seen_cred[c])
		return;
	seen_cred[c] = 1;
	for (uint32_t k = m->holder_off[c]; k < m->holder_off[c + 1]; k++) {
		uint32_t l = m->holder[k];
		if (!mark[l] && m->l_discoverable[l]) {
			mark[l] = 1;
			list[(*n)++] = l;
		}
	}
	for (uint32_t k = 0; m->holder_x && k < m->holder_x[c].n; k++) {
		uint32_t l = m->holder_x[c].v[k];
		if (!mark[l] && m->l_discoverable[l]) {
			mark[l] = 1;
			list[(*n)++] = l;
		}
	}
	for (uint32_t k = m->comp_off[c]; k < m->comp_off[c + 1]; k++)
		mark_holders(m, m->comp[k], seen_cred, mark, list, n);
}

static pw_status find_candidates_locked(pw_engine *e, const char *target,
                                        pw_date as_of, size_t top,
                                        pw_candidates **out, pw_error *err)
{
	const model *m;
	int64_t t;
	scorer sc;
	pw_status st;
	bool oom = false;
	if ((st = engine_model(e, &m, err)) ||
	    (st = engine_find_target(m, target, &t, err)))
		return st;
	if ((st = scorer_init(&sc, m, err)))
		return st;
	if (!top)
		top = 20;
	ranking = m;
	size_t n = 0, nzero = 0, ncand = 0;
	uint32_t nreq = REQ_END(m, t) - m->req_off[t];
	size_t nl = (size_t)m->nlearners + 1;
	ranked *all = malloc(nl * sizeof *all);
	ranked *zero = malloc(nl * sizeof *zero);
	uint32_t *cand = malloc(nl * sizeof *cand);
	uint8_t *mark = calloc(nl, 1);
	uint8_t *seen_cred = calloc((size_t)m->ncreds + 1, 1);
	req_eval *ev = malloc((nreq + 1) * sizeof *ev);
	struct pw_candidates_res *res = calloc(1, sizeof *res);
	if (!all || !zero || !cand || !mark || !seen_cred || !ev || !res)
		goto oom;
	bool open = engine_target_open(m, (uint32_t)t, as_of);
	bool open_ended = false;
	for (uint32_t i = 0; i < m->nopen_ended; i++)
		open_ended |= m->open_ended[i] == (uint32_t)t;
	if (open && open_ended) {
		/* anyone may qualify: score every discoverable learner */
		for (uint32_t l = 0; l < m->nlearners; l++)
			if (m->l_discoverable[l]) {
				mark[l] = 1;
				cand[ncand++] = l;
			}
	} else if (open) {
		/* learners holding a credential that grants a skill showing a
		 * required skill (one taxonomy step either way) */
		for (uint32_t r = m->req_off[t]; r < REQ_END(m, t); r++)
			for (uint32_t a = m->alt_off[r]; a < ALT_END(m, r);
			     a++) {
				uint32_t s = m->alt_skill[a];
				for (uint32_t j = m->spread_off[s];
				     j < m->spread_off[s + 1]; j++) {
					uint32_t u = m->spread_to[j];
					for (uint32_t k = m->sk_cred_off[u];
					     k < m->sk_cred_off[u + 1]; k++)
						mark_holders(m, m->sk_cred[k],
						             seen_cred, mark,
						             cand, &ncand);
				}
			}
	}
	for (size_t i = 0; i < ncand; i++) {
		uint32_t l = cand[i];
		ranked r = {.idx = l};
		if (!geo_in_range(&m->l_home[l], m->l_max_commute[l],
		                  &m->t_loc[t], m->t_remote[t], &r.has_distance,
		                  &r.distance))
			continue;
		scorer_set(&sc, l, as_of, NULL, 0);
		target_eval te = scorer_eval(&sc, (uint32_t)t, NULL);
		r.score10 = te.score10;
		r.qualified = te.qualified;
		if (positive(&r))
			all[n++] = r;
		else
			zero[nzero++] = r;
	}
	qsort(all, n, sizeof *all, cmp_candidate);
	if (open && n < top) {
		for (uint32_t l = 0; l < m->nlearners; l++) {
			ranked r = {.idx = l};
			if (mark[l] || !m->l_discoverable[l] ||
			    !geo_in_range(&m->l_home[l], m->l_max_commute[l],
			                  &m->t_loc[t], m->t_remote[t],
			                  &r.has_distance, &r.distance))
				continue;
			zero[nzero++] = r;
		}
		qsort(zero, nzero, sizeof *zero, cmp_candidate);
		for (size_t i = 0; i < nzero && n < top; i++)
			all[n++] = zero[i];
	}
	if (n > top)
		n = top;

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
		scorer_set(&sc, l, as_of, NULL, 0);
		pw_match_row tmp = {0};
		fill_lists(a, m, &sc, (uint32_t)t, ev, &tmp, &oom);
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
		row->ncredentials = sc.nheld;
		row->credentials = aalloc(a, sc.nheld, sizeof(char *), &oom);
		for (uint32_t k = 0; !oom && k < sc.nheld; k++)
			row->credentials[k] =
			    arena_keep(a, m->cred_id[sc.held_list[k]], &oom);
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
	free(all);
	free(zero);
	free(cand);
	free(mark);
	free(seen_cred);
	free(ev);
	scorer_release(&sc);
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
