/* main: flags -> check -> writer -> exit status. Nothing else lives here. */
#include "tmlint.h"
#include "buf.h"
#include "cli.h"
#include "ctx.h"
#include "out.h"
#include "rules.h"
#include "run.h"
#include "walk.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_diags(const tm_ctx *c)
{
    for (size_t i = 0; i < c->diags.n; i++)
        tm_diag_print(&c->diags.v[i], stderr);
}

static void summary(const tm_ctx *c)
{
    size_t n[4] = {0}, suppressed = 0;
    for (size_t i = 0; i < c->findings.n; i++) {
        if (c->findings.v[i].justification)
            suppressed++;
        else
            n[c->findings.v[i].level]++;
    }
    size_t failed = 0, rule_failures = 0;
    for (size_t i = 0; i < c->nfiles; i++) {
        failed += c->files[i].failed != 0;
        rule_failures += (size_t)c->files[i].rule_failed;
    }
    if (c->findings.n == suppressed && !failed && !rule_failures)
        return;   /* quiet when clean, as a pre-commit hook should be */
    fprintf(stderr, "tmlint: %zu error%s, %zu warning%s, %zu note%s in %zu file%s",
            n[TM_LEVEL_ERROR], n[TM_LEVEL_ERROR] == 1 ? "" : "s",
            n[TM_LEVEL_WARNING], n[TM_LEVEL_WARNING] == 1 ? "" : "s",
            n[TM_LEVEL_NOTE], n[TM_LEVEL_NOTE] == 1 ? "" : "s",
            c->nfiles, c->nfiles == 1 ? "" : "s");
    if (suppressed)
        fprintf(stderr, " (%zu suppressed in the file)", suppressed);
    if (failed)
        fprintf(stderr, "; %zu file%s could not be checked", failed, failed == 1 ? "" : "s");
    if (rule_failures)
        fprintf(stderr, "; %zu rule run%s failed", rule_failures, rule_failures == 1 ? "" : "s");
    fputc('\n', stderr);
}

static int cmd_rules(tm_ctx *c)
{
    printf("%-7s %-30s %-8s %s\n", "ID", "NAME", "LEVEL", "SUMMARY");
    for (size_t i = 0; i < c->nrules; i++) {
        const tm_rule *r = &c->rules[i];
        printf("%-7s %-30s %-8s %s\n", r->id, r->name,
               r->effective == TM_LEVEL_NONE ? "off" : tm_level_name(r->effective), r->summary);
    }
    return TMLINT_EXIT_CLEAN;
}

static int cmd_explain(tm_ctx *c, const char *what)
{
    int i = tm_rules_find(c, what);
    if (i < 0) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                    "no rule '%s' (tmlint rules lists them)", what);
        return TMLINT_EXIT_ERROR;
    }
    const tm_rule *r = &c->rules[i];
    printf("%s %s (%s)\n\n%s\n\n%s\n", r->id, r->name, tm_level_name(r->level), r->summary, r->help);
    if (r->nmeta) {
        printf("\nMeta threats:");
        for (size_t m = 0; m < r->nmeta; m++)
            printf(" %s", r->meta[m]);
        printf("\n");
    }
    return TMLINT_EXIT_CLEAN;
}

static int cmd_check(tm_ctx *c, tm_cli *cli)
{
    char *dot[] = {(char *)".", NULL};
    char **paths = cli->nargs ? cli->args : dot;
    size_t n = cli->nargs ? cli->nargs : 1;
    tm_walk_set_root(c);
    tm_walk(c, paths, n);
    tm_run_check(c);
    const tm_writer *w = tm_out_find(c->opts.format);
    tm_buf out;
    tm_buf_init(&out);
    w->write(c, &out);
    int saved = tm_out_save(c->opts.output, out.p ? out.p : "", out.len, &c->diags);
    tm_buf_free(&out);
    print_diags(c);
    summary(c);
    if (saved != 0 || tm_diags_count(&c->diags, TM_DIAG_ERROR))
        return TMLINT_EXIT_ERROR;
    if (c->opts.fail_on != TM_LEVEL_NONE)
        for (size_t i = 0; i < c->findings.n; i++)
            if (c->findings.v[i].level >= c->opts.fail_on && !c->findings.v[i].justification)
                return TMLINT_EXIT_FINDINGS;
    return TMLINT_EXIT_CLEAN;
}

int tmlint_main(int argc, char **argv)
{
    tm_ctx c;
    tm_ctx_init(&c);
    tm_cli cli;
    int rc;
    if (tm_cli_parse(&c, &cli, argc, argv) != 0) {
        print_diags(&c);
        rc = TMLINT_EXIT_ERROR;
        goto done;
    }
    if (cli.cmd == TM_CMD_HELP) {
        tm_cli_help(cli.bare ? stderr : stdout);
        rc = cli.bare ? TMLINT_EXIT_ERROR : TMLINT_EXIT_CLEAN;
        goto done;
    }
    if (cli.cmd == TM_CMD_VERSION) {
        printf("tmlint %s\n", TMLINT_VERSION);
        rc = TMLINT_EXIT_CLEAN;
        goto done;
    }
    const char *nc = getenv("NO_COLOR");
    c.opts.color = !strcmp(cli.color, "always") ||
                   (!strcmp(cli.color, "auto") && !c.opts.output && isatty(1) && !(nc && *nc));
    if (tm_ctx_set_now(&c) != 0 || tm_run_setup(&c) != 0) {
        print_diags(&c);
        rc = TMLINT_EXIT_ERROR;
        goto done;
    }
    if (cli.cmd == TM_CMD_RULES)
        rc = cmd_rules(&c);
    else if (cli.cmd == TM_CMD_EXPLAIN)
        rc = cmd_explain(&c, cli.args[0]);
    else {
        rc = cmd_check(&c, &cli);
        goto done_noprint;
    }
    print_diags(&c);
done_noprint:
done:
    free(cli.args);
    tm_ctx_free(&c);
    return rc;
}

int main(int argc, char **argv)
{
    return tmlint_main(argc, argv);
}
