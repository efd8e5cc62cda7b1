#include "git_dl.h"
#include <dlfcn.h>
#include <string.h>

#ifndef TMLINT_LIBGIT2_SONAME
#define TMLINT_LIBGIT2_SONAME "libgit2.so"
#endif

int tm_git_load(tm_git *g, const char **why)
{
    if (g->handle)
        return 0;
    void *h = dlopen(TMLINT_LIBGIT2_SONAME, RTLD_NOW | RTLD_LOCAL);
    /* a release build run on another distribution (the Action on an
     * Ubuntu runner) finds that system's libgit2 1.x: the calls used here,
     * with default options only, are the same in all of them */
    static const char *const others[] = {"libgit2.so.1.9", "libgit2.so.1.8", "libgit2.so.1.7", "libgit2.so.1.6",
                                         "libgit2.so.1.5", "libgit2.so.1.4", "libgit2.so.1.3", "libgit2.so.1.1",
                                         NULL};
    for (const char *const *o = others; !h && *o; o++)
        h = dlopen(*o, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        *why = "libgit2 (" TMLINT_LIBGIT2_SONAME ") could not be loaded";
        return -1;
    }
    /* POSIX: a function pointer may be had from dlsym's void * this way */
#define TM_GIT_SYM(ret, name, args) \
    *(void **)(&g->name) = dlsym(h, #name); \
    if (!g->name) { \
        dlclose(h); \
        memset(g, 0, sizeof *g); \
        *why = "libgit2 lacks " #name; \
        return -1; \
    }
    TM_GIT_FUNCS(TM_GIT_SYM)
#undef TM_GIT_SYM
    g->handle = h;
    g->git_libgit2_init();
    /* a walk reads each commit and tree once: a small object cache and
     * pack window keep a long history from holding its packs in memory */
    g->git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(8 << 20));
    g->git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)(32 << 20));
    return 0;
}

void tm_git_unload(tm_git *g)
{
    if (!g->handle)
        return;
    g->git_libgit2_shutdown();
    /* not dlclose'd: the process ends soon after, and a leak checker can
     * still name libgit2's frames */
    memset(g, 0, sizeof *g);
}
