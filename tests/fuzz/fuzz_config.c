/* libFuzzer target: bytes as a .tmlint.yaml, loaded and checked against
 * the rules. Errors are fine; crashes, hangs and leaks are not. */
#include "fuzz_harness.h"
#include "config.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tm_ctx *c = fuzz_ctx();
    char path[64];
    snprintf(path, sizeof path, "/tmp/tmlint-fuzz-%ld.tmlint.yaml", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    if (tm_cfg_load_forced(c, path) == 0)
        tm_cfg_resolve(c);
    c->forced = NULL;
    tm_cfg_free_all(c);
    c->cfg_failed = 0;
    fuzz_reset(c);
    return 0;
}
