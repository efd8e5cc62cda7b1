#ifndef TM_TRAILER_H
#define TM_TRAILER_H

/* The commit-message trailer that acknowledges a code change which leaves
 * the threat model alone (TM342). */
#define TM_TRAILER_MIN_WORDS 4

/* Looks for a line 'Threat-Model-Unchanged: REASON' (case aside, comment
 * lines skipped) in msg (len bytes, not NUL-terminated). Returns 1 when
 * one has a reason of TM_TRAILER_MIN_WORDS words or more, 0 when the
 * first one found has a shorter reason, -1 when there is none; *line (if
 * not NULL) is the 1-based line of the trailer found. */
int tm_trailer_find(const char *msg, size_t len, unsigned *line);

#endif
