/*
 * calibrate.c — demography parameters from the observed tables.
 *
 * Every estimate uses only data dated up to opts->base_year, so a run from an
 * earlier year is a genuine out-of-sample backtest. docs/model.md, section
 * "Calibration", gives each formula; data/kr/ASSUMPTIONS.md each assumption.
 */
#include "balance/engine.h"
#include "balance/variant.h"
#include "balance/migage.h"

#include <math.h>
#include <string.h>

double bal_calib_rc_eval(const bal_rc_schedule *rc, double x)
{
    return rc->a1 * exp(-rc->alpha1 * x) +
           rc->a2 * exp(-rc->alpha2 * (x - rc->mu2) - exp(-rc->lambda2 * (x - rc->mu2))) + rc->c;
}

void bal_calib_opts_default(bal_calib_opts *o, const bal_datapack *pack)
{
    memset(o, 0, sizeof *o);
    /* the pack's base population: the end of its base month */
    o->base_year = pack->base_year;
    o->base_time = pack->base_year + (double)pack->base_month / 12.0;
    o->mig_window = 4;
    /* 0.75: the centre of the plausible range 0.5-1.0 (ASSUMPTIONS.md A11);
       it reproduces the observed e0 gains of 2014-2024 and KOSTAT's medium
       e0 of 2072 (docs/model.md §3) */
    o->improve_scale = 0.75;
    o->tfr_target = 0.0;
    o->tfr_target_year = pack->vintage.tfr_target_year;
    /* Rogers & Castro (1981), IIASA RR-81-30: the "fundamental" parameters,
       as packaged in R migest::rc9.fund. */
    o->rc = (bal_rc_schedule){0.02, 0.1, 0.06, 0.1, 20.0, 0.4, 0.003};
    o->local_halflife = 5.0;
    o->local_migration = 1;
    /* the residual of 2021 (-133,096) and 2022 (-76,018) is 5-10 times that
       of any other year since 2016 and far from KOSTAT's stated net
       migration of Korean nationals (+3,000 in 2017, +28,000 in 2024): a
       level shift of the register, not a rate to carry for 27 years; the
       two most recent years (docs/model.md §6) */
    o->intl_window = 2;
    o->variant = BAL_VARIANT_DEFAULT;
}

void bal_calib_report_release(bal_ctx *ctx, bal_calib_report *rep)
{
    if (rep == NULL)
        return;
    bal_free(ctx, rep->tfr);
    bal_free(ctx, rep->e0_region);
    bal_free(ctx, rep->out_rate);
    bal_free(ctx, rep->intl_per_year);
    bal_free(ctx, rep->mig_age_obs);
    bal_free(ctx, rep->mig_age_rc);
    bal_free(ctx, rep->mig_age_fit);
    bal_free(ctx, rep->mig_age_gamma);
    memset(rep, 0, sizeof *rep);
}

/* Last year y <= year_max at which all `n` values starting at `off` are observed. */
static int latest_full(const bal_yearly *y, int year_max, int64_t off, int64_t n)
{
    if (y->v == NULL)
        return 0;
    int hi = y->year0 + y->nyears - 1;
    if (hi > year_max)
        hi = year_max;
    for (int yr = hi; yr >= y->year0; yr--) {
        const double *b = bal_yearly_at(y, yr);
        int ok = 1;
        for (int64_t i = 0; ok && i < n; i++)
            ok = !isnan(b[off + i]);
        if (ok)
            return yr;
    }
    return 0;
}


/* WPP abridged group of single age a. */
static int wpp_group(int a)
{
    if (a == 0)
        return 0;
    if (a < 5)
        return 1;
    return a / 5 + 1;
}


/* Death rate of (region, sex, age) at calendar time tau under params p. */
static double mx_at(const bal_demog_params *p, int64_t r, int s, int a, double tau)
{
    return p->mx_base[s * BAL_NAGE + a] * p->mort_mult[r * BAL_NSEX + s] *
           exp(-p->improve[s * BAL_NAGE + a] * p->improve_scale * (tau - p->mx_time));
}

static int calib_mortality(bal_ctx *ctx, const bal_datapack *pk, const bal_calib_opts *o,
                           bal_demog_params *p, bal_calib_report *rep)
{
    const char *dir = pk->dir;
    /* level: the latest KOSTAT life table not after the base year */
    int yq = latest_full(&pk->qx, o->base_year, 0, BAL_CELLS);
    if (yq == 0)
        return bal_raise(ctx, BAL_EDATA, dir, 0,
                         "mortality_qx.csv: no complete life table up to %d", o->base_year);
    const double *qx = bal_yearly_at(&pk->qx, yq);
    /* open group and improvement from WPP: periods ending by the base time and
       within the estimates */
    int pcontain = 0, p1 = 0, p0 = 0;
    for (int ps = pk->mx_wpp.year0; ps < pk->mx_wpp.year0 + pk->mx_wpp.nyears; ps++) {
        if (!bal_yearly_complete(&pk->mx_wpp, ps, BAL_NSEX * BAL_NWPP))
            continue;
        if (ps <= yq && yq < ps + 5)
            pcontain = ps;
        if (ps + 5 <= o->base_time && ps + 5 <= pk->vintage.wpp_estimates_to) {
            p0 = p1;
            p1 = ps;
        }
    }
    if (pcontain == 0 || p0 == 0 || p1 - p0 != 5)
        return bal_raise(ctx, BAL_EDATA, dir, 0,
                         "mortality_mx_wpp.csv: lacks the periods needed for a start in %d",
                         o->base_year);
    const double *wc = bal_yearly_at(&pk->mx_wpp, pcontain);
    const double *w0 = bal_yearly_at(&pk->mx_wpp, p0);
    const double *w1 = bal_yearly_at(&pk->mx_wpp, p1);
    for (int s = 0; s < BAL_NSEX; s++) {
        for (int a = 0; a < BAL_AGE_OPEN; a++) {
            double q = qx[s * BAL_NAGE + a];
            if (q >= 1.0)
                return bal_raise(ctx, BAL_EDATA, dir, 0,
                                 "mortality_qx.csv: qx = 1 below the open age (%d, age %d)", yq,
                                 a);
            double ax = 0.5;
            double m = q / (1.0 - (1.0 - ax) * q);
            if (a == 0) /* a(0) depends on m(0): fixed point, converges in a few steps */
                for (int it = 0; it < 20; it++) {
                    ax = bal_demog_a0(m, s == BAL_MALE);
                    m = q / (1.0 - (1.0 - ax) * q);
                }
            p->mx_base[s * BAL_NAGE + a] = m;
        }
        p->mx_base[s * BAL_NAGE + BAL_AGE_OPEN] = wc[s * BAL_NWPP + BAL_NWPP - 1];
        for (int a = 0; a < BAL_NAGE; a++) {
            int g = wpp_group(a);
            double m0 = w0[s * BAL_NWPP + g], m1 = w1[s * BAL_NWPP + g];
            if (!(m0 > 0.0) || !(m1 > 0.0))
                return bal_raise(ctx, BAL_EDATA, dir, 0,
                                 "mortality_mx_wpp.csv: zero death rate (age group %d)", g);
            p->improve[s * BAL_NAGE + a] = log(m0 / m1) / 5.0;
        }
    }
    p->mx_time = yq + 0.5;
    p->improve_scale = o->improve_scale;

    /* regional hazard multipliers from sigungu age-standardized death rates */
    const int64_t ns = pk->nsido, ng = pk->regions.n - pk->nsido;
    int ya = 0, yw = 0;
    if (ng > 0 && pk->asdr.v != NULL) {
        for (int y = pk->asdr.year0; y < pk->asdr.year0 + pk->asdr.nyears && y <= o->base_year;
             y++)
        {
            const double *b = bal_yearly_at(&pk->asdr, y);
            for (int64_t i = 0; i < pk->asdr.stride; i++)
                if (!isnan(b[i])) {
                    ya = y;
                    break;
                }
        }
        yw = pk->sgg_pop.v ? pk->sgg_pop.year0 : 0;
    }
    for (int64_t i = 0; i < ns * BAL_NSEX; i++)
        p->mort_mult[i] = 1.0;
    if (ya != 0 && yw != 0) {
        const double *asdr = bal_yearly_at(&pk->asdr, ya);
        const double *wt = bal_yearly_at(&pk->sgg_pop, yw);
        for (int s = 0; s < BAL_NSEX; s++) {
            int kind = s == BAL_MALE ? BAL_ASDR_MALE : BAL_ASDR_FEMALE;
            double num[BAL_MAX_SIDO] = {0}, den[BAL_MAX_SIDO] = {0}, nnum = 0.0, nden = 0.0;
            for (int64_t g = 0; g < ng; g++) {
                double v = asdr[g * BAL_NASDR + kind], w = wt[g];
                if (isnan(v) || isnan(w))
                    continue;
                int64_t r = pk->regions.r[ns + g].parent;
                num[r] += w * v;
                den[r] += w;
                nnum += w * v;
                nden += w;
            }
            if (!(nden > 0.0) || !(nnum > 0.0))
                return bal_raise(ctx, BAL_EDATA, dir, 0,
                                 "asdr_sigungu.csv: no usable rates for %d", ya);
            for (int64_t r = 0; r < ns; r++)
                if (den[r] > 0.0)
                    p->mort_mult[r * BAL_NSEX + s] = (num[r] / den[r]) / (nnum / nden);
        }
    }
    if (rep) {
        rep->qx_year = yq;
        rep->wpp_period0 = p0;
        rep->wpp_period1 = p1;
        rep->asdr_year = ya;
        rep->asdr_weight_year = yw;
    }
    return BAL_OK;
}

void bal_calib_asfr_single(const double *g, double *f)
{
    enum { N = BAL_NASFR5 };
    double y[N + 1], m[N + 1];
    y[0] = 0.0;
    for (int k = 0; k < N; k++)
        y[k + 1] = y[k] + 5.0 * g[k];
    /* tangents of the cumulative at the knots: the mean of the neighbouring
       slopes (one-sided at the ends), limited to keep it monotone */
    m[0] = g[0];
    m[N] = g[N - 1];
    for (int k = 1; k < N; k++)
        m[k] = g[k - 1] * g[k] <= 0.0 ? 0.0 : 0.5 * (g[k - 1] + g[k]);
    for (int k = 0; k < N; k++) {
        if (g[k] == 0.0) {
            m[k] = m[k + 1] = 0.0;
            continue;
        }
        const double al = m[k] / g[k], be = m[k + 1] / g[k], r = al * al + be * be;
        if (r > 9.0) {
            const double tau = 3.0 / sqrt(r);
            m[k] = tau * al * g[k];
            m[k + 1] = tau * be * g[k];
        }
    }
    for (int a = 0; a < BAL_NAGE; a++)
        f[a] = 0.0;
    for (int k = 0; k < N; k++) {
        double prev = y[k];
        for (int j = 1; j <= 5; j++) {
            const double t = j / 5.0, t2 = t * t, t3 = t2 * t;
            const double c = j == 5 ? y[k + 1]
                                    : (2 * t3 - 3 * t2 + 1) * y[k] + (t3 - 2 * t2 + t) * 5.0 * m[k] +
                                          (-2 * t3 + 3 * t2) * y[k + 1] + (t3 - t2) * 5.0 * m[k + 1];
            f[BAL_ASFR5_AGE0 + 5 * k + j - 1] = c - prev;
            prev = c;
        }
    }
}

/*
 * Fertility from the published rates (fertility_asfr.csv): the level of each
 * province is its TFR of the latest year up to the start; the age pattern
 * the mean of its ASFR over the latest up to three years up to the start
 * (equal weights), spread to single years by bal_calib_asfr_single and
 * scaled to that TFR.
 */
static int calib_fertility(bal_ctx *ctx, const bal_datapack *pk, const bal_calib_opts *o,
                           bal_demog_params *p, bal_calib_report *rep)
{
    const int64_t ns = pk->nsido, w = 1 + BAL_NASFR5;
    int yf = 0;
    for (int y = o->base_year; pk->asfr.v && y >= pk->asfr.year0; y--)
        if (bal_yearly_complete(&pk->asfr, y, (ns + 1) * w)) {
            yf = y;
            break;
        }
    if (yf == 0)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "fertility_asfr.csv: no year up to %d with the TFR and ASFR of every "
                         "province and the nation",
                         o->base_year);
    int yf0 = yf;
    while (yf0 > yf - 2 && bal_yearly_complete(&pk->asfr, yf0 - 1, (ns + 1) * w))
        yf0--;
    const double *last = bal_yearly_at(&pk->asfr, yf);
    for (int64_t r = 0; r < ns; r++) {
        double g[BAL_NASFR5] = {0};
        for (int y = yf0; y <= yf; y++)
            for (int k = 0; k < BAL_NASFR5; k++)
                g[k] += bal_yearly_at(&pk->asfr, y)[r * w + 1 + k] / 1000.0 / (yf - yf0 + 1);
        double *f = p->asfr + r * BAL_NAGE;
        bal_calib_asfr_single(g, f);
        double sum = 0.0;
        for (int a = 0; a < BAL_NAGE; a++)
            sum += f[a];
        if (!(sum > 0.0))
            return bal_raise(ctx, BAL_EDATA, pk->dir, 0, "fertility_asfr.csv: no births in %s",
                             pk->regions.r[r].code);
        const double scale = last[r * w] / sum;
        for (int a = 0; a < BAL_NAGE; a++)
            f[a] *= scale;
        /* share of boys, pooled over the five years up to yf */
        double boys = 0.0, all = 0.0;
        for (int y = yf - 4; y <= yf; y++) {
            const double *t = bal_yearly_at(&pk->births_tot, y);
            if (t == NULL || isnan(t[r * 4]))
                continue;
            boys += t[r * 4 + 1];
            all += t[r * 4 + 1] + t[r * 4 + 2];
        }
        if (!(all > 0.0))
            return bal_raise(ctx, BAL_EDATA, pk->dir, 0, "births_totals.csv: no births for %s",
                             pk->regions.r[r].code);
        p->male_share[r] = boys / all;
    }
    const double tfr = last[ns * w];
    p->tfr_reference = tfr;
    p->tfr_target = o->tfr_target;
    p->tfr_target_year = o->tfr_target_year;
    if (rep) {
        rep->fert_year = yf;
        rep->fert_year0 = yf0;
        rep->tfr_national = tfr;
        for (int64_t r = 0; r < ns; r++)
            rep->tfr[r] = bal_demog_tfr(p, r);
    }
    return BAL_OK;
}

/* National death rates of sex s at calendar time tau (no variant multiplier). */
static void national_mx(const bal_demog_params *p, int s, double tau, double *m)
{
    for (int a = 0; a < BAL_NAGE; a++)
        m[a] = p->mx_base[s * BAL_NAGE + a] *
               exp(-p->improve[s * BAL_NAGE + a] * p->improve_scale * (tau - p->mx_time));
}

/* The published points of `ind` for variant v, or built by the mirror rule
   (variant.h) where the release prints none for it. */
enum { MAXPTS = 64 };
static int variant_points(const bal_datapack *pk, int base, const bal_variant *v, const char *ind,
                          int *yrs, double *val)
{
    int n = bal_variant_points(pk, base, v->kostat, ind, yrs, val, MAXPTS);
    if (n > 0 || v->mirror == 0.0)
        return n;
    return 0;
}

/* Last published value of `ind` of a variant, NAN when none. */
static double last_value(const bal_datapack *pk, int base, const char *var, const char *ind,
                         int *year)
{
    int yrs[MAXPTS];
    double val[MAXPTS];
    int n = bal_variant_points(pk, base, var, ind, yrs, val, MAXPTS);
    if (n == 0)
        return NAN;
    if (year)
        *year = yrs[n - 1];
    return val[n - 1];
}

/*
 * The paths of the run's variant (variant.h; docs/model.md §15) into p,
 * after mortality and fertility are calibrated.
 */
static int calib_variant(bal_ctx *ctx, const bal_datapack *pk, const bal_calib_opts *o,
                         bal_demog_params *p, bal_calib_report *rep, int qx_year)
{
    int released = 0, last = 0;
    const int base = bal_variant_release(pk, &released, &last);
    const int vi = bal_variant_resolve(pk, o->variant, o->base_year);
    if (vi < 0 || vi >= bal_nvariants)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "unknown variant %d", vi);
    const bal_variant *v = &bal_variants[vi];
    if (rep)
        rep->variant = vi;
    if (v->kostat == NULL)
        return bal_demog_params_paths(ctx, p, 0);
    if (base == 0)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                         "--variant %s: the data pack has no projection assumptions "
                         "(projection_assumptions.csv)",
                         v->name);
    if (released > o->base_year)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                         "--variant %s: KOSTAT's %d-based assumptions were published in %d, "
                         "after the start %d (a backtest must not see them); use --variant "
                         "constant",
                         v->name, base, released, o->base_year);
    const char *med = bal_variants[BAL_VARIANT_MEDIUM].kostat;
    const char *high = bal_variants[BAL_VARIANT_HIGH].kostat;
    /* TFR */
    int ty[MAXPTS];
    double tv[MAXPTS];
    const int nt = variant_points(pk, base, v, "total_fertility_rate", ty, tv);
    if (nt == 0)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "projection_assumptions.csv: no TFR of the %s variant", v->kostat);
    /* e0 at the release's last year, by sex */
    double e0t[BAL_NSEX];
    int ey = 0;
    for (int s = 0; s < BAL_NSEX; s++) {
        const char *ind = s == BAL_MALE ? "life_expectancy_at_birth_male"
                                        : "life_expectancy_at_birth_female";
        int y1 = 0, y2 = 0;
        double e = last_value(pk, base, v->kostat, ind, &y1);
        if (isnan(e) && v->mirror != 0.0) {
            /* the high variant's total gap on medium, both sexes; low mirrors it */
            const double em = last_value(pk, base, med, ind, &y1);
            const double gap = last_value(pk, base, high, "life_expectancy_at_birth_total", &y2) -
                               last_value(pk, base, med, "life_expectancy_at_birth_total", NULL);
            e = em + v->mirror * gap;
            if (y2 != y1)
                e = NAN;
        }
        if (isnan(e))
            return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                             "projection_assumptions.csv: no %s of the %s variant", ind,
                             v->kostat);
        e0t[s] = e;
        ey = y1;
    }
    /* net international migration: own points, or the medium's first point and
       the (mirrored) high's last */
    int my[MAXPTS];
    double mv[MAXPTS];
    int nm = variant_points(pk, base, v, "net_international_migration", my, mv);
    if (nm < 2 && v->mirror != 0.0) {
        int yl = 0, yh = 0;
        int nmed = bal_variant_points(pk, base, med, "net_international_migration", my, mv,
                                      MAXPTS);
        const double ml = last_value(pk, base, med, "net_international_migration", &yl);
        const double hl = last_value(pk, base, high, "net_international_migration", &yh);
        if (nmed >= 1 && yl == yh && !isnan(hl)) {
            my[1] = yl;
            mv[1] = ml + v->mirror * (hl - ml);
            nm = 2;
        }
    }
    if (nm < 1)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "projection_assumptions.csv: no net international migration of the %s "
                         "variant",
                         v->kostat);
    const int y0 = rep ? rep->fert_year : o->base_year;
    const double tfr0 = p->tfr_reference;
    const int nsteps = (last > o->base_year ? last : o->base_year) - o->base_year + 1;
    int st = bal_demog_params_paths(ctx, p, nsteps);
    if (st)
        return st;
    double m[BAL_NAGE], e0j[BAL_NSEX];
    for (int s = 0; s < BAL_NSEX; s++) {
        national_mx(p, s, p->mx_time, m);
        e0j[s] = bal_demog_lifetable_e0(m, s == BAL_MALE);
    }
    const double nim0 = bal_variant_interp(my, mv, nm, o->base_time);
    if (!(nim0 > 0.0))
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "projection_assumptions.csv: net international migration of the %s "
                         "variant is not positive at the start",
                         v->kostat);
    for (int k = 0; k < nsteps; k++) {
        const double lab = o->base_time + k; /* year label of the step's middle */
        p->path_fert[k] =
            o->tfr_target > 0.0 ? 1.0 : bal_variant_tfr(ty, tv, nt, y0, tfr0, lab) / tfr0;
        p->path_intl[k] = bal_variant_interp(my, mv, nm, lab) / nim0;
        for (int s = 0; s < BAL_NSEX; s++) {
            const double frac = lab >= ey ? 1.0 : (lab - qx_year) / (double)(ey - qx_year);
            const double target = e0j[s] + (e0t[s] - e0j[s]) * (frac > 0.0 ? frac : 0.0);
            national_mx(p, s, lab + 0.5, m);
            const double km = bal_variant_e0_mult(m, s == BAL_MALE, target);
            if (!(km > 0.0))
                return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                                 "variant %s: no mortality level gives e0 %.2f", v->name,
                                 target);
            p->path_mort[k * BAL_NSEX + s] = km;
        }
    }
    if (rep) {
        int k = nt - 1;
        while (k > 0 && tv[k - 1] == tv[nt - 1])
            k--;
        rep->release_base = base;
        rep->released = released;
        rep->path_last = last;
        rep->tfr_ultimate = tv[nt - 1];
        rep->tfr_ultimate_year = ty[k];
        for (int s = 0; s < BAL_NSEX; s++)
            rep->e0_target[s] = e0t[s];
        rep->nim0 = nim0;
        rep->nim_last = bal_variant_interp(my, mv, nm, last);
    }
    return BAL_OK;
}

/*
 * The age pattern of internal migration from the age tables of the window's
 * years (docs/model.md §5.1, engine/migage.c): destination attractiveness by
 * broad age group. Without age tables for the window there is none (γ = 1).
 * The international residual keeps its Rogers-Castro spread (§6).
 */
static int calib_migration_age(bal_ctx *ctx, const bal_datapack *pk, const int *years, int ny,
                               bal_demog_params *p, bal_calib_report *rep)
{
    const int64_t ns = pk->nsido;
    bal_migage_fit af;
    int st = bal_migage_run(ctx, pk, p, years, ny, &af);
    if (st)
        return st;
    if (af.npairs == 0) {
        bal_migage_fit_release(ctx, &af);
        return BAL_OK;
    }
    p->dest_age = af.gamma;
    af.gamma = NULL;
    if (rep) {
        rep->mig_age_pairs = af.npairs;
        rep->mig_age_year0 = af.years[af.npairs - 1];
        rep->mig_age_year1 = af.years[0];
        rep->mig_age_obs = af.obs_int;
        rep->mig_age_rc = af.rc_net;
        rep->mig_age_fit = af.fit_net;
        rep->mig_age_gamma = bal_malloc(ctx, (size_t)ns * BAL_MIGB * sizeof(double));
        if (rep->mig_age_gamma)
            memcpy(rep->mig_age_gamma, p->dest_age, (size_t)ns * BAL_MIGB * sizeof(double));
        af.obs_int = af.rc_net = af.fit_net = NULL;
        if (rep->mig_age_gamma == NULL) {
            bal_migage_fit_release(ctx, &af);
            return BAL_ENOMEM;
        }
    }
    bal_migage_fit_release(ctx, &af);
    return BAL_OK;
}

static int calib_migration(bal_ctx *ctx, const bal_datapack *pk, const bal_calib_opts *o,
                           const double *pop0, bal_demog_params *p, bal_calib_report *rep)
{
    const int64_t ns = pk->nsido;
    int years[BAL_MIG_WINDOW_MAX];
    int ny = 0;
    if (o->mig_window < 1 || o->mig_window > BAL_MIG_WINDOW_MAX)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "migration window must be 1..%d years",
                         BAL_MIG_WINDOW_MAX);
    double ptot[BAL_MAX_SIDO], ptot0[BAL_MAX_SIDO];
    for (int y = o->base_year; y > pk->od.year0 && ny < o->mig_window; y--)
        if (bal_yearly_complete(&pk->od, y, ns * ns) && bal_migage_pop_totals(pk, y, ptot) >= 0 &&
            bal_migage_pop_totals(pk, y - 1, ptot0) >= 0)
            years[ny++] = y;
    if (ny == 0)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "migration_od.csv: no year up to %d with complete flows and "
                         "population totals",
                         o->base_year);
    if (o->mig_window_exact && ny < o->mig_window)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                         "migration window of %d years: the data have only %d years up to %d "
                         "with complete flows and population totals (%d-%d); use 1..%d",
                         o->mig_window, ny, o->base_year, years[ny - 1], years[0], ny);

    /* age profile, evaluated in the middle of each year of age */
    double prof[BAL_NAGE], prof_sum = 0.0;
    for (int a = 0; a < BAL_NAGE; a++) {
        prof[a] = bal_calib_rc_eval(&o->rc, a + 0.5);
        if (!(prof[a] > 0.0) || !isfinite(prof[a]))
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                             "migration age profile must be positive at every age");
        prof_sum += prof[a];
    }

    const int nintl = o->intl_window >= 1 && o->intl_window < ny ? o->intl_window : ny;
    for (int64_t r = 0; r < ns; r++) {
        double out = 0.0, expo = 0.0, resid = 0.0;
        int nres = 0;
        for (int k = 0; k < ny; k++) {
            const int y = years[k];
            const double *od = bal_yearly_at(&pk->od, y);
            /* year-end totals; a year past population_totals.csv from the
               residents-only change (bal_migage_pop_totals) */
            bal_migage_pop_totals(pk, y, ptot);
            bal_migage_pop_totals(pk, y - 1, ptot0);
            /* a sigungu that changed province during y counts at the start
               in its new province (Gunwi, 2023) */
            double shift[BAL_MAX_SIDO];
            bal_migage_boundary_shift(pk, y - 1, y, shift);
            ptot0[r] += shift[r];
            const double *pt1 = ptot, *pt0 = ptot0;
            double out_y = 0.0, in_y = 0.0;
            for (int64_t j = 0; j < ns; j++)
                if (j != r) {
                    out_y += od[r * ns + j];
                    in_y += od[j * ns + r];
                }
            out += out_y;
            expo += 0.5 * (pt0[r] + pt1[r]);
            /* residual: change - births + deaths - net internal; births and
               deaths as registered (vital_sido.csv), else births_totals.csv and
               deaths estimated from the year-end age tables */
            const double *bt = bal_yearly_at(&pk->births_tot, y);
            const double *vs = bal_yearly_at(&pk->vital, y);
            const double *p5a = bal_yearly_at(&pk->pop5, y - 1);
            const double *p5b = bal_yearly_at(&pk->pop5, y);
            if (k >= nintl) /* the residual: the most recent intl_window years only */
                continue;
            double births = vs && !isnan(vs[r * 2]) ? vs[r * 2] : bt ? bt[r * 4] : (double)NAN;
            if (vs && !isnan(vs[r * 2 + 1]) && !isnan(births)) {
                resid += pt1[r] - pt0[r] - births + vs[r * 2 + 1] - (in_y - out_y);
                nres++;
                if (rep)
                    rep->intl_deaths_observed++;
                continue;
            }
            if (isnan(births) || !bal_yearly_complete(&pk->pop5, y - 1, ns * BAL_NSEX * BAL_NBAND5) ||
                !bal_yearly_complete(&pk->pop5, y, ns * BAL_NSEX * BAL_NBAND5))
                continue;
            double deaths = 0.0;
            const double tau = y + 0.5;
            for (int s = 0; s < BAL_NSEX; s++)
                for (int b = 0; b < BAL_NBAND5; b++) {
                    size_t i = (size_t)((r * BAL_NSEX + s) * BAL_NBAND5 + b);
                    double pm = 0.5 * (p5a[i] + p5b[i]);
                    double mbar = 0.0;
                    if (b == BAL_NBAND5 - 1) {
                        mbar = mx_at(p, r, s, BAL_AGE_OPEN, tau);
                    } else {
                        for (int a = 5 * b; a < 5 * b + 5; a++)
                            mbar += mx_at(p, r, s, a, tau);
                        mbar /= 5.0;
                    }
                    deaths += pm * mbar;
                }
            resid += pt1[r] - pt0[r] - births + deaths - (in_y - out_y);
            nres++;
        }
        if (!(out > 0.0) || !(expo > 0.0))
            return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                             "migration_od.csv: no out-migrants from %s", pk->regions.r[r].code);
        for (int64_t j = 0; j < ns; j++) {
            double f = 0.0;
            if (j != r)
                for (int k = 0; k < ny; k++)
                    f += bal_yearly_at(&pk->od, years[k])[r * ns + j];
            p->dest[r * ns + j] = f / out;
        }
        /* normalise exactly so rows sum to one in floating point too */
        double dsum = 0.0;
        for (int64_t j = 0; j < ns; j++)
            dsum += p->dest[r * ns + j];
        for (int64_t j = 0; j < ns; j++)
            p->dest[r * ns + j] /= dsum;

        const double crude = out / expo;
        double weighted = 0.0, total = 0.0;
        for (int s = 0; s < BAL_NSEX; s++)
            for (int a = 0; a < BAL_NAGE; a++) {
                double v = pop0[bal_pidx(r, s, a)];
                weighted += prof[a] * v;
                total += v;
            }
        double k = weighted > 0.0 ? crude * total / weighted : 0.0;
        for (int s = 0; s < BAL_NSEX; s++)
            for (int a = 0; a < BAL_NAGE; a++) {
                double rate = k * prof[a];
                p->outrate[bal_pidx(r, s, a)] = rate < 1.0 ? rate : 1.0;
            }
        double net = nres > 0 ? resid / nres : 0.0;
        for (int s = 0; s < BAL_NSEX; s++)
            for (int a = 0; a < BAL_NAGE; a++)
                p->intl[bal_pidx(r, s, a)] = net * prof[a] / (2.0 * prof_sum);
        if (rep) {
            rep->out_rate[r] = crude;
            rep->intl_per_year[r] = net;
        }
    }
    if (rep) {
        rep->mig_year0 = years[ny - 1];
        rep->mig_year1 = years[0];
        rep->mig_nyears = ny;
        rep->intl_year0 = years[nintl - 1];
        rep->intl_year1 = years[0];
    }
    return calib_migration_age(ctx, pk, years, ny, p, rep);
}

int bal_calib_run(bal_ctx *ctx, const bal_datapack *pk, const bal_calib_opts *o,
                  const double *pop0, bal_demog_params *p, bal_calib_report *rep)
{
    const int64_t ns = pk->nsido;
    if (rep)
        memset(rep, 0, sizeof *rep);
    int st = bal_demog_params_init(ctx, p, ns);
    if (st)
        return st;
    p->base_year = o->base_year;
    p->base_time = o->base_time;
    if (rep) {
        memset(rep, 0, sizeof *rep);
        rep->nreg = ns;
        rep->tfr = bal_calloc(ctx, (size_t)ns, sizeof(double));
        rep->e0_region = bal_calloc(ctx, (size_t)ns * BAL_NSEX, sizeof(double));
        rep->out_rate = bal_calloc(ctx, (size_t)ns, sizeof(double));
        rep->intl_per_year = bal_calloc(ctx, (size_t)ns, sizeof(double));
        if (!rep->tfr || !rep->e0_region || !rep->out_rate || !rep->intl_per_year) {
            st = BAL_ENOMEM;
            goto fail;
        }
    }
    bal_calib_report scratch;
    memset(&scratch, 0, sizeof scratch);
    bal_calib_report *rp = rep ? rep : &scratch;
    if ((st = calib_mortality(ctx, pk, o, p, rep)) || (st = calib_fertility(ctx, pk, o, p, rep)) ||
        (st = calib_migration(ctx, pk, o, pop0, p, rep)))
        goto fail;
    if (!rep) {
        /* the variant needs the fertility year and the life-table year */
        scratch.fert_year = o->base_year;
        for (int y = o->base_year; pk->asfr.v && y >= pk->asfr.year0; y--)
            if (bal_yearly_complete(&pk->asfr, y, (ns + 1) * (1 + BAL_NASFR5))) {
                scratch.fert_year = y;
                break;
            }
    }
    if ((st = calib_variant(ctx, pk, o, p, rp, (int)floor(p->mx_time))) ||
        (st = bal_demog_params_check(ctx, p)))
        goto fail;
    if (rep) {
        const double tau = o->base_time + 0.5;
        double m[BAL_NAGE];
        for (int s = 0; s < BAL_NSEX; s++) {
            national_mx(p, s, p->mx_time, m);
            rep->e0_jump[s] = bal_demog_lifetable_e0(m, s == BAL_MALE);
        }
        for (int s = 0; s < BAL_NSEX; s++) {
            for (int a = 0; a < BAL_NAGE; a++)
                m[a] = p->mx_base[s * BAL_NAGE + a] *
                       exp(-p->improve[s * BAL_NAGE + a] * p->improve_scale * (tau - p->mx_time));
            rep->e0[s] = bal_demog_lifetable_e0(m, s == BAL_MALE);
            /* with the variant's multiplier of the first step */
            const double km = p->path_n > 0 ? p->path_mort[s] : 1.0;
            for (int a = 0; a < BAL_NAGE; a++)
                m[a] *= km;
            rep->e0[s] = bal_demog_lifetable_e0(m, s == BAL_MALE);
            for (int64_t r = 0; r < ns; r++) {
                for (int a = 0; a < BAL_NAGE; a++)
                    m[a] = mx_at(p, r, s, a, tau) * km;
                rep->e0_region[r * BAL_NSEX + s] = bal_demog_lifetable_e0(m, s == BAL_MALE);
            }
        }
    }
    return BAL_OK;
fail:
    bal_demog_params_release(ctx, p);
    if (rep)
        bal_calib_report_release(ctx, rep);
    return st;
}

int bal_calib_pop_from_bands(bal_ctx *ctx, const bal_datapack *pk, int year, double *pop)
{
    const int64_t ns = pk->nsido;
    if (!bal_yearly_complete(&pk->pop5, year, ns * BAL_NSEX * BAL_NBAND5))
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "population_age5.csv: no complete year-end population for %d", year);
    bal_datapack_bands_spread(bal_yearly_at(&pk->pop5, year), ns, pop);
    return BAL_OK;
}
