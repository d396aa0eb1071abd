/*
 * balance/variant.h — projection variants: the national paths of fertility,
 * life expectancy and net international migration a projection follows
 * (engine/variant.c; docs/model.md §15, data/kr/ASSUMPTIONS.md V1-V9).
 *
 * `constant` holds the calibrated rates at the jump-off (fertility and
 * international migration constant, mortality improving as calibrated).
 * The `kostat-*` variants follow the published assumptions of the latest
 * KOSTAT national projection release in the pack (projection_assumptions.csv;
 * the 2022-based release of 2023-12-14), interpolated linearly between the
 * published points and started from the observed jump-off:
 *   TFR   the published increments scaled so that the path runs from the
 *         observed jump-off TFR to the variant's ultimate level in the year
 *         the published path reaches it (bal_variant_tfr);
 *   e0    by sex, linear from the observed life table's e0 to the published
 *         value of the release's last year; per-year national mortality
 *         multipliers solved at calibration (bal_variant_e0_mult);
 *   NIM   the register's net international migration follows the variant's
 *         national net migration relative to its value at the jump-off.
 */
#ifndef BALANCE_VARIANT_H
#define BALANCE_VARIANT_H

#include "balance/core.h"
#include "balance/datapack.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bal_variant {
    const char *name;    /* --variant NAME */
    const char *kostat;  /* the release's variant ("medium", ...), NULL for constant */
    double mirror;       /* e0 and NIM where the release prints none: 0 none needed;
                            +1 the high variant (total e0 gap and NIM at the last year);
                            -1 the low variant, high mirrored around medium */
    const char *help;
} bal_variant;

extern const bal_variant bal_variants[];
extern const int bal_nvariants;
enum { BAL_VARIANT_CONSTANT = 0, BAL_VARIANT_MEDIUM = 1, BAL_VARIANT_HIGH = 2,
       BAL_VARIANT_LOW = 3 };
/* The default: kostat-medium where the start may see the release, else constant. */
#define BAL_VARIANT_DEFAULT (-1)

/* Index of the variant called `name`, or -1. */
int bal_variant_find(const char *name);
/* The variant a run starting in `base_year` uses for the request `variant`
   (BAL_VARIANT_DEFAULT resolved: kostat-medium when the pack has a release
   published by base_year, else constant). */
int bal_variant_resolve(const bal_datapack *pk, int variant, int base_year);

/* Piecewise-linear interpolation of n points (years ascending) at time t;
   the first value before the first point, the last after the last. */
double bal_variant_interp(const int *years, const double *v, int n, double t);

/*
 * The TFR of a variant at time t (year label; t >= y0) from its published
 * points (years ascending, n >= 1) and the observed jump-off tfr0 in y0.
 * U = the last published value (the ultimate level), yu = the first year
 * from which the published path stays at U. With P the interpolated path:
 *   t >= yu:  U
 *   else:     tfr0 + (U - tfr0) (P(t) - P(y0)) / (U - P(y0))
 *             (linear from tfr0 to U between y0 and yu when P(y0) = U);
 *   yu <= y0: U.
 */
double bal_variant_tfr(const int *years, const double *v, int n, int y0, double tfr0, double t);

/* The multiplier k > 0 of death rates m[0..BAL_AGE_OPEN] that gives life
   expectancy e0 (bisection on log k to 1e-12 relative). NAN when no k in
   [e^-10, e^10] brackets it. */
double bal_variant_e0_mult(const double *m, int male, double e0);

/* The published series `indicator` of `variant` in the release with base
   year `release_base`: years and values ascending (at most max points);
   returns n. */
int bal_variant_points(const bal_datapack *pk, int release_base, const char *variant,
                       const char *indicator, int *years, double *v, int max);

/* The latest release in the pack (its base year), 0 when none; its
   publication year in *released and its last published year in *last. */
int bal_variant_release(const bal_datapack *pk, int *released, int *last);

#ifdef __cplusplus
}
#endif
#endif
