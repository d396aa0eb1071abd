/*
 * balance/engine.h — from a data pack to a projection.
 *
 * bal_calibrate() turns the observed tables of a data pack into the
 * demography parameters for a start year, using only data up to that year
 * (so a backtest from an earlier year is out of sample). bal_project() runs
 * the yearly step and keeps the population and the accounts of every year.
 */
#ifndef BALANCE_ENGINE_H
#define BALANCE_ENGINE_H

#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/demography.h"
#include "balance/economy.h"
#include "balance/indicators.h"
#include "balance/migration.h"
#include "balance/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One named fact about a run (key, numeric value): its parameters and what
   calibration found, for the store and the exporters. */
typedef struct bal_run_param {
    const char *key;
    double value;
} bal_run_param;

/* Rogers-Castro seven-parameter model migration schedule. */
typedef struct bal_rc_schedule {
    double a1, alpha1, a2, alpha2, mu2, lambda2, c;
} bal_rc_schedule;

/* Value of the schedule at exact age x. */
double bal_rc_eval(const bal_rc_schedule *rc, double x);

/* Most years of flows a migration window may pool. */
#define BAL_MIG_WINDOW_MAX 30

typedef struct bal_calib_opts {
    int base_year;        /* label of the start year; data after it is not used */
    double base_time;     /* calendar time of the start population */
    int mig_window;       /* most recent usable years of flows to pool, 1..BAL_MIG_WINDOW_MAX
                             (default 5; fewer when the data have fewer up to base_year) */
    int mig_window_exact; /* 1: BAL_EUSAGE when the data have fewer than mig_window usable
                             years up to base_year (an explicit request); 0: pool those
                             there are (default; the report gives the years) */
    double improve_scale; /* multiplier of the observed mortality improvement (default 1) */
    double tfr_target;    /* national TFR to reach, <= 0 for constant rates (default) */
    int tfr_target_year;
    bal_rc_schedule rc;   /* age profile of migration (default: Rogers & Castro 1981) */
    double local_halflife;/* half-life of the within-province migration rates, years;
                             <= 0 constant (default 5, ASSUMPTIONS.md A19) */
    int local_migration;  /* 0: no within-province migration (default 1) */
} bal_calib_opts;

/* Defaults for a start at the pack's base population (docs/model.md lists
   each; the dates from its vintage.csv). */
void bal_calib_opts_default(bal_calib_opts *o, const bal_datapack *pack);

/* What calibration used and found, for reports and docs. */
typedef struct bal_calib_report {
    int qx_year;             /* KOSTAT life table used for the level of mortality */
    int wpp_period0, wpp_period1; /* WPP periods whose change gives the improvement */
    int asdr_year;           /* sigungu ASDR year for the regional multipliers */
    int asdr_weight_year;    /* year of the sigungu populations used as weights */
    int fert_year;           /* births year of the fertility rates */
    int mig_year0, mig_year1, mig_nyears; /* flows pooled */
    double tfr_national;
    double e0[2];            /* national life expectancy at the base, female/male */
    /* per region, nreg long each (owned by the report) */
    int64_t nreg;
    double *tfr;
    double *e0_region;       /* [region][sex] */
    double *out_rate;        /* pooled crude out-migration rate (per person-year) */
    double *intl_per_year;   /* net international + registration residual, persons/year */
} bal_calib_report;

void bal_calib_report_release(bal_ctx *ctx, bal_calib_report *rep);

/*
 * Estimate parameters for the first `nsido` regions of `pack`. `pop0` is the
 * start population ([sido][sex][age]), used to scale the age profile of
 * out-migration to the observed crude rate. `params` is initialised here;
 * `rep` may be NULL. BAL_EDATA when the pack lacks a needed year.
 */
int bal_calibrate(bal_ctx *ctx, const bal_datapack *pack, const bal_calib_opts *opts,
                  const double *pop0, bal_demog_params *params, bal_calib_report *rep);

/* Start population at year-end `year` from the 5-year bands, spread evenly
   over the single years of each band. `pop` is [sido][sex][age]. */
int bal_pop_from_bands(bal_ctx *ctx, const bal_datapack *pack, int year, double *pop);

/* ---- Projection ---------------------------------------------------------- */

typedef struct bal_projection {
    int64_t nreg;
    int year0;           /* label of the first year */
    int nyears;          /* years held: year0 .. year0 + nyears - 1 */
    double *pop;         /* [year][region][sex][age] */
    /* accounts of the step from year k to k+1: [k][region], k < nyears - 1;
       in/out between groups, in_local/out_local within a group */
    double *births, *deaths, *in, *out, *intl, *in_local, *out_local;
} bal_projection;

/* Population block of year index k. */
static inline double *bal_projection_pop(const bal_projection *pr, int k)
{
    return pr->pop + (size_t)k * (size_t)(pr->nreg * BAL_CELLS);
}

/* Run the demography alone from `pop0` (labelled p->base_year) to `year1`
   inclusive, on p's calibrated rates (bal_simulate without economy or
   migration model). */
int bal_project(bal_ctx *ctx, const bal_demog_params *p, const double *pop0, int year1,
                bal_projection *out);
void bal_projection_release(bal_ctx *ctx, bal_projection *pr);

typedef struct bal_couple bal_couple;
typedef struct bal_mig_run bal_mig_run;

/* What a run steps each year (bal_simulate). */
typedef struct bal_sim {
    const bal_demog_params *p; /* calibrated parameters: only read */
    bal_couple *couple;        /* economy, finance, services (NULL: demography only); with a
                                  reference run (couple->ref) migration responds to it */
    const bal_mig_run *mig;    /* without a reference: the migration model on its own inputs
                                  (NULL: the calibrated rates throughout) */
} bal_sim;

/* The projection from `pop0` to `year1`, year by year in the documented
   order (src/engine/project.c; docs/model.md §2, §13.4). */
int bal_simulate(bal_ctx *ctx, const bal_sim *s, const double *pop0, int year1,
                 bal_projection *out);

/* The migration model in a projection (docs/model.md §12.6): each year the
   destination shares between groups and the out-migration rates follow the
   attractiveness inputs: log population from the projection itself, the
   others from the data pack (the latest observed year up to that year), or
   from `attract` when a module sets them. */
struct bal_mig_run {
    bal_mig_model model;
    const bal_datapack *pack;
    const bal_attract *attract;  /* NULL: inputs from the data pack */
    double *outrate0;            /* [nreg][cells] the calibrated rates */
    int64_t nreg;
};
/* Set up from a calibrated parameter set (p->dest, p->outrate) and the
   pack's migration_params.csv coefficients of the pivot and out-rate models;
   base shares and inputs pooled over the `window` flow years up to y1. */
int bal_mig_run_init(bal_ctx *ctx, bal_mig_run *run, const bal_datapack *pack,
                     const bal_demog_params *p, int y1, int window);
void bal_mig_run_release(bal_ctx *ctx, bal_mig_run *run);
/* Set the run's destination shares (both age groups) and out-rates m from
   the inputs x[ngroup][BAL_NATTR] of every group (p: grouping and the
   within-group rates that bound the out-rates). */
int bal_mig_apply(const bal_mig_run *run, const double *x, const bal_demog_params *p,
                  bal_mig_rates *m);
/* The migration model on its own inputs for the step from `year`: log
   population of each group from `pop`, the others as observed in the data
   pack up to that year (or from run->attract). */
int bal_mig_pivot(const bal_mig_run *run, int year, const double *pop, const bal_demog_params *p,
                  bal_mig_rates *m);

/* Total population of region r (or all regions when r < 0) in year index k. */
double bal_projection_total(const bal_projection *pr, int k, int64_t r);

/* ---- Municipal (sigungu) runs ------------------------------------------- */

/* What the municipal calibration used and found (owned arrays, nunit long). */
typedef struct bal_muni_report {
    int64_t nunit;
    int asdr_year;           /* sigungu ASDR year of the mortality multipliers */
    int resid_pairs;         /* year pairs of the within-province residual (0: none) */
    int resid_year0, resid_year1; /* first and last year-end population used */
    double *fert_index;      /* [unit] fertility relative to the province */
    double *net_local;       /* [unit] within-province net migration at the start, persons/yr */
} bal_muni_report;

void bal_muni_report_release(bal_ctx *ctx, bal_muni_report *rep);

/*
 * Parameters for the sigungu of `pack` (units = region index - nsido), nested
 * in their sido, from the sido parameters `sido` (already calibrated for the
 * same start) and the start population `pop0` ([sigungu][sex][age]).
 * Fertility: the province's rates times a child-woman-ratio index; mortality:
 * the sigungu's age-standardized death rate relative to the nation; between
 * provinces: the province's rates and destinations; within a province: net
 * rates from the residual of consecutive year-end age tables up to the start
 * year (docs/model.md, "Municipalities"). `rep` may be NULL.
 */
int bal_calibrate_municipal(bal_ctx *ctx, const bal_datapack *pack, const bal_calib_opts *opts,
                            const bal_demog_params *sido, const double *pop0,
                            bal_demog_params *params, bal_muni_report *rep);

/* Sigungu start population at year-end `year` from the 5-year bands of
   population_sigungu_age5.csv, spread evenly over single years. */
int bal_pop_from_sgg_bands(bal_ctx *ctx, const bal_datapack *pack, int year, double *pop);

/* ---- Migration model estimation (migfit.c) --------------------------------- */

enum { BAL_MIG_GRAVITY = 1, BAL_MIG_PIVOT = 2, BAL_MIG_OUT = 3 };
/* The most coefficients of any specification. */
enum { BAL_MIG_MAXK = 8 };
const char *bal_mig_spec_name(int spec);

/* One fitted specification (docs/model.md §12). */
typedef struct bal_mig_fit {
    int spec, k; /* k <= BAL_MIG_MAXK coefficients */
    const char *names[BAL_MIG_MAXK];
    double coef[BAL_MIG_MAXK], se[BAL_MIG_MAXK];
    double se_quasi[BAL_MIG_MAXK]; /* quasi: scaled by sqrt(dispersion) */
    double trend, trend_se;             /* out-migration: log-rate trend per decade */
    double ll, ll_null;                 /* log-likelihood; null: equal destination shares */
    double movers, dispersion;          /* Pearson chi2 / residual df */
    int64_t ncells, nparams, nsit;
    int year0, year1, iterations;
} bal_mig_fit;

/* The gradient (k values into g) of a log-likelihood at beta (k values). */
typedef void bal_mig_grad_fn(void *arg, const double *beta, double *g);

/*
 * Observed information by central differences of an exact gradient:
 *   info[a*k+b] = -(g_b(beta + h_a e_a) - g_b(beta - h_a e_a)) / (2 h_a),
 *   h_a = 1e-4 (1 + |beta_a|),
 * then symmetrised (mean of the two triangles). Used for the pivot fit's
 * profile information. Reads exactly k values of beta (1 <= k <=
 * BAL_MIG_MAXK) and writes k*k values of info. Error O(h^2) times the third
 * derivative; exact for a quadratic log-likelihood up to rounding.
 */
void bal_mig_info_numeric(int k, const double *beta, bal_mig_grad_fn *grad, void *arg,
                          double *info);

/* Fit `spec` on the flows of years y0..y1 (inputs of the year before each). */
int bal_mig_fit_run(bal_ctx *ctx, const bal_datapack *pack, int spec, int y0, int y1,
                    bal_mig_fit *fit);
/* Base shares (pooled flows of the `window` years up to y1) and the mean
   inputs of the years before them, into m->share0 and m->x0. */
int bal_mig_base(bal_ctx *ctx, const bal_datapack *pack, int y1, int window, bal_mig_model *m);
/* Inputs of every sido for `year`, or the base inputs m->x0 where missing. */
void bal_mig_inputs_or_base(const bal_datapack *pack, const bal_mig_model *m, int year,
                            double *x);

/* Out-of-sample test of the destination choice: fit on flows up to fit_y1,
   predict the shares of y0..y1 given each origin's observed out-migrants.
   Row q: 0 fixed shares (pooled fit_y1-4..fit_y1), 1 gravity, 2 pivot. */
typedef struct bal_mig_hind {
    bal_mig_fit gravity, pivot, out;
    int year0, year1;
    double wape[3][16];   /* sum |predicted - observed| / movers, percent */
    double llpm[3][16];   /* predictive log-likelihood per mover */
} bal_mig_hind;
int bal_mig_hindcast(bal_ctx *ctx, const bal_datapack *pack, int fit_y1, int y0, int y1,
                     bal_mig_hind *h);

/* The age response (docs/model.md §12.7). Flows have no ages, so it is read
   off the province age tables: for each year-end pair t, t+1 of
   population_age5.csv, the residual net migration of band b in province i is
   R = P(b,t+1) − [0.8 P(b,t) + 0.2 P(b−1,t)], less the national residual
   rate of the band times the province's expected count (so the residuals sum
   to zero over provinces and the ageing approximation and international
   moves cancel). Net-migration rates nmr_y (bands 20-34 at t+1) and nmr_o
   (5-19 and 35-64) are regressed, within province and year, on the input
   log GRDP per capita (rel.) of year t, population-weighted:
     s = b_y / b_o  (the ratio estimator; robust s.e.),
   the young's net-migration response relative to the others'. With the
   model's own age profile g(a) and base population the gross intensities
   m_y, m_o and mover share w follow, and the per-mover scale is
   k = s m_o / m_y. Provinces founded inside the panel (no population in its
   first year: Sejong) are left out of the regression (not of the national
   residual). */
typedef struct bal_mig_young {
    double s, s_se;          /* young / other net-migration response */
    double b_young, b_other; /* the two within slopes */
    double m_ratio;          /* m_y / m_o of the age profile */
    double k, k_se;          /* per-mover scale k = s / m_ratio */
    double w;                /* share of movers aged 20-34 */
    int year0, year1;        /* first and last start year t used */
    int nobs, nexcluded;
} bal_mig_young;
int bal_mig_young_fit(bal_ctx *ctx, const bal_datapack *pack, const bal_rc_schedule *rc,
                      bal_mig_young *out);

/* Attractiveness inputs of sido r (r = nsido: the nation) observed in `year`
   into x[BAL_NATTR] (migration.h); -1 when the data lack them. */
int bal_mig_inputs(const bal_datapack *pack, int64_t r, int year, double *x);

/* ---- Economy, finance and services in the projection (docs/model.md §13) -- */

/* Settings of the economy with their documented defaults (ASSUMPTIONS.md). */
typedef struct bal_econ_opts {
    double alpha, delta, kappa, eps, tau0, eta, growth;
    double need_density_elast;    /* standard need per person ∝ density^-x (A33) */
    double speed_kmh;             /* straight-line km per hour for base travel times */
    double strat_hi[BAL_NSEC];    /* share of the parent item that is the strategic
                                     industry where a cluster is documented */
    double strat_lo[BAL_NSEC];    /* ... and where none is */
    bal_svc_params svc;
    int couple;                   /* 0: no economy (demography only) */
} bal_econ_opts;
void bal_econ_opts_default(bal_econ_opts *o);

/* Base economy parameters from the pack: value added by sector (with the
   strategic splits), net product taxes, employment rates, travel times. */
int bal_econ_calibrate(bal_ctx *ctx, const bal_datapack *pack, const bal_econ_opts *o,
                       bal_econ_params *ep);

/* Called before the economy of `year` is computed: a policy sets c->lev
   (and may change c->fp); nothing else. */
typedef int (*bal_lever_fn)(bal_ctx *ctx, void *ud, int year, bal_couple *c);

/* The coupled run (the yearly order of ../DESIGN.md): before each
   demographic step, with that year's population: economy → finance →
   services → attractiveness → migration. In a plain run the migration
   shares stay the calibrated ones (the validated path); with a reference
   run `ref` (the status quo), migration responds to the deviation of this
   run's inputs from the reference's (§13.4). */
struct bal_couple {
    const bal_datapack *pack;
    int level, year0, nyears;
    int64_t ns, nunit;
    bal_econ_params ep;
    bal_econ_levers lev;
    bal_econ_state es;
    bal_fin_params fp;
    bal_fin_state fs;
    bal_svc_params svc;
    double need_density_elast;
    bal_lever_fn levers;
    void *levers_ud;
    const bal_attract *ref;   /* reference inputs per year, or NULL */
    bal_mig_run *mig;         /* needed when ref is set; without ref, migration
                                 follows the pivot model (bal_mig_hook) after
                                 the economy of each year, or NULL: calibrated */
    bal_attract rec;          /* this run's inputs per year [ns][BAL_NATTR] */
    int done;                 /* years computed */
    /* results per year index: [nyears][ns] */
    double *grdp, *emp, *emp_rate, *wage, *fsr, *budget, *lat, *subsidy, *local_tax,
        *own, *pop, *p15;
    double *nat_tax;          /* [nyears] national taxes */
    /* per unit: [nyears][nunit] (units = sido in sido runs) */
    double *u_emp, *u_grdp, *schools, *transit, *physicians;
    double *u_w0;             /* [nunit] base employment weights */
    double *u_p0;             /* [nunit] base population 15-64 */
    double *u_rural;          /* [nunit] 1 for a county (군): the rural school criteria */
    double *scratch;          /* [3][ns] */
    /* set by a policy each year (reset to no effect before the lever call):
       the amenity input of each sido (GRDP-per-capita log points) and the
       travel times migration feels (pairs cut by transport policies) */
    double *amenity;          /* [ns] */
    double *mig_travel;       /* [ns][ns] */
};

/* Set up for units of a projection with parameters p from population pop0
   (year0) to year1. */
int bal_couple_init(bal_ctx *ctx, bal_couple *c, const bal_datapack *pack,
                    const bal_econ_opts *o, const bal_demog_params *p, const double *pop0,
                    int year0, int year1, int level);
void bal_couple_release(bal_ctx *ctx, bal_couple *c);
/* The stages of a year, called in this order by bal_simulate with the
   population `pop` (units × cells) of `year`:
   the scenario's levers (c->levers; reset to no policy first), */
int bal_couple_levers(bal_ctx *ctx, bal_couple *c, int year);
/* 2. the economy (employment, output, wages by sido), */
int bal_couple_economy(bal_ctx *ctx, bal_couple *c, int year, const double *pop,
                       const bal_demog_params *p);
/* 3. public finance (after its economy), */
int bal_couple_finance(bal_ctx *ctx, bal_couple *c, int year);
/* 4. services and the units' employment and output, */
int bal_couple_services(bal_ctx *ctx, bal_couple *c, int year, const double *pop,
                        const bal_demog_params *p);
/* 5. attractiveness: the migration model's inputs of the year (c->rec), */
int bal_couple_attract(bal_ctx *ctx, bal_couple *c, int year);
/* 6. with a reference run (c->ref, c->mig): the migration rates m of the
   step from `year`, from the deviation of this run's inputs from the
   reference's and the travel times the policies cut. */
int bal_couple_migration(bal_ctx *ctx, const bal_couple *c, int year, const bal_demog_params *p,
                         bal_mig_rates *m);
/* bal_simulate with the coupled economy (and c->mig without a reference). */
int bal_couple_project(bal_ctx *ctx, bal_couple *c, const bal_demog_params *p,
                       const double *pop0, int year1, bal_projection *out);

/* ---- GSL ------------------------------------------------------------------- */

/* Turn off GSL's default error handler, which aborts the process. Call once
   at start-up, before any thread starts, in every program that links the
   library (balance, balance-serve, the tests, the benchmark): the handler is
   process-wide, so the library never sets it; it checks every status GSL
   returns instead. Without this call a numerical failure aborts. */
void bal_gsl_init(void);
/* Record a failed GSL call as a Balance error and return its code:
   GSL_ENOMEM gives BAL_ENOMEM, any other status BAL_EINTERNAL with the
   message "<what>: GSL error <n>: <gsl_strerror>". */
int bal_gsl_raise(bal_ctx *ctx, int gsl_status, const char *what);

/* ---- Indicators ------------------------------------------------------------ */

/* Local-extinction risk classes (Lee Sang-ho 2016, Korea Employment
   Information Service): index < 0.5 at risk, < 0.2 high risk. */
#define BAL_EXTINCTION_AT_RISK 0.5
#define BAL_EXTINCTION_HIGH_RISK 0.2

/*
 * Everything reported about a projection, computed once: per region and year
 * the indicators, nationally the same plus the capital-region share and (in
 * sigungu runs) the count of sigungu at risk and at high risk. In a sigungu
 * run the sido rows are exact sums of their sigungu (ratios from the sums);
 * internal in/out of a sido or of the nation count moves between provinces
 * only, of a sigungu every move across its border.
 */
typedef struct bal_report {
    int level;              /* BAL_LEVEL_SIDO or BAL_LEVEL_SIGUNGU: level of the units */
    int year0, nyears;
    int64_t nout;           /* regions reported: the sido, then the sigungu */
    int64_t *region;        /* [nout] index in the region table */
    double *val;            /* [nout][nyears][BAL_NIND] */
    double *nat;            /* [nyears][BAL_NIND] */
    double *capital_share;  /* [nyears] percent */
    double *at_risk;        /* [nyears] sigungu at risk (NULL in sido runs) */
    double *high_risk;      /* [nyears] sigungu at high risk (NULL in sido runs) */
    /* with the economy (bal_report_economy; NULL before): GRDP per capita
       disparity across the sido: coefficient of variation (each sido one
       observation) and the population-weighted Theil index */
    double *gdp_cv, *gdp_theil;
} bal_report;

/* Fill the economy, finance and services indicators of `rep` from a coupled
   run over the same units and years. */
int bal_report_economy(bal_ctx *ctx, const bal_couple *c, bal_report *rep);

/* Build the report of `pr`, whose unit u is region `u` (sido runs) or
   `nsido + u` (sigungu runs) of `regions`. */
int bal_report_build(bal_ctx *ctx, const bal_projection *pr, const bal_regions *regions,
                     int level, bal_report *rep);
void bal_report_release(bal_ctx *ctx, bal_report *rep);

/* Indicator row of output region i (or the nation when i < 0) in year index k. */
static inline const double *bal_report_row(const bal_report *rep, int64_t i, int k)
{
    if (i < 0)
        return rep->nat + (size_t)k * BAL_NIND;
    return rep->val + ((size_t)i * (size_t)rep->nyears + (size_t)k) * BAL_NIND;
}

/* Indicator ind (any row of the indicator table but the policy cost) of
   output region i, or of the nation when i < 0, in year index k: the
   per-region indicators from the rows, the national series and summaries
   for the nation only (NAN for a region, beyond the years, or not computed). */
double bal_report_value(const bal_report *rp, int64_t i, int ind, int k);

/* Fill v[BAL_NIND] with the indicators of the sum of projection units
   units[0..nunits-1] (all units when units is NULL) in year index k; `local`
   adds the within-group moves to in/out (for a single unit). */
void bal_projection_values(const bal_projection *pr, int k, const int64_t *units,
                           int64_t nunits, int local, double *v);

/* ---- Policy scenarios (docs/model.md §14) ---------------------------------- */

/* The lever function of a scenario (bal_lever_fn; ud = bal_policy_run). */
typedef struct bal_policy_run {
    const bal_scenario *sc;
    const bal_couple *sq;     /* the status quo run of the same units and years */
    double share0[BAL_NTAX];  /* today's local shares */
    double *cost;             /* [nyears] national cost of the policy (million KRW) */
    /* workspaces of the year's travel-time cuts, [ns][ns]: the largest link
       cut and the largest joint-industry cut of each pair, applied once
       (docs/model.md §14.1) */
    double *cut, *joint;
} bal_policy_run;
int bal_policy_init(bal_ctx *ctx, bal_policy_run *pr, const bal_scenario *s, const bal_couple *sq,
                    const bal_couple *c);
void bal_policy_release(bal_ctx *ctx, bal_policy_run *pr);
int bal_policy_levers(bal_ctx *ctx, void *ud, int year, bal_couple *c);

/* One scenario's run. */
typedef struct bal_scn_result {
    const bal_scenario *sc;
    bal_projection proj;
    bal_couple couple;
    bal_report report;
    bal_policy_run policy;
} bal_scn_result;

/* Run the status quo (out[0], to the latest horizon) and each of the n
   scenarios (out[1..n]) from the base year, at `level`, on calibrated
   parameters of the pack. A scenario that sets no lever is the status quo
   bit for bit. */
int bal_compare_run(bal_ctx *ctx, const bal_datapack *pack, int level, const bal_scenario *sc,
                    int n, bal_scn_result *out);
void bal_scn_result_release(bal_ctx *ctx, bal_scn_result *r);

#ifdef __cplusplus
}
#endif
#endif
