/* The commands: flags -> check -> writer -> exit status (src/app/main.c and
 * tmlint_main call tm_cmd_run). */
#include "tmlint.h"
#include "cmd.h"
#include "lsp.h"
#include "buf.h"
#include "cli.h"
#include "audit.h"
#include "split.h"
#include "audit_compare.h"
#include "baseline.h"
#include "config.h"
#include "coverage.h"
#include "ctx.h"
#include "json.h"
#include "out.h"
#include "rules.h"
#include "run.h"
#include "schema.h"
#include "suggest.h"
#include "trailer.h"
#include "walk.h"
#include "unmodeled.h"
#include "esc.h"
#include "fixture.h"
#include "audit_history.h"
#include "scaffold.h"
#include "fix.h"
#include "audit_shard.h"
#include <limits.h>
#include <lauxlib.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static void print_diags(const tm_ctx *c)
{
    for (size_t i = 0; i < c->diags.n; i++)
        tm_diag_print(&c->diags.v[i], stderr);
}

/* "; 7 of 39 rules not applicable to threat-composer": per format, the
 * most rules a file of it could not have checked (--verbose names them) */
static void not_applicable(const tm_ctx *c)
{
    int first = 1;
    for (size_t i = 0; i < c->nfiles; i++) {
        const tm_file *f = &c->files[i];
        if (!f->nna)
            continue;
        size_t most = 0, seen = 0;
        for (size_t j = 0; j < c->nfiles; j++) {
            if (!c->files[j].nna || strcmp(c->files[j].na_format, f->na_format))
                continue;
            if (j < i) {
                seen = 1;
                break;
            }
            if (c->files[j].nna > most)
                most = c->files[j].nna;
        }
        if (seen)
            continue;
        /* a team adapter names the format: escaped like any text from a repository */
        fprintf(stderr, "%s%zu of %zu rules not applicable to ", first ? "; " : ", ", most, c->nrules);
        tm_esc_fputs(f->na_format, stderr);
        first = 0;
    }
}

static void print_na(const tm_ctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const tm_file *f = &c->files[i];
        if (!f->nna)
            continue;
        tm_buf b;
        tm_buf_init(&b);
        for (size_t j = 0; j < f->nna; j++)
            tm_buf_printf(&b, "%s%s %s", j ? ", " : "", c->rules[f->na[j]].id, c->rules[f->na[j]].name);
        fputs("tmlint: ", stderr);
        tm_esc_fputs(f->path, stderr);
        fputs(": not applicable to the ", stderr);
        tm_esc_fputs(f->na_format, stderr);
        fprintf(stderr, " format, which has no field for them: %s\n", b.p);
        tm_buf_free(&b);
    }
}

/* --only names rules the user wants run: one that could not run on a
 * file (its format has no field for it) checked nothing there, and a
 * silent exit 0 would read as "clean". Said once per rule and format. */
static void only_na(const tm_ctx *c)
{
    for (size_t r = 0; r < c->nrules; r++) {
        int named = 0;
        for (size_t i = 0; i < c->opts.nonly && !named; i++)
            named = tm_rules_named(c, r, c->opts.only[i]);
        if (!named)
            continue;
        for (size_t i = 0; i < c->nfiles; i++) {
            const tm_file *f = &c->files[i];
            int here = 0, seen = 0;
            for (size_t j = 0; j < f->nna && !here; j++)
                here = f->na[j] == r;
            if (!here)
                continue;
            size_t n = 0;
            for (size_t k = 0; k < c->nfiles && !seen; k++) {
                const tm_file *g = &c->files[k];
                int na = 0;
                for (size_t j = 0; j < g->nna && !na; j++)
                    na = g->na[j] == r;
                if (!na || strcmp(g->na_format, f->na_format))
                    continue;
                if (k < i)
                    seen = 1;
                n++;
            }
            if (seen)
                continue;
            fprintf(stderr, "tmlint: note: %s %s checked nothing in %zu file%s: the ", c->rules[r].id, c->rules[r].name,
                    n, n == 1 ? "" : "s");
            tm_esc_fputs(f->na_format, stderr);   /* a team adapter's name: escaped */
            fputs(" format has no field for it\n", stderr);
        }
    }
    /* a team rule is in effect only under the configurations naming its
     * directory: a file under another has no rule of that name at all */
    for (size_t i = 0; i < c->opts.nonly; i++) {
        size_t n = 0;
        for (size_t k = 0; k < c->nfiles; k++) {
            const tm_file *f = &c->files[k];
            int in = 0;
            for (size_t r = 0; r < c->nrules && !in; r++)
                in = tm_rules_named(c, r, c->opts.only[i]) && tm_rule_under(&c->rules[r], f->cfg);
            n += !f->part_of && !f->failed && !in;
        }
        if (!n)
            continue;
        fputs("tmlint: note: ", stderr);
        tm_esc_fputs(c->opts.only[i], stderr);
        fprintf(stderr, " checked nothing in %zu file%s: it is a team rule, in effect only under the configurations"
                        " that name its directory\n", n, n == 1 ? "" : "s");
    }
}

static void summary(const tm_ctx *c)
{
    size_t n[4] = {0}, suppressed = 0, base[5] = {0};
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *f = &c->findings.v[i];
        base[f->baseline]++;
        if (f->baseline == TM_BASE_ABSENT)
            continue;
        if (f->justification)
            suppressed++;
        else
            n[f->level]++;
    }
    size_t failed = 0, rule_failures = 0, nfiles = 0;
    for (size_t i = 0; i < c->nfiles; i++) {
        nfiles += !c->files[i].baseline_only && !c->files[i].part_of;
        failed += c->files[i].failed != 0;
        rule_failures += (size_t)c->files[i].rule_failed;
    }
    if (c->findings.n == suppressed + base[TM_BASE_ABSENT] && !failed && !rule_failures)
        return;   /* quiet when clean, as a pre-commit hook should be */
    fprintf(stderr, "tmlint: %zu error%s, %zu warning%s, %zu note%s in %zu file%s",
            n[TM_LEVEL_ERROR], n[TM_LEVEL_ERROR] == 1 ? "" : "s",
            n[TM_LEVEL_WARNING], n[TM_LEVEL_WARNING] == 1 ? "" : "s",
            n[TM_LEVEL_NOTE], n[TM_LEVEL_NOTE] == 1 ? "" : "s",
            nfiles, nfiles == 1 ? "" : "s");
    if (suppressed)
        fprintf(stderr, " (%zu suppressed in the file)", suppressed);
    if (c->opts.baseline)
        fprintf(stderr, "; against the baseline: %zu new, %zu unchanged, %zu updated, %zu gone",
                base[TM_BASE_NEW], base[TM_BASE_UNCHANGED], base[TM_BASE_UPDATED], base[TM_BASE_ABSENT]);
    if (failed)
        fprintf(stderr, "; %zu file%s could not be checked", failed, failed == 1 ? "" : "s");
    if (rule_failures)
        fprintf(stderr, "; %zu rule run%s failed", rule_failures, rule_failures == 1 ? "" : "s");
    not_applicable(c);
    if (c->repo_why)
        fprintf(stderr, "; repository rules quiet: %s", c->repo_why);
    fputc('\n', stderr);
}

/* "no rule 'TM31'; did you mean TM310?" over ids and names */
static void unknown_rule(tm_ctx *c, const char *what)
{
    const char **names = tm_xmalloc((2 * c->nrules + 1) * sizeof *names);
    for (size_t i = 0; i < c->nrules; i++) {
        names[2 * i] = c->rules[i].id;
        names[2 * i + 1] = c->rules[i].name;
    }
    const char *s = tm_suggest(what, names, 2 * c->nrules);
    tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "no rule '%s'%s%s%s (tmlint rules lists them)", what,
                s ? "; did you mean " : "", s ? s : "", s ? "?" : "");
    free(names);
}

/* --enable, --disable and --only must each name a rule, built in or from
 * the team rules the configurations load (so checked after those). */
static int named_rules_ok(tm_ctx *c)
{
    for (size_t i = 0; i < c->opts.nenable + c->opts.ndisable + c->opts.nonly; i++) {
        const char *r = i < c->opts.nenable ? c->opts.enable[i]
                        : i < c->opts.nenable + c->opts.ndisable ? c->opts.disable[i - c->opts.nenable]
                        : c->opts.only[i - c->opts.nenable - c->opts.ndisable];
        if (tm_rules_find(c, r) < 0) {
            unknown_rule(c, r);
            return -1;
        }
    }
    /* a prefix that picks no rule is a typo, not an empty selection */
    for (size_t i = 0; i < c->opts.nselect + c->opts.nignore; i++) {
        const char *p = i < c->opts.nselect ? c->opts.select[i] : c->opts.ignore[i - c->opts.nselect];
        int any = 0;
        for (size_t r = 0; r < c->nrules && !any; r++)
            any = !strncmp(c->rules[r].id, p, strlen(p));
        if (!any || !*p)
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                               "no rule id starts with '%s' (tmlint rules lists them)", p);
    }
    return 0;
}

/* --commit-msg FILE: its trailer 'Threat-Model-Unchanged: REASON'
 * acknowledges the commit's code change without a model change when
 * REASON has enough words (as an acceptance needs); a shorter one is
 * refused, so that 'n/a' does not pass. */
static int commit_trailer(tm_ctx *c)
{
    tm_buf msg;
    int rr = tm_read_file(c->opts.commit_msg, &msg, (size_t)1 << 20);
    if (rr != 0)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, c->opts.commit_msg, 0, 0, NULL, "cannot read the commit message: %s",
                           tm_read_error(rr));
    unsigned line = 0;
    int t = tm_trailer_find(msg.p, msg.len, &line);
    int rc = 0;
    if (t == 1) {
        c->opts.change_acknowledged = 1;
        tm_diag_add(&c->diags, TM_DIAG_NOTE, c->opts.commit_msg, line, 1, NULL,
                    "the commit says why the model stays as it is (Threat-Model-Unchanged): TM342 is acknowledged");
    } else if (t == 0) {
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, c->opts.commit_msg, line, 1, NULL,
                         "Threat-Model-Unchanged needs a reason of at least %d words: why the change cannot matter"
                         " to the threat model",
                         TM_TRAILER_MIN_WORDS);
    }
    tm_buf_free(&msg);
    return rc;
}

/* Loads the configuration that governs the current directory (or
 * --config), the team rules it names, and checks it. */
static int setup_config_here(tm_ctx *c, tm_cfg **cfg)
{
    int bad = 0;
    *cfg = tm_cfg_for(c, ".", &bad);
    if (*cfg)
        (*cfg)->used = 1;
    if (bad || c->cfg_failed || tm_cfg_load_rule_dirs(c) != 0 || named_rules_ok(c) != 0 || tm_cfg_resolve(c) != 0)
        return -1;
    return 0;
}

/* The string keys of the settings table at t (64 at most), in key order;
 * each stays alive in the table. */
static size_t setting_keys(lua_State *L, int t, const char **keys)
{
    size_t n = 0;
    lua_pushnil(L);
    while (n < 64 && lua_next(L, t)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING)
            keys[n++] = lua_tostring(L, -1);
    }
    if (n == 64)
        lua_pop(L, 1);   /* stopped before the end: the last key is still on the stack */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *k = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = k;
        }
    return n;
}

/* "k=v, k=v" of a rule's effective settings, in key order. */
static void settings_text(tm_ctx *c, size_t r, const int *refs, size_t nrefs, tm_buf *out)
{
    lua_State *L = c->rt->L;
    tm_run_push_settings(c, r, refs, nrefs);
    int t = lua_gettop(L);
    const char *keys[64];
    size_t n = setting_keys(L, t, keys);
    for (size_t i = 0; i < n; i++) {
        lua_getfield(L, t, keys[i]);
        if (lua_istable(L, -1)) {
            tm_buf_adds(out, i ? ", " : "");
            tm_esc_text(out, keys[i], 1);
            tm_buf_adds(out, "=[");
            lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
            for (lua_Integer k = 1; k <= len; k++) {
                lua_rawgeti(L, -1, k);
                if (k > 1)
                    tm_buf_addc(out, ' ');
                tm_esc_text(out, luaL_tolstring(L, -1, NULL), 1);   /* a repository's text: escaped */
                lua_pop(L, 2);
            }
            tm_buf_addc(out, ']');
        } else {
            tm_buf_adds(out, i ? ", " : "");
            tm_esc_text(out, keys[i], 1);
            tm_buf_addc(out, '=');
            tm_esc_text(out, luaL_tolstring(L, -1, NULL), 1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_settop(L, t - 1);
}

/* A Lua scalar, or a list of them, as JSON. */
static void lua_json(lua_State *L, int idx, tm_buf *b)
{
    switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN: tm_buf_adds(b, lua_toboolean(L, idx) ? "true" : "false"); break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            tm_buf_printf(b, "%lld", (long long)lua_tointeger(L, idx));
        else
            tm_buf_printf(b, "%.17g", (double)lua_tonumber(L, idx));
        break;
    case LUA_TSTRING: tm_json_strz(b, lua_tostring(L, idx)); break;
    case LUA_TTABLE: {
        int t = lua_absindex(L, idx);
        lua_Integer n = (lua_Integer)lua_rawlen(L, t);
        tm_buf_addc(b, '[');
        for (lua_Integer k = 1; k <= n; k++) {
            lua_rawgeti(L, t, k);
            if (k > 1)
                tm_buf_adds(b, ", ");
            lua_json(L, -1, b);
            lua_pop(L, 1);
        }
        tm_buf_addc(b, ']');
        break;
    }
    default: tm_buf_adds(b, "null");
    }
}

/* tmlint rules --format json: the rules with their effective levels and
 * settings where it runs, for scripts and editors. */
static void rules_json(tm_ctx *c, tm_cfg *cfg, tm_buf *b)
{
    lua_State *L = c->rt->L;
    tm_buf_adds(b, "{\n  \"configuration\": ");
    if (cfg)
        tm_json_strz(b, cfg->path);
    else
        tm_buf_adds(b, "null");
    tm_buf_adds(b, ",\n  \"rules\": [");
    int *refs = tm_xcalloc(c->nrules + 2 + (cfg ? cfg->nov : 0), sizeof *refs);
    char *rel = tm_walk_rel(cfg, ".");
    for (size_t i = 0; i < c->nrules; i++) {
        const tm_rule *r = &c->rules[i];
        size_t nrefs = 0;
        tm_level lv = r->effective == TM_LEVEL_NONE ? TM_LEVEL_NONE : tm_cfg_level(c, cfg, rel, i, refs, &nrefs);
        tm_buf_adds(b, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
        tm_json_strz(b, r->id);
        tm_buf_adds(b, ", \"name\": ");
        tm_json_strz(b, r->name);
        tm_buf_printf(b, ", \"level\": \"%s\", \"default_level\": \"%s\", \"summary\": ",
                      lv == TM_LEVEL_NONE ? "off" : tm_level_name(lv), tm_level_name(r->level));
        tm_json_strz(b, r->summary);
        tm_buf_adds(b, ", \"meta\": [");
        for (size_t k = 0; k < r->nmeta; k++) {
            if (k)
                tm_buf_adds(b, ", ");
            tm_json_strz(b, r->meta[k]);
        }
        tm_buf_adds(b, "], \"settings\": {");
        tm_run_push_settings(c, i, refs, nrefs);
        int t = lua_gettop(L);
        const char *keys[64];
        size_t n = setting_keys(L, t, keys);
        for (size_t k = 0; k < n; k++) {
            if (k)
                tm_buf_adds(b, ", ");
            tm_json_strz(b, keys[k]);
            tm_buf_adds(b, ": ");
            lua_getfield(L, t, keys[k]);
            lua_json(L, -1, b);
            lua_pop(L, 1);
        }
        lua_settop(L, t - 1);
        tm_buf_adds(b, "}}");
    }
    tm_buf_adds(b, c->nrules ? "\n  ]\n}\n" : "]\n}\n");
    free(rel);
    free(refs);
}

static int cmd_rules(tm_ctx *c)
{
    tm_cfg *cfg;
    if (setup_config_here(c, &cfg) != 0)
        return TMLINT_EXIT_ERROR;
    if (c->opts.coverage) {
        tm_buf b;
        tm_buf_init(&b);
        int bad = tm_coverage(c, !strcmp(c->opts.format, "json"), &b);
        int rc = tm_io_save(c->opts.output, b.p ? b.p : "", b.len, &c->diags);
        tm_buf_free(&b);
        print_diags(c);
        return rc == 0 && bad == 0 ? TMLINT_EXIT_CLEAN : TMLINT_EXIT_ERROR;
    }
    if (!strcmp(c->opts.format, "json")) {
        tm_buf b;
        tm_buf_init(&b);
        rules_json(c, cfg, &b);
        int rc = tm_io_save(c->opts.output, b.p, b.len, &c->diags);
        tm_buf_free(&b);
        return rc == 0 ? TMLINT_EXIT_CLEAN : TMLINT_EXIT_ERROR;
    }
    if (cfg) {
        fputs("configuration: ", stdout);
        tm_esc_fputs(cfg->path, stdout);
        fputc('\n', stdout);
    }
    printf("%-7s %-30s %-8s %s\n", "ID", "NAME", "LEVEL", "SETTINGS");
    int *refs = tm_xcalloc(c->nrules + 2 + (cfg ? cfg->nov : 0), sizeof *refs);
    char *rel = tm_walk_rel(cfg, ".");
    for (size_t i = 0; i < c->nrules; i++) {
        const tm_rule *r = &c->rules[i];
        size_t nrefs = 0;
        tm_level lv = r->effective == TM_LEVEL_NONE ? TM_LEVEL_NONE : tm_cfg_level(c, cfg, rel, i, refs, &nrefs);
        tm_buf st;
        tm_buf_init(&st);
        settings_text(c, i, refs, nrefs, &st);
        printf("%-7s %-30s %-8s %s\n", r->id, r->name, lv == TM_LEVEL_NONE ? "off" : tm_level_name(lv),
               st.len ? st.p : "-");
        tm_buf_free(&st);
    }
    free(rel);
    free(refs);
    return TMLINT_EXIT_CLEAN;
}

/* Appends text escaped for the terminal, keeping its line breaks. */
static void esc_lines(tm_buf *b, const char *s)
{
    for (;;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        char *line = tm_xstrndup(s, n);
        tm_esc_text(b, line, 0);
        free(line);
        if (!nl)
            break;
        tm_buf_addc(b, '\n');
        s = nl + 1;
    }
}

static int cmd_explain(tm_ctx *c, const char *what)
{
    /* a team's rules too, as `tmlint rules` lists them here */
    int i = tm_rules_find(c, what);
    if (i < 0) {
        tm_cfg *cfg;
        if (setup_config_here(c, &cfg) != 0) {
            print_diags(c);
            return TMLINT_EXIT_ERROR;
        }
        i = tm_rules_find(c, what);
    }
    if (i < 0) {
        unknown_rule(c, what);
        return TMLINT_EXIT_ERROR;
    }
    const tm_rule *r = &c->rules[i];
    /* a team rule's texts are a repository's: escaped line by line */
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_printf(&b, "%s %s (%s)\n\n", r->id, r->name, tm_level_name(r->level));
    esc_lines(&b, r->summary);
    tm_buf_adds(&b, "\n\n");
    esc_lines(&b, r->help);
    tm_buf_addc(&b, '\n');
    fwrite(b.p, 1, b.len, stdout);
    tm_buf_free(&b);
    return TMLINT_EXIT_CLEAN;
}

/* --output must never name a file being checked (by device and inode, so
 * no spelling of the path gets round it): the report would replace it. */
static int output_is_input(tm_ctx *c)
{
    struct stat o, f;
    if (!c->opts.output || stat(c->opts.output, &o) != 0)
        return 0;
    for (size_t i = 0; i < c->nfiles; i++)
        if (!c->files[i].data && stat(c->files[i].path, &f) == 0 && f.st_dev == o.st_dev && f.st_ino == o.st_ino)
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, c->opts.output, 0, 0, NULL,
                               "--output names a file being checked (%s); refusing to write over it", c->files[i].path);
    return 0;
}

/* audit --compare and --history: the earlier audits */
static int audit_history(tm_ctx *c)
{
    if ((c->opts.compare && tm_compare_load(c, c->opts.compare) != 0) ||
        (c->opts.history && tm_history_load(c, c->opts.history) != 0)) {
        print_diags(c);
        return -1;
    }
    return 0;
}

static int report(tm_ctx *c);

/* audit --merge SHARD.json...: the report of one audit of every shard's
 * repositories, from what the shards carry (no repository is read). */
static int cmd_merge(tm_ctx *c, tm_cli *cli)
{
    if (!strcmp(c->opts.format, "full")) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                    "--format full quotes the models' lines, which a merge does not have; any other format works");
        print_diags(c);
        return TMLINT_EXIT_ERROR;
    }
    if (c->opts.shards || c->opts.baseline || c->opts.fix) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "--merge takes no --shard, --baseline or --fix");
        print_diags(c);
        return TMLINT_EXIT_ERROR;
    }
    if (tm_shard_merge(c, cli->args, cli->nargs) != 0 || output_is_input(c) != 0 || audit_history(c) != 0) {
        print_diags(c);
        return TMLINT_EXIT_ERROR;
    }
    return report(c);
}

static int cmd_check(tm_ctx *c, tm_cli *cli)
{
    if (c->opts.merge)
        return cmd_merge(c, cli);
    if (c->opts.shard_list) {
        int rc = c->opts.shards ? tm_shard_list(c, c->opts.shard_list)
                                : tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "--shard-list needs --shard I/N");
        print_diags(c);
        return rc ? TMLINT_EXIT_ERROR : TMLINT_EXIT_CLEAN;
    }
    char *dot[] = {(char *)".", NULL};
    char **paths = cli->nargs ? cli->args : dot;
    size_t n = cli->nargs ? cli->nargs : 1;
    tm_walk_set_root(c);
    /* `-` is standard input, read once, in its place among the paths */
    int walked = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(paths[i], "-"))
            continue;
        tm_walk(c, paths + walked, i - (size_t)walked);
        tm_walk_stdin(c, c->opts.stdin_filename);
        walked = (int)i + 1;
    }
    tm_walk(c, paths + walked, n - (size_t)walked);
    if (c->opts.audit && !c->opts.no_repo)
        tm_unmodeled_find(c, paths, n);
    if (c->opts.shards)   /* after the search for repositories without a model: it knows which have one */
        tm_shard_select(c);
    size_t models = 0;
    for (size_t i = 0; i < c->nfiles; i++)
        models += !c->files[i].baseline_only;
    /* an audit that finds only repositories without a model reports them;
     * a shard may hold none of either */
    if (!models && !c->nunmodeled && !tm_diags_count(&c->diags, TM_DIAG_ERROR) && !c->opts.allow_empty &&
        !c->opts.shards) {
        /* nothing checked is not success: a misnamed model must not pass CI */
        tm_buf where;
        tm_buf_init(&where);
        for (size_t i = 0; i < n; i++)
            tm_buf_printf(&where, "%s%s", i ? ", " : "", paths[i]);
        tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                    "no threat model found under %s (tmlint looks for *.tm.yaml, threat-model.yaml and the other"
                    " formats' usual names, or the configuration's include:; --allow-empty accepts none)", where.p);
        tm_buf_free(&where);
        print_diags(c);
        return TMLINT_EXIT_ERROR;
    }
    /* A broken configuration stops a check: its intent is unknown. An
     * audit goes on: one repository's configuration (or a team rule that
     * clashes with another repository's) must not take the report of all
     * the others down with it. Its files are reported as not checked, the
     * errors are in the report, and the exit status says 2. */
    int cfg_bad = c->cfg_failed;
    if (!cfg_bad || c->opts.audit)
        cfg_bad |= tm_cfg_load_rule_dirs(c) != 0;
    if (named_rules_ok(c) != 0 || output_is_input(c) != 0) {
        print_diags(c);
        return TMLINT_EXIT_ERROR;
    }
    if (!cfg_bad || c->opts.audit)
        cfg_bad |= tm_cfg_resolve(c) != 0;
    if (cfg_bad && !c->opts.audit) {
        print_diags(c);
        return TMLINT_EXIT_ERROR;
    }
    if (c->opts.staged && c->opts.changed_since) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                    "--staged and --changed-since name two different changes; give one");
        print_diags(c);
        return TMLINT_EXIT_ERROR;
    }
    c->repos.change_ref = c->opts.changed_since;
    c->repos.change_staged = c->opts.staged;
    /* a results file that cannot be read is an error, yet the other rules
     * run: only failing-evidence needs it, and it stays quiet */
    for (size_t i = 0; i < c->opts.ntest_results; i++)
        if (tm_tests_load(&c->tests, c->opts.test_results[i], c->opts.limits.max_file_size, &c->diags) != 0)
            c->tests_failed = 1;
    if (c->opts.audit) {
        const char *fmt = c->opts.format;
        int progress = isatty(2) && !c->opts.output_is_stdout_pipe;
        c->diag_phase[0] = c->diags.n;
        if (tm_audit_check(c, progress && (strcmp(fmt, "text") || c->opts.output)) != 0) {
            print_diags(c);
            return TMLINT_EXIT_ERROR;
        }
        c->diag_phase[1] = c->diags.n;
        tm_coverage_per_file(c);
        tm_audit_ci_gates(c);
        tm_audit_links(c);
        tm_repos_report(&c->repos, &c->diags);   /* a repository whose git data was refused */
        tm_cfg_report(c);
        if (audit_history(c) != 0)
            return TMLINT_EXIT_ERROR;
    } else {
        if (c->opts.commit_msg && commit_trailer(c) != 0) {
            print_diags(c);
            return TMLINT_EXIT_ERROR;
        }
        tm_run_check(c);
        tm_repos_report(&c->repos, &c->diags);
        tm_cfg_report(c);
    }
    return report(c);
}

/* The findings as the output format says, and the exit status. */
static int report(tm_ctx *c)
{
    if (c->opts.baseline && tm_baseline_apply(c, c->opts.baseline) != 0) {
        print_diags(c);
        return TMLINT_EXIT_ERROR;
    }
    /* SARIF keeps every result with its baselineState: code scanning closes
     * each alert missing from an upload, so dropping the unchanged ones
     * would erase a team's open alerts. --new-only then decides only the
     * exit status; the other formats show the new findings alone */
    int keep_all = c->opts.new_only && !strcmp(c->opts.format, "sarif");
    if (c->opts.new_only && !keep_all)
        tm_baseline_keep_new(c);
    if (c->opts.fix) {
        long fixed = tm_fix_apply(c, c->opts.fix_diff);
        if (c->opts.fix_diff) {   /* the diff is the output */
            print_diags(c);
            return fixed < 0 ? TMLINT_EXIT_ERROR : fixed ? TMLINT_EXIT_FINDINGS : TMLINT_EXIT_CLEAN;
        }
        if (fixed > 0)
            fprintf(stderr, "tmlint: fixed %ld finding%s\n", fixed, fixed == 1 ? "" : "s");
    }
    if (c->opts.omit_suppressed)
        tm_fnd_drop_suppressed(&c->findings);
    const tm_writer *w = tm_out_find(c->opts.format);
    tm_buf out;
    tm_buf_init(&out);
    int64_t t0 = tm_clock_ns();
    if (c->opts.audit && !strcmp(w->name, "text"))
        tm_out_audit_text(c, &out);   /* an audit's text is its summary */
    else
        w->write(c, &out);
    int saved = tm_io_save(c->opts.output, out.p ? out.p : "", out.len, &c->diags);
    c->phase[TM_PHASE_OUTPUT].ns = tm_clock_ns() - t0;
    c->phase[TM_PHASE_OUTPUT].calls = 1;
    tm_buf_free(&out);
    print_diags(c);
    if (c->opts.verbose)
        print_na(c);
    else if (c->opts.nonly && !c->opts.audit)
        only_na(c);
    if (!c->opts.audit && !c->opts.quiet)
        summary(c);
    if (c->opts.timings)
        tm_timings_print(c, stderr, tm_clock_ns() - c->started_ns);
    if (saved != 0 || tm_diags_count(&c->diags, TM_DIAG_ERROR))
        return TMLINT_EXIT_ERROR;
    if (c->opts.fail_on != TM_LEVEL_NONE)
        for (size_t i = 0; i < c->findings.n; i++)
            if (c->findings.v[i].level >= c->opts.fail_on && !c->findings.v[i].justification &&
                c->findings.v[i].baseline != TM_BASE_ABSENT &&
                (!c->opts.new_only || c->findings.v[i].baseline == TM_BASE_NEW))
                return TMLINT_EXIT_FINDINGS;
    return TMLINT_EXIT_CLEAN;
}

/* keep_heap: return without freeing what the run built (the process is
 * about to exit and the kernel takes it all back at once; freeing it piece
 * by piece was a tenth of a small model's run). */
int tm_cmd_run(int argc, char **argv, int keep_heap)
{
    tm_ctx c;
    tm_ctx_init(&c);
    c.keep_heap = keep_heap;
    tm_cli cli;
    int rc;
    if (tm_cli_parse(&c, &cli, argc, argv) != 0) {
        print_diags(&c);
        rc = TMLINT_EXIT_ERROR;
        goto done;
    }
    if (cli.help) {
        tm_cli_help(cli.bare ? stderr : stdout, cli.cmd);
        rc = cli.bare ? TMLINT_EXIT_ERROR : TMLINT_EXIT_CLEAN;
        goto done;
    }
    if (cli.cmd == TM_CMD_GENERATE) {
        if (cli.nargs == 1 && !strcmp(cli.args[0], "schema")) {
            tm_buf b;
            tm_buf_init(&b);
            tm_schema_json(&b);
            fwrite(b.p, 1, b.len, stdout);
            tm_buf_free(&b);
            rc = TMLINT_EXIT_CLEAN;
        } else {
            rc = cli.nargs == 1 && tm_cli_generate(stdout, cli.args[0]) == 0 ? TMLINT_EXIT_CLEAN : TMLINT_EXIT_ERROR;
        }
        goto done;
    }
    if (cli.version) {
        printf("tmlint %s\n", TMLINT_VERSION);
        rc = TMLINT_EXIT_CLEAN;
        goto done;
    }
    const char *nc = getenv("NO_COLOR");
    c.opts.color = !strcmp(cli.color, "always") ||
                   (!strcmp(cli.color, "auto") && !c.opts.output && isatty(1) && !(nc && *nc));
    if (cli.cmd == TM_CMD_LSP) {   /* a host of the library, with a checker of its own */
        /* an editor sends every YAML and JSON file: only models are checked */
        tmlint_options lo = {c.opts.config, c.opts.rules_dir, c.opts.now, c.opts.no_repo, 1};
        rc = tm_lsp_serve(&lo, 0, 1);
        goto done;
    }
    int64_t t0 = tm_clock_ns();
    int set = tm_ctx_set_now(&c) != 0 || tm_run_setup(&c) != 0;
    c.phase[TM_PHASE_STARTUP].ns = tm_clock_ns() - t0;
    c.phase[TM_PHASE_STARTUP].calls = 1;
    if (set) {
        print_diags(&c);
        rc = TMLINT_EXIT_ERROR;
        goto done;
    }
    if (c.opts.config && tm_cfg_load_forced(&c, c.opts.config) != 0) {
        print_diags(&c);
        rc = TMLINT_EXIT_ERROR;
        goto done;
    }
    if (cli.cmd == TM_CMD_CONVERT) {
        tm_walk_set_root(&c);
        tm_walk(&c, cli.args, 1);
        tm_buf out;
        tm_buf_init(&out);
        rc = TMLINT_EXIT_ERROR;
        if (!c.cfg_failed && tm_cfg_load_rule_dirs(&c) == 0 && named_rules_ok(&c) == 0 && tm_cfg_resolve(&c) == 0 && output_is_input(&c) == 0 &&
            tm_run_convert(&c, &out) == 0 && tm_io_save(c.opts.output, out.p ? out.p : "", out.len, &c.diags) == 0)
            rc = TMLINT_EXIT_CLEAN;
        tm_buf_free(&out);
    } else if (cli.cmd == TM_CMD_INIT) {
        tm_cfg *cfg = NULL;
        struct stat st;
        if (c.opts.new_rule)   /* --rule ID: a new team rule, not a configuration */
            rc = setup_config_here(&c, &cfg) == 0 && tm_scaffold_rule(&c, cfg, c.opts.new_rule, c.opts.new_rule_name) == 0
                     ? TMLINT_EXIT_CLEAN
                     : TMLINT_EXIT_ERROR;
        /* one that exists (by either name) is refused before it is read */
        else {
            const char *name = lstat(TM_CONFIG_ALT, &st) == 0 ? TM_CONFIG_ALT : TM_CONFIG_NAME;
            rc = (lstat(name, &st) == 0 || setup_config_here(&c, &cfg) == 0) && tm_cfg_init(&c, cfg, name) == 0
                     ? TMLINT_EXIT_CLEAN
                     : TMLINT_EXIT_ERROR;
        }
    }
    else if (cli.cmd == TM_CMD_RULES)
        rc = cmd_rules(&c);
    else if (cli.cmd == TM_CMD_TEST) {
        tm_cfg *cfg = NULL;
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n <= 0 || setup_config_here(&c, &cfg) != 0) {
            rc = TMLINT_EXIT_ERROR;
        } else {
            self[n] = 0;
            rc = tm_fixture_cmd(&c, cli.args, cli.nargs, c.opts.format, self);
        }
    }
    else if (cli.cmd == TM_CMD_EXPLAIN)
        rc = cmd_explain(&c, cli.args[0]);
    else {
        if (cli.cmd == TM_CMD_AUDIT || !strcmp(c.opts.format, "html")) {
            c.opts.audit = 1;   /* the html page is an audit report */
            if (!c.opts.jobs)
                c.opts.jobs = tm_cpus();
        }
        if (cli.cmd == TM_CMD_AUDIT && !cli.nargs && !c.opts.shard_list) {
            tm_diag_add(&c.diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                        c.opts.merge ? "audit --merge takes the shards' JSON files" : "audit takes the paths to audit");
            print_diags(&c);
            rc = TMLINT_EXIT_ERROR;
            goto done;
        }
        rc = cmd_check(&c, &cli);
        goto done_noprint;
    }
    print_diags(&c);
done_noprint:
done:
    if (keep_heap) {
        /* what was written must have reached its file: a full disk is an error */
        if (fflush(stdout) != 0 && rc < TMLINT_EXIT_ERROR)
            rc = TMLINT_EXIT_ERROR;
        return rc;
    }
    free(cli.args);
    free(c.opts.enable);
    free(c.opts.disable);
    free(c.opts.test_results);
    free(c.opts.only);
    free(c.opts.exclude);
    free(c.opts.select);
    free(c.opts.ignore);
    tm_ctx_free(&c);
    return rc;
}

int tmlint_main(int argc, char **argv)
{
    return tm_cmd_run(argc, argv, 0);   /* a host lives on: free everything */
}
