/* The growable buffer and whole-file reading: the bytes come back exact
 * whatever the file's size, and what is not a small regular file is refused. */
#include "test_util.h"
#include "buf.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *temp_file(const char *data, size_t n)
{
    char *path = strdup("/tmp/tmlint-test-buf-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    return path;
}

static void check_size(size_t n)
{
    char *data = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)('a' + i % 26);
    char *path = temp_file(data, n);
    tm_buf b;
    assert_int_equal(tm_read_file(path, &b, (size_t)1 << 20), 0);
    assert_non_null(b.p);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.p, data, n);
    assert_int_equal(b.p[n], '\0');   /* always terminated */
    tm_buf_free(&b);
    unlink(path);
    free(path);
    free(data);
}

static void test_read_sizes(void **state)
{
    (void)state;
    size_t sizes[] = {0, 1, 63, 64, 65, 8191, 8192, 8193, 100000};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        check_size(sizes[i]);
}

static void test_read_refusals(void **state)
{
    (void)state;
    tm_buf b;
    assert_int_equal(tm_read_file("/nonexistent/tmlint", &b, 100), -1);
    assert_null(b.p);
    assert_int_equal(tm_read_file("/tmp", &b, 100), -2);   /* a directory */
    assert_null(b.p);
    char *path = temp_file("0123456789", 10);
    assert_int_equal(tm_read_file(path, &b, 9), -3);       /* over the cap */
    assert_null(b.p);
    assert_int_equal(tm_read_file(path, &b, 10), 0);       /* at the cap */
    assert_int_equal(b.len, 10);
    tm_buf_free(&b);
    unlink(path);
    free(path);
}

/* tm_xgrow keeps the bytes it had and hands out the whole new size,
 * small steps and large ones (whose new pages it faults in) alike. */
static void test_grow(void **state)
{
    (void)state;
    size_t sizes[] = {16, 4096, 300000, 5000000, 5000001, 12345678};
    unsigned char *p = NULL;
    size_t had = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        p = tm_xgrow(p, had, sizes[i]);
        for (size_t j = 0; j < had; j += 997)
            assert_int_equal(p[j], (unsigned char)(j * 7));
        for (size_t j = had; j < sizes[i]; j++)
            p[j] = (unsigned char)(j * 7);
        had = sizes[i];
    }
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_sizes),
        cmocka_unit_test(test_read_refusals),
        cmocka_unit_test(test_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
