/* `tmlint lsp`: a Language Server Protocol server on standard input and
 * output, a host of the library (include/tmlint.h) like the command line:
 * diagnostics for each open document as it is typed, hover with a rule's
 * explanation or a native key's meaning, and code actions (the safe fixes,
 * a suppression with a reason to write). */
#ifndef TM_LSP_H
#define TM_LSP_H
#include "tmlint.h"

/* Serves until `exit` or the end of input: 0 after shutdown then exit,
 * else 1 (as the protocol asks). */
int tm_lsp_serve(const tmlint_options *opts, int in, int out);

#endif
