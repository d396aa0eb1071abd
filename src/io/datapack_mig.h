/*
 * datapack_mig.h — the migration tables of issue 14 (private to src/io):
 * migration_totals.csv and population_age5_residents.csv, read after the
 * rest of the pack by bal_datapack_load (datapack_mig.c).
 */
#ifndef BALANCE_IO_DATAPACK_MIG_H
#define BALANCE_IO_DATAPACK_MIG_H

#include "balance/datapack.h"

/* Read and check both tables into pk->mig_tot and pk->pop5_res. Needs the
   regions, vintage, migration_od.csv and sigungu_totals.csv already read. */
int bal_datapack_load_migtables(bal_ctx *ctx, bal_datapack *pk);
/* Free what the above allocated (safe on a zeroed pack). */
void bal_datapack_release_migtables(bal_ctx *ctx, bal_datapack *pk);

#endif
