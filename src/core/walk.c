#include "walk.h"
#include "sniff.h"
#include "buf.h"
#include "config.h"
#include "esc.h"
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const patterns[] = {
    "*.tm.yaml", "*.tm.yml", "*.tm.json", "threat-model.yaml", "threat-model.yml",
    "threatmodel.yaml", "threatmodel.yml",
    "*.otm", "*.otm.yaml", "*.otm.yml", "*.otm.json",   /* Open Threat Model */
    "*.tc.json",                                         /* Threat Composer */
    "threagile*.yaml", "threagile*.yml",                 /* Threagile */
    "*.threat-dragon.json",                              /* Threat Dragon */
    NULL};

int tm_walk_is_model_name(const char *name)
{
    for (const char *const *p = patterns; *p; p++)
        if (fnmatch(*p, name, 0) == 0)
            return 1;
    return 0;
}

/* Whole-path patterns: Threat Dragon keeps its models in a folder named
 * ThreatDragonModels. */
static int is_model_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (tm_walk_is_model_name(base))
        return 1;
    size_t n = strlen(base);
    return n > 5 && !strcmp(base + n - 5, ".json") &&
           (strstr(path, "/ThreatDragonModels/") || !strncmp(path, "ThreatDragonModels/", 19));
}

void tm_walk_set_root(tm_ctx *c)
{
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        strcpy(cwd, "/");
    char probe[PATH_MAX + 8];
    char dir[PATH_MAX];
    strcpy(dir, cwd);
    for (;;) {
        struct stat st;
        snprintf(probe, sizeof probe, "%s/.git", strcmp(dir, "/") ? dir : "");
        if (stat(probe, &st) == 0)
            break;
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) {
            strcpy(dir, cwd);   /* no repository: the working directory */
            break;
        }
        *slash = 0;
    }
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_adds(&b, dir);
    if (b.p[b.len - 1] != '/')
        tm_buf_addc(&b, '/');
    free(c->root);
    c->root = tm_buf_detach(&b);
}

static void uri_escape(tm_buf *b, const char *s, int relative)
{
    static const char hex[] = "0123456789ABCDEF";
    int first = relative;   /* still in a relative reference's first segment */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '/')
            first = 0;
        /* RFC 3986, 4.2: a ':' in the first segment of a relative
         * reference would make it a scheme (javascript:x.tm.yaml) */
        if (*p == ':' && first) {
            tm_buf_adds(b, "%3A");
            continue;
        }
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/!$&'()*+,;=:@", *p))
            tm_buf_addc(b, (char)*p);
        else {
            tm_buf_addc(b, '%');
            tm_buf_addc(b, hex[*p >> 4]);
            tm_buf_addc(b, hex[*p & 15]);
        }
    }
}

/* RFC 3986 path characters stay; everything else is percent-encoded. */
void tm_walk_uri_escape(tm_buf *b, const char *s)
{
    uri_escape(b, s, 0);
}

void tm_walk_uri_escape_rel(tm_buf *b, const char *s)
{
    uri_escape(b, s, 1);
}

char *tm_walk_uri(const tm_ctx *c, const char *path, int *relative_out)
{
    char real[PATH_MAX];
    tm_buf uri;
    tm_buf_init(&uri);
    int relative = 0;
    if (realpath(path, real)) {
        size_t rl = strlen(c->root);
        if (strncmp(real, c->root, rl) == 0) {
            tm_walk_uri_escape_rel(&uri, real + rl);
            relative = 1;
        } else {
            tm_buf_adds(&uri, "file://");
            tm_walk_uri_escape(&uri, real);
        }
    } else {
        relative = path[0] != '/';
        uri_escape(&uri, path, relative);
    }
    *relative_out = relative;
    return tm_buf_detach(&uri);
}

static char *rel_of_real(const struct tm_cfg *cfg, const char *real)
{
    size_t n = strlen(cfg->dir);
    if (!strncmp(real, cfg->dir, n) && real[n] == '/')
        return tm_xstrdup(real + n + 1);
    if (!strcmp(cfg->dir, "/"))
        return tm_xstrdup(real + 1);
    return tm_xstrdup(real);
}

char *tm_walk_rel(const struct tm_cfg *cfg, const char *path)
{
    char real[PATH_MAX];
    if (!cfg || !realpath(path, real))
        return tm_xstrdup(path);
    return rel_of_real(cfg, real);
}

static tm_file *add_file(tm_ctx *c, const char *path)
{
    int relative;
    int bad;
    tm_cfg *cfg = tm_cfg_for(c, path, &bad);
    char *uri = tm_walk_uri(c, path, &relative);
    if (!tm_strmap_put(&c->file_uris, uri, (void *)(uintptr_t)(c->nfiles + 1))) {   /* named twice: check once */
        free(uri);
        return NULL;
    }
    if (c->opts.verbose) {
        tm_esc_fputs(path, stderr);
        fputs(": configuration: ", stderr);
        tm_esc_fputs(bad ? "(broken)" : cfg ? cfg->path : "none (defaults)", stderr);
        fputc('\n', stderr);
    }
    c->files = tm_xrealloc(c->files, (c->nfiles + 1) * sizeof *c->files);
    tm_file *f = &c->files[c->nfiles++];
    memset(f, 0, sizeof *f);
    f->path = tm_xstrdup(path);
    f->uri = uri;
    f->relative = relative;
    f->arg = c->walk_arg;
    f->cfg = cfg;
    if (cfg)
        cfg->used = 1;
    f->failed = bad;
    return f;
}

/* With --force-exclude, a file named on the command line is checked only
 * when a directory scan would have picked it (its configuration's
 * include/exclude, else the model file names): the pre-commit hook then
 * gives the answer `tmlint check .` gives. */
/* --exclude GLOB: the path as the walk reached it, "./" left off, or any
 * parent directory of it, matches one of the globs. */
static int cli_excluded(tm_ctx *c, const char *path)
{
    if (!c->opts.nexclude)
        return 0;
    while (path[0] == '.' && path[1] == '/')
        for (path += 2; *path == '/';)
            path++;
    char *p = tm_xstrdup(path);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = 0;
    int hit = 0;
    for (char *end = p + n; !hit && end > p;) {
        for (size_t i = 0; !hit && i < c->opts.nexclude; i++)
            hit = tm_glob_match(c->opts.exclude[i], p);
        while (end > p && *--end != '/')
            ;
        *end = 0;
    }
    free(p);
    return hit;
}

/* Whether a JSON or YAML file passed over by name holds a model of a
 * format tmlint reads, by its first bytes (src/load/sniff.h): a model is never
 * skipped for its name. `who` passed it over (for -v). At most
 * TM_SNIFF_MAX files a run are looked into; the first one past that is
 * said, so that a cut is never silent. */
static int sniff_take(tm_ctx *c, const char *path, int linked, const char *who)
{
    if (c->sniffed >= TM_SNIFF_MAX) {
        if (c->sniffed++ == TM_SNIFF_MAX)
            tm_diag_add(&c->diags, TM_DIAG_NOTE, path, 0, 0, NULL,
                        "%d JSON and YAML files not named as models were looked into for a model; this one and the"
                        " rest were not: name models *.tm.yaml, or list them in the configuration's include:",
                        TM_SNIFF_MAX);
        return 0;
    }
    c->sniffed++;
    const char *format = tm_sniff_file(path, linked);
    if (format && c->opts.verbose) {
        tm_esc_fputs(path, stderr);
        fprintf(stderr, ": checked: %s passes over this name, but its first bytes are those of %s\n", who, format);
    }
    return format != NULL;
}

/* A file named on the command line (a pre-commit hook passes every staged
 * one) and dropped by --force-exclude for its name: taken when it holds a
 * model, as the walk takes the files it passes over, but never through a
 * link. */
static int sniff_named(tm_ctx *c, const char *path, const tm_cfg *cfg, const char *data, size_t n)
{
    const char *dot = strrchr(path, '.');
    size_t len = strlen(path);
    if (!dot || (strcmp(dot, ".json") && strcmp(dot, ".yaml") && strcmp(dot, ".yml")) ||
        (len > 12 && !strcmp(path + len - 12, ".schema.json")) || (cfg && cfg->ninclude))
        return 0;
    if (data)   /* a buffer (the library, an editor): its first bytes in memory */
        return tm_sniff_format(data, n < TM_SNIFF_BYTES ? n : TM_SNIFF_BYTES) != NULL;
    return sniff_take(c, path, 0, "--force-exclude");
}

/* A team rule's test fixture (the tests/ of a rules directory in effect):
 * its findings are what the fixture is written to have. */
static int fixture(tm_ctx *c, tm_cfg *cfg, const char *path)
{
    if (!c->opts.rules_dir && (!cfg || !cfg->nrules_dirs))
        return 0;   /* no team rules directory: no fixture, and no realpath per file of a large walk */
    char real[PATH_MAX];
    return realpath(path, real) && tm_cfg_is_fixture(c, cfg, real);
}

/* `on_disk`: path names a file to look into (not --stdin-filename's name);
 * `data`: else the bytes it holds, or NULL */
static int named_taken(tm_ctx *c, const char *path, int on_disk, const char *data, size_t n)
{
    if (!c->opts.force_exclude)
        return 1;
    if (cli_excluded(c, path)) {
        if (c->opts.verbose) {
            tm_esc_fputs(path, stderr);
            fputs(": skipped: --exclude\n", stderr);
        }
        return 0;
    }
    int bad;
    tm_cfg *cfg = tm_cfg_for(c, path, &bad);
    char *rel = tm_walk_rel(cfg, path);
    int named = is_model_path(path);
    int take = bad || tm_cfg_takes(cfg, rel, named);
    if ((on_disk || data) && !take && !named && tm_cfg_takes(cfg, rel, 1))   /* not excluded by the configuration */
        take = sniff_named(c, path, cfg, on_disk ? NULL : data, n);
    if (!take && c->opts.verbose) {
        tm_esc_fputs(path, stderr);
        fputs(": skipped: not a threat-model file name, or excluded by the configuration\n", stderr);
    }
    if (take && !bad && fixture(c, cfg, path)) {
        take = 0;
        if (c->opts.verbose) {
            tm_esc_fputs(path, stderr);
            fputs(": skipped: a test fixture of a team rule (tmlint test runs it)\n", stderr);
        }
    }
    free(rel);
    return take;
}

int tm_walk_buffer(tm_ctx *c, const char *name, const char *data, size_t len)
{
    if (!named_taken(c, name, 0, data, len))
        return 0;
    if (len > c->opts.limits.max_file_size)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, name, 0, 0, NULL, "larger than %zu bytes (--max-file-size)",
                           c->opts.limits.max_file_size);
    tm_file *f = add_file(c, name);
    c->walk_arg++;
    if (!f)
        return 0;
    f->len = len;
    f->data = tm_xmalloc(len + 1);
    memcpy(f->data, data, len);
    f->data[len] = 0;
    return 0;
}

int tm_walk_stdin(tm_ctx *c, const char *name)
{
    const char *path = name ? name : "<stdin>";
    if (!named_taken(c, path, 0, NULL, 0))
        return 0;
    tm_buf b;
    tm_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        if (b.len + n > c->opts.limits.max_file_size) {
            tm_buf_free(&b);
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL,
                               "standard input is larger than %zu bytes (--max-file-size)", c->opts.limits.max_file_size);
        }
        tm_buf_add(&b, chunk, n);
    }
    if (ferror(stdin)) {
        tm_buf_free(&b);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot read standard input: %s", strerror(errno));
    }
    tm_file *f = add_file(c, path);
    c->walk_arg++;
    if (!f) {
        tm_buf_free(&b);
        return 0;
    }
    f->len = b.len;
    f->data = b.p ? tm_buf_detach(&b) : tm_xstrdup("");
    return 0;
}

typedef struct walker {
    tm_ctx *c;
    tm_strmap visited;   /* "dev:ino" of every directory entered */
    char *top;           /* real path of the directory named to the walk */
} walker;

/* Whether a JSON or YAML file passed over by name holds a model, by its
 * first bytes (src/load/sniff.h); regular files only (opening a device can do
 * something), not in hidden directories or node_modules. */
static int sniff(walker *w, const char *root, const char *path, int linked)
{
    const char *dot = strrchr(path, '.');
    size_t len = strlen(path);
    /* what lies below the directory named to the walk: a hidden root
     * (`tmlint check .threats`) is the user's choice */
    const char *below = path;
    if (strcmp(root, ".") && !strncmp(path, root, strlen(root)))
        below = path + strlen(root);
    while (*below == '/')
        below++;
    if (!dot || (strcmp(dot, ".json") && strcmp(dot, ".yaml") && strcmp(dot, ".yml")) ||
        (len > 12 && !strcmp(path + len - 12, ".schema.json")) ||
        strstr(below, "/node_modules/") || !strncmp(below, "node_modules/", 13))
        return 0;
    for (const char *p = below; (p = strchr(p, '.'));) {   /* a component that starts with '.' */
        if ((p == below || p[-1] == '/') && p[1] != '/' && p[1] && !(p[1] == '.' && (p[2] == '/' || !p[2])))
            return 0;
        p++;
    }
    return sniff_take(w->c, path, linked, "a directory walk");
}

/* names from readdir carry their d_type + 1 in front; sorted by name */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

static void skipped(walker *w, const char *path, const char *why)
{
    if (w->c->opts.verbose) {
        tm_esc_fputs(path, stderr);
        fprintf(stderr, ": skipped: %s\n", why);
    }
}

/* A symbolic link met in a walk is followed only when --follow-symlinks
 * says so, or when it names a file inside the directory being walked: a
 * repository must not make tmlint read the rest of the machine. Returns 1
 * with *st filled when the link's target is to be taken. */
static int link_allowed(walker *w, const char *path, struct stat *st)
{
    if (stat(path, st) != 0) {
        const char *base = strrchr(path, '/');
        if (tm_walk_is_model_name(base ? base + 1 : path))
            tm_diag_add(&w->c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
        return 0;
    }
    if (w->c->opts.follow_symlinks)
        return 1;
    if (S_ISDIR(st->st_mode)) {
        skipped(w, path, "a symbolic link to a directory (--follow-symlinks follows them)");
        return 0;
    }
    char real[PATH_MAX];
    size_t n = strlen(w->top);
    if (!realpath(path, real) ||
        !(strncmp(real, w->top, n) == 0 && (real[n] == '/' || !strcmp(w->top, "/")))) {
        skipped(w, path, "a symbolic link to a file outside the directory checked (--follow-symlinks follows it)");
        return 0;
    }
    return 1;
}

/* Depth-first in name order, with an explicit stack of paths (files and
 * directories alike, so files come out sorted by their whole path). A
 * directory already entered (by device and inode) is skipped, so loops
 * through followed links end. */
/* The real path of `path`, reached from the walk's root with no link on
 * the way: the top's real path plus the rest (no realpath needed). */
static void real_of(const walker *w, const char *root, const char *path, tm_buf *out)
{
    const char *rest = strcmp(root, ".") ? path + strlen(root) : strcmp(path, ".") ? path : "";
    while (*rest == '/')
        rest++;
    tm_buf_init(out);
    if (*rest)
        tm_buf_printf(out, "%s/%s", strcmp(w->top, "/") ? w->top : "", rest);
    else
        tm_buf_adds(out, w->top);
    while (out->len > 1 && out->p[out->len - 1] == '/')
        out->p[--out->len] = 0;
}

static void walk_dir(walker *w, const char *root)
{
    size_t sn = 0, scap = 16;
    char **stack = tm_xmalloc(scap * sizeof *stack);
    unsigned char *types = tm_xmalloc(scap);   /* d_type of each, DT_UNKNOWN for the root */
    types[sn] = DT_UNKNOWN;
    stack[sn++] = tm_xstrdup(root);
    int first = 1;
    while (sn) {
        char *path = stack[--sn];
        unsigned char type = types[sn];
        if (!first && cli_excluded(w->c, path)) {
            skipped(w, path, "--exclude");
            free(path);
            continue;
        }
        struct stat st;
        /* the directory named on the command line is taken as named; a
         * regular file, as readdir told, needs no lstat (a directory
         * does: its device and inode end link loops) */
        int ok = 1;
        if (type == DT_REG && !first)
            st.st_mode = S_IFREG;
        else
            ok = first ? stat(path, &st) == 0 : lstat(path, &st) == 0;
        first = 0;
        int linked = ok && S_ISLNK(st.st_mode);
        if (linked)
            ok = link_allowed(w, path, &st);
        else if (!ok) {   /* vanished while we walked */
            const char *base = strrchr(path, '/');
            if (tm_walk_is_model_name(base ? base + 1 : path))
                tm_diag_add(&w->c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
        }
        if (!ok) {
            free(path);
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            const char *base = strrchr(path, '/');
            if (!strcmp(base ? base + 1 : path, TM_CONFIG_NAME) ||
                !strcmp(base ? base + 1 : path, TM_CONFIG_ALT)) {   /* never a model: no lookup */
                free(path);
                continue;
            }
            int bad;
            tm_cfg *cfg;
            char *rel;
            if (!linked && !w->c->opts.follow_symlinks) {
                /* every directory on the way was a real one: the real
                 * path is the top's plus the rest, no realpath needed */
                tm_buf real;
                real_of(w, root, path, &real);
                char *slash = strrchr(real.p, '/');
                *slash = 0;
                cfg = tm_cfg_for_dir(w->c, slash == real.p ? "/" : real.p, &bad);
                *slash = '/';
                rel = cfg ? rel_of_real(cfg, real.p) : tm_xstrdup(path);
                tm_buf_free(&real);
            } else {
                cfg = tm_cfg_for(w->c, path, &bad);
                rel = tm_walk_rel(cfg, path);
            }
            int named = is_model_path(path);
            /* a file of another name is taken when it holds a model;
             * include: and exclude: are the team's choice */
            if (tm_cfg_takes(cfg, rel, named) ||
                (!named && (!cfg || !cfg->ninclude) && tm_cfg_takes(cfg, rel, 1) && S_ISREG(st.st_mode) &&
                 sniff(w, root, path, linked))) {
                if (fixture(w->c, cfg, path))
                    skipped(w, path, "a test fixture of a team rule (tmlint test runs it)");
                else
                    add_file(w->c, path);
            }
            free(rel);
            free(path);
            continue;
        }
        char key[64];
        snprintf(key, sizeof key, "%llx:%llx", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
        if (!tm_strmap_put(&w->visited, key, NULL)) {
            skipped(w, path, "a directory already walked (a link loop)");
            free(path);
            continue;
        }
        DIR *d = opendir(path);
        if (!d) {
            tm_diag_add(&w->c->diags, TM_DIAG_WARNING, path, 0, 0, NULL, "cannot read directory: %s", strerror(errno));
            free(path);
            continue;
        }
        char **names = NULL;
        size_t nn = 0, ncap = 0;
        uintptr_t seen = TM_LISTED;
        struct dirent *e;
        while ((e = readdir(d))) {
            uintptr_t cfg = !strcmp(e->d_name, TM_CONFIG_NAME)  ? TM_LISTED_YAML
                            : !strcmp(e->d_name, TM_CONFIG_ALT) ? TM_LISTED_YML
                                                                : 0;
            if (cfg && e->d_type != DT_REG)   /* a link, or a file system that does not say */
                cfg |= TM_LISTED_CFG_LINK;
            seen |= cfg | (!strcmp(e->d_name, ".git") ? TM_LISTED_GIT : 0);
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git"))
                continue;
            if (nn == ncap)
                names = tm_xrealloc(names, (ncap = ncap ? ncap * 2 : 32) * sizeof *names);
            size_t len = strlen(e->d_name);
            names[nn] = tm_xmalloc(len + 2);
            names[nn][0] = (char)(e->d_type + 1);
            memcpy(names[nn] + 1, e->d_name, len + 1);
            nn++;
        }
        closedir(d);
        /* the configuration lookup of its files reads the listing instead
         * of asking for each name (its real path, as for a file below) */
        if (!linked && !w->c->opts.follow_symlinks) {
            tm_buf real;
            real_of(w, root, path, &real);
            tm_strmap_put(&w->c->dir_listed, real.p, (void *)seen);
            tm_buf_free(&real);
        }
        if (nn)
            qsort(names, nn, sizeof *names, cmp_str);
        int slash = path[strlen(path) - 1] == '/';
        int here = !strcmp(path, ".");   /* "models/x", not "./models/x" */
        for (size_t i = nn; i-- > 0;) {   /* reversed, so they pop in order */
            tm_buf p;
            tm_buf_init(&p);
            if (here)
                tm_buf_adds(&p, names[i] + 1);
            else
                tm_buf_printf(&p, "%s%s%s", path, slash ? "" : "/", names[i] + 1);
            if (sn == scap) {
                stack = tm_xrealloc(stack, (scap *= 2) * sizeof *stack);
                types = tm_xrealloc(types, scap);
            }
            types[sn] = (unsigned char)(names[i][0] - 1);
            stack[sn++] = tm_buf_detach(&p);
            free(names[i]);
        }
        free(names);
        free(path);
    }
    free(stack);
    free(types);
}

/* Where configuration discovery may stop when there is no repository:
 * the argument's own directory, when it lies outside the working one. */
static void set_ceiling(tm_ctx *c, const char *arg, int is_dir)
{
    free(c->ceiling);
    c->ceiling = NULL;
    char real[PATH_MAX];
    if (!realpath(arg, real))
        return;
    if (!is_dir) {
        char *slash = strrchr(real, '/');
        if (slash)
            *(slash == real ? slash + 1 : slash) = 0;
    }
    char cwd[PATH_MAX];
    size_t n = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
    if (n && !strncmp(real, cwd, n) && (real[n] == '/' || !real[n] || n == 1))
        return;   /* inside the working directory: that is the ceiling */
    c->ceiling = tm_xstrdup(real);
}

int tm_walk(tm_ctx *c, char *const *paths, size_t n)
{
    walker w = {c, {0}, NULL};
    tm_strmap_init(&w.visited);
    int rc = 0;
    for (size_t i = 0; i < n; i++, c->walk_arg++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, paths[i], 0, 0, NULL, "cannot read: %s", strerror(errno));
            continue;
        }
        set_ceiling(c, paths[i], S_ISDIR(st.st_mode));
        if (S_ISDIR(st.st_mode)) {
            char real[PATH_MAX];
            w.top = tm_xstrdup(realpath(paths[i], real) ? real : paths[i]);
            walk_dir(&w, paths[i]);
            free(w.top);
            w.top = NULL;
        } else if (named_taken(c, paths[i], 1, NULL, 0)) {
            add_file(c, paths[i]);   /* named explicitly: checked whatever its name */
        }
    }
    tm_strmap_free(&w.visited);
    return rc;
}
