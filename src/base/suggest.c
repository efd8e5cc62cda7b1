#include "suggest.h"
#include "buf.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Edit distance with adjacent transpositions counted as one edit (optimal
 * string alignment): `form` is one edit from `from`, as a typo is. */
size_t tm_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    if (la > 256 || lb > 256)
        return cap + 1;   /* names, not texts */
    size_t rows[3][257];
    size_t *two = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t best = cur[0] = i;
        int ai = tolower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= lb; j++) {
            int bj = tolower((unsigned char)b[j - 1]);
            size_t v = prev[j - 1] + (ai != bj);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ai == tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) == bj &&
                two[j - 2] + 1 < v)
                v = two[j - 2] + 1;
            cur[j] = v;
            if (v < best)
                best = v;
        }
        /* a transposition reaches back two rows, but never below the
         * previous row's minimum plus one, so the cut-off stays sound */
        if (best > cap)
            return cap + 1;
        size_t *t = two;
        two = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] > cap ? cap + 1 : prev[lb];
}

const char *tm_suggest(const char *word, const char *const *cands, size_t n)
{
    size_t len = strlen(word);
    size_t cap = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t bd = cap + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = tm_edit_distance(word, cands[i], cap);
        if (d < bd) {
            bd = d;
            best = cands[i];
        }
    }
    return best;
}

const char *tm_suggest_unique(const char *word, const char *const *cands, size_t n)
{
    const char *best = tm_suggest(word, cands, n);
    if (!best)
        return NULL;
    size_t len = strlen(word);
    size_t cap = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    size_t bd = tm_edit_distance(word, best, cap);
    for (size_t i = 0; i < n; i++)
        if (cands[i] != best && tm_edit_distance(word, cands[i], cap) == bd)
            return NULL;
    return best;
}
