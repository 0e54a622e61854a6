/* geo.c - a grid over latitude and longitude that narrows "in range" to a
 * few cells before any distance is computed.
 *
 * Each place gets a key: 0 for what every range check must see (remote
 * jobs, places without coordinates, which SPEC §3 decides by county or
 * state), else 1 + its cell, cells numbered row by row. Lists sorted by key
 * (the inverted indexes of model.c) then answer "everything within R miles
 * of here" with one binary search per grid row the circle crosses. The grid
 * only nominates: geo_in_range still decides each place exactly. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#define CELL_DEG 0.2
#define GEO_ROWS 900  /* 180 / CELL_DEG */
#define GEO_COLS 1800 /* 360 / CELL_DEG */
/* Miles per degree of latitude on SPEC §3's earth (3958.8 miles), taken
 * a little low so that spans come out a little wide. */
#define MILES_PER_DEG 69.0

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int row_of(double lat)
{
	return clampi((int)floor((lat + 90) / CELL_DEG), 0, GEO_ROWS - 1);
}

static int col_of(double lon)
{
	return clampi((int)floor((lon + 180) / CELL_DEG), 0, GEO_COLS - 1);
}

uint32_t geo_key(const loc *l, bool remote)
{
	if (remote || !l->has_coords || !isfinite(l->lat) || !isfinite(l->lon))
		return 0;
	return 1 + (uint32_t)row_of(l->lat) * GEO_COLS +
	       (uint32_t)col_of(l->lon);
}

size_t geo_ranges(const loc *at, double miles, geo_range *out)
{
	/* past a quarter of the earth the grid saves nothing */
	if (!at->has_coords || !isfinite(at->lat) || !isfinite(at->lon) ||
	    !(miles >= 0) || miles > 6000)
		return 0;
	double dlat = miles / MILES_PER_DEG + CELL_DEG;
	double lo = at->lat - dlat, hi = at->lat + dlat;
	double far = fmax(fabs(lo), fabs(hi));
	/* degrees of longitude per mile grow with latitude: the widest row
	 * of the band bounds them all */
	double dlon =
	    far >= 89 ? 360 : dlat / cos(far * 3.14159265358979 / 180);
	int r0 = row_of(lo), r1 = row_of(hi);
	size_t n = 0;
	for (int r = r0; r <= r1; r++) {
		uint32_t base = 1 + (uint32_t)r * GEO_COLS;
		if (dlon >= 180) {
			out[n++] = (geo_range){base, base + GEO_COLS - 1};
			continue;
		}
		double w = at->lon - dlon, e = at->lon + dlon;
		if (w < -180) { /* across the antimeridian: two spans */
			out[n++] =
			    (geo_range){base, base + (uint32_t)col_of(e)};
			out[n++] = (geo_range){base + (uint32_t)col_of(w + 360),
			                       base + GEO_COLS - 1};
		} else if (e >= 180) {
			out[n++] =
			    (geo_range){base, base + (uint32_t)col_of(e - 360)};
			out[n++] = (geo_range){base + (uint32_t)col_of(w),
			                       base + GEO_COLS - 1};
		} else
			out[n++] = (geo_range){base + (uint32_t)col_of(w),
			                       base + (uint32_t)col_of(e)};
	}
	return n;
}

uint32_t geo_lower(const uint32_t *keys, uint32_t lo, uint32_t hi, uint32_t key)
{
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t geo_spans(const uint32_t *keys, uint32_t lo, uint32_t hi,
                 const geo_range *rg, size_t nr, geo_span *out)
{
	if (!nr) {
		out[0] = (geo_span){lo, hi};
		return 1;
	}
	size_t n = 0;
	uint32_t from = geo_lower(keys, lo, hi, 1);
	if (from > lo)
		out[n++] = (geo_span){lo, from};
	for (size_t i = 0; i < nr && from < hi; i++) {
		uint32_t a = geo_lower(keys, from, hi, rg[i].lo);
		uint32_t b = geo_lower(keys, a, hi, rg[i].hi + 1);
		if (b > a)
			out[n++] = (geo_span){a, b};
		from = b;
	}
	return n;
}

/* ---- ordering by key ---- */

typedef struct keyed {
	uint32_t key, idx;
} keyed;

static int cmp_keyed(const void *x, const void *y)
{
	const keyed *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

bool geo_order(uint32_t n, const uint32_t *key, uint32_t *order)
{
	size_t nkeys = (size_t)GEO_ROWS * GEO_COLS + 2;
	if (n < nkeys / 16) {
		/* few places: sorting them beats counting over every cell */
		keyed *v = malloc(((size_t)n + 1) * sizeof *v);
		if (!v)
			return false;
		for (uint32_t i = 0; i < n; i++)
			v[i] = (keyed){key[i], i};
		if (n)
			qsort(v, n, sizeof *v, cmp_keyed);
		for (uint32_t i = 0; i < n; i++)
			order[i] = v[i].idx;
		free(v);
		return true;
	}
	/* a counting sort: stable, so equal keys keep index order */
	uint32_t *start = calloc(nkeys, sizeof *start);
	if (!start)
		return false;
	for (uint32_t i = 0; i < n; i++)
		start[key[i] + 1]++;
	for (size_t k = 1; k < nkeys; k++)
		start[k] += start[k - 1];
	for (uint32_t i = 0; i < n; i++)
		order[start[key[i]]++] = i;
	free(start);
	return true;
}
