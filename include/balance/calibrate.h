/*
 * balance/calibrate.h — calibration: the demography parameters of a start year from the data
 * pack, using only data up to that year (so a backtest is out of sample), for
 * the provinces and the municipalities nested in them (engine/calibrate.c,
 * municipal.c).
 */
#ifndef BALANCE_CALIBRATE_H
#define BALANCE_CALIBRATE_H

#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/demography.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One named fact about a run (key, numeric value): its parameters and what
   calibration found, for the store and the exporters. */
typedef struct bal_run_param {
    const char *key;
    double value;
    const char *text;   /* a textual value (the variant, the population concept) or NULL */
} bal_run_param;

/* Rogers-Castro seven-parameter model migration schedule. */
typedef struct bal_rc_schedule {
    double a1, alpha1, a2, alpha2, mu2, lambda2, c;
} bal_rc_schedule;

/* Value of the schedule at exact age x. */
double bal_calib_rc_eval(const bal_rc_schedule *rc, double x);

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
    int intl_window;      /* most recent years of the migration window whose residual gives
                             the net international migration, 1..mig_window (default 2:
                             2023-2024 for the base; ASSUMPTIONS.md A5, docs/model.md §6) */
    int variant;          /* bal_variants index (variant.h), or BAL_VARIANT_DEFAULT:
                             kostat-medium when the start may see the release, else constant */
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
    int fert_year;           /* year of the published TFR that sets the fertility level */
    int fert_year0;          /* first year of the pooled ASFR (the age pattern) */
    int mig_year0, mig_year1, mig_nyears; /* flows pooled */
    int intl_year0, intl_year1;           /* years of the international residual */
    double tfr_national;
    double e0[2];            /* national life expectancy at the base, female/male */
    /* per region, nreg long each (owned by the report) */
    int64_t nreg;
    double *tfr;
    double *e0_region;       /* [region][sex] */
    double *out_rate;        /* pooled crude out-migration rate (per person-year) */
    double *intl_per_year;   /* net international + registration residual, persons/year */
    int intl_deaths_observed;/* region-years of the residual with observed deaths (vital_sido.csv) */
    /* the variant (variant.h) and what it used */
    int variant;             /* bal_variants index, resolved */
    int release_base, released; /* KOSTAT release of the assumptions (0 for constant) */
    int path_last;           /* last year of the release's assumptions */
    double tfr_ultimate;     /* the variant's ultimate TFR and the year reached */
    int tfr_ultimate_year;
    double e0_jump[2];       /* e0 of the life table year (female/male), the e0 path's start */
    double e0_target[2];     /* e0 the variant reaches in path_last */
    double nim0, nim_last;   /* the variant's national net international migration at the
                                start and in path_last, persons/year */
    /* The age fit of migration (issue 14, balance/migage.h; NULL arrays and
       0 pairs when the data have no age tables for the window): per region
       and broad group [region][BAL_MIGB], persons a year. */
    int mig_age_pairs, mig_age_year0, mig_age_year1;
    double *mig_age_obs;     /* observed net migration (residual) */
    double *mig_age_rc;      /* the model before the fit (Rogers-Castro only) */
    double *mig_age_fit;     /* the model after the fit */
    double *mig_age_gamma;   /* destination attractiveness */
} bal_calib_report;

/* Single-year fertility rates f[0..BAL_NAGE-1] (zero outside 15-49) from the
   rates g[0..6] of the groups 15-19 .. 45-49 (per woman-year): the
   derivative of a monotone piecewise-cubic Hermite interpolation
   (Fritsch & Carlson 1980) of the cumulative fertility at exact ages 15, 20,
   ..., 50, so that every group keeps its sum 5 g and no rate is negative. */
void bal_calib_asfr_single(const double *g, double *f);

void bal_calib_report_release(bal_ctx *ctx, bal_calib_report *rep);

/*
 * Estimate parameters for the first `nsido` regions of `pack`. `pop0` is the
 * start population ([sido][sex][age]), used to scale the age profile of
 * out-migration to the observed crude rate. `params` is initialised here;
 * `rep` may be NULL. BAL_EDATA when the pack lacks a needed year.
 */
int bal_calib_run(bal_ctx *ctx, const bal_datapack *pack, const bal_calib_opts *opts,
                  const double *pop0, bal_demog_params *params, bal_calib_report *rep);

/* Start population at year-end `year` from the 5-year bands, spread evenly
   over the single years of each band. `pop` is [sido][sex][age]. */
int bal_calib_pop_from_bands(bal_ctx *ctx, const bal_datapack *pack, int year, double *pop);

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
int bal_muni_calibrate(bal_ctx *ctx, const bal_datapack *pack, const bal_calib_opts *opts,
                            const bal_demog_params *sido, const double *pop0,
                            bal_demog_params *params, bal_muni_report *rep);

/* Sigungu start population at year-end `year` from the 5-year bands of
   population_sigungu_age5.csv, spread evenly over single years. */
int bal_muni_pop_from_bands(bal_ctx *ctx, const bal_datapack *pack, int year, double *pop);

#ifdef __cplusplus
}
#endif
#endif
