/* util.c - errors, arenas, growable buffers and number formatting: the
 * plumbing every other module leans on. */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---- */

pw_status pw_fail(pw_error *err, pw_status st, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		err->status = st;
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	}
	return st;
}

pw_status pw_oom(pw_error *err)
{
	if (err) {
		err->status = PW_ERR_NOMEM;
		snprintf(err->message, sizeof err->message, "out of memory");
	}
	return PW_ERR_NOMEM;
}

const char *pw_version(void)
{
	return PW_VERSION;
}

const char *pw_status_name(pw_status st)
{
	switch (st) {
	case PW_OK: return "ok";
	case PW_ERR_INVALID: return "invalid";
	case PW_ERR_NOT_FOUND: return "not found";
	case PW_ERR_IO: return "i/o error";
	case PW_ERR_DB: return "database error";
	case PW_ERR_NOMEM: return "out of memory";
	case PW_ERR_DENIED: return "denied";
	case PW_ERR_EXISTS: return "exists";
	}
	return "unknown";
}

void pw_free(void *p)
{
	free(p);
}

/* ---- arena ---- */

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

#define ARENA_BLOCK (64 * 1024)

void *arena_alloc(arena *a, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	struct arena_block *b = a->head;
	if (!b || b->cap - b->used < size) {
		size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->used = 0;
		/* A big allocation gets its own block behind the current one,
		 * so the current block's free tail is not wasted. */
		if (a->head && cap == size) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

void *arena_memdup(arena *a, const void *p, size_t size)
{
	void *q = arena_alloc(a, size);
	if (q && p && size)
		memcpy(q, p, size);
	return q;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *q = arena_alloc(a, n + 1);
	if (q) {
		memcpy(q, s, n);
		q[n] = '\0';
	}
	return q;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

const char *arena_keep(arena *a, const char *s, bool *oom)
{
	if (!s)
		return NULL;
	const char *d = arena_strdup(a, s);
	if (!d)
		*oom = true;
	return d;
}

int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

void arena_release(arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

/* ---- buffers ---- */

void buf_init(buf *b)
{
	memset(b, 0, sizeof *b);
}

void buf_release(buf *b)
{
	free(b->data);
	buf_init(b);
}

static bool buf_reserve(buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1) {
		if (cap > SIZE_MAX / 2) {
			b->failed = true;
			return false;
		}
		cap *= 2;
	}
	char *d = realloc(b->data, cap);
	if (!d) {
		b->failed = true;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

void buf_append(buf *b, const char *s, size_t n)
{
	if (!buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n < sizeof small) {
		buf_append(b, small, (size_t)n);
		return;
	}
	if (!buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *buf_detach(buf *b)
{
	if (b->failed) {
		buf_release(b);
		return NULL;
	}
	if (!b->data) {
		/* nothing was appended: an empty string, still terminated */
		if (!buf_reserve(b, 0))
			return NULL;
		b->data[0] = '\0';
	}
	char *d = b->data;
	buf_init(b);
	return d;
}

bool ptrvec_push(ptrvec *v, void *p)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void **items = realloc(v->items, cap * sizeof *items);
		if (!items)
			return false;
		v->items = items;
		v->cap = cap;
	}
	v->items[v->len++] = p;
	return true;
}

void ptrvec_release(ptrvec *v)
{
	free(v->items);
	memset(v, 0, sizeof *v);
}

/* ---- string map ---- */

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	/* FNV-1a's low bits, which pick the slot, barely differ between ids
	 * that differ only in their last digits (c-00017, c-00018): mix the
	 * high bits down, or such ids cluster and every look-up probes far */
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

static size_t strmap_slot(const strmap *m, const char *key)
{
	size_t mask = m->cap - 1, i = (size_t)str_hash(key) & mask;
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & mask;
	return i;
}

bool strmap_put(strmap *m, const char *key, void *val)
{
	if ((m->len + 1) * 2 > m->cap) {
		strmap bigger = {0};
		bigger.cap = m->cap ? m->cap * 2 : 64;
		bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
		bigger.vals = calloc(bigger.cap, sizeof *bigger.vals);
		if (!bigger.keys || !bigger.vals) {
			strmap_release(&bigger);
			return false;
		}
		for (size_t i = 0; i < m->cap; i++)
			if (m->keys[i]) {
				size_t j = strmap_slot(&bigger, m->keys[i]);
				bigger.keys[j] = m->keys[i];
				bigger.vals[j] = m->vals[i];
				bigger.len++;
			}
		strmap_release(m);
		*m = bigger;
	}
	size_t i = strmap_slot(m, key);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->len++;
	}
	m->vals[i] = val;
	return true;
}

void *strmap_get(const strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t i = strmap_slot(m, key);
	return m->keys[i] ? m->vals[i] : NULL;
}

bool strmap_has(const strmap *m, const char *key)
{
	return m->cap && m->keys[strmap_slot(m, key)] != NULL;
}

void strmap_release(strmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* ---- numbers ---- */

double num_round(double x, int decimals)
{
	double scale = 1.0;
	for (int i = 0; i < decimals; i++)
		scale *= 10.0;
	double t = fabs(x) * scale;
	/* Values meant as exact decimal halves (12.25 -> 12.3) may sit a few
	 * ulps below the half in binary; a relative nudge puts them on it. */
	double r = floor(t + 0.5 + t * 1e-12 + 1e-12);
	r /= scale;
	return x < 0 ? -r : r;
}

/* Most numbers in documents have a few decimals (scores, distances,
 * coverage, money). If r / 10^k == x for r = round(x * 10^k), the decimal
 * r / 10^k reads back as x (strtod and the division round the same real
 * number), so it is the shortest form when k is the least such. */
static bool num_format_fast(char out[static 32], double x)
{
	static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
	for (int k = 0; k < 7; k++) {
		double v = x * p10[k];
		if (fabs(v) >= 9007199254740992.0) /* 2^53 */
			return false;
		long long r = llround(v);
		if ((double)r / p10[k] != x)
			continue;
		unsigned long long a = (unsigned long long)(r < 0 ? -r : r);
		char digits[24];
		int n = snprintf(digits, sizeof digits, "%llu", a);
		char *o = out;
		if (r < 0 || (r == 0 && signbit(x)))
			*o++ = '-';
		if (k == 0) {
			memcpy(o, digits, (size_t)n);
			memcpy(o + n, ".0", 3);
			return true;
		}
		/* integer part, then exactly k decimals (k is least, so the
		 * last is not zero) */
		int whole = n - k;
		if (whole <= 0) {
			*o++ = '0';
			*o++ = '.';
			for (int z = 0; z < -whole; z++)
				*o++ = '0';
			memcpy(o, digits, (size_t)n);
			o[n] = '\0';
		} else {
			memcpy(o, digits, (size_t)whole);
			o += whole;
			*o++ = '.';
			memcpy(o, digits + whole, (size_t)k);
			o[k] = '\0';
		}
		return true;
	}
	return false;
}

void num_format(char out[static 32], double x)
{
	if (!isfinite(x)) {
		snprintf(out, 32, "null");
		return;
	}
	if (num_format_fast(out, x))
		return;
	/* The fewest significant digits that read back exactly, then written
	 * without an exponent where that stays readable: %g uses one for tiny
	 * values and for integers wider than the digits kept. */
	int prec = 1;
	for (; prec < 17; prec++) {
		snprintf(out, 32, "%.*g", prec, x);
		if (strtod(out, NULL) == x)
			break;
	}
	snprintf(out, 32, "%.*g", prec, x);
	const char *e = strchr(out, 'e');
	if (e) {
		int exp10 = atoi(e + 1);
		if (exp10 < 0 && exp10 >= -20)
			snprintf(out, 32, "%.*f", prec - 1 - exp10, x);
		else if (exp10 >= 0 && exp10 < 17)
			snprintf(out, 32, "%.0f", x);
	}
	if (!strpbrk(out, ".eEn")) {
		size_t n = strlen(out);
		if (n + 2 < 32)
			memcpy(out + n, ".0", 3);
	}
}

/* ---- files ---- */

pw_status file_read(const char *path, size_t max, char **out, size_t *len,
                    pw_error *err)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t got;
	buf b;
	if (!f)
		return pw_fail(err, PW_ERR_IO, "cannot open '%s': %s", path,
		               strerror(errno));
	buf_init(&b);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 &&
	       (!max || b.len <= max))
		buf_append(&b, chunk, got);
	bool bad = ferror(f) != 0;
	int saved = errno;
	fclose(f);
	if (bad || (max && b.len > max)) {
		buf_release(&b);
		return bad ? pw_fail(err, PW_ERR_IO, "cannot read '%s': %s",
		                     path, strerror(saved))
		           : pw_fail(err, PW_ERR_IO,
		                     "'%s' is larger than %zu MiB", path,
		                     max >> 20);
	}
	*len = b.len;
	if (!(*out = buf_detach(&b)))
		return pw_oom(err);
	return PW_OK;
}

pw_status file_set_read(file_set *fs, const char *const *paths, size_t n,
                        size_t max, pw_error *err)
{
	pw_status st = PW_OK;
	fs->n = n;
	fs->data = calloc(n + 1, sizeof *fs->data);
	fs->lens = calloc(n + 1, sizeof *fs->lens);
	if (!fs->data || !fs->lens)
		st = pw_oom(err);
	for (size_t i = 0; !st && i < n; i++)
		st = file_read(paths[i], max, &fs->data[i], &fs->lens[i], err);
	if (st)
		file_set_release(fs);
	return st;
}

void file_set_release(file_set *fs)
{
	for (size_t i = 0; fs->data && i < fs->n; i++)
		free(fs->data[i]);
	free(fs->data);
	free(fs->lens);
	fs->data = NULL;
	fs->lens = NULL;
	fs->n = 0;
}
