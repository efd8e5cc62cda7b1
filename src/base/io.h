/* Output files: written whole or not at all, and write() to the end. */
#ifndef TM_IO_H
#define TM_IO_H
#include "diag.h"
#include <stddef.h>

/* Writes `data` to `path` whole or not at all: a temporary file in the same
 * directory, then rename over the target. NULL path = stdout. */
int tm_io_save(const char *path, const char *data, size_t len, tm_diags *d);

/* write() all of it, retrying on EINTR; -1 on error. */
int tm_io_write_all(int fd, const char *p, size_t n);

#endif
