/* Builds tm_doc trees from libyaml's event stream. We use events rather than
 * libyaml's document API so that limits are checked as the input arrives:
 * depth when a collection opens, alias expansion size when an alias is
 * used (without ever expanding it), duplicate keys when a mapping closes. */
#include "yaml_load.h"
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct open_coll {
    uint32_t node;
    size_t kid_start;     /* where its kids begin on the kid stack */
} open_coll;

typedef struct anchor {
    char *name;
    uint32_t node;
} anchor;

typedef struct loader {
    const tm_src *src;
    const tm_limits *lim;
    tm_diags *diags;
    tm_doc *doc;
    uint64_t *size;       /* per node: node count with aliases expanded */
    uint8_t *open;        /* per node: collection not yet closed */
    size_t size_cap;
    open_coll *stack;
    size_t depth, stack_cap;
    uint32_t *kstack;     /* kids of open collections */
    size_t nk, kcap;
    anchor *anchors;      /* open addressing, power-of-two capacity */
    size_t nanchors, acap;
    uint64_t total;       /* nodes so far in the file, expanded */
    uint32_t *keytab;     /* scratch hash set for duplicate-key checks */
    size_t keycap;
    int last_is_key;      /* the kid add_kid added last is a mapping's key */
    const tm_yaml_sink *sink;   /* or NULL */
    uint32_t *orig;       /* scratch: a closing mapping's kids before merges */
    size_t orig_cap;
} loader;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void anchors_clear(loader *l)
{
    for (size_t i = 0; i < l->acap; i++)
        free(l->anchors[i].name);
    free(l->anchors);
    l->anchors = NULL;
    l->nanchors = l->acap = 0;
}

static anchor *anchor_slot(anchor *tab, size_t cap, const char *name)
{
    size_t i = hash_bytes(name, strlen(name)) & (cap - 1);
    while (tab[i].name && strcmp(tab[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

static void anchor_set(loader *l, const char *name, uint32_t node)
{
    if ((l->nanchors + 1) * 2 > l->acap) {
        size_t ncap = l->acap ? l->acap * 2 : 16;
        anchor *nt = tm_xcalloc(ncap, sizeof *nt);
        for (size_t i = 0; i < l->acap; i++)
            if (l->anchors[i].name)
                *anchor_slot(nt, ncap, l->anchors[i].name) = l->anchors[i];
        free(l->anchors);
        l->anchors = nt;
        l->acap = ncap;
    }
    anchor *a = anchor_slot(l->anchors, l->acap, name);
    if (!a->name) {
        a->name = tm_xstrdup(name);
        l->nanchors++;
    }
    a->node = node;   /* a redefined anchor refers to the latest node */
}

static const anchor *anchor_get(const loader *l, const char *name)
{
    if (!l->acap)
        return NULL;
    const anchor *a = anchor_slot(l->anchors, l->acap, name);
    return a->name ? a : NULL;
}

static uint32_t new_node(loader *l, tm_node_type type, const yaml_event_t *e)
{
    tm_doc *d = l->doc;
    if (d->n == d->cap) {
        size_t had = d->cap;
        /* from 16: a run keeps a document per configuration, most of a
         * few nodes, and two arrays of 256 each left 40,000 of them at
         * twice the memory (bench/run.sh's walk) once shrunk */
        d->cap = d->cap ? d->cap * 2 : 16;
        d->nodes = tm_xgrow(d->nodes, had * sizeof *d->nodes, d->cap * sizeof *d->nodes);
        d->pos = tm_xgrow(d->pos, had * sizeof *d->pos, d->cap * sizeof *d->pos);
    }
    if (d->n >= l->size_cap) {
        size_t had = l->size_cap;
        l->size_cap = d->cap;
        l->size = tm_xgrow(l->size, had * sizeof *l->size, l->size_cap * sizeof *l->size);
        l->open = tm_xgrow(l->open, had, l->size_cap);
    }
    uint32_t i = d->n++;
    tm_node *n = &d->nodes[i];
    memset(n, 0, sizeof *n);
    n->type = (uint8_t)type;
    /* libyaml marks are 0-based and count characters: exactly what we want +1 */
    d->pos[i] = (tm_pos){(uint32_t)e->start_mark.line + 1, (uint32_t)e->start_mark.column + 1,
                         (uint32_t)e->end_mark.line + 1, (uint32_t)e->end_mark.column + 1, TM_NONE, 0};
    l->size[i] = 1;
    l->open[i] = 0;
    return i;
}

#define fail_at(l, line, col, ...) \
    tm_diag_add((l)->diags, TM_DIAG_ERROR, (l)->src->path, (line), (col), NULL, __VA_ARGS__)

/* Adds `kid` to the innermost open collection (or makes it the root). */
static int add_kid(loader *l, uint32_t kid, uint32_t line, uint32_t col)
{
    tm_doc *d = l->doc;
    /* Every node of the expanded document is counted once: as itself when
     * created, or inside the size of the alias that repeats it. */
    uint64_t add = l->size[kid];
    l->total = (l->total > UINT64_MAX - add) ? UINT64_MAX : l->total + add;
    if (l->total > l->lim->max_nodes) {
        char lim[32];
        snprintf(lim, sizeof lim, "%llu", (unsigned long long)l->lim->max_nodes);
        return fail_at(l, line, col,
                       "file grows past %s nodes, aliases counted in full (--max-nodes)", lim);
    }
    if (l->depth == 0) {
        d->root = kid;
        return 0;
    }
    open_coll *top = &l->stack[l->depth - 1];
    if (l->nk == l->kcap) {
        l->kcap = l->kcap ? l->kcap * 2 : 256;
        l->kstack = tm_xrealloc(l->kstack, l->kcap * sizeof *l->kstack);
    }
    l->kstack[l->nk++] = kid;
    l->last_is_key = d->nodes[top->node].type == TM_NODE_MAP && !((l->nk - 1 - top->kid_start) & 1);
    if (d->pos[kid].parent == TM_NONE && kid != top->node) {
        d->pos[kid].parent = top->node;
        d->pos[kid].pidx = (uint32_t)(l->nk - 1 - top->kid_start);
    }
    return 0;
}

static int check_keys(loader *l, uint32_t map)
{
    tm_doc *d = l->doc;
    tm_node *m = &d->nodes[map];
    uint32_t np = m->len / 2;
    for (uint32_t i = 0; i < np; i++) {
        uint32_t ki = d->kids[m->off + 2 * i];
        const tm_node *k = &d->nodes[ki];
        if (k->type != TM_NODE_SCALAR)
            return fail_at(l, d->pos[ki].line, d->pos[ki].col, "mapping key is a %s, not a scalar",
                           k->type == TM_NODE_MAP ? "mapping" : "sequence");
    }
    if (np < 2)
        return 0;
    /* hash set of key indexes (small maps too: simple and linear) */
    size_t cap = 16;
    while (cap < (size_t)np * 2)
        cap *= 2;
    if (cap > l->keycap) {
        free(l->keytab);
        l->keytab = tm_xmalloc(cap * sizeof *l->keytab);
        l->keycap = cap;
    }
    uint32_t *tab = l->keytab;   /* slots are emptied again below */
    memset(tab, 0xFF, cap * sizeof *tab);
    int rc = 0;
    for (uint32_t i = 0; i < np && rc == 0; i++) {
        uint32_t ki = d->kids[m->off + 2 * i];
        tm_node *k = &d->nodes[ki];
        const char *s = tm_node_str(d, k);
        size_t h = hash_bytes(s, k->len) & (cap - 1);
        while (tab[h] != TM_NONE) {
            tm_node *o = &d->nodes[tab[h]];
            if (o->len == k->len && memcmp(tm_node_str(d, o), s, k->len) == 0) {
                char first[48];
                snprintf(first, sizeof first, "%u:%u", d->pos[tab[h]].line, d->pos[tab[h]].col);
                rc = tm_diag_add(l->diags, TM_DIAG_ERROR, l->src->path, d->pos[ki].line, d->pos[ki].col, NULL,
                                 "duplicate key '%.*s' (first defined at %s)",
                                 (int)(k->len > 80 ? 80 : k->len), s, first);
                break;
            }
            h = (h + 1) & (cap - 1);
        }
        tab[h] = ki;
    }
    return rc;
}

/* A plain `<<` key: YAML's merge key (yaml.org/type/merge), which PyYAML,
 * js-yaml, yq and Go's yaml read and libyaml leaves to its users. */
static int is_merge_key(const tm_doc *d, const tm_node *k)
{
    return k->type == TM_NODE_SCALAR && !(k->flags & (TM_NODE_QUOTED | TM_NODE_STRTAG)) && k->len == 2 &&
           !memcmp(tm_node_str(d, k), "<<", 2);
}

/* Slot of key node `ki` (or the empty slot where it goes) in a set of key
 * node indexes compared by text (open addressing, cap a power of two). */
static size_t key_slot(const tm_doc *d, const uint32_t *tab, size_t cap, uint32_t ki)
{
    const tm_node *k = &d->nodes[ki];
    const char *s = tm_node_str(d, k);
    size_t h = hash_bytes(s, k->len) & (cap - 1);
    while (tab[h] != TM_NONE) {
        const tm_node *o = &d->nodes[tab[h]];
        if (o->len == k->len && memcmp(tm_node_str(d, o), s, k->len) == 0)
            break;
        h = (h + 1) & (cap - 1);
    }
    return h;
}

/* Resolves a merge key in the mapping being closed (its pairs are
 * kstack[top->kid_start..nk)): the pairs of the merged mapping, or of each
 * mapping of a merged list in turn, join it where `<<` stood, except keys
 * it has itself or an earlier merge gave. Merged nodes are shared, as an
 * alias's are; the text of an inline merged mapping is written inside this
 * one, so its pairs are re-parented here. The `<<` pair leaves the tree.
 * The nodes a merge repeats were counted when its alias was. */
static int merge_keys(loader *l, open_coll *top)
{
    tm_doc *d = l->doc;
    uint32_t map = top->node;
    size_t start = top->kid_start, cnt = l->nk - start, at = SIZE_MAX;
    for (size_t i = 0; i + 1 < cnt; i += 2) {
        const tm_node *k = &d->nodes[l->kstack[start + i]];
        if (!is_merge_key(d, k))
            continue;
        if (at != SIZE_MAX)
            return fail_at(l, d->pos[l->kstack[start + i]].line, d->pos[l->kstack[start + i]].col,
                           "duplicate merge key '<<' (one merge takes a list of mappings)");
        at = i;
    }
    if (at == SIZE_MAX)
        return 0;
    uint32_t mk = l->kstack[start + at], mv = l->kstack[start + at + 1];
    const tm_node *v = &d->nodes[mv];
    /* the mappings to merge, in order */
    uint32_t one = mv;
    const uint32_t *srcs = &one;
    uint32_t nsrc = 1;
    if (v->type == TM_NODE_SEQ) {
        srcs = d->kids + v->off;
        nsrc = v->len;
    }
    size_t extra = 0;
    for (uint32_t j = 0; j < nsrc; j++) {
        const tm_node *m = &d->nodes[srcs[j]];
        if (m->type != TM_NODE_MAP)
            return fail_at(l, d->pos[srcs[j]].line, d->pos[srcs[j]].col,
                           "the merge key '<<' takes a mapping or a list of mappings, not %s",
                           m->type == TM_NODE_SEQ ? "a list" : "a scalar");
        extra += m->len;
    }
    /* a list may name one mapping a million times: what joins is at most
     * one pair per distinct key, so two kids per node of the document */
    if (extra > 2 * (size_t)d->n)
        extra = 2 * (size_t)d->n;
    size_t cap = 16;
    while (cap < (cnt + extra) * 2)
        cap *= 2;
    uint32_t *seen = tm_xmalloc(cap * sizeof *seen);
    memset(seen, 0xFF, cap * sizeof *seen);
    for (size_t i = 0; i + 1 < cnt; i += 2)   /* its own keys win */
        if (i != at) {
            uint32_t ki = l->kstack[start + i];
            seen[key_slot(d, seen, cap, ki)] = ki;
        }
    uint32_t *out = tm_xmalloc((cnt + extra) * sizeof *out);
    size_t n = 0;
    for (size_t i = 0; i + 1 < cnt; i += 2) {
        if (i != at) {
            out[n++] = l->kstack[start + i];
            out[n++] = l->kstack[start + i + 1];
            continue;
        }
        for (uint32_t j = 0; j < nsrc; j++) {
            const tm_node *m = &d->nodes[srcs[j]];
            /* written here (not an alias): its pairs now live in this mapping */
            uint32_t mp = d->pos[srcs[j]].parent;
            int inline_map = mp == map || (mp == mv && v->type == TM_NODE_SEQ && d->pos[mv].parent == map);
            for (uint32_t p = 0; p + 1 < m->len; p += 2) {
                uint32_t ki = d->kids[m->off + p], vi = d->kids[m->off + p + 1];
                size_t slot = key_slot(d, seen, cap, ki);
                if (seen[slot] != TM_NONE)
                    continue;
                seen[slot] = ki;
                if (inline_map && d->pos[ki].parent == srcs[j]) {
                    d->pos[ki].parent = map;
                    if (d->pos[vi].parent == srcs[j])
                        d->pos[vi].parent = map;
                }
                out[n++] = ki;
                out[n++] = vi;
            }
        }
    }
    free(seen);
    /* the `<<` pair and an inline merged list or mapping are in no mapping now */
    d->pos[mk].parent = TM_NONE;
    if (d->pos[mv].parent == map)
        d->pos[mv].parent = TM_NONE;
    if (start + n > l->kcap) {
        while (start + n > l->kcap)
            l->kcap *= 2;
        l->kstack = tm_xrealloc(l->kstack, l->kcap * sizeof *l->kstack);
    }
    memcpy(l->kstack + start, out, n * sizeof *out);
    free(out);
    l->nk = start + n;
    for (size_t i = n; i-- > 0;)   /* positions among the kids moved (a node twice: its first) */
        if (d->pos[l->kstack[start + i]].parent == map)
            d->pos[l->kstack[start + i]].pidx = (uint32_t)i;
    return 0;
}

static int open_coll_push(loader *l, tm_node_type type, const yaml_event_t *e, const yaml_char_t *anch)
{
    if (l->depth >= l->lim->max_depth) {
        char lim[16];
        snprintf(lim, sizeof lim, "%u", l->lim->max_depth);
        return fail_at(l, (uint32_t)e->start_mark.line + 1, (uint32_t)e->start_mark.column + 1,
                       "nesting deeper than %s levels (--max-depth)", lim);
    }
    uint32_t i = new_node(l, type, e);
    if (anch) {
        l->doc->nodes[i].flags |= TM_NODE_ANCHOR;
        anchor_set(l, (const char *)anch, i);
    }
    l->open[i] = 1;
    int rc = add_kid(l, i, l->doc->pos[i].line, l->doc->pos[i].col);
    if (rc)
        return rc;
    if (l->depth == l->stack_cap) {
        l->stack_cap = l->stack_cap ? l->stack_cap * 2 : 32;
        l->stack = tm_xrealloc(l->stack, l->stack_cap * sizeof *l->stack);
    }
    l->stack[l->depth].node = i;
    l->stack[l->depth].kid_start = l->nk;
    l->depth++;
    if (l->sink)
        l->sink->open(l->sink->ud, l->doc, i);
    return 0;
}

/* For the sink: the key of the top-level list that node i is an item of
 * (the top-level mapping is still open, its kids on the kid stack). */
static uint32_t list_key_of(const loader *l, uint32_t i)
{
    const tm_doc *d = l->doc;
    uint32_t p = d->pos[i].parent;
    if (p == TM_NONE || d->nodes[p].type != TM_NODE_SEQ || d->root == TM_NONE || d->pos[p].parent != d->root ||
        !(d->pos[p].pidx & 1u) || !l->depth || l->stack[0].node != d->root ||
        d->nodes[d->root].type != TM_NODE_MAP)
        return TM_NONE;
    size_t at = l->stack[0].kid_start + d->pos[p].pidx - 1;
    return at < l->nk ? l->kstack[at] : TM_NONE;
}

static int close_coll(loader *l, const yaml_event_t *e)
{
    tm_doc *d = l->doc;
    open_coll *top = &l->stack[--l->depth];
    size_t norig = l->nk - top->kid_start;
    if (l->sink && d->nodes[top->node].type == TM_NODE_MAP) {
        if (norig > l->orig_cap) {
            l->orig_cap = norig * 2;
            free(l->orig);
            l->orig = tm_xmalloc(l->orig_cap * sizeof *l->orig);
        }
        if (norig)
            memcpy(l->orig, l->kstack + top->kid_start, norig * sizeof *l->orig);
    }
    if (d->nodes[top->node].type == TM_NODE_MAP) {
        int rc = merge_keys(l, top);
        if (rc)
            return rc;
    }
    tm_node *n = &d->nodes[top->node];
    size_t cnt = l->nk - top->kid_start;
    if (d->nkids + cnt > d->kcap) {
        size_t had = d->kcap * sizeof *d->kids;
        while (d->nkids + cnt > d->kcap)
            d->kcap = d->kcap ? d->kcap * 2 : 256;
        d->kids = tm_xgrow(d->kids, had, d->kcap * sizeof *d->kids);
    }
    if (cnt)   /* an empty collection may meet a kids array not yet allocated */
        memcpy(d->kids + d->nkids, l->kstack + top->kid_start, cnt * sizeof *d->kids);
    n->off = (uint32_t)d->nkids;
    n->len = (uint32_t)cnt;
    d->pos[top->node].end_line = (uint32_t)e->end_mark.line + 1;
    d->pos[top->node].end_col = (uint32_t)e->end_mark.column + 1;
    uint64_t size = 1;
    for (size_t i = 0; i < cnt; i++) {
        uint64_t k = l->size[d->kids[d->nkids + i]];
        size = (size > UINT64_MAX - k) ? UINT64_MAX : size + k;
    }
    l->size[top->node] = size;
    d->nkids += cnt;
    l->nk = top->kid_start;
    l->open[top->node] = 0;
    if (n->type == TM_NODE_MAP) {
        int rc = check_keys(l, top->node);
        if (rc)
            return rc;
    }
    if (l->sink) {
        n = &d->nodes[top->node];
        const uint32_t *orig = n->type == TM_NODE_MAP ? l->orig : d->kids + n->off;
        l->sink->close(l->sink->ud, d, top->node, orig, n->type == TM_NODE_MAP ? norig : n->len,
                       list_key_of(l, top->node));
    }
    return 0;
}

static int on_event(loader *l, const yaml_event_t *e)
{
    switch (e->type) {
    case YAML_SCALAR_EVENT: {
        uint32_t i = new_node(l, TM_NODE_SCALAR, e);
        tm_node *n = &l->doc->nodes[i];
        n->off = (uint32_t)l->doc->text.len;
        n->len = (uint32_t)e->data.scalar.length;
        tm_buf_reserve(&l->doc->text, e->data.scalar.length + 1);
        memcpy(l->doc->text.p + l->doc->text.len, e->data.scalar.value, e->data.scalar.length);
        l->doc->text.len += e->data.scalar.length + 1;   /* with its NUL */
        l->doc->text.p[l->doc->text.len - 1] = '\0';
        if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
            n->flags |= TM_NODE_QUOTED;
        if (e->data.scalar.tag && strcmp((const char *)e->data.scalar.tag, YAML_STR_TAG) == 0)
            n->flags |= TM_NODE_STRTAG;
        if (e->data.scalar.anchor) {
            n->flags |= TM_NODE_ANCHOR;
            anchor_set(l, (const char *)e->data.scalar.anchor, i);
        }
        int rc = add_kid(l, i, l->doc->pos[i].line, l->doc->pos[i].col);
        if (rc == 0 && l->sink)
            l->sink->scalar(l->sink->ud, l->doc, i, l->depth && l->last_is_key);
        return rc;
    }
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)e->data.alias.anchor;
        uint32_t line = (uint32_t)e->start_mark.line + 1, col = (uint32_t)e->start_mark.column + 1;
        const anchor *a = anchor_get(l, name);
        if (!a)
            return fail_at(l, line, col, "alias '*%s' names no anchor defined before it", name);
        if (l->open[a->node])
            return fail_at(l, line, col, "alias '*%s' refers to a node that contains it", name);
        int rc = add_kid(l, a->node, line, col);
        if (rc == 0 && l->sink)
            l->sink->alias(l->sink->ud, l->doc, a->node, l->depth && l->last_is_key);
        return rc;
    }
    case YAML_SEQUENCE_START_EVENT:
        return open_coll_push(l, TM_NODE_SEQ, e, e->data.sequence_start.anchor);
    case YAML_MAPPING_START_EVENT:
        return open_coll_push(l, TM_NODE_MAP, e, e->data.mapping_start.anchor);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return close_coll(l, e);
    default:
        return 0;
    }
}

/* The byte at 1-based line and code-point column of the source, or 0. */
static unsigned char byte_at(const tm_src *s, uint32_t line, uint32_t col)
{
    size_t i = 0;
    for (uint32_t l = 1; l < line; l++) {
        while (i < s->len && s->data[i] != '\n' && s->data[i] != '\r')
            i++;
        if (i < s->len && s->data[i] == '\r' && i + 1 < s->len && s->data[i + 1] == '\n')
            i++;
        if (i++ >= s->len)
            return 0;
    }
    for (uint32_t c = 1; c < col && i < s->len; c++)
        for (i++; i < s->len && ((unsigned char)s->data[i] & 0xC0) == 0x80; i++)
            ;
    return i < s->len ? (unsigned char)s->data[i] : 0;
}

static int yaml_error(loader *l, yaml_parser_t *p)
{
    uint32_t line = (uint32_t)p->problem_mark.line + 1, col = (uint32_t)p->problem_mark.column + 1;
    if (p->error == YAML_READER_ERROR)  /* reader errors carry a byte offset only */
        tm_src_pos(l->src, p->problem_offset, &line, &col);
    const char *what = p->problem ? p->problem : "malformed input";
    /* libyaml names a tab only in some of its messages; a file indented
     * with tabs is the most common way to get "cannot start any token" */
    const char *hint = !strstr(what, "tab") && byte_at(l->src, line, col) == '\t'
                           ? "; it is a tab, and YAML indents with spaces only" : "";
    if (p->context)
        return tm_diag_add(l->diags, TM_DIAG_ERROR, l->src->path, line, col, NULL,
                           "invalid YAML: %s (%s at %zu:%zu)%s", what, p->context,
                           p->context_mark.line + 1, p->context_mark.column + 1, hint);
    return tm_diag_add(l->diags, TM_DIAG_ERROR, l->src->path, line, col, NULL, "invalid YAML: %s%s", what, hint);
}

void tm_docs_free(tm_docs *docs)
{
    for (size_t i = 0; i < docs->n; i++) {
        tm_doc_free(docs->v[i]);
        free(docs->v[i]);
    }
    free(docs->v);
    docs->v = NULL;
    docs->n = 0;
}

int tm_yaml_load(const tm_src *src, const tm_limits *lim, tm_docs *out, tm_diags *diags)
{
    return tm_yaml_load_with(src, lim, out, diags, NULL);
}

int tm_yaml_load_with(const tm_src *src, const tm_limits *lim, tm_docs *out, tm_diags *diags,
                      const tm_yaml_sink *sink)
{
    loader l;
    memset(&l, 0, sizeof l);
    l.sink = sink;
    l.src = src;
    l.lim = lim;
    l.diags = diags;
    out->v = NULL;
    out->n = 0;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return tm_diag_add(diags, TM_DIAG_ERROR, src->path, 0, 0, NULL, "cannot initialise the YAML parser");
    yaml_parser_set_input_string(&p, (const unsigned char *)src->data, src->len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    int rc = 0, done = 0;
    while (!done && rc == 0) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            rc = yaml_error(&l, &p);
            break;
        }
        switch (e.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (l.lim->max_documents && out->n >= l.lim->max_documents) {
                rc = fail_at(&l, (uint32_t)e.start_mark.line + 1, (uint32_t)e.start_mark.column + 1,
                             "more than %u YAML documents in one file (--max-documents)", l.lim->max_documents);
                break;
            }
            l.doc = tm_xcalloc(1, sizeof *l.doc);
            l.doc->file = tm_xstrdup(src->path);
            l.doc->index = (unsigned)out->n;
            l.doc->root = TM_NONE;
            tm_buf_init(&l.doc->text);
            out->v = tm_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
            out->v[out->n++] = l.doc;
            anchors_clear(&l);  /* anchors do not cross documents; the node count does */
            if (sink)
                sink->doc_begin(sink->ud, l.doc);
            break;
        case YAML_DOCUMENT_END_EVENT:
            /* give back the growth slack: a run may keep thousands of
             * small documents (one per .tmlint.yaml) */
            if (l.doc && l.doc->n && l.doc->n < l.doc->cap) {
                l.doc->nodes = tm_xrealloc(l.doc->nodes, l.doc->n * sizeof *l.doc->nodes);
                l.doc->pos = tm_xrealloc(l.doc->pos, l.doc->n * sizeof *l.doc->pos);
                l.doc->cap = l.doc->n;
            }
            if (l.doc && l.doc->nkids && l.doc->nkids < l.doc->kcap) {
                l.doc->kids = tm_xrealloc(l.doc->kids, l.doc->nkids * sizeof *l.doc->kids);
                l.doc->kcap = l.doc->nkids;
            }
            /* ... but keep TM_TEXT_PAD zeroed bytes after the last scalar:
             * PCRE2's JIT reads ahead of a subject's end (tm.scan matches
             * the scalars in place) */
            if (l.doc && l.doc->text.p) {
                l.doc->text.p = tm_xrealloc(l.doc->text.p, l.doc->text.len + TM_TEXT_PAD);
                l.doc->text.cap = l.doc->text.len + TM_TEXT_PAD;
                memset(l.doc->text.p + l.doc->text.len, 0, TM_TEXT_PAD);
            }
            if (l.doc && sink)
                sink->doc_end(sink->ud, l.doc);
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            if (l.doc)
                rc = on_event(&l, &e);
            break;
        }
        yaml_event_delete(&e);
    }
    yaml_parser_delete(&p);
    anchors_clear(&l);
    free(l.size);
    free(l.open);
    free(l.stack);
    free(l.kstack);
    free(l.keytab);
    free(l.orig);
    if (rc != 0)
        tm_docs_free(out);
    return rc;
}

uint32_t tm_node_get(const tm_doc *d, uint32_t map, const char *key, size_t klen, uint32_t *key_out)
{
    if (map == TM_NONE || d->nodes[map].type != TM_NODE_MAP)
        return TM_NONE;
    const tm_node *m = &d->nodes[map];
    for (uint32_t i = 0; i + 1 < m->len; i += 2) {
        const tm_node *k = &d->nodes[d->kids[m->off + i]];
        if (k->len == klen && memcmp(tm_node_str(d, k), key, klen) == 0) {
            if (key_out)
                *key_out = d->kids[m->off + i];
            return d->kids[m->off + i + 1];
        }
    }
    return TM_NONE;
}

int tm_node_is_null(const tm_doc *d, const tm_node *n)
{
    if (n->type != TM_NODE_SCALAR || (n->flags & (TM_NODE_QUOTED | TM_NODE_STRTAG)))
        return 0;
    const char *s = tm_node_str(d, n);
    if (n->len == 0)
        return 1;
    if (s[0] != '~' && s[0] != 'n' && s[0] != 'N')
        return 0;
    return strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
           strcmp(s, "NULL") == 0;
}

void tm_doc_free(tm_doc *d)
{
    if (!d)
        return;
    free(d->file);
    free(d->nodes);
    free(d->pos);
    free(d->kids);
    tm_buf_free(&d->text);
    free(d->parts);
    for (size_t i = 0; i < d->nci; i++)
        free(d->ci[i].rel);
    free(d->ci);
}

int tm_yaml_load_output_file(const char *path, tm_docs *out, tm_diags *d)
{
    memset(out, 0, sizeof *out);
    tm_src src;
    tm_limits lim = {TM_DEFAULT_MAX_DEPTH, 100000000ull, (size_t)1 << 30, 1};
    if (tm_src_read(&src, path, lim.max_file_size, d) != 0) {
        tm_src_free(&src);
        return -1;
    }
    int rc = tm_yaml_load(&src, &lim, out, d);
    tm_src_free(&src);
    return rc;
}

const char *tm_node_scalar(const tm_doc *d, uint32_t map, const char *key)
{
    if (map == TM_NONE || d->nodes[map].type != TM_NODE_MAP)
        return NULL;
    uint32_t v = tm_node_get(d, map, key, strlen(key), NULL);
    return v != TM_NONE && d->nodes[v].type == TM_NODE_SCALAR ? tm_node_str(d, &d->nodes[v]) : NULL;
}
