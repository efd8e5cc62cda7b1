/* Report links: which remotes give a web page, with what prefix, and what
 * never reaches a report (credentials, odd characters, other hosts). */
#include "test_util.h"
#include "weblink.h"
#include <stdlib.h>

static void expect_repo(const char *remote, const char *want, const char *want_blob)
{
    const char *blob;
    char *got = tm_weblink_repo(remote, &blob);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_string_equal(blob, want_blob);
    free(got);
}

static void test_github(void **state)
{
    (void)state;
    expect_repo("https://github.com/acme/shop.git", "https://github.com/acme/shop", "/blob/");
    expect_repo("https://github.com/acme/shop", "https://github.com/acme/shop", "/blob/");
    expect_repo("https://github.com/acme/shop/", "https://github.com/acme/shop", "/blob/");
    expect_repo("git@github.com:acme/shop.git", "https://github.com/acme/shop", "/blob/");
    expect_repo("ssh://git@github.com/acme/shop.git", "https://github.com/acme/shop", "/blob/");
    expect_repo("ssh://git@github.com:22/acme/shop.git", "https://github.com/acme/shop", "/blob/");
    /* a token in the URL is dropped, never copied */
    expect_repo("https://x-access-token:ghp_secret@github.com/acme/shop.git", "https://github.com/acme/shop", "/blob/");
    expect_repo("https://github.com/acme/team/shop", NULL, NULL);   /* GitHub has no subgroups */
}

static void test_gitlab(void **state)
{
    (void)state;
    expect_repo("https://gitlab.com/group/sub/shop.git", "https://gitlab.com/group/sub/shop", "/-/blob/");
    expect_repo("git@gitlab.example.com:team/shop.git", "https://gitlab.example.com/team/shop", "/-/blob/");
}

static void test_refused(void **state)
{
    (void)state;
    expect_repo("https://bitbucket.org/acme/shop.git", NULL, NULL);
    expect_repo("/srv/git/shop.git", NULL, NULL);
    expect_repo("file:///srv/git/shop.git", NULL, NULL);
    expect_repo("https://github.com/acme/\"><script>", NULL, NULL);
    expect_repo("https://github.com/acme/../../evil", NULL, NULL);
    expect_repo("https://github.com//shop", NULL, NULL);
    expect_repo("https://github.com/acme", NULL, NULL);
    expect_repo("https://github.com.evil.test/acme/shop", NULL, NULL);
    expect_repo("https://evil.test/github.com/acme/shop", NULL, NULL);
    expect_repo("", NULL, NULL);
}

static void test_encode(void **state)
{
    (void)state;
    tm_buf b;
    tm_buf_init(&b);
    tm_weblink_encode(&b, "models/a b/#x?\"<é>.yaml");
    assert_string_equal(b.p, "models/a%20b/%23x%3F%22%3C%C3%A9%3E.yaml");
    tm_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_github),
        cmocka_unit_test(test_gitlab),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_encode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
