/*
 * test_indicators.c — the indicator table (indicators.h) is consistent and is
 * what the outputs follow: names unique, every row documented in
 * docs/model.md exactly as `balance indicators --format md` prints it, and
 * the aggregation rule of each row holds in a municipal run (a province's
 * "sum" indicator is the sum of its municipalities', the nation's the sum
 * of the provinces'; "ratio" ones are recomputed from the sums).
 */
#include "balance/compare.h"
#include "balance/datapack.h"
#include "balance/engine.h"
#include "balance/indicators.h"
#include "balance/scenario.h"

#include "testcli.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Test(indicators, table_is_consistent)
{
    int seen_cmp[BAL_NIND_ALL + 1] = {0};
    int ncmp = 0;
    for (int i = 0; i < BAL_NIND_ALL; i++) {
        const bal_indicator_def *d = &bal_indicators[i];
        cr_assert_eq(d->id, i, "row %d has id %d", i, d->id);
        cr_assert_not_null(d->name, "row %d: no name", i);
        for (const char *p = d->name; *p; p++)
            cr_expect(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_',
                      "%s: not snake_case", d->name);
        for (int j = 0; j < i; j++)
            cr_expect_str_neq(d->name, bal_indicators[j].name, "name used twice");
        cr_expect_eq(bal_indicator_find(d->name), i);
        cr_expect(d->label[0] && d->label_ko[0] && d->abbrev[0] && d->unit[0] && d->rule[0],
                  "%s: a label, abbreviation, unit or rule is missing", d->name);
        cr_expect(d->precision >= 0 && d->precision <= 8 && d->shown <= d->precision,
                  "%s: precision %d, shown %d", d->name, d->precision, d->shown);
        cr_expect(i < BAL_NIND || d->agg == BAL_AGG_NATIONAL,
                  "%s: a national series must say so", d->name);
        cr_expect(!(d->map && i >= BAL_NIND), "%s: only per-region indicators can be mapped",
                  d->name);
        if (d->compare) {
            cr_expect(d->compare <= BAL_NIND_ALL && !seen_cmp[d->compare],
                      "%s: compare position %d", d->name, d->compare);
            seen_cmp[d->compare] = 1;
            ncmp++;
        }
    }
    int ids[BAL_NIND_ALL];
    cr_assert_eq(bal_indicator_compared(ids, BAL_NIND_ALL), ncmp);
    for (int q = 1; q < ncmp; q++)
        cr_expect_lt(bal_indicators[ids[q - 1]].compare, bal_indicators[ids[q]].compare);
    cr_expect_str_eq(bal_indicator_name(BAL_NIND_ALL), "");
    cr_expect_eq(bal_indicator_find("no_such_indicator"), -1);
}

Test(indicators, documented_in_model_md, .init = tmp_init, .fini = tmp_fini)
{
    char *doc = doc_block_matches("model.md", "indicators", "indicators --format md");
    for (int i = 0; i < BAL_NIND_ALL; i++) {
        char want[96];
        snprintf(want, sizeof want, "| `%s` |", bal_indicators[i].name);
        cr_expect(strstr(doc, want) != NULL, "docs/model.md does not list %s", want);
    }
    free(doc);
}

/* The aggregation rules of the table hold in a municipal run with the
   economy (the status quo of bal_compare_run). */
Test(indicators, aggregation_rules_hold, .timeout = 300)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, tu_data_dir(), &pk), BAL_OK, "%s", bal_ctx_message(ctx));
    cr_assert_eq(bal_datapack_load_municipal(ctx, &pk), BAL_OK, "%s", bal_ctx_message(ctx));
    bal_scn_result res[1];
    cr_assert_eq(bal_compare_run(ctx, &pk, BAL_LEVEL_SIGUNGU, NULL, 0, res), BAL_OK, "%s",
                 bal_ctx_message(ctx));
    const bal_report *rp = &res[0].report;
    const int64_t ns = pk.nsido;
    int checked_sum = 0, checked_ratio = 0;
    for (int k = 0; k < rp->nyears; k += 9) {
        for (int q = 0; q < BAL_NIND; q++) {
            const bal_indicator_def *d = &bal_indicators[q];
            const int flow = q >= BAL_IND_FIRST_FLOW;
            if (flow && k == 0)
                continue;
            if (d->agg == BAL_AGG_SUM && strcmp(d->rule, "sum") == 0) {
                double nat = 0.0;
                for (int64_t r = 0; r < ns; r++) {
                    double sum = 0.0;
                    for (int64_t u = ns; u < rp->nout; u++)
                        if (pk.regions.r[rp->region[u]].parent == r)
                            sum += bal_report_row(rp, u, k)[q];
                    const double v = bal_report_row(rp, r, k)[q];
                    cr_expect(fabs(v - sum) <= 1e-9 * fabs(v) + 1e-9, "%s, %s, year %d: %.17g "
                              "!= sum of its municipalities %.17g", d->name,
                              pk.regions.r[r].code, rp->year0 + k, v, sum);
                    nat += v;
                }
                const double v = bal_report_row(rp, -1, k)[q];
                cr_expect(fabs(v - nat) <= 1e-9 * fabs(v) + 1e-9, "%s, nation: %.17g != %.17g",
                          d->name, v, nat);
                checked_sum++;
            }
            if (strcmp(d->where, "all") == 0)
                for (int64_t u = 0; u < rp->nout; u++)
                    cr_expect(!isnan(bal_report_row(rp, u, k)[q]), "%s: NAN for %s", d->name,
                              pk.regions.r[rp->region[u]].code);
        }
        /* ratios recomputed from the sums, for the nation */
        const double *n = bal_report_row(rp, -1, k);
        cr_expect(fabs(n[BAL_IND_OLD_AGE_DEPENDENCY] -
                       100.0 * n[BAL_IND_AGE_65_PLUS] / n[BAL_IND_AGE_15_64]) < 1e-9);
        cr_expect(fabs(n[BAL_IND_EXTINCTION_INDEX] -
                       n[BAL_IND_WOMEN_20_39] / n[BAL_IND_AGE_65_PLUS]) < 1e-12);
        cr_expect(fabs(n[BAL_IND_SHARE_65_PLUS] -
                       100.0 * n[BAL_IND_AGE_65_PLUS] / n[BAL_IND_POPULATION]) < 1e-9);
        cr_expect(fabs(n[BAL_IND_GRDP_PC] - 1e6 * n[BAL_IND_GRDP] / n[BAL_IND_POPULATION]) <
                  1e-6 * n[BAL_IND_GRDP_PC]);
        checked_ratio += 4;
        /* national series */
        cr_expect(fabs(bal_report_value(rp, -1, BAL_IND_OUTSIDE_CAPITAL, k) -
                       n[BAL_IND_POPULATION] * (1.0 - rp->capital_share[k] / 100.0)) < 1e-6);
        cr_expect(isnan(bal_report_value(rp, 0, BAL_IND_CAPITAL_SHARE, k)),
                  "a national series has no value for a province");
    }
    cr_expect_geq(checked_sum, 40);
    cr_expect_geq(checked_ratio, 8);
    bal_compare_result_release(ctx, &res[0]);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}
