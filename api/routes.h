/* routes.h - the HTTP API's routing and handlers over plain structs (no
 * libmicrohttpd type), so tests drive them without a socket (SPEC §7).
 * Ownership: api_handle fills *res; its body is malloc'd and freed by
 * api_response_release. Request strings belong to the caller. */
#ifndef PATHWAY_API_ROUTES_H
#define PATHWAY_API_ROUTES_H

#include "pathway.h"

typedef struct api_param {
	const char *key, *value; /* URL-decoded */
} api_param;

typedef struct api_request {
	const char *method; /* "GET", ... */
	const char *path;   /* "/v1/learners/l-1/matches", no query */
	const api_param *params;
	size_t nparams;
	const char *authorization; /* the header's value, or NULL */
	const char *content_type;
	const char *body;
	size_t body_len;
} api_request;

typedef struct api_response {
	int status;
	const char *content_type; /* static */
	char *body;
	size_t body_len;
	char allow[64];    /* for 405: the methods the path takes */
	const char *route; /* the matched pattern, for the access log */
} api_response;

/* Handles one request against the engine; never fails to fill *res. */
void api_handle(pw_engine *e, const api_request *req, api_response *res);
void api_response_release(api_response *res);

/* The route table, for the OpenAPI check: method and pattern of entry i;
 * false past the end. */
bool api_route_at(size_t i, const char **method, const char **pattern);

#endif
