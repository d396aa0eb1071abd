/*
 * migration.c — destination choice and out-migration response (see
 * include/balance/migration.h and docs/model.md §12).
 */
#include "balance/migration.h"

#include <math.h>
#include <string.h>

const char *bal_mig_attr_name(int k)
{
    static const char *const names[BAL_NATTR] = {"log_population", "log_grdp_per_capita_rel",
                                                 "employment_rate_diff", "housing_cost",
                                                 "amenities"};
    return k >= 0 && k < BAL_NATTR ? names[k] : "";
}

int bal_mig_attract_init(bal_ctx *ctx, bal_attract *a, int64_t n, int year0, int nyears)
{
    memset(a, 0, sizeof *a);
    a->x = bal_calloc(ctx, (size_t)nyears * (size_t)n * BAL_NATTR, sizeof(double));
    if (a->x == NULL)
        return BAL_ENOMEM;
    a->n = n;
    a->year0 = year0;
    a->nyears = nyears;
    return BAL_OK;
}

void bal_mig_attract_release(bal_ctx *ctx, bal_attract *a)
{
    if (a == NULL)
        return;
    bal_free(ctx, a->x);
    memset(a, 0, sizeof *a);
}

double *bal_mig_attract_at(const bal_attract *a, int year)
{
    int k = year - a->year0;
    if (k < 0)
        k = 0;
    if (k >= a->nyears)
        k = a->nyears - 1;
    return a->x + (size_t)k * (size_t)a->n * BAL_NATTR;
}

int bal_mig_model_init(bal_ctx *ctx, bal_mig_model *m, int64_t n)
{
    memset(m, 0, sizeof *m);
    m->n = n;
    m->young_scale = 1.0;
    m->young_share = 0.0;
    m->share0 = bal_calloc(ctx, (size_t)(n * n), sizeof(double));
    m->x0 = bal_calloc(ctx, (size_t)n * BAL_NATTR, sizeof(double));
    if (m->share0 == NULL || m->x0 == NULL) {
        bal_mig_model_release(ctx, m);
        return BAL_ENOMEM;
    }
    return BAL_OK;
}

void bal_mig_model_release(bal_ctx *ctx, bal_mig_model *m)
{
    if (m == NULL)
        return;
    bal_free(ctx, m->share0);
    bal_free(ctx, m->x0);
    memset(m, 0, sizeof *m);
}

void bal_mig_dest(const bal_mig_model *m, const double *x, double scale, double *dest)
{
    const int64_t n = m->n;
    for (int64_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (int64_t j = 0; j < n; j++) {
            double s = m->share0[i * n + j];
            double v = 0.0;
            if (s > 0.0) {
                double u = 0.0;
                for (int k = 0; k < BAL_NATTR; k++)
                    u += m->beta[k] * (x[j * BAL_NATTR + k] - m->x0[j * BAL_NATTR + k]);
                v = s * exp(scale * u);
            }
            dest[i * n + j] = v;
            sum += v;
        }
        for (int64_t j = 0; j < n; j++)
            dest[i * n + j] = sum > 0.0 ? dest[i * n + j] / sum : 0.0;
    }
}

double bal_mig_out_factor(const bal_mig_model *m, const double *x, int64_t i, double scale)
{
    double u = 0.0;
    for (int k = 0; k < BAL_NATTR; k++)
        u += m->theta[k] * (x[i * BAL_NATTR + k] - m->x0[i * BAL_NATTR + k]);
    return exp(scale * u);
}

double bal_mig_logit_loglik(const bal_logit_data *d, const double *beta, double *grad,
                        double *hess, double *prob)
{
    const int K = d->k;
    const int64_t J = d->nalt;
    double ll = 0.0;
    if (grad)
        memset(grad, 0, (size_t)K * sizeof(double));
    if (hess)
        memset(hess, 0, (size_t)(K * K) * sizeof(double));
    double xbar[16], p[BAL_MAX_SIDO];
    for (int64_t s = 0; s < d->nsit; s++) {
        const double *xs = d->x + (size_t)s * (size_t)J * (size_t)K;
        const double *ns = d->n + (size_t)s * (size_t)J;
        const unsigned char *av = d->avail + (size_t)s * (size_t)J;
        /* utilities, with the maximum subtracted for stability */
        double umax = -INFINITY;
        for (int64_t j = 0; j < J; j++) {
            if (!av[j])
                continue;
            double u = d->offset ? d->offset[s * J + j] : 0.0;
            for (int k = 0; k < K; k++)
                u += beta[k] * xs[j * K + k];
            p[j] = u;
            if (u > umax)
                umax = u;
        }
        double den = 0.0;
        for (int64_t j = 0; j < J; j++)
            if (av[j]) {
                p[j] = exp(p[j] - umax);
                den += p[j];
            }
        /* a situation with no available destination has no movers and
           contributes nothing (and log(0) is never taken) */
        const double logden = den > 0.0 ? log(den) + umax : 0.0;
        double N = 0.0;
        for (int64_t j = 0; j < J; j++) {
            if (!av[j]) {
                p[j] = 0.0;
                continue;
            }
            double u = d->offset ? d->offset[s * J + j] : 0.0;
            for (int k = 0; k < K; k++)
                u += beta[k] * xs[j * K + k];
            p[j] /= den;
            if (ns[j] > 0.0)
                ll += ns[j] * (u - logden);
            N += ns[j];
        }
        if (prob)
            memcpy(prob + s * J, p, (size_t)J * sizeof(double));
        if (!grad && !hess)
            continue;
        for (int k = 0; k < K; k++) {
            xbar[k] = 0.0;
            for (int64_t j = 0; j < J; j++)
                if (av[j])
                    xbar[k] += p[j] * xs[j * K + k];
        }
        for (int64_t j = 0; j < J; j++) {
            if (!av[j])
                continue;
            for (int k = 0; k < K; k++) {
                double dk = xs[j * K + k] - xbar[k];
                if (grad)
                    grad[k] += ns[j] * dk;
                if (hess)
                    for (int l = 0; l < K; l++)
                        hess[k * K + l] -= N * p[j] * dk * (xs[j * K + l] - xbar[l]);
            }
        }
    }
    return ll;
}

void bal_mig_age_scales(const bal_mig_model *m, double *other, double *young)
{
    const double k = m->young_scale, w = m->young_share;
    const double o = 1.0 / (1.0 + w * (k - 1.0));
    *other = o;
    *young = k * o;
}

void bal_mig_travel_scale(const double *travel, const double *travel0, int64_t n, double gamma,
                          double *dest)
{
    if (gamma == 0.0)
        return;
    for (int64_t i = 0; i < n; i++) {
        int changed = 0;
        for (int64_t j = 0; j < n; j++) {
            const double t0 = travel0[i * n + j], t = travel[i * n + j];
            if (j != i && t0 > 0.0 && t != t0) {
                dest[i * n + j] *= pow(t / t0, gamma);
                changed = 1;
            }
        }
        if (!changed)
            continue;
        double sum = 0.0;
        for (int64_t j = 0; j < n; j++)
            sum += dest[i * n + j];
        for (int64_t j = 0; j < n; j++)
            dest[i * n + j] /= sum;
    }
}
