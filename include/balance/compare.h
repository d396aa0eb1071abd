/*
 * balance/compare.h — the indicators of a scenario comparison (io layer):
 * shared by `balance compare` and the web API.
 */
#ifndef BALANCE_COMPARE_H
#define BALANCE_COMPARE_H

#include "balance/policyrun.h"
#include "balance/vocab_out.h"

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The nation's value of indicator q (enum bal_indicator; the compared ones:
   bal_compare_indicators) of a result in `year` (NAN beyond its horizon or
   not computed). */
double bal_compare_value(const bal_scn_result *r, int q, int year);
/* Population of a union's members in `year`. */
double bal_compare_union_population(const bal_scn_result *r, const bal_union *u, int year);
/* The comparison of res[0] (status quo) and res[1..n] in the report years of
   pk's vintage as the JSON of `balance compare --format json` (NULL when out
   of memory). */
json_t *bal_compare_json(const bal_scn_result *res, int n, const bal_datapack *pk, int level);

#ifdef __cplusplus
}
#endif
#endif
