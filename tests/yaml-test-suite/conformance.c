/* YAML conformance: for every case of the YAML test suite, tmlint's loader
 * must give libyaml's verdict (valid: loads; invalid: a clear error with a
 * position), and, where libyaml accepts a case that has in.json, load the
 * same data. Every difference (from the suite's verdict or between tmlint
 * and libyaml) must be listed in expectations.txt with its reason, and
 * every listed one must still happen.
 * usage: conformance CASES-DIR EXPECTATIONS [--write]   (--write prints the
 * differences found, in the expectations format, for review) */
#include "source.h"
#include "yaml_load.h"
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

static int exists(const char *dir, const char *name)
{
    char p[4096];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0;
}

static int read_all(const char *path, tm_buf *b)
{
    return tm_read_file(path, b, (size_t)1 << 26);
}

static int libyaml_accepts(const char *data, size_t len)
{
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    int ok = 1;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            ok = 0;
            break;
        }
        int end = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    return ok;
}

/* ---- comparing a YAML tree with the JSON one ---- */

static int is_null(const tm_doc *d, const tm_node *n)
{
    return n->type == TM_NODE_SCALAR && tm_node_is_null(d, n);
}

static int scalar_equal(const tm_doc *y, const tm_node *a, const tm_doc *j, const tm_node *b)
{
    const char *sa = tm_node_str(y, a), *sb = tm_node_str(j, b);
    if (b->flags & TM_NODE_QUOTED)   /* a JSON string */
        return a->len == b->len && memcmp(sa, sb, a->len) == 0 &&
               ((a->flags & (TM_NODE_QUOTED | TM_NODE_STRTAG)) || !is_null(y, a));
    if (is_null(j, b))
        return is_null(y, a);
    if (!strcmp(sb, "true") || !strcmp(sb, "false"))
        return !(a->flags & TM_NODE_QUOTED) && !strcmp(sa, sb);
    char *ea, *eb;   /* a JSON number: compare values */
    double da = strtod(sa, &ea), db = strtod(sb, &eb);
    return !(a->flags & TM_NODE_QUOTED) && *sa && !*ea && !*eb && (da == db || (isnan(da) && isnan(db)));
}

static int equal(const tm_doc *y, uint32_t ai, const tm_doc *j, uint32_t bi, int depth)
{
    if (depth > 300)
        return 0;
    const tm_node *a = &y->nodes[ai], *b = &j->nodes[bi];
    if (b->type == TM_NODE_SCALAR)
        return a->type == TM_NODE_SCALAR && scalar_equal(y, a, j, b);
    if (a->type != b->type || a->len != b->len)
        return 0;
    if (a->type == TM_NODE_SEQ) {
        for (uint32_t i = 0; i < a->len; i++)
            if (!equal(y, y->kids[a->off + i], j, j->kids[b->off + i], depth + 1))
                return 0;
        return 1;
    }
    for (uint32_t i = 0; i + 1 < b->len; i += 2) {   /* every JSON key, by text */
        const tm_node *k = &j->nodes[j->kids[b->off + i]];
        uint32_t v = tm_node_get(y, ai, tm_node_str(j, k), k->len, NULL);
        if (v == TM_NONE || !equal(y, v, j, j->kids[b->off + i + 1], depth + 1))
            return 0;
    }
    return 1;
}

/* "same", "differs", or "" when in.json cannot be compared (several JSON
 * documents, which are not one YAML stream) */
static const char *compare_json(const char *dir, const tm_docs *docs)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/in.json", dir);
    tm_buf b;
    if (read_all(p, &b) != 0)
        return "";
    tm_diags d;
    tm_diags_init(&d);
    tm_src src;
    tm_docs jd = {NULL, 0};
    tm_limits lim = {TM_DEFAULT_MAX_DEPTH, TM_DEFAULT_MAX_NODES, TM_DEFAULT_MAX_FILE_SIZE, 0};
    const char *verdict = "";
    if (tm_src_from_mem(&src, "in.json", b.p, b.len, &d) == 0 && tm_yaml_load(&src, &lim, &jd, &d) == 0) {
        if (jd.n == docs->n) {
            verdict = "same";
            for (size_t i = 0; i < jd.n; i++) {
                const tm_doc *y = docs->v[i], *j = jd.v[i];
                int ok = (y->root == TM_NONE && j->root == TM_NONE) ||
                         (y->root != TM_NONE && j->root != TM_NONE && equal(y, y->root, j, j->root, 0));
                if (!ok)
                    verdict = "differs";
            }
        }
        tm_docs_free(&jd);
    }
    tm_src_free(&src);
    tm_diags_free(&d);
    tm_buf_free(&b);
    return verdict;
}

/* ---- the cases ---- */

typedef struct item {
    char *name;
    char *kind;
} item;

static int cmp_item(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->kind, y->kind);
}

static void add(item **v, size_t *n, const char *name, const char *kind)
{
    *v = realloc(*v, (*n + 1) * sizeof **v);
    (*v)[*n].name = strdup(name);
    (*v)[*n].kind = strdup(kind);
    (*n)++;
}

static void collect(const char *root, const char *rel, char ***cases, size_t *n)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    if (exists(dir, "in.yaml")) {
        *cases = realloc(*cases, (*n + 1) * sizeof **cases);
        (*cases)[(*n)++] = strdup(rel);
    }
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        if (stat(full, &st) == 0 && S_ISDIR(st.st_mode))
            collect(root, sub, cases, n);
    }
    closedir(d);
}

static void free_items(item *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].kind);
    }
    free(v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: conformance CASES-DIR EXPECTATIONS [--write]\n");
        return 2;
    }
    int write = argc > 3 && !strcmp(argv[3], "--write");
    char **cases = NULL;
    size_t ncases = 0;
    collect(argv[1], "", &cases, &ncases);
    qsort(cases, ncases, sizeof *cases, cmp_str);
    item *found = NULL;
    size_t nfound = 0, same = 0, compared = 0, failures = 0;
    tm_limits lim = {TM_DEFAULT_MAX_DEPTH, TM_DEFAULT_MAX_NODES, TM_DEFAULT_MAX_FILE_SIZE, 0};
    for (size_t i = 0; i < ncases; i++) {
        char dir[4096], path[4200];
        snprintf(dir, sizeof dir, "%s/%s", argv[1], cases[i]);
        snprintf(path, sizeof path, "%s/in.yaml", dir);
        tm_buf b;
        if (read_all(path, &b) != 0) {
            fprintf(stderr, "FAIL: cannot read %s\n", path);
            failures++;
            continue;
        }
        int valid = !exists(dir, "error");
        int lib = libyaml_accepts(b.p, b.len);
        tm_diags d;
        tm_diags_init(&d);
        tm_src src;
        tm_docs docs = {NULL, 0};
        int ours = tm_src_from_mem(&src, "in.yaml", b.p, b.len, &d) == 0 &&
                   tm_yaml_load(&src, &lim, &docs, &d) == 0;
        if (!ours && (d.n == 0 || (d.v[d.n - 1].line == 0 && !strstr(d.v[d.n - 1].msg, "NUL")))) {
            fprintf(stderr, "FAIL: %s: rejected without a position\n", cases[i]);
            failures++;
        }
        if (lib && !valid)
            add(&found, &nfound, cases[i], "libyaml-accepts-invalid");
        if (!lib && valid)
            add(&found, &nfound, cases[i], "libyaml-rejects-valid");
        if (lib && !ours)
            add(&found, &nfound, cases[i], "tmlint-rejects");   /* stricter than libyaml */
        if (!lib && ours)
            add(&found, &nfound, cases[i], "tmlint-accepts");
        if (lib && ours && exists(dir, "in.json")) {
            const char *v = compare_json(dir, &docs);
            if (*v)
                compared++;
            if (!strcmp(v, "same"))
                same++;
            else if (!strcmp(v, "differs"))
                add(&found, &nfound, cases[i], "data-differs");
        }
        tm_docs_free(&docs);
        tm_src_free(&src);
        tm_diags_free(&d);
        tm_buf_free(&b);
    }
    qsort(found, nfound, sizeof *found, cmp_item);
    for (size_t i = 0; i < ncases; i++)
        free(cases[i]);
    free(cases);
    if (write) {
        for (size_t i = 0; i < nfound; i++)
            printf("%s\t%s\n", found[i].name, found[i].kind);
        free_items(found, nfound);
        return 0;
    }
    /* the expectations: "CASE<TAB>KIND<TAB>why", # comments */
    tm_buf e;
    if (read_all(argv[2], &e) != 0) {
        fprintf(stderr, "cannot read %s\n", argv[2]);
        free_items(found, nfound);
        return 2;
    }
    item *want = NULL;
    size_t nwant = 0;
    for (char *line = strtok(e.p, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#' || !line[0])
            continue;
        char *t1 = strchr(line, '\t');
        if (!t1)
            continue;
        *t1 = 0;
        char *t2 = strchr(t1 + 1, '\t');
        if (t2)
            *t2 = 0;
        add(&want, &nwant, line, t1 + 1);
    }
    qsort(want, nwant, sizeof *want, cmp_item);
    size_t a = 0, w = 0;
    while (a < nfound || w < nwant) {
        int c = a >= nfound ? 1 : w >= nwant ? -1 : cmp_item(&found[a], &want[w]);
        if (c < 0) {
            fprintf(stderr, "FAIL: %s: %s, not in the expectations\n", found[a].name, found[a].kind);
            failures++;
            a++;
        } else if (c > 0) {
            fprintf(stderr, "FAIL: %s: expected %s, which no longer happens\n", want[w].name, want[w].kind);
            failures++;
            w++;
        } else {
            a++;
            w++;
        }
    }
    printf("%zu cases; %zu documented differences; data compared with in.json for %zu cases, %zu the same\n",
           ncases, nwant, compared, same);
    printf("%zu passed, %zu failed\n", ncases - (failures > ncases ? ncases : failures), failures);
    free_items(found, nfound);
    free_items(want, nwant);
    tm_buf_free(&e);
    return failures ? 1 : 0;
}
