#include "audit_shard.h"
#include "audit.h"
#include "config.h"
#include "esc.h"
#include "source.h"
#include "tree.h"
#include "unmodeled.h"
#include "run.h"
#include "walk.h"
#include "wire.h"
#include "yaml_load.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TMLINT_VERSION
#define TMLINT_VERSION "0.0.0"
#endif

#define SHARD_MAGIC "tmlint-audit-shard/1"

static uint64_t fnv(const void *data, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = data, *e = p + n; p < e; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

uint32_t tm_shard_of(const char *identity, uint32_t n)
{
    return n ? (uint32_t)(fnv(identity, strlen(identity)) % n) : 0;
}

/* ---- choosing the shard's repositories ---- */

/* The identity a file's repository is sharded by (cached per root). */
static const char *repo_identity(tm_ctx *c, tm_strmap *cache, const char *root)
{
    void **slot = tm_strmap_get(cache, root);
    if (!slot) {
        tm_strmap_put(cache, root, tm_audit_repo_identity(c, root));
        slot = tm_strmap_get(cache, root);
    }
    return *slot;
}

static int mine(const tm_ctx *c, const char *identity)
{
    return tm_shard_of(identity, c->opts.shards) == c->opts.shard - 1;
}

void tm_shard_select(tm_ctx *c)
{
    tm_strmap cache;
    tm_strmap_init(&cache);
    size_t k = 0;
    for (size_t i = 0; i < c->nfiles; i++) {
        tm_file *f = &c->files[i];
        const char *why, *root = c->opts.no_repo || f->data ? NULL : tm_repo_root(&c->repos, f->path, &why);
        char real[PATH_MAX];
        const char *id = root ? repo_identity(c, &cache, root) : realpath(f->path, real) ? real : f->path;
        if (mine(c, id)) {
            c->files[k++] = *f;
            continue;
        }
        free(f->path);
        free(f->uri);
        free(f->data);
    }
    c->nfiles = k;
    /* the index of each uri, and the configurations still in use, anew */
    tm_strmap_free(&c->file_uris);
    tm_strmap_init(&c->file_uris);
    for (size_t i = 0; i < c->ncfgs; i++)
        if (c->cfgs[i] != c->forced)
            c->cfgs[i]->used = 0;
    for (size_t i = 0; i < c->nfiles; i++) {
        tm_strmap_put(&c->file_uris, c->files[i].uri, (void *)(uintptr_t)(i + 1));
        if (c->files[i].cfg)
            c->files[i].cfg->used = 1;
    }
    k = 0;
    for (size_t i = 0; i < c->nunmodeled; i++) {
        tm_unmodeled *u = &c->unmodeled[i];
        tm_buf root;
        tm_buf_init(&root);
        tm_buf_printf(&root, "%s/", u->real ? u->real : u->path);
        int keep = mine(c, repo_identity(c, &cache, root.p));
        tm_buf_free(&root);
        if (keep) {
            c->unmodeled[k++] = *u;
        } else {
            free(u->path);
            free(u->real);
        }
    }
    c->nunmodeled = k;
    for (size_t i = 0; i < cache.cap; i++)
        if (cache.keys && cache.keys[i])
            free(cache.vals[i]);
    tm_strmap_free(&cache);
}

int tm_shard_list(tm_ctx *c, const char *file)
{
    tm_buf text;
    tm_buf_init(&text);
    int rr = tm_read_file(file, &text, c->opts.limits.max_file_size);
    if (rr != 0) {
        tm_buf_free(&text);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, file, 0, 0, NULL, "cannot read the list of repositories: %s",
                           tm_read_error(rr));
    }
    tm_buf out;
    tm_buf_init(&out);
    int rc = 0;
    const char *p = text.p ? text.p : "", *end = p + text.len;
    for (uint32_t ln = 1; p < end; ln++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        const char *q = e;
        while (q > p && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r'))
            q--;
        /* a URL holds no control character (nor a NUL): such a line is a
         * mistake, said at its line, and no job may clone it */
        int ctl = 0;
        for (const char *x = p; x < q && !ctl; x++)
            ctl = (unsigned char)*x < 0x20 || *x == 0x7f;
        if (ctl) {
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, file, ln, 1, NULL,
                             "a control character in a repository URL; the line is left out");
        } else if (q > p && *p != '#') {
            char *line = tm_xstrndup(p, (size_t)(q - p));
            char *id = tm_audit_remote_identity(line);
            if (id && mine(c, id)) {
                tm_buf_adds(&out, line);
                tm_buf_addc(&out, '\n');
            }
            free(id);
            free(line);
        }
        p = nl ? nl + 1 : end;
    }
    fwrite(out.p ? out.p : "", 1, out.len, stdout);
    tm_buf_free(&out);
    tm_buf_free(&text);
    return rc;
}

/* ---- what a shard carries ---- */

static void put_strs(tm_buf *b, char **v, size_t n)
{
    tm_wire_u32(b, (uint32_t)n);
    for (size_t i = 0; i < n; i++)
        tm_wire_str(b, v[i]);
}

static void put_state(const tm_ctx *c, tm_buf *b)
{
    tm_wire_str(b, SHARD_MAGIC);
    tm_wire_str(b, TMLINT_VERSION);
    tm_wire_u32(b, c->opts.shard);
    tm_wire_u32(b, c->opts.shards);
    tm_wire_str(b, c->now);
    tm_wire_str(b, c->root);
    tm_wire_u32(b, (uint32_t)c->nrules);
    for (size_t i = 0; i < c->nrules; i++) {
        const tm_rule *r = &c->rules[i];
        tm_wire_str(b, r->id);
        tm_wire_str(b, r->name);
        tm_wire_str(b, r->summary);
        tm_wire_str(b, r->help);
        tm_wire_str(b, r->message);
        tm_wire_str(b, r->path);
        put_strs(b, r->meta, r->nmeta);
        put_strs(b, r->needs, r->nneeds);
        tm_wire_u32(b, (uint32_t)r->reads_ci);
        tm_wire_u32(b, (uint32_t)r->level);
        tm_wire_u32(b, (uint32_t)r->effective);
        tm_wire_str(b, r->origin ? r->origin->path : NULL);   /* a team's rule: its configuration */
    }
    tm_wire_u32(b, (uint32_t)c->nfiles);
    for (size_t i = 0; i < c->nfiles; i++) {
        const tm_file *f = &c->files[i];
        tm_wire_str(b, f->path);
        tm_wire_str(b, f->uri);
        tm_wire_u32(b, (uint32_t)f->relative);
        tm_wire_str(b, f->identity);
        tm_wire_str(b, f->web);
        tm_wire_str(b, f->run_root);
        tm_wire_str(b, f->run_uri);
        tm_wire_u32(b, (uint32_t)f->run_rel);
        tm_wire_u32(b, f->arg);
        tm_wire_u32(b, (uint32_t)f->failed);
        tm_wire_u32(b, (uint32_t)f->rule_failed);
        tm_wire_u32(b, (uint32_t)f->baseline_only);
        tm_wire_u32(b, f->part_of);
        tm_wire_str(b, f->cfg ? f->cfg->path : NULL);
        tm_wire_str(b, f->na_format);
        tm_wire_u32(b, (uint32_t)f->nna);
        for (size_t j = 0; j < f->nna; j++)
            tm_wire_u32(b, f->na[j]);
        tm_wire_u32(b, (uint32_t)f->stats.models);
        uint32_t nums[] = {f->stats.threats, f->stats.mitigated, f->stats.accepted, f->stats.essentials,
                           f->stats.with_criteria, f->stats.claimed, f->stats.meta_checked, f->stats.meta_observable,
                           f->stats.rules_off, f->stats.rules_builtin, f->stats.ci_cannot_fail, f->stats.counts[0],
                           f->stats.counts[1], f->stats.counts[2], f->stats.counts[3]};
        for (size_t j = 0; j < sizeof nums / sizeof *nums; j++)
            tm_wire_u32(b, nums[j]);
        tm_wire_str(b, f->stats.owner);
        tm_wire_str(b, f->stats.reviewed);
        tm_wire_str(b, f->stats.format);
        tm_audit_wire_leads(b, f);
    }
    tm_wire_u32(b, (uint32_t)c->findings.n);
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *x = &c->findings.v[i];
        tm_wire_u32(b, x->file);
        tm_wire_u32(b, (uint32_t)x->baseline);
        tm_wire_finding(b, x);
    }
    tm_wire_u32(b, (uint32_t)c->diags.n);
    for (size_t i = 0; i < c->diags.n; i++) {
        const tm_diag *d = &c->diags.v[i];
        tm_wire_u32(b, i < c->diag_phase[0] ? 0 : i < c->diag_phase[1] ? 1 : 2);
        tm_wire_diag(b, d);
        /* its file's URI as SARIF gives it, read here where the file is */
        if (d->file) {
            int rel;
            char *uri = tm_walk_uri(c, d->file, &rel);
            tm_buf t;
            tm_buf_init(&t);
            tm_buf_printf(&t, "%c%s", rel ? 'r' : 'a', uri);
            tm_wire_str(b, t.p);
            tm_buf_free(&t);
            free(uri);
        } else {
            tm_wire_str(b, NULL);
        }
    }
    tm_wire_u32(b, (uint32_t)c->nunmodeled);
    for (size_t i = 0; i < c->nunmodeled; i++) {
        const tm_unmodeled *u = &c->unmodeled[i];
        tm_wire_str(b, u->path);
        tm_wire_str(b, u->real);
        tm_wire_u64(b, u->files);
        tm_wire_u64(b, u->code);
        tm_wire_u64(b, u->commits);
        tm_wire_u32(b, (uint32_t)u->more_files);
        tm_wire_u32(b, (uint32_t)u->more_commits);
        tm_wire_u32(b, (uint32_t)u->no_history);
    }
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void tm_shard_json(const tm_ctx *c, tm_buf *b)
{
    tm_buf s;
    tm_buf_init(&s);
    put_state(c, &s);
    tm_wire_u64(&s, fnv(s.p, s.len));   /* a state changed on its way reads as damaged */
    tm_buf_printf(b, "  \"shard\": {\"index\": %u, \"of\": %u, \"state\": \"", c->opts.shard, c->opts.shards);
    const unsigned char *p = (const unsigned char *)s.p;
    for (size_t i = 0; i < s.len; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < s.len ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < s.len ? p[i + 2] : 0);
        char q[4] = {b64[v >> 18], b64[(v >> 12) & 63], i + 1 < s.len ? b64[(v >> 6) & 63] : '=',
                     i + 2 < s.len ? b64[v & 63] : '='};
        tm_buf_add(b, q, 4);
    }
    tm_buf_adds(b, "\"},\n");
    tm_buf_free(&s);
}

/* ---- reading shards back ---- */

static int unb64(const char *s, tm_buf *out)
{
    static signed char val[256];
    memset(val, -1, sizeof val);
    for (int i = 0; i < 64; i++)
        val[(unsigned char)b64[i]] = (signed char)i;
    size_t n = strlen(s);
    if (n % 4)
        return -1;
    for (size_t i = 0; i < n; i += 4) {
        int a = val[(unsigned char)s[i]], b = val[(unsigned char)s[i + 1]];
        int pad2 = s[i + 2] == '=', pad3 = s[i + 3] == '=';
        int c2 = pad2 ? 0 : val[(unsigned char)s[i + 2]], c3 = pad3 ? 0 : val[(unsigned char)s[i + 3]];
        if (a < 0 || b < 0 || c2 < 0 || c3 < 0 || (pad2 && !pad3) || ((pad2 || pad3) && i + 4 != n))
            return -1;
        uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c2 << 6 | (uint32_t)c3;
        tm_buf_addc(out, (char)(v >> 16));
        if (!pad2)
            tm_buf_addc(out, (char)(v >> 8 & 255));
        if (!pad3)
            tm_buf_addc(out, (char)(v & 255));
    }
    return 0;
}

typedef struct shard {
    const char *path;
    uint32_t index, of;
    char *now, *root;
    tm_rule *rules;
    size_t nrules;
    tm_file *files;
    char **cfg;                  /* per file: its configuration's path, or NULL */
    size_t nfiles;
    tm_findings findings;
    tm_diags diags;
    uint32_t *phase;             /* per diag */
    char **uri;                  /* per diag: 'r' or 'a' and its URI, or NULL */
    char **origin;               /* per rule: a team rule's configuration, or NULL */
    unsigned char *taken;        /* per rule: moved into the merge */
    tm_unmodeled *unmodeled;
    size_t nunmodeled;
    uint32_t *map;               /* per file: its index in the merge */
    uint32_t *rmap;              /* per rule: its index in the merge */
    size_t first;                /* the merge index of its first model (shards order their notes by it) */
} shard;

static char **get_strs(tm_wire_reader *r, size_t *n)
{
    uint32_t k = tm_wire_get_u32(r);
    if (r->bad || k > r->left / 4) {
        r->bad = 1;
        *n = 0;
        return NULL;
    }
    char **v = tm_xcalloc(k ? k : 1, sizeof *v);
    for (uint32_t i = 0; i < k; i++)
        v[i] = tm_wire_get_str(r);
    *n = k;
    return v;
}

/* A count of records each at least `min` bytes long: never more than what is left. */
static uint32_t get_count(tm_wire_reader *r, size_t min)
{
    uint32_t n = tm_wire_get_u32(r);
    if (r->bad || n > r->left / min) {
        r->bad = 1;
        return 0;
    }
    return n;
}

static char *dup_or_empty(char *s)
{
    return s ? s : tm_xstrdup("");
}

static int get_state(shard *s, tm_wire_reader *r, tm_diags *d)
{
    char *magic = tm_wire_get_str(r), *version = tm_wire_get_str(r);
    int ok = magic && !strcmp(magic, SHARD_MAGIC);
    int same = ok && version && !strcmp(version, TMLINT_VERSION);
    if (ok && !same)
        tm_diag_add(d, TM_DIAG_ERROR, s->path, 0, 0, NULL, "written by tmlint %s; this is tmlint %s: audit every shard"
                    " and merge them with one version", version ? version : "?", TMLINT_VERSION);
    free(magic);
    free(version);
    if (!same)
        return ok ? -1 : tm_diag_add(d, TM_DIAG_ERROR, s->path, 0, 0, NULL, "the shard's state is damaged");
    s->index = tm_wire_get_u32(r);
    s->of = tm_wire_get_u32(r);
    s->now = tm_wire_get_str(r);
    s->root = tm_wire_get_str(r);
    s->nrules = get_count(r, 40);
    s->rules = tm_xcalloc(s->nrules ? s->nrules : 1, sizeof *s->rules);
    s->origin = tm_xcalloc(s->nrules ? s->nrules : 1, sizeof *s->origin);
    s->taken = tm_xcalloc(s->nrules ? s->nrules : 1, 1);
    for (size_t i = 0; i < s->nrules && !r->bad; i++) {
        tm_rule *x = &s->rules[i];
        x->id = dup_or_empty(tm_wire_get_str(r));
        x->name = dup_or_empty(tm_wire_get_str(r));
        x->summary = dup_or_empty(tm_wire_get_str(r));
        x->help = dup_or_empty(tm_wire_get_str(r));
        x->message = tm_wire_get_str(r);
        x->path = tm_wire_get_str(r);
        x->meta = get_strs(r, &x->nmeta);
        x->needs = get_strs(r, &x->nneeds);
        x->reads_ci = (int)tm_wire_get_u32(r);
        uint32_t lv = tm_wire_get_u32(r), ef = tm_wire_get_u32(r);
        x->level = lv <= TM_LEVEL_ERROR ? (tm_level)lv : TM_LEVEL_NONE;
        x->effective = ef <= TM_LEVEL_ERROR ? (tm_level)ef : TM_LEVEL_NONE;
        x->ref = -2;   /* LUA_NOREF: never run */
        s->origin[i] = tm_wire_get_str(r);
    }
    s->nfiles = get_count(r, 100);
    s->files = tm_xcalloc(s->nfiles ? s->nfiles : 1, sizeof *s->files);
    s->cfg = tm_xcalloc(s->nfiles ? s->nfiles : 1, sizeof *s->cfg);
    for (size_t i = 0; i < s->nfiles && !r->bad; i++) {
        tm_file *f = &s->files[i];
        f->path = dup_or_empty(tm_wire_get_str(r));
        f->uri = dup_or_empty(tm_wire_get_str(r));
        f->relative = (int)tm_wire_get_u32(r);
        f->identity = tm_wire_get_str(r);
        f->web = tm_wire_get_str(r);
        f->run_root = tm_wire_get_str(r);
        f->run_uri = tm_wire_get_str(r);
        f->run_rel = (int)tm_wire_get_u32(r);
        f->arg = tm_wire_get_u32(r);
        f->failed = (int)tm_wire_get_u32(r);
        f->rule_failed = (int)tm_wire_get_u32(r);
        f->baseline_only = (int)tm_wire_get_u32(r);
        f->part_of = tm_wire_get_u32(r);
        s->cfg[i] = tm_wire_get_str(r);
        char *naf = tm_wire_get_str(r);
        snprintf(f->na_format, sizeof f->na_format, "%s", naf ? naf : "");
        free(naf);
        f->nna = get_count(r, 4);
        f->na = f->nna ? tm_xcalloc(f->nna, sizeof *f->na) : NULL;
        for (size_t j = 0; j < f->nna; j++) {
            f->na[j] = tm_wire_get_u32(r);
            r->bad |= f->na[j] >= s->nrules;
        }
        f->stats.models = (int)tm_wire_get_u32(r);
        uint32_t *nums[] = {&f->stats.threats, &f->stats.mitigated, &f->stats.accepted, &f->stats.essentials,
                            &f->stats.with_criteria, &f->stats.claimed, &f->stats.meta_checked,
                            &f->stats.meta_observable, &f->stats.rules_off, &f->stats.rules_builtin,
                            &f->stats.ci_cannot_fail, &f->stats.counts[0], &f->stats.counts[1],
                            &f->stats.counts[2], &f->stats.counts[3]};
        for (size_t j = 0; j < sizeof nums / sizeof *nums; j++)
            *nums[j] = tm_wire_get_u32(r);
        char *own = tm_wire_get_str(r), *rev = tm_wire_get_str(r), *fmt = tm_wire_get_str(r);
        snprintf(f->stats.owner, sizeof f->stats.owner, "%s", own ? own : "");
        snprintf(f->stats.reviewed, sizeof f->stats.reviewed, "%s", rev ? rev : "");
        snprintf(f->stats.format, sizeof f->stats.format, "%s", fmt ? fmt : "");
        free(own);
        free(rev);
        free(fmt);
        if (tm_audit_wire_get_leads(r, f) != 0)
            r->bad = 1;
        r->bad |= f->part_of > s->nfiles;
    }
    uint32_t nf = get_count(r, 40);
    for (uint32_t i = 0; i < nf && !r->bad; i++) {
        uint32_t file = tm_wire_get_u32(r), base = tm_wire_get_u32(r);
        tm_finding *x = tm_wire_get_finding(r, &s->findings, (uint32_t)s->nrules);
        if (!x || file >= s->nfiles || base > 4) {
            r->bad = 1;
            break;
        }
        x->file = file;
        x->baseline = (int)base;
    }
    uint32_t nd = get_count(r, 20);
    s->phase = tm_xcalloc(nd ? nd : 1, sizeof *s->phase);
    s->uri = tm_xcalloc(nd ? nd : 1, sizeof *s->uri);
    for (uint32_t i = 0; i < nd && !r->bad; i++) {
        uint32_t ph = tm_wire_get_u32(r);
        if (tm_wire_get_diag(r, &s->diags) != 0 || ph > 2) {
            r->bad = 1;
            break;
        }
        s->phase[i] = ph;
        s->uri[i] = tm_wire_get_str(r);
        if (s->uri[i] && s->uri[i][0] != 'r' && s->uri[i][0] != 'a')
            r->bad = 1;
    }
    s->nunmodeled = get_count(r, 44);
    s->unmodeled = tm_xcalloc(s->nunmodeled ? s->nunmodeled : 1, sizeof *s->unmodeled);
    for (size_t i = 0; i < s->nunmodeled && !r->bad; i++) {
        tm_unmodeled *u = &s->unmodeled[i];
        u->path = dup_or_empty(tm_wire_get_str(r));
        u->real = tm_wire_get_str(r);
        u->files = (size_t)tm_wire_get_u64(r);
        u->code = (size_t)tm_wire_get_u64(r);
        u->commits = (size_t)tm_wire_get_u64(r);
        u->more_files = (int)tm_wire_get_u32(r);
        u->more_commits = (int)tm_wire_get_u32(r);
        u->no_history = (int)tm_wire_get_u32(r);
    }
    if (r->bad || r->left || !s->now || strlen(s->now) != 10 || !s->root || !s->of || !s->index || s->index > s->of)
        return tm_diag_add(d, TM_DIAG_ERROR, s->path, 0, 0, NULL, "the shard's state is damaged");
    return 0;
}

static void shard_free(shard *s)
{
    free(s->now);
    free(s->root);
    for (size_t i = 0; i < s->nrules; i++) {
        if (!s->taken || !s->taken[i])
            tm_rule_free_fields(&s->rules[i]);
        free(s->origin ? s->origin[i] : NULL);
    }
    free(s->rules);
    free(s->origin);
    free(s->taken);
    for (size_t i = 0; i < s->nfiles; i++) {
        tm_file *f = &s->files[i];
        free(f->path); free(f->uri); free(f->identity); free(f->web); free(f->run_root); free(f->run_uri);
        free(f->na);
        tm_lead_free(f->stats.lead, f->stats.nlead);
        free(s->cfg[i]);
    }
    free(s->files);
    free(s->cfg);
    tm_fnd_free(&s->findings);
    for (size_t i = 0; i < s->diags.n; i++)
        free(s->uri[i]);
    tm_diags_free(&s->diags);
    free(s->phase);
    free(s->uri);
    tm_unmodeled_free(s->unmodeled, s->nunmodeled);
    free(s->map);
    free(s->rmap);
}

/* Reads one shard's JSON: the state in its "shard" member. */
static int load(tm_ctx *c, shard *s)
{
    tm_docs docs;
    if (tm_yaml_load_output_file(s->path, &docs, &c->diags) != 0)
        return -1;
    const tm_doc *d = docs.n ? docs.v[0] : NULL;
    uint32_t sh = d && d->root != TM_NONE && d->nodes[d->root].type == TM_NODE_MAP
                      ? tm_node_get(d, d->root, "shard", 5, NULL) : TM_NONE;
    const char *state = sh != TM_NONE ? tm_node_scalar(d, sh, "state") : NULL;
    if (!state) {
        tm_docs_free(&docs);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, s->path, 0, 0, NULL,
                           "not a shard's output: merge the --format json of `tmlint audit --shard I/N`");
    }
    tm_buf raw;
    tm_buf_init(&raw);
    int rc = unb64(state, &raw);
    tm_docs_free(&docs);
    if (rc != 0) {
        tm_buf_free(&raw);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, s->path, 0, 0, NULL, "the shard's state is damaged");
    }
    tm_wire_reader sum = {(const unsigned char *)raw.p + (raw.len >= 8 ? raw.len - 8 : 0), raw.len >= 8 ? 8 : 0, 0};
    if (raw.len < 8 || tm_wire_get_u64(&sum) != fnv(raw.p, raw.len - 8)) {
        tm_buf_free(&raw);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, s->path, 0, 0, NULL, "the shard's state is damaged");
    }
    tm_wire_reader r = {(const unsigned char *)raw.p, raw.len - 8, 0};
    rc = get_state(s, &r, &c->diags);
    tm_buf_free(&raw);
    return rc;
}

/* The order a walk reaches files in: by the command-line path, then depth
 * first in name order (a '/' sorts before any character of a name). */
static int walk_cmp(uint32_t arg_a, const char *a, uint32_t arg_b, const char *b)
{
    if (arg_a != arg_b)
        return arg_a < arg_b ? -1 : 1;
    for (;; a++, b++) {
        unsigned char x = *a == '/' ? 1 : (unsigned char)*a, y = *b == '/' ? 1 : (unsigned char)*b;
        if (x != y || !x)
            return x < y ? -1 : x > y;
    }
}

typedef struct ref {
    shard *s;
    size_t i;
} ref;

static int model_cmp(const void *pa, const void *pb)
{
    const ref *a = pa, *b = pb;
    const tm_file *x = &a->s->files[a->i], *y = &b->s->files[b->i];
    int r = walk_cmp(x->arg, x->path, y->arg, y->path);
    if (r)
        return r;
    return a->s->index != b->s->index ? (a->s->index < b->s->index ? -1 : 1) : (a->i > b->i) - (a->i < b->i);
}

typedef struct dref {
    shard *s;
    size_t i;
    size_t key;                  /* the merge index of its file, or of its shard's first model */
    size_t seq;
} dref;

static int diag_cmp(const void *pa, const void *pb)
{
    const dref *a = pa, *b = pb;
    if (a->s->phase[a->i] != b->s->phase[b->i])
        return a->s->phase[a->i] < b->s->phase[b->i] ? -1 : 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static int unmodeled_cmp(const void *a, const void *b)
{
    return strcmp(((const tm_unmodeled *)a)->path, ((const tm_unmodeled *)b)->path);
}

/* Moves a shard's file into the merge (its strings change owner). */
static void take_file(tm_ctx *c, shard *s, size_t i)
{
    s->map[i] = (uint32_t)c->nfiles;
    c->files[c->nfiles] = s->files[i];
    memset(&s->files[i], 0, sizeof s->files[i]);
    tm_file *f = &c->files[c->nfiles++];
    if (f->part_of)
        f->part_of = s->map[f->part_of - 1] + 1;
    for (size_t j = 0; j < f->nna; j++)
        f->na[j] = s->rmap[f->na[j]];
}

static int build(tm_ctx *c, shard *sh, size_t n)
{
    /* the rules: every shard ran the same ones; a team's come with its repositories */
    shard *s0 = &sh[0];
    for (size_t k = 0; k < n; k++) {
        size_t base = 0;
        while (base < sh[k].nrules && !sh[k].origin[base])
            base++;
        size_t base0 = 0;
        while (base0 < s0->nrules && !s0->origin[base0])
            base0++;
        int same = base == base0 && !strcmp(sh[k].now, s0->now);
        for (size_t i = 0; same && i < base; i++)
            same = !strcmp(sh[k].rules[i].id, s0->rules[i].id) && sh[k].rules[i].effective == s0->rules[i].effective;
        if (!same)
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, sh[k].path, 0, 0, NULL,
                               "this shard ran other rules, settings or --now than %s: audit every shard with the"
                               " same options", s0->path);
    }
    /* the files: the models in the walk's order, then the files they include */
    size_t nmodels = 0, total = 0;
    for (size_t k = 0; k < n; k++) {
        sh[k].map = tm_xcalloc(sh[k].nfiles ? sh[k].nfiles : 1, sizeof *sh[k].map);
        sh[k].rmap = tm_xcalloc(sh[k].nrules ? sh[k].nrules : 1, sizeof *sh[k].rmap);
        for (size_t i = 0; i < sh[k].nfiles; i++)
            nmodels += !sh[k].files[i].part_of;
        total += sh[k].nfiles;
    }
    ref *models = tm_xcalloc(nmodels ? nmodels : 1, sizeof *models);
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < sh[k].nfiles; i++)
            if (!sh[k].files[i].part_of)
                models[m++] = (ref){&sh[k], i};
    qsort(models, nmodels, sizeof *models, model_cmp);
    for (size_t k = 0; k < n; k++)
        sh[k].first = SIZE_MAX;
    for (size_t i = 0; i < nmodels; i++)
        if (models[i].s->first == SIZE_MAX)
            models[i].s->first = i;
    /* rules: the run's own in order, then each team's, ordered by the first
     * model its configuration governs (the order configurations are met) */
    size_t base = 0;
    while (base < s0->nrules && !s0->origin[base])
        base++;
    size_t cap = base + 16;
    c->rules = tm_xcalloc(cap, sizeof *c->rules);
    ref *home = tm_xcalloc(cap, sizeof *home);   /* a team rule's first model, for its run's rule table */
    c->nrules = 0;
    for (size_t i = 0; i < base; i++) {
        c->rules[c->nrules++] = s0->rules[i];
        s0->taken[i] = 1;
    }
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < sh[k].nrules; i++)
            sh[k].rmap[i] = i < base ? (uint32_t)i : UINT32_MAX;
    tm_strmap team;   /* "configuration\nrule id" -> 1 + its index in the merge */
    tm_strmap_init(&team);
    for (size_t mi = 0; mi < nmodels; mi++) {
        shard *s = models[mi].s;
        const char *cfg = s->cfg[models[mi].i];
        for (size_t i = base; cfg && i < s->nrules; i++) {
            if (!s->origin[i] || strcmp(s->origin[i], cfg))
                continue;
            tm_buf key;
            tm_buf_init(&key);
            tm_buf_printf(&key, "%s\n%s", cfg, s->rules[i].id);
            if (!tm_strmap_get(&team, key.p)) {
                if (c->nrules == cap) {
                    cap *= 2;
                    c->rules = tm_xrealloc(c->rules, cap * sizeof *c->rules);
                    home = tm_xrealloc(home, cap * sizeof *home);
                }
                home[c->nrules] = models[mi];
                tm_strmap_put(&team, key.p, (void *)(uintptr_t)(c->nrules + 1));
                c->rules[c->nrules++] = s->rules[i];
                s->taken[i] = 1;
            }
            tm_buf_free(&key);
        }
    }
    for (size_t k = 0; k < n; k++)
        for (size_t i = base; i < sh[k].nrules; i++) {
            if (!sh[k].origin[i])
                continue;
            tm_buf key;
            tm_buf_init(&key);
            tm_buf_printf(&key, "%s\n%s", sh[k].origin[i], sh[k].rules[i].id);
            void **slot = tm_strmap_get(&team, key.p);
            tm_buf_free(&key);
            if (slot)
                sh[k].rmap[i] = (uint32_t)((uintptr_t)*slot - 1);
        }
    tm_strmap_free(&team);
    /* every rule a finding or a file names has its place (a team rule of no
     * model's configuration has none: the state was not a run's) */
    int bad = 0;
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < sh[k].findings.n; i++)
            bad |= sh[k].rmap[sh[k].findings.v[i].rule] == UINT32_MAX;
        for (size_t i = 0; i < sh[k].nfiles; i++)
            for (size_t j = 0; j < sh[k].files[i].nna; j++)
                bad |= sh[k].rmap[sh[k].files[i].na[j]] == UINT32_MAX;
    }
    if (bad) {
        free(models);
        free(home);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "a shard's state is damaged (its team rules)");
    }
    c->files = tm_xcalloc(total ? total : 1, sizeof *c->files);
    c->nfiles = 0;
    for (size_t i = 0; i < nmodels; i++)
        take_file(c, models[i].s, models[i].i);
    for (size_t i = 0; i < nmodels; i++) {
        shard *s = models[i].s;
        for (size_t j = 0; j < s->nfiles; j++)
            if (s->files[j].part_of == models[i].i + 1 && s->files[j].path)
                take_file(c, s, j);
    }
    for (size_t i = base; i < c->nrules; i++)
        c->rules[i].home = (uint32_t)home[i].s->map[home[i].i] + 1;
    free(home);
    free(models);
    if (c->nfiles != total)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "a shard's state is damaged (included files)");
    for (size_t i = 0; i < c->nfiles; i++)
        tm_strmap_put(&c->file_uris, c->files[i].uri, (void *)(uintptr_t)(i + 1));
    /* findings, sorted as a run sorts them */
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < sh[k].findings.n; i++) {
            tm_finding *x = &sh[k].findings.v[i];
            tm_finding *y = tm_fnd_add(&c->findings, x->msg);
            uint32_t keep_file = sh[k].map[x->file], keep_rule = sh[k].rmap[x->rule];
            *y = *x;
            y->file = keep_file;
            y->rule = keep_rule;
            memset(x, 0, sizeof *x);
        }
    /* diagnostics: before, during and after the checks, each part in the
     * order of the files they name (else of their shard's first model) */
    size_t nd = 0;
    for (size_t k = 0; k < n; k++)
        nd += sh[k].diags.n;
    dref *dv = tm_xcalloc(nd ? nd : 1, sizeof *dv);
    size_t q = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < sh[k].diags.n; i++) {
            const tm_diag *d = &sh[k].diags.v[i];
            size_t key = sh[k].first;
            for (size_t j = 0; d->file && sh[k].phase[i] == 1 && j < c->nfiles; j++)
                if (!strcmp(c->files[j].path, d->file)) {
                    key = c->files[j].part_of ? c->files[j].part_of - 1 : j;
                    break;
                }
            dv[q] = (dref){&sh[k], i, key, q};
            q++;
        }
    qsort(dv, nd, sizeof *dv, diag_cmp);
    for (size_t i = 0; i < nd; i++) {
        const tm_diag *d = &dv[i].s->diags.v[dv[i].i];
        tm_diag_add(&c->diags, d->sev, d->file, d->line, d->col, d->rule, "%s", d->msg);
        const char *uri = dv[i].s->uri[dv[i].i];
        if (d->file && uri && !tm_strmap_get(&c->diag_uris, d->file))
            tm_strmap_put(&c->diag_uris, d->file, tm_xstrdup(uri));
    }
    free(dv);
    /* repositories without a model, by path as a run sorts them */
    size_t nu = 0;
    for (size_t k = 0; k < n; k++)
        nu += sh[k].nunmodeled;
    c->unmodeled = nu ? tm_xcalloc(nu, sizeof *c->unmodeled) : NULL;
    for (size_t k = 0; k < n && nu; k++) {
        memcpy(c->unmodeled + c->nunmodeled, sh[k].unmodeled, sh[k].nunmodeled * sizeof *c->unmodeled);
        c->nunmodeled += sh[k].nunmodeled;
        sh[k].nunmodeled = 0;
    }
    if (c->nunmodeled > 1)
        qsort(c->unmodeled, c->nunmodeled, sizeof *c->unmodeled, unmodeled_cmp);
    snprintf(c->now, sizeof c->now, "%s", s0->now);
    free(c->root);
    c->root = tm_xstrdup(s0->root);
    return 0;
}

int tm_shard_merge(tm_ctx *c, char *const *paths, size_t n)
{
    shard *sh = tm_xcalloc(n ? n : 1, sizeof *sh);
    int rc = 0;
    for (size_t k = 0; k < n; k++) {
        sh[k].path = paths[k];
        if (load(c, &sh[k]) != 0)
            rc = -1;
    }
    /* every shard of one run, each once */
    for (size_t k = 0; rc == 0 && k < n; k++) {
        if (sh[k].of != sh[0].of)
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, sh[k].path, 0, 0, NULL,
                             "shard %u of %u, but %s is of %u: these are not one run's shards", sh[k].index, sh[k].of,
                             sh[0].path, sh[0].of);
        for (size_t j = 0; rc == 0 && j < k; j++)
            if (sh[j].index == sh[k].index)
                rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, sh[k].path, 0, 0, NULL, "shard %u of %u again (%s is it too)",
                                 sh[k].index, sh[k].of, sh[j].path);
    }
    if (rc == 0 && n && n != sh[0].of) {
        tm_buf miss;
        tm_buf_init(&miss);
        for (uint32_t i = 1; i <= sh[0].of; i++) {
            int have = 0;
            for (size_t k = 0; k < n; k++)
                have |= sh[k].index == i;
            if (!have)
                tm_buf_printf(&miss, "%s%u", miss.len ? ", " : "", i);
        }
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                         "shards missing: %s of %u (a merge of some shards would report their repositories as gone)",
                         miss.p, sh[0].of);
        tm_buf_free(&miss);
    }
    if (rc == 0 && !n)
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "audit --merge takes the shards' JSON files");
    if (rc == 0) {
        /* the run's own rules and files give way to the shards' */
        tm_ctx_free_files(c);
        for (size_t i = 0; i < c->nrules; i++)
            tm_rule_free_fields(&c->rules[i]);
        free(c->rules);
        c->rules = NULL;
        c->nrules = 0;
        rc = build(c, sh, n);
    }
    for (size_t k = 0; k < n; k++)
        shard_free(&sh[k]);
    free(sh);
    if (rc == 0)
        tm_run_sort(c);
    /* as one audit that finds nothing: no report of nothing */
    if (rc == 0 && !c->nfiles && !c->nunmodeled && !tm_diags_count(&c->diags, TM_DIAG_ERROR))
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                         "no shard found a threat model or a repository without one: check the paths the shards"
                         " audited (one audit of them would stop here too)");
    return rc;
}
