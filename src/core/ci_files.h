/* The CI configurations of the checked file's repository (GitHub
 * workflows, GitLab CI, pre-commit and a few others), read into the first
 * model's tree as parts so that rules (tm.repo.ci) can report at their
 * lines. Reads stay inside the repository root; each repository's files
 * are read once per run. */
#ifndef TM_CI_FILES_H
#define TM_CI_FILES_H
#include "ctx.h"

void tm_ci_attach(tm_ctx *c, uint32_t fi, tm_doc *doc);

#endif
