/* Checks a threat model held in memory with libtmlint and prints each
 * finding as file:line:column, then the same model after an edit: the
 * rules stay loaded between the two checks, as an editor would use them.
 * Build: cc check_buffer.c $(pkg-config --cflags --libs tmlint) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tmlint.h>

static void print(tmlint_checker *k, const char *name, const char *model)
{
    tmlint_result *r;
    if (tmlint_check_buffer(k, name, model, strlen(model), &r) != 0) {
        fprintf(stderr, "bad arguments\n");
        exit(2);
    }
    const tmlint_diagnostic *d;
    size_t nd = tmlint_result_diagnostics(r, &d);
    for (size_t i = 0; i < nd; i++)
        printf("%s:%u:%u: tmlint: %s\n", d[i].path ? d[i].path : "-", d[i].line, d[i].column, d[i].message);
    const tmlint_finding *f;
    size_t n = tmlint_result_findings(r, &f);
    for (size_t i = 0; i < n; i++) {
        static const char *const level[] = {"", "note", "warning", "error"};
        printf("%s:%u:%u: %s: %s [%s]%s\n", f[i].path, f[i].line, f[i].column, level[f[i].level], f[i].message,
               f[i].rule, f[i].fix ? " (fix available)" : "");
    }
    printf("%zu findings\n", n);
    tmlint_result_free(r);
}

int main(void)
{
    tmlint_options opts = {.now = "2026-11-23", .no_repo = 1};
    char *err = NULL;
    tmlint_checker *k = tmlint_checker_new(&opts, &err);
    if (!k) {
        fprintf(stderr, "tmlint: %s\n", err);
        free(err);
        return 2;
    }
    const char *model = "model: 1\n"
                        "title: Shop\n"
                        "owner: team-shop\n"
                        "threats:\n"
                        "  - id: T1\n"
                        "    title: Card numbers are read from the order log\n"
                        "    severity: hihg\n";
    print(k, "shop.tm.yaml", model);
    const char *edited = "model: 1\n"
                         "title: Shop\n"
                         "owner: team-shop\n"
                         "threats: []\n";
    print(k, "shop.tm.yaml", edited);
    tmlint_rule_info info;
    if (tmlint_rule(k, "TM006", &info) == 0)
        printf("%s %s: %s\n", info.id, info.name, info.summary);
    tmlint_checker_free(k);
    return 0;
}
