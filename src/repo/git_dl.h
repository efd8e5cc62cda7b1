/* libgit2, loaded when a rule first reads history rather than at start:
 * linked, it and its TLS and SSH libraries cost every run several ms of
 * loading, and its start-up reads the system's CA certificates. */
#ifndef TM_GIT_DL_H
#define TM_GIT_DL_H
#include <git2.h>

#define TM_GIT_FUNCS(X) \
    X(int, git_libgit2_init, (void)) \
    X(int, git_libgit2_shutdown, (void)) \
    X(int, git_libgit2_opts, (int, ...)) \
    X(int, git_repository_open, (git_repository **, const char *)) \
    X(void, git_repository_free, (git_repository *)) \
    X(int, git_revwalk_new, (git_revwalk **, git_repository *)) \
    X(int, git_revwalk_push_head, (git_revwalk *)) \
    X(int, git_revwalk_simplify_first_parent, (git_revwalk *)) \
    X(int, git_revwalk_next, (git_oid *, git_revwalk *)) \
    X(void, git_revwalk_free, (git_revwalk *)) \
    X(int, git_commit_lookup, (git_commit **, git_repository *, const git_oid *)) \
    X(int, git_commit_tree, (git_tree **, const git_commit *)) \
    X(unsigned int, git_commit_parentcount, (const git_commit *)) \
    X(int, git_commit_parent, (git_commit **, const git_commit *, unsigned int)) \
    X(git_time_t, git_commit_time, (const git_commit *)) \
    X(void, git_commit_free, (git_commit *)) \
    X(void, git_tree_free, (git_tree *)) \
    X(char *, git_oid_tostr, (char *, size_t, const git_oid *)) \
    X(int, git_diff_tree_to_tree, (git_diff **, git_repository *, git_tree *, git_tree *, const git_diff_options *)) \
    X(int, git_diff_foreach, (git_diff *, git_diff_file_cb, git_diff_binary_cb, git_diff_hunk_cb, git_diff_line_cb, void *)) \
    X(void, git_diff_free, (git_diff *)) \
    X(int, git_revparse_single, (git_object **, git_repository *, const char *)) \
    X(int, git_object_peel, (git_object **, const git_object *, git_object_t)) \
    X(const git_oid *, git_object_id, (const git_object *)) \
    X(void, git_object_free, (git_object *)) \
    X(int, git_reference_name_to_id, (git_oid *, git_repository *, const char *)) \
    X(int, git_merge_base, (git_oid *, git_repository *, const git_oid *, const git_oid *)) \
    X(int, git_diff_tree_to_workdir_with_index, (git_diff **, git_repository *, git_tree *, const git_diff_options *)) \
    X(int, git_diff_tree_to_index, (git_diff **, git_repository *, git_tree *, git_index *, const git_diff_options *)) \
    X(int, git_repository_is_shallow, (git_repository *)) \
    X(const git_error *, git_error_last, (void)) \
    X(size_t, git_tree_entrycount, (const git_tree *)) \
    X(const git_tree_entry *, git_tree_entry_byindex, (const git_tree *, size_t)) \
    X(const git_tree_entry *, git_tree_entry_byname, (const git_tree *, const char *)) \
    X(const char *, git_tree_entry_name, (const git_tree_entry *)) \
    X(const git_oid *, git_tree_entry_id, (const git_tree_entry *)) \
    X(git_object_t, git_tree_entry_type, (const git_tree_entry *)) \
    X(int, git_tree_lookup, (git_tree **, git_repository *, const git_oid *)) \
    X(int, git_tree_entry_bypath, (git_tree_entry **, const git_tree *, const char *)) \
    X(void, git_tree_entry_free, (git_tree_entry *)) \
    X(int, git_blob_lookup, (git_blob **, git_repository *, const git_oid *)) \
    X(const void *, git_blob_rawcontent, (const git_blob *)) \
    X(git_object_size_t, git_blob_rawsize, (const git_blob *)) \
    X(void, git_blob_free, (git_blob *)) \
    X(const char *, git_repository_workdir, (const git_repository *)) \
    X(const char *, git_repository_path, (const git_repository *)) \
    X(const char *, git_repository_commondir, (const git_repository *)) \
    X(int, git_repository_config_snapshot, (git_config **, git_repository *)) \
    X(int, git_config_get_string, (const char **, const git_config *, const char *)) \
    X(void, git_config_free, (git_config *)) \
    X(int, git_revwalk_push, (git_revwalk *, const git_oid *)) \
    X(int, git_revwalk_hide, (git_revwalk *, const git_oid *)) \
    X(const char *, git_commit_message, (const git_commit *))

typedef struct tm_git {
    void *handle;
#define TM_GIT_PTR(ret, name, args) ret (*name) args;
    TM_GIT_FUNCS(TM_GIT_PTR)
#undef TM_GIT_PTR
} tm_git;

/* Loads libgit2 and starts it; 0, or -1 with *why (static text). */
int tm_git_load(tm_git *g, const char **why);
void tm_git_unload(tm_git *g);

#endif
