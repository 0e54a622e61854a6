/* fuzz_routes.c - libFuzzer target for the HTTP request path through the
 * route table: the input is split on newlines into method, path, query
 * ("k=v&k=v"), Authorization and body, and handled against a small store
 * with tokens for every role. Any request must be answered (a status and a
 * body), never crash or leak. */
#include "pathway.h"
#include "routes.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char data[] =
    "{\"skills\": [{\"id\": \"s1\", \"name\": \"S1\"}], \"credentials\": "
    "[{\"id\": \"c1\", \"name\": \"C1\", \"hours\": 1, \"cost\": 1, \"skills\": "
    "[{\"skill\": \"s1\"}]}], \"jobs\": [{\"id\": \"j1\", \"title\": \"J\", "
    "\"employer\": \"Acme\", \"requirements\": [{\"skill\": \"s1\"}]}], "
    "\"learners\": [{\"id\": \"l1\", \"discoverable\": true, \"credentials\": "
    "[{\"credential\": \"c1\", \"earned\": \"2025-01-01\"}]}]}";

static pw_engine *engine;
static char *tokens[4];

static void setup(void)
{
	pw_error err;
	if (pw_open(":memory:", PW_OPEN_CREATE, &engine, &err))
		abort();
	pw_report *rep = pw_report_new();
	const char *name = "base.json", *doc = data;
	size_t len = sizeof data - 1;
	if (pw_load_buffers(engine, &name, &doc, &len, 1, rep, NULL, &err))
		abort();
	pw_report_free(rep);
	pw_token_create(engine, PW_ROLE_LEARNER, "l1", &tokens[0], &err);
	pw_token_create(engine, PW_ROLE_EMPLOYER, "Acme", &tokens[1], &err);
	pw_token_create(engine, PW_ROLE_BOARD, NULL, &tokens[2], &err);
	pw_token_create(engine, PW_ROLE_ADMIN, NULL, &tokens[3], &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	if (!engine)
		setup();
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, in, size);
	buf[size] = '\0';
	/* fields: method \n path \n query \n auth \n body (the rest) */
	char *field[5] = {"", "", "", "", ""};
	char *p = buf;
	for (int i = 0; i < 4; i++) {
		char *nl = memchr(p, '\n', (size_t)(buf + size - p));
		field[i] = p;
		if (!nl) {
			p = buf + size;
			break;
		}
		*nl = '\0';
		p = nl + 1;
	}
	field[4] = p;
	api_param params[8];
	size_t np = 0;
	for (char *kv = field[2]; *kv && np < 8;) {
		char *amp = strchr(kv, '&');
		if (amp)
			*amp = '\0';
		char *eq = strchr(kv, '=');
		if (eq)
			*eq = '\0';
		params[np].key = kv;
		params[np].value = eq ? eq + 1 : "";
		np++;
		if (!amp)
			break;
		kv = amp + 1;
	}
	/* an Authorization of "0".."3" stands for a real token of each role */
	char auth[256];
	const char *a = field[3];
	if (a[0] >= '0' && a[0] <= '3' && !a[1] && tokens[a[0] - '0']) {
		snprintf(auth, sizeof auth, "Bearer %s", tokens[a[0] - '0']);
		a = auth;
	}
	api_request req = {.method = field[0],
	                   .path = field[1],
	                   .params = params,
	                   .nparams = np,
	                   .authorization = *a ? a : NULL,
	                   .body = field[4],
	                   .body_len = (size_t)(buf + size - field[4])};
	api_response res;
	api_handle(engine, &req, &res);
	if (res.status < 200 || res.status > 599 || !res.content_type)
		abort();
	api_response_release(&res);
	free(buf);
	return 0;
}
