/* JSON output: the one string escaper and a few emit helpers. Writers build
 * JSON only through these, so escaping is tested in one place. */
#ifndef TM_JSON_H
#define TM_JSON_H
#include "buf.h"
#include <stddef.h>

/* Appends `s` (n bytes) as a quoted JSON string: escapes quote, backslash
 * and every control character; replaces invalid UTF-8 with U+FFFD. */
void tm_json_str(tm_buf *b, const char *s, size_t n);
void tm_json_strz(tm_buf *b, const char *s);
/* The string, or null for NULL. */
void tm_json_opt(tm_buf *b, const char *s);
/* `"key": ` with indentation for pretty output. */
void tm_json_key(tm_buf *b, int indent, const char *key);
void tm_json_indent(tm_buf *b, int indent);

#endif
