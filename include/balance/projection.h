/*
 * balance/projection.h — a projection: the yearly loop (bal_simulate lists the stages of a
 * year in the documented order) and the populations and accounts it keeps
 * (engine/project.c, migrun.c).
 */
#ifndef BALANCE_PROJECTION_H
#define BALANCE_PROJECTION_H

#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/demography.h"
#include "balance/migration.h"

#ifdef __cplusplus
extern "C" {
#endif

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
int bal_projection_run(bal_ctx *ctx, const bal_demog_params *p, const double *pop0, int year1,
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
                  bal_demog_rates *m);
/* The migration model on its own inputs for the step from `year`: log
   population of each group from `pop`, the others as observed in the data
   pack up to that year (or from run->attract). */
int bal_mig_pivot(const bal_mig_run *run, int year, const double *pop, const bal_demog_params *p,
                  bal_demog_rates *m);

/* Total population of region r (or all regions when r < 0) in year index k. */
double bal_projection_total(const bal_projection *pr, int k, int64_t r);

#ifdef __cplusplus
}
#endif
#endif
