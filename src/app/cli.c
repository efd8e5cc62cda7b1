#include "cli.h"
#include "out.h"
#include "suggest.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    O_FORMAT, O_OUTPUT, O_FAIL_ON, O_NOW, O_RULES_DIR, O_MAX_DEPTH, O_MAX_NODES, O_MAX_SIZE,
    O_RULE_INSTR, O_RULE_MEM, O_MAX_FINDINGS, O_COLOR, O_VERBOSE, O_HELP, O_VERSION,
    O_CONFIG, O_ENABLE, O_DISABLE, O_INPUT_FORMAT, O_TO, O_BASELINE, O_NEW_ONLY, O_CATEGORY, O_OMIT_SUPPRESSED,
    O_JOBS, O_QUIET, O_STDIN_FILENAME, O_ALLOW_EMPTY, O_FORCE_EXCLUDE, O_RULE_TIME, O_MAX_DOCS, O_FOLLOW, O_TIMINGS, O_NO_REPO,
    O_TEST_RESULTS, O_CHANGED_SINCE, O_STAGED, O_ONLY, O_COVERAGE, O_EXCLUDE, O_COMPARE, O_SELECT, O_IGNORE,
    O_STATISTICS, O_COMMIT_MSG, O_RULE_ID, O_RULE_NAME, O_HISTORY, O_FIX, O_DIFF, O_SHARD, O_SHARD_LIST, O_MERGE
} opt_id;

/* Which commands an option belongs to. */
enum {
    C_CHECK = 1 << TM_CMD_CHECK, C_AUDIT = 1 << TM_CMD_AUDIT, C_RULES = 1 << TM_CMD_RULES,
    C_EXPLAIN = 1 << TM_CMD_EXPLAIN, C_INIT = 1 << TM_CMD_INIT, C_CONVERT = 1 << TM_CMD_CONVERT,
    C_TEST = 1 << TM_CMD_TEST, C_LSP = 1 << TM_CMD_LSP,
    C_RUN = C_CHECK | C_AUDIT, C_ALL = C_RUN | C_RULES | C_EXPLAIN | C_INIT | C_CONVERT | C_TEST | C_LSP
};

typedef struct opt {
    opt_id id;
    const char *name;
    char shrt;          /* one-letter form, or 0 */
    const char *arg;    /* NULL: a flag */
    unsigned cmds;      /* C_* mask */
    const char *help;
} opt;

static const opt opts[] = {
    {O_FORMAT, "format", 0, "FMT", C_RUN | C_RULES | C_TEST, "output format: text (default), full (text with each source line and a caret), sarif, json, codequality, junit, html; rules: text or json; test: text or junit"},
    {O_OUTPUT, "output", 'o', "FILE", C_RUN | C_RULES | C_CONVERT | C_TEST, "write output to FILE (whole or not at all) instead of stdout"},
    {O_FAIL_ON, "fail-on", 0, "LEVEL", C_RUN, "exit 1 on findings at or above LEVEL: error (default), warning, note, none"},
    {O_QUIET, "quiet", 'q', NULL, C_RUN, "print findings only: no summary line"},
    {O_JOBS, "jobs", 'j', "N", C_RUN, "worker processes: audit checks models in N at once (default: one per core), check splits the rules of a large model across N (default: 1)"},
    {O_INPUT_FORMAT, "input-format", 0, "NAME", C_RUN | C_CONVERT, "read every file as this format: native, otm, threagile, threat-composer, threat-dragon, owasp-tml, cyclonedx, pytm, flowstate (default: detect)"},
    {O_STDIN_FILENAME, "stdin-filename", 0, "PATH", C_CHECK, "with the path -: the name to give standard input, for the configuration and messages"},
    {O_ALLOW_EMPTY, "allow-empty", 0, NULL, C_RUN, "exit 0 when no threat model is found (default: exit 2)"},
    {O_FORCE_EXCLUDE, "force-exclude", 0, NULL, C_RUN, "apply the configuration's include/exclude and the model file names (or a model's first bytes) to files named on the command line too"},
    {O_EXCLUDE, "exclude", 0, "GLOB", C_RUN, "skip files and directories whose path, as the walk reaches it, matches GLOB (repeatable; ** spans directories)"},
    {O_TO, "to", 0, "FORMAT", C_CONVERT, "the format to write (native)"},
    {O_BASELINE, "baseline", 0, "SARIF", C_RUN, "mark findings new, unchanged, updated or absent against an earlier SARIF run"},
    {O_HISTORY, "history", 0, "DIR", C_AUDIT, "read earlier audits' --format json files from DIR (a nightly audit's artifacts) and add the trend: a point per audit, this one last (JSON trend, a section of the page)"},
    {O_SHARD, "shard", 0, "I/N", C_AUDIT, "audit only shard I of N: the repositories whose identity (origin URL, else directory name) hashes to I; its --format json carries what --merge needs"},
    {O_SHARD_LIST, "shard-list", 0, "FILE", C_AUDIT, "with --shard I/N: print the repository URLs of FILE (one per line) that fall in shard I, and exit (what a CI job clones)"},
    {O_MERGE, "merge", 0, NULL, C_AUDIT, "the paths are the --format json files of every shard of one --shard audit: write the report, in any format, that one audit of all the repositories gives"},
    {O_COMPARE, "compare", 0, "OLD.json", C_AUDIT, "show per model and per rule what got better or worse since an earlier audit's --format json"},
    {O_NEW_ONLY, "new-only", 0, NULL, C_RUN, "with --baseline: fail only on new findings, and show only them (SARIF keeps every result with its baselineState: an upload without them closes their alerts)"},
    {O_CATEGORY, "category", 0, "ID", C_RUN, "SARIF runs[0].automationDetails.id (GitHub code scanning category)"},
    {O_OMIT_SUPPRESSED, "omit-suppressed", 0, NULL, C_RUN, "leave findings suppressed in the file out of SARIF and JSON (GitHub shows them as open)"},
    {O_CONFIG, "config", 0, "FILE", C_RUN | C_RULES | C_CONVERT | C_LSP, "use this configuration for every file (default: the nearest .tmlint.yaml)"},
    {O_ENABLE, "enable", 0, "RULE", C_RUN | C_RULES, "switch a rule on, whatever the configuration says (repeatable)"},
    {O_ONLY, "only", 0, "RULE", C_RUN | C_RULES | C_TEST, "run only this rule (repeatable); the others are off, whatever the configuration says"},
    {O_DISABLE, "disable", 0, "RULE", C_RUN | C_RULES, "switch a rule off, whatever the configuration says (repeatable)"},
    {O_SELECT, "select", 0, "PREFIX", C_RUN | C_RULES, "run only the rules whose id starts with PREFIX (repeatable; TM3 picks the 3xx rules), each on"},
    {O_IGNORE, "ignore", 0, "PREFIX", C_RUN | C_RULES, "switch off the rules whose id starts with PREFIX (repeatable)"},
    {O_STATISTICS, "statistics", 0, NULL, C_CHECK, "text output: how many findings each rule has, instead of each finding"},
    {O_FIX, "fix", 0, NULL, C_CHECK, "apply the safe fixes: a misspelt key or value with one clear correction (never one that closes an item), edited in place; each file written whole"},
    {O_DIFF, "diff", 0, NULL, C_CHECK, "with --fix: print the fixes as a unified diff and write nothing (exit 1 when there are some)"},
    {O_RULE_ID, "rule", 0, "ID", C_INIT, "write a new team rule ID (a file with every field explained) and a fires and a quiet fixture for it, in the rules directory of the configuration (or --rules-dir); tmlint test runs them"},
    {O_RULE_NAME, "name", 0, "NAME", C_INIT, "with --rule: the rule's readable name (default: the id in lower case)"},
    {O_COMMIT_MSG, "commit-msg", 0, "FILE", C_CHECK, "a commit message (the commit-msg hook): its trailer 'Threat-Model-Unchanged: REASON' (4 words or more) acknowledges a code change that leaves the model alone (TM342)"},
    {O_NOW, "now", 0, "DATE", C_RUN | C_TEST | C_LSP, "today's date as YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else the clock)"},
    {O_RULES_DIR, "rules-dir", 0, "DIR", C_RUN | C_RULES | C_EXPLAIN | C_INIT | C_CONVERT | C_TEST | C_LSP, "load team rules from DIR beside the built-in ones (a DIR with its own lib/tm.lua, a whole rules tree, replaces them)"},
    {O_MAX_DEPTH, "max-depth", 0, "N", C_RUN | C_CONVERT, "refuse nesting deeper than N (default 256)"},
    {O_MAX_NODES, "max-nodes", 0, "N", C_RUN | C_CONVERT, "refuse documents of more than N nodes, aliases expanded (default 10000000)"},
    {O_MAX_SIZE, "max-file-size", 0, "BYTES", C_RUN | C_CONVERT, "refuse files larger than BYTES (default 67108864)"},
    {O_RULE_INSTR, "max-rule-instructions", 0, "N", C_RUN | C_CONVERT, "Lua instructions a rule may run per file, plus 500 per node (default 200000000); counted once team code is loaded, and for every rule when given"},
    {O_RULE_MEM, "max-rule-memory", 0, "MIB", C_RUN | C_CONVERT, "memory a rule may add while it runs (default 256)"},
    {O_RULE_TIME, "max-rule-time", 0, "SECONDS", C_RUN | C_CONVERT, "wall time a rule or adapter may take per file (default 5)"},
    {O_MAX_DOCS, "max-documents", 0, "N", C_RUN | C_CONVERT, "refuse files of more than N YAML documents (default 1000)"},
    {O_FOLLOW, "follow-symlinks", 0, NULL, C_RUN, "follow symbolic links to directories and to files outside the scanned directory"},
    {O_NO_REPO, "no-repo", 0, NULL, C_RUN | C_LSP, "tell rules nothing of the git repository (repository-aware rules stay quiet)"},
    {O_CHANGED_SINCE, "changed-since", 0, "REF", C_CHECK, "the change under check is the work tree against the merge base of REF and HEAD (CI: the target branch)"},
    {O_STAGED, "staged", 0, NULL, C_CHECK, "the change under check is what is staged (the pre-commit hook)"},
    {O_TEST_RESULTS, "test-results", 0, "JUNIT", C_CHECK, "read test results from this JUnit XML file, for failing-evidence (repeatable)"},
    {O_MAX_FINDINGS, "max-findings", 0, "N", C_RUN, "findings kept per rule and file (default 100000)"},
    {O_COLOR, "color", 0, "WHEN", C_RUN, "colour text output: auto (default), always, never"},
    {O_COVERAGE, "coverage", 0, NULL, C_RULES, "list every meta threat of the seed with the rules that check it, or why none does"},
    {O_TIMINGS, "timings", 0, NULL, C_CHECK, "after the run, print to stderr each rule's, adapter's and phase's wall time, share and Lua instructions (where counted), slowest first"},
    {O_VERBOSE, "verbose", 'v', NULL, C_RUN | C_RULES | C_CONVERT, "show what rules print, what a directory walk skipped and which configuration each file gets"},
    {O_HELP, "help", 'h', NULL, C_ALL, "show this help"},
    {O_VERSION, "version", 0, NULL, C_ALL, "show the version"},
};
#define NOPTS (sizeof opts / sizeof *opts)

typedef struct command {
    tm_cmd cmd;
    const char *name, *args, *what;
} command;

static const command commands[] = {
    {TM_CMD_CHECK, "check", "[PATH...]", "check threat models (default path: .; - reads standard input)"},
    {TM_CMD_AUDIT, "audit", "PATH...", "summarise many models and repositories"},
    {TM_CMD_RULES, "rules", "", "list the rules with their effective levels and settings"},
    {TM_CMD_EXPLAIN, "explain", "RULE", "explain a rule (id or name)"},
    {TM_CMD_INIT, "init", "", "write a commented .tmlint.yaml here, listing the rules in effect (the team's too)"},
    {TM_CMD_CONVERT, "convert", "--to native FILE", "write FILE's model in the native format"},
    {TM_CMD_LSP, "lsp", "", "serve an editor findings as it types: a Language Server Protocol server on standard input and output (docs/editors.md)"},
    {TM_CMD_TEST, "test", "[PATH...]", "run rule fixtures: models annotated '# expect: RULE' / '# ok: RULE' (default: the tests/ of the team's rules directories)"},
};
#define NCMDS (sizeof commands / sizeof *commands)

static const command *find_command(tm_cmd cmd)
{
    for (size_t i = 0; i < NCMDS; i++)
        if (commands[i].cmd == cmd)
            return &commands[i];
    return NULL;
}

static void opt_left(const opt *o, char *left, size_t n)
{
    char sh[8] = "";
    if (o->shrt)
        snprintf(sh, sizeof sh, "-%c, ", o->shrt);
    snprintf(left, n, "%s--%s%s%s", sh, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

void tm_cli_help(FILE *out, tm_cmd cmd)
{
    const command *c = find_command(cmd);
    if (!c) {
        fputs("usage: tmlint COMMAND [OPTIONS] [ARGS]\n\nCommands:\n", out);
        for (size_t i = 0; i < NCMDS; i++) {
            char left[64];
            snprintf(left, sizeof left, "%s %s", commands[i].name, commands[i].args);
            fprintf(out, "  %-30s %s\n", left, commands[i].what);
        }
        fputs("\n`tmlint COMMAND --help` lists a command's options.\n"
              "Directories are searched for *.tm.yaml, *.tm.yml, *.tm.json, threat-model.y(a)ml,\n"
              "threatmodel.y(a)ml and the usual names of the other formats, and for JSON and YAML\n"
              "files whose first bytes are a model's; files named on the command line are always\n"
              "checked (unless --force-exclude).\n", out);
    } else {
        fprintf(out, "usage: tmlint %s [OPTIONS] %s\n\n%s\n\nOptions:\n", c->name, c->args, c->what);
        for (size_t i = 0; i < NOPTS; i++) {
            if (!(opts[i].cmds & (1u << cmd)))
                continue;
            char left[64];
            opt_left(&opts[i], left, sizeof left);
            fprintf(out, "  %-30s %s\n", left, opts[i].help);
        }
    }
    fputs("\nExit status: 0 no findings at or above --fail-on, 1 findings, 2 usage error,\n"
          "no model found, a file that could not be checked, or a rule that failed.\n", out);
}

/* The man page and shell completions, from the same tables as --help, so
 * they cannot drift (`tmlint _generate man|bash|zsh|fish`). */
static void roff(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
    }
}

int tm_cli_generate(FILE *out, const char *what)
{
    if (!strcmp(what, "man")) {
        fputs(".TH TMLINT 1 \"\" \"tmlint " TMLINT_VERSION "\" \"User Commands\"\n.SH NAME\ntmlint \\- check threat models"
              " for the ways threat modeling goes wrong\n.SH SYNOPSIS\n", out);
        for (size_t i = 0; i < NCMDS; i++) {
            fprintf(out, ".B tmlint %s\n[\\fIOPTIONS\\fR] ", commands[i].name);
            roff(out, commands[i].args);
            fputs("\n.br\n", out);
        }
        fputs(".SH DESCRIPTION\ntmlint reads threat models kept as YAML or JSON (its native format, Open Threat Model,"
              " OWASP Threat Dragon, AWS Threat Composer, Threagile, the OWASP Threat Model Library, CycloneDX"
              " threat-model BOMs, pytm and FlowState), and reports every finding at its file, line and column.\n"
              ".SH COMMANDS\n", out);
        for (size_t i = 0; i < NCMDS; i++) {
            fprintf(out, ".TP\n.B %s\n", commands[i].name);
            roff(out, commands[i].what);
            fputc('\n', out);
        }
        fputs(".SH OPTIONS\n", out);
        for (size_t i = 0; i < NOPTS; i++) {
            fputs(".TP\n", out);
            if (opts[i].shrt)
                fprintf(out, "\\fB\\-%c\\fR, ", opts[i].shrt);
            fputs("\\fB\\-\\-", out);
            roff(out, opts[i].name);
            fputs("\\fR", out);
            if (opts[i].arg)
                fprintf(out, " \\fI%s\\fR", opts[i].arg);
            fputc('\n', out);
            roff(out, opts[i].help);
            fputs(" (", out);
            int first = 1;
            for (size_t k = 0; k < NCMDS; k++)
                if (opts[i].cmds & (1u << commands[k].cmd)) {
                    fprintf(out, "%s%s", first ? "" : ", ", commands[k].name);
                    first = 0;
                }
            fputs(")\n", out);
        }
        fputs(".SH EXIT STATUS\n0: no finding at or above \\-\\-fail\\-on; 1: findings at or above it; 2: a usage error,"
              " no model found, a file that could not be checked, or a rule that failed.\n"
              ".SH SEE ALSO\nThe README and docs/ of the tmlint sources.\n", out);
        return 0;
    }
    if (!strcmp(what, "bash")) {
        fputs("# bash completion for tmlint (generated by tmlint _generate bash)\n_tmlint() {\n"
              "  local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]} opts\n"
              "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n    COMPREPLY=($(compgen -W \"", out);
        for (size_t i = 0; i < NCMDS; i++)
            fprintf(out, "%s%s", i ? " " : "", commands[i].name);
        fputs("\" -- \"$cur\")); return\n  fi\n  case $cmd in\n", out);
        for (size_t k = 0; k < NCMDS; k++) {
            fprintf(out, "    %s) opts=\"", commands[k].name);
            int first = 1;
            for (size_t i = 0; i < NOPTS; i++)
                if (opts[i].cmds & (1u << commands[k].cmd)) {
                    fprintf(out, "%s--%s", first ? "" : " ", opts[i].name);
                    first = 0;
                }
            fputs("\" ;;\n", out);
        }
        fputs("  esac\n  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")); "
              "else COMPREPLY=($(compgen -f -- \"$cur\")); fi\n}\ncomplete -F _tmlint tmlint\n", out);
        return 0;
    }
    if (!strcmp(what, "zsh")) {
        fputs("#compdef tmlint\n# zsh completion for tmlint (generated by tmlint _generate zsh)\n_tmlint() {\n"
              "  local -a cmds\n  cmds=(\n", out);
        for (size_t i = 0; i < NCMDS; i++)
            fprintf(out, "    '%s:%s'\n", commands[i].name, commands[i].what);
        fputs("  )\n  if (( CURRENT == 2 )); then _describe command cmds; return; fi\n  case $words[2] in\n", out);
        for (size_t k = 0; k < NCMDS; k++) {
            fprintf(out, "    %s) _arguments", commands[k].name);
            for (size_t i = 0; i < NOPTS; i++)
                if (opts[i].cmds & (1u << commands[k].cmd))
                    fprintf(out, " '--%s%s[%s]%s'", opts[i].name, opts[i].arg ? "=" : "", opts[i].name,
                            opts[i].arg ? ":value:" : "");
            fputs(" '*:file:_files' ;;\n", out);
        }
        fputs("  esac\n}\n_tmlint \"$@\"\n", out);
        return 0;
    }
    if (!strcmp(what, "fish")) {
        fputs("# fish completion for tmlint (generated by tmlint _generate fish)\n", out);
        for (size_t i = 0; i < NCMDS; i++)
            fprintf(out, "complete -c tmlint -n __fish_use_subcommand -f -a %s -d '%s'\n", commands[i].name,
                    commands[i].what);
        for (size_t i = 0; i < NOPTS; i++) {
            fputs("complete -c tmlint -n '__fish_seen_subcommand_from", out);
            for (size_t k = 0; k < NCMDS; k++)
                if (opts[i].cmds & (1u << commands[k].cmd))
                    fprintf(out, " %s", commands[k].name);
            fprintf(out, "' -l %s", opts[i].name);
            if (opts[i].shrt)
                fprintf(out, " -s %c", opts[i].shrt);
            fprintf(out, "%s -d '", opts[i].arg ? " -r" : "");
            for (const char *p = opts[i].help; *p; p++)
                fputs(*p == '\'' ? "\\'" : (char[]){*p, 0}, out);
            fputs("'\n", out);
        }
        return 0;
    }
    return -1;
}

static int num(tm_ctx *c, const char *name, const char *v, unsigned long long min, unsigned long long max,
               unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (!*v || *end || errno || v[0] == '-' || x < min || x > max)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                           "--%s takes a whole number from %llu to %llu, not '%s'", name, min, max, v);
    *out = x;
    return 0;
}

static int apply(tm_ctx *c, tm_cli *cli, const opt *o, const char *v)
{
    unsigned long long n;
    switch (o->id) {
    case O_FORMAT:
        if (!tm_out_find(v))
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                               "unknown format '%s' (use text, sarif, json, codequality, junit or html)", v);
        c->opts.format = v;
        return 0;
    case O_OUTPUT: c->opts.output = v; return 0;
    case O_FAIL_ON:
        if (tm_level_parse(v, &c->opts.fail_on) != 0)
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                               "--fail-on takes error, warning, note or none, not '%s'", v);
        return 0;
    case O_NOW: c->opts.now = v; return 0;
    case O_RULES_DIR: c->opts.rules_dir = v; return 0;
    case O_MAX_DEPTH:
        if (num(c, o->name, v, 1, 100000, &n)) return -1;
        c->opts.limits.max_depth = (uint32_t)n;
        return 0;
    case O_MAX_NODES:
        if (num(c, o->name, v, 1, 1000000000ull, &n)) return -1;
        c->opts.limits.max_nodes = n;
        return 0;
    case O_MAX_SIZE:
        if (num(c, o->name, v, 1, 1ull << 32, &n)) return -1;
        c->opts.limits.max_file_size = (size_t)n;
        return 0;
    case O_RULE_INSTR:
        if (num(c, o->name, v, 1000, 1ull << 40, &n)) return -1;
        c->opts.rule_instructions = (int64_t)n;
        c->opts.count_instructions = 1;
        return 0;
    case O_RULE_MEM:
        if (num(c, o->name, v, 1, 65536, &n)) return -1;
        c->opts.rule_memory = (size_t)n << 20;
        return 0;
    case O_MAX_FINDINGS:
        if (num(c, o->name, v, 1, 100000000, &n)) return -1;
        c->opts.max_findings = (size_t)n;
        return 0;
    case O_COLOR:
        if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never"))
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                               "--color takes auto, always or never, not '%s'", v);
        cli->color = v;
        return 0;
    case O_VERBOSE: c->opts.verbose = 1; return 0;
    case O_NO_REPO: c->opts.no_repo = 1; return 0;
    case O_STAGED: c->opts.staged = 1; return 0;
    case O_CHANGED_SINCE:
        if (!*v || v[0] == '-')
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "--changed-since takes a commit, branch or tag, not '%s'", v);
        c->opts.changed_since = v;
        return 0;
    case O_TEST_RESULTS: c->opts.test_results[c->opts.ntest_results++] = (char *)v; return 0;
    case O_TIMINGS: c->opts.timings = 1; return 0;
    case O_COVERAGE: c->opts.coverage = 1; return 0;
    case O_CONFIG: c->opts.config = v; return 0;
    case O_INPUT_FORMAT: c->opts.input_format = v; return 0;
    case O_BASELINE: c->opts.baseline = v; return 0;
    case O_NEW_ONLY: c->opts.new_only = 1; return 0;
    case O_CATEGORY: c->opts.category = v; return 0;
    case O_OMIT_SUPPRESSED: c->opts.omit_suppressed = 1; return 0;
    case O_JOBS:
        if (num(c, o->name, v, 1, 256, &n)) return -1;
        c->opts.jobs = (int)n;
        return 0;
    case O_TO:
        if (strcmp(v, "native"))
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "convert writes only --to native, not '%s'", v);
        cli->to = v;
        return 0;
    case O_ENABLE: c->opts.enable[c->opts.nenable++] = (char *)v; return 0;
    case O_COMPARE: c->opts.compare = v; return 0;
    case O_SHARD: {
        unsigned long si, sn = 0;
        char *e1, *e2 = NULL;
        errno = 0;
        si = strtoul(v, &e1, 10);
        if (*e1 == '/' && e1[1] >= '0' && e1[1] <= '9')
            sn = strtoul(e1 + 1, &e2, 10);
        if (errno || e1 == v || !(v[0] >= '0' && v[0] <= '9') || !e2 || *e2 || sn < 1 || sn > 10000 || si < 1 || si > sn)
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                               "--shard takes I/N, shard I (1 to N) of N (at most 10000), not '%s'", v);
        c->opts.shard = (uint32_t)si;
        c->opts.shards = (uint32_t)sn;
        return 0;
    }
    case O_SHARD_LIST: c->opts.shard_list = v; return 0;
    case O_MERGE: c->opts.merge = 1; return 0;
    case O_HISTORY: c->opts.history = v; return 0;
    case O_EXCLUDE: c->opts.exclude[c->opts.nexclude++] = (char *)v; return 0;
    case O_DISABLE: c->opts.disable[c->opts.ndisable++] = (char *)v; return 0;
    case O_ONLY: c->opts.only[c->opts.nonly++] = (char *)v; return 0;
    case O_SELECT: c->opts.select[c->opts.nselect++] = (char *)v; return 0;
    case O_IGNORE: c->opts.ignore[c->opts.nignore++] = (char *)v; return 0;
    case O_STATISTICS: c->opts.statistics = 1; return 0;
    case O_COMMIT_MSG: c->opts.commit_msg = v; return 0;
    case O_RULE_ID: c->opts.new_rule = v; return 0;
    case O_FIX: c->opts.fix = 1; return 0;
    case O_DIFF: c->opts.fix_diff = 1; return 0;
    case O_RULE_NAME: c->opts.new_rule_name = v; return 0;
    case O_HELP: cli->help = 1; return 0;
    case O_VERSION: cli->version = 1; return 0;
    case O_QUIET: c->opts.quiet = 1; return 0;
    case O_RULE_TIME:
        if (num(c, o->name, v, 1, 3600, &n)) return -1;
        c->opts.rule_time = (int)n;
        return 0;
    case O_MAX_DOCS:
        if (num(c, o->name, v, 1, 10000000, &n)) return -1;
        c->opts.limits.max_documents = (uint32_t)n;
        return 0;
    case O_FOLLOW: c->opts.follow_symlinks = 1; return 0;
    case O_STDIN_FILENAME: c->opts.stdin_filename = v; return 0;
    case O_ALLOW_EMPTY: c->opts.allow_empty = 1; return 0;
    case O_FORCE_EXCLUDE: c->opts.force_exclude = 1; return 0;
    }
    return 0;
}

static int unknown_option(tm_ctx *c, const char *a, const char *name)
{
    const char *names[NOPTS];
    for (size_t k = 0; k < NOPTS; k++)
        names[k] = opts[k].name;
    const char *s = name ? tm_suggest(name, names, NOPTS) : NULL;
    if (s)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                           "unknown option '%s'; did you mean --%s? (see tmlint --help)", a, s);
    return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "unknown option '%s' (see tmlint --help)", a);
}

int tm_cli_parse(tm_ctx *c, tm_cli *cli, int argc, char **argv)
{
    memset(cli, 0, sizeof *cli);
    cli->cmd = TM_CMD_NONE;
    cli->color = "auto";
    cli->args = calloc((size_t)argc + 1, sizeof *cli->args);
    c->opts.enable = calloc((size_t)argc + 1, sizeof *c->opts.enable);
    c->opts.disable = calloc((size_t)argc + 1, sizeof *c->opts.disable);
    c->opts.test_results = calloc((size_t)argc + 1, sizeof *c->opts.test_results);
    c->opts.only = calloc((size_t)argc + 1, sizeof *c->opts.only);
    c->opts.exclude = calloc((size_t)argc + 1, sizeof *c->opts.exclude);
    c->opts.select = calloc((size_t)argc + 1, sizeof *c->opts.select);
    c->opts.ignore = calloc((size_t)argc + 1, sizeof *c->opts.ignore);
    if (!cli->args || !c->opts.enable || !c->opts.disable || !c->opts.test_results || !c->opts.only || !c->opts.exclude ||
        !c->opts.select || !c->opts.ignore)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
    int only_args = 0;
    unsigned char used[NOPTS] = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_args && !strcmp(a, "--")) {
            only_args = 1;   /* everything after is a path, even "--output=x" */
            continue;
        }
        const opt *o = NULL;
        const char *v = NULL;
        int inline_value = 0;
        if (!only_args && a[0] == '-' && a[1] == '-' && a[2]) {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t nl = eq ? (size_t)(eq - name) : strlen(name);
            for (size_t k = 0; k < NOPTS; k++)
                if (strlen(opts[k].name) == nl && !strncmp(opts[k].name, name, nl))
                    o = &opts[k];
            if (!o) {
                char buf[64];
                snprintf(buf, sizeof buf, "%.*s", (int)(nl < 63 ? nl : 63), name);
                return unknown_option(c, a, buf);
            }
            if (eq) {
                v = eq + 1;
                inline_value = 1;
            }
        } else if (!only_args && a[0] == '-' && a[1] && a[1] != '-') {
            for (size_t k = 0; k < NOPTS; k++)
                if (opts[k].shrt == a[1])
                    o = &opts[k];
            if (!o)
                return unknown_option(c, a, NULL);
            if (a[2]) {   /* -j4, -ofile */
                if (!o->arg)
                    return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "option '-%c' takes no value", a[1]);
                v = a + 2;
                inline_value = 1;
            }
        }
        if (o) {
            if (o->arg && !inline_value) {
                if (i + 1 >= argc)
                    return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "option '--%s' needs a value", o->name);
                v = argv[++i];
            } else if (!o->arg && inline_value) {
                return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "option '--%s' takes no value", o->name);
            }
            used[o - opts] = 1;
            if (apply(c, cli, o, v) != 0)
                return -1;
            continue;
        }
        if (cli->cmd == TM_CMD_NONE) {
            if (!strcmp(a, "help")) {
                cli->help = 1;
                continue;
            }
            if (!strcmp(a, "version")) {
                cli->version = 1;
                continue;
            }
            if (!strcmp(a, "_generate")) {   /* man page and completions, for the build */
                cli->cmd = TM_CMD_GENERATE;
                continue;
            }
            const char *names[NCMDS];
            for (size_t k = 0; k < NCMDS; k++) {
                names[k] = commands[k].name;
                if (!strcmp(a, commands[k].name))
                    cli->cmd = commands[k].cmd;
            }
            if (cli->cmd == TM_CMD_NONE) {
                const char *s = tm_suggest(a, names, NCMDS);
                return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                                   "unknown command '%s'%s%s%s (use check, audit, rules, explain, init, convert, test or lsp)", a,
                                   s ? "; did you mean " : "", s ? s : "", s ? "?" : "");
            }
            continue;
        }
        cli->args[cli->nargs++] = argv[i];
    }
    if (cli->help || cli->version || cli->cmd == TM_CMD_GENERATE)
        return 0;
    if (cli->cmd == TM_CMD_NONE) {
        cli->help = 1;
        cli->bare = 1;   /* bare `tmlint` shows how to use it */
        return 0;
    }
    const command *cmd = find_command(cli->cmd);
    for (size_t k = 0; k < NOPTS; k++)
        if (used[k] && !(opts[k].cmds & (1u << cli->cmd))) {
            const char *owner = NULL;
            for (size_t j = 0; j < NCMDS && !owner; j++)
                if (opts[k].cmds & (1u << commands[j].cmd))
                    owner = commands[j].name;
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                               "--%s is not an option of tmlint %s%s%s (see tmlint %s --help)", opts[k].name, cmd->name,
                               owner ? "; it belongs to tmlint " : "", owner ? owner : "", cmd->name);
        }
    if (cli->cmd == TM_CMD_TEST && strcmp(c->opts.format, "text") && strcmp(c->opts.format, "junit"))
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "test writes --format text or junit, not '%s'",
                           c->opts.format);
    if (cli->cmd == TM_CMD_RULES && strcmp(c->opts.format, "text") && strcmp(c->opts.format, "json"))
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "rules writes --format text or json, not '%s'",
                           c->opts.format);
    if (c->opts.stdin_filename) {
        int dash = 0;
        for (size_t k = 0; k < cli->nargs; k++)
            dash += !strcmp(cli->args[k], "-");
        if (!dash)
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "--stdin-filename goes with the path - (standard input)");
    }
    if (c->opts.fix_diff && !c->opts.fix)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "--diff goes with --fix");
    if (c->opts.new_rule_name && !c->opts.new_rule)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "--name goes with --rule ID");
    if (c->opts.new_only && !c->opts.baseline)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "--new-only needs --baseline");
    if (cli->cmd == TM_CMD_CONVERT && cli->nargs != 1)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "convert takes one file");
    if (cli->cmd == TM_CMD_EXPLAIN && cli->nargs != 1)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "explain takes one rule id or name");
    if (cli->cmd == TM_CMD_LSP && cli->nargs)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "lsp takes no paths: the editor sends the documents");
    if ((cli->cmd == TM_CMD_RULES || cli->cmd == TM_CMD_INIT) && cli->nargs)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "%s takes no paths",
                           cli->cmd == TM_CMD_INIT ? "init" : "rules");
    return 0;
}
