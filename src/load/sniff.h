/* A directory walk takes threat models by their names first: parsing
 * every file of a repository would make a walk slow. A model saved under
 * another name must not go unchecked, so the walk (and a pre-commit hook's
 * file list) looks at the first bytes of the JSON and YAML files it would
 * pass over and takes those that look like a format tmlint reads. */
#ifndef TM_SNIFF_H
#define TM_SNIFF_H
#include <stddef.h>

#define TM_SNIFF_BYTES 8192   /* read from each file */
#define TM_SNIFF_MAX 20000    /* files looked at in one run (bench/README.md: the cost) */

/* What the first bytes of a file look like ("a Threat Dragon model"),
 * or NULL. */
const char *tm_sniff_format(const char *head, size_t n);
/* The same for a file: its first TM_SNIFF_BYTES, when it is a regular
 * file that opens without blocking (a symbolic link only with follow);
 * NULL otherwise. */
const char *tm_sniff_file(const char *path, int follow);

#endif
