/* A one-shot timer for the wall-time limit of a Lua call that runs without
 * the instruction-count hook (tmlint's own code, docs/security.md): when
 * the time is up, a callback runs in a signal handler and sets the hook
 * that stops the call. One per runtime; after fork, each process makes its
 * own timer on first use (POSIX timers are not inherited). */
#ifndef TM_DEADLINE_H
#define TM_DEADLINE_H
#include <stdint.h>

typedef struct tm_deadline tm_deadline;

/* `fire(ud)` runs inside a signal handler: it may only do what is safe
 * there (lua_sethook is). */
tm_deadline *tm_deadline_new(void (*fire)(void *), void *ud);
void tm_deadline_free(tm_deadline *t);
/* Arms it to fire once, `ns` from now, in the calling thread. 0, or -1
 * when this system gives no such timer (the caller then counts
 * instructions instead). */
int tm_deadline_arm(tm_deadline *t, int64_t ns);
/* Disarms it; a signal already sent is delivered before this returns. */
void tm_deadline_disarm(tm_deadline *t);
/* Whether it fired since it was last armed. */
int tm_deadline_fired(const tm_deadline *t);
#endif
