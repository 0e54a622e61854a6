/* test_cli_clr.c - `pathway export learners --format clr [ID...]` end to
 * end: the document's shape (a CLR 2.0 ClrCredential of unsigned Open
 * Badges 3.0 AchievementCredentials), the round trip through `import
 * badges` into a store with the same catalog but the learner bare (the same
 * credentials, earned and expiry days, the same match, next and explain
 * answers at several dates), importing twice, several ids, the refusals
 * (unknown learner, a learner with nothing to carry, ids for another
 * export), and every learner of the bundled dataset carried over the same
 * way. */
#include "fixture.h"
#include "sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *data(const char *rel, char *buf, size_t size)
{
	const char *src = getenv("PATHWAY_SRC");
	snprintf(buf, size, "%s/tests/data/clr/%s", src && *src ? src : ".",
	         rel);
	return buf;
}

/* a.db: the catalog and both learners; b.db: the catalog and ana bare. */
static void stores(sandbox *t)
{
	char cat[4096], learners[4096], bare[4096];
	data("catalog.json", cat, sizeof cat);
	RUN(t, "--db", "a.db", "load", cat,
	    data("learners.json", learners, sizeof learners));
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "b.db", "load", cat,
	    data("bare.json", bare, sizeof bare));
	EXPECT_EXIT(t, 0);
}

static char *take_out(sandbox *t)
{
	char *out = t->out;
	t->out = NULL;
	return out;
}

/* The learner's entries as "credential earned expires" lines, in order,
 * expires being the day the entry stops being held: its own, else the one
 * expires_months gives (first-aid-cert, 24 months, is the only credential
 * of the catalog with one). */
static char *holdings(sandbox *t, const char *db, const char *id)
{
	RUN(t, "--db", db, "show", "learner", id, "--json");
	EXPECT_EXIT(t, 0);
	json_t *l = PARSE_OUT(t);
	char *text = calloc(1, 4096);
	assert_non_null(text);
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(l, "credentials"), i, e)
	{
		const char *cred =
		    json_string_value(json_object_get(e, "credential"));
		const char *earned =
		    json_string_value(json_object_get(e, "earned"));
		const char *expires =
		    json_string_value(json_object_get(e, "expires"));
		char until[32] = "never";
		if (expires)
			snprintf(until, sizeof until, "%s", expires);
		else if (strcmp(cred, "first-aid-cert") == 0) {
			int y, m, d;
			assert_int_equal(sscanf(earned, "%d-%d-%d", &y, &m, &d),
			                 3);
			snprintf(until, sizeof until, "%04d-%02d-%02d", y + 2,
			         m, d);
		}
		size_t n = strlen(text);
		snprintf(text + n, 4096 - n, "%s %s %s\n", cred, earned, until);
	}
	json_decref(l);
	return text;
}

static void shape(void **state)
{
	sandbox *t = *state;
	stores(t);
	RUN(t, "--db", "a.db", "--as-of", "2026-01-15", "export", "learners",
	    "--format", "clr", "ana");
	EXPECT_EXIT(t, 0);
	json_t *clr = PARSE_OUT(t);
	json_t *type = json_object_get(clr, "type");
	EXPECT(t, json_array_size(type) == 2);
	EXPECT(t, strcmp(json_string_value(json_array_get(type, 1)),
	                 "ClrCredential") == 0);
	json_t *ctx = json_object_get(clr, "@context");
	EXPECT(t, strcmp(json_string_value(json_array_get(ctx, 1)),
	                 "https://purl.imsglobal.org/spec/clr/v2p0/"
	                 "context-2.0.1.json") == 0);
	EXPECT(t, strcmp(json_string_value(json_object_get(clr, "validFrom")),
	                 "2026-01-15T00:00:00Z") == 0);
	EXPECT(t, json_is_false(json_object_get(clr, "partial")));
	EXPECT(t, json_is_string(json_object_get(clr, "name")));
	json_t *issuer = json_object_get(clr, "issuer");
	EXPECT(t, strcmp(json_string_value(json_object_get(issuer, "id")),
	                 "urn:pathway:issuer") == 0);
	json_t *subj = json_object_get(clr, "credentialSubject");
	EXPECT(t, strcmp(json_string_value(json_object_get(subj, "id")),
	                 "urn:pathway:learner:ana") == 0);
	json_t *vcs = json_object_get(subj, "verifiableCredential");
	/* every listed entry, the expired and the future one too */
	EXPECT(t, json_array_size(vcs) == 5);
	/* no personal data beyond the credentials */
	EXPECT(t, !sb_has(t->out, "Ana Ruiz"));
	EXPECT(t, !sb_has(t->out, "demographics"));
	EXPECT(t, !sb_has(t->out, "Hispanic"));
	EXPECT(t, !sb_has(t->out, "\"proof\""));

	/* osha-10: its own expiry; first-aid-cert of 2023: 24 months on */
	json_t *osha = json_array_get(vcs, 1);
	EXPECT(t, strcmp(json_string_value(
	                     json_array_get(json_object_get(osha, "type"), 1)),
	                 "AchievementCredential") == 0);
	EXPECT(t, strcmp(json_string_value(json_object_get(osha, "validFrom")),
	                 "2025-02-10T00:00:00Z") == 0);
	EXPECT(t, strcmp(json_string_value(json_object_get(osha, "validUntil")),
	                 "2030-02-10T00:00:00Z") == 0);
	json_t *ach = json_object_get(
	    json_object_get(osha, "credentialSubject"), "achievement");
	/* the urn, not the url two credentials share */
	EXPECT(t, strcmp(json_string_value(json_object_get(ach, "id")),
	                 "urn:pathway:credential:osha-10") == 0);
	EXPECT(t, strcmp(json_string_value(json_object_get(ach, "name")),
	                 "OSHA 10") == 0);
	EXPECT(t, json_is_string(json_object_get(ach, "description")));
	EXPECT(t, json_is_string(json_object_get(
	              json_object_get(ach, "criteria"), "narrative")));
	EXPECT(t, strcmp(json_string_value(json_object_get(
	                     json_object_get(ach, "creator"), "name")),
	                 "Valley College") == 0);
	json_t *aid = json_array_get(vcs, 2);
	EXPECT(t, strcmp(json_string_value(json_object_get(aid, "validUntil")),
	                 "2025-01-31T00:00:00Z") == 0);
	json_t *fork = json_array_get(vcs, 0);
	EXPECT(t, json_object_get(fork, "validUntil") == NULL);
	json_decref(clr);
}

static void round_trip(void **state)
{
	sandbox *t = *state;
	stores(t);
	RUN(t, "--db", "a.db", "export", "learners", "--format", "clr", "ana");
	EXPECT_EXIT(t, 0);
	sb_write(t, "ana.json", t->out);
	RUN(t, "--db", "b.db", "import", "badges", "--learner", "ana",
	    "ana.json");
	EXPECT_EXIT(t, 0);
	/* every entry maps to its catalog credential: nothing made */
	EXPECT(t, sb_has(t->out, "learners 0 new, 1 updated\n"));
	EXPECT(t, !sb_has(t->out, "credentials"));
	EXPECT(t, t->err[0] == '\0');

	char *a = holdings(t, "a.db", "ana"), *b = holdings(t, "b.db", "ana");
	EXPECT(t, strcmp(a, "forklift-cert 2025-03-01 never\n"
	                    "osha-10 2025-02-10 2030-02-10\n"
	                    "first-aid-cert 2023-01-31 2025-01-31\n"
	                    "first-aid-cert 2025-06-15 2027-06-15\n"
	                    "inventory-course 2027-09-01 never\n") == 0);
	if (strcmp(a, b) != 0)
		fail_msg("holdings differ:\n%s---\n%s", a, b);
	free(a);
	free(b);

	/* the same answers before, between and after the expiries and the
	 * future entry */
	static const char *const dates[] = {"2025-01-15", "2026-01-15",
	                                    "2027-07-01", "2027-10-01",
	                                    "2031-01-01"};
	for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
		static const char *const cmds[][3] = {
		    {"match", "ana", NULL},
		    {"next", "ana", NULL},
		    {"explain", "ana", "j-lead"},
		    {"plan", "ana", "j-stock"}};
		for (size_t k = 0; k < sizeof cmds / sizeof *cmds; k++) {
			const char *argv[] = {
			    "--db",     "a.db",     "--as-of",
			    dates[i],   "--json",   cmds[k][0],
			    cmds[k][1], cmds[k][2], NULL};
			sb_run(t, NULL, NULL, argv);
			EXPECT_EXIT(t, 0);
			char *before = take_out(t);
			argv[1] = "b.db";
			sb_run(t, NULL, NULL, argv);
			EXPECT_EXIT(t, 0);
			if (strcmp(before, t->out) != 0)
				fail_msg("%s at %s differs:\n%s---\n%s",
				         cmds[k][0], dates[i], before, t->out);
			free(before);
		}
	}
	/* the stack is held through its components on both sides */
	RUN(t, "--db", "b.db", "--as-of", "2027-10-01", "--json", "match",
	    "ana");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "\"j-lead\""));

	/* importing the same bundle again adds nothing */
	sb_content st = sb_store_state(t, "b.db");
	RUN(t, "--db", "b.db", "import", "badges", "--learner", "ana",
	    "ana.json");
	EXPECT_EXIT(t, 0);
	sb_content st2 = sb_store_state(t, "b.db");
	EXPECT(t, st.hash == st2.hash && st.rows == st2.rows);

	/* and the re-imported record exports the same credentials again */
	RUN(t, "--db", "a.db", "--as-of", "2026-01-15", "export", "learners",
	    "--format", "clr", "ana");
	char *first = take_out(t);
	RUN(t, "--db", "b.db", "--as-of", "2026-01-15", "export", "learners",
	    "--format", "clr", "ana");
	EXPECT_EXIT(t, 0);
	if (strcmp(first, t->out) != 0)
		fail_msg("second export differs:\n%s---\n%s", first, t->out);
	free(first);
}

static void several_and_refusals(void **state)
{
	sandbox *t = *state;
	stores(t);
	/* none named: every learner with credentials (bo has none) */
	RUN(t, "--db", "a.db", "export", "learners", "--format", "clr");
	EXPECT_EXIT(t, 0);
	json_t *all = PARSE_OUT(t);
	EXPECT(t, json_is_array(all) && json_array_size(all) == 1);
	EXPECT(t, strcmp(json_string_value(json_object_get(
	                     json_object_get(json_array_get(all, 0),
	                                     "credentialSubject"),
	                     "id")),
	                 "urn:pathway:learner:ana") == 0);
	json_decref(all);

	sb_content before = sb_store_state(t, "a.db");
	RUN(t, "--db", "a.db", "export", "learners", "--format", "clr",
	    "nobody");
	EXPECT_ERROR(t, 3);
	EXPECT(t, sb_has(t->err, "nobody"));
	RUN(t, "--db", "a.db", "export", "learners", "--format", "clr", "bo");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "'bo'"));
	RUN(t, "--db", "a.db", "export", "learners", "--format", "clr", "ana",
	    "bo");
	EXPECT_ERROR(t, 2);
	RUN(t, "--db", "a.db", "export", "credentials", "--format", "ob3",
	    "ana");
	EXPECT_ERROR(t, 2);
	RUN(t, "--db", "a.db", "export", "learners", "--format", "ob3");
	EXPECT_ERROR(t, 2);
	EXPECT(t, sb_has(t->err, "learners: clr"));
	sb_content after = sb_store_state(t, "a.db");
	EXPECT(t, before.hash == after.hash && before.rows == after.rows);
}

static void several_in_order(void **state)
{
	sandbox *t = *state;
	char extra[4096];
	stores(t);
	sb_write(t, "carl.json",
	         "{\"learners\": [{\"id\": \"carl\", \"credentials\": "
	         "[{\"credential\": \"osha-10\", \"earned\": "
	         "\"2024-05-05\"}]}]}");
	RUN(t, "--db", "a.db", "load",
	    sb_path(t, "carl.json", extra, sizeof extra));
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "a.db", "export", "learners", "--format", "clr", "carl",
	    "ana");
	EXPECT_EXIT(t, 0);
	json_t *two = PARSE_OUT(t);
	EXPECT(t, json_array_size(two) == 2);
	const char *ids[2];
	for (size_t i = 0; i < 2; i++)
		ids[i] = json_string_value(
		    json_object_get(json_object_get(json_array_get(two, i),
		                                    "credentialSubject"),
		                    "id"));
	EXPECT(t, ids[0] && strcmp(ids[0], "urn:pathway:learner:carl") == 0);
	EXPECT(t, ids[1] && strcmp(ids[1], "urn:pathway:learner:ana") == 0);
	json_decref(two);
}

/* d plus months, the day clamped to the month's end (SPEC §2), on
 * "YYYY-MM-DD" text. */
static void add_months(const char *ymd, int months, char out[static 16])
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
	                           31, 31, 30, 31, 30, 31};
	int y, m, d;
	assert_int_equal(sscanf(ymd, "%d-%d-%d", &y, &m, &d), 3);
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	int last = days[m - 1] +
	           (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d < last ? d : last);
}

/* The bundled dataset: every learner's record exported at once, each
 * bundle imported into a store holding the catalog and the learners bare;
 * every entry comes back (credential, earned, the day it stops being held)
 * without a credential made, and every match and next answers the same. */
static void bundled_round_trip(void **state)
{
	sandbox *t = *state;
	const char *src = getenv("PATHWAY_SRC");
	char dir[3800], files[5][4096];
	static const char *const kinds[] = {"skills", "credentials",
	                                    "occupations", "jobs", "learners"};
	snprintf(dir, sizeof dir, "%s/datasets/rural-sample",
	         src && *src ? src : ".");
	for (int i = 0; i < 5; i++)
		snprintf(files[i], sizeof files[i], "%s/%s.json", dir,
		         kinds[i]);
	json_error_t je;
	json_t *learners = json_load_file(files[4], 0, &je);
	json_t *creds = json_load_file(files[1], 0, &je);
	if (!learners || !creds)
		fail_msg("cannot read the bundled dataset in %s", dir);
	json_t *months = json_object(); /* credential -> expires_months */
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(creds, "credentials"), i, v)
	{
		json_t *m = json_object_get(v, "expires_months");
		if (m)
			json_object_set(
			    months, json_string_value(json_object_get(v, "id")),
			    m);
	}
	json_t *bare = json_deep_copy(learners);
	json_array_foreach(json_object_get(bare, "learners"), i, v)
	    json_object_del(v, "credentials");
	char *text = json_dumps(bare, 0);
	sb_write(t, "bare.json", text);
	free(text);
	char barep[4096];
	sb_path(t, "bare.json", barep, sizeof barep);
	RUN(t, "--db", "a.db", "load", files[0], files[1], files[2], files[3],
	    files[4]);
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "b.db", "load", files[0], files[1], files[2], files[3],
	    barep);
	EXPECT_EXIT(t, 0);

	RUN(t, "--db", "a.db", "export", "learners", "--format", "clr");
	EXPECT_EXIT(t, 0);
	json_t *all = PARSE_OUT(t), *done = json_object();
	size_t with = 0;
	json_array_foreach(json_object_get(learners, "learners"), i, v) with +=
	    json_array_size(json_object_get(v, "credentials")) > 0;
	EXPECT(t, json_array_size(all) == with && with > 40);
	json_array_foreach(all, i, v)
	{
		const char *subject = json_string_value(json_object_get(
		    json_object_get(v, "credentialSubject"), "id"));
		EXPECT(t, subject && strncmp(subject,
		                             "urn:pathway:learner:", 20) == 0);
		/* under valgrind, every eighth bundle */
		if (sb_quick() && i % 8)
			continue;
		json_object_set_new(done, subject + 20, json_true());
		char *one = json_dumps(v, 0);
		sb_write(t, "one.json", one);
		free(one);
		RUN(t, "--db", "b.db", "import", "badges", "--learner",
		    subject + 20, "one.json");
		EXPECT_EXIT(t, 0);
		EXPECT(t, !sb_has(t->out, "credentials"));
		EXPECT(t, t->err[0] == '\0');
	}
	json_decref(all);

	json_array_foreach(json_object_get(learners, "learners"), i, v)
	{
		const char *id = json_string_value(json_object_get(v, "id"));
		if (json_array_size(json_object_get(v, "credentials")) &&
		    !json_object_get(done, id))
			continue;
		RUN(t, "--db", "b.db", "show", "learner", id, "--json");
		EXPECT_EXIT(t, 0);
		json_t *got = PARSE_OUT(t);
		json_t *want = json_object_get(v, "credentials");
		json_t *back = json_object_get(got, "credentials");
		EXPECT(t, json_array_size(back) == json_array_size(want));
		for (size_t k = 0; k < json_array_size(want); k++) {
			json_t *w = json_array_get(want, k),
			       *b = json_array_get(back, k);
			const char *cred =
			    json_string_value(json_object_get(w, "credential"));
			const char *earned =
			    json_string_value(json_object_get(w, "earned"));
			const char *exp =
			    json_string_value(json_object_get(w, "expires"));
			char until[16] = "";
			json_t *m = json_object_get(months, cred);
			if (exp)
				snprintf(until, sizeof until, "%s", exp);
			else if (m)
				add_months(earned, (int)json_integer_value(m),
				           until);
			const char *bexp =
			    json_string_value(json_object_get(b, "expires"));
			if (strcmp(cred, json_string_value(json_object_get(
			                     b, "credential"))) != 0 ||
			    strcmp(earned, json_string_value(json_object_get(
			                       b, "earned"))) != 0 ||
			    strcmp(until, bexp ? bexp : "") != 0)
				fail_msg("%s entry %zu: %s %s %s came back as "
				         "%s",
				         id, k, cred, earned, until,
				         json_dumps(b, JSON_COMPACT));
		}
		json_decref(got);
		static const char *const cmds[] = {"match", "next"};
		for (int c = 0; c < 2; c++) {
			RUN(t, "--db", "a.db", "--as-of", "2026-11-23",
			    "--json", cmds[c], id, "--top", "50");
			EXPECT_EXIT(t, 0);
			char *before = take_out(t);
			RUN(t, "--db", "b.db", "--as-of", "2026-11-23",
			    "--json", cmds[c], id, "--top", "50");
			EXPECT_EXIT(t, 0);
			if (strcmp(before, t->out) != 0)
				fail_msg("%s %s differs", cmds[c], id);
			free(before);
		}
	}
	json_decref(done);
	json_decref(months);
	json_decref(bare);
	json_decref(creds);
	json_decref(learners);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)
	const struct CMUnitTest tests[] = {
	    T(shape),
	    T(round_trip),
	    T(several_and_refusals),
	    T(several_in_order),
	    T(bundled_round_trip),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
