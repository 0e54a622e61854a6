/* test_store.c - the store: show/load round trips for every kind, list order and search, and opening, creating and refusing database files. */
#include "fixture.h"

#include <dirent.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char failure[16384];

static void load_ok(pw_engine *e, const char *doc)
{
	pw_report *rep = NULL;
	char *qd = fx_dq(doc);
	pw_status st = fx_load(e, qd, &rep);
	free(qd);
	if (st != PW_OK) {
		char *text = fx_report_text(rep);
		snprintf(failure, sizeof failure, "load failed (%s):\n%s",
		         pw_status_name(st), text);
		free(text);
		pw_report_free(rep);
		fail_msg("%s", failure);
	}
	pw_report_free(rep);
}

/* Every field of SPEC §1 for every kind, plus minimal entities whose
 * defaults the store must fill in. */
static const char full_doc[] =
    "{'skills': ["
    "  {'id': 's-weld', 'name': 'Soldadura B\\u00e1sica',"
    "   'aliases': ['MIG welding', 'Stick'],"
    "   'pattern': '\\\\bweld(ing|er)?\\\\b',"
    "   'broader': ['s-metal', 's-trade'],"
    "   'related': [{'skill': 's-safety', 'weight': 0.25},"
    "               {'skill': 's-trade', 'weight': 1}],"
    "   'codes': {'onet': '2.B.3.a',"
    "             'esco': 'http://data.europa.eu/esco/skill/abc-123'}},"
    "  {'id': 's-metal', 'name': 'Metalwork'},"
    "  {'id': 's-trade', 'name': 'Skilled trades'},"
    "  {'id': 's-safety', 'name': 'Shop safety', 'aliases': ['OSHA', 'Lockout']}"
    " ],"
    " 'credentials': ["
    "  {'id': 'c-osha', 'name': 'OSHA 10', 'skills': [{'skill': 's-safety'}],"
    "   'hours': 10, 'cost': 0},"
    "  {'id': 'c-part', 'name': 'Welding I', 'skills': [{'skill': 's-weld',"
    "   'level': 1}], 'hours': 40, 'cost': 300, 'modality': 'online'},"
    "  {'id': 'c-full', 'name': 'Welding certificate', 'provider': 'KCTCS',"
    "   'url': 'https://example.org/c/weld?x=1&y=2',"
    "   'description': 'Line one\\nLine \\\"two\\\" \\u2014 \\u00e9t\\u00e9',"
    "   'type': 'certificate',"
    "   'skills': [{'skill': 's-weld', 'level': 3}, {'skill': 's-metal',"
    "   'level': 4}, {'skill': 's-safety'}],"
    "   'hours': 120.5, 'cost': 899.99,"
    "   'aliases': ['urn:ctid:ce-1234', 'https://badges.example/a/77'],"
    "   'occupations': ['51-4121.00', '51-4122.00'], 'listed': false,"
    "   'prerequisites': ['c-osha'], 'components': ['c-part', 'c-osha'],"
    "   'expires_months': 36, 'modality': 'hybrid',"
    "   'location': {'lat': 37.6656, 'lon': -82.7718, 'county': '21071',"
    "                'city': 'Prestonsburg', 'state': 'KY'},"
    "   'college_credits': 6.5}"
    " ],"
    " 'occupations': ["
    "  {'id': '51-4121.00', 'title': 'Welders, Cutters, Solderers',"
    "   'description': 'Use hand-welding equipment.',"
    "   'aliases': ['Brazer', 'Fabricator'], 'job_zone': 2,"
    "   'education': 'High school diploma or equivalent',"
    "   'requirements': ["
    "     {'skill': 's-weld', 'level': 3, 'importance': 5, 'required': true},"
    "     {'any_of': [{'skill': 's-metal', 'level': 2}, {'skill': 's-trade'}],"
    "      'importance': 2, 'required': false}],"
    "   'wage': {'min': 39000, 'max': 61250.5, 'unit': 'year'},"
    "   'openings': 47600, 'growth_pct': -1.5},"
    "  {'id': '51-4122.00', 'title': 'Welding Machine Setters'}"
    " ],"
    " 'jobs': ["
    "  {'id': 'j-full', 'title': 'T\\u00e9cnico de Soldadura',"
    "   'employer': 'Acme Fabrication',"
    "   'description': 'Nights; 50% travel', 'url': 'https://acme.example/j/1',"
    "   'owner': 'acme-hr', 'soc': '51-4121.00',"
    "   'location': {'lat': 37.75, 'lon': -82.5, 'county': '21195',"
    "                'city': 'Pikeville', 'state': 'KY'},"
    "   'remote': true, 'wage': {'min': 18.5, 'max': 24, 'unit': 'hour'},"
    "   'openings': 3,"
    "   'requirements': ["
    "     {'skill': 's-weld', 'level': 2, 'importance': 4, 'required': true},"
    "     {'skill': 's-safety', 'level': 4, 'importance': 1, 'required': false},"
    "     {'any_of': [{'skill': 's-metal', 'level': 3},"
    "                 {'skill': 's-trade', 'level': 2}], 'importance': 5}],"
    "   'credentials_required': ['c-osha', {'any_of': ['c-full', 'c-part']}],"
    "   'posted': '2025-01-15', 'expires': '2025-03-31'},"
    "  {'id': 'j-min', 'title': 'Helper', 'employer': 'Beta Co',"
    "   'requirements': [{'skill': 's-safety'}]}"
    " ],"
    " 'learners': ["
    "  {'id': 'l-full', 'name': 'Dana \\u00d1u\\u00f1ez',"
    "   'contact': 'dana@example.org',"
    "   'home': {'lat': 37.7, 'lon': -82.6, 'county': '21071',"
    "            'city': 'Prestonsburg', 'state': 'KY'},"
    "   'max_commute_miles': 45.5, 'hours_per_week': 7.5,"
    "   'discoverable': true, 'share_contact': true,"
    "   'credentials': ["
    "     {'credential': 'c-osha', 'earned': '2024-02-29',"
    "      'expires': '2027-02-28',"
    "      'source': {'format': 'openbadges', 'id': 'urn:uuid:1234',"
    "                 'verified': true}},"
    "     {'credential': 'c-part', 'earned': '2024-09-01',"
    "      'source': {'format': 'clr', 'verified': false}},"
    "     {'credential': 'c-full', 'earned': '2025-01-02'}],"
    "   'demographics': {'gender': 'female', 'race_ethnicity': 'hispanic',"
    "                    'age_band': '25-34'}},"
    "  {'id': 'l-min'}"
    " ]}";

/* ---- helpers -------------------------------------------------------------------- */

static char *show(pw_engine *e, pw_kind kind, const char *id, unsigned flags)
{
	char *doc = NULL;
	pw_error err;
	if (pw_show_json(e, kind, id, flags, &doc, &err) != PW_OK)
		fail_msg("show %s %s failed: %s", pw_kind_name(kind), id,
		         err.message);
	return doc;
}

static json_t *show_obj(pw_engine *e, pw_kind kind, const char *id)
{
	json_error_t jerr;
	char *doc = show(e, kind, id, 0);
	json_t *v = json_loads(doc, JSON_REJECT_DUPLICATES, &jerr);
	if (!v) {
		snprintf(failure, sizeof failure, "show %s is not JSON: %s\n%s", id,
		         jerr.text, doc);
		pw_free(doc);
		fail_msg("%s", failure);
	}
	pw_free(doc);
	return v;
}

/* Is everything the input says also said by the output, with the same
 * meaning? Numbers compare by value (10 and 10.0 agree); the output may
 * carry more keys (filled-in defaults). */
static bool says(json_t *in, json_t *out, char *where, size_t cap)
{
	if (json_is_number(in) && json_is_number(out))
		return json_number_value(in) == json_number_value(out);
	if (json_typeof(in) != json_typeof(out))
		return false;
	size_t len = strlen(where);
	if (json_is_object(in)) {
		const char *key;
		json_t *v;
		json_object_foreach(in, key, v)
		{
			snprintf(where + len, cap - len, ".%s", key);
			json_t *o = json_object_get(out, key);
			if (!o || !says(v, o, where, cap))
				return false;
		}
		where[len] = '\0';
		return true;
	}
	if (json_is_array(in)) {
		if (json_array_size(in) != json_array_size(out))
			return false;
		for (size_t i = 0; i < json_array_size(in); i++) {
			snprintf(where + len, cap - len, "[%zu]", i);
			if (!says(json_array_get(in, i), json_array_get(out, i), where,
			          cap))
				return false;
		}
		where[len] = '\0';
		return true;
	}
	return json_equal(in, out);
}

static const char *str_at(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_int_t int_at(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* ---- round trip ----------------------------------------------------------------- */

static void round_trip_every_kind(void **state)
{
	(void)state;
	pw_engine *a = fx_open();
	load_ok(a, full_doc);

	/* everything a shows, as one native document */
	json_t *again = json_object();
	size_t total = 0;
	for (int k = 0; k < PW_KIND_COUNT; k++) {
		pw_list *l;
		pw_error err;
		assert_int_equal(pw_list_entities(a, (pw_kind)k, NULL, &l, &err),
		                 PW_OK);
		json_t *arr = json_array();
		for (size_t i = 0; i < l->count; i++) {
			char *doc = show(a, (pw_kind)k, l->items[i].id, 0);
			json_t *v = json_loads(doc, JSON_REJECT_DUPLICATES, NULL);
			pw_free(doc);
			assert_non_null(v);
			json_array_append_new(arr, v);
			total++;
		}
		pw_list_free(l);
		json_object_set_new(again, pw_kind_name((pw_kind)k), arr);
	}
	assert_int_equal(total, 4 + 3 + 2 + 2 + 2);
	char *text = json_dumps(again, 0);
	json_decref(again);
	assert_non_null(text);

	pw_engine *b = fx_open();
	pw_report *rep = NULL;
	pw_status st = fx_load(b, text, &rep);
	char *rtext = fx_report_text(rep);
	pw_report_free(rep);
	free(text);
	if (st != PW_OK) {
		snprintf(failure, sizeof failure, "reloading what show printed "
		                                  "failed:\n%s", rtext);
		free(rtext);
		fail_msg("%s", failure);
	}
	free(rtext);

	/* byte-identical, compact and pretty */
	for (int k = 0; k < PW_KIND_COUNT; k++) {
		pw_list *l;
		pw_error err;
		assert_int_equal(pw_list_entities(a, (pw_kind)k, NULL, &l, &err),
		                 PW_OK);
		for (size_t i = 0; i < l->count; i++)
			for (unsigned flags = 0; flags <= PW_JSON_PRETTY; flags++) {
				char *x = show(a, (pw_kind)k, l->items[i].id, flags);
				char *y = show(b, (pw_kind)k, l->items[i].id, flags);
				int same = strcmp(x, y);
				if (same != 0)
					snprintf(failure, sizeof failure,
					         "%s differs after a round trip:\n%s\n%s",
					         l->items[i].id, x, y);
				pw_free(x);
				pw_free(y);
				if (same != 0) {
					pw_list_free(l);
					fail_msg("%s", failure);
				}
			}
		pw_list_free(l);
	}
	char *da = fx_dump(a), *db = fx_dump(b);
	assert_string_equal(da, db);
	free(da);
	free(db);
	pw_close(a);
	pw_close(b);
}

static void shows_what_was_loaded(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	load_ok(e, full_doc);
	char *doc = fx_dq(full_doc);
	json_t *input = json_loads(doc, JSON_REJECT_DUPLICATES, NULL);
	free(doc);
	assert_non_null(input);

	for (int k = 0; k < PW_KIND_COUNT; k++) {
		json_t *arr = json_object_get(input, pw_kind_name((pw_kind)k));
		for (size_t i = 0; i < json_array_size(arr); i++) {
			json_t *in = json_array_get(arr, i);
			json_t *out = show_obj(e, (pw_kind)k, str_at(in, "id"));
			char where[512] = "";
			bool ok = says(in, out, where, sizeof where);
			if (!ok) {
				char *a = json_dumps(in, 0), *b = json_dumps(out, 0);
				snprintf(failure, sizeof failure,
				         "%s: the output does not say what the input said "
				         "at %s\nin:  %s\nout: %s",
				         str_at(in, "id"), where, a, b);
				free(a);
				free(b);
			}
			json_decref(out);
			if (!ok) {
				json_decref(input);
				fail_msg("%s", failure);
			}
		}
	}
	json_decref(input);

	/* the text that needs escaping or is not ASCII comes back as it was */
	json_t *c = show_obj(e, PW_KIND_CREDENTIAL, "c-full");
	assert_string_equal(str_at(c, "description"),
	                    "Line one\nLine \"two\" \xe2\x80\x94 \xc3\xa9t\xc3\xa9");
	json_decref(c);
	json_t *s = show_obj(e, PW_KIND_SKILL, "s-weld");
	assert_string_equal(str_at(s, "name"), "Soldadura B\xc3\xa1sica");
	assert_string_equal(str_at(s, "pattern"), "\\bweld(ing|er)?\\b");
	json_decref(s);
	pw_close(e);
}

static void fills_in_defaults(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	load_ok(e, full_doc);

	json_t *c = show_obj(e, PW_KIND_CREDENTIAL, "c-osha");
	assert_string_equal(str_at(c, "type"), "micro-credential");
	assert_true(json_is_true(json_object_get(c, "listed")));
	json_t *sk = json_array_get(json_object_get(c, "skills"), 0);
	assert_string_equal(str_at(sk, "skill"), "s-safety");
	assert_int_equal(int_at(sk, "level"), 2);
	json_decref(c);

	/* a level given is kept; the one left out in the same list defaults */
	c = show_obj(e, PW_KIND_CREDENTIAL, "c-full");
	json_t *skills = json_object_get(c, "skills");
	assert_int_equal(int_at(json_array_get(skills, 0), "level"), 3);
	assert_int_equal(int_at(json_array_get(skills, 2), "level"), 2);
	assert_true(json_is_false(json_object_get(c, "listed")));
	json_decref(c);

	json_t *j = show_obj(e, PW_KIND_JOB, "j-min");
	assert_string_equal(str_at(j, "owner"), "Beta Co");
	assert_int_equal(int_at(j, "openings"), 1);
	assert_true(json_is_false(json_object_get(j, "remote")));
	json_t *r = json_array_get(json_object_get(j, "requirements"), 0);
	assert_string_equal(str_at(r, "skill"), "s-safety");
	assert_int_equal(int_at(r, "level"), 1);
	assert_int_equal(int_at(r, "importance"), 3);
	assert_true(json_is_true(json_object_get(r, "required")));
	json_decref(j);

	/* an owner given is kept; an any_of entry's defaults */
	j = show_obj(e, PW_KIND_JOB, "j-full");
	assert_string_equal(str_at(j, "owner"), "acme-hr");
	r = json_array_get(json_object_get(j, "requirements"), 2);
	assert_int_equal(int_at(r, "importance"), 5);
	assert_true(json_is_true(json_object_get(r, "required")));
	assert_null(json_object_get(r, "skill"));
	json_decref(j);

	json_t *o = show_obj(e, PW_KIND_OCCUPATION, "51-4121.00");
	r = json_array_get(json_object_get(o, "requirements"), 1);
	json_t *alt = json_array_get(json_object_get(r, "any_of"), 1);
	assert_string_equal(str_at(alt, "skill"), "s-trade");
	assert_int_equal(int_at(alt, "level"), 1);
	json_decref(o);

	json_t *l = show_obj(e, PW_KIND_LEARNER, "l-min");
	assert_true(json_is_false(json_object_get(l, "discoverable")));
	assert_true(json_is_false(json_object_get(l, "share_contact")));
	json_decref(l);
	pw_close(e);
}

static void show_missing_is_not_found(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	load_ok(e, full_doc);
	const char *ids[PW_KIND_COUNT] = {"no-skill", "no-cred", "99-9999.99",
	                                  "no-job", "no-learner"};
	char sentinel[] = "untouched";
	for (int k = 0; k < PW_KIND_COUNT; k++) {
		char *out = sentinel;
		pw_error err = {0};
		pw_status st = pw_show_json(e, (pw_kind)k, ids[k], 0, &out, &err);
		assert_int_equal(st, PW_ERR_NOT_FOUND);
		assert_ptr_equal(out, sentinel);
		assert_non_null(strstr(err.message, ids[k]));
	}
	/* an id of another kind is not found either */
	char *out = sentinel;
	pw_error err;
	assert_int_equal(pw_show_json(e, PW_KIND_CREDENTIAL, "s-weld", 0, &out,
	                              &err),
	                 PW_ERR_NOT_FOUND);
	assert_int_equal(pw_show_json(e, PW_KIND_JOB, "51-4121.00", 0, &out, &err),
	                 PW_ERR_NOT_FOUND);
	assert_ptr_equal(out, sentinel);
	pw_close(e);
}

/* SPEC §8: numbers print in their shortest exact form, small ones too. */
static void show_prints_shortest_numbers(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	load_ok(e, "{'skills': [{'id': 'x', 'name': 'X'}, {'id': 'y', 'name': 'Y',"
	           "  'related': [{'skill': 'x', 'weight': 0.00005}]}],"
	           " 'jobs': [{'id': 'j', 'title': 'T',"
	           "  'location': {'lat': 0.0001, 'lon': -0.00002}}]}");
	char *skill = show(e, PW_KIND_SKILL, "y", 0);
	char *job = show(e, PW_KIND_JOB, "j", 0);
	snprintf(failure, sizeof failure, "%s\n%s", skill, job);
	bool weight = strstr(skill, "\"weight\":5e-05}") ||
	              strstr(skill, "\"weight\":5e-5}") ||
	              strstr(skill, "\"weight\":0.00005}");
	bool lat = strstr(job, "\"lat\":0.0001,") ||
	           strstr(job, "\"lat\":1e-4,") || strstr(job, "\"lat\":1e-04,");
	bool lon = strstr(job, "\"lon\":-2e-05}") ||
	           strstr(job, "\"lon\":-2e-5}") ||
	           strstr(job, "\"lon\":-0.00002}");
	pw_free(skill);
	pw_free(job);
	pw_close(e);
	if (!weight || !lat || !lon)
		fail_msg("not the shortest form:\n%s", failure);
}

/* ---- list ------------------------------------------------------------------------ */

/* The ids of kind that q finds, joined by spaces. */
static char *found(pw_engine *e, pw_kind kind, const char *needle)
{
	pw_list *l;
	pw_error err;
	char *out = calloc(1, 1024);
	assert_non_null(out);
	if (pw_list_entities(e, kind, needle, &l, &err) != PW_OK) {
		free(out);
		fail_msg("list %s --q '%s' failed: %s", pw_kind_name(kind),
		         needle ? needle : "", err.message);
	}
	for (size_t i = 0; i < l->count; i++) {
		if (i)
			strcat(out, " ");
		strncat(out, l->items[i].id, 1000 - strlen(out));
	}
	pw_list_free(l);
	return out;
}

static void expect_found(pw_engine *e, pw_kind kind, const char *needle,
                         const char *ids)
{
	char *got = found(e, kind, needle);
	int same = strcmp(got, ids);
	if (same != 0)
		snprintf(failure, sizeof failure, "list %s --q '%s': got '%s', want "
		         "'%s'", pw_kind_name(kind), needle ? needle : "(none)", got,
		         ids);
	free(got);
	if (same != 0)
		fail_msg("%s", failure);
}

static void list_sorted_by_id(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	load_ok(e, "{'skills': [{'id': 'b-skill', 'name': 'B'},"
	           "  {'id': 'a-skill', 'name': 'A dash'}, {'id': 'a', 'name': 'A'},"
	           "  {'id': 'Z', 'name': 'Upper Z'}, {'id': '_x', 'name': 'X'},"
	           "  {'id': '0', 'name': 'Zero'}, {'id': 'A-skill', 'name': 'A up'}],"
	           " 'jobs': [{'id': 'j2', 'title': 'Second'},"
	           "  {'id': 'j10', 'title': 'Tenth'}, {'id': 'j1', 'title': 'First'}]}");
	expect_found(e, PW_KIND_SKILL, NULL, "0 A-skill Z _x a a-skill b-skill");
	expect_found(e, PW_KIND_JOB, NULL, "j1 j10 j2");
	expect_found(e, PW_KIND_LEARNER, NULL, "");

	pw_list *l;
	pw_error err;
	assert_int_equal(pw_list_entities(e, PW_KIND_JOB, NULL, &l, &err), PW_OK);
	assert_int_equal(l->kind, PW_KIND_JOB);
	assert_int_equal(l->count, 3);
	assert_string_equal(l->items[0].name, "First"); /* the title */
	assert_string_equal(l->items[2].name, "Second");
	pw_list_free(l);
	pw_close(e);
}

static void list_search(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	load_ok(e, full_doc);
	load_ok(e, "{'skills': [{'id': 'cpp', 'name': 'C++ (basics)'},"
	           "  {'id': 'x-pair', 'name': 'Pair', 'aliases': ['ab', 'cd']}]}");

	/* by id, by name, by alias, ignoring case */
	expect_found(e, PW_KIND_SKILL, "-WELD", "s-weld");
	expect_found(e, PW_KIND_SKILL, "SHOP", "s-safety");
	expect_found(e, PW_KIND_SKILL, "lockOUT", "s-safety");
	expect_found(e, PW_KIND_SKILL, "mig", "s-weld");
	expect_found(e, PW_KIND_SKILL, "s-", "s-metal s-safety s-trade s-weld");
	/* Unicode-aware: Á folds to á */
	expect_found(e, PW_KIND_SKILL, "B\xc3\x81SICA", "s-weld");
	expect_found(e, PW_KIND_SKILL, "b\xc3\xa1sica", "s-weld");
	/* a literal, not a pattern */
	expect_found(e, PW_KIND_SKILL, "c++", "cpp");
	expect_found(e, PW_KIND_SKILL, "(BASICS)", "cpp");
	expect_found(e, PW_KIND_SKILL, "(", "cpp");
	expect_found(e, PW_KIND_SKILL, ".*", "");
	/* one alias must hold the text; it does not span two */
	expect_found(e, PW_KIND_SKILL, "CD", "x-pair");
	expect_found(e, PW_KIND_SKILL, "bc", "");
	expect_found(e, PW_KIND_SKILL, "nothing like it", "");

	expect_found(e, PW_KIND_CREDENTIAL, "CE-1234", "c-full");
	expect_found(e, PW_KIND_CREDENTIAL, "osha", "c-osha");
	expect_found(e, PW_KIND_OCCUPATION, "brazer", "51-4121.00");
	expect_found(e, PW_KIND_OCCUPATION, "SETTERS", "51-4122.00");
	expect_found(e, PW_KIND_OCCUPATION, "51-412", "51-4121.00 51-4122.00");
	expect_found(e, PW_KIND_JOB, "T\xc3\x89" "CNICO", "j-full");
	expect_found(e, PW_KIND_JOB, "HELPER", "j-min");
	expect_found(e, PW_KIND_LEARNER, "\xc3\x91U\xc3\x91" "EZ", "l-full");
	expect_found(e, PW_KIND_LEARNER, "L-", "l-full l-min");
	pw_close(e);
}

/* ---- opening ---------------------------------------------------------------------- */

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *ent;
	char path[512];
	while ((ent = readdir(d)) != NULL) {
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
		remove(path);
	}
	closedir(d);
	rmdir(dir);
}

typedef struct tmp {
	char dir[64];
} tmp;

static int tmp_setup(void **state)
{
	tmp *t = calloc(1, sizeof *t);
	if (!t)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/pw-test-store-XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	tmp *t = *state;
	remove_tree(t->dir);
	free(t);
	return 0;
}

static void in_dir(void **state, const char *name, char out[static 256])
{
	const tmp *t = *state;
	snprintf(out, 256, "%s/%s", t->dir, name);
}

static bool exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

static void write_bytes(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static int user_version_of(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) ==
	        SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void open_missing_without_create(void **state)
{
	char path[256], want[300];
	in_dir(state, "none.db", path);
	pw_engine *e = NULL;
	pw_error err = {0};
	assert_int_equal(pw_open(path, 0, &e, &err), PW_ERR_IO);
	assert_null(e);
	snprintf(want, sizeof want, "no database at '%s'", path);
	assert_string_equal(err.message, want);
	assert_false(exists(path));
}

static void open_with_create(void **state)
{
	char path[256];
	in_dir(state, "new.db", path);
	pw_engine *e = NULL;
	pw_error err = {0};
	if (pw_open(path, PW_OPEN_CREATE, &e, &err) != PW_OK)
		fail_msg("create failed: %s", err.message);
	assert_non_null(e);
	assert_true(exists(path));
	pw_close(e);
	assert_true(user_version_of(path) >= 1);

	/* now it opens without the flag, empty */
	e = NULL;
	if (pw_open(path, 0, &e, &err) != PW_OK)
		fail_msg("reopen failed: %s", err.message);
	char *dump = fx_dump(e);
	assert_string_equal(dump, "");
	free(dump);
	pw_close(e);
}

static void open_garbage_file(void **state)
{
	char path[256];
	unsigned char junk[8192];
	uint32_t x = 2463534242u;
	in_dir(state, "junk.db", path);
	memcpy(junk, "this is not a database, just bytes", 34);
	for (size_t i = 34; i < sizeof junk; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		junk[i] = (unsigned char)x;
	}
	write_bytes(path, junk, sizeof junk);

	for (unsigned flags = 0; flags <= PW_OPEN_CREATE; flags++) {
		pw_engine *e = NULL;
		pw_error err = {0};
		pw_status st = pw_open(path, flags, &e, &err);
		pw_close(e);
		assert_int_equal(st, PW_ERR_DB);
		assert_null(e);
		if (!strstr(err.message, "not a pathway database"))
			fail_msg("message: %s", err.message);
		assert_non_null(strstr(err.message, path));
	}
	/* and the file is left as it was */
	size_t len = 0;
	char *back = fx_read_file(path, &len);
	assert_non_null(back);
	assert_int_equal(len, sizeof junk);
	assert_memory_equal(back, junk, sizeof junk);
	free(back);
}

static void open_empty_file(void **state)
{
	char path[256];
	in_dir(state, "empty.db", path);
	write_bytes(path, "", 0);

	pw_engine *e = NULL;
	pw_error err = {0};
	pw_status st = pw_open(path, 0, &e, &err);
	pw_close(e);
	assert_int_equal(st, PW_ERR_DB);
	assert_null(e);
	if (!strstr(err.message, "run 'pathway init'"))
		fail_msg("message: %s", err.message);

	/* init on an empty file makes it a store */
	if (pw_open(path, PW_OPEN_CREATE, &e, &err) != PW_OK)
		fail_msg("create on an empty file failed: %s", err.message);
	pw_close(e);
	assert_true(user_version_of(path) >= 1);
}

static void sqlite_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(rc, SQLITE_OK);
}

static void open_foreign_and_future_databases(void **state)
{
	char path[256];
	pw_engine *e = NULL;
	pw_error err = {0};

	/* an SQLite file that is someone else's */
	in_dir(state, "other.db", path);
	sqlite_exec(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
	                  "INSERT INTO notes (body) VALUES ('hello');");
	pw_status st = pw_open(path, 0, &e, &err);
	pw_close(e);
	assert_int_not_equal(st, PW_OK);
	assert_null(e);
	if (!strstr(err.message, "not a pathway database"))
		fail_msg("message: %s", err.message);

	/* a store from a newer pathway */
	in_dir(state, "future.db", path);
	e = NULL;
	assert_int_equal(pw_open(path, PW_OPEN_CREATE, &e, &err), PW_OK);
	pw_close(e);
	sqlite_exec(path, "PRAGMA user_version = 999;");
	e = NULL;
	st = pw_open(path, 0, &e, &err);
	pw_close(e);
	assert_int_equal(st, PW_ERR_DB);
	assert_null(e);
	if (!strstr(err.message, "999"))
		fail_msg("message: %s", err.message);
	assert_int_equal(user_version_of(path), 999);
}

static void open_directory(void **state)
{
	const tmp *t = *state;
	pw_engine *e = NULL;
	pw_error err = {0};
	for (unsigned flags = 0; flags <= PW_OPEN_CREATE; flags++) {
		pw_status st = pw_open(t->dir, flags, &e, &err);
		pw_close(e);
		assert_int_equal(st, PW_ERR_IO);
		assert_null(e);
		assert_non_null(strstr(err.message, t->dir));
	}
}

static void reopen_keeps_data(void **state)
{
	char path[256];
	in_dir(state, "kept.db", path);
	pw_engine *e = NULL;
	pw_error err = {0};
	if (pw_open(path, PW_OPEN_CREATE, &e, &err) != PW_OK)
		fail_msg("create failed: %s", err.message);
	load_ok(e, full_doc);
	char *before = fx_dump(e);
	pw_close(e);

	/* opening with the create flag again must not reset it either */
	for (unsigned flags = 0; flags <= PW_OPEN_CREATE; flags++) {
		e = NULL;
		if (pw_open(path, flags, &e, &err) != PW_OK)
			fail_msg("reopen failed: %s", err.message);
		char *after = fx_dump(e);
		int same = strcmp(before, after);
		free(after);
		if (same != 0) {
			pw_close(e);
			free(before);
			fail_msg("the data changed across a reopen");
		}
		pw_close(e);
	}

	/* and it still takes writes */
	e = NULL;
	assert_int_equal(pw_open(path, 0, &e, &err), PW_OK);
	load_ok(e, "{'skills': [{'id': 's-new', 'name': 'New',"
	           "  'broader': ['s-weld']}]}");
	pw_close(e);
	e = NULL;
	assert_int_equal(pw_open(path, 0, &e, &err), PW_OK);
	char *doc = show(e, PW_KIND_SKILL, "s-new", 0);
	pw_free(doc);
	pw_close(e);
	free(before);
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip_every_kind),
	    cmocka_unit_test(shows_what_was_loaded),
	    cmocka_unit_test(fills_in_defaults),
	    cmocka_unit_test(show_missing_is_not_found),
	    cmocka_unit_test(show_prints_shortest_numbers),
	    cmocka_unit_test(list_sorted_by_id),
	    cmocka_unit_test(list_search),
	    TMP_TEST(open_missing_without_create),
	    TMP_TEST(open_with_create),
	    TMP_TEST(open_garbage_file),
	    TMP_TEST(open_empty_file),
	    TMP_TEST(open_foreign_and_future_databases),
	    TMP_TEST(open_directory),
	    TMP_TEST(reopen_keeps_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
