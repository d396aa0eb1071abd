/*
 * fuzz_request.c — libFuzzer target: an HTTP request body of POST /api/run
 * as the server handles it: jansson (bal_web_body_json), then the canonical
 * rewrite through the scenario parser. Any body must give an answer (a
 * scenario or a clear error), never a crash, hang or leak.
 */
#include "balance/scenario.h"

#include "body.h"
#include "fuzz_common.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
    char *text = NULL;
    if (bal_web_body_json(ctx, (const char *)data, size, &text) == BAL_OK) {
        bal_scenario sc;
        (void)bal_scenario_parse(ctx, "request", text, strlen(text), fuzz_scenarios, &fuzz_pack,
                                 &sc);
    }
    free(text);
    bal_ctx_free(ctx);
    return 0;
}
