#include "schema.h"
#include "buf.h"
#include "json.h"
#include "suggest.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The native format, described once: tmlint checks files against these
 * tables and `tmlint _generate schema` writes them as JSON Schema. */
typedef enum {
    K_STR,        /* text */
    K_ID,         /* text or a whole number */
    K_TEXTNUM,    /* text or any number (versions, priorities) */
    K_BOOL,
    K_DATE,       /* text, a date by convention (YAML core schema keeps it a string) */
    K_ENUM,       /* one of the values, lower case */
    K_MODEL,      /* the marker: 1 or "1" */
    K_TEXTS,      /* text, or a list of texts */
    K_OBJ,
    K_LIST,       /* a list of `item` */
    K_ACCEPT,     /* an accept object, or text (the reason) */
    K_MITREF,     /* a mitigation id, or a mitigation written inline */
    K_IGNORE,     /* tmlint-ignore: one entry or a list of them */
} kind;

typedef struct field field;
typedef struct shape {
    kind k;
    const field *fields;          /* K_OBJ */
    const struct shape *item;     /* K_LIST */
    const char *const *values;    /* K_ENUM, NULL-terminated */
    const char *what;             /* for messages: "a threat" */
} shape;
struct field {
    const char *name;
    const shape *s;
    const char *doc;
};

static const shape S_STR = {K_STR, 0, 0, 0, 0}, S_ID = {K_ID, 0, 0, 0, 0}, S_TEXTNUM = {K_TEXTNUM, 0, 0, 0, 0},
                   S_BOOL = {K_BOOL, 0, 0, 0, 0}, S_DATE = {K_DATE, 0, 0, 0, 0}, S_MODEL = {K_MODEL, 0, 0, 0, 0},
                   S_TEXTS = {K_TEXTS, 0, 0, 0, 0};

static const char *const THREAT_STATUS[] = {"open", "mitigated", "accepted", "transferred", "false-positive", NULL};
static const char *const SOURCE[] = {"human", "tool", "ai", NULL};
static const char *const KIND[] = {"essential", "idea", NULL};
static const char *const MIT_STATUS[] = {"planned", "in-progress", "done", "dropped", NULL};
static const char *const REDUCES[] = {"likelihood", "impact", "both", NULL};
static const char *const ELEMENT_TYPE[] = {"external-entity", "process", "data-store", NULL};
static const shape S_THREAT_STATUS = {K_ENUM, 0, 0, THREAT_STATUS, 0}, S_SOURCE = {K_ENUM, 0, 0, SOURCE, 0},
                   S_KIND = {K_ENUM, 0, 0, KIND, 0}, S_MIT_STATUS = {K_ENUM, 0, 0, MIT_STATUS, 0},
                   S_REDUCES = {K_ENUM, 0, 0, REDUCES, 0}, S_ELEMENT_TYPE = {K_ENUM, 0, 0, ELEMENT_TYPE, 0};

static const field IGNORE_F[] = {
    {"rule", &S_STR, "a rule id or name"},
    {"reason", &S_STR, "why the finding does not apply"},
    {0, 0, 0}};
static const shape S_IGNORE_ONE = {K_OBJ, IGNORE_F, 0, 0, "a tmlint-ignore entry"};
static const shape S_IGNORE = {K_IGNORE, 0, &S_IGNORE_ONE, 0, 0};

static const field ACCEPT_F[] = {
    {"reason", &S_STR, "why the risk is acceptable"},
    {"by", &S_STR, "who accepted it"},
    {"date", &S_DATE, "when (YYYY-MM-DD)"},
    {"expires", &S_DATE, "when to decide again (YYYY-MM-DD)"},
    {"tmlint-ignore", &S_IGNORE, "suppressions"},
    {0, 0, 0}};
static const shape S_ACCEPT = {K_ACCEPT, ACCEPT_F, 0, 0, "an acceptance"};

static const field MITIGATION_F[] = {
    {"id", &S_ID, "unique id"},
    {"title", &S_STR, "what is done"},
    {"kind", &S_KIND, "essential (the threat needs it) or idea"},
    {"status", &S_MIT_STATUS, "planned, in-progress, done or dropped"},
    {"reduces", &S_REDUCES, "likelihood, impact or both"},
    {"acceptance", &S_TEXTS, "acceptance criteria: how to tell it works"},
    {"issue", &S_STR, "the ticket that tracks it"},
    {"owner", &S_STR, "who builds it"},
    {"due", &S_DATE, "due date (YYYY-MM-DD)"},
    {"verified_by", &S_STR, "the test or evidence that shows it works"},
    {"priority", &S_TEXTNUM, "its priority"},
    {"not_recorded", &S_TEXTS, "fields the source of a converted model had no place for"},
    {"tmlint-ignore", &S_IGNORE, "suppressions"},
    {0, 0, 0}};
static const shape S_MITIGATION = {K_OBJ, MITIGATION_F, 0, 0, "a mitigation"};
static const shape S_MITREF = {K_MITREF, MITIGATION_F, 0, 0, "a mitigation"};
static const shape S_MITREFS = {K_LIST, 0, &S_MITREF, 0, 0};
static const shape S_MITIGATIONS = {K_LIST, 0, &S_MITIGATION, 0, 0};

static const field THREAT_F[] = {
    {"id", &S_ID, "unique id"},
    {"title", &S_STR, "what can go wrong"},
    {"description", &S_STR, "more detail"},
    {"component", &S_ID, "the component it threatens"},
    {"components", &S_TEXTS, "the components it threatens"},
    {"flow", &S_ID, "the data flow it threatens"},
    {"flows", &S_TEXTS, "the data flows it threatens"},
    {"category", &S_TEXTS, "its category, or several: STRIDE or LINDDUN names or letters"},
    {"severity", &S_STR, "a level of the rating scheme"},
    {"likelihood", &S_STR, "a level of the rating scheme"},
    {"impact", &S_STR, "a level of the rating scheme"},
    {"status", &S_THREAT_STATUS, "open, mitigated, accepted, transferred or false-positive"},
    {"accept", &S_ACCEPT, "the decision to accept the risk, or to call it a false positive"},
    {"mitigations", &S_MITREFS, "ids of shared mitigations, or mitigations written inline"},
    {"key", &S_BOOL, "one of the threats that matter most"},
    {"source", &S_SOURCE, "who found it: human, tool or ai"},
    {"reviewed_by", &S_STR, "who reviewed a generated threat"},
    {"not_recorded", &S_TEXTS, "fields the source of a converted model had no place for"},
    {"tmlint-ignore", &S_IGNORE, "suppressions"},
    {0, 0, 0}};
static const shape S_THREAT = {K_OBJ, THREAT_F, 0, 0, "a threat"};
static const shape S_THREATS = {K_LIST, 0, &S_THREAT, 0, 0};

static const field COMPONENT_F[] = {
    {"id", &S_ID, "unique id"},
    {"name", &S_STR, "its name"},
    {"type", &S_ELEMENT_TYPE, "external-entity, process or data-store"},
    {"parent", &S_ID, "the component it is nested in (a network, a cluster)"},
    {"trust_zone", &S_STR, "the trust zone it sits in"},
    {"paths", &S_TEXTS, "globs, relative to the repository root, of the code it describes"},
    {"out_of_scope", &S_BOOL, "true for an element drawn for context that the analysis leaves out (TM103 expects no threats on it)"},
    {"flow", &S_BOOL, "an older way to list a data flow among components (use flows:)"},
    {"tmlint-ignore", &S_IGNORE, "suppressions"},
    {0, 0, 0}};
static const shape S_COMPONENT = {K_OBJ, COMPONENT_F, 0, 0, "a component"};
static const shape S_COMPONENTS = {K_LIST, 0, &S_COMPONENT, 0, 0};

static const field FLOW_F[] = {
    {"id", &S_ID, "unique id"},
    {"name", &S_STR, "its name"},
    {"from", &S_ID, "the component it starts at"},
    {"to", &S_ID, "the component it ends at"},
    {"protocol", &S_STR, "how the data travels, e.g. https"},
    {"data", &S_TEXTS, "what crosses it"},
    {"description", &S_STR, "more detail"},
    {"authenticated", &S_BOOL, "the receiving end authenticates the sender"},
    {"encrypted", &S_BOOL, "the data is encrypted in transit"},
    {"bidirectional", &S_BOOL, "data goes both ways"},
    {"crosses_boundary", &S_BOOL, "it crosses a trust boundary (when zones alone do not say)"},
    {"tmlint-ignore", &S_IGNORE, "suppressions"},
    {0, 0, 0}};
static const shape S_FLOW = {K_OBJ, FLOW_F, 0, 0, "a data flow"};
static const shape S_FLOWS = {K_LIST, 0, &S_FLOW, 0, 0};

static const field ZONE_F[] = {
    {"id", &S_ID, "unique id, which components name in trust_zone"},
    {"name", &S_STR, "its name"},
    {"description", &S_STR, "what is trusted inside it"},
    {"tmlint-ignore", &S_IGNORE, "suppressions"},
    {0, 0, 0}};
static const shape S_ZONE = {K_OBJ, ZONE_F, 0, 0, "a trust zone"};
static const shape S_ZONES = {K_LIST, 0, &S_ZONE, 0, 0};

static const shape S_LEVELS = {K_LIST, 0, &S_TEXTNUM, 0, 0};
static const field RATING_F[] = {
    {"scheme", &S_STR, "the rating scheme's name"},
    {"name", &S_STR, "the rating scheme's name (same as scheme)"},
    {"version", &S_TEXTNUM, "its version"},
    {"levels", &S_LEVELS, "its levels, lowest first"},
    {"fixed", &S_BOOL, "the levels come from a tool or format, not the team"},
    {0, 0, 0}};
static const shape S_RATING = {K_OBJ, RATING_F, 0, 0, "the rating scheme"};

static const field MODEL_F[] = {
    {"model", &S_MODEL, "the native format's marker: 1"},
    {"title", &S_STR, "what the model covers"},
    {"owner", &S_STR, "the team that keeps it up to date"},
    {"reviewed", &S_DATE, "date of the last review (YYYY-MM-DD)"},
    {"reviewers", &S_TEXTS, "who reviewed it"},
    {"rating", &S_RATING, "the rating scheme"},
    {"components", &S_COMPONENTS, "the parts of the system"},
    {"flows", &S_FLOWS, "the data flows between components"},
    {"trust_zones", &S_ZONES, "the trust zones, when they need names or hold no component"},
    {"threats", &S_THREATS, "what can go wrong"},
    {"mitigations", &S_MITIGATIONS, "mitigations shared by several threats"},
    {"not_recorded", &S_TEXTS, "fields the source of a converted model had no place for"},
    {"tmlint-ignore", &S_IGNORE, "suppressions"},
    {0, 0, 0}};
static const shape S_MODEL_OBJ = {K_OBJ, MODEL_F, 0, 0, "the model"};

/* ---- checking ---- */

typedef struct checker {
    const tm_doc *d;
    tm_schema_report report;
    void *ud;
    const char *const *allow;   /* extra keys a team declares */
    size_t nallow;
    uint32_t entry;             /* the list entry being checked, or TM_NONE */
} checker;

typedef enum { V_NULL, V_BOOL, V_INT, V_FLOAT, V_STR, V_MAP, V_SEQ } vtype;

/* A plain scalar typed as the YAML 1.2 core schema does (as the loader
 * and rules see it). */
static vtype vtype_of(const tm_doc *d, const tm_node *n)
{
    if (n->type == TM_NODE_MAP)
        return V_MAP;
    if (n->type == TM_NODE_SEQ)
        return V_SEQ;
    if (n->flags & (TM_NODE_QUOTED | TM_NODE_STRTAG))
        return V_STR;
    if (tm_node_is_null(d, n))
        return V_NULL;
    const char *s = tm_node_str(d, n);
    /* most scalars are words: of those, only true and false are not text
     * (no number starts with a letter; null was read above) */
    if (((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')) && *s != 't' && *s != 'T' && *s != 'f' &&
        *s != 'F')
        return V_STR;
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE") || !strcmp(s, "false") ||
        !strcmp(s, "False") || !strcmp(s, "FALSE"))
        return V_BOOL;
    const char *p = s + (*s == '-' || *s == '+');
    if (*p && strspn(p, "0123456789") == strlen(p))
        return V_INT;
    if ((p[0] == '0' && (p[1] == 'x' || p[1] == 'o')) && p[2] && strspn(p + 2, "0123456789abcdefABCDEF") == strlen(p + 2))
        return V_INT;
    int digits = 0, dot = 0, e = 0;
    for (const char *q = p; *q; q++) {
        if (*q >= '0' && *q <= '9')
            digits++;
        else if (*q == '.' && !dot && !e)
            dot = 1;
        else if ((*q == 'e' || *q == 'E') && digits && !e) {
            e = 1;
            if (q[1] == '-' || q[1] == '+')
                q++;
        } else
            return !strcasecmp(p, ".inf") || !strcasecmp(p, ".nan") ? V_FLOAT : V_STR;
    }
    return digits && (dot || e) ? V_FLOAT : V_STR;
}

static const char *vname(vtype t)
{
    static const char *const n[] = {"null", "true/false", "a whole number", "a number", "text", "a mapping", "a list"};
    return n[t];
}

static void vproblem(checker *k, uint32_t el, uint32_t at, const char *what, const char *fix, const char *fmt,
                     va_list ap) __attribute__((format(printf, 6, 0)));
static void vproblem(checker *k, uint32_t el, uint32_t at, const char *what, const char *fix, const char *fmt,
                     va_list ap)
{
    char msg[600];
    vsnprintf(msg, sizeof msg, fmt, ap);
    k->report(k->ud, el, at, what, msg, fix);
}

static void problem(checker *k, uint32_t el, uint32_t at, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void problem(checker *k, uint32_t el, uint32_t at, const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(k, el, at, what, NULL, fmt, ap);
    va_end(ap);
}

/* The same with a safe fix for the scalar at `at`. */
static void problem_fix(checker *k, uint32_t el, uint32_t at, const char *what, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void problem_fix(checker *k, uint32_t el, uint32_t at, const char *what, const char *fix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(k, el, at, what, fix, fmt, ap);
    va_end(ap);
}

/* Values that close an item: a fix never sets one (a person decides). */
static int closes_item(const char *v)
{
    static const char *const closing[] = {"mitigated", "accepted", "transferred", "false-positive", "done", "dropped",
                                          NULL};
    for (const char *const *c = closing; *c; c++)
        if (!strcmp(*c, v))
            return 1;
    return 0;
}

static void check(checker *k, const shape *s, uint32_t n, uint32_t el, const char *key);

static int wrong_type(checker *k, uint32_t n, uint32_t el, const char *key, const char *want)
{
    const tm_node *nd = &k->d->nodes[n];
    if (n == k->entry)   /* the entry, not the list: `threats: [T1]` */
        problem(k, el, n, key, "each entry of '%s' should be %s, not %s", key, want, vname(vtype_of(k->d, nd)));
    else
        problem(k, el, n, key, "'%s' should be %s, not %s", key, want, vname(vtype_of(k->d, nd)));
    return 1;
}

static void check_object(checker *k, const shape *s, uint32_t n, const char *key)
{
    const tm_doc *d = k->d;
    const tm_node *m = &d->nodes[n];
    (void)key;
    for (uint32_t i = 0; i + 1 < m->len; i += 2) {
        uint32_t kn = d->kids[m->off + i], vn = d->kids[m->off + i + 1];
        const char *name = tm_node_str(d, &d->nodes[kn]);
        const field *f = NULL;
        for (const field *x = s->fields; x->name; x++)
            if (x->name[0] == name[0] && !strcmp(x->name, name)) {
                f = x;   /* a shape names each field once */
                break;
            }
        if (f) {
            if (!tm_node_is_null(d, &d->nodes[vn]))   /* null reads as absent */
                check(k, f->s, vn, n, f->name);
            continue;
        }
        if (!strncmp(name, "x-", 2))
            continue;   /* a team's own extension */
        int allowed = 0;
        for (size_t j = 0; j < k->nallow; j++)
            allowed |= !strcmp(k->allow[j], name);
        if (allowed)
            continue;
        const char *names[32];
        size_t nn = 0;
        tm_buf known;
        tm_buf_init(&known);
        for (const field *x = s->fields; x->name && nn < 32; x++) {
            names[nn++] = x->name;
            tm_buf_printf(&known, "%s%s", known.len ? ", " : "", x->name);
        }
        const char *sug = tm_suggest(name, names, nn);
        /* renaming is safe only to a key the mapping does not have yet */
        const char *fix = tm_suggest_unique(name, names, nn);
        if (fix && tm_node_get(d, n, fix, strlen(fix), NULL) != TM_NONE)
            fix = NULL;
        /* nor when the renamed key would set a closing value (a person's call) */
        if (fix && d->nodes[vn].type == TM_NODE_SCALAR && closes_item(tm_node_str(d, &d->nodes[vn])))
            fix = NULL;
        if (sug)
            problem_fix(k, n, kn, name, fix, "unknown key '%s' in %s; did you mean '%s'?", name, s->what, sug);
        else
            problem(k, n, kn, name, "unknown key '%s' in %s (known: %s; a team's own keys start with x-)", name,
                    s->what, known.p);
        tm_buf_free(&known);
    }
}

static void check_enum(checker *k, const shape *s, uint32_t n, uint32_t el, const char *key)
{
    const tm_node *nd = &k->d->nodes[n];
    if (vtype_of(k->d, nd) != V_STR) {
        wrong_type(k, n, el, key, "text");
        return;
    }
    const char *v = tm_node_str(k->d, nd);
    size_t nv = 0;
    for (const char *const *x = s->values; *x; x++, nv++)
        if (!strcmp(*x, v))
            return;
    const char *sug = tm_suggest(v, s->values, nv);
    tm_buf known;
    tm_buf_init(&known);
    for (const char *const *x = s->values; *x; x++)
        tm_buf_printf(&known, "%s%s", known.len ? ", " : "", *x);
    const char *fix = tm_suggest_unique(v, s->values, nv);
    if (sug)
        problem_fix(k, el, n, key, fix && !closes_item(fix) ? fix : NULL, "unknown %s '%s'; did you mean '%s'? (%s)", key,
                    v, sug, known.p);
    else
        problem(k, el, n, key, "unknown %s '%s' (use %s)", key, v, known.p);
    tm_buf_free(&known);
}

static void check(checker *k, const shape *s, uint32_t n, uint32_t el, const char *key)
{
    const tm_doc *d = k->d;
    const tm_node *nd = &d->nodes[n];
    vtype t = vtype_of(d, nd);
    switch (s->k) {
    case K_STR:
    case K_DATE:
        if (t != V_STR)
            wrong_type(k, n, el, key, "text");
        return;
    case K_ID:
        if (t != V_STR && t != V_INT)
            wrong_type(k, n, el, key, "text or a whole number");
        return;
    case K_TEXTNUM:
        if (t != V_STR && t != V_INT && t != V_FLOAT)
            wrong_type(k, n, el, key, "text or a number");
        return;
    case K_BOOL:
        if (t != V_BOOL)
            wrong_type(k, n, el, key, "true or false");
        return;
    case K_MODEL:
        if (!((t == V_INT || t == V_STR) && !strcmp(tm_node_str(d, nd), "1")))
            problem(k, el, n, key, "'model' should be 1 (the native format's version)");
        return;
    case K_ENUM:
        check_enum(k, s, n, el, key);
        return;
    case K_TEXTS:
        if (t == V_SEQ) {
            for (uint32_t i = 0; i < nd->len; i++) {
                uint32_t it = d->kids[nd->off + i];
                vtype ti = vtype_of(d, &d->nodes[it]);
                if (ti != V_STR && ti != V_INT && ti != V_FLOAT && ti != V_NULL)
                    wrong_type(k, it, el, key, "text");
            }
        } else if (t != V_STR) {
            wrong_type(k, n, el, key, "text or a list of texts");
        }
        return;
    case K_OBJ:
        if (t != V_MAP)
            wrong_type(k, n, el, key, "a mapping");
        else
            check_object(k, s, n, key);
        return;
    case K_ACCEPT:
        if (t == V_MAP)
            check_object(k, s, n, key);
        else if (t != V_STR)
            wrong_type(k, n, el, key, "a mapping (reason, by, date, expires) or the reason as text");
        return;
    case K_MITREF:
        if (t == V_MAP)
            check_object(k, s, n, key);
        else if (t != V_STR && t != V_INT)
            wrong_type(k, n, el, key, "a mitigation id or a mitigation");
        return;
    case K_LIST:
        if (t != V_SEQ) {
            wrong_type(k, n, el, key, "a list");
            return;
        }
        for (uint32_t i = 0; i < nd->len; i++) {
            uint32_t it = d->kids[nd->off + i];
            if (vtype_of(d, &d->nodes[it]) != V_NULL) {
                uint32_t outer = k->entry;
                k->entry = it;
                check(k, s->item, it, s->item->k == K_OBJ ? it : el, key);
                k->entry = outer;
            }
        }
        return;
    case K_IGNORE:
        return;   /* TM005 checks suppressions, with its own messages */
    }
}

void tm_schema_check(const tm_doc *d, const char *const *allow, size_t nallow, tm_schema_report report, void *ud)
{
    if (d->root == TM_NONE || d->nodes[d->root].type != TM_NODE_MAP)
        return;
    checker k = {d, report, ud, allow, nallow, TM_NONE};
    check_object(&k, &S_MODEL_OBJ, d->root, "model");
}

/* ---- JSON Schema ---- */

static void emit(tm_buf *b, const shape *s, int ind);

static void pad(tm_buf *b, int ind)
{
    tm_buf_printf(b, "%*s", ind, "");
}

static void emit_object(tm_buf *b, const shape *s, int ind, const char *also)
{
    tm_buf_adds(b, "{\n");
    pad(b, ind + 2);
    tm_buf_printf(b, "\"type\": %s,\n", also ? also : "\"object\"");
    pad(b, ind + 2);
    tm_buf_adds(b, "\"description\": ");
    tm_json_strz(b, s->what);
    tm_buf_adds(b, ",\n");
    pad(b, ind + 2);
    tm_buf_adds(b, "\"properties\": {\n");
    for (const field *f = s->fields; f->name; f++) {
        pad(b, ind + 4);
        tm_json_strz(b, f->name);
        tm_buf_adds(b, ": ");
        emit(b, f->s, ind + 4);
        if (f->doc && f->s->k != K_OBJ && f->s->k != K_ACCEPT && f->s->k != K_MITREF && f->s->k != K_LIST &&
            f->s->k != K_IGNORE) {
            /* scalars: put the field's words in */
            b->len--;   /* reopen the closing brace */
            tm_buf_adds(b, ", \"description\": ");
            tm_json_strz(b, f->doc);
            tm_buf_addc(b, '}');
        }
        tm_buf_adds(b, f[1].name ? ",\n" : "\n");
    }
    pad(b, ind + 2);
    tm_buf_adds(b, "},\n");
    pad(b, ind + 2);
    tm_buf_adds(b, "\"patternProperties\": {\"^x-\": {}},\n");
    pad(b, ind + 2);
    tm_buf_adds(b, "\"additionalProperties\": false\n");
    pad(b, ind);
    tm_buf_addc(b, '}');
}

static void emit(tm_buf *b, const shape *s, int ind)
{
    switch (s->k) {
    case K_STR: tm_buf_adds(b, "{\"type\": [\"string\", \"null\"]}"); return;
    case K_DATE: tm_buf_adds(b, "{\"type\": [\"string\", \"null\"]}"); return;
    case K_ID: tm_buf_adds(b, "{\"type\": [\"string\", \"integer\", \"null\"]}"); return;
    case K_TEXTNUM: tm_buf_adds(b, "{\"type\": [\"string\", \"number\", \"null\"]}"); return;
    case K_BOOL: tm_buf_adds(b, "{\"type\": [\"boolean\", \"null\"]}"); return;
    case K_MODEL: tm_buf_adds(b, "{\"enum\": [1, \"1\"]}"); return;
    case K_TEXTS:
        tm_buf_adds(b, "{\"anyOf\": [{\"type\": [\"string\", \"null\"]}, {\"type\": \"array\", \"items\": "
                       "{\"type\": [\"string\", \"number\", \"null\"]}}]}");
        return;
    case K_ENUM:
        tm_buf_adds(b, "{\"enum\": [");
        for (const char *const *x = s->values; *x; x++) {
            tm_json_strz(b, *x);
            tm_buf_adds(b, ", ");
        }
        tm_buf_adds(b, "null]}");
        return;
    case K_OBJ:
        emit_object(b, s, ind, "[\"object\", \"null\"]");
        return;
    case K_ACCEPT:
        tm_buf_adds(b, "{\"anyOf\": [{\"type\": [\"string\", \"null\"]}, ");
        emit_object(b, s, ind + 2, NULL);
        tm_buf_adds(b, "]}");
        return;
    case K_MITREF:
        tm_buf_adds(b, "{\"anyOf\": [{\"type\": [\"string\", \"integer\", \"null\"]}, ");
        emit_object(b, s, ind + 2, NULL);
        tm_buf_adds(b, "]}");
        return;
    case K_LIST:
        tm_buf_adds(b, "{\"type\": [\"array\", \"null\"], \"items\": ");
        if (s->item->k == K_OBJ) {
            tm_buf_adds(b, "{\"anyOf\": [{\"type\": \"null\"}, ");
            emit_object(b, s->item, ind + 2, NULL);
            tm_buf_adds(b, "]}");
        } else {
            emit(b, s->item, ind + 2);
        }
        tm_buf_addc(b, '}');
        return;
    case K_IGNORE:
        /* TM005 has the last word on suppressions; the schema gives their shape */
        tm_buf_adds(b, "{\"anyOf\": [{\"type\": \"object\"}, {\"type\": \"array\", \"items\": {\"type\": \"object\"}}, "
                       "{\"type\": \"string\"}]}");
        return;
    }
}

void tm_schema_json(tm_buf *b)
{
    tm_buf_adds(b, "{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
                   "  \"$id\": \"" TMLINT_HOMEPAGE "/blob/main/docs/schema/model.schema.json\",\n"
                   "  \"title\": \"tmlint native threat model\",\n"
                   "  \"description\": \"A threat model in tmlint's native format (model: 1). Generated by tmlint "
                   "_generate schema from the description tmlint checks files against (rule TM006). Keys starting "
                   "with x- are a team's own.\",\n  \"required\": [\"model\"],\n  \"allOf\": [");
    emit_object(b, &S_MODEL_OBJ, 2, NULL);
    tm_buf_adds(b, "]\n}\n");
}

/* ---- what a key means (editors' hover) ---- */

static const field *field_in(const shape *s, const char *key)
{
    if (s->k == K_MITREF || s->k == K_ACCEPT)   /* the object forms */
        s = s->k == K_MITREF ? &S_MITIGATION : &S_ACCEPT;
    if (s->k == K_IGNORE)
        s = &S_IGNORE_ONE;
    if (s->k == K_LIST && s->item)
        return field_in(s->item, key);
    if (s->k != K_OBJ || !s->fields)
        return NULL;
    for (const field *f = s->fields; f->name; f++)
        if (!strcmp(f->name, key))
            return f;
    return NULL;
}

int tm_schema_key_doc(const char *const *keys, size_t n, tm_buf *out)
{
    const shape *s = &S_MODEL_OBJ, *parent = s;
    const field *f = NULL;
    for (size_t i = 0; i < n; i++) {
        parent = s;
        if (!(f = field_in(s, keys[i])))
            return -1;
        s = f->s;
    }
    if (!f)
        return -1;
    const shape *owner = parent->k == K_LIST && parent->item ? parent->item : parent;
    if (owner->k == K_MITREF)
        owner = &S_MITIGATION;
    if (owner->k == K_IGNORE)
        owner = &S_IGNORE_ONE;
    tm_buf_printf(out, "**%s**%s%s: %s.", f->name, owner->what ? ", in " : "", owner->what ? owner->what : "",
                  f->doc ? f->doc : "");
    const shape *v = s->k == K_LIST && s->item ? s->item : s;
    if (v->k == K_ENUM && v->values) {
        tm_buf_adds(out, " One of:");
        for (const char *const *p = v->values; *p; p++)
            tm_buf_printf(out, "%s `%s`", p == v->values ? "" : ",", *p);
        tm_buf_addc(out, '.');
    }
    return 0;
}
