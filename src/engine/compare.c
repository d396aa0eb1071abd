/*
 * compare.c — the status quo and scenarios side by side (policyrun.h): one
 * calibration, the status quo to the latest horizon, then each scenario
 * with its levers and migration responding to the status quo.
 */
#include "balance/calibrate.h"
#include "balance/migfit.h"
#include "balance/policyrun.h"

#include <string.h>

void bal_compare_result_release(bal_ctx *ctx, bal_scn_result *r)
{
    if (r == NULL)
        return;
    bal_report_release(ctx, &r->report);
    bal_couple_release(ctx, &r->couple);
    bal_projection_release(ctx, &r->proj);
    bal_policy_release(ctx, &r->policy);
    memset(r, 0, sizeof *r);
}

int bal_compare_run(bal_ctx *ctx, const bal_datapack *pk, int level, const bal_scenario *sc,
                    int n, bal_scn_result *out)
{
    for (int i = 0; i <= n; i++)
        memset(&out[i], 0, sizeof out[i]);
    const int muni = level == BAL_LEVEL_SIGUNGU;
    bal_calib_opts co;
    bal_calib_opts_default(&co, pk);
    co.base_time = pk->base_year + (double)pk->base_month / 12.0;
    bal_demog_params p = {0}, m = {0};
    bal_mig_run run = {0};
    int st;
    /* the status quo runs to the latest horizon (a scenario without one: the
       data's) */
    int horizon = n == 0 ? pk->vintage.horizon : pk->base_year;
    for (int i = 0; i < n; i++)
        if ((sc[i].horizon ? sc[i].horizon : pk->vintage.horizon) > horizon)
            horizon = sc[i].horizon ? sc[i].horizon : pk->vintage.horizon;
    if ((st = bal_calib_run(ctx, pk, &co, pk->base_pop, &p, NULL)) ||
        (muni && (st = bal_muni_calibrate(ctx, pk, &co, &p, pk->base_pop_sgg, &m, NULL))))
        goto done;
    /* the calibrated parameters: read by every run, changed by none */
    const bal_demog_params *pp = muni ? &m : &p;
    const double *pop0 = muni ? pk->base_pop_sgg : pk->base_pop;
    bal_econ_opts eo;
    bal_couple_opts_default(&eo);
    /* the status quo */
    if ((st = bal_couple_init(ctx, &out[0].couple, pk, &eo, pp, pop0, pk->base_year, horizon,
                              level)) ||
        (st = bal_couple_project(ctx, &out[0].couple, pp, pop0, horizon, &out[0].proj)) ||
        (st = bal_report_build(ctx, &out[0].proj, &pk->regions, level, &out[0].report)) ||
        (st = bal_report_economy(ctx, &out[0].couple, &out[0].report)))
        goto done;
    /* the migration model for the scenarios: pivot on the calibrated shares */
    if ((st = bal_mig_run_init(ctx, &run, pk, pp, pk->vintage.migration_fit_to, co.mig_window)))
        goto done;
    run.model.beta[BAL_ATTR_AMENITY] = run.model.beta[BAL_ATTR_GRDP_PC]; /* A42 */
    for (int i = 0; i < n; i++) {
        bal_scn_result *r = &out[i + 1];
        r->sc = &sc[i];
        const int h = sc[i].horizon ? sc[i].horizon : pk->vintage.horizon;
        if ((st = bal_couple_init(ctx, &r->couple, pk, &eo, pp, pop0, pk->base_year, h, level)))
            goto done;
        if (!bal_policy_is_status_quo(&sc[i])) {
            if ((st = bal_policy_init(ctx, &r->policy, &sc[i], &out[0].couple, &r->couple)))
                goto done;
            r->couple.levers = bal_policy_levers;
            r->couple.levers_ud = &r->policy;
            r->couple.ref = &out[0].couple.rec;
            r->couple.mig = &run;
        }
        if ((st = bal_couple_project(ctx, &r->couple, pp, pop0, h, &r->proj)) ||
            (st = bal_report_build(ctx, &r->proj, &pk->regions, level, &r->report)) ||
            (st = bal_report_economy(ctx, &r->couple, &r->report)))
            goto done;
    }
done:
    bal_mig_run_release(ctx, &run);
    bal_demog_params_release(ctx, &m);
    bal_demog_params_release(ctx, &p);
    if (st)
        for (int i = 0; i <= n; i++)
            bal_compare_result_release(ctx, &out[i]);
    return st;
}
