/* test_badges.c - Open Badges 2.0/3.0 and CLR 2.0 into a learner's record,
 * and catalog credentials out as Open Badges 3.0 achievements (badges.c):
 * every shape (OB 3.0 on VC 2.0 and VC 1.1, compact JWS and JWT, OB 2.0
 * embedded and hosted, CLR bundles, arrays, the OB API answer), the mapping
 * to catalog credentials and the credentials made from achievements, the
 * notes, every broken document refused with file and path and the store
 * unchanged, importing twice, the real documents of ../shared/data, and
 * the export read back to the same credentials. */
#include "fixture.h"

#include <dirent.h>
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

static char *data_file(const char *rel, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/badges/%s", src_dir(), rel);
	char *text = fx_read_file(path, len);
	if (!text)
		fail_msg("cannot read %s (set PATHWAY_SRC)", path);
	return text;
}

/* An engine holding tests/data/badges/catalog.json. */
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

static run import_texts(pw_engine *e, const char *learner,
                        const char *const *names, const char *const *texts,
                        const size_t *lens, size_t n)
{
	run r = {.rep = pw_report_new(), .notes = pw_report_new()};
	pw_import_opts o = {.notes = r.notes};
	r.st = pw_import_badges_buffers(e, learner, names, texts, lens, n, &o,
	                                r.rep, &r.sum, &r.err);
	return r;
}

/* Imports files of tests/data/badges for the learner, in one call. */
static run import_data(pw_engine *e, const char *learner,
                       const char *const *rels, size_t n)
{
	char *texts[16];
	size_t lens[16];
	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++)
		texts[i] = data_file(rels[i], &lens[i]);
	run r =
	    import_texts(e, learner, rels, (const char *const *)texts, lens, n);
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
	run r = import_data(e, "l1", &rel, 1);
	expect_ok(&r);
	return r;
}

/* A document written inline (' for "), imported for l1. */
static run import_doc(pw_engine *e, const char *json)
{
	char *doc = fx_dq(json);
	const char *names[] = {"doc.json"};
	size_t len = strlen(doc);
	run r =
	    import_texts(e, "l1", names, (const char *const *)&doc, &len, 1);
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
	print_message("report:\n%s", text);
	free(text);
	return false;
}

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

/* The learner's entries, a new reference. */
static json_t *entries(pw_engine *e, const char *learner)
{
	json_t *l = show(e, PW_KIND_LEARNER, learner);
	assert_non_null(l);
	json_t *list = json_incref(json_object_get(l, "credentials"));
	json_decref(l);
	return list;
}

/* The entry whose source id is sid (borrowed from list), or NULL. */
static json_t *entry_from(json_t *list, const char *sid)
{
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		const char *id = str(json_object_get(x, "source"), "id");
		if (id && strcmp(id, sid) == 0)
			return x;
	}
	return NULL;
}

/* Checks an entry: credential (or, ending in '*', its prefix), earned,
 * expires (NULL: none), source format. */
static void expect_entry(const json_t *x, const char *cred, const char *earned,
                         const char *expires, const char *format)
{
	assert_non_null(x);
	const char *got = str(x, "credential");
	size_t n = strlen(cred);
	if (cred[n - 1] == '*' ? strncmp(got, cred, n - 1) != 0
	                       : strcmp(got, cred) != 0)
		fail_msg("credential '%s', want '%s'", got, cred);
	expect_str(x, "earned", earned);
	if (expires)
		expect_str(x, "expires", expires);
	else
		assert_null(json_object_get(x, "expires"));
	json_t *src = json_object_get(x, "source");
	expect_str(src, "format", format);
	assert_true(json_is_false(json_object_get(src, "verified")));
}

/* The skills of a credential, as "a,b,c". */
static void expect_skills(const json_t *cred, const char *want)
{
	char got[512] = "";
	size_t n = 0, i;
	json_t *s;
	json_array_foreach(json_object_get(cred, "skills"), i, s)
	{
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%s",
		                      i ? "," : "", str(s, "skill"));
	}
	if (strcmp(got, want) != 0)
		fail_msg("skills of '%s': got %s, want %s", str(cred, "id"),
		         got, want);
}

static size_t count_kind(pw_engine *e, pw_kind kind)
{
	pw_list *l;
	pw_error err;
	assert_int_equal(pw_list_entities(e, kind, NULL, &l, &err), PW_OK);
	size_t n = l->count;
	pw_list_free(l);
	return n;
}

/* ---- OB 3.0 ---- */

static void ob3_new_achievement(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	char *before = fx_dump(e);
	json_t *catalog_cred = show(e, PW_KIND_CREDENTIAL, "forklift-cert");
	run r = import_one_ok(e, "ob3-vc2.json");
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 1);
	assert_int_equal(r.sum.updated[PW_KIND_LEARNER], 1);
	assert_int_equal(r.sum.created[PW_KIND_SKILL], 0);

	json_t *list = entries(e, "l1");
	assert_int_equal(json_array_size(list), 1);
	json_t *x = entry_from(list, "urn:uuid:0b3-0001");
	/* the date as written (-08:00), not moved to UTC */
	expect_entry(x, "badge.warehouse-safety-*", "2026-03-01", "2029-03-01",
	             "ob3");
	json_t *c = show(e, PW_KIND_CREDENTIAL, str(x, "credential"));
	assert_non_null(c);
	expect_str(c, "name", "Warehouse Safety"); /* a value object */
	expect_str(c, "type", "micro-credential");
	expect_str(c, "url", "https://cc.example.edu/a/warehouse-safety");
	expect_str(c, "provider", "Valley Community College");
	expect_str(c, "description", "Work safely in a warehouse.");
	assert_true(json_is_false(json_object_get(c, "listed")));
	assert_true(json_number_value(json_object_get(c, "college_credits")) ==
	            3);
	/* O*NET element URL, ESCO URI (https for http), a NICE code, an
	 * alignment of a result description (name, any case), a tag */
	expect_skills(c, "reading,forklift,safety,teamwork,cpr");
	json_t *occ = json_object_get(c, "occupations");
	assert_int_equal(json_array_size(occ), 1);
	assert_string_equal(json_string_value(json_array_get(occ, 0)),
	                    "53-7051.00");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(c, "aliases"), 0)),
	    "https://cc.example.edu/a/warehouse-safety");
	/* never stacked from a learner's document */
	assert_null(json_object_get(c, "components"));
	assert_null(json_object_get(c, "prerequisites"));

	assert_int_equal(r.sum.notes, 2);
	assert_true(
	    note_has(&r, "credentialSubject.achievement.alignment[4]",
	             "alignment 'Basket weaving' (https://skills.example.org/"
	             "basket-weaving) matches no skill; left out"));
	assert_true(note_has(&r, "credentialSubject.achievement",
	                     "tag 'pallets' matches no skill"));
	/* the catalog's own credential is untouched */
	json_t *after = show(e, PW_KIND_CREDENTIAL, "forklift-cert");
	assert_true(json_equal(catalog_cred, after));
	char *dump = fx_dump(e);
	assert_string_not_equal(before, dump);
	free(dump);
	free(before);
	json_decref(after);
	json_decref(catalog_cred);
	json_decref(c);
	json_decref(list);
	run_free(&r);
	pw_close(e);
}

static void ob3_maps_to_catalog(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	/* VC 1.1: http, an upper-case host and a trailing slash still name
	 * the catalog's url; awardedDate wins over validFrom */
	const char *files[] = {"ob3-vc11.json", "ob3-alias.json"};
	run r = import_data(e, "l1", files, 2);
	expect_ok(&r);
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 0);
	assert_int_equal(r.sum.updated[PW_KIND_CREDENTIAL], 0);
	assert_int_equal(r.sum.notes, 0); /* a mapped badge's alignments
	                                     are not read */
	json_t *list = entries(e, "l1");
	assert_int_equal(json_array_size(list), 2);
	expect_entry(entry_from(list, "http://cc.example.edu/credentials/77"),
	             "forklift-cert", "2025-11-20", "2027-11-20", "ob3");
	expect_entry(entry_from(list, "urn:uuid:cpr-award-9"), "cpr-card",
	             "2025-12-01", NULL, "ob3");
	json_decref(list);
	run_free(&r);

	/* an unlisted catalog credential is mapped to as well; a CTID alias
	 * is found inside a registry URL */
	r = import_doc(
	    e,
	    "[{'type': ['VerifiableCredential', 'OpenBadgeCredential'],"
	    " 'validFrom': '2024-01-01', 'credentialSubject': {'achievement':"
	    " {'id': 'https://cc.example.edu/a/old', 'name': 'Old'}}},"
	    " {'@context': [{'res': "
	    "'https://credentialengineregistry.org/resources/'}],"
	    " 'type': ['VerifiableCredential', 'OpenBadgeCredential'],"
	    " 'validFrom': '2024-02-02', 'credentialSubject': {'achievement':"
	    " {'id': 'res:ce-11111111-2222-4333-8444-555555555555',"
	    " 'name': 'CPR again'}}}]");
	expect_ok(&r);
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 0);
	list = entries(e, "l1");
	assert_int_equal(json_array_size(list), 4);
	expect_entry(json_array_get(list, 2), "old-course", "2024-01-01", NULL,
	             "ob3");
	expect_entry(json_array_get(list, 3), "cpr-card", "2024-02-02", NULL,
	             "ob3");
	json_decref(list);
	run_free(&r);
	pw_close(e);
}

static void ob3_shapes(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	/* a badge without alignments: a credential with no skills, nothing
	 * noted; an unknown ext: achievementType is a badge */
	run r = import_one_ok(e, "no-alignments.json");
	assert_int_equal(r.sum.notes, 0);
	json_t *list = entries(e, "l1");
	json_t *x = entry_from(list, "urn:uuid:noal-1");
	expect_entry(x, "badge.campus-orientation-*", "2026-02-02", NULL,
	             "ob3");
	json_t *c = show(e, PW_KIND_CREDENTIAL, str(x, "credential"));
	expect_skills(c, "");
	expect_str(c, "type", "badge");
	json_decref(c);
	json_decref(list);
	run_free(&r);

	/* a language map: English before Spanish; a CTDL class as type */
	r = import_one_ok(e, "language.json");
	list = entries(e, "l1");
	x = entry_from(list, "urn:uuid:lang-1");
	c = show(e, PW_KIND_CREDENTIAL, str(x, "credential"));
	expect_str(c, "name", "Engineering Degree");
	expect_str(c, "description", "Cuatro años");
	expect_str(c, "type", "degree");
	json_decref(c);
	json_decref(list);
	run_free(&r);

	/* a language map with a key that is no language tag: the others
	 * give the name, the stray one is noted */
	r = import_doc(e, "{'type': 'OpenBadgeCredential', 'id': 'urn:lm', "
	                  "'validFrom': '2025-01-01', 'credentialSubject': "
	                  "{'achievement': {'id': 'urn:lm:a', 'name': "
	                  "{'title': 'Wrong', 'de': 'Gabelstapler', 'en-us': "
	                  "'Forklift'}}}}");
	expect_ok(&r);
	assert_true(note_has(&r, "credentialSubject.achievement.name",
	                     "key 'title' is not a language tag; ignored"));
	list = entries(e, "l1");
	c = show(e, PW_KIND_CREDENTIAL,
	         str(entry_from(list, "urn:lm"), "credential"));
	expect_str(c, "name", "Forklift");
	json_decref(c);
	json_decref(list);
	run_free(&r);

	/* achievementType to type */
	static const struct {
		const char *term, *type;
	} kinds[] = {{"MicroCredential", "micro-credential"},
	             {"Badge", "badge"},
	             {"ceterms:DigitalBadge", "badge"},
	             {"Certificate", "certificate"},
	             {"ProfessionalCertificate", "certificate"},
	             {"Certification", "certification"},
	             {"License", "license"},
	             {"Course", "course"},
	             {"AssociateDegree", "degree"},
	             {"SecondarySchoolDiploma", "degree"},
	             {"ext:PriorLearning", "prior-learning"},
	             {"Assessment", "badge"}};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		char doc[600];
		snprintf(doc, sizeof doc,
		         "{'type': 'OpenBadgeCredential', 'id': 'urn:k:%zu', "
		         "'validFrom': '2025-01-01', 'credentialSubject': "
		         "{'achievement': {'id': 'urn:kind:%zu', 'name': "
		         "'Kind %zu', 'achievementType': '%s'}}}",
		         i, i, i, kinds[i].term);
		r = import_doc(e, doc);
		expect_ok(&r);
		list = entries(e, "l1");
		char sid[32];
		snprintf(sid, sizeof sid, "urn:k:%zu", i);
		c = show(e, PW_KIND_CREDENTIAL,
		         str(entry_from(list, sid), "credential"));
		if (strcmp(str(c, "type"), kinds[i].type) != 0)
			fail_msg("%s: type %s, want %s", kinds[i].term,
			         str(c, "type"), kinds[i].type);
		json_decref(c);
		json_decref(list);
		run_free(&r);
	}
	pw_close(e);
}

static void jws_forms(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	/* VC 2.0: the payload is the credential */
	run r = import_one_ok(e, "ob3.jws");
	json_t *list = entries(e, "l1");
	json_t *x = entry_from(list, "urn:uuid:jws-1");
	expect_entry(x, "badge.pallet-jack-*", "2026-05-05", NULL, "ob3-jws");
	json_t *c = show(e, PW_KIND_CREDENTIAL, str(x, "credential"));
	expect_skills(c, "forklift"); /* by an alias of the skill */
	json_decref(c);
	json_decref(list);
	run_free(&r);
	/* VC 1.1 as a JWT: the credential in "vc", jti its id, nbf and exp
	 * its dates */
	r = import_one_ok(e, "ob3-vc11.jwt");
	list = entries(e, "l1");
	expect_entry(entry_from(list, "urn:uuid:jwt-7"), "forklift-cert",
	             "2026-01-01", "2029-01-01", "ob3-jws");
	json_decref(list);
	run_free(&r);
	pw_close(e);
}

/* ---- OB 2.0 ---- */

static void ob2_forms(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "ob2-embedded.json");
	json_t *list = entries(e, "l1");
	json_t *x =
	    entry_from(list, "https://badges.example.org/assertions/55");
	expect_entry(x, "badge.first-aid-*", "2024-06-30", "2026-06-30", "ob2");
	json_t *c = show(e, PW_KIND_CREDENTIAL, str(x, "credential"));
	expect_str(c, "provider", "Safety Council");
	expect_str(c, "type", "badge");
	/* one alignment object by name (any case), a tag naming a skill */
	expect_skills(c, "safety,cpr");
	json_decref(c);
	json_decref(list);
	run_free(&r);

	/* the BadgeClass a hosted assertion names by URL, given alongside;
	 * issuedOn as seconds since 1970 */
	const char *pair[] = {"ob2-hosted.json", "ob2-badgeclass.json"};
	r = import_data(e, "l1", pair, 2);
	expect_ok(&r);
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 1);
	assert_int_equal(r.sum.notes, 0);
	list = entries(e, "l1");
	x = entry_from(list, "https://badges.example.org/assertions/56");
	expect_entry(x, "badge.robotics-*", "2024-07-01", NULL, "ob2");
	c = show(e, PW_KIND_CREDENTIAL, str(x, "credential"));
	expect_str(c, "url", "https://badges.example.org/classes/robotics");
	expect_skills(c, "teamwork");
	json_decref(c);
	json_decref(list);
	run_free(&r);

	/* by URL alone, and no credential has it: noted, nothing written */
	char *before = fx_dump(e);
	r = import_one_ok(e, "ob2-unknown-ref.json");
	assert_int_equal(r.sum.notes, 1);
	assert_true(note_has(&r, "badge",
	                     "'https://elsewhere.example.org/classes/unknown' "
	                     "is given by reference only"));
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	run_free(&r);

	/* a BadgeClass alone earns nothing: noted */
	const char *bc = "ob2-badgeclass.json";
	r = import_data(e, "l2", &bc, 1);
	expect_ok(&r);
	assert_true(note_has(&r, "$",
	                     "BadgeClass 'Robotics' only defines a "
	                     "badge"));
	run_free(&r);
	pw_close(e);
}

/* ---- CLR 2.0 ---- */

static void clr_bundle(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	json_t *stack = show(e, PW_KIND_CREDENTIAL, "warehouse");
	json_t *fork = show(e, PW_KIND_CREDENTIAL, "forklift-cert");
	run r = import_one_ok(e, "clr.json");
	json_t *list = entries(e, "l1");
	assert_int_equal(json_array_size(list), 2);
	expect_entry(entry_from(list, "urn:uuid:clr-nested-1"), "forklift-cert",
	             "2026-01-15", NULL, "clr2");
	/* a nested JWS without a date takes the record's */
	json_t *x = entry_from(list, "urn:uuid:clr-nested-2");
	expect_entry(x, "badge.dock-safety-*", "2026-04-01", NULL, "clr2");
	json_t *c = show(e, PW_KIND_CREDENTIAL, str(x, "credential"));
	expect_str(c, "type", "certificate");
	expect_skills(c, "safety");
	json_decref(c);
	assert_true(note_has(&r, "credentialSubject.achievement[1]",
	                     "'Warehouse Lead' is defined in the record but "
	                     "not earned by it"));
	assert_true(note_has(&r, "credentialSubject.association[2].targetId",
	                     "'urn:uuid:not-in-this-record' names no "
	                     "achievement of this record (a dangling id)"));
	assert_true(note_has(&r, "credentialSubject.association",
	                     "3 associations kept as hints only"));
	assert_int_equal(r.sum.notes, 3);
	/* hints only: the catalog's stacks and prerequisites stay */
	json_t *stack2 = show(e, PW_KIND_CREDENTIAL, "warehouse");
	json_t *fork2 = show(e, PW_KIND_CREDENTIAL, "forklift-cert");
	assert_true(json_equal(stack, stack2));
	assert_true(json_equal(fork, fork2));
	json_decref(stack);
	json_decref(stack2);
	json_decref(fork);
	json_decref(fork2);
	json_decref(list);
	run_free(&r);
	pw_close(e);
}

static void clr_cycles_are_noted(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "clr-cycle.json");
	assert_true(note_has(
	    &r, "credentialSubject.association[2]",
	    "the stacking (isPartOf, isChildOf, isParentOf) associations form "
	    "a cycle: 'https://cc.example.edu/a/forklift' -> "
	    "'https://cc.example.edu/a/warehouse-lead' -> "
	    "'https://cc.example.edu/a/dock-safety' -> "
	    "'https://cc.example.edu/a/forklift'"));
	assert_true(note_has(&r, "credentialSubject.association[3]",
	                     "the order (precedes) associations form a cycle: "
	                     "'https://cc.example.edu/a/dock-safety' -> "
	                     "'https://cc.example.edu/a/dock-safety'"));
	/* the earned credentials are imported all the same */
	json_t *list = entries(e, "l1");
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	run_free(&r);

	/* a long chain closed at the end: found without recursion */
	fx_text t = {0};
	fx_put(&t, "{'type': 'ClrCredential', 'validFrom': '2025-01-01', "
	           "'credentialSubject': {'verifiableCredential': [{'type': "
	           "'OpenBadgeCredential', 'credentialSubject': "
	           "{'achievement': {'id': 'urn:a:0', 'name': 'Zero'}}}], "
	           "'association': [");
	for (int i = 0; i < 5000; i++)
		fx_put(&t,
		       "{'associationType': 'precedes', 'sourceId': "
		       "'urn:a:%d', 'targetId': 'urn:a:%d'},",
		       i, (i + 1) % 5000);
	fx_put(&t, "{'associationType': 'isRelatedTo', 'sourceId': 'urn:a:0', "
	           "'targetId': 'urn:a:0'}]}}");
	r = import_doc(e, t.text);
	expect_ok(&r);
	assert_true(note_has(&r, "credentialSubject.association[4999]",
	                     "the order (precedes) associations form a cycle: "
	                     "'urn:a:0' -> ... -> 'urn:a:4992' -> 'urn:a:4993' "
	                     "-> 'urn:a:4994' -> 'urn:a:4995' -> 'urn:a:4996' "
	                     "-> 'urn:a:4997' -> 'urn:a:4998' -> 'urn:a:4999' "
	                     "-> 'urn:a:0'"));
	/* dangling ends: ten noted, the rest counted */
	assert_true(note_has(&r, "credentialSubject.association",
	                     "9988 more ends of associations name no "
	                     "achievement of this record"));
	fx_text_free(&t);
	run_free(&r);
	pw_close(e);
}

/* ---- several documents ---- */

static void arrays_and_api_answers(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "array.json");
	json_t *list = entries(e, "l1");
	assert_int_equal(json_array_size(list), 2);
	expect_entry(entry_from(list, "urn:uuid:noal-1"),
	             "badge.campus-orientation-*", "2026-02-02", NULL, "ob3");
	expect_entry(entry_from(list, "urn:uuid:jws-1"), "badge.pallet-jack-*",
	             "2026-05-05", NULL, "ob3-jws");
	json_decref(list);
	run_free(&r);
	r = import_one_ok(e, "api-envelope.json");
	list = entries(e, "l1");
	/* the JWS there is the one array.json had: one new entry */
	assert_int_equal(json_array_size(list), 3);
	expect_entry(entry_from(list, "urn:uuid:cpr-award-9"), "cpr-card",
	             "2025-12-01", NULL, "ob3");
	json_decref(list);
	run_free(&r);
	pw_close(e);
}

static const char *const good_files[] = {
    "ob3-vc2.json",        "ob3-vc11.json",        "ob3-alias.json",
    "no-alignments.json",  "language.json",        "ob3.jws",
    "ob3-vc11.jwt",        "ob2-embedded.json",    "ob2-hosted.json",
    "ob2-badgeclass.json", "ob2-unknown-ref.json", "clr.json",
    "clr-cycle.json",      "array.json",           "api-envelope.json"};

static void reimport_changes_nothing(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	size_t n = sizeof good_files / sizeof good_files[0];
	run r = import_data(e, "l1", good_files, n);
	expect_ok(&r);
	assert_true(r.sum.created[PW_KIND_CREDENTIAL] > 5);
	run_free(&r);
	char *before = fx_dump(e);
	/* all again, together, then each alone */
	r = import_data(e, "l1", good_files, n);
	expect_ok(&r);
	for (int k = 0; k < PW_KIND_COUNT; k++) {
		assert_int_equal(r.sum.created[k], 0);
		assert_int_equal(r.sum.updated[k], 0);
	}
	run_free(&r);
	for (size_t i = 0; i < n; i++) {
		r = import_data(e, "l1", &good_files[i], 1);
		expect_ok(&r);
		assert_int_equal(r.sum.updated[PW_KIND_LEARNER], 0);
		run_free(&r);
	}
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(after);

	/* another learner with the same badges: the credentials made for the
	 * first are found by their aliases, none is made twice */
	size_t creds = count_kind(e, PW_KIND_CREDENTIAL);
	r = import_data(e, "l2", good_files, n);
	expect_ok(&r);
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 0);
	assert_int_equal(count_kind(e, PW_KIND_CREDENTIAL), creds);
	json_t *a = entries(e, "l1"), *b = entries(e, "l2");
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	run_free(&r);
	free(before);
	pw_close(e);
}

/* ---- errors ---- */

static void unknown_learner(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	char *before = fx_dump(e);
	const char *f = "ob3-vc2.json";
	run r = import_data(e, "nobody", &f, 1);
	assert_int_equal(r.st, PW_ERR_NOT_FOUND);
	assert_non_null(strstr(r.err.message, "nobody"));
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	run_free(&r);
	/* the path form tells it before reading any file */
	pw_report *rep = pw_report_new();
	pw_error err;
	const char *paths[] = {"/no/such/file.json"};
	assert_int_equal(
	    pw_import_badges(e, "nobody", paths, 1, NULL, rep, NULL, &err),
	    PW_ERR_NOT_FOUND);
	assert_int_equal(
	    pw_import_badges(e, "l1", paths, 1, NULL, rep, NULL, &err),
	    PW_ERR_IO);
	pw_report_free(rep);
	pw_close(e);
}

static const struct {
	const char *file, *path, *reason;
} broken[] = {
    {"broken/not-json.json", "$",
     "invalid JSON: invalid token near 'oops' "
     "(line 2, column 15)"},
    {"broken/not-base64url.jws", "payload", "not base64url: '*' at offset 12"},
    {"broken/payload-not-json.jws", "payload", "invalid JSON: "},
    {"broken/jwe.txt", "$", "an encrypted JWE (five parts) cannot be read"},
    {"broken/empty.json", "$", "an empty file"},
    {"broken/no-type.json", "$",
     "no recognisable credential type (found VerifiableCredential, "
     "EndorsementCredential)"},
    {"broken/missing-achievement.json", "credentialSubject",
     "missing 'achievement'"},
    {"broken/assertion-no-badge.json", "$", "missing 'badge'"},
    {"broken/lang-unexpected.json", "credentialSubject.achievement.name",
     "key 'title' is not a language tag"},
    {"broken/wrong-types.json", "validFrom",
     "expected an ISO 8601 date, found a number"},
    {"broken/wrong-types.json",
     "credentialSubject.achievement.creditsAvailable",
     "expected a number of credits"},
    {"broken/wrong-types.json",
     "credentialSubject.achievement.alignment[0].targetName",
     "expected text (a string, a language map or a value object), found "
     "a number"},
    {"broken/wrong-types.json", "credentialSubject.achievement.alignment[1]",
     "expected an alignment (an object), found a number"},
    {"broken/dates.json", "[0]",
     "no date earned: missing 'awardedDate' or 'validFrom' or "
     "'issuanceDate'"},
    {"broken/dates.json", "[1].validUntil",
     "expires before the date earned (2026-05-01)"},
    {"broken/dates.json", "[2].validFrom",
     "'01/05/2026' is not an ISO 8601 date"},
    {"broken/clr-bad.json", "credentialSubject.verifiableCredential[0]",
     "a ClrCredential inside a ClrCredential"},
    {"broken/clr-bad.json", "credentialSubject.verifiableCredential[1]",
     "expected a credential (an object or a compact JWS), found a number"},
    {"broken/clr-bad.json", "credentialSubject.verifiableCredential[2]",
     "neither JSON nor a compact JWS"},
    {"broken/clr-bad.json", "credentialSubject.association[0].sourceId",
     "expected a string, found a number"},
};

static void broken_documents(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		pw_engine *e = catalog();
		char *before = fx_dump(e);
		run r = import_data(e, "l1", &broken[i].file, 1);
		if (r.st != PW_ERR_INVALID)
			fail_msg("%s: %s, want invalid", broken[i].file,
			         pw_status_name(r.st));
		if (!error_has(&r, broken[i].file, broken[i].path,
		               broken[i].reason))
			fail_msg("%s: no '%s' at %s", broken[i].file,
			         broken[i].reason, broken[i].path);
		assert_non_null(strstr(r.err.message, "nothing was imported"));
		char *after = fx_dump(e);
		assert_string_equal(before, after);
		free(before);
		free(after);
		run_free(&r);
		pw_close(e);
	}
}

/* Good files and one bad one in one call: nothing of any is written, and
 * every problem of every file is reported. */
static void one_transaction(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	char *before = fx_dump(e);
	const char *files[] = {"ob3-vc2.json", "clr.json",
	                       "broken/wrong-types.json", "ob3.jws",
	                       "broken/dates.json"};
	run r = import_data(e, "l1", files, 5);
	assert_int_equal(r.st, PW_ERR_INVALID);
	assert_int_equal(pw_report_count(r.rep), 7);
	assert_non_null(strstr(r.err.message, "7 errors in the input"));
	char *after = fx_dump(e);
	assert_string_equal(before, after);
	free(before);
	free(after);
	run_free(&r);

	/* bad values inside documents that are otherwise fine */
	static const char *const docs[][3] = {
	    {"{'type': 'OpenBadgeCredential', 'validFrom': '2025-01-01', "
	     "'credentialSubject': {'achievement': 17}}",
	     "credentialSubject.achievement",
	     "expected an achievement (an object) or its id, found a number"},
	    {"{'type': 'OpenBadgeCredential', 'validFrom': '2025-01-01', "
	     "'credentialSubject': {'achievement': {'id': 'urn:x', 'name': "
	     "'  '}}}",
	     "credentialSubject.achievement.name", "must not be empty"},
	    {"{'type': 'OpenBadgeCredential', 'validFrom': '2025-01-01', "
	     "'credentialSubject': [{'achievement': []}]}",
	     "credentialSubject[0]", "missing 'achievement'"},
	    {"{'type': 'OpenBadgeCredential', 'validFrom': '2025-01-01', "
	     "'credentialSubject': {'achievement': {'id': 'urn:x', 'type': "
	     "'Achievement', 'description': 'no name'}}}",
	     "credentialSubject.achievement", "missing 'name'"},
	    {"{'type': 'OpenBadgeCredential', 'id': 5, 'validFrom': "
	     "'2025-01-01', 'credentialSubject': {'achievement': {'id': "
	     "'urn:x', 'name': 'X'}}}",
	     "id", "expected a string, found a number"},
	    {"{'type': 'OpenBadgeCredential', 'validFrom': '2025-01-01'}", "$",
	     "missing 'credentialSubject'"},
	    {"{'type': 'Assertion', 'issuedOn': 99999999999999, 'badge': "
	     "{'name': 'B'}}",
	     "issuedOn", "seconds since 1970 is out of range"},
	    {"[[{'type': 'Assertion'}]]", "[0]",
	     "expected a credential (a JSON object) or a compact JWS, found an "
	     "array"},
	    {"{'type': 'OpenBadgeCredential', 'validFrom': '2025-01-01', "
	     "'credentialSubject': {'achievement': {'id': 'urn:x', 'name': "
	     "{'@value': 3}}}}",
	     "credentialSubject.achievement.name", "'@value' is a number"},
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		before = fx_dump(e);
		r = import_doc(e, docs[i][0]);
		if (r.st != PW_ERR_INVALID)
			fail_msg("doc %zu: %s", i, pw_status_name(r.st));
		if (!error_has(&r, "doc.json", docs[i][1], docs[i][2]))
			fail_msg("doc %zu: no '%s' at %s", i, docs[i][2],
			         docs[i][1]);
		after = fx_dump(e);
		assert_string_equal(before, after);
		free(before);
		free(after);
		run_free(&r);
	}
	pw_close(e);
}

/* ---- the real documents ---- */

static const char *shared_dir(char *buf, size_t size)
{
	const char *src = getenv("PATHWAY_SRC");
	snprintf(buf, size, "%s/../shared/data", src && *src ? src : ".");
	return buf;
}

/* Every JSON file of dir, each imported alone for l1 into a fresh
 * catalog, then again (nothing changes). Returns how many were read;
 * *noted counts those that only gave notes (definitions, references). */
static size_t import_each(const char *dir, size_t *noted)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	size_t n = 0;
	if (!d)
		return 0;
	while ((ent = readdir(d))) {
		size_t len = strlen(ent->d_name);
		if (len < 6 || strcmp(ent->d_name + len - 5, ".json") != 0)
			continue;
		char path[4600];
		snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
		size_t size;
		char *text = fx_read_file(path, &size);
		assert_non_null(text);
		pw_engine *e = catalog();
		const char *names[] = {ent->d_name};
		run r = import_texts(e, "l1", names, (const char *const *)&text,
		                     &size, 1);
		expect_ok(&r);
		json_t *list = entries(e, "l1");
		if (!json_array_size(list)) {
			assert_true(r.sum.notes > 0);
			(*noted)++;
		}
		json_decref(list);
		run_free(&r);
		char *before = fx_dump(e);
		r = import_texts(e, "l1", names, (const char *const *)&text,
		                 &size, 1);
		expect_ok(&r);
		char *after = fx_dump(e);
		assert_string_equal(before, after);
		free(before);
		free(after);
		run_free(&r);
		pw_close(e);
		free(text);
		n++;
	}
	closedir(d);
	return n;
}

static void real_documents(void **state)
{
	(void)state;
	char base[4096], dir[4200];
	shared_dir(base, sizeof base);
	snprintf(dir, sizeof dir, "%s/examples/openbadges3", base);
	DIR *probe = opendir(dir);
	if (!probe) {
		print_message("SKIPPED: %s is absent\n", dir);
		skip();
	}
	closedir(probe);
	static const char *const dirs[] = {
	    "examples/openbadges3", "examples/openbadges2", "examples/clr2",
	    "credential_format_samples/credentialengine_schema_dev_ob_clr"};
	size_t total = 0, noted = 0;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(dir, sizeof dir, "%s/%s", base, dirs[i]);
		total += import_each(dir, &noted);
	}
	/* 8 OB 3.0, 3 OB 2.0, 1 CLR, 7 CTDL-in-VC samples; the two OB 2.0
	 * BadgeClasses and the assertion naming its badge by URL earn
	 * nothing on their own */
	assert_int_equal(total, 19);
	assert_int_equal(noted, 3);

	/* what a few of them give */
	pw_engine *e = catalog();
	char path[4300];
	static const char *const pair[] = {
	    "examples/openbadges2/validator_ob20_basic-assertion.json",
	    "examples/openbadges2/validator_ob20_robotics-badge.json"};
	char *texts[2];
	size_t lens[2];
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof path, "%s/%s", base, pair[k]);
		texts[k] = fx_read_file(path, &lens[k]);
		assert_non_null(texts[k]);
	}
	run r =
	    import_texts(e, "l1", pair, (const char *const *)texts, lens, 2);
	expect_ok(&r);
	json_t *list = entries(e, "l1");
	json_t *x =
	    entry_from(list, "https://example.org/beths-robotics-badge.json");
	expect_entry(x, "badge.awesome-robotics-badge-*", "2016-12-31", NULL,
	             "ob2");
	json_decref(list);
	run_free(&r);
	for (int k = 0; k < 2; k++)
		free(texts[k]);

	snprintf(path, sizeof path,
	         "%s/examples/clr2/validator_clr20_simple.json", base);
	texts[0] = fx_read_file(path, &lens[0]);
	const char *name = "clr";
	r = import_texts(e, "l2", &name, (const char *const *)texts, lens, 1);
	expect_ok(&r);
	list = entries(e, "l2");
	assert_int_equal(json_array_size(list), 1);
	expect_entry(json_array_get(list, 0), "badge.teamwork-*", "2010-01-01",
	             NULL, "clr2");
	assert_true(note_has(&r, "credentialSubject.achievement[0]",
	                     "'Achievement 1' is defined in the record but "
	                     "not earned by it"));
	json_decref(list);
	run_free(&r);
	free(texts[0]);

	/* the degree in the registry: its prefixed id expanded, its CTID
	 * kept; the same degree in the next sample maps to it */
	static const char *const deg[] = {
	    "credential_format_samples/credentialengine_schema_dev_ob_clr/"
	    "s1_1_DegreeInRegistry.json",
	    "credential_format_samples/credentialengine_schema_dev_ob_clr/"
	    "s_2_2_CompetenceAndDegree.json"};
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof path, "%s/%s", base, deg[k]);
		texts[k] = fx_read_file(path, &lens[k]);
	}
	pw_engine *e2 = catalog();
	r = import_texts(e2, "l1", deg, (const char *const *)texts, lens, 2);
	expect_ok(&r);
	list = entries(e2, "l1");
	/* the degree once (same credential, same date, same source id) and
	 * the two competencies */
	assert_int_equal(json_array_size(list), 3);
	json_t *c = show(e2, PW_KIND_CREDENTIAL,
	                 str(json_array_get(list, 0), "credential"));
	expect_str(c, "type", "degree");
	expect_str(c, "name", "Bachelor’s Degree");
	expect_str(c, "url",
	           "https://credentialengineregistry.org/resources/"
	           "ce-49247727-7cbd-4f0e-8179-e51036d1f14a");
	json_t *al = json_object_get(c, "aliases");
	assert_string_equal(json_string_value(json_array_get(al, 1)),
	                    "ce-49247727-7cbd-4f0e-8179-e51036d1f14a");
	json_decref(c);
	json_decref(list);
	run_free(&r);
	for (int k = 0; k < 2; k++)
		free(texts[k]);
	pw_close(e2);
	pw_close(e);
}

/* ---- export ---- */

static json_t *export_doc(pw_engine *e)
{
	char *text;
	pw_error err;
	assert_int_equal(pw_export_credentials_ob3(e, 0, &text, &err), PW_OK);
	assert_null(strstr(text, "proof"));
	json_t *doc = json_loads(text, 0, NULL);
	assert_non_null(doc);
	pw_free(text);
	return doc;
}

static json_t *achievement_named(json_t *doc, const char *name)
{
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(doc, "achievement"), i, a)
	{
		if (strcmp(str(a, "name"), name) == 0)
			return a;
	}
	fail_msg("no achievement '%s'", name);
	return NULL;
}

static void export_shape(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	run r = import_one_ok(e, "ob3-vc2.json"); /* an unlisted badge */
	run_free(&r);
	json_t *doc = export_doc(e);
	json_t *ctx = json_object_get(doc, "@context");
	assert_string_equal(json_string_value(json_array_get(ctx, 1)),
	                    "https://purl.imsglobal.org/spec/ob/v3p0/"
	                    "context-3.0.3.json");
	/* listed ones only: not old-course, not the badge's */
	json_t *list = json_object_get(doc, "achievement");
	assert_int_equal(json_array_size(list), 3);

	json_t *f = achievement_named(doc, "Forklift Operator Certificate");
	expect_str(f, "id", "https://cc.example.edu/a/forklift");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(f, "type"), 0)),
	    "Achievement");
	expect_str(f, "achievementType", "Certificate");
	expect_str(f, "description", "Operate a forklift safely.");
	expect_str(json_object_get(f, "criteria"), "narrative",
	           "Complete Forklift Operator Certificate with Valley "
	           "Community College (about 16 hours).");
	expect_str(json_object_get(f, "creator"), "name",
	           "Valley Community College");
	assert_true(json_number_value(json_object_get(f, "creditsAvailable")) ==
	            1);
	json_t *al = json_object_get(f, "alignment");
	assert_int_equal(json_array_size(al), 3);
	json_t *a0 = json_array_get(al, 0), *a1 = json_array_get(al, 1),
	       *a2 = json_array_get(al, 2);
	expect_str(a0, "targetName", "Operate forklift");
	expect_str(a0, "targetUrl",
	           "http://data.europa.eu/esco/skill/"
	           "aaaa0000-0000-4000-8000-000000000001");
	expect_str(a0, "targetFramework", "ESCO");
	expect_str(a0, "targetType", "ceasn:Competency");
	expect_str(a1, "targetUrl", "urn:pathway:skill:safety");
	expect_str(a1, "targetCode", "K0016");
	expect_str(a1, "targetFramework", "nice");
	expect_str(a2, "targetName", "Industrial Truck and Tractor Operators");
	expect_str(a2, "targetUrl",
	           "https://www.onetonline.org/link/summary/53-7051.00");
	expect_str(a2, "targetFramework", "O*NET-SOC");

	json_t *cpr = achievement_named(doc, "CPR Card");
	expect_str(cpr, "id", "urn:pathway:credential:cpr-card");
	expect_str(cpr, "achievementType", "Certification");
	expect_str(json_array_get(json_object_get(cpr, "alignment"), 0),
	           "targetFramework", "Pathway");
	json_t *w = achievement_named(doc, "Warehouse Stack");
	expect_str(json_object_get(w, "criteria"), "narrative",
	           "Held once all of these are held: Forklift Operator "
	           "Certificate, CPR Card.");
	assert_null(json_object_get(w, "alignment"));
	/* O*NET and ESCO content is credited */
	const char *credit = str(doc, "attribution");
	assert_non_null(credit);
	assert_non_null(strstr(credit, "O*NET"));
	assert_non_null(strstr(credit, "ESCO"));
	json_decref(doc);

	/* without O*NET or ESCO content, no credit; an empty catalog gives an
	 * empty list */
	pw_engine *e2 = fx_open();
	fx_load_ok(e2, "{\"skills\": [{\"id\": \"s\", \"name\": \"S\", "
	               "\"codes\": {\"onet\": \"2.A.1.b\"}}], "
	               "\"credentials\": [{\"id\": \"c\", \"name\": \"C\", "
	               "\"type\": \"prior-learning\", \"skills\": [{\"skill\": "
	               "\"s\"}]}]}");
	doc = export_doc(e2);
	json_t *c = json_array_get(json_object_get(doc, "achievement"), 0);
	expect_str(c, "achievementType", "ext:PriorLearning");
	a0 = json_array_get(json_object_get(c, "alignment"), 0);
	expect_str(a0, "targetUrl",
	           "https://www.onetonline.org/find/descriptor/result/2.A.1.b");
	expect_str(a0, "targetCode", "2.A.1.b");
	expect_str(a0, "targetFramework", "O*NET");
	assert_non_null(strstr(str(doc, "attribution"), "USDOL/ETA"));
	assert_null(strstr(str(doc, "attribution"), "ESCO"));
	json_decref(doc);
	pw_close(e2);
	e2 = fx_open();
	doc = export_doc(e2);
	assert_int_equal(json_array_size(json_object_get(doc, "achievement")),
	                 0);
	assert_null(json_object_get(doc, "attribution"));
	json_decref(doc);
	pw_close(e2);
	pw_close(e);
}

/* Each achievement of an export, earned in an OB 3.0 credential of its
 * own (ids PREFIX-0, PREFIX-1...): a JSON array, to free. */
static char *earn_all(json_t *doc, const char *prefix)
{
	json_t *creds = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(doc, "achievement"), i, a)
	{
		char sid[48];
		snprintf(sid, sizeof sid, "urn:uuid:%s-%zu", prefix, i);
		json_array_append_new(
		    creds,
		    json_pack("{s:[s,s],s:s,s:[s,s],s:s,s:{s:O}}", "@context",
		              "https://www.w3.org/ns/credentials/v2",
		              "https://purl.imsglobal.org/spec/ob/v3p0/"
		              "context-3.0.3.json",
		              "id", sid, "type", "VerifiableCredential",
		              "OpenBadgeCredential", "validFrom",
		              "2026-06-01T00:00:00Z", "credentialSubject",
		              "achievement", a));
	}
	char *text = json_dumps(creds, 0);
	assert_non_null(text);
	json_decref(creds);
	return text;
}

/* Each exported achievement, earned in an OB 3.0 credential, maps back to
 * the catalog credential it came from: by its url, or by the urn of its
 * id. */
static void export_round_trip(void **state)
{
	(void)state;
	pw_engine *e = catalog();
	json_t *doc = export_doc(e);
	char *text = earn_all(doc, "rt");
	size_t len = strlen(text);
	const char *names[] = {"round-trip.json"};
	run r =
	    import_texts(e, "l2", names, (const char *const *)&text, &len, 1);
	expect_ok(&r);
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 0);
	json_t *got = entries(e, "l2");
	assert_int_equal(json_array_size(got), 3);
	static const char *const want[] = {"cpr-card", "forklift-cert",
	                                   "warehouse"};
	for (size_t k = 0; k < 3; k++)
		expect_entry(json_array_get(got, k), want[k], "2026-06-01",
		             NULL, "ob3");
	json_decref(got);
	free(text);
	json_decref(doc);
	run_free(&r);
	pw_close(e);
}

/* Credentials that give the same url (a college's home page, say) cannot
 * each take it as an achievement id: they get their urns, and earning each
 * maps back to each; a url only one credential gives stays the id. */
static void export_shared_url(void **state)
{
	(void)state;
	pw_engine *e = fx_open();
	fx_load_ok(e,
	           "{\"skills\": [{\"id\": \"s\", \"name\": \"S\"}], "
	           "\"credentials\": ["
	           "{\"id\": \"a\", \"name\": \"A\", \"type\": "
	           "\"certificate\", \"url\": \"https://college.example\", "
	           "\"skills\": [{\"skill\": \"s\"}]},"
	           "{\"id\": \"b\", \"name\": \"B\", \"type\": "
	           "\"certificate\", \"url\": \"https://college.example\", "
	           "\"skills\": [{\"skill\": \"s\"}]},"
	           "{\"id\": \"c\", \"name\": \"C\", \"type\": "
	           "\"certificate\", \"url\": \"https://college.example/c\", "
	           "\"skills\": [{\"skill\": \"s\"}]}], "
	           "\"learners\": [{\"id\": \"l\", \"name\": \"L\", "
	           "\"credentials\": []}]}");
	json_t *doc = export_doc(e);
	expect_str(achievement_named(doc, "A"), "id",
	           "urn:pathway:credential:a");
	expect_str(achievement_named(doc, "B"), "id",
	           "urn:pathway:credential:b");
	expect_str(achievement_named(doc, "C"), "id",
	           "https://college.example/c");
	char *text = earn_all(doc, "su");
	size_t len = strlen(text);
	const char *names[] = {"shared-url.json"};
	run r =
	    import_texts(e, "l", names, (const char *const *)&text, &len, 1);
	expect_ok(&r);
	assert_int_equal(r.sum.created[PW_KIND_CREDENTIAL], 0);
	json_t *got = entries(e, "l");
	assert_int_equal(json_array_size(got), 3);
	static const char *const want[] = {"a", "b", "c"};
	for (size_t k = 0; k < 3; k++)
		expect_entry(json_array_get(got, k), want[k], "2026-06-01",
		             NULL, "ob3");
	json_decref(got);
	free(text);
	json_decref(doc);
	run_free(&r);
	pw_close(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ob3_new_achievement),
	    cmocka_unit_test(ob3_maps_to_catalog),
	    cmocka_unit_test(ob3_shapes),
	    cmocka_unit_test(jws_forms),
	    cmocka_unit_test(ob2_forms),
	    cmocka_unit_test(clr_bundle),
	    cmocka_unit_test(clr_cycles_are_noted),
	    cmocka_unit_test(arrays_and_api_answers),
	    cmocka_unit_test(reimport_changes_nothing),
	    cmocka_unit_test(unknown_learner),
	    cmocka_unit_test(broken_documents),
	    cmocka_unit_test(one_transaction),
	    cmocka_unit_test(real_documents),
	    cmocka_unit_test(export_shape),
	    cmocka_unit_test(export_round_trip),
	    cmocka_unit_test(export_shared_url),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
