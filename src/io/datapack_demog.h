/*
 * datapack_demog.h — the readers of the demography tables of issue 14
 * (datapack_demog.c), called once by bal_datapack_load (datapack.c).
 */
#ifndef BALANCE_IO_DATAPACK_DEMOG_H
#define BALANCE_IO_DATAPACK_DEMOG_H

#include "balance/datapack.h"

/* Read and check vital_sido.csv, fertility_asfr.csv, vital_national.csv,
   projection_assumptions.csv, intl_migration.csv and foreign_residents.csv
   into `pk` (its regions and vintage already read). BAL_EDATA/BAL_EIO with
   file and line on the first problem; the caller releases the pack. */
int bal_datapack_load_demog(bal_ctx *ctx, bal_datapack *pk);
/* Free what bal_datapack_load_demog allocated (safe on a zeroed pack). */
void bal_datapack_demog_release(bal_ctx *ctx, bal_datapack *pk);

#endif
