#include "out.h"
#include "utf8.h"
#include "audit.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const tm_writer tm_writers[] = {
    {"text", "path:line:col: level: message [rule], for terminals and editors", tm_out_text},
    {"full", "text with each finding's source line and a caret under its column", tm_out_full},
    {"sarif", "SARIF 2.1.0, for GitHub code scanning and other CI", tm_out_sarif},
    {"json", "tmlint's own JSON, for scripts (docs/json-format.md)", tm_out_json},
    {"codequality", "GitLab Code Quality JSON", tm_out_codequality},
    {"junit", "JUnit XML: a test suite per file, a test per finding (failed at or above --fail-on)", tm_out_junit},
    {"html", "one self-contained HTML page (audit report)", tm_out_audit_html},
    {NULL, NULL, NULL}};

const tm_writer *tm_out_find(const char *name)
{
    for (const tm_writer *w = tm_writers; w->name; w++)
        if (!strcmp(w->name, name))
            return w;
    return NULL;
}

int tm_out_write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int tm_out_save(const char *path, const char *data, size_t len, tm_diags *d)
{
    if (!path || !strcmp(path, "-")) {
        if (tm_out_write_all(1, data, len) != 0)
            return tm_diag_add(d, TM_DIAG_ERROR, NULL, 0, 0, NULL, "cannot write output: %s", strerror(errno));
        return 0;
    }
    /* Only a regular file is written (through a temporary file and a
     * rename), and /dev/null. Anything else (a FIFO, a terminal, a disk,
     * or a link to one, which a repository can commit where a report is
     * written) is refused: opening a FIFO blocks, and a device would be
     * written into. An existing report keeps its mode; a new one gets the
     * umask's. */
    struct stat st, lst, nul;
    int exists = lstat(path, &lst) == 0;
    int target = stat(path, &st) == 0;   /* through links */
    mode_t mode;
    /* /dev/stdout and the like, through a link: our own standard output
     * or error, whatever it is (a regular file included: a rename would
     * replace the link in /dev) */
    for (int fd = 1; target && exists && S_ISLNK(lst.st_mode) && fd <= 2; fd++) {
        struct stat o;
        if (fstat(fd, &o) == 0 && o.st_dev == st.st_dev && o.st_ino == st.st_ino && o.st_rdev == st.st_rdev) {
            if (tm_out_write_all(fd, data, len) != 0)
                return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot write output: %s", strerror(errno));
            return 0;
        }
    }
    if (exists && S_ISREG(lst.st_mode)) {
        mode = lst.st_mode & 07777;
    } else if (target && !S_ISREG(st.st_mode)) {
        if (S_ISCHR(st.st_mode) && stat("/dev/null", &nul) == 0 && st.st_rdev == nul.st_rdev)
            return 0;   /* it discards all: nothing to open */
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL,
                           "refusing to write output here: not a regular file (- writes to standard output)");
    } else {
        /* new, or a link to a regular file (or to nothing): the rename
         * below replaces the link itself, never what it points at */
        mode_t um = umask(0);
        umask(um);
        mode = 0666 & ~um;
    }
    size_t n = strlen(path);
    char *tmp = malloc(n + 32);
    if (!tmp)
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "out of memory");
    snprintf(tmp, n + 32, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot create output file: %s", strerror(e));
    }
    fchmod(fd, mode);
    /* no fsync: rename already keeps readers from ever seeing part of the
     * file; fsync adds durability across a power cut, which a report the
     * next run rewrites does not need, at a cost of milliseconds a run */
    int bad = tm_out_write_all(fd, data, len) != 0;
    int e = errno;
    if (close(fd) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad || rename(tmp, path) != 0) {
        if (!bad)
            e = errno;
        unlink(tmp);
        free(tmp);
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot write output file: %s", strerror(e));
    }
    free(tmp);
    return 0;
}

/* XML 1.0 and HTML text and attribute values: the five specials as
 * entities, invalid UTF-8 as U+FFFD, and the characters XML forbids
 * (C0 controls but tab and newline, U+FFFE, U+FFFF) left out. */
void tm_out_markup(tm_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c >= 0x80) {
            size_t k = tm_utf8_len(p + i, n - i);
            if (!k)
                tm_buf_adds(b, "\xEF\xBF\xBD");
            else if (!(k == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF)))
                tm_buf_add(b, p + i, k);
            i += k ? k : 1;
            continue;
        }
        switch (c) {
        case '&': tm_buf_adds(b, "&amp;"); break;
        case '<': tm_buf_adds(b, "&lt;"); break;
        case '>': tm_buf_adds(b, "&gt;"); break;
        case '"': tm_buf_adds(b, "&quot;"); break;
        case '\'': tm_buf_adds(b, "&#39;"); break;
        default:
            if (c >= 0x20 || c == '\n' || c == '\t')
                tm_buf_addc(b, (char)c);
            else if (c == '\r')
                tm_buf_adds(b, "&#13;");
        }
        i++;
    }
}
