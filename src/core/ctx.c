/*
 * ctx.c — the context: allocator, error record.
 */
#include "balance/core.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_MAX 512
#define FILE_MAX 512

struct bal_ctx {
    bal_allocator alloc;
    int status;
    char message[MSG_MAX];
    char file[FILE_MAX];
    long line;
};

static void *std_malloc(size_t size, void *ud)
{
    (void)ud;
    return malloc(size);
}

static void *std_realloc(void *ptr, size_t size, void *ud)
{
    (void)ud;
    return realloc(ptr, size);
}

static void std_free(void *ptr, void *ud)
{
    (void)ud;
    free(ptr);
}

static const bal_allocator std_allocator = {std_malloc, std_realloc, std_free, NULL};

const char *bal_strerror(int status)
{
    switch (status) {
    case BAL_OK: return "success";
    case BAL_ENOMEM: return "out of memory";
    case BAL_EIO: return "cannot read file";
    case BAL_EDATA: return "invalid data";
    case BAL_EUSAGE: return "invalid argument";
    case BAL_ESTORE: return "results store failed";
    case BAL_EINTERNAL: return "internal error";
    default: return "unknown error";
    }
}

bal_ctx *bal_ctx_alloc_with(const bal_allocator *a)
{
    if (a == NULL)
        a = &std_allocator;
    bal_ctx *ctx = a->malloc_fn(sizeof *ctx, a->ud);
    if (ctx == NULL)
        return NULL;
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = *a;
    return ctx;
}

bal_ctx *bal_ctx_alloc_like(const bal_ctx *ctx)
{
    return bal_ctx_alloc_with(&ctx->alloc);
}

bal_ctx *bal_ctx_alloc(void)
{
    return bal_ctx_alloc_with(NULL);
}

void bal_ctx_free(bal_ctx *ctx)
{
    if (ctx == NULL)
        return;
    ctx->alloc.free_fn(ctx, ctx->alloc.ud);
}

int bal_ctx_status(const bal_ctx *ctx) { return ctx->status; }
const char *bal_ctx_message(const bal_ctx *ctx) { return ctx->message; }
const char *bal_ctx_file(const bal_ctx *ctx) { return ctx->file; }
long bal_ctx_line(const bal_ctx *ctx) { return ctx->line; }

void bal_ctx_clear(bal_ctx *ctx)
{
    ctx->status = BAL_OK;
    ctx->message[0] = '\0';
    ctx->file[0] = '\0';
    ctx->line = 0;
}

int bal_raise(bal_ctx *ctx, int code, const char *file, long line, const char *fmt, ...)
{
    ctx->status = code;
    snprintf(ctx->file, sizeof ctx->file, "%s", file ? file : "");
    ctx->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
    va_end(ap);
    return code;
}

void *bal_malloc(bal_ctx *ctx, size_t size)
{
    void *p = ctx->alloc.malloc_fn(size ? size : 1, ctx->alloc.ud);
    if (p == NULL)
        bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory allocating %zu bytes", size);
    return p;
}

void *bal_calloc(bal_ctx *ctx, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        bal_raise(ctx, BAL_ENOMEM, NULL, 0, "allocation of %zu x %zu bytes overflows", n, size);
        return NULL;
    }
    void *p = bal_malloc(ctx, n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

void *bal_realloc(bal_ctx *ctx, void *ptr, size_t size)
{
    void *p = ctx->alloc.realloc_fn(ptr, size ? size : 1, ctx->alloc.ud);
    if (p == NULL)
        bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory growing to %zu bytes", size);
    return p;
}

void bal_free(bal_ctx *ctx, void *ptr)
{
    if (ptr != NULL)
        ctx->alloc.free_fn(ptr, ctx->alloc.ud);
}

char *bal_strdup(bal_ctx *ctx, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = bal_malloc(ctx, n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

double bal_pop_region_total(const double *pop, int64_t region)
{
    const double *p = pop + bal_pidx(region, 0, 0);
    double sum = 0.0;
    for (int i = 0; i < BAL_CELLS; i++)
        sum += p[i];
    return sum;
}

/* qsort has no user pointer: sort (code, index) pairs instead. */
typedef struct code_ix {
    char code[BAL_CODE_MAX];
    int64_t i;
} code_ix;

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const code_ix *)a)->code, ((const code_ix *)b)->code);
}

int bal_regions_index(bal_ctx *ctx, bal_regions *regions)
{
    bal_free(ctx, regions->sorted);
    regions->sorted = NULL;
    code_ix *tmp = bal_malloc(ctx, (size_t)regions->n * sizeof *tmp);
    int64_t *idx = bal_malloc(ctx, (size_t)regions->n * sizeof *idx);
    if (tmp == NULL || idx == NULL) {
        bal_free(ctx, tmp);
        bal_free(ctx, idx);
        return BAL_ENOMEM;
    }
    for (int64_t i = 0; i < regions->n; i++) {
        memcpy(tmp[i].code, regions->r[i].code, BAL_CODE_MAX);
        tmp[i].i = i;
    }
    qsort(tmp, (size_t)regions->n, sizeof *tmp, cmp_code);
    for (int64_t i = 0; i < regions->n; i++)
        idx[i] = tmp[i].i;
    bal_free(ctx, tmp);
    regions->sorted = idx;
    for (int c = 0; c < 100; c++)
        regions->sido_lut[c] = -1;
    for (int64_t i = 0; i < regions->n; i++) {
        const char *c = regions->r[i].code;
        if (c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9' && c[2] == '\0')
            regions->sido_lut[(c[0] - '0') * 10 + (c[1] - '0')] = i;
    }
    return BAL_OK;
}

int64_t bal_regions_find(const bal_regions *regions, const char *code)
{
    /* two-digit sido codes: direct table, built by bal_regions_index */
    if (regions->sorted != NULL && code[0] >= '0' && code[0] <= '9' && code[1] >= '0' &&
        code[1] <= '9' && code[2] == '\0')
        return regions->sido_lut[(code[0] - '0') * 10 + (code[1] - '0')];
    if (regions->sorted == NULL) {
        for (int64_t i = 0; i < regions->n; i++)
            if (strcmp(regions->r[i].code, code) == 0)
                return i;
        return -1;
    }
    int64_t lo = 0, hi = regions->n - 1;
    while (lo <= hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int64_t i = regions->sorted[mid];
        int c = strcmp(regions->r[i].code, code);
        if (c == 0)
            return i;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

void bal_regions_release(bal_ctx *ctx, bal_regions *regions)
{
    if (regions == NULL)
        return;
    bal_free(ctx, regions->r);
    bal_free(ctx, regions->sorted);
    regions->r = NULL;
    regions->sorted = NULL;
    regions->n = regions->nsido = 0;
}
