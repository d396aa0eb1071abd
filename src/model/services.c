/*
 * services.c — what a unit's population sustains (docs/model.md §13.3):
 * schools at a minimum viable enrolment, scheduled public transport above a
 * density threshold, and physicians at a catchment per physician. Pure.
 */
#include "balance/economy.h"

#include <math.h>

void bal_svc_unit(const bal_svc_params *p, const double *pop_sa, double area_km2, int rural,
                  bal_svc_out *o)
{
    const double *min = rural ? p->school_min_rural : p->school_min;
    static const int lo[3] = {6, 12, 15}, hi[3] = {11, 14, 17};
    double schools = 0.0, total = 0.0;
    for (int l = 0; l < 3; l++) {
        double pupils = 0.0;
        for (int s = 0; s < BAL_NSEX; s++)
            for (int a = lo[l]; a <= hi[l]; a++)
                pupils += pop_sa[s * BAL_NAGE + a];
        if (min[l] > 0.0)
            schools += floor(pupils / min[l] + 1e-9);
    }
    for (int i = 0; i < BAL_CELLS; i++)
        total += pop_sa[i];
    o->schools = schools;
    o->transit = area_km2 > 0.0 && total / area_km2 >= p->transit_min_density ? 1.0 : 0.0;
    o->physicians = p->physician_catchment > 0.0 ? total / p->physician_catchment : 0.0;
}
