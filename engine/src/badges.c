/* badges.c - Open Badges 2.0/3.0 and CLR 2.0 into a learner's record, and
 * catalog credentials out as Open Badges 3.0 achievements. */
#include "import.h"

pw_status pw_import_badges_buffers(pw_engine *e, const char *learner,
                                   const char *const *names,
                                   const char *const *data, const size_t *lens,
                                   size_t n, const pw_import_opts *opts,
                                   pw_report *rep, pw_import_summary *sum,
                                   pw_error *err)
{
	(void)e, (void)learner, (void)names, (void)data, (void)lens, (void)n,
	    (void)opts, (void)rep, (void)sum;
	return pw_fail(err, PW_ERR_INVALID, "import badges: not built yet");
}

pw_status pw_import_badges(pw_engine *e, const char *learner,
                           const char *const *paths, size_t n,
                           const pw_import_opts *opts, pw_report *rep,
                           pw_import_summary *sum, pw_error *err)
{
	(void)e, (void)learner, (void)paths, (void)n, (void)opts, (void)rep,
	    (void)sum;
	return pw_fail(err, PW_ERR_INVALID, "import badges: not built yet");
}

pw_status pw_export_credentials_ob3(pw_engine *e, unsigned flags, char **out,
                                    pw_error *err)
{
	(void)e, (void)flags, (void)out;
	return pw_fail(err, PW_ERR_INVALID,
	               "export credentials: not built yet");
}
