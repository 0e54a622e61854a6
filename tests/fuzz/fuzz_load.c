/* fuzz_load.c - libFuzzer target for the native dataset loader: any bytes
 * as a dataset file, loaded into an in-memory store that already holds a
 * small catalog (so references and cycles through stored data are
 * exercised). A bad document must be reported, never crash or leak. */
#include "pathway.h"

#include <stdint.h>
#include <stdlib.h>

static const char base[] =
    "{\"skills\": [{\"id\": \"a\", \"name\": \"A\"}, {\"id\": \"b\", \"name\": "
    "\"B\", \"broader\": [\"a\"]}], \"credentials\": [{\"id\": \"c\", \"name\": "
    "\"C\", \"skills\": [{\"skill\": \"a\"}]}], \"jobs\": [{\"id\": \"j\", "
    "\"title\": \"J\", \"requirements\": [{\"skill\": \"b\"}]}], \"learners\": "
    "[{\"id\": \"l\", \"credentials\": [{\"credential\": \"c\", \"earned\": "
    "\"2025-01-01\"}]}]}";

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
	pw_report *rep = pw_report_new();
	if (rep && pw_load_buffers(e, names, docs, lens, 1, rep, NULL, &err) ==
	               PW_OK)
		pw_load_buffers(e, names + 1, docs + 1, lens + 1, 1, rep, NULL, &err);
	/* when it loaded, the model must build and answer */
	pw_match *m;
	pw_match_opts o = {.as_of = 20000};
	if (pw_match_learner(e, "l", &o, &m, &err) == PW_OK)
		pw_match_free(m);
	pw_plan *p;
	if (pw_plan_target(e, "l", "j", 20000, PW_BY_HOURS, &p, &err) == PW_OK)
		pw_plan_free(p);
	pw_report_free(rep);
	pw_close(e);
	return 0;
}
