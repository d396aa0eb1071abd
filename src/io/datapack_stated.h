/*
 * datapack_stated.h — tables of the pack that the model does not read but
 * that are validated all the same (issue 18 part 5; docs/data-validation.md):
 * projection_results_stated.csv, KOSTAT's printed projection results kept for
 * the comparison of docs/model.md §15.7.
 */
#ifndef BALANCE_IO_DATAPACK_STATED_H
#define BALANCE_IO_DATAPACK_STATED_H

#include "balance/datapack.h"

/* Read and check projection_results_stated.csv (its regions and vintage
   already read); nothing is stored. BAL_EDATA/BAL_EIO with file and line on
   the first problem. */
int bal_datapack_check_stated(bal_ctx *ctx, const bal_datapack *pk);

#endif
