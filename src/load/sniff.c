#define _GNU_SOURCE   /* memmem */
#include "sniff.h"
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* memmem: glibc's is vectorised, and a walk may look into tens of
 * thousands of files (bench/README.md has the cost) */
static int has(const char *h, size_t n, const char *needle)
{
    return memmem(h, n, needle, strlen(needle)) != NULL;
}

/* `model: 1` (or "model": 1) as a line of its own: the native format's
 * mark; YAML's at the start of a line (the top level), JSON's anywhere.
 * One search for "model", then a look at what surrounds it. */
static int native_mark(const char *h, size_t n)
{
#define AT(j) ((j) < n ? h[j] : '\n')
    for (const char *p = h; (p = memmem(p, n - (size_t)(p - h), "model", 5)); p++) {
        size_t i = (size_t)(p - h), j;
        if (i && h[i - 1] == '"' && AT(i + 5) == '"' && AT(i + 6) == ':') {
            j = i + 7 + (AT(i + 7) == ' ');
            if (AT(j) != '1')
                continue;
        } else if ((!i || h[i - 1] == '\n') && AT(i + 5) == ':' && AT(i + 6) == ' ' && AT(i + 7) == '1') {
            j = i + 7;
        } else {
            continue;
        }
        char next = AT(j + 1);
        if (next == '\n' || next == '\r' || next == ' ' || next == ',' || next == '}' || next == '#')
            return 1;
    }
#undef AT
    return 0;
}

static const char *format_of(const char *h, size_t n)
{
    /* the marks each format's files carry near their start, several
     * together where one alone is common in other files: a CycloneDX BOM
     * only with a threat-model component or threats section (every SBOM
     * has bomFormat), pytm only with one of its element classes (any
     * Python dump may have __class__) */
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
    if (has(h, n, "CycloneDX") && ((has(h, n, "bomFormat") && has(h, n, "\"threat-model\"")) ||
                                   (has(h, n, "specFormat") && has(h, n, "\"threats\""))))
        return "a CycloneDX threat model";
    if (has(h, n, "\"__class__\"")) {
        static const char *const classes[] = {"\"Actor\"", "\"Server\"", "\"Datastore\"", "\"Dataflow\"",
                                              "\"Process\"", "\"Lambda\"", "\"ExternalEntity\"", NULL};
        for (const char *const *k = classes; *k; k++)
            if (has(h, n, *k))
                return "a pytm model";
    }
    if (native_mark(h, n) && (has(h, n, "threats") || has(h, n, "mitigations") || has(h, n, "components")))
        return "a native model (model: 1)";
    return NULL;
}

const char *tm_sniff_format(const char *h, size_t n)
{
    const char *f = format_of(h, n);
    /* a format's JSON Schema names all its marks: asked only of a match,
     * as most files match nothing */
    if (f && (has(h, n, "json-schema.org") || (has(h, n, "\"$id\"") && has(h, n, "\"properties\""))))
        return NULL;
    return f;
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
