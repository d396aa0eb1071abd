/*
 * balance/migfit.h — estimation of the migration model: maximum-likelihood fits, the
 * hindcast and the age response (engine/migfit.c, migyoung.c).
 */
#ifndef BALANCE_MIGFIT_H
#define BALANCE_MIGFIT_H

#include "balance/calibrate.h"
#include "balance/migration.h"

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif
#endif
