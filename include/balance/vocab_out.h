/*
 * balance/vocab_out.h — the vocabulary tables as output (io layer, above the
 * engine): an indicator's value as every writer writes it and its title in
 * tables, and the lever and indicator tables as JSON for `balance levers`,
 * `balance indicators` and the web API.
 */
#ifndef BALANCE_VOCAB_OUT_H
#define BALANCE_VOCAB_OUT_H

#include "balance/indicators.h"
#include "balance/levers.h"

#include <jansson.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Indicator ind's value v as written in JSON: rounded to the table's
   decimals, an integer when it has none, null for NAN. */
json_t *bal_indicator_json(int ind, double v);
/* The title of an indicator in tables: its label, and its unit when the
   unit is a percentage or money ("Fiscal self-reliance, %"). */
const char *bal_indicator_title(int ind, char *buf, size_t n);
/* The indicator table as {"indicators": [{name, unit, label, label_ko, abbrev,
   precision, shown, aggregation, rule, where, map, compare, title,
   title_ko}]} (GET /api/indicators, `balance indicators --format json`). */
json_t *bal_indicator_table_json(void);

/* The lever table (levers.h) as {"levers": [{path, key, type, default,
   default_text, min, max, unit, family, doc, label, label_ko, pending, and
   for drawing a control: switch, max_items, choices, preset_shares; and
   with `today` (BAL_NTAX local shares of the data, bal_couple_tax_shares;
   NULL: none) "today" on each tax-share row}]} (`balance levers --format
   json`, GET /api/levers). */
json_t *bal_lever_table_json(const double *today);

#ifdef __cplusplus
}
#endif
#endif
