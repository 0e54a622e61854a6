/* main.c - the `pathway` command: global options, the command table, and
 * the mapping of engine statuses onto exit codes (SPEC §6). */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const command *const commands[] = {
    &cmd_init,     &cmd_load,       &cmd_list,  &cmd_show,  &cmd_match,
    &cmd_explain,  &cmd_candidates, &cmd_plan,  &cmd_next,  &cmd_import,
    &cmd_export,   &cmd_extract,    &cmd_token, &cmd_serve, &cmd_gen,
    &cmd_outcomes, &cmd_demand,
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

int exit_for(pw_status st)
{
	switch (st) {
	case PW_OK: return EXIT_OK;
	case PW_ERR_INVALID:
	case PW_ERR_EXISTS: return EXIT_USAGE;
	case PW_ERR_NOT_FOUND: return EXIT_MISSING;
	case PW_ERR_IO:
	case PW_ERR_DB:
	case PW_ERR_NOMEM:
	case PW_ERR_DENIED: return EXIT_RUNTIME;
	}
	return EXIT_RUNTIME;
}

int fail_status(pw_status st, const pw_error *err)
{
	fprintf(stderr, "pathway: %s\n",
	        err && err->message[0] ? err->message : pw_status_name(st));
	return exit_for(st);
}

int usage_error(cli *c, const char *fmt, ...)
{
	va_list ap;
	fputs("pathway: ", stderr);
	if (c && c->cmd)
		fprintf(stderr, "%s: ", c->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (c && c->cmd)
		fprintf(stderr, " (usage: pathway %s %s)", c->cmd->name,
		        c->cmd->args);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

bool parse_opts(cli *c, int argc, char **argv, const opt_spec *specs,
                int min_pos, int max_pos, opts *out)
{
	memset(out, 0, sizeof *out);
	bool only_pos = false;
	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] != '\0') {
			const char *eq = strchr(a, '=');
			size_t n = eq ? (size_t)(eq - a) : strlen(a);
			int k = 0;
			for (; specs && specs[k].name; k++)
				if (strlen(specs[k].name) == n &&
				    strncmp(specs[k].name, a, n) == 0)
					break;
			if (!specs || !specs[k].name) {
				usage_error(c, "unknown option '%.*s'", (int)n,
				            a);
				return false;
			}
			if (specs[k].takes_value) {
				if (eq)
					out->value[k] = eq + 1;
				else if (i + 1 < argc)
					out->value[k] = argv[++i];
				else {
					usage_error(c,
					            "option '%s' needs a value",
					            specs[k].name);
					return false;
				}
			} else if (eq) {
				usage_error(c, "option '%s' takes no value",
				            specs[k].name);
				return false;
			}
			out->set[k] = true;
			continue;
		}
		if (out->npos == POS_MAX) {
			usage_error(c, "too many arguments");
			return false;
		}
		out->pos[out->npos++] = a;
	}
	if (out->npos < min_pos) {
		usage_error(c, "missing argument");
		return false;
	}
	if (max_pos >= 0 && out->npos > max_pos) {
		usage_error(c, "unexpected argument '%s'", out->pos[max_pos]);
		return false;
	}
	return true;
}

bool parse_top(cli *c, const char *text, size_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || end == text || *end || v < 1 || v > 1000000) {
		usage_error(c, "--top takes a whole number >= 1, got '%s'",
		            text);
		return false;
	}
	*out = (size_t)v;
	return true;
}

int print_doc(char *text)
{
	if (!text) {
		fprintf(stderr, "pathway: out of memory\n");
		return EXIT_RUNTIME;
	}
	fputs(text, stdout);
	pw_free(text);
	return EXIT_OK;
}

/* ---- help ---- */

static void print_usage(FILE *f)
{
	fprintf(f, "usage: pathway [--db FILE] [--json] [--as-of DATE] COMMAND "
	           "[ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-11s %s\n", commands[i]->name,
		        commands[i]->summary);
	fprintf(f, "  %-11s %s\n", "help", "show help for a command");
	fprintf(f,
	        "\nglobal options (before or after the command):\n"
	        "  --db FILE     the database (default $PATHWAY_DB, else "
	        "./pathway.db)\n"
	        "  --json        print the JSON documents instead of tables\n"
	        "  --as-of DATE  evaluate at DATE (YYYY-MM-DD; default today, "
	        "UTC)\n"
	        "  --version     print the version\n\n"
	        "Run 'pathway help COMMAND' for one command's options.\n");
}

static const command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static int run_help(int argc, char **argv)
{
	if (argc == 0) {
		print_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr,
		        "pathway: help: unexpected argument '%s' (usage: "
		        "pathway help [COMMAND])\n",
		        argv[1]);
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "help") == 0) {
		printf("usage: pathway help [COMMAND]\n\nShows the commands, "
		       "or one "
		       "command's usage and options.\n");
		return EXIT_OK;
	}
	const command *cmd = find_command(argv[0]);
	if (!cmd) {
		fprintf(stderr, "pathway: help: unknown command '%s'\n",
		        argv[0]);
		return EXIT_USAGE;
	}
	printf("usage: pathway %s %s\n\n%s\n", cmd->name, cmd->args,
	       cmd->summary);
	if (cmd->help && *cmd->help)
		printf("\n%s", cmd->help);
	return EXIT_OK;
}

/* ---- main ---- */

/* Takes the global options out of argv wherever they stand; returns the new
 * argc, or -1 after printing a usage error. */
static int take_globals(cli *c, int argc, char **argv, bool *version,
                        bool *help)
{
	int n = 0;
	bool only_pos = false;
	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		const char *value = NULL;
		if (only_pos) {
			argv[n++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = true;
			argv[n++] = a;
			continue;
		}
		if (strcmp(a, "--json") == 0) {
			c->json = true;
			continue;
		}
		if (strcmp(a, "--version") == 0) {
			*version = true;
			continue;
		}
		if ((strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) &&
		    n == 0) {
			*help = true;
			continue;
		}
		bool is_db =
		    strncmp(a, "--db", 4) == 0 && (a[4] == '\0' || a[4] == '=');
		bool is_asof = strncmp(a, "--as-of", 7) == 0 &&
		               (a[7] == '\0' || a[7] == '=');
		if (!is_db && !is_asof) {
			argv[n++] = a;
			continue;
		}
		const char *name = is_db ? "--db" : "--as-of";
		size_t len = strlen(name);
		if (a[len] == '=')
			value = a + len + 1;
		else if (i + 1 < argc)
			value = argv[++i];
		else {
			fprintf(stderr, "pathway: option '%s' needs a value\n",
			        name);
			return -1;
		}
		if (is_db) {
			if (!*value) {
				fprintf(stderr,
				        "pathway: --db needs a file name\n");
				return -1;
			}
			c->db = value;
		} else {
			pw_error err;
			if (pw_date_parse(value, &c->as_of, &err)) {
				fprintf(stderr, "pathway: --as-of: %s\n",
				        err.message);
				return -1;
			}
			c->as_of_given = true;
		}
	}
	return n;
}

/* Like git's run_builtin: a full disk or a closed pipe is an error. */
static int finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "pathway: cannot write output: %s\n",
		        strerror(errno));
		return rc ? rc : EXIT_RUNTIME;
	}
	return rc;
}

int main(int argc, char **argv)
{
	cli c = {0};
	bool version = false, help = false;
	int rc;

	/* past a file size limit (ulimit -f) a write fails with EFBIG, and
	 * the command reports it, rather than being killed mid-write */
	signal(SIGXFSZ, SIG_IGN);
	argc = take_globals(&c, argc - 1, argv + 1, &version, &help);
	argv++;
	if (argc < 0)
		return EXIT_USAGE;
	if (version) {
		printf("pathway %s\n", pw_version());
		return finish(EXIT_OK);
	}
	if (help) {
		print_usage(stdout);
		return finish(EXIT_OK);
	}
	if (argc == 0) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (!c.db)
		c.db = getenv("PATHWAY_DB");
	if (!c.db || !*c.db)
		c.db = "pathway.db";
	if (!c.as_of_given)
		c.as_of = pw_today();

	if (strcmp(argv[0], "help") == 0)
		rc = run_help(argc - 1, argv + 1);
	else {
		const command *cmd = find_command(argv[0]);
		if (!cmd) {
			fprintf(stderr,
			        "pathway: unknown command '%s' (see 'pathway "
			        "help')\n",
			        argv[0]);
			return EXIT_USAGE;
		}
		c.cmd = cmd;
		if (cmd->flags & (CMD_DB | CMD_CREATE)) {
			pw_error err;
			pw_status st = pw_open(
			    c.db,
			    (cmd->flags & CMD_CREATE) ? PW_OPEN_CREATE : 0,
			    &c.engine, &err);
			if (st)
				return fail_status(st, &err);
		}
		rc = cmd->run(&c, argc - 1, argv + 1);
		pw_close(c.engine);
	}
	return finish(rc);
}
