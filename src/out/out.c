#include "out.h"
#include "utf8.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const tm_writer tm_writers[] = {
    {"text", "path:line:col: level: message [rule], for terminals and editors", tm_out_text},
    {"full", "text with each finding's source line and a caret under its column", tm_out_full},
    {"sarif", "SARIF 2.1.0, for GitHub code scanning and other CI", tm_out_sarif},
    {"json", "tmlint's own JSON, for scripts (docs/json-format.md)", tm_out_json},
    {"codequality", "GitLab Code Quality JSON", tm_out_codequality},
    {"junit", "JUnit XML: a test suite per file, a test per finding (failed at or above --fail-on)", tm_out_junit},
    {"html", "one self-contained HTML page (audit report)", tm_out_audit_html},
    {NULL, NULL, NULL}};

const tm_writer *tm_out_find(const char *name)
{
    for (const tm_writer *w = tm_writers; w->name; w++)
        if (!strcmp(w->name, name))
            return w;
    return NULL;
}

/* XML 1.0 and HTML text and attribute values: the five specials as
 * entities, invalid UTF-8 as U+FFFD, and the characters XML forbids
 * (C0 controls but tab and newline, U+FFFE, U+FFFF) left out. */
void tm_out_markup(tm_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c >= 0x80) {
            size_t k = tm_utf8_len(p + i, n - i);
            if (!k)
                tm_buf_adds(b, "\xEF\xBF\xBD");
            else if (!(k == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF)))
                tm_buf_add(b, p + i, k);
            i += k ? k : 1;
            continue;
        }
        switch (c) {
        case '&': tm_buf_adds(b, "&amp;"); break;
        case '<': tm_buf_adds(b, "&lt;"); break;
        case '>': tm_buf_adds(b, "&gt;"); break;
        case '"': tm_buf_adds(b, "&quot;"); break;
        case '\'': tm_buf_adds(b, "&#39;"); break;
        default:
            if (c >= 0x20 || c == '\n' || c == '\t')
                tm_buf_addc(b, (char)c);
            else if (c == '\r')
                tm_buf_adds(b, "&#13;");
        }
        i++;
    }
}
