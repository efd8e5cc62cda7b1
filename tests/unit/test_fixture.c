/* Fixture annotations: where each points, what a sidecar says, and the
 * mistakes that are errors at their line and column. */
#include "test_util.h"
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse(tm_fixture *fx, const char *text, tm_diags *d)
{
    tm_diags_init(d);
    return tm_fixture_parse(fx, "f.tm.yaml", text, strlen(text), d);
}

static void test_targets(void **state)
{
    (void)state;
    tm_fixture fx;
    tm_diags d;
    const char *t = "model: 1  # now: 2026-03-01\n"
                    "owner: bob   # expect: ACME1, TM001\n"
                    "threats:\n"
                    "  # expect: TM310\n"
                    "\n"
                    "  # a plain comment\n"
                    "  - {id: T1}  # ok: TM301  # args: --staged --changed-since main\n";
    assert_int_equal(parse(&fx, t, &d), 0);
    assert_int_equal(d.n, 0);
    assert_string_equal(fx.now, "2026-03-01");
    assert_int_equal(fx.nmarks, 4);
    assert_string_equal(fx.marks[0].rule, "ACME1");
    assert_int_equal(fx.marks[0].target, 2);
    assert_int_equal(fx.marks[0].col, 24);   /* the rule id itself */
    assert_string_equal(fx.marks[1].rule, "TM001");
    assert_int_equal(fx.marks[1].target, 2);
    /* a line of its own names the next line that is no comment or blank */
    assert_string_equal(fx.marks[2].rule, "TM310");
    assert_int_equal(fx.marks[2].target, 7);
    assert_true(fx.marks[3].ok);
    assert_int_equal(fx.marks[3].target, 7);
    assert_int_equal(fx.nargs, 3);
    assert_string_equal(fx.args[0], "--staged");
    assert_string_equal(fx.args[2], "main");
    tm_fixture_free(&fx);
    tm_diags_free(&d);
}

static void test_errors(void **state)
{
    (void)state;
    tm_fixture fx;
    tm_diags d;
    /* no colon, no rule, a bad date, a count nobody reads, an option that writes */
    const char *t = "a: 1  # expect TM310\n"
                    "b: 2  # expect:\n"
                    "# now: 2026-3-1\n"
                    "c: 3  # expect-count: widgets=2\n"
                    "d: 4  # args: --output x\n"
                    "# expect: TM310\n";
    assert_int_equal(parse(&fx, t, &d), -1);
    assert_int_equal(d.n, 6);
    assert_int_equal(d.v[0].line, 1);
    assert_int_equal(d.v[0].col, 9);
    assert_non_null(strstr(d.v[0].msg, "needs a colon"));
    assert_int_equal(d.v[1].line, 2);
    assert_non_null(strstr(d.v[1].msg, "names no rule"));
    assert_int_equal(d.v[2].line, 3);
    assert_non_null(strstr(d.v[2].msg, "YYYY-MM-DD"));
    assert_int_equal(d.v[3].line, 4);
    assert_int_equal(d.v[4].line, 5);
    assert_non_null(strstr(d.v[4].msg, "not '--output'"));
    /* an own-line annotation at the end names no line */
    assert_int_equal(d.v[5].line, 6);
    tm_fixture_free(&fx);
    tm_diags_free(&d);
    /* words that only look like annotations are left alone */
    assert_int_equal(parse(&fx, "a: 1  # ok, this is fine\nb: 2 # expected to be quiet\n", &d), 0);
    assert_int_equal(fx.nmarks, 0);
    tm_fixture_free(&fx);
    tm_diags_free(&d);
}

static void test_sidecar(void **state)
{
    (void)state;
    char dir[] = "/tmp/tmlint-fixture.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char json[256], side[256];
    snprintf(json, sizeof json, "%s/a.tm.json", dir);
    snprintf(side, sizeof side, "%s/a.tm.json.expect", dir);
    FILE *f = fopen(side, "w");
    assert_non_null(f);
    fputs("# JSON has no comments\n3 TM310, TM301\n4 ok: TM001\nexpect-read: native\nexpect-count: threats=2\nx TM1\n", f);
    fclose(f);
    tm_fixture fx;
    tm_diags d;
    tm_diags_init(&d);
    assert_int_equal(tm_fixture_parse(&fx, json, "{}", 2, &d), -1);
    assert_int_equal(fx.nmarks, 3);
    assert_int_equal(fx.marks[0].target, 3);
    assert_string_equal(fx.marks[1].rule, "TM301");
    assert_true(fx.marks[2].ok);
    assert_int_equal(fx.marks[2].target, 4);
    assert_string_equal(fx.read_format, "native");
    assert_int_equal(fx.ncounts, 1);
    assert_int_equal(fx.counts[0].n, 2);
    assert_int_equal(d.n, 1);   /* "x TM1" */
    assert_int_equal(d.v[0].line, 6);
    tm_fixture_free(&fx);
    tm_diags_free(&d);
    unlink(side);
    /* no sidecar: an error that names it */
    tm_diags_init(&d);
    assert_int_equal(tm_fixture_parse(&fx, json, "{}", 2, &d), -1);
    assert_non_null(strstr(d.v[0].msg, "a.tm.json.expect"));
    tm_fixture_free(&fx);
    tm_diags_free(&d);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_sidecar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
