/* routes.c - the HTTP API's route table and handlers (SPEC §7): who may read
 * what, the query parameters of each route, and the documents, which come
 * from the same engine renderers as the CLI's --json. Errors are
 * application/problem+json. */
#include "routes.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_SEGMENTS 8

typedef struct ctx {
	pw_engine *e;
	const api_request *req;
	api_response *res;
	pw_principal who;
	const char *arg[MAX_SEGMENTS]; /* the {placeholders}, in order */
	char segbuf[1024];
} ctx;

/* ---- responses ---- */

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	}
	return "Error";
}

static void json_string(char *out, size_t size, const char *s)
{
	size_t n = 0;
	if (size < 3)
		return;
	out[n++] = '"';
	for (; *s && n + 7 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c < 0x20)
			n += (size_t)snprintf(out + n, size - n, "\\u%04x", c);
		else
			out[n++] = (char)c;
	}
	out[n++] = '"';
	out[n] = '\0';
}

/* An application/problem+json answer (RFC 9457). */
static void problem(ctx *c, int status, const char *fmt, ...)
{
	char detail[600], quoted[1300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	json_string(quoted, sizeof quoted, detail);
	api_response *res = c->res;
	free(res->body);
	size_t cap = strlen(quoted) + 160;
	res->body = malloc(cap);
	res->status = status;
	res->content_type = "application/problem+json";
	if (!res->body) {
		res->body_len = 0;
		return;
	}
	int n =
	    snprintf(res->body, cap,
	             "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,"
	             "\"detail\":%s}\n",
	             reason(status), status, quoted);
	res->body_len = n > 0 ? (size_t)n : 0;
}

static void engine_problem(ctx *c, pw_status st, const pw_error *err)
{
	int status = 500;
	switch (st) {
	case PW_OK: status = 200; break;
	case PW_ERR_INVALID: status = 400; break;
	case PW_ERR_NOT_FOUND: status = 404; break;
	case PW_ERR_DENIED: status = 401; break;
	case PW_ERR_EXISTS: status = 409; break;
	case PW_ERR_NOMEM: status = 503; break;
	case PW_ERR_IO:
	case PW_ERR_DB: status = 500; break;
	}
	problem(c, status, "%s", err->message);
}

/* Takes over a rendered document (NULL means out of memory). */
static void document(ctx *c, int status, char *text)
{
	if (!text) {
		problem(c, 503, "out of memory");
		return;
	}
	free(c->res->body);
	c->res->status = status;
	c->res->content_type = "application/json";
	c->res->body = text;
	c->res->body_len = strlen(text);
}

void api_response_release(api_response *res)
{
	if (!res)
		return;
	free(res->body);
	res->body = NULL;
	res->body_len = 0;
}

/* ---- query parameters ---- */

static const char *param(const ctx *c, const char *key)
{
	for (size_t i = 0; i < c->req->nparams; i++)
		if (strcmp(c->req->params[i].key, key) == 0)
			return c->req->params[i].value ? c->req->params[i].value
			                               : "";
	return NULL;
}

/* Only the parameters a route names are accepted, once each: a typo or a
 * repeat is a 400, not a silently ignored filter. */
static bool known_params(ctx *c, const char *const *names)
{
	for (size_t i = 0; i < c->req->nparams; i++) {
		bool ok = false;
		for (size_t k = 0; names && names[k]; k++)
			ok |= strcmp(c->req->params[i].key, names[k]) == 0;
		if (!ok) {
			problem(c, 400, "unknown query parameter '%s'",
			        c->req->params[i].key);
			return false;
		}
		/* one value each: a second would be silently ignored */
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->req->params[j].key,
			           c->req->params[i].key) == 0) {
				problem(c, 400,
				        "query parameter '%s' is given more "
				        "than once",
				        c->req->params[i].key);
				return false;
			}
	}
	return true;
}

static bool param_bool(ctx *c, const char *key, bool *out)
{
	const char *v = param(c, key);
	*out = false;
	if (!v)
		return true;
	if (!*v || strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		*out = true;
	else if (strcmp(v, "false") != 0 && strcmp(v, "0") != 0) {
		problem(c, 400, "'%s' takes true or false, got '%s'", key, v);
		return false;
	}
	return true;
}

static bool param_count(ctx *c, const char *key, size_t min, size_t *out)
{
	const char *v = param(c, key);
	if (!v)
		return true;
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || end == v || *end || n < (long long)min || n > 1000000) {
		problem(c, 400, "'%s' takes a whole number >= %zu, got '%s'",
		        key, min, v);
		return false;
	}
	*out = (size_t)n;
	return true;
}

static bool param_date(ctx *c, pw_date *out)
{
	const char *v = param(c, "as_of");
	pw_error err;
	*out = pw_today();
	if (v && pw_date_parse(v, out, &err)) {
		problem(c, 400, "as_of: %s", err.message);
		return false;
	}
	return true;
}

/* ---- who may see what ---- */

/* A learner's record and everything computed from it: that learner, boards
 * and admins. Another learner gets 404, so existence does not leak. */
static bool may_read_learner(ctx *c, const char *learner)
{
	switch (c->who.role) {
	case PW_ROLE_NONE:
		problem(c, 401, "this route needs a bearer token");
		return false;
	case PW_ROLE_LEARNER:
		if (strcmp(c->who.subject, learner) != 0) {
			problem(c, 404, "no learner '%s'", learner);
			return false;
		}
		return true;
	case PW_ROLE_EMPLOYER:
		problem(c, 403, "an employer cannot read a learner's record");
		return false;
	case PW_ROLE_BOARD:
	case PW_ROLE_ADMIN: return true;
	}
	return false;
}

/* A job's candidates: the employer that owns it, boards and admins. */
static bool may_see_candidates(ctx *c, const char *job)
{
	switch (c->who.role) {
	case PW_ROLE_NONE:
		problem(c, 401, "this route needs a bearer token");
		return false;
	case PW_ROLE_LEARNER:
		problem(c, 403, "a learner cannot list a job's candidates");
		return false;
	case PW_ROLE_EMPLOYER: {
		char *owner = NULL;
		pw_error err;
		pw_status st = pw_job_owner(c->e, job, &owner, &err);
		if (st == PW_ERR_NOT_FOUND) {
			/* an occupation code, or nothing: not this employer's
			 */
			problem(c, 404, "no job '%s'", job);
			return false;
		}
		if (st) {
			engine_problem(c, st, &err);
			return false;
		}
		bool mine = owner && strcmp(owner, c->who.subject) == 0;
		pw_free(owner);
		if (!mine)
			problem(c, 404, "no job '%s'", job);
		return mine;
	}
	case PW_ROLE_BOARD:
	case PW_ROLE_ADMIN: return true;
	}
	return false;
}

/* ---- handlers ---- */

/* api/openapi.json, embedded at build time */
extern const unsigned char api_openapi_json[];
extern const unsigned long api_openapi_json_len;

static void get_openapi(ctx *c)
{
	char *body = malloc(api_openapi_json_len + 1);
	if (body)
		memcpy(body, api_openapi_json, api_openapi_json_len + 1);
	document(c, 200, body);
}

static void get_health(ctx *c)
{
	char *body = malloc(64);
	if (body)
		snprintf(body, 64, "{\"status\":\"ok\",\"version\":\"%s\"}\n",
		         pw_version());
	document(c, 200, body);
}

static void list_kind(ctx *c, pw_kind kind)
{
	static const char *const job_params[] = {"q",   "county", "remote",
	                                         "top", "offset", NULL};
	static const char *const other_params[] = {"q", "top", "offset", NULL};
	/* the public catalog: unlisted credentials, made from one learner's
	 * badge, are not in it (SPEC §1) */
	pw_list_opts o = {.q = param(c, "q"), .remote = -1, .catalog = true};
	pw_list *l;
	pw_error err;
	if (!known_params(c, kind == PW_KIND_JOB ? job_params : other_params) ||
	    !param_count(c, "top", 1, &o.top) ||
	    !param_count(c, "offset", 0, &o.offset))
		return;
	if (kind == PW_KIND_JOB) {
		bool remote;
		o.county = param(c, "county");
		if (param(c, "remote")) {
			if (!param_bool(c, "remote", &remote))
				return;
			o.remote = remote;
		}
	}
	pw_status st = pw_list_query(c->e, kind, &o, &l, &err);
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, 200, pw_list_json(l, 0));
	pw_list_free(l);
}

static void get_skills(ctx *c)
{
	list_kind(c, PW_KIND_SKILL);
}
static void get_credentials(ctx *c)
{
	list_kind(c, PW_KIND_CREDENTIAL);
}
static void get_occupations(ctx *c)
{
	list_kind(c, PW_KIND_OCCUPATION);
}
static void get_jobs(ctx *c)
{
	list_kind(c, PW_KIND_JOB);
}

static void show(ctx *c, pw_kind kind, unsigned flags)
{
	char *text;
	pw_error err;
	if (!known_params(c, NULL))
		return;
	pw_status st = pw_show_json(c->e, kind, c->arg[0], flags, &text, &err);
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, 200, text);
}

static void get_skill(ctx *c)
{
	show(c, PW_KIND_SKILL, 0);
}
static void get_credential(ctx *c)
{
	show(c, PW_KIND_CREDENTIAL, 0);
}
static void get_occupation(ctx *c)
{
	show(c, PW_KIND_OCCUPATION, 0);
}
static void get_job(ctx *c)
{
	show(c, PW_KIND_JOB, 0);
}

static void get_learner(ctx *c)
{
	if (!may_read_learner(c, c->arg[0]))
		return;
	/* demographics go to the learner and admins only (SPEC §10) */
	bool own =
	    c->who.role == PW_ROLE_LEARNER || c->who.role == PW_ROLE_ADMIN;
	show(c, PW_KIND_LEARNER, own ? 0 : PW_JSON_NO_DEMOGRAPHICS);
}

static void get_matches(ctx *c)
{
	static const char *const names[] = {
	    "top", "anywhere", "qualified", "occupations", "as_of", NULL};
	pw_match_opts o = {0};
	pw_match *m;
	pw_error err;
	if (!may_read_learner(c, c->arg[0]) || !known_params(c, names) ||
	    !param_count(c, "top", 1, &o.top) ||
	    !param_bool(c, "anywhere", &o.anywhere) ||
	    !param_bool(c, "qualified", &o.qualified) ||
	    !param_bool(c, "occupations", &o.occupations) ||
	    !param_date(c, &o.as_of))
		return;
	pw_status st = pw_match_learner(c->e, c->arg[0], &o, &m, &err);
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, 200, pw_match_json(m, 0));
	pw_match_free(m);
}

static void get_explain(ctx *c)
{
	static const char *const names[] = {"as_of", NULL};
	pw_date as_of;
	pw_explain *x;
	pw_error err;
	if (!may_read_learner(c, c->arg[0]) || !known_params(c, names) ||
	    !param_date(c, &as_of))
		return;
	pw_status st =
	    pw_explain_match(c->e, c->arg[0], c->arg[1], as_of, &x, &err);
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, 200, pw_explain_json(x, 0));
	pw_explain_free(x);
}

static void get_plan(ctx *c)
{
	static const char *const names[] = {"by", "as_of", NULL};
	pw_date as_of;
	pw_objective by = PW_BY_HOURS;
	pw_plan *p;
	pw_error err;
	if (!may_read_learner(c, c->arg[0]) || !known_params(c, names) ||
	    !param_date(c, &as_of))
		return;
	const char *v = param(c, "by");
	if (v && strcmp(v, "cost") == 0)
		by = PW_BY_COST;
	else if (v && strcmp(v, "hours") != 0) {
		problem(c, 400, "'by' takes hours or cost, got '%s'", v);
		return;
	}
	pw_status st =
	    pw_plan_target(c->e, c->arg[0], c->arg[1], as_of, by, &p, &err);
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, 200, pw_plan_json(p, 0));
	pw_plan_free(p);
}

static void get_next(ctx *c)
{
	static const char *const names[] = {"top", "as_of", NULL};
	pw_date as_of;
	size_t top = 0;
	pw_next *n;
	pw_error err;
	if (!may_read_learner(c, c->arg[0]) || !known_params(c, names) ||
	    !param_count(c, "top", 1, &top) || !param_date(c, &as_of))
		return;
	pw_status st =
	    pw_next_credentials(c->e, c->arg[0], as_of, top, &n, &err);
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, 200, pw_next_json(n, 0));
	pw_next_free(n);
}

/* A learner's credentials as a CLR 2.0 bundle (issue 9 item 4): the
 * learner's own data, so the learner and admins only; boards, which read a
 * record, do not take it away. */
static void get_clr(ctx *c)
{
	static const char *const names[] = {"as_of", NULL};
	pw_date as_of;
	char *text = NULL;
	pw_error err;
	if (c->who.role == PW_ROLE_BOARD) {
		problem(c, 403, "a board cannot export a learner's record");
		return;
	}
	if (!may_read_learner(c, c->arg[0]) || !known_params(c, names) ||
	    !param_date(c, &as_of))
		return;
	pw_status st =
	    pw_export_learner_clr(c->e, c->arg[0], as_of, 0, &text, &err);
	if (st == PW_ERR_INVALID) /* nothing to carry: the record's state */
		problem(c, 409, "%s", err.message);
	else if (st)
		engine_problem(c, st, &err);
	else
		document(c, 200, text);
}

static void get_candidates(ctx *c)
{
	static const char *const names[] = {"top", "as_of", NULL};
	pw_date as_of;
	size_t top = 0;
	pw_candidates *cs;
	pw_error err;
	if (!may_see_candidates(c, c->arg[0]) || !known_params(c, names) ||
	    !param_count(c, "top", 1, &top) || !param_date(c, &as_of))
		return;
	pw_status st =
	    pw_find_candidates(c->e, c->arg[0], as_of, top, &cs, &err);
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, 200, pw_candidates_json(cs, 0));
	pw_candidates_free(cs);
}

/* ---- writes ---- */

#define MAX_BODY (1u << 20)

/* Sends a rejected write's problems as one 400 detail. */
static void invalid_body(ctx *c, const pw_report *rep, const pw_error *err)
{
	char detail[580] = "";
	size_t n = 0;
	for (size_t i = 0; i < pw_report_count(rep) && n + 4 < sizeof detail;
	     i++) {
		const char *file, *path, *why;
		pw_report_get(rep, i, &file, &path, &why);
		int w = snprintf(detail + n, sizeof detail - n, "%s%s: %s",
		                 i ? "; " : "", path, why);
		if (w > 0)
			n += (size_t)w < sizeof detail - n
			         ? (size_t)w
			         : sizeof detail - n - 1;
	}
	problem(c, 400, "%s", n ? detail : err->message);
}

/* Ends a write: answers its failure, if any, and frees its report. */
static bool wrote(ctx *c, pw_status st, pw_report *rep, const pw_error *err)
{
	if (st == PW_ERR_INVALID)
		invalid_body(c, rep, err);
	else if (st)
		engine_problem(c, st, err);
	pw_report_free(rep);
	return st == PW_OK;
}

static bool body_ok(ctx *c)
{
	if (c->req->body_len > MAX_BODY) {
		problem(c, 413, "a request body takes at most 1 MiB");
		return false;
	}
	if (!c->req->body || !c->req->body_len) {
		problem(c, 400, "this route needs a JSON body");
		return false;
	}
	return known_params(c, NULL);
}

/* Jobs are written by the employer that owns them, and by admins. For an
 * employer, someone else's job does not exist (404). */
static bool may_write_job(ctx *c, const char *job)
{
	switch (c->who.role) {
	case PW_ROLE_NONE:
		problem(c, 401, "this route needs a bearer token");
		return false;
	case PW_ROLE_LEARNER:
	case PW_ROLE_BOARD:
		problem(c, 403,
		        "only the employer that owns a job, or an admin, "
		        "writes it");
		return false;
	case PW_ROLE_EMPLOYER:
	case PW_ROLE_ADMIN: break;
	}
	if (!job)
		return true;
	char *owner = NULL;
	pw_error err;
	pw_status st = pw_job_owner(c->e, job, &owner, &err);
	if (st == PW_ERR_NOT_FOUND)
		return true;
	if (st) {
		engine_problem(c, st, &err);
		return false;
	}
	bool ok = c->who.role == PW_ROLE_ADMIN ||
	          (owner && strcmp(owner, c->who.subject) == 0);
	pw_free(owner);
	if (!ok)
		problem(c, 404, "no job '%s'", job);
	return ok;
}

/* POST (id from the body, must be new) and PUT (id from the path). The
 * owner is the employer's token, never the body. */
static void write_job(ctx *c, const char *id)
{
	pw_report *rep = pw_report_new();
	pw_error err;
	pw_put_result res = {0};
	pw_put_opts o = {
	    .id = id,
	    .owner = c->who.role == PW_ROLE_EMPLOYER ? c->who.subject : NULL,
	    .new_only = id == NULL};
	if (!rep) {
		problem(c, 503, "out of memory");
		return;
	}
	pw_status st = pw_put_entity(c->e, PW_KIND_JOB, c->req->body,
	                             c->req->body_len, &o, rep, &res, &err);
	if (!wrote(c, st, rep, &err))
		return;
	char *text;
	if ((st = pw_show_json(c->e, PW_KIND_JOB, res.id, 0, &text, &err))) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, res.created ? 201 : 200, text);
}

static void post_job(ctx *c)
{
	if (body_ok(c) && may_write_job(c, NULL))
		write_job(c, NULL);
}

static void put_job(ctx *c)
{
	if (body_ok(c) && may_write_job(c, c->arg[0]))
		write_job(c, c->arg[0]);
}

static void delete_job(ctx *c)
{
	pw_error err;
	if (!known_params(c, NULL) || !may_write_job(c, c->arg[0]))
		return;
	pw_status st = pw_delete_job(c->e, c->arg[0], &err);
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	free(c->res->body);
	c->res->body = NULL;
	c->res->body_len = 0;
	c->res->status = 204;
	c->res->content_type = "application/json";
}

/* A learner's record is written by that learner and admins. */
static bool may_write_learner(ctx *c, const char *learner)
{
	switch (c->who.role) {
	case PW_ROLE_NONE:
		problem(c, 401, "this route needs a bearer token");
		return false;
	case PW_ROLE_LEARNER:
		if (strcmp(c->who.subject, learner) != 0) {
			problem(c, 404, "no learner '%s'", learner);
			return false;
		}
		return true;
	case PW_ROLE_EMPLOYER:
	case PW_ROLE_BOARD:
		problem(c, 403,
		        "only the learner, or an admin, writes a learner's "
		        "record");
		return false;
	case PW_ROLE_ADMIN: return true;
	}
	return false;
}

static void learner_document(ctx *c, int status)
{
	char *text;
	pw_error err;
	pw_status st =
	    pw_show_json(c->e, PW_KIND_LEARNER, c->arg[0], 0, &text, &err);
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, status, text);
}

static void put_learner(ctx *c)
{
	pw_report *rep;
	pw_error err;
	pw_put_opts o = {.id = c->arg[0]};
	pw_put_result res = {0};
	if (!body_ok(c) || !may_write_learner(c, c->arg[0]))
		return;
	if (!(rep = pw_report_new())) {
		problem(c, 503, "out of memory");
		return;
	}
	pw_status st = pw_put_entity(c->e, PW_KIND_LEARNER, c->req->body,
	                             c->req->body_len, &o, rep, &res, &err);
	if (wrote(c, st, rep, &err))
		learner_document(c, res.created ? 201 : 200);
}

/* ---- a learner's credentials: a native entry or a badge document ---- */

static bool body_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Is the media type `want` (caseless, parameters allowed)? */
static bool media_is(const char *type, const char *want)
{
	size_t n = strlen(want);
	if (!type)
		return false;
	while (*type == ' ')
		type++;
	return strncasecmp(type, want, n) == 0 &&
	       (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

/* The first byte of the value of the top-level key `key` of a JSON object
 * body, 0 when absent. A scan of strings and nesting, not a parse: a body
 * that is not JSON goes on to a reader that reports what is wrong. */
static char top_value(const char *s, size_t n, const char *key)
{
	size_t i = 0, klen = strlen(key);
	int depth = 0;
	bool want_key = false;
	while (i < n && body_blank(s[i]))
		i++;
	if (i == n || s[i] != '{')
		return 0;
	for (; i < n; i++) {
		char ch = s[i];
		if (ch == '"') {
			size_t start = ++i;
			while (i < n && s[i] != '"')
				i += s[i] == '\\' ? 2 : 1;
			if (i >= n)
				return 0;
			if (depth != 1 || !want_key)
				continue;
			size_t j = i + 1;
			while (j < n && body_blank(s[j]))
				j++;
			if (j >= n || s[j] != ':')
				continue;
			bool hit = i - start == klen &&
			           memcmp(s + start, key, klen) == 0;
			for (j++; j < n && body_blank(s[j]); j++)
				;
			if (hit)
				return j < n ? s[j] : 0;
			want_key = false;
			i = j - 1;
		} else if (ch == '{' || ch == '[') {
			depth++;
			want_key = ch == '{' && depth == 1;
		} else if (ch == '}' || ch == ']') {
			if (--depth <= 0)
				return 0;
		} else if (ch == ',' && depth == 1) {
			want_key = true;
		}
	}
	return 0;
}

/* SPEC §7: a badge document is an Open Badges or CLR JSON object (it has
 * a "@context" or a "type"; a native entry has "credential", a string),
 * a list of them, an OB 3.0 API answer ({"credential": [...],
 * "compactJwsString": [...]}), or a compact JWS (text/plain, or a body
 * that is not JSON and has dots in it). */
static bool badge_body(const api_request *req)
{
	static const char *const types[] = {
	    "text/plain", "application/jwt", "application/vc+jwt",
	    "application/vc+ld+json", "application/ld+json"};
	const char *s = req->body;
	size_t n = req->body_len, i = 0;
	for (size_t k = 0; k < sizeof types / sizeof types[0]; k++)
		if (media_is(req->content_type, types[k]))
			return true;
	while (i < n && body_blank(s[i]))
		i++;
	if (i < n && (s[i] == '[' || s[i] == '"'))
		return true;
	if (i < n && s[i] == '{')
		return top_value(s, n, "@context") || top_value(s, n, "type") ||
		       top_value(s, n, "@type") ||
		       top_value(s, n, "compactJwsString") ||
		       top_value(s, n, "credential") == '[';
	/* not JSON but dotted: the JWS reader says what is wrong with it */
	return i < n && memchr(s + i, '.', n - i) != NULL;
}

/* A badge document goes through the badge import (one transaction); the
 * answer is the learner's record, 201 when an entry or a credential was
 * added, 200 when the badges were all there already. */
static void post_badges(ctx *c, pw_report *rep)
{
	pw_error err;
	pw_import_summary sum;
	const char *names[] = {"body"}, *data[] = {c->req->body};
	size_t lens[] = {c->req->body_len};
	pw_status st = pw_import_badges_buffers(c->e, c->arg[0], names, data,
	                                        lens, 1, NULL, rep, &sum, &err);
	if (wrote(c, st, rep, &err))
		learner_document(c, sum.created[PW_KIND_CREDENTIAL] ||
		                            sum.updated[PW_KIND_LEARNER]
		                        ? 201
		                        : 200);
}

static void post_holding(ctx *c)
{
	pw_report *rep;
	pw_error err;
	bool added = false;
	if (!body_ok(c) || !may_write_learner(c, c->arg[0]))
		return;
	if (!(rep = pw_report_new())) {
		problem(c, 503, "out of memory");
		return;
	}
	if (badge_body(c->req)) {
		post_badges(c, rep);
		return;
	}
	pw_status st = pw_add_holding(c->e, c->arg[0], c->req->body,
	                              c->req->body_len, rep, &added, &err);
	if (wrote(c, st, rep, &err))
		learner_document(c, added ? 201 : 200);
}

/* ---- outcomes (SPEC §10) ---- */

/* A board view: boards and admins only. */
static bool may_read_outcomes(ctx *c)
{
	switch (c->who.role) {
	case PW_ROLE_NONE:
		problem(c, 401, "this route needs a bearer token");
		return false;
	case PW_ROLE_LEARNER:
	case PW_ROLE_EMPLOYER:
		problem(c, 403, "only boards and admins read outcomes");
		return false;
	case PW_ROLE_BOARD:
	case PW_ROLE_ADMIN: return true;
	}
	return false;
}

static void get_outcomes(ctx *c)
{
	static const char *const names[] = {"county", "state", "near", "radius",
	                                    "by",     "as_of", NULL};
	pw_outcomes_opts o = {0};
	pw_region *region = NULL;
	pw_outcomes *x;
	pw_error err;
	if (!may_read_outcomes(c) || !known_params(c, names) ||
	    !param_date(c, &o.as_of))
		return;
	const char *by = param(c, "by");
	if (!by) {
		problem(c, 400,
		        "outcomes needs 'by' (county, gender, "
		        "race_ethnicity or age_band)");
		return;
	}
	if (pw_group_by_parse(by, &o.by, &err)) {
		problem(c, 400, "by: %s", err.message);
		return;
	}
	pw_status st = pw_region_parse(param(c, "county"), param(c, "state"),
	                               param(c, "near"), param(c, "radius"),
	                               &region, &err);
	if (!st) {
		o.region = region;
		st = pw_outcomes_compute(c->e, &o, &x, &err);
		pw_region_free(region);
	}
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, 200, pw_outcomes_json(x, 0));
	pw_outcomes_free(x);
}

/* ---- demand (SPEC §10) ---- */

/* A board view: boards and admins only, as outcomes. */
static bool may_read_demand(ctx *c)
{
	switch (c->who.role) {
	case PW_ROLE_NONE:
		problem(c, 401, "this route needs a bearer token");
		return false;
	case PW_ROLE_LEARNER:
	case PW_ROLE_EMPLOYER:
		problem(c, 403, "only boards and admins read demand");
		return false;
	case PW_ROLE_BOARD:
	case PW_ROLE_ADMIN: return true;
	}
	return false;
}

static void get_demand(ctx *c)
{
	static const char *const names[] = {"county", "state", "near",
	                                    "radius", "as_of", NULL};
	pw_demand_opts o = {0};
	pw_region *region = NULL;
	pw_demand *d;
	pw_error err;
	if (!may_read_demand(c) || !known_params(c, names) ||
	    !param_date(c, &o.as_of))
		return;
	pw_status st = pw_region_parse(param(c, "county"), param(c, "state"),
	                               param(c, "near"), param(c, "radius"),
	                               &region, &err);
	if (!st) {
		o.region = region;
		st = pw_demand_compute(c->e, &o, &d, &err);
		pw_region_free(region);
	}
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, 200, pw_demand_json(d, 0));
	pw_demand_free(d);
}

/* ---- extraction ---- */

static bool is_json_type(const char *type)
{
	static const char json[] = "application/json";
	if (!type)
		return false;
	while (*type == ' ')
		type++;
	size_t n = sizeof json - 1;
	return strncasecmp(type, json, n) == 0 &&
	       (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

/* Anyone may extract: it reads only the catalog. The body is the text
 * itself (text/plain, or any type but JSON) or {"text": "..."}
 * (application/json); offsets count bytes of the decoded text. */
static void post_extract(ctx *c)
{
	pw_extraction *x;
	pw_error err;
	if (!known_params(c, NULL))
		return;
	if (c->req->body_len > MAX_BODY) {
		problem(c, 413, "a request body takes at most 1 MiB");
		return;
	}
	pw_status st =
	    pw_extract_body(c->e, c->req->body, c->req->body_len,
	                    is_json_type(c->req->content_type), &x, &err);
	if (st) {
		engine_problem(c, st, &err);
		return;
	}
	document(c, 200, pw_extraction_json(x, 0));
	pw_extraction_free(x);
}

/* ---- the route table ---- */

typedef struct route {
	const char *method;
	const char *pattern; /* segments; {name} captures one */
	void (*handler)(ctx *c);
} route;

static const route routes[] = {
    {"GET", "/v1/health", get_health},
    {"GET", "/v1/openapi.json", get_openapi},
    {"GET", "/v1/skills", get_skills},
    {"GET", "/v1/skills/{id}", get_skill},
    {"POST", "/v1/extract", post_extract},
    {"GET", "/v1/credentials", get_credentials},
    {"GET", "/v1/credentials/{id}", get_credential},
    {"GET", "/v1/occupations", get_occupations},
    {"GET", "/v1/occupations/{id}", get_occupation},
    {"GET", "/v1/jobs", get_jobs},
    {"POST", "/v1/jobs", post_job},
    {"GET", "/v1/jobs/{id}", get_job},
    {"PUT", "/v1/jobs/{id}", put_job},
    {"DELETE", "/v1/jobs/{id}", delete_job},
    {"GET", "/v1/jobs/{id}/candidates", get_candidates},
    {"GET", "/v1/learners/{id}", get_learner},
    {"PUT", "/v1/learners/{id}", put_learner},
    {"POST", "/v1/learners/{id}/credentials", post_holding},
    {"GET", "/v1/learners/{id}/matches", get_matches},
    {"GET", "/v1/learners/{id}/explain/{target}", get_explain},
    {"GET", "/v1/learners/{id}/plan/{target}", get_plan},
    {"GET", "/v1/learners/{id}/next", get_next},
    {"GET", "/v1/learners/{id}/clr", get_clr},
    {"GET", "/v1/outcomes", get_outcomes},
    {"GET", "/v1/demand", get_demand},
};

#define NROUTES (sizeof routes / sizeof routes[0])

bool api_route_at(size_t i, const char **method, const char **pattern)
{
	if (i >= NROUTES)
		return false;
	*method = routes[i].method;
	*pattern = routes[i].pattern;
	return true;
}

/* Matches path against pattern, capturing placeholders into c->arg (the
 * captured text lives in c->segbuf). */
static bool match_path(ctx *c, const char *pattern, const char *path)
{
	size_t used = 0, nargs = 0;
	const char *p = pattern, *q = path;
	while (*p && *q) {
		if (*p != '/' || *q != '/')
			return false;
		p++;
		q++;
		const char *pe = strchr(p, '/'), *qe = strchr(q, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p);
		size_t ql = qe ? (size_t)(qe - q) : strlen(q);
		if (ql == 0)
			return false;
		if (p[0] == '{') {
			if (nargs == MAX_SEGMENTS ||
			    used + ql + 1 > sizeof c->segbuf)
				return false;
			memcpy(c->segbuf + used, q, ql);
			c->segbuf[used + ql] = '\0';
			c->arg[nargs++] = c->segbuf + used;
			used += ql + 1;
		} else if (pl != ql || memcmp(p, q, pl) != 0)
			return false;
		p += pl;
		q += ql;
	}
	return !*p && !*q;
}

void api_handle(pw_engine *e, const api_request *req, api_response *res)
{
	ctx c = {.e = e, .req = req, .res = res};
	memset(res, 0, sizeof *res);
	res->route = "(none)";

	const route *hit = NULL;
	size_t allow_len = 0;
	for (size_t i = 0; i < NROUTES; i++) {
		if (!match_path(&c, routes[i].pattern, req->path))
			continue;
		if (strcmp(routes[i].method, req->method) == 0) {
			hit = &routes[i];
			break;
		}
		/* the path exists with another method: remember it for Allow */
		int n = snprintf(res->allow + allow_len,
		                 sizeof res->allow - allow_len, "%s%s",
		                 allow_len ? ", " : "", routes[i].method);
		if (n > 0 && allow_len + (size_t)n < sizeof res->allow)
			allow_len += (size_t)n;
	}
	if (!hit) {
		if (allow_len)
			problem(&c, 405, "%s is not allowed here", req->method);
		else
			problem(&c, 404, "no route for '%s'", req->path);
		return;
	}
	res->allow[0] = '\0';
	match_path(&c, hit->pattern, req->path); /* captures of the hit */
	res->route = hit->pattern;

	if (req->authorization) {
		const char *a = req->authorization;
		pw_error err;
		if (strncmp(a, "Bearer ", 7) != 0) {
			problem(
			    &c, 401,
			    "the Authorization header takes 'Bearer TOKEN'");
			return;
		}
		pw_status st = pw_token_verify(e, a + 7, &c.who, &err);
		if (st == PW_ERR_DENIED) {
			problem(&c, 401, "%s", err.message);
			return;
		}
		if (st) {
			engine_problem(&c, st, &err);
			return;
		}
	}
	hit->handler(&c);
}
