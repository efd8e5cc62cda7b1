#define _GNU_SOURCE
#include "deadline.h"
#include "buf.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#define MAGIC 0x746d646cu   /* a pointer a signal brings is checked before use */

struct tm_deadline {
    uint32_t magic;
    volatile sig_atomic_t armed, fired;
    void (*fire)(void *);
    void *ud;
    pid_t pid;          /* the process its timer belongs to (0: none yet) */
    int broken;         /* timer_create failed: do not try again */
    timer_t timer;
};

static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    /* only the kernel's timer expiry: sigqueue cannot send SI_TIMER */
    if (si->si_code != SI_TIMER)
        return;
    tm_deadline *t = si->si_value.sival_ptr;
    if (t && t->magic == MAGIC && t->armed) {
        t->armed = 0;
        t->fired = 1;
        t->fire(t->ud);
    }
}

tm_deadline *tm_deadline_new(void (*fire)(void *), void *ud)
{
    tm_deadline *t = tm_xcalloc(1, sizeof *t);
    t->magic = MAGIC;
    t->fire = fire;
    t->ud = ud;
    return t;
}

/* this process's timer, made on first use (and again after fork) */
static int ready(tm_deadline *t)
{
    pid_t me = getpid();
    if (t->pid == me)
        return 0;
    if (t->broken)
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    /* to this thread: the rule runs here, and a signal that another
     * thread took could land after the call it was meant for */
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGRTMIN;
    ev.sigev_value.sival_ptr = t;
    ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
    if (sigaction(SIGRTMIN, &sa, NULL) != 0 || timer_create(CLOCK_MONOTONIC, &ev, &t->timer) != 0) {
        t->broken = 1;
        return -1;
    }
    t->pid = me;
    return 0;
}

int tm_deadline_arm(tm_deadline *t, int64_t ns)
{
    if (!t || ns <= 0 || ready(t) != 0)
        return -1;
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    its.it_value.tv_sec = (time_t)(ns / 1000000000);
    its.it_value.tv_nsec = (long)(ns % 1000000000);
    t->fired = 0;
    t->armed = 1;
    if (timer_settime(t->timer, 0, &its, NULL) != 0) {
        t->armed = 0;
        return -1;
    }
    return 0;
}

void tm_deadline_disarm(tm_deadline *t)
{
    if (!t || t->pid != getpid())
        return;
    t->armed = 0;
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    (void)timer_settime(t->timer, 0, &its, NULL);
}

void tm_deadline_free(tm_deadline *t)
{
    if (!t)
        return;
    if (t->pid == getpid())
        timer_delete(t->timer);
    t->magic = 0;
    free(t);
}

int tm_deadline_fired(const tm_deadline *t)
{
    return t && t->fired;
}
