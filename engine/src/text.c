/* text.c - text helpers: id syntax, O*NET-SOC code shape, and caseless
 * Unicode-aware substring search through PCRE2. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "internal.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

struct text_needle {
	pcre2_code *re;
	pcre2_match_data *md;
};

pw_status text_needle_new(const char *q, text_needle **out, pw_error *err)
{
	int code;
	PCRE2_SIZE off;
	text_needle *n = calloc(1, sizeof *n);
	if (!n)
		return pw_oom(err);
	/* In UTF mode a caseless literal folds case by Unicode rules (UCP is
	 * not allowed with LITERAL and only matters for \w, \b and friends). */
	n->re = pcre2_compile((PCRE2_SPTR)q, PCRE2_ZERO_TERMINATED,
	                      PCRE2_LITERAL | PCRE2_CASELESS | PCRE2_UTF, &code,
	                      &off, NULL);
	if (!n->re) {
		PCRE2_UCHAR text[200];
		free(n);
		if (code == PCRE2_ERROR_NOMEMORY)
			return pw_oom(err);
		if (pcre2_get_error_message(code, text, sizeof text) < 0)
			snprintf((char *)text, sizeof text, "error %d", code);
		return pw_fail(err, PW_ERR_INVALID,
		               "cannot search for '%s': %s", q,
		               (const char *)text);
	}
	n->md = pcre2_match_data_create_from_pattern(n->re, NULL);
	if (!n->md) {
		pcre2_code_free(n->re);
		free(n);
		return pw_oom(err);
	}
	*out = n;
	return PW_OK;
}

bool text_needle_in(const text_needle *n, const char *hay)
{
	if (!hay)
		return false;
	/* Stored text was validated as UTF-8 on load; NO_UTF_CHECK is safe. */
	int rc = pcre2_match(n->re, (PCRE2_SPTR)hay, strlen(hay), 0,
	                     PCRE2_NO_UTF_CHECK, n->md, NULL);
	return rc >= 0;
}

void text_needle_free(text_needle *n)
{
	if (!n)
		return;
	pcre2_match_data_free(n->md);
	pcre2_code_free(n->re);
	free(n);
}

bool text_valid_id(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		          (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		          c == ':' || c == '-';
		if (!ok)
			return false;
	}
	return n >= 1 && n <= 128;
}

bool text_is_soc_code(const char *s)
{
	static const char shape[] = "NN-NNNN.NN";
	if (strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		if (shape[i] == 'N' ? !(s[i] >= '0' && s[i] <= '9')
		                    : s[i] != shape[i])
			return false;
	}
	return true;
}

bool text_pattern_ok(const char *pattern, char *msg, size_t msgsz)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re =
	    pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                  PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
	if (re) {
		pcre2_code_free(re);
		return true;
	}
	PCRE2_UCHAR text[200];
	if (pcre2_get_error_message(code, text, sizeof text) < 0)
		snprintf((char *)text, sizeof text, "error %d", code);
	snprintf(msg, msgsz, "%s at offset %zu", (const char *)text,
	         (size_t)off);
	return false;
}

size_t utf8_invalid_at(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		if (len - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & 0x8080808080808080ull)) {
				i += 8;
				continue;
			}
		}
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned char lo = 0x80, hi = 0xbf; /* the second byte */
		if (c >= 0xc2 && c <= 0xdf)
			n = 2;
		else if (c >= 0xe0 && c <= 0xef) {
			n = 3;
			if (c == 0xe0)
				lo = 0xa0; /* overlong */
			else if (c == 0xed)
				hi = 0x9f; /* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 4;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f; /* past U+10FFFF */
		} else
			return i;
		if (len - i < n || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (size_t k = 2; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
		i += n;
	}
	return len;
}
