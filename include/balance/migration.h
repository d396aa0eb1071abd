/*
 * balance/migration.h — where people move: a destination-choice (multinomial
 * logit) model and an out-migration response, both driven by regional
 * "attractiveness" inputs that other modules set.
 *
 * Pure computation, no I/O, no globals. docs/model.md §12 gives the
 * equations, the estimation and the hindcast.
 *
 * Destination choice from origin i, pivoting on base shares s(i,j):
 *   P(j | i) = s(i,j) exp(β·(x_j − x0_j)) / Σ_l s(i,l) exp(β·(x_l − x0_l)),
 * the logit with origin–destination constants log s(i,j) (which absorb
 * distance, contiguity and every time-invariant pull) and the estimated
 * responses β to the time-varying inputs x. Out-migration from i:
 *   o(i,s,a,t) = o0(i,s,a) exp(θ·(x_i(t) − x0_i)).
 */
#ifndef BALANCE_MIGRATION_H
#define BALANCE_MIGRATION_H

#include "balance/demography.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Attractiveness inputs of a region: the columns of x. */
enum bal_attr {
    BAL_ATTR_LOG_POP,     /* log population (set from the projection itself) */
    BAL_ATTR_GRDP_PC,     /* log GRDP per capita relative to the nation */
    BAL_ATTR_EMPLOYMENT,  /* employment rate minus the nation's, in 10 percentage points */
    BAL_ATTR_HOUSING,     /* housing cost index, log (placeholder: no data, β = 0) */
    BAL_ATTR_AMENITY,     /* services and amenities index (placeholder: no data, β = 0) */
    BAL_NATTR
};
const char *bal_mig_attr_name(int k);

/*
 * Attractiveness inputs per region and year, set by other modules (economy,
 * policy); migration reads them and nothing else. x is [nyears][n][BAL_NATTR];
 * years outside the range use the nearest year held.
 */
typedef struct bal_attract {
    int64_t n;
    int year0, nyears;
    double *x;
} bal_attract;

int bal_mig_attract_init(bal_ctx *ctx, bal_attract *a, int64_t n, int year0, int nyears);
void bal_mig_attract_release(bal_ctx *ctx, bal_attract *a);
/* Row block [n][BAL_NATTR] of `year` (clamped to the range held). */
double *bal_mig_attract_at(const bal_attract *a, int year);

/* The fitted model, for groups (sido) 0..n-1. */
typedef struct bal_mig_model {
    int64_t n;
    double beta[BAL_NATTR];   /* destination choice */
    double theta[BAL_NATTR];  /* out-migration, log-rate response of the origin */
    double young_scale;       /* k: response of a mover aged 20-34 relative to an
                                 older or younger one (docs/model.md §12.7; 1 = same) */
    double young_share;       /* w: share of the movers aged 20-34 (mover-weighted
                                 mean of the scales stays 1, see bal_mig_age_scales) */
    double *share0;           /* [n][n] base shares, rows sum to 1, diagonal 0 */
    double *x0;               /* [n][BAL_NATTR] inputs the base shares refer to */
} bal_mig_model;

int bal_mig_model_init(bal_ctx *ctx, bal_mig_model *m, int64_t n);
void bal_mig_model_release(bal_ctx *ctx, bal_mig_model *m);

/* Destination shares dest[n][n] for inputs x[n][BAL_NATTR] (rows sum to 1),
   with the coefficients β multiplied by `scale` (1: as estimated). */
void bal_mig_dest(const bal_mig_model *m, const double *x, double scale, double *dest);

/* Out-migration multiplier of origin i for inputs x: exp(scale θ·(x_i − x0_i)). */
double bal_mig_out_factor(const bal_mig_model *m, const double *x, int64_t i, double scale);

/* Destination shares dest[n][n] after travel times change from travel0 to
   travel: each pair's odds × (T / T0)^gamma (gamma the gravity distance
   elasticity, < 0), rows renormalised; rows with no change are untouched. */
void bal_mig_travel_scale(const double *travel, const double *travel0, int64_t n, double gamma,
                          double *dest);

/* Scales of β and θ for movers outside and inside ages 20-34: other =
   1 / (1 + w (k − 1)), young = k · other, so that the mover-weighted mean
   w·young + (1 − w)·other is 1 (the estimate from flows without ages). */
void bal_mig_age_scales(const bal_mig_model *m, double *other, double *young);

/* ---- Estimation: the conditional-logit log-likelihood ---------------------- */

/*
 * Choice situations s = 0..nsit-1 (an origin in a year), each with `nalt`
 * alternatives (destinations) of which those with avail = 0 are excluded,
 * counts n[s][j] of choosers, and covariates x[s][j][k]; an optional offset
 * c[s][j] (log base share, or NULL) is added to the utility.
 *   U(s,j) = c(s,j) + Σ_k β_k x(s,j,k);  P(s,j) = exp U / Σ_avail exp U
 *   LL(β) = Σ_s Σ_j n(s,j) log P(s,j)
 */
typedef struct bal_logit_data {
    int64_t nsit, nalt;
    int k;
    const double *x;              /* [nsit][nalt][k] */
    const double *n;              /* [nsit][nalt] */
    const double *offset;         /* [nsit][nalt] or NULL */
    const unsigned char *avail;   /* [nsit][nalt] */
} bal_logit_data;

/*
 * Log-likelihood at β; when grad (k) is not NULL it receives ∂LL/∂β =
 * Σ (n − N P) x, and when hess (k×k) is not NULL, ∂²LL/∂β∂β' =
 * −Σ_s N_s Σ_j P (x − x̄_s)(x − x̄_s)'. `prob` (nsit×nalt) may be NULL.
 */
double bal_mig_logit_loglik(const bal_logit_data *d, const double *beta, double *grad,
                        double *hess, double *prob);

#ifdef __cplusplus
}
#endif
#endif
