/* JUnit results: what each producer's sample holds, how verified_by
 * references find their cases, and hostile files refused with a position. */
#include "test_util.h"
#include "junit.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define DIR TEST_SOURCE_DIR "/tests/junit/"

static int find(const tm_tests *t, const char *path, const char *name, size_t *at)
{
    size_t cost;
    return tm_tests_find(t, path, name, at, &cost);
}

static void test_pytest(void **state)
{
    (void)state;
    tm_tests t;
    tm_tests_init(&t);
    tm_diags d;
    tm_diags_init(&d);
    assert_int_equal(tm_tests_load(&t, DIR "pytest.xml", 1 << 20, &d), 0);
    assert_int_equal(t.n, 7);
    size_t at;
    const char *f = "tests/test_auth.py";
    assert_int_equal(find(&t, f, "test_lockout", &at), TM_TEST_PASSED);
    assert_int_equal(find(&t, f, "test_session_expiry", &at), TM_TEST_FAILED);
    assert_string_equal(t.v[at].message, "AssertionError: sessions outlive their limit\nassert 30 < 15");
    assert_int_equal(find(&t, f, "test_sso_login", &at), TM_TEST_SKIPPED);
    assert_int_equal(find(&t, f, "test_audit_log", &at), TM_TEST_ERROR);
    assert_int_equal(find(&t, f, "test_password_length", &at), TM_TEST_FAILED);   /* [8] failed, [12] passed */
    assert_int_equal(find(&t, f, "TestTokens::test_rotation", &at), TM_TEST_PASSED);
    assert_int_equal(find(&t, f, "Other::test_rotation", &at), -1);
    assert_int_equal(find(&t, f, "test_gone", &at), -1);
    assert_int_equal(find(&t, "tests/test_other.py", "test_lockout", &at), -1);   /* another module */
    assert_int_equal(find(&t, f, NULL, &at), TM_TEST_ERROR);   /* the whole file: its worst */
    assert_int_equal(find(&t, "./tests/test_auth.py", "test_lockout", &at), TM_TEST_PASSED);
    tm_tests_free(&t);
    tm_diags_free(&d);
}

static void test_ctest_and_jest(void **state)
{
    (void)state;
    tm_tests t;
    tm_tests_init(&t);
    tm_diags d;
    tm_diags_init(&d);
    assert_int_equal(tm_tests_load(&t, DIR "ctest.xml", 1 << 20, &d), 0);
    assert_int_equal(tm_tests_load(&t, DIR "jest.xml", 1 << 20, &d), 0);
    assert_int_equal(t.nfiles, 2);
    size_t at;
    /* ctest records no file: a name is found wherever the reference points */
    assert_int_equal(find(&t, "tests/CMakeLists.txt", "mask_card_numbers", &at), TM_TEST_PASSED);
    assert_int_equal(find(&t, "tests/CMakeLists.txt", "rate_limit", &at), TM_TEST_FAILED);
    assert_int_equal(t.v[at].src, 0);
    assert_int_equal(find(&t, "tests/CMakeLists.txt", "tls_only", &at), TM_TEST_SKIPPED);   /* disabled */
    assert_int_equal(find(&t, "auth.test.js", "locks out after five tries", &at), TM_TEST_PASSED);
    assert_int_equal(find(&t, "auth.test.js", "expires idle sessions", &at), TM_TEST_FAILED);
    assert_string_equal(t.v[at].message, "Error: expect(received).toBeLessThan(expected)");
    assert_int_equal(t.v[at].src, 1);
    assert_int_equal(t.v[at].line, 6);   /* its <testcase> */
    assert_int_equal(find(&t, "auth.test.js", "signs in with SSO", &at), TM_TEST_SKIPPED);
    /* jest names the file: the same title in another file is not this test */
    assert_int_equal(find(&t, "other.test.js", "locks out after five tries", &at), -1);
    tm_tests_free(&t);
    tm_diags_free(&d);
}

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/tmlint-junit-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void refused(const char *text, size_t max, const char *needle, uint32_t line)
{
    tm_tests t;
    tm_tests_init(&t);
    tm_diags d;
    tm_diags_init(&d);
    char *p = write_tmp(text);
    assert_int_equal(tm_tests_load(&t, p, max, &d), -1);
    assert_diag_contains(&d, needle);
    assert_int_equal(d.v[0].line, line);
    assert_int_equal(t.n, 0);   /* nothing half-read is kept */
    unlink(p);
    free(p);
    tm_tests_free(&t);
    tm_diags_free(&d);
}

static void test_bad_files(void **state)
{
    (void)state;
    refused("this is not xml\n", 1 << 20, "not well-formed XML", 1);
    refused("", 1 << 20, "not well-formed XML: no element found", 1);
    refused("<testsuite><testcase name='a'>\n<failure></testsuite>", 1 << 20, "mismatched tag", 2);
    refused("<?xml version='1.0'?>\n<html><body/></html>", 1 << 20, "root element is <html>", 2);
    refused("<?xml version='1.0'?>\n<!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;'>]>\n"
            "<testsuite><testcase name='&lol2;'/></testsuite>", 1 << 20, "has a DOCTYPE", 2);
    refused("<!DOCTYPE x SYSTEM 'file:///etc/passwd'><testsuite/>", 1 << 20, "has a DOCTYPE", 1);
    refused("<testsuite><testcase name='a'/></testsuite>", 10, "larger than 10 bytes", 0);
    char deep[4000] = "";
    for (int i = 0; i < 300; i++)
        strcat(deep, "<a>");
    refused(deep, 1 << 20, "root element is <a>", 1);
    char nest[4200] = "<testsuites>";
    for (int i = 0; i < 300; i++)
        strcat(nest, "<x>");
    refused(nest, 1 << 20, "deeper than 256", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pytest),
        cmocka_unit_test(test_ctest_and_jest),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
