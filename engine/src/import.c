/* import.c - what every importer shares: reading what the store holds in
 * the native form, merging a framework's skill into the stored one (SPEC
 * §6: nothing a stored skill had is lost), deriving ids, progress and notes,
 * and the one write through the loader's validation. */
#include "import.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

pw_status imp_stored(pw_engine *e, pw_kind kind, const char *id, json_t **out,
                     pw_error *err)
{
	char *text;
	pw_status st = pw_show_json(e, kind, id, 0, &text, err);
	if (st)
		return st;
	json_error_t jerr;
	json_t *v = json_loads(text, 0, &jerr);
	free(text);
	if (!v)
		return pw_oom(err);
	*out = v;
	return PW_OK;
}

static pw_status add_code(void *ctx, const scan_row *row)
{
	struct {
		json_t *map;
		const char *framework;
	} *c = ctx;
	if (strcmp(row_text(row, 1), c->framework) != 0)
		return PW_OK;
	return json_object_set_new(c->map, row_text(row, 2),
	                           json_string(row_text(row, 0)))
	           ? PW_ERR_NOMEM
	           : PW_OK;
}

pw_status imp_skills_by_code(pw_engine *e, const char *framework, json_t **out,
                             pw_error *err)
{
	struct {
		json_t *map;
		const char *framework;
	} c = {json_object(), framework};
	if (!c.map)
		return pw_oom(err);
	pw_status st = store_scan(e->st, SCAN_SKILL_CODES, add_code, &c, err);
	if (st == PW_ERR_NOMEM)
		st = pw_oom(err);
	if (st) {
		json_decref(c.map);
		return st;
	}
	*out = c.map;
	return PW_OK;
}

/* Appends the strings of `from` missing from `to` (an array). */
static int union_strings(json_t *to, json_t *from)
{
	size_t i, j;
	json_t *v, *w;
	json_array_foreach(from, i, v)
	{
		bool seen = false;
		json_array_foreach(to, j, w) if (json_equal(v, w))
		{
			seen = true;
			break;
		}
		if (!seen && json_array_append(to, v))
			return -1;
	}
	return 0;
}

static int merge_array(json_t *stored, json_t *incoming, const char *key)
{
	json_t *from = json_object_get(incoming, key);
	if (!json_is_array(from) || !json_array_size(from))
		return 0;
	json_t *to = json_object_get(stored, key);
	if (!json_is_array(to)) {
		to = json_array();
		if (!to || json_object_set_new(stored, key, to))
			return -1;
	}
	return union_strings(to, from);
}

int imp_merge_skill(json_t *stored, json_t *incoming)
{
	json_t *name = json_object_get(incoming, "name");
	const char *old = json_string_value(json_object_get(stored, "name"));
	if (json_is_string(name)) {
		/* the name the skill had stays findable as an alias */
		if (old && strcmp(old, json_string_value(name)) != 0) {
			json_t *one = json_pack("[s]", old);
			json_t *tmp = json_pack("{s:o}", "aliases", one);
			int rc = !tmp || merge_array(stored, tmp, "aliases");
			json_decref(tmp);
			if (rc)
				return -1;
		}
		if (json_object_set(stored, "name", name))
			return -1;
	}
	if (merge_array(stored, incoming, "aliases") ||
	    merge_array(stored, incoming, "broader"))
		return -1;
	/* a name is not its own alias */
	json_t *aliases = json_object_get(stored, "aliases");
	for (size_t i = json_array_size(aliases); i-- > 0;)
		if (json_equal(json_array_get(aliases, i), name))
			json_array_remove(aliases, i);
	json_t *codes = json_object_get(incoming, "codes");
	if (json_is_object(codes)) {
		json_t *to = json_object_get(stored, "codes");
		if (!json_is_object(to)) {
			to = json_object();
			if (!to || json_object_set_new(stored, "codes", to))
				return -1;
		}
		const char *k;
		json_t *v;
		json_object_foreach(codes, k,
		                    v) if (!json_object_get(to, k) &&
		                           json_object_set(to, k, v)) return -1;
	}
	json_t *pattern = json_object_get(incoming, "pattern");
	if (pattern && !json_object_get(stored, "pattern") &&
	    json_object_set(stored, "pattern", pattern))
		return -1;
	json_t *related = json_object_get(incoming, "related");
	if (json_is_array(related) && json_array_size(related)) {
		json_t *to = json_object_get(stored, "related");
		if (!json_is_array(to)) {
			to = json_array();
			if (!to || json_object_set_new(stored, "related", to))
				return -1;
		}
		size_t i, j;
		json_t *r, *s;
		json_array_foreach(related, i, r)
		{
			const char *other =
			    json_string_value(json_object_get(r, "skill"));
			bool seen = false;
			json_array_foreach(
			    to, j,
			    s) if (other &&
			           json_string_value(
			               json_object_get(s, "skill")) &&
			           strcmp(other,
			                  json_string_value(json_object_get(
			                      s, "skill"))) == 0)
			{
				seen = true;
				break;
			}
			if (!seen && json_array_append(to, r))
				return -1;
		}
	}
	return 0;
}

void imp_progress(const pw_import_opts *o, const char *stage, size_t done,
                  size_t total)
{
	if (o && o->progress)
		o->progress(o->progress_ctx, stage, done, total);
}

void imp_note(const pw_import_opts *o, pw_import_summary *sum, const char *file,
              const char *path, const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (o && o->notes)
		report_append(o->notes, file, path, reason);
	if (sum)
		sum->notes++;
}

/* FNV-1a, 64 bits: stable across runs and machines. */
uint64_t imp_hash(const char *s, size_t n, uint64_t h)
{
	if (!h)
		h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

void imp_slug_id(const char *prefix, const char *text, char out[static 129])
{
	size_t n = strlen(prefix);
	memcpy(out, prefix, n);
	bool dash = n > 0;
	size_t start = n;
	for (const unsigned char *p = (const unsigned char *)text;
	     *p && n < 100; p++) {
		unsigned char ch = *p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			out[n++] = (char)ch;
			dash = false;
		} else if (ch >= 'A' && ch <= 'Z') {
			out[n++] = (char)(ch - 'A' + 'a');
			dash = false;
		} else if (!dash) {
			out[n++] = '-';
			dash = true;
		}
	}
	while (n > start && out[n - 1] == '-')
		n--;
	bool clipped = strlen(text) > 0 && (n == start || n >= 100);
	if (clipped) /* keep ids apart when the text did not fit */
		n += (size_t)snprintf(
		    out + n, 129 - n, "-%08llx",
		    (unsigned long long)(imp_hash(text, strlen(text), 0) &
		                         0xffffffffu));
	out[n] = '\0';
}

pw_status imp_write(pw_engine *e, const pw_import_opts *o, const char *name,
                    json_t *doc, pw_report *rep, pw_import_summary *sum,
                    pw_error *err)
{
	pw_import_summary counts = {0};
	pw_status st;
	imp_progress(o, "checking", 0, 0);
	for (int k = 0; k < PW_KIND_COUNT; k++) {
		json_t *arr = json_object_get(doc, pw_kind_name((pw_kind)k));
		size_t i;
		json_t *v;
		json_array_foreach(arr, i, v)
		{
			const char *id =
			    json_string_value(json_object_get(v, "id"));
			bool there = false;
			if (id && (st = store_exists(e->st, (pw_kind)k, id,
			                             &there, err)))
				return st;
			if (there)
				counts.updated[k]++;
			else
				counts.created[k]++;
		}
	}
	imp_progress(o, "writing", 0, 0);
	json_t *const docs[] = {doc};
	st = load_json_docs(e, &name, docs, 1, rep, NULL, err);
	if (!st && sum) {
		memcpy(sum->created, counts.created, sizeof counts.created);
		memcpy(sum->updated, counts.updated, sizeof counts.updated);
	}
	return st;
}
