/*
 * migage.c — the age pattern of migration estimated from the age tables
 * (include/balance/migage.h; docs/model.md §5.1).
 */
#include "balance/migage.h"

#include <math.h>
#include <string.h>

const char *bal_migb_label(int b)
{
    static const char *const labels[BAL_MIGB] = {"0-14", "15-24", "25-34", "35-49", "50-64", "65+"};
    return b >= 0 && b < BAL_MIGB ? labels[b] : "";
}

/* ---- pure steps -------------------------------------------------------- */

int bal_migage_adjust(int64_t nr, int nc, const double *w, const double *row_target, double *x,
                      int maxit, double tol)
{
    for (int it = 1; it <= maxit; it++) {
        /* rows: add (target - sum) in proportion to the row's weights */
        for (int64_t r = 0; r < nr; r++) {
            double sum = 0.0, ws = 0.0;
            for (int c = 0; c < nc; c++) {
                sum += x[r * nc + c];
                ws += w[r * nc + c];
            }
            if (ws > 0.0)
                for (int c = 0; c < nc; c++)
                    x[r * nc + c] += (row_target[r] - sum) * w[r * nc + c] / ws;
        }
        /* columns: remove the sum in proportion to the column's weights */
        for (int c = 0; c < nc; c++) {
            double sum = 0.0, ws = 0.0;
            for (int64_t r = 0; r < nr; r++) {
                sum += x[r * nc + c];
                ws += w[r * nc + c];
            }
            if (ws > 0.0)
                for (int64_t r = 0; r < nr; r++)
                    x[r * nc + c] -= sum * w[r * nc + c] / ws;
        }
        /* the column step is exact; check the rows */
        double err = 0.0;
        for (int64_t r = 0; r < nr; r++) {
            double sum = 0.0;
            for (int c = 0; c < nc; c++)
                sum += x[r * nc + c];
            if (fabs(sum - row_target[r]) > err)
                err = fabs(sum - row_target[r]);
        }
        if (err <= tol)
            return it;
    }
    return -1;
}

void bal_migage_arrivals(int64_t n, int nb, const double *out, const double *dest,
                         const double *gamma, double *in)
{
    for (int64_t j = 0; j < n * nb; j++)
        in[j] = 0.0;
    for (int64_t i = 0; i < n; i++)
        for (int b = 0; b < nb; b++) {
            double den = 0.0;
            for (int64_t l = 0; l < n; l++)
                den += dest[i * n + l] * gamma[l * nb + b];
            if (!(den > 0.0))
                continue;
            for (int64_t j = 0; j < n; j++)
                in[j * nb + b] += out[i * nb + b] * dest[i * n + j] * gamma[j * nb + b] / den;
        }
}

int bal_migage_ipf(int64_t n, int nb, const double *out, const double *dest, const double *target,
                   double *gamma, int maxit, double tol, double *maxrel)
{
    double in[BAL_MAX_SIDO * BAL_MIGB];
    if (n > BAL_MAX_SIDO || nb > BAL_MIGB)
        return -1;
    double err = INFINITY;
    for (int it = 0; it <= maxit; it++) {
        bal_migage_arrivals(n, nb, out, dest, gamma, in);
        err = 0.0;
        for (int64_t j = 0; j < n * nb; j++)
            if (in[j] > 0.0 && fabs(in[j] / target[j] - 1.0) > err)
                err = fabs(in[j] / target[j] - 1.0);
        if (err <= tol) {
            *maxrel = err;
            return it;
        }
        if (it == maxit)
            break;
        for (int64_t j = 0; j < n * nb; j++)
            if (in[j] > 0.0 && target[j] > 0.0)
                gamma[j] *= target[j] / in[j];
        for (int b = 0; b < nb; b++) {
            double mean = 0.0;
            for (int64_t j = 0; j < n; j++)
                mean += gamma[j * nb + b];
            mean /= (double)n;
            for (int64_t j = 0; j < n; j++)
                gamma[j * nb + b] /= mean;
        }
    }
    *maxrel = err;
    return -1;
}

/* ---- from the data pack ------------------------------------------------- */

void bal_migage_fit_release(bal_ctx *ctx, bal_migage_fit *f)
{
    if (f == NULL)
        return;
    bal_free(ctx, f->obs_net);
    bal_free(ctx, f->obs_int);
    bal_free(ctx, f->rc_net);
    bal_free(ctx, f->fit_net);
    bal_free(ctx, f->gamma);
    bal_free(ctx, f->intl5);
    memset(f, 0, sizeof *f);
}

int bal_migage_pop_end(bal_ctx *ctx, const bal_datapack *pk, int y, int residents, double *bands)
{
    const int64_t n = pk->nsido * BAL_NSEX * BAL_NBAND5;
    const bal_yearly *t = residents ? &pk->pop5_res : &pk->pop5;
    if (!bal_yearly_complete(t, y, n))
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0, "%s: no complete year-end population for %d",
                         residents ? "population_age5_residents.csv" : "population_age5.csv", y);
    memcpy(bands, bal_yearly_at(t, y), (size_t)n * sizeof(double));
    return BAL_OK;
}

int bal_migage_pop_totals(const bal_datapack *pk, int y, double *pop)
{
    const int64_t ns = pk->nsido, nsb = BAL_NSEX * BAL_NBAND5;
    if (bal_yearly_complete(&pk->pop_total, y, ns)) {
        memcpy(pop, bal_yearly_at(&pk->pop_total, y), (size_t)ns * sizeof(double));
        return 0;
    }
    if (!bal_yearly_complete(&pk->pop_total, y - 1, ns) ||
        !bal_yearly_complete(&pk->pop5_res, y - 1, ns * nsb) ||
        !bal_yearly_complete(&pk->pop5_res, y, ns * nsb))
        return -1;
    const double *t0 = bal_yearly_at(&pk->pop_total, y - 1);
    const double *r0 = bal_yearly_at(&pk->pop5_res, y - 1), *r1 = bal_yearly_at(&pk->pop5_res, y);
    for (int64_t r = 0; r < ns; r++) {
        double d = 0.0;
        for (int64_t i = 0; i < nsb; i++)
            d += r1[r * nsb + i] - r0[r * nsb + i];
        pop[r] = t0[r] + d;
    }
    return 1;
}

/* Sigungu that changed province between the year-ends y0 and y1 move from
   the old province's bands to the new one's, spread by the old province's
   sex-age structure (their own is not in the sido-level pack). */
static void boundary_transfer(const bal_datapack *pk, int y0, int y1, double *bands)
{
    const int64_t ns = pk->nsido, ng = pk->regions.n - ns;
    const double *p0 = bal_yearly_at(&pk->sgg_parent, y0);
    const double *p1 = bal_yearly_at(&pk->sgg_parent, y1);
    const double *pop = bal_yearly_at(&pk->sgg_pop, y0);
    if (p0 == NULL || p1 == NULL || pop == NULL)
        return;
    const int nb = BAL_NSEX * BAL_NBAND5;
    for (int64_t g = 0; g < ng; g++) {
        if (isnan(p0[g]) || isnan(p1[g]) || p0[g] == p1[g] || isnan(pop[g]))
            continue;
        const int64_t from = (int64_t)p0[g], to = (int64_t)p1[g];
        double tot = 0.0;
        for (int i = 0; i < nb; i++)
            tot += bands[from * nb + i];
        if (!(tot > pop[g]))
            continue;
        const double f = pop[g] / tot;
        for (int i = 0; i < nb; i++) {
            const double v = bands[from * nb + i] * f;
            bands[from * nb + i] -= v;
            bands[to * nb + i] += v;
        }
    }
}

int bal_migage_pop_start(bal_ctx *ctx, const bal_datapack *pk, int y, int residents, double *pop)
{
    const size_t n = (size_t)(pk->nsido * BAL_NSEX * BAL_NBAND5);
    double *bands = bal_malloc(ctx, n * sizeof(double));
    if (bands == NULL)
        return BAL_ENOMEM;
    int st = bal_migage_pop_end(ctx, pk, y - 1, residents, bands);
    if (st == BAL_OK) {
        boundary_transfer(pk, y - 1, y, bands);
        bal_datapack_bands_spread(bands, pk->nsido, pop);
    }
    bal_free(ctx, bands);
    return st;
}

void bal_migage_boundary_shift(const bal_datapack *pk, int y0, int y1, double *delta)
{
    const int64_t ns = pk->nsido, ng = pk->regions.n - ns;
    for (int64_t r = 0; r < ns; r++)
        delta[r] = 0.0;
    const double *p0 = bal_yearly_at(&pk->sgg_parent, y0);
    const double *p1 = bal_yearly_at(&pk->sgg_parent, y1);
    const double *pop = bal_yearly_at(&pk->sgg_pop, y0);
    if (p0 == NULL || p1 == NULL || pop == NULL)
        return;
    for (int64_t g = 0; g < ng; g++) {
        if (isnan(p0[g]) || isnan(p1[g]) || p0[g] == p1[g] || isnan(pop[g]))
            continue;
        delta[(int64_t)p0[g]] -= pop[g];
        delta[(int64_t)p1[g]] += pop[g];
    }
}

static int band_of(int a)
{
    return a >= BAL_AGE_OPEN ? BAL_NBAND5 - 1 : a / 5;
}

/* Broad group of five-year band b of the end age. */
static int migb_of_band(int b)
{
    return bal_migb_of_end_age(5 * b);
}

/*
 * Expected year-end population of year y from the year-end y-1 population
 * `start` with no migration: the model's own survival and births (one step of
 * bal_demog_step with the migration rates zeroed), births then scaled to the
 * observed births of year y where the pack has them.
 *   DEATHS SOURCE: the model's death rates (p's mortality). This is the one
 *   place to switch to observed deaths by province (scale start - survivors
 *   to them) when the pack has them.
 */
static int expected_end(bal_ctx *ctx, const bal_datapack *pk, const bal_demog_params *p, int y,
                        const double *start, double *end, double *zero, double *accb,
                        bal_demog_work *w)
{
    const int64_t ns = pk->nsido;
    bal_demog_params q = *p;
    q.outrate = zero;
    q.intl = zero;
    q.redist = NULL;
    q.dest_age = NULL;
    q.tfr_target = 0.0;
    q.base_year = y - 1;
    q.base_time = y;
    bal_demog_accounts acc = {accb,          accb + ns,     accb + 2 * ns, accb + 3 * ns,
                              accb + 4 * ns, accb + 5 * ns, accb + 6 * ns};
    int st = bal_demog_step(ctx, &q, NULL, y - 1, start, end, &acc, w);
    if (st)
        return st;
    const double *bt = bal_yearly_at(&pk->births_tot, y);
    for (int64_t r = 0; r < ns; r++) {
        if (bt == NULL || isnan(bt[r * 4]) || !(acc.births[r] > 0.0))
            continue;
        const double f = bt[r * 4] / acc.births[r];
        for (int s = 0; s < BAL_NSEX; s++)
            end[bal_pidx(r, s, 0)] *= f;
    }
    return BAL_OK;
}

int bal_migage_run(bal_ctx *ctx, const bal_datapack *pk, const bal_demog_params *p,
                   const int *years, int ny, bal_migage_fit *f)
{
    const int64_t ns = pk->nsido;
    const size_t cells = (size_t)(ns * BAL_CELLS), nb5 = (size_t)ns * BAL_NBAND5,
                 nbb = (size_t)ns * BAL_MIGB;
    memset(f, 0, sizeof *f);
    f->n = ns;
    if (p->nreg != ns || ns > BAL_MAX_SIDO)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "age fit: parameters must be the sido's");
    f->obs_net = bal_calloc(ctx, nbb, sizeof(double));
    f->obs_int = bal_calloc(ctx, nbb, sizeof(double));
    f->rc_net = bal_calloc(ctx, nbb, sizeof(double));
    f->fit_net = bal_calloc(ctx, nbb, sizeof(double));
    f->gamma = bal_calloc(ctx, nbb, sizeof(double));
    f->intl5 = bal_calloc(ctx, nb5, sizeof(double));
    double *obs = bal_malloc(ctx, (size_t)ns * BAL_NSEX * BAL_NBAND5 * sizeof(double));
    double *start = bal_malloc(ctx, cells * sizeof(double));
    double *end = bal_malloc(ctx, cells * sizeof(double));
    double *zero = bal_calloc(ctx, cells, sizeof(double));
    double *accb = bal_calloc(ctx, (size_t)ns * 7, sizeof(double));
    /* pooled over the pairs: residual R, expected E and model out-migrants
       by end band; model out-migrants by group; OD net */
    double *R = bal_calloc(ctx, nb5, sizeof(double));
    double *E = bal_calloc(ctx, nb5, sizeof(double));
    double *O5 = bal_calloc(ctx, nb5, sizeof(double));
    double *N = bal_calloc(ctx, nb5, sizeof(double));
    double *OB = bal_calloc(ctx, nbb, sizeof(double));
    double *T = bal_calloc(ctx, nbb, sizeof(double));
    double *in = bal_calloc(ctx, nbb, sizeof(double));
    double odnet[BAL_MAX_SIDO] = {0};
    bal_demog_work *w = bal_demog_work_alloc(ctx, ns, ns);
    int st = BAL_OK;
    if (!f->obs_net || !f->obs_int || !f->rc_net || !f->fit_net || !f->gamma || !f->intl5 ||
        !obs || !start || !end || !zero || !accb || !R || !E || !O5 || !N || !OB ||
        !T || !in || !w) {
        st = BAL_ENOMEM;
        goto done;
    }
    const int64_t nsb = BAL_NSEX * BAL_NBAND5;
    for (int k = 0; k < ny; k++) {
        const int y = years[k];
        const double *od = bal_yearly_at(&pk->od, y);
        if (!bal_yearly_complete(&pk->od, y, ns * ns))
            continue;
        /* the same coverage at both ends: total registered where both
           year-ends exist, else residents only */
        int res;
        if (bal_yearly_complete(&pk->pop5, y - 1, ns * nsb) &&
            bal_yearly_complete(&pk->pop5, y, ns * nsb))
            res = 0;
        else if (bal_yearly_complete(&pk->pop5_res, y - 1, ns * nsb) &&
                 bal_yearly_complete(&pk->pop5_res, y, ns * nsb))
            res = 1;
        else
            continue;
        if ((st = bal_migage_pop_start(ctx, pk, y, res, start)) ||
            (st = bal_migage_pop_end(ctx, pk, y, res, obs)))
            goto done;
        if ((st = expected_end(ctx, pk, p, y, start, end, zero, accb, w)))
            goto done;
        for (int64_t r = 0; r < ns; r++) {
            for (int s = 0; s < BAL_NSEX; s++)
                for (int a = 0; a < BAL_NAGE; a++) {
                    const size_t i = bal_pidx(r, s, a);
                    const int be = band_of(a < BAL_AGE_OPEN ? a + 1 : BAL_AGE_OPEN);
                    E[r * BAL_NBAND5 + band_of(a)] += end[i];
                    R[r * BAL_NBAND5 + band_of(a)] -= end[i];
                    const double o = p->outrate[i] * start[i];
                    O5[r * BAL_NBAND5 + be] += o;
                    OB[r * BAL_MIGB + migb_of_band(be)] += o;
                }
            for (int s = 0; s < BAL_NSEX; s++)
                for (int b = 0; b < BAL_NBAND5; b++)
                    R[r * BAL_NBAND5 + b] += obs[(r * BAL_NSEX + s) * BAL_NBAND5 + b];
            for (int64_t j = 0; j < ns; j++)
                if (j != r)
                    odnet[r] += od[j * ns + r] - od[r * ns + j];
        }
        f->years[f->npairs] = y;
        f->residents[f->npairs] = res;
        f->npairs++;
    }
    if (f->npairs == 0)
        goto done;
    const double np = f->npairs;

    /* internal part: less the national residual rate of each band (the
       international moves and what is common to all provinces), then the
       smallest change, weighted by the model's movers, that makes every
       province's total its OD net and every band sum to zero */
    for (int b = 0; b < BAL_NBAND5; b++) {
        double rn = 0.0, en = 0.0;
        for (int64_t r = 0; r < ns; r++) {
            rn += R[r * BAL_NBAND5 + b];
            en += E[r * BAL_NBAND5 + b];
        }
        const double rho = en > 0.0 ? rn / en : 0.0;
        for (int64_t r = 0; r < ns; r++)
            N[r * BAL_NBAND5 + b] = R[r * BAL_NBAND5 + b] - rho * E[r * BAL_NBAND5 + b];
    }
    f->adjust_iter = bal_migage_adjust(ns, BAL_NBAND5, O5, odnet, N, 10000, 1e-6);
    if (f->adjust_iter < 0) {
        st = bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                       "age fit: the internal net migration by band does not converge");
        goto done;
    }
    for (int64_t r = 0; r < ns; r++)
        for (int b = 0; b < BAL_NBAND5; b++) {
            const int g = migb_of_band(b);
            const double nv = N[r * BAL_NBAND5 + b], rv = R[r * BAL_NBAND5 + b];
            f->obs_int[r * BAL_MIGB + g] += nv / np;
            f->obs_net[r * BAL_MIGB + g] += rv / np;
            f->intl5[r * BAL_NBAND5 + b] = (rv - nv) / np;
        }
    /* arrivals targets: the model's own movers plus the observed net, never
       below a tenth of the movers (a floor no province reaches in the data
       of 2021-2024; see docs) */
    for (size_t i = 0; i < nbb; i++) {
        T[i] = OB[i] + f->obs_int[i] * np;
        if (T[i] < 0.1 * OB[i]) {
            T[i] = 0.1 * OB[i];
            f->clamped++;
        }
        f->gamma[i] = 1.0;
    }
    if (f->clamped == 0) {
        f->ipf_iter = bal_migage_ipf(ns, BAL_MIGB, OB, p->dest, T, f->gamma, 100000, 1e-10,
                                     &f->ipf_maxrel);
        if (f->ipf_iter < 0) {
            st = bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                           "age fit: destination attractiveness does not converge (%g)",
                           f->ipf_maxrel);
            goto done;
        }
    } else {
        /* renormalise the floored targets to the movers of each group */
        for (int b = 0; b < BAL_MIGB; b++) {
            double to = 0.0, tt = 0.0;
            for (int64_t r = 0; r < ns; r++) {
                to += OB[r * BAL_MIGB + b];
                tt += T[r * BAL_MIGB + b];
            }
            for (int64_t r = 0; r < ns; r++)
                T[r * BAL_MIGB + b] *= to / tt;
        }
        f->ipf_iter = bal_migage_ipf(ns, BAL_MIGB, OB, p->dest, T, f->gamma, 100000, 1e-10,
                                     &f->ipf_maxrel);
    }
    /* the model's internal net after the fit, and before it (gamma = 1:
       the Rogers-Castro profile of the movers with the pooled shares) */
    bal_migage_arrivals(ns, BAL_MIGB, OB, p->dest, f->gamma, in);
    for (size_t i = 0; i < nbb; i++) {
        f->fit_net[i] = (in[i] - OB[i]) / np;
        T[i] = 1.0;
    }
    bal_migage_arrivals(ns, BAL_MIGB, OB, p->dest, T, in);
    for (size_t i = 0; i < nbb; i++)
        f->rc_net[i] = (in[i] - OB[i]) / np;
done:
    bal_demog_work_free(ctx, w);
    bal_free(ctx, obs);
    bal_free(ctx, start);
    bal_free(ctx, end);
    bal_free(ctx, zero);
    bal_free(ctx, accb);
    bal_free(ctx, R);
    bal_free(ctx, E);
    bal_free(ctx, O5);
    bal_free(ctx, N);
    bal_free(ctx, OB);
    bal_free(ctx, T);
    bal_free(ctx, in);
    if (st)
        bal_migage_fit_release(ctx, f);
    return st;
}
