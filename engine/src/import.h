/* import.h - shared by the importers of public standards (import_*.c,
 * jobposting.c): reading stored entities as native JSON, merging skills,
 * ids, progress and notes, and the write through the loader. */
#ifndef PATHWAY_IMPORT_H
#define PATHWAY_IMPORT_H

#include "internal.h"

#include <jansson.h>

/* Credits that documents written from imported data carry (FORMATS.md §5,
 * §6). */
#define IMP_ONET_CREDIT                                                        \
	"This document includes information from the O*NET Database by the "   \
	"U.S. Department of Labor, Employment and Training Administration "    \
	"(USDOL/ETA). Used under the CC BY 4.0 license. O*NET(R) is a "        \
	"trademark of USDOL/ETA. Pathway has modified all or some of this "    \
	"information. USDOL/ETA has not approved, endorsed, or tested these "  \
	"modifications."
#define IMP_ESCO_CREDIT                                                        \
	"Skill names from ESCO, (c) European Union, used under CC BY 4.0."

/* The stored entity in the native format; PW_ERR_NOT_FOUND when absent. */
pw_status imp_stored(pw_engine *e, pw_kind kind, const char *id, json_t **out,
                     pw_error *err);
/* {code: skill id} for the stored skills that carry a code of framework
 * ("onet", "esco"). */
pw_status imp_skills_by_code(pw_engine *e, const char *framework, json_t **out,
                             pw_error *err);
/* SPEC §6: merges a framework's skill into the stored one. The name is set
 * (the old one is kept as an alias); aliases, broader, codes and related
 * edges are added; a pattern is added when the skill had none. Nothing the
 * skill had is removed. -1 when out of memory. */
int imp_merge_skill(json_t *stored, json_t *incoming);

void imp_progress(const pw_import_opts *o, const char *stage, size_t done,
                  size_t total);
/* Something read but not mapped: to o->notes, counted in sum->notes. */
void imp_note(const pw_import_opts *o, pw_import_summary *sum, const char *file,
              const char *path, const char *fmt, ...) PW_PRINTF(5, 6);

/* FNV-1a 64 of s[0..n), continuing from h (0 to start). */
uint64_t imp_hash(const char *s, size_t n, uint64_t h);
/* prefix + a lowercase ASCII slug of text ("Home Health Aide" ->
 * "prefix" "home-health-aide"), with a hash suffix when the text did not fit
 * or had no letters; always a valid id when prefix is. */
void imp_slug_id(const char *prefix, const char *text, char out[static 129]);

/* Validates doc (native format) exactly as `load` does and writes it in one
 * transaction; sum gets created/updated counts per kind. */
pw_status imp_write(pw_engine *e, const pw_import_opts *o, const char *name,
                    json_t *doc, pw_report *rep, pw_import_summary *sum,
                    pw_error *err);

#endif
