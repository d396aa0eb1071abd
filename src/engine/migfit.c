/*
 * migfit.c — estimate the migration model on the observed province flows by
 * maximum likelihood (GSL's BFGS minimiser), and its hindcast.
 *
 * Panel: for each flow year t, origin i and destination j != i, the movers
 * M(i,j,t) of migration_od.csv; inputs of year t-1 (lagged, so the pull is
 * known before the move): population (population_totals.csv), GRDP per
 * capita relative to the nation (grdp_per_capita.csv, one consistent base)
 * and the employment rate minus the nation's (labor_force.csv).
 * docs/model.md §12 gives the specifications.
 */
#include "balance/engine.h"
#include "balance/migration.h"

#include <assert.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char *bal_mig_spec_name(int spec)
{
    switch (spec) {
    case BAL_MIG_GRAVITY: return "gravity";
    case BAL_MIG_PIVOT: return "pivot";
    case BAL_MIG_OUT: return "out_rate";
    default: return "";
    }
}

/* Inputs of region r (or the nation at r = ns) for `year`; 0 if all present. */
static int inputs(const bal_datapack *pk, int64_t r, int year, double *x)
{
    const int64_t ns = pk->nsido;
    const double *pt = bal_yearly_at(&pk->pop_total, year);
    const double *g = bal_yearly_at(&pk->grdp_pc, year);
    const double *e = bal_yearly_at(&pk->emp_rate, year);
    /* Sejong before 2017: the labour force survey counted it in Chungnam
       (data/kr/SOURCES.md), so it takes Chungnam's rate (A23) */
    int64_t re = r;
    if (e && r < ns && isnan(e[r]) && strcmp(pk->regions.r[r].code, "36") == 0)
        re = bal_regions_find(&pk->regions, "44");
    if (!pt || !g || !e || isnan(pt[r]) || !(pt[r] > 0.0) || isnan(g[r]) || isnan(g[ns]) ||
        !(g[r] > 0.0) || re < 0 || isnan(e[re]) || isnan(e[ns]))
        return -1;
    x[BAL_ATTR_LOG_POP] = log(pt[r]);
    x[BAL_ATTR_GRDP_PC] = log(g[r] / g[ns]);
    x[BAL_ATTR_EMPLOYMENT] = (e[re] - e[ns]) / 10.0;
    x[BAL_ATTR_HOUSING] = 0.0;
    x[BAL_ATTR_AMENITY] = 0.0;
    return 0;
}

int bal_mig_inputs(const bal_datapack *pk, int64_t r, int year, double *x)
{
    return inputs(pk, r, year, x);
}

/* ---- panel ------------------------------------------------------------------ */

typedef struct panel {
    int64_t ns;                 /* alternatives = provinces */
    int64_t nsit;               /* (origin, year) situations */
    int *year;                  /* [nsit] */
    int64_t *orig;              /* [nsit] */
    double *n;                  /* [nsit][ns] movers */
    unsigned char *avail;       /* [nsit][ns] */
    double *xin;                /* [nsit][ns][BAL_NATTR] inputs of the destination, t-1 */
    double *xorig;              /* [nsit][BAL_NATTR] inputs of the origin, t-1 */
    double *expo;               /* [nsit] origin population at t-1 */
} panel;

static void panel_release(bal_ctx *ctx, panel *P)
{
    bal_free(ctx, P->year);
    bal_free(ctx, P->orig);
    bal_free(ctx, P->n);
    bal_free(ctx, P->avail);
    bal_free(ctx, P->xin);
    bal_free(ctx, P->xorig);
    bal_free(ctx, P->expo);
    memset(P, 0, sizeof *P);
}

static int panel_build(bal_ctx *ctx, const bal_datapack *pk, int y0, int y1, panel *P)
{
    memset(P, 0, sizeof *P);
    const int64_t ns = pk->nsido;
    const int64_t cap = (int64_t)(y1 - y0 + 1) * ns;
    P->ns = ns;
    P->year = bal_calloc(ctx, (size_t)cap, sizeof(int));
    P->orig = bal_calloc(ctx, (size_t)cap, sizeof(int64_t));
    P->n = bal_calloc(ctx, (size_t)(cap * ns), sizeof(double));
    P->avail = bal_calloc(ctx, (size_t)(cap * ns), 1);
    P->xin = bal_calloc(ctx, (size_t)(cap * ns * BAL_NATTR), sizeof(double));
    P->xorig = bal_calloc(ctx, (size_t)(cap * BAL_NATTR), sizeof(double));
    P->expo = bal_calloc(ctx, (size_t)cap, sizeof(double));
    if (!P->year || !P->orig || !P->n || !P->avail || !P->xin || !P->xorig || !P->expo) {
        panel_release(ctx, P);
        return BAL_ENOMEM;
    }
    for (int t = y0; t <= y1; t++) {
        const double *od = bal_yearly_at(&pk->od, t);
        if (od == NULL)
            continue;
        double x[BAL_MAX_SIDO][BAL_NATTR];
        int ok[BAL_MAX_SIDO];
        for (int64_t r = 0; r < ns; r++) {
            ok[r] = inputs(pk, r, t - 1, x[r]) == 0 && !isnan(od[r * ns + (r + 1) % ns]);
            if (!ok[r])
                memset(x[r], 0, sizeof x[r]);
        }
        for (int64_t i = 0; i < ns; i++) {
            if (!ok[i])
                continue;
            const int64_t s = P->nsit;
            double tot = 0.0;
            for (int64_t j = 0; j < ns; j++) {
                const int a = j != i && ok[j] && !isnan(od[i * ns + j]);
                P->avail[s * ns + j] = (unsigned char)a;
                P->n[s * ns + j] = a ? od[i * ns + j] : 0.0;
                tot += P->n[s * ns + j];
                memcpy(P->xin + (s * ns + j) * BAL_NATTR, x[j], sizeof x[j]);
            }
            if (!(tot > 0.0))
                continue;
            memcpy(P->xorig + s * BAL_NATTR, x[i], sizeof x[i]);
            P->expo[s] = bal_yearly_at(&pk->pop_total, t - 1)[i];
            P->year[s] = t;
            P->orig[s] = i;
            P->nsit++;
        }
    }
    if (P->nsit == 0) {
        panel_release(ctx, P);
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "no flow year in %d..%d with the inputs of the year before", y0, y1);
    }
    return BAL_OK;
}

/* ---- the specifications ----------------------------------------------------- */

/* Covariates of a specification into d (allocated [nsit][ns][k]). */
static int spec_k(int spec)
{
    return spec == BAL_MIG_GRAVITY ? 5 : spec == BAL_MIG_PIVOT ? 3 : 2;
}

static void spec_names(int spec, const char **names)
{
    if (spec == BAL_MIG_GRAVITY) {
        names[0] = "log_distance";
        names[1] = "contiguous";
        names[2] = "log_population";
        names[3] = "log_grdp_per_capita_rel";
        names[4] = "employment_rate_diff";
    } else if (spec == BAL_MIG_PIVOT) {
        names[0] = "log_population";
        names[1] = "log_grdp_per_capita_rel";
        names[2] = "employment_rate_diff";
    } else {
        names[0] = "log_grdp_per_capita_rel";
        names[1] = "employment_rate_diff";
    }
}

static void fill_x(const bal_datapack *pk, const panel *P, int spec, double *x)
{
    const int64_t ns = P->ns;
    const int K = spec_k(spec);
    for (int64_t s = 0; s < P->nsit; s++)
        for (int64_t j = 0; j < ns; j++) {
            const double *xi = P->xin + (s * ns + j) * BAL_NATTR;
            double *o = x + (s * ns + j) * K;
            const int64_t i = P->orig[s];
            if (spec == BAL_MIG_GRAVITY) {
                double dkm = pk->dist_km[i * ns + j];
                o[0] = dkm > 0.0 ? log(dkm) : 0.0;
                o[1] = pk->contiguous[i * ns + j];
                o[2] = xi[BAL_ATTR_LOG_POP];
                o[3] = xi[BAL_ATTR_GRDP_PC];
                o[4] = xi[BAL_ATTR_EMPLOYMENT];
            } else {
                o[0] = xi[BAL_ATTR_LOG_POP];
                o[1] = xi[BAL_ATTR_GRDP_PC];
                o[2] = xi[BAL_ATTR_EMPLOYMENT];
            }
        }
}

/* Objective of the optimiser: minus the log-likelihood per mover. */
typedef struct objective {
    const bal_logit_data *d;
    const panel *P;
    double *offset;       /* pivot: pair constants, refitted for each β */
    double *prob;         /* [nsit][ns] */
    double scale;         /* 1 / movers */
    int pivot;
} objective;

/* Pair constants α(i,j) given β: iterative proportional fitting so that the
   fitted movers of every pair, summed over the years, equal the observed. */
static void fit_pair_constants(objective *ob, const double *beta)
{
    const panel *P = ob->P;
    const int64_t ns = P->ns;
    double obs[BAL_MAX_SIDO * BAL_MAX_SIDO], fit[BAL_MAX_SIDO * BAL_MAX_SIDO];
    memset(obs, 0, sizeof obs);
    for (int64_t s = 0; s < P->nsit; s++)
        for (int64_t j = 0; j < ns; j++)
            obs[P->orig[s] * ns + j] += P->n[s * ns + j];
    for (int it = 0; it < 200; it++) {
        bal_mig_logit_loglik(ob->d, beta, NULL, NULL, ob->prob);
        memset(fit, 0, sizeof fit);
        for (int64_t s = 0; s < P->nsit; s++) {
            double N = 0.0;
            for (int64_t j = 0; j < ns; j++)
                N += P->n[s * ns + j];
            for (int64_t j = 0; j < ns; j++)
                fit[P->orig[s] * ns + j] += N * ob->prob[s * ns + j];
        }
        double worst = 0.0;
        for (int64_t s = 0; s < P->nsit; s++)
            for (int64_t j = 0; j < ns; j++) {
                const int64_t q = P->orig[s] * ns + j;
                if (!P->avail[s * ns + j] || !(fit[q] > 0.0) || !(obs[q] > 0.0))
                    continue;
                double step = log(obs[q] / fit[q]);
                ob->offset[s * ns + j] += step;
                if (fabs(step) > worst)
                    worst = fabs(step);
            }
        if (worst < 1e-12)
            break;
    }
}

static double f_eval(const gsl_vector *v, void *params)
{
    objective *ob = params;
    if (ob->pivot)
        fit_pair_constants(ob, v->data);
    return -bal_mig_logit_loglik(ob->d, v->data, NULL, NULL, NULL) * ob->scale;
}

static void df_eval(const gsl_vector *v, void *params, gsl_vector *g)
{
    objective *ob = params;
    double grad[BAL_MIG_MAXK];
    if (ob->pivot)
        fit_pair_constants(ob, v->data);
    bal_mig_logit_loglik(ob->d, v->data, grad, NULL, NULL);
    for (size_t k = 0; k < v->size; k++)
        gsl_vector_set(g, k, -grad[k] * ob->scale);
}

static void fdf_eval(const gsl_vector *v, void *params, double *f, gsl_vector *g)
{
    objective *ob = params;
    double grad[BAL_MIG_MAXK];
    if (ob->pivot)
        fit_pair_constants(ob, v->data);
    *f = -bal_mig_logit_loglik(ob->d, v->data, grad, NULL, NULL) * ob->scale;
    for (size_t k = 0; k < v->size; k++)
        gsl_vector_set(g, k, -grad[k] * ob->scale);
}

/* The numerical information matrix of k coefficients (central differences
   of the gradient). */
void bal_mig_info_numeric(int k, const double *beta, bal_mig_grad_fn *grad, void *arg,
                          double *info)
{
    assert(k >= 1 && k <= BAL_MIG_MAXK);
    for (int a = 0; a < k; a++) {
        double b1[BAL_MIG_MAXK], b2[BAL_MIG_MAXK], g1[BAL_MIG_MAXK], g2[BAL_MIG_MAXK];
        memcpy(b1, beta, (size_t)k * sizeof *b1);
        memcpy(b2, beta, (size_t)k * sizeof *b2);
        const double h = 1e-4 * (1.0 + fabs(beta[a]));
        b1[a] += h;
        b2[a] -= h;
        grad(arg, b1, g1);
        grad(arg, b2, g2);
        for (int b = 0; b < k; b++)
            info[a * k + b] = -(g1[b] - g2[b]) / (2.0 * h);
    }
    for (int a = 0; a < k; a++)
        for (int b = 0; b < a; b++)
            info[a * k + b] = info[b * k + a] = 0.5 * (info[a * k + b] + info[b * k + a]);
}

/* bal_mig_grad_fn of the pivot fit: the gradient with the pair constants
   refitted for beta (the profile likelihood). */
static void profile_grad(void *arg, const double *beta, double *g)
{
    objective *ob = arg;
    fit_pair_constants(ob, beta);
    bal_mig_logit_loglik(ob->d, beta, g, NULL, NULL);
}

/* Standard errors from the inverse of the information matrix `info` (K×K).
   Returns GSL's status (GSL_EDOM: not positive definite). */
static int invert_info(int K, const double *info, double *se)
{
    gsl_matrix *m = gsl_matrix_alloc((size_t)K, (size_t)K);
    if (m == NULL)
        return GSL_ENOMEM;
    for (int a = 0; a < K; a++)
        for (int b = 0; b < K; b++)
            gsl_matrix_set(m, (size_t)a, (size_t)b, info[a * K + b]);
    /* a matrix that is not positive definite is a status here (GSL's
       aborting handler is off: bal_gsl_init); the caller reports it */
    int st = gsl_linalg_cholesky_decomp1(m);
    if (st == 0)
        st = gsl_linalg_cholesky_invert(m);
    if (st == 0)
        for (int a = 0; a < K; a++)
            se[a] = sqrt(gsl_matrix_get(m, (size_t)a, (size_t)a));
    gsl_matrix_free(m);
    return st;
}

/* Minimise fn (scaled minus log-likelihood) from 0 with GSL's BFGS; the
   solution goes to beta. BAL_EINTERNAL unless the gradient falls below 1e-6. */
static int minimise(bal_ctx *ctx, gsl_multimin_function_fdf *fn, const char *what, double *beta,
                    int *iters)
{
    const size_t K = fn->n;
    gsl_vector *x = gsl_vector_calloc(K);
    gsl_multimin_fdfminimizer *mz =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, K);
    if (x == NULL || mz == NULL) {
        gsl_vector_free(x);
        gsl_multimin_fdfminimizer_free(mz);
        return BAL_ENOMEM;
    }
    int it = 0, status = gsl_multimin_fdfminimizer_set(mz, fn, x, 0.1, 0.1);
    if (status != GSL_SUCCESS) {
        gsl_vector_free(x);
        gsl_multimin_fdfminimizer_free(mz);
        char msg[96];
        snprintf(msg, sizeof msg, "%s fit: BFGS start", what);
        return bal_gsl_raise(ctx, status, msg);
    }
    do {
        it++;
        status = gsl_multimin_fdfminimizer_iterate(mz);
        if (status)
            break; /* GSL_ENOPROG: no further progress; judged by the gradient below */
        status = gsl_multimin_test_gradient(mz->gradient, 1e-9);
    } while (status == GSL_CONTINUE && it < 500);
    if (status != GSL_SUCCESS && status != GSL_CONTINUE && status != GSL_ENOPROG) {
        gsl_vector_free(x);
        gsl_multimin_fdfminimizer_free(mz);
        char msg[96];
        snprintf(msg, sizeof msg, "%s fit: BFGS iteration %d", what, it);
        return bal_gsl_raise(ctx, status, msg);
    }
    double gmax = 0.0;
    for (size_t k = 0; k < K; k++) {
        beta[k] = gsl_vector_get(mz->x, k);
        gmax = fmax(gmax, fabs(gsl_vector_get(mz->gradient, k)));
    }
    gsl_vector_free(x);
    gsl_multimin_fdfminimizer_free(mz);
    *iters = it;
    if (!(gmax < 1e-6))
        return bal_raise(ctx, BAL_EINTERNAL, NULL, 0,
                         "%s fit did not converge (gradient %.3g after %d iterations)", what,
                         gmax, it);
    return BAL_OK;
}

/* Destination choice: gravity or pivot specification. */
static int fit_choice(bal_ctx *ctx, const bal_datapack *pk, const panel *P, int spec,
                      bal_mig_fit *fit)
{
    const int64_t ns = P->ns;
    const int K = spec_k(spec);
    const size_t cells = (size_t)(P->nsit * ns);
    double *x = bal_calloc(ctx, cells * (size_t)K, sizeof(double));
    double *offset = spec == BAL_MIG_PIVOT ? bal_calloc(ctx, cells, sizeof(double)) : NULL;
    double *prob = bal_calloc(ctx, cells, sizeof(double));
    int st = BAL_OK;
    if (x == NULL || prob == NULL || (spec == BAL_MIG_PIVOT && offset == NULL)) {
        st = BAL_ENOMEM;
        goto done;
    }
    fill_x(pk, P, spec, x);
    bal_logit_data d = {P->nsit, ns, K, x, P->n, offset, P->avail};
    double movers = 0.0;
    for (size_t i = 0; i < cells; i++)
        movers += P->n[i];
    objective ob = {&d, P, offset, prob, 1.0 / movers, spec == BAL_MIG_PIVOT};
    gsl_multimin_function_fdf fn = {f_eval, df_eval, fdf_eval, (size_t)K, &ob};
    if ((st = minimise(ctx, &fn, "migration", fit->coef, &fit->iterations)))
        goto done;
    if (ob.pivot)
        fit_pair_constants(&ob, fit->coef);
    double hess[BAL_MIG_MAXK * BAL_MIG_MAXK];
    fit->ll = bal_mig_logit_loglik(&d, fit->coef, NULL, hess, prob);
    /* information: analytic for the gravity form; for the pivot form the
       profile information, by central differences of the exact gradient */
    double info[BAL_MIG_MAXK * BAL_MIG_MAXK];
    if (!ob.pivot) {
        for (int i = 0; i < K * K; i++)
            info[i] = -hess[i];
    } else {
        bal_mig_info_numeric(K, fit->coef, profile_grad, &ob, info);
        fit_pair_constants(&ob, fit->coef);
        fit->ll = bal_mig_logit_loglik(&d, fit->coef, NULL, NULL, prob);
    }
    if ((st = invert_info(K, info, fit->se)) != GSL_SUCCESS) {
        st = bal_gsl_raise(ctx, st, "migration fit: information matrix (Cholesky inverse)");
        goto done;
    }
    /* null model: every available destination equally likely; Pearson dispersion */
    double ll0 = 0.0, chi2 = 0.0;
    int64_t ncell = 0;
    for (int64_t s = 0; s < P->nsit; s++) {
        double N = 0.0, na = 0.0;
        for (int64_t j = 0; j < ns; j++) {
            N += P->n[s * ns + j];
            na += P->avail[s * ns + j];
        }
        for (int64_t j = 0; j < ns; j++) {
            if (!P->avail[s * ns + j])
                continue;
            ll0 += P->n[s * ns + j] * log(1.0 / na);
            double mu = N * prob[s * ns + j];
            if (mu > 0.0)
                chi2 += (P->n[s * ns + j] - mu) * (P->n[s * ns + j] - mu) / mu;
            ncell++;
        }
    }
    const int64_t npar = K + (ob.pivot ? ns * (ns - 1) - ns : 0) + P->nsit;
    fit->ll_null = ll0;
    fit->movers = movers;
    fit->ncells = ncell;
    fit->nparams = npar;
    fit->dispersion = chi2 / (double)(ncell - npar);
    for (int k = 0; k < K; k++)
        fit->se_quasi[k] = fit->se[k] * sqrt(fit->dispersion);
done:
    bal_free(ctx, x);
    bal_free(ctx, offset);
    bal_free(ctx, prob);
    return st;
}

/* ---- out-migration: Poisson with origin constants, a trend and the inputs --- */

typedef struct outobj {
    const panel *P;
    double scale;
    int y0;
} outobj;

/* Log-likelihood (up to a constant) with the origin constants concentrated
   out; gradient and information for (trend, θ_grdp, θ_emp). */
static double out_ll(const outobj *o, const double *b, double *grad, double *info)
{
    const panel *P = o->P;
    const int64_t ns = P->ns;
    double sy[BAL_MAX_SIDO] = {0}, smu[BAL_MAX_SIDO] = {0};
    double sz[BAL_MAX_SIDO][3], szz[BAL_MAX_SIDO][9];
    memset(sz, 0, sizeof sz);
    memset(szz, 0, sizeof szz);
    for (int64_t s = 0; s < P->nsit; s++) {
        const int64_t i = P->orig[s];
        double y = 0.0;
        for (int64_t j = 0; j < ns; j++)
            y += P->n[s * ns + j];
        const double z[3] = {(P->year[s] - o->y0) / 10.0, P->xorig[s * BAL_NATTR + BAL_ATTR_GRDP_PC],
                             P->xorig[s * BAL_NATTR + BAL_ATTR_EMPLOYMENT]};
        double mu = P->expo[s] * exp(b[0] * z[0] + b[1] * z[1] + b[2] * z[2]);
        sy[i] += y;
        smu[i] += mu;
        for (int a = 0; a < 3; a++) {
            sz[i][a] += mu * z[a];
            for (int c = 0; c < 3; c++)
                szz[i][a * 3 + c] += mu * z[a] * z[c];
        }
    }
    /* with α_i = log(sy/smu) the fitted μ sums to the observed per origin */
    double ll = 0.0;
    if (grad)
        memset(grad, 0, 3 * sizeof(double));
    if (info)
        memset(info, 0, 9 * sizeof(double));
    for (int64_t s = 0; s < P->nsit; s++) {
        const int64_t i = P->orig[s];
        double y = 0.0;
        for (int64_t j = 0; j < ns; j++)
            y += P->n[s * ns + j];
        const double z[3] = {(P->year[s] - o->y0) / 10.0, P->xorig[s * BAL_NATTR + BAL_ATTR_GRDP_PC],
                             P->xorig[s * BAL_NATTR + BAL_ATTR_EMPLOYMENT]};
        double eta = log(P->expo[s]) + b[0] * z[0] + b[1] * z[1] + b[2] * z[2] +
                     log(sy[i] / smu[i]);
        ll += y * eta - exp(eta);
        if (grad)
            for (int a = 0; a < 3; a++)
                grad[a] += y * z[a];
    }
    for (int64_t i = 0; i < ns; i++) {
        if (!(smu[i] > 0.0))
            continue;
        const double k = sy[i] / smu[i];
        for (int a = 0; a < 3; a++) {
            if (grad)
                grad[a] -= k * sz[i][a];
            if (info)
                for (int c = 0; c < 3; c++)
                    info[a * 3 + c] += k * (szz[i][a * 3 + c] - sz[i][a] * sz[i][c] / smu[i]);
        }
    }
    return ll;
}

static double of_eval(const gsl_vector *v, void *p)
{
    const outobj *o = p;
    return -out_ll(o, v->data, NULL, NULL) * o->scale;
}

static void odf_eval(const gsl_vector *v, void *p, gsl_vector *g)
{
    const outobj *o = p;
    double grad[3];
    out_ll(o, v->data, grad, NULL);
    for (int k = 0; k < 3; k++)
        gsl_vector_set(g, (size_t)k, -grad[k] * o->scale);
}

static void ofdf_eval(const gsl_vector *v, void *p, double *f, gsl_vector *g)
{
    const outobj *o = p;
    double grad[3];
    *f = -out_ll(o, v->data, grad, NULL) * o->scale;
    for (int k = 0; k < 3; k++)
        gsl_vector_set(g, (size_t)k, -grad[k] * o->scale);
}

static int fit_out(bal_ctx *ctx, const panel *P, int y0, bal_mig_fit *fit)
{
    double movers = 0.0;
    for (int64_t i = 0; i < P->nsit * P->ns; i++)
        movers += P->n[i];
    outobj o = {P, 1.0 / movers, y0};
    gsl_multimin_function_fdf fn = {of_eval, odf_eval, ofdf_eval, 3, &o};
    double b[3], info[9], g[3];
    int it = 0;
    int st = minimise(ctx, &fn, "out-migration", b, &it);
    if (st)
        return st;
    fit->ll = out_ll(&o, b, g, info);
    if ((st = invert_info(3, info, fit->se)) != GSL_SUCCESS)
        return bal_gsl_raise(ctx, st, "out-migration fit: information matrix (Cholesky inverse)");
    /* report θ only (the trend is kept apart) */
    fit->trend = b[0];
    fit->trend_se = fit->se[0];
    fit->coef[0] = b[1];
    fit->coef[1] = b[2];
    fit->se[0] = fit->se[1];
    fit->se[1] = fit->se[2];
    /* dispersion of the out-migrant counts */
    double chi2 = 0.0;
    double sy[BAL_MAX_SIDO] = {0}, smu[BAL_MAX_SIDO] = {0};
    for (int pass = 0; pass < 2; pass++)
        for (int64_t s = 0; s < P->nsit; s++) {
            const int64_t i = P->orig[s];
            double y = 0.0;
            for (int64_t j = 0; j < P->ns; j++)
                y += P->n[s * P->ns + j];
            double mu = P->expo[s] * exp(b[0] * (P->year[s] - y0) / 10.0 +
                                         b[1] * P->xorig[s * BAL_NATTR + BAL_ATTR_GRDP_PC] +
                                         b[2] * P->xorig[s * BAL_NATTR + BAL_ATTR_EMPLOYMENT]);
            if (pass == 0) {
                sy[i] += y;
                smu[i] += mu;
            } else {
                mu *= sy[i] / smu[i];
                chi2 += (y - mu) * (y - mu) / mu;
            }
        }
    fit->ncells = P->nsit;
    fit->nparams = 3 + P->ns;
    fit->dispersion = chi2 / (double)(P->nsit - fit->nparams);
    fit->se_quasi[0] = fit->se[0] * sqrt(fit->dispersion);
    fit->se_quasi[1] = fit->se[1] * sqrt(fit->dispersion);
    fit->movers = movers;
    fit->iterations = it;
    fit->ll_null = NAN;
    return BAL_OK;
}

int bal_mig_fit_run(bal_ctx *ctx, const bal_datapack *pk, int spec, int y0, int y1,
                    bal_mig_fit *fit)
{
    memset(fit, 0, sizeof *fit);
    fit->spec = spec;
    fit->k = spec_k(spec);
    spec_names(spec, fit->names);
    if (pk->grdp_pc.v == NULL || pk->emp_rate.v == NULL)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0,
                         "grdp_per_capita.csv and labor_force.csv are needed to fit migration");
    /* one year of flows cannot separate the out-migration trend (decades
       from trend_year) from the constant: the information matrix is singular */
    if (y1 <= y0)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                         "the migration fit needs at least two flow years (got %d-%d): the "
                         "out-migration trend is not identified from one year",
                         y0, y1);
    panel P;
    int st = panel_build(ctx, pk, y0, y1, &P);
    if (st)
        return st;
    fit->year0 = P.year[0];
    fit->year1 = P.year[P.nsit - 1];
    fit->nsit = P.nsit;
    if (spec == BAL_MIG_OUT)
        st = fit_out(ctx, &P, pk->vintage.trend_year, fit);
    else
        st = fit_choice(ctx, pk, &P, spec, fit);
    panel_release(ctx, &P);
    return st;
}

/* ---- hindcast ----------------------------------------------------------------- */

/* Base shares pooled over years y1-window+1..y1 and the mean inputs of the
   years before them, into model m (share0, x0). */
int bal_mig_base(bal_ctx *ctx, const bal_datapack *pk, int y1, int window, bal_mig_model *m)
{
    const int64_t ns = pk->nsido;
    double flow[BAL_MAX_SIDO * BAL_MAX_SIDO];
    double xs[BAL_MAX_SIDO][BAL_NATTR];
    int nx[BAL_MAX_SIDO] = {0};
    memset(flow, 0, sizeof flow);
    memset(xs, 0, sizeof xs);
    int used = 0;
    for (int t = y1; t > y1 - window; t--) {
        const double *od = bal_yearly_at(&pk->od, t);
        if (od == NULL)
            continue;
        used++;
        for (int64_t i = 0; i < ns; i++)
            for (int64_t j = 0; j < ns; j++)
                if (i != j && !isnan(od[i * ns + j]))
                    flow[i * ns + j] += od[i * ns + j];
        for (int64_t r = 0; r < ns; r++) {
            double x[BAL_NATTR];
            if (inputs(pk, r, t - 1, x) == 0) {
                for (int k = 0; k < BAL_NATTR; k++)
                    xs[r][k] += x[k];
                nx[r]++;
            }
        }
    }
    if (used == 0)
        return bal_raise(ctx, BAL_EDATA, pk->dir, 0, "migration_od.csv: no flows up to %d", y1);
    for (int64_t i = 0; i < ns; i++) {
        double tot = 0.0;
        for (int64_t j = 0; j < ns; j++)
            tot += flow[i * ns + j];
        for (int64_t j = 0; j < ns; j++)
            m->share0[i * ns + j] = tot > 0.0 ? flow[i * ns + j] / tot : 0.0;
        for (int k = 0; k < BAL_NATTR; k++)
            m->x0[i * BAL_NATTR + k] = nx[i] ? xs[i][k] / nx[i] : (double)NAN;
    }
    return BAL_OK;
}

/* Inputs for `year`, falling back to the base where the data lack them. */
void bal_mig_inputs_or_base(const bal_datapack *pk, const bal_mig_model *m, int year, double *x)
{
    for (int64_t r = 0; r < pk->nsido; r++) {
        double *xr = x + r * BAL_NATTR;
        if (inputs(pk, r, year, xr) != 0 || isnan(m->x0[r * BAL_NATTR]))
            for (int k = 0; k < BAL_NATTR; k++)
                xr[k] = m->x0[r * BAL_NATTR + k];
        if (isnan(xr[0]))
            for (int k = 0; k < BAL_NATTR; k++)
                xr[k] = 0.0;
    }
}

int bal_mig_hindcast(bal_ctx *ctx, const bal_datapack *pk, int fit_y1, int y0, int y1,
                     bal_mig_hind *h)
{
    memset(h, 0, sizeof *h);
    const int64_t ns = pk->nsido;
    if (y1 - y0 + 1 > 16 || y1 < y0)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "hindcast span must be 1..16 years");
    int st;
    const int fit_y0 = pk->vintage.hindcast_fit_from;
    if ((st = bal_mig_fit_run(ctx, pk, BAL_MIG_GRAVITY, fit_y0, fit_y1, &h->gravity)) ||
        (st = bal_mig_fit_run(ctx, pk, BAL_MIG_PIVOT, fit_y0, fit_y1, &h->pivot)) ||
        (st = bal_mig_fit_run(ctx, pk, BAL_MIG_OUT, fit_y0, fit_y1, &h->out)))
        return st;
    bal_mig_model m;
    if ((st = bal_mig_model_init(ctx, &m, ns)))
        return st;
    if ((st = bal_mig_base(ctx, pk, fit_y1, 5, &m)))
        goto done;
    m.beta[BAL_ATTR_LOG_POP] = h->pivot.coef[0];
    m.beta[BAL_ATTR_GRDP_PC] = h->pivot.coef[1];
    m.beta[BAL_ATTR_EMPLOYMENT] = h->pivot.coef[2];
    h->year0 = y0;
    h->year1 = y1;
    for (int t = y0; t <= y1; t++) {
        const int k = t - y0;
        const double *od = bal_yearly_at(&pk->od, t);
        if (od == NULL) {
            st = bal_raise(ctx, BAL_EDATA, pk->dir, 0, "migration_od.csv: no flows for %d", t);
            goto done;
        }
        double x[BAL_MAX_SIDO * BAL_NATTR], pv[BAL_MAX_SIDO * BAL_MAX_SIDO];
        bal_mig_inputs_or_base(pk, &m, t - 1, x);
        bal_mig_dest(&m, x, 1.0, pv);
        double movers = 0.0;
        for (int64_t i = 0; i < ns; i++) {
            /* gravity probabilities with the inputs of t-1 */
            double u[BAL_MAX_SIDO], umax = -INFINITY, den = 0.0;
            double xi[BAL_MAX_SIDO][BAL_NATTR];
            for (int64_t j = 0; j < ns; j++) {
                if (inputs(pk, j, t - 1, xi[j]) != 0)
                    memcpy(xi[j], x + j * BAL_NATTR, sizeof xi[j]);
                u[j] = -INFINITY;
                if (j == i || isnan(od[i * ns + j]))
                    continue;
                const double *c = h->gravity.coef;
                u[j] = c[0] * log(pk->dist_km[i * ns + j]) + c[1] * pk->contiguous[i * ns + j] +
                       c[2] * xi[j][BAL_ATTR_LOG_POP] + c[3] * xi[j][BAL_ATTR_GRDP_PC] +
                       c[4] * xi[j][BAL_ATTR_EMPLOYMENT];
                umax = fmax(umax, u[j]);
            }
            for (int64_t j = 0; j < ns; j++)
                den += isfinite(u[j]) ? exp(u[j] - umax) : 0.0;
            double out = 0.0;
            for (int64_t j = 0; j < ns; j++)
                if (j != i && !isnan(od[i * ns + j]))
                    out += od[i * ns + j];
            for (int64_t j = 0; j < ns; j++) {
                if (j == i || isnan(od[i * ns + j]))
                    continue;
                const double n = od[i * ns + j];
                const double p3[3] = {m.share0[i * ns + j],
                                      isfinite(u[j]) ? exp(u[j] - umax) / den : 0.0,
                                      pv[i * ns + j]};
                for (int q = 0; q < 3; q++) {
                    h->wape[q][k] += fabs(out * p3[q] - n);
                    h->llpm[q][k] += n > 0.0 ? n * log(p3[q] > 0.0 ? p3[q] : 1e-300) : 0.0;
                }
                movers += n;
            }
        }
        for (int q = 0; q < 3; q++) {
            h->wape[q][k] *= 100.0 / movers;
            h->llpm[q][k] /= movers;
        }
    }
done:
    bal_mig_model_release(ctx, &m);
    return st;
}
