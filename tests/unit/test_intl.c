/*
 * test_intl.c — the register's net international migration (calibrate.c,
 * docs/model.md §6): the residual of the most recent intl_window years of
 * the migration window only, with registered births and deaths. Nationally
 * the internal flows cancel, so the total is the mean over those years of
 * ΔP − B + D, computed here from the pack's tables.
 */
#include "balance/calibrate.h"
#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/migage.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

static const char *data_dir(void)
{
    const char *d = getenv("BALANCE_DATA");
    return d ? d : "data/kr";
}

/* ΔP − B + D of the nation in year y (registered totals, births, deaths). */
static double national_residual(const bal_datapack *pk, int y)
{
    double p1[BAL_MAX_SIDO], p0[BAL_MAX_SIDO];
    cr_assert_geq(bal_migage_pop_totals(pk, y, p1), 0);
    cr_assert_geq(bal_migage_pop_totals(pk, y - 1, p0), 0);
    const double *v = bal_yearly_at(&pk->vital, y);
    cr_assert_not_null(v);
    double r = 0.0;
    for (int64_t s = 0; s < pk->nsido; s++)
        r += p1[s] - p0[s] - v[s * 2] + v[s * 2 + 1];
    return r;
}

Test(intl, residual_of_the_last_years)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, data_dir(), &pk), BAL_OK, "%s", bal_ctx_message(ctx));
    double *pop0 = calloc((size_t)(pk.nsido * BAL_CELLS), sizeof(double));
    cr_assert_not_null(pop0);
    for (int64_t i = 0; i < pk.nsido * BAL_CELLS; i++)
        pop0[i] = pk.base_pop[i];
    for (int w = 1; w <= 3; w++) {
        bal_calib_opts o;
        bal_calib_opts_default(&o, &pk);
        cr_assert_eq(o.intl_window, 2);
        o.intl_window = w;
        bal_demog_params p;
        bal_calib_report rep;
        cr_assert_eq(bal_calib_run(ctx, &pk, &o, pop0, &p, &rep), BAL_OK, "%s",
                     bal_ctx_message(ctx));
        cr_assert_eq(rep.intl_year1, rep.mig_year1);
        cr_assert_eq(rep.intl_year1 - rep.intl_year0 + 1, w);
        double want = 0.0, got = 0.0;
        for (int y = rep.intl_year0; y <= rep.intl_year1; y++)
            want += national_residual(&pk, y) / w;
        for (int64_t r = 0; r < pk.nsido; r++)
            got += rep.intl_per_year[r];
        cr_assert(fabs(got - want) < 1e-6 * fabs(want) + 1e-6, "window %d: %.3f, want %.3f", w,
                  got, want);
        bal_calib_report_release(ctx, &rep);
        bal_demog_params_release(ctx, &p);
    }
    free(pop0);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}
