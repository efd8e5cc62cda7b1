/* Test results from JUnit XML files (--test-results), read with expat, for
 * the rule that checks a mitigation's test passed. Files come from other
 * tools and may be hostile: no DOCTYPE (so no entities to expand), bounded
 * size, depth and number of cases. */
#ifndef TM_JUNIT_H
#define TM_JUNIT_H
#include "diag.h"
#include <stddef.h>
#include <stdint.h>

typedef enum { TM_TEST_PASSED, TM_TEST_SKIPPED, TM_TEST_FAILED, TM_TEST_ERROR } tm_test_result;

typedef struct tm_test_case {
    char *name, *classname, *file;   /* file: the case's or its suite's, or NULL */
    char *message;                   /* of its failure, error or skip, or NULL */
    tm_test_result result;
    uint32_t src;                    /* index into files */
    uint32_t line;
} tm_test_case;

typedef struct tm_tests {
    tm_test_case *v;
    size_t n, cap;
    char **files;                    /* the result files read */
    size_t nfiles;
} tm_tests;

#define TM_TESTS_MAX_CASES 1000000

void tm_tests_init(tm_tests *t);
void tm_tests_free(tm_tests *t);
/* Reads one JUnit file of at most max_bytes; 0, or -1 with a diagnostic at
 * the file, line and column (the cases read before the error are dropped). */
int tm_tests_load(tm_tests *t, const char *path, size_t max_bytes, tm_diags *d);
/* The cases a verified_by reference names: `path` (repository-relative)
 * and `name` (the part after "::", or NULL for every case of the file).
 * Returns the worst result among them and the index of a case with that
 * result in *at; -1 when no case matches. *cost gets the work done. */
int tm_tests_find(const tm_tests *t, const char *path, const char *name, size_t *at, size_t *cost);
const char *tm_test_result_name(tm_test_result r);

#endif
