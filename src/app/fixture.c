#include "fixture.h"
#include "buf.h"
#include "config.h"
#include "esc.h"
#include "out.h"
#include "rules.h"
#include "source.h"
#include "yaml_load.h"
#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FX_MAX_CHILD_OUTPUT ((size_t)256 << 20)

static void add_mark(tm_fixture *fx, unsigned line, unsigned col, unsigned target, const char *rule, size_t n, int ok)
{
    fx->marks = tm_xrealloc(fx->marks, (fx->nmarks + 1) * sizeof *fx->marks);
    tm_fx_mark *m = &fx->marks[fx->nmarks++];
    memset(m, 0, sizeof *m);
    m->line = line;
    m->col = col;
    m->target = target;
    m->rule = tm_xstrndup(rule, n);
    m->ok = ok;
}

static int is_id_char(int ch)
{
    return isalnum(ch) || ch == '_' || ch == '-';
}

/* The rule ids of an expect: or ok: list, "A, B C"; 0 or -1 (said). */
static int parse_rules(tm_fixture *fx, const char *s, const char *end, unsigned line, unsigned col, unsigned target,
                       int ok, const char *file, tm_diags *d)
{
    int any = 0;
    const char *p = s;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
            p++;
        if (p >= end || *p == '\r')
            break;
        const char *q = p;
        while (q < end && is_id_char((unsigned char)*q))
            q++;
        if (q == p || !isalpha((unsigned char)*p))
            return tm_diag_add(d, TM_DIAG_ERROR, file, line, col + (unsigned)(p - s), NULL,
                               "%s: expected a rule id (as TM310 or ACME1), found '%.*s'", ok ? "ok" : "expect",
                               (int)(end - p > 20 ? 20 : end - p), p);
        add_mark(fx, line, col + (unsigned)(p - s), target, p, (size_t)(q - p), ok);
        any = 1;
        p = q;
    }
    if (!any)
        return tm_diag_add(d, TM_DIAG_ERROR, file, line, col, NULL, "%s: names no rule", ok ? "ok" : "expect");
    return 0;
}

/* `now: D`, `expect-read: F`, `expect-count: k=N ...`: the keys every
 * fixture may carry, as a comment (YAML) or a line (a sidecar). 1 when
 * `key` was one of them, 0 when not, -1 after an error. */
static int parse_setting(tm_fixture *fx, const char *key, const char *v, const char *end, unsigned line, unsigned col,
                         const char *file, tm_diags *d)
{
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    size_t n = (size_t)(end - v);
    if (!strcmp(key, "now")) {
        int ok = n == 10 && v[4] == '-' && v[7] == '-';
        for (size_t i = 0; ok && i < 10; i++)
            ok = i == 4 || i == 7 || isdigit((unsigned char)v[i]);
        if (!ok)
            return tm_diag_add(d, TM_DIAG_ERROR, file, line, col, NULL, "now: needs a date as YYYY-MM-DD");
        memcpy(fx->now, v, 10);
        fx->now[10] = 0;
        return 1;
    }
    if (!strcmp(key, "expect-read")) {
        int ok = n > 0 && n < 64;
        for (size_t i = 0; ok && i < n; i++)
            ok = is_id_char((unsigned char)v[i]);
        if (!ok)
            return tm_diag_add(d, TM_DIAG_ERROR, file, line, col, NULL, "expect-read: needs a format name (as native or otm)");
        free(fx->read_format);
        fx->read_format = tm_xstrndup(v, n);
        return 1;
    }
    if (!strcmp(key, "see")) {
        /* other files whose annotations count (findings that land there:
         * a repository's CI files); named from the fixture's directory */
        const char *p = v;
        while (p < end) {
            while (p < end && (*p == ' ' || *p == ','))
                p++;
            const char *q = p;
            while (q < end && *q != ' ' && *q != ',')
                q++;
            if (q == p)
                break;
            if (fx->nsee == sizeof fx->see / sizeof fx->see[0])
                return tm_diag_add(d, TM_DIAG_ERROR, file, line, col, NULL, "see: at most 8 files");
            fx->see[fx->nsee++] = tm_xstrndup(p, (size_t)(q - p));
            p = q;
        }
        if (!fx->nsee)
            return tm_diag_add(d, TM_DIAG_ERROR, file, line, col, NULL, "see: names no file");
        return 1;
    }
    if (!strcmp(key, "args")) {
        /* what check needs for a rule that reads the change or test results;
         * nothing that writes, or reads what the fixture's repository does
         * not hold (paths are checked when the fixture runs) */
        const char *p = v;
        while (p < end) {
            while (p < end && *p == ' ')
                p++;
            if (p >= end)
                break;
            const char *q = p;
            while (q < end && *q != ' ')
                q++;
            size_t tn = (size_t)(q - p);
            int takes = (tn == 15 && !strncmp(p, "--changed-since", 15)) || (tn == 14 && !strncmp(p, "--test-results", 14));
            int flag = (tn == 8 && !strncmp(p, "--staged", 8)) || (tn == 9 && !strncmp(p, "--no-repo", 9));
            if ((!takes && !flag) || fx->nargs + 2 > sizeof fx->args / sizeof fx->args[0])
                return tm_diag_add(d, TM_DIAG_ERROR, file, line, col + (unsigned)(p - v), NULL,
                                   "args: a fixture may give --staged, --no-repo, --changed-since REF and"
                                   " --test-results FILE, not '%.*s'", (int)(tn > 40 ? 40 : tn), p);
            fx->args[fx->nargs++] = tm_xstrndup(p, tn);
            if (takes) {
                const char *a = q;
                while (a < end && *a == ' ')
                    a++;
                const char *b = a;
                while (b < end && *b != ' ')
                    b++;
                if (a == b || *a == '-')
                    return tm_diag_add(d, TM_DIAG_ERROR, file, line, col + (unsigned)(p - v), NULL,
                                       "args: %.*s needs a value", (int)tn, p);
                fx->args[fx->nargs++] = tm_xstrndup(a, (size_t)(b - a));
                q = b;
            }
            p = q;
        }
        return 1;
    }
    if (!strcmp(key, "expect-count")) {
        static const char *const keys[] = {"threats", "components", "flows", "mitigations", NULL};
        const char *p = v;
        int any = 0;
        while (p < end) {
            while (p < end && (*p == ' ' || *p == ','))
                p++;
            if (p >= end)
                break;
            const char *eq = memchr(p, '=', (size_t)(end - p));
            const char *k;
            size_t kn = eq ? (size_t)(eq - p) : 0;
            int known = 0;
            for (const char *const *kk = keys; eq && *kk && !known; kk++)
                known = strlen(*kk) == kn && !strncmp(*kk, p, kn);
            char *stop = NULL;
            long num = known ? strtol(eq + 1, &stop, 10) : -1;
            if (!known || stop == eq + 1 || num < 0 || fx->ncounts == sizeof fx->counts / sizeof fx->counts[0])
                return tm_diag_add(d, TM_DIAG_ERROR, file, line, col + (unsigned)(p - v), NULL,
                                   "expect-count: write threats=N, components=N, flows=N or mitigations=N");
            k = p;
            struct tm_fx_count *cnt = &fx->counts[fx->ncounts++];
            snprintf(cnt->key, sizeof cnt->key, "%.*s", (int)kn, k);
            cnt->n = num;
            cnt->line = line;
            any = 1;
            p = stop;
        }
        if (!any)
            return tm_diag_add(d, TM_DIAG_ERROR, file, line, col, NULL, "expect-count: names no count");
        return 1;
    }
    return 0;
}

static int parse_yaml(tm_fixture *fx, const char *path, const char *data, size_t len, tm_diags *d)
{
    int rc = 0;
    size_t pending = fx->nmarks;   /* marks before it have their line */
    unsigned line = 1;
    for (size_t i = 0; i < len; line++) {
        size_t e = i;
        while (e < len && data[e] != '\n')
            e++;
        const char *ls = data + i, *le = data + e;
        const char *first = ls;
        while (first < le && (*first == ' ' || *first == '\t'))
            first++;
        int blank = first == le || *first == '\r';
        int comment_only = !blank && *first == '#';
        if (!blank && !comment_only) {   /* the line the own-line marks above name */
            for (size_t m = pending; m < fx->nmarks; m++)
                if (!fx->marks[m].target)
                    fx->marks[m].target = line;
            pending = fx->nmarks;
        }
        for (const char *h = ls; (h = memchr(h, '#', (size_t)(le - h))); h++) {
            if (h > ls && h[-1] != ' ' && h[-1] != '\t')
                continue;
            const char *k = h + 1;
            while (k < le && *k == ' ')
                k++;
            const char *ke = k;
            while (ke < le && (is_id_char((unsigned char)*ke)))
                ke++;
            char key[16];
            snprintf(key, sizeof key, "%.*s", (int)(ke - k > 15 ? 15 : ke - k), k);
            unsigned col = (unsigned)(k - ls) + 1;
            int own = h == first;
            /* an annotation runs to the next " #" (another one may follow) */
            const char *ae = ke;
            while (ae < le && !(*ae == '#' && (ae[-1] == ' ' || ae[-1] == '\t')))
                ae++;
            if (ke < le && *ke == ':' && (!strcmp(key, "expect") || !strcmp(key, "ok"))) {
                unsigned target = own ? 0 : line;
                if (parse_rules(fx, ke + 1, ae, line, col + (unsigned)(ke + 1 - k), target, key[0] == 'o', path, d) != 0)
                    rc = -1;
                h = ae - 1;
                continue;
            }
            if (ke < le && *ke == ':') {
                int r = parse_setting(fx, key, ke + 1, ae, line, col, path, d);
                if (r < 0)
                    rc = -1;
                if (r != 0) {
                    h = ae - 1;
                    continue;
                }
            }
            /* `# expect TM310`: an annotation without its colon would pass unseen */
            if ((!strcmp(key, "expect") || !strcmp(key, "ok")) && ke < le && *ke == ' ') {
                const char *w = ke;
                while (w < le && *w == ' ')
                    w++;
                if (w + 2 < le && isupper((unsigned char)w[0]) && isupper((unsigned char)w[1]) &&
                    (isdigit((unsigned char)w[2]) || isupper((unsigned char)w[2]))) {
                    rc = tm_diag_add(d, TM_DIAG_ERROR, path, line, col, NULL,
                                     "'%s' needs a colon: write '# %s: RULE'", key, key);
                    break;
                }
            }
        }
        i = e + 1;
    }
    for (size_t m = pending; m < fx->nmarks; m++)
        if (!fx->marks[m].target)
            rc = tm_diag_add(d, TM_DIAG_ERROR, path, fx->marks[m].line, fx->marks[m].col, NULL,
                             "this annotation stands on a line of its own with no line after it to name");
    return rc;
}

/* FILE.expect beside a JSON fixture: `LINE RULE[, RULE]`, `LINE ok: RULE`,
 * and the settings (`now: D`...), one to a line; `#` starts a comment. */
static int parse_sidecar(tm_fixture *fx, const char *json_path, tm_diags *d)
{
    tm_buf name;
    tm_buf_init(&name);
    tm_buf_printf(&name, "%s.expect", json_path);
    tm_buf text;
    int rr = tm_read_file(name.p, &text, (size_t)1 << 20);
    if (rr != 0) {
        int rc = tm_diag_add(d, TM_DIAG_ERROR, json_path, 0, 0, NULL,
                             "a JSON fixture has no comments: its annotations go in %s (%s)", name.p, tm_read_error(rr));
        tm_buf_free(&name);
        return rc;
    }
    int rc = 0;
    unsigned line = 1;
    for (size_t i = 0; i < text.len; line++) {
        size_t e = i;
        while (e < text.len && text.p[e] != '\n')
            e++;
        char *ls = text.p + i, *le = text.p + e;
        char *hash = memchr(ls, '#', (size_t)(le - ls));
        if (hash)
            le = hash;
        char *p = ls;
        while (p < le && (*p == ' ' || *p == '\t'))
            p++;
        if (p < le && *p != '\r') {
            unsigned col = (unsigned)(p - ls) + 1;
            if (isdigit((unsigned char)*p)) {
                char *stop;
                long target = strtol(p, &stop, 10);
                char *q = stop;
                while (q < le && *q == ' ')
                    q++;
                int ok = (size_t)(le - q) >= 3 && !strncmp(q, "ok:", 3);
                if (target < 1 || target > 100000000 ||
                    parse_rules(fx, ok ? q + 3 : q, le, line, (unsigned)((ok ? q + 3 : q) - ls) + 1, (unsigned)target, ok,
                                name.p, d) != 0)
                    rc = target < 1 ? tm_diag_add(d, TM_DIAG_ERROR, name.p, line, col, NULL, "a line number starts at 1")
                                    : -1;
            } else {
                char *k = p;
                while (p < le && is_id_char((unsigned char)*p))
                    p++;
                char key[16];
                snprintf(key, sizeof key, "%.*s", (int)(p - k > 15 ? 15 : p - k), k);
                int r = p < le && *p == ':' ? parse_setting(fx, key, p + 1, le, line, col, name.p, d) : 0;
                if (r == 0)
                    rc = tm_diag_add(d, TM_DIAG_ERROR, name.p, line, col, NULL,
                                     "expected 'LINE RULE', 'LINE ok: RULE', 'now: DATE', 'expect-read: FORMAT' or"
                                     " 'expect-count: threats=N'");
                else if (r < 0)
                    rc = -1;
            }
        }
        i = e + 1;
    }
    tm_buf_free(&text);
    tm_buf_free(&name);
    return rc;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

int tm_fixture_parse(tm_fixture *fx, const char *path, const char *data, size_t len, tm_diags *d)
{
    memset(fx, 0, sizeof *fx);
    fx->path = tm_xstrdup(path);
    return ends_with(path, ".json") ? parse_sidecar(fx, path, d) : parse_yaml(fx, path, data, len, d);
}

void tm_fixture_free(tm_fixture *fx)
{
    for (size_t i = 0; i < fx->nmarks; i++)
        free(fx->marks[i].rule);
    free(fx->marks);
    free(fx->read_format);
    for (size_t i = 0; i < fx->nargs; i++)
        free(fx->args[i]);
    for (size_t i = 0; i < fx->nsee; i++)
        free(fx->see[i]);
    free(fx->path);
    memset(fx, 0, sizeof *fx);
}

/* ---- finding the fixtures ---- */

typedef struct fx_list {
    char **v;
    size_t n, cap;
} fx_list;

static void list_add(fx_list *l, const char *p)
{
    if (l->n == l->cap)
        l->v = tm_xrealloc(l->v, (l->cap = l->cap ? l->cap * 2 : 16) * sizeof *l->v);
    l->v[l->n++] = tm_xstrdup(p);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_fixture_name(const char *name)
{
    return name[0] != '.' && (ends_with(name, ".yaml") || ends_with(name, ".yml") || ends_with(name, ".json") ||
                              ends_with(name, ".otm"));
}

/* The model files under dir, depth first, skipping hidden entries and links. */
static void collect(const char *dir, fx_list *out, int depth)
{
    DIR *d = depth < 32 ? opendir(dir) : NULL;
    if (!d)
        return;
    fx_list names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            list_add(&names, e->d_name);
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        tm_buf p;
        tm_buf_init(&p);
        tm_buf_printf(&p, "%s/%s", dir, names.v[i]);
        struct stat st;
        if (lstat(p.p, &st) == 0 && S_ISDIR(st.st_mode))
            collect(p.p, out, depth + 1);
        else if (S_ISREG(st.st_mode) && is_fixture_name(names.v[i]))
            list_add(out, p.p);
        tm_buf_free(&p);
        free(names.v[i]);
    }
    free(names.v);
}

/* The rules directory a fixture belongs to: the parent of the nearest
 * `tests` directory above it that holds rule files (*.lua), or NULL. */
static char *rules_dir_of(const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return NULL;
    for (char *s = strrchr(real, '/'); s && s != real; s = strrchr(real, '/')) {
        *s = 0;
        const char *base = strrchr(real, '/');
        if (base && !strcmp(base + 1, "tests")) {
            char parent[PATH_MAX];
            snprintf(parent, sizeof parent, "%.*s", (int)(base - real), real);
            DIR *d = opendir(parent);
            int lua = 0;
            struct dirent *e;
            while (d && !lua && (e = readdir(d)))
                lua = ends_with(e->d_name, ".lua");
            if (d)
                closedir(d);
            if (lua)
                return tm_xstrdup(parent);
        }
    }
    return NULL;
}

/* `val`, named from the directory of the fixture at `fixture`, as a real
 * path inside the fixture's repository (or that directory when there is
 * none): 0 with out filled, or -1. */
static int inside_fixture_repo(const char *fixture, const char *val, char out[PATH_MAX])
{
    char dir[PATH_MAX], root[PATH_MAX];
    if (!realpath(fixture, dir))
        return -1;
    *strrchr(dir, '/') = 0;
    snprintf(root, sizeof root, "%s", dir);
    for (;;) {   /* the repository root above, else the directory */
        char probe[PATH_MAX + 8];
        struct stat st;
        snprintf(probe, sizeof probe, "%s/.git", root);
        if (lstat(probe, &st) == 0)
            break;
        char *slash = strrchr(root, '/');
        if (!slash || slash == root) {
            snprintf(root, sizeof root, "%s", dir);
            break;
        }
        *slash = 0;
    }
    tm_buf full;
    tm_buf_init(&full);
    tm_buf_printf(&full, "%s/%s", val[0] == '/' ? "" : dir, val);
    size_t rl = strlen(root);
    int ok = realpath(full.p, out) && !strncmp(out, root, rl) && out[rl] == '/';
    tm_buf_free(&full);
    return ok ? 0 : -1;
}

/* ---- running one fixture ---- */

/* Runs argv, collecting its standard output (at most FX_MAX_CHILD_OUTPUT
 * bytes) and standard error; the exit status, or -1. */
static int run_child(char *const *argv, tm_buf *out, tm_buf *err)
{
    int po[2], pe[2];
    if (pipe(po) != 0)
        return -1;
    if (pipe(pe) != 0) {
        close(po[0]);
        close(po[1]);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(po[0]);
        close(po[1]);
        close(pe[0]);
        close(pe[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(po[1]);
        close(pe[0]);
        close(pe[1]);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, 0);
        execv(argv[0], argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    /* both pipes read in turn: a child that fills one while we wait on the
     * other would hang */
    int open_fds = 2;
    int fds[2] = {po[0], pe[0]};
    tm_buf *bufs[2] = {out, err};
    while (open_fds) {
        fd_set set;
        FD_ZERO(&set);
        int maxfd = -1;
        for (int k = 0; k < 2; k++)
            if (fds[k] >= 0) {
                FD_SET(fds[k], &set);
                if (fds[k] > maxfd)
                    maxfd = fds[k];
            }
        if (select(maxfd + 1, &set, NULL, NULL, NULL) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int k = 0; k < 2; k++) {
            if (fds[k] < 0 || !FD_ISSET(fds[k], &set))
                continue;
            char chunk[65536];
            ssize_t got = read(fds[k], chunk, sizeof chunk);
            if (got > 0 && bufs[k]->len + (size_t)got <= FX_MAX_CHILD_OUTPUT)
                tm_buf_add(bufs[k], chunk, (size_t)got);
            else if (got <= 0) {
                close(fds[k]);
                fds[k] = -1;
                open_fds--;
            }
        }
    }
    for (int k = 0; k < 2; k++)
        if (fds[k] >= 0)
            close(fds[k]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}


/* One result line of a fixture: "missing" / "unexpected" / "error". */
typedef struct fx_result {
    tm_buf text;     /* the lines to print, each "  file:line: what" */
    size_t failures;
} fx_result;

static void fail_line(fx_result *r, const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail_line(fx_result *r, const char *file, unsigned line, const char *fmt, ...)
{
    tm_buf_adds(&r->text, "  ");
    tm_esc_text(&r->text, file, 0);
    if (line)
        tm_buf_printf(&r->text, ":%u", line);
    tm_buf_adds(&r->text, ": ");
    tm_buf lt;
    tm_buf_init(&lt);
    va_list ap;
    va_start(ap, fmt);
    tm_buf_vprintf(&lt, fmt, ap);
    va_end(ap);
    tm_esc_text(&r->text, lt.p ? lt.p : "", 0);
    tm_buf_free(&lt);
    tm_buf_addc(&r->text, '\n');
    r->failures++;
}

/* The files whose annotations a fixture's findings are held to: the
 * fixture and the files its `# see:` names. */
typedef struct fx_files {
    const tm_fixture *v[9];
    char real[9][PATH_MAX];
    size_t n;
} fx_files;

static int under_test(const fx_files *af, const char *rule)
{
    for (size_t a = 0; a < af->n; a++)
        for (size_t i = 0; i < af->v[a]->nmarks; i++)
            if (!strcmp(af->v[a]->marks[i].rule, rule))
                return 1;
    return 0;
}

/* Compares the child's JSON report with the annotations. */
static void compare(const tm_fixture *fx, const fx_files *af, const tm_doc *doc, fx_result *r)
{
    uint32_t root = doc->root, k;
    uint32_t findings = tm_node_get(doc, root, "findings", 8, &k);
    uint32_t errors = tm_node_get(doc, root, "errors", 6, &k);
    uint32_t files = tm_node_get(doc, root, "files", 5, &k);
    for (uint32_t i = 0; errors != TM_NONE && i < tm_node_count(&doc->nodes[errors]); i++) {
        uint32_t e = doc->kids[doc->nodes[errors].off + i];
        const char *level = tm_node_scalar(doc, e, "level");
        if (level && strcmp(level, "error"))
            continue;
        const char *path = tm_node_scalar(doc, e, "path");
        const char *line = tm_node_scalar(doc, e, "line");
        fail_line(r, path ? path : fx->path, line ? (unsigned)atoi(line) : 0, "error: %s",
                  tm_node_scalar(doc, e, "message") ? tm_node_scalar(doc, e, "message") : "");
    }
    for (uint32_t i = 0; findings != TM_NONE && i < tm_node_count(&doc->nodes[findings]); i++) {
        uint32_t f = doc->kids[doc->nodes[findings].off + i];
        const char *rule = tm_node_scalar(doc, f, "rule");
        const char *sup = tm_node_scalar(doc, f, "suppressed");
        if (!rule || !under_test(af, rule) || (sup && !strcmp(sup, "true")))
            continue;
        const char *path = tm_node_scalar(doc, f, "path");
        const char *ls = tm_node_scalar(doc, f, "line");
        unsigned line = ls ? (unsigned)atoi(ls) : 0;
        /* which annotated file it is in, by real path */
        const tm_fixture *in = NULL;
        char real[PATH_MAX];
        if (path && !strcmp(path, fx->path))
            in = fx;
        else if (path && realpath(path, real))
            for (size_t a = 0; a < af->n && !in; a++)
                if (!strcmp(af->real[a], real))
                    in = af->v[a];
        int expected = 0, forbidden = 0;
        for (size_t m = 0; in && m < in->nmarks; m++) {
            tm_fx_mark *mk = &in->marks[m];
            if (mk->target != line || strcmp(mk->rule, rule))
                continue;
            if (mk->ok)
                forbidden = 1;
            else
                expected = mk->used = 1;
        }
        tm_buf what;
        tm_buf_init(&what);
        tm_buf_printf(&what, "%s: %s", rule, tm_node_scalar(doc, f, "message") ? tm_node_scalar(doc, f, "message") : "");
        if (forbidden)
            fail_line(r, path, line, "found where 'ok' says none may be: %s", what.p);
        else if (!expected)
            fail_line(r, path ? path : fx->path, line, "unexpected %s", what.p);
        tm_buf_free(&what);
    }
    for (size_t a = 0; a < af->n; a++)
        for (size_t m = 0; m < af->v[a]->nmarks; m++) {
            const tm_fx_mark *mk = &af->v[a]->marks[m];
            if (!mk->ok && !mk->used)
                fail_line(r, af->v[a]->path, mk->target, "missing %s (the annotation at line %u expects it)", mk->rule,
                          mk->line);
        }
    /* what the adapter read: the file's format and counts */
    uint32_t file = TM_NONE;
    for (uint32_t i = 0; files != TM_NONE && i < tm_node_count(&doc->nodes[files]) && file == TM_NONE; i++) {
        uint32_t f = doc->kids[doc->nodes[files].off + i];
        const char *p = tm_node_scalar(doc, f, "path");
        if (p && !strcmp(p, fx->path))
            file = f;
    }
    if (fx->read_format) {
        const char *got = file != TM_NONE ? tm_node_scalar(doc, file, "format") : NULL;
        if (!got || strcmp(got, fx->read_format))
            fail_line(r, fx->path, 0, "read as %s, expected %s", got && *got ? got : "nothing", fx->read_format);
    }
    for (size_t i = 0; i < fx->ncounts; i++) {
        uint32_t counts = file != TM_NONE ? tm_node_get(doc, file, "counts", 6, &k) : TM_NONE;
        const char *got = counts != TM_NONE ? tm_node_scalar(doc, counts, fx->counts[i].key) : NULL;
        if (!got || atol(got) != fx->counts[i].n) {
            char want[64];
            snprintf(want, sizeof want, "%s=%ld", fx->counts[i].key, fx->counts[i].n);
            fail_line(r, fx->path, fx->counts[i].line, "yields %s, expected %s", got ? got : "no model", want);
        }
    }
}

/* The fixture and the files its `# see:` names, read: 0, or -1 after a
 * failure said in r (extra[] holds what was read; the caller frees it). */
static int annotated_files(const tm_fixture *fx, fx_files *af, tm_fixture *extra, size_t *nextra, fx_result *r)
{
    af->n = 0;
    *nextra = 0;
    if (!realpath(fx->path, af->real[0]))
        snprintf(af->real[0], PATH_MAX, "%s", fx->path);
    af->v[af->n++] = fx;
    for (size_t i = 0; i < fx->nsee; i++) {
        char real[PATH_MAX];
        if (inside_fixture_repo(fx->path, fx->see[i], real) != 0) {
            fail_line(r, fx->path, 0, "see: %s is not a file inside the fixture's repository", fx->see[i]);
            return -1;
        }
        tm_buf data;
        int rr = tm_read_file(real, &data, (size_t)16 << 20);
        if (rr != 0) {
            fail_line(r, fx->path, 0, "see: cannot read %s: %s", fx->see[i], tm_read_error(rr));
            return -1;
        }
        tm_diags d;
        tm_diags_init(&d);
        tm_fixture *x = &extra[(*nextra)++];
        memset(x, 0, sizeof *x);
        x->path = tm_xstrdup(real);
        int prc = parse_yaml(x, real, data.p ? data.p : "", data.len, &d);
        tm_buf_free(&data);
        for (size_t k = 0; k < d.n; k++)
            fail_line(r, real, d.v[k].line, "error: %s", d.v[k].msg);
        tm_diags_free(&d);
        if (prc != 0)
            return -1;
        snprintf(af->real[af->n], PATH_MAX, "%s", real);
        af->v[af->n++] = x;
    }
    return 0;
}

static void run_one(tm_ctx *c, const char *self, const tm_fixture *fx, const char *rules_dir, fx_result *r)
{
    fx_files af;
    tm_fixture extra[8];
    size_t nextra = 0;
    if (annotated_files(fx, &af, extra, &nextra, r) != 0) {
        for (size_t i = 0; i < nextra; i++)
            tm_fixture_free(&extra[i]);
        return;
    }
    char now[16];
    snprintf(now, sizeof now, "%s", fx->now[0] ? fx->now : c->opts.now ? c->opts.now : "2026-01-01");
    const char *argv[160];
    size_t n = 0;
    argv[n++] = self;
    argv[n++] = "check";
    argv[n++] = "--format";
    argv[n++] = "json";
    argv[n++] = "--color";
    argv[n++] = "never";
    argv[n++] = "--fail-on";
    argv[n++] = "none";
    argv[n++] = "--now";
    argv[n++] = now;
    if (rules_dir) {
        argv[n++] = "--rules-dir";
        argv[n++] = rules_dir;
    }
    /* every rule runs, as in a real check (TM005 judges suppressions by
     * what the other rules found); the findings of the rules not under
     * test are not compared. Each rule under test is switched on, whatever
     * the configuration says, and one the child does not load is its
     * error: never a pass because the rule was absent */
    for (size_t a = 0; a < af.n; a++)
        for (size_t i = 0; i < af.v[a]->nmarks && n < 60; i++) {
            const char *rule = af.v[a]->marks[i].rule;
            int seen = 0;
            for (size_t j = 2; j < n && !seen; j++)
                seen = !strcmp(argv[j - 1], "--enable") && !strcmp(argv[j], rule);
            if (!seen) {
                argv[n++] = "--enable";
                argv[n++] = rule;
            }
        }
    /* `# args:`: a results file is named from the fixture's directory and
     * must lie in the fixture's repository (or that directory) */
    char *owned[8];
    size_t nowned = 0;
    for (size_t i = 0; i < fx->nargs && n < 120; i++) {
        argv[n++] = fx->args[i];
        if (strcmp(fx->args[i], "--test-results") || i + 1 >= fx->nargs)
            continue;
        const char *val = fx->args[++i];
        char real[PATH_MAX];
        if (inside_fixture_repo(fx->path, val, real) != 0 || nowned == 8) {
            fail_line(r, fx->path, 0, "args: --test-results %s is not a file inside the fixture's repository", val);
            for (size_t k = 0; k < nowned; k++)
                free(owned[k]);
            for (size_t k = 0; k < nextra; k++)
                tm_fixture_free(&extra[k]);
            return;
        }
        argv[n++] = owned[nowned++] = tm_xstrdup(real);
    }
    argv[n++] = "--";
    argv[n++] = fx->path;
    argv[n] = NULL;
    tm_buf out, err;
    tm_buf_init(&out);
    tm_buf_init(&err);
    int rc = run_child((char *const *)argv, &out, &err);
    for (size_t k = 0; k < nowned; k++)
        free(owned[k]);
    if (rc < 0 || rc > 2 || !out.len) {
        tm_buf msg;
        tm_buf_init(&msg);
        tm_buf_printf(&msg, "tmlint check could not check it (exit %d): %.300s", rc, err.p ? err.p : "");
        fail_line(r, fx->path, 0, "%s", msg.p);
        tm_buf_free(&msg);
    } else {
        tm_src src = {tm_xstrdup("<tmlint check --format json>"), out.p, out.len};
        out.p = NULL;
        tm_docs docs = {0};
        tm_diags d;
        tm_diags_init(&d);
        tm_limits lim = {256, 100000000ull, FX_MAX_CHILD_OUTPUT, 1};
        if (tm_yaml_load(&src, &lim, &docs, &d) == 0 && docs.n == 1)
            compare(fx, &af, docs.v[0], r);
        else
            fail_line(r, fx->path, 0, "tmlint check's report could not be read");
        tm_docs_free(&docs);
        tm_diags_free(&d);
        tm_src_free(&src);
    }
    tm_buf_free(&out);
    tm_buf_free(&err);
    for (size_t i = 0; i < nextra; i++)
        tm_fixture_free(&extra[i]);
}

/* ---- the command ---- */

static void junit_case(tm_buf *b, const char *path, const fx_result *r)
{
    tm_buf_adds(b, "    <testcase classname=\"tmlint.test\" name=\"");
    tm_out_markup(b, path);
    tm_buf_adds(b, "\"");
    if (!r->failures) {
        tm_buf_adds(b, "/>\n");
        return;
    }
    tm_buf_printf(b, "><failure message=\"%zu mismatch%s\">", r->failures, r->failures == 1 ? "" : "es");
    tm_out_markup(b, r->text.p ? r->text.p : "");
    tm_buf_adds(b, "</failure></testcase>\n");
}

int tm_fixture_cmd(tm_ctx *c, char *const *paths, size_t n, const char *format, const char *self)
{
    int junit = format && !strcmp(format, "junit");
    if (format && !junit && strcmp(format, "text")) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "test writes text or junit, not '%s'", format);
        return 2;
    }
    fx_list files = {0};
    /* no paths: the tests/ folder of each team rules directory in effect */
    fx_list roots = {0};
    if (!n) {
        char real[PATH_MAX];
        if (c->opts.rules_dir && realpath(c->opts.rules_dir, real))
            list_add(&roots, real);
        for (size_t i = 0; i < c->nrules; i++) {
            char *dir = c->rules[i].path ? tm_xstrdup(c->rules[i].path) : NULL;
            char *slash = dir ? strrchr(dir, '/') : NULL;
            if (slash && (c->rules[i].origin || (c->opts.rules_dir && !strstr(dir, c->rules_dir)))) {
                *slash = 0;
                int seen = 0;
                for (size_t j = 0; j < roots.n && !seen; j++)
                    seen = !strcmp(roots.v[j], dir);
                if (!seen)
                    list_add(&roots, dir);
            }
            free(dir);
        }
        char cwd[PATH_MAX];
        size_t cl = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
        for (size_t i = 0; i < roots.n; i++) {
            tm_buf t;
            tm_buf_init(&t);
            /* below the working directory: named from there, as a user would */
            const char *r = roots.v[i];
            if (cl > 1 && !strncmp(r, cwd, cl) && r[cl] == '/')
                r += cl + 1;
            tm_buf_printf(&t, "%s/tests", r);
            collect(t.p, &files, 0);
            tm_buf_free(&t);
        }
        if (!files.n) {
            tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                        "no fixtures: name fixture files or directories, or keep them in a tests/ folder of a rules"
                        " directory the configuration names (rules_dirs) or --rules-dir names");
            for (size_t i = 0; i < roots.n; i++)
                free(roots.v[i]);
            free(roots.v);
            return 2;
        }
    }
    for (size_t i = 0; i < roots.n; i++)
        free(roots.v[i]);
    free(roots.v);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, paths[i], 0, 0, NULL, "cannot read: %s", strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            size_t before = files.n;
            char *p = tm_xstrdup(paths[i]);
            size_t l = strlen(p);
            while (l > 1 && p[l - 1] == '/')
                p[--l] = 0;
            collect(p, &files, 0);
            free(p);
            if (files.n == before)
                tm_diag_add(&c->diags, TM_DIAG_WARNING, paths[i], 0, 0, NULL, "holds no fixture (*.yaml, *.yml, *.json)");
        } else {
            list_add(&files, paths[i]);
        }
    }
    tm_buf report;
    tm_buf_init(&report);
    size_t passed = 0, failed = 0, bad = 0, skipped = 0;
    tm_buf cases;
    tm_buf_init(&cases);
    for (size_t i = 0; i < files.n; i++) {
        const char *path = files.v[i];
        tm_buf data;
        int rr = tm_read_file(path, &data, c->opts.limits.max_file_size);
        tm_fixture fx;
        tm_diags d;
        tm_diags_init(&d);
        fx_result r = {{0}, 0};
        tm_buf_init(&r.text);
        int perr = rr != 0 ? tm_diag_add(&d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot read: %s", tm_read_error(rr))
                           : tm_fixture_parse(&fx, path, data.p ? data.p : "", data.len, &d);
        if (rr != 0)
            memset(&fx, 0, sizeof fx);
        /* --only RULE: the marks of other rules are dropped */
        if (perr == 0 && c->opts.nonly) {
            size_t keep = 0;
            for (size_t m = 0; m < fx.nmarks; m++) {
                int want = 0;
                for (size_t o = 0; o < c->opts.nonly && !want; o++)
                    want = !strcasecmp(c->opts.only[o], fx.marks[m].rule);
                if (want)
                    fx.marks[keep++] = fx.marks[m];
                else
                    free(fx.marks[m].rule);
            }
            fx.nmarks = keep;
            if (!keep) {
                skipped++;
                tm_fixture_free(&fx);
                tm_buf_free(&data);
                tm_buf_free(&r.text);
                tm_diags_free(&d);
                continue;
            }
        }
        char *rdir = perr == 0 ? rules_dir_of(path) : NULL;
        if (rdir && c->rules_dir) {   /* the built-in rules need no --rules-dir */
            char real[PATH_MAX];
            if (realpath(c->rules_dir, real) && !strcmp(real, rdir)) {
                free(rdir);
                rdir = NULL;
            }
        }
        if (perr == 0 && !fx.nmarks && !fx.read_format && !fx.ncounts)
            perr = tm_diag_add(&d, TM_DIAG_ERROR, path, 0, 0, NULL,
                               "no annotation: say what it must give ('# expect: RULE', '# ok: RULE', or a sidecar"
                               " .expect for JSON)");
        /* an annotation naming a rule nobody loads is a typo, not a pass */
        if (rr == 0 && fx.nmarks) {
            int badcfg = 0;
            tm_cfg *cfg = tm_cfg_for(c, path, &badcfg);
            if (cfg)
                cfg->used = 1;
            if (rdir)
                tm_rules_load_extra(c, rdir, NULL);
            tm_cfg_load_rule_dirs(c);
            for (size_t m = 0; m < fx.nmarks; m++)
                if (tm_rules_find_id(c, fx.marks[m].rule) < 0)
                    perr = tm_diag_add(&d, TM_DIAG_ERROR, ends_with(path, ".json") ? NULL : path, fx.marks[m].line,
                                       fx.marks[m].col, NULL, "no rule has the id '%s' (tmlint rules lists them)",
                                       fx.marks[m].rule);
        }
        if (perr == 0)
            run_one(c, self, &fx, rdir ? rdir : c->opts.rules_dir, &r);
        for (size_t k = 0; k < d.n; k++) {
            tm_buf where;
            tm_buf_init(&where);
            if (d.v[k].line)
                tm_buf_printf(&where, "%s:%u:%u", d.v[k].file ? d.v[k].file : path, d.v[k].line, d.v[k].col);
            else
                tm_buf_adds(&where, d.v[k].file ? d.v[k].file : path);
            fail_line(&r, where.p, 0, "error: %s", d.v[k].msg);
            tm_buf_free(&where);
        }
        if (perr != 0)
            bad++;
        else if (r.failures)
            failed++;
        else
            passed++;
        if (!junit) {
            tm_buf_adds(&report, r.failures ? "FAIL " : "ok   ");
            tm_esc_text(&report, path, 0);
            tm_buf_addc(&report, '\n');
            if (r.text.p)
                tm_buf_adds(&report, r.text.p);
        } else {
            junit_case(&cases, path, &r);
        }
        free(rdir);
        tm_fixture_free(&fx);
        tm_buf_free(&data);
        tm_buf_free(&r.text);
        tm_diags_free(&d);
    }
    size_t total = passed + failed + bad;
    if (junit) {
        tm_buf_adds(&report, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        tm_buf_printf(&report, "  <testsuite name=\"tmlint test\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", total,
                      failed + bad);
        if (cases.p)
            tm_buf_adds(&report, cases.p);
        tm_buf_adds(&report, "  </testsuite>\n</testsuites>\n");
    } else {
        tm_buf_printf(&report, "tmlint test: %zu passed, %zu failed", passed, failed + bad);
        if (skipped)
            tm_buf_printf(&report, ", %zu without the rules of --only", skipped);
        tm_buf_printf(&report, " (%zu fixture%s)\n", total, total == 1 ? "" : "s");
    }
    if (tm_io_save(c->opts.output, report.p ? report.p : "", report.len, &c->diags) != 0)
        rc = -1;
    tm_buf_free(&report);
    tm_buf_free(&cases);
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    free(files.v);
    if (rc != 0)
        return 2;
    if (!total) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL, "no fixture was run");
        return 2;
    }
    return failed + bad ? 1 : 0;
}
