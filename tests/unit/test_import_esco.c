/* test_import_esco.c - ESCO CSV import: concepts keyed by URI, labels and
 * alternative labels (multi-line quoted cells, " | " lists), the broader
 * hierarchy, essential relations, the label list, merging into stored
 * skills, re-import, and broken files leaving the store as it was. */
#include "fixture.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *src_path(const char *rel, char *buf, size_t size)
{
	const char *src = getenv("PATHWAY_SRC");
	snprintf(buf, size, "%s/%s", src && *src ? src : ".", rel);
	return buf;
}

static pw_status import(pw_engine *e, const char *rel, const char *labels,
                        pw_report **rep, pw_report **notes,
                        pw_import_summary *sum)
{
	char dir[4096], lab[4096];
	pw_error err;
	*rep = pw_report_new();
	*notes = pw_report_new();
	pw_import_opts o = {.notes = *notes,
	                    .labels = labels ? src_path(labels, lab, sizeof lab)
	                                     : NULL};
	return pw_import_esco(e, src_path(rel, dir, sizeof dir), &o, *rep, sum,
	                      &err);
}

static json_t *skill(pw_engine *e, const char *id)
{
	char *text;
	pw_error err;
	if (pw_show_json(e, PW_KIND_SKILL, id, 0, &text, &err))
		fail_msg("no skill '%s': %s", id, err.message);
	json_t *v = json_loads(text, 0, NULL);
	pw_free(text);
	assert_non_null(v);
	return v;
}

static bool has_string(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) ==
	                                  0) return true;
	return false;
}

static void full_release(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	pw_report *rep, *notes;
	pw_import_summary sum;
	pw_status st =
	    import(e, "tests/data/esco/full", NULL, &rep, &notes, &sum);
	if (st) {
		char *t = fx_report_text(rep);
		fail_msg("import failed:\n%s", t);
	}
	/* four skills and two groups; the unlabelled URI is left out */
	assert_int_equal(sum.created[PW_KIND_SKILL], 6);
	assert_int_equal(sum.updated[PW_KIND_SKILL], 0);

	json_t *s = skill(e, "esco.skill.aaa-1");
	assert_string_equal(json_string_value(json_object_get(s, "name")),
	                    "operate forklift");
	json_t *aliases = json_object_get(s, "aliases");
	/* one per line of the quoted cell, trimmed */
	assert_int_equal(json_array_size(aliases), 3);
	assert_true(has_string(aliases, "drive a forklift"));
	assert_true(has_string(aliases, "use forklifts"));
	assert_true(
	    has_string(json_object_get(s, "broader"), "esco.skill.grp-1"));
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(s, "codes"), "esco")),
	                    "http://data.europa.eu/esco/skill/aaa-1");
	json_t *rel = json_array_get(json_object_get(s, "related"), 0);
	assert_string_equal(json_string_value(json_object_get(rel, "skill")),
	                    "esco.skill.aaa-2");
	assert_true(json_real_value(json_object_get(rel, "weight")) == 0.5);
	json_decref(s);

	/* optional relations are noted, not mapped */
	s = skill(e, "esco.skill.aaa-3");
	assert_null(json_object_get(s, "related"));
	json_decref(s);
	assert_true(
	    fx_report_has(notes, NULL, NULL, "1 optional skill relations"));

	/* an ISCED-F group URI makes a valid id too */
	s = skill(e, "esco.isced-f.0613");
	assert_string_equal(json_string_value(json_object_get(s, "name")),
	                    "software and applications development and "
	                    "analysis");
	json_decref(s);
	pw_report_free(rep);
	pw_report_free(notes);

	/* a second import changes nothing */
	char *before = fx_dump(e);
	assert_int_equal(
	    import(e, "tests/data/esco/full", NULL, &rep, &notes, &sum), PW_OK);
	assert_int_equal(sum.created[PW_KIND_SKILL], 0);
	assert_int_equal(sum.updated[PW_KIND_SKILL], 0);
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	pw_report_free(rep);
	pw_report_free(notes);
	pw_close(e);
}

/* SPEC §6: a stored skill carrying the URI is updated, not duplicated, and
 * keeps everything it had. */
static void merges_into_stored_skill(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	fx_load_ok(e,
	           "{\"skills\": ["
	           "{\"id\": \"parent\", \"name\": \"Parent\"},"
	           "{\"id\": \"fork\", \"name\": \"Forklift\","
	           " \"aliases\": [\"lift truck\"], \"broader\": [\"parent\"],"
	           " \"pattern\": \"fork\\\\s*lift\","
	           " \"codes\": {\"esco\": "
	           "\"http://data.europa.eu/esco/skill/aaa-1\","
	           " \"onet\": \"2.C.1.a\"}}]}");
	pw_report *rep, *notes;
	pw_import_summary sum;
	assert_int_equal(
	    import(e, "tests/data/esco/full", NULL, &rep, &notes, &sum), PW_OK);
	assert_int_equal(sum.updated[PW_KIND_SKILL], 1);
	assert_int_equal(sum.created[PW_KIND_SKILL], 5);
	json_t *s = skill(e, "fork");
	assert_string_equal(json_string_value(json_object_get(s, "name")),
	                    "operate forklift");
	json_t *aliases = json_object_get(s, "aliases");
	assert_true(has_string(aliases, "lift truck"));
	assert_true(has_string(aliases, "Forklift")); /* the old name */
	assert_true(has_string(aliases, "drive a forklift"));
	json_t *broader = json_object_get(s, "broader");
	assert_true(has_string(broader, "parent"));
	assert_true(has_string(broader, "esco.skill.grp-1"));
	assert_string_equal(json_string_value(json_object_get(s, "pattern")),
	                    "fork\\s*lift");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(s, "codes"), "onet")),
	                    "2.C.1.a");
	/* the related edge names the stored id */
	json_t *rel = json_array_get(json_object_get(s, "related"), 0);
	assert_string_equal(json_string_value(json_object_get(rel, "skill")),
	                    "esco.skill.aaa-2");
	json_decref(s);
	pw_error err;
	char *text;
	assert_int_equal(
	    pw_show_json(e, PW_KIND_SKILL, "esco.skill.aaa-1", 0, &text, &err),
	    PW_ERR_NOT_FOUND);
	pw_report_free(rep);
	pw_report_free(notes);
	pw_close(e);
}

/* Without skills_en.csv, labels come from the collections and the list. */
static void label_list(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	pw_report *rep, *notes;
	pw_import_summary sum;
	assert_int_equal(import(e, "tests/data/esco/nolabels",
	                        "tests/data/esco/labels.txt", &rep, &notes,
	                        &sum),
	                 PW_OK);
	/* two groups, one collection skill, two skills known by label only */
	assert_int_equal(sum.created[PW_KIND_SKILL], 5);
	json_t *s = skill(e, "esco.skill.aaa-3");
	json_t *aliases = json_object_get(s, "aliases");
	assert_true(has_string(aliases, "give impetus"));
	json_decref(s);
	s = skill(e, "esco.label.operate-forklift");
	assert_string_equal(json_string_value(json_object_get(s, "name")),
	                    "operate forklift");
	assert_null(json_object_get(s, "codes"));
	json_decref(s);
	/* "show initiative" joined the concept with a URI */
	pw_error err;
	char *text;
	assert_int_equal(pw_show_json(e, PW_KIND_SKILL,
	                              "esco.label.show-initiative", 0, &text,
	                              &err),
	                 PW_ERR_NOT_FOUND);
	pw_report_free(rep);
	pw_report_free(notes);

	/* without the list, the absence is noted */
	pw_engine *e2 = fx_open();
	assert_int_equal(
	    import(e2, "tests/data/esco/nolabels", NULL, &rep, &notes, &sum),
	    PW_OK);
	assert_true(fx_report_has(notes, "skills_en.csv", "$", "--labels"));
	assert_int_equal(sum.created[PW_KIND_SKILL], 3);
	pw_report_free(rep);
	pw_report_free(notes);
	pw_close(e2);
	pw_close(e);
}

static void expect_rejected(const char *dir, const char *file, const char *path,
                            const char *reason)
{
	pw_engine *e = fx_open();
	fx_load_ok(e, "{\"skills\": [{\"id\": \"a\", \"name\": \"A\"}]}");
	char *before = fx_dump(e);
	pw_report *rep, *notes;
	pw_import_summary sum;
	assert_int_equal(import(e, dir, NULL, &rep, &notes, &sum),
	                 PW_ERR_INVALID);
	if (!fx_report_has(rep, file, path, reason)) {
		char *t = fx_report_text(rep);
		fail_msg("expected %s: %s: ...%s... in:\n%s", file, path,
		         reason, t);
	}
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	pw_report_free(rep);
	pw_report_free(notes);
	pw_close(e);
}

static void broken_files(void **state)
{
	(void)state;
	expect_rejected("tests/data/esco/badcol", NULL, "line 1",
	                "no column 'preferredLabel'");
	expect_rejected("tests/data/esco/baduri", NULL,
	                "line 2, column 'conceptUri'",
	                "'urn:not-esco' is not an ESCO URI");
	expect_rejected("tests/data/esco/openquote", NULL, "line 2",
	                "a quoted field never closes");

	pw_engine *e = fx_open();
	pw_error err;
	pw_report *rep = pw_report_new();
	char dir[4096];
	assert_int_equal(
	    pw_import_esco(e, src_path("tests/data/esco/none", dir, sizeof dir),
	                   NULL, rep, NULL, &err),
	    PW_ERR_IO);
	assert_non_null(strstr(err.message, "cannot open directory"));
	pw_import_opts o = {.labels = "/nonexistent/labels.txt"};
	assert_int_equal(pw_import_esco(e,
	                                src_path("tests/data/esco/nolabels",
	                                         dir, sizeof dir),
	                                &o, rep, NULL, &err),
	                 PW_ERR_NOT_FOUND);
	pw_report_free(rep);
	pw_close(e);
}

/* The reference copy of ESCO 1.2.0 with Decorte et al.'s label list. */
static void real_release(void **state)
{
	(void)state;
	char dir[4096], labels[4096];
	struct stat sb;
	src_path("../shared/data/esco_1_2_0", dir, sizeof dir);
	src_path("../shared/data/decorte_esco_skill_extraction/data/"
	         "skills_en_label.txt",
	         labels, sizeof labels);
	if (stat(dir, &sb) != 0 || stat(labels, &sb) != 0) {
		print_message("SKIPPED: ../shared/data/esco_1_2_0 or the "
		              "Decorte label list is absent\n");
		skip();
	}
	pw_engine *e = fx_open();
	pw_error err;
	pw_report *rep = pw_report_new(), *notes = pw_report_new();
	pw_import_opts o = {.notes = notes, .labels = labels};
	pw_import_summary sum;
	pw_status st = pw_import_esco(e, dir, &o, rep, &sum, &err);
	if (st)
		fail_msg("import esco: %s", err.message);
	/* every label of the list is a skill, with the groups and the
	 * collections' concepts besides */
	assert_true(sum.created[PW_KIND_SKILL] >= 13895);
	pw_list *l;
	assert_int_equal(
	    pw_list_entities(e, PW_KIND_SKILL, "Haskell", &l, &err), PW_OK);
	assert_true(l->count >= 1);
	pw_list_free(l);
	json_t *s = skill(e, "esco.skill.000f1d3d-220f-4789-9c0a-cc742521fb02");
	assert_string_equal(json_string_value(json_object_get(s, "name")),
	                    "Haskell");
	assert_true(json_array_size(json_object_get(s, "broader")) >= 1);
	json_decref(s);
	pw_report_free(rep);
	pw_report_free(notes);
	pw_close(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(full_release),
	    cmocka_unit_test(merges_into_stored_skill),
	    cmocka_unit_test(label_list),
	    cmocka_unit_test(broken_files),
	    cmocka_unit_test(real_release),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
