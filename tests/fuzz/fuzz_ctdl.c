/* fuzz_ctdl.c - libFuzzer target for the CTDL reader: any bytes as one
 * document imported into an in-memory store holding a small catalog
 * (skills with a code and an alias, credentials with CTID and registry
 * aliases, a job and a learner). A bad document must be reported, never
 * crash, hang or leak; what was imported is then planned and the plan
 * written as a CTDL Pathway, so the writer meets fuzzed names and ids. */
#include "pathway.h"

#include <stdint.h>
#include <stdlib.h>

static const char base[] =
    "{\"skills\": [{\"id\": \"fork\", \"name\": \"Forklift operation\", "
    "\"aliases\": [\"operate a forklift\"], \"codes\": {\"onet\": "
    "\"2.A.1.a\", \"ctdl\": \"https://credentialengineregistry.org/"
    "resources/ce-00000000-0000-4000-8000-0000000000c1\"}}, {\"id\": "
    "\"safety\", \"name\": \"Workplace safety\"}], \"credentials\": "
    "[{\"id\": \"osha10\", \"name\": \"OSHA 10\", \"hours\": 10, \"cost\": "
    "89, \"modality\": \"online\", \"skills\": [{\"skill\": \"safety\"}], "
    "\"aliases\": [\"ce-00000000-0000-4000-8000-000000000010\"]}, {\"id\": "
    "\"rig\", \"name\": \"Rigging\", \"listed\": false, \"aliases\": "
    "[\"https://credentialengineregistry.org/resources/"
    "ce-00000000-0000-4000-8000-000000000011\"]}], \"jobs\": [{\"id\": "
    "\"j1\", \"title\": \"Forklift lead\", \"soc\": \"53-7051.00\", "
    "\"remote\": true, \"requirements\": [{\"skill\": \"fork\", \"level\": "
    "2}, {\"skill\": \"safety\", \"level\": 2}]}], \"learners\": [{\"id\": "
    "\"l1\"}]}";

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
	pw_plan *p;
	if (rep && notes &&
	    pw_load_buffers(e, names, docs, lens, 1, rep, NULL, &err) ==
	        PW_OK &&
	    pw_import_ctdl_buffers(e, names + 1, docs + 1, lens + 1, 1, &o, rep,
	                           &sum, &err) == PW_OK &&
	    pw_plan_target(e, "l1", "j1", 20000, PW_BY_HOURS, &p, &err) ==
	        PW_OK) {
		char *out;
		if (pw_plan_ctdl(e, p, 0, &out, &err) == PW_OK)
			pw_free(out);
		pw_plan_free(p);
	}
	pw_report_free(rep);
	pw_report_free(notes);
	pw_close(e);
	return 0;
}
