/* load.c - `pathway load`: native dataset files (SPEC §1) are parsed into
 * records, validated together (types, ranges, duplicate ids, references,
 * cycles), and only then written, all in one transaction. Every problem is
 * reported with its file, JSON path and reason. */
#include "internal.h"
#include "jsonld.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the report ---- */

typedef struct report_entry {
	const char *file, *path, *reason;
} report_entry;

static void report_add(pw_report *r, const char *file, const char *path,
                       const char *reason);

/* Every problem found is kept (SPEC §6: a rejected load reports all of
 * them); the strings live in the report's arena. */
struct pw_report {
	arena mem;
	ptrvec entries;
	bool oom;
};

pw_report *pw_report_new(void)
{
	return calloc(1, sizeof(pw_report));
}

void pw_report_free(pw_report *r)
{
	if (!r)
		return;
	ptrvec_release(&r->entries);
	arena_release(&r->mem);
	free(r);
}

size_t pw_report_count(const pw_report *r)
{
	return r ? r->entries.len : 0;
}

void pw_report_get(const pw_report *r, size_t i, const char **file,
                   const char **path, const char **reason)
{
	const report_entry *e = r->entries.items[i];
	if (file)
		*file = e->file;
	if (path)
		*path = e->path;
	if (reason)
		*reason = e->reason;
}

void report_append(pw_report *r, const char *file, const char *path,
                   const char *reason)
{
	report_add(r, file, path, reason);
}

void report_appendf(pw_report *r, const char *file, const char *path,
                    const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	report_add(r, file, path, reason);
}

static void report_add(pw_report *r, const char *file, const char *path,
                       const char *reason)
{
	report_entry *e = arena_alloc(&r->mem, sizeof *e);
	if (!e || !(e->file = arena_strdup(&r->mem, file)) ||
	    !(e->path = arena_strdup(&r->mem, path)) ||
	    !(e->reason = arena_strdup(&r->mem, reason)) ||
	    !ptrvec_push(&r->entries, e))
		r->oom = true;
}

/* Forgets the entries from n on (their text stays in the arena until the
 * report is freed). */
static void report_truncate(pw_report *r, size_t n)
{
	if (n < r->entries.len)
		r->entries.len = n;
}

/* ---- load context ---- */

/* An entity read: its record and where it was, file and index in the
 * array of its kind (its path is that array's key and the index). */
typedef struct item {
	void *rec;
	const char *file;
	size_t index;
	pw_kind kind;
} item;

/* The items of one kind, in the order read; grown by doubling, and no
 * longer once validation takes pointers into it. */
typedef struct itemvec {
	item *v;
	size_t len, cap;
} itemvec;

/* The strings of the records, packed end to end in blocks of their own:
 * neither aligned nor zeroed as arena_alloc's are (a state's learners
 * hold some twenty million short strings). */
#define POOL_BLOCK (1u << 20)
typedef struct strpool {
	ptrvec blocks;
	char *at;
	size_t left;
} strpool;

typedef struct ld {
	pw_report *rep;
	arena *a;
	strpool pool;
	store *st;
	const char *file;
	char path[1024];
	size_t plen;
	bool oom;
	size_t errors;
	itemvec items[PW_KIND_COUNT];
	strmap ids[PW_KIND_COUNT]; /* id -> item * */
} ld;

/* The keys of a document's arrays, by kind. */
static const char *const root_keys[PW_KIND_COUNT + 1] = {
    "skills", "credentials", "occupations", "jobs", "learners", NULL};

static void failf(ld *c, const char *fmt, ...) PW_PRINTF(2, 3);
static void failf(ld *c, const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	c->errors++;
	report_add(c->rep, c->file, c->plen ? c->path : "$", reason);
}

/* Appends n bytes of s to the path, cut to what fits. Every field read
 * pushes its key, so this stays clear of snprintf. */
static void path_put(ld *c, const char *s, size_t n)
{
	size_t room = sizeof c->path - 1 - c->plen;
	if (n > room)
		n = room;
	memcpy(c->path + c->plen, s, n);
	c->plen += n;
	c->path[c->plen] = '\0';
}

static size_t push_key(ld *c, const char *key)
{
	size_t saved = c->plen;
	if (c->plen)
		path_put(c, ".", 1);
	path_put(c, key, strlen(key));
	return saved;
}

static size_t push_index(ld *c, size_t i)
{
	char tmp[24];
	size_t n = sizeof tmp;
	size_t saved = c->plen;
	tmp[--n] = ']';
	do
		tmp[--n] = (char)('0' + i % 10);
	while (i /= 10);
	tmp[--n] = '[';
	path_put(c, tmp + n, sizeof tmp - n);
	return saved;
}

static void pop(ld *c, size_t saved)
{
	c->plen = saved;
	c->path[saved] = '\0';
}

/* Short, quoted rendering of a string for messages. */
static const char *clip(const char *s, char out[static 72])
{
	size_t n = strlen(s);
	if (n <= 60)
		snprintf(out, 72, "%s", s);
	else
		snprintf(out, 72, "%.57s...", s);
	return out;
}

/* ---- field readers: each reports at PATH.key and returns false on error ----
 */

static bool check_keys(ld *c, json_t *o, const char *const *allowed)
{
	const char *key;
	json_t *v;
	bool ok = true;
	json_object_foreach(o, key, v)
	{
		bool known = false;
		for (size_t i = 0; allowed[i]; i++)
			if (strcmp(key, allowed[i]) == 0)
				known = true;
		if (!known) {
			char tmp[72];
			size_t s = push_key(c, key);
			failf(c, "unknown key '%s'", clip(key, tmp));
			pop(c, s);
			ok = false;
		}
	}
	return ok;
}

static const char *ld_dupn(ld *c, const char *s, size_t n)
{
	strpool *p = &c->pool;
	char *d;
	if (n >= p->left) {
		/* a long string gets a block of its own, so the current
		 * block's tail is not wasted */
		size_t cap = n >= POOL_BLOCK / 16 ? n + 1 : POOL_BLOCK;
		char *b = malloc(cap);
		if (!b || !ptrvec_push(&p->blocks, b)) {
			free(b);
			c->oom = true;
			return NULL;
		}
		if (cap != POOL_BLOCK) {
			memcpy(b, s, n);
			b[n] = '\0';
			return b;
		}
		p->at = b;
		p->left = cap;
	}
	d = p->at;
	memcpy(d, s, n);
	d[n] = '\0';
	p->at += n + 1;
	p->left -= n + 1;
	return d;
}

static const char *ld_dup(ld *c, const char *s)
{
	if (!s) {
		c->oom = true; /* a NULL name fails as it always has */
		return NULL;
	}
	return ld_dupn(c, s, strlen(s));
}

/* A JSON string's value (jansson rejects \u0000, so it has no NUL). */
static const char *ld_str(ld *c, json_t *v)
{
	return ld_dupn(c, json_string_value(v), json_string_length(v));
}

static bool get_str(ld *c, json_t *o, const char *key, bool required,
                    const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v) {
		if (required)
			failf(c, "missing required key '%s'", key);
		return !required;
	}
	size_t s = push_key(c, key);
	bool ok = false;
	if (!json_is_string(v))
		failf(c, "expected a string, got %s", jld_type_name(v));
	else if (required && json_string_length(v) == 0)
		failf(c, "must not be empty");
	else {
		*out = ld_str(c, v);
		ok = true;
	}
	pop(c, s);
	return ok;
}

static bool get_id(ld *c, json_t *o, const char **out)
{
	if (!get_str(c, o, "id", true, out))
		return false;
	if (!text_valid_id(*out)) {
		char tmp[72];
		size_t s = push_key(c, "id");
		failf(c,
		      "'%s' is not a valid id (1-128 of A-Z a-z 0-9 . _ : -)",
		      clip(*out, tmp));
		pop(c, s);
		*out = NULL;
		return false;
	}
	return true;
}

static bool get_bool(ld *c, json_t *o, const char *key, bool dflt, bool *out)
{
	json_t *v = json_object_get(o, key);
	*out = dflt;
	if (!v)
		return true;
	if (!json_is_boolean(v)) {
		size_t s = push_key(c, key);
		failf(c, "expected true or false, got %s", jld_type_name(v));
		pop(c, s);
		return false;
	}
	*out = json_is_true(v);
	return true;
}

/* A number in [lo, hi]; lo_open excludes lo. */
static bool get_num(ld *c, json_t *o, const char *key, bool *has, double lo,
                    double hi, bool lo_open, double *out)
{
	json_t *v = json_object_get(o, key);
	*has = false;
	if (!v)
		return true;
	size_t s = push_key(c, key);
	bool ok = false;
	if (!json_is_number(v))
		failf(c, "expected a number, got %s", jld_type_name(v));
	else {
		double x = json_number_value(v);
		if (!isfinite(x) || x < lo || x > hi || (lo_open && x == lo)) {
			char a[32], b[32];
			num_format(a, lo);
			num_format(b, x);
			if (hi < 1e300) {
				char h[32];
				num_format(h, hi);
				if (lo_open)
					failf(c,
					      "%s is out of range (more than "
					      "%s, up to %s)",
					      b, a, h);
				else
					failf(c,
					      "%s is out of range (%s to %s)",
					      b, a, h);
			} else
				failf(c, "%s is out of range (must be %s %s)",
				      b, lo_open ? ">" : ">=", a);
		} else {
			*out = x;
			*has = ok = true;
		}
	}
	pop(c, s);
	return ok;
}

static bool get_int(ld *c, json_t *o, const char *key, bool *has, long long lo,
                    long long hi, long long *out)
{
	json_t *v = json_object_get(o, key);
	*has = false;
	if (!v)
		return true;
	size_t s = push_key(c, key);
	bool ok = false;
	long long x = 0;
	bool integral = json_is_integer(v);
	if (integral)
		x = json_integer_value(v);
	else if (json_is_real(v)) {
		double d = json_real_value(v);
		integral = d == floor(d) && fabs(d) < 9e15;
		x = (long long)d;
	}
	if (!json_is_number(v))
		failf(c, "expected an integer, got %s", jld_type_name(v));
	else if (!integral)
		failf(c, "expected an integer, got %g", json_number_value(v));
	else if (x < lo || x > hi) {
		if (hi < INT32_MAX)
			failf(c, "%lld is out of range (%lld to %lld)", x, lo,
			      hi);
		else
			failf(c, "%lld is out of range (must be >= %lld)", x,
			      lo);
	} else {
		*out = x;
		*has = ok = true;
	}
	pop(c, s);
	return ok;
}

static bool get_date(ld *c, json_t *o, const char *key, bool required,
                     pw_date *out)
{
	json_t *v = json_object_get(o, key);
	*out = PW_DATE_NONE;
	if (!v) {
		if (required)
			failf(c, "missing required key '%s'", key);
		return !required;
	}
	size_t s = push_key(c, key);
	bool ok = false;
	if (!json_is_string(v))
		failf(c, "expected a date string YYYY-MM-DD, got %s",
		      jld_type_name(v));
	else if (pw_date_parse(json_string_value(v), out, NULL) != PW_OK) {
		char tmp[72];
		failf(c, "'%s' is not a date (YYYY-MM-DD)",
		      clip(json_string_value(v), tmp));
		*out = PW_DATE_NONE;
	} else
		ok = true;
	pop(c, s);
	return ok;
}

static bool get_enum(ld *c, json_t *o, const char *key,
                     const char *const *values, const char *dflt,
                     const char **out)
{
	if (!get_str(c, o, key, false, out))
		return false;
	if (!*out) {
		*out = dflt;
		return true;
	}
	for (size_t i = 0; values[i]; i++)
		if (strcmp(*out, values[i]) == 0) {
			*out = values[i];
			return true;
		}
	char list[256] = "", tmp[72];
	for (size_t i = 0; values[i]; i++) {
		strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
		strncat(list, values[i], sizeof list - strlen(list) - 1);
	}
	size_t s = push_key(c, key);
	failf(c, "'%s' is not one of %s", clip(*out, tmp), list);
	pop(c, s);
	*out = NULL;
	return false;
}

/* An array of strings; ids checks the id syntax of each. */
static bool get_strs(ld *c, json_t *o, const char *key, bool ids, rec_strs *out)
{
	json_t *v = json_object_get(o, key);
	memset(out, 0, sizeof *out);
	if (!v)
		return true;
	size_t s = push_key(c, key);
	bool ok = true;
	if (!json_is_array(v)) {
		failf(c, "expected an array, got %s", jld_type_name(v));
		pop(c, s);
		return false;
	}
	size_t n = json_array_size(v);
	out->v = arena_alloc(c->a, (n + 1) * sizeof *out->v);
	if (!out->v) {
		c->oom = true;
		pop(c, s);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(v, i);
		size_t s2 = push_index(c, i);
		char tmp[72];
		if (!json_is_string(x)) {
			failf(c, "expected a string, got %s", jld_type_name(x));
			ok = false;
		} else if (ids && !text_valid_id(json_string_value(x))) {
			failf(c, "'%s' is not a valid id",
			      clip(json_string_value(x), tmp));
			ok = false;
		} else
			out->v[out->n++] = ld_str(c, x);
		pop(c, s2);
	}
	pop(c, s);
	return ok;
}

static json_t *get_obj(ld *c, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (v && !json_is_object(v)) {
		size_t s = push_key(c, key);
		failf(c, "expected an object, got %s", jld_type_name(v));
		pop(c, s);
		return NULL;
	}
	return v;
}

static json_t *get_arr(ld *c, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (v && !json_is_array(v)) {
		size_t s = push_key(c, key);
		failf(c, "expected an array, got %s", jld_type_name(v));
		pop(c, s);
		return NULL;
	}
	return v;
}

/* Walks the objects of an array at key, calling fn with PATH.key[i]. */
static void each_obj(ld *c, json_t *o, const char *key,
                     void (*fn)(ld *, json_t *, size_t, void *), void *ctx)
{
	json_t *arr = get_arr(c, o, key);
	if (!arr)
		return;
	size_t s = push_key(c, key);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *x = json_array_get(arr, i);
		size_t s2 = push_index(c, i);
		if (!json_is_object(x))
			failf(c, "expected an object, got %s",
			      jld_type_name(x));
		else
			fn(c, x, i, ctx);
		pop(c, s2);
	}
	pop(c, s);
}

/* ---- shared shapes ---- */

static void parse_location(ld *c, json_t *o, const char *key, rec_location *l)
{
	static const char *const keys[] = {"lat",  "lon",   "county",
	                                   "city", "state", NULL};
	json_t *v = get_obj(c, o, key);
	memset(l, 0, sizeof *l);
	if (!v)
		return;
	size_t s = push_key(c, key);
	l->present = true;
	check_keys(c, v, keys);
	get_num(c, v, "lat", &l->has_lat, -90, 90, false, &l->lat);
	get_num(c, v, "lon", &l->has_lon, -180, 180, false, &l->lon);
	get_str(c, v, "city", false, &l->city);
	if (get_str(c, v, "county", false, &l->county) && l->county) {
		bool ok = strlen(l->county) == 5;
		for (size_t i = 0; ok && i < 5; i++)
			ok = l->county[i] >= '0' && l->county[i] <= '9';
		if (!ok) {
			char tmp[72];
			size_t s2 = push_key(c, "county");
			failf(c, "'%s' is not a 5-digit county FIPS code",
			      clip(l->county, tmp));
			pop(c, s2);
		}
	}
	if (get_str(c, v, "state", false, &l->state) && l->state) {
		bool ok = strlen(l->state) == 2 && l->state[0] >= 'A' &&
		          l->state[0] <= 'Z' && l->state[1] >= 'A' &&
		          l->state[1] <= 'Z';
		if (!ok) {
			char tmp[72];
			size_t s2 = push_key(c, "state");
			failf(c, "'%s' is not a two-letter state code",
			      clip(l->state, tmp));
			pop(c, s2);
		}
	}
	pop(c, s);
}

static void parse_wage(ld *c, json_t *o, rec_wage *w)
{
	static const char *const keys[] = {"min", "max", "unit", NULL};
	static const char *const units[] = {"hour", "year", NULL};
	json_t *v = get_obj(c, o, "wage");
	memset(w, 0, sizeof *w);
	if (!v)
		return;
	size_t s = push_key(c, "wage");
	w->present = true;
	check_keys(c, v, keys);
	get_num(c, v, "min", &w->has_min, 0, 1e12, false, &w->min);
	get_num(c, v, "max", &w->has_max, 0, 1e12, false, &w->max);
	if (!json_object_get(v, "unit"))
		failf(c, "missing required key 'unit'");
	else
		get_enum(c, v, "unit", units, NULL, &w->unit);
	if (!w->has_min && !w->has_max && !json_object_get(v, "min") &&
	    !json_object_get(v, "max"))
		failf(c, "a wage needs 'min' or 'max'");
	if (w->has_min && w->has_max && w->min > w->max) {
		size_t s2 = push_key(c, "min");
		failf(c, "min is greater than max");
		pop(c, s2);
	}
	pop(c, s);
}

static void parse_level_entry(ld *c, json_t *o, int dflt, rec_level *out)
{
	static const char *const keys[] = {"skill", "level", NULL};
	bool has;
	long long lv = dflt;
	check_keys(c, o, keys);
	get_str(c, o, "skill", true, &out->skill);
	get_int(c, o, "level", &has, 1, 4, &lv);
	out->level = (int)lv;
}

static void parse_requirement(ld *c, json_t *o, size_t i, void *ctx)
{
	static const char *const keys[] = {"skill",    "level",  "importance",
	                                   "required", "any_of", NULL};
	rec_requirement *r = &((rec_requirement *)ctx)[i];
	bool has;
	long long imp = 3, lv = 1;
	check_keys(c, o, keys);
	get_int(c, o, "importance", &has, 1, 5, &imp);
	get_bool(c, o, "required", true, &r->required);
	r->importance = (int)imp;
	json_t *any = json_object_get(o, "any_of");
	if (any) {
		if (json_object_get(o, "skill") ||
		    json_object_get(o, "level")) {
			failf(c,
			      "a requirement has either 'skill' and 'level' or "
			      "'any_of', not both");
			return;
		}
		if (!(any = get_arr(c, o, "any_of")))
			return;
		size_t n = json_array_size(any);
		if (n == 0) {
			size_t s = push_key(c, "any_of");
			failf(c, "must list at least one alternative");
			pop(c, s);
			return;
		}
		r->alts = arena_alloc(c->a, n * sizeof *r->alts);
		if (!r->alts) {
			c->oom = true;
			return;
		}
		size_t s = push_key(c, "any_of");
		for (size_t k = 0; k < n; k++) {
			json_t *x = json_array_get(any, k);
			size_t s2 = push_index(c, k);
			if (!json_is_object(x))
				failf(c, "expected an object, got %s",
				      jld_type_name(x));
			else
				parse_level_entry(c, x, 1,
				                  &r->alts[r->nalts++]);
			pop(c, s2);
		}
		pop(c, s);
		return;
	}
	get_str(c, o, "skill", true, &r->skill);
	get_int(c, o, "level", &has, 1, 4, &lv);
	r->level = (int)lv;
}

static void parse_requirements(ld *c, json_t *o, rec_target *t)
{
	json_t *arr = get_arr(c, o, "requirements");
	if (!arr)
		return;
	size_t n = json_array_size(arr);
	t->reqs = arena_alloc(c->a, (n + 1) * sizeof *t->reqs);
	if (!t->reqs) {
		c->oom = true;
		return;
	}
	t->nreqs = n;
	each_obj(c, o, "requirements", parse_requirement, t->reqs);

	/* At most one entry per skill (an any_of entry counts for each of its
	 * alternatives). */
	for (size_t i = 0; i < n; i++) {
		const rec_requirement *r = &t->reqs[i];
		size_t na = r->nalts ? r->nalts : 1;
		for (size_t a = 0; a < na; a++) {
			const char *sk = r->nalts ? r->alts[a].skill : r->skill;
			if (!sk)
				continue;
			bool seen = false;
			for (size_t j = 0; j <= i && !seen; j++) {
				const rec_requirement *q = &t->reqs[j];
				size_t nb = q->nalts ? q->nalts : 1;
				for (size_t b = 0; b < nb; b++) {
					if (j == i && b >= a)
						break;
					const char *sk2 = q->nalts
					                      ? q->alts[b].skill
					                      : q->skill;
					if (sk2 && strcmp(sk, sk2) == 0)
						seen = true;
				}
			}
			if (seen) {
				char tmp[72];
				size_t s = push_key(c, "requirements"),
				       s2 = push_index(c, i);
				failf(c,
				      "skill '%s' is required more than once",
				      clip(sk, tmp));
				pop(c, s2);
				pop(c, s);
			}
		}
	}
}

static void parse_credreqs(ld *c, json_t *o, rec_target *t)
{
	json_t *arr = get_arr(c, o, "credentials_required");
	if (!arr)
		return;
	size_t n = json_array_size(arr);
	t->credreqs = arena_alloc(c->a, (n + 1) * sizeof *t->credreqs);
	if (!t->credreqs) {
		c->oom = true;
		return;
	}
	size_t s = push_key(c, "credentials_required");
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(arr, i);
		rec_credreq *cr = &t->credreqs[t->ncredreqs++];
		size_t s2 = push_index(c, i);
		char tmp[72];
		if (json_is_string(x)) {
			if (!text_valid_id(json_string_value(x)))
				failf(c, "'%s' is not a valid id",
				      clip(json_string_value(x), tmp));
			cr->creds.v = arena_alloc(c->a, sizeof(char *));
			if (!cr->creds.v) {
				c->oom = true;
			} else {
				cr->creds.v[0] = ld_str(c, x);
				cr->creds.n = 1;
			}
		} else if (json_is_object(x)) {
			static const char *const keys[] = {"any_of", NULL};
			check_keys(c, x, keys);
			cr->any_of = true;
			if (!json_object_get(x, "any_of"))
				failf(c, "missing required key 'any_of'");
			else if (get_strs(c, x, "any_of", true, &cr->creds) &&
			         cr->creds.n == 0) {
				size_t s3 = push_key(c, "any_of");
				failf(c, "must list at least one credential");
				pop(c, s3);
			}
		} else
			failf(
			    c,
			    "expected a credential id or {\"any_of\": [...]}, "
			    "got %s",
			    jld_type_name(x));
		pop(c, s2);
	}
	pop(c, s);
}

/* ---- entities ---- */

static void add_item(ld *c, pw_kind kind, void *rec, size_t index)
{
	itemvec *v = &c->items[kind];
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		item *grown = realloc(v->v, cap * sizeof *grown);
		if (!grown) {
			c->oom = true;
			return;
		}
		v->v = grown;
		v->cap = cap;
	}
	v->v[v->len++] =
	    (item){.rec = rec, .file = c->file, .index = index, .kind = kind};
}

static void parse_related(ld *c, json_t *o, size_t i, void *ctx)
{
	static const char *const keys[] = {"skill", "weight", NULL};
	rec_related *r = &((rec_related *)ctx)[i];
	bool has;
	check_keys(c, o, keys);
	get_str(c, o, "skill", true, &r->skill);
	if (!json_object_get(o, "weight"))
		failf(c, "missing required key 'weight'");
	else
		get_num(c, o, "weight", &has, 0, 1, false, &r->weight);
}

static void parse_skill(ld *c, json_t *o, size_t i, void *ctx)
{
	static const char *const keys[] = {"id",      "name",    "aliases",
	                                   "pattern", "broader", "related",
	                                   "codes",   NULL};
	PW_UNUSED(ctx);
	rec_skill *r = arena_alloc(c->a, sizeof *r);
	if (!r) {
		c->oom = true;
		return;
	}
	check_keys(c, o, keys);
	get_id(c, o, &r->id);
	get_str(c, o, "name", true, &r->name);
	get_strs(c, o, "aliases", false, &r->aliases);
	get_strs(c, o, "broader", true, &r->broader);
	if (get_str(c, o, "pattern", false, &r->pattern) && r->pattern) {
		char msg[256];
		if (!text_pattern_ok(r->pattern, msg, sizeof msg)) {
			size_t s = push_key(c, "pattern");
			failf(c, "not a valid PCRE2 pattern: %s", msg);
			pop(c, s);
		}
	}
	json_t *rel = get_arr(c, o, "related");
	if (rel) {
		r->nrelated = json_array_size(rel);
		r->related =
		    arena_alloc(c->a, (r->nrelated + 1) * sizeof *r->related);
		if (!r->related)
			c->oom = true;
		else
			each_obj(c, o, "related", parse_related, r->related);
	}
	json_t *codes = get_obj(c, o, "codes");
	if (codes) {
		size_t n = json_object_size(codes), k = 0;
		const char *key;
		json_t *v;
		r->codes = arena_alloc(c->a, (n + 1) * sizeof *r->codes);
		if (!r->codes) {
			c->oom = true;
			return;
		}
		size_t s = push_key(c, "codes");
		json_object_foreach(codes, key, v)
		{
			size_t s2 = push_key(c, key);
			if (!json_is_string(v) || json_string_length(v) == 0)
				failf(c, "expected a non-empty string, got %s",
				      json_is_string(v) ? "an empty string"
				                        : jld_type_name(v));
			else {
				r->codes[k].framework = ld_dup(c, key);
				r->codes[k].code = ld_str(c, v);
				k++;
			}
			pop(c, s2);
		}
		r->ncodes = k;
		pop(c, s);
	}
	add_item(c, PW_KIND_SKILL, r, i);
}

static void parse_cred_skill(ld *c, json_t *o, size_t i, void *ctx)
{
	parse_level_entry(c, o, 2, &((rec_level *)ctx)[i]);
}

static void parse_credential(ld *c, json_t *o, size_t i, void *ctx)
{
	static const char *const keys[] = {"id",
	                                   "name",
	                                   "provider",
	                                   "url",
	                                   "description",
	                                   "type",
	                                   "skills",
	                                   "hours",
	                                   "cost",
	                                   "aliases",
	                                   "occupations",
	                                   "listed",
	                                   "prerequisites",
	                                   "components",
	                                   "expires_months",
	                                   "modality",
	                                   "location",
	                                   "college_credits",
	                                   NULL};
	static const char *const types[] = {
	    "micro-credential", "badge",          "certificate",
	    "certification",    "license",        "course",
	    "degree",           "prior-learning", NULL};
	static const char *const modalities[] = {"online", "in-person",
	                                         "hybrid", NULL};
	PW_UNUSED(ctx);
	rec_credential *r = arena_alloc(c->a, sizeof *r);
	if (!r) {
		c->oom = true;
		return;
	}
	long long months = 0;
	check_keys(c, o, keys);
	get_id(c, o, &r->id);
	get_str(c, o, "name", true, &r->name);
	get_str(c, o, "provider", false, &r->provider);
	get_str(c, o, "url", false, &r->url);
	get_str(c, o, "description", false, &r->description);
	get_enum(c, o, "type", types, "micro-credential", &r->type);
	get_num(c, o, "hours", &r->has_hours, 0, 1e6, false, &r->hours);
	get_num(c, o, "cost", &r->has_cost, 0, 1e9, false, &r->cost);
	get_num(c, o, "college_credits", &r->has_college_credits, 0, 1e6, false,
	        &r->college_credits);
	get_strs(c, o, "aliases", false, &r->aliases);
	get_strs(c, o, "occupations", false, &r->occupations);
	get_strs(c, o, "prerequisites", true, &r->prerequisites);
	get_strs(c, o, "components", true, &r->components);
	get_bool(c, o, "listed", true, &r->listed);
	get_int(c, o, "expires_months", &r->has_expires_months, 1, 1200,
	        &months);
	r->expires_months = (int)months;
	get_enum(c, o, "modality", modalities, NULL, &r->modality);
	parse_location(c, o, "location", &r->location);
	for (size_t k = 0; k < r->occupations.n; k++)
		if (!text_is_soc_code(r->occupations.v[k])) {
			char tmp[72];
			size_t s = push_key(c, "occupations"),
			       s2 = push_index(c, k);
			failf(c, "'%s' is not an O*NET-SOC code (NN-NNNN.NN)",
			      clip(r->occupations.v[k], tmp));
			pop(c, s2);
			pop(c, s);
		}
	json_t *skills = get_arr(c, o, "skills");
	if (skills) {
		r->nskills = json_array_size(skills);
		r->skills =
		    arena_alloc(c->a, (r->nskills + 1) * sizeof *r->skills);
		if (!r->skills) {
			c->oom = true;
			return;
		}
		each_obj(c, o, "skills", parse_cred_skill, r->skills);
		for (size_t a = 0; a < r->nskills; a++)
			for (size_t b = 0; b < a; b++)
				if (r->skills[a].skill && r->skills[b].skill &&
				    strcmp(r->skills[a].skill,
				           r->skills[b].skill) == 0) {
					char tmp[72];
					size_t s = push_key(c, "skills"),
					       s2 = push_index(c, a);
					failf(c,
					      "skill '%s' is listed more than "
					      "once",
					      clip(r->skills[a].skill, tmp));
					pop(c, s2);
					pop(c, s);
					break;
				}
	}
	add_item(c, PW_KIND_CREDENTIAL, r, i);
}

static void parse_occupation(ld *c, json_t *o, size_t i, void *ctx)
{
	static const char *const keys[] = {
	    "id",       "title",      "description",  "aliases",
	    "job_zone", "education",  "requirements", "wage",
	    "openings", "growth_pct", "related",      NULL};
	PW_UNUSED(ctx);
	rec_target *r = arena_alloc(c->a, sizeof *r);
	if (!r) {
		c->oom = true;
		return;
	}
	bool has;
	long long zone = 0;
	r->posted = r->expires = PW_DATE_NONE;
	check_keys(c, o, keys);
	if (get_str(c, o, "id", true, &r->id) && r->id &&
	    !text_is_soc_code(r->id)) {
		char tmp[72];
		size_t s = push_key(c, "id");
		failf(c, "'%s' is not an O*NET-SOC code (NN-NNNN.NN)",
		      clip(r->id, tmp));
		pop(c, s);
		r->id = NULL;
	}
	get_str(c, o, "title", true, &r->title);
	get_str(c, o, "description", false, &r->description);
	get_str(c, o, "education", false, &r->education);
	get_strs(c, o, "aliases", false, &r->aliases);
	get_strs(c, o, "related", false, &r->related);
	for (size_t k = 0; k < r->related.n; k++)
		if (!text_is_soc_code(r->related.v[k])) {
			char tmp[72];
			size_t s = push_key(c, "related"),
			       s2 = push_index(c, k);
			failf(c, "'%s' is not an O*NET-SOC code (NN-NNNN.NN)",
			      clip(r->related.v[k], tmp));
			pop(c, s2);
			pop(c, s);
		}
	get_int(c, o, "job_zone", &has, 1, 5, &zone);
	r->job_zone = (int)zone;
	get_int(c, o, "openings", &r->has_openings, 0, INT64_MAX, &r->openings);
	get_num(c, o, "growth_pct", &r->has_growth, -100, 1e6, false,
	        &r->growth_pct);
	parse_wage(c, o, &r->wage);
	parse_requirements(c, o, r);
	add_item(c, PW_KIND_OCCUPATION, r, i);
}

static void parse_job(ld *c, json_t *o, size_t i, void *ctx)
{
	static const char *const keys[] = {"id",
	                                   "title",
	                                   "employer",
	                                   "description",
	                                   "url",
	                                   "owner",
	                                   "soc",
	                                   "location",
	                                   "remote",
	                                   "wage",
	                                   "openings",
	                                   "requirements",
	                                   "credentials_required",
	                                   "posted",
	                                   "expires",
	                                   NULL};
	PW_UNUSED(ctx);
	rec_target *r = arena_alloc(c->a, sizeof *r);
	if (!r) {
		c->oom = true;
		return;
	}
	check_keys(c, o, keys);
	if (get_id(c, o, &r->id) && text_is_soc_code(r->id)) {
		size_t s = push_key(c, "id");
		failf(c,
		      "'%s' has the form of an O*NET-SOC code, which job ids "
		      "must not have",
		      r->id);
		pop(c, s);
		r->id = NULL;
	}
	get_str(c, o, "title", true, &r->title);
	get_str(c, o, "employer", false, &r->employer);
	get_str(c, o, "description", false, &r->description);
	get_str(c, o, "url", false, &r->url);
	get_str(c, o, "owner", false, &r->owner);
	if (!r->owner)
		r->owner = r->employer;
	if (get_str(c, o, "soc", false, &r->soc) && r->soc &&
	    !text_is_soc_code(r->soc)) {
		char tmp[72];
		size_t s = push_key(c, "soc");
		failf(c, "'%s' is not an O*NET-SOC code (NN-NNNN.NN)",
		      clip(r->soc, tmp));
		pop(c, s);
	}
	parse_location(c, o, "location", &r->location);
	get_bool(c, o, "remote", false, &r->remote);
	parse_wage(c, o, &r->wage);
	r->openings = 1;
	get_int(c, o, "openings", &r->has_openings, 1, INT32_MAX, &r->openings);
	if (!r->has_openings)
		r->openings = 1;
	r->has_openings = true;
	get_date(c, o, "posted", false, &r->posted);
	get_date(c, o, "expires", false, &r->expires);
	parse_requirements(c, o, r);
	parse_credreqs(c, o, r);
	add_item(c, PW_KIND_JOB, r, i);
}

static void parse_holding(ld *c, json_t *o, size_t i, void *ctx)
{
	static const char *const keys[] = {"credential", "earned", "expires",
	                                   "source", NULL};
	static const char *const skeys[] = {"format", "id", "verified", NULL};
	rec_holding *h = &((rec_holding *)ctx)[i];
	check_keys(c, o, keys);
	if (get_str(c, o, "credential", true, &h->credential) &&
	    !text_valid_id(h->credential)) {
		char tmp[72];
		size_t s = push_key(c, "credential");
		failf(c, "'%s' is not a valid id", clip(h->credential, tmp));
		pop(c, s);
	}
	get_date(c, o, "earned", true, &h->earned);
	get_date(c, o, "expires", false, &h->expires);
	if (h->earned != PW_DATE_NONE && h->expires != PW_DATE_NONE &&
	    h->expires < h->earned) {
		size_t s = push_key(c, "expires");
		failf(c, "is before 'earned'");
		pop(c, s);
	}
	json_t *src = get_obj(c, o, "source");
	if (src) {
		size_t s = push_key(c, "source");
		check_keys(c, src, skeys);
		h->has_source = true;
		get_str(c, src, "format", false, &h->source_format);
		get_str(c, src, "id", false, &h->source_id);
		h->has_source_verified =
		    json_object_get(src, "verified") != NULL;
		get_bool(c, src, "verified", false, &h->source_verified);
		pop(c, s);
	}
}

static void parse_learner(ld *c, json_t *o, size_t i, void *ctx)
{
	static const char *const keys[] = {"id",
	                                   "name",
	                                   "contact",
	                                   "home",
	                                   "max_commute_miles",
	                                   "hours_per_week",
	                                   "discoverable",
	                                   "share_contact",
	                                   "credentials",
	                                   "demographics",
	                                   NULL};
	static const char *const dkeys[] = {"gender", "race_ethnicity",
	                                    "age_band", NULL};
	PW_UNUSED(ctx);
	rec_learner *r = arena_alloc(c->a, sizeof *r);
	if (!r) {
		c->oom = true;
		return;
	}
	check_keys(c, o, keys);
	get_id(c, o, &r->id);
	get_str(c, o, "name", false, &r->name);
	get_str(c, o, "contact", false, &r->contact);
	parse_location(c, o, "home", &r->home);
	get_num(c, o, "max_commute_miles", &r->has_max_commute, 0, 25000, false,
	        &r->max_commute_miles);
	get_num(c, o, "hours_per_week", &r->has_hours_per_week, 0, 168, true,
	        &r->hours_per_week);
	get_bool(c, o, "discoverable", false, &r->discoverable);
	get_bool(c, o, "share_contact", false, &r->share_contact);
	json_t *demo = get_obj(c, o, "demographics");
	if (demo) {
		size_t s = push_key(c, "demographics");
		r->has_demographics = true;
		check_keys(c, demo, dkeys);
		get_str(c, demo, "gender", false, &r->gender);
		get_str(c, demo, "race_ethnicity", false, &r->race_ethnicity);
		get_str(c, demo, "age_band", false, &r->age_band);
		pop(c, s);
	}
	json_t *creds = get_arr(c, o, "credentials");
	if (creds) {
		r->nholdings = json_array_size(creds);
		r->holdings =
		    arena_alloc(c->a, (r->nholdings + 1) * sizeof *r->holdings);
		if (!r->holdings) {
			c->oom = true;
			return;
		}
		for (size_t k = 0; k < r->nholdings; k++)
			r->holdings[k].earned = r->holdings[k].expires =
			    PW_DATE_NONE;
		each_obj(c, o, "credentials", parse_holding, r->holdings);
	}
	add_item(c, PW_KIND_LEARNER, r, i);
}

/* ---- JSON syntax errors: the path at a byte offset ---- */

/* Scans JSON text up to `stop` and writes the path of the value being read
 * there; reports the offset where nesting first exceeds max_depth through
 * *deep (SIZE_MAX when it never does). Tolerates malformed text. */
static void path_at(const char *t, size_t len, size_t stop, char *out,
                    size_t outsz, size_t *deep)
{
	struct frame {
		bool obj, want_key;
		size_t index;
		size_t key_at, key_len;
	} st[JSON_MAX_DEPTH + 1];
	int depth = 0;
	*deep = SIZE_MAX;
	for (size_t i = 0; i < len && i < stop; i++) {
		char ch = t[i];
		if (ch == '"') {
			size_t start = ++i;
			while (i < len && t[i] != '"') {
				if (t[i] == '\\')
					i++;
				i++;
			}
			if (depth > 0 && st[depth - 1].obj &&
			    st[depth - 1].want_key) {
				st[depth - 1].key_at = start;
				st[depth - 1].key_len =
				    (i < len ? i : len) - start;
				st[depth - 1].want_key = false;
			}
		} else if (ch == '{' || ch == '[') {
			if (depth == JSON_MAX_DEPTH) {
				if (*deep == SIZE_MAX)
					*deep = i;
				break;
			}
			st[depth].obj = ch == '{';
			st[depth].want_key = ch == '{';
			st[depth].index = 0;
			st[depth].key_len = 0;
			st[depth].key_at = 0;
			depth++;
		} else if ((ch == '}' || ch == ']') && depth > 0) {
			depth--;
		} else if (ch == ',' && depth > 0) {
			if (st[depth - 1].obj) {
				st[depth - 1].want_key = true;
				st[depth - 1].key_len = 0;
			} else
				st[depth - 1].index++;
		}
	}
	size_t n = 0;
	out[0] = '\0';
	for (int d = 0; d < depth && n + 1 < outsz; d++) {
		int w = 0;
		if (st[d].obj && st[d].key_len)
			w = snprintf(out + n, outsz - n, "%s%.*s", n ? "." : "",
			             (int)st[d].key_len, t + st[d].key_at);
		else if (!st[d].obj)
			w = snprintf(out + n, outsz - n, "[%zu]", st[d].index);
		if (w > 0)
			n = n + (size_t)w < outsz ? n + (size_t)w : outsz - 1;
	}
	if (!n)
		snprintf(out, outsz, "$");
}

/* Full scan for the depth limit (jansson's own is fixed at 2048). */
size_t load_too_deep_at(const char *t, size_t len)
{
	int depth = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = t[i];
		if (ch == '"') {
			for (i++; i < len && t[i] != '"'; i++)
				if (t[i] == '\\')
					i++;
		} else if (ch == '{' || ch == '[') {
			if (++depth > JSON_MAX_DEPTH)
				return i;
		} else if (ch == '}' || ch == ']')
			depth--;
	}
	return SIZE_MAX;
}

/* ---- one document ---- */

static void (*const parsers[PW_KIND_COUNT])(ld *, json_t *, size_t, void *) = {
    parse_skill, parse_credential, parse_occupation, parse_job, parse_learner};

static void parse_root(ld *c, json_t *root)
{
	if (!json_is_object(root)) {
		failf(c,
		      "expected a JSON object with arrays 'skills', "
		      "'credentials', 'occupations', 'jobs' or 'learners', got "
		      "%s",
		      jld_type_name(root));
		return;
	}
	check_keys(c, root, root_keys);
	for (int k = 0; k < PW_KIND_COUNT; k++)
		each_obj(c, root, root_keys[k], parsers[k], NULL);
}

/* The whole document as one tree: the reference behaviour, which also
 * words every syntax error (message, path, line and column). */
static void parse_whole(ld *c, const char *data, size_t len)
{
	/* zeroed: jansson leaves the error code unset when it cannot
	 * allocate its lexer */
	json_error_t jerr = {0};
	char path[512];
	size_t deep;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	/* jansson reports an allocation failure inside a string token as a
	 * syntax error: a document it refuses is parsed once more, and only
	 * a second refusal is the data's */
	if (!root && json_error_code(&jerr) != json_error_out_of_memory &&
	    jerr.text[0])
		root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char reason[300];
		size_t pos = (size_t)(jerr.position > 0 ? jerr.position : 0);
		path_at(data, len, pos, path, sizeof path, &deep);
		/* jansson leaves the error empty (line -1) when it cannot
		 * allocate its lexer: that is out of memory too */
		if (json_error_code(&jerr) == json_error_out_of_memory ||
		    !jerr.text[0]) {
			c->oom = true;
			return;
		}
		snprintf(reason, sizeof reason,
		         "invalid JSON: %s (line %d, column %d)", jerr.text,
		         jerr.line, jerr.column);
		c->errors++;
		report_add(c->rep, c->file, path, reason);
		return;
	}
	parse_root(c, root);
	json_decref(root);
}

/* ---- one document, one element at a time ---- */

/* A tree of a whole document costs many times its text (jobs of a state
 * are 120 MB of JSON), so the common shape - an object whose distinct,
 * known keys each hold an array of objects - is read one element at a
 * time, only that element's tree alive. Anything else is left to
 * parse_whole, after what the streamed pass added is taken back, so that
 * every report reads exactly as from the whole tree. */

/* What a document has added so far, to take it back. */
typedef struct ld_mark {
	size_t items[PW_KIND_COUNT];
	size_t reports, errors;
} ld_mark;

static void ld_mark_set(const ld *c, ld_mark *m)
{
	for (int k = 0; k < PW_KIND_COUNT; k++)
		m->items[k] = c->items[k].len;
	m->reports = pw_report_count(c->rep);
	m->errors = c->errors;
}

/* The records stay in the arena, unreferenced, until the call ends. */
static void ld_mark_restore(ld *c, const ld_mark *m)
{
	for (int k = 0; k < PW_KIND_COUNT; k++)
		c->items[k].len = m->items[k];
	report_truncate(c->rep, m->reports);
	c->errors = m->errors;
	c->plen = 0;
	c->path[0] = '\0';
}

/* JSON's four whitespace bytes (RFC 8259 §2), as jansson skips them. */
static size_t skip_ws(const char *t, size_t len, size_t i)
{
	while (i < len &&
	       (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t'))
		i++;
	return i;
}

/* Does v nest more than limit arrays and objects (itself counted)? */
static bool deeper_than(json_t *v, int limit)
{
	const char *key;
	json_t *x;
	size_t i;
	if (!json_is_object(v) && !json_is_array(v))
		return false;
	if (limit == 0)
		return true;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
		{
			if (deeper_than(x, limit - 1))
				return true;
		}
	} else {
		json_object_foreach(v, key, x)
		{
			if (deeper_than(x, limit - 1))
				return true;
		}
	}
	return false;
}

/* Reads the array at t[*i] == '[' of the given kind. False when it is not
 * a plain array of objects of valid JSON. */
static bool stream_array(ld *c, int kind, const char *t, size_t len, size_t *at)
{
	size_t i = skip_ws(t, len, *at + 1), s = push_key(c, root_keys[kind]);
	bool ok = false;
	if (i < len && t[i] == ']') {
		ok = true;
		i++;
		goto out;
	}
	for (size_t n = 0;; n++) {
		json_error_t jerr = {0}; /* see parse_whole */
		if (i == len || t[i] != '{')
			goto out;
		json_t *x = json_loadb(
		    t + i, len - i,
		    JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &jerr);
		if (!x) {
			/* out of memory is not a shape to fall back from */
			if (json_error_code(&jerr) == json_error_out_of_memory)
				ok = c->oom = true;
			goto out;
		}
		/* jansson counts in an int: an element of 2 GiB or more is
		 * left to the whole tree */
		if (jerr.position <= 0 || (size_t)jerr.position > len - i) {
			json_decref(x);
			goto out;
		}
		i += (size_t)jerr.position;
		/* the document's object and this array hold the element */
		if (deeper_than(x, JSON_MAX_DEPTH - 2)) {
			json_decref(x);
			goto out;
		}
		size_t s2 = push_index(c, n);
		parsers[kind](c, x, n, NULL);
		pop(c, s2);
		json_decref(x);
		if (c->oom) {
			ok = true;
			goto out;
		}
		i = skip_ws(t, len, i);
		if (i < len && t[i] == ']') {
			ok = true;
			i++;
			goto out;
		}
		if (i == len || t[i] != ',')
			goto out;
		i = skip_ws(t, len, i + 1);
	}
out:
	pop(c, s);
	*at = i;
	return ok;
}

/* The kind a top-level key names, or -1 (also for any key with an escape,
 * which the whole tree decodes). */
static int root_kind(const char *t, size_t n)
{
	for (int k = 0; k < PW_KIND_COUNT; k++)
		if (strlen(root_keys[k]) == n &&
		    memcmp(root_keys[k], t, n) == 0)
			return k;
	return -1;
}

/* True when the document was read whole this way; false leaves what it
 * added since m for the caller to take back. */
static bool parse_streamed(ld *c, const char *t, size_t len, const ld_mark *m)
{
	unsigned seen = 0;
	int last = -1;
	bool in_order = true;
	size_t i = skip_ws(t, len, 0);
	if (i == len || t[i] != '{')
		return false;
	i = skip_ws(t, len, i + 1);
	if (i < len && t[i] == '}')
		goto end;
	for (;;) {
		if (i == len || t[i] != '"')
			return false;
		size_t k0 = ++i;
		while (i < len && t[i] != '"' && t[i] != '\\' &&
		       (unsigned char)t[i] >= 0x20)
			i++;
		if (i == len || t[i] != '"')
			return false;
		int kind = root_kind(t + k0, i - k0);
		if (kind < 0 || (seen & 1u << kind))
			return false;
		seen |= 1u << kind;
		in_order = in_order && kind > last;
		last = kind;
		i = skip_ws(t, len, i + 1);
		if (i == len || t[i] != ':')
			return false;
		i = skip_ws(t, len, i + 1);
		if (i == len || t[i] != '[')
			return false;
		if (!stream_array(c, kind, t, len, &i))
			return false;
		if (c->oom)
			return true;
		i = skip_ws(t, len, i);
		if (i < len && t[i] == '}')
			break;
		if (i == len || t[i] != ',')
			return false;
		i = skip_ws(t, len, i + 1);
	}
end:
	if (skip_ws(t, len, i + 1) != len)
		return false;
	/* the tree reports kind by kind whatever the order of the keys */
	return in_order || c->errors == m->errors;
}

/* The streamed pass runs first, as the documents are large exactly when it
 * pays: it gives up on any anomaly, nesting too deep included, and the
 * whole-tree path then reports as it always has. */
static void parse_document(ld *c, const char *name, const char *data,
                           size_t len)
{
	char path[512];
	size_t deep;
	ld_mark m;

	c->file = ld_dup(c, name);
	c->plen = 0;
	c->path[0] = '\0';
	ld_mark_set(c, &m);
	if (parse_streamed(c, data, len, &m) || c->oom)
		return;
	ld_mark_restore(c, &m);
	size_t at = load_too_deep_at(data, len);
	if (at != SIZE_MAX) {
		path_at(data, len, at, path, sizeof path, &deep);
		c->errors++;
		char reason[128];
		snprintf(reason, sizeof reason,
		         "JSON nested deeper than %d levels", JSON_MAX_DEPTH);
		report_add(c->rep, c->file, path, reason);
		return;
	}
	parse_whole(c, data, len);
}

/* ---- validation across the call ---- */

static const char *rec_id(pw_kind kind, const void *rec)
{
	switch (kind) {
	case PW_KIND_SKILL: return ((const rec_skill *)rec)->id;
	case PW_KIND_CREDENTIAL: return ((const rec_credential *)rec)->id;
	case PW_KIND_OCCUPATION:
	case PW_KIND_JOB: return ((const rec_target *)rec)->id;
	case PW_KIND_LEARNER: return ((const rec_learner *)rec)->id;
	case PW_KIND_COUNT: break;
	}
	return NULL;
}

static const char *const singular[PW_KIND_COUNT] = {
    "skill", "credential", "occupation", "job", "learner"};

static void at(ld *c, const item *it, const char *sub)
{
	c->file = it->file;
	snprintf(c->path, sizeof c->path, "%s[%zu]%s", root_keys[it->kind],
	         it->index, sub);
	c->plen = strlen(c->path);
}

static pw_status check_duplicates(ld *c)
{
	for (int k = 0; k < PW_KIND_COUNT; k++)
		for (size_t i = 0; i < c->items[k].len; i++) {
			item *it = &c->items[k].v[i];
			const char *id = rec_id((pw_kind)k, it->rec);
			if (!id)
				continue;
			item *prev = strmap_get(&c->ids[k], id);
			if (prev) {
				at(c, it, ".id");
				failf(c,
				      "duplicate %s id '%s' (first at %s: "
				      "%s[%zu])",
				      singular[k], id, prev->file, root_keys[k],
				      prev->index);
				continue;
			}
			if (!strmap_put(&c->ids[k], id, it))
				return PW_ERR_NOMEM;
		}
	return PW_OK;
}

/* Does id name an entity of kind in this call or in the store? */
static pw_status resolve(ld *c, pw_kind kind, const char *id, bool *ok,
                         pw_error *err)
{
	if (strmap_has(&c->ids[kind], id)) {
		*ok = true;
		return PW_OK;
	}
	return store_exists(c->st, kind, id, ok, err);
}

static pw_status ref(ld *c, const item *it, const char *sub, pw_kind kind,
                     const char *id, pw_error *err)
{
	bool ok;
	if (!id)
		return PW_OK;
	pw_status st = resolve(c, kind, id, &ok, err);
	if (st)
		return st;
	if (!ok) {
		at(c, it, sub);
		failf(c, "unknown %s '%s'", singular[kind], id);
	}
	return PW_OK;
}

#define TRY(x)                                                                 \
	do {                                                                   \
		pw_status st_ = (x);                                           \
		if (st_)                                                       \
			return st_;                                            \
	} while (0)

static pw_status check_requirement_refs(ld *c, const item *it,
                                        const rec_target *t, pw_error *err)
{
	char sub[96];
	for (size_t i = 0; i < t->nreqs; i++) {
		const rec_requirement *r = &t->reqs[i];
		if (!r->nalts) {
			snprintf(sub, sizeof sub, ".requirements[%zu].skill",
			         i);
			TRY(ref(c, it, sub, PW_KIND_SKILL, r->skill, err));
		}
		for (size_t a = 0; a < r->nalts; a++) {
			snprintf(sub, sizeof sub,
			         ".requirements[%zu].any_of[%zu].skill", i, a);
			TRY(ref(c, it, sub, PW_KIND_SKILL, r->alts[a].skill,
			        err));
		}
	}
	for (size_t i = 0; i < t->ncredreqs; i++)
		for (size_t a = 0; a < t->credreqs[i].creds.n; a++) {
			if (t->credreqs[i].any_of)
				snprintf(
				    sub, sizeof sub,
				    ".credentials_required[%zu].any_of[%zu]", i,
				    a);
			else
				snprintf(sub, sizeof sub,
				         ".credentials_required[%zu]", i);
			TRY(ref(c, it, sub, PW_KIND_CREDENTIAL,
			        t->credreqs[i].creds.v[a], err));
		}
	return PW_OK;
}

static pw_status check_references(ld *c, pw_error *err)
{
	char sub[96];
	for (size_t i = 0; i < c->items[PW_KIND_SKILL].len; i++) {
		const item *it = &c->items[PW_KIND_SKILL].v[i];
		const rec_skill *r = it->rec;
		for (size_t k = 0; k < r->broader.n; k++) {
			snprintf(sub, sizeof sub, ".broader[%zu]", k);
			TRY(ref(c, it, sub, PW_KIND_SKILL, r->broader.v[k],
			        err));
		}
		for (size_t k = 0; k < r->nrelated; k++) {
			snprintf(sub, sizeof sub, ".related[%zu].skill", k);
			if (r->id && r->related[k].skill &&
			    strcmp(r->id, r->related[k].skill) == 0) {
				at(c, it, sub);
				failf(c, "a skill cannot be related to itself");
				continue;
			}
			TRY(ref(c, it, sub, PW_KIND_SKILL, r->related[k].skill,
			        err));
		}
	}
	for (size_t i = 0; i < c->items[PW_KIND_CREDENTIAL].len; i++) {
		const item *it = &c->items[PW_KIND_CREDENTIAL].v[i];
		const rec_credential *r = it->rec;
		for (size_t k = 0; k < r->nskills; k++) {
			snprintf(sub, sizeof sub, ".skills[%zu].skill", k);
			TRY(ref(c, it, sub, PW_KIND_SKILL, r->skills[k].skill,
			        err));
		}
		for (size_t k = 0; k < r->prerequisites.n; k++) {
			snprintf(sub, sizeof sub, ".prerequisites[%zu]", k);
			TRY(ref(c, it, sub, PW_KIND_CREDENTIAL,
			        r->prerequisites.v[k], err));
		}
		for (size_t k = 0; k < r->components.n; k++) {
			snprintf(sub, sizeof sub, ".components[%zu]", k);
			TRY(ref(c, it, sub, PW_KIND_CREDENTIAL,
			        r->components.v[k], err));
		}
	}
	for (int kind = PW_KIND_OCCUPATION; kind <= PW_KIND_JOB; kind++)
		for (size_t i = 0; i < c->items[kind].len; i++) {
			const item *it = &c->items[kind].v[i];
			TRY(check_requirement_refs(c, it, it->rec, err));
		}
	for (size_t i = 0; i < c->items[PW_KIND_LEARNER].len; i++) {
		const item *it = &c->items[PW_KIND_LEARNER].v[i];
		const rec_learner *r = it->rec;
		for (size_t k = 0; k < r->nholdings; k++) {
			snprintf(sub, sizeof sub,
			         ".credentials[%zu].credential", k);
			TRY(ref(c, it, sub, PW_KIND_CREDENTIAL,
			        r->holdings[k].credential, err));
		}
	}
	return PW_OK;
}

/* ---- cycles ---- */

typedef struct graph {
	strmap node;  /* id -> (index + 1) */
	ptrvec names; /* index -> id */
	ptrvec edges; /* index -> ptrvec* of (index + 1) */
	ld *c;
	pw_kind owner_kind;
	bool oom;
} graph;

static size_t node_of(graph *g, const char *id)
{
	size_t v = (size_t)(uintptr_t)strmap_get(&g->node, id);
	if (v)
		return v - 1;
	const char *copy = arena_strdup(g->c->a, id);
	ptrvec *out = arena_alloc(g->c->a, sizeof *out);
	if (!copy || !out || !ptrvec_push(&g->names, (void *)copy) ||
	    !ptrvec_push(&g->edges, out) ||
	    !strmap_put(&g->node, copy, (void *)(uintptr_t)g->names.len)) {
		g->oom = true;
		return SIZE_MAX;
	}
	return g->names.len - 1;
}

static void add_edge(graph *g, const char *from, const char *to)
{
	size_t a = node_of(g, from), b = node_of(g, to);
	if (a == SIZE_MAX || b == SIZE_MAX)
		return;
	if (!ptrvec_push(g->edges.items[a], (void *)(uintptr_t)(b + 1)))
		g->oom = true;
}

static void stored_edge(void *ctx, const char *from, const char *to)
{
	graph *g = ctx;
	/* an entity in this call replaces its stored edges */
	if (!strmap_has(&g->c->ids[g->owner_kind], from))
		add_edge(g, from, to);
}

static void graph_release(graph *g)
{
	for (size_t i = 0; i < g->edges.len; i++)
		ptrvec_release(g->edges.items[i]);
	ptrvec_release(&g->edges);
	ptrvec_release(&g->names);
	strmap_release(&g->node);
}

/* Iterative DFS; reports each back edge as a cycle at the first entity of
 * the call on it. */
static pw_status find_cycles(ld *c, graph *g, const char *relation)
{
	size_t n = g->names.len;
	uint8_t *color = calloc(n + 1, 1);
	size_t *stack = malloc((n + 1) * sizeof *stack);
	size_t *next = calloc(n + 1, sizeof *next);
	if (!color || !stack || !next) {
		free(color);
		free(stack);
		free(next);
		return PW_ERR_NOMEM;
	}
	for (size_t root = 0; root < n; root++) {
		if (color[root])
			continue;
		size_t sp = 0;
		stack[sp++] = root;
		color[root] = 1;
		while (sp) {
			size_t v = stack[sp - 1];
			ptrvec *out = g->edges.items[v];
			if (next[v] == out->len) {
				color[v] = 2;
				sp--;
				continue;
			}
			size_t w = (size_t)(uintptr_t)out->items[next[v]++] - 1;
			if (color[w] == 0) {
				color[w] = 1;
				stack[sp++] = w;
			} else if (color[w] == 1) {
				/* the cycle is stack[k..sp-1] -> w */
				size_t k = sp - 1;
				while (stack[k] != w)
					k--;
				char chain[600] = "";
				const item *blame = NULL;
				for (size_t j = k; j < sp; j++) {
					const char *id =
					    g->names.items[stack[j]];
					if (!blame)
						blame = strmap_get(
						    &c->ids[g->owner_kind], id);
					strncat(chain, id,
					        sizeof chain - strlen(chain) -
					            1);
					strncat(chain, " -> ",
					        sizeof chain - strlen(chain) -
					            1);
				}
				strncat(chain, g->names.items[w],
				        sizeof chain - strlen(chain) - 1);
				if (blame) {
					char sub[64];
					snprintf(sub, sizeof sub, ".%s",
					         relation);
					at(c, blame, sub);
					failf(c, "cycle in %s: %s", relation,
					      chain);
				}
			}
		}
	}
	free(color);
	free(stack);
	free(next);
	return PW_OK;
}

static pw_status check_cycles(ld *c, pw_kind kind, const char *relation,
                              pw_error *err)
{
	graph g = {.c = c, .owner_kind = kind};
	pw_status st = store_each_edge(c->st, relation, stored_edge, &g, err);
	if (st)
		goto out;
	for (size_t i = 0; i < c->items[kind].len; i++) {
		const item *it = &c->items[kind].v[i];
		const char *id = rec_id(kind, it->rec);
		const rec_strs *to;
		if (!id)
			continue;
		if (kind == PW_KIND_SKILL)
			to = &((const rec_skill *)it->rec)->broader;
		else if (strcmp(relation, "prerequisites") == 0)
			to = &((const rec_credential *)it->rec)->prerequisites;
		else
			to = &((const rec_credential *)it->rec)->components;
		for (size_t k = 0; k < to->n; k++)
			add_edge(&g, id, to->v[k]);
	}
	if (g.oom) {
		st = pw_oom(err);
		goto out;
	}
	if (find_cycles(c, &g, relation))
		st = pw_oom(err);
out:
	graph_release(&g);
	return st;
}

/* ---- writing ---- */

/* The order of the writes matters to SQLite, not to the result: every
 * parent row of the call (skills, then credentials) goes in before any row
 * that names one, so that no deferred foreign-key violation is ever pending
 * - while one is, each parent insert scans the unindexed child tables. */
enum write_step {
	W_SKILL_ROWS,
	W_CRED_ROWS,
	W_SKILL_EDGES,
	W_CRED_EDGES,
	W_OCCUPATIONS,
	W_JOBS,
	W_LEARNERS,
	W_STEPS
};

static pw_status write_one(store *s, enum write_step step, const void *rec,
                           pw_error *err)
{
	switch (step) {
	case W_SKILL_ROWS: return store_put_skill_row(s, rec, err);
	case W_CRED_ROWS: return store_put_credential_row(s, rec, err);
	case W_SKILL_EDGES: return store_put_skill_edges(s, rec, err);
	case W_CRED_EDGES: return store_put_credential_edges(s, rec, err);
	case W_OCCUPATIONS: return store_put_occupation(s, rec, err);
	case W_JOBS: return store_put_job(s, rec, err);
	case W_LEARNERS: return store_put_learner(s, rec, err);
	case W_STEPS: break;
	}
	return PW_OK;
}

/* A write of more entities than this gets a larger page cache. */
#define BULK_ITEMS     2000
#define BULK_CACHE_MIB 64

static pw_status write_all(ld *c, pw_load_summary *sum, pw_error *err)
{
	static const pw_kind kind_of[W_STEPS] = {
	    PW_KIND_SKILL,      PW_KIND_CREDENTIAL, PW_KIND_SKILL,
	    PW_KIND_CREDENTIAL, PW_KIND_OCCUPATION, PW_KIND_JOB,
	    PW_KIND_LEARNER};
	size_t n = 0;
	for (int k = 0; k < PW_KIND_COUNT; k++)
		n += c->items[k].len;
	pw_status st = n > BULK_ITEMS
	                   ? store_begin_bulk(c->st, BULK_CACHE_MIB, err)
	                   : store_begin(c->st, err);
	if (st)
		return st;
	for (int w = 0; w < W_STEPS; w++) {
		const itemvec *v = &c->items[kind_of[w]];
		for (size_t i = 0; i < v->len; i++)
			if ((st = write_one(c->st, (enum write_step)w,
			                    v->v[i].rec, err)))
				goto fail;
	}
	if ((st = store_commit(c->st, err)))
		goto fail;
	if (sum)
		for (int k = 0; k < PW_KIND_COUNT; k++)
			sum->count[k] = c->items[k].len;
	return PW_OK;
fail:
	store_rollback(c->st);
	if (sum)
		memset(sum, 0, sizeof *sum);
	return st;
}

/* ---- keeping the model current ---- */

/* After a committed load of jobs and learners only, small enough, with the
 * model current before it and no other writer in between (the write
 * counter moved by exactly one): apply the records to the model in place,
 * so that a write never costs a rebuild. Otherwise the model is left stale
 * and is rebuilt when next needed. */
#define IN_PLACE_MAX 10000

static void apply_in_place(ld *c, pw_engine *e, long long before)
{
	long long after;
	size_t n = c->items[PW_KIND_JOB].len + c->items[PW_KIND_LEARNER].len;
	shared *sh = e->sh;
	if (!sh->m || sh->version != before || n > IN_PLACE_MAX ||
	    c->items[PW_KIND_SKILL].len || c->items[PW_KIND_CREDENTIAL].len ||
	    c->items[PW_KIND_OCCUPATION].len ||
	    store_version(e->st, &after, NULL) || after != before + 1)
		return;
	for (size_t i = 0; i < c->items[PW_KIND_JOB].len; i++)
		if (model_put_job(sh->m, c->items[PW_KIND_JOB].v[i].rec, NULL))
			goto drop;
	for (size_t i = 0; i < c->items[PW_KIND_LEARNER].len; i++)
		if (model_put_learner(sh->m, c->items[PW_KIND_LEARNER].v[i].rec,
		                      NULL))
			goto drop;
	sh->version = after;
	return;
drop:
	/* half applied: throw it away, the next query rebuilds */
	model_free(sh->m);
	sh->m = NULL;
}

/* ---- entry points ---- */

/* Validates what c parsed across the call, then writes it in one
 * transaction and keeps the model current. */
static pw_status validate_and_write(ld *c, pw_engine *e, pw_load_summary *sum,
                                    pw_error *err)
{
	pw_status st;
	if (sum)
		memset(sum, 0, sizeof *sum);
	if (c->oom || (st = check_duplicates(c)) == PW_ERR_NOMEM)
		return pw_oom(err);
	if ((st = check_references(c, err)) ||
	    (st = check_cycles(c, PW_KIND_SKILL, "broader", err)) ||
	    (st = check_cycles(c, PW_KIND_CREDENTIAL, "prerequisites", err)) ||
	    (st = check_cycles(c, PW_KIND_CREDENTIAL, "components", err)))
		return st;
	if (c->oom || c->rep->oom)
		return pw_oom(err);
	if (c->errors)
		return pw_fail(err, PW_ERR_INVALID,
		               "%zu error%s in the input; nothing "
		               "was loaded",
		               c->errors, c->errors == 1 ? "" : "s");
	/* exclusive from reading the version before to the in-place update */
	engine_write_begin(e);
	long long before = -1;
	if (e->sh->m && store_version(e->st, &before, NULL))
		before = -1;
	if (!(st = write_all(c, sum, err)))
		apply_in_place(c, e, before);
	engine_write_end(e);
	return st;
}

static void ld_release(ld *c)
{
	for (int k = 0; k < PW_KIND_COUNT; k++) {
		free(c->items[k].v);
		strmap_release(&c->ids[k]);
	}
	for (size_t i = 0; i < c->pool.blocks.len; i++)
		free(c->pool.blocks.items[i]);
	ptrvec_release(&c->pool.blocks);
	arena_release(c->a);
}

pw_status load_json_docs(pw_engine *e, const char *const *names,
                         json_t *const *docs, size_t n, pw_report *rep,
                         pw_load_summary *sum, pw_error *err)
{
	arena a = {0};
	ld c = {.rep = rep, .a = &a, .st = e->st};
	for (size_t i = 0; i < n && !c.oom; i++) {
		c.file = ld_dup(&c, names[i]);
		c.plen = 0;
		c.path[0] = '\0';
		parse_root(&c, docs[i]);
	}
	pw_status st = validate_and_write(&c, e, sum, err);
	ld_release(&c);
	return st;
}

/* A file's text for one document of a call, read into a buffer the call
 * reuses: a regular file is read at its size in one go into pages already
 * mapped by an earlier file (fresh pages cost a fault each, in all more
 * than the copy), anything else goes through file_read. The errors are
 * file_read's. */
typedef struct textbuf {
	char *data; /* NUL-terminated */
	size_t len;
	bool owned; /* data came from file_read, not from the reused buffer */
	char *keep; /* the reused buffer */
	size_t keep_cap;
} textbuf;

static void textbuf_drop(textbuf *t)
{
	if (t->owned)
		free(t->data);
	t->data = NULL;
	t->owned = false;
}

static void textbuf_release(textbuf *t)
{
	textbuf_drop(t);
	free(t->keep);
}

static pw_status read_text(const char *path, textbuf *t, pw_error *err)
{
	struct stat sb;
	textbuf_drop(t);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return pw_fail(err, PW_ERR_IO, "cannot open '%s': %s", path,
		               strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		t->owned = true;
		return file_read(path, 0, &t->data, &t->len, err);
	}
	/* room for one byte more than the size, so that the read meeting the
	 * end needs no growth, and for the NUL */
	size_t want = (size_t)sb.st_size + 2, n = 0;
	if (t->keep_cap < want) {
		free(t->keep);
		t->keep_cap = 0;
		if (!(t->keep = malloc(want))) {
			close(fd);
			return pw_oom(err);
		}
		t->keep_cap = want;
	}
	for (;;) {
		if (n == t->keep_cap - 1) {
			/* the file grew since fstat */
			char *q = t->keep_cap < SIZE_MAX / 4
			              ? realloc(t->keep, t->keep_cap * 2)
			              : NULL;
			if (!q) {
				close(fd);
				return pw_oom(err);
			}
			t->keep = q;
			t->keep_cap *= 2;
		}
		ssize_t got = read(fd, t->keep + n, t->keep_cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int saved = errno;
			close(fd);
			return pw_fail(err, PW_ERR_IO, "cannot read '%s': %s",
			               path, strerror(saved));
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	t->keep[n] = '\0';
	t->data = t->keep;
	t->len = n;
	return PW_OK;
}

/* ---- documents side by side ---- */

/* The documents of a call are independent until validation, so each is
 * parsed into a part of its own (records, report entries, error count),
 * by as many threads as there are cores to spare, and the parts are then
 * joined in document order: what a call reports and stores is the same
 * as from one document after the other. */

#define PARSE_THREADS_MAX 4
/* Below this many bytes in all, threads are not worth starting. */
#define PARSE_THREADS_MIN_BYTES (4u << 20)

typedef struct part {
	arena a;
	ld c;
	pw_status st; /* reading the file */
	pw_error err;
} part;

typedef struct batch {
	const char *const *names;
	const char *const *data; /* NULL: names are paths to read */
	const size_t *lens;
	size_t n;
	part *parts;
	atomic_size_t next;
	atomic_size_t failed; /* the first document that could not be read */
} batch;

static void run_batch(batch *b)
{
	textbuf text = {0};
	for (;;) {
		size_t i = atomic_fetch_add(&b->next, 1);
		if (i >= b->n)
			break;
		/* past a file that cannot be read the call fails anyway; the
		 * ones before it still run, as the first failure is reported */
		if (i > atomic_load(&b->failed))
			continue;
		part *p = &b->parts[i];
		if (!b->data) {
			if ((p->st = read_text(b->names[i], &text, &p->err))) {
				size_t f = atomic_load(&b->failed);
				while (i < f && !atomic_compare_exchange_weak(
				                    &b->failed, &f, i))
					;
				continue;
			}
			parse_document(&p->c, b->names[i], text.data, text.len);
		} else
			parse_document(&p->c, b->names[i], b->data[i],
			               b->lens[i]);
	}
	textbuf_release(&text);
}

static void *batch_thread(void *arg)
{
	run_batch(arg);
	return NULL;
}

static size_t parse_threads(const batch *b)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cores > 1 ? (size_t)cores : 1;
	if (n > PARSE_THREADS_MAX)
		n = PARSE_THREADS_MAX;
	if (n > b->n)
		n = b->n;
	if (b->data) {
		size_t bytes = 0;
		for (size_t i = 0; i < b->n; i++)
			bytes += b->lens[i];
		if (bytes < PARSE_THREADS_MIN_BYTES)
			n = 1;
	}
	return n;
}

/* Moves what part p found to the end of c. */
static void ld_join(ld *c, ld *p)
{
	for (int k = 0; k < PW_KIND_COUNT; k++) {
		itemvec *to = &c->items[k], *from = &p->items[k];
		if (!from->len)
			continue;
		if (to->cap - to->len < from->len) {
			size_t cap = to->len + from->len;
			item *grown = realloc(to->v, cap * sizeof *grown);
			if (!grown) {
				c->oom = true;
				return;
			}
			to->v = grown;
			to->cap = cap;
		}
		memcpy(to->v + to->len, from->v, from->len * sizeof *from->v);
		to->len += from->len;
		free(from->v);
		*from = (itemvec){0};
	}
	for (size_t i = 0; i < pw_report_count(p->rep); i++) {
		const report_entry *x = p->rep->entries.items[i];
		report_add(c->rep, x->file, x->path, x->reason);
	}
	c->errors += p->errors;
	if (p->oom || p->rep->oom)
		c->oom = true;
}

static pw_status load_batch(pw_engine *e, batch *b, pw_report *rep,
                            pw_load_summary *sum, pw_error *err)
{
	arena a = {0};
	ld c = {.rep = rep, .a = &a, .st = e->st};
	pthread_t threads[PARSE_THREADS_MAX];
	size_t started = 0, i;
	pw_status st = PW_OK;

	atomic_init(&b->next, 0);
	atomic_init(&b->failed, SIZE_MAX);
	if (!(b->parts = calloc(b->n + 1, sizeof *b->parts)))
		return pw_oom(err);
	for (i = 0; i < b->n; i++) {
		part *p = &b->parts[i];
		p->c = (ld){.a = &p->a, .st = e->st, .rep = pw_report_new()};
		if (!p->c.rep) {
			st = pw_oom(err);
			goto out;
		}
	}
	for (size_t t = parse_threads(b); started + 1 < t; started++)
		if (pthread_create(&threads[started], NULL, batch_thread, b))
			break;
	run_batch(b);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);

	size_t failed = atomic_load(&b->failed);
	if (failed != SIZE_MAX) {
		st = b->parts[failed].st;
		if (err)
			*err = b->parts[failed].err;
		goto out;
	}
	for (i = 0; i < b->n && !c.oom; i++)
		ld_join(&c, &b->parts[i].c);
	st = validate_and_write(&c, e, sum, err);
out:
	ld_release(&c);
	/* the parts set up, in order, have their arena */
	for (i = 0; i < b->n && b->parts[i].c.a; i++) {
		ld_release(&b->parts[i].c);
		pw_report_free(b->parts[i].c.rep);
	}
	free(b->parts);
	return st;
}

pw_status pw_load_buffers(pw_engine *e, const char *const *names,
                          const char *const *data, const size_t *lens, size_t n,
                          pw_report *rep, pw_load_summary *sum, pw_error *err)
{
	if (!rep)
		return pw_fail(err, PW_ERR_INVALID, "a load needs a report");
	batch b = {.names = names, .data = data, .lens = lens, .n = n};
	return load_batch(e, &b, rep, sum, err);
}

/* One file's text at a time per thread: the records copy what they keep,
 * so a file is released once parsed. A file that cannot be read fails the
 * call as if nothing had been read, the report as it was. */
pw_status pw_load_files(pw_engine *e, const char *const *paths, size_t n,
                        pw_report *rep, pw_load_summary *sum, pw_error *err)
{
	if (!rep)
		return pw_fail(err, PW_ERR_INVALID, "a load needs a report");
	batch b = {.names = paths, .n = n};
	return load_batch(e, &b, rep, sum, err);
}
