/*
 * backtest_out.c — a backtest as JSON (shared by `balance backtest --format
 * json` and POST /api/backtest).
 */
#include "balance/run.h"

#include <jansson.h>

json_t *bal_backtest_json(const bal_backtest *bt, const bal_regions *R)
{
    const int muni = bt->level == BAL_LEVEL_SIGUNGU;
    const int from = bt->from, to = bt->to, ny = bt->nyears;
    const int64_t n = bt->n, off = bt->offset, worst = bt->worst;
    const double *ape = bt->ape;
    const bal_backtest_year *es = bt->year;
#define OBSERVED(r, k) bt->observed[(size_t)(k) * (size_t)n + (size_t)(r)]
#define PROJECTED(r, k) bt->projected[(size_t)(k) * (size_t)n + (size_t)(r)]
    json_t *root = json_object(), *years = json_array(), *regs = json_array();
    json_t *m = json_array(), *md = json_array(), *p90 = json_array(), *mx = json_array(),
           *nv = json_array(), *nmd = json_array(), *ne = json_array(),
           *nne = json_array();
    int bad = !root || !years || !regs || !m || !md || !p90 || !mx || !nv || !nmd || !ne || !nne;
    for (int k = 1; k < ny && !bad; k++)
        bad = json_array_append_new(years, json_integer(from + k)) ||
              json_array_append_new(m, json_real(es[k].mape)) ||
              json_array_append_new(md, json_real(es[k].median)) ||
              json_array_append_new(p90, json_real(es[k].p90)) ||
              json_array_append_new(mx, json_real(es[k].max)) ||
              json_array_append_new(nv, json_real(es[k].naive_mape)) ||
              json_array_append_new(nmd, json_real(es[k].naive_median)) ||
              json_array_append_new(ne, json_real(es[k].national)) ||
              json_array_append_new(nne, json_real(es[k].naive_national));
    for (int64_t r = 0; r < n && !bad; r++) {
        json_t *o1 = json_object(), *e = json_array(), *obs = json_array(),
               *proj = json_array();
        bad = !o1 || !e || !obs || !proj;
        for (int k = 1; k < ny && !bad; k++)
            bad = json_array_append_new(e, json_real(ape[k * n + r])) ||
                  json_array_append_new(obs, json_real(OBSERVED(r, k))) ||
                  json_array_append_new(proj, json_real(PROJECTED(r, k)));
        bad = bad || json_object_set_new(o1, "code", json_string(R->r[off + r].code)) ||
              json_object_set_new(o1, "name", json_string(R->r[off + r].name_en)) ||
              json_object_set_new(o1, "observed", obs) ||
              json_object_set_new(o1, "projected", proj) ||
              json_object_set_new(o1, "error_pct", e) || json_array_append_new(regs, o1);
    }
    bad = bad || json_object_set_new(root, "level", json_string(muni ? "sigungu" : "sido")) ||
          json_object_set_new(root, "from", json_integer(from)) ||
          json_object_set_new(root, "to", json_integer(to)) ||
          json_object_set_new(root, "years", years) ||
          json_object_set_new(root, "mape_pct", m) ||
          json_object_set_new(root, "median_ape_pct", md) ||
          json_object_set_new(root, "p90_ape_pct", p90) ||
          json_object_set_new(root, "max_ape_pct", mx) ||
          json_object_set_new(root, "naive_constant_mape_pct", nv) ||
          json_object_set_new(root, "naive_constant_median_ape_pct", nmd) ||
          json_object_set_new(root, "national_error_pct", ne) ||
          json_object_set_new(root, "naive_constant_national_error_pct", nne) ||
          json_object_set_new(root, "regions", regs) ||
          json_object_set_new(root, "worst_region",
                              json_string(R->r[off + worst].code));
#undef OBSERVED
#undef PROJECTED
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}
