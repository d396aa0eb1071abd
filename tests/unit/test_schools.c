/*
 * test_schools.c — the school closure model (docs/model.md §13.3): the
 * 2020-2025 hindcast against the published closures (within ±50% every
 * year, and the default kappa is the calibrated one), and in the status
 * quo: schools at the first year equal the register in every sigungu,
 * schools never rise and never exceed the stock, closures cumulate. The
 * figures of docs/model.md §13.3 are printed on stderr when the environment
 * has BALANCE_SCHOOL_FIGURES=1:
 *   BALANCE_SCHOOL_FIGURES=1 build/balance-tests --filter 'schools/hindcast*'
 */
#include "balance/compare.h"
#include "balance/datapack.h"
#include "balance/engine.h"
#include "balance/indicators.h"
#include "balance/schools.h"

#include "testutil.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* printf to stderr when figures are asked for, else nothing */
static void fig(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fig(const char *fmt, ...)
{
    const char *e = getenv("BALANCE_SCHOOL_FIGURES");
    if (e == NULL || strcmp(e, "1") != 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

static void load(bal_ctx *ctx, bal_datapack *pk)
{
    cr_assert_eq(bal_datapack_load(ctx, tu_data_dir(), pk), BAL_OK, "%s", bal_ctx_message(ctx));
    cr_assert_eq(bal_datapack_load_municipal(ctx, pk), BAL_OK, "%s", bal_ctx_message(ctx));
}

static void print_fit(const char *title, const bal_school_fit *f)
{
    fig("%s\n| year | observed | model | elementary | middle | high | ratio |\n",
            title);
    for (int k = 0; k < f->nyears; k++)
        fig("| %d | %.0f%s | %.1f | %.1f | %.1f | %.1f | %.2f |\n", f->year0 + k,
                f->observed[k], f->planned[k] ? " (planned)" : "", f->model[k][BAL_NSCHOOL],
                f->model[k][0], f->model[k][1], f->model[k][2],
                f->model[k][BAL_NSCHOOL] / f->observed[k]);
}

/* The default kappa reproduces every year's closures within ±50%, and is
   the calibrated value (to its two decimals). */
Test(schools, hindcast_2020_2025, .timeout = 120)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    load(ctx, &pk);
    bal_econ_opts eo;
    bal_couple_opts_default(&eo);
    bal_school_fit fit;
    cr_assert_eq(bal_schools_hindcast(ctx, &pk, &eo.svc, &fit), BAL_OK, "%s",
                 bal_ctx_message(ctx));
    cr_assert_eq(fit.year0, 2020);
    cr_assert_eq(fit.nyears, 6);
    print_fit("school closures, hindcast with the default parameters", &fit);
    for (int k = 0; k < fit.nyears; k++) {
        const double r = fit.model[k][BAL_NSCHOOL] / fit.observed[k];
        cr_expect(r >= 0.5 && r <= 1.5, "%d: model %.1f, observed %.0f", fit.year0 + k,
                  fit.model[k][BAL_NSCHOOL], fit.observed[k]);
    }
    bal_svc_params p = eo.svc;
    cr_assert_eq(bal_schools_calibrate(ctx, &pk, &p, &fit), BAL_OK, "%s", bal_ctx_message(ctx));
    fig("calibrated kappa %.6f (sigma %.2f), sse %.6f\n", p.school_kappa,
            p.school_sigma, fit.sse);
    cr_expect(fabs(p.school_kappa - eo.svc.school_kappa) <= 0.005,
              "calibrated kappa %.6f, default %.2f", p.school_kappa, eo.svc.school_kappa);
    /* sensitivity to sigma (ASSUMPTIONS.md A34c) */
    for (int i = 0; i < 3; i++) {
        static const double sig[3] = {0.5, 1.0, 1.2};
        bal_svc_params q = eo.svc;
        q.school_sigma = sig[i];
        cr_assert_eq(bal_schools_calibrate(ctx, &pk, &q, &fit), BAL_OK);
        char t[96];
        snprintf(t, sizeof t, "sigma %.2f: kappa %.4f, sse %.4f", q.school_sigma,
                 q.school_kappa, fit.sse);
        print_fit(t, &fit);
    }
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}

/* A status-quo run at `level`: the invariants, and the national figures by
   level printed. */
static void check_run(int level)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    load(ctx, &pk);
    bal_scn_result res[1];
    cr_assert_eq(bal_compare_run(ctx, &pk, level, NULL, 0, res), BAL_OK, "%s",
                 bal_ctx_message(ctx));
    const bal_couple *c = &res[0].couple;
    const bal_report *rp = &res[0].report;
    const int64_t ns = pk.nsido, nu = c->nunit, nsgg = pk.regions.n - ns;
    /* stock per unit and level */
    double stock[1024][BAL_NSCHOOL];
    memset(stock, 0, sizeof stock);
    for (int64_t s = 0; s < nsgg; s++) {
        const int64_t u = level == BAL_LEVEL_SIGUNGU ? s : pk.regions.r[ns + s].parent;
        for (int l = 0; l < BAL_NSCHOOL; l++)
            stock[u][l] += pk.school_main[s * BAL_NSCHOOL + l] + pk.school_branch[s * BAL_NSCHOOL + l];
    }
    cr_assert_eq(nu, level == BAL_LEVEL_SIGUNGU ? 229 : 17);
    for (int64_t u = 0; u < nu; u++) {
        /* the first year is the register, in the report too */
        const int64_t out = level == BAL_LEVEL_SIGUNGU ? ns + u : u;
        const double reg = stock[u][0] + stock[u][1] + stock[u][2];
        cr_expect_eq(bal_report_row(rp, out, 0)[BAL_IND_SCHOOLS], reg, "%s: %.17g != %.0f",
                     pk.regions.r[rp->region[out]].code,
                     bal_report_row(rp, out, 0)[BAL_IND_SCHOOLS], reg);
        cr_expect_eq(bal_report_row(rp, out, 0)[BAL_IND_SCHOOLS_CLOSED], 0.0);
        for (int l = 0; l < BAL_NSCHOOL; l++) {
            double prev_open = stock[u][l], prev_closed = 0.0;
            for (int k = 0; k < c->nyears; k++) {
                const int64_t i = ((int64_t)k * nu + u) * BAL_NSCHOOL + l;
                const double o = c->sch_open[i], x = c->sch_closed[i];
                cr_expect(o <= prev_open && x >= prev_closed, "unit %lld level %d year %d",
                          (long long)u, l, c->year0 + k);
                cr_expect(o >= 0.0 && o <= stock[u][l] && x <= stock[u][l]);
                cr_expect(fabs(o + x - stock[u][l]) <= 1e-9 * stock[u][l]);
                prev_open = o;
                prev_closed = x;
            }
        }
    }
    /* figures for docs/model.md §13.3 */
    fig("%s run, status quo: schools operating / closed since %d\n",
            level == BAL_LEVEL_SIGUNGU ? "sigungu" : "sido", c->year0);
    for (int k = 0; k < c->nyears; k++) {
        const int y = c->year0 + k;
        if (y != c->year0 && y != 2030 && y != 2035 && y != 2045 && y != c->year0 + c->nyears - 1)
            continue;
        double o[BAL_NSCHOOL + 1] = {0}, x[BAL_NSCHOOL + 1] = {0};
        for (int64_t u = 0; u < nu; u++)
            for (int l = 0; l < BAL_NSCHOOL; l++) {
                const int64_t i = ((int64_t)k * nu + u) * BAL_NSCHOOL + l;
                o[l] += c->sch_open[i];
                x[l] += c->sch_closed[i];
                o[BAL_NSCHOOL] += c->sch_open[i];
                x[BAL_NSCHOOL] += c->sch_closed[i];
            }
        fig("| %d | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f |\n", y,
                o[0], x[0], o[1], x[1], o[2], x[2], o[3], x[3]);
        cr_expect(fabs(bal_report_row(rp, -1, k)[BAL_IND_SCHOOLS] - o[3]) < 1e-6);
        cr_expect(fabs(bal_report_row(rp, -1, k)[BAL_IND_SCHOOLS_CLOSED] - x[3]) < 1e-6);
    }
    bal_compare_result_release(ctx, &res[0]);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}

Test(schools, sigungu_run_register_and_monotone, .timeout = 300)
{
    check_run(BAL_LEVEL_SIGUNGU);
}

Test(schools, sido_run_register_and_monotone, .timeout = 300)
{
    check_run(BAL_LEVEL_SIDO);
}
