/*
 * test_store.c — the SQLite results store's layout (schema 2) through the
 * built CLI: one wide row per run, year and region in results_wide, the
 * long-form `results` view equal to the long form the store wrote before
 * (rebuilt here from the JSON export by the old rule), a schema-1 file
 * migrated or refused, a column added when the indicator table grows.
 * Atomicity: cli/store_failure_rolls_back (test_cli.c).
 */
#include "testcli.h"

#include "balance/indicators.h"
#include "balance/run.h"
#include "balance/store.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NYEARS 28 /* 2025..2052 */
#define NSIDO 17

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                 SQLITE_OK,
                 "cannot open %s", path);
    return db;
}

static void exec_ok(sqlite3 *db, const char *sql)
{
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(db));
}

/* TMP/out/balance.db into path; creates TMP/out. */
static void db_path_in_tmp(char *path, size_t n)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/out", TMP);
    cr_assert_eq(mkdir(dir, 0700), 0);
    snprintf(path, n, "%s/balance.db", dir);
}

/* The schema-1 (long form) store of earlier versions, with one run. */
static const char *SCHEMA1 =
    "CREATE TABLE runs("
    " id INTEGER PRIMARY KEY, created_utc TEXT NOT NULL, command TEXT, data_dir TEXT,"
    " level TEXT NOT NULL, scenario TEXT NOT NULL, draw INTEGER NOT NULL,"
    " base_year INTEGER NOT NULL, final_year INTEGER NOT NULL, version TEXT NOT NULL);"
    "CREATE TABLE run_params("
    " run_id INTEGER NOT NULL REFERENCES runs(id), key TEXT NOT NULL, value REAL,"
    " PRIMARY KEY(run_id, key));"
    "CREATE TABLE regions("
    " run_id INTEGER NOT NULL REFERENCES runs(id), code TEXT NOT NULL, level TEXT NOT NULL,"
    " parent TEXT, name_en TEXT, name_ko TEXT, capital_region INTEGER NOT NULL,"
    " PRIMARY KEY(run_id, code));"
    "CREATE TABLE results("
    " run_id INTEGER NOT NULL REFERENCES runs(id), year INTEGER NOT NULL,"
    " region TEXT NOT NULL, indicator TEXT NOT NULL, value REAL);"
    "CREATE INDEX results_run ON results(run_id);"
    "INSERT INTO runs VALUES(1, '2025-07-01T00:00:00Z', 'earlier', 'data/kr', 'sido',"
    " 'status_quo', 0, 2025, 2026, '0.1.0');"
    "INSERT INTO results VALUES(1, 2025, '11', 'population', 9325616),"
    " (1, 2026, '11', 'population', 9301234.5), (1, 2026, '11', 'births', 38123),"
    " (1, 2025, '11', 'fiscal_self_reliance', NULL), (1, 2025, '00', 'gdp', 2165.7173),"
    " (1, 2026, '00', 'capital_region_share', 51.0123);";

/* Add to `long_form` the rows the schema-1 store wrote for one region's (or
   the nation's) object of the JSON export: every indicator array, a row per
   year with NULL for null, but none for a flow's first year. */
static void long_rows(sqlite3_stmt *ins, const char *code, json_t *obj)
{
    const char *key;
    json_t *arr;
    json_object_foreach(obj, key, arr) {
        const int j = bal_indicator_find(key);
        if (j < 0 || !json_is_array(arr))
            continue; /* name, code, area_km2, ... */
        for (size_t k = 0; k < json_array_size(arr); k++) {
            if (j >= BAL_IND_FIRST_FLOW && j < BAL_NIND && k == 0)
                continue;
            json_t *v = json_array_get(arr, k);
            sqlite3_reset(ins);
            sqlite3_bind_int(ins, 1, 2025 + (int)k);
            sqlite3_bind_text(ins, 2, code, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 3, key, -1, SQLITE_STATIC);
            if (json_is_number(v))
                sqlite3_bind_double(ins, 4, json_number_value(v));
            else
                sqlite3_bind_null(ins, 4);
            cr_assert_eq(sqlite3_step(ins), SQLITE_DONE);
        }
    }
}

/* One sido run to 2052 with the store and the JSON: results_wide holds one
   row per year and region; the `results` view lists exactly the rows of the
   schema-1 long form, with the JSON's values. */
Test(store, view_equals_long_form_and_json, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024], db_path[512];
    snprintf(args, sizeof args, "project --format json --data '%s' --out '%s/out'",
             tu_data_dir(), TMP);
    snprintf(db_path, sizeof db_path, "%s/out/balance.db", TMP);
    int rc = run("json", args);
    char *err = output("json", "err");
    cr_assert_eq(rc, 0, "exit %d, stderr: %s", rc, err);
    free(err);
    char *text = output("json", "out");
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    free(text);
    cr_assert_not_null(root, "JSON line %d: %s", jerr.line, jerr.text);

    sqlite3 *db = open_db(db_path);
    cr_assert_eq(q_int(db, "PRAGMA user_version"), 2);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'results' AND "
                           "type = 'view'"),
                 1);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results_wide WHERE run_id = 1"),
                 NYEARS * (NSIDO + 1));

    /* rows per indicator: every region and year; flows from the second year;
       national series of the nation only, when the run has them */
    for (int j = 0; j < BAL_NIND_ALL; j++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM results WHERE run_id = 1 AND "
                                  "indicator = '%s'", bal_indicator_name(j));
        long long want = j < BAL_IND_FIRST_FLOW ? NYEARS * (NSIDO + 1)
                         : j < BAL_NIND         ? (NYEARS - 1) * (NSIDO + 1)
                         : (j >= BAL_IND_AT_RISK && j <= BAL_IND_POP_LOSS_30) ||
                                 j == BAL_IND_COST_CUMULATIVE
                             ? 0 /* sigungu runs only; not in a report */
                             : NYEARS;
        cr_expect_eq(q_int(db, sql), want, "%s", sql);
    }
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE indicator = 'gdp' AND "
                           "region <> '00'"),
                 0);
    /* a few values as the JSON writes them */
    json_t *nat = json_object_get(root, "national");
    cr_assert_eq(q_double(db, "SELECT value FROM results WHERE region = '00' AND "
                              "indicator = 'gdp' AND year = 2025"),
                 json_number_value(json_array_get(json_object_get(nat, "gdp"), 0)));
    cr_assert_eq(q_double(db, "SELECT value FROM results WHERE region = '00' AND "
                              "indicator = 'capital_region_share' AND year = 2052"),
                 json_number_value(
                     json_array_get(json_object_get(nat, "capital_region_share"), NYEARS - 1)));
    json_t *seoul = json_array_get(json_object_get(root, "regions"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(seoul, "code")), "11");
    cr_assert_eq(q_double(db, "SELECT value FROM results WHERE region = '11' AND "
                              "indicator = 'population' AND year = 2040"),
                 json_number_value(json_array_get(json_object_get(seoul, "population"), 15)));
    cr_assert_eq(q_double(db, "SELECT births FROM results_wide WHERE region = '11' AND "
                              "year = 2030"),
                 json_number_value(json_array_get(json_object_get(seoul, "births"), 5)));

    /* the long form of schema 1, rebuilt from the JSON by its rule, equals
       the view: same count, no row of either missing in the other, same sum */
    exec_ok(db, "CREATE TEMP TABLE long_form(year INTEGER, region TEXT, indicator TEXT,"
                " value REAL)");
    sqlite3_stmt *ins = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO long_form VALUES(?,?,?,?)", -1, &ins, NULL),
                 SQLITE_OK);
    exec_ok(db, "BEGIN");
    json_t *regs = json_object_get(root, "regions");
    for (size_t i = 0; i < json_array_size(regs); i++) {
        json_t *g = json_array_get(regs, i);
        long_rows(ins, json_string_value(json_object_get(g, "code")), g);
    }
    long_rows(ins, "00", nat);
    exec_ok(db, "COMMIT");
    sqlite3_finalize(ins);
    const long long n = q_int(db, "SELECT count(*) FROM long_form");
    cr_assert_gt(n, 10000);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE run_id = 1"), n);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM (SELECT year, region, indicator, value FROM "
                           "results WHERE run_id = 1 EXCEPT SELECT * FROM long_form)"),
                 0);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM (SELECT * FROM long_form EXCEPT SELECT year,"
                           " region, indicator, value FROM results WHERE run_id = 1)"),
                 0);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE value IS NULL"),
                 q_int(db, "SELECT count(*) FROM long_form WHERE value IS NULL"));
    /* (sums in different orders: equal to rounding) */
    const double sum = q_double(db, "SELECT total(value) FROM long_form");
    cr_assert(fabs(q_double(db, "SELECT total(value) FROM results WHERE run_id = 1") - sum) <=
                  1e-12 * fabs(sum),
              "checksum");
    sqlite3_close(db);
    json_decref(root);
}

/* A schema-1 file: its rows move into results_wide (the same values in the
   view), the long-form table and its index go, the new run is appended. */
Test(store, migrates_long_form, .init = tmp_init, .fini = tmp_fini)
{
    char db_path[512], args[1024];
    db_path_in_tmp(db_path, sizeof db_path);
    sqlite3 *db = open_db(db_path);
    exec_ok(db, SCHEMA1);
    sqlite3_close(db);

    snprintf(args, sizeof args, "project --to 2027 --data '%s' --out '%s/out'", tu_data_dir(),
             TMP);
    int rc = run("migrate", args);
    char *err = output("migrate", "err");
    cr_assert_eq(rc, 0, "exit %d, stderr: %s", rc, err);
    free(err);

    db = open_db(db_path);
    cr_assert_eq(q_int(db, "PRAGMA user_version"), 2);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'results' AND "
                           "type = 'view'"),
                 1);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'results_run'"), 0);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runs"), 2);
    /* run 1: three wide rows ('00' 2025, 2026; '11' 2025, 2026), the five
       values, and the NULL still a row */
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results_wide WHERE run_id = 1"), 4);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE run_id = 1 AND value IS NOT NULL"),
                 5);
    cr_assert_eq(q_double(db, "SELECT value FROM results WHERE run_id = 1 AND region = '11' AND "
                              "indicator = 'population' AND year = 2026"),
                 9301234.5);
    cr_assert_eq(q_double(db, "SELECT value FROM results WHERE run_id = 1 AND region = '11' AND "
                              "indicator = 'births' AND year = 2026"),
                 38123.0);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE run_id = 1 AND "
                           "indicator = 'births'"),
                 1);
    cr_assert_eq(q_double(db, "SELECT value FROM results WHERE run_id = 1 AND region = '00' AND "
                              "indicator = 'gdp' AND year = 2025"),
                 2165.7173);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE run_id = 1 AND "
                           "indicator = 'fiscal_self_reliance' AND region = '11' AND year = 2025 "
                           "AND value IS NULL"),
                 1);
    /* run 2 as any run */
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE run_id = 2 AND "
                           "indicator = 'population'"),
                 3 * (NSIDO + 1));
    sqlite3_close(db);
}

/* A schema-1 file with an indicator this version does not store, or a file
   of a newer schema: exit 2, the file named, nothing written. */
Test(store, refuses_what_it_cannot_migrate, .init = tmp_init, .fini = tmp_fini)
{
    char db_path[512], args[1024];
    db_path_in_tmp(db_path, sizeof db_path);
    sqlite3 *db = open_db(db_path);
    exec_ok(db, SCHEMA1);
    exec_ok(db, "INSERT INTO results VALUES(1, 2025, '00', 'gdp_old_base', 1.5)");
    sqlite3_close(db);

    snprintf(args, sizeof args, "project --format json --to 2027 --data '%s' --out '%s/out'",
             tu_data_dir(), TMP);
    int rc = run("refuse", args);
    char *err = output("refuse", "err");
    cr_assert_eq(rc, 2, "exit %d, stderr: %s", rc, err);
    cr_assert(strstr(err, db_path) != NULL, "stderr: %s", err);
    cr_assert(strstr(err, "gdp_old_base") != NULL, "stderr: %s", err);
    cr_assert(strstr(err, "move the file aside") != NULL, "stderr: %s", err);
    free(err);
    char *out = output("refuse", "out");
    cr_assert_str_eq(out, "");
    free(out);
    db = open_db(db_path);
    cr_assert_eq(q_int(db, "PRAGMA user_version"), 0);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'results' AND "
                           "type = 'table'"),
                 1);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'results_wide'"), 0);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results"), 7);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runs"), 1);
    /* a newer schema */
    exec_ok(db, "DROP TABLE results; PRAGMA user_version = 3");
    sqlite3_close(db);
    rc = run("newer", args);
    err = output("newer", "err");
    cr_assert_eq(rc, 2, "exit %d, stderr: %s", rc, err);
    cr_assert(strstr(err, db_path) != NULL && strstr(err, "newer") != NULL, "stderr: %s", err);
    free(err);
    db = open_db(db_path);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM runs"), 1);
    cr_assert_eq(q_int(db, "PRAGMA user_version"), 3);
    sqlite3_close(db);
}

/* The indicator table grew since the file was written (simulated: a file
   without the physicians column and a view without it): the run adds the
   column, earlier runs hold NULL in it, the view lists it again. */
Test(store, adds_column_for_new_indicator, .init = tmp_init, .fini = tmp_fini)
{
    char db_path[512], args[1024];
    snprintf(db_path, sizeof db_path, "%s/out/balance.db", TMP);
    snprintf(args, sizeof args, "project --to 2027 --data '%s' --out '%s/out'", tu_data_dir(),
             TMP);
    cr_assert_eq(run("first", args), 0);
    sqlite3 *db = open_db(db_path);
    const long long ncol = q_int(db, "SELECT count(*) FROM pragma_table_info('results_wide')");
    exec_ok(db, "DROP VIEW results;"
                "ALTER TABLE results_wide DROP COLUMN physicians;"
                "CREATE VIEW results(run_id, year, region, indicator, value) AS"
                " SELECT run_id, year, region, 'population', population FROM results_wide;");
    sqlite3_close(db);

    int rc = run("second", args);
    char *err = output("second", "err");
    cr_assert_eq(rc, 0, "exit %d, stderr: %s", rc, err);
    free(err);
    db = open_db(db_path);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM pragma_table_info('results_wide')"), ncol);
    cr_assert_eq(q_int(db, "SELECT count(*) FROM pragma_table_info('results_wide') WHERE "
                           "name = 'physicians'"),
                 1);
    cr_assert_eq(q_int(db, "SELECT count(physicians) FROM results_wide WHERE run_id = 1"), 0);
    cr_assert_eq(q_int(db, "SELECT count(physicians) FROM results_wide WHERE run_id = 2"),
                 3 * (NSIDO + 1));
    cr_assert_eq(q_int(db, "SELECT count(*) FROM results WHERE run_id = 2 AND "
                           "indicator = 'physicians' AND value > 0"),
                 3 * (NSIDO + 1));
    cr_assert_eq(q_int(db, "SELECT count(DISTINCT indicator) FROM results WHERE run_id = 2"),
                 q_int(db, "SELECT count(DISTINCT indicator) FROM results WHERE run_id = 1"));
    sqlite3_close(db);
}

/* bal_store_write_batch: n runs in one transaction. A batch whose last run
   cannot be written (two parameters with one key break run_params' primary
   key) leaves nothing of the batch; a new file is created with its schema
   and no temporary file is left. */
Test(store, batch_all_or_none, .init = tmp_init, .fini = tmp_fini)
{
    char path[600];
    db_path_in_tmp(path, sizeof path);
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    cr_assert_eq(bal_datapack_load(ctx, tu_data_dir(), &pk), BAL_OK, "%s", bal_ctx_message(ctx));
    bal_run_opts o;
    bal_run_opts_default(&o, &pk);
    o.to = pk.base_year + 2;
    bal_run r;
    cr_assert_eq(bal_run_project(ctx, &pk, &o, &r), BAL_OK, "%s", bal_ctx_message(ctx));
    const bal_run_param good[] = {{"a", 1.0, NULL}}, dup[] = {{"a", 1.0, NULL}, {"a", 2.0, NULL}};
    const bal_run_info ia = {"test", "data", "one", good, 1};
    const bal_run_info ib = {"test", "data", "two", good, 1};
    const bal_run_info ibad = {"test", "data", "bad", dup, 2};
    bal_store_item items[3] = {{&ia, &pk.regions, &r.report},
                               {&ib, &pk.regions, &r.report},
                               {&ibad, &pk.regions, &r.report}};
    int64_t ids[3] = {0, 0, 0};
    cr_assert_eq(bal_store_write_batch(ctx, path, items, 2, ids), BAL_OK, "%s",
                 bal_ctx_message(ctx));
    cr_assert_eq(ids[0] + 1, ids[1]);
    /* the failing batch: nothing of it remains */
    cr_assert_eq(bal_store_write_batch(ctx, path, items, 3, ids), BAL_ESTORE);
    cr_assert(strstr(bal_ctx_message(ctx), "insert parameter") != NULL, "%s",
              bal_ctx_message(ctx));
    sqlite3 *db = open_db(path);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*), count(DISTINCT scenario) FROM runs", -1,
                                    &st, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(st, 0), 2, "runs: %d", sqlite3_column_int(st, 0));
    sqlite3_finalize(st);
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(DISTINCT run_id) FROM results_wide", -1,
                                    &st, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(st, 0), 2);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* a new file whose only batch fails still has its schema */
    char path2[700];
    snprintf(path2, sizeof path2, "%s.second", path);
    cr_assert_eq(bal_store_write_batch(ctx, path2, items + 2, 1, ids), BAL_ESTORE);
    db = open_db(path2);
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM runs", -1, &st, NULL), SQLITE_OK,
                 "no runs table: %s", sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_assert_eq(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    char tmpf[800];
    snprintf(tmpf, sizeof tmpf, "%s.new-%ld", path2, (long)getpid());
    struct stat sb;
    cr_assert_neq(stat(tmpf, &sb), 0, "temporary file left: %s", tmpf);
    bal_run_release(ctx, &r);
    bal_datapack_release(ctx, &pk);
    bal_ctx_free(ctx);
}

/* A compare killed (SIGKILL) at various moments never leaves part of its
   batch: the store holds 0 or all 9 runs of a compare of the 8 shipped
   scenarios (status quo included once), and a file that exists has its
   tables. The kill times sweep the run; whether each lands before, during
   or after the write does not matter, only the outcome. */
Test(store, killed_compare_leaves_no_partial_batch, .init = tmp_init, .fini = tmp_fini,
     .timeout = 240)
{
    const char *delays_ms[] = {"0.3", "0.6", "0.9", "1.2", "1.6", "2.5"};
    for (size_t t = 0; t < sizeof delays_ms / sizeof delays_ms[0]; t++) {
        char out[512], db[600], cmd[4096];
        snprintf(out, sizeof out, "%s/kill%zu", TMP, t);
        snprintf(db, sizeof db, "%s/balance.db", out);
        snprintf(cmd, sizeof cmd,
                 "'%s' compare --data '%s' --out '%s' scenarios/*.yaml > /dev/null 2>&1 & "
                 "pid=$!; sleep %s; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; exit 0",
                 bin(), tu_data_dir(), out, delays_ms[t]);
        cr_assert_eq(system(cmd), 0);
        struct stat sb;
        if (stat(db, &sb) != 0)
            continue; /* killed before the store was created */
        sqlite3 *h = open_db(db);
        sqlite3_stmt *st;
        cr_assert_eq(sqlite3_prepare_v2(h, "SELECT count(*) FROM runs", -1, &st, NULL), SQLITE_OK,
                     "store without its tables after a kill at %s s: %s", delays_ms[t],
                     sqlite3_errmsg(h));
        cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
        const int runs = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(h);
        cr_assert(runs == 0 || runs == 9, "kill at %s s left %d runs", delays_ms[t], runs);
    }
}
