/* libFuzzer target: bytes -> a shard's state (with a valid checksum, so
 * the decoder itself is what is tried, not the checksum) -> audit --merge,
 * then every writer over whatever the merge accepted. A state from another
 * job is input: it must be refused or written, never crash. */
#include "audit_shard.h"
#include "ctx.h"
#include "out.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the state as the shard writes it: bytes, then FNV-1a of them */
    unsigned char *raw = malloc(size + 8);
    if (!raw)
        return 0;
    memcpy(raw, data, size);
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211ull;
    for (int i = 0; i < 8; i++)
        raw[size + (size_t)i] = (unsigned char)(h >> (8 * i));
    size_t n = size + 8;
    char path[] = "/tmp/fuzz-shard-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        free(raw);
        return 0;
    }
    FILE *fp = fdopen(fd, "w");
    fputs("{\"shard\": {\"index\": 1, \"of\": 1, \"state\": \"", fp);
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)raw[i] << 16 | (i + 1 < n ? (uint32_t)raw[i + 1] << 8 : 0) | (i + 2 < n ? raw[i + 2] : 0);
        fputc(b64[v >> 18], fp);
        fputc(b64[(v >> 12) & 63], fp);
        fputc(i + 1 < n ? b64[(v >> 6) & 63] : '=', fp);
        fputc(i + 2 < n ? b64[v & 63] : '=', fp);
    }
    fputs("\"}}\n", fp);
    fclose(fp);
    free(raw);
    tm_ctx c;
    tm_ctx_init(&c);
    c.opts.audit = 1;
    char *paths[] = {path};
    if (tm_shard_merge(&c, paths, 1) == 0) {
        for (const tm_writer *w = tm_writers; w->name; w++) {
            if (!strcmp(w->name, "full"))
                continue;   /* a merge refuses it: it reads the files */
            tm_buf b;
            tm_buf_init(&b);
            w->write(&c, &b);
            tm_buf_free(&b);
        }
        tm_buf b;
        tm_buf_init(&b);
        tm_out_audit_text(&c, &b);
        tm_buf_free(&b);
    }
    tm_ctx_free(&c);
    unlink(path);
    return 0;
}
