/* test_cli_diskfull.c - a full disk (issue 8, item 3b): a write that runs
 * out of room fails with a clean error, loses nothing, and writes work
 * again once space returns.
 *
 * The store lives on a small tmpfs mounted in a private mount namespace of
 * this test (so nothing outside sees it, and it goes when the test ends).
 * Before each write under test the tmpfs is filled by a filler file so
 * that only `slack` bytes are left, for several slacks: the write then
 * fails at different points (the WAL's first frames, mid-way, the commit,
 * the snapshot). After each failure:
 * - the command exits with a status of its own (not a signal), prints
 *   nothing on standard output, and says on standard error, in "pathway: "
 *   lines, that the disk is full;
 * - with the filler still there, the store passes integrity_check and its
 *   content is exactly what it was, and `pathway match` answers as before
 *   (its snapshot cannot be written: the answer comes anyway);
 * - no temporary file is left beside the store;
 * - once the filler is removed, the same write succeeds, and the store
 *   then holds the new content.
 *
 * Where mounting is not permitted (no CAP_SYS_ADMIN), the test says so and
 * uses a file size limit (RLIMIT_FSIZE, "ulimit -f") instead, which fails
 * the writes with EFBIG rather than ENOSPC (PATHWAY_DISKFULL_RLIMIT=1 makes
 * it do so anyway). */
#define _GNU_SOURCE
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define LEARNER "l-0000001"
#define AS_OF   "2026-11-23"
#define DISK_MB 48

/* Whether each test mounts its own tmpfs (else RLIMIT_FSIZE stands in). */
static bool use_tmpfs;

static int group_setup(void **state)
{
	/* a namespace of our own, whose mounts nobody else sees */
	const char *force = getenv("PATHWAY_DISKFULL_RLIMIT");
	if (force && strcmp(force, "1") == 0)
		errno = EPERM;
	else
		use_tmpfs =
		    unshare(CLONE_NEWNS) == 0 &&
		    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0;
	if (!use_tmpfs)
		print_message("NOTE: cannot mount a tmpfs here (%s): a file "
		              "size limit (RLIMIT_FSIZE) stands in for a full "
		              "disk\n",
		              strerror(errno));
	return sb_group_setup(state);
}

static int setup(void **state)
{
	int r = sb_setup(state);
	if (r)
		return r;
	sandbox *t = *state;
	char p[SB_PATH_CAP];
	sb_path(t, "disk", p, sizeof p);
	if (mkdir(p, 0700) != 0)
		return -1;
	if (use_tmpfs) {
		char opts[64];
		snprintf(opts, sizeof opts, "size=%dm,mode=0700", DISK_MB);
		if (mount("tmpfs", p, "tmpfs", 0, opts) != 0) {
			print_error("mount tmpfs at %s: %s\n", p,
			            strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int teardown(void **state)
{
	sandbox *t = *state;
	char p[SB_PATH_CAP];
	if (use_tmpfs)
		umount2(sb_path(t, "disk", p, sizeof p), MNT_DETACH);
	return sb_teardown(state);
}

/* ---- filling the disk ---- */

static off_t limit_bytes; /* RLIMIT_FSIZE in force for the next run; 0: none */

/* Leaves slack bytes free on the tmpfs (by a filler file), or, without a
 * tmpfs, limits every file the next run writes to slack bytes (at least
 * 64 KiB, the WAL index's size, which a reader maps): the store's WAL
 * cannot take more, nor the store grow. */
static void fill(sandbox *t, off_t slack)
{
	char p[SB_PATH_CAP];
	if (!use_tmpfs) {
		limit_bytes = slack > 65536 ? slack : 65536;
		return;
	}
	struct statvfs v;
	assert_int_equal(statvfs(sb_path(t, "disk", p, sizeof p), &v), 0);
	off_t room = (off_t)v.f_bavail * (off_t)v.f_frsize;
	assert_true(room > slack);
	int fd = open(sb_path(t, "disk/filler", p, sizeof p),
	              O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(posix_fallocate(fd, 0, room - slack), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(statvfs(sb_path(t, "disk", p, sizeof p), &v), 0);
	assert_true((off_t)v.f_bavail * (off_t)v.f_frsize <= slack + 4096);
}

static void unfill(sandbox *t)
{
	char p[SB_PATH_CAP];
	limit_bytes = 0;
	if (use_tmpfs)
		assert_int_equal(unlink(sb_path(t, "disk/filler", p, sizeof p)),
		                 0);
}

/* pathway ARGS under the file size limit of fill(), if any. */
static void run_limited(sandbox *t, const char *const *args)
{
	struct rlimit was;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
	if (limit_bytes) {
		struct rlimit lim = {(rlim_t)limit_bytes, was.rlim_max};
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	}
	sb_run(t, NULL, NULL, args);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
}

/* ---- the store and its answers ---- */

/* A generated dataset (seed 31 for the old state, seed 32 for the new one,
 * whose learners replace the old ones under the same ids), with the old
 * one loaded into disk/p.db. */
static void make_store(sandbox *t)
{
	RUN(t, "gen", "--scale", "small", "--seed", "31", "--learners", "3000",
	    "--jobs", "300", "--out", "g");
	EXPECT_EXIT(t, 0);
	RUN(t, "gen", "--scale", "small", "--seed", "32", "--learners", "6000",
	    "--jobs", "300", "--out", "h");
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "disk/p.db", "init");
	EXPECT_EXIT(t, 0);
	RUN(t, "--db", "disk/p.db", "load", "g/credentials.json", "g/jobs.json",
	    "g/learners-000.json", "g/occupations.json", "g/skills.json");
	EXPECT_EXIT(t, 0);
}

static char *match_answer(sandbox *t)
{
	RUN(t, "--db", "disk/p.db", "--json", "--as-of", AS_OF, "match",
	    LEARNER);
	EXPECT_EXIT(t, 0);
	char *out = t->out;
	t->out = NULL;
	return out;
}

/* No PATH.PID.tmp (a snapshot's temporary file) is left on the disk. */
static bool no_temporaries(const sandbox *t)
{
	char p[SB_PATH_CAP];
	DIR *d = opendir(sb_path(t, "disk", p, sizeof p));
	assert_non_null(d);
	bool none = true;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".tmp")) {
			print_error("left behind: disk/%s\n", e->d_name);
			none = false;
		}
	closedir(d);
	return none;
}

/* The write failed cleanly: its own status, no output, a message about
 * space in "pathway: " lines. */
static void expect_full(sandbox *t)
{
	EXPECT(t, t->code != 0 && t->code < 128);
	EXPECT(t, t->out[0] == '\0');
	EXPECT(t, sb_all_lines_prefixed(t->err));
	EXPECT(t, sb_has(t->err, "full") || sb_has(t->err, "large") ||
	              sb_has(t->err, "space") || sb_has(t->err, "I/O"));
	EXPECT(t, sb_has(t->err, "p.db"));
}

/* Runs the write args with slack bytes left, for each slack: it fails
 * cleanly, or (with room enough) succeeds; after a failure nothing has
 * changed and the same write succeeds once the space is back. With
 * must_fail, at least one slack must make it fail. */
static void full_then_room(sandbox *t, const char *const *args,
                           const off_t *slacks, size_t nslacks, bool must_fail)
{
	char p[SB_PATH_CAP];
	size_t failures = 0;
	for (size_t i = 0; i < nslacks; i++) {
		sb_content before = sb_store_state(t, "disk/p.db");
		char *answer = match_answer(t);
		fill(t, slacks[i]);
		run_limited(t, args);
		int code = t->code;
		print_message("  slack %lld bytes: exit %d%s%.*s",
		              (long long)slacks[i], code, code ? ", " : "\n",
		              code ? (int)strcspn(t->err, "\n") + 1 : 0,
		              t->err);
		if (code != 0) {
			failures++;
			expect_full(t);
			/* still full: the old content, and answers from it */
			sb_content after = sb_store_state(t, "disk/p.db");
			assert_true(after.hash == before.hash &&
			            after.rows == before.rows);
			char *again = match_answer(t);
			assert_string_equal(again, answer);
			free(again);
			EXPECT(t, no_temporaries(t));
			/* space returns: the write goes through */
			unfill(t);
			sb_run(t, NULL, NULL, args);
			EXPECT_EXIT(t, 0);
		} else {
			unfill(t);
		}
		free(answer);
		sb_store_state(t, "disk/p.db");
		EXPECT(t, no_temporaries(t));
		/* and reads see it, with a snapshot written again */
		char *fresh = match_answer(t);
		free(fresh);
		EXPECT(t, sb_exists(t, "disk/p.db-snap"));
	}
	(void)p;
	if (must_fail)
		assert_true(failures > 0);
}

/* ---- the writes ---- */

/* 6,000 learners over the 3,000 stored: the WAL, the commit and the
 * snapshot each need megabytes. */
static void test_load_on_full_disk(void **state)
{
	sandbox *t = *state;
	make_store(t);
	static const off_t slacks[] = {0,       64 << 10, 1 << 20, 2 << 20,
	                               3 << 20, 4 << 20,  6 << 20};
	static const off_t quick[] = {0, 1 << 20};
	full_then_room(t,
	               ARGS("--db", "disk/p.db", "load", "h/learners-000.json"),
	               sb_quick() ? quick : slacks,
	               sb_quick() ? 2 : sizeof slacks / sizeof *slacks, true);
	/* the new learners are there */
	RUN(t, "--db", "disk/p.db", "show", "learner", "l-0005000");
	EXPECT_EXIT(t, 0);
}

/* A small write (one token row) with no room at all. */
static void test_token_on_full_disk(void **state)
{
	sandbox *t = *state;
	make_store(t);
	static const off_t slacks[] = {0};
	full_then_room(
	    t, ARGS("--db", "disk/p.db", "token", "create", "--role", "board"),
	    slacks, sizeof slacks / sizeof *slacks,
	    use_tmpfs /* a row fits in a 64 KiB file size limit */);
}

/* A read whose snapshot cannot be written (it was removed, so the model
 * is rebuilt) still answers, from the WAL and index kept beside the store,
 * and leaves no temporary file. */
static void test_read_with_no_room_for_snapshot(void **state)
{
	sandbox *t = *state;
	make_store(t);
	char *answer = match_answer(t);
	char p[SB_PATH_CAP];
	assert_int_equal(unlink(sb_path(t, "disk/p.db-snap", p, sizeof p)), 0);
	fill(t, 0);
	run_limited(t, ARGS("--db", "disk/p.db", "--json", "--as-of", AS_OF,
	                    "match", LEARNER));
	EXPECT_EXIT(t, 0);
	assert_string_equal(t->out, answer);
	free(answer);
	EXPECT(t, no_temporaries(t));
	unfill(t);
}

#define CASE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    CASE(test_load_on_full_disk),
	    CASE(test_token_on_full_disk),
	    CASE(test_read_with_no_room_for_snapshot),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
