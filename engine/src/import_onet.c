/* import_onet.c - `pathway import onet DIR`: the O*NET database text files
 * become skills (the content model's elements, technology examples under
 * their UNSPSC commodities) and occupations (titles, alternate titles, job
 * zones, related occupations, and requirements derived from the importance
 * and level ratings). Every file is read and checked first; then what the
 * store holds is merged with what was read (SPEC §6) and all of it is
 * written in one transaction through the loader's validation. */
#include "import.h"
#include "onet.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Chosen by measuring how many occupations the bundled catalog reaches
 * (tests/bench/bench_onet_reach.c; the table is in README.md): IM 3.5 is
 * where a rating rounds to 4, "very important", and it leaves the most
 * occupations reachable through a real requirement. O*NET anchors its
 * level scales at LV 2, 4 and 6: a rating takes the level of the nearest
 * anchor (foundational, intermediate, advanced), and past half-way from
 * the top anchor to the scale's end it is expert. */
const onet_mapping onet_default_mapping = {
    .required_im = 3.5,
    .technical_required = true,
    .level_cut = {3.0, 5.0, 6.5},
    .in_demand_importance = 2,
};

/* ---- what is read ---- */

typedef struct element {
	const char *id, *name;
	const char *skill; /* the skill id it becomes */
	int parent; /* the nearest ancestor in the content model, or -1 */
	bool used;  /* rated, or an ancestor of a rated element */
} element;

typedef struct rating {
	uint32_t elem;
	uint8_t source; /* 0 Skills.txt, 1 Knowledge.txt */
	bool has_im, has_lv, dropped;
	size_t line;
	double im, lv;
} rating;

typedef struct commodity {
	const char *code, *title, *skill;
} commodity;

typedef struct tech {
	const char *name, *skill;
	ptrvec aliases;     /* other spellings that gave the same id */
	ptrvec commodities; /* commodity *, in the order first seen */
} tech;

typedef struct occ {
	const char *code, *title, *description;
	int job_zone;
	ptrvec aliases, related; /* const char * */
	ptrvec demand;           /* skill ids of In Demand technologies */
	rating *ratings;
	size_t nratings, rcap;
} occ;

typedef struct ctx {
	pw_engine *e;
	const onet_mapping *map;
	const pw_import_opts *o;
	pw_report *rep;
	pw_import_summary *sum;
	arena a;
	const char *dir;
	bool oom;
	bool occs_read; /* Occupation Data was read: codes can be checked */
	json_t *onet_ids, *unspsc_ids; /* stored skills by code */
	ptrvec elems;                  /* element * */
	strmap elem_by_id;
	strmap model_name; /* Content Model Reference: element id -> name */
	ptrvec occs;       /* occ * */
	strmap occ_by_code;
	ptrvec comms; /* commodity * */
	strmap comm_by_code;
	ptrvec techs; /* tech * */
	strmap tech_by_id;
	strmap noted;                 /* "file\tscale" notes given once */
	const char *ratings_label[2]; /* Skills.txt and Knowledge.txt */
} ctx;

static const char *keep(ctx *c, const char *s)
{
	return arena_keep(&c->a, s, &c->oom);
}

static void push(ctx *c, ptrvec *v, const void *p)
{
	if (!ptrvec_push(v, (void *)p))
		c->oom = true;
}

static bool has_str(const ptrvec *v, const char *s)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(v->items[i], s) == 0)
			return true;
	return false;
}

/* ---- reading one file ---- */

typedef struct file {
	const char *name;  /* "Skills.txt" */
	const char *label; /* DIR/Skills.txt, as reports name it */
	table *t;
	size_t rows;
} file;

/* Opens DIR/name. PW_ERR_INVALID when the file is missing or lacks a
 * required column (reported; the caller goes on with the other files),
 * another status for what stops the import. */
static pw_status open_file(ctx *c, file *f, const char *name,
                           const char *const *required, pw_error *err)
{
	size_t n = strlen(c->dir);
	bool slash = n && c->dir[n - 1] == '/';
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s%s%s", c->dir,
	                     slash ? "" : "/", name) >= sizeof path)
		return pw_fail(err, PW_ERR_IO, "path too long: '%s'", c->dir);
	f->name = name;
	f->rows = 0;
	f->t = NULL;
	if (!(f->label = keep(c, path)))
		return pw_oom(err);
	pw_status st =
	    table_open(path, f->label, '\t', required, c->rep, &f->t, err);
	if (st == PW_ERR_NOT_FOUND) {
		report_appendf(c->rep, c->dir, name,
		               "missing: import onet reads this file");
		return PW_ERR_INVALID;
	}
	if (!st)
		imp_progress(c->o, name, 0, table_size(f->t));
	return st;
}

/* The next record, 0 at the end, -1 when out of memory. Shows progress. */
static int next_row(ctx *c, file *f, pw_error *err)
{
	int r = table_next(f->t, err);
	if (r > 0 && (++f->rows & 4095) == 0)
		imp_progress(c->o, f->name, table_done(f->t), table_size(f->t));
	return r;
}

static void bad(ctx *c, file *f, int col, const char *fmt, ...) PW_PRINTF(4, 5);
static void bad(ctx *c, file *f, int col, const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	report_append(c->rep, f->label, table_where_col(f->t, col), reason);
}

/* A whole field as a finite number. */
static bool parse_num(const char *s, double *out)
{
	char *end;
	if (!*s)
		return false;
	errno = 0;
	double x = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (end == s || *end || errno == ERANGE || !isfinite(x))
		return false;
	*out = x;
	return true;
}

static bool is_yes(const char *s)
{
	return (s[0] == 'Y' || s[0] == 'y') && !s[1];
}

/* Element ids such as "2.C.4.a": short, and valid in a skill id after
 * "onet.". */
static bool element_id_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') ||
		      (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= 'a' && s[n] <= 'z') || s[n] == '.'))
			return false;
	return n > 0 && n <= 64;
}

/* The occupation a row names, or NULL (reported). */
static occ *row_occ(ctx *c, file *f, int col)
{
	const char *code = table_get(f->t, col);
	if (!text_is_soc_code(code)) {
		bad(c, f, col, "'%.60s' is not an O*NET-SOC code (NN-NNNN.NN)",
		    code);
		return NULL;
	}
	occ *o = strmap_get(&c->occ_by_code, code);
	if (!o && c->occs_read)
		bad(c, f, col,
		    "unknown occupation '%s' (not in Occupation Data.txt)",
		    code);
	return o;
}

/* A text field, "" when empty; NULL (reported) when it is not UTF-8. */
static const char *opt_text(ctx *c, file *f, int col)
{
	const char *s = table_get(f->t, col);
	if (!utf8_ok(s)) {
		bad(c, f, col, "not valid UTF-8");
		return NULL;
	}
	return s;
}

/* A text field that must not be empty, or NULL (reported). */
static const char *field_text(ctx *c, file *f, int col)
{
	const char *s = opt_text(c, f, col);
	if (s && !*s) {
		bad(c, f, col, "must not be empty");
		return NULL;
	}
	return s;
}

/* ---- the content model ---- */

static pw_status read_content_model(ctx *c, pw_error *err)
{
	static const char *const cols[] = {"Element ID", "Element Name", NULL};
	file f;
	pw_status st =
	    open_file(c, &f, "Content Model Reference.txt", cols, err);
	if (st)
		return st == PW_ERR_INVALID ? PW_OK : st;
	int cid = table_column(f.t, "Element ID"),
	    cname = table_column(f.t, "Element Name"), r;
	while ((r = next_row(c, &f, err)) > 0) {
		const char *id = table_get(f.t, cid), *name;
		if (!element_id_ok(id)) {
			bad(c, &f, cid, "'%.60s' is not an O*NET element id",
			    id);
			continue;
		}
		if (!(name = field_text(c, &f, cname)) ||
		    strmap_has(&c->model_name, id))
			continue;
		const char *k = keep(c, id), *v = keep(c, name);
		if (k && v && !strmap_put(&c->model_name, k, (void *)v))
			c->oom = true;
	}
	table_close(f.t);
	return r < 0 ? PW_ERR_NOMEM : PW_OK;
}

/* The element with this id, made when first seen; -1 when out of memory. */
static int element_of(ctx *c, const char *id, const char *name)
{
	uintptr_t at = (uintptr_t)strmap_get(&c->elem_by_id, id);
	if (at)
		return (int)at - 1;
	element *el = arena_alloc(&c->a, sizeof *el);
	char skill[129];
	const char *stored =
	    json_string_value(json_object_get(c->onet_ids, id));
	snprintf(skill, sizeof skill, "onet.%s", id);
	const char *named = strmap_get(&c->model_name, id);
	if (!el || !(el->id = keep(c, id)) ||
	    !(el->name = keep(c, named ? named : name)) ||
	    !(el->skill = keep(c, stored ? stored : skill)) ||
	    !ptrvec_push(&c->elems, el) ||
	    !strmap_put(&c->elem_by_id, el->id,
	                (void *)(uintptr_t)c->elems.len)) {
		c->oom = true;
		return -1;
	}
	el->parent = -1;
	return (int)c->elems.len - 1;
}

/* Links each used element to its nearest ancestor that the content model
 * names, down to the domain ("2.C"), marking the ancestors used. */
static void link_parents(ctx *c)
{
	for (size_t i = 0; i < c->elems.len; i++) { /* grows as it goes */
		element *el = c->elems.items[i];
		if (!el->used)
			continue;
		char id[72];
		snprintf(id, sizeof id, "%s", el->id);
		char *dot;
		while ((dot = strrchr(id, '.')) && strchr(id, '.') != dot) {
			*dot = '\0';
			const char *name = strmap_get(&c->model_name, id);
			if (!name)
				continue;
			int p = element_of(c, id, name);
			if (p < 0)
				return;
			el = c->elems.items[i];
			el->parent = p;
			((element *)c->elems.items[p])->used = true;
			break;
		}
	}
}

/* ---- occupations ---- */

static pw_status read_occupations(ctx *c, pw_error *err)
{
	static const char *const cols[] = {"O*NET-SOC Code", "Title", NULL};
	file f;
	pw_status st = open_file(c, &f, "Occupation Data.txt", cols, err);
	if (st)
		return st == PW_ERR_INVALID ? PW_OK : st;
	int ccode = table_column(f.t, "O*NET-SOC Code"),
	    ctitle = table_column(f.t, "Title"),
	    cdesc = table_column(f.t, "Description"), r;
	while ((r = next_row(c, &f, err)) > 0) {
		const char *code = table_get(f.t, ccode),
		           *title = field_text(c, &f, ctitle);
		if (!text_is_soc_code(code)) {
			bad(c, &f, ccode,
			    "'%.60s' is not an O*NET-SOC code (NN-NNNN.NN)",
			    code);
			continue;
		}
		if (strmap_has(&c->occ_by_code, code)) {
			bad(c, &f, ccode, "occupation '%s' is listed twice",
			    code);
			continue;
		}
		if (!title)
			continue;
		occ *o = arena_alloc(&c->a, sizeof *o);
		const char *desc = opt_text(c, &f, cdesc);
		if (!desc)
			continue;
		if (!o || !(o->code = keep(c, code)) ||
		    !(o->title = keep(c, title)) ||
		    (*desc && !(o->description = keep(c, desc))) ||
		    !ptrvec_push(&c->occs, o) ||
		    !strmap_put(&c->occ_by_code, o->code, o)) {
			c->oom = true;
			break;
		}
	}
	table_close(f.t);
	c->occs_read = true;
	return r < 0 ? PW_ERR_NOMEM : PW_OK;
}

/* ---- importance and level ratings (Skills.txt, Knowledge.txt) ---- */

static rating *rating_of(ctx *c, occ *o, uint32_t elem)
{
	for (size_t i = 0; i < o->nratings; i++)
		if (o->ratings[i].elem == elem)
			return &o->ratings[i];
	if (o->nratings == o->rcap) {
		size_t cap = o->rcap ? 2 * o->rcap : 64;
		rating *v = realloc(o->ratings, cap * sizeof *v);
		if (!v) {
			c->oom = true;
			return NULL;
		}
		o->ratings = v;
		o->rcap = cap;
	}
	rating *r = &o->ratings[o->nratings++];
	memset(r, 0, sizeof *r);
	r->elem = elem;
	return r;
}

/* A scale the mapping does not use is noted once per file. */
static void note_scale(ctx *c, file *f, const char *scale)
{
	char key[160];
	snprintf(key, sizeof key, "%s\t%.60s", f->name, scale);
	if (strmap_has(&c->noted, key))
		return;
	const char *k = keep(c, key);
	if (k && !strmap_put(&c->noted, k, (void *)k))
		c->oom = true;
	imp_note(c->o, c->sum, f->label, table_where(f->t),
	         "scale '%s' is not used (only IM and LV are); its rows are "
	         "left out",
	         scale);
}

static pw_status read_ratings(ctx *c, const char *name, uint8_t which,
                              pw_error *err)
{
	static const char *const cols[] = {"O*NET-SOC Code", "Element ID",
	                                   "Element Name",   "Scale ID",
	                                   "Data Value",     NULL};
	file f;
	pw_status st = open_file(c, &f, name, cols, err);
	if (st)
		return st == PW_ERR_INVALID ? PW_OK : st;
	c->ratings_label[which] = f.label;
	int ccode = table_column(f.t, "O*NET-SOC Code"),
	    cid = table_column(f.t, "Element ID"),
	    cname = table_column(f.t, "Element Name"),
	    cscale = table_column(f.t, "Scale ID"),
	    cvalue = table_column(f.t, "Data Value"),
	    csup = table_column(f.t, "Recommend Suppress"),
	    crel = table_column(f.t, "Not Relevant"), r = 0;
	while (!c->oom && (r = next_row(c, &f, err)) > 0) {
		occ *o = row_occ(c, &f, ccode);
		const char *id = table_get(f.t, cid),
		           *scale = table_get(f.t, cscale),
		           *text = table_get(f.t, cvalue);
		bool im = strcmp(scale, "IM") == 0,
		     lv = strcmp(scale, "LV") == 0;
		double x = 0;
		bool ok = o != NULL;
		if (!element_id_ok(id)) {
			bad(c, &f, cid, "'%.60s' is not an O*NET element id",
			    id);
			ok = false;
		}
		if (!im && !lv) {
			if (element_id_ok(scale) && strlen(scale) <= 8)
				note_scale(c, &f, scale);
			else
				bad(c, &f, cscale, "'%.60s' is not a scale id",
				    scale);
			continue;
		}
		if (!parse_num(text, &x)) {
			bad(c, &f, cvalue, "'%.60s' is not a number", text);
			continue;
		}
		if (im ? x < 1 || x > 5 : x < 0 || x > 7) {
			bad(c, &f, cvalue, "%s %g is out of range (%s)", scale,
			    x, im ? "1 to 5" : "0 to 7");
			continue;
		}
		if (!ok)
			continue;
		const char *called = opt_text(c, &f, cname);
		if (!called)
			continue;
		int el = element_of(c, id, called);
		rating *rt = el < 0 ? NULL : rating_of(c, o, (uint32_t)el);
		if (!rt)
			break;
		if (im ? rt->has_im : rt->has_lv) {
			bad(c, &f, cscale,
			    "a second %s rating of element '%s' for '%s'",
			    scale, id, o->code);
			continue;
		}
		if (!rt->has_im && !rt->has_lv) {
			rt->source = which;
			rt->line = table_line(f.t);
		}
		if (im) {
			rt->has_im = true;
			rt->im = x;
		} else {
			rt->has_lv = true;
			rt->lv = x;
		}
		/* O*NET's quality flags: an estimate it recommends suppressing,
		 * or a level it marks not relevant, is left out */
		if (is_yes(table_get(f.t, csup)) ||
		    is_yes(table_get(f.t, crel)))
			rt->dropped = true;
	}
	table_close(f.t);
	if (c->oom)
		return pw_oom(err);
	return r < 0 ? PW_ERR_NOMEM : PW_OK;
}

/* ---- technology skills ---- */

/* Text whose slug would lose what tells it apart ("C++", "C#", "R*KOM",
 * accents) gets a hash of the text in its id. */
static bool slug_loses(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == '+' || *p == '#' || *p == '@' || *p == '*' ||
		    *p >= 0x80)
			return true;
	return false;
}

static void tech_id(const char *text, char out[static 129])
{
	imp_slug_id("onet.tech.", text, out);
	if (!slug_loses(text))
		return;
	char suffix[16];
	snprintf(suffix, sizeof suffix, "-%08llx",
	         (unsigned long long)(imp_hash(text, strlen(text), 0) &
	                              0xffffffffu));
	size_t n = strlen(out), k = strlen(suffix);
	if (n >= k && strcmp(out + n - k, suffix) == 0)
		return; /* imp_slug_id added it already */
	if (n + k > 128)
		n = 128 - k;
	memcpy(out + n, suffix, k + 1);
}

static commodity *commodity_of(ctx *c, const char *code, const char *title)
{
	commodity *m = strmap_get(&c->comm_by_code, code);
	if (m)
		return m;
	char skill[129];
	const char *stored =
	    json_string_value(json_object_get(c->unspsc_ids, code));
	snprintf(skill, sizeof skill, "onet.unspsc.%s", code);
	if (!(m = arena_alloc(&c->a, sizeof *m)) ||
	    !(m->code = keep(c, code)) || !(m->title = keep(c, title)) ||
	    !(m->skill = keep(c, stored ? stored : skill)) ||
	    !ptrvec_push(&c->comms, m) ||
	    !strmap_put(&c->comm_by_code, m->code, m)) {
		c->oom = true;
		return NULL;
	}
	return m;
}

/* The skill an example becomes: its commodity's when it only names the
 * commodity ("Accounting software"), else its own. */
static const char *tech_of(ctx *c, const char *text, commodity *m)
{
	if (strcasecmp(text, m->title) == 0)
		return m->skill;
	char id[129];
	tech_id(text, id);
	tech *t = strmap_get(&c->tech_by_id, id);
	if (!t) {
		if (!(t = arena_alloc(&c->a, sizeof *t)) ||
		    !(t->skill = keep(c, id)) || !(t->name = keep(c, text)) ||
		    !ptrvec_push(&c->techs, t) ||
		    !strmap_put(&c->tech_by_id, t->skill, t)) {
			c->oom = true;
			return NULL;
		}
	} else if (strcmp(t->name, text) != 0 && !has_str(&t->aliases, text))
		push(c, &t->aliases, keep(c, text));
	bool seen = false;
	for (size_t i = 0; i < t->commodities.len; i++)
		seen |= t->commodities.items[i] == m;
	if (!seen)
		push(c, &t->commodities, m);
	return t->skill;
}

static bool commodity_code_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return false;
	return n > 0 && n <= 16;
}

static pw_status read_technology(ctx *c, pw_error *err)
{
	static const char *const cols[] = {"O*NET-SOC Code", "Example",
	                                   "Commodity Code", "Commodity Title",
	                                   NULL};
	file f;
	pw_status st = open_file(c, &f, "Technology Skills.txt", cols, err);
	if (st)
		return st == PW_ERR_INVALID ? PW_OK : st;
	int ccode = table_column(f.t, "O*NET-SOC Code"),
	    cex = table_column(f.t, "Example"),
	    ccom = table_column(f.t, "Commodity Code"),
	    ctitle = table_column(f.t, "Commodity Title"),
	    cdemand = table_column(f.t, "In Demand"), r = 0;
	while (!c->oom && (r = next_row(c, &f, err)) > 0) {
		occ *o = row_occ(c, &f, ccode);
		const char *ex = field_text(c, &f, cex),
		           *code = table_get(f.t, ccom),
		           *title = field_text(c, &f, ctitle);
		bool code_ok = commodity_code_ok(code);
		if (!code_ok)
			bad(c, &f, ccom,
			    "'%.60s' is not a UNSPSC commodity code (digits)",
			    code);
		if (!o || !ex || !title || !code_ok)
			continue;
		commodity *m = commodity_of(c, code, title);
		const char *skill = m ? tech_of(c, ex, m) : NULL;
		if (!skill)
			break;
		if (is_yes(table_get(f.t, cdemand)) &&
		    !has_str(&o->demand, skill))
			push(c, &o->demand, skill);
	}
	table_close(f.t);
	if (c->oom)
		return pw_oom(err);
	return r < 0 ? PW_ERR_NOMEM : PW_OK;
}

/* ---- job zones, alternate titles, related occupations ---- */

static pw_status read_job_zones(ctx *c, pw_error *err)
{
	static const char *const cols[] = {"O*NET-SOC Code", "Job Zone", NULL};
	file f;
	pw_status st = open_file(c, &f, "Job Zones.txt", cols, err);
	if (st)
		return st == PW_ERR_INVALID ? PW_OK : st;
	int ccode = table_column(f.t, "O*NET-SOC Code"),
	    czone = table_column(f.t, "Job Zone"), r;
	while ((r = next_row(c, &f, err)) > 0) {
		occ *o = row_occ(c, &f, ccode);
		const char *text = table_get(f.t, czone);
		double x;
		if (!parse_num(text, &x) || x != floor(x) || x < 1 || x > 5) {
			bad(c, &f, czone, "'%.60s' is not a job zone (1 to 5)",
			    text);
			continue;
		}
		if (!o)
			continue;
		if (o->job_zone) {
			bad(c, &f, ccode, "a second job zone for '%s'",
			    o->code);
			continue;
		}
		o->job_zone = (int)x;
	}
	table_close(f.t);
	return r < 0 ? PW_ERR_NOMEM : PW_OK;
}

static void add_alias(ctx *c, occ *o, const char *title)
{
	if (!*title || strcmp(title, "n/a") == 0 ||
	    strcmp(title, o->title) == 0 || has_str(&o->aliases, title))
		return;
	push(c, &o->aliases, keep(c, title));
}

static pw_status read_alternate_titles(ctx *c, pw_error *err)
{
	static const char *const cols[] = {"O*NET-SOC Code", "Alternate Title",
	                                   NULL};
	file f;
	pw_status st = open_file(c, &f, "Alternate Titles.txt", cols, err);
	if (st)
		return st == PW_ERR_INVALID ? PW_OK : st;
	int ccode = table_column(f.t, "O*NET-SOC Code"),
	    calt = table_column(f.t, "Alternate Title"),
	    cshort = table_column(f.t, "Short Title"), r = 0;
	while (!c->oom && (r = next_row(c, &f, err)) > 0) {
		occ *o = row_occ(c, &f, ccode);
		if (!o)
			continue;
		const char *alt = opt_text(c, &f, calt),
		           *short_title = opt_text(c, &f, cshort);
		if (alt && short_title) {
			add_alias(c, o, alt);
			add_alias(c, o, short_title);
		}
	}
	table_close(f.t);
	if (c->oom)
		return pw_oom(err);
	return r < 0 ? PW_ERR_NOMEM : PW_OK;
}

static pw_status read_related(ctx *c, pw_error *err)
{
	static const char *const cols[] = {"O*NET-SOC Code",
	                                   "Related O*NET-SOC Code", NULL};
	file f;
	pw_status st = open_file(c, &f, "Related Occupations.txt", cols, err);
	if (st)
		return st == PW_ERR_INVALID ? PW_OK : st;
	int ccode = table_column(f.t, "O*NET-SOC Code"),
	    crel = table_column(f.t, "Related O*NET-SOC Code"), r = 0;
	while (!c->oom && (r = next_row(c, &f, err)) > 0) {
		occ *o = row_occ(c, &f, ccode);
		const char *rel = table_get(f.t, crel);
		if (!text_is_soc_code(rel)) {
			bad(c, &f, crel,
			    "'%.60s' is not an O*NET-SOC code (NN-NNNN.NN)",
			    rel);
			continue;
		}
		if (o && strcmp(rel, o->code) != 0 &&
		    !has_str(&o->related, rel))
			push(c, &o->related, keep(c, rel));
	}
	table_close(f.t);
	if (c->oom)
		return pw_oom(err);
	return r < 0 ? PW_ERR_NOMEM : PW_OK;
}

/* ---- the native documents ---- */

static json_t *strings(const ptrvec *v)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < v->len; i++)
		if (json_array_append_new(a, json_string(v->items[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* Adds incoming to out, merged into the stored skill of the same id when
 * there is one (SPEC §6); a skill the merge leaves as it was is not
 * written again. Takes incoming. */
static pw_status add_skill(ctx *c, json_t *out, json_t *incoming, pw_error *err)
{
	json_t *stored = NULL, *before = NULL;
	pw_status st;
	if (!incoming)
		return pw_oom(err);
	const char *id = json_string_value(json_object_get(incoming, "id"));
	st = imp_stored(c->e, PW_KIND_SKILL, id, &stored, err);
	if (st == PW_ERR_NOT_FOUND) {
		st = json_array_append(out, incoming) ? pw_oom(err) : PW_OK;
		goto done;
	}
	if (st)
		goto done;
	if (!(before = json_deep_copy(stored)) ||
	    imp_merge_skill(stored, incoming)) {
		st = pw_oom(err);
		goto done;
	}
	if (!json_equal(stored, before) && json_array_append(out, stored))
		st = pw_oom(err);
done:
	json_decref(incoming);
	json_decref(stored);
	json_decref(before);
	return st;
}

static json_t *skill_doc(const char *id, const char *name,
                         const char *framework, const char *code,
                         const char *broader)
{
	json_t *s = json_pack("{s:s, s:s}", "id", id, "name", name);
	if (s && framework &&
	    json_object_set_new(s, "codes",
	                        json_pack("{s:s}", framework, code)))
		goto fail;
	if (s && broader &&
	    json_object_set_new(s, "broader", json_pack("[s]", broader)))
		goto fail;
	return s;
fail:
	json_decref(s);
	return NULL;
}

static pw_status build_skills(ctx *c, json_t *out, pw_error *err)
{
	pw_status st;
	link_parents(c);
	if (c->oom)
		return pw_oom(err);
	for (size_t i = 0; i < c->elems.len; i++) {
		element *el = c->elems.items[i];
		if (!el->used)
			continue;
		const char *parent =
		    el->parent < 0
		        ? NULL
		        : ((element *)c->elems.items[el->parent])->skill;
		if ((st = add_skill(
		         c, out,
		         skill_doc(el->skill, el->name, "onet", el->id, parent),
		         err)))
			return st;
	}
	if (!c->comms.len)
		return PW_OK;
	/* technology: examples under their commodity, commodities under the
	 * content model's Technology Skills (5.F) */
	const char *name = strmap_get(&c->model_name, "5.F");
	int root = element_of(c, "5.F", name ? name : "Technology Skills");
	if (root < 0)
		return pw_oom(err);
	element *el = c->elems.items[root];
	if ((st = add_skill(
	         c, out, skill_doc(el->skill, el->name, "onet", el->id, NULL),
	         err)))
		return st;
	for (size_t i = 0; i < c->comms.len; i++) {
		commodity *m = c->comms.items[i];
		if ((st = add_skill(c, out,
		                    skill_doc(m->skill, m->title, "unspsc",
		                              m->code, el->skill),
		                    err)))
			return st;
	}
	for (size_t i = 0; i < c->techs.len; i++) {
		tech *t = c->techs.items[i];
		json_t *s = skill_doc(t->skill, t->name, NULL, NULL, NULL);
		json_t *up = json_array();
		bool ok = s && up && !json_object_set(s, "broader", up);
		for (size_t k = 0; ok && k < t->commodities.len; k++) {
			commodity *m = t->commodities.items[k];
			ok = !json_array_append_new(up, json_string(m->skill));
		}
		if (ok && t->aliases.len)
			ok = !json_object_set_new(s, "aliases",
			                          strings(&t->aliases));
		json_decref(up);
		if (!ok) {
			json_decref(s);
			return pw_oom(err);
		}
		if ((st = add_skill(c, out, s, err)))
			return st;
	}
	return PW_OK;
}

static int level_of(const onet_mapping *m, double lv)
{
	int level = 1;
	while (level < 4 && lv >= m->level_cut[level - 1])
		level++;
	return level;
}

/* Knowledge areas, and technical skills when the mapping says so, can be
 * required; basic and the other cross-functional skills are generic and
 * stay preferred. */
static bool may_require(const onet_mapping *m, const char *code)
{
	return strncmp(code, "2.C.", 4) == 0 ||
	       (m->technical_required && strncmp(code, "2.B.3.", 6) == 0);
}

static json_t *requirements(ctx *c, const occ *o)
{
	json_t *reqs = json_array();
	ptrvec seen = {0};
	for (size_t i = 0; reqs && i < o->nratings; i++) {
		const rating *r = &o->ratings[i];
		const element *el = c->elems.items[r->elem];
		if (r->dropped || has_str(&seen, el->skill))
			continue;
		if (!r->has_im || !r->has_lv) {
			char where[32];
			snprintf(where, sizeof where, "line %zu", r->line);
			imp_note(c->o, c->sum, c->ratings_label[r->source],
			         where,
			         "element '%s' of '%s' has no %s rating; left "
			         "out",
			         el->id, o->code, r->has_im ? "LV" : "IM");
			continue;
		}
		long imp = lround(r->im);
		json_t *q =
		    json_pack("{s:s, s:i, s:i, s:b}", "skill", el->skill,
		              "level", level_of(c->map, r->lv), "importance",
		              (int)(imp < 1   ? 1
		                    : imp > 5 ? 5
		                              : imp),
		              "required",
		              may_require(c->map, el->id) &&
		                  r->im >= c->map->required_im);
		if (!q || json_array_append_new(reqs, q) ||
		    !ptrvec_push(&seen, (void *)el->skill))
			goto fail;
	}
	/* technologies go with the ratings: an occupation O*NET does not
	 * rate gets none (optional entries alone would make it look open to
	 * anyone, at a score of 0) */
	for (size_t i = 0;
	     reqs && seen.len && c->map->in_demand_importance > 0 &&
	     i < o->demand.len;
	     i++) {
		const char *skill = o->demand.items[i];
		if (has_str(&seen, skill))
			continue;
		json_t *q = json_pack(
		    "{s:s, s:i, s:i, s:b}", "skill", skill, "level", 1,
		    "importance", c->map->in_demand_importance, "required", 0);
		if (!q || json_array_append_new(reqs, q))
			goto fail;
	}
	ptrvec_release(&seen);
	return reqs;
fail:
	ptrvec_release(&seen);
	json_decref(reqs);
	return NULL;
}

/* O*NET's fields replace the stored occupation's; what O*NET does not give
 * (education, wage, openings, growth from BLS) is kept, aliases are added
 * to, and the stored requirements stay when O*NET rates nothing. */
static pw_status add_occupation(ctx *c, json_t *out, const occ *o,
                                pw_error *err)
{
	json_t *stored = NULL, *before = NULL, *doc = NULL;
	json_t *reqs = requirements(c, o), *aliases = strings(&o->aliases),
	       *related = strings(&o->related);
	pw_status st = PW_OK;
	if (!reqs || !aliases || !related)
		goto oom;
	st = imp_stored(c->e, PW_KIND_OCCUPATION, o->code, &stored, err);
	if (st && st != PW_ERR_NOT_FOUND)
		goto done;
	if (st == PW_ERR_NOT_FOUND) {
		st = PW_OK;
		if (!(doc = json_pack("{s:s, s:s}", "id", o->code, "title",
		                      o->title)))
			goto oom;
	} else {
		if (!(before = json_deep_copy(stored)))
			goto oom;
		doc = json_incref(stored);
		/* the title it had stays findable, as a skill's old name does
		 */
		const char *was =
		    json_string_value(json_object_get(doc, "title"));
		if (was && strcmp(was, o->title) != 0 &&
		    !has_str(&o->aliases, was) &&
		    json_array_append_new(aliases, json_string(was)))
			goto oom;
		if (json_object_set_new(doc, "title", json_string(o->title)))
			goto oom;
		json_t *had = json_object_get(doc, "aliases");
		size_t i;
		json_t *v;
		json_array_foreach(had, i, v)
		{
			bool dup = false;
			size_t j;
			json_t *w;
			json_array_foreach(aliases, j, w) dup |=
			    json_equal(v, w);
			if (!dup && json_array_append(aliases, v))
				goto oom;
		}
	}
	if ((o->description &&
	     json_object_set_new(doc, "description",
	                         json_string(o->description))) ||
	    (o->job_zone &&
	     json_object_set_new(doc, "job_zone", json_integer(o->job_zone))))
		goto oom;
	if (json_array_size(aliases) &&
	    json_object_set(doc, "aliases", aliases))
		goto oom;
	if (json_array_size(related) &&
	    json_object_set(doc, "related", related))
		goto oom;
	if ((json_array_size(reqs) || !json_object_get(doc, "requirements")) &&
	    json_object_set(doc, "requirements", reqs))
		goto oom;
	if ((!before || !json_equal(doc, before)) &&
	    json_array_append(out, doc))
		goto oom;
	goto done;
oom:
	st = pw_oom(err);
done:
	json_decref(reqs);
	json_decref(aliases);
	json_decref(related);
	json_decref(doc);
	json_decref(stored);
	json_decref(before);
	return st;
}

/* ---- the import ---- */

static void ctx_release(ctx *c)
{
	for (size_t i = 0; i < c->occs.len; i++) {
		occ *o = c->occs.items[i];
		ptrvec_release(&o->aliases);
		ptrvec_release(&o->related);
		ptrvec_release(&o->demand);
		free(o->ratings);
	}
	for (size_t i = 0; i < c->techs.len; i++) {
		tech *t = c->techs.items[i];
		ptrvec_release(&t->aliases);
		ptrvec_release(&t->commodities);
	}
	ptrvec_release(&c->elems);
	ptrvec_release(&c->occs);
	ptrvec_release(&c->comms);
	ptrvec_release(&c->techs);
	strmap_release(&c->elem_by_id);
	strmap_release(&c->model_name);
	strmap_release(&c->occ_by_code);
	strmap_release(&c->comm_by_code);
	strmap_release(&c->tech_by_id);
	strmap_release(&c->noted);
	json_decref(c->onet_ids);
	json_decref(c->unspsc_ids);
	arena_release(&c->a);
}

pw_status onet_import(pw_engine *e, const char *dir, const onet_mapping *map,
                      const pw_import_opts *o, pw_report *rep,
                      pw_import_summary *sum, pw_error *err)
{
	ctx c = {
	    .e = e, .map = map, .o = o, .rep = rep, .sum = sum, .dir = dir};
	json_t *doc = NULL, *skills = NULL, *occs = NULL;
	pw_import_summary counts = {0};
	struct stat sb;
	pw_status st;
	if (!rep)
		return pw_fail(err, PW_ERR_INVALID, "an import needs a report");
	if (stat(dir, &sb) != 0)
		return pw_fail(err, PW_ERR_IO, "cannot open '%s': %s", dir,
		               strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return pw_fail(err, PW_ERR_IO,
		               "'%s' is not a directory (import onet reads the "
		               "O*NET text files in one)",
		               dir);
	if (!sum)
		c.sum = &counts;
	memset(c.sum, 0, sizeof *c.sum);
	size_t problems = pw_report_count(rep);
	if ((st = imp_skills_by_code(e, "onet", &c.onet_ids, err)) ||
	    (st = imp_skills_by_code(e, "unspsc", &c.unspsc_ids, err)))
		goto out;
	/* the content model and the occupations first: the other files are
	 * checked against them */
	if ((st = read_content_model(&c, err)) ||
	    (st = read_occupations(&c, err)) ||
	    (st = read_ratings(&c, "Skills.txt", 0, err)) ||
	    (st = read_ratings(&c, "Knowledge.txt", 1, err)) ||
	    (st = read_technology(&c, err)) || (st = read_job_zones(&c, err)) ||
	    (st = read_alternate_titles(&c, err)) ||
	    (st = read_related(&c, err)))
		goto out;
	if (c.oom) {
		st = pw_oom(err);
		goto out;
	}
	if (pw_report_count(rep) > problems) {
		size_t n = pw_report_count(rep) - problems;
		st =
		    pw_fail(err, PW_ERR_INVALID,
		            "%zu problem%s in the O*NET files in '%s'; nothing "
		            "was imported",
		            n, n == 1 ? "" : "s", dir);
		goto out;
	}
	for (size_t i = 0; i < c.occs.len; i++) {
		occ *oc = c.occs.items[i];
		for (size_t k = 0; k < oc->nratings; k++)
			if (!oc->ratings[k].dropped && oc->ratings[k].has_im &&
			    oc->ratings[k].has_lv)
				((element *)c.elems.items[oc->ratings[k].elem])
				    ->used = true;
	}
	imp_progress(o, "merging", 0, 0);
	if (!(doc = json_object()) || !(skills = json_array()) ||
	    !(occs = json_array()) || json_object_set(doc, "skills", skills) ||
	    json_object_set(doc, "occupations", occs)) {
		st = pw_oom(err);
		goto out;
	}
	if ((st = build_skills(&c, skills, err)))
		goto out;
	for (size_t i = 0; i < c.occs.len; i++) {
		if ((i & 127) == 0)
			imp_progress(o, "merging", i, c.occs.len);
		if ((st = add_occupation(&c, occs, c.occs.items[i], err)))
			goto out;
	}
	/* a second import of the same files finds nothing to change */
	if (json_array_size(skills) || json_array_size(occs))
		st = imp_write(e, o, dir, doc, rep, c.sum, err);
out:
	json_decref(skills);
	json_decref(occs);
	json_decref(doc);
	ctx_release(&c);
	return st;
}

pw_status pw_import_onet(pw_engine *e, const char *dir,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err)
{
	return onet_import(e, dir, &onet_default_mapping, opts, rep, sum, err);
}
