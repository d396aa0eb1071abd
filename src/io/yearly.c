/*
 * yearly.c — the dense per-year storage of the data pack's tables
 * (bal_yearly, datapack.h): a year's block, and whether it is complete.
 */
#include "balance/datapack.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

double *bal_yearly_at(const bal_yearly *y, int year)
{
    if (y->v == NULL || year < y->year0 || year >= y->year0 + y->nyears)
        return NULL;
    return y->v + (size_t)(year - y->year0) * (size_t)y->stride;
}

int bal_yearly_complete(const bal_yearly *y, int year, int64_t n)
{
    const double *b = bal_yearly_at(y, year);
    if (b == NULL)
        return 0;
    for (int64_t i = 0; i < n; i++)
        if (isnan(b[i]))
            return 0;
    return 1;
}

double *bal_yearly_touch(bal_ctx *ctx, bal_yearly *y, int year)
{
    if (y->v == NULL) {
        y->v = bal_malloc(ctx, (size_t)y->stride * sizeof(double));
        if (y->v == NULL)
            return NULL;
        y->year0 = year;
        y->nyears = 1;
        for (int64_t i = 0; i < y->stride; i++)
            y->v[i] = NAN;
        return y->v;
    }
    if (year >= y->year0 && year < y->year0 + y->nyears)
        return bal_yearly_at(y, year);
    int lo = year < y->year0 ? year : y->year0;
    int hi = year >= y->year0 + y->nyears ? year + 1 : y->year0 + y->nyears;
    size_t n = (size_t)(hi - lo) * (size_t)y->stride;
    double *nv = bal_realloc(ctx, y->v, n * sizeof(double));
    if (nv == NULL)
        return NULL;
    size_t shift = (size_t)(y->year0 - lo) * (size_t)y->stride;
    size_t old = (size_t)y->nyears * (size_t)y->stride;
    memmove(nv + shift, nv, old * sizeof(double));
    for (size_t i = 0; i < shift; i++)
        nv[i] = NAN;
    for (size_t i = shift + old; i < n; i++)
        nv[i] = NAN;
    y->v = nv;
    y->year0 = lo;
    y->nyears = hi - lo;
    return bal_yearly_at(y, year);
}
