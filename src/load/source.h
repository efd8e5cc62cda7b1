/* One input file's bytes, read whole under a size cap and checked to be
 * UTF-8 text. */
#ifndef TM_SOURCE_H
#define TM_SOURCE_H
#include "diag.h"
#include <stddef.h>
#include <stdint.h>

typedef struct tm_src {
    char *path;          /* as given by the user; owned */
    char *data;          /* file bytes + NUL; owned */
    size_t len;
} tm_src;

/* Reads `path` (at most max_size bytes). On failure records why in `d`
 * (with line:col where the problem is inside the text) and returns -1;
 * `s` is then empty but may still be passed to tm_src_free. */
int tm_src_read(tm_src *s, const char *path, size_t max_size, tm_diags *d);
/* The same from a descriptor already open (taken: closed whatever happens);
 * path names it in messages. */
int tm_src_read_fd(tm_src *s, int fd, const char *path, size_t max_size, tm_diags *d);
/* Same checks over bytes already in memory (tests, fuzzers); copies them. */
int tm_src_from_mem(tm_src *s, const char *path, const char *data, size_t len, tm_diags *d);
void tm_src_free(tm_src *s);
/* 1-based line and code-point column of a byte offset (scans: for errors). */
void tm_src_pos(const tm_src *s, size_t off, uint32_t *line, uint32_t *col);

#endif
