/* What the parts of the rule API (lua_tree.c, lua_report.c, lua_re.c,
 * lua_helpers.c, lua_repo.c) share, and nothing outside src/rt/ uses. */
#ifndef TM_LUA_API_INT_H
#define TM_LUA_API_INT_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <lua.h>
#include <pcre2.h>
#include <stdint.h>

#define NODES_KEY "tm.nodes"   /* registry: Lua table -> node index */
#define FRAMES_KEY "tm.pushframes"   /* registry: the walk stack of a protected push */

/* How the YAML 1.2 core schema reads a plain scalar (lua_tree.c). */
struct tm_doc;
struct tm_node;
enum { SC_STRING, SC_NULL, SC_TRUE, SC_FALSE, SC_NUMBER };
int tm_api_scalar_kind(const struct tm_doc *d, const struct tm_node *n);
/* Whether the value at idx is a pattern re.compile made. */
int tm_re_is_pattern(lua_State *L, int idx);
/* The node a Lua table at idx was pushed from, through the node table at
 * `nodes` (a stack index), or TM_NONE. */
uint32_t tm_api_lookup_node(lua_State *L, int nodes, int idx);
/* The compiled pattern a rule passes at `pat` (a string or re.compile's),
 * compiled on first use when the runtime compiles lazily; `uses` is how
 * often the caller will run it. Raises a Lua error for a bad pattern. */
const pcre2_code *tm_re_arg_n(lua_State *L, int pat, int flags, uint32_t uses);
/* One match of c over s[start, n), charged to the running rule; > 0 on a
 * match with *ov the offsets. valid: s is known to be valid UTF-8. */
int tm_re_exec_as(lua_State *L, const pcre2_code *c, const char *s, size_t n, size_t start, PCRE2_SIZE **ov,
                  int valid);
/* Pushes the tree under node `top` (a grafted file of `span` nodes at
 * most) as tm_api_push_doc pushes a whole document. */
void tm_api_push_subtree(lua_State *L, const struct tm_doc *d, uint32_t top, size_t span);
/* Adds tm.repo's and tm.tests's native functions to the table on top. */
void tm_api_add_repo(lua_State *L);

#endif
