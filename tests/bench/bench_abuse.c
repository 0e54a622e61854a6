/* bench_abuse.c - the abuse half of `make bench-api`, against a running
 * `pathway serve` on 127.0.0.1:PORT, loopback only, bounded in time:
 *
 * slowloris  300 connections from 127.0.0.2 (250 sending a request's
 *            headers one byte a second, 50 sending nothing) held for
 *            ATTACK seconds, while a client on 127.0.0.1 makes 200
 *            sequential GETs, each on a new connection; its latency is
 *            compared with 200 GETs made just before, without attackers.
 *            Meanwhile 64 connections from 127.0.0.1 must all be admitted
 *            and answered while 127.0.0.2 is held to the per-IP limit.
 * oversized  a body over 1 MiB (announced, and chunked) and headers over
 *            64 KiB: the status and the time from crossing the limit to
 *            the refusal; the server must answer a GET afterwards.
 * redos      ReDoS-shaped texts of up to 1 MiB POSTed to /v1/extract, each
 *            answered within 50 ms (the median of 3 tries).
 *
 * Prints one line per criterion, "PASS" or "FAIL" and its figures, and
 * exits 1 if any failed. Not a test of the suite: `make bench-api` runs it.
 *
 * usage: bench_abuse PORT TOKEN LEARNER [SKILL_NAMES_FILE [ATTACK_SECONDS]]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ATTACKERS      300
#define SILENT         50 /* of the attackers, those that send nothing */
#define CLIENT_GETS    200
#define CLIENT_PACE_MS 50.0
#define ADMITTED       64
#define PER_IP_LIMIT   256 /* api/server.c */
#define MAX_BODY       (1u << 20)
#define HEADER_LIMIT   (64u * 1024)
#define DELAY_MS       100.0 /* slowloris: largest delay allowed */
#define REFUSE_MS      50.0  /* oversized: refusal after the limit */
#define EXTRACT_MS     50.0  /* redos: answer time */
#define IO_TIMEOUT_MS  5000

static unsigned short port;
static const char *token, *learner;
static int failures;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(double ms)
{
	struct timespec ts = {
	    .tv_sec = (time_t)(ms / 1e3),
	    .tv_nsec = (long)((ms - (double)(time_t)(ms / 1e3) * 1e3) * 1e6)};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void verdict(bool ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void verdict(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("bench-api: %-4s %-22s ", ok ? "PASS" : "FAIL", name);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	va_end(ap);
	if (!ok)
		failures++;
}

/* A TCP connection from SRC (NULL: any) to 127.0.0.1:port, or -1. */
static int dial(const char *src, bool nonblocking)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET};
	if (src) {
		inet_pton(AF_INET, src, &a.sin_addr);
		if (bind(fd, (struct sockaddr *)&a, sizeof a)) {
			close(fd);
			return -1;
		}
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (nonblocking)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	a.sin_port = htons(port);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Reads one response (Connection: close, so up to EOF) and returns its
 * status, 0 when none came within IO_TIMEOUT_MS or the connection broke
 * before a status line. */
static size_t last_bytes; /* the size of the last response read */

static int read_status(int fd)
{
	char buf[65536], head[16] = {0};
	size_t have = 0;
	last_bytes = 0;
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, IO_TIMEOUT_MS) <= 0)
			break;
		ssize_t r = recv(fd, buf, sizeof buf, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		last_bytes += (size_t)r;
		for (ssize_t i = 0; i < r && have < sizeof head - 1; i++)
			head[have++] = buf[i];
	}
	int status = 0;
	if (sscanf(head, "HTTP/1.%*d %d", &status) != 1)
		return 0;
	return status;
}

/* One request on a new connection; its status, and its time in *ms. */
static int request(const char *method, const char *path, const char *type,
                   const char *body, size_t len, double *ms)
{
	char head[1024];
	int n = snprintf(head, sizeof head,
	                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	                 "Authorization: Bearer %s\r\nConnection: close\r\n",
	                 method, path, token);
	if (body)
		n += snprintf(head + n, sizeof head - (size_t)n,
		              "Content-Type: %s\r\nContent-Length: %zu\r\n",
		              type, len);
	n += snprintf(head + n, sizeof head - (size_t)n, "\r\n");
	double t0 = now_ms();
	int fd = dial(NULL, false);
	if (fd < 0)
		return 0;
	int status = 0;
	if (send_all(fd, head, (size_t)n) && (!body || send_all(fd, body, len)))
		status = read_status(fd);
	close(fd);
	if (ms)
		*ms = now_ms() - t0;
	return status;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef struct latency {
	double p50, p99, max;
	int ok; /* answers 200 */
} latency;

/* CLIENT_GETS sequential GETs of the learner's matches, paced. */
static latency client_run(void)
{
	static double t[CLIENT_GETS];
	char path[256];
	snprintf(path, sizeof path, "/v1/learners/%s/matches", learner);
	latency l = {0};
	double next = now_ms();
	for (int i = 0; i < CLIENT_GETS; i++) {
		while (now_ms() < next)
			sleep_ms(1);
		next += CLIENT_PACE_MS;
		if (request("GET", path, NULL, NULL, 0, &t[i]) == 200)
			l.ok++;
	}
	qsort(t, CLIENT_GETS, sizeof t[0], cmp_double);
	l.p50 = t[CLIENT_GETS / 2];
	l.p99 = t[(CLIENT_GETS * 99) / 100 - 1];
	l.max = t[CLIENT_GETS - 1];
	return l;
}

/* ---- slowloris ---- */

typedef struct attack {
	double seconds;
	volatile bool stop;
	int opened, refused, timed_out, open; /* refused: closed within 2 s */
	int peak_open;                        /* most open at once, after 2 s */
} attack;

static const char trickle[] = "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "X-Slow: ";

static void *attacker(void *arg)
{
	attack *a = arg;
	static struct pollfd p[ATTACKERS];
	static double opened_at[ATTACKERS], next_byte[ATTACKERS];
	static size_t sent[ATTACKERS];
	double t0 = now_ms();
	for (int i = 0; i < ATTACKERS; i++) {
		p[i].fd = dial("127.0.0.2", true);
		p[i].events = POLLIN;
		opened_at[i] = now_ms();
		next_byte[i] = opened_at[i] + 1000.0 * i / ATTACKERS;
		sent[i] = 0;
		if (p[i].fd >= 0)
			a->opened++;
	}
	while (!a->stop && now_ms() - t0 < a->seconds * 1e3) {
		double now = now_ms();
		int open = 0;
		for (int i = 0; i < ATTACKERS; i++) {
			if (p[i].fd < 0)
				continue;
			open++;
			if (i < SILENT || now < next_byte[i])
				continue;
			/* one byte a second: the request line, then a header
			 * that never ends */
			char c = sent[i] < sizeof trickle - 1 ? trickle[sent[i]]
			                                      : 'a';
			if (send(p[i].fd, &c, 1, MSG_NOSIGNAL) == 1)
				sent[i]++;
			next_byte[i] += 1000.0;
		}
		if (now - t0 > 2000.0 && open > a->peak_open)
			a->peak_open = open;
		if (poll(p, ATTACKERS, 10) <= 0)
			continue;
		for (int i = 0; i < ATTACKERS; i++) {
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			char buf[4096];
			ssize_t r =
			    recv(p[i].fd, buf, sizeof buf, MSG_DONTWAIT);
			if (r > 0 || (r < 0 && errno == EAGAIN))
				continue; /* an answer; the close follows */
			if (now_ms() - opened_at[i] < 2000.0)
				a->refused++;
			else
				a->timed_out++;
			close(p[i].fd);
			p[i].fd = -1;
		}
	}
	for (int i = 0; i < ATTACKERS; i++)
		if (p[i].fd >= 0) {
			a->open++;
			close(p[i].fd);
		}
	return NULL;
}

/* ADMITTED connections from 127.0.0.1 open at once, each answered. */
static int admitted_run(void)
{
	int fd[ADMITTED], ok = 0;
	static const char get[] = "GET /v1/health HTTP/1.1\r\nHost: "
	                          "127.0.0.1\r\nConnection: close\r\n\r\n";
	for (int i = 0; i < ADMITTED; i++)
		fd[i] = dial(NULL, false);
	for (int i = 0; i < ADMITTED; i++)
		if (fd[i] >= 0 && !send_all(fd[i], get, sizeof get - 1)) {
			close(fd[i]);
			fd[i] = -1;
		}
	for (int i = 0; i < ADMITTED; i++)
		if (fd[i] >= 0) {
			ok += read_status(fd[i]) == 200;
			close(fd[i]);
		}
	return ok;
}

static void slowloris(double seconds)
{
	char path[256];
	snprintf(path, sizeof path, "/v1/learners/%s/matches", learner);
	for (int i = 0; i < 20; i++) /* warm: the thread's engine, caches */
		request("GET", path, NULL, NULL, 0, NULL);
	latency base = client_run();
	attack a = {.seconds = seconds};
	pthread_t th;
	if (pthread_create(&th, NULL, attacker, &a)) {
		verdict(false, "slowloris", "cannot start the attackers");
		return;
	}
	sleep_ms(1500); /* every attacker connected and trickling */
	latency hit = client_run();
	int admitted = admitted_run();
	pthread_join(th, NULL);
	/* the delay of the slowest request: against a typical one */
	double d99 = hit.p99 - base.p99, dmax = hit.max - base.p50;
	printf("bench-api: slowloris: %d GETs of a learner's matches from "
	       "127.0.0.1, one every %.0f ms, each on a new connection\n",
	       CLIENT_GETS, CLIENT_PACE_MS);
	printf("bench-api:   baseline       p50 %.2f ms  p99 %.2f ms  max "
	       "%.2f ms  (%d/%d answered 200)\n",
	       base.p50, base.p99, base.max, base.ok, CLIENT_GETS);
	printf("bench-api:   under attack   p50 %.2f ms  p99 %.2f ms  max "
	       "%.2f ms  (%d/%d answered 200)\n",
	       hit.p50, hit.p99, hit.max, hit.ok, CLIENT_GETS);
	printf("bench-api:   127.0.0.2: %d of %d connected, %d closed by the "
	       "server within 2 s (per-IP limit), %d later (idle timeout), "
	       "%d still held after %.0f s, at most %d held at once\n",
	       a.opened, ATTACKERS, a.refused, a.timed_out, a.open, seconds,
	       a.peak_open);
	verdict(base.ok == CLIENT_GETS && hit.ok == CLIENT_GETS &&
	            d99 <= DELAY_MS && dmax <= DELAY_MS,
	        "slowloris delay",
	        "p99 attack-baseline %+.2f ms, max attack - p50 baseline "
	        "%+.2f ms (both must be <= %.0f ms, every GET answered 200)",
	        d99, dmax, DELAY_MS);
	verdict(admitted == ADMITTED && a.peak_open <= PER_IP_LIMIT &&
	            a.refused >= ATTACKERS - PER_IP_LIMIT,
	        "per-IP limit",
	        "%d/%d connections from 127.0.0.1 answered 200 during the "
	        "attack; 127.0.0.2 held to %d (limit %d, %d refused)",
	        admitted, ADMITTED, a.peak_open, PER_IP_LIMIT, a.refused);
}

/* ---- oversized bodies and headers ---- */

/* Sends HEAD then up to TOTAL bytes of FILL (chunk framing when CHUNKED)
 * until the server answers or closes; the status, the bytes sent, and the
 * time from the moment LIMIT bytes had gone (or the answer, if earlier)
 * to the answer. */
static int oversend(const char *head, size_t total, size_t limit, bool chunked,
                    size_t *sent, double *ms)
{
	int fd = dial(NULL, true);
	*sent = 0;
	*ms = -1;
	if (fd < 0)
		return 0;
	size_t hl = strlen(head), off = 0;
	static char piece[4096 + 16];
	double t0 = now_ms(), crossed = 0, t_end = t0 + IO_TIMEOUT_MS;
	int status = 0;
	char resp[64] = {0};
	size_t rl = 0;
	bool eof = false;
	while (now_ms() < t_end && !eof) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (off < hl + total)
			p.events |= POLLOUT;
		if (poll(&p, 1, 100) <= 0)
			continue;
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r =
			    recv(fd, resp + rl, sizeof resp - 1 - rl, 0);
			if (r > 0)
				rl += (size_t)r;
			if (r == 0 || (r < 0 && errno != EAGAIN) ||
			    rl == sizeof resp - 1)
				eof = true;
			if (r > 0 || eof)
				break;
		}
		if (!(p.revents & POLLOUT))
			continue;
		const char *src;
		size_t n;
		if (off < hl) {
			src = head + off;
			n = hl - off;
		} else if (chunked) {
			int k = snprintf(piece, sizeof piece, "1000\r\n");
			memset(piece + k, 'a', 4096);
			memcpy(piece + k + 4096, "\r\n", 2);
			src = piece;
			n = (size_t)k + 4098; /* whole chunks only */
		} else {
			memset(piece, 'a', 4096);
			src = piece;
			n = hl + total - off < 4096 ? hl + total - off : 4096;
		}
		/* timed before the send: the server may answer, and run,
		 * before send returns */
		double t_send = now_ms();
		ssize_t w = send(fd, src, n, MSG_NOSIGNAL);
		if (w <= 0) {
			if (errno == EAGAIN)
				continue;
			break; /* reset: the answer may still be readable */
		}
		if (chunked && off >= hl && (size_t)w != n) {
			/* finish the chunk so that its framing stays valid */
			send_all(fd, src + w, n - (size_t)w);
			w = (ssize_t)n;
		}
		off += (size_t)w;
		if (!crossed && off - (off < hl ? off : hl) > limit)
			crossed = t_send;
		if (!crossed && limit == 0)
			crossed = t_send;
	}
	double answered = now_ms();
	/* the status line may still be arriving */
	if (rl < 12) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 1000) > 0) {
			ssize_t r =
			    recv(fd, resp + rl, sizeof resp - 1 - rl, 0);
			if (r > 0)
				rl += (size_t)r;
		}
	}
	close(fd);
	resp[rl] = '\0';
	if (sscanf(resp, "HTTP/1.%*d %d", &status) != 1)
		status = 0;
	*sent = off > hl ? off - hl : 0;
	if (answered < t_end)
		*ms = answered - (crossed ? crossed : t0); /* t0: a bound */
	return status;
}

static void oversized(void)
{
	char head[512];
	size_t sent;
	double ms;
	int st, after;

	/* an announced body of 2 MiB: the limit is crossed by announcing it */
	snprintf(head, sizeof head,
	         "POST /v1/extract HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	         "Content-Type: text/plain\r\nContent-Length: %u\r\n\r\n",
	         2 * MAX_BODY);
	st = oversend(head, 2 * MAX_BODY, 0, false, &sent, &ms);
	after = request("GET", "/v1/health", NULL, NULL, 0, NULL);
	verdict(st == 413 && ms >= 0 && ms <= REFUSE_MS && after == 200,
	        "oversized body",
	        "Content-Length 2 MiB: %d %.2f ms after the headers went "
	        "(%zu body bytes sent meanwhile); next GET %d",
	        st, ms, sent, after);

	/* a chunked body: refused once past 1 MiB, the client still sending */
	snprintf(
	    head, sizeof head,
	    "POST /v1/extract HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
	st = oversend(head, 2 * MAX_BODY, MAX_BODY, true, &sent, &ms);
	after = request("GET", "/v1/health", NULL, NULL, 0, NULL);
	/* libmicrohttpd takes no answer while a body arrives: the server
	 * closes the connection (status 0 here) */
	verdict((st == 413 || st == 0) && ms >= 0 && ms <= REFUSE_MS &&
	            after == 200,
	        "oversized chunked body",
	        "%s %.2f ms after 1 MiB had gone (%zu bytes sent); next GET %d",
	        st ? (st == 413 ? "413" : "unexpected status") : "closed", ms,
	        sent, after);

	/* one header line of 128 KiB */
	snprintf(head, sizeof head,
	         "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ");
	st = oversend(head, 2 * HEADER_LIMIT, HEADER_LIMIT, false, &sent, &ms);
	after = request("GET", "/v1/health", NULL, NULL, 0, NULL);
	verdict((st == 431 || st == 413) && ms >= 0 && ms <= REFUSE_MS &&
	            after == 200,
	        "oversized headers",
	        "%d %.2f ms after 64 KiB had gone, or after connecting if "
	        "refused sooner (%zu header bytes sent); next GET %d",
	        st, ms, sent, after);
}

/* ---- ReDoS-shaped extraction ---- */

typedef struct text {
	char *p;
	size_t len, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
	if (t->len + n > t->cap)
		n = t->cap - t->len;
	memcpy(t->p + t->len, s, n);
	t->len += n;
}

/* Fills T to its capacity with S repeated. */
static void fill(text *t, const char *s)
{
	size_t n = strlen(s);
	while (t->len < t->cap)
		put(t, s, n);
}

static void redos(const char *names_file)
{
	text t = {.cap = MAX_BODY};
	if (!(t.p = malloc(t.cap + 64))) {
		verdict(false, "redos", "out of memory");
		return;
	}
	/* near-misses of real skill names (see below) */
	text near = {.p = malloc(t.cap + 64), .cap = t.cap};
	text dense = {.p = malloc(t.cap + 64), .cap = t.cap};
	FILE *f = names_file ? fopen(names_file, "r") : NULL;
	char line[512];
	size_t names = 0;
	while (near.p && dense.p && f &&
	       (near.len < near.cap || dense.len < dense.cap)) {
		if (!fgets(line, sizeof line, f)) {
			if (!names)
				break;
			rewind(f);
			continue;
		}
		size_t n = strcspn(line, "\r\n");
		if (n < 3)
			continue;
		names++;
		line[n] = '\0';
		/* near-misses that match nothing: each word cut short by a
		 * letter, then each glued to an x (a name cut short at its
		 * end would still match its shorter names: that is the dense
		 * case below) */
		for (int glue = 0; glue < 2; glue++) {
			for (char *w = line; *w;) {
				size_t k = strcspn(w, " ");
				put(&near, w, glue ? k : k - (k > 1));
				put(&near, glue ? "x " : " ", glue ? 2 : 1);
				w += k + (w[k] == ' ');
			}
		}
		put(&dense, line, n);
		put(&dense, ", ", 2);
	}
	if (f)
		fclose(f);

	struct shape {
		const char *name, *unit, *type;
		size_t cap;
	} shapes[] = {
	    {"one 1 MiB word", "a", "text/plain", MAX_BODY},
	    {"1 MiB of 'a '", "a ", "text/plain", MAX_BODY},
	    {"(a+)+! runs", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "text/plain",
	     MAX_BODY},
	    {"dotted a.a.a.", "a.", "text/plain", MAX_BODY},
	    {"c+++ and ####", "c+++# ", "text/plain", MAX_BODY},
	    {"hyphens a-a-a-", "a-", "text/plain", MAX_BODY},
	    {"one UTF-8 word", "\xc3\xa9", "text/plain", MAX_BODY},
	    {"UTF-8 marks", "a\xcc\x81 ", "text/plain", MAX_BODY},
	    {"JSON \\u escapes", "\\u00e9\\u0301a ", "application/json",
	     MAX_BODY - 16},
	};
	double worst = 0;
	int bad = 0;
	/* the first extraction builds the dictionary (once per catalog
	 * version); that is not the shape's cost */
	double warm = 0;
	request("POST", "/v1/extract", "text/plain", "warm up", 7, &warm);
	printf("bench-api: extract: first request (builds the dictionary): "
	       "%.2f ms\n",
	       warm);
	for (size_t i = 0; i <= sizeof shapes / sizeof shapes[0]; i++) {
		const char *name, *type = "text/plain";
		t.len = 0;
		if (i < sizeof shapes / sizeof shapes[0]) {
			name = shapes[i].name;
			type = shapes[i].type;
			bool json = strcmp(type, "application/json") == 0;
			t.cap = shapes[i].cap;
			if (json)
				put(&t, "{\"text\":\"", 9);
			size_t unit = strlen(shapes[i].unit);
			t.cap -= json ? 2 : 0;
			t.cap -= (t.cap - t.len) % unit; /* whole units */
			fill(&t, shapes[i].unit);
			t.cap = MAX_BODY;
			if (json)
				put(&t, "\"}", 2);
		} else if (names) {
			name = "near-miss skill names";
			memcpy(t.p, near.p, near.len);
			t.len = near.len;
		} else
			break;
		/* three times, judged on the median: a ReDoS is slow every
		 * time, the shared machine only now and then */
		double ms[3];
		int st = 200;
		for (int k = 0; k < 3; k++) {
			int s1 = request("POST", "/v1/extract", type, t.p,
			                 t.len, &ms[k]);
			if (s1 != 200)
				st = s1;
		}
		qsort(ms, 3, sizeof ms[0], cmp_double);
		bool ok = st == 200 && ms[1] <= EXTRACT_MS;
		printf("bench-api:   extract %-22s %7zu bytes: %d in %6.2f ms "
		       "(of %.2f, %.2f, %.2f), answer %zu bytes%s\n",
		       name, t.len, st, ms[1], ms[0], ms[1], ms[2], last_bytes,
		       ok ? "" : "  <- FAIL");
		if (!ok)
			bad++;
		if (ms[1] > worst)
			worst = ms[1];
	}
	if (dense.p && names) {
		double ms = 0;
		int st = request("POST", "/v1/extract", "text/plain", dense.p,
		                 dense.len, &ms);
		printf("bench-api:   extract %-22s %7zu bytes: %d in %6.2f ms, "
		       "answer %zu bytes (throughput, not a ReDoS shape: not "
		       "judged)\n",
		       "real names, dense", dense.len, st, ms, last_bytes);
	}
	int after = request("GET", "/v1/health", NULL, NULL, 0, NULL);
	verdict(!bad && after == 200, "redos extract",
	        "%d shape(s) over %.0f ms or not 200; slowest median %.2f ms "
	        "(3 tries each; connect to answer read)",
	        bad, EXTRACT_MS, worst);
	free(dense.p);
	free(near.p);
	free(t.p);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bench_abuse PORT TOKEN LEARNER "
		                "[SKILL_NAMES_FILE [ATTACK_SECONDS]]\n");
		return 2;
	}
	port = (unsigned short)atoi(argv[1]);
	token = argv[2];
	learner = argv[3];
	const char *names = argc > 4 ? argv[4] : NULL;
	double seconds = argc > 5 ? atof(argv[5]) : 20;
	signal(SIGPIPE, SIG_IGN);
	if (request("GET", "/v1/health", NULL, NULL, 0, NULL) != 200) {
		fprintf(stderr, "bench_abuse: no server on 127.0.0.1:%u\n",
		        port);
		return 2;
	}
	oversized();
	redos(names);
	slowloris(seconds);
	return failures ? 1 : 0;
}
