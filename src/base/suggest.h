/* "Did you mean": the closest of a few known words to a mistyped one. */
#ifndef TM_SUGGEST_H
#define TM_SUGGEST_H
#include <stddef.h>

/* Edit distance (case-insensitive ASCII; an adjacent transposition is one
 * edit), capped at `cap` + 1. */
size_t tm_edit_distance(const char *a, const char *b, size_t cap);
/* The candidate closest to `word` within a distance that scales with its
 * length (1 up to 4 characters, 2 up to 8, else 3), or NULL. */
const char *tm_suggest(const char *word, const char *const *cands, size_t n);
/* The same, but NULL when another candidate is as close: a correction
 * safe to apply without asking (check --fix). */
const char *tm_suggest_unique(const char *word, const char *const *cands, size_t n);

#endif
