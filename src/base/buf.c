#include "buf.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "tmlint: fatal: out of memory allocating %zu bytes\n", n);
    abort();
}

void *tm_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *tm_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *tm_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

void *tm_xgrow(void *p, size_t old, size_t n)
{
    char *q = tm_xrealloc(p, n);
#ifdef MADV_POPULATE_WRITE
    /* Only a large block (malloc maps those whole) is worth a call: its
     * new pages are faulted in at once, not one trap each as they are
     * first written (traps are dear on a virtual machine). Advice only.
     * The growth slack is faulted in too: the loader trims the tree's
     * arrays at each document's end, and the findings and the output
     * keep at most what doubling leaves. */
    if (n > old && n - old >= ((size_t)256 << 10)) {
        long sz = sysconf(_SC_PAGESIZE);
        uintptr_t pg = sz > 0 ? (uintptr_t)sz : 4096, a = ((uintptr_t)q + old + pg - 1) & ~(pg - 1), e = ((uintptr_t)q + n) & ~(pg - 1);
        if (e > a)
            madvise((void *)a, e - a, MADV_POPULATE_WRITE);
    }
#endif
    return q;
}

char *tm_xstrndup(const char *s, size_t n)
{
    char *d = tm_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *tm_xstrdup(const char *s)
{
    return tm_xstrndup(s, strlen(s));
}

void tm_buf_init(tm_buf *b)
{
    b->p = NULL;
    b->len = b->cap = 0;
}

void tm_buf_free(tm_buf *b)
{
    free(b->p);
    tm_buf_init(b);
}

void tm_buf_reserve(tm_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2)
            oom(b->len + extra + 1);
        cap *= 2;
    }
    b->p = tm_xgrow(b->p, b->cap, cap);
    b->cap = cap;
}

void tm_buf_add(tm_buf *b, const void *data, size_t n)
{
    tm_buf_reserve(b, n);
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void tm_buf_adds(tm_buf *b, const char *s)
{
    tm_buf_add(b, s, strlen(s));
}

void tm_buf_addu(tm_buf *b, unsigned long long v)
{
    char d[20];
    int n = 0;
    do {
        d[sizeof d - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    tm_buf_add(b, d + sizeof d - n, (size_t)n);
}

void tm_buf_addc(tm_buf *b, char c)
{
    tm_buf_add(b, &c, 1);
}

void tm_buf_vprintf(tm_buf *b, const char *fmt, va_list ap)
{
    /* written straight into the room left when it fits (the common case),
     * measured and written again only when it does not */
    tm_buf_reserve(b, 64);
    va_list ap2;
    va_copy(ap2, ap);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->p + b->len, room, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->p[b->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        tm_buf_reserve(b, (size_t)n);
        vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
}

void tm_buf_printf(tm_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tm_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *tm_buf_detach(tm_buf *b)
{
    char *p = b->p;
    if (!p)
        p = tm_xstrdup("");
    tm_buf_init(b);
    return p;
}

const char *tm_read_error(int rc)
{
    return rc == -2 ? "not a regular file (a FIFO, device or directory)"
         : rc == -3 ? "larger than the 1 MiB a Lua file may have" : "cannot be read";
}

int tm_read_file(const char *path, tm_buf *b, size_t max)
{
    tm_buf_init(b);
    /* O_NONBLOCK: a FIFO must not block before fstat says what it is */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -2;
    }
    if ((uint64_t)st.st_size > max) {
        close(fd);
        return -3;
    }
    /* read straight into a buffer of the size fstat gave (one read for
     * the bytes, one that sees the end), growing only if the file grew */
    tm_buf_reserve(b, (size_t)st.st_size + 1);
    b->p[0] = '\0';
    ssize_t r;
    for (;;) {
        if (b->cap - b->len < 2)
            tm_buf_reserve(b, 8192);
        size_t room = b->cap - b->len - 1;
        if ((r = read(fd, b->p + b->len, room)) <= 0)
            break;
        b->len += (size_t)r;
        b->p[b->len] = '\0';
        if (b->len > max) {   /* it grew while we read */
            close(fd);
            tm_buf_free(b);
            return -3;
        }
    }
    close(fd);
    if (r < 0) {
        tm_buf_free(b);
        return -1;
    }
    if (!b->p)
        tm_buf_add(b, "", 0);
    return 0;
}
