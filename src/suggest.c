#include "suggest.h"
#include "buf.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

size_t tm_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    if (la > 256 || lb > 256)
        return cap + 1;   /* names, not texts */
    size_t row[257];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t v = diag + cost;
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
    }
    return row[lb] > cap ? cap + 1 : row[lb];
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
