/* In-file suppressions: `tmlint-ignore: [{rule: ID-or-name, reason: ...}]`
 * on any mapping (a threat, a mitigation, a component, the model). A
 * finding is suppressed by an entry with a reason on its element or on any
 * mapping that contains it. Entries that are malformed, name no known rule,
 * have no reason or suppress nothing become TM005 findings. */
#ifndef TM_SUPPRESS_H
#define TM_SUPPRESS_H
#include "findings.h"
#include "tree.h"
#include <stdint.h>

#define TM_IGNORE_KEY "tmlint-ignore"

typedef struct tm_sup {
    const tm_doc *doc;
    uint8_t *used;     /* per node: an entry that suppressed something */
    int min_words;     /* a reason needs this many words (TM005's min_words) */
    int any;           /* some scalar of the document is the key TM_IGNORE_KEY */
} tm_sup;

void tm_sup_init(tm_sup *s, const tm_doc *doc);
void tm_sup_free(tm_sup *s);
/* The reason of the entry that suppresses `rule_id`/`rule_name` at element
 * node `el` (borrowed from the tree), or NULL. Marks the entry used. */
const char *tm_sup_find(tm_sup *s, uint32_t el, const char *rule_id, const char *rule_name);

/* Callback for TM005: one bad entry at node `at`. */
typedef void (*tm_sup_report)(void *ud, uint32_t at, const char *problem);
/* Looks up whether a rule name is known and whether it ran: returns -1
 * unknown, 0 known but off, 1 known and on. */
typedef int (*tm_sup_known)(void *ud, const char *rule);
/* Checks every tmlint-ignore in the document after all rules ran. */
void tm_sup_check(tm_sup *s, tm_sup_known known, tm_sup_report report, void *ud);

#endif
