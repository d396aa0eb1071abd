/*
 * variant.c — the table of projection variants and the path rules
 * (variant.h; docs/model.md §15). The paths themselves are built for a run
 * by calibration (calibrate.c, calib_variant).
 */
#include "balance/variant.h"
#include "balance/demography.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <string.h>

const bal_variant bal_variants[] = {
    {"constant", NULL, 0.0,
     "rates held at the jump-off: fertility and international migration constant,\n"
     "mortality improving as calibrated (Balance's behaviour before variants)"},
    {"kostat-medium", "medium", 0.0,
     "KOSTAT's medium assumptions (2022-based release): TFR from the observed\n"
     "jump-off to 1.08 by 2049, e0 to 92.7 (F) / 89.5 (M) by 2072, net\n"
     "international migration 155,000 (2022) to 61,000 (2072)"},
    {"kostat-high", "high", 1.0,
     "KOSTAT's high assumptions: TFR to 1.34 by 2051; e0 and net migration at\n"
     "the published 2072 high values (e0 total +1.1 years on medium, both sexes)"},
    {"kostat-low", "low", -1.0,
     "KOSTAT's low assumptions: TFR to 0.82 by 2047, constant after; e0 and net\n"
     "migration (not published) the high gaps mirrored around medium"},
};
const int bal_nvariants = (int)(sizeof bal_variants / sizeof bal_variants[0]);

int bal_variant_find(const char *name)
{
    for (int i = 0; i < bal_nvariants; i++)
        if (strcmp(bal_variants[i].name, name) == 0)
            return i;
    return -1;
}

double bal_variant_interp(const int *years, const double *v, int n, double t)
{
    if (n <= 0)
        return NAN;
    if (t <= years[0])
        return v[0];
    for (int i = 1; i < n; i++)
        if (t <= years[i])
            return v[i - 1] + (v[i] - v[i - 1]) * (t - years[i - 1]) / (years[i] - years[i - 1]);
    return v[n - 1];
}

double bal_variant_tfr(const int *years, const double *v, int n, int y0, double tfr0, double t)
{
    if (n <= 0)
        return tfr0;
    const double u = v[n - 1];
    int k = n - 1;
    while (k > 0 && v[k - 1] == u)
        k--;
    const int yu = years[k];
    if (yu <= y0 || t >= yu)
        return u;
    const double p0 = bal_variant_interp(years, v, n, y0);
    if (t <= y0)
        return tfr0;
    if (fabs(u - p0) < 1e-12)
        return tfr0 + (u - tfr0) * (t - y0) / (yu - y0);
    return tfr0 + (u - tfr0) * (bal_variant_interp(years, v, n, t) - p0) / (u - p0);
}

/* e0 of the rates m scaled by exp(lk), minus the target (GSL's function). */
typedef struct e0_problem {
    const double *m;
    int male;
    double e0;
    double mm[BAL_NAGE];
} e0_problem;

static double e0_gap(double lk, void *arg)
{
    e0_problem *q = arg;
    const double k = exp(lk);
    for (int a = 0; a < BAL_NAGE; a++)
        q->mm[a] = q->m[a] * k;
    return bal_demog_lifetable_e0(q->mm, q->male) - q->e0;
}

double bal_variant_e0_mult(const double *m, int male, double e0)
{
    /* e0 falls as log k rises: bracket log k in [-10, 10], then Brent's
       method (GSL) to 1e-13 in log k (about ten life tables where bisection
       took fifty) */
    e0_problem q = {m, male, e0, {0}};
    const double lo = -10.0, hi = 10.0;
    if (!(e0_gap(lo, &q) >= 0.0) || !(e0_gap(hi, &q) <= 0.0))
        return NAN;
    gsl_function fn = {e0_gap, &q};
    gsl_root_fsolver *rs = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (rs == NULL)
        return NAN;
    double root = NAN;
    int status = gsl_root_fsolver_set(rs, &fn, lo, hi);
    for (int it = 0; status == GSL_SUCCESS && it < 200; it++) {
        status = gsl_root_fsolver_iterate(rs);
        const double a = gsl_root_fsolver_x_lower(rs), b = gsl_root_fsolver_x_upper(rs);
        if (status == GSL_SUCCESS && (gsl_root_test_interval(a, b, 1e-13, 0.0) == GSL_SUCCESS ||
                                      e0_gap(gsl_root_fsolver_root(rs), &q) == 0.0)) {
            root = gsl_root_fsolver_root(rs);
            break;
        }
    }
    gsl_root_fsolver_free(rs);
    return isnan(root) ? (double)NAN : exp(root);
}

int bal_variant_points(const bal_datapack *pk, int release_base, const char *variant,
                       const char *indicator, int *years, double *v, int max)
{
    int n = 0;
    for (int i = 0; i < pk->npassum; i++) {
        const bal_proj_assumption *a = &pk->passum[i];
        if (a->release_base != release_base || strcmp(a->variant, variant) != 0 ||
            strcmp(a->indicator, indicator) != 0 || n == max)
            continue;
        /* insertion in year order */
        int j = n++;
        while (j > 0 && years[j - 1] > a->year) {
            years[j] = years[j - 1];
            v[j] = v[j - 1];
            j--;
        }
        years[j] = a->year;
        v[j] = a->value;
    }
    return n;
}

int bal_variant_release(const bal_datapack *pk, int *released, int *last)
{
    int base = 0;
    for (int i = 0; i < pk->npassum; i++)
        if (pk->passum[i].release_base > base)
            base = pk->passum[i].release_base;
    *released = *last = 0;
    for (int i = 0; i < pk->npassum; i++)
        if (pk->passum[i].release_base == base) {
            *released = pk->passum[i].released;
            if (pk->passum[i].year > *last)
                *last = pk->passum[i].year;
        }
    return base;
}

int bal_variant_resolve(const bal_datapack *pk, int variant, int base_year)
{
    if (variant != BAL_VARIANT_DEFAULT)
        return variant;
    int released = 0, last = 0;
    const int base = bal_variant_release(pk, &released, &last);
    return base != 0 && released <= base_year ? BAL_VARIANT_MEDIUM : BAL_VARIANT_CONSTANT;
}
