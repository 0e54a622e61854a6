/* import_bls.c - `pathway import bls DIR`: outlook and wages from the BLS
 * Employment Projections (Table 1.2: annual openings, ten-year growth,
 * median wage, entry education) and OEWS national wages (median annual and
 * hourly), put on the stored occupations by mapping SOC codes onto O*NET-SOC
 * codes. Both files are read and checked first; the occupations are then
 * rewritten whole in one transaction through the loader. */
#include "import.h"
#include "onet.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EP_FILE     "Table_1_2.tsv"
#define OEWS_PREFIX "oews_national_"

/* OEWS top-codes wages it does not publish: "#" marks a median of at least
 * these amounts (May 2024 release). */
#define OEWS_TOP_ANNUAL 239200.0
#define OEWS_TOP_HOURLY 115.0

/* ---- what is read ---- */

typedef struct wage {
	bool has, top; /* top: at least min, no max known */
	double min;
	const char *unit;
} wage;

/* One BLS row: a SOC code and what it says about it. */
typedef struct row {
	const char *code, *title;
	size_t line;
	bool has_openings, has_growth;
	long long openings;
	double growth;
	const char *education;
	wage pay;
} row;

/* What one occupation gets; later files override earlier ones. */
typedef struct update {
	const char *code;
	bool has_openings, has_growth;
	long long openings;
	double growth;
	const char *education;
	wage pay;
	int claims; /* aggregate rows of the file being mapped covering it */
} update;

typedef struct ctx {
	pw_engine *e;
	const pw_import_opts *o;
	pw_report *rep;
	pw_import_summary *sum;
	arena a;
	bool oom;
	ptrvec updates; /* update *, one per stored occupation */
	strmap by_code; /* O*NET-SOC code -> update * */
	strmap by_soc;  /* "NN-NNNN" -> ptrvec * of update * */
	ptrvec vecs;    /* the ptrvecs by_soc holds, to release */
} ctx;

static const char *keep(ctx *c, const char *s)
{
	return arena_keep(&c->a, s, &c->oom);
}

/* ---- finding the files ---- */

static bool is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static bool is_file(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);
	return n >= k && strcmp(s + n - k, tail) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir, sorted (a directory lists in no fixed order). */
static pw_status list_dir(ctx *c, const char *dir, ptrvec *out, pw_error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return pw_fail(err, PW_ERR_IO, "cannot open '%s': %s", dir,
		               strerror(errno));
	struct dirent *ent;
	while ((ent = readdir(d)))
		if (ent->d_name[0] != '.' &&
		    !ptrvec_push(out, (void *)keep(c, ent->d_name)))
			c->oom = true;
	closedir(d);
	if (c->oom)
		return pw_oom(err);
	if (out->len > 1)
		qsort(out->items, out->len, sizeof *out->items, cmp_str);
	return PW_OK;
}

static const char *join(ctx *c, const char *dir, const char *name)
{
	size_t n = strlen(dir);
	char *p = arena_alloc(&c->a, n + strlen(name) + 2);
	if (!p) {
		c->oom = true;
		return NULL;
	}
	sprintf(p, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
	return p;
}

/* Takes path when it is one of the two files; a second of a kind is
 * reported. */
static void consider(ctx *c, const char *path, const char *base,
                     const char **ep, const char **oews)
{
	bool is_ep = strcmp(base, EP_FILE) == 0,
	     is_oews = strncmp(base, OEWS_PREFIX, strlen(OEWS_PREFIX)) == 0 &&
	               ends_with(base, ".tsv");
	if ((!is_ep && !is_oews) || !is_file(path))
		return;
	const char **slot = is_ep ? ep : oews;
	if (*slot)
		report_appendf(c->rep, path, "file",
		               "a second %s file (the first is '%s'); keep one",
		               is_ep ? "projections" : "OEWS", *slot);
	else
		*slot = path;
}

/* The projections table and the OEWS national file in dir, or else in
 * its sub-folders named bls_* (../shared/data holds the two releases in
 * bls_employment_projections_2024_34 and bls_oews_2024). */
static pw_status find_files(ctx *c, const char *dir, const char **ep,
                            const char **oews, pw_error *err)
{
	ptrvec top = {0}, sub = {0};
	pw_status st = list_dir(c, dir, &top, err);
	*ep = *oews = NULL;
	for (size_t i = 0; !st && i < top.len; i++) {
		const char *path = join(c, dir, top.items[i]);
		if (path)
			consider(c, path, top.items[i], ep, oews);
	}
	bool here = *ep || *oews; /* dir holds them: no sub-folders */
	for (size_t i = 0; !st && !here && i < top.len; i++) {
		const char *path = join(c, dir, top.items[i]);
		if (!path || strncmp(top.items[i], "bls_", 4) != 0 ||
		    !is_dir(path))
			continue;
		sub.len = 0;
		st = list_dir(c, path, &sub, err);
		for (size_t k = 0; !st && k < sub.len; k++) {
			const char *file = join(c, path, sub.items[k]);
			if (file)
				consider(c, file, sub.items[k], ep, oews);
		}
	}
	ptrvec_release(&top);
	ptrvec_release(&sub);
	if (!st && c->oom)
		st = pw_oom(err);
	if (!st && !*ep && !*oews)
		st = pw_fail(err, PW_ERR_IO,
		             "no BLS file in '%s' or its bls_* folders (looked "
		             "for " EP_FILE " and " OEWS_PREFIX "*.tsv)",
		             dir);
	return st;
}

/* ---- the stored occupations ---- */

static pw_status index_occupations(ctx *c, pw_error *err)
{
	pw_list *l = NULL;
	pw_status st =
	    pw_list_entities(c->e, PW_KIND_OCCUPATION, NULL, &l, err);
	if (st)
		return st;
	for (size_t i = 0; i < l->count && !c->oom; i++) {
		update *u = arena_alloc(&c->a, sizeof *u);
		char soc[8];
		if (!u || !(u->code = keep(c, l->items[i].id)))
			break;
		snprintf(soc, sizeof soc, "%s", u->code);
		ptrvec *v = strmap_get(&c->by_soc, soc);
		const char *key = v ? NULL : keep(c, soc);
		if (!v && (!key || !(v = calloc(1, sizeof *v)) ||
		           !ptrvec_push(&c->vecs, v) ||
		           !strmap_put(&c->by_soc, key, v)))
			c->oom = true;
		if (!c->oom &&
		    (!ptrvec_push(v, u) || !ptrvec_push(&c->updates, u) ||
		     !strmap_put(&c->by_code, u->code, u)))
			c->oom = true;
	}
	pw_list_free(l);
	return c->oom ? pw_oom(err) : PW_OK;
}

/* ---- reading ---- */

typedef struct file {
	const char *label;
	table *t;
	size_t rows;
	ptrvec rows_read; /* row * */
	strmap codes;     /* SOC code -> row * */
} file;

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

static int next_row(ctx *c, file *f, const char *stage, pw_error *err)
{
	int r = table_next(f->t, err);
	if (r > 0 && (++f->rows & 255) == 0)
		imp_progress(c->o, stage, table_done(f->t), table_size(f->t));
	return r;
}

/* BLS prints "—" (or nothing) where a figure is not available. */
static bool unavailable(const char *s)
{
	return !*s || strcmp(s, "\xE2\x80\x94") == 0 || strcmp(s, "-") == 0 ||
	       strcmp(s, "n/a") == 0;
}

/* A number as BLS prints it: "472.3", "49,500", "$49,500"; *top when it
 * is a floor (">=$239,200"). */
static bool parse_amount(const char *s, double *out, bool *top)
{
	char digits[64];
	size_t n = 0;
	*top = false;
	if (strncmp(s, ">=", 2) == 0) {
		*top = true;
		s += 2;
	}
	if (*s == '$')
		s++;
	for (; *s && n + 1 < sizeof digits; s++)
		if (*s != ',')
			digits[n++] = *s;
	if (*s || !n)
		return false;
	digits[n] = '\0';
	char *end;
	errno = 0;
	double x = strtod(digits, &end);
	if (end == digits || *end || errno == ERANGE || !isfinite(x))
		return false;
	*out = x;
	return true;
}

/* "NN-NNNN", the SOC code BLS publishes. */
static bool is_soc(const char *s)
{
	static const char shape[] = "NN-NNNN";
	if (strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'N' ? !(s[i] >= '0' && s[i] <= '9')
		                    : s[i] != shape[i])
			return false;
	return true;
}

/* A column whose header starts with prefix (BLS puts the years and
 * footnote marks in its headers), or -1, reported at the header line. */
static int column_like(ctx *c, file *f, size_t header_line, const char *prefix)
{
	for (size_t i = 0; i < table_columns(f->t); i++)
		if (strncmp(table_header(f->t, i), prefix, strlen(prefix)) == 0)
			return (int)i;
	char where[32];
	snprintf(where, sizeof where, "line %zu", header_line);
	report_appendf(c->rep, f->label, where,
	               "no column '%s...' in the header", prefix);
	return -1;
}

/* Keeps a row; a SOC code listed twice is reported. */
static bool add_row(ctx *c, file *f, int ccode, row *r)
{
	row *first = strmap_get(&f->codes, r->code);
	if (first) {
		bad(c, f, ccode, "SOC '%s' is listed twice (first at line %zu)",
		    r->code, first->line);
		return false;
	}
	if (!ptrvec_push(&f->rows_read, r) ||
	    !strmap_put(&f->codes, r->code, r))
		c->oom = true;
	return true;
}

static pw_status read_projections(ctx *c, file *f, pw_error *err)
{
	static const char *const cols[] = {
	    "Occupation type", "Typical education needed for entry", NULL};
	pw_status st =
	    table_open(f->label, f->label, '\t', cols, c->rep, &f->t, err);
	if (st)
		return st;
	imp_progress(c->o, EP_FILE, 0, table_size(f->t));
	/* footnotes follow the table, so records may be short */
	table_allow_ragged(f->t);
	size_t header = table_line(f->t);
	int ctype = table_column(f->t, "Occupation type"),
	    cedu = table_column(f->t, "Typical education needed for entry"),
	    ccode = -1, ctitle = -1;
	/* the code and title columns are named after the matrix's year */
	for (size_t i = 0; i < table_columns(f->t); i++) {
		const char *h = table_header(f->t, i);
		if (ends_with(h, "National Employment Matrix code"))
			ccode = (int)i;
		else if (ends_with(h, "National Employment Matrix title"))
			ctitle = (int)i;
	}
	if (ccode < 0) {
		char where[32];
		snprintf(where, sizeof where, "line %zu", header);
		report_appendf(c->rep, f->label, where,
		               "no column '... National Employment Matrix "
		               "code' in the header");
	}
	int copen = column_like(c, f, header, "Occupational openings"),
	    cgrow = column_like(c, f, header, "Employment change, percent"),
	    cwage = column_like(c, f, header, "Median annual wage");
	if (ccode < 0 || copen < 0 || cgrow < 0 || cwage < 0) {
		table_close(f->t);
		f->t = NULL;
		return PW_OK; /* reported */
	}
	int need = ccode;
	const int used[] = {ctype, cedu, copen, cgrow, cwage};
	for (size_t i = 0; i < PW_ARRAY_LEN(used); i++)
		if (used[i] > need)
			need = used[i];
	int r = 0;
	while (!c->oom && (r = next_row(c, f, EP_FILE, err)) > 0) {
		/* summary rows aggregate line items; footnotes have no type
		 * and no code */
		bool item = strcmp(table_get(f->t, ctype), "Line item") == 0;
		if (table_fields(f->t) <= (size_t)need &&
		    (item || is_soc(table_get(f->t, ccode)))) {
			report_appendf(c->rep, f->label, table_where(f->t),
			               "expected %zu fields, found %zu",
			               table_columns(f->t), table_fields(f->t));
			continue;
		}
		if (!item)
			continue;
		row *rw = arena_alloc(&c->a, sizeof *rw);
		if (!rw) {
			c->oom = true;
			break;
		}
		const char *code = table_get(f->t, ccode);
		bool ok = true, top;
		double x;
		if (!is_soc(code)) {
			bad(c, f, ccode, "'%.60s' is not a SOC code (NN-NNNN)",
			    code);
			ok = false;
		}
		const char *text = table_get(f->t, copen);
		if (!unavailable(text)) {
			if (!parse_amount(text, &x, &top) || top || x < 0 ||
			    x > 1e9) {
				bad(c, f, copen,
				    "'%.60s' is not a number of openings "
				    "(thousands)",
				    text);
				ok = false;
			} else {
				/* published in thousands */
				rw->has_openings = true;
				rw->openings = llround(x * 1000);
			}
		}
		text = table_get(f->t, cgrow);
		if (!unavailable(text)) {
			if (!parse_amount(text, &x, &top) || top || x < -100 ||
			    x > 1e6) {
				bad(c, f, cgrow, "'%.60s' is not a percentage",
				    text);
				ok = false;
			} else {
				rw->has_growth = true;
				rw->growth = x;
			}
		}
		text = table_get(f->t, cwage);
		if (!unavailable(text)) {
			if (!parse_amount(text, &x, &top) || x < 0 || x > 1e9) {
				bad(c, f, cwage, "'%.60s' is not a wage", text);
				ok = false;
			} else
				rw->pay = (wage){true, top, x, "year"};
		}
		text = table_get(f->t, cedu);
		if (!utf8_ok(text)) {
			bad(c, f, cedu, "not valid UTF-8");
			ok = false;
		} else if (!unavailable(text))
			rw->education = keep(c, text);
		rw->code = keep(c, code);
		rw->title = keep(c, table_get(f->t, ctitle));
		rw->line = table_line(f->t);
		if (ok && !c->oom)
			add_row(c, f, ccode, rw);
	}
	table_close(f->t);
	f->t = NULL;
	if (c->oom)
		return pw_oom(err);
	return r < 0 ? PW_ERR_NOMEM : PW_OK;
}

/* An OEWS median: a number, "#" (at least top), "*" or nothing (not
 * published). */
static bool oews_median(ctx *c, file *f, int col, double top, wage *w,
                        const char *unit)
{
	const char *text = table_get(f->t, col);
	double x;
	bool floor_only;
	w->has = false;
	if (!*text || strcmp(text, "*") == 0 || strcmp(text, "**") == 0)
		return true;
	if (strcmp(text, "#") == 0) {
		*w = (wage){true, true, top, unit};
		return true;
	}
	if (!parse_amount(text, &x, &floor_only) || floor_only || x < 0 ||
	    x > 1e9) {
		bad(c, f, col, "'%.60s' is not a wage", text);
		return false;
	}
	*w = (wage){true, false, x, unit};
	return true;
}

static pw_status read_oews(ctx *c, file *f, pw_error *err)
{
	static const char *const cols[] = {"OCC_CODE", "O_GROUP", "A_MEDIAN",
	                                   "H_MEDIAN", NULL};
	pw_status st =
	    table_open(f->label, f->label, '\t', cols, c->rep, &f->t, err);
	if (st)
		return st;
	imp_progress(c->o, "OEWS", 0, table_size(f->t));
	int ccode = table_column(f->t, "OCC_CODE"),
	    cgroup = table_column(f->t, "O_GROUP"),
	    ctitle = table_column(f->t, "OCC_TITLE"),
	    cyear = table_column(f->t, "A_MEDIAN"),
	    chour = table_column(f->t, "H_MEDIAN"), r = 0;
	while (!c->oom && (r = next_row(c, f, "OEWS", err)) > 0) {
		/* total, major, minor and broad groups sum detailed rows */
		if (strcmp(table_get(f->t, cgroup), "detailed") != 0)
			continue;
		const char *code = table_get(f->t, ccode);
		row *rw = arena_alloc(&c->a, sizeof *rw);
		if (!rw) {
			c->oom = true;
			break;
		}
		wage year, hour;
		bool ok = is_soc(code);
		if (!ok)
			bad(c, f, ccode, "'%.60s' is not a SOC code (NN-NNNN)",
			    code);
		ok &= oews_median(c, f, cyear, OEWS_TOP_ANNUAL, &year, "year");
		ok &= oews_median(c, f, chour, OEWS_TOP_HOURLY, &hour, "hour");
		/* the annual median, else the hourly one (occupations paid
		 * by the hour and not year-round publish only that) */
		rw->pay = year.has ? year : hour;
		rw->code = keep(c, code);
		rw->title = keep(c, table_get(f->t, ctitle));
		rw->line = table_line(f->t);
		if (ok && !c->oom)
			add_row(c, f, ccode, rw);
	}
	table_close(f->t);
	f->t = NULL;
	if (c->oom)
		return pw_oom(err);
	return r < 0 ? PW_ERR_NOMEM : PW_OK;
}

/* ---- mapping SOC codes onto O*NET-SOC codes ---- */

static void apply(update *u, const row *r)
{
	if (r->has_openings) {
		u->has_openings = true;
		u->openings = r->openings;
	}
	if (r->has_growth) {
		u->has_growth = true;
		u->growth = r->growth;
	}
	if (r->education)
		u->education = r->education;
	if (r->pay.has)
		u->pay = r->pay;
}

/* A SOC code names the O*NET occupations NN-NNNN.xx. BLS also publishes
 * some occupations only as an aggregate of several (13-1020 for 13-1021,
 * -1022 and -1023; 21-1018 for 21-1011 and -1014): such a code, naming no
 * stored occupation itself, covers the stored occupations of its broad
 * group (the same first five digits) that no row of the same file names.
 * A figure goes to each occupation it covers whole, not split (SPEC §1:
 * `openings` is the occupation's projection). */
static bool covers(const file *f, const row *r, const update *u)
{
	char soc[8];
	snprintf(soc, sizeof soc, "%s", u->code);
	return strncmp(u->code, r->code, 6) == 0 && !strmap_has(&f->codes, soc);
}

static void map_rows(ctx *c, file *f, const char *name)
{
	for (size_t i = 0; i < c->updates.len; i++)
		((update *)c->updates.items[i])->claims = 0;
	/* count the aggregates covering each occupation first: one covered
	 * by two is ambiguous */
	for (size_t i = 0; i < f->rows_read.len; i++) {
		row *r = f->rows_read.items[i];
		for (size_t k = 0;
		     !strmap_has(&c->by_soc, r->code) && k < c->updates.len;
		     k++)
			if (covers(f, r, c->updates.items[k]))
				((update *)c->updates.items[k])->claims++;
	}
	for (size_t i = 0; i < f->rows_read.len; i++) {
		row *r = f->rows_read.items[i];
		char where[32];
		snprintf(where, sizeof where, "line %zu", r->line);
		ptrvec *direct = strmap_get(&c->by_soc, r->code);
		size_t covered = 0;
		for (size_t k = 0; direct && k < direct->len; k++, covered++)
			apply(direct->items[k], r);
		for (size_t k = 0; !direct && k < c->updates.len; k++) {
			update *u = c->updates.items[k];
			if (!covers(f, r, u))
				continue;
			covered++;
			if (u->claims > 1)
				imp_note(
				    c->o, c->sum, f->label, where,
				    "%s '%s' is one of several aggregate SOC "
				    "codes covering '%s'; not applied to it",
				    name, r->code, u->code);
			else
				apply(u, r);
		}
		if (!covered)
			imp_note(c->o, c->sum, f->label, where,
			         "no stored occupation for SOC '%s' (%s)",
			         r->code,
			         r->title && strlen(r->title) < 300 &&
			                 utf8_ok(r->title)
			             ? r->title
			             : "");
	}
}

/* ---- writing ---- */

static json_t *wage_doc(const wage *w)
{
	if (w->top)
		return json_pack("{s:f, s:s}", "min", w->min, "unit", w->unit);
	return json_pack("{s:f, s:f, s:s}", "min", w->min, "max", w->min,
	                 "unit", w->unit);
}

static pw_status add_occupation(ctx *c, json_t *out, const update *u,
                                pw_error *err)
{
	json_t *doc = NULL, *before = NULL;
	pw_status st = imp_stored(c->e, PW_KIND_OCCUPATION, u->code, &doc, err);
	if (st)
		return st;
	if (!(before = json_deep_copy(doc)))
		goto oom;
	if ((u->has_openings &&
	     json_object_set_new(doc, "openings", json_integer(u->openings))) ||
	    (u->has_growth &&
	     json_object_set_new(doc, "growth_pct", json_real(u->growth))) ||
	    (u->education && json_object_set_new(doc, "education",
	                                         json_string(u->education))) ||
	    (u->pay.has && json_object_set_new(doc, "wage", wage_doc(&u->pay))))
		goto oom;
	if (!json_equal(doc, before) && json_array_append(out, doc))
		goto oom;
	goto done;
oom:
	st = pw_oom(err);
done:
	json_decref(doc);
	json_decref(before);
	return st;
}

static void file_release(file *f)
{
	table_close(f->t);
	ptrvec_release(&f->rows_read);
	strmap_release(&f->codes);
}

pw_status pw_import_bls(pw_engine *e, const char *dir,
                        const pw_import_opts *opts, pw_report *rep,
                        pw_import_summary *sum, pw_error *err)
{
	ctx c = {.e = e, .o = opts, .rep = rep, .sum = sum};
	file ep = {0}, oews = {0};
	json_t *doc = NULL, *occs = NULL;
	pw_import_summary counts = {0};
	pw_status st;
	if (!rep)
		return pw_fail(err, PW_ERR_INVALID, "an import needs a report");
	if (!is_dir(dir))
		return pw_fail(err, PW_ERR_IO,
		               "cannot open '%s': not a directory (import bls "
		               "reads " EP_FILE " and " OEWS_PREFIX
		               "*.tsv in one)",
		               dir);
	if (!sum)
		c.sum = &counts;
	memset(c.sum, 0, sizeof *c.sum);
	size_t problems = pw_report_count(rep);
	if ((st = find_files(&c, dir, &ep.label, &oews.label, err)) ||
	    (st = index_occupations(&c, err)))
		goto out;
	if (ep.label && (st = read_projections(&c, &ep, err)) &&
	    st != PW_ERR_INVALID)
		goto out;
	if (oews.label && (st = read_oews(&c, &oews, err)) &&
	    st != PW_ERR_INVALID)
		goto out;
	if (pw_report_count(rep) > problems) {
		size_t n = pw_report_count(rep) - problems;
		st = pw_fail(err, PW_ERR_INVALID,
		             "%zu problem%s in the BLS files in '%s'; nothing "
		             "was imported",
		             n, n == 1 ? "" : "s", dir);
		goto out;
	}
	st = PW_OK;
	imp_progress(opts, "merging", 0, 0);
	/* projections first; OEWS, the wages' own source, then sets the
	 * wage where it publishes one */
	if (ep.label)
		map_rows(&c, &ep, "projections");
	if (oews.label)
		map_rows(&c, &oews, "OEWS");
	if (!(doc = json_object()) || !(occs = json_array()) ||
	    json_object_set(doc, "occupations", occs)) {
		st = pw_oom(err);
		goto out;
	}
	for (size_t i = 0; i < c.updates.len; i++)
		if ((st = add_occupation(&c, occs, c.updates.items[i], err)))
			goto out;
	if (json_array_size(occs))
		st = imp_write(e, opts, dir, doc, rep, c.sum, err);
out:
	file_release(&ep);
	file_release(&oews);
	json_decref(occs);
	json_decref(doc);
	for (size_t i = 0; i < c.vecs.len; i++) {
		ptrvec_release(c.vecs.items[i]);
		free(c.vecs.items[i]);
	}
	ptrvec_release(&c.vecs);
	ptrvec_release(&c.updates);
	strmap_release(&c.by_code);
	strmap_release(&c.by_soc);
	arena_release(&c.a);
	return st;
}
