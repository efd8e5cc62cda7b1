/* libFuzzer target: bytes -> document tree, under tight limits. */
#include "source.h"
#include "yaml_load.h"
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tm_limits lim = {64, 200000, 1 << 20, 100};
    tm_diags d;
    tm_diags_init(&d);
    tm_src src;
    if (tm_src_from_mem(&src, "fuzz.yaml", (const char *)data, size, &d) == 0) {
        tm_docs docs;
        if (tm_yaml_load(&src, &lim, &docs, &d) == 0) {
            /* walk every node: positions must be sane and kids in range */
            for (size_t i = 0; i < docs.n; i++) {
                const tm_doc *doc = docs.v[i];
                for (uint32_t k = 0; k < doc->n; k++) {
                    const tm_node *n = &doc->nodes[k];
                    if (n->line < 1 || n->col < 1)
                        __builtin_trap();
                    if (n->type != TM_NODE_SCALAR && (size_t)n->off + n->len > doc->nkids)
                        __builtin_trap();
                }
            }
            tm_docs_free(&docs);
        } else if (d.n == 0 || d.v[d.n - 1].line == 0) {
            __builtin_trap();   /* a YAML error always names its position */
        }
    }
    tm_src_free(&src);
    tm_diags_free(&d);
    return 0;
}
