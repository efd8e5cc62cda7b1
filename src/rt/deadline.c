#define _GNU_SOURCE
#include "deadline.h"
#include "buf.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define MAGIC 0x746d646cu   /* a pointer a signal brings is checked before use */

struct tm_deadline {
    uint32_t magic;
    volatile sig_atomic_t armed;
    int64_t at;         /* when it fires, while armed */
    void (*fire)(void *);
    void *ud;
    pid_t pid;          /* the process its timer belongs to (0: none yet) */
    /* 1 in a page the kernel zeroes in a child (MADV_WIPEONFORK): whether
     * the timer is this process's, known without a getpid per call */
    volatile uint32_t *ours;
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
    int saved = errno;   /* the code it interrupts may be about to read it */
    tm_deadline *t = si->si_value.sival_ptr;
    if (t && t->magic == MAGIC && t->armed) {
        t->armed = 0;
        t->fire(t->ud);
    }
    errno = saved;
}

tm_deadline *tm_deadline_new(void (*fire)(void *), void *ud)
{
    tm_deadline *t = tm_xcalloc(1, sizeof *t);
    t->magic = MAGIC;
    t->fire = fire;
    t->ud = ud;
    long page = sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
#ifdef MADV_WIPEONFORK
    if (p != MAP_FAILED && madvise(p, (size_t)page, MADV_WIPEONFORK) == 0)
        t->ours = p;
    else
#endif
    if (p != MAP_FAILED)
        munmap(p, (size_t)page);
    return t;
}

/* whether the timer made is this process's (not a parent's, before fork) */
static int mine(const tm_deadline *t)
{
    return t->ours ? *t->ours != 0 : t->pid && t->pid == getpid();
}

/* this process's timer, made on first use (and again after fork) */
static int ready(tm_deadline *t)
{
    if (mine(t))
        return 0;
    pid_t me = getpid();
    t->armed = 0;   /* a parent's timer: not this process's */
    if (t->broken)
        return -1;
    /* the signal must be ours to take, and reach this thread: one that
     * is blocked here or handled by someone else means no timer */
    struct sigaction sa, was;
    sigset_t mask;
    if (sigaction(SIGRTMIN, NULL, &was) != 0 || pthread_sigmask(SIG_BLOCK, NULL, &mask) != 0 ||
        sigismember(&mask, SIGRTMIN) ||
        ((was.sa_flags & SA_SIGINFO) ? was.sa_sigaction != on_signal : was.sa_handler != SIG_DFL)) {
        t->broken = 1;
        return -1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    /* to this thread: the Lua call runs here */
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGRTMIN;
    ev.sigev_value.sival_ptr = t;
    ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
    if (sigaction(SIGRTMIN, &sa, NULL) != 0 || timer_create(CLOCK_MONOTONIC, &ev, &t->timer) != 0) {
        t->broken = 1;
        return -1;
    }
    t->pid = me;
    if (t->ours)
        *t->ours = 1;
    return 0;
}

int tm_deadline_by(tm_deadline *t, int64_t at)
{
    if (!t || at <= 0 || ready(t) != 0)
        return -1;
    if (t->armed && t->at <= at)
        return 0;
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    its.it_value.tv_sec = (time_t)(at / 1000000000);
    its.it_value.tv_nsec = (long)(at % 1000000000);
    t->at = at;
    t->armed = 1;
    if (timer_settime(t->timer, TIMER_ABSTIME, &its, NULL) != 0) {
        t->armed = 0;
        return -1;
    }
    return 0;
}

void tm_deadline_disarm(tm_deadline *t)
{
    if (!t || !t->armed)
        return;
    t->armed = 0;
    if (!mine(t))   /* a parent's timer is none of this process's */
        return;
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    (void)timer_settime(t->timer, 0, &its, NULL);
}

void tm_deadline_free(tm_deadline *t)
{
    if (!t)
        return;
    if (mine(t))
        timer_delete(t->timer);
    if (t->ours)
        munmap((void *)t->ours, (size_t)sysconf(_SC_PAGESIZE));
    t->magic = 0;
    free(t);
}
