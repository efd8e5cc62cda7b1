#define _GNU_SOURCE   /* memmem */
#include "lsp.h"
#include "bytecode.h"
#include "buf.h"
#include "fix.h"
#include "json.h"
#include "schema.h"
#include "source.h"
#include "tree.h"
#include "utf8.h"
#include "yaml_load.h"
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#ifndef TMLINT_VERSION
#define TMLINT_VERSION "0.0.0"
#endif
#ifndef TMLINT_HELP_URI
#define TMLINT_HELP_URI ""
#endif

/* A frame's body: a document of the 64 MiB tmlint reads, escaped as JSON,
 * fits; a larger one is refused and skipped. A header block past 8 KiB is
 * no header. */
#define LSP_MAX_BODY ((size_t)160 << 20)
#define LSP_MAX_HEADER 8192

typedef struct doc {
    char *uri, *path;            /* path: what the checker is told the file is */
    tm_buf text;
    long version;
    int dirty;                   /* changed since its diagnostics were sent */
    tmlint_result *res;          /* the last check, for hover and code actions */
    size_t *lines;               /* byte offset of each line's start, made on first use after an edit */
    size_t nlines;
} doc;

typedef struct lsp {
    tmlint_checker *k;
    int in, out;
    tm_buf buf;                  /* input read and not yet taken */
    size_t pos;
    int eof;
    int initialized, shutdown;
    int enc;                     /* what a position's character counts: 8, 16 or 32 bit units */
    doc *docs;
    size_t ndocs;
} lsp;

/* ---- output ---- */

static void send(lsp *s, const tm_buf *json)
{
    char head[64];
    int n = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", json->len);
    const char *parts[2] = {head, json->p ? json->p : ""};
    size_t lens[2] = {(size_t)n, json->len};
    for (int i = 0; i < 2; i++) {
        const char *p = parts[i];
        size_t left = lens[i];
        while (left) {
            ssize_t w = write(s->out, p, left);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return;   /* the client is gone; reading will end too */
            p += w;
            left -= (size_t)w;
        }
    }
}

/* `id` is the request's id as raw JSON (a number or a string), or NULL. */
static void reply(lsp *s, const char *id, const char *result_json)
{
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_printf(&b, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":%s}", id ? id : "null", result_json);
    send(s, &b);
    tm_buf_free(&b);
}

static void reply_error(lsp *s, const char *id, int code, const char *msg)
{
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_printf(&b, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"error\":{\"code\":%d,\"message\":", id ? id : "null", code);
    tm_json_strz(&b, msg);
    tm_buf_adds(&b, "}}");
    send(s, &b);
    tm_buf_free(&b);
}

/* ---- input: frames of "Content-Length: N\r\n\r\n" and N bytes ---- */

static int fill(lsp *s)
{
    if (s->pos && s->pos * 2 >= s->buf.len) {   /* keep the buffer from growing with the session */
        memmove(s->buf.p, s->buf.p + s->pos, s->buf.len - s->pos);
        s->buf.len -= s->pos;
        s->pos = 0;
    }
    char chunk[65536];
    for (;;) {
        ssize_t n = read(s->in, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            s->eof = 1;
            return 0;
        }
        tm_buf_add(&s->buf, chunk, (size_t)n);
        return 1;
    }
}

static const char *header_end(const lsp *s)
{
    const char *p = s->buf.p + s->pos, *e = s->buf.p + s->buf.len;
    for (; p + 3 < e; p++)
        if (p[0] == '\r' && p[1] == '\n' && p[2] == '\r' && p[3] == '\n')
            return p;
    return NULL;
}

/* The Content-Length of a header block, or -1 when it has none or a bad
 * one. Other fields (Content-Type) are read past. */
static long long content_length(const char *h, size_t n)
{
    long long len = -1;
    const char *e = h + n;
    while (h < e) {
        const char *nl = memchr(h, '\r', (size_t)(e - h));
        size_t ln = nl ? (size_t)(nl - h) : (size_t)(e - h);
        const char *colon = memchr(h, ':', ln);
        if (!colon)
            return -1;
        if ((size_t)(colon - h) == 14 && !strncasecmp(h, "Content-Length", 14)) {
            const char *v = colon + 1;
            while (v < h + ln && *v == ' ')
                v++;
            long long x = 0;
            int digits = 0;
            for (; v < h + ln && *v >= '0' && *v <= '9' && x < (1LL << 40); v++, digits++)
                x = x * 10 + (*v - '0');
            while (v < h + ln && *v == ' ')
                v++;
            if (!digits || v != h + ln || len >= 0)
                return -1;
            len = x;
        }
        h += ln + 2;
    }
    return len;
}

/* Drops n bytes of input, read or still to come. */
static void discard(lsp *s, size_t n)
{
    while (n && !s->eof) {
        size_t have = s->buf.len - s->pos;
        size_t k = have < n ? have : n;
        s->pos += k;
        n -= k;
        if (n)
            fill(s);
    }
}

/* 1 with the next body in *body (valid until the next read), 0 at the
 * end of input; a broken frame is answered and skipped (-1). */
static int read_frame(lsp *s, const char **body, size_t *len)
{
    const char *h;
    while (!(h = header_end(s))) {
        if (s->buf.len - s->pos > LSP_MAX_HEADER) {
            reply_error(s, NULL, -32700, "a frame header longer than 8 KiB (or no header at all); input dropped");
            s->pos = s->buf.len;
            return -1;
        }
        if (!fill(s))
            return 0;
    }
    size_t hlen = (size_t)(h - (s->buf.p + s->pos));
    long long n = content_length(s->buf.p + s->pos, hlen);
    s->pos += hlen + 4;
    if (n < 0) {
        reply_error(s, NULL, -32700, "a frame without a valid Content-Length header; skipped");
        return -1;
    }
    if ((unsigned long long)n > LSP_MAX_BODY) {
        char msg[128];
        snprintf(msg, sizeof msg, "a message of %lld bytes, past the %zu tmlint reads; skipped", n, LSP_MAX_BODY);
        reply_error(s, NULL, -32600, msg);
        discard(s, (size_t)n);
        return -1;
    }
    while (s->buf.len - s->pos < (size_t)n)
        if (!fill(s))
            return 0;
    *body = s->buf.p + s->pos;
    *len = (size_t)n;
    s->pos += (size_t)n;
    return 1;
}

/* Whether more input waits: a frame read already, or bytes on the pipe. */
static int pending(lsp *s)
{
    if (s->buf.len > s->pos)
        return 1;
    struct pollfd p = {s->in, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

/* ---- JSON in: libyaml reads it (JSON is YAML's flow style); a UTF-16
 * surrogate pair, which YAML's escapes lack, becomes UTF-8 first ---- */

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int hex4(const char *p, const char *e, unsigned *v)
{
    if (e - p < 4)
        return 0;
    *v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hexval(p[i]);
        if (d < 0)
            return 0;
        *v = *v * 16 + (unsigned)d;
    }
    return 1;
}

static void put_utf8(tm_buf *b, unsigned cp)
{
    char u[4];
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n == 1) {
        u[0] = (char)cp;
    } else if (n == 2) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 63));
    } else if (n == 3) {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | ((cp >> 6) & 63));
        u[2] = (char)(0x80 | (cp & 63));
    } else {
        u[0] = (char)(0xF0 | cp >> 18);
        u[1] = (char)(0x80 | ((cp >> 12) & 63));
        u[2] = (char)(0x80 | ((cp >> 6) & 63));
        u[3] = (char)(0x80 | (cp & 63));
    }
    tm_buf_add(b, u, n);
}

static void surrogates_to_utf8(const char *p, size_t n, tm_buf *out)
{
    const char *e = p + n;
    int in_str = 0;
    while (p < e) {
        char c = *p;
        if (!in_str) {
            in_str = c == '"';
            tm_buf_addc(out, c);
            p++;
            continue;
        }
        if (c == '"') {
            in_str = 0;
            tm_buf_addc(out, c);
            p++;
            continue;
        }
        if (c != '\\' || p + 1 >= e) {
            tm_buf_addc(out, c);
            p++;
            continue;
        }
        unsigned hi, lo;
        if (p[1] == 'u' && hex4(p + 2, e, &hi) && hi >= 0xD800 && hi <= 0xDFFF) {
            if (hi < 0xDC00 && e - p >= 12 && p[6] == '\\' && p[7] == 'u' && hex4(p + 8, e, &lo) && lo >= 0xDC00 &&
                lo <= 0xDFFF) {
                put_utf8(out, 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                p += 12;
            } else {
                put_utf8(out, 0xFFFD);   /* a lone half */
                p += 6;
            }
            continue;
        }
        tm_buf_add(out, p, 2);   /* any other escape, whole: \\ stays two characters */
        p += 2;
    }
}

typedef struct msg {
    tm_docs docs;
    const tm_doc *d;
    uint32_t root;
} msg;

static uint32_t get(const msg *m, uint32_t node, const char *key)
{
    if (node == TM_NONE || m->d->nodes[node].type != TM_NODE_MAP)
        return TM_NONE;
    return tm_node_get(m->d, node, key, strlen(key), NULL);
}

static const char *str(const msg *m, uint32_t node)
{
    return node != TM_NONE && m->d->nodes[node].type == TM_NODE_SCALAR ? tm_node_str(m->d, &m->d->nodes[node]) : NULL;
}

/* A string's bytes and length as sent (a \u0000 inside stays: the text
 * is not cut short there), or NULL. */
static const char *str_n(const msg *m, uint32_t node, size_t *n)
{
    const char *v = str(m, node);
    *n = v ? m->d->nodes[node].len : 0;
    return v;
}

/* A whole number in [0, 2^31), or -1. */
static long num(const msg *m, uint32_t node)
{
    const char *v = str(m, node);
    if (!v || !*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 9)
        return -1;
    return strtol(v, NULL, 10);
}

/* The id as raw JSON to echo: a number as written, a string quoted. */
static char *id_json(const msg *m, uint32_t id)
{
    const char *v = str(m, id);
    if (!v)
        return NULL;
    tm_buf b;
    tm_buf_init(&b);
    const tm_node *n = &m->d->nodes[id];
    if (!(n->flags & TM_NODE_QUOTED) && *v && strspn(v, "-0123456789") == strlen(v) && strlen(v) < 20)
        tm_buf_adds(&b, v);
    else
        tm_json_strz(&b, v);
    return tm_buf_detach(&b);
}

/* ---- positions: tmlint counts code points from 1, the client units of
 * its encoding from 0 ---- */

/* The text changed: the line index goes. */
static void edited(doc *d)
{
    free(d->lines);
    d->lines = NULL;
    d->nlines = 0;
}

/* The byte offset where line line0 (0-based) starts, SIZE_MAX past the
 * end; a BOM does not count on the first line. An index of the lines,
 * made once per version of the text, keeps a thousand diagnostics from
 * each scanning the document from its top. */
static size_t line_start(const doc *cd, unsigned line0)
{
    doc *d = (doc *)cd;   /* the index is a cache */
    if (!d->lines) {
        size_t n = 1;
        for (size_t i = 0; i < d->text.len; i++)
            n += d->text.p[i] == '\n';
        d->lines = tm_xmalloc(n * sizeof *d->lines);
        d->lines[0] = d->text.len >= 3 && !memcmp(d->text.p, "\xEF\xBB\xBF", 3) ? 3 : 0;
        d->nlines = 1;
        for (size_t i = 0; i < d->text.len; i++)
            if (d->text.p[i] == '\n')
                d->lines[d->nlines++] = i + 1;
    }
    return line0 < d->nlines ? d->lines[line0] : SIZE_MAX;
}

static unsigned units(const lsp *s, size_t k)
{
    if (s->enc == 8)
        return (unsigned)k;
    if (s->enc == 32)
        return 1;
    return k == 4 ? 2 : 1;
}

/* Code-point column (1-based) -> the client's character (0-based). */
static unsigned to_char(const lsp *s, const doc *d, unsigned line, unsigned col)
{
    size_t i = line_start(d, line - 1);
    if (i == SIZE_MAX)
        return 0;
    const unsigned char *t = (const unsigned char *)d->text.p;
    unsigned ch = 0;
    for (unsigned c = 1; c < col && i < d->text.len && t[i] != '\n' && t[i] != '\r'; c++) {
        size_t k = tm_utf8_len(t + i, d->text.len - i);
        k = k ? k : 1;
        ch += units(s, k);
        i += k;
    }
    return ch;
}

/* The client's (line, character) -> a byte offset, clamped to its line. */
static size_t to_offset(const lsp *s, const doc *d, long line, long ch)
{
    if (line < 0)
        return 0;
    size_t i = line_start(d, (unsigned)line);
    if (i == SIZE_MAX)
        return d->text.len;
    const unsigned char *t = (const unsigned char *)d->text.p;
    long u = 0;
    while (u < ch && i < d->text.len && t[i] != '\n') {
        size_t k = tm_utf8_len(t + i, d->text.len - i);
        k = k ? k : 1;
        u += units(s, k);
        i += k;
    }
    return i;
}

/* A byte offset -> the client's (line, character). */
static void to_position(const lsp *s, const doc *d, size_t off, unsigned *line, unsigned *ch)
{
    const unsigned char *t = (const unsigned char *)d->text.p;
    line_start(d, 0);
    size_t lo = 0, hi = d->nlines;   /* the last line starting at or before off */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (d->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    *line = (unsigned)lo;
    size_t start = d->lines[lo];
    *ch = 0;
    for (size_t i = start; i < off && i < d->text.len;) {
        size_t k = tm_utf8_len(t + i, d->text.len - i);
        k = k ? k : 1;
        *ch += units(s, k);
        i += k;
    }
}

static void put_range(tm_buf *b, unsigned l0, unsigned c0, unsigned l1, unsigned c1)
{
    tm_buf_printf(b, "{\"start\":{\"line\":%u,\"character\":%u},\"end\":{\"line\":%u,\"character\":%u}}", l0, c0, l1, c1);
}

/* A finding's range: its span, or the rest of its first line when the
 * element runs over many lines (a whole threat underlined says nothing). */
static void finding_range(const lsp *s, const doc *d, const tmlint_finding *f, tm_buf *b)
{
    unsigned l = f->line ? f->line : 1, c = f->column ? f->column : 1;
    unsigned c0 = to_char(s, d, l, c), c1;
    if (f->end_line == l && f->end_column > c) {
        c1 = to_char(s, d, l, f->end_column);
    } else {
        c1 = to_char(s, d, l, 1u << 30);   /* the end of the line */
        if (c1 <= c0)
            c1 = c0;
    }
    put_range(b, l - 1, c0, l - 1, c1);
}

/* ---- documents ---- */

static doc *find_doc(lsp *s, const char *uri)
{
    for (size_t i = 0; i < s->ndocs; i++)
        if (!strcmp(s->docs[i].uri, uri))
            return &s->docs[i];
    return NULL;
}


/* file:///a/b%20c.yaml -> /a/b c.yaml; another scheme: its last segment,
 * so that the format is still told by the name. */
static char *uri_path(const char *uri)
{
    const char *p = uri;
    int file = !strncmp(uri, "file://", 7);
    if (file) {
        p += 7;
        if (*p != '/')   /* file://host/path */
            p = strchr(p, '/') ? strchr(p, '/') : p + strlen(p);
    } else {
        const char *slash = strrchr(uri, '/'), *colon = strchr(uri, ':');
        p = slash ? slash + 1 : colon ? colon + 1 : uri;
    }
    tm_buf b;
    tm_buf_init(&b);
    for (; *p && *p != '?' && *p != '#'; p++) {
        int h, l;
        if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
            char ch = (char)(h * 16 + l);
            tm_buf_addc(&b, ch ? ch : '_');
            p += 2;
        } else {
            tm_buf_addc(&b, *p);
        }
    }
    if (!b.len)
        tm_buf_adds(&b, "untitled.yaml");
    return tm_buf_detach(&b);
}

static void doc_free(doc *d)
{
    edited(d);
    free(d->uri);
    free(d->path);
    tm_buf_free(&d->text);
    tmlint_result_free(d->res);
}

static const char *const level_name[] = {"", "note", "warning", "error"};

static void publish(lsp *s, doc *d)
{
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_adds(&b, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":");
    tm_json_strz(&b, d->uri);
    tm_buf_printf(&b, ",\"version\":%ld,\"diagnostics\":[", d->version);
    int any = 0;
    const tmlint_diagnostic *dg;
    size_t nd = tmlint_result_diagnostics(d->res, &dg);
    for (size_t i = 0; i < nd; i++) {
        /* tmlint's own word: on this file at its place, else (a broken
         * configuration, say) at the top with where it comes from */
        int here = dg[i].path && !strcmp(dg[i].path, d->path);
        unsigned l = here && dg[i].line ? dg[i].line : 1, c = here && dg[i].column ? dg[i].column : 1;
        unsigned c0 = to_char(s, d, l, c);
        tm_buf_adds(&b, any++ ? ",{\"range\":" : "{\"range\":");
        put_range(&b, l - 1, c0, l - 1, c0);
        tm_buf_printf(&b, ",\"severity\":%d,\"source\":\"tmlint\",\"message\":",
                      dg[i].level == TMLINT_ERROR ? 1 : dg[i].level == TMLINT_WARNING ? 2 : 3);
        tm_buf m;
        tm_buf_init(&m);
        if (dg[i].path && !here)
            tm_buf_printf(&m, "%s:%u:%u: ", dg[i].path, dg[i].line, dg[i].column);
        tm_buf_adds(&m, dg[i].message);
        tm_json_strz(&b, m.p);
        tm_buf_free(&m);
        if (dg[i].rule) {
            tm_buf_adds(&b, ",\"code\":");
            tm_json_strz(&b, dg[i].rule);
        }
        tm_buf_addc(&b, '}');
    }
    const tmlint_finding *f;
    size_t nf = tmlint_result_findings(d->res, &f);
    for (size_t i = 0; i < nf; i++) {
        if (f[i].suppressed || strcmp(f[i].path, d->path))
            continue;   /* suppressed in the file, or in a file it includes */
        tm_buf_adds(&b, any++ ? ",{\"range\":" : "{\"range\":");
        finding_range(s, d, &f[i], &b);
        tm_buf_printf(&b, ",\"severity\":%d,\"code\":", f[i].level == TMLINT_ERROR ? 1 : f[i].level == TMLINT_WARNING ? 2 : 3);
        tm_json_strz(&b, f[i].rule);
        if (tm_bytecode_documented(f[i].rule, f[i].rule_name)) {   /* a team's rule has no page of ours */
            tm_buf href;
            tm_buf_init(&href);
            tm_buf_printf(&href, "%s%s-%s.md", TMLINT_HELP_URI, f[i].rule, f[i].rule_name);
            tm_buf_adds(&b, ",\"codeDescription\":{\"href\":");
            tm_json_strz(&b, href.p);
            tm_buf_free(&href);
            tm_buf_addc(&b, '}');
        }
        tm_buf_adds(&b, ",\"source\":\"tmlint\",\"message\":");
        tm_json_strz(&b, f[i].message);
        tm_buf_addc(&b, '}');
    }
    tm_buf_adds(&b, "]}}");
    send(s, &b);
    tm_buf_free(&b);
}

static void check_doc(lsp *s, doc *d)
{
    tmlint_result_free(d->res);
    d->res = NULL;
    if (tmlint_check_buffer(s->k, d->path, d->text.p ? d->text.p : "", d->text.len, &d->res) != 0)
        return;
    d->dirty = 0;
    publish(s, d);   /* a document that is no model: its (empty) diagnostics, so old ones go */
}

/* Checks what changed, a document at a time, while no newer message
 * waits: an edit typed meanwhile makes the check of the one before moot. */
static void run_checks(lsp *s)
{
    for (size_t i = 0; i < s->ndocs; i++) {
        if (pending(s))
            return;
        if (s->docs[i].dirty)
            check_doc(s, &s->docs[i]);
    }
}

static void all_dirty(lsp *s)
{
    for (size_t i = 0; i < s->ndocs; i++)
        s->docs[i].dirty = 1;
}

/* ---- the methods ---- */

static int offers(const msg *m, uint32_t list, const char *what)
{
    if (list == TM_NONE || m->d->nodes[list].type != TM_NODE_SEQ)
        return 0;
    const tm_node *n = &m->d->nodes[list];
    for (uint32_t i = 0; i < n->len; i++) {
        const char *v = str(m, m->d->kids[n->off + i]);
        if (v && !strcmp(v, what))
            return 1;
    }
    return 0;
}

static void initialize(lsp *s, const msg *m, uint32_t params, const char *id)
{
    uint32_t caps = get(m, params, "capabilities");
    uint32_t general = get(m, get(m, caps, "general"), "positionEncodings");
    uint32_t legacy = get(m, caps, "offsetEncoding");   /* clangd's, which older Neovim sends */
    s->enc = offers(m, general, "utf-32") || offers(m, legacy, "utf-32") ? 32
             : offers(m, general, "utf-8") || offers(m, legacy, "utf-8") ? 8 : 16;
    s->initialized = 1;
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_printf(&b, "{\"capabilities\":{\"positionEncoding\":\"utf-%d\",\"textDocumentSync\":{\"openClose\":true,"
                      "\"change\":1,\"save\":{\"includeText\":false}},\"hoverProvider\":true,"
                      "\"codeActionProvider\":{\"codeActionKinds\":[\"quickfix\"]}},",
                  s->enc);
    if (legacy != TM_NONE)
        tm_buf_printf(&b, "\"offsetEncoding\":\"utf-%d\",", s->enc);
    tm_buf_adds(&b, "\"serverInfo\":{\"name\":\"tmlint\",\"version\":\"" TMLINT_VERSION "\"}}");
    reply(s, id, b.p);
    tm_buf_free(&b);
}

static void did_open(lsp *s, const msg *m, uint32_t params)
{
    uint32_t td = get(m, params, "textDocument");
    size_t tn;
    const char *uri = str(m, get(m, td, "uri")), *text = str_n(m, get(m, td, "text"), &tn);
    if (!uri || !text)
        return;
    doc *d = find_doc(s, uri);
    if (!d) {
        s->docs = tm_xrealloc(s->docs, (s->ndocs + 1) * sizeof *s->docs);
        d = &s->docs[s->ndocs++];
        memset(d, 0, sizeof *d);
        d->uri = tm_xstrdup(uri);
        d->path = uri_path(uri);
    }
    d->text.len = 0;
    tm_buf_add(&d->text, text, tn);
    edited(d);
    d->version = num(m, get(m, td, "version"));
    d->dirty = 1;
}

static void did_change(lsp *s, const msg *m, uint32_t params)
{
    uint32_t td = get(m, params, "textDocument"), changes = get(m, params, "contentChanges");
    const char *uri = str(m, get(m, td, "uri"));
    doc *d = uri ? find_doc(s, uri) : NULL;
    if (!d || changes == TM_NONE || m->d->nodes[changes].type != TM_NODE_SEQ)
        return;
    const tm_node *cn = &m->d->nodes[changes];
    for (uint32_t i = 0; i < cn->len; i++) {
        uint32_t ch = m->d->kids[cn->off + i];
        size_t tn;
        const char *text = str_n(m, get(m, ch, "text"), &tn);
        uint32_t range = get(m, ch, "range");
        if (!text)
            continue;
        if (range == TM_NONE) {   /* the whole text */
            d->text.len = 0;
            tm_buf_add(&d->text, text, tn);
            edited(d);
            continue;
        }
        uint32_t st = get(m, range, "start"), en = get(m, range, "end");
        size_t a = to_offset(s, d, num(m, get(m, st, "line")), num(m, get(m, st, "character")));
        size_t e = to_offset(s, d, num(m, get(m, en, "line")), num(m, get(m, en, "character")));
        if (e < a)
            e = a;
        tm_buf t;
        tm_buf_init(&t);
        tm_buf_add(&t, d->text.p, a);
        tm_buf_add(&t, text, tn);
        tm_buf_add(&t, d->text.p + e, d->text.len - e);
        tm_buf_free(&d->text);
        d->text = t;
        edited(d);
    }
    long v = num(m, get(m, td, "version"));
    if (v >= 0)
        d->version = v;
    d->dirty = 1;
}

static void did_close(lsp *s, const msg *m, uint32_t params)
{
    const char *uri = str(m, get(m, get(m, params, "textDocument"), "uri"));
    doc *d = uri ? find_doc(s, uri) : NULL;
    if (!d)
        return;
    tm_buf b;   /* its diagnostics go with it */
    tm_buf_init(&b);
    tm_buf_adds(&b, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":");
    tm_json_strz(&b, d->uri);
    tm_buf_adds(&b, ",\"diagnostics\":[]}}");
    send(s, &b);
    tm_buf_free(&b);
    doc_free(d);
    *d = s->docs[--s->ndocs];
}

/* The document's YAML tree, for what stands at a position; NULL when it
 * does not parse. */
static int parse_doc(const doc *d, tm_docs *out)
{
    tm_src src;
    tm_diags dg;
    tm_diags_init(&dg);
    tm_limits lim = {TM_DEFAULT_MAX_DEPTH, TM_DEFAULT_MAX_NODES, TM_DEFAULT_MAX_FILE_SIZE, 1};
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (tm_src_from_mem(&src, d->path, d->text.p ? d->text.p : "", d->text.len, &dg) == 0)
        rc = tm_yaml_load(&src, &lim, out, &dg);
    tm_src_free(&src);
    tm_diags_free(&dg);
    if (rc == 0 && (!out->n || out->v[0]->root == TM_NONE)) {
        tm_docs_free(out);
        rc = -1;
    }
    return rc;
}

static int is_native(const tm_doc *t)
{
    return t->nodes[t->root].type == TM_NODE_MAP && tm_node_get(t, t->root, "model", 5, NULL) != TM_NONE;
}

/* The keys from the root down to the key node k (list entries left out). */
static size_t key_path(const tm_doc *t, uint32_t k, const char **keys, size_t max)
{
    size_t n = 0;
    const char *rev[64];
    for (uint32_t cur = k; cur != TM_NONE && n < 64;) {
        const tm_pos *c = &t->pos[cur];
        uint32_t p = c->parent;
        if (p == TM_NONE)
            break;
        const tm_node *pn = &t->nodes[p];
        if (pn->type == TM_NODE_MAP) {
            uint32_t key = cur == k ? k : t->kids[pn->off + (c->pidx & ~1u)];
            rev[n++] = tm_node_str(t, &t->nodes[key]);
        }
        cur = p;
    }
    size_t m = 0;
    while (n && m < max)
        keys[m++] = rev[--n];
    return m;
}

static void hover(lsp *s, const msg *m, uint32_t params, const char *id)
{
    const char *uri = str(m, get(m, get(m, params, "textDocument"), "uri"));
    uint32_t pos = get(m, params, "position");
    long line = num(m, get(m, pos, "line")), ch = num(m, get(m, pos, "character"));
    doc *d = uri ? find_doc(s, uri) : NULL;
    if (!d || line < 0 || ch < 0) {
        reply_error(s, id, -32602, "hover needs textDocument.uri of an open document and a position");
        return;
    }
    if (d->dirty)
        check_doc(s, d);
    tm_buf md;
    tm_buf_init(&md);
    /* the findings under the cursor: each rule's explanation, once */
    const tmlint_finding *f;
    size_t nf = tmlint_result_findings(d->res, &f);
    for (size_t i = 0; i < nf; i++) {
        if (strcmp(f[i].path, d->path) || f[i].line == 0 || (long)f[i].line - 1 != line)
            continue;
        unsigned a = to_char(s, d, f[i].line, f[i].column);
        unsigned e = f[i].end_line == f[i].line && f[i].end_column > f[i].column
                         ? to_char(s, d, f[i].line, f[i].end_column) : to_char(s, d, f[i].line, 1u << 30);
        if ((unsigned long)ch < a || (unsigned long)ch > e)
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(f[j].rule, f[i].rule) && (long)f[j].line - 1 == line;
        tmlint_rule_info r;
        if (seen || tmlint_rule(s->k, f[i].rule, &r) != 0)
            continue;
        tm_buf_printf(&md, "%s**%s %s** (%s)\n\n%s\n\n%s", md.len ? "\n\n---\n\n" : "", r.id, r.name,
                      level_name[r.level], r.summary, r.help);
    }
    /* else, on a key of the native format, what it means */
    tm_docs t;
    if (!md.len && parse_doc(d, &t) == 0) {
        const tm_doc *td = t.v[0];
        unsigned col = 0;   /* the code-point column under the cursor */
        size_t off = to_offset(s, d, line, ch), ls = line_start(d, (unsigned)line);
        for (size_t i = ls; ls != SIZE_MAX && i < off;) {
            size_t k = tm_utf8_len((const unsigned char *)d->text.p + i, d->text.len - i);
            i += k ? k : 1;
            col++;
        }
        col++;
        for (uint32_t i = 0; is_native(td) && i < td->n; i++) {
            const tm_node *nn = &td->nodes[i];
            const tm_pos *n = &td->pos[i];
            if (nn->type != TM_NODE_SCALAR || n->parent == TM_NONE || td->nodes[n->parent].type != TM_NODE_MAP ||
                (n->pidx & 1) || n->line != (uint32_t)line + 1 || col < n->col ||
                (n->end_line == n->line && col > n->end_col))
                continue;
            const char *keys[32];
            size_t nk = key_path(td, i, keys, 32);
            tm_schema_key_doc(keys, nk, &md);
            break;
        }
        tm_docs_free(&t);
    }
    if (!md.len) {
        reply(s, id, "null");
    } else {
        tm_buf b;
        tm_buf_init(&b);
        tm_buf_adds(&b, "{\"contents\":{\"kind\":\"markdown\",\"value\":");
        tm_json_strz(&b, md.p);
        tm_buf_adds(&b, "}}");
        reply(s, id, b.p);
        tm_buf_free(&b);
    }
    tm_buf_free(&md);
}

/* The first key of the block mapping a finding is on (the element itself,
 * or the mapping holding the key or value it points at), where a
 * tmlint-ignore entry goes; TM_NONE when there is none to write into. */
static uint32_t element_of(const tm_doc *t, unsigned line, unsigned col)
{
    uint32_t hit = TM_NONE;
    for (uint32_t i = 0; i < t->n && hit == TM_NONE; i++)
        if (t->pos[i].line == line && t->pos[i].col == col)
            hit = i;
    while (hit != TM_NONE && t->nodes[hit].type != TM_NODE_MAP)
        hit = t->pos[hit].parent;
    if (hit == TM_NONE || !t->nodes[hit].len)
        return TM_NONE;
    const tm_node *m = &t->nodes[hit];
    uint32_t first = t->kids[m->off];
    /* a flow mapping ({...}) starts at its brace, not at its first key */
    if (t->pos[first].line != t->pos[hit].line || t->pos[first].col != t->pos[hit].col)
        return TM_NONE;
    return hit;
}

/* A quick fix replacing the bytes [a, e) of the document with `text`. */
static void put_action(const lsp *s, const doc *d, tm_buf *b, int *any, const char *title, int preferred, size_t a,
                       size_t e, const char *text)
{
    unsigned al, ac, el, ec;
    to_position(s, d, a, &al, &ac);
    to_position(s, d, e, &el, &ec);
    tm_buf_adds(b, (*any)++ ? ",{\"title\":" : "{\"title\":");
    tm_json_strz(b, title);
    tm_buf_printf(b, ",\"kind\":\"quickfix\",%s\"edit\":{\"changes\":{", preferred ? "\"isPreferred\":true," : "");
    tm_json_strz(b, d->uri);
    tm_buf_adds(b, ":[{\"range\":");
    put_range(b, al, ac, el, ec);
    tm_buf_adds(b, ",\"newText\":");
    tm_json_strz(b, text);
    tm_buf_adds(b, "}]}}}");
}

static void code_action(lsp *s, const msg *m, uint32_t params, const char *id)
{
    const char *uri = str(m, get(m, get(m, params, "textDocument"), "uri"));
    uint32_t range = get(m, params, "range");
    long l0 = num(m, get(m, get(m, range, "start"), "line")), l1 = num(m, get(m, get(m, range, "end"), "line"));
    doc *d = uri ? find_doc(s, uri) : NULL;
    if (!d || l0 < 0 || l1 < l0) {
        reply_error(s, id, -32602, "codeAction needs textDocument.uri of an open document and a range");
        return;
    }
    if (d->dirty)
        check_doc(s, d);
    tm_docs t;
    int parsed = parse_doc(d, &t) == 0;
    tm_buf b;
    tm_buf_init(&b);
    tm_buf_addc(&b, '[');
    int any = 0;
    const tmlint_finding *f;
    size_t nf = tmlint_result_findings(d->res, &f);
    for (size_t i = 0; i < nf; i++) {
        if (f[i].suppressed || strcmp(f[i].path, d->path) || (long)f[i].line - 1 < l0 || (long)f[i].line - 1 > l1)
            continue;
        const char *text = d->text.p ? d->text.p : "";
        /* the did-you-mean: the key or value's bytes, inside its quotes,
         * when they still read as what the rule saw (as check --fix) */
        if (f[i].fix && f[i].fix_old && tm_fix_safe_text(f[i].fix)) {
            size_t a = tm_fix_offset(text, d->text.len, f[i].line, f[i].column);
            size_t e = tm_fix_offset(text, d->text.len, f[i].end_line, f[i].end_column);
            if (a != SIZE_MAX && e != SIZE_MAX && e > a + 1 && (text[a] == '"' || text[a] == '\'') && text[e - 1] == text[a]) {
                a++;
                e--;
            }
            if (a != SIZE_MAX && e != SIZE_MAX && e > a && e - a == strlen(f[i].fix_old) && !memcmp(text + a, f[i].fix_old, e - a)) {
                tm_buf title;
                tm_buf_init(&title);
                tm_buf_printf(&title, "Replace '%s' with '%s' (%s)", f[i].fix_old, f[i].fix, f[i].rule);
                put_action(s, d, &b, &any, title.p, 1, a, e, f[i].fix);
                tm_buf_free(&title);
            }
        }
        /* a suppression with its reason left to write (TM005 asks for it
         * until it is written): in the native format's block mappings */
        uint32_t el = parsed && is_native(t.v[0]) ? element_of(t.v[0], f[i].line, f[i].column) : TM_NONE;
        if (el == TM_NONE)
            continue;
        const tm_doc *td = t.v[0];
        const tm_pos *mp = &td->pos[el];
        uint32_t ign_key = TM_NONE, ign = tm_node_get(td, el, "tmlint-ignore", 13, &ign_key);
        tm_buf ins;
        tm_buf_init(&ins);
        unsigned at_line, at_col;
        if (ign == TM_NONE) {   /* a new key before the first */
            at_line = mp->line;
            at_col = mp->col;
            unsigned pad = at_col - 1;
            tm_buf_printf(&ins, "tmlint-ignore:\n%*s  - rule: %s\n%*s    reason: \n%*s", (int)pad, "", f[i].rule, (int)pad,
                          "", (int)pad, "");
        } else if (td->nodes[ign].type == TM_NODE_SEQ && td->nodes[ign].len &&
                   td->pos[td->kids[td->nodes[ign].off]].line > td->pos[ign_key].line) {
            /* a block list already there: a new entry before its first */
            const tm_pos *item = &td->pos[td->kids[td->nodes[ign].off]];

            at_line = item->line;
            at_col = item->col;
            unsigned pad = at_col - 1;
            tm_buf_printf(&ins, "rule: %s\n%*sreason: \n%*s- ", f[i].rule, (int)pad, "", pad >= 2 ? (int)pad - 2 : 0, "");
        } else {
            tm_buf_free(&ins);
            continue;
        }
        size_t off = tm_fix_offset(text, d->text.len, at_line, at_col);
        if (off == SIZE_MAX) {
            tm_buf_free(&ins);
            continue;
        }
        tm_buf title;
        tm_buf_init(&title);
        tm_buf_printf(&title, "Suppress %s here, with a reason to write", f[i].rule);
        put_action(s, d, &b, &any, title.p, 0, off, off, ins.p);
        tm_buf_free(&title);
        tm_buf_free(&ins);
    }
    tm_buf_addc(&b, ']');
    if (parsed)
        tm_docs_free(&t);
    reply(s, id, b.p);
    tm_buf_free(&b);
}

/* 1 when the server is to stop (exit). */
static int handle(lsp *s, const char *body, size_t len, int *exit_code)
{
    tm_buf clean;   /* a copy only when an escape could be a surrogate's */
    tm_buf_init(&clean);
    int copy = memmem(body, len, "\\ud", 3) || memmem(body, len, "\\uD", 3);
    if (copy)
        surrogates_to_utf8(body, len, &clean);
    else
        tm_buf_add(&clean, body, len);
    msg m;
    memset(&m, 0, sizeof m);
    tm_src src;
    tm_diags dg;
    tm_diags_init(&dg);
    /* a message nests little: a depth of 64 and the nodes of the largest
     * document tmlint reads are plenty */
    tm_limits lim = {64, 50000000ull, LSP_MAX_BODY, 1};
    int ok = tm_src_from_mem(&src, "message", clean.p ? clean.p : "", clean.len, &dg) == 0 &&
             tm_yaml_load(&src, &lim, &m.docs, &dg) == 0 && m.docs.n == 1;
    tm_src_free(&src);
    tm_buf_free(&clean);
    if (ok) {
        m.d = m.docs.v[0];
        m.root = m.d->root;
        ok = m.root != TM_NONE && m.d->nodes[m.root].type == TM_NODE_MAP;
    }
    if (!ok) {
        tm_buf e;
        tm_buf_init(&e);
        tm_buf_printf(&e, "parse error: %s", dg.n ? dg.v[0].msg : "not a JSON object");
        reply_error(s, NULL, -32700, e.p);
        tm_buf_free(&e);
        tm_diags_free(&dg);
        if (m.docs.n)
            tm_docs_free(&m.docs);
        return 0;
    }
    tm_diags_free(&dg);
    uint32_t idn = get(&m, m.root, "id");
    const char *method = str(&m, get(&m, m.root, "method"));
    uint32_t params = get(&m, m.root, "params");
    char *id = idn != TM_NONE ? id_json(&m, idn) : NULL;
    int stop = 0;
    if (!method) {
        if (idn == TM_NONE || get(&m, m.root, "result") == TM_NONE)   /* not a response to us */
            reply_error(s, id, -32600, "a request needs a method");
    } else if (idn != TM_NONE) {   /* a request */
        if (!id)
            reply_error(s, NULL, -32600, "a request's id is a number or a string");
        else if (!strcmp(method, "initialize"))
            initialize(s, &m, params, id);
        else if (!s->initialized)
            reply_error(s, id, -32002, "the server is not initialized yet");
        else if (s->shutdown)
            reply_error(s, id, -32600, "the server is shutting down");
        else if (!strcmp(method, "shutdown")) {
            s->shutdown = 1;
            reply(s, id, "null");
        } else if (!strcmp(method, "textDocument/hover"))
            hover(s, &m, params, id);
        else if (!strcmp(method, "textDocument/codeAction"))
            code_action(s, &m, params, id);
        else {
            tm_buf e;
            tm_buf_init(&e);
            tm_buf_printf(&e, "tmlint does not serve '%s'", method);
            reply_error(s, id, -32601, e.p);
            tm_buf_free(&e);
        }
    } else if (!strcmp(method, "exit")) {
        *exit_code = s->shutdown ? 0 : 1;
        stop = 1;
    } else if (s->initialized && !s->shutdown) {   /* notifications; others are dropped */
        if (!strcmp(method, "textDocument/didOpen"))
            did_open(s, &m, params);
        else if (!strcmp(method, "textDocument/didChange"))
            did_change(s, &m, params);
        else if (!strcmp(method, "textDocument/didClose"))
            did_close(s, &m, params);
        else if (!strcmp(method, "textDocument/didSave") || !strcmp(method, "workspace/didChangeWatchedFiles") ||
                 !strcmp(method, "workspace/didChangeConfiguration"))
            all_dirty(s);   /* a configuration or a rule may have changed on disk */
    }
    free(id);
    tm_docs_free(&m.docs);
    return stop;
}

int tm_lsp_serve(const tmlint_options *opts, int in, int out)
{
    lsp s;
    memset(&s, 0, sizeof s);
    s.in = in;
    s.out = out;
    s.enc = 16;
    char *err = NULL;
    s.k = tmlint_checker_new(opts, &err);
    if (!s.k) {
        fprintf(stderr, "tmlint lsp: %s\n", err ? err : "cannot set up");
        free(err);
        return 1;
    }
    int exit_code = 1;
    for (;;) {
        const char *body;
        size_t len;
        int r = read_frame(&s, &body, &len);
        if (r == 0)
            break;   /* the client went away without exit */
        if (r > 0 && handle(&s, body, len, &exit_code))
            break;
        if (!pending(&s))
            run_checks(&s);
    }
    for (size_t i = 0; i < s.ndocs; i++)
        doc_free(&s.docs[i]);
    free(s.docs);
    tm_buf_free(&s.buf);
    tmlint_checker_free(s.k);
    return exit_code;
}
