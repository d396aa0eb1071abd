/*
 * fuzz_scenario.c — libFuzzer target: scenario text (YAML or JSON) through
 * bal_scenario_parse, the path of every scenario file. Any input must give
 * BAL_OK or a clear error, never a crash, hang or leak.
 */
#include "balance/scenario.h"

#include "fuzz_common.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_load_pack();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bal_ctx *ctx = bal_ctx_alloc();
    if (ctx == NULL)
        return 0;
    bal_scenario sc;
    (void)bal_scenario_parse(ctx, "fuzz", (const char *)data, size, fuzz_scenarios, &fuzz_pack,
                             &sc);
    bal_ctx_free(ctx);
    return 0;
}
