/* test_api_e2e.c - the HTTP API end to end: starts the real `pathway serve`
 * on an ephemeral loopback port and drives it over HTTP/1.1: roles and
 * consent, 404 rather than 403 for another principal's data, problem+json,
 * 405 with Allow, 413 before an oversized body is sent, oversized headers,
 * malformed, duplicate-key and too-deep JSON, writes seen by the next
 * request, and readers running while a writer writes. */
#include "fixture.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct server {
	char dir[64], db[96];
	pid_t pid;
	int port;
	char *tok[7];
} server;

enum { ANON, SELF, OTHER, OWNER, STRANGER, BOARD, ADMIN };

static const char *const data =
    "{'skills': [{'id': 's1', 'name': 'Skill one'}],"
    " 'credentials': [{'id': 'c1', 'name': 'Cred', 'hours': 10, 'cost': 5,"
    "   'skills': [{'skill': 's1', 'level': 2}]}],"
    " 'jobs': [{'id': 'j1', 'title': 'Job one', 'employer': 'Acme',"
    "   'requirements': [{'skill': 's1', 'level': 2}]},"
    "  {'id': 'j2', 'title': 'Job two', 'employer': 'Other Co'}],"
    " 'learners': [{'id': 'l1', 'name': 'Lee', 'contact': 'lee@example.org',"
    "   'discoverable': true, 'demographics': {'gender': 'female'},"
    "   'credentials': [{'credential': 'c1', 'earned': '2025-01-01'}]},"
    "  {'id': 'l2', 'name': 'Kim', 'discoverable': true, 'share_contact': true,"
    "   'contact': 'kim@example.org'}]}";

static const char *bin(void)
{
	const char *b = getenv("PATHWAY_BIN");
	return b && *b ? b : "build/pathway";
}

static int start(void **state)
{
	server *s = calloc(1, sizeof *s);
	snprintf(s->dir, sizeof s->dir, "/tmp/pathway-api-XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(s->db, sizeof s->db, "%s/api.db", s->dir);
	pw_engine *e;
	pw_error err;
	if (pw_open(s->db, PW_OPEN_CREATE, &e, &err))
		return -1;
	char *json = fx_dq(data);
	fx_load_ok(e, json);
	free(json);
	struct {
		pw_role role;
		const char *subject;
	} who[7] = {{PW_ROLE_NONE, NULL},
	            {PW_ROLE_LEARNER, "l1"},
	            {PW_ROLE_LEARNER, "l2"},
	            {PW_ROLE_EMPLOYER, "Acme"},
	            {PW_ROLE_EMPLOYER, "Nobody Inc"},
	            {PW_ROLE_BOARD, NULL},
	            {PW_ROLE_ADMIN, NULL}};
	for (int i = 1; i < 7; i++)
		if (pw_token_create(e, who[i].role, who[i].subject, &s->tok[i],
		                    &err))
			return -1;
	pw_close(e);

	int out[2];
	if (pipe(out))
		return -1;
	s->pid = fork();
	if (s->pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		execl(bin(), "pathway", "--db", s->db, "serve", "--listen",
		      "127.0.0.1:0", "--threads", "4", "--quiet", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	/* the first line names the URL; wait for it at most 10 s */
	char line[256] = "";
	size_t n = 0;
	struct pollfd p = {out[0], POLLIN, 0};
	while (n + 1 < sizeof line && poll(&p, 1, 10000) > 0) {
		ssize_t got = read(out[0], line + n, 1);
		if (got <= 0 || line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	close(out[0]);
	const char *colon = strrchr(line, ':');
	if (!colon || sscanf(colon + 1, "%d", &s->port) != 1) {
		print_error("server did not start: '%s'\n", line);
		kill(s->pid, SIGKILL);
		return -1;
	}
	*state = s;
	return 0;
}

static int stop(void **state)
{
	server *s = *state;
	int status = 0;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, &status, 0);
	for (int i = 1; i < 7; i++)
		pw_free(s->tok[i]);
	char path[128];
	const char *sides[] = {"", "-wal", "-shm", "-snap"};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s%s", s->db, sides[i]);
		unlink(path);
	}
	rmdir(s->dir);
	free(s);
	/* SIGTERM shuts it down cleanly: exit 0 */
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

typedef struct reply {
	int status;
	char headers[4096];
	char *body;
} reply;

/* One HTTP/1.1 exchange on a fresh connection; raw is sent as is. */
static reply exchange(const server *s, const char *raw, size_t rawlen)
{
	reply r = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
	                        .sin_port = htons((uint16_t)s->port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a))
		fail_msg("connect: %s", strerror(errno));
	struct timeval tv = {10, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	size_t sent = 0;
	while (sent < rawlen) {
		ssize_t w = send(fd, raw + sent, rawlen - sent, MSG_NOSIGNAL);
		if (w <= 0)
			break; /* the server may answer and close early (413) */
		sent += (size_t)w;
	}
	fx_text in = {0};
	char buf[4096];
	ssize_t got;
	fx_put(&in, "%s", "");
	while ((got = recv(fd, buf, sizeof buf - 1, 0)) > 0) {
		buf[got] = '\0';
		fx_put(&in, "%s", buf);
	}
	close(fd);
	if (sscanf(in.text, "HTTP/1.1 %d", &r.status) != 1)
		fail_msg("no HTTP answer: '%.200s'", in.text);
	char *split = strstr(in.text, "\r\n\r\n");
	if (split) {
		size_t hl = (size_t)(split - in.text);
		snprintf(r.headers, sizeof r.headers, "%.*s", (int)hl, in.text);
		r.body = strdup(split + 4);
	} else
		r.body = strdup("");
	fx_text_free(&in);
	return r;
}

static reply request(const server *s, const char *method, const char *path,
                     int who, const char *body)
{
	fx_text raw = {0};
	fx_put(&raw,
	       "%s /v1%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n",
	       method, path);
	if (who != ANON)
		fx_put(&raw, "Authorization: Bearer %s\r\n", s->tok[who]);
	if (body)
		fx_put(
		    &raw,
		    "Content-Type: application/json\r\nContent-Length: %zu\r\n",
		    strlen(body));
	fx_put(&raw, "\r\n%s", body ? body : "");
	reply r = exchange(s, raw.text, raw.len);
	fx_text_free(&raw);
	return r;
}

/* Header names are case-insensitive: compare lowercased copies. */
static bool has_header(const reply *r, const char *line)
{
	char h[4096], l[256];
	size_t i;
	for (i = 0; r->headers[i] && i + 1 < sizeof h; i++)
		h[i] = (char)tolower((unsigned char)r->headers[i]);
	h[i] = '\0';
	for (i = 0; line[i] && i + 1 < sizeof l; i++)
		l[i] = (char)tolower((unsigned char)line[i]);
	l[i] = '\0';
	return strstr(h, l) != NULL;
}

static void expect(const server *s, const char *method, const char *path,
                   int who, const char *body_q, int status)
{
	char *body = body_q ? fx_dq(body_q) : NULL;
	reply r = request(s, method, path, who, body);
	if (r.status != status)
		fail_msg("%s %s as %d: %d, want %d: %s", method, path, who,
		         r.status, status, r.body);
	if (status >= 400) {
		assert_true(
		    has_header(&r, "Content-Type: application/problem+json"));
		assert_non_null(strstr(r.body, "\"status\":"));
		assert_non_null(strstr(r.body, "\"title\":"));
		assert_non_null(strstr(r.body, "\"detail\":"));
	}
	free(r.body);
	free(body);
}

static void roles_over_http(void **state)
{
	server *s = *state;
	const int learner_rec[7] = {401, 200, 404, 403, 403, 200, 200};
	const int candidates[7] = {401, 403, 403, 200, 404, 200, 200};
	for (int who = ANON; who <= ADMIN; who++) {
		expect(s, "GET", "/skills/s1", who, NULL, 200);
		expect(s, "GET", "/learners/l1", who, NULL, learner_rec[who]);
		expect(s, "GET", "/learners/l1/matches?as_of=2025-06-01", who,
		       NULL, learner_rec[who]);
		expect(s, "GET", "/learners/l1/plan/j1", who, NULL,
		       learner_rec[who]);
		expect(s, "GET", "/jobs/j1/candidates", who, NULL,
		       candidates[who]);
	}
	/* consent: only Kim shares contact; demographics go to self and admin
	 */
	reply r = request(s, "GET", "/jobs/j1/candidates", OWNER, NULL);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "lee@example.org"));
	assert_non_null(strstr(r.body, "kim@example.org"));
	free(r.body);
	r = request(s, "GET", "/learners/l1", BOARD, NULL);
	assert_null(strstr(r.body, "demographics"));
	free(r.body);
	r = request(s, "GET", "/learners/l1", SELF, NULL);
	assert_non_null(strstr(r.body, "demographics"));
	free(r.body);
}

/* A chunked body that passes 1 MiB and never ends: the server closes
 * the connection as soon as the limit is crossed (libmicrohttpd takes no
 * answer while a body is arriving), rather than reading on forever. */
static void chunked_body_refused(const server *s)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
	                        .sin_port = htons((uint16_t)s->port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a))
		fail_msg("connect: %s", strerror(errno));
	struct timeval tv = {10, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	char head[256];
	snprintf(head, sizeof head,
	         "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nAuthorization: "
	         "Bearer %s\r\nContent-Type: application/json\r\n"
	         "Transfer-Encoding: chunked\r\n\r\n",
	         s->tok[OWNER]);
	assert_true(send(fd, head, strlen(head), MSG_NOSIGNAL) > 0);
	static char chunk[8 + 65536 + 2];
	int n = snprintf(chunk, sizeof chunk, "10000\r\n");
	memset(chunk + n, ' ', 65536);
	memcpy(chunk + n + 65536, "\r\n", 2);
	size_t len = (size_t)n + 65536 + 2, total = 0;
	/* 1.5 MiB in 64 KiB chunks, stopping when the server closes */
	for (int i = 0; i < 24; i++) {
		ssize_t w = send(fd, chunk, len, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		total += (size_t)w;
	}
	assert_true(total > 0);
	char buf[4096];
	ssize_t got;
	while ((got = recv(fd, buf, sizeof buf, 0)) > 0)
		;
	/* closed (0 or a reset), not the 10 s receive timeout */
	assert_true(got == 0 || errno == ECONNRESET);
	close(fd);
}

static void errors_and_limits(void **state)
{
	server *s = *state;
	reply r = request(s, "DELETE", "/skills", ANON, NULL);
	assert_int_equal(r.status, 405);
	assert_true(has_header(&r, "Allow: GET"));
	free(r.body);
	expect(s, "GET", "/nowhere", ANON, NULL, 404);
	expect(s, "POST", "/jobs", OWNER, "{'id': 'j9', 'title': ", 400);
	expect(s, "POST", "/jobs", OWNER,
	       "{'id': 'j9', 'id': 'j8', 'title': 'T'}", 400);
	char deep[200];
	memset(deep, '[', 70);
	memset(deep + 70, ']', 70);
	deep[140] = '\0';
	expect(s, "POST", "/jobs", OWNER, deep, 400);
	/* a body announced over 1 MiB is refused before it is sent */
	const char *big =
	    "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: "
	    "5000000\r\nConnection: close\r\n\r\n";
	r = exchange(s, big, strlen(big));
	assert_int_equal(r.status, 413);
	free(r.body);
	/* headers over the per-connection memory are refused, not crashed on */
	fx_text raw = {0};
	fx_put(&raw, "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ");
	for (int i = 0; i < 100; i++)
		fx_put(&raw, "%01000d", 0);
	fx_put(&raw, "\r\nConnection: close\r\n\r\n");
	r = exchange(s, raw.text, raw.len);
	assert_true(r.status == 431 || r.status == 413 || r.status == 400);
	free(r.body);
	fx_text_free(&raw);
	chunked_body_refused(s);
	/* and the server still answers */
	expect(s, "GET", "/health", ANON, NULL, 200);
}

static void writes_seen_by_the_next_request(void **state)
{
	server *s = *state;
	expect(s, "PUT", "/jobs/j3", OWNER,
	       "{'title': 'Three', 'employer': 'Acme', 'owner': 'Mallory',"
	       " 'requirements': [{'skill': 's1', 'level': 1}]}",
	       201);
	reply r = request(s, "GET", "/jobs/j3", ANON, NULL);
	assert_non_null(strstr(r.body, "\"owner\":\"Acme\""));
	free(r.body);
	r = request(s, "GET", "/learners/l1/matches?as_of=2025-06-01", SELF,
	            NULL);
	assert_non_null(strstr(r.body, "\"job\":\"j3\""));
	free(r.body);
	expect(s, "PUT", "/jobs/j2", OWNER, "{'title': 'Mine'}", 404);
	expect(s, "DELETE", "/jobs/j3", STRANGER, NULL, 404);
	expect(s, "DELETE", "/jobs/j3", OWNER, NULL, 204);
	expect(s, "GET", "/jobs/j3", ANON, NULL, 404);
	expect(s, "POST", "/learners/l2/credentials", OTHER,
	       "{'credential': 'c1', 'earned': '2025-02-01'}", 201);
	r = request(s, "GET", "/jobs/j1/candidates", BOARD, NULL);
	assert_non_null(strstr(r.body, "\"learner\":\"l2\",\"score\":100.0"));
	free(r.body);
}

/* Every route as every principal, over HTTP. Writes are ordered so that
 * each role's answer is defined: jobs jd-ROLE are made for DELETE, POSTs
 * use a new id per role. */
static void full_matrix(void **state)
{
	server *s = *state;
	static const char *const role_name[7] = {
	    "anon", "self", "other", "owner", "stranger", "board", "admin"};
	for (int who = ANON; who <= ADMIN; who++) {
		char path[64], body[200];
		snprintf(path, sizeof path, "/jobs/jd-%s", role_name[who]);
		snprintf(body, sizeof body,
		         "{\"title\": \"D\", \"employer\": \"Acme\"}");
		reply r = request(s, "PUT", path, OWNER, body);
		assert_int_equal(r.status, 201);
		free(r.body);
	}
	struct {
		const char *method, *path, *body;
		int want[7]; /* anon self other owner stranger board admin */
	} rows[] = {
	    {"GET", "/health", NULL, {200, 200, 200, 200, 200, 200, 200}},
	    {"GET", "/openapi.json", NULL, {200, 200, 200, 200, 200, 200, 200}},
	    {"GET", "/skills", NULL, {200, 200, 200, 200, 200, 200, 200}},
	    {"GET", "/skills/s1", NULL, {200, 200, 200, 200, 200, 200, 200}},
	    {"POST",
	     "/extract",
	     "{\"text\": \"skill one\"}",
	     {200, 200, 200, 200, 200, 200, 200}},
	    {"GET", "/credentials", NULL, {200, 200, 200, 200, 200, 200, 200}},
	    {"GET",
	     "/credentials/c1",
	     NULL,
	     {200, 200, 200, 200, 200, 200, 200}},
	    {"GET", "/occupations", NULL, {200, 200, 200, 200, 200, 200, 200}},
	    {"GET",
	     "/occupations/11-1111.00",
	     NULL,
	     {404, 404, 404, 404, 404, 404, 404}},
	    {"GET",
	     "/jobs?county=21193&top=5",
	     NULL,
	     {200, 200, 200, 200, 200, 200, 200}},
	    {"GET", "/jobs/j1", NULL, {200, 200, 200, 200, 200, 200, 200}},
	    {"GET",
	     "/jobs/j1/candidates",
	     NULL,
	     {401, 403, 403, 200, 404, 200, 200}},
	    {"GET", "/learners/l1", NULL, {401, 200, 404, 403, 403, 200, 200}},
	    {"GET",
	     "/learners/l1/matches?top=3",
	     NULL,
	     {401, 200, 404, 403, 403, 200, 200}},
	    {"GET",
	     "/learners/l1/explain/j1",
	     NULL,
	     {401, 200, 404, 403, 403, 200, 200}},
	    {"GET",
	     "/learners/l1/plan/j1?by=cost",
	     NULL,
	     {401, 200, 404, 403, 403, 200, 200}},
	    {"GET",
	     "/learners/l1/next",
	     NULL,
	     {401, 200, 404, 403, 403, 200, 200}},
	    {"PUT",
	     "/jobs/j1",
	     "{\"title\": \"Job one\", \"employer\": \"Acme\", "
	     "\"requirements\": [{\"skill\": \"s1\", \"level\": 2}]}",
	     {401, 403, 403, 200, 404, 403, 200}},
	    {"PUT",
	     "/learners/l1",
	     "{\"name\": \"Lee\", \"contact\": \"lee@example.org\", "
	     "\"discoverable\": true, \"demographics\": {\"gender\": "
	     "\"female\"}, \"credentials\": [{\"credential\": \"c1\", "
	     "\"earned\": \"2025-01-01\"}]}",
	     {401, 200, 404, 403, 403, 403, 200}},
	    {"POST",
	     "/learners/l1/credentials",
	     "{\"credential\": \"c1\", \"earned\": \"2025-03-03\"}",
	     {401, 201, 404, 403, 403, 403, 200}},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		for (int who = ANON; who <= ADMIN; who++) {
			reply r = request(s, rows[i].method, rows[i].path, who,
			                  rows[i].body);
			if (r.status != rows[i].want[who])
				fail_msg("%s %s as %s: %d, want %d: %s",
				         rows[i].method, rows[i].path,
				         role_name[who], r.status,
				         rows[i].want[who], r.body);
			free(r.body);
		}
	/* POST /jobs: a new id per role */
	const int post_want[7] = {401, 403, 403, 201, 201, 403, 201};
	const int delete_want[7] = {401, 403, 403, 204, 404, 403, 204};
	for (int who = ANON; who <= ADMIN; who++) {
		char body[200], path[64];
		snprintf(body, sizeof body,
		         "{\"id\": \"jp-%s\", \"title\": \"P\"}",
		         role_name[who]);
		reply r = request(s, "POST", "/jobs", who, body);
		if (r.status != post_want[who])
			fail_msg("POST /jobs as %s: %d, want %d: %s",
			         role_name[who], r.status, post_want[who],
			         r.body);
		free(r.body);
		snprintf(path, sizeof path, "/jobs/jd-%s", role_name[who]);
		r = request(s, "DELETE", path, who, NULL);
		if (r.status != delete_want[who])
			fail_msg("DELETE %s as %s: %d, want %d: %s", path,
			         role_name[who], r.status, delete_want[who],
			         r.body);
		free(r.body);
	}
}

typedef struct load {
	const server *s;
	atomic_int bad;
	atomic_bool done;
} load;

static void *reader(void *arg)
{
	load *l = arg;
	for (int i = 0; i < 40 && !atomic_load(&l->done); i++) {
		reply r = request(l->s, "GET",
		                  "/learners/l1/matches?as_of=2025-06-01", SELF,
		                  NULL);
		if (r.status != 200)
			atomic_fetch_add(&l->bad, 1);
		free(r.body);
	}
	return NULL;
}

static void readers_while_writing(void **state)
{
	server *s = *state;
	load l = {.s = s};
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, reader, &l);
	for (int w = 0; w < 20; w++) {
		char body[200], path[32];
		snprintf(
		    body, sizeof body,
		    "{\"title\": \"W%d\", \"employer\": \"Acme\", "
		    "\"requirements\": [{\"skill\": \"s1\", \"level\": %d}]}",
		    w, 1 + w % 3);
		snprintf(path, sizeof path, "/jobs/w%d", w);
		reply r = request(s, "PUT", path, OWNER, body);
		assert_int_equal(r.status, 201);
		free(r.body);
		/* seen at once */
		r = request(s, "GET", path, ANON, NULL);
		assert_int_equal(r.status, 200);
		free(r.body);
	}
	atomic_store(&l.done, true);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(atomic_load(&l.bad), 0);
}

/* A request with a body of any content type (NULL: no header). */
static reply request_typed(const server *s, const char *path, int who,
                           const char *type, const char *body, size_t len)
{
	fx_text raw = {0};
	fx_put(&raw,
	       "POST /v1%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: "
	       "close\r\nContent-Length: %zu\r\n",
	       path, len);
	if (who != ANON)
		fx_put(&raw, "Authorization: Bearer %s\r\n", s->tok[who]);
	if (type)
		fx_put(&raw, "Content-Type: %s\r\n", type);
	fx_put(&raw, "\r\n");
	size_t head = raw.len;
	for (size_t i = 0; i < len; i++)
		fx_put(&raw, "%c", body[i]);
	reply r = exchange(s, raw.text, head + len);
	fx_text_free(&raw);
	return r;
}

/* POST /v1/extract: anyone, raw text or {"text": ...}, byte offsets of the
 * decoded text, 400 for text that is not UTF-8 or a bad JSON body. */
static void extract_over_http(void **state)
{
	server *s = *state;
	static const char plain[] = "Needs SKILL ONE, not skill-ones.";
	reply r =
	    request_typed(s, "/extract", ANON, "text/plain; charset=utf-8",
	                  plain, sizeof plain - 1);
	assert_int_equal(r.status, 200);
	assert_true(has_header(&r, "Content-Type: application/json"));
	assert_string_equal(r.body,
	                    "{\"skills\":[{\"skill\":\"s1\",\"name\":\"Skill "
	                    "one\",\"start\":6,\"end\":15,\"text\":\"SKILL "
	                    "ONE\"}]}");
	free(r.body);
	/* no content type: the body is the text */
	r = request_typed(s, "/extract", BOARD, NULL, "skill one", 9);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"start\":0,\"end\":9"));
	free(r.body);
	/* JSON: offsets count the bytes of the decoded text */
	static const char json[] =
	    "{ \"text\" : \"\\u00c9t\\u00e9\\n\\ud83d\\ude00 Skill one\" }";
	r = request_typed(s, "/extract", SELF, "Application/JSON", json,
	                  sizeof json - 1);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"start\":11,\"end\":20"));
	free(r.body);
	r = request_typed(s, "/extract", OWNER, "application/json",
	                  "{\"text\": \"\"}", 12);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"skills\":[]}");
	free(r.body);
	/* refusals, as problem+json */
	static const struct {
		const char *type, *body, *detail;
	} bad[] = {
	    {"text/plain", "skill \xff one", "byte offset 6"},
	    {"application/json", "{\"text\": \"skill \xc3\"}", "bad JSON body"},
	    {"application/json", "{\"text\": 42}", "takes a string"},
	    {"application/json", "{\"txt\": \"skill one\"}", "is missing"},
	    {"application/json", "{\"text\": \"a\", \"x\": 1}", "one member"},
	    {"application/json", "{\"text\": \"a\", \"text\": \"b\"}",
	     "duplicate"},
	    {"application/json", "{\"text\": \"a\"", "bad JSON body"},
	    {"application/json", "{\"text\": \"a\\ud800\"}", "invalid Unicode"},
	    {"application/json", "{\"text\": \"a\"} x", "end of file expected"},
	    {"application/json", "[\"text\"]", "expected an object"},
	    {"application/json", "", "bad JSON body"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = request_typed(s, "/extract", ANON, bad[i].type, bad[i].body,
		                  strlen(bad[i].body));
		if (r.status != 400 || !strstr(r.body, bad[i].detail))
			fail_msg("case %zu: %d %s", i, r.status, r.body);
		assert_true(
		    has_header(&r, "Content-Type: application/problem+json"));
		free(r.body);
	}
	r = request(s, "GET", "/extract", ANON, NULL);
	assert_int_equal(r.status, 405);
	assert_true(has_header(&r, "Allow: POST"));
	free(r.body);
	expect(s, "POST", "/extract?top=3", ANON, "{'text': 'x'}", 400);
}

/* POST /v1/learners/{id}/credentials with badge documents: an OB 3.0
 * object under the VC media type, a compact JWS as text/plain, a CLR; the
 * native entry's roles and statuses; a bad JWS refused as problem+json. */
static void badges_over_http(void **state)
{
	server *s = *state;
	static const char ob3[] =
	    "{\"@context\": [\"https://www.w3.org/ns/credentials/v2\"], "
	    "\"id\": "
	    "\"urn:uuid:e2e-1\", \"type\": [\"VerifiableCredential\", "
	    "\"OpenBadgeCredential\"], \"validFrom\": "
	    "\"2025-08-01T00:00:00Z\", "
	    "\"credentialSubject\": {\"achievement\": {\"id\": "
	    "\"https://badges.example/a/e2e\", \"type\": [\"Achievement\"], "
	    "\"name\": \"E2E badge\", \"alignment\": [{\"targetName\": \"Skill "
	    "one\", \"targetUrl\": \"https://skills.example/1\"}]}}}";
	/* {"type":"OpenBadgeCredential","id":"urn:uuid:e2e-2","validFrom":
	 * "2025-09-09","credentialSubject":{"achievement":{"id":
	 * "urn:pathway:credential:c1","name":"Cred"}}} */
	static const char jws[] =
	    "eyJhbGciOiJub25lIn0."
	    "eyJ0eXBlIjoiT3BlbkJhZGdlQ3JlZGVudGlhbCIsImlkIjoidXJuOnV1aWQ6ZTJl"
	    "LTIiLCJ2YWxpZEZyb20iOiIyMDI1LTA5LTA5IiwiY3JlZGVudGlhbFN1YmplY3Qi"
	    "OnsiYWNoaWV2ZW1lbnQiOnsiaWQiOiJ1cm46cGF0aHdheTpjcmVkZW50aWFsOmMx"
	    "IiwibmFtZSI6IkNyZWQifX19.c2ln";
	static const char clr[] =
	    "{\"type\": [\"VerifiableCredential\", \"ClrCredential\"], "
	    "\"validFrom\": \"2025-10-10\", \"credentialSubject\": "
	    "{\"verifiableCredential\": [{\"type\": \"OpenBadgeCredential\", "
	    "\"id\": \"urn:uuid:e2e-3\", \"credentialSubject\": "
	    "{\"achievement\": {\"id\": \"https://badges.example/a/e2e\"}}}], "
	    "\"association\": [{\"associationType\": \"isPartOf\", "
	    "\"sourceId\": \"https://badges.example/a/e2e\", \"targetId\": "
	    "\"https://badges.example/a/e2e\"}]}}";
	const char *path = "/learners/l1/credentials";
	static const struct {
		int who;
		const char *type, *body;
		int status;
		const char *detail;
	} rows[] = {
	    {ANON, "application/vc+ld+json", ob3, 401, NULL},
	    {OTHER, "application/vc+ld+json", ob3, 404, NULL},
	    {BOARD, "application/vc+ld+json", ob3, 403, NULL},
	    {SELF, "application/vc+ld+json", ob3, 201,
	     "\"source\":{\"format\":\"ob3\",\"id\":\"urn:uuid:e2e-1\","
	     "\"verified\":false}"},
	    {SELF, "application/json", ob3, 200, NULL},
	    {SELF, "text/plain", jws, 201,
	     "{\"credential\":\"c1\",\"earned\":\"2025-09-09\",\"source\":"
	     "{\"format\":\"ob3-jws\",\"id\":\"urn:uuid:e2e-2\""},
	    {ADMIN, "text/plain; charset=us-ascii", jws, 200, NULL},
	    /* the CLR's achievement by reference: the credential the first
	     * badge made; its self-cycle is only a hint */
	    {SELF, "application/json", clr, 201,
	     "\"earned\":\"2025-10-10\",\"source\":{\"format\":\"clr2\""},
	    {SELF, "text/plain", "eyJhbGciOiJub25lIn0.e30=x.c2ln", 400,
	     "payload: not base64url"},
	    {SELF, "application/json", "{\"type\": \"Assertion\"}", 400,
	     "no date earned"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		reply r = request_typed(s, path, rows[i].who, rows[i].type,
		                        rows[i].body, strlen(rows[i].body));
		if (r.status != rows[i].status ||
		    (rows[i].detail && !strstr(r.body, rows[i].detail)))
			fail_msg("row %zu: %d, want %d: %s", i, r.status,
			         rows[i].status, r.body);
		if (r.status >= 400)
			assert_true(has_header(
			    &r, "Content-Type: application/problem+json"));
		free(r.body);
	}
	/* the credential made for the badge is in the record; the learner's
	 * matches are served as before */
	reply r = request(s, "GET", "/learners/l1", SELF, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "{\"credential\":\"badge.e2e-badge-"));
	free(r.body);
	expect(s, "GET", "/learners/l1/matches", SELF, NULL, 200);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(roles_over_http),
	    cmocka_unit_test(full_matrix),
	    cmocka_unit_test(errors_and_limits),
	    cmocka_unit_test(writes_seen_by_the_next_request),
	    cmocka_unit_test(readers_while_writing),
	    cmocka_unit_test(extract_over_http),
	    cmocka_unit_test(badges_over_http),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
