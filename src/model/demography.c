/*
 * demography.c — life table and the yearly cohort-component step.
 *
 * See include/balance/demography.h for the method and docs/model.md for the
 * equations with their sources.
 */
#include "balance/demography.h"

#include <math.h>
#include <string.h>

/* ---- Life table -------------------------------------------------------- */

/*
 * Method: Andreev & Kingkade (2015), "Average age at death in infancy and
 * infant mortality level", Demographic Research 33(13), Table 3, as adopted
 * by the Human Mortality Database Methods Protocol v6 (2017), Table 1.
 */
double bal_demog_a0(double m0, int male)
{
    if (male) {
        if (m0 >= 0.08307)
            return 0.29915;
        if (m0 >= 0.02300)
            return 0.02832 + 3.26021 * m0;
        return 0.14929 - 1.99545 * m0;
    }
    if (m0 >= 0.06891)
        return 0.31411;
    if (m0 >= 0.01724)
        return 0.04667 + 3.88089 * m0;
    return 0.14903 - 2.05527 * m0;
}

/* Fills q, l, L (all BAL_NAGE) from m; returns 0 or -1 on bad input. */
static int lifetable_core(const double *m, int male, double *q, double *l, double *L)
{
    for (int x = 0; x < BAL_NAGE; x++)
        if (!(m[x] >= 0.0) || !isfinite(m[x]))
            return -1;
    if (!(m[BAL_AGE_OPEN] > 0.0))
        return -1;
    l[0] = 1.0;
    for (int x = 0; x < BAL_AGE_OPEN; x++) {
        double a = x == 0 ? bal_demog_a0(m[0], male) : 0.5;
        double qx = m[x] / (1.0 + (1.0 - a) * m[x]);
        if (qx > 1.0)
            qx = 1.0;
        q[x] = qx;
        double d = l[x] * qx;
        l[x + 1] = l[x] - d;
        L[x] = l[x + 1] + a * d;
    }
    q[BAL_AGE_OPEN] = 1.0;
    L[BAL_AGE_OPEN] = l[BAL_AGE_OPEN] / m[BAL_AGE_OPEN];
    return 0;
}

/* Projection survival ratios from L (see the header). */
static void survival_from_L(const double *L, double *surv, double *surv_birth)
{
    for (int a = 0; a < BAL_AGE_OPEN - 1; a++)
        surv[a] = L[a] > 0.0 ? L[a + 1] / L[a] : 0.0;
    double t100 = L[BAL_AGE_OPEN];
    double t99 = L[BAL_AGE_OPEN - 1] + t100;
    double s = t99 > 0.0 ? t100 / t99 : 0.0;
    surv[BAL_AGE_OPEN - 1] = s;
    surv[BAL_AGE_OPEN] = s;
    *surv_birth = L[0]; /* radix l(0) = 1 */
}

int bal_demog_lifetable(bal_ctx *ctx, const double *m, int male, double *q, double *l, double *L,
                  double *surv, double *surv_birth)
{
    double qb[BAL_NAGE], lb[BAL_NAGE], Lb[BAL_NAGE];
    if (lifetable_core(m, male, qb, lb, Lb) != 0)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                         "death rates must be finite and non-negative, m(100+) positive");
    if (q)
        memcpy(q, qb, sizeof qb);
    if (l)
        memcpy(l, lb, sizeof lb);
    if (L)
        memcpy(L, Lb, sizeof Lb);
    if (surv || surv_birth) {
        double sv[BAL_NAGE], sb;
        survival_from_L(Lb, sv, &sb);
        if (surv)
            memcpy(surv, sv, sizeof sv);
        if (surv_birth)
            *surv_birth = sb;
    }
    return BAL_OK;
}

double bal_demog_lifetable_e0(const double *m, int male)
{
    double q[BAL_NAGE], l[BAL_NAGE], L[BAL_NAGE];
    if (lifetable_core(m, male, q, l, L) != 0)
        return NAN;
    double t = 0.0;
    for (int x = BAL_AGE_OPEN; x >= 0; x--)
        t += L[x];
    return t;
}

/* ---- Parameters --------------------------------------------------------- */

static int params_alloc(bal_ctx *ctx, bal_demog_params *p, int64_t nreg, int64_t ngroup,
                        int nested)
{
    memset(p, 0, sizeof *p);
    p->nreg = nreg;
    p->ngroup = ngroup;
    p->improve_scale = 1.0;
    size_t cells = (size_t)(nreg * BAL_CELLS);
    p->mx_base = bal_calloc(ctx, BAL_CELLS, sizeof(double));
    p->improve = bal_calloc(ctx, BAL_CELLS, sizeof(double));
    p->mort_mult = bal_calloc(ctx, (size_t)nreg * BAL_NSEX, sizeof(double));
    p->asfr = bal_calloc(ctx, (size_t)nreg * BAL_NAGE, sizeof(double));
    p->male_share = bal_calloc(ctx, (size_t)nreg, sizeof(double));
    p->outrate = bal_calloc(ctx, cells, sizeof(double));
    p->dest = bal_calloc(ctx, (size_t)(ngroup * ngroup), sizeof(double));
    p->dest_young = bal_calloc(ctx, (size_t)(ngroup * ngroup), sizeof(double));
    p->intl = bal_calloc(ctx, cells, sizeof(double));
    int ok = p->mx_base && p->improve && p->mort_mult && p->asfr && p->male_share &&
             p->outrate && p->dest && p->dest_young && p->intl;
    if (ok && nested) {
        p->group = bal_calloc(ctx, (size_t)nreg, sizeof(int64_t));
        p->redist = bal_calloc(ctx, cells, sizeof(double));
        ok = p->group && p->redist;
    }
    if (!ok) {
        bal_demog_params_release(ctx, p);
        return BAL_ENOMEM;
    }
    return BAL_OK;
}

int bal_demog_rates_init(bal_ctx *ctx, bal_demog_rates *m, const bal_demog_params *p)
{
    memset(m, 0, sizeof *m);
    m->nreg = p->nreg;
    m->ngroup = p->ngroup;
    const size_t cells = (size_t)(p->nreg * BAL_CELLS), gg = (size_t)(p->ngroup * p->ngroup);
    m->outrate = bal_malloc(ctx, cells * sizeof(double));
    m->dest = bal_malloc(ctx, gg * sizeof(double));
    m->dest_young = bal_malloc(ctx, gg * sizeof(double));
    if (!m->outrate || !m->dest || !m->dest_young) {
        bal_demog_rates_release(ctx, m);
        return BAL_ENOMEM;
    }
    bal_demog_rates_reset(m, p);
    return BAL_OK;
}

void bal_demog_rates_reset(bal_demog_rates *m, const bal_demog_params *p)
{
    memcpy(m->outrate, p->outrate, (size_t)(p->nreg * BAL_CELLS) * sizeof(double));
    memcpy(m->dest, p->dest, (size_t)(p->ngroup * p->ngroup) * sizeof(double));
    memcpy(m->dest_young, p->dest_young, (size_t)(p->ngroup * p->ngroup) * sizeof(double));
    m->young_dest = p->young_dest;
}

void bal_demog_rates_release(bal_ctx *ctx, bal_demog_rates *m)
{
    if (m == NULL)
        return;
    bal_free(ctx, m->outrate);
    bal_free(ctx, m->dest);
    bal_free(ctx, m->dest_young);
    memset(m, 0, sizeof *m);
}

int bal_demog_params_init(bal_ctx *ctx, bal_demog_params *p, int64_t nreg)
{
    return params_alloc(ctx, p, nreg, nreg, 0);
}

int bal_demog_params_init_nested(bal_ctx *ctx, bal_demog_params *p, int64_t nreg,
                                 int64_t ngroup)
{
    return params_alloc(ctx, p, nreg, ngroup, 1);
}

void bal_demog_params_release(bal_ctx *ctx, bal_demog_params *p)
{
    if (p == NULL)
        return;
    bal_free(ctx, p->mx_base);
    bal_free(ctx, p->improve);
    bal_free(ctx, p->mort_mult);
    bal_free(ctx, p->asfr);
    bal_free(ctx, p->male_share);
    bal_free(ctx, p->outrate);
    bal_free(ctx, p->dest);
    bal_free(ctx, p->dest_young);
    bal_free(ctx, p->intl);
    bal_free(ctx, p->path_fert);
    bal_free(ctx, p->path_mort);
    bal_free(ctx, p->path_intl);
    bal_free(ctx, p->group);
    bal_free(ctx, p->redist);
    bal_free(ctx, p->dest_age);
    memset(p, 0, sizeof *p);
}

double bal_demog_tfr(const bal_demog_params *p, int64_t r)
{
    double t = 0.0;
    for (int a = 0; a < BAL_NAGE; a++)
        t += p->asfr[r * BAL_NAGE + a];
    return t;
}

static inline int64_t group_of(const bal_demog_params *p, int64_t r)
{
    return p->group ? p->group[r] : r;
}

int bal_demog_params_check(bal_ctx *ctx, const bal_demog_params *p)
{
    const int64_t n = p->nreg, ng = p->ngroup;
    if (n < 1 || ng < 1 || ng > n || (p->group == NULL && ng != n))
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "region and group counts are inconsistent");
    for (int i = 0; i < BAL_CELLS; i++)
        if (!(p->mx_base[i] >= 0.0) || !isfinite(p->mx_base[i]) || !isfinite(p->improve[i]))
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "death rate %d invalid", i);
    for (int s = 0; s < BAL_NSEX; s++)
        if (!(p->mx_base[s * BAL_NAGE + BAL_AGE_OPEN] > 0.0))
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "death rate at 100+ must be positive");
    if (!(p->improve_scale >= 0.0) || !isfinite(p->improve_scale))
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "mortality improvement scale must be >= 0");
    for (int64_t r = 0; r < n; r++) {
        if (group_of(p, r) < 0 || group_of(p, r) >= ng)
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "group of region %lld out of range",
                             (long long)r);
        for (int s = 0; s < BAL_NSEX; s++)
            if (!(p->mort_mult[r * BAL_NSEX + s] > 0.0) ||
                !isfinite(p->mort_mult[r * BAL_NSEX + s]))
                return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "mortality multiplier invalid");
        for (int a = 0; a < BAL_NAGE; a++)
            if (!(p->asfr[r * BAL_NAGE + a] >= 0.0) || !(p->asfr[r * BAL_NAGE + a] < 1.0))
                return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "fertility rate out of [0, 1)");
        if (!(p->male_share[r] > 0.0 && p->male_share[r] < 1.0))
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "male share at birth out of (0, 1)");
        for (int i = 0; i < BAL_CELLS; i++) {
            double o = p->outrate[r * BAL_CELLS + i];
            double v = p->redist ? p->redist[r * BAL_CELLS + i] : 0.0;
            if (!(o >= 0.0 && o <= 1.0))
                return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "out-migration rate out of [0, 1]");
            if (!isfinite(v) || !(o + (v < 0.0 ? -v : 0.0) <= 1.0))
                return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                                 "within-group migration rate invalid (region %lld)",
                                 (long long)r);
            if (!isfinite(p->intl[r * BAL_CELLS + i]))
                return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "international migration invalid");
        }
    }
    /* every group has a region, or its arrivals would vanish */
    for (int64_t g = 0; p->group && g < ng; g++) {
        int64_t r = 0;
        while (r < n && p->group[r] != g)
            r++;
        if (r == n)
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "group %lld has no region",
                             (long long)g);
    }
    for (int pass = 0; pass < 1 + (p->young_dest != 0); pass++) {
        const double *dm = pass ? p->dest_young : p->dest;
        const char *what = pass ? "young destination" : "destination";
        for (int64_t g = 0; g < ng; g++) {
            double sum = 0.0;
            for (int64_t h = 0; h < ng; h++) {
                double d = dm[g * ng + h];
                if (!(d >= 0.0 && d <= 1.0) || (h == g && d != 0.0))
                    return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "%s share invalid", what);
                sum += d;
            }
            if (ng > 1 && fabs(sum - 1.0) > 1e-12)
                return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                                 "%s shares of region %lld sum to %.15g, not 1", what,
                                 (long long)g, sum);
        }
    }
    for (int k = 0; k < p->path_n; k++) {
        int ok = p->path_fert[k] > 0.0 && isfinite(p->path_fert[k]) && isfinite(p->path_intl[k]);
        for (int s = 0; s < BAL_NSEX; s++)
            ok = ok && p->path_mort[k * BAL_NSEX + s] > 0.0 &&
                 isfinite(p->path_mort[k * BAL_NSEX + s]);
        if (!ok)
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "variant path invalid at step %d", k);
    }
    for (int64_t i = 0; p->dest_age && i < ng * BAL_MIGB; i++)
        if (!(p->dest_age[i] > 0.0) || !isfinite(p->dest_age[i]))
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                             "destination attractiveness by age must be positive");
    if (p->tfr_target > 0.0 && p->tfr_target_year <= p->base_year)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "TFR target year must follow the base year");
    return BAL_OK;
}

int bal_demog_params_paths(bal_ctx *ctx, bal_demog_params *p, int n)
{
    bal_free(ctx, p->path_fert);
    bal_free(ctx, p->path_mort);
    bal_free(ctx, p->path_intl);
    p->path_fert = p->path_mort = p->path_intl = NULL;
    p->path_n = 0;
    if (n <= 0)
        return BAL_OK;
    p->path_fert = bal_malloc(ctx, (size_t)n * sizeof(double));
    p->path_mort = bal_malloc(ctx, (size_t)n * BAL_NSEX * sizeof(double));
    p->path_intl = bal_malloc(ctx, (size_t)n * sizeof(double));
    if (!p->path_fert || !p->path_mort || !p->path_intl) {
        bal_demog_params_paths(ctx, p, 0);
        return BAL_ENOMEM;
    }
    for (int k = 0; k < n; k++) {
        p->path_fert[k] = p->path_intl[k] = 1.0;
        for (int s = 0; s < BAL_NSEX; s++)
            p->path_mort[k * BAL_NSEX + s] = 1.0;
    }
    p->path_n = n;
    return BAL_OK;
}

int bal_demog_params_copy_paths(bal_ctx *ctx, bal_demog_params *to, const bal_demog_params *from)
{
    int st = bal_demog_params_paths(ctx, to, from->path_n);
    if (st || from->path_n == 0)
        return st;
    const size_t n = (size_t)from->path_n;
    memcpy(to->path_fert, from->path_fert, n * sizeof(double));
    memcpy(to->path_mort, from->path_mort, n * BAL_NSEX * sizeof(double));
    memcpy(to->path_intl, from->path_intl, n * sizeof(double));
    return BAL_OK;
}

/* ---- Step ----------------------------------------------------------------- */

struct bal_demog_work {
    int64_t nreg, ngroup;
    double *mig;      /* [region][cell] population after migration */
    double *gout;     /* [group][cell] out-migrants to other groups */
    double *gin;      /* [group][cell] in-migrants from other groups */
    double *gpop;     /* [group][cell] start population */
    double *lpool;    /* [group][cell] within-group movers */
    double *lwt;      /* [group][cell] sum of the gainers' weights */
    double *gtot;     /* [group] start population, all cells */
    double *gsize;    /* [group] regions in the group */
    double mnat[BAL_CELLS]; /* national death rates of the step */
    double ff;              /* fertility factor of the step */
};

bal_demog_work *bal_demog_work_alloc(bal_ctx *ctx, int64_t nreg, int64_t ngroup)
{
    bal_demog_work *w = bal_calloc(ctx, 1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->nreg = nreg;
    w->ngroup = ngroup;
    const size_t gc = (size_t)(ngroup * BAL_CELLS);
    w->mig = bal_calloc(ctx, (size_t)(nreg * BAL_CELLS), sizeof(double));
    w->gout = bal_calloc(ctx, gc, sizeof(double));
    w->gin = bal_calloc(ctx, gc, sizeof(double));
    w->gpop = bal_calloc(ctx, gc, sizeof(double));
    w->lpool = bal_calloc(ctx, gc, sizeof(double));
    w->lwt = bal_calloc(ctx, gc, sizeof(double));
    w->gtot = bal_calloc(ctx, (size_t)ngroup, sizeof(double));
    w->gsize = bal_calloc(ctx, (size_t)ngroup, sizeof(double));
    if (!w->mig || !w->gout || !w->gin || !w->gpop || !w->lpool || !w->lwt || !w->gtot ||
        !w->gsize) {
        bal_demog_work_free(ctx, w);
        return NULL;
    }
    return w;
}

void bal_demog_work_free(bal_ctx *ctx, bal_demog_work *w)
{
    if (w == NULL)
        return;
    bal_free(ctx, w->mig);
    bal_free(ctx, w->gout);
    bal_free(ctx, w->gin);
    bal_free(ctx, w->gpop);
    bal_free(ctx, w->lpool);
    bal_free(ctx, w->lwt);
    bal_free(ctx, w->gtot);
    bal_free(ctx, w->gsize);
    bal_free(ctx, w);
}

/* Fertility scale factor for the step starting `year` (linear path in TFR). */
static double fert_factor(const bal_demog_params *p, int year, double tfr0)
{
    if (!(p->tfr_target > 0.0) || !(tfr0 > 0.0))
        return 1.0;
    double span = (double)(p->tfr_target_year - p->base_year);
    double frac = ((double)(year - p->base_year) + 0.5) / span;
    if (frac > 1.0)
        frac = 1.0;
    if (frac < 0.0)
        frac = 0.0;
    return 1.0 + (p->tfr_target / tfr0 - 1.0) * frac;
}

/* Step 1a: migration between groups. Cost O(nreg * cells + ngroup^2 * cells). */
static void migrate_between(const bal_demog_params *p, const bal_demog_rates *m, const double *pop_in,
                            bal_demog_accounts *acc, bal_demog_work *w)
{
    const int64_t n = p->nreg, ng = p->ngroup;
    const size_t gc = (size_t)(ng * BAL_CELLS);
    memset(w->gout, 0, gc * sizeof(double));
    memset(w->gin, 0, gc * sizeof(double));
    memset(w->gpop, 0, gc * sizeof(double));
    memset(w->gtot, 0, (size_t)ng * sizeof(double));
    memset(w->gsize, 0, (size_t)ng * sizeof(double));
    for (int64_t r = 0; r < n; r++) {
        const int64_t g = group_of(p, r);
        const double *rate = (m ? m->outrate : p->outrate) + r * BAL_CELLS;
        const double *pin = pop_in + r * BAL_CELLS;
        double *mg = w->mig + r * BAL_CELLS;
        double *go = w->gout + g * BAL_CELLS, *gp = w->gpop + g * BAL_CELLS;
        double out_r = 0.0, tot = 0.0;
        for (int i = 0; i < BAL_CELLS; i++) {
            double o = rate[i] * pin[i];
            mg[i] -= o;
            go[i] += o;
            out_r += o;
            gp[i] += pin[i];
            tot += pin[i];
        }
        acc->out[r] = out_r;
        w->gtot[g] += tot;
        w->gsize[g] += 1.0;
    }
    for (int64_t g = 0; g < ng; g++) {
        const double *go = w->gout + g * BAL_CELLS;
        const double *dest = m ? m->dest : p->dest;
        const double *d = dest + g * ng;
        const double *dy = (m ? (m->young_dest ? m->dest_young : m->dest)
                              : (p->young_dest ? p->dest_young : p->dest)) +
                           g * ng;
        if (p->dest_age == NULL) {
            for (int64_t h = 0; h < ng; h++) {
                if (d[h] == 0.0 && dy[h] == 0.0)
                    continue;
                double *gi = w->gin + h * BAL_CELLS;
                for (int s = 0; s < BAL_NSEX; s++) {
                    const int64_t o = (int64_t)s * BAL_NAGE;
                    for (int a = 0; a < BAL_YOUNG_LO; a++)
                        gi[o + a] += go[o + a] * d[h];
                    for (int a = BAL_YOUNG_LO; a <= BAL_YOUNG_HI; a++)
                        gi[o + a] += go[o + a] * dy[h];
                    for (int a = BAL_YOUNG_HI + 1; a < BAL_NAGE; a++)
                        gi[o + a] += go[o + a] * d[h];
                }
            }
            continue;
        }
        /* attractiveness by age group: shares d γ(·,b) renormalised per group */
        double nd[BAL_MIGB], ny[BAL_MIGB];
        for (int b = 0; b < BAL_MIGB; b++) {
            nd[b] = ny[b] = 0.0;
            for (int64_t h = 0; h < ng; h++) {
                nd[b] += d[h] * p->dest_age[h * BAL_MIGB + b];
                ny[b] += dy[h] * p->dest_age[h * BAL_MIGB + b];
            }
        }
        for (int64_t h = 0; h < ng; h++) {
            if (d[h] == 0.0 && dy[h] == 0.0)
                continue;
            const double *gh = p->dest_age + h * BAL_MIGB;
            double *gi = w->gin + h * BAL_CELLS;
            /* the share of each age group (and the young's) to h, computed
               once per pair rather than per cell (the same quotients) */
            double fd[BAL_MIGB], fy[BAL_MIGB];
            for (int b = 0; b < BAL_MIGB; b++) {
                const double nmd = d[h] * gh[b], nmy = dy[h] * gh[b];
                fd[b] = nmd > 0.0 ? nmd / nd[b] : 0.0;
                fy[b] = nmy > 0.0 ? nmy / ny[b] : 0.0;
            }
            for (int s = 0; s < BAL_NSEX; s++) {
                const int64_t o = (int64_t)s * BAL_NAGE;
                for (int a = 0; a < BAL_NAGE; a++) {
                    const int b = bal_migb_of_start_age(a);
                    const double f = a >= BAL_YOUNG_LO && a <= BAL_YOUNG_HI ? fy[b] : fd[b];
                    if (f > 0.0)
                        gi[o + a] += go[o + a] * f;
                }
            }
        }
    }
    /* arrivals per resident of each group cell (gpop is reused for it);
       cells of a group with nobody in them are marked -1 */
    int64_t empty = 0;
    for (size_t i = 0; i < gc; i++) {
        if (w->gpop[i] > 0.0) {
            w->gpop[i] = w->gin[i] / w->gpop[i];
        } else {
            w->gpop[i] = -1.0;
            empty += w->gin[i] > 0.0;
        }
    }
    for (int64_t r = 0; r < n; r++) {
        const int64_t g = group_of(p, r);
        const double *gi = w->gin + g * BAL_CELLS, *ratio = w->gpop + g * BAL_CELLS;
        const double *pin = pop_in + r * BAL_CELLS;
        double *mg = w->mig + r * BAL_CELLS;
        double in_r = 0.0;
        for (int i = 0; i < BAL_CELLS; i++) {
            double f = ratio[i] > 0.0 ? pin[i] * ratio[i] : 0.0;
            mg[i] += f;
            in_r += f;
        }
        if (empty > 0) {
            /* arrivals in cells where the group has nobody of that sex and
               age: shared by the regions' total populations */
            double tot = 0.0;
            for (int i = 0; i < BAL_CELLS; i++)
                tot += pin[i];
            const double fb = w->gtot[g] > 0.0 ? tot / w->gtot[g] : 1.0 / w->gsize[g];
            for (int i = 0; i < BAL_CELLS; i++)
                if (ratio[i] < 0.0 && gi[i] > 0.0) {
                    double f = gi[i] * fb;
                    mg[i] += f;
                    in_r += f;
                }
        }
        acc->in[r] = in_r;
    }
}

/* Step 1b: zero-sum redistribution within each group. O(nreg * cells). */
static void migrate_within(const bal_demog_params *p, double fade, const double *pop_in,
                           bal_demog_accounts *acc, bal_demog_work *w)
{
    const int64_t n = p->nreg;
    const size_t gc = (size_t)(p->ngroup * BAL_CELLS);
    memset(w->lpool, 0, gc * sizeof(double));
    memset(w->lwt, 0, gc * sizeof(double));
    for (int64_t r = 0; r < n; r++) {
        const int64_t g = group_of(p, r);
        const double *v = p->redist + r * BAL_CELLS, *pin = pop_in + r * BAL_CELLS;
        double *lp = w->lpool + g * BAL_CELLS, *lw = w->lwt + g * BAL_CELLS;
        for (int i = 0; i < BAL_CELLS; i++) {
            double x = fade * v[i] * pin[i];
            if (x < 0.0)
                lp[i] -= x;
            else
                lw[i] += x;
        }
    }
    for (int64_t r = 0; r < n; r++) {
        const int64_t g = group_of(p, r);
        const double *v = p->redist + r * BAL_CELLS, *pin = pop_in + r * BAL_CELLS;
        const double *lp = w->lpool + g * BAL_CELLS, *lw = w->lwt + g * BAL_CELLS;
        double *mg = w->mig + r * BAL_CELLS;
        double in_r = 0.0, out_r = 0.0;
        for (int i = 0; i < BAL_CELLS; i++) {
            /* a cell moves only when it has both senders and receivers */
            if (!(lw[i] > 0.0) || !(lp[i] > 0.0))
                continue;
            double x = fade * v[i] * pin[i];
            if (x < 0.0) {
                mg[i] += x;
                out_r -= x;
            } else if (x > 0.0) {
                double f = lp[i] * (x / lw[i]);
                mg[i] += f;
                in_r += f;
            }
        }
        acc->in_local[r] = in_r;
        acc->out_local[r] = out_r;
    }
}

int bal_demog_step_begin(bal_ctx *ctx, const bal_demog_params *p, const bal_demog_rates *m,
                         int year, const double *pop_in, bal_demog_accounts *acc,
                         bal_demog_work *w)
{
    const int64_t n = p->nreg;
    if (w->nreg != n || w->ngroup != p->ngroup)
        return bal_raise(ctx, BAL_EINTERNAL, NULL, 0, "workspace sized for another region count");
    double *mig = w->mig;
    memcpy(mig, pop_in, (size_t)(n * BAL_CELLS) * sizeof(double));
    for (int64_t r = 0; r < n; r++)
        acc->in[r] = acc->out[r] = acc->in_local[r] = acc->out_local[r] = acc->intl[r] =
            acc->births[r] = acc->deaths[r] = 0.0;

    /* 1. internal migration on the start population */
    migrate_between(p, m, pop_in, acc, w);
    if (p->redist) {
        double fade = 1.0;
        if (p->redist_halflife > 0.0)
            fade = exp2(-(double)(year - p->base_year) / p->redist_halflife);
        migrate_within(p, fade, pop_in, acc, w);
    }

    /* the variant's multipliers of this step (1 without paths) */
    int kp = year - p->base_year;
    if (kp >= p->path_n)
        kp = p->path_n - 1;
    if (kp < 0)
        kp = 0;
    const double pf = p->path_n > 0 ? p->path_fert[kp] : 1.0;
    const double pintl = p->path_n > 0 ? p->path_intl[kp] : 1.0;
    const double pmort[BAL_NSEX] = {p->path_n > 0 ? p->path_mort[kp * BAL_NSEX] : 1.0,
                                 p->path_n > 0 ? p->path_mort[kp * BAL_NSEX + 1] : 1.0};

    /* 2. net international migration, never more emigrants than people */
    for (int64_t r = 0; r < n; r++) {
        double net = 0.0;
        for (int i = 0; i < BAL_CELLS; i++) {
            double *c = &mig[r * BAL_CELLS + i];
            double v = p->intl[r * BAL_CELLS + i] * pintl;
            if (*c + v < 0.0)
                v = -*c;
            *c += v;
            net += v;
        }
        acc->intl[r] = net;
    }

    /* national death rates at the middle of this step; regions scale them */
    const double t = p->base_time + (double)(year - p->base_year) + 0.5 - p->mx_time;
    for (int i = 0; i < BAL_CELLS; i++)
        w->mnat[i] = p->mx_base[i] * exp(-p->improve[i] * p->improve_scale * t) *
                     pmort[i / BAL_NAGE];
    w->ff = fert_factor(p, year, p->tfr_reference) * pf;
    return BAL_OK;
}

int bal_demog_step_survive(const bal_demog_params *p, const bal_demog_work *w, int64_t r0,
                           int64_t r1, double *pop_out, bal_demog_accounts *acc,
                           bal_demog_scratch *sc)
{
    const double *mig = w->mig;
    const double ff = w->ff;
    for (int64_t r = r0; r < r1; r++) {
        double *po = pop_out + r * BAL_CELLS;
        double deaths = 0.0;
        double sb[BAL_NSEX];
        for (int s = 0; s < BAL_NSEX; s++) {
            /* 3. survival with this region's and year's death rates */
            const double mult = p->mort_mult[r * BAL_NSEX + s];
            for (int a = 0; a < BAL_NAGE; a++)
                sc->m[a] = w->mnat[s * BAL_NAGE + a] * mult;
            if (lifetable_core(sc->m, s == BAL_MALE, sc->q, sc->l, sc->L) != 0)
                return -1;
            survival_from_L(sc->L, sc->surv, &sb[s]);
            const double *pm = mig + (r * BAL_NSEX + s) * BAL_NAGE;
            double *ps = po + s * BAL_NAGE;
            for (int a = 0; a < BAL_AGE_OPEN - 1; a++) {
                double alive = pm[a] * sc->surv[a];
                ps[a + 1] = alive;
                deaths += pm[a] - alive;
            }
            double open_in = pm[BAL_AGE_OPEN - 1] + pm[BAL_AGE_OPEN];
            double open_alive = open_in * sc->surv[BAL_AGE_OPEN];
            ps[BAL_AGE_OPEN] = open_alive;
            deaths += open_in - open_alive;
        }
        /* 4. births to the women after migration, exposure (F(a) + F(a-1)) / 2 */
        const double *f = p->asfr + r * BAL_NAGE;
        const double *fem = mig + (r * BAL_NSEX + BAL_FEMALE) * BAL_NAGE;
        double births = 0.0;
        for (int a = 0; a < BAL_NAGE; a++) {
            if (f[a] == 0.0)
                continue;
            double expo = 0.5 * (fem[a] + (a > 0 ? fem[a - 1] : 0.0));
            births += f[a] * expo;
        }
        births *= ff;
        double boys = births * p->male_share[r];
        double girls = births - boys;
        po[BAL_FEMALE * BAL_NAGE] = girls * sb[BAL_FEMALE];
        po[BAL_MALE * BAL_NAGE] = boys * sb[BAL_MALE];
        deaths += girls - po[BAL_FEMALE * BAL_NAGE] + boys - po[BAL_MALE * BAL_NAGE];
        acc->births[r] = births;
        acc->deaths[r] = deaths;
    }
    return 0;
}

int bal_demog_step(bal_ctx *ctx, const bal_demog_params *p, const bal_demog_rates *m, int year,
                   const double *pop_in, double *pop_out, bal_demog_accounts *acc,
                   bal_demog_work *w)
{
    int st = bal_demog_step_begin(ctx, p, m, year, pop_in, acc, w);
    if (st)
        return st;
    bal_demog_scratch sc;
    if (bal_demog_step_survive(p, w, 0, p->nreg, pop_out, acc, &sc) != 0)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "death rates must be finite and non-negative");
    return BAL_OK;
}
