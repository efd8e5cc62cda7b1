#include <stddef.h>
#include <strings.h>
#include "trailer.h"

int tm_trailer_find(const char *msg, size_t len, unsigned *line)
{
    static const char key[] = "threat-model-unchanged:";
    const size_t klen = sizeof key - 1;
    unsigned ln = 1;
    for (size_t i = 0; i < len; ln++) {
        size_t e = i;
        while (e < len && msg[e] != '\n')
            e++;
        if (e - i >= klen && msg[i] != '#' && !strncasecmp(msg + i, key, klen)) {
            int words = 0, in = 0;
            for (size_t q = i + klen; q < e; q++) {
                int w = !(msg[q] == ' ' || msg[q] == '\t' || msg[q] == '\r');
                words += w && !in;
                in = w;
            }
            if (line)
                *line = ln;
            return words >= TM_TRAILER_MIN_WORDS;
        }
        i = e + 1;
    }
    return -1;
}
