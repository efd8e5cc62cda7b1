/* A one-shot timer for the wall-time limit of Lua calls that run without
 * the instruction-count hook (tmlint's own code, docs/security.md): when
 * it expires, a callback runs in a signal handler and sets the hook that
 * stops the call. It stays armed across calls (each call needs it to fire
 * by its own deadline, later than the last one's), so a call costs no
 * system call; after fork, each process makes its own timer on first use
 * (POSIX timers are not inherited). */
#ifndef TM_DEADLINE_H
#define TM_DEADLINE_H
#include <stdint.h>

typedef struct tm_deadline tm_deadline;

/* `fire(ud)` runs inside a signal handler: it may only do what is safe
 * there (lua_sethook is). */
tm_deadline *tm_deadline_new(void (*fire)(void *), void *ud);
void tm_deadline_free(tm_deadline *t);
/* Makes it fire, in the calling thread, no later than `at` (CLOCK_MONOTONIC
 * ns): a timer already due by then is left as it is. 0, or -1 when this
 * system gives no such timer (the caller then counts instructions). */
int tm_deadline_by(tm_deadline *t, int64_t at);
/* Disarms it (before a pause: no signal while nothing runs). */
void tm_deadline_disarm(tm_deadline *t);
#endif
