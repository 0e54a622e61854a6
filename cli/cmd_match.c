/* cmd_match.c - the learner's and the employer's questions: match,
 * explain and candidates, as readable tables or as the JSON documents of
 * SPEC §8 (rendered by the engine, the same bytes the API serves). */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

void format_money(char out[static 32], double v)
{
	long long whole = llround(v);
	char digits[32], *p = out;
	snprintf(digits, sizeof digits, "%lld", whole < 0 ? -whole : whole);
	size_t n = strlen(digits);
	if (whole < 0)
		*p++ = '-';
	*p++ = '$';
	for (size_t i = 0; i < n; i++) {
		*p++ = digits[i];
		if ((n - i - 1) % 3 == 0 && i + 1 < n)
			*p++ = ',';
	}
	*p = '\0';
}

/* Prints the words of text from indent on, wrapped at width columns. */
void print_wrapped(const char *indent, const char *text, int width)
{
	int col = printf("%s", indent);
	int start = col;
	const char *p = text;
	while (*p) {
		const char *end = strchr(p, ' ');
		int n = end ? (int)(end - p) : (int)strlen(p);
		if (col > start && col + 1 + n > width) {
			col = printf("\n%s", indent) - 1;
		} else if (col > start) {
			putchar(' ');
			col++;
		}
		col += printf("%.*s", n, p);
		p += n;
		while (*p == ' ')
			p++;
	}
	putchar('\n');
}

static void append(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);
	snprintf(buf + n, size - n, "%s", s);
}

static void print_score(double score)
{
	printf("%5.1f", score);
}

/* ---- match ---- */

static const opt_spec match_opts[] = {{"--top", true},
                                      {"--anywhere", false},
                                      {"--qualified", false},
                                      {"--occupations", false},
                                      {NULL, false}};

static void print_match_row(size_t i, const pw_match_row *r, bool occupation)
{
	char line[4096] = "", money[32], part[256];
	printf("%3zu. ", i + 1);
	print_score(r->score);
	printf("  %-9s %s", r->qualified ? "qualified" : "not yet", r->title);
	if (r->employer)
		printf(", %s", r->employer);
	printf(" (%s)\n", r->target);
	if (r->has_distance) {
		snprintf(part, sizeof part, "%.1f mi%s", r->distance_miles,
		         r->remote && !occupation ? ", remote" : "");
		append(line, sizeof line, part);
	} else if (!occupation)
		append(line, sizeof line,
		       r->remote ? "remote" : "distance unknown");
	if (r->has_wage) {
		format_money(money, r->annual_wage);
		snprintf(part, sizeof part, "%s%s/yr", line[0] ? " | " : "",
		         money);
		append(line, sizeof line, part);
	}
	for (size_t k = 0; k < r->npartial; k++) {
		snprintf(part, sizeof part, "%s %s %g of %d",
		         k ? "," : " | partial:", r->partial[k].skill,
		         r->partial[k].have, r->partial[k].need);
		append(line, sizeof line, part);
	}
	for (size_t k = 0; k < r->nmissing; k++) {
		snprintf(part, sizeof part, "%s %s",
		         k ? "," : " | missing:", r->missing[k]);
		append(line, sizeof line, part);
	}
	for (size_t k = 0; k < r->nmissing_credentials; k++) {
		snprintf(part, sizeof part, "%s %s",
		         k ? "," : " | needs credential:",
		         r->missing_credentials[k]);
		append(line, sizeof line, part);
	}
	const char *text = strncmp(line, " | ", 3) == 0 ? line + 3 : line;
	if (*text)
		print_wrapped("                     ", text, 100);
}

static int run_match(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	pw_match *m;
	pw_match_opts mo = {.as_of = c->as_of};
	if (!parse_opts(c, argc, argv, match_opts, 1, 1, &o))
		return EXIT_USAGE;
	if (o.set[0] && !parse_top(c, o.value[0], &mo.top))
		return EXIT_USAGE;
	mo.anywhere = o.set[1];
	mo.qualified = o.set[2];
	mo.occupations = o.set[3];
	pw_status st = pw_match_learner(c->engine, o.pos[0], &mo, &m, &err);
	if (st)
		return fail_status(st, &err);
	if (c->json) {
		int rc = print_doc(pw_match_json(m, PW_JSON_PRETTY));
		pw_match_free(m);
		return rc;
	}
	char date[11];
	pw_date_format(m->as_of, date);
	printf("%s for %s as of %s%s\n\n",
	       mo.occupations ? "Occupations" : "Jobs", m->learner, date,
	       mo.occupations ? ""
	       : mo.anywhere  ? ", anywhere"
	                      : ", within commuting range");
	if (!m->count)
		printf("  no %s%s\n", mo.qualified ? "qualified " : "",
		       mo.occupations ? "occupations" : "open jobs in range");
	for (size_t i = 0; i < m->count; i++)
		print_match_row(i, &m->rows[i], mo.occupations);
	if (m->count)
		printf("\nWhy a score? pathway explain %s %s\n", m->learner,
		       m->rows[0].target);
	pw_match_free(m);
	return EXIT_OK;
}

const command cmd_match = {
    .name = "match",
    .args = "LEARNER [--top N] [--anywhere] [--qualified] [--occupations]",
    .summary = "rank the open jobs in a learner's range by fit",
    .help =
        "Qualified jobs first, then by score (0-100, weighted by importance), "
        "then\nannual wage, then id. Jobs whose posting expired before the "
        "as-of date are\nleft out.\n\n"
        "  --top N         how many results (default 10)\n"
        "  --anywhere      ignore the commuting range\n"
        "  --qualified     only jobs the learner is qualified for\n"
        "  --occupations   rank standard occupations instead of postings\n",
    .flags = CMD_DB,
    .run = run_match,
};

/* ---- explain ---- */

static int run_explain(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	pw_explain *x;
	if (!parse_opts(c, argc, argv, NULL, 2, 2, &o))
		return EXIT_USAGE;
	pw_status st =
	    pw_explain_match(c->engine, o.pos[0], o.pos[1], c->as_of, &x, &err);
	if (st)
		return fail_status(st, &err);
	if (c->json) {
		int rc = print_doc(pw_explain_json(x, PW_JSON_PRETTY));
		pw_explain_free(x);
		return rc;
	}
	char date[11];
	pw_date_format(x->as_of, date);
	printf("%s and %s %s (%s), as of %s\n", x->learner,
	       x->is_occupation ? "occupation" : "job", x->title, x->target,
	       date);
	printf("score %.1f | %s | ", x->score,
	       x->qualified ? "qualified" : "not yet qualified");
	if (x->has_distance)
		printf("%.1f mi, ", x->distance_miles);
	printf("%s%s\n\n", x->in_range ? "in range" : "out of range",
	       x->open ? "" : " | posting closed");
	int w = 5;
	for (size_t i = 0; i < x->nreqs; i++) {
		int n = (int)strlen(x->reqs[i].skill);
		if (n > w)
			w = n;
	}
	printf("  %-*s  %-4s %-4s %-5s %-6s %-3s  %s\n", w, "SKILL", "NEED",
	       "HAVE", "COVER", "WEIGHT", "REQ", "WHERE IT COMES FROM");
	for (size_t i = 0; i < x->nreqs; i++) {
		const pw_explain_req *q = &x->reqs[i];
		printf("  %-*s  %-4d %-4g %-5.3f %-6d %-3s  ", w, q->skill,
		       q->need, q->have, q->coverage, q->importance,
		       q->required ? "yes" : "no");
		if (q->via == PW_VIA_NONE)
			printf("nothing held yet");
		else if (q->via == PW_VIA_DIRECT)
			printf("%s", q->via_credential);
		else
			printf("%s, via %s skill %s", q->via_credential,
			       pw_via_name(q->via), q->via_skill);
		printf("%s\n", q->any_of ? " (any of several)" : "");
	}
	if (x->ncreds) {
		printf("\n  credentials required:\n");
		for (size_t i = 0; i < x->ncreds; i++)
			printf("    %-4s %s (%s)\n",
			       x->creds[i].held ? "held" : "no",
			       x->creds[i].name, x->creds[i].credential);
	}
	pw_explain_free(x);
	return EXIT_OK;
}

const command cmd_explain = {
    .name = "explain",
    .args = "LEARNER JOB",
    .summary = "trace every point of a score to a held credential",
    .help = "JOB is a job id or an occupation code. For each requirement: the "
            "level needed,\nthe level the learner shows (directly, or one step "
            "through the taxonomy:\nnarrower skills count fully, broader ones "
            "half, related ones by weight), and\nthe credential it comes "
            "from.\n",
    .flags = CMD_DB,
    .run = run_explain,
};

/* ---- candidates ---- */

static const opt_spec cand_opts[] = {{"--top", true}, {NULL, false}};

static int run_candidates(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	pw_candidates *cs;
	size_t top = 0;
	if (!parse_opts(c, argc, argv, cand_opts, 1, 1, &o))
		return EXIT_USAGE;
	if (o.set[0] && !parse_top(c, o.value[0], &top))
		return EXIT_USAGE;
	pw_status st =
	    pw_find_candidates(c->engine, o.pos[0], c->as_of, top, &cs, &err);
	if (st)
		return fail_status(st, &err);
	if (c->json) {
		int rc = print_doc(pw_candidates_json(cs, PW_JSON_PRETTY));
		pw_candidates_free(cs);
		return rc;
	}
	char date[11];
	pw_date_format(cs->as_of, date);
	printf("Discoverable learners for %s (%s) as of %s\n\n", cs->title,
	       cs->target, date);
	if (!cs->open)
		printf("  the posting is closed\n");
	else if (!cs->count)
		printf("  no discoverable learners in range\n");
	for (size_t i = 0; i < cs->count; i++) {
		const pw_candidate *r = &cs->rows[i];
		char line[4096] = "", part[256];
		printf("%3zu. ", i + 1);
		print_score(r->score);
		printf("  %-9s %s", r->qualified ? "qualified" : "not yet",
		       r->learner);
		if (r->share_contact)
			printf(" - %s <%s>", or_dash(r->name),
			       or_dash(r->contact));
		putchar('\n');
		if (r->has_distance)
			snprintf(line, sizeof line, "%.1f mi",
			         r->distance_miles);
		else
			snprintf(line, sizeof line, "distance unknown");
		for (size_t k = 0; k < r->nmissing; k++) {
			snprintf(part, sizeof part, "%s %s",
			         k ? "," : " | missing:", r->missing[k]);
			append(line, sizeof line, part);
		}
		snprintf(part, sizeof part, " | holds %zu credential%s",
		         r->ncredentials, r->ncredentials == 1 ? "" : "s");
		append(line, sizeof line, part);
		print_wrapped("                     ", line, 100);
	}
	pw_candidates_free(cs);
	return EXIT_OK;
}

const command cmd_candidates = {
    .name = "candidates",
    .args = "JOB [--top N]",
    .summary = "rank discoverable learners in range for a job",
    .help = "Only learners who chose to be discoverable, and for whom the job "
            "is in range.\nQualified first, then by score, then id (default "
            "top 20). Names and contact\ndetails appear only for learners who "
            "chose to share them.\n\n"
            "  --top N   how many results (default 20)\n",
    .flags = CMD_DB,
    .run = run_candidates,
};
