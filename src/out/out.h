/* Output formats: a table of writers, each turning the (sorted, final)
 * findings into bytes, and one place that writes them out atomically. */
#ifndef TM_OUT_H
#define TM_OUT_H
#include "buf.h"
#include "ctx.h"
#include "io.h"

typedef struct tm_writer {
    const char *name;
    const char *summary;
    void (*write)(const tm_ctx *c, tm_buf *out);
} tm_writer;

/* NULL-terminated table of writers. */
extern const tm_writer tm_writers[];
const tm_writer *tm_out_find(const char *name);
/* Appends text escaped for XML and HTML (markup characters as entities,
 * control characters as spaces). */
void tm_out_markup(tm_buf *b, const char *s);

void tm_out_text(const tm_ctx *c, tm_buf *out);
void tm_out_full(const tm_ctx *c, tm_buf *out);
void tm_out_sarif(const tm_ctx *c, tm_buf *out);
void tm_out_json(const tm_ctx *c, tm_buf *out);
void tm_out_codequality(const tm_ctx *c, tm_buf *out);
void tm_out_junit(const tm_ctx *c, tm_buf *out);
/* An audit's summary as text, and its one self-contained HTML page. */
void tm_out_audit_text(const tm_ctx *c, tm_buf *out);
void tm_out_audit_html(const tm_ctx *c, tm_buf *out);

#endif
