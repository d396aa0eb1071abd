/*
 * migyoung.c — how movers aged 20-34 respond to the inputs relative to the
 * others, estimated from the province age tables (the flows have no ages).
 * The method is in engine.h (bal_mig_young) and docs/model.md §12.7.
 */
#include "balance/datapack.h"
#include "balance/engine.h"
#include "balance/migration.h"

#include <math.h>
#include <string.h>

enum { MAXS = BAL_MAX_SIDO, MAXY = 64 }; /* sido; years of the age tables */

/* bands (at the end year) of each group */
static int band_group(int b)
{
    if (b >= BAL_YOUNG_LO / 5 && b <= BAL_YOUNG_HI / 5)
        return 0; /* young */
    if ((b >= 1 && b < BAL_YOUNG_LO / 5) || (b > BAL_YOUNG_HI / 5 && b <= 12))
        return 1; /* the others: 5-19 and 35-64 */
    return -1;    /* 0-4 (births) and 65+ (deaths) are left out */
}

/* Two-way within transformation of a balanced panel v[t][i] (ny × n). */
static void within(double *v, int ny, int n, const unsigned char *use)
{
    double ri[MAXS] = {0}, ct[MAXY] = {0}, all = 0.0;
    int m = 0;
    for (int i = 0; i < n; i++)
        m += use[i];
    for (int t = 0; t < ny; t++)
        for (int i = 0; i < n; i++)
            if (use[i]) {
                ri[i] += v[t * n + i] / ny;
                ct[t] += v[t * n + i] / m;
                all += v[t * n + i] / (ny * m);
            }
    for (int t = 0; t < ny; t++)
        for (int i = 0; i < n; i++)
            v[t * n + i] = use[i] ? v[t * n + i] - ri[i] - ct[t] + all : 0.0;
}

int bal_mig_young_fit(bal_ctx *ctx, const bal_datapack *pk, const bal_rc_schedule *rc,
                      bal_mig_young *out)
{
    memset(out, 0, sizeof *out);
    const int64_t ns = pk->nsido;
    const int64_t nc = ns * BAL_NSEX * BAL_NBAND5;
    if (ns > MAXS || pk->pop5.v == NULL || pk->grdp_pc.v == NULL)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "age response: population_age5.csv and grdp_per_capita.csv needed");

    /* regions in the regression: those with a population in the first year */
    unsigned char use[MAXS];
    const double *first = bal_yearly_at(&pk->pop5, pk->pop5.year0);
    for (int64_t i = 0; i < ns; i++) {
        use[i] = 1;
        for (int k = 0; k < BAL_NSEX * BAL_NBAND5; k++)
            if (isnan(first[i * BAL_NSEX * BAL_NBAND5 + k]))
                use[i] = 0;
        out->nexcluded += !use[i];
    }

    /* the start years t with complete tables at t and t+1 and inputs at t */
    int years[MAXY], ny = 0;
    const int last = pk->pop5.year0 + pk->pop5.nyears - 1;
    for (int t = pk->pop5.year0; t < last && ny < MAXY; t++) {
        if (!bal_yearly_complete(&pk->pop5, t, nc) || !bal_yearly_complete(&pk->pop5, t + 1, nc))
            continue;
        double x[BAL_NATTR];
        int ok = 1;
        for (int64_t i = 0; ok && i < ns; i++)
            ok = !use[i] || bal_mig_inputs(pk, i, t, x) == 0;
        if (ok)
            years[ny++] = t;
    }
    if (ny < 3)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "age response: fewer than 3 year pairs with age tables and inputs");

    double yv[MAXY * MAXS], ov[MAXY * MAXS], xv[MAXY * MAXS], wt[MAXY * MAXS];
    for (int k = 0; k < ny; k++) {
        const int t = years[k];
        const double *p0 = bal_yearly_at(&pk->pop5, t), *p1 = bal_yearly_at(&pk->pop5, t + 1);
        /* national residual rate per sex and band */
        double nat_r[BAL_NSEX * BAL_NBAND5] = {0}, nat_e[BAL_NSEX * BAL_NBAND5] = {0};
        for (int64_t i = 0; i < ns; i++)
            for (int s = 0; s < BAL_NSEX; s++)
                for (int b = 1; b < BAL_NBAND5 - 1; b++) {
                    const int64_t c = (i * BAL_NSEX + s) * BAL_NBAND5 + b;
                    const double e = 0.8 * p0[c] + 0.2 * p0[c - 1];
                    nat_e[s * BAL_NBAND5 + b] += e;
                    nat_r[s * BAL_NBAND5 + b] += p1[c] - e;
                }
        for (int64_t i = 0; i < ns; i++) {
            double num[2] = {0}, den[2] = {0}, tot = 0.0;
            for (int s = 0; s < BAL_NSEX; s++)
                for (int b = 0; b < BAL_NBAND5; b++) {
                    const int64_t c = (i * BAL_NSEX + s) * BAL_NBAND5 + b;
                    tot += p0[c];
                    const int grp = band_group(b);
                    if (grp < 0)
                        continue;
                    const double e = 0.8 * p0[c] + 0.2 * p0[c - 1];
                    const int q = s * BAL_NBAND5 + b;
                    num[grp] += p1[c] - e - e * nat_r[q] / nat_e[q];
                    den[grp] += e;
                }
            double x[BAL_NATTR] = {0};
            if (use[i])
                bal_mig_inputs(pk, i, t, x);
            yv[k * ns + i] = use[i] ? num[0] / den[0] : 0.0;
            ov[k * ns + i] = use[i] ? num[1] / den[1] : 0.0;
            xv[k * ns + i] = x[BAL_ATTR_GRDP_PC];
            wt[k * ns + i] = use[i] ? tot : 0.0;
        }
    }
    within(yv, ny, (int)ns, use);
    within(ov, ny, (int)ns, use);
    within(xv, ny, (int)ns, use);

    double sxy = 0.0, sxo = 0.0, sxx = 0.0;
    for (int k = 0; k < ny * ns; k++) {
        /* every k < ny * ns was written above; cppcheck assumes ns == 0 for
           the fill but not for this loop (a false positive) */
        // cppcheck-suppress uninitvar
        sxy += wt[k] * xv[k] * yv[k];
        sxo += wt[k] * xv[k] * ov[k];
        sxx += wt[k] * xv[k] * xv[k];
    }
    if (!(sxx > 0.0) || sxo == 0.0)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0, "age response: the inputs do not vary");
    out->b_young = sxy / sxx;
    out->b_other = sxo / sxx;
    out->s = sxy / sxo;
    /* heteroskedasticity-robust variance of the ratio (instrumental-variable)
       estimator: Σ w² x² u² / (Σ w x o)², u = y − s o */
    double v = 0.0;
    for (int k = 0; k < ny * ns; k++) {
        const double u = yv[k] - out->s * ov[k];
        v += wt[k] * wt[k] * xv[k] * xv[k] * u * u;
    }
    out->s_se = sqrt(v) / fabs(sxo);
    out->nobs = ny * (int)(ns - out->nexcluded);
    out->year0 = years[0];
    out->year1 = years[ny - 1];

    /* intensities of the model's age profile on the base population */
    double my = 0.0, py = 0.0, mo = 0.0, po = 0.0, mall = 0.0;
    for (int64_t i = 0; i < ns; i++)
        for (int s = 0; s < BAL_NSEX; s++)
            for (int a = 0; a < BAL_NAGE; a++) {
                const double P = pk->base_pop[bal_pidx(i, s, a)];
                const double g = bal_calib_rc_eval(rc, a + 0.5);
                const int grp = a == BAL_AGE_OPEN ? -1 : band_group(a / 5);
                mall += g * P;
                if (grp == 0) {
                    my += g * P;
                    py += P;
                } else if (grp == 1) {
                    mo += g * P;
                    po += P;
                }
            }
    if (!(py > 0.0 && po > 0.0 && mo > 0.0))
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0, "age response: empty age groups");
    out->m_ratio = (my / py) / (mo / po);
    out->k = out->s / out->m_ratio;
    out->k_se = out->s_se / out->m_ratio;
    double wy = 0.0;
    for (int64_t i = 0; i < ns; i++)
        for (int s = 0; s < BAL_NSEX; s++)
            for (int a = BAL_YOUNG_LO; a <= BAL_YOUNG_HI; a++)
                wy += bal_calib_rc_eval(rc, a + 0.5) * pk->base_pop[bal_pidx(i, s, a)];
    out->w = wy / mall;
    return BAL_OK;
}
