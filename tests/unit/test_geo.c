/* test_geo.c - the grid of geo.c only narrows range checks, so it must
 * never lose a place in range: every place within R miles of a point
 * (SPEC §3's haversine) has a key inside the ranges the grid gives for
 * that circle, anywhere on earth (the antimeridian and the poles
 * included); and geo_spans finds exactly the entries of a key-sorted list
 * that are in those ranges or have key 0. */
#include "fixture.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#define PI 3.14159265358979323846

static double uniform(fx_rng *r, double lo, double hi)
{
	return lo + (hi - lo) * fx_rand(r, 1000001) / 1000000.0;
}

static bool key_in(uint32_t key, const geo_range *rg, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (key >= rg[i].lo && key <= rg[i].hi)
			return true;
	return false;
}

static void circle_keeps_every_place_in_range(void **state)
{
	(void)state;
	static geo_range rg[GEO_MAX_RANGES];
	fx_rng r = {42};
	for (int trial = 0; trial < 4000; trial++) {
		loc at = {.has_coords = true};
		/* a third of the centres near the antimeridian or a pole */
		switch (trial % 3) {
		case 0:
			at.lat = uniform(&r, -89.9, 89.9);
			at.lon = uniform(&r, -180, 179.999);
			break;
		case 1:
			at.lat = uniform(&r, -60, 60);
			at.lon = fx_rand(&r, 2) ? uniform(&r, 179, 179.999)
			                        : uniform(&r, -180, -179);
			break;
		default:
			at.lat = fx_rand(&r, 2) ? uniform(&r, 85, 89.99)
			                        : uniform(&r, -89.99, -85);
			at.lon = uniform(&r, -180, 179.999);
		}
		double miles = uniform(&r, 0, 400);
		size_t nr = geo_ranges(&at, miles, rg);
		assert_true(nr > 0 && nr <= GEO_MAX_RANGES);
		for (size_t i = 1; i < nr; i++)
			assert_true(rg[i].lo > rg[i - 1].hi);
		for (int k = 0; k < 50; k++) {
			/* a place at a random bearing, inside the circle */
			double d = uniform(&r, 0, miles) / 3958.8;
			double b = uniform(&r, 0, 2 * PI);
			double la = at.lat * PI / 180, lo = at.lon * PI / 180;
			double la2 =
			    asin(sin(la) * cos(d) + cos(la) * sin(d) * cos(b));
			double lo2 = lo + atan2(sin(b) * sin(d) * cos(la),
			                        cos(d) - sin(la) * sin(la2));
			loc p = {.has_coords = true,
			         .lat = la2 * 180 / PI,
			         .lon = remainder(lo2 * 180 / PI, 360)};
			if (p.lon >= 180)
				p.lon -= 360;
			if (geo_miles(at.lat, at.lon, p.lat, p.lon) > miles)
				continue;
			uint32_t key = geo_key(&p, false);
			if (!key_in(key, rg, nr))
				fail_msg("(%f, %f) at %f miles of (%f, %f) is "
				         "outside the ranges",
				         p.lat, p.lon, miles, at.lat, at.lon);
		}
	}
	/* what every check must see, and what has no circle */
	loc none = {0};
	assert_int_equal(geo_key(&none, false), 0);
	loc here = {.has_coords = true, .lat = 37, .lon = -83};
	assert_int_equal(geo_key(&here, true), 0);
	assert_true(geo_key(&here, false) > 0);
	assert_int_equal(geo_ranges(&none, 30, rg), 0);
	assert_int_equal(geo_ranges(&here, NAN, rg), 0);
	assert_int_equal(geo_ranges(&here, 1e9, rg), 0);
}

static int cmp_key(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

static void spans_find_exactly_the_keys_in_range(void **state)
{
	(void)state;
	static geo_range rg[GEO_MAX_RANGES];
	static geo_span sp[GEO_MAX_RANGES + 1];
	uint32_t keys[600];
	fx_rng r = {7};
	for (int trial = 0; trial < 300; trial++) {
		loc at = {.has_coords = true,
		          .lat = uniform(&r, 30, 45),
		          .lon = uniform(&r, -100, -80)};
		size_t nr = geo_ranges(&at, uniform(&r, 5, 80), rg);
		uint32_t n = fx_rand(&r, 600);
		for (uint32_t i = 0; i < n; i++) {
			loc p = {.has_coords = fx_rand(&r, 8) != 0,
			         .lat = at.lat + uniform(&r, -2, 2),
			         .lon = at.lon + uniform(&r, -2, 2)};
			keys[i] = geo_key(&p, fx_rand(&r, 10) == 0);
		}
		qsort(keys, n, sizeof *keys, cmp_key);
		uint32_t lo = n ? fx_rand(&r, n) : 0;
		size_t ns = geo_spans(keys, lo, n, rg, nr, sp);
		assert_true(ns <= nr + 1);
		uint8_t seen[600] = {0};
		for (size_t k = 0; k < ns; k++) {
			assert_true(sp[k].a >= lo && sp[k].b <= n &&
			            sp[k].a < sp[k].b);
			for (uint32_t j = sp[k].a; j < sp[k].b; j++)
				seen[j]++;
		}
		for (uint32_t j = lo; j < n; j++) {
			bool want = keys[j] == 0 || key_in(keys[j], rg, nr);
			assert_int_equal(seen[j], want ? 1 : 0);
		}
	}
}

static void order_is_stable_by_key(void **state)
{
	(void)state;
	/* a few places (sorted) and many (counted over the cells) */
	const uint32_t sizes[] = {0, 1, 200, 150000};
	fx_rng r = {3};
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		uint32_t n = sizes[k];
		uint32_t *key = malloc((n + 1) * sizeof *key);
		uint32_t *order = malloc((n + 1) * sizeof *order);
		uint8_t *seen = calloc(n + 1, 1);
		assert_non_null(key);
		assert_non_null(order);
		assert_non_null(seen);
		for (uint32_t i = 0; i < n; i++)
			key[i] = fx_rand(&r, 5) == 0
			             ? 0
			             : 1 + fx_rand(&r, 40) * 1000;
		assert_true(geo_order(n, key, order));
		for (uint32_t i = 0; i < n; i++) {
			assert_true(order[i] < n && !seen[order[i]]);
			seen[order[i]] = 1;
		}
		for (uint32_t i = 1; i < n; i++) {
			uint32_t a = order[i - 1], b = order[i];
			assert_true(key[a] < key[b] ||
			            (key[a] == key[b] && a < b));
		}
		free(key);
		free(order);
		free(seen);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(circle_keeps_every_place_in_range),
	    cmocka_unit_test(spans_find_exactly_the_keys_in_range),
	    cmocka_unit_test(order_is_stable_by_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
