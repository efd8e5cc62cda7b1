#include "json.h"
#include "utf8.h"
#include <string.h>

void tm_json_str(tm_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    tm_buf_reserve(b, n + 2);
    tm_buf_addc(b, '"');
    size_t i = 0;
    while (i < n) {
        /* a run that needs no escape goes in at once: most text is one */
        size_t run = i;
        while (run < n && u[run] >= 0x20 && u[run] < 0x7F && u[run] != '"' && u[run] != '\\')
            run++;
        if (run > i) {
            tm_buf_add(b, u + i, run - i);
            i = run;
            continue;
        }
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
