/* pathway.h - the public interface of the Pathway matching engine.
 *
 * One header for every front end (the CLI, the HTTP API, tests). It exposes
 * no SQLite, jansson or PCRE2 type, so storage and parsing can change without
 * touching a caller.
 *
 * Ownership, stated once for the whole API:
 *   - A function that returns a pointer through an out-parameter hands the
 *     caller ownership; free it with the matching pw_*_free() (or pw_free()
 *     for plain strings). Out-parameters are set on success only.
 *   - Every pw_*_free() and pw_close() accepts NULL.
 *   - Strings inside a result belong to that result and live until it is
 *     freed; they never point into the engine.
 *   - Fallible calls return a pw_status and take a nullable pw_error * last.
 *
 * Threads: a pw_engine is used by one thread at a time. Handles opened with
 * pw_open_sibling share one in-memory model across threads: queries read
 * it under a shared lock, writes update it in place under an exclusive one.
 */
#ifndef PATHWAY_H
#define PATHWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PW_VERSION "0.1.0"

/* Stable status codes. New codes are only ever appended. */
typedef enum pw_status {
	PW_OK = 0,
	PW_ERR_INVALID,   /* bad input: usage, data, a date, a query option */
	PW_ERR_NOT_FOUND, /* a named entity does not exist */
	PW_ERR_IO,     /* a file could not be read or written, or no database */
	PW_ERR_DB,     /* the database failed or is not a Pathway database */
	PW_ERR_NOMEM,  /* out of memory */
	PW_ERR_DENIED, /* a token that is malformed, unknown or revoked */
	PW_ERR_EXISTS  /* an entity that must be new exists */
} pw_status;

/* A fixed-size error: filling it never allocates, so it works after an
 * allocation failure and from any thread. */
typedef struct pw_error {
	pw_status status;
	char message[512];
} pw_error;

/* A calendar date: days since 1970-01-01 (proleptic Gregorian). */
typedef int32_t pw_date;

typedef struct pw_engine pw_engine;

/* Entity kinds of SPEC §1. */
typedef enum pw_kind {
	PW_KIND_SKILL = 0,
	PW_KIND_CREDENTIAL,
	PW_KIND_OCCUPATION,
	PW_KIND_JOB,
	PW_KIND_LEARNER,
	PW_KIND_COUNT
} pw_kind;

/* ---- basics ---- */

const char *pw_version(void);
const char *pw_status_name(pw_status st);
void pw_free(void *p);

/* "skills" or "skill" (any case) -> kind. */
pw_status pw_kind_parse(const char *name, pw_kind *out, pw_error *err);
/* The plural name used in documents: "skills", "credentials", ... */
const char *pw_kind_name(pw_kind kind);

/* Strict YYYY-MM-DD. */
pw_status pw_date_parse(const char *text, pw_date *out, pw_error *err);
/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void pw_date_format(pw_date d, char buf[static 11]);
/* Today in UTC. */
pw_date pw_today(void);
/* d plus months calendar months, the day clamped to the month's end. */
pw_date pw_date_add_months(pw_date d, int months);

/* ---- opening a store ---- */

enum {
	PW_OPEN_CREATE = 1u << 0 /* create the file and its schema if absent */
};

/* Opens (and with PW_OPEN_CREATE creates or migrates) the store at path.
 * Without PW_OPEN_CREATE a missing file fails with PW_ERR_IO and the message
 * "no database at 'PATH'". */
pw_status pw_open(const char *path, unsigned flags, pw_engine **out,
                  pw_error *err);
void pw_close(pw_engine *e);

/* Makes the in-memory model current now (mapped from the store's snapshot
 * file, or built from the store and the snapshot rewritten), instead of at
 * the first query that needs it: for servers at start-up and benchmarks. */
pw_status pw_prepare(pw_engine *e, pw_error *err);

/* Another handle on the same store (its own database connection), sharing
 * e's in-memory model: one per thread of a server. Close each with
 * pw_close; the model goes with the last. */
pw_status pw_open_sibling(pw_engine *e, pw_engine **out, pw_error *err);

/* ---- loading ---- */

/* A report collects every problem a load finds: file, JSON path, reason. */
typedef struct pw_report pw_report;

pw_report *pw_report_new(void);
void pw_report_free(pw_report *r);
size_t pw_report_count(const pw_report *r);
/* Entry i; each out-pointer may be NULL. Strings live as long as the report. */
void pw_report_get(const pw_report *r, size_t i, const char **file,
                   const char **path, const char **reason);

typedef struct pw_load_summary {
	size_t count[PW_KIND_COUNT]; /* entities written per kind */
} pw_load_summary;

/* Validates every file together, then writes all of them in one transaction
 * or nothing. Problems in the data go to rep (which must not be NULL) and
 * the call returns PW_ERR_INVALID; the store is then unchanged. */
pw_status pw_load_files(pw_engine *e, const char *const *paths, size_t n,
                        pw_report *rep, pw_load_summary *sum, pw_error *err);

/* The same for documents already in memory; names[i] labels data[i] in the
 * report. */
pw_status pw_load_buffers(pw_engine *e, const char *const *names,
                          const char *const *data, const size_t *lens, size_t n,
                          pw_report *rep, pw_load_summary *sum, pw_error *err);

/* ---- rendering flags ---- */

enum {
	PW_JSON_PRETTY = 1u
	                 << 0, /* two-space indentation and a final newline */
	PW_JSON_NO_DEMOGRAPHICS = 1u << 1 /* show: leave a learner's
	                                    demographics out (SPEC §10) */
};

/* ---- list and show ---- */

typedef struct pw_list_item {
	const char *id;
	const char *name; /* the name, or the title of jobs and occupations */
} pw_list_item;

typedef struct pw_list {
	pw_kind kind;
	size_t count;
	pw_list_item *items; /* sorted by id */
	size_t total;        /* matches before paging */
} pw_list;

typedef struct pw_list_opts {
	const char *q;      /* as for pw_list_entities; NULL for all */
	const char *county; /* jobs only: located in this county FIPS */
	int remote;         /* jobs only: -1 any, 0 on site, 1 remote */
	size_t offset;      /* skip this many matches */
	size_t top;         /* at most this many; 0 for all */
	bool catalog;       /* credentials: the public catalog only, leaving out
	                       unlisted ones (made from a learner's badge) */
} pw_list_opts;

/* pw_list_entities with filters and paging (GET /v1/jobs and the like). */
pw_status pw_list_query(pw_engine *e, pw_kind kind, const pw_list_opts *o,
                        pw_list **out, pw_error *err);
/* The owner of a job, NULL when it has none; PW_ERR_NOT_FOUND when there is
 * no such job. *owner is freed with pw_free. */
pw_status pw_job_owner(pw_engine *e, const char *job, char **owner,
                       pw_error *err);

/* Every entity of kind, or those whose id, name/title or an alias contains
 * q ignoring case (Unicode-aware) when q is not NULL. */
pw_status pw_list_entities(pw_engine *e, pw_kind kind, const char *q,
                           pw_list **out, pw_error *err);
void pw_list_free(pw_list *l);
/* {"KIND": [{"id", "name"|"title"}], "total"} */
char *pw_list_json(const pw_list *l, unsigned flags);

/* The entity in the native format of SPEC §1, as load accepts it back.
 * PW_ERR_NOT_FOUND when there is none. */
pw_status pw_show_json(pw_engine *e, pw_kind kind, const char *id,
                       unsigned flags, char **out, pw_error *err);

/* ---- matching (SPEC §2-4) ---- */

typedef struct pw_match_opts {
	pw_date as_of;
	size_t top;       /* 0 means the default, 10 */
	bool anywhere;    /* ignore range */
	bool qualified;   /* keep qualified results only */
	bool occupations; /* rank occupations instead of postings */
} pw_match_opts;

typedef struct pw_partial {
	const char *skill;
	double have;
	int need;
} pw_partial;

typedef struct pw_match_row {
	const char *target; /* a job id, or an occupation code */
	const char *title;
	const char *employer; /* NULL when unknown */
	double score;         /* rounded to one decimal */
	bool qualified;
	bool remote; /* a remote posting, or an occupation */
	bool has_distance;
	double distance_miles;
	bool has_wage;
	double annual_wage;
	size_t nmet, npartial, nmissing, nmissing_credentials;
	const char **met;
	pw_partial *partial;
	const char **missing;
	const char **missing_credentials;
} pw_match_row;

typedef struct pw_match {
	const char *learner;
	pw_date as_of;
	bool occupations;
	size_t count;
	pw_match_row *rows;
} pw_match;

pw_status pw_match_learner(pw_engine *e, const char *learner,
                           const pw_match_opts *opts, pw_match **out,
                           pw_error *err);
void pw_match_free(pw_match *m);
char *pw_match_json(const pw_match *m, unsigned flags);

typedef enum pw_via {
	PW_VIA_NONE = 0,
	PW_VIA_DIRECT,
	PW_VIA_NARROWER,
	PW_VIA_RELATED,
	PW_VIA_BROADER
} pw_via;

const char *pw_via_name(pw_via via);

typedef struct pw_explain_req {
	const char *skill; /* for any_of, the alternative reported */
	const char *name;
	bool required;
	bool any_of;
	int importance;
	int need;
	double have;
	pw_via via;
	const char *via_skill;      /* NULL when via is NONE */
	const char *via_credential; /* NULL when via is NONE */
	double coverage;            /* rounded to three decimals */
} pw_explain_req;

typedef struct pw_explain_cred {
	const char *credential;
	const char *name;
	bool held;
} pw_explain_cred;

typedef struct pw_explain {
	const char *learner;
	const char *target;
	const char *title;
	bool is_occupation;
	pw_date as_of;
	double score;
	bool qualified;
	bool in_range;
	bool open; /* false when the posting expired before as_of */
	bool has_distance;
	double distance_miles;
	size_t nreqs, ncreds;
	pw_explain_req *reqs;
	pw_explain_cred *creds;
} pw_explain;

/* target is a job id or an occupation code. */
pw_status pw_explain_match(pw_engine *e, const char *learner,
                           const char *target, pw_date as_of, pw_explain **out,
                           pw_error *err);
void pw_explain_free(pw_explain *x);
char *pw_explain_json(const pw_explain *x, unsigned flags);

typedef struct pw_candidate {
	const char *learner;
	double score;
	bool qualified;
	bool has_distance;
	double distance_miles;
	size_t nmet, nmissing, ncredentials;
	const char **met;
	const char **missing;
	const char **credentials; /* held at as_of, stacks included, by id */
	const char *name;         /* NULL unless the learner shares contact */
	const char *contact;      /* NULL unless the learner shares contact */
	bool share_contact;
} pw_candidate;

typedef struct pw_candidates {
	const char *target;
	const char *title;
	pw_date as_of;
	bool open;
	size_t count;
	pw_candidate *rows;
} pw_candidates;

/* top 0 means the default, 20. */
pw_status pw_find_candidates(pw_engine *e, const char *target, pw_date as_of,
                             size_t top, pw_candidates **out, pw_error *err);
void pw_candidates_free(pw_candidates *c);
char *pw_candidates_json(const pw_candidates *c, unsigned flags);

/* ---- planning (SPEC §5) ---- */

typedef enum pw_objective { PW_BY_HOURS = 0, PW_BY_COST } pw_objective;

/* The planner's effort budget: search nodes, never a clock, so the same
 * question gets the same answer on any machine. Past it, the best plan
 * found is returned with optimal = false. */
#define PW_PLAN_MAX_STEPS 200000

typedef struct pw_plan_step {
	const char *credential;
	const char *name;
	double hours, cost;
	double score_after; /* rounded to one decimal */
	bool qualified_after;
	double cumulative_hours, cumulative_cost;
	long long weeks; /* ceil(cumulative hours / hours per week) */
	double college_credits;
	size_t nprereqs;
	const char **prereqs; /* its prerequisites, as in the catalog */
} pw_plan_step;

typedef struct pw_plan_blocker {
	const char *skill;      /* a requirement nothing earnable closes, or */
	const char *credential; /* a required credential nothing earns */
	int need; /* the requirement's level; 0 for a credential */
} pw_plan_blocker;

typedef struct pw_plan {
	const char *learner;
	const char *target;
	const char *title;
	bool is_occupation;
	pw_date as_of;
	pw_objective objective;
	bool optimal;
	bool reachable;
	double score_now;
	bool qualified_now;
	size_t nsteps;
	pw_plan_step *steps;
	double total_hours, total_cost, total_college_credits;
	double hours_per_week;
	size_t nblocking;
	pw_plan_blocker *blocking; /* sorted by id */
	size_t nheld;
	const char **held; /* credentials held at as_of, by id */
	unsigned long search_steps;
} pw_plan;

/* The least-objective set of earnable credentials that qualifies the
 * learner for the target (a job id or an occupation code), in order. */
pw_status pw_plan_target(pw_engine *e, const char *learner, const char *target,
                         pw_date as_of, pw_objective by, pw_plan **out,
                         pw_error *err);
void pw_plan_free(pw_plan *p);
char *pw_plan_json(const pw_plan *p, unsigned flags);
/* A Graphviz digraph: held credentials, steps in order, prerequisite
 * edges, the target. */
char *pw_plan_dot(const pw_plan *p);
/* The plan as a CTDL Pathway (JSON-LD @graph): the ceterms:Pathway, a
 * CredentialComponent per step whose proxyFor names the credential (its
 * CTDL URI when the catalog knows one), a destination component for the
 * target, and precedes edges in plan order. */
pw_status pw_plan_ctdl(pw_engine *e, const pw_plan *p, unsigned flags,
                       char **out, pw_error *err);

typedef struct pw_next_item {
	const char *credential;
	const char *name;
	double hours, cost;
	long long newly_qualified_openings;
	size_t njobs;
	const char **newly_qualified_jobs; /* sorted by id */
	double score_gain;                 /* openings-weighted, one decimal */
} pw_next_item;

typedef struct pw_next {
	const char *learner;
	pw_date as_of;
	size_t count;
	pw_next_item *items;
} pw_next;

/* The credentials earnable now that unlock the most (top 0 means 5). */
pw_status pw_next_credentials(pw_engine *e, const char *learner, pw_date as_of,
                              size_t top, pw_next **out, pw_error *err);
void pw_next_free(pw_next *n);
char *pw_next_json(const pw_next *n, unsigned flags);

/* ---- board views (SPEC §10) ---- */

/* A region: counties, a state, or a circle; none of them is the whole
 * store. A job is in it by its location (remote jobs are in every region),
 * a learner by their home. Made by pw_region_parse, freed by
 * pw_region_free. */
typedef struct pw_region {
	char **counties; /* 5-digit county FIPS codes, sorted, distinct */
	size_t ncounties;
	char *state; /* two upper-case letters; NULL: none */
	bool circle; /* the places within radius miles of lat, lon */
	double lat, lon, radius;
} pw_region;

/* The region from the forms the CLI (--county, --state, --near with
 * --radius) and the API (county, state, near, radius) take, each NULL when
 * not given: county "21071,21193", state "KY" (any case), near "LAT,LON"
 * with radius "MILES". At most one form; near and radius go together.
 * PW_ERR_INVALID naming the parameter and what is wrong with it. */
pw_status pw_region_parse(const char *county, const char *state,
                          const char *near, const char *radius, pw_region **out,
                          pw_error *err);
void pw_region_free(pw_region *r);

/* ---- outcomes (SPEC §10) ---- */

/* What outcomes groups the region's learners by: their home county, or a
 * field of their self-reported demographics (read by this view only). */
typedef enum pw_group_by {
	PW_GROUP_COUNTY = 0,
	PW_GROUP_GENDER,
	PW_GROUP_RACE_ETHNICITY,
	PW_GROUP_AGE_BAND
} pw_group_by;

/* "county", "gender", "race_ethnicity", "age_band"; PW_ERR_INVALID naming
 * the value otherwise. */
pw_status pw_group_by_parse(const char *name, pw_group_by *out, pw_error *err);
const char *pw_group_by_name(pw_group_by by);

/* A group with fewer learners than this shows only its name. */
#define PW_OUTCOMES_MIN_GROUP 10

typedef struct pw_outcomes_opts {
	const pw_region *region; /* NULL: the whole store */
	pw_date as_of;
	pw_group_by by;
} pw_outcomes_opts;

typedef struct pw_outcome_group {
	const char *group; /* NULL: the learners without the field */
	bool suppressed;   /* too few learners: every figure below is 0 */
	size_t learners, qualified;
	double qualified_share; /* qualified / learners, 0..1 */
	bool has_median_best_score;
	double median_best_score;
	bool has_median_hours; /* false when no learner has a reachable plan */
	double median_hours_to_qualify;
} pw_outcome_group;

typedef struct pw_outcomes {
	const pw_region *region; /* a copy; NULL for the whole store */
	pw_date as_of;
	pw_group_by by;
	size_t count;
	pw_outcome_group *groups; /* by group name, NULL last */
	bool has_total;           /* see SPEC §10 and outcomes.c */
	size_t total;             /* the region's learners */
	/* by a demographic field, a region of fewer than
	 * PW_OUTCOMES_MIN_GROUP learners: no group is listed, since even
	 * suppressed ones would name the few learners' answers */
	bool groups_withheld;
} pw_outcomes;

/* Per group of the region's learners: how many are qualified for an open
 * in-range job, their best scores, and the hours the not yet qualified
 * need to qualify (SPEC §10), groups under PW_OUTCOMES_MIN_GROUP
 * suppressed. */
pw_status pw_outcomes_compute(pw_engine *e, const pw_outcomes_opts *o,
                              pw_outcomes **out, pw_error *err);
void pw_outcomes_free(pw_outcomes *x);
/* {"region", "as_of", "by", "groups": [...], "total"?} */
char *pw_outcomes_json(const pw_outcomes *x, unsigned flags);

/* ---- demand (SPEC §10) ---- */

typedef struct pw_demand_opts {
	const pw_region *region; /* NULL: the whole store */
	pw_date as_of;
} pw_demand_opts;

typedef struct pw_demand_occ {
	const char *soc;    /* NULL: the postings without one */
	long long openings; /* Σ openings of the group's open postings */
	size_t postings, employers; /* employers: distinct names given */
	bool has_median_wage;       /* false when no posting gives a wage */
	double median_annual_wage;
	bool has_growth, has_outlook_openings; /* from the occupation */
	double growth_pct;
	long long outlook_openings;
} pw_demand_occ;

typedef struct pw_demand_skill {
	const char *skill, *name;
	long long demand; /* Σ openings of the postings requiring it */
	int need;         /* the level most of them ask, the higher on ties */
	size_t supply;    /* the region's learners showing need or more */
	long long gap;    /* demand - supply */
} pw_demand_skill;

typedef struct pw_demand_program {
	const char *credential, *name;
	size_t learners_unlocked;
	long long openings_reached;
	double hours, cost;
} pw_demand_program;

typedef struct pw_demand {
	const pw_region *region; /* a copy; NULL for the whole store */
	pw_date as_of;
	size_t nocc, nskills, nprograms;
	pw_demand_occ *occupations;  /* openings, median wage desc, soc */
	pw_demand_skill *skills;     /* gap, demand desc, skill id */
	pw_demand_program *programs; /* learners, openings desc, hours, id */
} pw_demand;

/* The region's open postings grouped by occupation, the skills they
 * require against the region's learners who show them, and the
 * credentials that would newly qualify the region's learners for them
 * (SPEC §10). */
pw_status pw_demand_compute(pw_engine *e, const pw_demand_opts *o,
                            pw_demand **out, pw_error *err);
void pw_demand_free(pw_demand *d);
/* {"region", "as_of", "occupations", "skills", "programs"} */
char *pw_demand_json(const pw_demand *d, unsigned flags);

/* ---- CLR export of a learner's record (issue 9, FORMATS.md §1-2) ---- */

/* A learner's listed credential entries as one CLR 2.0 ClrCredential of
 * unsigned Open Badges 3.0 AchievementCredentials (validFrom = earned,
 * validUntil = the day the entry stops being held, when it does), dated
 * issued; `import badges` reads it back to the same entries. n == 1 gives
 * the document; otherwise an array of them in the order given, or, for n
 * == 0, of every learner that lists a credential, by id. A named learner
 * with no entries is PW_ERR_INVALID (a CLR carries at least one), an
 * unknown one PW_ERR_NOT_FOUND. *out is freed with pw_free. */
pw_status pw_export_learners_clr(pw_engine *e, const char *const *ids, size_t n,
                                 pw_date issued, unsigned flags, char **out,
                                 pw_error *err);
pw_status pw_export_learner_clr(pw_engine *e, const char *learner,
                                pw_date issued, unsigned flags, char **out,
                                pw_error *err);

/* ---- end of the CLR export block ---- */

/* ---- single-entity writes (the API's PUT, POST and DELETE) ---- */

typedef struct pw_put_opts {
	const char *id; /* when set, the object's id must be absent or equal */
	const char *owner; /* jobs: the owner to record (see below) */
	bool new_only;     /* refuse an id that exists (PW_ERR_EXISTS) */
} pw_put_opts;

typedef struct pw_put_result {
	char id[129]; /* the id stored */
	bool created; /* the entity is new */
} pw_put_result;

/* Stores one entity given as a JSON object in the native format of its kind,
 * validated exactly as `load` validates (problems go to rep, with paths
 * relative to the object, and the call returns PW_ERR_INVALID). For a job,
 * opts->owner (when set) becomes its owner; a job's "owner" in the object
 * itself is never taken: without opts->owner a replaced job keeps the owner
 * it had and a new one is owned by its employer. Written in one
 * transaction, durable before the call returns. */
pw_status pw_put_entity(pw_engine *e, pw_kind kind, const char *json,
                        size_t len, const pw_put_opts *opts, pw_report *rep,
                        pw_put_result *res, pw_error *err);
/* Removes a job and its requirements. PW_ERR_NOT_FOUND when absent. */
pw_status pw_delete_job(pw_engine *e, const char *id, pw_error *err);
/* Adds a credential entry ({"credential", "earned", "expires"?,
 * "source"?}) to a learner's record; an entry equal to one the learner has
 * changes nothing (*added false). PW_ERR_NOT_FOUND for an unknown learner. */
pw_status pw_add_holding(pw_engine *e, const char *learner, const char *json,
                         size_t len, pw_report *rep, bool *added,
                         pw_error *err);

/* ---- imports from public standards (SPEC §6, FORMATS.md) ---- */

/* Called as an import advances: stage names what is being read ("Skills.txt",
 * "writing"), done of total units (total 0 when unknown). */
typedef void (*pw_progress_fn)(void *ctx, const char *stage, size_t done,
                               size_t total);

typedef struct pw_import_opts {
	pw_progress_fn progress; /* NULL for none */
	void *progress_ctx;
	/* What the import read but could not map (an alignment that names no
	 * skill, a salary in a unit it does not know): reported here, never
	 * dropped silently, and not an error. NULL to discard. */
	pw_report *notes;
	/* esco: a file of skill labels, one per line, used when the release
	 * lacks skills_en.csv. */
	const char *labels;
} pw_import_opts;

typedef struct pw_import_summary {
	size_t created[PW_KIND_COUNT]; /* new entities per kind */
	size_t
	    updated[PW_KIND_COUNT]; /* existing entities merged or replaced */
	size_t notes;               /* entries added to opts->notes */
} pw_import_summary;

/* Every importer validates all it reads, then writes everything in one
 * transaction or nothing: problems go to rep (file, place, reason) and the
 * call returns PW_ERR_INVALID with the store unchanged. opts may be NULL. */

/* O*NET database text files in dir (Occupation Data, Skills, Knowledge,
 * Technology Skills, Job Zones, Alternate Titles, Related Occupations). */
pw_status pw_import_onet(pw_engine *e, const char *dir,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err);
/* BLS Employment Projections and OEWS wages in dir, onto the stored
 * occupations. */
pw_status pw_import_bls(pw_engine *e, const char *dir,
                        const pw_import_opts *opts, pw_report *rep,
                        pw_import_summary *sum, pw_error *err);
/* ESCO CSV files in dir: skills, hierarchy, groups and relations. */
pw_status pw_import_esco(pw_engine *e, const char *dir,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err);
/* schema.org JobPosting JSON-LD documents or HTML pages. */
pw_status pw_import_jobs(pw_engine *e, const char *const *paths, size_t n,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err);
/* The same for documents in memory; names[i] labels data[i]. */
pw_status pw_import_jobs_buffers(pw_engine *e, const char *const *names,
                                 const char *const *data, const size_t *lens,
                                 size_t n, const pw_import_opts *opts,
                                 pw_report *rep, pw_import_summary *sum,
                                 pw_error *err);

/* Open Badges 2.0/3.0 assertions and credentials (JSON, or a compact JWS
 * whose payload is read and whose signature is not checked) and CLR 2.0
 * bundles, added to a learner's record (FORMATS.md §1-2). A badge maps to a
 * catalog credential by its achievement's id or URL (a credential's url or
 * alias), else an unlisted credential is created from the achievement.
 * PW_ERR_NOT_FOUND for an unknown learner. */
pw_status pw_import_badges(pw_engine *e, const char *learner,
                           const char *const *paths, size_t n,
                           const pw_import_opts *opts, pw_report *rep,
                           pw_import_summary *sum, pw_error *err);
pw_status pw_import_badges_buffers(pw_engine *e, const char *learner,
                                   const char *const *names,
                                   const char *const *data, const size_t *lens,
                                   size_t n, const pw_import_opts *opts,
                                   pw_report *rep, pw_import_summary *sum,
                                   pw_error *err);
/* CTDL credentials (FORMATS.md §3): single resources or @graph envelopes. */
pw_status pw_import_ctdl(pw_engine *e, const char *const *paths, size_t n,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err);
pw_status pw_import_ctdl_buffers(pw_engine *e, const char *const *names,
                                 const char *const *data, const size_t *lens,
                                 size_t n, const pw_import_opts *opts,
                                 pw_report *rep, pw_import_summary *sum,
                                 pw_error *err);

/* ---- exports to public standards ---- */

/* Listed catalog credentials as unsigned Open Badges 3.0 Achievement
 * definitions with their alignments. */
pw_status pw_export_credentials_ob3(pw_engine *e, unsigned flags, char **out,
                                    pw_error *err);

/* Every job as schema.org JobPosting JSON-LD: {"@context", "@graph": [...]}. */
pw_status pw_export_jobs_jsonld(pw_engine *e, unsigned flags, char **out,
                                pw_error *err);

/* ---- skill extraction (SPEC §8) ---- */

typedef struct pw_extract_hit {
	const char *skill;
	const char *name;
	size_t start, end; /* byte offsets into the text, end exclusive */
} pw_extract_hit;

typedef struct pw_extraction {
	size_t count;
	pw_extract_hit *hits; /* by start offset */
	const char *text;     /* a copy of the text searched */
	size_t len;
} pw_extraction;

/* Finds the stored taxonomy's skills in UTF-8 text: names and aliases
 * (caseless, word-bounded, longest match first, no overlapping hits) and
 * each skill's own pattern. PW_ERR_INVALID when text is not UTF-8. */
pw_status pw_extract(pw_engine *e, const char *text, size_t len,
                     pw_extraction **out, pw_error *err);
/* The same for an API request body: {"text": "..."} when json, else the
 * text itself. PW_ERR_INVALID, with what is wrong, for a JSON body that is
 * not one object with one string member "text". */
pw_status pw_extract_body(pw_engine *e, const char *body, size_t len, bool json,
                          pw_extraction **out, pw_error *err);
void pw_extraction_free(pw_extraction *x);
/* {"skills": [{"skill", "name", "start", "end", "text"}]} */
char *pw_extraction_json(const pw_extraction *x, unsigned flags);

/* ---- principals and tokens (SPEC §7) ---- */

typedef enum pw_role {
	PW_ROLE_NONE = 0, /* anonymous */
	PW_ROLE_LEARNER,  /* one learner: subject is the learner id */
	PW_ROLE_EMPLOYER, /* the jobs it owns: subject is the owner name */
	PW_ROLE_BOARD,
	PW_ROLE_ADMIN
} pw_role;

const char *pw_role_name(pw_role role);
pw_status pw_role_parse(const char *name, pw_role *out, pw_error *err);

typedef struct pw_principal {
	pw_role role;
	char subject[129]; /* "" for boards, admins and anonymous callers */
	char token_id[17];
} pw_principal;

/* Creates a bearer token for the role (a learner token needs an existing
 * learner id, an employer token an owner name; boards and admins take
 * none) and hands its text back once: only a digest of its secret is
 * stored. *token is freed with pw_free. */
pw_status pw_token_create(pw_engine *e, pw_role role, const char *subject,
                          char **token, pw_error *err);
/* Revokes a token, given whole or by its id. PW_ERR_NOT_FOUND when there
 * is no such token or it was revoked already. */
pw_status pw_token_revoke(pw_engine *e, const char *token_or_id, pw_error *err);
/* Who a bearer token speaks for; PW_ERR_DENIED when it is malformed,
 * unknown or revoked. Digests are compared in constant time. */
pw_status pw_token_verify(pw_engine *e, const char *token, pw_principal *out,
                          pw_error *err);

typedef struct pw_token_info {
	const char *id;
	pw_role role;
	const char *subject; /* NULL when none */
	const char *created; /* ISO 8601 UTC */
	const char *revoked; /* NULL while valid */
} pw_token_info;

typedef struct pw_tokens {
	size_t count;
	pw_token_info *items;
} pw_tokens;

pw_status pw_token_list(pw_engine *e, pw_tokens **out, pw_error *err);
void pw_tokens_free(pw_tokens *t);
/* {"tokens": [{"id", "role", "subject", "created", "revoked"}]}: no secrets,
 * which are not stored. */
char *pw_tokens_json(const pw_tokens *t, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* PATHWAY_H */
