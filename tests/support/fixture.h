/* fixture.h - helpers shared by the cmocka test binaries: an engine on an
 * in-memory store, loading JSON text, and a canonical dump of everything
 * stored (to prove a rejected write changed nothing). */
#ifndef PATHWAY_FIXTURE_H
#define PATHWAY_FIXTURE_H

#include "pathway.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
/* cmocka.h needs the three headers above first */
#include <cmocka.h>

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

#endif
