#include "weblink.h"
#include <stdlib.h>
#include <string.h>

static int name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
           ch == '_' || ch == '.';
}

char *tm_weblink_repo(const char *remote, const char **blob)
{
    *blob = NULL;
    const char *host, *path;
    if (!strncmp(remote, "https://", 8) || !strncmp(remote, "http://", 7) || !strncmp(remote, "ssh://", 6)) {
        host = strstr(remote, "://") + 3;
        const char *slash = strchr(host, '/'), *at = strchr(host, '@');
        if (!slash)
            return NULL;
        if (at && at < slash)   /* user or token: never copied into a report */
            host = at + 1;
        path = slash + 1;
    } else {
        /* scp form: [user@]host:path */
        const char *colon = strchr(remote, ':'), *at = strchr(remote, '@'), *slash = strchr(remote, '/');
        if (!colon || (slash && slash < colon))
            return NULL;
        host = at && at < colon ? at + 1 : remote;
        path = colon + 1;
    }
    size_t hlen = strcspn(host, ":/");   /* a port after the host is dropped */
    int github = hlen == 10 && !strncmp(host, "github.com", 10);
    int gitlab = (hlen == 10 && !strncmp(host, "gitlab.com", 10)) || (hlen > 7 && !strncmp(host, "gitlab.", 7));
    if (!github && !gitlab)
        return NULL;
    for (size_t i = 0; i < hlen; i++)
        if (!name_char(host[i]))
            return NULL;
    size_t plen = strlen(path);
    while (plen && path[plen - 1] == '/')
        plen--;
    if (plen > 4 && !strncmp(path + plen - 4, ".git", 4))
        plen -= 4;
    /* owner/name on GitHub; group/.../name on GitLab; each part a name */
    size_t parts = 1;
    for (size_t i = 0; i < plen; i++) {
        if (path[i] == '/') {
            if (!i || path[i - 1] == '/' || i + 1 == plen)
                return NULL;
            parts++;
        } else if (!name_char(path[i])) {
            return NULL;
        }
    }
    if (!plen || path[0] == '.' || strstr(path, "/.") || parts < 2 || (github && parts != 2))
        return NULL;
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_adds(&b, "https://");
    tm_buf_add(&b, host, hlen);
    tm_buf_addc(&b, '/');
    tm_buf_add(&b, path, plen);
    *blob = github ? "/blob/" : "/-/blob/";
    return tm_buf_detach(&b);
}

void tm_weblink_encode(tm_buf *b, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
            tm_buf_addc(b, (char)*p);
        } else {
            tm_buf_addc(b, '%');
            tm_buf_addc(b, hex[*p >> 4]);
            tm_buf_addc(b, hex[*p & 15]);
        }
    }
}
