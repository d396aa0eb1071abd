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
    bal_demog_work *w = bal_demog_work_alloc(ctx, n);
    if (!pr->pop || !pr->births || !pr->deaths || !pr->in || !pr->out || !pr->intl || !w) {
        st = BAL_ENOMEM;
        goto fail;
    }
    memcpy(pr->pop, pop0, cells * sizeof(double));
    for (int k = 0; k + 1 < ny; k++) {
        bal_demog_accounts acc = {pr->births + (size_t)k * (size_t)n,
                                  pr->deaths + (size_t)k * (size_t)n,
                                  pr->in + (size_t)k * (size_t)n, pr->out + (size_t)k * (size_t)n,
                                  pr->intl + (size_t)k * (size_t)n};
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

double bal_projection_capital_share(const bal_projection *pr, const bal_regions *regions, int k)
{
    double cap = 0.0, all = 0.0;
    for (int64_t i = 0; i < pr->nreg; i++) {
        double v = bal_projection_total(pr, k, i);
        all += v;
        if (regions->r[i].capital_region)
            cap += v;
    }
    return all > 0.0 ? 100.0 * cap / all : 0.0;
}

const char *bal_indicator_name(int ind)
{
    static const char *const names[BAL_NIND] = {
        "population", "population_female", "population_male", "births", "deaths",
        "internal_in", "internal_out", "net_internal_migration", "net_international_migration"};
    return ind >= 0 && ind < BAL_NIND ? names[ind] : "";
}

void bal_projection_values(const bal_projection *pr, int k, int64_t r, double *v)
{
    const int64_t lo = r < 0 ? 0 : r, hi = r < 0 ? pr->nreg : r + 1;
    for (int i = 0; i < BAL_NIND; i++)
        v[i] = 0.0;
    for (int64_t g = lo; g < hi; g++) {
        const double *blk = bal_projection_pop(pr, k) + g * BAL_CELLS;
        double f = 0.0, m = 0.0;
        for (int a = 0; a < BAL_NAGE; a++) {
            f += blk[BAL_FEMALE * BAL_NAGE + a];
            m += blk[BAL_MALE * BAL_NAGE + a];
        }
        v[BAL_IND_POPULATION_FEMALE] += f;
        v[BAL_IND_POPULATION_MALE] += m;
        v[BAL_IND_POPULATION] += f + m;
        if (k > 0) {
            size_t i = (size_t)(k - 1) * (size_t)pr->nreg + (size_t)g;
            v[BAL_IND_BIRTHS] += pr->births[i];
            v[BAL_IND_DEATHS] += pr->deaths[i];
            v[BAL_IND_INTERNAL_IN] += pr->in[i];
            v[BAL_IND_INTERNAL_OUT] += pr->out[i];
            v[BAL_IND_NET_INTERNAL] += pr->in[i] - pr->out[i];
            v[BAL_IND_NET_INTERNATIONAL] += pr->intl[i];
        }
    }
    if (k == 0)
        for (int i = BAL_IND_BIRTHS; i < BAL_NIND; i++)
            v[i] = NAN;
}
