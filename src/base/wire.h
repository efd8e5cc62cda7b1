/* The records tmlint's worker processes send their parent: little-endian
 * 32- and 64-bit numbers and length-prefixed strings, read back with
 * bounds checks (a short or damaged record sets `bad`, never overreads). */
#ifndef TM_WIRE_H
#define TM_WIRE_H
#include "buf.h"
#include "diag.h"
#include "findings.h"
#include <stdint.h>

void tm_wire_u32(tm_buf *b, uint32_t v);
void tm_wire_u64(tm_buf *b, uint64_t v);
/* NULL is sent as such and read back as NULL. */
void tm_wire_str(tm_buf *b, const char *s);

typedef struct tm_wire_reader {
    const unsigned char *p;
    size_t left;
    int bad;
} tm_wire_reader;

uint32_t tm_wire_get_u32(tm_wire_reader *r);
uint64_t tm_wire_get_u64(tm_wire_reader *r);
/* An owned copy, or NULL (sent as NULL, or the record is bad). */
char *tm_wire_get_str(tm_wire_reader *r);

/* A finding's fields but its file (the sender's index may not be the
 * reader's) and its baseline state (set after the rules). */
void tm_wire_finding(tm_buf *b, const tm_finding *x);
/* Reads one into `into` (file 0); NULL, with nothing added, when the
 * record is bad or names a rule at or past nrules. */
tm_finding *tm_wire_get_finding(tm_wire_reader *r, tm_findings *into, uint32_t nrules);
void tm_wire_diag(tm_buf *b, const tm_diag *d);
/* Reads one into `into`; -1 when the record is bad. */
int tm_wire_get_diag(tm_wire_reader *r, tm_diags *into);

#endif
