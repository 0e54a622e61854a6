/* cmd_demand.c - the workforce board's demand view (SPEC §10): the
 * region's open jobs by occupation, the skills they ask against the
 * learners who show them, and the credentials that would qualify the most
 * learners, as three tables or as the JSON document the API serves. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const opt_spec demand_opts[] = {{"--county", true},
                                       {"--state", true},
                                       {"--near", true},
                                       {"--radius", true},
                                       {NULL, false}};

static void print_region(const pw_region *r)
{
	if (!r || (!r->ncounties && !r->state && !r->circle)) {
		printf("the whole store");
		return;
	}
	if (r->ncounties) {
		printf("count%s ", r->ncounties == 1 ? "y" : "ies");
		for (size_t i = 0; i < r->ncounties; i++)
			printf("%s%s", i ? ", " : "", r->counties[i]);
	} else if (r->state)
		printf("state %s", r->state);
	else
		printf("within %g mi of %g, %g", r->radius, r->lat, r->lon);
}

/* A name cut to width, so that the columns after it stay in place. */
static void cell(const char *s, int width)
{
	int n = (int)strlen(s);
	if (n <= width)
		printf("%-*s", width, s);
	else
		printf("%.*s~", width - 1, s);
}

static void print_tables(const pw_demand *d)
{
	char date[11];
	pw_date_format(d->as_of, date);
	printf("Demand as of %s, ", date);
	print_region(d->region);
	printf("\n\nOccupations (open postings by SOC code)\n");
	if (!d->nocc)
		printf("  no open jobs in the region\n");
	else
		printf("  %-12s %8s %8s %9s %12s %7s %9s\n", "soc", "openings",
		       "postings", "employers", "median wage", "growth",
		       "outlook");
	for (size_t i = 0; i < d->nocc; i++) {
		const pw_demand_occ *o = &d->occupations[i];
		char wage[32] = "-", growth[32] = "-", outlook[32] = "-";
		if (o->has_median_wage)
			format_money(wage, o->median_annual_wage);
		if (o->has_growth)
			snprintf(growth, sizeof growth, "%+.1f%%",
			         o->growth_pct);
		if (o->has_outlook_openings)
			snprintf(outlook, sizeof outlook, "%lld",
			         o->outlook_openings);
		printf("  %-12s %8lld %8zu %9zu %12s %7s %9s\n",
		       o->soc ? o->soc : "(none)", o->openings, o->postings,
		       o->employers, wage, growth, outlook);
	}

	printf("\nSkills (required by those postings; supply: learners of "
	       "the region at the level)\n");
	if (!d->nskills)
		printf("  no skill is required\n");
	else
		printf("  %-28s %-30s %6s %4s %6s %6s\n", "skill", "name",
		       "demand", "need", "supply", "gap");
	for (size_t i = 0; i < d->nskills; i++) {
		const pw_demand_skill *s = &d->skills[i];
		printf("  ");
		cell(s->skill, 28);
		printf(" ");
		cell(s->name, 30);
		printf(" %6lld %4d %6zu %6lld\n", s->demand, s->need, s->supply,
		       s->gap);
	}

	printf("\nPrograms (credentials that newly qualify the region's "
	       "learners for open jobs)\n");
	if (!d->nprograms)
		printf("  no credential would qualify a learner for an open "
		       "job\n");
	else
		printf("  %-28s %-30s %8s %8s %7s %10s\n", "credential", "name",
		       "learners", "openings", "hours", "cost");
	for (size_t i = 0; i < d->nprograms; i++) {
		const pw_demand_program *p = &d->programs[i];
		char cost[32];
		format_money(cost, p->cost);
		printf("  ");
		cell(p->credential, 28);
		printf(" ");
		cell(p->name, 30);
		printf(" %8zu %8lld %7g %10s\n", p->learners_unlocked,
		       p->openings_reached, p->hours, cost);
	}
}

static int run_demand(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	pw_region *region = NULL;
	pw_demand *d = NULL;
	if (!parse_opts(c, argc, argv, demand_opts, 0, 0, &o))
		return EXIT_USAGE;
	pw_status st = pw_region_parse(
	    o.set[0] ? o.value[0] : NULL, o.set[1] ? o.value[1] : NULL,
	    o.set[2] ? o.value[2] : NULL, o.set[3] ? o.value[3] : NULL, &region,
	    &err);
	if (st)
		return fail_status(st, &err);
	pw_demand_opts dopts = {.region = region, .as_of = c->as_of};
	st = pw_demand_compute(c->engine, &dopts, &d, &err);
	pw_region_free(region);
	if (st)
		return fail_status(st, &err);
	int rc = EXIT_OK;
	if (c->json)
		rc = print_doc(pw_demand_json(d, PW_JSON_PRETTY));
	else
		print_tables(d);
	pw_demand_free(d);
	return rc;
}

const command cmd_demand = {
    .name = "demand",
    .args = "[--county F,F | --state XX | --near LAT,LON --radius MI]",
    .summary = "what a region's open jobs ask, and which credentials would "
               "qualify its learners",
    .help =
        "For a workforce board, over the region's open jobs (not expired at "
        "--as-of;\nremote jobs belong to every region):\n"
        "  occupations  postings grouped by SOC code: openings, postings, "
        "distinct\n               employers, median annual wage, and the "
        "occupation's growth and\n               projected openings when "
        "known; most openings first\n"
        "  skills       each skill a posting requires: demand (the "
        "postings' openings),\n               need (the level most ask), "
        "supply (the region's learners at that\n               level), gap "
        "= demand - supply; largest gap first\n"
        "  programs     each credential that, earned alone, newly qualifies "
        "learners of\n               the region for open jobs in their "
        "range: how many learners, the\n               openings so reached, "
        "hours and cost; most learners first\n"
        "Learners belong to a region by their home. Without a region, the "
        "whole store.\n\n"
        "  --county F,F        counties by 5-digit FIPS code\n"
        "  --state XX          a state by its two-letter code\n"
        "  --near LAT,LON      with --radius MILES: a circle\n",
    .flags = CMD_DB,
    .run = run_demand,
};
