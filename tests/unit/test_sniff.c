/* What a directory walk takes for a model saved under another name: each
 * format's opening bytes, and the look-alikes that must stay quiet (SBOMs,
 * JSON Schemas, manifests, a nested `model: 1`). */
#include "test_util.h"
#include "sniff.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *fmt(const char *head)
{
    return tm_sniff_format(head, strlen(head));
}

static void expect(const char *head, const char *want)
{
    const char *got = fmt(head);
    if (!want) {
        if (got)
            fail_msg("'%.40s...' read as %s", head, got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
}

static void test_formats(void **state)
{
    (void)state;
    expect("{\"version\": \"2.3.0\", \"summary\": {\"title\": \"W\"}, \"detail\": {\"contributors\": [],"
           " \"diagrams\": []}}", "a Threat Dragon model");
    expect("{\"otmVersion\": \"0.2.0\", \"project\": {}}", "an Open Threat Model (OTM) file");
    expect("otmVersion: 0.1.0\nproject:\n  name: x\n", "an Open Threat Model (OTM) file");
    expect("threagile_version: 1.0.0\ntitle: t\n", "a Threagile model");
    expect("{\"schema\": 1, \"applicationInfo\": {\"name\": \"a\"}, \"threats\": []}", "a Threat Composer export");
    expect("{\"$schema\": \"https://github.com/OWASP/www-project-threat-model-library/blob/v1.0.2/"
           "threat-model.schema.json\", \"scope\": {}}", "an OWASP Threat Model Library file");
    expect("schema_version: '1.0'\nname: n\ncomponents: []\ndata_flows: []\n", "a FlowState model");
    expect("model: 1\ntitle: t\nthreats: []\n", "a native model (model: 1)");
    expect("# ours\nmodel: 1 # native\nmitigations: []\n", "a native model (model: 1)");
    expect("{\"model\": 1, \"threats\": []}", "a native model (model: 1)");
    /* a BOM that carries a threat model, CycloneDX 2.0's threats, pytm's dump */
    expect("{\"bomFormat\": \"CycloneDX\", \"components\": [{\"type\": \"threat-model\"}]}",
           "a CycloneDX threat model");
    expect("{\"specFormat\": \"CycloneDX\", \"specVersion\": \"2.0\", \"threats\": []}", "a CycloneDX threat model");
    expect("{\"actors\": [{\"__class__\": \"Actor\", \"name\": \"User\"}]}", "a pytm model");
}

static void test_look_alikes(void **state)
{
    (void)state;
    expect("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": []}", NULL);
    expect("{\"name\": \"shop\", \"version\": \"1.0.0\", \"dependencies\": {}}", NULL);
    expect("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"properties\": {\"otmVersion\": {}}}", NULL);
    expect("{\"$id\": \"https://x/threat-dragon-v2.schema.json\", \"properties\": {\"summary\": {},"
           " \"detail\": {}, \"diagrams\": {}}}", NULL);
    expect("spec:\n  model: 1\n  threats: 3\n", NULL);              /* not at the top level */
    expect("model: 12\nthreats: []\n", NULL);
    expect("{\"model\": 10, \"threats\": []}", NULL);
    expect("submodel: 1\nthreats: []\n", NULL);
    expect("threats: []\nmodel: 1", "a native model (model: 1)");            /* at the very end */
    expect("{\"threats\": [], \"model\":1}", "a native model (model: 1)");
    expect("model: 1\nreplicas: 3\n", NULL);                         /* no threat-model key */
    expect("{\"summary\": \"a\", \"detail\": \"b\"}", NULL);         /* two of Threat Dragon's three */
    expect("{\"__class__\": \"Config\", \"debug\": true}", NULL);   /* a Python dump, no pytm class */
    expect("{\"specFormat\": \"CycloneDX\", \"components\": []}", NULL);
    expect("", NULL);
}

/* The file reader: a regular file's first bytes; a directory or a missing
 * path is nothing. */
static void test_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/tmlint-sniff-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/m.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("threagile_version: 1.0.0\n", f);
    for (int i = 0; i < 3000; i++)   /* far longer than what is read */
        fputs("# padding padding padding\n", f);
    fclose(f);
    assert_string_equal(tm_sniff_file(path, 0), "a Threagile model");
    char link[64];
    snprintf(link, sizeof link, "%s/l.yaml", dir);
    assert_int_equal(symlink(path, link), 0);
    assert_null(tm_sniff_file(link, 0));   /* a link only when the walk followed it */
    assert_string_equal(tm_sniff_file(link, 1), "a Threagile model");
    unlink(link);
    assert_null(tm_sniff_file(dir, 0));
    unlink(path);
    assert_null(tm_sniff_file(path, 0));
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_look_alikes),
        cmocka_unit_test(test_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
