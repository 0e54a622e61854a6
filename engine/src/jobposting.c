/* jobposting.c - schema.org JobPosting JSON-LD in and out (FORMATS.md §4):
 * postings read from JSON-LD documents or HTML pages become native jobs,
 * written in one transaction through the loader; stored jobs are written
 * back as JobPosting JSON-LD that this reader maps to the same jobs. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "extract.h"
#include "import.h"
#include "jsonld.h"

#include <errno.h>
#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The extension terms Pathway writes and reads back: on a skill
 * (DefinedTerm) its level, importance and whether it is required, and on a
 * skill or a credential the alternatives of an any_of entry. A posting
 * whose identifier has propertyID "pathway" lists its requirements
 * completely, so no text is searched for more. */
#define EXT_LEVEL      "pathway:level"
#define EXT_IMPORTANCE "pathway:importance"
#define EXT_REQUIRED   "pathway:required"
#define EXT_ANY_OF     "pathway:anyOf"
#define PATHWAY_ID     "pathway"

#define SOC_PATTERN "\\b\\d{2}-\\d{4}(?:\\.\\d{2})?\\b"

/* One posting file at most: far beyond any real page, short of memory. */
#define MAX_FILE_BYTES (256u << 20)

/* ---- US states ---- */

static const struct {
	const char *code, *name;
} states[] = {
    {"AL", "Alabama"},
    {"AK", "Alaska"},
    {"AZ", "Arizona"},
    {"AR", "Arkansas"},
    {"CA", "California"},
    {"CO", "Colorado"},
    {"CT", "Connecticut"},
    {"DE", "Delaware"},
    {"DC", "District of Columbia"},
    {"FL", "Florida"},
    {"GA", "Georgia"},
    {"HI", "Hawaii"},
    {"ID", "Idaho"},
    {"IL", "Illinois"},
    {"IN", "Indiana"},
    {"IA", "Iowa"},
    {"KS", "Kansas"},
    {"KY", "Kentucky"},
    {"LA", "Louisiana"},
    {"ME", "Maine"},
    {"MD", "Maryland"},
    {"MA", "Massachusetts"},
    {"MI", "Michigan"},
    {"MN", "Minnesota"},
    {"MS", "Mississippi"},
    {"MO", "Missouri"},
    {"MT", "Montana"},
    {"NE", "Nebraska"},
    {"NV", "Nevada"},
    {"NH", "New Hampshire"},
    {"NJ", "New Jersey"},
    {"NM", "New Mexico"},
    {"NY", "New York"},
    {"NC", "North Carolina"},
    {"ND", "North Dakota"},
    {"OH", "Ohio"},
    {"OK", "Oklahoma"},
    {"OR", "Oregon"},
    {"PA", "Pennsylvania"},
    {"PR", "Puerto Rico"},
    {"RI", "Rhode Island"},
    {"SC", "South Carolina"},
    {"SD", "South Dakota"},
    {"TN", "Tennessee"},
    {"TX", "Texas"},
    {"UT", "Utah"},
    {"VT", "Vermont"},
    {"VA", "Virginia"},
    {"WA", "Washington"},
    {"WV", "West Virginia"},
    {"WI", "Wisconsin"},
    {"WY", "Wyoming"},
};

/* "NV", "nv", "US-NV", "Nevada" (any case, blanks around) -> "NV". */
static const char *state_code(const char *text)
{
	while (*text == ' ')
		text++;
	size_t n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == '.'))
		n--;
	if (n == 5 && strncasecmp(text, "US-", 3) == 0) {
		text += 3;
		n = 2;
	}
	for (size_t i = 0; i < PW_ARRAY_LEN(states); i++) {
		const char *code = states[i].code, *name = states[i].name;
		if ((n == 2 && strncasecmp(text, code, 2) == 0) ||
		    (n == strlen(name) && strncasecmp(text, name, n) == 0))
			return code;
	}
	return NULL;
}

static bool is_us(const char *country)
{
	static const char *const names[] = {
	    "US",     "USA",           "U.S.",
	    "U.S.A.", "United States", "United States of America"};
	for (size_t i = 0; i < PW_ARRAY_LEN(names); i++)
		if (strcasecmp(country, names[i]) == 0)
			return true;
	return false;
}

/* ---- small text helpers ---- */

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

/* Does s contain word, ignoring ASCII case? */
static bool has_ci(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (; *s; s++)
		if (strncasecmp(s, word, n) == 0)
			return true;
	return false;
}

static bool blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\f' || ch == '\v';
}

/* Trims s in place. */
static char *trim(char *s)
{
	while (blank(*s))
		s++;
	size_t n = strlen(s);
	while (n && blank(s[n - 1]))
		n--;
	s[n] = '\0';
	return s;
}

/* ---- the import ---- */

typedef struct jp {
	jld_reader jr; /* first: report, counts, file, path, index */
	pw_engine *e;

	/* the stored catalog */
	json_t *skill_ids;   /* id -> name */
	json_t *skill_names; /* folded name or alias -> id */
	json_t *skill_codes; /* framework code -> id */
	json_t *cred_ids;    /* id -> name */
	json_t *cred_names;  /* folded name or alias -> id */
	json_t *occ_reqs;    /* soc -> requirements, or null when not stored */
	extractor *x;
	ext_hits hits;
	pcre2_code *soc_re;
	pcre2_match_data *soc_md;

	/* what is written */
	json_t *jobs;
	json_t *ids; /* id -> where the posting that gave it is */
} jp;

/* The requirements of one posting as they are gathered. */
typedef struct reqs {
	json_t *list;     /* native requirement entries */
	json_t *by_skill; /* skill id -> its entry (borrowed) */
	json_t *creds;    /* credentials_required */
	bool complete;    /* written by Pathway: take them as given */
} reqs;

/* A failure of the machinery, not of the input: the import stops. */
static void stop(jp *c, pw_status st, const pw_error *e)
{
	if (c->jr.fatal)
		return;
	c->jr.fatal = st;
	if (c->jr.err)
		*c->jr.err = *e;
}

/* ---- the stored catalog ---- */

static int put_name(json_t *names, const char *name, size_t n, const char *id)
{
	char *key = jld_fold(name, n);
	int rc = 0;
	if (!key)
		return -1;
	if (*key && !json_object_get(names, key))
		rc = json_object_set_new(names, key, json_string(id));
	free(key);
	return rc;
}

typedef struct name_fill {
	json_t *ids, *names;
} name_fill;

static pw_status add_names(void *ctx, const scan_row *row)
{
	name_fill *f = ctx;
	const char *id = row_text(row, 0), *name = row_text(row, 1);
	if (json_object_set_new(f->ids, id, json_string(name)) ||
	    put_name(f->names, name, strlen(name), id))
		return PW_ERR_NOMEM;
	if (row_null(row, 2))
		return PW_OK;
	for (const char *a = row_text(row, 2); *a;) {
		const char *sep = strchr(a, '\x1f');
		size_t n = sep ? (size_t)(sep - a) : strlen(a);
		if (put_name(f->names, a, n, id))
			return PW_ERR_NOMEM;
		a += n + (sep ? 1 : 0);
	}
	return PW_OK;
}

static pw_status add_code(void *ctx, const scan_row *row)
{
	json_t *codes = ctx;
	const char *code = row_text(row, 2);
	if (json_object_get(codes, code))
		return PW_OK;
	return json_object_set_new(codes, code, json_string(row_text(row, 0)))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

static pw_status load_catalog(jp *c)
{
	pw_status st;
	name_fill skills = {c->skill_ids, c->skill_names};
	name_fill creds = {c->cred_ids, c->cred_names};
	if ((st = store_scan(c->e->st, SCAN_NAMES_SKILL, add_names, &skills,
	                     c->jr.err)) ||
	    (st = store_scan(c->e->st, SCAN_NAMES_CRED, add_names, &creds,
	                     c->jr.err)) ||
	    (st = store_scan(c->e->st, SCAN_SKILL_CODES, add_code,
	                     c->skill_codes, c->jr.err)))
		return st == PW_ERR_NOMEM ? pw_oom(c->jr.err) : st;
	int code;
	PCRE2_SIZE off;
	c->soc_re = pcre2_compile((PCRE2_SPTR)SOC_PATTERN,
	                          PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
	if (!c->soc_re || !(c->soc_md = pcre2_match_data_create_from_pattern(
	                        c->soc_re, NULL)))
		return pw_oom(c->jr.err);
	return extractor_build(c->e, &c->x, c->jr.err);
}

/* ---- requirements ---- */

static json_t *req_entry(const char *skill, int level, int importance,
                         bool required)
{
	return json_pack("{s:s,s:i,s:i,s:b}", "skill", skill, "level", level,
	                 "importance", importance, "required", required);
}

/* Adds a requirement on skill; one entry per skill, and required wins. */
static void add_req(jp *c, reqs *r, const char *skill, int level,
                    int importance, bool required)
{
	json_t *have = json_object_get(r->by_skill, skill);
	if (have) {
		if (required &&
		    !json_is_true(json_object_get(have, "required")))
			json_object_set_new(have, "required", json_true());
		return;
	}
	json_t *entry = req_entry(skill, level, importance, required);
	if (!entry || json_array_append_new(r->list, entry) ||
	    json_object_set(r->by_skill, skill, entry))
		jr_oom(&c->jr);
}

/* Runs the extractor over plain text and adds what it finds. Returns how
 * many skills it found. */
static size_t extract_into(jp *c, reqs *r, const char *text, int level,
                           int importance, bool required)
{
	pw_error e;
	pw_status st = extractor_run(c->x, text, strlen(text), &c->hits, &e);
	if (st == PW_ERR_INVALID) {
		/* a skill's own pattern ran past PCRE2's match limit: the
		 * text is fine, the search is incomplete */
		jr_note(&c->jr, "skills not searched: %s", e.message);
		return 0;
	}
	if (st) {
		stop(c, st, &e);
		return 0;
	}
	for (size_t i = 0; i < c->hits.n; i++)
		add_req(c, r, c->hits.v[i].id, level, importance, required);
	return c->hits.n;
}

/* The same for text that may be HTML. */
static size_t extract_html(jp *c, reqs *r, const char *html, bool required)
{
	char *plain = jld_html_text(html);
	if (!plain) {
		jr_oom(&c->jr);
		return 0;
	}
	size_t n = extract_into(c, r, plain, 1, 3, required);
	free(plain);
	return n;
}

/* The stored skill a term names exactly: by id, by a framework code, or by
 * name or alias (caseless). NULL when none. */
static const char *skill_by_term(jp *c, const char *term)
{
	if (!term || !*term)
		return NULL;
	if (json_object_get(c->skill_ids, term))
		return term;
	const char *id =
	    json_string_value(json_object_get(c->skill_codes, term));
	if (id)
		return id;
	char *key = jld_fold(term, strlen(term));
	if (!key) {
		jr_oom(&c->jr);
		return NULL;
	}
	id = json_string_value(json_object_get(c->skill_names, key));
	free(key);
	return id;
}

/* A text holding one number that is an integer in [lo, hi]. */
static bool int_in(const json_t *v, long lo, long hi, long *out)
{
	double x;
	if (!jld_number(v, 0, &x) || x != floor(x) || x < (double)lo ||
	    x > (double)hi)
		return false;
	*out = (long)x;
	return true;
}

/* The level, importance and required flag a Pathway export put on a term
 * (defaults otherwise). */
static void term_weights(jp *c, json_t *term, int *level, int *importance,
                         bool *required)
{
	static const char *const keys[] = {EXT_LEVEL, EXT_IMPORTANCE};
	static const long hi[] = {4, 5};
	int *outs[] = {level, importance};
	for (int k = 0; k < 2; k++) {
		json_t *v = json_object_get(term, keys[k]);
		long x;
		if (!v)
			continue;
		size_t s = jld_path_key(&c->jr.path, keys[k]);
		if (int_in(v, 1, hi[k], &x))
			*outs[k] = (int)x;
		else
			jr_fail(&c->jr, "expected an integer from 1 to %ld",
			        hi[k]);
		jld_path_back(&c->jr.path, s);
	}
	json_t *v = json_object_get(term, EXT_REQUIRED);
	if (v && !jld_bool(v, required)) {
		size_t s = jld_path_key(&c->jr.path, EXT_REQUIRED);
		jr_fail(&c->jr, "expected true or false, found %s",
		        jld_type_name(v));
		jld_path_back(&c->jr.path, s);
	}
}

/* The text of a DefinedTerm's termCode (a string or a number). */
static const char *term_code(json_t *term, char num[static 32])
{
	json_t *v = json_object_get(term, "termCode");
	if (json_is_integer(v)) {
		snprintf(num, 32, "%lld", (long long)json_integer_value(v));
		return num;
	}
	return jld_text(v, NULL);
}

static const char *term_skill(jp *c, json_t *term)
{
	char num[32];
	const char *id = skill_by_term(c, term_code(term, num));
	if (!id)
		id = skill_by_term(
		    c, json_string_value(json_object_get(term, "@id")));
	if (!id)
		id = skill_by_term(
		    c, jld_text(json_object_get(term, "url"), NULL));
	if (!id)
		id = skill_by_term(
		    c, jld_text(json_object_get(term, "name"), NULL));
	return id;
}

/* An any_of requirement: {"pathway:anyOf": [DefinedTerm...]}. */
static void any_of_req(jp *c, reqs *r, json_t *term, json_t *alts)
{
	int level = 1, importance = 3;
	bool required = true;
	term_weights(c, term, &level, &importance, &required);
	size_t s = jld_path_key(&c->jr.path, EXT_ANY_OF);
	json_t *list = json_array();
	if (!list) {
		jr_oom(&c->jr);
		goto done;
	}
	for (size_t i = 0; i < jld_count(alts); i++) {
		size_t s2 = jld_path_item(&c->jr.path, alts, i);
		json_t *alt = jld_item(alts, i);
		const char *id = NULL;
		int alt_level = 1, ignored_imp = 3;
		bool ignored_req = true;
		if (json_is_object(alt)) {
			id = term_skill(c, alt);
			term_weights(c, alt, &alt_level, &ignored_imp,
			             &ignored_req);
		} else if (jld_text(alt, NULL)) {
			id = skill_by_term(c, jld_text(alt, NULL));
		} else {
			jr_fail(&c->jr,
			        "expected a DefinedTerm or text, found %s",
			        jld_type_name(alt));
		}
		bool dup = false;
		for (size_t k = 0; id && k < json_array_size(list); k++)
			dup |= strcmp(json_string_value(json_object_get(
			                  json_array_get(list, k), "skill")),
			              id) == 0;
		if (!id && json_is_object(alt)) {
			char tmp[72];
			const char *name =
			    jld_text(json_object_get(alt, "name"), NULL);
			jr_note(&c->jr, "'%s' matches no skill",
			        clip(name ? name : "(unnamed)", tmp));
		} else if (id && (dup || json_object_get(r->by_skill, id))) {
			jr_note(&c->jr, "skill '%s' is listed twice; left out",
			        id);
		} else if (id && json_array_append_new(
		                     list, json_pack("{s:s,s:i}", "skill", id,
		                                     "level", alt_level))) {
			jr_oom(&c->jr);
		}
		jld_path_back(&c->jr.path, s2);
	}
	if (json_array_size(list)) {
		json_t *entry =
		    json_pack("{s:O,s:i,s:b}", "any_of", list, "importance",
		              importance, "required", required);
		if (!entry || json_array_append_new(r->list, entry))
			jr_oom(&c->jr);
		for (size_t k = 0; entry && k < json_array_size(list); k++)
			if (json_object_set(
			        r->by_skill,
			        json_string_value(json_object_get(
			            json_array_get(list, k), "skill")),
			        entry))
				jr_oom(&c->jr);
	} else {
		jr_note(&c->jr, "no alternative matches a skill; left out");
	}
	json_decref(list);
done:
	jld_path_back(&c->jr.path, s);
}

/* Does a separator of skills start at p? *len gets its length. */
static bool skill_sep(const char *p, size_t *len)
{
	*len = 1;
	if (*p == ',' || *p == ';' || *p == '|' || *p == '\n')
		return true;
	if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
	    (unsigned char)p[2] == 0xA2) { /* U+2022 bullet */
		*len = 3;
		return true;
	}
	return false;
}

typedef struct span {
	size_t start, end;
	bool mapped;
} span;

/* A skills text: one name, or a list joined by commas, semicolons, bars,
 * line ends or bullets. Each piece is looked up by id, name or alias; the
 * extractor then searches the whole text (names may hold commas), and a
 * piece that neither gave is noted. */
static void skills_text(jp *c, reqs *r, const char *text)
{
	const char *id = skill_by_term(c, text);
	char tmp[72];
	if (id) {
		add_req(c, r, id, 1, 3, true);
		return;
	}
	size_t n = 1, len = strlen(text), k;
	for (size_t i = 0; i < len; i += k)
		n += skill_sep(text + i, &k);
	span *v = calloc(n, sizeof *v);
	char *piece = malloc(len + 1);
	if (!v || !piece) {
		jr_oom(&c->jr);
		goto done;
	}
	n = 0;
	for (size_t i = 0, start = 0; i <= len; i += k) {
		k = 1;
		if (i < len && !skill_sep(text + i, &k))
			continue;
		size_t a = start, b = i;
		while (a < b && blank(text[a]))
			a++;
		while (b > a && blank(text[b - 1]))
			b--;
		start = i + k;
		if (a == b)
			continue;
		memcpy(piece, text + a, b - a);
		piece[b - a] = '\0';
		v[n] = (span){a, b, false};
		if ((id = skill_by_term(c, piece))) {
			add_req(c, r, id, 1, 3, true);
			v[n].mapped = true;
		}
		n++;
	}
	bool all = true;
	for (size_t i = 0; i < n; i++)
		all &= v[i].mapped;
	if (all || !extract_into(c, r, text, 1, 3, true) || c->jr.fatal)
		goto notes;
	for (size_t h = 0; h < c->hits.n; h++)
		for (size_t i = 0; i < n; i++)
			if (c->hits.v[h].start < v[i].end &&
			    c->hits.v[h].end > v[i].start)
				v[i].mapped = true;
notes:
	for (size_t i = 0; i < n && !c->jr.fatal; i++) {
		if (v[i].mapped)
			continue;
		memcpy(piece, text + v[i].start, v[i].end - v[i].start);
		piece[v[i].end - v[i].start] = '\0';
		jr_note(&c->jr, "'%s' matches no skill", clip(piece, tmp));
	}
done:
	free(v);
	free(piece);
}

/* One entry of `skills`: text, or a DefinedTerm (by reference too). */
static void skill_entry(jp *c, reqs *r, json_t *v)
{
	jld_path saved;
	json_t *term = jr_follow(&c->jr, v, &saved);
	const char *text = jld_text(term, NULL);
	if (text) {
		char *plain = jld_html_text(text);
		if (plain)
			skills_text(c, r, plain);
		else
			jr_oom(&c->jr);
		free(plain);
	} else if (json_is_object(term)) {
		json_t *alts = json_object_get(term, EXT_ANY_OF);
		int level = 1, importance = 3;
		bool required = true;
		if (alts) {
			any_of_req(c, r, term, alts);
			goto done;
		}
		term_weights(c, term, &level, &importance, &required);
		const char *id = term_skill(c, term);
		const char *name =
		    jld_text(json_object_get(term, "name"), NULL);
		char num[32], tmp[72];
		const char *code = term_code(term, num);
		bool found = id != NULL;
		if (id)
			add_req(c, r, id, level, importance, required);
		else if (name)
			found = extract_into(c, r, name, level, importance,
			                     required) > 0;
		if (found || c->jr.fatal)
			;
		else if (name)
			jr_note(&c->jr, "'%s' matches no skill",
			        clip(name, tmp));
		else if (code)
			jr_note(&c->jr, "termCode '%s' matches no skill",
			        clip(code, tmp));
		else if (jld_id(term))
			jr_note(&c->jr, "'%s' matches no skill",
			        clip(jld_id(term), tmp));
		else
			jr_note(&c->jr,
			        "a skill with neither name nor termCode; left "
			        "out");
	} else {
		jr_fail(&c->jr, "expected text or a DefinedTerm, found %s",
		        jld_type_name(term));
	}
done:
	c->jr.path = saved;
}

/* ---- credentials ---- */

static const char *cred_by_term(jp *c, const char *term)
{
	if (!term || !*term)
		return NULL;
	if (json_object_get(c->cred_ids, term))
		return term;
	char *key = jld_fold(term, strlen(term));
	if (!key) {
		jr_oom(&c->jr);
		return NULL;
	}
	const char *id = json_string_value(json_object_get(c->cred_names, key));
	free(key);
	return id;
}

static const char *cred_of(jp *c, json_t *eoc)
{
	json_t *ident = json_object_get(eoc, "identifier");
	const char *id = NULL;
	for (size_t i = 0; !id && i < jld_count(ident); i++) {
		json_t *x = jld_item(ident, i);
		id = cred_by_term(
		    c, json_is_object(x)
		           ? jld_text(json_object_get(x, "value"), NULL)
		           : jld_text(x, NULL));
	}
	if (!id)
		id = cred_by_term(
		    c, json_string_value(json_object_get(eoc, "@id")));
	if (!id)
		id = cred_by_term(c,
		                  jld_text(json_object_get(eoc, "url"), NULL));
	if (!id)
		id = cred_by_term(c,
		                  jld_text(json_object_get(eoc, "name"), NULL));
	return id;
}

/* Is id a plain entry of creds (a list of ids and any_of objects)? */
static bool cred_listed(const json_t *creds, const char *id)
{
	size_t i;
	json_t *x;
	json_array_foreach(creds, i, x)
	{
		if (json_is_string(x) && strcmp(json_string_value(x), id) == 0)
			return true;
	}
	return false;
}

static void unmatched_cred(jp *c, json_t *eoc)
{
	char tmp[72];
	const char *what = jld_text(json_object_get(eoc, "name"), NULL);
	if (!what)
		what =
		    jld_text(json_object_get(eoc, "credentialCategory"), NULL);
	if (what)
		jr_note(&c->jr, "credential '%s' matches no stored credential",
		        clip(what, tmp));
	else
		jr_note(&c->jr, "a credential without a name; not mapped");
}

/* An EducationalOccupationalCredential naming a stored credential becomes
 * an entry of credentials_required. */
static void credential_req(jp *c, reqs *r, json_t *eoc)
{
	json_t *alts = json_object_get(eoc, EXT_ANY_OF);
	if (!alts) {
		const char *id = cred_of(c, eoc);
		if (!id)
			unmatched_cred(c, eoc);
		else if (!cred_listed(r->creds, id) &&
		         json_array_append_new(r->creds, json_string(id)))
			jr_oom(&c->jr);
		return;
	}
	size_t s = jld_path_key(&c->jr.path, EXT_ANY_OF);
	json_t *list = json_array();
	for (size_t i = 0; list && i < jld_count(alts); i++) {
		size_t s2 = jld_path_item(&c->jr.path, alts, i);
		json_t *alt = jld_item(alts, i);
		const char *id = json_is_object(alt)
		                     ? cred_of(c, alt)
		                     : cred_by_term(c, jld_text(alt, NULL));
		char tmp[72];
		if (!id && json_is_object(alt))
			unmatched_cred(c, alt);
		else if (!id && jld_text(alt, NULL))
			jr_note(&c->jr,
			        "credential '%s' matches no stored credential",
			        clip(jld_text(alt, NULL), tmp));
		else if (!id)
			jr_fail(
			    &c->jr,
			    "expected an EducationalOccupationalCredential, "
			    "found %s",
			    jld_type_name(alt));
		else if (!cred_listed(list, id) &&
		         json_array_append_new(list, json_string(id)))
			jr_oom(&c->jr);
		jld_path_back(&c->jr.path, s2);
	}
	if (!list)
		jr_oom(&c->jr);
	else if (json_array_size(list) &&
	         json_array_append_new(r->creds,
	                               json_pack("{s:O}", "any_of", list)))
		jr_oom(&c->jr);
	else if (!json_array_size(list))
		jr_note(&c->jr,
		        "no alternative matches a credential; left out");
	json_decref(list);
	jld_path_back(&c->jr.path, s);
}

/* qualifications, educationRequirements, experienceRequirements: text is
 * searched for skills (required ones); credentials name credentials. */
static void requirement_texts(jp *c, reqs *r, json_t *post, const char *key)
{
	json_t *v = json_object_get(post, key);
	size_t s = jld_path_key(&c->jr.path, key);
	for (size_t i = 0; i < jld_count(v); i++) {
		size_t s2 = jld_path_item(&c->jr.path, v, i);
		jld_path saved;
		json_t *x = jr_follow(&c->jr, jld_item(v, i), &saved);
		const char *text = jld_text(x, NULL);
		if (text) {
			if (!r->complete)
				extract_html(c, r, text, true);
		} else if (json_is_object(x)) {
			bool cred =
			    jld_has_type(x,
			                 "EducationalOccupationalCredential") ||
			    json_object_get(x, "credentialCategory") ||
			    json_object_get(x, EXT_ANY_OF);
			json_t *months =
			    json_object_get(x, "monthsOfExperience");
			if (cred)
				credential_req(c, r, x);
			if (months) {
				size_t s3 = jld_path_key(&c->jr.path,
				                         "monthsOfExperience");
				double m;
				if (jld_number(months, 0, &m))
					jr_note(&c->jr,
					        "%g months of experience: no "
					        "native field; not mapped",
					        m);
				else
					jr_note(&c->jr, "not mapped");
				jld_path_back(&c->jr.path, s3);
			}
			/* its own words, as the other texts */
			const char *words[] = {
			    jld_text(json_object_get(x, "description"), NULL),
			    jld_text(json_object_get(x, "about"), NULL),
			    jld_text(json_object_get(
			                 json_object_get(x, "about"), "name"),
			             NULL)};
			for (size_t k = 0; !r->complete && k < 3; k++)
				if (words[k])
					extract_html(c, r, words[k], true);
			if (!cred && !months && !words[0] && !words[1] &&
			    !words[2])
				jr_note(&c->jr, "%s: not mapped",
				        jld_first_type(x) ? jld_first_type(x)
				                          : "an object");
		} else {
			jr_fail(&c->jr, "expected text or an object, found %s",
			        jld_type_name(x));
		}
		c->jr.path = saved;
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
}

/* When nothing was found, the occupation's own requirements. */
static void occupation_reqs(jp *c, reqs *r, const char *soc)
{
	json_t *cached = json_object_get(c->occ_reqs, soc);
	if (!cached) {
		json_t *occ = NULL;
		pw_error e;
		pw_status st =
		    imp_stored(c->e, PW_KIND_OCCUPATION, soc, &occ, &e);
		if (st && st != PW_ERR_NOT_FOUND) {
			stop(c, st, &e);
			return;
		}
		cached = occ ? json_object_get(occ, "requirements") : NULL;
		cached = cached ? json_incref(cached) : json_null();
		json_decref(occ);
		if (json_object_set_new(c->occ_reqs, soc, cached)) {
			jr_oom(&c->jr);
			return;
		}
	}
	if (json_is_null(cached)) {
		jr_note(&c->jr,
		        "no skill found, and occupation '%s' is not stored",
		        soc);
		return;
	}
	json_t *copy = json_deep_copy(cached);
	if (!copy || json_array_extend(r->list, copy))
		jr_oom(&c->jr);
	json_decref(copy);
}

/* ---- fields ---- */

/* Text as stored: HTML stripped (when html), trimmed. A new string, NULL
 * when blank (or out of memory, then noted in c). */
static char *clean_text(jp *c, const char *t, bool html)
{
	char *clean = html ? jld_html_text(t) : strdup(t);
	if (!clean) {
		jr_oom(&c->jr);
		return NULL;
	}
	char *trimmed = trim(clean);
	if (!*trimmed) {
		free(clean);
		return NULL;
	}
	memmove(clean, trimmed, strlen(trimmed) + 1);
	return clean;
}

/* obj[key] as text (the first of several, a language map's preferred
 * one), cleaned: a new string, NULL when absent or blank. Anything but
 * text is an error here. */
static char *text_at(jp *c, json_t *obj, const char *key, bool html)
{
	json_t *v = json_object_get(obj, key);
	if (!jld_count(v))
		return NULL;
	const char *t = jld_text(v, NULL);
	if (!t) {
		size_t s = jld_path_key(&c->jr.path, key);
		jr_fail(&c->jr, "expected text, found %s", jld_type_name(v));
		jld_path_back(&c->jr.path, s);
		return NULL;
	}
	return clean_text(c, t, html);
}

static void set_str(jp *c, json_t *o, const char *key, const char *v)
{
	if (v && json_object_set_new(o, key, json_string(v)))
		jr_oom(&c->jr);
}

static void set_text_owned(jp *c, json_t *o, const char *key, char *v)
{
	set_str(c, o, key, v);
	free(v);
}

static void date_field(jp *c, json_t *post, json_t *job, const char *key,
                       const char *native)
{
	json_t *v = json_object_get(post, key);
	if (!jld_count(v))
		return;
	size_t s = jld_path_key(&c->jr.path, key);
	const char *t = jld_text(v, NULL);
	pw_date d;
	char tmp[72], ymd[11];
	if (!t)
		jr_fail(&c->jr, "expected a date, found %s", jld_type_name(v));
	else if (!jld_date(t, 0, &d))
		jr_fail(&c->jr, "'%s' is not an ISO 8601 date", clip(t, tmp));
	else {
		pw_date_format(d, ymd);
		set_str(c, job, native, ymd);
	}
	jld_path_back(&c->jr.path, s);
}

/* ---- wages ---- */

typedef struct amount {
	bool has_min, has_max;
	double min, max;
} amount;

/* One number of a salary: a JSON number or money written as text. */
static void money_value(jp *c, json_t *x, bool *has, double *out)
{
	char tmp[72];
	if (!jld_number(x, JLD_NUM_MONEY, out)) {
		if (jld_text(x, NULL))
			jr_fail(&c->jr, "'%s' is not a number",
			        clip(jld_text(x, NULL), tmp));
		else
			jr_fail(&c->jr, "expected a number, found %s",
			        jld_type_name(x));
	} else if (*out < 0) {
		jr_fail(&c->jr, "a wage cannot be negative");
	} else {
		*has = true;
	}
}

/* o[key], the first of several. */
static void money(jp *c, json_t *o, const char *key, bool *has, double *out)
{
	json_t *v = json_object_get(o, key);
	if (!jld_count(v))
		return;
	size_t s = jld_path_key(&c->jr.path, key);
	size_t s2 = jld_path_item(&c->jr.path, v, 0);
	money_value(c, jld_item(v, 0), has, out);
	jld_path_back(&c->jr.path, s2);
	jld_path_back(&c->jr.path, s);
}

/* value (or price), minValue and maxValue of o; a single value is both
 * ends of the range. */
static void amounts(jp *c, json_t *o, amount *a)
{
	bool has_v = false;
	double v = 0;
	money(c, o, "minValue", &a->has_min, &a->min);
	money(c, o, "maxValue", &a->has_max, &a->max);
	if (!json_is_object(json_object_get(o, "value")))
		money(c, o, "value", &has_v, &v);
	if (!has_v)
		money(c, o, "price", &has_v, &v);
	if (has_v && !a->has_min && !a->has_max) {
		a->has_min = a->has_max = true;
		a->min = a->max = v;
	}
}

/* The unit of o (unitText, or a UN/CEFACT unitCode), with its path in
 * *where; NULL when none. */
static const char *unit_of(jp *c, json_t *o, jld_path *where)
{
	static const struct {
		const char *code, *text;
	} codes[] = {{"HUR", "HOUR"},
	             {"DAY", "DAY"},
	             {"WEE", "WEEK"},
	             {"MON", "MONTH"},
	             {"ANN", "YEAR"}};
	const char *t = jld_text(json_object_get(o, "unitText"), NULL);
	*where = c->jr.path;
	if (t) {
		jld_path_key(where, "unitText");
		return t;
	}
	t = jld_text(json_object_get(o, "unitCode"), NULL);
	if (!t)
		return NULL;
	jld_path_key(where, "unitCode");
	for (size_t i = 0; i < PW_ARRAY_LEN(codes); i++)
		if (strcasecmp(t, codes[i].code) == 0)
			return codes[i].text;
	return t;
}

static bool usd(const char *currency)
{
	return strcasecmp(currency, "USD") == 0 ||
	       strcasecmp(currency, "US$") == 0 || strcmp(currency, "$") == 0 ||
	       strcasecmp(currency, "US Dollar") == 0 ||
	       strcasecmp(currency, "US Dollars") == 0;
}

/* The native wage unit and the factor onto it: a day is 8 hours and a
 * week 40 of an hourly wage, a month 1/12 of a yearly one. */
static const char *native_unit(const char *unit, double *factor)
{
	static const struct {
		const char *unit, *native;
		double factor;
	} units[] = {{"HOUR", "hour", 1},
	             {"DAY", "hour", 1.0 / 8},
	             {"WEEK", "hour", 1.0 / 40},
	             {"MONTH", "year", 12},
	             {"YEAR", "year", 1}};
	for (size_t i = 0; i < PW_ARRAY_LEN(units); i++)
		if (strcasecmp(unit, units[i].unit) == 0) {
			*factor = units[i].factor;
			return units[i].native;
		}
	return NULL;
}

static void wage_field(jp *c, json_t *post, json_t *job)
{
	json_t *v = json_object_get(post, "baseSalary");
	if (!jld_count(v))
		return;
	size_t s = jld_path_key(&c->jr.path, "baseSalary");
	for (size_t i = 1; i < jld_count(v); i++) {
		size_t s2 = jld_path_index(&c->jr.path, i);
		jr_note(&c->jr, "a job has one wage; this one is left out");
		jld_path_back(&c->jr.path, s2);
	}
	size_t s1 = jld_path_item(&c->jr.path, v, 0);
	jld_path saved, unit_path;
	json_t *sal = jr_follow(&c->jr, jld_item(v, 0), &saved);
	amount a = {0};
	const char *unit = NULL;
	const char *currency =
	    jld_text(json_object_get(post, "salaryCurrency"), NULL);
	char tmp[72];
	size_t before = c->jr.errors;

	if (json_is_number(sal) || json_is_string(sal)) {
		/* a plain Number (or one written as text) */
		money_value(c, sal, &a.has_min, &a.min);
		a.has_max = a.has_min;
		a.max = a.min;
	} else if (json_is_object(sal)) {
		const char *cur =
		    jld_text(json_object_get(sal, "currency"), NULL);
		if (!cur)
			cur = jld_text(json_object_get(sal, "priceCurrency"),
			               NULL);
		if (cur)
			currency = cur;
		amounts(c, sal, &a);
		unit = unit_of(c, sal, &unit_path);
		json_t *qv = json_object_get(sal, "value");
		if (json_is_object(qv)) {
			size_t s2 = jld_path_key(&c->jr.path, "value");
			jld_path p2;
			amount inner = {0};
			amounts(c, qv, &inner);
			if (inner.has_min || inner.has_max)
				a = inner;
			const char *u2 = unit_of(c, qv, &p2);
			if (u2) {
				unit = u2;
				unit_path = p2;
			}
			jld_path_back(&c->jr.path, s2);
		}
	} else {
		jr_fail(&c->jr,
		        "expected a MonetaryAmount or a number, found %s",
		        jld_type_name(sal));
	}
	if (c->jr.errors != before)
		goto done;
	if (!a.has_min && !a.has_max) {
		jr_note(&c->jr, "no amount; wage left out");
		goto done;
	}
	if (currency && !usd(currency)) {
		jr_note(&c->jr, "currency '%s' is not USD; wage left out",
		        clip(currency, tmp));
		goto done;
	}
	if ((!a.has_min || a.min == 0) && (!a.has_max || a.max == 0)) {
		jr_note(&c->jr, "a wage of 0; left out");
		goto done;
	}
	if (a.has_min && a.has_max && a.min > a.max) {
		double t = a.min;
		a.min = a.max;
		a.max = t;
		jr_note(&c->jr, "minValue is greater than maxValue; swapped");
	}
	double factor = 1;
	const char *native = NULL;
	if (!unit) {
		/* no unit: the size of the figure tells hourly from yearly */
		double x = a.has_min && a.min > 0 ? a.min : a.max;
		native = x >= 1000 ? "year" : x <= 300 ? "hour" : NULL;
		if (native)
			jr_note(&c->jr, "no unit given; %g taken as %s wage", x,
			        *native == 'y' ? "a yearly" : "an hourly");
		else
			jr_note(&c->jr,
			        "no unit given, and %g is neither hourly nor "
			        "yearly; wage left out",
			        x);
	} else if (!(native = native_unit(unit, &factor))) {
		jld_path here = c->jr.path;
		c->jr.path = unit_path;
		jr_note(&c->jr, "unknown salary unit '%s'; wage left out",
		        clip(unit, tmp));
		c->jr.path = here;
	}
	if (!native)
		goto done;
	json_t *w = json_pack("{s:s}", "unit", native);
	if (!w || json_object_set_new(job, "wage", w)) {
		jr_oom(&c->jr);
		goto done;
	}
	if ((a.has_min && a.min > 0 &&
	     json_object_set_new(w, "min",
	                         json_real(num_round(a.min * factor, 2)))) ||
	    (a.has_max && a.max > 0 &&
	     json_object_set_new(w, "max",
	                         json_real(num_round(a.max * factor, 2)))))
		jr_oom(&c->jr);
done:
	c->jr.path = saved;
	jld_path_back(&c->jr.path, s1);
	jld_path_back(&c->jr.path, s);
}

static void employer_field(jp *c, json_t *post, json_t *job)
{
	json_t *v = json_object_get(post, "hiringOrganization");
	if (!jld_count(v))
		return;
	size_t s = jld_path_key(&c->jr.path, "hiringOrganization");
	size_t s2 = jld_path_item(&c->jr.path, v, 0);
	jld_path saved;
	json_t *org = jr_follow(&c->jr, jld_item(v, 0), &saved);
	const char *text = jld_text(org, NULL);
	char tmp[72];
	if (text && strstr(text, "://") && !strchr(text, ' '))
		jr_note(&c->jr,
		        "'%s' is not described in the file; employer left out",
		        clip(text, tmp));
	else if (text)
		set_text_owned(c, job, "employer", clean_text(c, text, true));
	else if (json_is_object(org)) {
		char *name = text_at(c, org, "name", true);
		if (name)
			set_text_owned(c, job, "employer", name);
		else if (jld_id(org))
			jr_note(&c->jr,
			        "'%s' is not described in the file; employer "
			        "left out",
			        clip(jld_id(org), tmp));
		else
			jr_note(&c->jr,
			        "an organization without a name; employer "
			        "left out");
	} else {
		jr_fail(&c->jr, "expected an Organization or text, found %s",
		        jld_type_name(org));
	}
	c->jr.path = saved;
	jld_path_back(&c->jr.path, s2);
	jld_path_back(&c->jr.path, s);
}

/* ---- location ---- */

static void set_once(jp *c, json_t *lo, const char *key, json_t *v)
{
	if (!v) {
		jr_oom(&c->jr);
		return;
	}
	if (json_object_get(lo, key)) {
		json_decref(v);
		return;
	}
	if (json_object_set_new(lo, key, v))
		jr_oom(&c->jr);
}

/* A county given as a 5-digit FIPS code (or a number that is one). */
static void county_value(jp *c, json_t *lo, json_t *v)
{
	char code[16], tmp[72];
	const char *t = jld_text(v, NULL);
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) <= 99999) {
		snprintf(code, sizeof code, "%05d", (int)json_integer_value(v));
		set_once(c, lo, "county", json_string(code));
		return;
	}
	if (!t) {
		jr_fail(&c->jr, "expected a county FIPS code, found %s",
		        jld_type_name(v));
		return;
	}
	char *clean = clean_text(c, t, false);
	if (!clean)
		return;
	bool fips = strlen(clean) == 5 && strspn(clean, "0123456789") == 5;
	if (fips)
		set_once(c, lo, "county", json_string(clean));
	else
		jr_note(
		    &c->jr,
		    "county '%s' is not a 5-digit FIPS code; without one it "
		    "cannot be mapped",
		    clip(clean, tmp));
	free(clean);
}

static void county_fields(jp *c, json_t *lo, json_t *o)
{
	static const char *const keys[] = {"addressCounty", "county",
	                                   "countyFIPS"};
	for (size_t k = 0; k < PW_ARRAY_LEN(keys); k++) {
		json_t *v = json_object_get(o, keys[k]);
		if (!jld_count(v))
			continue;
		size_t s = jld_path_key(&c->jr.path, keys[k]);
		size_t s2 = jld_path_item(&c->jr.path, v, 0);
		county_value(c, lo, jld_item(v, 0));
		jld_path_back(&c->jr.path, s2);
		jld_path_back(&c->jr.path, s);
	}
	/* schema.org's way: a PropertyValue among additionalProperty */
	json_t *props = json_object_get(o, "additionalProperty");
	size_t s = jld_path_key(&c->jr.path, "additionalProperty");
	for (size_t i = 0; i < jld_count(props); i++) {
		json_t *p = jld_item(props, i);
		const char *id =
		    jld_text(json_object_get(p, "propertyID"), NULL);
		if (!id)
			id = jld_text(json_object_get(p, "name"), NULL);
		if (!id || !(has_ci(id, "county") || has_ci(id, "fips")))
			continue;
		size_t s2 = jld_path_item(&c->jr.path, props, i);
		size_t s3 = jld_path_key(&c->jr.path, "value");
		json_t *v = json_object_get(p, "value");
		if (jld_count(v))
			county_value(c, lo, jld_item(v, 0));
		jld_path_back(&c->jr.path, s3);
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
}

static void coordinate(jp *c, json_t *o, const char *key, double limit,
                       json_t *lo, const char *native)
{
	json_t *v = json_object_get(o, key);
	double x;
	if (!jld_count(v))
		return;
	size_t s = jld_path_key(&c->jr.path, key);
	char tmp[72];
	if (!jld_number(jld_item(v, 0), 0, &x)) {
		const char *t = jld_text(v, NULL);
		if (t)
			jr_fail(&c->jr, "'%s' is not a number", clip(t, tmp));
		else
			jr_fail(&c->jr, "expected a number, found %s",
			        jld_type_name(v));
	} else if (x < -limit || x > limit) {
		jr_fail(&c->jr, "%g is not within -%g..%g", x, limit, limit);
	} else {
		set_once(c, lo, native, json_real(x));
	}
	jld_path_back(&c->jr.path, s);
}

/* "Elko, NV 89801", "Elko, Nevada, USA": the city and the state. */
static void address_text(jp *c, json_t *lo, const char *text)
{
	char *copy = strdup(text), tmp[72];
	char *parts[8];
	size_t n = 0;
	if (!copy) {
		jr_oom(&c->jr);
		return;
	}
	char *save = NULL;
	for (char *p = strtok_r(copy, ",", &save); p && n < 8;
	     p = strtok_r(NULL, ",", &save))
		if (*(p = trim(p)))
			parts[n++] = p;
	if (n && is_us(parts[n - 1]))
		n--;
	const char *state = NULL;
	if (n) {
		/* the state may be followed by a ZIP code */
		char *last = parts[n - 1];
		size_t len = strlen(last);
		while (len && (strchr("0123456789-", last[len - 1]) ||
		               blank(last[len - 1])))
			len--;
		last[len] = '\0';
		state = state_code(last);
	}
	if (state) {
		set_once(c, lo, "state", json_string(state));
		if (n >= 2)
			set_once(c, lo, "city", json_string(parts[n - 2]));
	} else {
		jr_note(&c->jr,
		        "address '%s' is not mapped (expected 'City, ST')",
		        clip(text, tmp));
	}
	free(copy);
}

static void postal_address(jp *c, json_t *lo, json_t *a)
{
	char tmp[72];
	char *city = text_at(c, a, "addressLocality", true);
	if (city)
		set_once(c, lo, "city", json_string(city));
	free(city);
	/* the country: text, or a Country with a name */
	json_t *cv = jld_item(json_object_get(a, "addressCountry"), 0);
	const char *country = jld_text(cv, NULL);
	if (!country && json_is_object(cv))
		country = jld_text(json_object_get(cv, "name"), NULL);
	char *region = text_at(c, a, "addressRegion", true);
	if (region) {
		const char *code = state_code(region);
		size_t s = jld_path_key(&c->jr.path, country && !is_us(country)
		                                         ? "addressCountry"
		                                         : "addressRegion");
		if (country && !is_us(country))
			jr_note(
			    &c->jr,
			    "'%s' is not the United States; the region is not "
			    "mapped to a state",
			    clip(country, tmp));
		else if (code)
			set_once(c, lo, "state", json_string(code));
		else
			jr_note(&c->jr, "'%s' is not a US state or territory",
			        clip(region, tmp));
		jld_path_back(&c->jr.path, s);
	}
	free(region);
	county_fields(c, lo, a);
}

static void place(jp *c, json_t *lo, json_t *p)
{
	json_t *av = json_object_get(p, "address");
	if (jld_count(av)) {
		size_t s = jld_path_key(&c->jr.path, "address");
		size_t s2 = jld_path_item(&c->jr.path, av, 0);
		jld_path saved;
		json_t *a = jr_follow(&c->jr, jld_item(av, 0), &saved);
		const char *text = jld_text(a, NULL);
		if (text)
			address_text(c, lo, text);
		else if (json_is_object(a))
			postal_address(c, lo, a);
		else
			jr_fail(&c->jr,
			        "expected a PostalAddress or text, found %s",
			        jld_type_name(a));
		c->jr.path = saved;
		jld_path_back(&c->jr.path, s2);
		jld_path_back(&c->jr.path, s);
	}
	county_fields(c, lo, p);
	json_t *gv = json_object_get(p, "geo");
	if (jld_count(gv)) {
		size_t s = jld_path_key(&c->jr.path, "geo");
		size_t s2 = jld_path_item(&c->jr.path, gv, 0);
		jld_path saved;
		json_t *g = jr_follow(&c->jr, jld_item(gv, 0), &saved);
		if (json_is_object(g) && (json_object_get(g, "latitude") ||
		                          json_object_get(g, "longitude"))) {
			coordinate(c, g, "latitude", 90, lo, "lat");
			coordinate(c, g, "longitude", 180, lo, "lon");
		} else if (json_is_object(g)) {
			jr_note(&c->jr,
			        "%s without latitude and longitude; not mapped",
			        jld_first_type(g) ? jld_first_type(g) : "geo");
		} else {
			jr_fail(&c->jr, "expected GeoCoordinates, found %s",
			        jld_type_name(g));
		}
		c->jr.path = saved;
		jld_path_back(&c->jr.path, s2);
		jld_path_back(&c->jr.path, s);
	}
	coordinate(c, p, "latitude", 90, lo, "lat");
	coordinate(c, p, "longitude", 180, lo, "lon");
}

static void location_field(jp *c, json_t *post, json_t *job)
{
	json_t *v = json_object_get(post, "jobLocation");
	if (!jld_count(v))
		return;
	json_t *lo = json_object();
	if (!lo) {
		jr_oom(&c->jr);
		return;
	}
	size_t s = jld_path_key(&c->jr.path, "jobLocation");
	for (size_t i = 1; i < jld_count(v); i++) {
		size_t s2 = jld_path_index(&c->jr.path, i);
		jr_note(&c->jr, "a job has one location; this one is left out");
		jld_path_back(&c->jr.path, s2);
	}
	size_t s1 = jld_path_item(&c->jr.path, v, 0);
	jld_path saved;
	json_t *p = jr_follow(&c->jr, jld_item(v, 0), &saved);
	const char *text = jld_text(p, NULL);
	char tmp[72];
	if (text)
		address_text(c, lo, text);
	else if (json_is_object(p) && jld_is_ref(p))
		jr_note(&c->jr,
		        "'%s' is not described in the file; location left out",
		        clip(jld_id(p), tmp));
	else if (json_is_object(p))
		place(c, lo, p);
	else
		jr_fail(&c->jr, "expected a Place or text, found %s",
		        jld_type_name(p));
	c->jr.path = saved;
	jld_path_back(&c->jr.path, s1);
	jld_path_back(&c->jr.path, s);
	if (json_object_size(lo) && json_object_set(job, "location", lo))
		jr_oom(&c->jr);
	json_decref(lo);
}

/* ---- occupation ---- */

/* The O*NET-SOC code in text: "15-1132.00 Software Developers" gives
 * "15-1132.00", a bare SOC code "15-1132" gives "15-1132.00". */
static bool soc_in(jp *c, const char *text, char out[static 11])
{
	int rc = pcre2_match(c->soc_re, (PCRE2_SPTR)text, strlen(text), 0, 0,
	                     c->soc_md, NULL);
	if (rc < 0)
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->soc_md);
	size_t n = ov[1] - ov[0];
	memcpy(out, text + ov[0], n);
	if (n == 7)
		memcpy(out + n, ".00", 3), n += 3;
	out[n] = '\0';
	return true;
}

/* occupationalCategory: text with a code inside, or CategoryCode
 * {codeValue}; the first code found. The path is at the property. */
static bool soc_from(jp *c, json_t *v, char out[static 11])
{
	char tmp[72];
	const char *shown = NULL;
	for (size_t i = 0; i < jld_count(v); i++) {
		size_t s = jld_path_item(&c->jr.path, v, i);
		jld_path saved;
		json_t *x = jr_follow(&c->jr, jld_item(v, i), &saved);
		const char *t = jld_text(x, NULL);
		bool found = false;
		if (t) {
			found = soc_in(c, t, out);
			shown = shown ? shown : t;
		} else if (json_is_object(x)) {
			const char *code =
			    jld_text(json_object_get(x, "codeValue"), NULL);
			const char *name =
			    jld_text(json_object_get(x, "name"), NULL);
			found = (code && soc_in(c, code, out)) ||
			        (name && soc_in(c, name, out));
			shown = shown ? shown : code ? code : name;
		} else {
			jr_fail(&c->jr,
			        "expected text or a CategoryCode, found %s",
			        jld_type_name(x));
		}
		c->jr.path = saved;
		jld_path_back(&c->jr.path, s);
		if (found)
			return true;
	}
	if (shown)
		jr_note(&c->jr, "'%s' holds no O*NET-SOC code",
		        clip(shown, tmp));
	return false;
}

static bool soc_field(jp *c, json_t *post, json_t *job, char soc[static 11])
{
	json_t *v = json_object_get(post, "occupationalCategory");
	size_t s = jld_path_key(&c->jr.path, "occupationalCategory");
	bool found = soc_from(c, v, soc);
	jld_path_back(&c->jr.path, s);
	json_t *ro = json_object_get(post, "relevantOccupation");
	for (size_t i = 0; !found && i < jld_count(ro); i++) {
		size_t s1 = jld_path_key(&c->jr.path, "relevantOccupation");
		size_t s2 = jld_path_item(&c->jr.path, ro, i);
		jld_path saved;
		json_t *occ = jr_follow(&c->jr, jld_item(ro, i), &saved);
		if (json_is_object(occ)) {
			size_t s3 =
			    jld_path_key(&c->jr.path, "occupationalCategory");
			found = soc_from(
			    c, json_object_get(occ, "occupationalCategory"),
			    soc);
			jld_path_back(&c->jr.path, s3);
		}
		c->jr.path = saved;
		jld_path_back(&c->jr.path, s2);
		jld_path_back(&c->jr.path, s1);
	}
	if (found)
		set_str(c, job, "soc", soc);
	return found;
}

/* ---- ids ---- */

/* text made an id (SPEC §1): other characters become '-', an overlong
 * text is cut and given a hash, and the O*NET-SOC shape (which job ids
 * must not have) gets a prefix. "" when nothing is left. */
static void sanitize_id(const char *text, char out[static 129])
{
	char full[160];
	size_t n = 0;
	bool dash = true, cut = false; /* dash: no '-' may come next */
	for (const char *p = text; *p; p++) {
		char ch = *p;
		bool ok = (ch >= 'A' && ch <= 'Z') ||
		          (ch >= 'a' && ch <= 'z') ||
		          (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		          ch == ':';
		if (!ok && dash)
			continue;
		if (n == 128) {
			cut = true;
			break;
		}
		full[n++] = ok ? ch : '-';
		dash = !ok;
	}
	if (cut)
		n = 119;
	while (n && full[n - 1] == '-')
		n--;
	if (cut)
		n += (size_t)snprintf(
		    full + n, sizeof full - n, "-%08llx",
		    (unsigned long long)(imp_hash(text, strlen(text), 0) &
		                         0xffffffffu));
	full[n] = '\0';
	size_t at = 0;
	if (text_is_soc_code(full)) {
		memcpy(out, "job-", 4);
		at = 4;
	}
	memcpy(out + at, full, n + 1);
}

/* The id of a posting: from its identifier, else a hash of url, title and
 * employer. *ours is set when the identifier is one Pathway wrote. */
static void id_field(jp *c, json_t *post, json_t *job, bool *ours)
{
	char id[129] = "", num[32], tmp[129];
	json_t *v = json_object_get(post, "identifier");
	*ours = false;
	for (size_t i = 0; !*id && i < jld_count(v); i++) {
		json_t *x = jld_item(v, i);
		json_t *val =
		    json_is_object(x) ? json_object_get(x, "value") : x;
		const char *t = jld_text(val, NULL);
		if (json_is_integer(val)) {
			snprintf(num, sizeof num, "%lld",
			         (long long)json_integer_value(val));
			t = num;
		}
		if (!t)
			continue;
		const char *pid =
		    jld_text(json_object_get(x, "propertyID"), NULL);
		const char *name = jld_text(json_object_get(x, "name"), NULL);
		if (pid && strcmp(pid, PATHWAY_ID) == 0 && text_valid_id(t)) {
			snprintf(id, sizeof id, "%s", t);
			*ours = true;
			break;
		}
		sanitize_id(t, tmp);
		if (!*tmp)
			continue;
		if (name || pid) {
			/* keep the employers' own numbers apart */
			char prefix[129], joined[300];
			imp_slug_id("", name ? name : pid, prefix);
			snprintf(joined, sizeof joined, "%s%s%s", prefix,
			         *prefix ? ":" : "", tmp);
			sanitize_id(joined, id);
		} else {
			memcpy(id, tmp, sizeof id);
		}
	}
	if (!*id) {
		/* url, title and employer stay when a posting is edited; a
		 * posting with neither url nor employer has only its title,
		 * so its text and place keep it apart from others so titled */
		json_t *lo = json_object_get(job, "location");
		const char *parts[] = {
		    json_string_value(json_object_get(job, "url")),
		    json_string_value(json_object_get(job, "title")),
		    json_string_value(json_object_get(job, "employer")),
		    json_string_value(json_object_get(job, "description")),
		    json_string_value(json_object_get(job, "posted")),
		    json_string_value(json_object_get(lo, "city")),
		    json_string_value(json_object_get(lo, "state"))};
		size_t nparts = parts[0] || parts[2] ? 3 : PW_ARRAY_LEN(parts);
		uint64_t h = 0;
		for (size_t k = 0; k < nparts; k++) {
			const char *p = parts[k] ? parts[k] : "";
			h = imp_hash(p, strlen(p) + 1,
			             h); /* the NUL separates */
		}
		snprintf(id, sizeof id, "jp-%016llx", (unsigned long long)h);
	}
	set_str(c, job, "id", id);
}

/* ---- one posting ---- */

static void remote_field(jp *c, json_t *post, json_t *job)
{
	json_t *v = json_object_get(post, "jobLocationType");
	bool remote = false;
	char tmp[72];
	size_t s = jld_path_key(&c->jr.path, "jobLocationType");
	for (size_t i = 0; i < jld_count(v); i++) {
		size_t s2 = jld_path_item(&c->jr.path, v, i);
		const char *t = jld_text(jld_item(v, i), NULL);
		if (!t)
			jr_fail(&c->jr, "expected text, found %s",
			        jld_type_name(jld_item(v, i)));
		else if (jld_term_is(t, "TELECOMMUTE") ||
		         strcasecmp(t, "telecommute") == 0)
			remote = true;
		else
			jr_note(&c->jr, "'%s' is not TELECOMMUTE; ignored",
			        clip(t, tmp));
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
	if (!remote &&
	    jld_count(json_object_get(post, "applicantLocationRequirements")) &&
	    !jld_count(json_object_get(post, "jobLocation"))) {
		/* Google asks for it on telecommute jobs only */
		s = jld_path_key(&c->jr.path, "applicantLocationRequirements");
		jr_note(&c->jr,
		        "without jobLocationType or jobLocation: taken as a "
		        "remote job");
		jld_path_back(&c->jr.path, s);
		remote = true;
	}
	if (json_object_set_new(job, "remote", json_boolean(remote)))
		jr_oom(&c->jr);
}

static void openings_field(jp *c, json_t *post, json_t *job)
{
	json_t *v = json_object_get(post, "totalJobOpenings");
	long n;
	if (!jld_count(v))
		return;
	size_t s = jld_path_key(&c->jr.path, "totalJobOpenings");
	size_t s2 = jld_path_item(&c->jr.path, v, 0);
	char tmp[72];
	json_t *x = jld_item(v, 0);
	if (int_in(x, 1, INT32_MAX, &n)) {
		if (json_object_set_new(job, "openings", json_integer(n)))
			jr_oom(&c->jr);
	} else if (jld_text(x, NULL)) {
		jr_fail(&c->jr,
		        "'%s' is not a whole number of openings (at least 1)",
		        clip(jld_text(x, NULL), tmp));
	} else if (json_is_number(x)) {
		jr_fail(&c->jr,
		        "%g is not a whole number of openings (at least 1)",
		        json_number_value(x));
	} else {
		jr_fail(&c->jr, "expected a number, found %s",
		        jld_type_name(x));
	}
	jld_path_back(&c->jr.path, s2);
	jld_path_back(&c->jr.path, s);
}

static void requirements_of(jp *c, json_t *post, json_t *job, bool ours,
                            const char *soc, const char *description)
{
	reqs r = {json_array(), json_object(), json_array(), ours};
	if (!r.list || !r.by_skill || !r.creds) {
		jr_oom(&c->jr);
		goto done;
	}
	json_t *v = json_object_get(post, "skills");
	size_t s = jld_path_key(&c->jr.path, "skills");
	for (size_t i = 0; i < jld_count(v) && !c->jr.fatal; i++) {
		size_t s2 = jld_path_item(&c->jr.path, v, i);
		skill_entry(c, &r, jld_item(v, i));
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
	requirement_texts(c, &r, post, "qualifications");
	requirement_texts(c, &r, post, "educationRequirements");
	requirement_texts(c, &r, post, "experienceRequirements");
	if (!r.complete && description && !c->jr.fatal) {
		s = jld_path_key(&c->jr.path, "description");
		extract_into(c, &r, description, 1, 3, false);
		jld_path_back(&c->jr.path, s);
	}
	if (!json_array_size(r.list) && !r.complete) {
		if (soc)
			occupation_reqs(c, &r, soc);
		else
			jr_note(
			    &c->jr,
			    "no skill found and no occupation code; the job "
			    "has no requirements");
	}
	if (json_object_set(job, "requirements", r.list) ||
	    json_object_set(job, "credentials_required", r.creds))
		jr_oom(&c->jr);
done:
	json_decref(r.list);
	json_decref(r.by_skill);
	json_decref(r.creds);
}

static void map_posting(jp *c, json_t *post)
{
	size_t before = c->jr.errors;
	json_t *job = json_object();
	char soc[11];
	bool ours = false;
	if (!job) {
		jr_oom(&c->jr);
		return;
	}
	char *title = text_at(c, post, "title", true);
	if (!title && c->jr.errors == before)
		title = text_at(c, post, "name", true);
	if (!title && c->jr.errors == before)
		jr_fail(&c->jr, "a JobPosting needs a title");
	set_text_owned(c, job, "title", title);
	employer_field(c, post, job);
	set_text_owned(c, job, "url", text_at(c, post, "url", false));
	char *description = text_at(c, post, "description", true);
	set_str(c, job, "description", description);
	bool has_soc = soc_field(c, post, job, soc);
	location_field(c, post, job);
	remote_field(c, post, job);
	wage_field(c, post, job);
	openings_field(c, post, job);
	date_field(c, post, job, "datePosted", "posted");
	date_field(c, post, job, "validThrough", "expires");
	id_field(c, post, job, &ours);
	if (c->jr.errors == before && !c->jr.fatal)
		requirements_of(c, post, job, ours, has_soc ? soc : NULL,
		                description);
	free(description);
	if (c->jr.errors != before || c->jr.fatal) {
		json_decref(job);
		return;
	}
	const char *id = json_string_value(json_object_get(job, "id"));
	const char *first = json_string_value(json_object_get(c->ids, id));
	char where[700];
	if (first) {
		jr_note(&c->jr, "the same job as %s (id '%s'); left out", first,
		        id);
		json_decref(job);
		return;
	}
	snprintf(where, sizeof where, "%s: %s", c->jr.file,
	         jld_path_str(&c->jr.path));
	if (json_object_set_new(c->ids, id, json_string(where)) ||
	    json_array_append_new(c->jobs, job))
		jr_oom(&c->jr);
}

/* ---- documents ---- */

typedef struct gather {
	json_t *found;   /* [node, path] pairs */
	json_t *seen;    /* the other types met, for the message */
	json_t *visited; /* postings found and nodes reached by reference,
	                  * by address */
} gather;

/* Finds the postings of a document: the root, arrays, @graph envelopes,
 * and a page's mainEntity or item list (followed by reference once per
 * node, so that nodes naming each other cannot multiply the walk). */
static int collect(jp *c, json_t *v, jld_path *p, gather *g, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return 0;
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			size_t s = jld_path_index(p, i);
			int rc = collect(c, x, p, g, depth + 1);
			jld_path_back(p, s);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (!json_is_object(v))
		return 0;
	if (jld_has_type(v, "JobPosting")) {
		char key[40];
		snprintf(key, sizeof key, "posting %p", (void *)v);
		if (json_object_get(g->visited, key))
			return 0;
		if (json_object_set_new(g->visited, key, json_true()))
			return -1;
		return json_array_append_new(g->found,
		                             json_pack("[O,s]", v, p->s));
	}
	const char *type = jld_first_type(v);
	if (type && json_array_size(g->seen) < 4 &&
	    json_array_append_new(g->seen, json_string(type)))
		return -1;
	static const char *const inner[] = {"@graph", "mainEntity",
	                                    "itemListElement", "item"};
	for (size_t k = 0; k < PW_ARRAY_LEN(inner); k++) {
		json_t *x = json_object_get(v, inner[k]);
		if (!x)
			continue;
		const char *where;
		json_t *r = jld_resolve(c->jr.index, x, &where);
		jld_path sub = *p;
		if (where) {
			char key[32];
			snprintf(key, sizeof key, "%p", (void *)r);
			if (json_object_get(g->visited, key))
				continue;
			if (json_object_set_new(g->visited, key, json_true()))
				return -1;
			jld_path_set(&sub, where);
		} else {
			jld_path_key(&sub, inner[k]);
		}
		int rc = collect(c, r, &sub, g, depth + 1);
		if (rc)
			return rc;
	}
	return 0;
}

typedef struct blocks {
	jp *c;
	json_t *roots; /* [root, path prefix] pairs */
} blocks;

/* Parses one JSON text (a file, or a block of a page) into b->roots. */
static void parse_json(jp *c, json_t *roots, const char *text, size_t n,
                       const char *prefix, size_t line0, size_t col0)
{
	json_error_t jerr;
	jld_path_set(&c->jr.path, prefix);
	if (load_too_deep_at(text, n) != SIZE_MAX) {
		jr_fail(&c->jr, "JSON nested deeper than %d levels",
		        JSON_MAX_DEPTH);
		return;
	}
	json_t *root = json_loadb(text, n, 0, &jerr);
	if (!root) {
		if (json_error_code(&jerr) == json_error_out_of_memory) {
			jr_oom(&c->jr);
			return;
		}
		size_t line =
		    line0 + (size_t)(jerr.line > 0 ? jerr.line : 1) - 1;
		size_t col = (size_t)(jerr.column > 0 ? jerr.column : 0);
		if (jerr.line <= 1)
			col += col0 - 1;
		jr_fail(&c->jr, "invalid JSON: %s (line %zu, column %zu)",
		        jerr.text, line, col);
		return;
	}
	if (json_array_append_new(roots, json_pack("[o,s]", root, prefix)))
		jr_oom(&c->jr);
}

static int on_block(void *ctx, size_t index, const char *text, size_t n,
                    size_t line, size_t column)
{
	blocks *b = ctx;
	char prefix[40];
	snprintf(prefix, sizeof prefix, "script[%zu]", index);
	parse_json(b->c, b->roots, text, n, prefix, line, column);
	return b->c->jr.fatal != PW_OK;
}

static void read_document(jp *c, const char *name, const char *data, size_t len)
{
	json_t *roots = json_array();
	gather g = {json_array(), json_array(), json_object()};
	blocks b = {c, roots};
	size_t before = c->jr.errors;
	c->jr.file = name;
	c->jr.index = jld_index_new();
	jld_path_set(&c->jr.path, "");
	if (!roots || !g.found || !g.seen || !g.visited || !c->jr.index) {
		jr_oom(&c->jr);
		goto done;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		data += 3, len -= 3;
	size_t at = 0;
	while (at < len && blank(data[at]))
		at++;
	if (at == len) {
		jr_fail(&c->jr, "an empty file");
		goto done;
	}
	if (data[at] == '<') {
		if (!jld_html_scripts(data, len, on_block, &b) &&
		    !c->jr.fatal) {
			jld_path_set(&c->jr.path, "");
			jr_fail(&c->jr,
			        "an HTML page without a <script "
			        "type=\"application/ld+json\"> element");
		}
	} else {
		parse_json(c, roots, data, len, "", 1, 1);
	}
	if (c->jr.fatal)
		goto done;
	size_t i;
	json_t *r;
	json_array_foreach(roots, i, r)
	{
		if (jld_index_add(c->jr.index, json_array_get(r, 0),
		                  json_string_value(json_array_get(r, 1)))) {
			jr_oom(&c->jr);
			goto done;
		}
	}
	json_array_foreach(roots, i, r)
	{
		jld_path p;
		jld_path_set(&p, json_string_value(json_array_get(r, 1)));
		if (collect(c, json_array_get(r, 0), &p, &g, 0)) {
			jr_oom(&c->jr);
			goto done;
		}
	}
	if (!json_array_size(g.found) && c->jr.errors == before) {
		char types[200] = "";
		size_t n = 0;
		json_t *t;
		json_array_foreach(g.seen, i, t)
		{
			int w = snprintf(types + n, sizeof types - n, "%s%s",
			                 i ? ", " : "", json_string_value(t));
			if (w > 0 && (size_t)w < sizeof types - n)
				n += (size_t)w;
		}
		jld_path_set(&c->jr.path, "");
		if (n)
			jr_fail(&c->jr, "no schema.org JobPosting (found %s)",
			        types);
		else
			jr_fail(&c->jr, "no schema.org JobPosting");
	}
	json_array_foreach(g.found, i, r)
	{
		if (c->jr.fatal)
			break;
		jld_path_set(&c->jr.path,
		             json_string_value(json_array_get(r, 1)));
		map_posting(c, json_array_get(r, 0));
	}
done:
	json_decref(g.found);
	json_decref(g.seen);
	json_decref(g.visited);
	json_decref(roots);
	json_decref(c->jr.index);
	c->jr.index = NULL;
}

/* ---- the import ---- */

static void jp_release(jp *c)
{
	json_decref(c->skill_ids);
	json_decref(c->skill_names);
	json_decref(c->skill_codes);
	json_decref(c->cred_ids);
	json_decref(c->cred_names);
	json_decref(c->occ_reqs);
	json_decref(c->jobs);
	json_decref(c->ids);
	extractor_free(c->x);
	ext_hits_release(&c->hits);
	pcre2_match_data_free(c->soc_md);
	pcre2_code_free(c->soc_re);
}

pw_status pw_import_jobs_buffers(pw_engine *e, const char *const *names,
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
	jp c = {.jr = {.rep = rep, .o = opts, .sum = sum, .err = err}, .e = e};
	ext_hits_init(&c.hits);
	c.skill_ids = json_object();
	c.skill_names = json_object();
	c.skill_codes = json_object();
	c.cred_ids = json_object();
	c.cred_names = json_object();
	c.occ_reqs = json_object();
	c.jobs = json_array();
	c.ids = json_object();
	if (!c.skill_ids || !c.skill_names || !c.skill_codes || !c.cred_ids ||
	    !c.cred_names || !c.occ_reqs || !c.jobs || !c.ids) {
		st = pw_oom(err);
		goto done;
	}
	if ((st = load_catalog(&c)))
		goto done;
	for (size_t i = 0; i < n && !c.jr.fatal; i++) {
		imp_progress(opts, names[i], i, n);
		read_document(&c, names[i], data[i], lens[i]);
	}
	if ((st = c.jr.fatal))
		goto done;
	if (c.jr.errors) {
		st = pw_fail(err, PW_ERR_INVALID,
		             "%zu error%s in the input; nothing was imported",
		             c.jr.errors, c.jr.errors == 1 ? "" : "s");
		goto done;
	}
	json_t *doc = json_pack("{s:O}", "jobs", c.jobs);
	if (!doc) {
		st = pw_oom(err);
		goto done;
	}
	st = imp_write(e, opts, n == 1 ? names[0] : "jobs", doc, rep, sum, err);
	json_decref(doc);
done:
	jp_release(&c);
	return st;
}

pw_status pw_import_jobs(pw_engine *e, const char *const *paths, size_t n,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err)
{
	file_set fs;
	pw_status st = file_set_read(&fs, paths, n, MAX_FILE_BYTES, err);
	if (st)
		return st;
	st = pw_import_jobs_buffers(e, paths, FILE_SET_DATA(&fs), fs.lens, n,
	                            opts, rep, sum, err);
	file_set_release(&fs);
	return st;
}

/* ---- export ---- */

typedef struct out {
	jsonw w;
	json_t *skills;  /* id -> name */
	json_t *creds;   /* id -> name */
	json_t *credits; /* skill id -> {"onet": true, ...} */
	json_t *jobs;    /* ids */
} out;

static pw_status put_name_row(void *ctx, const scan_row *row)
{
	return json_object_set_new(ctx, row_text(row, 0),
	                           json_string(row_text(row, 1)))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

static pw_status put_job_id(void *ctx, const scan_row *row)
{
	return json_array_append_new(ctx, json_string(row_text(row, 0)))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

static pw_status put_framework(void *ctx, const scan_row *row)
{
	json_t *set = json_object_get(ctx, row_text(row, 0));
	if (!set) {
		set = json_object();
		if (!set || json_object_set_new(ctx, row_text(row, 0), set))
			return PW_ERR_NOMEM;
	}
	return json_object_set_new(set, row_text(row, 1), json_true())
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

/* Text the reader strips of HTML goes out escaped when it would look like
 * HTML, so that it reads back as it was (line breaks as <br>). */
static void text_out(out *o, const char *key, const char *text)
{
	if (!text)
		return;
	jw_key(&o->w, key);
	if (!jld_looks_like_html(text)) {
		jw_str(&o->w, text);
		return;
	}
	buf b;
	buf_init(&b);
	for (const char *p = text; *p; p++)
		switch (*p) {
		case '&': buf_puts(&b, "&amp;"); break;
		case '<': buf_puts(&b, "&lt;"); break;
		case '>': buf_puts(&b, "&gt;"); break;
		case '\n': buf_puts(&b, "<br>\n"); break;
		default: buf_putc(&b, *p);
		}
	char *escaped = buf_detach(&b);
	if (escaped)
		jw_str(&o->w, escaped);
	else
		o->w.out.failed = true;
	free(escaped);
}

static void typed(out *o, const char *type)
{
	jw_obj(&o->w);
	jw_key(&o->w, "@type");
	jw_str(&o->w, type);
}

static void skill_term(out *o, const char *skill, int level)
{
	typed(o, "DefinedTerm");
	jw_key(&o->w, "termCode");
	jw_str(&o->w, skill);
	text_out(o, "name",
	         json_string_value(json_object_get(o->skills, skill)));
	jw_key(&o->w, EXT_LEVEL);
	jw_int(&o->w, level);
}

/* "A or B or C" from the names of an any_of entry. */
static char *or_names(json_t *names, const char *const *ids, size_t n)
{
	buf b;
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		const char *name =
		    json_string_value(json_object_get(names, ids[i]));
		buf_puts(&b, i ? " or " : "");
		buf_puts(&b, name ? name : ids[i]);
	}
	return buf_detach(&b);
}

static void write_location(out *o, const rec_location *l)
{
	jw_key(&o->w, "jobLocation");
	typed(o, "Place");
	if (l->city || l->state) {
		jw_key(&o->w, "address");
		typed(o, "PostalAddress");
		text_out(o, "addressLocality", l->city);
		if (l->state) {
			jw_key(&o->w, "addressRegion");
			jw_str(&o->w, l->state);
			jw_key(&o->w, "addressCountry");
			jw_str(&o->w, "US");
		}
		jw_obj_end(&o->w);
	}
	if (l->has_lat || l->has_lon) {
		jw_key(&o->w, "geo");
		typed(o, "GeoCoordinates");
		if (l->has_lat) {
			jw_key(&o->w, "latitude");
			jw_real(&o->w, l->lat);
		}
		if (l->has_lon) {
			jw_key(&o->w, "longitude");
			jw_real(&o->w, l->lon);
		}
		jw_obj_end(&o->w);
	}
	if (l->county) {
		jw_key(&o->w, "additionalProperty");
		typed(o, "PropertyValue");
		jw_key(&o->w, "propertyID");
		jw_str(&o->w, "countyFIPS");
		jw_key(&o->w, "name");
		jw_str(&o->w, "County FIPS code");
		jw_key(&o->w, "value");
		jw_str(&o->w, l->county);
		jw_obj_end(&o->w);
	}
	jw_obj_end(&o->w);
}

static void write_wage(out *o, const rec_wage *w)
{
	jw_key(&o->w, "baseSalary");
	typed(o, "MonetaryAmount");
	jw_key(&o->w, "currency");
	jw_str(&o->w, "USD");
	jw_key(&o->w, "value");
	typed(o, "QuantitativeValue");
	if (w->has_min && w->has_max && w->min == w->max) {
		jw_key(&o->w, "value");
		jw_real(&o->w, w->min);
	} else {
		if (w->has_min) {
			jw_key(&o->w, "minValue");
			jw_real(&o->w, w->min);
		}
		if (w->has_max) {
			jw_key(&o->w, "maxValue");
			jw_real(&o->w, w->max);
		}
	}
	jw_key(&o->w, "unitText");
	jw_str(&o->w, strcmp(w->unit, "hour") == 0 ? "HOUR" : "YEAR");
	jw_obj_end(&o->w);
	jw_obj_end(&o->w);
}

/* Requirements as DefinedTerms carrying Pathway's extension terms; notes
 * in *onet and *esco whether a skill comes from those frameworks. */
static void write_skills(out *o, const rec_target *t, bool *onet, bool *esco)
{
	jw_key(&o->w, "skills");
	jw_arr(&o->w);
	for (size_t i = 0; i < t->nreqs; i++) {
		const rec_requirement *r = &t->reqs[i];
		size_t n = r->nalts ? r->nalts : 1;
		for (size_t a = 0; a < n; a++) {
			json_t *fw = json_object_get(
			    o->credits, r->nalts ? r->alts[a].skill : r->skill);
			*onet |= json_object_get(fw, "onet") != NULL;
			*esco |= json_object_get(fw, "esco") != NULL;
		}
		if (!r->nalts) {
			skill_term(o, r->skill, r->level);
		} else {
			const char *ids[64];
			size_t k = r->nalts < 64 ? r->nalts : 64;
			for (size_t a = 0; a < k; a++)
				ids[a] = r->alts[a].skill;
			char *name = or_names(o->skills, ids, k);
			typed(o, "DefinedTerm");
			text_out(o, "name", name ? name : "");
			free(name);
			jw_key(&o->w, EXT_ANY_OF);
			jw_arr(&o->w);
			for (size_t a = 0; a < r->nalts; a++) {
				skill_term(o, r->alts[a].skill,
				           r->alts[a].level);
				jw_obj_end(&o->w);
			}
			jw_arr_end(&o->w);
		}
		jw_key(&o->w, EXT_IMPORTANCE);
		jw_int(&o->w, r->importance);
		jw_key(&o->w, EXT_REQUIRED);
		jw_bool(&o->w, r->required);
		jw_obj_end(&o->w);
	}
	jw_arr_end(&o->w);
}

static void cred_term(out *o, const char *id)
{
	typed(o, "EducationalOccupationalCredential");
	jw_key(&o->w, "identifier");
	jw_str(&o->w, id);
	text_out(o, "name", json_string_value(json_object_get(o->creds, id)));
	jw_obj_end(&o->w);
}

static void write_credentials(out *o, const rec_target *t)
{
	jw_key(&o->w, "qualifications");
	jw_arr(&o->w);
	for (size_t i = 0; i < t->ncredreqs; i++) {
		const rec_credreq *cr = &t->credreqs[i];
		if (!cr->any_of) {
			cred_term(o, cr->creds.v[0]);
			continue;
		}
		size_t k = cr->creds.n < 64 ? cr->creds.n : 64;
		char *name = or_names(o->creds, cr->creds.v, k);
		typed(o, "EducationalOccupationalCredential");
		text_out(o, "name", name ? name : "");
		free(name);
		jw_key(&o->w, EXT_ANY_OF);
		jw_arr(&o->w);
		for (size_t a = 0; a < cr->creds.n; a++)
			cred_term(o, cr->creds.v[a]);
		jw_arr_end(&o->w);
		jw_obj_end(&o->w);
	}
	jw_arr_end(&o->w);
}

static void write_posting(out *o, const rec_target *t)
{
	char ymd[11];
	bool onet = false, esco = false;
	typed(o, "JobPosting");
	jw_key(&o->w, "identifier");
	typed(o, "PropertyValue");
	jw_key(&o->w, "propertyID");
	jw_str(&o->w, PATHWAY_ID);
	jw_key(&o->w, "value");
	jw_str(&o->w, t->id);
	jw_obj_end(&o->w);
	text_out(o, "title", t->title);
	text_out(o, "description", t->description);
	if (t->url) {
		jw_key(&o->w, "url");
		jw_str(&o->w, t->url);
	}
	if (t->posted != PW_DATE_NONE) {
		pw_date_format(t->posted, ymd);
		jw_key(&o->w, "datePosted");
		jw_str(&o->w, ymd);
	}
	if (t->expires != PW_DATE_NONE) {
		pw_date_format(t->expires, ymd);
		jw_key(&o->w, "validThrough");
		jw_str(&o->w, ymd);
	}
	if (t->employer) {
		jw_key(&o->w, "hiringOrganization");
		typed(o, "Organization");
		text_out(o, "name", t->employer);
		jw_obj_end(&o->w);
	}
	if (t->location.present)
		write_location(o, &t->location);
	if (t->remote) {
		jw_key(&o->w, "jobLocationType");
		jw_str(&o->w, "TELECOMMUTE");
	}
	if (t->wage.present && t->wage.unit)
		write_wage(o, &t->wage);
	jw_key(&o->w, "totalJobOpenings");
	jw_int(&o->w, t->openings);
	if (t->soc) {
		jw_key(&o->w, "occupationalCategory");
		jw_str(&o->w, t->soc);
	}
	write_skills(o, t, &onet, &esco);
	if (t->ncredreqs)
		write_credentials(o, t);
	if (onet || esco) {
		char credit[800];
		snprintf(credit, sizeof credit, "%s%s%s",
		         onet ? IMP_ONET_CREDIT : "", onet && esco ? " " : "",
		         esco ? IMP_ESCO_CREDIT : "");
		jw_key(&o->w, "creditText");
		jw_str(&o->w, credit);
	}
	jw_obj_end(&o->w);
}

pw_status pw_export_jobs_jsonld(pw_engine *e, unsigned flags, char **text,
                                pw_error *err)
{
	out o = {.skills = json_object(),
	         .creds = json_object(),
	         .credits = json_object(),
	         .jobs = json_array()};
	pw_status st = PW_OK;
	jw_init(&o.w, flags);
	if (!o.skills || !o.creds || !o.credits || !o.jobs) {
		st = pw_oom(err);
		goto done;
	}
	if ((st = store_scan(e->st, SCAN_NAMES_SKILL, put_name_row, o.skills,
	                     err)) ||
	    (st = store_scan(e->st, SCAN_NAMES_CRED, put_name_row, o.creds,
	                     err)) ||
	    (st = store_scan(e->st, SCAN_SKILL_CODES, put_framework, o.credits,
	                     err)) ||
	    (st = store_scan(e->st, SCAN_NAMES_JOB, put_job_id, o.jobs, err))) {
		if (st == PW_ERR_NOMEM)
			st = pw_oom(err);
		goto done;
	}
	jw_obj(&o.w);
	jw_key(&o.w, "@context");
	jw_str(&o.w, "https://schema.org/");
	jw_key(&o.w, "@graph");
	jw_arr(&o.w);
	size_t i;
	json_t *id;
	json_array_foreach(o.jobs, i, id)
	{
		arena a = {0};
		rec_target t;
		st = store_get_target(e->st, &a, PW_KIND_JOB,
		                      json_string_value(id), &t, err);
		if (!st)
			write_posting(&o, &t);
		arena_release(&a);
		if (st)
			goto done;
	}
	jw_arr_end(&o.w);
	jw_obj_end(&o.w);
	char *doc = jw_finish(&o.w);
	if (!doc) {
		st = pw_oom(err);
		goto done;
	}
	*text = doc;
done:
	if (st)
		free(jw_finish(&o.w));
	json_decref(o.skills);
	json_decref(o.creds);
	json_decref(o.credits);
	json_decref(o.jobs);
	return st;
}
