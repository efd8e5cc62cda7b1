/* tmlint: a checker for threat models.
 *
 * Two ways in: tmlint_main runs the command-line tool, and a checker
 * (tmlint_checker_new) checks buffers or paths in a long-lived host, an
 * editor's language server say, with the rules loaded once. Link with
 * -ltmlint (pkg-config: tmlint). docs/library.md has an example. */
#ifndef TMLINT_H
#define TMLINT_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TMLINT_API __attribute__((visibility("default")))

/* Exit status of `tmlint check` (and of tmlint_main). */
typedef enum {
    TMLINT_EXIT_CLEAN = 0,     /* no finding at or above --fail-on */
    TMLINT_EXIT_FINDINGS = 1,  /* findings at or above --fail-on */
    TMLINT_EXIT_ERROR = 2      /* usage error, a file that could not be checked,
                                  or a rule or adapter that failed */
} tmlint_exit;

/* Runs the tool with command-line arguments; returns a tmlint_exit. */
TMLINT_API int tmlint_main(int argc, char **argv);

typedef enum { TMLINT_NOTE = 1, TMLINT_WARNING = 2, TMLINT_ERROR = 3 } tmlint_level;

/* What a checker is made with; zeroed (or NULL) is the defaults. */
typedef struct tmlint_options {
    const char *config;      /* one configuration file for every check; NULL: each file's nearest .tmlint.yaml */
    const char *rules_dir;   /* NULL: the installed rules */
    const char *now;         /* "YYYY-MM-DD" for the date rules; NULL: today (or SOURCE_DATE_EPOCH) */
    int no_repo;             /* 1: the rules learn nothing of the file's repository */
    int models_only;         /* 1: check a buffer or a named file only when a directory walk would take it
                                (a model's file name, the configuration's include:, or a format's marks in
                                its first bytes), as `check --force-exclude`; another comes back with no
                                findings, no diagnostics and tmlint_result_files() 0. An editor wants this:
                                its other YAML and JSON files are no models */
} tmlint_options;

typedef struct tmlint_finding {
    const char *rule;        /* "TM310" */
    const char *rule_name;   /* "threat-without-mitigation" */
    tmlint_level level;      /* after the configuration */
    const char *message;
    const char *path;        /* the buffer's name or the file's path (or a file it includes) */
    unsigned line, column;   /* 1-based; a column counts characters (code points) */
    unsigned end_line, end_column;   /* where the element ends; end_column exclusive */
    const char *fingerprint; /* stable across edits that do not touch the element */
    const char *fix;         /* a safe fix: the text to put in place of the span, or NULL */
    const char *fix_old;     /* the text the fix replaces, or NULL */
    const char *suppressed;  /* the reason when the file suppresses it, else NULL */
} tmlint_finding;

/* tmlint's own word on a check: a file that could not be read (with its
 * position), a rule that failed, a bad configuration. */
typedef struct tmlint_diagnostic {
    tmlint_level level;
    const char *path;        /* or NULL */
    unsigned line, column;   /* 1-based; 0 when unknown */
    const char *rule;        /* the rule or adapter at fault, or NULL */
    const char *message;
} tmlint_diagnostic;

typedef struct tmlint_rule_info {
    const char *id, *name, *summary, *help;
    tmlint_level level;      /* its default level */
} tmlint_rule_info;

typedef struct tmlint_checker tmlint_checker;
typedef struct tmlint_result tmlint_result;

/* A checker with the built-in rules loaded, or NULL with *error set (free
 * it with free()) when the rules or the options are wrong. A checker is
 * not thread-safe: use one per thread. */
TMLINT_API tmlint_checker *tmlint_checker_new(const tmlint_options *opts, char **error);
TMLINT_API void tmlint_checker_free(tmlint_checker *k);

/* Checks `len` bytes as the file `name` would be checked: its format from
 * the name and contents, the configuration and repository of that path
 * (the file itself need not exist). Each call reads the configuration
 * anew, so an edited .tmlint.yaml counts. 0 with *out set, or -1 for bad
 * arguments. Problems with the input are diagnostics, never -1. */
TMLINT_API int tmlint_check_buffer(tmlint_checker *k, const char *name, const char *data, size_t len,
                                   tmlint_result **out);
/* Checks a file, or the models under a directory, as `tmlint check PATH`. */
TMLINT_API int tmlint_check_path(tmlint_checker *k, const char *path, tmlint_result **out);

/* The findings (sorted by file, line and column) and the diagnostics of a
 * check; the pointers live as long as the result. */
TMLINT_API size_t tmlint_result_findings(const tmlint_result *r, const tmlint_finding **v);
TMLINT_API size_t tmlint_result_diagnostics(const tmlint_result *r, const tmlint_diagnostic **v);
/* How many files the check read as models: 0 when a buffer or file was
 * passed over (models_only) or could not be read at all (a diagnostic then
 * says why). A result with 0 files and no diagnostics checked nothing. */
TMLINT_API size_t tmlint_result_files(const tmlint_result *r);
TMLINT_API void tmlint_result_free(tmlint_result *r);

/* A rule's id, name and texts (what `tmlint explain` prints), by id or
 * name; 0, or -1 when no rule has it. The strings live as long as k. */
TMLINT_API int tmlint_rule(const tmlint_checker *k, const char *id_or_name, tmlint_rule_info *out);

#ifdef __cplusplus
}
#endif
#endif
