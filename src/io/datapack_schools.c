/*
 * datapack_schools.c — the school tables of the data pack (docs/model.md
 * §13.3, data/kr/SOURCES.md): the register of operating schools per sigungu
 * and level, schools and students by sido and year, and the published
 * national closures per year. Each is checked: header, codes, levels,
 * counts, duplicates, completeness, and the sums of the register (sigungu to
 * sido to nation) and of the yearly series (sido to nation).
 */
#include "balance/datapack.h"
#include "csvread.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SPATH 1024

const char *bal_school_level_name(int l)
{
    static const char *const names[BAL_NSCHOOL] = {"elementary", "middle", "high"};
    return l >= 0 && l < BAL_NSCHOOL ? names[l] : "";
}

static int parse_level(bal_ctx *ctx, const bal_csv_row *row, int col, int allow_all, int *l)
{
    const char *s = row->field[col];
    for (int i = 0; i < BAL_NSCHOOL; i++)
        if (strcmp(s, bal_school_level_name(i)) == 0) {
            *l = i;
            return BAL_OK;
        }
    if (allow_all && strcmp(s, "all") == 0) {
        *l = -1;
        return BAL_OK;
    }
    return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                     "school_level: expected elementary, middle or high%s, found '%s'",
                     allow_all ? " or all" : "", s);
}

/* Region index: 0..nsido-1 a sido, nsido the nation ("00"), nsido + 1 + u
   sigungu u (when allow_sgg). */
static int parse_region(bal_ctx *ctx, const bal_datapack *pk, const bal_csv_row *row,
                        int allow_sgg, int64_t *idx)
{
    const char *s = row->field[0];
    if (strcmp(s, "00") == 0) {
        *idx = pk->nsido;
        return BAL_OK;
    }
    const int64_t i = bal_regions_find(&pk->regions, s);
    if (i >= 0 && i < pk->nsido) {
        *idx = i;
        return BAL_OK;
    }
    if (i >= pk->nsido && allow_sgg) {
        *idx = i + 1;
        return BAL_OK;
    }
    return bal_raise(ctx, BAL_EDATA, row->file, row->line, "region: unknown %s code '%s'",
                     allow_sgg ? "region" : "sido", s);
}

static int once(bal_ctx *ctx, const bal_csv_row *row, double *cell, double v)
{
    if (!isnan(*cell))
        return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate row");
    *cell = v;
    return BAL_OK;
}

/* ---- schools_register.csv: region,school_level,main,branch ---- */

typedef struct reg_read {
    bal_datapack *pk;
    double *v; /* [(nsido + 1 + nsgg)][BAL_NSCHOOL][2] */
} reg_read;

static int row_register(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    reg_read *rr = ud;
    int64_t r = 0;
    int l = 0, st;
    double m, b;
    if ((st = parse_region(ctx, rr->pk, row, 1, &r)) || (st = parse_level(ctx, row, 1, 0, &l)) ||
        (st = bal_csv_count(ctx, row, 2, "main", &m)) ||
        (st = bal_csv_count(ctx, row, 3, "branch", &b)))
        return st;
    double *c = rr->v + (r * BAL_NSCHOOL + l) * 2;
    if ((st = once(ctx, row, c, m)))
        return st;
    c[1] = b;
    return BAL_OK;
}

/* ---- schools_sido.csv: region,year,school_level,schools,students ---- */


static int row_sido(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    int64_t r = 0;
    long year;
    int l = 0, st;
    double n, s;
    if ((st = parse_region(ctx, pk, row, 0, &r)) ||
        (st = bal_csv_long(ctx, row, 1, "year", pk->vintage.year_min, pk->vintage.year_max,
                           &year)) ||
        (st = parse_level(ctx, row, 2, 0, &l)) ||
        (st = bal_csv_count(ctx, row, 3, "schools", &n)) ||
        (st = bal_csv_count(ctx, row, 4, "students", &s)))
        return st;
    double *b = bal_yearly_touch(ctx, &pk->school_sido, (int)year);
    if (b == NULL)
        return BAL_ENOMEM;
    double *c = b + (r * BAL_NSCHOOL + l) * 2;
    if ((st = once(ctx, row, c, n)))
        return st;
    c[1] = s;
    return BAL_OK;
}

/* ---- school_closures.csv: series,year,period_type,school_level,closures,confirmed ---- */

static int row_closure(bal_ctx *ctx, const bal_csv_row *row, void *ud)
{
    bal_datapack *pk = ud;
    bal_school_closure c;
    memset(&c, 0, sizeof c);
    long year;
    int st;
    const char *s = row->field[0];
    const size_t n = strlen(s);
    if (n == 0 || n >= sizeof c.series || strspn(s, "abcdefghijklmnopqrstuvwxyz") != n)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "series: expected a lower-case name, found '%s'", s);
    memcpy(c.series, s, n + 1);
    if ((st = bal_csv_long(ctx, row, 1, "year", pk->vintage.year_min, pk->vintage.year_max,
                           &year)) ||
        (st = parse_level(ctx, row, 3, 1, &c.level)) ||
        (st = bal_csv_count(ctx, row, 4, "closures", &c.closures)))
        return st;
    c.year = (int)year;
    if (strcmp(row->field[2], "year") == 0)
        c.planned = 0;
    else if (strcmp(row->field[2], "year_planned") == 0)
        c.planned = 1;
    else
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "period_type: expected year or year_planned, found '%s'", row->field[2]);
    if (strcmp(row->field[5], "true") == 0)
        c.confirmed = 1;
    else if (strcmp(row->field[5], "false") != 0)
        return bal_raise(ctx, BAL_EDATA, row->file, row->line,
                         "confirmed: expected true or false, found '%s'", row->field[5]);
    for (int i = 0; i < pk->nschool_closures; i++) {
        const bal_school_closure *o = &pk->school_closures[i];
        if (strcmp(o->series, c.series) == 0 && o->year == c.year && o->planned == c.planned &&
            o->level == c.level)
            return bal_raise(ctx, BAL_EDATA, row->file, row->line, "duplicate row");
    }
    bal_school_closure *nc = bal_realloc(ctx, pk->school_closures,
                                         (size_t)(pk->nschool_closures + 1) * sizeof *nc);
    if (nc == NULL)
        return BAL_ENOMEM;
    pk->school_closures = nc;
    nc[pk->nschool_closures++] = c;
    return BAL_OK;
}

static int read_one(bal_ctx *ctx, const bal_datapack *pk, const char *name, char *path,
                    const char *const *cols, int ncols, bal_csv_row_fn fn, void *ud)
{
    const int n = snprintf(path, SPATH, "%s/%s", pk->dir, name);
    if (n < 0 || n >= SPATH)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "data directory path too long");
    return bal_csv_read(ctx, path, cols, ncols, fn, ud);
}

/* Register: complete, and sigungu sum to sido, sido to nation. */
static int register_check(bal_ctx *ctx, const bal_datapack *pk, const char *path,
                          const double *v)
{
    const int64_t ns = pk->nsido, nr = pk->regions.n;
    for (int64_t r = 0; r <= nr; r++)
        for (int l = 0; l < BAL_NSCHOOL; l++)
            if (isnan(v[(r * BAL_NSCHOOL + l) * 2])) {
                const char *code = r == ns ? "00" : pk->regions.r[r < ns ? r : r - 1].code;
                return bal_raise(ctx, BAL_EDATA, path, 0, "missing region %s, %s", code,
                                 bal_school_level_name(l));
            }
    for (int l = 0; l < BAL_NSCHOOL; l++)
        for (int k = 0; k < 2; k++) {
            double nat = 0.0;
            for (int64_t g = 0; g < ns; g++) {
                double sum = 0.0;
                for (int64_t i = ns; i < nr; i++)
                    if (pk->regions.r[i].parent == g)
                        sum += v[((i + 1) * BAL_NSCHOOL + l) * 2 + k];
                const double want = v[(g * BAL_NSCHOOL + l) * 2 + k];
                if (sum != want)
                    return bal_raise(ctx, BAL_EDATA, path, 0,
                                     "sido %s, %s %s: the sigungu sum to %.0f, the sido row "
                                     "says %.0f",
                                     pk->regions.r[g].code, bal_school_level_name(l),
                                     k ? "branch" : "main", sum, want);
                nat += want;
            }
            const double want = v[(ns * BAL_NSCHOOL + l) * 2 + k];
            if (nat != want)
                return bal_raise(ctx, BAL_EDATA, path, 0,
                                 "nation, %s %s: the sido sum to %.0f, the national row says "
                                 "%.0f",
                                 bal_school_level_name(l), k ? "branch" : "main", nat, want);
        }
    return BAL_OK;
}

static int sido_check(bal_ctx *ctx, const bal_datapack *pk, const char *path)
{
    const bal_yearly *y = &pk->school_sido;
    const int64_t ns = pk->nsido;
    if (y->v == NULL)
        return bal_raise(ctx, BAL_EDATA, path, 0, "no data rows");
    for (int yr = y->year0; yr < y->year0 + y->nyears; yr++) {
        const double *b = bal_yearly_at(y, yr);
        for (int l = 0; l < BAL_NSCHOOL; l++)
            for (int k = 0; k < 2; k++) {
                const double nat = b[(ns * BAL_NSCHOOL + l) * 2 + k];
                if (isnan(nat))
                    return bal_raise(ctx, BAL_EDATA, path, 0, "%d, %s: no national row", yr,
                                     bal_school_level_name(l));
                double sum = 0.0;
                for (int64_t g = 0; g < ns; g++) {
                    const double x = b[(g * BAL_NSCHOOL + l) * 2 + k];
                    if (!isnan(x))
                        sum += x;
                }
                if (sum != nat)
                    return bal_raise(ctx, BAL_EDATA, path, 0,
                                     "%d, %s %s: the sido sum to %.0f, the national row says "
                                     "%.0f",
                                     yr, bal_school_level_name(l), k ? "students" : "schools",
                                     sum, nat);
            }
    }
    return BAL_OK;
}

int bal_datapack_load_schools(bal_ctx *ctx, bal_datapack *pk)
{
    char path[SPATH];
    const int64_t nr = pk->regions.n, ns = pk->nsido, nsgg = nr - ns;
    pk->school_sido.stride = (ns + 1) * BAL_NSCHOOL * 2;
    const size_t nv = (size_t)(nr + 1) * BAL_NSCHOOL * 2;
    reg_read rr = {pk, bal_malloc(ctx, nv * sizeof(double))};
    pk->school_main = bal_calloc(ctx, (size_t)(nsgg > 0 ? nsgg : 1) * BAL_NSCHOOL, sizeof(double));
    pk->school_branch =
        bal_calloc(ctx, (size_t)(nsgg > 0 ? nsgg : 1) * BAL_NSCHOOL, sizeof(double));
    if (rr.v == NULL || pk->school_main == NULL || pk->school_branch == NULL) {
        bal_free(ctx, rr.v);
        return BAL_ENOMEM;
    }
    for (size_t i = 0; i < nv; i++)
        rr.v[i] = NAN;
    int st = read_one(ctx, pk, "schools_register.csv", path,
                      (const char *const[]){"region", "school_level", "main", "branch"}, 4,
                      row_register, &rr);
    if (st == BAL_OK)
        st = register_check(ctx, pk, path, rr.v);
    if (st == BAL_OK)
        for (int64_t u = 0; u < nsgg; u++)
            for (int l = 0; l < BAL_NSCHOOL; l++) {
                const double *c = rr.v + ((ns + 1 + u) * BAL_NSCHOOL + l) * 2;
                pk->school_main[u * BAL_NSCHOOL + l] = c[0];
                pk->school_branch[u * BAL_NSCHOOL + l] = c[1];
            }
    bal_free(ctx, rr.v);
    if (st ||
        (st = read_one(ctx, pk, "schools_sido.csv", path,
                       (const char *const[]){"region", "year", "school_level", "schools",
                                             "students"},
                       5, row_sido, pk)) ||
        (st = sido_check(ctx, pk, path)) ||
        (st = read_one(ctx, pk, "school_closures.csv", path,
                       (const char *const[]){"series", "year", "period_type", "school_level",
                                             "closures", "confirmed"},
                       6, row_closure, pk)))
        return st;
    return BAL_OK;
}

void bal_datapack_release_schools(bal_ctx *ctx, bal_datapack *pk)
{
    bal_free(ctx, pk->school_main);
    bal_free(ctx, pk->school_branch);
    bal_free(ctx, pk->school_sido.v);
    bal_free(ctx, pk->school_closures);
    pk->school_main = pk->school_branch = NULL;
    memset(&pk->school_sido, 0, sizeof pk->school_sido);
    pk->school_closures = NULL;
    pk->nschool_closures = 0;
}
