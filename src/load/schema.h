/* The native format's schema: one description in C that tmlint checks
 * native files against (rule TM006) and writes as JSON Schema for editors
 * (`tmlint _generate schema`, docs/schema/model.schema.json). */
#ifndef TM_SCHEMA_H
#define TM_SCHEMA_H
#include "buf.h"
#include "tree.h"
#include <stddef.h>
#include <stdint.h>

/* One problem: at node `at`, on the element (mapping) `el`, about `field`. */
/* fix: a safe replacement for the scalar at `at` (check --fix), or NULL */
typedef void (*tm_schema_report)(void *ud, uint32_t el, uint32_t at, const char *field, const char *msg,
                                 const char *fix);

/* Checks a native document: unknown keys (with the closest known one),
 * wrong types, values outside the enumerations. Keys starting with x-, and
 * the names in `allow`, are a team's own and pass. */
void tm_schema_check(const tm_doc *d, const char *const *allow, size_t nallow, tm_schema_report report, void *ud);
/* What the key at `keys` (the keys from the model's root, list entries
 * left out: threats, status) means, as a line of Markdown; 0, or -1 for a
 * key the format does not have there. */
int tm_schema_key_doc(const char *const *keys, size_t n, tm_buf *out);
/* The same description as a JSON Schema (draft 2020-12) document. */
void tm_schema_json(tm_buf *b);

#endif
