/* write.c - single-entity writes for the HTTP API: PUT and POST bodies are
 * validated by the loader itself (the same checks, the same messages, one
 * transaction), with report paths made relative to the object sent. */
#include "internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define BODY "body"

/* Copies the inner report into rep, rewriting "KIND[0].x" (or, for an
 * added holding, "learners[0].credentials[N].x") to "x", and the bare
 * prefix to "$". */
static void relay(pw_report *rep, const pw_report *inner, const char *prefix)
{
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < pw_report_count(inner); i++) {
		const char *file, *path, *reason;
		pw_report_get(inner, i, &file, &path, &reason);
		const char *rel = path;
		if (strncmp(path, prefix, plen) == 0) {
			rel = path + plen;
			if (*rel == '.')
				rel++;
			if (!*rel)
				rel = "$";
		}
		report_append(rep, BODY, rel, reason);
	}
}

static pw_status parse_body(const char *json, size_t len, json_t **out,
                            pw_report *rep, pw_error *err)
{
	/* zeroed: jansson leaves the error code unset when it cannot
	 * allocate its lexer */
	json_error_t jerr = {0};
	char reason[300];
	if (load_too_deep_at(json, len) != SIZE_MAX) {
		snprintf(reason, sizeof reason,
		         "JSON nested deeper than %d levels", JSON_MAX_DEPTH);
		report_append(rep, BODY, "$", reason);
		return pw_fail(err, PW_ERR_INVALID, "%s", reason);
	}
	json_t *v = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	/* jansson reports an allocation failure inside a string token as a
	 * syntax error: a body it refuses is parsed once more, and only a
	 * second refusal is the client's */
	if (!v && json_error_code(&jerr) != json_error_out_of_memory &&
	    jerr.text[0])
		v = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v) {
		/* jansson leaves the error empty (line -1) when it cannot
		 * allocate its lexer: that is out of memory too */
		if (json_error_code(&jerr) == json_error_out_of_memory ||
		    !jerr.text[0])
			return pw_oom(err);
		snprintf(reason, sizeof reason,
		         "invalid JSON: %s (line %d, column %d)", jerr.text,
		         jerr.line, jerr.column);
		report_append(rep, BODY, "$", reason);
		return pw_fail(err, PW_ERR_INVALID, "%s", reason);
	}
	if (!json_is_object(v)) {
		json_decref(v);
		report_append(rep, BODY, "$", "expected a JSON object");
		return pw_fail(err, PW_ERR_INVALID, "expected a JSON object");
	}
	*out = v;
	return PW_OK;
}

/* Loads obj as the one entity of a document; paths under `prefix` are
 * relayed relative to the object. */
static pw_status put_object(pw_engine *e, pw_kind kind, json_t *obj,
                            const char *prefix, pw_report *rep, pw_error *err)
{
	json_t *doc = json_object(), *arr = json_array();
	pw_status st;
	if (!doc || !arr || json_array_append(arr, obj)) {
		json_decref(arr);
		json_decref(doc);
		return pw_oom(err);
	}
	/* set_new takes arr over even when it fails */
	if (json_object_set_new(doc, pw_kind_name(kind), arr)) {
		json_decref(doc);
		return pw_oom(err);
	}
	arr = NULL;
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text)
		return pw_oom(err);
	pw_report *inner = pw_report_new();
	if (!inner) {
		free(text);
		return pw_oom(err);
	}
	const char *name = BODY;
	const char *data = text;
	size_t len = strlen(text);
	st = pw_load_buffers(e, &name, &data, &len, 1, inner, NULL, err);
	relay(rep, inner, prefix);
	pw_report_free(inner);
	free(text);
	return st;
}

pw_status pw_put_entity(pw_engine *e, pw_kind kind, const char *json,
                        size_t len, const pw_put_opts *opts, pw_report *rep,
                        pw_put_result *res, pw_error *err)
{
	static const pw_put_opts none = {0};
	json_t *obj = NULL;
	pw_status st;
	char prefix[32];
	if (!opts)
		opts = &none;
	if (kind >= PW_KIND_COUNT || !rep)
		return pw_fail(err, PW_ERR_INVALID,
		               "a write needs a kind and a report");
	if ((st = parse_body(json, len, &obj, rep, err)))
		return st;
	json_t *given = json_object_get(obj, "id");
	if (opts->id) {
		if (!given) {
			if (json_object_set_new(obj, "id",
			                        json_string(opts->id))) {
				st = pw_oom(err);
				goto out;
			}
		} else if (!json_is_string(given) ||
		           strcmp(json_string_value(given), opts->id) != 0) {
			report_append(rep, BODY, "id",
			              "does not match the id in the path");
			st = pw_fail(
			    err, PW_ERR_INVALID,
			    "the body's id does not match the path's '%s'",
			    opts->id);
			goto out;
		}
	}
	given = json_object_get(obj, "id");
	const char *id =
	    json_is_string(given) ? json_string_value(given) : NULL;
	bool existed = false;
	if (id && text_valid_id(id) &&
	    (st = store_exists(e->st, kind, id, &existed, err)))
		goto out;
	if (existed && opts->new_only) {
		st = pw_fail(err, PW_ERR_EXISTS, "%s '%s' exists",
		             pw_kind_name(kind), id);
		goto out;
	}
	if (kind == PW_KIND_JOB) {
		/* the owner comes from the caller, never from the body */
		json_object_del(obj, "owner");
		char *keep = NULL;
		if (!opts->owner && existed &&
		    (st = pw_job_owner(e, id, &keep, err)))
			goto out;
		const char *o = opts->owner ? opts->owner : keep;
		if (o && json_object_set_new(obj, "owner", json_string(o)))
			st = pw_oom(err);
		pw_free(keep);
		if (st)
			goto out;
	}
	snprintf(prefix, sizeof prefix, "%s[0]", pw_kind_name(kind));
	if ((st = put_object(e, kind, obj, prefix, rep, err)))
		goto out;
	if (res) {
		snprintf(res->id, sizeof res->id, "%s", id ? id : "");
		res->created = !existed;
	}
out:
	json_decref(obj);
	return st;
}

pw_status pw_delete_job(pw_engine *e, const char *id, pw_error *err)
{
	bool deleted = false;
	long long before = -1, after;
	engine_write_begin(e);
	if (e->sh->m && store_version(e->st, &before, NULL))
		before = -1;
	pw_status st = store_begin(e->st, err);
	if (st)
		goto out;
	if ((st = store_delete_job(e->st, id, &deleted, err)))
		goto fail;
	if (!deleted) {
		st = pw_fail(err, PW_ERR_NOT_FOUND, "no job '%s'", id);
		goto fail;
	}
	if ((st = store_commit(e->st, err)))
		goto fail;
	/* keep the model current in place when nothing else wrote meanwhile */
	if (e->sh->m && e->sh->version == before &&
	    !store_version(e->st, &after, NULL) && after == before + 1) {
		model_delete_target(e->sh->m, id);
		e->sh->version = after;
	}
	goto out;
fail:
	store_rollback(e->st);
out:
	engine_write_end(e);
	return st;
}

pw_status pw_add_holding(pw_engine *e, const char *learner, const char *json,
                         size_t len, pw_report *rep, bool *added, pw_error *err)
{
	json_t *entry = NULL, *rec = NULL;
	char *current = NULL, prefix[64];
	pw_status st;
	if (!rep)
		return pw_fail(err, PW_ERR_INVALID, "a write needs a report");
	if ((st = pw_show_json(e, PW_KIND_LEARNER, learner, 0, &current, err)))
		return st;
	if ((st = parse_body(json, len, &entry, rep, err)))
		goto out;
	json_error_t jerr;
	rec = json_loads(current, 0, &jerr);
	json_t *list = rec ? json_object_get(rec, "credentials") : NULL;
	if (!list) {
		st = pw_fail(err, PW_ERR_DB, "cannot read learner '%s'",
		             learner);
		goto out;
	}
	for (size_t i = 0; i < json_array_size(list); i++)
		if (json_equal(json_array_get(list, i), entry)) {
			*added = false;
			goto out; /* the same entry twice changes nothing */
		}
	snprintf(prefix, sizeof prefix, "learners[0].credentials[%zu]",
	         json_array_size(list));
	if (json_array_append(list, entry)) {
		st = pw_oom(err);
		goto out;
	}
	if ((st = put_object(e, PW_KIND_LEARNER, rec, prefix, rep, err)))
		goto out;
	*added = true;
out:
	json_decref(entry);
	json_decref(rec);
	pw_free(current);
	return st;
}
