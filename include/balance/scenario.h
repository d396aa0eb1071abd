/*
 * balance/scenario.h — scenario files (YAML; docs/scenarios.md). io layer.
 */
#ifndef BALANCE_SCENARIO_H
#define BALANCE_SCENARIO_H

#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/policy.h"

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Read and validate `path` (following `extends:` relative to it). Errors:
   BAL_EDATA with the file and line of the offending key or value, BAL_EIO
   when the file cannot be read. */
int bal_scenario_load(bal_ctx *ctx, const char *path, const bal_datapack *pk, bal_scenario *s);

/* The same from text (YAML or JSON) labelled `label` in errors; `extends:`
   names a file in base_dir (no path with ".."). */
int bal_scenario_parse(bal_ctx *ctx, const char *label, const char *text, size_t len,
                       const char *base_dir, const bal_datapack *pk, bal_scenario *s);

/* A scenario as JSON in the shape of the scenario files, resolved: every
   inherited setting written out, no `extends`, defaults included (numbers
   left at "today's value" omitted). Reading it back gives the same scenario.
   NULL when out of memory. */
json_t *bal_scenario_json(const bal_scenario *s, const bal_regions *regions, int64_t nsido);

/* Scenario name of strategic industry i (0, 1, ...: "ai", "bio", ...), NULL
   past the last. */
const char *bal_scenario_industry_name(int i);

#ifdef __cplusplus
}
#endif
#endif
