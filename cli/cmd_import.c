/* cmd_import.c - `pathway import FORMAT ARGS...` and `pathway export KIND
 * --format F`: the public standards in and out (FORMATS.md). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- progress on a terminal ---- */

typedef struct progress {
	bool on;
	char stage[64];
	int last_pct;
	bool shown;
} progress;

static void show_progress(void *ctx, const char *stage, size_t done,
                          size_t total)
{
	progress *p = ctx;
	int pct = total ? (int)(done * 100 / total) : -1;
	if (!p->on)
		return;
	if (strcmp(stage, p->stage) == 0 && pct == p->last_pct)
		return;
	snprintf(p->stage, sizeof p->stage, "%s", stage);
	p->last_pct = pct;
	if (pct >= 0)
		fprintf(stderr, "\r\033[Kimport: %s %d%%", stage, pct);
	else
		fprintf(stderr, "\r\033[Kimport: %s", stage);
	p->shown = true;
}

static void end_progress(progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	p->shown = false;
}

/* ---- import ---- */

typedef enum { ARG_DIR, ARG_FILES, ARG_LEARNER_FILES } arg_shape;

typedef struct import_format {
	const char *name;
	arg_shape shape;
	const char *args;
	pw_status (*dir)(pw_engine *, const char *, const pw_import_opts *,
	                 pw_report *, pw_import_summary *, pw_error *);
	pw_status (*files)(pw_engine *, const char *const *, size_t,
	                   const pw_import_opts *, pw_report *,
	                   pw_import_summary *, pw_error *);
	pw_status (*learner_files)(pw_engine *, const char *,
	                           const char *const *, size_t,
	                           const pw_import_opts *, pw_report *,
	                           pw_import_summary *, pw_error *);
} import_format;

static const import_format formats[] = {
    {"onet", ARG_DIR, "DIR", pw_import_onet, NULL, NULL},
    {"bls", ARG_DIR, "DIR", pw_import_bls, NULL, NULL},
    {"esco", ARG_DIR, "DIR [--labels FILE]", pw_import_esco, NULL, NULL},
    {"jobs", ARG_FILES, "FILE...", NULL, pw_import_jobs, NULL},
    {"ctdl", ARG_FILES, "FILE...", NULL, pw_import_ctdl, NULL},
    {"badges", ARG_LEARNER_FILES, "--learner ID FILE...", NULL, NULL,
     pw_import_badges},
};

#define NFORMATS (sizeof formats / sizeof formats[0])

static void print_reports(const pw_report *r, const char *tag)
{
	for (size_t i = 0; i < pw_report_count(r); i++) {
		const char *file, *path, *reason;
		pw_report_get(r, i, &file, &path, &reason);
		fprintf(stderr, "pathway: %s%s: %s: %s\n", tag, file, path,
		        reason);
	}
}

static void print_json_string(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void print_summary(cli *c, const char *format,
                          const pw_import_summary *sum, const pw_report *notes)
{
	if (c->json) {
		printf("{\n  \"imported\": \"%s\",\n  \"created\": {", format);
		for (int k = 0; k < PW_KIND_COUNT; k++)
			printf("%s\"%s\": %zu", k ? ", " : "",
			       pw_kind_name((pw_kind)k), sum->created[k]);
		printf("},\n  \"updated\": {");
		for (int k = 0; k < PW_KIND_COUNT; k++)
			printf("%s\"%s\": %zu", k ? ", " : "",
			       pw_kind_name((pw_kind)k), sum->updated[k]);
		printf("},\n  \"not_mapped\": [");
		for (size_t i = 0; i < pw_report_count(notes); i++) {
			const char *file, *path, *reason;
			pw_report_get(notes, i, &file, &path, &reason);
			printf("%s\n    {\"file\": ", i ? "," : "");
			print_json_string(file);
			printf(", \"path\": ");
			print_json_string(path);
			printf(", \"reason\": ");
			print_json_string(reason);
			putchar('}');
		}
		printf("%s]\n}\n", pw_report_count(notes) ? "\n  " : "");
		return;
	}
	print_reports(notes, "note: ");
	printf("imported %s into '%s':", format, c->db);
	bool any = false;
	for (int k = 0; k < PW_KIND_COUNT; k++) {
		if (!sum->created[k] && !sum->updated[k])
			continue;
		const char *name = pw_kind_name((pw_kind)k);
		printf("%s %s %zu new, %zu updated", any ? ";" : "", name,
		       sum->created[k], sum->updated[k]);
		any = true;
	}
	printf("%s\n", any ? "" : " nothing");
	if (pw_report_count(notes))
		printf("%zu item%s not mapped (listed above)\n",
		       pw_report_count(notes),
		       pw_report_count(notes) == 1 ? "" : "s");
}

static const opt_spec import_opts[] = {
    {"--labels", true}, {"--learner", true}, {NULL, false}};

static int run_import(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	if (!parse_opts(c, argc, argv, import_opts, 1, -1, &o))
		return EXIT_USAGE;
	const import_format *f = NULL;
	for (size_t i = 0; i < NFORMATS; i++)
		if (strcmp(formats[i].name, o.pos[0]) == 0)
			f = &formats[i];
	if (!f)
		return usage_error(
		    c,
		    "unknown format '%s' (onet, bls, esco, jobs, "
		    "ctdl or badges)",
		    o.pos[0]);
	if (f->shape == ARG_DIR && o.npos != 2)
		return usage_error(c, "import %s takes one directory", f->name);
	if (f->shape != ARG_DIR && o.npos < 2)
		return usage_error(c, "import %s needs at least one file",
		                   f->name);
	if (o.set[0] && strcmp(f->name, "esco") != 0)
		return usage_error(c, "--labels is for import esco");
	if (o.set[1] != (f->shape == ARG_LEARNER_FILES))
		return usage_error(c, o.set[1]
		                          ? "--learner is for import badges"
		                          : "import badges needs --learner ID");

	pw_report *rep = pw_report_new(), *notes = pw_report_new();
	if (!rep || !notes) {
		pw_report_free(rep);
		pw_report_free(notes);
		fprintf(stderr, "pathway: out of memory\n");
		return EXIT_RUNTIME;
	}
	progress prog = {.on = isatty(2) == 1, .last_pct = -2};
	pw_import_opts io = {.progress = show_progress,
	                     .progress_ctx = &prog,
	                     .notes = notes,
	                     .labels = o.value[0]};
	pw_import_summary sum = {0};
	const char *const *files = (const char *const *)o.pos + 1;
	size_t nfiles = (size_t)o.npos - 1;
	pw_status st = PW_OK;
	switch (f->shape) {
	case ARG_DIR:
		st = f->dir(c->engine, o.pos[1], &io, rep, &sum, &err);
		break;
	case ARG_FILES:
		st = f->files(c->engine, files, nfiles, &io, rep, &sum, &err);
		break;
	case ARG_LEARNER_FILES:
		st = f->learner_files(c->engine, o.value[1], files, nfiles, &io,
		                      rep, &sum, &err);
		break;
	}
	end_progress(&prog);
	int rc;
	if (st == PW_ERR_INVALID && pw_report_count(rep)) {
		print_reports(rep, "");
		fprintf(stderr, "pathway: %s\n", err.message);
		rc = EXIT_USAGE;
	} else if (st)
		rc = fail_status(st, &err);
	else {
		print_summary(c, f->name, &sum, notes);
		/* a bulk write: make the model and its snapshot now, so that
		 * the next command answers at once (a failure here only
		 * leaves that to the next command) */
		fflush(stdout);
		pw_prepare(c->engine, NULL);
		rc = EXIT_OK;
	}
	pw_report_free(rep);
	pw_report_free(notes);
	return rc;
}

const command cmd_import = {
    .name = "import",
    .args = "FORMAT ARGS...",
    .summary = "read public standards: O*NET, BLS, ESCO, JobPosting, CTDL, "
               "badges",
    .help = "Formats:\n"
            "  onet DIR    O*NET database text files (Occupation Data, "
            "Skills, Knowledge,\n"
            "              Technology Skills, Job Zones, Alternate "
            "Titles, Related\n"
            "              Occupations): skills and occupations\n"
            "  bls DIR     BLS Employment Projections (Table_1_2.tsv) and "
            "OEWS wages:\n"
            "              outlook and wages of the stored occupations\n"
            "  esco DIR    ESCO CSV files: skills, groups, hierarchy, "
            "relations\n"
            "              (--labels FILE: skill labels, one per line, "
            "when the\n"
            "              release lacks skills_en.csv)\n"
            "  jobs FILE...  schema.org JobPosting JSON-LD, or HTML pages "
            "carrying it\n"
            "  ctdl FILE...  CTDL credentials (single resources or @graph "
            "envelopes)\n"
            "  badges --learner ID FILE...\n"
            "              Open Badges 2.0/3.0 (JSON or compact JWS) and CLR "
            "2.0 bundles,\n"
            "              added to the learner's record\n\n"
            "Everything read is validated first, then written in one "
            "transaction or\nnothing; every problem is printed as "
            "'pathway: FILE: PLACE: reason' and the\nexit status is 2. "
            "Skills whose framework code is stored already are merged,\n"
            "never clobbered. What could not be mapped is listed as "
            "'pathway: note: ...'.\n",
    .flags = CMD_CREATE,
    .run = run_import,
};

/* ---- export ---- */

static const opt_spec export_opts[] = {{"--format", true}, {NULL, false}};

static int run_export(cli *c, int argc, char **argv)
{
	opts o;
	pw_kind kind;
	pw_error err;
	pw_status st;
	char *text = NULL;
	if (!parse_opts(c, argc, argv, export_opts, 1, -1, &o))
		return EXIT_USAGE;
	if ((st = pw_kind_parse(o.pos[0], &kind, &err)))
		return usage_error(c, "%s", err.message);
	const char *format = o.value[0];
	if (!format)
		return usage_error(c, "--format is required");
	if (o.npos > 1 &&
	    !(kind == PW_KIND_LEARNER && strcmp(format, "clr") == 0))
		return usage_error(c, "only export learners --format clr takes "
		                      "ids");
	if (kind == PW_KIND_LEARNER && strcmp(format, "clr") == 0)
		st = pw_export_learners_clr(
		    c->engine, (const char *const *)o.pos + 1,
		    (size_t)o.npos - 1, c->as_of, PW_JSON_PRETTY, &text, &err);
	else if (kind == PW_KIND_JOB && strcmp(format, "jobposting") == 0)
		st = pw_export_jobs_jsonld(c->engine, PW_JSON_PRETTY, &text,
		                           &err);
	else if (kind == PW_KIND_CREDENTIAL && strcmp(format, "ob3") == 0)
		st = pw_export_credentials_ob3(c->engine, PW_JSON_PRETTY, &text,
		                               &err);
	else
		return usage_error(c,
		                   "cannot export %s as '%s' (jobs: "
		                   "jobposting; credentials: ob3; learners: "
		                   "clr)",
		                   pw_kind_name(kind), format);
	if (st)
		return fail_status(st, &err);
	return print_doc(text);
}

const command cmd_export = {
    .name = "export",
    .args = "KIND --format F [ID...]",
    .summary = "write entities in a public standard",
    .help = "  jobs --format jobposting   every posting as schema.org "
            "JobPosting JSON-LD\n"
            "                             ({\"@context\", \"@graph\"}), "
            "ready to publish\n"
            "  credentials --format ob3   listed credentials as unsigned "
            "Open Badges 3.0\n"
            "                             Achievements with their "
            "alignments\n"
            "  learners --format clr [ID...]\n"
            "                             a learner's credential entries "
            "as a CLR 2.0\n"
            "                             bundle of unsigned Open Badges "
            "3.0 credentials,\n"
            "                             read back by import badges; "
            "several ids (or none:\n"
            "                             every learner with credentials) "
            "give an array\n",
    .flags = CMD_DB,
    .run = run_export,
};
