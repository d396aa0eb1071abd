/*
 * municipal.c — parameters of the 229 sigungu, nested in their sido.
 *
 * The sido parameters stay the backbone (between-province migration, the
 * level of fertility, international migration); each sigungu gets its own
 * fertility index, mortality multiplier and within-province migration rates.
 * docs/model.md, section "Municipalities", gives the equations.
 */
#include "balance/engine.h"

#include <math.h>
#include <string.h>

/* Bounds on the fertility index: the child-woman ratio of a small county can
   be far off by chance (ASSUMPTIONS.md A17). */
#define FERT_INDEX_MIN 0.25
#define FERT_INDEX_MAX 4.0
/* A sigungu cannot lose more than this share of a cell to its own province in
   a year (ASSUMPTIONS.md A18). */
#define LOCAL_OUT_MAX 0.5

void bal_muni_report_release(bal_ctx *ctx, bal_muni_report *rep)
{
    if (rep == NULL)
        return;
    bal_free(ctx, rep->fert_index);
    bal_free(ctx, rep->net_local);
    memset(rep, 0, sizeof *rep);
}


int bal_muni_pop_from_bands(bal_ctx *ctx, const bal_datapack *pk, int year, double *pop)
{
    const int64_t ng = pk->regions.n - pk->nsido;
    if (!pk->municipal_loaded || !bal_yearly_complete(&pk->sgg_pop5, year, pk->sgg_pop5.stride))
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "population_sigungu_age5.csv: no complete year-end population for %d",
                         year);
    bal_datapack_bands_spread(bal_yearly_at(&pk->sgg_pop5, year), ng, pop);
    return BAL_OK;
}

/* Mortality multipliers: sigungu ASDR over the population-weighted national
   mean, the same construction as the sido multipliers (calibrate.c). */
static void muni_mortality(const bal_datapack *pk, int base_year, const bal_demog_params *sido,
                           bal_demog_params *p, bal_muni_report *rep)
{
    const int64_t ns = pk->nsido, ng = pk->regions.n - ns;
    int ya = 0;
    for (int y = pk->asdr.year0; pk->asdr.v && y < pk->asdr.year0 + pk->asdr.nyears &&
                                 y <= base_year;
         y++) {
        const double *b = bal_yearly_at(&pk->asdr, y);
        for (int64_t i = 0; i < pk->asdr.stride; i++)
            if (!isnan(b[i])) {
                ya = y;
                break;
            }
    }
    const double *wt = pk->sgg_pop.v ? bal_yearly_at(&pk->sgg_pop, pk->sgg_pop.year0) : NULL;
    for (int64_t u = 0; u < ng; u++)
        for (int s = 0; s < BAL_NSEX; s++)
            p->mort_mult[u * BAL_NSEX + s] =
                sido->mort_mult[pk->regions.r[ns + u].parent * BAL_NSEX + s];
    if (rep)
        rep->asdr_year = ya;
    if (ya == 0 || wt == NULL)
        return;
    const double *asdr = bal_yearly_at(&pk->asdr, ya);
    for (int s = 0; s < BAL_NSEX; s++) {
        const int kind = s == BAL_MALE ? BAL_ASDR_MALE : BAL_ASDR_FEMALE;
        double num = 0.0, den = 0.0;
        for (int64_t u = 0; u < ng; u++) {
            double v = asdr[u * BAL_NASDR + kind];
            if (!isnan(v) && !isnan(wt[u])) {
                num += wt[u] * v;
                den += wt[u];
            }
        }
        if (!(num > 0.0) || !(den > 0.0))
            continue;
        for (int64_t u = 0; u < ng; u++) {
            double v = asdr[u * BAL_NASDR + kind];
            if (!isnan(v) && v > 0.0)
                p->mort_mult[u * BAL_NSEX + s] = v / (num / den);
        }
    }
}

/* Fertility index: children 0-4 over the births the province's rates would
   give the sigungu's women, relative to the same ratio of the province. */
static void muni_fertility(const bal_datapack *pk, const bal_demog_params *sido,
                           const double *pop0, bal_demog_params *p, double *k_out,
                           bal_muni_report *rep)
{
    const int64_t ns = pk->nsido, ng = pk->regions.n - ns;
    double obs_g[BAL_MAX_SIDO] = {0}, exp_g[BAL_MAX_SIDO] = {0};
    for (int64_t u = 0; u < ng; u++) {
        const int64_t g = pk->regions.r[ns + u].parent;
        double o = 0.0, e = 0.0;
        for (int s = 0; s < BAL_NSEX; s++)
            for (int a = 0; a < 5; a++)
                o += pop0[bal_pidx(u, s, a)];
        for (int a = 0; a < BAL_NAGE; a++)
            e += sido->asfr[g * BAL_NAGE + a] * pop0[bal_pidx(u, BAL_FEMALE, a)];
        k_out[u * 2] = o;
        k_out[u * 2 + 1] = e;
        obs_g[g] += o;
        exp_g[g] += e;
    }
    for (int64_t u = 0; u < ng; u++) {
        const int64_t g = pk->regions.r[ns + u].parent;
        double o = k_out[u * 2], e = k_out[u * 2 + 1];
        double k = 1.0;
        if (e > 0.0 && obs_g[g] > 0.0 && exp_g[g] > 0.0)
            k = (o / e) / (obs_g[g] / exp_g[g]);
        if (k < FERT_INDEX_MIN)
            k = FERT_INDEX_MIN;
        if (k > FERT_INDEX_MAX)
            k = FERT_INDEX_MAX;
        for (int a = 0; a < BAL_NAGE; a++)
            p->asfr[u * BAL_NAGE + a] = sido->asfr[g * BAL_NAGE + a] * k;
        p->male_share[u] = sido->male_share[g];
        if (rep)
            rep->fert_index[u] = k;
    }
}

/* Band (0..20) of single age a. */
static inline int band_of(int a)
{
    return a / 5;
}

/*
 * Within-province net migration rates by the residual method. For each pair
 * of consecutive year-ends (y, y+1) up to the start: E = the sigungu's start
 * population survived one year with its own mortality, plus its births
 * (the parameters above, no migration); R = observed - E, by sex and band;
 * the rate is R/E of the sigungu minus R/E of its province, so the
 * province's own net migration (between provinces, international) is left to
 * the backbone. Rates are averaged over the pairs.
 */
static int muni_residual(bal_ctx *ctx, const bal_datapack *pk, int last_year,
                         bal_demog_params *p, bal_muni_report *rep)
{
    const int64_t ns = pk->nsido, ng = pk->regions.n - ns;
    const size_t cells = (size_t)(ng * BAL_CELLS);
    const int nb = BAL_NSEX * BAL_NBAND5;
    int years[16], npair = 0;
    for (int y = pk->sgg_pop5.year0; y + 1 <= last_year && npair < 16; y++)
        if (bal_yearly_complete(&pk->sgg_pop5, y, pk->sgg_pop5.stride) && bal_yearly_complete(&pk->sgg_pop5, y + 1, pk->sgg_pop5.stride))
            years[npair++] = y;
    if (rep) {
        rep->resid_pairs = npair;
        rep->resid_year0 = npair ? years[0] : 0;
        rep->resid_year1 = npair ? years[npair - 1] + 1 : 0;
    }
    if (npair == 0)
        return BAL_OK; /* no within-province information before the start */

    int st = BAL_OK;
    double *start = bal_malloc(ctx, cells * sizeof(double));
    double *end = bal_malloc(ctx, cells * sizeof(double));
    double *zero = bal_calloc(ctx, cells, sizeof(double));
    double *accb = bal_calloc(ctx, (size_t)ng * 7, sizeof(double));
    double *rate = bal_calloc(ctx, (size_t)ng * (size_t)nb, sizeof(double));
    double *ex = bal_calloc(ctx, (size_t)ng * (size_t)nb, sizeof(double));
    double *gr = bal_calloc(ctx, (size_t)ns * (size_t)nb, sizeof(double));
    double *ge = bal_calloc(ctx, (size_t)ns * (size_t)nb, sizeof(double));
    bal_demog_work *w = bal_demog_work_alloc(ctx, ng, ns);
    if (!start || !end || !zero || !accb || !rate || !ex || !gr || !ge || !w) {
        st = BAL_ENOMEM;
        goto done;
    }
    bal_demog_accounts acc = {accb,          accb + ng,     accb + 2 * ng, accb + 3 * ng,
                              accb + 4 * ng, accb + 5 * ng, accb + 6 * ng};
    for (int k = 0; k < npair; k++) {
        const int y = years[k];
        /* vital events only: no migration, no TFR path, time from year-end y */
        bal_demog_params q = *p;
        q.outrate = zero;
        q.intl = zero;
        q.redist = NULL;
        q.tfr_target = 0.0;
        q.path_n = 0; /* no variant path either */
        q.base_year = y;
        q.base_time = y + 1.0;
        if ((st = bal_muni_pop_from_bands(ctx, pk, y, start)) ||
            (st = bal_demog_step(ctx, &q, NULL, y, start, end, &acc, w)))
            goto done;
        const double *obs = bal_yearly_at(&pk->sgg_pop5, y + 1);
        memset(ex, 0, (size_t)ng * (size_t)nb * sizeof(double));
        memset(gr, 0, (size_t)ns * (size_t)nb * sizeof(double));
        memset(ge, 0, (size_t)ns * (size_t)nb * sizeof(double));
        for (int64_t u = 0; u < ng; u++) {
            const int64_t g = pk->regions.r[ns + u].parent;
            for (int s = 0; s < BAL_NSEX; s++)
                for (int a = 0; a < BAL_NAGE; a++)
                    ex[u * nb + s * BAL_NBAND5 + band_of(a)] += end[bal_pidx(u, s, a)];
            for (int i = 0; i < nb; i++) {
                gr[g * nb + i] += obs[u * nb + i] - ex[u * nb + i];
                ge[g * nb + i] += ex[u * nb + i];
            }
        }
        for (int64_t u = 0; u < ng; u++) {
            const int64_t g = pk->regions.r[ns + u].parent;
            for (int i = 0; i < nb; i++) {
                double e = ex[u * nb + i], eg = ge[g * nb + i];
                if (!(e > 0.0) || !(eg > 0.0))
                    continue;
                double r = (obs[u * nb + i] - e) / e - gr[g * nb + i] / eg;
                rate[u * nb + i] += r / npair;
            }
        }
    }
    /* rates by band of the age at the end of the step -> single start ages */
    for (int64_t u = 0; u < ng; u++)
        for (int s = 0; s < BAL_NSEX; s++)
            for (int a = 0; a < BAL_NAGE; a++) {
                int b = band_of(a < BAL_AGE_OPEN ? a + 1 : BAL_AGE_OPEN);
                double v = rate[u * nb + s * BAL_NBAND5 + b];
                double lim = 1.0 - p->outrate[bal_pidx(u, s, a)];
                if (lim > LOCAL_OUT_MAX)
                    lim = LOCAL_OUT_MAX;
                if (v < -lim)
                    v = -lim;
                p->redist[bal_pidx(u, s, a)] = v;
            }
done:
    bal_demog_work_free(ctx, w);
    bal_free(ctx, start);
    bal_free(ctx, end);
    bal_free(ctx, zero);
    bal_free(ctx, accb);
    bal_free(ctx, rate);
    bal_free(ctx, ex);
    bal_free(ctx, gr);
    bal_free(ctx, ge);
    return st;
}

int bal_muni_calibrate(bal_ctx *ctx, const bal_datapack *pk, const bal_calib_opts *o,
                            const bal_demog_params *sido, const double *pop0,
                            bal_demog_params *p, bal_muni_report *rep)
{
    const int64_t ns = pk->nsido, ng = pk->regions.n - ns;
    if (rep)
        memset(rep, 0, sizeof *rep);
    if (ng <= 0 || !pk->municipal_loaded)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "the municipal tables are not loaded");
    if (sido->nreg != ns || ns > BAL_MAX_SIDO)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "sido parameters do not match the pack");
    int st = bal_demog_params_init_nested(ctx, p, ng, ns);
    if (st)
        return st;
    double *tmp = bal_calloc(ctx, (size_t)ng * 2, sizeof(double));
    if (tmp == NULL) {
        st = BAL_ENOMEM;
        goto fail;
    }
    if (rep) {
        rep->nunit = ng;
        rep->fert_index = bal_calloc(ctx, (size_t)ng, sizeof(double));
        rep->net_local = bal_calloc(ctx, (size_t)ng, sizeof(double));
        if (!rep->fert_index || !rep->net_local) {
            st = BAL_ENOMEM;
            goto fail;
        }
    }
    p->base_year = sido->base_year;
    p->base_time = sido->base_time;
    p->mx_time = sido->mx_time;
    p->improve_scale = sido->improve_scale;
    p->tfr_reference = sido->tfr_reference;
    p->tfr_target = sido->tfr_target;
    p->tfr_target_year = sido->tfr_target_year;
    if ((st = bal_demog_params_copy_paths(ctx, p, sido)))
        goto fail;
    p->redist_halflife = o->local_halflife;
    memcpy(p->mx_base, sido->mx_base, BAL_CELLS * sizeof(double));
    memcpy(p->improve, sido->improve, BAL_CELLS * sizeof(double));
    memcpy(p->dest, sido->dest, (size_t)(ns * ns) * sizeof(double));
    if (sido->dest_age) {
        p->dest_age = bal_malloc(ctx, (size_t)ns * BAL_MIGB * sizeof(double));
        if (p->dest_age == NULL) {
            st = BAL_ENOMEM;
            goto fail;
        }
        memcpy(p->dest_age, sido->dest_age, (size_t)ns * BAL_MIGB * sizeof(double));
    }

    /* group, between-province out-migration, international migration */
    double gpop[BAL_MAX_SIDO * BAL_CELLS];
    double gtot[BAL_MAX_SIDO];
    memset(gpop, 0, sizeof gpop);
    memset(gtot, 0, sizeof gtot);
    for (int64_t u = 0; u < ng; u++) {
        const int64_t g = pk->regions.r[ns + u].parent;
        p->group[u] = g;
        memcpy(p->outrate + u * BAL_CELLS, sido->outrate + g * BAL_CELLS,
               BAL_CELLS * sizeof(double));
        for (int i = 0; i < BAL_CELLS; i++) {
            gpop[g * BAL_CELLS + i] += pop0[u * BAL_CELLS + i];
            gtot[g] += pop0[u * BAL_CELLS + i];
        }
    }
    for (int64_t u = 0; u < ng; u++) {
        const int64_t g = p->group[u];
        double tot = 0.0;
        for (int i = 0; i < BAL_CELLS; i++)
            tot += pop0[u * BAL_CELLS + i];
        for (int i = 0; i < BAL_CELLS; i++) {
            double gp = gpop[g * BAL_CELLS + i];
            double share = gp > 0.0 ? pop0[u * BAL_CELLS + i] / gp
                                    : (gtot[g] > 0.0 ? tot / gtot[g] : 0.0);
            p->intl[u * BAL_CELLS + i] = sido->intl[g * BAL_CELLS + i] * share;
        }
    }
    muni_mortality(pk, o->base_year, sido, p, rep);
    muni_fertility(pk, sido, pop0, p, tmp, rep);
    /* year-end populations up to the start: a year-end start (label Y) may use
       Y itself; the mid-year base may use the year-end before it */
    int last = o->base_time > o->base_year + 0.75 ? o->base_year : o->base_year - 1;
    if (!o->local_migration)
        last = 0; /* switched off: no pairs, rates stay zero */
    if ((st = muni_residual(ctx, pk, last, p, rep)) || (st = bal_demog_params_check(ctx, p)))
        goto fail;
    if (rep)
        for (int64_t u = 0; u < ng; u++) {
            double net = 0.0;
            for (int i = 0; i < BAL_CELLS; i++)
                net += p->redist[u * BAL_CELLS + i] * pop0[u * BAL_CELLS + i];
            rep->net_local[u] = net;
        }
    bal_free(ctx, tmp);
    return BAL_OK;
fail:
    bal_free(ctx, tmp);
    bal_demog_params_release(ctx, p);
    if (rep)
        bal_muni_report_release(ctx, rep);
    return st;
}
