/*
 * balance/compare.h — the indicators of a scenario comparison (io layer):
 * shared by `balance compare` and the web API.
 */
#ifndef BALANCE_COMPARE_H
#define BALANCE_COMPARE_H

#include "balance/engine.h"

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

enum bal_compare_ind {
    BAL_CMP_CAPITAL, BAL_CMP_OUTSIDE, BAL_CMP_AT_RISK, BAL_CMP_HIGH_RISK, BAL_CMP_CV,
    BAL_CMP_THEIL, BAL_CMP_GDP, BAL_CMP_FSR, BAL_CMP_SCHOOLS_LOST, BAL_CMP_COST, BAL_CMP_N
};
const char *bal_compare_name(int q);   /* JSON / CSV name */
const char *bal_compare_label(int q);  /* table label */
/* Indicator q of a result in `year` (NAN beyond its horizon or not computed). */
double bal_compare_value(const bal_scn_result *r, int q, int year);
/* Population of a union's members in `year`. */
double bal_union_population(const bal_scn_result *r, const bal_union *u, int year);
/* The comparison of res[0] (status quo) and res[1..n] as the JSON of
   `balance compare --format json` (NULL when out of memory). */
json_t *bal_compare_json(const bal_scn_result *res, int n, const bal_regions *regions, int level);

#ifdef __cplusplus
}
#endif
#endif
