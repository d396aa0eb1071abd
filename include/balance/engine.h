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

#ifdef __cplusplus
extern "C" {
#endif

/* Rogers-Castro seven-parameter model migration schedule. */
typedef struct bal_rc_schedule {
    double a1, alpha1, a2, alpha2, mu2, lambda2, c;
} bal_rc_schedule;

/* Value of the schedule at exact age x. */
double bal_rc_eval(const bal_rc_schedule *rc, double x);

typedef struct bal_calib_opts {
    int base_year;        /* label of the start year; data after it is not used */
    double base_time;     /* calendar time of the start population */
    int mig_window;       /* most recent usable years of flows to pool (default 5) */
    double improve_scale; /* multiplier of the observed mortality improvement (default 1) */
    double tfr_target;    /* national TFR to reach, <= 0 for constant rates (default) */
    int tfr_target_year;
    bal_rc_schedule rc;   /* age profile of migration (default: Rogers & Castro 1981) */
} bal_calib_opts;

/* Defaults for a start at end-June 2025 (docs/model.md lists each). */
void bal_calib_opts_default(bal_calib_opts *o);

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
    /* accounts of the step from year k to k+1: [k][region], k < nyears - 1 */
    double *births, *deaths, *in, *out, *intl;
} bal_projection;

/* Population block of year index k. */
static inline double *bal_projection_pop(const bal_projection *pr, int k)
{
    return pr->pop + (size_t)k * (size_t)(pr->nreg * BAL_CELLS);
}

/* Run from `pop0` (labelled p->base_year) to `year1` inclusive. */
int bal_project(bal_ctx *ctx, const bal_demog_params *p, const double *pop0, int year1,
                bal_projection *out);
void bal_projection_release(bal_ctx *ctx, bal_projection *pr);

/* Total population of region r (or all regions when r < 0) in year index k. */
double bal_projection_total(const bal_projection *pr, int k, int64_t r);

/* Indicators of one region (or the nation) in one year, in this order. The
   flows are those of the year that ends at year index k (NAN for k = 0). */
enum bal_indicator {
    BAL_IND_POPULATION, BAL_IND_POPULATION_FEMALE, BAL_IND_POPULATION_MALE,
    BAL_IND_BIRTHS, BAL_IND_DEATHS, BAL_IND_INTERNAL_IN, BAL_IND_INTERNAL_OUT,
    BAL_IND_NET_INTERNAL, BAL_IND_NET_INTERNATIONAL, BAL_NIND
};
/* Stable snake_case name of an indicator (used in JSON, CSV and SQLite). */
const char *bal_indicator_name(int ind);
/* Fill v[BAL_NIND] for region r, or the whole country when r < 0. */
void bal_projection_values(const bal_projection *pr, int k, int64_t r, double *v);

/* Capital-region share (percent) in year index k; regions flagged in `regions`. */
double bal_projection_capital_share(const bal_projection *pr, const bal_regions *regions, int k);

#ifdef __cplusplus
}
#endif
#endif
