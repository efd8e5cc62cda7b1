/* libFuzzer target: bytes -> format adapter -> canonical model -> every
 * rule. The first byte picks the format (detected, or forced to one of
 * the built-in adapters) so that each adapter sees every input. */
#include "fuzz_harness.h"
#include "buf.h"
#include "run.h"
#include "source.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const formats[] = {NULL, "native", "otm", "threagile", "threat-composer", "threat-dragon"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    tm_ctx *c = fuzz_ctx();
    c->opts.input_format = formats[data[0] % 6];
    c->files = tm_xcalloc(1, sizeof *c->files);
    c->nfiles = 1;
    c->files[0].path = tm_xstrdup("fuzz.tm.yaml");
    c->files[0].uri = tm_xstrdup("fuzz.tm.yaml");
    c->files[0].relative = 1;
    tm_src src;
    if (tm_src_from_mem(&src, "fuzz.tm.yaml", (const char *)data + 1, size - 1, &c->diags) == 0)
        tm_run_check_src(c, 0, &src);
    else
        tm_src_free(&src);
    /* every finding must sit inside the input */
    for (size_t i = 0; i < c->findings.n; i++)
        if (c->findings.v[i].line < 1 || c->findings.v[i].col < 1)
            __builtin_trap();
    fuzz_reset(c);
    return 0;
}
