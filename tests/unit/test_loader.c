/*
 * test_loader.c — bal_datapack_load rejects each class of bad input with the
 * right status, file, line and message.
 *
 * Method: a fresh temp directory holds absolute symlinks to every table of
 * the real pack; one table is replaced by a small committed fixture
 * (tests/fixtures/bad/<case>/<table>.csv) whose bad row comes before any
 * completeness check could fire (rows are validated in file order). The
 * expected line is the fixture's bad line (header = line 1).
 */
#include "balance/core.h"
#include "balance/datapack.h"

#include "testutil.h"

#include <criterion/criterion.h>
#include <unistd.h>
#include <sys/stat.h>
#include <string.h>

typedef struct outcome {
    int setup_ok;
    int status;
    char file[1024];
    long line;
    char message[1024];
    int pack_zeroed;
} outcome;

/* Build the directory, load, record the outcome, clean up (before asserting). */
static outcome load_with(const char *fixture_case, const char *table, int remove_only)
{
    outcome oc;
    memset(&oc, 0, sizeof oc);
    char dir[256];
    if (tu_mkdtemp("loader", dir, sizeof dir) != 0)
        return oc;
    if (tu_link_data(dir) < 10)
        goto out;
    if (table && tu_replace_table(dir, remove_only ? NULL : fixture_case, table) != 0)
        goto out;
    oc.setup_ok = 1;
    bal_ctx *ctx = bal_ctx_alloc();
    if (ctx == NULL) {
        oc.setup_ok = 0;
        goto out;
    }
    bal_datapack pack;
    memset(&pack, 0x5a, sizeof pack);
    oc.status = bal_datapack_load(ctx, dir, &pack);
    snprintf(oc.file, sizeof oc.file, "%s", bal_ctx_file(ctx));
    oc.line = bal_ctx_line(ctx);
    snprintf(oc.message, sizeof oc.message, "%s", bal_ctx_message(ctx));
    if (oc.status != BAL_OK) {
        oc.pack_zeroed = pack.dir == NULL && pack.base_pop == NULL && pack.regions.r == NULL &&
                         pack.pop5.v == NULL && pack.od.v == NULL;
    } else {
        bal_datapack_release(ctx, &pack);
    }
    bal_ctx_free(ctx);
out:
    tu_rm_rf(dir);
    return oc;
}


static void expect_bad(const char *fixture_case, const char *table, int status, long line,
                       const char *words)
{
    outcome oc = load_with(fixture_case, table, 0);
    cr_assert(oc.setup_ok, "could not set up the data directory for %s", fixture_case);
    cr_assert_eq(oc.status, status, "%s: status %d (%s:%ld: %s)", fixture_case, oc.status,
                 oc.file, oc.line, oc.message);
    char want_file[256];
    snprintf(want_file, sizeof want_file, "/%s", table);
    cr_assert(tu_ends_with(oc.file, want_file), "%s: file '%s' does not end with %s", fixture_case,
              oc.file, want_file);
    cr_assert_eq(oc.line, line, "%s: line %ld, expected %ld (%s)", fixture_case, oc.line, line,
                 oc.message);
    cr_assert(strstr(oc.message, words) != NULL, "%s: message '%s' lacks '%s'", fixture_case,
              oc.message, words);
    cr_assert(oc.pack_zeroed, "%s: the pack was not released", fixture_case);
}

/* Control: the linked directory itself loads, so failures below come from
   the fixtures. */
Test(loader, linked_pack_loads)
{
    outcome oc = load_with(NULL, NULL, 0);
    cr_assert(oc.setup_ok);
    cr_assert_eq(oc.status, BAL_OK, "%s:%ld: %s", oc.file, oc.line, oc.message);
    cr_assert_str_eq(oc.message, "");
}

Test(loader, missing_file)
{
    /* the fixture is the absence of births_totals.csv */
    outcome oc = load_with(NULL, "births_totals.csv", 1);
    cr_assert(oc.setup_ok);
    cr_assert_eq(oc.status, BAL_EIO);
    cr_assert(tu_ends_with(oc.file, "/births_totals.csv"), "file %s", oc.file);
    cr_assert_eq(oc.line, 0);
    cr_assert(strstr(oc.message, "cannot open") != NULL, "message %s", oc.message);
    cr_assert(strstr(oc.message, "No such file") != NULL, "message %s", oc.message);
    cr_assert(oc.pack_zeroed);
}

Test(loader, missing_directory)
{
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pack;
    cr_assert_eq(bal_datapack_load(ctx, "/nonexistent/balance-no-such-dir", &pack), BAL_EIO);
    /* the first table read: the pack's dates */
    cr_assert_str_eq(bal_ctx_file(ctx), "/nonexistent/balance-no-such-dir/vintage.csv");
    cr_assert_eq(bal_ctx_line(ctx), 0);
    bal_ctx_free(ctx);
}

/* vintage.csv: every key once (report_year may repeat), none unknown, the
   dates in order. */
Test(loader, vintage_errors)
{
    expect_bad("vintage_unknown_key", "vintage.csv", BAL_EDATA, 5, "unknown key 'horizon_year'");
    expect_bad("vintage_repeated", "vintage.csv", BAL_EDATA, 4, "base_year given twice");
    expect_bad("vintage_missing", "vintage.csv", BAL_EDATA, 0, "missing key 'finance_year'");
    expect_bad("vintage_order", "vintage.csv", BAL_EDATA, 0,
               "expected year_min < base_year < horizon <= year_max");
}

Test(loader, wrong_header)
{
    expect_bad("wrong_header", "population_base.csv", BAL_EDATA, 1,
               "wrong header: expected 'region,sex,age,population'");
}

Test(loader, non_numeric_cell)
{
    expect_bad("non_numeric", "population_totals.csv", BAL_EDATA, 3,
               "population: not a number: '10889x499'");
}

Test(loader, negative_count)
{
    expect_bad("negative_count", "migration_od.csv", BAL_EDATA, 4,
               "migrants: negative count -130149");
}

Test(loader, count_not_whole)
{
    expect_bad("not_whole_count", "population_base.csv", BAL_EDATA, 2,
               "population: count is not whole: 20192.5");
}

Test(loader, unknown_region_code)
{
    expect_bad("unknown_region", "population_base.csv", BAL_EDATA, 3,
               "region: unknown sido code '12'");
}

Test(loader, unknown_sigungu_code)
{
    expect_bad("unknown_sigungu", "sigungu_totals.csv", BAL_EDATA, 3,
               "unknown sigungu code '11111'");
}

Test(loader, age_out_of_range)
{
    expect_bad("age_out_of_range", "population_base.csv", BAL_EDATA, 4,
               "age: 101 out of range [0, 100]");
}

Test(loader, year_out_of_range)
{
    expect_bad("year_out_of_range", "births_by_age.csv", BAL_EDATA, 3,
               "year: 1891 out of range [1900, 2100]");
}

Test(loader, bad_sex)
{
    expect_bad("bad_sex", "population_base_totals.csv", BAL_EDATA, 2,
               "sex: expected 'female' or 'male', found 'Female'");
}

Test(loader, not_a_five_year_band)
{
    expect_bad("not_a_band", "population_age5.csv", BAL_EDATA, 3,
               "age band 5-10 is not a 5-year band");
}

/* Seoul male: 4,497,354 by the single-age rows; the fixture says 4,497,355. */
Test(loader, base_totals_disagree)
{
    expect_bad("totals_disagree", "population_base_totals.csv", BAL_EDATA, 3,
               "total 4497355 for 11 male disagrees with the sum of population_base.csv "
               "(4497354)");
}

/* Seoul 2011: the 42 sex-band rows of population_age5.csv sum to 10,249,679. */
Test(loader, age5_totals_disagree)
{
    expect_bad("age5_totals_disagree", "population_totals.csv", BAL_EDATA, 2,
               "total 10249680 for 11 in 2011 disagrees with the sum of population_age5.csv "
               "(10249679)");
}

/* 96,066 + 86,626 = 182,692, not the 182,691 births of the row. */
Test(loader, births_by_sex_disagree)
{
    expect_bad("births_sex_sum", "births_totals.csv", BAL_EDATA, 3,
               "births_male + births_female = 182692 disagrees with births 182691");
}

Test(loader, duplicate_row)
{
    expect_bad("duplicate_row", "mortality_qx.csv", BAL_EDATA, 4, "duplicate row");
}

Test(loader, wrong_field_count)
{
    expect_bad("wrong_field_count", "distances.csv", BAL_EDATA, 3, "expected 4 fields, found 3");
}

Test(loader, malformed_quote)
{
    expect_bad("malformed_quote", "asdr_sigungu.csv", BAL_EDATA, 3, "malformed CSV");
}

Test(loader, empty_table)
{
    expect_bad("empty_file", "regions.csv", BAL_EDATA, 1, "empty file: no header");
    expect_bad("header_only", "births_totals.csv", BAL_EDATA, 1, "no data rows: only the header");
}

/* Completeness is checked after the rows: no line to point at (0). */
Test(loader, missing_total_row)
{
    expect_bad("missing_total", "population_base_totals.csv", BAL_EDATA, 0,
               "missing total for 26 female");
}

Test(loader, employment_rate_out_of_range)
{
    expect_bad("employment_rate_range", "labor_force.csv", BAL_EDATA, 3, "employment_rate_pct");
}

Test(loader, young_scale_out_of_range)
{
    expect_bad("young_scale_range", "migration_params.csv", BAL_EDATA, 14,
               "young_scale must be in (0, 10]");
}

Test(loader, negative_finance_fact)
{
    expect_bad("negative_fact", "tax_items.csv", BAL_EDATA, 14, "is negative (local_property_tax)");
}

Test(loader, cluster_unknown_sido)
{
    expect_bad("unknown_cluster_sido", "industry_clusters.csv", BAL_EDATA, 3,
               "unknown sido code '99'");
}

/* Capacities (BAL_MAX_SIDO, BAL_MAX_SIGUNGU): a region table with one sido
   too many is refused at the first row beyond the maximum, before anything
   sized by the sido count is allocated. The fixture lists 65 sido (10..74). */
Test(loader, too_many_sido)
{
    cr_assert_eq(BAL_MAX_SIDO, 64, "the fixture has BAL_MAX_SIDO + 1 rows");
    expect_bad("too_many_sido", "regions.csv", BAL_EDATA, 1 + BAL_MAX_SIDO + 1,
               "too many sido: at most 64");
}

/* ... and one sigungu too many: the real table with extra sigungu of Jeonbuk
   (codes 90000..) inserted after its last sido row (line 18). */
Test(loader, too_many_sigungu)
{
    char dir[256];
    cr_assert_eq(tu_mkdtemp("loader", dir, sizeof dir), 0);
    cr_assert(tu_link_data(dir) >= 10);
    const int extra = BAL_MAX_SIGUNGU;
    char *text = malloc((size_t)extra * 64 + 64);
    cr_assert_not_null(text);
    size_t w = (size_t)sprintf(text, "52,sido,,Jeonbuk,전북특별자치도,0");
    for (int i = 0; i < extra; i++)
        w += (size_t)sprintf(text + w, "\n%05d,sigungu,52,Extra %d,추가 %d,0", 90000 + i, i, i);
    const int edited = tu_edit_table(dir, "regions.csv", 18, text);
    free(text);
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pack;
    const int st = edited == 0 ? bal_datapack_load(ctx, dir, &pack) : -99;
    char msg[512], file[1024];
    snprintf(msg, sizeof msg, "%s", bal_ctx_message(ctx));
    snprintf(file, sizeof file, "%s", bal_ctx_file(ctx));
    const long line = bal_ctx_line(ctx);
    if (st == BAL_OK)
        bal_datapack_release(ctx, &pack);
    bal_ctx_free(ctx);
    tu_rm_rf(dir);
    cr_assert_eq(edited, 0, "could not edit regions.csv (line 18)");
    cr_assert_eq(st, BAL_EDATA, "status %d: %s", st, msg);
    cr_assert(tu_ends_with(file, "/regions.csv"), "file %s", file);
    cr_assert_eq(line, 18 + BAL_MAX_SIGUNGU + 1, "line %ld (%s)", line, msg);
    cr_assert(strstr(msg, "too many sigungu: at most 1024") != NULL, "message %s", msg);
}

/* A table that is a FIFO (opening it for reading would wait for a writer)
   or a link to a device (/dev/zero would be read until memory runs out) is
   refused at once: only regular files are read. */
Test(loader, not_a_regular_file, .timeout = 30)
{
    for (int k = 0; k < 2; k++) {
        char dir[256], path[512];
        cr_assert_eq(tu_mkdtemp("loader", dir, sizeof dir), 0);
        cr_assert_geq(tu_link_data(dir), 10);
        snprintf(path, sizeof path, "%s/regions.csv", dir);
        unlink(path);
        if (k == 0)
            cr_assert_eq(mkfifo(path, 0600), 0);
        else
            cr_assert_eq(symlink("/dev/zero", path), 0);
        bal_ctx *ctx = bal_ctx_alloc();
        bal_datapack pack;
        const int st = bal_datapack_load(ctx, dir, &pack);
        char msg[512], file[512];
        snprintf(msg, sizeof msg, "%s", bal_ctx_message(ctx));
        snprintf(file, sizeof file, "%s", bal_ctx_file(ctx));
        bal_ctx_free(ctx);
        tu_rm_rf(dir);
        cr_assert_eq(st, BAL_EIO, "%s: %s", file, msg);
        cr_assert(tu_ends_with(file, "/regions.csv"), "%s", file);
        cr_assert(strstr(msg, "not a regular file") != NULL, "%s", msg);
    }
}

/* School tables (src/io/datapack_schools.c): levels, codes, duplicates,
   fields, and the register's and the yearly series' sums. */
Test(loader, school_tables)
{
    expect_bad("school_bad_level", "schools_register.csv", BAL_EDATA, 3,
               "school_level: expected elementary, middle or high, found 'kindergarten'");
    expect_bad("school_unknown_region", "schools_register.csv", BAL_EDATA, 2,
               "region: unknown region code '99999'");
    /* the fixture adds one elementary main school to Goryeong-gun (47830) */
    expect_bad("school_register_sum", "schools_register.csv", BAL_EDATA, 0,
               "sido 47, elementary main: the sigungu sum to 467, the sido row says 466");
    expect_bad("school_sido_duplicate", "schools_sido.csv", BAL_EDATA, 3, "duplicate row");
    expect_bad("school_sido_sum", "schools_sido.csv", BAL_EDATA, 0,
               "2010, middle students: the sido sum to");
    expect_bad("school_closure_confirmed", "school_closures.csv", BAL_EDATA, 2,
               "confirmed: expected true or false, found 'maybe'");
    expect_bad("school_closure_period", "school_closures.csv", BAL_EDATA, 3,
               "period_type: expected year or year_planned, found 'decade'");
}

/* ---- the demography tables of issue 14 (src/io/datapack_demog.c) ---- */

Test(loader, demog_vital_sido)
{
    /* the nation's births (11) against its only sido's (10), after the rows */
    expect_bad("demog_vital_sum", "vital_sido.csv", BAL_EDATA, 0,
               "national births of 2000 (11) differ from the sum of the sido (10)");
    expect_bad("demog_vital_region", "vital_sido.csv", BAL_EDATA, 3,
               "region: unknown code '12' (00 or a sido)");
}

Test(loader, demog_fertility_asfr)
{
    /* 5 x (2.6 + 39.2 + 150.3 + 84.1 + 17.6 + 2.7 + 0.2) / 1000 = 1.4835 */
    expect_bad("demog_asfr_tfr", "fertility_asfr.csv", BAL_EDATA, 3,
               "5 x the sum of the ASFR / 1000 = 1.484, more than 0.05 from the TFR 1.280");
    expect_bad("demog_asfr_duplicate", "fertility_asfr.csv", BAL_EDATA, 4, "duplicate row");
}

Test(loader, demog_vital_national)
{
    expect_bad("demog_vitalnat_e0", "vital_national.csv", BAL_EDATA, 3,
               "e0_male and e0_female must both be given or both be empty");
    /* 2001 births 559,935 against 559,934 in vital_sido.csv (line 0: after the rows) */
    expect_bad("demog_vitalnat_disagree", "vital_national.csv", BAL_EDATA, 0,
               "births or deaths of 2001 differ from the national row of vital_sido.csv");
}

Test(loader, demog_projection_assumptions)
{
    expect_bad("demog_passum_variant", "projection_assumptions.csv", BAL_EDATA, 3,
               "variant: expected medium, high or low, found 'central'");
    expect_bad("demog_passum_unit", "projection_assumptions.csv", BAL_EDATA, 3,
               "unit of net_international_migration: expected persons_per_year, found 'persons'");
    expect_bad("demog_passum_released", "projection_assumptions.csv", BAL_EDATA, 2,
               "released 2022-06-30 is not after the release's base year 2022");
}

Test(loader, demog_intl_migration)
{
    expect_bad("demog_intl_whole", "intl_migration.csv", BAL_EDATA, 3,
               "value: persons must be a whole number, found '125000.5'");
}

Test(loader, demog_foreign_residents)
{
    expect_bad("demog_foreign_unit", "foreign_residents.csv", BAL_EDATA, 4,
               "unit: expected persons or pct, found 'percent'");
    expect_bad("demog_foreign_region", "foreign_residents.csv", BAL_EDATA, 2,
               "region: unknown code 'SEO' (00, CAP or a sido)");
}

/* ---- issue 14: migration_totals.csv, population_age5_residents.csv ---- */

Test(loader, migtot_net_not_in_minus_out)
{
    expect_bad("migtot_net", "migration_totals.csv", BAL_EDATA, 3,
               "net_migration -113948 disagrees with in - out = -113949");
}

Test(loader, migtot_disagrees_with_od_margins)
{
    expect_bad("migtot_margin", "migration_totals.csv", BAL_EDATA, 3,
               "out_migrants 2409734 of 11 in 2001 disagree with migration_od.csv (2409733)");
}

Test(loader, migtot_unknown_region)
{
    expect_bad("migtot_region", "migration_totals.csv", BAL_EDATA, 3,
               "region: unknown sido code '42'");
}

Test(loader, residents_not_a_band)
{
    expect_bad("pop5res_band", "population_age5_residents.csv", BAL_EDATA, 3,
               "age 5-8 is not a 5-year band");
}

Test(loader, residents_total_disagrees_with_sigungu)
{
    expect_bad("pop5res_total", "population_age5_residents.csv", BAL_EDATA, 0,
               "total 9261704 of 11 in 2024 disagrees with its sigungu in sigungu_totals.csv "
               "(9261703)");
}

/* Issue 18 part 5: every column of every table is checked, whether or not the
   model reads it (docs/data-validation.md lists the checks). */

Test(loader, free_text_columns)
{
    expect_bad("vintage_meaning_empty", "vintage.csv", BAL_EDATA, 3, "meaning: empty");
    expect_bad("vintage_meaning_long", "vintage.csv", BAL_EDATA, 3,
               "meaning: longer than 511 bytes");
    expect_bad("region_name_utf8", "regions.csv", BAL_EDATA, 3,
               "name_ko: not valid UTF-8 at byte 1");
    expect_bad("region_name_empty", "regions.csv", BAL_EDATA, 3, "name_en: empty");
    expect_bad("fsr_basis_control", "fiscal_self_reliance.csv", BAL_EDATA, 3,
               "basis: control character 0x09 at byte 14");
    expect_bad("fact_basis_empty", "tax_items.csv", BAL_EDATA, 3, "basis: empty");
    /* 0xC0 0xAF: an overlong '/' */
    expect_bad("cluster_sigungu_utf8", "industry_clusters.csv", BAL_EDATA, 3,
               "sigungu_ko: not valid UTF-8 at byte 1");
}

Test(loader, sigungu_totals_coverage_and_parent)
{
    expect_bad("sgg_coverage", "sigungu_totals.csv", BAL_EDATA, 3,
               "coverage: expected one of registered, residents, found 'resident'");
    /* a quoted newline inside the value: reported on the line where the record
       ends, the message kept to one line (the newline shown as '?') */
    expect_bad("sgg_coverage_newline", "sigungu_totals.csv", BAL_EDATA, 4,
               "coverage: expected one of registered, residents, found 'resi?dents'");
    expect_bad("sgg_parent", "sigungu_totals.csv", BAL_EDATA, 3,
               "parent '26' is not the sido of 11140 in regions.csv");
}

Test(loader, labor_force_unread_columns)
{
    expect_bad("labor_unemployment", "labor_force.csv", BAL_EDATA, 3,
               "unemployment_rate_pct: 104 out of range [0, 100]");
    expect_bad("labor_active", "labor_force.csv", BAL_EDATA, 2,
               "economically_active_thousand 36193 exceeds pop_15plus_thousand 36192");
    expect_bad("sgg_labor_period", "labor_force_sigungu.csv", BAL_EDATA, 3,
               "period: expected a half-year YYYYH1 or YYYYH2, found '2024Q1'");
    expect_bad("sgg_labor_order", "labor_force_sigungu.csv", BAL_EDATA, 3,
               "expected employed <= economically active <= population 15+, found 76, 75, 120");
    expect_bad("sgg_labor_rate", "labor_force_sigungu.csv", BAL_EDATA, 2,
               "employment_rate_15_64_pct: 159.9 out of range [0, 100]");
    expect_bad("sgg_labor_pop", "labor_force_sigungu.csv", BAL_EDATA, 3,
               "pop_15plus_thousand: not a number: ''");
}

Test(loader, income_status_and_grdp)
{
    expect_bad("income_status", "grdp_per_capita_new.csv", BAL_EDATA, 3,
               "status: expected one of preliminary, not_flagged_preliminary, found 'final'");
    expect_bad("income_grdp", "grdp_per_capita_new.csv", BAL_EDATA, 2,
               "grdp_per_capita_thousand_krw: not a number: ''");
}

Test(loader, facts_every_column)
{
    expect_bad("fact_unit", "local_finance.csv", BAL_EDATA, 3, "unit: expected one of pct,");
    expect_bad("fact_unit", "local_finance.csv", BAL_EDATA, 3, "found 'percent'");
    expect_bad("fact_value_text", "local_finance.csv", BAL_EDATA, 2,
               "value: not a number: 'n/a'");
    expect_bad("fact_ratio", "local_finance.csv", BAL_EDATA, 3,
               "value: expected a ratio a:b for unit ratio, found '76-24'");
    expect_bad("fact_pct_range", "local_finance.csv", BAL_EDATA, 3,
               "value: 122.0 pct is above 100 (local_tax_share_of_total_tax)");
    expect_bad("fact_indicator", "local_finance.csv", BAL_EDATA, 3,
               "indicator: expected a name of 1 to 63 characters a-z, 0-9 or _, found 'Local "
               "tax share'");
}

Test(loader, migration_params_every_column)
{
    expect_bad("migparam_std_error", "migration_params.csv", BAL_EDATA, 3,
               "std_error: -0.000515799 out of range [0, 100]");
    expect_bad("migparam_fit_order", "migration_params.csv", BAL_EDATA, 3,
               "fit_from 2021 is after fit_to 2020");
    expect_bad("migparam_gravity_term", "migration_params.csv", BAL_EDATA, 3,
               "parameter: unknown gravity term 'log_distanse'");
}

Test(loader, grdp_industry_every_column)
{
    expect_bad("grdp_item_parent", "grdp_industry.csv", BAL_EDATA, 3,
               "parent: expected empty or another item, found 'gva_basic_price'");
    expect_bad("grdp_item_contribution", "grdp_industry.csv", BAL_EDATA, 3,
               "real_growth_contribution_pctpt: not a number: ''");
    expect_bad("grdp_item_real", "grdp_industry.csv", BAL_EDATA, 2,
               "real_chained_2015_million_krw: 4.1e+13 out of range [-1e+12, 1e+12]");
}

Test(loader, industry_clusters_every_column)
{
    expect_bad("cluster_type", "industry_clusters.csv", BAL_EDATA, 3,
               "designation_type: expected one of bio_advanced_strategic_industry_specialized_"
               "complex,");
    expect_bad("cluster_type", "industry_clusters.csv", BAL_EDATA, 3, "found 'bio_complex'");
    expect_bad("cluster_date", "industry_clusters.csv", BAL_EDATA, 3,
               "designation_date: expected YYYY, YYYY-MM or YYYY-MM-DD from 1900 to 2100, "
               "found '2024-13-27'");
    expect_bad("cluster_area", "industry_clusters.csv", BAL_EDATA, 3,
               "area_m2: -5 out of range [1, 1e+10]");
    expect_bad("cluster_investment", "industry_clusters.csv", BAL_EDATA, 2,
               "investment_trillion_krw: not a number: 'lots'");
    expect_bad("cluster_duplicate", "industry_clusters.csv", BAL_EDATA, 3,
               "cluster_id 'bio2024_andong_pohang' given twice");
    expect_bad("cluster_id", "industry_clusters.csv", BAL_EDATA, 3,
               "cluster_id: expected a name of 1 to 63 characters a-z, 0-9 or _, found 'Bio "
               "2024 Daejeon'");
}

/* projection_results_stated.csv: not read by the model, validated all the same. */
Test(loader, projection_results_stated_every_column)
{
    const char *t = "projection_results_stated.csv";
    expect_bad("stated_scope", t, BAL_EDATA, 3,
               "scope: expected one of national, provincial, found 'nation'");
    expect_bad("stated_national_region", t, BAL_EDATA, 3,
               "region: a national row must be 00, found '11'");
    expect_bad("stated_released", t, BAL_EDATA, 3,
               "released: the 2022-based national release has two dates (2023-12-14, "
               "2023-12-15)");
    expect_bad("stated_unit", t, BAL_EDATA, 3,
               "unit: expected one of persons, pct, found 'people'");
    expect_bad("stated_whole", t, BAL_EDATA, 2,
               "value: persons must be a whole number, found '52480000.5'");
    expect_bad("stated_duplicate", t, BAL_EDATA, 3, "duplicate row");
    expect_bad("stated_year", t, BAL_EDATA, 3,
               "year 2021 is before the release's base year 2022");
}

/* Keys given twice, in tables whose later row used to overwrite or shadow the
   earlier one. */
Test(loader, duplicate_keys)
{
    expect_bad("sgg_duplicate", "sigungu_totals.csv", BAL_EDATA, 4,
               "duplicate row (11110, 2022-12)");
    expect_bad("fact_duplicate", "local_finance.csv", BAL_EDATA, 4,
               "duplicate fact local_tax_share_of_total_tax of 2004");
    expect_bad("fsr_duplicate", "fiscal_self_reliance.csv", BAL_EDATA, 4,
               "duplicate row (1998, 11, basis)");
    expect_bad("migparam_duplicate", "migration_params.csv", BAL_EDATA, 4,
               "duplicate row (gravity, log_distance)");
}
