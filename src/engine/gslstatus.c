/*
 * gslstatus.c — GSL's error handling for the library: GSL's default handler
 * aborts the process on any error and is process-wide, so the library never
 * sets it (two runs in two threads would race on it). Each front end turns
 * it off once at start-up (bal_gsl_init) and the library checks every status
 * GSL returns, mapping failures to Balance errors (bal_gsl_raise).
 */
#include "balance/engine.h"

#include <gsl/gsl_errno.h>

void bal_gsl_init(void)
{
    gsl_set_error_handler_off();
}

int bal_gsl_raise(bal_ctx *ctx, int gsl_status, const char *what)
{
    if (gsl_status == GSL_ENOMEM)
        return bal_raise(ctx, BAL_ENOMEM, NULL, 0, "%s: GSL: out of memory", what);
    return bal_raise(ctx, BAL_EINTERNAL, NULL, 0, "%s: GSL error %d: %s", what, gsl_status,
                     gsl_strerror(gsl_status));
}
