/*
 * balance/migage.h — the age pattern of migration estimated from the data
 * (issue 14; docs/model.md §5.1): residual net migration by province and
 * five-year band from consecutive year-end age tables, split into an internal
 * and an international part, and destination attractiveness by broad age
 * group fitted so that the model reproduces the observed net migration of
 * every province and group over the migration window.
 *
 * The pure steps (bal_migage_adjust, bal_migage_ipf) take arrays; the data
 * step (bal_migage_run, engine/migage.c) reads the pack.
 */
#ifndef BALANCE_MIGAGE_H
#define BALANCE_MIGAGE_H

#include "balance/calibrate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The broad age groups (BAL_MIGB, bal_migb_of_end_age, bal_migb_of_start_age)
   are in balance/demography.h, where the yearly step uses them. */
const char *bal_migb_label(int b);

/*
 * Two-way additive adjustment: x[nr][nc] is moved as little as possible, in
 * the metric weighted by 1/w, so that every row sums to row_target[r] and
 * every column to zero:
 *   x <- x + w (a_r + b_c)
 * by alternating row and column steps (each exact for its own constraint;
 * they converge because the constraints are consistent: Σ_r row_target = 0).
 * Cells with w = 0 are not moved. Returns the iterations used, or -1 when the
 * largest constraint error still exceeds tol (absolute) after maxit.
 */
int bal_migage_adjust(int64_t nr, int nc, const double *w, const double *row_target, double *x,
                      int maxit, double tol);

/*
 * Destination attractiveness by group (iterative proportional fitting of the
 * age-specific origin-destination matrix to its margins). With movers
 * out[i][b] leaving origin i in group b and base destination shares
 * dest[i][j] (rows sum to 1, diagonal 0), the arrivals are
 *   in(j,b) = Σ_i out(i,b) dest(i,j) g(j,b) / Σ_l dest(i,l) g(l,b),
 * so origins keep their movers (row margins) and g is fitted so that in(j,b)
 * equals target[j][b] (column margins; Σ_j target = Σ_i out for each b):
 *   g(j,b) <- g(j,b) target(j,b) / in(j,b)
 * then each column b of g is scaled to mean 1 (the shares do not depend on
 * the scale). Targets must be positive where
 * destinations can be reached. gamma (n × nb) is the starting point on entry
 * (all 1 for none) and the fit on return; *maxrel receives the largest
 * |in/target − 1|. Returns the iterations, or -1 if not within tol.
 */
int bal_migage_ipf(int64_t n, int nb, const double *out, const double *dest, const double *target,
                   double *gamma, int maxit, double tol, double *maxrel);

/* Arrivals in(j,b) of the model above (for tests and reports). */
void bal_migage_arrivals(int64_t n, int nb, const double *out, const double *dest,
                         const double *gamma, double *in);

/* What bal_migage_run found, per province and group, persons a year
   (means over the year pairs used). */
typedef struct bal_migage_fit {
    int64_t n;
    int npairs;                       /* year pairs used (0: no age fit) */
    int years[BAL_MIG_WINDOW_MAX];    /* end years of the pairs */
    int residents[BAL_MIG_WINDOW_MAX];/* 1: the pair used the residents-only tables */
    double *obs_net;  /* [n][BAL_MIGB] residual net migration by group (internal,
                         international, and what the five-year bands and the
                         model's deaths get wrong) */
    double *obs_int;  /* [n][BAL_MIGB] its internal part (the fit's target; rows sum
                         to the OD net of the province, groups to zero over provinces) */
    double *rc_net;   /* [n][BAL_MIGB] the model's internal net before the fit:
                         Rogers-Castro profile, pooled shares, γ = 1 */
    double *fit_net;  /* [n][BAL_MIGB] the model's internal net after the fit */
    double *gamma;    /* [n][BAL_MIGB] destination attractiveness by group */
    double *intl5;    /* [n][BAL_NBAND5] the rest of the residual by band of the end
                         age (reported, not used: see docs/model.md §5.1) */
    double ipf_maxrel;
    int ipf_iter, adjust_iter;
    int clamped;      /* targets raised to the floor (see engine/migage.c) */
} bal_migage_fit;

void bal_migage_fit_release(bal_ctx *ctx, bal_migage_fit *f);

/*
 * The fit for the flow years `years` (ny of them, each with its year-end
 * population of the year before and of the year): residual by band with the
 * model's own survival (p's mortality) and observed births (the model's where
 * the pack has none), less the internal part, fitted by bal_migage_adjust to
 * the OD net of each province; then bal_migage_ipf with p->outrate and
 * p->dest. Years without both age tables are skipped; f->npairs = 0 when none
 * is left (the caller keeps the Rogers-Castro profile).
 */
int bal_migage_run(bal_ctx *ctx, const bal_datapack *pk, const bal_demog_params *p,
                   const int *years, int ny, bal_migage_fit *f);

/* Year-end population of year `y` by sido, sex and band into bands
   ([sido][sex][band]) in the coverage asked for (residents = 0: total
   registered, population_age5.csv; 1: residents only,
   population_age5_residents.csv); BAL_EDATA when the pack lacks it. */
int bal_migage_pop_end(bal_ctx *ctx, const bal_datapack *pk, int y, int residents, double *bands);

/* Start population of flow year y as the fit uses it: the year-end y-1
   bands in that coverage, sigungu that changed province by year-end y moved
   to their new province (spread by the old one's sex-age structure), spread
   evenly over single ages: pop is [sido][sex][age]. */
int bal_migage_pop_start(bal_ctx *ctx, const bal_datapack *pk, int y, int residents, double *pop);

/* Population of the sigungu that changed province between the year-ends
   y0 and y1 (their y0 size, sigungu_totals.csv): delta[sido] is what the
   province gains (+) or loses (-) by the new boundary, 0 elsewhere. */
void bal_migage_boundary_shift(const bal_datapack *pk, int y0, int y1, double *delta);

/* Year-end total registered population of every sido in year y into pop:
   population_totals.csv (returns 0), or, where it lacks y, the total of y-1
   plus the change of the residents-only tables from y-1 to y (the same
   coverage at both ends; returns 1); -1 when neither is possible. */
int bal_migage_pop_totals(const bal_datapack *pk, int y, double *pop);

#ifdef __cplusplus
}
#endif
#endif
