#include "suppress.h"
#include "buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void tm_sup_init(tm_sup *s, const tm_doc *doc)
{
    s->doc = doc;
    s->used = tm_xcalloc(doc->n ? doc->n : 1, 1);
    s->min_words = 4;
    /* most models suppress nothing: then no finding needs to look */
    s->any = 0;
    size_t klen = strlen(TM_IGNORE_KEY);
    for (uint32_t i = 0; i < doc->n && !s->any; i++) {
        const tm_node *n = &doc->nodes[i];
        s->any = n->type == TM_NODE_SCALAR && n->len == klen && !memcmp(tm_node_str(doc, n), TM_IGNORE_KEY, klen);
    }
}

/* Words (runs of letters and digits; any non-ASCII byte counts as a letter)
 * in a scalar, as tm.words counts them. */
static int words(const tm_doc *d, uint32_t n)
{
    if (n == TM_NONE || d->nodes[n].type != TM_NODE_SCALAR)
        return 0;
    int count = 0, in = 0;
    for (const unsigned char *p = (const unsigned char *)tm_node_str(d, &d->nodes[n]); *p; p++) {
        int w = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p >= 0x80 ||
                (in && (*p == '\'' || *p == '-'));
        count += w && !in;
        in = w;
    }
    return count;
}

void tm_sup_free(tm_sup *s)
{
    free(s->used);
    s->used = NULL;
}

static int blank(const tm_doc *d, uint32_t n)
{
    if (n == TM_NONE || d->nodes[n].type != TM_NODE_SCALAR || tm_node_is_null(d, &d->nodes[n]))
        return 1;
    for (const char *p = tm_node_str(d, &d->nodes[n]); *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return 0;
    return 1;
}

/* The entries of a tmlint-ignore value: a list, or one mapping alone. */
static void entries(const tm_doc *d, uint32_t v, const uint32_t **list, uint32_t *n, uint32_t *one)
{
    const tm_node *nd = &d->nodes[v];
    if (nd->type == TM_NODE_SEQ) {
        *list = d->kids + nd->off;
        *n = nd->len;
    } else {
        *one = v;
        *list = one;
        *n = 1;
    }
}

const char *tm_sup_find(tm_sup *s, uint32_t el, const char *rule_id, const char *rule_name)
{
    const tm_doc *d = s->doc;
    if (!s->any)
        return NULL;
    for (uint32_t at = el; at != TM_NONE; at = d->pos[at].parent) {
        if (d->nodes[at].type != TM_NODE_MAP)
            continue;
        uint32_t v = tm_node_get(d, at, TM_IGNORE_KEY, strlen(TM_IGNORE_KEY), NULL);
        if (v == TM_NONE)
            continue;
        const uint32_t *list;
        uint32_t n, one;
        entries(d, v, &list, &n, &one);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t e = list[i];
            uint32_t r = tm_node_get(d, e, "rule", 4, NULL), why = tm_node_get(d, e, "reason", 6, NULL);
            if (r == TM_NONE || d->nodes[r].type != TM_NODE_SCALAR || blank(d, why) || words(d, why) < s->min_words)
                continue;   /* no reason: it suppresses nothing (and TM005 says so) */
            const char *name = tm_node_str(d, &d->nodes[r]);
            if (strcasecmp(name, rule_id) == 0 || strcmp(name, rule_name) == 0) {
                s->used[e] = 1;
                return tm_node_str(d, &d->nodes[why]);
            }
        }
    }
    return NULL;
}

void tm_sup_check(tm_sup *s, tm_sup_known known, tm_sup_report report, void *ud)
{
    const tm_doc *d = s->doc;
    char msg[512];
    for (uint32_t m = 0; m < d->n; m++) {
        if (d->nodes[m].type != TM_NODE_MAP)
            continue;
        uint32_t key, v = tm_node_get(d, m, TM_IGNORE_KEY, strlen(TM_IGNORE_KEY), &key);
        if (v == TM_NONE)
            continue;
        const tm_node *vn = &d->nodes[v];
        if (vn->type == TM_NODE_SCALAR) {
            report(ud, key, "tmlint-ignore must be a list of {rule: ..., reason: ...} entries");
            continue;
        }
        const uint32_t *list;
        uint32_t n, one;
        entries(d, v, &list, &n, &one);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t e = list[i];
            uint32_t r = tm_node_get(d, e, "rule", 4, NULL), why = tm_node_get(d, e, "reason", 6, NULL);
            if (d->nodes[e].type != TM_NODE_MAP || r == TM_NONE || d->nodes[r].type != TM_NODE_SCALAR) {
                report(ud, e, "a tmlint-ignore entry needs `rule:` (a rule id or name) and `reason:`");
                continue;
            }
            const char *name = tm_node_str(d, &d->nodes[r]);
            int k = known(ud, name);
            if (k < 0) {
                snprintf(msg, sizeof msg, "tmlint-ignore names '%.100s', which is not a rule tmlint knows", name);
                report(ud, r, msg);
            } else if (strcasecmp(name, "TM005") == 0 || strcmp(name, "bad-suppression") == 0) {
                report(ud, r, "TM005 cannot be suppressed in the file; fix the suppression instead");
            } else if (blank(d, why)) {
                snprintf(msg, sizeof msg, "the suppression of %.100s gives no reason; say why the finding does not apply", name);
                report(ud, e, msg);
            } else if (words(d, why) < s->min_words) {
                snprintf(msg, sizeof msg, "the suppression of %.100s gives a reason of %d word(s); say why the finding"
                         " does not apply (at least %d)", name, words(d, why), s->min_words);
                report(ud, why, msg);
            } else if (k > 0 && !s->used[e]) {
                snprintf(msg, sizeof msg, "the suppression of %.100s suppresses nothing here; remove it", name);
                report(ud, e, msg);
            }
        }
    }
}
