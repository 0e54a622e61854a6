/* extract.c - finding taxonomy skills in text (SPEC §8). */
#include "internal.h"

pw_status pw_extract(pw_engine *e, const char *text, size_t len,
                     pw_extraction **out, pw_error *err)
{
	(void)e, (void)text, (void)len, (void)out;
	return pw_fail(err, PW_ERR_INVALID, "extract: not built yet");
}

void pw_extraction_free(pw_extraction *x)
{
	(void)x;
}

char *pw_extraction_json(const pw_extraction *x, unsigned flags)
{
	(void)x, (void)flags;
	return NULL;
}
