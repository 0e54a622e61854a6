/* test_cli_badges.c - `pathway import badges --learner ID FILE...` and
 * `pathway export credentials --format ob3` end to end: the summary and the
 * notes on standard error, --json, importing again, an unknown learner
 * (exit 3), refused files named with their JSON path (exit 2) and the
 * database left as it was, usage errors, and the export earned back as
 * badges mapping to the same catalog credentials. */
#include "fixture.h"
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *data(const char *rel, char *buf, size_t size)
{
	const char *src = getenv("PATHWAY_SRC");
	snprintf(buf, size, "%s/tests/data/badges/%s", src && *src ? src : ".",
	         rel);
	return buf;
}

/* A database holding tests/data/badges/catalog.json. */
static void catalog(sandbox *t, const char *db)
{
	char path[4096];
	RUN(t, "--db", db, "load", data("catalog.json", path, sizeof path));
	EXPECT_EXIT(t, 0);
}

/* The learner as `show --json` prints it (the caller frees it). */
static char *learner(sandbox *t, const char *db, const char *id)
{
	RUN(t, "--db", db, "show", "learner", id, "--json");
	EXPECT_EXIT(t, 0);
	char *out = t->out;
	t->out = NULL;
	return out;
}

static void imports_and_notes(void **state)
{
	sandbox *t = *state;
	char ob3[4096], clr[4096], jws[4096], line[8400];
	catalog(t, "t.db");
	RUN(t, "--db", "t.db", "import", "badges", "--learner", "l1",
	    data("ob3-vc2.json", ob3, sizeof ob3),
	    data("clr.json", clr, sizeof clr),
	    data("ob3.jws", jws, sizeof jws));
	EXPECT_EXIT(t, 0);
	EXPECT(t,
	       sb_has(t->out, "imported badges into 't.db': credentials 3 "
	                      "new, 0 updated; learners 0 new, 1 updated\n"));
	EXPECT(t, sb_has(t->out, "5 items not mapped (listed above)"));
	EXPECT(t, sb_all_lines_prefixed(t->err));
	EXPECT(t, sb_count_lines(t->err) == 5);
	snprintf(
	    line, sizeof line,
	    "pathway: note: %s: credentialSubject.achievement.alignment[4]: "
	    "alignment 'Basket weaving' (https://skills.example.org/"
	    "basket-weaving) matches no skill; left out\n",
	    ob3);
	EXPECT(t, sb_has(t->err, line));
	snprintf(
	    line, sizeof line,
	    "pathway: note: %s: credentialSubject.association[2].targetId: "
	    "'urn:uuid:not-in-this-record' names no achievement of this "
	    "record (a dangling id)\n",
	    clr);
	EXPECT(t, sb_has(t->err, line));

	RUN(t, "--db", "t.db", "show", "learner", "l1", "--json");
	EXPECT_EXIT(t, 0);
	json_t *l = PARSE_OUT(t);
	json_t *list = json_object_get(l, "credentials");
	EXPECT(t, json_array_size(list) == 4);
	json_t *e = json_array_get(list, 3);
	EXPECT(t, strncmp(json_string_value(json_object_get(e, "credential")),
	                  "badge.pallet-jack-", 18) == 0);
	json_t *src = json_object_get(e, "source");
	EXPECT(t, strcmp(json_string_value(json_object_get(src, "format")),
	                 "ob3-jws") == 0);
	EXPECT(t, json_is_false(json_object_get(src, "verified")));
	/* the credential made is unlisted */
	RUN(t, "--db", "t.db", "show", "credential",
	    json_string_value(json_object_get(e, "credential")), "--json");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "\"listed\": false"));
	json_decref(l);

	/* again, as JSON: nothing new, nothing updated, notes listed */
	char *before = learner(t, "t.db", "l1");
	RUN(t, "--db", "t.db", "--json", "import", "badges", "--learner", "l1",
	    ob3, clr, jws);
	EXPECT_EXIT(t, 0);
	json_t *doc = PARSE_OUT(t);
	EXPECT(t, strcmp(json_string_value(json_object_get(doc, "imported")),
	                 "badges") == 0);
	EXPECT(t, json_integer_value(json_object_get(
	              json_object_get(doc, "created"), "credentials")) == 0);
	EXPECT(t, json_integer_value(json_object_get(
	              json_object_get(doc, "updated"), "learners")) == 0);
	json_t *nm = json_object_get(doc, "not_mapped");
	/* a badge mapped to a credential made before is not read again:
	 * only the CLR's notes come back */
	EXPECT(t, json_array_size(nm) == 3);
	EXPECT_KEYS(json_array_get(nm, 0), "not_mapped[0]", "file", "path",
	            "reason");
	json_decref(doc);
	char *after = learner(t, "t.db", "l1");
	EXPECT(t, strcmp(before, after) == 0);
	free(before);
	free(after);
}

static void refusals(void **state)
{
	sandbox *t = *state;
	char good[4096], bad[4096], jws[4096], line[8400];
	catalog(t, "t.db");
	char *before = learner(t, "t.db", "l1");

	RUN(t, "--db", "t.db", "import", "badges", "--learner", "l1",
	    data("ob3-vc2.json", good, sizeof good),
	    data("broken/wrong-types.json", bad, sizeof bad),
	    data("broken/not-base64url.jws", jws, sizeof jws));
	EXPECT_ERROR(t, 2);
	snprintf(line, sizeof line,
	         "pathway: %s: credentialSubject.achievement.alignment[0]."
	         "targetName: expected text (a string, a language map or a "
	         "value object), found a number\n",
	         bad);
	EXPECT(t, sb_has(t->err, line));
	snprintf(line, sizeof line,
	         "pathway: %s: payload: not base64url: '*' at offset 12\n",
	         jws);
	EXPECT(t, sb_has(t->err, line));
	EXPECT(t, sb_has(t->err, "pathway: 5 errors in the input; nothing was "
	                         "imported\n"));
	EXPECT(t, sb_count_lines(t->err) == 6);
	char *after = learner(t, "t.db", "l1");
	EXPECT(t, strcmp(before, after) == 0);
	free(after);
	RUN(t, "--db", "t.db", "list", "credentials");
	EXPECT(t, !sb_has(t->out, "badge."));

	/* an unknown learner: exit 3, before any file is read */
	RUN(t, "--db", "t.db", "import", "badges", "--learner", "nobody", good);
	EXPECT_ERROR(t, 3);
	EXPECT(t, sb_has(t->err, "nobody"));
	RUN(t, "--db", "t.db", "import", "badges", "--learner", "nobody",
	    "no-such-file.json");
	EXPECT_ERROR(t, 3);

	/* a file that cannot be read: exit 1 */
	RUN(t, "--db", "t.db", "import", "badges", "--learner", "l1",
	    "no-such-file.json");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "cannot open 'no-such-file.json'"));

	/* usage */
	RUN(t, "--db", "t.db", "import", "badges", good);
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "import badges needs --learner ID"));
	RUN(t, "--db", "t.db", "import", "badges", "--learner", "l1");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "import badges needs at least one file"));
	RUN(t, "--db", "t.db", "import", "jobs", "--learner", "l1", good);
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "--learner is for import badges"));
	RUN(t, "--db", "t.db", "export", "credentials", "--format", "ob2");
	EXPECT_ERROR(t, 2);
	RUN(t, "--db", "none.db", "export", "credentials", "--format", "ob3");
	EXPECT_ERROR(t, 1);
	EXPECT(t, sb_has(t->err, "no database at 'none.db'"));
	after = learner(t, "t.db", "l1");
	EXPECT(t, strcmp(before, after) == 0);
	free(before);
	free(after);
}

/* The catalog exported as OB 3.0 achievements, earned in a credential per
 * achievement, imports back onto the same catalog credentials. */
static void export_round_trip(void **state)
{
	sandbox *t = *state;
	char out[4096];
	catalog(t, "t.db");
	sb_run(
	    t, NULL, sb_path(t, "catalog.ob3.json", out, sizeof out),
	    ARGS("--db", "t.db", "export", "credentials", "--format", "ob3"));
	EXPECT_EXIT(t, 0);
	char *text = fx_read_file(out, NULL);
	EXPECT(t, text != NULL);
	json_t *doc = json_loads(text, 0, NULL);
	free(text);
	EXPECT(t, doc != NULL);
	json_t *list = json_object_get(doc, "achievement");
	EXPECT(t, json_array_size(list) == 3);
	EXPECT(t, strstr(json_string_value(json_object_get(doc, "attribution")),
	                 "ESCO") != NULL);

	json_t *creds = json_array();
	size_t i;
	json_t *a;
	json_array_foreach(list, i, a)
	{
		json_array_append_new(
		    creds, json_pack("{s:s,s:s,s:s,s:{s:O}}", "type",
		                     "OpenBadgeCredential", "id", "urn:uuid:rt",
		                     "validFrom", "2026-06-01",
		                     "credentialSubject", "achievement", a));
	}
	char *wallet = json_dumps(creds, 0);
	sb_write(t, "wallet.json", wallet);
	free(wallet);
	json_decref(creds);
	json_decref(doc);

	RUN(t, "--db", "t.db", "import", "badges", "--learner", "l2",
	    "wallet.json");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "imported badges into 't.db': learners 0 new, "
	                         "1 updated\n"));
	EXPECT(t, t->err[0] == '\0');
	RUN(t, "--db", "t.db", "show", "learner", "l2", "--json");
	json_t *l = PARSE_OUT(t);
	json_t *got = json_object_get(l, "credentials");
	static const char *const want[] = {"cpr-card", "forklift-cert",
	                                   "warehouse"};
	EXPECT(t, json_array_size(got) == 3);
	for (size_t k = 0; k < 3 && k < json_array_size(got); k++)
		EXPECT(t, strcmp(json_string_value(json_object_get(
		                     json_array_get(got, k), "credential")),
		                 want[k]) == 0);
	json_decref(l);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)
	const struct CMUnitTest tests[] = {
	    T(imports_and_notes),
	    T(refusals),
	    T(export_round_trip),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
