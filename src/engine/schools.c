/*
 * schools.c — the school closure model against the published closures
 * (balance/schools.h; docs/model.md §13.3).
 */
#include "balance/schools.h"

#include <math.h>
#include <string.h>

/* Rural: a county (군), by the Korean name's last syllable. */
static int rural(const bal_datapack *pk, int64_t i)
{
    const char *ko = pk->regions.r[i].name_ko;
    const size_t n = strlen(ko);
    return n >= 3 && strcmp(ko + n - 3, "군") == 0;
}

int bal_schools_hindcast(bal_ctx *ctx, const bal_datapack *pk, const bal_svc_params *p,
                         bal_school_fit *fit)
{
    memset(fit, 0, sizeof *fit);
    const int base = pk->base_year;
    const int64_t ns = pk->nsido, nsgg = pk->regions.n - ns;
    if (!pk->municipal_loaded || pk->base_pop_sgg == NULL)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                         "schools hindcast: the municipal tables must be loaded");
    int y0 = base + 1;
    for (int i = 0; i < pk->nschool_closures; i++) {
        const bal_school_closure *c = &pk->school_closures[i];
        if (strcmp(c->series, "jin") == 0 && c->level < 0 && c->year < y0)
            y0 = c->year;
    }
    const int ny = base - y0 + 1;
    if (ny < 1 || ny > BAL_SCHOOL_FIT_MAX)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "school_closures.csv: no usable 'jin' series before %d", base);
    fit->year0 = y0;
    fit->nyears = ny;
    for (int k = 0; k < ny; k++) {
        fit->observed[k] = NAN;
        for (int i = 0; i < pk->nschool_closures; i++) {
            const bal_school_closure *c = &pk->school_closures[i];
            if (strcmp(c->series, "jin") == 0 && c->level < 0 && c->year == y0 + k) {
                fit->observed[k] = c->closures;
                fit->planned[k] = c->planned;
            }
        }
        if (!(fit->observed[k] > 0.0))
            return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                             "school_closures.csv: no 'jin' closures of all levels in %d",
                             y0 + k);
    }
    /* pupil factor per sido, level and year y0 - 1 ... base, relative to the base */
    double F[BAL_MAX_SIDO][BAL_NSCHOOL][BAL_SCHOOL_FIT_MAX + 1];
    const double *last = bal_yearly_at(&pk->school_sido, base - 1);
    static const int lo[BAL_NSCHOOL] = {6, 12, 15}, hi[BAL_NSCHOOL] = {11, 14, 17};
    if (last == NULL)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0, "schools_sido.csv: no year %d", base - 1);
    for (int64_t g = 0; g < ns; g++)
        for (int l = 0; l < BAL_NSCHOOL; l++) {
            double now = 0.0, older = 0.0;
            for (int s = 0; s < BAL_NSEX; s++)
                for (int a = lo[l]; a <= hi[l]; a++) {
                    now += pk->base_pop[bal_pidx(g, s, a)];
                    older += pk->base_pop[bal_pidx(g, s, a + 1)];
                }
            const double s_last = last[(g * BAL_NSCHOOL + l) * 2 + 1];
            F[g][l][ny] = 1.0;
            for (int k = 0; k < ny; k++) {
                const double *b = bal_yearly_at(&pk->school_sido, y0 - 1 + k);
                const double st = b ? b[(g * BAL_NSCHOOL + l) * 2 + 1] : (double)NAN;
                if (!(st > 0.0 && s_last > 0.0 && now > 0.0))
                    return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                                     "schools_sido.csv: no students of sido %s, %s, in %d or "
                                     "%d",
                                     pk->regions.r[g].code, bal_school_level_name(l),
                                     y0 - 1 + k, base - 1);
                F[g][l][k] = older / now * st / s_last;
            }
        }
    for (int64_t s = 0; s < nsgg; s++) {
        const int64_t g = pk->regions.r[ns + s].parent;
        const int rur = rural(pk, ns + s);
        double pu[BAL_NSCHOOL];
        bal_school_pupils(pk->base_pop_sgg + bal_pidx(s, 0, 0), pu);
        for (int l = 0; l < BAL_NSCHOOL; l++) {
            const double n0 = pk->school_main[s * BAL_NSCHOOL + l] +
                              pk->school_branch[s * BAL_NSCHOOL + l];
            const double m0 = n0 > 0.0 ? pu[l] / n0 : 0.0;
            const double t = bal_school_threshold(p, l, rur);
            double gmin = F[g][l][0];
            for (int k = 0; k < ny; k++) {
                const double f = F[g][l][k + 1];
                const double gn = f < gmin ? f : gmin;
                fit->model[k][l] += bal_school_crossed(n0, m0, t, p->school_sigma, gmin, gn);
                gmin = gn;
            }
        }
    }
    fit->sse = 0.0;
    for (int k = 0; k < ny; k++) {
        double all = 0.0;
        for (int l = 0; l < BAL_NSCHOOL; l++)
            all += fit->model[k][l];
        fit->model[k][BAL_NSCHOOL] = all;
        const double e = all > 0.0 ? log(all / fit->observed[k]) : 1e3;
        fit->sse += e * e;
    }
    return BAL_OK;
}

int bal_schools_calibrate(bal_ctx *ctx, const bal_datapack *pk, bal_svc_params *p,
                          bal_school_fit *fit)
{
    int st;
    double best = HUGE_VAL, kb = 0.01;
    for (int i = 1; i <= 150; i++) {
        p->school_kappa = 0.01 * i;
        if ((st = bal_schools_hindcast(ctx, pk, p, fit)))
            return st;
        if (fit->sse < best) {
            best = fit->sse;
            kb = p->school_kappa;
        }
    }
    /* golden-section search on [kb - 0.01, kb + 0.01] */
    const double r = (sqrt(5.0) - 1.0) / 2.0;
    double a = kb - 0.01 > 1e-3 ? kb - 0.01 : 1e-3, b = kb + 0.01;
    for (int it = 0; it < 60 && b - a > 1e-10; it++) {
        const double x1 = b - r * (b - a), x2 = a + r * (b - a);
        p->school_kappa = x1;
        if ((st = bal_schools_hindcast(ctx, pk, p, fit)))
            return st;
        const double f1 = fit->sse;
        p->school_kappa = x2;
        if ((st = bal_schools_hindcast(ctx, pk, p, fit)))
            return st;
        if (f1 < fit->sse)
            b = x2;
        else
            a = x1;
    }
    p->school_kappa = 0.5 * (a + b);
    return bal_schools_hindcast(ctx, pk, p, fit);
}
