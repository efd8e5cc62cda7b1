/* libFuzzer target: bytes -> JSON string; the result must be a string a
 * strict JSON parser accepts (checked here by a small strict scanner). */
#include "json.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t utf8_len(const unsigned char *p, size_t left)
{
    unsigned c = p[0], cp, min;
    size_t n;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (left < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    return (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ? 0 : n;
}

static int strict_json_string(const unsigned char *s, size_t n)
{
    if (n < 2 || s[0] != '"' || s[n - 1] != '"')
        return 0;
    for (size_t i = 1; i < n - 1;) {
        if (s[i] < 0x20 || s[i] == '"')
            return 0;
        if (s[i] == '\\') {
            if (i + 1 >= n - 1) return 0;
            unsigned char e = s[i + 1];
            if (e == 'u') {
                if (i + 6 > n - 1) return 0;
                for (int k = 2; k < 6; k++)
                    if (!((s[i + k] >= '0' && s[i + k] <= '9') || (s[i + k] >= 'a' && s[i + k] <= 'f') ||
                          (s[i + k] >= 'A' && s[i + k] <= 'F')))
                        return 0;
                i += 6;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                i += 2;
            } else {
                return 0;
            }
            continue;
        }
        size_t k = utf8_len(s + i, n - 1 - i);
        if (!k) return 0;
        i += k;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tm_buf b;
    tm_buf_init(&b);
    tm_json_str(&b, (const char *)data, size);
    if (!strict_json_string((const unsigned char *)b.p, b.len))
        __builtin_trap();
    tm_buf_free(&b);
    return 0;
}
