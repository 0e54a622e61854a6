/* ctdl.c - CTDL (FORMATS.md §3) in and out. Credentials described in the
 * Credential Transparency Description Language become native credentials,
 * with the skills they certify, written in one transaction through the
 * loader; a plan is written back as a CTDL Pathway. */
#include "import.h"
#include "jsonld.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CTDL_CONTEXT       "https://credreg.net/ctdl/schema/context/json"
#define REGISTRY_RESOURCES "https://credentialengineregistry.org/resources/"
#define ONET_SUMMARY       "https://www.onetonline.org/link/summary/"
#define ONET_TAXONOMY      "https://www.onetcenter.org/taxonomy.html"
#define SKILL_FRAMEWORK    "ctdl" /* the code a created skill carries */

/* One CTDL file at most: far beyond any registry graph, short of memory. */
#define MAX_FILE_BYTES (256u << 20)

/* How a duration becomes hours. Hours, minutes and seconds are time spent;
 * a day is a day of instruction (a "P3D" workshop); weeks, months and
 * years are calendar time of part-time study, which is how providers
 * describe programmes ("P9M, five to ten hours a week"). */
#define HOURS_PER_DAY        8.0
#define STUDY_HOURS_PER_WEEK 10.0
#define WEEKS_PER_YEAR       52.0
#define MAX_HOURS            1e6 /* the loader's bound on hours */

/* ---- credential classes ---- */

/* Every ceterms subclass of Credential, and the learning opportunities,
 * which the native model holds as courses. */
static const struct {
	const char *name, *type;
} classes[] = {
    {"Credential", "micro-credential"}, /* tried last */
    {"MicroCredential", "micro-credential"},
    {"Badge", "badge"},
    {"DigitalBadge", "badge"},
    {"OpenBadge", "badge"},
    {"Certification", "certification"},
    {"QualityAssuranceCredential", "certification"},
    {"License", "license"},
    {"Degree", "degree"},
    {"AssociateDegree", "degree"},
    {"BachelorDegree", "degree"},
    {"MasterDegree", "degree"},
    {"DoctoralDegree", "degree"},
    {"ProfessionalDoctorate", "degree"},
    {"ResearchDoctorate", "degree"},
    {"Certificate", "certificate"},
    {"AcademicCertificate", "certificate"},
    {"ApprenticeshipCertificate", "certificate"},
    {"BasicTechnicalCertificate", "certificate"},
    {"CertificateOfCompletion", "certificate"},
    {"CertificateOfParticipation", "certificate"},
    {"GeneralEducationLevel1Certificate", "certificate"},
    {"GeneralEducationLevel2Certificate", "certificate"},
    {"HigherEducationLevel1Certificate", "certificate"},
    {"HigherEducationLevel2Certificate", "certificate"},
    {"JourneymanCertificate", "certificate"},
    {"MasterCertificate", "certificate"},
    {"PostBaccalaureateCertificate", "certificate"},
    {"PostMasterCertificate", "certificate"},
    {"PreApprenticeshipCertificate", "certificate"},
    {"ProfessionalCertificate", "certificate"},
    {"ProficiencyCertificate", "certificate"},
    {"SecondaryEducationCertificate", "certificate"},
    {"TechnicalLevel1Certificate", "certificate"},
    {"TechnicalLevel2Certificate", "certificate"},
    {"TechnicalLevel3Certificate", "certificate"},
    {"WorkBasedLearningCertificate", "certificate"},
    {"Diploma", "certificate"},
    {"SecondarySchoolDiploma", "certificate"},
    {"GeneralEducationDevelopment", "certificate"},
    {"LearningOpportunityProfile", "course"},
    {"LearningProgram", "course"},
    {"Course", "course"},
};

/* The native type of a node's first credential class; NULL when it has
 * none. */
static const char *class_type(const json_t *node)
{
	if (!json_is_object(node))
		return NULL;
	const json_t *t = json_object_get(node, "@type");
	if (!t)
		t = json_object_get(node, "type");
	/* the abstract Credential only when no subclass is named */
	for (size_t k = 1; k <= PW_ARRAY_LEN(classes); k++) {
		size_t at = k % PW_ARRAY_LEN(classes);
		for (size_t i = 0; i < jld_count(t); i++)
			if (jld_term_is(json_string_value(jld_item(t, i)),
			                classes[at].name))
				return classes[at].type;
	}
	return NULL;
}

/* A node that describes a credential, not a bare reference to one. */
static bool is_credential(const json_t *node)
{
	return class_type(node) && !jld_is_ref(node);
}

/* The value of a CTDL property: "ceterms:X", "ceasn:X", a bare "X" (as
 * drafts write), then any key naming X; *key is set to the key found. */
static json_t *prop(const json_t *node, const char *local, const char **key)
{
	static const char *const prefixes[] = {"ceterms:", "ceasn:", ""};
	char k[128];
	if (!json_is_object(node))
		return NULL;
	for (size_t i = 0; i < PW_ARRAY_LEN(prefixes); i++) {
		snprintf(k, sizeof k, "%s%s", prefixes[i], local);
		void *it = json_object_iter_at((json_t *)node, k);
		if (it) {
			if (key)
				*key = json_object_iter_key(it);
			return json_object_iter_value(it);
		}
	}
	const char *name;
	json_t *v;
	json_object_foreach((json_t *)node, name, v)
	{
		if (jld_term_is(name, local)) {
			if (key)
				*key = name;
			return v;
		}
	}
	return NULL;
}

/* The local name of a vocabulary term: "costType:AggregateCost" ->
 * "AggregateCost", also after '/' or '#'. */
static const char *term_local(const char *term)
{
	const char *s = term;
	for (const char *p = term; *p; p++)
		if (*p == ':' || *p == '/' || *p == '#')
			s = p + 1;
	return s;
}

/* Does a concept-valued property (CAOs whose targetNode is a term, or the
 * terms as strings) hold the term named local? */
static bool concept_is(const json_t *v, const char *local)
{
	for (size_t i = 0; i < jld_count(v); i++) {
		const json_t *x = jld_item(v, i);
		const char *t = json_is_object(x)
		                    ? jld_id(prop(x, "targetNode", NULL))
		                    : json_string_value(x);
		if (t && strcasecmp(term_local(t), local) == 0)
			return true;
	}
	return false;
}

/* ---- text ---- */

static bool blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\f' || ch == '\v';
}

/* Trims s in place; returns s. */
static char *trim(char *s)
{
	size_t a = 0, n = strlen(s);
	while (a < n && blank(s[a]))
		a++;
	while (n > a && blank(s[n - 1]))
		n--;
	memmove(s, s + a, n - a);
	s[n - a] = '\0';
	return s;
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

/* ---- CTIDs and reference keys ---- */

#define CTID_LEN 39 /* "ce-" and a UUID */

static bool is_ctid(const char *s, size_t n)
{
	static const char shape[] = "ce-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	if (n != CTID_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (shape[i] == 'x' ? !isxdigit(ch) : tolower(ch) != shape[i])
			return false;
	}
	return true;
}

/* The CTID s is, or ends in after '/' or ':' (a registry URI
 * ".../resources/ce-...", a compact "res:ce-..."), in lower case. */
static bool ctid_of(const char *s, char out[static CTID_LEN + 1])
{
	size_t n = strlen(s);
	if (n < CTID_LEN)
		return false;
	const char *tail = s + n - CTID_LEN;
	if (n > CTID_LEN && tail[-1] != '/' && tail[-1] != ':')
		return false;
	if (!is_ctid(tail, CTID_LEN))
		return false;
	for (size_t i = 0; i < CTID_LEN; i++)
		out[i] = (char)tolower((unsigned char)tail[i]);
	out[CTID_LEN] = '\0';
	return true;
}

/* How a reference to a credential is looked up: a CTID (whatever URI or
 * case carries it) stands for itself, anything else as written. Points
 * into s or into buf. */
static const char *ref_key(const char *s, char kbuf[static CTID_LEN + 1])
{
	return ctid_of(s, kbuf) ? kbuf : s;
}

/* ---- O*NET-SOC codes ---- */

static bool digits_at(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The O*NET-SOC code in text: "15-1131.00", "15-1131" (".00" added), or
 * such a code inside a URL (onetonline.org/link/summary/15-1131.00). */
static bool soc_in(const char *text, char out[static 11])
{
	size_t n = strlen(text);
	for (size_t i = 0; i + 7 <= n; i++) {
		const char *s = text + i;
		if ((i && isdigit((unsigned char)s[-1])) || !digits_at(s, 2) ||
		    s[2] != '-' || !digits_at(s + 3, 4))
			continue;
		size_t len = 7;
		if (i + 10 <= n && s[7] == '.' && digits_at(s + 8, 2))
			len = 10;
		if (i + len < n && isdigit((unsigned char)s[len]))
			continue;
		memcpy(out, s, 7);
		memcpy(out + 7, len == 10 ? s + 7 : ".00", 3);
		out[10] = '\0';
		return true;
	}
	return false;
}

/* ---- ISO 8601 durations ---- */

typedef struct duration {
	double y, mo, w, d, h, mi, s;
} duration;

/* "P1Y2M", "P2W", "P3D", "PT16H", "PT1H30M", "P1DT4H", fractions with '.'
 * or ','. Each part at most once, in order; at least one part. */
static bool parse_duration(const char *text, duration *out)
{
	static const char date_units[] = "YMWD", time_units[] = "HMS";
	double v[7] = {0};
	const char *p = text;
	while (blank(*p))
		p++;
	if (*p != 'P' && *p != 'p')
		return false;
	p++;
	bool any = false, in_time = false;
	int next = 0; /* the first unit still allowed, 0-3 date, 4-6 time */
	while (*p && !blank(*p)) {
		if (*p == 'T' || *p == 't') {
			if (in_time)
				return false;
			in_time = true;
			next = 4;
			p++;
			if (!*p || blank(*p))
				return false;
			continue;
		}
		char num[40];
		size_t k = 0;
		bool point = false;
		while ((isdigit((unsigned char)*p) ||
		        ((*p == '.' || *p == ',') && !point)) &&
		       k < sizeof num - 1) {
			point |= *p == '.' || *p == ',';
			num[k++] = *p == ',' ? '.' : *p;
			p++;
		}
		num[k] = '\0';
		if (!k || !isdigit((unsigned char)num[0]) || num[k - 1] == '.')
			return false;
		const char *units = in_time ? time_units : date_units;
		const char *u =
		    *p ? strchr(units, toupper((unsigned char)*p)) : NULL;
		if (!u)
			return false;
		int slot = (int)(u - units) + (in_time ? 4 : 0);
		if (slot < next)
			return false;
		v[slot] = strtod(num, NULL);
		if (!isfinite(v[slot]))
			return false;
		next = slot + 1;
		any = true;
		p++;
	}
	while (blank(*p))
		p++;
	if (*p || !any)
		return false;
	*out = (duration){v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
	return true;
}

static double duration_hours(const duration *d)
{
	double weeks =
	    d->w + d->y * WEEKS_PER_YEAR + d->mo * WEEKS_PER_YEAR / 12.0;
	return d->h + d->mi / 60.0 + d->s / 3600.0 + d->d * HOURS_PER_DAY +
	       weeks * STUDY_HOURS_PER_WEEK;
}

/* ---- the import ---- */

typedef struct doc {
	const char *file;
	json_t *root;  /* the parsed file */
	json_t *index; /* its nodes by id */
} doc;

typedef struct found {
	json_t *node; /* borrowed from its document */
	size_t doc;
	char path[512];
	char id[129];
	bool dup; /* another description of a credential already read */
} found;

typedef struct ctdl {
	jld_reader jr; /* first: report, counts, file, path, index */
	pw_engine *e;

	/* the stored catalog, and the skills this import creates */
	json_t *skill_ids;   /* id -> true */
	json_t *skill_names; /* folded name or alias -> id */
	json_t *skill_codes; /* code of any framework -> id */
	json_t *cred_keys;   /* reference key of a stored id or alias -> id */

	/* what is read */
	doc *docs;
	size_t ndocs;
	found *nodes;
	size_t nnodes, cap;
	json_t *keys;   /* reference key -> id, for this import's credentials */
	json_t *by_ptr; /* node address -> id, for embedded credentials */
	json_t *firsts; /* id -> where it was first described */

	/* what is written */
	json_t *creds, *skills;
	json_t *cred_where;  /* per credential: [file, path, {native: path}] */
	json_t *skill_where; /* per skill: [file, path] */

	/* the node being read */
	json_t *sub; /* native sub-path -> JSON path, for loader reports */
} ctdl;

/* Remembers where the value of a native field came from. */
static void mark(ctdl *c, const char *native)
{
	if (c->sub && !json_object_get(c->sub, native))
		jr_set_new(&c->jr, c->sub, native,
		           json_string(jld_path_str(&c->jr.path)));
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

static pw_status add_skill_names(void *ctx, const scan_row *row)
{
	ctdl *c = ctx;
	const char *id = row_text(row, 0), *name = row_text(row, 1);
	if (json_object_set_new(c->skill_ids, id, json_true()) ||
	    put_name(c->skill_names, name, strlen(name), id))
		return PW_ERR_NOMEM;
	if (row_null(row, 2))
		return PW_OK;
	for (const char *a = row_text(row, 2); *a;) {
		const char *sep = strchr(a, '\x1f');
		size_t n = sep ? (size_t)(sep - a) : strlen(a);
		if (put_name(c->skill_names, a, n, id))
			return PW_ERR_NOMEM;
		a += n + (sep ? 1 : 0);
	}
	return PW_OK;
}

static pw_status add_skill_code(void *ctx, const scan_row *row)
{
	ctdl *c = ctx;
	const char *code = row_text(row, 2);
	if (json_object_get(c->skill_codes, code))
		return PW_OK;
	return json_object_set_new(c->skill_codes, code,
	                           json_string(row_text(row, 0)))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

static int put_key(json_t *map, const char *ref, size_t n, const char *id)
{
	char tmp[600], kbuf[CTID_LEN + 1];
	if (n >= sizeof tmp)
		return 0; /* no reference is that long */
	memcpy(tmp, ref, n);
	tmp[n] = '\0';
	const char *key = ref_key(tmp, kbuf);
	if (!*key || json_object_get(map, key))
		return 0;
	return json_object_set_new(map, key, json_string(id));
}

static pw_status add_cred_keys(void *ctx, const scan_row *row)
{
	ctdl *c = ctx;
	const char *id = row_text(row, 0);
	if (put_key(c->cred_keys, id, strlen(id), id))
		return PW_ERR_NOMEM;
	if (row_null(row, 2))
		return PW_OK;
	for (const char *a = row_text(row, 2); *a;) {
		const char *sep = strchr(a, '\x1f');
		size_t n = sep ? (size_t)(sep - a) : strlen(a);
		if (put_key(c->cred_keys, a, n, id))
			return PW_ERR_NOMEM;
		a += n + (sep ? 1 : 0);
	}
	return PW_OK;
}

static pw_status load_catalog(ctdl *c)
{
	pw_status st;
	if ((st = store_scan(c->e->st, SCAN_NAMES_SKILL, add_skill_names, c,
	                     c->jr.err)) ||
	    (st = store_scan(c->e->st, SCAN_SKILL_CODES, add_skill_code, c,
	                     c->jr.err)) ||
	    (st = store_scan(c->e->st, SCAN_NAMES_CRED, add_cred_keys, c,
	                     c->jr.err)))
		return st == PW_ERR_NOMEM ? pw_oom(c->jr.err) : st;
	return PW_OK;
}

/* ---- text fields ---- */

/* The text of a property (preferring English), trimmed, HTML made plain
 * when html; NULL when absent. Anything but text is an error. */
static char *text_field(ctdl *c, const json_t *node, const char *local,
                        bool html)
{
	const char *key;
	json_t *v = prop(node, local, &key);
	char *out = NULL;
	if (!v || json_is_null(v))
		return NULL;
	size_t s = jld_path_key(&c->jr.path, key);
	const char *t = jld_text(v, "en");
	if (!t)
		jr_fail(&c->jr,
		        "expected text (a string, a language map or a value "
		        "object), found %s",
		        jld_type_name(v));
	else if (!(out = html ? jld_html_text(t) : strdup(t)))
		jr_oom(&c->jr);
	else
		trim(out);
	jld_path_back(&c->jr.path, s);
	return out;
}

/* A property that holds one URI: a string or {"@id"}. */
static const char *uri_field(ctdl *c, const json_t *node, const char *local)
{
	const char *key;
	json_t *v = prop(node, local, &key);
	if (!jld_count(v))
		return NULL;
	json_t *x = jld_item(v, 0);
	const char *id = jld_id(x);
	if (!id) {
		size_t s = jld_path_key(&c->jr.path, key);
		jr_fail(&c->jr, "expected a URI, found %s", jld_type_name(x));
		jld_path_back(&c->jr.path, s);
	}
	return id;
}

/* ---- skills ---- */

/* What a competency reference says: the competency's URI, its name and
 * its code. */
typedef struct align {
	const char *node, *name, *code;
} align;

/* A ceasn:Competency node (or one shaped as such). */
static bool is_competency(const json_t *v)
{
	return jld_has_type(v, "Competency") ||
	       prop(v, "competencyText", NULL) ||
	       prop(v, "competencyLabel", NULL);
}

static void read_competency(const json_t *v, align *a)
{
	a->node = jld_id(v);
	a->name = jld_text(prop(v, "competencyLabel", NULL), "en");
	if (!a->name)
		a->name = jld_text(prop(v, "competencyText", NULL), "en");
	if (!a->name)
		a->name = jld_text(prop(v, "name", NULL), "en");
	a->code = json_string_value(prop(v, "codedNotation", NULL));
	/* an empty URI or code says nothing */
	if (a->node && !*a->node)
		a->node = NULL;
	if (a->code && !*a->code)
		a->code = NULL;
}

/* Reads a CredentialAlignmentObject, a competency or a reference to one.
 * false (with an error) for a value of the wrong kind. */
static bool read_align(ctdl *c, json_t *v, align *a)
{
	jld_path saved;
	*a = (align){0};
	json_t *r = jr_follow(&c->jr, v, &saved);
	bool ok = true;
	if (json_is_string(r)) {
		a->node = json_string_value(r);
	} else if (!json_is_object(r)) {
		jr_fail(&c->jr,
		        "expected a CredentialAlignmentObject, found %s",
		        jld_type_name(r));
		ok = false;
	} else if (is_competency(r) && !prop(r, "targetNode", NULL) &&
	           !prop(r, "targetNodeName", NULL)) {
		read_competency(r, a);
	} else {
		const char *key;
		json_t *name = prop(r, "targetNodeName", &key);
		a->node = jld_id(prop(r, "targetNode", NULL));
		if (name && !(a->name = jld_text(name, "en"))) {
			size_t s = jld_path_key(&c->jr.path, key);
			jr_fail(&c->jr, "expected text, found %s",
			        jld_type_name(name));
			jld_path_back(&c->jr.path, s);
			ok = false;
		}
		json_t *code = prop(r, "codedNotation", &key);
		a->code = json_string_value(code);
		if (code && !a->code) {
			size_t s = jld_path_key(&c->jr.path, key);
			jr_fail(&c->jr, "expected a string, found %s",
			        jld_type_name(code));
			jld_path_back(&c->jr.path, s);
			ok = false;
		}
		json_t *target =
		    a->node ? jld_resolve(c->jr.index,
		                          prop(r, "targetNode", NULL), NULL)
		            : NULL;
		if (json_is_object(target) && is_competency(target)) {
			align more;
			read_competency(target, &more);
			if (!a->name)
				a->name = more.name;
			if (!a->code)
				a->code = more.code;
		}
	}
	/* an empty URI or code says nothing */
	if (a->node && !*a->node)
		a->node = NULL;
	if (a->code && !*a->code)
		a->code = NULL;
	c->jr.path = saved;
	return ok;
}

/* A competency URI that carries a CTID in its registry form, so that
 * "res:ce-...", sandbox and graph URIs name one competency; else as
 * written. Points into uri or out. */
static const char *canonical(const char *uri, char out[static 128])
{
	char ctid[CTID_LEN + 1];
	if (!ctid_of(uri, ctid))
		return uri;
	snprintf(out, 128, "%s%s", REGISTRY_RESOURCES, ctid);
	return out;
}

/* A new skill for a competency the catalog lacks: its id is a slug of the
 * name, kept apart by a hash of the competency when taken. */
static const char *new_skill(ctdl *c, const align *a, const char *name)
{
	char id[129];
	imp_slug_id(SKILL_FRAMEWORK ".", name, id);
	const char *basis = a->node ? a->node : name;
	uint64_t h = imp_hash(basis, strlen(basis), 0);
	size_t n = strlen(id);
	while (json_object_get(c->skill_ids, id)) {
		char base[110];
		snprintf(base, sizeof base, "%.*s", (int)(n < 100 ? n : 100),
		         id);
		snprintf(id, sizeof id, "%s-%08llx", base,
		         (unsigned long long)(h & 0xffffffffu));
		h = imp_hash(id, strlen(id), h);
	}
	char canon[128];
	const char *code = a->node ? canonical(a->node, canon) : a->code;
	json_t *skill = json_pack("{s:s,s:s}", "id", id, "name", name);
	if (!skill) {
		jr_oom(&c->jr);
		return NULL;
	}
	if (code)
		jr_set_new(&c->jr, skill, "codes",
		           json_pack("{s:s}", SKILL_FRAMEWORK, code));
	if (json_array_append_new(c->skills, skill) ||
	    json_array_append_new(
	        c->skill_where,
	        json_pack("[s,s]", c->jr.file, jld_path_str(&c->jr.path))) ||
	    json_object_set_new(c->skill_ids, id, json_true()) ||
	    put_name(c->skill_names, name, strlen(name), id) ||
	    (code && !json_object_get(c->skill_codes, code) &&
	     json_object_set_new(c->skill_codes, code, json_string(id)))) {
		jr_oom(&c->jr);
		return NULL;
	}
	return json_string_value(json_object_get(skill, "id"));
}

/* The skill a competency names: by its URI or code among skill codes,
 * else by name or alias (caseless), else a new skill; NULL (with a note)
 * when it has neither a match nor a name. */
static const char *skill_of(ctdl *c, const align *a)
{
	const char *id = NULL;
	char tmp[72], canon[128];
	if (a->node)
		id =
		    json_string_value(json_object_get(c->skill_codes, a->node));
	if (!id && a->node)
		id = json_string_value(
		    json_object_get(c->skill_codes, canonical(a->node, canon)));
	if (!id && a->code)
		id =
		    json_string_value(json_object_get(c->skill_codes, a->code));
	if (id)
		return id;
	char *name = a->name ? strdup(a->name) : NULL;
	if (a->name && !name) {
		jr_oom(&c->jr);
		return NULL;
	}
	if (name && *trim(name)) {
		char *key = jld_fold(name, strlen(name));
		if (!key) {
			jr_oom(&c->jr);
		} else {
			id = json_string_value(
			    json_object_get(c->skill_names, key));
			free(key);
			if (!id)
				id = new_skill(c, a, name);
		}
	} else {
		const char *what = a->node   ? a->node
		                   : a->code ? a->code
		                             : "(unnamed)";
		jr_note(
		    &c->jr,
		    "competency '%s' has no name and matches no skill; left "
		    "out",
		    clip(what, tmp));
	}
	free(name);
	return id;
}

static void add_skill(ctdl *c, json_t *skills, json_t *seen, const char *id)
{
	if (!id || json_object_get(seen, id))
		return;
	char native[40];
	snprintf(native, sizeof native, "skills[%zu]", json_array_size(skills));
	mark(c, native);
	if (json_object_set_new(seen, id, json_true()) ||
	    json_array_append_new(skills, json_pack("{s:s}", "skill", id)))
		jr_oom(&c->jr);
}

/* The competencies of a property (targetCompetency, teaches, assesses). */
static void competencies(ctdl *c, const json_t *node, const char *local,
                         json_t *skills, json_t *seen)
{
	const char *key;
	json_t *v = prop(node, local, &key);
	if (!v)
		return;
	size_t s = jld_path_key(&c->jr.path, key);
	for (size_t i = 0; i < jld_count(v) && !c->jr.fatal; i++) {
		size_t s2 = jld_path_item(&c->jr.path, v, i);
		align a;
		if (read_align(c, jld_item(v, i), &a))
			add_skill(c, skills, seen, skill_of(c, &a));
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
}

/* ---- credential references ---- */

/* The id of the credential a reference names: one of this import (by
 * node, CTID, URI), else a stored one (by CTID, URI or id); NULL when
 * neither knows it. */
static const char *cred_ref(ctdl *c, json_t *v)
{
	char ptr[40], kbuf[CTID_LEN + 1];
	if (json_is_object(v)) {
		snprintf(ptr, sizeof ptr, "%p", (void *)v);
		const char *id =
		    json_string_value(json_object_get(c->by_ptr, ptr));
		if (id)
			return id;
	}
	const char *ref = jld_id(v);
	if (!ref)
		return NULL;
	const char *key = ref_key(ref, kbuf);
	const char *id = json_string_value(json_object_get(c->keys, key));
	return id ? id : json_string_value(json_object_get(c->cred_keys, key));
}

/* Adds a prerequisite or component id once; self is an error. */
static void add_ref(ctdl *c, json_t *list, const char *native, const char *id,
                    const char *self, const char *what)
{
	if (strcmp(id, self) == 0) {
		jr_fail(&c->jr, "the credential lists itself as %s", what);
		return;
	}
	size_t i;
	json_t *x;
	json_array_foreach(list, i,
	                   x) if (strcmp(json_string_value(x), id) == 0) return;
	char key[40];
	snprintf(key, sizeof key, "%s[%zu]", native, json_array_size(list));
	mark(c, native);
	mark(c, key);
	if (json_array_append_new(list, json_string(id)))
		jr_oom(&c->jr);
}

/* targetCredential of a condition profile: prerequisites. */
static void target_credentials(ctdl *c, const json_t *cp, json_t *prereqs,
                               const char *self)
{
	const char *key;
	json_t *v = prop(cp, "targetCredential", &key);
	char tmp[72];
	if (!v)
		return;
	size_t s = jld_path_key(&c->jr.path, key);
	for (size_t i = 0; i < jld_count(v); i++) {
		json_t *x = jld_item(v, i);
		size_t s2 = jld_path_item(&c->jr.path, v, i);
		const char *id = cred_ref(c, x);
		if (id)
			add_ref(c, prereqs, "prerequisites", id, self,
			        "a prerequisite");
		else if (!json_is_string(x) && !json_is_object(x))
			jr_fail(&c->jr, "expected a credential URI, found %s",
			        jld_type_name(x));
		else
			jr_note(
			    &c->jr,
			    "prerequisite '%s' is neither in the catalog nor "
			    "in this import; left out",
			    clip(jld_id(x) ? jld_id(x) : "(no id)", tmp));
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
}

/* targetLearningOpportunity and targetAssessment found in the document:
 * what they teach or assess the credential certifies. */
static void required_learning(ctdl *c, const json_t *cp, json_t *skills,
                              json_t *seen)
{
	static const char *const keys[] = {"targetLearningOpportunity",
	                                   "targetAssessment"};
	for (size_t k = 0; k < PW_ARRAY_LEN(keys); k++) {
		const char *key;
		json_t *v = prop(cp, keys[k], &key);
		if (!v)
			continue;
		size_t s = jld_path_key(&c->jr.path, key);
		for (size_t i = 0; i < jld_count(v); i++) {
			size_t s2 = jld_path_item(&c->jr.path, v, i);
			jld_path saved;
			json_t *r = jr_follow(&c->jr, jld_item(v, i), &saved);
			if (json_is_object(r) && !jld_is_ref(r)) {
				competencies(c, r, "teaches", skills, seen);
				competencies(c, r, "assesses", skills, seen);
			}
			c->jr.path = saved;
			jld_path_back(&c->jr.path, s2);
		}
		jld_path_back(&c->jr.path, s);
	}
}

/* ---- the credential's fields ---- */

typedef struct gather {
	json_t *skills, *seen_skills, *prereqs;
	json_t *credit; /* the first creditValue met, or NULL */
	char credit_path[512];
} gather;

/* requires (and entryCondition for prerequisites): condition profiles,
 * given in place or by reference. */
static void conditions(ctdl *c, const json_t *node, const char *local,
                       gather *g, const char *self, bool certifies)
{
	const char *key;
	json_t *v = prop(node, local, &key);
	char tmp[72];
	if (!v)
		return;
	size_t s = jld_path_key(&c->jr.path, key);
	mark(c, "prerequisites");
	for (size_t i = 0; i < jld_count(v) && !c->jr.fatal; i++) {
		json_t *x = jld_item(v, i);
		size_t s2 = jld_path_item(&c->jr.path, v, i);
		jld_path saved;
		json_t *r = jr_follow(&c->jr, x, &saved);
		const char *id;
		if (!json_is_string(r) && !json_is_object(r)) {
			jr_fail(&c->jr, "expected a ConditionProfile, found %s",
			        jld_type_name(r));
		} else if (jld_is_ref(r) && (id = cred_ref(c, r))) {
			/* drafts name the credential required directly */
			add_ref(c, g->prereqs, "prerequisites", id, self,
			        "a prerequisite");
		} else if (jld_is_ref(r)) {
			jr_note(
			    &c->jr,
			    "condition profile '%s' is not in the document; "
			    "not read",
			    clip(jld_id(r) ? jld_id(r) : "(no id)", tmp));
		} else if (is_credential(r)) {
			id = cred_ref(c, x);
			if (id)
				add_ref(c, g->prereqs, "prerequisites", id,
				        self, "a prerequisite");
		} else if (is_competency(r)) {
			if (certifies) {
				align a;
				read_competency(r, &a);
				add_skill(c, g->skills, g->seen_skills,
				          skill_of(c, &a));
			}
		} else {
			if (certifies) {
				competencies(c, r, "targetCompetency",
				             g->skills, g->seen_skills);
				required_learning(c, r, g->skills,
				                  g->seen_skills);
				const char *ck;
				json_t *credit = prop(r, "creditValue", &ck);
				if (credit && !g->credit) {
					size_t s3 =
					    jld_path_key(&c->jr.path, ck);
					g->credit = credit;
					snprintf(g->credit_path,
					         sizeof g->credit_path, "%s",
					         jld_path_str(&c->jr.path));
					jld_path_back(&c->jr.path, s3);
				}
			}
			target_credentials(c, r, g->prereqs, self);
		}
		c->jr.path = saved;
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
}

/* estimatedDuration: exactDuration, else the mean of minimum and maximum,
 * else the one given; the first profile that gives one wins. */
static void hours_field(ctdl *c, const json_t *node, json_t *out)
{
	static const char *const keys[] = {"exactDuration", "minimumDuration",
	                                   "maximumDuration"};
	const char *key;
	json_t *v = prop(node, "estimatedDuration", &key);
	char tmp[72];
	bool got = false;
	size_t before = c->jr.errors;
	if (!v)
		return;
	size_t s = jld_path_key(&c->jr.path, key);
	for (size_t i = 0; i < jld_count(v) && !got; i++) {
		size_t s2 = jld_path_item(&c->jr.path, v, i);
		jld_path saved;
		json_t *r = jr_follow(&c->jr, jld_item(v, i), &saved);
		double h[3];
		bool has[3] = {false, false, false}, bad = false;
		if (!json_is_string(r) && !json_is_object(r)) {
			jr_fail(&c->jr, "expected a DurationProfile, found %s",
			        jld_type_name(r));
			bad = true;
		}
		for (size_t k = 0; k < 3 && !bad; k++) {
			const char *dk = key;
			json_t *d = json_is_string(r) && k == 0
			                ? r
			                : prop(r, keys[k], &dk);
			if (!d)
				continue;
			size_t s3 = d == r ? c->jr.path.len
			                   : jld_path_key(&c->jr.path, dk);
			duration du;
			if (!json_is_string(d)) {
				jr_fail(
				    &c->jr,
				    "expected an ISO 8601 duration, found %s",
				    jld_type_name(d));
				bad = true;
			} else if (!parse_duration(json_string_value(d), &du)) {
				jr_fail(
				    &c->jr,
				    "'%s' is not an ISO 8601 duration (such as "
				    "PT16H, P3D, P2W or P9M)",
				    clip(json_string_value(d), tmp));
				bad = true;
			} else if ((h[k] = duration_hours(&du)) > MAX_HOURS) {
				jr_fail(&c->jr, "'%s' is longer than %g hours",
				        clip(json_string_value(d), tmp),
				        MAX_HOURS);
				bad = true;
			} else {
				has[k] = true;
				if (!got)
					mark(c, "hours");
			}
			jld_path_back(&c->jr.path, s3);
		}
		if (!bad && (has[0] || has[1] || has[2])) {
			double hours = has[0]             ? h[0]
			               : has[1] && has[2] ? (h[1] + h[2]) / 2
			               : has[1]           ? h[1]
			                                  : h[2];
			jr_set_new(&c->jr, out, "hours",
			           json_real(num_round(hours, 1)));
			got = true;
		}
		c->jr.path = saved;
		jld_path_back(&c->jr.path, s2);
	}
	if (!got && c->jr.errors == before)
		jr_note(&c->jr,
		        "no exactDuration, minimumDuration or maximumDuration: "
		        "hours unknown, so the credential is never planned");
	jld_path_back(&c->jr.path, s);
}

static bool usd(const char *currency)
{
	static const char *const names[] = {
	    "USD",    "US Dollar", "US Dollars", "U.S. Dollar", "U.S. Dollars",
	    "Dollar", "Dollars",   "$",          "US$"};
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%s", currency);
	trim(tmp);
	for (size_t i = 0; i < PW_ARRAY_LEN(names); i++)
		if (strcasecmp(tmp, names[i]) == 0)
			return true;
	return false;
}

/* estimatedCost in US dollars: the least AggregateCost when one is given;
 * else, per directCostType, the least price (several prices of one type
 * are alternatives: in-state or out-of-state tuition), summed over the
 * types. A profile without a directCostType counts on its own. */
static void cost_field(ctdl *c, const json_t *node, json_t *out)
{
	const char *key;
	json_t *v = prop(node, "estimatedCost", &key);
	json_t *least = json_object(); /* cost type -> least price */
	double aggregate = INFINITY;
	size_t priced = 0, before = c->jr.errors;
	char tmp[72];
	if (!v) {
		json_decref(least);
		return;
	}
	if (!least) {
		jr_oom(&c->jr);
		return;
	}
	size_t s = jld_path_key(&c->jr.path, key);
	for (size_t i = 0; i < jld_count(v); i++) {
		size_t s2 = jld_path_item(&c->jr.path, v, i);
		jld_path saved;
		json_t *r = jr_follow(&c->jr, jld_item(v, i), &saved);
		const char *pk, *ck;
		json_t *price =
		    json_is_object(r) ? prop(r, "price", &pk) : NULL;
		double p;
		if (!json_is_object(r)) {
			jr_fail(&c->jr, "expected a CostProfile, found %s",
			        jld_type_name(r));
		} else if (price && !json_is_null(price)) {
			size_t s3 = jld_path_key(&c->jr.path, pk);
			json_t *cur = prop(r, "currency", &ck);
			const char *currency = jld_text(cur, "en");
			if (!jld_number(price, JLD_NUM_MONEY, &p)) {
				if (json_is_string(price))
					jr_fail(&c->jr, "'%s' is not a price",
					        clip(json_string_value(price),
					             tmp));
				else
					jr_fail(&c->jr,
					        "expected a price (a number), "
					        "found %s",
					        jld_type_name(price));
			} else if (p < 0) {
				jr_fail(&c->jr, "a negative price (%g)", p);
			} else if (p > 1e9) {
				jr_fail(&c->jr, "a price of %g is past 1e9", p);
			} else if (cur && !currency) {
				jld_path_back(&c->jr.path, s3);
				s3 = jld_path_key(&c->jr.path, ck);
				jr_fail(&c->jr,
				        "expected a currency code, found %s",
				        jld_type_name(cur));
			} else if (currency && !usd(currency)) {
				jld_path_back(&c->jr.path, s3);
				s3 = jld_path_key(&c->jr.path, ck);
				jr_note(
				    &c->jr,
				    "a price in '%s' is not counted (costs are "
				    "in US dollars)",
				    clip(currency, tmp));
			} else {
				json_t *type = prop(r, "directCostType", NULL);
				const char *t = NULL;
				if (jld_count(type)) {
					json_t *x = jld_item(type, 0);
					t = json_is_object(x)
					        ? jld_id(prop(x, "targetNode",
					                      NULL))
					        : json_string_value(x);
				}
				if (concept_is(type, "AggregateCost")) {
					aggregate = fmin(aggregate, p);
				} else {
					char own[40];
					snprintf(own, sizeof own, "#%zu", i);
					const char *k = t ? term_local(t) : own;
					json_t *have =
					    json_object_get(least, k);
					if (!have || p < json_real_value(have))
						jr_set_new(&c->jr, least, k,
						           json_real(p));
				}
				priced++;
			}
			jld_path_back(&c->jr.path, s3);
		}
		c->jr.path = saved;
		jld_path_back(&c->jr.path, s2);
	}
	if (priced) {
		double total = 0;
		const char *k;
		json_t *x;
		json_object_foreach(least, k, x) total += json_real_value(x);
		mark(c, "cost");
		jr_set_new(&c->jr, out, "cost",
		           json_real(num_round(
		               isfinite(aggregate) ? aggregate : total, 2)));
	} else if (c->jr.errors == before) {
		jr_note(&c->jr, "no price in US dollars: cost unknown, so the "
		                "credential is never planned");
	}
	jld_path_back(&c->jr.path, s);
	json_decref(least);
}

static void occupations_field(ctdl *c, const json_t *node, json_t *out)
{
	const char *key;
	json_t *v = prop(node, "occupationType", &key);
	json_t *list = json_array();
	char tmp[72], soc[11];
	if (!list) {
		jr_oom(&c->jr);
		return;
	}
	size_t s = v ? jld_path_key(&c->jr.path, key) : c->jr.path.len;
	for (size_t i = 0; i < jld_count(v); i++) {
		size_t s2 = jld_path_item(&c->jr.path, v, i);
		jld_path saved;
		json_t *r = jr_follow(&c->jr, jld_item(v, i), &saved);
		bool got = false;
		const char *name = NULL;
		if (json_is_string(r)) {
			got = soc_in(json_string_value(r), soc);
			name = json_string_value(r);
		} else if (json_is_object(r)) {
			const char *code =
			    json_string_value(prop(r, "codedNotation", NULL));
			const char *target =
			    jld_id(prop(r, "targetNode", NULL));
			got = (code && soc_in(code, soc)) ||
			      (target && soc_in(target, soc));
			name = jld_text(prop(r, "targetNodeName", NULL), "en");
			if (!name)
				name = code ? code : target;
		} else {
			jr_fail(
			    &c->jr,
			    "expected a CredentialAlignmentObject, found %s",
			    jld_type_name(r));
		}
		if (got) {
			bool seen = false;
			size_t k;
			json_t *x;
			json_array_foreach(list, k, x) seen |=
			    strcmp(json_string_value(x), soc) == 0;
			if (!seen) {
				char native[40];
				snprintf(native, sizeof native,
				         "occupations[%zu]",
				         json_array_size(list));
				mark(c, native);
				if (json_array_append_new(list,
				                          json_string(soc)))
					jr_oom(&c->jr);
			}
		} else if (json_is_string(r) || json_is_object(r)) {
			jr_note(
			    &c->jr,
			    "occupation '%s' has no O*NET-SOC code; left out",
			    clip(name ? name : "(unnamed)", tmp));
		}
		c->jr.path = saved;
		jld_path_back(&c->jr.path, s2);
	}
	jld_path_back(&c->jr.path, s);
	if (json_array_size(list))
		jr_set_new(&c->jr, out, "occupations", list);
	else
		json_decref(list);
}

/* hasPart: the credentials a stacked credential is made of. A part that
 * is not a credential is left out; when a credential part is unknown, no
 * part is kept, since holding the known ones would not be holding it. */
static void components_field(ctdl *c, const json_t *node, json_t *out,
                             const char *self)
{
	const char *key;
	json_t *v = prop(node, "hasPart", &key);
	json_t *list = json_array();
	size_t unknown = 0;
	char tmp[72];
	if (!list) {
		jr_oom(&c->jr);
		return;
	}
	size_t s = v ? jld_path_key(&c->jr.path, key) : c->jr.path.len;
	if (v)
		mark(c, "components");
	for (size_t i = 0; i < jld_count(v); i++) {
		json_t *x = jld_item(v, i);
		size_t s2 = jld_path_item(&c->jr.path, v, i);
		const char *id = cred_ref(c, x);
		json_t *r = jld_resolve(c->jr.index, x, NULL);
		const char *type = jld_first_type(r);
		if (id) {
			add_ref(c, list, "components", id, self,
			        "one of its parts");
		} else if (!json_is_string(x) && !json_is_object(x)) {
			jr_fail(&c->jr, "expected a credential URI, found %s",
			        jld_type_name(x));
		} else if (!jld_is_ref(r) && !class_type(r)) {
			jr_note(&c->jr,
			        "part '%s' is %s, not a credential; left out",
			        clip(jld_id(x) ? jld_id(x) : "(no id)", tmp),
			        type ? type : "untyped");
		} else {
			jr_note(
			    &c->jr,
			    "part '%s' is neither in the catalog nor in this "
			    "import",
			    clip(jld_id(x) ? jld_id(x) : "(no id)", tmp));
			unknown++;
		}
		jld_path_back(&c->jr.path, s2);
	}
	if (unknown && json_array_size(list)) {
		jr_note(
		    &c->jr,
		    "%zu unknown part%s: no components kept, the credential "
		    "is not made a stack",
		    unknown, unknown == 1 ? "" : "s");
		json_array_clear(list);
	}
	jld_path_back(&c->jr.path, s);
	if (json_array_size(list))
		jr_set_new(&c->jr, out, "components", list);
	else
		json_decref(list);
}

/* creditValue (a QuantitativeValue or ValueProfile) in college credit
 * hours: semester hours as they are, quarter hours at two thirds; a value
 * without a unit is taken as semester hours. The value, else the mean of
 * minValue and maxValue, else the one given. */
static void credits_field(ctdl *c, json_t *v, json_t *out)
{
	static const char *const keys[] = {"value", "minValue", "maxValue"};
	char tmp[72];
	for (size_t i = 0; i < jld_count(v); i++) {
		json_t *x = jld_item(v, i);
		size_t s = jld_path_item(&c->jr.path, v, i);
		double n[3];
		bool has[3] = {false, false, false}, bad = false;
		if (!json_is_object(x)) {
			bad =
			    !jld_number(x, 0, &n[0]) || n[0] < 0 || n[0] > 1e6;
			has[0] = !bad;
		}
		for (size_t k = 0; k < 3 && json_is_object(x); k++) {
			const char *key;
			json_t *y = prop(x, keys[k], &key);
			if (!y)
				continue;
			size_t s2 = jld_path_key(&c->jr.path, key);
			if (!jld_number(y, 0, &n[k])) {
				jr_fail(&c->jr, "expected a number, found %s",
				        jld_type_name(y));
				bad = true;
			} else if (n[k] < 0 || n[k] > 1e6) {
				jr_fail(&c->jr, "%g credits is out of range",
				        n[k]);
				bad = true;
			} else {
				has[k] = true;
			}
			jld_path_back(&c->jr.path, s2);
		}
		if (!json_is_object(x) && bad)
			jr_fail(&c->jr,
			        "expected a credit value (a number from 0), "
			        "found %s",
			        jld_type_name(x));
		double credits = has[0]             ? n[0]
		                 : has[1] && has[2] ? (n[1] + n[2]) / 2
		                 : has[1]           ? n[1]
		                                    : n[2];
		json_t *unit =
		    json_is_object(x) ? prop(x, "creditUnitType", NULL) : NULL;
		const char *u = NULL;
		if (jld_count(unit)) {
			json_t *y = jld_item(unit, 0);
			u = json_is_object(y)
			        ? jld_id(prop(y, "targetNode", NULL))
			        : json_string_value(y);
		}
		if (!bad && (has[0] || has[1] || has[2])) {
			if (u && strcasecmp(term_local(u), "QuarterHour") == 0)
				credits *= 2.0 / 3.0;
			else if (u && strcasecmp(term_local(u),
			                         "SemesterHour") != 0) {
				jr_note(
				    &c->jr,
				    "credits in '%s' are not college credit "
				    "hours; left out",
				    clip(u, tmp));
				jld_path_back(&c->jr.path, s);
				continue;
			}
			mark(c, "college_credits");
			jr_set_new(&c->jr, out, "college_credits",
			           json_real(num_round(credits, 2)));
			jld_path_back(&c->jr.path, s);
			return;
		}
		jld_path_back(&c->jr.path, s);
	}
}

static void modality_field(ctdl *c, const json_t *node, json_t *out)
{
	json_t *v = prop(node, "deliveryType", NULL);
	bool online = concept_is(v, "OnlineOnly");
	bool in_person = concept_is(v, "InPerson");
	const char *m =
	    concept_is(v, "BlendedDelivery") || (online && in_person) ? "hybrid"
	    : online                                                  ? "online"
	    : in_person ? "in-person"
	                : NULL;
	if (m)
		jr_set_new(&c->jr, out, "modality", json_string(m));
}

/* renewalFrequency in whole months: when the credential expires. */
static void expiry_field(ctdl *c, const json_t *node, json_t *out)
{
	const char *key;
	json_t *v = prop(node, "renewalFrequency", &key);
	char tmp[72];
	duration d;
	if (!v || json_is_null(v))
		return;
	size_t s = jld_path_key(&c->jr.path, key);
	if (!json_is_string(v)) {
		jr_fail(&c->jr, "expected an ISO 8601 duration, found %s",
		        jld_type_name(v));
	} else if (!parse_duration(json_string_value(v), &d)) {
		jr_fail(
		    &c->jr,
		    "'%s' is not an ISO 8601 duration (such as P2Y or P18M)",
		    clip(json_string_value(v), tmp));
	} else {
		double months = d.y * 12 + d.mo;
		if (d.w || d.d || d.h || d.mi || d.s ||
		    months != floor(months) || months < 1 || months > 1200)
			jr_note(&c->jr,
			        "renewal every '%s' is not a whole number of "
			        "months (1 to 1200); the credential is kept "
			        "without expiry",
			        clip(json_string_value(v), tmp));
		else
			jr_set_new(&c->jr, out, "expires_months",
			           json_integer((json_int_t)months));
	}
	jld_path_back(&c->jr.path, s);
}

/* ownedBy, else offeredBy: the organization's name when the document
 * has it, else its URI as written. */
static void provider_field(ctdl *c, const json_t *node, json_t *out)
{
	static const char *const keys[] = {"ownedBy", "offeredBy"};
	const char *uri = NULL;
	for (size_t k = 0; k < PW_ARRAY_LEN(keys); k++) {
		const char *key;
		json_t *v = prop(node, keys[k], &key);
		if (!v)
			continue;
		size_t s = jld_path_key(&c->jr.path, key);
		for (size_t i = 0; i < jld_count(v); i++) {
			json_t *x = jld_item(v, i);
			size_t s2 = jld_path_item(&c->jr.path, v, i);
			json_t *r = jld_resolve(c->jr.index, x, NULL);
			const char *name =
			    json_is_object(r)
			        ? jld_text(prop(r, "name", NULL), "en")
			        : NULL;
			if (!json_is_string(x) && !json_is_object(x))
				jr_fail(&c->jr,
				        "expected an organization, found %s",
				        jld_type_name(x));
			if (name) {
				char *t = strdup(name);
				if (!t) {
					jr_oom(&c->jr);
				} else if (*trim(t)) {
					mark(c, "provider");
					jr_set_new(&c->jr, out, "provider",
					           json_string(t));
					free(t);
					jld_path_back(&c->jr.path, s2);
					jld_path_back(&c->jr.path, s);
					return;
				}
				free(t);
			}
			if (!uri && jld_id(x) && *jld_id(x)) {
				uri = jld_id(x);
				mark(c, "provider");
			}
			jld_path_back(&c->jr.path, s2);
		}
		jld_path_back(&c->jr.path, s);
	}
	if (uri)
		jr_set_new(&c->jr, out, "provider", json_string(uri));
}

/* ---- ids ---- */

/* The CTID of a node: its ceterms:ctid, else the one its @id ends in. */
static bool node_ctid(ctdl *c, const json_t *node,
                      char out[static CTID_LEN + 1], bool report)
{
	const char *key;
	json_t *v = prop(node, "ctid", &key);
	char tmp[72];
	const char *s = json_string_value(v);
	if (v && report) {
		size_t at = jld_path_key(&c->jr.path, key);
		if (!s)
			jr_fail(&c->jr, "expected a CTID (a string), found %s",
			        jld_type_name(v));
		else if (!is_ctid(s, strlen(s)))
			jr_note(&c->jr,
			        "'%s' is not a CTID (ce- and a UUID); the id "
			        "comes from @id",
			        clip(s, tmp));
		jld_path_back(&c->jr.path, at);
	}
	if (s && is_ctid(s, strlen(s))) {
		for (size_t i = 0; i < CTID_LEN; i++)
			out[i] = (char)tolower((unsigned char)s[i]);
		out[CTID_LEN] = '\0';
		return true;
	}
	const char *id = jld_id(node);
	return id && ctid_of(id, out);
}

static bool blank_node(const char *id)
{
	return strncmp(id, "_:", 2) == 0;
}

/* A URI others can name the credential by (not "_:b0" or "res:ce-..."). */
static bool absolute(const char *id)
{
	return strstr(id, "://") || strncmp(id, "urn:", 4) == 0;
}

/* The aliases a credential is known by: its CTID, its @id and its registry
 * resource URI. */
static json_t *aliases_of(ctdl *c, const json_t *node)
{
	char ctid[CTID_LEN + 1], uri[200];
	json_t *list = json_array();
	const char *id = jld_id(node);
	if (!list)
		return NULL;
	bool has = node_ctid(c, node, ctid, false);
	if (has)
		json_array_append_new(list, json_string(ctid));
	if (id && absolute(id) && (!has || strcmp(id, ctid) != 0))
		json_array_append_new(list, json_string(id));
	if (has) {
		snprintf(uri, sizeof uri, "%s%s", REGISTRY_RESOURCES, ctid);
		if (!id || strcmp(id, uri) != 0)
			json_array_append_new(list, json_string(uri));
	}
	return list;
}

/* Gives the node its native id: a stored credential's when it already
 * carries the node's CTID or URI (so a re-import replaces it), else
 * "ctdl." and the CTID, else a hash of the @id, else a slug of the name. */
static void assign_id(ctdl *c, found *f)
{
	char ctid[CTID_LEN + 1], kbuf[CTID_LEN + 1], where[700];
	const json_t *node = f->node;
	const char *uri = jld_id(node);
	bool has_ctid = node_ctid(c, node, ctid, true);
	const char *stored = NULL;
	if (has_ctid)
		stored = json_string_value(json_object_get(c->cred_keys, ctid));
	if (!stored && uri && !blank_node(uri))
		stored = json_string_value(
		    json_object_get(c->cred_keys, ref_key(uri, kbuf)));
	if (stored) {
		snprintf(f->id, sizeof f->id, "%s", stored);
	} else if (has_ctid) {
		snprintf(f->id, sizeof f->id, "ctdl.%s", ctid);
	} else if (uri && !blank_node(uri)) {
		snprintf(f->id, sizeof f->id, "ctdl.%016llx",
		         (unsigned long long)imp_hash(uri, strlen(uri), 0));
	} else {
		const char *name = jld_text(prop(node, "name", NULL), "en");
		imp_slug_id("ctdl.", name && *name ? name : "unnamed", f->id);
	}
	const char *first =
	    json_string_value(json_object_get(c->firsts, f->id));
	if (first) {
		jr_note(&c->jr, "the same credential as %s (id '%s'); left out",
		        first, f->id);
		f->dup = true;
		return;
	}
	snprintf(where, sizeof where, "%s: %s", c->jr.file,
	         jld_path_str(&c->jr.path));
	char ptr[40];
	snprintf(ptr, sizeof ptr, "%p", (void *)node);
	if (json_object_set_new(c->firsts, f->id, json_string(where)) ||
	    json_object_set_new(c->by_ptr, ptr, json_string(f->id))) {
		jr_oom(&c->jr);
		return;
	}
	if (has_ctid && !json_object_get(c->keys, ctid))
		jr_set_new(&c->jr, c->keys, ctid, json_string(f->id));
	if (uri && !blank_node(uri)) {
		const char *key = ref_key(uri, kbuf);
		if (!json_object_get(c->keys, key))
			jr_set_new(&c->jr, c->keys, key, json_string(f->id));
	}
}

/* ---- one credential ---- */

/* The stored credential's aliases that this import does not give are kept,
 * so that a badge matched to it before still finds it. */
static void keep_stored_aliases(ctdl *c, const char *id, json_t *aliases)
{
	json_t *stored = NULL;
	pw_error e;
	pw_status st = imp_stored(c->e, PW_KIND_CREDENTIAL, id, &stored, &e);
	if (st == PW_ERR_NOT_FOUND)
		return;
	if (st) {
		if (!c->jr.fatal) {
			c->jr.fatal = st;
			if (c->jr.err)
				*c->jr.err = e;
		}
		return;
	}
	size_t i, j;
	json_t *a, *b;
	json_array_foreach(json_object_get(stored, "aliases"), i, a)
	{
		bool seen = false;
		json_array_foreach(aliases, j, b) seen |= json_equal(a, b);
		if (!seen && json_array_append(aliases, a))
			jr_oom(&c->jr);
	}
	json_decref(stored);
}

static void map_credential(ctdl *c, found *f)
{
	size_t before = c->jr.errors;
	json_t *node = f->node;
	json_t *out = json_object();
	gather g = {json_array(), json_object(), json_array(), NULL, ""};
	c->sub = json_object();
	if (!out || !g.skills || !g.seen_skills || !g.prereqs || !c->sub) {
		jr_oom(&c->jr);
		goto done;
	}
	jr_set_new(&c->jr, out, "id", json_string(f->id));
	char *name = text_field(c, node, "name", false);
	if (!name && c->jr.errors == before) {
		jr_fail(&c->jr,
		        prop(node, "name", NULL)
		            ? "a credential needs a name (ceterms:name is null)"
		            : "a credential needs a name (ceterms:name)");
	} else if (name && !*name) {
		const char *key;
		prop(node, "name", &key);
		size_t s = jld_path_key(&c->jr.path, key);
		jr_fail(&c->jr, "an empty name");
		jld_path_back(&c->jr.path, s);
	} else if (name) {
		jr_set_new(&c->jr, out, "name", json_string(name));
	}
	free(name);
	provider_field(c, node, out);
	const char *url = uri_field(c, node, "subjectWebpage");
	if (url && *url)
		jr_set_new(&c->jr, out, "url", json_string(url));
	char *description = text_field(c, node, "description", true);
	if (description && *description)
		jr_set_new(&c->jr, out, "description",
		           json_string(description));
	free(description);
	jr_set_new(&c->jr, out, "type", json_string(class_type(node)));

	conditions(c, node, "requires", &g, f->id, true);
	conditions(c, node, "entryCondition", &g, f->id, false);
	competencies(c, node, "teaches", g.skills, g.seen_skills);
	competencies(c, node, "assesses", g.skills, g.seen_skills);
	if (json_array_size(g.skills))
		jr_set_new(&c->jr, out, "skills", json_incref(g.skills));

	hours_field(c, node, out);
	cost_field(c, node, out);
	json_t *aliases = aliases_of(c, node);
	if (!aliases)
		jr_oom(&c->jr);
	else
		keep_stored_aliases(c, f->id, aliases);
	if (json_array_size(aliases))
		jr_set_new(&c->jr, out, "aliases", aliases);
	else
		json_decref(aliases);
	occupations_field(c, node, out);
	if (json_array_size(g.prereqs))
		jr_set_new(&c->jr, out, "prerequisites",
		           json_incref(g.prereqs));
	components_field(c, node, out, f->id);
	expiry_field(c, node, out);
	modality_field(c, node, out);

	const char *ck;
	json_t *credit = prop(node, "creditValue", &ck);
	if (credit) {
		size_t s = jld_path_key(&c->jr.path, ck);
		credits_field(c, credit, out);
		jld_path_back(&c->jr.path, s);
	} else if (g.credit) {
		jld_path saved = c->jr.path;
		jld_path_set(&c->jr.path, g.credit_path);
		credits_field(c, g.credit, out);
		c->jr.path = saved;
	}
	if (c->jr.errors != before || c->jr.fatal)
		goto done;
	if (json_array_append(c->creds, out) ||
	    json_array_append_new(
	        c->cred_where,
	        json_pack("[s,s,O]", c->jr.file, f->path, c->sub)))
		jr_oom(&c->jr);
done:
	json_decref(out);
	json_decref(g.skills);
	json_decref(g.seen_skills);
	json_decref(g.prereqs);
	json_decref(c->sub);
	c->sub = NULL;
}

/* ---- documents ---- */

/* Types of nodes read for what they say about credentials, never noted. */
static bool supporting(const char *type)
{
	size_t n = strlen(type);
	return (n >= 12 && strcmp(type + n - 12, "Organization") == 0) ||
	       jld_term_is(type, "Competency") ||
	       jld_term_is(type, "CompetencyFramework") ||
	       jld_term_is(type, "ConceptScheme") ||
	       jld_term_is(type, "Concept") ||
	       jld_term_is(type, "ConditionProfile") ||
	       jld_term_is(type, "ConditionManifest") ||
	       jld_term_is(type, "CostManifest");
}

typedef struct scan {
	json_t *seen;    /* addresses of the credential nodes found */
	json_t *top_ids; /* ids of the top-level credentials */
	json_t *types;   /* the first other types met, for a message */
	json_t *others;  /* [path, type] of the other resources, noted */
	bool pathway;    /* a Pathway or PathwaySet is there */
	bool top;        /* in the first pass */
} scan;

static void add_found(ctdl *c, size_t di, json_t *node, const jld_path *p,
                      scan *sc)
{
	char ptr[40];
	snprintf(ptr, sizeof ptr, "%p", (void *)node);
	if (json_object_get(sc->seen, ptr))
		return;
	const char *id = jld_id(node);
	if (!sc->top && id && json_object_get(sc->top_ids, id))
		return; /* a summary of a credential the graph describes */
	if (c->nnodes == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		found *n = realloc(c->nodes, cap * sizeof *n);
		if (!n) {
			jr_oom(&c->jr);
			return;
		}
		c->nodes = n;
		c->cap = cap;
	}
	found *f = &c->nodes[c->nnodes++];
	*f = (found){.node = node, .doc = di};
	snprintf(f->path, sizeof f->path, "%s", p->s);
	if (json_object_set_new(sc->seen, ptr, json_true()) ||
	    (sc->top && id &&
	     json_object_set_new(sc->top_ids, id, json_true())))
		jr_oom(&c->jr);
}

static void seen_type(ctdl *c, scan *sc, const json_t *v, const jld_path *p)
{
	const char *type = jld_first_type(v);
	if (!type)
		return;
	if (jld_has_type(v, "Pathway") || jld_has_type(v, "PathwaySet"))
		sc->pathway = true;
	bool listed = false;
	size_t i;
	json_t *t;
	json_array_foreach(sc->types, i, t) listed |=
	    strcmp(json_string_value(t), type) == 0;
	if (!listed && json_array_size(sc->types) < 4 &&
	    json_array_append_new(sc->types, json_string(type)))
		jr_oom(&c->jr);
	if (sc->top && !supporting(type) &&
	    json_array_append_new(sc->others, json_pack("[s,s]", p->s, type)))
		jr_oom(&c->jr);
}

/* First pass: the resources of the document (the root, an array of them,
 * the nodes of @graph envelopes). Second pass (sc->top false): credentials
 * described inside other nodes. */
static void walk(ctdl *c, size_t di, json_t *v, jld_path *p, scan *sc,
                 int depth)
{
	if (depth > JSON_MAX_DEPTH || c->jr.fatal)
		return;
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			size_t s = jld_path_index(p, i);
			walk(c, di, x, p, sc, depth + 1);
			jld_path_back(p, s);
		}
		return;
	}
	if (!json_is_object(v))
		return;
	json_t *graph = json_object_get(v, "@graph");
	if (is_credential(v))
		add_found(c, di, v, p, sc);
	else if (sc->top && !graph)
		seen_type(c, sc, v, p);
	if (sc->top) {
		if (graph) {
			size_t s = jld_path_key(p, "@graph");
			walk(c, di, graph, p, sc, depth + 1);
			jld_path_back(p, s);
		}
		return;
	}
	const char *k;
	json_t *x;
	json_object_foreach(v, k, x)
	{
		if (!json_is_object(x) && !json_is_array(x))
			continue;
		size_t s = jld_path_key(p, k);
		walk(c, di, x, p, sc, depth + 1);
		jld_path_back(p, s);
	}
}

static void read_document(ctdl *c, size_t di, const char *name,
                          const char *data, size_t len)
{
	doc *d = &c->docs[di];
	json_error_t jerr;
	scan sc = {json_object(), json_object(), json_array(),
	           json_array(),  false,         true};
	d->file = name;
	c->jr.file = name;
	jld_path_set(&c->jr.path, "");
	if (!sc.seen || !sc.top_ids || !sc.types || !sc.others) {
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
	if (load_too_deep_at(data, len) != SIZE_MAX) {
		jr_fail(&c->jr, "JSON nested deeper than %d levels",
		        JSON_MAX_DEPTH);
		goto done;
	}
	d->root = json_loadb(data, len, 0, &jerr);
	if (!d->root) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			jr_oom(&c->jr);
		else
			jr_fail(&c->jr, "invalid JSON: %s (line %d, column %d)",
			        jerr.text, jerr.line, jerr.column);
		goto done;
	}
	json_t *root = d->root;
	const char *prefix = "";
	json_t *decoded = json_object_get(root, "decoded_resource");
	if (json_is_object(decoded)) {
		/* a registry envelope: the graph it carries */
		root = decoded;
		prefix = "decoded_resource";
	} else if (json_object_get(root, "envelope_type")) {
		jr_fail(&c->jr, "a registry envelope without decoded_resource");
		goto done;
	}
	if (!(d->index = jld_index_new()) ||
	    jld_index_add(d->index, root, prefix)) {
		jr_oom(&c->jr);
		goto done;
	}
	jld_path p;
	size_t before = c->nnodes;
	jld_path_set(&p, prefix);
	walk(c, di, root, &p, &sc, 0);
	sc.top = false;
	jld_path_set(&p, prefix);
	walk(c, di, root, &p, &sc, 0);
	if (c->jr.fatal)
		goto done;
	if (c->nnodes != before) {
		size_t i;
		json_t *o;
		json_array_foreach(sc.others, i, o)
		{
			jld_path_set(&c->jr.path,
			             json_string_value(json_array_get(o, 0)));
			jr_note(&c->jr,
			        "a %s is not a CTDL credential; not imported",
			        json_string_value(json_array_get(o, 1)));
		}
		goto done;
	}
	jld_path_set(&c->jr.path, "");
	if (sc.pathway) {
		jr_note(&c->jr,
		        "a CTDL Pathway holds no credential description; "
		        "nothing imported from this file");
	} else if (json_array_size(sc.types)) {
		char types[200] = "";
		size_t n = 0, i;
		json_t *t;
		json_array_foreach(sc.types, i, t)
		{
			int w = snprintf(types + n, sizeof types - n, "%s%s",
			                 i ? ", " : "", json_string_value(t));
			if (w > 0 && (size_t)w < sizeof types - n)
				n += (size_t)w;
		}
		jr_fail(&c->jr, "no CTDL credential (found %s)", types);
	} else {
		jr_fail(&c->jr, "no CTDL credential");
	}
done:
	json_decref(sc.seen);
	json_decref(sc.top_ids);
	json_decref(sc.types);
	json_decref(sc.others);
}

/* ---- the write ---- */

/* A loader report names the native document ("credentials[3].prerequisites");
 * this names the file and the place the value came from. */
static void translate(ctdl *c, const pw_report *scratch)
{
	for (size_t i = 0; i < pw_report_count(scratch); i++) {
		const char *file, *path, *reason;
		pw_report_get(scratch, i, &file, &path, &reason);
		json_t *where = NULL;
		const char *rest = NULL;
		size_t k = 0;
		char *end;
		if (strncmp(path, "credentials[", 12) == 0) {
			k = strtoul(path + 12, &end, 10);
			where = json_array_get(c->cred_where, k);
		} else if (strncmp(path, "skills[", 7) == 0) {
			k = strtoul(path + 7, &end, 10);
			where = json_array_get(c->skill_where, k);
		}
		if (where && *end == ']')
			rest = end + 1;
		if (!where || !rest) {
			report_append(c->jr.rep, file, path, reason);
			continue;
		}
		const char *to = json_string_value(json_array_get(where, 1));
		json_t *sub = json_array_get(where, 2);
		if (*rest == '.' && sub) {
			char key[200];
			snprintf(key, sizeof key, "%s", rest + 1);
			while (*key) {
				const char *p = json_string_value(
				    json_object_get(sub, key));
				if (p) {
					to = p;
					break;
				}
				char *cut = strrchr(key, '[');
				char *dot = strrchr(key, '.');
				if (dot && (!cut || dot > cut))
					cut = dot;
				if (!cut)
					break;
				*cut = '\0';
			}
		}
		report_append(c->jr.rep,
		              json_string_value(json_array_get(where, 0)), to,
		              reason);
	}
}

static void ctdl_release(ctdl *c)
{
	for (size_t i = 0; i < c->ndocs; i++) {
		json_decref(c->docs[i].root);
		json_decref(c->docs[i].index);
	}
	free(c->docs);
	free(c->nodes);
	json_decref(c->skill_ids);
	json_decref(c->skill_names);
	json_decref(c->skill_codes);
	json_decref(c->cred_keys);
	json_decref(c->keys);
	json_decref(c->by_ptr);
	json_decref(c->firsts);
	json_decref(c->creds);
	json_decref(c->skills);
	json_decref(c->cred_where);
	json_decref(c->skill_where);
}

pw_status pw_import_ctdl_buffers(pw_engine *e, const char *const *names,
                                 const char *const *data, const size_t *lens,
                                 size_t n, const pw_import_opts *opts,
                                 pw_report *rep, pw_import_summary *sum,
                                 pw_error *err)
{
	pw_import_summary local;
	pw_report *scratch = NULL;
	pw_status st;
	if (!sum)
		sum = &local;
	memset(sum, 0, sizeof *sum);
	if (!rep)
		return pw_fail(err, PW_ERR_INVALID, "an import needs a report");
	ctdl c = {.jr = {.rep = rep, .o = opts, .sum = sum, .err = err},
	          .e = e};
	c.skill_ids = json_object();
	c.skill_names = json_object();
	c.skill_codes = json_object();
	c.cred_keys = json_object();
	c.keys = json_object();
	c.by_ptr = json_object();
	c.firsts = json_object();
	c.creds = json_array();
	c.skills = json_array();
	c.cred_where = json_array();
	c.skill_where = json_array();
	c.docs = calloc(n + 1, sizeof *c.docs);
	if (!c.skill_ids || !c.skill_names || !c.skill_codes || !c.cred_keys ||
	    !c.keys || !c.by_ptr || !c.firsts || !c.creds || !c.skills ||
	    !c.cred_where || !c.skill_where || !c.docs) {
		st = pw_oom(err);
		goto done;
	}
	if ((st = load_catalog(&c)))
		goto done;
	for (size_t i = 0; i < n && !c.jr.fatal; i++) {
		imp_progress(opts, names[i], i, n);
		c.ndocs = i + 1;
		read_document(&c, i, names[i], data[i], lens[i]);
	}
	/* ids first, so that references between files resolve */
	for (size_t i = 0; i < c.nnodes && !c.jr.fatal; i++) {
		found *f = &c.nodes[i];
		c.jr.file = c.docs[f->doc].file;
		c.jr.index = c.docs[f->doc].index;
		jld_path_set(&c.jr.path, f->path);
		assign_id(&c, f);
	}
	for (size_t i = 0; i < c.nnodes && !c.jr.fatal; i++) {
		found *f = &c.nodes[i];
		if (f->dup)
			continue;
		c.jr.file = c.docs[f->doc].file;
		c.jr.index = c.docs[f->doc].index;
		jld_path_set(&c.jr.path, f->path);
		map_credential(&c, f);
	}
	if ((st = c.jr.fatal))
		goto done;
	if (c.jr.errors) {
		st = pw_fail(err, PW_ERR_INVALID,
		             "%zu error%s in the input; nothing was imported",
		             c.jr.errors, c.jr.errors == 1 ? "" : "s");
		goto done;
	}
	json_t *native =
	    json_pack("{s:O,s:O}", "skills", c.skills, "credentials", c.creds);
	if (!native || !(scratch = pw_report_new())) {
		json_decref(native);
		st = pw_oom(err);
		goto done;
	}
	st = imp_write(e, opts, n == 1 ? names[0] : "ctdl", native, scratch,
	               sum, err);
	translate(&c, scratch);
	if (st == PW_ERR_INVALID)
		st = pw_fail(err, PW_ERR_INVALID,
		             "%zu error%s in the input; nothing was imported",
		             pw_report_count(scratch),
		             pw_report_count(scratch) == 1 ? "" : "s");
	json_decref(native);
done:
	pw_report_free(scratch);
	ctdl_release(&c);
	return st;
}

pw_status pw_import_ctdl(pw_engine *e, const char *const *paths, size_t n,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err)
{
	file_set fs;
	pw_status st = file_set_read(&fs, paths, n, MAX_FILE_BYTES, err);
	if (st)
		return st;
	st = pw_import_ctdl_buffers(e, paths, FILE_SET_DATA(&fs), fs.lens, n,
	                            opts, rep, sum, err);
	file_set_release(&fs);
	return st;
}

/* ---- plans out as CTDL Pathways ---- */

/* The CTDL class of a native credential type (a course is a
 * CourseComponent, so it has none). */
static const char *ctdl_class(const char *type)
{
	static const struct {
		const char *type, *cls;
	} map[] = {
	    {"micro-credential", "ceterms:MicroCredential"},
	    {"badge", "ceterms:Badge"},
	    {"certificate", "ceterms:Certificate"},
	    {"certification", "ceterms:Certification"},
	    {"license", "ceterms:License"},
	    {"degree", "ceterms:Degree"},
	    {"prior-learning", "ceterms:Credential"},
	};
	for (size_t i = 0; type && i < PW_ARRAY_LEN(map); i++)
		if (strcmp(type, map[i].type) == 0)
			return map[i].cls;
	return NULL;
}

/* What proxyFor names: the credential's registry resource (an alias that
 * is one, or a CTID made one), else its url, else a URN of its id. */
static char *proxy_for(const char *id, const json_t *cred)
{
	char ctid[CTID_LEN + 1];
	size_t i;
	json_t *a;
	json_t *aliases = json_object_get(cred, "aliases");
	json_array_foreach(aliases, i, a)
	{
		const char *s = json_string_value(a);
		if (s && strstr(s, "credentialengineregistry.org/resources/") &&
		    ctid_of(s, ctid))
			return strdup(s);
	}
	json_array_foreach(aliases, i, a)
	{
		const char *s = json_string_value(a);
		if (s && is_ctid(s, strlen(s)) && ctid_of(s, ctid)) {
			char *out =
			    malloc(sizeof REGISTRY_RESOURCES + CTID_LEN);
			if (out)
				snprintf(out,
				         sizeof REGISTRY_RESOURCES + CTID_LEN,
				         "%s%s", REGISTRY_RESOURCES, ctid);
			return out;
		}
	}
	const char *url = json_string_value(json_object_get(cred, "url"));
	if (url && *url)
		return strdup(url);
	size_t n = strlen(id) + 32;
	char *out = malloc(n);
	if (out)
		snprintf(out, n, "urn:pathway:credential:%s", id);
	return out;
}

static json_t *lang(const char *text)
{
	return json_pack("{s:s}", "en-US", text ? text : "");
}

static json_t *onet_alignment(const char *soc)
{
	char url[80];
	snprintf(url, sizeof url, "%s%s", ONET_SUMMARY, soc);
	return json_pack(
	    "[{s:s,s:s,s:s,s:s}]", "@type", "ceterms:CredentialAlignmentObject",
	    "ceterms:framework", ONET_TAXONOMY, "ceterms:targetNode", url,
	    "ceterms:codedNotation", soc);
}

/* The writer's state: the graph and everything it needs to know. */
typedef struct pw_out {
	pw_engine *e;
	pw_error *err;
	pw_status st;
	json_t *graph;
	char base[300]; /* the pathway's @id */
} pw_out;

static void out_fail(pw_out *w, pw_status st, const pw_error *e)
{
	if (w->st)
		return;
	w->st = st;
	if (w->err && e)
		*w->err = *e;
	else if (st == PW_ERR_NOMEM)
		pw_oom(w->err);
}

static void put(pw_out *w, json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v))
		out_fail(w, PW_ERR_NOMEM, NULL);
}

/* A stored entity as native JSON, or NULL when it is gone. */
static json_t *stored(pw_out *w, pw_kind kind, const char *id)
{
	json_t *v = NULL;
	pw_error e;
	pw_status st = imp_stored(w->e, kind, id, &v, &e);
	if (st && st != PW_ERR_NOT_FOUND)
		out_fail(w, st, &e);
	return st ? NULL : v;
}

/* "<pathway>:credential:<id>", "<pathway>:target" */
static char *component_id(const pw_out *w, const char *kind, const char *id)
{
	size_t n = strlen(w->base) + strlen(kind) + (id ? strlen(id) : 0) + 3;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s:%s%s%s", w->base, kind, id ? ":" : "",
		         id ? id : "");
	return s;
}

static void hours_text(char out[static 32], double x)
{
	if (x == floor(x))
		snprintf(out, 32, "%.0f", x);
	else
		snprintf(out, 32, "%.1f", x);
}

static void money_text(char out[static 32], double x)
{
	if (x == floor(x))
		snprintf(out, 32, "$%.0f", x);
	else
		snprintf(out, 32, "$%.2f", x);
}

/* One CredentialComponent (or CourseComponent) per step. */
static json_t *step_component(pw_out *w, const pw_plan *p, size_t i,
                              json_t *ids, const char *dest)
{
	const pw_plan_step *s = &p->steps[i];
	json_t *cred = stored(w, PW_KIND_CREDENTIAL, s->credential);
	const char *type = json_string_value(json_object_get(cred, "type"));
	const char *cls = ctdl_class(type);
	char *proxy = proxy_for(s->credential, cred);
	char hours[32], cost[32], text[400];
	hours_text(hours, s->hours);
	money_text(cost, s->cost);
	snprintf(text, sizeof text,
	         "Step %zu of %zu: %s hours, %s. Score %.1f of 100 after it%s.",
	         i + 1, p->nsteps, hours, cost, s->score_after,
	         s->qualified_after ? ", qualified" : "");
	json_t *c = json_pack(
	    "{s:O,s:s,s:o,s:o,s:s*,s:s*,s:s,s:s}", "@id",
	    json_array_get(ids, i), "@type",
	    type && strcmp(type, "course") == 0 ? "ceterms:CourseComponent"
	                                        : "ceterms:CredentialComponent",
	    "ceterms:name", lang(s->name), "ceterms:description", lang(text),
	    "ceterms:proxyFor", proxy, "ceterms:credentialType", cls,
	    "ceasn:isPartOf", w->base, "ceasn:isChildOf", dest);
	free(proxy);
	if (!c) {
		json_decref(cred);
		out_fail(w, PW_ERR_NOMEM, NULL);
		return NULL;
	}
	if (i > 0)
		put(w, c, "ceterms:precededBy",
		    json_copy(json_array_get(ids, i - 1)));
	put(w, c, "ceterms:precedes",
	    json_string(i + 1 < p->nsteps
	                    ? json_string_value(json_array_get(ids, i + 1))
	                    : dest));
	/* required order: the catalog's prerequisites earned in the plan */
	json_t *pre = json_array();
	for (size_t k = 0; pre && k < s->nprereqs; k++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->steps[j].credential, s->prereqs[k]) == 0)
				json_array_append(pre, json_array_get(ids, j));
	if (json_array_size(pre))
		put(w, c, "ceterms:prerequisite", pre);
	else
		json_decref(pre);
	if (s->college_credits > 0)
		put(w, c, "ceterms:creditValue",
		    json_pack("[{s:s,s:f,s:[{s:s,s:s,s:s}]}]", "@type",
		              "schema:QuantitativeValue", "schema:value",
		              s->college_credits, "ceterms:creditUnitType",
		              "@type", "ceterms:CredentialAlignmentObject",
		              "ceterms:framework",
		              "https://credreg.net/ctdl/terms/CreditUnit",
		              "ceterms:targetNode", "creditUnit:SemesterHour"));
	json_decref(cred);
	return c;
}

/* What blocks an unreachable plan: a CompetencyComponent for a skill, a
 * CredentialComponent for a credential, children of the destination. */
static json_t *blocker_component(pw_out *w, const pw_plan *p,
                                 const pw_plan_blocker *b, const char *id,
                                 const char *dest)
{
	char text[300];
	json_t *c;
	if (b->skill) {
		json_t *skill = stored(w, PW_KIND_SKILL, b->skill);
		const char *name =
		    json_string_value(json_object_get(skill, "name"));
		snprintf(text, sizeof text,
		         "Required at level %d; no credential the learner can "
		         "earn here certifies it.",
		         b->need);
		c = json_pack("{s:s,s:s,s:o,s:o,s:s,s:s}", "@id", id, "@type",
		              "ceterms:CompetencyComponent", "ceterms:name",
		              lang(name ? name : b->skill),
		              "ceterms:description", lang(text),
		              "ceasn:isPartOf", w->base, "ceasn:isChildOf",
		              dest);
		json_decref(skill);
	} else {
		json_t *cred = stored(w, PW_KIND_CREDENTIAL, b->credential);
		const char *name =
		    json_string_value(json_object_get(cred, "name"));
		char *proxy = proxy_for(b->credential, cred);
		snprintf(text, sizeof text,
		         "Required by %s; the learner cannot earn it here.",
		         p->is_occupation ? "the occupation" : "the job");
		c = json_pack(
		    "{s:s,s:s,s:o,s:o,s:s*,s:s*,s:s,s:s}", "@id", id, "@type",
		    "ceterms:CredentialComponent", "ceterms:name",
		    lang(name ? name : b->credential), "ceterms:description",
		    lang(text), "ceterms:proxyFor", proxy,
		    "ceterms:credentialType",
		    ctdl_class(
		        json_string_value(json_object_get(cred, "type"))),
		    "ceasn:isPartOf", w->base, "ceasn:isChildOf", dest);
		free(proxy);
		json_decref(cred);
	}
	if (!c)
		out_fail(w, PW_ERR_NOMEM, NULL);
	return c;
}

static void pathway_text(const pw_plan *p, char *out, size_t n)
{
	char date[11], hours[32], cost[32];
	pw_date_format(p->as_of, date);
	hours_text(hours, p->total_hours);
	money_text(cost, p->total_cost);
	const char *title = p->title ? p->title : p->target;
	int k = 0;
	if (!p->reachable)
		k = snprintf(out, n,
		             "Incomplete: the learner cannot qualify with what "
		             "the catalog offers; the destination's components "
		             "that are not steps are what blocks it. ");
	if (k < 0 || (size_t)k >= n)
		return;
	if (!p->nsteps && p->reachable)
		snprintf(out + k, n - (size_t)k,
		         "Learner %s is already qualified for %s (%s %s) as of "
		         "%s.",
		         p->learner, title,
		         p->is_occupation ? "occupation" : "job", p->target,
		         date);
	else
		snprintf(out + k, n - (size_t)k,
		         "%zu credential%s toward %s (%s %s) for learner %s as "
		         "of %s, chosen for the least %s%s: %s hours, %s in "
		         "all.",
		         p->nsteps, p->nsteps == 1 ? "" : "s", title,
		         p->is_occupation ? "occupation" : "job", p->target,
		         p->learner, date,
		         p->objective == PW_BY_COST ? "cost" : "hours",
		         p->optimal ? ""
		                    : " (the best found, not proven optimal)",
		         hours, cost);
}

pw_status pw_plan_ctdl(pw_engine *e, const pw_plan *p, unsigned flags,
                       char **out, pw_error *err)
{
	pw_out w = {.e = e, .err = err};
	json_t *ids = json_array(), *children = json_array();
	json_t *graph_doc = NULL, *pathway = NULL, *dest = NULL, *target = NULL;
	char *dest_id = NULL, *text = NULL;
	char soc[11] = "", desc[900], name[300];
	if (!p || !out)
		return pw_fail(err, PW_ERR_INVALID,
		               "plan --format ctdl: no plan");
	snprintf(w.base, sizeof w.base, "urn:pathway:plan:%s:%s", p->learner,
	         p->target);
	w.graph = json_array();
	if (!w.graph || !ids || !children ||
	    !(dest_id = component_id(&w, "target", NULL))) {
		out_fail(&w, PW_ERR_NOMEM, NULL);
		goto done;
	}
	/* the destination: the job (its posting and occupation code) or the
	 * occupation */
	const char *job_url = NULL;
	if (p->is_occupation) {
		snprintf(soc, sizeof soc, "%s", p->target);
	} else if ((target = stored(&w, PW_KIND_JOB, p->target))) {
		const char *s =
		    json_string_value(json_object_get(target, "soc"));
		if (s && text_is_soc_code(s))
			snprintf(soc, sizeof soc, "%s", s);
		job_url = json_string_value(json_object_get(target, "url"));
	}
	char onet[80] = "";
	if (*soc)
		snprintf(onet, sizeof onet, "%s%s", ONET_SUMMARY, soc);
	const char *title = p->title ? p->title : p->target;
	snprintf(name, sizeof name, "Pathway to %s", title);
	pathway_text(p, desc, sizeof desc);
	pathway = json_pack("{s:s,s:s,s:o,s:o,s:s}", "@id", w.base, "@type",
	                    "ceterms:Pathway", "ceterms:name", lang(name),
	                    "ceterms:description", lang(desc),
	                    "ceterms:hasDestinationComponent", dest_id);
	dest = json_pack("{s:s,s:s,s:o,s:s*,s:s,s:s}", "@id", dest_id, "@type",
	                 "ceterms:JobComponent", "ceterms:name", lang(title),
	                 "ceterms:proxyFor",
	                 p->is_occupation ? (*onet ? onet : NULL) : job_url,
	                 "ceterms:isDestinationComponentOf", w.base,
	                 "ceasn:isPartOf", w.base);
	if (!pathway || !dest) {
		out_fail(&w, PW_ERR_NOMEM, NULL);
		goto done;
	}
	if (*soc) {
		put(&w, pathway, "ceterms:occupationType", onet_alignment(soc));
		put(&w, dest, "ceterms:occupationType", onet_alignment(soc));
	}
	for (size_t i = 0; i < p->nsteps; i++) {
		char *id =
		    component_id(&w, "credential", p->steps[i].credential);
		if (!id || json_array_append_new(ids, json_string(id)))
			out_fail(&w, PW_ERR_NOMEM, NULL);
		free(id);
	}
	if (w.st)
		goto done;
	json_t *parts = json_pack("[s]", dest_id);
	put(&w, pathway, "ceterms:hasPart", parts);
	if (json_array_append(w.graph, pathway) ||
	    json_array_append(w.graph, dest))
		out_fail(&w, PW_ERR_NOMEM, NULL);
	for (size_t i = 0; i < p->nsteps && !w.st; i++) {
		json_t *c = step_component(&w, p, i, ids, dest_id);
		if (!c || json_array_append_new(w.graph, c) ||
		    json_array_append(parts, json_array_get(ids, i)) ||
		    json_array_append(children, json_array_get(ids, i)))
			out_fail(&w, PW_ERR_NOMEM, NULL);
	}
	for (size_t i = 0; i < p->nblocking && !w.st; i++) {
		const pw_plan_blocker *b = &p->blocking[i];
		char *id = component_id(&w, b->skill ? "skill" : "credential",
		                        b->skill ? b->skill : b->credential);
		json_t *c =
		    id ? blocker_component(&w, p, b, id, dest_id) : NULL;
		if (!c || json_array_append_new(w.graph, c) ||
		    json_array_append_new(parts, json_string(id)) ||
		    json_array_append_new(children, json_string(id)))
			out_fail(&w, PW_ERR_NOMEM, NULL);
		free(id);
	}
	if (p->nsteps)
		put(&w, dest, "ceterms:precededBy",
		    json_copy(json_array_get(ids, p->nsteps - 1)));
	if (json_array_size(children)) {
		snprintf(desc, sizeof desc,
		         "Earn every credential of the plan%s.",
		         p->nblocking ? " and close what blocks it" : "");
		put(&w, dest, "ceasn:hasChild", json_copy(children));
		put(&w, dest, "ceterms:hasCondition",
		    json_pack("[{s:s,s:o,s:I,s:O}]", "@type",
		              "ceterms:ComponentCondition",
		              "ceterms:description", lang(desc),
		              "ceterms:requiredNumber",
		              (json_int_t)json_array_size(children),
		              "ceterms:targetComponent", children));
	}
	if (w.st)
		goto done;
	graph_doc =
	    json_pack("{s:s,s:O}", "@context", CTDL_CONTEXT, "@graph", w.graph);
	size_t dump = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) |
	              (flags & PW_JSON_PRETTY ? JSON_INDENT(2) : JSON_COMPACT);
	char *s = graph_doc ? json_dumps(graph_doc, dump) : NULL;
	if (s) {
		size_t n = strlen(s);
		text = malloc(n + 2);
		if (text) {
			memcpy(text, s, n);
			memcpy(text + n, "\n", 2);
		}
		free(s);
	}
	if (!text)
		out_fail(&w, PW_ERR_NOMEM, NULL);
done:
	json_decref(graph_doc);
	json_decref(pathway);
	json_decref(dest);
	json_decref(target);
	json_decref(ids);
	json_decref(children);
	json_decref(w.graph);
	free(dest_id);
	if (w.st) {
		free(text);
		return w.st;
	}
	*out = text;
	return PW_OK;
}
