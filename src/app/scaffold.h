/* `tmlint init --rule ID`: a new team rule with every field explained, and
 * a fires and a quiet fixture that `tmlint test` runs at once. */
#ifndef TM_SCAFFOLD_H
#define TM_SCAFFOLD_H
#include "config.h"

/* Writes DIR/ID.lua, DIR/tests/ID/fires.tm.yaml and quiet.tm.yaml, DIR
 * being --rules-dir or the first rules_dirs of `cfg`; refuses to overwrite
 * any of them (nothing is written then). 0, or -1 with the reason in c->diags. */
int tm_scaffold_rule(tm_ctx *c, const tm_cfg *cfg, const char *id, const char *name);

#endif
