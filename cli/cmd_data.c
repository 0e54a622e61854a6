/* cmd_data.c - the commands that create, fill and read the store: init,
 * load, list and show. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int run_init(cli *c, int argc, char **argv)
{
	opts o;
	if (!parse_opts(c, argc, argv, NULL, 0, 0, &o))
		return EXIT_USAGE;
	printf("initialized '%s'\n", c->db);
	return EXIT_OK;
}

const command cmd_init = {
    .name = "init",
    .args = "",
    .summary = "create the database (or bring its schema up to date)",
    .help = "Creates the SQLite file named by --db, $PATHWAY_DB or "
            "./pathway.db with the\ncurrent schema. Running it again on an "
            "existing database only migrates it.\n",
    .flags = CMD_CREATE,
    .run = run_init,
};

/* After a bulk write, the model and its snapshot are made at once, so that
 * the next command answers without building them; a failure here only
 * leaves that to the next command. */
static int prepared(cli *c)
{
	fflush(stdout);
	pw_prepare(c->engine, NULL);
	return EXIT_OK;
}

static int run_load(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	pw_load_summary sum;
	if (!parse_opts(c, argc, argv, NULL, 1, -1, &o))
		return EXIT_USAGE;
	pw_report *rep = pw_report_new();
	if (!rep) {
		fprintf(stderr, "pathway: out of memory\n");
		return EXIT_RUNTIME;
	}
	pw_status st = pw_load_files(c->engine, (const char *const *)o.pos,
	                             (size_t)o.npos, rep, &sum, &err);
	if (st == PW_ERR_INVALID && pw_report_count(rep)) {
		for (size_t i = 0; i < pw_report_count(rep); i++) {
			const char *file, *path, *reason;
			pw_report_get(rep, i, &file, &path, &reason);
			fprintf(stderr, "pathway: %s: %s: %s\n", file, path,
			        reason);
		}
		fprintf(stderr, "pathway: %s\n", err.message);
		pw_report_free(rep);
		return EXIT_USAGE;
	}
	pw_report_free(rep);
	if (st)
		return fail_status(st, &err);
	if (c->json) {
		printf("{\"loaded\": {");
		for (int k = 0; k < PW_KIND_COUNT; k++)
			printf("%s\"%s\": %zu", k ? ", " : "",
			       pw_kind_name((pw_kind)k), sum.count[k]);
		printf("}}\n");
		return prepared(c);
	}
	printf("loaded");
	bool any = false;
	for (int k = 0; k < PW_KIND_COUNT; k++)
		if (sum.count[k]) {
			const char *name = pw_kind_name((pw_kind)k);
			size_t n = strlen(name);
			printf("%s %zu %.*s", any ? "," : "", sum.count[k],
			       (int)(sum.count[k] == 1 ? n - 1 : n), name);
			any = true;
		}
	printf("%s into '%s'\n", any ? "" : " nothing", c->db);
	return prepared(c);
}

const command cmd_load = {
    .name = "load",
    .args = "FILE...",
    .summary = "validate native dataset files together and store them",
    .help = "Each FILE is one JSON object with any of the arrays skills, "
            "credentials,\noccupations, jobs and learners (SPEC §1). All files "
            "are validated together;\nreferences may cross files or point into "
            "the database. Then everything is\nwritten in one transaction, or "
            "nothing: on any error the database is left\nexactly as it was, "
            "every error is printed as 'pathway: FILE: PATH: reason',\nand the "
            "exit status is 2. An entity whose id exists is replaced whole.\n",
    .flags = CMD_CREATE,
    .run = run_load,
};

static const opt_spec list_opts[] = {{"--q", true}, {NULL, false}};

static int run_list(cli *c, int argc, char **argv)
{
	opts o;
	pw_kind kind;
	pw_list *l;
	pw_error err;
	pw_status st;
	if (!parse_opts(c, argc, argv, list_opts, 1, 1, &o))
		return EXIT_USAGE;
	if ((st = pw_kind_parse(o.pos[0], &kind, &err)))
		return usage_error(c, "%s", err.message);
	if ((st = pw_list_entities(c->engine, kind, o.value[0], &l, &err)))
		return fail_status(st, &err);
	if (c->json) {
		int rc = print_doc(pw_list_json(l, PW_JSON_PRETTY));
		pw_list_free(l);
		return rc;
	}
	int width = 2;
	for (size_t i = 0; i < l->count; i++) {
		int n = (int)strlen(l->items[i].id);
		if (n > width)
			width = n;
	}
	if (width > 40)
		width = 40;
	bool titled = kind == PW_KIND_JOB || kind == PW_KIND_OCCUPATION;
	if (l->count)
		printf("%-*s  %s\n", width, "ID", titled ? "TITLE" : "NAME");
	for (size_t i = 0; i < l->count; i++)
		printf("%-*s  %s\n", width, l->items[i].id,
		       or_dash(l->items[i].name));
	printf("%s%zu %s%s\n", l->count ? "\n" : "", l->count,
	       l->count == 1 ? "entity" : "entities",
	       o.value[0] ? " matching" : "");
	pw_list_free(l);
	return EXIT_OK;
}

const command cmd_list = {
    .name = "list",
    .args = "KIND [--q TEXT]",
    .summary = "list skills, credentials, occupations, jobs or learners",
    .help = "KIND is skills, credentials, occupations, jobs or learners (the "
            "singular works\ntoo). --q TEXT keeps the entities whose id, "
            "name or title, or one of whose\naliases, contains TEXT, "
            "ignoring case. Sorted by id.\n",
    .flags = CMD_DB,
    .run = run_list,
};

static int run_show(cli *c, int argc, char **argv)
{
	opts o;
	pw_kind kind;
	pw_error err;
	pw_status st;
	char *text;
	if (!parse_opts(c, argc, argv, NULL, 2, 2, &o))
		return EXIT_USAGE;
	if ((st = pw_kind_parse(o.pos[0], &kind, &err)))
		return usage_error(c, "%s", err.message);
	if ((st = pw_show_json(c->engine, kind, o.pos[1], PW_JSON_PRETTY, &text,
	                       &err)))
		return fail_status(st, &err);
	return print_doc(text);
}

const command cmd_show = {
    .name = "show",
    .args = "KIND ID",
    .summary = "print one entity in the native format",
    .help = "Prints the entity as load accepts it back (SPEC §1), with the "
            "defaults load\nfilled in. The text and --json forms are the "
            "same document.\n",
    .flags = CMD_DB,
    .run = run_show,
};
