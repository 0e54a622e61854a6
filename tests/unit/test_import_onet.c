/* test_import_onet.c - `import onet` and `import bls`: the mapping of O*NET
 * ratings onto requirements (importance, level bands, required and
 * preferred, technologies), the content-model taxonomy, merging into stored
 * skills and occupations (SPEC §6), alternate titles and related
 * occupations, BOM + CRLF and CSV-quoted copies, broken files (missing
 * column, bad number, truncated line, unknown occupation...) leaving the
 * store as it was, re-imports that change nothing, the BLS SOC mapping with
 * its aggregate codes, and both importers on the real releases in
 * ../shared/data (skipped, saying so, when that folder is absent). */
#include "fixture.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GOOD     "tests/data/onet/good"
#define BROKEN   "tests/data/onet/broken"
#define BLS      "tests/data/bls/good"
#define BLS_BAD  "tests/data/bls/broken"
#define REAL     "onet_29_3"
#define REAL_EP  "bls_employment_projections_2024_34"
#define REAL_OEW "bls_oews_2024"

static const char *const onet_files[] = {"Content Model Reference.txt",
                                         "Occupation Data.txt",
                                         "Skills.txt",
                                         "Knowledge.txt",
                                         "Technology Skills.txt",
                                         "Job Zones.txt",
                                         "Alternate Titles.txt",
                                         "Related Occupations.txt",
                                         NULL};

/* ---- paths and temporary folders ---- */

static const char *src_path(const char *rel, char *buf, size_t size)
{
	const char *src = getenv("PATHWAY_SRC");
	snprintf(buf, size, "%s/%s", src && *src ? src : ".", rel);
	return buf;
}

/* ../shared/data/NAME, or NULL when it is not there. */
static const char *shared_data(const char *name, char *buf, size_t size)
{
	const char *src = getenv("PATHWAY_SRC");
	struct stat sb;
	snprintf(buf, size, "%s/../shared/data/%s", src && *src ? src : ".",
	         name);
	return stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode) ? buf : NULL;
}

static char *make_tmp(void)
{
	const char *base = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/pw-onet-XXXXXX",
	         base && *base ? base : "/tmp");
	char *dir = mkdtemp(path);
	assert_non_null(dir);
	char *out = strdup(dir);
	assert_non_null(out);
	return out;
}

/* Removes a folder this test made, with what is in it. */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	char path[4096];
	if (!d)
		return;
	while ((ent = readdir(d))) {
		if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
		struct stat sb;
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			remove_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

enum shape { PLAIN, BOM_CRLF, QUOTED };

/* Copies src to dst: as it is, with a byte-order mark and CRLF line ends,
 * or with every field in CSV quotes (inner quotes doubled), as third-party
 * copies of O*NET files come. */
static void copy_file(const char *src, const char *dst, enum shape shape)
{
	size_t len;
	char *text = fx_read_file(src, &len);
	if (!text)
		fail_msg("cannot read '%s'", src);
	FILE *f = fopen(dst, "wb");
	assert_non_null(f);
	if (shape == BOM_CRLF)
		fputs("\xEF\xBB\xBF", f);
	bool start = true;
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (shape == QUOTED && start && ch != '\n')
			fputc('"', f);
		start = false;
		if (shape == QUOTED && (ch == '\t' || ch == '\n')) {
			fputc('"', f);
			start = true;
		}
		if (shape == QUOTED && ch == '"')
			fputc('"', f);
		if (shape == BOM_CRLF && ch == '\n')
			fputc('\r', f);
		fputc(ch, f);
	}
	fclose(f);
	free(text);
}

/* A temporary folder holding the good O*NET files, with `name` replaced by
 * the broken variant `broken` (a file of BROKEN), or left out when broken
 * is "". */
static char *onet_dir(enum shape shape, const char *name, const char *broken)
{
	char *dir = make_tmp();
	char src[4096], dst[4096], rel[512];
	for (size_t i = 0; onet_files[i]; i++) {
		const char *file = onet_files[i];
		snprintf(dst, sizeof dst, "%s/%s", dir, file);
		if (name && strcmp(name, file) == 0) {
			if (!*broken)
				continue;
			snprintf(rel, sizeof rel, "%s/%s", BROKEN, broken);
		} else
			snprintf(rel, sizeof rel, "%s/%s", GOOD, file);
		copy_file(src_path(rel, src, sizeof src), dst, shape);
	}
	return dir;
}

/* ---- running imports ---- */

typedef struct run {
	pw_status st;
	pw_report *rep, *notes;
	pw_import_summary sum;
	pw_error err;
} run;

static void run_free(run *r)
{
	pw_report_free(r->rep);
	pw_report_free(r->notes);
}

static run import_onet(pw_engine *e, const char *dir)
{
	run r = {0};
	r.rep = pw_report_new();
	r.notes = pw_report_new();
	assert_non_null(r.rep);
	assert_non_null(r.notes);
	pw_import_opts o = {.notes = r.notes};
	r.st = pw_import_onet(e, dir, &o, r.rep, &r.sum, &r.err);
	return r;
}

static run import_bls(pw_engine *e, const char *dir)
{
	run r = {0};
	r.rep = pw_report_new();
	r.notes = pw_report_new();
	assert_non_null(r.rep);
	assert_non_null(r.notes);
	pw_import_opts o = {.notes = r.notes};
	r.st = pw_import_bls(e, dir, &o, r.rep, &r.sum, &r.err);
	return r;
}

static void expect_ok(run *r)
{
	if (r->st) {
		char *text = fx_report_text(r->rep);
		fail_msg("import failed (%s: %s):\n%s", pw_status_name(r->st),
		         r->err.message, text);
	}
}

static json_t *show(pw_engine *e, pw_kind kind, const char *id)
{
	char *text;
	pw_error err;
	if (pw_show_json(e, kind, id, 0, &text, &err))
		fail_msg("no %s '%s': %s", pw_kind_name(kind), id, err.message);
	json_t *v = json_loads(text, 0, NULL);
	pw_free(text);
	assert_non_null(v);
	return v;
}

static bool exists(pw_engine *e, pw_kind kind, const char *id)
{
	char *text;
	pw_error err;
	pw_status st = pw_show_json(e, kind, id, 0, &text, &err);
	if (!st)
		pw_free(text);
	return st == PW_OK;
}

/* Fails unless value (JSON) equals the JSON text want (quoted with '). */
static void expect_json(const json_t *value, const char *want)
{
	char *dq = fx_dq(want);
	json_error_t jerr;
	json_t *w = json_loads(dq, JSON_DECODE_ANY, &jerr);
	if (!w)
		fail_msg("bad JSON in the test: %s: %s", jerr.text, dq);
	free(dq);
	if (!json_equal(value, w)) {
		char *a = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY),
		     *b = json_dumps(w, JSON_COMPACT | JSON_ENCODE_ANY);
		print_error("got:  %s\nwant: %s\n", a, b);
		free(a);
		free(b);
		json_decref(w);
		fail();
	}
	json_decref(w);
}

/* The id of the one skill whose name is exactly name. */
static char *skill_named(pw_engine *e, const char *name)
{
	pw_list *l;
	pw_error err;
	char *id = NULL;
	if (pw_list_entities(e, PW_KIND_SKILL, name, &l, &err))
		fail_msg("list: %s", err.message);
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].name, name) == 0) {
			assert_null(id);
			id = strdup(l->items[i].id);
		}
	pw_list_free(l);
	if (!id)
		fail_msg("no skill named '%s'", name);
	return id;
}

static size_t count(pw_engine *e, pw_kind kind)
{
	pw_list *l;
	pw_error err;
	if (pw_list_entities(e, kind, NULL, &l, &err))
		fail_msg("list: %s", err.message);
	size_t n = l->count;
	pw_list_free(l);
	return n;
}

/* ---- O*NET: the mapping on the small files ---- */

static void onet_requirements_follow_the_mapping(void **state)
{
	(void)state;
	char dir[4096];
	pw_engine *e = fx_open();
	run r = import_onet(e, src_path(GOOD, dir, sizeof dir));
	expect_ok(&r);
	assert_int_equal(r.sum.created[PW_KIND_OCCUPATION], 3);
	/* 7 rated elements, 8 content-model ancestors, Technology Skills,
	 * 3 commodities, 3 examples ("Spreadsheet software" only names its
	 * commodity) */
	assert_int_equal(r.sum.created[PW_KIND_SKILL], 22);
	assert_int_equal(pw_report_count(r.notes), 0);

	/* IM rounds to importance; LV takes the nearest anchor's level;
	 * basic and social skills stay preferred; knowledge rated IM >= 3.5
	 * is required; a level marked not relevant (2.B.3.j) and a
	 * suppressed estimate (2.C.10's LV) are left out; the In Demand
	 * technology is preferred at importance 2 */
	json_t *o = show(e, PW_KIND_OCCUPATION, "31-1131.00");
	expect_json(json_object_get(o, "requirements"),
	            "[{'skill': 'onet.2.A.1.a', 'level': 2, 'importance': 4, "
	            "'required': false},"
	            " {'skill': 'onet.2.A.1.d', 'level': 2, 'importance': 4, "
	            "'required': false},"
	            " {'skill': 'onet.2.B.1.f', 'level': 2, 'importance': 4, "
	            "'required': false},"
	            " {'skill': 'onet.2.C.5.a', 'level': 2, 'importance': 4, "
	            "'required': true},"
	            " {'skill': 'onet.2.C.1.e', 'level': 3, 'importance': 4, "
	            "'required': true},"
	            " {'skill': 'onet.tech.microsoft-excel', 'level': 1, "
	            "'importance': 2, 'required': false}]");
	expect_json(json_object_get(o, "title"), "'Nursing Assistants'");
	expect_json(json_object_get(o, "description"),
	            "'Give basic \\'hands-on\\' care to patients in hospitals "
	            "and care homes.'");
	/* an alternate title equal to the title is no alias; short titles
	 * are */
	expect_json(json_object_get(o, "aliases"),
	            "['Certified Nursing Assistant', 'CNA', 'Nurse Aide']");
	expect_json(json_object_get(o, "related"),
	            "['31-1122.00', '29-2061.00']");
	expect_json(json_object_get(o, "job_zone"), "2");
	json_decref(o);

	/* a technical skill may be required; IM 3.50 is required and rounds
	 * to 4; LV 6.60 is expert; a suppressed importance drops 2.A.1.d */
	char *cpp = skill_named(e, "C++");
	assert_int_equal(strncmp(cpp, "onet.tech.c-", 12), 0);
	assert_int_equal(strlen(cpp), 12 + 8); /* "C++" keeps a hash */
	o = show(e, PW_KIND_OCCUPATION, "53-3032.00");
	char want[2048];
	snprintf(want, sizeof want,
	         "[{'skill': 'onet.2.A.1.a', 'level': 1, 'importance': 3, "
	         "'required': false},"
	         " {'skill': 'onet.2.B.3.j', 'level': 2, 'importance': 4, "
	         "'required': true},"
	         " {'skill': 'onet.2.C.10', 'level': 4, 'importance': 4, "
	         "'required': true},"
	         " {'skill': 'onet.2.C.1.e', 'level': 2, 'importance': 4, "
	         "'required': true},"
	         " {'skill': 'onet.2.C.5.a', 'level': 1, 'importance': 2, "
	         "'required': false},"
	         " {'skill': '%s', 'level': 1, 'importance': 2, 'required': "
	         "false},"
	         " {'skill': 'onet.unspsc.43232110', 'level': 1, "
	         "'importance': 2, 'required': false}]",
	         cpp);
	expect_json(json_object_get(o, "requirements"), want);
	free(cpp);
	json_decref(o);

	/* not rated: no requirements, not even its In Demand technology */
	o = show(e, PW_KIND_OCCUPATION, "55-1011.00");
	expect_json(json_object_get(o, "requirements"), "[]");
	expect_json(json_object_get(o, "job_zone"), "4");
	json_decref(o);
	run_free(&r);
	pw_close(e);
}

static void onet_taxonomy_follows_the_content_model(void **state)
{
	(void)state;
	char dir[4096];
	pw_engine *e = fx_open();
	run r = import_onet(e, src_path(GOOD, dir, sizeof dir));
	expect_ok(&r);
	json_t *s = show(e, PW_KIND_SKILL, "onet.2.C.5.a");
	expect_json(s, "{'id': 'onet.2.C.5.a', 'name': 'Medicine and "
	               "Dentistry', 'broader': ['onet.2.C.5'], 'codes': "
	               "{'onet': '2.C.5.a'}}");
	json_decref(s);
	s = show(e, PW_KIND_SKILL, "onet.2.C.5");
	expect_json(s, "{'id': 'onet.2.C.5', 'name': 'Health Services', "
	               "'broader': ['onet.2.C'], 'codes': {'onet': '2.C.5'}}");
	json_decref(s);
	s = show(e, PW_KIND_SKILL, "onet.2.C");
	expect_json(s, "{'id': 'onet.2.C', 'name': 'Knowledge', 'codes': "
	               "{'onet': '2.C'}}");
	json_decref(s);
	/* 2.C.10 has no sub-domain: straight under Knowledge */
	s = show(e, PW_KIND_SKILL, "onet.2.C.10");
	expect_json(json_object_get(s, "broader"), "['onet.2.C']");
	json_decref(s);
	/* technology: example -> commodity -> Technology Skills (5.F) */
	s = show(e, PW_KIND_SKILL, "onet.tech.microsoft-excel");
	expect_json(s, "{'id': 'onet.tech.microsoft-excel', 'name': "
	               "'Microsoft Excel', 'broader': "
	               "['onet.unspsc.43232110']}");
	json_decref(s);
	s = show(e, PW_KIND_SKILL, "onet.unspsc.43232110");
	expect_json(s, "{'id': 'onet.unspsc.43232110', 'name': 'Spreadsheet "
	               "software', 'broader': ['onet.5.F'], 'codes': "
	               "{'unspsc': '43232110'}}");
	json_decref(s);
	s = show(e, PW_KIND_SKILL, "onet.5.F");
	expect_json(s, "{'id': 'onet.5.F', 'name': 'Technology Skills', "
	               "'codes': {'onet': '5.F'}}");
	json_decref(s);
	/* an element nothing kept rates is not made */
	assert_false(exists(e, PW_KIND_SKILL, "onet.2"));
	run_free(&r);
	pw_close(e);
}

static void onet_alternate_titles_are_searchable(void **state)
{
	(void)state;
	char dir[4096];
	pw_engine *e = fx_open();
	run r = import_onet(e, src_path(GOOD, dir, sizeof dir));
	expect_ok(&r);
	pw_list *l;
	pw_error err;
	assert_int_equal(
	    pw_list_entities(e, PW_KIND_OCCUPATION, "otr driver", &l, &err),
	    PW_OK);
	assert_int_equal(l->count, 1);
	assert_string_equal(l->items[0].id, "53-3032.00");
	pw_list_free(l);
	assert_int_equal(
	    pw_list_entities(e, PW_KIND_OCCUPATION, "CNA", &l, &err), PW_OK);
	assert_int_equal(l->count, 1);
	assert_string_equal(l->items[0].id, "31-1131.00");
	pw_list_free(l);
	run_free(&r);
	pw_close(e);
}

/* ---- merging (SPEC §6) ---- */

static const char stored_doc[] =
    "{'skills': ["
    "  {'id': 'health', 'name': 'Health'},"
    "  {'id': 'nursing', 'name': 'Nursing care'},"
    "  {'id': 'k-medicine', 'name': 'Medicine', 'aliases': ['Clinical "
    "knowledge'],"
    "   'broader': ['health'], 'related': [{'skill': 'nursing', 'weight': "
    "0.5}],"
    "   'codes': {'onet': '2.C.5.a', 'esco': "
    "'http://data.europa.eu/esco/skill/x'}}],"
    " 'occupations': ["
    "  {'id': '31-1131.00', 'title': 'Nurse aides (local)',"
    "   'aliases': ['Hospice Aide', 'Nurse Aide'],"
    "   'education': 'Postsecondary nondegree award',"
    "   'wage': {'min': 39530, 'max': 39530, 'unit': 'year'},"
    "   'openings': 204100, 'growth_pct': 2.3,"
    "   'requirements': [{'skill': 'nursing', 'level': 2}]},"
    "  {'id': '55-1011.00', 'title': 'Air Crew Officers',"
    "   'requirements': [{'skill': 'health', 'level': 1}]}]}";

static void onet_merges_into_stored_skills(void **state)
{
	(void)state;
	char dir[4096];
	pw_engine *e = fx_open();
	char *doc = fx_dq(stored_doc);
	fx_load_ok(e, doc);
	free(doc);
	run r = import_onet(e, src_path(GOOD, dir, sizeof dir));
	expect_ok(&r);
	/* the skill carrying 2.C.5.a is updated, not doubled: named by
	 * O*NET, its old name an alias, its broader, related edges and other
	 * codes kept, O*NET's parent added */
	json_t *s = show(e, PW_KIND_SKILL, "k-medicine");
	expect_json(s, "{'id': 'k-medicine', 'name': 'Medicine and Dentistry',"
	               " 'aliases': ['Clinical knowledge', 'Medicine'],"
	               " 'broader': ['health', 'onet.2.C.5'],"
	               " 'related': [{'skill': 'nursing', 'weight': 0.5}],"
	               " 'codes': {'esco': "
	               "'http://data.europa.eu/esco/skill/x', 'onet': "
	               "'2.C.5.a'}}");
	json_decref(s);
	assert_false(exists(e, PW_KIND_SKILL, "onet.2.C.5.a"));
	assert_int_equal(r.sum.updated[PW_KIND_SKILL], 1);
	assert_int_equal(r.sum.updated[PW_KIND_OCCUPATION], 2);
	assert_int_equal(r.sum.created[PW_KIND_OCCUPATION], 1);

	/* the occupation: O*NET's title, description, zone and requirements
	 * (naming the stored skill); BLS-like fields kept; aliases added to,
	 * the old title among them */
	json_t *o = show(e, PW_KIND_OCCUPATION, "31-1131.00");
	expect_json(json_object_get(o, "title"), "'Nursing Assistants'");
	expect_json(json_object_get(o, "aliases"),
	            "['Certified Nursing Assistant', 'CNA', 'Nurse Aide', "
	            "'Nurse aides (local)', 'Hospice Aide']");
	expect_json(json_object_get(o, "education"),
	            "'Postsecondary nondegree award'");
	expect_json(json_object_get(o, "wage"),
	            "{'min': 39530.0, 'max': 39530.0, 'unit': 'year'}");
	expect_json(json_object_get(o, "openings"), "204100");
	expect_json(json_object_get(o, "growth_pct"), "2.3");
	json_t *reqs = json_object_get(o, "requirements");
	assert_int_equal(json_array_size(reqs), 6);
	expect_json(json_array_get(reqs, 3),
	            "{'skill': 'k-medicine', 'level': 2, 'importance': 4, "
	            "'required': true}");
	json_decref(o);
	/* O*NET rates 55-1011.00 not at all: the stored requirements stay */
	o = show(e, PW_KIND_OCCUPATION, "55-1011.00");
	expect_json(json_object_get(o, "requirements"),
	            "[{'skill': 'health', 'level': 1, 'importance': 3, "
	            "'required': true}]");
	json_decref(o);
	run_free(&r);
	pw_close(e);
}

static void onet_reimport_changes_nothing(void **state)
{
	(void)state;
	char dir[4096];
	pw_engine *e = fx_open();
	char *doc = fx_dq(stored_doc);
	fx_load_ok(e, doc);
	free(doc);
	run r = import_onet(e, src_path(GOOD, dir, sizeof dir));
	expect_ok(&r);
	char *once = fx_dump(e);
	run_free(&r);
	r = import_onet(e, dir);
	expect_ok(&r);
	char *twice = fx_dump(e);
	assert_string_equal(once, twice);
	for (int k = 0; k < PW_KIND_COUNT; k++) {
		assert_int_equal(r.sum.created[k], 0);
		assert_int_equal(r.sum.updated[k], 0);
	}
	free(once);
	free(twice);
	run_free(&r);
	pw_close(e);
}

/* ---- shapes of the files ---- */

static void onet_bom_crlf_and_quoted_copies_read_the_same(void **state)
{
	(void)state;
	char dir[4096];
	pw_engine *e = fx_open();
	run r = import_onet(e, src_path(GOOD, dir, sizeof dir));
	expect_ok(&r);
	char *plain = fx_dump(e);
	run_free(&r);
	pw_close(e);
	const enum shape shapes[] = {BOM_CRLF, QUOTED};
	for (size_t i = 0; i < 2; i++) {
		char *tmp = onet_dir(shapes[i], NULL, NULL);
		e = fx_open();
		r = import_onet(e, tmp);
		expect_ok(&r);
		char *dump = fx_dump(e);
		assert_string_equal(dump, plain);
		free(dump);
		run_free(&r);
		pw_close(e);
		remove_tree(tmp);
		free(tmp);
	}
	free(plain);
}

/* ---- broken files: reported by file and place, nothing written ---- */

typedef struct broken_case {
	const char *file, *variant; /* variant "" leaves the file out */
	const char *place, *reason;
} broken_case;

static const broken_case onet_broken[] = {
    {"Skills.txt", "Skills.missing-column.txt", "line 1",
     "no column 'Data Value' in the header"},
    {"Skills.txt", "Skills.bad-number.txt", "line 6, column 'Data Value'",
     "'4,12' is not a number"},
    {"Knowledge.txt", "Knowledge.truncated.txt", "line 5",
     "expected 13 fields, found 6"},
    {"Skills.txt", "Skills.unknown-occupation.txt",
     "line 4, column 'O*NET-SOC Code'",
     "unknown occupation '31-1132.00' (not in Occupation Data.txt)"},
    {"Knowledge.txt", "Knowledge.out-of-range.txt",
     "line 3, column 'Data Value'", "LV 7.5 is out of range (0 to 7)"},
    {"Job Zones.txt", "Job Zones.bad-zone.txt", "line 3, column 'Job Zone'",
     "'six' is not a job zone (1 to 5)"},
    {"Related Occupations.txt", "Related Occupations.bad-code.txt",
     "line 4, column 'Related O*NET-SOC Code'",
     "'53-3033' is not an O*NET-SOC code (NN-NNNN.NN)"},
    {"Alternate Titles.txt", "Alternate Titles.latin1.txt",
     "line 3, column 'Alternate Title'", "not valid UTF-8"},
    {"Job Zones.txt", "", "Job Zones.txt", "missing"},
};

static void onet_broken_files_change_nothing(void **state)
{
	(void)state;
	char label[4096];
	for (size_t i = 0; i < sizeof onet_broken / sizeof onet_broken[0];
	     i++) {
		const broken_case *bc = &onet_broken[i];
		pw_engine *e = fx_open();
		char *doc = fx_dq(stored_doc);
		fx_load_ok(e, doc);
		free(doc);
		char *before = fx_dump(e);
		char *tmp = onet_dir(PLAIN, bc->file, bc->variant);
		run r = import_onet(e, tmp);
		if (r.st != PW_ERR_INVALID)
			fail_msg("%s: import gave %s, not invalid", bc->variant,
			         pw_status_name(r.st));
		if (*bc->variant)
			snprintf(label, sizeof label, "%s/%s", tmp, bc->file);
		else
			snprintf(label, sizeof label, "%s", tmp);
		if (!fx_report_has(r.rep, label, bc->place, bc->reason)) {
			char *text = fx_report_text(r.rep);
			fail_msg("%s: no '%s: %s: %s' in\n%s", bc->variant,
			         label, bc->place, bc->reason, text);
		}
		assert_non_null(strstr(r.err.message, "nothing was imported"));
		char *after = fx_dump(e);
		assert_string_equal(before, after);
		free(before);
		free(after);
		run_free(&r);
		pw_close(e);
		remove_tree(tmp);
		free(tmp);
	}
}

static void onet_every_problem_is_reported(void **state)
{
	(void)state;
	char *tmp = onet_dir(PLAIN, "Skills.txt", "Skills.bad-number.txt");
	char src[4096], dst[4096];
	snprintf(dst, sizeof dst, "%s/Knowledge.txt", tmp);
	copy_file(src_path(BROKEN "/Knowledge.truncated.txt", src, sizeof src),
	          dst, PLAIN);
	pw_engine *e = fx_open();
	run r = import_onet(e, tmp);
	assert_int_equal(r.st, PW_ERR_INVALID);
	assert_int_equal(pw_report_count(r.rep), 2);
	assert_non_null(strstr(r.err.message, "2 problems"));
	assert_int_equal(count(e, PW_KIND_SKILL), 0);
	run_free(&r);
	pw_close(e);
	remove_tree(tmp);
	free(tmp);
}

static void onet_dir_must_be_a_folder(void **state)
{
	(void)state;
	char path[4096];
	pw_engine *e = fx_open();
	char *tmp = make_tmp();
	snprintf(path, sizeof path, "%s/nope", tmp);
	run r = import_onet(e, path);
	assert_int_equal(r.st, PW_ERR_IO);
	assert_non_null(strstr(r.err.message, "cannot open"));
	run_free(&r);
	r = import_onet(e, src_path(GOOD "/Skills.txt", path, sizeof path));
	assert_int_equal(r.st, PW_ERR_IO);
	assert_non_null(strstr(r.err.message, "not a directory"));
	run_free(&r);
	/* an empty folder: every file is reported missing */
	r = import_onet(e, tmp);
	assert_int_equal(r.st, PW_ERR_INVALID);
	assert_int_equal(pw_report_count(r.rep), 8);
	assert_true(
	    fx_report_has(r.rep, tmp, "Occupation Data.txt", "missing"));
	run_free(&r);
	pw_close(e);
	remove_tree(tmp);
	free(tmp);
}

/* ---- the related field of the native format ---- */

static void related_is_validated_and_round_trips(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	pw_report *rep;
	char *before = fx_dump(e);
	char *doc = fx_dq("{'occupations': [{'id': '31-1131.00', 'title': "
	                  "'N', 'related': ['31-1122.00', 'nurse', 7]}]}");
	assert_int_equal(fx_load(e, doc, &rep), PW_ERR_INVALID);
	free(doc);
	assert_true(fx_report_has(rep, "test.json", "occupations[0].related[1]",
	                          "'nurse' is not an O*NET-SOC code"));
	assert_true(fx_report_has(rep, "test.json", "occupations[0].related[2]",
	                          "expected a string"));
	pw_report_free(rep);
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* codes of occupations the store does not hold are fine */
	doc = fx_dq("{'occupations': [{'id': '31-1131.00', 'title': 'N', "
	            "'related': ['31-1122.00', '29-2061.00']}]}");
	fx_load_ok(e, doc);
	free(doc);
	char *text;
	pw_error err;
	assert_int_equal(
	    pw_show_json(e, PW_KIND_OCCUPATION, "31-1131.00", 0, &text, &err),
	    PW_OK);
	json_t *o = json_loads(text, 0, NULL);
	expect_json(json_object_get(o, "related"),
	            "['31-1122.00', '29-2061.00']");
	json_decref(o);
	/* what show prints, load takes back unchanged */
	char *dump1 = fx_dump(e);
	size_t n = strlen(text) + 32;
	char *again = malloc(n);
	assert_non_null(again);
	snprintf(again, n, "{\"occupations\": [%s]}", text);
	fx_load_ok(e, again);
	free(again);
	pw_free(text);
	char *dump2 = fx_dump(e);
	assert_string_equal(dump1, dump2);
	free(dump1);
	free(dump2);
	/* replacing the occupation replaces the list */
	doc = fx_dq("{'occupations': [{'id': '31-1131.00', 'title': 'N'}]}");
	fx_load_ok(e, doc);
	free(doc);
	o = show(e, PW_KIND_OCCUPATION, "31-1131.00");
	assert_null(json_object_get(o, "related"));
	json_decref(o);
	pw_close(e);
}

/* ---- BLS ---- */

static const char bls_doc[] =
    "{'skills': [{'id': 'care', 'name': 'Care'}],"
    " 'occupations': ["
    "  {'id': '31-1121.00', 'title': 'Home Health Aides'},"
    "  {'id': '31-1122.00', 'title': 'Personal Care Aides'},"
    "  {'id': '31-1131.00', 'title': 'Nursing Assistants',"
    "   'education': 'old', 'openings': 1, 'growth_pct': -1,"
    "   'wage': {'min': 1, 'unit': 'hour'},"
    "   'requirements': [{'skill': 'care', 'level': 2}]},"
    "  {'id': '29-1141.00', 'title': 'Registered Nurses'},"
    "  {'id': '29-1141.01', 'title': 'Acute Care Nurses'},"
    "  {'id': '29-1211.00', 'title': 'Anesthesiologists'},"
    "  {'id': '27-2011.00', 'title': 'Actors'},"
    "  {'id': '53-3032.00', 'title': 'Truck Drivers'},"
    "  {'id': '45-3031.00', 'title': 'Fishing and Hunting Workers'}]}";

static pw_engine *bls_engine(void)
{
	pw_engine *e = fx_open();
	char *doc = fx_dq(bls_doc);
	fx_load_ok(e, doc);
	free(doc);
	return e;
}

static void bls_outlook_and_wages(void **state)
{
	(void)state;
	char dir[4096];
	pw_engine *e = bls_engine();
	char *fishing = NULL;
	{
		json_t *o = show(e, PW_KIND_OCCUPATION, "45-3031.00");
		fishing = json_dumps(o, JSON_SORT_KEYS);
		json_decref(o);
	}
	run r = import_bls(e, src_path(BLS, dir, sizeof dir));
	expect_ok(&r);
	/* openings in thousands become a count; OEWS's median (34,910)
	 * wins over the projections' (34,900); the aggregate 31-1120 covers
	 * both of its O*NET occupations */
	const char *const aides[] = {"31-1121.00", "31-1122.00"};
	for (size_t i = 0; i < 2; i++) {
		json_t *o = show(e, PW_KIND_OCCUPATION, aides[i]);
		expect_json(json_object_get(o, "openings"), "765800");
		expect_json(json_object_get(o, "growth_pct"), "17.0");
		expect_json(json_object_get(o, "education"),
		            "'High school diploma or equivalent'");
		expect_json(json_object_get(o, "wage"),
		            "{'min': 34910.0, 'max': 34910.0, 'unit': "
		            "'year'}");
		json_decref(o);
	}
	/* 29-1141 names every 29-1141.xx */
	json_t *o = show(e, PW_KIND_OCCUPATION, "29-1141.01");
	expect_json(json_object_get(o, "openings"), "189100");
	expect_json(json_object_get(o, "growth_pct"), "4.9");
	json_decref(o);
	/* the stored record is updated, its requirements kept */
	o = show(e, PW_KIND_OCCUPATION, "31-1131.00");
	expect_json(o, "{'id': '31-1131.00', 'title': 'Nursing Assistants',"
	               " 'education': 'Postsecondary nondegree award',"
	               " 'requirements': [{'skill': 'care', 'level': 2, "
	               "'importance': 3, 'required': true}],"
	               " 'wage': {'min': 39540.0, 'max': 39540.0, 'unit': "
	               "'year'},"
	               " 'openings': 204100, 'growth_pct': 2.3}");
	json_decref(o);
	/* top-coded ("#", ">=$239,200"): at least that, no maximum */
	o = show(e, PW_KIND_OCCUPATION, "29-1211.00");
	expect_json(json_object_get(o, "wage"),
	            "{'min': 239200.0, 'unit': 'year'}");
	json_decref(o);
	/* no annual median ("*"): the hourly one */
	o = show(e, PW_KIND_OCCUPATION, "27-2011.00");
	expect_json(json_object_get(o, "wage"),
	            "{'min': 23.33, 'max': 23.33, 'unit': 'hour'}");
	expect_json(json_object_get(o, "education"),
	            "'Some college, no degree'");
	json_decref(o);
	/* no BLS row: untouched */
	o = show(e, PW_KIND_OCCUPATION, "45-3031.00");
	char *now = json_dumps(o, JSON_SORT_KEYS);
	assert_string_equal(now, fishing);
	free(now);
	free(fishing);
	json_decref(o);
	/* the zoologists' rows name no stored occupation: noted, by line */
	char label[4200];
	assert_int_equal(pw_report_count(r.notes), 2);
	snprintf(label, sizeof label, "%s/Table_1_2.tsv", dir);
	assert_true(fx_report_has(r.notes, label, "line 11",
	                          "no stored occupation for SOC '19-1023'"));
	snprintf(label, sizeof label, "%s/oews_national_M2024.tsv", dir);
	assert_true(fx_report_has(r.notes, label, "line 10",
	                          "no stored occupation for SOC '19-1023'"));
	assert_int_equal(r.sum.notes, 2);
	assert_int_equal(r.sum.updated[PW_KIND_OCCUPATION], 8);
	run_free(&r);

	/* again: nothing changes */
	char *once = fx_dump(e);
	r = import_bls(e, dir);
	expect_ok(&r);
	char *twice = fx_dump(e);
	assert_string_equal(once, twice);
	assert_int_equal(r.sum.updated[PW_KIND_OCCUPATION], 0);
	free(once);
	free(twice);
	run_free(&r);
	pw_close(e);
}

/* The layout of ../shared/data: one release per bls_* folder. */
static void bls_reads_sub_folders(void **state)
{
	(void)state;
	char src[4096], dst[4096];
	char *tmp = make_tmp();
	snprintf(dst, sizeof dst, "%s/bls_employment_projections_2024_34", tmp);
	assert_int_equal(mkdir(dst, 0700), 0);
	snprintf(dst, sizeof dst, "%s/bls_oews_2024", tmp);
	assert_int_equal(mkdir(dst, 0700), 0);
	snprintf(dst, sizeof dst,
	         "%s/bls_employment_projections_2024_34/Table_1_2.tsv", tmp);
	copy_file(src_path(BLS "/Table_1_2.tsv", src, sizeof src), dst, PLAIN);
	snprintf(dst, sizeof dst, "%s/bls_oews_2024/oews_national_M2024.tsv",
	         tmp);
	copy_file(src_path(BLS "/oews_national_M2024.tsv", src, sizeof src),
	          dst, PLAIN);
	snprintf(dst, sizeof dst, "%s/unrelated.txt", tmp);
	copy_file(src_path(BLS "/Table_1_2.tsv", src, sizeof src), dst, PLAIN);

	pw_engine *e = bls_engine();
	run r = import_bls(e, tmp);
	expect_ok(&r);
	json_t *o = show(e, PW_KIND_OCCUPATION, "31-1121.00");
	expect_json(json_object_get(o, "openings"), "765800");
	expect_json(json_object_get(o, "wage"),
	            "{'min': 34910.0, 'max': 34910.0, 'unit': 'year'}");
	json_decref(o);
	run_free(&r);
	pw_close(e);

	/* the projections alone: their own median wage */
	snprintf(dst, sizeof dst, "%s/bls_employment_projections_2024_34", tmp);
	e = bls_engine();
	r = import_bls(e, dst);
	expect_ok(&r);
	o = show(e, PW_KIND_OCCUPATION, "31-1121.00");
	expect_json(json_object_get(o, "wage"),
	            "{'min': 34900.0, 'max': 34900.0, 'unit': 'year'}");
	json_decref(o);
	run_free(&r);
	/* a folder with neither */
	snprintf(dst, sizeof dst, "%s/bls_oews_2024/none", tmp);
	assert_int_equal(mkdir(dst, 0700), 0);
	r = import_bls(e, dst);
	assert_int_equal(r.st, PW_ERR_IO);
	assert_non_null(strstr(r.err.message, "no BLS file"));
	run_free(&r);
	pw_close(e);
	remove_tree(tmp);
	free(tmp);
}

static const broken_case bls_broken[] = {
    {"Table_1_2.tsv", "Table_1_2.bad-number.tsv",
     "line 6, column 'Occupational openings, 2024\xE2\x80\x93"
     "34 annual average'",
     "'2O4.1' is not a number of openings (thousands)"},
    {"Table_1_2.tsv", "Table_1_2.truncated.tsv", "line 7",
     "expected 16 fields, found 9"},
    {"Table_1_2.tsv", "Table_1_2.bad-code.tsv",
     "line 5, column '2024 National Employment Matrix code'",
     "'31-112' is not a SOC code (NN-NNNN)"},
    {"oews_national_M2024.tsv", "oews_national_M2024.missing-column.tsv",
     "line 1", "no column 'A_MEDIAN' in the header"},
    {"oews_national_M2024.tsv", "oews_national_M2024.bad-wage.tsv",
     "line 5, column 'A_MEDIAN'", "'39,54O' is not a wage"},
};

static void bls_broken_files_change_nothing(void **state)
{
	(void)state;
	char src[4096], dst[4096], rel[512];
	for (size_t i = 0; i < sizeof bls_broken / sizeof bls_broken[0]; i++) {
		const broken_case *bc = &bls_broken[i];
		char *tmp = make_tmp();
		const char *const names[] = {"Table_1_2.tsv",
		                             "oews_national_M2024.tsv"};
		for (size_t k = 0; k < 2; k++) {
			if (strcmp(names[k], bc->file) == 0)
				snprintf(rel, sizeof rel, "%s/%s", BLS_BAD,
				         bc->variant);
			else
				snprintf(rel, sizeof rel, "%s/%s", BLS,
				         names[k]);
			snprintf(dst, sizeof dst, "%s/%s", tmp, names[k]);
			copy_file(src_path(rel, src, sizeof src), dst, PLAIN);
		}
		pw_engine *e = bls_engine();
		char *before = fx_dump(e);
		run r = import_bls(e, tmp);
		if (r.st != PW_ERR_INVALID)
			fail_msg("%s: import gave %s, not invalid", bc->variant,
			         pw_status_name(r.st));
		snprintf(dst, sizeof dst, "%s/%s", tmp, bc->file);
		if (!fx_report_has(r.rep, dst, bc->place, bc->reason)) {
			char *text = fx_report_text(r.rep);
			fail_msg("%s: no '%s: %s: %s' in\n%s", bc->variant, dst,
			         bc->place, bc->reason, text);
		}
		char *after = fx_dump(e);
		assert_string_equal(before, after);
		free(before);
		free(after);
		run_free(&r);
		pw_close(e);
		remove_tree(tmp);
		free(tmp);
	}
}

/* Two aggregate codes of one broad group claiming one occupation: neither
 * is applied to it, and both say so. */
static void bls_ambiguous_aggregate_is_noted(void **state)
{
	(void)state;
	char *tmp = make_tmp();
	char path[4096];
	snprintf(path, sizeof path, "%s/oews_national_M2024.tsv", tmp);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("OCC_CODE\tOCC_TITLE\tO_GROUP\tH_MEDIAN\tA_MEDIAN\n"
	      "31-1120\tAides\tdetailed\t16.78\t34910\n"
	      "31-1128\tOther aides\tdetailed\t17.00\t35360\n"
	      "31-1131\tNursing Assistants\tdetailed\t19.01\t39540\n",
	      f);
	fclose(f);
	pw_engine *e = bls_engine();
	run r = import_bls(e, tmp);
	expect_ok(&r);
	json_t *o = show(e, PW_KIND_OCCUPATION, "31-1121.00");
	assert_null(json_object_get(o, "wage"));
	json_decref(o);
	assert_true(fx_report_has(r.notes, NULL, "line 2",
	                          "one of several aggregate SOC codes "
	                          "covering '31-1121.00'"));
	assert_true(fx_report_has(r.notes, NULL, "line 3",
	                          "one of several aggregate SOC codes "
	                          "covering '31-1122.00'"));
	o = show(e, PW_KIND_OCCUPATION, "31-1131.00");
	expect_json(json_object_get(o, "wage"),
	            "{'min': 39540.0, 'max': 39540.0, 'unit': 'year'}");
	json_decref(o);
	run_free(&r);
	pw_close(e);
	remove_tree(tmp);
	free(tmp);
}

/* ---- the real releases ---- */

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void onet_real_release(void **state)
{
	(void)state;
	char dir[4096], data[4096];
	if (!shared_data(REAL, dir, sizeof dir)) {
		print_message("SKIPPED: ../shared/data/" REAL " is absent\n");
		skip();
	}
	pw_engine *e = fx_open();
	double t0 = seconds();
	run r = import_onet(e, dir);
	double took = seconds() - t0;
	expect_ok(&r);
	/* the time is reported, not asserted: speed is the benchmarks'
	 * business, and this test also runs under valgrind */
	print_message("import onet of O*NET 29.3: %.2f s\n", took);
	assert_int_equal(r.sum.created[PW_KIND_OCCUPATION], 1016);
	assert_int_equal(pw_report_count(r.notes), 0);
	pw_list *l;
	pw_error err;
	assert_int_equal(
	    pw_list_entities(e, PW_KIND_OCCUPATION, NULL, &l, &err), PW_OK);
	assert_int_equal(l->count, 1016);
	size_t rated = 0, required = 0, with_related = 0;
	for (size_t i = 0; i < l->count; i++) {
		json_t *o = show(e, PW_KIND_OCCUPATION, l->items[i].id);
		json_t *reqs = json_object_get(o, "requirements");
		size_t k;
		json_t *q;
		rated += json_array_size(reqs) > 0;
		json_array_foreach(reqs, k, q) required +=
		    json_is_true(json_object_get(q, "required"));
		with_related +=
		    json_array_size(json_object_get(o, "related")) > 0;
		json_decref(o);
	}
	pw_list_free(l);
	assert_int_equal(rated, 879);
	assert_true(required > 879); /* several per rated occupation */
	assert_true(with_related >= 900);
	/* alternate titles are searchable */
	assert_int_equal(
	    pw_list_entities(e, PW_KIND_OCCUPATION, "CCU Nurse", &l, &err),
	    PW_OK);
	bool found = false;
	for (size_t i = 0; i < l->count; i++)
		found |= strcmp(l->items[i].id, "29-1141.00") == 0;
	assert_true(found);
	pw_list_free(l);
	json_t *o = show(e, PW_KIND_OCCUPATION, "29-1141.00");
	assert_int_equal(json_array_size(json_object_get(o, "related")), 20);
	expect_json(json_object_get(o, "job_zone"), "4");
	json_decref(o);
	run_free(&r);

	/* BLS onto them: ../shared/data holds both releases in bls_* */
	if (!shared_data(REAL_EP, data, sizeof data) ||
	    !shared_data(REAL_OEW, data, sizeof data)) {
		print_message("SKIPPED (BLS part): ../shared/data/bls_* is "
		              "absent\n");
		pw_close(e);
		skip();
	}
	char *slash = strrchr(data, '/');
	*slash = '\0';
	r = import_bls(e, data);
	expect_ok(&r);
	/* every BLS row maps onto some O*NET occupation */
	assert_int_equal(pw_report_count(r.notes), 0);
	o = show(e, PW_KIND_OCCUPATION, "29-1141.00");
	expect_json(json_object_get(o, "openings"), "189100");
	expect_json(json_object_get(o, "growth_pct"), "4.9");
	assert_string_equal(json_string_value(json_object_get(o, "education")),
	                    "Bachelor's degree");
	expect_json(json_object_get(o, "wage"),
	            "{'min': 93600.0, 'max': 93600.0, 'unit': 'year'}");
	json_decref(o);
	/* 31-1120 (Home health and personal care aides) is published only as
	 * the aggregate of 31-1121 and 31-1122 */
	o = show(e, PW_KIND_OCCUPATION, "31-1122.00");
	expect_json(json_object_get(o, "openings"), "765800");
	json_decref(o);
	run_free(&r);

	/* both again: nothing changes */
	char *once = fx_dump(e);
	r = import_onet(e, dir);
	expect_ok(&r);
	run_free(&r);
	r = import_bls(e, data);
	expect_ok(&r);
	char *twice = fx_dump(e);
	assert_string_equal(once, twice);
	free(once);
	free(twice);
	run_free(&r);
	pw_close(e);
}

/* The bundled catalog's 40 O*NET element skills take O*NET's taxonomy
 * without being doubled. */
static void onet_real_release_merges_the_catalog(void **state)
{
	(void)state;
	char dir[4096];
	if (!shared_data(REAL, dir, sizeof dir)) {
		print_message("SKIPPED: ../shared/data/" REAL " is absent\n");
		skip();
	}
	pw_engine *e = fx_open();
	const char *const names[] = {"skills", "credentials", "occupations",
	                             "jobs", "learners"};
	char paths[5][4096];
	const char *files[5];
	for (size_t i = 0; i < 5; i++) {
		char rel[256];
		snprintf(rel, sizeof rel, "datasets/rural-sample/%s.json",
		         names[i]);
		files[i] = src_path(rel, paths[i], sizeof paths[i]);
	}
	pw_report *rep = pw_report_new();
	pw_error err;
	assert_int_equal(pw_load_files(e, files, 5, rep, NULL, &err), PW_OK);
	pw_report_free(rep);
	size_t skills = count(e, PW_KIND_SKILL);
	run r = import_onet(e, dir);
	expect_ok(&r);
	json_t *s = show(e, PW_KIND_SKILL, "k-administration-management");
	expect_json(json_object_get(s, "broader"), "['onet.2.C.1']");
	json_decref(s);
	assert_false(exists(e, PW_KIND_SKILL, "onet.2.C.1.a"));
	assert_true(exists(e, PW_KIND_SKILL, "onet.2.C.1.c"));
	assert_int_equal(r.sum.updated[PW_KIND_SKILL], 40);
	assert_int_equal(count(e, PW_KIND_SKILL),
	                 skills + r.sum.created[PW_KIND_SKILL]);
	run_free(&r);
	pw_close(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(onet_requirements_follow_the_mapping),
	    cmocka_unit_test(onet_taxonomy_follows_the_content_model),
	    cmocka_unit_test(onet_alternate_titles_are_searchable),
	    cmocka_unit_test(onet_merges_into_stored_skills),
	    cmocka_unit_test(onet_reimport_changes_nothing),
	    cmocka_unit_test(onet_bom_crlf_and_quoted_copies_read_the_same),
	    cmocka_unit_test(onet_broken_files_change_nothing),
	    cmocka_unit_test(onet_every_problem_is_reported),
	    cmocka_unit_test(onet_dir_must_be_a_folder),
	    cmocka_unit_test(related_is_validated_and_round_trips),
	    cmocka_unit_test(bls_outlook_and_wages),
	    cmocka_unit_test(bls_reads_sub_folders),
	    cmocka_unit_test(bls_broken_files_change_nothing),
	    cmocka_unit_test(bls_ambiguous_aggregate_is_noted),
	    cmocka_unit_test(onet_real_release),
	    cmocka_unit_test(onet_real_release_merges_the_catalog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
