/* A rule's pattern as tmlint hands it to PCRE2 (src/rt/re_syntax.c). */
#ifndef TM_RE_SYNTAX_H
#define TM_RE_SYNTAX_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include "buf.h"
#include <pcre2.h>
#include <stdint.h>

/* PCRE2 options for flag letters i m s x (UTF and UCP always); -1 with a
 * message on another letter. */
int tm_re_parse_flags(const char *flags, uint32_t *opts, char *err, size_t errsz);
/* Appends the pattern with \d and \D as ASCII digits (see the .c). */
void tm_re_ascii_digits(tm_buf *out, const char *p, size_t n);

#endif
