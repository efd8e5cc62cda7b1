/* libtmlint's public API (include/tmlint.h) as a host uses it: findings
 * with their positions, a checker reused across edits, configurations and
 * a team's rules read again at each check, diagnostics with positions,
 * bad arguments. Only the public header is used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tmlint.h"

static const char model[] = "model: 1\n"
                            "title: Shop\n"
                            "owner: team-shop\n"
                            "threats:\n"
                            "  - id: T1\n"
                            "    title: Card numbers are read from the order log\n"
                            "    status: opne\n";

static tmlint_checker *new_checker(void)
{
    tmlint_options o = {.now = "2026-11-23", .no_repo = 1, .rules_dir = TEST_RULES_DIR};
    char *err = NULL;
    tmlint_checker *k = tmlint_checker_new(&o, &err);
    assert_non_null(k);
    assert_null(err);
    return k;
}

static const tmlint_finding *find(const tmlint_result *r, const char *rule)
{
    const tmlint_finding *f;
    size_t n = tmlint_result_findings(r, &f);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(f[i].rule, rule))
            return &f[i];
    return NULL;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_buffer_findings(void **state)
{
    (void)state;
    tmlint_checker *k = new_checker();
    tmlint_result *r;
    assert_int_equal(tmlint_check_buffer(k, "shop.tm.yaml", model, strlen(model), &r), 0);
    const tmlint_finding *f = find(r, "TM006");
    assert_non_null(f);
    assert_string_equal(f->path, "shop.tm.yaml");
    assert_int_equal(f->line, 7);
    assert_int_equal(f->column, 13);
    assert_int_equal(f->end_line, 7);
    assert_int_equal(f->end_column, 17);
    assert_int_equal(f->level, TMLINT_ERROR);
    assert_string_equal(f->rule_name, "schema-violation");
    assert_string_equal(f->fix, "open");   /* the one correction: a safe fix */
    assert_string_equal(f->fix_old, "opne");
    assert_null(f->suppressed);
    assert_int_equal(strlen(f->fingerprint), 16);
    const tmlint_diagnostic *d;
    assert_int_equal(tmlint_result_diagnostics(r, &d), 0);
    tmlint_result_free(r);
    tmlint_checker_free(k);
}

/* The same checker, an edit after another: the same answers as a fresh one. */
static void test_reuse(void **state)
{
    (void)state;
    tmlint_checker *k = new_checker();
    tmlint_result *a, *b, *c;
    assert_int_equal(tmlint_check_buffer(k, "shop.tm.yaml", model, strlen(model), &a), 0);
    const char *edited = "model: 1\ntitle: Shop\nowner: team-shop\nthreats: []\n";
    assert_int_equal(tmlint_check_buffer(k, "shop.tm.yaml", edited, strlen(edited), &b), 0);
    assert_int_equal(tmlint_check_buffer(k, "shop.tm.yaml", model, strlen(model), &c), 0);
    const tmlint_finding *fa, *fb, *fc;
    size_t na = tmlint_result_findings(a, &fa), nb = tmlint_result_findings(b, &fb), nc = tmlint_result_findings(c, &fc);
    assert_int_equal(na, nc);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(fa[i].rule, fc[i].rule);
        assert_string_equal(fa[i].message, fc[i].message);
        assert_int_equal(fa[i].line, fc[i].line);
        assert_int_equal(fa[i].column, fc[i].column);
    }
    assert_non_null(find(b, "TM104"));   /* no threats */
    assert_null(find(b, "TM006"));
    assert_true(nb < na);
    tmlint_result_free(a);
    tmlint_result_free(b);
    tmlint_result_free(c);
    tmlint_checker_free(k);
}

static void test_broken_yaml(void **state)
{
    (void)state;
    tmlint_checker *k = new_checker();
    tmlint_result *r;
    const char *bad = "model: 1\nthreats: [\n";
    assert_int_equal(tmlint_check_buffer(k, "bad.tm.yaml", bad, strlen(bad), &r), 0);
    const tmlint_diagnostic *d;
    assert_int_equal(tmlint_result_diagnostics(r, &d), 1);
    assert_int_equal(d[0].level, TMLINT_ERROR);
    assert_string_equal(d[0].path, "bad.tm.yaml");
    assert_int_equal(d[0].line, 3);
    assert_int_equal(d[0].column, 1);
    assert_non_null(strstr(d[0].message, "invalid YAML"));
    const tmlint_finding *f;
    assert_int_equal(tmlint_result_findings(r, &f), 0);
    tmlint_result_free(r);
    tmlint_checker_free(k);
}

/* A configuration and a team's rule are read at each check: an edit to
 * either counts, and a rule loaded once does not clash with itself. */
static void test_config_read_again(void **state)
{
    (void)state;
    char dir[] = "/tmp/tmlint-api-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cfg[256], rules[256], rule[256], name[256];
    snprintf(cfg, sizeof cfg, "%s/.tmlint.yaml", dir);
    snprintf(rules, sizeof rules, "%s/team", dir);
    snprintf(rule, sizeof rule, "%s/team/ACME1.lua", dir);
    snprintf(name, sizeof name, "%s/shop.tm.yaml", dir);
    assert_int_equal(mkdir(rules, 0700), 0);
    write_file(rule, "return { id = 'ACME1', name = 'shop-title', level = 'warning',\n"
                     "  summary = 'Shops say so', help = 'A test rule.', message = 'title {t}',\n"
                     "  run = function(model, report) report(model, { t = model.title }) end }\n");
    write_file(cfg, "rules_dirs: [team]\nrules:\n  TM006: off\n");
    tmlint_checker *k = new_checker();
    for (int round = 0; round < 2; round++) {
        tmlint_result *r;
        assert_int_equal(tmlint_check_buffer(k, name, model, strlen(model), &r), 0);
        const tmlint_diagnostic *d;
        assert_int_equal(tmlint_result_diagnostics(r, &d), 0);
        assert_null(find(r, "TM006"));
        const tmlint_finding *f = find(r, "ACME1");
        assert_non_null(f);
        assert_string_equal(f->message, "title Shop");
        tmlint_result_free(r);
    }
    write_file(cfg, "rules:\n  TM310: off\n");
    tmlint_result *r;
    assert_int_equal(tmlint_check_buffer(k, name, model, strlen(model), &r), 0);
    assert_non_null(find(r, "TM006"));
    assert_null(find(r, "ACME1"));
    assert_null(find(r, "TM310"));
    tmlint_result_free(r);
    /* a team rule's info is not the checker's: it comes and goes with a configuration */
    tmlint_rule_info info;
    assert_int_equal(tmlint_rule(k, "ACME1", &info), -1);
    tmlint_checker_free(k);
    unlink(rule);
    unlink(cfg);
    rmdir(rules);
    rmdir(dir);
}

static void test_path(void **state)
{
    (void)state;
    tmlint_checker *k = new_checker();
    tmlint_result *r;
    assert_int_equal(tmlint_check_path(k, TEST_SOURCE_DIR "/samples/clean", &r), 0);
    const tmlint_diagnostic *d;
    assert_int_equal(tmlint_result_diagnostics(r, &d), 0);
    tmlint_result_free(r);
    assert_int_equal(tmlint_check_path(k, TEST_SOURCE_DIR "/samples/findings", &r), 0);
    const tmlint_finding *f;
    assert_true(tmlint_result_findings(r, &f) > 10);
    tmlint_result_free(r);
    assert_int_equal(tmlint_check_path(k, "/nonexistent/x.tm.yaml", &r), 0);
    assert_int_equal(tmlint_result_diagnostics(r, &d), 1);
    assert_non_null(strstr(d[0].message, "cannot read"));
    tmlint_result_free(r);
    tmlint_checker_free(k);
}

static void test_rule_info_and_bad_arguments(void **state)
{
    (void)state;
    tmlint_checker *k = new_checker();
    tmlint_rule_info info;
    assert_int_equal(tmlint_rule(k, "TM310", &info), 0);
    assert_string_equal(info.id, "TM310");
    assert_string_equal(info.name, "threat-without-mitigation");
    assert_int_equal(info.level, TMLINT_ERROR);
    assert_non_null(strstr(info.help, "mitigation"));
    assert_int_equal(tmlint_rule(k, "threat-without-mitigation", &info), 0);
    assert_int_equal(tmlint_rule(k, "TM999", &info), -1);
    tmlint_result *r = NULL;
    assert_int_equal(tmlint_check_buffer(k, NULL, "x", 1, &r), -1);
    assert_int_equal(tmlint_check_buffer(k, "", "x", 1, &r), -1);
    assert_int_equal(tmlint_check_buffer(k, "a.tm.yaml", NULL, 3, &r), -1);
    assert_int_equal(tmlint_check_buffer(NULL, "a.tm.yaml", "x", 1, &r), -1);
    assert_null(r);
    /* an empty buffer is a file with nothing in it: checked, not refused */
    assert_int_equal(tmlint_check_buffer(k, "a.tm.yaml", NULL, 0, &r), 0);
    tmlint_result_free(r);
    tmlint_result_free(NULL);
    tmlint_checker_free(k);
    tmlint_checker_free(NULL);
    tmlint_options o = {.rules_dir = "/nonexistent"};
    char *err = NULL;
    assert_null(tmlint_checker_new(&o, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "/nonexistent"));
    free(err);
    tmlint_options bad_now = {.now = "yesterday", .rules_dir = TEST_RULES_DIR};
    assert_null(tmlint_checker_new(&bad_now, &err));
    assert_non_null(err);
    free(err);
}


/* models_only: what an editor opens that is no model is passed over, with
 * nothing to say; a model under another name is known by its first bytes.
 * Without it, a named file that is no model is an error, never clean. */
static void test_models_only(void **state)
{
    (void)state;
    tmlint_options o = {.now = "2026-11-23", .no_repo = 1, .rules_dir = TEST_RULES_DIR, .models_only = 1};
    char *err = NULL;
    tmlint_checker *k = tmlint_checker_new(&o, &err);
    assert_non_null(k);
    const char *compose = "services:\n  web:\n    image: x\n";
    tmlint_result *r;
    const tmlint_finding *f;
    const tmlint_diagnostic *d;
    assert_int_equal(tmlint_check_buffer(k, "/tmp/x/compose.yaml", compose, strlen(compose), &r), 0);
    assert_int_equal(tmlint_result_files(r), 0);
    assert_int_equal(tmlint_result_findings(r, &f), 0);
    assert_int_equal(tmlint_result_diagnostics(r, &d), 0);
    tmlint_result_free(r);
    assert_int_equal(tmlint_check_buffer(k, "/tmp/x/security.yaml", model, strlen(model), &r), 0);
    assert_int_equal(tmlint_result_files(r), 1);
    assert_non_null(find(r, "TM006"));
    tmlint_result_free(r);
    tmlint_checker_free(k);
    k = new_checker();
    assert_int_equal(tmlint_check_buffer(k, "/tmp/x/compose.yaml", compose, strlen(compose), &r), 0);
    assert_int_equal(tmlint_result_files(r), 0);
    assert_int_equal(tmlint_result_diagnostics(r, &d), 1);
    assert_int_equal(d[0].level, TMLINT_ERROR);
    assert_non_null(strstr(d[0].message, "not a threat model tmlint can read"));
    tmlint_result_free(r);
    assert_int_equal(tmlint_check_buffer(k, "shop.tm.yaml", model, strlen(model), &r), 0);
    assert_int_equal(tmlint_result_files(r), 1);
    tmlint_result_free(r);
    /* a directory with no model in it: an error, not a clean result */
    char dir[] = "/tmp/tmlint-api-empty-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(tmlint_check_path(k, dir, &r), 0);
    assert_int_equal(tmlint_result_files(r), 0);
    assert_int_equal(tmlint_result_diagnostics(r, &d), 1);
    assert_string_equal(d[0].path, dir);
    assert_non_null(strstr(d[0].message, "no threat model found here"));
    tmlint_result_free(r);
    rmdir(dir);
    tmlint_checker_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buffer_findings), cmocka_unit_test(test_reuse),
        cmocka_unit_test(test_broken_yaml), cmocka_unit_test(test_config_read_again),
        cmocka_unit_test(test_path), cmocka_unit_test(test_rule_info_and_bad_arguments), cmocka_unit_test(test_models_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
