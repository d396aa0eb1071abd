/*
 * balance/scenario.h — scenario files (YAML; docs/scenarios.md). io layer.
 */
#ifndef BALANCE_SCENARIO_H
#define BALANCE_SCENARIO_H

#include "balance/core.h"
#include "balance/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Read and validate `path` (following `extends:` relative to it). Errors:
   BAL_EDATA with the file and line of the offending key or value, BAL_EIO
   when the file cannot be read. */
int bal_scenario_load(bal_ctx *ctx, const char *path, const bal_regions *regions, int64_t nsido,
                      bal_scenario *s);

/* The same from text (YAML or JSON) labelled `label` in errors; `extends:`
   names a file in base_dir (no path with ".."). */
int bal_scenario_parse(bal_ctx *ctx, const char *label, const char *text, size_t len,
                       const char *base_dir, const bal_regions *regions, int64_t nsido,
                       bal_scenario *s);

#ifdef __cplusplus
}
#endif
#endif
