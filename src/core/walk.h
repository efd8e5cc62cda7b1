/* Turns the paths on the command line into the list of files to check:
 * files as named, directories searched for threat-model file names. */
#ifndef TM_WALK_H
#define TM_WALK_H
#include "buf.h"
#include "ctx.h"

/* True when a file name matches the default threat-model patterns. */
int tm_walk_is_model_name(const char *name);
/* Appends to c->files; a path that does not exist is an error diag. */
int tm_walk(tm_ctx *c, char *const *paths, size_t n);
/* Reads standard input as one file named `name` (NULL: "<stdin>"), for
 * the path `-`. */
int tm_walk_stdin(tm_ctx *c, const char *name);
/* The same for `len` bytes in memory (copied), named `name`. */
int tm_walk_buffer(tm_ctx *c, const char *name, const char *data, size_t len);
/* Finds the repository root (nearest parent of the working directory
 * holding .git, else the working directory) into c->root. */
void tm_walk_set_root(tm_ctx *c);
/* The URI of a path for output: relative to c->root when inside it (then
 * *relative is 1), else an absolute file:// URI. Caller frees. */
char *tm_walk_uri(const tm_ctx *c, const char *path, int *relative);
/* Path of `path` relative to the config's directory, for its globs (the
 * path itself without a config). Caller frees. */
struct tm_cfg;
char *tm_walk_rel(const struct tm_cfg *cfg, const char *path);
/* Appends a path percent-encoded for use in a URI. */
/* The same for a relative reference: a ':' before its first '/' is
 * encoded too, so that the reference cannot read as a scheme. */
void tm_walk_uri_escape_rel(tm_buf *b, const char *s);
void tm_walk_uri_escape(tm_buf *b, const char *s);

#endif
