/*
 * project.c — run the yearly step from the start population to a final year.
 *
 * All memory is allocated before the first step; the loop allocates nothing.
 */
#include "balance/engine.h"

#include <math.h>
#include <string.h>

int bal_project(bal_ctx *ctx, const bal_demog_params *p, const double *pop0, int year1,
                bal_projection *pr)
{
    /* without a hook the parameters are only read */
    return bal_project_with(ctx, (bal_demog_params *)p, pop0, year1, NULL, NULL, pr);
}

int bal_project_with(bal_ctx *ctx, bal_demog_params *p, const double *pop0, int year1,
                     bal_step_hook hook, void *ud, bal_projection *pr)
{
    memset(pr, 0, sizeof *pr);
    if (year1 < p->base_year)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "final year %d is before the start year %d",
                         year1, p->base_year);
    int st = bal_demog_params_check(ctx, p);
    if (st)
        return st;
    const int64_t n = p->nreg;
    const int ny = year1 - p->base_year + 1;
    const size_t cells = (size_t)(n * BAL_CELLS);
    const size_t steps = (size_t)(ny > 1 ? ny - 1 : 1) * (size_t)n;
    pr->nreg = n;
    pr->year0 = p->base_year;
    pr->nyears = ny;
    pr->pop = bal_malloc(ctx, (size_t)ny * cells * sizeof(double));
    pr->births = bal_calloc(ctx, steps, sizeof(double));
    pr->deaths = bal_calloc(ctx, steps, sizeof(double));
    pr->in = bal_calloc(ctx, steps, sizeof(double));
    pr->out = bal_calloc(ctx, steps, sizeof(double));
    pr->intl = bal_calloc(ctx, steps, sizeof(double));
    pr->in_local = bal_calloc(ctx, steps, sizeof(double));
    pr->out_local = bal_calloc(ctx, steps, sizeof(double));
    bal_demog_work *w = bal_demog_work_alloc(ctx, n, p->ngroup);
    if (!pr->pop || !pr->births || !pr->deaths || !pr->in || !pr->out || !pr->intl ||
        !pr->in_local || !pr->out_local || !w) {
        st = BAL_ENOMEM;
        goto fail;
    }
    memcpy(pr->pop, pop0, cells * sizeof(double));
    for (int k = 0; k + 1 < ny; k++) {
        const size_t off = (size_t)k * (size_t)n;
        if (hook && (st = hook(ctx, ud, p->base_year + k, bal_projection_pop(pr, k), p)))
            goto fail;
        bal_demog_accounts acc = {pr->births + off,   pr->deaths + off,   pr->in + off,
                                  pr->out + off,      pr->in_local + off, pr->out_local + off,
                                  pr->intl + off};
        st = bal_demog_step(ctx, p, p->base_year + k, bal_projection_pop(pr, k),
                            bal_projection_pop(pr, k + 1), &acc, w);
        if (st)
            goto fail;
    }
    bal_demog_work_free(ctx, w);
    return BAL_OK;
fail:
    bal_demog_work_free(ctx, w);
    bal_projection_release(ctx, pr);
    return st;
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
        return bal_pop_region_total(blk, r);
    double sum = 0.0;
    for (int64_t i = 0; i < pr->nreg; i++)
        sum += bal_pop_region_total(blk, i);
    return sum;
}

