/* import_esco.c - ESCO skills, hierarchy and relations from its CSV files. */
#include "import.h"

pw_status pw_import_esco(pw_engine *e, const char *dir,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err)
{
	(void)e, (void)dir, (void)opts, (void)rep, (void)sum;
	return pw_fail(err, PW_ERR_INVALID, "import esco: not built yet");
}
