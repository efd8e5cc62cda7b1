/* Loading rule and format-adapter files from a rules directory:
 *   DIR/NAME.lua          one rule each
 *   DIR/formats/NAME.lua  one format adapter each
 *   DIR/lib/tm.lua     helpers given to every rule and adapter as `tm`
 * Each file gets its own sandbox environment; its returned table is
 * checked for the required fields and kept in the Lua registry. */
#ifndef TM_RULES_H
#define TM_RULES_H
#include "ctx.h"

/* Finds the rules directory: --rules-dir, else beside the installed
 * binary (../share/tmlint/rules), else the source tree it was built from. */
int tm_rules_locate(tm_ctx *c);
int tm_rules_load(tm_ctx *c);
/* Loads a team's rules directory (from a config's rules_dirs); its rules
 * apply to files under `origin` only. A directory that another config
 * names too is loaded once and applies under both. Ids and names are
 * scoped: a clash with a built-in rule, a --rules-dir rule or a rule under
 * the same config is an error; two repositories may each have an ACME1. */
int tm_rules_load_extra(tm_ctx *c, const char *dir, const struct tm_cfg *origin);
/* Loads a team's format adapter (a config's `adapter:`); returns its index
 * among c->adapters, or -1 with a diag. */
int tm_rules_load_adapter(tm_ctx *c, const char *path, const struct tm_cfg *origin);
/* Index of the rule with this id or name (case-insensitive id), or -1.
 * Team rules of two configurations may share an id: this is the first. */
int tm_rules_find(const tm_ctx *c, const char *id_or_name);
/* The same among the rules in effect under `cfg` (built-in, --rules-dir
 * and cfg's own team rules): at most one matches. */
int tm_rules_find_under(const tm_ctx *c, const char *id_or_name, const struct tm_cfg *cfg);
/* Whether rule r has this id (case-insensitive) or name. */
int tm_rules_named(const tm_ctx *c, size_t r, const char *id_or_name);
/* How many rules in effect under `cfg` come from directory `dir` itself
 * (its *.lua, not its subdirectories'). */
size_t tm_rules_from_dir(const tm_ctx *c, const char *dir, const struct tm_cfg *cfg);
/* Whether rule r applies to files under `cfg` (NULL: no configuration). */
int tm_rule_under(const tm_rule *r, const struct tm_cfg *cfg);
/* Index of the rule with exactly this id, or -1. */
int tm_rules_find_id(const tm_ctx *c, const char *id);
/* Loads rule i's code if it is not loaded yet: a built-in rule is read
 * from its manifest at start-up and loaded only when something needs its
 * table (it runs, or its settings are read). 0, or -1 with a diag (the
 * rule is then off). Never inside a rule's call. */
int tm_rules_need(tm_ctx *c, size_t i);
/* Pushes a fresh environment holding the `tm` helpers (for rules/adapters). */
int tm_rules_push_env(tm_ctx *c, const char *who);

#endif
