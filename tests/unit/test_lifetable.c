/*
 * test_lifetable.c — bal_demog_lifetable, bal_demog_lifetable_e0, bal_demog_a0 against hand
 * computations (include/balance/demography.h).
 *
 * Conventions under test: a(x) = 1/2 for x >= 1, a(0) from Andreev-Kingkade,
 * q(x) = m / (1 + (1 - a) m), l(0) = 1, L(x) = l(x+1) + a d(x),
 * L(100+) = l(100) / m(100), surv[a] = L(a+1)/L(a) (a < 99),
 * surv[99] = surv[100] = T(100)/T(99), surv_birth = L(0).
 *
 * The reference numbers in the comments were computed by hand (30-digit
 * decimal arithmetic, independent of the library) and are written below as
 * literals.
 */
#include "balance/core.h"
#include "balance/demography.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#define M_CONST 0.0237

static void fill(double *m, double v)
{
    for (int x = 0; x < BAL_NAGE; x++)
        m[x] = v;
}

/* ---- bal_demog_a0: every branch of Andreev-Kingkade, both sexes ---- */

Test(a0, male_branches)
{
    /* m0 < 0.023: 0.14929 - 1.99545 m0 */
    /* 0.0157: 0.14929 - 0.031328565 = 0.117961435 */
    cr_assert_float_eq(bal_demog_a0(0.0157, 1), 0.117961435, 1e-12);
    /* 0.0229: 0.14929 - 0.045695805 = 0.103594195 */
    cr_assert_float_eq(bal_demog_a0(0.0229, 1), 0.103594195, 1e-12);
    /* 0 <= m0: at m0 = 0 the intercept 0.14929 */
    cr_assert_float_eq(bal_demog_a0(0.0, 1), 0.14929, 1e-12);
    /* 0.023 <= m0 < 0.08307: 0.02832 + 3.26021 m0 */
    /* 0.023: 0.02832 + 0.07498483 = 0.10330483 */
    cr_assert_float_eq(bal_demog_a0(0.023, 1), 0.10330483, 1e-12);
    /* 0.0512: 0.02832 + 0.166922752 = 0.195242752 */
    cr_assert_float_eq(bal_demog_a0(0.0512, 1), 0.195242752, 1e-12);
    /* 0.0830: 0.02832 + 0.27059743 = 0.29891743 (just below the threshold) */
    cr_assert_float_eq(bal_demog_a0(0.0830, 1), 0.29891743, 1e-12);
    /* m0 >= 0.08307: constant 0.29915 */
    cr_assert_float_eq(bal_demog_a0(0.08307, 1), 0.29915, 1e-12);
    cr_assert_float_eq(bal_demog_a0(0.1234, 1), 0.29915, 1e-12);
}

Test(a0, female_branches)
{
    /* m0 < 0.01724: 0.14903 - 2.05527 m0 */
    /* 0.0113: 0.14903 - 0.023224551 = 0.125805449 */
    cr_assert_float_eq(bal_demog_a0(0.0113, 0), 0.125805449, 1e-12);
    /* 0.0172: 0.14903 - 0.035350644 = 0.113679356 */
    cr_assert_float_eq(bal_demog_a0(0.0172, 0), 0.113679356, 1e-12);
    /* 0.01724 <= m0 < 0.06891: 0.04667 + 3.88089 m0 */
    /* 0.01724: 0.04667 + 0.0669065436 = 0.1135765436 */
    cr_assert_float_eq(bal_demog_a0(0.01724, 0), 0.1135765436, 1e-12);
    /* 0.0431: 0.04667 + 0.167266359 = 0.213936359 */
    cr_assert_float_eq(bal_demog_a0(0.0431, 0), 0.213936359, 1e-12);
    /* 0.0689: 0.04667 + 0.267393321 = 0.314063321 */
    cr_assert_float_eq(bal_demog_a0(0.0689, 0), 0.314063321, 1e-12);
    /* m0 >= 0.06891: constant 0.31411 */
    cr_assert_float_eq(bal_demog_a0(0.06891, 0), 0.31411, 1e-12);
    cr_assert_float_eq(bal_demog_a0(0.2718, 0), 0.31411, 1e-12);
}

Test(a0, sexes_differ)
{
    /* 0.02: male branch 1 -> 0.14929 - 0.039909 = 0.109381;
       female branch 2 -> 0.04667 + 0.0776178 = 0.1242878 */
    cr_assert_float_eq(bal_demog_a0(0.02, 1), 0.109381, 1e-12);
    cr_assert_float_eq(bal_demog_a0(0.02, 0), 0.1242878, 1e-12);
}

/* ---- constant m = 0.0237 at every age ---- */

/*
 * Hand computation (female, m0 = 0.0237, in the 2nd branch):
 *   a0 = 0.04667 + 3.88089 * 0.0237 = 0.138647093
 *   q0 = 0.0237 / (1 + 0.861352907 * 0.0237) = 0.0232258656936914
 *   l1 = 0.976774134306309, L0 = l1 + a0 q0 = 0.979994333067147
 *   q  = 0.0237 / 1.01185 = 0.0234224440381479 (every x >= 1)
 *   l2 = 0.953895696807609, L1 = 0.965334915556959, L2 = 0.942724412519256
 *   l37 = 0.416137403621154, L37 = 0.411263926096905
 *   l64 = 0.219441470608196, L64 = 0.216871542825711
 *   l99 = 0.0957314349266010, L99 = 0.0946103028379710
 *   l100 = 0.0934891707493411, L100 = l100 / m = 3.94469074891734
 *   surv[99] = L100 / (L99 + L100) = 0.976577555961852 = 1 - q
 *     (algebra: 1 - q = (1 - m/2)/(1 + m/2) and L100/(L99+L100) reduces to it)
 *   e0 = sum L = 42.1940928270042 = 1/m: each interval has d/L = m and the
 *     deaths sum to the radix, so sum L = 1/m whatever a0 is.
 */
Test(lifetable, constant_m_female)
{
    double m[BAL_NAGE], q[BAL_NAGE], l[BAL_NAGE], L[BAL_NAGE], s[BAL_NAGE], sb = -1.0;
    fill(m, M_CONST);
    bal_ctx *ctx = bal_ctx_alloc();
    cr_assert_not_null(ctx);
    cr_assert_eq(bal_demog_lifetable(ctx, m, 0, q, l, L, s, &sb), BAL_OK);

    cr_assert_float_eq(q[0], 0.0232258656936914, 1e-14);
    for (int x = 1; x < BAL_AGE_OPEN; x++)
        cr_assert_float_eq(q[x], 0.0234224440381479, 1e-14, "q[%d] = %.17g", x, q[x]);
    cr_assert_eq(q[BAL_AGE_OPEN], 1.0);

    cr_assert_eq(l[0], 1.0);
    cr_assert_float_eq(l[1], 0.976774134306309, 1e-14);
    cr_assert_float_eq(l[2], 0.953895696807609, 1e-14);
    cr_assert_float_eq(l[37], 0.416137403621154, 1e-14);
    cr_assert_float_eq(l[64], 0.219441470608196, 1e-14);
    cr_assert_float_eq(l[99], 0.0957314349266010, 1e-14);
    cr_assert_float_eq(l[100], 0.0934891707493411, 1e-14);

    cr_assert_float_eq(L[0], 0.979994333067147, 1e-14);
    cr_assert_float_eq(L[1], 0.965334915556959, 1e-14);
    cr_assert_float_eq(L[2], 0.942724412519256, 1e-14);
    cr_assert_float_eq(L[37], 0.411263926096905, 1e-14);
    cr_assert_float_eq(L[64], 0.216871542825711, 1e-14);
    cr_assert_float_eq(L[99], 0.0946103028379710, 1e-14);
    cr_assert_float_eq(L[100], 3.94469074891734, 1e-13);
    /* the open group, written out: l(100) / m(100) */
    cr_assert_float_eq(L[100], l[100] / M_CONST, 1e-15);

    /* survival ratio = 1 - q exactly for 1 <= x <= 97 */
    const double one_minus_q = 1.0 - 0.0234224440381479;
    for (int x = 1; x <= 97; x++)
        cr_assert_float_eq(s[x], one_minus_q, 1e-13, "surv[%d] = %.17g", x, s[x]);
    /* surv[0] = L1/L0 = 0.965334915556959 / 0.979994333067147 = 0.985041306... */
    cr_assert_float_eq(s[0], 0.965334915556959 / 0.979994333067147, 1e-13);
    /* open group: T(100)/T(99) at both 99 and 100; equals 1 - q here */
    cr_assert_eq(s[99], s[100]);
    cr_assert_float_eq(s[99], L[100] / (L[99] + L[100]), 1e-15);
    cr_assert_float_eq(s[99], 0.976577555961852, 1e-13);

    /* surv_birth = L(0) = l(1) + a0 (1 - l(1)), a0 = 0.138647093 */
    cr_assert_float_eq(sb, 0.976774134306309 + 0.138647093 * (1.0 - 0.976774134306309), 1e-14);
    cr_assert_float_eq(sb, 0.979994333067147, 1e-14);

    /* e0 = sum of L = 1/m */
    double e0 = bal_demog_lifetable_e0(m, 0);
    double sumL = 0.0;
    for (int x = 0; x < BAL_NAGE; x++)
        sumL += L[x];
    cr_assert_float_eq(e0, sumL, 1e-11);
    cr_assert_float_eq(e0, 1.0 / M_CONST, 1e-10);
    cr_assert_float_eq(e0, 42.1940928270042, 1e-10);
    bal_ctx_free(ctx);
}

/*
 * Male, same m: a0 = 0.02832 + 3.26021 * 0.0237 = 0.105586977 (2nd branch),
 *   q0 = 0.0237 / (1 + 0.894413023 * 0.0237) = 0.0232080454003466
 *   l1 = 0.976791954599653, L0 = 0.979242421955555
 *   l37 = 0.416144995643039, L37 = 0.411271429206936
 *   L100 = 3.94476271596052, e0 = 1/m again.
 */
Test(lifetable, constant_m_male)
{
    double m[BAL_NAGE], q[BAL_NAGE], l[BAL_NAGE], L[BAL_NAGE], s[BAL_NAGE], sb = -1.0;
    fill(m, M_CONST);
    bal_ctx *ctx = bal_ctx_alloc();
    cr_assert_eq(bal_demog_lifetable(ctx, m, 1, q, l, L, s, &sb), BAL_OK);
    cr_assert_float_eq(q[0], 0.0232080454003466, 1e-14);
    cr_assert_float_eq(l[1], 0.976791954599653, 1e-14);
    cr_assert_float_eq(L[0], 0.979242421955555, 1e-14);
    cr_assert_float_eq(sb, 0.979242421955555, 1e-14);
    cr_assert_float_eq(l[37], 0.416144995643039, 1e-14);
    cr_assert_float_eq(L[37], 0.411271429206936, 1e-14);
    cr_assert_float_eq(L[100], 3.94476271596052, 1e-13);
    /* the male and female tables differ only through a0 */
    double qf[BAL_NAGE];
    cr_assert_eq(bal_demog_lifetable(ctx, m, 0, qf, NULL, NULL, NULL, NULL), BAL_OK);
    cr_assert(fabs(qf[0] - q[0]) > 1e-6);
    cr_assert_eq(qf[50], q[50]);
    cr_assert_float_eq(bal_demog_lifetable_e0(m, 1), 1.0 / M_CONST, 1e-10);
    bal_ctx_free(ctx);
}

/*
 * Age-varying rates: m(x) = 0.00113 + 0.000731 x. For x >= 1 each q is
 * m / (1 + m/2), independent of the other ages:
 *   x = 10: m = 0.00844,  q = 0.00844 / 1.00422 = 0.00840453287128...
 *   x = 50: m = 0.03768,  q = 0.03768 / 1.01884 = 0.0369832358368...
 *   x = 99: m = 0.073499, q = 0.073499 / 1.0367495 = 0.0708936926...
 * and, with L(x) = l(x)(1 - q(x)/2) and l(51) = l(50)(1 - q50),
 *   L(51)/L(50) = (1 - q50)(1 - q51/2)/(1 - q50/2).
 */
Test(lifetable, varying_m)
{
    double m[BAL_NAGE], q[BAL_NAGE], l[BAL_NAGE], L[BAL_NAGE], s[BAL_NAGE], sb;
    for (int x = 0; x < BAL_NAGE; x++)
        m[x] = 0.00113 + 0.000731 * (double)x;
    bal_ctx *ctx = bal_ctx_alloc();
    cr_assert_eq(bal_demog_lifetable(ctx, m, 0, q, l, L, s, &sb), BAL_OK);
    cr_assert_float_eq(q[10], 0.00844 / 1.00422, 1e-15);
    cr_assert_float_eq(q[10], 0.0084045328712832, 1e-14);
    cr_assert_float_eq(q[50], 0.0369832358368340, 1e-14);
    cr_assert_float_eq(q[99], 0.073499 / 1.0367495, 1e-15);
    const double q50 = 0.03768 / 1.01884, q51 = 0.038411 / 1.0192055;
    cr_assert_float_eq(s[50], (1.0 - q50) * (1.0 - q51 / 2.0) / (1.0 - q50 / 2.0), 1e-13);
    /* a0 for m0 = 0.00113 (female, 1st branch): 0.14903 - 2.05527*0.00113 = 0.1467075449 */
    const double a0 = 0.1467075449;
    const double q0 = 0.00113 / (1.0 + (1.0 - a0) * 0.00113);
    cr_assert_float_eq(q[0], q0, 1e-15);
    cr_assert_float_eq(sb, 1.0 - q0 + a0 * q0, 1e-15);
    /* l decreasing, L between l(x+1) and l(x) */
    for (int x = 0; x < BAL_AGE_OPEN; x++) {
        cr_assert(l[x + 1] < l[x]);
        cr_assert(L[x] > l[x + 1] && L[x] < l[x]);
    }
    cr_assert_float_eq(L[100], l[100] / 0.07423, 1e-15);
    bal_ctx_free(ctx);
}

/* A rate so high that q would exceed 1 is capped: everyone dies in the year. */
Test(lifetable, q_capped_at_one)
{
    double m[BAL_NAGE], q[BAL_NAGE], l[BAL_NAGE], L[BAL_NAGE], s[BAL_NAGE], sb;
    fill(m, 0.0117);
    m[63] = 2.75; /* m/(1 + m/2) = 2.75/2.375 = 1.158 > 1 */
    bal_ctx *ctx = bal_ctx_alloc();
    cr_assert_eq(bal_demog_lifetable(ctx, m, 1, q, l, L, s, &sb), BAL_OK);
    cr_assert_eq(q[63], 1.0);
    cr_assert_eq(l[64], 0.0);
    cr_assert_float_eq(L[63], 0.5 * l[63], 1e-15);
    cr_assert_eq(s[63], 0.0);
    for (int x = 64; x < BAL_NAGE; x++) {
        cr_assert_eq(l[x], 0.0);
        cr_assert_eq(s[x], 0.0, "surv[%d] = %g", x, s[x]);
        cr_assert(!isnan(s[x]));
    }
    double e0 = bal_demog_lifetable_e0(m, 1);
    cr_assert(isfinite(e0) && e0 > 0.0 && e0 < 64.0);
    bal_ctx_free(ctx);
}

/* Every output pointer may be NULL. */
Test(lifetable, null_outputs)
{
    double m[BAL_NAGE], L[BAL_NAGE];
    fill(m, 0.0419);
    bal_ctx *ctx = bal_ctx_alloc();
    cr_assert_eq(bal_demog_lifetable(ctx, m, 0, NULL, NULL, NULL, NULL, NULL), BAL_OK);
    cr_assert_eq(bal_demog_lifetable(ctx, m, 0, NULL, NULL, L, NULL, NULL), BAL_OK);
    /* constant m: L(100) = l(99)(1 - q)/m and L(99) = l(99)(1 - q/2), with
       1 - q = (1 - m/2)/(1 + m/2) and 1 - q/2 = 1/(1 + m/2), so
       L(100) = L(99) (1 - m/2) / m */
    cr_assert_float_eq(L[100], L[99] * (1.0 - 0.0419 / 2.0) / 0.0419, 1e-13);
    cr_assert_eq(bal_ctx_status(ctx), BAL_OK);
    bal_ctx_free(ctx);
}

/* ---- error paths ---- */

Test(lifetable, negative_rate_is_usage_error)
{
    double m[BAL_NAGE], q[BAL_NAGE];
    fill(m, 0.0237);
    m[42] = -0.0031;
    for (int x = 0; x < BAL_NAGE; x++)
        q[x] = 7.77;
    bal_ctx *ctx = bal_ctx_alloc();
    cr_assert_eq(bal_demog_lifetable(ctx, m, 0, q, NULL, NULL, NULL, NULL), BAL_EUSAGE);
    cr_assert_eq(bal_ctx_status(ctx), BAL_EUSAGE);
    cr_assert(strstr(bal_ctx_message(ctx), "non-negative") != NULL, "message: %s",
              bal_ctx_message(ctx));
    cr_assert_str_eq(bal_ctx_file(ctx), "");
    /* outputs untouched on failure */
    cr_assert_eq(q[0], 7.77);
    cr_assert(isnan(bal_demog_lifetable_e0(m, 0)));
    bal_ctx_free(ctx);
}

Test(lifetable, zero_open_rate_is_usage_error)
{
    double m[BAL_NAGE];
    fill(m, 0.0237);
    m[BAL_AGE_OPEN] = 0.0;
    bal_ctx *ctx = bal_ctx_alloc();
    cr_assert_eq(bal_demog_lifetable(ctx, m, 1, NULL, NULL, NULL, NULL, NULL), BAL_EUSAGE);
    cr_assert(strstr(bal_ctx_message(ctx), "m(100+) positive") != NULL);
    cr_assert(isnan(bal_demog_lifetable_e0(m, 1)));
    /* a zero rate below the open age is allowed: q = 0 there */
    fill(m, 0.0237);
    m[30] = 0.0;
    double q[BAL_NAGE];
    bal_ctx_clear(ctx);
    cr_assert_eq(bal_demog_lifetable(ctx, m, 1, q, NULL, NULL, NULL, NULL), BAL_OK);
    cr_assert_eq(q[30], 0.0);
    bal_ctx_free(ctx);
}

Test(lifetable, non_finite_rate_is_usage_error)
{
    double m[BAL_NAGE];
    bal_ctx *ctx = bal_ctx_alloc();
    fill(m, 0.0237);
    m[0] = NAN;
    cr_assert_eq(bal_demog_lifetable(ctx, m, 0, NULL, NULL, NULL, NULL, NULL), BAL_EUSAGE);
    fill(m, 0.0237);
    m[77] = INFINITY;
    cr_assert_eq(bal_demog_lifetable(ctx, m, 0, NULL, NULL, NULL, NULL, NULL), BAL_EUSAGE);
    cr_assert(isnan(bal_demog_lifetable_e0(m, 0)));
    bal_ctx_free(ctx);
}
