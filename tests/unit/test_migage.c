/*
 * test_migage.c — the age pattern of migration (balance/migage.h): the two
 * pure fits on cases with a known answer, the yearly step with destination
 * attractiveness by age worked by hand, and the calibrated model against the
 * observed net migration of the fit window (docs/model.md §5.1).
 */
#include "balance/engine.h"
#include "balance/migage.h"

#include "testutil.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Uniform weights, start at zero: each row's target is shared equally,
   x(r,c) = t_r / 2, and the columns already sum to zero (Σ t = 0). */
Test(migage, adjust_by_hand)
{
    const double w[6] = {1, 1, 1, 1, 1, 1}, t[3] = {4.0, -1.0, -3.0};
    double x[6] = {0};
    int it = bal_migage_adjust(3, 2, w, t, x, 100, 1e-12);
    cr_assert(it >= 1, "iterations %d", it);
    const double want[6] = {2.0, 2.0, -0.5, -0.5, -1.5, -1.5};
    for (int i = 0; i < 6; i++)
        cr_assert(fabs(x[i] - want[i]) < 1e-12, "x[%d] = %.15g", i, x[i]);
}

/* Unequal weights: both margins hold and the change is w (a_r + b_c), so its
   ratio to w has no interaction: d(r,c) - d(r,c') - d(r',c) + d(r',c') = 0. */
Test(migage, adjust_weighted_additive)
{
    enum { R = 4, C = 5 };
    double w[R * C], x[R * C], x0[R * C], t[R] = {120.0, -35.5, -60.0, -24.5};
    unsigned s = 12345u;
    for (int i = 0; i < R * C; i++) {
        s = s * 1103515245u + 12345u;
        w[i] = 0.5 + (double)(s >> 16 & 0x7fff) / 32768.0 * 3.0;
        s = s * 1103515245u + 12345u;
        x0[i] = x[i] = -50.0 + (double)(s >> 16 & 0x7fff) / 32768.0 * 100.0;
    }
    int it = bal_migage_adjust(R, C, w, t, x, 100000, 1e-10);
    cr_assert(it > 0, "no convergence");
    for (int r = 0; r < R; r++) {
        double sum = 0.0;
        for (int c = 0; c < C; c++)
            sum += x[r * C + c];
        cr_assert(fabs(sum - t[r]) < 1e-9, "row %d sums to %.12g", r, sum);
    }
    for (int c = 0; c < C; c++) {
        double sum = 0.0;
        for (int r = 0; r < R; r++)
            sum += x[r * C + c];
        cr_assert(fabs(sum) < 1e-9, "column %d sums to %.12g", c, sum);
    }
    for (int r = 1; r < R; r++)
        for (int c = 1; c < C; c++) {
            double d00 = (x[0] - x0[0]) / w[0], d0c = (x[c] - x0[c]) / w[c];
            double dr0 = (x[r * C] - x0[r * C]) / w[r * C];
            double drc = (x[r * C + c] - x0[r * C + c]) / w[r * C + c];
            cr_assert(fabs(drc - dr0 - d0c + d00) < 1e-8, "interaction at %d,%d", r, c);
        }
}

/* Synthetic: the arrivals of a known attractiveness are the targets; the fit
   started from 1 recovers it (each group's column at mean 1). */
Test(migage, ipf_recovers_known_attractiveness)
{
    enum { N = 6, NB = 3 };
    double dest[N * N], out[N * NB], truth[N * NB], g[N * NB], target[N * NB];
    unsigned s = 777u;
    for (int i = 0; i < N; i++) {
        double sum = 0.0;
        for (int j = 0; j < N; j++) {
            s = s * 1103515245u + 12345u;
            dest[i * N + j] = i == j ? 0.0 : 0.05 + (double)(s >> 16 & 0x7fff) / 32768.0;
            sum += dest[i * N + j];
        }
        for (int j = 0; j < N; j++)
            dest[i * N + j] /= sum;
        for (int b = 0; b < NB; b++) {
            s = s * 1103515245u + 12345u;
            out[i * NB + b] = 1000.0 + (double)(s >> 16 & 0x7fff) / 3.0;
        }
    }
    for (int b = 0; b < NB; b++) {
        double mean = 0.0;
        for (int j = 0; j < N; j++) {
            s = s * 1103515245u + 12345u;
            truth[j * NB + b] = 0.3 + 2.7 * (double)(s >> 16 & 0x7fff) / 32768.0;
            mean += truth[j * NB + b] / N;
        }
        for (int j = 0; j < N; j++)
            truth[j * NB + b] /= mean;
    }
    bal_migage_arrivals(N, NB, out, dest, truth, target);
    for (int i = 0; i < N * NB; i++)
        g[i] = 1.0;
    double maxrel = 1.0;
    int it = bal_migage_ipf(N, NB, out, dest, target, g, 100000, 1e-13, &maxrel);
    cr_assert(it > 0, "no convergence (%g)", maxrel);
    for (int i = 0; i < N * NB; i++)
        cr_assert(fabs(g[i] - truth[i]) < 1e-9, "gamma[%d] = %.12g, true %.12g", i, g[i],
                  truth[i]);
}

/* One step, three regions: only region 0 has movers, 10% of its men aged 30
   (group 25-34 at the end), with shares 0.5 / 0.5 to regions 1 and 2. With
   attractiveness 3 and 1 in that group they split 0.75 / 0.25; in other
   groups the attractiveness is 1 and 2 but nobody of those ages moves. */
Test(migage, step_with_attractiveness_by_hand)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_demog_params p;
    cr_assert_eq(bal_demog_params_init(ctx, &p, 3), BAL_OK);
    p.base_year = 2025;
    p.base_time = 2025.5;
    p.mx_time = 2025.5;
    for (int a = 0; a < BAL_CELLS; a++)
        p.mx_base[a] = 0.001;
    for (int i = 0; i < 3 * BAL_NSEX; i++)
        p.mort_mult[i] = 1.0;
    for (int r = 0; r < 3; r++)
        p.male_share[r] = 0.5;
    const double d[9] = {0, 0.5, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 0};
    memcpy(p.dest, d, sizeof d);
    p.outrate[bal_pidx(0, BAL_MALE, 30)] = 0.1;
    p.dest_age = malloc(3 * BAL_MIGB * sizeof(double));
    for (int i = 0; i < 3 * BAL_MIGB; i++)
        p.dest_age[i] = 1.0 + (double)(i % 2);
    p.dest_age[1 * BAL_MIGB + 2] = 3.0;
    p.dest_age[2 * BAL_MIGB + 2] = 1.0;
    cr_assert_eq(bal_migb_of_start_age(30), 2);
    cr_assert_eq(bal_demog_params_check(ctx, &p), BAL_OK, "%s", bal_ctx_message(ctx));
    double pin[3 * BAL_CELLS], pout[3 * BAL_CELLS], accv[21];
    for (int i = 0; i < 3 * BAL_CELLS; i++)
        pin[i] = 100.0;
    pin[bal_pidx(0, BAL_MALE, 30)] = 4000.0;
    bal_demog_accounts acc = {accv, accv + 3, accv + 6, accv + 9, accv + 12, accv + 15, accv + 18};
    bal_demog_work *w = bal_demog_work_alloc(ctx, 3, 3);
    cr_assert_eq(bal_demog_step(ctx, &p, NULL, 2025, pin, pout, &acc, w), BAL_OK);
    cr_assert(fabs(acc.out[0] - 400.0) < 1e-12);
    cr_assert(fabs(acc.in[1] - 300.0) < 1e-12, "in[1] = %.15g", acc.in[1]);
    cr_assert(fabs(acc.in[2] - 100.0) < 1e-12, "in[2] = %.15g", acc.in[2]);
    /* a non-positive attractiveness is refused */
    p.dest_age[4] = 0.0;
    cr_assert_eq(bal_demog_params_check(ctx, &p), BAL_EUSAGE);
    bal_demog_work_free(ctx, w);
    /* dest_age is owned by p: bal_demog_params_release frees it (with
       bal_free, which is free() for the default allocator) */
    bal_demog_params_release(ctx, &p);
    bal_ctx_free(ctx);
}

/*
 * The calibrated base run against the observed net migration of its window:
 * for every flow year of the fit, the year-end start population (as the fit
 * reads it) goes through one step with the calibrated migration rates, no
 * births, no deaths (m = 0 below the open age) and no international moves.
 * Pooled over the years, each province's in - out equals the net of the
 * origin-destination flows, and each province and broad group's net (end
 * population with migration minus without) equals the fit's internal target:
 * within 0.01 persons (the fit's tolerance is 1e-10 relative on the arrivals).
 */
Test(migage, calibrated_model_reproduces_window_net)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, tu_data_dir(), &pk), BAL_OK, "%s", bal_ctx_message(ctx));
    bal_calib_opts co;
    bal_calib_opts_default(&co, &pk);
    bal_demog_params p;
    bal_calib_report rep;
    cr_assert_eq(bal_calib_run(ctx, &pk, &co, pk.base_pop, &p, &rep), BAL_OK, "%s",
                 bal_ctx_message(ctx));
    const int64_t ns = pk.nsido;
    cr_assert_eq(rep.mig_age_pairs, rep.mig_nyears);
    cr_assert_not_null(p.dest_age);
    const size_t cells = (size_t)(ns * BAL_CELLS);
    double *start = malloc(cells * sizeof(double)), *with = malloc(cells * sizeof(double)),
           *without = malloc(cells * sizeof(double)), *zero = calloc(cells, sizeof(double)),
           *mx = calloc(BAL_CELLS, sizeof(double)), *asfr = calloc((size_t)ns * BAL_NAGE,
                                                                   sizeof(double));
    double accv[7 * BAL_MAX_SIDO], net[BAL_MAX_SIDO] = {0}, odnet[BAL_MAX_SIDO] = {0};
    double grp[BAL_MAX_SIDO * BAL_MIGB] = {0};
    mx[BAL_AGE_OPEN] = mx[BAL_NAGE + BAL_AGE_OPEN] = 1e-12;
    bal_demog_accounts acc = {accv,          accv + ns,     accv + 2 * ns, accv + 3 * ns,
                              accv + 4 * ns, accv + 5 * ns, accv + 6 * ns};
    bal_demog_work *w = bal_demog_work_alloc(ctx, ns, ns);
    for (int y = rep.mig_year0; y <= rep.mig_year1; y++) {
        const int64_t nsb = ns * BAL_NSEX * BAL_NBAND5;
        const int res = !(bal_yearly_complete(&pk.pop5, y - 1, nsb) &&
                          bal_yearly_complete(&pk.pop5, y, nsb));
        cr_assert_eq(bal_migage_pop_start(ctx, &pk, y, res, start), BAL_OK, "%s",
                     bal_ctx_message(ctx));
        bal_demog_params q = p;
        q.mx_base = mx;
        q.improve_scale = 0.0;
        q.asfr = asfr;
        q.intl = zero;
        q.tfr_target = 0.0;
        cr_assert_eq(bal_demog_step(ctx, &q, NULL, p.base_year, start, with, &acc, w), BAL_OK);
        for (int64_t r = 0; r < ns; r++)
            net[r] += acc.in[r] - acc.out[r];
        q.outrate = zero;
        cr_assert_eq(bal_demog_step(ctx, &q, NULL, p.base_year, start, without, &acc, w),
                     BAL_OK);
        for (int64_t r = 0; r < ns; r++)
            for (int s = 0; s < BAL_NSEX; s++)
                for (int a = 0; a < BAL_NAGE; a++)
                    grp[r * BAL_MIGB + bal_migb_of_end_age(a)] +=
                        with[bal_pidx(r, s, a)] - without[bal_pidx(r, s, a)];
        const double *od = bal_yearly_at(&pk.od, y);
        for (int64_t r = 0; r < ns; r++)
            for (int64_t j = 0; j < ns; j++)
                if (j != r)
                    odnet[r] += od[j * ns + r] - od[r * ns + j];
    }
    const double np = rep.mig_age_pairs;
    for (int64_t r = 0; r < ns; r++) {
        cr_assert(fabs(net[r] - odnet[r]) < 0.01, "%s: model %.4f, observed %.0f",
                  pk.regions.r[r].code, net[r], odnet[r]);
        for (int b = 0; b < BAL_MIGB; b++)
            cr_assert(fabs(grp[r * BAL_MIGB + b] / np - rep.mig_age_obs[r * BAL_MIGB + b]) < 0.01,
                      "%s %s: model %.4f, target %.4f", pk.regions.r[r].code,
                      bal_migb_label(b), grp[r * BAL_MIGB + b] / np,
                      rep.mig_age_obs[r * BAL_MIGB + b]);
    }
    /* and the model before the fit (Rogers-Castro, γ = 1) misses the groups by
       far more: its root mean square error is above 5,000 persons a year */
    double ss = 0.0;
    for (int i = 0; i < ns * BAL_MIGB; i++)
        ss += pow(rep.mig_age_rc[i] - rep.mig_age_obs[i], 2.0);
    cr_assert(sqrt(ss / (double)(ns * BAL_MIGB)) > 5000.0);
    bal_demog_work_free(ctx, w);
    free(start);
    free(with);
    free(without);
    free(zero);
    free(mx);
    free(asfr);
    bal_calib_report_release(ctx, &rep);
    bal_demog_params_release(ctx, &p);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}
