/* replay.c - runs a libFuzzer target's entry point over files without
 * libFuzzer, so `make check` replays the committed corpus under gcc. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 4096, n = 0, got;
	uint8_t *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *more = realloc(buf, cap *= 2);
			if (!more) {
				free(buf);
				buf = NULL;
			}
			buf = more;
		}
	}
	fclose(f);
	if (!buf)
		return -1;
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

/* Without arguments, the corpus of this target: replay_NAME replays
 * $PATHWAY_SRC/tests/fuzz/corpus/NAME (or ./tests/fuzz/corpus/NAME). */
static char default_dir[4096];

int main(int argc, char **argv)
{
	size_t files = 0;
	char *fallback[2] = {argv[0], default_dir};
	if (argc == 1) {
		const char *name = strrchr(argv[0], '/');
		name = name ? name + 1 : argv[0];
		if (strncmp(name, "replay_", 7) == 0)
			name += 7;
		const char *src = getenv("PATHWAY_SRC");
		snprintf(default_dir, sizeof default_dir, "%s/tests/fuzz/corpus/%s",
		         src && *src ? src : ".", name);
		argc = 2;
		argv = fallback;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: cannot read '%s'\n", argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (run_file(argv[i]))
				return 1;
			files++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			char path[4096];
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
			if (run_file(path)) {
				closedir(d);
				return 1;
			}
			files++;
		}
		if (d)
			closedir(d);
	}
	/* one cmocka-like closing line so tests/run.sh counts it */
	printf("[==========] %zu corpus file(s) replayed.\n[  PASSED  ] 1 test(s).\n",
	       files);
	return 0;
}
