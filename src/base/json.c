#include "json.h"
#include "utf8.h"
#include <stdint.h>
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

/* Whether any of 8 bytes needs more than copying (a control, '"', '\\',
 * DEL or a byte from 0x80): the exact word-at-a-time tests for a byte
 * below a bound and a byte equal to a value. */
static int word_needs_escape(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\'), del = w ^ (ones * 0x7f);
    return ((((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((bs - ones) & ~bs) | ((del - ones) & ~del) | w) & high) != 0;
}

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
        for (uint64_t w; run + 8 <= n && (memcpy(&w, u + run, 8), !word_needs_escape(w));)
            run += 8;   /* most text is plain: eight bytes a step */
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
    size_t n = 1 + 2 * (size_t)(indent > 0 ? indent : 0);
    tm_buf_reserve(b, n);
    b->p[b->len] = '\n';
    memset(b->p + b->len + 1, ' ', n - 1);
    b->len += n;
    b->p[b->len] = '\0';
}

void tm_json_key(tm_buf *b, int indent, const char *key)
{
    tm_json_indent(b, indent);
    size_t n = strlen(key), i = 0;
    while (i < n && !ESC[(unsigned char)key[i]])
        i++;
    if (i < n) {   /* a key that needs escaping: never one of ours, but safe */
        tm_json_str(b, key, n);
        tm_buf_add(b, ": ", 2);
        return;
    }
    tm_buf_reserve(b, n + 4);   /* the writers' keys are plain: one copy */
    char *o = b->p + b->len;
    o[0] = '"';
    memcpy(o + 1, key, n);
    memcpy(o + 1 + n, "\": ", 3);
    b->len += n + 4;
    b->p[b->len] = '\0';
}

void tm_json_opt(tm_buf *b, const char *s)
{
    if (s)
        tm_json_strz(b, s);
    else
        tm_buf_adds(b, "null");
}
