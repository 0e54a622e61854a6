/* test_cli_token.c - `pathway token` end to end: a new token is printed once
 * with a warning on standard error, listed without its secret, revoked by
 * token or id exactly once; bad roles and subjects are refused with the
 * exit codes of SPEC §6. */
#include "fixture.h"
#include "sandbox.h"

#include <string.h>

static void setup_db(sandbox *t)
{
	sb_write(t, "l.json", "{\"learners\": [{\"id\": \"l1\"}]}");
	RUN(t, "--db", "t.db", "load", "l.json");
	EXPECT_EXIT(t, 0);
}

static void create_list_revoke(void **state)
{
	sandbox *t = *state;
	setup_db(t);
	RUN(t, "--db", "t.db", "token", "create", "--role", "learner", "--learner",
	    "l1");
	EXPECT_EXIT(t, 0);
	EXPECT(t, strncmp(t->out, "pwt_", 4) == 0);
	EXPECT(t, sb_count_lines(t->out) == 1);
	EXPECT(t, sb_has(t->err, "shown once"));
	char token[256];
	snprintf(token, sizeof token, "%s", t->out);
	token[strcspn(token, "\n")] = '\0';
	char id[17];
	snprintf(id, sizeof id, "%.16s", token + 4);

	RUN(t, "--db", "t.db", "token", "list");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, id));
	EXPECT(t, sb_has(t->out, "l1"));
	EXPECT(t, !sb_has(t->out, token + 21)); /* never the secret */
	RUN(t, "--db", "t.db", "--json", "token", "list");
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_has(t->out, "\"role\": \"learner\""));
	EXPECT(t, !sb_has(t->out, token + 21));

	RUN(t, "--db", "t.db", "token", "revoke", id);
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "t.db", "token", "revoke", token);
	EXPECT_EXIT(t, 3);
	EXPECT(t, sb_all_lines_prefixed(t->err));
	RUN(t, "--db", "t.db", "token", "create", "--role", "board");
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "t.db", "token", "create", "--role", "employer",
	    "--employer", "Hazard ARH");
	EXPECT_EXIT(t, 0);
}

static void refusals(void **state)
{
	sandbox *t = *state;
	setup_db(t);
	RUN(t, "--db", "t.db", "token", "create", "--role", "root");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "t.db", "token", "create");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "t.db", "token", "create", "--role", "learner", "--learner",
	    "nobody");
	EXPECT_EXIT(t, 3);
	RUN(t, "--db", "t.db", "token", "create", "--role", "learner");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "t.db", "token", "create", "--role", "board", "--learner",
	    "l1");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "t.db", "token", "frobnicate");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "t.db", "token");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "missing.db", "token", "list");
	EXPECT_EXIT(t, 1);
	EXPECT(t, !sb_exists(t, "missing.db"));
	EXPECT(t, sb_all_lines_prefixed(t->err));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)
	const struct CMUnitTest tests[] = {T(create_list_revoke), T(refusals)};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
