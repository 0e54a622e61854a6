/* sandbox.h - end-to-end support for the CLI tests: a private temporary
 * directory per test, a runner that forks and execs a program there (the
 * built `pathway`, or another tool) under a timeout and captures its exit
 * status, standard output and standard error, and expectations that show
 * the last run when they fail.
 *
 * Who owns what:
 * - sb_setup allocates the sandbox and its directory as cmocka's *state;
 *   sb_teardown removes the directory with everything in it and frees the
 *   sandbox. Register both per test, and sb_group_setup once per binary.
 * - t->out and t->err belong to the sandbox: the next run frees and
 *   replaces them. A test that keeps one takes it (t->out = NULL) and frees
 *   it itself.
 * - sb_parse_out (PARSE_OUT) returns a new reference: json_decref it.
 * - Every function here fails the running test (cmocka's longjmp) on an
 *   error of its own: a path too long, fork, a timeout. */
#ifndef PATHWAY_SANDBOX_H
#define PATHWAY_SANDBOX_H

#include "fixture.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SB_PATH_CAP 4096

typedef struct sandbox {
	char root[SB_PATH_CAP]; /* mkdtemp: holds the captures and work/ */
	char work[SB_PATH_CAP]; /* the child's cwd: datasets and dbs */
	char out_file[SB_PATH_CAP], err_file[SB_PATH_CAP];
	char cmdline[2048]; /* the last command, for failure messages */
	int code;           /* exit status, or 128 + signal */
	char *out, *err;    /* captured standard output and error */
} sandbox;

/* Group setup: finds the binary under test, $PATHWAY_BIN or else
 * build/pathway (relative to the current directory), for sb_run. */
int sb_group_setup(void **state);
/* Per-test setup and teardown: *state is the sandbox. */
int sb_setup(void **state);
int sb_teardown(void **state);

/* PATHWAY_TEST_QUICK=1 (as `make valgrind` sets): tests whose point is
 * volume do less of it. */
bool sb_quick(void);

/* A path inside the work directory, written to buf and returned. */
const char *sb_path(const sandbox *t, const char *name, char *buf, size_t size);
bool sb_exists(const sandbox *t, const char *name);
/* Creates (or replaces) the file name in the work directory. */
void sb_write(const sandbox *t, const char *name, const char *text);

/* Runs prog (a path, or a name looked up in PATH when search is true) as
 * argv0 with argv[1..] = args (NULL-terminated), in t->work, with our
 * environment minus PATHWAY_DB plus env_extra (NULL-terminated, or NULL),
 * stdin from in_path (NULL: /dev/null), stdout to out_path (NULL: captured
 * in t->out; else t->out is "") and stderr captured in t->err. A program
 * that cannot be started exits 127; one still running after 20 s is killed
 * and fails the test. */
void sb_run_prog(sandbox *t, const char *prog, const char *argv0, bool search,
                 const char *const *env_extra, const char *in_path,
                 const char *out_path, const char *const *args);
/* The same for `pathway` (the binary sb_group_setup found). */
void sb_run(sandbox *t, const char *const *env_extra, const char *out_path,
            const char *const *args);

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...)  ((const char *const[]){__VA_ARGS__, NULL})
/* RUN(t, "arg", ...): pathway with these arguments. */
#define RUN(t, ...) sb_run((t), NULL, NULL, ARGS(__VA_ARGS__))
/* RUN_ENV(t, ENV("PATHWAY_DB=x"), "arg", ...) */
#define RUN_ENV(t, env, ...) sb_run((t), (env), NULL, ARGS(__VA_ARGS__))

/* print_error formats into a fixed buffer: this prints long text in pieces
 * (NULL prints nothing). */
void sb_print_long(const char *s);
/* The last command, its exit status and both captures, for a failure. */
void sb_report_run(const sandbox *t);

/* Fail at file:line, showing the last run, unless the run exited with want
 * or cond holds. */
void sb_expect_exit_at(const sandbox *t, int want, const char *file, int line);
void sb_expect_at(const sandbox *t, bool cond, const char *what,
                  const char *file, int line);
#define EXPECT_EXIT(t, want) sb_expect_exit_at((t), (want), __FILE__, __LINE__)
#define EXPECT(t, cond)      sb_expect_at((t), (cond), #cond, __FILE__, __LINE__)

/* A usage or lookup error: the status, nothing on stdout, one or more
 * "pathway: " lines on stderr. */
#define EXPECT_ERROR(t, status)                                                \
	do {                                                                   \
		EXPECT_EXIT((t), (status));                                    \
		EXPECT((t), (t)->out[0] == '\0');                              \
		EXPECT((t), sb_all_lines_prefixed((t)->err));                  \
	} while (0)

/* ---- text ---------------------------------------------------------------- */

/* Does text (NULL: no) contain needle? */
bool sb_has(const char *text, const char *needle);
/* Every line of text starts with "pathway: " (and there is at least one,
 * and the text ends with a newline). */
bool sb_all_lines_prefixed(const char *text);
size_t sb_count_lines(const char *text);

/* ---- store content ------------------------------------------------------ */

/* A digest of a store's content: every row of every table, order-free,
 * except the meta rows that count writes and name the store. */
typedef struct sb_content {
	uint64_t hash;
	long rows;
} sb_content;

/* The store file name in the work directory must pass PRAGMA
 * integrity_check (else the test fails); its content's digest. */
sb_content sb_store_state(const sandbox *t, const char *name);

/* ---- JSON ---------------------------------------------------------------- */

/* t->out parsed; fails at file:line, showing the run, when it is not JSON. */
json_t *sb_parse_out_at(const sandbox *t, const char *file, int line);
#define PARSE_OUT(t) sb_parse_out_at((t), __FILE__, __LINE__)

/* Fails at file:line unless obj is an object with exactly these keys
 * (NULL-terminated); what names obj in the message. */
void sb_expect_keys_at(const json_t *obj, const char *const *keys,
                       const char *what, const char *file, int line);
#define EXPECT_KEYS(obj, what, ...)                                            \
	sb_expect_keys_at((obj), ARGS(__VA_ARGS__), (what), __FILE__, __LINE__)

bool sb_is_string_array(const json_t *a);
/* A number with at most one decimal (as scores are printed). */
bool sb_one_decimal(const json_t *v);
/* The longest run of digits after a decimal point in any number of the JSON
 * text (strings skipped): shortest-form printing keeps it small. */
size_t sb_max_fraction_digits(const char *text);

#endif
