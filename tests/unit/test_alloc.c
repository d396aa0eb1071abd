/*
 * test_alloc.c — allocation-failure injection through bal_ctx_alloc_with.
 *
 * A counting allocator first measures how many allocations (malloc and
 * realloc calls, the context's own included) a full load + calibrate +
 * project of the real data pack makes. Then the pipeline is re-run with an
 * allocator that fails exactly the N-th allocation, for N = 1..60 and every
 * 37th after that up to the total (and the last one). Each run must stop
 * with BAL_ENOMEM recorded on the context, release everything (the allocator
 * counts live blocks: 0 after bal_ctx_free; ASan's leak checker covers the
 * asan build too) and not crash.
 */
#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/engine.h"

#include "testutil.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

typedef struct failing {
    long calls;   /* malloc + realloc calls so far */
    long fail_at; /* 1-based call that fails; 0 = never */
    long live;    /* blocks allocated and not yet freed */
    int failed;   /* the injected failure happened */
} failing;

static void *f_malloc(size_t size, void *ud)
{
    failing *f = ud;
    if (++f->calls == f->fail_at) {
        f->failed = 1;
        return NULL;
    }
    void *p = malloc(size);
    if (p)
        f->live++;
    return p;
}

static void *f_realloc(void *ptr, size_t size, void *ud)
{
    failing *f = ud;
    if (++f->calls == f->fail_at) {
        f->failed = 1;
        return NULL;
    }
    void *p = realloc(ptr, size);
    if (p && ptr == NULL)
        f->live++;
    return p;
}

static void f_free(void *ptr, void *ud)
{
    failing *f = ud;
    if (ptr) {
        f->live--;
        free(ptr);
    }
}

typedef struct outcome {
    int ctx_null;  /* the context itself could not be allocated */
    int status;    /* first failing status, BAL_OK if the pipeline completed */
    int ctx_status;
    const char *stage;
} outcome;

/* Load + calibrate (with report) + project to 2052; release everything. */
static outcome pipeline(failing *f)
{
    outcome oc = {0, BAL_OK, BAL_OK, "done"};
    bal_allocator a = {f_malloc, f_realloc, f_free, f};
    bal_ctx *ctx = bal_ctx_alloc_with(&a);
    if (ctx == NULL) {
        oc.ctx_null = 1;
        oc.status = BAL_ENOMEM;
        oc.stage = "context";
        return oc;
    }
    bal_datapack pack;
    bal_demog_params params;
    bal_calib_report rep;
    bal_projection proj;
    memset(&pack, 0, sizeof pack);
    memset(&params, 0, sizeof params);
    memset(&rep, 0, sizeof rep);
    memset(&proj, 0, sizeof proj);
    int st = bal_datapack_load(ctx, tu_data_dir(), &pack);
    if (st) {
        oc.stage = "load";
        goto done;
    }
    bal_calib_opts o;
    bal_calib_opts_default(&o, &pack);
    st = bal_calib_run(ctx, &pack, &o, pack.base_pop, &params, &rep);
    if (st) {
        oc.stage = "calibrate";
        goto done;
    }
    st = bal_projection_run(ctx, &params, pack.base_pop, 2052, &proj);
    if (st)
        oc.stage = "project";
done:
    oc.status = st;
    oc.ctx_status = bal_ctx_status(ctx);
    bal_projection_release(ctx, &proj);
    bal_calib_report_release(ctx, &rep);
    bal_demog_params_release(ctx, &params);
    bal_datapack_release(ctx, &pack);
    bal_ctx_free(ctx);
    return oc;
}

static long total_calls(void)
{
    failing f = {0, 0, 0, 0};
    outcome oc = pipeline(&f);
    cr_assert_eq(oc.status, BAL_OK, "the pipeline fails without injection (%s)", oc.stage);
    cr_assert_eq(f.live, 0, "%ld blocks leaked by a successful run", f.live);
    return f.calls;
}

static void fail_nth(long n)
{
    failing f = {0, n, 0, 0};
    outcome oc = pipeline(&f);
    cr_assert(f.failed, "allocation %ld was never reached", n);
    cr_assert_eq(oc.status, BAL_ENOMEM, "N = %ld: status %d at %s", n, oc.status, oc.stage);
    if (!oc.ctx_null)
        cr_assert_eq(oc.ctx_status, BAL_ENOMEM, "N = %ld: context status %d at %s", n,
                     oc.ctx_status, oc.stage);
    cr_assert_eq(f.live, 0, "N = %ld (%s): %ld blocks leaked", n, oc.stage, f.live);
}

Test(alloc, counting_allocator_sees_everything)
{
    long total = total_calls();
    /* the data pack alone needs hundreds of allocations (246 region rows are
       appended one by one) */
    cr_assert(total > 250, "only %ld allocations counted", total);
    /* one more than the total: nothing fails */
    failing f = {0, total + 1, 0, 0};
    outcome oc = pipeline(&f);
    cr_assert_eq(oc.status, BAL_OK);
    cr_assert(!f.failed);
    cr_assert_eq(f.calls, total, "allocation count is not reproducible");
}

Test(alloc, fail_first_60)
{
    long total = total_calls();
    long last = total < 60 ? total : 60;
    for (long n = 1; n <= last; n++)
        fail_nth(n);
}

/* Every 37th allocation after the first 60, in two interleaved halves so the
   two test jobs share the work, plus the very last one. */
static void strided(int half)
{
    long total = total_calls();
    int i = 0;
    for (long n = 60 + 37; n <= total; n += 37, i++)
        if (i % 2 == half)
            fail_nth(n);
    if (half == 1)
        fail_nth(total);
}

Test(alloc, fail_every_37th_a) { strided(0); }
Test(alloc, fail_every_37th_b) { strided(1); }
