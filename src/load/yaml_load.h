/* libyaml -> tm_doc trees, one per YAML document, with the input limits. */
#ifndef TM_YAML_LOAD_H
#define TM_YAML_LOAD_H
#include "diag.h"
#include "source.h"
#include "tree.h"

typedef struct tm_limits {
    uint32_t max_depth;      /* nesting of mappings and sequences */
    uint64_t max_nodes;      /* nodes, counting every alias expansion in full */
    size_t max_file_size;    /* bytes */
    uint32_t max_documents;  /* YAML documents in one file (0: no cap) */
} tm_limits;

#define TM_DEFAULT_MAX_DEPTH 256u
#define TM_DEFAULT_MAX_NODES 10000000ull
#define TM_DEFAULT_MAX_FILE_SIZE ((size_t)64 << 20)

typedef struct tm_docs {
    tm_doc **v;
    size_t n;
} tm_docs;

/* Parses every document in `src`. On a YAML error, records it with
 * file:line:col and returns -1; docs already loaded are freed then.
 * Caller frees the result with tm_docs_free. */
int tm_yaml_load(const tm_src *src, const tm_limits *lim, tm_docs *out, tm_diags *d);

/* What a caller that builds its own form of the document (the Lua tables
 * of src/rt/lua_tree.c) hears while the tree is read. Every node that
 * becomes a kid of the open collection is reported once, in document
 * order: a scalar or alias by `scalar`/`alias`, a collection by `open`
 * and, once all of its kids were reported, `close`. `is_key`: the kid is
 * a mapping's key. At `close` the collection's node has its final kids
 * (merge keys resolved); `orig`, `norig` are the kids as they were
 * reported, and `list_key` is, for a mapping or list that is an item of
 * a list under a key of the top-level mapping, that key's node
 * (TM_NONE otherwise). */
typedef struct tm_yaml_sink {
    void *ud;
    void (*doc_begin)(void *ud, tm_doc *d);
    void (*doc_end)(void *ud, tm_doc *d);
    void (*scalar)(void *ud, const tm_doc *d, uint32_t node, int is_key);
    void (*alias)(void *ud, const tm_doc *d, uint32_t node, int is_key);
    void (*open)(void *ud, const tm_doc *d, uint32_t node);
    void (*close)(void *ud, const tm_doc *d, uint32_t node, const uint32_t *orig, size_t norig, uint32_t list_key);
} tm_yaml_sink;
int tm_yaml_load_with(const tm_src *src, const tm_limits *lim, tm_docs *out, tm_diags *d, const tm_yaml_sink *sink);

void tm_docs_free(tm_docs *docs);
/* Reads the one document of a file tmlint wrote earlier (a SARIF
 * baseline, an audit's JSON): up to 1 GiB and 100 million nodes, since
 * such files grow with the models. 0 with out filled, or -1 with the
 * error (file:line:col) in d. */
int tm_yaml_load_output_file(const char *path, tm_docs *out, tm_diags *d);

#endif
