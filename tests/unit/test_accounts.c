/*
 * test_accounts.c — the demographic accounts of a full projection on the real
 * data pack (BALANCE_DATA, default data/kr) balance, and a few published
 * figures come out as published.
 *
 * Independent figures used here:
 *   51,164,582   national registered population end-June 2025 (MOIS; the
 *                sanity table of data/kr/source/UPSTREAM_SOURCES.md and
 *                data/kr/SOURCES.md "Sum of all rows")
 *   9,325,616    Seoul end-June 2025 (same sanity table)
 *   50.97 %      capital-region share 2025-06 (same sanity table)
 *   0.799        national TFR 2025 (KOSTAT, Birth Statistics 2025; fertility_asfr.csv)
 * Incheon and Gyeonggi are summed here from population_base.csv directly,
 * and the 2015 year-end totals from population_totals.csv, without the
 * library's loader.
 */
#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/engine.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FINAL_YEAR 2052

static const char *data_dir(void)
{
    const char *d = getenv("BALANCE_DATA");
    return d && *d ? d : "data/kr";
}

typedef struct run {
    bal_ctx *ctx;
    bal_datapack pack;
    bal_demog_params params;
    bal_calib_report rep;
    bal_projection proj;
} run;

static void run_base_variant(run *r, int variant);
static void run_base(run *r)
{
    run_base_variant(r, BAL_VARIANT_DEFAULT);
}

static void run_base_variant(run *r, int variant)
{
    memset(r, 0, sizeof *r);
    r->ctx = bal_ctx_alloc();
    cr_assert_not_null(r->ctx);
    int st = bal_datapack_load(r->ctx, data_dir(), &r->pack);
    cr_assert_eq(st, BAL_OK, "load: %s:%ld: %s", bal_ctx_file(r->ctx), bal_ctx_line(r->ctx),
                 bal_ctx_message(r->ctx));
    bal_calib_opts o;
    bal_calib_opts_default(&o, &r->pack);
    o.variant = variant;
    st = bal_calib_run(r->ctx, &r->pack, &o, r->pack.base_pop, &r->params, &r->rep);
    cr_assert_eq(st, BAL_OK, "calibrate: %s", bal_ctx_message(r->ctx));
    st = bal_projection_run(r->ctx, &r->params, r->pack.base_pop, FINAL_YEAR, &r->proj);
    cr_assert_eq(st, BAL_OK, "project: %s", bal_ctx_message(r->ctx));
}

static void run_release(run *r)
{
    bal_projection_release(r->ctx, &r->proj);
    bal_calib_report_release(r->ctx, &r->rep);
    bal_demog_params_release(r->ctx, &r->params);
    bal_datapack_release(r->ctx, &r->pack);
    bal_ctx_free(r->ctx);
}

/* |a - b| <= tol * max(|a|, |b|, 1) */
static int rel_ok(double a, double b, double tol)
{
    return fabs(a - b) <= tol * fmax(1.0, fmax(fabs(a), fabs(b)));
}

/* Sum of column `col` (0-based) of the rows of a CSV whose first column is
   `code` (and, when year_col >= 0, whose column year_col equals `year`). */
static double csv_sum(const char *table, const char *code, int year_col, long year, int col)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", data_dir(), table);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    char line[512];
    double sum = 0.0;
    long rows = 0;
    cr_assert_not_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f)) {
        char *field[8];
        int n = 0;
        char *save = NULL;
        for (char *tok = strtok_r(line, ",\r\n", &save); tok && n < 8;
             tok = strtok_r(NULL, ",\r\n", &save))
            field[n++] = tok;
        if (n <= col || (year_col >= 0 && n <= year_col))
            continue;
        if (code && strcmp(field[0], code) != 0)
            continue;
        if (year_col >= 0) {
            long y = 0;
            if (sscanf(field[year_col], "%ld", &y) != 1 || y != year)
                continue;
        }
        double v = 0.0;
        cr_assert_eq(sscanf(field[col], "%lf", &v), 1);
        sum += v;
        rows++;
    }
    fclose(f);
    cr_assert(rows > 0, "no rows for %s in %s", code ? code : "(all)", table);
    return sum;
}

Test(accounts, every_region_every_step_balances)
{
    run r;
    run_base(&r);
    const bal_projection *pr = &r.proj;
    cr_assert_eq(pr->nreg, 17);
    cr_assert_eq(pr->year0, 2025);
    cr_assert_eq(pr->nyears, FINAL_YEAR - 2025 + 1);
    const int64_t n = pr->nreg;
    for (int k = 0; k + 1 < pr->nyears; k++) {
        double nat0 = 0.0, nat1 = 0.0, nb = 0.0, nd = 0.0, ni = 0.0, no = 0.0, nx = 0.0;
        for (int64_t g = 0; g < n; g++) {
            const size_t i = (size_t)k * (size_t)n + (size_t)g;
            const double p0 = bal_projection_total(pr, k, g), p1 = bal_projection_total(pr, k + 1, g);
            const double want = p0 + pr->births[i] - pr->deaths[i] + pr->in[i] - pr->out[i] +
                                pr->intl[i];
            cr_assert(rel_ok(p1, want, 1e-9), "region %s step %d: P(k+1) = %.3f, accounts give %.3f",
                      r.pack.regions.r[g].code, k, p1, want);
            cr_assert(pr->births[i] > 0.0 && pr->deaths[i] > 0.0 && pr->in[i] > 0.0 &&
                      pr->out[i] > 0.0);
            nat0 += p0;
            nat1 += p1;
            nb += pr->births[i];
            nd += pr->deaths[i];
            ni += pr->in[i];
            no += pr->out[i];
            nx += pr->intl[i];
        }
        /* national: internal migration nets out; the identity holds without it */
        cr_assert(rel_ok(ni, no, 1e-9), "step %d: in %.6f out %.6f", k, ni, no);
        cr_assert(rel_ok(nat1, nat0 + nb - nd + nx, 1e-9), "step %d national", k);
        cr_assert(rel_ok(bal_projection_total(pr, k, -1), nat0, 1e-12));
        cr_assert(rel_ok(bal_projection_total(pr, k + 1, -1), nat1, 1e-12));
        /* national indicators are sums of the regional ones */
        double vn[BAL_NIND], sum[BAL_NIND] = {0};
        bal_report_values(pr, k + 1, NULL, 0, 0, vn);
        for (int64_t g = 0; g < n; g++) {
            double v[BAL_NIND];
            bal_report_values(pr, k + 1, &g, 1, 0, v);
            for (int j = 0; j < BAL_NIND; j++)
                sum[j] += v[j];
        }
        for (int j = 0; j < BAL_NIND; j++)
            if (bal_indicators[j].agg == BAL_AGG_SUM && /* ratios are not sums */
                (j < BAL_IND_GRDP || j > BAL_IND_PHYSICIANS)) /* economy: test_economy.c */
                cr_assert(rel_ok(vn[j], sum[j], 1e-12), "indicator %s", bal_indicator_name(j));
        cr_assert(fabs(vn[BAL_IND_NET_INTERNAL]) <= 1e-9 * no);
        cr_assert(rel_ok(vn[BAL_IND_BIRTHS], nb, 1e-12));
    }
    /* populations never negative, everywhere */
    const size_t cells = (size_t)pr->nyears * (size_t)(n * BAL_CELLS);
    for (size_t i = 0; i < cells; i++)
        cr_assert(pr->pop[i] >= 0.0 && isfinite(pr->pop[i]), "cell %zu = %g", i, pr->pop[i]);
    run_release(&r);
}

Test(accounts, projection_is_deterministic)
{
    run r;
    run_base(&r);
    bal_projection again;
    cr_assert_eq(bal_projection_run(r.ctx, &r.params, r.pack.base_pop, FINAL_YEAR, &again), BAL_OK);
    const size_t cells = (size_t)r.proj.nyears * (size_t)(r.proj.nreg * BAL_CELLS);
    const size_t steps = (size_t)(r.proj.nyears - 1) * (size_t)r.proj.nreg;
    cr_assert_eq(again.nyears, r.proj.nyears);
    cr_assert(memcmp(again.pop, r.proj.pop, cells * sizeof(double)) == 0);
    cr_assert(memcmp(again.births, r.proj.births, steps * sizeof(double)) == 0);
    cr_assert(memcmp(again.deaths, r.proj.deaths, steps * sizeof(double)) == 0);
    cr_assert(memcmp(again.in, r.proj.in, steps * sizeof(double)) == 0);
    cr_assert(memcmp(again.out, r.proj.out, steps * sizeof(double)) == 0);
    cr_assert(memcmp(again.intl, r.proj.intl, steps * sizeof(double)) == 0);
    bal_projection_release(r.ctx, &again);
    run_release(&r);
}

Test(accounts, base_year_matches_published_figures)
{
    run r;
    run_base(&r);
    /* the start population is the data, unchanged */
    cr_assert_eq(bal_projection_total(&r.proj, 0, -1), 51164582.0);
    int64_t seoul = bal_regions_find(&r.pack.regions, "11");
    cr_assert_eq(seoul, 0);
    cr_assert_eq(bal_projection_total(&r.proj, 0, seoul), 9325616.0);

    /* capital region: Seoul (published) + Incheon + Gyeonggi summed from the CSV */
    const double incheon = csv_sum("population_base.csv", "28", -1, 0, 3);
    const double gyeonggi = csv_sum("population_base.csv", "41", -1, 0, 3);
    const double all = csv_sum("population_base.csv", NULL, -1, 0, 3);
    cr_assert_eq(all, 51164582.0);
    const double share = (9325616.0 + incheon + gyeonggi) / 51164582.0 * 100.0;
    bal_report rep;
    cr_assert_eq(bal_report_build(r.ctx, &r.proj, &r.pack.regions, BAL_LEVEL_SIDO, &rep), BAL_OK);
    const double got = rep.capital_share[0];
    bal_report_release(r.ctx, &rep);
    cr_assert(fabs(got - share) < 1e-9, "capital share %.12f, hand %.12f", got, share);
    cr_assert(fabs(got - 50.97) <= 0.005, "capital share %.4f vs published 50.97", got);
    /* exactly three sido are flagged */
    int ncap = 0;
    for (int64_t g = 0; g < r.pack.nsido; g++)
        ncap += r.pack.regions.r[g].capital_region;
    cr_assert_eq(ncap, 3);
    run_release(&r);
}

Test(accounts, calibration_facts)
{
    run r;
    run_base(&r);
    /* fertility level of 2025, the published national TFR 0.799; the age
       pattern pooled over 2023-2025 */
    cr_assert_eq(r.rep.fert_year, 2025);
    cr_assert_eq(r.rep.fert_year0, 2023);
    cr_assert_eq(r.rep.tfr_national, 0.799);
    cr_assert_eq(r.params.tfr_reference, r.rep.tfr_national);
    /* each province's TFR is its published 2025 TFR (fertility_asfr.csv):
       Seoul 0.632 the lowest of the 17, Jeonnam 1.094 the highest */
    for (int64_t g = 0; g < r.pack.nsido; g++)
        cr_assert(fabs(r.rep.tfr[g] - bal_yearly_at(&r.pack.asfr, 2025)[g * 8]) <= 1e-12,
                  "sido %lld TFR %.15g", (long long)g, r.rep.tfr[g]);
    int64_t lo = 0, hi = 0;
    for (int64_t g = 1; g < r.pack.nsido; g++) {
        if (r.rep.tfr[g] < r.rep.tfr[lo])
            lo = g;
        if (r.rep.tfr[g] > r.rep.tfr[hi])
            hi = g;
    }
    cr_assert_str_eq(r.pack.regions.r[lo].code, "11");
    cr_assert_str_eq(r.pack.regions.r[hi].code, "46");
    cr_assert(fabs(r.rep.tfr[lo] - 0.632) <= 1e-12 && fabs(r.rep.tfr[hi] - 1.094) <= 1e-12);
    /* destination shares: rows sum to 1, diagonal 0 */
    const int64_t n = r.params.nreg;
    for (int64_t o = 0; o < n; o++) {
        double s = 0.0;
        for (int64_t d = 0; d < n; d++) {
            double v = r.params.dest[o * n + d];
            cr_assert(v >= 0.0 && v <= 1.0);
            s += v;
        }
        cr_assert_eq(r.params.dest[o * n + o], 0.0);
        cr_assert(fabs(s - 1.0) <= 1e-12, "row %lld sums to %.17g", (long long)o, s);
    }
    /* male share at birth in the usual human range */
    for (int64_t g = 0; g < n; g++)
        cr_assert(r.params.male_share[g] > 0.50 && r.params.male_share[g] < 0.53);
    /* life expectancy at birth 2025-26 (KOSTAT 2023 life table: 86.4 and 80.6) */
    cr_assert(r.rep.e0[BAL_FEMALE] > 84.0 && r.rep.e0[BAL_FEMALE] < 90.0, "e0 F %.2f",
              r.rep.e0[BAL_FEMALE]);
    cr_assert(r.rep.e0[BAL_MALE] > 78.0 && r.rep.e0[BAL_MALE] < 84.0, "e0 M %.2f",
              r.rep.e0[BAL_MALE]);
    cr_assert(r.rep.e0[BAL_FEMALE] > r.rep.e0[BAL_MALE]);
    /* OD flows end in 2024 (SOURCES.md): the default window pools the four
       years 2021-2024, each with its age tables for the age fit */
    cr_assert_eq(r.rep.mig_year1, 2024);
    cr_assert_eq(r.rep.mig_year0, 2021);
    cr_assert_eq(r.rep.mig_nyears, 4);
    cr_assert_eq(r.rep.mig_age_pairs, 4);
    run_release(&r);
}

/* Backtest-style start: end-2015 population from the 5-year bands. */
Test(accounts, backtest_start_from_bands)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pack;
    cr_assert_eq(bal_datapack_load(ctx, data_dir(), &pack), BAL_OK, "%s", bal_ctx_message(ctx));
    double *pop = calloc((size_t)(pack.nsido * BAL_CELLS), sizeof(double));
    cr_assert_not_null(pop);
    cr_assert_eq(bal_calib_pop_from_bands(ctx, &pack, 2015, pop), BAL_OK);
    /* observed 2015 year-end total, summed from population_totals.csv here */
    const double observed = csv_sum("population_totals.csv", NULL, 1, 2015, 2);
    double total = 0.0;
    for (int64_t i = 0; i < pack.nsido * BAL_CELLS; i++) {
        cr_assert(pop[i] >= 0.0);
        total += pop[i];
    }
    cr_assert(fabs(total - observed) <= 1e-6, "bands give %.3f, totals %.0f", total, observed);
    /* per region too: Seoul 2015 */
    const double seoul = csv_sum("population_totals.csv", "11", 1, 2015, 2);
    cr_assert(fabs(bal_regions_pop_total(pop, 0) - seoul) <= 1e-6);
    /* a band is spread evenly: ages 20..24 hold the same count */
    cr_assert_eq(pop[bal_pidx(0, BAL_FEMALE, 20)], pop[bal_pidx(0, BAL_FEMALE, 24)]);
    /* a year with no bands is refused */
    cr_assert_eq(bal_calib_pop_from_bands(ctx, &pack, 2009, pop), BAL_EDATA);

    /* out-of-sample: calibration from 2015 uses no data after 2015 */
    bal_calib_opts o;
    bal_calib_opts_default(&o, &pack);
    o.base_year = 2015;
    o.base_time = 2016.0;
    bal_demog_params p;
    bal_calib_report rep;
    cr_assert_eq(bal_calib_run(ctx, &pack, &o, pop, &p, &rep), BAL_OK, "%s",
                 bal_ctx_message(ctx));
    cr_assert(rep.fert_year <= 2015 && rep.fert_year >= 2012);
    cr_assert(rep.mig_year1 <= 2015);
    cr_assert_eq(rep.qx_year, 2010);
    cr_assert(rep.wpp_period1 + 5 <= 2016);
    bal_projection pr;
    cr_assert_eq(bal_projection_run(ctx, &p, pop, 2023, &pr), BAL_OK);
    cr_assert_eq(pr.nyears, 9);
    for (int k = 0; k + 1 < pr.nyears; k++)
        for (int64_t g = 0; g < pr.nreg; g++) {
            size_t i = (size_t)k * (size_t)pr.nreg + (size_t)g;
            double want = bal_projection_total(&pr, k, g) + pr.births[i] - pr.deaths[i] +
                          pr.in[i] - pr.out[i] + pr.intl[i];
            cr_assert(rel_ok(bal_projection_total(&pr, k + 1, g), want, 1e-9));
        }
    /* within 3% of the observed 2023 national total (51,325,329) */
    const double obs2023 = csv_sum("population_totals.csv", NULL, 1, 2023, 2);
    cr_assert_eq(obs2023, 51325329.0);
    cr_assert(fabs(bal_projection_total(&pr, 8, -1) / obs2023 - 1.0) < 0.03);
    bal_projection_release(ctx, &pr);
    bal_calib_report_release(ctx, &rep);
    bal_demog_params_release(ctx, &p);
    free(pop);
    bal_datapack_release(ctx, &pack);
    bal_ctx_free(ctx);
}

/* A final year before the start is a usage error; the start year alone is
   a one-year projection with no steps. */
Test(accounts, project_year_range)
{
    run r;
    run_base(&r);
    bal_projection pr;
    cr_assert_eq(bal_projection_run(r.ctx, &r.params, r.pack.base_pop, 2024, &pr), BAL_EUSAGE);
    cr_assert(strstr(bal_ctx_message(r.ctx), "before the start year") != NULL);
    cr_assert_eq(bal_projection_run(r.ctx, &r.params, r.pack.base_pop, 2025, &pr), BAL_OK);
    cr_assert_eq(pr.nyears, 1);
    cr_assert_eq(bal_projection_total(&pr, 0, -1), 51164582.0);
    double v[BAL_NIND];
    bal_report_values(&pr, 0, NULL, 0, 0, v);
    cr_assert(isnan(v[BAL_IND_BIRTHS]) && isnan(v[BAL_IND_NET_INTERNATIONAL]));
    cr_assert_eq(v[BAL_IND_POPULATION], 51164582.0);
    bal_projection_release(r.ctx, &pr);
    run_release(&r);
}

/*
 * TFR target through calibration: both runs start from the same population,
 * so the births of the first step differ exactly by the fertility factor
 * 1 + (target / reference - 1) (0 + 1/2) / (2040 - 2025), with the reference
 * the calibrated national TFR; every other account of the first step is
 * unchanged.
 */
Test(accounts, tfr_target_first_step)
{
    run r;
    run_base_variant(&r, BAL_VARIANT_CONSTANT);
    bal_calib_opts o;
    bal_calib_opts_default(&o, &r.pack);
    o.variant = BAL_VARIANT_CONSTANT;
    o.tfr_target = 1.08;
    o.tfr_target_year = 2040;
    bal_demog_params p;
    cr_assert_eq(bal_calib_run(r.ctx, &r.pack, &o, r.pack.base_pop, &p, NULL), BAL_OK);
    cr_assert_eq(p.tfr_reference, r.rep.tfr_national);
    bal_projection pr;
    cr_assert_eq(bal_projection_run(r.ctx, &p, r.pack.base_pop, 2045, &pr), BAL_OK);
    const double factor = 1.0 + (1.08 / r.rep.tfr_national - 1.0) * 0.5 / 15.0;
    for (int64_t g = 0; g < pr.nreg; g++) {
        cr_assert(rel_ok(pr.births[g], r.proj.births[g] * factor, 1e-12), "region %lld",
                  (long long)g);
        cr_assert_eq(pr.out[g], r.proj.out[g]);
        cr_assert_eq(pr.in[g], r.proj.in[g]);
        cr_assert_eq(pr.intl[g], r.proj.intl[g]);
    }
    /* more births every year than at constant rates */
    for (int k = 0; k + 1 < pr.nyears; k++) {
        double a = 0.0, b = 0.0;
        for (int64_t g = 0; g < pr.nreg; g++) {
            a += pr.births[(size_t)k * (size_t)pr.nreg + (size_t)g];
            b += r.proj.births[(size_t)k * (size_t)pr.nreg + (size_t)g];
        }
        cr_assert(a > b, "step %d: %.1f <= %.1f", k, a, b);
    }
    bal_projection_release(r.ctx, &pr);
    bal_demog_params_release(r.ctx, &p);
    run_release(&r);
}
