/* libFuzzer target: bytes -> tmlint test's annotation parser (the YAML
 * path: comments scanned line by line). It must never read past the
 * bytes, and every mark it returns names a line of the input. */
#include "fixture.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size copy: ASan catches a read one past the end */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    for (size_t i = 0; i < size; i++)
        copy[i] = (char)data[i];
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += copy[i] == '\n';
    tm_fixture fx;
    tm_diags d;
    tm_diags_init(&d);
    int rc = tm_fixture_parse(&fx, "fuzz.tm.yaml", copy, size, &d);
    for (size_t i = 0; rc == 0 && i < fx.nmarks; i++)
        if (fx.marks[i].target < 1 || fx.marks[i].target > lines || !fx.marks[i].rule[0])
            abort();
    tm_fixture_free(&fx);
    tm_diags_free(&d);
    free(copy);
    return 0;
}
