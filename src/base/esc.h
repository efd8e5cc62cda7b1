/* Escaping for the terminal: text from a repository (file names, keys,
 * messages) must not move the cursor, change colours or start a new line
 * that looks like another finding. */
#ifndef TM_ESC_H
#define TM_ESC_H
#include "buf.h"
#include <stdio.h>

/* Appends s with control characters (C0, DEL, C1), bidirectional
 * overrides and invalid UTF-8 bytes written as \xHH or \uHHHH. With
 * `soft` (messages, which quote wrapped titles), a newline, carriage
 * return or tab becomes a space instead. */
void tm_esc_text(tm_buf *b, const char *s, int soft);
void tm_esc_fputs(const char *s, FILE *f);

#endif
