/* server.h - `pathway serve`: the HTTP API on libmicrohttpd. */
#ifndef PATHWAY_API_SERVER_H
#define PATHWAY_API_SERVER_H

#include "pathway.h"

#include <stdio.h>

typedef struct api_serve_opts {
	const char *listen; /* "ADDR:PORT", "[v6]:PORT"; NULL: 127.0.0.1:8080 */
	unsigned threads;   /* worker threads; 0: 2 */
	FILE *log;          /* the access log, one line a request; NULL: none */
	FILE *ready;        /* where "listening on URL" is printed, or NULL */
} api_serve_opts;

/* Serves the API with e's store until SIGINT or SIGTERM arrives, then shuts
 * down cleanly. Each worker thread gets a sibling of e; all share its
 * model. */
pw_status api_serve(pw_engine *e, const api_serve_opts *o, pw_error *err);

#endif
