/*
 * project.c — run the yearly step from the start population to a final year.
 *
 * All memory is allocated before the first step; the loop allocates nothing.
 */
#include "balance/engine.h"

#include <math.h>
#include <pthread.h>
#include <string.h>


static int projection_alloc(bal_ctx *ctx, const bal_demog_params *p, int year1,
                            bal_projection *pr)
{
    const int64_t n = p->nreg;
    const int ny = year1 - p->base_year + 1;
    const size_t cells = (size_t)(n * BAL_CELLS);
    const size_t steps = (size_t)(ny > 1 ? ny - 1 : 1) * (size_t)n;
    pr->nreg = n;
    pr->year0 = p->base_year;
    pr->nyears = ny;
    pr->pop = bal_malloc(ctx, (size_t)ny * cells * sizeof(double));
    pr->births = bal_calloc(ctx, steps, sizeof(double));
    pr->deaths = bal_calloc(ctx, steps, sizeof(double));
    pr->in = bal_calloc(ctx, steps, sizeof(double));
    pr->out = bal_calloc(ctx, steps, sizeof(double));
    pr->intl = bal_calloc(ctx, steps, sizeof(double));
    pr->in_local = bal_calloc(ctx, steps, sizeof(double));
    pr->out_local = bal_calloc(ctx, steps, sizeof(double));
    return pr->pop && pr->births && pr->deaths && pr->in && pr->out && pr->intl &&
                   pr->in_local && pr->out_local
               ? BAL_OK
               : BAL_ENOMEM;
}

/* The accounts of the step from year index k to k + 1. */
static bal_demog_accounts step_accounts(const bal_projection *pr, int k)
{
    const size_t off = (size_t)k * (size_t)pr->nreg;
    return (bal_demog_accounts){pr->births + off,   pr->deaths + off,    pr->in + off,
                                pr->out + off,      pr->in_local + off,  pr->out_local + off,
                                pr->intl + off};
}

/*
 * Survival and births of the step on two threads when there are many
 * regions (the 229 sigungu): the calling thread does the first half, a
 * helper the second. Each region's numbers do not depend on the split
 * (bal_demog_step_survive), so the results are those of one thread, bit for
 * bit; with fewer regions, or without a thread, one call does all.
 */
enum { SURVIVE_SPLIT_MIN = 64 };
typedef struct survive_half {
    const bal_demog_params *p;
    const bal_demog_work *w;
    int64_t r0, r1;
    double *pop_out;
    bal_demog_accounts *acc;
    bal_demog_scratch sc;
    int st;
} survive_half;

static void *survive_run(void *arg)
{
    survive_half *h = arg;
    h->st = bal_demog_step_survive(h->p, h->w, h->r0, h->r1, h->pop_out, h->acc, &h->sc);
    return NULL;
}

static int demog_step(bal_ctx *ctx, const bal_demog_params *p, const bal_demog_rates *m,
                      int year, const double *pop_in, double *pop_out, bal_demog_accounts *acc,
                      bal_demog_work *w)
{
    int st = bal_demog_step_begin(ctx, p, m, year, pop_in, acc, w);
    if (st)
        return st;
    const int64_t n = p->nreg, mid = n >= SURVIVE_SPLIT_MIN ? n / 2 : n;
    survive_half a = {.p = p, .w = w, .r0 = 0, .r1 = mid, .pop_out = pop_out, .acc = acc};
    survive_half b = {.p = p, .w = w, .r0 = mid, .r1 = n, .pop_out = pop_out, .acc = acc};
    pthread_t t;
    const int threaded = mid < n && pthread_create(&t, NULL, survive_run, &b) == 0;
    if (!threaded)
        a.r1 = n;
    survive_run(&a);
    if (threaded)
        pthread_join(t, NULL);
    if (a.st != 0 || b.st != 0)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "death rates must be finite and non-negative");
    return BAL_OK;
}

/*
 * The yearly order of the model (docs/model.md §2 and §13.4). Each year, on
 * the mid-year population of that year:
 *   1. demography: the step from the year before (internal migration with
 *      the rates set then, international migration, survival, births);
 *   then, in a coupled run, the scenario's levers for the year, and
 *   2. economy, 3. public finance, 4. services, 5. attractiveness;
 *   6. migration: the destination shares and out-rates of the next step
 *      (the migration model on the attractiveness, or the calibrated rates).
 * The calibrated parameters are only read; the rates that respond live in
 * the run's own bal_demog_rates.
 */
int bal_simulate(bal_ctx *ctx, const bal_sim *s, const double *pop0, int year1,
                 bal_projection *pr)
{
    memset(pr, 0, sizeof *pr);
    const bal_demog_params *p = s->p;
    bal_couple *c = s->couple;
    if (year1 < p->base_year)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "final year %d is before the start year %d",
                         year1, p->base_year);
    int st = bal_demog_params_check(ctx, p);
    if (st)
        return st;
    bal_demog_rates rates = {0};
    bal_demog_work *w = NULL;
    if ((st = projection_alloc(ctx, p, year1, pr)) || (st = bal_demog_rates_init(ctx, &rates, p)))
        goto fail;
    if ((w = bal_demog_work_alloc(ctx, p->nreg, p->ngroup)) == NULL) {
        st = BAL_ENOMEM;
        goto fail;
    }
    memcpy(pr->pop, pop0, (size_t)(p->nreg * BAL_CELLS) * sizeof(double));
    for (int k = 0; k < pr->nyears; k++) {
        const int year = pr->year0 + k;
        double *pop = bal_projection_pop(pr, k);
        if ((st = bal_ctx_check_cancel(ctx)))
            goto fail;
        /* 1. demography: the step from the year before */
        if (k > 0) {
            bal_demog_accounts acc = step_accounts(pr, k - 1);
            if ((st = demog_step(ctx, p, &rates, year - 1, bal_projection_pop(pr, k - 1), pop,
                                 &acc, w)))
                goto fail;
        }
        if (c != NULL) {
            /* the scenario's levers of the year set the inputs of 2-6 */
            if ((st = bal_couple_levers(ctx, c, year)) ||
                /* 2. economy */
                (st = bal_couple_economy(ctx, c, year, pop, p)) ||
                /* 3. public finance */
                (st = bal_couple_finance(ctx, c, year)) ||
                /* 4. services */
                (st = bal_couple_services(ctx, c, year, pop, p)) ||
                /* 5. attractiveness */
                (st = bal_couple_attract(ctx, c, year)))
                goto fail;
        }
        /* 6. migration: the rates of the step from this year */
        if (k + 1 < pr->nyears) {
            if (c != NULL && c->ref != NULL)
                st = bal_couple_migration(ctx, c, year, p, &rates);
            else if (s->mig != NULL)
                st = bal_mig_pivot(s->mig, year, pop, p, &rates);
            if (st)
                goto fail;
        }
    }
    bal_demog_work_free(ctx, w);
    bal_demog_rates_release(ctx, &rates);
    return BAL_OK;
fail:
    bal_demog_work_free(ctx, w);
    bal_demog_rates_release(ctx, &rates);
    bal_projection_release(ctx, pr);
    return st;
}



