#include "fix.h"
#include "buf.h"
#include "esc.h"
#include "findings.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct edit {
    size_t at, len;      /* the bytes replaced */
    size_t finding;      /* index in c->findings */
    unsigned line;
} edit;

/* A replacement that stays the same scalar wherever it goes: letters,
 * digits, '-', '_', '.' and inner spaces. */
int tm_fix_safe_text(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 128 || s[0] == ' ' || s[n - 1] == ' ')
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_' || *p == '.' || *p == ' '))
            return 0;
    return 1;
}

/* The byte offset of (line, col), 1-based, col in code points; a BOM
 * does not count on line 1. SIZE_MAX when past the text. */
size_t tm_fix_offset(const char *d, size_t n, unsigned line, unsigned col)
{
    size_t i = n >= 3 && !memcmp(d, "\xEF\xBB\xBF", 3) ? 3 : 0;
    for (unsigned l = 1; l < line; l++) {
        const char *nl = memchr(d + i, '\n', n - i);
        if (!nl)
            return SIZE_MAX;
        i = (size_t)(nl - d) + 1;
    }
    for (unsigned c = 1; c < col; c++) {
        if (i >= n || d[i] == '\n')
            return SIZE_MAX;
        i++;
        while (i < n && ((unsigned char)d[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static int cmp_edit(const void *a, const void *b)
{
    const edit *x = a, *y = b;
    return x->at < y->at ? 1 : x->at > y->at ? -1 : 0;   /* from the end: offsets before stay right */
}

/* The line [s, e) of d holding offset `at`. */
static void line_around(const char *d, size_t n, size_t at, size_t *s, size_t *e)
{
    *s = at;
    while (*s > 0 && d[*s - 1] != '\n')
        (*s)--;
    *e = at;
    while (*e < n && d[*e] != '\n')
        (*e)++;
}

/* Writes data to path whole or not at all: a temporary file beside it,
 * the same mode, then rename. */
static int write_whole(tm_ctx *c, const char *path, const char *data, size_t len)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "--fix: cannot read: %s", strerror(errno));
    tm_buf tmp;
    tm_buf_init(&tmp);
    tm_buf_printf(&tmp, "%s.tmlint-fix-XXXXXX", path);
    int fd = mkstemp(tmp.p);
    if (fd < 0) {
        int rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "--fix: cannot write beside it: %s",
                             strerror(errno));
        tm_buf_free(&tmp);
        return rc;
    }
    size_t done = 0;
    int ok = 1;
    while (ok && done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w <= 0)
            ok = 0;
        else
            done += (size_t)w;
    }
    ok = ok && fchmod(fd, st.st_mode & 07777) == 0;
    ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp.p, path) == 0;
    int rc = 0;
    if (!ok) {
        rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "--fix: cannot write: %s (the file is unchanged)",
                         strerror(errno));
        unlink(tmp.p);
    }
    tm_buf_free(&tmp);
    return rc;
}

/* The fixes of one file: applied, or printed as a diff. Marks the fixed
 * findings in `fixed`. */
static long fix_file(tm_ctx *c, uint32_t fi, int diff, unsigned char *fixed, const char *root)
{
    const tm_file *f = &c->files[fi];
    edit *ed = NULL;
    size_t ne = 0;
    for (size_t i = 0; i < c->findings.n; i++) {
        const tm_finding *x = &c->findings.v[i];
        if (x->file == fi && x->fix && x->fix_old && !x->justification && x->baseline != TM_BASE_ABSENT &&
            tm_fix_safe_text(x->fix)) {
            ed = tm_xrealloc(ed, (ne + 1) * sizeof *ed);
            ed[ne++] = (edit){0, 0, i, x->line};
        }
    }
    if (!ne)
        return 0;
    /* never standard input, never outside the tree */
    char real[PATH_MAX];
    size_t rl = strlen(root);
    if (f->data || !realpath(f->path, real) || strncmp(real, root, rl) || (real[rl] != '/' && strcmp(root, "/"))) {
        tm_diag_add(&c->diags, TM_DIAG_NOTE, f->path, 0, 0, NULL,
                    "--fix: not fixed: %s", f->data ? "standard input is not a file tmlint may write"
                                                     : "it lies outside the tree being checked");
        free(ed);
        return 0;
    }
    tm_buf text;
    int rr = tm_read_file(real, &text, c->opts.limits.max_file_size);
    if (rr != 0) {
        tm_diag_add(&c->diags, TM_DIAG_ERROR, f->path, 0, 0, NULL, "--fix: cannot read: %s", tm_read_error(rr));
        free(ed);
        return -1;
    }
    const char *d = text.p ? text.p : "";
    size_t n = text.len;
    /* each edit: the bytes of the key or value, inside its quotes, when
     * they still read as what the rule saw */
    size_t k = 0;
    for (size_t i = 0; i < ne; i++) {
        const tm_finding *x = &c->findings.v[ed[i].finding];
        size_t s = tm_fix_offset(d, n, x->line, x->col), e = tm_fix_offset(d, n, x->end_line, x->end_col);
        if (s == SIZE_MAX || e == SIZE_MAX || e <= s)
            continue;
        if (e - s >= 2 && (d[s] == '"' || d[s] == '\'') && d[e - 1] == d[s]) {
            s++;
            e--;
        }
        if (e - s != strlen(x->fix_old) || memcmp(d + s, x->fix_old, e - s))
            continue;   /* escapes, or the file moved: not this fix's business */
        ed[k] = ed[i];
        ed[k].at = s;
        ed[k].len = e - s;
        k++;
    }
    ne = k;
    qsort(ed, ne, sizeof *ed, cmp_edit);
    tm_buf out;
    tm_buf_init(&out);
    tm_buf_add(&out, d, n);
    size_t last = SIZE_MAX;   /* start of the edit after this one: overlaps are skipped */
    long count = 0;
    tm_buf patch;
    tm_buf_init(&patch);
    for (size_t i = 0; i < ne; i++) {
        if (ed[i].at + ed[i].len > last)
            continue;
        const tm_finding *x = &c->findings.v[ed[i].finding];
        size_t fl = strlen(x->fix);
        /* splice into out: offsets before this edit are unchanged */
        tm_buf next;
        tm_buf_init(&next);
        tm_buf_add(&next, out.p, ed[i].at);
        tm_buf_add(&next, x->fix, fl);
        tm_buf_add(&next, out.p + ed[i].at + ed[i].len, out.len - ed[i].at - ed[i].len);
        tm_buf_free(&out);
        out = next;
        last = ed[i].at;
        fixed[ed[i].finding] = 1;
        count++;
    }
    if (count && diff) {
        /* one hunk per changed line, in file order (edits run from the end) */
        tm_buf_adds(&patch, "--- a/");
        tm_esc_text(&patch, f->path, 0);
        tm_buf_adds(&patch, "\n+++ b/");
        tm_esc_text(&patch, f->path, 0);
        tm_buf_addc(&patch, '\n');
        for (size_t i = ne; i-- > 0;) {
            if (!fixed[ed[i].finding])
                continue;
            unsigned line = ed[i].line;
            if (i + 1 < ne && fixed[ed[i + 1].finding] && ed[i + 1].line == line)
                continue;   /* the line was shown with the edit before it */
            size_t os, oe, ns, ne2;
            line_around(d, n, ed[i].at, &os, &oe);
            /* the same line in the new text: count lines up to it */
            const char *p = out.p;
            ns = 0;
            for (unsigned l = 1; l < line; l++) {   /* a fix never adds or removes a line */
                const char *nl = memchr(p + ns, '\n', out.len - ns);
                if (!nl)
                    break;
                ns = (size_t)(nl - p) + 1;
            }
            ne2 = ns;
            while (ne2 < out.len && p[ne2] != '\n')
                ne2++;
            /* the file's own lines reach a terminal: control characters
             * and hidden code points escaped, as every text tmlint prints */
            tm_buf_printf(&patch, "@@ -%u +%u @@\n-", line, line);
            char *ol = tm_xstrndup(d + os, oe - os), *nl = tm_xstrndup(p + ns, ne2 - ns);
            tm_esc_text(&patch, ol, 0);
            tm_buf_adds(&patch, "\n+");
            tm_esc_text(&patch, nl, 0);
            tm_buf_addc(&patch, '\n');
            free(ol);
            free(nl);
        }
        fwrite(patch.p, 1, patch.len, stdout);
    }
    int wrc = 0;
    if (count && !diff)
        wrc = write_whole(c, real, out.p, out.len);
    /* what was fixed, in file order (the edits ran from the end) */
    for (size_t i = ne; !diff && wrc == 0 && i-- > 0;) {
        if (!fixed[ed[i].finding])
            continue;
        const tm_finding *x = &c->findings.v[ed[i].finding];
        tm_esc_fputs(f->path, stderr);
        fprintf(stderr, ":%u:%u: fixed %s: '", x->line, x->col, c->rules[x->rule].id);
        tm_esc_fputs(x->fix_old, stderr);
        fputs("' -> '", stderr);
        tm_esc_fputs(x->fix, stderr);
        fputs("'\n", stderr);
    }

    tm_buf_free(&patch);
    tm_buf_free(&out);
    tm_buf_free(&text);
    free(ed);
    if (wrc != 0) {
        for (size_t i = 0; i < c->findings.n; i++)
            if (c->findings.v[i].file == fi)
                fixed[i] = 0;
        return -1;
    }
    return count;
}

long tm_fix_apply(tm_ctx *c, int diff)
{
    unsigned char *fixed = tm_xcalloc(c->findings.n + 1, 1);
    char root[PATH_MAX];
    if (!c->root || !realpath(c->root, root))
        snprintf(root, sizeof root, "%s", c->root ? c->root : "/");
    size_t rl = strlen(root);
    while (rl > 1 && root[rl - 1] == '/')
        root[--rl] = 0;
    long total = 0;
    int failed = 0;
    for (uint32_t fi = 0; fi < c->nfiles; fi++) {
        long r = fix_file(c, fi, diff, fixed, root);
        if (r < 0)
            failed = 1;
        else
            total += r;
    }
    /* what was fixed is no longer a finding */
    if (!diff) {
        size_t k = 0;
        for (size_t i = 0; i < c->findings.n; i++) {
            if (fixed[i])
                tm_fnd_release(&c->findings.v[i]);
            else
                c->findings.v[k++] = c->findings.v[i];
        }
        c->findings.n = k;
    }
    free(fixed);
    return failed ? -1 : total;
}
