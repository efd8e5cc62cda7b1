#include "coverage.h"
#include "config.h"
#include "walk.h"
#include "json.h"
#include "lua_rt.h"
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct leaf {
    char *id, *name, *how;   /* how: "rule", "audit: ...", "open: ...", "none: ..." */
} leaf;

static int read_leaves(tm_diags *d, const char *path, leaf **out, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot be read (the meta-threat list)");
    char line[2048];
    uint32_t ln = 0;
    int bad = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2) {
            bad = tm_diag_add(d, TM_DIAG_ERROR, path, ln, 1, NULL, "expected id, name and how, separated by tabs");
            continue;
        }
        *t1 = *t2 = 0;
        *out = tm_xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[*n].id = tm_xstrdup(line);
        (*out)[*n].name = tm_xstrdup(t1 + 1);
        (*out)[*n].how = tm_xstrdup(t2 + 1);
        (*n)++;
    }
    fclose(f);
    return bad;
}

static void leaves_free(leaf *v, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        free(v[j].id);
        free(v[j].name);
        free(v[j].how);
    }
    free(v);
}

static int has_meta(const tm_rule *r, const char *id)
{
    for (size_t k = 0; k < r->nmeta; k++)
        if (!strcmp(r->meta[k], id))
            return 1;
    return 0;
}

/* The built-in formats that lack a field rule r needs (an adapter's
 * `lacks`), so r never applies to their files: names, comma-separated
 * (JSON strings when json), into b; returns how many. */
static size_t formats_lacking(tm_ctx *c, const tm_rule *r, int json, tm_buf *b)
{
    lua_State *L = c->rt->L;
    size_t n = 0;
    for (size_t i = 0; i < c->nadapters && r->nneeds; i++) {
        const tm_adapter *a = &c->adapters[i];
        if (a->origin)
            continue;
        int top = lua_gettop(L);
        lua_rawgeti(L, LUA_REGISTRYINDEX, a->ref);
        int lacks = lua_istable(L, -1) && lua_getfield(L, -1, "lacks") == LUA_TTABLE;
        int hit = 0;
        for (size_t k = 0; lacks && k < r->nneeds && !hit; k++) {
            lua_getfield(L, -1, r->needs[k]);
            hit = lua_toboolean(L, -1);
            lua_pop(L, 1);
        }
        lua_settop(L, top);
        if (hit) {
            tm_buf_adds(b, n++ ? ", " : "");
            if (json)
                tm_json_strz(b, a->name);
            else
                tm_buf_adds(b, a->name);
        }
    }
    return n;
}

/* "TM324 (not otm, pytm)": the formats that cannot feed it */
static void rule_text(tm_ctx *c, tm_buf *b, const tm_rule *r)
{
    tm_buf_adds(b, r->id);
    tm_buf f;
    tm_buf_init(&f);
    if (formats_lacking(c, r, 0, &f))
        tm_buf_printf(b, " (not %s)", f.p);
    tm_buf_free(&f);
}

int tm_coverage(tm_ctx *c, int json, tm_buf *out)
{
    tm_buf path;
    tm_buf_init(&path);
    tm_buf_printf(&path, "%s/meta-leaves.tsv", c->rules_dir);
    leaf *v = NULL;
    size_t n = 0;
    int bad = read_leaves(&c->diags, path.p, &v, &n);
    /* every built-in rule's meta id is a leaf */
    for (size_t i = 0; i < c->nrules; i++) {
        const tm_rule *r = &c->rules[i];
        for (size_t k = 0; k < r->nmeta; k++) {
            size_t j = 0;
            while (j < n && strcmp(v[j].id, r->meta[k]))
                j++;
            if (j == n)
                bad |= tm_diag_add(&c->diags, r->origin ? TM_DIAG_WARNING : TM_DIAG_ERROR, r->path, 0, 0, r->id,
                                   "meta names '%s', which is no leaf of the meta threat model", r->meta[k]) &&
                       !r->origin;
        }
    }
    size_t by_rule = 0, by_audit = 0, open = 0, none = 0;
    if (json)
        tm_buf_adds(out, "{\n  \"leaves\": [");
    else
        tm_buf_printf(out, "%-8s %-52s %s\n", "ID", "META THREAT", "CHECKED BY, OR WHY NOT");
    for (size_t j = 0; j < n; j++) {
        const leaf *l = &v[j];
        tm_buf rules;
        tm_buf_init(&rules);
        size_t nr = 0, builtin = 0;
        if (json)
            tm_buf_adds(&rules, "[");
        for (size_t i = 0; i < c->nrules; i++) {
            const tm_rule *r = &c->rules[i];
            if (!has_meta(r, l->id))
                continue;
            builtin += !r->origin;
            if (json) {
                tm_buf_adds(&rules, nr ? ", {\"rule\": " : "{\"rule\": ");
                tm_json_strz(&rules, r->id);
                tm_buf_adds(&rules, ", \"needs\": [");
                for (size_t k = 0; k < r->nneeds; k++) {
                    tm_buf_adds(&rules, k ? ", " : "");
                    tm_json_strz(&rules, r->needs[k]);
                }
                tm_buf_adds(&rules, "], \"not_formats\": [");
                formats_lacking(c, r, 1, &rules);
                tm_buf_adds(&rules, "]}");
            } else {
                tm_buf_adds(&rules, nr ? ", " : "");
                rule_text(c, &rules, r);
            }
            nr++;
        }
        if (json)
            tm_buf_adds(&rules, "]");
        const char *status = !strcmp(l->how, "rule") ? "rule" : !strncmp(l->how, "audit: ", 7) ? "audit"
                             : !strncmp(l->how, "open: ", 6) ? "open" : !strncmp(l->how, "none: ", 6) ? "none" : NULL;
        const char *why = status && strcmp(status, "rule") ? strchr(l->how, ' ') + 1 : "";
        if (!status)
            bad |= tm_diag_add(&c->diags, TM_DIAG_ERROR, path.p, 0, 0, NULL, "%s: '%s' is not rule, audit:, open: or none:",
                               l->id, l->how) != 0;
        else if (!strcmp(status, "rule") && !builtin)
            bad |= tm_diag_add(&c->diags, TM_DIAG_ERROR, path.p, 0, 0, NULL,
                               "%s is marked checked by a rule, and no rule's meta names it", l->id) != 0;
        else if (strcmp(status, "rule") && builtin)
            bad |= tm_diag_add(&c->diags, TM_DIAG_ERROR, path.p, 0, 0, NULL,
                               "%s is marked %s, yet a rule's meta names it: mark it rule", l->id, status) != 0;
        if (status) {
            int checked = nr > 0 || !strcmp(status, "audit");
            by_rule += nr > 0;
            by_audit += nr == 0 && !strcmp(status, "audit");
            open += !checked && !strcmp(status, "open");
            none += !checked && !strcmp(status, "none");
        }
        if (json) {
            tm_buf_adds(out, j ? ",\n    {\"id\": " : "\n    {\"id\": ");
            tm_json_strz(out, l->id);
            tm_buf_adds(out, ", \"name\": ");
            tm_json_strz(out, l->name);
            tm_buf_printf(out, ", \"status\": \"%s\", \"rules\": %s, \"note\": ", status ? status : "?", rules.p);
            tm_json_strz(out, why);
            tm_buf_addc(out, '}');
        } else {
            char name[53];
            snprintf(name, sizeof name, "%s", l->name);
            tm_buf_printf(out, "%-8s %-52s %s%s%s%s\n", l->id, name, nr ? rules.p : "",
                          nr && *why ? "; " : "", status && !strcmp(status, "audit") ? "audit: " : !nr && status ? (strcmp(status, "open") ? "not visible: " : "not checked yet: ") : "", why);
        }
        tm_buf_free(&rules);
    }
    size_t observable = n - none;
    if (json)
        tm_buf_printf(out, "\n  ],\n  \"summary\": {\"leaves\": %zu, \"observable\": %zu, \"checked\": %zu, \"by_rules\": %zu, "
                           "\"by_audit\": %zu, \"open\": %zu, \"not_observable\": %zu}\n}\n",
                      n, observable, by_rule + by_audit, by_rule, by_audit, open, none);
    else
        tm_buf_printf(out, "\ntmlint checks %zu of the %zu meta threats a model or repository can show (%zu by rules, %zu by the"
                           " audit; %zu not yet); %zu of the %zu leaves leave no trace a checker can read\n",
                      by_rule + by_audit, observable, by_rule, by_audit, open, none, n);
    leaves_free(v, n);
    tm_buf_free(&path);
    return bad ? -1 : 0;
}

void tm_coverage_per_file(tm_ctx *c)
{
    tm_buf path;
    tm_buf_init(&path);
    tm_buf_printf(&path, "%s/meta-leaves.tsv", c->rules_dir);
    leaf *v = NULL;
    size_t n = 0;
    tm_diags quiet;   /* a broken list is reported by rules --coverage and its test, not here */
    tm_diags_init(&quiet);
    read_leaves(&quiet, path.p, &v, &n);
    tm_diags_free(&quiet);
    tm_level *lv = tm_xcalloc(c->nrules + 1, sizeof *lv);
    for (size_t fi = 0; fi < c->nfiles; fi++) {
        tm_file *f = &c->files[fi];
        uint32_t checked = 0, observable = 0;
        /* the levels this file's own configuration gives: a repository
         * that switches rules off is covered by fewer of them */
        char *rel = tm_walk_rel(f->cfg, f->path);
        uint32_t off = 0, builtin = 0;
        for (size_t i = 0; i < c->nrules; i++) {
            const tm_rule *r = &c->rules[i];
            lv[i] = r->effective == TM_LEVEL_NONE ? TM_LEVEL_NONE : tm_cfg_level(c, f->cfg, rel, i, NULL, NULL);
            if (!r->origin) {
                builtin++;
                off += lv[i] == TM_LEVEL_NONE && r->effective != TM_LEVEL_NONE;
            }
        }
        free(rel);
        f->stats.rules_off = off;
        f->stats.rules_builtin = builtin;
        for (size_t j = 0; j < n; j++) {
            if (!strncmp(v[j].how, "none: ", 6))
                continue;
            observable++;
            int ok = !strncmp(v[j].how, "audit: ", 7);
            for (size_t i = 0; i < c->nrules && !ok; i++) {
                const tm_rule *r = &c->rules[i];
                if (lv[i] == TM_LEVEL_NONE || !has_meta(r, v[j].id))
                    continue;
                int na = 0;
                for (size_t k = 0; k < f->nna && !na; k++)
                    na = f->na[k] == i;
                ok = !na;
            }
            checked += (uint32_t)ok;
        }
        f->stats.meta_checked = checked;
        f->stats.meta_observable = observable;
        if (builtin && off * 2 > builtin && !f->baseline_only)
            tm_diag_add(&c->diags, TM_DIAG_WARNING, f->path, 0, 0, NULL,
                        "its configuration%s%s switches off %u of tmlint's %u rules: a clean result here says little",
                        f->cfg ? " " : "", f->cfg ? f->cfg->path : "", off, builtin);
    }
    free(lv);
    leaves_free(v, n);
    tm_buf_free(&path);
}
