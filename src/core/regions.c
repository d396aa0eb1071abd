/*
 * regions.c — the region table (core.h): the code index (sorted, O(log n)
 * lookups), lookups, release, and the total of one region's block of a
 * [region][sex][age] array.
 */
#include "balance/core.h"

#include <stdlib.h>
#include <string.h>

double bal_regions_pop_total(const double *pop, int64_t region)
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
