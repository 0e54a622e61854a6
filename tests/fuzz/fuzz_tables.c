/* fuzz_tables.c - libFuzzer target for the tabular readers: the O*NET, BLS
 * and ESCO importers. The first byte of an input picks one file of a good
 * release (tests/data/{onet,bls,esco}); the rest of the input replaces that
 * file, and the release is imported into a fresh in-memory store (BLS onto
 * the O*NET occupations). A bad file must be reported, never crash, hang or
 * leak. The good files are copied once into a private directory, and the
 * replaced one is put back after each input. */
#include "pathway.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct part {
	const char *set, *name; /* tests/data/SET/.../NAME */
} part;

static const part parts[] = {
    {"onet", "Alternate Titles.txt"},
    {"onet", "Content Model Reference.txt"},
    {"onet", "Job Zones.txt"},
    {"onet", "Knowledge.txt"},
    {"onet", "Occupation Data.txt"},
    {"onet", "Related Occupations.txt"},
    {"onet", "Skills.txt"},
    {"onet", "Technology Skills.txt"},
    {"bls", "Table_1_2.tsv"},
    {"bls", "oews_national_M2024.tsv"},
    {"esco", "broaderRelationsSkillPillar_en.csv"},
    {"esco", "skillGroups_en.csv"},
    {"esco", "skillSkillRelations_en.csv"},
    {"esco", "skills_en.csv"},
    {"esco", "labels.txt"},
};
#define NPARTS (sizeof parts / sizeof parts[0])

static char work[64];
static char *original[NPARTS];
static size_t original_len[NPARTS];
static int ready; /* 0 not yet, 1 ready, -1 failed */

static void path_of(size_t i, char *out, size_t n)
{
	snprintf(out, n, "%s/%s/%s", work, parts[i].set, parts[i].name);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *d = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n == cap) {
			char *m = realloc(d, cap = cap ? 2 * cap : 65536);
			if (!m) {
				free(d);
				fclose(f);
				return NULL;
			}
			d = m;
		}
		got = fread(d + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return d;
}

static int spill(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static void cleanup(void)
{
	char p[512];
	for (size_t i = 0; i < NPARTS; i++) {
		path_of(i, p, sizeof p);
		unlink(p);
		free(original[i]);
	}
	const char *sets[] = {"onet", "bls", "esco"};
	for (int k = 0; k < 3; k++) {
		snprintf(p, sizeof p, "%s/%s", work, sets[k]);
		rmdir(p);
	}
	rmdir(work);
}

static int setup(void)
{
	const char *src = getenv("PATHWAY_SRC");
	snprintf(work, sizeof work, "/tmp/pw-fuzz-tables-XXXXXX");
	if (!mkdtemp(work))
		return -1;
	const char *sets[] = {"onet", "bls", "esco"};
	for (int k = 0; k < 3; k++) {
		char p[512];
		snprintf(p, sizeof p, "%s/%s", work, sets[k]);
		if (mkdir(p, 0700) != 0)
			return -1;
	}
	for (size_t i = 0; i < NPARTS; i++) {
		char from[4096], to[512];
		bool labels = strcmp(parts[i].name, "labels.txt") == 0;
		snprintf(from, sizeof from, "%s/tests/data/%s/%s%s",
		         src && *src ? src : ".", parts[i].set,
		         labels                              ? ""
		         : strcmp(parts[i].set, "esco") == 0 ? "full/"
		                                             : "good/",
		         parts[i].name);
		if (!(original[i] = slurp(from, &original_len[i]))) {
			fprintf(stderr, "fuzz_tables: cannot read %s\n", from);
			return -1;
		}
		path_of(i, to, sizeof to);
		if (spill(to, original[i], original_len[i]) != 0)
			return -1;
	}
	atexit(cleanup);
	return 0;
}

static void import(pw_engine *e, const char *set)
{
	char dir[512], labels[512];
	pw_report *rep = pw_report_new(), *notes = pw_report_new();
	pw_import_opts o = {.notes = notes};
	pw_import_summary sum;
	pw_error err;
	if (!rep || !notes)
		goto out;
	snprintf(dir, sizeof dir, "%s/%s", work, set);
	if (strcmp(set, "esco") == 0) {
		snprintf(labels, sizeof labels, "%s/esco/labels.txt", work);
		o.labels = labels;
		pw_import_esco(e, dir, &o, rep, &sum, &err);
	} else if (strcmp(set, "bls") == 0) {
		snprintf(dir, sizeof dir, "%s/onet", work);
		if (pw_import_onet(e, dir, &o, rep, &sum, &err) == PW_OK) {
			snprintf(dir, sizeof dir, "%s/bls", work);
			pw_import_bls(e, dir, &o, rep, &sum, &err);
		}
	} else
		pw_import_onet(e, dir, &o, rep, &sum, &err);
out:
	pw_report_free(rep);
	pw_report_free(notes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready)
		ready = setup() == 0 ? 1 : -1;
	if (ready < 0 || size < 1)
		return 0;
	size_t i = data[0] % NPARTS;
	char p[512];
	path_of(i, p, sizeof p);
	if (spill(p, data + 1, size - 1) != 0)
		return 0;
	pw_engine *e;
	pw_error err;
	if (pw_open(":memory:", PW_OPEN_CREATE, &e, &err) == PW_OK) {
		import(e, parts[i].set);
		pw_close(e);
	}
	spill(p, original[i], original_len[i]);
	return 0;
}
