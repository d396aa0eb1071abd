/*
 * store.c — results in SQLite, one transaction per run.
 */
#include "balance/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <time.h>

#define BALANCE_VERSION "0.1.0"

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
    " PRIMARY KEY(run_id, code));"
    "CREATE TABLE IF NOT EXISTS results("
    " run_id INTEGER NOT NULL REFERENCES runs(id), year INTEGER NOT NULL,"
    " region TEXT NOT NULL, indicator TEXT NOT NULL, value REAL);"
    "CREATE INDEX IF NOT EXISTS results_run ON results(run_id);";

static int fail(bal_ctx *ctx, sqlite3 *db, const char *what)
{
    return bal_raise(ctx, BAL_ESTORE, NULL, 0, "results store: %s: %s", what,
                     db ? sqlite3_errmsg(db) : "cannot open");
}

static int put(sqlite3_stmt *st, int64_t run, int year, const char *region, const char *ind,
               double v)
{
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_text(st, 3, region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ind, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 5, v);
    return sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
}

/* Rows are inserted BATCH at a time through one multi-row statement (the
   per-statement overhead dominated the sido run's store time). */
enum { BATCH = 128 };
typedef struct batch {
    sqlite3_stmt *many, *one;
    int n;
    int64_t run;
    int year[BATCH];
    const char *reg[BATCH], *ind[BATCH];
    double v[BATCH];
} batch;

static int batch_flush(batch *b)
{
    if (b->n == BATCH) {
        sqlite3_reset(b->many);
        for (int i = 0; i < BATCH; i++) {
            sqlite3_bind_int64(b->many, 5 * i + 1, b->run);
            sqlite3_bind_int(b->many, 5 * i + 2, b->year[i]);
            sqlite3_bind_text(b->many, 5 * i + 3, b->reg[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(b->many, 5 * i + 4, b->ind[i], -1, SQLITE_STATIC);
            sqlite3_bind_double(b->many, 5 * i + 5, b->v[i]);
        }
        if (sqlite3_step(b->many) != SQLITE_DONE)
            return SQLITE_ERROR;
    } else {
        for (int i = 0; i < b->n; i++)
            if (put(b->one, b->run, b->year[i], b->reg[i], b->ind[i], b->v[i]) != SQLITE_OK)
                return SQLITE_ERROR;
    }
    b->n = 0;
    return SQLITE_OK;
}

static int batch_add(batch *b, int year, const char *reg, const char *ind, double v)
{
    b->year[b->n] = year;
    b->reg[b->n] = reg;
    b->ind[b->n] = ind;
    b->v[b->n] = v;
    return ++b->n == BATCH ? batch_flush(b) : SQLITE_OK;
}

/* A results series: a row of the report (or the nation) and one value. */
typedef struct key {
    const char *name;
    int64_t index;
} key;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const key *)a)->name, ((const key *)b)->name);
}

/* Every indicator of the table but the policy cost; the national series
   and summaries are stored as indicators of region "00". */
enum { NSERIES = BAL_NIND_ALL };

static int insert_results(bal_ctx *ctx, sqlite3 *db, sqlite3_stmt *st, int64_t run,
                          const bal_regions *regions, const bal_report *rep)
{
    batch b = {.one = st, .run = run};
    {
        char sql[64 + BATCH * 12];
        size_t len = (size_t)snprintf(sql, sizeof sql, "INSERT INTO results VALUES");
        for (int i = 0; i < BATCH; i++)
            len += (size_t)snprintf(sql + len, sizeof sql - len, "%s(?,?,?,?,?)", i ? "," : "");
        if (sqlite3_prepare_v2(db, sql, -1, &b.many, NULL) != SQLITE_OK)
            return fail(ctx, db, "prepare");
    }
    const int64_t nr = rep->nout + 1;
    key *reg = bal_malloc(ctx, (size_t)nr * sizeof *reg);
    if (reg == NULL)
        return BAL_ENOMEM;
    reg[0] = (key){"00", -1};
    for (int64_t i = 0; i < rep->nout; i++)
        reg[i + 1] = (key){regions->r[rep->region[i]].code, i};
    qsort(reg, (size_t)nr, sizeof *reg, by_name);
    key ind[NSERIES];
    int nind = 0;
    for (int j = 0; j < BAL_NIND_ALL; j++) {
        if (j == BAL_IND_COST_CUMULATIVE)
            continue;
        /* a national series with no value (sigungu counts of a sido run, the
           economy's without it) is not stored */
        int any = j < BAL_NIND;
        for (int k = 0; k < rep->nyears && !any; k++)
            any = !isnan(bal_report_value(rep, -1, j, k));
        if (any)
            ind[nind++] = (key){bal_indicator_name(j), j};
    }
    qsort(ind, (size_t)nind, sizeof *ind, by_name);
    int rc = BAL_OK;
    for (int64_t a = 0; a < nr && rc == BAL_OK; a++) {
        const int64_t i = reg[a].index;
        for (int q = 0; q < nind && rc == BAL_OK; q++) {
            const int64_t j = ind[q].index;
            if (j >= BAL_NIND && i >= 0)
                continue; /* national extras only for "00" */
            for (int k = j >= BAL_IND_FIRST_FLOW && j < BAL_NIND ? 1 : 0; k < rep->nyears; k++) {
                /* at the precision of the indicator table */
                const double v = bal_indicator_round((int)j, bal_report_value(rep, i, (int)j, k));
                if (batch_add(&b, rep->year0 + k, reg[a].name, ind[q].name, v) != SQLITE_OK) {
                    rc = fail(ctx, db, "insert result");
                    break;
                }
            }
        }
    }
    if (rc == BAL_OK && batch_flush(&b) != SQLITE_OK)
        rc = fail(ctx, db, "insert result");
    sqlite3_finalize(b.many);
    bal_free(ctx, reg);
    return rc;
}

int bal_store_write(bal_ctx *ctx, const char *path, const bal_run_info *info,
                    const bal_regions *regions, const bal_report *rep, int64_t *run_id)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = BAL_OK;
    int in_tx = 0;
    /* one connection, one thread: no SQLite mutexes */
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        rc = fail(ctx, db, path);
        goto done;
    }
    sqlite3_busy_timeout(db, 5000);
    /* WAL: a commit is atomic and never fsyncs the whole file; with
       synchronous=NORMAL a power cut can lose the last run, never corrupt
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
    if (sqlite3_exec(db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK) {
        rc = fail(ctx, db, "schema");
        goto done;
    }
    char stamp[32];
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO runs(created_utc, command, data_dir, level, scenario,"
                           " draw, base_year, final_year, version)"
                           " VALUES(?,?,?,?,?,0,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = fail(ctx, db, "prepare");
        goto done;
    }
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

    if (sqlite3_prepare_v2(db, "INSERT INTO results VALUES(?,?,?,?,?)", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = fail(ctx, db, "prepare");
        goto done;
    }
    /* rows sorted by region code, indicator name and year; the table is a
       plain rowid table indexed by run, so every insert appends (a composite
       primary key made the sigungu run's 110,000 inserts 3x slower) */
    rc = insert_results(ctx, db, st, run, regions, rep);
    if (rc)
        goto done;
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = fail(ctx, db, "commit");
        goto done;
    }
    in_tx = 0;
    *run_id = run;
done:
    if (st)
        sqlite3_finalize(st);
    if (in_tx)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}
