/*
 * test_backtest.c — the backtest's comparison points (engine/backtest.c):
 * year-ends while published, no comparison in a year without one, and the
 * base population (end of base_month) against the projection interpolated
 * between the year-ends around it; the naive national error.
 */
#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/engine.h"
#include "balance/run.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *data_dir(void)
{
    const char *d = getenv("BALANCE_DATA");
    return d ? d : "data/kr";
}

Test(backtest, year_ends_gap_and_base_point)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, data_dir(), &pk), BAL_OK, "%s", bal_ctx_message(ctx));
    /* without the residents-only age tables, the register's year-ends end
       with population_totals.csv, and the years up to the base population
       have no observation: hide them for this test (restored below) */
    const bal_yearly res_saved = pk.pop5_res;
    pk.pop5_res.nyears = 0;
    const int last_end = pk.pop_total.year0 + pk.pop_total.nyears - 1;
    /* the register's base population comes after the last year-end */
    cr_assert_gt(pk.base_year, last_end);
    cr_assert_lt(pk.base_month, 12);
    const int gap = pk.base_year > last_end + 1; /* a year-end not published yet */
    cr_assert_eq(bal_backtest_last_year(&pk, BAL_LEVEL_SIDO), pk.base_year);

    bal_run_opts o;
    bal_run_opts_default(&o, &pk);
    o.economy = 0;
    o.from = last_end - 3;
    bal_backtest bt;
    if (gap) {
        o.to = last_end + 1; /* a year without an observed population */
        cr_assert_eq(bal_backtest_run(ctx, &pk, &o, &bt), BAL_EUSAGE);
        cr_assert(strstr(bal_ctx_message(ctx), "no observed population") != NULL, "%s",
                  bal_ctx_message(ctx));
    }

    o.to = pk.base_year;
    cr_assert_eq(bal_backtest_run(ctx, &pk, &o, &bt), BAL_OK, "%s", bal_ctx_message(ctx));
    const int64_t n = bt.n;
    const int ny = bt.nyears, kb = ny - 1, kgap = last_end + 1 - o.from;
    cr_assert(bt.base_point);
    /* the gap year: no statistics, NAN observations */
    if (gap) {
        cr_assert(!bt.year[kgap].observed);
        cr_assert(isnan(bt.year[kgap].mape) && isnan(bt.observed[(size_t)kgap * (size_t)n]));
    }
    /* the base point: observed = the base population; projected = linear
       between the year-ends around it */
    const double f = (double)pk.base_month / 12.0;
    double on = 0.0, pn = 0.0, on0 = 0.0;
    for (int64_t r = 0; r < n; r++) {
        const double ob = bal_regions_pop_total(pk.base_pop, r);
        cr_assert_float_eq(bt.observed[(size_t)kb * (size_t)n + (size_t)r], ob, 1e-9 * ob);
        const double a = bal_projection_total(&bt.run.proj, kb - 1, r);
        const double b = bal_projection_total(&bt.run.proj, kb, r);
        const double p = bt.projected[(size_t)kb * (size_t)n + (size_t)r];
        cr_assert_float_eq(p, a + f * (b - a), 1e-9 * p);
        cr_assert_float_eq(bt.ape[(size_t)kb * (size_t)n + (size_t)r], 100.0 * (p - ob) / ob,
                           1e-9);
        on += ob;
        pn += p;
        on0 += bt.observed[r];
    }
    cr_assert(bt.year[kb].observed);
    cr_assert_float_eq(bt.year[kb].national, 100.0 * (pn - on) / on, 1e-9);
    cr_assert_float_eq(bt.year[kb].naive_national, 100.0 * (on0 - on) / on, 1e-9);
    /* the year-ends keep their plain comparison */
    cr_assert(bt.year[1].observed && bt.year[1].mape > 0.0);
    bal_backtest_release(ctx, &bt);
    /* with them, the year-end 2024 is observed (the end-2023 total plus the
       residents-only change) and every row is compared */
    pk.pop5_res = res_saved;
    o.to = pk.base_year;
    cr_assert_eq(bal_backtest_run(ctx, &pk, &o, &bt), BAL_OK, "%s", bal_ctx_message(ctx));
    for (int k = 1; k < bt.nyears; k++)
        cr_assert(bt.year[k].observed, "year %d not observed", o.from + k);
    cr_assert(bt.base_point);
    bal_backtest_release(ctx, &bt);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}
