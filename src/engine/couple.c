/*
 * couple.c — the economy, public finance and services inside a projection,
 * in the yearly order of DESIGN.md (docs/model.md §13): before each
 * demographic step, with that year's population, economy → finance →
 * services → attractiveness → migration.
 */
#include "balance/engine.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <string.h>

/* A34b: the closure threshold factor calibrated by bal_schools_calibrate
   with sigma 0.8 (docs/model.md §13.3; test_schools.c checks it). */
#define KAPPA_DEFAULT 0.32

void bal_couple_opts_default(bal_econ_opts *o)
{
    memset(o, 0, sizeof *o);
    o->alpha = 0.35;     /* A25 */
    o->delta = 0.05;     /* A26 */
    o->kappa = 3.0;      /* A26 */
    o->eps = 0.04;       /* A27: PARAMETERS.md A2/A4, 3.9-5% in high-income economies */
    o->tau0 = 60.0;      /* A28 */
    o->speed_kmh = 60.0; /* A28 */
    o->eta = 0.2;        /* A29 */
    o->growth = 0.01;    /* A30 */
    o->need_density_elast = 0.3; /* A33 */
    /* A31: strategic industries inside their parent item */
    o->strat_hi[BAL_SEC_SEMICONDUCTOR] = 0.5;
    o->strat_lo[BAL_SEC_SEMICONDUCTOR] = 0.1;
    o->strat_hi[BAL_SEC_BIO] = 0.2;
    o->strat_lo[BAL_SEC_BIO] = 0.05;
    o->strat_hi[BAL_SEC_FUTURE_CARS] = 0.3;
    o->strat_lo[BAL_SEC_FUTURE_CARS] = 0.1;
    o->strat_hi[BAL_SEC_AI_SOFTWARE] = 0.3;
    o->strat_lo[BAL_SEC_AI_SOFTWARE] = 0.1;
    /* §13.3: MOE 2015 small-school criteria (cities; counties),
       density at which county bus service thins out, OECD physicians */
    o->svc.school_min[0] = 240.0;
    o->svc.school_min[1] = 300.0;
    o->svc.school_min[2] = 300.0;
    o->svc.school_min_rural[0] = 60.0;  /* 면 elementary */
    o->svc.school_min_rural[1] = 180.0; /* 읍 secondary */
    o->svc.school_min_rural[2] = 180.0;
    o->svc.transit_min_density = 85.0;
    o->svc.physician_catchment = 1000.0 / 2.66;
    /* §13.3 closure model: log-sd of school sizes within a sigungu (A34c)
       and the threshold factor calibrated with it on the 2020-2025
       closures (bal_schools_calibrate; A34b, test_schools.c) */
    o->svc.school_sigma = 0.8;
    o->svc.school_kappa = KAPPA_DEFAULT;
    o->couple = 1;
}

/* Value added of each sector of sido r from the GRDP items (§13.1). */
static void sectors_of(const bal_datapack *pk, const bal_econ_opts *o, int64_t r, double *va)
{
    const double *g = pk->grdp_item + r * BAL_NGITEM;
    const unsigned char *cl = pk->cluster + r * BAL_NSEC;
    double share[BAL_NSEC];
    for (int k = 0; k < BAL_NSEC; k++)
        share[k] = cl[k] ? o->strat_hi[k] : o->strat_lo[k];
    va[BAL_SEC_AGRI_MINING] = g[BAL_GI_AGRI] + g[BAL_GI_MINING];
    va[BAL_SEC_LIGHT_MFG] = g[BAL_GI_MFG_FOOD] + g[BAL_GI_MFG_TEXTILES] + g[BAL_GI_MFG_WOOD_PAPER];
    va[BAL_SEC_BIO] = share[BAL_SEC_BIO] * g[BAL_GI_MFG_CHEM];
    va[BAL_SEC_PETROCHEM] = g[BAL_GI_MFG_CHEM] - va[BAL_SEC_BIO];
    va[BAL_SEC_STEEL] = g[BAL_GI_MFG_METALS];
    va[BAL_SEC_SEMICONDUCTOR] = share[BAL_SEC_SEMICONDUCTOR] * g[BAL_GI_MFG_ELECTRONIC];
    va[BAL_SEC_ELECTRONICS] = g[BAL_GI_MFG_ELECTRONIC] - va[BAL_SEC_SEMICONDUCTOR];
    va[BAL_SEC_FUTURE_CARS] = share[BAL_SEC_FUTURE_CARS] * g[BAL_GI_MFG_MACHINERY];
    va[BAL_SEC_SHIPBUILD_MACH] = g[BAL_GI_MFG_MACHINERY] - va[BAL_SEC_FUTURE_CARS];
    va[BAL_SEC_ENERGY] = g[BAL_GI_UTILITIES];
    va[BAL_SEC_CONSTRUCTION] = g[BAL_GI_CONSTRUCTION];
    va[BAL_SEC_AI_SOFTWARE] = share[BAL_SEC_AI_SOFTWARE] * g[BAL_GI_INFOCOM];
    va[BAL_SEC_PORT_LOGISTICS] = g[BAL_GI_TRANSPORT];
    va[BAL_SEC_SERVICES] = g[BAL_GI_WHOLESALE] + g[BAL_GI_ACCOMMODATION] +
                           (g[BAL_GI_INFOCOM] - va[BAL_SEC_AI_SOFTWARE]) + g[BAL_GI_FINANCE] +
                           g[BAL_GI_REAL_ESTATE] + g[BAL_GI_BUSINESS] + g[BAL_GI_PUBLIC_ADMIN] +
                           g[BAL_GI_EDUCATION] + g[BAL_GI_HEALTH] + g[BAL_GI_CULTURE];
}

/* Latest year with the employment rates (15+ and 15-64) of every sido. */
static int latest_rates(const bal_datapack *pk)
{
    const int64_t ns = pk->nsido;
    for (int y = pk->emp_rate.year0 + pk->emp_rate.nyears - 1; y >= pk->emp_rate.year0; y--)
        if (bal_yearly_complete(&pk->emp_rate, y, ns) &&
            bal_yearly_complete(&pk->emp_rate_1564, y, ns))
            return y;
    return 0;
}

/* Per-sido sums of the population blocks: total, 15-64, 65+. */
static void sido_pop(const bal_couple *c, const bal_demog_params *p, const double *pop,
                     double *tot, double *p1564, double *p65)
{
    memset(tot, 0, (size_t)c->ns * sizeof(double));
    memset(p1564, 0, (size_t)c->ns * sizeof(double));
    memset(p65, 0, (size_t)c->ns * sizeof(double));
    /* the sums in registers, in the same order as one running sum per
       province (bit for bit the same totals) */
    for (int64_t u = 0; u < c->nunit; u++) {
        const int64_t g = p->group ? p->group[u] : u;
        double t = tot[g], w = p1564[g], o = p65[g];
        for (int s = 0; s < BAL_NSEX; s++) {
            const double *b = pop + bal_pidx(u, s, 0);
            for (int a = 0; a < 15; a++)
                t += b[a];
            for (int a = 15; a < 65; a++) {
                t += b[a];
                w += b[a];
            }
            for (int a = 65; a < BAL_NAGE; a++) {
                t += b[a];
                o += b[a];
            }
        }
        tot[g] = t;
        p1564[g] = w;
        p65[g] = o;
    }
}

int bal_couple_econ_calibrate(bal_ctx *ctx, const bal_datapack *pk, const bal_econ_opts *o,
                       bal_econ_params *ep)
{
    const int64_t ns = pk->nsido;
    if (pk->grdp_item == NULL || pk->cluster == NULL)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "economy: grdp_industry.csv and industry_clusters.csv are needed");
    int st = bal_econ_params_init(ctx, ep, ns);
    if (st)
        return st;
    ep->alpha = o->alpha;
    ep->delta = o->delta;
    ep->kappa = o->kappa;
    ep->eps = o->eps;
    ep->tau0 = o->tau0;
    ep->eta = o->eta;
    for (int k = 0; k < BAL_NSEC; k++)
        ep->g[k] = o->growth;
    for (int64_t r = 0; r < ns; r++) {
        sectors_of(pk, o, r, ep->va0 + r * BAL_NSEC);
        const double *g = pk->grdp_item + r * BAL_NGITEM;
        ep->ntax0[r] = g[BAL_GI_GVA] > 0.0 ? g[BAL_GI_NET_TAXES] / g[BAL_GI_GVA] : 0.0;
        for (int64_t j = 0; j < ns; j++)
            ep->travel0[r * ns + j] =
                j == r ? 0.0 : 60.0 * pk->dist_km[r * ns + j] / o->speed_kmh;
    }
    return BAL_OK;
}

/* Employment rates per person 15-64 and 65+ of the base population. */
static int employment_rates(bal_ctx *ctx, const bal_datapack *pk, const double *tot,
                            const double *p1564, const double *p65, bal_econ_params *ep)
{
    (void)tot;
    const int y = latest_rates(pk);
    if (y == 0)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "labor_force.csv: no year with the employment rates of every sido");
    const double *r15 = bal_yearly_at(&pk->emp_rate, y), *r1564 = bal_yearly_at(&pk->emp_rate_1564, y);
    for (int64_t r = 0; r < pk->nsido; r++) {
        ep->e1[r] = r1564[r] / 100.0;
        const double e15 = r15[r] / 100.0 * (p1564[r] + p65[r]);
        const double rest = e15 - ep->e1[r] * p1564[r];
        ep->e2[r] = p65[r] > 0.0 && rest > 0.0 ? rest / p65[r] : 0.0;
    }
    return BAL_OK;
}

typedef struct gap_root {
    const bal_fin_params *p;
    const double *pop, *local_tax;
    double pool;
} gap_root;

static double gap_minus_pool(double need_pc, void *ud)
{
    const gap_root *g = ud;
    return bal_fin_total_gap(g->p, need_pc, g->pop, g->local_tax) - g->pool;
}

/* The finance facts the model needs (settled taxes of the vintage's finance
   year, budgets of its budget year), positive, into f; and the national and
   local revenue of each tax item (trillion KRW) into nat and loc. */
enum { N_TOT, N_INC, N_CORP, N_VAT, N_CRE, L_TOT, L_ACQ, L_CONS, L_INC, L_PROP, GDP, B_LT, B_NT,
       B_SUB, B_LAT, NNEED };
static int tax_items(bal_ctx *ctx, const bal_datapack *pk, double *f, double *nat, double *loc)
{
    enum { SETTLED, BUDGET };
    static const struct { int when; const char *name; } need[NNEED] = {
        {SETTLED, "national_tax_revenue"}, {SETTLED, "national_income_tax"},
        {SETTLED, "national_corporate_tax"}, {SETTLED, "national_vat"},
        {SETTLED, "national_comprehensive_real_estate_tax"}, {SETTLED, "local_tax_revenue"},
        {SETTLED, "local_acquisition_tax"}, {SETTLED, "local_consumption_tax_revenue"},
        {SETTLED, "local_income_tax"}, {SETTLED, "local_property_tax"}, {SETTLED, "gdp_nominal"},
        {BUDGET, "local_tax_budget"}, {BUDGET, "non_tax_revenue_budget"},
        {BUDGET, "national_subsidies_budget"}, {BUDGET, "local_allocation_tax_budget"}};
    for (int i = 0; i < NNEED; i++) {
        const int year = need[i].when == SETTLED ? pk->vintage.finance_year
                                                 : pk->vintage.budget_year;
        f[i] = bal_datapack_fact(pk, year, need[i].name);
        if (!(f[i] > 0.0))
            return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                             "local_finance.csv / tax_items.csv: no positive value of '%s' for %d, "
                             "which the finance model needs (docs/model.md §13.2)",
                             need[i].name, year);
    }
    const double tot_n = f[N_TOT], inc_n = f[N_INC], corp_n = f[N_CORP], vat_n = f[N_VAT],
                 cre_n = f[N_CRE], tot_l = f[L_TOT], acq_l = f[L_ACQ], cons_l = f[L_CONS],
                 linc_l = f[L_INC], prop_l = f[L_PROP];
    /* local income tax splits between the income and corporate items in
       proportion to the national taxes (A32) */
    const double li = linc_l * inc_n / (inc_n + corp_n), lc = linc_l - li;
    nat[BAL_TAX_INCOME] = inc_n;
    loc[BAL_TAX_INCOME] = li;
    nat[BAL_TAX_CORPORATE] = corp_n;
    loc[BAL_TAX_CORPORATE] = lc;
    nat[BAL_TAX_VAT] = vat_n;
    loc[BAL_TAX_VAT] = cons_l;
    nat[BAL_TAX_PROPERTY] = cre_n;
    loc[BAL_TAX_PROPERTY] = acq_l + prop_l;
    nat[BAL_TAX_OTHER] = tot_n - inc_n - corp_n - vat_n - cre_n;
    loc[BAL_TAX_OTHER] = tot_l - li - lc - cons_l - acq_l - prop_l;
    if (!(nat[BAL_TAX_OTHER] >= 0.0) || !(loc[BAL_TAX_OTHER] >= 0.0))
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "local_finance.csv: tax items exceed their totals");
    return BAL_OK;
}

int bal_couple_tax_shares(bal_ctx *ctx, const bal_datapack *pk, double *share)
{
    double f[NNEED], nat[BAL_NTAX], loc[BAL_NTAX];
    int st = tax_items(ctx, pk, f, nat, loc);
    if (st)
        return st;
    for (int k = 0; k < BAL_NTAX; k++)
        share[k] = loc[k] / (nat[k] + loc[k]);
    return BAL_OK;
}

/* Finance rates calibrated on the base-year economy (§13.2). */
static int fin_calibrate(bal_ctx *ctx, bal_couple *c, const double *pop)
{
    const bal_datapack *pk = c->pack;
    const int64_t ns = c->ns;
    /* national and local revenue of each item, trillion KRW */
    double f[NNEED], nat[BAL_NTAX], loc[BAL_NTAX];
    int st = tax_items(ctx, pk, f, nat, loc);
    if (st)
        return st;
    const double tot_n = f[N_TOT], tot_l = f[L_TOT], gdp = f[GDP], b_lt = f[B_LT],
                 b_nt = f[B_NT], b_sub = f[B_SUB], b_lat = f[B_LAT];
    /* household income relative to the nation (latest year of the re-based
       series; ratios only) and the base wages */
    double gsum = 0.0, base[BAL_NTAX];
    int yi = 0;
    for (int yy = pk->income_pc.year0 + pk->income_pc.nyears - 1; yy >= pk->income_pc.year0; yy--)
        if (bal_yearly_complete(&pk->income_pc, yy, ns + 1)) {
            yi = yy;
            break;
        }
    if (yi == 0)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "grdp_per_capita_new.csv: no year with every sido's income");
    const double *inc = bal_yearly_at(&pk->income_pc, yi);
    for (int64_t r = 0; r < ns; r++) {
        c->fp.income_rel[r] = inc[r] / inc[ns];
        c->fp.wage0[r] = c->es.wage[r];
        gsum += c->es.grdp[r];
    }
    bal_fin_bases(&c->fp, &c->ep, &c->es, pop, base);
    /* standard need per person rises as density falls (A33) */
    double atot = 0.0, ptot = 0.0;
    for (int64_t r = 0; r < ns; r++) {
        atot += pk->regions.r[r].area_km2;
        ptot += pop[r];
    }
    for (int64_t r = 0; r < ns; r++) {
        const double dens = pop[r] / pk->regions.r[r].area_km2, dnat = ptot / atot;
        c->fp.need_weight[r] = pow(dens / dnat, -c->need_density_elast);
    }
    for (int k = 0; k < BAL_NTAX; k++) {
        const double t = nat[k] + loc[k];
        /* revenue / GDP of 2023, applied to the model's GDP */
        c->fp.rate[k] = t / gdp * gsum / base[k];
        c->fp.local_share[k] = loc[k] / t;
    }
    /* transfers and non-tax revenue: the 2025 local budget's ratios to its
       local taxes; the pools then scale with national taxes (§13.2) */
    const double loc_model = tot_l / gdp * gsum;
    const double nat_model = tot_n / gdp * gsum;
    c->fp.nontax_rate = b_nt / b_lt;
    c->fp.internal_share = 1.0;
    c->fp.lat_rate = b_lat / b_lt * loc_model / nat_model;
    c->fp.subsidy_rate = b_sub / b_lt * loc_model / nat_model;
    c->fp.lat_own_weight = 0.8; /* A33 */
    /* standard need per person: the base-year pool covers every gap exactly */
    bal_fin_state *s = &c->fs;
    c->fp.need_pc = 1.0;
    st = bal_fin_step(ctx, &c->fp, &c->ep, &c->es, pop, s);
    if (st)
        return st;
    /* the gap rises with need_pc from 0: bracket the root, then GSL's Brent */
    gap_root gr = {&c->fp, pop, s->local_tax, s->lat_pool};
    double hi = 1.0;
    while (gap_minus_pool(hi, &gr) < 0.0 && hi < 1e300)
        hi *= 2.0;
    gsl_function fn = {gap_minus_pool, &gr};
    gsl_root_fsolver *rs = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (rs == NULL)
        return bal_gsl_raise(ctx, GSL_ENOMEM, "finance: standard need (root solver)");
    /* every GSL status is checked (bal_gsl_init turned the aborting handler
       off): a gap that is not finite or not bracketed is an error, not an abort */
    int status = gsl_root_fsolver_set(rs, &fn, 0.0, hi), conv = GSL_CONTINUE;
    for (int it = 0; status == GSL_SUCCESS && conv == GSL_CONTINUE && it < 200; it++) {
        status = gsl_root_fsolver_iterate(rs);
        if (status == GSL_SUCCESS)
            conv = gsl_root_test_interval(gsl_root_fsolver_x_lower(rs),
                                          gsl_root_fsolver_x_upper(rs), 0.0, 1e-14);
    }
    c->fp.need_pc = gsl_root_fsolver_root(rs);
    gsl_root_fsolver_free(rs);
    if (status != GSL_SUCCESS)
        return bal_gsl_raise(ctx, status,
                             "finance: standard need per person (Brent root of the gap, "
                             "docs/model.md §13.2)");
    if (conv == GSL_CONTINUE)
        return bal_raise(ctx, BAL_EINTERNAL, NULL, 0,
                         "finance: the standard need did not converge in 200 iterations");
    if (conv != GSL_SUCCESS)
        return bal_gsl_raise(ctx, conv, "finance: standard need (interval test)");
    /* from now on the need is recomputed every year from its drivers: the
       year's population and density, the unit cost following national GDP
       per person (§13.2) */
    double *area = bal_fin_params_area(&c->fp);
    for (int64_t r = 0; r < ns; r++)
        area[r] = pk->regions.r[r].area_km2;
    c->fp.area = area;
    c->fp.need_elast = c->need_density_elast;
    c->fp.gdp_pc0 = gsum / ptot;
    return BAL_OK;
}

void bal_couple_release(bal_ctx *ctx, bal_couple *c)
{
    if (c == NULL)
        return;
    bal_econ_params_release(ctx, &c->ep);
    bal_econ_levers_release(ctx, &c->lev);
    bal_econ_release(ctx, &c->es);
    bal_fin_params_release(ctx, &c->fp);
    bal_fin_state_release(ctx, &c->fs);
    bal_mig_attract_release(ctx, &c->rec);
    bal_free(ctx, c->grdp);
    bal_free(ctx, c->sch_block);
    memset(c, 0, sizeof *c);
}

enum { R_GRDP, R_EMP, R_RATE, R_WAGE, R_FSR, R_BUDGET, R_LAT, R_SUB, R_LTAX, R_OWN, R_POP, R_P15,
       R_N };
enum { U_EMP, U_GRDP, U_SCHOOLS, U_CLOSED, U_TRANSIT, U_PHYS, U_N };

/* Area of unit u (region table). */
static double unit_area(const bal_couple *c, int64_t u)
{
    const int64_t ri = c->level == BAL_LEVEL_SIGUNGU ? c->ns + u : u;
    return c->pack->regions.r[ri].area_km2;
}

/* Rural sigungu (gun, 군) use the MOE criteria for 면 (elementary) and 읍
   (secondary) areas; region index i. */
static int region_rural(const bal_datapack *pk, int64_t i)
{
    if (i < pk->nsido)
        return 0;
    const char *ko = pk->regions.r[i].name_ko;
    const size_t n = strlen(ko);
    return n >= 3 && strcmp(ko + n - 3, "군") == 0;
}

/* Population 15-64 of unit u. */
static double unit_p1564(const double *pop, int64_t u)
{
    double w = 0.0;
    for (int s = 0; s < BAL_NSEX; s++)
        for (int a = 15; a < 65; a++)
            w += pop[bal_pidx(u, s, a)];
    return w;
}

/* Schools (§13.3): the register's stock of each sigungu and level, its base
   mean size and threshold; each unit's base pupils. In a sigungu run the
   sigungu's base pupils are its own; in a sido run the sido's base pupils
   are shared among its sigungu by their population of the pack's base year
   (sgg_pop). */
static int schools_init(bal_ctx *ctx, bal_couple *c, const double *pop0)
{
    const bal_datapack *pk = c->pack;
    const int64_t ns = c->ns, nsgg = pk->regions.n - ns, nu = c->nunit;
    if (pk->school_main == NULL || nsgg <= 0)
        return bal_raise(ctx, BAL_EINTERNAL, NULL, 0, "schools: the register is not loaded");
    const int64_t ncell = nsgg * (3 * BAL_NSCHOOL + 1) + nu * BAL_NSCHOOL +
                          3 * (int64_t)c->nyears * nu * BAL_NSCHOOL;
    double *q = bal_calloc(ctx, (size_t)ncell, sizeof(double));
    if (q == NULL)
        return BAL_ENOMEM;
    c->sch_block = q;
    c->sch_n0 = q;
    c->sch_m0 = q + nsgg * BAL_NSCHOOL;
    c->sch_t = q + 2 * nsgg * BAL_NSCHOOL;
    c->sch_unit = q + 3 * nsgg * BAL_NSCHOOL;
    c->sch_p0 = c->sch_unit + nsgg;
    c->sch_g = c->sch_p0 + nu * BAL_NSCHOOL;
    c->sch_open = c->sch_g + (int64_t)c->nyears * nu * BAL_NSCHOOL;
    c->sch_closed = c->sch_open + (int64_t)c->nyears * nu * BAL_NSCHOOL;
    for (int64_t u = 0; u < nu; u++)
        bal_school_pupils(pop0 + bal_pidx(u, 0, 0), c->sch_p0 + u * BAL_NSCHOOL);
    const double *w = NULL;
    double wsum[BAL_MAX_SIDO] = {0};
    if (c->level != BAL_LEVEL_SIGUNGU) {
        /* the base year's shares whatever the run's first year (the
           register, too, is of the base) */
        w = bal_yearly_at(&pk->sgg_pop, pk->base_year);
        if (w == NULL || !bal_yearly_complete(&pk->sgg_pop, pk->base_year, nsgg))
            return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                             "schools: no sigungu population of %d to share the pupils of "
                             "a sido",
                             pk->base_year);
        for (int64_t s = 0; s < nsgg; s++)
            wsum[pk->regions.r[ns + s].parent] += w[s];
    }
    for (int64_t s = 0; s < nsgg; s++) {
        const int64_t g = pk->regions.r[ns + s].parent;
        const int64_t u = c->level == BAL_LEVEL_SIGUNGU ? s : g;
        c->sch_unit[s] = (double)u;
        const int rural = region_rural(pk, ns + s);
        for (int l = 0; l < BAL_NSCHOOL; l++) {
            const int64_t i = s * BAL_NSCHOOL + l;
            const double n0 = pk->school_main[i] + pk->school_branch[i];
            const double pu = c->sch_p0[u * BAL_NSCHOOL + l];
            const double p0 = c->level == BAL_LEVEL_SIGUNGU ? pu
                              : wsum[g] > 0.0          ? pu * w[s] / wsum[g]
                                                       : 0.0;
            c->sch_n0[i] = n0;
            c->sch_m0[i] = n0 > 0.0 ? p0 / n0 : 0.0;
            c->sch_t[i] = bal_school_threshold(&c->svc, l, rural);
        }
    }
    return BAL_OK;
}

int bal_couple_init(bal_ctx *ctx, bal_couple *c, const bal_datapack *pk, const bal_econ_opts *o,
                    const bal_demog_params *p, const double *pop0, int year0, int year1,
                    int level)
{
    memset(c, 0, sizeof *c);
    c->pack = pk;
    c->level = level;
    c->year0 = year0;
    c->nyears = year1 - year0 + 1;
    c->ns = pk->nsido;
    c->nunit = p->nreg;
    c->svc = o->svc;
    c->need_density_elast = o->need_density_elast;
    if (c->nyears < 1 || p->ngroup != c->ns)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "economy: the run must be of sido or sigungu");
    const size_t ny = (size_t)c->nyears, ns = (size_t)c->ns, nu = (size_t)c->nunit;
    double *blk = bal_calloc(ctx, ny * ns * R_N + ny + ny * nu * U_N + 3 * nu + 4 * ns + ns * ns,
                             sizeof(double));
    if (blk == NULL)
        return BAL_ENOMEM;
    double **rs[R_N] = {&c->grdp, &c->emp, &c->emp_rate, &c->wage, &c->fsr, &c->budget,
                        &c->lat, &c->subsidy, &c->local_tax, &c->own, &c->pop, &c->p15};
    for (int i = 0; i < R_N; i++)
        *rs[i] = blk + (size_t)i * ny * ns;
    double *q = blk + R_N * ny * ns;
    c->nat_tax = q;
    q += ny;
    double **us[U_N] = {&c->u_emp,  &c->u_grdp,  &c->schools,
                        &c->schools_closed, &c->transit, &c->physicians};
    for (int i = 0; i < U_N; i++)
        *us[i] = q + (size_t)i * ny * nu;
    q += U_N * ny * nu;
    c->u_w0 = q;
    c->u_p0 = q + nu;
    c->u_rural = q + 2 * nu;
    c->scratch = q + 3 * nu;
    c->amenity = c->scratch + 3 * ns;
    c->mig_travel = c->amenity + ns;

    int st;
    double *tot = c->scratch, *p1564 = tot + ns, *p65 = p1564 + ns;
    sido_pop(c, p, pop0, tot, p1564, p65);
    bal_econ_pop ep0 = {tot, p1564, p65};
    if ((st = bal_couple_econ_calibrate(ctx, pk, o, &c->ep)) ||
        (st = employment_rates(ctx, pk, tot, p1564, p65, &c->ep)) ||
        (st = bal_econ_levers_init(ctx, &c->lev, &c->ep)) ||
        (st = bal_econ_init(ctx, &c->es, &c->ep, &ep0)) ||
        (st = bal_fin_params_init(ctx, &c->fp, c->ns)) ||
        (st = bal_fin_state_init(ctx, &c->fs, c->ns)) || (st = fin_calibrate(ctx, c, tot)) ||
        (st = bal_mig_attract_init(ctx, &c->rec, c->ns, year0, c->nyears))) {
        bal_couple_release(ctx, c);
        return st;
    }
    /* units: base employment weights (surveyed employed where known, else
       population 15-64) and base population 15-64 */
    for (int64_t u = 0; u < c->nunit; u++) {
        c->u_p0[u] = c->u_w0[u] = unit_p1564(pop0, u);
        c->u_rural[u] = level == BAL_LEVEL_SIGUNGU ? region_rural(pk, c->ns + u) : 0.0;
        if (level == BAL_LEVEL_SIGUNGU && pk->sgg_employed) {
            const double e = pk->sgg_employed[u];
            if (!isnan(e))
                c->u_w0[u] = 1000.0 * e;
        }
    }
    if ((st = schools_init(ctx, c, pop0)))
        bal_couple_release(ctx, c);
    return st;
}

/* Year index of `year` in the run, or an error. */
static int year_index(bal_ctx *ctx, const bal_couple *c, int year, int *k)
{
    *k = year - c->year0;
    if (*k < 0 || *k >= c->nyears)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "economy: year %d outside the run", year);
    return BAL_OK;
}

int bal_couple_levers(bal_ctx *ctx, bal_couple *c, int year)
{
    int k, st;
    if ((st = year_index(ctx, c, year, &k)))
        return st;
    const int64_t ns = c->ns;
    bal_econ_levers_reset(&c->lev, &c->ep);
    memset(c->amenity, 0, (size_t)ns * sizeof(double));
    memcpy(c->mig_travel, c->ep.travel0, (size_t)(ns * ns) * sizeof(double));
    if (c->levers && (st = c->levers(ctx, c->levers_ud, year, c)))
        return st;
    return BAL_OK;
}

int bal_couple_economy(bal_ctx *ctx, bal_couple *c, int year, const double *pop,
                       const bal_demog_params *p)
{
    int k, st;
    if ((st = year_index(ctx, c, year, &k)))
        return st;
    const int64_t ns = c->ns;
    double *tot = c->scratch, *p1564 = tot + ns, *p65 = p1564 + ns;
    sido_pop(c, p, pop, tot, p1564, p65);
    bal_econ_pop ep = {tot, p1564, p65};
    if ((st = bal_econ_step(ctx, &c->ep, &c->lev, &ep, &c->es)))
        return st;
    const int64_t o = (int64_t)k * ns;
    for (int64_t r = 0; r < ns; r++) {
        c->grdp[o + r] = c->es.grdp[r];
        c->emp[o + r] = c->es.emp[r];
        c->emp_rate[o + r] = c->es.emp_rate[r];
        c->wage[o + r] = c->es.wage[r];
        c->pop[o + r] = tot[r];
        c->p15[o + r] = p1564[r] + p65[r];
    }
    return BAL_OK;
}

int bal_couple_finance(bal_ctx *ctx, bal_couple *c, int year)
{
    int k, st;
    if ((st = year_index(ctx, c, year, &k)))
        return st;
    const int64_t ns = c->ns;
    if ((st = bal_fin_step(ctx, &c->fp, &c->ep, &c->es, c->scratch, &c->fs)))
        return st;
    const int64_t o = (int64_t)k * ns;
    for (int64_t r = 0; r < ns; r++) {
        c->fsr[o + r] = c->fs.self_reliance[r];
        c->budget[o + r] = c->fs.budget[r];
        c->lat[o + r] = c->fs.lat[r];
        c->subsidy[o + r] = c->fs.subsidy[r];
        c->local_tax[o + r] = c->fs.local_tax[r];
        c->own[o + r] = c->fs.local_tax[r] + c->fs.nontax[r];
    }
    c->nat_tax[k] = c->fs.national_tax;
    return BAL_OK;
}

/* Schools of year index k (§13.3): each unit's pupil factor g (running
   minimum of pupils / base pupils, 1 at the first year) closes the schools
   of its sigungu that fall below their threshold; operating = stock -
   closed. No allocation. */
static void schools_step(bal_couple *c, int k, const double *pop)
{
    const bal_datapack *pk = c->pack;
    const int64_t nu = c->nunit, nsgg = pk->regions.n - c->ns;
    double *g = c->sch_g + (int64_t)k * nu * BAL_NSCHOOL;
    double *open = c->sch_open + (int64_t)k * nu * BAL_NSCHOOL;
    double *closed = c->sch_closed + (int64_t)k * nu * BAL_NSCHOOL;
    for (int64_t u = 0; u < nu; u++) {
        double pu[BAL_NSCHOOL];
        bal_school_pupils(pop + bal_pidx(u, 0, 0), pu);
        for (int l = 0; l < BAL_NSCHOOL; l++) {
            const int64_t i = u * BAL_NSCHOOL + l;
            const double p0 = c->sch_p0[i];
            const double f = p0 > 0.0 ? pu[l] / p0 : 1.0;
            const double prev = k > 0 ? c->sch_g[(int64_t)(k - 1) * nu * BAL_NSCHOOL + i] : 1.0;
            g[i] = f < prev ? f : prev;
            open[i] = closed[i] = 0.0;
        }
    }
    for (int64_t s = 0; s < nsgg; s++) {
        const int64_t u = (int64_t)c->sch_unit[s];
        for (int l = 0; l < BAL_NSCHOOL; l++) {
            const int64_t i = s * BAL_NSCHOOL + l, j = u * BAL_NSCHOOL + l;
            const double n0 = c->sch_n0[i];
            const double x = bal_school_crossed(n0, c->sch_m0[i], c->sch_t[i], c->svc.school_sigma,
                                                1.0, g[j]);
            closed[j] += x;
            open[j] += n0 - x;
        }
    }
    const int64_t ou = (int64_t)k * nu;
    for (int64_t u = 0; u < nu; u++) {
        double o = 0.0, x = 0.0;
        for (int l = 0; l < BAL_NSCHOOL; l++) {
            o += open[u * BAL_NSCHOOL + l];
            x += closed[u * BAL_NSCHOOL + l];
        }
        c->schools[ou + u] = o;
        c->schools_closed[ou + u] = x;
    }
}

int bal_couple_services(bal_ctx *ctx, bal_couple *c, int year, const double *pop,
                        const bal_demog_params *p)
{
    int k, st;
    if ((st = year_index(ctx, c, year, &k)))
        return st;
    /* units: employment apportioned within the sido by base employment ×
       growth of the unit's population 15-64; output by employment */
    const int64_t nu = c->nunit, ou = (int64_t)k * nu;
    double wsum[BAL_MAX_SIDO] = {0};
    for (int64_t u = 0; u < nu; u++) {
        const double w = unit_p1564(pop, u);
        const int64_t g = p->group ? p->group[u] : u;
        const double wu = c->u_p0[u] > 0.0 ? c->u_w0[u] * w / c->u_p0[u] : 0.0;
        c->u_emp[ou + u] = wu; /* weight for now */
        wsum[g] += wu;
    }
    for (int64_t u = 0; u < nu; u++) {
        const int64_t g = p->group ? p->group[u] : u;
        const double sh = wsum[g] > 0.0 ? c->u_emp[ou + u] / wsum[g] : 0.0;
        c->u_emp[ou + u] = sh * c->es.emp[g];
        c->u_grdp[ou + u] = sh * c->es.grdp[g];
        bal_svc_out so;
        bal_svc_unit(&c->svc, pop + bal_pidx(u, 0, 0), unit_area(c, u), &so);
        c->transit[ou + u] = so.transit;
        c->physicians[ou + u] = so.physicians;
    }
    schools_step(c, k, pop);
    return BAL_OK;
}

int bal_couple_attract(bal_ctx *ctx, bal_couple *c, int year)
{
    int k, st;
    if ((st = year_index(ctx, c, year, &k)))
        return st;
    const int64_t ns = c->ns, o = (int64_t)k * ns;
    double gdp = 0.0, ptot = 0.0, e = 0.0, p15 = 0.0;
    for (int64_t r = 0; r < ns; r++) {
        gdp += c->grdp[o + r];
        ptot += c->pop[o + r];
        e += c->emp[o + r];
        p15 += c->p15[o + r];
    }
    double *x = bal_mig_attract_at(&c->rec, year);
    const double gpc_nat = gdp / ptot, rate_nat = 100.0 * e / p15;
    for (int64_t r = 0; r < ns; r++) {
        double *xr = x + r * BAL_NATTR;
        const double tot = c->pop[o + r];
        xr[BAL_ATTR_LOG_POP] = tot > 0.0 ? log(tot) : 0.0;
        xr[BAL_ATTR_GRDP_PC] = tot > 0.0 ? log(c->grdp[o + r] / tot / gpc_nat) : 0.0;
        xr[BAL_ATTR_EMPLOYMENT] = (c->emp_rate[o + r] - rate_nat) / 10.0;
        xr[BAL_ATTR_AMENITY] = c->amenity[r];
    }
    c->done = k + 1;
    return BAL_OK;
}

int bal_couple_migration(bal_ctx *ctx, const bal_couple *c, int year, const bal_demog_params *p,
                         bal_demog_rates *m)
{
    int k, st;
    if ((st = year_index(ctx, c, year, &k)))
        return st;
    if (c->ref == NULL || c->mig == NULL)
        return bal_raise(ctx, BAL_EINTERNAL, NULL, 0,
                         "migration against a reference run needs the reference and the model");
    const int64_t ns = c->ns;
    const double *x = bal_mig_attract_at(&c->rec, year), *xr = bal_mig_attract_at(c->ref, year);
    double xu[BAL_MAX_SIDO * BAL_NATTR];
    for (int64_t r = 0; r < ns; r++)
        for (int a = 0; a < BAL_NATTR; a++) {
            const size_t i = (size_t)(r * BAL_NATTR + a);
            xu[i] = c->mig->model.x0[i];
            if (a == BAL_ATTR_LOG_POP || a == BAL_ATTR_GRDP_PC || a == BAL_ATTR_EMPLOYMENT ||
                a == BAL_ATTR_AMENITY)
                xu[i] += x[i] - xr[i];
        }
    if ((st = bal_mig_apply(c->mig, xu, p, m)))
        return st;
    /* shorter travel times between two provinces raise the odds of moving
       between them (gravity distance elasticity) */
    bal_mig_travel_scale(c->mig_travel, c->ep.travel0, ns, c->pack->mig_gravity_dist, m->dest);
    if (m->young_dest)
        bal_mig_travel_scale(c->mig_travel, c->ep.travel0, ns, c->pack->mig_gravity_dist,
                             m->dest_young);
    return BAL_OK;
}

int bal_couple_project(bal_ctx *ctx, bal_couple *c, const bal_demog_params *p,
                       const double *pop0, int year1, bal_projection *out)
{
    /* with a reference run, migration responds to the deviation from it;
       else a migration model given to the couple runs on its own inputs */
    const bal_sim sim = {p, c, c->ref ? NULL : c->mig};
    return bal_simulate(ctx, &sim, pop0, year1, out);
}
