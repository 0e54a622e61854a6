/* test_util.c - the plumbing: rounding half away from zero, shortest number
 * forms, the JSON writer, the string map and the arena. */
#include "fixture.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void rounds_half_away_from_zero(void **state)
{
	(void)state;
	assert_true(num_round(12.25, 1) == 12.3);
	assert_true(num_round(6.25, 1) == 6.3); /* not banker's 6.2 */
	assert_true(num_round(18.75, 1) == 18.8);
	assert_true(num_round(-1.25, 1) == -1.3);
	assert_true(num_round(2.675, 2) == 2.68); /* 2.67499999... in binary */
	assert_true(num_round(1.005, 2) == 1.01);
	assert_true(num_round(72.2222, 1) == 72.2);
	assert_true(num_round(0.04999, 1) == 0.0);
	assert_true(num_round(100.0 / 3, 3) == 33.333);
	assert_true(num_round(2.0 / 3, 3) == 0.667);
	assert_true(num_round(0.0, 1) == 0.0);
}

static void formats_shortest_exact(void **state)
{
	(void)state;
	struct {
		double x;
		const char *text;
	} cases[] = {{85.3, "85.3"},   {100, "100.0"},   {0, "0.0"},
	             {32240, "32240.0"}, {0.7, "0.7"},   {1.5, "1.5"},
	             {-83.19, "-83.19"}, {0.1 + 0.2, "0.30000000000000004"},
	             {123456789, "123456789.0"}, {0.333, "0.333"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[32];
		num_format(out, cases[i].x);
		assert_string_equal(out, cases[i].text);
	}
	struct {
		double x;
		const char *text;
	} tiny[] = {{1e-7, "0.0000001"}, {0.00005, "0.00005"},
	            {-0.00002, "-0.00002"}, {1.25e-5, "0.0000125"},
	            {1e20, "1e+20"}, {3.0e16, "30000000000000000.0"}};
	for (size_t i = 0; i < sizeof tiny / sizeof tiny[0]; i++) {
		char out[32];
		num_format(out, tiny[i].x);
		assert_string_equal(out, tiny[i].text);
		assert_true(strtod(out, NULL) == tiny[i].x);
	}
}

static void writes_json(void **state)
{
	(void)state;
	jsonw w;
	jw_init(&w, 0);
	jw_obj(&w);
	jw_key(&w, "s");
	jw_str(&w, "a\"b\\c\n\x01");
	jw_key(&w, "n");
	jw_null(&w);
	jw_key(&w, "a");
	jw_arr(&w);
	jw_int(&w, 1);
	jw_real(&w, 2.5);
	jw_bool(&w, true);
	jw_arr(&w);
	jw_arr_end(&w);
	jw_arr_end(&w);
	jw_key(&w, "d");
	jw_date(&w, fx_date("2026-01-31"));
	jw_obj_end(&w);
	char *text = jw_finish(&w);
	assert_string_equal(text, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":null,"
	                          "\"a\":[1,2.5,true,[]],\"d\":\"2026-01-31\"}");
	free(text);

	jw_init(&w, PW_JSON_PRETTY);
	jw_obj(&w);
	jw_key(&w, "a");
	jw_arr(&w);
	jw_int(&w, 1);
	jw_arr_end(&w);
	jw_key(&w, "e");
	jw_obj(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);
	text = jw_finish(&w);
	assert_string_equal(text, "{\n  \"a\": [\n    1\n  ],\n  \"e\": {}\n}\n");
	free(text);
}

static void maps_strings(void **state)
{
	(void)state;
	strmap m = {0};
	char keys[500][16];
	for (int i = 0; i < 500; i++) {
		snprintf(keys[i], sizeof keys[i], "key-%d", i);
		assert_true(strmap_put(&m, keys[i], (void *)(intptr_t)(i + 1)));
	}
	assert_int_equal(m.len, 500);
	for (int i = 0; i < 500; i++)
		assert_int_equal((intptr_t)strmap_get(&m, keys[i]), i + 1);
	assert_null(strmap_get(&m, "key-500"));
	assert_false(strmap_has(&m, "nope"));
	assert_true(strmap_put(&m, keys[7], (void *)(intptr_t)99));
	assert_int_equal(m.len, 500);
	assert_int_equal((intptr_t)strmap_get(&m, keys[7]), 99);
	strmap_release(&m);
	assert_null(strmap_get(&m, "key-1"));
}

static void arena_hands_out_zeroed_aligned_memory(void **state)
{
	(void)state;
	arena a = {0};
	for (int i = 0; i < 1000; i++) {
		size_t n = (size_t)(i * 37 % 300) + 1;
		unsigned char *p = arena_alloc(&a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xab, n);
	}
	char *big = arena_alloc(&a, 1 << 20); /* larger than a block */
	assert_non_null(big);
	assert_string_equal(arena_strdup(&a, "pathway"), "pathway");
	assert_null(arena_strdup(&a, NULL));
	arena_release(&a);
	arena_release(&a); /* a released arena can be released again */
}

static void checks_ids_and_codes(void **state)
{
	(void)state;
	assert_true(text_valid_id("ky-arh-cna_01:x.y"));
	assert_false(text_valid_id(""));
	assert_false(text_valid_id("a b"));
	assert_false(text_valid_id("caf\xc3\xa9"));
	char long_id[130];
	memset(long_id, 'a', 129);
	long_id[129] = '\0';
	assert_false(text_valid_id(long_id));
	long_id[128] = '\0';
	assert_true(text_valid_id(long_id));
	assert_true(text_is_soc_code("31-1131.00"));
	assert_false(text_is_soc_code("31-1131"));
	assert_false(text_is_soc_code("31-1131.0a"));
	assert_false(text_is_soc_code("311131.00"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rounds_half_away_from_zero),
	    cmocka_unit_test(formats_shortest_exact),
	    cmocka_unit_test(writes_json),
	    cmocka_unit_test(maps_strings),
	    cmocka_unit_test(arena_hands_out_zeroed_aligned_memory),
	    cmocka_unit_test(checks_ids_and_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
