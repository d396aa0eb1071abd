/*
 * csv.c — row reader over libcsv (Debian libcsv-dev) with line numbers.
 *
 * libcsv does the quoting rules; this file adds what our loaders need: the
 * file is fed to the parser one physical line at a time so every record is
 * reported with the line on which it ends, the header is checked, and the
 * field count of every record must match it.
 */
#include "csvread.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    bal_ctx *ctx;
    const char *path;
    const char *const *cols;
    int ncols;
    bal_csv_row_fn fn;
    void *ud;
    long line;       /* current physical line (1-based) */
    long records;    /* records seen, header included */
    int status;      /* first failure, BAL_OK while reading */
    /* fields of the record being assembled */
    char *buf;
    size_t buf_len, buf_cap;
    size_t *off;
    int nfields, fields_cap;
    char **ptrs;
} reader;

static int grow(reader *r, size_t need)
{
    if (r->buf_len + need <= r->buf_cap)
        return BAL_OK;
    size_t cap = r->buf_cap ? r->buf_cap : 256;
    while (cap < r->buf_len + need)
        cap *= 2;
    char *nb = bal_realloc(r->ctx, r->buf, cap);
    if (nb == NULL)
        return BAL_ENOMEM;
    r->buf = nb;
    r->buf_cap = cap;
    return BAL_OK;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->status != BAL_OK)
        return;
    if (r->nfields == r->fields_cap) {
        int cap = r->fields_cap ? 2 * r->fields_cap : 16;
        size_t *no = bal_realloc(r->ctx, r->off, (size_t)cap * sizeof *no);
        if (no == NULL) {
            r->status = BAL_ENOMEM;
            return;
        }
        r->off = no;
        char **np = bal_realloc(r->ctx, r->ptrs, (size_t)cap * sizeof *np);
        if (np == NULL) {
            r->status = BAL_ENOMEM;
            return;
        }
        r->ptrs = np;
        r->fields_cap = cap;
    }
    if (grow(r, len + 1) != BAL_OK) {
        r->status = BAL_ENOMEM;
        return;
    }
    r->off[r->nfields++] = r->buf_len;
    if (len > 0)
        memcpy(r->buf + r->buf_len, s, len);
    r->buf_len += len;
    r->buf[r->buf_len++] = '\0';
}

static void on_record(int c, void *data)
{
    (void)c;
    reader *r = data;
    if (r->status != BAL_OK)
        goto reset;
    for (int i = 0; i < r->nfields; i++)
        r->ptrs[i] = r->buf + r->off[i];
    r->records++;
    if (r->records == 1) {
        /* header: strip a UTF-8 byte-order mark, compare names */
        if (r->nfields > 0 && (unsigned char)r->ptrs[0][0] == 0xEF &&
            (unsigned char)r->ptrs[0][1] == 0xBB && (unsigned char)r->ptrs[0][2] == 0xBF)
            r->ptrs[0] += 3;
        int ok = r->nfields == r->ncols;
        for (int i = 0; ok && i < r->ncols; i++)
            ok = strcmp(r->ptrs[i], r->cols[i]) == 0;
        if (!ok) {
            char want[512];
            size_t n = 0;
            want[0] = '\0';
            for (int i = 0; i < r->ncols && n < sizeof want; i++)
                n += (size_t)snprintf(want + n, sizeof want - n, "%s%s", i ? "," : "", r->cols[i]);
            r->status = bal_raise(r->ctx, BAL_EDATA, r->path, r->line,
                                  "wrong header: expected '%s'", want);
        }
        goto reset;
    }
    if (r->nfields != r->ncols) {
        r->status = bal_raise(r->ctx, BAL_EDATA, r->path, r->line,
                              "expected %d fields, found %d", r->ncols, r->nfields);
        goto reset;
    }
    bal_csv_row row = {r->path, r->line, r->nfields, r->ptrs};
    int st = r->fn(r->ctx, &row, r->ud);
    if (st != BAL_OK)
        r->status = st;
reset:
    r->nfields = 0;
    r->buf_len = 0;
}


int bal_csv_read(bal_ctx *ctx, const char *path, const char *const *cols, int ncols,
                 bal_csv_row_fn fn, void *ud)
{
    size_t len = 0;
    char *data = bal_file_read(ctx, path, &len);
    if (data == NULL)
        return bal_ctx_status(ctx);
    const int st = bal_csv_read_text(ctx, path, data, len, cols, ncols, fn, ud);
    bal_free(ctx, data);
    return st;
}

int bal_csv_read_text(bal_ctx *ctx, const char *path, const char *data, size_t len,
                      const char *const *cols, int ncols, bal_csv_row_fn fn, void *ud)
{
    reader r = {.ctx = ctx, .path = path, .cols = cols, .ncols = ncols, .fn = fn, .ud = ud};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return bal_raise(ctx, BAL_ENOMEM, path, 0, "cannot initialise CSV parser");
    size_t pos = 0;
    while (pos < len && r.status == BAL_OK) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) + 1 : len; /* include the newline */
        r.line++;
        if (csv_parse(&p, data + pos, end - pos, on_field, on_record, &r) != end - pos &&
            r.status == BAL_OK)
            r.status = bal_raise(ctx, BAL_EDATA, path, r.line, "malformed CSV: %s",
                                 csv_strerror(csv_error(&p)));
        pos = end;
    }
    if (r.status == BAL_OK && csv_fini(&p, on_field, on_record, &r) != 0 && r.status == BAL_OK)
        r.status = bal_raise(ctx, BAL_EDATA, path, r.line, "malformed CSV at end of file: %s",
                             csv_strerror(csv_error(&p)));
    if (r.status == BAL_OK && r.records == 0)
        r.status = bal_raise(ctx, BAL_EDATA, path, 1, "empty file: no header");
    if (r.status == BAL_OK && r.records == 1)
        r.status = bal_raise(ctx, BAL_EDATA, path, 1, "no data rows: only the header");
    csv_free(&p);
    bal_free(ctx, r.buf);
    bal_free(ctx, r.off);
    bal_free(ctx, r.ptrs);
    return r.status;
}

int bal_csv_long(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, long lo,
                 long hi, long *out)
{
    const char *s = row->field[col];
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno != 0)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "%s: not an integer: '%s'",
                         name, s);
    if (v < lo || v > hi)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "%s: %ld out of range [%ld, %ld]", name, v, lo, hi);
    *out = v;
    return BAL_OK;
}

int bal_csv_double(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, double lo,
                   double hi, double *out)
{
    const char *s = row->field[col];
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "%s: not a number: '%s'", name,
                         s);
    if (v < lo || v > hi)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "%s: %g out of range [%g, %g]",
                         name, v, lo, hi);
    *out = v;
    return BAL_OK;
}

int bal_csv_count(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, double *out)
{
    const char *s = row->field[col];
    /* fast path: up to 15 plain digits are exact in a double; anything else
       (signs, decimals, exponents, errors) goes through strtod below */
    int64_t acc = 0;
    int nd = 0;
    while (s[nd] >= '0' && s[nd] <= '9' && nd < 15)
        acc = acc * 10 + (s[nd++] - '0');
    if (nd > 0 && s[nd] == '\0') {
        *out = (double)acc;
        return BAL_OK;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "%s: not a number: '%s'", name,
                         s);
    if (v < 0)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "%s: negative count %s", name,
                         s);
    if (v != floor(v))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "%s: count is not whole: %s",
                         name, s);
    *out = v;
    return BAL_OK;
}

int bal_csv_double_opt(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, double lo,
                       double hi, double *out)
{
    if (row->field[col][0] == '\0') {
        *out = NAN;
        return BAL_OK;
    }
    return bal_csv_double(ctx, row, col, name, lo, hi, out);
}

/* Length of the UTF-8 sequence at s (shortest form, no surrogates, at most
   U+10FFFF), 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s)
{
    const unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min, cp;
    if ((c & 0xE0) == 0xC0)
        n = 2, min = 0x80, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
        n = 3, min = 0x800, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
        n = 4, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

int bal_csv_text(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, size_t max,
                 int required)
{
    const unsigned char *s = (const unsigned char *)row->field[col];
    if (required && s[0] == '\0')
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "%s: empty", name);
    size_t i = 0;
    while (s[i] != '\0') {
        if (s[i] < 0x20 || s[i] == 0x7F)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "%s: control character 0x%02x at byte %zu", name, s[i], i + 1);
        const size_t n = utf8_seq(s + i);
        if (n == 0)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "%s: not valid UTF-8 at byte %zu", name, i + 1);
        i += n;
        if (i >= max)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "%s: longer than %zu bytes", name, max - 1);
    }
    return BAL_OK;
}

int bal_csv_ident(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, size_t max)
{
    const char *s = row->field[col];
    const size_t n = strlen(s);
    if (n == 0 || n >= max ||
        strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "%s: expected a name of 1 to %zu characters a-z, 0-9 or _, found '%.*s'",
                         name, max - 1, n > 80 ? 80 : (int)n, s);
    return BAL_OK;
}

int bal_csv_enum(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name,
                 const char *const *allowed, int n, int *out)
{
    const char *s = row->field[col];
    for (int i = 0; i < n; i++)
        if (strcmp(s, allowed[i]) == 0) {
            if (out)
                *out = i;
            return BAL_OK;
        }
    char want[512];
    size_t k = 0;
    want[0] = '\0';
    for (int i = 0; i < n && k < sizeof want; i++)
        k += (size_t)snprintf(want + k, sizeof want - k, "%s%s", i ? ", " : "", allowed[i]);
    return bal_raise(ctx, BAL_EDATA, row->file, row->line, "%s: expected one of %s, found '%.80s'",
                     name, want, s);
}
