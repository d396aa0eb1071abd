/*
 * datapack.c — load and validate the tidy tables of a data pack.
 *
 * Each table has a loader: it checks the header, parses every cell with a
 * range, rejects unknown region codes and duplicate rows, and stores values
 * densely. After the rows, completeness and totals are checked against an
 * independent table where the pack has one:
 *   population_base.csv  against population_base_totals.csv (by sido and sex)
 *   population_age5.csv  against population_totals.csv (by sido and year)
 *   births_by_age.csv    against births_totals.csv (sum + age unknown = total)
 * Every failure names the file and line.
 */
#include "balance/datapack.h"
#include "balance/migration.h"

#include "csvread.h"
#include "datapack_demog.h"
#include "datapack_mig.h"
#include "datapack_stated.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_MAX_LEN 1024
/* Counts are whole persons; sums of whole numbers below 2^53 are exact, so
   totals must agree exactly. */
#define TOTAL_TOL 0.0



void bal_datapack_bands_spread(const double *bands, int64_t nreg, double *pop)
{
    for (int64_t r = 0; r < nreg; r++)
        for (int s = 0; s < BAL_NSEX; s++)
            for (int a = 0; a < BAL_NAGE; a++) {
                double v = bands[(r * BAL_NSEX + s) * BAL_NBAND5 + a / 5];
                pop[bal_pidx(r, s, a)] = a == BAL_AGE_OPEN ? v : v / 5.0;
            }
}


typedef struct loader {
    bal_datapack *pack;
    char path[PATH_MAX_LEN];
} loader;

static int set_path(bal_ctx *ctx, loader *L, const char *name)
{
    int n = snprintf(L->path, sizeof L->path, "%s/%s", L->pack->dir, name);
    if (n < 0 || (size_t)n >= sizeof L->path)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "data directory path too long");
    return BAL_OK;
}

static int parse_sex(bal_ctx *ctx, const bal_csv_row *row, int col, int *sex)
{
    const char *s = row->field[col];
    if (strcmp(s, "female") == 0)
        *sex = BAL_FEMALE;
    else if (strcmp(s, "male") == 0)
        *sex = BAL_MALE;
    else
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "sex: expected 'female' or 'male', found '%s'", s);
    return BAL_OK;
}

/* A sido code known to the region table. */
static int parse_sido(bal_ctx *ctx, const bal_datapack *pk, const bal_csv_row *row, int col,
                      const char *name, int64_t *idx)
{
    int64_t i = bal_regions_find(&pk->regions, row->field[col]);
    if (i < 0 || i >= pk->nsido)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "%s: unknown sido code '%s'",
                         name, row->field[col]);
    *idx = i;
    return BAL_OK;
}

static int parse_sigungu(bal_ctx *ctx, const bal_datapack *pk, const bal_csv_row *row, int col,
                         int64_t *idx)
{
    int64_t i = bal_regions_find(&pk->regions, row->field[col]);
    if (i < pk->nsido)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "region: unknown sigungu code '%s'", row->field[col]);
    *idx = i - pk->nsido;
    return BAL_OK;
}

static int store_once(bal_ctx *ctx, const bal_csv_row *row, double *cell, double v)
{
    if (!isnan(*cell))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate row");
    *cell = v;
    return BAL_OK;
}

/* Free text (names, notes, sources): at most TEXT_MAX - 1 bytes of UTF-8. */
#define TEXT_MAX 512

/* Years a table may name: the vintage's bounds (vintage.csv, read first). */
#define YEAR_MIN (pk->vintage.year_min)
#define YEAR_MAX (pk->vintage.year_max)

/* ---- vintage.csv ---- */

static const struct vintage_key {
    const char *key;
    size_t offset;
    int lo, hi;
    int repeat; /* may appear up to BAL_MAX_REPORT_YEARS times */
} VINTAGE[] = {
/* a year: four digits (the keys' order is then checked by vintage_check) */
#define VK(name) {#name, offsetof(bal_vintage, name), 1000, 9999, 0}
    VK(base_year),          {"base_month", offsetof(bal_vintage, base_month), 1, 12, 0},
    VK(horizon),            {"report_year", offsetof(bal_vintage, report_years), 1000, 9999, 1},
    VK(year_min),           VK(year_max),
    VK(finance_year),       VK(budget_year),
    VK(wpp_estimates_to),   VK(inputs_from),
    VK(migration_fit_from), VK(migration_fit_to),
    VK(hindcast_fit_from),  VK(hindcast_fit_to),
    VK(trend_year),         VK(backtest_from_sido),
    VK(backtest_from_sigungu), VK(tfr_target_year),
#undef VK
};
#define NVINTAGE (sizeof VINTAGE / sizeof VINTAGE[0])

typedef struct vintage_read {
    bal_vintage *v;
    unsigned char seen[NVINTAGE];
} vintage_read;

static int row_vintage(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    vintage_read *vr = ud;
    const char *key = row->field[0];
    int st0 = bal_csv_text(ctx, row, 2, "meaning", TEXT_MAX, 1);
    if (st0)
        return st0;
    for (size_t i = 0; i < NVINTAGE; i++) {
        if (strcmp(key, VINTAGE[i].key) != 0)
            continue;
        long v;
        int st = bal_csv_long(ctx, row, 1, "value", VINTAGE[i].lo, VINTAGE[i].hi, &v);
        if (st)
            return st;
        int *at = (int *)(void *)((char *)vr->v + VINTAGE[i].offset);
        if (VINTAGE[i].repeat) {
            if (vr->v->nreport == BAL_MAX_REPORT_YEARS)
                return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                                 "%s: at most %d rows", key, BAL_MAX_REPORT_YEARS);
            at[vr->v->nreport++] = (int)v;
        } else {
            if (vr->seen[i])
                return bal_raise(ctx, BAL_EDATA, row->file, row->line, "%s given twice", key);
            *at = (int)v;
        }
        vr->seen[i] = 1;
        return BAL_OK;
    }
    return bal_raise(ctx, BAL_EDATA, row->file, row->line, "unknown key '%s'", key);
}

/* Every key given, and the dates in order. */
static int vintage_check(bal_ctx *ctx, const char *path, const vintage_read *vr)
{
    for (size_t i = 0; i < NVINTAGE; i++)
        if (!vr->seen[i])
            return bal_raise(ctx, BAL_EDATA, path, 0, "missing key '%s'", VINTAGE[i].key);
    const bal_vintage *v = vr->v;
    if (!(v->year_min < v->base_year && v->base_year < v->horizon && v->horizon <= v->year_max))
        return bal_raise(ctx, BAL_EDATA, path, 0,
                         "expected year_min < base_year < horizon <= year_max");
    const int inside[] = {v->finance_year,       v->budget_year,        v->wpp_estimates_to,
                          v->inputs_from,        v->migration_fit_from, v->migration_fit_to,
                          v->hindcast_fit_from,  v->hindcast_fit_to,    v->trend_year,
                          v->backtest_from_sido, v->backtest_from_sigungu};
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++)
        if (inside[i] < v->year_min || inside[i] > v->base_year)
            return bal_raise(ctx, BAL_EDATA, path, 0,
                             "%d: every fact and fit year must lie from year_min to base_year",
                             inside[i]);
    if (v->migration_fit_from > v->migration_fit_to || v->hindcast_fit_from > v->hindcast_fit_to ||
        v->hindcast_fit_to >= v->migration_fit_to)
        return bal_raise(ctx, BAL_EDATA, path, 0,
                         "fit windows: expected migration_fit_from <= migration_fit_to and "
                         "hindcast_fit_from <= hindcast_fit_to < migration_fit_to");
    if (v->tfr_target_year <= v->base_year || v->tfr_target_year > v->horizon)
        return bal_raise(ctx, BAL_EDATA, path, 0,
                         "tfr_target_year %d: expected after base_year, up to horizon",
                         v->tfr_target_year);
    for (int i = 0; i < v->nreport; i++)
        if (v->report_years[i] <= v->base_year || v->report_years[i] > v->horizon ||
            (i > 0 && v->report_years[i] <= v->report_years[i - 1]))
            return bal_raise(ctx, BAL_EDATA, path, 0,
                             "report_year %d: report years must rise, after base_year and up "
                             "to horizon",
                             v->report_years[i]);
    return BAL_OK;
}

/* ---- regions.csv ---- */

static int row_region(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    bal_regions *R = &pk->regions;
    const char *code = row->field[0], *level = row->field[1], *parent = row->field[2];
    bal_region reg;
    memset(&reg, 0, sizeof reg);
    reg.parent = -1;
    reg.area_km2 = NAN;
    if (strcmp(level, "sido") == 0) {
        reg.level = BAL_LEVEL_SIDO;
        if (R->n != R->nsido)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "sido '%s' listed after sigungu rows", code);
        if (strlen(code) != 2 || parent[0] != '\0')
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "sido code must have 2 digits and no parent: '%s'", code);
    } else if (strcmp(level, "sigungu") == 0) {
        reg.level = BAL_LEVEL_SIGUNGU;
        if (strlen(code) != 5)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "sigungu code must have 5 digits: '%s'", code);
        reg.parent = bal_regions_find(R, parent);
        if (reg.parent < 0 || reg.parent >= R->nsido)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "unknown parent sido '%s'", parent);
    } else {
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "level: expected 'sido' or 'sigungu', found '%s'", level);
    }
    for (const char *c = code; *c; c++)
        if (*c < '0' || *c > '9')
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "region code must be digits: '%s'", code);
    if (bal_regions_find(R, code) >= 0)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate region code '%s'",
                         code);
    long cap;
    int st;
    if ((st = bal_csv_text(ctx, row, 3, "name_en", BAL_NAME_MAX, 1)) ||
        (st = bal_csv_text(ctx, row, 4, "name_ko", BAL_NAME_MAX, 1)) ||
        (st = bal_csv_long(ctx, row, 5, "capital_region", 0, 1, &cap)))
        return st;
    snprintf(reg.code, sizeof reg.code, "%s", code);
    snprintf(reg.name_en, sizeof reg.name_en, "%s", row->field[3]);
    snprintf(reg.name_ko, sizeof reg.name_ko, "%s", row->field[4]);
    reg.capital_region = (int)cap;
    if (reg.level == BAL_LEVEL_SIGUNGU && reg.capital_region != R->r[reg.parent].capital_region)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "capital_region differs from parent sido '%s'", parent);
    if (reg.level == BAL_LEVEL_SIDO && R->nsido == BAL_MAX_SIDO)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "too many sido: at most %d (BAL_MAX_SIDO)", BAL_MAX_SIDO);
    if (reg.level == BAL_LEVEL_SIGUNGU && R->n - R->nsido == BAL_MAX_SIGUNGU)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "too many sigungu: at most %d (BAL_MAX_SIGUNGU)", BAL_MAX_SIGUNGU);
    bal_region *nr = bal_realloc(ctx, R->r, (size_t)(R->n + 1) * sizeof *nr);
    if (nr == NULL)
        return BAL_ENOMEM;
    R->r = nr;
    R->r[R->n++] = reg;
    if (reg.level == BAL_LEVEL_SIDO)
        R->nsido++;
    return BAL_OK;
}

/* ---- population_base.csv, population_base_totals.csv ---- */

static int row_base(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t r = 0;
    int sex = 0;
    long age;
    double v;
    int st;
    if ((st = parse_sido(ctx, pk, row, 0, "region", &r)) || (st = parse_sex(ctx, row, 1, &sex)) ||
        (st = bal_csv_long(ctx, row, 2, "age", 0, BAL_AGE_OPEN, &age)) ||
        (st = bal_csv_count(ctx, row, 3, "population", &v)))
        return st;
    return store_once(ctx, row, &pk->base_pop[bal_pidx(r, sex, (int)age)], v);
}

typedef struct totals_check {
    bal_datapack *pk;
    unsigned char seen[BAL_MAX_SIDO][BAL_NSEX];
} totals_check;

static int row_base_total(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    totals_check *tc = ud;
    bal_datapack *pk = tc->pk;
    int64_t r = 0;
    int sex = 0;
    double v;
    int st;
    if ((st = parse_sido(ctx, pk, row, 0, "region", &r)) || (st = parse_sex(ctx, row, 1, &sex)) ||
        (st = bal_csv_count(ctx, row, 2, "population", &v)))
        return st;
    if (tc->seen[r][sex])
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate row");
    tc->seen[r][sex] = 1;
    double sum = 0.0;
    for (int a = 0; a < BAL_NAGE; a++)
        sum += pk->base_pop[bal_pidx(r, sex, a)];
    if (fabs(sum - v) > TOTAL_TOL)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "total %.0f for %s %s disagrees with the sum of population_base.csv "
                         "(%.0f)",
                         v, pk->regions.r[r].code, row->field[1], sum);
    return BAL_OK;
}

/* ---- population_age5.csv, population_totals.csv ---- */

static int row_pop5(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t r = 0;
    int sex = 0;
    long year, a0, a1;
    double v;
    int st;
    if ((st = parse_sido(ctx, pk, row, 0, "region", &r)) ||
        (st = bal_csv_long(ctx, row, 1, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = parse_sex(ctx, row, 2, &sex)) ||
        (st = bal_csv_long(ctx, row, 3, "age_start", 0, BAL_AGE_OPEN, &a0)) ||
        (st = bal_csv_long(ctx, row, 4, "age_end", 0, BAL_AGE_OPEN, &a1)) ||
        (st = bal_csv_count(ctx, row, 5, "population", &v)))
        return st;
    if (a0 % 5 != 0 || (a0 < BAL_AGE_OPEN && a1 != a0 + 4) || (a0 == BAL_AGE_OPEN && a1 != a0))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "age band %ld-%ld is not a 5-year band (or 100-100 for 100+)", a0, a1);
    double *blk = bal_yearly_touch(ctx, &pk->pop5, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    return store_once(ctx, row, &blk[(r * BAL_NSEX + sex) * BAL_NBAND5 + a0 / 5], v);
}

static int row_pop_total(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t r = 0;
    long year;
    double v;
    int st;
    if ((st = parse_sido(ctx, pk, row, 0, "region", &r)) ||
        (st = bal_csv_long(ctx, row, 1, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = bal_csv_count(ctx, row, 2, "population", &v)))
        return st;
    double *blk = bal_yearly_touch(ctx, &pk->pop_total, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    if ((st = store_once(ctx, row, &blk[r], v)))
        return st;
    /* totals check against the age bands of the same year, when present */
    const double *b5 = bal_yearly_at(&pk->pop5, (int)year);
    if (b5 == NULL)
        return BAL_OK;
    double sum = 0.0;
    int have = 0;
    for (int i = 0; i < BAL_NSEX * BAL_NBAND5; i++)
        if (!isnan(b5[r * BAL_NSEX * BAL_NBAND5 + i])) {
            sum += b5[r * BAL_NSEX * BAL_NBAND5 + i];
            have++;
        }
    if (have == 0)
        return BAL_OK;
    if (have != BAL_NSEX * BAL_NBAND5)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "population_age5.csv lacks %d of the %d sex-band rows for %s in %ld",
                         BAL_NSEX * BAL_NBAND5 - have, BAL_NSEX * BAL_NBAND5,
                         pk->regions.r[r].code, year);
    if (fabs(sum - v) > TOTAL_TOL)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "total %.0f for %s in %ld disagrees with the sum of "
                         "population_age5.csv (%.0f)",
                         v, pk->regions.r[r].code, year, sum);
    return BAL_OK;
}

/* ---- births_by_age.csv, births_totals.csv ---- */

static int row_births5(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t r = 0;
    long year, a0, a1;
    double v;
    int st;
    if ((st = parse_sido(ctx, pk, row, 0, "region", &r)) ||
        (st = bal_csv_long(ctx, row, 1, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = bal_csv_long(ctx, row, 2, "mother_age_start", BAL_FERT5_AGE0,
                           BAL_FERT5_AGE0 + 5 * (BAL_NFERT5 - 1), &a0)) ||
        (st = bal_csv_long(ctx, row, 3, "mother_age_end", BAL_FERT5_AGE0 + 4,
                           BAL_FERT5_AGE0 + 5 * BAL_NFERT5 - 1, &a1)) ||
        (st = bal_csv_count(ctx, row, 4, "births", &v)))
        return st;
    if (a0 % 5 != 0 || a1 != a0 + 4)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "mother's age group %ld-%ld is not a 5-year band", a0, a1);
    double *blk = bal_yearly_touch(ctx, &pk->births5, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    return store_once(ctx, row, &blk[r * BAL_NFERT5 + (a0 - BAL_FERT5_AGE0) / 5], v);
}

static int row_births_tot(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t r = 0;
    long year;
    double t, m, f, u;
    int st;
    if ((st = parse_sido(ctx, pk, row, 0, "region", &r)) ||
        (st = bal_csv_long(ctx, row, 1, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = bal_csv_count(ctx, row, 2, "births", &t)) ||
        (st = bal_csv_count(ctx, row, 3, "births_male", &m)) ||
        (st = bal_csv_count(ctx, row, 4, "births_female", &f)) ||
        (st = bal_csv_count(ctx, row, 5, "births_age_unknown", &u)))
        return st;
    if (m + f != t)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "births_male + births_female = %.0f disagrees with births %.0f", m + f,
                         t);
    double *blk = bal_yearly_touch(ctx, &pk->births_tot, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    if ((st = store_once(ctx, row, &blk[r * 4], t)))
        return st;
    blk[r * 4 + 1] = m;
    blk[r * 4 + 2] = f;
    blk[r * 4 + 3] = u;
    const double *b5 = bal_yearly_at(&pk->births5, (int)year);
    double sum = u;
    int have = 0;
    for (int g = 0; b5 != NULL && g < BAL_NFERT5; g++)
        if (!isnan(b5[r * BAL_NFERT5 + g])) {
            sum += b5[r * BAL_NFERT5 + g];
            have++;
        }
    if (have == 0)
        return BAL_OK;
    if (have != BAL_NFERT5)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "births_by_age.csv lacks %d age groups for %s in %ld",
                         BAL_NFERT5 - have, pk->regions.r[r].code, year);
    if (fabs(sum - t) > TOTAL_TOL)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "births %.0f for %s in %ld disagree with births_by_age.csv plus "
                         "age unknown (%.0f)",
                         t, pk->regions.r[r].code, year, sum);
    return BAL_OK;
}

/* ---- mortality_qx.csv, mortality_mx_wpp.csv ---- */

static int row_qx(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    long year, age;
    int sex = 0;
    double q;
    int st;
    if ((st = bal_csv_long(ctx, row, 0, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = parse_sex(ctx, row, 1, &sex)) ||
        (st = bal_csv_long(ctx, row, 2, "age", 0, BAL_AGE_OPEN, &age)) ||
        (st = bal_csv_double(ctx, row, 3, "qx", 0.0, 1.0, &q)))
        return st;
    double *blk = bal_yearly_touch(ctx, &pk->qx, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    return store_once(ctx, row, &blk[sex * BAL_NAGE + age], q);
}

static int row_mx_wpp(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    long p0, p1, a0;
    int sex = 0;
    double m;
    int st;
    if ((st = bal_csv_long(ctx, row, 0, "period_start", YEAR_MIN, YEAR_MAX, &p0)) ||
        (st = bal_csv_long(ctx, row, 1, "period_end", YEAR_MIN, YEAR_MAX, &p1)) ||
        (st = parse_sex(ctx, row, 2, &sex)) ||
        (st = bal_csv_long(ctx, row, 3, "age_start", 0, BAL_AGE_OPEN, &a0)) ||
        (st = bal_csv_double(ctx, row, 4, "mx", 0.0, 10.0, &m)))
        return st;
    if (p1 != p0 + 5)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "period must span 5 years");
    int g;
    if (a0 == 0)
        g = 0;
    else if (a0 == 1)
        g = 1;
    else if (a0 % 5 == 0)
        g = (int)(a0 / 5) + 1;
    else
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "age_start %ld is not 0, 1 or a multiple of 5", a0);
    double *blk = bal_yearly_touch(ctx, &pk->mx_wpp, (int)p0);
    if (blk == NULL)
        return BAL_ENOMEM;
    return store_once(ctx, row, &blk[sex * BAL_NWPP + g], m);
}

/* ---- asdr_sigungu.csv, sigungu_totals.csv ---- */

static int row_asdr(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t s = 0;
    long year;
    double v;
    int st;
    if ((st = parse_sigungu(ctx, pk, row, 0, &s)) ||
        (st = bal_csv_long(ctx, row, 2, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = bal_csv_double(ctx, row, 4, "asdr_per_100k", 0.0, 1e5, &v)))
        return st;
    if (strcmp(row->field[1], pk->regions.r[s + pk->nsido].code) != 0 &&
        bal_regions_find(&pk->regions, row->field[1]) != pk->regions.r[s + pk->nsido].parent)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "parent '%s' is not the sido of %s", row->field[1], row->field[0]);
    int kind;
    const char *sx = row->field[3];
    if (strcmp(sx, "total") == 0)
        kind = BAL_ASDR_TOTAL;
    else if (strcmp(sx, "female") == 0)
        kind = BAL_ASDR_FEMALE;
    else if (strcmp(sx, "male") == 0)
        kind = BAL_ASDR_MALE;
    else
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "sex: expected total, female or male, found '%s'", sx);
    double *blk = bal_yearly_touch(ctx, &pk->asdr, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    return store_once(ctx, row, &blk[s * BAL_NASDR + kind], v);
}

typedef struct sgg_read {
    bal_datapack *pk;
    unsigned char *seen; /* [year - year_min][month - 1][sigungu] */
} sgg_read;

static int row_sgg_pop(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    sgg_read *sr = ud;
    bal_datapack *pk = sr->pk;
    int64_t s = 0;
    long year, month;
    double v;
    int st;
    if ((st = parse_sigungu(ctx, pk, row, 0, &s)) ||
        (st = bal_csv_long(ctx, row, 2, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = bal_csv_long(ctx, row, 3, "month", 1, 12, &month)) ||
        (st = bal_csv_count(ctx, row, 5, "population", &v)))
        return st;
    static const char *const COVERAGE[] = {"registered", "residents"};
    if ((st = bal_csv_enum(ctx, row, 4, "coverage", COVERAGE, 2, NULL)))
        return st;
    /* the parent is the sido at the reference date (Gunwi: 47 in 2022, 27 after):
       before the base year any known sido, from it on the parent in regions.csv */
    int64_t par = 0;
    if ((st = parse_sido(ctx, pk, row, 1, "parent", &par)))
        return st;
    if (year >= pk->vintage.base_year && par != pk->regions.r[pk->nsido + s].parent)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "parent '%s' is not the sido of %s in regions.csv", row->field[1],
                         row->field[0]);
    unsigned char *seen =
        &sr->seen[((year - YEAR_MIN) * 12 + month - 1) * (pk->regions.n - pk->nsido) + s];
    if (*seen)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "duplicate row (%s, %ld-%02ld)", row->field[0], year, month);
    *seen = 1;
    /* year-end rows are the year's weights; the base year's mid-year row is kept
       only when no year-end row exists for that year */
    double *blk = bal_yearly_touch(ctx, &pk->sgg_pop, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    if (month == 12 || isnan(blk[s]))
        blk[s] = v;
    return BAL_OK;
}

/* ---- migration_od.csv, distances.csv ---- */

static int row_od(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    long year;
    int64_t o = 0, d = 0;
    double v;
    int st;
    if ((st = bal_csv_long(ctx, row, 0, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = parse_sido(ctx, pk, row, 1, "orig", &o)) ||
        (st = parse_sido(ctx, pk, row, 2, "dest", &d)) ||
        (st = bal_csv_count(ctx, row, 3, "migrants", &v)))
        return st;
    double *blk = bal_yearly_touch(ctx, &pk->od, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    return store_once(ctx, row, &blk[o * pk->nsido + d], v);
}

static int row_dist(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t o = 0, d = 0;
    double km;
    long cont;
    int st;
    if ((st = parse_sido(ctx, pk, row, 0, "orig", &o)) ||
        (st = parse_sido(ctx, pk, row, 1, "dest", &d)) ||
        (st = bal_csv_double(ctx, row, 2, "dist_km", 0.0, 2000.0, &km)) ||
        (st = bal_csv_long(ctx, row, 3, "contiguous", 0, 1, &cont)))
        return st;
    if ((o == d) != (km == 0.0))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "distance must be 0 exactly on the diagonal and positive elsewhere");
    if ((st = store_once(ctx, row, &pk->dist_km[o * pk->nsido + d], km)))
        return st;
    pk->contiguous[o * pk->nsido + d] = (unsigned char)cont;
    return BAL_OK;
}

/* ---- grdp_per_capita.csv, labor_force.csv ---- */

/* A sido code, or "00" for the nation (index nsido). */
static int parse_sido_or_nation(bal_ctx *ctx, const bal_datapack *pk, const bal_csv_row *row,
                                int64_t *idx)
{
    if (strcmp(row->field[0], "00") == 0) {
        *idx = pk->nsido;
        return BAL_OK;
    }
    return parse_sido(ctx, pk, row, 0, "region", idx);
}

/* One value per region (or nation) and year from column `col` into `y`. */
static int row_national_series(bal_ctx *ctx, const bal_csv_row *row, bal_datapack *pk, int col,
                               const char *name, double lo, double hi, bal_yearly *y)
{
    int64_t r = 0;
    long year;
    double v;
    int st;
    if ((st = parse_sido_or_nation(ctx, pk, row, &r)) ||
        (st = bal_csv_long(ctx, row, 1, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = bal_csv_double(ctx, row, col, name, lo, hi, &v)))
        return st;
    double *blk = bal_yearly_touch(ctx, y, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    return store_once(ctx, row, &blk[r], v);
}

static int row_grdp(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    return row_national_series(ctx, row, pk, 2, "grdp_per_capita_thousand_krw", 1.0, 1e7,
                               &pk->grdp_pc);
}

static int row_labor(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    double p15, act, unemp;
    int st;
    /* thousands of persons: the nation had 45,925 thousand aged 15+ in 2023 */
    if ((st = bal_csv_double(ctx, row, 2, "pop_15plus_thousand", 1.0, 1e5, &p15)) ||
        (st = bal_csv_double(ctx, row, 3, "economically_active_thousand", 0.0, 1e5, &act)) ||
        (st = bal_csv_double(ctx, row, 5, "unemployment_rate_pct", 0.0, 100.0, &unemp)))
        return st;
    if (act > p15)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "economically_active_thousand %g exceeds pop_15plus_thousand %g", act,
                         p15);
    st = row_national_series(ctx, row, pk, 4, "employment_rate_pct", 0.0, 100.0,
                                 &pk->emp_rate);
    return st ? st
              : row_national_series(ctx, row, pk, 6, "employment_rate_15_64_pct", 0.0, 100.0,
                                    &pk->emp_rate_1564);
}

/* ---- economy: grdp_industry.csv, industry_clusters.csv, labor_force_sigungu.csv,
        local_finance.csv, tax_items.csv, fiscal_self_reliance.csv ---- */

static const char *const GRDP_ITEMS[BAL_NGITEM] = {
    "grdp_market_prices", "net_taxes_on_products", "gva_basic_prices",
    "agriculture_forestry_fishing", "mining_manufacturing", "mining", "manufacturing",
    "mfg_food_beverages_tobacco", "mfg_textiles_apparel_leather", "mfg_wood_paper_printing",
    "mfg_coal_petroleum_chemicals", "mfg_nonmetallic_minerals_metals",
    "mfg_electrical_electronic_precision", "mfg_machinery_transport_other",
    "electricity_gas_steam", "construction", "services", "wholesale_retail", "transport_storage",
    "accommodation_food", "information_communication", "finance_insurance", "real_estate",
    "business_services", "public_administration_defence", "education", "health_social_work",
    "culture_other_services"};

const char *bal_datapack_grdp_item_name(int i)
{
    return i >= 0 && i < BAL_NGITEM ? GRDP_ITEMS[i] : "";
}

static int row_grdp_item(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t r;
    long year;
    double v;
    int st;
    if ((st = parse_sido_or_nation(ctx, pk, row, &r)) ||
        (st = bal_csv_long(ctx, row, 1, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = bal_csv_double(ctx, row, 4, "nominal_million_krw", -1e12, 1e12, &v)))
        return st;
    /* real values (chained 2015 prices) and contributions to real growth: reported */
    double real, contrib;
    if ((st = bal_csv_double(ctx, row, 5, "real_chained_2015_million_krw", -1e12, 1e12, &real)) ||
        (st = bal_csv_double(ctx, row, 6, "real_growth_contribution_pctpt", -100.0, 100.0,
                             &contrib)))
        return st;
    int item = -1, parent = -1;
    for (int i = 0; i < BAL_NGITEM; i++) {
        if (strcmp(row->field[2], GRDP_ITEMS[i]) == 0)
            item = i;
        if (strcmp(row->field[3], GRDP_ITEMS[i]) == 0)
            parent = i;
    }
    if (item < 0)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "industry: unknown item '%s'",
                         row->field[2]);
    if (row->field[3][0] != '\0' && (parent < 0 || parent == item))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "parent: expected empty or another item, found '%s'", row->field[3]);
    if (pk->grdp_item_year != 0 && year != pk->grdp_item_year)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "year: one year expected (%d), found %ld", pk->grdp_item_year, year);
    pk->grdp_item_year = (int)year;
    return store_once(ctx, row, &pk->grdp_item[r * BAL_NGITEM + item], v);
}

/* Sector of a cluster tag (docs/model.md §13.1); -1: not a strategic sector. */
static int cluster_sector(const char *tag)
{
    static const struct { const char *tag; int sec; } map[] = {
        {"ai", BAL_SEC_AI_SOFTWARE}, {"bio", BAL_SEC_BIO}, {"energy", BAL_SEC_ENERGY},
        {"battery", BAL_SEC_ENERGY}, {"future_mobility", BAL_SEC_FUTURE_CARS},
        {"semiconductor", BAL_SEC_SEMICONDUCTOR}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(tag, map[i].tag) == 0)
            return map[i].sec;
    return -1;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" with the year in [lo, hi]; 0 if not. */
static int is_date(const char *s, int lo, int hi)
{
    const size_t n = strlen(s);
    if (!(n == 4 || n == 7 || n == 10) || strspn(s, "0123456789-") != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((i == 4 || i == 7) != (s[i] == '-'))
            return 0;
    const int y = atoi(s), m = n >= 7 ? atoi(s + 5) : 1, d = n == 10 ? atoi(s + 8) : 1;
    return y >= lo && y <= hi && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

typedef struct cluster_read {
    bal_datapack *pk;
    char (*id)[64];
    int n, cap;
} cluster_read;

static int row_cluster(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    cluster_read *cr = ud;
    bal_datapack *pk = cr->pk;
    int64_t r;
    double area, inv;
    static const char *const TYPES[] = {
        "bio_advanced_strategic_industry_specialized_complex",
        "existing_cluster",
        "materials_parts_equipment_specialized_complex",
        "national_advanced_strategic_industry_specialized_complex",
        "national_industrial_complex_approved",
        "national_industrial_complex_candidate",
        "national_project (preliminary-feasibility exemption 2019)"};
    int st;
    if ((st = bal_csv_ident(ctx, row, 0, "cluster_id", sizeof cr->id[0])) ||
        (st = parse_sido(ctx, pk, row, 2, "sido", &r)) ||
        (st = bal_csv_text(ctx, row, 3, "sigungu_ko", TEXT_MAX, 0)) ||
        (st = bal_csv_enum(ctx, row, 4, "designation_type", TYPES,
                           (int)(sizeof TYPES / sizeof TYPES[0]), NULL)) ||
        (st = bal_csv_double_opt(ctx, row, 6, "area_m2", 1.0, 1e10, &area)) ||
        (st = bal_csv_double_opt(ctx, row, 7, "investment_trillion_krw", 0.001, 1e4, &inv)))
        return st;
    if (row->field[5][0] != '\0' && !is_date(row->field[5], YEAR_MIN, YEAR_MAX))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "designation_date: expected YYYY, YYYY-MM or YYYY-MM-DD from %d to %d, "
                         "found '%s'",
                         YEAR_MIN, YEAR_MAX, row->field[5]);
    for (int i = 0; i < cr->n; i++)
        if (strcmp(cr->id[i], row->field[0]) == 0)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "cluster_id '%s' given twice", row->field[0]);
    if (cr->n == cr->cap) {
        const int cap = cr->cap ? 2 * cr->cap : 64;
        char(*nid)[64] = bal_realloc(ctx, cr->id, (size_t)cap * sizeof *nid);
        if (nid == NULL)
            return BAL_ENOMEM;
        cr->id = nid;
        cr->cap = cap;
    }
    snprintf(cr->id[cr->n++], sizeof cr->id[0], "%s", row->field[0]);
    static const char *const tags[] = {"ai", "bio", "energy", "future_mobility", "semiconductor",
                                       "battery", "display", "mixed", "other"};
    int known = 0;
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        known |= strcmp(row->field[1], tags[i]) == 0;
    if (!known)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "industry: unknown tag '%s'",
                         row->field[1]);
    const int k = cluster_sector(row->field[1]);
    if (k >= 0)
        pk->cluster[r * BAL_NSEC + k] = 1;
    return BAL_OK;
}

static int row_sgg_employed(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t u = 0, parent = 0;
    double v, p15, act, er, er1564;
    int st;
    /* thousands of persons: the largest sigungu has about 1,000 thousand aged 15+ */
    if ((st = parse_sigungu(ctx, pk, row, 0, &u)) ||
        (st = parse_sido(ctx, pk, row, 1, "parent", &parent)) ||
        (st = bal_csv_double(ctx, row, 3, "pop_15plus_thousand", 0.1, 1e5, &p15)) ||
        (st = bal_csv_double(ctx, row, 4, "economically_active_thousand", 0.0, 1e5, &act)) ||
        (st = bal_csv_double(ctx, row, 5, "employed_thousand", 0.0, 1e5, &v)) ||
        (st = bal_csv_double(ctx, row, 6, "employment_rate_pct", 0.0, 100.0, &er)) ||
        (st = bal_csv_double(ctx, row, 7, "employment_rate_15_64_pct", 0.0, 100.0, &er1564)))
        return st;
    /* a half-year "YYYYH1" or "YYYYH2" */
    const char *per = row->field[2];
    if (strlen(per) != 6 || strspn(per, "0123456789") != 4 || per[4] != 'H' ||
        (per[5] != '1' && per[5] != '2') || atoi(per) < YEAR_MIN || atoi(per) > YEAR_MAX)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "period: expected a half-year YYYYH1 or YYYYH2, found '%s'", per);
    if (act > p15 || v > act)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "expected employed <= economically active <= population 15+, found "
                         "%g, %g, %g",
                         v, act, p15);
    if (pk->regions.r[pk->nsido + u].parent != parent)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "parent: %s is not in sido %s", row->field[0], row->field[1]);
    return store_once(ctx, row, &pk->sgg_employed[u], v);
}

/* `src` into dst[size], cut at a UTF-8 character boundary. */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* "a:b" with a and b whole numbers (a split such as national:local 76:24). */
static int is_ratio(const char *s)
{
    const size_t a = strspn(s, "0123456789");
    if (a == 0 || a > 9 || s[a] != ':')
        return 0;
    const char *t = s + a + 1;
    const size_t b = strspn(t, "0123456789");
    return b > 0 && b <= 9 && t[b] == '\0';
}

/* local_finance.csv and tax_items.csv: numeric facts are loaded; ratios such
   as "76:24" (unit ratio) are checked and kept in the file for reading. */
static int row_fact(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    long year;
    static const char *const UNITS[] = {"pct",   "trillion_krw",    "pupils",  "count",
                                        "ratio", "persons_per_km2", "per_1000"};
    int unit = 0;
    int st;
    if ((st = bal_csv_long(ctx, row, 0, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = bal_csv_ident(ctx, row, 1, "indicator", sizeof pk->facts[0].name)) ||
        (st = bal_csv_enum(ctx, row, 3, "unit", UNITS, (int)(sizeof UNITS / sizeof UNITS[0]),
                           &unit)) ||
        (st = bal_csv_text(ctx, row, 4, "basis", TEXT_MAX, 1)))
        return st;
    if (strcmp(UNITS[unit], "ratio") == 0) {
        if (!is_ratio(row->field[2]))
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "value: expected a ratio a:b for unit ratio, found '%s'",
                             row->field[2]);
        return BAL_OK;
    }
    /* amounts, counts, rates and densities: never negative; percentages at most 100 */
    char *end = NULL;
    const double v = strtod(row->field[2], &end);
    if (end == row->field[2] || *end != '\0' || !isfinite(v))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "value: not a number: '%s'",
                         row->field[2]);
    if (v < 0.0)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "value: %s is negative (%s)",
                         row->field[2], row->field[1]);
    if (strcmp(UNITS[unit], "pct") == 0 && v > 100.0)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "value: %s pct is above 100 (%s)", row->field[2], row->field[1]);
    for (int i = 0; i < pk->nfacts; i++)
        if (pk->facts[i].year == (int)year && strcmp(pk->facts[i].name, row->field[1]) == 0)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "duplicate fact %s of %ld (local_finance.csv, tax_items.csv)",
                             row->field[1], year);
    bal_fact *f = bal_realloc(ctx, pk->facts, (size_t)(pk->nfacts + 1) * sizeof *f);
    if (f == NULL)
        return BAL_ENOMEM;
    pk->facts = f;
    f += pk->nfacts++;
    memset(f, 0, sizeof *f);
    f->year = (int)year;
    snprintf(f->name, sizeof f->name, "%s", row->field[1]);
    copy_text(f->basis, sizeof f->basis, row->field[4]);
    f->value = v;
    return BAL_OK;
}

double bal_datapack_fact(const bal_datapack *pk, int year, const char *name)
{
    for (int i = 0; i < pk->nfacts; i++)
        if (pk->facts[i].year == year && strcmp(pk->facts[i].name, name) == 0)
            return pk->facts[i].value;
    return NAN;
}

static int row_fsr(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    long year;
    int64_t r;
    double v;
    int st;
    if ((st = bal_csv_long(ctx, row, 0, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = parse_sido(ctx, pk, row, 1, "region", &r)) ||
        (st = bal_csv_double(ctx, row, 2, "value_pct", 0.0, 100.0, &v)) ||
        (st = bal_csv_text(ctx, row, 3, "basis", TEXT_MAX, 1)))
        return st;
    char basis[sizeof pk->fsr[0].basis];
    copy_text(basis, sizeof basis, row->field[3]);
    for (int i = 0; i < pk->nfsr; i++)
        if (pk->fsr[i].year == (int)year && pk->fsr[i].sido == r &&
            strcmp(pk->fsr[i].basis, basis) == 0)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "duplicate row (%ld, %s, basis)", year, row->field[1]);
    bal_fsr *f = bal_realloc(ctx, pk->fsr, (size_t)(pk->nfsr + 1) * sizeof *f);
    if (f == NULL)
        return BAL_ENOMEM;
    pk->fsr = f;
    f += pk->nfsr++;
    memset(f, 0, sizeof *f);
    f->year = (int)year;
    f->sido = r;
    f->pct = v;
    copy_text(f->basis, sizeof f->basis, row->field[3]);
    return BAL_OK;
}

static int row_income(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    static const char *const STATUS[] = {"preliminary", "not_flagged_preliminary"};
    double g;
    int st;
    if ((st = bal_csv_enum(ctx, row, 2, "status", STATUS, 2, NULL)) ||
        (st = bal_csv_double(ctx, row, 3, "grdp_per_capita_thousand_krw", 1.0, 1e7, &g)))
        return st;
    return row_national_series(ctx, row, pk, 4, "individual_income_per_capita_thousand_krw", 1.0,
                               1e7, &pk->income_pc);
}

/* ---- migration_params.csv ---- */

#define MIGPARAM_MAX 64
typedef struct migparam_read {
    bal_datapack *pk;
    int n;
    char key[MIGPARAM_MAX][2][48]; /* model, parameter of the rows so far */
} migparam_read;

static int row_migparam(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    migparam_read *mr = ud;
    bal_datapack *pk = mr->pk;
    const char *model = row->field[0], *name = row->field[1];
    if (strlen(model) >= sizeof mr->key[0][0] || strlen(name) >= sizeof mr->key[0][1])
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "model or parameter too long");
    for (int i = 0; i < mr->n; i++)
        if (strcmp(mr->key[i][0], model) == 0 && strcmp(mr->key[i][1], name) == 0)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "duplicate row (%s, %s)", model, name);
    if (mr->n == MIGPARAM_MAX)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "more than %d rows",
                         MIGPARAM_MAX);
    snprintf(mr->key[mr->n][0], sizeof mr->key[0][0], "%s", model);
    snprintf(mr->key[mr->n][1], sizeof mr->key[0][1], "%s", name);
    mr->n++;
    double v;
    long y0, y1;
    int st;
    double se, qse;
    if ((st = bal_csv_double(ctx, row, 2, "estimate", -100.0, 100.0, &v)) ||
        (st = bal_csv_double_opt(ctx, row, 3, "std_error", 0.0, 100.0, &se)) ||
        (st = bal_csv_double_opt(ctx, row, 4, "quasi_std_error", 0.0, 100.0, &qse)) ||
        (st = bal_csv_long(ctx, row, 5, "fit_from", YEAR_MIN, YEAR_MAX, &y0)) ||
        (st = bal_csv_long(ctx, row, 6, "fit_to", YEAR_MIN, YEAR_MAX, &y1)))
        return st;
    if (y0 > y1)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "fit_from %ld is after fit_to %ld", y0, y1);
    double *dst;
    if (strcmp(model, "pivot") == 0)
        dst = pk->mig_beta;
    else if (strcmp(model, "out_rate") == 0)
        dst = pk->mig_theta;
    else if (strcmp(model, "gravity") == 0) {
        /* reported; only the distance elasticity is used (scenario travel times) */
        if (strcmp(name, "log_distance") == 0) {
            pk->mig_gravity_dist = v;
            return BAL_OK;
        }
        if (strcmp(name, "contiguous") == 0)
            return BAL_OK;
        for (int k = 0; k < BAL_NATTR; k++)
            if (strcmp(name, bal_mig_attr_name(k)) == 0)
                return BAL_OK;
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "parameter: unknown gravity term '%s'", name);
    }
    else if (strcmp(model, "age") == 0) {
        if (strcmp(name, "young_scale") == 0) {
            if (!(v > 0.0 && v <= 10.0))
                return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                                 "young_scale must be in (0, 10], found %g", v);
            pk->mig_young_scale = v;
        } else if (strcmp(name, "young_mover_share") == 0) {
            if (!(v >= 0.0 && v < 1.0))
                return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                                 "young_mover_share must be in [0, 1), found %g", v);
            pk->mig_young_share = v;
        } else if (strcmp(name, "young_response_ratio") != 0)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                             "parameter: expected young_response_ratio, young_scale or "
                             "young_mover_share for model age, found '%s'", name);
        return BAL_OK;
    }
    else
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "model: expected gravity, pivot, out_rate or age, found '%s'", model);
    if (strcmp(name, "trend_per_decade") == 0)
        return BAL_OK;
    for (int k = 0; k < BAL_NATTR; k++)
        if (strcmp(name, bal_mig_attr_name(k)) == 0) {
            dst[k] = v;
            pk->mig_fit_from = (int)y0;
            pk->mig_fit_to = (int)y1;
            return BAL_OK;
        }
    return bal_raise(ctx, BAL_EDATA, row->file, row->line, "parameter: unknown input '%s'", name);
}

/* ---- region_area.csv ---- */

static int row_area(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t i = bal_regions_find(&pk->regions, row->field[0]);
    double km2;
    int st;
    if (i < 0)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "code: unknown region '%s'",
                         row->field[0]);
    if ((st = bal_csv_double(ctx, row, 1, "area_km2", 0.01, 1e6, &km2)))
        return st;
    if (!isnan(pk->regions.r[i].area_km2))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate row");
    pk->regions.r[i].area_km2 = km2;
    return BAL_OK;
}

/* ---- population_base_sigungu.csv, population_sigungu_age5.csv ---- */

static int row_base_sgg(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t g = 0;
    int sex = 0;
    long age;
    double v;
    int st;
    if ((st = parse_sigungu(ctx, pk, row, 0, &g)) || (st = parse_sex(ctx, row, 1, &sex)) ||
        (st = bal_csv_long(ctx, row, 2, "age", 0, BAL_AGE_OPEN, &age)) ||
        (st = bal_csv_count(ctx, row, 3, "population", &v)))
        return st;
    return store_once(ctx, row, &pk->base_pop_sgg[bal_pidx(g, sex, (int)age)], v);
}

static int row_sgg_pop5(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t g = 0;
    int sex = 0;
    long year, a0, a1;
    double v;
    int st;
    if ((st = parse_sigungu(ctx, pk, row, 0, &g)) ||
        (st = bal_csv_long(ctx, row, 1, "year", YEAR_MIN, YEAR_MAX, &year)) ||
        (st = parse_sex(ctx, row, 2, &sex)) ||
        (st = bal_csv_long(ctx, row, 3, "age_start", 0, BAL_AGE_OPEN, &a0)) ||
        (st = bal_csv_long(ctx, row, 4, "age_end", 0, BAL_AGE_OPEN, &a1)) ||
        (st = bal_csv_count(ctx, row, 5, "population", &v)))
        return st;
    if (a0 % 5 != 0 || (a0 < BAL_AGE_OPEN && a1 != a0 + 4) || (a0 == BAL_AGE_OPEN && a1 != a0))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "age band %ld-%ld is not a 5-year band (or 100-100 for 100+)", a0, a1);
    double *blk = bal_yearly_touch(ctx, &pk->sgg_pop5, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    return store_once(ctx, row, &blk[(g * BAL_NSEX + sex) * BAL_NBAND5 + a0 / 5], v);
}

/* ---- driver ---- */

static int read_table(bal_ctx *ctx, loader *L, const char *name, const char *const *cols,
                      int ncols, bal_csv_row_fn fn, void *ud)
{
    int st = set_path(ctx, L, name);
    if (st)
        return st;
    return bal_csv_read(ctx, L->path, cols, ncols, fn, ud);
}

#define COLS(...) (const char *const[]){__VA_ARGS__}, (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static int check_complete(bal_ctx *ctx, loader *L, const char *name, const double *v, size_t n,
                          const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (isnan(v[i])) {
            set_path(ctx, L, name);
            return bal_raise(ctx, BAL_EDATA, L->path, 0, "missing %s (cell %zu of %zu)", what,
                             i, n);
        }
    return BAL_OK;
}

int bal_datapack_load(bal_ctx *ctx, const char *dir, bal_datapack *pk)
{
    memset(pk, 0, sizeof *pk);
    loader L = {.pack = pk};
    int st = BAL_OK;
    totals_check *tc = NULL;
    cluster_read clr = {pk, NULL, 0, 0};
    sgg_read sgr = {pk, NULL};
    migparam_read mpr = {.pk = pk};
    pk->mig_young_scale = 1.0;
    pk->dir = bal_strdup(ctx, dir);
    if (pk->dir == NULL)
        return BAL_ENOMEM;

    /* the dates first: the other readers check years against them */
    vintage_read vr = {&pk->vintage, {0}};
    if ((st = read_table(ctx, &L, "vintage.csv", COLS("key", "value", "meaning"), row_vintage,
                         &vr)) ||
        (st = vintage_check(ctx, L.path, &vr)))
        goto fail;

    if ((st = read_table(ctx, &L, "regions.csv",
                         COLS("code", "level", "parent", "name_en", "name_ko", "capital_region"),
                         row_region, pk)))
        goto fail;
    if ((st = bal_regions_index(ctx, &pk->regions)))
        goto fail;
    pk->nsido = pk->regions.nsido;
    if (pk->nsido == 0) {
        set_path(ctx, &L, "regions.csv");
        st = bal_raise(ctx, BAL_EDATA, L.path, 0, "no sido");
        goto fail;
    }
    const int64_t ns = pk->nsido;
    const int64_t nsgg = pk->regions.n - ns;
    if ((st = read_table(ctx, &L, "region_area.csv", COLS("code", "area_km2"), row_area, pk)))
        goto fail;
    for (int64_t i = 0; i < pk->regions.n; i++)
        if (isnan(pk->regions.r[i].area_km2)) {
            st = bal_raise(ctx, BAL_EDATA, L.path, 0, "missing area of region %s",
                           pk->regions.r[i].code);
            goto fail;
        }

    pk->base_year = pk->vintage.base_year;
    pk->base_month = pk->vintage.base_month;
    pk->base_pop = bal_malloc(ctx, (size_t)(ns * BAL_CELLS) * sizeof(double));
    if (pk->base_pop == NULL) {
        st = BAL_ENOMEM;
        goto fail;
    }
    for (int64_t i = 0; i < ns * BAL_CELLS; i++)
        pk->base_pop[i] = NAN;
    if ((st = read_table(ctx, &L, "population_base.csv",
                         COLS("region", "sex", "age", "population"), row_base, pk)) ||
        (st = check_complete(ctx, &L, "population_base.csv", pk->base_pop,
                             (size_t)(ns * BAL_CELLS), "population row")))
        goto fail;
    tc = bal_calloc(ctx, 1, sizeof *tc);
    if (tc == NULL) {
        st = BAL_ENOMEM;
        goto fail;
    }
    tc->pk = pk;
    if ((st = read_table(ctx, &L, "population_base_totals.csv",
                         COLS("region", "sex", "population"), row_base_total, tc)))
        goto fail;
    for (int64_t r = 0; r < ns; r++)
        for (int s = 0; s < BAL_NSEX; s++)
            if (!tc->seen[r][s]) {
                st = bal_raise(ctx, BAL_EDATA, L.path, 0, "missing total for %s %s",
                               pk->regions.r[r].code, s == BAL_MALE ? "male" : "female");
                goto fail;
            }

    sgr.seen = bal_calloc(ctx,
                          (size_t)(pk->vintage.year_max - pk->vintage.year_min + 1) * 12 *
                              (size_t)(nsgg > 0 ? nsgg : 1),
                          1);
    if (sgr.seen == NULL) {
        st = BAL_ENOMEM;
        goto fail;
    }
    pk->pop5.stride = ns * BAL_NSEX * BAL_NBAND5;
    pk->pop_total.stride = ns;
    pk->births5.stride = ns * BAL_NFERT5;
    pk->births_tot.stride = ns * 4;
    pk->qx.stride = BAL_NSEX * BAL_NAGE;
    pk->mx_wpp.stride = BAL_NSEX * BAL_NWPP;
    pk->asdr.stride = (nsgg > 0 ? nsgg : 1) * BAL_NASDR;
    pk->sgg_pop.stride = nsgg > 0 ? nsgg : 1;
    pk->od.stride = ns * ns;
    pk->grdp_pc.stride = ns + 1;
    pk->emp_rate.stride = ns + 1;
    pk->emp_rate_1564.stride = ns + 1;
    pk->income_pc.stride = ns + 1;

    if ((st = read_table(ctx, &L, "population_age5.csv",
                         COLS("region", "year", "sex", "age_start", "age_end", "population"),
                         row_pop5, pk)) ||
        (st = read_table(ctx, &L, "population_totals.csv", COLS("region", "year", "population"),
                         row_pop_total, pk)) ||
        (st = read_table(ctx, &L, "births_by_age.csv",
                         COLS("region", "year", "mother_age_start", "mother_age_end", "births"),
                         row_births5, pk)) ||
        (st = read_table(ctx, &L, "births_totals.csv",
                         COLS("region", "year", "births", "births_male", "births_female",
                              "births_age_unknown"),
                         row_births_tot, pk)) ||
        (st = read_table(ctx, &L, "mortality_qx.csv", COLS("year", "sex", "age", "qx"), row_qx,
                         pk)) ||
        (st = read_table(ctx, &L, "mortality_mx_wpp.csv",
                         COLS("period_start", "period_end", "sex", "age_start", "mx"),
                         row_mx_wpp, pk)) ||
        (st = read_table(ctx, &L, "asdr_sigungu.csv",
                         COLS("region", "parent", "year", "sex", "asdr_per_100k"), row_asdr,
                         pk)) ||
        (st = read_table(ctx, &L, "sigungu_totals.csv",
                         COLS("region", "parent", "year", "month", "coverage", "population"),
                         row_sgg_pop, &sgr)) ||
        (st = read_table(ctx, &L, "migration_od.csv", COLS("year", "orig", "dest", "migrants"),
                         row_od, pk)) ||
        (st = read_table(ctx, &L, "grdp_per_capita.csv",
                         COLS("region", "year", "grdp_per_capita_thousand_krw"), row_grdp, pk)) ||
        (st = read_table(ctx, &L, "labor_force.csv",
                         COLS("region", "year", "pop_15plus_thousand",
                              "economically_active_thousand", "employment_rate_pct",
                              "unemployment_rate_pct", "employment_rate_15_64_pct"),
                         row_labor, pk)) ||
        (st = read_table(ctx, &L, "grdp_per_capita_new.csv",
                         COLS("region", "year", "status", "grdp_per_capita_thousand_krw",
                              "individual_income_per_capita_thousand_krw"),
                         row_income, pk)) ||
        (st = read_table(ctx, &L, "local_finance.csv",
                         COLS("year", "indicator", "value", "unit", "basis"), row_fact, pk)) ||
        (st = read_table(ctx, &L, "tax_items.csv",
                         COLS("year", "indicator", "value", "unit", "basis"), row_fact, pk)) ||
        (st = read_table(ctx, &L, "fiscal_self_reliance.csv",
                         COLS("year", "region", "value_pct", "basis"), row_fsr, pk)) ||
        (st = read_table(ctx, &L, "migration_params.csv",
                         COLS("model", "parameter", "estimate", "std_error", "quasi_std_error",
                              "fit_from", "fit_to"),
                         row_migparam, &mpr)) ||
        (st = bal_datapack_load_demog(ctx, pk)) ||
        (st = bal_datapack_check_stated(ctx, pk)))
        goto fail;

    pk->grdp_item = bal_malloc(ctx, (size_t)((ns + 1) * BAL_NGITEM) * sizeof(double));
    pk->cluster = bal_calloc(ctx, (size_t)(ns * BAL_NSEC), 1);
    pk->sgg_employed = bal_malloc(ctx, (size_t)(nsgg > 0 ? nsgg : 1) * sizeof(double));
    if (pk->grdp_item == NULL || pk->cluster == NULL || pk->sgg_employed == NULL) {
        st = BAL_ENOMEM;
        goto fail;
    }
    for (int64_t i = 0; i < (ns + 1) * BAL_NGITEM; i++)
        pk->grdp_item[i] = NAN;
    for (int64_t i = 0; i < (nsgg > 0 ? nsgg : 1); i++)
        pk->sgg_employed[i] = NAN;
    if ((st = read_table(ctx, &L, "grdp_industry.csv",
                         COLS("region", "year", "industry", "parent", "nominal_million_krw",
                              "real_chained_2015_million_krw", "real_growth_contribution_pctpt"),
                         row_grdp_item, pk)) ||
        (st = check_complete(ctx, &L, "grdp_industry.csv", pk->grdp_item,
                             (size_t)((ns + 1) * BAL_NGITEM), "region-item")) ||
        (st = read_table(ctx, &L, "industry_clusters.csv",
                         COLS("cluster_id", "industry", "sido", "sigungu_ko", "designation_type",
                              "designation_date", "area_m2", "investment_trillion_krw"),
                         row_cluster, &clr)) ||
        (st = read_table(ctx, &L, "labor_force_sigungu.csv",
                         COLS("region", "parent", "period", "pop_15plus_thousand",
                              "economically_active_thousand", "employed_thousand",
                              "employment_rate_pct", "employment_rate_15_64_pct"),
                         row_sgg_employed, pk)) ||
        (st = bal_datapack_load_schools(ctx, pk)))
        goto fail;

    pk->dist_km = bal_malloc(ctx, (size_t)(ns * ns) * sizeof(double));
    pk->contiguous = bal_calloc(ctx, (size_t)(ns * ns), 1);
    if (pk->dist_km == NULL || pk->contiguous == NULL) {
        st = BAL_ENOMEM;
        goto fail;
    }
    for (int64_t i = 0; i < ns * ns; i++)
        pk->dist_km[i] = NAN;
    if ((st = read_table(ctx, &L, "distances.csv", COLS("orig", "dest", "dist_km", "contiguous"),
                         row_dist, pk)) ||
        (st = check_complete(ctx, &L, "distances.csv", pk->dist_km, (size_t)(ns * ns),
                             "distance pair")))
        goto fail;
    for (int64_t o = 0; o < ns; o++)
        for (int64_t d = 0; d < o; d++)
            if (pk->dist_km[o * ns + d] != pk->dist_km[d * ns + o]) {
                st = bal_raise(ctx, BAL_EDATA, L.path, 0, "distance %s-%s is not symmetric",
                               pk->regions.r[o].code, pk->regions.r[d].code);
                goto fail;
            }
    if (pk->qx.v == NULL || pk->mx_wpp.v == NULL || pk->od.v == NULL || pk->births5.v == NULL ||
        pk->pop5.v == NULL) {
        st = bal_raise(ctx, BAL_EDATA, pk->dir, 0, "a required table has no data rows");
        goto fail;
    }
    if ((st = bal_datapack_load_migtables(ctx, pk)))
        goto fail;
    bal_free(ctx, tc);
    bal_free(ctx, clr.id);
    bal_free(ctx, sgr.seen);
    return BAL_OK;
fail:
    bal_free(ctx, tc);
    bal_free(ctx, clr.id);
    bal_free(ctx, sgr.seen);
    bal_datapack_release(ctx, pk);
    return st;
}

static void municipal_release(bal_ctx *ctx, bal_datapack *pk)
{
    bal_free(ctx, pk->base_pop_sgg);
    pk->base_pop_sgg = NULL;
    bal_free(ctx, pk->sgg_pop5.v);
    memset(&pk->sgg_pop5, 0, sizeof pk->sgg_pop5);
    pk->municipal_loaded = 0;
}

/* population_sigungu_age5.csv, read on a helper thread while the calling
   thread reads population_base_sigungu.csv (each ~90 M instructions of CSV
   parsing, half the sigungu load): they fill disjoint parts of the pack
   (sgg_pop5, base_pop_sgg) and only read its regions. */
typedef struct pop5_job {
    bal_ctx *ctx; /* the helper's, with the caller's allocator */
    loader L;
    bal_datapack *pk;
    int st;
} pop5_job;

static void *read_pop5(void *arg)
{
    pop5_job *j = arg;
    j->st = read_table(j->ctx, &j->L, "population_sigungu_age5.csv",
                       COLS("region", "year", "sex", "age_start", "age_end", "population"),
                       row_sgg_pop5, j->pk);
    return NULL;
}

int bal_datapack_load_municipal(bal_ctx *ctx, bal_datapack *pk)
{
    if (pk->municipal_loaded)
        return BAL_OK;
    loader L = {.pack = pk};
    const int64_t ns = pk->nsido, ng = pk->regions.n - ns;
    int st = BAL_OK;
    if (ng <= 0) {
        set_path(ctx, &L, "regions.csv");
        return bal_raise(ctx, BAL_EDATA, L.path, 0, "the region table has no sigungu");
    }
    const size_t cells = (size_t)(ng * BAL_CELLS);
    pk->base_pop_sgg = bal_malloc(ctx, cells * sizeof(double));
    if (pk->base_pop_sgg == NULL)
        return BAL_ENOMEM;
    for (size_t i = 0; i < cells; i++)
        pk->base_pop_sgg[i] = NAN;
    pk->sgg_pop5.stride = ng * BAL_NSEX * BAL_NBAND5;
    pop5_job job = {.ctx = bal_ctx_alloc_like(ctx), .L = {.pack = pk}, .pk = pk, .st = BAL_OK};
    pthread_t helper;
    /* without a helper (no memory, no thread) the table is read below, in turn */
    const int threaded = job.ctx && pthread_create(&helper, NULL, read_pop5, &job) == 0;
    if ((st = read_table(ctx, &L, "population_base_sigungu.csv",
                         COLS("region", "sex", "age", "population"), row_base_sgg, pk)) ||
        (st = check_complete(ctx, &L, "population_base_sigungu.csv", pk->base_pop_sgg, cells,
                             "population row")))
        goto joined;
    /* the sigungu of each sido sum to the sido's base population, cell by cell */
    for (int64_t r = 0; r < ns; r++)
        for (int s = 0; s < BAL_NSEX; s++)
            for (int a = 0; a < BAL_NAGE; a++) {
                double sum = 0.0;
                for (int64_t g = 0; g < ng; g++)
                    if (pk->regions.r[ns + g].parent == r)
                        sum += pk->base_pop_sgg[bal_pidx(g, s, a)];
                double want = pk->base_pop[bal_pidx(r, s, a)];
                if (fabs(sum - want) > TOTAL_TOL) {
                    st = bal_raise(ctx, BAL_EDATA, L.path, 0,
                                   "the sigungu of %s sum to %.0f (%s, age %d), "
                                   "population_base.csv has %.0f",
                                   pk->regions.r[r].code, sum, s == BAL_MALE ? "male" : "female",
                                   a, want);
                    goto joined;
                }
            }
joined:
    /* the first table's error wins, as when the second was read after it */
    if (threaded) {
        pthread_join(helper, NULL);
    } else {
        bal_ctx_free(job.ctx);
        job.ctx = ctx; /* in turn, its errors straight on ctx */
        if (st == BAL_OK)
            read_pop5(&job);
    }
    if (st == BAL_OK && job.st != BAL_OK) {
        st = job.st;
        if (job.ctx != ctx) {
            const char *file = bal_ctx_file(job.ctx);
            bal_raise(ctx, st, file[0] ? file : NULL, bal_ctx_line(job.ctx), "%s",
                      bal_ctx_message(job.ctx));
        }
    }
    if (job.ctx != ctx)
        bal_ctx_free(job.ctx);
    if (st || (st = set_path(ctx, &L, "population_sigungu_age5.csv")))
        goto fail; /* (the checks below name that table) */
    if (pk->sgg_pop5.v == NULL) {
        st = bal_raise(ctx, BAL_EDATA, L.path, 0, "no data rows");
        goto fail;
    }
    /* every year complete, and each sigungu's bands sum to its year-end total */
    for (int y = pk->sgg_pop5.year0; y < pk->sgg_pop5.year0 + pk->sgg_pop5.nyears; y++) {
        const double *b = bal_yearly_at(&pk->sgg_pop5, y);
        const double *tot = bal_yearly_at(&pk->sgg_pop, y);
        for (int64_t i = 0; i < pk->sgg_pop5.stride; i++)
            if (isnan(b[i])) {
                st = bal_raise(ctx, BAL_EDATA, L.path, 0, "year %d: missing row for %s", y,
                               pk->regions.r[ns + i / (BAL_NSEX * BAL_NBAND5)].code);
                goto fail;
            }
        if (tot == NULL) {
            st = bal_raise(ctx, BAL_EDATA, L.path, 0,
                           "year %d has no total in sigungu_totals.csv to check against", y);
            goto fail;
        }
        for (int64_t g = 0; g < ng; g++) {
            double sum = 0.0;
            for (int i = 0; i < BAL_NSEX * BAL_NBAND5; i++)
                sum += b[g * BAL_NSEX * BAL_NBAND5 + i];
            if (fabs(sum - tot[g]) > TOTAL_TOL) {
                st = bal_raise(ctx, BAL_EDATA, L.path, 0,
                               "year %d: the bands of %s sum to %.0f, sigungu_totals.csv "
                               "has %.0f",
                               y, pk->regions.r[ns + g].code, sum, tot[g]);
                goto fail;
            }
        }
    }
    pk->municipal_loaded = 1;
    return BAL_OK;
fail:
    municipal_release(ctx, pk);
    return st;
}

void bal_datapack_release(bal_ctx *ctx, bal_datapack *pk)
{
    if (pk == NULL)
        return;
    bal_datapack_release_migtables(ctx, pk);
    bal_free(ctx, pk->dir);
    bal_regions_release(ctx, &pk->regions);
    bal_free(ctx, pk->base_pop);
    bal_yearly *ys[] = {&pk->pop5, &pk->pop_total, &pk->births5, &pk->births_tot, &pk->qx,
                        &pk->mx_wpp, &pk->asdr, &pk->sgg_pop, &pk->od, &pk->grdp_pc,
                        &pk->emp_rate, &pk->emp_rate_1564, &pk->income_pc};
    for (size_t i = 0; i < sizeof ys / sizeof ys[0]; i++)
        bal_free(ctx, ys[i]->v);
    bal_free(ctx, pk->grdp_item);
    bal_free(ctx, pk->cluster);
    bal_free(ctx, pk->sgg_employed);
    bal_free(ctx, pk->facts);
    bal_free(ctx, pk->fsr);
    bal_free(ctx, pk->dist_km);
    bal_free(ctx, pk->contiguous);
    municipal_release(ctx, pk);
    bal_datapack_release_schools(ctx, pk);
    bal_datapack_demog_release(ctx, pk);
    memset(pk, 0, sizeof *pk);
}
