/* UTF-8 validation: one definition of a well-formed sequence, used by the
 * loader (which refuses malformed text) and by every escaper. */
#ifndef TM_UTF8_H
#define TM_UTF8_H
#include <stddef.h>

/* Length (1..4) of the well-formed UTF-8 sequence at p, or 0 when it is
 * malformed, overlong, a surrogate or beyond U+10FFFF. */
size_t tm_utf8_len(const unsigned char *p, size_t left);

/* Whether all n bytes of s are well-formed UTF-8 (as tm_utf8_len says). */
int tm_utf8_valid(const char *s, size_t n);

/* Copies at most n-1 bytes of s into out, cut on a character boundary,
 * always terminated. */
void tm_utf8_copy(char *out, size_t n, const char *s);

#endif
