#include "io.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tm_io_write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int tm_io_save(const char *path, const char *data, size_t len, tm_diags *d)
{
    if (!path || !strcmp(path, "-")) {
        if (tm_io_write_all(1, data, len) != 0)
            return tm_diag_add(d, TM_DIAG_ERROR, NULL, 0, 0, NULL, "cannot write output: %s", strerror(errno));
        return 0;
    }
    /* Only a regular file is written (through a temporary file and a
     * rename), and /dev/null. Anything else (a FIFO, a terminal, a disk,
     * or a link to one, which a repository can commit where a report is
     * written) is refused: opening a FIFO blocks, and a device would be
     * written into. An existing report keeps its mode; a new one gets the
     * umask's. */
    struct stat st, lst, nul;
    int exists = lstat(path, &lst) == 0;
    int target = stat(path, &st) == 0;   /* through links */
    mode_t mode;
    /* /dev/stdout and the like, through a link: our own standard output
     * or error, whatever it is (a regular file included: a rename would
     * replace the link in /dev) */
    for (int fd = 1; target && exists && S_ISLNK(lst.st_mode) && fd <= 2; fd++) {
        struct stat o;
        if (fstat(fd, &o) == 0 && o.st_dev == st.st_dev && o.st_ino == st.st_ino && o.st_rdev == st.st_rdev) {
            if (tm_io_write_all(fd, data, len) != 0)
                return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot write output: %s", strerror(errno));
            return 0;
        }
    }
    if (exists && S_ISREG(lst.st_mode)) {
        mode = lst.st_mode & 07777;
    } else if (target && !S_ISREG(st.st_mode)) {
        if (S_ISCHR(st.st_mode) && stat("/dev/null", &nul) == 0 && st.st_rdev == nul.st_rdev)
            return 0;   /* it discards all: nothing to open */
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL,
                           "refusing to write output here: not a regular file (- writes to standard output)");
    } else {
        /* new, or a link to a regular file (or to nothing): the rename
         * below replaces the link itself, never what it points at */
        mode_t um = umask(0);
        umask(um);
        mode = 0666 & ~um;
    }
    size_t n = strlen(path);
    char *tmp = malloc(n + 32);
    if (!tmp)
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "out of memory");
    snprintf(tmp, n + 32, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot create output file: %s", strerror(e));
    }
    fchmod(fd, mode);
    /* no fsync: rename already keeps readers from ever seeing part of the
     * file; fsync adds durability across a power cut, which a report the
     * next run rewrites does not need, at a cost of milliseconds a run */
    int bad = tm_io_write_all(fd, data, len) != 0;
    int e = errno;
    if (close(fd) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad || rename(tmp, path) != 0) {
        if (!bad)
            e = errno;
        unlink(tmp);
        free(tmp);
        return tm_diag_add(d, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot write output file: %s", strerror(e));
    }
    free(tmp);
    return 0;
}
