/* jsonld.c - JSON-LD read as plain JSON (FORMATS.md §0): the value shapes
 * linked-data documents take in practice, dates, numbers written as text,
 * report paths, and the JSON-LD blocks and text of HTML pages. */
#include "jsonld.h"
#include "import.h"

#include <ctype.h>
#include <strings.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- scalar or array ---- */

size_t jld_count(const json_t *v)
{
	if (!v || json_is_null(v))
		return 0;
	return json_is_array(v) ? json_array_size(v) : 1;
}

json_t *jld_item(const json_t *v, size_t i)
{
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_array(v))
		return json_array_get(v, i);
	return i == 0 ? (json_t *)v : NULL;
}

/* ---- ids and references ---- */

const char *jld_id(const json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (!json_is_object(v))
		return NULL;
	const char *id = json_string_value(json_object_get(v, "@id"));
	return id ? id : json_string_value(json_object_get(v, "id"));
}

static bool is_meta_key(const char *k)
{
	return strcmp(k, "@id") == 0 || strcmp(k, "id") == 0 ||
	       strcmp(k, "@type") == 0 || strcmp(k, "type") == 0 ||
	       strcmp(k, "@context") == 0;
}

bool jld_is_ref(const json_t *v)
{
	if (json_is_string(v))
		return true;
	if (!json_is_object(v) || !jld_id(v))
		return false;
	const char *k;
	json_t *x;
	json_object_foreach((json_t *)v, k,
	                    x) if (!is_meta_key(k)) return false;
	return true;
}

json_t *jld_index_new(void)
{
	return json_object();
}

static int index_walk(json_t *index, json_t *v, jld_path *p)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			size_t s = jld_path_index(p, i);
			int rc = index_walk(index, x, p);
			jld_path_back(p, s);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (!json_is_object(v))
		return 0;
	const char *id = jld_id(v);
	if (id && !jld_is_ref(v) && !json_object_get(index, id)) {
		json_t *entry = json_pack("[O,s]", v, p->s);
		if (!entry || json_object_set_new(index, id, entry))
			return -1;
	}
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x)
	{
		if (!json_is_object(x) && !json_is_array(x))
			continue;
		size_t s = jld_path_key(p, k);
		int rc = index_walk(index, x, p);
		jld_path_back(p, s);
		if (rc)
			return rc;
	}
	return 0;
}

int jld_index_add(json_t *index, json_t *root, const char *path)
{
	jld_path p;
	jld_path_set(&p, path ? path : "");
	return index_walk(index, root, &p);
}

json_t *jld_resolve(const json_t *index, json_t *v, const char **where)
{
	if (where)
		*where = NULL;
	if (!jld_is_ref(v))
		return v;
	json_t *entry = json_object_get(index, jld_id(v));
	if (!entry)
		return v;
	if (where)
		*where = json_string_value(json_array_get(entry, 1));
	return json_array_get(entry, 0);
}

/* ---- types ---- */

bool jld_term_is(const char *term, const char *local)
{
	if (!term)
		return false;
	size_t n = strlen(term), m = strlen(local);
	if (n < m || strcmp(term + n - m, local) != 0)
		return false;
	if (n == m)
		return true;
	/* the local part must follow a prefix or namespace separator */
	char sep = term[n - m - 1];
	return sep == ':' || sep == '/' || sep == '#';
}

static const json_t *type_of(const json_t *node)
{
	const json_t *t = json_object_get(node, "@type");
	return t ? t : json_object_get(node, "type");
}

bool jld_has_type(const json_t *node, const char *local)
{
	if (!json_is_object(node))
		return false;
	const json_t *t = type_of(node);
	for (size_t i = 0; i < jld_count(t); i++)
		if (jld_term_is(json_string_value(jld_item(t, i)), local))
			return true;
	return false;
}

const char *jld_first_type(const json_t *node)
{
	if (!json_is_object(node))
		return NULL;
	const json_t *t = type_of(node);
	for (size_t i = 0; i < jld_count(t); i++)
		if (json_is_string(jld_item(t, i)))
			return json_string_value(jld_item(t, i));
	return NULL;
}

/* ---- text ---- */

/* A BCP 47-shaped key: a 2-3 letter primary subtag, then subtags of 1-8
 * letters or digits ("en", "en-US", "zh-Hant-TW"); drafts prefix "@". */
static bool lang_key(const char *k)
{
	if (*k == '@')
		k++;
	size_t n = 0;
	while (isalpha((unsigned char)k[n]))
		n++;
	if (n < 2 || n > 3)
		return false;
	k += n;
	while (*k == '-') {
		k++;
		n = 0;
		while (isalnum((unsigned char)k[n]))
			n++;
		if (n < 1 || n > 8)
			return false;
		k += n;
	}
	return *k == '\0';
}

bool jld_is_lang_map(const json_t *v)
{
	/* "@id" and "@type" look like draft tags, and "id" is Indonesian:
	 * an object with an id or a type is a node or a reference */
	static const char *const keywords[] = {
	    "@id",      "id",    "@type",  "type",     "@value",
	    "@list",    "@set",  "@graph", "@context", "@index",
	    "@reverse", "@base", "@vocab", "@none"};
	if (!json_is_object(v) || !json_object_size(v))
		return false;
	const char *k;
	json_t *x;
	json_object_foreach((json_t *)v, k, x)
	{
		for (size_t i = 0; i < PW_ARRAY_LEN(keywords); i++)
			if (strcmp(k, keywords[i]) == 0)
				return false;
		if (!lang_key(k))
			return false;
		if (json_is_string(x))
			continue;
		if (!json_is_array(x))
			return false;
		size_t i;
		json_t *y;
		json_array_foreach(x, i,
		                   y) if (!json_is_string(y)) return false;
	}
	return true;
}

typedef struct pick {
	const char *want; /* preferred language or NULL */
	const char *text;
	int rank; /* 3 preferred, 2 its primary subtag, 1 English, 0 other */
} pick;

static bool same_primary(const char *a, const char *b)
{
	size_t i = 0;
	for (; a[i] && a[i] != '-' && b[i] && b[i] != '-'; i++)
		if (tolower((unsigned char)a[i]) !=
		    tolower((unsigned char)b[i]))
			return false;
	return (a[i] == '\0' || a[i] == '-') && (b[i] == '\0' || b[i] == '-');
}

static void offer(pick *p, const char *text, const char *lang)
{
	int rank = 0;
	if (lang && *lang == '@')
		lang++;
	if (lang && p->want && strcasecmp(lang, p->want) == 0)
		rank = 3;
	else if (lang && p->want && same_primary(lang, p->want))
		rank = 2;
	else if (lang && same_primary(lang, "en"))
		rank = 1;
	if (!p->text || rank > p->rank) {
		p->text = text;
		p->rank = rank;
	}
}

static void gather(pick *p, const json_t *v, int depth)
{
	if (json_is_string(v)) {
		offer(p, json_string_value(v), NULL);
	} else if (json_is_object(v) && json_object_get(v, "@value")) {
		const char *t = json_string_value(json_object_get(v, "@value"));
		if (t)
			offer(
			    p, t,
			    json_string_value(json_object_get(v, "@language")));
	} else if (jld_is_lang_map(v)) {
		const char *k;
		json_t *x;
		json_object_foreach((json_t *)v, k, x)
		{
			const char *t =
			    json_is_string(x)
			        ? json_string_value(x)
			        : json_string_value(json_array_get(x, 0));
			if (t)
				offer(p, t, k);
		}
	} else if (json_is_array(v) && depth == 0) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) gather(p, x, 1);
	}
}

const char *jld_text(const json_t *v, const char *lang)
{
	pick p = {.want = lang};
	gather(&p, v, 0);
	return p.text;
}

/* ---- dates ---- */

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool jld_date(const char *text, unsigned flags, pw_date *out)
{
	char ymd[11];
	int hh = 0, mm = 0, ss = 0, zone = 0; /* zone in minutes east */
	bool has_time = false, has_zone = false;
	if (!text)
		return false;
	while (*text == ' ' || *text == '\t')
		text++;
	size_t n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	if (n < 10)
		return false;
	memcpy(ymd, text, 10);
	ymd[10] = '\0';
	pw_date d;
	if (pw_date_parse(ymd, &d, NULL))
		return false;
	const char *s = text + 10, *end = text + n;
	if (s < end) {
		if (*s != 'T' && *s != 't' && *s != ' ')
			return false;
		s++;
		if (end - s < 5 || !digits(s, 2, &hh) || s[2] != ':' ||
		    !digits(s + 3, 2, &mm) || hh > 24 || mm > 59)
			return false;
		s += 5;
		if (s < end && *s == ':') {
			if (end - s < 3 || !digits(s + 1, 2, &ss) || ss > 60)
				return false;
			s += 3;
			if (s < end && (*s == '.' || *s == ',')) {
				s++;
				const char *f = s;
				while (s < end && *s >= '0' && *s <= '9')
					s++;
				if (s == f)
					return false;
			}
		}
		has_time = true;
	}
	if (s < end) {
		if (*s == 'Z' || *s == 'z') {
			s++;
			has_zone = true;
		} else if (*s == '+' || *s == '-') {
			int sign = *s == '-' ? -1 : 1, zh = 0, zm = 0;
			s++;
			if (end - s < 2 || !digits(s, 2, &zh) || zh > 23)
				return false;
			s += 2;
			if (s < end && *s == ':')
				s++;
			if (end - s >= 2) {
				if (!digits(s, 2, &zm) || zm > 59)
					return false;
				s += 2;
			}
			zone = sign * (zh * 60 + zm);
			has_zone = true;
		}
	}
	if (s != end || (has_zone && !has_time))
		return false;
	if ((flags & JLD_DATE_UTC) && has_zone) {
		long minutes = (long)hh * 60 + mm - zone;
		d += (pw_date)(minutes >= 0 ? minutes / 1440
		                            : -((-minutes + 1439) / 1440));
	}
	*out = d;
	return true;
}

/* ---- numbers ---- */

/* Strips "$"/"US$" and well-formed thousands separators into out. */
static bool money_text(const char *s, char *out, size_t cap)
{
	if (strncmp(s, "US$", 3) == 0)
		s += 3;
	else if (*s == '$')
		s++;
	while (*s == ' ')
		s++;
	const char *comma = strchr(s, ',');
	if (!comma) {
		if (strlen(s) >= cap)
			return false;
		strcpy(out, s);
		return true;
	}
	/* 1-3 digits, then groups of ",ddd", then anything after a point */
	size_t lead = 0, n = 0;
	while (s[lead] >= '0' && s[lead] <= '9')
		lead++;
	if (lead < 1 || lead > 3)
		return false;
	const char *p = s;
	while (p < s + lead && n + 1 < cap)
		out[n++] = *p++;
	while (*p == ',') {
		for (int i = 1; i <= 3; i++)
			if (p[i] < '0' || p[i] > '9')
				return false;
		if (n + 4 >= cap)
			return false;
		memcpy(out + n, p + 1, 3);
		n += 3;
		p += 4;
	}
	if (strchr(p, ',') || strlen(p) + n >= cap)
		return false;
	strcpy(out + n, p);
	return true;
}

bool jld_number(const json_t *v, unsigned flags, double *out)
{
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return isfinite(*out);
	}
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	char text[64], clean[64];
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
	             s[n - 1] == '\r'))
		n--;
	if (n == 0 || n >= sizeof text)
		return false;
	memcpy(text, s, n);
	text[n] = '\0';
	const char *t = text;
	if (flags & JLD_NUM_MONEY) {
		if (!money_text(text, clean, sizeof clean))
			return false;
		t = clean;
	}
	/* decimal notation only: strtod would take "inf", "nan" and hex */
	for (const char *p = t; *p; p++)
		if (!strchr("0123456789.eE+-", *p))
			return false;
	char *end;
	double x = strtod(t, &end);
	if (end == t || *end != '\0' || !isfinite(x))
		return false;
	*out = x;
	return true;
}

bool jld_bool(const json_t *v, bool *out)
{
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return true;
	}
	const char *s = json_string_value(v);
	if (s && strcasecmp(s, "true") == 0) {
		*out = true;
		return true;
	}
	if (s && strcasecmp(s, "false") == 0) {
		*out = false;
		return true;
	}
	return false;
}

const char *jld_type_name(const json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "a value";
}

/* ---- paths ---- */

/* Appends n bytes of s, clipped to the buffer. */
static void path_put(jld_path *p, const char *s, size_t n)
{
	size_t room = sizeof p->s - 1 - p->len;
	if (n > room)
		n = room;
	memcpy(p->s + p->len, s, n);
	p->len += n;
	p->s[p->len] = '\0';
}

void jld_path_set(jld_path *p, const char *s)
{
	p->len = 0;
	p->s[0] = '\0';
	path_put(p, s, strlen(s));
}

size_t jld_path_key(jld_path *p, const char *key)
{
	size_t saved = p->len;
	if (p->len)
		path_put(p, ".", 1);
	path_put(p, key, strlen(key));
	return saved;
}

size_t jld_path_index(jld_path *p, size_t i)
{
	size_t saved = p->len;
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "[%zu]", i);
	path_put(p, tmp, (size_t)n);
	return saved;
}

size_t jld_path_item(jld_path *p, const json_t *v, size_t i)
{
	return json_is_array(v) ? jld_path_index(p, i) : p->len;
}

void jld_path_back(jld_path *p, size_t len)
{
	p->len = len;
	p->s[len] = '\0';
}

const char *jld_path_str(const jld_path *p)
{
	return p->len ? p->s : "$";
}

/* ---- HTML: JSON-LD blocks ---- */

static bool prefix_ci(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(end - s) < n)
		return false;
	return strncasecmp(s, word, n) == 0;
}

/* The first occurrence of word (caseless) in [s, end), or end. */
static const char *find_ci(const char *s, const char *end, const char *word)
{
	for (; s < end; s++)
		if (prefix_ci(s, end, word))
			return s;
	return end;
}

static const char *find_str(const char *s, const char *end, const char *word)
{
	size_t n = strlen(word);
	for (; s + n <= end; s++)
		if (memcmp(s, word, n) == 0)
			return s;
	return end;
}

static bool html_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Reads the attributes of a tag from s (after its name) to its '>'; sets
 * *ldjson when a type attribute names application/ld+json. Returns the
 * position after '>' (or end). */
static const char *read_attrs(const char *s, const char *end, bool *ldjson)
{
	*ldjson = false;
	while (s < end) {
		while (s < end && (html_space(*s) || *s == '/'))
			s++;
		if (s >= end || *s == '>')
			return s < end ? s + 1 : end;
		const char *name = s;
		while (s < end && !html_space(*s) && *s != '=' && *s != '>' &&
		       *s != '/')
			s++;
		size_t nlen = (size_t)(s - name);
		while (s < end && html_space(*s))
			s++;
		const char *val = NULL, *vend = NULL;
		if (s < end && *s == '=') {
			s++;
			while (s < end && html_space(*s))
				s++;
			if (s < end && (*s == '"' || *s == '\'')) {
				char q = *s++;
				val = s;
				while (s < end && *s != q)
					s++;
				vend = s;
				if (s < end)
					s++;
			} else {
				val = s;
				while (s < end && !html_space(*s) && *s != '>')
					s++;
				vend = s;
			}
		}
		if (nlen == 4 && strncasecmp(name, "type", 4) == 0 && val) {
			while (val < vend && html_space(*val))
				val++;
			const char *semi = val;
			while (semi < vend && *semi != ';')
				semi++;
			while (semi > val && html_space(semi[-1]))
				semi--;
			*ldjson =
			    semi - val == 19 &&
			    strncasecmp(val, "application/ld+json", 19) == 0;
		}
	}
	return end;
}

size_t jld_html_scripts(const char *html, size_t len,
                        int (*fn)(void *ctx, size_t index, const char *text,
                                  size_t n, size_t line, size_t column),
                        void *ctx)
{
	const char *s = html, *end = html + len, *counted = html;
	size_t line = 1, col = 1, count = 0;
	while (s < end) {
		const char *lt = memchr(s, '<', (size_t)(end - s));
		if (!lt)
			break;
		s = lt;
		if (prefix_ci(s, end, "<!--")) {
			const char *close = find_str(s + 4, end, "-->");
			s = close < end ? close + 3 : end;
			continue;
		}
		if (!prefix_ci(s, end, "<script") || s + 7 >= end ||
		    !(html_space(s[7]) || s[7] == '>' || s[7] == '/')) {
			s++;
			continue;
		}
		bool ldjson;
		const char *body = read_attrs(s + 7, end, &ldjson);
		const char *close = find_ci(body, end, "</script");
		s = close;
		if (!ldjson)
			continue;
		/* the text, without blanks and a comment or CDATA wrapper */
		const char *a = body, *b = close;
		while (a < b && html_space(*a))
			a++;
		while (b > a && html_space(b[-1]))
			b--;
		if (prefix_ci(a, b, "//<![CDATA["))
			a += 11;
		else if (prefix_ci(a, b, "<![CDATA["))
			a += 9;
		else if (prefix_ci(a, b, "<!--"))
			a += 4;
		if (b - a >= 5 && memcmp(b - 5, "//]]>", 5) == 0)
			b -= 5;
		else if (b - a >= 3 && (memcmp(b - 3, "]]>", 3) == 0 ||
		                        memcmp(b - 3, "-->", 3) == 0))
			b -= 3;
		for (; counted < a; counted++) {
			if (*counted == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)*counted & 0xC0) != 0x80) {
				col++;
			}
		}
		if (fn(ctx, count++, a, (size_t)(b - a), line, col))
			break;
	}
	return count;
}

/* ---- HTML: text ---- */

static bool tag_start(const char *p)
{
	return isalpha((unsigned char)p[1]) ||
	       (p[1] == '/' && isalpha((unsigned char)p[2])) || p[1] == '!' ||
	       p[1] == '?';
}

/* Length of a character reference at p ("&amp;", "&#233;", "&#xE9;"), 0
 * when p does not start one. */
static size_t ref_len(const char *p)
{
	size_t n = 1;
	if (p[n] == '#') {
		n++;
		bool hex = p[n] == 'x' || p[n] == 'X';
		if (hex)
			n++;
		size_t d = n;
		while (hex ? isxdigit((unsigned char)p[n])
		           : isdigit((unsigned char)p[n]))
			n++;
		if (n == d || n - d > 8)
			return 0;
	} else {
		size_t d = n;
		while (isalnum((unsigned char)p[n]) && n - d < 32)
			n++;
		if (n == d || !isalpha((unsigned char)p[d]))
			return 0;
	}
	return p[n] == ';' ? n + 1 : 0;
}

bool jld_looks_like_html(const char *text)
{
	for (const char *p = text; *p; p++)
		if ((*p == '<' && tag_start(p)) || (*p == '&' && ref_len(p)))
			return true;
	return false;
}

static const struct {
	const char *name;
	unsigned cp;
} entities[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},
    {"quot", '"'},      {"apos", '\''},     {"nbsp", ' '},
    {"ndash", 0x2013},  {"mdash", 0x2014},  {"lsquo", 0x2018},
    {"rsquo", 0x2019},  {"ldquo", 0x201C},  {"rdquo", 0x201D},
    {"hellip", 0x2026}, {"bull", 0x2022},   {"middot", 0x00B7},
    {"copy", 0x00A9},   {"reg", 0x00AE},    {"trade", 0x2122},
    {"deg", 0x00B0},    {"euro", 0x20AC},   {"pound", 0x00A3},
    {"cent", 0x00A2},   {"times", 0x00D7},  {"eacute", 0x00E9},
    {"egrave", 0x00E8}, {"aacute", 0x00E1}, {"iacute", 0x00ED},
    {"oacute", 0x00F3}, {"uacute", 0x00FA}, {"ntilde", 0x00F1},
    {"uuml", 0x00FC},   {"ouml", 0x00F6},   {"auml", 0x00E4},
    {"ccedil", 0x00E7}, {"Eacute", 0x00C9}, {"Ntilde", 0x00D1},
};

/* Decodes the reference of length n at p into a code point; 0 when it is
 * an unknown name (kept as written). */
static unsigned ref_decode(const char *p, size_t n)
{
	if (p[1] == '#') {
		bool hex = p[2] == 'x' || p[2] == 'X';
		unsigned long v =
		    strtoul(p + (hex ? 3 : 2), NULL, hex ? 16 : 10);
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			return 0xFFFD;
		return (unsigned)v;
	}
	for (size_t i = 0; i < PW_ARRAY_LEN(entities); i++)
		if (strlen(entities[i].name) == n - 2 &&
		    strncmp(p + 1, entities[i].name, n - 2) == 0)
			return entities[i].cp;
	return 0;
}

static void put_cp(buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_append(b, u, n);
}

typedef struct textout {
	buf b;
	bool space;  /* white space seen since the last text */
	int breaks;  /* line breaks owed before the next text */
	bool bullet; /* a list item starts with the next text */
} textout;

static void owe_breaks(textout *t, int n)
{
	if (n > t->breaks)
		t->breaks = n;
}

/* Settles what is owed before the next piece of text. */
static void before_text(textout *t)
{
	if (t->b.len) {
		if (t->breaks)
			buf_append(&t->b, "\n\n", t->breaks > 1 ? 2 : 1);
		else if (t->space)
			buf_putc(&t->b, ' ');
	}
	if (t->bullet)
		buf_puts(&t->b, "- ");
	t->breaks = 0;
	t->space = false;
	t->bullet = false;
}

/* Block elements end a line; paragraphs and headings leave a blank one. */
static void block_tag(textout *t, const char *name, size_t n, bool closing)
{
	static const char *const line[] = {
	    "div", "tr",    "ul",      "ol",        "dl",     "dt",
	    "dd",  "table", "section", "article",   "header", "footer",
	    "hr",  "li",    "pre",     "blockquote"};
	static const char *const para[] = {"p",  "h1", "h2", "h3",
	                                   "h4", "h5", "h6"};
	if (n == 2 && strncasecmp(name, "br", 2) == 0) {
		/* each <br> breaks a line: two of them leave a blank one */
		t->breaks = t->breaks < 2 ? t->breaks + 1 : 2;
		return;
	}
	for (size_t i = 0; i < PW_ARRAY_LEN(para); i++)
		if (strlen(para[i]) == n &&
		    strncasecmp(name, para[i], n) == 0) {
			owe_breaks(t, 2);
			return;
		}
	for (size_t i = 0; i < PW_ARRAY_LEN(line); i++)
		if (strlen(line[i]) == n &&
		    strncasecmp(name, line[i], n) == 0) {
			owe_breaks(t, 1);
			if (!closing && n == 2 &&
			    strncasecmp(name, "li", 2) == 0)
				t->bullet = true;
			return;
		}
}

char *jld_html_text(const char *text)
{
	size_t len = strlen(text);
	if (!jld_looks_like_html(text)) {
		char *copy = malloc(len + 1);
		if (copy)
			memcpy(copy, text, len + 1);
		return copy;
	}
	textout t = {.space = false};
	buf_init(&t.b);
	const char *p = text, *end = text + len;
	while (p < end) {
		if (*p == '<' && tag_start(p)) {
			if (prefix_ci(p, end, "<!--")) {
				const char *c = find_str(p + 4, end, "-->");
				p = c < end ? c + 3 : end;
				continue;
			}
			bool closing = p[1] == '/';
			const char *name = p + (closing ? 2 : 1), *q = name;
			while (q < end && isalnum((unsigned char)*q))
				q++;
			size_t n = (size_t)(q - name);
			bool dummy;
			const char *after = read_attrs(q, end, &dummy);
			if (!closing &&
			    ((n == 6 && strncasecmp(name, "script", 6) == 0) ||
			     (n == 5 && strncasecmp(name, "style", 5) == 0))) {
				const char *c =
				    find_ci(after, end,
				            n == 6 ? "</script" : "</style");
				after = c < end
				            ? read_attrs(c + 2 + n, end, &dummy)
				            : end;
			}
			block_tag(&t, name, n, closing);
			if (n == 0)
				t.space = true; /* "<!x>", "<?x>": a gap */
			p = after;
			continue;
		}
		if (*p == '&') {
			size_t n = ref_len(p);
			unsigned cp = n ? ref_decode(p, n) : 0;
			if (cp == ' ') {
				t.space = true;
				p += n;
				continue;
			}
			if (cp) {
				before_text(&t);
				put_cp(&t.b, cp);
				p += n;
				continue;
			}
		}
		if (html_space(*p)) {
			t.space = true;
			p++;
			continue;
		}
		before_text(&t);
		buf_putc(&t.b, *p++);
	}
	return buf_detach(&t.b);
}

/* ---- the reader's state ---- */

void jr_fail(jld_reader *r, const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	r->errors++;
	report_append(r->rep, r->file, jld_path_str(&r->path), reason);
}

void jr_note(jld_reader *r, const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	imp_note(r->o, r->sum, r->file, jld_path_str(&r->path), "%s", reason);
}

void jr_oom(jld_reader *r)
{
	if (!r->fatal)
		r->fatal = pw_oom(r->err);
}

void jr_set_new(jld_reader *r, json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v))
		jr_oom(r);
}

json_t *jr_follow(jld_reader *r, json_t *v, jld_path *saved)
{
	const char *where;
	*saved = r->path;
	json_t *n = jld_resolve(r->index, v, &where);
	if (where)
		jld_path_set(&r->path, where);
	return n;
}

char *jld_fold(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	size_t k = 0;
	bool gap = false;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
		    ch == '\f' || ch == '\v') {
			gap = k > 0;
			continue;
		}
		if (gap)
			out[k++] = ' ';
		gap = false;
		out[k++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
	}
	out[k] = '\0';
	return out;
}
