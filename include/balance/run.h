/*
 * balance/run.h — the engine's runs: every front end (the CLI, the web
 * server, later the MPI driver) asks for a projection, a comparison of
 * scenarios or a backtest through these calls and only renders the result.
 *
 *   bal_run_project   one projection (project): calibrate for the start year,
 *                     run the yearly step (bal_simulate), build the report
 *   bal_compare_run   the status quo and scenarios side by side (policy.h;
 *                     declared in engine.h)
 *   bal_backtest_run  a projection from an observed year, compared with the
 *                     observed totals of every later year
 *
 * The options of a run are described once in the run-option table
 * (bal_run_options): the CLI builds its command-line options from it, the
 * web API reads request keys of the same names.
 */
#ifndef BALANCE_RUN_H
#define BALANCE_RUN_H

#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/calibrate.h"
#include "balance/couple.h"
#include "balance/migfit.h"
#include "balance/policyrun.h"
#include "balance/projection.h"
#include "balance/report.h"
#include "balance/variant.h"

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The settings of a projection or backtest (defaults: bal_run_opts_default). */
typedef struct bal_run_opts {
    int level;              /* BAL_LEVEL_SIDO or BAL_LEVEL_SIGUNGU */
    int from;               /* start: the data's base year, or an observed year-end */
    int to;                 /* last year */
    double tfr_target;      /* national TFR to reach by tfr_target_year; <= 0: rates held */
    int tfr_target_year;
    double improve_scale;   /* multiple of the observed mortality decline */
    int mig_window;         /* most recent flow years pooled for the migration rates */
    int mig_window_exact;   /* 1: refuse a window the data cannot fill */
    double local_halflife;  /* sigungu: half-life of the within-province rates, years */
    int local_migration;    /* sigungu: 0 for no within-province migration */
    int pivot;              /* 1: the migration model responds to the regions (§12) */
    int economy;            /* 1: the coupled economy, finance and services (§13) */
    int variant;            /* bal_variants index (variant.h) or BAL_VARIANT_DEFAULT */
} bal_run_opts;

/* Defaults for a projection of `pack`: its base year to its horizon, sido
   level, observed rates, fixed migration, with the economy. */
void bal_run_opts_default(bal_run_opts *o, const bal_datapack *pack);

/* ---- The run-option table ---------------------------------------------------- */

enum bal_run_opt_kind {
    BAL_RO_YEAR,     /* int year */
    BAL_RO_INT,      /* int in [lo, hi] */
    BAL_RO_NUMBER,   /* double in [lo, hi] */
    BAL_RO_FLAG,     /* int set to `value` when given (no argument) */
    BAL_RO_LEVEL,    /* "sido" or "sigungu" into an int level */
    BAL_RO_MODEL,    /* "fixed" or "pivot" into an int (pivot = 1) */
    BAL_RO_VARIANT   /* a variant name of bal_variants into an int (its index) */
};

/* Commands an option applies to (bit set). */
enum { BAL_RO_PROJECT = 1, BAL_RO_BACKTEST = 2 };

typedef struct bal_run_opt {
    const char *name;     /* command-line name without "--", e.g. "tfr-target" */
    const char *key;      /* JSON key of the web API, e.g. "tfr_target" */
    int kind;             /* enum bal_run_opt_kind */
    size_t offset;        /* the field in bal_run_opts */
    size_t set_offset;    /* an int set to 1 when given, or 0 for none */
    double lo, hi;        /* range of numbers (years: from the data when 0, 0) */
    int value;            /* flags: the value given */
    unsigned commands;    /* BAL_RO_PROJECT | BAL_RO_BACKTEST */
    const char *arg;      /* the argument's name in help ("YEAR", "X"), NULL for flags */
    const char *help;     /* one line (more lines separated by '\n') */
} bal_run_opt;

extern const bal_run_opt bal_run_options[];
/* The population concept every output states (JSON parameters, the table
   header, the store): the resident register of Korean nationals. */
extern const char bal_population_concept[];
extern const int bal_nrun_options;

/* Set option `opt` of `o` from text `value` (NULL for a flag); BAL_EUSAGE
   with "--name: expected ..., not 'value'" when it is not valid. */
int bal_run_opt_set(bal_ctx *ctx, const bal_run_opt *opt, const char *value, bal_run_opts *o);
/* The option called `name` (command-line name or JSON key), or NULL. */
const bal_run_opt *bal_run_opt_find(const char *name);

/* ---- Projection ------------------------------------------------------------------ */

/* One projection and everything it used and found. */
typedef struct bal_run {
    int level;
    bal_run_opts opts;         /* as run (to, from resolved) */
    bal_demog_params params;   /* sido */
    bal_calib_report rep;
    bal_demog_params mparams;  /* sigungu (level sigungu) */
    bal_muni_report mrep;
    bal_projection proj;       /* units: sido, or sigungu */
    bal_mig_run mrun;          /* the migration model (pivot) */
    bal_couple couple;         /* economy, finance, services */
    bal_report report;
    double *pop0, *pop0_sgg;
    double base_time;
    bal_run_param facts[48];   /* the run's parameters and calibration facts */
    int nfacts;
} bal_run;

/* Calibrate on `pack` (with its municipal tables at sigungu level) for
   o->from, run to o->to and build the report. BAL_EUSAGE for options the
   data cannot serve (a start without observed populations, a target year
   before the start, ...). */
int bal_run_project(bal_ctx *ctx, const bal_datapack *pack, const bal_run_opts *o, bal_run *r);
void bal_run_release(bal_ctx *ctx, bal_run *r);

/* ---- Backtest -------------------------------------------------------------------- */

/* Error statistics across units of one year (absolute percentage errors). */
typedef struct bal_backtest_year {
    double mape, median, p90, max;        /* of the projection */
    double naive_mape, naive_median;      /* of the population held at its start value */
    double national;                      /* signed error of the national total, % */
    double naive_national;                /* the same of the naive forecast */
    int observed;                         /* 0: no observation that year (all NAN) */
} bal_backtest_year;

typedef struct bal_backtest {
    bal_run run;               /* the projection */
    int level, from, to, nyears;
    int64_t n;                 /* units compared: sido or sigungu */
    int64_t offset;            /* region index of unit 0 (nsido at sigungu level) */
    double *observed;          /* [nyears][n] observed totals (NAN: none that year) */
    double *projected;         /* [nyears][n] (the base point: interpolated) */
    int base_point;            /* 1: the last row is the pack's base population at
                                  the end of base_month, not a year-end */
    int base_month;
    double *ape;               /* [nyears][n] signed percentage error (row 0 unused) */
    bal_backtest_year *year;   /* [nyears] (row 0 unused) */
    int64_t worst;             /* unit with the largest |error| in the last year */
} bal_backtest;

/* The last year with an observed population at `level`: at province level
   the pack's base year (its base population, end of base_month) when that
   is later than the last year-end; else the last year-end (sido: the years
   of population_totals.csv, then those whose change the residents-only age
   tables give, balance/migage.h bal_migage_pop_totals). */
int bal_backtest_last_year(const bal_datapack *pack, int level);
/* The default start of a backtest at `level` (the data pack's vintage). */
int bal_backtest_default_from(const bal_datapack *pack, int level);
/* Project from o->from to o->to (at most the last observed year) with rates
   estimated from data up to o->from only, and compare with the observed
   totals. A year without observations (at province level, the year-ends
   between the last published one and the base population) has NAN rows and
   statistics. The base point is compared with the projection interpolated
   linearly between the year-ends around it (docs/model.md, Backtests). */
int bal_backtest_run(bal_ctx *ctx, const bal_datapack *pack, const bal_run_opts *o,
                     bal_backtest *bt);
void bal_backtest_release(bal_ctx *ctx, bal_backtest *bt);

/* The backtest as the JSON of `balance backtest --format json` (years, the
   statistics per year, every unit's observed and projected totals and
   errors, the worst unit); NULL when out of memory. (output layer: src/out/backtest_out.c) */
json_t *bal_backtest_json(const bal_backtest *bt, const bal_regions *regions);

#ifdef __cplusplus
}
#endif
#endif
