/*
 * test_cli.c — end to end through the built CLI (BALANCE_BIN, default
 * build/balance) on the data pack (BALANCE_DATA): JSON and CSV output, the
 * SQLite store, data and usage errors, store atomicity.
 *
 * Each test gets a fresh temp directory (created in .init, removed in .fini
 * even when an assertion fails); the CLI's stdout and stderr go to files in it.
 */
#include "testcli.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define NYEARS 28 /* 2025..2052 */
#define NSIDO 17



static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK,
                 "cannot open %s", path);
    return db;
}

/* ---- (a) JSON ---- */

Test(cli, project_json, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024];
    snprintf(args, sizeof args, "project --format json --data '%s' --out '%s/out'",
             tu_data_dir(), TMP);
    int rc = run("json", args);
    char *err = output("json", "err");
    cr_assert_eq(rc, 0, "exit %d, stderr: %s", rc, err);
    free(err);
    char *text = output("json", "out");
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    free(text);
    cr_assert_not_null(root, "JSON parse error line %d: %s", jerr.line, jerr.text);

    json_t *years = json_object_get(root, "years");
    cr_assert(json_is_array(years));
    cr_assert_eq(json_array_size(years), NYEARS);
    for (size_t k = 0; k < NYEARS; k++) {
        json_t *y = json_array_get(years, k);
        cr_assert(json_is_integer(y), "years[%zu] is not an integer", k);
        cr_assert_eq(json_integer_value(y), 2025 + (json_int_t)k);
    }

    json_t *regs = json_object_get(root, "regions");
    cr_assert(json_is_array(regs));
    cr_assert_eq(json_array_size(regs), NSIDO);
    double sum[NYEARS] = {0};
    for (size_t i = 0; i < NSIDO; i++) {
        json_t *g = json_array_get(regs, i);
        json_t *code = json_object_get(g, "code"), *name = json_object_get(g, "name");
        cr_assert(json_is_string(code) && json_is_string(name));
        const char *c = json_string_value(code);
        cr_assert(strlen(c) == 2 && c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9',
                  "code '%s'", c);
        cr_assert(strlen(json_string_value(name)) > 0);
        json_t *pop = json_object_get(g, "population");
        cr_assert(json_is_array(pop));
        cr_assert_eq(json_array_size(pop), NYEARS);
        for (size_t k = 0; k < NYEARS; k++) {
            json_t *v = json_array_get(pop, k);
            cr_assert(json_is_number(v));
            cr_assert(json_number_value(v) > 0.0);
            sum[k] += json_number_value(v);
        }
        /* flows are aligned with years: the first is null */
        json_t *births = json_object_get(g, "births");
        cr_assert(json_is_array(births) && json_array_size(births) == NYEARS);
        cr_assert(json_is_null(json_array_get(births, 0)));
        cr_assert(json_is_number(json_array_get(births, 1)));
        if (strcmp(c, "11") == 0) /* Seoul end-June 2025, published */
            cr_assert(fabs(json_number_value(json_array_get(pop, 0)) - 9325616.0) <= 0.5);
    }

    json_t *nat = json_object_get(root, "national");
    cr_assert(json_is_object(nat));
    json_t *npop = json_object_get(nat, "population");
    json_t *share = json_object_get(nat, "capital_region_share");
    cr_assert(json_is_array(npop) && json_array_size(npop) == NYEARS);
    cr_assert(json_is_array(share) && json_array_size(share) == NYEARS);
    cr_assert(fabs(json_number_value(json_array_get(npop, 0)) - 51164582.0) <= 0.5);
    for (size_t k = 0; k < NYEARS; k++) {
        double nv = json_number_value(json_array_get(npop, k));
        cr_assert(fabs(sum[k] - nv) <= 1e-6 * nv, "year %zu: regions %.3f national %.3f", k,
                  sum[k], nv);
        double s = json_number_value(json_array_get(share, k));
        cr_assert(s > 40.0 && s < 70.0, "capital share %g", s);
    }
    /* published 2025-06 capital-region share 50.97% */
    cr_assert(fabs(json_number_value(json_array_get(share, 0)) - 50.97) <= 0.005);
    json_decref(root);
}

/* ---- (b) the SQLite store ---- */

Test(cli, project_store_appends_runs, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024], db_path[512];
    snprintf(args, sizeof args, "project --data '%s' --out '%s/out'", tu_data_dir(), TMP);
    snprintf(db_path, sizeof db_path, "%s/out/balance.db", TMP);
    int rc = run("first", args);
    char *err = output("first", "err");
    cr_assert_eq(rc, 0, "exit %d, stderr: %s", rc, err);
    free(err);
    char *out = output("first", "out");
    cr_assert(strstr(out, "Stored as run 1 in ") != NULL, "stdout: %s", out);
    free(out);

    sqlite3 *db = open_db(db_path);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runs"), 1);
    cr_assert_eq(q_int(db, "SELECT id FROM runs"), 1);
    cr_assert_eq(q_int(db, "SELECT base_year FROM runs"), 2025);
    cr_assert_eq(q_int(db, "SELECT final_year FROM runs"), 2052);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM regions WHERE run_id = 1"), NSIDO);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM regions WHERE run_id = 1 AND capital_region = 1"),
                 3);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE run_id = 1 AND "
                           "indicator = 'population'"),
                 NYEARS * (NSIDO + 1));
    cr_assert_eq(q_int(db, "SELECT count(DISTINCT year) FROM results WHERE run_id = 1 AND "
                           "indicator = 'population'"),
                 NYEARS);
    cr_assert_eq(q_int(db, "SELECT count(DISTINCT region) FROM results WHERE run_id = 1 AND "
                           "indicator = 'population'"),
                 NSIDO + 1);
    cr_assert_eq(q_double(db, "SELECT value FROM results WHERE run_id = 1 AND region = '00' "
                              "AND year = 2025 AND indicator = 'population'"),
                 51164582.0);
    /* national = sum of the 17 in the final year */
    double nat = q_double(db, "SELECT value FROM results WHERE run_id = 1 AND region = '00' "
                              "AND year = 2052 AND indicator = 'population'");
    double reg = q_double(db, "SELECT sum(value) FROM results WHERE run_id = 1 AND "
                              "region <> '00' AND year = 2052 AND indicator = 'population'");
    cr_assert(fabs(nat - reg) <= 1e-6 * nat);
    long long all1 = q_int(db, "SELECT count(*) FROM results WHERE run_id = 1");
    sqlite3_close(db);

    rc = run("second", args);
    cr_assert_eq(rc, 0);
    out = output("second", "out");
    cr_assert(strstr(out, "Stored as run 2 in ") != NULL, "stdout: %s", out);
    free(out);
    db = open_db(db_path);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runs"), 2);
    cr_assert_eq(q_int(db, "SELECT max(id) FROM runs"), 2);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE run_id = 2 AND "
                           "indicator = 'population'"),
                 NYEARS * (NSIDO + 1));
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE run_id = 1"), all1);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM regions WHERE run_id = 2"), NSIDO);
    sqlite3_close(db);
}

/* ---- (c) bad data ---- */

Test(cli, bad_data_exit_2_no_store, .init = tmp_init, .fini = tmp_fini)
{
    char data[512], out_fresh[512], out_old[512], args[2048], db_old[600];
    snprintf(data, sizeof data, "%s/data", TMP);
    cr_assert_eq(mkdir(data, 0700), 0);
    cr_assert(tu_link_data(data) >= 10);
    snprintf(out_fresh, sizeof out_fresh, "%s/fresh", TMP);
    snprintf(out_old, sizeof out_old, "%s/old", TMP);
    snprintf(db_old, sizeof db_old, "%s/balance.db", out_old);

    /* a store with one earlier good run */
    snprintf(args, sizeof args, "project --data '%s' --out '%s'", data, out_old);
    cr_assert_eq(run("good", args), 0);
    sqlite3 *db = open_db(db_old);
    long long results_before = q_int(db, "SELECT count(*) FROM results");
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runs"), 1);
    sqlite3_close(db);

    /* now break population_base.csv: unknown sido code on line 3 */
    cr_assert_eq(tu_replace_table(data, "unknown_region", "population_base.csv"), 0);
    snprintf(args, sizeof args, "project --data '%s' --out '%s'", data, out_fresh);
    int rc = run("bad", args);
    cr_assert_eq(rc, 2);
    char *err = output("bad", "err");
    char want[700];
    snprintf(want, sizeof want, "%s/population_base.csv:3: ", data);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "stderr '%s' does not start with '%s'",
              err, want);
    cr_assert(strstr(err, "unknown sido code '12'") != NULL);
    char *nl = strchr(err, '\n');
    cr_assert(nl != NULL && nl[1] == '\0', "stderr is not a single line: '%s'", err);
    free(err);
    char *out = output("bad", "out");
    cr_assert_str_eq(out, "", "stdout should be empty on error");
    free(out);
    char fresh_db[600];
    snprintf(fresh_db, sizeof fresh_db, "%s/balance.db", out_fresh);
    cr_assert(!tu_exists(fresh_db), "a database was created for a failed run");

    /* the existing store keeps exactly its earlier run */
    snprintf(args, sizeof args, "project --data '%s' --out '%s'", data, out_old);
    cr_assert_eq(run("bad2", args), 2);
    db = open_db(db_old);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runs"), 1);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results"), results_before);
    sqlite3_close(db);
}

Test(cli, missing_table_exit_2, .init = tmp_init, .fini = tmp_fini)
{
    char data[512], args[1024];
    snprintf(data, sizeof data, "%s/data", TMP);
    cr_assert_eq(mkdir(data, 0700), 0);
    cr_assert(tu_link_data(data) >= 10);
    cr_assert_eq(tu_replace_table(data, NULL, "migration_od.csv"), 0);
    snprintf(args, sizeof args, "project --data '%s' --no-store", data);
    cr_assert_eq(run("missing", args), 2);
    char *err = output("missing", "err");
    char want[700];
    snprintf(want, sizeof want, "%s/migration_od.csv: cannot open", data);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "stderr: %s", err);
    free(err);
}

/* Issue 18 part 5: a refused pack exits 2 with one line, file:line: message
   (file: message where no line applies), for columns the model does not read
   too (tests/fixtures/bad, docs/data-validation.md). */
Test(cli, bad_column_exit_2_one_line, .init = tmp_init, .fini = tmp_fini)
{
    static const struct {
        const char *fixture, *table;
        long line;
        const char *words;
    } cases[] = {
        {"vintage_meaning_empty", "vintage.csv", 3, "meaning: empty"},
        {"region_name_utf8", "regions.csv", 3, "name_ko: not valid UTF-8 at byte 1"},
        {"sgg_coverage", "sigungu_totals.csv", 3, "coverage: expected one of"},
        {"sgg_coverage_newline", "sigungu_totals.csv", 4, "found 'resi?dents'"},
        {"labor_unemployment", "labor_force.csv", 3, "unemployment_rate_pct: 104 out of range"},
        {"cluster_date", "industry_clusters.csv", 3, "designation_date: expected YYYY"},
        {"missing_total", "population_base_totals.csv", 0, "missing total for"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char data[512], args[1024], tag[32];
        snprintf(data, sizeof data, "%s/data%zu", TMP, i);
        snprintf(tag, sizeof tag, "col%zu", i);
        cr_assert_eq(mkdir(data, 0700), 0);
        cr_assert(tu_link_data(data) >= 10);
        cr_assert_eq(tu_replace_table(data, cases[i].fixture, cases[i].table), 0);
        snprintf(args, sizeof args, "project --data '%s' --no-store", data);
        const int rc = run(tag, args);
        char *err = output(tag, "err");
        cr_assert_eq(rc, 2, "%s: exit %d, stderr '%s'", cases[i].fixture, rc, err);
        char want[700];
        if (cases[i].line > 0)
            snprintf(want, sizeof want, "%s/%s:%ld: ", data, cases[i].table, cases[i].line);
        else
            snprintf(want, sizeof want, "%s/%s: ", data, cases[i].table);
        cr_assert(strncmp(err, want, strlen(want)) == 0, "stderr '%s' does not start with '%s'",
                  err, want);
        cr_assert(strstr(err, cases[i].words) != NULL, "stderr '%s' lacks '%s'", err,
                  cases[i].words);
        char *nl = strchr(err, '\n');
        cr_assert(nl != NULL && nl[1] == '\0', "stderr is not a single line: '%s'", err);
        free(err);
        char *out = output(tag, "out");
        cr_assert_str_eq(out, "", "stdout should be empty on error");
        free(out);
    }
}

/* ---- (d) usage ---- */

static void expect_usage(const char *tag, const char *args, const char *words)
{
    int rc = run(tag, args);
    char *err = output(tag, "err");
    cr_assert_eq(rc, 2, "'%s' exited %d; stderr: %s", args, rc, err);
    cr_assert(strstr(err, words) != NULL, "'%s': stderr '%s' lacks '%s'", args, err, words);
    free(err);
}

Test(cli, usage_errors, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024];
    snprintf(args, sizeof args, "project --bogus --out '%s/out'", TMP);
    expect_usage("bogus", args, "unknown option '--bogus'");
    snprintf(args, sizeof args, "project --format xml --out '%s/out'", TMP);
    expect_usage("xml", args, "--format");
    snprintf(args, sizeof args, "project --to 2020 --data '%s' --out '%s/out'", tu_data_dir(),
             TMP);
    expect_usage("to", args, "before --from");
    snprintf(args, sizeof args, "project --from 20x5 --out '%s/out'", TMP);
    expect_usage("from", args, "--from");
    snprintf(args, sizeof args, "project --format --out '%s/out'", TMP);
    expect_usage("noval", args, "--format");
    expect_usage("cmd", "frobnicate", "unknown command 'frobnicate'");
    expect_usage("none", "", "Usage");
    /* a future start has no data */
    snprintf(args, sizeof args, "project --from 2031 --data '%s' --out '%s/out'",
             tu_data_dir(), TMP);
    expect_usage("future", args, "after the base year");
    /* --out naming a file; a migration fit of one flow year */
    char file[512];
    snprintf(file, sizeof file, "%s/a_file", TMP);
    FILE *f = fopen(file, "w");
    cr_assert_not_null(f);
    fclose(f);
    snprintf(args, sizeof args, "project --data '%s' --out '%s'", tu_data_dir(), file);
    expect_usage("outfile", args, "is not a directory");
    snprintf(args, sizeof args, "calibrate --from 2020 --to 2020 --data '%s'", tu_data_dir());
    expect_usage("onefit", args, "at least two flow years");
    /* nothing was stored by any of these */
    char db[512];
    snprintf(db, sizeof db, "%s/out/balance.db", TMP);
    cr_assert(!tu_exists(db));
}

Test(cli, help_exits_0, .init = tmp_init, .fini = tmp_fini)
{
    const char *cases[] = {"--help", "project --help", "backtest --help", "help project"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(run("help", cases[i]), 0, "'%s'", cases[i]);
        char *out = output("help", "out");
        cr_assert(strstr(out, "Usage") != NULL, "'%s' printed: %s", cases[i], out);
        free(out);
    }
}

/* ---- (e) CSV ---- */

Test(cli, project_csv, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024];
    snprintf(args, sizeof args, "project --format csv --no-store --data '%s'", tu_data_dir());
    cr_assert_eq(run("csv", args), 0);
    char *out = output("csv", "out");
    const char *head = "year,code,name,level,parent,population";
    cr_assert(strncmp(out, head, strlen(head)) == 0, "header: %.80s", out);
    int lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    cr_assert_eq(lines, 1 + NYEARS * (NSIDO + 1));
    /* national row of the base year, population 51,164,582 */
    cr_assert(strstr(out, "\n2025,00,Korea,nation,,51164582,") != NULL);
    cr_assert(strstr(out, "\n2025,11,Seoul,sido,,9325616,") != NULL);
    free(out);
}

/* ---- (f) backtest ---- */

Test(cli, backtest_json, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024];
    snprintf(args, sizeof args, "backtest --format json --data '%s'", tu_data_dir());
    int rc = run("bt", args);
    char *err = output("bt", "err");
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    free(err);
    char *text = output("bt", "out");
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    free(text);
    cr_assert_not_null(root, "%s", jerr.text);
    cr_assert_eq(json_integer_value(json_object_get(root, "from")), 2015);
    /* to the base population of end-June 2025; 2024: the end-2023 total plus
       the residents-only change (backtest.c) */
    cr_assert_eq(json_integer_value(json_object_get(root, "to")), 2025);
    json_t *mape = json_object_get(root, "mape_pct");
    json_t *years = json_object_get(root, "years");
    json_t *at = json_object_get(root, "observed_at");
    cr_assert(json_is_array(mape));
    cr_assert_eq(json_array_size(mape), 10);
    cr_assert_eq(json_array_size(years), 10);
    cr_assert_eq(json_array_size(json_object_get(root, "naive_constant_national_error_pct")), 10);
    for (size_t k = 0; k < 10; k++) {
        double v = json_number_value(json_array_get(mape, k));
        cr_assert(json_is_number(json_array_get(mape, k)) && v >= 0.0 && v < 25.0, "mape %g", v);
    }
    cr_assert_str_eq(json_string_value(json_array_get(at, 0)), "2016-12");
    cr_assert_str_eq(json_string_value(json_array_get(at, 9)), "2025-06");
    cr_assert(json_is_array(json_object_get(root, "naive_constant_national_error_pct")));
    json_t *regs = json_object_get(root, "regions");
    cr_assert_eq(json_array_size(regs), NSIDO);
    /* observed Seoul 2016 year-end total from population_totals.csv: 9,930,616 */
    json_t *seoul = json_array_get(regs, 0);
    cr_assert_str_eq(json_string_value(json_object_get(seoul, "code")), "11");
    cr_assert_eq(json_number_value(json_array_get(json_object_get(seoul, "observed"), 0)),
                 9930616.0);
    json_decref(root);
}

/* ---- (g) store atomicity ---- */

Test(cli, store_failure_rolls_back, .init = tmp_init, .fini = tmp_fini)
{
    char out_dir[512], db_path[600], args[1024];
    snprintf(out_dir, sizeof out_dir, "%s/out", TMP);
    cr_assert_eq(mkdir(out_dir, 0700), 0);
    snprintf(db_path, sizeof db_path, "%s/balance.db", out_dir);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
    const char *setup =
        "CREATE TABLE runs("
        " id INTEGER PRIMARY KEY, created_utc TEXT NOT NULL, command TEXT, data_dir TEXT,"
        " level TEXT NOT NULL, scenario TEXT NOT NULL, draw INTEGER NOT NULL,"
        " base_year INTEGER NOT NULL, final_year INTEGER NOT NULL, version TEXT NOT NULL);"
        "INSERT INTO runs VALUES(1, '2025-07-01T00:00:00Z', 'earlier', 'data/kr', 'sido',"
        " 'status_quo', 0, 2025, 2052, '0.1.0');"
        /* schema 2 with one indicator column that refuses every value: the
           run adds the other columns and the view, then fails mid-insert */
        "CREATE TABLE results_wide("
        " run_id INTEGER NOT NULL, year INTEGER NOT NULL, region TEXT NOT NULL,"
        " population REAL CHECK(population < 0), PRIMARY KEY(run_id, region, year));"
        "PRAGMA user_version = 2;";
    cr_assert_eq(sqlite3_exec(db, setup, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_close(db);

    snprintf(args, sizeof args, "project --data '%s' --out '%s'", tu_data_dir(), out_dir);
    int rc = run("atomic", args);
    char *err = output("atomic", "err");
    cr_assert_eq(rc, 1, "exit %d, stderr: %s", rc, err);
    cr_assert(strncmp(err, "balance: ", 9) == 0, "stderr: %s", err);
    cr_assert(strstr(err, "CHECK constraint") != NULL, "stderr: %s", err);
    free(err);

    db = open_db(db_path);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runs"), 1);
    cr_assert_eq(q_int(db, "SELECT max(id) FROM runs"), 1);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results_wide"), 0);
    /* what the failed run changed in the schema is rolled back too: the
       columns it added, the view, or tables it created are gone or empty */
    cr_assert_eq(q_int(db, "SELECT count(*) FROM pragma_table_info('results_wide')"), 4);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'results'"), 0);
    if (q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'regions'") > 0)
        cr_assert_eq(q_int(db, "SELECT count(*) FROM regions"), 0);
    if (q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'run_params'") > 0)
        cr_assert_eq(q_int(db, "SELECT count(*) FROM run_params"), 0);
    sqlite3_close(db);
}

/* README: `--from Y` for 2013 <= Y <= 2023 starts from the observed end-Y
   population; 2012 lacks the end-2011 Sejong women needed for fertility. */
Test(cli, from_year_range, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024];
    snprintf(args, sizeof args, "project --from 2013 --to 2016 --no-store --format csv --data '%s'",
             tu_data_dir());
    int rc = run("from2013", args);
    char *err = output("from2013", "err");
    cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
    free(err);
    char *out = output("from2013", "out");
    /* 2013 start = observed end-2013 Seoul total in population_totals.csv: 10,143,645 */
    cr_assert(strstr(out, "\n2013,11,Seoul,sido,,10143645,") != NULL, "%.300s", out);
    cr_assert(strstr(out, "\n2016,00,Korea,") != NULL);
    free(out);
    snprintf(args, sizeof args, "project --from 2023 --to 2024 --no-store --data '%s'",
             tu_data_dir());
    cr_assert_eq(run("from2023", args), 0);
    snprintf(args, sizeof args, "project --from 2012 --no-store --data '%s'", tu_data_dir());
    cr_assert_eq(run("from2012", args), 2);
}

/* ---- (d) defects (issue 13) ---- */

/* A region table with more sido than BAL_MAX_SIDO: file:line on stderr, exit 2. */
Test(cli, too_many_sido_exit_2, .init = tmp_init, .fini = tmp_fini)
{
    char data[512], args[1024];
    snprintf(data, sizeof data, "%s/data", TMP);
    cr_assert_eq(mkdir(data, 0700), 0);
    cr_assert(tu_link_data(data) >= 10);
    cr_assert_eq(tu_replace_table(data, "too_many_sido", "regions.csv"), 0);
    snprintf(args, sizeof args, "project --no-store --data '%s'", data);
    cr_assert_eq(run("sido", args), 2);
    char *err = output("sido", "err");
    char want[700];
    snprintf(want, sizeof want, "%s/regions.csv:66: too many sido: at most 64", data);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "stderr '%s' does not start with '%s'", err,
              want);
    free(err);
}

/* JSON of `balance ARGS` (tag), parsed; asserts exit 0. */
static json_t *run_json(const char *tag, const char *args)
{
    int rc = run(tag, args);
    char *err = output(tag, "err");
    cr_assert_eq(rc, 0, "%s: exit %d: %s", args, rc, err);
    free(err);
    char *out = output(tag, "out");
    json_error_t e;
    json_t *root = json_loads(out, 0, &e);
    cr_assert_not_null(root, "%s: %s", args, e.text);
    free(out);
    return root;
}

/* --migration-model pivot runs the coupled economy too: GRDP and fiscal
   indicators are numbers, and the population path is that of --no-economy. */
Test(cli, pivot_keeps_economy, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024];
    snprintf(args, sizeof args,
             "project --no-store --format json --to 2030 --migration-model pivot --data '%s'",
             tu_data_dir());
    json_t *a = run_json("pivot", args);
    snprintf(args, sizeof args,
             "project --no-store --format json --to 2030 --migration-model pivot --no-economy "
             "--data '%s'",
             tu_data_dir());
    json_t *b = run_json("pivot_noecon", args);
    json_t *na = json_object_get(a, "national"), *nb = json_object_get(b, "national");
    static const char *const econ[] = {"grdp", "employment", "fiscal_self_reliance", "schools"};
    for (size_t i = 0; i < sizeof econ / sizeof econ[0]; i++) {
        json_t *v = json_object_get(na, econ[i]);
        cr_assert(json_is_array(v) && json_array_size(v) == 6, "%s", econ[i]);
        for (size_t k = 0; k < 6; k++)
            cr_assert(json_is_number(json_array_get(v, k)), "national %s[%zu] is not a number",
                      econ[i], k);
        cr_assert(json_is_null(json_array_get(json_object_get(nb, econ[i]), 5)),
                  "--no-economy: %s should be empty", econ[i]);
    }
    json_t *ra = json_object_get(a, "regions"), *rb = json_object_get(b, "regions");
    cr_assert_eq(json_array_size(ra), NSIDO);
    for (size_t r = 0; r < NSIDO; r++) {
        json_t *g = json_object_get(json_array_get(ra, r), "grdp");
        cr_assert(json_is_number(json_array_get(g, 5)), "region %zu grdp 2030", r);
        json_t *pa = json_object_get(json_array_get(ra, r), "population");
        json_t *pb = json_object_get(json_array_get(rb, r), "population");
        for (size_t k = 0; k < 6; k++)
            cr_assert_eq(json_number_value(json_array_get(pa, k)),
                         json_number_value(json_array_get(pb, k)), "region %zu year %zu", r, k);
    }
    json_decref(a);
    json_decref(b);
}

/* --migration-window: the data have 12 usable years up to 2025 (2013-2024):
   12 pools them all, 13 is refused instead of silently pooling 12; from 2015
   (a backtest) 3 is the most. */
Test(cli, migration_window_limit, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024];
    snprintf(args, sizeof args,
             "project --no-store --format json --to 2027 --migration-window 12 --data '%s'",
             tu_data_dir());
    json_t *a = run_json("w8", args);
    json_t *par = json_object_get(a, "parameters");
    cr_assert_eq(json_number_value(json_object_get(par, "migration_years_from")), 2013.0);
    cr_assert_eq(json_number_value(json_object_get(par, "migration_years_to")), 2024.0);
    json_decref(a);
    snprintf(args, sizeof args, "project --no-store --to 2027 --migration-window 13 --data '%s'",
             tu_data_dir());
    cr_assert_eq(run("w9", args), 2);
    char *err = output("w9", "err");
    cr_assert(strstr(err, "migration window of 13 years: the data have only 12 years up to 2025") !=
                  NULL,
              "stderr: %s", err);
    cr_assert(strstr(err, "(2013-2024); use 1..12") != NULL, "stderr: %s", err);
    free(err);
    char *out = output("w9", "out");
    cr_assert_str_eq(out, "");
    free(out);
    snprintf(args, sizeof args, "backtest --from 2015 --migration-window 3 --data '%s'",
             tu_data_dir());
    cr_assert_eq(run("b3", args), 0);
    snprintf(args, sizeof args, "backtest --from 2015 --migration-window 4 --data '%s'",
             tu_data_dir());
    cr_assert_eq(run("b4", args), 2);
    err = output("b4", "err");
    cr_assert(strstr(err, "only 3 years up to 2015") != NULL, "stderr: %s", err);
    free(err);
}

/* --region with --format csv|json: only that region's rows, plus the nation. */
Test(cli, region_filters_csv_json, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024];
    snprintf(args, sizeof args,
             "project --no-store --format csv --to 2027 --region 26 --data '%s'", tu_data_dir());
    cr_assert_eq(run("csv", args), 0);
    char *out = output("csv", "out");
    int rows = 0, busan = 0, nation = 0;
    for (char *l = strchr(out, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
        rows++;
        busan += strncmp(strchr(l + 1, ',') + 1, "26,", 3) == 0;
        nation += strncmp(strchr(l + 1, ',') + 1, "00,", 3) == 0;
    }
    cr_assert_eq(busan, 3, "%.400s", out);
    cr_assert_eq(nation, 3);
    cr_assert_eq(rows, 6, "only Busan and the nation: %d rows", rows);
    free(out);

    snprintf(args, sizeof args,
             "project --no-store --format json --to 2027 --region 47940 --data '%s'",
             tu_data_dir());
    json_t *a = run_json("json", args);
    json_t *regs = json_object_get(a, "regions");
    cr_assert_eq(json_array_size(regs), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(regs, 0), "code")),
                     "47940");
    cr_assert_str_eq(json_string_value(json_object_get(a, "level")), "sigungu");
    cr_assert_eq(json_array_size(json_object_get(json_object_get(a, "national"), "population")),
                 3);
    json_decref(a);

    snprintf(args, sizeof args,
             "project --no-store --format json --to 2027 --region 00 --data '%s'", tu_data_dir());
    a = run_json("nation", args);
    cr_assert_eq(json_array_size(json_object_get(a, "regions")), 0);
    json_decref(a);
}

/* compare scenarios/STAR.yaml: the status quo file sets no lever, so it is the
   baseline [0] and not a second column: baseline + the 8 policy files. */
Test(cli, compare_status_quo_once, .init = tmp_init, .fini = tmp_fini)
{
    char root[1024], args[2048];
    cr_assert_eq(tu_abspath(tu_data_dir(), root, sizeof root), 0);
    *strstr(root, "/data/kr") = '\0';
    snprintf(args, sizeof args,
             "compare --no-store --level sido --format json --data '%s' %s/scenarios/*.yaml",
             tu_data_dir(), root);
    json_t *a = run_json("json", args);
    json_t *sc = json_object_get(a, "scenarios");
    cr_assert_eq(json_array_size(sc), 9, "%zu scenario objects", json_array_size(sc));
    int nbase = 0, nsq = 0;
    for (size_t i = 0; i < json_array_size(sc); i++) {
        json_t *s = json_array_get(sc, i);
        nbase += json_is_true(json_object_get(s, "baseline"));
        nsq += strcmp(json_string_value(json_object_get(s, "name")), "status_quo") == 0;
    }
    cr_assert_eq(nbase, 1);
    cr_assert_eq(nsq, 1, "status_quo listed %d times", nsq);
    json_decref(a);
    snprintf(args, sizeof args, "compare --no-store --level sido --data '%s' %s/scenarios/*.yaml",
             tu_data_dir(), root);
    cr_assert_eq(run("table", args), 0);
    char *out = output("table", "out");
    cr_assert(strstr(out, "  [8] metropolises_delayed") != NULL);
    cr_assert(strstr(out, "[9]") == NULL, "a tenth column");
    cr_assert(strstr(out, "status_quo.yaml sets no lever: it is the baseline [0]") != NULL);
    free(out);
}
