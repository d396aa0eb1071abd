/*
 * policy.c — the scenario data type, its defaults, ramps and the fiscal
 * presets (docs/model.md §14). Pure.
 */
#include "balance/policy.h"

#include <math.h>
#include <string.h>

void bal_scenario_init(bal_scenario *s)
{
    memset(s, 0, sizeof *s);
    s->horizon = 2052;
    s->dec.start = 2027;
    s->dec.ramp = 3.0;
    s->dec.invest_share = 0.3;
    for (int k = 0; k < BAL_NTAX; k++)
        s->dec.local_share[k] = NAN;
}

void bal_metro_defaults(bal_metro *m)
{
    memset(m, 0, sizeof *m);
    m->start = 2027;
    m->ramp = 2.0;
    m->zone_productivity = 0.05;
    m->zone_investment = 1.0;
    m->fund = 2.0;
    m->fund_deferral = 1.0;
    m->fund_holding_cut = 0.5;
    m->residential = 0.02;
    m->talent = 2000.0;
    m->infra_cut = 0.2;
    m->infra_cost = 20.0;
}

int bal_scenario_is_status_quo(const bal_scenario *s)
{
    return s->nunions == 0 && !s->dec.on && s->metro.nhubs == 0;
}

double bal_ramp(int year, int start, double ramp)
{
    if (year < start)
        return 0.0;
    const double f = ((double)(year - start) + 1.0) / (ramp > 1.0 ? ramp : 1.0);
    return f < 1.0 ? f : 1.0;
}

int bal_fiscal_preset(const char *name, double *share)
{
    /* local shares of income, corporate, VAT, property, other (§14.3) */
    static const struct {
        const char *name;
        double v[BAL_NTAX];
    } presets[] = {
        /* 2023 Korea (tax_items.csv): the status quo */
        {"today", {NAN, NAN, NAN, NAN, NAN}},
        /* Germany, Basic Law art. 106: income tax 57.5 % to Länder and
           municipalities, corporate tax 50 % to the Länder; VAT about half
           (A40); property (Grundsteuer) municipal */
        {"germany", {0.575, 0.5, 0.5, 1.0, NAN}},
        /* United States: states and localities levy their own income, corporate
           and sales taxes and almost all property tax (A40) */
        {"united_states", {0.3, 0.2, 1.0, 1.0, NAN}},
    };
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (strcmp(name, presets[i].name) == 0) {
            memcpy(share, presets[i].v, sizeof presets[i].v);
            return 0;
        }
    return -1;
}
