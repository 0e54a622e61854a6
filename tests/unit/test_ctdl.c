/* test_ctdl.c - CTDL in and out (ctdl.c): every document shape (a single
 * resource, @graph envelopes with organizations, competencies and
 * references, arrays, registry envelopes, credentials inside other
 * documents), the mapping of each field (classes, skills, prerequisites,
 * components, durations, costs, occupations, credits), what is noted,
 * every kind of broken document refused with file and path and the store
 * unchanged, re-import, the real documents of ../shared/data, and plans
 * written as CTDL Pathways (and read back as a note). */
#include "fixture.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

#define PW_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *src_dir(void)
{
	const char *src = getenv("PATHWAY_SRC");
	return src && *src ? src : ".";
}

/* A document of tests/data/ctdl; fails the test when absent. */
static char *data_file(const char *rel, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/ctdl/%s", src_dir(), rel);
	char *text = fx_read_file(path, len);
	if (!text)
		fail_msg("cannot read %s (set PATHWAY_SRC)", path);
	return text;
}

static pw_engine *with_catalog(const char *rel)
{
	pw_engine *e = fx_open();
	char *doc = data_file(rel, NULL);
	fx_load_ok(e, doc);
	free(doc);
	return e;
}

static pw_engine *catalog(void)
{
	return with_catalog("catalog.json");
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
	r.st = pw_import_ctdl_buffers(e, names, texts, lens, n, &o, r.rep,
	                              &r.sum, &r.err);
	return r;
}

/* Imports files of tests/data/ctdl, each named by its relative path. */
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

static run import_doc(pw_engine *e, const char *json)
{
	char *doc = fx_dq(json);
	const char *names[] = {"doc.json"};
	run r = import_texts(e, names, (const char *const *)&doc, 1);
	free(doc);
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

static bool error_has(const run *r, const char *file, const char *path,
                      const char *reason)
{
	if (fx_report_has(r->rep, file, path, reason))
		return true;
	char *text = fx_report_text(r->rep);
	print_message("errors:\n%s", text);
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

static json_t *cred(pw_engine *e, const char *id)
{
	json_t *c = show(e, PW_KIND_CREDENTIAL, id);
	if (!c)
		fail_msg("no credential '%s'", id);
	return c;
}

/* The stored credential with this name (ids may be hashes). */
static json_t *cred_named(pw_engine *e, const char *name)
{
	pw_list *l;
	pw_error err;
	assert_int_equal(
	    pw_list_entities(e, PW_KIND_CREDENTIAL, NULL, &l, &err), PW_OK);
	json_t *found = NULL;
	for (size_t i = 0; i < l->count && !found; i++)
		if (l->items[i].name && strcmp(l->items[i].name, name) == 0)
			found = show(e, PW_KIND_CREDENTIAL, l->items[i].id);
	pw_list_free(l);
	if (!found)
		fail_msg("no credential named '%s'", name);
	return found;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static double num(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_number(v))
		fail_msg("'%s' is not a number", key);
	return json_number_value(v);
}

static bool has_str(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (json_is_string(v) &&
	                                  strcmp(json_string_value(v), s) ==
	                                      0) return true;
	return false;
}

/* The skill ids a credential certifies, in order, joined by spaces. */
static char *skills_of(const json_t *c)
{
	static char out[2048];
	size_t n = 0, i;
	json_t *s;
	out[0] = '\0';
	json_array_foreach(json_object_get(c, "skills"), i, s)
	{
		int w = snprintf(out + n, sizeof out - n, "%s%s", i ? " " : "",
		                 str(s, "skill"));
		if (w > 0 && (size_t)w < sizeof out - n)
			n += (size_t)w;
	}
	return out;
}

/* ---- shapes and fields ---- */

static void single_resource(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "single.json");
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 1);
	assert_int_equal(r.sum.created[PW_KIND_SKILL], 1);
	assert_int_equal(r.sum.notes, 0); /* unknown keys are ignored */

	json_t *c = cred(e, "ctdl.ce-00000000-0000-4000-8000-000000000002");
	assert_string_equal(str(c, "name"), "Forklift Safety");
	assert_string_equal(str(c, "type"), "micro-credential");
	assert_string_equal(str(c, "description"),
	                    "Operate a sit-down forklift safely.");
	/* an organization the document does not describe: its URI */
	assert_string_equal(str(c, "provider"),
	                    "https://example.org/org/acme-training");
	assert_string_equal(str(c, "url"),
	                    "https://example.org/forklift-safety");
	assert_true(num(c, "hours") == 16);
	assert_true(num(c, "cost") == 150);
	assert_int_equal(
	    json_integer_value(json_object_get(c, "expires_months")), 36);
	assert_string_equal(str(c, "modality"), "online");
	json_t *occ = json_object_get(c, "occupations");
	assert_int_equal(json_array_size(occ), 1);
	assert_true(has_str(occ, "53-7051.00")); /* ".00" added */
	json_t *aliases = json_object_get(c, "aliases");
	assert_int_equal(json_array_size(aliases), 3);
	assert_true(
	    has_str(aliases, "ce-00000000-0000-4000-8000-000000000002"));
	assert_true(has_str(aliases, "https://example.org/ctdl/forklift"));
	assert_true(has_str(aliases,
	                    "https://credentialengineregistry.org/"
	                    "resources/"
	                    "ce-00000000-0000-4000-8000-000000000002"));
	/* a competency the catalog lacks is created; the O*NET element is
	 * found by codedNotation, the forklift skill by its alias (any case
	 * and spacing), safety by its ESCO URI */
	assert_string_equal(skills_of(c),
	                    "ctdl.operate-forklift-in-a-warehouse "
	                    "reading fork safety");
	json_decref(c);
	json_t *s =
	    show(e, PW_KIND_SKILL, "ctdl.operate-forklift-in-a-warehouse");
	assert_non_null(s);
	assert_string_equal(str(s, "name"), "Operate forklift in a warehouse");
	assert_string_equal(str(json_object_get(s, "codes"), "ctdl"),
	                    "https://skills.example.org/operate-forklift");
	json_decref(s);
	run_free(&r);
	pw_close(e);
}

static void graph_envelope(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "graph.json");
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 2);

	json_t *lead = cred(e, "ctdl.ce-11111111-1111-4111-8111-111111111101");
	/* a draft's "@en-US" key; English preferred; HTML made text */
	assert_string_equal(str(lead, "name"), "Warehouse Lead Certification");
	assert_string_equal(str(lead, "description"), "For team leads.");
	/* ownedBy wins over offeredBy; the graph names the organization */
	assert_string_equal(str(lead, "provider"), "Acme Logistics Academy");
	assert_string_equal(str(lead, "type"), "certification");
	assert_true(num(lead, "hours") == 30); /* mean of P2W and P4W */
	assert_true(num(lead, "cost") == 1200.5);
	/* prerequisites: in the graph, a stored one by its CTID (upper
	 * case), an unlisted stored one by its graph URI */
	json_t *pre = json_object_get(lead, "prerequisites");
	assert_int_equal(json_array_size(pre), 3);
	assert_string_equal(json_string_value(json_array_get(pre, 0)),
	                    "ctdl.ce-11111111-1111-4111-8111-111111111102");
	assert_string_equal(json_string_value(json_array_get(pre, 1)),
	                    "osha10");
	assert_string_equal(json_string_value(json_array_get(pre, 2)),
	                    "badge.rigging");
	assert_true(note_has(&r,
	                     "@graph[0].ceterms:requires[0]."
	                     "ceterms:targetCredential[3]",
	                     "neither in the catalog nor in this import"));
	/* competencies given by reference to ceasn:Competency nodes: one
	 * created from its text, one matched by its label */
	assert_string_equal(skills_of(lead),
	                    "ctdl.lead-a-warehouse-shift-team load");
	json_t *s = show(e, PW_KIND_SKILL, "ctdl.lead-a-warehouse-shift-team");
	assert_non_null(s);
	assert_string_equal(str(json_object_get(s, "codes"), "ctdl"),
	                    "https://credentialengineregistry.org/resources/"
	                    "ce-11111111-1111-4111-8111-1111111111c1");
	json_decref(s);
	json_decref(lead);

	json_t *jack = cred(e, "ctdl.ce-11111111-1111-4111-8111-111111111102");
	/* the list form of a language map; the subclass wins over
	 * ceterms:Credential; exactDuration wins; P3D = 3 days of 8 h */
	assert_string_equal(str(jack, "name"), "Pallet Jack Basics");
	assert_string_equal(str(jack, "type"), "badge");
	assert_string_equal(str(jack, "provider"), "Acme Logistics Academy");
	assert_true(num(jack, "hours") == 24);
	assert_true(num(jack, "cost") == 0);
	assert_string_equal(skills_of(jack), "load"); /* teaches */
	json_decref(jack);
	/* what is not a credential is noted, the organization and the
	 * competencies are not */
	assert_true(note_has(&r, "@graph[5]",
	                     "ceterms:Pathway is not a CTDL "
	                     "credential"));
	assert_int_equal(r.sum.notes, 2);
	run_free(&r);
	pw_close(e);
}

static void stacks(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "stack.json");
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 4);
	json_t *a = cred_named(e, "Inventory counts");
	json_t *b = cred_named(e, "Shipping documents");
	json_t *stack = cred_named(e, "Logistics Essentials");
	json_t *comp = json_object_get(stack, "components");
	assert_int_equal(json_array_size(comp), 2);
	assert_true(has_str(comp, str(a, "id")));
	assert_true(has_str(comp, str(b, "id")));
	assert_string_equal(str(stack, "type"), "certificate");
	assert_true(note_has(&r, "@graph[0].ceterms:hasPart[2]",
	                     "ceasn:Competency, not a credential"));
	/* a bare duration string; a price without a currency is in USD */
	assert_true(num(a, "hours") == 6);
	assert_true(num(a, "cost") == 40);
	assert_true(num(b, "hours") == 1.5);
	/* one part unknown: holding the others would not be holding it */
	json_t *partial = cred_named(e, "Partial stack");
	assert_null(json_object_get(partial, "components"));
	assert_true(note_has(&r, "@graph[4].ceterms:hasPart",
	                     "1 unknown part: no components kept"));
	json_decref(a);
	json_decref(b);
	json_decref(stack);
	json_decref(partial);
	run_free(&r);
	pw_close(e);
}

static void classes(void **state)
{
	(void)state;
	static const struct {
		const char *cls, *type;
	} want[] = {
	    {"MicroCredential", "micro-credential"},
	    {"Badge", "badge"},
	    {"DigitalBadge", "badge"},
	    {"OpenBadge", "badge"},
	    {"Certificate", "certificate"},
	    {"ProfessionalCertificate", "certificate"},
	    {"CertificateOfCompletion", "certificate"},
	    {"ApprenticeshipCertificate", "certificate"},
	    {"Diploma", "certificate"},
	    {"SecondarySchoolDiploma", "certificate"},
	    {"Certification", "certification"},
	    {"QualityAssuranceCredential", "certification"},
	    {"License", "license"},
	    {"AssociateDegree", "degree"},
	    {"BachelorDegree", "degree"},
	    {"MasterDegree", "degree"},
	    {"DoctoralDegree", "degree"},
	    {"Degree", "degree"},
	    {"Course", "course"},
	    {"LearningProgram", "course"},
	    {"LearningOpportunityProfile", "course"},
	};
	pw_engine *e = fx_open();
	run r = import_one_ok(e, "types.json"); /* a root array */
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], PW_ARRAY_LEN(want));
	for (size_t i = 0; i < PW_ARRAY_LEN(want); i++) {
		char name[80];
		snprintf(name, sizeof name, "Type %s", want[i].cls);
		json_t *c = cred_named(e, name);
		if (strcmp(str(c, "type"), want[i].type) != 0)
			fail_msg("%s: %s, want %s", want[i].cls, str(c, "type"),
			         want[i].type);
		json_decref(c);
	}
	run_free(&r);
	pw_close(e);
}

static void durations(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		double hours;
	} want[] = {
	    {"Hours and minutes", 1.5},
	    {"Days", 24},
	    {"Weeks", 20},
	    {"Months", 390},
	    {"Year and months", 606.7},
	    {"Day and hours", 12},
	    {"Fraction", 2.5},
	    {"Range", 15},
	    {"Minimum only", 12},
	    {"Exact wins", 5},
	};
	pw_engine *e = fx_open();
	run r = import_one_ok(e, "durations.json");
	for (size_t i = 0; i < PW_ARRAY_LEN(want); i++) {
		json_t *c = cred_named(e, want[i].name);
		if (num(c, "hours") != want[i].hours)
			fail_msg("%s: %g hours, want %g", want[i].name,
			         num(c, "hours"), want[i].hours);
		json_decref(c);
	}
	json_t *none = cred_named(e, "Description only");
	assert_null(json_object_get(none, "hours"));
	json_decref(none);
	assert_true(note_has(&r, "@graph[10].ceterms:estimatedDuration",
	                     "hours unknown"));
	run_free(&r);
	pw_close(e);
}

static void costs(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	run r = import_one_ok(e, "costs.json");
	json_t *c = cred_named(e, "Aggregate");
	assert_true(num(c, "cost") == 4485);
	json_decref(c);
	/* tuition: the least of in-state and out-of-state; plus the
	 * application fee; plus two untyped prices */
	c = cred_named(e, "By cost type");
	assert_true(num(c, "cost") == 1535 + 100 + 20 + 30);
	json_decref(c);
	c = cred_named(e, "Euro and dollars");
	assert_true(num(c, "cost") == 75);
	json_decref(c);
	assert_true(note_has(&r,
	                     "@graph[2].ceterms:estimatedCost[0]."
	                     "ceterms:currency",
	                     "'EUR' is not counted"));
	c = cred_named(e, "Euro only");
	assert_null(json_object_get(c, "cost"));
	json_decref(c);
	assert_true(
	    note_has(&r, "@graph[3].ceterms:estimatedCost", "cost unknown"));
	run_free(&r);
	pw_close(e);
}

static void credits(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	run r = import_one_ok(e, "credits.json");
	json_t *c = cred_named(e, "Semester");
	assert_true(num(c, "college_credits") == 60); /* from requires */
	json_decref(c);
	c = cred_named(e, "Quarter");
	assert_true(num(c, "college_credits") == 3); /* 4.5 quarter hours */
	json_decref(c);
	c = cred_named(e, "Range");
	assert_true(num(c, "college_credits") == 3.5);
	json_decref(c);
	c = cred_named(e, "Clock hours");
	assert_null(json_object_get(c, "college_credits"));
	json_decref(c);
	assert_true(note_has(&r, "@graph[3].ceterms:creditValue[0]",
	                     "not college credit hours"));
	run_free(&r);
	pw_close(e);
}

/* FORMATS.md §0.5: the preferred language, else English, else the first:
 * a map holding only another language still names the credential; an
 * object that is not a language map is not text. */
static void language_maps(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	run r = import_one_ok(e, "lang-fr.json");
	json_t *c = cred_named(e, "Sécurité au travail");
	assert_string_equal(str(c, "description"),
	                    "Décrit en français seulement");
	json_decref(c);
	run_free(&r);
	char *before = fx_dump(e);
	const char *rel = "bad/name-not-text.json";
	r = import_data(e, &rel, 1);
	assert_int_equal(r.st, PW_ERR_INVALID);
	assert_true(error_has(&r, rel, "ceterms:name",
	                      "expected text (a string, a language map or a "
	                      "value object), found an object"));
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	run_free(&r);
	pw_close(e);
}

static void other_shapes(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	/* a registry envelope: its decoded_resource */
	run r = import_one_ok(e, "envelope.json");
	json_t *c = cred(e, "ctdl.ce-44444444-4444-4444-8444-444444444401");
	assert_string_equal(str(c, "type"), "license");
	json_decref(c);
	run_free(&r);
	/* credentials inside another document, with a part given in place
	 * and a compact "res:" id (not kept as an alias) */
	r = import_one_ok(e, "embedded.json");
	c = cred(e, "ctdl.ce-55555555-5555-4555-8555-555555555501");
	assert_string_equal(str(c, "type"), "degree");
	json_t *comp = json_object_get(c, "components");
	assert_int_equal(json_array_size(comp), 1);
	assert_string_equal(json_string_value(json_array_get(comp, 0)),
	                    "ctdl.ce-55555555-5555-4555-8555-555555555502");
	assert_false(has_str(json_object_get(c, "aliases"),
	                     "res:ce-55555555-5555-4555-8555-555555555501"));
	json_decref(c);
	assert_true(note_has(&r, "$",
	                     "VerifiableCredential is not a CTDL "
	                     "credential"));
	run_free(&r);
	pw_close(e);
}

/* ownedBy as an object carrying the name, offeredBy when there is no
 * owner; occupations given by onetonline URLs only. */
static void providers_and_occupations(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	run r = import_doc(
	    e,
	    "{'@graph': [{'@id': 'https://example.org/p/1', '@type': "
	    "'ceterms:Certificate', 'ceterms:name': 'Inline owner', "
	    "'ceterms:ownedBy': [{'@type': 'ceterms:CredentialOrganization', "
	    "'ceterms:name': {'en-US': ' Inline Org '}}], "
	    "'ceterms:occupationType': [{'ceterms:targetNode': "
	    "'https://www.onetonline.org/link/summary/15-1252.00'}, "
	    "'https://www.onetonline.org/link/summary/15-1211', "
	    "{'ceterms:codedNotation': '15-1252.00'}]}, "
	    "{'@id': 'https://example.org/p/2', '@type': 'ceterms:Badge', "
	    "'ceterms:name': 'Offered only', 'ceterms:offeredBy': "
	    "'https://example.org/org/offerer', 'ceterms:description': "
	    "'<p><b></b></p>'}]}");
	expect_ok(&r);
	json_t *c = cred_named(e, "Inline owner");
	assert_string_equal(str(c, "provider"), "Inline Org");
	json_t *occ = json_object_get(c, "occupations");
	assert_int_equal(json_array_size(occ), 2);
	assert_string_equal(json_string_value(json_array_get(occ, 0)),
	                    "15-1252.00");
	assert_string_equal(json_string_value(json_array_get(occ, 1)),
	                    "15-1211.00");
	json_decref(c);
	c = cred_named(e, "Offered only");
	/* a description whose HTML holds no text is no description */
	assert_null(json_object_get(c, "description"));
	assert_string_equal(str(c, "provider"),
	                    "https://example.org/org/offerer");
	json_decref(c);
	run_free(&r);
	pw_close(e);
}

/* Drafts point requires at the credential itself; a condition profile
 * the file does not hold is noted. */
static void draft_requires(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_doc(e, "{'@type': 'Badge', 'name': 'Draft', "
	                      "'requires': ['CE-0A1B2C3D-0000-4000-8000-"
	                      "000000000010', {'@id': '_:elsewhere'}]}");
	expect_ok(&r);
	json_t *c = cred(e, "ctdl.draft");
	json_t *pre = json_object_get(c, "prerequisites");
	assert_int_equal(json_array_size(pre), 1);
	assert_string_equal(json_string_value(json_array_get(pre, 0)),
	                    "osha10");
	assert_true(note_has(&r, "requires[1]",
	                     "condition profile '_:elsewhere' is not in the "
	                     "document"));
	json_decref(c);
	run_free(&r);
	pw_close(e);
}

/* A Pathway (ours, or a registry's) is not a credential: a note, not an
 * error, and nothing written. */
static void pathway_is_a_note(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	char *before = fx_dump(e);
	run r = import_one_ok(e, "pathway.json");
	assert_true(note_has(&r, "$", "a CTDL Pathway holds no credential"));
	assert_int_equal(r.sum.notes, 1);
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	run_free(&r);
	pw_close(e);
}

/* ---- errors ---- */

static void errors(void **state)
{
	(void)state;
	static const struct {
		const char *file, *path, *reason;
	} cases[] = {
	    {"bad/not-json.json", "$", "invalid JSON"},
	    {"bad/empty.json", "$", "an empty file"},
	    {"bad/no-credential.json", "$",
	     "no CTDL credential (found ceterms:CredentialOrganization)"},
	    {"bad/no-name.json", "@graph[1]",
	     "a credential needs a name (ceterms:name)"},
	    {"bad/self-prereq.json",
	     "ceterms:requires[0].ceterms:targetCredential[0]",
	     "the credential lists itself as a prerequisite"},
	    {"bad/negative-price.json",
	     "ceterms:estimatedCost[0].ceterms:price",
	     "a negative price (-50)"},
	    {"bad/bad-duration.json",
	     "ceterms:estimatedDuration[0].ceterms:exactDuration",
	     "'6 weeks' is not an ISO 8601 duration"},
	    {"bad/wrong-types.json", "@graph[0].ceterms:name", "expected text"},
	    {"bad/wrong-types.json",
	     "@graph[1].ceterms:estimatedDuration[0].ceterms:exactDuration",
	     "expected an ISO 8601 duration, found a number"},
	    {"bad/wrong-types.json",
	     "@graph[2].ceterms:estimatedCost[0].ceterms:price",
	     "'about fifty' is not a price"},
	    {"bad/wrong-types.json", "@graph[3].ceterms:requires[0]",
	     "expected a ConditionProfile, found a number"},
	    {"bad/wrong-types.json", "@graph[4].ceterms:ctid",
	     "expected a CTID (a string), found a number"},
	    {"bad/wrong-types.json", "@graph[5].ceterms:subjectWebpage",
	     "expected a URI, found an object"},
	};
	pw_engine *e = catalog();
	char *before = fx_dump(e);
	for (size_t i = 0; i < PW_ARRAY_LEN(cases); i++) {
		/* with a good document beside it: nothing half-imported */
		const char *rels[] = {"single.json", cases[i].file};
		run r = import_data(e, rels, 2);
		if (r.st != PW_ERR_INVALID)
			fail_msg("%s: status %s", cases[i].file,
			         pw_status_name(r.st));
		if (!error_has(&r, cases[i].file, cases[i].path,
		               cases[i].reason))
			fail_msg("%s: no error at %s", cases[i].file,
			         cases[i].path);
		assert_non_null(strstr(r.err.message, "nothing was imported"));
		char *after = fx_dump(e);
		assert_string_equal(before, after);
		free(after);
		run_free(&r);
	}
	free(before);
	pw_close(e);
}

/* Two files that name each other as prerequisites: the loader's cycle
 * check, reported at the place in the file. */
static void cycles(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	char *before = fx_dump(e);
	const char *rels[] = {"bad/cycle-a.json", "bad/cycle-b.json"};
	run r = import_data(e, rels, 2);
	assert_int_equal(r.st, PW_ERR_INVALID);
	assert_true(error_has(&r, "bad/cycle-a.json", "ceterms:requires",
	                      "cycle in prerequisites"));
	assert_non_null(strstr(r.err.message, "nothing was imported"));
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	run_free(&r);
	/* each alone is fine: the other is unknown, a note */
	r = import_data(e, rels, 1);
	expect_ok(&r);
	assert_true(note_has(&r, "ceterms:requires[0].ceterms:targetCredential",
	                     "neither in the catalog nor in this import"));
	run_free(&r);
	pw_close(e);
}

/* A cycle through a stored credential: the native loader sees it. */
static void cycle_through_store(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	char *doc = fx_dq("{'credentials': [{'id': 'after', 'name': 'After', "
	                  "'prerequisites': ['osha10']}]}");
	fx_load_ok(e, doc);
	free(doc);
	char *before = fx_dump(e);
	run r = import_doc(
	    e, "{'@type': 'ceterms:Badge', 'ceterms:name': 'Loop', "
	       "'ceterms:ctid': 'ce-0a1b2c3d-0000-4000-8000-000000000010', "
	       "'ceterms:requires': [{'ceterms:targetCredential': 'after'}]}");
	assert_int_equal(r.st, PW_ERR_INVALID);
	assert_true(error_has(&r, "doc.json", "ceterms:requires",
	                      "cycle in prerequisites"));
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	run_free(&r);
	pw_close(e);
}

/* ---- ids and re-import ---- */

static void reimport_changes_nothing(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	const char *rels[] = {"single.json",  "graph.json",     "stack.json",
	                      "types.json",   "durations.json", "costs.json",
	                      "credits.json", "embedded.json",  "lang-fr.json"};
	run r = import_data(e, rels, PW_ARRAY_LEN(rels));
	expect_ok(&r);
	size_t created = r.sum.created[PW_KIND_CREDENTIAL];
	size_t skills = r.sum.created[PW_KIND_SKILL];
	assert_true(created > 40);
	run_free(&r);
	char *before = fx_dump(e);
	r = import_data(e, rels, PW_ARRAY_LEN(rels));
	expect_ok(&r);
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 0);
	assert_int_equal(r.sum.updated[PW_KIND_CREDENTIAL], created);
	assert_int_equal(r.sum.created[PW_KIND_SKILL], 0);
	assert_true(skills > 0);
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
	r = import_doc(e, "{'@type': 'ceterms:Certificate', "
	                  "'ceterms:ctid': "
	                  "'ce-00000000-0000-4000-8000-000000000002', "
	                  "'ceterms:name': 'Forklift Safety II'}");
	expect_ok(&r);
	assert_int_equal(r.sum.updated[PW_KIND_CREDENTIAL], 1);
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 0);
	json_t *c = cred(e, "ctdl.ce-00000000-0000-4000-8000-000000000002");
	assert_string_equal(str(c, "name"), "Forklift Safety II");
	assert_string_equal(str(c, "type"), "certificate");
	assert_null(json_object_get(c, "hours"));
	assert_int_equal(json_array_size(json_object_get(c, "skills")), 0);
	/* the aliases it had are kept (a badge may have been matched by
	 * its @id) */
	assert_true(has_str(json_object_get(c, "aliases"),
	                    "https://example.org/ctdl/forklift"));
	json_decref(c);
	run_free(&r);
	pw_close(e);
}

/* A stored credential that already carries the CTID (as an alias, or an
 * unlisted one a badge created) is the one replaced, under its own id. */
static void stored_credential_kept(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_doc(e, "{'@type': 'ceterms:Certification', "
	                      "'ceterms:ctid': "
	                      "'ce-0a1b2c3d-0000-4000-8000-000000000010', "
	                      "'ceterms:name': 'OSHA 10 (registry)'}");
	expect_ok(&r);
	assert_int_equal(r.sum.updated[PW_KIND_CREDENTIAL], 1);
	json_t *c = cred(e, "osha10");
	assert_string_equal(str(c, "name"), "OSHA 10 (registry)");
	json_decref(c);
	run_free(&r);
	r = import_doc(e, "{'@id': "
	                  "'https://credentialengineregistry.org/resources/"
	                  "ce-0a1b2c3d-0000-4000-8000-000000000011', "
	                  "'@type': 'ceterms:License', "
	                  "'ceterms:name': 'Rigging License'}");
	expect_ok(&r);
	c = cred(e, "badge.rigging");
	assert_string_equal(str(c, "type"), "license");
	assert_true(json_is_true(json_object_get(c, "listed")));
	json_decref(c);
	run_free(&r);
	pw_close(e);
}

static void same_credential_twice(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	const char *rels[] = {"single.json", "single.json"};
	run r = import_data(e, rels, 2);
	expect_ok(&r);
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 1);
	assert_true(note_has(&r, "$", "the same credential as single.json: $"));
	run_free(&r);
	pw_close(e);
}

static void ids(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	/* no CTID: a hash of the @id; a blank node: a slug of the name */
	run r = import_doc(e, "{'@graph': [{'@id': 'https://example.org/x', "
	                      "'@type': 'ceterms:Badge', 'ceterms:name': 'X'}, "
	                      "{'@id': '_:b0', '@type': 'ceterms:Badge', "
	                      "'ceterms:name': 'Blank Node Badge'}]}");
	expect_ok(&r);
	json_t *x = cred_named(e, "X");
	assert_int_equal(strlen(str(x, "id")), 5 + 16);
	assert_memory_equal(str(x, "id"), "ctdl.", 5);
	json_decref(x);
	json_t *b = cred(e, "ctdl.blank-node-badge");
	assert_null(json_object_get(b, "aliases"));
	json_decref(b);
	run_free(&r);
	/* a malformed CTID is noted and the @id's CTID used */
	r = import_doc(e, "{'@id': 'https://credentialengineregistry.org/"
	                  "resources/ce-66666666-6666-4666-8666-666666666601', "
	                  "'@type': 'ceterms:Badge', 'ceterms:ctid': "
	                  "'ce-66666666-6666-4666-8666-66666666660', "
	                  "'ceterms:name': 'Typo'}");
	expect_ok(&r);
	assert_true(note_has(&r, "ceterms:ctid", "is not a CTID"));
	json_decref(cred(e, "ctdl.ce-66666666-6666-4666-8666-666666666601"));
	run_free(&r);
	pw_close(e);
}

/* ---- real documents ---- */

static bool real_dir(char *out, size_t n, const char *rel)
{
	snprintf(out, n, "%s/../shared/data/%s", src_dir(), rel);
	DIR *d = opendir(out);
	if (!d)
		return false;
	closedir(d);
	return true;
}

/* Every JSON file under dir, recursively, appended to paths. */
static void json_files(const char *dir, char ***paths, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	assert_non_null(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		DIR *sub = opendir(path);
		if (sub) {
			closedir(sub);
			json_files(path, paths, n);
			continue;
		}
		size_t len = strlen(de->d_name);
		if ((len > 5 && strcmp(de->d_name + len - 5, ".json") == 0) ||
		    (len > 7 && strcmp(de->d_name + len - 7, ".jsonld") == 0)) {
			*paths = realloc(*paths, (*n + 1) * sizeof **paths);
			assert_non_null(*paths);
			(*paths)[(*n)++] = strdup(path);
		}
	}
	closedir(d);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What each real document must give: a credential (checked below) or
 * one clear error: not CTDL (the Registry Assistant's own input format,
 * a competency framework, an organization or an assessment), not JSON. */
static const char *expected_error(const char *path)
{
	static const struct {
		const char *end, *reason;
	} cases[] = {
	    {"Credential_PublishDetailedRecord_API_Input.json", "invalid JSON"},
	    {"_raInput.json", "no CTDL credential"},
	    {"_API_Input.json", "no CTDL credential"},
	    {"_Api_input.json", "no CTDL credential"},
	    {"ConditionManifest.json", "invalid JSON"},
	    {"Organization-1.json", "no CTDL credential (found "
	                            "ceterms:Organization)"},
	    {"OrganizationEnvelope.json", "no CTDL credential"},
	    {"AssessmentEnvelope.json",
	     "no CTDL credential (found ceterms:AssessmentProfile)"},
	    {"CostManifest.json", "no CTDL credential"},
	    {"Competency_Framework.json", "no CTDL credential (found "
	                                  "ceasn:CompetencyFramework"},
	    {"s_2_1_StandaloneCompetence.json", "no CTDL credential"},
	    {"s_4_1_AssessmentAccreditation.json", "no CTDL credential"},
	};
	size_t n = strlen(path);
	for (size_t i = 0; i < PW_ARRAY_LEN(cases); i++) {
		size_t m = strlen(cases[i].end);
		if (n >= m && strcmp(path + n - m, cases[i].end) == 0)
			return cases[i].reason;
	}
	return NULL;
}

static void real_documents(void **state)
{
	(void)state;
	char dir[4096];
	char **paths = NULL;
	size_t n = 0;
	if (!real_dir(dir, sizeof dir, "examples/ctdl")) {
		print_message("SKIPPED: %s is absent\n", dir);
		skip();
	}
	json_files(dir, &paths, &n);
	if (real_dir(dir, sizeof dir, "credential_format_samples"))
		json_files(dir, &paths, &n);
	else
		print_message("SKIPPED: %s is absent\n", dir);
	qsort(paths, n, sizeof *paths, by_name);
	assert_true(n >= 6);
	size_t imported = 0;
	for (size_t i = 0; i < n; i++) {
		pw_engine *e = fx_open();
		pw_report *rep = pw_report_new(), *notes = pw_report_new();
		pw_import_opts o = {.notes = notes};
		pw_import_summary sum;
		pw_error err;
		const char *p = paths[i];
		pw_status st = pw_import_ctdl(e, &p, 1, &o, rep, &sum, &err);
		const char *want = expected_error(p);
		if (want) {
			if (st != PW_ERR_INVALID ||
			    !fx_report_has(rep, p, "$", want))
				fail_msg("%s: want '%s', got %s", p, want,
				         pw_status_name(st));
			char *dump = fx_dump(e);
			assert_string_equal(dump, "");
			free(dump);
		} else {
			if (st) {
				char *text = fx_report_text(rep);
				fail_msg("%s: %s\n%s", p, err.message, text);
			}
			if (sum.created[PW_KIND_CREDENTIAL] < 1)
				fail_msg("%s: no credential", p);
			imported++;
		}
		pw_report_free(rep);
		pw_report_free(notes);
		pw_close(e);
	}
	assert_true(imported >= 10);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static void real_fields(void **state)
{
	(void)state;
	char dir[4096];
	if (!real_dir(dir, sizeof dir, "examples/ctdl")) {
		print_message("SKIPPED: %s is absent\n", dir);
		skip();
	}
	static const char *const names[] = {
	    "ingest_Course-1a.json", "ingest_Credential-1.json",
	    "ingest_LearningProgram-1.json",
	    "schemadev_CompTIA-IT_Networking_Specialist_pathway.jsonld",
	    "schemadev_VC_CompetenceAndDegree.json"};
	char paths[5][4200];
	const char *p[5];
	for (size_t i = 0; i < 5; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/%s", dir, names[i]);
		p[i] = paths[i];
	}
	pw_engine *e = fx_open();
	pw_report *rep = pw_report_new(), *notes = pw_report_new();
	pw_import_opts o = {.notes = notes};
	pw_import_summary sum;
	pw_error err;
	pw_status st = pw_import_ctdl(e, p, 5, &o, rep, &sum, &err);
	if (st) {
		char *text = fx_report_text(rep);
		fail_msg("%s\n%s", err.message, text);
	}
	/* Course-1a: "US Dollar", SOC codes with .00 */
	json_t *c = cred(e, "ctdl.ce-7160aae4-5185-4564-95ab-428419974643");
	assert_string_equal(str(c, "name"), "Personal Growth Mastery");
	assert_string_equal(str(c, "type"), "course");
	assert_true(num(c, "cost") == 995);
	assert_true(has_str(json_object_get(c, "occupations"), "15-1131.00"));
	assert_true(has_str(json_object_get(c, "occupations"), "15-1251.00"));
	assert_string_equal(str(c, "modality"), "online");
	json_decref(c);
	/* the bachelor's degree */
	c = cred(e, "ctdl.ce-edc318c1-aa67-47e2-9638-a8529e6612d4");
	assert_string_equal(str(c, "type"), "degree");
	assert_string_equal(str(c, "name"),
	                    "Bachelor of Science in Cybersecurity");
	json_decref(c);
	/* P9M of part-time study; an AggregateCost; the courses it lists
	 * are not in this import (Course-1a is, the others are not), so it
	 * is not made a stack */
	c = cred(e, "ctdl.ce-23b0e606-545c-4383-8630-f97ec3b190fa");
	assert_true(num(c, "hours") == 390);
	assert_true(num(c, "cost") == 4485);
	assert_null(json_object_get(c, "components"));
	json_decref(c);
	/* CompTIA: a draft pathway graph; the certifications are read, one
	 * of them with a mistyped CTID taken from its @id */
	c = cred(e, "ctdl.ce-cab3d216-e834-452d-bf83-60972afd3079");
	assert_string_equal(str(c, "name"), "CompTIA Linux+");
	assert_string_equal(str(c, "type"), "certification");
	json_decref(c);
	c = cred(e, "ctdl.ce-18a9285f-af87-4b16-8a07-88677429d23e");
	assert_string_equal(str(c, "name"), "CompTIA Cloud Essentials+");
	json_decref(c);
	assert_true(fx_report_has(notes, p[3], "@graph[0]",
	                          "ceterms:Pathway is not a CTDL credential"));
	/* a degree inside a verifiable credential, requiring competencies
	 * given by reference */
	c = cred(e, "ctdl.ce-49247727-7cbd-4f0e-8179-e51036d1f14a");
	assert_string_equal(skills_of(c),
	                    "ctdl.knowledge-of-science ctdl.knowledge-of-arts");
	json_decref(c);
	pw_report_free(rep);
	pw_report_free(notes);
	pw_close(e);
}

/* ---- plans as CTDL Pathways ---- */

static json_t *plan_doc(pw_engine *e, const char *learner, const char *target,
                        pw_objective by, pw_plan **keep)
{
	pw_plan *p;
	pw_error err;
	char *text;
	if (pw_plan_target(e, learner, target, fx_date("2025-06-01"), by, &p,
	                   &err))
		fail_msg("plan: %s", err.message);
	if (pw_plan_ctdl(e, p, PW_JSON_PRETTY, &text, &err))
		fail_msg("plan_ctdl: %s", err.message);
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);
	if (!doc)
		fail_msg("not JSON: %s\n%s", jerr.text, text);
	assert_int_equal(text[strlen(text) - 1], '\n');
	pw_free(text);
	if (keep)
		*keep = p;
	else
		pw_plan_free(p);
	return doc;
}

/* The node of the graph with this @id. */
static json_t *node(const json_t *doc, const char *id)
{
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(doc, "@graph"), i,
	                   n) if (strcmp(str(n, "@id"), id) == 0) return n;
	fail_msg("no node '%s'", id);
	return NULL;
}

static const char *en(const json_t *n, const char *key)
{
	return str(json_object_get(n, key), "en-US");
}

static void plan_pathway(void **state)
{
	(void)state;
	pw_engine *e = with_catalog("plan-catalog.json");
	pw_plan *p;
	json_t *doc = plan_doc(e, "l.ann", "j.lead", PW_BY_HOURS, &p);
	assert_int_equal(p->nsteps, 4);
	assert_true(p->reachable);
	assert_string_equal(str(doc, "@context"),
	                    "https://credreg.net/ctdl/schema/context/json");
	json_t *graph = json_object_get(doc, "@graph");
	assert_int_equal(json_array_size(graph), 2 + 4);

	const char *base = "urn:pathway:plan:l.ann:j.lead";
	json_t *pw = json_array_get(graph, 0);
	assert_string_equal(str(pw, "@id"), base);
	assert_string_equal(str(pw, "@type"), "ceterms:Pathway");
	assert_string_equal(en(pw, "ceterms:name"),
	                    "Pathway to Warehouse Lead");
	/* ids, never the learner's name */
	assert_null(strstr(en(pw, "ceterms:description"), "Ann Example"));
	assert_non_null(strstr(en(pw, "ceterms:description"), "l.ann"));
	const char *dest_id = str(pw, "ceterms:hasDestinationComponent");
	assert_string_equal(dest_id, "urn:pathway:plan:l.ann:j.lead:target");
	assert_int_equal(
	    json_array_size(json_object_get(pw, "ceterms:hasPart")), 5);
	json_t *occ =
	    json_array_get(json_object_get(pw, "ceterms:occupationType"), 0);
	assert_string_equal(str(occ, "ceterms:codedNotation"), "53-1042.00");

	json_t *dest = node(doc, dest_id);
	assert_string_equal(str(dest, "@type"), "ceterms:JobComponent");
	assert_string_equal(en(dest, "ceterms:name"), "Warehouse Lead");
	assert_string_equal(str(dest, "ceterms:proxyFor"),
	                    "https://jobs.example.org/lead");
	assert_string_equal(str(dest, "ceterms:isDestinationComponentOf"),
	                    base);
	json_t *cond =
	    json_array_get(json_object_get(dest, "ceterms:hasCondition"), 0);
	assert_string_equal(str(cond, "@type"), "ceterms:ComponentCondition");
	assert_int_equal(
	    json_integer_value(json_object_get(cond, "ceterms:requiredNumber")),
	    4);
	assert_int_equal(
	    json_array_size(json_object_get(cond, "ceterms:targetComponent")),
	    4);

	/* one component per step, in plan order, chained by precedes */
	char ids[4][200];
	for (size_t i = 0; i < 4; i++) {
		snprintf(ids[i], sizeof ids[i], "%s:credential:%s", base,
		         p->steps[i].credential);
		json_t *c = node(doc, ids[i]);
		assert_string_equal(en(c, "ceterms:name"), p->steps[i].name);
		assert_string_equal(str(c, "ceasn:isPartOf"), base);
		assert_string_equal(str(c, "ceasn:isChildOf"), dest_id);
		if (i > 0)
			assert_string_equal(str(c, "ceterms:precededBy"),
			                    ids[i - 1]);
		else
			assert_null(json_object_get(c, "ceterms:precededBy"));
	}
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(str(node(doc, ids[i]), "ceterms:precedes"),
		                    i + 1 < 4 ? ids[i + 1] : dest_id);
	assert_string_equal(str(dest, "ceterms:precededBy"), ids[3]);

	/* proxyFor: a registry resource alias; a CTID made one; the url;
	 * else a URN */
	char id[200];
	snprintf(id, sizeof id, "%s:credential:%s", base,
	         "ctdl.ce-aaaaaaaa-0000-4000-8000-000000000001");
	json_t *fork = node(doc, id);
	assert_string_equal(str(fork, "ceterms:proxyFor"),
	                    "https://credentialengineregistry.org/resources/"
	                    "ce-aaaaaaaa-0000-4000-8000-000000000001");
	assert_string_equal(str(fork, "@type"), "ceterms:CredentialComponent");
	assert_string_equal(str(fork, "ceterms:credentialType"),
	                    "ceterms:MicroCredential");
	snprintf(id, sizeof id, "%s:credential:lead-course", base);
	json_t *course = node(doc, id);
	assert_string_equal(str(course, "@type"), "ceterms:CourseComponent");
	assert_null(json_object_get(course, "ceterms:credentialType"));
	assert_string_equal(str(course, "ceterms:proxyFor"),
	                    "https://credentialengineregistry.org/resources/"
	                    "ce-aaaaaaaa-0000-4000-8000-000000000003");
	/* the catalog's prerequisite, inside the plan: required order */
	json_t *pre = json_object_get(course, "ceterms:prerequisite");
	assert_int_equal(json_array_size(pre), 1);
	snprintf(id, sizeof id, "%s:credential:osha10", base);
	assert_string_equal(json_string_value(json_array_get(pre, 0)), id);
	json_t *credit =
	    json_array_get(json_object_get(course, "ceterms:creditValue"), 0);
	assert_true(
	    json_number_value(json_object_get(credit, "schema:value")) == 3);
	json_t *osha = node(doc, id);
	assert_string_equal(str(osha, "ceterms:proxyFor"),
	                    "https://example.org/osha10");
	assert_string_equal(str(osha, "ceterms:credentialType"),
	                    "ceterms:Certification");
	snprintf(id, sizeof id, "%s:credential:load-badge", base);
	assert_string_equal(str(node(doc, id), "ceterms:proxyFor"),
	                    "urn:pathway:credential:load-badge");
	json_decref(doc);
	pw_plan_free(p);
	pw_close(e);
}

static void plan_pathway_unreachable(void **state)
{
	(void)state;
	pw_engine *e = with_catalog("plan-catalog.json");
	pw_plan *p;
	json_t *doc = plan_doc(e, "l.ann", "j.block", PW_BY_COST, &p);
	assert_false(p->reachable);
	assert_int_equal(p->nsteps, 1);
	json_t *pw = json_array_get(json_object_get(doc, "@graph"), 0);
	const char *text = en(pw, "ceterms:description");
	assert_memory_equal(text, "Incomplete:", 11);
	assert_non_null(strstr(text, "least cost"));
	const char *base = "urn:pathway:plan:l.ann:j.block";
	char id[200];
	snprintf(id, sizeof id, "%s:skill:rare", base);
	json_t *skill = node(doc, id);
	assert_string_equal(str(skill, "@type"), "ceterms:CompetencyComponent");
	assert_string_equal(en(skill, "ceterms:name"), "Hazmat rigging");
	assert_non_null(strstr(en(skill, "ceterms:description"), "level 3"));
	snprintf(id, sizeof id, "%s:credential:rigging", base);
	json_t *lic = node(doc, id);
	assert_string_equal(str(lic, "ceterms:credentialType"),
	                    "ceterms:License");
	/* the destination needs the step and both blockers */
	json_t *dest = node(doc, str(pw, "ceterms:hasDestinationComponent"));
	json_t *cond =
	    json_array_get(json_object_get(dest, "ceterms:hasCondition"), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(cond, "ceterms:requiredNumber")),
	    3);
	assert_null(json_object_get(dest, "ceterms:occupationType"));
	json_decref(doc);
	pw_plan_free(p);
	pw_close(e);
}

static void plan_pathway_occupation(void **state)
{
	(void)state;
	pw_engine *e = with_catalog("plan-catalog.json");
	json_t *doc = plan_doc(e, "l.ann", "53-7051.00", PW_BY_HOURS, NULL);
	json_t *pw = json_array_get(json_object_get(doc, "@graph"), 0);
	json_t *dest = node(doc, str(pw, "ceterms:hasDestinationComponent"));
	assert_string_equal(str(dest, "@type"), "ceterms:JobComponent");
	assert_string_equal(str(dest, "ceterms:proxyFor"),
	                    "https://www.onetonline.org/link/summary/"
	                    "53-7051.00");
	json_t *occ =
	    json_array_get(json_object_get(dest, "ceterms:occupationType"), 0);
	assert_string_equal(str(occ, "ceterms:codedNotation"), "53-7051.00");
	json_decref(doc);
	/* already qualified: the destination alone, no condition */
	doc = plan_doc(e, "l.pro", "53-7051.00", PW_BY_HOURS, NULL);
	assert_int_equal(json_array_size(json_object_get(doc, "@graph")), 2);
	pw = json_array_get(json_object_get(doc, "@graph"), 0);
	assert_non_null(
	    strstr(en(pw, "ceterms:description"), "already qualified"));
	dest = json_array_get(json_object_get(doc, "@graph"), 1);
	assert_null(json_object_get(dest, "ceterms:hasCondition"));
	json_decref(doc);
	pw_close(e);
}

/* The output read back: a Pathway is not a credential, so a note. */
static void plan_pathway_reimport(void **state)
{
	(void)state;
	pw_engine *e = with_catalog("plan-catalog.json");
	pw_plan *p;
	pw_error err;
	char *text;
	assert_int_equal(pw_plan_target(e, "l.ann", "j.lead",
	                                fx_date("2025-06-01"), PW_BY_HOURS, &p,
	                                &err),
	                 PW_OK);
	assert_int_equal(pw_plan_ctdl(e, p, 0, &text, &err), PW_OK);
	/* compact: one line */
	assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1);
	char *before = fx_dump(e);
	const char *names[] = {"plan.json"};
	run r = import_texts(e, names, (const char *const *)&text, 1);
	expect_ok(&r);
	assert_true(note_has(&r, "$", "a CTDL Pathway holds no credential"));
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	run_free(&r);
	pw_free(text);
	pw_plan_free(p);
	pw_close(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(single_resource),
	    cmocka_unit_test(graph_envelope),
	    cmocka_unit_test(stacks),
	    cmocka_unit_test(classes),
	    cmocka_unit_test(durations),
	    cmocka_unit_test(costs),
	    cmocka_unit_test(credits),
	    cmocka_unit_test(language_maps),
	    cmocka_unit_test(other_shapes),
	    cmocka_unit_test(providers_and_occupations),
	    cmocka_unit_test(draft_requires),
	    cmocka_unit_test(pathway_is_a_note),
	    cmocka_unit_test(errors),
	    cmocka_unit_test(cycles),
	    cmocka_unit_test(cycle_through_store),
	    cmocka_unit_test(reimport_changes_nothing),
	    cmocka_unit_test(reimport_replaces),
	    cmocka_unit_test(stored_credential_kept),
	    cmocka_unit_test(same_credential_twice),
	    cmocka_unit_test(ids),
	    cmocka_unit_test(real_documents),
	    cmocka_unit_test(real_fields),
	    cmocka_unit_test(plan_pathway),
	    cmocka_unit_test(plan_pathway_unreachable),
	    cmocka_unit_test(plan_pathway_occupation),
	    cmocka_unit_test(plan_pathway_reimport),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
