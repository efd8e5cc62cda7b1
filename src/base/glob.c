#include "glob.h"

int tm_glob_match(const char *p, const char *s)
{
    size_t budget = TM_GLOB_MAX_STEPS;
    return tm_glob_match_b(p, s, &budget) == 1;
}

int tm_glob_match_b(const char *p, const char *s, size_t *budget)
{
    /* iterative with one backtrack point for '*' and one for '**'; each
     * backtrack restarts the rest of the pattern, so the steps can reach
     * the product of the lengths: they are counted */
    const char *star_p = NULL, *star_s = NULL, *dstar_p = NULL, *dstar_s = NULL;
    for (;;) {
        if (!*budget)
            return -1;
        --*budget;
        if (*p == '*' && p[1] == '*') {
            p += 2;
            if (*p == '/')
                p++;          /* a double star and its slash also match no directory */
            dstar_p = p;
            dstar_s = s;
            star_p = NULL;
            continue;
        }
        if (*p == '*') {
            star_p = ++p;
            star_s = s;
            continue;
        }
        if (*s && (*p == *s || (*p == '?' && *s != '/'))) {
            p++;
            s++;
            continue;
        }
        if (!*p && !*s)
            return 1;
        if (star_p && *star_s && *star_s != '/') {
            p = star_p;
            s = ++star_s;
            continue;
        }
        if (dstar_p && *dstar_s) {
            p = dstar_p;
            s = ++dstar_s;
            star_p = NULL;
            continue;
        }
        return 0;
    }
}
