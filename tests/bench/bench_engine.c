/* bench_engine.c - `make bench`: in-process timings of the engine on the
 * bundled dataset (match, explain, candidates, plan for every learner and
 * in-range job, next) and the planner on synthetic 5,000-credential
 * catalogs against 20-skill gaps. Not a test: it reports figures. */
#include "pathway.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static double pct(double *v, size_t n, double p)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof *v, cmp_d);
	size_t i = (size_t)ceil(p * (double)n) - 1;
	return v[i < n ? i : n - 1];
}

static void die(const char *what, const pw_error *err)
{
	fprintf(stderr, "bench: %s: %s\n", what, err ? err->message : "");
	exit(1);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *d = malloc((size_t)n + 1);
	if (d && fread(d, 1, (size_t)n, f) != (size_t)n) {
		free(d);
		d = NULL;
	}
	fclose(f);
	if (d) {
		d[n] = '\0';
		*len = (size_t)n;
	}
	return d;
}

static void report(const char *name, double *v, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	printf("  %-34s n=%-6zu p50=%8.3f ms  p99=%8.3f ms  mean=%8.3f ms\n",
	       name, n, pct(v, n, 0.5), pct(v, n, 0.99), n ? sum / n : 0);
}

/* ---- the bundled dataset ----------------------------------------------------------- */

static void bench_bundled(const char *dir, pw_date as_of)
{
	const char *kinds[] = {"skills", "credentials", "occupations", "jobs",
	                       "learners"};
	char paths[5][512];
	const char *names[5], *data[5];
	size_t lens[5];
	pw_engine *e;
	pw_error err;
	for (int i = 0; i < 5; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/%s.json", dir, kinds[i]);
		names[i] = paths[i];
		if (!(data[i] = read_all(paths[i], &lens[i])))
			die(paths[i], NULL);
	}
	if (pw_open(":memory:", PW_OPEN_CREATE, &e, &err))
		die("open", &err);
	pw_report *rep = pw_report_new();
	double t0 = now_ms();
	if (pw_load_buffers(e, names, data, lens, 5, rep, NULL, &err))
		die("load", &err);
	double t_load = now_ms() - t0;
	pw_report_free(rep);
	for (int i = 0; i < 5; i++)
		free((void *)data[i]);

	pw_list *learners, *jobs;
	if (pw_list_entities(e, PW_KIND_LEARNER, NULL, &learners, &err) ||
	    pw_list_entities(e, PW_KIND_JOB, NULL, &jobs, &err))
		die("list", &err);
	/* the first query builds the in-memory model */
	pw_match *m;
	pw_match_opts mo = {.as_of = as_of};
	t0 = now_ms();
	if (pw_match_learner(e, learners->items[0].id, &mo, &m, &err))
		die("match", &err);
	double t_model = now_ms() - t0;
	pw_match_free(m);
	printf("bundled dataset (%s): load %.1f ms, first query (model build) "
	       "%.2f ms\n",
	       dir, t_load, t_model);

	size_t nl = learners->count, nj = jobs->count, reps = 20;
	double *tm = malloc(nl * reps * sizeof *tm);
	double *tx = malloc(nl * nj * sizeof *tx);
	double *tc = malloc(nj * reps * sizeof *tc);
	double *tp = malloc(nl * nj * 2 * sizeof *tp);
	double *tn = malloc(nl * reps * sizeof *tn);
	size_t n = 0;
	for (size_t r = 0; r < reps; r++)
		for (size_t i = 0; i < nl; i++) {
			t0 = now_ms();
			if (pw_match_learner(e, learners->items[i].id, &mo, &m, &err))
				die("match", &err);
			tm[n++] = now_ms() - t0;
			pw_match_free(m);
		}
	report("match (top 10)", tm, n);
	n = 0;
	for (size_t i = 0; i < nl; i++)
		for (size_t j = 0; j < nj; j++) {
			pw_explain *x;
			t0 = now_ms();
			if (pw_explain_match(e, learners->items[i].id, jobs->items[j].id,
			                     as_of, &x, &err))
				die("explain", &err);
			tx[n++] = now_ms() - t0;
			pw_explain_free(x);
		}
	report("explain (every pair)", tx, n);
	n = 0;
	for (size_t r = 0; r < reps; r++)
		for (size_t j = 0; j < nj; j++) {
			pw_candidates *c;
			t0 = now_ms();
			if (pw_find_candidates(e, jobs->items[j].id, as_of, 0, &c, &err))
				die("candidates", &err);
			tc[n++] = now_ms() - t0;
			pw_candidates_free(c);
		}
	report("candidates (top 20)", tc, n);

	/* plan: every learner x in-range open job, both objectives */
	size_t plans = 0, optimal = 0, reachable = 0, steps = 0;
	unsigned long max_search = 0;
	n = 0;
	for (size_t i = 0; i < nl; i++) {
		pw_match_opts all = {.as_of = as_of, .top = nj};
		if (pw_match_learner(e, learners->items[i].id, &all, &m, &err))
			die("match", &err);
		for (size_t k = 0; k < m->count; k++)
			for (int by = 0; by < 2; by++) {
				pw_plan *p;
				t0 = now_ms();
				if (pw_plan_target(e, learners->items[i].id, m->rows[k].target,
				                   as_of, (pw_objective)by, &p, &err))
					die("plan", &err);
				tp[n++] = now_ms() - t0;
				plans++;
				optimal += p->optimal;
				reachable += p->reachable;
				steps += p->nsteps;
				if (p->search_steps > max_search)
					max_search = p->search_steps;
				pw_plan_free(p);
			}
		pw_match_free(m);
	}
	report("plan (learner x in-range job)", tp, n);
	printf("    %zu plans: %zu proven optimal (%.2f%%), %zu reachable, %.2f "
	       "steps on average, at most %lu search steps\n",
	       plans, optimal, 100.0 * optimal / (plans ? plans : 1), reachable,
	       (double)steps / (plans ? plans : 1), max_search);
	n = 0;
	for (size_t r = 0; r < reps; r++)
		for (size_t i = 0; i < nl; i++) {
			pw_next *nx;
			t0 = now_ms();
			if (pw_next_credentials(e, learners->items[i].id, as_of, 0, &nx, &err))
				die("next", &err);
			tn[n++] = now_ms() - t0;
			pw_next_free(nx);
		}
	report("next (top 5)", tn, n);
	free(tm);
	free(tx);
	free(tc);
	free(tp);
	free(tn);
	pw_list_free(learners);
	pw_list_free(jobs);
	pw_close(e);
}

/* ---- synthetic catalogs -------------------------------------------------------------- */

typedef struct rng {
	unsigned long long s;
} rng;

static double unif(rng *r)
{
	r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(r->s >> 11) / 9007199254740992.0;
}

static unsigned pick(rng *r, unsigned n)
{
	return (unsigned)(unif(r) * n) % n;
}

/* Zipf-like over n: popular skills are granted by many credentials. */
static unsigned zipf(rng *r, unsigned n)
{
	double u = unif(r);
	return (unsigned)(pow((double)n, u)) - 1 < n ? (unsigned)(pow((double)n, u)) - 1
	                                            : n - 1;
}

typedef struct sbuf {
	char *d;
	size_t len, cap;
} sbuf;

static void sput(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(b->d ? b->d + b->len : NULL, b->d ? b->cap - b->len : 0,
		                  fmt, ap);
		va_end(ap);
		if (b->d && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = (b->cap + (size_t)n + 1) * 2;
		b->d = realloc(b->d, b->cap);
		if (!b->d)
			die("out of memory", NULL);
	}
}

#define SKILLS 400
#define CREDS 5000
#define GAP 20

static char *synthetic(unsigned seed)
{
	rng r = {seed * 0x9E3779B97F4A7C15ull + 1};
	sbuf b = {0};
	sput(&b, "{\"skills\": [");
	for (unsigned s = 0; s < SKILLS; s++)
		sput(&b, "%s{\"id\": \"s%03u\", \"name\": \"Skill %u\"%s}", s ? "," : "",
		     s, s, s >= 40 && s % 5 == 0 ? ", \"broader\": [\"s000\"]" : "");
	sput(&b, "], \"credentials\": [");
	for (unsigned c = 0; c < CREDS; c++) {
		unsigned k = 2 + pick(&r, 7); /* 2-8 skills */
		sput(&b, "%s{\"id\": \"c%04u\", \"name\": \"Credential %u\", \"skills\": [",
		     c ? "," : "", c, c);
		unsigned used[8];
		unsigned nu = 0;
		for (unsigned i = 0; i < k; i++) {
			unsigned s = zipf(&r, SKILLS), dupl = 0;
			for (unsigned j = 0; j < nu; j++)
				dupl |= used[j] == s;
			if (dupl)
				continue;
			used[nu++] = s;
			sput(&b, "%s{\"skill\": \"s%03u\", \"level\": %u}", nu > 1 ? "," : "",
			     s, 1 + pick(&r, 4));
		}
		double hours = 8 + floor(unif(&r) * 190);
		double cost = floor(hours * (5 + unif(&r) * 20));
		sput(&b, "], \"hours\": %.0f, \"cost\": %.0f", hours, cost);
		if (c >= 100 && pick(&r, 10) == 0)
			sput(&b, ", \"prerequisites\": [\"c%04u\"]", pick(&r, c));
		sput(&b, "}");
	}
	/* the target: 20 required skills spread over the popularity range */
	sput(&b, "], \"learners\": [{\"id\": \"L\"}], \"jobs\": [{\"id\": \"J\", "
	         "\"title\": \"Target\", \"requirements\": [");
	unsigned chosen[GAP], nch = 0;
	while (nch < GAP) {
		unsigned s = 1 + pick(&r, 120), dupl = 0;
		for (unsigned j = 0; j < nch; j++)
			dupl |= chosen[j] == s;
		if (dupl)
			continue;
		chosen[nch++] = s;
		sput(&b, "%s{\"skill\": \"s%03u\", \"level\": %u, \"importance\": %u}",
		     nch > 1 ? "," : "", s, 1 + pick(&r, 3), 1 + pick(&r, 5));
	}
	sput(&b, "]}]}");
	return b.d;
}

static void bench_synthetic(unsigned count, pw_date as_of)
{
	double *t = malloc(count * 2 * sizeof *t);
	size_t n = 0, optimal = 0, reachable = 0, steps = 0;
	unsigned long max_search = 0;
	double load_ms = 0;
	for (unsigned seed = 0; seed < count; seed++) {
		char *json = synthetic(seed);
		pw_engine *e;
		pw_error err;
		if (pw_open(":memory:", PW_OPEN_CREATE, &e, &err))
			die("open", &err);
		pw_report *rep = pw_report_new();
		const char *name = "synthetic.json";
		size_t len = strlen(json);
		double t0 = now_ms();
		if (pw_load_buffers(e, &name, (const char *const *)&json, &len, 1, rep,
		                    NULL, &err)) {
			for (size_t i = 0; i < pw_report_count(rep) && i < 5; i++) {
				const char *f, *p, *why;
				pw_report_get(rep, i, &f, &p, &why);
				fprintf(stderr, "%s: %s: %s\n", f, p, why);
			}
			die("synthetic load", &err);
		}
		load_ms += now_ms() - t0;
		pw_report_free(rep);
		free(json);
		for (int by = 0; by < 2; by++) {
			pw_plan *p;
			/* the first plan of an engine also builds its model: time a
			 * warm one */
			if (by == 0 && pw_plan_target(e, "L", "J", as_of, PW_BY_HOURS, &p,
			                              &err) == PW_OK)
				pw_plan_free(p);
			t0 = now_ms();
			if (pw_plan_target(e, "L", "J", as_of, (pw_objective)by, &p, &err))
				die("plan", &err);
			t[n++] = now_ms() - t0;
			optimal += p->optimal;
			reachable += p->reachable;
			steps += p->nsteps;
			if (p->search_steps > max_search)
				max_search = p->search_steps;
			pw_plan_free(p);
		}
		pw_close(e);
	}
	printf("synthetic catalogs: %u x (%d credentials, %d skills, a %d-skill "
	       "gap), load %.0f ms each\n",
	       count, CREDS, SKILLS, GAP, load_ms / count);
	report("plan (5,000 credentials, 20 gaps)", t, n);
	printf("    %zu plans: %zu proven optimal (%.1f%%), %zu reachable, %.1f "
	       "steps on average, at most %lu search steps\n",
	       n, optimal, 100.0 * optimal / (n ? n : 1), reachable,
	       (double)steps / (n ? n : 1), max_search);
	free(t);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "datasets/rural-sample";
	unsigned synth = argc > 2 ? (unsigned)atoi(argv[2]) : 20;
	pw_date as_of;
	pw_date_parse("2026-11-23", &as_of, NULL);
	printf("pathway %s engine benchmark (as of 2026-11-23)\n\n", pw_version());
	bench_bundled(dir, as_of);
	printf("\n");
	bench_synthetic(synth, as_of);
	return 0;
}
