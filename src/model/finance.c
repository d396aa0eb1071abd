/*
 * finance.c — taxes, their national/local split, the transfers and the local
 * budgets of a year (docs/model.md §13.2). Pure: no I/O, no globals.
 */
#include "balance/economy.h"

#include <math.h>
#include <string.h>

static const char *const TAX_NAMES[BAL_NTAX] = {"income", "corporate", "vat", "property",
                                                "other"};

const char *bal_fin_tax_name(int k)
{
    return k >= 0 && k < BAL_NTAX ? TAX_NAMES[k] : "";
}

int bal_fin_params_init(bal_ctx *ctx, bal_fin_params *p, int64_t n)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    p->need_weight = bal_calloc(ctx, 4 * (size_t)n, sizeof(double));
    if (p->need_weight == NULL)
        return BAL_ENOMEM;
    p->income_rel = p->need_weight + n;
    p->wage0 = p->income_rel + n;
    p->area = NULL; /* the caller points it at p->wage0 + n (bal_fin_params_area) or its own */
    for (int64_t r = 0; r < n; r++)
        p->need_weight[r] = p->income_rel[r] = 1.0;
    return BAL_OK;
}

void bal_fin_params_release(bal_ctx *ctx, bal_fin_params *p)
{
    if (p == NULL)
        return;
    bal_free(ctx, p->need_weight);
    memset(p, 0, sizeof *p);
}

double *bal_fin_params_area(bal_fin_params *p)
{
    return p->wage0 + p->n;
}

enum { F_TAX0 = 0, F_LOCAL = BAL_NTAX, F_NONTAX, F_LAT, F_SUB, F_BUDGET, F_SELF, F_NEED, F_REV,
       F_N };

int bal_fin_state_init(bal_ctx *ctx, bal_fin_state *s, int64_t n)
{
    memset(s, 0, sizeof *s);
    double *b = bal_calloc(ctx, (size_t)(F_N * n), sizeof(double));
    if (b == NULL)
        return BAL_ENOMEM;
    s->n = n;
    s->tax = b; /* [n][BAL_NTAX] */
    s->local_tax = b + F_LOCAL * n;
    s->nontax = b + F_NONTAX * n;
    s->lat = b + F_LAT * n;
    s->subsidy = b + F_SUB * n;
    s->budget = b + F_BUDGET * n;
    s->self_reliance = b + F_SELF * n;
    s->need = b + F_NEED * n;
    s->revenue = b + F_REV * n;
    return BAL_OK;
}

void bal_fin_state_release(bal_ctx *ctx, bal_fin_state *s)
{
    if (s == NULL)
        return;
    bal_free(ctx, s->tax);
    memset(s, 0, sizeof *s);
}

/* Tax bases of region r (docs/model.md §13.2). */
static void bases(const bal_fin_params *p, const bal_econ_params *ep, const bal_econ_state *e,
                  const double *pop, double gdp_pc_nat, int64_t r, double *b)
{
    double y = 0.0;
    for (int k = 0; k < BAL_NSEC; k++)
        y += e->Y[r * BAL_NSEC + k];
    const double w = p->wage0[r] > 0.0 ? e->wage[r] / p->wage0[r] : 1.0;
    const double h = pop[r] * p->income_rel[r] * w;
    b[BAL_TAX_INCOME] = h;
    b[BAL_TAX_CORPORATE] = ep->alpha * y;
    b[BAL_TAX_VAT] = h;
    b[BAL_TAX_PROPERTY] = h;
    b[BAL_TAX_OTHER] = pop[r] * gdp_pc_nat;
}

void bal_fin_bases(const bal_fin_params *p, const bal_econ_params *ep, const bal_econ_state *e,
                   const double *pop, double *b)
{
    double gdp = 0.0, ptot = 0.0;
    for (int64_t r = 0; r < p->n; r++) {
        gdp += e->grdp[r];
        ptot += pop[r];
    }
    for (int k = 0; k < BAL_NTAX; k++)
        b[k] = 0.0;
    for (int64_t r = 0; r < p->n; r++) {
        double x[BAL_NTAX];
        bases(p, ep, e, pop, ptot > 0.0 ? gdp / ptot : 0.0, r, x);
        for (int k = 0; k < BAL_NTAX; k++)
            b[k] += x[k];
    }
}

/* Standard need less the counted own taxes of region r, if positive
   (the base weights; calibration). */
static double need_gap(const bal_fin_params *p, double need_pc, int64_t r, double pop,
                       double local_tax)
{
    const double g = need_pc * p->need_weight[r] * pop - p->lat_own_weight * local_tax;
    return g > 0.0 ? g : 0.0;
}

double bal_fin_total_gap(const bal_fin_params *p, double need_pc, const double *pop,
                         const double *local_tax)
{
    double gap = 0.0;
    for (int64_t r = 0; r < p->n; r++)
        gap += need_gap(p, need_pc, r, pop[r], local_tax[r]);
    return gap;
}

void bal_fin_need(const bal_fin_params *p, const double *pop, double gdp_pc, double *need)
{
    /* unit cost: the base one, indexed to national GDP per person */
    const double u = p->gdp_pc0 > 0.0 ? p->need_pc * gdp_pc / p->gdp_pc0 : p->need_pc;
    if (p->area == NULL) {
        for (int64_t r = 0; r < p->n; r++)
            need[r] = u * p->need_weight[r] * pop[r];
        return;
    }
    double ptot = 0.0, atot = 0.0;
    for (int64_t r = 0; r < p->n; r++) {
        ptot += pop[r];
        atot += p->area[r];
    }
    const double dnat = atot > 0.0 ? ptot / atot : 0.0;
    for (int64_t r = 0; r < p->n; r++) {
        const double d = p->area[r] > 0.0 ? pop[r] / p->area[r] : 0.0;
        const double w = d > 0.0 && dnat > 0.0 ? pow(d / dnat, -p->need_elast) : 1.0;
        need[r] = u * w * pop[r];
    }
}

int bal_fin_step(bal_ctx *ctx, const bal_fin_params *p, const bal_econ_params *ep,
                 const bal_econ_state *e, const double *pop, bal_fin_state *s)
{
    const int64_t n = p->n;
    double gdp = 0.0, ptot = 0.0;
    for (int64_t r = 0; r < n; r++) {
        gdp += e->grdp[r];
        ptot += pop[r];
    }
    if (!(ptot > 0.0) || !(gdp > 0.0))
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "finance: no population or output");
    const double gdp_pc = gdp / ptot;
    double national = 0.0, local_total = 0.0;
    for (int64_t r = 0; r < n; r++) {
        double b[BAL_NTAX], loc = 0.0;
        bases(p, ep, e, pop, gdp_pc, r, b);
        for (int k = 0; k < BAL_NTAX; k++) {
            const double t = p->rate[k] * b[k];
            s->tax[r * BAL_NTAX + k] = t;
            loc += t * p->local_share[k];
            national += t * (1.0 - p->local_share[k]);
        }
        loc += p->levy_rate * e->grdp[r];
        s->local_tax[r] = loc;
        s->nontax[r] = p->nontax_rate * loc;
        local_total += loc;
    }
    national -= p->national_cost;
    s->national_tax = national;
    s->local_tax_total = local_total;
    s->lat_pool = p->lat_rate * p->internal_share * national;
    s->subsidy_pool = p->subsidy_rate * national;

    /* local allocation tax (지방교부세법 제6조): basic financial need of the
       year minus basic financial revenue, the shortfalls scaled by one
       adjustment rate so the pool is paid out exactly; subsidies by need */
    bal_fin_need(p, pop, gdp_pc, s->need);
    double gap = 0.0, need = 0.0;
    for (int64_t r = 0; r < n; r++) {
        s->revenue[r] = p->lat_own_weight * s->local_tax[r];
        const double g = s->need[r] - s->revenue[r];
        s->lat[r] = g > 0.0 ? g : 0.0; /* the shortfall, for now */
        gap += s->lat[r];
        need += s->need[r];
    }
    s->adjust = gap > 0.0 ? s->lat_pool / gap : 0.0;
    for (int64_t r = 0; r < n; r++) {
        s->lat[r] = gap > 0.0 ? s->lat_pool * s->lat[r] / gap : s->lat_pool * pop[r] / ptot;
        s->subsidy[r] = need > 0.0 ? s->subsidy_pool * s->need[r] / need
                                   : s->subsidy_pool * pop[r] / ptot;
        const double own = s->local_tax[r] + s->nontax[r];
        s->budget[r] = own + s->lat[r] + s->subsidy[r];
        s->self_reliance[r] = s->budget[r] > 0.0 ? 100.0 * own / s->budget[r] : 0.0;
    }
    return BAL_OK;
}
