/* The document tree: what libyaml read, with a 1-based line and code-point
 * column on every node. All nodes of a document live in one array and all
 * scalar text in one buffer, both freed by tm_doc_free. Aliases are
 * resolved to the anchored node's index, so the tree is a DAG: a shared
 * node keeps the parent it was first written under. */
#ifndef TM_TREE_H
#define TM_TREE_H
#include "buf.h"
#include <stdint.h>
#include <stddef.h>

#define TM_NONE UINT32_MAX

typedef enum { TM_NODE_SCALAR, TM_NODE_MAP, TM_NODE_SEQ } tm_node_type;

enum {
    TM_NODE_QUOTED = 1,   /* scalar was quoted or a block scalar: always a string */
    TM_NODE_STRTAG = 2,   /* explicit !!str tag */
    TM_NODE_ANCHOR = 4,   /* has an anchor (may be shared) */
};

/* What a node is: its kind and where its text or children are. */
typedef struct tm_node {
    uint8_t type;
    uint8_t flags;
    uint16_t pad_;
    uint32_t off, len;   /* scalar: text in doc->text; container: slice of doc->kids */
} tm_node;

/* Where a node is, kept apart from what it is (the side array, doc->pos,
 * one entry per node): the positions, parents and places are what the
 * rules' findings need, and a model held as Lua tables keeps only them
 * (docs/design-document.md). */
typedef struct tm_pos {
    uint32_t line, col, end_line, end_col;
    uint32_t parent;     /* TM_NONE for the root */
    uint32_t pidx;       /* index among the parent's kids */
} tm_pos;

/* Zeroed bytes kept after a finished document's text. */
#define TM_TEXT_PAD 64

typedef struct tm_doc {
    char *file;          /* owned copy of the path */
    unsigned index;      /* 0-based document number within the file */
    tm_node *nodes;
    tm_pos *pos;         /* beside nodes: same count and capacity */
    uint32_t n, cap;
    uint32_t *kids;      /* map: key, value, key, value...; seq: items */
    size_t nkids, kcap;
    tm_buf text;
    uint32_t root;
    /* Nodes read from included files (a Threagile split model): from
     * parts[i].first on, nodes come from file parts[i].file (an index into
     * the run's files); nodes before parts[0].first from the main file. */
    struct tm_part { uint32_t first, file; } *parts;
    size_t nparts;
    /* The repository's CI configurations read into this tree (as parts) for
     * the rules: each one's root node and path from the repository root. */
    struct tm_ci { uint32_t root; char *rel; } *ci;
    size_t nci;
} tm_doc;

/* The position of node i. */
static inline const tm_pos *tm_pos_of(const tm_doc *d, uint32_t i)
{
    return &d->pos[i];
}
/* The index of a node of d held by pointer. */
static inline uint32_t tm_node_index(const tm_doc *d, const tm_node *n)
{
    return (uint32_t)(n - d->nodes);
}
static inline const char *tm_node_str(const tm_doc *d, const tm_node *n)
{
    return d->text.p + n->off;
}
/* Number of pairs (map) or items (seq). */
static inline uint32_t tm_node_count(const tm_node *n)
{
    return n->type == TM_NODE_MAP ? n->len / 2 : n->type == TM_NODE_SEQ ? n->len : 0;
}
/* Value node of `key` in a map, or TM_NONE; *key_out gets the key node. */
uint32_t tm_node_get(const tm_doc *d, uint32_t map, const char *key, size_t klen, uint32_t *key_out);
/* The text of the scalar under `key` in the map at `map`, or NULL when
 * `map` is no map (or TM_NONE) or the value is missing or not a scalar:
 * for reading tmlint's own JSON back (audits, reports). */
const char *tm_node_scalar(const tm_doc *d, uint32_t map, const char *key);
/* Whether a scalar is YAML null (~, null, empty, unquoted). */
int tm_node_is_null(const tm_doc *d, const tm_node *n);

void tm_doc_free(tm_doc *d);

#endif
