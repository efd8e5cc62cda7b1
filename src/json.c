#include "json.h"
#include <string.h>

size_t tm_utf8_len(const unsigned char *p, size_t left)
{
    unsigned c = p[0];
    size_t n;
    unsigned cp, min;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (left < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void tm_json_str(tm_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    tm_buf_reserve(b, n + 2);
    tm_buf_addc(b, '"');
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        if (c >= 0x80) {
            size_t k = tm_utf8_len(u + i, n - i);
            if (k) {
                tm_buf_add(b, u + i, k);
                i += k;
            } else {
                tm_buf_adds(b, "\xEF\xBF\xBD");  /* U+FFFD for a bad byte */
                i++;
            }
            continue;
        }
        switch (c) {
        case '"': tm_buf_adds(b, "\\\""); break;
        case '\\': tm_buf_adds(b, "\\\\"); break;
        case '\n': tm_buf_adds(b, "\\n"); break;
        case '\r': tm_buf_adds(b, "\\r"); break;
        case '\t': tm_buf_adds(b, "\\t"); break;
        case '\b': tm_buf_adds(b, "\\b"); break;
        case '\f': tm_buf_adds(b, "\\f"); break;
        default:
            if (c < 0x20 || c == 0x7F) {
                char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                tm_buf_add(b, e, 6);
            } else {
                tm_buf_addc(b, (char)c);
            }
        }
        i++;
    }
    tm_buf_addc(b, '"');
}

void tm_json_strz(tm_buf *b, const char *s)
{
    tm_json_str(b, s ? s : "", s ? strlen(s) : 0);
}

void tm_json_indent(tm_buf *b, int indent)
{
    tm_buf_addc(b, '\n');
    for (int i = 0; i < indent; i++)
        tm_buf_add(b, "  ", 2);
}

void tm_json_key(tm_buf *b, int indent, const char *key)
{
    tm_json_indent(b, indent);
    tm_json_strz(b, key);
    tm_buf_add(b, ": ", 2);
}
