/*
 * test_cancel.c — a run stops with BAL_ECANCELED when its context's cancel
 * flag is set (bal_ctx_set_cancel), and runs to the end when it is clear.
 */
#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/engine.h"
#include "balance/run.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static const char *data_dir(void)
{
    const char *d = getenv("BALANCE_DATA");
    return d ? d : "data/kr";
}

Test(cancel, flag_stops_a_run)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, data_dir(), &pk), BAL_OK, "%s", bal_ctx_message(ctx));
    bal_run_opts o;
    bal_run_opts_default(&o, &pk);
    atomic_int flag = 0;
    bal_ctx_set_cancel(ctx, &flag);
    bal_run r;
    cr_assert_eq(bal_run_project(ctx, &pk, &o, &r), BAL_OK, "%s", bal_ctx_message(ctx));
    cr_assert_gt(r.report.nyears, 1);
    bal_run_release(ctx, &r);
    atomic_store(&flag, 1);
    cr_assert_eq(bal_run_project(ctx, &pk, &o, &r), BAL_ECANCELED);
    cr_assert_str_eq(bal_ctx_message(ctx), "run canceled");
    cr_assert_str_eq(bal_strerror(BAL_ECANCELED), "canceled");
    bal_ctx_set_cancel(ctx, NULL);
    cr_assert_eq(bal_run_project(ctx, &pk, &o, &r), BAL_OK, "%s", bal_ctx_message(ctx));
    bal_run_release(ctx, &r);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}
