/*
 * migrun.c — the migration model inside a projection: before each yearly
 * step, destination shares between groups and out-migration rates follow the
 * attractiveness inputs (docs/model.md §12.6).
 */
#include "balance/engine.h"

#include <math.h>
#include <string.h>

void bal_mig_run_release(bal_ctx *ctx, bal_mig_run *run)
{
    if (run == NULL)
        return;
    bal_mig_model_release(ctx, &run->model);
    bal_free(ctx, run->outrate0);
    memset(run, 0, sizeof *run);
}

int bal_mig_run_init(bal_ctx *ctx, bal_mig_run *run, const bal_datapack *pk,
                     const bal_demog_params *p, int y1, int window)
{
    memset(run, 0, sizeof *run);
    const int64_t ng = p->ngroup;
    if (ng != pk->nsido || ng > BAL_MAX_SIDO)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "migration model: groups must be the sido");
    int st = bal_mig_model_init(ctx, &run->model, ng);
    if (st)
        return st;
    run->outrate0 = bal_malloc(ctx, (size_t)(p->nreg * BAL_CELLS) * sizeof(double));
    if (run->outrate0 == NULL) {
        bal_mig_run_release(ctx, run);
        return BAL_ENOMEM;
    }
    memcpy(run->outrate0, p->outrate, (size_t)(p->nreg * BAL_CELLS) * sizeof(double));
    run->nreg = p->nreg;
    run->pack = pk;
    if ((st = bal_mig_base(ctx, pk, y1, window, &run->model))) {
        bal_mig_run_release(ctx, run);
        return st;
    }
    /* the pivot: the calibrated shares themselves */
    memcpy(run->model.share0, p->dest, (size_t)(ng * ng) * sizeof(double));
    for (int k = 0; k < BAL_NATTR; k++) {
        run->model.beta[k] = pk->mig_beta[k];
        run->model.theta[k] = pk->mig_theta[k];
    }
    run->model.young_scale = pk->mig_young_scale;
    run->model.young_share = pk->mig_young_share;
    for (int64_t g = 0; g < ng; g++)
        if (isnan(run->model.x0[g * BAL_NATTR])) {
            st = bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                           "migration model: no inputs for %s in the base years",
                           pk->regions.r[g].code);
            bal_mig_run_release(ctx, run);
            return st;
        }
    return BAL_OK;
}

int bal_mig_apply(const bal_mig_run *run, const double *x, const bal_demog_params *p,
                  bal_demog_rates *m)
{
    const int64_t n = p->nreg;
    double so, sy;
    bal_mig_age_scales(&run->model, &so, &sy);
    bal_mig_dest(&run->model, x, so, m->dest);
    m->young_dest = sy != so;
    if (m->young_dest)
        bal_mig_dest(&run->model, x, sy, m->dest_young);
    for (int64_t r = 0; r < n; r++) {
        const int64_t g = p->group ? p->group[r] : r;
        const double fo = bal_mig_out_factor(&run->model, x, g, so);
        const double fy = bal_mig_out_factor(&run->model, x, g, sy);
        for (int i = 0; i < BAL_CELLS; i++) {
            const int a = i % BAL_NAGE;
            const double f = a >= BAL_YOUNG_LO && a <= BAL_YOUNG_HI ? fy : fo;
            double v = p->redist ? p->redist[r * BAL_CELLS + i] : 0.0;
            double lim = 1.0 - (v < 0.0 ? -v : 0.0);
            double o = run->outrate0[r * BAL_CELLS + i] * f;
            m->outrate[r * BAL_CELLS + i] = o < lim ? o : lim;
        }
    }
    return BAL_OK;
}

int bal_mig_pivot(const bal_mig_run *run, int year, const double *pop, const bal_demog_params *p,
                  bal_demog_rates *m)
{
    const int64_t ng = p->ngroup, n = p->nreg;
    double x[BAL_MAX_SIDO * BAL_NATTR] = {0}, gpop[BAL_MAX_SIDO] = {0};
    for (int64_t g = 0; g < ng; g++) {
        double *xg = x + g * BAL_NATTR;
        if (run->attract) {
            memcpy(xg, bal_mig_attract_at(run->attract, year) + g * BAL_NATTR,
                   BAL_NATTR * sizeof(double));
        } else {
            /* the latest observed inputs up to this year, else the base */
            int y = year;
            const int first = run->pack->vintage.inputs_from;
            while (y >= first && bal_mig_inputs(run->pack, g, y, xg) != 0)
                y--;
            if (y < first)
                memcpy(xg, run->model.x0 + g * BAL_NATTR, BAL_NATTR * sizeof(double));
        }
    }
    for (int64_t r = 0; r < n; r++) {
        const int64_t g = p->group ? p->group[r] : r;
        gpop[g] += bal_regions_pop_total(pop, r);
    }
    for (int64_t g = 0; g < ng; g++)
        x[g * BAL_NATTR + BAL_ATTR_LOG_POP] = gpop[g] > 0.0 ? log(gpop[g]) : 0.0;
    return bal_mig_apply(run, x, p, m);
}
