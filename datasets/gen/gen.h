/* gen.h - the synthetic dataset generator behind `pathway gen`: a native
 * dataset (SPEC §1) of any size, the same bytes for the same seed and
 * options on every machine. It writes JSON text itself and never opens a
 * store. */
#ifndef PATHWAY_GEN_H
#define PATHWAY_GEN_H

#include "pathway.h"

#include <stddef.h>
#include <stdint.h>

/* Bounds of the counts, checked by gen_write (the CLI checks them first to
 * name the option). */
#define GEN_SKILLS_MIN      100
#define GEN_CREDENTIALS_MIN 20
#define GEN_OCCUPATIONS_MIN 1
#define GEN_OCCUPATIONS_MAX 2000
#define GEN_COUNT_MAX       100000000

typedef struct gen_config {
	uint64_t seed;
	const char *scale; /* preset name, recorded in README.txt */
	size_t skills, credentials, occupations, jobs, learners;
	size_t learners_per_file; /* learners-NNN.json holds at most this */
	pw_date ref;              /* the dataset's "today" */
	const char *counties;     /* Census gazetteer counties file, or NULL
	                             for the built-in county centres */
	const char *out;          /* directory, created when absent */
	const char *overrides;    /* a line for README.txt, or NULL */
} gen_config;

typedef struct gen_summary {
	size_t count[PW_KIND_COUNT];
	size_t files;    /* JSON files written */
	size_t counties; /* county centres the places come from */
	uint64_t bytes;  /* all files written, README.txt included */
} gen_summary;

/* The counts of a preset ("small", "state") into cfg; false when the name
 * is unknown. Sets learners_per_file to its default too. */
bool gen_preset(const char *scale, gen_config *cfg);

/* The reference date used unless the caller picks one: the day the bundled
 * sample calls today, so that output does not depend on the clock. */
pw_date gen_default_ref(void);

/* Writes skills.json, credentials.json, occupations.json, jobs.json,
 * learners-000.json... and README.txt into cfg->out, and removes
 * learners-NNN.json files left by an earlier, larger run there. Fails with
 * PW_ERR_INVALID (counts out of range, a malformed counties file, naming
 * file and line), PW_ERR_IO (cannot create or write; files written so far
 * stay) or PW_ERR_NOMEM. *sum is set on success only. */
pw_status gen_write(const gen_config *cfg, gen_summary *sum, pw_error *err);

#endif
