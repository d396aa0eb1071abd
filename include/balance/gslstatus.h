/*
 * balance/gslstatus.h — GSL inside the library: its aborting error handler off once per
 * front end, its statuses as Balance errors (engine/gslstatus.c).
 */
#ifndef BALANCE_GSLSTATUS_H
#define BALANCE_GSLSTATUS_H

#include "balance/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- GSL ------------------------------------------------------------------- */

/* Turn off GSL's default error handler, which aborts the process. Call once
   at start-up, before any thread starts, in every program that links the
   library (balance, balance-serve, the tests, the benchmark): the handler is
   process-wide, so the library never sets it; it checks every status GSL
   returns instead. Without this call a numerical failure aborts. */
void bal_gsl_init(void);
/* Record a failed GSL call as a Balance error and return its code:
   GSL_ENOMEM gives BAL_ENOMEM, any other status BAL_EINTERNAL with the
   message "<what>: GSL error <n>: <gsl_strerror>". */
int bal_gsl_raise(bal_ctx *ctx, int gsl_status, const char *what);

#ifdef __cplusplus
}
#endif
#endif
