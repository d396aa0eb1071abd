/*
 * csv.h — a thin row reader over libcsv that knows file names and line numbers.
 *
 * bal_csv_read() parses a whole file, checks its header against the expected
 * column names and calls `row` once per data record with the fields and the
 * 1-based line number. Any error — missing file, wrong header, a record with
 * the wrong number of fields, or a failure returned by the callback — is
 * raised on the context with file:line and stops the read.
 */
#ifndef BALANCE_IO_CSV_H
#define BALANCE_IO_CSV_H

#include "balance/core.h"

typedef struct bal_csv_row {
    const char *file;   /* path, for messages */
    long line;          /* 1-based line of this record */
    int nfields;
    char **field;       /* NUL-terminated fields */
} bal_csv_row;

typedef int (*bal_csv_row_fn)(bal_ctx *ctx, const bal_csv_row *row, void *ud);

/* Read `path`; the header must equal the `ncols` names in `cols`. */
int bal_csv_read(bal_ctx *ctx, const char *path, const char *const *cols, int ncols,
                 bal_csv_row_fn row, void *ud);
/* The same over `len` bytes of text in memory, named `path` in messages (the
   fuzz target's entry, tests/fuzz/fuzz_csv.c). */
int bal_csv_read_text(bal_ctx *ctx, const char *path, const char *data, size_t len,
                      const char *const *cols, int ncols, bal_csv_row_fn row, void *ud);

/* Field parsers: raise BAL_EDATA naming the column on failure. */
int bal_csv_long(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, long lo,
                 long hi, long *out);
int bal_csv_double(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, double lo,
                   double hi, double *out);
/* A non-negative count (integer-valued, as published). */
int bal_csv_count(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, double *out);
/* A number in [lo, hi], or an empty field (then *out = NAN): for columns the
   source leaves blank where it states nothing. */
int bal_csv_double_opt(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, double lo,
                       double hi, double *out);
/* Free text: valid UTF-8 without control characters, shorter than `max`
   bytes, and not empty when `required`. */
int bal_csv_text(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, size_t max,
                 int required);
/* A name: 1 to max-1 bytes of a-z, 0-9 and '_'. */
int bal_csv_ident(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name, size_t max);
/* One of the `n` values in `allowed`; *out (may be NULL) its index. */
int bal_csv_enum(bal_ctx *ctx, const bal_csv_row *row, int col, const char *name,
                 const char *const *allowed, int n, int *out);

#endif
