/*
 * projection.c — a projection's populations and accounts: the demography
 * alone (bal_projection_run, bal_simulate without economy), totals, the
 * indicators of a sum of units, release.
 */
#include "balance/projection.h"
#include "balance/report.h"

#include <math.h>
#include <string.h>

int bal_projection_run(bal_ctx *ctx, const bal_demog_params *p, const double *pop0, int year1,
                bal_projection *pr)
{
    const bal_sim sim = {p, NULL, NULL};
    return bal_simulate(ctx, &sim, pop0, year1, pr);
}

void bal_projection_release(bal_ctx *ctx, bal_projection *pr)
{
    if (pr == NULL)
        return;
    bal_free(ctx, pr->pop);
    bal_free(ctx, pr->births);
    bal_free(ctx, pr->deaths);
    bal_free(ctx, pr->in);
    bal_free(ctx, pr->out);
    bal_free(ctx, pr->intl);
    bal_free(ctx, pr->in_local);
    bal_free(ctx, pr->out_local);
    memset(pr, 0, sizeof *pr);
}

double bal_projection_total(const bal_projection *pr, int k, int64_t r)
{
    const double *blk = bal_projection_pop(pr, k);
    if (r >= 0)
        return bal_regions_pop_total(blk, r);
    double sum = 0.0;
    for (int64_t i = 0; i < pr->nreg; i++)
        sum += bal_regions_pop_total(blk, i);
    return sum;
}
