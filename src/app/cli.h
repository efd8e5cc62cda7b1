/* Command-line parsing, driven by one option table that also makes --help. */
#ifndef TM_CLI_H
#define TM_CLI_H
#include "ctx.h"
#include <stdio.h>

typedef enum { TM_CMD_CHECK, TM_CMD_RULES, TM_CMD_EXPLAIN, TM_CMD_INIT, TM_CMD_CONVERT, TM_CMD_AUDIT, TM_CMD_TEST, TM_CMD_LSP, TM_CMD_GENERATE, TM_CMD_NONE } tm_cmd;

typedef struct tm_cli {
    tm_cmd cmd;
    char **args;       /* positional arguments (borrowed from argv) */
    size_t nargs;
    const char *color; /* always, never, auto */
    int bare;          /* no command given */
    int help, version; /* --help / --version (or `help`, `version`) */
    const char *to;    /* convert --to */
} tm_cli;

/* Fills cli and c->opts. Returns 0, or -1 with a usage diag in c. */
int tm_cli_parse(tm_ctx *c, tm_cli *cli, int argc, char **argv);
/* A command's help (its options only), or the general one for TM_CMD_NONE. */
void tm_cli_help(FILE *out, tm_cmd cmd);
/* Writes the man page or a shell's completions (what: man, bash, zsh,
 * fish) from the option table; -1 for another name. */
int tm_cli_generate(FILE *out, const char *what);

#endif
