/* cli.h - what the `pathway` command's files share: the parsed global
 * options, the command table entry, option parsing and output helpers. */
#ifndef PATHWAY_CLI_H
#define PATHWAY_CLI_H

#include "pathway.h"

#include <stdio.h>

/* Exit statuses of SPEC §6. */
enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,
	EXIT_USAGE = 2,
	EXIT_MISSING = 3
};

typedef struct cli {
	const char *db;   /* --db, $PATHWAY_DB or ./pathway.db */
	bool json;        /* --json */
	pw_date as_of;    /* --as-of, else today (UTC) */
	bool as_of_given;
	pw_engine *engine; /* opened before the command runs, per its flags */
	const struct command *cmd;
} cli;

enum {
	CMD_DB = 1u << 0,     /* needs an existing database */
	CMD_CREATE = 1u << 1  /* creates the database when absent */
};

typedef struct command {
	const char *name;
	const char *args;    /* usage after the name */
	const char *summary; /* one line for `pathway help` */
	const char *help;    /* the rest of `pathway help NAME` */
	unsigned flags;
	int (*run)(cli *c, int argc, char **argv);
} command;

/* Command-line options of one command. */
typedef struct opt_spec {
	const char *name; /* "--top" */
	bool takes_value;
} opt_spec;

#define OPTS_MAX 16
#define POS_MAX 64

typedef struct opts {
	const char *value[OPTS_MAX];
	bool set[OPTS_MAX];
	int npos;
	char *pos[POS_MAX];
} opts;

/* Parses argv against specs (NULL-terminated by name); positional
 * arguments must number min_pos..max_pos. Prints the error and returns
 * false on misuse. */
bool parse_opts(cli *c, int argc, char **argv, const opt_spec *specs,
                int min_pos, int max_pos, opts *out);
/* --top N: a whole number >= 1. */
bool parse_top(cli *c, const char *text, size_t *out);

/* Prints "pathway: MESSAGE" and returns the exit status for st. */
int fail_status(pw_status st, const pw_error *err);
int usage_error(cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int exit_for(pw_status st);

/* Writes a rendered document and frees it; NULL means out of memory. */
int print_doc(char *text);

/* Text helpers */
void print_wrapped(const char *indent, const char *text, int width);
const char *or_dash(const char *s);
void format_money(char out[static 32], double v);

extern const command cmd_init, cmd_load, cmd_list, cmd_show, cmd_match,
    cmd_explain, cmd_candidates, cmd_plan, cmd_next, cmd_import, cmd_export,
    cmd_extract, cmd_token, cmd_serve, cmd_gen;
extern const command cmd_outcomes;
extern const command cmd_demand;

#endif
