/*
 * compare_out.c — the indicators of a scenario comparison and its JSON
 * (shared by `balance compare` and the web API).
 */
#include "balance/compare.h"
#include "balance/run.h"
#include "balance/variant.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Indicator q (enum bal_indicator) of result r in `year`: the nation's
   value (NAN beyond its horizon). */
double bal_compare_value(const bal_scn_result *r, int q, int year)
{
    const bal_report *rp = &r->report;
    const int k = year - rp->year0;
    if (k < 0 || k >= rp->nyears)
        return NAN;
    if (q != BAL_IND_COST_CUMULATIVE)
        return bal_report_value(rp, -1, q, k);
    /* infrastructure and tax given up on the funds, million -> trillion KRW */
    double v = 0.0;
    for (int i = 0; r->policy.cost && i <= k; i++)
        v += r->policy.cost[i] / 1e6;
    return v;
}

/* Population of a union's members in year index k. */
double bal_compare_union_population(const bal_scn_result *r, const bal_union *u, int year)
{
    const int k = year - r->report.year0;
    if (k < 0 || k >= r->report.nyears)
        return NAN;
    double v = 0.0;
    for (int i = 0; i < u->nmembers; i++)
        v += bal_report_row(&r->report, u->members[i], k)[BAL_IND_POPULATION];
    return v;
}


json_t *bal_compare_json(const bal_scn_result *res, int n, const bal_datapack *pk, int level)
{
    const bal_regions *regions = &pk->regions;
    const int *YEARS = pk->vintage.report_years, NY = pk->vintage.nreport;
    json_t *root = json_object(), *years = json_array(), *arr = json_array();
    if (!root || !years || !arr) {
        json_decref(root);
        json_decref(years);
        json_decref(arr);
        return NULL;
    }
    json_object_set_new(root, "model", json_string("balance"));
    json_object_set_new(root, "level", json_string(level == BAL_LEVEL_SIGUNGU ? "sigungu" : "sido"));
    for (int y = 0; y < NY; y++)
        json_array_append_new(years, json_integer(YEARS[y]));
    json_object_set_new(root, "years", years);
    /* the run's variant (the default for the pack's base) and population concept */
    json_t *pars = json_object();
    json_object_set_new(pars, "variant",
                        json_string(bal_variants[bal_variant_resolve(pk, BAL_VARIANT_DEFAULT,
                                                                     pk->base_year)]
                                        .name));
    json_object_set_new(pars, "population_concept", json_string(bal_population_concept));
    json_object_set_new(root, "parameters", pars);
    json_object_set_new(root, "scenarios", arr);
    for (int i = 0; i <= n; i++) {
        json_t *o = json_object(), *ind = json_object(), *unions = json_array();
        json_object_set_new(o, "name", json_string(i == 0 ? "status_quo" : res[i].sc->name));
        json_object_set_new(o, "description", json_string(i == 0 ? "baseline: today's trends"
                                                                 : res[i].sc->description));
        json_object_set_new(o, "baseline", json_boolean(i == 0));
        int ids[BAL_NIND_ALL];
        const int nq = bal_indicator_compared(ids, BAL_NIND_ALL);
        for (int q = 0; q < nq; q++) {
            json_t *a = json_array();
            for (int y = 0; y < NY; y++) {
                json_array_append_new(
                    a, bal_indicator_json(ids[q], bal_compare_value(&res[i], ids[q], YEARS[y])));
            }
            json_object_set_new(ind, bal_indicator_name(ids[q]), a);
        }
        json_object_set_new(o, "indicators", ind);
        for (int u = 0; i > 0 && u < res[i].sc->nunions; u++) {
            const bal_union *un = &res[i].sc->unions[u];
            json_t *uo = json_object(), *mem = json_array(), *pa = json_array(), *pb = json_array();
            for (int m = 0; m < un->nmembers; m++)
                json_array_append_new(mem, json_string(regions->r[un->members[m]].code));
            for (int y = 0; y < NY; y++) {
                json_array_append_new(pa, bal_indicator_json(BAL_IND_POPULATION,
                                                             bal_compare_union_population(&res[i], un,
                                                                                  YEARS[y])));
                json_array_append_new(pb, bal_indicator_json(BAL_IND_POPULATION,
                                                             bal_compare_union_population(&res[0], un,
                                                                                  YEARS[y])));
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

