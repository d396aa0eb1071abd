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

/* Indicator ind's value v as written in JSON: rounded to the table's
   decimals, an integer when it has none, null for NAN. */
json_t *bal_indicator_json(int ind, double v);
/* The title of an indicator in tables: its label, and its unit when the
   unit is a percentage or money ("Fiscal self-reliance, %"). */
const char *bal_indicator_title(int ind, char *buf, size_t n);
/* The nation's value of indicator q (enum bal_indicator; the compared ones:
   bal_compare_indicators) of a result in `year` (NAN beyond its horizon or
   not computed). */
double bal_compare_value(const bal_scn_result *r, int q, int year);
/* Population of a union's members in `year`. */
double bal_union_population(const bal_scn_result *r, const bal_union *u, int year);
/* The indicator table as {"indicators": [{name, unit, label, label_ko, abbrev,
   precision, shown, aggregation, rule, where, map, compare}]} (GET
   /api/indicators, `balance indicators --format json`). */
json_t *bal_indicators_json(void);
/* The comparison of res[0] (status quo) and res[1..n] in the report years of
   pk's vintage as the JSON of `balance compare --format json` (NULL when out
   of memory). */
json_t *bal_compare_json(const bal_scn_result *res, int n, const bal_datapack *pk, int level);

#ifdef __cplusplus
}
#endif
#endif
