/* jobposting.c - schema.org JobPosting JSON-LD in and out. */
#include "import.h"

pw_status pw_import_jobs_buffers(pw_engine *e, const char *const *names,
                                 const char *const *data, const size_t *lens,
                                 size_t n, const pw_import_opts *opts,
                                 pw_report *rep, pw_import_summary *sum,
                                 pw_error *err)
{
	(void)e, (void)names, (void)data, (void)lens, (void)n, (void)opts,
	    (void)rep, (void)sum;
	return pw_fail(err, PW_ERR_INVALID, "import jobs: not built yet");
}

pw_status pw_import_jobs(pw_engine *e, const char *const *paths, size_t n,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err)
{
	(void)e, (void)paths, (void)n, (void)opts, (void)rep, (void)sum;
	return pw_fail(err, PW_ERR_INVALID, "import jobs: not built yet");
}

pw_status pw_export_jobs_jsonld(pw_engine *e, unsigned flags, char **out,
                                pw_error *err)
{
	(void)e, (void)flags, (void)out;
	return pw_fail(err, PW_ERR_INVALID, "export jobs: not built yet");
}
