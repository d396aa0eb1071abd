/*
 * yearly.c — the dense per-year storage of the data pack's tables
 * (bal_yearly, datapack.h): a year's block, and whether it is complete.
 */
#include "balance/datapack.h"

#include <math.h>
#include <stddef.h>

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
