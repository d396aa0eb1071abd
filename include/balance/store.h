/*
 * balance/store.h — results store (SQLite) and exporters (JSON, CSV).
 *
 * The store is one SQLite file. Each run is written inside one transaction:
 * either all its rows are there or none are (an interrupted or failed run
 * rolls back), and earlier runs are never touched. Schema 2
 * (PRAGMA user_version = 2):
 *   runs(id, created_utc, command, data_dir, level, scenario, draw,
 *        base_year, final_year, version)
 *   run_params(run_id, key, value)          -- calibration facts and options
 *   regions(run_id, code, level, parent, name_en, name_ko, capital_region)
 *   results_wide(run_id, year, region, population, ..., schools_closed, ...)
 *       -- one row per run, year and region ("00": the nation), one REAL
 *          column per indicator of the indicator table (bal_indicator_name;
 *          all but national_cost_cumulative, which no report holds), at the
 *          table's precision; PRIMARY KEY(run_id, region, year)
 *   results(run_id, year, region, indicator, value)
 *       -- a VIEW over results_wide, the long form of schema 1 row for row:
 *          every per-region indicator for every region and year (value NULL
 *          where it is not defined, e.g. fiscal_self_reliance of a sigungu);
 *          the flows from the second year; the national series and
 *          summaries (capital_region_share, gdp, ...; sigungu_at_risk and
 *          sigungu_high_risk in sigungu runs) for region "00" where they
 *          have a value.
 * A file of schema 1 (a `results` table) is migrated on the next write, in
 * that run's transaction, or refused (BAL_EDATA, nothing written) if it holds
 * an indicator this version does not store; a file of a newer schema is
 * refused. An indicator added to the table since the file was written gets
 * its column (ALTER TABLE ADD COLUMN, NULL for earlier runs) and the view is
 * recreated. Indicators are listed in docs/model.md.
 */
#ifndef BALANCE_STORE_H
#define BALANCE_STORE_H

#include "balance/engine.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bal_run_info {
    const char *command;    /* e.g. the command line, for provenance */
    const char *data_dir;
    const char *scenario;   /* "status_quo" for a plain projection */
    const bal_run_param *params;
    int nparams;
} bal_run_info;

/*
 * Append one run to the SQLite database at `path` (created if absent, brought
 * to schema 2 if older). On success *run_id is the new run's id. BAL_ESTORE
 * with SQLite's message on failure, BAL_EDATA (with `path` as the file) for a
 * file it will not write (newer schema, a schema-1 file it cannot migrate);
 * either way nothing of this run remains in the file.
 */
int bal_store_write(bal_ctx *ctx, const char *path, const bal_run_info *info,
                    const bal_regions *regions, const bal_report *rep, int64_t *run_id);

/* One run of a batch. */
typedef struct bal_store_item {
    const bal_run_info *info;
    const bal_regions *regions;
    const bal_report *report;
} bal_store_item;

/* Append n runs (a compare's scenarios) in one transaction: all of them or,
   on any failure or a killed process, none. run_ids[i] is the id of
   items[i]. A file that does not exist is first created with its schema
   (atomically: the file never exists without its tables). Same errors as
   bal_store_write. */
int bal_store_write_batch(bal_ctx *ctx, const char *path, const bal_store_item *items, int n,
                          int64_t *run_ids);

/* The regions an export writes (`only`): every output region, none (the
   nation only), or output region i of the report (0..nout-1). The nation is
   always written: it is what every share is read against. */
#define BAL_EXPORT_ALL (-1)
#define BAL_EXPORT_NATION (-2)

/* Write the report as one JSON object (schema: src/out/export.c, README);
   "regions" lists the regions selected by `only`. */
int bal_export_json(bal_ctx *ctx, FILE *f, const bal_regions *regions, const bal_report *rep,
                    int64_t only, const bal_run_param *params, int nparams);

/* Write the report as CSV, one row per year and region selected by `only`
   (national "00" last). */
int bal_export_csv(bal_ctx *ctx, FILE *f, const bal_regions *regions, const bal_report *rep,
                   int64_t only);

#ifdef __cplusplus
}
#endif
#endif
