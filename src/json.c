#include "json.h"
#include "utf8.h"
#include <string.h>

/* What each byte becomes: 0 copied as is, 1 a UTF-8 lead or stray byte,
 * else the letter after the backslash ('u': \u00XX). */
#define P 0
#define U 'u'
static const unsigned char ESC[256] = {
    U,   U,   U,   U,   U,   U,   U,   U,   'b', 't', 'n', U,   'f', 'r', U,   U,
    U,   U,   U,   U,   U,   U,   U,   U,   U,   U,   U,   U,   U,   U,   U,   U,
    P,   P,   '"', P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,
    P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,
    P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,
    P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   '\\', P,  P,   P,
    P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,
    P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   P,   U,
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,
    1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,   1,
};
#undef P
#undef U

void tm_json_str(tm_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    /* room for the text as it is and its quotes: most text needs no more,
     * so runs go in with memcpy and escapes reserve their own room */
    tm_buf_reserve(b, n + 2);
    b->p[b->len++] = '"';
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && !ESC[u[run]])
            run++;
        if (run > i) {
            memcpy(b->p + b->len, u + i, run - i);
            b->len += run - i;
            i = run;
            if (i == n)
                break;
        }
        unsigned c = u[i], e = ESC[c];
        if (e == 1) {
            size_t k = tm_utf8_len(u + i, n - i);
            if (k) {   /* as long as it was: the room reserved holds it */
                memcpy(b->p + b->len, u + i, k);
                b->len += k;
                i += k;
            } else {   /* U+FFFD for a bad byte */
                tm_buf_reserve(b, 3 + (n - i) + 1);
                memcpy(b->p + b->len, "\xEF\xBF\xBD", 3);
                b->len += 3;
                i++;
            }
            continue;
        }
        if (e == 'u') {
            tm_buf_reserve(b, 6 + (n - i) + 1);
            char x[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            memcpy(b->p + b->len, x, 6);
            b->len += 6;
        } else {
            tm_buf_reserve(b, 2 + (n - i) + 1);
            b->p[b->len++] = '\\';
            b->p[b->len++] = (char)e;
        }
        i++;
    }
    b->p[b->len++] = '"';
    b->p[b->len] = '\0';
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
