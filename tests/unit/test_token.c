/* test_token.c - bearer tokens (SPEC §7): created per role with the right
 * subject, verified back to their principal, refused when malformed,
 * tampered with, unknown or revoked, and never stored in clear. */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int setup(void **state)
{
	pw_engine *e = fx_open();
	fx_load_ok(e, "{\"learners\": [{\"id\": \"l1\"}]}");
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	pw_close(*state);
	return 0;
}

static char *create(pw_engine *e, pw_role role, const char *subject)
{
	char *token;
	pw_error err;
	if (pw_token_create(e, role, subject, &token, &err))
		fail_msg("token create: %s", err.message);
	return token;
}

static void round_trips_every_role(void **state)
{
	pw_engine *e = *state;
	struct {
		pw_role role;
		const char *subject;
	} cases[] = {{PW_ROLE_LEARNER, "l1"},
	             {PW_ROLE_EMPLOYER, "Hazard ARH"},
	             {PW_ROLE_BOARD, NULL},
	             {PW_ROLE_ADMIN, NULL}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *token = create(e, cases[i].role, cases[i].subject);
		assert_int_equal(strncmp(token, "pwt_", 4), 0);
		pw_principal p;
		pw_error err;
		assert_int_equal(pw_token_verify(e, token, &p, &err), PW_OK);
		assert_int_equal(p.role, cases[i].role);
		assert_string_equal(p.subject,
		                    cases[i].subject ? cases[i].subject : "");
		assert_int_equal(strlen(p.token_id), 16);
		assert_int_equal(strncmp(token + 4, p.token_id, 16), 0);
		pw_free(token);
	}
	/* two tokens for the same principal differ */
	char *a = create(e, PW_ROLE_BOARD, NULL),
	     *b = create(e, PW_ROLE_BOARD, NULL);
	assert_string_not_equal(a, b);
	pw_free(a);
	pw_free(b);
}

static void refuses_bad_subjects(void **state)
{
	pw_engine *e = *state;
	char *token = NULL;
	pw_error err;
	assert_int_equal(
	    pw_token_create(e, PW_ROLE_LEARNER, "nobody", &token, &err),
	    PW_ERR_NOT_FOUND);
	assert_int_equal(
	    pw_token_create(e, PW_ROLE_LEARNER, NULL, &token, &err),
	    PW_ERR_INVALID);
	assert_int_equal(pw_token_create(e, PW_ROLE_EMPLOYER, "", &token, &err),
	                 PW_ERR_INVALID);
	assert_int_equal(pw_token_create(e, PW_ROLE_BOARD, "l1", &token, &err),
	                 PW_ERR_INVALID);
	assert_int_equal(pw_token_create(e, PW_ROLE_NONE, NULL, &token, &err),
	                 PW_ERR_INVALID);
	assert_null(token);
	pw_role r;
	assert_int_equal(pw_role_parse("board", &r, NULL), PW_OK);
	assert_int_equal(r, PW_ROLE_BOARD);
	assert_int_equal(pw_role_parse("root", &r, &err), PW_ERR_INVALID);
}

static void refuses_bad_tokens(void **state)
{
	pw_engine *e = *state;
	char *token = create(e, PW_ROLE_ADMIN, NULL);
	pw_principal p;
	pw_error err;
	/* one character of the secret changed */
	char *tampered = strdup(token);
	size_t n = strlen(tampered);
	tampered[n - 1] = tampered[n - 1] == 'A' ? 'B' : 'A';
	assert_int_equal(pw_token_verify(e, tampered, &p, &err), PW_ERR_DENIED);
	/* an id that exists nowhere */
	tampered[4] = tampered[4] == '0' ? '1' : '0';
	assert_int_equal(pw_token_verify(e, tampered, &p, &err), PW_ERR_DENIED);
	free(tampered);
	const char *malformed[] = {
	    "",
	    "pwt_",
	    "Bearer x",
	    "pwt_zzzz_secret",
	    "pwt_0123456789abcdef",
	    "pwt_0123456789abcdef_x",
	    "pwt_0123456789ABCDEF_abcdefghijklmnopqrstuvwxyz"};
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
		assert_int_equal(pw_token_verify(e, malformed[i], &p, &err),
		                 PW_ERR_DENIED);
	assert_int_equal(pw_token_verify(e, NULL, &p, &err), PW_ERR_DENIED);
	pw_free(token);
}

static void revocation(void **state)
{
	pw_engine *e = *state;
	char *token = create(e, PW_ROLE_LEARNER, "l1");
	char *other = create(e, PW_ROLE_LEARNER, "l1");
	pw_principal p;
	pw_error err;
	char id[17];
	snprintf(id, sizeof id, "%.16s", token + 4);
	assert_int_equal(pw_token_revoke(e, id, &err), PW_OK); /* by id */
	assert_int_equal(pw_token_verify(e, token, &p, &err), PW_ERR_DENIED);
	assert_non_null(strstr(err.message, "revoked"));
	/* a guessed secret learns nothing of the id: not even "revoked" */
	char *guess = strdup(token);
	size_t gl = strlen(guess);
	guess[gl - 1] = guess[gl - 1] == 'A' ? 'B' : 'A';
	assert_int_equal(pw_token_verify(e, guess, &p, &err), PW_ERR_DENIED);
	assert_null(strstr(err.message, "revoked"));
	free(guess);
	assert_int_equal(pw_token_revoke(e, token, &err), PW_ERR_NOT_FOUND);
	/* another token of the same learner still works */
	assert_int_equal(pw_token_verify(e, other, &p, &err), PW_OK);
	assert_int_equal(pw_token_revoke(e, other, &err), PW_OK); /* whole */
	assert_int_equal(pw_token_verify(e, other, &p, &err), PW_ERR_DENIED);
	assert_int_equal(pw_token_revoke(e, "ffffffffffffffff", &err),
	                 PW_ERR_NOT_FOUND);
	pw_tokens *t;
	assert_int_equal(pw_token_list(e, &t, &err), PW_OK);
	assert_int_equal(t->count, 2);
	assert_non_null(t->items[0].revoked);
	char *json = pw_tokens_json(t, 0);
	assert_non_null(strstr(json, "\"role\":\"learner\""));
	assert_null(strstr(json, token + 21)); /* no secret in the listing */
	pw_free(json);
	pw_tokens_free(t);
	pw_free(token);
	pw_free(other);
}

static void secrets_are_not_stored(void **state)
{
	(void)state;
	char dir[] = "/tmp/pathway-token-XXXXXX", path[64], *token;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	pw_engine *e;
	pw_error err;
	assert_int_equal(pw_open(path, PW_OPEN_CREATE, &e, &err), PW_OK);
	assert_int_equal(pw_token_create(e, PW_ROLE_ADMIN, NULL, &token, &err),
	                 PW_OK);
	pw_close(e);
	/* the secret's text appears in no byte of the database or its WAL */
	const char *secret = token + 21;
	const char *suffixes[] = {"", "-wal"};
	for (size_t i = 0; i < 2; i++) {
		char file[80];
		size_t len = 0;
		snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
		char *bytes = fx_read_file(file, &len);
		if (!bytes)
			continue;
		for (size_t k = 0; k + strlen(secret) <= len; k++)
			assert_false(
			    memcmp(bytes + k, secret, strlen(secret)) == 0);
		free(bytes);
		unlink(file);
	}
	char shm[80];
	snprintf(shm, sizeof shm, "%s-shm", path);
	unlink(shm);
	rmdir(dir);
	pw_free(token);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(round_trips_every_role),
	    T(refuses_bad_subjects),
	    T(refuses_bad_tokens),
	    T(revocation),
	    cmocka_unit_test(secrets_are_not_stored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
