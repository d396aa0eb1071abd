/*
 * store.c — results in SQLite, one transaction per run.
 */
#include "balance/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#define BALANCE_VERSION "0.1.0"

/* PRAGMA user_version of the layout this file writes: 2 = the wide
   `results_wide` table with the `results` view. 0 with a `results` table is
   the long form of earlier versions (migrated on the first write); 0 with
   no tables is a new file. */
enum { SCHEMA_VERSION = 2 };

static const char *SCHEMA =
    "CREATE TABLE IF NOT EXISTS runs("
    " id INTEGER PRIMARY KEY, created_utc TEXT NOT NULL, command TEXT, data_dir TEXT,"
    " level TEXT NOT NULL, scenario TEXT NOT NULL, draw INTEGER NOT NULL,"
    " base_year INTEGER NOT NULL, final_year INTEGER NOT NULL, version TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS run_params("
    " run_id INTEGER NOT NULL REFERENCES runs(id), key TEXT NOT NULL, value REAL,"
    " PRIMARY KEY(run_id, key));"
    "CREATE TABLE IF NOT EXISTS regions("
    " run_id INTEGER NOT NULL REFERENCES runs(id), code TEXT NOT NULL, level TEXT NOT NULL,"
    " parent TEXT, name_en TEXT, name_ko TEXT, capital_region INTEGER NOT NULL,"
    " PRIMARY KEY(run_id, code));";

static int fail(bal_ctx *ctx, sqlite3 *db, const char *what)
{
    return bal_raise(ctx, BAL_ESTORE, NULL, 0, "results store: %s: %s", what,
                     db ? sqlite3_errmsg(db) : "cannot open");
}

/* Every indicator of the table is a column of results_wide but the policy
   cost (not part of a report). */
static int stored(int j)
{
    return j != BAL_IND_COST_CUMULATIVE;
}

/* In the `results` view, a NULL of a per-region level indicator is a row
   (the indicator is listed for every region and year, NULL where it is not
   defined: fiscal_self_reliance of a sigungu, the economy's indicators
   without the economy), as in the long form of schema 1. A NULL flow (the
   first year) or national value (a series the run has not, and every
   region but "00") is no row. Columns the indicator table no longer knows
   (j < 0) list their values only. */
static int null_is_row(int j)
{
    return j >= 0 && j < BAL_IND_FIRST_FLOW;
}

/* Run `sql` (built with sqlite3_str, consumed here); SQLite's status. */
static int exec_str(sqlite3 *db, sqlite3_str *s)
{
    char *sql = sqlite3_str_finish(s);
    if (sql == NULL)
        return SQLITE_NOMEM;
    const int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    return rc;
}

/* One integer from a query, or `dflt` when it gives no row. */
static int64_t query_int(sqlite3 *db, const char *sql, int64_t dflt, int *rc)
{
    sqlite3_stmt *st = NULL;
    int64_t v = dflt;
    *rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (*rc == SQLITE_OK) {
        const int r = sqlite3_step(st);
        if (r == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        *rc = r == SQLITE_ROW || r == SQLITE_DONE ? SQLITE_OK : r;
    }
    sqlite3_finalize(st);
    return v;
}

/* The indicator columns results_wide has: present[j] for the table's
   indicators; names of columns the table no longer knows are kept in the
   view (extra, a NULL-terminated sqlite3_mprintf'd list; caller frees). */
static int wide_columns(sqlite3 *db, unsigned char present[BAL_NIND_ALL], char ***extra)
{
    sqlite3_stmt *st = NULL;
    memset(present, 0, BAL_NIND_ALL);
    *extra = NULL;
    int next = 0, rc = sqlite3_prepare_v2(db, "PRAGMA table_info(results_wide)", -1, &st, NULL);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 1);
        if (name == NULL || strcmp(name, "run_id") == 0 || strcmp(name, "year") == 0 ||
            strcmp(name, "region") == 0)
            continue;
        const int j = bal_indicator_find(name);
        if (j >= 0) {
            present[j] = 1;
            continue;
        }
        char **grown = sqlite3_realloc64(*extra, (sqlite3_uint64)(next + 2) * sizeof *grown);
        char *copy = grown ? sqlite3_mprintf("%s", name) : NULL;
        if (grown)
            *extra = grown;
        if (copy == NULL) {
            rc = SQLITE_NOMEM;
            break;
        }
        grown[next++] = copy;
        grown[next] = NULL;
    }
    sqlite3_finalize(st);
    return rc;
}

static void free_list(char **list)
{
    for (int i = 0; list && list[i]; i++)
        sqlite3_free(list[i]);
    sqlite3_free(list);
}

/* (Re)create the `results` view over results_wide's indicator columns. */
static int create_view(sqlite3 *db, const unsigned char present[BAL_NIND_ALL], char **extra)
{
    sqlite3_str *s = sqlite3_str_new(db);
    sqlite3_str_appendall(s, "DROP VIEW IF EXISTS results;"
                             "CREATE VIEW results(run_id, year, region, indicator, value) AS ");
    int arms = 0;
    for (int j = 0; j < BAL_NIND_ALL; j++) {
        if (!present[j])
            continue;
        const char *n = bal_indicator_name(j);
        sqlite3_str_appendf(s, "%sSELECT run_id, year, region, %Q, \"%w\" FROM results_wide",
                            arms++ ? " UNION ALL " : "", n, n);
        if (!null_is_row(j))
            sqlite3_str_appendf(s, " WHERE \"%w\" IS NOT NULL", n);
    }
    for (int i = 0; extra && extra[i]; i++)
        sqlite3_str_appendf(s,
                            "%sSELECT run_id, year, region, %Q, \"%w\" FROM results_wide"
                            " WHERE \"%w\" IS NOT NULL",
                            arms++ ? " UNION ALL " : "", extra[i], extra[i], extra[i]);
    return exec_str(db, s);
}

/*
 * Move the rows of a schema-1 `results` table (long form) into results_wide,
 * one row per run, year and region, and drop it. Every indicator in it must
 * be one the table knows and stored, once per run, year and region;
 * otherwise nothing is moved and BAL_EDATA tells what to do.
 */
static int migrate_long_form(bal_ctx *ctx, sqlite3 *db, const char *path)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT DISTINCT indicator FROM results", -1, &st, NULL);
    const char *unknown = NULL;
    char name[96] = "";
    while (rc == SQLITE_OK && unknown == NULL && sqlite3_step(st) == SQLITE_ROW) {
        const char *n = (const char *)sqlite3_column_text(st, 0);
        const int j = n ? bal_indicator_find(n) : -1;
        if (j < 0 || !stored(j)) {
            snprintf(name, sizeof name, "%s", n ? n : "NULL");
            unknown = name;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return fail(ctx, db, "read the earlier results");
    if (unknown)
        return bal_raise(ctx, BAL_EDATA, path, 0,
                         "results store written by an earlier Balance (long-form `results` table)"
                         " holds indicator '%s', which this version does not store; nothing was"
                         " written: move the file aside (or choose another --out) and run again",
                         unknown);
    const int64_t dup = query_int(db,
                                  "SELECT count(*) FROM (SELECT 1 FROM results GROUP BY run_id,"
                                  " year, region, indicator HAVING count(*) > 1)",
                                  0, &rc);
    if (rc != SQLITE_OK)
        return fail(ctx, db, "read the earlier results");
    if (dup > 0)
        return bal_raise(ctx, BAL_EDATA, path, 0,
                         "results store written by an earlier Balance (long-form `results` table)"
                         " holds %lld indicator values twice for one run, year and region;"
                         " nothing was written: move the file aside (or choose another --out)"
                         " and run again",
                         (long long)dup);
    sqlite3_str *s = sqlite3_str_new(db);
    sqlite3_str_appendall(s, "INSERT INTO results_wide(run_id, year, region");
    for (int j = 0; j < BAL_NIND_ALL; j++)
        if (stored(j))
            sqlite3_str_appendf(s, ", \"%w\"", bal_indicator_name(j));
    sqlite3_str_appendall(s, ") SELECT run_id, year, region");
    for (int j = 0; j < BAL_NIND_ALL; j++)
        if (stored(j))
            sqlite3_str_appendf(s, ", max(CASE WHEN indicator = %Q THEN value END)",
                                bal_indicator_name(j));
    sqlite3_str_appendall(s, " FROM results GROUP BY run_id, region, year"
                             " ORDER BY run_id, region, year;"
                             "DROP TABLE results;");
    if (exec_str(db, s) != SQLITE_OK)
        return fail(ctx, db, "move the earlier results into the wide table");
    return BAL_OK;
}

/*
 * Bring the file to schema SCHEMA_VERSION inside the run's transaction:
 * create what is missing, migrate a long-form `results` table, add a column
 * for every indicator the file lacks (the table grew) and recreate the view
 * when the columns changed. A file of a newer schema is refused.
 */
static int prepare_schema(bal_ctx *ctx, sqlite3 *db, const char *path)
{
    int rc;
    const int64_t version = query_int(db, "PRAGMA user_version", 0, &rc);
    if (rc != SQLITE_OK)
        return fail(ctx, db, "schema version");
    if (version > SCHEMA_VERSION)
        return bal_raise(ctx, BAL_EDATA, path, 0,
                         "results store of schema %lld, newer than this Balance writes (%d);"
                         " nothing was written: use a newer Balance or another --out",
                         (long long)version, SCHEMA_VERSION);
    const int64_t long_form = query_int(db,
                                        "SELECT count(*) FROM sqlite_master WHERE name = 'results'"
                                        " AND type = 'table'",
                                        0, &rc);
    if (rc != SQLITE_OK)
        return fail(ctx, db, "schema");
    const int64_t has_view = query_int(db,
                                       "SELECT count(*) FROM sqlite_master WHERE name = 'results'"
                                       " AND type = 'view'",
                                       0, &rc);
    if (rc != SQLITE_OK)
        return fail(ctx, db, "schema");
    if (sqlite3_exec(db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK)
        return fail(ctx, db, "schema");
    /* the wide table: one row per run, year and region, one column per
       stored indicator; its primary key orders the rows as they are written
       (region, year) so every insert appends */
    sqlite3_str *s = sqlite3_str_new(db);
    sqlite3_str_appendall(s, "CREATE TABLE IF NOT EXISTS results_wide("
                             " run_id INTEGER NOT NULL REFERENCES runs(id),"
                             " year INTEGER NOT NULL, region TEXT NOT NULL");
    for (int j = 0; j < BAL_NIND_ALL; j++)
        if (stored(j))
            sqlite3_str_appendf(s, ", \"%w\" REAL", bal_indicator_name(j));
    sqlite3_str_appendall(s, ", PRIMARY KEY(run_id, region, year))");
    if (exec_str(db, s) != SQLITE_OK)
        return fail(ctx, db, "schema");
    unsigned char present[BAL_NIND_ALL];
    char **extra = NULL;
    if (wide_columns(db, present, &extra) != SQLITE_OK) {
        free_list(extra);
        return fail(ctx, db, "schema");
    }
    int changed = !has_view || long_form;
    for (int j = 0; j < BAL_NIND_ALL && rc == SQLITE_OK; j++) {
        if (!stored(j) || present[j])
            continue;
        /* an indicator added to the table since the file was written: NULL
           for the earlier runs */
        s = sqlite3_str_new(db);
        sqlite3_str_appendf(s, "ALTER TABLE results_wide ADD COLUMN \"%w\" REAL",
                            bal_indicator_name(j));
        rc = exec_str(db, s);
        present[j] = 1;
        changed = 1;
    }
    if (rc != SQLITE_OK) {
        free_list(extra);
        return fail(ctx, db, "add an indicator column");
    }
    int st = BAL_OK;
    if (long_form)
        st = migrate_long_form(ctx, db, path);
    if (st == BAL_OK && changed && create_view(db, present, extra) != SQLITE_OK)
        st = fail(ctx, db, "create the results view");
    free_list(extra);
    if (st == BAL_OK && version != SCHEMA_VERSION) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", SCHEMA_VERSION);
        if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
            st = fail(ctx, db, "schema version");
    }
    return st;
}

/* A region of the run: its code and its row of the report (-1: the nation). */
typedef struct key {
    const char *name;
    int64_t index;
} key;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const key *)a)->name, ((const key *)b)->name);
}

/*
 * One results_wide row per region (the nation "00" included) and year,
 * through one prepared statement, sorted by region code and year (the
 * primary key's order: every insert appends). Values at the precision of the
 * indicator table; NAN binds as NULL, as do the national series and
 * summaries in every region but "00".
 */
static int insert_results(bal_ctx *ctx, sqlite3 *db, int64_t run, const bal_regions *regions,
                          const bal_report *rep)
{
    sqlite3_stmt *st = NULL;
    int ind[BAL_NIND_ALL], nind = 0;
    sqlite3_str *s = sqlite3_str_new(db);
    sqlite3_str_appendall(s, "INSERT INTO results_wide(run_id, year, region");
    for (int j = 0; j < BAL_NIND_ALL; j++)
        if (stored(j)) {
            sqlite3_str_appendf(s, ", \"%w\"", bal_indicator_name(j));
            ind[nind++] = j;
        }
    sqlite3_str_appendall(s, ") VALUES(?, ?, ?");
    for (int q = 0; q < nind; q++)
        sqlite3_str_appendall(s, ", ?");
    sqlite3_str_appendall(s, ")");
    char *sql = sqlite3_str_finish(s);
    const int prc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (prc != SQLITE_OK)
        return fail(ctx, db, "prepare");
    const int64_t nr = rep->nout + 1;
    key *reg = bal_malloc(ctx, (size_t)nr * sizeof *reg);
    if (reg == NULL) {
        sqlite3_finalize(st);
        return BAL_ENOMEM;
    }
    reg[0] = (key){"00", -1};
    for (int64_t i = 0; i < rep->nout; i++)
        reg[i + 1] = (key){regions->r[rep->region[i]].code, i};
    qsort(reg, (size_t)nr, sizeof *reg, by_name);
    int rc = BAL_OK;
    sqlite3_bind_int64(st, 1, run);
    for (int64_t a = 0; a < nr && rc == BAL_OK; a++) {
        const int64_t i = reg[a].index;
        sqlite3_bind_text(st, 3, reg[a].name, -1, SQLITE_STATIC);
        for (int k = 0; k < rep->nyears; k++) {
            sqlite3_bind_int(st, 2, rep->year0 + k);
            for (int q = 0; q < nind; q++) {
                const int j = ind[q];
                if (j >= BAL_NIND && i >= 0)
                    sqlite3_bind_null(st, 4 + q); /* national: "00" only */
                else
                    sqlite3_bind_double(st, 4 + q,
                                        bal_indicator_round(j, bal_report_value(rep, i, j, k)));
            }
            if (sqlite3_step(st) != SQLITE_DONE) {
                rc = fail(ctx, db, "insert result");
                break;
            }
            sqlite3_reset(st);
        }
    }
    sqlite3_finalize(st);
    bal_free(ctx, reg);
    return rc;
}

/* One run's rows (runs, run_params, regions, results_wide) inside the open
   transaction; its id in *run_id. */
static int write_run(bal_ctx *ctx, sqlite3 *db, const bal_run_info *info,
                     const bal_regions *regions, const bal_report *rep, const char *stamp,
                     int64_t *run_id)
{
    sqlite3_stmt *st = NULL;
    int rc = BAL_OK;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO runs(created_utc, command, data_dir, level, scenario,"
                           " draw, base_year, final_year, version)"
                           " VALUES(?,?,?,?,?,0,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(ctx, db, "prepare");
    sqlite3_bind_text(st, 1, stamp, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, info->command ? info->command : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, info->data_dir ? info->data_dir : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, rep->level == BAL_LEVEL_SIGUNGU ? "sigungu" : "sido", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 5, info->scenario ? info->scenario : "status_quo", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int(st, 6, rep->year0);
    sqlite3_bind_int(st, 7, rep->year0 + rep->nyears - 1);
    sqlite3_bind_text(st, 8, BALANCE_VERSION, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = fail(ctx, db, "insert run");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    const int64_t run = sqlite3_last_insert_rowid(db);

    if (sqlite3_prepare_v2(db, "INSERT INTO run_params VALUES(?,?,?)", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = fail(ctx, db, "prepare");
        goto done;
    }
    for (int i = 0; i < info->nparams; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, info->params[i].key, -1, SQLITE_STATIC);
        if (info->params[i].text) /* a text value (the variant, the population concept) */
            sqlite3_bind_text(st, 3, info->params[i].text, -1, SQLITE_STATIC);
        else
            sqlite3_bind_double(st, 3, info->params[i].value);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = fail(ctx, db, "insert parameter");
            goto done;
        }
    }
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(db, "INSERT INTO regions VALUES(?,?,?,?,?,?,?)", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = fail(ctx, db, "prepare");
        goto done;
    }
    for (int64_t i = 0; i < rep->nout; i++) {
        const bal_region *g = &regions->r[rep->region[i]];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, g->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, g->level == BAL_LEVEL_SIDO ? "sido" : "sigungu", -1,
                          SQLITE_STATIC);
        if (g->parent >= 0)
            sqlite3_bind_text(st, 4, regions->r[g->parent].code, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 4);
        sqlite3_bind_text(st, 5, g->name_en, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, g->name_ko, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 7, g->capital_region);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = fail(ctx, db, "insert region");
            goto done;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    rc = insert_results(ctx, db, run, regions, rep);
    if (rc == BAL_OK)
        *run_id = run;
done:
    if (st)
        sqlite3_finalize(st);
    return rc;
}

/*
 * A new store file is created whole: its schema is written and committed in
 * a file of its own (PATH.new-PID) which is then linked to PATH, so PATH
 * never exists without its tables, even when the process is killed while
 * creating it (the temporary file may then remain; it is never read). When
 * another process creates PATH meanwhile, its file is kept.
 */
static int create_store(bal_ctx *ctx, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0 || errno != ENOENT)
        return BAL_OK; /* there (or not ours to create: the open reports it) */
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.new-%ld", path, (long)getpid()) >= sizeof tmp)
        return bal_raise(ctx, BAL_ESTORE, NULL, 0, "results store: path too long");
    unlink(tmp);
    sqlite3 *db = NULL;
    int rc = BAL_OK;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(tmp, &db, flags, NULL) != SQLITE_OK)
        rc = fail(ctx, db, tmp);
    else if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; BEGIN IMMEDIATE", NULL, NULL, NULL) !=
             SQLITE_OK)
        rc = fail(ctx, db, "begin");
    else if ((rc = prepare_schema(ctx, db, path)) == BAL_OK &&
             sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = fail(ctx, db, "commit");
    if (sqlite3_close(db) != SQLITE_OK && rc == BAL_OK)
        rc = bal_raise(ctx, BAL_ESTORE, NULL, 0, "results store: cannot close %s", tmp);
    if (rc == BAL_OK && link(tmp, path) != 0 && errno != EEXIST)
        rc = bal_raise(ctx, BAL_ESTORE, NULL, 0, "results store: cannot create %s: %s", path,
                       strerror(errno));
    unlink(tmp);
    return rc;
}

int bal_store_write_batch(bal_ctx *ctx, const char *path, const bal_store_item *items, int n,
                          int64_t *run_ids)
{
    sqlite3 *db = NULL;
    int rc = create_store(ctx, path);
    int in_tx = 0;
    if (rc)
        return rc;
    /* one connection, one thread: no SQLite mutexes; the file exists (a
       vanished file is an error, not a new empty store) */
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        rc = fail(ctx, db, path);
        goto done;
    }
    sqlite3_busy_timeout(db, 5000);
    /* WAL: a commit is atomic and never fsyncs the whole file; with
       synchronous=NORMAL a power cut can lose the last batch, never corrupt
       earlier ones (sqlite.org/wal.html). */
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", NULL, NULL,
                     NULL) != SQLITE_OK) {
        rc = fail(ctx, db, "pragma");
        goto done;
    }
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = fail(ctx, db, "begin");
        goto done;
    }
    in_tx = 1;
    rc = prepare_schema(ctx, db, path);
    if (rc)
        goto done;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    for (int i = 0; i < n && rc == BAL_OK; i++)
        rc = write_run(ctx, db, items[i].info, items[i].regions, items[i].report, stamp,
                       &run_ids[i]);
    if (rc)
        goto done;
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = fail(ctx, db, "commit");
        goto done;
    }
    in_tx = 0;
done:
    if (in_tx)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

int bal_store_write(bal_ctx *ctx, const char *path, const bal_run_info *info,
                    const bal_regions *regions, const bal_report *rep, int64_t *run_id)
{
    const bal_store_item item = {info, regions, rep};
    return bal_store_write_batch(ctx, path, &item, 1, run_id);
}
