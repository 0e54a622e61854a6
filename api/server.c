/* server.c - libmicrohttpd plumbing for the API, nothing else: the daemon
 * (internal epoll thread pool), limits, one sibling engine per worker
 * thread, request bodies, the access log and a clean shutdown. Routing and
 * rules live in routes.c. */
#include "server.h"
#include "routes.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define MAX_BODY         (1u << 20)
#define CONNECTION_LIMIT 1024
#define PER_IP_LIMIT     256 /* room for a benchmark's 64 connections */
#define IDLE_SECONDS     15
#define HEADER_MEMORY                                                          \
	(64 * 1024) /* headers and read buffer, per connection                 \
	             */

typedef struct server {
	pw_engine *root;
	pthread_key_t engine_key; /* the worker thread's sibling engine */
	pthread_mutex_t log_lock;
	FILE *log;
} server;

typedef struct request {
	char *body;
	size_t len, cap;
	bool too_big;
	struct timespec start;
} request;

static void close_engine(void *e)
{
	pw_close(e);
}

static pw_engine *thread_engine(server *s)
{
	pw_engine *e = pthread_getspecific(s->engine_key);
	if (e)
		return e;
	pw_error err;
	if (pw_open_sibling(s->root, &e, &err))
		return NULL;
	pthread_setspecific(s->engine_key, e);
	return e;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

typedef struct params {
	api_param *v;
	size_t n, cap;
	bool oom;
} params;

static enum MHD_Result add_param(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value)
{
	params *p = cls;
	(void)kind;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		api_param *v = realloc(p->v, cap * sizeof *v);
		if (!v) {
			p->oom = true;
			return MHD_NO;
		}
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n].key = key;
	p->v[p->n].value = value ? value : "";
	p->n++;
	return MHD_YES;
}

static enum MHD_Result respond(struct MHD_Connection *conn, api_response *res)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    res->body_len, res->body, MHD_RESPMEM_MUST_FREE);
	if (!r)
		return MHD_NO;
	res->body = NULL; /* MHD owns it now */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        res->content_type);
	if (res->allow[0])
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, res->allow);
	enum MHD_Result ok = MHD_queue_response(conn, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ok;
}

/* A problem+json answer made here, before routing (a body too large). */
static enum MHD_Result refuse(struct MHD_Connection *conn, unsigned status,
                              const char *title, const char *detail)
{
	api_response res = {.status = (int)status,
	                    .content_type = "application/problem+json"};
	char *body = malloc(256);
	if (!body)
		return MHD_NO;
	int n =
	    snprintf(body, 256,
	             "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%u,"
	             "\"detail\":\"%s\"}\n",
	             title, status, detail);
	res.body = body;
	res.body_len = n > 0 ? (size_t)n : 0;
	enum MHD_Result ok = respond(conn, &res);
	free(res.body);
	return ok;
}

/* libmicrohttpd's own messages (a port in use, a header too big) go to
 * standard error as `pathway: serve: ...` lines, like every error of ours;
 * one message may span several lines. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	server *s = cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	pthread_mutex_lock(&s->log_lock);
	for (char *line = strtok(msg, "\n"); line; line = strtok(NULL, "\n"))
		fprintf(stderr, "pathway: serve: %s\n", line);
	pthread_mutex_unlock(&s->log_lock);
}

static void log_line(server *s, const char *method, const char *route,
                     int status, double ms)
{
	if (!s->log)
		return;
	/* the route pattern, never the path: ids are personal data */
	pthread_mutex_lock(&s->log_lock);
	fprintf(s->log, "%s %s %d %.2fms\n", method, route, status, ms);
	fflush(s->log);
	pthread_mutex_unlock(&s->log_lock);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
	server *s = cls;
	request *rq = *state;
	(void)version;
	if (!rq) {
		if (!(rq = calloc(1, sizeof *rq)))
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		*state = rq;
		/* refuse an announced oversized body before reading any of it
		 */
		const char *cl = MHD_lookup_connection_value(
		    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > MAX_BODY) {
			rq->too_big = true;
			log_line(s, method, "(body too large)", 413,
			         ms_since(&rq->start));
			return refuse(conn, MHD_HTTP_CONTENT_TOO_LARGE,
			              "Content Too Large",
			              "a request body takes at most 1 MiB");
		}
		return MHD_YES;
	}
	if (*upload_size) {
		/* a chunked body past the limit: refused at once rather than
		 * read to its end, which may never come. libmicrohttpd takes
		 * no answer while a body is arriving, so the refusal is a
		 * closed connection. */
		if (rq->len + *upload_size > MAX_BODY) {
			log_line(s, method, "(body too large, closed)", 413,
			         ms_since(&rq->start));
			return MHD_NO;
		}
		if (rq->len + *upload_size + 1 > rq->cap) {
			size_t cap = rq->cap ? rq->cap : 4096;
			while (cap < rq->len + *upload_size + 1)
				cap *= 2;
			char *b = realloc(rq->body, cap);
			if (!b)
				return MHD_NO;
			rq->body = b;
			rq->cap = cap;
		}
		memcpy(rq->body + rq->len, upload, *upload_size);
		rq->len += *upload_size;
		rq->body[rq->len] = '\0';
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->too_big) {
		log_line(s, method, "(body too large)", 413,
		         ms_since(&rq->start));
		return refuse(conn, MHD_HTTP_CONTENT_TOO_LARGE,
		              "Content Too Large",
		              "a request body takes at most 1 MiB");
	}
	pw_engine *e = thread_engine(s);
	if (!e)
		return refuse(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
		              "Service Unavailable",
		              "cannot open the database");
	params p = {0};
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_param, &p);
	if (p.oom) {
		free(p.v);
		return MHD_NO;
	}
	api_request req = {
	    .method = method,
	    .path = url,
	    .params = p.v,
	    .nparams = p.n,
	    .authorization = MHD_lookup_connection_value(
	        conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
	    .content_type = MHD_lookup_connection_value(
	        conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
	    .body = rq->body,
	    .body_len = rq->len};
	api_response res;
	api_handle(e, &req, &res);
	free(p.v);
	log_line(s, method, res.route, res.status, ms_since(&rq->start));
	enum MHD_Result ok = respond(conn, &res);
	api_response_release(&res);
	return ok;
}

static void completed(void *cls, struct MHD_Connection *conn, void **state,
                      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	request *rq = *state;
	if (rq) {
		free(rq->body);
		free(rq);
		*state = NULL;
	}
}

/* "ADDR:PORT", "[ADDR]:PORT" or ":PORT" into a socket address. */
static bool parse_listen(const char *text, struct sockaddr_storage *ss,
                         socklen_t *len)
{
	char host[128];
	const char *colon = strrchr(text, ':');
	if (!colon)
		return false;
	size_t hl = (size_t)(colon - text);
	if (hl >= sizeof host)
		return false;
	memcpy(host, text, hl);
	host[hl] = '\0';
	char *end;
	errno = 0;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port > 65535)
		return false;
	memset(ss, 0, sizeof *ss);
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		host[hl - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*len = sizeof *a;
		return inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	*len = sizeof *a;
	if (!hl)
		return inet_pton(AF_INET, "127.0.0.1", &a->sin_addr) == 1;
	return inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

pw_status api_serve(pw_engine *e, const api_serve_opts *o, pw_error *err)
{
	const char *listen = o->listen ? o->listen : "127.0.0.1:8080";
	unsigned threads = o->threads ? o->threads : 2;
	struct sockaddr_storage ss;
	socklen_t sslen;
	if (!parse_listen(listen, &ss, &sslen)) {
		snprintf(err->message, sizeof err->message,
		         "--listen takes ADDR:PORT, got '%s'", listen);
		err->status = PW_ERR_INVALID;
		return PW_ERR_INVALID;
	}
	server s = {.root = e, .log = o->log};
	if (pthread_key_create(&s.engine_key, close_engine) ||
	    pthread_mutex_init(&s.log_lock, NULL)) {
		snprintf(err->message, sizeof err->message, "out of threads");
		err->status = PW_ERR_NOMEM;
		return PW_ERR_NOMEM;
	}
	/* SIGINT and SIGTERM are taken by sigwait below, in every thread */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(
	    flags, 0, NULL, NULL, handle, &s,
	    /* first, so that every message goes through it */
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, &s, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_IP_LIMIT,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, &s, MHD_OPTION_END);
	if (!d) {
		pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
		pthread_key_delete(s.engine_key);
		pthread_mutex_destroy(&s.log_lock);
		snprintf(err->message, sizeof err->message,
		         "cannot listen on '%s': %s", listen, strerror(errno));
		err->status = PW_ERR_IO;
		return PW_ERR_IO;
	}
	const union MHD_DaemonInfo *info =
	    MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[64] = "127.0.0.1";
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host,
		          sizeof host);
	else {
		host[0] = '[';
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		          host + 1, sizeof host - 2);
		strcat(host, "]");
	}
	if (o->ready) {
		fprintf(o->ready, "listening on http://%s:%u/v1\n", host,
		        info ? info->port : 0);
		fflush(o->ready);
	}
	int sig = 0;
	sigwait(&stop, &sig);
	MHD_stop_daemon(d); /* joins the workers, which close their engines */
	pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
	pthread_key_delete(s.engine_key);
	pthread_mutex_destroy(&s.log_lock);
	return PW_OK;
}
