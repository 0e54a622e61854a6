/* cmd_extract.c - `pathway extract [FILE]`. */
#include "cli.h"

static int run_extract(cli *c, int argc, char **argv)
{
	(void)c, (void)argc, (void)argv;
	return EXIT_USAGE;
}

const command cmd_extract = {
    .name = "extract",
    .args = "[FILE]",
    .summary = "find taxonomy skills in text",
    .help = "",
    .flags = CMD_DB,
    .run = run_extract,
};
