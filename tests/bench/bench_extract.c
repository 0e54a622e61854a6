/* bench_extract.c - throughput of skill extraction with a large dictionary.
 *
 * Builds a store of every ESCO label in Decorte et al.'s list plus
 * synthetic skills (two random words, and an alias each), so the
 * dictionary holds well over 10,000 terms, then runs the extractor over
 * the Decorte job-posting sentences repeated to TEXT_MB megabytes: once
 * with names and aliases only, once with patterns added, and sentence by
 * sentence (the evaluation's use). Not a test: it prints figures.
 *
 * usage: bench_extract [DATA_DIR [TEXT_MB [SYNTHETIC]]]
 *   DATA_DIR  default $PATHWAY_SRC/../shared/data, else ../shared/data
 */
#include "extract.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const pw_error *err)
{
	fprintf(stderr, "bench_extract: %s: %s\n", what,
	        err ? err->message : "failed");
	exit(1);
}

/* A deterministic pseudo-random word of 4-9 letters. */
static uint64_t rng = 0x243f6a8885a308d3ull;
static void random_word(char *out)
{
	static const char cons[] = "bcdfghjklmnprstvwxz", vow[] = "aeiou";
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	int n = 4 + (int)(rng % 6);
	for (int i = 0; i < n; i++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		out[i] = i % 2 ? vow[rng % 5] : cons[rng % 19];
	}
	out[n] = '\0';
}

static const char *const patterns[] = {
    "(MS|Microsoft) ?(Office|365)",
    "ADLs?",
    "(venipuncture|blood draws?)",
    "(EKG|ECG)s?",
    "CDL[- ]?(A|B|Class [AB])",
    "[0-9]+ ?wpm",
    "(HVAC|HVAC-R)",
    "OSHA[- ]?(10|30)",
    "(CNC|C\\.N\\.C\\.) (machining|operator)",
    "(PHP|Perl|Python) ?[0-9.]*",
};

/* The skills document: ESCO labels, synthetic skills, and (with_patterns)
 * ten skills carrying a pattern. */
static char *skills_doc(const char *labels_path, int synthetic,
                        bool with_patterns, size_t *nlabels)
{
	FILE *f = fopen(labels_path, "r");
	if (!f)
		return NULL;
	jsonw w;
	jw_init(&w, 0);
	jw_obj(&w);
	jw_key(&w, "skills");
	jw_arr(&w);
	char line[1024], id[64];
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		snprintf(id, sizeof id, "esco-%05zu", n++);
		jw_obj(&w);
		jw_key(&w, "id");
		jw_str(&w, id);
		jw_key(&w, "name");
		jw_str(&w, line);
		jw_obj_end(&w);
	}
	fclose(f);
	*nlabels = n;
	for (int i = 0; i < synthetic; i++) {
		char a[16], b[16], name[40];
		random_word(a);
		random_word(b);
		snprintf(id, sizeof id, "syn-%05d", i);
		snprintf(name, sizeof name, "%s %s", a, b);
		jw_obj(&w);
		jw_key(&w, "id");
		jw_str(&w, id);
		jw_key(&w, "name");
		jw_str(&w, name);
		jw_key(&w, "aliases");
		jw_arr(&w);
		random_word(a);
		snprintf(name, sizeof name, "%s-%d", a, i % 100);
		jw_str(&w, name);
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
	for (size_t i = 0; with_patterns && i < PW_ARRAY_LEN(patterns); i++) {
		snprintf(id, sizeof id, "pat-%02zu", i);
		jw_obj(&w);
		jw_key(&w, "id");
		jw_str(&w, id);
		jw_key(&w, "name");
		jw_str(&w, id);
		jw_key(&w, "pattern");
		jw_str(&w, patterns[i]);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	return jw_finish(&w);
}

static pw_engine *store_with(const char *dir, const char *doc)
{
	pw_engine *e;
	pw_error err;
	char path[4200];
	snprintf(path, sizeof path, "%s/bench.db", dir);
	unlink(path);
	if (pw_open(path, PW_OPEN_CREATE, &e, &err))
		die("open", &err);
	pw_report *rep = pw_report_new();
	const char *names[] = {"skills.json"};
	size_t lens[] = {strlen(doc)};
	pw_load_summary sum;
	if (pw_load_buffers(e, names, &doc, lens, 1, rep, &sum, &err)) {
		for (size_t i = 0; i < pw_report_count(rep); i++) {
			const char *p, *why;
			pw_report_get(rep, i, NULL, &p, &why);
			fprintf(stderr, "  %s: %s\n", p, why);
		}
		die("load", &err);
	}
	pw_report_free(rep);
	return e;
}

/* The distinct sentences of Decorte's five annotation files. */
static size_t read_sentences(const char *data, ptrvec *out, size_t *bytes)
{
	static const char *const files[] = {"house_test", "house_validation",
	                                    "tech_test", "tech_validation",
	                                    "techwolf_test"};
	static const char *const req[] = {"sentence", NULL};
	strmap seen = {0};
	*bytes = 0;
	for (size_t i = 0; i < PW_ARRAY_LEN(files); i++) {
		char path[4200];
		snprintf(
		    path, sizeof path,
		    "%s/decorte_esco_skill_extraction/data/%s_annotations.csv",
		    data, files[i]);
		table *t;
		pw_error err;
		pw_report *rep = pw_report_new();
		if (table_open(path, files[i], ',', req, rep, &t, &err))
			die(path, &err);
		int col = table_column(t, "sentence");
		while (table_next(t, &err) == 1) {
			const char *s = table_get(t, col);
			if (!*s || strmap_has(&seen, s))
				continue;
			char *copy = strdup(s);
			if (!copy || !strmap_put(&seen, copy, copy) ||
			    !ptrvec_push(out, copy))
				die("sentences", NULL);
			*bytes += strlen(s) + 1;
		}
		table_close(t);
		pw_report_free(rep);
	}
	strmap_release(&seen);
	return out->len;
}

static void run_big(const char *label, const extractor *x, const char *text,
                    size_t len)
{
	ext_hits h;
	pw_error err;
	double best = 1e9;
	size_t nhits = 0;
	ext_hits_init(&h);
	for (int r = 0; r < 5; r++) {
		double t0 = now_s();
		if (extractor_run(x, text, len, &h, &err))
			die("run", &err);
		double dt = now_s() - t0;
		best = dt < best ? dt : best;
		nhits = h.n;
	}
	printf("  %-34s %8.1f MB/s  (%.1f MB in %.3f s, %zu hits)\n", label,
	       (double)len / 1e6 / best, (double)len / 1e6, best, nhits);
	ext_hits_release(&h);
}

int main(int argc, char **argv)
{
	char data[4096];
	const char *src = getenv("PATHWAY_SRC");
	if (argc > 1)
		snprintf(data, sizeof data, "%s", argv[1]);
	else
		snprintf(data, sizeof data, "%s/../shared/data",
		         src ? src : ".");
	double mb = argc > 2 ? atof(argv[2]) : 8.0;
	int synthetic = argc > 3 ? atoi(argv[3]) : 3000;
	char labels[4200];
	snprintf(labels, sizeof labels,
	         "%s/decorte_esco_skill_extraction/data/skills_en_label.txt",
	         data);
	if (access(labels, R_OK) != 0) {
		printf("SKIPPED: %s is absent\n", labels);
		return 0;
	}
	char dir[] = "/tmp/bench_extract.XXXXXX";
	if (!mkdtemp(dir))
		die("mkdtemp", NULL);

	ptrvec sent = {0};
	size_t bytes;
	read_sentences(data, &sent, &bytes);
	buf text;
	buf_init(&text);
	while (text.len < (size_t)(mb * 1e6))
		for (size_t i = 0; i < sent.len; i++) {
			buf_puts(&text, sent.items[i]);
			buf_putc(&text, '\n');
		}
	if (text.failed)
		die("text", NULL);
	/* the worst case for the tokenizer: a non-ASCII letter in most
	 * words sends each of them through PCRE2 */
	buf accented;
	buf_init(&accented);
	for (size_t i = 0; i < text.len; i++)
		if (text.data[i] == 'e')
			buf_puts(&accented, "\xc3\xa9");
		else
			buf_putc(&accented, text.data[i]);
	if (accented.failed)
		die("text", NULL);
	printf("text: %zu distinct Decorte sentences (%.2f MB) repeated to "
	       "%.1f MB\n",
	       sent.len, (double)bytes / 1e6, (double)text.len / 1e6);

	for (int with_patterns = 0; with_patterns < 2; with_patterns++) {
		size_t nlabels;
		char *doc =
		    skills_doc(labels, synthetic, with_patterns, &nlabels);
		if (!doc)
			die("skills document", NULL);
		pw_engine *e = store_with(dir, doc);
		free(doc);
		extractor *x;
		pw_error err;
		double t0 = now_s();
		if (extractor_build(e, &x, &err))
			die("build", &err);
		double build_s = now_s() - t0;
		printf("\ndictionary: %zu ESCO labels + %d synthetic skills "
		       "(name + alias) = %zu skills, %zu distinct terms, %zu "
		       "patterns; built in %.0f ms\n",
		       nlabels, synthetic, extractor_skills(x),
		       extractor_terms(x), extractor_patterns(x),
		       build_s * 1e3);
		run_big(with_patterns ? "one text, names+aliases+patterns"
		                      : "one text, names+aliases",
		        x, text.data, text.len);
		if (!with_patterns)
			run_big("every 'e' as 'é' (PCRE2 tokens)", x,
			        accented.data, accented.len);

		/* sentence by sentence, one ext_hits reused */
		ext_hits h;
		ext_hits_init(&h);
		double best = 1e9;
		for (int r = 0; r < 3; r++) {
			double t1 = now_s();
			for (size_t i = 0; i < sent.len; i++)
				if (extractor_run(x, sent.items[i],
				                  strlen(sent.items[i]), &h,
				                  &err))
					die("run", &err);
			double dt = now_s() - t1;
			best = dt < best ? dt : best;
		}
		printf("  %-34s %8.1f MB/s  (%zu calls, %.2f us per call)\n",
		       "per sentence", (double)bytes / 1e6 / best, sent.len,
		       best / (double)sent.len * 1e6);
		ext_hits_release(&h);

		/* the public call: cached extractor, copies, JSON */
		pw_extraction *px;
		if (pw_extract(e, text.data, text.len, &px, &err))
			die("pw_extract", &err);
		pw_extraction_free(px);
		t0 = now_s();
		if (pw_extract(e, text.data, text.len, &px, &err))
			die("pw_extract", &err);
		double t_ext = now_s() - t0;
		char *json = pw_extraction_json(px, 0);
		double t_json = now_s() - t0;
		printf("  %-34s %8.1f MB/s  (%.1f MB/s with the JSON)\n",
		       "pw_extract (cached extractor)",
		       (double)text.len / 1e6 / t_ext,
		       (double)text.len / 1e6 / t_json);
		free(json);
		pw_extraction_free(px);
		extractor_free(x);
		pw_close(e);
	}
	static const char *const left[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < PW_ARRAY_LEN(left); i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/bench.db%s", dir, left[i]);
		unlink(path);
	}
	rmdir(dir);
	for (size_t i = 0; i < sent.len; i++)
		free(sent.items[i]);
	ptrvec_release(&sent);
	buf_release(&text);
	buf_release(&accented);
	return 0;
}
