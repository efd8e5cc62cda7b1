#include "cli.h"
#include "out.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    O_FORMAT, O_OUTPUT, O_FAIL_ON, O_NOW, O_RULES_DIR, O_MAX_DEPTH, O_MAX_NODES, O_MAX_SIZE,
    O_RULE_INSTR, O_RULE_MEM, O_MAX_FINDINGS, O_COLOR, O_VERBOSE, O_HELP, O_VERSION,
    O_CONFIG, O_ENABLE, O_DISABLE, O_INPUT_FORMAT, O_TO, O_BASELINE, O_NEW_ONLY, O_CATEGORY, O_OMIT_SUPPRESSED,
    O_JOBS
} opt_id;

typedef struct opt {
    opt_id id;
    const char *name;
    const char *arg;    /* NULL: a flag */
    const char *help;
} opt;

static const opt opts[] = {
    {O_FORMAT, "format", "FMT", "output format: text (default), sarif, json, codequality, junit, html"},
    {O_JOBS, "jobs", "N", "audit: check models in N worker processes (default: one per core; also -j N)"},
    {O_OUTPUT, "output", "FILE", "write output to FILE (whole or not at all) instead of stdout"},
    {O_FAIL_ON, "fail-on", "LEVEL", "exit 1 on findings at or above LEVEL: error (default), warning, note, none"},
    {O_INPUT_FORMAT, "input-format", "NAME", "read every file as this format: native, otm, threagile, threat-composer, threat-dragon, owasp-tml, cyclonedx, pytm, flowstate (default: detect)"},
    {O_TO, "to", "FORMAT", "convert: the format to write (native)"},
    {O_BASELINE, "baseline", "SARIF", "mark findings new, unchanged, updated or absent against an earlier SARIF run"},
    {O_NEW_ONLY, "new-only", NULL, "with --baseline: report and fail only on new findings"},
    {O_CATEGORY, "category", "ID", "SARIF runs[0].automationDetails.id (GitHub code scanning category)"},
    {O_OMIT_SUPPRESSED, "omit-suppressed", NULL, "leave findings suppressed in the file out of SARIF and JSON (GitHub shows them as open)"},
    {O_CONFIG, "config", "FILE", "use this configuration for every file (default: the nearest .tmlint.yaml)"},
    {O_ENABLE, "enable", "RULE", "switch a rule on, whatever the configuration says (repeatable)"},
    {O_DISABLE, "disable", "RULE", "switch a rule off, whatever the configuration says (repeatable)"},
    {O_NOW, "now", "DATE", "today's date as YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else the clock)"},
    {O_RULES_DIR, "rules-dir", "DIR", "load rules and format adapters from DIR"},
    {O_MAX_DEPTH, "max-depth", "N", "refuse nesting deeper than N (default 256)"},
    {O_MAX_NODES, "max-nodes", "N", "refuse documents of more than N nodes, aliases expanded (default 10000000)"},
    {O_MAX_SIZE, "max-file-size", "BYTES", "refuse files larger than BYTES (default 67108864)"},
    {O_RULE_INSTR, "max-rule-instructions", "N", "Lua instructions a rule may run per file, plus 500 per node (default 200000000)"},
    {O_RULE_MEM, "max-rule-memory", "MIB", "memory a rule may add while it runs (default 256)"},
    {O_MAX_FINDINGS, "max-findings", "N", "findings kept per rule and file (default 100000)"},
    {O_COLOR, "color", "WHEN", "colour text output: auto (default), always, never"},
    {O_VERBOSE, "verbose", NULL, "show what rules print"},
    {O_HELP, "help", NULL, "show this help"},
    {O_VERSION, "version", NULL, "show the version"},
};

void tm_cli_help(FILE *out)
{
    fputs("usage: tmlint check [OPTIONS] [PATH...]   check threat models (default path: .)\n"
          "       tmlint audit [OPTIONS] PATH...      summarise many models and repositories\n"
          "       tmlint rules [OPTIONS]             list the rules\n"
          "       tmlint explain RULE                 explain a rule (id or name)\n"
          "       tmlint init                         write a commented .tmlint.yaml here\n"
          "       tmlint convert --to native FILE     write FILE's model in the native format\n"
          "\n"
          "Directories are searched for *.tm.yaml, *.tm.yml, *.tm.json, threat-model.y(a)ml\n"
          "and threatmodel.y(a)ml; files named on the command line are always checked.\n"
          "\nOptions:\n", out);
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) {
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", opts[i].name, opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
        fprintf(out, "  %-30s %s\n", left, opts[i].help);
    }
    fputs("\nExit status: 0 no findings at or above --fail-on, 1 findings, 2 usage error,\n"
          "a file that could not be checked, or a rule that failed.\n", out);
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
    case O_DISABLE: c->opts.disable[c->opts.ndisable++] = (char *)v; return 0;
    case O_HELP: cli->cmd = TM_CMD_HELP; return 0;
    case O_VERSION: cli->cmd = TM_CMD_VERSION; return 0;
    }
    return 0;
}

int tm_cli_parse(tm_ctx *c, tm_cli *cli, int argc, char **argv)
{
    memset(cli, 0, sizeof *cli);
    cli->color = "auto";
    cli->args = calloc((size_t)argc + 1, sizeof *cli->args);
    c->opts.enable = calloc((size_t)argc + 1, sizeof *c->opts.enable);
    c->opts.disable = calloc((size_t)argc + 1, sizeof *c->opts.disable);
    if (!cli->args || !c->opts.enable || !c->opts.disable)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "out of memory");
    int have_cmd = 0, only_args = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_args && !strcmp(a, "--")) {
            only_args = 1;
            continue;
        }
        if (!only_args && a[0] == '-' && a[1] == '-' && a[2]) {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t nl = eq ? (size_t)(eq - name) : strlen(name);
            const opt *o = NULL;
            for (size_t k = 0; k < sizeof opts / sizeof *opts; k++)
                if (strlen(opts[k].name) == nl && !strncmp(opts[k].name, name, nl))
                    o = &opts[k];
            if (!o)
                return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                                   "unknown option '%s' (see tmlint --help)", a);
            const char *v = NULL;
            if (o->arg) {
                if (eq)
                    v = eq + 1;
                else if (i + 1 < argc)
                    v = argv[++i];
                else
                    return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                                       "option '--%s' needs a value", o->name);
            } else if (eq) {
                return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                                   "option '--%s' takes no value", o->name);
            }
            if (apply(c, cli, o, v) != 0)
                return -1;
            continue;
        }
        if (!only_args && !strcmp(a, "-h")) {
            cli->cmd = TM_CMD_HELP;
            continue;
        }
        if (!only_args && !strncmp(a, "-j", 2)) {   /* -j N or -jN, as make has it */
            const char *v = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v)
                return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "option '-j' needs a value");
            for (size_t k = 0; k < sizeof opts / sizeof *opts; k++)
                if (opts[k].id == O_JOBS && apply(c, cli, &opts[k], v) != 0)
                    return -1;
            continue;
        }
        if (!only_args && a[0] == '-' && a[1]) {
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                               "unknown option '%s' (see tmlint --help)", a);
        }
        if (!have_cmd && cli->cmd != TM_CMD_HELP && cli->cmd != TM_CMD_VERSION) {
            have_cmd = 1;
            if (!strcmp(a, "check")) cli->cmd = TM_CMD_CHECK;
            else if (!strcmp(a, "rules")) cli->cmd = TM_CMD_RULES;
            else if (!strcmp(a, "explain")) cli->cmd = TM_CMD_EXPLAIN;
            else if (!strcmp(a, "init")) cli->cmd = TM_CMD_INIT;
            else if (!strcmp(a, "convert")) cli->cmd = TM_CMD_CONVERT;
            else if (!strcmp(a, "audit")) cli->cmd = TM_CMD_AUDIT;
            else if (!strcmp(a, "help")) cli->cmd = TM_CMD_HELP;
            else if (!strcmp(a, "version")) cli->cmd = TM_CMD_VERSION;
            else
                return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                                   "unknown command '%s' (use check, audit, rules, explain, init or convert)", a);
            continue;
        }
        cli->args[cli->nargs++] = argv[i];
    }
    if (!have_cmd && cli->cmd == TM_CMD_CHECK)
        cli->cmd = TM_CMD_HELP, cli->bare = 1;   /* bare `tmlint` shows how to use it */
    if (c->opts.new_only && !c->opts.baseline)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "--new-only needs --baseline");
    if (cli->cmd == TM_CMD_CONVERT && cli->nargs != 1)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "convert takes one file");
    if (cli->cmd == TM_CMD_EXPLAIN && cli->nargs != 1)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "explain takes one rule id or name");
    if ((cli->cmd == TM_CMD_RULES || cli->cmd == TM_CMD_INIT) && cli->nargs)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "%s takes no paths",
                           cli->cmd == TM_CMD_INIT ? "init" : "rules");
    return 0;
}
