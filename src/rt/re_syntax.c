/* How tmlint reads a rule's pattern before PCRE2 sees it: the flag
 * letters, and \d as ASCII digits. Shared with tools/gen_bytecode.c,
 * which compiles the built-in patterns the same way at build time. */
#include "re_syntax.h"
#include <stdio.h>
#include <string.h>

int tm_re_parse_flags(const char *flags, uint32_t *opts, char *err, size_t errsz)
{
    *opts = PCRE2_UTF | PCRE2_UCP;
    for (const char *f = flags; f && *f; f++) {
        switch (*f) {
        case 'i': *opts |= PCRE2_CASELESS; break;
        case 'm': *opts |= PCRE2_MULTILINE; break;
        case 's': *opts |= PCRE2_DOTALL; break;
        case 'x': *opts |= PCRE2_EXTENDED; break;
        default:
            snprintf(err, errsz, "unknown regex flag '%c' (use i, m, s, x)", *f);
            return -1;
        }
    }
    return 0;
}

/* \d means the ASCII digits 0-9. With PCRE2_UCP it would also match
 * Arabic-Indic and other decimal digits, which a rule then hands to
 * tonumber and gets nil: "٢٠٢٦-10-05" is not a date. \w and \b stay
 * Unicode-aware. The rewrite skips escaped characters and \Q...\E. */
void tm_re_ascii_digits(tm_buf *out, const char *p, size_t n)
{
    /* most patterns have no \d or \D: copied whole (the byte-by-byte
     * rewrite was a fiftieth of a small model's run) */
    size_t i0 = 0;
    while (i0 < n) {
        const char *bs = memchr(p + i0, '\\', n - i0);
        if (!bs || bs + 1 == p + n) {
            tm_buf_add(out, p, n);
            return;
        }
        if (bs[1] == 'd' || bs[1] == 'D')
            break;
        i0 = (size_t)(bs - p) + 2;
    }
    if (i0 >= n) {
        tm_buf_add(out, p, n);
        return;
    }
    int in_class = 0, quoted = 0;

    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (quoted) {
            if (ch == '\\' && i + 1 < n && p[i + 1] == 'E')
                quoted = 0;
            tm_buf_addc(out, ch);
            continue;
        }
        if (ch == '\\' && i + 1 < n) {
            char e = p[++i];
            if (e == 'd')
                tm_buf_adds(out, in_class ? "0-9" : "[0-9]");
            else if (e == 'D' && !in_class)
                tm_buf_adds(out, "[^0-9]");
            else {
                if (e == 'Q')
                    quoted = 1;
                tm_buf_addc(out, ch);
                tm_buf_addc(out, e);
            }
            continue;
        }
        if (!in_class && ch == '[') {
            in_class = 1;
            tm_buf_addc(out, ch);
            if (i + 1 < n && p[i + 1] == '^')
                tm_buf_addc(out, p[++i]);
            if (i + 1 < n && p[i + 1] == ']')   /* a ']' first is a literal */
                tm_buf_addc(out, p[++i]);
            continue;
        }
        if (in_class && ch == '[' && i + 1 < n && p[i + 1] == ':') {   /* [:alpha:] */
            const char *end = memchr(p + i + 2, ']', n - i - 2);
            size_t k = end ? (size_t)(end - (p + i)) + 1 : 1;
            tm_buf_add(out, p + i, k);
            i += k - 1;
            continue;
        }
        if (in_class && ch == ']')
            in_class = 0;
        tm_buf_addc(out, ch);
    }
}

