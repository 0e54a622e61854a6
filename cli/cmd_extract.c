/* cmd_extract.c - `pathway extract [FILE]`: the taxonomy's skills found in a
 * text file or standard input, as a table or the SPEC §8 document. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Reads all of f; NULL with errno set on failure. */
static char *slurp(FILE *f, size_t *len)
{
	size_t n = 0, cap = 0;
	char *data = NULL;
	errno = 0;
	for (;;) {
		if (cap - n < 65536) {
			size_t c = cap ? cap * 2 : 65536;
			char *d = c > cap ? realloc(data, c) : NULL;
			if (!d) {
				free(data);
				errno = ENOMEM;
				return NULL;
			}
			data = d;
			cap = c;
		}
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				int e = errno ? errno : EIO;
				free(data);
				errno = e;
				return NULL;
			}
			break;
		}
	}
	*len = n;
	return data;
}

/* The matched text on one line: line breaks and tabs read as spaces. */
static void print_flat(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		putchar(ch == '\n' || ch == '\r' || ch == '\t' ? ' ' : ch);
	}
}

static void print_table(const pw_extraction *x)
{
	int wskill = 5, wname = 4, wat = 2;
	char at[48];
	for (size_t i = 0; i < x->count; i++) {
		const pw_extract_hit *h = &x->hits[i];
		int n = (int)strlen(h->skill);
		wskill = n > wskill ? n : wskill;
		n = (int)strlen(h->name);
		wname = n > wname ? n : wname;
		n = snprintf(at, sizeof at, "%zu-%zu", h->start, h->end);
		wat = n > wat ? n : wat;
	}
	wskill = wskill > 40 ? 40 : wskill;
	wname = wname > 40 ? 40 : wname;
	if (x->count)
		printf("%-*s  %-*s  %-*s  %s\n", wskill, "SKILL", wname, "NAME",
		       wat, "AT", "TEXT");
	for (size_t i = 0; i < x->count; i++) {
		const pw_extract_hit *h = &x->hits[i];
		snprintf(at, sizeof at, "%zu-%zu", h->start, h->end);
		printf("%-*s  %-*s  %-*s  ", wskill, h->skill, wname, h->name,
		       wat, at);
		print_flat(x->text + h->start, h->end - h->start);
		putchar('\n');
	}
	printf("%s%zu %s\n", x->count ? "\n" : "", x->count,
	       x->count == 1 ? "skill found" : "skills found");
}

static int run_extract(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	pw_status st;
	pw_extraction *x;
	if (!parse_opts(c, argc, argv, NULL, 0, 1, &o))
		return EXIT_USAGE;
	const char *path =
	    o.npos && strcmp(o.pos[0], "-") != 0 ? o.pos[0] : NULL;
	FILE *f = path ? fopen(path, "rb") : stdin;
	if (!f) {
		fprintf(stderr, "pathway: cannot open '%s': %s\n", path,
		        strerror(errno));
		return EXIT_RUNTIME;
	}
	size_t len = 0;
	char *text = slurp(f, &len);
	int e = errno;
	if (path)
		fclose(f);
	if (!text) {
		fprintf(stderr, "pathway: cannot read '%s': %s\n",
		        path ? path : "standard input", strerror(e));
		return EXIT_RUNTIME;
	}
	st = pw_extract(c->engine, text, len, &x, &err);
	free(text);
	if (st) {
		if (st == PW_ERR_INVALID)
			fprintf(stderr, "pathway: %s: %s\n",
			        path ? path : "standard input", err.message);
		return st == PW_ERR_INVALID ? exit_for(st)
		                            : fail_status(st, &err);
	}
	int rc = EXIT_OK;
	if (c->json)
		rc = print_doc(pw_extraction_json(x, PW_JSON_PRETTY));
	else
		print_table(x);
	pw_extraction_free(x);
	return rc;
}

const command cmd_extract = {
    .name = "extract",
    .args = "[FILE]",
    .summary = "find taxonomy skills in text",
    .help =
        "Reads FILE (or standard input when FILE is absent or '-') as "
        "UTF-8 text and\nlists the stored skills it mentions: names and "
        "aliases, matched caseless on\nwhole words (\"Java\" is not found "
        "in \"JavaScript\"; \"full-stack\" is \"full\nstack\"), and each "
        "skill's own pattern. Longer matches win and no two overlap.\n"
        "AT gives byte offsets into the text, end exclusive. --json prints\n"
        "{\"skills\": [{\"skill\", \"name\", \"start\", \"end\", "
        "\"text\"}]}.\nText that is not UTF-8 is refused (exit 2) with the "
        "offset of the first bad\nbyte.\n",
    .flags = CMD_DB,
    .run = run_extract,
};
