/* Links from a report to the lines of the files it names: a GitHub or
 * GitLab page of the file at the checked-out commit when the repository's
 * remote is one of those, else a file:// URL that opens the local file. */
#ifndef TM_WEBLINK_H
#define TM_WEBLINK_H
#include "buf.h"

/* The web address of a repository for a remote URL (https, ssh or scp
 * form) on github.com or a GitLab host, with credentials and ".git"
 * dropped, and the path part that leads to a file at a commit:
 * "https://github.com/o/r" + "/blob/"; NULL when the remote is not one of
 * those or holds anything but plain name characters. Caller frees. */
char *tm_weblink_repo(const char *remote, const char **blob);
/* Appends `path` percent-encoded for a URL: unreserved characters and "/"
 * stay, every other byte is %XX. */
void tm_weblink_encode(tm_buf *b, const char *path);

#endif
