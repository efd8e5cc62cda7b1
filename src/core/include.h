/* A Threagile split model: the files a main file names under `includes:`
 * are read into its tree, so the rules see one model and every node keeps
 * the file it came from. Reads stay inside the repository (or, outside
 * one, the main file's directory), each file once, loops refused, with the
 * same size, depth and node limits as the main file. */
#ifndef TM_INCLUDE_H
#define TM_INCLUDE_H
#include "ctx.h"

/* Resolves the includes of file fi's document `doc`, if it is a Threagile
 * main file with any; may add files (parts) to c->files. 0, or -1 with
 * diagnostics. */
int tm_include_resolve(tm_ctx *c, uint32_t fi, tm_doc *doc);
/* The index in c->files of `path`, added as a part of file main_fi when
 * it is not there yet. */
uint32_t tm_include_part_file(tm_ctx *c, uint32_t main_fi, const char *path);

/* Copies the tree of `part` (read from `path`) after the nodes of doc, the
 * tree of main file main_fi, as a part of that file (its findings are
 * reported in path); returns the index of part's root in doc. */
uint32_t tm_include_graft(tm_ctx *c, uint32_t main_fi, tm_doc *doc, const tm_doc *part, const char *path);

#endif
