/*
 * fuzz_csv.c — libFuzzer target: a data-pack table through the CSV reader
 * (bal_csv_read_text over libcsv) and the field parsers the loaders use
 * (bal_csv_long, bal_csv_double, bal_csv_count, region codes). The first
 * input byte picks the header of one of the pack's table layouts, so the
 * fuzzer reaches the row handling beyond the header check.
 */
#include "csvread.h"

#include "fuzz_common.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const POP5[] = {"region", "year", "sex", "age_start", "age_end", "population"};
static const char *const TOTALS[] = {"region", "year", "population"};
static const char *const OD[] = {"year", "orig", "dest", "migrants"};
static const char *const VINTAGE[] = {"key", "value", "meaning"};

typedef struct layout {
    const char *const *cols;
    int ncols;
} layout;

static const layout LAYOUTS[] = {{POP5, 6}, {TOTALS, 3}, {OD, 4}, {VINTAGE, 3}};

/* Every field through the parsers: codes, years, counts, rates, optional
   numbers, enumerations, names and free text (and so bal_raise's cleaning of
   the bad values it quotes into one line of UTF-8). */
static int row(bal_ctx *ctx, const bal_csv_row *r, void *ud)
{
    (void)ud;
    static const char *const SEX[] = {"female", "male"};
    long y;
    double v;
    int e;
    for (int c = 0; c < r->nfields; c++) {
        if (bal_regions_find(&fuzz_pack.regions, r->field[c]) >= 0)
            continue;
        if (bal_csv_enum(ctx, r, c, "sex", SEX, 2, &e) == BAL_OK)
            continue;
        if (bal_csv_long(ctx, r, c, "field", 1900, 2100, &y) == BAL_OK)
            continue;
        if (bal_csv_count(ctx, r, c, "field", &v) == BAL_OK)
            continue;
        if (bal_csv_double_opt(ctx, r, c, "field", -1e12, 1e12, &v) == BAL_OK)
            continue;
        if (bal_csv_ident(ctx, r, c, "key", 64) == BAL_OK)
            continue;
        if (bal_csv_text(ctx, r, c, "text", 512, 1) != BAL_OK)
            return bal_ctx_status(ctx);
    }
    return BAL_OK;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_load_pack();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const layout *L = &LAYOUTS[data[0] % (sizeof LAYOUTS / sizeof LAYOUTS[0])];
    bal_ctx *ctx = bal_ctx_alloc();
    if (ctx == NULL)
        return 0;
    (void)bal_csv_read_text(ctx, "fuzz.csv", (const char *)data + 1, size - 1, L->cols, L->ncols,
                            row, NULL);
    bal_ctx_free(ctx);
    return 0;
}
