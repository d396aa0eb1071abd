/*
 * policy.c — the scenario data type, its defaults, ramps and the fiscal
 * presets (docs/model.md §14). Pure.
 */
#include "balance/policy.h"
#include "balance/levers.h"

#include <math.h>
#include <string.h>

void bal_policy_scenario_init(bal_scenario *s)
{
    memset(s, 0, sizeof *s);
    bal_lever_defaults(NULL, s);
}

int bal_policy_is_status_quo(const bal_scenario *s)
{
    return s->nunions == 0 && !s->dec.on && s->metro.nhubs == 0;
}

double bal_policy_ramp(int year, int start, double ramp)
{
    if (year < start)
        return 0.0;
    const double f = ((double)(year - start) + 1.0) / (ramp > 1.0 ? ramp : 1.0);
    return f < 1.0 ? f : 1.0;
}

double bal_policy_spread_share(int year, int start, double years)
{
    const double i = (double)(year - start);
    if (i < 0.0 || !(years > 0.0) || i >= years)
        return 0.0;
    const double part = years - i < 1.0 ? years - i : 1.0;
    return part / years;
}

/* Local shares of income, corporate, VAT, property, other (§14.3). */
static const struct {
    const char *name;
    double v[BAL_NTAX];
} PRESETS[] = {
    /* 2023 Korea (tax_items.csv): the status quo */
    {"today", {NAN, NAN, NAN, NAN, NAN}},
    /* Germany, Basic Law art. 106(3) and the FAG: income tax 57.5 % (Länder
       42.5 + municipalities 15), corporate tax 50 % (Länder), VAT 47.19 %
       (statutory base from 2020: Länder 45.19 + municipalities 2.00);
       property (Grundsteuer) municipal (A40) */
    {"germany", {0.575, 0.5, 0.4719, 1.0, NAN}},
    /* United States: state and local own taxes against federal ones
       (Economic Report of the President 2004 table): individual income
       about 21 %, corporate 18 %, sales vs federal excise 78 %, property
       almost all (A40) */
    {"united_states", {0.21, 0.18, 0.78, 1.0, NAN}},
};

const char *bal_policy_fiscal_preset_name(int i)
{
    return i >= 0 && i < (int)(sizeof PRESETS / sizeof PRESETS[0]) ? PRESETS[i].name : NULL;
}

int bal_policy_fiscal_preset(const char *name, double *share)
{
    for (size_t i = 0; i < sizeof PRESETS / sizeof PRESETS[0]; i++)
        if (strcmp(name, PRESETS[i].name) == 0) {
            memcpy(share, PRESETS[i].v, sizeof PRESETS[i].v);
            return 0;
        }
    return -1;
}
