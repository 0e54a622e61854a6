/* fuzz_jobposting.c - libFuzzer target for the schema.org JobPosting
 * reader: any bytes as one document (JSON-LD or an HTML page) imported into
 * an in-memory store holding a small catalog (skills with names, aliases,
 * codes and a pattern; a credential; an occupation with requirements, so
 * the fallback runs). A bad document must be reported, never crash, hang or
 * leak; what was imported must export again. */
#include "pathway.h"

#include <stdint.h>
#include <stdlib.h>

static const char base[] =
    "{\"skills\": [{\"id\": \"fork\", \"name\": \"Forklift operation\", "
    "\"aliases\": [\"forklift\"], \"codes\": {\"nice\": \"K1\"}}, {\"id\": "
    "\"weld\", \"name\": \"Welding\", \"pattern\": "
    "\"\\\\bweld(er|ing)?\\\\b\"}, "
    "{\"id\": \"care\", \"name\": \"Patient care\"}], \"credentials\": "
    "[{\"id\": \"cdl\", \"name\": \"CDL Class A\"}], \"occupations\": "
    "[{\"id\": "
    "\"53-7051.00\", \"title\": \"Truck operators\", \"requirements\": "
    "[{\"skill\": \"fork\", \"level\": 2}]}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pw_engine *e;
	pw_error err;
	if (pw_open(":memory:", PW_OPEN_CREATE, &e, &err))
		return 0;
	const char *names[] = {"base.json", "fuzz.json"};
	const char *docs[] = {base, (const char *)data};
	size_t lens[] = {sizeof base - 1, size};
	pw_report *rep = pw_report_new(), *notes = pw_report_new();
	pw_import_opts o = {.notes = notes};
	pw_import_summary sum;
	if (rep && notes &&
	    pw_load_buffers(e, names, docs, lens, 1, rep, NULL, &err) ==
	        PW_OK &&
	    pw_import_jobs_buffers(e, names + 1, docs + 1, lens + 1, 1, &o, rep,
	                           &sum, &err) == PW_OK) {
		char *out;
		if (pw_export_jobs_jsonld(e, 0, &out, &err) == PW_OK)
			pw_free(out);
	}
	pw_report_free(rep);
	pw_report_free(notes);
	pw_close(e);
	return 0;
}
