/* test_cli_corrupt.c - a corrupt or truncated database file is refused at
 * open with a clear message, never served (issue 8, item 3d).
 *
 * A generated dataset is loaded into good.db; each test makes p.db from it
 * with one kind of damage (truncated to half, to 0 or 100 bytes; not SQLite
 * at all; its header overwritten; pages in the middle overwritten with
 * seeded random bytes, with and without the snapshot made before the
 * damage) and runs commands that read the store. Each must exit with a
 * status of its own (not a signal, within the sandbox's 20 s), print
 * nothing on standard output, and say on standard error, in "pathway: "
 * lines, what is wrong with which file.
 *
 * Damage in the middle of the file is found because the store is checked
 * (PRAGMA quick_check) when opened unless it is exactly as pathway last
 * left it, by the print recorded in its snapshot. */
#include "sandbox.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEARNER "l-0000001"

/* ---- the good store and its bytes ------------------------------------------
 */

/* Generates and loads a dataset into good.db (with its snapshot) and
 * returns the file's bytes; *size gets its length. */
static unsigned char *good_store(sandbox *t, size_t *size)
{
	RUN(t, "gen", "--scale", "small", "--seed", "21", "--learners", "3000",
	    "--jobs", "300", "--out", "g");
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "good.db", "init");
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "good.db", "load", "g/credentials.json", "g/jobs.json",
	    "g/learners-000.json", "g/occupations.json", "g/skills.json");
	EXPECT_EXIT(t, 0);
	/* Everything is in the main file: the -wal (kept beside it) is empty
	 * and cannot carry the data past a damage to it. */
	char w[SB_PATH_CAP];
	size_t wal_len = 1;
	free(fx_read_file(sb_path(t, "good.db-wal", w, sizeof w), &wal_len));
	EXPECT(t, wal_len == 0);
	EXPECT(t, sb_exists(t, "good.db-snap"));
	/* The undamaged store answers: the failures below are the damage's. */
	RUN(t, "--db", "good.db", "--json", "match", LEARNER);
	EXPECT_EXIT(t, 0);
	char p[SB_PATH_CAP];
	unsigned char *b = (unsigned char *)fx_read_file(
	    sb_path(t, "good.db", p, sizeof p), size);
	assert_non_null(b);
	assert_true(*size > 1 << 20);
	return b;
}

static void write_bytes(const sandbox *t, const char *name,
                        const unsigned char *b, size_t n)
{
	char p[SB_PATH_CAP];
	FILE *f = fopen(sb_path(t, name, p, sizeof p), "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void copy_file(const sandbox *t, const char *from, const char *to)
{
	char p[SB_PATH_CAP];
	size_t n;
	unsigned char *b =
	    (unsigned char *)fx_read_file(sb_path(t, from, p, sizeof p), &n);
	assert_non_null(b);
	write_bytes(t, to, b, n);
	free(b);
}

/* ---- the expectation --------------------------------------------------------
 */

/* Every command that reads the store refuses p.db: a status of its own,
 * no output, and a message naming the file. */
static void expect_refused(sandbox *t)
{
	static const char *const cmds[][4] = {
	    {"--json", "match", LEARNER, NULL},
	    {"list", "learners", NULL, NULL},
	    {"show", "learner", LEARNER, NULL},
	    {"--json", "candidates", "j-000001", NULL},
	};
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		const char *args[8] = {"--db", "p.db"};
		size_t n = 2;
		for (size_t k = 0; cmds[i][k]; k++)
			args[n++] = cmds[i][k];
		args[n] = NULL;
		sb_run(t, NULL, NULL, args);
		EXPECT(t, t->code != 0 && t->code < 128);
		EXPECT(t, t->out[0] == '\0');
		EXPECT(t, t->err[0] != '\0' && sb_all_lines_prefixed(t->err));
		EXPECT(t, sb_has(t->err, "p.db"));
	}
}

/* ---- damage ----------------------------------------------------------------
 */

static void test_truncated_half(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	write_bytes(t, "p.db", b, n / 2);
	free(b);
	expect_refused(t);
}

/* A half store beside the snapshot made of it whole: the snapshot must not
 * stand in for the store. */
static void test_truncated_half_with_snapshot(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	write_bytes(t, "p.db", b, n / 2);
	copy_file(t, "good.db-snap", "p.db-snap");
	free(b);
	expect_refused(t);
}

static void test_truncated_empty(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	write_bytes(t, "p.db", b, 0);
	free(b);
	expect_refused(t);
}

static void test_truncated_100(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	write_bytes(t, "p.db", b, 100);
	free(b);
	expect_refused(t);
}

/* A file that is not SQLite at all: text of a megabyte. */
static void test_not_sqlite(void **state)
{
	sandbox *t = *state;
	size_t n = 1 << 20;
	unsigned char *b = malloc(n);
	assert_non_null(b);
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)("{\"learners\": []}\n"[i % 17]);
	write_bytes(t, "p.db", b, n);
	free(b);
	expect_refused(t);
}

/* The 16-byte magic string overwritten. */
static void test_header_magic(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	memcpy(b, "Not a database!", 16);
	write_bytes(t, "p.db", b, n);
	free(b);
	expect_refused(t);
}

/* The page size (bytes 16-17, big-endian) made 1000: not a power of two. */
static void test_header_page_size(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	b[16] = 0x03;
	b[17] = 0xe8;
	write_bytes(t, "p.db", b, n);
	free(b);
	expect_refused(t);
}

/* The schema's root page (page 1 after the header) overwritten. */
static void test_header_schema_page(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	memset(b + 100, 0xa5, 4096 - 100);
	write_bytes(t, "p.db", b, n);
	free(b);
	expect_refused(t);
}

/* Five 4 KiB runs of seeded random bytes in the middle half of the file:
 * each run covers the start of a page (its b-tree header), so the damage is
 * structural, which PRAGMA quick_check finds. */
static void damage_middle(unsigned char *b, size_t n, uint64_t seed)
{
	uint64_t s = seed;
	for (int k = 0; k < 5; k++) {
		s = s * 6364136223846793005u + 1442695040888963407u;
		size_t at = n / 4 + (size_t)((s >> 17) % (n / 2 - 4096));
		for (size_t i = 0; i < 4096; i++) {
			s = s * 6364136223846793005u + 1442695040888963407u;
			b[at + i] = (unsigned char)(s >> 56);
		}
	}
}

static void test_middle_damaged(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	damage_middle(b, n, 8301);
	write_bytes(t, "p.db", b, n);
	free(b);
	expect_refused(t);
}

/* The same damage beside the snapshot made before it: the snapshot's
 * checksum and write counter still match, so only a check of the store
 * itself can refuse it. */
static void test_middle_damaged_with_snapshot(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	damage_middle(b, n, 8302);
	write_bytes(t, "p.db", b, n);
	copy_file(t, "good.db-snap", "p.db-snap");
	free(b);
	expect_refused(t);
}

/* Damage made in place, to the very file a command has just used (and
 * whose print it recorded in the snapshot it wrote): the file's times
 * change with the write, so it is checked and refused. */
static void test_middle_damaged_in_place(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	write_bytes(t, "p.db", b, n);
	RUN(t, "--db", "p.db", "--json", "match", LEARNER);
	EXPECT_EXIT(t, 0);
	EXPECT(t, sb_exists(t, "p.db-snap"));
	damage_middle(b, n, 8303);
	char p[SB_PATH_CAP];
	FILE *f = fopen(sb_path(t, "p.db", p, sizeof p), "r+b");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	free(b);
	expect_refused(t);
	EXPECT(t, sb_has(t->err, "damaged"));
}

/* A store changed by another SQLite program (not damaged) is checked,
 * found sound and served; pathway's own writes after it go on as before. */
static void test_outside_change_checked_and_served(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	write_bytes(t, "p.db", b, n);
	free(b);
	RUN(t, "--db", "p.db", "--json", "match", LEARNER);
	EXPECT_EXIT(t, 0);
	char *before = strdup(t->out);
	assert_non_null(before);
	char p[SB_PATH_CAP];
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(sb_path(t, "p.db", p, sizeof p), &db),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 4", NULL,
	                              NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	RUN(t, "--db", "p.db", "--json", "match", LEARNER);
	EXPECT_EXIT(t, 0);
	EXPECT(t, strcmp(t->out, before) == 0);
	free(before);
	RUN(t, "--db", "p.db", "token", "create", "--role", "board");
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "p.db", "show", "learner", LEARNER);
	EXPECT_EXIT(t, 0);
}

/* PRAGMA quick_check's first row on the file name (opened read-only and
 * immutable, so that nothing is written beside it); the caller frees it. */
static char *quick_check(const sandbox *t, const char *name)
{
	char p[SB_PATH_CAP], uri[SB_PATH_CAP + 32];
	snprintf(uri, sizeof uri, "file:%s?immutable=1",
	         sb_path(t, name, p, sizeof p));
	sqlite3 *db = NULL;
	char *first = NULL;
	if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
	                    NULL) == SQLITE_OK) {
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &q,
		                       NULL) != SQLITE_OK)
			first = strdup(sqlite3_errmsg(db));
		else {
			int rc = sqlite3_step(q);
			first =
			    strdup(rc == SQLITE_ROW
			               ? (const char *)sqlite3_column_text(q, 0)
			               : sqlite3_errmsg(db));
			sqlite3_finalize(q);
		}
	}
	sqlite3_close(db);
	assert_non_null(first);
	return first;
}

/* The damage of the disabled tests is of the kind a check at open would
 * find: quick_check passes the good store and fails both damaged ones. */
static void test_middle_damage_found_by_quick_check(void **state)
{
	sandbox *t = *state;
	size_t n;
	unsigned char *b = good_store(t, &n);
	char *r = quick_check(t, "good.db");
	assert_string_equal(r, "ok");
	free(r);
	for (uint64_t seed = 8301; seed <= 8302; seed++) {
		unsigned char *d = malloc(n);
		assert_non_null(d);
		memcpy(d, b, n);
		damage_middle(d, n, seed);
		write_bytes(t, "p.db", d, n);
		free(d);
		r = quick_check(t, "p.db");
		for (char *c = r; *c; c++)
			if (*c == '\n')
				*c = ' ';
		print_message("quick_check, damage seed %lu: %.70s...\n",
		              (unsigned long)seed, r);
		assert_string_not_equal(r, "ok");
		free(r);
	}
	free(b);
}

#define CASE(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    CASE(test_truncated_half),
	    CASE(test_truncated_half_with_snapshot),
	    CASE(test_truncated_empty),
	    CASE(test_truncated_100),
	    CASE(test_not_sqlite),
	    CASE(test_header_magic),
	    CASE(test_header_page_size),
	    CASE(test_header_schema_page),
	    CASE(test_middle_damage_found_by_quick_check),
	    CASE(test_middle_damaged),
	    CASE(test_middle_damaged_with_snapshot),
	    CASE(test_middle_damaged_in_place),
	    CASE(test_outside_change_checked_and_served),
	};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
