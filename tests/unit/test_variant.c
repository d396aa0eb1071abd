/*
 * test_variant.c — projection variants and the calibration on the latest
 * observations (variant.h, calibrate.c; docs/model.md §5.5-5.6):
 *   - the path rules on hand-computed cases (interpolation, the TFR rule);
 *   - the e0 multiplier solver (round trip; no bracket);
 *   - the single-year spread of five-year ASFR (constant rates, group sums);
 *   - `constant` = the kernel without paths (the behaviour before variants);
 *   - the kostat-medium paths on the real pack (jump-off, e0 targets);
 *   - a 2019 start reads no data of 2020 or later.
 */
#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/engine.h"
#include "balance/variant.h"

#include "testutil.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

static int near(double a, double b, double tol)
{
    return fabs(a - b) <= tol * fmax(1.0, fmax(fabs(a), fabs(b)));
}

Test(variant, table)
{
    cr_assert_eq(bal_nvariants, 4);
    cr_assert_eq(bal_variant_find("constant"), BAL_VARIANT_CONSTANT);
    cr_assert_eq(bal_variant_find("kostat-medium"), BAL_VARIANT_MEDIUM);
    cr_assert_eq(bal_variant_find("kostat-high"), BAL_VARIANT_HIGH);
    cr_assert_eq(bal_variant_find("kostat-low"), BAL_VARIANT_LOW);
    cr_assert_eq(bal_variant_find("medium"), -1);
    cr_assert_null(bal_variants[BAL_VARIANT_CONSTANT].kostat);
}

Test(variant, interpolation)
{
    const int y[] = {2020, 2030, 2050};
    const double v[] = {1.0, 2.0, 0.0};
    cr_assert_eq(bal_variant_interp(y, v, 3, 2010.0), 1.0);
    cr_assert_eq(bal_variant_interp(y, v, 3, 2020.0), 1.0);
    cr_assert(near(bal_variant_interp(y, v, 3, 2025.0), 1.5, 1e-15));
    cr_assert(near(bal_variant_interp(y, v, 3, 2040.0), 1.0, 1e-15));
    cr_assert(near(bal_variant_interp(y, v, 3, 2045.0), 0.5, 1e-15));
    cr_assert_eq(bal_variant_interp(y, v, 3, 2060.0), 0.0);
}

/* The TFR rule of variant.h on hand-computed cases. */
Test(variant, tfr_rule)
{
    /* medium-like: P(2025) = 0.65, ultimate 1.08 reached in 2049 */
    const int y[] = {2025, 2035, 2049, 2072};
    const double v[] = {0.65, 1.00, 1.08, 1.08};
    cr_assert_eq(bal_variant_tfr(y, v, 4, 2025, 0.8, 2025.0), 0.8);
    /* 2030: P = 0.825; 0.8 + 0.28 * 0.175 / 0.43 = 0.913953488372093 */
    cr_assert(near(bal_variant_tfr(y, v, 4, 2025, 0.8, 2030.0), 0.8 + 0.28 * 0.175 / 0.43, 1e-12));
    cr_assert(near(bal_variant_tfr(y, v, 4, 2025, 0.8, 2030.0), 0.913953488372093, 1e-12));
    /* 2042: P = 1.04; 0.8 + 0.28 * 0.39 / 0.43 */
    cr_assert(near(bal_variant_tfr(y, v, 4, 2025, 0.8, 2042.0), 0.8 + 0.28 * 0.39 / 0.43, 1e-12));
    cr_assert_eq(bal_variant_tfr(y, v, 4, 2025, 0.8, 2049.0), 1.08);
    cr_assert_eq(bal_variant_tfr(y, v, 4, 2025, 0.8, 2070.0), 1.08);
    /* low-like: the first point after the jump-off (held before it):
       P(2025) = 0.59; 2036.5: P = 0.59 + 0.23 * 10.5 / 21 = 0.705;
       0.799 + 0.021 * 0.115 / 0.23 = 0.8095 */
    const int yl[] = {2026, 2047};
    const double vl[] = {0.59, 0.82};
    cr_assert(near(bal_variant_tfr(yl, vl, 2, 2025, 0.799, 2036.5), 0.8095, 1e-12));
    cr_assert_eq(bal_variant_tfr(yl, vl, 2, 2025, 0.799, 2050.0), 0.82);
    /* P(y0) = U: linear from the jump-off to U at yu */
    const int yd[] = {2020, 2025, 2030};
    const double vd[] = {1.0, 0.9, 1.0};
    cr_assert(near(bal_variant_tfr(yd, vd, 3, 2020, 0.8, 2025.0), 0.9, 1e-12));
    /* a start after the ultimate year: the ultimate level */
    cr_assert_eq(bal_variant_tfr(y, v, 4, 2050, 0.8, 2051.0), 1.08);
}

/* A schedule with a Gompertz shape, then the multiplier that gives a chosen
   e0 back: k = 1.3 and k = 0.6 are recovered from their own e0. */
Test(variant, e0_multiplier)
{
    double m[BAL_NAGE], mk[BAL_NAGE];
    for (int a = 0; a < BAL_NAGE; a++)
        m[a] = 0.00005 * exp(0.09 * a) + (a == 0 ? 0.003 : 0.0);
    const double ks[] = {1.3, 0.6, 1.0};
    for (int i = 0; i < 3; i++)
        for (int male = 0; male < 2; male++) {
            for (int a = 0; a < BAL_NAGE; a++)
                mk[a] = m[a] * ks[i];
            const double e0 = bal_demog_lifetable_e0(mk, male);
            const double k = bal_variant_e0_mult(m, male, e0);
            cr_assert(near(k, ks[i], 1e-9), "k %.15g for %.2f", k, ks[i]);
            for (int a = 0; a < BAL_NAGE; a++)
                mk[a] = m[a] * k;
            cr_assert(fabs(bal_demog_lifetable_e0(mk, male) - e0) < 1e-9);
        }
    /* no multiplier in [e^-10, e^10] gives e0 = 1e9 years or 1e-9 */
    cr_assert(isnan(bal_variant_e0_mult(m, 0, 1e9)));
    cr_assert(isnan(bal_variant_e0_mult(m, 0, 1e-9)));
}

Test(variant, asfr_spread)
{
    double f[BAL_NAGE];
    /* constant group rates: every single year gets the rate */
    const double c[BAL_NASFR5] = {0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05};
    bal_calib_asfr_single(c, f);
    for (int a = 0; a < BAL_NAGE; a++)
        cr_assert(near(f[a], a >= 15 && a <= 49 ? 0.05 : 0.0, 1e-12), "age %d: %.17g", a, f[a]);
    /* Korea 2025 (per woman): group sums kept, no negative rate, smooth peak */
    const double g[BAL_NASFR5] = {0.0004, 0.0038, 0.0212, 0.0731, 0.0521, 0.0085, 0.0003};
    bal_calib_asfr_single(g, f);
    for (int k = 0; k < BAL_NASFR5; k++) {
        double s = 0.0;
        for (int a = 15 + 5 * k; a < 20 + 5 * k; a++) {
            cr_assert(f[a] >= 0.0, "age %d negative", a);
            s += f[a];
        }
        cr_assert(near(s, 5.0 * g[k], 1e-12), "group %d: %.17g", k, s);
    }
    cr_assert_eq(f[14], 0.0);
    cr_assert_eq(f[50], 0.0);
    /* within 30-34 the rates are not flat (the even spread was) */
    cr_assert(f[30] != f[34]);
}

typedef struct fix {
    bal_ctx *ctx;
    bal_datapack pack;
} fix;

static void fix_load(fix *x)
{
    x->ctx = bal_ctx_alloc();
    cr_assert_not_null(x->ctx);
    cr_assert_eq(bal_datapack_load(x->ctx, tu_data_dir(), &x->pack), BAL_OK, "%s",
                 bal_ctx_message(x->ctx));
}

static void fix_release(fix *x)
{
    bal_datapack_release(x->ctx, &x->pack);
    bal_ctx_free(x->ctx);
}

static void same(const double *a, const double *b, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        cr_assert(a[i] == b[i] || (isnan(a[i]) && isnan(b[i])), "%s[%zu]: %.17g vs %.17g",
                  what, i, a[i], b[i]);
}

static void same_params(const bal_demog_params *a, const bal_demog_params *b)
{
    const size_t n = (size_t)a->nreg;
    same(a->mx_base, b->mx_base, BAL_CELLS, "mx_base");
    same(a->improve, b->improve, BAL_CELLS, "improve");
    same(a->mort_mult, b->mort_mult, n * BAL_NSEX, "mort_mult");
    same(a->asfr, b->asfr, n * BAL_NAGE, "asfr");
    same(a->male_share, b->male_share, n, "male_share");
    same(a->outrate, b->outrate, n * BAL_CELLS, "outrate");
    same(a->dest, b->dest, n * n, "dest");
    same(a->intl, b->intl, n * BAL_CELLS, "intl");
    cr_assert_eq(a->tfr_reference, b->tfr_reference);
    cr_assert_eq(a->mx_time, b->mx_time);
}

/* `constant` has no paths, and a variant changes nothing but its paths: the
   kostat-medium parameters with their paths dropped are the constant ones,
   and a step with every multiplier 1 is the step without paths, bit for bit. */
Test(variant, constant_is_the_old_behaviour)
{
    fix x;
    fix_load(&x);
    bal_calib_opts o;
    bal_calib_opts_default(&o, &x.pack);
    o.variant = BAL_VARIANT_CONSTANT;
    bal_demog_params c, m;
    cr_assert_eq(bal_calib_run(x.ctx, &x.pack, &o, x.pack.base_pop, &c, NULL), BAL_OK);
    cr_assert_eq(c.path_n, 0);
    o.variant = BAL_VARIANT_MEDIUM;
    cr_assert_eq(bal_calib_run(x.ctx, &x.pack, &o, x.pack.base_pop, &m, NULL), BAL_OK);
    cr_assert(m.path_n > 0);
    same_params(&c, &m);
    /* multipliers 1: the same step */
    cr_assert_eq(bal_demog_params_paths(x.ctx, &m, 3), BAL_OK);
    const int64_t n = c.nreg;
    const size_t cells = (size_t)n * BAL_CELLS;
    double *out1 = malloc(cells * sizeof(double)), *out2 = malloc(cells * sizeof(double));
    double *acc = calloc((size_t)n * 14, sizeof(double));
    bal_demog_accounts a1 = {acc, acc + n, acc + 2 * n, acc + 3 * n, acc + 4 * n, acc + 5 * n,
                             acc + 6 * n};
    bal_demog_accounts a2 = {acc + 7 * n,  acc + 8 * n,  acc + 9 * n, acc + 10 * n,
                             acc + 11 * n, acc + 12 * n, acc + 13 * n};
    bal_demog_work *w = bal_demog_work_alloc(x.ctx, n, n);
    cr_assert(out1 && out2 && acc && w);
    cr_assert_eq(bal_demog_step(x.ctx, &c, NULL, 2026, x.pack.base_pop, out1, &a1, w), BAL_OK);
    cr_assert_eq(bal_demog_step(x.ctx, &m, NULL, 2026, x.pack.base_pop, out2, &a2, w), BAL_OK);
    same(out1, out2, cells, "pop");
    same(acc, acc + 7 * n, (size_t)n * 7, "accounts");
    bal_demog_work_free(x.ctx, w);
    free(out1);
    free(out2);
    free(acc);
    bal_demog_params_release(x.ctx, &c);
    bal_demog_params_release(x.ctx, &m);
    fix_release(&x);
}

/* kostat-medium on the pack: jump-off TFR 0.799 (2025), the published medium
   path rescaled (2030 by hand), e0 of every step on its linear path from the
   2024 life table to 92.7 / 89.5 in 2072, NIM 155,000 -> 61,000 as a ratio. */
Test(variant, medium_paths)
{
    fix x;
    fix_load(&x);
    bal_calib_opts o;
    bal_calib_opts_default(&o, &x.pack);
    cr_assert_eq(o.variant, BAL_VARIANT_DEFAULT);
    bal_demog_params p;
    bal_calib_report rep;
    cr_assert_eq(bal_calib_run(x.ctx, &x.pack, &o, x.pack.base_pop, &p, &rep), BAL_OK, "%s",
                 bal_ctx_message(x.ctx));
    cr_assert_eq(rep.variant, BAL_VARIANT_MEDIUM); /* the default for the 2025 base */
    cr_assert_eq(rep.release_base, 2022);
    cr_assert_eq(rep.path_last, 2072);
    cr_assert_eq(rep.tfr_national, 0.799);
    cr_assert_eq(rep.tfr_ultimate, 1.08);
    cr_assert_eq(rep.tfr_ultimate_year, 2049);
    cr_assert_eq(p.path_n, 2072 - 2025 + 1);
    /* step k = 4 has its middle at 2030.0, year label 2029.5: published
       medium 2029 0.78, 2030 0.82 -> P = 0.80; P(2025) = 0.65;
       TFR = 0.799 + (1.08 - 0.799) (0.80 - 0.65) / (1.08 - 0.65) */
    const double t4 = 0.799 + (1.08 - 0.799) * (0.80 - 0.65) / (1.08 - 0.65);
    cr_assert(near(p.path_fert[4] * 0.799, t4, 1e-12), "%.15g vs %.15g", p.path_fert[4] * 0.799,
              t4);
    /* NIM: 155,000 (2022) to 61,000 (2072); labels 2025.5 and 2029.5 */
    const double n0 = 155000.0 - 94000.0 * 3.5 / 50.0, n4 = 155000.0 - 94000.0 * 7.5 / 50.0;
    cr_assert(near(rep.nim0, n0, 1e-12));
    cr_assert(near(p.path_intl[4], n4 / n0, 1e-12));
    cr_assert_eq(p.path_intl[0], 1.0);
    /* e0 by sex of the national rates times the multiplier = the linear path */
    for (int k = 0; k < p.path_n; k += 7)
        for (int s = 0; s < BAL_NSEX; s++) {
            const double lab = p.base_time + k, tau = lab + 0.5;
            double mm[BAL_NAGE];
            for (int a = 0; a < BAL_NAGE; a++)
                mm[a] = p.mx_base[s * BAL_NAGE + a] *
                        exp(-p.improve[s * BAL_NAGE + a] * p.improve_scale * (tau - p.mx_time)) *
                        p.path_mort[k * BAL_NSEX + s];
            const double e72 = s == BAL_MALE ? 89.5 : 92.7;
            const double want = rep.e0_jump[s] + (e72 - rep.e0_jump[s]) * (lab - 2024.0) / 48.0;
            cr_assert(fabs(bal_demog_lifetable_e0(mm, s == BAL_MALE) - want) < 1e-8,
                      "step %d sex %d", k, s);
        }
    /* the 2024 life table's e0 is the published 80.8 / 86.6 (to 0.1) */
    cr_assert(fabs(rep.e0_jump[BAL_MALE] - 80.8) < 0.1, "%.3f", rep.e0_jump[BAL_MALE]);
    cr_assert(fabs(rep.e0_jump[BAL_FEMALE] - 86.6) < 0.1, "%.3f", rep.e0_jump[BAL_FEMALE]);
    bal_calib_report_release(x.ctx, &rep);
    bal_demog_params_release(x.ctx, &p);
    fix_release(&x);
}

/* high and low: e0 2072 from the high total's gap on medium (+1.1), low
   mirrored; NIM 113,000 and 9,000 in 2072. */
Test(variant, high_low_mirror)
{
    fix x;
    fix_load(&x);
    bal_calib_opts o;
    bal_calib_opts_default(&o, &x.pack);
    const int vs[] = {BAL_VARIANT_HIGH, BAL_VARIANT_LOW};
    for (int i = 0; i < 2; i++) {
        o.variant = vs[i];
        bal_demog_params p;
        bal_calib_report rep;
        cr_assert_eq(bal_calib_run(x.ctx, &x.pack, &o, x.pack.base_pop, &p, &rep), BAL_OK, "%s",
                     bal_ctx_message(x.ctx));
        const double sg = i == 0 ? 1.0 : -1.0;
        cr_assert(near(rep.e0_target[BAL_FEMALE], 92.7 + sg * (92.2 - 91.1), 1e-12));
        cr_assert(near(rep.e0_target[BAL_MALE], 89.5 + sg * (92.2 - 91.1), 1e-12));
        cr_assert(near(rep.nim_last, i == 0 ? 113000.0 : 9000.0, 1e-12), "%.1f", rep.nim_last);
        cr_assert_eq(rep.tfr_ultimate, i == 0 ? 1.34 : 0.82);
        cr_assert_eq(rep.tfr_ultimate_year, i == 0 ? 2051 : 2047);
        bal_calib_report_release(x.ctx, &rep);
        bal_demog_params_release(x.ctx, &p);
    }
    fix_release(&x);
}

/* Overwrite every value of `y` dated after `year` (period starts after it
   for WPP) with nonsense. */
static void poison(bal_yearly *y, int year)
{
    for (int yr = year + 1; yr < y->year0 + y->nyears; yr++) {
        double *b = bal_yearly_at(y, yr);
        if (b)
            for (int64_t i = 0; i < y->stride; i++)
                b[i] = isnan(b[i]) ? b[i] : b[i] * 3.0 + 7.0;
    }
}

/* A start at end-2019 reads nothing dated 2020 or later: calibrated with
   every later value of the pack's demographic series made nonsense, the
   parameters are identical. (The sigungu population weights of the ASDR
   multipliers, sgg_pop, are the 2022 ones for every start: not poisoned.) */
Test(variant, start_2019_is_out_of_sample)
{
    fix x;
    fix_load(&x);
    bal_calib_opts o;
    bal_calib_opts_default(&o, &x.pack);
    o.base_year = 2019;
    o.base_time = 2020.0;
    double *pop = malloc((size_t)x.pack.nsido * BAL_CELLS * sizeof(double));
    cr_assert_not_null(pop);
    cr_assert_eq(bal_calib_pop_from_bands(x.ctx, &x.pack, 2019, pop), BAL_OK);
    bal_demog_params a, b;
    bal_calib_report ra, rb;
    cr_assert_eq(bal_calib_run(x.ctx, &x.pack, &o, pop, &a, &ra), BAL_OK, "%s",
                 bal_ctx_message(x.ctx));
    cr_assert_eq(ra.variant, BAL_VARIANT_CONSTANT); /* the 2022-based release is of 2023 */
    cr_assert_eq(ra.fert_year, 2019);
    cr_assert_eq(ra.fert_year0, 2017);
    cr_assert_eq(ra.qx_year, 2018);
    bal_yearly *ys[] = {&x.pack.pop5, &x.pack.pop_total, &x.pack.births5, &x.pack.births_tot,
                        &x.pack.qx,   &x.pack.asdr,      &x.pack.od,      &x.pack.vital,
                        &x.pack.asfr, &x.pack.vital_nat};
    for (size_t i = 0; i < sizeof ys / sizeof ys[0]; i++)
        poison(ys[i], 2019);
    poison(&x.pack.mx_wpp, 2015); /* the period 2020-2025 */
    /* a kostat variant is refused for this start */
    o.variant = BAL_VARIANT_MEDIUM;
    bal_demog_params c;
    cr_assert_eq(bal_calib_run(x.ctx, &x.pack, &o, pop, &c, NULL), BAL_EUSAGE);
    cr_assert(strstr(bal_ctx_message(x.ctx), "published in 2023, after the start 2019") != NULL,
              "%s", bal_ctx_message(x.ctx));
    o.variant = BAL_VARIANT_DEFAULT;
    cr_assert_eq(bal_calib_run(x.ctx, &x.pack, &o, pop, &b, &rb), BAL_OK, "%s",
                 bal_ctx_message(x.ctx));
    same_params(&a, &b);
    cr_assert_eq(ra.tfr_national, rb.tfr_national);
    bal_calib_report_release(x.ctx, &ra);
    bal_calib_report_release(x.ctx, &rb);
    bal_demog_params_release(x.ctx, &a);
    bal_demog_params_release(x.ctx, &b);
    free(pop);
    fix_release(&x);
}

/* --tfr-target replaces the variant's fertility path (all multipliers 1;
   the kernel's target factor does the work); mortality and international
   migration keep the variant's paths. */
Test(variant, tfr_target_replaces_fertility_path)
{
    fix x;
    fix_load(&x);
    bal_calib_opts o;
    bal_calib_opts_default(&o, &x.pack);
    o.variant = BAL_VARIANT_MEDIUM;
    o.tfr_target = 1.2;
    o.tfr_target_year = 2040;
    bal_demog_params p;
    cr_assert_eq(bal_calib_run(x.ctx, &x.pack, &o, x.pack.base_pop, &p, NULL), BAL_OK, "%s",
                 bal_ctx_message(x.ctx));
    cr_assert(p.path_n > 0);
    int mort_moves = 0;
    for (int k = 0; k < p.path_n; k++) {
        cr_assert_eq(p.path_fert[k], 1.0);
        mort_moves |= p.path_mort[k * BAL_NSEX] != 1.0;
    }
    cr_assert(mort_moves);
    cr_assert(p.path_intl[p.path_n - 1] < 0.5);
    cr_assert_eq(p.tfr_target, 1.2);
    bal_demog_params_release(x.ctx, &p);
    fix_release(&x);
}
