/* cmd_outcomes.c - the workforce board's outcomes view (SPEC §10): per
 * group of a region's learners, how many are qualified and how far the
 * others are, as a table or as the JSON document the API serves. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const opt_spec outcomes_opts[] = {{"--by", true},     {"--county", true},
                                         {"--state", true},  {"--near", true},
                                         {"--radius", true}, {NULL, false}};

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
		printf("within %g mi of %g,%g", r->radius, r->lat, r->lon);
}

static void print_table(const pw_outcomes *x)
{
	char date[11];
	pw_date_format(x->as_of, date);
	printf("Outcomes by %s as of %s, ", pw_group_by_name(x->by), date);
	print_region(x->region);
	printf("\n\n");
	if (x->groups_withheld) {
		printf(
		    "  %zu learners in the region: fewer than %d, so no group "
		    "is shown\n  (even a suppressed group's name would tell "
		    "their %s)\n",
		    x->total, PW_OUTCOMES_MIN_GROUP, pw_group_by_name(x->by));
		return;
	}
	if (!x->count) {
		printf("  no learners in the region\n");
		return;
	}
	int w = 20; /* the longest group name's width */
	for (size_t i = 0; i < x->count; i++)
		if (x->groups[i].group && (int)strlen(x->groups[i].group) > w)
			w = (int)strlen(x->groups[i].group);
	printf("  %-*s %8s %9s %7s %11s %12s\n", w, "group", "learners",
	       "qualified", "share", "best score", "hours to go");
	for (size_t i = 0; i < x->count; i++) {
		const pw_outcome_group *g = &x->groups[i];
		const char *name = g->group ? g->group : "(not stated)";
		if (g->suppressed) {
			printf("  %-*s suppressed: fewer than %d learners\n", w,
			       name, PW_OUTCOMES_MIN_GROUP);
			continue;
		}
		char best[32] = "-", hours[32] = "-";
		if (g->has_median_best_score)
			snprintf(best, sizeof best, "%.2f",
			         g->median_best_score);
		if (g->has_median_hours)
			snprintf(hours, sizeof hours, "%.1f",
			         g->median_hours_to_qualify);
		printf("  %-*s %8zu %9zu %6.1f%% %11s %12s\n", w, name,
		       g->learners, g->qualified, 100 * g->qualified_share,
		       best, hours);
	}
	if (x->has_total)
		printf("\n  %zu learners in the region\n", x->total);
	printf("\n  best score and hours to go are medians; hours to go "
	       "counts the learners\n  not yet qualified who can "
	       "qualify.\n");
}

static int run_outcomes(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	pw_group_by by;
	pw_region *region = NULL;
	pw_outcomes *x = NULL;
	if (!parse_opts(c, argc, argv, outcomes_opts, 0, 0, &o))
		return EXIT_USAGE;
	if (!o.set[0])
		return usage_error(c, "outcomes needs --by county, gender, "
		                      "race_ethnicity or age_band");
	if (pw_group_by_parse(o.value[0], &by, &err))
		return usage_error(c, "--by: %s", err.message);
	pw_status st = pw_region_parse(
	    o.set[1] ? o.value[1] : NULL, o.set[2] ? o.value[2] : NULL,
	    o.set[3] ? o.value[3] : NULL, o.set[4] ? o.value[4] : NULL, &region,
	    &err);
	if (st)
		return fail_status(st, &err);
	pw_outcomes_opts oo = {.region = region, .as_of = c->as_of, .by = by};
	st = pw_outcomes_compute(c->engine, &oo, &x, &err);
	pw_region_free(region);
	if (st)
		return fail_status(st, &err);
	int rc = EXIT_OK;
	if (c->json)
		rc = print_doc(pw_outcomes_json(x, PW_JSON_PRETTY));
	else
		print_table(x);
	pw_outcomes_free(x);
	return rc;
}

const command cmd_outcomes = {
    .name = "outcomes",
    .args = "[--county F,F | --state XX | --near LAT,LON --radius MI] "
            "--by county|gender|race_ethnicity|age_band",
    .summary = "how a region's learners fare, per county or demographic "
               "group",
    .help =
        "For a workforce board: per group of the region's learners (by home "
        "county, or\nby self-reported gender, race_ethnicity or age_band), "
        "how many are qualified\nfor an open job in their range, the median "
        "of each one's best score, and the\nmedian hours the others need to "
        "qualify (the shortest plan, by hours, to any\nof their ten "
        "best-scoring jobs). Learners without the field form the group\n"
        "null. A group of fewer than 10 learners shows only that it is "
        "suppressed, and\nthe region's total is shown only when no "
        "suppressed count can be worked out\nfrom it. Without a region, "
        "the whole store.\n\n"
        "  --by FIELD          county, gender, race_ethnicity or age_band\n"
        "  --county F,F        counties by 5-digit FIPS code\n"
        "  --state XX          a state by its two-letter code\n"
        "  --near LAT,LON      with --radius MILES: a circle\n",
    .flags = CMD_DB,
    .run = run_outcomes,
};
