/*
 * datapack_mig.c — the migration tables of issue 14.
 *
 *   migration_totals.csv           per sido and year: published in, out, within
 *                                  and net migrants; every row is checked against
 *                                  the margins of migration_od.csv of that year
 *                                  (row sum = out, column sum = in, diagonal =
 *                                  within) and net = in - out.
 *   population_age5_residents.csv  year-end residents-only population by sido,
 *                                  sex and 5-year band; each sido-year must be
 *                                  complete and sum to the sigungu of
 *                                  sigungu_totals.csv (same coverage and date).
 * Every failure names the file and line (line 0: a check after the rows).
 */
#include "datapack_mig.h"

#include "csvread.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define COLS(...) (const char *const[]){__VA_ARGS__}, (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))


static int sido_of(bal_ctx *ctx, const bal_datapack *pk, const bal_csv_row *row, int col,
                   int64_t *idx)
{
    int64_t i = bal_regions_find(&pk->regions, row->field[col]);
    if (i < 0 || i >= pk->nsido)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "region: unknown sido code '%s'",
                         row->field[col]);
    *idx = i;
    return BAL_OK;
}

static int row_migtot(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    const int64_t ns = pk->nsido;
    int64_t r = 0;
    long year;
    double in, out, within, net;
    int st;
    if ((st = sido_of(ctx, pk, row, 0, &r)) ||
        (st = bal_csv_long(ctx, row, 1, "year", pk->vintage.year_min, pk->vintage.year_max,
                           &year)) ||
        (st = bal_csv_count(ctx, row, 2, "in_migrants", &in)) ||
        (st = bal_csv_count(ctx, row, 3, "out_migrants", &out)) ||
        (st = bal_csv_count(ctx, row, 4, "within_moves", &within)) ||
        (st = bal_csv_double(ctx, row, 5, "net_migration", -1e9, 1e9, &net)))
        return st;
    if (net != in - out)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "net_migration %.0f disagrees with in - out = %.0f", net, in - out);
    if (within > in || within > out)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "within_moves %.0f exceeds the in- or out-migrants", within);
    double *blk = bal_yearly_touch(ctx, &pk->mig_tot, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    double *c = blk + r * BAL_MIGTOT_N;
    if (!isnan(c[0]))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate row");
    c[BAL_MIGTOT_IN] = in;
    c[BAL_MIGTOT_OUT] = out;
    c[BAL_MIGTOT_WITHIN] = within;
    c[BAL_MIGTOT_NET] = net;
    /* the margins of the flows of that year, when migration_od.csv has them */
    const double *od = bal_yearly_at(&pk->od, (int)year);
    if (od == NULL)
        return BAL_OK;
    double rs = 0.0, cs = 0.0;
    for (int64_t j = 0; j < ns; j++) {
        if (!isnan(od[r * ns + j]))
            rs += od[r * ns + j];
        if (!isnan(od[j * ns + r]))
            cs += od[j * ns + r];
    }
    const char *code = pk->regions.r[r].code;
    if (rs != out)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "out_migrants %.0f of %s in %ld disagree with migration_od.csv (%.0f)",
                         out, code, year, rs);
    if (cs != in)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "in_migrants %.0f of %s in %ld disagree with migration_od.csv (%.0f)", in,
                         code, year, cs);
    if (od[r * ns + r] != within)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "within_moves %.0f of %s in %ld disagree with migration_od.csv (%.0f)",
                         within, code, year, od[r * ns + r]);
    return BAL_OK;
}

static int row_pop5_res(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t r = 0;
    long year, a0, a1;
    double v;
    int st;
    if ((st = sido_of(ctx, pk, row, 0, &r)) ||
        (st = bal_csv_long(ctx, row, 1, "year", pk->vintage.year_min, pk->vintage.year_max,
                           &year)))
        return st;
    const char *sx = row->field[2];
    int s;
    if (strcmp(sx, "female") == 0)
        s = BAL_FEMALE;
    else if (strcmp(sx, "male") == 0)
        s = BAL_MALE;
    else
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "sex: expected 'female' or 'male', found '%s'", sx);
    if ((st = bal_csv_long(ctx, row, 3, "age_start", 0, BAL_AGE_OPEN, &a0)) ||
        (st = bal_csv_long(ctx, row, 4, "age_end", 0, BAL_AGE_OPEN, &a1)) ||
        (st = bal_csv_count(ctx, row, 5, "population", &v)))
        return st;
    if (a0 % 5 != 0 || (a0 < BAL_AGE_OPEN ? a1 != a0 + 4 : a1 != BAL_AGE_OPEN))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "age %ld-%ld is not a 5-year band or the open band 100-100", a0, a1);
    double *blk = bal_yearly_touch(ctx, &pk->pop5_res, (int)year);
    if (blk == NULL)
        return BAL_ENOMEM;
    double *c = blk + (r * BAL_NSEX + s) * BAL_NBAND5 + a0 / 5;
    if (!isnan(*c))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate row");
    *c = v;
    return BAL_OK;
}

/* Residents by sido and year summed from sigungu_totals.csv by the parent at
   the reference date (Gunwi: Gyeongbuk in 2022, Daegu after). */
typedef struct res_sum {
    bal_datapack *pk;
    int year0, nyears;
    double *sum; /* [year][sido] */
} res_sum;

static int row_res_sum(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    res_sum *rs = ud;
    long year, month;
    int64_t par = 0;
    double v;
    int st;
    if ((st = bal_csv_long(ctx, row, 2, "year", rs->pk->vintage.year_min,
                           rs->pk->vintage.year_max, &year)) ||
        (st = bal_csv_long(ctx, row, 3, "month", 1, 12, &month)) ||
        (st = sido_of(ctx, rs->pk, row, 1, &par)) ||
        (st = bal_csv_count(ctx, row, 5, "population", &v)))
        return st;
    if (month != 12)
        return BAL_OK;
    int64_t g = bal_regions_find(&rs->pk->regions, row->field[0]);
    if (g >= rs->pk->nsido) {
        double *blk = bal_yearly_touch(ctx, &rs->pk->sgg_parent, (int)year);
        if (blk == NULL)
            return BAL_ENOMEM;
        blk[g - rs->pk->nsido] = (double)par;
    }
    if (strcmp(row->field[4], "residents") == 0 && year >= rs->year0 &&
        year < rs->year0 + rs->nyears)
        rs->sum[(year - rs->year0) * rs->pk->nsido + par] += v;
    return BAL_OK;
}

/* Each sido-year complete and equal to its sigungu (sigungu_totals.csv). */
static int check_residents(bal_ctx *ctx, bal_datapack *pk, const char *path)
{
    const int64_t ns = pk->nsido;
    const bal_yearly *y = &pk->pop5_res;
    pk->sgg_parent.stride = pk->regions.n > ns ? pk->regions.n - ns : 1;
    if (pk->regions.n == ns)
        return BAL_OK;
    res_sum rs = {pk, y->year0, y->nyears, NULL};
    rs.sum = bal_calloc(ctx, (size_t)(y->nyears > 0 ? y->nyears * ns : 1), sizeof(double));
    if (rs.sum == NULL)
        return BAL_ENOMEM;
    char tpath[1024];
    int n = snprintf(tpath, sizeof tpath, "%s/%s", pk->dir, "sigungu_totals.csv");
    int st = n < 0 || (size_t)n >= sizeof tpath
                 ? bal_raise(ctx, BAL_EUSAGE, NULL, 0, "data directory path too long")
                 : bal_csv_read(ctx, tpath,
                                COLS("region", "parent", "year", "month", "coverage",
                                     "population"),
                                row_res_sum, &rs);
    for (int yr = y->year0; st == BAL_OK && yr < y->year0 + y->nyears; yr++) {
        const double *b = bal_yearly_at(y, yr);
        for (int64_t r = 0; st == BAL_OK && r < ns; r++) {
            double sum = 0.0;
            int have = 0;
            for (int i = 0; i < BAL_NSEX * BAL_NBAND5; i++)
                if (!isnan(b[r * BAL_NSEX * BAL_NBAND5 + i])) {
                    sum += b[r * BAL_NSEX * BAL_NBAND5 + i];
                    have++;
                }
            const double ss = rs.sum[(yr - y->year0) * ns + r];
            if (have == 0)
                continue;
            if (have != BAL_NSEX * BAL_NBAND5)
                st = bal_raise(ctx, BAL_EDATA, path, 0,
                               "lacks %d of the %d sex-band rows for %s in %d",
                               BAL_NSEX * BAL_NBAND5 - have, BAL_NSEX * BAL_NBAND5,
                               pk->regions.r[r].code, yr);
            else if (ss > 0.0 && ss != sum)
                st = bal_raise(ctx, BAL_EDATA, path, 0,
                               "total %.0f of %s in %d disagrees with its sigungu in "
                               "sigungu_totals.csv (%.0f)",
                               sum, pk->regions.r[r].code, yr, ss);
        }
    }
    bal_free(ctx, rs.sum);
    return st;
}

int bal_datapack_load_migtables(bal_ctx *ctx, bal_datapack *pk)
{
    char path[1024];
    pk->mig_tot.stride = pk->nsido * BAL_MIGTOT_N;
    pk->pop5_res.stride = pk->nsido * BAL_NSEX * BAL_NBAND5;
    int n = snprintf(path, sizeof path, "%s/%s", pk->dir, "migration_totals.csv");
    if (n < 0 || (size_t)n >= sizeof path)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "data directory path too long");
    int st = bal_csv_read(ctx, path,
                          COLS("region", "year", "in_migrants", "out_migrants", "within_moves",
                               "net_migration"),
                          row_migtot, pk);
    if (st)
        return st;
    n = snprintf(path, sizeof path, "%s/%s", pk->dir, "population_age5_residents.csv");
    if (n < 0 || (size_t)n >= sizeof path)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "data directory path too long");
    if ((st = bal_csv_read(ctx, path,
                           COLS("region", "year", "sex", "age_start", "age_end", "population"),
                           row_pop5_res, pk)))
        return st;
    return check_residents(ctx, pk, path);
}

void bal_datapack_release_migtables(bal_ctx *ctx, bal_datapack *pk)
{
    bal_free(ctx, pk->mig_tot.v);
    bal_free(ctx, pk->pop5_res.v);
    bal_free(ctx, pk->sgg_parent.v);
    memset(&pk->sgg_parent, 0, sizeof pk->sgg_parent);
    memset(&pk->mig_tot, 0, sizeof pk->mig_tot);
    memset(&pk->pop5_res, 0, sizeof pk->pop5_res);
}
