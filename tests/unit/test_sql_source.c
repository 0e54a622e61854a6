/* test_sql_source.c - fails the build if SQL is ever assembled by string
 * formatting. Reads the C sources of engine/src, api, cli and datasets/gen
 * (under $PATHWAY_SRC, set by `make check`; "." otherwise), lexes them
 * (comments dropped, adjacent string literals joined) and flags:
 *   - any call of SQLite's own formatters (sqlite3_mprintf, _vmprintf,
 *     _snprintf, _vsnprintf, sqlite3_str_appendf, _vappendf);
 *   - a printf-family call (snprintf, buf_printf, ...) whose literals hold
 *     an SQL keyword as an upper-case word and a % conversion;
 *   - sqlite3_exec / sqlite3_prepare* (and store.c's wrappers exec and
 *     run_once) whose SQL argument is not a string literal.
 * The few constant cases are allowed by name below, each with its reason.
 * The first tests feed the scanner made-up sources to prove it fails on
 * each kind of violation. */
#include "fixture.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the allow-list ---- */

typedef struct allowed {
	const char *file; /* the file's name, without its directory */
	const char *text; /* a joined format literal, or an SQL argument */
	const char *why;
} allowed;

static const allowed allow[] = {
    /* SQLite takes no bound parameter in a PRAGMA; each value below is an
     * integer (%d, %zu, %lld) of the engine's own, never outside text */
    {"store.c", "PRAGMA user_version = %d",
     "schema version after migration v (could instead end each "
     "migrations[v] list with its own literal PRAGMA)"},
    {"store.c", "PRAGMA cache_size = -%zu", "a bulk write's cache, in KiB"},
    {"store.c", "PRAGMA cache_size = %lld", "the cache size read back"},
    /* the table name comes from the static multi_def table; the values
     * are all ? placeholders, bound later */
    {"store.c", "INSERT INTO %s VALUES ",
     "multi-row insert of a static table, placeholders only"},
    /* non-literal SQL arguments, each made of literals only */
    {"store.c", "sql",
     "exec/run_once/end_bulk parameters: their callers are checked"},
    {"store.c", "pragma", "the allowed PRAGMA user_version above"},
    {"store.c", "migrations[v][i]", "static arrays of literals"},
    {"store.c", "child_tables[i].probe", "static table of literals"},
    {"store.c", "stmt_sql[id]", "static table of literals"},
    {"store.c", "scan_sql[id]", "static table of literals"},
    {"store.c", "b.data", "the INSERT INTO %s VALUES (?,...) above"},
};

/* ---- a small C lexer ---- */

enum { T_IDENT, T_STRING, T_PUNCT };

typedef struct token {
	int kind;
	char *text; /* identifier, joined literal contents, or one char */
	int line;
} token;

typedef struct tokens {
	token *v;
	size_t n, cap;
} tokens;

static void push(tokens *t, int kind, const char *s, size_t len, int line)
{
	/* adjacent string literals are one literal, as the compiler sees */
	if (kind == T_STRING && t->n && t->v[t->n - 1].kind == T_STRING) {
		token *last = &t->v[t->n - 1];
		size_t old = strlen(last->text);
		last->text = realloc(last->text, old + len + 1);
		assert_non_null(last->text);
		memcpy(last->text + old, s, len);
		last->text[old + len] = '\0';
		return;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->v = realloc(t->v, t->cap * sizeof *t->v);
		assert_non_null(t->v);
	}
	char *text = malloc(len + 1);
	assert_non_null(text);
	memcpy(text, s, len);
	text[len] = '\0';
	t->v[t->n++] = (token){kind, text, line};
}

static void tokens_free(tokens *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].text);
	free(t->v);
}

static void lex(const char *s, tokens *t)
{
	int line = 1;
	while (*s) {
		if (*s == '\n') {
			line++;
			s++;
		} else if (isspace((unsigned char)*s) || *s == '\\') {
			s++;
		} else if (s[0] == '/' && s[1] == '/') {
			while (*s && *s != '\n')
				s++;
		} else if (s[0] == '/' && s[1] == '*') {
			for (s += 2; *s && !(s[0] == '*' && s[1] == '/'); s++)
				line += *s == '\n';
			s += *s ? 2 : 0;
		} else if (*s == '"' || *s == '\'') {
			char q = *s++;
			const char *start = s;
			while (*s && *s != q && *s != '\n')
				s += s[0] == '\\' && s[1] ? 2 : 1;
			if (q == '"')
				push(t, T_STRING, start, (size_t)(s - start),
				     line);
			else
				push(t, T_PUNCT, "0", 1, line); /* a char */
			s += *s == q;
		} else if (isalnum((unsigned char)*s) || *s == '_') {
			const char *start = s;
			while (isalnum((unsigned char)*s) || *s == '_')
				s++;
			push(t, T_IDENT, start, (size_t)(s - start), line);
		} else {
			push(t, T_PUNCT, s, 1, line);
			s++;
		}
	}
}

/* ---- rules ---- */

static const char *const sqlite_formatters[] = {
    "sqlite3_mprintf",   "sqlite3_vmprintf",    "sqlite3_snprintf",
    "sqlite3_vsnprintf", "sqlite3_str_appendf", "sqlite3_str_vappendf",
    "sqlite3_str_new"};
static const char *const formatters[] = {
    "printf",    "fprintf",    "dprintf",  "sprintf",   "snprintf",
    "vprintf",   "vfprintf",   "vsprintf", "vsnprintf", "asprintf",
    "vasprintf", "buf_printf", "pw_fail",  "problem"};
/* the SQL argument's position (0-based) of each SQL sink */
static const struct {
	const char *name;
	size_t arg;
} sinks[] = {{"sqlite3_exec", 1},
             {"sqlite3_prepare", 1},
             {"sqlite3_prepare_v2", 1},
             {"sqlite3_prepare_v3", 1},
             {"sqlite3_prepare16", 1},
             {"sqlite3_prepare16_v2", 1},
             {"sqlite3_prepare16_v3", 1},
             {"exec", 1},
             {"run_once", 1}};
static const char *const keywords[] = {
    "SELECT", "INSERT", "UPDATE",   "DELETE",    "REPLACE", "CREATE",
    "DROP",   "ALTER",  "PRAGMA",   "ATTACH",    "DETACH",  "VACUUM",
    "BEGIN",  "COMMIT", "ROLLBACK", "SAVEPOINT", "WHERE",   "VALUES"};

static bool in(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static bool allow_used[NELEMS(allow)];

static bool is_allowed(const char *file, const char *text)
{
	for (size_t i = 0; i < NELEMS(allow); i++)
		if (strcmp(allow[i].file, file) == 0 &&
		    strcmp(allow[i].text, text) == 0) {
			allow_used[i] = true;
			return true;
		}
	return false;
}

/* Does the literal hold an SQL keyword as a whole upper-case word? */
static bool has_sql(const char *s)
{
	for (size_t k = 0; k < NELEMS(keywords); k++) {
		size_t n = strlen(keywords[k]);
		for (const char *p = s; (p = strstr(p, keywords[k])); p += n) {
			bool left = p == s || !isalnum((unsigned char)p[-1]);
			bool right =
			    !isalnum((unsigned char)p[n]) && p[n] != '_';
			if (left && right)
				return true;
		}
	}
	return false;
}

static bool has_conversion(const char *s)
{
	for (const char *p = s; (p = strchr(p, '%')); p += 2)
		if (p[1] && p[1] != '%')
			return true;
	return false;
}

typedef struct findings {
	char text[4096];
	size_t len;
	int count;
} findings;

static void report(findings *f, const char *file, int line, const char *why,
                   const char *what)
{
	int n = snprintf(f->text + f->len, sizeof f->text - f->len,
	                 "%s:%d: %s: %.80s\n", file, line, why, what);
	if (n > 0 && f->len + (size_t)n < sizeof f->text)
		f->len += (size_t)n;
	f->count++;
}

/* Index just past the ')' closing the '(' at t->v[open]; the arguments'
 * tokens, split at top-level commas, are reported through starts[]. */
static size_t call_args(const tokens *t, size_t open, size_t *starts,
                        size_t *nargs, size_t max)
{
	int depth = 0;
	size_t i = open;
	*nargs = 0;
	for (; i < t->n; i++) {
		const char *s = t->v[i].text;
		if (t->v[i].kind != T_PUNCT)
			continue;
		if (*s == '(' || *s == '[' || *s == '{') {
			if (depth++ == 0 && *nargs < max)
				starts[(*nargs)++] = i + 1;
		} else if (*s == ')' || *s == ']' || *s == '}') {
			if (--depth == 0)
				return i + 1;
		} else if (*s == ',' && depth == 1 && *nargs < max)
			starts[(*nargs)++] = i + 1;
	}
	return i;
}

/* Scans one file's text; `file` is its name for the allow-list. */
static void scan(const char *file, const char *src, findings *f)
{
	tokens t = {0};
	lex(src, &t);
	for (size_t i = 0; i + 1 < t.n; i++) {
		const token *id = &t.v[i];
		if (id->kind != T_IDENT || strcmp(t.v[i + 1].text, "(") != 0)
			continue;
		size_t starts[16], nargs;
		size_t end = call_args(&t, i + 1, starts, &nargs, 16);
		if (in(id->text, sqlite_formatters, NELEMS(sqlite_formatters)))
			report(f, file, id->line,
			       "SQLite's formatter builds SQL text", id->text);
		if (in(id->text, formatters, NELEMS(formatters)))
			for (size_t k = i + 2; k < end; k++)
				if (t.v[k].kind == T_STRING &&
				    has_sql(t.v[k].text) &&
				    has_conversion(t.v[k].text) &&
				    !is_allowed(file, t.v[k].text))
					report(f, file, t.v[k].line,
					       "SQL assembled by formatting",
					       t.v[k].text);
		for (size_t s = 0; s < NELEMS(sinks); s++) {
			if (strcmp(id->text, sinks[s].name) != 0 ||
			    nargs <= sinks[s].arg)
				continue;
			/* a definition or prototype names a type first */
			size_t a = starts[sinks[s].arg];
			size_t z = sinks[s].arg + 1 < nargs
			               ? starts[sinks[s].arg + 1] - 1
			               : end - 1;
			if (i > 0 && t.v[i - 1].kind == T_IDENT &&
			    strcmp(t.v[i - 1].text, "return") != 0)
				break;
			if (a < z && t.v[a].kind == T_STRING && a + 1 == z)
				break;
			char expr[256] = "";
			for (size_t k = a; k < z; k++)
				if (strlen(expr) + strlen(t.v[k].text) + 1 <
				    sizeof expr)
					strcat(expr, t.v[k].text);
			if (!is_allowed(file, expr))
				report(f, file, id->line,
				       "SQL that is not a string literal",
				       expr);
		}
	}
	tokens_free(&t);
}

static void scan_text(const char *file, const char *src, findings *f)
{
	memset(f, 0, sizeof *f);
	scan(file, src, f);
}

/* ---- the scanner fails when it should ---- */

static void flags_formatted_select(void **state)
{
	(void)state;
	findings f;
	scan_text("x.c",
	          "void f(char *b, const char *who) {\n"
	          "  snprintf(b, 99,\n"
	          "           \"SELECT name FROM learner\"\n"
	          "           \" WHERE id = '%s'\", who);\n}\n",
	          &f);
	assert_int_equal(f.count, 1);
	assert_non_null(strstr(f.text, "x.c:3: SQL assembled by formatting"));
	scan_text("x.c",
	          "buf_printf(&b, \"DELETE FROM job WHERE id = %s\", id);", &f);
	assert_int_equal(f.count, 1);
	/* the allow-list is per file: store.c's integer PRAGMA elsewhere */
	scan_text("api.c",
	          "snprintf(p, sizeof p, \"PRAGMA user_version = %d\", v);",
	          &f);
	assert_int_equal(f.count, 1);
}

static void flags_sqlite_formatters(void **state)
{
	(void)state;
	findings f;
	scan_text("y.c",
	          "char *q = sqlite3_mprintf(\"SELECT 1 WHERE x = %Q\", s);",
	          &f);
	assert_int_equal(f.count, 1);
	assert_non_null(strstr(f.text, "sqlite3_mprintf"));
	scan_text("y.c", "sqlite3_str_appendf(str, \"%s\", s);", &f);
	assert_int_equal(f.count, 1);
}

static void flags_non_literal_sql(void **state)
{
	(void)state;
	findings f;
	scan_text("z.c",
	          "int g(sqlite3 *db, char *sql) {\n"
	          "  sqlite3_exec(db, sql, NULL, NULL, NULL);\n"
	          "  return sqlite3_prepare_v2(db, text + 1, -1, &q, 0);\n}\n",
	          &f);
	assert_int_equal(f.count, 2);
	assert_non_null(strstr(f.text, "z.c:2:"));
	assert_non_null(strstr(f.text, "z.c:3:"));
}

static void passes_what_is_fine(void **state)
{
	(void)state;
	findings f;
	scan_text("w.c",
	          "/* snprintf(b, 9, \"SELECT %s\", x) in a comment */\n"
	          "static int exec(store *s, const char *sql, pw_error *e);\n"
	          "sqlite3_prepare_v2(db, \"SELECT a FROM t WHERE id = ?\"\n"
	          "                   \" AND b = ?\", -1, &q, NULL);\n"
	          "snprintf(msg, n, \"no learner '%s' selected\", id);\n"
	          "pw_fail(err, PW_ERR_DB, \"cannot SELECT\");\n",
	          &f);
	assert_int_equal(f.count, 0);
}

/* ---- the project's sources ---- */

static void sources_build_no_sql_by_formatting(void **state)
{
	(void)state;
	static const char *const dirs[] = {"engine/src", "api", "cli",
	                                   "datasets/gen"};
	const char *root = getenv("PATHWAY_SRC");
	findings f = {0};
	int files = 0;
	if (!root || !*root)
		root = ".";
	for (size_t d = 0; d < NELEMS(dirs); d++) {
		char dir[1024];
		snprintf(dir, sizeof dir, "%s/%s", root, dirs[d]);
		DIR *h = opendir(dir);
		if (!h)
			fail_msg("cannot read '%s' (set PATHWAY_SRC)", dir);
		struct dirent *de;
		while ((de = readdir(h))) {
			size_t n = strlen(de->d_name);
			if (n < 3 || de->d_name[n - 2] != '.' ||
			    (de->d_name[n - 1] != 'c' &&
			     de->d_name[n - 1] != 'h'))
				continue;
			char path[2048];
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			char *src = fx_read_file(path, NULL);
			if (!src)
				fail_msg("cannot read '%s'", path);
			scan(de->d_name, src, &f);
			free(src);
			files++;
		}
		closedir(h);
	}
	if (f.count)
		fail_msg("%d place(s) build SQL by formatting or from a "
		         "non-literal (bind parameters instead, or add a "
		         "reasoned entry to the allow-list):\n%s",
		         f.count, f.text);
	/* engine, api and cli together are well over 30 files */
	assert_true(files > 30);
	/* a stale entry would let a new case of the same text through
	 * unseen: every entry must still match a place in the sources */
	for (size_t i = 0; i < NELEMS(allow); i++)
		if (!allow_used[i])
			fail_msg("allow-list entry '%s' in %s matches nothing: "
			         "remove it",
			         allow[i].text, allow[i].file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(flags_formatted_select),
	    cmocka_unit_test(flags_sqlite_formatters),
	    cmocka_unit_test(flags_non_literal_sql),
	    cmocka_unit_test(passes_what_is_fine),
	    cmocka_unit_test(sources_build_no_sql_by_formatting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
