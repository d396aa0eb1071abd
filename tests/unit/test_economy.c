/*
 * test_economy.c — the regional economy, public finance and services
 * (docs/model.md §13): the base year against the data, money conserved, the
 * status quo identical to the demography-only projection, a productivity
 * shock through jobs to migration checked against the elasticities, the
 * services thresholds, and the disparity indices.
 *
 * Independent figures used here (read from the source files, not through
 * the library where it matters):
 *   2,165,717,327 million KRW  national GRDP 2022 (grdp_industry.csv, item
 *       grdp_market_prices of region 00; the KOSTAT headline is 2,166
 *       trillion won).
 *   112.4609 / 344.1   local and national taxes 2023 (tax_items.csv).
 *   115.1, 30.6, 61.7, 89.2   the 2025 local budget: local taxes, non-tax
 *       revenue, local allocation tax, national subsidies (local_finance.csv);
 *       own revenue / (own + transfers) = 145.7 / 296.6 = 49.12 %.
 */
#include "balance/datapack.h"
#include "balance/economy.h"
#include "balance/engine.h"
#include "balance/migration.h"

#include "testutil.h"
#include "testyear.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>



static int close_to(double a, double b, double tol)
{
    return fabs(a - b) <= tol * (1.0 + fabs(b));
}

typedef struct fixture {
    bal_ctx *ctx;
    bal_datapack pk;
    bal_demog_params p;
    bal_calib_report rep;
    bal_econ_opts eo;
} fixture;

static void setup(fixture *f)
{
    f->ctx = bal_ctx_alloc();
    cr_assert_not_null(f->ctx);
    cr_assert_eq(bal_datapack_load(f->ctx, tu_data_dir(), &f->pk), BAL_OK, "%s",
                 bal_ctx_message(f->ctx));
    bal_calib_opts o;
    bal_calib_opts_default(&o, &f->pk);
    cr_assert_eq(bal_calib_run(f->ctx, &f->pk, &o, f->pk.base_pop, &f->p, &f->rep), BAL_OK);
    bal_couple_opts_default(&f->eo);
}

static void teardown(fixture *f)
{
    bal_calib_report_release(f->ctx, &f->rep);
    bal_demog_params_release(f->ctx, &f->p);
    bal_datapack_release(f->ctx, &f->pk);
    bal_ctx_free(f->ctx);
}

/* The base year reproduces the regional accounts: every sido's GRDP and the
   nation's, and every sido's employment rate of the survey. */
Test(economy, base_year_reproduces_data)
{
    fixture f;
    setup(&f);
    bal_couple c;
    cr_assert_eq(bal_couple_init(f.ctx, &c, &f.pk, &f.eo, &f.p, f.pk.base_pop, 2025, 2026,
                                 BAL_LEVEL_SIDO),
                 BAL_OK, "%s", bal_ctx_message(f.ctx));
    cr_assert_eq(couple_year(f.ctx, &c, 2025, f.pk.base_pop, &f.p), BAL_OK);
    const int64_t ns = f.pk.nsido;
    double gdp = 0.0;
    for (int64_t r = 0; r < ns; r++) {
        const double want = f.pk.grdp_item[r * BAL_NGITEM + BAL_GI_GRDP];
        cr_assert(close_to(c.grdp[r], want, 1e-12), "sido %lld: %.1f vs %.1f", (long long)r,
                  c.grdp[r], want);
        gdp += c.grdp[r];
        const double rate = bal_yearly_at(&f.pk.emp_rate, 2023)[r];
        cr_assert(close_to(c.emp_rate[r], rate, 1e-12), "sido %lld employment rate %.3f vs %.1f",
                  (long long)r, c.emp_rate[r], rate);
    }
    cr_assert(close_to(gdp, 2165717327.0, 1e-12), "GDP %.0f", gdp);
    /* finance: the 2023 split of taxes and the 2025 budget structure */
    double tax = 0.0;
    for (int64_t r = 0; r < ns * BAL_NTAX; r++)
        tax += c.fs.tax[r];
    cr_assert(close_to(c.fs.local_tax_total / c.fs.national_tax, 112.4609 / 344.1, 1e-12));
    cr_assert(close_to(tax / gdp, (112.4609 + 344.1) / 2404.0, 1e-12), "tax/GDP %.5f", tax / gdp);
    double own = 0.0, budget = 0.0;
    for (int64_t r = 0; r < ns; r++) {
        own += c.own[r];
        budget += c.budget[r];
    }
    cr_assert(close_to(100.0 * own / budget, 100.0 * 145.7 / 296.6, 1e-9), "FSR %.3f",
              100.0 * own / budget);
    cr_assert(fabs(100.0 * own / budget - 48.6) < 1.0, "published 48.6 %% within 1 point");
    /* the stated 2024 sido ratios (initial budget, general account, the sido
       office): Seoul 77.3 and Gyeonggi 50.6 within 5 points (docs/model.md
       §13.5); Sejong (63.8), a single-tier government, is not reproduced */
    int checked = 0;
    for (int i = 0; i < f.pk.nfsr; i++) {
        const bal_fsr *x = &f.pk.fsr[i];
        if (x->year != 2024)
            continue;
        const char *code = f.pk.regions.r[x->sido].code;
        if (strcmp(code, "11") == 0 || strcmp(code, "41") == 0) {
            cr_assert(fabs(c.fsr[x->sido] - x->pct) < 5.0, "%s: model %.1f stated %.1f", code,
                      c.fsr[x->sido], x->pct);
            checked++;
        }
    }
    cr_assert_eq(checked, 2);
    bal_couple_release(f.ctx, &c);
    teardown(&f);
}

/* Money is conserved in every year of a projection: taxes raised = national +
   local revenue; transfers paid = transfers received. */
Test(economy, money_conserved)
{
    fixture f;
    setup(&f);
    bal_couple c;
    bal_projection pr;
    cr_assert_eq(bal_couple_init(f.ctx, &c, &f.pk, &f.eo, &f.p, f.pk.base_pop, 2025, 2040,
                                 BAL_LEVEL_SIDO),
                 BAL_OK);
    cr_assert_eq(bal_couple_project(f.ctx, &c, &f.p, f.pk.base_pop, 2040, &pr), BAL_OK);
    cr_assert_eq(c.done, 16);
    const int64_t ns = f.pk.nsido;
    /* the last year's state */
    double tax = 0.0, lat = 0.0, sub = 0.0, loc = 0.0;
    for (int64_t r = 0; r < ns; r++) {
        for (int k = 0; k < BAL_NTAX; k++)
            tax += c.fs.tax[r * BAL_NTAX + k];
        lat += c.fs.lat[r];
        sub += c.fs.subsidy[r];
        loc += c.fs.local_tax[r];
        cr_assert(c.fs.lat[r] >= 0.0 && c.fs.subsidy[r] >= 0.0);
        cr_assert(close_to(c.fs.budget[r],
                           c.fs.local_tax[r] + c.fs.nontax[r] + c.fs.lat[r] + c.fs.subsidy[r],
                           1e-14));
    }
    cr_assert(close_to(tax, c.fs.national_tax + c.fs.local_tax_total, 1e-13));
    cr_assert(close_to(loc, c.fs.local_tax_total, 1e-13));
    cr_assert(close_to(lat, c.fs.lat_pool, 1e-13), "LAT paid %.3f received %.3f", c.fs.lat_pool,
              lat);
    cr_assert(close_to(sub, c.fs.subsidy_pool, 1e-13));
    /* the need of the last year is recomputed from its drivers (population,
       area, GDP per person), and every shortfall gets the same share of it */
    double need[BAL_MAX_SIDO], gdp = 0.0, ptot = 0.0;
    for (int64_t r = 0; r < ns; r++) {
        gdp += c.es.grdp[r];
        ptot += c.scratch[r];
    }
    bal_fin_need(&c.fp, c.scratch, gdp / ptot, need);
    cr_assert(c.fp.area != NULL && c.fp.gdp_pc0 > 0.0);
    for (int64_t r = 0; r < ns; r++) {
        cr_assert_eq(c.fs.need[r], need[r]);
        const double g = fmax(0.0, need[r] - 0.8 * c.fs.local_tax[r]);
        cr_assert(close_to(c.fs.lat[r], c.fs.adjust * g, 1e-13), "sido %lld", (long long)r);
    }
    /* Busan (index 1) still has a shortfall in 2040 (the frozen need gave it
       none from 2031) */
    cr_assert_str_eq(f.pk.regions.r[1].code, "26");
    cr_assert_gt(c.fs.lat[1], 0.0);
    bal_projection_release(f.ctx, &pr);
    bal_couple_release(f.ctx, &c);
    teardown(&f);
}

/* The status quo: the coupled run's population is the demography-only
   projection bit for bit (migration is not touched without a reference). */
Test(economy, status_quo_population_unchanged)
{
    fixture f;
    setup(&f);
    bal_couple c;
    bal_projection a, b;
    cr_assert_eq(bal_projection_run(f.ctx, &f.p, f.pk.base_pop, 2052, &a), BAL_OK);
    cr_assert_eq(bal_couple_init(f.ctx, &c, &f.pk, &f.eo, &f.p, f.pk.base_pop, 2025, 2052,
                                 BAL_LEVEL_SIDO),
                 BAL_OK);
    cr_assert_eq(bal_couple_project(f.ctx, &c, &f.p, f.pk.base_pop, 2052, &b), BAL_OK);
    const size_t n = (size_t)a.nyears * (size_t)(a.nreg * BAL_CELLS);
    cr_assert_eq(memcmp(a.pop, b.pop, n * sizeof(double)), 0);
    bal_projection_release(f.ctx, &a);
    bal_projection_release(f.ctx, &b);
    bal_couple_release(f.ctx, &c);
    teardown(&f);
}

typedef struct shock {
    int64_t region;
    double mult;
} shock;

static int raise_productivity(bal_ctx *ctx, void *ud, int year, bal_couple *c)
{
    (void)ctx;
    (void)year;
    const shock *s = ud;
    for (int k = 0; k < BAL_NSEC; k++)
        c->lev.prod_mult[s->region * BAL_NSEC + k] = s->mult;
    return BAL_OK;
}

/* A productivity shock in one province (Jeonnam ×1.10 in every sector):
   more jobs there (E ∝ M^η exactly in the first year), more output, and,
   with the status quo as reference, the destination odds of the province
   move by exp(s_o (β_grdp Δx_grdp + β_emp Δx_emp)) relative to any other
   (the logit's analytic response); over ten years it gains net in-migrants
   against the status quo. */
Test(economy, productivity_shock_draws_migrants)
{
    fixture f;
    setup(&f);
    const int64_t ns = f.pk.nsido, jn = bal_regions_find(&f.pk.regions, "46"),
                  seoul = bal_regions_find(&f.pk.regions, "11");
    bal_couple sq, sc;
    bal_projection psq, psc;
    cr_assert_eq(bal_couple_init(f.ctx, &sq, &f.pk, &f.eo, &f.p, f.pk.base_pop, 2025, 2035,
                                 BAL_LEVEL_SIDO),
                 BAL_OK);
    cr_assert_eq(bal_couple_project(f.ctx, &sq, &f.p, f.pk.base_pop, 2035, &psq), BAL_OK);

    bal_demog_params p2;
    bal_calib_report rep2;
    bal_calib_opts o;
    bal_calib_opts_default(&o, &f.pk);
    cr_assert_eq(bal_calib_run(f.ctx, &f.pk, &o, f.pk.base_pop, &p2, &rep2), BAL_OK);
    bal_mig_run run;
    cr_assert_eq(bal_mig_run_init(f.ctx, &run, &f.pk, &p2, rep2.mig_year1,
                                  rep2.mig_year1 - rep2.mig_year0 + 1),
                 BAL_OK);
    shock s = {jn, 1.10};
    cr_assert_eq(bal_couple_init(f.ctx, &sc, &f.pk, &f.eo, &p2, f.pk.base_pop, 2025, 2035,
                                 BAL_LEVEL_SIDO),
                 BAL_OK);
    sc.levers = raise_productivity;
    sc.levers_ud = &s;
    sc.ref = &sq.rec;
    sc.mig = &run;

    /* the first year by hand: stages 2-5, then the migration rates of the
       step from 2025 (stage 6) into the run's own rates */
    cr_assert_eq(couple_year(f.ctx, &sc, 2025, f.pk.base_pop, &p2), BAL_OK);
    bal_demog_rates rates;
    cr_assert_eq(bal_demog_rates_init(f.ctx, &rates, &p2), BAL_OK);
    cr_assert_eq(bal_couple_migration(f.ctx, &sc, 2025, &p2, &rates), BAL_OK);
    const double eta = f.eo.eta;
    cr_assert(close_to(sc.emp[jn], sq.emp[jn] * pow(1.10, eta), 1e-12), "jobs %.0f vs %.0f",
              sc.emp[jn], sq.emp[jn]);
    cr_assert(sc.grdp[jn] > 1.10 * sq.grdp[jn], "output rises by more than the multiplier");
    for (int64_t r = 0; r < ns; r++)
        if (r != jn)
            cr_assert(close_to(sc.emp[r], sq.emp[r], 1e-12), "no jobs change elsewhere");
    double so, sy;
    bal_mig_age_scales(&run.model, &so, &sy);
    const double *xs = bal_mig_attract_at(&sc.rec, 2025), *xr = bal_mig_attract_at(&sq.rec, 2025);
    const double dj = f.pk.mig_beta[BAL_ATTR_GRDP_PC] *
                          (xs[jn * BAL_NATTR + BAL_ATTR_GRDP_PC] -
                           xr[jn * BAL_NATTR + BAL_ATTR_GRDP_PC]) +
                      f.pk.mig_beta[BAL_ATTR_EMPLOYMENT] *
                          (xs[jn * BAL_NATTR + BAL_ATTR_EMPLOYMENT] -
                           xr[jn * BAL_NATTR + BAL_ATTR_EMPLOYMENT]);
    const double dl = f.pk.mig_beta[BAL_ATTR_GRDP_PC] *
                          (xs[seoul * BAL_NATTR + BAL_ATTR_GRDP_PC] -
                           xr[seoul * BAL_NATTR + BAL_ATTR_GRDP_PC]) +
                      f.pk.mig_beta[BAL_ATTR_EMPLOYMENT] *
                          (xs[seoul * BAL_NATTR + BAL_ATTR_EMPLOYMENT] -
                           xr[seoul * BAL_NATTR + BAL_ATTR_EMPLOYMENT]);
    cr_assert(dj > 0.0 && dl < 0.0, "Jeonnam gains, Seoul loses relative attractiveness");
    const int64_t busan = bal_regions_find(&f.pk.regions, "26");
    const double odds = (rates.dest[busan * ns + jn] / rates.dest[busan * ns + seoul]) /
                        (run.model.share0[busan * ns + jn] / run.model.share0[busan * ns + seoul]);
    cr_assert(close_to(log(odds), so * (dj - dl), 1e-10), "log odds %.8f vs %.8f", log(odds),
              so * (dj - dl));
    /* the calibrated parameters are not what moved */
    cr_assert(memcmp(p2.dest, f.p.dest, (size_t)(ns * ns) * sizeof(double)) == 0);
    bal_demog_rates_release(f.ctx, &rates);

    /* the whole run */
    bal_econ_levers_reset(&sc.lev, &sc.ep);
    bal_couple_release(f.ctx, &sc);
    cr_assert_eq(bal_couple_init(f.ctx, &sc, &f.pk, &f.eo, &p2, f.pk.base_pop, 2025, 2035,
                                 BAL_LEVEL_SIDO),
                 BAL_OK);
    sc.levers = raise_productivity;
    sc.levers_ud = &s;
    sc.ref = &sq.rec;
    sc.mig = &run;
    cr_assert_eq(bal_couple_project(f.ctx, &sc, &p2, f.pk.base_pop, 2035, &psc), BAL_OK);
    double net_sq = 0.0, net_sc = 0.0;
    for (int k = 0; k < psq.nyears - 1; k++) {
        const size_t i = (size_t)k * (size_t)ns + (size_t)jn;
        net_sq += psq.in[i] - psq.out[i];
        net_sc += psc.in[i] - psc.out[i];
    }
    cr_assert(net_sc > net_sq + 1000.0, "net internal migration 2025-2035: %.0f vs %.0f", net_sc,
              net_sq);
    const int last = psq.nyears - 1;
    cr_assert(sc.emp[(size_t)last * (size_t)ns + (size_t)jn] >
              sq.emp[(size_t)last * (size_t)ns + (size_t)jn]);
    cr_assert(bal_projection_total(&psc, last, jn) > bal_projection_total(&psq, last, jn));
    /* a whole run leaves the calibrated parameters as they were */
    cr_assert(memcmp(p2.dest, f.p.dest, (size_t)(ns * ns) * sizeof(double)) == 0);
    cr_assert(memcmp(p2.outrate, f.p.outrate, (size_t)(ns * BAL_CELLS) * sizeof(double)) == 0);
    bal_projection_release(f.ctx, &psq);
    bal_projection_release(f.ctx, &psc);
    bal_couple_release(f.ctx, &sq);
    bal_couple_release(f.ctx, &sc);
    bal_mig_run_release(f.ctx, &run);
    bal_calib_report_release(f.ctx, &rep2);
    bal_demog_params_release(f.ctx, &p2);
    teardown(&f);
}

/* Transit: the density threshold; physicians at the catchment. */
Test(economy, services_thresholds)
{
    bal_svc_params sp = {{240.0, 300.0, 300.0}, {60.0, 180.0, 180.0}, 85.0, 1000.0 / 2.66, 0.3,
                         0.8};
    double pop[BAL_CELLS] = {0};
    /* 6 ages of elementary pupils, 21 per age and sex: 252 pupils */
    for (int s = 0; s < BAL_NSEX; s++)
        for (int a = 6; a <= 11; a++)
            pop[s * BAL_NAGE + a] = 21.0;
    pop[40] = 10000.0;
    bal_svc_out o;
    bal_svc_unit(&sp, pop, 100.0, &o);
    cr_assert_eq(o.transit, 1.0, "10,252 persons on 100 km2 is above 85 per km2");
    cr_assert(close_to(o.physicians, 10252.0 * 2.66 / 1000.0, 1e-12));
    bal_svc_unit(&sp, pop, 200.0, &o);
    cr_assert_eq(o.transit, 0.0, "51 per km2");
    double pu[BAL_NSCHOOL];
    bal_school_pupils(pop, pu);
    cr_assert_eq(pu[BAL_SCHOOL_ELEMENTARY], 252.0);
    cr_assert_eq(pu[BAL_SCHOOL_MIDDLE], 0.0);
    /* thresholds: kappa x the MOE criteria */
    cr_assert(close_to(bal_school_threshold(&sp, BAL_SCHOOL_ELEMENTARY, 1), 18.0, 1e-15));
    cr_assert(close_to(bal_school_threshold(&sp, BAL_SCHOOL_HIGH, 0), 90.0, 1e-15));
}

/* The closure rule by hand: sigma 1, mean size 100, threshold 100 e^-1.5,
   so z(g) = ln t - ln(100 g) + 1/2 = -1 - ln g: z(1) = -1, z(e^-1) = 0,
   z(e^-2) = 1. Of 10 schools, Φ(-1) = 0.158655253931457 are below the
   threshold at the base (they stay: only crossings close), 10 (0.5 -
   Φ(-1)) = 3.41344746068543 close as pupils fall to e^-1 of the base and
   as many again as they fall to e^-2; none when pupils rise or stay. */
Test(economy, school_closure_rule)
{
    const double t = 100.0 * exp(-1.5), phi1 = 0.841344746068543;
    cr_assert(close_to(bal_school_below(t, 100.0, 1.0), 1.0 - phi1, 1e-12));
    cr_assert(close_to(bal_school_below(t, 100.0 * exp(-1.0), 1.0), 0.5, 1e-12));
    const double c1 = bal_school_crossed(10.0, 100.0, t, 1.0, 1.0, exp(-1.0));
    const double c2 = bal_school_crossed(10.0, 100.0, t, 1.0, exp(-1.0), exp(-2.0));
    const double c12 = bal_school_crossed(10.0, 100.0, t, 1.0, 1.0, exp(-2.0));
    cr_assert(close_to(c1, 10.0 * (0.5 - (1.0 - phi1)), 1e-12), "%.15g", c1);
    cr_assert(close_to(c2, 10.0 * (phi1 - 0.5), 1e-12), "%.15g", c2);
    cr_assert(close_to(c12, c1 + c2, 1e-12));
    cr_assert(fabs(c1 - 3.41344746068543) < 1e-12, "%.15g", c1);
    cr_assert_eq(bal_school_crossed(10.0, 100.0, t, 1.0, 1.0, 1.0), 0.0);
    cr_assert_eq(bal_school_crossed(10.0, 100.0, t, 1.0, 0.9, 1.2), 0.0, "pupils rise");
    /* never more than the stock: all schools close when the pupils vanish */
    cr_assert(close_to(bal_school_crossed(10.0, 100.0, t, 1.0, 1.0, 0.0), 10.0 * phi1, 1e-12));
}

/* The report: economy indicators present, nation = sums, the disparity
   indices recomputed from the rows. */
Test(economy, report_and_disparity)
{
    fixture f;
    setup(&f);
    bal_couple c;
    bal_projection pr;
    bal_report rep;
    cr_assert_eq(bal_couple_init(f.ctx, &c, &f.pk, &f.eo, &f.p, f.pk.base_pop, 2025, 2030,
                                 BAL_LEVEL_SIDO),
                 BAL_OK);
    cr_assert_eq(bal_couple_project(f.ctx, &c, &f.p, f.pk.base_pop, 2030, &pr), BAL_OK);
    cr_assert_eq(bal_report_build(f.ctx, &pr, &f.pk.regions, BAL_LEVEL_SIDO, &rep), BAL_OK);
    cr_assert_eq(bal_report_economy(f.ctx, &c, &rep), BAL_OK);
    const int64_t ns = f.pk.nsido;
    for (int k = 0; k < rep.nyears; k++) {
        double y = 0.0, e = 0.0, sch = 0.0, mean = 0.0;
        for (int64_t r = 0; r < ns; r++) {
            const double *v = bal_report_row(&rep, r, k);
            y += v[BAL_IND_GRDP];
            e += v[BAL_IND_EMPLOYMENT];
            sch += v[BAL_IND_SCHOOLS];
            mean += v[BAL_IND_GRDP_PC] / (double)ns;
            cr_assert(v[BAL_IND_FISCAL_SELF_RELIANCE] > 0.0 &&
                      v[BAL_IND_FISCAL_SELF_RELIANCE] < 100.0);
        }
        const double *nat = bal_report_row(&rep, -1, k);
        cr_assert(close_to(nat[BAL_IND_GRDP], y, 1e-13));
        cr_assert(close_to(nat[BAL_IND_EMPLOYMENT], e, 1e-13));
        cr_assert(close_to(nat[BAL_IND_SCHOOLS], sch, 1e-13));
        double var = 0.0, th = 0.0;
        for (int64_t r = 0; r < ns; r++) {
            const double *v = bal_report_row(&rep, r, k);
            var += (v[BAL_IND_GRDP_PC] - mean) * (v[BAL_IND_GRDP_PC] - mean) / (double)ns;
            const double ys = v[BAL_IND_GRDP] / y, ps = v[BAL_IND_POPULATION] / nat[BAL_IND_POPULATION];
            th += ys * log(ys / ps);
        }
        cr_assert(close_to(rep.gdp_cv[k], sqrt(var) / mean, 1e-12));
        cr_assert(close_to(rep.gdp_theil[k], th, 1e-12) && th > 0.0);
    }
    /* base year: Ulsan has the highest GRDP per capita of the 2022 accounts */
    const int64_t ulsan = bal_regions_find(&f.pk.regions, "31");
    for (int64_t r = 0; r < ns; r++)
        cr_assert(bal_report_row(&rep, r, 0)[BAL_IND_GRDP_PC] <=
                  bal_report_row(&rep, ulsan, 0)[BAL_IND_GRDP_PC]);
    bal_report_release(f.ctx, &rep);
    bal_projection_release(f.ctx, &pr);
    bal_couple_release(f.ctx, &c);
    teardown(&f);
}

/* ---- the CLI end to end: the indicators under their names in JSON, CSV and
   SQLite, and --no-economy ---- */

#include "testcli.h"

#include <jansson.h>
#include <sqlite3.h>

Test(economy, cli_outputs, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024];
    snprintf(args, sizeof args, "project --format json --data '%s' --out '%s/out'",
             tu_data_dir(), TMP);
    int rc = run("json", args);
    cr_assert_eq(rc, 0);
    char *text = output("json", "out");
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    free(text);
    cr_assert_not_null(root);
    json_t *nat = json_object_get(root, "national");
    static const char *const nat_keys[] = {"gdp", "grdp_per_capita_cv", "grdp_per_capita_theil",
                                           "grdp", "employment", "fiscal_self_reliance",
                                           "schools"};
    for (size_t i = 0; i < sizeof nat_keys / sizeof nat_keys[0]; i++) {
        json_t *a = json_object_get(nat, nat_keys[i]);
        cr_assert(json_is_array(a) && json_array_size(a) == 28, "national %s", nat_keys[i]);
        cr_assert(json_is_number(json_array_get(a, 27)), "national %s[27]", nat_keys[i]);
    }
    /* national gdp: trillion KRW, the nation's grdp (billion) / 1000, written
       with the indicator table's 4 decimals */
    cr_assert(close_to(json_number_value(json_array_get(json_object_get(nat, "gdp"), 0)),
                       2165.7173, 1e-12));
    cr_assert(fabs(json_number_value(json_array_get(json_object_get(nat, "gdp"), 0)) -
                   json_number_value(json_array_get(json_object_get(nat, "grdp"), 0)) / 1000.0) <=
              0.5e-4 + 0.5e-6);
    json_t *seoul = json_array_get(json_object_get(root, "regions"), 0);
    static const char *const reg_keys[] = {"grdp", "grdp_per_capita", "employment",
                                           "fiscal_self_reliance", "schools"};
    for (size_t i = 0; i < sizeof reg_keys / sizeof reg_keys[0]; i++)
        cr_assert(json_is_number(json_array_get(json_object_get(seoul, reg_keys[i]), 0)),
                  "Seoul %s", reg_keys[i]);
    json_decref(root);

    char db_path[512];
    snprintf(db_path, sizeof db_path, "%s/out/balance.db", TMP);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert(close_to(q_double(db, "SELECT value FROM results WHERE region='00' AND "
                                    "indicator='gdp' AND year=2025"),
                       2165.7173, 1e-12));
    cr_assert(close_to(q_double(db, "SELECT value FROM results WHERE region='00' AND "
                                    "indicator='grdp' AND year=2025"),
                       2165717.327, 1e-12));
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE indicator="
                           "'grdp_per_capita_theil'"),
                 28);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE indicator='schools' AND "
                           "region='11'"),
                 28);
    sqlite3_close(db);

    snprintf(args, sizeof args, "project --format csv --no-economy --no-store --data '%s'",
             tu_data_dir());
    cr_assert_eq(run("csv", args), 0);
    char *csv = output("csv", "out");
    cr_assert(strstr(csv, ",grdp,grdp_per_capita,employment,") != NULL, "CSV header");
    /* without the economy the columns exist and are empty: field of "grdp"
       in the header, the same field of the first data row (Seoul 2025) */
    int col = 0, field = 0;
    const char *h = csv;
    for (const char *q = csv; *q != '\n'; q++)
        if (*q == ',') {
            col++;
            if (strncmp(q + 1, "grdp,", 5) == 0)
                break;
        }
    const char *row = strchr(csv, '\n') + 1;
    for (h = row; field < col; h++)
        if (*h == ',')
            field++;
    cr_assert(strncmp(row, "2025,11,Seoul,", 14) == 0);
    cr_assert(col > 10 && h[0] == ',', "grdp (field %d) empty: %.40s", col, h);
    free(csv);
}

/* The basic financial need by hand (docs/model.md §13.2): u(t) w(r,t) P(r,t),
   u = need_pc × GDP per person / its base value, w = (density / national
   density)^-ε from the year's population and the areas. */
Test(finance, need_by_hand)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_fin_params p;
    cr_assert_eq(bal_fin_params_init(ctx, &p, 2), BAL_OK);
    double *area = bal_fin_params_area(&p);
    area[0] = 1.0;
    area[1] = 4.0;
    p.area = area;
    p.need_pc = 2.0;
    p.need_elast = 0.5;
    p.gdp_pc0 = 10.0;
    double pop[2] = {100.0, 100.0}, need[2];
    /* u = 2 × 12 / 10 = 2.4; national density 200 / 5 = 40; densities 100, 25 */
    bal_fin_need(&p, pop, 12.0, need);
    cr_assert(fabs(need[0] - 2.4 * sqrt(40.0 / 100.0) * 100.0) <= 1e-12 * need[0]);
    cr_assert(fabs(need[1] - 2.4 * sqrt(40.0 / 25.0) * 100.0) <= 1e-12 * need[1]);
    /* ε = 0: need = u P, so a region whose population halves needs half */
    p.need_elast = 0.0;
    bal_fin_need(&p, pop, 10.0, need);
    cr_assert_eq(need[1], 200.0);
    pop[1] = 50.0;
    bal_fin_need(&p, pop, 10.0, need);
    cr_assert_eq(need[1], 100.0);
    cr_assert_eq(need[0], 200.0);
    /* the base-year calibration (gdp_pc0 = 0) keeps the unit cost */
    p.gdp_pc0 = 0.0;
    bal_fin_need(&p, pop, 99.0, need);
    cr_assert_eq(need[0], 200.0);
    /* without areas the base weights */
    p.area = NULL;
    p.need_weight[0] = 1.5;
    bal_fin_need(&p, pop, 99.0, need);
    cr_assert_eq(need[0], 300.0);
    bal_fin_params_release(ctx, &p);
    bal_ctx_free(ctx);
}

/* A toy finance year by hand: three regions of 100 people, one rich
   (income 2× the nation's) and two poor (0.5×); only the income tax (10 %,
   half local); need 0.1 per person; 80 % of local taxes counted. Then the
   third region loses half its people (and its output): its need halves,
   the shortfalls are recomputed and the pool is paid out in full. */
Test(finance, allocation_by_hand)
{
    bal_ctx *ctx = bal_ctx_alloc();
    enum { N = 3 };
    bal_fin_params p;
    bal_fin_state s;
    cr_assert_eq(bal_fin_params_init(ctx, &p, N), BAL_OK);
    cr_assert_eq(bal_fin_state_init(ctx, &s, N), BAL_OK);
    double Y[N * BAL_NSEC] = {0}, grdp[N] = {300.0, 300.0, 300.0}, wage[N] = {1.0, 1.0, 1.0};
    bal_econ_state e;
    memset(&e, 0, sizeof e);
    e.n = N;
    e.Y = Y;
    e.grdp = grdp;
    e.wage = wage;
    bal_econ_params ep;
    memset(&ep, 0, sizeof ep);
    ep.n = N;
    ep.alpha = 0.35;
    double *area = bal_fin_params_area(&p);
    for (int r = 0; r < N; r++) {
        area[r] = 1.0;
        p.wage0[r] = 1.0;
        p.income_rel[r] = r == 0 ? 2.0 : 0.5;
    }
    p.area = area;
    p.rate[BAL_TAX_INCOME] = 0.1;
    p.local_share[BAL_TAX_INCOME] = 0.5;
    p.lat_rate = 0.6;
    p.internal_share = 1.0;
    p.lat_own_weight = 0.8;
    p.need_pc = 0.1;
    p.need_elast = 0.0;
    p.gdp_pc0 = 3.0;
    double pop[N] = {100.0, 100.0, 100.0};
    cr_assert_eq(bal_fin_step(ctx, &p, &ep, &e, pop, &s), BAL_OK);
    /* local taxes 0.05 × {200, 50, 50}; revenue counted 0.8 × those = {8, 2, 2};
       need {10, 10, 10}; shortfalls {2, 8, 8}; national taxes 15, pool 9,
       adjustment rate 9 / 18 */
    const double lt[N] = {10.0, 2.5, 2.5}, lat[N] = {1.0, 4.0, 4.0};
    for (int r = 0; r < N; r++) {
        cr_assert(fabs(s.local_tax[r] - lt[r]) <= 1e-12, "local tax %d: %.17g", r, s.local_tax[r]);
        cr_assert(fabs(s.need[r] - 10.0) <= 1e-12, "need %d: %.17g", r, s.need[r]);
        cr_assert(fabs(s.revenue[r] - 0.8 * lt[r]) <= 1e-12);
        cr_assert(fabs(s.lat[r] - lat[r]) <= 1e-12, "LAT %d: %.17g", r, s.lat[r]);
    }
    cr_assert(fabs(s.lat_pool - 9.0) <= 1e-12);
    cr_assert(fabs(s.adjust - 0.5) <= 1e-12);
    /* region 2 loses half its people and output */
    pop[2] = 50.0;
    grdp[2] = 150.0;
    cr_assert_eq(bal_fin_step(ctx, &p, &ep, &e, pop, &s), BAL_OK);
    /* need {10, 10, 5}; revenue {8, 2, 1}; shortfalls {2, 8, 4} = 14; national
       taxes 0.05 × 275 = 13.75, pool 8.25 */
    const double need2[N] = {10.0, 10.0, 5.0}, gap2[N] = {2.0, 8.0, 4.0};
    double paid = 0.0;
    for (int r = 0; r < N; r++) {
        cr_assert(fabs(s.need[r] - need2[r]) <= 1e-12, "need %d: %.17g", r, s.need[r]);
        cr_assert(fabs(s.lat[r] - 8.25 * gap2[r] / 14.0) <= 1e-12, "LAT %d: %.17g", r, s.lat[r]);
        paid += s.lat[r];
    }
    cr_assert(fabs(paid - s.lat_pool) <= 1e-12 && fabs(s.lat_pool - 8.25) <= 1e-12);
    cr_assert(fabs(s.adjust - 8.25 / 14.0) <= 1e-15);
    /* output per person up 20 %: the unit cost and every need with it */
    for (int r = 0; r < N; r++)
        grdp[r] *= 1.2;
    cr_assert_eq(bal_fin_step(ctx, &p, &ep, &e, pop, &s), BAL_OK);
    for (int r = 0; r < N; r++)
        cr_assert(fabs(s.need[r] - 1.2 * need2[r]) <= 1e-12, "need %d: %.17g", r, s.need[r]);
    bal_fin_state_release(ctx, &s);
    bal_fin_params_release(ctx, &p);
    bal_ctx_free(ctx);
}
