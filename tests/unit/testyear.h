/*
 * testyear.h — the stages of one coupled year in bal_simulate's order
 * (levers, economy, finance, services, attractiveness), for tests that look
 * at a single year. Static, included by the test files that need it.
 */
#ifndef BALANCE_TESTYEAR_H
#define BALANCE_TESTYEAR_H

#include "balance/couple.h"

static inline int couple_year(bal_ctx *ctx, bal_couple *c, int year, const double *pop,
                              const bal_demog_params *p)
{
    int st;
    if ((st = bal_couple_levers(ctx, c, year)) || (st = bal_couple_economy(ctx, c, year, pop, p)) ||
        (st = bal_couple_finance(ctx, c, year)) ||
        (st = bal_couple_services(ctx, c, year, pop, p)) || (st = bal_couple_attract(ctx, c, year)))
        return st;
    return BAL_OK;
}

#endif
