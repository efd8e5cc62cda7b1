/* The library (include/tmlint.h): a context set up once, with the built-in
 * rules loaded, and reset between checks to what it was just after the set
 * up. What a check learns from the file system (configurations, a team's
 * rules and adapter, repositories) is read again at each check, so a host
 * that lives for hours sees edits to them. */
#include "tmlint.h"
#include "config.h"
#include "ctx.h"
#include "repo.h"
#include "rules.h"
#include "run.h"
#include "walk.h"
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct tmlint_checker {
    tm_ctx c;
    char *config;                /* tmlint_options.config, owned */
    char *rules_dir, *now;
    size_t nrules0, nadapters0;  /* what the set up loaded: a team's come and go */
};

struct tmlint_result {
    tmlint_finding *f;
    size_t nf;
    tmlint_diagnostic *d;
    size_t nd;
    char **strs;                 /* every string the records point at */
    size_t nstrs;
    size_t files;                /* files taken as models */
};

static char *opt_dup(const char *s)
{
    return s ? tm_xstrdup(s) : NULL;
}

static char *diags_text(const tm_diags *d)
{
    tm_buf b;
    tm_buf_init(&b);
    for (size_t i = 0; i < d->n; i++) {
        const tm_diag *x = &d->v[i];
        if (x->file)
            tm_buf_printf(&b, "%s:%u:%u: ", x->file, x->line, x->col);
        tm_buf_printf(&b, "%s%s", x->msg, i + 1 < d->n ? "\n" : "");
    }
    return b.len ? tm_buf_detach(&b) : (tm_buf_free(&b), tm_xstrdup("cannot set up the checker"));
}

tmlint_checker *tmlint_checker_new(const tmlint_options *opts, char **error)
{
    tmlint_options none = {0};
    if (!opts)
        opts = &none;
    if (error)
        *error = NULL;
    tmlint_checker *k = tm_xcalloc(1, sizeof *k);
    tm_ctx *c = &k->c;
    tm_ctx_init(c);
    k->config = opt_dup(opts->config);
    k->rules_dir = opt_dup(opts->rules_dir);
    k->now = opt_dup(opts->now);
    c->opts.rules_dir = k->rules_dir;
    c->opts.now = k->now;
    c->opts.no_repo = opts->no_repo;
    c->opts.force_exclude = opts->models_only;
    c->opts.quiet = 1;
    /* a library installs no signal handler in its host: every call counts
     * its instructions, as a run with team code does */
    c->opts.count_instructions = 1;
    tm_walk_set_root(c);
    if (tm_ctx_set_now(c) != 0 || tm_run_setup(c) != 0) {
        if (error)
            *error = diags_text(&c->diags);
        tmlint_checker_free(k);
        return NULL;
    }
    k->nrules0 = c->nrules;
    k->nadapters0 = c->nadapters;
    return k;
}

/* Back to the state just after the set up. */
static void reset(tmlint_checker *k)
{
    tm_ctx *c = &k->c;
    lua_State *L = c->rt->L;
    tm_fnd_free(&c->findings);
    tm_diags_free(&c->diags);
    tm_ctx_free_files(c);
    tm_strmap_free(&c->file_uris);
    tm_strmap_init(&c->file_uris);
    tm_cfg_free_all(c);
    c->forced = NULL;
    c->cfg_failed = 0;
    for (size_t i = k->nrules0; i < c->nrules; i++) {
        luaL_unref(L, LUA_REGISTRYINDEX, c->rules[i].ref);
        tm_rule_free_fields(&c->rules[i]);
    }
    c->nrules = k->nrules0;
    for (size_t i = k->nadapters0; i < c->nadapters; i++) {
        luaL_unref(L, LUA_REGISTRYINDEX, c->adapters[i].ref);
        free(c->adapters[i].name);
        free(c->adapters[i].path);
    }
    c->nadapters = k->nadapters0;
    tm_repos_forget(&c->repos);
    free(c->ceiling);
    c->ceiling = NULL;
    c->walk_arg = 0;
    c->sniffed = 0;
}

static const char *keep(tmlint_result *r, const char *s)
{
    if (!s)
        return NULL;
    r->strs[r->nstrs] = tm_xstrdup(s);
    return r->strs[r->nstrs++];
}

static tmlint_level level_of(tm_diag_sev s)
{
    return s == TM_DIAG_ERROR ? TMLINT_ERROR : s == TM_DIAG_WARNING ? TMLINT_WARNING : TMLINT_NOTE;
}

static tmlint_result *collect(const tm_ctx *c)
{
    tmlint_result *r = tm_xcalloc(1, sizeof *r);
    r->f = tm_xcalloc(c->findings.n + 1, sizeof *r->f);
    r->d = tm_xcalloc(c->diags.n + 1, sizeof *r->d);
    r->strs = tm_xcalloc(8 * c->findings.n + 3 * c->diags.n + 1, sizeof *r->strs);
    for (size_t i = 0; i < c->nfiles; i++)
        r->files += !c->files[i].part_of && !c->files[i].failed;
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *x = &c->findings.v[i];
        const tm_rule *rule = &c->rules[x->rule];
        tmlint_finding *f = &r->f[r->nf++];
        f->rule = keep(r, rule->id);
        f->rule_name = keep(r, rule->name);
        f->level = (tmlint_level)x->level;
        f->message = keep(r, x->msg);
        f->path = keep(r, c->files[x->file].path);
        f->line = x->line;
        f->column = x->col;
        f->end_line = x->end_line;
        f->end_column = x->end_col;
        f->fingerprint = keep(r, x->fingerprint);
        f->fix = keep(r, x->fix);
        f->fix_old = keep(r, x->fix_old);
        f->suppressed = keep(r, x->justification);
    }
    for (size_t i = 0; i < c->diags.n; i++) {
        const tm_diag *x = &c->diags.v[i];
        tmlint_diagnostic *d = &r->d[r->nd++];
        d->level = level_of(x->sev);
        d->path = keep(r, x->file);
        d->line = x->line;
        d->column = x->col;
        d->rule = keep(r, x->rule);
        d->message = keep(r, x->msg);
    }
    return r;
}

/* After the walk: the configurations' rules and settings, then the rules. */
static int check_walked(tmlint_checker *k, tmlint_result **out)
{
    tm_ctx *c = &k->c;
    if (!c->cfg_failed && tm_cfg_load_rule_dirs(c) == 0 && tm_cfg_resolve(c) == 0)
        tm_run_check(c);
    *out = collect(c);
    return 0;
}

int tmlint_check_buffer(tmlint_checker *k, const char *name, const char *data, size_t len, tmlint_result **out)
{
    if (!k || !name || !*name || (!data && len) || !out)
        return -1;
    reset(k);
    if (k->config && tm_cfg_load_forced(&k->c, k->config) != 0) {
        *out = collect(&k->c);
        return 0;
    }
    tm_walk_buffer(&k->c, name, data ? data : "", len);
    return check_walked(k, out);
}

int tmlint_check_path(tmlint_checker *k, const char *path, tmlint_result **out)
{
    if (!k || !path || !*path || !out)
        return -1;
    reset(k);
    if (k->config && tm_cfg_load_forced(&k->c, k->config) != 0) {
        *out = collect(&k->c);
        return 0;
    }
    char *paths[] = {(char *)path};
    tm_walk(&k->c, paths, 1);
    /* nothing found under a directory is no clean result: say so, as the
     * command line does */
    struct stat st;
    if (!k->c.nfiles && !tm_diags_count(&k->c.diags, TM_DIAG_ERROR) && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        tm_diag_add(&k->c.diags, TM_DIAG_ERROR, path, 0, 0, NULL,
                    "no threat model found here (tmlint looks for *.tm.yaml, threat-model.yaml and the other"
                    " formats' usual names, the configuration's include:, and a format's marks in the first bytes)");
    return check_walked(k, out);
}

size_t tmlint_result_findings(const tmlint_result *r, const tmlint_finding **v)
{
    *v = r ? r->f : NULL;
    return r ? r->nf : 0;
}

size_t tmlint_result_files(const tmlint_result *r)
{
    return r ? r->files : 0;
}

size_t tmlint_result_diagnostics(const tmlint_result *r, const tmlint_diagnostic **v)
{
    *v = r ? r->d : NULL;
    return r ? r->nd : 0;
}

void tmlint_result_free(tmlint_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nstrs; i++)
        free(r->strs[i]);
    free(r->strs);
    free(r->f);
    free(r->d);
    free(r);
}

int tmlint_rule(const tmlint_checker *k, const char *id_or_name, tmlint_rule_info *out)
{
    if (!k || !id_or_name || !out)
        return -1;
    int i = tm_rules_find(&k->c, id_or_name);
    if (i < 0 || (size_t)i >= k->nrules0)
        return -1;
    const tm_rule *r = &k->c.rules[i];
    out->id = r->id;
    out->name = r->name;
    out->summary = r->summary;
    out->help = r->help;
    out->level = (tmlint_level)r->level;
    return 0;
}

void tmlint_checker_free(tmlint_checker *k)
{
    if (!k)
        return;
    tm_ctx_free(&k->c);
    free(k->config);
    free(k->rules_dir);
    free(k->now);
    free(k);
}
