/*
 * policyrun.c — apply a scenario's levers every year (docs/model.md §14) and
 * run scenarios against the status quo.
 */
#include "balance/engine.h"
#include "balance/policy.h"

#include <math.h>
#include <string.h>

/* Spread an amount over the sectors of sido r in proportion to value added
   (positive sectors only). */
static void spread_invest(bal_couple *c, int64_t r, double amount)
{
    double va = 0.0;
    for (int k = 0; k < BAL_NSEC; k++)
        if (c->ep.va0[r * BAL_NSEC + k] > 0.0)
            va += c->ep.va0[r * BAL_NSEC + k];
    if (!(va > 0.0))
        return;
    for (int k = 0; k < BAL_NSEC; k++)
        if (c->ep.va0[r * BAL_NSEC + k] > 0.0)
            c->lev.invest[r * BAL_NSEC + k] += amount * c->ep.va0[r * BAL_NSEC + k] / va;
}

/* Note a cut of the travel times between i and j (both directions): the
   largest cut noted for a pair in a year wins (docs/model.md §14.1). */
static void note_cut(double *cut, int64_t ns, int64_t i, int64_t j, double v)
{
    if (v > cut[i * ns + j])
        cut[i * ns + j] = cut[j * ns + i] = v;
}

/* Apply the year's cuts once per pair: travel times (market size and
   migration) × (1 − largest link cut); market size also × (1 − largest
   joint-industry cut). */
static void apply_cuts(const bal_policy_run *pr, bal_couple *c)
{
    const int64_t n = c->ns * c->ns;
    for (int64_t q = 0; q < n; q++) {
        const double t = pr->cut[q], jn = pr->joint[q];
        if (t == 0.0 && jn == 0.0)
            continue;
        c->lev.travel[q] *= (1.0 - t) * (1.0 - jn);
        c->mig_travel[q] *= 1.0 - t;
    }
}

int bal_policy_levers(bal_ctx *ctx, void *ud, int year, bal_couple *c)
{
    (void)ctx;
    bal_policy_run *pr = ud;
    const bal_scenario *s = pr->sc;
    const int64_t ns = c->ns;
    const int k = year - c->year0;
    /* finance rules back to today's, then the scenario's */
    memcpy(c->fp.local_share, pr->share0, sizeof pr->share0);
    c->fp.levy_rate = 0.0;
    c->fp.national_cost = 0.0;
    pr->cost[k] = 0.0;
    memset(pr->cut, 0, (size_t)(ns * ns) * sizeof(double));
    memset(pr->joint, 0, (size_t)(ns * ns) * sizeof(double));

    /* administrative integration (§14.2) */
    for (int u = 0; u < s->nunions; u++) {
        const bal_union *un = &s->unions[u];
        const double f = bal_policy_ramp(year, un->start, 1.0);
        if (f <= 0.0)
            continue;
        /* transport from its opening; joint industrial policy from the start */
        const double t = year >= un->transport_open ? un->transport_cut : 0.0;
        const double j = un->joint_industry;
        for (int a = 0; a < un->nmembers; a++)
            for (int b = a + 1; b < un->nmembers; b++) {
                note_cut(pr->cut, ns, un->members[a], un->members[b], t);
                note_cut(pr->joint, ns, un->members[a], un->members[b], j);
            }
        /* overhead saved, ramped over four years, reinvested in the member */
        const double fo = bal_policy_ramp(year, un->start, 4.0);
        if (k > 0)
            for (int a = 0; a < un->nmembers; a++) {
                const int64_t r = un->members[a];
                spread_invest(c, r, un->overhead_saving * fo * pr->sq->budget[(k - 1) * ns + r]);
            }
    }

    /* state-like decentralization (§14.3) */
    const bal_decentral *d = &s->dec;
    if (d->on) {
        const double f = bal_policy_ramp(year, d->start, d->ramp);
        if (f > 0.0) {
            for (int64_t r = 0; r < ns; r++) {
                if (!d->regions[r])
                    continue;
                for (int q = 0; q < BAL_NSEC; q++) {
                    double m = 1.0;
                    if (d->leg_on && (d->leg_sectors >> q & 1u))
                        m *= 1.0 + d->leg_productivity * f;
                    if (d->exe_on)
                        m *= 1.0 + d->exe_efficiency * f;
                    c->lev.prod_mult[r * BAL_NSEC + q] *= m;
                }
            }
            if (d->fis_on) {
                for (int t = 0; t < BAL_NTAX; t++)
                    if (!isnan(d->local_share[t]))
                        c->fp.local_share[t] =
                            pr->share0[t] + (d->local_share[t] - pr->share0[t]) * f;
                c->fp.levy_rate = d->new_levy * f;
                /* last year's budget gain (loss) over the status quo is invested */
                if (k > 0)
                    for (int64_t r = 0; r < ns; r++)
                        if (d->regions[r])
                            spread_invest(c, r,
                                          d->invest_share * (c->budget[(k - 1) * ns + r] -
                                                             pr->sq->budget[(k - 1) * ns + r]));
            }
        }
    }

    /* five major metropolises (§14.4) */
    const bal_metro *m = &s->metro;
    if (m->nhubs > 0) {
        const double f = bal_policy_ramp(year, m->start, m->ramp);
        if (f > 0.0) {
            for (int h = 0; h < m->nhubs; h++) {
                const int64_t r = m->hubs[h].sido;
                const size_t i = (size_t)(r * BAL_NSEC + m->hubs[h].sector);
                c->lev.prod_mult[i] *= 1.0 + m->zone_productivity * f;
                /* trillion KRW a year -> million KRW */
                c->lev.invest[i] += 1e6 * f * (m->zone_investment + m->fund / m->nhubs);
                c->lev.skilled[i] += m->talent * f;
                c->amenity[r] += m->residential * f;
                if (year >= m->infra_open)
                    for (int64_t j = 0; j < ns; j++)
                        if (j != r && c->pack->contiguous[r * ns + j])
                            note_cut(pr->cut, ns, r, j, m->infra_cut);
            }
            /* tax given up on the funds: gains share 0.5 × rate 0.2 × (holding
               reduction + deferral × 0.158, the present value lost by
               deferring five years at 3.5 %) (A41) */
            const double tax = 1e6 * f * m->fund * 0.5 * 0.2 *
                               (m->fund_holding_cut + m->fund_deferral * 0.158);
            c->fp.national_cost += tax;
            pr->cost[k] += tax;
            /* the infrastructure plan, spent evenly over its years */
            pr->cost[k] += 1e6 * m->infra_cost * bal_policy_spread_share(year, m->start, m->infra_years);
        }
    }
    apply_cuts(pr, c);
    return BAL_OK;
}

int bal_policy_init(bal_ctx *ctx, bal_policy_run *pr, const bal_scenario *s, const bal_couple *sq,
                    const bal_couple *c)
{
    memset(pr, 0, sizeof *pr);
    pr->sc = s;
    pr->sq = sq;
    memcpy(pr->share0, c->fp.local_share, sizeof pr->share0);
    pr->cost = bal_calloc(ctx, (size_t)c->nyears, sizeof(double));
    pr->cut = bal_calloc(ctx, (size_t)(c->ns * c->ns), sizeof(double));
    pr->joint = bal_calloc(ctx, (size_t)(c->ns * c->ns), sizeof(double));
    if (pr->cost == NULL || pr->cut == NULL || pr->joint == NULL) {
        bal_policy_release(ctx, pr);
        return BAL_ENOMEM;
    }
    return BAL_OK;
}

void bal_policy_release(bal_ctx *ctx, bal_policy_run *pr)
{
    if (pr == NULL)
        return;
    bal_free(ctx, pr->cost);
    bal_free(ctx, pr->cut);
    bal_free(ctx, pr->joint);
    memset(pr, 0, sizeof *pr);
}


