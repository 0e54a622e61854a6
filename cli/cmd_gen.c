/* cmd_gen.c - `pathway gen`: writes a synthetic native dataset of a given
 * scale from a seed (the generator is gen.c); needs no database. */
#include "cli.h"
#include "gen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	O_SCALE,
	O_SEED,
	O_OUT,
	O_SKILLS,
	O_CREDENTIALS,
	O_OCCUPATIONS,
	O_JOBS,
	O_LEARNERS,
	O_PER_FILE,
	O_COUNTIES
};

static const opt_spec gen_opts[] = {{"--scale", true},
                                    {"--seed", true},
                                    {"--out", true},
                                    {"--skills", true},
                                    {"--credentials", true},
                                    {"--occupations", true},
                                    {"--jobs", true},
                                    {"--learners", true},
                                    {"--learners-per-file", true},
                                    {"--counties", true},
                                    {NULL, false}};

/* Digits only: no sign, no space, no hex, within lo..hi. */
static bool parse_whole(const char *text, unsigned long long lo,
                        unsigned long long hi, unsigned long long *out)
{
	if (!text[0])
		return false;
	for (const char *p = text; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool take_count(cli *c, const opts *o, int k, unsigned long long lo,
                       unsigned long long hi, size_t *out)
{
	unsigned long long v;
	if (!o->set[k])
		return true;
	if (!parse_whole(o->value[k], lo, hi, &v)) {
		usage_error(c,
		            "%s takes a whole number from %llu to %llu, got "
		            "'%s'",
		            gen_opts[k].name, lo, hi, o->value[k]);
		return false;
	}
	*out = (size_t)v;
	return true;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int run_gen(cli *c, int argc, char **argv)
{
	opts o;
	gen_config cfg;
	gen_summary sum;
	pw_error err;
	char out[4096], overrides[512] = "";
	struct timespec t0;
	memset(&cfg, 0, sizeof cfg);
	if (!parse_opts(c, argc, argv, gen_opts, 0, 0, &o))
		return EXIT_USAGE;
	const char *scale = o.set[O_SCALE] ? o.value[O_SCALE] : "small";
	if (!gen_preset(scale, &cfg))
		return usage_error(c, "--scale is 'small' or 'state', got '%s'",
		                   scale);
	unsigned long long seed = 1;
	if (o.set[O_SEED] &&
	    !parse_whole(o.value[O_SEED], 0, UINT64_MAX, &seed))
		return usage_error(c,
		                   "--seed takes a whole number from 0 to "
		                   "18446744073709551615, got '%s'",
		                   o.value[O_SEED]);
	cfg.seed = (uint64_t)seed;
	static const struct {
		int opt;
		unsigned long long lo, hi;
	} counts[] = {
	    {O_SKILLS, GEN_SKILLS_MIN, 1000000},
	    {O_CREDENTIALS, GEN_CREDENTIALS_MIN, 1000000},
	    {O_OCCUPATIONS, GEN_OCCUPATIONS_MIN, GEN_OCCUPATIONS_MAX},
	    {O_JOBS, 0, GEN_COUNT_MAX},
	    {O_LEARNERS, 0, GEN_COUNT_MAX},
	    {O_PER_FILE, 1, 10000000},
	};
	size_t *dest[] = {&cfg.skills,      &cfg.credentials,
	                  &cfg.occupations, &cfg.jobs,
	                  &cfg.learners,    &cfg.learners_per_file};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		if (!take_count(c, &o, counts[i].opt, counts[i].lo,
		                counts[i].hi, dest[i]))
			return EXIT_USAGE;
		if (o.set[counts[i].opt] && counts[i].opt != O_PER_FILE) {
			size_t n = strlen(overrides);
			snprintf(overrides + n, sizeof overrides - n, "%s%s %s",
			         n ? " " : "", gen_opts[counts[i].opt].name,
			         o.value[counts[i].opt]);
		}
	}
	cfg.overrides = overrides[0] ? overrides : NULL;
	if (o.set[O_COUNTIES]) {
		if (!o.value[O_COUNTIES][0])
			return usage_error(c, "--counties needs a file name");
		cfg.counties = o.value[O_COUNTIES];
	}
	if (o.set[O_OUT]) {
		if (!o.value[O_OUT][0])
			return usage_error(c, "--out needs a directory name");
		cfg.out = o.value[O_OUT];
	} else {
		snprintf(out, sizeof out, "gen-%s-%llu", scale, seed);
		cfg.out = out;
	}
	cfg.ref = c->as_of_given ? c->as_of : gen_default_ref();

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pw_status st = gen_write(&cfg, &sum, &err);
	if (st) {
		fprintf(stderr, "pathway: gen: %s\n", err.message);
		return exit_for(st);
	}
	double secs = seconds_since(&t0);
	if (c->json) {
		printf("{\"out\": \"");
		for (const char *p = cfg.out; *p; p++) {
			if (*p == '"' || *p == '\\')
				putchar('\\');
			if ((unsigned char)*p >= 0x20)
				putchar(*p);
		}
		printf(
		    "\", \"scale\": \"%s\", \"seed\": %llu, \"generated\": {",
		    cfg.scale, seed);
		for (int k = 0; k < PW_KIND_COUNT; k++)
			printf("%s\"%s\": %zu", k ? ", " : "",
			       pw_kind_name((pw_kind)k), sum.count[k]);
		printf(
		    "}, \"files\": %zu, \"bytes\": %llu, \"seconds\": %.3f}\n",
		    sum.files, (unsigned long long)sum.bytes, secs);
		return EXIT_OK;
	}
	printf("generated %zu skills, %zu credentials, %zu occupations, %zu "
	       "jobs, %zu learners (scale %s, seed %llu) into '%s': %zu JSON "
	       "files, %.1f MB in %.2f s\n",
	       sum.count[PW_KIND_SKILL], sum.count[PW_KIND_CREDENTIAL],
	       sum.count[PW_KIND_OCCUPATION], sum.count[PW_KIND_JOB],
	       sum.count[PW_KIND_LEARNER], cfg.scale, seed, cfg.out, sum.files,
	       (double)sum.bytes / 1e6, secs);
	return EXIT_OK;
}

const command cmd_gen = {
    .name = "gen",
    .args = "[--scale small|state] [--seed N] [--out DIR]",
    .summary = "write a synthetic dataset (deterministic from a seed)",
    .help = "Writes a native dataset of invented skills, credentials,\n"
            "occupations, jobs and learners into DIR (default\n"
            "./gen-SCALE-SEED): skills.json, credentials.json,\n"
            "occupations.json, jobs.json, learners-000.json... and\n"
            "README.txt. The same seed and options give the same bytes on\n"
            "every machine. Load it with 'pathway load DIR/*.json'.\n\n"
            "  --scale small|state   small: 2,000 skills, 1,000 credentials,\n"
            "                        300 occupations, 1,000 jobs, 10,000\n"
            "                        learners; state: 20,000, 10,000, 900,\n"
            "                        100,000 and 1,000,000 (default small)\n"
            "  --seed N              0 to 2^64-1 (default 1)\n"
            "  --out DIR             created when absent\n"
            "  --skills N, --credentials N, --occupations N, --jobs N,\n"
            "  --learners N          override one count of the scale\n"
            "  --learners-per-file N learners in each learners-NNN.json\n"
            "                        (default 100,000)\n"
            "  --counties FILE       place jobs and learners around every\n"
            "                        county of a Census gazetteer counties\n"
            "                        file (pipe-separated, no header) instead\n"
            "                        of the built-in county centres\n\n"
            "Dates are relative to 2026-11-23, or to --as-of DATE.\n",
    .flags = 0,
    .run = run_gen,
};
