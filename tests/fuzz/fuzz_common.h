/*
 * fuzz_common.h — what the fuzz targets share: the data pack loaded once
 * (BALANCE_DATA, default data/kr) and the scenarios directory
 * (BALANCE_SCENARIOS, default scenarios) for `extends:`.
 */
#ifndef BALANCE_FUZZ_COMMON_H
#define BALANCE_FUZZ_COMMON_H

#include "balance/datapack.h"

#include <stdio.h>
#include <stdlib.h>

static bal_datapack fuzz_pack;
static const char *fuzz_scenarios = "scenarios";

/* Load the pack once; exit when it cannot be (a set-up error, not a finding). */
static void fuzz_load_pack(void)
{
    const char *dir = getenv("BALANCE_DATA");
    const char *sc = getenv("BALANCE_SCENARIOS");
    if (sc && *sc)
        fuzz_scenarios = sc;
    bal_ctx *ctx = bal_ctx_alloc();
    if (ctx == NULL || bal_datapack_load(ctx, dir && *dir ? dir : "data/kr", &fuzz_pack) != BAL_OK) {
        fprintf(stderr, "fuzz: cannot load the data pack: %s\n", ctx ? bal_ctx_message(ctx) : "");
        exit(2);
    }
    bal_ctx_free(ctx);
}

#endif
