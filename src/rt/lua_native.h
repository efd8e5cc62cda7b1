/* The native format's element builders, in C (see lua_native.c). */
#ifndef TM_LUA_NATIVE_H
#define TM_LUA_NATIVE_H
#include <lua.h>

/* tmnative.native_threat(raw, model, THREAT_TEXT, THREAT_LOWER, MIT_TEXT,
 * MIT_LOWER, LINK_FIELD) -> the threat */
int tm_native_threat(lua_State *L);
/* tmnative.native_mitigation(raw, model, inline_of, MIT_TEXT, MIT_LOWER)
 * -> the mitigation */
int tm_native_mitigation(lua_State *L);

#endif
