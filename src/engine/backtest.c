/*
 * backtest.c — a projection from an observed year compared with the
 * observed totals of every later year (run.h): the errors per unit and the
 * statistics across units, with the naive benchmark of a population held at
 * its start value. GSL sorts and gives the quantiles.
 */
#include "balance/run.h"
#include "balance/migage.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

/* ---- backtest ---- */

/* The last year-end with observed totals at `level`: at province level the
   registered totals (population_totals.csv), then the years whose change the
   residents-only age tables give (bal_migage_pop_totals). */
static int last_year_end(const bal_datapack *pk, int level)
{
    const bal_yearly *obs = level == BAL_LEVEL_SIGUNGU ? &pk->sgg_pop5 : &pk->pop_total;
    int last = obs->year0 + obs->nyears - 1;
    if (level != BAL_LEVEL_SIGUNGU && pk->nsido <= BAL_MAX_SIDO) {
        double pop[BAL_MAX_SIDO];
        while (bal_migage_pop_totals(pk, last + 1, pop) == 1)
            last++;
    }
    return last;
}

/* 1 when the pack's base population (end of base_month of base_year) is an
   observation of `level` later than its last year-end: the province register
   (the same concept as the year-end totals; the municipal year-ends are
   residents only, the base population is the total register). */
static int has_base_point(const bal_datapack *pk, int level)
{
    return level != BAL_LEVEL_SIGUNGU && pk->base_pop != NULL && pk->base_month < 12 &&
           pk->base_year > last_year_end(pk, level);
}

int bal_backtest_last_year(const bal_datapack *pk, int level)
{
    return has_base_point(pk, level) ? pk->base_year : last_year_end(pk, level);
}

int bal_backtest_default_from(const bal_datapack *pk, int level)
{
    return level == BAL_LEVEL_SIGUNGU ? pk->vintage.backtest_from_sigungu
                                      : pk->vintage.backtest_from_sido;
}

/* Observed year-end total of unit u in `year` (sido: registered; sigungu:
   residents), NAN when not observed. */
static double observed(const bal_datapack *pk, int level, int64_t u, int year)
{
    if (year == pk->base_year && has_base_point(pk, level))
        return bal_regions_pop_total(pk->base_pop, u);
    if (level == BAL_LEVEL_SIGUNGU) {
        const double *v = bal_yearly_at(&pk->sgg_pop, year);
        return v ? v[u] : (double)NAN;
    }
    /* registered totals; past population_totals.csv, the end of the year
       before plus the residents-only change (bal_migage_pop_totals) */
    const double *v = bal_yearly_at(&pk->pop_total, year);
    if (v != NULL)
        return v[u];
    double pop[BAL_MAX_SIDO];
    if (pk->nsido > BAL_MAX_SIDO || bal_migage_pop_totals(pk, year, pop) < 0)
        return (double)NAN;
    return pop[u];
}

void bal_backtest_release(bal_ctx *ctx, bal_backtest *bt)
{
    if (bt == NULL)
        return;
    bal_run_release(ctx, &bt->run);
    bal_free(ctx, bt->observed);
    bal_free(ctx, bt->projected);
    bal_free(ctx, bt->ape);
    bal_free(ctx, bt->year);
    memset(bt, 0, sizeof *bt);
}

int bal_backtest_run(bal_ctx *ctx, const bal_datapack *pk, const bal_run_opts *o,
                     bal_backtest *bt)
{
    memset(bt, 0, sizeof *bt);
    const int level = o->level, last = bal_backtest_last_year(pk, level);
    if (o->to <= o->from || o->to > last)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                         "--to must be after --from and at most %d, the last observed year",
                         last);
    if (isnan(observed(pk, level, 0, o->to)))
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                         "--to %d: no observed population that year (year-ends to %d, then the "
                         "base population of %d)",
                         o->to, last_year_end(pk, level), pk->base_year);
    int st = bal_run_project(ctx, pk, o, &bt->run);
    if (st) {
        bal_backtest_release(ctx, bt);
        return st;
    }
    const bal_projection *pr = &bt->run.proj;
    const int64_t n = pr->nreg;
    const int ny = pr->nyears;
    bt->level = level;
    bt->from = o->from;
    bt->to = o->to;
    bt->nyears = ny;
    bt->n = n;
    bt->offset = level == BAL_LEVEL_SIGUNGU ? pk->nsido : 0;
    const size_t cells = (size_t)ny * (size_t)n;
    bt->observed = bal_malloc(ctx, cells * sizeof(double));
    bt->projected = bal_malloc(ctx, cells * sizeof(double));
    bt->ape = bal_calloc(ctx, cells, sizeof(double));
    bt->year = bal_calloc(ctx, (size_t)ny, sizeof *bt->year);
    double *abs_err = bal_malloc(ctx, 2 * (size_t)n * sizeof(double));
    if (!bt->observed || !bt->projected || !bt->ape || !bt->year || !abs_err) {
        bal_free(ctx, abs_err);
        bal_backtest_release(ctx, bt);
        return BAL_ENOMEM;
    }
    double *naive = abs_err + n;
    bt->base_point = o->to == pk->base_year && has_base_point(pk, level);
    bt->base_month = pk->base_month;
    for (int k = 0; k < ny; k++)
        for (int64_t r = 0; r < n; r++) {
            bt->observed[(size_t)k * (size_t)n + (size_t)r] = observed(pk, level, r, o->from + k);
            bt->projected[(size_t)k * (size_t)n + (size_t)r] = bal_projection_total(pr, k, r);
        }
    if (bt->base_point) {
        /* the end of base_month: linear between the year-ends around it */
        const double f = (double)pk->base_month / 12.0;
        double *pl = bt->projected + (size_t)(ny - 1) * (size_t)n;
        const double *pb = pl - n;
        for (int64_t r = 0; r < n; r++)
            pl[r] = pb[r] + f * (pl[r] - pb[r]);
    }
    /* errors per year and unit; naive benchmark: the population held at its
       start value */
    for (int k = 1; k < ny; k++) {
        bal_backtest_year *e = &bt->year[k];
        double on = 0.0, pn = 0.0, on0 = 0.0;
        int64_t seen = 0;
        for (int64_t r = 0; r < n; r++) {
            const size_t i = (size_t)k * (size_t)n + (size_t)r;
            const double ob = bt->observed[i], ob0 = bt->observed[r], p = bt->projected[i];
            bt->ape[i] = 100.0 * (p - ob) / ob;
            if (isnan(ob))
                continue;
            abs_err[seen] = fabs(bt->ape[i]);
            naive[seen] = 100.0 * fabs(ob0 - ob) / ob;
            seen++;
            on += ob;
            on0 += ob0;
            pn += p;
        }
        e->observed = seen == n;
        if (!e->observed) { /* no observation that year: not compared */
            e->mape = e->median = e->p90 = e->max = e->naive_mape = e->naive_median =
                e->national = e->naive_national = NAN;
            continue;
        }
        for (int64_t r = 0; r < n; r++) {
            e->mape += abs_err[r] / (double)n;
            e->naive_mape += naive[r] / (double)n;
        }
        gsl_sort(abs_err, 1, (size_t)n);
        gsl_sort(naive, 1, (size_t)n);
        e->median = gsl_stats_quantile_from_sorted_data(abs_err, 1, (size_t)n, 0.5);
        e->p90 = gsl_stats_quantile_from_sorted_data(abs_err, 1, (size_t)n, 0.9);
        e->max = abs_err[n - 1];
        e->naive_median = gsl_stats_quantile_from_sorted_data(naive, 1, (size_t)n, 0.5);
        e->national = 100.0 * (pn - on) / on;
        e->naive_national = 100.0 * (on0 - on) / on;
    }
    bal_free(ctx, abs_err);
    const size_t lastk = (size_t)(ny - 1) * (size_t)n;
    bt->worst = 0;
    for (int64_t r = 1; r < n; r++)
        if (fabs(bt->ape[lastk + (size_t)r]) > fabs(bt->ape[lastk + (size_t)bt->worst]))
            bt->worst = r;
    return BAL_OK;
}
