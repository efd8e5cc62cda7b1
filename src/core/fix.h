/* check --fix: the safe fixes rules attach to findings (a misspelt key or
 * enumeration value with one unambiguous correction, never one that closes
 * an item), applied to the bytes of the key or value in place so that every
 * other byte (comments, order, quoting) stays; each file written whole or
 * not at all. --diff prints the change instead. */
#ifndef TM_FIX_H
#define TM_FIX_H
#include "ctx.h"

/* Applies (or, with diff, prints as a unified diff to stdout) the fixes
 * of c->findings. Fixed findings leave c->findings. Returns how many were
 * fixed (or would be), or -1 after an error in c->diags. */
long tm_fix_apply(tm_ctx *c, int diff);
/* A replacement that stays the same scalar wherever it goes (letters,
 * digits, '-', '_', '.', inner spaces): the only fixes made. */
int tm_fix_safe_text(const char *s);
/* The byte offset of (line, col), 1-based, col in code points (a BOM does
 * not count on line 1); SIZE_MAX past the text. */
size_t tm_fix_offset(const char *d, size_t n, unsigned line, unsigned col);

#endif
