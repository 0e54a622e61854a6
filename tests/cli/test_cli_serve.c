/* test_cli_serve.c - `pathway serve` refuses bad options with exit 2 and a
 * `pathway: ` line, a port it cannot bind with exit 1, and a missing
 * database with exit 1, without creating it. */
#include "fixture.h"
#include "sandbox.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void bad_options(void **state)
{
	sandbox *t = *state;
	sb_write(t, "l.json", "{\"learners\": [{\"id\": \"l1\"}]}");
	RUN(t, "--db", "t.db", "load", "l.json");
	EXPECT_EXIT(t, 0);
	const char *listens[] = {"nonsense", "127.0.0.1:99999", "999.1.1.1:80",
	                         "127.0.0.1:", "[::1:80"};
	for (size_t i = 0; i < sizeof listens / sizeof listens[0]; i++) {
		RUN(t, "--db", "t.db", "serve", "--listen", listens[i]);
		EXPECT_EXIT(t, 2);
		EXPECT(t, sb_all_lines_prefixed(t->err));
		EXPECT(t, sb_has(t->err, "--listen"));
	}
	RUN(t, "--db", "t.db", "serve", "--threads", "0");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "t.db", "serve", "--threads", "many");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "t.db", "serve", "--port", "80");
	EXPECT_EXIT(t, 2);
	RUN(t, "--db", "missing.db", "serve", "--listen", "127.0.0.1:0");
	EXPECT_EXIT(t, 1);
	EXPECT(t, !sb_exists(t, "missing.db"));
}

static void port_in_use(void **state)
{
	sandbox *t = *state;
	sb_write(t, "l.json", "{\"learners\": [{\"id\": \"l1\"}]}");
	RUN(t, "--db", "t.db", "load", "l.json");
	EXPECT_EXIT(t, 0);
	/* hold a loopback port, then ask the server for it */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	socklen_t len = sizeof a;
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	char listen_at[64];
	snprintf(listen_at, sizeof listen_at, "127.0.0.1:%u",
	         ntohs(a.sin_port));
	RUN(t, "--db", "t.db", "serve", "--listen", listen_at);
	close(fd);
	EXPECT_EXIT(t, 1);
	EXPECT(t, sb_has(t->err, "cannot listen"));
	EXPECT(t, sb_all_lines_prefixed(t->err));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sb_setup, sb_teardown)
	const struct CMUnitTest tests[] = {T(bad_options), T(port_in_use)};
	return cmocka_run_group_tests(tests, sb_group_setup, NULL);
}
