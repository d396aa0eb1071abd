/*
 * run.c — the runs every front end asks for (run.h): a projection with its
 * calibration and report, and a backtest against the observed totals. The
 * options of a run are described once, in the run-option table.
 */
#include "balance/run.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bal_run_opts_default(bal_run_opts *o, const bal_datapack *pack)
{
    memset(o, 0, sizeof *o);
    bal_calib_opts co;
    bal_calib_opts_default(&co, pack);
    o->level = BAL_LEVEL_SIDO;
    o->from = pack->base_year;
    o->to = pack->vintage.horizon;
    o->tfr_target = 0.0;
    o->tfr_target_year = co.tfr_target_year;
    o->improve_scale = co.improve_scale;
    o->mig_window = co.mig_window;
    o->local_halflife = co.local_halflife;
    o->local_migration = co.local_migration;
    o->pivot = 0;
    o->economy = 1;
    o->variant = BAL_VARIANT_DEFAULT;
}

/* ---- the run-option table ---- */

#define RO(f) offsetof(bal_run_opts, f)
#define BOTH (BAL_RO_PROJECT | BAL_RO_BACKTEST)

const bal_run_opt bal_run_options[] = {
    {"level", "level", BAL_RO_LEVEL, RO(level), 0, 0, 0, 0, BOTH, "LEVEL",
     "sido (default): the provinces; sigungu: the municipalities nested in their\n"
     "provinces (province rows are sums of their municipalities)"},
    {"from", "from", BAL_RO_YEAR, RO(from), 0, 0, 0, 0, BOTH, "YEAR",
     "start year: the data's base year (default for project), or an observed\n"
     "year-end with rates estimated from data up to then only"},
    {"to", "to", BAL_RO_YEAR, RO(to), 0, 0, 0, 0, BOTH, "YEAR",
     "last year (default: the data's horizon; backtest: the last observed year)"},
    {"variant", "variant", BAL_RO_VARIANT, RO(variant), 0, 0, 0, 0, BOTH, "NAME",
     "national paths of fertility, life expectancy and international migration:\n"
     "kostat-medium (default for a start the 2022-based KOSTAT assumptions\n"
     "predate), kostat-high, kostat-low, or constant (rates held at the jump-off;\n"
     "the default for earlier starts). docs/model.md section 15"},
    {"tfr-target", "tfr_target", BAL_RO_NUMBER, RO(tfr_target), 0, 0.1, 5.0, 0, BAL_RO_PROJECT,
     "X", "national total fertility rate to reach by --tfr-year, every province\n"
          "scaled alike; replaces the variant's fertility path (default: the\n"
          "variant's path)"},
    {"tfr-year", "tfr_year", BAL_RO_YEAR, RO(tfr_target_year), 0, 0, 0, 0, BAL_RO_PROJECT, "YEAR",
     "year the TFR target is reached (default: the data's tfr_target_year)"},
    {"mortality-improvement", "mortality_improvement", BAL_RO_NUMBER, RO(improve_scale), 0, 0.0,
     5.0, 0, BOTH, "S", "multiple of the observed mortality decline (default: 0.75); with a\n"
                        "kostat variant the level follows the variant's e0, S shapes the ages"},
    {"migration-window", "migration_window", BAL_RO_INT, RO(mig_window), RO(mig_window_exact),
     1.0, (double)BAL_MIG_WINDOW_MAX, 0, BOTH, "N",
     "most recent years of flows pooled for the migration rates (default: 4, or\n"
     "as many as the data have before the start; a window the data cannot fill\n"
     "is refused)"},
    {"local-migration-halflife", "local_migration_halflife", BAL_RO_NUMBER, RO(local_halflife), 0,
     0.0, 1000.0, 0, BOTH, "YEARS",
     "(sigungu) half-life of the within-province migration rates, which reflect\n"
     "the recent housing completions (default: 5; 0 keeps them constant)"},
    {"no-local-migration", "no_local_migration", BAL_RO_FLAG, RO(local_migration), 0, 0, 0, 0,
     BOTH, NULL,
     "(sigungu) no within-province migration: every municipality migrates at its\n"
     "province's rates"},
    {"migration-model", "migration_model", BAL_RO_MODEL, RO(pivot), 0, 0, 0, 0, BOTH, "M",
     "fixed (default): destination shares and out-migration rates as observed\n"
     "in the calibration years; pivot: they respond each year to population,\n"
     "GRDP per capita and employment through the estimated logit (docs/model.md\n"
     "section 12; refitted on the flows up to the start in a backtest)"},
    {"no-economy", "no_economy", BAL_RO_FLAG, RO(economy), 0, 0, 0, 0, BAL_RO_PROJECT, NULL,
     "demography only: no economy, public finance or services (their indicators\n"
     "are then empty)"},
};
const int bal_nrun_options = (int)(sizeof bal_run_options / sizeof bal_run_options[0]);

const bal_run_opt *bal_run_opt_find(const char *name)
{
    for (int i = 0; i < bal_nrun_options; i++)
        if (strcmp(bal_run_options[i].name, name) == 0 ||
            strcmp(bal_run_options[i].key, name) == 0)
            return &bal_run_options[i];
    return NULL;
}

int bal_run_opt_set(bal_ctx *ctx, const bal_run_opt *opt, const char *value, bal_run_opts *o)
{
    char *at = (char *)o + opt->offset;
    if (opt->kind == BAL_RO_FLAG) {
        *(int *)(void *)at = opt->value;
        return BAL_OK;
    }
    if (value == NULL)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--%s: needs a value", opt->name);
    const char *expect = NULL;
    char *end = NULL;
    errno = 0;
    switch (opt->kind) {
    case BAL_RO_LEVEL:
        if (strcmp(value, "sido") == 0)
            *(int *)(void *)at = BAL_LEVEL_SIDO;
        else if (strcmp(value, "sigungu") == 0)
            *(int *)(void *)at = BAL_LEVEL_SIGUNGU;
        else
            expect = "sido or sigungu";
        break;
    case BAL_RO_MODEL:
        if (strcmp(value, "fixed") == 0 || strcmp(value, "pivot") == 0)
            *(int *)(void *)at = value[0] == 'p';
        else
            expect = "fixed or pivot";
        break;
    case BAL_RO_VARIANT: {
        const int v = bal_variant_find(value);
        if (v < 0)
            expect = "constant, kostat-medium, kostat-high or kostat-low";
        else
            *(int *)(void *)at = v;
        break;
    }
    case BAL_RO_YEAR:
    case BAL_RO_INT: {
        const long v = strtol(value, &end, 10);
        /* a year: any four-digit year here; the run checks it against the data */
        const double lo = opt->kind == BAL_RO_YEAR ? 1000.0 : opt->lo;
        const double hi = opt->kind == BAL_RO_YEAR ? 9999.0 : opt->hi;
        if (*value == '\0' || *end != '\0' || errno || (double)v < lo || (double)v > hi)
            expect = opt->kind == BAL_RO_YEAR ? "a year" : "a whole number in range";
        else
            *(int *)(void *)at = (int)v;
        break;
    }
    case BAL_RO_NUMBER: {
        const double v = strtod(value, &end);
        if (*value == '\0' || *end != '\0' || errno || !isfinite(v) || v < opt->lo || v > opt->hi)
            expect = "a number in range";
        else
            *(double *)(void *)at = v;
        break;
    }
    default: expect = "a known option"; break;
    }
    if (expect) {
        if (opt->kind == BAL_RO_NUMBER || opt->kind == BAL_RO_INT)
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--%s: expected %g..%g, not '%s'",
                             opt->name, opt->lo, opt->hi, value);
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--%s: expected %s, not '%s'", opt->name,
                         expect, value);
    }
    if (opt->set_offset)
        *(int *)(void *)((char *)o + opt->set_offset) = 1;
    return BAL_OK;
}

/* ---- projection ---- */

static void fact(bal_run *r, const char *key, double v)
{
    if (r->nfacts < (int)(sizeof r->facts / sizeof r->facts[0]))
        r->facts[r->nfacts++] = (bal_run_param){key, v, NULL};
}

static void fact_text(bal_run *r, const char *key, const char *text)
{
    if (r->nfacts < (int)(sizeof r->facts / sizeof r->facts[0]))
        r->facts[r->nfacts++] = (bal_run_param){key, NAN, text};
}

/* What every output says the population is (README, docs/model.md §1). */
const char bal_population_concept[] =
    "resident registration population of Korean nationals (foreigners excluded; KOSTAT's "
    "projections count residents including foreigners)";

void bal_run_release(bal_ctx *ctx, bal_run *r)
{
    if (r == NULL)
        return;
    bal_report_release(ctx, &r->report);
    bal_couple_release(ctx, &r->couple);
    bal_projection_release(ctx, &r->proj);
    bal_mig_run_release(ctx, &r->mrun);
    bal_muni_report_release(ctx, &r->mrep);
    bal_demog_params_release(ctx, &r->mparams);
    bal_calib_report_release(ctx, &r->rep);
    bal_demog_params_release(ctx, &r->params);
    bal_free(ctx, r->pop0);
    bal_free(ctx, r->pop0_sgg);
    memset(r, 0, sizeof *r);
}

/* A national figure as printed (foreign_residents.csv, intl_migration.csv),
   NAN when absent. */
static double stated(const bal_stated *s, int n, int year, const char *series,
                     const char *indicator)
{
    for (int i = 0; i < n; i++)
        if (s[i].year == year && s[i].region == BAL_STATED_NATION &&
            strcmp(s[i].series, series) == 0 && strcmp(s[i].indicator, indicator) == 0)
            return s[i].value;
    return NAN;
}

/*
 * Foreign residents, a component outside the register (docs/model.md §15.4):
 * the census count of foreigners (non-nationals) of the latest year up to
 * the start, carried forward by the foreigners' net international migration,
 * the variant's national net migration times the foreigners' share of the
 * latest year with both stated (2024: 98,000 of 125,000), or that year's
 * foreigners' net migration held (constant). National only: the sources give
 * no complete table by province. Facts foreign_residents_start (and its year)
 * and foreign_residents_final.
 */
static void foreign_residents(bal_run *r, const bal_datapack *pk, int from, int to)
{
    int ys = 0, yn = 0;
    double stock = NAN, net_f = NAN, net_t = NAN;
    for (int y = from; y >= pk->vintage.year_min && (ys == 0 || yn == 0); y--) {
        const double c = stated(pk->foreign, pk->nforeign, y, "census_foreigners", "foreigners");
        if (ys == 0 && !isnan(c)) {
            ys = y;
            stock = c;
        }
        const double f = stated(pk->intl_stated, pk->nintl_stated, y,
                                "kostat_international_migration", "net_foreigners");
        const double t = stated(pk->intl_stated, pk->nintl_stated, y,
                                "kostat_international_migration", "net_total");
        if (yn == 0 && !isnan(f) && !isnan(t) && t > 0.0) {
            yn = y;
            net_f = f;
            net_t = t;
        }
        if (y < from - 5)
            break;
    }
    if (ys == 0 || yn == 0)
        return;
    double f = stock;
    for (int k = 0; k < to - from; k++) {
        if (r->params.path_n > 0) {
            const int kk = k < r->params.path_n ? k : r->params.path_n - 1;
            f += r->rep.nim0 * r->params.path_intl[kk] * net_f / net_t;
        } else {
            f += net_f;
        }
    }
    fact(r, "foreign_residents_start_year", ys);
    fact(r, "foreign_residents_start", stock);
    fact(r, "foreign_residents_final", f);
}

/* Start populations for a year-end start: sido from the sido bands (sido
   level) or the sums of the sigungu bands (sigungu level). */
static int start_population(bal_ctx *ctx, const bal_datapack *pk, int from, bal_run *r)
{
    const int64_t ns = pk->nsido, ng = pk->regions.n - ns;
    if (r->level == BAL_LEVEL_SIDO) {
        if (bal_calib_pop_from_bands(ctx, pk, from, r->pop0))
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                             "--from %d: the data has no complete year-end population by age "
                             "for that year (use %d..%d, or %d for the base)",
                             from, pk->pop5.year0 + 2, pk->pop5.year0 + pk->pop5.nyears - 1,
                             pk->base_year);
        return BAL_OK;
    }
    if (bal_muni_pop_from_bands(ctx, pk, from, r->pop0_sgg))
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                         "--from %d: the data has no year-end population by age for the "
                         "sigungu in that year (use %d..%d, or %d for the base)",
                         from, pk->sgg_pop5.year0, pk->sgg_pop5.year0 + pk->sgg_pop5.nyears - 1,
                         pk->base_year);
    memset(r->pop0, 0, (size_t)(ns * BAL_CELLS) * sizeof(double));
    for (int64_t u = 0; u < ng; u++) {
        const int64_t g = pk->regions.r[ns + u].parent;
        for (int i = 0; i < BAL_CELLS; i++)
            r->pop0[g * BAL_CELLS + i] += r->pop0_sgg[u * BAL_CELLS + i];
    }
    return BAL_OK;
}

int bal_run_project(bal_ctx *ctx, const bal_datapack *pk, const bal_run_opts *o, bal_run *r)
{
    memset(r, 0, sizeof *r);
    r->opts = *o;
    r->level = o->level;
    const int muni = r->level == BAL_LEVEL_SIGUNGU;
    const int from = o->from, to = o->to;
    if (muni && !pk->municipal_loaded)
        return bal_raise(ctx, BAL_EINTERNAL, NULL, 0,
                         "a municipal run needs the municipal tables loaded");
    const int64_t ns = pk->nsido, ng = pk->regions.n - ns;
    r->pop0 = bal_malloc(ctx, (size_t)(ns * BAL_CELLS) * sizeof(double));
    if (muni)
        r->pop0_sgg = bal_malloc(ctx, (size_t)(ng * BAL_CELLS) * sizeof(double));
    if (r->pop0 == NULL || (muni && r->pop0_sgg == NULL))
        return BAL_ENOMEM;
    bal_calib_opts co;
    bal_calib_opts_default(&co, pk);
    int st;
    if (from == pk->base_year) {
        memcpy(r->pop0, pk->base_pop, (size_t)(ns * BAL_CELLS) * sizeof(double));
        if (muni)
            memcpy(r->pop0_sgg, pk->base_pop_sgg, (size_t)(ng * BAL_CELLS) * sizeof(double));
        co.base_time = from + (double)pk->base_month / 12.0;
    } else {
        if (from > pk->base_year)
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                             "--from %d is after the base year %d of the data", from,
                             pk->base_year);
        if ((st = start_population(ctx, pk, from, r)))
            return st;
        co.base_time = from + 1.0;
    }
    r->base_time = co.base_time;
    co.base_year = from;
    co.improve_scale = o->improve_scale;
    co.mig_window = o->mig_window;
    co.mig_window_exact = o->mig_window_exact;
    co.local_halflife = o->local_halflife;
    co.local_migration = o->local_migration;
    co.variant = o->variant;
    if (o->tfr_target > 0.0) {
        if (o->tfr_target_year <= from)
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--tfr-year %d must follow --from %d",
                             o->tfr_target_year, from);
        co.tfr_target = o->tfr_target;
        co.tfr_target_year = o->tfr_target_year;
    }
    if (to < from)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--to %d is before --from %d", to, from);
    if (to > pk->vintage.year_max)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--to %d is after %d, the data's last year",
                         to, pk->vintage.year_max);
    if ((st = bal_calib_run(ctx, pk, &co, r->pop0, &r->params, &r->rep)))
        return st;
    /* a KOSTAT variant stops where its assumptions stop */
    if (r->rep.variant != BAL_VARIANT_CONSTANT && to > r->rep.path_last)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                         "--to %d is after %d, the last year of KOSTAT's %d-based assumptions "
                         "(variant %s); use --variant constant to go further",
                         to, r->rep.path_last, r->rep.release_base,
                         bal_variants[r->rep.variant].name);
    r->opts.variant = r->rep.variant;
    if (muni && (st = bal_muni_calibrate(ctx, pk, &co, &r->params, r->pop0_sgg,
                                              &r->mparams, &r->mrep)))
        return st;
    const bal_demog_params *pp = muni ? &r->mparams : &r->params;
    const double *start = muni ? r->pop0_sgg : r->pop0;
    bal_sim sim = {pp, NULL, NULL};
    if (o->pivot) {
        /* the migration model: base shares of the calibration window; its
           coefficients from migration_params.csv, or refitted on the flows up
           to the start when the file's fit reaches beyond it (backtests) */
        if ((st = bal_mig_run_init(ctx, &r->mrun, pk, pp, r->rep.mig_year1,
                                   r->rep.mig_year1 - r->rep.mig_year0 + 1)))
            return st;
        if (from < pk->mig_fit_to) {
            bal_mig_fit fp, fo;
            const int y0 = pk->vintage.migration_fit_from;
            if ((st = bal_mig_fit_run(ctx, pk, BAL_MIG_PIVOT, y0, from, &fp)) ||
                (st = bal_mig_fit_run(ctx, pk, BAL_MIG_OUT, y0, from, &fo)))
                return st;
            r->mrun.model.beta[BAL_ATTR_LOG_POP] = fp.coef[0];
            r->mrun.model.beta[BAL_ATTR_GRDP_PC] = fp.coef[1];
            r->mrun.model.beta[BAL_ATTR_EMPLOYMENT] = fp.coef[2];
            r->mrun.model.theta[BAL_ATTR_GRDP_PC] = fo.coef[0];
            r->mrun.model.theta[BAL_ATTR_EMPLOYMENT] = fo.coef[1];
        }
        sim.mig = &r->mrun;
    }
    if (o->economy) {
        /* the coupled model (docs/model.md §13): each year the economy, then
           (pivot) the migration model on its own inputs */
        bal_econ_opts eo;
        bal_couple_opts_default(&eo);
        if ((st = bal_couple_init(ctx, &r->couple, pk, &eo, pp, start, from, to, r->level)))
            return st;
        sim.couple = &r->couple;
    }
    if ((st = bal_simulate(ctx, &sim, start, to, &r->proj)) ||
        (st = bal_report_build(ctx, &r->proj, &pk->regions, r->level, &r->report)))
        return st;
    if (r->couple.done && (st = bal_report_economy(ctx, &r->couple, &r->report)))
        return st;
    fact_text(r, "variant", bal_variants[r->rep.variant].name);
    fact_text(r, "population_concept", bal_population_concept);
    fact(r, "base_year", from);
    fact(r, "base_time", co.base_time);
    fact(r, "final_year", to);
    fact(r, "tfr_national", r->rep.tfr_national);
    fact(r, "tfr_target", co.tfr_target);
    fact(r, "tfr_target_year", co.tfr_target > 0 ? (double)co.tfr_target_year : (double)NAN);
    fact(r, "fertility_year", r->rep.fert_year);
    fact(r, "fertility_pattern_from", r->rep.fert_year0);
    fact(r, "e0_jump_off_female", r->rep.e0_jump[BAL_FEMALE]);
    fact(r, "e0_jump_off_male", r->rep.e0_jump[BAL_MALE]);
    double intl = 0.0;
    for (int64_t i = 0; i < ns; i++)
        intl += r->rep.intl_per_year[i];
    fact(r, "international_migration_register_per_year", intl);
    foreign_residents(r, pk, from, to);
    if (r->rep.variant != BAL_VARIANT_CONSTANT) {
        fact(r, "variant_release_base", r->rep.release_base);
        fact(r, "variant_last_year", r->rep.path_last);
        fact(r, "variant_tfr_ultimate", r->rep.tfr_ultimate);
        fact(r, "variant_tfr_ultimate_year", r->rep.tfr_ultimate_year);
        fact(r, "variant_e0_female_last_year", r->rep.e0_target[BAL_FEMALE]);
        fact(r, "variant_e0_male_last_year", r->rep.e0_target[BAL_MALE]);
        fact(r, "variant_nim_start", r->rep.nim0);
        fact(r, "variant_nim_last_year", r->rep.nim_last);
    }
    fact(r, "life_table_year", r->rep.qx_year);
    fact(r, "e0_female", r->rep.e0[BAL_FEMALE]);
    fact(r, "e0_male", r->rep.e0[BAL_MALE]);
    fact(r, "mortality_improvement_scale", co.improve_scale);
    fact(r, "mortality_improvement_periods_from", r->rep.wpp_period0);
    fact(r, "mortality_improvement_periods_to", r->rep.wpp_period1);
    fact(r, "regional_mortality_asdr_year", r->rep.asdr_year);
    fact(r, "migration_years_from", r->rep.mig_year0);
    fact(r, "migration_years_to", r->rep.mig_year1);
    fact(r, "international_residual_years_from", r->rep.intl_year0);
    fact(r, "international_residual_years_to", r->rep.intl_year1);
    fact(r, "migration_model_pivot", o->pivot);
    if (muni) {
        fact(r, "municipal_asdr_year", r->mrep.asdr_year);
        fact(r, "municipal_migration_pairs", r->mrep.resid_pairs);
        fact(r, "municipal_migration_halflife", co.local_halflife);
        fact(r, "municipal_migration_from",
             r->mrep.resid_pairs ? (double)r->mrep.resid_year0 : (double)NAN);
        fact(r, "municipal_migration_to",
             r->mrep.resid_pairs ? (double)r->mrep.resid_year1 : (double)NAN);
    }
    return BAL_OK;
}

