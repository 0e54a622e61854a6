/* import_onet.c - O*NET database text files and BLS projections. */
#include "import.h"

pw_status pw_import_onet(pw_engine *e, const char *dir,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err)
{
	(void)e, (void)dir, (void)opts, (void)rep, (void)sum;
	return pw_fail(err, PW_ERR_INVALID, "import onet: not built yet");
}

pw_status pw_import_bls(pw_engine *e, const char *dir,
                        const pw_import_opts *opts, pw_report *rep,
                        pw_import_summary *sum, pw_error *err)
{
	(void)e, (void)dir, (void)opts, (void)rep, (void)sum;
	return pw_fail(err, PW_ERR_INVALID, "import bls: not built yet");
}
