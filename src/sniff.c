#include "sniff.h"
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int has(const char *h, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (const char *p = h; (size_t)(p - h) + k <= n; p++) {
        p = memchr(p, needle[0], n - (size_t)(p - h) - k + 1);
        if (!p)
            return 0;
        if (!memcmp(p, needle, k))
            return 1;
    }
    return 0;
}

/* `model: 1` (or "model": 1) as a line of its own: the native format's mark */
static int native_mark(const char *h, size_t n)
{
    static const char *const marks[] = {"model: 1", "\"model\": 1", "\"model\":1", NULL};
    for (const char *const *m = marks; *m; m++) {
        size_t k = strlen(*m);
        for (size_t i = 0; i + k <= n; i++) {
            /* YAML's at the start of a line (the top level), JSON's anywhere */
            if ((m == marks && i && h[i - 1] != '\n') || memcmp(h + i, *m, k))
                continue;
            char next = i + k < n ? h[i + k] : '\n';
            if (next == '\n' || next == '\r' || next == ' ' || next == ',' || next == '}' || next == '#')
                return 1;
        }
    }
    return 0;
}

const char *tm_sniff_format(const char *h, size_t n)
{
    /* the marks each format's files carry near their start, several
     * together where one alone is common in other files; CycloneDX and
     * pytm are left out: their marks are those of every SBOM and of
     * generic JSON */
    /* a format's JSON Schema names all its marks */
    if (has(h, n, "json-schema.org") || (has(h, n, "\"$id\"") && has(h, n, "\"properties\"")))
        return NULL;
    if (has(h, n, "otmVersion"))
        return "an Open Threat Model (OTM) file";
    if (has(h, n, "threagile_version"))
        return "a Threagile model";
    if (has(h, n, "\"summary\"") && has(h, n, "\"detail\"") && has(h, n, "\"diagrams\""))
        return "a Threat Dragon model";
    if (has(h, n, "\"applicationInfo\"") && has(h, n, "\"schema\""))
        return "a Threat Composer export";
    if (has(h, n, "threat-model-library") && has(h, n, "\"scope\""))
        return "an OWASP Threat Model Library file";
    if (has(h, n, "schema_version") && has(h, n, "components") && (has(h, n, "data_flows") || has(h, n, "boundaries")))
        return "a FlowState model";
    if (native_mark(h, n) && (has(h, n, "threats") || has(h, n, "mitigations") || has(h, n, "components")))
        return "a native model (model: 1)";
    return NULL;
}

const char *tm_sniff_file(const char *path, int follow)
{
    /* the walk saw a regular file: a link put there since is not followed */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
    if (fd < 0)
        return NULL;
    struct stat st;
    char head[TM_SNIFF_BYTES];
    ssize_t got = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        got = read(fd, head, sizeof head);
    close(fd);
    return got > 0 ? tm_sniff_format(head, (size_t)got) : NULL;
}
