/*
 * bench_project.c — time the sido projection, base year to 2052.
 *
 * Workloads (medians of --repeat runs, wall clock, CLOCK_MONOTONIC):
 *   load       read and validate the data pack
 *   calibrate  estimate all rates from the pack
 *   project    the projection itself, mid-2025 to mid-2052 (compute only)
 * Peak memory is the process's maximum resident set size (getrusage).
 * Usage: bench-project [DATA_DIR] [REPEAT]
 */
#include "balance/datapack.h"
#include "balance/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "data/kr";
    int n = argc > 2 ? atoi(argv[2]) : 51;
    if (n < 1 || n > 100000)
        n = 51;
    double *t_load = calloc((size_t)n, sizeof(double));
    double *t_cal = calloc((size_t)n, sizeof(double));
    double *t_proj = calloc((size_t)n, sizeof(double));
    bal_ctx *ctx = bal_ctx_alloc();
    if (!t_load || !t_cal || !t_proj || !ctx)
        return 1;
    double checksum = 0.0;
    for (int i = 0; i < n; i++) {
        bal_datapack pk;
        bal_demog_params p;
        bal_projection pr;
        bal_calib_opts o;
        bal_calib_opts_default(&o);
        double t0 = now_ms();
        if (bal_datapack_load(ctx, dir, &pk)) {
            fprintf(stderr, "%s:%ld: %s\n", bal_ctx_file(ctx), bal_ctx_line(ctx),
                    bal_ctx_message(ctx));
            return 2;
        }
        double t1 = now_ms();
        if (bal_calibrate(ctx, &pk, &o, pk.base_pop, &p, NULL))
            return 1;
        double t2 = now_ms();
        if (bal_project(ctx, &p, pk.base_pop, 2052, &pr))
            return 1;
        double t3 = now_ms();
        checksum += bal_projection_total(&pr, pr.nyears - 1, -1);
        t_load[i] = t1 - t0;
        t_cal[i] = t2 - t1;
        t_proj[i] = t3 - t2;
        bal_projection_release(ctx, &pr);
        bal_demog_params_release(ctx, &p);
        bal_datapack_release(ctx, &pk);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("workload            median_ms  (n=%d)\n", n);
    printf("sido.load           %9.3f\n", median(t_load, n));
    printf("sido.calibrate      %9.3f\n", median(t_cal, n));
    printf("sido.project_2052   %9.3f\n", median(t_proj, n));
    printf("peak_rss_mib        %9.1f\n", (double)ru.ru_maxrss / 1024.0);
    printf("checksum            %.6f\n", checksum / n);
    bal_ctx_free(ctx);
    free(t_load);
    free(t_cal);
    free(t_proj);
    return 0;
}
