/*
 * datapack_stated.c — projection_results_stated.csv, validated but not
 * stored: the results of KOSTAT's 2022-based projections as printed
 * (data/kr/SOURCES.md), used only by the comparison of docs/model.md §15.7.
 * Every column is checked (docs/data-validation.md):
 *   release_base  a year of the vintage's range
 *   scope         national (region 00 only) or provincial
 *   released      a date YYYY-MM-DD after the base year, one per release and scope
 *   variant       medium, high or low
 *   region        00, CAP (the capital region) or a sido code
 *   indicator     a name (a-z, 0-9, _), with its unit fixed by its first row
 *   year          from release_base to the vintage's year_max
 *   value         persons: a whole number in [-1e8, 1e8]; pct: [-100, 100]
 *   unit          persons or pct
 * and no key (release, scope, variant, region, indicator, year) twice.
 */
#include "datapack_stated.h"

#include "csvread.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME 64

typedef struct stated_key {
    long base, year;
    int scope, variant, unit;
    int64_t region;
    char indicator[NAME];
    char released[11];
} stated_key;

typedef struct stated_read {
    const bal_datapack *pk;
    stated_key *k;
    int n, cap;
} stated_read;

static int row_results(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    stated_read *sr = ud;
    const bal_datapack *pk = sr->pk;
    static const char *const SCOPE[] = {"national", "provincial"};
    static const char *const VARIANT[] = {"medium", "high", "low"};
    static const char *const UNIT[] = {"persons", "pct"};
    stated_key k;
    memset(&k, 0, sizeof k);
    double v;
    int st;
    if ((st = bal_csv_long(ctx, row, 0, "release_base", pk->vintage.year_min,
                           pk->vintage.year_max, &k.base)) ||
        (st = bal_csv_enum(ctx, row, 1, "scope", SCOPE, 2, &k.scope)) ||
        (st = bal_csv_enum(ctx, row, 3, "variant", VARIANT, 3, &k.variant)) ||
        (st = bal_csv_ident(ctx, row, 5, "indicator", NAME)) ||
        (st = bal_csv_long(ctx, row, 6, "year", pk->vintage.year_min, pk->vintage.year_max,
                           &k.year)) ||
        (st = bal_csv_enum(ctx, row, 8, "unit", UNIT, 2, &k.unit)))
        return st;
    const char *rel = row->field[2];
    long ry, rm, rd;
    char tail;
    if (strlen(rel) != 10 || sscanf(rel, "%4ld-%2ld-%2ld%c", &ry, &rm, &rd, &tail) != 3 ||
        rel[4] != '-' || rel[7] != '-' || rm < 1 || rm > 12 || rd < 1 || rd > 31)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "released: expected a date YYYY-MM-DD, found '%s'", rel);
    if (ry <= k.base)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "released %s is not after the release's base year %ld", rel, k.base);
    memcpy(k.released, rel, 11);
    const char *reg = row->field[4];
    if (strcmp(reg, "00") == 0)
        k.region = BAL_STATED_NATION;
    else if (strcmp(reg, "CAP") == 0)
        k.region = BAL_STATED_CAPITAL;
    else {
        k.region = bal_regions_find(&pk->regions, reg);
        if (k.region < 0 || k.region >= pk->nsido)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "region: unknown code '%s' (00, CAP or a sido)", reg);
    }
    if (k.scope == 0 && k.region != BAL_STATED_NATION)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "region: a national row must be 00, found '%s'", reg);
    if (k.year < k.base)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "year %ld is before the release's base year %ld", k.year, k.base);
    if (k.unit == 0) {
        if ((st = bal_csv_double(ctx, row, 7, "value", -1e8, 1e8, &v)))
            return st;
        if (v != floor(v))
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "value: persons must be a whole number, found '%s'", row->field[7]);
    } else if ((st = bal_csv_double(ctx, row, 7, "value", -100.0, 100.0, &v))) {
        return st;
    }
    snprintf(k.indicator, sizeof k.indicator, "%s", row->field[5]);
    for (int i = 0; i < sr->n; i++) {
        const stated_key *o = &sr->k[i];
        if (o->base == k.base && o->scope == k.scope && strcmp(o->released, k.released) != 0)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "released: the %ld-based %s release has two dates (%s, %s)",
                             k.base, SCOPE[k.scope], o->released, k.released);
        if (strcmp(o->indicator, k.indicator) == 0 && o->unit != k.unit)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "unit of %s: %s here, %s on an earlier row", k.indicator,
                             UNIT[k.unit], UNIT[o->unit]);
        if (o->base == k.base && o->scope == k.scope && o->variant == k.variant &&
            o->region == k.region && o->year == k.year && strcmp(o->indicator, k.indicator) == 0)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate row");
    }
    if (sr->n == sr->cap) {
        const int cap = sr->cap ? 2 * sr->cap : 64;
        stated_key *nk = bal_realloc(ctx, sr->k, (size_t)cap * sizeof *nk);
        if (nk == NULL)
            return BAL_ENOMEM;
        sr->k = nk;
        sr->cap = cap;
    }
    sr->k[sr->n++] = k;
    return BAL_OK;
}

int bal_datapack_check_stated(bal_ctx *ctx, const bal_datapack *pk)
{
    char path[1024];
    const int n = snprintf(path, sizeof path, "%s/%s", pk->dir, "projection_results_stated.csv");
    if (n < 0 || (size_t)n >= sizeof path)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "data directory path too long");
    stated_read sr = {pk, NULL, 0, 0};
    const int st = bal_csv_read(ctx, path,
                                (const char *const[]){"release_base", "scope", "released",
                                                      "variant", "region", "indicator", "year",
                                                      "value", "unit"},
                                9, row_results, &sr);
    bal_free(ctx, sr.k);
    return st;
}
