/*
 * balance/core.h — the context, status codes, regions and population arrays.
 *
 * Every fallible call of the library takes a bal_ctx. The context carries the
 * allocator and the last error (code, message, and where the data allows the
 * file and line of the offending input). The library never prints, never
 * exits and keeps no mutable statics: two contexts in two threads never meet.
 */
#ifndef BALANCE_CORE_H
#define BALANCE_CORE_H

#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes: 0 is success, failures are negative. */
enum bal_status {
    BAL_OK = 0,
    BAL_ENOMEM = -1,    /* an allocation failed */
    BAL_EIO = -2,       /* a file is missing or unreadable */
    BAL_EDATA = -3,     /* input data is malformed or inconsistent */
    BAL_EUSAGE = -4,    /* an argument or option is out of range */
    BAL_ESTORE = -5,    /* the results store (SQLite) failed */
    BAL_EINTERNAL = -6, /* a bug: an invariant did not hold */
    BAL_ECANCELED = -7  /* the caller asked the run to stop (bal_ctx_set_cancel) */
};

/* Short English text for a status code. Never NULL. */
const char *bal_strerror(int status);

typedef struct bal_ctx bal_ctx;

/* Allocator hooks. realloc(p, 0) is never called; free(NULL) must be a no-op. */
typedef struct bal_allocator {
    void *(*malloc_fn)(size_t size, void *ud);
    void *(*realloc_fn)(void *ptr, size_t size, void *ud);
    void (*free_fn)(void *ptr, void *ud);
    void *ud;
} bal_allocator;

/* Allocate a context using the C library allocator. NULL when out of memory. */
bal_ctx *bal_ctx_alloc(void);
/* Allocate a context that routes every library allocation through `a`.
   bal_datapack_load_municipal calls `a` from two threads at once. */
bal_ctx *bal_ctx_alloc_with(const bal_allocator *a);
/* A new context with ctx's allocator, for work the library does on a helper
   thread (bal_datapack_load_municipal): the allocator's hooks are then called
   from two threads at once. NULL when out of memory. */
bal_ctx *bal_ctx_alloc_like(const bal_ctx *ctx);
/* Free a context. bal_ctx_free(NULL) is a no-op. */
void bal_ctx_free(bal_ctx *ctx);

/* Cancellation: `flag` (owned by the caller, may be set from another thread)
   is read by the long loops of the library (once per projected year); when
   it is non-zero they stop with BAL_ECANCELED. NULL (the default): never. */
void bal_ctx_set_cancel(bal_ctx *ctx, const atomic_int *flag);
/* BAL_ECANCELED (raised on ctx) when the context's cancel flag is set, else
   BAL_OK. */
int bal_ctx_check_cancel(bal_ctx *ctx);

/* The last error recorded on the context (BAL_OK if none). */
int bal_ctx_status(const bal_ctx *ctx);
/* Message of the last error, without location; "" if none. */
const char *bal_ctx_message(const bal_ctx *ctx);
/* File of the data that caused the last error, or "" if not a data error. */
const char *bal_ctx_file(const bal_ctx *ctx);
/* Line (1-based) in that file, or 0 if unknown. */
long bal_ctx_line(const bal_ctx *ctx);
/* Clear the error record. */
void bal_ctx_clear(bal_ctx *ctx);

/*
 * Record an error and return `code`: the one place every failure passes
 * through (set a breakpoint here). `file` may be NULL; `line` 0 if unknown.
 */
int bal_raise(bal_ctx *ctx, int code, const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Allocation through the context; failures raise BAL_ENOMEM and return NULL. */
void *bal_malloc(bal_ctx *ctx, size_t size);
void *bal_calloc(bal_ctx *ctx, size_t n, size_t size);
void *bal_realloc(bal_ctx *ctx, void *ptr, size_t size);
void bal_free(bal_ctx *ctx, void *ptr);
char *bal_strdup(bal_ctx *ctx, const char *s);

/* ---- Population arrays ------------------------------------------------- */

/* Single years of age 0..99 plus the open group 100+ (index 100). */
#define BAL_NAGE 101
#define BAL_AGE_OPEN 100
#define BAL_NSEX 2
enum bal_sex { BAL_FEMALE = 0, BAL_MALE = 1 };

/* Cells per region in a [region][sex][age] block. */
#define BAL_CELLS (BAL_NSEX * BAL_NAGE)

/* Index of (region, sex, age) in a flat [region][sex][age] block. */
static inline size_t bal_pidx(int64_t region, int sex, int age)
{
    return (size_t)((region * BAL_NSEX + sex) * BAL_NAGE + age);
}

/* Sum of one region's cells in a [region][sex][age] block. */
double bal_regions_pop_total(const double *pop, int64_t region);

/* ---- Regions ------------------------------------------------------------ */

enum bal_level { BAL_LEVEL_SIDO = 1, BAL_LEVEL_SIGUNGU = 2 };

/*
 * Capacities: the most sido (provinces) and sigungu (municipalities) a region
 * table may hold. bal_datapack_load refuses a regions.csv with more (file:line
 * of the first row too many), so every array sized by the sido count (the
 * scenario's per-province flags and union members, the engine's per-province
 * scratch arrays) can be sized by BAL_MAX_SIDO, and nothing else in the code
 * states a capacity. Korea has 17 sido and 229 sigungu.
 */
#define BAL_MAX_SIDO 64
#define BAL_MAX_SIGUNGU 1024

#define BAL_CODE_MAX 8
#define BAL_NAME_MAX 96

typedef struct bal_region {
    char code[BAL_CODE_MAX];       /* "11" for a sido, "11110" for a sigungu */
    char name_en[BAL_NAME_MAX];
    char name_ko[BAL_NAME_MAX];    /* UTF-8 */
    int level;                     /* enum bal_level */
    int64_t parent;                /* index of the parent sido, -1 for a sido */
    int capital_region;            /* 1 for Seoul, Incheon, Gyeonggi and their units */
    double area_km2;               /* land area (data/kr/region_area.csv), NAN if unknown */
} bal_region;

/*
 * The region table: all sido first (indices 0..nsido-1, in data order), then
 * all sigungu. A projection at sido level uses the first nsido entries.
 */
typedef struct bal_regions {
    int64_t n;
    int64_t nsido;
    bal_region *r;
    int64_t *sorted;    /* indices ordered by code, built by bal_regions_index */
    int64_t sido_lut[100]; /* index of two-digit code "NN", -1 if none (with sorted) */
} bal_regions;

/* Build the lookup index after the table is filled (or changed). */
int bal_regions_index(bal_ctx *ctx, bal_regions *regions);
/* Index of the region with `code`, or -1. O(log n) once indexed, else linear. */
int64_t bal_regions_find(const bal_regions *regions, const char *code);
void bal_regions_release(bal_ctx *ctx, bal_regions *regions);

/* Largest file bal_file_read reads (the largest file of the data pack is
   about 1 MB). */
#define BAL_FILE_MAX ((size_t)64 << 20)
/* The whole file at `path`, NUL-terminated, allocated with ctx's allocator
   (bal_free it); *len its size. NULL with BAL_EIO raised when it cannot be
   read, is not a regular file (a FIFO, device or directory: never opened for
   reading in a way that could block) or is larger than BAL_FILE_MAX.
   (io layer: src/io/file.c) */
char *bal_file_read(bal_ctx *ctx, const char *path, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
