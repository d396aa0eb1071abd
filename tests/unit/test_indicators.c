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
        /* the employment rate of a province is its municipalities' rates
           weighted by their population 15+ (each unit's employed over its
           own population 15+) */
        for (int64_t r = 0; r < ns; r++) {
            double emp = 0.0, p15 = 0.0;
            for (int64_t u = ns; u < rp->nout; u++)
                if (pk.regions.r[rp->region[u]].parent == r) {
                    const double *uv = bal_report_row(rp, u, k);
                    const double p15u = uv[BAL_IND_POPULATION] - uv[BAL_IND_AGE_0_14];
                    cr_expect(fabs(uv[BAL_IND_EMPLOYMENT_RATE] -
                                   100.0 * uv[BAL_IND_EMPLOYMENT] / p15u) <= 1e-12 * 100.0);
                    emp += uv[BAL_IND_EMPLOYMENT_RATE] / 100.0 * p15u;
                    p15 += p15u;
                }
            const double want = bal_report_row(rp, r, k)[BAL_IND_EMPLOYMENT_RATE];
            cr_expect(fabs(100.0 * emp / p15 - want) <= 1e-9 * want, "%s year %d: %.15g vs %.15g",
                      pk.regions.r[r].code, rp->year0 + k, 100.0 * emp / p15, want);
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

/* The KEIS classes, the relative index and the count of units down more
   than 30 %, by hand on six toy sigungu of one province over two years.
   Each unit: w women aged 30, o women aged 70 and men aged 40 to make up its
   total. Year 0, indices 1.5, 1.0, 0.5, 0.2, 0.1, 1.499 (the boundaries
   belong to the lower-risk class: KEIS "1.5 이상", "1.0~1.5", ...); year 1,
   the first falls to 0.4, the second keeps exactly 70 % of its people
   (not counted), the third 69.9 % (counted). */
Test(indicators, risk_classes_by_hand)
{
    enum { NU = 6 };
    static const double W0[NU] = {150, 100, 50, 20, 10, 149.9}, TOT0[NU] = {1000, 1000, 1000, 1000, 1000, 1000};
    static const double W1[NU] = {40, 100, 50, 20, 10, 149.9}, TOT1[NU] = {1000, 700, 699, 1000, 1000, 1000};
    bal_ctx *ctx = bal_ctx_alloc();
    bal_region reg[1 + NU];
    memset(reg, 0, sizeof reg);
    reg[0].parent = -1;
    reg[0].level = BAL_LEVEL_SIDO;
    snprintf(reg[0].code, sizeof reg[0].code, "11");
    for (int u = 0; u < NU; u++) {
        reg[1 + u].parent = 0;
        reg[1 + u].level = BAL_LEVEL_SIGUNGU;
        memcpy(reg[1 + u].code, "11110", 6);
        reg[1 + u].code[4] = (char)('0' + u);
    }
    bal_regions R = {.n = 1 + NU, .nsido = 1, .r = reg};
    bal_projection pr = {.nreg = NU, .year0 = 2025, .nyears = 2};
    double pop[2 * NU * BAL_CELLS], flow[NU] = {0};
    memset(pop, 0, sizeof pop);
    pr.pop = pop;
    pr.births = pr.deaths = pr.in = pr.out = pr.intl = pr.in_local = pr.out_local = flow;
    for (int k = 0; k < 2; k++)
        for (int u = 0; u < NU; u++) {
            double *b = bal_projection_pop(&pr, k) + u * BAL_CELLS;
            const double w = k ? W1[u] : W0[u], tot = k ? TOT1[u] : TOT0[u];
            b[bal_pidx(0, BAL_FEMALE, 30)] = w;
            b[bal_pidx(0, BAL_FEMALE, 70)] = 100.0;
            b[bal_pidx(0, BAL_MALE, 40)] = tot - w - 100.0;
        }
    bal_report rp;
    cr_assert_eq(bal_report_build(ctx, &pr, &R, BAL_LEVEL_SIGUNGU, &rp), BAL_OK, "%s",
                 bal_ctx_message(ctx));
    /* classes 1..5 of year 0 and year 1 */
    static const double CL[2][5] = {{1, 2, 1, 1, 1}, {0, 2, 1, 2, 1}};
    static const int IND[4] = {BAL_IND_RISK_VERY_LOW, BAL_IND_RISK_NORMAL, BAL_IND_RISK_CAUTION,
                               BAL_IND_RISK_ENTRY};
    for (int k = 0; k < 2; k++) {
        for (int c = 0; c < 4; c++)
            cr_expect_eq(bal_report_value(&rp, -1, IND[c], k), CL[k][c], "year %d class %d: %g",
                         k, c + 1, bal_report_value(&rp, -1, IND[c], k));
        cr_expect_eq(bal_report_value(&rp, -1, BAL_IND_HIGH_RISK, k), CL[k][4]);
        cr_expect_eq(bal_report_value(&rp, -1, BAL_IND_AT_RISK, k), CL[k][3] + CL[k][4]);
        cr_expect_eq(bal_report_value(&rp, -1, BAL_IND_POP_LOSS_30, k), k ? 1.0 : 0.0);
        cr_expect(isnan(bal_report_value(&rp, 0, BAL_IND_POP_LOSS_30, k)));
        /* relative index: unit / nation; the nation's index Σw / Σo */
        const double *W = k ? W1 : W0;
        double wsum = 0.0;
        for (int u = 0; u < NU; u++)
            wsum += W[u];
        const double xn = wsum / (100.0 * NU);
        for (int u = 0; u < NU; u++) {
            const double want = (W[u] / 100.0) / xn,
                         got = bal_report_row(&rp, 1 + u, k)[BAL_IND_EXTINCTION_RELATIVE];
            cr_expect(fabs(got - want) <= 1e-12 * want, "unit %d year %d: %.17g vs %.17g", u, k,
                      got, want);
        }
        cr_expect(fabs(bal_report_row(&rp, 0, k)[BAL_IND_EXTINCTION_RELATIVE] - 1.0) <= 1e-12);
        cr_expect_eq(bal_report_row(&rp, -1, k)[BAL_IND_EXTINCTION_RELATIVE], 1.0);
    }
    cr_expect_eq(bal_extinction_class(NAN), 0);
    cr_expect_eq(bal_extinction_class(1.5), 1);
    cr_expect_eq(bal_extinction_class(0.19999), 5);
    bal_report_release(ctx, &rp);
    bal_ctx_free(ctx);
}
