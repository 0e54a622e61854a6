/* fuzz_extract.c - libFuzzer target for skill extraction: any bytes as the
 * text, against a small fixed taxonomy (names, aliases with hard gaps and
 * non-ASCII letters, patterns that run wrapped, alone, with \K). Checks,
 * aborting on a violation: invalid UTF-8 is refused at the offset PCRE2's
 * own check names; hits are in order, inside the text, on character
 * boundaries, never overlapping; the ASCII scanner and PCRE2 alone split the
 * text alike; and POST /v1/extract answers the same bytes as raw text, and
 * answers 200 or 400 when they are sent as a JSON body. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "extract.h"
#include "routes.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char taxonomy[] =
    "{\"skills\": ["
    "{\"id\": \"java\", \"name\": \"Java\", \"aliases\": [\"J2EE\"]},"
    "{\"id\": \"js\", \"name\": \"JavaScript\", \"aliases\": [\"Node.js\","
    " \".NET\"]},"
    "{\"id\": \"ml\", \"name\": \"machine learning\"},"
    "{\"id\": \"m\", \"name\": \"machine\"},"
    "{\"id\": \"cpp\", \"name\": \"C++\", \"aliases\": [\"C/C++\", \"C#\"]},"
    "{\"id\": \"fs\", \"name\": \"full-stack development\"},"
    "{\"id\": \"jp\", \"name\": \"Java (computer programming)\"},"
    "{\"id\": \"arzt\", \"name\": \"Ärztliche Versorgung\","
    " \"aliases\": [\"école\", \"ΟΔΟΣ\"]},"
    "{\"id\": \"ekg\", \"name\": \"EKG\", \"pattern\": \"(EKG|ECG)s?\"},"
    "{\"id\": \"office\", \"name\": \"Office\","
    " \"pattern\": \"(MS|Microsoft) ?(Office|365)\"},"
    "{\"id\": \"rust\", \"name\": \"Rust\", \"pattern\": \"(*UTF)rust\\\\w*\"},"
    "{\"id\": \"k\", \"name\": \"Kay\", \"pattern\": \"a\\\\Kb+\"},"
    "{\"id\": \"any\", \"name\": \"Any\", \"pattern\": \"q.{0,3}z\"}]}";

static pw_engine *engine;
static extractor *ex;

static void setup(void)
{
	pw_error err;
	if (pw_open(":memory:", PW_OPEN_CREATE, &engine, &err))
		abort();
	pw_report *rep = pw_report_new();
	const char *name = "taxonomy.json", *doc = taxonomy;
	size_t len = sizeof taxonomy - 1;
	if (!rep ||
	    pw_load_buffers(engine, &name, &doc, &len, 1, rep, NULL, &err))
		abort();
	pw_report_free(rep);
	if (extractor_build(engine, &ex, &err) || extractor_patterns(ex) != 5)
		abort();
}

/* Where PCRE2's own UTF-8 check fails, or len when the text is valid. */
static size_t pcre2_invalid_at(const uint8_t *s, size_t len)
{
	static pcre2_code *re;
	static pcre2_match_data *md;
	int code;
	PCRE2_SIZE off;
	if (!re) {
		re = pcre2_compile((PCRE2_SPTR) "x", 1, PCRE2_UTF, &code, &off,
		                   NULL);
		md = pcre2_match_data_create(1, NULL);
		if (!re || !md)
			abort();
	}
	int rc = pcre2_match(re, s, len, 0, 0, md, NULL);
	if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
		return pcre2_get_startchar(md);
	return len;
}

static void check_tokens(const char *s, size_t len)
{
	enum { MAX = 4096 };
	static size_t a[2 * MAX], b[2 * MAX];
	static int ga[MAX], gb[MAX];
	size_t na, nb;
	pw_error err;
	if (ext_tokens(ex, s, len, false, a, ga, MAX, &na, &err) ||
	    ext_tokens(ex, s, len, true, b, gb, MAX, &nb, &err))
		abort();
	if (na != nb)
		abort();
	size_t n = na < MAX ? na : MAX;
	if (memcmp(a, b, 2 * n * sizeof *a) || memcmp(ga, gb, n * sizeof *ga))
		abort();
	for (size_t i = 0; i < n; i++)
		if (a[2 * i] >= a[2 * i + 1] || a[2 * i + 1] > len ||
		    (i && a[2 * i] < a[2 * i - 1]))
			abort();
}

static bool boundary(const uint8_t *s, size_t len, size_t i)
{
	return i == len || (s[i] & 0xc0) != 0x80;
}

static int answer(const char *type, const char *body, size_t len, char **out,
                  size_t *outlen)
{
	api_request req = {.method = "POST",
	                   .path = "/v1/extract",
	                   .content_type = type,
	                   .body = body,
	                   .body_len = len};
	api_response res;
	api_handle(engine, &req, &res);
	int status = res.status;
	*out = res.body;
	*outlen = res.body_len;
	return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!engine)
		setup();
	const char *text = (const char *)data;
	size_t bad = utf8_invalid_at(text, size);
	if (bad != pcre2_invalid_at(data, size))
		abort();

	pw_extraction *x = NULL;
	pw_error err;
	pw_status st = pw_extract(engine, text, size, &x, &err);
	if (bad < size) {
		if (st != PW_ERR_INVALID || x)
			abort();
	} else {
		if (st != PW_OK)
			abort();
		check_tokens(text, size);
		for (size_t i = 0; i < x->count; i++) {
			const pw_extract_hit *h = &x->hits[i];
			if (h->start >= h->end || h->end > size ||
			    !boundary(data, size, h->start) ||
			    !boundary(data, size, h->end) ||
			    (i && x->hits[i - 1].end > h->start) ||
			    memcmp(x->text + h->start, text + h->start,
			           h->end - h->start))
				abort();
		}
	}

	/* the same bytes over the API: raw text, then as a JSON body */
	char *body;
	size_t blen;
	int status = answer("text/plain", text, size, &body, &blen);
	if (st == PW_OK) {
		char *doc = pw_extraction_json(x, 0);
		if (status != 200 || !doc || strlen(doc) != blen ||
		    memcmp(doc, body, blen))
			abort();
		pw_free(doc);
	} else if (status != 400)
		abort();
	free(body);
	status = answer("application/json", text, size, &body, &blen);
	if (status != 200 && status != 400)
		abort();
	free(body);
	pw_extraction_free(x);
	return 0;
}
