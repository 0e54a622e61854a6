/* ctdl.c - CTDL credentials in, plans out as CTDL Pathways. */
#include "import.h"

pw_status pw_import_ctdl_buffers(pw_engine *e, const char *const *names,
                                 const char *const *data, const size_t *lens,
                                 size_t n, const pw_import_opts *opts,
                                 pw_report *rep, pw_import_summary *sum,
                                 pw_error *err)
{
	(void)e, (void)names, (void)data, (void)lens, (void)n, (void)opts,
	    (void)rep, (void)sum;
	return pw_fail(err, PW_ERR_INVALID, "import ctdl: not built yet");
}

pw_status pw_import_ctdl(pw_engine *e, const char *const *paths, size_t n,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err)
{
	(void)e, (void)paths, (void)n, (void)opts, (void)rep, (void)sum;
	return pw_fail(err, PW_ERR_INVALID, "import ctdl: not built yet");
}

pw_status pw_plan_ctdl(pw_engine *e, const pw_plan *p, unsigned flags,
                       char **out, pw_error *err)
{
	(void)e, (void)p, (void)flags, (void)out;
	return pw_fail(err, PW_ERR_INVALID,
	               "plan --format ctdl: not built yet");
}
