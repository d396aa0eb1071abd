/*
 * test_migration.c — the destination-choice model: the logit likelihood and
 * its derivatives on a case worked by hand, conservation of movers, the
 * analytic elasticity of the pivot logit, and the fit on the real flows.
 */
#include "balance/engine.h"
#include "balance/migration.h"

#include "testutil.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int close_to(double a, double b, double tol)
{
    return fabs(a - b) <= tol * (1.0 + fabs(b));
}

/* One origin, three destinations (the third unavailable), one covariate
   x = (0, 1, 2), counts (3, 1, 0), beta = 0.5. By hand:
   P = (1, e^0.5) / (1 + e^0.5) = (0.3775406688, 0.6224593312);
   LL = 3 ln P1 + ln P2 = -3.3963079368;
   dLL/dbeta = sum (n - N P) x = 1 - 4 P2 = -1.4898373248;
   d2LL = -N P2 (1 - P2) = -0.9400148488. */
Test(migration, logit_by_hand)
{
    const double x[3] = {0.0, 1.0, 2.0}, n[3] = {3.0, 1.0, 0.0};
    const unsigned char av[3] = {1, 1, 0};
    bal_logit_data d = {1, 3, 1, x, n, NULL, av};
    const double beta = 0.5;
    double g, h, p[3];
    double ll = bal_mig_logit_loglik(&d, &beta, &g, &h, p);
    cr_assert(close_to(p[0], 0.3775406688, 1e-9), "P1 %.10f", p[0]);
    cr_assert(close_to(p[1], 0.6224593312, 1e-9), "P2 %.10f", p[1]);
    cr_assert_eq(p[2], 0.0);
    cr_assert(close_to(ll, -3.3963079368, 1e-9), "LL %.10f", ll);
    cr_assert(close_to(g, -1.4898373248, 1e-9), "grad %.10f", g);
    cr_assert(close_to(h, -0.9400148488, 1e-9), "hess %.10f", h);
}

/* Gradient and Hessian against central differences, with an offset and two
   situations. */
Test(migration, logit_derivatives_match_differences)
{
    const double x[2 * 4 * 2] = {0.3, -1.0, 1.2, 0.4, -0.7, 2.0, 0.0, 0.0,
                                 1.1, 0.2,  0.5, -0.3, 0.9, 0.1, -1.4, 0.8};
    const double n[8] = {10, 25, 4, 0, 7, 0, 13, 2};
    const double off[8] = {0.1, -0.4, 0.0, 0.0, 0.3, 0.0, -0.2, 0.5};
    const unsigned char av[8] = {1, 1, 1, 0, 1, 0, 1, 1};
    bal_logit_data d = {2, 4, 2, x, n, off, av};
    const double b[2] = {0.35, -0.6};
    double g[2], h[4];
    bal_mig_logit_loglik(&d, b, g, h, NULL);
    for (int k = 0; k < 2; k++) {
        const double e = 1e-6;
        double bp[2] = {b[0], b[1]}, bm[2] = {b[0], b[1]}, gp[2], gm[2];
        bp[k] += e;
        bm[k] -= e;
        double lp = bal_mig_logit_loglik(&d, bp, gp, NULL, NULL);
        double lm = bal_mig_logit_loglik(&d, bm, gm, NULL, NULL);
        cr_assert(close_to(g[k], (lp - lm) / (2 * e), 1e-6), "grad %d", k);
        for (int l = 0; l < 2; l++)
            cr_assert(close_to(h[k * 2 + l], (gp[l] - gm[l]) / (2 * e), 1e-5), "hess %d %d", k,
                      l);
    }
}

static void toy_model(bal_mig_model *m, bal_ctx *ctx)
{
    cr_assert_eq(bal_mig_model_init(ctx, m, 3), BAL_OK);
    const double s[9] = {0, 0.7, 0.3, 0.5, 0, 0.5, 0.2, 0.8, 0};
    memcpy(m->share0, s, sizeof s);
    for (int r = 0; r < 3; r++)
        m->x0[r * BAL_NATTR + BAL_ATTR_GRDP_PC] = 0.1 * r;
    m->beta[BAL_ATTR_GRDP_PC] = 0.56;
    m->beta[BAL_ATTR_LOG_POP] = 0.26;
}

/* Movers are conserved: every row of the destination matrix sums to one,
   nobody "moves" to their own region, and at the base inputs the shares are
   the base shares. */
Test(migration, destinations_conserve_movers)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_mig_model m;
    toy_model(&m, ctx);
    double x[3 * BAL_NATTR], dest[9];
    memcpy(x, m.x0, sizeof x);
    bal_mig_dest(&m, x, 1.0, dest);
    for (int i = 0; i < 9; i++)
        cr_assert(close_to(dest[i], m.share0[i], 1e-15));
    x[1 * BAL_NATTR + BAL_ATTR_GRDP_PC] += 0.4;
    x[2 * BAL_NATTR + BAL_ATTR_LOG_POP] -= 0.3;
    bal_mig_dest(&m, x, 1.0, dest);
    for (int i = 0; i < 3; i++) {
        double sum = 0.0;
        for (int j = 0; j < 3; j++)
            sum += dest[i * 3 + j];
        cr_assert(close_to(sum, 1.0, 1e-15), "row %d sums to %.17g", i, sum);
        cr_assert_eq(dest[i * 3 + i], 0.0);
    }
    bal_mig_model_release(ctx, &m);
    bal_ctx_free(ctx);
}

/* Raising one destination's input by d multiplies its odds by exp(beta d):
   P' = P e^{bd} / (1 - P + P e^{bd}); the others scale by 1 / (1 - P + P e^{bd});
   the small-change elasticity is beta (1 - P). */
Test(migration, logit_elasticity_analytic)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_mig_model m;
    toy_model(&m, ctx);
    double x[3 * BAL_NATTR], d0[9], d1[9];
    memcpy(x, m.x0, sizeof x);
    bal_mig_dest(&m, x, 1.0, d0);
    const double delta = 0.25, b = m.beta[BAL_ATTR_GRDP_PC];
    x[2 * BAL_NATTR + BAL_ATTR_GRDP_PC] += delta; /* region 2 richer */
    bal_mig_dest(&m, x, 1.0, d1);
    for (int i = 0; i < 2; i++) {
        const double P = d0[i * 3 + 2], e = exp(b * delta);
        const double den = 1.0 - P + P * e;
        cr_assert(close_to(d1[i * 3 + 2], P * e / den, 1e-14), "origin %d", i);
        for (int j = 0; j < 2; j++)
            if (j != i)
                cr_assert(close_to(d1[i * 3 + j], d0[i * 3 + j] / den, 1e-14));
        /* direction and size: more go to 2, fewer elsewhere */
        cr_assert(d1[i * 3 + 2] > d0[i * 3 + 2]);
    }
    /* small change: d log P / dx = beta (1 - P) */
    const double h = 1e-6;
    memcpy(x, m.x0, sizeof x);
    x[2 * BAL_NATTR + BAL_ATTR_GRDP_PC] += h;
    bal_mig_dest(&m, x, 1.0, d1);
    const double el = (log(d1[0 * 3 + 2]) - log(d0[0 * 3 + 2])) / h;
    cr_assert(close_to(el, b * (1.0 - d0[0 * 3 + 2]), 1e-5), "elasticity %.8f", el);
    /* origin response: exp(theta . dx) */
    m.theta[BAL_ATTR_GRDP_PC] = -0.425;
    memcpy(x, m.x0, sizeof x);
    x[1 * BAL_NATTR + BAL_ATTR_GRDP_PC] += 0.1;
    cr_assert(close_to(bal_mig_out_factor(&m, x, 1, 1.0), exp(-0.0425), 1e-15));
    cr_assert(close_to(bal_mig_out_factor(&m, x, 0, 1.0), 1.0, 1e-15));
    bal_mig_model_release(ctx, &m);
    bal_ctx_free(ctx);
}

/* A quadratic log-likelihood -(b - mu)' A (b - mu) / 2: its gradient is
   -A (b - mu) and its information exactly A, whatever the step. */
typedef struct quad {
    int k, calls;
    const double *A, *mu;
} quad;

static void quad_grad(void *arg, const double *beta, double *g)
{
    quad *q = arg;
    q->calls++;
    for (int a = 0; a < q->k; a++) {
        g[a] = 0.0;
        for (int b = 0; b < q->k; b++)
            g[a] -= q->A[a * q->k + b] * (beta[b] - q->mu[b]);
    }
}

/* Regression (issue 13, part 6): the numerical information of the pivot fit
   copied 16 coefficients out of bal_mig_fit.coef[8]. It must read exactly
   k: beta lives in a heap block of k doubles, so the ASan build of this
   test fails on any read past it; and the result is A to rounding. */
Test(migration, numeric_information_reads_k_coefficients)
{
    for (int k = 1; k <= BAL_MIG_MAXK; k++) {
        double *beta = malloc((size_t)k * sizeof *beta);
        double *A = malloc((size_t)(k * k) * sizeof *A), *mu = malloc((size_t)k * sizeof *mu);
        double *info = malloc((size_t)(k * k) * sizeof *info);
        cr_assert(beta && A && mu && info);
        for (int a = 0; a < k; a++) {
            beta[a] = 0.385 * (a + 1) - 1.1;
            mu[a] = -0.27 + 0.6 * a;
            for (int b = 0; b < k; b++) /* symmetric, diagonally dominant */
                A[a * k + b] = a == b ? 2.385 + 0.75 * a : 0.125 / (1.0 + a + b);
        }
        quad q = {k, 0, A, mu};
        bal_mig_info_numeric(k, beta, quad_grad, &q, info);
        cr_assert_eq(q.calls, 2 * k, "two gradients per coefficient");
        for (int i = 0; i < k * k; i++)
            cr_assert(close_to(info[i], A[i], 1e-9), "k %d, info[%d] = %.12g, expected %.12g",
                      k, i, info[i], A[i]);
        free(beta);
        free(A);
        free(mu);
        free(info);
    }
}

/* The fit on the real flows: converges, beats the null model, signs as
   gravity theory expects, and matches the committed parameter file. */
Test(migration, real_fit)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, tu_data_dir(), &pk), BAL_OK, "%s", bal_ctx_message(ctx));
    bal_mig_fit g, p;
    cr_assert_eq(bal_mig_fit_run(ctx, &pk, BAL_MIG_GRAVITY, 2001, 2020, &g), BAL_OK, "%s",
                 bal_ctx_message(ctx));
    cr_assert_eq(bal_mig_fit_run(ctx, &pk, BAL_MIG_PIVOT, 2001, 2020, &p), BAL_OK, "%s",
                 bal_ctx_message(ctx));
    cr_assert(g.ll > g.ll_null && 1.0 - g.ll / g.ll_null > 0.25, "rho2 %.4f",
              1.0 - g.ll / g.ll_null);
    cr_assert(p.ll > g.ll, "pair constants fit better than the gravity form");
    cr_assert(g.coef[0] < 0.0 && g.coef[1] > 0.0 && g.coef[2] > 0.0, "distance, contiguity, size");
    cr_assert(p.coef[1] > 0.0, "richer destinations pull more");
    cr_assert(close_to(g.coef[0], -0.6528605179, 1e-8), "log_distance %.10f", g.coef[0]);
    cr_assert(close_to(p.coef[1], 0.5560834164, 1e-8), "pivot grdp %.10f", p.coef[1]);
    cr_assert_eq(g.year0, 2001);
    cr_assert_eq(g.year1, 2020);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}

/* Out of sample (fit to 2015, predict 2016-2020): the pivot logit's flow
   error is at most the fixed shares' in every year; the gravity form is far
   worse (docs/model.md §12.4). */
Test(migration, hindcast_pivot_vs_fixed)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, tu_data_dir(), &pk), BAL_OK);
    bal_mig_hind h;
    cr_assert_eq(bal_mig_hindcast(ctx, &pk, 2015, 2016, 2020, &h), BAL_OK, "%s",
                 bal_ctx_message(ctx));
    for (int k = 0; k < 5; k++) {
        cr_assert(h.wape[2][k] <= h.wape[0][k], "year %d: pivot %.2f fixed %.2f", 2016 + k,
                  h.wape[2][k], h.wape[0][k]);
        cr_assert(h.wape[1][k] > 2.0 * h.wape[0][k]);
        cr_assert(fabs(h.llpm[2][k] - h.llpm[0][k]) < 0.01);
    }
    cr_assert(close_to(h.wape[0][0], 5.30, 0.002) && close_to(h.wape[2][0], 5.19, 0.002),
              "2016: fixed %.3f pivot %.3f", h.wape[0][0], h.wape[2][0]);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}

/* The migration model inside a projection: with zero responses it is the
   fixed-shares projection exactly; raising one province's GRDP input (set
   through bal_attract, as the economy module will) draws more net
   in-migrants there and fewer elsewhere. */
Test(migration, projection_hook)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, tu_data_dir(), &pk), BAL_OK);
    bal_calib_opts o;
    bal_calib_opts_default(&o, &pk);
    bal_demog_params p;
    bal_calib_report rep;
    cr_assert_eq(bal_calib_run(ctx, &pk, &o, pk.base_pop, &p, &rep), BAL_OK);
    bal_projection fixed, hooked, pushed;
    cr_assert_eq(bal_projection_run(ctx, &p, pk.base_pop, 2035, &fixed), BAL_OK);

    bal_mig_run run;
    cr_assert_eq(bal_mig_run_init(ctx, &run, &pk, &p, rep.mig_year1,
                                  rep.mig_year1 - rep.mig_year0 + 1),
                 BAL_OK, "%s", bal_ctx_message(ctx));
    for (int k = 0; k < BAL_NATTR; k++)
        run.model.beta[k] = run.model.theta[k] = 0.0;
    const bal_sim sim = {&p, NULL, &run};
    cr_assert_eq(bal_simulate(ctx, &sim, pk.base_pop, 2035, &hooked), BAL_OK);
    const size_t cells = (size_t)hooked.nyears * (size_t)(hooked.nreg * BAL_CELLS);
    for (size_t i = 0; i < cells; i++)
        cr_assert(close_to(hooked.pop[i], fixed.pop[i], 1e-12), "cell %zu", i);

    /* inputs from a module: the base inputs everywhere, Jeonnam +0.2 in log GRDP */
    bal_attract a;
    cr_assert_eq(bal_mig_attract_init(ctx, &a, pk.nsido, 2025, 11), BAL_OK);
    const int64_t jn = bal_regions_find(&pk.regions, "46");
    for (int y = 0; y < 11; y++)
        for (int64_t g = 0; g < pk.nsido; g++)
            for (int k = 0; k < BAL_NATTR; k++)
                a.x[((size_t)y * (size_t)pk.nsido + (size_t)g) * BAL_NATTR + (size_t)k] =
                    run.model.x0[g * BAL_NATTR + k] + (g == jn && k == BAL_ATTR_GRDP_PC ? 0.2 : 0.0);
    run.attract = &a;
    run.model.beta[BAL_ATTR_GRDP_PC] = pk.mig_beta[BAL_ATTR_GRDP_PC];
    memcpy(p.dest, run.model.share0, (size_t)(pk.nsido * pk.nsido) * sizeof(double));
    memcpy(p.outrate, run.outrate0, (size_t)(pk.nsido * BAL_CELLS) * sizeof(double));
    cr_assert_eq(bal_simulate(ctx, &sim, pk.base_pop, 2035, &pushed), BAL_OK);
    /* first step: in-migrants to Jeonnam scale by the odds factor e^{0.2 b}
       over 1 - P + P e^{0.2 b} for every origin; here simply: more come */
    cr_assert(pushed.in[jn] > fixed.in[jn] * 1.05, "in %.0f vs %.0f", pushed.in[jn],
              fixed.in[jn]);
    cr_assert(close_to(pushed.out[jn], fixed.out[jn], 1e-12), "out-migration unchanged (theta 0)");
    const int last = pushed.nyears - 1;
    cr_assert(bal_projection_total(&pushed, last, jn) > bal_projection_total(&fixed, last, jn));
    cr_assert(bal_projection_total(&pushed, last, 0) < bal_projection_total(&fixed, last, 0));
    /* movers are conserved every year: all in-migrants are someone's out-migrants */
    for (int k = 0; k < last; k++) {
        double in = 0.0, out = 0.0;
        for (int64_t g = 0; g < pk.nsido; g++) {
            in += pushed.in[(size_t)k * (size_t)pk.nsido + (size_t)g];
            out += pushed.out[(size_t)k * (size_t)pk.nsido + (size_t)g];
        }
        cr_assert(close_to(in, out, 1e-12), "step %d: in %.3f out %.3f", k, in, out);
    }
    bal_mig_attract_release(ctx, &a);
    bal_mig_run_release(ctx, &run);
    bal_projection_release(ctx, &fixed);
    bal_projection_release(ctx, &hooked);
    bal_projection_release(ctx, &pushed);
    bal_calib_report_release(ctx, &rep);
    bal_demog_params_release(ctx, &p);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}

/* The age scales: the mover-weighted mean of the young and other scales is
   1 (the flows' estimate applies to the average mover), the young's is k
   times the others', and k = 1 gives no age difference. */
Test(migration, age_scales)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_mig_model m;
    toy_model(&m, ctx);
    double so, sy;
    bal_mig_age_scales(&m, &so, &sy);
    cr_assert(so == 1.0 && sy == 1.0, "defaults: no age difference");
    m.young_scale = 1.4;
    m.young_share = 0.47;
    bal_mig_age_scales(&m, &so, &sy);
    cr_assert(close_to(sy / so, 1.4, 1e-15));
    cr_assert(close_to(0.47 * sy + 0.53 * so, 1.0, 1e-15));
    /* 1 / (1 + 0.47 * 0.4) = 0.8417508418 */
    cr_assert(close_to(so, 0.8417508418, 1e-9), "other %.10f", so);
    /* the young's log-odds response to a destination's input is k times the
       others': log [P(1|0) / P(2|0)] moves by scale * beta * d */
    double x[3 * BAL_NATTR], dy[9], dother[9];
    memcpy(x, m.x0, sizeof x);
    x[1 * BAL_NATTR + BAL_ATTR_GRDP_PC] += 0.3;
    bal_mig_dest(&m, x, sy, dy);
    bal_mig_dest(&m, x, so, dother);
    const double base = log(m.share0[1] / m.share0[2]);
    const double ry = log(dy[1] / dy[2]) - base, ro = log(dother[1] / dother[2]) - base;
    cr_assert(close_to(ry, sy * 0.56 * 0.3, 1e-12) && close_to(ro, so * 0.56 * 0.3, 1e-12));
    cr_assert(close_to(ry / ro, 1.4, 1e-12));
    bal_mig_model_release(ctx, &m);
    bal_ctx_free(ctx);
}

/* The age response on the real age tables (docs/model.md §12.7): the young's
   net migration responds more than the others' to GRDP per capita, Sejong
   (founded inside the panel) is left out, k = s / m_ratio, and the data
   pack holds this estimate. */
Test(migration, young_response_real)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, tu_data_dir(), &pk), BAL_OK);
    bal_calib_opts o;
    bal_calib_opts_default(&o, &pk);
    bal_mig_young y;
    cr_assert_eq(bal_mig_young_fit(ctx, &pk, &o.rc, &y), BAL_OK, "%s", bal_ctx_message(ctx));
    cr_assert_eq(y.nexcluded, 1);
    cr_assert_eq(y.year0, 2012);
    cr_assert_eq(y.year1, 2021, "GRDP inputs end in 2021");
    cr_assert_eq(y.nobs, 160);
    cr_assert(y.b_young > y.b_other && y.b_other > 0.0, "slopes %g %g", y.b_young, y.b_other);
    cr_assert(close_to(y.s, y.b_young / y.b_other, 1e-12));
    cr_assert(y.s - 2.0 * y.s_se > 1.0, "young respond more: %.3f (%.3f)", y.s, y.s_se);
    cr_assert(close_to(y.k, y.s / y.m_ratio, 1e-12));
    cr_assert(y.m_ratio > 3.0 && y.m_ratio < 4.0, "Rogers-Castro peak ratio %.3f", y.m_ratio);
    cr_assert(y.w > 0.4 && y.w < 0.55, "share of movers aged 20-34 %.3f", y.w);
    cr_assert(close_to(pk.mig_young_scale, y.k, 1e-9), "pack %.10f fit %.10f",
              pk.mig_young_scale, y.k);
    cr_assert(close_to(pk.mig_young_share, y.w, 1e-9));
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}

/* The demographic step sends movers aged 20-34 by dest_young and the others
   by dest: with every young mover sent to Seoul (group 0; Seoul's own to
   group 1), Seoul's extra in-migrants are exactly the young out-migrants of
   the other provinces not already bound for it, and the survivors outside
   ages 21-35 at the end of the step do not change. */
Test(migration, young_destinations_in_step)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, tu_data_dir(), &pk), BAL_OK);
    bal_calib_opts o;
    bal_calib_opts_default(&o, &pk);
    bal_demog_params p;
    bal_calib_report rep;
    cr_assert_eq(bal_calib_run(ctx, &pk, &o, pk.base_pop, &p, &rep), BAL_OK);
    /* without the attractiveness by age (issue 14), so that dest_young alone
       decides where the young go */
    bal_free(ctx, p.dest_age);
    p.dest_age = NULL;
    const int64_t ns = pk.nsido;
    const size_t cells = (size_t)(ns * BAL_CELLS);
    double *a = calloc(cells, sizeof(double)), *b = calloc(cells, sizeof(double));
    double *acc_a = calloc((size_t)(7 * ns), sizeof(double));
    double *acc_b = calloc((size_t)(7 * ns), sizeof(double));
    cr_assert(a && b && acc_a && acc_b);
    bal_demog_accounts A, B;
    double *fa[7], *fb[7];
    for (int k = 0; k < 7; k++) {
        fa[k] = acc_a + k * ns;
        fb[k] = acc_b + k * ns;
    }
    A = (bal_demog_accounts){fa[0], fa[1], fa[2], fa[3], fa[4], fa[5], fa[6]};
    B = (bal_demog_accounts){fb[0], fb[1], fb[2], fb[3], fb[4], fb[5], fb[6]};
    bal_demog_work *w = bal_demog_work_alloc(ctx, ns, ns);
    cr_assert_not_null(w);
    cr_assert_eq(bal_demog_step(ctx, &p, NULL, 2025, pk.base_pop, a, &A, w), BAL_OK);
    for (int64_t g = 0; g < ns; g++)
        p.dest_young[g * ns + (g == 0 ? 1 : 0)] = 1.0;
    p.young_dest = 1;
    cr_assert_eq(bal_demog_params_check(ctx, &p), BAL_OK, "%s", bal_ctx_message(ctx));
    cr_assert_eq(bal_demog_step(ctx, &p, NULL, 2025, pk.base_pop, b, &B, w), BAL_OK);
    /* Seoul's young in-migrants become all the others' young out-migrants */
    double in_a = 0.0, in_b = 0.0, out_a = 0.0, out_b = 0.0, extra = 0.0;
    for (int64_t g = 1; g < ns; g++)
        for (int s = 0; s < BAL_NSEX; s++)
            for (int age = BAL_YOUNG_LO; age <= BAL_YOUNG_HI; age++) {
                const size_t i = bal_pidx(g, s, age);
                extra += p.outrate[i] * pk.base_pop[i] * (1.0 - p.dest[g * ns]);
            }
    cr_assert(extra > 1e4);
    cr_assert(close_to(B.in[0] - A.in[0], extra, 1e-9), "Seoul's extra in-migrants %.3f, expected %.3f",
              B.in[0] - A.in[0], extra);
    for (int64_t g = 0; g < ns; g++) {
        in_a += A.in[g];
        in_b += B.in[g];
        out_a += A.out[g];
        out_b += B.out[g];
        cr_assert(close_to(A.out[g], B.out[g], 1e-15), "out-migration does not depend on dest");
        for (int s = 0; s < BAL_NSEX; s++)
            for (int age = 1; age < BAL_NAGE; age++) {
                if (age >= BAL_YOUNG_LO + 1 && age <= BAL_YOUNG_HI + 1)
                    continue;
                const size_t i = bal_pidx(g, s, age);
                cr_assert(close_to(a[i], b[i], 1e-12), "region %lld sex %d age %d changed",
                          (long long)g, s, age);
            }
    }
    cr_assert(close_to(in_b, out_b, 1e-12) && close_to(in_a, out_a, 1e-12), "movers conserved");
    bal_demog_work_free(ctx, w);
    free(a);
    free(b);
    free(acc_a);
    free(acc_b);
    bal_calib_report_release(ctx, &rep);
    bal_demog_params_release(ctx, &p);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}

/* Travel times: halving T(0,1) multiplies the odds of 0 -> 1 against 0 -> 2
   by 0.5^gamma; rows whose times do not change are left as they are. */
Test(migration, travel_time_scale)
{
    const double t0[9] = {0, 100, 200, 100, 0, 150, 200, 150, 0};
    double t[9];
    memcpy(t, t0, sizeof t);
    t[1] = t[3] = 50.0;
    double d[9] = {0, 0.7, 0.3, 0.5, 0, 0.5, 0.2, 0.8, 0};
    const double before[9] = {0, 0.7, 0.3, 0.5, 0, 0.5, 0.2, 0.8, 0};
    bal_mig_travel_scale(t, t0, 3, -0.653, d);
    cr_assert(close_to((d[1] / d[2]) / (0.7 / 0.3), pow(0.5, -0.653), 1e-14));
    cr_assert(close_to(d[0] + d[1] + d[2], 1.0, 1e-15));
    cr_assert(close_to((d[3] / d[5]) / (0.5 / 0.5), pow(0.5, -0.653), 1e-14));
    for (int i = 6; i < 9; i++)
        cr_assert_eq(d[i], before[i], "row 2 untouched");
}
