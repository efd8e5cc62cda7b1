/* The JSON string escaper: every control character, quote, backslash,
 * invalid UTF-8 and embedded NUL. */
#include "test_util.h"
#include "json.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_specials),
        cmocka_unit_test(test_every_control_char),
        cmocka_unit_test(test_nul_inside),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_runs_and_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
