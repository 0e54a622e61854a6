/* badges.c - Open Badges 2.0/3.0 and CLR 2.0 into a learner's record
 * (FORMATS.md §1-2), and listed catalog credentials out as unsigned Open
 * Badges 3.0 Achievement definitions (FORMATS.md §7).
 *
 * A badge names what was earned by its achievement (OB 3.0) or badge class
 * (OB 2.0). That maps to a catalog credential whose url or an alias is the
 * achievement's id; otherwise an unlisted credential is made from the
 * achievement, so that one learner's wallet never changes what anyone is
 * planned. Everything read is checked first, then the new credentials and
 * the learner's grown record are written in one transaction. */
#include "import.h"
#include "jsonld.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One badge file at most: far beyond any real wallet export. */
#define MAX_FILE_BYTES (64u << 20)

#define CRED_URN     "urn:pathway:credential:"
#define SKILL_URN    "urn:pathway:skill:"
#define PROVIDER_URN "urn:pathway:provider:"
#define ONET_ELEMENT "https://www.onetonline.org/find/descriptor/result/"
#define ONET_SOC     "https://www.onetonline.org/link/summary/"
#define VC2_CONTEXT  "https://www.w3.org/ns/credentials/v2"
#define OB3_CONTEXT  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

/* ---- small text helpers ---- */

static bool blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\f' || ch == '\v';
}

static bool starts_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_http(const char *s)
{
	return starts_ci(s, "http://") || starts_ci(s, "https://");
}

/* s clipped for a message: at most 60 bytes on a character boundary. */
static const char *clip(const char *s, char out[static 72])
{
	size_t n = strlen(s);
	if (n <= 60)
		return s;
	n = 57;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(out, s, n);
	memcpy(out + n, "...", 4);
	return out;
}

/* The key ids and URLs are matched by: an http(s) URL loses its scheme
 * (badges mix http and https for the same thing), its host goes to lower
 * case and trailing slashes go; anything else stays as written. A new
 * string or NULL. */
static char *key_of(const char *s)
{
	if (!is_http(s))
		return strdup(s);
	const char *rest = s + (s[4] == ':' ? 7 : 8);
	size_t n = strlen(rest);
	while (n && rest[n - 1] == '/')
		n--;
	size_t host = strcspn(rest, "/?#");
	char *out = malloc(n + 3);
	if (!out)
		return NULL;
	out[0] = out[1] = '/';
	for (size_t i = 0; i < n; i++)
		out[2 + i] =
		    i < host ? (char)tolower((unsigned char)rest[i]) : rest[i];
	out[n + 2] = '\0';
	return out;
}

/* An O*NET-SOC code ("53-7051.00", or "53-7051" meaning ".00") -> out. */
static bool soc_code(const char *s, char out[static 11])
{
	static const char shape[] = "NN-NNNN.NN";
	size_t n = strlen(s);
	if (n != 7 && n != 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'N' ? !isdigit((unsigned char)s[i])
		                    : s[i] != shape[i])
			return false;
	memcpy(out, s, n);
	if (n == 7)
		memcpy(out + 7, ".00", 3);
	out[10] = '\0';
	return true;
}

/* The last path segment of an O*NET OnLine or O*NET Center URL ("2.A.1.a",
 * "53-7051.00"), into out; false for other URLs. */
static bool onet_segment(const char *url, char *out, size_t size)
{
	if (!is_http(url))
		return false;
	const char *host = url + (url[4] == ':' ? 7 : 8);
	size_t hn = strcspn(host, "/?#");
	bool onet = false;
	for (size_t i = 0; i + 6 <= hn && !onet; i++)
		onet = strncasecmp(host + i, "onetonline.org", 14) == 0 ||
		       strncasecmp(host + i, "onetcenter.org", 14) == 0;
	if (!onet)
		return false;
	size_t end = hn + strcspn(host + hn, "?#");
	while (end > hn && host[end - 1] == '/')
		end--;
	size_t start = end;
	while (start > hn && host[start - 1] != '/')
		start--;
	if (start == end || end - start >= size)
		return false;
	memcpy(out, host + start, end - start);
	out[end - start] = '\0';
	return true;
}

/* A Credential Engine CTID ("ce-" and a UUID) ending s, or NULL. */
static const char *ctid_in(const char *s)
{
	static const char shape[] = "ce-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t n = strlen(s), m = sizeof shape - 1;
	if (n < m)
		return NULL;
	const char *t = s + n - m;
	for (size_t i = 0; i < m; i++)
		if (shape[i] == 'x' ? !isxdigit((unsigned char)t[i])
		                    : tolower((unsigned char)t[i]) != shape[i])
			return NULL;
	return t;
}

/* ---- base64url (RFC 4648 §5) ---- */

static int b64u_value(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '-')
		return 62;
	if (ch == '_')
		return 63;
	return -1;
}

/* The offset of the first byte of s[0..n) that is not base64url, or n.
 * Trailing '=' padding, which JWS leaves out, is tolerated. */
static size_t b64u_bad_at(const char *s, size_t n)
{
	size_t pad = 0;
	while (pad < 2 && pad < n && s[n - 1 - pad] == '=')
		pad++;
	for (size_t i = 0; i < n - pad; i++)
		if (b64u_value((unsigned char)s[i]) < 0)
			return i;
	return n;
}

/* Decodes base64url already checked by b64u_bad_at; NUL-terminated. NULL
 * when out of memory. */
static char *b64u_decode(const char *s, size_t n, size_t *len)
{
	while (n && s[n - 1] == '=')
		n--;
	char *out = malloc(n / 4 * 3 + 4);
	size_t k = 0;
	unsigned acc = 0;
	int bits = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		acc = acc << 6 | (unsigned)b64u_value((unsigned char)s[i]);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (char)(acc >> bits & 0xFF);
		}
	}
	out[k] = '\0';
	*len = k;
	return out;
}

/* ---- the import ---- */

typedef struct bx {
	jld_reader jr; /* first: report, counts, file, path, index */
	pw_engine *e;

	/* the stored catalog */
	json_t *cred_keys;   /* key_of(url, alias, urn) -> credential id */
	json_t *cred_ids;    /* credential id -> true */
	json_t *skill_ids;   /* skill id -> name */
	json_t *skill_names; /* folded name or alias -> skill id */
	json_t *skill_codes; /* "framework\x1f" code -> skill id */
	json_t *code_any;    /* key_of(code) -> skill id, any framework */
	json_t *frameworks;  /* framework -> true */

	/* the call */
	json_t *docs;    /* [{"root", "file", "path", "jws", "prefixes"}] */
	json_t *defs;    /* key -> definition {"node", "file", "path", ...} */
	json_t *defdocs; /* definitions given as whole documents */
	json_t *made;    /* key -> id of a credential made in this call */
	json_t *new_ids; /* credential id made in this call -> true */
	json_t *creds;   /* the credentials made (native) */
	json_t *learner; /* the stored learner, its new entries appended */
	json_t *entries; /* its entries, canonical text -> true */
	size_t added;    /* entries appended */

	/* the document being read */
	json_t *prefixes; /* compact IRI prefixes of its @context */
	const char *lang; /* OB 2.0 @language */
	json_t *issuer;   /* the credential's issuer */
	json_t *earned;   /* inside a CLR: keys of the achievements earned */
} bx;

/* Sets key to a new string value, recording a failure. */
static void set_str(bx *c, json_t *o, const char *key, const char *s)
{
	jr_set_new(&c->jr, o, key, json_string(s));
}

/* ---- the stored catalog ---- */

static int put_first(json_t *map, const char *key, const char *id)
{
	if (!*key || json_object_get(map, key))
		return 0;
	return json_object_set_new(map, key, json_string(id));
}

static int put_folded(json_t *map, const char *text, size_t n, const char *id)
{
	char *tmp = malloc(n + 1), *key = NULL;
	int rc = -1;
	if (tmp) {
		memcpy(tmp, text, n);
		tmp[n] = '\0';
		key = jld_fold(tmp, strlen(tmp));
	}
	if (key)
		rc = put_first(map, key, id);
	free(tmp);
	free(key);
	return rc;
}

static pw_status skill_row(void *ctx, const scan_row *row)
{
	bx *c = ctx;
	const char *id = row_text(row, 0), *name = row_text(row, 1);
	if (json_object_set_new(c->skill_ids, id, json_string(name)) ||
	    put_folded(c->skill_names, name, strlen(name), id))
		return PW_ERR_NOMEM;
	for (const char *a = row_null(row, 2) ? "" : row_text(row, 2); *a;) {
		size_t n = strcspn(a, "\x1f");
		if (put_folded(c->skill_names, a, n, id))
			return PW_ERR_NOMEM;
		a += n + (a[n] ? 1 : 0);
	}
	return PW_OK;
}

static pw_status code_row(void *ctx, const scan_row *row)
{
	bx *c = ctx;
	const char *id = row_text(row, 0), *fw = row_text(row, 1),
	           *code = row_text(row, 2);
	size_t n = strlen(fw) + strlen(code) + 2;
	char *both = malloc(n), *key = key_of(code);
	int rc = !both || !key;
	if (!rc) {
		snprintf(both, n, "%s\x1f%s", fw, code);
		rc = put_first(c->skill_codes, both, id) ||
		     put_first(c->code_any, key, id) ||
		     json_object_set_new(c->frameworks, fw, json_true());
	}
	free(both);
	free(key);
	return rc ? PW_ERR_NOMEM : PW_OK;
}

/* Credentials: id -> {"listed", "url", "aliases"} while the keys are
 * gathered. */
static json_t *cred_entry(json_t *info, const char *id)
{
	json_t *o = json_object_get(info, id);
	if (!o && (!(o = json_object()) || json_object_set_new(info, id, o)))
		return NULL;
	return o;
}

static pw_status cred_row(void *ctx, const scan_row *row)
{
	json_t *o = cred_entry(ctx, row_text(row, 0));
	return !o || json_object_set_new(o, "listed",
	                                 json_boolean(row_int(row, 4) != 0))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

static pw_status cred_url_row(void *ctx, const scan_row *row)
{
	json_t *o = cred_entry(ctx, row_text(row, 0));
	return !o || json_object_set_new(o, "url",
	                                 json_string(row_text(row, 1)))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

static pw_status cred_alias_row(void *ctx, const scan_row *row)
{
	json_t *o = cred_entry(ctx, row_text(row, 0));
	return !o || json_object_set_new(
	                 o, "aliases",
	                 json_string(row_null(row, 2) ? "" : row_text(row, 2)))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

static int put_key(json_t *keys, const char *text, size_t n, const char *id)
{
	char *tmp = malloc(n + 1), *key = NULL;
	int rc = -1;
	if (tmp) {
		memcpy(tmp, text, n);
		tmp[n] = '\0';
		key = key_of(tmp);
	}
	if (key)
		rc = put_first(keys, key, id);
	free(tmp);
	free(key);
	return rc;
}

/* Listed credentials claim their keys first: when a catalog credential and
 * a badge's own share an alias, the badge maps to the catalog's. */
static int cred_keys(bx *c, json_t *info)
{
	for (int listed = 1; listed >= 0; listed--) {
		const char *id;
		json_t *o;
		json_object_foreach(info, id, o)
		{
			if (json_is_true(json_object_get(o, "listed")) !=
			    (listed == 1))
				continue;
			char urn[160];
			snprintf(urn, sizeof urn, CRED_URN "%s", id);
			if (json_object_set_new(c->cred_ids, id, json_true()) ||
			    put_key(c->cred_keys, urn, strlen(urn), id))
				return -1;
			const char *url =
			    json_string_value(json_object_get(o, "url"));
			if (url && put_key(c->cred_keys, url, strlen(url), id))
				return -1;
			const char *a =
			    json_string_value(json_object_get(o, "aliases"));
			while (a && *a) {
				size_t n = strcspn(a, "\x1f");
				if (put_key(c->cred_keys, a, n, id))
					return -1;
				a += n + (a[n] ? 1 : 0);
			}
		}
	}
	return 0;
}

static pw_status load_catalog(bx *c)
{
	pw_status st;
	json_t *info = json_object();
	if (!info)
		return pw_oom(c->jr.err);
	if (!(st = store_scan(c->e->st, SCAN_NAMES_SKILL, skill_row, c,
	                      c->jr.err)) &&
	    !(st = store_scan(c->e->st, SCAN_SKILL_CODES, code_row, c,
	                      c->jr.err)) &&
	    !(st = store_scan(c->e->st, SCAN_CREDS, cred_row, info,
	                      c->jr.err)) &&
	    !(st = store_scan(c->e->st, SCAN_CRED_URLS, cred_url_row, info,
	                      c->jr.err)) &&
	    !(st = store_scan(c->e->st, SCAN_NAMES_CRED, cred_alias_row, info,
	                      c->jr.err)) &&
	    cred_keys(c, info))
		st = PW_ERR_NOMEM;
	json_decref(info);
	return st == PW_ERR_NOMEM ? pw_oom(c->jr.err) : st;
}

/* ---- ids and their keys ---- */

/* The prefixes a document's @context defines ({"res":
 * "https://credentialengineregistry.org/resources/"}), so that "res:ce-..."
 * ids can be read as the URLs they stand for. */
static json_t *context_prefixes(json_t *root)
{
	json_t *out = json_object(), *ctx = json_object_get(root, "@context");
	if (!out)
		return NULL;
	for (size_t i = 0; i < jld_count(ctx); i++) {
		json_t *def = jld_item(ctx, i);
		const char *k;
		json_t *v;
		if (!json_is_object(def))
			continue;
		json_object_foreach(def, k, v)
		{
			const char *iri = json_string_value(v);
			if (*k == '@' || strchr(k, ':') || !iri ||
			    !strchr(iri, ':'))
				continue;
			if (json_object_set(out, k, v)) {
				json_decref(out);
				return NULL;
			}
		}
	}
	return out;
}

/* id with a defined prefix expanded (a new string), NULL when it has none
 * or out of memory (*nomem). */
static char *expand(bx *c, const char *id, bool *nomem)
{
	const char *colon = strchr(id, ':');
	if (!colon || colon == id || strncmp(colon + 1, "//", 2) == 0 ||
	    (size_t)(colon - id) >= 64)
		return NULL;
	char prefix[64];
	memcpy(prefix, id, (size_t)(colon - id));
	prefix[colon - id] = '\0';
	const char *iri =
	    json_string_value(json_object_get(c->prefixes, prefix));
	if (!iri)
		return NULL;
	size_t n = strlen(iri) + strlen(colon + 1) + 1;
	char *out = malloc(n);
	if (!out) {
		*nomem = true;
		return NULL;
	}
	snprintf(out, n, "%s%s", iri, colon + 1);
	return out;
}

static int add_key(json_t *keys, const char *s)
{
	char *k = key_of(s);
	if (!k)
		return -1;
	int rc = 0;
	bool seen = false;
	size_t i;
	json_t *v;
	json_array_foreach(keys, i, v) seen |=
	    strcmp(json_string_value(v), k) == 0;
	if (!seen)
		rc = json_array_append_new(keys, json_string(k));
	free(k);
	return rc;
}

/* The keys an achievement id is matched by: the id as its prefix
 * expands, as written, and the CTID it ends with. A new array (empty for no
 * id); NULL when out of memory. *full receives the expanded id (or a copy). */
static json_t *id_keys(bx *c, const char *id, char **full)
{
	json_t *keys = json_array();
	bool nomem = false;
	char *x = id ? expand(c, id, &nomem) : NULL;
	*full = NULL;
	if (!keys || nomem)
		goto fail;
	if (!id)
		return keys;
	/* the expanded id first: it is what the id means */
	if ((x && add_key(keys, x)) || add_key(keys, id) ||
	    (ctid_in(id) && add_key(keys, ctid_in(id))))
		goto fail;
	*full = x ? x : strdup(id);
	if (!*full)
		goto fail;
	return keys;
fail:
	free(x);
	json_decref(keys);
	return NULL;
}

/* The credential the first of keys names: stored, or made earlier in the
 * call. One pass over the keys in their order, both maps at each, so that
 * the next import (where what this one made is stored) finds the same. */
static const char *lookup(bx *c, json_t *keys)
{
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k)
	{
		const char *key = json_string_value(k);
		const char *id =
		    json_string_value(json_object_get(c->cred_keys, key));
		if (!id)
			id = json_string_value(json_object_get(c->made, key));
		if (id)
			return id;
	}
	return NULL;
}

/* ---- values ---- */

/* A BCP 47-shaped key ("en", "en-US"), as language maps use; drafts put
 * "@" in front. */
static bool lang_tag(const char *k)
{
	size_t n = 0;
	if (*k == '@')
		k++;
	while (isalpha((unsigned char)k[n]))
		n++;
	if (n < 2 || n > 3)
		return false;
	for (k += n; *k == '-';) {
		k++;
		for (n = 0; isalnum((unsigned char)k[n]); n++)
			;
		if (n < 1 || n > 8)
			return false;
		k += n;
	}
	return *k == '\0';
}

/* Why v holds no text, for a message. */
static void no_text(bx *c, const json_t *v)
{
	if (json_is_object(v) && json_object_get(v, "@value"))
		jr_fail(&c->jr, "'@value' is %s, not text",
		        jld_type_name(json_object_get(v, "@value")));
	else if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach((json_t *)v, k, x)
		{
			if (!lang_tag(k)) {
				char tmp[72];
				jr_fail(
				    &c->jr,
				    "expected text or a language map, but key "
				    "'%s' is not a language tag",
				    clip(k, tmp));
				return;
			}
		}
		jr_fail(&c->jr, "a language map without text");
	} else
		jr_fail(&c->jr,
		        "expected text (a string, a language map or a value "
		        "object), found %s",
		        jld_type_name(v));
}

/* A language map holding keys that are no language tags ({"title": "x",
 * "en": "Forklift"}): the text of the keys that are, the others noted.
 * NULL when no key is a language tag with text. */
static const char *lang_keys_text(bx *c, json_t *v)
{
	const char *k, *t = NULL;
	json_t *x, *tags = json_object();
	if (!tags) {
		jr_oom(&c->jr);
		return NULL;
	}
	if (!json_is_object(v) || json_object_get(v, "@value") ||
	    json_object_get(v, "@id") || json_object_get(v, "id"))
		goto done;
	json_object_foreach(v, k, x)
	{
		if (lang_tag(k) && json_object_set(tags, k, x)) {
			jr_oom(&c->jr);
			goto done;
		}
	}
	/* the strings stay the document's: the map only shares them */
	if (!json_object_size(tags) || !(t = jld_text(tags, c->lang)))
		goto done;
	json_object_foreach(v, k, x)
	{
		char tmp[72];
		if (!lang_tag(k))
			jr_note(&c->jr,
			        "key '%s' is not a language tag; ignored",
			        clip(k, tmp));
	}
done:
	json_decref(tags);
	return t;
}

/* The text under the first of keys present; NULL when none is (or, with
 * the failure reported, when it holds no text). Blank text counts as none
 * when required. */
static const char *text_at(bx *c, json_t *o, const char *const *keys,
                           bool required)
{
	for (; *keys; keys++) {
		json_t *v = json_object_get(o, *keys);
		if (!v)
			continue;
		size_t s = jld_path_key(&c->jr.path, *keys);
		const char *t = jld_text(v, c->lang);
		if (!t)
			t = lang_keys_text(c, v);
		if (!t)
			no_text(c, v);
		else if (required) {
			const char *p = t;
			while (blank(*p))
				p++;
			if (!*p) {
				jr_fail(&c->jr, "must not be empty");
				t = NULL;
			}
		}
		jld_path_back(&c->jr.path, s);
		return t;
	}
	return NULL;
}

/* A string under key: NULL when absent; reported when not a string. */
static const char *str_at(bx *c, json_t *o, const char *key, bool *bad)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_string(v))
		return json_string_value(v);
	size_t s = jld_path_key(&c->jr.path, key);
	jr_fail(&c->jr, "expected a string, found %s", jld_type_name(v));
	jld_path_back(&c->jr.path, s);
	if (bad)
		*bad = true;
	return NULL;
}

/* The id of a node: "id" or "@id"; reported when not a string. */
static const char *node_id(bx *c, json_t *o, bool *bad)
{
	if (json_object_get(o, "id"))
		return str_at(c, o, "id", bad);
	return str_at(c, o, "@id", bad);
}

/* Seconds since 1970 -> a date, for JWT claims and OB 1.x timestamps.
 * Years 1900-9999 only. */
static bool unix_date(double t, pw_date *out)
{
	if (!isfinite(t) || t < -2208988800.0 || t > 253402300799.0)
		return false;
	*out = (pw_date)floor(t / 86400.0);
	return true;
}

/* The date under key into *out (unchanged when absent); false, reported,
 * when it is not a date. unix also accepts whole seconds since 1970. */
static bool date_at(bx *c, json_t *o, const char *key, bool unix, pw_date *out)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return true;
	size_t s = jld_path_key(&c->jr.path, key);
	bool ok = true;
	char tmp[72];
	if (unix && json_is_number(v)) {
		if (!(ok = unix_date(json_number_value(v), out)))
			jr_fail(&c->jr, "%g seconds since 1970 is out of range",
			        json_number_value(v));
	} else if (!json_is_string(v)) {
		ok = false;
		jr_fail(&c->jr, "expected an ISO 8601 date, found %s",
		        jld_type_name(v));
	} else if (!jld_date(json_string_value(v), 0, out)) {
		ok = false;
		jr_fail(&c->jr, "'%s' is not an ISO 8601 date",
		        clip(json_string_value(v), tmp));
	}
	jld_path_back(&c->jr.path, s);
	return ok;
}

typedef struct when {
	pw_date earned, expires; /* PW_DATE_NONE when absent */
	const char *expires_key; /* where expires came from, for messages */
} when;

/* The date earned from the first of earned_keys present, and the expiry
 * from the first of expires_keys; outer (a CLR's dates) fills in what a
 * nested credential lacks. false when reported. */
static bool dates(bx *c, json_t *o, const char *const *earned_keys,
                  const char *const *expires_keys, bool unix, const when *outer,
                  when *w)
{
	w->earned = w->expires = PW_DATE_NONE;
	w->expires_key = NULL;
	const char *const *k;
	for (k = earned_keys; *k && !json_object_get(o, *k); k++)
		;
	if (*k && !date_at(c, o, *k, unix, &w->earned))
		return false;
	for (k = expires_keys; *k && !json_object_get(o, *k); k++)
		;
	if (*k && !date_at(c, o, *k, unix, &w->expires))
		return false;
	w->expires_key = *k;
	if (w->earned == PW_DATE_NONE && outer)
		w->earned = outer->earned;
	if (w->earned == PW_DATE_NONE) {
		char keys[100] = "";
		size_t n = 0;
		for (k = earned_keys; *k; k++) {
			int m = snprintf(keys + n, sizeof keys - n, "%s'%s'",
			                 k == earned_keys ? "" : " or ", *k);
			if (m > 0 && (size_t)m < sizeof keys - n)
				n += (size_t)m;
		}
		jr_fail(&c->jr, "no date earned: missing %s", keys);
		return false;
	}
	if (w->expires != PW_DATE_NONE && w->expires < w->earned) {
		char ymd[11];
		size_t s = w->expires_key
		               ? jld_path_key(&c->jr.path, w->expires_key)
		               : c->jr.path.len;
		pw_date_format(w->earned, ymd);
		jr_fail(&c->jr, "expires before the date earned (%s)", ymd);
		jld_path_back(&c->jr.path, s);
		return false;
	}
	return true;
}

/* ---- the learner's record ---- */

/* An entry equal to one the learner has changes nothing: entries are
 * compared by their canonical text (sorted keys), in a set. */
static int seen_entries(bx *c)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(c->learner, "credentials"), i, e)
	{
		char *key = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
		int rc =
		    !key || json_object_set_new(c->entries, key, json_true());
		free(key);
		if (rc)
			return -1;
	}
	return 0;
}

static void add_entry(bx *c, const char *cred, const when *w,
                      const char *format, const char *source_id)
{
	char earned[11], expires[11];
	json_t *list = json_object_get(c->learner, "credentials");
	json_t *src = json_pack("{s:s,s:b}", "format", format, "verified", 0);
	json_t *e = json_object();
	if (!src || !e || !list)
		goto nomem;
	pw_date_format(w->earned, earned);
	if (json_object_set_new(e, "credential", json_string(cred)) ||
	    json_object_set_new(e, "earned", json_string(earned)))
		goto nomem;
	if (w->expires != PW_DATE_NONE) {
		pw_date_format(w->expires, expires);
		if (json_object_set_new(e, "expires", json_string(expires)))
			goto nomem;
	}
	if (source_id && json_object_set_new(src, "id", json_string(source_id)))
		goto nomem;
	if (json_object_set(e, "source", src))
		goto nomem;
	char *key = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
	if (!key)
		goto nomem;
	bool seen = json_object_get(c->entries, key) != NULL;
	int rc = seen ? 0
	              : json_object_set_new(c->entries, key, json_true()) ||
	                    json_array_append(list, e);
	free(key);
	if (rc)
		goto nomem;
	c->added += !seen;
	goto done;
nomem:
	jr_oom(&c->jr);
done:
	json_decref(src);
	json_decref(e);
}

/* ---- credentials made from achievements ---- */

/* A credential type from an achievementType or a CTDL class (FORMATS.md
 * §7: they share local names); NULL when the term names none. */
static const char *kind_of(const char *term)
{
	static const struct {
		const char *local, *kind;
	} exact[] = {
	    {"MicroCredential", "micro-credential"},
	    {"Badge", "badge"},
	    {"DigitalBadge", "badge"},
	    {"OpenBadge", "badge"},
	    {"Certification", "certification"},
	    {"License", "license"},
	    {"Course", "course"},
	    {"LearningProgram", "course"},
	    {"LearningOpportunityProfile", "course"},
	    {"GeneralEducationDevelopment", "degree"},
	    {"PriorLearning", "prior-learning"},
	};
	static const char *const degree_ends[] = {"Degree", "Doctorate",
	                                          "Diploma"};
	if (!term)
		return NULL;
	const char *local = term;
	for (const char *p = term; *p; p++)
		if (*p == ':' || *p == '/' || *p == '#')
			local = p + 1;
	for (size_t i = 0; i < PW_ARRAY_LEN(exact); i++)
		if (strcasecmp(local, exact[i].local) == 0)
			return exact[i].kind;
	size_t n = strlen(local);
	if (n >= 11 && strcasecmp(local + n - 11, "Certificate") == 0)
		return "certificate";
	for (size_t i = 0; i < PW_ARRAY_LEN(degree_ends); i++) {
		size_t m = strlen(degree_ends[i]);
		if (n >= m && strcasecmp(local + n - m, degree_ends[i]) == 0)
			return "degree";
	}
	return NULL;
}

/* What the credential being made gathers. */
typedef struct made {
	json_t *skills;      /* [{"skill"}] */
	json_t *occupations; /* [code] */
	json_t *unmatched_tags;
} made;

static bool has_string(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) ==
	                                  0) return true;
	return false;
}

static void add_skill(bx *c, made *m, const char *skill)
{
	size_t i;
	json_t *v;
	json_array_foreach(m->skills, i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "skill")),
		           skill) == 0)
			return;
	}
	if (json_array_append_new(m->skills,
	                          json_pack("{s:s}", "skill", skill)))
		jr_oom(&c->jr);
}

static void add_occupation(bx *c, made *m, const char *code)
{
	if (!has_string(m->occupations, code) &&
	    json_array_append_new(m->occupations, json_string(code)))
		jr_oom(&c->jr);
}

/* The stored skill a folded name or alias names, or NULL. */
static const char *skill_by_name(bx *c, const char *name)
{
	char *k = name ? jld_fold(name, strlen(name)) : NULL;
	if (name && !k) {
		jr_oom(&c->jr);
		return NULL;
	}
	const char *id =
	    k ? json_string_value(json_object_get(c->skill_names, k)) : NULL;
	free(k);
	return id;
}

static const char *skill_by_url(bx *c, const char *url)
{
	char seg[128], *k;
	if (!url || !*url)
		return NULL;
	if (strncmp(url, SKILL_URN, strlen(SKILL_URN)) == 0 &&
	    json_object_get(c->skill_ids, url + strlen(SKILL_URN)))
		return url + strlen(SKILL_URN);
	if (!(k = key_of(url))) {
		jr_oom(&c->jr);
		return NULL;
	}
	const char *id = json_string_value(json_object_get(c->code_any, k));
	free(k);
	if (id)
		return id;
	if (onet_segment(url, seg, sizeof seg)) {
		char both[160];
		snprintf(both, sizeof both, "onet\x1f%s", seg);
		if ((id = json_string_value(
		         json_object_get(c->skill_codes, both))))
			return id;
	}
	return skill_by_name(c, url); /* an alias may be a URL */
}

/* The stored framework an alignment's targetFramework names: its key as
 * stored, or O*NET and ESCO by their names; NULL when unknown. */
static const char *framework_key(bx *c, const char *fw)
{
	static const struct {
		const char *word, *key;
	} known[] = {{"o*net", "onet"}, {"onet", "onet"}, {"esco", "esco"}};
	const char *k;
	json_t *v;
	json_object_foreach(c->frameworks, k,
	                    v) if (strcasecmp(k, fw) == 0) return k;
	char *f = jld_fold(fw, strlen(fw));
	if (!f) {
		jr_oom(&c->jr);
		return NULL;
	}
	const char *out = NULL;
	for (size_t i = 0; i < PW_ARRAY_LEN(known) && !out; i++)
		if (strstr(f, known[i].word))
			out = known[i].key;
	if (!out && strcmp(f, "pathway") == 0)
		out = "pathway";
	free(f);
	return out;
}

/* targetCode is local to its framework: a code is looked up in the
 * framework named, in any when none is named, in none when the framework
 * is unknown. */
static const char *skill_by_code(bx *c, const char *fw, const char *code)
{
	if (!code || !*code)
		return NULL;
	if (!fw || !*fw) {
		char *k = key_of(code);
		if (!k) {
			jr_oom(&c->jr);
			return NULL;
		}
		const char *id =
		    json_string_value(json_object_get(c->code_any, k));
		free(k);
		return id;
	}
	const char *key = framework_key(c, fw);
	if (!key)
		return NULL;
	if (strcmp(key, "pathway") == 0)
		return json_object_get(c->skill_ids, code) ? code : NULL;
	size_t n = strlen(key) + strlen(code) + 2;
	char *both = malloc(n);
	if (!both) {
		jr_oom(&c->jr);
		return NULL;
	}
	snprintf(both, n, "%s\x1f%s", key, code);
	const char *id =
	    json_string_value(json_object_get(c->skill_codes, both));
	free(both);
	return id;
}

/* The fields of an alignment: an OB Alignment, a CTDL
 * CredentialAlignmentObject or ceasn:Competency. */
typedef struct align {
	const char *name, *url, *code, *framework, *type;
} align;

static void read_align(bx *c, json_t *o, align *a)
{
	static const char *const names[] = {"targetName",
	                                    "ceterms:targetNodeName",
	                                    "ceasn:competencyLabel",
	                                    "ceasn:competencyText",
	                                    "name",
	                                    NULL};
	static const char *const urls[] = {"targetUrl", "ceterms:targetNode",
	                                   NULL};
	static const char *const codes[] = {
	    "targetCode", "ceterms:codedNotation", "ceasn:codedNotation", NULL};
	static const char *const fws[] = {"targetFramework",
	                                  "ceterms:frameworkName", NULL};
	memset(a, 0, sizeof *a);
	a->name = text_at(c, o, names, false);
	for (const char *const *k = urls; *k && !a->url; k++)
		if (json_object_get(o, *k)) {
			json_t *v = json_object_get(o, *k);
			a->url = jld_id(v);
			if (!a->url) {
				size_t s = jld_path_key(&c->jr.path, *k);
				jr_fail(&c->jr, "expected a URL, found %s",
				        jld_type_name(v));
				jld_path_back(&c->jr.path, s);
			}
		}
	if (!a->url)
		a->url = jld_id(o);
	for (const char *const *k = codes; *k && !a->code; k++)
		if (json_object_get(o, *k))
			a->code = str_at(c, o, *k, NULL);
	a->framework = text_at(c, o, fws, false);
	a->type = str_at(c, o, "targetType", NULL);
}

/* One alignment: to an occupation (an O*NET-SOC code), else to a skill by
 * URL, by framework code, by name; what matches nothing is noted. */
static void map_align(bx *c, made *m, json_t *v)
{
	align a;
	char soc[11], seg[128], tmp[72], tmp2[72];
	jld_path saved;
	json_t *o = jr_follow(&c->jr, v, &saved);
	if (json_is_string(o)) {
		memset(&a, 0, sizeof a);
		a.url = json_string_value(o);
	} else if (!json_is_object(o)) {
		jr_fail(&c->jr, "expected an alignment (an object), found %s",
		        jld_type_name(o));
		goto out;
	} else
		read_align(c, o, &a);
	if (!a.name && !a.url && !a.code) {
		jr_note(&c->jr, "an alignment that names nothing; left out");
		goto out;
	}
	bool soc_fw = !a.framework || strstr(a.framework, "SOC") ||
	              starts_ci(a.framework, "O*NET") ||
	              starts_ci(a.framework, "ONET");
	if ((a.url && onet_segment(a.url, seg, sizeof seg) &&
	     soc_code(seg, soc)) ||
	    (a.code && soc_fw && soc_code(a.code, soc))) {
		add_occupation(c, m, soc);
		goto out;
	}
	const char *label = a.name ? a.name : a.url ? a.url : a.code;
	if (a.type && (jld_term_is(a.type, "Credential"))) {
		jr_note(
		    &c->jr,
		    "'%s' aligns with a credential, not a skill; not mapped",
		    clip(label, tmp));
		goto out;
	}
	const char *skill = skill_by_url(c, a.url);
	if (!skill)
		skill = skill_by_code(c, a.framework, a.code);
	if (!skill)
		skill = skill_by_name(c, a.name);
	if (skill)
		add_skill(c, m, skill);
	else if (a.url && a.name)
		jr_note(&c->jr,
		        "alignment '%s' (%s) matches no skill; left out",
		        clip(a.name, tmp), clip(a.url, tmp2));
	else
		jr_note(&c->jr, "alignment '%s' matches no skill; left out",
		        clip(label, tmp));
out:
	c->jr.path = saved;
}

static void map_aligns(bx *c, made *m, json_t *o, const char *key)
{
	json_t *list = json_object_get(o, key);
	size_t s = jld_path_key(&c->jr.path, key);
	for (size_t i = 0; i < jld_count(list) && !c->jr.fatal; i++) {
		size_t s2 = jld_path_item(&c->jr.path, list, i);
		map_align(c, m, jld_item(list, i));
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
}

/* CTDL inside a VC: what a credential requires, teaches or assesses, as
 * competencies (directly, or a ConditionProfile's targetCompetency). A
 * ConditionProfile's targetCredential is a prerequisite, which a learner's
 * document never sets (SPEC §6). */
static void map_ctdl_competencies(bx *c, made *m, json_t *o)
{
	static const char *const keys[] = {
	    "ceterms:requires", "ceterms:teaches", "ceterms:assesses"};
	for (size_t k = 0; k < PW_ARRAY_LEN(keys) && !c->jr.fatal; k++) {
		json_t *list = json_object_get(o, keys[k]);
		size_t s = jld_path_key(&c->jr.path, keys[k]);
		for (size_t i = 0; i < jld_count(list) && !c->jr.fatal; i++) {
			size_t s2 = jld_path_item(&c->jr.path, list, i);
			jld_path saved;
			json_t *item =
			    jr_follow(&c->jr, jld_item(list, i), &saved);
			if (jld_has_type(item, "ConditionProfile")) {
				map_aligns(c, m, item,
				           "ceterms:targetCompetency");
				if (json_object_get(item,
				                    "ceterms:targetCredential"))
					jr_note(&c->jr,
					        "credentials it names as "
					        "prerequisites are hints only; "
					        "not applied");
			} else {
				map_align(c, m, item);
			}
			c->jr.path = saved;
			jld_path_back(&c->jr.path, s2);
		}
		jld_path_back(&c->jr.path, s);
	}
}

/* Tags (OB 3.0 tag[], OB 2.0 tags[]) that are a skill's name or alias. */
static void map_tags(bx *c, made *m, json_t *o)
{
	static const char *const keys[] = {"tag", "tags"};
	for (size_t k = 0; k < PW_ARRAY_LEN(keys); k++) {
		json_t *list = json_object_get(o, keys[k]);
		for (size_t i = 0; i < jld_count(list); i++) {
			const char *t = jld_text(jld_item(list, i), c->lang);
			const char *skill = t ? skill_by_name(c, t) : NULL;
			if (skill)
				add_skill(c, m, skill);
			else if (t && *t &&
			         json_array_append_new(m->unmatched_tags,
			                               json_string(t)))
				jr_oom(&c->jr);
		}
	}
}

static void note_tags(bx *c, made *m)
{
	char list[300] = "";
	size_t n = 0, i;
	json_t *t;
	if (!json_array_size(m->unmatched_tags))
		return;
	json_array_foreach(m->unmatched_tags, i, t)
	{
		char tmp[72];
		int w =
		    snprintf(list + n, sizeof list - n, "%s'%s'", i ? ", " : "",
		             clip(json_string_value(t), tmp));
		if (w < 0 || (size_t)w >= sizeof list - n)
			break;
		n += (size_t)w;
	}
	jr_note(&c->jr, "tag%s %s match%s no skill",
	        json_array_size(m->unmatched_tags) == 1 ? "" : "s", list,
	        json_array_size(m->unmatched_tags) == 1 ? "es" : "");
}

/* "badge." + a slug of the name + a hash of what identifies the
 * achievement: stable, so the same badge always makes the same id. */
static void made_id(const char *name, const char *basis, char out[static 129])
{
	char slug[48];
	size_t n = 0;
	bool dash = true;
	for (const unsigned char *p = (const unsigned char *)name;
	     *p && n < sizeof slug - 1; p++) {
		if (isalnum(*p) && *p < 0x80) {
			slug[n++] = (char)tolower(*p);
			dash = false;
		} else if (!dash) {
			slug[n++] = '-';
			dash = true;
		}
	}
	while (n && slug[n - 1] == '-')
		n--;
	slug[n] = '\0';
	snprintf(out, 129, "badge.%s%s%016llx", slug, n ? "-" : "",
	         (unsigned long long)imp_hash(basis, strlen(basis), 0));
}

/* The name of an issuer or creator Profile, when it has one. */
static const char *profile_name(bx *c, json_t *p)
{
	jld_path saved;
	json_t *node = jr_follow(&c->jr, p, &saved);
	c->jr.path = saved;
	return json_is_object(node)
	           ? jld_text(json_object_get(node, "name"), c->lang)
	           : NULL;
}

static bool is_competency(json_t *a)
{
	return jld_has_type(a, "Competency") ||
	       jld_term_is(
	           json_string_value(json_object_get(a, "achievementType")),
	           "Competency");
}

/* key as the object stores it (lives as long as the object), or NULL. */
static const char *stored_key(json_t *o, const char *key)
{
	void *it = json_object_iter_at(o, key);
	return it ? json_object_iter_key(it) : NULL;
}

/* Makes a new unlisted credential from an achievement or badge class. */
static const char *make_credential(bx *c, json_t *a, const char *full_id)
{
	static const char *const names[] = {"name", "ceterms:name",
	                                    "ceasn:competencyLabel",
	                                    "ceasn:competencyText", NULL};
	static const char *const descs[] = {"description",
	                                    "ceterms:description", NULL};
	const char *out = NULL;
	size_t before = c->jr.errors;
	made m = {json_array(), json_array(), json_array()};
	json_t *cred = json_object();
	if (!m.skills || !m.occupations || !m.unmatched_tags || !cred) {
		jr_oom(&c->jr);
		goto done;
	}
	const char *name = text_at(c, a, names, true);
	if (!name && c->jr.errors == before)
		jr_fail(&c->jr,
		        "missing 'name': a credential made from a badge needs "
		        "one");
	const char *desc = text_at(c, a, descs, false);
	const char *type = NULL;
	json_t *at = json_object_get(a, "achievementType");
	if (at && !json_is_string(at)) {
		size_t s = jld_path_key(&c->jr.path, "achievementType");
		jr_fail(&c->jr, "expected a string, found %s",
		        jld_type_name(at));
		jld_path_back(&c->jr.path, s);
	}
	type = kind_of(json_string_value(at));
	json_t *types = json_object_get(a, "@type");
	if (!types)
		types = json_object_get(a, "type");
	for (size_t i = 0; !type && i < jld_count(types); i++)
		type = kind_of(json_string_value(jld_item(types, i)));
	const char *provider = NULL;
	if (json_object_get(a, "creator"))
		provider = profile_name(c, json_object_get(a, "creator"));
	if (!provider && json_object_get(a, "issuer"))
		provider = profile_name(c, json_object_get(a, "issuer"));
	if (!provider && c->issuer)
		provider = profile_name(c, c->issuer);
	double credits = 0;
	json_t *cv = json_object_get(a, "creditsAvailable");
	if (cv) {
		size_t s = jld_path_key(&c->jr.path, "creditsAvailable");
		if (!jld_number(cv, 0, &credits) || credits < 0 ||
		    credits > 1e6)
			jr_fail(
			    &c->jr,
			    "expected a number of credits from 0 to 1000000, "
			    "found %s",
			    json_is_number(cv) ? "a number out of range"
			                       : jld_type_name(cv));
		jld_path_back(&c->jr.path, s);
	}

	/* skills: alignments first, then the secondary signals */
	map_aligns(c, &m, a, "alignment");
	json_t *rds = json_object_get(a, "resultDescription");
	size_t s = jld_path_key(&c->jr.path, "resultDescription");
	for (size_t i = 0; i < jld_count(rds) && !c->jr.fatal; i++) {
		size_t s2 = jld_path_item(&c->jr.path, rds, i);
		if (json_is_object(jld_item(rds, i)))
			map_aligns(c, &m, jld_item(rds, i), "alignment");
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
	map_ctdl_competencies(c, &m, a);
	if (is_competency(a) && name) {
		/* a skill assertion: the achievement is the competency */
		align self = {.name = name, .url = full_id};
		json_t *cn = json_object_get(a, "ceasn:codedNotation");
		self.code = json_string_value(cn);
		const char *skill = skill_by_url(c, self.url);
		if (!skill)
			skill = skill_by_code(c, NULL, self.code);
		if (!skill)
			skill = skill_by_name(c, name);
		if (skill)
			add_skill(c, &m, skill);
		else if (!jld_count(json_object_get(a, "alignment"))) {
			char tmp[72];
			jr_note(&c->jr, "competency '%s' matches no skill",
			        clip(name, tmp));
		}
	}
	map_tags(c, &m, a);
	note_tags(c, &m);
	if (c->jr.errors != before || c->jr.fatal)
		goto done;

	/* the id: from the achievement's id, else from what describes it */
	char id[129];
	if (full_id) {
		made_id(name, full_id, id);
	} else {
		buf b;
		buf_init(&b);
		buf_printf(&b, "%s\x1f%s\x1f%s", name, provider ? provider : "",
		           desc ? desc : "");
		char *basis = buf_detach(&b);
		if (!basis) {
			jr_oom(&c->jr);
			goto done;
		}
		made_id(name, basis, id);
		free(basis);
	}
	/* made from the same description before */
	if ((out = stored_key(c->cred_ids, id)) ||
	    (out = stored_key(c->new_ids, id)))
		goto done;
	set_str(c, cred, "id", id);
	set_str(c, cred, "name", name);
	if (desc && *desc)
		set_str(c, cred, "description", desc);
	if (provider && *provider)
		set_str(c, cred, "provider", provider);
	if (full_id && is_http(full_id))
		set_str(c, cred, "url", full_id);
	set_str(c, cred, "type", type ? type : "badge");
	if (json_object_set_new(cred, "listed", json_false()))
		jr_oom(&c->jr);
	if (full_id) {
		/* the id (its prefix expanded: "res:ce-..." means nothing
		 * outside its document) and the CTID it carries, so that the
		 * next badge or a CTDL import naming it finds this credential
		 */
		json_t *aliases = json_array();
		if (!aliases ||
		    json_array_append_new(aliases, json_string(full_id)) ||
		    (ctid_in(full_id) &&
		     json_array_append_new(aliases,
		                           json_string(ctid_in(full_id)))) ||
		    json_object_set_new(cred, "aliases", aliases))
			jr_oom(&c->jr);
	}
	if (json_array_size(m.skills) &&
	    json_object_set(cred, "skills", m.skills))
		jr_oom(&c->jr);
	if (json_array_size(m.occupations) &&
	    json_object_set(cred, "occupations", m.occupations))
		jr_oom(&c->jr);
	if (cv &&
	    json_object_set_new(cred, "college_credits", json_real(credits)))
		jr_oom(&c->jr);
	if (c->jr.fatal || json_array_append(c->creds, cred) ||
	    json_object_set_new(c->new_ids, id, json_true())) {
		jr_oom(&c->jr);
		goto done;
	}
	out = stored_key(c->new_ids, id);
	/* found later in the call by what the store will hold: its aliases */
	if (full_id) {
		char *k = key_of(full_id);
		if (!k || put_first(c->made, k, out) ||
		    (ctid_in(full_id) &&
		     put_first(c->made, ctid_in(full_id), out)))
			jr_oom(&c->jr);
		free(k);
	}
done:
	json_decref(m.skills);
	json_decref(m.occupations);
	json_decref(m.unmatched_tags);
	json_decref(cred);
	return c->jr.fatal ? NULL : out;
}

/* ---- achievements ---- */

static void mark_earned(bx *c, json_t *keys)
{
	size_t i;
	json_t *k;
	if (!c->earned)
		return;
	json_array_foreach(keys, i, k)
	{
		if (json_object_set_new(c->earned, json_string_value(k),
		                        json_true()))
			jr_oom(&c->jr);
	}
}

/* Adds the keys of the ids an achievement says it is the same as
 * (owl:sameAs, schema.org sameAs): matched, never stored as aliases. */
static int same_as_keys(bx *c, json_t *a, json_t *keys)
{
	static const char *const props[] = {"owl:sameAs", "sameAs"};
	for (size_t p = 0; json_is_object(a) && p < PW_ARRAY_LEN(props); p++) {
		json_t *list = json_object_get(a, props[p]);
		for (size_t i = 0; i < jld_count(list); i++) {
			const char *id = jld_id(jld_item(list, i));
			char *full = NULL;
			json_t *more = id ? id_keys(c, id, &full) : NULL;
			size_t k;
			json_t *v;
			if (id && !more)
				return -1;
			json_array_foreach(more, k, v)
			{
				if (add_key(keys, json_string_value(v))) {
					json_decref(more);
					free(full);
					return -1;
				}
			}
			json_decref(more);
			free(full);
		}
	}
	return 0;
}

/* A definition given elsewhere in the call, read where it was given. */
static const char *map_definition(bx *c, json_t *def);

/* The credential an achievement (OB 3.0) or badge class (OB 2.0) maps to:
 * a catalog credential by the achievement's id, one made earlier in the
 * call, or a new one. NULL when nothing maps (noted) or on an error
 * (reported). */
static const char *map_achievement(bx *c, json_t *v)
{
	jld_path saved;
	const char *out = NULL;
	char *full = NULL, tmp[72];
	json_t *keys = NULL, *match = NULL, *a = jr_follow(&c->jr, v, &saved);
	bool bad = false;
	if (!json_is_object(a) && !json_is_string(a)) {
		jr_fail(
		    &c->jr,
		    "expected an achievement (an object) or its id, found %s",
		    jld_type_name(a));
		goto done;
	}
	const char *id =
	    json_is_string(a) ? json_string_value(a) : node_id(c, a, &bad);
	if (bad)
		goto done;
	if (id && !*id) {
		jr_fail(&c->jr, "an empty id");
		goto done;
	}
	/* what it is the same as is looked up, never recorded: a credential
	 * is found again by its own id, so that importing twice finds what
	 * the first import made */
	if (!(keys = id_keys(c, id, &full)) ||
	    !(match = json_deep_copy(keys)) || same_as_keys(c, a, match)) {
		jr_oom(&c->jr);
		goto done;
	}
	mark_earned(c, keys);
	if ((out = lookup(c, match)))
		goto done;
	if (jld_is_ref(a)) {
		json_t *def = NULL;
		size_t i;
		json_t *k;
		json_array_foreach(keys, i, k)
		{
			if (!def)
				def = json_object_get(c->defs,
				                      json_string_value(k));
		}
		if (def)
			out = map_definition(c, def);
		else
			jr_note(&c->jr,
			        "'%s' is given by reference only: no catalog "
			        "credential has it as url or alias and no "
			        "BadgeClass or Achievement with that id came "
			        "with this import; not imported",
			        clip(id, tmp));
		goto done;
	}
	out = make_credential(c, a, full);
done:
	free(full);
	json_decref(keys);
	json_decref(match);
	c->jr.path = saved;
	return out;
}

static const char *map_definition(bx *c, json_t *def)
{
	const char *file = c->jr.file;
	jld_path path = c->jr.path;
	json_t *prefixes = c->prefixes, *index = c->jr.index;
	if (json_object_set_new(def, "used", json_true())) {
		jr_oom(&c->jr);
		return NULL;
	}
	c->jr.file = json_string_value(json_object_get(def, "file"));
	jld_path_set(&c->jr.path,
	             json_string_value(json_object_get(def, "path")));
	c->prefixes = json_object_get(def, "prefixes");
	c->jr.index = NULL;
	json_t *node = json_object_get(def, "node");
	char *full = NULL;
	json_t *own = id_keys(c, jld_id(node), &full);
	const char *out = NULL;
	if (!own)
		jr_oom(&c->jr);
	else if (!(out = lookup(c, own))) /* made for an earlier reference */
		out = make_credential(c, node, full);
	json_decref(own);
	free(full);
	c->jr.file = file;
	c->jr.path = path;
	c->prefixes = prefixes;
	c->jr.index = index;
	return out;
}

/* ---- documents ---- */

/* awardedDate first: validFrom moves when a credential is reissued,
 * awardedDate keeps the day it was earned (OB 3.0 §B.1.1). */
static const char *const vc_earned[] = {"awardedDate", "validFrom",
                                        "issuanceDate", NULL};
static const char *const vc_expires[] = {"validUntil", "expirationDate", NULL};

static bool is_ob3(json_t *o)
{
	return jld_has_type(o, "OpenBadgeCredential") ||
	       jld_has_type(o, "AchievementCredential");
}

/* A VerifiableCredential that is not an Open Badge but whose subject has an
 * achievement (CTDL inside a VC, FORMATS.md §3). */
static bool is_plain_vc(json_t *o)
{
	if (!jld_has_type(o, "VerifiableCredential"))
		return false;
	json_t *subj = json_object_get(o, "credentialSubject");
	for (size_t i = 0; i < jld_count(subj); i++)
		if (json_object_get(jld_item(subj, i), "achievement"))
			return true;
	return false;
}

/* An OB 3.0 credential (or a VC carrying an achievement): one entry per
 * achievement of each subject. */
static void map_vc(bx *c, json_t *vc, const char *format, const when *outer)
{
	when w;
	bool bad = false;
	json_t *issuer = c->issuer;
	const char *id = node_id(c, vc, &bad);
	/* past a bad id or date, the achievements are still read: every
	 * problem is reported at once */
	bool ok = dates(c, vc, vc_earned, vc_expires, false, outer, &w) && !bad;
	json_t *subj = json_object_get(vc, "credentialSubject");
	if (!subj) {
		jr_fail(&c->jr, "missing 'credentialSubject'");
		return;
	}
	c->issuer = json_object_get(vc, "issuer");
	size_t s = jld_path_key(&c->jr.path, "credentialSubject");
	for (size_t i = 0; i < jld_count(subj) && !c->jr.fatal; i++) {
		json_t *one = jld_item(subj, i);
		size_t s2 = jld_path_item(&c->jr.path, subj, i);
		json_t *ach = json_object_get(one, "achievement");
		if (!json_is_object(one))
			jr_fail(&c->jr, "expected an object, found %s",
			        jld_type_name(one));
		else if (!ach || json_is_null(ach) ||
		         (json_is_array(ach) && !json_array_size(ach)))
			jr_fail(&c->jr,
			        "missing 'achievement': the credential names "
			        "nothing earned");
		else {
			size_t s3 = jld_path_key(&c->jr.path, "achievement");
			for (size_t k = 0; k < jld_count(ach) && !c->jr.fatal;
			     k++) {
				size_t s4 = jld_path_item(&c->jr.path, ach, k);
				const char *cred =
				    map_achievement(c, jld_item(ach, k));
				if (cred && ok)
					add_entry(c, cred, &w, format, id);
				jld_path_back(&c->jr.path, s4);
			}
			jld_path_back(&c->jr.path, s3);
		}
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
	c->issuer = issuer;
}

/* An OB 2.0 Assertion: its badge, embedded or by URL. */
static void map_assertion(bx *c, json_t *as, const char *format)
{
	static const char *const earned[] = {"issuedOn", NULL};
	static const char *const expires[] = {"expires", NULL};
	when w;
	bool bad = false;
	const char *id = node_id(c, as, &bad);
	bool ok = dates(c, as, earned, expires, true, NULL, &w) && !bad;
	json_t *badge = json_object_get(as, "badge");
	if (!badge || json_is_null(badge)) {
		jr_fail(&c->jr,
		        "missing 'badge': the assertion names nothing earned");
		return;
	}
	size_t s = jld_path_key(&c->jr.path, "badge");
	const char *cred = map_achievement(c, badge);
	jld_path_back(&c->jr.path, s);
	if (cred && ok)
		add_entry(c, cred, &w, format, id);
}

static json_t *jws_payload(bx *c, const char *text, size_t n);
static void map_clr(bx *c, json_t *clr, const char *format);

/* A nested credential of a CLR (an object, or a compact JWS). */
static void map_nested(bx *c, json_t *v, const char *format, const when *outer)
{
	json_t *payload = NULL, *index = c->jr.index, *prefixes = c->prefixes;
	size_t s = c->jr.path.len;
	if (json_is_string(v)) {
		payload =
		    jws_payload(c, json_string_value(v), json_string_length(v));
		if (!payload)
			return;
		v = payload;
		c->jr.index = jld_index_new();
		c->prefixes = context_prefixes(v);
		if (!c->jr.index || !c->prefixes ||
		    jld_index_add(c->jr.index, v, jld_path_str(&c->jr.path))) {
			jr_oom(&c->jr);
			goto done;
		}
	}
	if (!json_is_object(v)) {
		jr_fail(&c->jr,
		        "expected a credential (an object or a compact JWS), "
		        "found %s",
		        jld_type_name(v));
	} else if (jld_has_type(v, "ClrCredential")) {
		jr_fail(&c->jr, "a ClrCredential inside a ClrCredential");
	} else if (is_ob3(v) || is_plain_vc(v)) {
		map_vc(c, v, format, outer);
	} else if (jld_has_type(v, "Assertion")) {
		map_assertion(c, v, format);
	} else {
		const char *t = jld_first_type(v);
		char tmp[72];
		jr_fail(&c->jr,
		        "not an Open Badges credential (found %s%s%s); a CLR "
		        "carries OpenBadgeCredential or AchievementCredential",
		        t ? "type '" : "no type", t ? clip(t, tmp) : "",
		        t ? "'" : "");
	}
done:
	if (payload) {
		json_decref(c->jr.index);
		json_decref(c->prefixes);
		c->jr.index = index;
		c->prefixes = prefixes;
	}
	json_decref(payload);
	jld_path_back(&c->jr.path, s);
}

/* ---- CLR associations: hints only ---- */

/* A directed graph over achievement keys, for finding cycles. */
typedef struct graph {
	json_t *ids;   /* key -> index */
	json_t *names; /* [key] */
	json_t *edges; /* [[to, association index]] per node */
} graph;

static int graph_node(graph *g, const char *key, const char *name)
{
	json_t *v = json_object_get(g->ids, key);
	if (v)
		return (int)json_integer_value(v);
	int n = (int)json_array_size(g->names);
	if (json_object_set_new(g->ids, key, json_integer(n)) ||
	    json_array_append_new(g->names, json_string(name)) ||
	    json_array_append_new(g->edges, json_array()))
		return -1;
	return n;
}

/* An edge between achievements named by key (as the id was written). */
static int graph_edge(graph *g, const char *const key[2],
                      const char *const name[2], int from, size_t at)
{
	int a = graph_node(g, key[from], name[from]),
	    b = graph_node(g, key[1 - from], name[1 - from]);
	if (a < 0 || b < 0)
		return -1;
	return json_array_append_new(json_array_get(g->edges, (size_t)a),
	                             json_pack("[i,i]", b, (int)at));
}

static const char *graph_name(graph *g, size_t i, char tmp[static 72])
{
	return clip(json_string_value(json_array_get(g->names, i)), tmp);
}

/* "'a' -> 'b' -> 'a'" for the cycle that u -> v closes, found by walking
 * back from u; of a long one, its start and its last steps. */
static void cycle_text(graph *g, const size_t *parent, size_t u, size_t v,
                       char *out, size_t size)
{
	size_t chain[8], k = 0;
	char tmp[72];
	buf b;
	buf_init(&b);
	for (size_t w = u;; w = parent[w]) {
		chain[k++] = w;
		if (w == v || parent[w] == SIZE_MAX || k == PW_ARRAY_LEN(chain))
			break;
	}
	if (chain[k - 1] != v)
		buf_printf(&b, "'%s' -> ... -> ", graph_name(g, v, tmp));
	while (k-- > 0)
		buf_printf(&b, "'%s' -> ", graph_name(g, chain[k], tmp));
	buf_printf(&b, "'%s'", graph_name(g, v, tmp));
	char *text = buf_detach(&b);
	snprintf(out, size, "%s", text ? text : "(out of memory)");
	free(text);
}

/* Finds one cycle by an iterative depth-first search (a record may hold
 * many associations; no recursion). Writes "a -> b -> a" into out and the
 * index of the association closing it into *at; false when acyclic. */
static bool graph_cycle(graph *g, char *out, size_t size, size_t *at,
                        bool *nomem)
{
	size_t n = json_array_size(g->names);
	unsigned char *color = calloc(n + 1, 1);
	size_t *stack = malloc((n + 1) * sizeof *stack),
	       *next = calloc(n + 1, sizeof *next),
	       *parent = malloc((n + 1) * sizeof *parent);
	bool found = false;
	if (!color || !stack || !next || !parent) {
		*nomem = true;
		goto done;
	}
	for (size_t root = 0; root < n && !found; root++) {
		if (color[root])
			continue;
		size_t depth = 0;
		stack[depth++] = root;
		color[root] = 1;
		parent[root] = SIZE_MAX;
		while (depth && !found) {
			size_t u = stack[depth - 1];
			json_t *edges = json_array_get(g->edges, u);
			if (next[u] == json_array_size(edges)) {
				color[u] = 2;
				depth--;
				continue;
			}
			json_t *e = json_array_get(edges, next[u]++);
			size_t v =
			    (size_t)json_integer_value(json_array_get(e, 0));
			if (color[v] == 0) {
				color[v] = 1;
				parent[v] = u;
				stack[depth++] = v;
			} else if (color[v] == 1) {
				/* u -> v closes a cycle: v ... u -> v */
				cycle_text(g, parent, u, v, out, size);
				*at = (size_t)json_integer_value(
				    json_array_get(e, 1));
				found = true;
			}
		}
	}
done:
	free(color);
	free(stack);
	free(next);
	free(parent);
	return found;
}

static bool graph_init(graph *g)
{
	g->ids = json_object();
	g->names = json_array();
	g->edges = json_array();
	return g->ids && g->names && g->edges;
}

static void graph_release(graph *g)
{
	json_decref(g->ids);
	json_decref(g->names);
	json_decref(g->edges);
}

/* The association types of CLR 2.0, and which stack (child -> parent) or
 * order (before -> after) their edges go into: 1 source -> target, -1
 * target -> source. */
static const struct {
	const char *name;
	int stack, order;
} assoc_types[] = {
    {"exactMatchOf", 0, 0}, {"isChildOf", 1, 0},  {"isParentOf", -1, 0},
    {"isPartOf", 1, 0},     {"isPeerOf", 0, 0},   {"isRelatedTo", 0, 0},
    {"precedes", 0, 1},     {"replacedBy", 0, 0},
};

/* Does known hold id by one of its keys? With add, its keys go in.
 * *key receives its first key (a new string), naming it in graphs. */
static bool known_id(bx *c, json_t *known, const char *id, bool add, char **key)
{
	char *full = NULL;
	json_t *keys = id_keys(c, id, &full);
	bool hit = false;
	*key = NULL;
	if (!keys) {
		jr_oom(&c->jr);
		return false;
	}
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k)
	{
		hit |= json_object_get(known, json_string_value(k)) != NULL;
	}
	json_array_foreach(keys, i, k)
	{
		if (add && json_object_set_new(known, json_string_value(k),
		                               json_true()))
			jr_oom(&c->jr);
	}
	*key = json_array_size(keys)
	           ? strdup(json_string_value(json_array_get(keys, 0)))
	           : NULL;
	if (json_array_size(keys) && !*key)
		jr_oom(&c->jr);
	json_decref(keys);
	free(full);
	return hit;
}

/* Past this many, dangling ends are counted in one note. */
#define MAX_DANGLING_NOTES 10

static void map_associations(bx *c, json_t *subj, json_t *known)
{
	json_t *list = json_object_get(subj, "association");
	graph stack, order;
	size_t hints = 0, dangling = 0;
	char cycle[400];
	bool nomem = false;
	if (!jld_count(list))
		return;
	if (!graph_init(&stack) || !graph_init(&order)) {
		jr_oom(&c->jr);
		goto done;
	}
	size_t s = jld_path_key(&c->jr.path, "association");
	for (size_t i = 0; i < jld_count(list) && !c->jr.fatal; i++) {
		json_t *a = jld_item(list, i);
		size_t s2 = jld_path_item(&c->jr.path, list, i);
		const char *ends[2] = {NULL, NULL};
		static const char *const end_keys[2] = {"sourceId", "targetId"};
		char *keys[2] = {NULL, NULL}, tmp[72];
		if (!json_is_object(a)) {
			jr_fail(&c->jr,
			        "expected an association (an object), found %s",
			        jld_type_name(a));
			goto next;
		}
		bool bad = false;
		const char *type = str_at(c, a, "associationType", &bad);
		for (int k = 0; k < 2; k++)
			ends[k] = str_at(c, a, end_keys[k], &bad);
		if (bad)
			goto next;
		if (!type) {
			jr_fail(&c->jr, "missing 'associationType'");
			goto next;
		}
		for (int k = 0; k < 2; k++)
			if (!ends[k]) {
				jr_fail(&c->jr, "missing '%s'", end_keys[k]);
				bad = true;
			}
		if (bad)
			goto next;
		int stack_dir = 0, order_dir = 0;
		bool known_type = false;
		for (size_t t = 0; t < PW_ARRAY_LEN(assoc_types); t++)
			if (jld_term_is(type, assoc_types[t].name)) {
				known_type = true;
				stack_dir = assoc_types[t].stack;
				order_dir = assoc_types[t].order;
			}
		if (!known_type)
			jr_note(&c->jr, "unknown associationType '%s'",
			        clip(type, tmp));
		for (int k = 0; k < 2; k++) {
			if (!known_id(c, known, ends[k], false, &keys[k]) &&
			    !c->jr.fatal && ++dangling <= MAX_DANGLING_NOTES) {
				size_t s3 =
				    jld_path_key(&c->jr.path, end_keys[k]);
				jr_note(
				    &c->jr,
				    "'%s' names no achievement of this record "
				    "(a dangling id)",
				    clip(ends[k], tmp));
				jld_path_back(&c->jr.path, s3);
			}
		}
		if (keys[0] && keys[1]) {
			const char *const kk[2] = {keys[0], keys[1]};
			if ((stack_dir &&
			     graph_edge(&stack, kk, ends, stack_dir > 0 ? 0 : 1,
			                i)) ||
			    (order_dir && graph_edge(&order, kk, ends, 0, i)))
				jr_oom(&c->jr);
		}
		hints++;
	next:
		free(keys[0]);
		free(keys[1]);
		jld_path_back(&c->jr.path, s2);
	}
	graph *graphs[2] = {&stack, &order};
	static const char *const what[2] = {"stacking (isPartOf, isChildOf, "
	                                    "isParentOf)",
	                                    "order (precedes)"};
	for (int k = 0; k < 2 && !c->jr.fatal; k++) {
		size_t at;
		if (graph_cycle(graphs[k], cycle, sizeof cycle, &at, &nomem)) {
			size_t s2 = jld_path_item(&c->jr.path, list, at);
			jr_note(&c->jr,
			        "the %s associations form a cycle: %s; hints "
			        "only, nothing is changed",
			        what[k], cycle);
			jld_path_back(&c->jr.path, s2);
		}
		if (nomem)
			jr_oom(&c->jr);
	}
	if (dangling > MAX_DANGLING_NOTES)
		jr_note(&c->jr,
		        "%zu more ends of associations name no achievement of "
		        "this record",
		        dangling - MAX_DANGLING_NOTES);
	if (hints)
		jr_note(&c->jr,
		        "%zu association%s kept as hints only: the catalog's "
		        "stacks and prerequisites are not changed",
		        hints, hints == 1 ? "" : "s");
	jld_path_back(&c->jr.path, s);
done:
	graph_release(&stack);
	graph_release(&order);
}

/* A CLR 2.0 ClrCredential: every nested credential imported as a
 * standalone badge; bare achievement definitions are not earned;
 * associations are hints. */
static void map_clr(bx *c, json_t *clr, const char *format)
{
	when outer = {PW_DATE_NONE, PW_DATE_NONE, NULL};
	json_t *known = json_object();
	if (!known) {
		jr_oom(&c->jr);
		return;
	}
	/* the record's own date stands in for a nested credential's */
	for (const char *const *k = vc_earned; *k; k++)
		if (json_object_get(clr, *k)) {
			if (!date_at(c, clr, *k, false, &outer.earned))
				goto done;
			break;
		}
	json_t *subj = json_object_get(clr, "credentialSubject");
	if (!subj) {
		jr_fail(&c->jr, "missing 'credentialSubject'");
		goto done;
	}
	json_t *issuer = c->issuer;
	c->issuer = json_object_get(clr, "issuer");
	size_t s = jld_path_key(&c->jr.path, "credentialSubject");
	for (size_t i = 0; i < jld_count(subj) && !c->jr.fatal; i++) {
		json_t *one = jld_item(subj, i);
		size_t s2 = jld_path_item(&c->jr.path, subj, i);
		if (!json_is_object(one)) {
			jr_fail(&c->jr, "expected an object, found %s",
			        jld_type_name(one));
			jld_path_back(&c->jr.path, s2);
			continue;
		}
		json_t *vcs = json_object_get(one, "verifiableCredential");
		if (!jld_count(vcs))
			jr_fail(&c->jr,
			        "missing 'verifiableCredential': a CLR carries "
			        "at least one credential");
		c->earned = known;
		size_t s3 = jld_path_key(&c->jr.path, "verifiableCredential");
		for (size_t k = 0; k < jld_count(vcs) && !c->jr.fatal; k++) {
			size_t s4 = jld_path_item(&c->jr.path, vcs, k);
			map_nested(c, jld_item(vcs, k), format, &outer);
			jld_path_back(&c->jr.path, s4);
		}
		jld_path_back(&c->jr.path, s3);
		c->earned = NULL;

		/* bare definitions: not earned, but ids associations name */
		json_t *defs = json_object_get(one, "achievement");
		s3 = jld_path_key(&c->jr.path, "achievement");
		for (size_t k = 0; k < jld_count(defs) && !c->jr.fatal; k++) {
			json_t *d = jld_item(defs, k);
			size_t s4 = jld_path_item(&c->jr.path, defs, k);
			const char *id = json_is_object(d)
			                     ? jld_id(d)
			                     : json_string_value(d);
			char *key = NULL, tmp[72];
			bool earned_here =
			    id && known_id(c, known, id, true, &key);
			if (!json_is_object(d) && !json_is_string(d)) {
				jr_fail(&c->jr,
				        "expected an achievement (an object), "
				        "found %s",
				        jld_type_name(d));
			} else if (id && !earned_here && key) {
				const char *name =
				    json_is_object(d)
				        ? jld_text(json_object_get(d, "name"),
				                   c->lang)
				        : NULL;
				jr_note(&c->jr,
				        "'%s' is defined in the record but not "
				        "earned by it; not imported",
				        clip(name ? name : id, tmp));
			}
			free(key);
			jld_path_back(&c->jr.path, s4);
		}
		jld_path_back(&c->jr.path, s3);
		if (!c->jr.fatal)
			map_associations(c, one, known);
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
	c->issuer = issuer;
done:
	c->earned = NULL;
	json_decref(known);
}

/* ---- reading files ---- */

/* The payload of a compact JWS (RFC 7515 §7.1), header.payload.signature,
 * each base64url; the signature is not checked. A JWT-encoded VC 1.1 (its
 * credential in the "vc" claim) gives that credential, with the id and
 * dates the claims carry filled in where it has none. The path moves to
 * where the credential is ("payload" or "payload.vc"); NULL when reported. */
static json_t *jws_payload(bx *c, const char *text, size_t n)
{
	static const char *const part_names[3] = {"header", "payload",
	                                          "signature"};
	const char *part[3];
	size_t len[3], parts = 1;
	json_t *header = NULL, *payload = NULL, *out = NULL;
	char *dec[2] = {NULL, NULL};
	while (n && blank(text[n - 1]))
		n--;
	while (n && blank(*text))
		text++, n--;
	for (size_t i = 0; i < n; i++)
		parts += text[i] == '.';
	if (parts != 3) {
		if (parts == 5)
			jr_fail(&c->jr,
			        "an encrypted JWE (five parts) cannot be read; "
			        "a badge comes as a signed compact JWS");
		else
			jr_fail(&c->jr,
			        "neither JSON nor a compact JWS "
			        "(header.payload.signature): %zu part%s",
			        parts, parts == 1 ? "" : "s");
		return NULL;
	}
	part[0] = text;
	for (int k = 0; k < 3; k++) {
		const char *end =
		    memchr(part[k], '.', n - (size_t)(part[k] - text));
		len[k] = end ? (size_t)(end - part[k])
		             : n - (size_t)(part[k] - text);
		if (k < 2)
			part[k + 1] = part[k] + len[k] + 1;
	}
	bool bad = false;
	for (int k = 0; k < 3; k++) {
		size_t at = b64u_bad_at(part[k], len[k]);
		size_t s = jld_path_key(&c->jr.path, part_names[k]);
		unsigned char ch = at < len[k] ? (unsigned char)part[k][at] : 0;
		if (at < len[k] && ch >= 0x20 && ch < 0x7F)
			jr_fail(&c->jr, "not base64url: '%c' at offset %zu", ch,
			        at);
		else if (at < len[k])
			jr_fail(&c->jr,
			        "not base64url: byte 0x%02X at offset %zu", ch,
			        at);
		else if (k < 2 && len[k] == 0)
			jr_fail(&c->jr, "empty");
		else if (len[k] % 4 == 1)
			jr_fail(&c->jr,
			        "not base64url: %zu characters cannot be "
			        "decoded",
			        len[k]);
		else {
			jld_path_back(&c->jr.path, s);
			continue;
		}
		bad = true;
		jld_path_back(&c->jr.path, s);
	}
	if (bad)
		return NULL;
	size_t dlen[2];
	for (int k = 0; k < 2; k++)
		if (!(dec[k] = b64u_decode(part[k], len[k], &dlen[k]))) {
			jr_oom(&c->jr);
			goto done;
		}
	json_error_t jerr;
	size_t s = jld_path_key(&c->jr.path, "header");
	header = json_loadb(dec[0], dlen[0], JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(header))
		jr_fail(&c->jr, "not a JSON object (a JWS header is one)");
	jld_path_back(&c->jr.path, s);
	s = jld_path_key(&c->jr.path, "payload");
	if (load_too_deep_at(dec[1], dlen[1]) != SIZE_MAX)
		jr_fail(&c->jr, "JSON nested deeper than %d levels",
		        JSON_MAX_DEPTH);
	else if (!(payload = json_loadb(dec[1], dlen[1], 0, &jerr))) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			jr_oom(&c->jr);
		else
			jr_fail(&c->jr, "invalid JSON: %s (line %d, column %d)",
			        jerr.text, jerr.line, jerr.column);
	} else if (!json_is_object(payload))
		jr_fail(&c->jr, "expected a JSON object, found %s",
		        jld_type_name(payload));
	if (!json_is_object(header) || !json_is_object(payload)) {
		jld_path_back(&c->jr.path, s);
		goto done;
	}
	json_t *vc = json_object_get(payload, "vc");
	if (!json_is_object(vc)) {
		out = json_incref(payload);
		goto done;
	}
	/* JWT claims: jti the id, nbf (or iat) the issuance, exp the end */
	if (!(out = json_deep_copy(vc))) {
		jr_oom(&c->jr);
		goto done;
	}
	size_t at_payload = jld_path_key(&c->jr.path, "vc");
	static const struct {
		const char *claim, *const *keys, *set;
	} claims[] = {{"nbf", vc_earned, "issuanceDate"},
	              {"iat", vc_earned, "issuanceDate"},
	              {"exp", vc_expires, "expirationDate"}};
	const char *jti = json_string_value(json_object_get(payload, "jti"));
	if (jti && !json_object_get(out, "id"))
		set_str(c, out, "id", jti);
	for (size_t k = 0; k < PW_ARRAY_LEN(claims); k++) {
		const char *const *key = claims[k].keys;
		while (*key && !json_object_get(out, *key))
			key++;
		json_t *t = json_object_get(payload, claims[k].claim);
		pw_date d;
		char ymd[11];
		if (*key || !json_is_number(t))
			continue;
		if (!unix_date(json_number_value(t), &d)) {
			jld_path_back(&c->jr.path, at_payload);
			jld_path_key(&c->jr.path, claims[k].claim);
			jr_fail(&c->jr, "%g seconds since 1970 is out of range",
			        json_number_value(t));
			jld_path_back(&c->jr.path, at_payload);
			jld_path_key(&c->jr.path, "vc");
			continue;
		}
		pw_date_format(d, ymd);
		set_str(c, out, claims[k].set, ymd);
	}
done:
	json_decref(header);
	json_decref(payload);
	free(dec[0]);
	free(dec[1]);
	return out;
}

/* Adds one document of the call: a credential object, a JWS string, an
 * array of them, or an OB 3.0 API answer ({"credential": [...],
 * "compactJwsString": [...]}). */
static void add_doc(bx *c, json_t *v, bool jws, int level)
{
	json_t *payload = NULL;
	size_t s = c->jr.path.len;
	if (json_is_string(v)) {
		if (!(payload = jws_payload(c, json_string_value(v),
		                            json_string_length(v))))
			goto done;
		v = payload;
		jws = true;
	}
	if (json_is_array(v) && level == 0) {
		for (size_t i = 0; i < json_array_size(v) && !c->jr.fatal;
		     i++) {
			size_t s2 = jld_path_index(&c->jr.path, i);
			add_doc(c, json_array_get(v, i), jws, level + 1);
			jld_path_back(&c->jr.path, s2);
		}
		goto done;
	}
	if (!json_is_object(v)) {
		jr_fail(&c->jr,
		        "expected a credential (a JSON object) or a compact "
		        "JWS, found %s",
		        jld_type_name(v));
		goto done;
	}
	json_t *creds = json_object_get(v, "credential"),
	       *jwss = json_object_get(v, "compactJwsString");
	if (level == 0 && !jld_first_type(v) &&
	    !json_object_get(v, "@context") &&
	    (json_is_array(creds) || json_is_array(jwss))) {
		static const char *const keys[] = {"credential",
		                                   "compactJwsString"};
		for (int k = 0; k < 2; k++) {
			json_t *list = json_object_get(v, keys[k]);
			size_t s2 = jld_path_key(&c->jr.path, keys[k]);
			for (size_t i = 0; i < jld_count(list) && !c->jr.fatal;
			     i++) {
				size_t s3 = jld_path_item(&c->jr.path, list, i);
				add_doc(c, jld_item(list, i), false, level + 1);
				jld_path_back(&c->jr.path, s3);
			}
			jld_path_back(&c->jr.path, s2);
		}
		goto done;
	}
	json_t *prefixes = context_prefixes(v);
	if (!prefixes) {
		jr_oom(&c->jr);
		goto done;
	}
	json_t *d =
	    json_pack("{s:O,s:s,s:s,s:b,s:o*}", "root", v, "file", c->jr.file,
	              "path", c->jr.path.s, "jws", jws, "prefixes", prefixes);
	if (!d || json_array_append_new(c->docs, d))
		jr_oom(&c->jr);
done:
	json_decref(payload);
	jld_path_back(&c->jr.path, s);
}

static void read_file(bx *c, const char *name, const char *data, size_t len)
{
	c->jr.file = name;
	jld_path_set(&c->jr.path, "");
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		data += 3, len -= 3;
	size_t at = 0;
	while (at < len && blank(data[at]))
		at++;
	if (at == len) {
		jr_fail(&c->jr, "an empty file");
		return;
	}
	if (data[at] != '{' && data[at] != '[' && data[at] != '"') {
		json_t *p = jws_payload(c, data + at, len - at);
		if (p)
			add_doc(c, p, true, 1);
		json_decref(p);
		return;
	}
	if (load_too_deep_at(data, len) != SIZE_MAX) {
		jr_fail(&c->jr, "JSON nested deeper than %d levels",
		        JSON_MAX_DEPTH);
		return;
	}
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_DECODE_ANY, &jerr);
	if (!root) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			jr_oom(&c->jr);
		else
			jr_fail(&c->jr, "invalid JSON: %s (line %d, column %d)",
			        jerr.text, jerr.line, jerr.column);
		return;
	}
	add_doc(c, root, false, 0);
	json_decref(root);
}

/* Documents that only define an achievement (an OB 2.0 BadgeClass, an OB
 * 3.0 Achievement) and the definitions a CLR carries: what a badge given
 * by its id alone is made from. */
static void add_def(bx *c, json_t *node, const char *path, bool whole)
{
	char *full = NULL;
	json_t *keys = id_keys(c, jld_id(node), &full);
	json_t *def = json_pack("{s:O,s:s,s:s,s:O*,s:b}", "node", node, "file",
	                        c->jr.file, "path", path, "prefixes",
	                        c->prefixes, "used", 0);
	if (!keys || !def) {
		jr_oom(&c->jr);
		goto done;
	}
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k)
	{
		if (!json_object_get(c->defs, json_string_value(k)) &&
		    json_object_set(c->defs, json_string_value(k), def))
			jr_oom(&c->jr);
	}
	if (whole && json_array_append(c->defdocs, def))
		jr_oom(&c->jr);
done:
	free(full);
	json_decref(keys);
	json_decref(def);
}

static bool is_definition(json_t *root)
{
	return jld_has_type(root, "BadgeClass") ||
	       (jld_has_type(root, "Achievement") &&
	        !json_object_get(root, "credentialSubject"));
}

static void gather_defs(bx *c)
{
	size_t i;
	json_t *d;
	json_array_foreach(c->docs, i, d)
	{
		json_t *root = json_object_get(d, "root");
		const char *path =
		    json_string_value(json_object_get(d, "path"));
		c->jr.file = json_string_value(json_object_get(d, "file"));
		c->prefixes = json_object_get(d, "prefixes");
		if (is_definition(root)) {
			add_def(c, root, path, true);
			continue;
		}
		if (!jld_has_type(root, "ClrCredential"))
			continue;
		json_t *subj = json_object_get(root, "credentialSubject");
		for (size_t k = 0; k < jld_count(subj); k++) {
			json_t *list =
			    json_object_get(jld_item(subj, k), "achievement");
			for (size_t j = 0; j < jld_count(list); j++) {
				json_t *a = jld_item(list, j);
				jld_path p;
				jld_path_set(&p, path);
				jld_path_key(&p, "credentialSubject");
				jld_path_item(&p, subj, k);
				jld_path_key(&p, "achievement");
				jld_path_item(&p, list, j);
				if (json_is_object(a) && jld_id(a) &&
				    !jld_is_ref(a))
					add_def(c, a, p.s, false);
			}
		}
	}
	c->prefixes = NULL;
}

static void map_doc(bx *c, json_t *d)
{
	json_t *root = json_object_get(d, "root");
	char format[16];
	c->jr.file = json_string_value(json_object_get(d, "file"));
	jld_path_set(&c->jr.path,
	             json_string_value(json_object_get(d, "path")));
	c->prefixes = json_object_get(d, "prefixes");
	c->lang = json_string_value(json_object_get(root, "@language"));
	c->jr.index = jld_index_new();
	if (!c->jr.index || jld_index_add(c->jr.index, root, c->jr.path.s)) {
		jr_oom(&c->jr);
		goto done;
	}
	const char *kind = jld_has_type(root, "ClrCredential") ? "clr2"
	                   : is_ob3(root)                      ? "ob3"
	                   : jld_has_type(root, "Assertion")   ? "ob2"
	                   : is_plain_vc(root)                 ? "vc"
	                                                       : NULL;
	snprintf(format, sizeof format, "%s%s", kind ? kind : "",
	         json_is_true(json_object_get(d, "jws")) ? "-jws" : "");
	if (!kind && is_definition(root))
		goto done; /* gathered by gather_defs */
	if (!kind) {
		char types[200] = "";
		size_t n = 0;
		json_t *t = json_object_get(root, "type");
		if (!t)
			t = json_object_get(root, "@type");
		for (size_t i = 0; i < jld_count(t); i++) {
			const char *s = json_string_value(jld_item(t, i));
			char tmp[72];
			int w =
			    s ? snprintf(types + n, sizeof types - n, "%s%s",
			                 n ? ", " : "", clip(s, tmp))
			      : 0;
			if (w > 0 && (size_t)w < sizeof types - n)
				n += (size_t)w;
		}
		jr_fail(
		    &c->jr,
		    "no recognisable credential type (found %s): expected an "
		    "OpenBadgeCredential or AchievementCredential, a "
		    "ClrCredential, an OB 2.0 Assertion, or a "
		    "VerifiableCredential whose subject has an achievement",
		    n ? types : "none");
	} else if (strcmp(kind, "clr2") == 0)
		map_clr(c, root, format);
	else if (strcmp(kind, "ob2") == 0)
		map_assertion(c, root, format);
	else
		map_vc(c, root, format, NULL);
done:
	json_decref(c->jr.index);
	c->jr.index = NULL;
	c->prefixes = NULL;
	c->lang = NULL;
}

static void note_unused_defs(bx *c)
{
	size_t i;
	json_t *d;
	json_array_foreach(c->defdocs, i, d)
	{
		if (json_is_true(json_object_get(d, "used")))
			continue;
		json_t *node = json_object_get(d, "node");
		const char *name =
		    jld_text(json_object_get(node, "name"), NULL);
		char tmp[72];
		c->jr.file = json_string_value(json_object_get(d, "file"));
		jld_path_set(&c->jr.path,
		             json_string_value(json_object_get(d, "path")));
		jr_note(
		    &c->jr,
		    "%s '%s' only defines a badge; no assertion or credential "
		    "in this import names it, so nothing was earned",
		    jld_has_type(node, "BadgeClass") ? "BadgeClass"
		                                     : "Achievement",
		    clip(name           ? name
		         : jld_id(node) ? jld_id(node)
		                        : "?",
		         tmp));
	}
}

static void bx_release(bx *c)
{
	json_decref(c->cred_keys);
	json_decref(c->cred_ids);
	json_decref(c->skill_ids);
	json_decref(c->skill_names);
	json_decref(c->skill_codes);
	json_decref(c->code_any);
	json_decref(c->frameworks);
	json_decref(c->docs);
	json_decref(c->defs);
	json_decref(c->defdocs);
	json_decref(c->made);
	json_decref(c->new_ids);
	json_decref(c->creds);
	json_decref(c->learner);
	json_decref(c->entries);
}

pw_status pw_import_badges_buffers(pw_engine *e, const char *learner,
                                   const char *const *names,
                                   const char *const *data, const size_t *lens,
                                   size_t n, const pw_import_opts *opts,
                                   pw_report *rep, pw_import_summary *sum,
                                   pw_error *err)
{
	pw_import_summary local;
	pw_status st;
	if (!sum)
		sum = &local;
	memset(sum, 0, sizeof *sum);
	if (!rep)
		return pw_fail(err, PW_ERR_INVALID, "an import needs a report");
	if (!learner)
		return pw_fail(err, PW_ERR_INVALID,
		               "import badges needs a learner");
	bx c = {.jr = {.rep = rep, .o = opts, .sum = sum, .err = err}, .e = e};
	if ((st = imp_stored(e, PW_KIND_LEARNER, learner, &c.learner, err)))
		return st;
	c.cred_keys = json_object();
	c.cred_ids = json_object();
	c.skill_ids = json_object();
	c.skill_names = json_object();
	c.skill_codes = json_object();
	c.code_any = json_object();
	c.frameworks = json_object();
	c.docs = json_array();
	c.defs = json_object();
	c.defdocs = json_array();
	c.made = json_object();
	c.new_ids = json_object();
	c.creds = json_array();
	c.entries = json_object();
	if (!c.entries || seen_entries(&c)) {
		st = pw_oom(err);
		goto done;
	}
	if (!c.cred_keys || !c.cred_ids || !c.skill_ids || !c.skill_names ||
	    !c.skill_codes || !c.code_any || !c.frameworks || !c.docs ||
	    !c.defs || !c.defdocs || !c.made || !c.new_ids || !c.creds ||
	    !json_is_array(json_object_get(c.learner, "credentials"))) {
		st = pw_oom(err);
		goto done;
	}
	if ((st = load_catalog(&c)))
		goto done;
	for (size_t i = 0; i < n && !c.jr.fatal; i++) {
		imp_progress(opts, names[i], i, n);
		read_file(&c, names[i], data[i], lens[i]);
	}
	gather_defs(&c);
	for (size_t i = 0; i < json_array_size(c.docs) && !c.jr.fatal; i++)
		map_doc(&c, json_array_get(c.docs, i));
	if (!c.jr.fatal && !c.jr.errors)
		note_unused_defs(&c);
	if ((st = c.jr.fatal))
		goto done;
	if (c.jr.errors) {
		st = pw_fail(err, PW_ERR_INVALID,
		             "%zu error%s in the input; nothing was imported",
		             c.jr.errors, c.jr.errors == 1 ? "" : "s");
		goto done;
	}
	if (!c.added && !json_array_size(c.creds))
		goto done; /* the same badges again: nothing to write */
	json_t *doc = json_pack("{s:O,s:[O]}", "credentials", c.creds,
	                        "learners", c.learner);
	if (!doc) {
		st = pw_oom(err);
		goto done;
	}
	st = imp_write(e, opts, n == 1 ? names[0] : "badges", doc, rep, sum,
	               err);
	json_decref(doc);
done:
	bx_release(&c);
	return st;
}

pw_status pw_import_badges(pw_engine *e, const char *learner,
                           const char *const *paths, size_t n,
                           const pw_import_opts *opts, pw_report *rep,
                           pw_import_summary *sum, pw_error *err)
{
	file_set fs;
	json_t *who = NULL;
	pw_status st;
	/* an unknown learner is told before any file is read */
	if (learner &&
	    (st = imp_stored(e, PW_KIND_LEARNER, learner, &who, err)))
		return st;
	json_decref(who);
	if ((st = file_set_read(&fs, paths, n, MAX_FILE_BYTES, err)))
		return st;
	st = pw_import_badges_buffers(e, learner, paths, FILE_SET_DATA(&fs),
	                              fs.lens, n, opts, rep, sum, err);
	file_set_release(&fs);
	return st;
}

/* ---- export: Open Badges 3.0 Achievement definitions ---- */

typedef struct ex {
	jsonw w;
	json_t *listed; /* ids of listed credentials */
	json_t *skills; /* id -> name */
	json_t *codes;  /* skill id -> {framework: code} */
	json_t *occs;   /* O*NET-SOC code -> title */
	json_t *creds;  /* id -> name */
	bool onet, esco;
	/* achievement ids are always the credential's urn, never its url: a
	 * url (often a provider's home page) may be shared by several
	 * credentials, and a record read back must name each exactly */
	bool urn_ids;
	/* the catalog's: url -> how many listed credentials give it; a url
	 * is an achievement's id only when it names one credential */
	json_t *url_uses;
} ex;

static pw_status ex_listed(void *ctx, const scan_row *row)
{
	if (!row_int(row, 4))
		return PW_OK;
	return json_array_append_new(ctx, json_string(row_text(row, 0)))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

static pw_status ex_name(void *ctx, const scan_row *row)
{
	return json_object_set_new(ctx, row_text(row, 0),
	                           json_string(row_text(row, 1)))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

static pw_status ex_code(void *ctx, const scan_row *row)
{
	json_t *set = json_object_get(ctx, row_text(row, 0));
	if (!set && (!(set = json_object()) ||
	             json_object_set_new(ctx, row_text(row, 0), set)))
		return PW_ERR_NOMEM;
	return json_object_set_new(set, row_text(row, 1),
	                           json_string(row_text(row, 2)))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

/* The achievementType a native credential type goes out as; read back by
 * kind_of. */
static const char *achievement_type(const char *type)
{
	static const struct {
		const char *kind, *term;
	} map[] = {{"micro-credential", "MicroCredential"},
	           {"badge", "Badge"},
	           {"certificate", "Certificate"},
	           {"certification", "Certification"},
	           {"license", "License"},
	           {"course", "Course"},
	           {"degree", "Degree"},
	           {"prior-learning", "ext:PriorLearning"}};
	for (size_t i = 0; type && i < PW_ARRAY_LEN(map); i++)
		if (strcmp(type, map[i].kind) == 0)
			return map[i].term;
	return "MicroCredential";
}

static void kv(ex *x, const char *key, const char *value)
{
	jw_key(&x->w, key);
	jw_str(&x->w, value);
}

static void names_list(ex *x, buf *b, const rec_strs *ids)
{
	for (size_t i = 0; i < ids->n; i++) {
		const char *name =
		    json_string_value(json_object_get(x->creds, ids->v[i]));
		buf_printf(b, "%s%s", i ? ", " : "", name ? name : ids->v[i]);
	}
}

/* How the credential is earned, in words: criteria.narrative. */
static char *narrative(ex *x, const rec_credential *r)
{
	char num[32];
	buf b;
	buf_init(&b);
	if (r->components.n) {
		buf_puts(&b, "Held once all of these are held: ");
		names_list(x, &b, &r->components);
		buf_putc(&b, '.');
	} else {
		buf_printf(&b, "Complete %s", r->name);
		if (r->provider)
			buf_printf(&b, " with %s", r->provider);
		if (r->has_hours) {
			num_format(num, r->hours);
			size_t n = strlen(num);
			if (n > 2 && strcmp(num + n - 2, ".0") == 0)
				num[n - 2] = '\0';
			buf_printf(&b, " (about %s hours)", num);
		}
		buf_putc(&b, '.');
	}
	if (r->prerequisites.n) {
		buf_puts(&b, " Requires first: ");
		names_list(x, &b, &r->prerequisites);
		buf_putc(&b, '.');
	}
	return buf_detach(&b);
}

static void alignment(ex *x, const char *name, const char *url,
                      const char *code, const char *framework, const char *type)
{
	jw_obj(&x->w);
	jw_key(&x->w, "type");
	jw_arr(&x->w);
	jw_str(&x->w, "Alignment");
	jw_arr_end(&x->w);
	kv(x, "targetName", name);
	kv(x, "targetUrl", url);
	kv(x, "targetCode", code);
	kv(x, "targetFramework", framework);
	kv(x, "targetType", type);
	jw_obj_end(&x->w);
}

/* One alignment per skill: its O*NET element, else its ESCO concept, else
 * its code in another framework, else Pathway's own id. */
static void skill_alignment(ex *x, const char *skill)
{
	const char *name = json_string_value(json_object_get(x->skills, skill));
	json_t *codes = json_object_get(x->codes, skill);
	const char *onet = json_string_value(json_object_get(codes, "onet"));
	const char *esco = json_string_value(json_object_get(codes, "esco"));
	char urn[160], url[200];
	snprintf(urn, sizeof urn, SKILL_URN "%s", skill);
	if (!name)
		name = skill;
	if (onet) {
		x->onet = true;
		snprintf(url, sizeof url, ONET_ELEMENT "%s", onet);
		alignment(x, name, url, onet, "O*NET", "ceasn:Competency");
		return;
	}
	if (esco) {
		x->esco = true;
		alignment(x, name, is_http(esco) ? esco : urn, esco, "ESCO",
		          "ceasn:Competency");
		return;
	}
	const char *fw;
	json_t *code;
	json_object_foreach(codes, fw, code)
	{
		alignment(x, name, urn, json_string_value(code), fw,
		          "ceasn:Competency");
		return;
	}
	alignment(x, name, urn, skill, "Pathway", "ceasn:Competency");
}

static void write_achievement(ex *x, const rec_credential *r)
{
	char id[200], slug[129];
	if (r->url && is_http(r->url) && !x->urn_ids &&
	    json_integer_value(json_object_get(x->url_uses, r->url)) == 1)
		snprintf(id, sizeof id, "%s", r->url);
	else
		snprintf(id, sizeof id, CRED_URN "%s", r->id);
	jw_obj(&x->w);
	kv(x, "id", id);
	jw_key(&x->w, "type");
	jw_arr(&x->w);
	jw_str(&x->w, "Achievement");
	jw_arr_end(&x->w);
	kv(x, "name", r->name);
	kv(x, "description", r->description ? r->description : r->name);
	jw_key(&x->w, "criteria");
	jw_obj(&x->w);
	char *text = narrative(x, r);
	if (!text)
		x->w.out.failed = true;
	kv(x, "narrative", text ? text : "");
	free(text);
	jw_obj_end(&x->w);
	kv(x, "achievementType", achievement_type(r->type));
	if (r->provider) {
		imp_slug_id(PROVIDER_URN, r->provider, slug);
		jw_key(&x->w, "creator");
		jw_obj(&x->w);
		kv(x, "id", slug);
		jw_key(&x->w, "type");
		jw_arr(&x->w);
		jw_str(&x->w, "Profile");
		jw_arr_end(&x->w);
		kv(x, "name", r->provider);
		jw_obj_end(&x->w);
	}
	if (r->nskills || r->occupations.n) {
		jw_key(&x->w, "alignment");
		jw_arr(&x->w);
		for (size_t i = 0; i < r->nskills; i++)
			skill_alignment(x, r->skills[i].skill);
		for (size_t i = 0; i < r->occupations.n; i++) {
			const char *code = r->occupations.v[i];
			const char *title =
			    json_string_value(json_object_get(x->occs, code));
			char url[200];
			snprintf(url, sizeof url, ONET_SOC "%s", code);
			alignment(x, title ? title : code, url, code,
			          "O*NET-SOC", "CTDL");
			x->onet = true;
		}
		jw_arr_end(&x->w);
	}
	if (r->has_college_credits) {
		jw_key(&x->w, "creditsAvailable");
		jw_real(&x->w, r->college_credits);
	}
	jw_obj_end(&x->w);
}

pw_status pw_export_credentials_ob3(pw_engine *e, unsigned flags, char **out,
                                    pw_error *err)
{
	ex x = {.listed = json_array(),
	        .skills = json_object(),
	        .codes = json_object(),
	        .occs = json_object(),
	        .creds = json_object(),
	        .url_uses = json_object()};
	pw_status st = PW_OK;
	jw_init(&x.w, flags);
	if (!x.listed || !x.skills || !x.codes || !x.occs || !x.creds ||
	    !x.url_uses) {
		st = pw_oom(err);
		goto done;
	}
	if ((st = store_scan(e->st, SCAN_CREDS, ex_listed, x.listed, err)) ||
	    (st =
	         store_scan(e->st, SCAN_NAMES_SKILL, ex_name, x.skills, err)) ||
	    (st = store_scan(e->st, SCAN_SKILL_CODES, ex_code, x.codes, err)) ||
	    (st = store_scan(e->st, SCAN_NAMES_OCC, ex_name, x.occs, err)) ||
	    (st = store_scan(e->st, SCAN_NAMES_CRED, ex_name, x.creds, err))) {
		if (st == PW_ERR_NOMEM)
			st = pw_oom(err);
		goto done;
	}
	jw_obj(&x.w);
	jw_key(&x.w, "@context");
	jw_arr(&x.w);
	jw_str(&x.w, VC2_CONTEXT);
	jw_str(&x.w, OB3_CONTEXT);
	jw_arr_end(&x.w);
	size_t i;
	json_t *id;
	json_array_foreach(x.listed, i, id)
	{
		arena a = {0};
		rec_credential r;
		st = store_get_credential(e->st, &a, json_string_value(id), &r,
		                          err);
		if (!st && r.url) {
			json_int_t n = json_integer_value(
			    json_object_get(x.url_uses, r.url));
			if (json_object_set_new(x.url_uses, r.url,
			                        json_integer(n + 1)))
				st = pw_oom(err);
		}
		arena_release(&a);
		if (st)
			goto done;
	}
	jw_key(&x.w, "achievement");
	jw_arr(&x.w);
	json_array_foreach(x.listed, i, id)
	{
		arena a = {0};
		rec_credential r;
		st = store_get_credential(e->st, &a, json_string_value(id), &r,
		                          err);
		if (!st)
			write_achievement(&x, &r);
		arena_release(&a);
		if (st)
			goto done;
	}
	jw_arr_end(&x.w);
	if (x.onet || x.esco) {
		char credit[800];
		snprintf(credit, sizeof credit, "%s%s%s",
		         x.onet ? IMP_ONET_CREDIT : "",
		         x.onet && x.esco ? " " : "",
		         x.esco ? IMP_ESCO_CREDIT : "");
		kv(&x, "attribution", credit);
	}
	jw_obj_end(&x.w);
	char *doc = jw_finish(&x.w);
	if (!doc) {
		st = pw_oom(err);
		goto done;
	}
	*out = doc;
done:
	if (st)
		free(jw_finish(&x.w));
	json_decref(x.listed);
	json_decref(x.skills);
	json_decref(x.codes);
	json_decref(x.occs);
	json_decref(x.creds);
	json_decref(x.url_uses);
	return st;
}

/* ---- export: a learner's record as a CLR 2.0 bundle ---- */

#define CLR_CONTEXT                                                            \
	"https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
#define LEARNER_URN "urn:pathway:learner:"
/* The credentials go out unsigned and restated by this store, not by the
 * bodies that awarded them: the issuer named is Pathway itself, and the
 * provider, when the catalog knows one, is the achievement's creator. */
#define ISSUER_URN "urn:pathway:issuer"

static void clr_issuer(ex *x)
{
	jw_obj(&x->w);
	kv(x, "id", ISSUER_URN);
	jw_key(&x->w, "type");
	jw_arr(&x->w);
	jw_str(&x->w, "Profile");
	jw_arr_end(&x->w);
	kv(x, "name", "Pathway");
	jw_obj_end(&x->w);
}

static void clr_date(ex *x, const char *key, pw_date d)
{
	char ymd[11], text[24];
	pw_date_format(d, ymd);
	snprintf(text, sizeof text, "%sT00:00:00Z", ymd);
	kv(x, key, text);
}

static void clr_types(ex *x, const char *a, const char *b)
{
	jw_key(&x->w, "type");
	jw_arr(&x->w);
	jw_str(&x->w, a);
	if (b)
		jw_str(&x->w, b);
	jw_arr_end(&x->w);
}

/* One AchievementCredential per listed entry. Its id is made of the
 * learner, the credential and the day earned, so that importing the same
 * bundle twice adds nothing the second time. validUntil is the day the
 * entry stops being held: its own expires, else earned plus the
 * credential's expires_months, so that an institution whose catalog lacks
 * expires_months still learns it. */
static void clr_credential(ex *x, const rec_learner *l, const rec_holding *h,
                           const rec_credential *r)
{
	char ymd[11], subject[200];
	pw_date_format(h->earned, ymd);
	snprintf(subject, sizeof subject, LEARNER_URN "%s", l->id);
	buf id;
	buf_init(&id);
	buf_printf(&id, LEARNER_URN "%s:credential:%s:%s", l->id, r->id, ymd);
	char *vc_id = buf_detach(&id);
	if (!vc_id)
		x->w.out.failed = true;
	pw_date until = h->expires;
	if (until == PW_DATE_NONE && r->has_expires_months &&
	    r->expires_months > 0)
		until = pw_date_add_months(h->earned, r->expires_months);
	jw_obj(&x->w);
	jw_key(&x->w, "@context");
	jw_arr(&x->w);
	jw_str(&x->w, VC2_CONTEXT);
	jw_str(&x->w, OB3_CONTEXT);
	jw_arr_end(&x->w);
	kv(x, "id", vc_id ? vc_id : "");
	clr_types(x, "VerifiableCredential", "AchievementCredential");
	jw_key(&x->w, "issuer");
	clr_issuer(x);
	kv(x, "name", r->name);
	clr_date(x, "validFrom", h->earned);
	clr_date(x, "awardedDate", h->earned);
	if (until != PW_DATE_NONE)
		clr_date(x, "validUntil", until);
	jw_key(&x->w, "credentialSubject");
	jw_obj(&x->w);
	kv(x, "id", subject);
	clr_types(x, "AchievementSubject", NULL);
	jw_key(&x->w, "achievement");
	write_achievement(x, r);
	jw_obj_end(&x->w);
	jw_obj_end(&x->w);
	free(vc_id);
}

static pw_status clr_learner(pw_engine *e, ex *x, const char *learner,
                             pw_date issued, pw_error *err)
{
	arena a = {0};
	rec_learner l;
	char subject[200];
	pw_status st = store_get_learner(e->st, &a, learner, &l, err);
	if (st)
		goto done;
	if (!l.nholdings) {
		/* CLR 2.0 carries at least one credential */
		st = pw_fail(err, PW_ERR_INVALID,
		             "learner '%s' lists no credentials: a CLR carries "
		             "at least one",
		             learner);
		goto done;
	}
	snprintf(subject, sizeof subject, LEARNER_URN "%s", l.id);
	jw_obj(&x->w);
	jw_key(&x->w, "@context");
	jw_arr(&x->w);
	jw_str(&x->w, VC2_CONTEXT);
	jw_str(&x->w, CLR_CONTEXT);
	jw_str(&x->w, OB3_CONTEXT);
	jw_arr_end(&x->w);
	buf b;
	buf_init(&b);
	buf_printf(&b, "%s:clr", subject);
	char *clr_id = buf_detach(&b);
	buf_init(&b);
	buf_printf(&b, "Credentials of learner %s", l.id);
	char *name = buf_detach(&b);
	if (!clr_id || !name)
		x->w.out.failed = true;
	kv(x, "id", clr_id ? clr_id : "");
	clr_types(x, "VerifiableCredential", "ClrCredential");
	jw_key(&x->w, "issuer");
	clr_issuer(x);
	kv(x, "name", name ? name : "");
	free(clr_id);
	free(name);
	clr_date(x, "validFrom", issued);
	/* every listed entry goes out, expired ones too: the record moves
	 * whole, and validUntil says what is no longer held */
	jw_key(&x->w, "partial");
	jw_bool(&x->w, false);
	jw_key(&x->w, "credentialSubject");
	jw_obj(&x->w);
	kv(x, "id", subject);
	clr_types(x, "ClrSubject", NULL);
	jw_key(&x->w, "verifiableCredential");
	jw_arr(&x->w);
	for (size_t i = 0; i < l.nholdings && !st; i++) {
		arena ca = {0};
		rec_credential r;
		st = store_get_credential(e->st, &ca, l.holdings[i].credential,
		                          &r, err);
		if (!st)
			clr_credential(x, &l, &l.holdings[i], &r);
		arena_release(&ca);
	}
	jw_arr_end(&x->w);
	jw_obj_end(&x->w);
	if (x->onet || x->esco) {
		char credit[800];
		snprintf(credit, sizeof credit, "%s%s%s",
		         x->onet ? IMP_ONET_CREDIT : "",
		         x->onet && x->esco ? " " : "",
		         x->esco ? IMP_ESCO_CREDIT : "");
		kv(x, "attribution", credit);
	}
	x->onet = x->esco = false;
	jw_obj_end(&x->w);
done:
	arena_release(&a);
	return st;
}

static pw_status clr_learner_ids(void *ctx, const scan_row *row)
{
	return json_array_append_new(ctx, json_string(row_text(row, 0)))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

pw_status pw_export_learners_clr(pw_engine *e, const char *const *ids, size_t n,
                                 pw_date issued, unsigned flags, char **out,
                                 pw_error *err)
{
	ex x = {.listed = json_array(),
	        .skills = json_object(),
	        .codes = json_object(),
	        .occs = json_object(),
	        .creds = json_object(),
	        .urn_ids = true};
	json_t *all = json_array();
	pw_status st = PW_OK;
	jw_init(&x.w, flags);
	if (!x.listed || !x.skills || !x.codes || !x.occs || !x.creds || !all) {
		st = pw_oom(err);
		goto done;
	}
	if ((st =
	         store_scan(e->st, SCAN_NAMES_SKILL, ex_name, x.skills, err)) ||
	    (st = store_scan(e->st, SCAN_SKILL_CODES, ex_code, x.codes, err)) ||
	    (st = store_scan(e->st, SCAN_NAMES_OCC, ex_name, x.occs, err)) ||
	    (st = store_scan(e->st, SCAN_NAMES_CRED, ex_name, x.creds, err)) ||
	    (!n && (st = store_scan(e->st, SCAN_NAMES_LEARNER, clr_learner_ids,
	                            all, err)))) {
		if (st == PW_ERR_NOMEM)
			st = pw_oom(err);
		goto done;
	}
	if (n == 1) {
		st = clr_learner(e, &x, ids[0], issued, err);
	} else {
		/* several: an array in the order asked, every learner when
		 * none is named (then those without credentials are left
		 * out, a CLR carrying at least one) */
		jw_arr(&x.w);
		for (size_t i = 0; i < n && !st; i++)
			st = clr_learner(e, &x, ids[i], issued, err);
		size_t i;
		json_t *id;
		json_array_foreach(all, i, id)
		{
			arena a = {0};
			rec_learner l;
			if (st)
				break;
			st = store_get_learner(e->st, &a, json_string_value(id),
			                       &l, err);
			if (!st && l.nholdings)
				st = clr_learner(e, &x, l.id, issued, err);
			arena_release(&a);
		}
		jw_arr_end(&x.w);
	}
	if (st)
		goto done;
	char *doc = jw_finish(&x.w);
	if (!doc) {
		st = pw_oom(err);
		goto done;
	}
	*out = doc;
done:
	if (st)
		free(jw_finish(&x.w));
	json_decref(all);
	json_decref(x.listed);
	json_decref(x.skills);
	json_decref(x.codes);
	json_decref(x.occs);
	json_decref(x.creds);
	return st;
}

pw_status pw_export_learner_clr(pw_engine *e, const char *learner,
                                pw_date issued, unsigned flags, char **out,
                                pw_error *err)
{
	return pw_export_learners_clr(e, &learner, 1, issued, flags, out, err);
}
