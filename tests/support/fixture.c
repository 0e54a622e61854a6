/* fixture.c - see fixture.h. */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pw_engine *fx_open(void)
{
	pw_engine *e = NULL;
	pw_error err;
	pw_status st = pw_open(":memory:", PW_OPEN_CREATE, &e, &err);
	if (st)
		fail_msg("cannot open an in-memory store: %s", err.message);
	return e;
}

pw_status fx_load_many(pw_engine *e, const char *const *names,
                       const char *const *docs, size_t n, pw_report **rep)
{
	size_t lens[16];
	pw_error err;
	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(docs[i]);
	pw_report *r = pw_report_new();
	assert_non_null(r);
	pw_status st = pw_load_buffers(e, names, docs, lens, n, r, NULL, &err);
	if (rep)
		*rep = r;
	else
		pw_report_free(r);
	return st;
}

pw_status fx_load(pw_engine *e, const char *json, pw_report **rep)
{
	const char *names[] = {"test.json"};
	return fx_load_many(e, names, &json, 1, rep);
}

void fx_load_ok(pw_engine *e, const char *json)
{
	pw_report *rep;
	pw_status st = fx_load(e, json, &rep);
	if (st) {
		char *text = fx_report_text(rep);
		pw_report_free(rep);
		fail_msg("load failed (%s):\n%s", pw_status_name(st), text);
	}
	pw_report_free(rep);
}

char *fx_dump(pw_engine *e)
{
	size_t cap = 4096, len = 0;
	char *out = malloc(cap);
	assert_non_null(out);
	out[0] = '\0';
	for (int k = 0; k < PW_KIND_COUNT; k++) {
		pw_list *l;
		pw_error err;
		if (pw_list_entities(e, (pw_kind)k, NULL, &l, &err))
			fail_msg("list failed: %s", err.message);
		for (size_t i = 0; i < l->count; i++) {
			char *doc;
			if (pw_show_json(e, (pw_kind)k, l->items[i].id, 0, &doc, &err))
				fail_msg("show failed: %s", err.message);
			size_t n = strlen(doc) + strlen(pw_kind_name((pw_kind)k)) + 4;
			while (len + n + 1 > cap) {
				cap *= 2;
				out = realloc(out, cap);
				assert_non_null(out);
			}
			len += (size_t)sprintf(out + len, "%s: %s\n",
			                       pw_kind_name((pw_kind)k), doc);
			pw_free(doc);
		}
		pw_list_free(l);
	}
	return out;
}

bool fx_report_has(const pw_report *r, const char *file, const char *path,
                   const char *reason)
{
	for (size_t i = 0; i < pw_report_count(r); i++) {
		const char *f, *p, *why;
		pw_report_get(r, i, &f, &p, &why);
		if ((!file || strcmp(f, file) == 0) && (!path || strcmp(p, path) == 0) &&
		    (!reason || strstr(why, reason)))
			return true;
	}
	return false;
}

char *fx_report_text(const pw_report *r)
{
	size_t cap = 256, len = 0;
	char *out = calloc(1, cap);
	assert_non_null(out);
	for (size_t i = 0; i < pw_report_count(r); i++) {
		const char *f, *p, *why;
		pw_report_get(r, i, &f, &p, &why);
		size_t n = strlen(f) + strlen(p) + strlen(why) + 8;
		while (len + n + 1 > cap) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		len += (size_t)sprintf(out + len, "%s: %s: %s\n", f, p, why);
	}
	return out;
}

pw_date fx_date(const char *ymd)
{
	pw_date d;
	pw_error err;
	if (pw_date_parse(ymd, &d, &err))
		fail_msg("bad date in a test: %s", err.message);
	return d;
}

char *fx_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0, got;
	char *out = malloc(cap);
	while (out && (got = fread(out + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			cap *= 2;
			char *more = realloc(out, cap);
			if (!more) {
				free(out);
				out = NULL;
			}
			out = more;
		}
	}
	fclose(f);
	if (out) {
		out[n] = '\0';
		if (len)
			*len = n;
	}
	return out;
}

char *fx_dq(const char *s)
{
	char *out = strdup(s);
	assert_non_null(out);
	for (char *p = out; *p; p++)
		if (*p == '\'')
			*p = '"';
	return out;
}

unsigned fx_rand(fx_rng *r, unsigned n)
{
	/* Knuth's MMIX constants; the property tests' instances depend on
	 * this exact sequence, so changing it changes what they check. */
	r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((r->s >> 33) % n);
}

void fx_put(fx_text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	assert_true(n >= 0);
	size_t need = t->len + (size_t)n + 1;
	if (need > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		while (cap < need)
			cap *= 2;
		char *more = realloc(t->text, cap);
		assert_non_null(more);
		t->text = more;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->text + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

void fx_text_free(fx_text *t)
{
	if (t) {
		free(t->text);
		t->text = NULL;
		t->len = t->cap = 0;
	}
}
