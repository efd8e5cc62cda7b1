#include "include.h"
#include "repo.h"
#include "source.h"
#include "walk.h"
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_INCLUDE_DEPTH 16
#define MAX_INCLUDED 256

typedef struct inc_state {
    tm_ctx *c;
    uint32_t fi;             /* the main file */
    tm_doc *doc;             /* the main file's tree, which grows */
    char *fence;             /* absolute directory nothing may be read outside of, with '/' */
    char *chain[MAX_INCLUDE_DEPTH + 1];   /* real paths being included, for loops */
    int depth;
    char **seen;             /* real paths already read: each is read once */
    size_t nseen;
} inc_state;

static const char *node_text(const tm_doc *d, uint32_t i)
{
    return tm_node_str(d, &d->nodes[i]);
}

/* Copies the nodes, kids and text of `f` after those of `d`; returns the
 * new index of f's root. */
static uint32_t graft(tm_doc *d, const tm_doc *f)
{
    uint32_t nb = d->n;
    size_t kb = d->nkids, tb = d->text.len;
    tm_buf_add(&d->text, f->text.p ? f->text.p : "", f->text.len);
    tm_buf_reserve(&d->text, TM_TEXT_PAD);   /* zeroed bytes after the text, as the loader leaves them */
    memset(d->text.p + d->text.len, 0, TM_TEXT_PAD);
    if (d->nkids + f->nkids > d->kcap) {
        d->kcap = d->nkids + f->nkids + 64;
        d->kids = tm_xrealloc(d->kids, d->kcap * sizeof *d->kids);
    }
    for (size_t i = 0; i < f->nkids; i++)
        d->kids[d->nkids++] = f->kids[i] + nb;
    if (d->n + f->n > d->cap) {
        d->cap = d->n + f->n + 64;
        d->nodes = tm_xrealloc(d->nodes, d->cap * sizeof *d->nodes);
        d->pos = tm_xrealloc(d->pos, d->cap * sizeof *d->pos);
    }
    for (uint32_t i = 0; i < f->n; i++) {
        tm_node n = f->nodes[i];
        tm_pos p = f->pos[i];
        n.off += n.type == TM_NODE_SCALAR ? (uint32_t)tb : (uint32_t)kb;
        p.parent = p.parent == TM_NONE ? TM_NONE : p.parent + nb;
        d->pos[d->n] = p;
        d->nodes[d->n++] = n;
    }
    return f->root + nb;
}

/* Appends the children of container `from` to container `to` (both in d):
 * the new slice goes to the end of d->kids. */
static void extend(tm_doc *d, uint32_t to, const uint32_t *items_in, uint32_t nitems)
{
    /* items_in may point into d->kids, which may move below */
    uint32_t *items = tm_xmalloc((nitems ? nitems : 1) * sizeof *items);
    memcpy(items, items_in, nitems * sizeof *items);
    tm_node *t = &d->nodes[to];
    size_t need = d->nkids + t->len + nitems;
    if (need > d->kcap) {
        d->kcap = need + 64;
        d->kids = tm_xrealloc(d->kids, d->kcap * sizeof *d->kids);
    }
    uint32_t off = (uint32_t)d->nkids;
    memmove(d->kids + d->nkids, d->kids + t->off, t->len * sizeof *d->kids);
    d->nkids += t->len;
    memcpy(d->kids + d->nkids, items, nitems * sizeof *items);
    d->nkids += nitems;
    t = &d->nodes[to];
    t->off = off;
    t->len += nitems;
    for (uint32_t i = 0; i < t->len; i++) {
        tm_pos *k = &d->pos[d->kids[t->off + i]];
        k->parent = to;
        k->pidx = i;
    }
    free(items);
}

/* The run's file index for `path`, added (as a part of the main file) when
 * the walk did not list it. */
uint32_t tm_include_part_file(tm_ctx *c, uint32_t main_fi, const char *path)
{
    int relative;
    char *uri = tm_walk_uri(c, path, &relative);
    void **known = tm_strmap_get(&c->file_uris, uri);
    if (known && *known) {
        free(uri);
        return (uint32_t)((uintptr_t)*known - 1);
    }
    tm_strmap_put(&c->file_uris, uri, (void *)(uintptr_t)(c->nfiles + 1));
    c->files = tm_xrealloc(c->files, (c->nfiles + 1) * sizeof *c->files);
    tm_file *f = &c->files[c->nfiles];
    memset(f, 0, sizeof *f);
    f->path = tm_xstrdup(path);
    f->uri = uri;
    f->relative = relative;
    f->cfg = c->files[main_fi].cfg;
    f->part_of = main_fi + 1;
    return (uint32_t)c->nfiles++;
}

uint32_t tm_include_graft(tm_ctx *c, uint32_t main_fi, tm_doc *doc, const tm_doc *part, const char *path)
{
    uint32_t first = doc->n;
    uint32_t r = graft(doc, part);
    doc->parts = tm_xrealloc(doc->parts, (doc->nparts + 1) * sizeof *doc->parts);
    doc->parts[doc->nparts++] = (struct tm_part){first, tm_include_part_file(c, main_fi, path)};
    return r;
}

static int include_list(inc_state *s, const char *from, uint32_t list);

/* Merges the top level of a fragment (already grafted, root `fr`) into the
 * main file's top level; returns -1 on a conflict. */
static int merge(inc_state *s, const char *path, uint32_t fr, uint32_t *includes)
{
    tm_doc *d = s->doc;
    uint32_t root = d->root;
    int rc = 0;
    uint32_t *add = NULL;
    uint32_t nadd = 0;
    const tm_node *f = &d->nodes[fr];
    for (uint32_t i = 0; i + 1 < f->len; i += 2) {
        uint32_t k = d->kids[d->nodes[fr].off + i], v = d->kids[d->nodes[fr].off + i + 1];
        const char *key = node_text(d, k);
        if (!strcmp(key, "includes")) {
            *includes = v;
            continue;
        }
        uint32_t mk, mv = tm_node_get(d, root, key, d->nodes[k].len, &mk);
        if (mv == TM_NONE) {
            add = tm_xrealloc(add, (nadd + 2) * sizeof *add);
            add[nadd++] = k;
            add[nadd++] = v;
            continue;
        }
        const tm_node *a = &d->nodes[mv], *b = &d->nodes[v];
        if (a->type == TM_NODE_MAP && b->type == TM_NODE_MAP) {
            for (uint32_t j = 0; j + 1 < b->len; j += 2) {
                uint32_t bk = d->kids[b->off + j], ak;
                if (tm_node_get(d, mv, node_text(d, bk), d->nodes[bk].len, &ak) != TM_NONE) {
                    tm_diag_add(&s->c->diags, TM_DIAG_ERROR, path, d->pos[bk].line, d->pos[bk].col, NULL,
                                "'%s' under '%s' is defined again here; it is already at %u:%u of the model"
                                " this file is included into", node_text(d, bk), key, d->pos[ak].line,
                                d->pos[ak].col);
                    rc = -1;
                }
            }
            if (rc == 0)
                extend(d, mv, d->kids + d->nodes[v].off, d->nodes[v].len);
        } else if (a->type == TM_NODE_SEQ && b->type == TM_NODE_SEQ) {
            extend(d, mv, d->kids + d->nodes[v].off, d->nodes[v].len);
        } else if (!(b->type == TM_NODE_SCALAR && tm_node_is_null(d, b))) {
            tm_diag_add(&s->c->diags, TM_DIAG_ERROR, path, d->pos[k].line, d->pos[k].col, NULL,
                        "'%s' is set again here; the model this file is included into already sets it at %u:%u",
                        key, d->pos[mk].line, d->pos[mk].col);
            rc = -1;
        }
        if (rc)
            break;
    }
    if (rc == 0 && nadd)
        extend(d, root, add, nadd);
    free(add);
    return rc;
}

/* Reads one included file into the main tree. `at` is the list item that
 * names it (in the including file `from`). */
static int include_one(inc_state *s, const char *from, uint32_t at)
{
    tm_ctx *c = s->c;
    tm_doc *d = s->doc;
    const tm_node *n = &d->nodes[at];
    uint32_t line = d->pos[at].line, col = d->pos[at].col;

    if (n->type != TM_NODE_SCALAR || !n->len)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, from, line, col, NULL, "an entry of includes: must be a file name");
    tm_buf p;
    tm_buf_init(&p);
    const char *slash = strrchr(from, '/');
    const char *name = node_text(d, at);
    if (name[0] == '/')
        tm_buf_adds(&p, name);
    else
        tm_buf_printf(&p, "%.*s%s", slash ? (int)(slash - from + 1) : 0, from, name);
    char real[PATH_MAX];
    struct stat st;
    int rc = 0;
    if (!realpath(p.p, real)) {
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, from, line, col, NULL, "cannot include '%s': %s", name,
                         strerror(errno));
    } else if (strncmp(real, s->fence, strlen(s->fence)) != 0) {
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, from, line, col, NULL,
                         "refusing to include '%s': it is outside %s", name, s->fence);
    } else if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, from, line, col, NULL,
                         "refusing to include '%s': not a regular file", name);
    }
    for (int i = 0; rc == 0 && i < s->depth; i++)
        if (!strcmp(s->chain[i], real))
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, from, line, col, NULL,
                             "include loop: '%s' includes itself through its includes", name);
    if (rc == 0 && s->depth >= MAX_INCLUDE_DEPTH)
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, from, line, col, NULL,
                         "includes nested deeper than %d files", MAX_INCLUDE_DEPTH);
    int seen = 0;
    for (size_t i = 0; rc == 0 && i < s->nseen; i++)
        seen |= !strcmp(s->seen[i], real);
    if (rc == 0 && !seen && s->nseen >= MAX_INCLUDED)
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, from, line, col, NULL, "more than %d included files", MAX_INCLUDED);
    if (rc != 0 || seen) {   /* a file included twice is read once */
        tm_buf_free(&p);
        return rc;
    }
    s->seen = tm_xrealloc(s->seen, (s->nseen + 1) * sizeof *s->seen);
    s->seen[s->nseen++] = tm_xstrdup(real);
    tm_src src;
    tm_docs docs = {0};
    if (tm_src_read(&src, p.p, c->opts.limits.max_file_size, &c->diags) != 0 ||
        tm_yaml_load(&src, &c->opts.limits, &docs, &c->diags) != 0) {
        tm_src_free(&src);
        tm_docs_free(&docs);
        tm_buf_free(&p);
        return -1;
    }
    tm_src_free(&src);
    const tm_doc *fd = docs.n ? docs.v[0] : NULL;
    if (docs.n > 1 || (fd && fd->root != TM_NONE && fd->nodes[fd->root].type != TM_NODE_MAP &&
                       !tm_node_is_null(fd, &fd->nodes[fd->root]))) {
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, p.p, 1, 1, NULL,
                         "an included file must hold one mapping (the keys it adds to the model)");
    } else if (fd && fd->root != TM_NONE && fd->nodes[fd->root].type == TM_NODE_MAP) {
        if ((uint64_t)d->n + fd->n > c->opts.limits.max_nodes) {
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, p.p, 1, 1, NULL,
                             "the model and its includes hold more than %llu nodes (--max-nodes)",
                             (unsigned long long)c->opts.limits.max_nodes);
        } else {
            uint32_t fr = tm_include_graft(c, s->fi, d, fd, p.p);
            uint32_t inc = TM_NONE;
            rc = merge(s, p.p, fr, &inc);
            if (rc == 0 && inc != TM_NONE) {
                s->chain[s->depth++] = s->seen[s->nseen - 1];
                rc = include_list(s, p.p, inc);
                s->depth--;
            }
        }
    }
    tm_docs_free(&docs);
    tm_buf_free(&p);
    return rc;
}

static int include_list(inc_state *s, const char *from, uint32_t list)
{
    tm_doc *d = s->doc;
    if (d->nodes[list].type == TM_NODE_SCALAR)
        return include_one(s, from, list);
    if (d->nodes[list].type != TM_NODE_SEQ)
        return tm_diag_add(&s->c->diags, TM_DIAG_ERROR, from, d->pos[list].line, d->pos[list].col, NULL,
                           "includes: must be a list of file names");
    /* the list's slice may move as the tree grows: copy it first */
    uint32_t n = d->nodes[list].len;
    uint32_t *items = tm_xmalloc((n ? n : 1) * sizeof *items);
    memcpy(items, d->kids + d->nodes[list].off, n * sizeof *items);
    int rc = 0;
    for (uint32_t i = 0; i < n && rc == 0; i++)
        rc = include_one(s, from, items[i]);
    free(items);
    return rc;
}

int tm_include_resolve(tm_ctx *c, uint32_t fi, tm_doc *doc)
{
    if (doc->root == TM_NONE || doc->nodes[doc->root].type != TM_NODE_MAP)
        return 0;
    uint32_t inc = tm_node_get(doc, doc->root, "includes", 8, NULL);
    if (inc == TM_NONE || tm_node_get(doc, doc->root, "threagile_version", 17, NULL) == TM_NONE)
        return 0;   /* only a Threagile main file includes others */
    const char *path = c->files[fi].path;
    char real[PATH_MAX];
    if (!realpath(path, real))
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot resolve its path: %s", strerror(errno));
    inc_state s;
    memset(&s, 0, sizeof s);
    s.c = c;
    s.fi = fi;
    s.doc = doc;
    /* includes stay inside the main file's own repository (never the
     * working directory's); outside one, inside the main file's directory */
    const char *why;
    const char *root = tm_repo_root(&c->repos, path, &why);
    if (root && !strncmp(real, root, strlen(root))) {
        s.fence = tm_xstrdup(root);
    } else {
        char *slash = strrchr(real, '/');
        s.fence = tm_xstrndup(real, slash ? (size_t)(slash - real + 1) : 0);
    }
    s.seen = tm_xmalloc(sizeof *s.seen);
    s.seen[s.nseen++] = tm_xstrdup(real);
    s.chain[s.depth++] = s.seen[0];
    int rc = include_list(&s, path, inc);
    for (size_t i = 0; i < s.nseen; i++)
        free(s.seen[i]);
    free(s.seen);
    free(s.fence);
    return rc;
}
