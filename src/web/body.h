/*
 * body.h — a request body read by jansson, bounded and fuzzed
 * (tests/fuzz/fuzz_request.c). No libmicrohttpd here, so the fuzz target
 * links it without the server.
 */
#ifndef BALANCE_WEB_BODY_H
#define BALANCE_WEB_BODY_H

#include "balance/core.h"

#include <stddef.h>

/* Largest request body the server reads (413 beyond). */
#define BAL_WEB_BODY_MAX (64 * 1024)

/*
 * A request body that must be one JSON object (a scenario), parsed by
 * jansson and written back in canonical compact form into *out (free()).
 * Only that rewrite reaches the scenario parser (libfyaml), which loops
 * forever on some bytes that are not JSON ("%" then 0xff), keeps memory of
 * long single-quoted runs and is quadratic in long whitespace runs: none of
 * these survive it. BAL_EDATA with "request:LINE:" on a bad body (empty, not
 * JSON, a duplicate key, not an object), BAL_EUSAGE over BAL_WEB_BODY_MAX.
 */
int bal_web_body_json(bal_ctx *ctx, const char *body, size_t len, char **out);

#endif
