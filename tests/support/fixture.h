/* fixture.h - helpers shared by the cmocka test binaries: an engine on an
 * in-memory store, loading JSON text, a canonical dump of everything stored
 * (to prove a rejected write changed nothing), and the pieces random
 * instances are made of (a seeded generator and a growable text). */
#ifndef PATHWAY_FIXTURE_H
#define PATHWAY_FIXTURE_H

#include "pathway.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
/* cmocka.h needs the three headers above first */
#include <cmocka.h>
#include <stdint.h>

/* An engine on a fresh in-memory store; fails the test on error. */
pw_engine *fx_open(void);

/* Loads one document named "test.json". *rep (when rep is not NULL)
 * receives the report, to be freed by the caller. */
pw_status fx_load(pw_engine *e, const char *json, pw_report **rep);
pw_status fx_load_many(pw_engine *e, const char *const *names,
                       const char *const *docs, size_t n, pw_report **rep);
/* Loads and fails the test unless the load succeeds. */
void fx_load_ok(pw_engine *e, const char *json);

/* Every entity of every kind as native JSON, in id order. */
char *fx_dump(pw_engine *e);

/* Does the report hold an entry with this file and path whose reason
 * contains `reason` (any NULL argument matches anything)? */
bool fx_report_has(const pw_report *r, const char *file, const char *path,
                   const char *reason);
/* The whole report as text, for failure messages. */
char *fx_report_text(const pw_report *r);

pw_date fx_date(const char *ymd);

/* A file's contents, NUL-terminated; NULL when unreadable. */
char *fx_read_file(const char *path, size_t *len);

/* A copy of s with every ' turned into ", so that JSON in a test can be
 * written without escapes (no test data needs a literal apostrophe; \"
 * stays as it is); the caller frees it. */
char *fx_dq(const char *s);

/* A deterministic generator (a 64-bit LCG): a seed names the same sequence,
 * hence the same random instances, on every machine and every run. Seed it
 * directly: fx_rng r = {seed}. */
typedef struct fx_rng {
	uint64_t s;
} fx_rng;

/* The next number in [0, n), n > 0 (bits 33-63 of the new state, mod n). */
unsigned fx_rand(fx_rng *r, unsigned n);

/* A growable NUL-terminated string; starts as {0} (text NULL until the
 * first fx_put). text belongs to the caller: fx_text_free, or take text and
 * free() it. */
typedef struct fx_text {
	char *text;
	size_t len, cap;
} fx_text;

/* Appends the formatted text; fails the test when memory runs out. */
void fx_put(fx_text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void fx_text_free(fx_text *t);

#endif
