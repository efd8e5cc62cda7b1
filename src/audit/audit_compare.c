#include "audit_compare.h"
#include "ctx.h"
#include "source.h"
#include "strmap.h"
#include "tree.h"
#include "yaml_load.h"
#include <stdlib.h>
#include <string.h>


static uint32_t number(const tm_doc *d, uint32_t map, const char *key)
{
    const char *s = tm_node_scalar(d, map, key);
    return s ? (uint32_t)strtoul(s, NULL, 10) : 0;
}

static uint32_t list(const tm_doc *d, const char *key)
{
    uint32_t v = tm_node_get(d, d->root, key, strlen(key), NULL);
    return v != TM_NONE && d->nodes[v].type == TM_NODE_SEQ ? v : TM_NONE;
}

int tm_compare_load(tm_ctx *c, const char *path)
{
    tm_docs docs;
    if (tm_yaml_load_output_file(path, &docs, &c->diags) != 0)
        return -1;
    const tm_doc *d = docs.n ? docs.v[0] : NULL;
    uint32_t tool = d && d->root != TM_NONE && d->nodes[d->root].type == TM_NODE_MAP
                        ? tm_node_get(d, d->root, "tool", 4, NULL) : TM_NONE;
    const char *name = d ? tm_node_scalar(d, tool, "name") : NULL;
    uint32_t models = d && name ? list(d, "models") : TM_NONE, findings = d && name ? list(d, "findings") : TM_NONE;
    if (!name || strcmp(name, "tmlint") || models == TM_NONE || findings == TM_NONE) {
        tm_docs_free(&docs);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL,
                           "not the JSON of a tmlint audit (tmlint audit --format json); nothing to compare with");
    }
    tm_compare *cmp = tm_xcalloc(1, sizeof *cmp);
    cmp->path = tm_xstrdup(path);
    tm_strmap_init(&cmp->by_identity);
    const char *date = tm_node_scalar(d, d->root, "audited");
    /* a date or nothing: the file is input, and the date reaches every report */
    int is_date = date && strlen(date) == 10;
    for (int i = 0; is_date && i < 10; i++)
        is_date = (i == 4 || i == 7) ? date[i] == '-' : (date[i] >= '0' && date[i] <= '9');
    if (date && !is_date)
        tm_diag_add(&c->diags, TM_DIAG_WARNING, path, 0, 0, NULL, "'audited' is not a date (YYYY-MM-DD); left out");
    cmp->date = is_date ? tm_xstrdup(date) : NULL;
    size_t skipped = 0;   /* entries not of the shape tmlint writes */
    tm_strmap by_path, by_rule, pairs;
    tm_strmap_init(&by_path);
    tm_strmap_init(&by_rule);
    tm_strmap_init(&pairs);
    cmp->models = tm_xcalloc(d->nodes[models].len + 1, sizeof *cmp->models);
    for (uint32_t i = 0; i < d->nodes[models].len; i++) {
        uint32_t m = d->kids[d->nodes[models].off + i];
        const char *p = tm_node_scalar(d, m, "path");
        if (!p || tm_strmap_get(&by_path, p)) {
            skipped += !p;
            continue;
        }
        tm_cmp_model *x = &cmp->models[cmp->nmodels];
        x->path = tm_xstrdup(p);
        const char *idn = tm_node_scalar(d, m, "identity");
        x->identity = idn ? tm_xstrdup(idn) : NULL;
        if (idn && !tm_strmap_get(&cmp->by_identity, idn))
            tm_strmap_put(&cmp->by_identity, idn, (void *)(uintptr_t)(cmp->nmodels + 1));
        x->threats = number(d, m, "threats");
        x->mitigated = number(d, m, "mitigated");
        const char *fmt = tm_node_scalar(d, m, "format");
        x->checked = fmt && *fmt;
        tm_strmap_put(&by_path, p, (void *)(uintptr_t)(++cmp->nmodels));
    }
    for (uint32_t i = 0; i < d->nodes[findings].len; i++) {
        uint32_t f = d->kids[d->nodes[findings].off + i];
        const char *rule = tm_node_scalar(d, f, "rule"), *lv = tm_node_scalar(d, f, "level"), *p = tm_node_scalar(d, f, "path");
        const char *sup = tm_node_scalar(d, f, "suppressed"), *base = tm_node_scalar(d, f, "baseline");
        tm_level level;
        if (!rule || !p || !lv || tm_level_parse(lv, &level) != 0 || level == TM_LEVEL_NONE) {
            skipped++;
            continue;
        }
        if ((sup && !strcmp(sup, "true")) || (base && !strcmp(base, "absent")))
            continue;   /* counted as the audit counted them */
        cmp->n[level]++;
        void **mi = tm_strmap_get(&by_path, p);
        if (mi)
            cmp->models[(uintptr_t)*mi - 1].n[level]++;
        void **ri = tm_strmap_get(&by_rule, rule);
        if (!ri) {
            cmp->rules = tm_xrealloc(cmp->rules, (cmp->nrules + 1) * sizeof *cmp->rules);
            tm_cmp_rule *r = &cmp->rules[cmp->nrules];
            memset(r, 0, sizeof *r);
            r->id = tm_xstrdup(rule);
            const char *rn = tm_node_scalar(d, f, "name");
            r->name = tm_xstrdup(rn ? rn : "");
            tm_strmap_put(&by_rule, rule, (void *)(uintptr_t)(++cmp->nrules));
            ri = tm_strmap_get(&by_rule, rule);
        }
        tm_cmp_rule *r = &cmp->rules[(uintptr_t)*ri - 1];
        r->findings++;
        tm_buf key;
        tm_buf_init(&key);
        tm_buf_printf(&key, "%s\n%s", rule, p);
        if (tm_strmap_put(&pairs, key.p, NULL))
            r->models++;
        tm_buf_free(&key);
    }
    if (skipped)   /* said, so that a damaged report does not pass as "everything got better" */
        tm_diag_add(&c->diags, TM_DIAG_WARNING, path, 0, 0, NULL,
                    "%zu entr%s not of the shape tmlint writes, left out of the comparison", skipped,
                    skipped == 1 ? "y is" : "ies are");
    cmp->by_path = by_path;   /* kept for tm_compare_model and tm_compare_rule */
    cmp->by_rule = by_rule;
    tm_strmap_free(&pairs);
    tm_docs_free(&docs);
    c->compare = cmp;
    return 0;
}

const tm_cmp_model *tm_compare_model(const tm_compare *cmp, const char *identity, const char *path)
{
    if (!cmp)
        return NULL;
    void **i = identity && cmp->by_identity.n ? tm_strmap_get(&cmp->by_identity, identity) : NULL;
    if (!i && !cmp->by_identity.n)   /* an earlier tmlint: its paths are all there is */
        i = tm_strmap_get(&cmp->by_path, path);
    return i ? &cmp->models[(uintptr_t)*i - 1] : NULL;
}

const tm_cmp_rule *tm_compare_rule(const tm_compare *cmp, const char *id)
{
    void **i = cmp ? tm_strmap_get(&cmp->by_rule, id) : NULL;
    return i ? &cmp->rules[(uintptr_t)*i - 1] : NULL;
}

void tm_compare_free(tm_compare *cmp)
{
    if (!cmp)
        return;
    for (size_t i = 0; i < cmp->nmodels; i++) {
        free(cmp->models[i].path);
        free(cmp->models[i].identity);
    }
    for (size_t i = 0; i < cmp->nrules; i++) {
        free(cmp->rules[i].id);
        free(cmp->rules[i].name);
    }
    free(cmp->models);
    free(cmp->rules);
    tm_strmap_free(&cmp->by_path);
    tm_strmap_free(&cmp->by_rule);
    tm_strmap_free(&cmp->by_identity);
    free(cmp->path);
    free(cmp->date);
    free(cmp);
}
