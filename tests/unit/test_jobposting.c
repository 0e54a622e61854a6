/* test_jobposting.c - schema.org JobPosting in and out (jobposting.c) and
 * the JSON-LD helpers under it (jsonld.c): every input shape (one posting,
 * an array, a @graph with references, HTML pages), the sloppy values real
 * postings carry, the notes on what is not mapped, every kind of broken
 * document refused with file and path and the store unchanged, re-import,
 * the real schema.org examples, and the export read back into a fresh
 * store giving the same jobs. */
#include "fixture.h"
#include "jsonld.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static const char *src_dir(void)
{
	const char *src = getenv("PATHWAY_SRC");
	return src && *src ? src : ".";
}

/* A test document of tests/data/jobposting; fails the test when absent. */
static char *data_file(const char *rel, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/jobposting/%s", src_dir(),
	         rel);
	char *text = fx_read_file(path, len);
	if (!text)
		fail_msg("cannot read %s (set PATHWAY_SRC)", path);
	return text;
}

/* An engine holding the test catalog: skills (with codes and aliases),
 * credentials and one occupation with requirements. */
static pw_engine *catalog(void)
{
	pw_engine *e = fx_open();
	char *doc = data_file("catalog.json", NULL);
	fx_load_ok(e, doc);
	free(doc);
	return e;
}

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

/* Imports documents given as (name, text) pairs. */
static run import_texts(pw_engine *e, const char *const *names,
                        const char *const *texts, size_t n)
{
	run r = {.rep = pw_report_new(), .notes = pw_report_new()};
	size_t lens[16];
	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(texts[i]);
	pw_import_opts o = {.notes = r.notes};
	r.st = pw_import_jobs_buffers(e, names, texts, lens, n, &o, r.rep,
	                              &r.sum, &r.err);
	return r;
}

/* Imports files of tests/data/jobposting, each named by its relative
 * path. */
static run import_data(pw_engine *e, const char *const *rels, size_t n)
{
	char *texts[16];
	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++)
		texts[i] = data_file(rels[i], NULL);
	run r = import_texts(e, rels, (const char *const *)texts, n);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	return r;
}

static void expect_ok(const run *r)
{
	if (r->st != PW_OK) {
		char *text = fx_report_text(r->rep);
		fail_msg("import failed (%s: %s):\n%s", pw_status_name(r->st),
		         r->err.message, text);
	}
}

static run import_one_ok(pw_engine *e, const char *rel)
{
	run r = import_data(e, &rel, 1);
	expect_ok(&r);
	return r;
}

static run import_doc_ok(pw_engine *e, const char *json)
{
	char *doc = fx_dq(json);
	const char *names[] = {"doc.json"};
	run r = import_texts(e, names, (const char *const *)&doc, 1);
	free(doc);
	expect_ok(&r);
	return r;
}

static bool note_has(const run *r, const char *path, const char *reason)
{
	if (fx_report_has(r->notes, NULL, path, reason))
		return true;
	char *text = fx_report_text(r->notes);
	print_message("notes:\n%s", text);
	free(text);
	return false;
}

/* A stored entity as JSON (NULL when absent). */
static json_t *show(pw_engine *e, pw_kind kind, const char *id)
{
	char *text;
	pw_error err;
	if (pw_show_json(e, kind, id, 0, &text, &err))
		return NULL;
	json_t *v = json_loads(text, 0, NULL);
	pw_free(text);
	assert_non_null(v);
	return v;
}

/* The stored job with this title (its id may be a hash). */
static json_t *job_titled(pw_engine *e, const char *title)
{
	pw_list *l;
	pw_error err;
	json_t *found = NULL;
	assert_int_equal(pw_list_entities(e, PW_KIND_JOB, NULL, &l, &err),
	                 PW_OK);
	for (size_t i = 0; i < l->count && !found; i++)
		if (strcmp(l->items[i].name, title) == 0)
			found = show(e, PW_KIND_JOB, l->items[i].id);
	pw_list_free(l);
	if (!found)
		fail_msg("no job titled '%s'", title);
	return found;
}

static size_t job_count(pw_engine *e)
{
	pw_list *l;
	pw_error err;
	assert_int_equal(pw_list_entities(e, PW_KIND_JOB, NULL, &l, &err),
	                 PW_OK);
	size_t n = l->count;
	pw_list_free(l);
	return n;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void expect_str(const json_t *o, const char *key, const char *want)
{
	const char *got = str(o, key);
	if (!got || strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", key, got ? got : "(absent)",
		         want);
}

static double num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_number(v))
		fail_msg("%s: not a number", key);
	return json_number_value(v);
}

/* The requirement on skill, or NULL. */
static json_t *req(const json_t *job, const char *skill)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(job, "requirements"), i, r)
	{
		if (str(r, "skill") && strcmp(str(r, "skill"), skill) == 0)
			return r;
	}
	return NULL;
}

/* Requires exactly these requirements, in order: "skill:R" (required) or
 * "skill:P" (preferred), comma-separated. */
static void expect_reqs(const json_t *job, const char *want)
{
	char got[512] = "";
	size_t n = 0, i;
	json_t *r;
	json_array_foreach(json_object_get(job, "requirements"), i, r)
	{
		n += (size_t)snprintf(
		    got + n, sizeof got - n, "%s%s:%s", i ? "," : "",
		    str(r, "skill") ? str(r, "skill") : "any_of",
		    json_is_true(json_object_get(r, "required")) ? "R" : "P");
	}
	if (strcmp(got, want) != 0)
		fail_msg("requirements of '%s': got %s, want %s",
		         str(job, "title"), got, want);
}

/* ---- one posting ---- */

static void single_posting_maps_every_field(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "single.json");
	assert_int_equal(r.sum.created[PW_KIND_JOB], 1);
	json_t *job = show(e, PW_KIND_JOB, "valley-co-op:VC-1001");
	assert_non_null(job);
	expect_str(job, "title", "Forklift Operator");
	expect_str(job, "employer", "Valley Co-op");
	expect_str(job, "owner", "Valley Co-op");
	/* HTML stripped: paragraphs, list items, an entity */
	expect_str(job, "description",
	           "Day shift in our warehouse.\n\n- Keep inventory control "
	           "records\n- Speak Spanish & English");
	expect_str(job, "url", "https://jobs.valley.example/1001?ref=a&src=b");
	expect_str(job, "soc", "53-7051.00");
	expect_str(job, "posted", "2026-05-01");
	/* the date as written, whatever the zone */
	expect_str(job, "expires", "2026-06-30");
	json_t *place = json_object_get(job, "location");
	assert_true(num(place, "lat") == 40.83 && num(place, "lon") == -115.76);
	expect_str(place, "city", "Elko");
	expect_str(place, "state", "NV");
	assert_null(json_object_get(place, "county"));
	json_t *w = json_object_get(job, "wage");
	assert_true(num(w, "min") == 18 && num(w, "max") == 22);
	expect_str(w, "unit", "hour");
	assert_true(num(job, "openings") == 3);
	assert_true(json_is_false(json_object_get(job, "remote")));
	/* explicit skill and qualifications: required; description: preferred
	 */
	expect_reqs(job, "forklift:R,safety:R,inventory:P,spanish:P");
	assert_true(num(req(job, "forklift"), "level") == 1);
	assert_true(num(req(job, "forklift"), "importance") == 3);
	assert_int_equal(
	    json_array_size(json_object_get(job, "credentials_required")), 0);
	/* what was read but not mapped */
	assert_int_equal(r.sum.notes, 2);
	assert_true(
	    note_has(&r, "educationRequirements",
	             "credential 'high school' matches no stored credential"));
	assert_true(note_has(&r, "experienceRequirements.monthsOfExperience",
	                     "6 months of experience"));
	json_decref(job);
	run_free(&r);
	pw_close(e);
}

/* ---- an array; text values ---- */

static void array_and_text_values(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "array.json");
	assert_int_equal(r.sum.created[PW_KIND_JOB], 2);
	assert_int_equal(r.sum.notes, 0);

	json_t *a = job_titled(e, "Warehouse Associate");
	assert_true(strncmp(str(a, "id"), "jp-", 3) == 0);
	expect_str(a, "employer", "Desert Logistics"); /* given as text */
	expect_str(json_object_get(a, "location"), "city", "Winnemucca");
	expect_str(json_object_get(a, "location"), "state", "NV");
	expect_str(a, "posted", "2026-04-02");
	/* "160" a DAY: 8 hours */
	json_t *w = json_object_get(a, "wage");
	assert_true(num(w, "min") == 20 && num(w, "max") == 20);
	expect_str(w, "unit", "hour");
	/* one comma- and semicolon-joined skills text */
	expect_reqs(a, "forklift:R,inventory:R,customer:R");

	json_t *b = show(e, PW_KIND_JOB, "D-77-2026");
	assert_non_null(b);
	assert_true(json_is_true(json_object_get(b, "remote")));
	assert_null(json_object_get(b, "location"));
	/* a WEEK is 40 hours */
	w = json_object_get(b, "wage");
	assert_true(num(w, "min") == 20 && num(w, "max") == 25);
	/* a DefinedTerm found by its termCode among the skills' codes */
	expect_reqs(b, "programming:R");
	json_decref(a);
	json_decref(b);
	run_free(&r);
	pw_close(e);
}

/* ---- @graph ---- */

static void graph_with_references(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "graph.json");
	/* the WebPage's mainEntity names job 1 again: still two jobs */
	assert_int_equal(r.sum.created[PW_KIND_JOB], 2);
	assert_int_equal(job_count(e), 2);

	json_t *a = show(e, PW_KIND_JOB, "req:4411");
	assert_non_null(a);
	expect_str(a, "employer", "Ruby Hill Mining");
	json_t *place = json_object_get(a, "location");
	expect_str(place, "city", "Eureka");
	expect_str(place, "state", "NV");     /* a full state name */
	expect_str(place, "county", "32011"); /* a PropertyValue */
	/* a MONTH is a twelfth of a year */
	json_t *w = json_object_get(a, "wage");
	assert_true(num(w, "min") == 60000 && num(w, "max") == 60000);
	expect_str(w, "unit", "year");
	/* the skill given by reference to a DefinedTerm node */
	expect_reqs(a, "cdl:R");

	json_t *b = job_titled(e, "Mine Welder"); /* typed schema:JobPosting */
	expect_str(b, "employer", "Ruby Hill Mining");
	expect_str(json_object_get(b, "location"), "county", "32011");
	expect_reqs(b, "welding:R");
	json_decref(a);
	json_decref(b);
	run_free(&r);
	pw_close(e);
}

/* ---- HTML pages ---- */

static void html_page_blocks(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "page.html");
	/* the breadcrumb block is ignored, the commented-out one skipped */
	assert_int_equal(r.sum.created[PW_KIND_JOB], 2);
	json_t *a = job_titled(e, "Patient Access Representative & Scheduler");
	expect_str(a, "description",
	           "Greet patients in English and Spanish.\nCustomer service "
	           "matters.");
	expect_str(a, "employer", "Humboldt General");
	expect_str(json_object_get(a, "location"), "county", "32013");
	json_t *w = json_object_get(a, "wage");
	assert_true(num(w, "min") == 36000 && num(w, "max") == 41000);
	expect_str(w, "unit", "year");
	/* found only in the description: preferred */
	expect_reqs(a, "spanish:P,customer:P");

	json_t *b = job_titled(e, "Night Custodian"); /* CDATA, @graph */
	expect_str(b, "employer", "Humboldt General");
	expect_str(b, "url", "https://hg.example/jobs/9");
	expect_str(b, "soc", "37-2011.00");
	/* qualifications (an alias inside the text): required */
	expect_reqs(b, "safety:R");
	json_decref(a);
	json_decref(b);
	run_free(&r);
	pw_close(e);
}

/* ---- sloppy values ---- */

static void sloppy_values(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "sloppy.json");
	assert_int_equal(r.sum.created[PW_KIND_JOB], 4);

	json_t *a = job_titled(e, "Welder");  /* a language map */
	expect_str(a, "soc", "51-4121.00");   /* text with a bare SOC code */
	assert_true(num(a, "openings") == 2); /* "2" */
	json_t *w = json_object_get(a, "wage");
	assert_true(num(w, "min") == 52000); /* "$52,000", no unit */
	expect_str(w, "unit", "year");
	assert_true(note_has(&r, "[0].baseSalary",
	                     "no unit given; 52000 taken as a yearly wage"));
	json_t *place = json_object_get(a, "location");
	expect_str(place, "state", "NV"); /* "nevada" */
	expect_str(place, "county", "32033");
	expect_str(a, "posted", "2026-05-01");
	expect_str(a, "expires", "2026-07-01");
	expect_reqs(a, "welding:R,forklift:R");

	json_t *b = job_titled(e, "Driver");
	expect_str(b, "soc", "53-3032.00"); /* a CategoryCode */
	assert_null(json_object_get(b, "wage"));
	assert_true(note_has(&r, "[1].baseSalary",
	                     "currency 'EUR' is not USD; wage left out"));
	expect_str(json_object_get(b, "location"), "city", "Elko");
	assert_null(json_object_get(json_object_get(b, "location"), "county"));
	assert_true(note_has(&r, "[1].jobLocation[1]", "one location"));
	assert_true(
	    note_has(&r, "[1].jobLocation[0].address.addressCounty",
	             "county 'Elko County' is not a 5-digit FIPS code"));
	assert_true(
	    note_has(&r, "[1].skills[0]", "'basket weaving' matches no skill"));
	expect_reqs(b, "cdl:R");
	json_t *creds = json_object_get(b, "credentials_required");
	assert_int_equal(json_array_size(creds), 1);
	assert_string_equal(json_string_value(json_array_get(creds, 0)),
	                    "cdl-a");

	json_t *c = job_titled(e, "Clerk");
	assert_null(json_object_get(c, "wage"));
	assert_null(json_object_get(c, "soc"));
	assert_true(note_has(&r, "[2].baseSalary.value.unitText",
	                     "unknown salary unit 'FORTNIGHT'"));
	assert_true(note_has(&r, "[2].occupationalCategory",
	                     "'Office clerks' holds no O*NET-SOC code"));
	assert_true(note_has(&r, "[2]", "no skill found"));
	expect_reqs(c, "");

	/* nothing found, the SOC stored: the occupation's requirements */
	json_t *d = job_titled(e, "Picker");
	expect_str(d, "soc", "53-7051.00");
	expect_reqs(d, "forklift:R,reading:P");
	assert_true(num(req(d, "forklift"), "level") == 2);
	assert_true(num(req(d, "forklift"), "importance") == 4);
	assert_int_equal(r.sum.notes, 8);
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(d);
	run_free(&r);
	pw_close(e);
}

/* Required wins, one entry per skill; salaries in each form and unit. */
static void requirement_and_salary_rules(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_doc_ok(
	    e, "[{'@type': 'JobPosting', 'title': 'A',"
	       "  'description': 'Spanish, welding and forklift operation.',"
	       "  'skills': ['Forklift operation', 'forklift operation'],"
	       "  'experienceRequirements': 'Two years of welding.',"
	       "  'baseSalary': 21.5},"
	       " {'@type': 'JobPosting', 'title': 'B', 'skills': 'welding',"
	       "  'baseSalary': {'@type': 'MonetaryAmount', 'currency': 'USD',"
	       "   'value': {'@type': 'QuantitativeValue', 'maxValue': 50000,"
	       "    'minValue': 60000, 'unitCode': 'ANN'}}},"
	       " {'@type': 'JobPosting', 'title': 'C', 'skills': 'welding',"
	       "  'baseSalary': {'@type': 'MonetaryAmount',"
	       "   'value': {'@type': 'QuantitativeValue', 'minValue': 150,"
	       "    'unitText': 'day'}}},"
	       " {'@type': 'JobPosting', 'title': 'D', 'skills': 'welding',"
	       "  'baseSalary': {'@type': 'MonetaryAmount', 'currency': 'USD',"
	       "   'value': {'@type': 'QuantitativeValue', 'value': 0,"
	       "    'unitText': 'HOUR'}}},"
	       " {'@type': 'JobPosting', 'title': 'E', 'skills': 'welding',"
	       "  'baseSalary': 500},"
	       " {'@type': 'JobPosting', 'title': 'F', 'skills': 'Welding, "
	       "sorting, packing and shipping, basket weaving; Spanish'}]");
	json_t *a = job_titled(e, "A");
	expect_reqs(a, "forklift:R,welding:R,spanish:P");
	assert_true(num(json_object_get(a, "wage"), "min") == 21.5);
	expect_str(json_object_get(a, "wage"), "unit", "hour");
	assert_true(note_has(&r, "[0].baseSalary", "an hourly wage"));

	json_t *b = job_titled(e, "B");
	json_t *w = json_object_get(b, "wage");
	assert_true(num(w, "min") == 50000 && num(w, "max") == 60000);
	expect_str(w, "unit", "year");
	assert_true(note_has(&r, "[1].baseSalary", "swapped"));

	json_t *c = job_titled(e, "C"); /* 150 a day: 18.75 an hour */
	w = json_object_get(c, "wage");
	assert_true(num(w, "min") == 18.75);
	assert_null(json_object_get(w, "max"));

	json_t *d = job_titled(e, "D");
	assert_null(json_object_get(d, "wage"));
	assert_true(note_has(&r, "[3].baseSalary", "a wage of 0"));
	json_t *f = job_titled(e, "E");
	assert_null(json_object_get(f, "wage"));
	assert_true(
	    note_has(&r, "[4].baseSalary", "neither hourly nor yearly"));
	/* a name holding a comma, among names joined by commas */
	json_t *g = job_titled(e, "F");
	expect_reqs(g, "welding:R,spanish:R,packing:R");
	assert_true(
	    note_has(&r, "[5].skills", "'basket weaving' matches no skill"));
	assert_int_equal(r.sum.notes, 5);
	run_free(&r);

	/* references to nodes the file does not hold */
	r = import_doc_ok(
	    e, "{'@type': 'JobPosting', 'title': 'G',"
	       " 'jobLocation': {'@id': '#nowhere'},"
	       " 'hiringOrganization': {'@id': 'https://x.example/o'},"
	       " 'skills': [{'@id': 'https://x.example/s'}, 'welding']}");
	assert_true(note_has(&r, "jobLocation", "'#nowhere' is not described"));
	assert_true(note_has(&r, "hiringOrganization",
	                     "'https://x.example/o' is not described"));
	assert_true(note_has(&r, "skills[0]",
	                     "'https://x.example/s' matches no skill"));
	json_t *h = job_titled(e, "G");
	expect_reqs(h, "welding:R");
	assert_null(json_object_get(h, "location"));
	assert_null(json_object_get(h, "employer"));
	json_decref(h);
	json_decref(g);
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(d);
	json_decref(f);
	run_free(&r);
	pw_close(e);
}

/* Ids: the identifier made valid, never of the O*NET-SOC shape, clipped
 * with a hash; the same posting twice in one import is one job. */
static void ids_from_identifiers(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	char long_id[400];
	memset(long_id, 'x', 300);
	long_id[300] = '\0';
	char doc[2048];
	snprintf(
	    doc, sizeof doc,
	    "[{'@type': 'JobPosting', 'title': 'A', 'identifier': "
	    "'15-1132.00'},"
	    " {'@type': 'JobPosting', 'title': 'B', 'identifier': '%s'},"
	    " {'@type': 'JobPosting', 'title': 'C', 'identifier': "
	    "  {'@type': 'PropertyValue', 'name': 'Acme Inc.', 'value': "
	    "'  #42 '}},"
	    " {'@type': 'JobPosting', 'title': 'D', 'identifier': 'dup-1'},"
	    " {'@type': 'JobPosting', 'title': 'D again', 'identifier': "
	    "'dup-1'},"
	    " {'@type': 'JobPosting', 'title': 'F', 'identifier': '***',"
	    "  'url': 'https://x.example/f'}]",
	    long_id);
	run r = import_doc_ok(e, doc);
	json_t *a = show(e, PW_KIND_JOB, "job-15-1132.00");
	assert_non_null(a);
	json_t *b = job_titled(e, "B");
	assert_true(strlen(str(b, "id")) <= 128);
	assert_true(strncmp(str(b, "id"), "xxxx", 4) == 0);
	json_t *c = show(e, PW_KIND_JOB, "acme-inc:42");
	assert_non_null(c);
	json_t *d = show(e, PW_KIND_JOB, "dup-1");
	expect_str(d, "title", "D");
	assert_true(note_has(&r, "[4]", "the same job as doc.json: [3]"));
	json_t *f = job_titled(e, "F"); /* nothing usable: the hash */
	assert_true(strncmp(str(f, "id"), "jp-", 3) == 0);
	assert_int_equal(job_count(e), 5);
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(d);
	json_decref(f);
	run_free(&r);
	pw_close(e);
}

/* Nodes naming each other through mainEntity are walked once each: a
 * document of a few hundred bytes must not take exponential time. */
static void references_cannot_multiply(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	char doc[8192] = "{'@graph': [";
	for (int i = 0; i < 40; i++) {
		char node[160];
		snprintf(
		    node, sizeof node,
		    "{'@id': '#p%d', '@type': 'WebPage', 'mainEntity': "
		    "[{'@id': '#p%d'}, {'@id': '#p%d'}, {'@id': '#job'}]},",
		    i, (i + 1) % 40, (i + 2) % 40);
		strcat(doc, node);
	}
	strcat(doc,
	       "{'@id': '#job', '@type': 'JobPosting', 'title': 'Once'}]}");
	run r = import_doc_ok(e, doc);
	assert_int_equal(r.sum.created[PW_KIND_JOB], 1);
	assert_int_equal(r.sum.notes, 1); /* no requirements */
	run_free(&r);
	pw_close(e);
}

/* ---- broken documents ---- */

typedef struct broken_case {
	const char *file, *path, *reason;
} broken_case;

static const broken_case broken[] = {
    {"broken/not-json.json", "$", "invalid JSON: unexpected token"},
    {"broken/not-json.json", "$", "(line 1, column 34)"},
    {"broken/no-jobposting.json", "$",
     "no schema.org JobPosting (found Organization)"},
    {"broken/no-title.json", "$", "a JobPosting needs a title"},
    {"broken/wrong-types.json", "[0].title", "expected text, found an object"},
    {"broken/wrong-types.json", "[1].totalJobOpenings",
     "expected a number, found a boolean"},
    {"broken/wrong-types.json", "[2].baseSalary.value.value",
     "'lots' is not a number"},
    {"broken/wrong-types.json", "[3].datePosted",
     "'05/01/2026' is not an ISO 8601 date"},
    {"broken/wrong-types.json", "[4].jobLocation.geo.latitude",
     "123 is not within -90..90"},
    {"broken/wrong-types.json", "[5].hiringOrganization",
     "expected an Organization or text, found a number"},
    {"broken/wrong-types.json", "[6].skills[0]",
     "expected text or a DefinedTerm, found a boolean"},
    {"broken/wrong-types.json", "[7].baseSalary",
     "'competitive' is not a number"},
    {"broken/bad-block.html", "script[1]", "invalid JSON"},
    {"broken/bad-block.html", "script[1]", "(line 4,"},
    {"broken/no-script.html", "$",
     "without a <script type=\"application/ld+json\"> element"},
};

/* Each broken file, alone and after a good one in the same call: refused
 * with its place named, nothing written. */
static void broken_documents(void **state)
{
	(void)state;
	for (size_t i = 0; i < PW_ARRAY_LEN(broken); i++) {
		const broken_case *b = &broken[i];
		pw_engine *e = catalog();
		run first = import_one_ok(e, "array.json");
		run_free(&first);
		char *before = fx_dump(e);
		const char *files[] = {"single.json", b->file};
		run r = import_data(e, files, 2);
		char *after = fx_dump(e);
		if (r.st != PW_ERR_INVALID)
			fail_msg("%s: status %s", b->file,
			         pw_status_name(r.st));
		if (!fx_report_has(r.rep, b->file, b->path, b->reason)) {
			char *text = fx_report_text(r.rep);
			fail_msg("%s: no entry %s: ...%s...; the report:\n%s",
			         b->file, b->path, b->reason, text);
		}
		assert_true(strstr(r.err.message, "nothing was imported"));
		if (strcmp(before, after) != 0)
			fail_msg("%s: a refused import changed the store",
			         b->file);
		free(before);
		free(after);
		run_free(&r);
		pw_close(e);
	}
}

/* All the problems of a file, not just the first. */
static void every_error_reported(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	const char *file = "broken/wrong-types.json";
	run r = import_data(e, &file, 1);
	assert_int_equal(r.st, PW_ERR_INVALID);
	assert_int_equal(pw_report_count(r.rep), 8);
	assert_int_equal(job_count(e), 0);
	run_free(&r);

	/* JSON nested too deep, an empty file */
	char deep[400] = "";
	for (int i = 0; i < 70; i++)
		strcat(deep, "[");
	const char *names[] = {"deep.json", "empty.json"};
	const char *texts[] = {deep, " \n"};
	r = import_texts(e, names, texts, 2);
	assert_int_equal(r.st, PW_ERR_INVALID);
	assert_true(fx_report_has(r.rep, "deep.json", "$", "nested deeper"));
	assert_true(fx_report_has(r.rep, "empty.json", "$", "an empty file"));
	run_free(&r);

	/* no report to put problems in; a file that does not exist */
	pw_error err;
	size_t len = 2;
	assert_int_equal(pw_import_jobs_buffers(e, names, texts, &len, 1, NULL,
	                                        NULL, NULL, &err),
	                 PW_ERR_INVALID);
	pw_report *rep = pw_report_new();
	const char *missing[] = {"/nonexistent/jobs.json"};
	assert_int_equal(pw_import_jobs(e, missing, 1, NULL, rep, NULL, &err),
	                 PW_ERR_IO);
	assert_true(
	    strstr(err.message, "cannot open '/nonexistent/jobs.json'"));
	pw_report_free(rep);
	pw_close(e);
}

/* ---- re-import ---- */

static void reimport_is_idempotent(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	const char *files[] = {"single.json", "array.json", "graph.json",
	                       "page.html", "sloppy.json"};
	run r = import_data(e, files, 5);
	expect_ok(&r);
	assert_int_equal(r.sum.created[PW_KIND_JOB], 11);
	run_free(&r);
	char *before = fx_dump(e);
	r = import_data(e, files, 5);
	expect_ok(&r);
	assert_int_equal(r.sum.created[PW_KIND_JOB], 0);
	assert_int_equal(r.sum.updated[PW_KIND_JOB], 11);
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	run_free(&r);
	pw_close(e);
}

static void reimport_replaces(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "single.json");
	run_free(&r);
	/* the same identifier, another title, fewer fields */
	r = import_doc_ok(e, "{'@type': 'JobPosting', 'title': 'Lift Driver',"
	                     " 'identifier': {'@type': 'PropertyValue',"
	                     "  'name': 'Valley Co-op', 'value': 'VC-1001'},"
	                     " 'occupationalCategory': '53-7051.00'}");
	assert_int_equal(r.sum.updated[PW_KIND_JOB], 1);
	json_t *job = show(e, PW_KIND_JOB, "valley-co-op:VC-1001");
	expect_str(job, "title", "Lift Driver");
	assert_null(json_object_get(job, "wage"));
	assert_null(json_object_get(job, "location"));
	expect_reqs(job, "forklift:R,reading:P");
	assert_int_equal(job_count(e), 1);
	json_decref(job);
	run_free(&r);
	pw_close(e);
}

/* ---- the real examples ---- */

static void real_examples(void **state)
{
	(void)state;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/../shared/data/examples/jobposting",
	         src_dir());
	static const char *const names[] = {
	    "schemaorg_eg-0028.json", "schemaorg_eg-0213.json",
	    "schemaorg_eg-0251.json", "schemaorg_eg-0268.json",
	    "schemaorg_eg-0280.json", "schemaorg_eg-0465.json"};
	char paths[6][4200];
	const char *p[6];
	for (size_t i = 0; i < 6; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/%s", dir, names[i]);
		p[i] = paths[i];
		FILE *f = fopen(paths[i], "rb");
		if (!f) {
			print_message("SKIPPED: %s is absent\n", paths[i]);
			skip();
		}
		fclose(f);
	}
	pw_engine *e = catalog();
	pw_report *rep = pw_report_new(), *notes = pw_report_new();
	pw_import_opts o = {.notes = notes};
	pw_import_summary sum;
	pw_error err;
	pw_status st = pw_import_jobs(e, p, 6, &o, rep, &sum, &err);
	if (st) {
		char *text = fx_report_text(rep);
		fail_msg("%s\n%s", err.message, text);
	}
	assert_int_equal(sum.created[PW_KIND_JOB], 6);

	/* 0028: text everywhere, a code inside occupationalCategory */
	json_t *a = job_titled(e, "Software Engineer");
	if (!str(a, "soc")) { /* 0465 has the same title */
		json_decref(a);
		pw_list *l;
		assert_int_equal(pw_list_entities(e, PW_KIND_JOB,
		                                  "Software Engineer", &l,
		                                  &err),
		                 PW_OK);
		assert_int_equal(l->count, 2);
		a = show(e, PW_KIND_JOB, l->items[0].id);
		if (!str(a, "soc")) {
			json_decref(a);
			a = show(e, PW_KIND_JOB, l->items[1].id);
		}
		pw_list_free(l);
	}
	expect_str(a, "soc", "15-1132.00");
	expect_str(json_object_get(a, "location"), "city", "Kirkland");
	expect_str(json_object_get(a, "location"), "state", "WA");
	assert_true(num(json_object_get(a, "wage"), "min") == 100000);
	expect_str(json_object_get(a, "wage"), "unit", "year");
	expect_str(a, "posted", "2011-10-31");
	/* 0213: a DefinedTerm skill by its NICE code */
	json_t *b = job_titled(e, "Junior software developer");
	expect_reqs(b, "programming:R");
	/* 0251: no title but a name; the SOC of its relevantOccupation */
	json_t *c = job_titled(e, "Mobile App Developer");
	expect_str(c, "employer", "ACME Software");
	expect_str(c, "soc", "15-1132.00");
	/* 0268: a telecommute posting by its applicant requirements */
	json_t *d = job_titled(e, "Telecommute from anywhere in USA!");
	assert_true(json_is_true(json_object_get(d, "remote")));
	/* 0465: months of experience as a string, noted */
	assert_true(fx_report_has(notes, NULL,
	                          "experienceRequirements.monthsOfExperience",
	                          "60 months"));
	json_decref(a);
	json_decref(b);
	json_decref(c);
	json_decref(d);
	pw_report_free(rep);
	pw_report_free(notes);
	pw_close(e);
}

/* ---- export and the round trip ---- */

/* Exports every job of from, imports the document into to, and requires
 * each job to read back exactly as it was. */
static void round_trip(pw_engine *from, pw_engine *to)
{
	char *doc;
	pw_error err;
	assert_int_equal(
	    pw_export_jobs_jsonld(from, PW_JSON_PRETTY, &doc, &err), PW_OK);
	json_t *parsed = json_loads(doc, 0, NULL);
	assert_non_null(parsed);
	expect_str(parsed, "@context", "https://schema.org/");
	json_t *graph = json_object_get(parsed, "@graph");
	assert_int_equal(json_array_size(graph), job_count(from));
	size_t i;
	json_t *p;
	json_array_foreach(graph, i, p) expect_str(p, "@type", "JobPosting");
	json_decref(parsed);

	const char *names[] = {"export.json"};
	run r = import_texts(to, names, (const char *const *)&doc, 1);
	expect_ok(&r);
	if (r.sum.notes) {
		char *text = fx_report_text(r.notes);
		fail_msg("the round trip noted:\n%s", text);
	}
	pw_list *l;
	assert_int_equal(pw_list_entities(from, PW_KIND_JOB, NULL, &l, &err),
	                 PW_OK);
	assert_int_equal(job_count(to), l->count);
	for (size_t k = 0; k < l->count; k++) {
		char *want, *got;
		assert_int_equal(pw_show_json(from, PW_KIND_JOB, l->items[k].id,
		                              0, &want, &err),
		                 PW_OK);
		if (pw_show_json(to, PW_KIND_JOB, l->items[k].id, 0, &got,
		                 &err))
			fail_msg("job '%s' did not come back", l->items[k].id);
		if (strcmp(want, got) != 0)
			fail_msg("job '%s' changed:\n%s\n%s", l->items[k].id,
			         want, got);
		pw_free(want);
		pw_free(got);
	}
	pw_list_free(l);
	run_free(&r);
	pw_free(doc);
}

/* The bundled sample: 152 postings with any_of requirements, credentials
 * required, locations, wages and dates. */
static void round_trip_sample(void **state)
{
	(void)state;
	static const char *const kinds[] = {"skills", "credentials",
	                                    "occupations", "jobs"};
	pw_engine *a = fx_open(), *b = fx_open();
	for (size_t k = 0; k < 4; k++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/datasets/rural-sample/%s.json",
		         src_dir(), kinds[k]);
		char *doc = fx_read_file(path, NULL);
		if (!doc)
			fail_msg("cannot read %s (set PATHWAY_SRC)", path);
		fx_load_ok(a, doc);
		if (k < 3)
			fx_load_ok(b, doc);
		free(doc);
	}
	assert_true(job_count(a) > 100);
	round_trip(a, b);
	pw_close(a);
	pw_close(b);
}

/* The corners: text that looks like HTML, alternatives, a job with a SOC
 * and no requirements (the occupation's must not be filled in), partial
 * locations and wages, a remote job with a place. */
static void round_trip_corners(void **state)
{
	(void)state;
	pw_engine *a = catalog(), *b = catalog();
	char *doc = fx_dq(
	    "{'jobs': ["
	    " {'id': 'c1', 'title': 'R&amp;D <lead>', 'employer': 'A & B',"
	    "  'description': 'Use <b> tags & &amp; here.\\nLine "
	    "two.\\n\\nPara.',"
	    "  'url': 'https://a.example/?x=1&y=2', 'soc': '53-7051.00',"
	    "  'location': {'lat': 40.5}, 'remote': true,"
	    "  'wage': {'max': 30, 'unit': 'hour'}, 'openings': 7,"
	    "  'posted': '2026-01-02', 'expires': '2026-03-04'},"
	    " {'id': 'c2', 'title': 'Plain', 'location': {'county': '32007'},"
	    "  'wage': {'min': 40000, 'max': 40000, 'unit': 'year'},"
	    "  'requirements': ["
	    "   {'any_of': [{'skill': 'welding', 'level': 3},"
	    "               {'skill': 'forklift', 'level': 2}],"
	    "    'importance': 5, 'required': false},"
	    "   {'skill': 'safety', 'level': 4, 'importance': 1}],"
	    "  'credentials_required': ['osha10', {'any_of': ['cdl-a', "
	    "'osha10']}]},"
	    " {'id': '12345', 'title': 'Numeric id', 'employer': 'N',"
	    "  'location': {'city': 'Ely', 'state': 'NV', 'lon': -114.9},"
	    "  'requirements': [{'any_of': [{'skill': 'cdl', 'level': 2}]}],"
	    "  'credentials_required': [{'any_of': ['osha10']}, 'cdl-a']}]}");
	fx_load_ok(a, doc);
	free(doc);
	round_trip(a, b);
	pw_close(a);
	pw_close(b);
}

/* Skills from O*NET or ESCO carry their credit; others none. */
static void export_credits_sources(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	char *d = fx_dq("{'jobs': ["
	                " {'id': 'o', 'title': 'O', 'requirements': [{'skill': "
	                "'reading'}]},"
	                " {'id': 'x', 'title': 'X', 'requirements': [{'skill': "
	                "'forklift'}]},"
	                " {'id': 'n', 'title': 'N', 'requirements': [{'skill': "
	                "'welding'}]}]}");
	fx_load_ok(e, d);
	free(d);
	char *doc;
	pw_error err;
	assert_int_equal(pw_export_jobs_jsonld(e, 0, &doc, &err), PW_OK);
	json_t *v = json_loads(doc, 0, NULL);
	json_t *graph = json_object_get(v, "@graph");
	assert_int_equal(json_array_size(graph), 3);
	/* in id order: n, o, x */
	assert_null(json_object_get(json_array_get(graph, 0), "creditText"));
	assert_non_null(strstr(str(json_array_get(graph, 1), "creditText"),
	                       "O*NET Database"));
	assert_non_null(
	    strstr(str(json_array_get(graph, 2), "creditText"), "ESCO"));
	json_t *term = json_array_get(
	    json_object_get(json_array_get(graph, 2), "skills"), 0);
	expect_str(term, "@type", "DefinedTerm");
	expect_str(term, "termCode", "forklift");
	expect_str(term, "name", "Forklift operation");
	assert_true(json_is_true(json_object_get(term, "pathway:required")));
	json_decref(v);
	pw_free(doc);

	/* no jobs: an empty graph */
	pw_engine *empty = fx_open();
	assert_int_equal(pw_export_jobs_jsonld(empty, 0, &doc, &err), PW_OK);
	assert_string_equal(
	    doc, "{\"@context\":\"https://schema.org/\",\"@graph\":[]}");
	pw_free(doc);
	pw_close(empty);
	pw_close(e);
}

/* ---- JSON-LD helpers ---- */

static void jsonld_dates(void **state)
{
	(void)state;
	pw_date d;
	assert_true(jld_date("2026-05-01", 0, &d));
	assert_int_equal(d, fx_date("2026-05-01"));
	assert_true(jld_date(" 2026-05-01T23:30:00.123-05:00 ", 0, &d));
	assert_int_equal(d, fx_date("2026-05-01"));
	assert_true(jld_date("2026-05-01T23:30:00-05:00", JLD_DATE_UTC, &d));
	assert_int_equal(d, fx_date("2026-05-02"));
	assert_true(jld_date("2026-05-01T01:00+0200", JLD_DATE_UTC, &d));
	assert_int_equal(d, fx_date("2026-04-30"));
	assert_true(jld_date("2026-05-01T10:00Z", JLD_DATE_UTC, &d));
	assert_int_equal(d, fx_date("2026-05-01"));
	assert_true(jld_date("2026-05-01 10:00", 0, &d));
	assert_false(jld_date("2026-02-30", 0, &d));
	assert_false(jld_date("2026-5-1", 0, &d));
	assert_false(jld_date("2026-05-01Z", 0, &d));
	assert_false(jld_date("2026-05-01T25:00", 0, &d));
	assert_false(jld_date("2026-05-01T10:00+5", 0, &d));
	assert_false(jld_date("2026-05-01 junk", 0, &d));
	assert_false(jld_date(NULL, 0, &d));
}

static void jsonld_values(void **state)
{
	(void)state;
	json_t *v = json_loads(
	    "{\"map\": {\"es\": \"hola\", \"en-US\": \"hello\"},"
	    " \"list\": {\"fr\": [\"un\", \"deux\"]},"
	    " \"vals\": [{\"@value\": \"uno\", \"@language\": \"es\"},"
	    "            {\"@value\": \"one\", \"@language\": \"en\"}],"
	    " \"draft\": {\"@en-US\": \"draft\"},"
	    " \"org\": {\"@type\": \"Organization\", \"name\": \"X\"},"
	    " \"ref\": {\"@id\": \"#a\", \"@type\": \"Thing\"},"
	    " \"ref2\": {\"id\": \"https://x.example/a\"},"
	    " \"types\": {\"type\": [\"VerifiableCredential\", "
	    "\"https://schema.org/JobPosting\"]}}",
	    0, NULL);
	assert_non_null(v);
	assert_string_equal(jld_text(json_object_get(v, "map"), NULL), "hello");
	assert_string_equal(jld_text(json_object_get(v, "map"), "ES"), "hola");
	assert_string_equal(jld_text(json_object_get(v, "map"), "es-MX"),
	                    "hola");
	assert_string_equal(jld_text(json_object_get(v, "list"), NULL), "un");
	assert_string_equal(jld_text(json_object_get(v, "vals"), NULL), "one");
	assert_string_equal(jld_text(json_object_get(v, "draft"), NULL),
	                    "draft");
	assert_null(jld_text(json_object_get(v, "org"), NULL));
	assert_false(jld_is_lang_map(json_object_get(v, "org")));
	assert_false(jld_is_lang_map(json_object_get(v, "ref")));
	assert_null(jld_text(json_object_get(v, "ref"), NULL));
	assert_true(jld_is_ref(json_object_get(v, "ref2")));
	assert_null(jld_text(json_object_get(v, "ref2"), NULL));
	assert_true(jld_is_ref(json_object_get(v, "ref")));
	assert_false(jld_is_ref(json_object_get(v, "org")));
	assert_string_equal(jld_id(json_object_get(v, "ref")), "#a");
	assert_true(jld_has_type(json_object_get(v, "types"), "JobPosting"));
	assert_false(jld_has_type(json_object_get(v, "types"), "Posting"));
	assert_true(jld_term_is("ceterms:Pathway", "Pathway"));
	assert_true(jld_term_is("Pathway", "Pathway"));
	assert_false(jld_term_is("MyPathway", "Pathway"));
	assert_int_equal(jld_count(json_object_get(v, "vals")), 2);
	assert_int_equal(jld_count(json_object_get(v, "map")), 1);
	assert_int_equal(jld_count(json_object_get(v, "none")), 0);

	/* the index follows references and knows where nodes are */
	json_t *g =
	    json_loads("{\"@graph\": [{\"@id\": \"#o\", \"name\": \"O\"},"
	               " {\"x\": {\"@id\": \"#o\"}}]}",
	               0, NULL);
	json_t *idx = jld_index_new();
	assert_int_equal(jld_index_add(idx, g, "script[1]"), 0);
	const char *where;
	json_t *ref = json_object_get(
	    json_array_get(json_object_get(g, "@graph"), 1), "x");
	json_t *node = jld_resolve(idx, ref, &where);
	assert_string_equal(json_string_value(json_object_get(node, "name")),
	                    "O");
	assert_string_equal(where, "script[1].@graph[0]");
	json_t *unknown = json_string("#nowhere");
	assert_ptr_equal(jld_resolve(idx, unknown, &where), unknown);
	assert_null(where);
	json_decref(unknown);
	json_decref(idx);
	json_decref(g);
	json_decref(v);

	double x;
	json_t *s = json_string(" $52,000.50 ");
	assert_true(jld_number(s, JLD_NUM_MONEY, &x));
	assert_true(x == 52000.5);
	assert_false(jld_number(s, 0, &x));
	json_decref(s);
	static const char *const bad[] = {
	    "1,23", "nan", "inf", "0x10", "", "12 dollars", "1,234,56"};
	for (size_t i = 0; i < PW_ARRAY_LEN(bad); i++) {
		s = json_string(bad[i]);
		if (jld_number(s, JLD_NUM_MONEY, &x))
			fail_msg("'%s' read as a number", bad[i]);
		json_decref(s);
	}
	s = json_string("60");
	assert_true(jld_number(s, 0, &x) && x == 60);
	json_decref(s);
	bool b;
	s = json_string("TRUE");
	assert_true(jld_bool(s, &b) && b);
	json_decref(s);

	jld_path p;
	jld_path_set(&p, "");
	assert_string_equal(jld_path_str(&p), "$");
	size_t k = jld_path_key(&p, "a");
	jld_path_index(&p, 2);
	jld_path_key(&p, "b");
	assert_string_equal(jld_path_str(&p), "a[2].b");
	jld_path_back(&p, k);
	assert_string_equal(jld_path_str(&p), "$");
	for (int i = 0; i < 200; i++) /* clipped, never overrun */
		jld_path_key(&p, "long-key");
	assert_true(strlen(jld_path_str(&p)) < sizeof p.s);
}

static int count_block(void *ctx, size_t index, const char *text, size_t n,
                       size_t line, size_t column)
{
	char *seen = ctx;
	size_t len = strlen(seen);
	snprintf(seen + len, 512 - len, "%zu@%zu:%zu=%.*s|", index, line,
	         column, (int)n, text);
	return 0;
}

static void jsonld_html(void **state)
{
	(void)state;
	char seen[512] = "";
	const char *page =
	    "<p>x</p><script type=\"application/ld+json\">{\"a\":1}</script>\n"
	    "<!-- <script type=\"application/ld+json\">{}</script> -->\n"
	    "<script src=x></script><script type=text/javascript>"
	    "var s='<script type=\"application/ld+json\">';</script>\n"
	    "<ScRiPt\n type = 'application/ld+json' >\n<!--\n[2]\n-->\n"
	    "</script><script type=\"application/ld+json\">";
	size_t n = jld_html_scripts(page, strlen(page), count_block, seen);
	assert_int_equal(n, 3);
	/* block 1 starts after its comment wrapper on line 6 */
	assert_string_equal(seen, "0@1:44={\"a\":1}|1@6:5=\n[2]\n|2@9:45=|");

	char *t = jld_html_text("<h2>Role</h2><p>Lift&nbsp;&amp; carry"
	                        "<br/><br>&#x41;&#0;&bogus;</p><script>x<y"
	                        "</script><style>p{}</style>done &lt;3");
	assert_string_equal(t, "Role\n\nLift & carry\n\nA\xEF\xBF\xBD&bogus;"
	                       "\n\ndone <3");
	free(t);
	t = jld_html_text("1 < 2 & 3 > 2, no tags");
	assert_string_equal(t, "1 < 2 & 3 > 2, no tags");
	free(t);
	assert_true(jld_looks_like_html("a &amp; b"));
	assert_true(jld_looks_like_html("<b>x"));
	assert_false(jld_looks_like_html("a & b < c"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(single_posting_maps_every_field),
	    cmocka_unit_test(array_and_text_values),
	    cmocka_unit_test(graph_with_references),
	    cmocka_unit_test(html_page_blocks),
	    cmocka_unit_test(sloppy_values),
	    cmocka_unit_test(requirement_and_salary_rules),
	    cmocka_unit_test(ids_from_identifiers),
	    cmocka_unit_test(references_cannot_multiply),
	    cmocka_unit_test(broken_documents),
	    cmocka_unit_test(every_error_reported),
	    cmocka_unit_test(reimport_is_idempotent),
	    cmocka_unit_test(reimport_replaces),
	    cmocka_unit_test(real_examples),
	    cmocka_unit_test(round_trip_sample),
	    cmocka_unit_test(round_trip_corners),
	    cmocka_unit_test(export_credits_sources),
	    cmocka_unit_test(jsonld_dates),
	    cmocka_unit_test(jsonld_values),
	    cmocka_unit_test(jsonld_html),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
