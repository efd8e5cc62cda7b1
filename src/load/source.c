#include "source.h"
#include "buf.h"
#include "utf8.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Positions are needed only for errors, so they are found by a scan from
 * the start rather than kept in a table for every file. \r\n, \r and \n
 * each end a line, as in YAML. */
void tm_src_pos(const tm_src *s, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1, c = 1;
    for (size_t i = 0; i < off && i < s->len; i++) {
        unsigned char ch = (unsigned char)s->data[i];
        if (ch == '\n' || (ch == '\r' && (i + 1 >= s->len || s->data[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80 && ch != '\r') {
            c++;
        }
    }
    *line = l;
    *col = c;
}


static int check_text(tm_src *s, tm_diags *d)
{
    const unsigned char *u = (const unsigned char *)s->data;
    /* A UTF-8 byte order mark (Windows editors write one) is allowed at
     * the start of a YAML stream and is no character of it: dropped here,
     * so that libyaml (told the encoding) does not read it as content and
     * columns on line 1 count from what follows it. */
    if (s->len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        memmove(s->data, s->data + 3, s->len - 3 + 1);   /* with the NUL */
        s->len -= 3;
    }
    if (s->len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE)))
        return tm_diag_add(d, TM_DIAG_ERROR, s->path, 1, 1, NULL,
                           "file is UTF-16 (byte order mark found); save it as UTF-8");
    for (size_t i = 0; i < s->len;) {
        uint32_t line, col;
        /* fast path: eight ASCII bytes, none of them NUL */
        if (i + 8 <= s->len) {
            uint64_t w;
            memcpy(&w, u + i, 8);
            if (!(w & 0x8080808080808080ull) && !((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull)) {
                i += 8;
                continue;
            }
        }
        if (u[i] == 0) {
            tm_src_pos(s, i, &line, &col);
            return tm_diag_add(d, TM_DIAG_ERROR, s->path, line, col, NULL,
                               "NUL byte in file; threat models must be text");
        }
        size_t n = tm_utf8_len(u + i, s->len - i);
        if (!n) {
            tm_src_pos(s, i, &line, &col);
            return tm_diag_add(d, TM_DIAG_ERROR, s->path, line, col, NULL,
                               "invalid UTF-8 byte 0x%02X", u[i]);
        }
        i += n;
    }
    return 0;
}

int tm_src_from_mem(tm_src *s, const char *path, const char *data, size_t len, tm_diags *d)
{
    memset(s, 0, sizeof *s);
    s->path = tm_xstrdup(path);
    s->data = tm_xmalloc(len + 1);
    memcpy(s->data, data, len);
    s->data[len] = '\0';
    s->len = len;
    return check_text(s, d);
}

int tm_src_read(tm_src *s, const char *path, size_t max_size, tm_diags *d)
{
    /* O_NONBLOCK so that a FIFO cannot block us before fstat says what it is */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        memset(s, 0, sizeof *s);
        s->path = tm_xstrdup(path);
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot open file: %s", strerror(errno));
    }
    return tm_src_read_fd(s, fd, path, max_size, d);
}

int tm_src_read_fd(tm_src *s, int fd, const char *path, size_t max_size, tm_diags *d)
{
    memset(s, 0, sizeof *s);
    s->path = tm_xstrdup(path);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot stat file: %s", strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "is a directory, not a file");
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "not a regular file");
    }
    if ((uint64_t)st.st_size > max_size) {
        close(fd);
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL,
                           "file is %lld bytes, over the size limit of %zu bytes (--max-file-size)",
                           (long long)st.st_size, max_size);
    }
    /* Read to EOF but never past the cap: the file may grow while we read. */
    size_t cap = (size_t)st.st_size + 1, len = 0;
    char *data = tm_xmalloc(cap + 1);
    for (;;) {
        if (len == cap) {
            if (cap > max_size)
                break;
            cap *= 2;
            data = tm_xrealloc(data, cap + 1);
        }
        ssize_t r = read(fd, data + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(data);
            close(fd);
            return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot read file: %s", strerror(e));
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (len > max_size) {
        free(data);
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL,
                           "file is over the size limit of %zu bytes (--max-file-size)", max_size);
    }
    data[len] = '\0';
    s->data = data;
    s->len = len;
    return check_text(s, d);
}

void tm_src_free(tm_src *s)
{
    free(s->path);
    free(s->data);
    memset(s, 0, sizeof *s);
}
