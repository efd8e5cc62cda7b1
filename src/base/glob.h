/* The globs of configurations, overrides and tm.repo.changed: `*`, `?`
 * and `**`, with a bound on the work one match may do. */
#ifndef TM_GLOB_H
#define TM_GLOB_H
#include <stddef.h>

/* Glob with `*`, `?` and `**` (any number of directories). */
int tm_glob_match(const char *pat, const char *path);
/* Steps one match may take (a step: one byte of the path tried against
 * one place in the pattern). A long glob full of stars against a long path
 * needs up to the product of their lengths; past this tm_glob_match
 * answers no, and tm_glob_match_b says it was cut short. */
#define TM_GLOB_MAX_STEPS ((size_t)1 << 16)
/* The same, taking its steps from *budget: 1, 0, or -1 when the budget
 * ran out first. */
int tm_glob_match_b(const char *pat, const char *path, size_t *budget);

#endif
