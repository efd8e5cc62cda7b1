/* --timings: where a check spends its time, per rule, per adapter and per
 * phase, printed after the run so rule authors can see their own cost. */
#ifndef TM_TIMINGS_H
#define TM_TIMINGS_H
#include <stdint.h>
#include <stdio.h>

typedef struct tm_timing {
    int64_t ns;        /* wall time */
    int64_t work;      /* Lua instructions plus charged C work */
    uint64_t calls;
} tm_timing;

int64_t tm_clock_ns(void);

struct tm_ctx;
/* Prints the table of rules, adapters and phases, sorted by time, each
 * with its share of the whole run's wall time `total_ns`. */
void tm_timings_print(const struct tm_ctx *c, FILE *out, int64_t total_ns);

#endif
