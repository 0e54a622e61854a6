/* token.c - bearer tokens for the HTTP API (SPEC §7). A token reads
 * "pwt_<id>_<secret>": the id (16 hex digits) finds its row, the secret
 * (32 random bytes, base64url) is never stored, only its SHA-256 digest,
 * which is compared in constant time. Randomness and hashing come from
 * GnuTLS; nothing here is hand-written cryptography. */
#include "internal.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ID_BYTES     8
#define SECRET_BYTES 32
#define DIGEST_BYTES 32
#define PREFIX       "pwt_"

static const char *const role_names[] = {[PW_ROLE_NONE] = "anonymous",
                                         [PW_ROLE_LEARNER] = "learner",
                                         [PW_ROLE_EMPLOYER] = "employer",
                                         [PW_ROLE_BOARD] = "board",
                                         [PW_ROLE_ADMIN] = "admin"};

const char *pw_role_name(pw_role role)
{
	return role <= PW_ROLE_ADMIN ? role_names[role] : "unknown";
}

pw_status pw_role_parse(const char *name, pw_role *out, pw_error *err)
{
	for (int r = PW_ROLE_LEARNER; r <= PW_ROLE_ADMIN; r++)
		if (strcmp(name, role_names[r]) == 0) {
			*out = (pw_role)r;
			return PW_OK;
		}
	return pw_fail(err, PW_ERR_INVALID,
	               "unknown role '%s' (learner, employer, board, admin)",
	               name);
}

static void hex(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static void base64url(const uint8_t *in, size_t n, char *out)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = a[(v >> 18) & 63];
		out[o++] = a[(v >> 12) & 63];
		if (i + 1 < n)
			out[o++] = a[(v >> 6) & 63];
		if (i + 2 < n)
			out[o++] = a[v & 63];
	}
	out[o] = '\0';
}

static void utc_now(char out[static 32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Splits "pwt_<16 hex>_<secret>" into its id and secret. */
static bool split(const char *token, char id[static ID_BYTES * 2 + 1],
                  const char **secret)
{
	size_t plen = strlen(PREFIX);
	if (strncmp(token, PREFIX, plen) != 0)
		return false;
	const char *p = token + plen;
	for (size_t i = 0; i < ID_BYTES * 2; i++) {
		char c = p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
		id[i] = c;
	}
	id[ID_BYTES * 2] = '\0';
	if (p[ID_BYTES * 2] != '_')
		return false;
	*secret = p + ID_BYTES * 2 + 1;
	size_t n = strlen(*secret);
	return n >= 16 && n <= 128;
}

static pw_status digest_of(const char *secret, uint8_t out[DIGEST_BYTES],
                           pw_error *err)
{
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, secret, strlen(secret), out) <
	    0)
		return pw_fail(err, PW_ERR_IO, "cannot hash a token");
	return PW_OK;
}

pw_status pw_token_create(pw_engine *e, pw_role role, const char *subject,
                          char **token, pw_error *err)
{
	uint8_t idb[ID_BYTES], secretb[SECRET_BYTES], digest[DIGEST_BYTES];
	char id[ID_BYTES * 2 + 1], secret[SECRET_BYTES * 2], created[32];
	pw_status st;
	if (subject && !*subject)
		subject = NULL;
	switch (role) {
	case PW_ROLE_LEARNER: {
		bool ok;
		if (!subject)
			return pw_fail(err, PW_ERR_INVALID,
			               "a learner token needs a learner id");
		if ((st = store_exists(e->st, PW_KIND_LEARNER, subject, &ok,
		                       err)))
			return st;
		if (!ok)
			return pw_fail(err, PW_ERR_NOT_FOUND, "no learner '%s'",
			               subject);
		break;
	}
	case PW_ROLE_EMPLOYER:
		if (!subject)
			return pw_fail(
			    err, PW_ERR_INVALID,
			    "an employer token needs an employer name");
		if (strlen(subject) > 128)
			return pw_fail(
			    err, PW_ERR_INVALID,
			    "an employer name has at most 128 bytes");
		break;
	case PW_ROLE_BOARD:
	case PW_ROLE_ADMIN:
		if (subject)
			return pw_fail(
			    err, PW_ERR_INVALID,
			    "a %s token names no learner or employer",
			    pw_role_name(role));
		break;
	case PW_ROLE_NONE:
		return pw_fail(err, PW_ERR_INVALID, "a token needs a role");
	}
	if (gnutls_rnd(GNUTLS_RND_KEY, idb, sizeof idb) < 0 ||
	    gnutls_rnd(GNUTLS_RND_KEY, secretb, sizeof secretb) < 0)
		return pw_fail(err, PW_ERR_IO, "no randomness for a token");
	hex(idb, sizeof idb, id);
	base64url(secretb, sizeof secretb, secret);
	if ((st = digest_of(secret, digest, err)))
		return st;
	utc_now(created);
	if ((st = store_put_token(e->st, id, digest, sizeof digest,
	                          pw_role_name(role), subject, created, err)))
		return st;
	buf b;
	buf_init(&b);
	buf_printf(&b, "%s%s_%s", PREFIX, id, secret);
	gnutls_memset(secret, 0, sizeof secret);
	gnutls_memset(secretb, 0, sizeof secretb);
	if (!(*token = buf_detach(&b)))
		return pw_oom(err);
	return PW_OK;
}

pw_status pw_token_revoke(pw_engine *e, const char *token_or_id, pw_error *err)
{
	char id[ID_BYTES * 2 + 1], when[32];
	const char *secret;
	bool changed;
	if (!split(token_or_id, id, &secret))
		snprintf(id, sizeof id, "%.16s", token_or_id);
	utc_now(when);
	pw_status st = store_revoke_token(e->st, id, when, &changed, err);
	if (st)
		return st;
	if (!changed)
		return pw_fail(err, PW_ERR_NOT_FOUND, "no valid token '%s'",
		               id);
	return PW_OK;
}

pw_status pw_token_verify(pw_engine *e, const char *token, pw_principal *out,
                          pw_error *err)
{
	char id[ID_BYTES * 2 + 1], role[16], subject[sizeof out->subject];
	uint8_t want[DIGEST_BYTES], got[DIGEST_BYTES];
	const char *secret;
	bool revoked;
	pw_status st;
	if (!token || !split(token, id, &secret))
		return pw_fail(err, PW_ERR_DENIED, "malformed token");
	st = store_get_token(e->st, id, want, sizeof want, role, sizeof role,
	                     subject, sizeof subject, &revoked, err);
	if (st == PW_ERR_NOT_FOUND)
		return pw_fail(err, PW_ERR_DENIED, "unknown token");
	if (st)
		return st;
	if ((st = digest_of(secret, got, err)))
		return st;
	/* constant time: every byte is compared whatever the first says */
	volatile uint8_t diff = 0;
	for (size_t i = 0; i < DIGEST_BYTES; i++)
		diff |= (uint8_t)(want[i] ^ got[i]);
	if (diff || revoked)
		return pw_fail(err, PW_ERR_DENIED,
		               /* "revoked" only to the holder of the
		                * secret: a guess learns nothing */
		               !diff && revoked ? "revoked token"
		                                : "unknown token");
	pw_principal p = {0};
	if ((st = pw_role_parse(role, &p.role, err)))
		return pw_fail(err, PW_ERR_DB, "a token has an unknown role");
	snprintf(p.subject, sizeof p.subject, "%s", subject);
	snprintf(p.token_id, sizeof p.token_id, "%s", id);
	*out = p;
	return PW_OK;
}

struct pw_tokens_res {
	pw_tokens pub;
	arena mem;
	ptrvec items;
	bool oom;
};

static pw_status row_token(void *ctx, const scan_row *r)
{
	struct pw_tokens_res *t = ctx;
	pw_token_info *it = arena_alloc(&t->mem, sizeof *it);
	if (!it || !ptrvec_push(&t->items, it)) {
		t->oom = true;
		return PW_ERR_NOMEM;
	}
	it->id = arena_keep(&t->mem, row_text(r, 0), &t->oom);
	if (pw_role_parse(row_text(r, 1), &it->role, NULL))
		it->role = PW_ROLE_NONE;
	it->subject = row_null(r, 2)
	                  ? NULL
	                  : arena_keep(&t->mem, row_text(r, 2), &t->oom);
	it->created = arena_keep(&t->mem, row_text(r, 3), &t->oom);
	it->revoked = row_null(r, 4)
	                  ? NULL
	                  : arena_keep(&t->mem, row_text(r, 4), &t->oom);
	return t->oom ? PW_ERR_NOMEM : PW_OK;
}

pw_status pw_token_list(pw_engine *e, pw_tokens **out, pw_error *err)
{
	struct pw_tokens_res *t = calloc(1, sizeof *t);
	pw_status st;
	if (!t)
		return pw_oom(err);
	if ((st = store_scan(e->st, SCAN_TOKENS, row_token, t, err)) || t->oom)
		goto fail;
	t->pub.count = t->items.len;
	t->pub.items =
	    arena_alloc(&t->mem, (t->items.len + 1) * sizeof *t->pub.items);
	if (!t->pub.items)
		goto fail;
	for (size_t i = 0; i < t->items.len; i++)
		t->pub.items[i] = *(pw_token_info *)t->items.items[i];
	ptrvec_release(&t->items);
	*out = &t->pub;
	return PW_OK;
fail:
	if (t->oom || st == PW_ERR_NOMEM || !st)
		st = pw_oom(err);
	pw_tokens_free(&t->pub);
	return st;
}

void pw_tokens_free(pw_tokens *tk)
{
	if (!tk)
		return;
	struct pw_tokens_res *t = (struct pw_tokens_res *)tk;
	ptrvec_release(&t->items);
	arena_release(&t->mem);
	free(t);
}

char *pw_tokens_json(const pw_tokens *t, unsigned flags)
{
	jsonw w;
	jw_init(&w, flags);
	jw_obj(&w);
	jw_key(&w, "tokens");
	jw_arr(&w);
	for (size_t i = 0; i < t->count; i++) {
		const pw_token_info *it = &t->items[i];
		jw_obj(&w);
		jw_key(&w, "id");
		jw_str(&w, it->id);
		jw_key(&w, "role");
		jw_str(&w, pw_role_name(it->role));
		jw_key(&w, "subject");
		jw_str(&w, it->subject);
		jw_key(&w, "created");
		jw_str(&w, it->created);
		jw_key(&w, "revoked");
		jw_str(&w, it->revoked);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	return jw_finish(&w);
}
