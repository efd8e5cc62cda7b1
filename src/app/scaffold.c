#include "scaffold.h"
#include "buf.h"
#include "esc.h"
#include "rules.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char rule_text[] =
    "-- @ID@: a team rule. `tmlint init --rule @ID@` wrote it with every field\n"
    "-- explained; docs/writing-rules.md has the whole API (model, tm, re).\n"
    "-- Its fixtures are in tests/@ID@/: `tmlint test` runs them, and fails\n"
    "-- when the rule stops firing where it should or fires where it should not.\n"
    "return {\n"
    "  -- The id every finding carries: letters, digits, - and _, unique among\n"
    "  -- all the rules loaded (`tmlint rules` lists them).\n"
    "  id = \"@ID@\",\n"
    "  -- The readable name, shown beside the id and usable in its place.\n"
    "  name = \"@NAME@\",\n"
    "  -- The default level: error, warning or note. A configuration may change\n"
    "  -- it (rules: {@ID@: error}) or switch the rule off (rules: {@ID@: off}).\n"
    "  level = \"warning\",\n"
    "  -- The meta threats whose trace the rule finds: ids of the catalogue in\n"
    "  -- rules/meta-leaves.tsv (2.1.6: a model padded with threats that say nothing).\n"
    "  meta = { \"2.1.6\" },\n"
    "  -- One line: what the rule finds.\n"
    "  summary = \"A threat's title is too short to say what goes wrong\",\n"
    "  -- What `tmlint explain @ID@` shows: what it catches, why it matters,\n"
    "  -- how to fix it.\n"
    "  help = [[\n"
    "Fires on a threat whose title has fewer words than `min_words`.\n"
    "\n"
    "Why it matters: a title such as \"XSS\" names a category, not a threat;\n"
    "nobody can tell what is attacked, by whom, or which mitigation answers it.\n"
    "\n"
    "How to fix it: say what goes wrong, to what, and how (\"a review's text\n"
    "runs as script in another shopper's session\").]],\n"
    "  -- The message of each finding: {key} is filled from the values given to\n"
    "  -- report(), else from the reported element's own fields ({id}).\n"
    "  message = \"threat '{id}' is titled '{title}': fewer than {min_words} words\",\n"
    "  -- Settings, with their defaults; a configuration sets them per rule\n"
    "  -- (rules: {@ID@: {min_words: 3}}) and run() receives them.\n"
    "  settings = { min_words = 4 },\n"
    "  -- The canonical fields the rule cannot do without. On a format that\n"
    "  -- lacks one, the rule does not run and is reported as not applicable\n"
    "  -- instead of passing in silence. Threat titles exist in every format.\n"
    "  needs = {},\n"
    "  -- Called once per model, in a sandbox (no io, os or load; capped time\n"
    "  -- and memory). report(element, values) makes a finding at the element;\n"
    "  -- values.field points it at one of the element's fields.\n"
    "  run = function(model, report, settings)\n"
    "    for _, t in ipairs(model.threats) do\n"
    "      -- tm.words counts runs of letters and digits; Lua patterns that\n"
    "      -- repeat are not allowed in rules (re.* is PCRE2, with limits)\n"
    "      if t.title and tm.words(t.title) < settings.min_words then\n"
    "        report(t, { field = \"title\", title = t.title, min_words = settings.min_words })\n"
    "      end\n"
    "    end\n"
    "  end,\n"
    "}\n";

static const char fires_text[] =
    "# A model where @ID@ must fire: `# expect: @ID@` marks the line its\n"
    "# finding starts on (tmlint test; docs/writing-rules.md).\n"
    "model: 1\n"
    "title: Shop\n"
    "owner: team-shop\n"
    "threats:\n"
    "  - id: T1\n"
    "    title: XSS               # expect: @ID@\n"
    "    status: open\n"
    "  - id: T2\n"
    "    title: Card numbers are read from the service logs\n"
    "    status: open\n";

static const char quiet_text[] =
    "# ok: @ID@\n"
    "# A close variant where @ID@ must stay quiet: any finding of it here fails\n"
    "# tmlint test, since no annotation expects one.\n"
    "model: 1\n"
    "title: Shop\n"
    "owner: team-shop\n"
    "threats:\n"
    "  - id: T1\n"
    "    title: A review's text runs as script in another shopper's session\n"
    "    status: open\n"
    "  - id: T2\n"
    "    title: Card numbers are read from the service logs\n"
    "    status: open\n";

/* The template with @ID@ and @NAME@ filled in. */
static void fill(tm_buf *b, const char *tpl, const char *id, const char *name)
{
    for (const char *p = tpl; *p;) {
        if (!strncmp(p, "@ID@", 4)) {
            tm_buf_adds(b, id);
            p += 4;
        } else if (!strncmp(p, "@NAME@", 6)) {
            tm_buf_adds(b, name);
            p += 6;
        } else {
            tm_buf_addc(b, *p++);
        }
    }
}

static int valid_token(const char *s, int lower)
{
    if (!*s || strlen(s) > 64 || !isalpha((unsigned char)*s))
        return 0;
    for (const char *p = s; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_') || (lower && isupper((unsigned char)*p)))
            return 0;
    return 1;
}

/* Creates path with the text; never replaces anything (O_EXCL refuses a
 * file or a link there). */
static int write_new(tm_ctx *c, const char *path, const tm_buf *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
    size_t done = 0;
    while (done < text->len) {
        ssize_t w = write(fd, text->p + done, text->len - done);
        if (w <= 0) {
            close(fd);
            unlink(path);
            return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        }
        done += (size_t)w;
    }
    if (close(fd) != 0) {
        unlink(path);
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    }
    return 0;
}

int tm_scaffold_rule(tm_ctx *c, const tm_cfg *cfg, const char *id, const char *name_opt)
{
    if (!valid_token(id, 0))
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                           "--rule '%s': an id is a letter, then letters, digits, - or _ (as ACME1)", id);
    char lower[80];
    size_t k = 0;
    for (const char *p = id; *p && k + 1 < sizeof lower; p++)
        lower[k++] = (char)tolower((unsigned char)*p);
    lower[k] = 0;
    const char *name = name_opt ? name_opt : lower;
    if (!valid_token(name, 1))
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                           "--name '%s': a name is lower case letters, digits, - or _ (as short-threat-title)", name);
    if (tm_rules_find(c, id) >= 0 || tm_rules_find(c, name) >= 0)
        return tm_diag_add(&c->diags, TM_DIAG_ERROR, NULL, 0, 0, NULL,
                           "a rule with the id or name '%s' is loaded already (tmlint rules lists them)",
                           tm_rules_find(c, id) >= 0 ? id : name);
    /* the rules directory: --rules-dir, else the configuration's first */
    char dir[PATH_MAX];
    tm_buf want;
    tm_buf_init(&want);
    if (c->opts.rules_dir)
        tm_buf_adds(&want, c->opts.rules_dir);
    else if (cfg && cfg->nrules_dirs)
        tm_buf_printf(&want, "%s/%s", cfg->dir, cfg->rules_dirs[0]);
    if (!want.len || !realpath(want.p, dir)) {
        int rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, want.len ? want.p : NULL, 0, 0, NULL,
                             "%s", want.len ? "the rules directory does not exist; create it first"
                                            : "no rules directory: name one with --rules-dir DIR, or add"
                                              " rules_dirs: [DIR] to .tmlint.yaml");
        tm_buf_free(&want);
        return rc;
    }
    tm_buf_free(&want);
    tm_buf rule, tests, fires, quiet;
    tm_buf_init(&rule);
    tm_buf_init(&tests);
    tm_buf_init(&fires);
    tm_buf_init(&quiet);
    tm_buf_printf(&rule, "%s/%s.lua", dir, id);
    tm_buf_printf(&tests, "%s/tests/%s", dir, id);
    tm_buf_printf(&fires, "%s/fires.tm.yaml", tests.p);
    tm_buf_printf(&quiet, "%s/quiet.tm.yaml", tests.p);
    int rc = 0;
    const char *paths[3] = {rule.p, fires.p, quiet.p};
    struct stat st;
    for (int i = 0; i < 3; i++)
        if (lstat(paths[i], &st) == 0)
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, paths[i], 0, 0, NULL, "already exists; not overwriting it");
    /* tests/, then tests/ID/: each must stay inside the rules directory
     * (a repository may have made one a link out of it), checked before
     * anything is created in it */
    size_t dl = strlen(dir);
    for (int step = 0; rc == 0 && step < 2; step++) {
        tm_buf t;
        tm_buf_init(&t);
        if (step == 0)
            tm_buf_printf(&t, "%s/tests", dir);
        else
            tm_buf_adds(&t, tests.p);
        char real[PATH_MAX];
        if (mkdir(t.p, 0755) != 0 && errno != EEXIST)
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, t.p, 0, 0, NULL, "cannot create: %s", strerror(errno));
        else if (!realpath(t.p, real) || strncmp(real, dir, dl) || real[dl] != '/')
            rc = tm_diag_add(&c->diags, TM_DIAG_ERROR, t.p, 0, 0, NULL,
                             "leads out of the rules directory (a symbolic link); nothing written");
        tm_buf_free(&t);
    }
    const char *tpls[3] = {rule_text, fires_text, quiet_text};
    int written = 0;
    for (int i = 0; rc == 0 && i < 3; i++) {
        tm_buf text;
        tm_buf_init(&text);
        fill(&text, tpls[i], id, name);
        rc = write_new(c, paths[i], &text);
        tm_buf_free(&text);
        written += rc == 0;
    }
    if (rc != 0)
        for (int i = 0; i < written; i++)   /* whole or not at all */
            unlink(paths[i]);
    if (rc == 0) {
        char cwd[PATH_MAX];
        size_t cl = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
        for (int i = 0; i < 3; i++) {
            const char *shown = paths[i];
            if (cl > 1 && !strncmp(shown, cwd, cl) && shown[cl] == '/')
                shown += cl + 1;   /* from the working directory, as the user sees it */
            fputs("wrote ", stdout);
            tm_esc_fputs(shown, stdout);
            fputc('\n', stdout);
        }
        printf("next: tmlint test (its fixtures pass), then change the rule and its fixtures together\n");
    }
    tm_buf_free(&rule);
    tm_buf_free(&tests);
    tm_buf_free(&fires);
    tm_buf_free(&quiet);
    return rc;
}
