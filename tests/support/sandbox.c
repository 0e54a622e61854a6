/* sandbox.c - see sandbox.h: per-test directories, the fork/exec runner with
 * its timeout, and the expectations the CLI tests share. */
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define TIMEOUT_MS 20000

bool sb_quick(void)
{
	const char *v = getenv("PATHWAY_TEST_QUICK");
	return v && strcmp(v, "1") == 0;
}

/* TIMEOUT_MS times PATHWAY_TIMEOUT_SCALE (a whole number; `make valgrind`
 * sets it, since every command then runs many times slower). */
static long timeout_ms(void)
{
	const char *v = getenv("PATHWAY_TIMEOUT_SCALE");
	long k = v && *v ? strtol(v, NULL, 10) : 1;
	return TIMEOUT_MS * (k > 1 ? k : 1);
}
#define ARGV_CAP 64

static char bin_path[SB_PATH_CAP];

/* ---- the per-test sandbox ------------------------------------------------ */

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
				if (strcmp(e->d_name, ".") == 0 ||
				    strcmp(e->d_name, "..") == 0)
					continue;
				char sub[SB_PATH_CAP];
				if (join_path(sub, sizeof sub, path, e->d_name))
					remove_tree(sub);
			}
			closedir(d);
		}
		rmdir(path);
	} else
		unlink(path);
}

int sb_group_setup(void **state)
{
	(void)state;
	const char *bin = getenv("PATHWAY_BIN");
	if (!bin || !*bin)
		bin = "build/pathway";
	char cwd[SB_PATH_CAP];
	bool ok;
	if (bin[0] == '/')
		ok = join_path(bin_path, sizeof bin_path, "", bin + 1);
	else
		ok = getcwd(cwd, sizeof cwd) &&
		     join_path(bin_path, sizeof bin_path, cwd, bin);
	if (!ok || access(bin_path, X_OK) != 0) {
		print_error("no pathway binary at '%s' (set PATHWAY_BIN)\n",
		            bin);
		return -1;
	}
	return 0;
}

int sb_setup(void **state)
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

int sb_teardown(void **state)
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

const char *sb_path(const sandbox *t, const char *name, char *buf, size_t size)
{
	if (!join_path(buf, size, t->work, name))
		fail_msg("path too long: %s", name);
	return buf;
}

bool sb_exists(const sandbox *t, const char *name)
{
	char p[SB_PATH_CAP];
	struct stat st;
	return stat(sb_path(t, name, p, sizeof p), &st) == 0;
}

void sb_write(const sandbox *t, const char *name, const char *text)
{
	char p[SB_PATH_CAP];
	FILE *f = fopen(sb_path(t, name, p, sizeof p), "wb");
	if (!f)
		fail_msg("cannot create %s: %s", p, strerror(errno));
	size_t n = strlen(text);
	if (fwrite(text, 1, n, f) != n || fclose(f) != 0)
		fail_msg("cannot write %s", p);
}

/* ---- running a program ------------------------------------------------- */

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

void sb_run_prog(sandbox *t, const char *prog, const char *argv0, bool search,
                 const char *const *env_extra, const char *in_path,
                 const char *out_path, const char *const *args)
{
	const char *argv[ARGV_CAP];
	size_t n = 0;
	argv[n++] = argv0;
	size_t len =
	    (size_t)snprintf(t->cmdline, sizeof t->cmdline, "%s", argv0);
	for (size_t i = 0; args[i]; i++) {
		assert_true(n + 1 < ARGV_CAP);
		argv[n++] = args[i];
		if (len < sizeof t->cmdline)
			len += (size_t)snprintf(t->cmdline + len,
			                        sizeof t->cmdline - len,
			                        " '%s'", args[i]);
	}
	argv[n] = NULL;
	for (size_t i = 0; env_extra && env_extra[i]; i++)
		if (len < sizeof t->cmdline)
			len += (size_t)snprintf(t->cmdline + len,
			                        sizeof t->cmdline - len,
			                        " [%s]", env_extra[i]);
	if (in_path && len < sizeof t->cmdline)
		len += (size_t)snprintf(
		    t->cmdline + len, sizeof t->cmdline - len, " <%s", in_path);
	if (out_path && len < sizeof t->cmdline)
		snprintf(t->cmdline + len, sizeof t->cmdline - len, " >%s",
		         out_path);

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
		if (waited >= timeout_ms()) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("timed out after %ld ms: %s", timeout_ms(),
			         t->cmdline);
		}
		sleep_ms(waited < 100 ? 1 : 10);
		waited += waited < 100 ? 1 : 10;
	}
	t->code = WIFEXITED(status)     ? WEXITSTATUS(status)
	          : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
	                                : 255;
	t->out = out_path ? calloc(1, 1) : fx_read_file(t->out_file, NULL);
	t->err = fx_read_file(t->err_file, NULL);
	assert_non_null(t->out);
	assert_non_null(t->err);
}

void sb_run(sandbox *t, const char *const *env_extra, const char *out_path,
            const char *const *args)
{
	sb_run_prog(t, bin_path, "pathway", false, env_extra, NULL, out_path,
	            args);
}

/* ---- expectations ------------------------------------------------------ */

void sb_print_long(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	for (size_t i = 0; i < n; i += 800)
		print_error("%.*s", (int)(n - i < 800 ? n - i : 800), s + i);
}

void sb_report_run(const sandbox *t)
{
	print_error("command: %s\nexit: %d\n--- stdout ---\n", t->cmdline,
	            t->code);
	sb_print_long(t->out);
	print_error("--- stderr ---\n");
	sb_print_long(t->err);
	print_error("--------------\n");
}

void sb_expect_exit_at(const sandbox *t, int want, const char *file, int line)
{
	if (t->code != want) {
		print_error("expected exit status %d\n", want);
		sb_report_run(t);
		_fail(file, line);
	}
}

void sb_expect_at(const sandbox *t, bool cond, const char *what,
                  const char *file, int line)
{
	if (!cond) {
		print_error("expectation failed: %s\n", what);
		sb_report_run(t);
		_fail(file, line);
	}
}

/* ---- text ---------------------------------------------------------------- */

bool sb_has(const char *text, const char *needle)
{
	return text && strstr(text, needle) != NULL;
}

bool sb_all_lines_prefixed(const char *text)
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

size_t sb_count_lines(const char *text)
{
	size_t n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* ---- JSON ---------------------------------------------------------------- */

json_t *sb_parse_out_at(const sandbox *t, const char *file, int line)
{
	json_error_t e;
	json_t *j = json_loads(t->out, 0, &e);
	if (!j) {
		print_error("stdout is not JSON: %s (line %d)\n", e.text,
		            e.line);
		sb_report_run(t);
		_fail(file, line);
	}
	return j;
}

void sb_expect_keys_at(const json_t *obj, const char *const *keys,
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
		char *text =
		    json_is_object(obj)
		        ? json_dumps(obj, JSON_SORT_KEYS | JSON_COMPACT)
		        : NULL;
		print_error("%s: expected exactly the keys:", what);
		for (size_t i = 0; keys[i]; i++)
			print_error(" %s", keys[i]);
		print_error("\n   got: ");
		sb_print_long(text ? text : "(not an object)");
		print_error("\n");
		free(text);
		_fail(file, line);
	}
}

bool sb_is_string_array(const json_t *a)
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

bool sb_one_decimal(const json_t *v)
{
	if (!json_is_number(v))
		return false;
	double x = json_number_value(v) * 10;
	double r = (double)(long long)(x + (x < 0 ? -0.5 : 0.5));
	return x - r < 1e-6 && r - x < 1e-6;
}

size_t sb_max_fraction_digits(const char *text)
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

/* ---- store content ---- */

/* splitmix64's finaliser */
static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15u;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3u;
	return h;
}

/* integrity_check must answer the single row "ok"; then every row of every
 * table is hashed (order-free: a sum of mixed row hashes per table), except
 * the meta rows that count writes and name the store. */
sb_content sb_store_state(const sandbox *t, const char *name)
{
	char path[SB_PATH_CAP];
	sb_path(t, name, path, sizeof path);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		fail_msg("cannot open %s: %s", path, sqlite3_errmsg(db));
	sqlite3_stmt *q;
	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL),
	    SQLITE_OK);
	int rows = 0;
	bool ok = false;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(q, 0);
		if (rows++ == 0)
			ok = r && strcmp(r, "ok") == 0;
		if (!ok && rows <= 5)
			print_error("integrity_check: %s\n", r ? r : "(null)");
	}
	sqlite3_finalize(q);
	if (!ok || rows != 1)
		fail_msg("%s fails integrity_check", path);

	sb_content s = {0xcbf29ce484222325u, 0};
	sqlite3_stmt *tables;
	assert_int_equal(
	    sqlite3_prepare_v2(db,
	                       "SELECT name FROM sqlite_master "
	                       "WHERE type = 'table' ORDER BY name",
	                       -1, &tables, NULL),
	    SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *table =
		    (const char *)sqlite3_column_text(tables, 0);
		char sql[300];
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", table);
		bool meta = strcmp(table, "meta") == 0;
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL),
		                 SQLITE_OK);
		uint64_t sum = 0;
		long n = 0;
		while (sqlite3_step(q) == SQLITE_ROW) {
			const char *k = (const char *)sqlite3_column_text(q, 0);
			if (meta && k &&
			    (strcmp(k, "writes") == 0 ||
			     strcmp(k, "store_id") == 0))
				continue;
			uint64_t h =
			    fnv(0xcbf29ce484222325u, table, strlen(table));
			for (int c = 0; c < sqlite3_column_count(q); c++) {
				unsigned char type =
				    (unsigned char)sqlite3_column_type(q, c);
				h = fnv(h, &type, 1);
				const void *v = sqlite3_column_blob(q, c);
				int len = sqlite3_column_bytes(q, c);
				h = fnv(h, &len, sizeof len);
				if (v)
					h = fnv(h, v, (size_t)len);
			}
			sum += mix(h); /* so that a sum of rows is fair */
			n++;
		}
		assert_int_equal(sqlite3_finalize(q), SQLITE_OK);
		s.hash = fnv(s.hash, table, strlen(table) + 1);
		s.hash = fnv(s.hash, &sum, sizeof sum);
		s.hash = fnv(s.hash, &n, sizeof n);
		s.rows += n;
	}
	assert_int_equal(sqlite3_finalize(tables), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return s;
}
