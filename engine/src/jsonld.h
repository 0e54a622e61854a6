/* jsonld.h - reading JSON-LD as plain JSON (FORMATS.md §0), for every
 * reader of linked-data documents: schema.org JobPosting, and later Open
 * Badges, CLR and CTDL. No JSON-LD processor is involved: the helpers
 * accept the shapes real documents take (scalar or array, URI or object,
 * prefixed or bare type terms, language maps, dates with times and zones,
 * numbers written as strings) and leave the decision of what is an error to
 * the reader, which knows the property.
 *
 * Every json_t * handed out is borrowed from the document (or the index) it
 * came from; nothing here takes a reference the caller must drop, except
 * jld_index_new's result and the strings jld_html_text returns. */
#ifndef PW_JSONLD_H
#define PW_JSONLD_H

#include "internal.h"

#include <jansson.h>

/* ---- 1. scalar or array ---- */

/* How many values v stands for: 0 for NULL or JSON null, the size of an
 * array, else 1. */
size_t jld_count(const json_t *v);
/* Value i of v: the array's element, or v itself for i == 0. */
json_t *jld_item(const json_t *v, size_t i);

/* ---- 2. URI or object: ids and references ---- */

/* The id a value names: the string itself, or an object's "@id" (or its
 * alias "id") when that is a string; NULL otherwise. */
const char *jld_id(const json_t *v);
/* Is v a bare reference: a string, or an object holding nothing but an
 * id (and perhaps a "@type")? */
bool jld_is_ref(const json_t *v);

/* An index of a document's nodes by id. Nodes are the objects that carry
 * an id and something more; the first node with an id wins. Each entry
 * remembers where its node is (the path given for the root plus the way
 * down), so that a reader following a reference reports places that exist
 * in the file. */
json_t *jld_index_new(void);
/* Adds the nodes of root (found at path, "" for the top) to index. -1 when
 * out of memory. Recursion is bounded by the document's depth, which the
 * caller has limited (load_too_deep_at). */
int jld_index_add(json_t *index, json_t *root, const char *path);
/* The node a reference names when index holds it (with *where set to its
 * path, when where is not NULL), else v itself (*where NULL). */
json_t *jld_resolve(const json_t *index, json_t *v, const char **where);

/* ---- 3. types are sets ---- */

/* Does the term (a type value, or any vocabulary term) name `local`?
 * "JobPosting", "schema:JobPosting", "https://schema.org/JobPosting" and
 * "http://schema.org/JobPosting" all name "JobPosting"; the comparison is
 * exact on the local part. */
bool jld_term_is(const char *term, const char *local);
/* Does node's "@type" (or "type"), a string or an array of strings, hold a
 * term naming `local`? */
bool jld_has_type(const json_t *node, const char *local);
/* The first type term of node, for messages; NULL when it has none. */
const char *jld_first_type(const json_t *node);

/* ---- 5. text ---- */

/* The text of a value: a string; a value object {"@value", "@language"};
 * a language map {"en-US": "...", "es": ["..."]} (key case varies, and
 * drafts write "@en-US"); or an array of these. Among several languages
 * the preferred one wins (lang, compared caseless; its primary subtag
 * matches too: "en" takes "en-US"), else an English one, else the first.
 * NULL when v holds no text (a number, a structured object, null). lang
 * may be NULL. */
const char *jld_text(const json_t *v, const char *lang);
/* Is v an object shaped as a language map? */
bool jld_is_lang_map(const json_t *v);

/* ---- 4. dates ---- */

enum {
	/* with a time and a zone, give the date in UTC instead of the date
	 * as written (the writer's local date) */
	JLD_DATE_UTC = 1u << 0
};

/* An ISO 8601 calendar date, alone or followed by a time ("T" or one
 * space, hh:mm, optional :ss and fraction) and an optional zone ("Z",
 * "+hh:mm", "+hhmm", "+hh"). Leading and trailing blanks are allowed.
 * false when the text is not such a date (or the date does not exist). */
bool jld_date(const char *text, unsigned flags, pw_date *out);

/* ---- numbers given as strings ---- */

enum {
	/* also accept a leading "$" or "US$" and thousands separators
	 * ("$52,000.50"), as money is written by hand */
	JLD_NUM_MONEY = 1u << 0
};

/* A JSON number, or a string holding one (blanks around it allowed).
 * false for anything else, and for strings that are not wholly a finite
 * number. */
bool jld_number(const json_t *v, unsigned flags, double *out);
/* true/false, or the strings "true"/"false" (any case). */
bool jld_bool(const json_t *v, bool *out);
/* The JSON type of v in words ("a string", "an object"...), for messages. */
const char *jld_type_name(const json_t *v);

/* ---- paths for reports ---- */

/* A JSON path being walked: "@graph[2].baseSalary.value.unitText".
 * Overlong paths are clipped, never overrun. */
typedef struct jld_path {
	char s[512];
	size_t len;
} jld_path;

void jld_path_set(jld_path *p, const char *s);
/* Each returns the length to restore with jld_path_back. */
size_t jld_path_key(jld_path *p, const char *key);
size_t jld_path_index(jld_path *p, size_t i);
/* Adds "[i]" only when v is an array (the path of jld_item(v, i)). */
size_t jld_path_item(jld_path *p, const json_t *v, size_t i);
void jld_path_back(jld_path *p, size_t len);
/* The path, or "$" when it is empty (the document itself). */
const char *jld_path_str(const jld_path *p);

/* ---- the reader's state ---- */

/* What every reader of linked-data documents keeps while it walks one:
 * where problems go, how many errors it has met, whether the import must
 * stop, and the place being read (file, JSON path, the file's node index
 * for following references). Readers embed it as their first member. */
typedef struct jld_reader {
	pw_report *rep;
	const pw_import_opts *o;
	pw_import_summary *sum;
	pw_error *err;
	size_t errors;
	pw_status fatal; /* out of memory or a store failure: stop */
	const char *file;
	json_t *index; /* the file's nodes by id; may be NULL */
	jld_path path;
} jld_reader;

/* An error in the input at the current place: counted and reported. */
void jr_fail(jld_reader *r, const char *fmt, ...) PW_PRINTF(2, 3);
/* A note (not an error) at the current place (imp_note). */
void jr_note(jld_reader *r, const char *fmt, ...) PW_PRINTF(2, 3);
/* Out of memory: the import stops (the first failure is kept). */
void jr_oom(jld_reader *r);
/* json_object_set_new, taking v == NULL (a failed allocation) or a failed
 * set as out of memory. */
void jr_set_new(jld_reader *r, json_t *o, const char *key, json_t *v);
/* Follows a reference to a node elsewhere in the file; the path moves to
 * that node (put it back from *saved). */
json_t *jr_follow(jld_reader *r, json_t *v, jld_path *saved);

/* ---- HTML ---- */

/* Calls fn for each <script type="application/ld+json"> element of an HTML
 * page, in order, with its index among such elements, its text (without an
 * HTML comment or CDATA wrapper) and the line and column where that text
 * starts. Tag and attribute names and the type value are caseless;
 * attributes may come in any order, quoted either way or not at all, and a
 * type may carry parameters ("application/ld+json; charset=utf-8").
 * Elements inside HTML comments are skipped. fn returns non-zero to stop.
 * Returns the number of elements seen. */
size_t jld_html_scripts(const char *html, size_t len,
                        int (*fn)(void *ctx, size_t index, const char *text,
                                  size_t n, size_t line, size_t column),
                        void *ctx);

/* Does text look like HTML (a tag or a character reference)? */
bool jld_looks_like_html(const char *text);
/* The text of an HTML fragment: tags removed (script and style elements
 * with their contents), character references decoded (numeric ones that
 * name no character become U+FFFD; unknown names stay as written), runs of
 * white space collapsed to one space, block boundaries (p, div, li,
 * headings, table rows) made line breaks and each <br> one more, at most
 * one blank line in a row, lines trimmed, list items marked "- ". Text that
 * does not look like HTML is returned as it is. A new string (free it),
 * NULL when out of memory. */
char *jld_html_text(const char *text);

/* The key by which readers match names and aliases: ASCII letters in lower
 * case, runs of blanks one space, trimmed (s[0..n)). A new string, NULL
 * when out of memory. */
char *jld_fold(const char *s, size_t n);

#endif
