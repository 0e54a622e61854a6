/* import_esco.c - ESCO skills from its CSV release: skills (skills_en.csv,
 * or a list of labels when a release lacks it), skill groups, the
 * transversal/digital/green/... collections for labels and alternative
 * labels, the broader relations of the skills pillar and the essential
 * skill-to-skill relations. Everything is keyed by ESCO URI (codes.esco);
 * a stored skill carrying the URI is merged into, never clobbered. */
#include "import.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ESCO_PREFIX "http://data.europa.eu/esco/"
/* ESCO's "essential" skill relation: knowing one is a large part of the
 * other. "optional" relations are too loose to count toward a match. */
#define ESSENTIAL_WEIGHT 0.5

typedef struct esco {
	pw_engine *e;
	const pw_import_opts *o;
	pw_report *rep;
	pw_import_summary *sum;
	pw_error *err;
	json_t *nodes;  /* key (URI, or "label:" + label) -> node */
	json_t *labels; /* preferred label -> key, for the label list */
	size_t errors;  /* report entries before we started */
	char dir[4096];
} esco;

/* A node: {"name", "aliases": [], "broader": [keys], "related": [keys],
 * "uri"?}. */
static json_t *node_for(esco *x, const char *key, bool *oom)
{
	json_t *n = json_object_get(x->nodes, key);
	if (n)
		return n;
	n = json_pack("{s:[],s:[],s:[]}", "aliases", "broader", "related");
	if (!n || json_object_set_new(x->nodes, key, n)) {
		*oom = true;
		return NULL;
	}
	return n;
}

static bool is_uri(const char *s)
{
	return strncmp(s, ESCO_PREFIX, strlen(ESCO_PREFIX)) == 0 &&
	       s[strlen(ESCO_PREFIX)] != '\0';
}

/* Trims ESCO's stray spaces and line ends in place. */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
	             s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static bool push_unique(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) ==
	                                  0) return true;
	return json_array_append_new(arr, json_string(s)) == 0;
}

/* Alternative labels: one per line in skills_en.csv, " | " between them in
 * the collections. */
static bool add_aliases(json_t *node, const char *text)
{
	char *copy = strdup(text);
	if (!copy)
		return false;
	bool ok = true;
	char *p = copy;
	while (p && *p) {
		char *nl = strchr(p, '\n');
		char *bar = strstr(p, " | ");
		char *end = nl && (!bar || nl < bar) ? nl : bar;
		size_t skip = end == bar && end ? 3 : 1;
		if (end)
			*end = '\0';
		char *a = trim(p);
		const char *name =
		    json_string_value(json_object_get(node, "name"));
		if (*a && (!name || strcmp(a, name) != 0))
			ok = ok &&
			     push_unique(json_object_get(node, "aliases"), a);
		p = end ? end + skip : NULL;
	}
	free(copy);
	return ok;
}

static bool set_name(json_t *node, const char *label)
{
	json_t *name = json_object_get(node, "name");
	if (name) {
		/* a second label for the same concept is an alias */
		if (strcmp(json_string_value(name), label) != 0)
			return push_unique(json_object_get(node, "aliases"),
			                   label);
		return true;
	}
	/* an alias equal to the new name goes */
	json_t *aliases = json_object_get(node, "aliases");
	for (size_t i = json_array_size(aliases); i-- > 0;)
		if (strcmp(json_string_value(json_array_get(aliases, i)),
		           label) == 0)
			json_array_remove(aliases, i);
	return json_object_set_new(node, "name", json_string(label)) == 0;
}

/* The file in dir, or in dir/raw (the layout of the reference copy);
 * false when absent from both. */
static bool find(esco *x, const char *name, char *out, size_t size)
{
	struct stat sb;
	snprintf(out, size, "%s/%s", x->dir, name);
	if (stat(out, &sb) == 0 && S_ISREG(sb.st_mode))
		return true;
	snprintf(out, size, "%s/raw/%s", x->dir, name);
	return stat(out, &sb) == 0 && S_ISREG(sb.st_mode);
}

typedef enum { OPTIONAL_FILE, REQUIRED_FILE } need;

/* Opens name for reading; *t stays NULL when an optional file is absent. */
static pw_status open_csv(esco *x, const char *name, need n,
                          const char *const *cols, table **t)
{
	char path[4200];
	*t = NULL;
	if (!find(x, name, path, sizeof path)) {
		if (n == OPTIONAL_FILE)
			return PW_OK;
		report_appendf(x->rep, name, "$", "no '%s' in '%s'", name,
		               x->dir);
		return pw_fail(x->err, PW_ERR_INVALID, "no '%s' in '%s'", name,
		               x->dir);
	}
	return table_open(path, path, ',', cols, x->rep, t, x->err);
}

/* Reads concepts (URI, label, alternative labels) from one file. */
static pw_status read_concepts(esco *x, const char *file, need n,
                               const char *uri_col, const char *label_col,
                               const char *alt_col, const char *type_col,
                               const char *type_want)
{
	const char *cols[] = {uri_col, label_col, NULL};
	table *t;
	pw_status st = open_csv(x, file, n, cols, &t);
	if (st || !t)
		return st;
	int cu = table_column(t, uri_col), cl = table_column(t, label_col);
	int ca = alt_col ? table_column(t, alt_col) : -1;
	int ct = type_col ? table_column(t, type_col) : -1;
	bool oom = false;
	int r;
	while (!oom && (r = table_next(t, x->err)) == 1) {
		if (ct >= 0 && type_want &&
		    strcmp(table_get(t, ct), type_want) != 0)
			continue;
		char *uri = trim((char *)table_get(t, cu));
		char *label = trim((char *)table_get(t, cl));
		if (!is_uri(uri)) {
			report_appendf(x->rep, table_name(t),
			               table_where_col(t, cu),
			               "'%.80s' is not an ESCO URI", uri);
			continue;
		}
		if (!*label) {
			imp_note(x->o, x->sum, table_name(t),
			         table_where_col(t, cl),
			         "'%s' has no label; left out", uri);
			continue;
		}
		json_t *node = node_for(x, uri, &oom);
		if (!node)
			break;
		if (!set_name(node, label) ||
		    (ca >= 0 && !add_aliases(node, table_get(t, ca))))
			oom = true;
		imp_progress(x->o, file, table_done(t), table_size(t));
	}
	table_close(t);
	if (oom || r < 0)
		return pw_oom(x->err);
	return PW_OK;
}

/* Labels of the ESCO skills stored already, so that a label of the list
 * joins the skill an earlier import made with its URI. */
typedef struct stored_ctx {
	json_t *id_to_uri, *labels;
} stored_ctx;

static pw_status stored_label(void *ctx, const scan_row *row)
{
	stored_ctx *c = ctx;
	json_t *uri = json_object_get(c->id_to_uri, row_text(row, 0));
	const char *name = row_text(row, 1);
	if (!uri || json_object_get(c->labels, name))
		return PW_OK;
	return json_object_set(c->labels, name, uri) ? PW_ERR_NOMEM : PW_OK;
}

static pw_status stored_labels(esco *x)
{
	json_t *by_code;
	pw_status st = imp_skills_by_code(x->e, "esco", &by_code, x->err);
	if (st)
		return st;
	stored_ctx c = {json_object(), x->labels};
	const char *uri;
	json_t *id;
	json_object_foreach(by_code, uri,
	                    id) if (!c.id_to_uri ||
	                            json_object_set_new(c.id_to_uri,
	                                                json_string_value(id),
	                                                json_string(uri)))
	{
		json_decref(c.id_to_uri);
		json_decref(by_code);
		return pw_oom(x->err);
	}
	json_decref(by_code);
	st = store_scan(x->e->st, SCAN_NAMES_SKILL, stored_label, &c, x->err);
	json_decref(c.id_to_uri);
	return st == PW_ERR_NOMEM ? pw_oom(x->err) : st;
}

/* The label list (Decorte et al.'s skills_en_label.txt: ESCO preferred
 * labels, one per line): a label already known from a file with URIs joins
 * that concept; any other becomes a concept of its own, keyed by label. */
static pw_status read_labels(esco *x, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return pw_fail(x->err,
		               errno == ENOENT ? PW_ERR_NOT_FOUND : PW_ERR_IO,
		               "cannot open '%s': %s", path, strerror(errno));
	/* labels known from URI-keyed files */
	const char *key;
	json_t *node;
	bool oom = false;
	json_object_foreach(x->nodes, key, node)
	{
		const char *name =
		    json_string_value(json_object_get(node, "name"));
		if (name && !json_object_get(x->labels, name) &&
		    json_object_set_new(x->labels, name, json_string(key)))
			oom = true;
	}
	pw_status st = stored_labels(x);
	if (st) {
		fclose(f);
		return st;
	}
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t got;
	while (!oom && (got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (memchr(line, '\0', (size_t)got)) {
			char where[32];
			snprintf(where, sizeof where, "line %zu", lineno);
			report_append(x->rep, path, where,
			              "a label holds a NUL byte");
			continue;
		}
		char *label = line;
		if (lineno == 1 && strncmp(label, "\xEF\xBB\xBF", 3) == 0)
			label += 3;
		label = trim(label);
		if (!*label)
			continue;
		json_t *known = json_object_get(x->labels, label);
		if (known) {
			json_t *n = node_for(x, json_string_value(known), &oom);
			if (n && !json_object_get(n, "name") &&
			    !set_name(n, label))
				oom = true;
			continue;
		}
		buf k;
		buf_init(&k);
		buf_printf(&k, "label:%s", label);
		char *kk = buf_detach(&k);
		if (!kk) {
			oom = true;
			break;
		}
		json_t *n = node_for(x, kk, &oom);
		if (n &&
		    (!set_name(n, label) ||
		     json_object_set_new(x->labels, label, json_string(kk))))
			oom = true;
		free(kk);
	}
	bool failed = ferror(f) != 0;
	free(line);
	fclose(f);
	if (oom)
		return pw_oom(x->err);
	if (failed)
		return pw_fail(x->err, PW_ERR_IO, "cannot read '%s'", path);
	return PW_OK;
}

static pw_status read_edges(esco *x, const char *file, const char *from_col,
                            const char *to_col, const char *kind_col,
                            const char *array)
{
	const char *cols[] = {from_col, to_col, NULL};
	table *t;
	pw_status st = open_csv(x, file, OPTIONAL_FILE, cols, &t);
	if (st || !t)
		return st;
	int cf = table_column(t, from_col), ct = table_column(t, to_col);
	int ck = kind_col ? table_column(t, kind_col) : -1;
	bool oom = false;
	size_t loose = 0;
	int r;
	while (!oom && (r = table_next(t, x->err)) == 1) {
		char *from = trim((char *)table_get(t, cf));
		char *to = trim((char *)table_get(t, ct));
		int bad_col = !is_uri(from) ? cf : !is_uri(to) ? ct : -1;
		if (bad_col >= 0) {
			report_appendf(x->rep, table_name(t),
			               table_where_col(t, bad_col),
			               "'%.80s' is not an ESCO URI",
			               table_get(t, bad_col));
			continue;
		}
		if (ck >= 0 && strcmp(table_get(t, ck), "essential") != 0) {
			loose++;
			continue;
		}
		json_t *a = json_object_get(x->nodes, from);
		json_t *b = json_object_get(x->nodes, to);
		/* only between concepts that have a label */
		if (!a || !b || strcmp(from, to) == 0)
			continue;
		if (!push_unique(json_object_get(a, array), to))
			oom = true;
		imp_progress(x->o, file, table_done(t), table_size(t));
	}
	if (loose && !oom && r >= 0)
		imp_note(
		    x->o, x->sum, table_name(t), "$",
		    "%zu optional skill relations left out (only essential "
		    "ones count as related)",
		    loose);
	table_close(t);
	if (oom || r < 0)
		return pw_oom(x->err);
	return PW_OK;
}

/* The skill id for a key: "esco." + the URI's path with '/' as '.'
 * (esco.skill.<uuid>, esco.isced-f.0613), or esco.label.<slug>. */
static void id_for(const char *key, char out[static 129])
{
	if (strncmp(key, "label:", 6) == 0) {
		imp_slug_id("esco.label.", key + 6, out);
		return;
	}
	const char *p = key + strlen(ESCO_PREFIX);
	size_t n = 0;
	bool ok = strlen(p) + 5 < 129;
	memcpy(out, "esco.", 5);
	n = 5;
	for (; ok && *p; p++) {
		char ch = *p;
		if (ch == '/')
			ch = '.';
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
		      ch == '_' || ch == ':'))
			ok = false;
		out[n++] = ch;
	}
	out[n] = '\0';
	if (!ok)
		imp_slug_id("esco.", key + strlen(ESCO_PREFIX), out);
}

/* The final id of every node: the stored skill that carries its URI, else
 * the derived id. */
static pw_status assign_ids(esco *x, json_t *ids)
{
	json_t *by_code;
	pw_status st = imp_skills_by_code(x->e, "esco", &by_code, x->err);
	if (st)
		return st;
	const char *key;
	json_t *node;
	char id[129];
	json_object_foreach(x->nodes, key, node)
	{
		json_t *stored = json_object_get(by_code, key);
		if (stored)
			snprintf(id, sizeof id, "%s",
			         json_string_value(stored));
		else
			id_for(key, id);
		if (json_object_set_new(ids, key, json_string(id))) {
			json_decref(by_code);
			return pw_oom(x->err);
		}
	}
	json_decref(by_code);
	return PW_OK;
}

static json_t *ids_of(json_t *keys, json_t *ids)
{
	json_t *out = json_array();
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k)
	{
		json_t *id = json_object_get(ids, json_string_value(k));
		if (out && id && json_array_append(out, id)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

/* The native skill for a node, merged into what the store holds; NULL in
 * *out when the stored skill already says all of it. */
static pw_status build_skill(esco *x, const char *key, json_t *node,
                             json_t *ids, json_t **out)
{
	const char *id = json_string_value(json_object_get(ids, key));
	json_t *s = json_pack("{s:s,s:O}", "id", id, "name",
	                      json_object_get(node, "name"));
	json_t *broader = ids_of(json_object_get(node, "broader"), ids);
	json_t *rel = json_array();
	pw_status st = PW_OK;
	if (!s || !broader || !rel)
		goto oom;
	if (json_array_size(json_object_get(node, "aliases")) &&
	    json_object_set(s, "aliases", json_object_get(node, "aliases")))
		goto oom;
	if (json_array_size(broader) && json_object_set(s, "broader", broader))
		goto oom;
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(node, "related"), i, k)
	{
		json_t *r =
		    json_pack("{s:O,s:f}", "skill",
		              json_object_get(ids, json_string_value(k)),
		              "weight", ESSENTIAL_WEIGHT);
		if (!r || json_array_append_new(rel, r))
			goto oom;
	}
	if (json_array_size(rel) && json_object_set(s, "related", rel))
		goto oom;
	if (strncmp(key, "label:", 6) != 0) {
		json_t *codes = json_pack("{s:s}", "esco", key);
		if (!codes || json_object_set_new(s, "codes", codes))
			goto oom;
	}
	json_t *stored = NULL;
	st = imp_stored(x->e, PW_KIND_SKILL, id, &stored, x->err);
	if (st == PW_ERR_NOT_FOUND)
		st = PW_OK;
	else if (st)
		goto fail;
	else {
		json_t *before = json_deep_copy(stored);
		if (!before || imp_merge_skill(stored, s)) {
			json_decref(before);
			json_decref(stored);
			goto oom;
		}
		json_decref(s);
		s = stored;
		/* what changes nothing is not written again */
		if (json_equal(before, stored)) {
			json_decref(s);
			s = NULL;
		}
		json_decref(before);
	}
	json_decref(broader);
	json_decref(rel);
	*out = s;
	return PW_OK;
oom:
	st = pw_oom(x->err);
fail:
	json_decref(s);
	json_decref(broader);
	json_decref(rel);
	return st;
}

pw_status pw_import_esco(pw_engine *e, const char *dir,
                         const pw_import_opts *opts, pw_report *rep,
                         pw_import_summary *sum, pw_error *err)
{
	static const char *const collections[] = {
	    "transversalSkillsCollection_en.csv",
	    "digitalSkillsCollection_en.csv",
	    "greenSkillsCollection_en.csv",
	    "languageSkillsCollection_en.csv",
	    "digCompSkillsCollection_en.csv",
	    "researchSkillsCollection_en.csv",
	    NULL};
	pw_import_summary local = {0};
	esco x = {.e = e,
	          .o = opts,
	          .rep = rep,
	          .sum = sum ? sum : &local,
	          .err = err};
	json_t *ids = NULL, *doc = NULL, *skills = NULL;
	pw_status st;
	struct stat sb;
	char path[4200];

	if (!rep)
		return pw_fail(err, PW_ERR_INVALID, "an import needs a report");
	memset(x.sum, 0, sizeof *x.sum);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return pw_fail(
		    err, PW_ERR_IO, "cannot open directory '%s': %s", dir,
		    stat(dir, &sb) ? strerror(errno) : "not a directory");
	snprintf(x.dir, sizeof x.dir, "%s", dir);
	x.errors = pw_report_count(rep);
	x.nodes = json_object();
	x.labels = json_object();
	ids = json_object();
	if (!x.nodes || !x.labels || !ids) {
		st = pw_oom(err);
		goto out;
	}

	bool full = find(&x, "skills_en.csv", path, sizeof path);
	if (full &&
	    (st = read_concepts(&x, "skills_en.csv", REQUIRED_FILE,
	                        "conceptUri", "preferredLabel", "altLabels",
	                        "conceptType", "KnowledgeSkillCompetence")))
		goto out;
	if ((st = read_concepts(&x, "skillGroups_en.csv", OPTIONAL_FILE,
	                        "conceptUri", "preferredLabel", "altLabels",
	                        NULL, NULL)))
		goto out;
	for (size_t i = 0; collections[i]; i++)
		if ((st = read_concepts(&x, collections[i], OPTIONAL_FILE,
		                        "conceptUri", "preferredLabel",
		                        "altLabels", "conceptType",
		                        "KnowledgeSkillCompetence")))
			goto out;
	if (!full) {
		if (opts && opts->labels) {
			if ((st = read_labels(&x, opts->labels)))
				goto out;
		} else
			imp_note(opts, x.sum, "skills_en.csv", "$",
			         "absent from '%s': only skill groups and the "
			         "collections' skills are imported (give "
			         "--labels FILE for the rest)",
			         dir);
	}
	if ((st = read_edges(&x, "broaderRelationsSkillPillar_en.csv",
	                     "conceptUri", "broaderUri", NULL, "broader")) ||
	    (st = read_edges(&x, "skillSkillRelations_en.csv",
	                     "originalSkillUri", "relatedSkillUri",
	                     "relationType", "related")))
		goto out;
	if (pw_report_count(rep) > x.errors) {
		size_t n = pw_report_count(rep) - x.errors;
		st = pw_fail(err, PW_ERR_INVALID,
		             "%zu error%s in the input; nothing was imported",
		             n, n == 1 ? "" : "s");
		goto out;
	}
	if (!json_object_size(x.nodes)) {
		report_appendf(rep, dir, "$", "no ESCO skills found");
		st =
		    pw_fail(err, PW_ERR_INVALID, "no ESCO skills in '%s'", dir);
		goto out;
	}

	if ((st = assign_ids(&x, ids)))
		goto out;
	doc = json_object();
	skills = json_array();
	if (!doc || !skills || json_object_set(doc, "skills", skills)) {
		st = pw_oom(err);
		goto out;
	}
	const char *key;
	json_t *node;
	size_t done = 0, total = json_object_size(x.nodes);
	json_object_foreach(x.nodes, key, node)
	{
		json_t *s = NULL;
		if ((st = build_skill(&x, key, node, ids, &s)))
			goto out;
		if (s && json_array_append_new(skills, s)) {
			st = pw_oom(err);
			goto out;
		}
		imp_progress(opts, "skills", ++done, total);
	}
	st = imp_write(e, opts, "esco", doc, rep, x.sum, err);
out:
	json_decref(x.nodes);
	json_decref(x.labels);
	json_decref(ids);
	json_decref(doc);
	json_decref(skills);
	return st;
}
