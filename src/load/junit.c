#include "junit.h"
#include "buf.h"
#include <expat.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 256

typedef struct reader {
    tm_tests *t;
    XML_Parser p;
    uint32_t src;
    int depth;
    int in_case;                 /* depth of the open testcase, or 0 */
    int seen_root;
    int collect;                 /* gathering a failure's text for its message */
    char *suite_file[MAX_DEPTH + 1];
    char err[160];               /* our reason to stop, or "" */
} reader;

void tm_tests_init(tm_tests *t) { memset(t, 0, sizeof *t); }

static void case_free(tm_test_case *c)
{
    free(c->name);
    free(c->classname);
    free(c->file);
    free(c->message);
}

void tm_tests_free(tm_tests *t)
{
    for (size_t i = 0; i < t->n; i++)
        case_free(&t->v[i]);
    free(t->v);
    for (size_t i = 0; i < t->nfiles; i++)
        free(t->files[i]);
    free(t->files);
    memset(t, 0, sizeof *t);
}

const char *tm_test_result_name(tm_test_result r)
{
    switch (r) {
    case TM_TEST_PASSED: return "passed";
    case TM_TEST_SKIPPED: return "skipped";
    case TM_TEST_FAILED: return "failed";
    case TM_TEST_ERROR: return "errored";
    }
    return "?";
}

static void stop(reader *r, const char *why)
{
    if (!r->err[0])
        snprintf(r->err, sizeof r->err, "%s", why);
    XML_StopParser(r->p, XML_FALSE);
}

static const char *attr(const XML_Char **atts, const char *key)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (!strcmp(atts[i], key))
            return atts[i + 1];
    return NULL;
}

static char *dup_or_null(const char *s) { return s && *s ? tm_xstrdup(s) : NULL; }

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    reader *r = ud;
    if (r->err[0])
        return;
    if (++r->depth > MAX_DEPTH) {
        stop(r, "elements nest deeper than 256");
        return;
    }
    r->suite_file[r->depth] = NULL;
    if (!r->seen_root) {
        r->seen_root = 1;
        if (strcmp(name, "testsuites") && strcmp(name, "testsuite")) {
            char why[120];
            snprintf(why, sizeof why, "not JUnit XML: the root element is <%.40s>, not <testsuites> or <testsuite>", name);
            stop(r, why);
            return;
        }
    }
    if (!strcmp(name, "testsuite")) {
        r->suite_file[r->depth] = dup_or_null(attr(atts, "file"));
    } else if (!strcmp(name, "testcase") && !r->in_case) {
        tm_tests *t = r->t;
        if (t->n >= TM_TESTS_MAX_CASES) {
            stop(r, "more than 1,000,000 test cases");
            return;
        }
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 64;
            t->v = tm_xrealloc(t->v, t->cap * sizeof *t->v);
        }
        tm_test_case *c = &t->v[t->n++];
        memset(c, 0, sizeof *c);
        c->name = tm_xstrdup(attr(atts, "name") ? attr(atts, "name") : "");
        c->classname = dup_or_null(attr(atts, "classname"));
        c->file = dup_or_null(attr(atts, "file"));
        for (int d = r->depth - 1; !c->file && d > 0; d--)
            c->file = dup_or_null(r->suite_file[d]);
        c->src = r->src;
        c->line = (uint32_t)XML_GetCurrentLineNumber(r->p);
        /* ctest marks tests it did not run in an attribute as well */
        const char *st = attr(atts, "status");
        if (st && (!strcmp(st, "notrun") || !strcmp(st, "disabled")))
            c->result = TM_TEST_SKIPPED;
        r->in_case = r->depth;
    } else if (r->in_case && r->depth == r->in_case + 1) {
        tm_test_result res;
        if (!strcmp(name, "failure"))
            res = TM_TEST_FAILED;
        else if (!strcmp(name, "error"))
            res = TM_TEST_ERROR;
        else if (!strcmp(name, "skipped"))
            res = TM_TEST_SKIPPED;
        else
            return;
        tm_test_case *c = &r->t->v[r->t->n - 1];
        if (res > c->result)
            c->result = res;
        if (!c->message)
            c->message = dup_or_null(attr(atts, "message"));
        r->collect = !c->message && res != TM_TEST_SKIPPED;   /* jest-junit puts it in the text */
    }
}

/* The first line of a failure's text, at most 200 bytes, as its message. */
static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    reader *r = ud;
    if (!r->collect || r->err[0])
        return;
    tm_test_case *c = &r->t->v[r->t->n - 1];
    size_t have = c->message ? strlen(c->message) : 0;
    size_t take = 0;
    while (take < (size_t)len && s[take] != '\n' && have + take < 200)
        take++;
    if (have == 0)
        while (take > 0 && (*s == ' ' || *s == '\t')) {
            s++, take--, len--;
        }
    if (take) {
        c->message = tm_xrealloc(c->message, have + take + 1);
        memcpy(c->message + have, s, take);
        c->message[have + take] = 0;
    }
    if (take < (size_t)len && (have || take))
        r->collect = 0;   /* the line ended, or the cap was reached */
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    (void)name;
    reader *r = ud;
    if (r->depth <= 0)
        return;
    free(r->suite_file[r->depth]);
    r->suite_file[r->depth] = NULL;
    r->collect = 0;
    if (r->in_case == r->depth)
        r->in_case = 0;
    r->depth--;
}

/* A DOCTYPE is the only way to declare entities: refusing it rules out
 * entity expansion (the billion laughs) and external entities alike. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub, int internal)
{
    (void)name, (void)sys, (void)pub, (void)internal;
    stop(ud, "has a DOCTYPE, which test results never need; refused, so that no entity is expanded");
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int param, const XML_Char *value, int len,
                              const XML_Char *base, const XML_Char *sys, const XML_Char *pub, const XML_Char *notation)
{
    (void)name, (void)param, (void)value, (void)len, (void)base, (void)sys, (void)pub, (void)notation;
    stop(ud, "declares an entity; refused");
}

static int fail(tm_tests *t, size_t keep, reader *r, tm_diags *d, const char *path, uint32_t line, uint32_t col,
                const char *msg)
{
    for (size_t i = keep; i < t->n; i++)
        case_free(&t->v[i]);
    t->n = keep;
    for (int k = 1; r && k <= r->depth && k <= MAX_DEPTH; k++)
        free(r->suite_file[k]);
    return tm_diag_add(d, TM_DIAG_ERROR, path, line, col, NULL, "test results: %s", msg);
}

int tm_tests_load(tm_tests *t, const char *path, size_t max_bytes, tm_diags *d)
{
    size_t keep = t->n;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return fail(t, keep, NULL, d, path, 0, 0, "cannot be opened");
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(t, keep, NULL, d, path, 0, 0, "is not a regular file");
    }
    if ((size_t)st.st_size > max_bytes) {
        close(fd);
        char msg[96];
        snprintf(msg, sizeof msg, "larger than %zu bytes (--max-file-size)", max_bytes);
        return fail(t, keep, NULL, d, path, 0, 0, msg);
    }
    reader r;
    memset(&r, 0, sizeof r);
    r.t = t;
    r.src = (uint32_t)t->nfiles;
    r.p = XML_ParserCreate(NULL);
    if (!r.p) {
        close(fd);
        return fail(t, keep, NULL, d, path, 0, 0, "out of memory");
    }
    XML_SetUserData(r.p, &r);
    XML_SetElementHandler(r.p, on_start, on_end);
    XML_SetCharacterDataHandler(r.p, on_text);
    XML_SetStartDoctypeDeclHandler(r.p, on_doctype);
    XML_SetEntityDeclHandler(r.p, on_entity);
    XML_SetParamEntityParsing(r.p, XML_PARAM_ENTITY_PARSING_NEVER);
    char buf[65536];
    size_t total = 0;
    int ok = 1, done = 0;
    while (ok && !done) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0) {
            ok = 0;
            snprintf(r.err, sizeof r.err, "read error");
            break;
        }
        total += (size_t)got;
        if (total > max_bytes) {   /* it grew while being read */
            ok = 0;
            snprintf(r.err, sizeof r.err, "larger than %zu bytes (--max-file-size)", max_bytes);
            break;
        }
        done = got == 0;
        if (XML_Parse(r.p, buf, (int)got, done) == XML_STATUS_ERROR)
            ok = 0;
    }
    close(fd);
    uint32_t line = (uint32_t)XML_GetCurrentLineNumber(r.p);
    uint32_t col = (uint32_t)XML_GetCurrentColumnNumber(r.p) + 1;
    if (ok && !r.seen_root)
        snprintf(r.err, sizeof r.err, "holds no element"), ok = 0;
    if (!ok) {
        char msg[200];
        if (r.err[0])
            snprintf(msg, sizeof msg, "%s", r.err);
        else
            snprintf(msg, sizeof msg, "not well-formed XML: %s", XML_ErrorString(XML_GetErrorCode(r.p)));
        XML_ParserFree(r.p);
        return fail(t, keep, &r, d, path, line, col, msg);
    }
    XML_ParserFree(r.p);
    t->files = tm_xrealloc(t->files, (t->nfiles + 1) * sizeof *t->files);
    t->files[t->nfiles++] = tm_xstrdup(path);
    return 0;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !memcmp(s + a - b, tail, b);
}

static const char *unrooted(const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    return p;
}

/* Whether a case is in the file at `path`: by its file attribute, else by
 * a classname that spells the path as a module (tests/a/b_test.py is
 * tests.a.b_test, as pytest writes it). */
static int in_file(const tm_test_case *c, const char *path)
{
    if (c->file) {
        const char *f = unrooted(c->file);
        if (!strcmp(f, path))
            return 1;
        size_t n = strlen(path);
        size_t fl = strlen(f);
        return fl > n && f[fl - n - 1] == '/' && ends_with(f, path);   /* an absolute path */
    }
    if (!c->classname)
        return 0;
    char mod[1024];
    size_t n = strlen(path);
    if (n >= sizeof mod)
        return 0;
    memcpy(mod, path, n + 1);
    char *dot = strrchr(mod, '.');
    char *slash = strrchr(mod, '/');
    if (dot && (!slash || dot > slash))
        *dot = 0;
    for (char *p = mod; *p; p++)
        if (*p == '/')
            *p = '.';
    size_t m = strlen(mod);
    return !strncmp(c->classname, mod, m) && (c->classname[m] == 0 || c->classname[m] == '.');
}

/* Whether a case has the name `name`: "test_x", "TestA::test_x" (a class),
 * a parametrized "test_x[1]", or jest's "<describe> <title>". */
static int named(const tm_test_case *c, const char *name)
{
    const char *leaf = name, *sep;
    while ((sep = strstr(leaf, "::")))
        leaf = sep + 2;
    size_t ln = strlen(leaf);
    int ok = !strcmp(c->name, leaf) || (!strncmp(c->name, leaf, ln) && c->name[ln] == '[');
    if (ok && leaf != name) {   /* the classes before the leaf must end the classname */
        char cls[512];
        size_t cn = (size_t)(leaf - 2 - name);
        if (cn >= sizeof cls)
            return 0;
        size_t k = 0;
        for (size_t i = 0; i < cn; i++) {
            if (name[i] == ':' && name[i + 1] == ':') {
                cls[k++] = '.';
                i++;
            } else {
                cls[k++] = name[i];
            }
        }
        cls[k] = 0;
        const char *cl = c->classname ? c->classname : "";
        ok = !strcmp(cl, cls) || (strlen(cl) > k && cl[strlen(cl) - k - 1] == '.' && ends_with(cl, cls));
    }
    if (!ok && leaf == name) {
        size_t cl = strlen(c->name);
        ok = cl > ln && c->name[cl - ln - 1] == ' ' && ends_with(c->name, name);
    }
    return ok;
}

int tm_tests_find(const tm_tests *t, const char *path, const char *name, size_t *at, size_t *cost)
{
    path = unrooted(path);
    *cost = t->n;
    /* two passes: cases of that name in that file; failing that (the
     * producer wrote no file, as ctest does), cases of that name anywhere */
    for (int pass = 0; pass < 2; pass++) {
        int best = -1;
        for (size_t i = 0; i < t->n; i++) {
            const tm_test_case *c = &t->v[i];
            if (name ? !named(c, name) : 0)
                continue;
            if ((pass == 0 || !name) && !in_file(c, path))
                continue;
            if (pass == 1 && (c->file || (c->classname && strchr(c->classname, '.'))))
                continue;   /* a case placed in another file or module is not this test */
            if ((int)c->result > best) {
                best = (int)c->result;
                *at = i;
            }
        }
        if (best >= 0 || !name)
            return best;
    }
    return -1;
}
