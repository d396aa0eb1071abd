/*
 * economy.c — the regional economy (docs/model.md §13.1): employment from the
 * working-age population, market size over travel times, output with
 * agglomeration and capital, per sido and sector. Pure: no I/O, no globals.
 */
#include "balance/economy.h"

#include <math.h>
#include <string.h>

static const char *const SECTOR_NAMES[BAL_NSEC] = {
    "agriculture_mining", "light_manufacturing", "petrochemicals", "bio",
    "steel_metals", "semiconductors", "electronics", "future_cars",
    "shipbuilding_machinery", "energy", "construction", "ai_software",
    "port_logistics", "services"};

const char *bal_econ_sector_name(int k)
{
    return k >= 0 && k < BAL_NSEC ? SECTOR_NAMES[k] : "";
}

int bal_econ_sector_find(const char *name)
{
    for (int k = 0; k < BAL_NSEC; k++)
        if (strcmp(name, SECTOR_NAMES[k]) == 0)
            return k;
    return -1;
}

int bal_econ_params_init(bal_ctx *ctx, bal_econ_params *p, int64_t n)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    const size_t nk = (size_t)n * BAL_NSEC;
    p->va0 = bal_calloc(ctx, nk, sizeof(double));
    p->ntax0 = bal_calloc(ctx, (size_t)n, sizeof(double));
    p->e1 = bal_calloc(ctx, (size_t)n, sizeof(double));
    p->e2 = bal_calloc(ctx, (size_t)n, sizeof(double));
    p->travel0 = bal_calloc(ctx, (size_t)(n * n), sizeof(double));
    if (!p->va0 || !p->ntax0 || !p->e1 || !p->e2 || !p->travel0) {
        bal_econ_params_release(ctx, p);
        return BAL_ENOMEM;
    }
    return BAL_OK;
}

void bal_econ_params_release(bal_ctx *ctx, bal_econ_params *p)
{
    if (p == NULL)
        return;
    bal_free(ctx, p->va0);
    bal_free(ctx, p->ntax0);
    bal_free(ctx, p->e1);
    bal_free(ctx, p->e2);
    bal_free(ctx, p->travel0);
    memset(p, 0, sizeof *p);
}

int bal_econ_levers_init(bal_ctx *ctx, bal_econ_levers *l, const bal_econ_params *p)
{
    memset(l, 0, sizeof *l);
    const size_t nk = (size_t)p->n * BAL_NSEC;
    l->prod_mult = bal_calloc(ctx, nk, sizeof(double));
    l->invest = bal_calloc(ctx, nk, sizeof(double));
    l->skilled = bal_calloc(ctx, nk, sizeof(double));
    l->travel = bal_calloc(ctx, (size_t)(p->n * p->n), sizeof(double));
    if (!l->prod_mult || !l->invest || !l->skilled || !l->travel) {
        bal_econ_levers_release(ctx, l);
        return BAL_ENOMEM;
    }
    bal_econ_levers_reset(l, p);
    return BAL_OK;
}

void bal_econ_levers_reset(bal_econ_levers *l, const bal_econ_params *p)
{
    const size_t nk = (size_t)p->n * BAL_NSEC;
    for (size_t i = 0; i < nk; i++) {
        l->prod_mult[i] = 1.0;
        l->invest[i] = 0.0;
        l->skilled[i] = 0.0;
    }
    memcpy(l->travel, p->travel0, (size_t)(p->n * p->n) * sizeof(double));
}

void bal_econ_levers_release(bal_ctx *ctx, bal_econ_levers *l)
{
    if (l == NULL)
        return;
    bal_free(ctx, l->prod_mult);
    bal_free(ctx, l->invest);
    bal_free(ctx, l->skilled);
    bal_free(ctx, l->travel);
    memset(l, 0, sizeof *l);
}

void bal_econ_release(bal_ctx *ctx, bal_econ_state *s)
{
    if (s == NULL)
        return;
    bal_free(ctx, s->atil);
    memset(s, 0, sizeof *s);
}

/* One block holds every array of the state. */
enum { ST_ATIL, ST_K, ST_E, ST_Y, ST_NK };
enum { ST_X, ST_GRDP, ST_EMP, ST_RATE, ST_WAGE, ST_N1 };

static int check_pop(bal_ctx *ctx, const bal_econ_params *p, const bal_econ_pop *pop)
{
    for (int64_t r = 0; r < p->n; r++)
        if (!(pop->pop[r] >= 0.0 && pop->p1564[r] >= 0.0 && pop->p65[r] >= 0.0) ||
            !isfinite(pop->pop[r]) || !isfinite(pop->p1564[r]) || !isfinite(pop->p65[r]))
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "economy: population of region %lld invalid",
                             (long long)r);
    return BAL_OK;
}

/* Employment, market size and output of the year into s (capital as held). */
static void produce(const bal_econ_params *p, const bal_econ_levers *l, const bal_econ_pop *pop,
                    double tfp_years, bal_econ_state *s, int calibrate)
{
    const int64_t n = p->n;
    for (int64_t r = 0; r < n; r++) {
        const double es = p->e1[r] * pop->p1564[r] + p->e2[r] * pop->p65[r];
        double va = 0.0, emp = 0.0;
        for (int k = 0; k < BAL_NSEC; k++)
            if (p->va0[r * BAL_NSEC + k] > 0.0)
                va += p->va0[r * BAL_NSEC + k];
        for (int k = 0; k < BAL_NSEC; k++) {
            const size_t i = (size_t)(r * BAL_NSEC + k);
            /* a sector with negative base value added (2022 utilities in five
               sido) employs nobody and keeps its base value (§13.1) */
            const double sh = va > 0.0 && p->va0[i] > 0.0 ? p->va0[i] / va : 0.0;
            const double m = l ? l->prod_mult[i] : 1.0;
            double e = sh * es * (p->eta != 0.0 ? pow(m, p->eta) : 1.0);
            if (l)
                e += l->skilled[i];
            s->E[i] = e;
            emp += e;
        }
        s->emp[r] = emp;
        const double p15 = pop->p1564[r] + pop->p65[r];
        s->emp_rate[r] = p15 > 0.0 ? 100.0 * emp / p15 : 0.0;
    }
    const double *T = l ? l->travel : p->travel0;
    for (int64_t r = 0; r < n; r++) {
        double x = 0.0;
        for (int64_t j = 0; j < n; j++)
            x += s->emp[j] * exp(-T[r * n + j] / p->tau0);
        s->X[r] = x;
    }
    for (int64_t r = 0; r < n; r++) {
        const double agg = s->X[r] > 0.0 ? pow(s->X[r], p->eps) : 0.0;
        double y = 0.0;
        for (int k = 0; k < BAL_NSEC; k++) {
            const size_t i = (size_t)(r * BAL_NSEC + k);
            const double ke = s->E[i] > 0.0 ? pow(s->K[i], p->alpha) * pow(s->E[i], 1.0 - p->alpha)
                                            : 0.0;
            if (calibrate)
                s->atil[i] = agg * ke > 0.0 ? p->va0[i] / (agg * ke) : 0.0;
            const double m = l ? l->prod_mult[i] : 1.0;
            s->Y[i] = p->va0[i] <= 0.0 ? p->va0[i]
                                       : s->atil[i] * exp(p->g[k] * tfp_years) * m * agg * ke;
            y += s->Y[i];
        }
        s->grdp[r] = y * (1.0 + p->ntax0[r]);
        s->wage[r] = s->emp[r] > 0.0 ? (1.0 - p->alpha) * y / s->emp[r] : 0.0;
    }
}

int bal_econ_init(bal_ctx *ctx, bal_econ_state *s, const bal_econ_params *p,
                  const bal_econ_pop *base)
{
    memset(s, 0, sizeof *s);
    if (!(p->alpha > 0.0 && p->alpha < 1.0) || !(p->tau0 > 0.0) || !(p->kappa > 0.0) ||
        !(p->delta >= 0.0 && p->delta < 1.0))
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "economy: parameters out of range");
    int st = check_pop(ctx, p, base);
    if (st)
        return st;
    const int64_t n = p->n;
    const size_t nk = (size_t)n * BAL_NSEC;
    double *blk = bal_calloc(ctx, ST_NK * nk + ST_N1 * (size_t)n, sizeof(double));
    if (blk == NULL)
        return BAL_ENOMEM;
    s->n = n;
    s->atil = blk;
    s->K = blk + ST_K * nk;
    s->E = blk + ST_E * nk;
    s->Y = blk + ST_Y * nk;
    double *b1 = blk + ST_NK * nk;
    s->X = b1 + ST_X * n;
    s->grdp = b1 + ST_GRDP * n;
    s->emp = b1 + ST_EMP * n;
    s->emp_rate = b1 + ST_RATE * n;
    s->wage = b1 + ST_WAGE * n;
    for (size_t i = 0; i < nk; i++)
        s->K[i] = p->va0[i] > 0.0 ? p->kappa * p->va0[i] : 0.0;
    produce(p, NULL, base, 0.0, s, 1);
    s->t = 0;
    return BAL_OK;
}

int bal_econ_step(bal_ctx *ctx, const bal_econ_params *p, const bal_econ_levers *l,
                  const bal_econ_pop *pop, bal_econ_state *s)
{
    int st = check_pop(ctx, p, pop);
    if (st)
        return st;
    produce(p, l, pop, (double)s->t, s, 0);
    const size_t nk = (size_t)p->n * BAL_NSEC;
    for (size_t i = 0; i < nk; i++) {
        const int k = (int)(i % BAL_NSEC);
        const double save = p->kappa * (p->delta + p->g[k] / (1.0 - p->alpha));
        const double inv = l ? l->invest[i] : 0.0;
        if (!isfinite(inv))
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "economy: investment inflow invalid");
        const double k1 = (1.0 - p->delta) * s->K[i] + (s->Y[i] > 0.0 ? save * s->Y[i] : 0.0) + inv;
        s->K[i] = k1 > 0.0 ? k1 : 0.0;
    }
    s->t++;
    return BAL_OK;
}
