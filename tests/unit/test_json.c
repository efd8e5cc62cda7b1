/* The JSON string escaper: every control character, quote, backslash,
 * invalid UTF-8 and embedded NUL. */
#include "test_util.h"
#include "json.h"
#include "utf8.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *esc(const char *s, size_t n)
{
    tm_buf b;
    tm_buf_init(&b);
    tm_json_str(&b, s, n);
    return tm_buf_detach(&b);
}

static void check(const char *in, size_t n, const char *want)
{
    char *got = esc(in, n);
    assert_string_equal(got, want);
    free(got);
}

static void test_plain_and_specials(void **state)
{
    (void)state;
    check("abc", 3, "\"abc\"");
    check("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
    check("\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\"");
    check("/", 1, "\"/\"");
}

static void test_every_control_char(void **state)
{
    (void)state;
    for (int c = 0; c < 0x20; c++) {
        char in[1] = {(char)c};
        char *got = esc(in, 1);
        /* never a raw control byte in the output */
        for (char *p = got; *p; p++)
            assert_true((unsigned char)*p >= 0x20);
        assert_int_equal(got[1], '\\');
        free(got);
    }
    check("\x01", 1, "\"\\u0001\"");
    check("\x1f", 1, "\"\\u001f\"");
    check("\x7f", 1, "\"\\u007f\"");
}

static void test_nul_inside(void **state)
{
    (void)state;
    check("a\0b", 3, "\"a\\u0000b\"");
}

/* Runs of plain text around escapes; and tm_buf_printf when the text
 * fits the room left, when it does not, and across many growths. */
static void test_runs_and_printf(void **state)
{
    (void)state;
    check("ab\"cd\\ef\ngh", 11, "\"ab\\\"cd\\\\ef\\ngh\"");
    check("\x7f" "x\xC3\xA9y", 5, "\"\\u007fx\xC3\xA9y\"");
    tm_buf b;
    tm_buf_init(&b);
    char want[64];
    size_t len = 0;
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(want, sizeof want, "%d:%s,", i, i % 7 ? "x" : "a longer piece of text here");
        tm_buf_printf(&b, "%d:%s,", i, i % 7 ? "x" : "a longer piece of text here");
        len += (size_t)n;
        assert_int_equal(b.len, len);
        assert_memory_equal(b.p + len - (size_t)n, want, (size_t)n);
        assert_int_equal(b.p[len], 0);
    }
    char big[300];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = 0;
    tm_buf_printf(&b, "[%s]", big);   /* longer than any room a reserve leaves */
    assert_int_equal(b.len, len + 301);
    assert_int_equal(b.p[b.len - 1], ']');
    assert_int_equal(b.p[b.len], 0);
    tm_buf_free(&b);
}

static void test_utf8(void **state)
{
    (void)state;
    check("caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x94\x92", 14, "\"caf\xC3\xA9 \xE2\x86\x92 \xF0\x9F\x94\x92\"");
    check("\xFF", 1, "\"\xEF\xBF\xBD\"");                 /* stray byte */
    check("\xC0\xAF", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");   /* overlong */
    check("\xED\xA0\x80", 3, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");   /* surrogate */
    check("\xE2\x86", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");   /* cut short */
    check("\xF4\x90\x80\x80", 4, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");   /* > U+10FFFF */
}

/* The escaper against a plain byte-at-a-time one, on random text full of
 * escapes, bad bytes and multi-byte characters, appended to a buffer that
 * already holds text: the escaper writes into room it reserved itself. */
static void ref_str(tm_buf *b, const unsigned char *u, size_t n)
{
    tm_buf_addc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        const char *e = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                      : c == '\t' ? "\\t" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
        if (e) {
            tm_buf_adds(b, e);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            tm_buf_printf(b, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            tm_buf_addc(b, (char)c);
            i++;
        } else {
            size_t k = tm_utf8_len(u + i, n - i);
            if (k)
                tm_buf_add(b, u + i, k);
            else
                tm_buf_adds(b, "\xEF\xBF\xBD");
            i += k ? k : 1;
        }
    }
    tm_buf_addc(b, '"');
}

static void test_against_reference(void **state)
{
    (void)state;
    static const unsigned char pick[] = {'a', 'Z', ' ', '"', '\\', '\n', '\t', 0, 1, 0x1f, 0x7f,
                                         0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0x80};
    unsigned seed = 12345;
    unsigned char in[700];
    for (int round = 0; round < 3000; round++) {
        size_t n = (seed = seed * 1103515245u + 12345u) >> 16;
        n %= sizeof in;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            in[i] = (seed >> 16) % 3 ? 'x' : pick[(seed >> 8) % sizeof pick];
        }
        tm_buf got, want;
        tm_buf_init(&got);
        tm_buf_init(&want);
        for (int k = 0; k < round % 5; k++) {   /* text before it, of several lengths */
            tm_buf_adds(&got, "prefix");
            tm_buf_adds(&want, "prefix");
        }
        tm_json_str(&got, (const char *)in, n);
        ref_str(&want, in, n);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.p, want.p, want.len);
        assert_int_equal(got.p[got.len], 0);
        tm_buf_free(&got);
        tm_buf_free(&want);
    }
}

/* Each byte value at each place of a long plain run: the eight-at-a-time
 * scan must stop at every byte that needs more than copying. */
static void test_every_byte_in_a_run(void **state)
{
    (void)state;
    unsigned char in[19];
    for (unsigned c = 0; c < 256; c++) {
        for (size_t at = 0; at < sizeof in; at++) {
            memset(in, 'a', sizeof in);
            in[at] = (unsigned char)c;
            tm_buf got, want;
            tm_buf_init(&got);
            tm_buf_init(&want);
            tm_json_str(&got, (const char *)in, sizeof in);
            ref_str(&want, in, sizeof in);
            assert_int_equal(got.len, want.len);
            assert_memory_equal(got.p, want.p, want.len);
            tm_buf_free(&got);
            tm_buf_free(&want);
        }
    }
}

static void test_indent(void **state)
{
    (void)state;
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_adds(&b, "x");
    tm_json_indent(&b, 0);
    tm_json_indent(&b, 3);
    tm_buf_adds(&b, "y");
    assert_string_equal(b.p, "x\n\n      y");
    assert_int_equal(b.len, strlen(b.p));
    tm_json_key(&b, 1, "ruleId");
    tm_json_key(&b, 0, "a\"b\n");   /* a key that needs escaping still gets it */
    assert_string_equal(b.p, "x\n\n      y\n  \"ruleId\": \n\"a\\\"b\\n\": ");
    assert_int_equal(b.len, strlen(b.p));
    tm_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_specials),
        cmocka_unit_test(test_every_control_char),
        cmocka_unit_test(test_nul_inside),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_runs_and_printf),
        cmocka_unit_test(test_against_reference),
        cmocka_unit_test(test_every_byte_in_a_run),
        cmocka_unit_test(test_indent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
