/* extract.h - the skill extractor (SPEC §8) for engine modules that search
 * many texts against one catalog: the JobPosting importer (several fields
 * per posting) and the ESCO evaluation (many sentences).
 *
 * Build an extractor once from the store, then run it over each text with
 * one ext_hits reused across runs (it keeps its scratch memory, so a run
 * allocates nothing in the steady state). An extractor is read-only once
 * built: several threads may run it at once, each with its own ext_hits.
 *
 * Hits: names and aliases of skills found caseless on whole tokens, and
 * matches of each skill's own pattern (word-bounded, caseless), chosen
 * longest first with no two overlapping, listed by start offset. The
 * tie-breaks are stated in extract.c's header.
 */
#ifndef PW_EXTRACT_H
#define PW_EXTRACT_H

#include "internal.h"

typedef struct extractor extractor;

enum ext_kind {
	EXT_NAME = 0, /* the skill's name */
	EXT_ALIAS,    /* one of its aliases */
	EXT_PATTERN   /* its own PCRE2 pattern */
};

typedef struct ext_hit {
	uint32_t skill; /* dense index, 0..extractor_skills()-1, in id order */
	const char *id, *name; /* owned by the extractor */
	size_t start, end;     /* byte offsets into the text, end exclusive */
	enum ext_kind kind;
} ext_hit;

struct ext_scratch;
typedef struct ext_hits {
	ext_hit *v; /* by start offset */
	size_t n;
	struct ext_scratch *scratch; /* private: reused across runs */
} ext_hits;

void ext_hits_init(ext_hits *h);
void ext_hits_release(ext_hits *h); /* frees the hits and the scratch */

/* Builds an extractor from the skills stored now (names, aliases and
 * patterns). A store with no skills gives an extractor that finds nothing.
 * A pattern that PCRE2 cannot compile with the extractor's options is left
 * out (the loader has already refused patterns that do not compile). */
pw_status extractor_build(pw_engine *e, extractor **out, pw_error *err);
pw_status extractor_build_store(store *s, extractor **out, pw_error *err);
/* Extractors are reference-counted (engine_extractor shares one): this
 * drops one reference and frees the extractor with the last. Accepts NULL. */
void extractor_free(extractor *x);

/* Distinct normalised terms (names and aliases) in the dictionary, and the
 * number of skills, for reports and benchmarks. */
size_t extractor_terms(const extractor *x);
size_t extractor_skills(const extractor *x);
size_t extractor_patterns(const extractor *x);

/* Finds the skills in text[0..len). out->v and out->n are replaced (hits
 * from an earlier run are gone). PW_ERR_INVALID when text is not UTF-8
 * (the message names the byte offset) or when a pattern exceeds PCRE2's
 * match limit on this text (the message names the skill); out is then
 * empty. */
pw_status extractor_run(const extractor *x, const char *text, size_t len,
                        ext_hits *out, pw_error *err);

/* The extractor for the store as it is now, cached in the handle's shared
 * state (one for all sibling handles) and rebuilt when the store's write
 * counter has moved. The caller gets its own reference: release it with
 * extractor_free. No lock is held after the call returns. */
pw_status engine_extractor(pw_engine *e, extractor **out, pw_error *err);

/* The tokens of text as the extractor reads it, for tests and the fuzz
 * target: spans[2i], spans[2i+1] are the offsets of token i and gaps[i]
 * (when not NULL) what separates it from the one before: 0 soft, 1 hard,
 * 2 a stop (see extract.c). pcre_only bypasses the ASCII scanner. *count
 * receives the number of tokens, of which at most max are stored. */
pw_status ext_tokens(const extractor *x, const char *text, size_t len,
                     bool pcre_only, size_t *spans, int *gaps, size_t max,
                     size_t *count, pw_error *err);

#endif
