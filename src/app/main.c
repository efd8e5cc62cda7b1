/* The tmlint command: the library's command-line front (src/app/cmd.c). */
#include "cmd.h"
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    /* TMLINT_FREE_AT_EXIT=1 frees all before exit, for valgrind's leak
     * check (.ci/run sets it); the sanitizer build always does */
#ifdef TMLINT_FREE_AT_EXIT_ALWAYS
    int keep = 0;
#else
    const char *f = getenv("TMLINT_FREE_AT_EXIT");
    int keep = !(f && *f && strcmp(f, "0"));
#endif
    return tm_cmd_run(argc, argv, keep);
}
