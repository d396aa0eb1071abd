/*
 * services.c — what a unit's population sustains (docs/model.md §13.3):
 * scheduled public transport above a density threshold, physicians at a
 * catchment per physician, and the closure rule of schools (a log-normal
 * distribution of school sizes whose schools close below a threshold).
 * Pure.
 */
#include "balance/economy.h"

#include <math.h>

void bal_svc_unit(const bal_svc_params *p, const double *pop_sa, double area_km2,
                  bal_svc_out *o)
{
    double total = 0.0;
    for (int i = 0; i < BAL_CELLS; i++)
        total += pop_sa[i];
    o->transit = area_km2 > 0.0 && total / area_km2 >= p->transit_min_density ? 1.0 : 0.0;
    o->physicians = p->physician_catchment > 0.0 ? total / p->physician_catchment : 0.0;
}

void bal_school_pupils(const double *pop_sa, double pupils[BAL_NSCHOOL])
{
    static const int lo[BAL_NSCHOOL] = {6, 12, 15}, hi[BAL_NSCHOOL] = {11, 14, 17};
    for (int l = 0; l < BAL_NSCHOOL; l++) {
        double n = 0.0;
        for (int s = 0; s < BAL_NSEX; s++)
            for (int a = lo[l]; a <= hi[l]; a++)
                n += pop_sa[s * BAL_NAGE + a];
        pupils[l] = n;
    }
}

double bal_school_threshold(const bal_svc_params *p, int level, int rural)
{
    return p->school_kappa * (rural ? p->school_min_rural : p->school_min)[level];
}

double bal_school_below(double t, double m, double sigma)
{
    if (!(m > 0.0))
        return 1.0;
    if (!(t > 0.0))
        return 0.0;
    const double z = (log(t) - log(m) + 0.5 * sigma * sigma) / sigma;
    return 0.5 * erfc(-z / sqrt(2.0));
}

double bal_school_crossed(double n0, double m0, double t, double sigma, double g_from,
                          double g_to)
{
    if (!(g_to < g_from) || !(n0 > 0.0) || !(m0 > 0.0))
        return 0.0;
    const double c = n0 * (bal_school_below(t, g_to * m0, sigma) -
                           bal_school_below(t, g_from * m0, sigma));
    return c > 0.0 ? c : 0.0;
}
