/*
 * test_csv.c — bal_csv_read (src/io/csvread.h): quoting, CRLF, BOM, line
 * numbers, field counts, empty and missing files; and the field parsers.
 * Every test writes its files into its own fresh temp directory.
 */
#include "balance/core.h"
#include "csvread.h"

#include "testutil.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#define MAXROWS 8
#define MAXF 4

typedef struct collect {
    int nrows;
    long line[MAXROWS];
    int nfields[MAXROWS];
    char field[MAXROWS][MAXF][64];
    int fail_at; /* 1-based row whose callback fails, 0 for none */
} collect;

static int on_row(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    collect *c = ud;
    if (c->nrows < MAXROWS) {
        c->line[c->nrows] = row->line;
        c->nfields[c->nrows] = row->nfields;
        for (int i = 0; i < row->nfields && i < MAXF; i++)
            snprintf(c->field[c->nrows][i], sizeof c->field[0][0], "%s", row->field[i]);
    }
    c->nrows++;
    if (c->nrows == c->fail_at)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "callback refused row %d",
                         c->nrows);
    return BAL_OK;
}

typedef struct result {
    int setup_ok;
    int status;
    long line;
    char file[512];
    char message[512];
    char path[512];
} result;

/* Write `text` (len bytes) to a temp file, read it with columns `cols`. */
static result read_text(const char *text, size_t len, const char *const *cols, int ncols,
                        collect *c)
{
    result r;
    memset(&r, 0, sizeof r);
    char dir[256];
    if (tu_mkdtemp("csv", dir, sizeof dir) != 0)
        return r;
    snprintf(r.path, sizeof r.path, "%s/t.csv", dir);
    if (tu_write(r.path, text, len) == 0) {
        r.setup_ok = 1;
        bal_ctx *ctx = bal_ctx_alloc();
        r.status = bal_csv_read(ctx, r.path, cols, ncols, on_row, c);
        r.line = bal_ctx_line(ctx);
        snprintf(r.file, sizeof r.file, "%s", bal_ctx_file(ctx));
        snprintf(r.message, sizeof r.message, "%s", bal_ctx_message(ctx));
        bal_ctx_free(ctx);
    }
    tu_rm_rf(dir);
    return r;
}

static const char *const AB[] = {"a", "b"};
static const char *const ABC[] = {"a", "b", "c"};

#define READ(text, cols, n, c) read_text(text, sizeof(text) - 1, cols, n, c)

Test(csv, quoted_fields)
{
    collect c = {0};
    result r = READ("a,b,c\n1,\"x, y\",\"he said \"\"hi\"\"\"\n\"\",plain,\"q\"\n", ABC, 3, &c);
    cr_assert(r.setup_ok);
    cr_assert_eq(r.status, BAL_OK, "%s", r.message);
    cr_assert_eq(c.nrows, 2);
    cr_assert_str_eq(c.field[0][0], "1");
    cr_assert_str_eq(c.field[0][1], "x, y");
    cr_assert_str_eq(c.field[0][2], "he said \"hi\"");
    cr_assert_str_eq(c.field[1][0], "");
    cr_assert_str_eq(c.field[1][1], "plain");
    cr_assert_str_eq(c.field[1][2], "q");
    cr_assert_eq(c.line[0], 2);
    cr_assert_eq(c.line[1], 3);
}

/* A quoted newline: the record is reported on the line where it ends. */
Test(csv, multiline_field_line_numbers)
{
    collect c = {0};
    result r = READ("a,b\n7,\"first\nsecond\"\n8,9\n", AB, 2, &c);
    cr_assert_eq(r.status, BAL_OK, "%s", r.message);
    cr_assert_eq(c.nrows, 2);
    cr_assert_str_eq(c.field[0][1], "first\nsecond");
    cr_assert_eq(c.line[0], 3);
    cr_assert_eq(c.line[1], 4);
}

Test(csv, crlf_line_ends)
{
    collect c = {0};
    result r = READ("a,b\r\n13,27\r\n\"31\",42\r\n", AB, 2, &c);
    cr_assert_eq(r.status, BAL_OK, "%s", r.message);
    cr_assert_eq(c.nrows, 2);
    cr_assert_str_eq(c.field[0][1], "27"); /* no stray \r */
    cr_assert_str_eq(c.field[1][0], "31");
    cr_assert_str_eq(c.field[1][1], "42");
    cr_assert_eq(c.line[0], 2);
    cr_assert_eq(c.line[1], 3);
}

Test(csv, bom_in_header)
{
    collect c = {0};
    result r = READ("\xEF\xBB\xBF" "a,b\n5,6\n", AB, 2, &c);
    cr_assert_eq(r.status, BAL_OK, "%s", r.message);
    cr_assert_eq(c.nrows, 1);
    cr_assert_str_eq(c.field[0][0], "5");
    /* the BOM is stripped from the header only: a BOM-prefixed wrong name fails */
    collect c2 = {0};
    result r2 = READ("\xEF\xBB\xBF" "x,b\n5,6\n", AB, 2, &c2);
    cr_assert_eq(r2.status, BAL_EDATA);
    cr_assert(strstr(r2.message, "wrong header: expected 'a,b'") != NULL, "%s", r2.message);
}

Test(csv, last_line_without_newline)
{
    collect c = {0};
    result r = READ("a,b\n1,2\n3,4", AB, 2, &c);
    cr_assert_eq(r.status, BAL_OK, "%s", r.message);
    cr_assert_eq(c.nrows, 2);
    cr_assert_str_eq(c.field[1][1], "4");
    cr_assert_eq(c.line[1], 3);
}

/* a table with no data rows is refused (issue 18: accepted silently before) */
Test(csv, header_only)
{
    collect c = {0};
    result r = READ("a,b\n", AB, 2, &c);
    cr_assert_eq(r.status, BAL_EDATA);
    cr_assert_eq(r.line, 1);
    cr_assert(strstr(r.message, "no data rows") != NULL, "%s", r.message);
    cr_assert_eq(c.nrows, 0);
}

Test(csv, empty_file)
{
    collect c = {0};
    result r = read_text("", 0, AB, 2, &c);
    cr_assert(r.setup_ok);
    cr_assert_eq(r.status, BAL_EDATA);
    cr_assert_eq(r.line, 1);
    cr_assert_str_eq(r.file, r.path);
    cr_assert(strstr(r.message, "empty file") != NULL, "%s", r.message);
    cr_assert_eq(c.nrows, 0);
}

Test(csv, header_wrong_count_or_name)
{
    collect c = {0};
    result r = READ("a,b,c\n1,2,3\n", AB, 2, &c);
    cr_assert_eq(r.status, BAL_EDATA);
    cr_assert_eq(r.line, 1);
    cr_assert_eq(c.nrows, 0);
    result r2 = READ("a,B\n1,2\n", AB, 2, &c);
    cr_assert_eq(r2.status, BAL_EDATA);
    cr_assert(strstr(r2.message, "wrong header") != NULL);
}

Test(csv, wrong_field_count_stops)
{
    collect c = {0};
    result r = READ("a,b\n1,2\n3,4,5\n6,7\n", AB, 2, &c);
    cr_assert_eq(r.status, BAL_EDATA);
    cr_assert_eq(r.line, 3);
    cr_assert_str_eq(r.file, r.path);
    cr_assert_str_eq(r.message, "expected 2 fields, found 3");
    cr_assert_eq(c.nrows, 1, "rows after the error must not be delivered");
    collect c2 = {0};
    result r2 = READ("a,b\n1\n", AB, 2, &c2);
    cr_assert_eq(r2.status, BAL_EDATA);
    cr_assert_str_eq(r2.message, "expected 2 fields, found 1");
}

Test(csv, callback_failure_stops)
{
    collect c = {0};
    c.fail_at = 2;
    result r = READ("a,b\n1,2\n3,4\n5,6\n7,8\n", AB, 2, &c);
    cr_assert_eq(r.status, BAL_EDATA);
    cr_assert_eq(r.line, 3);
    cr_assert_str_eq(r.message, "callback refused row 2");
    cr_assert_eq(c.nrows, 2);
}

Test(csv, unterminated_quote)
{
    collect c = {0};
    result r = READ("a,b\n1,\"never closed\n", AB, 2, &c);
    cr_assert_eq(r.status, BAL_EDATA);
    cr_assert(strstr(r.message, "malformed CSV") != NULL, "%s", r.message);
    cr_assert_eq(c.nrows, 0);
}

Test(csv, quote_inside_unquoted_field)
{
    collect c = {0};
    result r = READ("a,b\n1,2\n3,4\"5\n", AB, 2, &c);
    cr_assert_eq(r.status, BAL_EDATA);
    cr_assert_eq(r.line, 3);
    cr_assert(strstr(r.message, "malformed CSV") != NULL, "%s", r.message);
    cr_assert_eq(c.nrows, 1);
}

Test(csv, missing_file)
{
    collect c = {0};
    bal_ctx *ctx = bal_ctx_alloc();
    cr_assert_eq(bal_csv_read(ctx, "/nonexistent/balance/t.csv", AB, 2, on_row, &c), BAL_EIO);
    cr_assert_str_eq(bal_ctx_file(ctx), "/nonexistent/balance/t.csv");
    cr_assert_eq(bal_ctx_line(ctx), 0);
    cr_assert(strstr(bal_ctx_message(ctx), "cannot open") != NULL);
    bal_ctx_free(ctx);
}

/* A file larger than the reader's first 64 KiB buffer is read whole. */
Test(csv, large_file)
{
    char dir[256];
    cr_assert_eq(tu_mkdtemp("csv", dir, sizeof dir), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/big.csv", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("a,b\n", f);
    const int n = 23719; /* ~ 250 KiB */
    for (int i = 0; i < n; i++)
        fprintf(f, "%d,row-%07d\n", i, i);
    fclose(f);
    collect c = {0};
    bal_ctx *ctx = bal_ctx_alloc();
    int st = bal_csv_read(ctx, path, AB, 2, on_row, &c);
    bal_ctx_free(ctx);
    tu_rm_rf(dir);
    cr_assert_eq(st, BAL_OK);
    cr_assert_eq(c.nrows, n);
}

/* ---- field parsers ---- */

static bal_csv_row one_field(char **f, int n)
{
    bal_csv_row row = {"fx.csv", 17, n, f};
    return row;
}

Test(csv_fields, integers)
{
    char a[] = "2031", b[] = "4x2", c[] = "", d[] = "-7", e[] = "99999999999999999999999";
    char *f[] = {a, b, c, d, e};
    bal_csv_row row = one_field(f, 5);
    bal_ctx *ctx = bal_ctx_alloc();
    long v = 0;
    cr_assert_eq(bal_csv_long(ctx, &row, 0, "year", 1900, 2100, &v), BAL_OK);
    cr_assert_eq(v, 2031);
    cr_assert_eq(bal_csv_long(ctx, &row, 1, "year", 1900, 2100, &v), BAL_EDATA);
    cr_assert_str_eq(bal_ctx_message(ctx), "year: not an integer: '4x2'");
    cr_assert_str_eq(bal_ctx_file(ctx), "fx.csv");
    cr_assert_eq(bal_ctx_line(ctx), 17);
    cr_assert_eq(bal_csv_long(ctx, &row, 2, "year", 1900, 2100, &v), BAL_EDATA);
    cr_assert_eq(bal_csv_long(ctx, &row, 3, "age", 0, 100, &v), BAL_EDATA);
    cr_assert_str_eq(bal_ctx_message(ctx), "age: -7 out of range [0, 100]");
    cr_assert_eq(bal_csv_long(ctx, &row, 4, "n", 0, 100, &v), BAL_EDATA);
    cr_assert_eq(v, 2031, "output untouched on failure");
    bal_ctx_free(ctx);
}

Test(csv_fields, doubles)
{
    char a[] = "3e-04", b[] = "7.501e-05", c[] = "nan", d[] = "1e400", e[] = "0.25x",
         g[] = "1.0001";
    char *f[] = {a, b, c, d, e, g};
    bal_csv_row row = one_field(f, 6);
    bal_ctx *ctx = bal_ctx_alloc();
    double v = 0.0;
    cr_assert_eq(bal_csv_double(ctx, &row, 0, "qx", 0.0, 1.0, &v), BAL_OK);
    cr_assert_eq(v, 0.0003);
    cr_assert_eq(bal_csv_double(ctx, &row, 1, "mx", 0.0, 10.0, &v), BAL_OK);
    cr_assert_eq(v, 7.501e-05);
    cr_assert_eq(bal_csv_double(ctx, &row, 2, "qx", 0.0, 1.0, &v), BAL_EDATA);
    cr_assert_str_eq(bal_ctx_message(ctx), "qx: not a number: 'nan'");
    cr_assert_eq(bal_csv_double(ctx, &row, 3, "qx", 0.0, 1.0, &v), BAL_EDATA);
    cr_assert_eq(bal_csv_double(ctx, &row, 4, "qx", 0.0, 1.0, &v), BAL_EDATA);
    cr_assert_eq(bal_csv_double(ctx, &row, 5, "qx", 0.0, 1.0, &v), BAL_EDATA);
    cr_assert(strstr(bal_ctx_message(ctx), "out of range") != NULL);
    cr_assert_eq(v, 7.501e-05);
    bal_ctx_free(ctx);
}

Test(csv_fields, counts)
{
    char a[] = "1232619", b[] = "-3", c[] = "2.5", d[] = "0", e[] = "12 ";
    char *f[] = {a, b, c, d, e};
    bal_csv_row row = one_field(f, 5);
    bal_ctx *ctx = bal_ctx_alloc();
    double v = -1.0;
    cr_assert_eq(bal_csv_count(ctx, &row, 0, "migrants", &v), BAL_OK);
    cr_assert_eq(v, 1232619.0);
    cr_assert_eq(bal_csv_count(ctx, &row, 1, "migrants", &v), BAL_EDATA);
    cr_assert_str_eq(bal_ctx_message(ctx), "migrants: negative count -3");
    cr_assert_eq(bal_csv_count(ctx, &row, 2, "migrants", &v), BAL_EDATA);
    cr_assert_str_eq(bal_ctx_message(ctx), "migrants: count is not whole: 2.5");
    cr_assert_eq(bal_csv_count(ctx, &row, 3, "migrants", &v), BAL_OK);
    cr_assert_eq(v, 0.0);
    cr_assert_eq(bal_csv_count(ctx, &row, 4, "migrants", &v), BAL_EDATA);
    bal_ctx_free(ctx);
}

Test(csv_fields, text)
{
    char ko[] = "서울특별시", emoji[] = "\xf0\x9f\x98\x80", empty[] = "", sur[] = "a\xed\xa0\x80",
         big[] = "\xf4\x90\x80\x80", over[] = "\xc0\xaf", cut[] = "\xea\xb0", del[] = "a\x7f",
         nl[] = "a\nb", ten[] = "0123456789";
    char *f[] = {ko, emoji, empty, sur, big, over, cut, del, nl, ten};
    bal_csv_row row = one_field(f, 10);
    bal_ctx *ctx = bal_ctx_alloc();
    cr_assert_eq(bal_csv_text(ctx, &row, 0, "name", 16, 1), BAL_OK); /* 15 bytes */
    cr_assert_eq(bal_csv_text(ctx, &row, 0, "name", 15, 1), BAL_EDATA);
    cr_assert_str_eq(bal_ctx_message(ctx), "name: longer than 14 bytes");
    cr_assert_eq(bal_csv_text(ctx, &row, 1, "name", 16, 1), BAL_OK);
    cr_assert_eq(bal_csv_text(ctx, &row, 2, "name", 16, 0), BAL_OK);
    cr_assert_eq(bal_csv_text(ctx, &row, 2, "name", 16, 1), BAL_EDATA);
    cr_assert_str_eq(bal_ctx_message(ctx), "name: empty");
    cr_assert_eq(bal_csv_text(ctx, &row, 3, "name", 16, 1), BAL_EDATA); /* surrogate */
    cr_assert_str_eq(bal_ctx_message(ctx), "name: not valid UTF-8 at byte 2");
    cr_assert_eq(bal_csv_text(ctx, &row, 4, "name", 16, 1), BAL_EDATA); /* > U+10FFFF */
    cr_assert_eq(bal_csv_text(ctx, &row, 5, "name", 16, 1), BAL_EDATA); /* overlong */
    cr_assert_eq(bal_csv_text(ctx, &row, 6, "name", 16, 1), BAL_EDATA); /* cut sequence */
    cr_assert_eq(bal_csv_text(ctx, &row, 7, "name", 16, 1), BAL_EDATA);
    cr_assert_str_eq(bal_ctx_message(ctx), "name: control character 0x7f at byte 2");
    cr_assert_eq(bal_csv_text(ctx, &row, 8, "name", 16, 1), BAL_EDATA);
    cr_assert_eq(bal_csv_ident(ctx, &row, 9, "id", 11), BAL_OK);
    cr_assert_eq(bal_csv_ident(ctx, &row, 9, "id", 10), BAL_EDATA);
    cr_assert_eq(bal_csv_ident(ctx, &row, 0, "id", 64), BAL_EDATA);
    cr_assert_eq(bal_csv_ident(ctx, &row, 2, "id", 64), BAL_EDATA);
    static const char *const allowed[] = {"0123456789", "x"};
    int k = -1;
    cr_assert_eq(bal_csv_enum(ctx, &row, 9, "e", allowed, 2, &k), BAL_OK);
    cr_assert_eq(k, 0);
    cr_assert_eq(bal_csv_enum(ctx, &row, 2, "e", allowed, 2, &k), BAL_EDATA);
    cr_assert_str_eq(bal_ctx_message(ctx), "e: expected one of 0123456789, x, found ''");
    double v = 0.0;
    cr_assert_eq(bal_csv_double_opt(ctx, &row, 2, "v", 0.0, 1.0, &v), BAL_OK);
    cr_assert(isnan(v));
    cr_assert_eq(bal_csv_double_opt(ctx, &row, 9, "v", 0.0, 1.0, &v), BAL_EDATA);
    bal_ctx_free(ctx);
}

/* bal_raise keeps a message to one line of valid UTF-8 (src/core/ctx.c):
   control characters and broken sequences echoed from bad input become '?'. */
Test(csv_fields, message_one_line_utf8)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_raise(ctx, BAL_EDATA, "f.csv", 2, "found '%s'", "a\nb\tc\r\x7f");
    cr_assert_str_eq(bal_ctx_message(ctx), "found 'a?b?c?\?'");
    bal_raise(ctx, BAL_EDATA, "f.csv", 2, "%s", "\xea\xb0 \xc0\xaf \xed\xa0\x80 서울 \xf0\x9f\x98\x80");
    cr_assert_str_eq(bal_ctx_message(ctx), "?? ?? ??? 서울 \xf0\x9f\x98\x80");
    /* a character cut by the message's length (511 bytes) */
    char big[600];
    memset(big, 'x', 510);
    snprintf(big + 510, sizeof big - 510, "%s", "서울");
    bal_raise(ctx, BAL_EDATA, "f.csv", 2, "%s", big);
    const char *m = bal_ctx_message(ctx);
    cr_assert_eq(strlen(m), 511);
    cr_assert_eq(m[510], '?');
    bal_ctx_free(ctx);
}
