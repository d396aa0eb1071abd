/*
 * test_demography.c — one yearly step of the multiregional cohort-component
 * model on a toy two-region population, checked cell by cell against a hand
 * computation; parameter checks; the TFR-target path; mortality over time.
 *
 * Hand values are written out below with plain arithmetic, following the
 * method as documented in include/balance/demography.h (migration on the
 * start population, then international migration clamped at zero, then
 * survival with ratios 1 - q (constant m, ages 1..97), births on the women of
 * step 2 with exposure (F(a) + F(a-1))/2, surviving with L(0)). Reference
 * numbers in comments were computed independently with a calculator.
 */
#include "balance/core.h"
#include "balance/demography.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

/* Relative comparison for quantities of a few thousand persons. */
#define REL 1e-12
static int close_rel(double a, double b)
{
    return fabs(a - b) <= REL * fmax(1.0, fmax(fabs(a), fabs(b)));
}

#define M_F 0.00413
#define M_M 0.00587
#define O_0 0.0731
#define O_1 0.0412

/* Start population: ages 20, 21, 22 only. */
static const double P0F[3] = {1523.7, 1488.2, 1391.6};
static const double P0M[3] = {1610.3, 1555.9, 1432.8};
static const double P1F[3] = {873.4, 912.6, 958.1};
static const double P1M[3] = {901.7, 944.2, 987.5};

typedef struct toy {
    bal_ctx *ctx;
    bal_demog_params p;
    bal_demog_work *w;
    double pin[2 * BAL_CELLS], pout[2 * BAL_CELLS];
    double births[2], deaths[2], in[2], out[2], in_local[2], out_local[2], intl[2];
    bal_demog_accounts acc;
} toy;

static void toy_setup(toy *t)
{
    memset(t, 0, sizeof *t);
    t->ctx = bal_ctx_alloc();
    cr_assert_not_null(t->ctx);
    cr_assert_eq(bal_demog_params_init(t->ctx, &t->p, 2), BAL_OK);
    bal_demog_params *p = &t->p;
    p->base_year = 2025;
    p->base_time = 2025.5;
    p->mx_time = 2018.5; /* irrelevant: no improvement */
    for (int a = 0; a < BAL_NAGE; a++) {
        p->mx_base[BAL_FEMALE * BAL_NAGE + a] = M_F;
        p->mx_base[BAL_MALE * BAL_NAGE + a] = M_M;
    }
    for (int i = 0; i < 2 * BAL_NSEX; i++)
        p->mort_mult[i] = 1.0;
    p->asfr[0 * BAL_NAGE + 21] = 0.0437;
    p->asfr[0 * BAL_NAGE + 22] = 0.0518;
    p->asfr[1 * BAL_NAGE + 21] = 0.0391;
    p->asfr[1 * BAL_NAGE + 22] = 0.0603;
    p->male_share[0] = 0.512;
    p->male_share[1] = 0.5147;
    for (int s = 0; s < BAL_NSEX; s++)
        for (int a = 20; a <= 22; a++) {
            p->outrate[bal_pidx(0, s, a)] = O_0;
            p->outrate[bal_pidx(1, s, a)] = O_1;
        }
    p->dest[0] = 0.0;
    p->dest[1] = 1.0;
    p->dest[2] = 1.0;
    p->dest[3] = 0.0;
    p->intl[bal_pidx(0, BAL_FEMALE, 21)] = 13.7;
    p->intl[bal_pidx(0, BAL_MALE, 20)] = -25.3;
    p->intl[bal_pidx(1, BAL_MALE, 22)] = -2000.0; /* more than the cell holds */
    p->intl[bal_pidx(1, BAL_FEMALE, 30)] = 6.1;   /* immigrants into an empty cell */
    p->intl[bal_pidx(1, BAL_FEMALE, 35)] = -4.2;  /* emigrants from an empty cell */
    for (int k = 0; k < 3; k++) {
        t->pin[bal_pidx(0, BAL_FEMALE, 20 + k)] = P0F[k];
        t->pin[bal_pidx(0, BAL_MALE, 20 + k)] = P0M[k];
        t->pin[bal_pidx(1, BAL_FEMALE, 20 + k)] = P1F[k];
        t->pin[bal_pidx(1, BAL_MALE, 20 + k)] = P1M[k];
    }
    for (int i = 0; i < 2 * BAL_CELLS; i++)
        t->pout[i] = -99.0; /* every cell must be overwritten */
    t->acc = (bal_demog_accounts){t->births, t->deaths,   t->in,  t->out,
                                  t->in_local, t->out_local, t->intl};
    for (int r = 0; r < 2; r++)
        t->births[r] = t->deaths[r] = t->in[r] = t->out[r] = t->intl[r] = -7.0;
    t->w = bal_demog_work_alloc(t->ctx, 2, 2);
    cr_assert_not_null(t->w);
}

static void toy_teardown(toy *t)
{
    bal_demog_work_free(t->ctx, t->w);
    bal_demog_params_release(t->ctx, &t->p);
    bal_ctx_free(t->ctx);
}

Test(demography, toy_two_region_step)
{
    toy t;
    toy_setup(&t);
    cr_assert_eq(bal_demog_params_check(t.ctx, &t.p), BAL_OK, "%s", bal_ctx_message(t.ctx));
    double pin_copy[2 * BAL_CELLS];
    memcpy(pin_copy, t.pin, sizeof pin_copy);
    cr_assert_eq(bal_demog_step(t.ctx, &t.p, NULL, 2025, t.pin, t.pout, &t.acc, t.w), BAL_OK, "%s",
                 bal_ctx_message(t.ctx));
    cr_assert(memcmp(pin_copy, t.pin, sizeof pin_copy) == 0, "pop_in was modified");

    /* ---- 1. internal migration: stayers (1 - o_r) P_r + movers o_other P_other ---- */
    double mF0[3], mM0[3], mF1[3], mM1[3];
    for (int k = 0; k < 3; k++) {
        mF0[k] = P0F[k] * (1.0 - O_0) + P1F[k] * O_1;
        mM0[k] = P0M[k] * (1.0 - O_0) + P1M[k] * O_1;
        mF1[k] = P1F[k] * (1.0 - O_1) + P0F[k] * O_0;
        mM1[k] = P1M[k] * (1.0 - O_1) + P0M[k] * O_0;
    }
    const double out0 = O_0 * (1523.7 + 1488.2 + 1391.6 + 1610.3 + 1555.9 + 1432.8);
    const double out1 = O_1 * (873.4 + 912.6 + 958.1 + 901.7 + 944.2 + 987.5);
    /* 0.0731 * 9002.5 = 658.08275 ; 0.0412 * 5577.5 = 229.793 */
    cr_assert(close_rel(out0, 658.08275));
    cr_assert(close_rel(out1, 229.793));

    /* ---- 2. international migration, clamped ---- */
    mF0[1] += 13.7;
    mM0[0] += -25.3;
    /* region 1 male 22 after migration: 987.5 * 0.9588 + 1432.8 * 0.0731
       = 946.815 + 104.73768 = 1051.55268 < 2000, so only 1051.55268 leave */
    const double clamp = 987.5 * (1.0 - O_1) + 1432.8 * O_0;
    cr_assert(close_rel(clamp, 1051.55268));
    mM1[2] = 0.0;
    const double intl0 = 13.7 - 25.3;          /* -11.6 */
    const double intl1 = 6.1 + 0.0 - clamp;    /* -1045.45268; the -4.2 finds nobody */

    /* ---- 3. survival: constant m, ratio 1 - q with q = m/(1 + m/2) ---- */
    const double sF = 1.0 - M_F / (1.0 + M_F / 2.0); /* 1 - 0.004121489124957 */
    const double sM = 1.0 - M_M / (1.0 + M_M / 2.0); /* 1 - 0.005852821967525 */

    /* ---- 4. births on the women after step 2 ---- */
    const double B0 = 0.0437 * (mF0[1] + mF0[0]) / 2.0 + 0.0518 * (mF0[2] + mF0[1]) / 2.0;
    const double B1 = 0.0391 * (mF1[1] + mF1[0]) / 2.0 + 0.0603 * (mF1[2] + mF1[1]) / 2.0;
    cr_assert(fabs(B0 - 134.3919808375) < 1e-9);
    cr_assert(fabs(B1 - 98.2069070705) < 1e-9);
    /* L(0): a0 from Andreev-Kingkade, 1st branch for both sexes (m0 small):
       female a0 = 0.14903 - 2.05527 * 0.00413 = 0.1405417349
       male   a0 = 0.14929 - 1.99545 * 0.00587 = 0.1375767085
       q0 = m0 / (1 + (1 - a0) m0), L0 = l1 + a0 (1 - l1) = 1 - (1 - a0) q0 */
    const double a0F = 0.1405417349, a0M = 0.1375767085;
    const double q0F = M_F / (1.0 + (1.0 - a0F) * M_F), q0M = M_M / (1.0 + (1.0 - a0M) * M_M);
    const double L0F = (1.0 - q0F) + a0F * q0F; /* 0.99646299219588 */
    const double L0M = (1.0 - q0M) + a0M * q0M; /* 0.99496307433590 */
    cr_assert(fabs(L0F - 0.99646299219588) < 1e-13);
    cr_assert(fabs(L0M - 0.99496307433590) < 1e-13);
    const double g0 = B0 * (1.0 - 0.512) * L0F, b0 = B0 * 0.512 * L0M;
    const double g1 = B1 * (1.0 - 0.5147) * L0F, b1 = B1 * 0.5147 * L0M;

    /* ---- expected population, every cell ---- */
    double want[2 * BAL_CELLS];
    memset(want, 0, sizeof want);
    want[bal_pidx(0, BAL_FEMALE, 0)] = g0; /* 65.351318052 */
    want[bal_pidx(0, BAL_MALE, 0)] = b0;   /* 68.462109911 */
    want[bal_pidx(1, BAL_FEMALE, 0)] = g1; /* 47.491238874 */
    want[bal_pidx(1, BAL_MALE, 0)] = b1;   /* 50.292493109 */
    for (int k = 0; k < 3; k++) {
        want[bal_pidx(0, BAL_FEMALE, 21 + k)] = mF0[k] * sF;
        want[bal_pidx(0, BAL_MALE, 21 + k)] = mM0[k] * sM;
        want[bal_pidx(1, BAL_FEMALE, 21 + k)] = mF1[k] * sF;
        want[bal_pidx(1, BAL_MALE, 21 + k)] = mM1[k] * sM;
    }
    want[bal_pidx(1, BAL_FEMALE, 31)] = 6.1 * sF;
    /* spot values: region 0 female 22 = 1424.8150372875, region 1 male 23 = 0 */
    cr_assert(fabs(want[bal_pidx(0, BAL_FEMALE, 22)] - 1424.8150372875) < 1e-8);
    cr_assert(fabs(want[bal_pidx(0, BAL_MALE, 21)] - 1495.6319074338) < 1e-8);
    for (int i = 0; i < 2 * BAL_CELLS; i++)
        cr_assert(close_rel(t.pout[i], want[i]), "cell %d (region %d sex %d age %d): got %.15g, want %.15g",
                  i, i / BAL_CELLS, (i % BAL_CELLS) / BAL_NAGE, i % BAL_NAGE, t.pout[i], want[i]);
    cr_assert_eq(t.pout[bal_pidx(1, BAL_MALE, 23)], 0.0);
    cr_assert_eq(t.pout[bal_pidx(1, BAL_FEMALE, 36)], 0.0);

    /* ---- accounts ---- */
    double dead0 = B0 - g0 - b0, dead1 = B1 - g1 - b1;
    for (int k = 0; k < 3; k++) {
        dead0 += mF0[k] * (1.0 - sF) + mM0[k] * (1.0 - sM);
        dead1 += mF1[k] * (1.0 - sF) + mM1[k] * (1.0 - sM);
    }
    dead1 += 6.1 * (1.0 - sF);
    cr_assert(close_rel(t.births[0], B0), "births0 %.15g vs %.15g", t.births[0], B0);
    cr_assert(close_rel(t.births[1], B1), "births1 %.15g vs %.15g", t.births[1], B1);
    cr_assert(close_rel(t.deaths[0], dead0), "deaths0 %.15g vs %.15g", t.deaths[0], dead0);
    cr_assert(close_rel(t.deaths[1], dead1), "deaths1 %.15g vs %.15g", t.deaths[1], dead1);
    cr_assert(fabs(t.deaths[0] - 43.40791251105) < 1e-8);
    cr_assert(fabs(t.deaths[1] - 24.33206357507) < 1e-8);
    cr_assert(close_rel(t.out[0], out0));
    cr_assert(close_rel(t.out[1], out1));
    cr_assert(close_rel(t.in[0], out1), "in0 %.15g", t.in[0]);
    cr_assert(close_rel(t.in[1], out0), "in1 %.15g", t.in[1]);
    cr_assert(close_rel(t.intl[0], intl0), "intl0 %.15g", t.intl[0]);
    cr_assert(close_rel(t.intl[1], intl1), "intl1 %.15g", t.intl[1]);
    cr_assert(fabs(t.intl[1] - (-1045.45268)) < 1e-9);

    /* the balancing identity per region */
    double sin0 = 0.0, sin1 = 0.0, so0 = 0.0, so1 = 0.0;
    for (int i = 0; i < BAL_CELLS; i++) {
        sin0 += t.pin[i];
        sin1 += t.pin[BAL_CELLS + i];
        so0 += t.pout[i];
        so1 += t.pout[BAL_CELLS + i];
    }
    cr_assert(close_rel(so0, sin0 + t.births[0] - t.deaths[0] + t.in[0] - t.out[0] + t.intl[0]));
    cr_assert(close_rel(so1, sin1 + t.births[1] - t.deaths[1] + t.in[1] - t.out[1] + t.intl[1]));
    for (int i = 0; i < 2 * BAL_CELLS; i++)
        cr_assert(t.pout[i] >= 0.0);
    toy_teardown(&t);
}

/* bal_demog_tfr is the sum of single-age rates. */
Test(demography, tfr_is_sum_of_rates)
{
    toy t;
    toy_setup(&t);
    cr_assert_float_eq(bal_demog_tfr(&t.p, 0), 0.0437 + 0.0518, 1e-15);
    cr_assert_float_eq(bal_demog_tfr(&t.p, 1), 0.0391 + 0.0603, 1e-15);
    toy_teardown(&t);
}

/*
 * TFR target: factor = 1 + (target/reference - 1) * progress, progress =
 * (year - base_year + 1/2) / (target_year - base_year), capped at 1.
 * reference 0.8, target 1.2 -> target/reference = 1.5;
 * step 2025: 1 + 0.5 * 0.5/10 = 1.025; step 2030: 1 + 0.5 * 5.5/10 = 1.275;
 * step 2034: 1 + 0.5 * 9.5/10 = 1.475; from 2035 on: 1.5.
 */
Test(demography, tfr_target_path)
{
    toy t;
    toy_setup(&t);
    const int years[] = {2025, 2030, 2034, 2035, 2041};
    const double factor[] = {1.025, 1.275, 1.475, 1.5, 1.5};
    double base_births[5][2], base_pop[5][2 * BAL_CELLS];
    /* constant rates first */
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(bal_demog_step(t.ctx, &t.p, NULL, years[i], t.pin, t.pout, &t.acc, t.w), BAL_OK);
        base_births[i][0] = t.births[0];
        base_births[i][1] = t.births[1];
        memcpy(base_pop[i], t.pout, sizeof t.pout);
    }
    /* constant rates and no improvement: every year gives the same births */
    cr_assert_eq(base_births[0][0], base_births[4][0]);
    t.p.tfr_reference = 0.8;
    t.p.tfr_target = 1.2;
    t.p.tfr_target_year = 2035;
    cr_assert_eq(bal_demog_params_check(t.ctx, &t.p), BAL_OK);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(bal_demog_step(t.ctx, &t.p, NULL, years[i], t.pin, t.pout, &t.acc, t.w), BAL_OK);
        for (int r = 0; r < 2; r++) {
            cr_assert(close_rel(t.births[r], base_births[i][r] * factor[i]),
                      "year %d region %d: births %.15g, want %.15g x %.4f", years[i], r,
                      t.births[r], base_births[i][r], factor[i]);
            /* the newborns scale alike; other ages do not change */
            for (int s = 0; s < BAL_NSEX; s++)
                cr_assert(close_rel(t.pout[bal_pidx(r, s, 0)],
                                    base_pop[i][bal_pidx(r, s, 0)] * factor[i]));
            cr_assert_eq(t.pout[bal_pidx(r, BAL_FEMALE, 22)],
                         base_pop[i][bal_pidx(r, BAL_FEMALE, 22)]);
        }
    }
    /* no reference TFR: rates stay constant whatever the target */
    t.p.tfr_reference = 0.0;
    cr_assert_eq(bal_demog_step(t.ctx, &t.p, NULL, 2030, t.pin, t.pout, &t.acc, t.w), BAL_OK);
    cr_assert_eq(t.births[0], base_births[1][0]);
    toy_teardown(&t);
}

/* ---- parameter checks ---- */

static void expect_check_fails(toy *t, const char *words)
{
    bal_ctx_clear(t->ctx);
    cr_assert_eq(bal_demog_params_check(t->ctx, &t->p), BAL_EUSAGE);
    cr_assert_eq(bal_ctx_status(t->ctx), BAL_EUSAGE);
    cr_assert(strstr(bal_ctx_message(t->ctx), words) != NULL, "message '%s' lacks '%s'",
              bal_ctx_message(t->ctx), words);
}

Test(demography, check_dest_row_sum)
{
    toy t;
    toy_setup(&t);
    cr_assert_eq(bal_demog_params_check(t.ctx, &t.p), BAL_OK);
    t.p.dest[1] = 0.93;
    expect_check_fails(&t, "sum to 0.93");
    t.p.dest[1] = 1.0;
    t.p.dest[0] = 0.25; /* the diagonal must be 0 */
    expect_check_fails(&t, "destination share");
    t.p.dest[0] = 0.0;
    t.p.dest[3] = -0.125;
    expect_check_fails(&t, "destination share");
    t.p.dest[3] = 0.0;
    cr_assert_eq(bal_demog_params_check(t.ctx, &t.p), BAL_OK);
    toy_teardown(&t);
}

Test(demography, check_outrate_range)
{
    toy t;
    toy_setup(&t);
    t.p.outrate[bal_pidx(1, BAL_MALE, 64)] = 1.0371;
    expect_check_fails(&t, "out-migration rate");
    t.p.outrate[bal_pidx(1, BAL_MALE, 64)] = -0.0013;
    expect_check_fails(&t, "out-migration rate");
    t.p.outrate[bal_pidx(1, BAL_MALE, 64)] = 1.0; /* everyone leaves: allowed */
    cr_assert_eq(bal_demog_params_check(t.ctx, &t.p), BAL_OK);
    toy_teardown(&t);
}

Test(demography, check_male_share)
{
    toy t;
    toy_setup(&t);
    t.p.male_share[1] = 0.0;
    expect_check_fails(&t, "male share");
    t.p.male_share[1] = 1.0;
    expect_check_fails(&t, "male share");
    t.p.male_share[1] = NAN;
    expect_check_fails(&t, "male share");
    toy_teardown(&t);
}

Test(demography, check_other_ranges)
{
    toy t;
    toy_setup(&t);
    t.p.mx_base[BAL_MALE * BAL_NAGE + BAL_AGE_OPEN] = 0.0;
    expect_check_fails(&t, "100+");
    t.p.mx_base[BAL_MALE * BAL_NAGE + BAL_AGE_OPEN] = M_M;
    t.p.mx_base[17] = -0.0004;
    expect_check_fails(&t, "death rate");
    t.p.mx_base[17] = M_F;
    t.p.mort_mult[3] = 0.0;
    expect_check_fails(&t, "multiplier");
    t.p.mort_mult[3] = 1.0;
    t.p.asfr[1 * BAL_NAGE + 30] = 1.25;
    expect_check_fails(&t, "fertility rate");
    t.p.asfr[1 * BAL_NAGE + 30] = 0.0;
    t.p.intl[bal_pidx(0, BAL_FEMALE, 5)] = INFINITY;
    expect_check_fails(&t, "international");
    t.p.intl[bal_pidx(0, BAL_FEMALE, 5)] = 0.0;
    t.p.tfr_target = 1.3;
    t.p.tfr_target_year = 2025; /* not after the base year */
    expect_check_fails(&t, "TFR target year");
    t.p.tfr_target_year = 2026;
    cr_assert_eq(bal_demog_params_check(t.ctx, &t.p), BAL_OK);
    toy_teardown(&t);
}

Test(demography, workspace_for_other_region_count)
{
    toy t;
    toy_setup(&t);
    bal_demog_work *w3 = bal_demog_work_alloc(t.ctx, 3, 3);
    cr_assert_not_null(w3);
    cr_assert_eq(bal_demog_step(t.ctx, &t.p, NULL, 2025, t.pin, t.pout, &t.acc, w3), BAL_EINTERNAL);
    bal_demog_work_free(t.ctx, w3);
    toy_teardown(&t);
}

/* A bad death rate reaches the step through the life table: BAL_EUSAGE. */
Test(demography, step_rejects_bad_rates)
{
    toy t;
    toy_setup(&t);
    t.p.mx_base[BAL_FEMALE * BAL_NAGE + BAL_AGE_OPEN] = 0.0;
    cr_assert_eq(bal_demog_step(t.ctx, &t.p, NULL, 2025, t.pin, t.pout, &t.acc, t.w), BAL_EUSAGE);
    toy_teardown(&t);
}

/*
 * One region, mortality with a regional multiplier and improvement over time,
 * and the open age group.
 *   base_year 2015, base_time 2016.0 (end-December 2015), mx_time 2018.5;
 *   step for year 2019: t = 2016 + 4 + 0.5 - 2018.5 = 2.0 years.
 *   female: m = 0.0123 * 1.13 * exp(-0.021 * 0.8 * 2) = 0.013899 * exp(-0.0336)
 *         = 0.0134397522 ; male: m = 0.0345 * 0.87 * exp(-0.017 * 0.8 * 2).
 *   P(F, 40) = 2718.3 -> P(F, 41) = 2718.3 (1 - q), q = m/(1 + m/2).
 *   Open group: P(M, 99) = 41.9, P(M, 100) = 17.3 -> P(M, 100) next year
 *   = (41.9 + 17.3) T(100)/T(99) = 59.2 (1 - q) for constant m (see
 *   test_lifetable.c); P(M, 98) = 63.7 -> P(M, 99) = 63.7 (1 - q).
 */
Test(demography, mortality_multiplier_improvement_open_group)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_demog_params p;
    cr_assert_eq(bal_demog_params_init(ctx, &p, 1), BAL_OK);
    p.base_year = 2015;
    p.base_time = 2016.0;
    p.mx_time = 2018.5;
    p.improve_scale = 0.8;
    for (int a = 0; a < BAL_NAGE; a++) {
        p.mx_base[BAL_FEMALE * BAL_NAGE + a] = 0.0123;
        p.mx_base[BAL_MALE * BAL_NAGE + a] = 0.0345;
        p.improve[BAL_FEMALE * BAL_NAGE + a] = 0.021;
        p.improve[BAL_MALE * BAL_NAGE + a] = 0.017;
    }
    p.mort_mult[BAL_FEMALE] = 1.13;
    p.mort_mult[BAL_MALE] = 0.87;
    p.male_share[0] = 0.5121;
    cr_assert_eq(bal_demog_params_check(ctx, &p), BAL_OK, "%s", bal_ctx_message(ctx));
    double pin[BAL_CELLS] = {0}, pout[BAL_CELLS];
    double b, d, in, out, inl, outl, intl;
    bal_demog_accounts acc = {&b, &d, &in, &out, &inl, &outl, &intl};
    pin[bal_pidx(0, BAL_FEMALE, 40)] = 2718.3;
    pin[bal_pidx(0, BAL_MALE, 98)] = 63.7;
    pin[bal_pidx(0, BAL_MALE, 99)] = 41.9;
    pin[bal_pidx(0, BAL_MALE, 100)] = 17.3;
    bal_demog_work *w = bal_demog_work_alloc(ctx, 1, 1);
    cr_assert_eq(bal_demog_step(ctx, &p, NULL, 2019, pin, pout, &acc, w), BAL_OK);
    const double mF = 0.0123 * 1.13 * exp(-0.021 * 0.8 * 2.0);
    const double mM = 0.0345 * 0.87 * exp(-0.017 * 0.8 * 2.0);
    cr_assert(fabs(mF - 0.0134397522) < 1e-9); /* 0.013899 * exp(-0.0336) = 0.013899 * 0.966958... */
    const double qF = mF / (1.0 + mF / 2.0), qM = mM / (1.0 + mM / 2.0);
    cr_assert(close_rel(pout[bal_pidx(0, BAL_FEMALE, 41)], 2718.3 * (1.0 - qF)),
              "got %.15g want %.15g", pout[bal_pidx(0, BAL_FEMALE, 41)], 2718.3 * (1.0 - qF));
    cr_assert(close_rel(pout[bal_pidx(0, BAL_MALE, 99)], 63.7 * (1.0 - qM)));
    cr_assert(close_rel(pout[bal_pidx(0, BAL_MALE, 100)], (41.9 + 17.3) * (1.0 - qM)),
              "open group %.15g", pout[bal_pidx(0, BAL_MALE, 100)]);
    cr_assert_eq(pout[bal_pidx(0, BAL_FEMALE, 40)], 0.0);
    cr_assert_eq(b, 0.0);
    cr_assert_eq(in, 0.0);
    cr_assert_eq(out, 0.0);
    cr_assert_eq(intl, 0.0);
    cr_assert(close_rel(d, 2718.3 * qF + (63.7 + 41.9 + 17.3) * qM));
    /* a later step has lower mortality (improvement > 0) */
    double pout2[BAL_CELLS];
    cr_assert_eq(bal_demog_step(ctx, &p, NULL, 2029, pin, pout2, &acc, w), BAL_OK);
    cr_assert(pout2[bal_pidx(0, BAL_FEMALE, 41)] > pout[bal_pidx(0, BAL_FEMALE, 41)]);
    bal_demog_work_free(ctx, w);
    bal_demog_params_release(ctx, &p);
    bal_ctx_free(ctx);
}
