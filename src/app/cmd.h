/* The command line: parses the arguments and runs the command they name
 * (check, audit, rules, explain, init, convert, test). tmlint_main and the
 * tmlint executable both come here. */
#ifndef TM_CMD_H
#define TM_CMD_H

/* keep_heap: return without freeing what the run built (a process about
 * to exit); 0 frees everything (a host that lives on). */
int tm_cmd_run(int argc, char **argv, int keep_heap);

#endif
