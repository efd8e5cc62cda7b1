/* Loader: exact positions, aliases, every limit and every bad input. */
#include "test_util.h"
#include "source.h"
#include "yaml_load.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const tm_limits deflim = {TM_DEFAULT_MAX_DEPTH, TM_DEFAULT_MAX_NODES, TM_DEFAULT_MAX_FILE_SIZE, 1000};

typedef struct loaded {
    tm_src src;
    tm_docs docs;
    tm_diags diags;
    int rc;
} loaded;

static void load_lim(loaded *l, const char *text, size_t len, const tm_limits *lim)
{
    tm_diags_init(&l->diags);
    l->docs.v = NULL;
    l->docs.n = 0;
    l->rc = tm_src_from_mem(&l->src, "t.yaml", text, len, &l->diags);
    if (l->rc == 0)
        l->rc = tm_yaml_load(&l->src, lim, &l->docs, &l->diags);
}

static void load(loaded *l, const char *text)
{
    load_lim(l, text, strlen(text), &deflim);
}

static void unload(loaded *l)
{
    tm_docs_free(&l->docs);
    tm_src_free(&l->src);
    tm_diags_free(&l->diags);
}

static const tm_node *get(const tm_doc *d, uint32_t map, const char *key)
{
    uint32_t i = tm_node_get(d, map, key, strlen(key), NULL);
    assert_int_not_equal(i, TM_NONE);
    return &d->nodes[i];
}

/* n: a node of d, held by pointer */
static void assert_pos_in(const tm_doc *d, const tm_node *n, uint32_t line, uint32_t col)
{
    assert_int_equal(tm_pos_of(d, tm_node_index(d, n))->line, line);
    assert_int_equal(tm_pos_of(d, tm_node_index(d, n))->col, col);
}
#define assert_pos(n, line, col) assert_pos_in(d, (n), (line), (col))

static void test_positions(void **state)
{
    (void)state;
    loaded l;
    load(&l, "model: 1\n"
             "title: café crème\n"
             "threats:\n"
             "  - id: T1\n"
             "    tags: [a, \"b\"]\n"
             "  -\n"
             "    id: T2\n"
             "note: é → x\n");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.docs.n, 1);
    tm_doc *d = l.docs.v[0];
    const tm_node *root = &d->nodes[d->root];
    assert_int_equal(root->type, TM_NODE_MAP);
    uint32_t key;
    uint32_t t = tm_node_get(d, d->root, "title", 5, &key);
    assert_pos(&d->nodes[key], 2, 1);
    assert_pos(&d->nodes[t], 2, 8);
    assert_int_equal(d->pos[t].end_col, 18);   /* columns count code points */
    const tm_node *threats = get(d, d->root, "threats");
    assert_int_equal(threats->type, TM_NODE_SEQ);
    assert_int_equal(tm_node_count(threats), 2);
    uint32_t t1 = d->kids[threats->off], t2 = d->kids[threats->off + 1];
    assert_pos(&d->nodes[t1], 4, 5);             /* the item's mapping starts at its first key */
    assert_pos(get(d, t1, "id"), 4, 9);
    const tm_node *tags = get(d, t1, "tags");
    assert_pos(&d->nodes[d->kids[tags->off + 1]], 5, 15);
    assert_true(d->nodes[d->kids[tags->off + 1]].flags & TM_NODE_QUOTED);
    assert_pos(&d->nodes[t2], 7, 5);
    assert_pos(get(d, d->root, "note"), 8, 7);
    /* parents and indexes let a finding name its element's path */
    assert_int_equal(d->pos[t2].parent, (uint32_t)(threats - d->nodes));
    assert_int_equal(d->pos[t2].pidx, 1);
    unload(&l);
}

static void test_aliases_shared(void **state)
{
    (void)state;
    loaded l;
    load(&l, "model: 1\nbase: &b {kind: essential}\nuse: *b\n");
    assert_int_equal(l.rc, 0);
    tm_doc *d = l.docs.v[0];
    uint32_t a = tm_node_get(d, d->root, "base", 4, NULL), b = tm_node_get(d, d->root, "use", 3, NULL);
    assert_int_equal(a, b);   /* shared, not copied */
    assert_pos(&d->nodes[b], 2, 7);
    unload(&l);
}

static void test_alias_unknown_and_cycle(void **state)
{
    (void)state;
    loaded l;
    load(&l, "a: 1\nb: *nope\n");
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "alias '*nope'");
    assert_int_equal(l.diags.v[0].line, 2);
    assert_int_equal(l.diags.v[0].col, 4);
    unload(&l);
    load(&l, "a: &x [1, *x]\n");
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "contains it");
    unload(&l);
}

static void test_alias_bomb(void **state)
{
    (void)state;
    char buf[4096];
    size_t n = (size_t)snprintf(buf, sizeof buf, "a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
        n += (size_t)snprintf(buf + n, sizeof buf - n, "a%d: &a%d [", i, i);
        for (int k = 0; k < 9; k++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s*a%d", k ? ", " : "", i - 1);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "]\n");
    }
    loaded l;
    load(&l, buf);
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "10000000 nodes");
    assert_int_equal(l.diags.v[0].line, 8);   /* a0..a6 hold 6M nodes; a7 crosses 10M */
    unload(&l);
}

static void test_node_limit_plain(void **state)
{
    (void)state;
    tm_limits lim = deflim;
    lim.max_nodes = 10;
    loaded l;
    load_lim(&l, "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", 31, &lim);
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "past 10 nodes");
    assert_int_equal(l.diags.v[0].col, 29);
    unload(&l);
}

static void test_depth_limit(void **state)
{
    (void)state;
    size_t depth = 100000;
    char *s = malloc(depth * 2 + 1);
    memset(s, '[', depth);
    memset(s + depth, ']', depth);
    s[depth * 2] = 0;
    loaded l;
    load(&l, s);
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "deeper than 256");
    assert_int_equal(l.diags.v[0].line, 1);
    assert_int_equal(l.diags.v[0].col, 257);
    unload(&l);
    /* block style too */
    size_t cap = 300 * 300 + 16, n = 0;
    char *b = malloc(cap);
    for (int i = 0; i < 300; i++) {
        for (int k = 0; k < i; k++)
            b[n++] = ' ';
        b[n++] = '-';
        b[n++] = '\n';
    }
    b[n] = 0;
    load(&l, b);
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "deeper than 256");
    assert_int_equal(l.diags.v[0].line, 257);
    unload(&l);
    free(s);
    free(b);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    loaded l;
    load(&l, "model: 1\nthreats:\n  - id: T1\n    status: open\n    status: accepted\n");
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "duplicate key 'status' (first defined at 4:5)");
    assert_int_equal(l.diags.v[0].line, 5);
    assert_int_equal(l.diags.v[0].col, 5);
    unload(&l);
}

static void test_non_scalar_key(void **state)
{
    (void)state;
    loaded l;
    load(&l, "? [a, b]\n: 1\n");
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "mapping key is a sequence");
    unload(&l);
}

static void test_malformed(void **state)
{
    (void)state;
    loaded l;
    load(&l, "a: [1,\nb: 2\n");
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "invalid YAML");
    assert_true(l.diags.v[0].line >= 1);
    assert_string_equal(l.diags.v[0].file, "t.yaml");
    unload(&l);
    load(&l, "a: 1\n  b: 2\n");
    assert_int_equal(l.rc, -1);
    assert_int_equal(l.diags.v[0].line, 2);
    unload(&l);
}

static void test_bad_bytes(void **state)
{
    (void)state;
    loaded l;
    load_lim(&l, "a: b\nc: \xC0\xAF\n", 11, &deflim);   /* overlong '/' */
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "invalid UTF-8");
    assert_int_equal(l.diags.v[0].line, 2);
    assert_int_equal(l.diags.v[0].col, 4);
    unload(&l);
    load_lim(&l, "a: \xED\xA0\x80\n", 7, &deflim);   /* a surrogate */
    assert_int_equal(l.rc, -1);
    unload(&l);
    load_lim(&l, "a: b\0c\n", 7, &deflim);
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "NUL byte");
    assert_int_equal(l.diags.v[0].col, 5);
    unload(&l);
    load_lim(&l, "\xFF\xFE" "a\0:\0", 6, &deflim);
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "UTF-16");
    unload(&l);
}

/* A tab where a token should start gets a hint, found at the error's
 * line and column past CRLF line ends and multi-byte characters. */
static void test_tab_hint(void **state)
{
    (void)state;
    loaded l;
    load(&l, "a: \xC3\xA9\r\nb:\r\n\t- x\r\n");
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "it is a tab, and YAML indents with spaces only");
    assert_int_equal(l.diags.v[0].line, 3);
    assert_int_equal(l.diags.v[0].col, 1);
    unload(&l);
    load(&l, "a: [\xC3\xA9, ]]\n");   /* not a tab: no hint */
    assert_int_equal(l.rc, -1);
    assert_true(strstr(l.diags.v[0].msg, "tab") == NULL);
    unload(&l);
}

/* A UTF-8 byte order mark is not content: the document loads, and line
 * 1's columns count from after it; one inside a value is text. */
static void test_utf8_bom(void **state)
{
    (void)state;
    loaded l;
    load_lim(&l, "\xEF\xBB\xBF" "a: b\nc: d\n", 13, &deflim);
    assert_int_equal(l.rc, 0);
    const tm_doc *d = l.docs.v[0];
    const tm_node *r = &d->nodes[d->root];
    assert_int_equal(r->type, TM_NODE_MAP);
    const tm_node *k = &d->nodes[d->kids[r->off]];
    assert_string_equal(tm_node_str(d, k), "a");
    assert_pos(k, 1, 1);
    unload(&l);
    load_lim(&l, "\xEF\xBB\xBF", 3, &deflim);   /* only the mark: an empty file */
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.docs.n, 0);
    unload(&l);
    load_lim(&l, "a: \xEF\xBB\xBF" "b\n", 8, &deflim);   /* inside a value it is text */
    assert_int_equal(l.rc, 0);
    unload(&l);
}

static void test_control_char(void **state)
{
    (void)state;
    loaded l;
    load(&l, "a: \x01\n");
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "invalid YAML");
    assert_int_equal(l.diags.v[0].line, 1);
    assert_int_equal(l.diags.v[0].col, 4);
    unload(&l);
}

static void test_multi_doc_and_empty(void **state)
{
    (void)state;
    loaded l;
    load(&l, "a: 1\n---\nb: 2\n");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.docs.n, 2);
    assert_int_equal(l.docs.v[1]->index, 1);
    assert_int_equal(l.docs.v[1]->pos[l.docs.v[1]->root].line, 3);
    unload(&l);
    load(&l, "");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.docs.n, 0);
    unload(&l);
    load(&l, "# only a comment\n");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.docs.n, 0);
    unload(&l);
}

static void test_empty_collections(void **state)
{
    (void)state;
    loaded l;
    load(&l, "a: []\nb: {}\nc: [[], {}]\n");   /* empty before anything else was stored */
    assert_int_equal(l.rc, 0);
    tm_doc *d = l.docs.v[0];
    assert_int_equal(tm_node_count(get(d, d->root, "a")), 0);
    assert_int_equal(get(d, d->root, "b")->type, TM_NODE_MAP);
    assert_int_equal(tm_node_count(get(d, d->root, "c")), 2);
    unload(&l);
}

static void test_json(void **state)
{
    (void)state;
    loaded l;
    load(&l, "{\n\t\"model\": 1,\n\t\"threats\": [{\"id\": \"T1\"}]\n}\n");
    assert_int_equal(l.rc, 0);
    tm_doc *d = l.docs.v[0];
    const tm_node *th = get(d, d->root, "threats");
    assert_pos(&d->nodes[d->kids[th->off]], 3, 14);
    unload(&l);
}

static void test_tags_are_data(void **state)
{
    (void)state;
    loaded l;
    load(&l, "a: !!python/object:os.system [rm]\nb: !!str 12\n");
    assert_int_equal(l.rc, 0);
    tm_doc *d = l.docs.v[0];
    assert_int_equal(get(d, d->root, "a")->type, TM_NODE_SEQ);
    assert_true(get(d, d->root, "b")->flags & TM_NODE_STRTAG);
    unload(&l);
}

static void test_file_limits(void **state)
{
    (void)state;
    char path[] = "/tmp/tmlint-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "model: 1\n", 9), 9);
    close(fd);
    tm_diags d;
    tm_diags_init(&d);
    tm_src s;
    assert_int_equal(tm_src_read(&s, path, 8, &d), -1);
    assert_diag_contains(&d, "over the size limit of 8 bytes");
    tm_src_free(&s);
    tm_diags_free(&d);
    tm_diags_init(&d);
    assert_int_equal(tm_src_read(&s, path, 9, &d), 0);
    assert_int_equal(s.len, 9);
    tm_src_free(&s);
    unlink(path);
    assert_int_equal(tm_src_read(&s, path, 100, &d), -1);
    assert_diag_contains(&d, "cannot open file");
    tm_src_free(&s);
    tm_diags_free(&d);
    tm_diags_init(&d);
    assert_int_equal(tm_src_read(&s, "/tmp", 100, &d), -1);
    assert_diag_contains(&d, "is a directory");
    tm_src_free(&s);
    tm_diags_free(&d);
}

static void test_fifo(void **state)
{
    (void)state;
    char path[] = "/tmp/tmlint-fifo-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    tm_diags d;
    tm_diags_init(&d);
    tm_src s;
    assert_int_equal(tm_src_read(&s, path, 100, &d), -1);   /* must not block */
    assert_diag_contains(&d, "not a regular file");
    tm_src_free(&s);
    tm_diags_free(&d);
    unlink(path);
}

/* the pairs (key text) of a mapping, in order, joined by commas */
static void keys_of(const tm_doc *d, uint32_t map, char *out, size_t cap)
{
    const tm_node *m = &d->nodes[map];
    size_t n = 0;
    out[0] = 0;
    for (uint32_t i = 0; i + 1 < m->len; i += 2) {
        const tm_node *k = &d->nodes[d->kids[m->off + i]];
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? "," : "", tm_node_str(d, k));
    }
}

/* every kid whose parent is the mapping sits where its pidx says */
static void assert_parents(const tm_doc *d)
{
    for (uint32_t i = 0; i < d->n; i++) {
        const tm_pos *n = &d->pos[i];
        if (n->parent == TM_NONE)
            continue;
        const tm_node *p = &d->nodes[n->parent];
        assert_true(n->pidx < p->len);
        assert_int_equal(d->kids[p->off + n->pidx], i);
    }
}

static void test_merge_keys(void **state)
{
    (void)state;
    loaded l;
    char k[256];
    /* an alias: its pairs join where << stood; the mapping's own keys win */
    load(&l, "d: &d {severity: low, status: accepted}\nt:\n  id: T1\n  <<: *d\n  status: open\n");
    assert_int_equal(l.rc, 0);
    tm_doc *d = l.docs.v[0];
    uint32_t t = tm_node_get(d, d->root, "t", 1, NULL);
    keys_of(d, t, k, sizeof k);
    assert_string_equal(k, "id,severity,status");
    assert_string_equal(tm_node_str(d, get(d, t, "status")), "open");
    const tm_node *sev = get(d, t, "severity");
    assert_pos(sev, 1, 18);   /* shared with the anchor's mapping, where its text is */
    assert_int_equal(tm_node_get(d, tm_node_get(d, d->root, "d", 1, NULL), "severity", 8, NULL), (uint32_t)(sev - d->nodes));
    assert_parents(d);
    unload(&l);
    /* a list of mappings: the first to give a key wins; inline ones are re-parented */
    load(&l, "a: &a {x: 1, y: 1}\nt:\n  <<: [{y: 2, z: 2}, *a]\n  w: 0\n");
    assert_int_equal(l.rc, 0);
    d = l.docs.v[0];
    t = tm_node_get(d, d->root, "t", 1, NULL);
    keys_of(d, t, k, sizeof k);
    assert_string_equal(k, "y,z,x,w");
    assert_string_equal(tm_node_str(d, get(d, t, "y")), "2");
    assert_int_equal(d->pos[tm_node_index(d, get(d, t, "z"))].parent, t);   /* written inside t */
    assert_int_not_equal(d->pos[tm_node_index(d, get(d, t, "x"))].parent, t);   /* written under a */
    assert_parents(d);
    unload(&l);
    /* quoted, it is an ordinary key (JSON's "<<" too) */
    load(&l, "t: {\"<<\": {a: 1}}\n");
    assert_int_equal(l.rc, 0);
    d = l.docs.v[0];
    keys_of(d, tm_node_get(d, d->root, "t", 1, NULL), k, sizeof k);
    assert_string_equal(k, "<<");
    unload(&l);
    /* a node the mapping holds twice (an alias of its own value) keeps its first place */
    load(&l, "d: &d {x: 1}\nt: {a: &v 1, <<: *d, b: *v}\n");
    assert_int_equal(l.rc, 0);
    d = l.docs.v[0];
    t = tm_node_get(d, d->root, "t", 1, NULL);
    const tm_node *a = get(d, t, "a");
    assert_int_equal(d->pos[tm_node_index(d, a)].pidx, 1);

    assert_parents(d);
    unload(&l);
    /* a merged key is no duplicate of the mapping's own */
    load(&l, "d: &d {a: 1}\nt: {a: 2, <<: *d}\n");
    assert_int_equal(l.rc, 0);
    unload(&l);
}

static void test_merge_key_errors(void **state)
{
    (void)state;
    loaded l;
    load(&l, "t:\n  <<: text\n");
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "the merge key '<<' takes a mapping or a list of mappings, not a scalar");
    assert_int_equal(l.diags.v[0].line, 2);
    assert_int_equal(l.diags.v[0].col, 7);
    unload(&l);
    load(&l, "t:\n  <<: [{a: 1}, [b]]\n");
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "not a list");
    assert_int_equal(l.diags.v[0].col, 16);
    unload(&l);
    load(&l, "d: &d {a: 1}\nt:\n  <<: *d\n  <<: *d\n");
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "duplicate merge key '<<'");
    assert_int_equal(l.diags.v[0].line, 4);
    unload(&l);
    /* one mapping merged many times: its keys join once */
    {
        size_t cap = 200000;
        char *big = malloc(cap);
        size_t m = (size_t)snprintf(big, cap, "d: &d {a: 1, b: 2}\nt:\n  <<: [");
        for (int i = 0; i < 30000; i++)
            m += (size_t)snprintf(big + m, cap - m, "%s*d", i ? ", " : "");
        snprintf(big + m, cap - m, "]\n  c: 3\n");
        load(&l, big);
        free(big);
        assert_int_equal(l.rc, 0);
        tm_doc *d = l.docs.v[0];
        char k[64];
        keys_of(d, tm_node_get(d, d->root, "t", 1, NULL), k, sizeof k);
        assert_string_equal(k, "a,b,c");
        unload(&l);
    }
    /* what a merge repeats counts against the node limit, as its alias does */
    char buf[8192];
    size_t n = (size_t)snprintf(buf, sizeof buf, "m0: &m0 {");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%sk%d: 0", i ? ", " : "", i);
    snprintf(buf + n, sizeof buf - n, "}\nt1: {<<: *m0}\nt2: {<<: *m0}\n");
    tm_limits lim = deflim;
    lim.max_nodes = 1500;
    load_lim(&l, buf, strlen(buf), &lim);
    assert_int_equal(l.rc, -1);
    assert_diag_contains(&l.diags, "1500 nodes");
    assert_int_equal(l.diags.v[0].line, 3);
    unload(&l);
}

/* ---- the sink: what a builder of its own form of the document hears ---- */

typedef struct trace {
    char s[1024];
} trace;

static void tr_add(trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tr_add(trace *t, const char *fmt, ...)
{
    size_t n = strlen(t->s);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->s + n, sizeof t->s - n, fmt, ap);
    va_end(ap);
}

static const char *txt(const tm_doc *d, uint32_t i)
{
    return d->nodes[i].type == TM_NODE_SCALAR ? tm_node_str(d, &d->nodes[i]) : "{}";
}

static void s_begin(void *ud, tm_doc *d) { tr_add(ud, "[%u ", d->index); }
static void s_end(void *ud, tm_doc *d) { (void)d; tr_add(ud, "]"); }
static void s_scalar(void *ud, const tm_doc *d, uint32_t i, int is_key)
{
    tr_add(ud, "%s%s ", is_key ? "k:" : "", txt(d, i));
}
static void s_alias(void *ud, const tm_doc *d, uint32_t i, int is_key)
{
    tr_add(ud, "%s*%s ", is_key ? "k:" : "", txt(d, i));
}
static void s_open(void *ud, const tm_doc *d, uint32_t i)
{
    tr_add(ud, "%c ", d->nodes[i].type == TM_NODE_MAP ? '{' : '(');
}
static void s_close(void *ud, const tm_doc *d, uint32_t i, const uint32_t *orig, size_t norig, uint32_t list_key)
{
    const tm_node *n = &d->nodes[i];
    tr_add(ud, "%c%zu/%u", n->type == TM_NODE_MAP ? '}' : ')', norig, n->len);
    (void)orig;
    if (list_key != TM_NONE)
        tr_add(ud, "@%s", txt(d, list_key));
    tr_add(ud, " ");
}

static void sink_trace(const char *text, const char *want)
{
    trace t = {{0}};
    tm_yaml_sink sink = {&t, s_begin, s_end, s_scalar, s_alias, s_open, s_close};
    tm_diags dg;
    tm_diags_init(&dg);
    tm_src src;
    assert_int_equal(tm_src_from_mem(&src, "t.yaml", text, strlen(text), &dg), 0);
    tm_docs docs;
    assert_int_equal(tm_yaml_load_with(&src, &deflim, &docs, &dg, &sink), 0);
    assert_string_equal(t.s, want);
    tm_docs_free(&docs);
    tm_src_free(&src);
    tm_diags_free(&dg);
}

static void test_sink(void **state)
{
    (void)state;
    /* kids in document order, keys marked; an item of a top-level list
     * closes knowing the list's key; deeper lists are not top-level */
    sink_trace("threats:\n  - id: T1\n    tags: [a, {x: 1}]\nn: ~\n",
               "[0 { k:threats ( { k:id T1 k:tags ( a { k:x 1 }2/2 )2/2 }4/4@threats )1/1 k:n ~ }4/4 ]");
    /* an alias is heard as its node; a merge: the kids as heard (4, `<<`
     * and its alias among them), the final ones after it (6) */
    sink_trace("d: &d {a: 1, b: 2}\nt: {<<: *d, c: 4}\n",
               "[0 { k:d { k:a 1 k:b 2 }4/4 k:t { k:<< *{} k:c 4 }4/6 }4/4 ]");
    /* an alias as a key; two documents */
    sink_trace("--- {x: &k a, *k : 2}\n--- [x]\n", "[0 { k:x a k:*a 2 }4/4 ][1 ( x )1/1 ]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_aliases_shared),
        cmocka_unit_test(test_alias_unknown_and_cycle),
        cmocka_unit_test(test_alias_bomb),
        cmocka_unit_test(test_node_limit_plain),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_non_scalar_key),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_utf8_bom),
        cmocka_unit_test(test_tab_hint),
        cmocka_unit_test(test_control_char),
        cmocka_unit_test(test_multi_doc_and_empty),
        cmocka_unit_test(test_empty_collections),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_tags_are_data),
        cmocka_unit_test(test_file_limits),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_merge_keys),
        cmocka_unit_test(test_sink),
        cmocka_unit_test(test_merge_key_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
