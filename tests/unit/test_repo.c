/* tm_repo_open: a file of the repository opens; a symlink that stays
 * inside opens; one that leads out, a "..", an absolute path, do not. */
#include "test_util.h"
#include "repo.h"
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[PATH_MAX], root[PATH_MAX + 16];

static void put(const char *rel, const char *text)
{
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void link_to(const char *target, const char *rel)
{
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/%s", base, rel);
    assert_int_equal(symlink(target, p), 0);
}

/* A fresh temporary base with these directories in it. */
static void make_base(const char *const *dirs)
{
    char tmpl[] = "/tmp/tmlint-repo.XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    assert_non_null(realpath(tmpl, base));
    for (; *dirs; dirs++) {
        char p[PATH_MAX * 2];
        snprintf(p, sizeof p, "%s/%s", base, *dirs);
        assert_int_equal(mkdir(p, 0700), 0);
    }
}

static void drop_base(void)
{
    char cmd[PATH_MAX * 2 + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    assert_int_equal(system(cmd), 0);
}

static int opens(const char *rel)
{
    int fd = tm_repo_open(root, rel);
    if (fd >= 0)
        close(fd);
    return fd >= 0;
}

static void test_open(void **state)
{
    (void)state;
    static const char *const dirs[] = {"repo", "repo/ci", NULL};
    make_base(dirs);
    snprintf(root, sizeof root, "%s/repo/", base);
    put("outside.txt", "secret");
    put("repo/ci/build.yml", "steps: []");
    link_to("ci/build.yml", "repo/inside-link.yml");
    link_to("../outside.txt", "repo/out-link.txt");
    link_to("/etc/hostname", "repo/abs-link");
    assert_true(opens("ci/build.yml"));
    assert_true(opens("inside-link.yml"));
    assert_false(opens("out-link.txt"));
    assert_false(opens("abs-link"));
    assert_false(opens("../outside.txt"));
    assert_false(opens("ci/../../outside.txt"));
    assert_false(opens("/etc/hostname"));
    assert_false(opens("missing.yml"));
    drop_base();
}

/* tm_repo_link_outside: a plain file and a link within the repository are
 * fine; a link out of it, or to a missing file, is refused with why and
 * the fence; outside any repository, the file's own directory fences. */
static int outside(tm_repos *rs, const char *rel, const char **why)
{
    char p[PATH_MAX * 2], *fence = NULL;
    snprintf(p, sizeof p, "%s/%s", base, rel);
    int out = tm_repo_link_outside(rs, p, &fence, why);
    if (out)
        assert_non_null(fence);
    free(fence);
    return out;
}

static void test_link_outside(void **state)
{
    (void)state;
    static const char *const dirs[] = {"repo", "repo/.git", "repo/team", "loose", NULL};
    make_base(dirs);
    put("secret.txt", "secret");
    put("repo/team/a.lua", "return {}");
    put("repo/shared.yaml", "rules: {}");
    link_to("../shared.yaml", "repo/team/in.lua");
    link_to("../../secret.txt", "repo/team/out.lua");
    link_to("/etc/hostname", "repo/.tmlint.yaml");
    link_to("missing.yaml", "repo/.tmlint.yml");
    link_to("../secret.txt", "loose/.tmlint.yaml");
    tm_repos rs;
    memset(&rs, 0, sizeof rs);
    const char *why = NULL;
    assert_false(outside(&rs, "repo/team/a.lua", &why));
    assert_false(outside(&rs, "repo/team/in.lua", &why));
    assert_true(outside(&rs, "repo/team/out.lua", &why));
    assert_string_equal(why, "it leads outside the repository");
    assert_true(outside(&rs, "repo/.tmlint.yaml", &why));
    assert_true(outside(&rs, "repo/.tmlint.yml", &why));   /* dangling: cannot be resolved */
    assert_true(outside(&rs, "loose/.tmlint.yaml", &why));
    assert_non_null(strstr(why, "no git repository"));
    assert_false(outside(&rs, "repo/none.yaml", &why));   /* no such file: not a link */
    tm_repos_free(&rs);
    drop_base();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open),
        cmocka_unit_test(test_link_outside),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
