/*
 * report.c — indicators of a projection, for every region, year and the
 * nation, computed once for all the writers (table, CSV, JSON, SQLite).
 */
#include "balance/engine.h"

#include <math.h>
#include <string.h>

/* The writable row of output region i (the nation when i < 0) in year k. */
static double *row_mut(bal_report *rep, int64_t i, int k)
{
    if (i < 0)
        return rep->nat + (size_t)k * BAL_NIND;
    return rep->val + ((size_t)i * (size_t)rep->nyears + (size_t)k) * BAL_NIND;
}

/* Add the age-group counts of one unit block to v. */
static void add_counts(const double *blk, double *v)
{
    for (int s = 0; s < BAL_NSEX; s++) {
        const double *p = blk + s * BAL_NAGE;
        double all = 0.0, young = 0.0, work = 0.0, old = 0.0, school = 0.0;
        for (int a = 0; a < 15; a++)
            young += p[a];
        for (int a = 15; a < 65; a++)
            work += p[a];
        for (int a = 65; a < BAL_NAGE; a++)
            old += p[a];
        for (int a = 6; a <= 17; a++)
            school += p[a];
        all = young + work + old;
        v[s == BAL_FEMALE ? BAL_IND_POPULATION_FEMALE : BAL_IND_POPULATION_MALE] += all;
        v[BAL_IND_POPULATION] += all;
        v[BAL_IND_AGE_0_14] += young;
        v[BAL_IND_AGE_15_64] += work;
        v[BAL_IND_AGE_65_PLUS] += old;
        v[BAL_IND_SCHOOL_AGE] += school;
        if (s == BAL_FEMALE)
            for (int a = 20; a <= 39; a++)
                v[BAL_IND_WOMEN_20_39] += p[a];
    }
}

int bal_extinction_class(double x)
{
    if (isnan(x))
        return 0;
    return x >= BAL_EXTINCTION_VERY_LOW    ? 1
           : x >= BAL_EXTINCTION_NORMAL    ? 2
           : x >= BAL_EXTINCTION_AT_RISK   ? 3
           : x >= BAL_EXTINCTION_HIGH_RISK ? 4
                                           : 5;
}

static void finish_ratios(int k, double *v)
{
    v[BAL_IND_OLD_AGE_DEPENDENCY] =
        v[BAL_IND_AGE_15_64] > 0.0 ? 100.0 * v[BAL_IND_AGE_65_PLUS] / v[BAL_IND_AGE_15_64] : (double)NAN;
    v[BAL_IND_EXTINCTION_INDEX] =
        v[BAL_IND_AGE_65_PLUS] > 0.0 ? v[BAL_IND_WOMEN_20_39] / v[BAL_IND_AGE_65_PLUS] : (double)NAN;
    v[BAL_IND_SHARE_65_PLUS] =
        v[BAL_IND_POPULATION] > 0.0 ? 100.0 * v[BAL_IND_AGE_65_PLUS] / v[BAL_IND_POPULATION] : (double)NAN;
    v[BAL_IND_EXTINCTION_RELATIVE] = NAN; /* needs the nation: bal_report_build */
    for (int i = BAL_IND_GRDP; i <= BAL_IND_PHYSICIANS; i++)
        v[i] = NAN;
    if (k == 0)
        for (int i = BAL_IND_FIRST_FLOW; i < BAL_NIND; i++)
            v[i] = NAN;
}

static void add_flows(const bal_projection *pr, int k, int64_t u, int local, double *v)
{
    if (k == 0)
        return;
    size_t i = (size_t)(k - 1) * (size_t)pr->nreg + (size_t)u;
    double in = pr->in[i] + (local ? pr->in_local[i] : 0.0);
    double out = pr->out[i] + (local ? pr->out_local[i] : 0.0);
    v[BAL_IND_BIRTHS] += pr->births[i];
    v[BAL_IND_DEATHS] += pr->deaths[i];
    v[BAL_IND_INTERNAL_IN] += in;
    v[BAL_IND_INTERNAL_OUT] += out;
    v[BAL_IND_NET_INTERNAL] += in - out;
    v[BAL_IND_NET_INTERNATIONAL] += pr->intl[i];
}


void bal_report_values(const bal_projection *pr, int k, const int64_t *units,
                           int64_t nunits, int local, double *v)
{
    for (int i = 0; i < BAL_NIND; i++)
        v[i] = 0.0;
    const int64_t n = units ? nunits : pr->nreg;
    for (int64_t j = 0; j < n; j++) {
        const int64_t u = units ? units[j] : j;
        add_counts(bal_projection_pop(pr, k) + u * BAL_CELLS, v);
        add_flows(pr, k, u, local, v);
    }
    finish_ratios(k, v);
}

void bal_report_release(bal_ctx *ctx, bal_report *rep)
{
    if (rep == NULL)
        return;
    bal_free(ctx, rep->region);
    bal_free(ctx, rep->val);
    bal_free(ctx, rep->nat);
    bal_free(ctx, rep->capital_share);
    bal_free(ctx, rep->at_risk);
    bal_free(ctx, rep->high_risk);
    bal_free(ctx, rep->risk_class);
    bal_free(ctx, rep->gdp_cv);
    memset(rep, 0, sizeof *rep);
}

int bal_report_build(bal_ctx *ctx, const bal_projection *pr, const bal_regions *regions,
                     int level, bal_report *rep)
{
    memset(rep, 0, sizeof *rep);
    const int64_t ns = regions->nsido, n = pr->nreg;
    const int muni = level == BAL_LEVEL_SIGUNGU;
    if ((muni && ns + n != regions->n) || (!muni && n != ns))
        return bal_raise(ctx, BAL_EINTERNAL, NULL, 0,
                         "projection has %lld units, the region table does not match",
                         (long long)n);
    const int ny = pr->nyears;
    rep->level = muni ? BAL_LEVEL_SIGUNGU : BAL_LEVEL_SIDO;
    rep->year0 = pr->year0;
    rep->nyears = ny;
    rep->nout = muni ? ns + n : ns;
    rep->region = bal_calloc(ctx, (size_t)rep->nout, sizeof(int64_t));
    rep->val = bal_calloc(ctx, (size_t)rep->nout * (size_t)ny * BAL_NIND, sizeof(double));
    rep->nat = bal_calloc(ctx, (size_t)ny * BAL_NIND, sizeof(double));
    rep->capital_share = bal_calloc(ctx, (size_t)ny, sizeof(double));
    if (muni) {
        rep->at_risk = bal_calloc(ctx, (size_t)ny, sizeof(double));
        rep->high_risk = bal_calloc(ctx, (size_t)ny, sizeof(double));
        rep->risk_class = bal_calloc(ctx, 6 * (size_t)ny, sizeof(double));
        if (rep->risk_class)
            rep->pop_loss = rep->risk_class + 5 * ny;
    }
    if (!rep->region || !rep->val || !rep->nat || !rep->capital_share ||
        (muni && (!rep->at_risk || !rep->high_risk || !rep->risk_class))) {
        bal_report_release(ctx, rep);
        return BAL_ENOMEM;
    }
    for (int64_t i = 0; i < rep->nout; i++)
        rep->region[i] = i;
    for (int k = 0; k < ny; k++) {
        double *nat = rep->nat + (size_t)k * BAL_NIND;
        double cap = 0.0;
        for (int64_t i = 0; i < ns; i++)
            memset(row_mut(rep, i, k), 0, BAL_NIND * sizeof(double));
        memset(nat, 0, BAL_NIND * sizeof(double));
        for (int64_t u = 0; u < n; u++) {
            const int64_t reg = muni ? ns + u : u;
            const int64_t sido = muni ? regions->r[reg].parent : u;
            double v[BAL_NIND];
            for (int i = 0; i < BAL_NIND; i++)
                v[i] = 0.0;
            add_counts(bal_projection_pop(pr, k) + u * BAL_CELLS, v);
            add_flows(pr, k, u, 0, v);
            /* the sido and the nation sum the counts and the between-group flows */
            double *sv = row_mut(rep, sido, k);
            for (int i = 0; i < BAL_NIND; i++) {
                sv[i] += v[i];
                nat[i] += v[i];
            }
            if (regions->r[reg].capital_region)
                cap += v[BAL_IND_POPULATION];
            if (muni) {
                /* the unit's own row: the same counts, plus its moves within
                   the province */
                double *uv = row_mut(rep, reg, k);
                memcpy(uv, v, sizeof v);
                if (k > 0) {
                    size_t f = (size_t)(k - 1) * (size_t)n + (size_t)u;
                    uv[BAL_IND_INTERNAL_IN] += pr->in_local[f];
                    uv[BAL_IND_INTERNAL_OUT] += pr->out_local[f];
                    uv[BAL_IND_NET_INTERNAL] += pr->in_local[f] - pr->out_local[f];
                }
                finish_ratios(k, uv);
                double x = uv[BAL_IND_EXTINCTION_INDEX];
                if (x < BAL_EXTINCTION_AT_RISK)
                    rep->at_risk[k] += 1.0;
                if (x < BAL_EXTINCTION_HIGH_RISK)
                    rep->high_risk[k] += 1.0;
                const int cl = bal_extinction_class(x);
                if (cl > 0)
                    rep->risk_class[(cl - 1) * ny + k] += 1.0;
                if (uv[BAL_IND_POPULATION] < BAL_POP_LOSS_KEPT * row_mut(rep, reg, 0)[BAL_IND_POPULATION])
                    rep->pop_loss[k] += 1.0;
            }
        }
        for (int64_t i = 0; i < ns; i++)
            finish_ratios(k, row_mut(rep, i, k));
        finish_ratios(k, nat);
        /* every region's index relative to the nation's */
        const double xn = nat[BAL_IND_EXTINCTION_INDEX];
        nat[BAL_IND_EXTINCTION_RELATIVE] = xn > 0.0 ? 1.0 : (double)NAN;
        for (int64_t i = 0; i < rep->nout; i++) {
            double *v = row_mut(rep, i, k);
            v[BAL_IND_EXTINCTION_RELATIVE] = xn > 0.0 ? v[BAL_IND_EXTINCTION_INDEX] / xn : (double)NAN;
        }
        rep->capital_share[k] =
            nat[BAL_IND_POPULATION] > 0.0 ? 100.0 * cap / nat[BAL_IND_POPULATION] : 0.0;
    }
    return BAL_OK;
}

int bal_report_economy(bal_ctx *ctx, const bal_couple *c, bal_report *rep)
{
    const int64_t ns = c->ns, nu = c->nunit;
    const int muni = rep->level == BAL_LEVEL_SIGUNGU;
    if (c->nyears != rep->nyears || c->year0 != rep->year0 || c->done != c->nyears ||
        (muni ? ns + nu : nu) != rep->nout)
        return bal_raise(ctx, BAL_EINTERNAL, NULL, 0, "economy and report do not match");
    const int ny = rep->nyears;
    rep->gdp_cv = bal_calloc(ctx, 2 * (size_t)ny, sizeof(double));
    if (rep->gdp_cv == NULL)
        return BAL_ENOMEM;
    rep->gdp_theil = rep->gdp_cv + ny;
    for (int k = 0; k < ny; k++) {
        const int64_t o = (int64_t)k * ns, ou = (int64_t)k * nu;
        double *nat = rep->nat + (size_t)k * BAL_NIND;
        for (int i = BAL_IND_GRDP; i <= BAL_IND_PHYSICIANS; i++)
            nat[i] = 0.0;
        double own = 0.0, budget = 0.0, p15 = 0.0;
        for (int64_t r = 0; r < ns; r++) {
            double *v = row_mut(rep, r, k);
            const double pop = v[BAL_IND_POPULATION];
            v[BAL_IND_GRDP] = c->grdp[o + r] / 1000.0;
            v[BAL_IND_GRDP_PC] = pop > 0.0 ? 1000.0 * c->grdp[o + r] / pop : (double)NAN;
            v[BAL_IND_EMPLOYMENT] = c->emp[o + r];
            v[BAL_IND_EMPLOYMENT_RATE] = c->emp_rate[o + r];
            v[BAL_IND_FISCAL_SELF_RELIANCE] = c->fsr[o + r];
            v[BAL_IND_BUDGET_PC] = pop > 0.0 ? 1000.0 * c->budget[o + r] / pop : (double)NAN;
            v[BAL_IND_SCHOOLS] = v[BAL_IND_SCHOOLS_CLOSED] = 0.0;
            v[BAL_IND_TRANSIT] = v[BAL_IND_PHYSICIANS] = 0.0;
            nat[BAL_IND_GRDP] += v[BAL_IND_GRDP];
            nat[BAL_IND_EMPLOYMENT] += c->emp[o + r];
            own += c->own[o + r];
            budget += c->budget[o + r];
            p15 += c->p15[o + r];
        }
        /* services are counted per unit (the sido itself in sido runs) and
           summed to its sido and the nation */
        enum { NSVC = 4 };
        static const int SVC[NSVC] = {BAL_IND_SCHOOLS, BAL_IND_SCHOOLS_CLOSED, BAL_IND_TRANSIT,
                                      BAL_IND_PHYSICIANS};
        for (int64_t u = 0; u < nu; u++) {
            const double svc[NSVC] = {c->schools[ou + u], c->schools_closed[ou + u],
                                      c->transit[ou + u], c->physicians[ou + u]};
            double *sv = row_mut(rep, muni ? c->pack->regions.r[ns + u].parent : u, k);
            if (muni) {
                double *uv = row_mut(rep, ns + u, k);
                const double pop = uv[BAL_IND_POPULATION];
                uv[BAL_IND_GRDP] = c->u_grdp[ou + u] / 1000.0;
                uv[BAL_IND_GRDP_PC] = pop > 0.0 ? 1000.0 * c->u_grdp[ou + u] / pop : (double)NAN;
                uv[BAL_IND_EMPLOYMENT] = c->u_emp[ou + u];
                /* the unit's share of its province's employed over its own
                   population 15+: the population-15+-weighted mean of a
                   province's units is the province's rate */
                const double p15u = pop - uv[BAL_IND_AGE_0_14];
                uv[BAL_IND_EMPLOYMENT_RATE] =
                    p15u > 0.0 ? 100.0 * c->u_emp[ou + u] / p15u : (double)NAN;
                for (int q = 0; q < NSVC; q++)
                    uv[SVC[q]] = svc[q];
            }
            for (int q = 0; q < NSVC; q++) {
                sv[SVC[q]] += svc[q];
                nat[SVC[q]] += svc[q];
            }
        }
        const double P = nat[BAL_IND_POPULATION], Y = nat[BAL_IND_GRDP];
        nat[BAL_IND_GRDP_PC] = P > 0.0 ? 1e6 * Y / P : (double)NAN;
        nat[BAL_IND_EMPLOYMENT_RATE] = p15 > 0.0 ? 100.0 * nat[BAL_IND_EMPLOYMENT] / p15 : (double)NAN;
        nat[BAL_IND_FISCAL_SELF_RELIANCE] = budget > 0.0 ? 100.0 * own / budget : (double)NAN;
        nat[BAL_IND_BUDGET_PC] = P > 0.0 ? 1000.0 * budget / P : (double)NAN;
        /* disparity of GRDP per capita across the sido */
        double mean = 0.0, var = 0.0, theil = 0.0;
        for (int64_t r = 0; r < ns; r++)
            mean += bal_report_row(rep, r, k)[BAL_IND_GRDP_PC] / (double)ns;
        for (int64_t r = 0; r < ns; r++) {
            const double *v = bal_report_row(rep, r, k);
            const double d = v[BAL_IND_GRDP_PC] - mean;
            var += d * d / (double)ns;
            const double ys = v[BAL_IND_GRDP] / Y, ps = v[BAL_IND_POPULATION] / P;
            if (ys > 0.0 && ps > 0.0)
                theil += ys * log(ys / ps);
        }
        rep->gdp_cv[k] = mean > 0.0 ? sqrt(var) / mean : (double)NAN;
        rep->gdp_theil[k] = theil;
    }
    return BAL_OK;
}

double bal_report_value(const bal_report *rp, int64_t i, int ind, int k)
{
    if (k < 0 || k >= rp->nyears || ind < 0 || ind >= BAL_NIND_ALL)
        return NAN;
    if (ind < BAL_NIND)
        return bal_report_row(rp, i, k)[ind];
    if (i >= 0)
        return NAN; /* the national series and summaries exist for the nation only */
    const double *nat = bal_report_row(rp, -1, k);
    switch (ind) {
    case BAL_IND_CAPITAL_SHARE: return rp->capital_share[k];
    case BAL_IND_AT_RISK: return rp->at_risk ? rp->at_risk[k] : (double)NAN;
    case BAL_IND_HIGH_RISK: return rp->high_risk ? rp->high_risk[k] : (double)NAN;
    case BAL_IND_RISK_VERY_LOW:
    case BAL_IND_RISK_NORMAL:
    case BAL_IND_RISK_CAUTION:
    case BAL_IND_RISK_ENTRY:
        return rp->risk_class ? rp->risk_class[(ind - BAL_IND_RISK_VERY_LOW) * rp->nyears + k]
                              : (double)NAN;
    case BAL_IND_POP_LOSS_30: return rp->pop_loss ? rp->pop_loss[k] : (double)NAN;
    case BAL_IND_GDP_CV: return rp->gdp_cv ? rp->gdp_cv[k] : (double)NAN;
    case BAL_IND_GDP_THEIL: return rp->gdp_theil ? rp->gdp_theil[k] : (double)NAN;
    case BAL_IND_OUTSIDE_CAPITAL:
        return nat[BAL_IND_POPULATION] * (1.0 - rp->capital_share[k] / 100.0);
    case BAL_IND_GDP_TOTAL: return nat[BAL_IND_GRDP] / 1000.0;
    default: return NAN; /* the cost of a policy: bal_compare_value */
    }
}
