/* cmd_plan.c - the learner's way forward: plan (the cheapest credentials to
 * a target, in order, with the score rising after each) and next (the one
 * credential that unlocks the most openings now). */
#include "cli.h"

#include <math.h>
#include <string.h>

static const opt_spec plan_opts[] = {
    {"--by", true}, {"--format", true}, {NULL, false}};

static void print_hours(double h)
{
	if (h == floor(h))
		printf("%7.0f h", h);
	else
		printf("%7.1f h", h);
}

static void print_plan_text(const pw_plan *p)
{
	char date[11], money[32];
	pw_date_format(p->as_of, date);
	printf("Plan for %s: %s (%s)\n", p->learner, p->title, p->target);
	printf("fewest %s first | as of %s | %g hours a week | %s\n\n",
	       p->objective == PW_BY_HOURS ? "hours" : "dollars", date,
	       p->hours_per_week,
	       p->optimal ? "proven optimal"
	                  : "best found within the search budget (not proven "
	                    "optimal)");
	printf("  now: score %.1f, %s\n", p->score_now,
	       p->qualified_now ? "qualified" : "not yet qualified");
	if (p->qualified_now && !p->nsteps) {
		printf("\n  Already qualified: nothing to earn.\n");
		return;
	}
	if (!p->reachable) {
		printf(
		    "\n  Not reachable with credentials earnable here. Nothing "
		    "earnable closes:\n");
		for (size_t i = 0; i < p->nblocking; i++) {
			if (p->blocking[i].skill)
				printf("    - skill %s at level %d\n",
				       p->blocking[i].skill,
				       p->blocking[i].need);
			else
				printf("    - credential %s\n",
				       p->blocking[i].credential);
		}
		if (p->nsteps)
			printf("  The steps below close every other gap.\n");
	}
	if (!p->nsteps) {
		if (p->reachable)
			printf("\n  Nothing to earn.\n");
		return;
	}
	printf("\n  STEP  CREDENTIAL%*s  HOURS       COST  WEEK  SCORE\n", 34,
	       "");
	double score = p->score_now;
	for (size_t i = 0; i < p->nsteps; i++) {
		const pw_plan_step *s = &p->steps[i];
		printf("  %4zu  %-44.44s", i + 1, s->name);
		print_hours(s->hours);
		format_money(money, s->cost);
		printf("  %9s  %4lld  %5.1f -> %.1f%s\n", money, s->weeks,
		       score, s->score_after,
		       s->qualified_after ? "  qualified" : "");
		printf("        %s", s->credential);
		if (s->college_credits > 0)
			printf(" | +%g college credit%s", s->college_credits,
			       s->college_credits == 1 ? "" : "s");
		printf("\n");
		score = s->score_after;
	}
	format_money(money, p->total_cost);
	printf("\n  total: %g hours, %s, about %lld week%s at %g hours a week",
	       p->total_hours, money, p->steps[p->nsteps - 1].weeks,
	       p->steps[p->nsteps - 1].weeks == 1 ? "" : "s",
	       p->hours_per_week);
	if (p->total_college_credits > 0)
		printf("; %g college credits along the way",
		       p->total_college_credits);
	printf("\n");
}

static int run_plan(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	pw_plan *p;
	pw_objective by = PW_BY_HOURS;
	bool dot = false, ctdl = false;
	if (!parse_opts(c, argc, argv, plan_opts, 2, 2, &o))
		return EXIT_USAGE;
	if (o.set[0]) {
		if (strcmp(o.value[0], "hours") == 0)
			by = PW_BY_HOURS;
		else if (strcmp(o.value[0], "cost") == 0)
			by = PW_BY_COST;
		else
			return usage_error(c,
			                   "--by takes hours or cost, got '%s'",
			                   o.value[0]);
	}
	if (o.set[1]) {
		if (strcmp(o.value[1], "dot") == 0)
			dot = true;
		else if (strcmp(o.value[1], "ctdl") == 0)
			ctdl = true;
		else if (strcmp(o.value[1], "text") != 0)
			return usage_error(
			    c, "--format takes text, dot or ctdl, got '%s'",
			    o.value[1]);
	}
	pw_status st = pw_plan_target(c->engine, o.pos[0], o.pos[1], c->as_of,
	                              by, &p, &err);
	if (st)
		return fail_status(st, &err);
	int rc = EXIT_OK;
	if (dot)
		rc = print_doc(pw_plan_dot(p));
	else if (ctdl) {
		char *doc;
		if ((st = pw_plan_ctdl(c->engine, p, PW_JSON_PRETTY, &doc,
		                       &err)))
			rc = fail_status(st, &err);
		else
			rc = print_doc(doc);
	} else if (c->json)
		rc = print_doc(pw_plan_json(p, PW_JSON_PRETTY));
	else
		print_plan_text(p);
	pw_plan_free(p);
	return rc;
}

const command cmd_plan = {
    .name = "plan",
    .args = "LEARNER JOB [--by hours|cost] [--format text|dot|ctdl]",
    .summary = "the cheapest credentials to qualify for a job, in order",
    .help =
        "JOB is a job id or an occupation code. The plan is the set of "
        "earnable\ncredentials (listed, with known hours and cost, taught "
        "online or within\nrange) with the least total hours (or cost), ties "
        "broken by the other\nmeasure, then fewer credentials, then the "
        "higher resulting score, then\nids. Prerequisites come first; "
        "otherwise the step raising the score most.\nThe search is exact "
        "within a fixed budget of search steps; a plan past it\nis marked "
        "not proven optimal. When something cannot be earned here, the\nplan "
        "says what blocks it and closes every other gap.\n\n"
        "  --by hours|cost     what to minimise (default hours)\n"
        "  --format text|dot|ctdl\n"
        "                      a table, a Graphviz digraph for 'dot -Tsvg', "
        "or a CTDL\n"
        "                      Pathway (JSON-LD) a registry can read\n",
    .flags = CMD_DB,
    .run = run_plan,
};

static const opt_spec next_opts[] = {{"--top", true}, {NULL, false}};

static int run_next(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	pw_next *nx;
	size_t top = 0;
	if (!parse_opts(c, argc, argv, next_opts, 1, 1, &o))
		return EXIT_USAGE;
	if (o.set[0] && !parse_top(c, o.value[0], &top))
		return EXIT_USAGE;
	pw_status st =
	    pw_next_credentials(c->engine, o.pos[0], c->as_of, top, &nx, &err);
	if (st)
		return fail_status(st, &err);
	if (c->json) {
		int rc = print_doc(pw_next_json(nx, PW_JSON_PRETTY));
		pw_next_free(nx);
		return rc;
	}
	char date[11];
	pw_date_format(nx->as_of, date);
	printf(
	    "Credentials %s can start now, by the openings they unlock, as of "
	    "%s\n\n",
	    nx->learner, date);
	if (!nx->count)
		printf("  none changes anything for the jobs in range\n");
	for (size_t i = 0; i < nx->count; i++) {
		const pw_next_item *it = &nx->items[i];
		char money[32];
		format_money(money, it->cost);
		printf("%3zu. %s (%s): %g h, %s\n", i + 1, it->name,
		       it->credential, it->hours, money);
		if (it->newly_qualified_openings) {
			printf("     qualifies for %lld more opening%s:",
			       it->newly_qualified_openings,
			       it->newly_qualified_openings == 1 ? "" : "s");
			for (size_t k = 0; k < it->njobs; k++)
				printf(" %s", it->newly_qualified_jobs[k]);
			printf("\n");
		}
		printf("     score gain across jobs in range: +%.1f "
		       "(weighted by openings)\n",
		       it->score_gain);
	}
	if (nx->count)
		printf("\nA plan to one job: pathway plan %s JOB\n",
		       nx->learner);
	pw_next_free(nx);
	return EXIT_OK;
}

const command cmd_next = {
    .name = "next",
    .args = "LEARNER [--top N]",
    .summary = "the credential to earn next: the one that unlocks the most",
    .help = "Credentials the learner can start now (prerequisites held), "
            "ranked by the\nopenings of in-range jobs they newly qualify "
            "for, then by the openings-\nweighted score gain, then fewer "
            "hours, then id. Those that change nothing\nare left out.\n\n"
            "  --top N   how many (default 5)\n",
    .flags = CMD_DB,
    .run = run_next,
};
