/*
 * test_gsl.c — GSL failures are Balance errors, never an abort: the test
 * binary turns GSL's aborting handler off at start-up as every front end
 * does (bal_gsl_init), and a failing GSL call in the library comes back as a
 * status with a message naming what failed.
 */
#include "balance/datapack.h"
#include "balance/engine.h"

#include "testutil.h"

#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

/* The test binary's start-up (every test process, before any test runs). */
__attribute__((constructor)) static void gsl_start_up(void)
{
    bal_gsl_init();
}

Test(gsl, status_mapping)
{
    bal_ctx *ctx = bal_ctx_alloc();
    cr_assert_eq(bal_gsl_raise(ctx, GSL_ENOMEM, "thing"), BAL_ENOMEM);
    cr_assert_eq(bal_gsl_raise(ctx, GSL_EBADFUNC, "finance: need"), BAL_EINTERNAL);
    cr_assert_str_eq(bal_ctx_message(ctx), "finance: need: GSL error 9: problem with "
                                           "user-supplied function");
    cr_assert_str_eq(bal_ctx_file(ctx), "");
    bal_ctx_free(ctx);
}

/* The finance root finder (couple.c) on bad inputs: an infinite local
   allocation tax budget makes the equalisation gap minus the pool -inf at
   every bracket, so GSL's Brent solver reports a non-finite function value.
   Before, GSL's default handler aborted the process here. */
Test(gsl, finance_root_failure_is_an_error)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, tu_data_dir(), &pk), BAL_OK, "%s", bal_ctx_message(ctx));
    int hit = 0;
    for (int i = 0; i < pk.nfacts; i++)
        if (pk.facts[i].year == 2025 &&
            strcmp(pk.facts[i].name, "local_allocation_tax_budget") == 0) {
            pk.facts[i].value = INFINITY;
            hit = 1;
        }
    cr_assert(hit, "no 2025 local_allocation_tax_budget fact");
    bal_calib_opts o;
    bal_calib_opts_default(&o, &pk);
    bal_demog_params p;
    cr_assert_eq(bal_calib_run(ctx, &pk, &o, pk.base_pop, &p, NULL), BAL_OK);
    bal_econ_opts eo;
    bal_couple_opts_default(&eo);
    bal_couple c;
    const int st = bal_couple_init(ctx, &c, &pk, &eo, &p, pk.base_pop, 2025, 2030, BAL_LEVEL_SIDO);
    char msg[512];
    snprintf(msg, sizeof msg, "%s", bal_ctx_message(ctx));
    if (st == BAL_OK)
        bal_couple_release(ctx, &c);
    bal_demog_params_release(ctx, &p);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
    cr_assert_eq(st, BAL_EINTERNAL, "status %d: %s", st, msg);
    cr_assert(strstr(msg, "finance: standard need") != NULL, "message: %s", msg);
    cr_assert(strstr(msg, "GSL error") != NULL, "message: %s", msg);
}
