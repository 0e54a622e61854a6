/* internal.h - private structures shared by the engine's modules.
 *
 * Records (rec_*) are the entities of SPEC §1 as plain C structs: the loader
 * fills them from JSON, the store writes and reads them, show renders them.
 * The model (struct model) is the read-optimised in-memory form that scoring
 * uses: dense integer ids in id order, flat arrays, CSR adjacency.
 */
#ifndef PW_INTERNAL_H
#define PW_INTERNAL_H

#include "pathway.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PW_UNUSED(x) ((void)(x))
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif
#define PW_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PW_DATE_NONE    INT32_MAX

/* ---- errors (error.c) ---- */

#if defined(__GNUC__)
#define PW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PW_PRINTF(f, a)
#endif

pw_status pw_fail(pw_error *err, pw_status st, const char *fmt, ...)
    PW_PRINTF(3, 4);
pw_status pw_oom(pw_error *err);

/* ---- arena (arena.c): bump allocation, freed all at once ---- */

struct arena_block;
typedef struct arena {
	struct arena_block *head;
} arena;

void *arena_alloc(arena *a, size_t size);    /* zeroed; NULL on OOM */
char *arena_strdup(arena *a, const char *s); /* NULL s gives NULL */
char *arena_strndup(arena *a, const char *s, size_t n);
void *arena_memdup(arena *a, const void *p, size_t size);
void arena_release(arena *a);
/* Copies into a, setting *oom on failure (for long runs of copies checked
 * once at the end). */
const char *arena_keep(arena *a, const char *s, bool *oom);

int cmp_u32(const void *x, const void *y); /* qsort of uint32_t */

/* ---- growable buffer (buf.c) ---- */

typedef struct buf {
	char *data;
	size_t len, cap;
	bool failed; /* an allocation failed; further appends are ignored */
} buf;

void buf_init(buf *b);
void buf_release(buf *b);
void buf_append(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) PW_PRINTF(2, 3);
/* Hands over the NUL-terminated contents (NULL if an allocation failed). */
char *buf_detach(buf *b);

/* Growable array of pointers. */
typedef struct ptrvec {
	void **items;
	size_t len, cap;
} ptrvec;
bool ptrvec_push(ptrvec *v, void *p);
void ptrvec_release(ptrvec *v);

/* String-keyed hash map (open addressing); keys are not copied. */
typedef struct strmap {
	const char **keys;
	void **vals;
	size_t len, cap;
} strmap;
bool strmap_put(strmap *m, const char *key, void *val); /* false on OOM */
void *strmap_get(const strmap *m, const char *key);     /* NULL if absent */
bool strmap_has(const strmap *m, const char *key);
void strmap_release(strmap *m);

/* ---- files and text (util.c, text.c) ---- */

/* The whole file, NUL-terminated (len excludes the NUL); max 0 for no
 * limit, else a larger file fails. Failures are PW_ERR_IO. */
pw_status file_read(const char *path, size_t max, char **out, size_t *len,
                    pw_error *err);
/* The files of a call, read whole before anything is parsed. */
typedef struct file_set {
	size_t n;
	char **data;
	size_t *lens;
} file_set;
/* Reads every path (max as for file_read); on failure nothing is kept. */
pw_status file_set_read(file_set *fs, const char *const *paths, size_t n,
                        size_t max, pw_error *err);
void file_set_release(file_set *fs);
#define FILE_SET_DATA(fs) ((const char *const *)(fs)->data)

/* The offset of the first byte of text[0..len) that is not part of
 * well-formed UTF-8 (no overlongs, surrogates or code points past
 * U+10FFFF), or len. */
size_t utf8_invalid_at(const char *text, size_t len);
static inline bool utf8_ok(const char *s)
{
	size_t n = strlen(s);
	return utf8_invalid_at(s, n) == n;
}

/* ---- numbers (util.c) ---- */

/* Round half away from zero to `decimals` places, tolerant of the binary
 * noise of a value that is exactly a half in decimal. */
double num_round(double x, int decimals);
/* Shortest text that reads back as x; reals keep a ".0" when integral. */
void num_format(char out[static 32], double x);

/* ---- JSON writer (jsonw.c) ---- */

typedef struct jsonw {
	buf out;
	bool pretty;
	int depth;
	bool first[64];
	bool after_key;
} jsonw;

void jw_init(jsonw *w, unsigned flags);
void jw_obj(jsonw *w);
void jw_obj_end(jsonw *w);
void jw_arr(jsonw *w);
void jw_arr_end(jsonw *w);
void jw_key(jsonw *w, const char *k);
void jw_str(jsonw *w, const char *s); /* NULL writes null */
void jw_real(jsonw *w, double x);
void jw_int(jsonw *w, long long x);
void jw_bool(jsonw *w, bool b);
void jw_null(jsonw *w);
void jw_date(jsonw *w, pw_date d); /* PW_DATE_NONE writes null */
char *jw_finish(jsonw *w);         /* NULL on allocation failure */

/* ---- text (text.c) ---- */

typedef struct text_needle text_needle;
/* A caseless, Unicode-aware substring finder (PCRE2, literal). */
pw_status text_needle_new(const char *q, text_needle **out, pw_error *err);
bool text_needle_in(const text_needle *n, const char *hay);
void text_needle_free(text_needle *n);
bool text_valid_id(const char *s);
bool text_pattern_ok(const char *pattern, char *msg, size_t msgsz);
bool text_is_soc_code(const char *s);

/* ---- records ---- */

typedef struct rec_location {
	bool present;
	bool has_lat, has_lon;
	double lat, lon;
	const char *county, *city, *state;
} rec_location;

typedef struct rec_wage {
	bool present;
	bool has_min, has_max;
	double min, max;
	const char *unit; /* "hour" | "year" */
} rec_wage;

typedef struct rec_related {
	const char *skill;
	double weight;
} rec_related;

typedef struct rec_code {
	const char *framework, *code;
} rec_code;

typedef struct rec_strs {
	size_t n;
	const char **v;
} rec_strs;

typedef struct rec_skill {
	const char *id, *name, *pattern;
	rec_strs aliases, broader;
	size_t nrelated, ncodes;
	rec_related *related;
	rec_code *codes;
} rec_skill;

typedef struct rec_level {
	const char *skill;
	int level;
} rec_level;

typedef struct rec_credential {
	const char *id, *name, *provider, *url, *description, *type, *modality;
	size_t nskills;
	rec_level *skills;
	bool has_hours, has_cost, has_expires_months, has_college_credits;
	double hours, cost, college_credits;
	int expires_months;
	bool listed;
	rec_strs aliases, occupations, prerequisites, components;
	rec_location location;
} rec_credential;

typedef struct rec_requirement {
	/* a plain requirement has nalts == 0 and uses skill/level; an any_of
	 * requirement lists its alternatives in alts */
	const char *skill;
	int level;
	size_t nalts;
	rec_level *alts;
	int importance;
	bool required;
} rec_requirement;

typedef struct rec_credreq {
	bool any_of;
	rec_strs creds; /* one id for a plain entry */
} rec_credreq;

typedef struct rec_target { /* a job or an occupation */
	const char *id, *title, *description;
	/* job only */
	const char *employer, *url, *owner, *soc;
	bool remote;
	pw_date posted, expires;
	rec_location location;
	/* occupation only */
	rec_strs aliases;
	rec_strs related; /* O*NET-SOC codes; may name occupations not stored */
	int job_zone;     /* 0 = absent */
	const char *education;
	bool has_growth;
	double growth_pct;
	/* both */
	rec_wage wage;
	bool has_openings;
	long long openings;
	size_t nreqs, ncredreqs;
	rec_requirement *reqs;
	rec_credreq *credreqs;
} rec_target;

typedef struct rec_holding {
	const char *credential;
	pw_date earned, expires; /* expires PW_DATE_NONE when absent */
	bool has_source, source_verified, has_source_verified;
	const char *source_format, *source_id;
} rec_holding;

typedef struct rec_learner {
	const char *id, *name, *contact;
	rec_location home;
	bool has_max_commute, has_hours_per_week;
	double max_commute_miles, hours_per_week;
	bool discoverable, share_contact;
	bool has_demographics;
	const char *gender, *race_ethnicity, *age_band;
	size_t nholdings;
	rec_holding *holdings;
} rec_learner;

/* ---- loading (load.c) ---- */

#define JSON_MAX_DEPTH 64
/* Offset where JSON text first nests deeper than JSON_MAX_DEPTH, or
 * SIZE_MAX. */
size_t load_too_deep_at(const char *t, size_t len);
void report_append(pw_report *r, const char *file, const char *path,
                   const char *reason);
void report_appendf(pw_report *r, const char *file, const char *path,
                    const char *fmt, ...) PW_PRINTF(4, 5);

/* The loader's validation and single-transaction write, for documents an
 * importer built in the native format (one JSON object per document with
 * the arrays of SPEC §1). The documents are not consumed. */
struct json_t;
pw_status load_json_docs(pw_engine *e, const char *const *names,
                         struct json_t *const *docs, size_t n, pw_report *rep,
                         pw_load_summary *sum, pw_error *err);

/* ---- tabular files (table.c) ---- */

/* A TSV or CSV file read whole: header found among the first lines as the
 * first one naming every required column, fields bound by header name. */
typedef struct table table;

/* name labels the file in reports. A missing required column is reported
 * (at "line 1") and fails with PW_ERR_INVALID; a missing file fails with
 * PW_ERR_NOT_FOUND. */
pw_status table_open(const char *path, const char *name, char sep,
                     const char *const *required, pw_report *rep, table **out,
                     pw_error *err);
void table_close(table *t);
/* Records may then differ from the header in their number of fields;
 * otherwise such a record is reported and skipped. */
void table_allow_ragged(table *t);
const char *table_name(const table *t);             /* as given to table_open */
int table_column(const table *t, const char *name); /* -1 when absent */
size_t table_columns(const table *t);
const char *table_header(const table *t, size_t i);
/* 1 with a record, 0 at the end, -1 when out of memory. Blank lines are
 * skipped. */
int table_next(table *t, pw_error *err);
/* The field of the current record ("" when col is -1 or beyond it). */
const char *table_get(const table *t, int col);
size_t table_fields(const table *t);
size_t table_line(const table *t); /* where the current record starts */
/* "line N" and "line N, column 'NAME'" for reports (thread-local buffer,
 * valid until the next call). */
const char *table_where(table *t);
const char *table_where_col(table *t, int col);
/* Bytes read so far and in all, for progress. */
size_t table_done(const table *t);
size_t table_size(const table *t);

/* ---- store (store.c): the only module that speaks SQL ---- */

typedef struct store store;

/* What a store file looked like when last known sound: st_dev, st_ino,
 * size, and modification and change times to the nanosecond. Any change
 * made to the file outside pathway alters one of them. */
typedef struct fileprint {
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
} fileprint;

enum store_flags {
	STORE_CREATE = 1u << 0, /* create the file and its schema if absent */
	/* check the file (PRAGMA quick_check) unless it is as it was when
	 * pathway last wrote or checked it; without it the caller vouches
	 * for the file (another handle of this process checked it) */
	STORE_CHECK = 1u << 1,
};

pw_status store_open(const char *path, unsigned flags, store **out,
                     pw_error *err);
void store_close(store *s);
const char *store_path(const store *s);
/* PATH-snap for a store in a file; NULL for an in-memory or URI store. */
const char *store_snapshot_path(const store *s);
/* The store file's print as it is now; false for an in-memory or URI
 * store, or when it cannot be read. */
bool store_file_print(const store *s, fileprint *out);

/* Monotonic counter of committed writes (PRAGMA data_version and our own),
 * so a cached model knows when it is stale. */
pw_status store_version(store *s, long long *out, pw_error *err);

/* A read transaction: every scan inside it sees one state of the store. */
pw_status store_read_begin(store *s, pw_error *err);
void store_read_end(store *s);
/* The store's identity (meta 'store_id'); false when it has none. */
bool store_id(store *s, char out[static 40]);

pw_status store_begin(store *s, pw_error *err);
/* store_begin for a large write: SQLite's page cache grows to cache_mib
 * MiB until the commit or rollback. */
pw_status store_begin_bulk(store *s, size_t cache_mib, pw_error *err);
pw_status store_commit(store *s, pw_error *err);
void store_rollback(store *s);

/* Existence and graph look-ups used by the loader's validation. */
pw_status store_exists(store *s, pw_kind kind, const char *id, bool *out,
                       pw_error *err);
/* Calls fn(ctx, from, to) for each stored edge of the kind: "broader",
 * "prerequisites" or "components". */
pw_status store_each_edge(store *s, const char *relation,
                          void (*fn)(void *ctx, const char *from,
                                     const char *to),
                          void *ctx, pw_error *err);

pw_status store_put_skill(store *s, const rec_skill *r, pw_error *err);
pw_status store_put_credential(store *s, const rec_credential *r,
                               pw_error *err);
/* The same in two parts, the entity's own row and the rows that name it
 * (aliases, edges, granted skills...), so that a bulk write can put every
 * parent row before any child row: a child naming a parent not yet written
 * is a pending deferred foreign-key violation, and while one is pending
 * SQLite scans the child tables on every parent insert. */
pw_status store_put_skill_row(store *s, const rec_skill *r, pw_error *err);
pw_status store_put_skill_edges(store *s, const rec_skill *r, pw_error *err);
pw_status store_put_credential_row(store *s, const rec_credential *r,
                                   pw_error *err);
pw_status store_put_credential_edges(store *s, const rec_credential *r,
                                     pw_error *err);
pw_status store_put_occupation(store *s, const rec_target *r, pw_error *err);
pw_status store_put_job(store *s, const rec_target *r, pw_error *err);
pw_status store_put_learner(store *s, const rec_learner *r, pw_error *err);
/* Deletes a job row and its requirement rows (inside the caller's
 * transaction); *deleted is false when there was none. */
pw_status store_delete_job(store *s, const char *id, bool *deleted,
                           pw_error *err);

/* Reading one entity whole into records allocated from a. PW_ERR_NOT_FOUND
 * when absent. */
pw_status store_get_skill(store *s, arena *a, const char *id, rec_skill *out,
                          pw_error *err);
pw_status store_get_credential(store *s, arena *a, const char *id,
                               rec_credential *out, pw_error *err);
pw_status store_get_target(store *s, arena *a, pw_kind kind, const char *id,
                           rec_target *out, pw_error *err);
pw_status store_get_learner(store *s, arena *a, const char *id,
                            rec_learner *out, pw_error *err);

/* Whole-table scans, rows in id order (child rows by owner, then position).
 * The columns of each scan are listed beside its SQL in store.c. */
enum scan_id {
	SCAN_SKILLS,
	SCAN_SKILL_BROADER,
	SCAN_SKILL_RELATED,
	SCAN_CREDS,
	SCAN_CRED_SKILLS,
	SCAN_CRED_PREREQS,
	SCAN_CRED_COMPONENTS,
	SCAN_JOBS,
	SCAN_OCCS,
	SCAN_REQS,
	SCAN_REQ_SKILLS,
	SCAN_CREDREQS,
	SCAN_LEARNERS,
	SCAN_HOLDINGS,
	SCAN_NAMES_SKILL, /* id, name, aliases joined by U+001F */
	SCAN_NAMES_CRED,
	SCAN_NAMES_CRED_LISTED, /* the same, listed credentials only */
	SCAN_NAMES_OCC,
	SCAN_NAMES_JOB,
	SCAN_NAMES_LEARNER,
	SCAN_TOKENS,         /* id, role, subject, created, revoked */
	SCAN_SKILL_CODES,    /* skill, framework, code */
	SCAN_SKILL_PATTERNS, /* id, name, pattern: skills that carry one */
	SCAN_CRED_URLS,      /* id, url: credentials that carry one */
	SCAN_DEMOGRAPHICS,   /* id, gender, race_ethnicity, age_band:
	                        learners that carry demographics; read
	                        by the outcomes view only (SPEC §10) */
	SCAN_JOB_SOC,        /* id, soc: jobs that carry one (demand.c) */
	SCAN_OCC_OUTLOOK,    /* id, openings, growth_pct (demand.c) */
	SCAN_COUNT
};
typedef struct scan_row scan_row;
pw_status store_scan(store *s, enum scan_id id,
                     pw_status (*fn)(void *ctx, const scan_row *row), void *ctx,
                     pw_error *err);
bool row_null(const scan_row *r, int i);
const char *row_text(const scan_row *r, int i); /* valid during the call */
double row_real(const scan_row *r, int i);
long long row_int(const scan_row *r, int i);
pw_date row_date(const scan_row *r, int i);

/* Tokens: digest of the secret, role, subject (learner id or employer),
 * created and revoked times. */
pw_status store_put_token(store *s, const char *id, const uint8_t *digest,
                          size_t len, const char *role, const char *subject,
                          const char *created, pw_error *err);
pw_status store_get_token(store *s, const char *id, uint8_t *digest, size_t len,
                          char *role, size_t rolesz, char *subject,
                          size_t subjectsz, bool *revoked, pw_error *err);
pw_status store_revoke_token(store *s, const char *id, const char *when,
                             bool *changed, pw_error *err);

/* ---- records to native JSON (records.c) ---- */

void rec_write_skill(jsonw *w, const rec_skill *r);
void rec_write_credential(jsonw *w, const rec_credential *r);
void rec_write_occupation(jsonw *w, const rec_target *r);
void rec_write_job(jsonw *w, const rec_target *r);
void rec_write_learner(jsonw *w, const rec_learner *r);

/* ---- the in-memory model (model.c) ---- */

typedef struct u32vec {
	uint32_t *v;
	uint32_t n, cap;
} u32vec;

typedef struct loc {
	bool has_coords;
	double lat, lon;
	const char *county, *state; /* NULL when absent */
} loc;

/* Index 0..n-1 of each kind follows the byte order of the ids, so the
 * "smallest id" tie-breaks of SPEC §4 and §9 compare integers. */
typedef struct model {
	arena mem;

	uint32_t nskills;
	const char **skill_id, **skill_name;
	/* spread: what holding skill t shows, as CSR over t:
	 * (skill s, factor, via) meaning have(s) >= factor * level(t) */
	uint32_t *spread_off, *spread_to;
	double *spread_factor;
	uint8_t *spread_via;

	uint32_t ncreds;
	const char **cred_id, **cred_name;
	double *cred_hours, *cred_cost;        /* NAN when unknown */
	double *cred_college_credits;          /* 0 when absent */
	int32_t *cred_expires_months;          /* 0 = never */
	uint8_t *cred_listed, *cred_remote_ok; /* remote_ok: online modality */
	loc *cred_loc;
	uint32_t *cskill_off,
	    *cskill_skill; /* CSR: credential -> (skill, level) */
	uint8_t *cskill_level;
	uint32_t *prereq_off, *prereq; /* CSR: credential -> prerequisites */
	uint32_t *comp_off, *comp;     /* CSR: credential -> components */
	uint32_t *parent_off,
	    *parent; /* CSR: credential -> stacks it is part of */

	/* Targets (postings and occupations) and learners change in place when
	 * the API writes one: their per-entity arrays and the pools their lists
	 * live in are malloc'd and grow; a replaced list is appended to its
	 * pool and re-pointed (off, cnt), the old span left unused until the
	 * next rebuild. Entities built from the store come in id order; those
	 * added later are appended, so ties compare ids, not indexes. */
	uint32_t njobs, nocc; /* as built: jobs 0..njobs-1, then occupations */
	uint32_t ntargets, tcap;
	const char **t_id, **t_title, **t_employer;
	uint8_t *t_remote, *t_occ, *t_deleted;
	loc *t_loc;
	double *t_wage; /* annual, NAN when unknown */
	int64_t *t_openings;
	pw_date *t_expires;
	uint32_t *req_off, *req_cnt;   /* target -> requirements */
	uint32_t *creq_off, *creq_cnt; /* target -> credential entries */
	uint32_t nreq, rcap;           /* the requirement pool */
	uint8_t *req_importance, *req_required;
	uint8_t *req_any;            /* requirement written as any_of */
	uint32_t *alt_off, *alt_cnt; /* requirement -> alternatives */
	uint32_t nalt, acap;         /* the alternative pool */
	uint32_t *alt_skill;
	uint8_t *alt_level;
	uint32_t nent, ecap;                   /* the credential-entry pool */
	uint32_t *creq_alt_off, *creq_alt_cnt; /* entry -> alternatives */
	uint32_t ncc, ccap;                    /* the entry-alternative pool */
	uint32_t *creq_cred;
	/* ids of targets added or deleted in place: id -> index + 1, or NULL
	 * when deleted; the built targets are found by binary search */
	strmap t_map;
	/* targets with no required skill: qualified without any skill, so
	 * every learner must be scored against them */
	uint32_t *open_ended;
	uint32_t nopen_ended, ocap;

	/* inverted indexes: skill -> targets requiring it (any alternative),
	 * skill -> credentials granting it, credential -> learners listing
	 * it, credential -> targets requiring it. Entries may be stale after
	 * a write (harmless: they only nominate what is then scored); what a
	 * write adds goes to the *_x lists, read after the base CSR. */
	uint32_t *sk_target_off, *sk_target;
	uint32_t *sk_cred_off, *sk_cred;
	uint32_t *holder_off, *holder;
	uint32_t *creq_target_off, *creq_target;
	u32vec *sk_target_x, *holder_x, *creq_target_x; /* NULL until a write */
	/* The grid (geo.c): sk_target and holder lists are sorted by the
	 * key of their target or learner, with the keys beside them; tgeo and
	 * lgeo list the built targets and learners by key. Targets and
	 * learners written in place are in t_written and l_written, which
	 * every range query also checks. */
	uint32_t *sk_target_key, *holder_key;
	/* sk_target has one posting per requirement alternative (a target may
	 * appear more than once), with what scoring needs beside it:
	 * the level needed, and the importance with POST_REQUIRED when the
	 * requirement is required. For a built target with requirements
	 * (TB_BOUNDED), summing Σ importance × coverage over its postings,
	 * over TB_WSUM, bounds its score from above (exactly, when no
	 * requirement is any_of), and counting the required postings met
	 * reaches TB_NREQUIRED whenever it may be qualified. */
	uint8_t *sk_target_need, *sk_target_w;
	uint32_t *t_bound; /* TB_* bits, below */
	uint32_t *tgeo, *tgeo_key, *lgeo, *lgeo_key;
	/* the built targets by annual wage (known first, highest first),
	 * then index: how targets that score 0 rank (SPEC §4) */
	uint32_t *twage;
	double l_reach; /* the longest max_commute_miles of built learners */
	u32vec t_written, l_written;

	uint32_t nlearners, lcap;
	const char **l_id, **l_name, **l_contact;
	loc *l_home;
	double *l_max_commute, *l_hours_per_week;
	uint8_t *l_discoverable, *l_share_contact;
	uint32_t *hold_off, *hold_cnt; /* learner -> holdings */
	uint32_t nhold, hcap;          /* the holding pool */
	uint32_t *hold_cred;
	pw_date *hold_from, *hold_until; /* held when from <= as_of < until */
	uint32_t nlearners_built;        /* found by binary search */
	strmap l_map; /* learners added in place: id -> index + 1 */

	/* A model mapped from a snapshot file (snapshot.c): the numeric
	 * columns point into the mapping until the first in-place write
	 * copies the mutable ones (model_thaw). */
	void *map;
	size_t map_len;
	bool mapped_cols; /* mutable numeric columns still in the mapping */
} model;

#define POST_REQUIRED 0x80
/* t_bound of a built target: Σ importance (low 16 bits), the number of
 * required requirements (next 8), and whether its postings bound its
 * score (TB_BOUNDED: it has requirements and both counts fit). */
#define TB_WSUM(x)      ((x)&0xffffu)
#define TB_NREQUIRED(x) (((x) >> 16) & 0xffu)
#define TB_BOUNDED      (1u << 24)

/* Builds the model from the store inside one read transaction; *version
 * receives the store's write counter the model reflects. */
pw_status model_build(store *s, model **out, long long *version, pw_error *err);
void model_free(model *m);
/* The longest max_commute_miles among the built learners. */
double model_reach(const model *m);
/* Copies the mapped mutable columns to the heap before an in-place write. */
bool model_thaw(model *m);

/* ---- snapshot files (snapshot.c) ---- */

/* Beside the store: PATH-snap. */
#define SNAPSHOT_SUFFIX "-snap"

/* The model written to path (through a temporary file and a rename) for
 * the store identified by store_id at write counter version; sound (may be
 * NULL) is the store file's print as this process knows it sound. */
pw_status snapshot_write(const model *m, const char *path, const char *store_id,
                         long long version, const fileprint *sound,
                         pw_error *err);
/* The store file's print recorded in the snapshot at path as last known
 * sound; false when there is no snapshot of this format there. */
bool snapshot_sound_get(const char *path, fileprint *out);
/* Records fp in the snapshot at path, if there is one of this format. */
void snapshot_sound_put(const char *path, const fileprint *fp);
/* The model mapped from path when the file is a valid snapshot of the same
 * store at the same version; PW_ERR_NOT_FOUND when absent or stale (the
 * caller builds instead), PW_ERR_INVALID when damaged. */
pw_status snapshot_map(const char *path, const char *store_id,
                       long long version, model **out, pw_error *err);

/* The spans of the mutable lists. */
#define REQ_BEGIN(m, t)  ((m)->req_off[t])
#define REQ_END(m, t)    ((m)->req_off[t] + (m)->req_cnt[t])
#define ALT_BEGIN(m, r)  ((m)->alt_off[r])
#define ALT_END(m, r)    ((m)->alt_off[r] + (m)->alt_cnt[r])
#define CREQ_BEGIN(m, t) ((m)->creq_off[t])
#define CREQ_END(m, t)   ((m)->creq_off[t] + (m)->creq_cnt[t])
#define CALT_BEGIN(m, e) ((m)->creq_alt_off[e])
#define CALT_END(m, e)   ((m)->creq_alt_off[e] + (m)->creq_alt_cnt[e])
#define HOLD_BEGIN(m, l) ((m)->hold_off[l])
#define HOLD_END(m, l)   ((m)->hold_off[l] + (m)->hold_cnt[l])

/* Live target or learner by id: index, or -1. */
int64_t model_target(const model *m, const char *id);
int64_t model_learner(const model *m, const char *id);
/* Orders two targets (learners) by id. */
int model_cmp_target(const model *m, uint32_t a, uint32_t b);
int model_cmp_learner(const model *m, uint32_t a, uint32_t b);

/* In-place writes (under the caller's exclusive access). Each returns
 * PW_ERR_INVALID, changing nothing, when the record names something the
 * model does not know (a skill or credential of the same batch): the
 * caller then rebuilds instead. */
pw_status model_put_job(model *m, const rec_target *r, pw_error *err);
pw_status model_put_learner(model *m, const rec_learner *r, pw_error *err);
void model_delete_target(model *m, const char *id);

/* id -> dense index by binary search; -1 when absent. */
int64_t model_find(const char *const *ids, uint32_t n, const char *id);

/* ---- scoring (score.c) ---- */

/* Per-query working state for one learner at one date. */
typedef struct scorer {
	const model *m;
	pw_date as_of;
	uint8_t *held;      /* [ncreds] */
	uint8_t *level;     /* [nskills] the learner's level per skill */
	uint32_t *lvl_cred; /* [nskills] smallest credential granting level */
	double *have;       /* [nskills] */
	uint8_t *have_via;  /* [nskills] pw_via */
	uint32_t *have_src; /* [nskills] skill that gave have */
	uint32_t *touched;  /* skills with have > 0 */
	uint32_t ntouched;
	uint32_t *leveled; /* skills with level > 0 */
	uint32_t nleveled;
	uint32_t *held_list; /* credentials held, ascending */
	uint32_t nheld;
} scorer;

typedef struct req_eval {
	uint32_t alt; /* index into alt_* of the alternative reported */
	double have;
	double coverage; /* exact */
} req_eval;

typedef struct target_eval {
	int score10; /* score in tenths, rounded */
	bool qualified;
} target_eval;

pw_status scorer_init(scorer *sc, const model *m, pw_error *err);
void scorer_release(scorer *sc);
/* Holds what learner (or nobody, when learner < 0) holds at as_of, plus the
 * extra credentials given. */
void scorer_set(scorer *sc, int64_t learner, pw_date as_of,
                const uint32_t *extra, size_t nextra);
/* Scores target t; evals (may be NULL) receives one entry per requirement. */
target_eval scorer_eval(const scorer *sc, uint32_t t, req_eval *evals);
bool scorer_cred_entry_held(const scorer *sc, uint32_t entry, uint32_t *which);

/* ---- what `next` and `demand` share (plan.c) ---- */

/* Is c earnable by learner l now (SPEC §5), its prerequisites held?
 * held0: what l holds at as-of, stacks included. */
bool plan_earnable_now(const model *m, int64_t l, const uint8_t *held0,
                       uint32_t c);
/* Does earning c complete a stack (all its other components held)? */
bool plan_completes_stack(const model *m, const uint8_t *held0, uint32_t c);
/* The learner's state with credential c earned, when c completes no
 * stack: have is nh where nhs is mark, else base_have. */
typedef struct after_ctx {
	const model *m;
	const double *base_have, *nh;
	const uint32_t *nhs;
	uint32_t mark;
	const uint8_t *held0;
	uint32_t c;
} after_ctx;
/* Is the learner qualified for t with c earned (as scorer_eval decides)? */
bool plan_qualified_after(const after_ctx *x, uint32_t t);

/* ---- the grid (geo.c) ---- */

/* 0 for what every range check must see (remote, or no coordinates), else
 * 1 + the place's grid cell. */
uint32_t geo_key(const loc *l, bool remote);
typedef struct geo_range {
	uint32_t lo, hi; /* keys, inclusive */
} geo_range;
#define GEO_MAX_RANGES (2 * 900)
/* The key ranges of the cells within miles of at (a superset of the
 * circle), at most GEO_MAX_RANGES; 0 when at has no coordinates (then
 * every place must be checked). Key 0 is never included. */
size_t geo_ranges(const loc *at, double miles, geo_range *out);
/* First index in keys[lo..hi) whose key is >= key. */
uint32_t geo_lower(const uint32_t *keys, uint32_t lo, uint32_t hi,
                   uint32_t key);
typedef struct geo_span {
	uint32_t a, b; /* indexes [a, b) */
} geo_span;
/* The spans of the key-sorted list keys[lo..hi) with key 0 or a key in
 * rg[0..nr) (ascending): at most nr + 1. With nr == 0, all of it. */
size_t geo_spans(const uint32_t *keys, uint32_t lo, uint32_t hi,
                 const geo_range *rg, size_t nr, geo_span *out);
/* order[] = 0..n-1 sorted by key, stably. */
bool geo_order(uint32_t n, const uint32_t *key, uint32_t *order);

/* Haversine miles; range per SPEC §3. */
double geo_miles(double lat1, double lon1, double lat2, double lon2);

/* ---- regions (region.c) ---- */

/* Is a place in the region (NULL: the whole store)? Remoteness is the
 * caller's: a remote job is in every region. */
bool region_has(const pw_region *r, const loc *l);
/* The region as the documents of SPEC §10 name it: {} for the whole
 * store, {"county": [...]}, {"state": "XX"}, or
 * {"near": {"lat", "lon"}, "radius"}. */
void region_json(jsonw *w, const pw_region *r);
bool geo_in_range(const loc *home, double max_miles, const loc *place,
                  bool remote, bool *has_distance, double *distance);

/* Finds a job id or an occupation code among the targets. */
pw_status engine_find_target(const model *m, const char *id, int64_t *out,
                             pw_error *err);
pw_status engine_find_learner(const model *m, const char *id, int64_t *out,
                              pw_error *err);
bool engine_target_open(const model *m, uint32_t t, pw_date as_of);
/* pw_match_learner and pw_plan_target without releasing the shared hold
 * on the model (engine.c, plan.c): for a view that asks many of them
 * under one hold, released by its own engine_done. */
pw_status match_learner_locked(pw_engine *e, const char *learner,
                               const pw_match_opts *o, pw_match **out,
                               pw_error *err);
pw_status plan_target_locked(pw_engine *e, const char *learner,
                             const char *target, pw_date as_of, pw_objective by,
                             pw_plan **out, pw_error *err);

/* ---- the engine handle ---- */

/* The in-memory model and who may touch it. Handles opened as siblings
 * share one: queries hold the lock shared for as long as they read the
 * model; writes hold it exclusive across their commit and the in-place
 * update, so no query sees a half-written model. */
typedef struct shared {
	pthread_rwlock_t lock;
	pthread_mutex_t refs_lock;
	int refs;
	model *m;          /* NULL until first needed */
	long long version; /* the store's write counter the model reflects */
	/* the skill extractor (extract.h), guarded by refs_lock, rebuilt
	 * when the store's write counter moves past x_version */
	struct extractor *x;
	long long x_version;
} shared;

/* Per-handle working memory kept from one query to the next (a handle
 * serves one thread at a time): the scorer, sized to the model's skills
 * and credentials, and stamps that mark targets or learners without
 * clearing an array per query. */
typedef struct query_mem {
	scorer sc;
	bool sc_ready;
	uint32_t sc_nskills, sc_ncreds; /* what sc's arrays are sized for */
	uint32_t *stamp;
	size_t nstamp;
	uint32_t gen;
	/* match: per target, its mark, score bound and required met, side
	 * by side so that a posting costs one cache line; and buffers */
	struct tacc {
		uint32_t stamp;
		float acc;
		uint32_t met;
	} * tacc;
	size_t ntacc;
	uint32_t tgen;
	uint32_t *cand;
	size_t ncand_cap;
	void *nom;
	size_t nom_cap;
	geo_range ranges[GEO_MAX_RANGES];
	geo_span spans[GEO_MAX_RANGES + 1];
	struct plan_mem *pm; /* plan.c's, NULL until a plan needs it */
} query_mem;

/* Frees what plan.c keeps in a handle's query_mem. */
void plan_mem_free(struct plan_mem *pm);
/* Frees a handle's working memory (pw_close, and worker handles). */
void query_mem_free(query_mem *x);

struct pw_engine {
	store *st;
	shared *sh;
	bool reading; /* this handle holds sh->lock shared */
	query_mem *x; /* NULL until a query needs it */
};

/* The handle's working memory, made on first use (NULL: out of memory). */
query_mem *engine_query_mem(pw_engine *e);
/* The handle's scorer, made for m (reset by scorer_set). */
pw_status engine_scorer(pw_engine *e, const model *m, scorer **out,
                        pw_error *err);
/* Stamps for n items and a mark value no stamp holds yet. */
pw_status engine_stamps(pw_engine *e, size_t n, uint32_t **stamp,
                        uint32_t *mark, pw_error *err);
/* Per-target accumulators for n targets and a fresh mark. */
pw_status engine_target_acc(pw_engine *e, size_t n, struct tacc **acc,
                            uint32_t *mark, pw_error *err);
/* Buffers kept across queries: *p grown to hold n items of size bytes. */
bool engine_buffer(void **p, size_t *cap, size_t n, size_t size);
/* How many threads, besides the caller's, a pass over n independent items
 * starts: one a processor (the caller's among them), at most
 * ENGINE_WORKERS_MAX, none to do fewer than `per` items. The environment's
 * PATHWAY_WORKERS, when set, stands for the processors and lifts the floor
 * (so tests reach the parallel paths on small data, on any machine). */
#define ENGINE_WORKERS_MAX 8
size_t engine_workers(size_t n, size_t per);

/* The model for the store as it is now, built or rebuilt when stale; holds
 * the lock shared until engine_done. Calling it again while reading just
 * returns the model. */
pw_status engine_model(pw_engine *e, const model **out, pw_error *err);
void engine_done(pw_engine *e);
/* Exclusive access for a write (releases a shared hold first). */
void engine_write_begin(pw_engine *e);
void engine_write_end(pw_engine *e);

#endif
