/*
 * test_policy.c — policy scenarios (docs/model.md §14): the status quo file is
 * the plain projection bit for bit, a scenario that extends another and sets
 * nothing equals it, each lever moves its own channel (and only it) in the
 * documented direction, the shipped scenarios load, and every validation
 * error of a scenario file has a fixture with its file, line and message.
 */
#include "balance/datapack.h"
#include "balance/engine.h"
#include "balance/levers.h"
#include "balance/policy.h"
#include "balance/scenario.h"

#include "testutil.h"
#include "testyear.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



static int close_to(double a, double b, double tol)
{
    return fabs(a - b) <= tol * (1.0 + fabs(b));
}

static bal_ctx *CTX;
static bal_datapack PK;

static void load_pack(void)
{
    CTX = bal_ctx_alloc();
    cr_assert_eq(bal_datapack_load(CTX, tu_data_dir(), &PK), BAL_OK, "%s", bal_ctx_message(CTX));
}

static void free_pack(void)
{
    bal_datapack_release(CTX, &PK);
    bal_ctx_free(CTX);
}

/* Path of a shipped scenario or a fixture. */
static void scn_path(char *out, size_t n, const char *dir, const char *file)
{
    char root[1024];
    cr_assert_eq(tu_abspath(tu_data_dir(), root, sizeof root), 0);
    /* data dir is <repo>/data/kr */
    char *p = strstr(root, "/data/kr");
    cr_assert_not_null(p);
    *p = '\0';
    snprintf(out, n, "%s/%s/%s", root, dir, file);
}

static void load_scn(const char *dir, const char *file, bal_scenario *s)
{
    char path[1200];
    scn_path(path, sizeof path, dir, file);
    cr_assert_eq(bal_scenario_load(CTX, path, &PK, s), BAL_OK, "%s: %s", file,
                 bal_ctx_message(CTX));
}

static int same_pop(const bal_projection *a, const bal_projection *b)
{
    return a->nyears == b->nyears && a->nreg == b->nreg &&
           memcmp(a->pop, b->pop,
                  (size_t)a->nyears * (size_t)(a->nreg * BAL_CELLS) * sizeof(double)) == 0;
}

/* The status quo scenario is the plain projection bit for bit (the compare
   baseline, the file scenarios/status_quo.yaml and `bal_projection_run`). */
Test(policy, status_quo_is_the_baseline, .init = load_pack, .fini = free_pack)
{
    bal_scenario s;
    load_scn("scenarios", "status_quo.yaml", &s);
    cr_assert(bal_policy_is_status_quo(&s));
    cr_assert_eq(s.horizon, 2052);
    bal_scn_result r[2];
    cr_assert_eq(bal_compare_run(CTX, &PK, BAL_LEVEL_SIDO, &s, 1, r), BAL_OK, "%s",
                 bal_ctx_message(CTX));
    cr_assert(same_pop(&r[0].proj, &r[1].proj));
    /* the plain projection of `balance project` */
    bal_calib_opts o;
    bal_calib_opts_default(&o, &PK);
    o.base_time = PK.base_year + (double)PK.base_month / 12.0;
    bal_demog_params p;
    bal_projection plain;
    cr_assert_eq(bal_calib_run(CTX, &PK, &o, PK.base_pop, &p, NULL), BAL_OK);
    cr_assert_eq(bal_projection_run(CTX, &p, PK.base_pop, 2052, &plain), BAL_OK);
    cr_assert(same_pop(&plain, &r[1].proj));
    const size_t nv = (size_t)r[0].report.nout * (size_t)r[0].report.nyears * BAL_NIND;
    cr_assert_eq(memcmp(r[0].report.val, r[1].report.val, nv * sizeof(double)), 0,
                 "every indicator, economy included");
    bal_projection_release(CTX, &plain);
    bal_demog_params_release(CTX, &p);
    for (int i = 0; i < 2; i++)
        bal_compare_result_release(CTX, &r[i]);
}

/* A scenario that extends another and sets nothing equals it. */
Test(policy, extends_nothing_equals_parent, .init = load_pack, .fini = free_pack)
{
    bal_scenario s[2];
    load_scn("scenarios", "metropolises.yaml", &s[0]);
    load_scn("tests/fixtures/scenarios", "extends_nothing.yaml", &s[1]);
    cr_assert_str_eq(s[1].name, "metro_copy");
    cr_assert_eq(s[1].metro.nhubs, 5);
    s[0].horizon = s[1].horizon = 2035;
    bal_scn_result r[3];
    cr_assert_eq(bal_compare_run(CTX, &PK, BAL_LEVEL_SIDO, s, 2, r), BAL_OK, "%s",
                 bal_ctx_message(CTX));
    cr_assert(same_pop(&r[1].proj, &r[2].proj));
    cr_assert(!same_pop(&r[0].proj, &r[1].proj), "the metropolises move people");
    for (int i = 0; i < 3; i++)
        bal_compare_result_release(CTX, &r[i]);
}

/* Every shipped scenario loads; integration_all inherits the Chungcheong
   union from the file it extends; combined has all three families. */
Test(policy, shipped_scenarios_load, .init = load_pack, .fini = free_pack)
{
    static const char *const files[] = {
        "status_quo.yaml", "integration_busan_gyeongnam.yaml", "integration_daegu_gyeongbuk.yaml",
        "integration_chungcheong.yaml", "integration_all.yaml", "decentralization.yaml",
        "metropolises.yaml", "combined.yaml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        bal_scenario s;
        load_scn("scenarios", files[i], &s);
        cr_assert(s.name[0] && s.description[0], "%s", files[i]);
        if (strcmp(files[i], "integration_all.yaml") == 0) {
            cr_assert_eq(s.nunions, 3);
            cr_assert_str_eq(s.unions[0].name, "Chungcheong Megalopolis Union");
            cr_assert_eq(s.unions[0].hq, bal_regions_find(&PK.regions, "36"));
        }
        if (strcmp(files[i], "combined.yaml") == 0)
            cr_assert(s.nunions == 3 && s.dec.on && s.metro.nhubs == 5);
    }
}

/* Set up a couple and call the lever function of `s` for `year`. */
static void apply(const bal_scenario *s, int year, bal_couple *c, bal_couple *sq,
                  bal_policy_run *pr, bal_demog_params *p)
{
    bal_calib_opts o;
    bal_calib_opts_default(&o, &PK);
    cr_assert_eq(bal_calib_run(CTX, &PK, &o, PK.base_pop, p, NULL), BAL_OK);
    bal_econ_opts eo;
    bal_couple_opts_default(&eo);
    cr_assert_eq(bal_couple_init(CTX, sq, &PK, &eo, p, PK.base_pop, 2025, 2035, BAL_LEVEL_SIDO),
                 BAL_OK);
    cr_assert_eq(bal_couple_init(CTX, c, &PK, &eo, p, PK.base_pop, 2025, 2035, BAL_LEVEL_SIDO),
                 BAL_OK);
    cr_assert_eq(bal_policy_init(CTX, pr, s, sq, c), BAL_OK);
    /* the status quo's base-year budgets stand for every year here */
    cr_assert_eq(couple_year(CTX, sq, 2025, PK.base_pop, p), BAL_OK);
    for (int y = 1; y < sq->nyears; y++)
        memcpy(sq->budget + (size_t)y * (size_t)sq->ns, sq->budget,
               (size_t)sq->ns * sizeof(double));
    /* ... and the scenario's past budgets equal them: no gain to invest yet */
    memcpy(c->budget, sq->budget, (size_t)sq->nyears * (size_t)sq->ns * sizeof(double));
    bal_econ_levers_reset(&c->lev, &c->ep);
    memset(c->amenity, 0, (size_t)c->ns * sizeof(double));
    memcpy(c->mig_travel, c->ep.travel0, (size_t)(c->ns * c->ns) * sizeof(double));
    cr_assert_eq(bal_policy_levers(CTX, pr, year, c), BAL_OK);
}

static void release(bal_couple *c, bal_couple *sq, bal_policy_run *pr, bal_demog_params *p)
{
    bal_policy_release(CTX, pr);
    bal_couple_release(CTX, c);
    bal_couple_release(CTX, sq);
    bal_demog_params_release(CTX, p);
}

/* What a channel may touch: returns 1 where the levers differ from no policy. */
typedef struct touched {
    int prod, invest, skilled, travel, mig_travel, amenity, finance;
} touched;

static touched what_moved(const bal_couple *c)
{
    touched t = {0};
    const int64_t ns = c->ns;
    for (int64_t i = 0; i < ns * BAL_NSEC; i++) {
        t.prod |= c->lev.prod_mult[i] != 1.0;
        t.invest |= c->lev.invest[i] != 0.0;
        t.skilled |= c->lev.skilled[i] != 0.0;
    }
    for (int64_t i = 0; i < ns * ns; i++) {
        t.travel |= c->lev.travel[i] != c->ep.travel0[i];
        t.mig_travel |= c->mig_travel[i] != c->ep.travel0[i];
    }
    for (int64_t r = 0; r < ns; r++)
        t.amenity |= c->amenity[r] != 0.0;
    t.finance = c->fp.levy_rate != 0.0 || c->fp.national_cost != 0.0;
    return t;
}

/* Integration: travel times between members fall by the transport cut (and,
   for market size, the joint-industry cut); nothing else in the first
   year (overhead savings are reinvested from the second). */
Test(policy, lever_integration, .init = load_pack, .fini = free_pack)
{
    bal_scenario s;
    load_scn("scenarios", "integration_busan_gyeongnam.yaml", &s);
    bal_couple c, sq;
    bal_policy_run pr;
    bal_demog_params p;
    const double cut = bal_lever_find("levers.integration[].transport_cut")->def;
    const double joint = bal_lever_find("levers.integration[].joint_industry")->def;
    cr_assert_eq(s.unions[0].transport_open,
                 2027 + bal_lever_find("levers.integration[].transport_open")->def_after);
    s.unions[0].transport_open = 2030; /* the test couple runs to 2030 */
    apply(&s, 2027, &c, &sq, &pr, &p);
    {
        /* before the transport opens: joint industrial policy only, felt by
           market size and not by migration */
        touched t0 = what_moved(&c);
        cr_assert(t0.travel && !t0.mig_travel);
        release(&c, &sq, &pr, &p);
    }
    apply(&s, 2030, &c, &sq, &pr, &p);
    const int64_t ns = PK.nsido, bu = bal_regions_find(&PK.regions, "26"),
                  gn = bal_regions_find(&PK.regions, "48"), ul = bal_regions_find(&PK.regions, "31");
    const double t0 = c.ep.travel0[bu * ns + gn];
    cr_assert(close_to(c.mig_travel[bu * ns + gn], t0 * (1.0 - cut), 1e-14));
    cr_assert(close_to(c.lev.travel[gn * ns + bu],
                       t0 * (1.0 - cut) * (1.0 - joint), 1e-14));
    cr_assert_eq(c.lev.travel[bu * ns + ul], c.ep.travel0[bu * ns + ul], "non-members untouched");
    touched t = what_moved(&c);
    cr_assert(t.travel && t.mig_travel && !t.prod && !t.skilled && !t.amenity && !t.finance);
    cr_assert(t.invest, "overhead savings reinvested after the first year");
    /* the year before the start: nothing */
    cr_assert_eq(bal_policy_levers(CTX, &pr, 2026, &c), BAL_OK);
    bal_econ_levers_reset(&c.lev, &c.ep);
    memcpy(c.mig_travel, c.ep.travel0, (size_t)(ns * ns) * sizeof(double));
    cr_assert_eq(bal_policy_levers(CTX, &pr, 2026, &c), BAL_OK);
    t = what_moved(&c);
    cr_assert(!t.travel && !t.mig_travel);
    release(&c, &sq, &pr, &p);
}

/* Decentralization, part by part. */
Test(policy, lever_decentralization, .init = load_pack, .fini = free_pack)
{
    bal_scenario s;
    bal_policy_scenario_init(&s);
    s.dec.on = 1;
    s.dec.ramp = 1.0;
    for (int r = 0; r < 17; r++)
        s.dec.regions[r] = 1;
    s.dec.leg_on = 1;
    s.dec.leg_sectors = 1u << BAL_SEC_BIO;
    s.dec.leg_productivity = 0.02;
    bal_couple c, sq;
    bal_policy_run pr;
    bal_demog_params p;
    apply(&s, 2027, &c, &sq, &pr, &p);
    for (int64_t r = 0; r < PK.nsido; r++)
        for (int k = 0; k < BAL_NSEC; k++)
            cr_assert_eq(c.lev.prod_mult[r * BAL_NSEC + k], k == BAL_SEC_BIO ? 1.02 : 1.0);
    touched t = what_moved(&c);
    cr_assert(t.prod && !t.invest && !t.travel && !t.amenity && !t.finance);
    release(&c, &sq, &pr, &p);

    /* fiscal: the German preset raises the local shares; only finance moves */
    s.dec.leg_on = 0;
    s.dec.fis_on = 1;
    cr_assert_eq(bal_policy_fiscal_preset("germany", s.dec.local_share), 0);
    s.dec.new_levy = 0.002;
    apply(&s, 2027, &c, &sq, &pr, &p);
    t = what_moved(&c);
    cr_assert(!t.prod && !t.invest && !t.travel && t.finance);
    cr_assert_eq(c.fp.local_share[BAL_TAX_INCOME], 0.575);
    cr_assert(c.fp.local_share[BAL_TAX_INCOME] > sq.fp.local_share[BAL_TAX_INCOME]);
    cr_assert_eq(c.fp.local_share[BAL_TAX_OTHER], sq.fp.local_share[BAL_TAX_OTHER]);
    release(&c, &sq, &pr, &p);

    /* executive: every sector of the regions */
    s.dec.fis_on = 0;
    s.dec.exe_on = 1;
    s.dec.exe_efficiency = 0.005;
    s.dec.ramp = 2.0;
    apply(&s, 2027, &c, &sq, &pr, &p);
    cr_assert(close_to(c.lev.prod_mult[5 * BAL_NSEC + 3], 1.0025, 1e-15), "half-way in year 1");
    release(&c, &sq, &pr, &p);
}

/* Metropolises: the hub's industry gets the special-zone productivity,
   investment (zone + fund share), talent and residential amenity; travel
   times to its neighbours fall; the funds cost national tax. */
Test(policy, lever_metropolises, .init = load_pack, .fini = free_pack)
{
    bal_scenario s;
    load_scn("scenarios", "metropolises.yaml", &s);
    bal_couple c, sq;
    bal_policy_run pr;
    bal_demog_params p;
    apply(&s, 2028, &c, &sq, &pr, &p); /* ramp 2 from 2027: full in 2028 */
    const int64_t ns = PK.nsido;
    const int64_t ul = bal_regions_find(&PK.regions, "31"), bu = bal_regions_find(&PK.regions, "26"),
                  se = bal_regions_find(&PK.regions, "11");
    const size_t i = (size_t)(ul * BAL_NSEC + BAL_SEC_FUTURE_CARS);
    cr_assert(close_to(c.lev.prod_mult[i], 1.02, 1e-15));
    cr_assert(close_to(c.lev.invest[i], 1e6 * (0.5 + 1.9 / 5.0), 1e-15));
    cr_assert_eq(c.lev.skilled[i], 1800.0);
    cr_assert_eq(c.lev.prod_mult[ul * BAL_NSEC + BAL_SEC_BIO], 1.0, "other industries untouched");
    cr_assert_eq(c.amenity[ul], 0.03);
    cr_assert_eq(c.amenity[se], 0.0);
    cr_assert_eq(c.mig_travel[ul * ns + bu], c.ep.travel0[ul * ns + bu], "links not open yet");
    /* 1.9 trillion × gains 0.5 × rate 0.2 × (holding 0.1 + deferral 1 × 0.158) */
    cr_assert(close_to(c.fp.national_cost, 1e6 * 1.9 * 0.1 * 0.258, 1e-12));
    release(&c, &sq, &pr, &p);
    apply(&s, 2033, &c, &sq, &pr, &p); /* the links open */
    cr_assert(close_to(c.mig_travel[ul * ns + bu], 0.7 * c.ep.travel0[ul * ns + bu], 1e-14),
              "Ulsan-Busan are contiguous");
    cr_assert(close_to(c.lev.travel[ul * ns + bu], 0.7 * c.ep.travel0[ul * ns + bu], 1e-14));
    cr_assert_eq(c.mig_travel[se * ns + bu], c.ep.travel0[se * ns + bu]);
    release(&c, &sq, &pr, &p);
    /* half in the first year of the ramp, nothing before */
    apply(&s, 2027, &c, &sq, &pr, &p);
    cr_assert(close_to(c.lev.prod_mult[i], 1.01, 1e-15));
    release(&c, &sq, &pr, &p);
    apply(&s, 2026, &c, &sq, &pr, &p);
    touched t = what_moved(&c);
    cr_assert(!t.prod && !t.invest && !t.skilled && !t.amenity && !t.travel && !t.finance);
    release(&c, &sq, &pr, &p);
}

/* Travel-time cuts compose by one rule (docs/model.md §14.1): for each pair
   and year the largest link cut applies, once; the joint-industry cut of a
   union multiplies market-size travel times on top. Hand-computed against
   the base travel times T0. */
Test(policy, travel_cuts_compose_once, .init = load_pack, .fini = free_pack)
{
    const int64_t ns = PK.nsido;
    const int64_t gj = bal_regions_find(&PK.regions, "29"), jn = bal_regions_find(&PK.regions, "46"),
                  bu = bal_regions_find(&PK.regions, "26"), gn = bal_regions_find(&PK.regions, "48"),
                  ul = bal_regions_find(&PK.regions, "31");
    cr_assert(PK.contiguous[gj * ns + jn] && PK.contiguous[bu * ns + gn] &&
              PK.contiguous[bu * ns + ul]);
    bal_couple c, sq;
    bal_policy_run pr;
    bal_demog_params p;

    /* (a) two neighbouring hubs, Gwangju and Jeonnam, with links cut 30 %:
       their pair is met from both hubs but cut once, T0 × 0.7 (was 0.49) */
    bal_scenario s;
    load_scn("scenarios", "metropolises.yaml", &s);
    apply(&s, 2033, &c, &sq, &pr, &p);
    double t0 = c.ep.travel0[gj * ns + jn];
    cr_assert(close_to(c.mig_travel[gj * ns + jn], 0.7 * t0, 1e-14), "%.6f T0",
              c.mig_travel[gj * ns + jn] / t0);
    cr_assert(close_to(c.mig_travel[jn * ns + gj], 0.7 * t0, 1e-14));
    cr_assert(close_to(c.lev.travel[gj * ns + jn], 0.7 * t0, 1e-14));
    release(&c, &sq, &pr, &p);

    /* (b) the Busan-Gyeongnam union (transport 30 %, joint industry 25 %)
       and a hub in Busan with links cut 40 %, all open in 2030: */
    load_scn("scenarios", "integration_busan_gyeongnam.yaml", &s);
    s.unions[0].transport_open = 2030;
    s.metro.nhubs = 1;
    s.metro.hubs[0] = (bal_hub){bu, -1, BAL_SEC_BIO};
    s.metro.start = 2027;
    s.metro.ramp = 2.0;
    s.metro.infra_cut = 0.4;
    s.metro.infra_open = 2030;
    apply(&s, 2030, &c, &sq, &pr, &p);
    /* Busan-Gyeongnam, cut by both: the larger 40 % for migration,
       0.6 × 0.75 = 0.45 for market size (was 0.42 and 0.315) */
    t0 = c.ep.travel0[bu * ns + gn];
    cr_assert(close_to(c.mig_travel[bu * ns + gn], 0.6 * t0, 1e-14), "%.6f T0",
              c.mig_travel[bu * ns + gn] / t0);
    cr_assert(close_to(c.mig_travel[gn * ns + bu], 0.6 * t0, 1e-14));
    cr_assert(close_to(c.lev.travel[bu * ns + gn], 0.45 * t0, 1e-14), "%.6f T0",
              c.lev.travel[bu * ns + gn] / t0);
    /* Busan-Ulsan, the hub's link only: 0.6 for both */
    t0 = c.ep.travel0[bu * ns + ul];
    cr_assert(close_to(c.mig_travel[bu * ns + ul], 0.6 * t0, 1e-14));
    cr_assert(close_to(c.lev.travel[bu * ns + ul], 0.6 * t0, 1e-14));
    release(&c, &sq, &pr, &p);

    /* (c) a smaller hub cut on the union's pair does not add: 30 % wins */
    s.metro.infra_cut = 0.2;
    apply(&s, 2030, &c, &sq, &pr, &p);
    t0 = c.ep.travel0[bu * ns + gn];
    cr_assert(close_to(c.mig_travel[bu * ns + gn], 0.7 * t0, 1e-14));
    cr_assert(close_to(c.lev.travel[bu * ns + gn], 0.7 * 0.75 * t0, 1e-14));
    release(&c, &sq, &pr, &p);
}

/* End to end, in the documented direction: the metropolises raise the hubs'
   population and lower the capital-region share; German-style fiscal
   shares raise the fiscal self-reliance. */
Test(policy, directions_end_to_end, .init = load_pack, .fini = free_pack)
{
    bal_scenario s[2];
    load_scn("scenarios", "metropolises.yaml", &s[0]);
    load_scn("scenarios", "decentralization.yaml", &s[1]);
    s[0].horizon = s[1].horizon = 2040;
    bal_scn_result r[3];
    cr_assert_eq(bal_compare_run(CTX, &PK, BAL_LEVEL_SIDO, s, 2, r), BAL_OK, "%s",
                 bal_ctx_message(CTX));
    const int k = 2040 - 2025;
    for (int h = 0; h < s[0].metro.nhubs; h++) {
        const int64_t g = s[0].metro.hubs[h].sido;
        cr_assert(bal_projection_total(&r[1].proj, k, g) > bal_projection_total(&r[0].proj, k, g),
                  "hub %s gains people", PK.regions.r[g].code);
    }
    cr_assert(r[1].report.capital_share[k] < r[0].report.capital_share[k]);
    cr_assert(bal_report_row(&r[2].report, -1, k)[BAL_IND_FISCAL_SELF_RELIANCE] >
              bal_report_row(&r[0].report, -1, k)[BAL_IND_FISCAL_SELF_RELIANCE] + 10.0);
    /* movers are conserved in a policy run too */
    for (int y = 0; y < k; y++) {
        double in = 0.0, out = 0.0;
        for (int64_t g = 0; g < PK.nsido; g++) {
            in += r[1].proj.in[(size_t)y * (size_t)PK.nsido + (size_t)g];
            out += r[1].proj.out[(size_t)y * (size_t)PK.nsido + (size_t)g];
        }
        cr_assert(close_to(in, out, 1e-12));
    }
    for (int i = 0; i < 3; i++)
        bal_compare_result_release(CTX, &r[i]);
}

/* ---- validation: every error has a fixture ---- */

static void expect_bad(const char *file, int line, const char *words)
{
    char path[1200];
    scn_path(path, sizeof path, "tests/fixtures/scenarios", file);
    bal_scenario s;
    int st = bal_scenario_load(CTX, path, &PK, &s);
    cr_assert_eq(st, BAL_EDATA, "%s: status %d", file, st);
    cr_assert(tu_ends_with(bal_ctx_file(CTX), file), "%s: file %s", file, bal_ctx_file(CTX));
    cr_assert_eq(bal_ctx_line(CTX), line, "%s: line %ld (%s)", file, bal_ctx_line(CTX),
                 bal_ctx_message(CTX));
    cr_assert(strstr(bal_ctx_message(CTX), words) != NULL, "%s: '%s' lacks '%s'", file,
              bal_ctx_message(CTX), words);
}

Test(policy, invalid_files, .init = load_pack, .fini = free_pack, .timeout = 60)
{
    expect_bad("bad_unknown_lever.yaml", 6, "unknown lever 'teleportation'");
    expect_bad("bad_out_of_range.yaml", 6, "transport_cut: 1.5 is out of range");
    expect_bad("bad_unknown_region.yaml", 5, "unknown region 'Atlantis'");
    expect_bad("bad_hub_twice.yaml", 7, "a hub is named twice in Ulsan");
    expect_bad("bad_industry_twice.yaml", 6, "industry 'bio' is given to two hubs");
    expect_bad("bad_not_yaml.yaml", 4, "not valid YAML");
    expect_bad("bad_unknown_setting.yaml", 7, "unknown setting 'wealth'");
    expect_bad("bad_no_name.yaml", 1, "'name' is required");
    expect_bad("bad_preset.yaml", 5, "unknown 'atlantis'");
    expect_bad("bad_sigungu_member.yaml", 5, "is a sigungu");
    /* hostile files fail fast: empty, not UTF-8 (libfyaml's scanner loops on a
       directive "%" followed by 0xff: the test's timeout catches a hang) */
    expect_bad("bad_empty.yaml", 1, "empty scenario file");
    expect_bad("bad_only_comments.yaml", 1, "the file holds only comments");
    expect_bad("bad_binary.yaml", 1, "byte 0x00 is not UTF-8");
    /* libfyaml wrote through a null pointer on this fuzzer input (tabs after
       an explicit "?" key): refused before the parser, as is any tab */
    expect_bad("bad_fuzz_segv_explicit_key.yaml", 4, "an explicit key");
    expect_bad("bad_tab.yaml", 3, "a tab character");
    /* libfyaml leaks its scalar buffer on '' escapes (fuzzer input, and the
       server's leak of issue 18): refused before the parser */
    expect_bad("bad_single_quote_escape.yaml", 1, "'' inside single-quoted text");
    expect_bad("bad_directive_not_utf8.yaml", 1, "byte 0xff is not UTF-8");
    expect_bad("bad_not_utf8.yaml", 3, "byte 0xff is not UTF-8");
}

/* A region table of BAL_MAX_SIDO provinces "10".."73" (names P10..P73),
   without sigungu. */
static void max_regions(bal_regions *R)
{
    memset(R, 0, sizeof *R);
    R->r = bal_calloc(CTX, BAL_MAX_SIDO, sizeof *R->r);
    cr_assert_not_null(R->r);
    for (int i = 0; i < BAL_MAX_SIDO; i++) {
        bal_region *g = &R->r[i];
        g->code[0] = (char)('0' + (10 + i) / 10);
        g->code[1] = (char)('0' + (10 + i) % 10);
        snprintf(g->name_en, sizeof g->name_en, "P%d", 10 + i);
        snprintf(g->name_ko, sizeof g->name_ko, "P%d", 10 + i);
        g->level = BAL_LEVEL_SIDO;
        g->parent = -1;
    }
    R->n = R->nsido = BAL_MAX_SIDO;
    cr_assert_eq(bal_regions_index(CTX, R), BAL_OK);
}

/* Capacities: decentralization (every province by default, or a list) and a
   union of all provinces on a table with the maximum number of sido write
   inside the scenario's per-sido arrays (UBSan stops an overflow; in the
   release build the metropolises after the arrays stay untouched). */
Test(policy, max_sido_scenario_in_bounds)
{
    CTX = bal_ctx_alloc();
    /* a pack of just the maximum region table and the dates scenarios check */
    bal_datapack pk;
    memset(&pk, 0, sizeof pk);
    max_regions(&pk.regions);
    pk.nsido = pk.regions.nsido;
    pk.vintage.base_year = 2025;
    pk.vintage.year_max = 2100;
    pk.vintage.horizon = 2052;
    static const char all[] = "name: all\nlevers:\n  decentralization: {start: 2027}\n";
    bal_scenario *s = malloc(sizeof *s);
    cr_assert_not_null(s);
    cr_assert_eq(bal_scenario_parse(CTX, "all", all, strlen(all), NULL, &pk, s), BAL_OK,
                 "%s", bal_ctx_message(CTX));
    for (int r = 0; r < BAL_MAX_SIDO; r++)
        cr_assert_eq(s->dec.regions[r], 1, "province %d", r);
    cr_assert_eq(s->metro.nhubs, 0);
    cr_assert_eq(s->metro.on, 0, "metropolises not named");

    char text[4096];
    size_t w = (size_t)snprintf(text, sizeof text,
                                "name: last\nlevers:\n  decentralization:\n    regions: [P73]\n"
                                "  integration:\n    - name: everyone\n      members: [");
    for (int i = 0; i < BAL_MAX_SIDO; i++)
        w += (size_t)snprintf(text + w, sizeof text - w, "%sP%d", i ? ", " : "", 10 + i);
    w += (size_t)snprintf(text + w, sizeof text - w, "]\n");
    cr_assert(w < sizeof text);
    cr_assert_eq(bal_scenario_parse(CTX, "last", text, w, NULL, &pk, s), BAL_OK, "%s",
                 bal_ctx_message(CTX));
    for (int r = 0; r < BAL_MAX_SIDO; r++)
        cr_assert_eq(s->dec.regions[r], r == BAL_MAX_SIDO - 1, "province %d", r);
    cr_assert_eq(s->unions[0].nmembers, BAL_MAX_SIDO);
    cr_assert_eq(s->unions[0].members[BAL_MAX_SIDO - 1], BAL_MAX_SIDO - 1);
    cr_assert_eq(s->metro.nhubs, 0);

    /* a caller with more sido than the arrays hold is refused */
    pk.nsido = BAL_MAX_SIDO + 1;
    cr_assert_eq(bal_scenario_parse(CTX, "all", all, strlen(all), NULL, &pk, s), BAL_EUSAGE);
    free(s);
    bal_regions_release(CTX, &pk.regions);
    bal_ctx_free(CTX);
}

/* ---- balance compare end to end ---- */

#include "testcli.h"

#include <jansson.h>
#include <sqlite3.h>

Test(policy, cli_compare, .init = tmp_init, .fini = tmp_fini)
{
    char root[1024], args[4096];
    cr_assert_eq(tu_abspath(tu_data_dir(), root, sizeof root), 0);
    *strstr(root, "/data/kr") = '\0';
    snprintf(args, sizeof args,
             "compare --level sido --format json --data '%s' --out '%s/out' "
             "'%s/scenarios/status_quo.yaml' '%s/scenarios/integration_all.yaml'",
             tu_data_dir(), TMP, root, root);
    int rc = run("json", args);
    char *err = output("json", "err");
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    free(err);
    char *text = output("json", "out");
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    free(text);
    cr_assert_not_null(j, "%s", jerr.text);
    json_t *years = json_object_get(j, "years"), *sc = json_object_get(j, "scenarios");
    cr_assert_eq(json_array_size(years), 3);
    cr_assert_eq(json_integer_value(json_array_get(years, 2)), 2052);
    /* the status quo file sets no lever: it is the baseline, not a column */
    cr_assert_eq(json_array_size(sc), 2, "baseline + integration_all");
    json_t *base = json_array_get(sc, 0), *in = json_array_get(sc, 1);
    cr_assert(json_is_true(json_object_get(base, "baseline")));
    cr_assert_str_eq(json_string_value(json_object_get(in, "name")), "integration_all");
    json_t *bi = json_object_get(base, "indicators"), *ii = json_object_get(in, "indicators");
    cr_assert_eq(json_array_size(json_object_get(bi, "population_outside_capital")), 3);
    /* the integrations keep people outside the capital region */
    cr_assert(json_number_value(json_array_get(json_object_get(ii, "population_outside_capital"), 2)) >
              json_number_value(json_array_get(json_object_get(bi, "population_outside_capital"), 2)));
    json_t *unions = json_object_get(in, "unions");
    cr_assert_eq(json_array_size(unions), 3);
    json_decref(j);
    /* one stored run per scenario, the baseline first */
    char db_path[600];
    snprintf(db_path, sizeof db_path, "%s/out/balance.db", TMP);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runs"), 2);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runs WHERE scenario='integration_all'"), 1);
    sqlite3_close(db);

    /* a bad scenario: exit 2, file:line on stderr, nothing more stored */
    snprintf(args, sizeof args,
             "compare --level sido --data '%s' --out '%s/out' '%s/scenarios/metropolises.yaml' "
             "'%s/tests/fixtures/scenarios/bad_hub_twice.yaml'",
             tu_data_dir(), TMP, root, root);
    rc = run("bad", args);
    err = output("bad", "err");
    cr_assert_eq(rc, 2);
    cr_assert(strstr(err, "bad_hub_twice.yaml:7: hubs: a hub is named twice") != NULL, "%s", err);
    free(err);
    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runs"), 2);
    sqlite3_close(db);
}

/* The infrastructure plan's cost is spent evenly over
   levers.metropolises.infrastructure.years from the start: hand-computed
   spread shares, and in a run the cost arrays of a 4-year and the 2-year
   plan differ by exactly the infrastructure part (25 trillion KRW: -6.25
   in 2027 and 2028, +6.25 in 2029 and 2030, in million KRW). */
Test(policy, lever_infrastructure_years, .init = load_pack, .fini = free_pack)
{
    cr_assert_eq(bal_policy_spread_share(2026, 2027, 2.0), 0.0);
    cr_assert_eq(bal_policy_spread_share(2027, 2027, 2.0), 0.5);
    cr_assert_eq(bal_policy_spread_share(2028, 2027, 2.0), 0.5);
    cr_assert_eq(bal_policy_spread_share(2029, 2027, 2.0), 0.0);
    cr_assert_eq(bal_policy_spread_share(2027, 2027, 2.5), 0.4);
    cr_assert_eq(bal_policy_spread_share(2029, 2027, 2.5), 0.2);
    cr_assert_eq(bal_policy_spread_share(2030, 2027, 2.5), 0.0);
    cr_assert_eq(bal_policy_spread_share(2027, 2027, 1.0), 1.0);
    bal_scenario sc[2];
    load_scn("scenarios", "metropolises.yaml", &sc[0]);
    cr_assert_eq(sc[0].metro.infra_years, 2.0, "the pledge's two-year plan is the default");
    cr_assert_eq(sc[0].metro.infra_cost, 25.0);
    sc[1] = sc[0];
    sc[1].metro.infra_years = 4.0;
    bal_scn_result res[3];
    cr_assert_eq(bal_compare_run(CTX, &PK, BAL_LEVEL_SIDO, sc, 2, res), BAL_OK, "%s",
                 bal_ctx_message(CTX));
    const double *c2 = res[1].policy.cost, *c4 = res[2].policy.cost;
    for (int k = 0; k < res[1].report.nyears; k++) {
        const int year = res[1].report.year0 + k;
        const double want = year == 2027 || year == 2028   ? -6.25e6
                            : year == 2029 || year == 2030 ? 6.25e6
                                                           : 0.0;
        cr_expect(fabs((c4[k] - c2[k]) - want) < 1e-6, "%d: %.6f, expected %.6f", year,
                  c4[k] - c2[k], want);
    }
    for (int i = 0; i < 3; i++)
        bal_compare_result_release(CTX, &res[i]);
}
