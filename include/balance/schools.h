/*
 * balance/schools.h — the school closure model against the published
 * closures (engine/schools.c; docs/model.md §13.3): the hindcast of
 * 2020-2025 and the calibration of the threshold factor kappa.
 */
#ifndef BALANCE_SCHOOLS_H
#define BALANCE_SCHOOLS_H

#include "balance/datapack.h"
#include "balance/economy.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BAL_SCHOOL_FIT_MAX 16

/* Closures per year, model and observed. */
typedef struct bal_school_fit {
    int year0, nyears;                          /* years of the fit */
    double model[BAL_SCHOOL_FIT_MAX][BAL_NSCHOOL + 1]; /* by level, then all */
    double observed[BAL_SCHOOL_FIT_MAX];        /* published, all levels */
    int planned[BAL_SCHOOL_FIT_MAX];            /* 1 when the published count is planned */
    double sse;                                 /* Σ (ln model - ln observed)² */
} bal_school_fit;

/* The hindcast: from the first year of the "jin" series (MOE data compiled
   from the 17 education offices; closures of all levels) to the base year,
   the closures of the register's schools as each sido's pupils change:
   pupils of year y relative to the base = (students of y / students of base
   - 1 year) × the cohort ratio of the base population (ages one year older
   over the level's ages); each sigungu's base mean size from its own base
   pupils (the municipal tables must be loaded). */
int bal_schools_hindcast(bal_ctx *ctx, const bal_datapack *pk, const bal_svc_params *p,
                         bal_school_fit *fit);
/* kappa minimizing the fit's sse with p's sigma (grid 0.01 ... 1.5 by 0.01,
   then golden-section search); p->school_kappa is set, the fit filled. */
int bal_schools_calibrate(bal_ctx *ctx, const bal_datapack *pk, bal_svc_params *p,
                          bal_school_fit *fit);

#ifdef __cplusplus
}
#endif
#endif
