/*
 * compare_out.c — the indicators of a scenario comparison and its JSON
 * (shared by `balance compare` and the web API).
 */
#include "balance/compare.h"

#include <math.h>
#include <string.h>

static const char *const NAMES[BAL_CMP_N] = {
    "capital_region_share", "population_outside_capital", "sigungu_at_risk",
    "sigungu_high_risk", "grdp_per_capita_cv", "grdp_per_capita_theil", "gdp",
    "fiscal_self_reliance", "schools_lost", "national_cost_cumulative"};
static const char *const LABELS[BAL_CMP_N] = {
    "Capital-region share, %", "Population outside the capital region", "Sigungu at risk",
    "Sigungu at high risk", "GRDP per capita disparity, CV", "GRDP per capita disparity, Theil",
    "GDP, trillion KRW (2022)", "Fiscal self-reliance, %", "Schools lost since 2025",
    "National cost since 2025, trillion KRW"};

/* Indicator q of result r in year `year` (NAN beyond its horizon). */
double bal_compare_value(const bal_scn_result *r, int q, int year)
{
    const bal_report *rp = &r->report;
    const int k = year - rp->year0;
    if (k < 0 || k >= rp->nyears)
        return NAN;
    const double *nat = bal_report_row(rp, -1, k);
    switch (q) {
    case BAL_CMP_CAPITAL: return rp->capital_share[k];
    case BAL_CMP_OUTSIDE: return nat[BAL_IND_POPULATION] * (1.0 - rp->capital_share[k] / 100.0);
    case BAL_CMP_AT_RISK: return rp->at_risk ? rp->at_risk[k] : (double)NAN;
    case BAL_CMP_HIGH_RISK: return rp->high_risk ? rp->high_risk[k] : (double)NAN;
    case BAL_CMP_CV: return rp->gdp_cv[k];
    case BAL_CMP_THEIL: return rp->gdp_theil[k];
    case BAL_CMP_GDP: return nat[BAL_IND_GRDP] / 1000.0;
    case BAL_CMP_FSR: return nat[BAL_IND_FISCAL_SELF_RELIANCE];
    case BAL_CMP_SCHOOLS_LOST:
        return bal_report_row(rp, -1, 0)[BAL_IND_SCHOOLS] - nat[BAL_IND_SCHOOLS];
    case BAL_CMP_COST: {
        /* infrastructure and tax given up on the funds, million -> trillion KRW */
        double v = 0.0;
        for (int i = 0; r->policy.cost && i <= k; i++)
            v += r->policy.cost[i] / 1e6;
        return v;
    }
    default: return NAN;
    }
}

/* Population of a union's members in year index k. */
double bal_union_population(const bal_scn_result *r, const bal_union *u, int year)
{
    const int k = year - r->report.year0;
    if (k < 0 || k >= r->report.nyears)
        return NAN;
    double v = 0.0;
    for (int i = 0; i < u->nmembers; i++)
        v += bal_report_row(&r->report, u->members[i], k)[BAL_IND_POPULATION];
    return v;
}


const char *bal_compare_name(int q)
{
    return q >= 0 && q < BAL_CMP_N ? NAMES[q] : "";
}

const char *bal_compare_label(int q)
{
    return q >= 0 && q < BAL_CMP_N ? LABELS[q] : "";
}

json_t *bal_compare_json(const bal_scn_result *res, int n, const bal_regions *regions, int level)
{
    static const int YEARS[3] = {2035, 2045, 2052};
    json_t *root = json_object(), *years = json_array(), *arr = json_array();
    if (!root || !years || !arr) {
        json_decref(root);
        json_decref(years);
        json_decref(arr);
        return NULL;
    }
    json_object_set_new(root, "model", json_string("balance"));
    json_object_set_new(root, "level", json_string(level == BAL_LEVEL_SIGUNGU ? "sigungu" : "sido"));
    for (int y = 0; y < 3; y++)
        json_array_append_new(years, json_integer(YEARS[y]));
    json_object_set_new(root, "years", years);
    json_object_set_new(root, "scenarios", arr);
    for (int i = 0; i <= n; i++) {
        json_t *o = json_object(), *ind = json_object(), *unions = json_array();
        json_object_set_new(o, "name", json_string(i == 0 ? "status_quo" : res[i].sc->name));
        json_object_set_new(o, "description", json_string(i == 0 ? "baseline: today's trends"
                                                                 : res[i].sc->description));
        json_object_set_new(o, "baseline", json_boolean(i == 0));
        for (int q = 0; q < BAL_CMP_N; q++) {
            json_t *a = json_array();
            for (int y = 0; y < 3; y++) {
                const double v = bal_compare_value(&res[i], q, YEARS[y]);
                json_array_append_new(a, isnan(v) ? json_null() : json_real(v));
            }
            json_object_set_new(ind, NAMES[q], a);
        }
        json_object_set_new(o, "indicators", ind);
        for (int u = 0; i > 0 && u < res[i].sc->nunions; u++) {
            const bal_union *un = &res[i].sc->unions[u];
            json_t *uo = json_object(), *mem = json_array(), *pa = json_array(), *pb = json_array();
            for (int m = 0; m < un->nmembers; m++)
                json_array_append_new(mem, json_string(regions->r[un->members[m]].code));
            for (int y = 0; y < 3; y++) {
                json_array_append_new(pa, json_real(bal_union_population(&res[i], un, YEARS[y])));
                json_array_append_new(pb, json_real(bal_union_population(&res[0], un, YEARS[y])));
            }
            json_object_set_new(uo, "name", json_string(un->name));
            json_object_set_new(uo, "members", mem);
            json_object_set_new(uo, "population", pa);
            json_object_set_new(uo, "population_status_quo", pb);
            json_array_append_new(unions, uo);
        }
        json_object_set_new(o, "unions", unions);
        json_array_append_new(arr, o);
    }
    return root;
}
