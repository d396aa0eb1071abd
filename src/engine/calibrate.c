/*
 * calibrate.c — demography parameters from the observed tables.
 *
 * Every estimate uses only data dated up to opts->base_year, so a run from an
 * earlier year is a genuine out-of-sample backtest. docs/model.md, section
 * "Calibration", gives each formula; data/kr/ASSUMPTIONS.md each assumption.
 */
#include "balance/engine.h"
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
    o->improve_scale = 1.0;
    o->tfr_target = 0.0;
    o->tfr_target_year = pack->vintage.tfr_target_year;
    /* Rogers & Castro (1981), IIASA RR-81-30: the "fundamental" parameters,
       as packaged in R migest::rc9.fund. */
    o->rc = (bal_rc_schedule){0.02, 0.1, 0.06, 0.1, 20.0, 0.4, 0.003};
    o->local_halflife = 5.0;
    o->local_migration = 1;
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

static int calib_fertility(bal_ctx *ctx, const bal_datapack *pk, const bal_calib_opts *o,
                           bal_demog_params *p, bal_calib_report *rep)
{
    const int64_t ns = pk->nsido;
    int yf = 0;
    for (int y = o->base_year; y >= pk->births5.year0; y--)
        if (bal_yearly_complete(&pk->births5, y, ns * BAL_NFERT5) && bal_yearly_complete(&pk->births_tot, y, ns * 4) &&
            bal_yearly_complete(&pk->pop5, y, ns * BAL_NSEX * BAL_NBAND5) &&
            bal_yearly_complete(&pk->pop5, y - 1, ns * BAL_NSEX * BAL_NBAND5)) {
            yf = y;
            break;
        }
    if (yf == 0)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "births_by_age.csv: no year up to %d with births and the female "
                         "population of that year and the one before",
                         o->base_year);
    const double *b5 = bal_yearly_at(&pk->births5, yf);
    const double *bt = bal_yearly_at(&pk->births_tot, yf);
    const double *pa = bal_yearly_at(&pk->pop5, yf - 1);
    const double *pb = bal_yearly_at(&pk->pop5, yf);
    double nb[BAL_NFERT5] = {0}, nw[BAL_NFERT5] = {0};
    for (int64_t r = 0; r < ns; r++) {
        double total = bt[r * 4], unknown = bt[r * 4 + 3];
        double prorate = total > unknown ? total / (total - unknown) : 1.0;
        for (int g = 0; g < BAL_NFERT5; g++) {
            int band = BAL_FERT5_AGE0 / 5 + g;
            size_t ia = (size_t)((r * BAL_NSEX + BAL_FEMALE) * BAL_NBAND5 + band);
            double women = 0.5 * (pa[ia] + pb[ia]);
            double births = b5[r * BAL_NFERT5 + g] * prorate;
            double rate = women > 0.0 ? births / women : 0.0;
            nb[g] += births;
            nw[g] += women;
            for (int a = 0; a < 5; a++)
                p->asfr[r * BAL_NAGE + BAL_FERT5_AGE0 + 5 * g + a] = rate;
        }
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
    double tfr = 0.0;
    for (int g = 0; g < BAL_NFERT5; g++)
        tfr += nw[g] > 0.0 ? 5.0 * nb[g] / nw[g] : 0.0;
    p->tfr_reference = tfr;
    p->tfr_target = o->tfr_target;
    p->tfr_target_year = o->tfr_target_year;
    if (rep) {
        rep->fert_year = yf;
        rep->tfr_national = tfr;
        for (int64_t r = 0; r < ns; r++)
            rep->tfr[r] = bal_demog_tfr(p, r);
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
            /* residual: change - births + estimated deaths - net internal */
            const double *bt = bal_yearly_at(&pk->births_tot, y);
            const double *p5a = bal_yearly_at(&pk->pop5, y - 1);
            const double *p5b = bal_yearly_at(&pk->pop5, y);
            if (bt == NULL || isnan(bt[r * 4]) || !bal_yearly_complete(&pk->pop5, y - 1, ns * BAL_NSEX * BAL_NBAND5) ||
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
            resid += pt1[r] - pt0[r] - bt[r * 4] + deaths - (in_y - out_y);
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
    if ((st = calib_mortality(ctx, pk, o, p, rep)) || (st = calib_fertility(ctx, pk, o, p, rep)) ||
        (st = calib_migration(ctx, pk, o, pop0, p, rep)) || (st = bal_demog_params_check(ctx, p)))
        goto fail;
    if (rep) {
        const double tau = o->base_time + 0.5;
        double m[BAL_NAGE];
        for (int s = 0; s < BAL_NSEX; s++) {
            for (int a = 0; a < BAL_NAGE; a++)
                m[a] = p->mx_base[s * BAL_NAGE + a] *
                       exp(-p->improve[s * BAL_NAGE + a] * p->improve_scale * (tau - p->mx_time));
            rep->e0[s] = bal_demog_lifetable_e0(m, s == BAL_MALE);
            for (int64_t r = 0; r < ns; r++) {
                for (int a = 0; a < BAL_NAGE; a++)
                    m[a] = mx_at(p, r, s, a, tau);
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
