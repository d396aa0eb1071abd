/*
 * balance/policyrun.h — policy scenarios in a run: the levers applied each year and the
 * status quo and scenarios side by side (engine/policyrun.c; docs/model.md §14).
 */
#ifndef BALANCE_POLICYRUN_H
#define BALANCE_POLICYRUN_H

#include "balance/report.h"
#include "balance/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

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
void bal_compare_result_release(bal_ctx *ctx, bal_scn_result *r);

#ifdef __cplusplus
}
#endif
#endif
