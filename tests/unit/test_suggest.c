/* Did-you-mean: the edit distance, its cap, and the pick among candidates. */
#include "test_util.h"
#include "suggest.h"

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(tm_edit_distance("severity", "severity", 3), 0);
    assert_int_equal(tm_edit_distance("sevrity", "severity", 3), 1);
    assert_int_equal(tm_edit_distance("Severity", "severity", 3), 0);   /* case aside */
    assert_int_equal(tm_edit_distance("form", "from", 3), 1);           /* a transposition is one edit */
    assert_int_equal(tm_edit_distance("acepted", "accepted", 3), 1);
    assert_int_equal(tm_edit_distance("abcd", "badc", 3), 2);
    assert_int_equal(tm_edit_distance("kitten", "sitting", 3), 3);
    assert_int_equal(tm_edit_distance("kitten", "sitting", 2), 3);      /* capped: cap + 1 */
    assert_int_equal(tm_edit_distance("a", "abcdef", 2), 3);            /* length gap alone is over the cap */
    assert_int_equal(tm_edit_distance("", "ab", 3), 2);
}

static void test_suggest(void **state)
{
    (void)state;
    const char *keys[] = {"id", "name", "from", "to", "protocol"};
    assert_string_equal(tm_suggest("form", keys, 5), "from");
    assert_string_equal(tm_suggest("protcol", keys, 5), "protocol");
    assert_null(tm_suggest("destination", keys, 5));
    assert_null(tm_suggest("x", keys, 0));
}

/* A correction safe to apply without asking: the one closest, with no
 * other as close (check --fix). */
static void test_suggest_unique(void **state)
{
    (void)state;
    const char *keys[] = {"id", "name", "from", "to", "protocol"};
    assert_string_equal(tm_suggest_unique("protcol", keys, 5), "protocol");
    const char *close[] = {"cat", "car", "dog"};
    assert_string_equal(tm_suggest("cay", close, 3), "cat");   /* a suggestion... */
    assert_null(tm_suggest_unique("cay", close, 3));             /* ...but two as close: no fix */
    assert_null(tm_suggest_unique("destination", keys, 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_suggest_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
