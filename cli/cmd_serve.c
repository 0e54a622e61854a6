/* cmd_serve.c - `pathway serve`: the HTTP API over this database. */
#include "cli.h"
#include "server.h"

#include <errno.h>
#include <stdlib.h>

static const opt_spec serve_opts[] = {
    {"--listen", true}, {"--threads", true}, {"--quiet", false}, {NULL, false}};

static int run_serve(cli *c, int argc, char **argv)
{
	opts o;
	pw_error err;
	api_serve_opts so = {.log = stderr, .ready = stdout};
	if (!parse_opts(c, argc, argv, serve_opts, 0, 0, &o))
		return EXIT_USAGE;
	so.listen = o.value[0];
	if (o.set[1]) {
		char *end;
		errno = 0;
		unsigned long n = strtoul(o.value[1], &end, 10);
		if (errno || end == o.value[1] || *end || n < 1 || n > 256)
			return usage_error(c,
			                   "--threads takes 1 to 256, got '%s'",
			                   o.value[1]);
		so.threads = (unsigned)n;
	}
	if (o.set[2])
		so.log = NULL;
	pw_status st = api_serve(c->engine, &so, &err);
	if (st)
		return fail_status(st, &err);
	return EXIT_OK;
}

const command cmd_serve = {
    .name = "serve",
    .args = "[--listen ADDR:PORT] [--threads N] [--quiet]",
    .summary = "serve the HTTP JSON API (SPEC §7) until SIGINT or SIGTERM",
    .help = "Listens on 127.0.0.1:8080 unless --listen says otherwise (port 0 "
            "picks a free\none; the first line printed names the URL). "
            "Requests are answered by N\nworker threads (default 2) sharing "
            "one in-memory model; writes are durable\nbefore they are "
            "answered and seen by the next request. One access-log line\na "
            "request goes to standard error (method, route pattern, status, "
            "time; no\npersonal data); --quiet turns it off. Tokens come from "
            "'pathway token create'.\n\n"
            "  --listen ADDR:PORT   where to listen ([::1]:8080 for IPv6)\n"
            "  --threads N          worker threads (1-256, default 2)\n"
            "  --quiet              no access log\n",
    .flags = CMD_DB,
    .run = run_serve,
};
