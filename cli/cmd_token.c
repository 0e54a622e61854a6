/* cmd_token.c - `pathway token`: the bearer tokens the HTTP API checks.
 * A new token is printed once; only a digest of its secret is kept. */
#include "cli.h"

#include <string.h>

static const opt_spec create_opts[] = {
    {"--role", true}, {"--learner", true}, {"--employer", true}, {NULL, false}};

static int token_create(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	pw_role role;
	if (!parse_opts(c, argc, argv, create_opts, 0, 0, &o))
		return EXIT_USAGE;
	if (!o.set[0])
		return usage_error(c, "create needs --role");
	if (pw_role_parse(o.value[0], &role, &err))
		return usage_error(c, "%s", err.message);
	if (o.set[1] && o.set[2])
		return usage_error(c, "give --learner or --employer, not both");
	if (o.set[1] && role != PW_ROLE_LEARNER)
		return usage_error(c, "--learner goes with --role learner");
	if (o.set[2] && role != PW_ROLE_EMPLOYER)
		return usage_error(c, "--employer goes with --role employer");
	const char *subject = o.set[1] ? o.value[1] : o.value[2];
	char *token;
	pw_status st = pw_token_create(c->engine, role, subject, &token, &err);
	if (st)
		return fail_status(st, &err);
	printf("%s\n", token);
	pw_free(token);
	if (!c->json)
		fprintf(stderr,
		        "pathway: this %s token is shown once; keep it "
		        "safe (revoke it with 'pathway token revoke')\n",
		        pw_role_name(role));
	return EXIT_OK;
}

static int token_revoke(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	if (!parse_opts(c, argc, argv, NULL, 1, 1, &o))
		return EXIT_USAGE;
	pw_status st = pw_token_revoke(c->engine, o.pos[0], &err);
	if (st)
		return fail_status(st, &err);
	printf("revoked\n");
	return EXIT_OK;
}

static int token_list(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	pw_tokens *t;
	if (!parse_opts(c, argc, argv, NULL, 0, 0, &o))
		return EXIT_USAGE;
	pw_status st = pw_token_list(c->engine, &t, &err);
	if (st)
		return fail_status(st, &err);
	if (c->json) {
		int rc = print_doc(pw_tokens_json(t, PW_JSON_PRETTY));
		pw_tokens_free(t);
		return rc;
	}
	if (t->count)
		printf("%-16s  %-8s  %-20s  %-20s  %s\n", "ID", "ROLE",
		       "CREATED", "REVOKED", "FOR");
	for (size_t i = 0; i < t->count; i++) {
		const pw_token_info *it = &t->items[i];
		printf("%-16s  %-8s  %-20s  %-20s  %s\n", it->id,
		       pw_role_name(it->role), it->created,
		       or_dash(it->revoked), or_dash(it->subject));
	}
	printf("%s%zu token%s\n", t->count ? "\n" : "", t->count,
	       t->count == 1 ? "" : "s");
	pw_tokens_free(t);
	return EXIT_OK;
}

static int run_token(cli *c, int argc, char **argv)
{
	if (argc < 1)
		return usage_error(c, "missing create, revoke or list");
	if (strcmp(argv[0], "create") == 0)
		return token_create(c, argc - 1, argv + 1);
	if (strcmp(argv[0], "revoke") == 0)
		return token_revoke(c, argc - 1, argv + 1);
	if (strcmp(argv[0], "list") == 0)
		return token_list(c, argc - 1, argv + 1);
	return usage_error(c, "unknown action '%s'", argv[0]);
}

const command cmd_token = {
    .name = "token",
    .args = "create --role learner --learner ID | --role employer --employer "
            "NAME | --role board | --role admin; revoke TOKEN|ID; list",
    .summary = "create, revoke and list the API's bearer tokens",
    .help = "A token names a principal: a learner (who sees their own record, "
            "matches and\nplans), an employer (the jobs it owns and their "
            "candidates), a board or an\nadmin. 'create' prints the new token "
            "once; only a SHA-256 digest of its\nsecret is stored. 'revoke' "
            "takes the token or its id (the 16 hex digits\nafter 'pwt_'). "
            "'list' shows ids, roles and subjects, never secrets.\n",
    .flags = CMD_DB,
    .run = run_token,
};
