/* bench_state.c - `make bench` at state scale: in-process p50/p99 of match,
 * candidates, explain, plan and next on learners and jobs chosen by seed,
 * the time to make the model current, peak RSS, and two peers a user might
 * reach for instead (SQL over SQLite, Python with scipy.sparse) on the
 * restricted scoring of README "Performance", checked to give the engine's
 * exact top 10. Not a test: it reports figures, and fails only when the
 * peers disagree with the engine or something cannot run.
 *
 * Usage: bench_state DB [SEED] [N] [--cli PATHWAY] [--python PY]
 *                    [--peer peer_scipy.py] [--reps R]
 * The last line of its output is the one-line summary `bench: ...`. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define AS_OF      "2026-11-23"
#define TOPK       10
#define CLI_RUNS   5
#define CLI_PEOPLE 3

/* ---- small helpers ---- */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* Nearest-rank percentile; sorts v. */
static double pct(double *v, size_t n, double p)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_d);
	size_t i = (size_t)ceil(p * (double)n);
	return v[i ? (i <= n ? i - 1 : n - 1) : 0];
}

static void die(const char *fmt, ...) PW_PRINTF(1, 2);
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench_state: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		die("out of memory");
	return d;
}

/* splitmix64: a seeded stream that is the same on every machine */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void shuffle(uint32_t *v, size_t n, uint64_t *s)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(rng_next(s) % i);
		uint32_t t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

typedef struct timings {
	double *v;
	size_t n;
} timings;

static void tm_add(timings *t, double ms)
{
	t->v[t->n++] = ms;
}

/* ---- restricted scoring on the engine's model ----
 *
 * SPEC §3 with have = the learner's own level (no broader, narrower or
 * related spread), kept exact in twelfths: num = Σ importance·min(12,
 * 12·L/n), den = 12·Σ importance, score = num / den as one division. Open
 * postings only (not occupations), score > 0, by score descending then id.
 * This function and learner_levels are the only code here that reads the
 * model's layout. */

typedef struct rtop {
	size_t n;
	uint32_t t[TOPK];
	double score[TOPK];
} rtop;

static bool rtop_before(const model *m, double sa, uint32_t a, double sb,
                        uint32_t b)
{
	if (sa != sb)
		return sa > sb;
	return strcmp(m->t_id[a], m->t_id[b]) < 0;
}

static void rtop_offer(const model *m, rtop *top, uint32_t t, double score)
{
	if (top->n == TOPK &&
	    !rtop_before(m, score, t, top->score[TOPK - 1], top->t[TOPK - 1]))
		return;
	size_t i = top->n < TOPK ? top->n++ : TOPK - 1;
	while (i > 0 &&
	       rtop_before(m, score, t, top->score[i - 1], top->t[i - 1])) {
		top->t[i] = top->t[i - 1];
		top->score[i] = top->score[i - 1];
		i--;
	}
	top->t[i] = t;
	top->score[i] = score;
}

/* Scores posting t once per call (stamp[t] == g marks it done). */
static void restricted_consider(const model *m, const scorer *sc, pw_date as_of,
                                uint32_t t, uint32_t *stamp, uint32_t g,
                                rtop *top)
{
	if (stamp[t] == g)
		return;
	stamp[t] = g;
	if (m->t_occ[t] || m->t_deleted[t] || !engine_target_open(m, t, as_of))
		return;
	uint64_t num = 0, den = 0;
	for (uint32_t r = REQ_BEGIN(m, t); r < REQ_END(m, t); r++) {
		unsigned best = 0;
		for (uint32_t a = ALT_BEGIN(m, r); a < ALT_END(m, r); a++) {
			unsigned c =
			    12u * sc->level[m->alt_skill[a]] / m->alt_level[a];
			if (c > 12)
				c = 12;
			if (c > best)
				best = c;
		}
		num += (uint64_t)m->req_importance[r] * best;
		den += 12u * (uint64_t)m->req_importance[r];
	}
	if (num > 0)
		rtop_offer(m, top, t, (double)num / (double)den);
}

/* by_index: nominate the postings that require one of the learner's
 * skills through the skill -> targets index (what is timed); otherwise
 * walk every target (the check of the former). stamp has a slot per
 * target. */
static void restricted_top(const model *m, const scorer *sc, pw_date as_of,
                           bool by_index, uint32_t *stamp, uint32_t *gen,
                           rtop *top)
{
	uint32_t g = ++*gen;
	top->n = 0;
	if (!by_index) {
		for (uint32_t t = 0; t < m->ntargets; t++)
			restricted_consider(m, sc, as_of, t, stamp, g, top);
		return;
	}
	for (uint32_t i = 0; i < sc->nleveled; i++) {
		uint32_t s = sc->leveled[i];
		for (uint32_t k = m->sk_target_off[s];
		     k < m->sk_target_off[s + 1]; k++)
			restricted_consider(m, sc, as_of, m->sk_target[k],
			                    stamp, g, top);
		for (uint32_t k = 0; m->sk_target_x && k < m->sk_target_x[s].n;
		     k++)
			restricted_consider(m, sc, as_of,
			                    m->sk_target_x[s].v[k], stamp, g,
			                    top);
	}
}

typedef struct level_row {
	char *skill;
	int level;
} level_row;

/* The learner's level per skill (SPEC §2: held at as-of, stacks
 * included), as the engine computes it: what the peers are given. */
static size_t learner_levels(const model *m, const scorer *sc, level_row **out)
{
	level_row *v = xcalloc(sc->nleveled, sizeof *v);
	for (uint32_t i = 0; i < sc->nleveled; i++) {
		uint32_t s = sc->leveled[i];
		v[i].skill = xstrdup(m->skill_id[s]);
		v[i].level = sc->level[s];
	}
	*out = v;
	return sc->nleveled;
}

/* ---- what is sampled and what each side answers ---- */

typedef struct learner_case {
	char *id;
	size_t nlevels;
	level_row *levels;
	size_t nanswer[3]; /* engine, SQLite, scipy */
	char *answer[3][TOPK];
} learner_case;

typedef struct sample {
	size_t nlearners, njobs, nopen;
	learner_case *learners;
	char **jobs;      /* for candidates */
	char **plan_jobs; /* random open jobs, for half the plans */
	size_t nplan_jobs;
	uint32_t model_jobs, model_learners, model_skills, model_creds;
	char county[16]; /* the board views' region: a sampled learner's */
	size_t county_learners;
} sample;

static void sample_pick(const model *m, pw_date as_of, uint64_t seed, size_t n,
                        sample *out)
{
	uint64_t rs = seed;
	uint32_t *l = xcalloc(m->nlearners, sizeof *l);
	uint32_t *j = xcalloc(m->ntargets, sizeof *j);
	size_t nl = 0, nj = 0;
	for (uint32_t i = 0; i < m->nlearners; i++)
		l[nl++] = i;
	for (uint32_t t = 0; t < m->ntargets; t++)
		if (!m->t_occ[t] && !m->t_deleted[t] &&
		    engine_target_open(m, t, as_of))
			j[nj++] = t;
	if (!nl || !nj)
		die("the store has no learners or no open jobs");
	shuffle(l, nl, &rs);
	shuffle(j, nj, &rs);
	out->nlearners = n < nl ? n : nl;
	out->njobs = n < nj ? n : nj;
	out->nopen = nj;
	out->learners = xcalloc(out->nlearners, sizeof *out->learners);
	out->jobs = xcalloc(out->njobs, sizeof *out->jobs);
	for (size_t i = 0; i < out->nlearners; i++)
		out->learners[i].id = xstrdup(m->l_id[l[i]]);
	for (size_t i = 0; i < out->njobs; i++)
		out->jobs[i] = xstrdup(m->t_id[j[i]]);
	/* the random plan targets come after the candidates' jobs in the
	 * same shuffle, wrapping round on a small store */
	out->nplan_jobs = (out->nlearners + 1) / 2;
	out->plan_jobs = xcalloc(out->nplan_jobs, sizeof *out->plan_jobs);
	for (size_t i = 0; i < out->nplan_jobs; i++)
		out->plan_jobs[i] = xstrdup(m->t_id[j[(out->njobs + i) % nj]]);
	/* the home county of the first sampled learner who has one */
	for (size_t i = 0; i < nl && !out->county[0]; i++)
		if (m->l_home[l[i]].county)
			snprintf(out->county, sizeof out->county, "%s",
			         m->l_home[l[i]].county);
	for (uint32_t i = 0; i < m->nlearners && out->county[0]; i++)
		out->county_learners +=
		    m->l_home[i].county &&
		    strcmp(m->l_home[i].county, out->county) == 0;
	out->model_jobs = m->njobs;
	out->model_learners = m->nlearners;
	out->model_skills = m->nskills;
	out->model_creds = m->ncreds;
	free(l);
	free(j);
}

/* ---- the board views (SPEC §10) ---- */

typedef struct board_figs {
	double demand_s, outcomes_s;
	size_t programs, groups;
} board_figs;

/* demand, and outcomes by gender, for the sampled county, once each (a
 * board asks for a region now and then, not thousands of times). */
static void run_board(pw_engine *e, const sample *s, pw_date as_of,
                      board_figs *f)
{
	if (!s->county[0])
		return;
	pw_error err;
	pw_region *r;
	if (pw_region_parse(s->county, NULL, NULL, NULL, &r, &err))
		die("region: %s", err.message);
	pw_demand_opts d = {.region = r, .as_of = as_of};
	pw_demand *dm;
	double t0 = now_ms();
	if (pw_demand_compute(e, &d, &dm, &err))
		die("demand: %s", err.message);
	f->demand_s = (now_ms() - t0) / 1e3;
	f->programs = dm->nprograms;
	pw_demand_free(dm);
	pw_outcomes_opts o = {
	    .region = r, .as_of = as_of, .by = PW_GROUP_GENDER};
	pw_outcomes *oc;
	t0 = now_ms();
	if (pw_outcomes_compute(e, &o, &oc, &err))
		die("outcomes: %s", err.message);
	f->outcomes_s = (now_ms() - t0) / 1e3;
	f->groups = oc->count;
	pw_outcomes_free(oc);
	pw_region_free(r);
}

/* ---- the engine's own queries ---- */

typedef struct engine_figs {
	timings match, cand, explain, plan, next, restricted;
	size_t plans_optimal;
} engine_figs;

static void run_queries(pw_engine *e, const sample *s, pw_date as_of,
                        engine_figs *f)
{
	pw_error err;
	size_t nl = s->nlearners;
	f->match.v = xcalloc(nl, sizeof(double));
	f->explain.v = xcalloc(nl, sizeof(double));
	f->plan.v = xcalloc(2 * nl, sizeof(double));
	f->next.v = xcalloc(nl, sizeof(double));
	f->cand.v = xcalloc(s->njobs, sizeof(double));

	/* Each kind of query in a pass of its own, as a server answering
	 * many of one kind sees it and as the peers are timed; the targets
	 * of explain and plan come from an untimed match first. */
	char **first = xcalloc(nl, sizeof(char *));
	char **targets = xcalloc(2 * nl, sizeof(char *));
	for (size_t i = 0; i < nl; i++) {
		const char *lid = s->learners[i].id;
		/* plan targets: the best-scoring in-range job the learner is
		 * not yet qualified for, and for every other learner a random
		 * open job (in range or not) */
		pw_match_opts mo = {.as_of = as_of, .top = 50};
		pw_match *mt = NULL;
		if (pw_match_learner(e, lid, &mo, &mt, &err))
			die("match '%s': %s", lid, err.message);
		if (mt->count)
			first[i] = xstrdup(mt->rows[0].target);
		for (size_t r = 0; r < mt->count && !targets[2 * i]; r++)
			if (!mt->rows[r].qualified)
				targets[2 * i] = xstrdup(mt->rows[r].target);
		pw_match_free(mt);
		if (i % 2 == 0)
			targets[2 * i + 1] = xstrdup(s->plan_jobs[i / 2]);
	}
	for (size_t i = 0; i < nl; i++) {
		const char *lid = s->learners[i].id;
		pw_match_opts mo = {.as_of = as_of, .top = 10};
		pw_match *mt = NULL;
		double t0 = now_ms();
		if (pw_match_learner(e, lid, &mo, &mt, &err))
			die("match '%s': %s", lid, err.message);
		tm_add(&f->match, now_ms() - t0);
		pw_match_free(mt);
	}
	for (size_t i = 0; i < nl; i++) {
		if (!first[i])
			continue;
		const char *lid = s->learners[i].id;
		pw_explain *x = NULL;
		double t0 = now_ms();
		if (pw_explain_match(e, lid, first[i], as_of, &x, &err))
			die("explain '%s' '%s': %s", lid, first[i],
			    err.message);
		tm_add(&f->explain, now_ms() - t0);
		pw_explain_free(x);
		free(first[i]);
	}
	for (size_t i = 0; i < 2 * nl; i++) {
		if (!targets[i])
			continue;
		const char *lid = s->learners[i / 2].id;
		pw_plan *p = NULL;
		double t0 = now_ms();
		if (pw_plan_target(e, lid, targets[i], as_of, PW_BY_HOURS, &p,
		                   &err))
			die("plan '%s' '%s': %s", lid, targets[i], err.message);
		tm_add(&f->plan, now_ms() - t0);
		f->plans_optimal += p->optimal;
		pw_plan_free(p);
		free(targets[i]);
	}
	free(first);
	free(targets);
	for (size_t i = 0; i < nl; i++) {
		const char *lid = s->learners[i].id;
		pw_next *nx = NULL;
		double t0 = now_ms();
		if (pw_next_credentials(e, lid, as_of, 5, &nx, &err))
			die("next '%s': %s", lid, err.message);
		tm_add(&f->next, now_ms() - t0);
		pw_next_free(nx);
	}
	for (size_t i = 0; i < s->njobs; i++) {
		pw_candidates *c = NULL;
		double t0 = now_ms();
		if (pw_find_candidates(e, s->jobs[i], as_of, 20, &c, &err))
			die("candidates '%s': %s", s->jobs[i], err.message);
		tm_add(&f->cand, now_ms() - t0);
		pw_candidates_free(c);
	}
}

/* The engine's answer to the restricted question for every sampled
 * learner, timed through the index and checked against a walk of every
 * target; also the levels handed to the peers. */
static void run_restricted(pw_engine *e, sample *s, pw_date as_of,
                           engine_figs *f)
{
	pw_error err;
	const model *m;
	scorer sc;
	if (engine_model(e, &m, &err) || scorer_init(&sc, m, &err))
		die("model: %s", err.message);
	uint32_t *stamp = xcalloc((size_t)m->ntargets + 1, sizeof *stamp);
	uint32_t gen = 0;
	f->restricted.v = xcalloc(s->nlearners, sizeof(double));
	for (size_t i = 0; i < s->nlearners; i++) {
		learner_case *lc = &s->learners[i];
		int64_t l = model_learner(m, lc->id);
		if (l < 0)
			die("learner '%s' left the model", lc->id);
		rtop top, check;
		double t0 = now_ms();
		scorer_set(&sc, l, as_of, NULL, 0);
		restricted_top(m, &sc, as_of, true, stamp, &gen, &top);
		tm_add(&f->restricted, now_ms() - t0);
		restricted_top(m, &sc, as_of, false, stamp, &gen, &check);
		bool same = top.n == check.n;
		for (size_t k = 0; same && k < top.n; k++)
			same = top.t[k] == check.t[k];
		if (!same)
			die("restricted scoring of '%s': the skill index "
			    "nominates other postings than a walk of all",
			    lc->id);
		lc->nanswer[0] = top.n;
		for (size_t k = 0; k < top.n; k++)
			lc->answer[0][k] = xstrdup(m->t_id[top.t[k]]);
		lc->nlevels = learner_levels(m, &sc, &lc->levels);
	}
	free(stamp);
	scorer_release(&sc);
	engine_done(e);
}

/* ---- peer (a): SQL over SQLite ---- */

static void sql_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die("peer database: %s: %s", msg ? msg : "?", sql);
}

static sqlite3_stmt *sql_prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die("peer database: %s: %s", sqlite3_errmsg(db), sql);
	return st;
}

/* What the peer tables were built from: counts of the store's rows they
 * copy, and the date that decided which postings are open. */
static void store_fingerprint(sqlite3 *db, char *out, size_t size)
{
	sqlite3_stmt *st =
	    sql_prepare(db, "SELECT (SELECT count(*) FROM s.job), "
	                    "(SELECT count(*) FROM s.requirement_skill), "
	                    "(SELECT total(importance) FROM s.requirement)");
	if (sqlite3_step(st) != SQLITE_ROW)
		die("peer database: %s", sqlite3_errmsg(db));
	snprintf(out, size,
	         "jobs=%lld alternatives=%lld importance=%.0f "
	         "as_of=" AS_OF,
	         sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
	         sqlite3_column_double(st, 2));
	sqlite3_finalize(st);
}

static bool peer_current(sqlite3 *db, const char *fp)
{
	sqlite3_stmt *st = NULL;
	bool ok = false;
	if (sqlite3_prepare_v2(db,
	                       "SELECT value FROM peer_meta WHERE key = "
	                       "'fingerprint'",
	                       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		ok = strcmp((const char *)sqlite3_column_text(st, 0), fp) == 0;
	sqlite3_finalize(st);
	return ok;
}

/* Builds the peer tables from the store by plain SQL, once: a database
 * user's own copy of the requirements, shaped for the question. */
static double peer_build(sqlite3 *db, const char *fp)
{
	double t0 = now_ms();
	sql_exec(
	    db, "PRAGMA main.journal_mode = OFF; PRAGMA main.synchronous = OFF;"
	        "DROP TABLE IF EXISTS peer_meta; DROP TABLE IF EXISTS "
	        "peer_req; DROP TABLE IF EXISTS peer_job;"
	        "DROP TABLE IF EXISTS learner_skill;"
	        "BEGIN;"
	        "CREATE TABLE peer_req (skill TEXT NOT NULL, job TEXT NOT "
	        "NULL, pos INTEGER NOT NULL, level INTEGER NOT NULL, "
	        "importance INTEGER NOT NULL);"
	        "INSERT INTO peer_req SELECT rs.skill, rs.target, rs.pos, "
	        "rs.level, r.importance FROM s.requirement_skill rs "
	        "JOIN s.requirement r ON r.target = rs.target AND r.pos = "
	        "rs.pos JOIN s.job j ON j.id = rs.target "
	        "WHERE j.expires IS NULL OR j.expires >= '" AS_OF "';"
	        "CREATE INDEX peer_req_cover ON peer_req (skill, job, pos, "
	        "level, importance);"
	        "CREATE TABLE peer_job (id TEXT PRIMARY KEY, total INTEGER "
	        "NOT NULL);"
	        "INSERT INTO peer_job SELECT r.target, 12 * sum(r.importance) "
	        "FROM s.requirement r JOIN s.job j ON j.id = r.target "
	        "WHERE j.expires IS NULL OR j.expires >= '" AS_OF "' "
	        "GROUP BY r.target;"
	        "CREATE TABLE learner_skill (learner TEXT NOT NULL, skill "
	        "TEXT NOT NULL, level INTEGER NOT NULL, PRIMARY KEY "
	        "(learner, skill)) WITHOUT ROWID;"
	        "CREATE TABLE peer_meta (key TEXT PRIMARY KEY, value TEXT);");
	sql_exec(db, "ANALYZE main;");
	sqlite3_stmt *st =
	    sql_prepare(db, "INSERT INTO peer_meta VALUES ('fingerprint', ?1)");
	sqlite3_bind_text(st, 1, fp, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		die("peer database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sql_exec(db, "COMMIT;");
	return (now_ms() - t0) / 1e3;
}

static void peer_fill_levels(sqlite3 *db, const sample *s)
{
	sql_exec(db, "BEGIN; DELETE FROM learner_skill;");
	sqlite3_stmt *st =
	    sql_prepare(db, "INSERT INTO learner_skill VALUES (?1, ?2, ?3)");
	for (size_t i = 0; i < s->nlearners; i++) {
		const learner_case *lc = &s->learners[i];
		for (size_t k = 0; k < lc->nlevels; k++) {
			sqlite3_bind_text(st, 1, lc->id, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, lc->levels[k].skill, -1,
			                  SQLITE_STATIC);
			sqlite3_bind_int(st, 3, lc->levels[k].level);
			if (sqlite3_step(st) != SQLITE_DONE)
				die("peer database: %s", sqlite3_errmsg(db));
			sqlite3_reset(st);
		}
	}
	sqlite3_finalize(st);
	sql_exec(db, "COMMIT; ANALYZE learner_skill;");
}

/* The query a database user writes first: the learner's skills joined to
 * the requirement rows, the best alternative per requirement, summed per
 * job, ordered by the exact ratio. 12*level/need is whole for need 1-4. */
static const char peer_query[] =
    "SELECT c.job FROM ("
    " SELECT r.job AS job, r.importance * MAX(MIN(12, 12 * ls.level / "
    "r.level)) AS wc"
    " FROM learner_skill ls JOIN peer_req r ON r.skill = ls.skill"
    " WHERE ls.learner = ?1"
    " GROUP BY r.job, r.pos, r.importance) c"
    " JOIN peer_job j ON j.id = c.job"
    " GROUP BY c.job, j.total"
    " ORDER BY CAST(SUM(c.wc) AS REAL) / j.total DESC, c.job"
    " LIMIT 10";

typedef struct peer_figs {
	double build_s; /* 0 when the tables were current */
	timings sqlite;
	double scipy_p50, scipy_setup_s;
	size_t scipy_learners;
} peer_figs;

static void run_sqlite_peer(const char *dbpath, sample *s, peer_figs *pf)
{
	char peer[4096], uri[4200];
	snprintf(peer, sizeof peer, "%s.peer", dbpath);
	snprintf(uri, sizeof uri, "file:%s?mode=ro", dbpath);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(peer, &db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                        SQLITE_OPEN_URI,
	                    NULL) != SQLITE_OK)
		die("cannot open '%s': %s", peer, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 10000);
	sqlite3_stmt *st = sql_prepare(db, "ATTACH ?1 AS s");
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		die("cannot attach '%s': %s", dbpath, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	char fp[256];
	store_fingerprint(db, fp, sizeof fp);
	if (!peer_current(db, fp))
		pf->build_s = peer_build(db, fp);
	sql_exec(db, "DETACH s;");
	peer_fill_levels(db, s);
	/* the tuning a user would do next: keep the file mapped */
	sql_exec(db, "PRAGMA mmap_size = 4294967296; PRAGMA cache_size = "
	             "-262144;");

	/* the plan must search the covering index, not the table */
	char plan[2048] = "";
	size_t used = 0;
	char eqp[sizeof peer_query + 32];
	snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", peer_query);
	st = sql_prepare(db, eqp);
	sqlite3_bind_text(st, 1, s->learners[0].id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && used < sizeof plan - 1)
		used += (size_t)snprintf(
		    plan + used, sizeof plan - used, "%s%s", used ? "; " : "",
		    (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	if (!strstr(plan, "COVERING INDEX peer_req_cover"))
		die("the SQLite peer's plan does not use the covering index: "
		    "%s",
		    plan);
	printf("  SQLite peer plan: %s\n", plan);

	st = sql_prepare(db, peer_query);
	pf->sqlite.v = xcalloc(s->nlearners, sizeof(double));
	/* one pass to warm the page cache, then the timed pass */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->nlearners; i++) {
			learner_case *lc = &s->learners[i];
			size_t n = 0;
			char got[TOPK][129];
			double t0 = now_ms();
			sqlite3_bind_text(st, 1, lc->id, -1, SQLITE_STATIC);
			int rc;
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				if (n < TOPK)
					snprintf(
					    got[n++], sizeof got[0], "%s",
					    (const char *)sqlite3_column_text(
					        st, 0));
			sqlite3_reset(st);
			double ms = now_ms() - t0;
			if (rc != SQLITE_DONE)
				die("SQLite peer: %s", sqlite3_errmsg(db));
			if (pass == 0)
				continue;
			tm_add(&pf->sqlite, ms);
			lc->nanswer[1] = n;
			for (size_t k = 0; k < n; k++)
				lc->answer[1][k] = xstrdup(got[k]);
		}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* ---- peer (b): Python with scipy.sparse ---- */

static learner_case *find_case(sample *s, const char *id)
{
	for (size_t i = 0; i < s->nlearners; i++)
		if (strcmp(s->learners[i].id, id) == 0)
			return &s->learners[i];
	return NULL;
}

static void run_scipy_peer(const char *dbpath, const char *python,
                           const char *script, int reps, sample *s,
                           peer_figs *pf)
{
	char list[] = "/tmp/bench_state.XXXXXX";
	int fd = mkstemp(list);
	if (fd < 0)
		die("cannot make a temporary file: %s", strerror(errno));
	FILE *f = fdopen(fd, "w");
	for (size_t i = 0; f && i < s->nlearners; i++)
		fprintf(f, "%s\n", s->learners[i].id);
	if (!f || fclose(f) != 0)
		die("cannot write '%s'", list);

	char cmd[8192];
	snprintf(cmd, sizeof cmd, "'%s' '%s' '%s.peer' '%s' %d", python, script,
	         dbpath, list, reps);
	FILE *p = popen(cmd, "r");
	if (!p)
		die("cannot run %s", cmd);
	char line[8192];
	bool got_p50 = false;
	while (fgets(line, sizeof line, p)) {
		line[strcspn(line, "\n")] = '\0';
		char *save = NULL, *word = strtok_r(line, " ", &save);
		if (!word)
			continue;
		if (strcmp(word, "top") == 0) {
			char *id = strtok_r(NULL, " ", &save);
			learner_case *lc = id ? find_case(s, id) : NULL;
			if (!lc)
				die("scipy peer answered for an unknown "
				    "learner '%s'",
				    id ? id : "");
			char *job;
			while ((job = strtok_r(NULL, " ", &save)) &&
			       lc->nanswer[2] < TOPK)
				lc->answer[2][lc->nanswer[2]++] = xstrdup(job);
			pf->scipy_learners++;
		} else if (strcmp(word, "p50_ms") == 0) {
			pf->scipy_p50 = atof(strtok_r(NULL, " ", &save));
			got_p50 = true;
		} else if (strcmp(word, "setup_s") == 0) {
			pf->scipy_setup_s = atof(strtok_r(NULL, " ", &save));
		}
	}
	int rc = pclose(p);
	unlink(list);
	if (rc != 0 || !got_p50)
		die("the scipy peer failed (%s, status %d)", cmd, rc);
}

/* Every sampled learner's top 10 from the three sides, ids in order; the
 * first disagreement of each learner is printed. */
static size_t compare_answers(const sample *s, size_t *agree)
{
	static const char *const side[] = {"engine", "SQLite", "scipy"};
	size_t bad = 0;
	*agree = 0;
	for (size_t i = 0; i < s->nlearners; i++) {
		const learner_case *lc = &s->learners[i];
		bool ok = true;
		for (int p = 1; p < 3 && ok; p++) {
			size_t n = lc->nanswer[0] > lc->nanswer[p]
			               ? lc->nanswer[0]
			               : lc->nanswer[p];
			for (size_t k = 0; k < n && ok; k++) {
				const char *a = k < lc->nanswer[0]
				                    ? lc->answer[0][k]
				                    : "(none)";
				const char *b = k < lc->nanswer[p]
				                    ? lc->answer[p][k]
				                    : "(none)";
				if (strcmp(a, b) != 0) {
					if (bad < 20)
						printf("  DISAGREE learner "
						       "'%s' rank "
						       "%zu: engine '%s', %s "
						       "'%s'\n",
						       lc->id, k + 1, a,
						       side[p], b);
					ok = false;
				}
			}
		}
		if (ok)
			++*agree;
		else
			bad++;
	}
	return bad;
}

/* ---- whole commands ---- */

static double run_cli(const char *cli, const char *db, const char *learner)
{
	const char *argv[] = {cli,   "--db",  db,      "--as-of",
	                      AS_OF, "match", learner, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	double t0 = now_ms();
	int rc =
	    posix_spawn(&pid, cli, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		die("cannot run '%s': %s", cli, strerror(rc));
	int status;
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid: %s", strerror(errno));
	double ms = now_ms() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("'%s --db %s match %s' failed (status %d)", cli, db,
		    learner, status);
	return ms;
}

typedef struct cli_figs {
	bool ran;
	double first_ms;
	double median_ms[CLI_PEOPLE];
	size_t people;
	double all_median_ms;
} cli_figs;

static void run_cli_timing(const char *cli, const char *db, const sample *s,
                           cli_figs *cf)
{
	cf->ran = true;
	cf->people = s->nlearners < CLI_PEOPLE ? s->nlearners : CLI_PEOPLE;
	cf->first_ms = run_cli(cli, db, s->learners[0].id);
	double all[CLI_PEOPLE * CLI_RUNS];
	size_t nall = 0;
	for (size_t i = 0; i < cf->people; i++) {
		double v[CLI_RUNS];
		for (int r = 0; r < CLI_RUNS; r++)
			all[nall++] = v[r] =
			    run_cli(cli, db, s->learners[i].id);
		cf->median_ms[i] = pct(v, CLI_RUNS, 0.5);
	}
	cf->all_median_ms = pct(all, nall, 0.5);
}

/* ---- the load figures `make bench` recorded beside the store ---- */

typedef struct load_figs {
	bool present;
	double seconds, mb, records;
} load_figs;

static void read_load_figs(const char *db, load_figs *lf)
{
	char path[4096], line[256];
	snprintf(path, sizeof path, "%s.load", db);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char key[64];
		double v;
		if (sscanf(line, "%63[a-z_]=%lf", key, &v) != 2)
			continue;
		if (strcmp(key, "load_s") == 0)
			lf->seconds = v;
		else if (strcmp(key, "mb") == 0)
			lf->mb = v;
		else if (strcmp(key, "records") == 0)
			lf->records = v;
	}
	fclose(f);
	lf->present = lf->seconds > 0;
}

/* ---- report ---- */

static void row(const char *name, timings *t, const char *extra)
{
	size_t n = t->n;
	double p50 = pct(t->v, n, 0.5), p99 = pct(t->v, n, 0.99);
	printf("  %-34s %6zu %10.3f %10.3f%s%s\n", name, n, p50, p99,
	       *extra ? "  " : "", extra);
}

int main(int argc, char **argv)
{
	const char *pos[3] = {NULL, NULL, NULL};
	const char *cli = NULL, *python = "/usr/bin/python3";
	const char *script = "tests/bench/peer_scipy.py";
	int npos = 0, reps = 5;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--cli") == 0 && i + 1 < argc)
			cli = argv[++i];
		else if (strcmp(argv[i], "--python") == 0 && i + 1 < argc)
			python = argv[++i];
		else if (strcmp(argv[i], "--peer") == 0 && i + 1 < argc)
			script = argv[++i];
		else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (argv[i][0] != '-' && npos < 3)
			pos[npos++] = argv[i];
		else
			die("usage: bench_state DB [SEED] [N] [--cli PATHWAY] "
			    "[--python PY] [--peer SCRIPT] [--reps R]");
	}
	if (!pos[0])
		die("usage: bench_state DB [SEED] [N] [--cli PATHWAY] "
		    "[--python PY] [--peer SCRIPT] [--reps R]");
	const char *dbpath = pos[0];
	uint64_t seed = pos[1] ? strtoull(pos[1], NULL, 10) : 1;
	long n = pos[2] ? atol(pos[2]) : 200;
	if (n < 1 || reps < 1)
		die("N and R are whole numbers from 1");
	struct stat sb;
	if (stat(dbpath, &sb) != 0)
		die("no database at '%s'", dbpath);

	pw_error err;
	pw_date as_of;
	pw_date_parse(AS_OF, &as_of, NULL);
	pw_engine *e = NULL;
	if (pw_open(dbpath, 0, &e, &err))
		die("%s", err.message);
	double t0 = now_ms();
	if (pw_prepare(e, &err))
		die("prepare: %s", err.message);
	double load_s = (now_ms() - t0) / 1e3;

	sample s = {0};
	{
		const model *m;
		if (engine_model(e, &m, &err))
			die("model: %s", err.message);
		sample_pick(m, as_of, seed, (size_t)n, &s);
		engine_done(e);
	}
	printf("bench_state: '%s', seed %llu: %zu learners and %zu jobs "
	       "chosen of %u learners and %zu open jobs (%u postings, %u "
	       "skills, %u credentials), as of " AS_OF "\n",
	       dbpath, (unsigned long long)seed, s.nlearners, s.njobs,
	       s.model_learners, s.nopen, s.model_jobs, s.model_skills,
	       s.model_creds);
	fflush(stdout);

	engine_figs ef = {0};
	run_queries(e, &s, as_of, &ef);
	run_restricted(e, &s, as_of, &ef);
	board_figs bf = {0};
	run_board(e, &s, as_of, &bf);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double rss_mb = (double)ru.ru_maxrss / 1024.0;
	pw_close(e);

	peer_figs pf = {0};
	run_sqlite_peer(dbpath, &s, &pf);
	run_scipy_peer(dbpath, python, script, reps, &s, &pf);
	size_t agree, bad = compare_answers(&s, &agree);

	cli_figs cf = {0};
	if (cli)
		run_cli_timing(cli, dbpath, &s, &cf);
	load_figs lf = {0};
	read_load_figs(dbpath, &lf);

	double match_p50 = pct(ef.match.v, ef.match.n, 0.5);
	double sqlite_p50 = pct(pf.sqlite.v, pf.sqlite.n, 0.5);
	double cand_p50 = pct(ef.cand.v, ef.cand.n, 0.5);
	double plan_p50 = pct(ef.plan.v, ef.plan.n, 0.5);
	double next_p50 = pct(ef.next.v, ef.next.n, 0.5);
	double sqlite_ratio = match_p50 > 0 ? sqlite_p50 / match_p50 : 0;
	double scipy_ratio = match_p50 > 0 ? pf.scipy_p50 / match_p50 : 0;
	char optimal[96];
	snprintf(optimal, sizeof optimal, "optimal %zu/%zu = %.1f%%",
	         ef.plans_optimal, ef.plan.n,
	         ef.plan.n
	             ? 100.0 * (double)ef.plans_optimal / (double)ef.plan.n
	             : 0.0);

	printf("\n  %-34s %6s %10s %10s\n", "in-process query", "n", "p50 ms",
	       "p99 ms");
	row("match (top 10)", &ef.match, "");
	row("candidates (top 20)", &ef.cand, "");
	row("explain (first match)", &ef.explain, "");
	row("plan (by hours)", &ef.plan, optimal);
	row("next (top 5)", &ef.next, "");
	printf("  restricted scoring, top 10 (SPEC §3, direct levels only):\n");
	row("  engine model, skill index", &ef.restricted, "");
	row("  SQLite peer, SQL", &pf.sqlite, "");
	printf("  %-34s %6zu %10.3f %10s  (median of %d runs each)\n",
	       "  scipy.sparse peer", pf.scipy_learners, pf.scipy_p50, "-",
	       reps);
	printf("  the three top 10 lists agree for %zu of %zu learners\n",
	       agree, s.nlearners);
	if (s.county[0])
		printf(
		    "  board views, county %s (%zu learners): demand %.2f s "
		    "(%zu programs), outcomes by gender %.2f s (%zu groups)\n",
		    s.county, s.county_learners, bf.demand_s, bf.programs,
		    bf.outcomes_s, bf.groups);
	printf("\n  load into memory (pw_prepare)      %8.2f s\n", load_s);
	printf("  peak RSS after the engine queries  %8.0f MB\n", rss_mb);
	if (lf.present)
		printf("  pathway load (timed when cached)   %8.1f MB in %.1f "
		       "s: %.1f MB/s, %.0f records/s\n",
		       lf.mb, lf.seconds, lf.mb / lf.seconds,
		       lf.records / lf.seconds);
	else
		printf("  pathway load                       no %s.load "
		       "beside the store\n",
		       dbpath);
	if (pf.build_s > 0)
		printf("  SQLite peer tables built in        %8.2f s (once; "
		       "'%s.peer')\n",
		       pf.build_s, dbpath);
	printf("  scipy peer setup (not timed)       %8.2f s\n",
	       pf.scipy_setup_s);
	if (cf.ran) {
		printf("  whole command `pathway match L`:   first %.0f ms, "
		       "then median of %d:",
		       cf.first_ms, CLI_RUNS);
		for (size_t i = 0; i < cf.people; i++)
			printf(" %.0f", cf.median_ms[i]);
		printf(" ms (all: %.0f ms)\n", cf.all_median_ms);
	}
	printf("  sqlite_ratio = SQLite p50 / engine match p50 = %.3f / %.3f; "
	       "scipy_ratio = %.3f / %.3f\n",
	       sqlite_p50, match_p50, pf.scipy_p50, match_p50);
	if (bad)
		printf("  FAILED: the peers disagree with the engine for %zu "
		       "learners\n",
		       bad);
	printf("bench: match_p50_ms=%.3f candidates_p50_ms=%.3f "
	       "plan_p50_ms=%.3f next_p50_ms=%.3f load_s=%.2f rss_mb=%.0f "
	       "sqlite_ratio=%.1f scipy_ratio=%.1f demand_s=%.2f "
	       "outcomes_s=%.2f\n",
	       match_p50, cand_p50, plan_p50, next_p50, load_s, rss_mb,
	       sqlite_ratio, scipy_ratio, bf.demand_s, bf.outcomes_s);

	for (size_t i = 0; i < s.nlearners; i++) {
		learner_case *lc = &s.learners[i];
		for (int p = 0; p < 3; p++)
			for (size_t k = 0; k < lc->nanswer[p]; k++)
				free(lc->answer[p][k]);
		for (size_t k = 0; k < lc->nlevels; k++)
			free(lc->levels[k].skill);
		free(lc->levels);
		free(lc->id);
	}
	for (size_t i = 0; i < s.njobs; i++)
		free(s.jobs[i]);
	for (size_t i = 0; i < s.nplan_jobs; i++)
		free(s.plan_jobs[i]);
	free(s.learners);
	free(s.jobs);
	free(s.plan_jobs);
	free(ef.match.v);
	free(ef.cand.v);
	free(ef.explain.v);
	free(ef.plan.v);
	free(ef.next.v);
	free(ef.restricted.v);
	free(pf.sqlite.v);
	return bad ? 1 : 0;
}
