/*
 * bench_project.c — time the projections, base year to 2052.
 *
 * Workloads (medians of REPEAT runs, wall clock, CLOCK_MONOTONIC):
 *   sido:    load (read and validate the data pack), calibrate, project
 *            (mid-2025 to mid-2052, compute only)
 *   sigungu: load_municipal (the two municipal population tables),
 *            calibrate_municipal, project (229 sigungu with the nested
 *            migration, compute only), report (all indicators)
 * Peak memory is the process's maximum resident set size (getrusage), so
 * each level runs in its own process.
 * Usage: bench-project [DATA_DIR] [REPEAT] [sido|sigungu]
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

static void die(bal_ctx *ctx)
{
    fprintf(stderr, "%s:%ld: %s\n", bal_ctx_file(ctx), bal_ctx_line(ctx), bal_ctx_message(ctx));
    exit(2);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "data/kr";
    int n = argc > 2 ? atoi(argv[2]) : 51;
    const int muni = argc > 3 && strcmp(argv[3], "sigungu") == 0;
    if (n < 1 || n > 100000)
        n = 51;
    double *t[5];
    for (int i = 0; i < 5; i++)
        if ((t[i] = calloc((size_t)n, sizeof(double))) == NULL)
            return 1;
    bal_gsl_init();
    bal_ctx *ctx = bal_ctx_alloc();
    if (!ctx)
        return 1;
    double checksum = 0.0;
    bal_datapack pk;
    if (muni && (bal_datapack_load(ctx, dir, &pk) || bal_datapack_load_municipal(ctx, &pk)))
        die(ctx);
    for (int i = 0; i < n; i++) {
        bal_demog_params p, m;
        bal_projection pr;
        bal_calib_opts o;
        if (muni)
            bal_calib_opts_default(&o, &pk);
        if (!muni) {
            double t0 = now_ms();
            if (bal_datapack_load(ctx, dir, &pk))
                die(ctx);
            double t1 = now_ms();
            bal_calib_opts_default(&o, &pk); /* the pack's dates */
            if (bal_calib_run(ctx, &pk, &o, pk.base_pop, &p, NULL))
                die(ctx);
            double t2 = now_ms();
            if (bal_projection_run(ctx, &p, pk.base_pop, pk.vintage.horizon, &pr))
                die(ctx);
            double t3 = now_ms();
            t[0][i] = t1 - t0;
            t[1][i] = t2 - t1;
            t[2][i] = t3 - t2;
            checksum += bal_projection_total(&pr, pr.nyears - 1, -1);
            bal_projection_release(ctx, &pr);
            bal_demog_params_release(ctx, &p);
            bal_datapack_release(ctx, &pk);
            continue;
        }
        /* municipal: the pack stays loaded; time reloading its municipal part */
        bal_report rep;
        double t0 = now_ms();
        pk.municipal_loaded = 0;
        bal_free(ctx, pk.base_pop_sgg);
        bal_free(ctx, pk.sgg_pop5.v);
        memset(&pk.sgg_pop5, 0, sizeof pk.sgg_pop5);
        pk.base_pop_sgg = NULL;
        if (bal_datapack_load_municipal(ctx, &pk))
            die(ctx);
        double t1 = now_ms();
        if (bal_calib_run(ctx, &pk, &o, pk.base_pop, &p, NULL) ||
            bal_muni_calibrate(ctx, &pk, &o, &p, pk.base_pop_sgg, &m, NULL))
            die(ctx);
        double t2 = now_ms();
        if (bal_projection_run(ctx, &m, pk.base_pop_sgg, pk.vintage.horizon, &pr))
            die(ctx);
        double t3 = now_ms();
        if (bal_report_build(ctx, &pr, &pk.regions, BAL_LEVEL_SIGUNGU, &rep))
            die(ctx);
        double t4 = now_ms();
        t[0][i] = t1 - t0;
        t[1][i] = t2 - t1;
        t[2][i] = t3 - t2;
        t[3][i] = t4 - t3;
        checksum += rep.at_risk[rep.nyears - 1] + bal_projection_total(&pr, pr.nyears - 1, -1);
        bal_report_release(ctx, &rep);
        bal_projection_release(ctx, &pr);
        bal_demog_params_release(ctx, &m);
        bal_demog_params_release(ctx, &p);
    }
    /* the coupled run (economy, finance, services every year), timed in its
       own loop so that its allocations do not disturb the timings above */
    if (!muni && bal_datapack_load(ctx, dir, &pk))
        die(ctx);
    for (int i = 0; i < n; i++) {
        bal_demog_params p, m;
        bal_calib_opts o;
        bal_calib_opts_default(&o, &pk);
        if (bal_calib_run(ctx, &pk, &o, pk.base_pop, &p, NULL) ||
            (muni && bal_muni_calibrate(ctx, &pk, &o, &p, pk.base_pop_sgg, &m, NULL)))
            die(ctx);
        bal_demog_params *pp = muni ? &m : &p;
        const double *pop0 = muni ? pk.base_pop_sgg : pk.base_pop;
        bal_couple c;
        bal_projection pc;
        bal_econ_opts eo;
        bal_couple_opts_default(&eo);
        double t0 = now_ms();
        if (bal_couple_init(ctx, &c, &pk, &eo, pp, pop0, pk.base_year, pk.vintage.horizon,
                            muni ? BAL_LEVEL_SIGUNGU : BAL_LEVEL_SIDO) ||
            bal_couple_project(ctx, &c, pp, pop0, pk.vintage.horizon, &pc))
            die(ctx);
        t[4][i] = now_ms() - t0;
        checksum += c.grdp[(size_t)(c.nyears - 1) * (size_t)c.ns] * 1e-12;
        bal_couple_release(ctx, &c);
        bal_projection_release(ctx, &pc);
        if (muni)
            bal_demog_params_release(ctx, &m);
        bal_demog_params_release(ctx, &p);
    }
    bal_datapack_release(ctx, &pk);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("workload                      median_ms  (n=%d)\n", n);
    if (!muni) {
        printf("sido.load                     %9.3f\n", median(t[0], n));
        printf("sido.calibrate                %9.3f\n", median(t[1], n));
        printf("sido.project_2052             %9.3f\n", median(t[2], n));
        printf("sido.coupled_2052             %9.3f  (projection + economy, finance, services)\n",
               median(t[4], n));
    } else {
        printf("sigungu.load_municipal        %9.3f\n", median(t[0], n));
        printf("sigungu.calibrate             %9.3f  (sido + municipal)\n", median(t[1], n));
        printf("sigungu.project_2052          %9.3f  (compute only)\n", median(t[2], n));
        printf("sigungu.report                %9.3f\n", median(t[3], n));
        printf("sigungu.coupled_2052          %9.3f  (projection + economy, finance, services)\n",
               median(t[4], n));
    }
    printf("%s.peak_rss_mib %*s%9.1f  (whole bench process)\n", muni ? "sigungu" : "sido",
           muni ? 9 : 12, "", (double)ru.ru_maxrss / 1024.0);
    printf("checksum                      %.6f\n", checksum / n);
    bal_ctx_free(ctx);
    for (int i = 0; i < 5; i++)
        free(t[i]);
    return 0;
}
