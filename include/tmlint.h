/* tmlint: a checker for threat models.
 *
 * The command-line tool is the supported interface; this header names
 * what a program embedding it may rely on: the version and the meaning of
 * the exit status. */
#ifndef TMLINT_H
#define TMLINT_H

#define TMLINT_VERSION_STRING TMLINT_VERSION

/* Exit status of `tmlint check` (and of tmlint_main). */
typedef enum {
    TMLINT_EXIT_CLEAN = 0,     /* no finding at or above --fail-on */
    TMLINT_EXIT_FINDINGS = 1,  /* findings at or above --fail-on */
    TMLINT_EXIT_ERROR = 2      /* usage error, a file that could not be checked,
                                  or a rule or adapter that failed */
} tmlint_exit;

/* Runs the tool with command-line arguments; returns a tmlint_exit. */
int tmlint_main(int argc, char **argv);

#endif
