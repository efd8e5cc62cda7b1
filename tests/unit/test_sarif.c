/* The SARIF writer over a real check: escaping of model text in messages,
 * and fingerprints that survive edits elsewhere in the file. */
#include "test_util.h"
#include "ctx.h"
#include "out.h"
#include "run.h"
#include "walk.h"
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>

/* Checks `yaml` as a file and returns the SARIF (caller frees). */
static char *check_sarif(const char *yaml)
{
    /* one fixed name: the file's URI is part of every fingerprint */
    char path[64];
    snprintf(path, sizeof path, "/tmp/tmlint-sarif-%ld.tm.yaml", (long)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
    close(fd);
    tm_ctx c;
    tm_ctx_init(&c);
    c.opts.rules_dir = TEST_RULES_DIR;
    c.opts.now = "2026-11-23";
    assert_int_equal(tm_ctx_set_now(&c), 0);
    assert_int_equal(tm_run_setup(&c), 0);
    tm_walk_set_root(&c);
    char *paths[] = {path};
    assert_int_equal(tm_walk(&c, paths, 1), 0);
    tm_run_check(&c);
    assert_int_equal(tm_diags_count(&c.diags, TM_DIAG_ERROR), 0);
    tm_buf b;
    tm_buf_init(&b);
    tm_out_sarif(&c, &b);
    tm_ctx_free(&c);
    unlink(path);
    return tm_buf_detach(&b);
}

/* Fingerprints in document order, space-separated. */
static char *fingerprints(const char *sarif)
{
    tm_buf b;
    tm_buf_init(&b);
    for (const char *p = sarif; (p = strstr(p, "\"tmlint/v1\": \"")); p += 14) {
        tm_buf_add(&b, p + 14, 16);
        tm_buf_addc(&b, ' ');
    }
    return tm_buf_detach(&b);
}

static const char *model_a =
    "model: 1\n"
    "title: Fingerprints\n"
    "threats:\n"
    "  - id: T1\n"
    "    title: First\n"
    "    status: open\n"
    "  - id: T2\n"
    "    title: Second\n"
    "    status: open\n";

static const char *model_b =   /* comments and another threat above, T1 and T2 moved */
    "# A comment block that moves everything below it down.\n"
    "#\n"
    "model: 1\n"
    "title: Fingerprints\n"
    "threats:\n"
    "  - id: T0\n"
    "    title: Zeroth\n"
    "    status: accepted\n"
    "    accept: {reason: Nothing of value is behind it at all}\n"
    "  - id: T1\n"
    "    title: First\n"
    "    status: open\n"
    "  - id: T2\n"
    "    title: Second\n"
    "    status: open\n";

static void test_fingerprints_stable(void **state)
{
    (void)state;
    char *a = check_sarif(model_a), *b = check_sarif(model_b);
    char *fa = fingerprints(a), *fb = fingerprints(b);
    assert_true(strlen(fa) >= 2 * 17);
    /* every finding of A keeps its key in B, though B adds T0's findings */
    for (const char *p = fa; *p; p += 17) {
        char one[17];
        memcpy(one, p, 16);
        one[16] = 0;
        if (!strstr(fb, one))
            fail_msg("fingerprint %s of model A is not in model B", one);
    }
    /* and findings on different threats have different keys */
    const char *t1 = strstr(a, "threat 'T1' has no mitigation"), *t2 = strstr(a, "threat 'T2' has no mitigation");
    assert_non_null(t1);
    assert_non_null(t2);
    const char *f1 = strstr(t1, "\"tmlint/v1\": \""), *f2 = strstr(t2, "\"tmlint/v1\": \"");
    assert_memory_not_equal(f1, f2, 30);
    assert_non_null(strstr(a, "\"startLine\": 4"));
    assert_non_null(strstr(b, "\"startLine\": 10"));   /* while the lines moved */
    free(fa); free(fb); free(a); free(b);
}

static void test_message_escaping(void **state)
{
    (void)state;
    char *s = check_sarif("model: 1\n"
                          "threats:\n"
                          "  - id: \"T\\\"1\\\\\\x01\\t\"\n"
                          "    status: open\n");
    assert_non_null(strstr(s, "threat 'T\\\"1\\\\\\u0001\\t' has no mitigation"));
    for (const char *p = s; *p; p++)
        assert_true((unsigned char)*p >= 0x20 || *p == '\n');
    free(s);
}

static void test_shape(void **state)
{
    (void)state;
    char *s = check_sarif(model_a);
    assert_non_null(strstr(s, "\"version\": \"2.1.0\""));
    assert_non_null(strstr(s, "\"columnKind\": \"unicodeCodePoints\""));
    assert_non_null(strstr(s, "\"ruleId\": \"TM310\""));
    assert_non_null(strstr(s, "\"executionSuccessful\": true"));
    assert_non_null(strstr(s, "\"region\": {\"startLine\": 4, \"startColumn\": 5, \"endLine\": 4, \"endColumn\": 11}"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fingerprints_stable),
        cmocka_unit_test(test_message_escaping),
        cmocka_unit_test(test_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
