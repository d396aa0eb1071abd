/*
 * balance/economy.h — the regional economy, public finance and services
 * (docs/model.md §13). Pure computation: no I/O, no globals; arrays are
 * owned by the caller or by the init/release pairs below, and the yearly
 * functions allocate nothing.
 *
 * Economy, per sido r and sector k (a year at a time):
 *   employment   E(r,k) = sh(r,k) E_s(r) M(r,k)^η + S(r,k)
 *                E_s(r) = e1(r) P15-64(r) + e2(r) P65+(r)   (base employment rates)
 *   market size  X(r)  = Σ_j E(j) exp(−T(r,j) / τ0)           (T: travel times, minutes)
 *   output       Y(r,k) = Ã(r,k) e^{g_k t} M(r,k) X(r)^ε K(r,k)^α E(r,k)^{1−α}
 *   capital      K(r,k) ← (1 − δ) K + s_k Y + I(r,k),  s_k = κ (δ + g_k / (1 − α))
 * with M the productivity multiplier, I the investment inflow and S the
 * skilled-labour inflow that a policy sets (1, 0, 0 by default), T the travel
 * times (a policy may cut them), Ã calibrated so that the base year
 * reproduces the base value added, K0 = κ Y0.
 */
#ifndef BALANCE_ECONOMY_H
#define BALANCE_ECONOMY_H

#include "balance/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sector groups: the regional accounts' items, with the five strategic
   industries split out of their parents (docs/model.md §13.1). */
enum bal_sector {
    BAL_SEC_AGRI_MINING,      /* agriculture, forestry, fishing; mining */
    BAL_SEC_LIGHT_MFG,        /* food, textiles, wood and paper */
    BAL_SEC_PETROCHEM,        /* coal, petroleum and chemicals, less bio */
    BAL_SEC_BIO,              /* strategic: pharmaceuticals and biotech (in chemicals) */
    BAL_SEC_STEEL,            /* non-metallic minerals and metals */
    BAL_SEC_SEMICONDUCTOR,    /* strategic: in electrical, electronic and precision */
    BAL_SEC_ELECTRONICS,      /* the rest of electrical, electronic and precision */
    BAL_SEC_FUTURE_CARS,      /* strategic: in machinery and transport equipment */
    BAL_SEC_SHIPBUILD_MACH,   /* the rest: shipbuilding, machinery, other */
    BAL_SEC_ENERGY,           /* strategic: electricity, gas, steam */
    BAL_SEC_CONSTRUCTION,
    BAL_SEC_AI_SOFTWARE,      /* strategic: in information and communication */
    BAL_SEC_PORT_LOGISTICS,   /* transport and storage */
    BAL_SEC_SERVICES,         /* every other service */
    BAL_NSEC
};
const char *bal_econ_sector_name(int k);
/* Index of a sector by name, -1 if unknown. */
int bal_econ_sector_find(const char *name);

typedef struct bal_econ_params {
    int64_t n;                /* regions (sido) */
    double alpha;             /* capital share of value added */
    double delta;             /* depreciation rate */
    double kappa;             /* base capital-output ratio */
    double eps;               /* agglomeration: elasticity of productivity to market size X */
    double tau0;              /* travel-time decay of market size, minutes */
    double eta;               /* employment response to the productivity multiplier */
    double g[BAL_NSEC];       /* trend productivity growth per year, by sector */
    double *va0;              /* [n][BAL_NSEC] base value added */
    double *ntax0;            /* [n] net product taxes / value added, base */
    double *e1, *e2;          /* [n] employment per person 15-64 and 65+ */
    double *travel0;          /* [n][n] base travel times, minutes (diagonal 0) */
} bal_econ_params;

int bal_econ_params_init(bal_ctx *ctx, bal_econ_params *p, int64_t n);
void bal_econ_params_release(bal_ctx *ctx, bal_econ_params *p);

/* What a policy sets (one year at a time; defaults: no effect). */
typedef struct bal_econ_levers {
    double *prod_mult;        /* [n][BAL_NSEC] productivity multiplier M (1) */
    double *invest;           /* [n][BAL_NSEC] investment inflow I per year (0) */
    double *skilled;          /* [n][BAL_NSEC] skilled-labour inflow S, workers (0) */
    double *travel;           /* [n][n] travel times T, minutes (travel0) */
} bal_econ_levers;

int bal_econ_levers_init(bal_ctx *ctx, bal_econ_levers *l, const bal_econ_params *p);
void bal_econ_levers_reset(bal_econ_levers *l, const bal_econ_params *p);
void bal_econ_levers_release(bal_ctx *ctx, bal_econ_levers *l);

/* Demographic inputs of one year, per region. */
typedef struct bal_econ_pop {
    const double *pop, *p1564, *p65;   /* [n] persons; p15 = p1564 + p65 */
} bal_econ_pop;

/* State carried from year to year and this year's results. */
typedef struct bal_econ_state {
    int64_t n;
    int t;                    /* years since the base */
    double *atil;             /* [n][BAL_NSEC] calibrated productivity */
    double *K;                /* [n][BAL_NSEC] capital */
    double *E, *Y;            /* [n][BAL_NSEC] employment, value added */
    double *X;                /* [n] market size */
    double *grdp;             /* [n] GRDP at market prices = Σ_k Y (1 + ntax0) */
    double *emp;              /* [n] employment */
    double *emp_rate;         /* [n] employment / population 15+ (percent) */
    double *wage;             /* [n] labour income per worker (1 − α) Σ Y / E */
} bal_econ_state;

/* Calibrate at the base population: Ã so that Y = va0, K0 = κ va0. */
int bal_econ_init(bal_ctx *ctx, bal_econ_state *s, const bal_econ_params *p,
                  const bal_econ_pop *base);
void bal_econ_release(bal_ctx *ctx, bal_econ_state *s);

/* The year t (years since the base; 0 = base): employment, market size and
   output for this year's population and levers, then capital for next year.
   Allocates nothing. Returns BAL_EUSAGE on a negative or non-finite input. */
int bal_econ_step(bal_ctx *ctx, const bal_econ_params *p, const bal_econ_levers *l,
                  const bal_econ_pop *pop, bal_econ_state *s);

/* ---- Public finance ------------------------------------------------------ */

/* Tax items (docs/model.md §13.2). */
enum bal_tax { BAL_TAX_INCOME, BAL_TAX_CORPORATE, BAL_TAX_VAT, BAL_TAX_PROPERTY,
               BAL_TAX_OTHER, BAL_NTAX };
const char *bal_fin_tax_name(int k);

typedef struct bal_fin_params {
    int64_t n;
    /* Revenue of each item per unit of its base, nationally, calibrated in
       the base year. Bases: income, VAT and property ← household income
       H = population × income_rel × wage / wage0 (where people live and
       spend); corporate ← capital income α Y (where firms produce); other ←
       population × national GRDP per capita. */
    double rate[BAL_NTAX];
    double *income_rel;            /* [n] individual income per capita / the nation's */
    double *wage0;                 /* [n] base labour income per worker */
    double local_share[BAL_NTAX];  /* share of each item that goes to local government */
    double lat_rate;               /* local allocation tax: share of national internal taxes */
    double internal_share;         /* internal (내국세) share of national taxes */
    double lat_own_weight;         /* share of own tax revenue counted against need (0.8) */
    double subsidy_rate;           /* national subsidies per unit of national taxes */
    double nontax_rate;            /* local non-tax revenue per unit of local taxes */
    double need_pc;                /* standard need per person of the base year, calibrated */
    double levy_rate;              /* new local levies, fraction of GRDP (policy; 0) */
    double national_cost;          /* national tax given up by a policy (0) */
    double *need_weight;           /* [n] relative need per person of the base year (density) */
    /* The standard need recomputed every year from its drivers (docs/model.md
       §13.2, 지방교부세법 제7조): when `area` is set, need(r,t) = u(t) w(r,t) P(r,t)
       with w(r,t) = (density(r,t) / national density(t))^-need_elast from the
       year's population and the areas, and the unit cost u(t) = need_pc ×
       (national GDP per person of t / gdp_pc0); gdp_pc0 <= 0 keeps u = need_pc
       (the base-year calibration). Without `area` the base weights need_weight
       are used. */
    double *area;                  /* [n] land area, km² (NULL: need_weight) */
    double need_elast;             /* elasticity of need per person to density (0.3, A33) */
    double gdp_pc0;                /* national GDP per person of the base year; 0: frozen */
} bal_fin_params;

int bal_fin_params_init(bal_ctx *ctx, bal_fin_params *p, int64_t n);
/* Storage for the n areas inside p (p->area stays NULL until set to it). */
double *bal_fin_params_area(bal_fin_params *p);
void bal_fin_params_release(bal_ctx *ctx, bal_fin_params *p);

typedef struct bal_fin_state {
    int64_t n;
    double *tax;         /* [n][BAL_NTAX] revenue raised in the region */
    double *local_tax;   /* [n] local taxes */
    double *nontax;      /* [n] local non-tax revenue */
    double *lat;         /* [n] local allocation tax received */
    double *subsidy;     /* [n] national subsidies received */
    double *budget;      /* [n] own revenue + transfers */
    double *self_reliance; /* [n] percent: own revenue / budget */
    double *need;        /* [n] basic financial need (기준재정수요액) of the year */
    double *revenue;     /* [n] basic financial revenue counted (기준재정수입액):
                            lat_own_weight × local taxes */
    double national_tax, local_tax_total, lat_pool, subsidy_pool;
    double adjust;       /* adjustment rate (조정률): lat_pool / Σ max(0, need − revenue) */
} bal_fin_state;

int bal_fin_state_init(bal_ctx *ctx, bal_fin_state *s, int64_t n);
void bal_fin_state_release(bal_ctx *ctx, bal_fin_state *s);

/* Taxes, their split, the transfers and the budgets of one year from the
   economy and the population. Money is conserved: Σ tax = national + local,
   Σ lat = lat_pool, Σ subsidy = subsidy_pool. Allocates nothing. */
/* Σ_r max(0, need_pc w(r) P(r) − lat_own_weight × local_tax(r)), w the base
   weights need_weight: the gaps the local allocation tax fills (for
   calibrating need_pc). */
double bal_fin_total_gap(const bal_fin_params *p, double need_pc, const double *pop,
                         const double *local_tax);

/* National totals of the tax bases b[BAL_NTAX] (for calibration). */
void bal_fin_bases(const bal_fin_params *p, const bal_econ_params *ep, const bal_econ_state *e,
                   const double *pop, double *b);

/* Basic financial need of every region, need[n], for population pop[n] and
   national GDP per person gdp_pc (bal_fin_params: area, need_elast, gdp_pc0). */
void bal_fin_need(const bal_fin_params *p, const double *pop, double gdp_pc, double *need);

int bal_fin_step(bal_ctx *ctx, const bal_fin_params *p, const bal_econ_params *ep,
                 const bal_econ_state *e, const double *pop, bal_fin_state *s);

/* ---- Services ------------------------------------------------------------ */

/* School levels of the school tables and the closure model: elementary
   (ages 6-11), middle (12-14), high (15-17). */
enum { BAL_SCHOOL_ELEMENTARY, BAL_SCHOOL_MIDDLE, BAL_SCHOOL_HIGH, BAL_NSCHOOL };

typedef struct bal_svc_params {
    double school_min[3];   /* MOE consolidation criteria, pupils: elementary (6-11),
                               middle (12-14), high (15-17), in cities */
    double school_min_rural[3]; /* the same in counties (군) */
    double transit_min_density; /* persons per km² below which scheduled buses are
                                   not sustainable */
    double physician_catchment; /* persons per physician-sustaining catchment */
    double school_kappa;    /* a school closes when its pupils fall below kappa ×
                               the criterion (calibrated on 2020-2025 closures) */
    double school_sigma;    /* sd of log school size within a sigungu */
} bal_svc_params;

/* Services of one unit from its population by single age [sex][age] and its
   area: transit sustainable (0/1), physicians sustainable. */
typedef struct bal_svc_out {
    double transit, physicians;
} bal_svc_out;
void bal_svc_unit(const bal_svc_params *p, const double *pop_sa, double area_km2,
                  bal_svc_out *o);

/* ---- Schools (docs/model.md §13.3) ----------------------------------------
   A sigungu's n0 schools of a level have sizes that follow a log-normal
   distribution with mean m0 = base pupils / n0 and log-sd sigma; pupils of
   every school change with the unit's pupils by the factor g = pupils /
   base pupils. A school closes when its size falls below the threshold
   t = kappa × criterion (level; city or county): the schools closed as the
   factor falls from g_from to g_to < g_from are
       n0 [Φ(z(g_to)) - Φ(z(g_from))],  z(g) = (ln t - ln(g m0) + sigma²/2) / sigma,
   and none when the factor does not fall below g_from (closed schools do
   not reopen: callers pass the running minimum of g). Pure. */

/* Pupils of each level (school-age population) from [sex][age]. */
void bal_school_pupils(const double *pop_sa, double pupils[BAL_NSCHOOL]);
/* Closure threshold of `level` in a county (rural) or city. */
double bal_school_threshold(const bal_svc_params *p, int level, int rural);
/* Share of schools smaller than t when their mean size is m: Φ(z). */
double bal_school_below(double t, double m, double sigma);
/* Schools closed as the factor falls from g_from to g_to (0 if it does not fall). */
double bal_school_crossed(double n0, double m0, double t, double sigma, double g_from,
                          double g_to);

#ifdef __cplusplus
}
#endif
#endif
