/* model.c - builds the in-memory model from the store: dense ids in id
 * order, flat arrays and CSR adjacency, and the taxonomy's one-step
 * "spread" precomputed per skill, so that scoring never touches SQL or
 * compares strings. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* A growable array of fixed-size elements. */
typedef struct vec {
	void *data;
	size_t len, cap, size;
} vec;

static void *vec_push(vec *v)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		void *d = realloc(v->data, cap * v->size);
		if (!d)
			return NULL;
		v->data = d;
		v->cap = cap;
	}
	void *p = (char *)v->data + v->len * v->size;
	memset(p, 0, v->size);
	v->len++;
	return p;
}

static void vec_release(vec *v)
{
	free(v->data);
	v->data = NULL;
	v->len = v->cap = 0;
}

#define VEC(T)      ((vec){.size = sizeof(T)})
#define AT(v, T, i) (((T *)(v).data)[i])

int64_t model_find(const char *const *ids, uint32_t n, const char *id)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ids[mid], id);
		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

typedef struct build {
	model *m;
	vec ids, names; /* const char * (arena) */
	vec a, b, c;    /* scratch rows, meaning per scan */
	/* id -> index + 1 of skills and credentials, for the child rows */
	strmap skill_ix, cred_ix;
	/* rows come grouped by owner: the last owner looked up */
	char *last_owner;
	size_t last_cap;
	int64_t last_index;
	pw_status st;
	bool oom;
} build;

static bool index_ids(strmap *map, const char *const *ids, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strmap_put(map, ids[i], (void *)(uintptr_t)(i + 1)))
			return false;
	return true;
}

static int64_t lookup(const strmap *map, const char *id)
{
	void *v = strmap_get(map, id);
	return v ? (int64_t)(uintptr_t)v - 1 : -1;
}

/* The index of an owner id, searched only when it differs from the last
 * one asked (a scan's rows come grouped by owner). */
static int64_t owner_index(build *b, const char *id,
                           int64_t (*find)(const model *, const char *))
{
	size_t n = strlen(id);
	if (b->last_owner && strcmp(b->last_owner, id) == 0)
		return b->last_index;
	if (n + 1 > b->last_cap) {
		char *p = realloc(b->last_owner, n + 1);
		if (!p)
			return find(b->m, id); /* no cache; still correct */
		b->last_owner = p;
		b->last_cap = n + 1;
	}
	memcpy(b->last_owner, id, n + 1);
	return b->last_index = find(b->m, id);
}

static void owner_reset(build *b)
{
	if (b->last_owner)
		b->last_owner[0] = '\1'; /* matches no id */
}

static const char *keep(build *b, const char *s)
{
	if (!s)
		return NULL;
	const char *d = arena_strdup(&b->m->mem, s);
	if (!d)
		b->oom = true;
	return d;
}

static void *alloc_array(build *b, size_t n, size_t size)
{
	void *p = arena_alloc(&b->m->mem, (n ? n : 1) * size);
	if (!p)
		b->oom = true;
	return p;
}

/* The mutable columns (targets, learners and the pools of their lists) are
 * malloc'd so that writes can grow them; model_free frees them by name. */
static void *alloc_col(build *b, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		b->oom = true;
	return p;
}

#define ROW_FAIL(b) ((b)->oom = true, PW_ERR_NOMEM)

/* ---- skills ---- */

static pw_status row_id_name(void *ctx, const scan_row *r)
{
	build *b = ctx;
	const char **id = vec_push(&b->ids), **name = vec_push(&b->names);
	if (!id || !name)
		return ROW_FAIL(b);
	*id = keep(b, row_text(r, 0));
	*name = keep(b, row_null(r, 1) ? NULL : row_text(r, 1));
	return b->oom ? PW_ERR_NOMEM : PW_OK;
}

typedef struct edge {
	uint32_t from, to;
	double weight;
} edge;

typedef struct edge_ctx {
	build *b;
	vec *out;
	bool weighted;
} edge_ctx;

static pw_status row_edge(void *ctx, const scan_row *r)
{
	edge_ctx *e = ctx;
	int64_t from = lookup(&e->b->skill_ix, row_text(r, 0));
	int64_t to = lookup(&e->b->skill_ix, row_text(r, 1));
	if (from < 0 || to < 0)
		return PW_OK; /* foreign keys make this unreachable */
	edge *x = vec_push(e->out);
	if (!x)
		return ROW_FAIL(e->b);
	x->from = (uint32_t)from;
	x->to = (uint32_t)to;
	x->weight = e->weighted ? row_real(r, 2) : 1.0;
	return PW_OK;
}

typedef struct spread {
	uint32_t from, to;
	double factor;
	uint8_t via;
} spread;

static int cmp_spread(const void *x, const void *y)
{
	const spread *a = x, *b = y;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return a->via < b->via ? -1 : a->via > b->via;
}

static pw_status build_skills(build *b, store *s, pw_error *err)
{
	model *m = b->m;
	vec broader = VEC(edge), related = VEC(edge), sp = VEC(spread);
	pw_status st;
	b->ids = VEC(const char *);
	b->names = VEC(const char *);
	if ((st = store_scan(s, SCAN_SKILLS, row_id_name, b, err)))
		goto out;
	m->nskills = (uint32_t)b->ids.len;
	m->skill_id =
	    arena_memdup(&m->mem, b->ids.data, b->ids.len * sizeof(char *));
	m->skill_name =
	    arena_memdup(&m->mem, b->names.data, b->names.len * sizeof(char *));
	vec_release(&b->ids);
	vec_release(&b->names);
	if (!m->skill_id || !m->skill_name ||
	    !index_ids(&b->skill_ix, m->skill_id, m->nskills))
		goto oom;

	edge_ctx ec = {b, &broader, false};
	if ((st = store_scan(s, SCAN_SKILL_BROADER, row_edge, &ec, err)))
		goto out;
	ec.out = &related;
	ec.weighted = true;
	if ((st = store_scan(s, SCAN_SKILL_RELATED, row_edge, &ec, err)))
		goto out;

	/* What holding skill t shows (SPEC §3, one step only). */
	for (uint32_t t = 0; t < m->nskills; t++) {
		spread *x = vec_push(&sp);
		if (!x)
			goto oom;
		*x = (spread){t, t, 1.0, PW_VIA_DIRECT};
	}
	for (size_t i = 0; i < broader.len; i++) {
		edge e =
		    AT(broader, edge, i); /* e.from is narrower than e.to */
		spread *up = vec_push(&sp), *down;
		if (!up)
			goto oom;
		*up = (spread){e.from, e.to, 1.0, PW_VIA_NARROWER};
		if (!(down = vec_push(&sp)))
			goto oom;
		*down = (spread){e.to, e.from, 0.5, PW_VIA_BROADER};
	}
	for (size_t i = 0; i < related.len; i++) {
		edge e = AT(related, edge, i);
		spread *x = vec_push(&sp), *y;
		if (!x)
			goto oom;
		*x = (spread){e.from, e.to, e.weight, PW_VIA_RELATED};
		if (!(y = vec_push(&sp)))
			goto oom;
		*y = (spread){e.to, e.from, e.weight, PW_VIA_RELATED};
	}
	if (sp.len)
		qsort(sp.data, sp.len, sizeof(spread), cmp_spread);

	/* Merge duplicates of (from, to, via), keeping the larger factor: a
	 * related edge declared on both sides counts with the larger weight. */
	size_t n = 0;
	for (size_t i = 0; i < sp.len; i++) {
		spread *x = &AT(sp, spread, i);
		spread *last = n ? &AT(sp, spread, n - 1) : NULL;
		if (last && last->from == x->from && last->to == x->to &&
		    last->via == x->via) {
			if (x->factor > last->factor)
				last->factor = x->factor;
			continue;
		}
		AT(sp, spread, n++) = *x;
	}
	m->spread_off = alloc_array(b, m->nskills + 1, sizeof(uint32_t));
	m->spread_to = alloc_array(b, n, sizeof(uint32_t));
	m->spread_factor = alloc_array(b, n, sizeof(double));
	m->spread_via = alloc_array(b, n, sizeof(uint8_t));
	if (b->oom)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		spread *x = &AT(sp, spread, i);
		m->spread_off[x->from + 1]++;
		m->spread_to[i] = x->to;
		m->spread_factor[i] = x->factor;
		m->spread_via[i] = x->via;
	}
	for (uint32_t t = 0; t < m->nskills; t++)
		m->spread_off[t + 1] += m->spread_off[t];
	st = PW_OK;
	goto out;
oom:
	st = pw_oom(err);
out:
	vec_release(&broader);
	vec_release(&related);
	vec_release(&sp);
	return st;
}

/* ---- credentials ---- */

static bool keep_loc(build *b, loc *l, const scan_row *r, int has_col,
                     int first)
{
	memset(l, 0, sizeof *l);
	if (has_col >= 0 && !row_int(r, has_col))
		return true;
	l->has_coords = !row_null(r, first) && !row_null(r, first + 1);
	l->lat = row_real(r, first);
	l->lon = row_real(r, first + 1);
	l->county =
	    row_null(r, first + 2) ? NULL : keep(b, row_text(r, first + 2));
	l->state =
	    row_null(r, first + 3) ? NULL : keep(b, row_text(r, first + 3));
	return !b->oom;
}

typedef struct cred_row {
	const char *id, *name;
	double hours, cost, credits;
	int32_t months;
	uint8_t listed, online;
	loc where;
} cred_row;

static pw_status row_cred(void *ctx, const scan_row *r)
{
	build *b = ctx;
	cred_row *c = vec_push(&b->a);
	if (!c)
		return ROW_FAIL(b);
	c->id = keep(b, row_text(r, 0));
	c->name = keep(b, row_text(r, 1));
	c->hours = row_null(r, 2) ? NAN : row_real(r, 2);
	c->cost = row_null(r, 3) ? NAN : row_real(r, 3);
	c->listed = row_int(r, 4) != 0;
	c->months = row_null(r, 5) ? 0 : (int32_t)row_int(r, 5);
	c->online = !row_null(r, 6) && strcmp(row_text(r, 6), "online") == 0;
	c->credits = row_null(r, 7) ? 0 : row_real(r, 7);
	keep_loc(b, &c->where, r, 8, 9);
	return b->oom ? PW_ERR_NOMEM : PW_OK;
}

typedef struct pair_row {
	uint32_t owner, value;
	uint32_t pos;
	uint8_t small;
} pair_row;

typedef struct pair_ctx {
	build *b;
	const strmap *values_ix;
	int level_col; /* column of a small integer, or -1 */
} pair_ctx;

static pw_status row_pair(void *ctx, const scan_row *r)
{
	pair_ctx *p = ctx;
	int64_t o = lookup(&p->b->cred_ix, row_text(r, 0));
	int64_t v = lookup(p->values_ix, row_text(r, 1));
	if (o < 0 || v < 0)
		return PW_OK;
	pair_row *x = vec_push(&p->b->b);
	if (!x)
		return ROW_FAIL(p->b);
	x->owner = (uint32_t)o;
	x->value = (uint32_t)v;
	x->small = p->level_col >= 0 ? (uint8_t)row_int(r, p->level_col) : 0;
	return PW_OK;
}

/* Rows arrive grouped by owner in owner order: a CSR is a prefix count. */
static void pairs_to_csr(build *b, uint32_t nowners, uint32_t **off,
                         uint32_t **val, uint8_t **small)
{
	size_t n = b->b.len;
	*off = alloc_array(b, nowners + 1, sizeof(uint32_t));
	*val = alloc_array(b, n, sizeof(uint32_t));
	if (small)
		*small = alloc_array(b, n, sizeof(uint8_t));
	if (b->oom)
		return;
	for (size_t i = 0; i < n; i++) {
		pair_row *x = &AT(b->b, pair_row, i);
		(*off)[x->owner + 1]++;
		(*val)[i] = x->value;
		if (small)
			(*small)[i] = x->small;
	}
	for (uint32_t o = 0; o < nowners; o++)
		(*off)[o + 1] += (*off)[o];
	b->b.len = 0;
}

static pw_status build_credentials(build *b, store *s, pw_error *err)
{
	model *m = b->m;
	pw_status st;
	b->a = VEC(cred_row);
	b->b = VEC(pair_row);
	if ((st = store_scan(s, SCAN_CREDS, row_cred, b, err)))
		return st;
	uint32_t n = m->ncreds = (uint32_t)b->a.len;
	m->cred_id = alloc_array(b, n, sizeof(char *));
	m->cred_name = alloc_array(b, n, sizeof(char *));
	m->cred_hours = alloc_array(b, n, sizeof(double));
	m->cred_cost = alloc_array(b, n, sizeof(double));
	m->cred_college_credits = alloc_array(b, n, sizeof(double));
	m->cred_expires_months = alloc_array(b, n, sizeof(int32_t));
	m->cred_listed = alloc_array(b, n, 1);
	m->cred_remote_ok = alloc_array(b, n, 1);
	m->cred_loc = alloc_array(b, n, sizeof(loc));
	if (b->oom)
		return pw_oom(err);
	for (uint32_t i = 0; i < n; i++) {
		cred_row *c = &AT(b->a, cred_row, i);
		m->cred_id[i] = c->id;
		m->cred_name[i] = c->name;
		m->cred_hours[i] = c->hours;
		m->cred_cost[i] = c->cost;
		m->cred_college_credits[i] = c->credits;
		m->cred_expires_months[i] = c->months;
		m->cred_listed[i] = c->listed;
		m->cred_remote_ok[i] = c->online;
		m->cred_loc[i] = c->where;
	}
	vec_release(&b->a);

	if (!index_ids(&b->cred_ix, m->cred_id, n))
		return pw_oom(err);
	pair_ctx pc = {b, &b->skill_ix, 2};
	if ((st = store_scan(s, SCAN_CRED_SKILLS, row_pair, &pc, err)))
		return st;
	pairs_to_csr(b, n, &m->cskill_off, &m->cskill_skill, &m->cskill_level);
	pc.values_ix = &b->cred_ix;
	pc.level_col = -1;
	if ((st = store_scan(s, SCAN_CRED_PREREQS, row_pair, &pc, err)))
		return st;
	pairs_to_csr(b, n, &m->prereq_off, &m->prereq, NULL);
	if ((st = store_scan(s, SCAN_CRED_COMPONENTS, row_pair, &pc, err)))
		return st;
	pairs_to_csr(b, n, &m->comp_off, &m->comp, NULL);
	vec_release(&b->b);
	if (b->oom)
		return pw_oom(err);

	return PW_OK;
}

/* ---- targets ---- */

typedef struct target_row {
	const char *id, *title, *employer;
	uint8_t remote;
	loc where;
	double wage;
	int64_t openings;
	pw_date expires;
} target_row;

static double annual_wage(const scan_row *r, int has_col)
{
	if (!row_int(r, has_col))
		return NAN;
	double v = !row_null(r, has_col + 1)   ? row_real(r, has_col + 1)
	           : !row_null(r, has_col + 2) ? row_real(r, has_col + 2)
	                                       : NAN;
	if (!row_null(r, has_col + 3) &&
	    strcmp(row_text(r, has_col + 3), "hour") == 0)
		v *= 2080;
	return v;
}

static pw_status row_job(void *ctx, const scan_row *r)
{
	build *b = ctx;
	target_row *t = vec_push(&b->a);
	if (!t)
		return ROW_FAIL(b);
	t->id = keep(b, row_text(r, 0));
	t->title = keep(b, row_text(r, 1));
	t->employer = row_null(r, 2) ? NULL : keep(b, row_text(r, 2));
	keep_loc(b, &t->where, r, 3, 4);
	t->remote = row_int(r, 8) != 0;
	t->wage = annual_wage(r, 9);
	t->openings = row_int(r, 13);
	t->expires = row_date(r, 14);
	return b->oom ? PW_ERR_NOMEM : PW_OK;
}

static pw_status row_occ(void *ctx, const scan_row *r)
{
	build *b = ctx;
	target_row *t = vec_push(&b->a);
	if (!t)
		return ROW_FAIL(b);
	t->id = keep(b, row_text(r, 0));
	t->title = keep(b, row_text(r, 1));
	t->remote = 1; /* an occupation is scored like a remote job */
	t->wage = annual_wage(r, 2);
	t->openings = row_null(r, 6) ? 0 : row_int(r, 6);
	t->expires = PW_DATE_NONE;
	return b->oom ? PW_ERR_NOMEM : PW_OK;
}

/* A built target by id: jobs 0..njobs-1 and occupations after them, each
 * part in id order. */
static int64_t find_target(const model *m, const char *id)
{
	int64_t j = model_find(m->t_id, m->njobs, id);
	if (j >= 0)
		return j;
	j = model_find(m->t_id + m->njobs, m->nocc, id);
	return j >= 0 ? j + m->njobs : -1;
}

static int64_t find_learner(const model *m, const char *id)
{
	return model_find(m->l_id, m->nlearners_built, id);
}

typedef struct req_row {
	uint32_t target, pos;
	uint32_t value; /* skill or credential */
	uint8_t a, b, c;
} req_row;

typedef struct req_ctx {
	build *b;
	int kind; /* 0 requirement, 1 alternative, 2 credential entry */
} req_ctx;

static pw_status row_req(void *ctx, const scan_row *r)
{
	req_ctx *rc = ctx;
	int64_t t = owner_index(rc->b, row_text(r, 0), find_target);
	if (t < 0)
		return PW_OK; /* rows of a target that no longer exists */
	int64_t v = 0;
	if (rc->kind == 1)
		v = lookup(&rc->b->skill_ix, row_text(r, 2));
	else if (rc->kind == 2)
		v = lookup(&rc->b->cred_ix, row_text(r, 2));
	if (v < 0)
		return PW_OK;
	req_row *x = vec_push(&rc->b->c);
	if (!x)
		return ROW_FAIL(rc->b);
	x->target = (uint32_t)t;
	x->pos = (uint32_t)row_int(r, 1);
	x->value = (uint32_t)v;
	if (rc->kind == 0) {
		x->a = (uint8_t)row_int(r, 2);
		x->b = (uint8_t)row_int(r, 3);
		x->c = (uint8_t)row_int(r, 4);
	} else if (rc->kind == 1)
		x->a = (uint8_t)row_int(r, 3);
	return PW_OK;
}

static int cmp_req_row(const void *x, const void *y)
{
	const req_row *a = x, *b = y;
	if (a->target != b->target)
		return a->target < b->target ? -1 : 1;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return 0;
}

/* Job and occupation ids interleave in SQL order, so rows are sorted by dense
 * target (stably: mergesort keeps the alternatives' order). */
static void sort_req_rows(vec *v)
{
	/* insertion into buckets by target keeps the original order */
	size_t n = v->len;
	if (n < 2)
		return;
	req_row *tmp = malloc(n * sizeof *tmp);
	if (!tmp) {
		qsort(v->data, n, sizeof(req_row), cmp_req_row);
		return;
	}
	req_row *src = v->data;
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = cmp_req_row(&src[j], &src[i]) < 0
				               ? src[j++]
				               : src[i++];
			while (i < mid)
				tmp[k++] = src[i++];
			while (j < hi)
				tmp[k++] = src[j++];
		}
		memcpy(src, tmp, n * sizeof *tmp);
	}
	free(tmp);
}

static pw_status build_targets(build *b, store *s, pw_error *err)
{
	model *m = b->m;
	pw_status st;
	b->a = VEC(target_row);
	b->c = VEC(req_row);
	if ((st = store_scan(s, SCAN_JOBS, row_job, b, err)))
		return st;
	m->njobs = (uint32_t)b->a.len;
	if ((st = store_scan(s, SCAN_OCCS, row_occ, b, err)))
		return st;
	uint32_t n = m->ntargets = (uint32_t)b->a.len;
	m->nocc = n - m->njobs;
	m->t_id = alloc_col(b, n, sizeof(char *));
	m->t_title = alloc_col(b, n, sizeof(char *));
	m->t_employer = alloc_col(b, n, sizeof(char *));
	m->t_remote = alloc_col(b, n, 1);
	m->t_loc = alloc_col(b, n, sizeof(loc));
	m->t_wage = alloc_col(b, n, sizeof(double));
	m->t_openings = alloc_col(b, n, sizeof(int64_t));
	m->t_expires = alloc_col(b, n, sizeof(pw_date));
	if (b->oom)
		return pw_oom(err);
	for (uint32_t i = 0; i < n; i++) {
		target_row *t = &AT(b->a, target_row, i);
		m->t_id[i] = t->id;
		m->t_title[i] = t->title;
		m->t_employer[i] = t->employer;
		m->t_remote[i] = t->remote;
		m->t_loc[i] = t->where;
		m->t_wage[i] = t->wage;
		m->t_openings[i] = t->openings;
		m->t_expires[i] = t->expires;
	}
	vec_release(&b->a);

	/* requirements */
	req_ctx rc = {b, 0};
	owner_reset(b);
	if ((st = store_scan(s, SCAN_REQS, row_req, &rc, err)))
		return st;
	sort_req_rows(&b->c);
	size_t nreq = b->c.len;
	m->req_off = alloc_col(b, n + 1, sizeof(uint32_t));
	m->req_importance = alloc_col(b, nreq, 1);
	m->req_required = alloc_col(b, nreq, 1);
	m->req_any = alloc_col(b, nreq, 1);
	if (b->oom)
		return pw_oom(err);
	for (size_t i = 0; i < nreq; i++) {
		req_row *x = &AT(b->c, req_row, i);
		m->req_off[x->target + 1]++;
		m->req_importance[i] = x->a;
		m->req_required[i] = x->b;
		m->req_any[i] = x->c;
	}
	for (uint32_t t = 0; t < n; t++)
		m->req_off[t + 1] += m->req_off[t];
	b->c.len = 0;

	/* alternatives: requirement index = req_off[target] + pos */
	rc.kind = 1;
	owner_reset(b);
	if ((st = store_scan(s, SCAN_REQ_SKILLS, row_req, &rc, err)))
		return st;
	sort_req_rows(&b->c);
	size_t nalt = b->c.len;
	m->alt_off = alloc_col(b, nreq + 1, sizeof(uint32_t));
	m->alt_skill = alloc_col(b, nalt, sizeof(uint32_t));
	m->alt_level = alloc_col(b, nalt, 1);
	if (b->oom)
		return pw_oom(err);
	for (size_t i = 0; i < nalt; i++) {
		req_row *x = &AT(b->c, req_row, i);
		uint32_t r = m->req_off[x->target] + x->pos;
		if (r >= m->req_off[x->target + 1])
			continue;
		m->alt_off[r + 1]++;
		m->alt_skill[i] = x->value;
		m->alt_level[i] = x->a;
	}
	for (size_t r = 0; r < nreq; r++)
		m->alt_off[r + 1] += m->alt_off[r];
	b->c.len = 0;

	/* credential entries: entry index = creq_off[target] + pos */
	rc.kind = 2;
	owner_reset(b);
	if ((st = store_scan(s, SCAN_CREDREQS, row_req, &rc, err)))
		return st;
	sort_req_rows(&b->c);
	size_t ncr = b->c.len;
	m->creq_off = alloc_col(b, n + 1, sizeof(uint32_t));
	if (b->oom)
		return pw_oom(err);
	for (size_t i = 0; i < ncr; i++) {
		req_row *x = &AT(b->c, req_row, i);
		if (x->pos + 1 > m->creq_off[x->target + 1])
			m->creq_off[x->target + 1] = x->pos + 1;
	}
	for (uint32_t t = 0; t < n; t++)
		m->creq_off[t + 1] += m->creq_off[t];
	uint32_t nentries = m->creq_off[n];
	m->creq_alt_off = alloc_col(b, nentries + 1, sizeof(uint32_t));
	m->creq_cred = alloc_col(b, ncr, sizeof(uint32_t));
	if (b->oom)
		return pw_oom(err);
	for (size_t i = 0; i < ncr; i++) {
		req_row *x = &AT(b->c, req_row, i);
		m->creq_alt_off[m->creq_off[x->target] + x->pos + 1]++;
		m->creq_cred[i] = x->value;
	}
	for (uint32_t k = 0; k < nentries; k++)
		m->creq_alt_off[k + 1] += m->creq_alt_off[k];
	vec_release(&b->c);
	return PW_OK;
}

/* ---- learners ---- */

typedef struct learner_row {
	const char *id, *name, *contact;
	loc home;
	double commute, hours;
	uint8_t discoverable, share;
} learner_row;

static pw_status row_learner(void *ctx, const scan_row *r)
{
	build *b = ctx;
	learner_row *l = vec_push(&b->a);
	if (!l)
		return ROW_FAIL(b);
	l->id = keep(b, row_text(r, 0));
	l->name = row_null(r, 1) ? NULL : keep(b, row_text(r, 1));
	l->contact = row_null(r, 2) ? NULL : keep(b, row_text(r, 2));
	keep_loc(b, &l->home, r, 3, 4);
	l->commute = row_null(r, 8) ? 30.0 : row_real(r, 8);
	l->hours = row_null(r, 9) ? 5.0 : row_real(r, 9);
	l->discoverable = row_int(r, 10) != 0;
	l->share = row_int(r, 11) != 0;
	return b->oom ? PW_ERR_NOMEM : PW_OK;
}

/* When a holding stops being held: its own expiry when given, else the
 * credential's validity from the earned date, else never. */
static pw_date holding_until(const model *m, uint32_t c, pw_date earned,
                             pw_date expires)
{
	if (expires != PW_DATE_NONE)
		return expires;
	if (m->cred_expires_months[c] > 0 && earned != PW_DATE_NONE)
		return pw_date_add_months(earned, m->cred_expires_months[c]);
	return PW_DATE_NONE;
}

typedef struct holding_row {
	uint32_t learner, cred;
	pw_date from, until;
} holding_row;

static pw_status row_holding(void *ctx, const scan_row *r)
{
	build *b = ctx;
	model *m = b->m;
	int64_t l = owner_index(b, row_text(r, 0), find_learner);
	int64_t c = lookup(&b->cred_ix, row_text(r, 1));
	if (l < 0 || c < 0)
		return PW_OK;
	holding_row *h = vec_push(&b->b);
	if (!h)
		return ROW_FAIL(b);
	h->learner = (uint32_t)l;
	h->cred = (uint32_t)c;
	h->from = row_date(r, 2);
	h->until = holding_until(m, (uint32_t)c, h->from, row_date(r, 3));
	return PW_OK;
}

static pw_status build_learners(build *b, store *s, pw_error *err)
{
	model *m = b->m;
	pw_status st;
	b->a = VEC(learner_row);
	b->b = VEC(holding_row);
	if ((st = store_scan(s, SCAN_LEARNERS, row_learner, b, err)))
		return st;
	uint32_t n = m->nlearners = m->nlearners_built = (uint32_t)b->a.len;
	m->l_id = alloc_col(b, n, sizeof(char *));
	m->l_name = alloc_col(b, n, sizeof(char *));
	m->l_contact = alloc_col(b, n, sizeof(char *));
	m->l_home = alloc_col(b, n, sizeof(loc));
	m->l_max_commute = alloc_col(b, n, sizeof(double));
	m->l_hours_per_week = alloc_col(b, n, sizeof(double));
	m->l_discoverable = alloc_col(b, n, 1);
	m->l_share_contact = alloc_col(b, n, 1);
	if (b->oom)
		return pw_oom(err);
	for (uint32_t i = 0; i < n; i++) {
		learner_row *l = &AT(b->a, learner_row, i);
		m->l_id[i] = l->id;
		m->l_name[i] = l->name;
		m->l_contact[i] = l->contact;
		m->l_home[i] = l->home;
		m->l_max_commute[i] = l->commute;
		m->l_hours_per_week[i] = l->hours;
		m->l_discoverable[i] = l->discoverable;
		m->l_share_contact[i] = l->share;
	}
	vec_release(&b->a);
	owner_reset(b);
	if ((st = store_scan(s, SCAN_HOLDINGS, row_holding, b, err)))
		return st;
	size_t nh = b->b.len;
	m->hold_off = alloc_col(b, n + 1, sizeof(uint32_t));
	m->hold_cred = alloc_col(b, nh, sizeof(uint32_t));
	m->hold_from = alloc_col(b, nh, sizeof(pw_date));
	m->hold_until = alloc_col(b, nh, sizeof(pw_date));
	if (b->oom)
		return pw_oom(err);
	for (size_t i = 0; i < nh; i++) {
		holding_row *h = &AT(b->b, holding_row, i);
		m->hold_off[h->learner + 1]++;
		m->hold_cred[i] = h->cred;
		m->hold_from[i] = h->from;
		m->hold_until[i] = h->until;
	}
	for (uint32_t l = 0; l < n; l++)
		m->hold_off[l + 1] += m->hold_off[l];
	vec_release(&b->b);
	return PW_OK;
}

/* ---- inverted indexes ---- */

double model_reach(const model *m)
{
	double reach = 0;
	for (uint32_t l = 0; l < m->nlearners_built; l++)
		if (m->l_max_commute[l] > reach)
			reach = m->l_max_commute[l];
	return reach;
}

/* Inverts a CSR (owner -> value) into value -> owners, deduplicated and in
 * owner order. */
static void invert_keyed(build *b, uint32_t nowners, const uint32_t *off,
                         const uint32_t *val, uint32_t nvalues,
                         const uint32_t *order, const uint32_t *key_of,
                         uint32_t **out_off, uint32_t **out,
                         uint32_t **out_keys);

static void invert(build *b, uint32_t nowners, const uint32_t *off,
                   const uint32_t *val, uint32_t nvalues, uint32_t **out_off,
                   uint32_t **out)
{
	invert_keyed(b, nowners, off, val, nvalues, NULL, NULL, out_off, out,
	             NULL);
}

/* As invert, the owners taken in `order` (NULL: index order), so that each
 * list follows it; with key_of, out_keys receives each entry's key. */
static void invert_keyed(build *b, uint32_t nowners, const uint32_t *off,
                         const uint32_t *val, uint32_t nvalues,
                         const uint32_t *order, const uint32_t *key_of,
                         uint32_t **out_off, uint32_t **out,
                         uint32_t **out_keys)
{
	uint32_t *o = alloc_array(b, (size_t)nvalues + 1, sizeof(uint32_t));
	uint32_t *last = calloc((size_t)nvalues + 1, sizeof(uint32_t));
	if (!o || !last) {
		free(last);
		b->oom = true;
		return;
	}
	/* last[v] = owner + 1 of the last owner counted for v */
	for (uint32_t w = 0; w < nowners; w++)
		for (uint32_t k = off[w]; k < off[w + 1]; k++)
			if (last[val[k]] != w + 1) {
				last[val[k]] = w + 1;
				o[val[k] + 1]++;
			}
	for (uint32_t v = 0; v < nvalues; v++)
		o[v + 1] += o[v];
	uint32_t *x = alloc_array(b, o[nvalues], sizeof(uint32_t));
	uint32_t *fill = malloc(((size_t)nvalues + 1) * sizeof(uint32_t));
	if (!x || !fill) {
		free(last);
		free(fill);
		b->oom = true;
		return;
	}
	uint32_t *keys = NULL;
	if (key_of && !(keys = alloc_array(b, o[nvalues], sizeof(uint32_t)))) {
		free(last);
		free(fill);
		return;
	}
	memcpy(fill, o, (size_t)nvalues * sizeof(uint32_t));
	memset(last, 0, ((size_t)nvalues + 1) * sizeof(uint32_t));
	for (uint32_t i = 0; i < nowners; i++) {
		uint32_t w = order ? order[i] : i;
		for (uint32_t k = off[w]; k < off[w + 1]; k++)
			if (last[val[k]] != w + 1) {
				last[val[k]] = w + 1;
				if (keys)
					keys[fill[val[k]]] = key_of[w];
				x[fill[val[k]]++] = w;
			}
	}
	free(last);
	free(fill);
	*out_off = o;
	*out = x;
	if (out_keys)
		*out_keys = keys;
}

/* skill -> one posting per requirement alternative naming it, each list in
 * grid-key order, with the level, importance and required flag; and what
 * a target's postings need to give its score. */
static void build_postings(build *b, const uint32_t *t_key)
{
	model *m = b->m;
	uint32_t ns = m->nskills, nt = m->ntargets;
	uint32_t nalt = m->alt_off[m->req_off[nt]];
	uint32_t *off = alloc_array(b, (size_t)ns + 1, sizeof *off);
	uint32_t *fill = malloc(((size_t)ns + 1) * sizeof *fill);
	m->sk_target = alloc_array(b, nalt, sizeof *m->sk_target);
	m->sk_target_key = alloc_array(b, nalt, sizeof *m->sk_target_key);
	m->sk_target_need = alloc_array(b, nalt, 1);
	m->sk_target_w = alloc_array(b, nalt, 1);
	m->t_bound = alloc_array(b, nt, sizeof *m->t_bound);
	if (!fill || b->oom) {
		free(fill);
		b->oom = true;
		return;
	}
	for (uint32_t a = 0; a < nalt; a++)
		off[m->alt_skill[a] + 1]++;
	for (uint32_t s = 0; s < ns; s++)
		off[s + 1] += off[s];
	memcpy(fill, off, (size_t)ns * sizeof *fill);
	for (uint32_t i = 0; i < nt; i++) {
		uint32_t t = m->tgeo[i];
		for (uint32_t r = m->req_off[t]; r < m->req_off[t + 1]; r++)
			for (uint32_t a = m->alt_off[r]; a < m->alt_off[r + 1];
			     a++) {
				uint32_t k = fill[m->alt_skill[a]]++;
				m->sk_target[k] = t;
				m->sk_target_key[k] = t_key[t];
				m->sk_target_need[k] = m->alt_level[a];
				m->sk_target_w[k] =
				    (uint8_t)(m->req_importance[r] |
				              (m->req_required[r]
				                   ? POST_REQUIRED
				                   : 0));
			}
	}
	free(fill);
	m->sk_target_off = off;
	for (uint32_t t = 0; t < nt; t++) {
		uint32_t w = 0, nreq = 0;
		for (uint32_t r = m->req_off[t]; r < m->req_off[t + 1]; r++) {
			w += m->req_importance[r];
			nreq += m->req_required[r] != 0;
		}
		bool plain = w > 0 && w <= UINT16_MAX && nreq <= UINT8_MAX;
		m->t_bound[t] = plain ? TB_BOUNDED | nreq << 16 | w : 0;
	}
}

static const model *wage_model; /* qsort has no context; built once */

static int cmp_wage(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	double wa = wage_model->t_wage[a], wb = wage_model->t_wage[b];
	bool ka = !isnan(wa), kb = !isnan(wb);
	if (ka != kb)
		return ka ? -1 : 1;
	if (ka && wa != wb)
		return wa > wb ? -1 : 1;
	return a < b ? -1 : a > b;
}

static pthread_mutex_t wage_lock = PTHREAD_MUTEX_INITIALIZER;

static void order_by_wage(build *b)
{
	model *m = b->m;
	m->twage = alloc_array(b, m->ntargets, sizeof *m->twage);
	if (b->oom)
		return;
	for (uint32_t t = 0; t < m->ntargets; t++)
		m->twage[t] = t;
	pthread_mutex_lock(&wage_lock);
	wage_model = m;
	qsort(m->twage, m->ntargets, sizeof *m->twage, cmp_wage);
	pthread_mutex_unlock(&wage_lock);
}

/* Grid keys of the built targets (or learners) and their order by key. */
static bool order_by_key(build *b, uint32_t n, const loc *where,
                         const uint8_t *remote, uint32_t **keys,
                         uint32_t **order, uint32_t **sorted_keys)
{
	*keys = malloc(((size_t)n + 1) * sizeof **keys);
	*order = alloc_array(b, n, sizeof **order);
	*sorted_keys = alloc_array(b, n, sizeof **sorted_keys);
	if (!*keys || b->oom)
		return false;
	for (uint32_t i = 0; i < n; i++)
		(*keys)[i] = geo_key(&where[i], remote && remote[i]);
	if (!geo_order(n, *keys, *order))
		return false;
	for (uint32_t i = 0; i < n; i++)
		(*sorted_keys)[i] = (*keys)[(*order)[i]];
	return true;
}

static pw_status build_indexes(build *b, pw_error *err)
{
	model *m = b->m;
	/* targets with no required requirement: qualified without a skill */
	m->open_ended = alloc_col(b, m->ntargets, sizeof(uint32_t));
	if (b->oom)
		return pw_oom(err);
	for (uint32_t t = 0; t < m->ntargets; t++) {
		bool any_required = false;
		for (uint32_t r = m->req_off[t]; r < m->req_off[t + 1]; r++)
			any_required |= m->req_required[r] != 0;
		if (!any_required)
			m->open_ended[m->nopen_ended++] = t;
	}
	uint32_t *t_key = NULL, *l_key = NULL;
	if (!order_by_key(b, m->ntargets, m->t_loc, m->t_remote, &t_key,
	                  &m->tgeo, &m->tgeo_key) ||
	    !order_by_key(b, m->nlearners, m->l_home, NULL, &l_key, &m->lgeo,
	                  &m->lgeo_key)) {
		free(t_key);
		free(l_key);
		return pw_oom(err);
	}
	build_postings(b, t_key);
	free(t_key);
	order_by_wage(b);
	invert(b, m->ncreds, m->cskill_off, m->cskill_skill, m->nskills,
	       &m->sk_cred_off, &m->sk_cred);
	invert_keyed(b, m->nlearners, m->hold_off, m->hold_cred, m->ncreds,
	             m->lgeo, l_key, &m->holder_off, &m->holder,
	             &m->holder_key);
	free(l_key);
	m->l_reach = model_reach(m);
	invert(b, m->ncreds, m->comp_off, m->comp, m->ncreds, &m->parent_off,
	       &m->parent);
	/* target -> credentials of every credential entry */
	uint32_t *ct_off = calloc((size_t)m->ntargets + 1, sizeof(uint32_t));
	if (!ct_off)
		return pw_oom(err);
	for (uint32_t t = 0; t < m->ntargets; t++)
		ct_off[t + 1] = m->creq_alt_off[m->creq_off[t + 1]];
	invert(b, m->ntargets, ct_off, m->creq_cred, m->ncreds,
	       &m->creq_target_off, &m->creq_target);
	free(ct_off);
	return b->oom ? pw_oom(err) : PW_OK;
}

/* ---- the mutable part ---- */

/* Derives what in-place writes need from the built CSRs: counts, kind and
 * deletion flags, capacities, and id maps. */
static pw_status finish_mutable(build *b, pw_error *err)
{
	model *m = b->m;
	uint32_t nt = m->ntargets, nl = m->nlearners;
	m->nreq = m->req_off[nt];
	m->nalt = m->alt_off[m->nreq];
	m->nent = m->creq_off[nt];
	m->ncc = m->creq_alt_off[m->nent];
	m->nhold = m->hold_off[nl];
	m->req_cnt = alloc_col(b, nt, sizeof(uint32_t));
	m->creq_cnt = alloc_col(b, nt, sizeof(uint32_t));
	m->alt_cnt = alloc_col(b, m->nreq, sizeof(uint32_t));
	m->creq_alt_cnt = alloc_col(b, m->nent, sizeof(uint32_t));
	m->hold_cnt = alloc_col(b, nl, sizeof(uint32_t));
	m->t_occ = alloc_col(b, nt, 1);
	m->t_deleted = alloc_col(b, nt, 1);
	if (b->oom)
		return pw_oom(err);
	for (uint32_t t = 0; t < nt; t++) {
		m->req_cnt[t] = m->req_off[t + 1] - m->req_off[t];
		m->creq_cnt[t] = m->creq_off[t + 1] - m->creq_off[t];
		m->t_occ[t] = t >= m->njobs;
	}
	for (uint32_t r = 0; r < m->nreq; r++)
		m->alt_cnt[r] = m->alt_off[r + 1] - m->alt_off[r];
	for (uint32_t k = 0; k < m->nent; k++)
		m->creq_alt_cnt[k] =
		    m->creq_alt_off[k + 1] - m->creq_alt_off[k];
	for (uint32_t l = 0; l < nl; l++)
		m->hold_cnt[l] = m->hold_off[l + 1] - m->hold_off[l];
	/* the off arrays were sized one past the end; capacity counts what
	 * every column of a group can hold */
	m->tcap = nt;
	m->lcap = nl;
	m->rcap = m->nreq;
	m->acap = m->nalt;
	m->ecap = m->nent;
	m->ccap = m->ncc;
	m->hcap = m->nhold;
	m->ocap = nt;
	return PW_OK;
}

/* Targets written in place are in t_map (NULL once deleted); the rest are
 * found among the built ones. */
int64_t model_target(const model *m, const char *id)
{
	if (m->t_map.len && strmap_has(&m->t_map, id))
		return lookup(&m->t_map, id);
	int64_t t = find_target(m, id);
	return t >= 0 && !m->t_deleted[t] ? t : -1;
}

int64_t model_learner(const model *m, const char *id)
{
	if (m->l_map.len && strmap_has(&m->l_map, id))
		return lookup(&m->l_map, id);
	return find_learner(m, id);
}

int model_cmp_target(const model *m, uint32_t a, uint32_t b)
{
	return a == b ? 0 : strcmp(m->t_id[a], m->t_id[b]);
}

int model_cmp_learner(const model *m, uint32_t a, uint32_t b)
{
	return a == b ? 0 : strcmp(m->l_id[a], m->l_id[b]);
}

/* A group of columns that grow together. */
typedef struct column {
	void **p;
	size_t size;
} column;

static bool grow(column *cols, size_t ncols, uint32_t *cap, uint32_t need)
{
	if (need <= *cap)
		return true;
	uint32_t to = *cap ? *cap : 16;
	while (to < need) {
		if (to > UINT32_MAX / 2)
			return false;
		to *= 2;
	}
	for (size_t i = 0; i < ncols; i++) {
		void *q = realloc(*cols[i].p, (size_t)to * cols[i].size);
		if (!q)
			return false; /* columns grown so far keep their data */
		memset((char *)q + (size_t)*cap * cols[i].size, 0,
		       (size_t)(to - *cap) * cols[i].size);
		*cols[i].p = q;
	}
	*cap = to;
	return true;
}

#define COL(f)                                                                 \
	{                                                                      \
		(void **)&m->f, sizeof *m->f                                   \
	}

static bool u32vec_push(u32vec *v, uint32_t x)
{
	if (v->n == v->cap) {
		uint32_t cap = v->cap ? v->cap * 2 : 4;
		uint32_t *q = realloc(v->v, cap * sizeof *q);
		if (!q)
			return false;
		v->v = q;
		v->cap = cap;
	}
	v->v[v->n++] = x;
	return true;
}

static loc loc_of(model *m, const rec_location *r, bool *oom)
{
	loc l = {0};
	if (!r->present)
		return l;
	l.has_coords = r->has_lat && r->has_lon;
	l.lat = r->lat;
	l.lon = r->lon;
	l.county = arena_keep(&m->mem, r->county, oom);
	l.state = arena_keep(&m->mem, r->state, oom);
	return l;
}

pw_status model_put_job(model *m, const rec_target *r, pw_error *err)
{
	bool oom = false;
	if (!model_thaw(m))
		return pw_oom(err);
	/* everything it names must be known to the model already */
	for (size_t i = 0; i < r->nreqs; i++) {
		const rec_requirement *q = &r->reqs[i];
		size_t na = q->nalts ? q->nalts : 1;
		for (size_t a = 0; a < na; a++)
			if (model_find(m->skill_id, m->nskills,
			               q->nalts ? q->alts[a].skill : q->skill) <
			    0)
				return pw_fail(err, PW_ERR_INVALID,
				               "unknown skill");
	}
	for (size_t i = 0; i < r->ncredreqs; i++)
		for (size_t k = 0; k < r->credreqs[i].creds.n; k++)
			if (model_find(m->cred_id, m->ncreds,
			               r->credreqs[i].creds.v[k]) < 0)
				return pw_fail(err, PW_ERR_INVALID,
				               "unknown credential");
	if (!m->sk_target_x &&
	    !(m->sk_target_x = calloc((size_t)m->nskills + 1, sizeof(u32vec))))
		return pw_oom(err);
	if (!m->creq_target_x &&
	    !(m->creq_target_x = calloc((size_t)m->ncreds + 1, sizeof(u32vec))))
		return pw_oom(err);

	size_t nalts = 0, ncc = 0;
	for (size_t i = 0; i < r->nreqs; i++)
		nalts += r->reqs[i].nalts ? r->reqs[i].nalts : 1;
	for (size_t i = 0; i < r->ncredreqs; i++)
		ncc += r->credreqs[i].creds.n;
	column tcols[] = {COL(t_id),      COL(t_title), COL(t_employer),
	                  COL(t_remote),  COL(t_occ),   COL(t_deleted),
	                  COL(t_loc),     COL(t_wage),  COL(t_openings),
	                  COL(t_expires), COL(req_off), COL(req_cnt),
	                  COL(creq_off),  COL(creq_cnt)};
	column rcols[] = {COL(req_importance), COL(req_required), COL(req_any),
	                  COL(alt_off), COL(alt_cnt)};
	column acols[] = {COL(alt_skill), COL(alt_level)};
	column ecols[] = {COL(creq_alt_off), COL(creq_alt_cnt)};
	column ccols[] = {COL(creq_cred)};
	column ocols[] = {COL(open_ended)};
	if (!grow(tcols, PW_ARRAY_LEN(tcols), &m->tcap, m->ntargets + 1) ||
	    !grow(rcols, PW_ARRAY_LEN(rcols), &m->rcap,
	          m->nreq + (uint32_t)r->nreqs) ||
	    !grow(acols, PW_ARRAY_LEN(acols), &m->acap,
	          m->nalt + (uint32_t)nalts) ||
	    !grow(ecols, PW_ARRAY_LEN(ecols), &m->ecap,
	          m->nent + (uint32_t)r->ncredreqs) ||
	    !grow(ccols, PW_ARRAY_LEN(ccols), &m->ccap,
	          m->ncc + (uint32_t)ncc) ||
	    !grow(ocols, PW_ARRAY_LEN(ocols), &m->ocap, m->nopen_ended + 1))
		return pw_oom(err);

	int64_t found = model_target(m, r->id);
	uint32_t t = found >= 0 ? (uint32_t)found : m->ntargets;
	if (found < 0) {
		const char *id = arena_keep(&m->mem, r->id, &oom);
		if (oom ||
		    !strmap_put(&m->t_map, id, (void *)(uintptr_t)(t + 1)))
			return pw_oom(err);
		m->t_id[t] = id;
		m->ntargets++;
	}
	m->t_title[t] = arena_keep(&m->mem, r->title, &oom);
	m->t_employer[t] = arena_keep(&m->mem, r->employer, &oom);
	m->t_remote[t] = r->remote;
	m->t_occ[t] = 0;
	m->t_deleted[t] = 0;
	m->t_loc[t] = loc_of(m, &r->location, &oom);
	double wage = NAN;
	if (r->wage.present) {
		wage = r->wage.has_min   ? r->wage.min
		       : r->wage.has_max ? r->wage.max
		                         : NAN;
		if (r->wage.unit && strcmp(r->wage.unit, "hour") == 0)
			wage *= 2080;
	}
	m->t_wage[t] = wage;
	m->t_openings[t] = r->has_openings ? r->openings : 1;
	m->t_expires[t] = r->expires;

	bool any_required = false;
	m->req_off[t] = m->nreq;
	m->req_cnt[t] = (uint32_t)r->nreqs;
	for (size_t i = 0; i < r->nreqs; i++) {
		const rec_requirement *q = &r->reqs[i];
		uint32_t x = m->nreq++;
		m->req_importance[x] = (uint8_t)q->importance;
		m->req_required[x] = q->required;
		m->req_any[x] = q->nalts > 0;
		any_required |= q->required;
		m->alt_off[x] = m->nalt;
		m->alt_cnt[x] = (uint32_t)(q->nalts ? q->nalts : 1);
		for (size_t a = 0; a < m->alt_cnt[x]; a++) {
			const char *sk = q->nalts ? q->alts[a].skill : q->skill;
			uint32_t s =
			    (uint32_t)model_find(m->skill_id, m->nskills, sk);
			m->alt_skill[m->nalt] = s;
			m->alt_level[m->nalt++] =
			    (uint8_t)(q->nalts ? q->alts[a].level : q->level);
			if (!u32vec_push(&m->sk_target_x[s], t))
				oom = true;
		}
	}
	m->creq_off[t] = m->nent;
	m->creq_cnt[t] = (uint32_t)r->ncredreqs;
	for (size_t i = 0; i < r->ncredreqs; i++) {
		uint32_t k = m->nent++;
		m->creq_alt_off[k] = m->ncc;
		m->creq_alt_cnt[k] = (uint32_t)r->credreqs[i].creds.n;
		for (size_t a = 0; a < r->credreqs[i].creds.n; a++) {
			uint32_t c = (uint32_t)model_find(
			    m->cred_id, m->ncreds, r->credreqs[i].creds.v[a]);
			m->creq_cred[m->ncc++] = c;
			if (!u32vec_push(&m->creq_target_x[c], t))
				oom = true;
		}
	}
	if (!any_required)
		m->open_ended[m->nopen_ended++] = t;
	if (!u32vec_push(&m->t_written, t))
		oom = true;
	return oom ? pw_oom(err) : PW_OK;
}

pw_status model_put_learner(model *m, const rec_learner *r, pw_error *err)
{
	bool oom = false;
	if (!model_thaw(m))
		return pw_oom(err);
	for (size_t i = 0; i < r->nholdings; i++)
		if (model_find(m->cred_id, m->ncreds,
		               r->holdings[i].credential) < 0)
			return pw_fail(err, PW_ERR_INVALID,
			               "unknown credential");
	if (!m->holder_x &&
	    !(m->holder_x = calloc((size_t)m->ncreds + 1, sizeof(u32vec))))
		return pw_oom(err);
	column lcols[] = {COL(l_id),           COL(l_name),
	                  COL(l_contact),      COL(l_home),
	                  COL(l_max_commute),  COL(l_hours_per_week),
	                  COL(l_discoverable), COL(l_share_contact),
	                  COL(hold_off),       COL(hold_cnt)};
	column hcols[] = {COL(hold_cred), COL(hold_from), COL(hold_until)};
	if (!grow(lcols, PW_ARRAY_LEN(lcols), &m->lcap, m->nlearners + 1) ||
	    !grow(hcols, PW_ARRAY_LEN(hcols), &m->hcap,
	          m->nhold + (uint32_t)r->nholdings))
		return pw_oom(err);
	int64_t found = model_learner(m, r->id);
	uint32_t l = found >= 0 ? (uint32_t)found : m->nlearners;
	if (found < 0) {
		const char *id = arena_keep(&m->mem, r->id, &oom);
		if (oom ||
		    !strmap_put(&m->l_map, id, (void *)(uintptr_t)(l + 1)))
			return pw_oom(err);
		m->l_id[l] = id;
		m->nlearners++;
	}
	m->l_name[l] = arena_keep(&m->mem, r->name, &oom);
	m->l_contact[l] = arena_keep(&m->mem, r->contact, &oom);
	m->l_home[l] = loc_of(m, &r->home, &oom);
	m->l_max_commute[l] = r->has_max_commute ? r->max_commute_miles : 30.0;
	m->l_hours_per_week[l] =
	    r->has_hours_per_week ? r->hours_per_week : 5.0;
	m->l_discoverable[l] = r->discoverable;
	m->l_share_contact[l] = r->share_contact;
	m->hold_off[l] = m->nhold;
	m->hold_cnt[l] = (uint32_t)r->nholdings;
	for (size_t i = 0; i < r->nholdings; i++) {
		const rec_holding *h = &r->holdings[i];
		uint32_t c =
		    (uint32_t)model_find(m->cred_id, m->ncreds, h->credential);
		uint32_t x = m->nhold++;
		m->hold_cred[x] = c;
		m->hold_from[x] = h->earned;
		m->hold_until[x] = holding_until(m, c, h->earned, h->expires);
		if (!u32vec_push(&m->holder_x[c], l))
			oom = true;
	}
	if (!u32vec_push(&m->l_written, l))
		oom = true;
	return oom ? pw_oom(err) : PW_OK;
}

void model_delete_target(model *m, const char *id)
{
	int64_t t = model_target(m, id);
	if (t < 0 || !model_thaw(m))
		return;
	m->t_deleted[t] = 1;
	/* no longer found (on failure the flag alone hides it) */
	strmap_put(&m->t_map, m->t_id[t], NULL);
}

/* ---- entry points ---- */

static void build_release(build *b)
{
	vec_release(&b->ids);
	vec_release(&b->names);
	vec_release(&b->a);
	vec_release(&b->b);
	vec_release(&b->c);
	strmap_release(&b->skill_ix);
	strmap_release(&b->cred_ix);
	free(b->last_owner);
}

pw_status model_build(store *s, model **out, long long *version, pw_error *err)
{
	pw_status st;
	build b = {0};
	b.m = calloc(1, sizeof *b.m);
	if (!b.m)
		return pw_oom(err);
	if ((st = store_read_begin(s, err))) {
		free(b.m);
		return st;
	}
	if ((st = store_version(s, version, err)) ||
	    (st = build_skills(&b, s, err)))
		goto fail;
	if ((st = build_credentials(&b, s, err)) ||
	    (st = build_targets(&b, s, err)) ||
	    (st = build_learners(&b, s, err)) ||
	    (st = build_indexes(&b, err)) || (st = finish_mutable(&b, err)))
		goto fail;
	if (b.oom) {
		st = pw_oom(err);
		goto fail;
	}
	store_read_end(s);
	build_release(&b);
	*out = b.m;
	return PW_OK;
fail:
	store_read_end(s);
	if (b.oom && st != PW_ERR_NOMEM)
		st = pw_oom(err);
	else if (st == PW_ERR_NOMEM)
		pw_oom(err);
	build_release(&b);
	model_free(b.m);
	return st;
}

/* The mutable columns holding numbers, with their lengths: what an
 * in-place write grows, and what a mapped model copies out first. */
typedef struct num_col {
	void **p;
	size_t len;
} num_col;

#define NCOL(f, n)                                                             \
	{                                                                      \
		(void **)&m->f, (size_t)(n) * sizeof *m->f                     \
	}

static size_t num_cols(model *m, num_col out[static 32])
{
	size_t nt = m->ntargets, nl = m->nlearners;
	num_col v[] = {NCOL(t_remote, nt),
	               NCOL(t_occ, nt),
	               NCOL(t_deleted, nt),
	               NCOL(t_wage, nt),
	               NCOL(t_openings, nt),
	               NCOL(t_expires, nt),
	               NCOL(req_off, nt + 1),
	               NCOL(req_cnt, nt),
	               NCOL(creq_off, nt + 1),
	               NCOL(creq_cnt, nt),
	               NCOL(req_importance, m->nreq),
	               NCOL(req_required, m->nreq),
	               NCOL(req_any, m->nreq),
	               NCOL(alt_off, m->nreq + 1),
	               NCOL(alt_cnt, m->nreq),
	               NCOL(alt_skill, m->nalt),
	               NCOL(alt_level, m->nalt),
	               NCOL(creq_alt_off, m->nent + 1),
	               NCOL(creq_alt_cnt, m->nent),
	               NCOL(creq_cred, m->ncc),
	               NCOL(open_ended, m->nopen_ended),
	               NCOL(l_max_commute, nl),
	               NCOL(l_hours_per_week, nl),
	               NCOL(l_discoverable, nl),
	               NCOL(l_share_contact, nl),
	               NCOL(hold_off, nl + 1),
	               NCOL(hold_cnt, nl),
	               NCOL(hold_cred, m->nhold),
	               NCOL(hold_from, m->nhold),
	               NCOL(hold_until, m->nhold)};
	memcpy(out, v, sizeof v);
	return PW_ARRAY_LEN(v);
}

bool model_thaw(model *m)
{
	if (!m->mapped_cols)
		return true;
	num_col c[32];
	void *copy[32];
	size_t n = num_cols(m, c);
	for (size_t i = 0; i < n; i++) {
		if (!(copy[i] = malloc(c[i].len ? c[i].len : 1))) {
			while (i--)
				free(copy[i]);
			return false;
		}
		memcpy(copy[i], *c[i].p, c[i].len);
	}
	for (size_t i = 0; i < n; i++)
		*c[i].p = copy[i];
	m->mapped_cols = false;
	return true;
}

void model_free(model *m)
{
	if (!m)
		return;
	void *ptr_cols[] = {m->t_id, m->t_title, m->t_employer, m->t_loc,
	                    m->l_id, m->l_name,  m->l_contact,  m->l_home};
	for (size_t i = 0; i < PW_ARRAY_LEN(ptr_cols); i++)
		free(ptr_cols[i]);
	if (!m->mapped_cols) {
		num_col c[32];
		size_t n = num_cols(m, c);
		for (size_t i = 0; i < n; i++)
			free(*c[i].p);
	}
	u32vec *xs[] = {m->sk_target_x, m->holder_x, m->creq_target_x};
	uint32_t ns[] = {m->nskills, m->ncreds, m->ncreds};
	for (size_t i = 0; i < 3; i++) {
		for (uint32_t k = 0; xs[i] && k < ns[i]; k++)
			free(xs[i][k].v);
		free(xs[i]);
	}
	free(m->t_written.v);
	free(m->l_written.v);
	strmap_release(&m->t_map);
	strmap_release(&m->l_map);
	arena_release(&m->mem);
	if (m->map)
		munmap(m->map, m->map_len);
	free(m);
}
