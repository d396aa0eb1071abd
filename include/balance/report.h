/*
 * balance/report.h — everything reported about a projection, computed once for all the
 * writers (engine/report.c; the indicator table: indicators.h).
 */
#ifndef BALANCE_REPORT_H
#define BALANCE_REPORT_H

#include "balance/couple.h"
#include "balance/indicators.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Indicators ------------------------------------------------------------ */

/* Local-extinction risk classes (Lee Sang-ho 2016, Korea Employment
   Information Service; docs/model.md §10.1): index >= 1.5 very low risk,
   1.0-1.5 normal, 0.5-1.0 caution, 0.2-0.5 risk entry, < 0.2 high risk;
   < 0.5 "at risk" (the last two). */
#define BAL_EXTINCTION_VERY_LOW 1.5
#define BAL_EXTINCTION_NORMAL 1.0
#define BAL_EXTINCTION_AT_RISK 0.5
#define BAL_EXTINCTION_HIGH_RISK 0.2
/* The KEIS class of an index, 1 (very low risk) to 5 (high risk); 0 for NAN. */
int bal_extinction_class(double index);
/* A unit "lost more than 30 %" when its population is below this share of
   its first year's. */
#define BAL_POP_LOSS_KEPT 0.7

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
    /* sigungu runs (NULL in sido runs): the count of sigungu in each KEIS
       class, risk_class[(c - 1) * nyears + k] for class c = 1..5 (5: the
       same as high_risk), and of sigungu below BAL_POP_LOSS_KEPT of their
       first year's population, pop_loss[k] (pointing into risk_class) */
    double *risk_class;     /* [5][nyears] */
    double *pop_loss;       /* [nyears] */
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
void bal_report_values(const bal_projection *pr, int k, const int64_t *units,
                           int64_t nunits, int local, double *v);

#ifdef __cplusplus
}
#endif
#endif
