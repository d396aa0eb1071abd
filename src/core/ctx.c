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
    const atomic_int *cancel; /* bal_ctx_set_cancel; NULL: never */
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
    case BAL_ECANCELED: return "canceled";
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

/* A message is one line of valid UTF-8 (it is printed as `file:line: message`
   and sent in JSON): a control character or a byte that does not start a
   complete, shortest-form UTF-8 sequence (bad input echoed in a message, or a
   character cut by the message's length) becomes '?'. */
static void one_line_utf8(char *m)
{
    unsigned char *s = (unsigned char *)m;
    while (*s) {
        const unsigned c = *s;
        size_t n = 0;
        unsigned min = 0, cp = 0;
        if (c < 0x20 || c == 0x7F) {
            *s++ = '?';
            continue;
        }
        if (c < 0x80)
            n = 1;
        else if ((c & 0xE0) == 0xC0)
            n = 2, min = 0x80, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            n = 3, min = 0x800, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
            n = 4, min = 0x10000, cp = c & 0x07;
        for (size_t i = 1; i < n; i++) {
            if ((s[i] & 0xC0) != 0x80) {
                n = 0;
                break;
            }
            cp = (cp << 6) | (s[i] & 0x3F);
        }
        if (n > 1 && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)))
            n = 0;
        if (n == 0)
            *s++ = '?';
        else
            s += n;
    }
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
    one_line_utf8(ctx->message);
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

void bal_ctx_set_cancel(bal_ctx *ctx, const atomic_int *flag)
{
    ctx->cancel = flag;
}

int bal_ctx_check_cancel(bal_ctx *ctx)
{
    if (ctx->cancel != NULL && atomic_load(ctx->cancel) != 0)
        return bal_raise(ctx, BAL_ECANCELED, NULL, 0, "run canceled");
    return BAL_OK;
}
