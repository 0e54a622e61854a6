/* test_cli_plan.c - `pathway plan` and `next` end to end: exit codes, JSON keys, text, dot. */
#include "fixture.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The helpers below are copied from test_cli.c (this file stands alone);
 * run_prog also takes a file for standard input. */
#define PATH_CAP 4096
#define TIMEOUT_MS 20000
#define ARGV_CAP 64

static char bin_path[PATH_CAP];

/* ---- the per-test sandbox ------------------------------------------------ */

typedef struct sandbox {
	char root[PATH_CAP]; /* mkdtemp: holds the captures and work/ */
	char work[PATH_CAP]; /* the child's cwd, where datasets and dbs live */
	char out_file[PATH_CAP], err_file[PATH_CAP];
	char cmdline[2048]; /* the last command, for failure messages */
	int code;           /* exit status, or 128 + signal */
	char *out, *err;    /* captured standard output and error */
} sandbox;

/* buf = a/b; false when it does not fit. */
static bool join_path(char *buf, size_t size, const char *a, const char *b)
{
	int n = snprintf(buf, size, "%s/%s", a, b);
	return n > 0 && (size_t)n < size;
}

static void remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (d) {
			struct dirent *e;
			while ((e = readdir(d)) != NULL) {
				if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
					continue;
				char sub[PATH_CAP];
				if (join_path(sub, sizeof sub, path, e->d_name))
					remove_tree(sub);
			}
			closedir(d);
		}
		rmdir(path);
	} else
		unlink(path);
}

static int sb_setup(void **state)
{
	sandbox *t = calloc(1, sizeof *t);
	if (!t)
		return -1;
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (!join_path(t->root, sizeof t->root, tmp, "pathway-cli-XXXXXX") ||
	    !mkdtemp(t->root)) {
		print_error("mkdtemp(%s): %s\n", t->root, strerror(errno));
		free(t);
		return -1;
	}
	if (!join_path(t->work, sizeof t->work, t->root, "work") ||
	    !join_path(t->out_file, sizeof t->out_file, t->root, "stdout") ||
	    !join_path(t->err_file, sizeof t->err_file, t->root, "stderr") ||
	    mkdir(t->work, 0700) != 0) {
		print_error("mkdir(%s): %s\n", t->work, strerror(errno));
		remove_tree(t->root);
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int sb_teardown(void **state)
{
	sandbox *t = *state;
	if (t) {
		remove_tree(t->root);
		free(t->out);
		free(t->err);
		free(t);
	}
	return 0;
}

/* A path inside the work directory. */
static const char *sb_path(const sandbox *t, const char *name, char *buf,
                           size_t size)
{
	if (!join_path(buf, size, t->work, name))
		fail_msg("path too long: %s", name);
	return buf;
}

static void sb_write(const sandbox *t, const char *name, const char *text)
{
	char p[PATH_CAP];
	FILE *f = fopen(sb_path(t, name, p, sizeof p), "wb");
	if (!f)
		fail_msg("cannot create %s: %s", p, strerror(errno));
	size_t n = strlen(text);
	if (fwrite(text, 1, n, f) != n || fclose(f) != 0)
		fail_msg("cannot write %s", p);
}

/* ---- running a program ----------------------------------------------------- */

/* The child's environment: ours without PATHWAY_DB, plus extra. */
static char **make_env(const char *const *extra)
{
	size_t n = 0, m = 0, k = 0;
	while (environ[n])
		n++;
	while (extra && extra[m])
		m++;
	char **env = calloc(n + m + 1, sizeof *env);
	assert_non_null(env);
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "PATHWAY_DB=", 11) != 0)
			env[k++] = environ[i];
	for (size_t i = 0; i < m; i++)
		env[k++] = (char *)extra[i];
	env[k] = NULL;
	return env;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Runs prog (a path, or a name looked up in PATH when search is true) with
 * argv[1..] = args, in t->work, stdin from in_path (NULL: /dev/null), stdout
 * to out_path
 * (NULL: captured) and stderr captured; kills it after TIMEOUT_MS. */
static void run_prog(sandbox *t, const char *prog, const char *argv0,
                     bool search, const char *const *env_extra,
                     const char *in_path, const char *out_path,
                     const char *const *args)
{
	const char *argv[ARGV_CAP];
	size_t n = 0;
	argv[n++] = argv0;
	size_t len = (size_t)snprintf(t->cmdline, sizeof t->cmdline, "%s", argv0);
	for (size_t i = 0; args[i]; i++) {
		assert_true(n + 1 < ARGV_CAP);
		argv[n++] = args[i];
		if (len < sizeof t->cmdline)
			len += (size_t)snprintf(t->cmdline + len, sizeof t->cmdline - len,
			                        " '%s'", args[i]);
	}
	argv[n] = NULL;
	for (size_t i = 0; env_extra && env_extra[i]; i++)
		if (len < sizeof t->cmdline)
			len += (size_t)snprintf(t->cmdline + len, sizeof t->cmdline - len,
			                        " [%s]", env_extra[i]);
	if (in_path && len < sizeof t->cmdline)
		len += (size_t)snprintf(t->cmdline + len, sizeof t->cmdline - len,
		                        " <%s", in_path);
	if (out_path && len < sizeof t->cmdline)
		snprintf(t->cmdline + len, sizeof t->cmdline - len, " >%s", out_path);

	free(t->out);
	free(t->err);
	t->out = t->err = NULL;
	char **env = make_env(env_extra);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		free(env);
		fail_msg("fork: %s", strerror(errno));
	}
	if (pid == 0) {
		setpgid(0, 0); /* its own group, so a timeout kills all of it */
		int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
		int out = open(out_path ? out_path : t->out_file,
		               O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(t->err_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 ||
		    dup2(out, 1) < 0 || dup2(err, 2) < 0 || chdir(t->work) != 0)
			_exit(126);
		close(in);
		close(out);
		close(err);
		if (search) {
			environ = env;
			execvp(prog, (char *const *)argv);
		} else
			execve(prog, (char *const *)argv, env);
		_exit(127);
	}
	free(env);
	int status = 0;
	long waited = 0;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			fail_msg("waitpid: %s", strerror(errno));
		if (waited >= TIMEOUT_MS) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("timed out after %d ms: %s", TIMEOUT_MS, t->cmdline);
		}
		sleep_ms(waited < 100 ? 1 : 10);
		waited += waited < 100 ? 1 : 10;
	}
	t->code = WIFEXITED(status) ? WEXITSTATUS(status)
	          : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
	                                : 255;
	t->out = out_path ? calloc(1, 1) : fx_read_file(t->out_file, NULL);
	t->err = fx_read_file(t->err_file, NULL);
	assert_non_null(t->out);
	assert_non_null(t->err);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void run_env_to(sandbox *t, const char *const *env, const char *out,
                       const char *const *args)
{
	run_prog(t, bin_path, "pathway", false, env, NULL, out, args);
}

/* RUN(t, "arg", ...): pathway with these arguments. */
#define RUN(t, ...) run_env_to((t), NULL, NULL, ARGS(__VA_ARGS__))

/* print_error formats into a fixed buffer: long text goes in pieces. */
static void print_long(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	for (size_t i = 0; i < n; i += 800)
		print_error("%.*s", (int)(n - i < 800 ? n - i : 800), s + i);
}

static void report_run(const sandbox *t)
{
	print_error("command: %s\nexit: %d\n--- stdout ---\n", t->cmdline,
	            t->code);
	print_long(t->out);
	print_error("--- stderr ---\n");
	print_long(t->err);
	print_error("--------------\n");
}

static void expect_exit_at(const sandbox *t, int want, const char *file,
                           int line)
{
	if (t->code != want) {
		print_error("expected exit status %d\n", want);
		report_run(t);
		_fail(file, line);
	}
}
#define EXPECT_EXIT(t, want) expect_exit_at((t), (want), __FILE__, __LINE__)

/* Fails unless cond holds, showing the last run. */
static void expect_at(const sandbox *t, bool cond, const char *what,
                      const char *file, int line)
{
	if (!cond) {
		print_error("expectation failed: %s\n", what);
		report_run(t);
		_fail(file, line);
	}
}
#define EXPECT(t, cond) expect_at((t), (cond), #cond, __FILE__, __LINE__)

static bool has(const char *text, const char *needle)
{
	return text && strstr(text, needle) != NULL;
}

/* Every line of text starts with "pathway: " (and there is at least one,
 * and the text ends with a newline). */
static bool all_lines_prefixed(const char *text)
{
	if (!text || !*text || text[strlen(text) - 1] != '\n')
		return false;
	for (const char *p = text; *p;) {
		if (strncmp(p, "pathway: ", 9) != 0)
			return false;
		const char *nl = strchr(p, '\n');
		p = nl + 1;
	}
	return true;
}

static size_t count_lines(const char *text)
{
	size_t n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* A usage or lookup error: the status, nothing on stdout, one or more
 * "pathway: " lines on stderr. */
#define EXPECT_ERROR(t, status)                                                \
	do {                                                                   \
		EXPECT_EXIT((t), (status));                                    \
		EXPECT((t), (t)->out[0] == '\0');                              \
		EXPECT((t), all_lines_prefixed((t)->err));                     \
	} while (0)

/* ---- JSON helpers ------------------------------------------------------------ */

static json_t *parse_out_at(const sandbox *t, const char *file, int line)
{
	json_error_t e;
	json_t *j = json_loads(t->out, 0, &e);
	if (!j) {
		print_error("stdout is not JSON: %s (line %d)\n", e.text, e.line);
		report_run(t);
		_fail(file, line);
	}
	return j;
}
#define PARSE_OUT(t) parse_out_at((t), __FILE__, __LINE__)

/* obj is an object with exactly these keys. */
static void expect_keys_at(const json_t *obj, const char *const *keys,
                           const char *what, const char *file, int line)
{
	size_t n = 0;
	bool ok = json_is_object(obj);
	for (; keys[n]; n++)
		if (ok && !json_object_get(obj, keys[n])) {
			print_error("%s: key '%s' is missing\n", what, keys[n]);
			ok = false;
		}
	if (ok && json_object_size(obj) != n)
		ok = false;
	if (!ok) {
		char *text = json_is_object(obj)
		                 ? json_dumps(obj, JSON_SORT_KEYS | JSON_COMPACT)
		                 : NULL;
		print_error("%s: expected exactly the keys:", what);
		for (size_t i = 0; keys[i]; i++)
			print_error(" %s", keys[i]);
		print_error("\n   got: ");
		print_long(text ? text : "(not an object)");
		print_error("\n");
		free(text);
		_fail(file, line);
	}
}
#define EXPECT_KEYS(obj, what, ...)                                            \
	expect_keys_at((obj), ARGS(__VA_ARGS__), (what), __FILE__, __LINE__)

static bool is_string_array(const json_t *a)
{
	size_t i;
	json_t *v;
	if (!json_is_array(a))
		return false;
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v))
			return false;
	}
	return true;
}

static bool one_decimal(const json_t *v)
{
	if (!json_is_number(v))
		return false;
	double x = json_number_value(v) * 10;
	double r = (double)(long long)(x + (x < 0 ? -0.5 : 0.5));
	return x - r < 1e-6 && r - x < 1e-6;
}

/* The longest run of digits after a decimal point in any number of the JSON
 * text (strings skipped): shortest-form printing keeps it small. */
static size_t max_fraction_digits(const char *text)
{
	size_t most = 0;
	bool in_str = false;
	for (const char *p = text; *p; p++) {
		if (in_str) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_str = false;
			continue;
		}
		if (*p == '"') {
			in_str = true;
			continue;
		}
		if (*p == '.') {
			size_t n = 0;
			while (p[1 + n] >= '0' && p[1 + n] <= '9')
				n++;
			if (n > most)
				most = n;
		}
	}
	return most;
}

/* ---- plan and next ------------------------------------------------------------- */

/* JSON in this file is written with ' for " to stay readable. */
static char *dq(const char *s)
{
	char *out = strdup(s);
	assert_non_null(out);
	for (char *p = out; *p; p++)
		if (*p == '\'')
			*p = '"';
	return out;
}

/* l.ann (4 hours a week, holds nothing). j.one requires sk.a 2 (importance
 * 3) and sk.b 1 (importance 1); cr.b needs cr.pre first. The plan, by
 * hours or cost alike (there is one way):
 *   1. cr.a    6 h  $120  week 2  score 0.0 -> 75.0
 *   2. cr.pre  2 h   $50  week 2  75.0 -> 75.0 (ceil(8/4) = 2)
 *   3. cr.b    3 h    $0  week 3  75.0 -> 100.0, qualified (ceil(11/4))
 *   total 11 h, $170.
 * j.block requires sk.c 3 (only the unlisted cr.hidden grants it) and the
 * unlisted cr.lic: unreachable, blocking cr.lic and sk.c (need 3).
 * next: cr.a newly qualifies j.two (2 openings) and raises j.one to 75.0:
 * gain 2 x 100 + 1 x 75 = 275.0; cr.pre changes nothing and cr.b is not
 * ready: one result. */
static const char DATA[] =
    "{'skills': [{'id': 'sk.a', 'name': 'Alpha'}, {'id': 'sk.b', 'name': 'Beta'},"
    " {'id': 'sk.c', 'name': 'Gamma'}],"
    "'credentials': ["
    " {'id': 'cr.a', 'name': 'Cred A', 'hours': 6, 'cost': 120,"
    "  'skills': [{'skill': 'sk.a', 'level': 2}]},"
    " {'id': 'cr.pre', 'name': 'Cred Pre', 'hours': 2, 'cost': 50},"
    " {'id': 'cr.b', 'name': 'Cred B', 'hours': 3, 'cost': 0,"
    "  'prerequisites': ['cr.pre'], 'skills': [{'skill': 'sk.b', 'level': 1}]},"
    " {'id': 'cr.hidden', 'name': 'Hidden', 'listed': false, 'hours': 1,"
    "  'cost': 1, 'skills': [{'skill': 'sk.c', 'level': 4}]},"
    " {'id': 'cr.lic', 'name': 'License', 'listed': false, 'hours': 1, 'cost': 1}],"
    "'occupations': [{'id': '15-1252.00', 'title': 'Software Developers',"
    " 'requirements': [{'skill': 'sk.a', 'level': 2}]}],"
    "'learners': [{'id': 'l.ann', 'hours_per_week': 4}],"
    "'jobs': ["
    " {'id': 'j.one', 'title': 'Job One', 'remote': true, 'requirements': ["
    "  {'skill': 'sk.a', 'level': 2, 'importance': 3},"
    "  {'skill': 'sk.b', 'level': 1, 'importance': 1}]},"
    " {'id': 'j.two', 'title': 'Job Two', 'remote': true, 'openings': 2,"
    "  'requirements': [{'skill': 'sk.a', 'level': 2}]},"
    " {'id': 'j.block', 'title': 'Blocked', 'remote': true,"
    "  'requirements': [{'skill': 'sk.c', 'level': 3}],"
    "  'credentials_required': ['cr.lic']}]}";

/* Writes DATA as data.json and loads it into a.db. */
static void load_data(sandbox *t)
{
	char *json = dq(DATA);
	sb_write(t, "data.json", json);
	free(json);
	RUN(t, "--db", "a.db", "load", "data.json");
	EXPECT_EXIT(t, 0);
}

static const char *str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static double num_of(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void expect_plan_keys_at(const sandbox *t, json_t *j, const char *file,
                                int line)
{
	expect_keys_at(j, ARGS("learner", "job", "as_of", "objective", "optimal",
	                       "reachable", "score_now", "qualified_now", "steps",
	                       "total_hours", "total_cost", "blocking"),
	               "plan", file, line);
	json_t *steps = json_object_get(j, "steps");
	expect_at(t, json_is_array(steps), "steps is an array", file, line);
	size_t i;
	json_t *s;
	json_array_foreach(steps, i, s)
	{
		expect_keys_at(s, ARGS("credential", "name", "hours", "cost",
		                       "score_after", "qualified_after",
		                       "cumulative_hours", "cumulative_cost", "weeks"),
		               "plan step", file, line);
		expect_at(t, one_decimal(json_object_get(s, "score_after")),
		          "score_after has one decimal", file, line);
		expect_at(t, json_is_integer(json_object_get(s, "weeks")),
		          "weeks is an integer", file, line);
		expect_at(t, json_is_boolean(json_object_get(s, "qualified_after")),
		          "qualified_after is a boolean", file, line);
	}
	json_t *blocking = json_object_get(j, "blocking");
	expect_at(t, json_is_array(blocking), "blocking is an array", file, line);
	json_array_foreach(blocking, i, s)
	{
		if (json_object_get(s, "skill"))
			expect_keys_at(s, ARGS("skill", "need"), "blocking skill", file,
			               line);
		else
			expect_keys_at(s, ARGS("credential"), "blocking credential", file,
			               line);
	}
	expect_at(t, one_decimal(json_object_get(j, "score_now")),
	          "score_now has one decimal", file, line);
	expect_at(t, json_is_boolean(json_object_get(j, "optimal")) &&
	                 json_is_boolean(json_object_get(j, "reachable")) &&
	                 json_is_boolean(json_object_get(j, "qualified_now")),
	          "flags are booleans", file, line);
}
#define EXPECT_PLAN_KEYS(t, j) expect_plan_keys_at((t), (j), __FILE__, __LINE__)

static void expect_step_at(const sandbox *t, json_t *steps, size_t i,
                           const char *id, double score_after, bool qualified,
                           double cum_h, double cum_c, long long weeks,
                           const char *file, int line)
{
	json_t *s = json_array_get(steps, i);
	bool ok = s && strcmp(str_of(s, "credential"), id) == 0 &&
	          num_of(s, "score_after") == score_after &&
	          json_is_true(json_object_get(s, "qualified_after")) == qualified &&
	          num_of(s, "cumulative_hours") == cum_h &&
	          num_of(s, "cumulative_cost") == cum_c &&
	          json_integer_value(json_object_get(s, "weeks")) == weeks;
	if (!ok) {
		print_error("step %zu: expected %s score_after %.1f qualified %d "
		            "cumulative %g h $%g weeks %lld\n",
		            i + 1, id, score_after, qualified, cum_h, cum_c, weeks);
		report_run(t);
		_fail(file, line);
	}
}
#define EXPECT_STEP(t, steps, i, id, sc, q, h, c, w)                           \
	expect_step_at((t), (steps), (i), (id), (sc), (q), (h), (c), (w),       \
	               __FILE__, __LINE__)

static void test_plan_json(void **state)
{
	sandbox *t = *state;
	load_data(t);
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "plan", "l.ann",
	    "j.one");
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->err[0] == '\0');
	EXPECT(t, max_fraction_digits(t->out) <= 1);
	json_t *j = PARSE_OUT(t);
	EXPECT_PLAN_KEYS(t, j);
	EXPECT(t, strcmp(str_of(j, "learner"), "l.ann") == 0);
	EXPECT(t, strcmp(str_of(j, "job"), "j.one") == 0);
	EXPECT(t, strcmp(str_of(j, "as_of"), "2025-06-01") == 0);
	EXPECT(t, strcmp(str_of(j, "objective"), "hours") == 0);
	EXPECT(t, json_is_true(json_object_get(j, "optimal")));
	EXPECT(t, json_is_true(json_object_get(j, "reachable")));
	EXPECT(t, json_is_false(json_object_get(j, "qualified_now")));
	EXPECT(t, num_of(j, "score_now") == 0);
	json_t *steps = json_object_get(j, "steps");
	EXPECT(t, json_array_size(steps) == 3);
	EXPECT_STEP(t, steps, 0, "cr.a", 75.0, false, 6, 120, 2);
	EXPECT_STEP(t, steps, 1, "cr.pre", 75.0, false, 8, 170, 2);
	EXPECT_STEP(t, steps, 2, "cr.b", 100.0, true, 11, 170, 3);
	EXPECT(t, strcmp(str_of(json_array_get(steps, 0), "name"), "Cred A") == 0);
	EXPECT(t, num_of(json_array_get(steps, 0), "hours") == 6);
	EXPECT(t, num_of(json_array_get(steps, 0), "cost") == 120);
	EXPECT(t, num_of(j, "total_hours") == 11);
	EXPECT(t, num_of(j, "total_cost") == 170);
	EXPECT(t, json_array_size(json_object_get(j, "blocking")) == 0);
	json_decref(j);

	/* by cost: the same single way, named as such */
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "plan", "l.ann",
	    "j.one", "--by", "cost");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	EXPECT_PLAN_KEYS(t, j);
	EXPECT(t, strcmp(str_of(j, "objective"), "cost") == 0);
	EXPECT(t, json_array_size(json_object_get(j, "steps")) == 3);
	EXPECT(t, num_of(j, "total_cost") == 170);
	json_decref(j);

	/* an occupation is a target too */
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "plan", "l.ann",
	    "15-1252.00");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	EXPECT_PLAN_KEYS(t, j);
	EXPECT(t, strcmp(str_of(j, "job"), "15-1252.00") == 0);
	steps = json_object_get(j, "steps");
	EXPECT(t, json_array_size(steps) == 1);
	EXPECT_STEP(t, steps, 0, "cr.a", 100.0, true, 6, 120, 2);
	json_decref(j);
}

static void test_plan_blocking_json(void **state)
{
	sandbox *t = *state;
	load_data(t);
	RUN(t, "--db", "a.db", "--as-of", "2025-06-01", "plan", "l.ann", "j.block",
	    "--json");
	EXPECT_EXIT(t, 0);
	json_t *j = PARSE_OUT(t);
	EXPECT_PLAN_KEYS(t, j);
	EXPECT(t, json_is_false(json_object_get(j, "reachable")));
	EXPECT(t, json_array_size(json_object_get(j, "steps")) == 0);
	json_t *b = json_object_get(j, "blocking");
	EXPECT(t, json_array_size(b) == 2);
	json_t *b0 = json_array_get(b, 0), *b1 = json_array_get(b, 1);
	EXPECT(t, strcmp(str_of(b0, "credential"), "cr.lic") == 0);
	EXPECT(t, strcmp(str_of(b1, "skill"), "sk.c") == 0);
	EXPECT(t, json_integer_value(json_object_get(b1, "need")) == 3);
	json_decref(j);
}

/* The text line of step n: starts with its number, then the name. */
static const char *step_line(const char *text, int n, char *buf, size_t size)
{
	char prefix[32];
	snprintf(prefix, sizeof prefix, "%d  ", n);
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *q = p;
		while (q < p + len && *q == ' ')
			q++;
		if ((size_t)(p + len - q) > strlen(prefix) &&
		    strncmp(q, prefix, strlen(prefix)) == 0) {
			snprintf(buf, size, "%.*s", (int)len, p);
			return buf;
		}
		p = nl ? nl + 1 : p + len;
	}
	return NULL;
}

/* Is word a whitespace-separated token of line? */
static bool has_token(const char *line, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = line; (p = strstr(p, word)) != NULL; p++) {
		bool start = p == line || p[-1] == ' ';
		bool end = p[n] == '\0' || p[n] == ' ';
		if (start && end)
			return true;
	}
	return false;
}

static void test_plan_text(void **state)
{
	sandbox *t = *state;
	load_data(t);
	RUN(t, "--db", "a.db", "--as-of", "2025-06-01", "plan", "l.ann", "j.one");
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->err[0] == '\0');
	EXPECT(t, t->out[0] != '{');
	static const struct {
		const char *name, *hours, *cost, *weeks, *score;
	} rows[] = {
	    {"Cred A", "6", "$120", "2", "0.0 -> 75.0"},
	    {"Cred Pre", "2", "$50", "2", "75.0 -> 75.0"},
	    {"Cred B", "3", "$0", "3", "75.0 -> 100.0"},
	};
	for (int i = 0; i < 3; i++) {
		char line[512];
		const char *l = step_line(t->out, i + 1, line, sizeof line);
		EXPECT(t, l != NULL);
		if (!l)
			continue;
		EXPECT(t, has(l, rows[i].name));
		char hours[16];
		snprintf(hours, sizeof hours, "%s h", rows[i].hours);
		EXPECT(t, has(l, hours));
		EXPECT(t, has_token(l, rows[i].cost));
		EXPECT(t, has_token(l, rows[i].weeks));
		EXPECT(t, has(l, rows[i].score));
	}
	char line[512];
	EXPECT(t, step_line(t->out, 4, line, sizeof line) == NULL);
	/* the score column is named */
	EXPECT(t, has(t->out, "score") || has(t->out, "SCORE"));
	EXPECT(t, has(t->out, "qualified"));
	EXPECT(t, has(t->out, "$170"));
	EXPECT(t, has(t->out, "11 hours"));

	/* a blocked target says what blocks it */
	RUN(t, "--db", "a.db", "--as-of", "2025-06-01", "plan", "l.ann", "j.block");
	EXPECT_EXIT(t, 0);
	EXPECT(t, has(t->out, "sk.c"));
	EXPECT(t, has(t->out, "cr.lic"));
	EXPECT(t, step_line(t->out, 1, line, sizeof line) == NULL);
}

/* Renders file (in the work directory) with dot -Tsvg, reading it on
 * standard input, and checks the SVG. */
static void render_dot(sandbox *t, const char *file)
{
	char in[PATH_CAP];
	sb_path(t, file, in, sizeof in);
	run_prog(t, "/usr/bin/dot", "dot", false, NULL, in, NULL, ARGS("-Tsvg"));
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->out[0] != '\0');
	EXPECT(t, has(t->out, "<svg"));
	EXPECT(t, has(t->out, "</svg>"));
}

static void test_plan_dot(void **state)
{
	sandbox *t = *state;
	load_data(t);
	char dotfile[PATH_CAP];
	sb_path(t, "plan.dot", dotfile, sizeof dotfile);
	run_env_to(t, NULL, dotfile,
	           ARGS("--db", "a.db", "--as-of", "2025-06-01", "plan", "l.ann",
	                "j.one", "--format", "dot"));
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->err[0] == '\0');
	char *dot = fx_read_file(dotfile, NULL);
	assert_non_null(dot);
	bool ok = strncmp(dot, "digraph", 7) == 0 && strstr(dot, "cr.a") &&
	          strstr(dot, "cr.pre") && strstr(dot, "cr.b");
	if (!ok) {
		print_error("plan --format dot wrote:\n");
		print_long(dot);
	}
	free(dot);
	assert_true(ok);

	/* the blocked plan is a digraph too */
	char blockfile[PATH_CAP];
	sb_path(t, "block.dot", blockfile, sizeof blockfile);
	run_env_to(t, NULL, blockfile,
	           ARGS("--db", "a.db", "--as-of", "2025-06-01", "plan", "l.ann",
	                "j.block", "--format", "dot"));
	EXPECT_EXIT(t, 0);
	dot = fx_read_file(blockfile, NULL);
	assert_non_null(dot);
	ok = strncmp(dot, "digraph", 7) == 0;
	free(dot);
	assert_true(ok);

	if (access("/usr/bin/dot", X_OK) != 0) {
		print_message("skipping the SVG rendering: Graphviz is not installed "
		              "(no /usr/bin/dot)\n");
		skip();
	}
	render_dot(t, "plan.dot");
	render_dot(t, "block.dot");
}

static void test_next_json(void **state)
{
	sandbox *t = *state;
	load_data(t);
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "next", "l.ann");
	EXPECT_EXIT(t, 0);
	EXPECT(t, t->err[0] == '\0');
	EXPECT(t, max_fraction_digits(t->out) <= 1);
	json_t *j = PARSE_OUT(t);
	EXPECT_KEYS(j, "next", "learner", "as_of", "results");
	EXPECT(t, strcmp(str_of(j, "learner"), "l.ann") == 0);
	EXPECT(t, strcmp(str_of(j, "as_of"), "2025-06-01") == 0);
	json_t *results = json_object_get(j, "results");
	EXPECT(t, json_array_size(results) == 1);
	json_t *r = json_array_get(results, 0);
	EXPECT_KEYS(r, "next result", "credential", "name", "hours", "cost",
	            "newly_qualified_openings", "newly_qualified_jobs",
	            "score_gain");
	EXPECT(t, strcmp(str_of(r, "credential"), "cr.a") == 0);
	EXPECT(t, strcmp(str_of(r, "name"), "Cred A") == 0);
	EXPECT(t, num_of(r, "hours") == 6 && num_of(r, "cost") == 120);
	EXPECT(t, json_integer_value(json_object_get(r, "newly_qualified_openings")) ==
	              2);
	json_t *jobs = json_object_get(r, "newly_qualified_jobs");
	EXPECT(t, is_string_array(jobs) && json_array_size(jobs) == 1);
	EXPECT(t, strcmp(json_string_value(json_array_get(jobs, 0)), "j.two") == 0);
	EXPECT(t, one_decimal(json_object_get(r, "score_gain")));
	EXPECT(t, num_of(r, "score_gain") == 275);
	json_decref(j);

	/* --top 1 keeps it */
	RUN(t, "--db", "a.db", "--json", "--as-of", "2025-06-01", "next", "l.ann",
	    "--top", "1");
	EXPECT_EXIT(t, 0);
	j = PARSE_OUT(t);
	EXPECT(t, json_array_size(json_object_get(j, "results")) == 1);
	json_decref(j);

	/* the text form names it and the job it unlocks */
	RUN(t, "--db", "a.db", "--as-of", "2025-06-01", "next", "l.ann");
	EXPECT_EXIT(t, 0);
	EXPECT(t, has(t->out, "cr.a"));
	EXPECT(t, has(t->out, "j.two"));
	EXPECT(t, has(t->out, "275.0"));
	EXPECT(t, !has(t->out, "cr.pre"));
	EXPECT(t, !has(t->out, "cr.b"));
}

static void test_errors(void **state)
{
	sandbox *t = *state;
	load_data(t);
	static const struct {
		int status;
		const char *args[8];
		const char *named; /* what stderr must name, or NULL */
	} cases[] = {
	    {3, {"plan", "l.nosuch", "j.one"}, "l.nosuch"},
	    {3, {"plan", "l.ann", "j.nosuch"}, "j.nosuch"},
	    {3, {"--json", "plan", "l.ann", "j.nosuch"}, "j.nosuch"},
	    {3, {"plan", "l.ann", "99-9999.99"}, "99-9999.99"},
	    {3, {"next", "l.nosuch"}, "l.nosuch"},
	    {3, {"--json", "next", "l.nosuch"}, "l.nosuch"},
	    {2, {"plan", "l.ann", "j.one", "--by", "nonsense"}, "nonsense"},
	    {2, {"plan", "l.ann", "j.one", "--by"}, NULL},
	    {2, {"plan", "l.ann", "j.one", "--format", "ctdl"}, "ctdl"},
	    {2, {"plan", "l.ann", "j.one", "--format", "svg"}, "svg"},
	    {2, {"plan", "l.ann"}, NULL},
	    {2, {"plan", "l.ann", "j.one", "extra"}, NULL},
	    {2, {"plan", "l.ann", "j.one", "--top", "3"}, NULL},
	    {2, {"next", "l.ann", "--top", "0"}, NULL},
	    {2, {"next", "l.ann", "--top", "-1"}, NULL},
	    {2, {"next", "l.ann", "--top", "abc"}, "abc"},
	    {2, {"next"}, NULL},
	    {2, {"next", "l.ann", "--by", "cost"}, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[16] = {"--db", "a.db", "--as-of", "2025-06-01"};
		size_t n = 4;
		for (size_t k = 0; k < 8 && cases[i].args[k]; k++)
			args[n++] = cases[i].args[k];
		args[n] = NULL;
		run_env_to(t, NULL, NULL, args);
		EXPECT_ERROR(t, cases[i].status);
		EXPECT(t, count_lines(t->err) == 1);
		if (cases[i].named)
			EXPECT(t, has(t->err, cases[i].named));
	}
	/* no database: 1 */
	RUN(t, "--db", "missing.db", "plan", "l.ann", "j.one");
	EXPECT_ERROR(t, 1);
	EXPECT(t, has(t->err, "no database at 'missing.db'"));
	RUN(t, "--db", "missing.db", "next", "l.ann");
	EXPECT_ERROR(t, 1);
}

/* ---- main -------------------------------------------------------------------------- */

static int group_setup(void **state)
{
	(void)state;
	const char *bin = getenv("PATHWAY_BIN");
	if (!bin || !*bin)
		bin = "build/pathway";
	char cwd[PATH_CAP];
	bool ok;
	if (bin[0] == '/')
		ok = join_path(bin_path, sizeof bin_path, "", bin + 1);
	else
		ok = getcwd(cwd, sizeof cwd) &&
		     join_path(bin_path, sizeof bin_path, cwd, bin);
	if (!ok || access(bin_path, X_OK) != 0) {
		print_error("no pathway binary at '%s' (set PATHWAY_BIN)\n", bin);
		return -1;
	}
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_plan_json),
	    T(test_plan_blocking_json),
	    T(test_plan_text),
	    T(test_plan_dot),
	    T(test_next_json),
	    T(test_errors),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
