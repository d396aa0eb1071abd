/*
 * datapack_demog.c — the demography tables of issue 14: vital statistics by
 * sido and for the nation, the published TFR and ASFR by sido, KOSTAT's
 * projection assumptions, international migration and foreign residents as
 * printed (data/kr/SOURCES.md). Same rules as datapack.c: header, numbers,
 * ranges, codes, duplicate rows, then checks against independent totals:
 *   vital_sido.csv      the nation's births and deaths = the sum of the sido
 *   fertility_asfr.csv  5 x sum of the ASFR / 1000 within 0.05 of the TFR
 *                       (KOSTAT sums single-year rates: at most 0.024 apart)
 *   vital_national.csv  births and deaths = the nation's row of vital_sido.csv
 * Every failure names the file and line (0 for a check after the rows).
 */
#include "datapack_demog.h"

#include "csvread.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YEAR_MIN (pk->vintage.year_min)
#define YEAR_MAX (pk->vintage.year_max)


static int once(bal_ctx *ctx, const bal_csv_row *row, double *cell, double v)
{
    if (!isnan(*cell))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate row");
    *cell = v;
    return BAL_OK;
}

/* "00" (the nation: index nsido) or a sido code. */
static int parse_region(bal_ctx *ctx, const bal_datapack *pk, const bal_csv_row *row, int col,
                        int allow_cap, int64_t *idx)
{
    const char *c = row->field[col];
    if (strcmp(c, "00") == 0) {
        *idx = BAL_STATED_NATION;
        return BAL_OK;
    }
    if (allow_cap && strcmp(c, "CAP") == 0) {
        *idx = BAL_STATED_CAPITAL;
        return BAL_OK;
    }
    int64_t i = bal_regions_find(&pk->regions, c);
    if (i < 0 || i >= pk->nsido)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "region: unknown code '%s' (00%s or a sido)", c,
                         allow_cap ? ", CAP" : "");
    *idx = i;
    return BAL_OK;
}

/* ---- vital_sido.csv ---- */

static int row_vital(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t r = 0;
    long year;
    double b, d;
    int st;
    if ((st = parse_region(ctx, pk, row, 0, 0, &r)) ||
        (st = bal_csv_long(ctx, row, 1, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = bal_csv_count(ctx, row, 2, "births", &b)) ||
        (st = bal_csv_count(ctx, row, 3, "deaths", &d)))
        return st;
    if (r < 0)
        r = pk->nsido;
    double *blk = bal_yearly_touch(ctx, &pk->vital, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    if ((st = once(ctx, row, &blk[r * 2], b)))
        return st;
    blk[r * 2 + 1] = d;
    return BAL_OK;
}

/* ---- fertility_asfr.csv ---- */

static int row_asfr(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t r = 0;
    long year;
    double v[1 + BAL_NASFR5];
    int st;
    static const char *const NAMES[1 + BAL_NASFR5] = {"tfr",        "asfr_15_19", "asfr_20_24",
                                                      "asfr_25_29", "asfr_30_34", "asfr_35_39",
                                                      "asfr_40_44", "asfr_45_49"};
    if ((st = parse_region(ctx, pk, row, 0, 0, &r)) ||
        (st = bal_csv_long(ctx, row, 1, "year", YEAR_MIN, YEAR_MAX, &year)))
        return st;
    if ((st = bal_csv_double(ctx, row, 2, NAMES[0], 0.01, 10.0, &v[0])))
        return st;
    double sum = 0.0;
    for (int g = 1; g <= BAL_NASFR5; g++) {
        if ((st = bal_csv_double(ctx, row, 2 + g, NAMES[g], 0.0, 1000.0, &v[g])))
            return st;
        sum += v[g];
    }
    if (fabs(5.0 * sum / 1000.0 - v[0]) > 0.05)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "5 x the sum of the ASFR / 1000 = %.3f, more than 0.05 from the TFR %.3f",
                         5.0 * sum / 1000.0, v[0]);
    if (r < 0)
        r = pk->nsido;
    double *blk = bal_yearly_touch(ctx, &pk->asfr, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    if ((st = once(ctx, row, &blk[r * (1 + BAL_NASFR5)], v[0])))
        return st;
    for (int g = 1; g <= BAL_NASFR5; g++)
        blk[r * (1 + BAL_NASFR5) + g] = v[g];
    return BAL_OK;
}

/* ---- vital_national.csv ---- */

static int row_vital_nat(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    long year;
    double b, d, tfr, em = NAN, ef = NAN;
    int st;
    if ((st = bal_csv_long(ctx, row, 0, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = bal_csv_count(ctx, row, 1, "births", &b)) ||
        (st = bal_csv_count(ctx, row, 2, "deaths", &d)) ||
        (st = bal_csv_double(ctx, row, 3, "tfr", 0.01, 10.0, &tfr)))
        return st;
    const int has_m = row->field[4][0] != '\0', has_f = row->field[5][0] != '\0';
    if (has_m != has_f)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "e0_male and e0_female must both be given or both be empty");
    if (has_m && ((st = bal_csv_double(ctx, row, 4, "e0_male", 20.0, 120.0, &em)) ||
                  (st = bal_csv_double(ctx, row, 5, "e0_female", 20.0, 120.0, &ef))))
        return st;
    double *blk = bal_yearly_touch(ctx, &pk->vital_nat, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    if ((st = once(ctx, row, &blk[0], b)))
        return st;
    blk[1] = d;
    blk[2] = tfr;
    blk[3] = em;
    blk[4] = ef;
    return BAL_OK;
}

/* ---- projection_assumptions.csv ---- */

typedef struct list {
    bal_datapack *pk;
    int cap;
} list;

static int row_passum(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    list *l = ud;
    bal_datapack *pk = l->pk;
    long base, year, ry, rm, rd;
    double v;
    int st;
    if ((st = bal_csv_long(ctx, row, 0, "release_base", YEAR_MIN, YEAR_MAX, &base)))
        return st;
    const char *rel = row->field[1];
    char tail;
    if (strlen(rel) != 10 || sscanf(rel, "%4ld-%2ld-%2ld%c", &ry, &rm, &rd, &tail) != 3 ||
        rel[4] != '-' || rel[7] != '-' || rm < 1 || rm > 12 || rd < 1 || rd > 31)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "released: expected a date YYYY-MM-DD, found '%s'", rel);
    if (ry <= base)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "released %s is not after the release's base year %ld", rel, base);
    const char *var = row->field[2];
    if (strcmp(var, "medium") != 0 && strcmp(var, "high") != 0 && strcmp(var, "low") != 0)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "variant: expected medium, high or low, found '%s'", var);
    const char *ind = row->field[3], *unit = row->field[6];
    if ((st = bal_csv_long(ctx, row, 4, "year", YEAR_MIN, YEAR_MAX, &year)))
        return st;
    if (year < base)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "year %ld is before the release's base year %ld", year, base);
    double lo, hi;
    const char *want;
    if (strcmp(ind, "total_fertility_rate") == 0) {
        want = "births_per_woman", lo = 0.01, hi = 10.0;
    } else if (strncmp(ind, "life_expectancy_at_birth_", 25) == 0 &&
               (strcmp(ind + 25, "female") == 0 || strcmp(ind + 25, "male") == 0 ||
                strcmp(ind + 25, "total") == 0)) {
        want = "years", lo = 20.0, hi = 120.0;
    } else if (strcmp(ind, "net_international_migration") == 0) {
        want = "persons_per_year", lo = -1e7, hi = 1e7;
    } else if (strcmp(ind, "cumulative_marriage_rate_by_age_39") == 0) {
        want = "ratio", lo = 0.0, hi = 1.0;
    } else {
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "unknown indicator '%s'", ind);
    }
    if (strcmp(unit, want) != 0)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "unit of %s: expected %s, found '%s'", ind, want, unit);
    if ((st = bal_csv_double(ctx, row, 5, "value", lo, hi, &v)))
        return st;
    for (int i = 0; i < pk->npassum; i++) {
        const bal_proj_assumption *a = &pk->passum[i];
        if (a->release_base == base && a->year == year && strcmp(a->variant, var) == 0 &&
            strcmp(a->indicator, ind) == 0)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate row");
        if (a->release_base == base && a->released != ry)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "release %ld-based: two publication dates", base);
    }
    if (pk->npassum == l->cap) {
        int cap = l->cap ? 2 * l->cap : 64;
        bal_proj_assumption *n = bal_realloc(ctx, pk->passum, (size_t)cap * sizeof *n);
        if (n == NULL)
            return BAL_ENOMEM;
        pk->passum = n;
        l->cap = cap;
    }
    bal_proj_assumption *a = &pk->passum[pk->npassum++];
    memset(a, 0, sizeof *a);
    a->release_base = (int)base;
    a->released = (int)ry;
    snprintf(a->variant, sizeof a->variant, "%s", var);
    snprintf(a->indicator, sizeof a->indicator, "%s", ind);
    a->year = (int)year;
    a->value = v;
    return BAL_OK;
}

/* ---- intl_migration.csv, foreign_residents.csv ---- */

typedef struct stated_list {
    bal_datapack *pk;
    bal_stated **items;
    int *n;
    int cap;
    int foreign; /* 1: foreign_residents.csv (region, series, unit columns) */
} stated_list;

static int name_ok(const char *s, int dash)
{
    if (*s == '\0' || strlen(s) >= 40)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              (dash && *s == '-')))
            return 0;
    return 1;
}

static int row_stated(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    stated_list *l = ud;
    bal_datapack *pk = l->pk;
    long year;
    int st;
    bal_stated x;
    memset(&x, 0, sizeof x);
    if ((st = bal_csv_long(ctx, row, 0, "year", YEAR_MIN, YEAR_MAX, &year)))
        return st;
    x.year = (int)year;
    x.region = BAL_STATED_NATION;
    const char *series = "kostat_international_migration", *ind, *unit = "persons";
    int vcol;
    if (l->foreign) {
        if ((st = parse_region(ctx, pk, row, 1, 1, &x.region)))
            return st;
        series = row->field[2];
        if (strcmp(series, "mois_foreign_residents") != 0 &&
            strcmp(series, "census_foreigners") != 0)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "series: expected mois_foreign_residents or census_foreigners, "
                             "found '%s'",
                             series);
        ind = row->field[3];
        unit = row->field[5];
        vcol = 4;
    } else {
        ind = row->field[1];
        vcol = 2;
    }
    if (!name_ok(ind, !l->foreign))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "indicator: bad name '%s'", ind);
    if (strcmp(unit, "persons") == 0) {
        if ((st = bal_csv_double(ctx, row, vcol, "value", -1e8, 1e8, &x.value)))
            return st;
        if (x.value != floor(x.value))
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "value: persons must be a whole number, found '%s'",
                             row->field[vcol]);
    } else if (strcmp(unit, "pct") == 0) {
        x.pct = 1;
        if ((st = bal_csv_double(ctx, row, vcol, "value", -100.0, 100.0, &x.value)))
            return st;
    } else {
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "unit: expected persons or pct, found '%s'", unit);
    }
    snprintf(x.series, sizeof x.series, "%s", series);
    snprintf(x.indicator, sizeof x.indicator, "%s", ind);
    for (int i = 0; i < *l->n; i++) {
        const bal_stated *o = &(*l->items)[i];
        if (o->year == x.year && o->region == x.region && strcmp(o->series, x.series) == 0 &&
            strcmp(o->indicator, x.indicator) == 0)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate row");
    }
    if (*l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 64;
        bal_stated *n = bal_realloc(ctx, *l->items, (size_t)cap * sizeof *n);
        if (n == NULL)
            return BAL_ENOMEM;
        *l->items = n;
        l->cap = cap;
    }
    (*l->items)[(*l->n)++] = x;
    return BAL_OK;
}

/* ---- driver ---- */

#define COLS(...)                                                                              \
    (const char *const[]){__VA_ARGS__},                                                        \
        (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static int path_of(bal_ctx *ctx, const bal_datapack *pk, const char *name, char *path,
                   size_t size)
{
    int n = snprintf(path, size, "%s/%s", pk->dir, name);
    if (n < 0 || (size_t)n >= size)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "data directory path too long");
    return BAL_OK;
}

static int read_tab(bal_ctx *ctx, bal_datapack *pk, const char *name, const char *const *cols,
                int ncols, bal_csv_row_fn fn, void *ud, char *path, size_t size)
{
    int st = path_of(ctx, pk, name, path, size);
    return st ? st : bal_csv_read(ctx, path, cols, ncols, fn, ud);
}

int bal_datapack_load_demog(bal_ctx *ctx, bal_datapack *pk)
{
    const int64_t ns = pk->nsido;
    char path[1024];
    int st;
    pk->vital.stride = (ns + 1) * 2;
    pk->asfr.stride = (ns + 1) * (1 + BAL_NASFR5);
    pk->vital_nat.stride = 5;
    list pl = {pk, 0};
    stated_list il = {pk, &pk->intl_stated, &pk->nintl_stated, 0, 0};
    stated_list fl = {pk, &pk->foreign, &pk->nforeign, 0, 1};
    if ((st = read_tab(ctx, pk, "vital_sido.csv", COLS("region", "year", "births", "deaths"),
                   row_vital, pk, path, sizeof path)))
        return st;
    /* the nation = the sum of the sido, every year with a national row */
    for (int y = pk->vital.year0; pk->vital.v && y < pk->vital.year0 + pk->vital.nyears; y++) {
        const double *b = bal_yearly_at(&pk->vital, y);
        for (int k = 0; k < 2; k++) {
            double sum = 0.0;
            int64_t n = 0;
            for (int64_t r = 0; r < ns; r++)
                if (!isnan(b[r * 2 + k])) {
                    sum += b[r * 2 + k];
                    n++;
                }
            const double nat = b[ns * 2 + k];
            if (isnan(nat) && n > 0)
                return bal_raise(ctx, BAL_EDATA, path, 0, "no national (00) row for %d", y);
            if (!isnan(nat) && n > 0 && nat != sum)
                return bal_raise(ctx, BAL_EDATA, path, 0,
                                 "national %s of %d (%.0f) differ from the sum of the sido "
                                 "(%.0f)",
                                 k ? "deaths" : "births", y, nat, sum);
        }
    }
    if ((st = read_tab(ctx, pk, "fertility_asfr.csv",
                   COLS("region", "year", "tfr", "asfr_15_19", "asfr_20_24", "asfr_25_29",
                        "asfr_30_34", "asfr_35_39", "asfr_40_44", "asfr_45_49"),
                   row_asfr, pk, path, sizeof path)) ||
        (st = read_tab(ctx, pk, "vital_national.csv",
                   COLS("year", "births", "deaths", "tfr", "e0_male", "e0_female"),
                   row_vital_nat, pk, path, sizeof path)))
        return st;
    for (int y = pk->vital_nat.year0; pk->vital_nat.v && y < pk->vital_nat.year0 + pk->vital_nat.nyears;
         y++) {
        const double *n = bal_yearly_at(&pk->vital_nat, y), *s = bal_yearly_at(&pk->vital, y);
        if (isnan(n[0]) || s == NULL || isnan(s[ns * 2]))
            continue;
        if (n[0] != s[ns * 2] || n[1] != s[ns * 2 + 1])
            return bal_raise(ctx, BAL_EDATA, path, 0,
                             "births or deaths of %d differ from the national row of "
                             "vital_sido.csv",
                             y);
    }
    if ((st = read_tab(ctx, pk, "projection_assumptions.csv",
                   COLS("release_base", "released", "variant", "indicator", "year", "value",
                        "unit"),
                   row_passum, &pl, path, sizeof path)) ||
        (st = read_tab(ctx, pk, "intl_migration.csv", COLS("year", "indicator", "value"), row_stated,
                   &il, path, sizeof path)) ||
        (st = read_tab(ctx, pk, "foreign_residents.csv",
                   COLS("year", "region", "series", "indicator", "value", "unit"), row_stated,
                   &fl, path, sizeof path)))
        return st;
    if (pk->asfr.v == NULL || pk->vital.v == NULL || pk->vital_nat.v == NULL)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0, "a required table has no data rows");
    return BAL_OK;
}

void bal_datapack_demog_release(bal_ctx *ctx, bal_datapack *pk)
{
    bal_free(ctx, pk->vital.v);
    bal_free(ctx, pk->asfr.v);
    bal_free(ctx, pk->vital_nat.v);
    bal_free(ctx, pk->passum);
    bal_free(ctx, pk->intl_stated);
    bal_free(ctx, pk->foreign);
    memset(&pk->vital, 0, sizeof pk->vital);
    memset(&pk->asfr, 0, sizeof pk->asfr);
    memset(&pk->vital_nat, 0, sizeof pk->vital_nat);
    pk->passum = NULL;
    pk->intl_stated = pk->foreign = NULL;
    pk->npassum = pk->nintl_stated = pk->nforeign = 0;
}
