/* bench_eval_extract.c - `make eval`: the extractor measured against ground
 * truth nobody here wrote. Decorte et al.'s ESCO-linked skill extraction
 * benchmarks (TECH and HOUSE: SkillSpan job-posting sentences whose skill
 * spans are linked to ESCO skills; TECHWOLF: sentences with their ESCO
 * skills) are run through the extractor over a store holding the ESCO
 * skills (`pathway import esco`). Per sentence the linked skills found are
 * compared with the gold ones by preferred label: precision, recall and F1,
 * micro-averaged. Then throughput in MB/s over the same sentences repeated
 * to tens of megabytes.
 *
 * usage: bench_eval_extract DB DECORTE_DATA_DIR */
#include "extract.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define THROUGHPUT_BYTES (32u << 20)

typedef struct counts {
	size_t sentences, gold, predicted, hits;
} counts;

static char *lower(const char *s)
{
	char *t = strdup(s);
	for (char *p = t; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return t;
}

/* sentence -> {label: true}, gold labels of each sentence (lowercase) */
static json_t *read_gold(const char *path, const char *name)
{
	static const char *const cols[] = {"sentence", "label", NULL};
	pw_report *rep = pw_report_new();
	pw_error err;
	table *t;
	if (table_open(path, name, ',', cols, rep, &t, &err)) {
		fprintf(stderr, "eval: %s: %s\n", path, err.message);
		exit(1);
	}
	int cs = table_column(t, "sentence"), cl = table_column(t, "label");
	json_t *by = json_object();
	while (table_next(t, &err) == 1) {
		const char *sentence = table_get(t, cs);
		json_t *set = json_object_get(by, sentence);
		if (!set) {
			set = json_object();
			json_object_set_new(by, sentence, set);
		}
		const char *label = table_get(t, cl);
		/* spans that ESCO has no skill for, or that are too vague */
		if (!*label || strcmp(label, "UNDERSPECIFIED") == 0 ||
		    strcmp(label, "LABEL NOT PRESENT") == 0)
			continue;
		char *l = lower(label);
		json_object_set_new(set, l, json_true());
		free(l);
	}
	if (pw_report_count(rep)) {
		const char *f, *p, *r;
		pw_report_get(rep, 0, &f, &p, &r);
		fprintf(stderr, "eval: %s: %s: %s\n", f, p, r);
		exit(1);
	}
	table_close(t);
	pw_report_free(rep);
	return by;
}

static counts score_set(const extractor *x, json_t *by, ext_hits *h)
{
	counts c = {0};
	const char *sentence;
	json_t *gold;
	pw_error err;
	json_object_foreach(by, sentence, gold)
	{
		if (extractor_run(x, sentence, strlen(sentence), h, &err)) {
			fprintf(stderr, "eval: %s\n", err.message);
			exit(1);
		}
		json_t *pred = json_object();
		for (size_t i = 0; i < h->n; i++) {
			char *l = lower(h->v[i].name);
			json_object_set_new(pred, l, json_true());
			free(l);
		}
		const char *label;
		json_t *v;
		json_object_foreach(
		    pred, label, v) if (json_object_get(gold, label)) c.hits++;
		c.sentences++;
		c.gold += json_object_size(gold);
		c.predicted += json_object_size(pred);
		json_decref(pred);
	}
	return c;
}

static void print_line(const char *name, counts c)
{
	double p = c.predicted ? (double)c.hits / (double)c.predicted : 0;
	double r = c.gold ? (double)c.hits / (double)c.gold : 0;
	double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
	printf("  %-9s %9zu %6zu %9zu %7zu   %5.3f   %5.3f   %5.3f\n", name,
	       c.sentences, c.gold, c.predicted, c.hits, p, r, f);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const char *const sets[][2] = {
	    {"TECH", "tech_test_annotations.csv"},
	    {"HOUSE", "house_test_annotations.csv"},
	    {"TECHWOLF", "techwolf_test_annotations.csv"},
	};
	if (argc != 3) {
		fprintf(stderr, "usage: %s DB DECORTE_DATA_DIR\n", argv[0]);
		return 2;
	}
	pw_engine *e;
	pw_error err;
	extractor *x;
	if (pw_open(argv[1], 0, &e, &err) || extractor_build(e, &x, &err)) {
		fprintf(stderr, "eval: %s\n", err.message);
		return 1;
	}
	printf("eval: skill extraction against Decorte et al. (ESCO-linked "
	       "spans), %zu skills, %zu terms, %zu patterns\n\n",
	       extractor_skills(x), extractor_terms(x), extractor_patterns(x));
	printf("  %-9s %9s %6s %9s %7s %7s %7s %7s\n", "set", "sentences",
	       "gold", "predicted", "correct", "P", "R", "F1");
	ext_hits h;
	ext_hits_init(&h);
	counts all = {0};
	buf text;
	buf_init(&text);
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", argv[2], sets[i][1]);
		json_t *by = read_gold(path, sets[i][1]);
		counts c = score_set(x, by, &h);
		print_line(sets[i][0], c);
		all.sentences += c.sentences;
		all.gold += c.gold;
		all.predicted += c.predicted;
		all.hits += c.hits;
		const char *sentence;
		json_t *v;
		json_object_foreach(by, sentence, v)
		{
			buf_puts(&text, sentence);
			buf_putc(&text, '\n');
		}
		json_decref(by);
	}
	print_line("all", all);

	/* throughput: the sentences again and again, one big text */
	size_t one = text.len;
	char *first = one ? malloc(one) : NULL;
	if (first)
		memcpy(first, text.data, one);
	while (first && text.len < THROUGHPUT_BYTES)
		buf_append(&text, first, one);
	free(first);
	if (text.failed) {
		fprintf(stderr, "eval: out of memory\n");
		return 1;
	}
	double best = 1e9;
	size_t found = 0;
	for (int round = 0; round < 3; round++) {
		double t0 = now();
		if (extractor_run(x, text.data, text.len, &h, &err)) {
			fprintf(stderr, "eval: %s\n", err.message);
			return 1;
		}
		double dt = now() - t0;
		if (dt < best)
			best = dt;
		found = h.n;
	}
	double mbs = (double)text.len / 1e6 / best;
	printf("\n  throughput: %.1f MB of posting sentences in %.3f s = "
	       "%.1f MB/s (%zu hits), best of 3\n",
	       (double)text.len / 1e6, best, mbs, found);
	double p = all.predicted ? (double)all.hits / (double)all.predicted : 0;
	double r = all.gold ? (double)all.hits / (double)all.gold : 0;
	double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
	printf("\neval: precision=%.3f recall=%.3f f1=%.3f mb_per_s=%.1f "
	       "terms=%zu\n",
	       p, r, f, mbs, extractor_terms(x));
	ext_hits_release(&h);
	buf_release(&text);
	extractor_free(x);
	pw_close(e);
	return 0;
}
