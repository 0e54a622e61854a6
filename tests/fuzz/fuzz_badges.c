/* fuzz_badges.c - libFuzzer target for the Open Badges and CLR reader: any
 * bytes as one document (JSON or a compact JWS) imported for a learner of
 * a small store (skills with names, aliases and codes; credentials with a
 * url and aliases; a stack). A bad document must be reported, never crash,
 * hang or leak. What is imported must be valid for the loader (a failure
 * the loader reports is a bug of the reader), importing it again must
 * change nothing, and the catalog must export again. */
#include "pathway.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char base[] =
    "{\"skills\": [{\"id\": \"fork\", \"name\": \"Forklift operation\", "
    "\"aliases\": [\"forklift\"], \"codes\": {\"onet\": \"2.A.1.a\", "
    "\"esco\": \"http://data.europa.eu/esco/skill/abc\"}}, {\"id\": "
    "\"safety\", \"name\": \"Safety\", \"codes\": {\"nice\": \"K1\"}}], "
    "\"occupations\": [{\"id\": \"53-7051.00\", \"title\": \"Truck "
    "operators\"}], \"credentials\": [{\"id\": \"cert\", \"name\": "
    "\"Forklift cert\", \"url\": \"https://cc.example/a/fork\", "
    "\"aliases\": [\"urn:a:1\", "
    "\"ce-11111111-2222-4333-8444-555555555555\"], \"skills\": "
    "[{\"skill\": \"fork\"}], \"occupations\": [\"53-7051.00\"]}, {\"id\": "
    "\"cpr\", \"name\": \"CPR\", \"listed\": false, \"url\": "
    "\"https://cc.example/a/cpr\"}, {\"id\": \"stack\", \"name\": \"Stack\", "
    "\"components\": [\"cert\", \"cpr\"]}], \"learners\": [{\"id\": \"l1\", "
    "\"credentials\": [{\"credential\": \"cert\", \"earned\": "
    "\"2020-01-01\"}]}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Did the loader refuse what the reader built? Its paths name the native
 * document ("credentials[0].name", "learners[0]..."). */
static bool loader_refused(const pw_report *rep)
{
	for (size_t i = 0; i < pw_report_count(rep); i++) {
		const char *path;
		pw_report_get(rep, i, NULL, &path, NULL);
		if (strncmp(path, "credentials[", 12) == 0 ||
		    strncmp(path, "learners[", 9) == 0)
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pw_engine *e;
	pw_error err;
	if (pw_open(":memory:", PW_OPEN_CREATE, &e, &err))
		return 0;
	const char *names[] = {"base.json", "fuzz"};
	const char *docs[] = {base, (const char *)data};
	size_t lens[] = {sizeof base - 1, size};
	pw_report *rep = pw_report_new(), *notes = pw_report_new();
	pw_import_opts o = {.notes = notes};
	pw_import_summary sum;
	if (!rep || !notes ||
	    pw_load_buffers(e, names, docs, lens, 1, rep, NULL, &err))
		goto done;
	pw_status st = pw_import_badges_buffers(
	    e, "l1", names + 1, docs + 1, lens + 1, 1, &o, rep, &sum, &err);
	if (st == PW_ERR_INVALID && loader_refused(rep))
		abort();
	if (st == PW_OK) {
		st = pw_import_badges_buffers(e, "l1", names + 1, docs + 1,
		                              lens + 1, 1, &o, rep, &sum, &err);
		for (int k = 0; k < PW_KIND_COUNT; k++)
			if (st || sum.created[k] || sum.updated[k])
				abort(); /* the second time must change nothing
				          */
		char *out;
		if (pw_export_credentials_ob3(e, 0, &out, &err) == PW_OK)
			pw_free(out);
	}
done:
	pw_report_free(rep);
	pw_report_free(notes);
	pw_close(e);
	return 0;
}
