#include "esc.h"
#include "utf8.h"
#include <string.h>

static unsigned decode(const unsigned char *p, size_t k)
{
    unsigned cp = k == 2 ? p[0] & 0x1F : k == 3 ? p[0] & 0x0F : p[0] & 0x07;
    for (size_t i = 1; i < k; i++)
        cp = (cp << 6) | (p[i] & 0x3F);
    return cp;
}

/* C1 controls, and the format characters that reorder a line on screen
 * (the "Trojan Source" characters) */
static int hidden(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

void tm_esc_text(tm_buf *b, const char *s, int soft)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned c = u[i];
        if (soft && (c == '\n' || c == '\r' || c == '\t')) {
            tm_buf_addc(b, ' ');
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            tm_buf_printf(b, "\\x%02x", c);
            i++;
        } else if (c < 0x80) {
            tm_buf_addc(b, (char)c);
            i++;
        } else {
            size_t k = tm_utf8_len(u + i, n - i);
            if (!k) {
                tm_buf_printf(b, "\\x%02x", c);
                i++;
            } else {
                unsigned cp = decode(u + i, k);
                if (hidden(cp))
                    tm_buf_printf(b, "\\u%04x", cp);
                else
                    tm_buf_add(b, u + i, k);
                i += k;
            }
        }
    }
}

void tm_esc_fputs(const char *s, FILE *f)
{
    tm_buf b;
    tm_buf_init(&b);
    tm_esc_text(&b, s, 0);
    if (b.len)
        fwrite(b.p, 1, b.len, f);
    tm_buf_free(&b);
}
