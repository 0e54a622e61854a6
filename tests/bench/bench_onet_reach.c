/* bench_onet_reach.c - how many O*NET occupations the bundled catalog's
 * credentials reach, under several mappings of O*NET's ratings onto
 * requirements (engine/src/onet.h). The thresholds of onet_default_mapping
 * were chosen from this table (README.md, "O*NET and BLS").
 *
 * usage: bench_onet_reach CATALOG_DIR ONET_DIR
 *   e.g. build/bench/bench_onet_reach datasets/rural-sample \
 *        ../shared/data/onet_29_3
 *
 * For each mapping: a fresh in-memory store, the catalog (every *.json of
 * CATALOG_DIR), `import onet`, then a plan (by hours, as of 2026-06-01) to
 * every occupation for a learner who holds nothing and lives nowhere in
 * particular (every credential is in range), and for each bundled learner
 * to the occupations the catalog itself names (the credentials'
 * `occupations`). An occupation is reachable when the plan is. */
#include "onet.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AS_OF "2026-06-01"

typedef struct result {
	size_t occupations; /* with at least one requirement */
	size_t with_required, reachable, not_optimal;
	size_t reachable_required; /* reachable, with a required requirement */
	size_t required_reqs;
	size_t bundled, bundled_reachable; /* the catalog's own occupations */
	size_t learner_pairs, learner_reachable;
	double seconds;
} result;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of dir, sorted. */
static size_t catalog_files(const char *dir, char **out, size_t cap)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	struct dirent *ent;
	if (!d)
		return 0;
	while ((ent = readdir(d)) && n < cap) {
		size_t len = strlen(ent->d_name);
		if (len > 5 && strcmp(ent->d_name + len - 5, ".json") == 0) {
			out[n] = malloc(strlen(dir) + len + 2);
			if (!out[n])
				break;
			sprintf(out[n++], "%s/%s", dir, ent->d_name);
		}
	}
	closedir(d);
	qsort(out, n, sizeof *out, cmp_str);
	return n;
}

static void print_report(const pw_report *rep)
{
	for (size_t i = 0; i < pw_report_count(rep) && i < 20; i++) {
		const char *f, *p, *why;
		pw_report_get(rep, i, &f, &p, &why);
		fprintf(stderr, "  %s: %s: %s\n", f, p, why);
	}
}

/* Counts of an occupation's requirements, read back from the store. */
static void count_reqs(pw_engine *e, const char *id, size_t *all,
                       size_t *required)
{
	char *text = NULL;
	*all = *required = 0;
	if (pw_show_json(e, PW_KIND_OCCUPATION, id, 0, &text, NULL))
		return;
	/* the native form writes "required": true|false once per entry */
	for (const char *p = text; (p = strstr(p, "\"required\":")); p++) {
		(*all)++;
		if (strncmp(p + 11, "true", 4) == 0)
			(*required)++;
	}
	pw_free(text);
}

static int run(const char *catalog, const char *onet, const onet_mapping *m,
               result *res)
{
	char *files[64];
	size_t nfiles = catalog_files(catalog, files, 64);
	pw_engine *e = NULL;
	pw_error err;
	pw_report *rep = pw_report_new();
	pw_list *occs = NULL, *learners = NULL;
	pw_date as_of;
	int rc = 1;
	double t0 = now();
	memset(res, 0, sizeof *res);
	pw_date_parse(AS_OF, &as_of, NULL);
	static const char nobody[] =
	    "{\"learners\": [{\"id\": \"bench-nobody\"}]}";
	const char *names[] = {"bench"}, *docs[] = {nobody};
	size_t lens[] = {sizeof nobody - 1};
	if (!rep || pw_open(":memory:", PW_OPEN_CREATE, &e, &err) ||
	    pw_load_files(e, (const char *const *)files, nfiles, rep, NULL,
	                  &err) ||
	    pw_load_buffers(e, names, docs, lens, 1, rep, NULL, &err) ||
	    onet_import(e, onet, m, NULL, rep, NULL, &err) ||
	    pw_list_entities(e, PW_KIND_OCCUPATION, NULL, &occs, &err) ||
	    pw_list_entities(e, PW_KIND_LEARNER, NULL, &learners, &err)) {
		fprintf(stderr, "bench_onet_reach: %s\n", err.message);
		print_report(rep);
		goto out;
	}
	/* the occupations the catalog's credentials name */
	char *bundled[256];
	size_t nbundled = 0;
	pw_list *creds = NULL;
	if (pw_list_entities(e, PW_KIND_CREDENTIAL, NULL, &creds, &err))
		goto out;
	for (size_t i = 0; i < creds->count; i++) {
		char *text;
		if (pw_show_json(e, PW_KIND_CREDENTIAL, creds->items[i].id, 0,
		                 &text, NULL))
			continue;
		const char *p = strstr(text, "\"occupations\":[");
		for (p = p ? p + 15 : NULL; p && *p == '"'; p += 13) {
			char code[11];
			memcpy(code, p + 1, 10);
			code[10] = '\0';
			bool seen = false;
			for (size_t k = 0; k < nbundled; k++)
				seen |= strcmp(bundled[k], code) == 0;
			if (!seen && nbundled < 256)
				bundled[nbundled++] = strdup(code);
			if (p[12] != ',')
				break;
		}
		pw_free(text);
	}
	pw_list_free(creds);
	for (size_t i = 0; i < occs->count; i++) {
		const char *id = occs->items[i].id;
		size_t all, required;
		count_reqs(e, id, &all, &required);
		if (!all)
			continue;
		res->occupations++;
		res->required_reqs += required;
		if (required)
			res->with_required++;
		pw_plan *p;
		if (pw_plan_target(e, "bench-nobody", id, as_of, PW_BY_HOURS,
		                   &p, &err)) {
			fprintf(stderr, "plan %s: %s\n", id, err.message);
			goto out;
		}
		res->reachable += p->reachable;
		res->reachable_required += p->reachable && required;
		res->not_optimal += !p->optimal;
		bool is_bundled = false;
		for (size_t k = 0; k < nbundled; k++)
			is_bundled |= strcmp(bundled[k], id) == 0;
		if (is_bundled) {
			res->bundled++;
			res->bundled_reachable += p->reachable;
		}
		pw_plan_free(p);
		for (size_t l = 0; is_bundled && l < learners->count; l++) {
			if (strcmp(learners->items[l].id, "bench-nobody") == 0)
				continue;
			if (pw_plan_target(e, learners->items[l].id, id, as_of,
			                   PW_BY_HOURS, &p, &err)) {
				fprintf(stderr, "plan %s: %s\n", id,
				        err.message);
				goto out;
			}
			res->learner_pairs++;
			res->learner_reachable += p->reachable;
			pw_plan_free(p);
		}
	}
	for (size_t k = 0; k < nbundled; k++)
		free(bundled[k]);
	rc = 0;
out:
	res->seconds = now() - t0;
	pw_list_free(occs);
	pw_list_free(learners);
	pw_report_free(rep);
	pw_close(e);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s CATALOG_DIR ONET_DIR\n", argv[0]);
		return 2;
	}
	static const double ims[] = {3.0, 3.5, 4.0, 4.5};
	static const struct {
		const char *name;
		double cut[3];
	} bands[] = {{"nearest anchor: 3/5/6.5", {3, 5, 6.5}},
	             {"at the anchors: 2/4/6", {2, 4, 6}},
	             {"quarters of 0-7: 1.75/3.5/5.25", {1.75, 3.5, 5.25}}};
	printf("| required when IM >= | technical skills (2.B.3) | LV -> "
	       "level bands | occupations rated | with a required "
	       "requirement | required per occupation | reachable, "
	       "nothing held | of them with a required requirement | "
	       "the catalog's %s occupations reachable | "
	       "bundled learner x catalog occupation plans reachable | "
	       "seconds |\n",
	       "own");
	printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t b = 0; b < sizeof bands / sizeof bands[0]; b++)
		for (int tech = 0; tech < 2; tech++)
			for (size_t i = 0; i < sizeof ims / sizeof ims[0];
			     i++) {
				onet_mapping m = onet_default_mapping;
				m.required_im = ims[i];
				m.technical_required = tech;
				memcpy(m.level_cut, bands[b].cut,
				       sizeof m.level_cut);
				result r;
				if (run(argv[1], argv[2], &m, &r))
					return 1;
				printf("| %.1f | %s | %s | %zu | %zu | %.1f | "
				       "%zu (%.1f%%) | %zu | %zu of %zu | %zu "
				       "of %zu "
				       "(%.1f%%) | %.1f |\n",
				       ims[i],
				       tech ? "may be required" : "preferred",
				       bands[b].name, r.occupations,
				       r.with_required,
				       r.occupations ? (double)r.required_reqs /
				                           r.occupations
				                     : 0,
				       r.reachable,
				       r.occupations
				           ? 100.0 * r.reachable / r.occupations
				           : 0,
				       r.reachable_required,
				       r.bundled_reachable, r.bundled,
				       r.learner_reachable, r.learner_pairs,
				       r.learner_pairs
				           ? 100.0 * r.learner_reachable /
				                 r.learner_pairs
				           : 0,
				       r.seconds);
				fflush(stdout);
			}
	return 0;
}
