/* What rules and adapters see of tmlint: the document tree as Lua values,
 * `report`, and the `re` module. */
#ifndef TM_LUA_API_H
#define TM_LUA_API_H
#include "findings.h"
#include "tree.h"
#include <lua.h>

/* The host side of one rule call: where findings go and what they carry. */
typedef struct tm_host {
    const tm_doc *doc;
    const char *uri;          /* file as it appears in output, for fingerprints */
    uint32_t file;            /* file index */
    tm_findings *findings;
    uint32_t rule;            /* index of the rule being run */
    const char *rule_id;
    const char *message;      /* the rule's message template */
    tm_level level;           /* the rule's effective level */
    size_t reported, cap;     /* findings by this rule in this document; cap */
    const char *rule_name;
    struct tm_sup *sup;       /* in-file suppressions of the document */
    const char *const *part_uris;   /* per doc->parts entry: its file's uri */
    size_t kept;              /* bytes of messages this rule keeps (its memory) */
    const char *path;         /* the checked file, for tm.repo */
    struct tm_repos *repos;   /* NULL: --no-repo */
    const char **repo_why;    /* where to say why tm.repo had no repository */
    const struct tm_tests *tests;   /* --test-results, or NULL (none given, or one unreadable) */
    int base_ref;             /* registry ref of the model at the change's base commit, or LUA_NOREF */
    const char *base_commit;  /* that commit (hex) */
    int want_titles;          /* keep each reported element's title (audits) */
    int defer_repo;           /* rules split across processes: repository calls stop the rule (split.c) */
    int repo_deferred;        /* the running rule was stopped so */
    /* the fingerprint's hash of (rule id, uri), kept for the next finding
     * of the same rule in the same file */
    const char *fp_rule, *fp_uri;
    uint64_t fp_prefix;
} tm_host;

/* Longest message a finding keeps, in bytes; longer ones end in an ellipsis. */
#define TM_MAX_MESSAGE 2000

/* Adds a finding at node `at` for element node `el` (for the fingerprint
 * and suppressions); takes ownership of msg. Used by report() and TM005. */
void tm_api_add_finding(tm_host *h, uint32_t el, uint32_t at, const char *field, char *msg);

/* Registry set-up; called once while the runtime starts. */
void tm_api_init(lua_State *L);
/* Pushes the table of native helpers used by rules/lib/tm.lua. */
void tm_api_push_native(lua_State *L);
/* Pushes the `re` module table. */
void tm_api_push_re(lua_State *L);
/* Pushes the document's root as Lua values: mappings are tables with
 * string keys (null values left out), sequences arrays (null as tm.null),
 * scalars typed by the YAML 1.2 core schema. Each table is remembered with
 * its node so that report() can find positions. */
void tm_api_push_doc(lua_State *L, const tm_doc *doc);
/* The same in a protected call: 0 with the root pushed, or -1 with
 * nothing pushed and why in err (Lua's memory cap reached, a document
 * too deep for Lua's own stack): a model too big is an error, not an
 * abort. */
int tm_api_push_doc_protected(lua_State *L, const tm_doc *doc, char *err, size_t errsz);
/* The node a tree table pushed by tm_api_push_doc (or an element, through
 * its .node) was read from, or TM_NONE. */
uint32_t tm_api_node_of(lua_State *L, int idx);
/* Forgets the node table of the last document (lets the GC free it). */
void tm_api_clear_doc(lua_State *L);

/* A model's tables built while the loader reads it (the sink of
 * tm_yaml_load_with), the same as tm_api_push_doc makes from the finished
 * tree, without a second walk over it. The builder keeps its state on the
 * Lua stack from tm_api_build_new to tm_api_build_free; the collector
 * should be stopped meanwhile, as for a push. */
typedef struct tm_build tm_build;
tm_build *tm_api_build_new(lua_State *L);
const struct tm_yaml_sink *tm_api_build_sink(tm_build *b);
/* Pushes the root of a document the builder built and makes its tables
 * the registry's node table (joined to those of a base model pushed
 * before it); -1, with nothing pushed, when it has none. */
int tm_api_build_take(tm_build *b, const tm_doc *doc);
/* Drops a document's tables (its tree changed after the build). */
void tm_api_build_forget(tm_build *b, const tm_doc *doc);
/* Pops the builder's state and frees it (NULL: nothing). */
void tm_api_build_free(tm_build *b);

/* Pushes a `report(element, fields)` function for the host's current rule. */
void tm_api_push_report(lua_State *L);

/* Shared with lua_native.c. tm.texts: pushes the scalar or list of
 * scalars at idx as a list of non-empty strings. tm.fields: sets each
 * field named in the list at `texts` to its text, each in `lowers` to its
 * trimmed lower-case text (nil when not a scalar; 0: no list). */
void tm_api_texts(lua_State *L, int idx);
void tm_api_fields(lua_State *L, int t, int texts, int lowers);

#endif
