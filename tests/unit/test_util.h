/* Small helpers shared by the unit tests. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

/* The latest diagnostic's message contains `needle`. */
#define assert_diag_contains(diags, needle) \
    do { \
        assert_true((diags)->n > 0); \
        if (!strstr((diags)->v[(diags)->n - 1].msg, (needle))) \
            fail_msg("diag %s lacks %s", (diags)->v[(diags)->n - 1].msg, (needle)); \
    } while (0)

#endif
