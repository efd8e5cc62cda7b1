/* The Threat-Model-Unchanged trailer: where it is found, what reason is
 * enough, and what is not a trailer at all. */
#include "test_util.h"
#include "trailer.h"
#include <string.h>

static int find(const char *msg, unsigned *line)
{
    return tm_trailer_find(msg, strlen(msg), line);
}

static void test_found(void **state)
{
    (void)state;
    unsigned line = 0;
    assert_int_equal(find("svc: wording\n\nThreat-Model-Unchanged: only the log wording changed\n", &line), 1);
    assert_int_equal(line, 3);
    /* case aside, CRLF, no final newline */
    assert_int_equal(find("x\r\nthreat-model-unchanged: a b c d", &line), 1);
    assert_int_equal(line, 2);
}

static void test_short_reason(void **state)
{
    (void)state;
    unsigned line = 0;
    assert_int_equal(find("x\n\nThreat-Model-Unchanged: n/a\n", &line), 0);
    assert_int_equal(line, 3);
    assert_int_equal(find("Threat-Model-Unchanged:   a  b\tc \r\n", &line), 0);
    assert_int_equal(find("Threat-Model-Unchanged:", &line), 0);
}

static void test_absent(void **state)
{
    (void)state;
    assert_int_equal(find("", NULL), -1);
    /* a comment line (git strips those) and a mention inside a line are not trailers */
    assert_int_equal(find("# Threat-Model-Unchanged: a b c d e\n", NULL), -1);
    assert_int_equal(find("see Threat-Model-Unchanged: a b c d e\n", NULL), -1);
    /* the length is honoured: the trailer past it is not read */
    const char *m = "x\nThreat-Model-Unchanged: a b c d\n";
    assert_int_equal(tm_trailer_find(m, 2, NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found),
        cmocka_unit_test(test_short_reason),
        cmocka_unit_test(test_absent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
