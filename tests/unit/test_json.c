/* The JSON string escaper: every control character, quote, backslash,
 * invalid UTF-8 and embedded NUL. */
#include "test_util.h"
#include "json.h"
#include <stdlib.h>

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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
