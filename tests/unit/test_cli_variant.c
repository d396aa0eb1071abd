/*
 * test_cli_variant.c — `--variant` through the command line (issue 14): the
 * variant and the population concept in the JSON parameters, the table
 * header and the store; `--to` beyond the release's horizon refused (exit
 * 2); a KOSTAT variant refused for a start before its publication; an
 * unknown name refused.
 */
#include "testcli.h"

#include <jansson.h>
#include <string.h>

static void expect_exit2(const char *tag, const char *args, const char *words)
{
    int rc = run(tag, args);
    char *err = output(tag, "err");
    cr_assert_eq(rc, 2, "'%s' exited %d; stderr: %s", args, rc, err);
    cr_assert(strstr(err, words) != NULL, "'%s': stderr '%s' lacks '%s'", args, err, words);
    free(err);
}

Test(cli_variant, refusals, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024];
    snprintf(args, sizeof args, "project --to 2080 --no-economy --data '%s' --no-store",
             tu_data_dir());
    expect_exit2("to", args,
                 "--to 2080 is after 2072, the last year of KOSTAT's 2022-based assumptions "
                 "(variant kostat-medium)");
    snprintf(args, sizeof args,
             "project --variant kostat-low --from 2019 --no-economy --data '%s' --no-store",
             tu_data_dir());
    expect_exit2("from", args, "published in 2023, after the start 2019");
    snprintf(args, sizeof args, "project --variant medium --data '%s' --no-store", tu_data_dir());
    expect_exit2("name", args, "expected constant, kostat-medium, kostat-high or kostat-low");
    /* constant runs past 2072 */
    snprintf(args, sizeof args,
             "project --variant constant --to 2080 --no-economy --data '%s' --no-store",
             tu_data_dir());
    cr_assert_eq(run("const", args), 0);
}

Test(cli_variant, recorded_everywhere, .init = tmp_init, .fini = tmp_fini)
{
    char args[1024], db_path[512];
    snprintf(args, sizeof args,
             "project --variant kostat-high --no-economy --format json --data '%s' --out '%s/out'",
             tu_data_dir(), TMP);
    cr_assert_eq(run("json", args), 0);
    char *out = output("json", "out");
    json_error_t e;
    json_t *root = json_loads(out, 0, &e);
    free(out);
    cr_assert_not_null(root, "%s", e.text);
    json_t *pars = json_object_get(root, "parameters");
    cr_assert_str_eq(json_string_value(json_object_get(pars, "variant")), "kostat-high");
    cr_assert(strstr(json_string_value(json_object_get(pars, "population_concept")),
                     "Korean nationals") != NULL);
    cr_assert_eq(json_real_value(json_object_get(pars, "variant_tfr_ultimate")), 1.34);
    cr_assert_eq(json_real_value(json_object_get(pars, "tfr_national")), 0.799);
    json_decref(root);
    /* the store: run_params holds the variant as text */
    snprintf(db_path, sizeof db_path, "%s/out/balance.db", TMP);
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, "SELECT value FROM run_params WHERE key = 'variant'", -1,
                                    &st, NULL),
                 SQLITE_OK);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "kostat-high");
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* the table header: the default variant and the concept */
    snprintf(args, sizeof args, "project --no-economy --data '%s' --no-store", tu_data_dir());
    cr_assert_eq(run("table", args), 0);
    out = output("table", "out");
    cr_assert(strstr(out, "Variant: kostat-medium (KOSTAT 2022-based assumptions to 2072") != NULL,
              "%s", out);
    cr_assert(strstr(out, "Population: resident registration population of Korean nationals") !=
              NULL);
    free(out);
}
