/* Growable byte buffer and the allocation helpers everything else uses.
 * Out of memory in C code aborts with a message (see tm_xmalloc); only the
 * Lua allocator may fail softly. */
#ifndef TM_BUF_H
#define TM_BUF_H
#include <stddef.h>
#include <stdarg.h>

typedef struct tm_buf {
    char *p;      /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
} tm_buf;

void *tm_xmalloc(size_t n);
void *tm_xcalloc(size_t n, size_t size);
void *tm_xrealloc(void *p, size_t n);
/* tm_xrealloc from `old` to `n` bytes for a block that grows and will be
 * filled: a large new part is faulted in with one call. */
void *tm_xgrow(void *p, size_t old, size_t n);
char *tm_xstrdup(const char *s);
char *tm_xstrndup(const char *s, size_t n);

void tm_buf_init(tm_buf *b);
void tm_buf_free(tm_buf *b);
void tm_buf_reserve(tm_buf *b, size_t extra);
void tm_buf_add(tm_buf *b, const void *data, size_t n);
void tm_buf_adds(tm_buf *b, const char *s);
void tm_buf_addc(tm_buf *b, char c);
/* An unsigned number in decimal (what printf's %u would write, faster). */
void tm_buf_addu(tm_buf *b, unsigned long long v);
void tm_buf_printf(tm_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tm_buf_vprintf(tm_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Hands the contents to the caller (free with free()); the buffer is reset. */
char *tm_buf_detach(tm_buf *b);

/* Reads a whole small file (rules, adapters) into b: -1 when it cannot be
 * opened or read (errno says why), -2 when it is not a regular file (after
 * following links: a FIFO, device or directory), -3 when larger than max. */
int tm_read_file(const char *path, tm_buf *b, size_t max);
/* The reason for a tm_read_file result, for messages. */
const char *tm_read_error(int rc);
/* Cap on a rule, adapter or helper file. */
#define TM_MAX_LUA_FILE ((size_t)1 << 20)

#endif
